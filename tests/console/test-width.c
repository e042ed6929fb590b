/*
 * test-width.c: table-driven tests of console/width.c.
 *
 * The expected values come from console/width.h and from the width of a
 * Chinese character (two columns), never from the code under test. Rows
 * marked AMB expect what glibc's C.UTF-8 gives East Asian "ambiguous"
 * characters such as U+2026 and U+2014: one column. Another C library may
 * give two; those rows are then skipped with a note, and the property test,
 * which holds whatever the ellipsis is worth, still runs.
 *
 * The property test cuts a list of real-looking summaries at every column
 * count and buffer size and checks what must hold for any output: valid
 * UTF-8, width_cols(out) == used <= cols, nothing written past outlen.
 *
 * Every failing row is printed before the test fails, so that one bug does
 * not hide the others.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "width.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* Bytes with their length (a row may hold a NUL). */
#define B(s)		s, sizeof (s) - 1

#define PAD		WIDTH_PAD
#define ELL		WIDTH_ELLIPSIS
#define AMB		1	/* the row expects a 1-column U+2026 */

#define BIGBUF		256
#define ELLIPSIS	"\xe2\x80\xa6"

/* Control Pictures in UTF-8 (core/vis.h): U+2400 + c, DEL U+2421. */
#define P_NUL		"\xe2\x90\x80"
#define P_BEL		"\xe2\x90\x87"
#define P_HT		"\xe2\x90\x89"
#define P_LF		"\xe2\x90\x8a"
#define P_CR		"\xe2\x90\x8d"
#define P_ESC		"\xe2\x90\x9b"
#define P_US		"\xe2\x90\x9f"
#define P_DEL		"\xe2\x90\xa1"

/* 望京路井盖缺失: 7 characters, 14 columns, 21 bytes. */
#define WJ		"望京路井盖缺失"

/* 1 when U+2026 is one column, as the AMB rows expect. */
static int
amb_narrow(void)
{
	return wcwidth(0x2026) == 1;
}

/* --- width_cols ----------------------------------------------------- */

static const struct {
	const char	*s;
	size_t		 len;
	int		 cols;
	int		 amb;
} cols_rows[] = {
	{ B(""), 0, 0 },
	{ B("abc"), 3, 0 },
	{ B(WJ), 14, 0 },
	{ B("A井B盖"), 6, 0 },
	{ "望京", 4, 8, 0 },			/* len ends inside 京 */
	{ B("e\xcc\x81"), 1, 0 },		/* e + U+0301 */
	{ B("\xcc\x81"), 0, 0 },		/* a lone combining mark */
	{ B("，"), 2, 0 },			/* U+FF0C */
	{ B("、。"), 4, 0 },
	{ B("\xe3\x80\x80"), 2, 0 },		/* ideographic space */
	{ B("a\tb\n"), 4, 0 },
	{ B("a\0b"), 3, 0 },
	{ B("\x7f" "\xc2\x85"), 9, 0 },		/* DEL, NEL */
	{ B("\xe2\x80\xa8"), 8, 0 },		/* U+2028 */
	{ B("\xe2\x80\xae"), 8, 0 },		/* U+202E */
	{ B("\x1b]0;PWNED\x07"), 10, 0 },
	{ B("\xff"), 6, 0 },
	{ B("井\xe5\xae"), 14, 0 },		/* truncated 3-byte */
	{ B("\xc0\xaf"), 12, 0 },		/* overlong '/' */
	{ B("\xed\xa0\x80"), 18, 0 },		/* surrogate */
	{ B("\xf4\x90\x80\x80"), 24, 0 },	/* above U+10FFFF */
	{ B("\xef\xbf\xbe"), 1, 0 },		/* U+FFFE, unknown */
	{ B("\xf4\x8f\xbf\xbf"), 1, 0 },	/* U+10FFFF, unknown */
	{ B("\xef\xbb\xbf" "a"), 1, 0 },	/* BOM is 0 columns */
	{ B(ELLIPSIS), 1, AMB },
	{ B("早7点—9点"), 9, AMB },		/* U+2014 */
	{ B("“井盖”"), 6, AMB },		/* U+201C, U+201D */
};

static void
test_width_cols(void **state)
{
	size_t	i, skipped = 0;
	int	got, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(cols_rows); i++) {
		if (cols_rows[i].amb && !amb_narrow()) {
			skipped++;
			continue;
		}
		got = width_cols(cols_rows[i].s, cols_rows[i].len);
		if (got != cols_rows[i].cols) {
			print_error("cols row %zu: %d, want %d\n", i, got,
			    cols_rows[i].cols);
			bad++;
		}
	}
	if (skipped > 0)
		print_message("cols: %zu rows skipped, wcwidth(U+2026) is "
		    "%d\n", skipped, wcwidth(0x2026));
	assert_int_equal(width_cols(NULL, 0), 0);
	assert_int_equal(bad, 0);
}

/* --- width_fit ------------------------------------------------------ */

struct fit_row {
	const char	*s;
	size_t		 len;
	int		 cols;
	unsigned	 flags;
	size_t		 outlen;	/* 0 for BIGBUF */
	const char	*want;
	int		 used;
	int		 amb;
};

static const struct fit_row fit_rows[] = {
	/* ASCII */
	{ B("hello"), 10, 0, 0, "hello", 5, 0 },
	{ B("hello"), 10, PAD, 0, "hello     ", 10, 0 },
	{ B("hello"), 5, 0, 0, "hello", 5, 0 },
	{ B("hello"), 3, 0, 0, "hel", 3, 0 },
	{ B(""), 5, 0, 0, "", 0, 0 },
	{ B(""), 3, PAD, 0, "   ", 3, 0 },
	{ B(""), 3, ELL, 0, "", 0, 0 },
	{ NULL, 0, 3, PAD, 0, "   ", 3, 0 },

	/* Chinese: cut between characters, never inside one */
	{ B(WJ), 14, 0, 0, WJ, 14, 0 },
	{ B(WJ), 14, PAD, 0, WJ, 14, 0 },
	{ B(WJ), 20, PAD, 0, WJ "      ", 20, 0 },
	{ B(WJ), 13, 0, 0, "望京路井盖缺", 12, 0 },
	{ B(WJ), 13, PAD, 0, "望京路井盖缺 ", 13, 0 },
	{ B(WJ), 2, 0, 0, "望", 2, 0 },
	{ B(WJ), 1, 0, 0, "", 0, 0 },
	{ B(WJ), 1, PAD, 0, " ", 1, 0 },
	{ B(WJ), 0, 0, 0, "", 0, 0 },
	{ B(WJ), 0, PAD, 0, "", 0, 0 },
	{ B(WJ), 0, PAD | ELL, 0, "", 0, 0 },
	{ B(WJ), -3, PAD, 0, "", 0, 0 },
	{ "望京", 4, 10, 0, 0, "望<0xE4>", 8, 0 },	/* len ends inside 京 */

	/* mixed widths */
	{ B("A井B盖"), 6, 0, 0, "A井B盖", 6, 0 },
	{ B("A井B盖"), 5, 0, 0, "A井B", 4, 0 },
	{ B("A井B盖"), 5, PAD, 0, "A井B ", 5, 0 },
	{ B("A井B盖"), 3, 0, 0, "A井", 3, 0 },
	{ B("A井B盖"), 2, 0, 0, "A", 1, 0 },
	{ B("A井B盖"), 2, PAD, 0, "A ", 2, 0 },

	/* ellipsis: the total, ellipsis included, fits in cols */
	{ B(WJ), 8, ELL, 0, "望京路" ELLIPSIS, 7, AMB },
	{ B(WJ), 8, ELL | PAD, 0, "望京路" ELLIPSIS " ", 8, AMB },
	{ B(WJ), 7, ELL, 0, "望京路" ELLIPSIS, 7, AMB },
	{ B(WJ), 13, ELL, 0, "望京路井盖缺" ELLIPSIS, 13, AMB },
	{ B(WJ), 14, ELL, 0, WJ, 14, AMB },	/* fits: no ellipsis */
	{ B(WJ), 16, ELL | PAD, 0, WJ "  ", 16, AMB },
	{ B(WJ), 2, ELL, 0, ELLIPSIS, 1, AMB },
	{ B(WJ), 2, ELL | PAD, 0, ELLIPSIS " ", 2, AMB },
	{ B(WJ), 1, ELL, 0, ELLIPSIS, 1, AMB },
	{ B("A井B盖"), 5, ELL, 0, "A井B" ELLIPSIS, 5, AMB },
	{ B("A井B盖"), 4, ELL, 0, "A井" ELLIPSIS, 4, AMB },
	{ B("hello"), 3, ELL, 0, "he" ELLIPSIS, 3, AMB },
	{ B("hello"), 5, ELL, 0, "hello", 5, AMB },

	/* controls drawn as Control Pictures (core/vis.h): one line */
	{ B("井盖\n缺失"), 20, 0, 0, "井盖" P_LF "缺失", 9, 0 },
	{ B("a\tb"), 3, 0, 0, "a" P_HT "b", 3, 0 },
	{ B("a\x1f" "b"), 3, 0, 0, "a" P_US "b", 3, 0 },
	{ B("a\r\nb"), 10, 0, 0, "a" P_CR P_LF "b", 4, 0 },
	{ B("a\0b"), 10, 0, 0, "a" P_NUL "b", 3, 0 },
	{ B("\x1b]0;PWNED\x07"), 20, 0, 0, P_ESC "]0;PWNED" P_BEL, 10, 0 },
	{ B("\x1b[2J"), 3, 0, 0, P_ESC "[2", 3, 0 },
	{ B("井盖\n缺失"), 5, 0, 0, "井盖" P_LF, 5, 0 },
	{ B("井盖\n缺失"), 5, ELL, 0, "井盖" ELLIPSIS, 5, AMB },

	/* DEL, C1, bidi and separators: "<U+hhhh>", 8 columns, never split */
	{ B("\x7f" "\xc2\x85"), 10, 0, 0, P_DEL "<U+0085>", 9, 0 },
	{ B("a\xe2\x80\xa8" "b"), 10, 0, 0, "a<U+2028>b", 10, 0 },
	{ B("a\xe2\x80\xae" "b"), 10, 0, 0, "a<U+202E>b", 10, 0 },
	{ B("a\xe2\x80\xae" "b"), 8, PAD, 0, "a       ", 8, 0 },
	{ B("ab\xe2\x80\xae"), 9, ELL, 0, "ab" ELLIPSIS, 3, AMB },
	{ B("望\xc2\x9b" "2J"), 12, 0, 0, "望<U+009B>2J", 12, 0 },
	{ B("\xe2\x81\xa6" "x"), 4, PAD, 0, "    ", 4, 0 },
	{ B("a\xe2\x80\xae" "b"), 10, 0, 9, "a", 1, 0 },	/* out too small */

	/* invalid bytes: "<0xhh>" each, 6 columns */
	{ B("a\xff" "b"), 10, 0, 0, "a<0xFF>b", 8, 0 },
	{ B("a\xff" "b"), 2, 0, 0, "a", 1, 0 },
	{ B("a\xff" "b"), 7, PAD, 0, "a<0xFF>", 7, 0 },
	{ B("井\xe5\xae"), 20, 0, 0, "井<0xE5><0xAE>", 14, 0 },
	{ B("\xe5\xae井"), 20, 0, 0, "<0xE5><0xAE>井", 14, 0 },
	{ B("\x80"), 10, 0, 0, "<0x80>", 6, 0 },
	{ B("\x9b"), 10, 0, 0, "<0x9B>", 6, 0 },		/* raw C1 byte */
	{ B("\xc0\xaf"), 20, 0, 0, "<0xC0><0xAF>", 12, 0 },
	{ B("\xe0\x80\xaf"), 20, 0, 0, "<0xE0><0x80><0xAF>", 18, 0 },
	{ B("\xed\xa0\x80"), 20, 0, 0, "<0xED><0xA0><0x80>", 18, 0 },
	{ B("\xf4\x90\x80\x80"), 30, 0, 0, "<0xF4><0x90><0x80><0x80>", 24,
	    0 },
	{ B("\xef\xbf\xbe"), 10, 0, 0, "?", 1, 0 },	/* U+FFFE */

	/* a combining mark stays with its base */
	{ B("e\xcc\x81"), 1, 0, 0, "e\xcc\x81", 1, 0 },
	{ B("e\xcc\x81" "x"), 1, 0, 0, "e\xcc\x81", 1, 0 },
	{ B("e\xcc\x81" "x"), 2, PAD, 0, "e\xcc\x81" "x", 2, 0 },
	{ B("e\xcc\x81"), 0, 0, 0, "", 0, 0 },
	{ B("\xcc\x81" "a"), 0, 0, 0, "", 0, 0 },	/* 0 cols: nothing */
	{ B("\xcc\x81" "a"), 1, 0, 0, "\xcc\x81" "a", 1, 0 },

	/* full-width punctuation is two columns */
	{ B("井盖，缺失"), 10, 0, 0, "井盖，缺失", 10, 0 },
	{ B("井盖，缺失"), 5, 0, 0, "井盖", 4, 0 },
	{ B("井盖，缺失"), 6, 0, 0, "井盖，", 6, 0 },
	{ B("，"), 1, PAD, 0, " ", 1, 0 },

	/* out too small: cut earlier, whole characters, NUL-terminated */
	{ B(WJ), 14, 0, 5, "望", 2, 0 },
	{ B(WJ), 14, PAD, 5, "望 ", 3, 0 },
	{ B(WJ), 14, 0, 4, "望", 2, 0 },
	{ B(WJ), 14, 0, 3, "", 0, 0 },
	{ B(WJ), 14, PAD, 3, "  ", 2, 0 },
	{ B(WJ), 14, 0, 1, "", 0, 0 },
	{ B(WJ), 14, ELL, 8, "望" ELLIPSIS, 3, AMB },
	{ B(WJ), 14, ELL, 3, "", 0, AMB },	/* no room for U+2026 */
	{ B("hello"), 10, PAD, 4, "hel", 3, 0 },
	{ B("e\xcc\x81"), 1, 0, 2, "e", 1, 0 },
};

/* Run one row; returns the number of mismatches (printed). */
static int
fit_run(size_t i, const struct fit_row *r)
{
	char	out[BIGBUF + 1];
	size_t	outlen, n;
	int	used = -1;

	outlen = r->outlen != 0 ? r->outlen : BIGBUF;
	memset(out, 'X', sizeof out);
	n = width_fit(r->s, r->len, r->cols, r->flags, out, outlen, &used);
	if (n != strlen(r->want) || strcmp(out, r->want) != 0 ||
	    used != r->used) {
		print_error("fit row %zu: \"%s\" (%zu bytes, %d cols), want "
		    "\"%s\" (%zu bytes, %d cols)\n", i, out, n, used,
		    r->want, strlen(r->want), r->used);
		return 1;
	}
	if (out[outlen] != 'X') {
		print_error("fit row %zu: wrote past outlen\n", i);
		return 1;
	}
	return 0;
}

static void
test_width_fit(void **state)
{
	char	out[16];
	size_t	i, skipped = 0;
	int	bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(fit_rows); i++) {
		if (fit_rows[i].amb && !amb_narrow())
			skipped++;
		else
			bad += fit_run(i, &fit_rows[i]);
	}
	if (skipped > 0)
		print_message("fit: %zu rows skipped, wcwidth(U+2026) is "
		    "%d\n", skipped, wcwidth(0x2026));
	/* used may be NULL */
	assert_int_equal(width_fit(B("井盖"), 3, PAD, out, sizeof out, NULL),
	    4);
	assert_string_equal(out, "井 ");
	assert_int_equal(bad, 0);
}

/* --- width_pad_left ------------------------------------------------- */

static const struct {
	const char	*s;
	int		 cols;
	size_t		 outlen;	/* 0 for BIGBUF */
	const char	*want;
	int		 ret;
	int		 amb;
} pad_rows[] = {
	{ "42", 5, 0, "   42", 5, 0 },
	{ "42", 2, 0, "42", 2, 0 },
	{ "", 3, 0, "   ", 3, 0 },
	{ "超时", 6, 0, "  超时", 6, 0 },
	{ "超时", 5, 0, " 超时", 5, 0 },
	{ "超时3天", 7, 0, "超时3天", 7, 0 },
	{ "a\tb", 4, 0, " a" P_HT "b", 4, 0 },
	{ "42", 0, 0, "", 0, 0 },
	{ "42", -1, 0, "", 0, 0 },
	{ "42", 5, 4, " 42", 3, 0 },		/* out too small */
	{ "42", 5, 1, "", 0, 0 },
	{ "12345", 3, 0, "12" ELLIPSIS, 3, AMB },
	{ "超时天", 5, 0, "超时" ELLIPSIS, 5, AMB },
	{ "超时天", 4, 0, " 超" ELLIPSIS, 4, AMB },
};

static void
test_width_pad_left(void **state)
{
	char	out[BIGBUF + 1];
	size_t	i, outlen, skipped = 0;
	int	ret, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(pad_rows); i++) {
		if (pad_rows[i].amb && !amb_narrow()) {
			skipped++;
			continue;
		}
		outlen = pad_rows[i].outlen != 0 ? pad_rows[i].outlen : BIGBUF;
		memset(out, 'X', sizeof out);
		ret = width_pad_left(pad_rows[i].s, pad_rows[i].cols, out,
		    outlen);
		if (ret != pad_rows[i].ret ||
		    strcmp(out, pad_rows[i].want) != 0 || out[outlen] != 'X') {
			print_error("pad row %zu: \"%s\" (%d), want \"%s\" "
			    "(%d)\n", i, out, ret, pad_rows[i].want,
			    pad_rows[i].ret);
			bad++;
		}
	}
	if (skipped > 0)
		print_message("pad: %zu rows skipped, wcwidth(U+2026) is "
		    "%d\n", skipped, wcwidth(0x2026));
	assert_int_equal(bad, 0);
}

/* --- properties over real-looking summaries ------------------------- */

static const char *const summaries[] = {
	"望京路与阜通东大街交叉口井盖缺失，存在安全隐患",
	"小区东门垃圾满溢（约3天未清运），居民多次反映",
	"Route 5 公交站牌倾斜 45°，需加固",
	"占道经营：早7点—9点，“煎饼摊”",
	"噪音扰民…夜间施工至凌晨2点",
	"路灯不亮\n第二行不应换行\t制表符",
	"井盖\xe5\xae缺失\xff（编码损坏）",
	"路灯\x1b]0;PWNED\x07不亮\x1b[2J\xc2\x9b" "2J\xe2\x80\xae倒序\xe2\x81\xa9",
	"Cafe\xcc\x81 门前共享单车乱停放",
	"A井B盖C",
	"",
	"x",
};

/* Length of the strict UTF-8 sequence at p, 0 if invalid; written apart
 * from width.c so that the two do not share a bug. */
static size_t
seq_len(const unsigned char *p, size_t left)
{
	static const struct {
		unsigned char	lo, hi;		/* lead byte range */
		size_t		n;
		unsigned char	lo2, hi2;	/* second byte range */
	} leads[] = {
		{ 0x00, 0x7f, 1, 0, 0 },
		{ 0xc2, 0xdf, 2, 0x80, 0xbf },
		{ 0xe0, 0xe0, 3, 0xa0, 0xbf },
		{ 0xe1, 0xec, 3, 0x80, 0xbf },
		{ 0xed, 0xed, 3, 0x80, 0x9f },
		{ 0xee, 0xef, 3, 0x80, 0xbf },
		{ 0xf0, 0xf0, 4, 0x90, 0xbf },
		{ 0xf1, 0xf3, 4, 0x80, 0xbf },
		{ 0xf4, 0xf4, 4, 0x80, 0x8f },
	};
	size_t	i, k;

	for (i = 0; i < NITEMS(leads); i++) {
		if (p[0] < leads[i].lo || p[0] > leads[i].hi)
			continue;
		if (leads[i].n > left)
			return 0;
		if (leads[i].n > 1 &&
		    (p[1] < leads[i].lo2 || p[1] > leads[i].hi2))
			return 0;
		for (k = 2; k < leads[i].n; k++)
			if ((p[k] & 0xc0) != 0x80)
				return 0;
		return leads[i].n;
	}
	return 0;
}

static int
valid_utf8(const char *s, size_t len)
{
	size_t	off = 0, n;

	while (off < len) {
		if ((n = seq_len((const unsigned char *)s + off,
		    len - off)) == 0)
			return 0;
		off += n;
	}
	return 1;
}

/* 1 when s is valid UTF-8 without ASCII controls or C1 controls (0xc2
 * 0x80 to 0x9f): nothing the summaries hold is then replaced. */
static int
clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return 0;
	return valid_utf8(s, strlen(s));
}

/* 1 when out[0..n), padding aside, ends with the locale's ellipsis. */
static int
ends_ellipsis(const char *out, size_t n)
{
	const char	*e = amb_narrow() ? ELLIPSIS : "...";
	size_t		 elen = strlen(e);

	while (n > 0 && out[n - 1] == ' ')
		n--;
	return n >= elen && memcmp(out + n - elen, e, elen) == 0;
}

/* Check one width_fit output; returns the number of broken properties. */
static int
prop_check(const char *s, int cols, unsigned flags, size_t outlen,
    const char *out, size_t n, int used)
{
	size_t	len = strlen(s), next;
	int	bad = 0, full = outlen == BIGBUF, want = cols > 0 ? cols : 0;

	bad += n >= outlen || strlen(out) != n || out[outlen] != 'X';
	bad += !valid_utf8(out, n);
	bad += width_cols(out, n) != used;
	bad += used < 0 || used > want;
	bad += full && (flags & PAD) && used != want;
	if (full && flags == 0 && clean(s)) {
		/* a prefix of s, and the next character would not fit */
		bad += strncmp(out, s, n) != 0;
		if (n < len) {
			next = seq_len((const unsigned char *)s + n, len - n);
			bad += width_cols(s + n, next) <= cols - used;
		}
	}
	if (full && (flags & ELL) && cols > 2 && width_cols(s, len) > cols)
		bad += !ends_ellipsis(out, n);
	return bad;
}

/* Cut s at cols with every flag set and buffer size; returns the number
 * of failing combinations (printed) and adds those tried to *rows. */
static int
prop_run(const char *s, int cols, int *rows)
{
	static const size_t outlens[] = { BIGBUF, 1, 2, 3, 4, 5, 7, 16 };
	char		 out[BIGBUF + 1];
	size_t		 k, n;
	unsigned	 flags;
	int		 used, bad = 0;

	for (flags = 0; flags <= (PAD | ELL); flags++) {
		for (k = 0; k < NITEMS(outlens); k++) {
			memset(out, 'X', sizeof out);
			n = width_fit(s, strlen(s), cols, flags, out,
			    outlens[k], &used);
			(*rows)++;
			if (prop_check(s, cols, flags, outlens[k], out, n,
			    used) == 0)
				continue;
			print_error("\"%s\", cols %d, flags %u, outlen %zu: "
			    "\"%.*s\" (%zu bytes, %d cols)\n", s, cols,
			    flags, outlens[k], (int)n, out, n, used);
			bad++;
		}
	}
	return bad;
}

static void
test_width_properties(void **state)
{
	size_t	i;
	int	cols, bad = 0, rows = 0;

	(void)state;
	for (i = 0; i < NITEMS(summaries); i++)
		for (cols = -1; cols <= 60; cols++)
			bad += prop_run(summaries[i], cols, &rows);
	print_message("properties: %d combinations\n", rows);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_cols),
		cmocka_unit_test(test_width_fit),
		cmocka_unit_test(test_width_pad_left),
		cmocka_unit_test(test_width_properties),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test-width: no C.UTF-8 locale; widths cannot "
		    "be tested\n");
		return 1;
	}
	if (wcwidth(0x4e95) != 2) {
		fprintf(stderr, "test-width: wcwidth(U+4E95) is %d under "
		    "C.UTF-8, want 2\n", wcwidth(0x4e95));
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
