/*
 * test-jscan.c: table-driven tests of core/jscan.c, the strict JSON pull
 * scanner the console reads snapshot pages with.
 *
 * Each row is input bytes (with their length: a row may hold a NUL or
 * bytes that are not UTF-8) and either the whole token stream, written as
 * text by tok_render below, or the error: its code and the byte offset of
 * the offending byte. The expectations come from RFC 8259 and jscan.h,
 * never from the scanner: what is JSON and what is not, where the first
 * byte that cannot continue a JSON text is, escapes decoded to UTF-8 with
 * surrogate pairs joined, lone surrogates and \u0000 refused, strings that
 * are not strict UTF-8 (core/utf8.c: overlongs, encoded surrogates, past
 * U+10FFFF, cut short, stray continuation bytes) refused where their bad
 * sequence starts, integers exact to the ends of int64_t and reals beyond.
 *
 * Then what a table cannot say: skipping a value (jscan_skip) with the
 * next token right after it, scanning one value of a larger text
 * (jscan_init_at) as the console's second pass does, every string token
 * still valid at the end (the arena never moves), nesting bounded at
 * JSCAN_DEPTH, an error deep in a long text at its exact offset,
 * jscan_error's text, and reals in a decimal-comma locale when one is
 * installed.
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
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "jscan.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* Input bytes with their length. */
#define B(s)		s, sizeof (s) - 1

struct jscan_row {
	const char	*name;
	const char	*in;
	size_t		 len;
	const char	*want;		/* the tokens; NULL: an error */
	int		 code;		/* the error's */
	size_t		 off;
};

/*
 * Tokens as text, one space apart: { } [ ] for the brackets, k"name" and
 * s"text" for keys and strings (bytes below 0x20 as \xNN, the rest as
 * they are), iN for an integer, d%.17g for a real, t f n, and $ for the
 * end.
 */
static const struct jscan_row rows[] = {
	/* good: structure */
	{ "empty object", B("{}"), "{ } $", 0, 0 },
	{ "empty array", B("[]"), "[ ] $", 0, 0 },
	{ "white space of all four kinds around and inside",
	  B(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ]\r\n}\n "),
	  "{ k\"a\" [ i1 i2 ] } $", 0, 0 },
	{ "every scalar as a member",
	  B("{\"no\":\"x\",\"v\":-42,\"t\":true,\"f\":false,\"n\":null}"),
	  "{ k\"no\" s\"x\" k\"v\" i-42 k\"t\" t k\"f\" f k\"n\" n } $", 0, 0 },
	{ "arrays and objects inside each other",
	  B("[1,[2,[3]],{\"a\":[],\"b\":{}}]"),
	  "[ i1 [ i2 [ i3 ] ] { k\"a\" [ ] k\"b\" { } } ] $", 0, 0 },
	{ "a string alone", B("\"plain\""), "s\"plain\" $", 0, 0 },
	{ "a number alone", B("7"), "i7 $", 0, 0 },
	{ "true alone", B("true"), "t $", 0, 0 },
	{ "null alone, white space after", B("null  \n"), "n $", 0, 0 },
	{ "same key twice: both handed out", B("{\"a\":1,\"a\":2}"),
	  "{ k\"a\" i1 k\"a\" i2 } $", 0, 0 },
	{ "empty key and empty string", B("{\"\":\"\"}"), "{ k\"\" s\"\" } $",
	  0, 0 },

	/* good: numbers */
	{ "zero", B("0"), "i0 $", 0, 0 },
	{ "minus zero is the integer 0", B("-0"), "i0 $", 0, 0 },
	{ "a large integer", B("123456789012"), "i123456789012 $", 0, 0 },
	{ "int64 max", B("9223372036854775807"), "i9223372036854775807 $", 0,
	  0 },
	{ "int64 min", B("-9223372036854775808"),
	  "i-9223372036854775808 $", 0, 0 },
	{ "int64 max + 1 is a real", B("9223372036854775808"),
	  "d9.2233720368547758e+18 $", 0, 0 },
	{ "int64 min - 1 is a real", B("-9223372036854775809"),
	  "d-9.2233720368547758e+18 $", 0, 0 },
	{ "a fraction", B("1.5"), "d1.5 $", 0, 0 },
	{ "a fraction of zero is a real", B("1.0"), "d1 $", 0, 0 },
	{ "0.1 as %.17g", B("0.1"), "d0.10000000000000001 $", 0, 0 },
	{ "negative with an exponent", B("-0.5e2"), "d-50 $", 0, 0 },
	{ "capital E", B("1E3"), "d1000 $", 0, 0 },
	{ "negative exponent", B("2e-2"), "d0.02 $", 0, 0 },
	{ "exponent with a plus", B("1e+2"), "d100 $", 0, 0 },
	{ "numbers in an array", B("[0,-1,2.5]"), "[ i0 i-1 d2.5 ] $", 0,
	  0 },

	/* good: strings */
	{ "the two-character escapes",
	  B("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""),
	  "s\"a\"b\\c/d\\x08\\x0c\\x0a\\x0d\\x09\" $", 0, 0 },
	{ "\\u escapes: two and three bytes, a surrogate pair",
	  B("\"\\u00e9\\u4e2d\\uD83D\\uDE00\""),
	  "s\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\" $", 0, 0 },
	{ "\\u upper and lower case hex", B("\"\\u00E9\\u00e9\\u0041\""),
	  "s\"\xc3\xa9\xc3\xa9" "A\" $", 0, 0 },
	{ "\\u001f and \\u007f", B("\"\\u001f\\u007f\""),
	  "s\"\\x1f\x7f\" $", 0, 0 },
	{ "U+FFFF and U+10FFFF", B("\"\\uffff\\udbff\\udfff\""),
	  "s\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\" $", 0, 0 },
	{ "Chinese as it is", B("\"路灯不亮\""), "s\"路灯不亮\" $", 0, 0 },
	{ "four-byte UTF-8 as it is", B("\"\xf0\x9f\x8f\xa2\""),
	  "s\"\xf0\x9f\x8f\xa2\" $", 0, 0 },
	{ "Chinese, an escape, Chinese", B("\"井盖\\n缺失\""),
	  "s\"井盖\\x0a缺失\" $", 0, 0 },
	{ "escape first and last", B("\"\\tx\\\"\""), "s\"\\x09x\"\" $", 0,
	  0 },
	{ "a key with an escape", B("{\"k\\u0041\":1}"), "{ k\"kA\" i1 } $",
	  0, 0 },
	{ "DEL passes", B("\"a\x7f\""), "s\"a\x7f\" $", 0, 0 },
	{ "raw UTF-8 at the edges of the quick checks",
	  B("\"\xc2\x80\xdf\xbf\xe1\x80\x80\xec\xbf\xbf\xee\x80\x80"
	    "\xef\xbf\xbf\xed\x9f\xbf\xe0\xa0\x80\xf0\x90\x80\x80\""),
	  "s\"\xc2\x80\xdf\xbf\xe1\x80\x80\xec\xbf\xbf\xee\x80\x80"
	  "\xef\xbf\xbf\xed\x9f\xbf\xe0\xa0\x80\xf0\x90\x80\x80\" $", 0, 0 },

	/* bad: structure */
	{ "nothing", B(""), NULL, GL_EPARSE, 0 },
	{ "only white space", B("   "), NULL, GL_EPARSE, 3 },
	{ "{ alone", B("{"), NULL, GL_EPARSE, 1 },
	{ "[ alone", B("["), NULL, GL_EPARSE, 1 },
	{ "key without ':'", B("{\"a\"}"), NULL, GL_EPARSE, 4 },
	{ "key without a value", B("{\"a\":}"), NULL, GL_EPARSE, 5 },
	{ "trailing comma in an object", B("{\"a\":1,}"), NULL, GL_EPARSE,
	  7 },
	{ "trailing comma in an array", B("[1,]"), NULL, GL_EPARSE, 3 },
	{ "no comma in an array", B("[1 2]"), NULL, GL_EPARSE, 3 },
	{ "no comma in an object", B("{\"a\":1 \"b\":2}"), NULL, GL_EPARSE,
	  7 },
	{ "a number as a key", B("{1:2}"), NULL, GL_EPARSE, 1 },
	{ "single quotes", B("{'a':1}"), NULL, GL_EPARSE, 1 },
	{ "] for {", B("{]"), NULL, GL_EPARSE, 1 },
	{ "} for [", B("[}"), NULL, GL_EPARSE, 1 },
	{ "} after an array's element", B("[1}"), NULL, GL_EPARSE, 2 },
	{ "] alone", B("]"), NULL, GL_EPARSE, 0 },
	{ "text after the value", B("{\"a\":1}x"), NULL, GL_EPARSE, 7 },
	{ "a second close", B("{\"a\":1}}"), NULL, GL_EPARSE, 7 },
	{ "two values", B("\"a\" \"b\""), NULL, GL_EPARSE, 4 },
	{ "a NUL between values", B("[1,\0]"), NULL, GL_EPARSE, 3 },
	{ "cut after a comma", B("[1,"), NULL, GL_EPARSE, 3 },
	{ "cut after a key", B("{\"a\":"), NULL, GL_EPARSE, 5 },
	{ "a comment", B("[1 /* x */]"), NULL, GL_EPARSE, 3 },

	/* bad: words and numbers */
	{ "tru, cut", B("tru"), NULL, GL_EPARSE, 3 },
	{ "trux", B("trux"), NULL, GL_EPARSE, 3 },
	{ "True", B("True"), NULL, GL_EPARSE, 0 },
	{ "NaN", B("NaN"), NULL, GL_EPARSE, 0 },
	{ "truex: true, then text", B("truex"), NULL, GL_EPARSE, 4 },
	{ "leading zero", B("01"), NULL, GL_EPARSE, 1 },
	{ "leading zero in an array", B("[01]"), NULL, GL_EPARSE, 2 },
	{ "- alone", B("-"), NULL, GL_EPARSE, 1 },
	{ "-a", B("-a"), NULL, GL_EPARSE, 1 },
	{ "1.", B("1."), NULL, GL_EPARSE, 2 },
	{ "1.e3", B("1.e3"), NULL, GL_EPARSE, 2 },
	{ "1e", B("1e"), NULL, GL_EPARSE, 2 },
	{ "1e+", B("1e+"), NULL, GL_EPARSE, 3 },
	{ ".5", B(".5"), NULL, GL_EPARSE, 0 },
	{ "+1", B("+1"), NULL, GL_EPARSE, 0 },
	{ "hex", B("0x10"), NULL, GL_EPARSE, 1 },

	/* bad: strings */
	{ "unterminated", B("\"abc"), NULL, GL_EPARSE, 0 },
	{ "unterminated after an escape", B("[\"a\\n"), NULL, GL_EPARSE, 1 },
	{ "backslash at the end", B("\"a\\"), NULL, GL_EPARSE, 2 },
	{ "a raw control byte", B("\"a\x01" "b\""), NULL, GL_EPARSE, 2 },
	{ "a raw newline", B("\"a\nb\""), NULL, GL_EPARSE, 2 },
	{ "a raw NUL", B("\"a\0b\""), NULL, GL_EPARSE, 2 },
	{ "a raw tab after an escape", B("\"\\n\tb\""), NULL, GL_EPARSE, 3 },
	{ "unknown escape", B("\"a\\qb\""), NULL, GL_EPARSE, 2 },
	{ "\\x escape", B("\"\\x41\""), NULL, GL_EPARSE, 1 },
	{ "\\u with three digits", B("\"\\u12\""), NULL, GL_EPARSE, 1 },
	{ "\\u with a bad digit", B("\"\\u12G4\""), NULL, GL_EPARSE, 1 },
	{ "\\u0000", B("\"a\\u0000\""), NULL, GL_EPARSE, 2 },
	{ "lone low surrogate", B("\"\\uDC00\""), NULL, GL_EUTF8, 1 },
	{ "lone high surrogate", B("\"\\uD800\""), NULL, GL_EUTF8, 1 },
	{ "high surrogate, then a letter", B("\"x\\uD800x\""), NULL, GL_EUTF8,
	  2 },
	{ "high surrogate, then not a low one", B("\"\\uD800\\u0041\""), NULL,
	  GL_EUTF8, 1 },
	{ "two high surrogates", B("\"\\uD800\\uD800\""), NULL, GL_EUTF8,
	  1 },

	/* bad: bytes that are not UTF-8 */
	{ "0xff", B("\"\xff\""), NULL, GL_EUTF8, 1 },
	{ "a stray continuation byte", B("\"a\x80\""), NULL, GL_EUTF8, 2 },
	{ "overlong '/'", B("\"a\xc0\xaf\""), NULL, GL_EUTF8, 2 },
	{ "overlong three-byte", B("\"\xe0\x80\xaf\""), NULL, GL_EUTF8, 1 },
	{ "an encoded surrogate", B("\"\xed\xa0\x80\""), NULL, GL_EUTF8, 1 },
	{ "past U+10FFFF", B("\"\xf4\x90\x80\x80\""), NULL, GL_EUTF8, 1 },
	{ "cut short by the quote", B("\"\xe4\xb8\""), NULL, GL_EUTF8, 1 },
	{ "cut short by the end", B("\"\xe4\xb8"), NULL, GL_EUTF8, 1 },
	{ "not UTF-8 after Chinese", B("\"路灯\xfe\""), NULL, GL_EUTF8, 7 },
	{ "not UTF-8 after an escape", B("\"\\n\xff\""), NULL, GL_EUTF8, 3 },
	{ "not UTF-8 in a key", B("{\"\xc3\":1}"), NULL, GL_EUTF8, 2 },
	{ "a two-byte lead, then ASCII", B("\"a\xc3(\""), NULL, GL_EUTF8, 2 },
	{ "a three-byte lead, one continuation", B("\"\xe4\xb8(\""), NULL,
	  GL_EUTF8, 1 },
	{ "0xc1 lead (overlong)", B("\"\xc1\xbf\""), NULL, GL_EUTF8, 1 },
	{ "0xf5 lead", B("\"\xf5\x80\x80\x80\""), NULL, GL_EUTF8, 1 },
};

/* s->str as the rows write it. */
static void
tok_render_str(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && *o + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20)
			*o += (size_t)snprintf(out + *o, cap - *o, "\\x%02x", c);
		else
			out[(*o)++] = (char)c;
	}
	out[*o] = '\0';
}

/* Scan all of in, tokens as text into out; the last token. */
static enum jscan_tok
tok_render(struct jscan *s, char *out, size_t cap)
{
	enum jscan_tok	t;
	size_t		o = 0;

	out[0] = '\0';
	for (;;) {
		t = jscan_next(s);
		if (t == JT_ERROR || o + 64 > cap)
			return t;
		if (o > 0)
			out[o++] = ' ';
		switch (t) {
		case JT_END: out[o++] = '$'; break;
		case JT_OBJ: out[o++] = '{'; break;
		case JT_OBJ_END: out[o++] = '}'; break;
		case JT_ARR: out[o++] = '['; break;
		case JT_ARR_END: out[o++] = ']'; break;
		case JT_TRUE: out[o++] = 't'; break;
		case JT_FALSE: out[o++] = 'f'; break;
		case JT_NULL: out[o++] = 'n'; break;
		case JT_NUM:
			o += (size_t)(s->is_int ? snprintf(out + o, cap - o,
			    "i%lld", (long long)s->i) : snprintf(out + o,
			    cap - o, "d%.17g", s->d));
			break;
		default:
			out[o++] = t == JT_KEY ? 'k' : 's';
			out[o++] = '"';
			tok_render_str(out, cap, &o, s->str, s->n);
			out[o++] = '"';
			break;
		}
		out[o] = '\0';
		if (t == JT_END)
			return t;
	}
}

static size_t
rows_check(const char *where)
{
	struct jscan	s;
	char		got[1024];
	size_t		i, bad = 0;
	enum jscan_tok	t;

	for (i = 0; i < NITEMS(rows); i++) {
		const struct jscan_row *r = &rows[i];

		jscan_init(&s, r->in, r->len);
		t = tok_render(&s, got, sizeof got);
		if (r->want != NULL && (t != JT_END ||
		    strcmp(got, r->want) != 0)) {
			print_error("%s: %s: got %s%s%s, want %s\n", where,
			    r->name, got, t == JT_ERROR ? " then error: " : "",
			    t == JT_ERROR ? s.err : "", r->want);
			bad++;
		} else if (r->want == NULL && (t != JT_ERROR ||
		    s.code != r->code || s.err_off != r->off)) {
			print_error("%s: %s: got %s (%s at %zu, code %d), "
			    "want code %d at %zu\n", where, r->name, got,
			    t == JT_ERROR ? s.err : "no error", s.err_off,
			    s.code, r->code, r->off);
			bad++;
		} else if (r->want == NULL && jscan_next(&s) != JT_ERROR) {
			print_error("%s: %s: the error is not sticky\n", where,
			    r->name);
			bad++;
		}
		jscan_free(&s);
	}
	return bad;
}

static void
test_jscan_table(void **state)
{
	(void)state;
	assert_int_equal(rows_check("C"), 0);
}

/* jscan_skip: over objects and arrays, nothing after a scalar; strings
 * inside are checked though not decoded. */
static void
test_jscan_skip(void **state)
{
	static const char text[] = "{\"a\":[1,{\"b\":\"x\\ny\",\"c\":[[]]}],"
	    "\"d\":\"\\u4e2d\",\"e\":{},\"f\":2}";
	static const char bad[] = "{\"a\":[1,\"\\uD800\"],\"f\":2}";
	struct jscan	s;

	(void)state;
	jscan_init(&s, text, sizeof text - 1);
	assert_int_equal(jscan_next(&s), JT_OBJ);
	assert_int_equal(jscan_next(&s), JT_KEY);
	assert_int_equal(jscan_next(&s), JT_ARR);
	assert_int_equal(jscan_skip(&s), 0);
	assert_int_equal(jscan_next(&s), JT_KEY);
	assert_int_equal(s.n, 1);
	assert_memory_equal(s.str, "d", 1);
	assert_int_equal(jscan_next(&s), JT_STR);
	assert_int_equal(jscan_skip(&s), 0);	/* a scalar: nothing */
	assert_int_equal(s.n, 3);
	assert_memory_equal(s.str, "\xe4\xb8\xad", 3);
	assert_int_equal(jscan_next(&s), JT_KEY);
	assert_int_equal(jscan_next(&s), JT_OBJ);
	assert_int_equal(jscan_skip(&s), 0);	/* empty */
	assert_int_equal(jscan_next(&s), JT_KEY);
	assert_memory_equal(s.str, "f", 1);
	assert_int_equal(jscan_next(&s), JT_NUM);
	assert_int_equal(s.i, 2);
	assert_int_equal(jscan_next(&s), JT_OBJ_END);
	assert_int_equal(jscan_next(&s), JT_END);
	jscan_free(&s);

	/* the whole text skipped at once, then its end */
	jscan_init(&s, text, sizeof text - 1);
	assert_int_equal(jscan_next(&s), JT_OBJ);
	assert_int_equal(jscan_skip(&s), 0);
	assert_int_equal(jscan_next(&s), JT_END);
	jscan_free(&s);

	/* a bad string inside what is skipped is still an error */
	jscan_init(&s, bad, sizeof bad - 1);
	assert_int_equal(jscan_next(&s), JT_OBJ);
	assert_int_equal(jscan_next(&s), JT_KEY);
	assert_int_equal(jscan_next(&s), JT_ARR);
	assert_int_equal(jscan_skip(&s), GL_EUTF8);
	assert_int_equal(s.err_off, 9);
	assert_int_equal(jscan_next(&s), JT_ERROR);
	jscan_free(&s);
}

/* jscan_skip_loose: past brackets inside strings and escaped quotes, to
 * where jscan_skip ends on every good row of the table; nothing inside
 * checked; a text that ends first is an error. */
static void
test_jscan_skip_loose(void **state)
{
	static const char text[] = "{\"a\":[1,{\"b\":\"x]}\\\"[{\"},"
	    "\"\\\\\",\"\\\\\\\"]\"],\"c\":2}";
	struct jscan	s, t;
	size_t		i, bad = 0;

	(void)state;
	jscan_init(&s, text, sizeof text - 1);
	assert_int_equal(jscan_next(&s), JT_OBJ);
	assert_int_equal(jscan_next(&s), JT_KEY);
	assert_int_equal(jscan_next(&s), JT_ARR);
	assert_int_equal(jscan_skip_loose(&s), 0);
	assert_int_equal(s.tok, JT_ARR_END);
	assert_int_equal(jscan_next(&s), JT_KEY);
	assert_memory_equal(s.str, "c", 1);
	assert_int_equal(jscan_next(&s), JT_NUM);
	assert_int_equal(jscan_skip_loose(&s), 0);	/* a scalar: nothing */
	assert_int_equal(jscan_next(&s), JT_OBJ_END);
	assert_int_equal(jscan_next(&s), JT_END);
	jscan_free(&s);

	for (i = 0; i < NITEMS(rows); i++) {
		if (rows[i].want == NULL || (rows[i].in[0] != '{' &&
		    rows[i].in[0] != '['))
			continue;
		jscan_init(&s, rows[i].in, rows[i].len);
		jscan_init(&t, rows[i].in, rows[i].len);
		jscan_next(&s);
		jscan_next(&t);
		if (jscan_skip_loose(&s) != 0 || jscan_skip(&t) != 0 ||
		    s.pos != t.pos || jscan_next(&s) != JT_END) {
			print_error("%s: loose skip ends at %zu, skip at %zu\n",
			    rows[i].name, s.pos, t.pos);
			bad++;
		}
		jscan_free(&s);
		jscan_free(&t);
	}
	assert_int_equal(bad, 0);

	/* nothing inside is checked ... */
	jscan_init(&s, B("[1,,x,\"\xff\"]"));
	assert_int_equal(jscan_next(&s), JT_ARR);
	assert_int_equal(jscan_skip_loose(&s), 0);
	assert_int_equal(jscan_next(&s), JT_END);
	jscan_free(&s);
	/* ... but a text that ends inside is an error */
	jscan_init(&s, B("[[1,\"]\"]"));
	assert_int_equal(jscan_next(&s), JT_ARR);
	assert_int_equal(jscan_skip_loose(&s), GL_EPARSE);
	assert_int_equal(s.err_off, 8);
	jscan_free(&s);
	jscan_init(&s, B("[\"a\\\"]"));	/* ["a\"] */
	assert_int_equal(jscan_next(&s), JT_ARR);
	assert_int_equal(jscan_skip_loose(&s), GL_EPARSE);
	jscan_free(&s);
}

/* The console's two passes: the page's members first, skipping "cases";
 * then the cases alone, from the offset the first pass noted. */
static void
test_jscan_init_at(void **state)
{
	static const char text[] = "{\"ok\":true,\"cases\":[{\"no\":\"a\"},"
	    "{\"no\":\"b\\u00e9\"}],\"next\":42}";
	struct jscan	s;
	size_t		at = 0;
	int64_t		next = 0;
	enum jscan_tok	t;
	char		got[256];

	(void)state;
	jscan_init(&s, text, sizeof text - 1);
	assert_int_equal(jscan_next(&s), JT_OBJ);
	while ((t = jscan_next(&s)) == JT_KEY) {
		int cases = s.n == 5 && memcmp(s.str, "cases", 5) == 0;
		int isnext = s.n == 4 && memcmp(s.str, "next", 4) == 0;

		t = jscan_next(&s);
		if (cases)
			at = s.off;
		if (isnext)
			next = s.i;
		assert_int_equal(jscan_skip(&s), 0);
	}
	assert_int_equal(t, JT_OBJ_END);
	assert_int_equal(jscan_next(&s), JT_END);
	jscan_free(&s);
	assert_int_equal(next, 42);
	assert_int_equal(at, 19);
	assert_int_equal(text[at], '[');

	jscan_init_at(&s, text, sizeof text - 1, at);
	assert_int_equal(tok_render(&s, got, sizeof got), JT_END);
	assert_string_equal(got, "[ { k\"no\" s\"a\" } { k\"no\" s\"b\xc3\xa9\" "
	    "} ] $");
	jscan_free(&s);

	/* offsets stay the whole text's */
	jscan_init_at(&s, "{\"a\":[1,x]}", 11, 5);
	assert_int_equal(jscan_next(&s), JT_ARR);
	assert_int_equal(s.off, 5);
	assert_int_equal(jscan_next(&s), JT_NUM);
	assert_int_equal(jscan_next(&s), JT_ERROR);
	assert_int_equal(s.err_off, 8);
	jscan_free(&s);
}

/* Every string token stays as it was until jscan_free: the reader keeps a
 * case's fields and copies them at the end. */
static void
test_jscan_arena(void **state)
{
	static const char text[] = "[\"a\\nb\",\"plain\",\"\\u4e2d\\u6587\","
	    "{\"k\\t\":\"\\\"q\\\"\"},\"\\ud83d\\ude00x\",\"last\\\\\"]";
	static const char *const want[] = { "a\nb", "plain", "中文", "k\t",
	    "\"q\"", "\xf0\x9f\x98\x80x", "last\\" };
	struct jscan	 s;
	const char	*p[8];
	size_t		 n[8], k = 0, i;
	enum jscan_tok	 t;

	(void)state;
	jscan_init(&s, text, sizeof text - 1);
	while ((t = jscan_next(&s)) != JT_END && t != JT_ERROR)
		if ((t == JT_STR || t == JT_KEY) && k < 8) {
			p[k] = s.str;
			n[k++] = s.n;
		}
	assert_int_equal(t, JT_END);
	assert_int_equal(k, NITEMS(want));
	for (i = 0; i < k; i++) {
		assert_int_equal(n[i], strlen(want[i]));
		assert_memory_equal(p[i], want[i], n[i]);
	}
	jscan_free(&s);
}

/* JSCAN_DEPTH levels are fine, one more is an error at its bracket, in
 * arrays alone and in objects and arrays by turns, however long the
 * text. */
static void
test_jscan_depth(void **state)
{
	static const char unit[] = "[{\"a\":";	/* two levels */
	size_t		 big = 6 * 200000, i;
	char		 text[2 * JSCAN_DEPTH + 8], *deep;
	struct jscan	 s;
	enum jscan_tok	 t;

	(void)state;
	memset(text, '[', JSCAN_DEPTH);
	memset(text + JSCAN_DEPTH, ']', JSCAN_DEPTH);
	jscan_init(&s, text, 2 * JSCAN_DEPTH);
	while ((t = jscan_next(&s)) != JT_END && t != JT_ERROR)
		;
	assert_int_equal(t, JT_END);
	jscan_free(&s);

	memset(text, '[', JSCAN_DEPTH + 1);
	jscan_init(&s, text, JSCAN_DEPTH + 1);
	while ((t = jscan_next(&s)) != JT_END && t != JT_ERROR)
		;
	assert_int_equal(t, JT_ERROR);
	assert_int_equal(s.err_off, JSCAN_DEPTH);
	jscan_free(&s);

	/* [{"a":[{"a":... : the 65th bracket is unit 32's '[' */
	assert_non_null(deep = malloc(big));
	for (i = 0; i < big; i += 6)
		memcpy(deep + i, unit, 6);
	jscan_init(&s, deep, big);
	while ((t = jscan_next(&s)) != JT_END && t != JT_ERROR)
		;
	assert_int_equal(t, JT_ERROR);
	assert_int_equal(s.err_off, 6 * (JSCAN_DEPTH / 2));
	assert_int_equal(s.depth, JSCAN_DEPTH);
	jscan_free(&s);
	free(deep);
}

/* A bad byte after 100,000 good elements: its offset exactly. */
static void
test_jscan_long(void **state)
{
	size_t		 n = 100000, i, o = 0, cap = n * 32 + 64, bad_at;
	char		*text = malloc(cap);
	struct jscan	 s;
	enum jscan_tok	 t;
	size_t		 count = 0;

	(void)state;
	assert_non_null(text);
	text[o++] = '[';
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(text + o, cap - o, "%s{\"n\":%zu,\"s\":"
		    "\"井盖\\n\"}", i ? "," : "", i);
	bad_at = o + 1;
	o += (size_t)snprintf(text + o, cap - o, ",\"\x80\"]");
	jscan_init(&s, text, o);
	while ((t = jscan_next(&s)) != JT_END && t != JT_ERROR)
		count += t == JT_NUM && s.is_int;
	assert_int_equal(t, JT_ERROR);
	assert_int_equal(s.code, GL_EUTF8);
	assert_int_equal(s.err_off, bad_at + 1);
	assert_int_equal(count, n);
	jscan_free(&s);
	free(text);
}

static void
test_jscan_error_text(void **state)
{
	struct jscan	s;
	char		err[128];

	(void)state;
	jscan_init(&s, "[1,]", 4);
	while (jscan_next(&s) != JT_ERROR)
		;
	assert_int_equal(jscan_error(&s, err, sizeof err), GL_EPARSE);
	assert_string_equal(err, "offset 3: value expected");
	jscan_free(&s);

	jscan_init(&s, "[1]", 3);
	while (jscan_next(&s) != JT_END)
		;
	assert_int_equal(jscan_error(&s, err, sizeof err), 0);
	jscan_free(&s);
}

/* Reals in a decimal-comma locale (the console runs in the user's). */
static void
test_jscan_locale(void **state)
{
	static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8",
	    "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8", "nl_NL.UTF-8" };
	char		old[256];
	const char	*cur;
	size_t		i, bad;

	(void)state;
	cur = setlocale(LC_NUMERIC, NULL);
	snprintf(old, sizeof old, "%s", cur != NULL ? cur : "C");
	for (i = 0; i < NITEMS(names); i++)
		if (setlocale(LC_NUMERIC, names[i]) != NULL &&
		    strcmp(localeconv()->decimal_point, ",") == 0)
			break;
	if (i == NITEMS(names)) {
		setlocale(LC_NUMERIC, old);
		print_message("no decimal-comma locale installed\n");
		skip();
	}
	bad = rows_check(names[i]);
	setlocale(LC_NUMERIC, old);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jscan_table),
		cmocka_unit_test(test_jscan_skip),
		cmocka_unit_test(test_jscan_skip_loose),
		cmocka_unit_test(test_jscan_init_at),
		cmocka_unit_test(test_jscan_arena),
		cmocka_unit_test(test_jscan_depth),
		cmocka_unit_test(test_jscan_long),
		cmocka_unit_test(test_jscan_error_text),
		cmocka_unit_test(test_jscan_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
