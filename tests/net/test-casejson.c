/*
 * test-casejson.c: the JSON text writers, core/jbuf.c and net/casejson.c.
 *
 * jbuf writes the server's hottest output as text, with no tree behind it,
 * so nothing but these tests checks that the text is JSON. Two kinds of
 * check, both through the real code:
 *
 * - Exact text. Each row of the jbuf table is a script of writer calls and
 *   the text it must give, taken from jbuf.h and RFC 8259, not from the
 *   writer: commas only between members and elements at every nesting
 *   level, NULL strings as null, integers in full (INT64_MIN too), reals as
 *   %.17g (so 29.8683 is 29.868300000000001, which reads back as the same
 *   double), '"' and '\' escaped, every byte below 0x20 as \u00XX and
 *   nothing else escaped (DEL and UTF-8 pass through). The hex digits are
 *   lowercase because that is what jbuf writes; uppercase would be JSON
 *   too, and would need these rows changed.
 * - Read back. A property test writes 2,000 random UTF-8 strings (fixed
 *   seed; ASCII with control bytes, quotes and backslashes, CJK from
 *   U+4E00..U+9FFF, two- and four-byte characters) as a value and as a key,
 *   parses the text with jansson and compares the bytes with the original.
 *   The case and event writers are parsed the same way and checked key by
 *   key against casejson.h and store.h: the exact key set of each shape
 *   (with and without reference data), times as RFC 3339 in +08:00 or
 *   null for 0, disputed from returns >= 2, empty strings as null, an
 *   event's detail embedded as an object.
 *
 * Parsing uses JSON_REJECT_DUPLICATES and jansson's end-of-input check, so
 * a repeated key or text after the object fails a row. Cases are filled by
 * hand rather than read from a store: the writer must not depend on the
 * store, and a hand-made case can hold what the store rarely does (a
 * summary with a quote and a newline, a paused clock, three returns).
 *
 * jbuf_num formats with the C library, which follows LC_NUMERIC, and
 * gridline.c calls setlocale(LC_ALL, ""). test_jbuf_num_locale switches to
 * a decimal-comma locale when one is installed and requires JSON anyway;
 * without one it is skipped.
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

#include <jansson.h>

#include "casejson.h"
#include "diag.h"
#include "error.h"
#include "gltime.h"
#include "jbuf.h"
#include "refdata.h"
#include "store.h"
#include "testutil.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define MAXSTEP		32
#define MAXKEYS		48

/* --- jbuf: scripts of calls and their exact text ------------------------ */

enum jop {
	J_END, J_OPEN, J_CLOSE, J_AOPEN, J_ACLOSE, J_ELEM, J_KEY, J_STR,
	J_STRN, J_INT, J_NUM, J_BOOL, J_NULL, J_RAW
};

struct jstep {
	enum jop	 op;
	const char	*s;		/* KEY, STR, STRN, RAW */
	size_t		 n;		/* STRN */
	int64_t		 i;		/* INT, BOOL */
	double		 d;		/* NUM */
};

#define OPEN		{ J_OPEN, NULL, 0, 0, 0 }
#define CLOSE		{ J_CLOSE, NULL, 0, 0, 0 }
#define AOPEN		{ J_AOPEN, NULL, 0, 0, 0 }
#define ACLOSE		{ J_ACLOSE, NULL, 0, 0, 0 }
#define ELEM		{ J_ELEM, NULL, 0, 0, 0 }
#define KEY(k)		{ J_KEY, (k), 0, 0, 0 }
#define STR(s)		{ J_STR, (s), 0, 0, 0 }
#define STRN(s, n)	{ J_STRN, (s), (n), 0, 0 }
#define INT(v)		{ J_INT, NULL, 0, (v), 0 }
#define NUM(v)		{ J_NUM, NULL, 0, 0, (v) }
#define BOOL(v)		{ J_BOOL, NULL, 0, (v), 0 }
#define NUL		{ J_NULL, NULL, 0, 0, 0 }
#define RAW(s)		{ J_RAW, (s), 0, 0, 0 }

struct jbuf_case {
	const char	*name;
	struct jstep	 step[MAXSTEP];	/* up to the first J_END */
	const char	*want;
	size_t		 wantlen;	/* 0: strlen(want) */
};

static const struct jbuf_case jbuf_cases[] = {
	/* --- structure ------------------------------------------------- */
	{ "empty object", { OPEN, CLOSE }, "{}", 0 },
	{ "one member", { OPEN, KEY("a"), INT(1), CLOSE }, "{\"a\":1}", 0 },
	{ "three members",
	    { OPEN, KEY("a"), INT(1), KEY("b"), STR("x"), KEY("c"), NUL,
	    CLOSE }, "{\"a\":1,\"b\":\"x\",\"c\":null}", 0 },
	{ "nested object in object",
	    { OPEN, KEY("a"), OPEN, KEY("b"), INT(1), KEY("c"), STR("x"),
	    CLOSE, KEY("d"), BOOL(0), CLOSE },
	    "{\"a\":{\"b\":1,\"c\":\"x\"},\"d\":false}", 0 },
	{ "empty object as a member, then another",
	    { OPEN, KEY("a"), OPEN, CLOSE, KEY("b"), NUL, CLOSE },
	    "{\"a\":{},\"b\":null}", 0 },
	{ "objects three deep, last member",
	    { OPEN, KEY("a"), OPEN, KEY("b"), OPEN, KEY("c"), OPEN, CLOSE,
	    CLOSE, CLOSE, CLOSE }, "{\"a\":{\"b\":{\"c\":{}}}}", 0 },
	{ "objects three deep, then members at each level",
	    { OPEN, KEY("a"), OPEN, KEY("b"), OPEN, KEY("c"), INT(1), CLOSE,
	    KEY("d"), INT(2), CLOSE, KEY("e"), INT(3), CLOSE },
	    "{\"a\":{\"b\":{\"c\":1},\"d\":2},\"e\":3}", 0 },
	{ "array of ints, then a member",
	    { OPEN, KEY("l"), AOPEN, ELEM, INT(1), ELEM, INT(2), ELEM, INT(3),
	    ACLOSE, KEY("n"), INT(3), CLOSE },
	    "{\"l\":[1,2,3],\"n\":3}", 0 },
	{ "one-element array", { AOPEN, ELEM, STR("路灯"), ACLOSE },
	    "[\"路灯\"]", 0 },
	{ "empty arrays as members",
	    { OPEN, KEY("l"), AOPEN, ACLOSE, KEY("m"), AOPEN, ACLOSE, CLOSE },
	    "{\"l\":[],\"m\":[]}", 0 },
	{ "empty array alone", { AOPEN, ACLOSE }, "[]", 0 },
	{ "array of objects",
	    { AOPEN, ELEM, OPEN, KEY("a"), INT(1), CLOSE, ELEM, OPEN, CLOSE,
	    ELEM, OPEN, KEY("b"), STR("网格员"), KEY("c"), NUL, CLOSE,
	    ACLOSE },
	    "[{\"a\":1},{},{\"b\":\"网格员\",\"c\":null}]", 0 },
	{ "array of objects as a member",
	    { OPEN, KEY("page"), AOPEN, ELEM, OPEN, KEY("no"), STR("1"),
	    CLOSE, ELEM, OPEN, KEY("no"), STR("2"), CLOSE, ACLOSE,
	    KEY("more"), BOOL(1), CLOSE },
	    "{\"page\":[{\"no\":\"1\"},{\"no\":\"2\"}],\"more\":true}", 0 },
	{ "arrays in an array",
	    { AOPEN, ELEM, AOPEN, ACLOSE, ELEM, AOPEN, ELEM, INT(1), ACLOSE,
	    ELEM, NUL, ACLOSE }, "[[],[1],null]", 0 },
	{ "array in an object in an array",
	    { AOPEN, ELEM, OPEN, KEY("l"), AOPEN, ELEM, BOOL(1), ELEM,
	    BOOL(0), ACLOSE, CLOSE, ELEM, STR("x"), ACLOSE },
	    "[{\"l\":[true,false]},\"x\"]", 0 },
	{ "raw object as a member",
	    { OPEN, KEY("d"), RAW("{\"a\":1}"), KEY("e"), INT(2), CLOSE },
	    "{\"d\":{\"a\":1},\"e\":2}", 0 },

	/* --- scalars --------------------------------------------------- */
	{ "str NULL is null", { OPEN, KEY("s"), STR(NULL), CLOSE },
	    "{\"s\":null}", 0 },
	{ "empty string", { OPEN, KEY("s"), STR(""), CLOSE },
	    "{\"s\":\"\"}", 0 },
	{ "bool", { AOPEN, ELEM, BOOL(1), ELEM, BOOL(0), ELEM, BOOL(42),
	    ELEM, BOOL(-1), ACLOSE }, "[true,false,true,true]", 0 },
	{ "null", { NUL }, "null", 0 },
	{ "int64 min", { INT(INT64_MIN) }, "-9223372036854775808", 0 },
	{ "int64 max", { INT(INT64_MAX) }, "9223372036854775807", 0 },
	{ "int zero", { INT(0) }, "0", 0 },
	{ "int minus one", { INT(-1) }, "-1", 0 },
	{ "int64 min + 1", { INT(INT64_MIN + 1) }, "-9223372036854775807", 0 },
	{ "int one digit, two digits, powers of ten",
	  { AOPEN, ELEM, INT(9), ELEM, INT(10), ELEM, INT(-10), ELEM, INT(99),
	    ELEM, INT(100), ELEM, INT(1000000000000LL), ACLOSE },
	  "[9,10,-10,99,100,1000000000000]", 0 },
	{ "int as a member after a string",
	  { OPEN, KEY("no"), STR("x"), KEY("version"), INT(-42), CLOSE },
	  "{\"no\":\"x\",\"version\":-42}", 0 },
	{ "num 29.8683 (%.17g)", { NUM(29.8683) }, "29.868300000000001", 0 },
	{ "num -0.5", { NUM(-0.5) }, "-0.5", 0 },
	{ "num 121.544", { NUM(121.544) }, "121.544", 0 },
	{ "num zero", { NUM(0.0) }, "0", 0 },
	{ "location object",
	    { OPEN, KEY("lat"), NUM(29.8683), KEY("lon"), NUM(-0.5), CLOSE },
	    "{\"lat\":29.868300000000001,\"lon\":-0.5}", 0 },

	/* --- strings --------------------------------------------------- */
	{ "quote", { STR("a\"b") }, "\"a\\\"b\"", 0 },
	{ "backslash", { STR("a\\b") }, "\"a\\\\b\"", 0 },
	{ "only quotes and backslashes", { STR("\"\\\\\"") },
	    "\"\\\"\\\\\\\\\\\"\"", 0 },
	{ "slash not escaped", { STR("a/b") }, "\"a/b\"", 0 },
	{ "newline, tab, CR as \\u00XX", { STR("a\nb\tc\rd") },
	    "\"a\\u000ab\\u0009c\\u000dd\"", 0 },
	{ "space not escaped", { STR(" ") }, "\" \"", 0 },
	{ "DEL passes through", { STR("a\x7f" "b") }, "\"a\x7f" "b\"", 0 },
	{ "Chinese passes through", { STR("网格员 路灯不亮") },
	    "\"网格员 路灯不亮\"", 0 },
	{ "four-byte UTF-8 passes through", { STR("\xf0\x9f\x8f\xa2") },
	    "\"\xf0\x9f\x8f\xa2\"", 0 },
	{ "Chinese with a quote and a newline",
	    { STR("井盖\"缺失\"\n请处理") },
	    "\"井盖\\\"缺失\\\"\\u000a请处理\"", 0 },
	{ "escape first and last", { STR("\"x\x01") },
	    "\"\\\"x\\u0001\"", 0 },
	{ "key escaped", { OPEN, KEY("k\"\\\n"), INT(1), CLOSE },
	    "{\"k\\\"\\\\\\u000a\":1}", 0 },

	/* --- jbuf_strn ------------------------------------------------- */
	{ "strn shorter than the string", { STRN("路灯不亮", 6) },
	    "\"路灯\"", 0 },
	{ "strn cuts before a quote", { STRN("abc\"def", 3) }, "\"abc\"", 0 },
	{ "strn ends on a quote", { STRN("abc\"def", 4) },
	    "\"abc\\\"\"", 0 },
	{ "strn zero length", { STRN("abc", 0) }, "\"\"", 0 },
	{ "strn with a NUL inside", { STRN("a\0b", 3) },
	    "\"a\\u0000b\"", 0 },
	{ "strn as a member value",
	    { OPEN, KEY("a"), STRN("xyz", 2), KEY("b"), STRN("\\\\", 1),
	    CLOSE }, "{\"a\":\"xy\",\"b\":\"\\\\\"}", 0 },
};

/* Run a script into b. */
static void
jbuf_run(struct jbuf *b, const struct jstep *step)
{
	size_t	i;

	for (i = 0; i < MAXSTEP && step[i].op != J_END; i++) {
		switch (step[i].op) {
		case J_OPEN:
			jbuf_open(b);
			break;
		case J_CLOSE:
			jbuf_close(b);
			break;
		case J_AOPEN:
			jbuf_arr_open(b);
			break;
		case J_ACLOSE:
			jbuf_arr_close(b);
			break;
		case J_ELEM:
			jbuf_elem(b);
			break;
		case J_KEY:
			jbuf_key(b, step[i].s);
			break;
		case J_STR:
			jbuf_str(b, step[i].s);
			break;
		case J_STRN:
			jbuf_strn(b, step[i].s, step[i].n);
			break;
		case J_INT:
			jbuf_int(b, step[i].i);
			break;
		case J_NUM:
			jbuf_num(b, step[i].d);
			break;
		case J_BOOL:
			jbuf_bool(b, (int)step[i].i);
			break;
		case J_NULL:
			jbuf_null(b);
			break;
		case J_RAW:
			jbuf_raw(b, step[i].s);
			break;
		case J_END:
			break;
		}
	}
}

static void
test_jbuf_table(void **state)
{
	const struct jbuf_case	*c;
	struct jbuf		 b;
	json_error_t		 err;
	json_t			*v;
	size_t			 i, len, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(jbuf_cases); i++) {
		c = &jbuf_cases[i];
		len = c->wantlen ? c->wantlen : strlen(c->want);
		jbuf_init(&b);
		jbuf_run(&b, c->step);
		if (!jbuf_ok(&b)) {
			print_error("[%s] jbuf not ok\n", c->name);
			bad++;
		} else if (b.n != len || strlen(b.p) != b.n ||
		    memcmp(b.p, c->want, len) != 0) {
			print_error("[%s] got   %s (%zu bytes)\n"
			    "[%s] want  %s (%zu bytes)\n", c->name, b.p, b.n,
			    c->name, c->want, len);
			bad++;
		} else if ((v = json_loadb(b.p, b.n, JSON_DECODE_ANY |
		    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err)) == NULL) {
			print_error("[%s] not JSON: %s\n", c->name, err.text);
			bad++;
		} else
			json_decref(v);
		jbuf_free(&b);
	}
	assert_int_equal(bad, 0);
}

/* Every byte 0x01..0x1f alone between two letters, and all of them in one
 * string: \u00XX each, and jansson reads back the byte. */
static void
test_jbuf_controls(void **state)
{
	static const char	 hex[] = "0123456789abcdef";
	struct jbuf		 b;
	json_t			*v;
	char			 in[4], want[16], all[32];
	size_t			 bad = 0;
	int			 c;

	(void)state;
	for (c = 0x01; c <= 0x1f; c++) {
		snprintf(in, sizeof in, "a%cb", c);
		snprintf(want, sizeof want, "\"a\\u00%c%cb\"", hex[c >> 4],
		    hex[c & 0xf]);
		jbuf_init(&b);
		jbuf_str(&b, in);
		if (!jbuf_ok(&b) || strcmp(b.p, want) != 0) {
			print_error("byte 0x%02x: got %s, want %s\n", c,
			    b.p ? b.p : "(null)", want);
			bad++;
		} else if ((v = json_loads(b.p, JSON_DECODE_ANY, NULL)) ==
		    NULL || !json_is_string(v) ||
		    strcmp(json_string_value(v), in) != 0) {
			print_error("byte 0x%02x: %s does not read back\n", c,
			    b.p);
			bad++;
			json_decref(v);
		} else
			json_decref(v);
		jbuf_free(&b);
		all[c - 1] = (char)c;
	}
	all[0x1f] = '\0';
	jbuf_init(&b);
	jbuf_str(&b, all);
	assert_true(jbuf_ok(&b));
	assert_int_equal(b.n, 2 + 31 * 6);
	v = json_loads(b.p, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	assert_true(json_is_string(v));
	assert_int_equal(json_string_length(v), 31);
	assert_memory_equal(json_string_value(v), all, 31);
	json_decref(v);
	jbuf_free(&b);
	assert_int_equal(bad, 0);
}

/* jbuf_take hands over the text and leaves an empty, reusable buffer. */
static void
test_jbuf_take(void **state)
{
	struct jbuf	 b;
	char		*t1, *t2;

	(void)state;
	jbuf_init(&b);
	assert_false(jbuf_ok(&b));		/* nothing written yet */
	jbuf_open(&b);
	jbuf_key(&b, "a");
	jbuf_int(&b, 1);
	jbuf_key(&b, "网格");
	jbuf_str(&b, "路灯");
	jbuf_close(&b);
	assert_true(jbuf_ok(&b));
	t1 = jbuf_take(&b);
	assert_non_null(t1);
	assert_string_equal(t1, "{\"a\":1,\"网格\":\"路灯\"}");
	assert_null(b.p);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.oom, 0);
	assert_int_equal(b.first, 1);

	/* Reused: no comma or text carried over from the first object. */
	jbuf_open(&b);
	jbuf_key(&b, "b");
	jbuf_bool(&b, 1);
	jbuf_close(&b);
	t2 = jbuf_take(&b);
	assert_non_null(t2);
	assert_string_equal(t2, "{\"b\":true}");
	assert_true(t1 != t2);
	assert_string_equal(t1, "{\"a\":1,\"网格\":\"路灯\"}");
	free(t1);
	free(t2);

	/* A key first after take: no leading comma either. */
	jbuf_key(&b, "k");
	jbuf_null(&b);
	assert_string_equal(b.p, "\"k\":null");
	jbuf_free(&b);
	assert_null(b.p);
	jbuf_free(&b);				/* twice is harmless */
}

/* Growth past the first allocation keeps every byte. */
static void
test_jbuf_grow(void **state)
{
	struct jbuf	 b;
	char		*t;
	int64_t		 i;

	(void)state;
	jbuf_init(&b);
	jbuf_arr_open(&b);
	for (i = 0; i < 1000; i++) {
		jbuf_elem(&b);
		jbuf_int(&b, i);
	}
	jbuf_arr_close(&b);
	assert_true(jbuf_ok(&b));
	assert_int_equal(b.n, 3891);	/* digits 2890, commas 999, [] */
	t = jbuf_take(&b);
	assert_non_null(t);
	assert_int_equal(strncmp(t, "[0,1,2,", 7), 0);
	assert_string_equal(t + strlen(t) - 9, ",998,999]");
	free(t);
}

/* --- jbuf: random strings read back by jansson --------------------------- */

#define NRANDOM		2000
#define MAXCHARS	48

/* xorshift64*: the same strings on every libc. */
static uint64_t
rnd_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static size_t
utf8_put(char *p, uint32_t cp)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xc0 | cp >> 6);
		p[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (char)(0xe0 | cp >> 12);
		p[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		p[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	p[0] = (char)(0xf0 | cp >> 18);
	p[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	p[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	p[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A random valid UTF-8 string (no NUL) into buf; its length. */
static size_t
rnd_string(uint64_t *s, char *buf)
{
	static const char *const words[] = { "网格员", "路灯", "井盖",
	    "\\\"", "\"\"", "\\\\", "\\u0041" };
	size_t		 n = 0, k, nchars = rnd_next(s) % (MAXCHARS + 1);
	uint32_t	 cp;
	const char	*w;

	for (k = 0; k < nchars; k++) {
		switch (rnd_next(s) % 12) {
		case 0: case 1: case 2:		/* printable ASCII */
			cp = 0x20 + (uint32_t)(rnd_next(s) % 95);
			break;
		case 3: case 4:			/* control byte */
			cp = 0x01 + (uint32_t)(rnd_next(s) % 0x1f);
			break;
		case 5:
			cp = rnd_next(s) % 2 ? '"' : '\\';
			break;
		case 6:
			cp = 0x7f;
			break;
		case 7: case 8:			/* CJK, three bytes */
			cp = 0x4e00 + (uint32_t)(rnd_next(s) % 0x5200);
			break;
		case 9:				/* two bytes */
			cp = 0x80 + (uint32_t)(rnd_next(s) % 0x780);
			break;
		case 10:			/* four bytes */
			cp = 0x10000 + (uint32_t)(rnd_next(s) % 0x100000);
			break;
		default:
			w = words[rnd_next(s) % NITEMS(words)];
			memcpy(buf + n, w, strlen(w));
			n += strlen(w);
			continue;
		}
		n += utf8_put(buf + n, cp);
	}
	buf[n] = '\0';
	return n;
}

static void
print_hex(const char *label, const char *p, size_t n)
{
	size_t	i;

	print_error("  %s:", label);
	for (i = 0; i < n; i++)
		print_error(" %02x", (unsigned char)p[i]);
	print_error("\n");
}

/* 0 when the text of {"v":s,"w":{s:i}} reads back as s and i. */
static int
roundtrip_one(const char *s, size_t len, int64_t i)
{
	struct jbuf	 b;
	json_error_t	 err;
	json_t		*root, *v, *w;
	const char	*key;
	int		 rc = -1;

	jbuf_init(&b);
	jbuf_open(&b);
	jbuf_key(&b, "v");
	jbuf_str(&b, s);
	jbuf_key(&b, "w");
	jbuf_open(&b);
	jbuf_key(&b, s);
	jbuf_int(&b, i);
	jbuf_close(&b);
	jbuf_close(&b);
	if (!jbuf_ok(&b)) {
		print_error("jbuf not ok\n");
		goto out;
	}
	if ((root = json_loadb(b.p, b.n, JSON_REJECT_DUPLICATES, &err)) ==
	    NULL) {
		print_error("not JSON (%s at %d): %s\n", err.text,
		    err.position, b.p);
		goto out;
	}
	v = json_object_get(root, "v");
	w = json_object_get(root, "w");
	if (json_object_size(root) != 2 || !json_is_string(v) ||
	    json_string_length(v) != len ||
	    memcmp(json_string_value(v), s, len) != 0)
		print_error("value differs: %s\n", b.p);
	else if (!json_is_object(w) || json_object_size(w) != 1 ||
	    (key = json_object_iter_key(json_object_iter(w))) == NULL ||
	    strlen(key) != len || memcmp(key, s, len) != 0 ||
	    json_integer_value(json_object_get(w, s)) != i)
		print_error("key differs: %s\n", b.p);
	else
		rc = 0;
	json_decref(root);
out:
	jbuf_free(&b);
	return rc;
}

/* 1 when s holds a byte below 0x20. */
static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20)
			return 1;
	return 0;
}

static void
test_jbuf_roundtrip(void **state)
{
	uint64_t	 seed = 0x676c6a736f6eULL;	/* "gljson" */
	char		 buf[MAXCHARS * 8 + 1];
	size_t		 i, len, bad = 0, cjk = 0, ctl = 0;

	(void)state;
	for (i = 0; i < NRANDOM; i++) {
		len = rnd_string(&seed, buf);
		cjk += strstr(buf, "\xe4") != NULL || strstr(buf, "\xe8");
		ctl += has_control(buf);
		if (roundtrip_one(buf, len, (int64_t)i) != 0) {
			if (bad++ < 10)
				print_hex("string", buf, len);
		}
	}
	/* The generator really mixed what it should. */
	assert_true(cjk > NRANDOM / 2);
	assert_true(ctl > NRANDOM / 4);
	assert_int_equal(bad, 0);
}

/* jbuf_num in a decimal-comma locale must still write JSON: gridline.c
 * calls setlocale(LC_ALL, ""), so LC_NUMERIC is the user's. */
static void
test_jbuf_num_locale(void **state)
{
	static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8",
	    "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8", "ru_RU.utf8",
	    "nl_NL.UTF-8", "nl_NL.utf8" };
	struct jbuf	 b;
	json_t		*v;
	char		 old[256], text[128];
	const char	*cur;
	size_t		 i;

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
	jbuf_init(&b);
	jbuf_open(&b);
	jbuf_key(&b, "lat");
	jbuf_num(&b, 29.8683);
	jbuf_key(&b, "lon");
	jbuf_num(&b, -0.5);
	jbuf_close(&b);
	setlocale(LC_NUMERIC, old);
	assert_true(jbuf_ok(&b));
	snprintf(text, sizeof text, "%s", b.p);
	jbuf_free(&b);
	if ((v = json_loads(text, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		fail_msg("in %s jbuf_num wrote %s", names[i], text);
	assert_true(json_real_value(json_object_get(v, "lat")) == 29.8683);
	assert_true(json_real_value(json_object_get(v, "lon")) == -0.5);
	json_decref(v);
}

/* --- casejson ------------------------------------------------------------ */

/* Keys of each shape when refdata is NULL (casejson.h, wire docs). */
static const char *const queue_keys[] = {
	"no", "version", "state", "priority", "summary", "reported_at",
	"created_at", "due_at", "paused", "ext_pending", "returns", "reworks",
	"disputed", "duplicate_of", "agency", "township", "dispatched_at", "id",
	NULL
};
static const char *const full_keys[] = {
	"grid", "district", "category", "address", "reporter",
	"source", "updated_at", "closed_at", "support", "level", "limit",
	"unit", "presses", "merged_into", "callback", "callback_at", "photos",
	NULL
};
/* Added by refdata. */
static const char *const queue_name_keys[] = {
	"township_name", "category_name", "platform", "agency_name",
	"due_provisional", "route", NULL
};
static const char *const full_name_keys[] = { "district_name", NULL };

/* Strings of the hand-made case (store_case holds char *). */
static char	s_ext_id[] = "APP-20261124-0042";
static char	s_summary[] = "西门街道\"路灯\"不亮\n已两晚";
static char	s_address[] = "海曙区西门街道望京路12号";
static char	s_reporter[] = "张三";
static char	s_source[] = "grid-app";
static char	s_photos[] = "[]";
static char	s_support[] = "330203.ZJ,330203.SJ";
static char	s_empty[] = "";
static char	s_agency[] = "330203.ZF";

#define SUMMARY_TEXT	"西门街道\"路灯\"不亮\n已两晚"

struct cj_row {
	const char	*name;
	enum casejson_shape shape;
	int		 has_location;
	char		*agency;	/* as stored */
	const char	*agency_want;	/* NULL: null */
	char		*summary;
	const char	*summary_want;	/* NULL: null */
	enum case_state	 state;
	const char	*state_want;
	int		 returns;
	int		 disputed;	/* expected */
	int		 paused;	/* paused_at set */
	int		 ext_pending;
	const char	*due;		/* local time, NULL: 0 */
	const char	*due_want;	/* NULL: null */
	const char	*closed;
	const char	*closed_want;
	const char	*dup;		/* duplicate_no, "" none */
	const char	*merged;	/* merged_no, "" none */
};

static const struct cj_row cj_rows[] = {
	{ "queue, dispatched, no location", CJ_QUEUE, 0,
	    s_agency, "330203.ZF", s_summary, SUMMARY_TEXT,
	    CS_DISPATCHED, "dispatched", 0, 0, 0, 0,
	    "2026-11-27 17:30", "2026-11-27T17:30:00+08:00", NULL, NULL,
	    "", "" },
	{ "queue, agency NULL, returns 2, paused, no deadline", CJ_QUEUE, 0,
	    NULL, NULL, s_summary, SUMMARY_TEXT,
	    CS_RETURNED, "returned", 2, 1, 1, 0,
	    NULL, NULL, NULL, NULL, "330203-20261120-00007", "" },
	{ "queue with a location leaves it out", CJ_QUEUE, 1,
	    s_agency, "330203.ZF", s_summary, SUMMARY_TEXT,
	    CS_IN_HAND, "in_hand", 1, 0, 0, 1,
	    "2026-11-27 17:30", "2026-11-27T17:30:00+08:00", NULL, NULL,
	    "", "" },
	{ "full, location, agency, closed, merged", CJ_FULL, 1,
	    s_agency, "330203.ZF", s_summary, SUMMARY_TEXT,
	    CS_MERGED, "merged", 1, 0, 0, 0,
	    "2026-11-27 17:30", "2026-11-27T17:30:00+08:00",
	    "2026-11-26 09:15", "2026-11-26T09:15:00+08:00",
	    "330203-20261120-00007", "330203-20261121-00003" },
	{ "full, no location, agency NULL, returns 3", CJ_FULL, 0,
	    NULL, NULL, s_summary, SUMMARY_TEXT,
	    CS_REGISTERED, "registered", 3, 1, 0, 1,
	    NULL, NULL, NULL, NULL, "", "" },
	{ "full, empty agency and summary are null", CJ_FULL, 1,
	    s_empty, NULL, s_empty, NULL,
	    CS_REPORTED, "reported", 0, 0, 1, 0,
	    NULL, NULL, NULL, NULL, "", "" },
	{ "full, summary NULL", CJ_FULL, 0,
	    s_agency, "330203.ZF", NULL, NULL,
	    CS_CLOSED, "closed", 2, 1, 0, 0,
	    "2026-11-27 17:30", "2026-11-27T17:30:00+08:00",
	    "2026-11-28 00:00", "2026-11-28T00:00:00+08:00", "", "" },
};

/* The hand-made case of a row. */
static void
cj_fill(struct store_case *c, const struct cj_row *r)
{
	memset(c, 0, sizeof *c);
	c->id = 42;
	snprintf(c->no, sizeof c->no, "330203-20261124-00042");
	c->ext_id = s_ext_id;
	snprintf(c->grid, sizeof c->grid, "330203003001001");
	snprintf(c->township, sizeof c->township, "330203003");
	snprintf(c->district, sizeof c->district, "330203");
	snprintf(c->category, sizeof c->category, "1105");
	c->priority = 2;
	c->summary = r->summary;
	c->address = s_address;
	c->reporter = s_reporter;
	c->source = s_source;
	c->photos = s_photos;
	c->has_location = r->has_location;
	c->lat = 29.8683;
	c->lon = 121.544;
	c->reported_at = tu_local("2026-11-24 10:00");
	c->created_at = tu_local("2026-11-24 10:01") + 30;
	/* 23:30 UTC on the 24th: the local date is the 25th */
	c->updated_at = tu_local("2026-11-25 07:30");
	c->closed_at = r->closed ? tu_local(r->closed) : 0;
	c->state = r->state;
	c->before = CS_REGISTERED;
	c->agency = r->agency;
	c->support = s_support;
	c->level = JL_TOWNSHIP;
	c->limit = 3;
	c->unit = CAL_WORK_DAYS;
	c->due_at = r->due ? tu_local(r->due) : 0;
	c->paused_at = r->paused ? tu_local("2026-11-25 08:00") : 0;
	c->remaining = r->paused ? 3600 : 0;
	c->ext_pending = r->ext_pending;
	c->returns = r->returns;
	c->reworks = 1;
	c->presses = 4;
	c->duplicate_of = r->dup[0] ? 7 : 0;
	c->merged_into = r->merged[0] ? 3 : 0;
	c->version = 7;
	snprintf(c->duplicate_no, sizeof c->duplicate_no, "%s", r->dup);
	snprintf(c->merged_no, sizeof c->merged_no, "%s", r->merged);
}

/* Parse text as one JSON object, or print why not. */
static json_t *
cj_parse(const char *label, const char *text)
{
	json_error_t	 err;
	json_t		*v;

	if (text == NULL) {
		print_error("[%s] no text\n", label);
		return NULL;
	}
	v = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (v == NULL)
		print_error("[%s] not JSON (%s at %d): %s\n", label, err.text,
		    err.position, text);
	else if (!json_is_object(v)) {
		print_error("[%s] not an object: %s\n", label, text);
		json_decref(v);
		v = NULL;
	}
	return v;
}

/* Append the NULL-terminated list l to keys. */
static size_t
keys_add(const char **keys, size_t n, const char *const *l)
{
	while (*l != NULL && n < MAXKEYS)
		keys[n++] = *l++;
	return n;
}

/* The number of differences between o's keys and keys[0..n). */
static size_t
keys_check(const char *label, json_t *o, const char **keys, size_t n)
{
	const char	*k;
	json_t		*v;
	size_t		 i, bad = 0;

	for (i = 0; i < n; i++)
		if (json_object_get(o, keys[i]) == NULL) {
			print_error("[%s] missing key %s\n", label, keys[i]);
			bad++;
		}
	json_object_foreach(o, k, v) {
		for (i = 0; i < n && strcmp(k, keys[i]) != 0; i++)
			;
		if (i == n) {
			print_error("[%s] extra key %s\n", label, k);
			bad++;
		}
	}
	return bad;
}

/* want NULL: the value must be null. 1 on a difference. */
static int
want_str(const char *label, json_t *o, const char *key, const char *want)
{
	json_t	*v = json_object_get(o, key);

	if (want == NULL) {
		if (json_is_null(v))
			return 0;
		print_error("[%s] %s: want null\n", label, key);
		return 1;
	}
	if (json_is_string(v) && json_string_length(v) == strlen(want) &&
	    strcmp(json_string_value(v), want) == 0)
		return 0;
	print_error("[%s] %s is %s, want \"%s\"\n", label, key,
	    json_is_string(v) ? json_string_value(v) : "not a string", want);
	return 1;
}

static int
want_int(const char *label, json_t *o, const char *key, json_int_t want)
{
	json_t	*v = json_object_get(o, key);

	if (json_is_integer(v) && json_integer_value(v) == want)
		return 0;
	print_error("[%s] %s: want integer %lld\n", label, key,
	    (long long)want);
	return 1;
}

static int
want_bool(const char *label, json_t *o, const char *key, int want)
{
	json_t	*v = json_object_get(o, key);

	if (json_is_boolean(v) && json_is_true(v) == !!want)
		return 0;
	print_error("[%s] %s: want %s\n", label, key,
	    want ? "true" : "false");
	return 1;
}

/* Values every shape carries. */
static size_t
cj_check_queue(const char *l, json_t *o, const struct cj_row *r)
{
	size_t	bad = 0;

	bad += want_str(l, o, "no", "330203-20261124-00042");
	bad += want_int(l, o, "version", 7);
	bad += want_str(l, o, "state", r->state_want);
	bad += want_int(l, o, "priority", 2);
	bad += want_str(l, o, "summary", r->summary_want);
	bad += want_str(l, o, "reported_at", "2026-11-24T10:00:00+08:00");
	bad += want_str(l, o, "created_at", "2026-11-24T10:01:30+08:00");
	bad += want_str(l, o, "due_at", r->due_want);
	bad += want_bool(l, o, "paused", r->paused);
	bad += want_bool(l, o, "ext_pending", r->ext_pending);
	bad += want_int(l, o, "returns", r->returns);
	bad += want_int(l, o, "reworks", 1);
	bad += want_bool(l, o, "disputed", r->disputed);
	bad += want_str(l, o, "duplicate_of", r->dup[0] ? r->dup : NULL);
	bad += want_str(l, o, "agency", r->agency_want);
	return bad;
}

/* Values only the full shape carries. */
static size_t
cj_check_full(const char *l, json_t *o, const struct cj_row *r)
{
	json_t	*loc;
	size_t	 bad = 0;

	bad += want_str(l, o, "grid", "330203003001001");
	bad += want_str(l, o, "township", "330203003");
	bad += want_str(l, o, "district", "330203");
	bad += want_str(l, o, "category", "1105");
	bad += want_str(l, o, "address", "海曙区西门街道望京路12号");
	bad += want_str(l, o, "reporter", "张三");
	bad += want_str(l, o, "source", "grid-app");
	bad += want_str(l, o, "id", "APP-20261124-0042");
	bad += want_str(l, o, "updated_at", "2026-11-25T07:30:00+08:00");
	bad += want_str(l, o, "closed_at", r->closed_want);
	bad += want_str(l, o, "support", "330203.ZJ,330203.SJ");
	bad += want_str(l, o, "level", "township");
	bad += want_int(l, o, "limit", 3);
	bad += want_str(l, o, "unit", "工作日");
	bad += want_int(l, o, "presses", 4);
	bad += want_str(l, o, "merged_into",
	    r->merged[0] ? r->merged : NULL);
	/* the sender's photos as stored, for feed record (issue 13) */
	if (!json_is_array(json_object_get(o, "photos")) ||
	    json_array_size(json_object_get(o, "photos")) != 0) {
		print_error("[%s] photos is not []\n", l);
		bad++;
	}
	if (r->has_location) {
		loc = json_object_get(o, "location");
		if (!json_is_object(loc) || json_object_size(loc) != 2 ||
		    !json_is_number(json_object_get(loc, "lat")) ||
		    !json_is_number(json_object_get(loc, "lon")) ||
		    json_number_value(json_object_get(loc, "lat")) !=
		    29.8683 ||
		    json_number_value(json_object_get(loc, "lon")) !=
		    121.544) {
			print_error("[%s] location is not "
			    "{lat:29.8683,lon:121.544}\n", l);
			bad++;
		}
	}
	return bad;
}

/* Write row r's case, parse it, check keys and values; differences. */
static size_t
cj_check_row(const struct cj_row *r)
{
	struct store_case	 c;
	struct jbuf		 b;
	const char		*keys[MAXKEYS];
	json_t			*o, *tree;
	char			*text;
	size_t			 n = 0, bad = 0;

	cj_fill(&c, r);
	jbuf_init(&b);
	casejson_write(&b, &c, NULL, r->shape);
	text = jbuf_take(&b);
	if ((o = cj_parse(r->name, text)) == NULL) {
		free(text);
		return 1;
	}
	n = keys_add(keys, n, queue_keys);
	if (r->shape == CJ_FULL)
		n = keys_add(keys, n, full_keys);
	if (r->shape == CJ_FULL && r->has_location)
		keys[n++] = "location";
	bad += keys_check(r->name, o, keys, n);
	bad += cj_check_queue(r->name, o, r);
	if (r->shape == CJ_FULL) {
		bad += cj_check_full(r->name, o, r);
		/* casejson_case is the same object as a tree */
		tree = casejson_case(&c, NULL);
		if (tree == NULL || !json_equal(tree, o)) {
			print_error("[%s] casejson_case differs from the "
			    "text\n", r->name);
			bad++;
		}
		json_decref(tree);
	}
	if (bad > 0)
		print_error("[%s] text: %s\n", r->name, text);
	json_decref(o);
	free(text);
	return bad;
}

static void
test_casejson_table(void **state)
{
	size_t	i, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(cj_rows); i++)
		bad += cj_check_row(&cj_rows[i]);
	assert_int_equal(bad, 0);
}

/* The summary's escapes appear in the text as jbuf writes them. */
static void
test_casejson_text(void **state)
{
	struct store_case	 c;
	struct jbuf		 b;
	char			*text;

	(void)state;
	cj_fill(&c, &cj_rows[0]);
	jbuf_init(&b);
	casejson_write(&b, &c, NULL, CJ_QUEUE);
	text = jbuf_take(&b);
	assert_non_null(text);
	assert_non_null(strstr(text,
	    "\"summary\":\"西门街道\\\"路灯\\\"不亮\\u000a已两晚\""));
	assert_non_null(strstr(text,
	    "\"due_at\":\"2026-11-27T17:30:00+08:00\""));
	assert_int_equal(text[0], '{');
	assert_int_equal(text[strlen(text) - 1], '}');
	assert_null(strchr(text, '\n'));
	free(text);
}

/* --- events --------------------------------------------------------------- */

struct ev_row {
	const char	*name;
	const char	*from;		/* NULL for report */
	const char	*reason;
	const char	*reason_want;	/* NULL: null */
	const char	*detail;
	const char	*detail_want;	/* JSON text, NULL: null */
};

static const struct ev_row ev_rows[] = {
	{ "detail object", "registered", "请尽快\"处置\"", "请尽快\"处置\"",
	    "{\"a\":1}", "{\"a\":1}" },
	{ "detail NULL", "registered", "x", "x", NULL, NULL },
	{ "detail empty", "registered", "", NULL, "", NULL },
	{ "detail before/after", NULL, NULL, NULL,
	    "{\"state\":[\"registered\",\"dispatched\"],\"agency\":[null,"
	    "\"330203.ZF\"]}",
	    "{\"agency\":[null,\"330203.ZF\"],\"state\":[\"registered\","
	    "\"dispatched\"]}" },
};

static const char *const ev_keys[] = {
	"seq", "case", "version", "at", "actor", "action", "from", "to",
	"agency", "reason_code", "reason", "detail"
};

static size_t
ev_check_row(const struct ev_row *r)
{
	struct store_event	 e;
	struct jbuf		 b;
	const char		*keys[MAXKEYS];
	json_t			*o, *want, *tree;
	char			*text;
	size_t			 i, bad = 0;

	memset(&e, 0, sizeof e);
	e.seq = 9000000001LL;
	e.case_id = 42;
	e.case_no = "330203-20261124-00042";
	e.version = 3;
	e.at = tu_local("2026-11-24 10:05") + 7;
	e.actor = "李四";
	e.action = "dispatch";
	e.from_state = r->from;
	e.to_state = "dispatched";
	e.agency = "330203.ZF";
	e.reason_code = NULL;
	e.reason = r->reason;
	e.detail = r->detail;

	jbuf_init(&b);
	casejson_write_event(&b, &e);
	text = jbuf_take(&b);
	if ((o = cj_parse(r->name, text)) == NULL) {
		free(text);
		return 1;
	}
	for (i = 0; i < NITEMS(ev_keys); i++)
		keys[i] = ev_keys[i];
	bad += keys_check(r->name, o, keys, NITEMS(ev_keys));
	bad += want_int(r->name, o, "seq", 9000000001LL);
	bad += want_str(r->name, o, "case", "330203-20261124-00042");
	bad += want_int(r->name, o, "version", 3);
	bad += want_str(r->name, o, "at", "2026-11-24T10:05:07+08:00");
	bad += want_str(r->name, o, "actor", "李四");
	bad += want_str(r->name, o, "action", "dispatch");
	bad += want_str(r->name, o, "from", r->from);
	bad += want_str(r->name, o, "to", "dispatched");
	bad += want_str(r->name, o, "agency", "330203.ZF");
	bad += want_str(r->name, o, "reason_code", NULL);
	bad += want_str(r->name, o, "reason", r->reason_want);
	if (r->detail_want == NULL)
		want = json_null();
	else
		want = json_loads(r->detail_want, 0, NULL);
	assert_non_null(want);
	if (!json_equal(json_object_get(o, "detail"), want)) {
		print_error("[%s] detail is not %s\n", r->name,
		    r->detail_want ? r->detail_want : "null");
		bad++;
	}
	json_decref(want);
	tree = casejson_event(&e);
	if (tree == NULL || !json_equal(tree, o)) {
		print_error("[%s] casejson_event differs from the text\n",
		    r->name);
		bad++;
	}
	json_decref(tree);
	if (bad > 0)
		print_error("[%s] text: %s\n", r->name, text);
	json_decref(o);
	free(text);
	return bad;
}

static void
test_casejson_event(void **state)
{
	size_t	i, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(ev_rows); i++)
		bad += ev_check_row(&ev_rows[i]);
	assert_int_equal(bad, 0);
}

/* Times: null for 0, else RFC 3339 in +08:00, across the UTC date line. */
static void
test_casejson_time(void **state)
{
	static const struct {
		const char	*local;		/* NULL: t = 0 */
		long		 plus;		/* seconds added */
		const char	*want;		/* NULL: null */
	} rows[] = {
		{ NULL, 0, NULL },
		{ "2026-11-24 10:00", 0, "2026-11-24T10:00:00+08:00" },
		{ "2026-11-25 07:59", 59, "2026-11-25T07:59:59+08:00" },
		{ "2026-01-01 00:00", 0, "2026-01-01T00:00:00+08:00" },
		{ "2024-02-29 23:59", 60, "2024-03-01T00:00:00+08:00" },
		{ "2026-12-31 23:59", 59, "2026-12-31T23:59:59+08:00" },
		{ "2026-12-31 23:59", 60, "2027-01-01T00:00:00+08:00" },
		{ "2026-11-30 23:59", 59, "2026-11-30T23:59:59+08:00" },
		{ "2026-11-30 23:59", 60, "2026-12-01T00:00:00+08:00" },
		{ "2100-02-28 23:59", 60, "2100-03-01T00:00:00+08:00" },
		{ "1970-01-01 07:59", 59, "1970-01-01T07:59:59+08:00" },
		{ "1970-01-01 07:59", 61, "1970-01-01T08:00:01+08:00" },
	};
	struct jbuf	 b;
	json_t		*v;
	char		 want[64];
	time_t		 t;
	size_t		 i, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		t = rows[i].local ? tu_local(rows[i].local) + rows[i].plus : 0;
		snprintf(want, sizeof want, rows[i].want ? "\"%s\"" : "null",
		    rows[i].want);
		jbuf_init(&b);
		casejson_write_time(&b, t);
		if (!jbuf_ok(&b) || strcmp(b.p, want) != 0) {
			print_error("time %lld: got %s, want %s\n",
			    (long long)t, b.p ? b.p : "(null)", want);
			bad++;
		}
		jbuf_free(&b);
		v = casejson_time(t);
		if (v == NULL || (rows[i].want == NULL ? !json_is_null(v) :
		    !json_is_string(v) ||
		    strcmp(json_string_value(v), rows[i].want) != 0)) {
			print_error("casejson_time %lld differs\n",
			    (long long)t);
			bad++;
		}
		json_decref(v);
	}
	assert_int_equal(bad, 0);
}

/*
 * gltime_format, written by hand since the snapshot got fast: every field's
 * width, the offset's sign and minutes, 'Z' for UTC, times before 1970,
 * the years and offsets that do not fit the fixed layout (written as
 * %04ld and %02ld write them), and a short buffer cut as snprintf cuts.
 * The t values are UTC seconds (Python's calendar.timegm).
 */
static const struct {
	int64_t		 t;
	long		 offset;
	size_t		 len;		/* buffer size; 0: 64 */
	const char	*want;
	size_t		 wantlen;	/* the return: 0: strlen(want) */
} gltime_rows[] = {
	{ 1798732799, 28800, 0, "2026-12-31T23:59:59+08:00", 0 },
	{ 1798732800, 28800, 0, "2027-01-01T00:00:00+08:00", 0 },
	{ 1798732800, 0, 0, "2026-12-31T16:00:00Z", 0 },
	{ 1798732800, -18000, 0, "2026-12-31T11:00:00-05:00", 0 },
	{ 1798732800, 19800, 0, "2026-12-31T21:30:00+05:30", 0 },
	{ 1798732800, -34200, 0, "2026-12-31T06:30:00-09:30", 0 },
	{ 0, 0, 0, "1970-01-01T00:00:00Z", 0 },
	{ -1, 0, 0, "1969-12-31T23:59:59Z", 0 },
	{ -1, 28800, 0, "1970-01-01T07:59:59+08:00", 0 },
	{ -86401, 28800, 0, "1969-12-31T07:59:59+08:00", 0 },
	{ 951825600, 28800, 0, "2000-02-29T20:00:00+08:00", 0 },
	{ 253402271999, 28800, 0, "9999-12-31T23:59:59+08:00", 0 },
	{ 253402272000, 28800, 0, "10000-01-01T00:00:00+08:00", 0 },
	{ -62135596800, 0, 0, "0001-01-01T00:00:00Z", 0 },
	{ -62135596801, 0, 0, "0000-12-31T23:59:59Z", 0 },
	{ -62167219201, 0, 0, "-001-12-31T23:59:59Z", 0 },
	{ 0, 360000, 0, "1970-01-05T04:00:00+100:00", 0 },
	{ 1798732800, 28800, 11, "2027-01-01", 25 },
	{ 1798732800, 28800, 26, "2027-01-01T00:00:00+08:00", 0 },
	{ 1798732800, 28800, 25, "2027-01-01T00:00:00+08:0", 25 },
	{ 1798732800, 28800, 1, "", 25 },
};

static size_t
gltime_check_rows(const char *where)
{
	char	buf[64];
	size_t	i, n, want, bad = 0;

	for (i = 0; i < NITEMS(gltime_rows); i++) {
		memset(buf, 'x', sizeof buf);
		n = gltime_format((time_t)gltime_rows[i].t,
		    gltime_rows[i].offset, buf, gltime_rows[i].len ?
		    gltime_rows[i].len : sizeof buf);
		want = gltime_rows[i].wantlen ? gltime_rows[i].wantlen :
		    strlen(gltime_rows[i].want);
		if (strcmp(buf, gltime_rows[i].want) != 0 || n != want) {
			print_error("%s: gltime_format(%lld, %ld): got %s (%zu), "
			    "want %s (%zu)\n", where,
			    (long long)gltime_rows[i].t, gltime_rows[i].offset,
			    buf, n, gltime_rows[i].want, want);
			bad++;
		}
	}
	return bad;
}

static void
test_gltime_format(void **state)
{
	(void)state;
	assert_int_equal(gltime_check_rows("C"), 0);
}

/*
 * Integers and times in the user's locale (gridline.c calls
 * setlocale(LC_ALL, "")): the writers must not pick up a digit grouping
 * or anything else from it. The first locale installed of a list, C.UTF-8
 * at the least.
 */
static void
test_jbuf_locale_text(void **state)
{
	static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8",
	    "zh_CN.UTF-8", "zh_CN.utf8", "fr_FR.UTF-8", "en_US.UTF-8",
	    "C.UTF-8", "C.utf8" };
	char		 old[256];
	const char	*cur, *name = NULL;
	struct jbuf	 b;
	size_t		 i, bad = 0;

	(void)state;
	cur = setlocale(LC_ALL, NULL);
	snprintf(old, sizeof old, "%s", cur != NULL ? cur : "C");
	for (i = 0; i < NITEMS(names) && name == NULL; i++)
		if (setlocale(LC_ALL, names[i]) != NULL)
			name = names[i];
	if (name == NULL) {
		setlocale(LC_ALL, old);
		print_message("no locale but C installed\n");
		skip();
	}
	bad += gltime_check_rows(name);
	jbuf_init(&b);
	jbuf_arr_open(&b);
	jbuf_elem(&b);
	jbuf_int(&b, INT64_MIN);
	jbuf_elem(&b);
	jbuf_int(&b, 1234567);
	jbuf_elem(&b);
	casejson_write_time(&b, 1798732800);
	jbuf_arr_close(&b);
	setlocale(LC_ALL, old);
	if (!jbuf_ok(&b) || strcmp(b.p, "[-9223372036854775808,1234567,"
	    "\"2027-01-01T00:00:00+08:00\"]") != 0) {
		print_error("%s: got %s\n", name, b.p ? b.p : "(null)");
		bad++;
	}
	jbuf_free(&b);
	assert_int_equal(bad, 0);
}

/* --- with the shipped reference data -------------------------------------- */

/*
 * The route of an escalated case is the lead of its level, in both shapes
 * (data/duty.tsv: 0101 in 西门街道 has its township's row, 330203003.CJB,
 * and the district's, 330203.ZJ; no city row, so at the city the
 * township's row stands and "fallback" says the level had none).
 */
static size_t
cj_route_levels(struct store_case *c, const struct refdata *rd)
{
	static const struct {
		int		 level;
		const char	*lead, *level_name;
		int		 fallback;
	} rows[] = {
		{ JL_TOWNSHIP, "330203003.CJB", "township", 0 },
		{ JL_DISTRICT, "330203.ZJ", "district", 0 },
		{ JL_CITY, "330203003.CJB", "city", 1 },
	};
	enum casejson_shape	 shape;
	struct jbuf		 b;
	json_t			*o, *route;
	char			*text;
	size_t			 i, n, bad = 0;

	snprintf(c->category, sizeof c->category, "0101");
	for (i = 0; i < NITEMS(rows); i++) {
		c->level = rows[i].level;
		for (shape = CJ_FULL; shape <= CJ_QUEUE; shape++) {
			jbuf_init(&b);
			casejson_write(&b, c, rd, shape);
			text = jbuf_take(&b);
			o = cj_parse("route levels", text);
			route = json_object_get(o, "route");
			n = want_str(rows[i].level_name, route, "lead",
			    rows[i].lead);
			if (shape == CJ_FULL)
				n += want_str(rows[i].level_name, route,
				    "level", rows[i].level_name) +
				    want_bool(rows[i].level_name, route,
				    "fallback", rows[i].fallback);
			if (n > 0)
				print_error("shape %d: %s\n", (int)shape,
				    text);
			bad += n;
			json_decref(o);
			free(text);
		}
	}
	c->level = JL_TOWNSHIP;
	snprintf(c->category, sizeof c->category, "1105");
	return bad;
}

static void
test_casejson_refdata(void **state)
{
	struct refdata		*rd = NULL;
	struct store_case	 c;
	struct diag		 d;
	struct jbuf		 b;
	const char		*keys[MAXKEYS];
	json_t			*o, *route, *tree;
	char			 text[4096], *full, *queue;
	size_t			 n, bad = 0;
	int			 rc;

	(void)state;
	diag_init(&d);
	rc = refdata_load(tu_datadir(), &rd, &d);
	diag_text(&d, text, sizeof text);
	diag_free(&d);
	if (rc != 0) {
		refdata_free(rd);
		fail_msg("%s: %s\n%s", tu_datadir(), gl_strerror_name(rc),
		    text);
	}
	cj_fill(&c, &cj_rows[3]);	/* full, location, agency */

	jbuf_init(&b);
	casejson_write(&b, &c, rd, CJ_FULL);
	full = jbuf_take(&b);
	o = cj_parse("full with refdata", full);
	assert_non_null(o);
	n = keys_add(keys, 0, queue_keys);
	n = keys_add(keys, n, full_keys);
	keys[n++] = "location";
	n = keys_add(keys, n, queue_name_keys);
	n = keys_add(keys, n, full_name_keys);
	bad += keys_check("full with refdata", o, keys, n);
	/* From data/: grids.tsv, townships.tsv, categories.tsv, duty.tsv
	 * (1105 has its row at the district 330203). */
	bad += want_str("full", o, "township_name", "西门街道");
	bad += want_str("full", o, "category_name", "路灯不亮");
	bad += want_str("full", o, "platform", "便民服务");
	bad += want_str("full", o, "agency_name", "海曙区综合行政执法局");
	bad += want_str("full", o, "district_name", "海曙区");
	route = json_object_get(o, "route");
	if (!json_is_object(route)) {
		print_error("full: route is not an object\n");
		bad++;
	} else {
		json_t	*rule = json_object_get(route, "rule");

		bad += keys_check("full route", route,
		    (const char *[]){ "lead", "lead_name", "reason", "level",
		    "fallback", "rule", "support" }, 7);
		bad += keys_check("full route rule", rule,
		    (const char *[]){ "file", "line", "category",
		    "category_name", "juris", "juris_name" }, 6);
		bad += want_str("full route rule", rule, "file", "duty.tsv");
		bad += want_str("full route rule", rule, "category", "1105");
		bad += want_str("full route rule", rule, "category_name",
		    "路灯不亮");
		bad += want_str("full route rule", rule, "juris", "330203");
		bad += want_str("full route rule", rule, "juris_name",
		    "海曙区");
		if (json_integer_value(json_object_get(rule, "line")) <= 1 ||
		    json_array_size(json_object_get(route, "support")) != 0) {
			print_error("full route: rule line or support wrong\n");
			bad++;
		}
		bad += want_str("full route", route, "level", "township");
		if (!json_is_false(json_object_get(route, "fallback"))) {
			print_error("full route: fallback is not false\n");
			bad++;
		}
		bad += want_str("full route", route, "lead", "330203.ZF");
		bad += want_str("full route", route, "lead_name",
		    "海曙区综合行政执法局");
		if (!json_is_string(json_object_get(route, "reason")) ||
		    json_string_length(json_object_get(route, "reason")) ==
		    0) {
			print_error("full route: no reason\n");
			bad++;
		}
	}
	tree = casejson_case(&c, rd);
	if (tree == NULL || !json_equal(tree, o)) {
		print_error("casejson_case with refdata differs\n");
		bad++;
	}
	json_decref(tree);
	json_decref(o);

	jbuf_init(&b);
	casejson_write(&b, &c, rd, CJ_QUEUE);
	queue = jbuf_take(&b);
	o = cj_parse("queue with refdata", queue);
	assert_non_null(o);
	n = keys_add(keys, 0, queue_keys);
	n = keys_add(keys, n, queue_name_keys);
	bad += keys_check("queue with refdata", o, keys, n);
	bad += want_str("queue", o, "township_name", "西门街道");
	bad += want_str("queue", o, "category_name", "路灯不亮");
	route = json_object_get(o, "route");
	if (!json_is_object(route)) {
		print_error("queue: route is not an object\n");
		bad++;
	} else {
		bad += keys_check("queue route", route,
		    (const char *[]){ "lead", "lead_name" }, 2);
		bad += want_str("queue route", route, "lead", "330203.ZF");
	}
	json_decref(o);
	bad += cj_route_levels(&c, rd);
	if (bad > 0)
		print_error("full: %s\nqueue: %s\n", full, queue);
	free(full);
	free(queue);
	refdata_free(rd);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jbuf_table),
		cmocka_unit_test(test_jbuf_controls),
		cmocka_unit_test(test_jbuf_take),
		cmocka_unit_test(test_jbuf_grow),
		cmocka_unit_test(test_jbuf_roundtrip),
		cmocka_unit_test(test_jbuf_num_locale),
		cmocka_unit_test(test_casejson_table),
		cmocka_unit_test(test_casejson_text),
		cmocka_unit_test(test_casejson_event),
		cmocka_unit_test(test_casejson_time),
		cmocka_unit_test(test_gltime_format),
		cmocka_unit_test(test_jbuf_locale_text),
		cmocka_unit_test(test_casejson_refdata),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
