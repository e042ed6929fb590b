/*
 * test-tsv.c: table-driven tests of core/tsv.c and core/utf8.c.
 *
 * Each row of the file table is written byte for byte into a scratch
 * directory at run time and loaded with tsv_load. The expected outcome of
 * every row comes from docs/DATA.md ("Rules common to every file") and
 * core/tsv.h, never from the reader: UTF-8, one TAB between fields, a CR
 * before LF dropped, columns found by name (order free, unknown columns
 * ignored), every line with the header's field count, blank and '#' lines
 * skipped, a file with any bad line rejected whole, every problem reported
 * as file:line.
 *
 * Every failing row is printed before the test fails, so that one bug does
 * not hide the others.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "error.h"
#include "testutil.h"
#include "tsv.h"
#include "utf8.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define MAXDIAG		4
#define MAXPROBE	4

/* File bytes with their length (a file may hold a NUL). */
#define B(s)		s, sizeof (s) - 1

static const char *const req_code_name[] = { "code", "name", NULL };
static const char *const req_code_name_kind[] = { "code", "name", "kind",
	NULL };

/* One value expected in the loaded table: column, row, value, line. */
struct probe {
	const char	*col;
	size_t		 row;
	const char	*value;
	long		 line;
};

struct tsv_case {
	const char		*name;		/* file name in the tmpdir */
	const char		*bytes;
	size_t			 len;
	const char *const	*required;
	int			 rc;
	size_t			 nrows;		/* when rc == 0 */
	size_t			 ndiag;		/* exact number of problems */
	/* Substrings of the formatted diags, "/name:line: " style. */
	const char		*diag[MAXDIAG];
	struct probe		 probe[MAXPROBE];
};

static const struct tsv_case tsv_cases[] = {
	/* --- accepted -------------------------------------------------- */
	{ "good.tsv", B("code\tname\n330203\t海曙区\n330205\t江北区\n"),
	    req_code_name, 0, 2, 0, { NULL },
	    { { "code", 0, "330203", 2 }, { "name", 1, "江北区", 3 } } },
	{ "nofinalnl.tsv", B("code\tname\n330203\t海曙区\n330205\t江北区"),
	    req_code_name, 0, 2, 0, { NULL },
	    { { "name", 1, "江北区", 3 } } },
	{ "crlf.tsv", B("code\tname\r\n330203\t海曙区\r\n\r\n330205\t江北区\r\n"),
	    req_code_name, 0, 2, 0, { NULL },
	    { { "name", 0, "海曙区", 2 }, { "name", 1, "江北区", 4 } } },
	{ "bom.tsv", B("\xef\xbb\xbf" "code\tname\n330203\t海曙区\n"),
	    req_code_name, 0, 1, 0, { NULL },
	    { { "code", 0, "330203", 2 } } },
	{ "comments.tsv", B("code\tname\n# 宁波市的区\n\n330203\t海曙区\n"
	    "\n#\tx\ty\tz\n330205\t江北区\n\n"),
	    req_code_name, 0, 2, 0, { NULL },
	    { { "code", 0, "330203", 4 }, { "code", 1, "330205", 7 } } },
	{ "note.tsv", B("code\tname\tnote\n330203\t海曙区\t老城区\n"
	    "330205\t江北区\t\n"),
	    req_code_name, 0, 2, 0, { NULL },
	    { { "name", 0, "海曙区", 2 }, { "note", 1, "", 3 } } },
	{ "reorder.tsv", B("kind\tname\tcode\n区\t海曙区\t330203\n"
	    "县\t象山县\t330225\n"),
	    req_code_name_kind, 0, 2, 0, { NULL },
	    { { "code", 0, "330203", 2 }, { "kind", 1, "县", 3 },
	    { "name", 1, "象山县", 3 } } },
	{ "emptyfield.tsv", B("code\tname\tkind\n330203\t\t区\n"),
	    req_code_name_kind, 0, 1, 0, { NULL },
	    { { "name", 0, "", 2 }, { "kind", 0, "区", 2 } } },
	{ "headeronly.tsv", B("code\tname\n"), req_code_name, 0, 0, 0,
	    { NULL }, { { NULL } } },
	{ "headeronly-nonl.tsv", B("code\tname"), req_code_name, 0, 0, 0,
	    { NULL }, { { NULL } } },
	{ "fourbyte.tsv", B("code\tname\n1\t\xf0\x9f\x8f\xa2\xf4\x8f\xbf\xbf\n"),
	    req_code_name, 0, 1, 0, { NULL },
	    { { "name", 0, "\xf0\x9f\x8f\xa2\xf4\x8f\xbf\xbf", 2 } } },

	/* --- header problems ------------------------------------------- */
	{ "missingcol.tsv", B("code\tkind\n330203\t区\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/missingcol.tsv:1: ", "'name'" }, { { NULL } } },
	{ "missingtwo.tsv", B("note\n老城区\n"),
	    req_code_name, GL_EPARSE, 0, 2,
	    { "/missingtwo.tsv:1: ", "'code'", "'name'" }, { { NULL } } },
	{ "dupcol.tsv", B("code\tname\tcode\n1\t海曙区\t2\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/dupcol.tsv:1: ", "'code'" }, { { NULL } } },
	{ "empty.tsv", B(""), req_code_name, GL_EPARSE, 0, 0,
	    { "/empty.tsv" }, { { NULL } } },
	{ "badheader.tsv", B("code\tna\xc3me\n1\t2\n"), req_code_name,
	    GL_EPARSE, 0, 0, { "/badheader.tsv:1: ", "UTF-8" }, { { NULL } } },

	/* --- field counts ---------------------------------------------- */
	{ "toomany.tsv", B("code\tname\n330203\t海曙区\n330205\t江北区\t多\n"
	    "330206\t北仑区\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/toomany.tsv:3: " }, { { NULL } } },
	{ "toofew.tsv", B("code\tname\tkind\n330203\t海曙区\t区\n"
	    "330205\t江北区\t区\n330206\t北仑区\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/toofew.tsv:4: " }, { { NULL } } },
	{ "counts-crlf.tsv", B("code\tname\r\n# c\r\n\r\n1\t2\t3\r\n4\r\n"
	    "5\t6\r\n"),
	    req_code_name, GL_EPARSE, 0, 2,
	    { "/counts-crlf.tsv:4: ", "/counts-crlf.tsv:5: " }, { { NULL } } },
	{ "trailingtab.tsv", B("code\tname\n330203\t海曙区\t\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/trailingtab.tsv:2: " }, { { NULL } } },

	/* --- invalid UTF-8, each reported with its line ---------------- */
	{ "overlong2.tsv", B("code\tname\n1\ta\n2\t\xc0\xaf\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/overlong2.tsv:3: ", "UTF-8" }, { { NULL } } },
	{ "overlong3.tsv", B("code\tname\n1\ta\n\n2\t\xe0\x80\xaf\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/overlong3.tsv:4: ", "UTF-8" }, { { NULL } } },
	{ "overlong4.tsv", B("code\tname\n2\t\xf0\x8f\xbf\xbf\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/overlong4.tsv:2: ", "UTF-8" }, { { NULL } } },
	{ "lonecont.tsv", B("code\tname\n1\t海曙\x80区\n2\tb\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/lonecont.tsv:2: ", "UTF-8" }, { { NULL } } },
	{ "surrogate.tsv", B("code\tname\n1\ta\n2\tb\n3\t\xed\xa0\x80\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/surrogate.tsv:4: ", "UTF-8" }, { { NULL } } },
	{ "truncated.tsv", B("code\tname\n1\t海曙\xe5\xae\n2\tb\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/truncated.tsv:2: ", "UTF-8" }, { { NULL } } },
	{ "truncated-crlf.tsv", B("code\tname\r\n1\ta\r\n2\t\xe5\r\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/truncated-crlf.tsv:3: ", "UTF-8" }, { { NULL } } },
	{ "f5.tsv", B("code\tname\n1\ta\n2\t\xf5\x80\x80\x80\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/f5.tsv:3: ", "UTF-8" }, { { NULL } } },
	{ "above10ffff.tsv", B("code\tname\n1\t\xf4\x90\x80\x80\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/above10ffff.tsv:2: ", "UTF-8" }, { { NULL } } },
	{ "ff.tsv", B("code\tname\n1\t\xff\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/ff.tsv:2: ", "UTF-8" }, { { NULL } } },
	{ "twobad.tsv", B("code\tname\n1\t\xc1\xbf\n2\tok\n3\t\xed\xbf\xbf\n"),
	    req_code_name, GL_EPARSE, 0, 2,
	    { "/twobad.tsv:2: ", "/twobad.tsv:4: " }, { { NULL } } },

	/* --- a NUL byte: not text; the problem still has its line ------ */
	{ "nul.tsv", B("code\tname\n1\ta\n2\tb\0c\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/nul.tsv:3: " }, { { NULL } } },

	/* --- one bad line among good ones: nothing loaded -------------- */
	{ "onebad.tsv", B("code\tname\n330203\t海曙区\n330205\t江北区\n"
	    "330206\n330211\t镇海区\n330212\t鄞州区\n"),
	    req_code_name, GL_EPARSE, 0, 1,
	    { "/onebad.tsv:4: " }, { { NULL } } },
};

static int
write_file(const char *path, const char *bytes, size_t len)
{
	FILE	*fp = fopen(path, "wb");

	if (fp == NULL)
		return -1;
	if (len > 0 && fwrite(bytes, 1, len, fp) != len) {
		fclose(fp);
		return -1;
	}
	return fclose(fp);
}

/* Check one loaded table against a row's probes; 0 when all match. */
static int
check_probes(const struct tsv_case *c, const struct tsv *t)
{
	const struct probe	*p;
	size_t			 k;
	int			 col, bad = 0;

	for (k = 0; k < MAXPROBE && c->probe[k].col != NULL; k++) {
		p = &c->probe[k];
		if ((col = tsv_col(t, p->col)) < 0) {
			print_error("%s: no column '%s'\n", c->name, p->col);
			bad = 1;
			continue;
		}
		if (p->row >= t->nrows)
			continue;	/* nrows mismatch is reported anyway */
		if (strcmp(t->rows[p->row].f[col], p->value) != 0) {
			print_error("%s: row %zu column %s is '%s', want "
			    "'%s'\n", c->name, p->row, p->col,
			    t->rows[p->row].f[col], p->value);
			bad = 1;
		}
		if (t->rows[p->row].line != p->line) {
			print_error("%s: row %zu has line %ld, want %ld\n",
			    c->name, p->row, t->rows[p->row].line, p->line);
			bad = 1;
		}
	}
	return bad;
}

/* Run one row; returns the number of mismatches (printed). */
static int
run_case(const char *dir, const struct tsv_case *c)
{
	char		 path[1024], text[8192];
	struct diag	 d;
	struct tsv	*t = (struct tsv *)1;
	size_t		 k;
	int		 rc, bad = 0;

	snprintf(path, sizeof path, "%s/%s", dir, c->name);
	assert_int_equal(write_file(path, c->bytes, c->len), 0);
	diag_init(&d);
	rc = tsv_load(path, c->required, &t, &d);
	diag_text(&d, text, sizeof text);
	if (rc != c->rc) {
		print_error("%s: rc %d (%s), want %d (%s)\n%s", c->name, rc,
		    gl_strerror_name(rc), c->rc, gl_strerror_name(c->rc),
		    text);
		bad++;
	}
	if (c->rc != 0 && t != NULL) {
		print_error("%s: rejected file left a table\n", c->name);
		bad++;
	}
	if (c->rc == 0 && t != NULL) {
		if (t->nrows != c->nrows) {
			print_error("%s: %zu rows, want %zu\n", c->name,
			    t->nrows, c->nrows);
			bad++;
		}
		bad += check_probes(c, t);
	}
	if (c->rc == 0 && d.n != 0) {
		print_error("%s: problems in a good file:\n%s", c->name, text);
		bad++;
	}
	if (c->rc != 0 && c->ndiag != 0 && d.n != c->ndiag) {
		print_error("%s: %zu problems, want %zu:\n%s", c->name, d.n,
		    c->ndiag, text);
		bad++;
	}
	if (c->rc != 0 && d.n == 0) {
		print_error("%s: rejected without a problem\n", c->name);
		bad++;
	}
	if (d.unreadable) {
		print_error("%s: readable file marked unreadable\n", c->name);
		bad++;
	}
	for (k = 0; k < MAXDIAG && c->diag[k] != NULL; k++)
		if (strstr(text, c->diag[k]) == NULL) {
			print_error("%s: no problem mentions \"%s\"; got:\n%s",
			    c->name, c->diag[k], text);
			bad++;
		}
	if (t != (struct tsv *)1)
		tsv_free(t);
	diag_free(&d);
	return bad;
}

static void
test_tsv_table(void **state)
{
	const char	*dir;
	size_t		 i;
	int		 bad = 0;

	(void)state;
	dir = tu_tmpdir();
	for (i = 0; i < NITEMS(tsv_cases); i++)
		bad += run_case(dir, &tsv_cases[i]);
	tu_rmtree(dir);
	assert_int_equal(bad, 0);
}

/* A file that cannot be read: GL_EIO, d.unreadable, no table. */
static void
test_tsv_unreadable(void **state)
{
	static const char *const names[] = { "nonexistent.tsv", "adir.tsv" };
	char		 path[1024], text[2048];
	const char	*dir;
	struct diag	 d;
	struct tsv	*t;
	size_t		 i;
	int		 rc;

	(void)state;
	dir = tu_tmpdir();
	snprintf(path, sizeof path, "%s/adir.tsv", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	for (i = 0; i < NITEMS(names); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		diag_init(&d);
		t = (struct tsv *)1;
		rc = tsv_load(path, req_code_name, &t, &d);
		diag_text(&d, text, sizeof text);
		if (rc != GL_EIO || t != NULL || !d.unreadable || d.n == 0 ||
		    strstr(text, names[i]) == NULL)
			fail_msg("%s: rc %d, table %p, unreadable %d, "
			    "problems:\n%s", names[i], rc, (void *)t,
			    d.unreadable, text);
		diag_free(&d);
	}
	tu_rmtree(dir);
}

/* tsv_col: by name, -1 for an unknown column. */
static void
test_tsv_col(void **state)
{
	char		 path[1024];
	const char	*dir;
	struct diag	 d;
	struct tsv	*t;

	(void)state;
	dir = tu_tmpdir();
	snprintf(path, sizeof path, "%s/c.tsv", dir);
	assert_int_equal(write_file(path, B("b\ta\tc\n1\t2\t3\n")), 0);
	diag_init(&d);
	assert_int_equal(tsv_load(path, NULL, &t, &d), 0);
	assert_int_equal(t->ncols, 3);
	assert_int_equal(tsv_col(t, "b"), 0);
	assert_int_equal(tsv_col(t, "a"), 1);
	assert_int_equal(tsv_col(t, "c"), 2);
	assert_int_equal(tsv_col(t, "d"), -1);
	assert_int_equal(tsv_col(t, ""), -1);
	tsv_free(t);
	diag_free(&d);
	tu_rmtree(dir);
}

/* utf8_valid and utf8_chars on raw byte strings. */
static void
test_utf8(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;
		int		 valid;
		size_t		 bad;	/* offset of the first bad sequence */
		size_t		 chars;	/* when valid */
	} rows[] = {
		{ B(""), 1, 0, 0 },
		{ B("abc"), 1, 0, 3 },
		{ B("宁波市"), 1, 0, 3 },
		{ B("a\xc2\x80z"), 1, 0, 3 },			/* U+0080 */
		{ B("\xdf\xbf"), 1, 0, 1 },			/* U+07FF */
		{ B("\xe0\xa0\x80"), 1, 0, 1 },			/* U+0800 */
		{ B("\xed\x9f\xbf"), 1, 0, 1 },			/* U+D7FF */
		{ B("\xee\x80\x80"), 1, 0, 1 },			/* U+E000 */
		{ B("\xef\xbf\xbf"), 1, 0, 1 },			/* U+FFFF */
		{ B("\xf0\x90\x80\x80"), 1, 0, 1 },		/* U+10000 */
		{ B("\xf4\x8f\xbf\xbf"), 1, 0, 1 },		/* U+10FFFF */
		{ B("井盖\xf0\x9f\x9a\xa7x"), 1, 0, 4 },
		{ B("\xef\xbb\xbf"), 1, 0, 1 },			/* BOM, a char */
		{ B("\xc0\x80"), 0, 0, 0 },			/* overlong NUL */
		{ B("ab\xc1\xbf"), 0, 2, 0 },			/* overlong */
		{ B("\xe0\x9f\xbf"), 0, 0, 0 },			/* overlong */
		{ B("x\xf0\x8f\xbf\xbf"), 0, 1, 0 },		/* overlong */
		{ B("\x80"), 0, 0, 0 },				/* lone cont. */
		{ B("宁\xbf波"), 0, 3, 0 },
		{ B("\xed\xa0\x80"), 0, 0, 0 },			/* U+D800 */
		{ B("a\xed\xbf\xbf"), 0, 1, 0 },		/* U+DFFF */
		{ B("宁波\xe5\xb8"), 0, 6, 0 },			/* truncated */
		{ B("\xe5"), 0, 0, 0 },
		{ B("\xf0\x9f\x9a"), 0, 0, 0 },
		{ B("\xe5\xb8z"), 0, 0, 0 },			/* cut short */
		{ B("\xf5\x80\x80\x80"), 0, 0, 0 },		/* F5 */
		{ B("\xf4\x90\x80\x80"), 0, 0, 0 },		/* >U+10FFFF */
		{ B("\xf8\x88\x80\x80\x80"), 0, 0, 0 },		/* 5 bytes */
		{ B("ok\xfe"), 0, 2, 0 },
		{ B("ok\xff"), 0, 2, 0 },
		{ B("a\0b"), 0, 1, 0 },				/* NUL */
	};
	size_t	i, bad;
	int	v, fails = 0;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		bad = (size_t)-1;
		v = utf8_valid(rows[i].s, rows[i].len, &bad);
		if (v != rows[i].valid) {
			print_error("utf8 row %zu: valid %d, want %d\n", i, v,
			    rows[i].valid);
			fails++;
		} else if (!v && bad != rows[i].bad) {
			print_error("utf8 row %zu: bad at %zu, want %zu\n", i,
			    bad, rows[i].bad);
			fails++;
		} else if (v && utf8_chars(rows[i].s, rows[i].len) !=
		    rows[i].chars) {
			print_error("utf8 row %zu: %zu chars, want %zu\n", i,
			    utf8_chars(rows[i].s, rows[i].len), rows[i].chars);
			fails++;
		}
		/* bad may be NULL */
		if (utf8_valid(rows[i].s, rows[i].len, NULL) != rows[i].valid)
			fails++;
	}
	assert_int_equal(fails, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsv_table),
		cmocka_unit_test(test_tsv_unreadable),
		cmocka_unit_test(test_tsv_col),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
