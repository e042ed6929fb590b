/*
 * test-vis.c: table-driven tests of core/vis.c.
 *
 * The expected forms come from the scheme in core/vis.h, written out by
 * hand here (Control Pictures as their UTF-8 bytes), never from the code
 * under test. One table drives vis_copy, vis_dup, vis_len and vis_needed:
 * each row is a string, its flags and its visible form; a second table
 * cuts forms into buffers too small, which must end on a character or form
 * boundary and report GL_ETOOLONG.
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

#include "error.h"
#include "vis.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* Bytes with their length (a row may hold a NUL). */
#define B(s)		s, sizeof (s) - 1

#define TAB		VIS_TAB
#define JSON		VIS_JSON

/* Control Pictures in UTF-8: U+2400 + c is E2 90 80+c; DEL is U+2421. */
#define P_NUL		"\xe2\x90\x80"
#define P_BEL		"\xe2\x90\x87"
#define P_HT		"\xe2\x90\x89"
#define P_LF		"\xe2\x90\x8a"
#define P_CR		"\xe2\x90\x8d"
#define P_ESC		"\xe2\x90\x9b"
#define P_US		"\xe2\x90\x9f"
#define P_DEL		"\xe2\x90\xa1"

#define WJ		"望京路井盖缺失"

static const struct vis_row {
	const char	*s;
	size_t		 len;
	unsigned	 flags;
	const char	*want;
} vis_rows[] = {
	/* nothing to do */
	{ B(""), 0, "" },
	{ B(""), TAB, "" },
	{ B("hello"), 0, "hello" },
	{ B(WJ), 0, WJ },
	{ B("A井B盖 <x>"), TAB, "A井B盖 <x>" },
	{ B("\xef\xbb\xbf" "a"), 0, "\xef\xbb\xbf" "a" },	/* BOM stays */
	{ B("\xe2\x80\x8f"), 0, "\xe2\x80\x8f" },		/* RLM stays */
	{ B("\xc2\xa0"), 0, "\xc2\xa0" },			/* NBSP stays */

	/* C0: Control Pictures; tab only with VIS_TAB */
	{ B("a\0b"), 0, "a" P_NUL "b" },
	{ B("\x07"), 0, P_BEL },
	{ B("井盖\n缺失"), 0, "井盖" P_LF "缺失" },
	{ B("a\r\nb"), 0, "a" P_CR P_LF "b" },
	{ B("\x1f"), 0, P_US },
	{ B("a\tb"), 0, "a\tb" },
	{ B("a\tb"), TAB, "a" P_HT "b" },
	{ B("\t\t"), TAB, P_HT P_HT },

	/* DEL */
	{ B("a\x7f"), 0, "a" P_DEL },

	/* C1, decoded from UTF-8 */
	{ B("\xc2\x80"), 0, "<U+0080>" },
	{ B("\xc2\x85"), 0, "<U+0085>" },			/* NEL */
	{ B("\xc2\x9b" "2J"), 0, "<U+009B>2J" },		/* CSI */
	{ B("\xc2\x9f"), 0, "<U+009F>" },
	{ B("\xc2\xa0" "\xc2\x9f"), TAB, "\xc2\xa0<U+009F>" },

	/* escape sequences: the ESC and BEL shown, the rest plain text */
	{ B("\x1b]0;PWNED\x07"), 0, P_ESC "]0;PWNED" P_BEL },
	{ B("\x1b[2J"), 0, P_ESC "[2J" },
	{ B("井\x1b[31m盖\x1b[0m"), TAB, "井" P_ESC "[31m盖" P_ESC "[0m" },

	/* bidi embeddings, overrides, isolates; line separators */
	{ B("\xe2\x80\xaa"), 0, "<U+202A>" },
	{ B("abc\xe2\x80\xae" "fed"), 0, "abc<U+202E>fed" },
	{ B("\xe2\x81\xa6" "x" "\xe2\x81\xa9"), 0, "<U+2066>x<U+2069>" },
	{ B("\xe2\x81\xa7\xe2\x81\xa8"), 0, "<U+2067><U+2068>" },
	{ B("a\xe2\x80\xa8" "b\xe2\x80\xa9"), 0, "a<U+2028>b<U+2029>" },
	{ B("\xe2\x80\xa7\xe2\x80\xaf"), 0, "\xe2\x80\xa7\xe2\x80\xaf" },
	{ B("\xe2\x81\xa5\xe2\x81\xaa"), 0, "\xe2\x81\xa5\xe2\x81\xaa" },

	/* mixed Chinese */
	{ B("朝阳区\xe2\x80\xae望京\x1b[2J路\t3号"), TAB,
	    "朝阳区<U+202E>望京" P_ESC "[2J路" P_HT "3号" },

	/* invalid UTF-8: one form per byte */
	{ B("a\xff" "b"), 0, "a<0xFF>b" },
	{ B("\x9b"), 0, "<0x9B>" },				/* raw C1 byte */
	{ B("井\xe5\xae"), 0, "井<0xE5><0xAE>" },		/* cut short */
	{ B("\xc0\xaf"), 0, "<0xC0><0xAF>" },			/* overlong */
	{ B("\xed\xa0\x80"), 0, "<0xED><0xA0><0x80>" },	/* surrogate */
	{ B("\xf4\x90\x80\x80"), 0, "<0xF4><0x90><0x80><0x80>" },

	/* VIS_JSON: escapes, C0 left to the encoder */
	{ B("{\n  \"k\": \"a\\u001b\"\n}"), JSON,
	    "{\n  \"k\": \"a\\u001b\"\n}" },
	{ B("\"\x7f\xc2\x9b\xe2\x80\xae井\""), JSON,
	    "\"\\u007f\\u009b\\u202e井\"" },
	{ B("\xe2\x81\xa9\t"), JSON, "\\u2069\t" },
	{ B("\xff"), JSON, "\\ufffd" },
};

static int
vis_row_check(size_t i, const struct vis_row *r)
{
	char	 buf[256], *dup = NULL;
	size_t	 n = 0, wantlen = strlen(r->want);
	int	 rc, bad = 0, needed = strcmp(r->s, r->want) != 0 ||
		    r->len != wantlen;

	rc = vis_copy(r->s, r->len, r->flags, buf, sizeof buf, &n);
	if (rc != 0 || n != wantlen || strcmp(buf, r->want) != 0) {
		print_error("row %zu: copy rc %d \"%s\", want \"%s\"\n", i,
		    rc, buf, r->want);
		bad++;
	}
	if (vis_len(r->s, r->len, r->flags) != wantlen) {
		print_error("row %zu: len %zu, want %zu\n", i,
		    vis_len(r->s, r->len, r->flags), wantlen);
		bad++;
	}
	if (vis_needed(r->s, r->len, r->flags) != needed) {
		print_error("row %zu: needed %d\n", i, !needed);
		bad++;
	}
	rc = vis_dup(r->s, r->len, r->flags, &dup);
	if (rc != 0 || dup == NULL || strcmp(dup, r->want) != 0) {
		print_error("row %zu: dup rc %d\n", i, rc);
		bad++;
	}
	free(dup);
	return bad;
}

static void
test_vis_table(void **state)
{
	size_t	i;
	int	bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(vis_rows); i++)
		bad += vis_row_check(i, &vis_rows[i]);
	assert_int_equal(bad, 0);
}

/* Buffers too small: the longest prefix of whole characters and forms. */
static const struct cut_row {
	const char	*s;
	size_t		 len;
	unsigned	 flags;
	size_t		 outlen;
	const char	*want;
} cut_rows[] = {
	{ B("hello"), 0, 1, "" },
	{ B("hello"), 0, 4, "hel" },
	{ B(WJ), 0, 3, "" },			/* 3 bytes of room: none */
	{ B(WJ), 0, 4, "望" },
	{ B(WJ), 0, 9, "望京" },
	{ B("a\x1b"), 0, 3, "a" },		/* ␛ needs 3 bytes */
	{ B("a\x1b"), 0, 4, "a" },		/* 3 bytes of room after a */
	{ B("a\x1b" "b"), 0, 5, "a" P_ESC },
	{ B("a\xe2\x80\xae" "b"), 0, 8, "a" },	/* "<U+202E>" is 8 */
	{ B("a\xe2\x80\xae" "b"), 0, 10, "a<U+202E>" },
	{ B("\xff\xff"), 0, 12, "<0xFF>" },
	{ B("a\tb"), TAB, 4, "a" },
	{ B("井\xc2\x9b"), 0, 11, "井" },
};

static void
test_vis_cut(void **state)
{
	char	buf[64];
	size_t	i, n;
	int	rc, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(cut_rows); i++) {
		memset(buf, 'X', sizeof buf);
		rc = vis_copy(cut_rows[i].s, cut_rows[i].len,
		    cut_rows[i].flags, buf, cut_rows[i].outlen, &n);
		if (rc != GL_ETOOLONG || strcmp(buf, cut_rows[i].want) != 0 ||
		    n != strlen(cut_rows[i].want) ||
		    buf[cut_rows[i].outlen] != 'X') {
			print_error("cut row %zu: rc %d \"%s\", want \"%s\"\n",
			    i, rc, buf, cut_rows[i].want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* No output of vis_copy holds a byte a terminal acts on. */
static void
test_vis_clean(void **state)
{
	char		 in[4], out[64];
	const unsigned char *p;
	unsigned	 b0, b1;
	size_t		 n;

	(void)state;
	for (b0 = 0; b0 < 256; b0++)
		for (b1 = 0; b1 < 256; b1 += 7) {
			in[0] = (char)b0;
			in[1] = (char)b1;
			in[2] = (char)0xae;
			assert_int_equal(vis_copy(in, 3, VIS_TAB, out,
			    sizeof out, &n), 0);
			for (p = (const unsigned char *)out; *p != '\0'; p++)
				assert_true(*p >= 0x20 && *p != 0x7f);
			assert_null(strstr(out, "\xc2\x9b"));
			assert_null(strstr(out, "\xe2\x80\xae"));
			assert_int_equal(vis_needed(out, n, VIS_TAB), 0);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vis_table),
		cmocka_unit_test(test_vis_cut),
		cmocka_unit_test(test_vis_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
