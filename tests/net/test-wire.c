/*
 * test-wire.c: table-driven tests of net/wire.c, the ingest codec.
 *
 * Each row of the request table is a message (bytes with an explicit length,
 * so a row may hold NUL) and what decoding it must give: the return value,
 * the request-level code, the number of items and each item's code and
 * field. Long inputs are written as a template whose "%s" markers are
 * expanded at run time (a summary of 2000 characters, an array of 10,000
 * items, 17 nested brackets); every input is copied into a buffer of
 * exactly its length, so ASan sees any read past the end. Expectations come
 * from net/wire.h and the "Ingest" section of issue 4, not from the decoder.
 *
 * Documented outcomes worth a note:
 * - "\u0000" inside a string is invalid_json: jansson refuses it without
 *   JSON_ALLOW_NUL; a raw NUL byte is nul_byte, found before parsing.
 * - Duplicate keys are invalid_json (JSON_REJECT_DUPLICATES).
 * - null in an optional field counts as absent; in a required field it is
 *   wrong_type.
 *
 * The reply tests decode a request, fill results as the server would, and
 * parse the reply back with jansson to check its shape. Every failing row
 * is printed before the test fails, so that one bug does not hide others.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "utf8.h"
#include "wire.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define MAXITEM		5

/* The receiving time of every row: 2026-11-18T19:06:40+08:00. */
#define NOW		((time_t)1795000000)

/* Message bytes with their length (a message may hold NUL). */
#define B(s)		.in = (s), .len = sizeof (s) - 1

/* Fragments of an item. */
#define ID(x)		"\"id\":\"" x "\""
#define GRID		"\"grid\":\"330203001001001\""
#define CAT		"\"category\":\"0101\""
#define TIME		"\"reported_at\":\"2026-11-18T10:00:00+08:00\""
#define AT(t)		"\"reported_at\":\"" t "\""
#define SUM		"\"summary\":\"望京路与中山西路口井盖缺失\""
#define LOC		"\"location\":{\"lat\":29.8683,\"lon\":121.5440}"
/* An item of five fragments; "\"_1\":0" and so on stand in for a missing
 * field (an unknown key, ignored). */
#define MK(i, g, c, t, s)	"{" i "," g "," c "," t "," s "}"
#define GOOD(x)		MK(ID(x), GRID, CAT, TIME, SUM)
/* A good item plus one more field. */
#define WITH(f)		"{" ID("w1") "," GRID "," CAT "," TIME "," SUM "," \
			f "}"
/* The shortest good item, for 10,000 of them. */
#define TINY		"{\"id\":\"t\",\"grid\":\"330203001001001\"," \
			"\"category\":\"0101\",\"reported_at\":" \
			"\"2026-11-18T02:00:00Z\",\"summary\":\"x\"}"

#define REQ(c)		.rc = -1, .code = (c)
#define ONE(c, f)	.n = 1, .it = { { (c), (f) } }
#define OK1		.n = 1

struct want_item {
	const char	*code;		/* NULL or "": accepted */
	const char	*field;
};

struct wire_case {
	const char	*name;
	const char	*in;		/* bytes, or a template with %s */
	size_t		 len;		/* 0: strlen(in) */
	const char	*rep[2];	/* i-th %s: rep[i], count times */
	size_t		 count;
	size_t		 fill;		/* count giving len == fill */
	size_t		 max;		/* max_len, 0: WIRE_MAX_MESSAGE */
	int		 rc;
	const char	*code;		/* request-level code or NULL */
	const char	*msg;		/* in the first message */
	size_t		 n;
	struct want_item it[MAXITEM];	/* items past MAXITEM: accepted */
};

static const struct wire_case wire_cases[] = {
	/* --- accepted ------------------------------------------------- */
	{ "good object, Chinese summary, location",
	    .in = WITH(LOC), OK1 },
	{ "good array of 3",
	    .in = "[" GOOD("a") "," GOOD("b") "," GOOD("c") "]", .n = 3 },
	{ "whitespace around the value",
	    .in = " \r\n\t" GOOD("a") " \n", OK1 },
	{ "all optional fields",
	    .in = WITH("\"reporter\":\"张三\",\"source\":\"hotline\","
	    "\"priority\":1,\"address\":\"海曙区望京路\"," LOC ","
	    "\"photos\":[\"https://p/1.jpg\",\"https://p/2.jpg\"]"), OK1 },
	{ "every source",
	    .in = "[" WITH("\"source\":\"grid-app\"") ","
	    WITH("\"source\":\"hotline\"") "," WITH("\"source\":\"sensor\"")
	    "," WITH("\"source\":\"web\"") "]", .n = 4 },
	{ "priority 3", .in = WITH("\"priority\":3"), OK1 },
	{ "null optional fields are absent",
	    .in = WITH("\"reporter\":null,\"source\":null,\"priority\":null,"
	    "\"address\":null,\"location\":null,\"photos\":null"), OK1 },
	{ "unknown fields ignored",
	    .in = WITH("\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"v\":2"),
	    OK1 },
	{ "location bounds inclusive",
	    .in = WITH("\"location\":{\"lat\":-90,\"lon\":180}"), OK1 },
	{ "location integers and exponent",
	    .in = WITH("\"location\":{\"lat\":3e1,\"lon\":-1.2E2}"), OK1 },
	{ "empty photos", .in = WITH("\"photos\":[]"), OK1 },
	{ "empty reporter and address",
	    .in = WITH("\"reporter\":\"\",\"address\":\"\""), OK1 },
	{ "reported_at with Z",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T02:00:00Z"), SUM),
	    OK1 },
	{ "reported_at with +08:00 and a fraction",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T10:00:00.123456+08:00"),
	    SUM), OK1 },
	{ "reported_at with a negative offset",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-17T21:00:00-05:00"), SUM),
	    OK1 },
	{ "reported_at 300 s ahead is clock skew",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T19:11:40+08:00"), SUM),
	    OK1 },
	{ "reported_at at the first second of 2000",
	    .in = MK(ID("a"), GRID, CAT, AT("2000-01-01T00:00:00Z"), SUM),
	    OK1 },
	{ "reported_at 2000-01-01 in UTC+8 is 1999 in UTC, still accepted",
	    .in = MK(ID("a"), GRID, CAT, AT("2000-01-01T08:00:00+08:00"), SUM),
	    OK1 },
	{ "escapes decoded",
	    .in = MK(ID("a\\n\\u4e95"), GRID, CAT, TIME,
	    "\"summary\":\"\\u4e95\\u76d6 \\\"x\\\" \\ud83d\\ude00\""), OK1 },
	{ "id of 128 bytes",
	    .in = MK("\"id\":\"%s\"", GRID, CAT, TIME, SUM), .rep = { "i" },
	    .count = 128, OK1 },
	{ "summary of 2000 Chinese characters",
	    .in = MK(ID("a"), GRID, CAT, TIME, "\"summary\":\"%s\""),
	    .rep = { "井" }, .count = 2000, OK1 },
	{ "reporter of 64 characters",
	    .in = WITH("\"reporter\":\"%s\""), .rep = { "张" }, .count = 64,
	    OK1 },
	{ "address of 500 characters",
	    .in = WITH("\"address\":\"%s\""), .rep = { "路" }, .count = 500,
	    OK1 },
	{ "20 photos",
	    .in = WITH("\"photos\":[%s\"u\"]"), .rep = { "\"u\"," },
	    .count = 19, OK1 },
	{ "photo URL of 1024 bytes",
	    .in = WITH("\"photos\":[\"%s\"]"), .rep = { "u" }, .count = 1024,
	    OK1 },
	{ "message exactly max_len",
	    .in = WITH("\"pad\":\"%s\""), .rep = { "x" },
	    .fill = WIRE_MAX_MESSAGE, OK1 },
	{ "10000 items",
	    .in = "[%s" TINY "]", .rep = { TINY "," }, .count = 9999,
	    .max = 4 * WIRE_MAX_MESSAGE, .n = 10000 },
	{ "depth 16 passes the screen",
	    .in = "%s%s", .rep = { "[", "]" }, .count = 16,
	    ONE("not_object", "") },
	{ "brackets in a string do not nest",
	    .in = MK(ID("a"), GRID, CAT, TIME, "\"summary\":\"%s\""),
	    .rep = { "[{" }, .count = 40, OK1 },
	{ "escaped quote keeps the scan in the string",
	    .in = MK(ID("a"), GRID, CAT, TIME, "\"summary\":\"\\\"%s\""),
	    .rep = { "[" }, .count = 40, OK1 },

	/* --- request level ------------------------------------------- */
	{ "too_large", .in = "\"%s\"", .rep = { "x" },
	    .count = WIRE_MAX_MESSAGE - 1, REQ("too_large") },
	{ "too_large with a small max_len", .in = GOOD("a"), .max = 10,
	    REQ("too_large") },
	{ "raw NUL byte", B("{\"id\":\"a\0b\"}"), REQ("nul_byte") },
	{ "NUL byte after the value", B(GOOD("a") "\0"), REQ("nul_byte") },
	{ "NUL byte only", B("\0"), REQ("nul_byte") },
	{ "invalid UTF-8 byte", .in = "{\"id\":\"\xff\"}",
	    REQ("invalid_utf8") },
	{ "overlong UTF-8", .in = "{\"id\":\"\xc0\xaf\"}",
	    REQ("invalid_utf8") },
	{ "UTF-8 surrogate", .in = "{\"id\":\"\xed\xa0\x80\"}",
	    REQ("invalid_utf8") },
	{ "truncated UTF-8 at the end", B("{\"id\":\"\xe4\xb8"),
	    REQ("invalid_utf8") },
	{ "invalid UTF-8 beats invalid JSON", .in = "\xfe{",
	    REQ("invalid_utf8") },
	{ "depth 17 arrays", .in = "%s%s", .rep = { "[", "]" }, .count = 17,
	    REQ("too_deep") },
	{ "depth 17 objects", .in = "[%s1%s]", .rep = { "{\"a\":", "}" },
	    .count = 16, REQ("too_deep") },
	{ "depth 17 unclosed", .in = "%s", .rep = { "{\"a\":[" },
	    .count = 9, REQ("too_deep") },
	{ "escaped backslash ends the string",
	    .in = "[{\"s\":\"x\\\\\",\"pad\":%s0%s}]", .rep = { "[", "]" },
	    .count = 16, REQ("too_deep") },
	{ "empty message", .in = "", REQ("invalid_json") },
	{ "whitespace only", .in = " \n ", REQ("invalid_json") },
	{ "not JSON", .in = "hello", REQ("invalid_json"), .msg = "line 1" },
	{ "truncated object", .in = "{\"id\":\"a\"", REQ("invalid_json") },
	{ "missing value", .in = "{\"id\":}", REQ("invalid_json"),
	    .msg = "line 1 column" },
	{ "trailing comma", .in = "[" GOOD("a") ",]", REQ("invalid_json") },
	{ "single quotes", .in = "{'id':'a'}", REQ("invalid_json") },
	{ "trailing bytes", .in = GOOD("a") " x", REQ("invalid_json") },
	{ "two values", .in = GOOD("a") GOOD("b"), REQ("invalid_json") },
	{ "duplicate key", .in = "{\"id\":\"a\",\"id\":\"b\"}",
	    REQ("invalid_json"), .msg = "duplicate" },
	{ "duplicate key in an item of an array",
	    .in = "[" GOOD("a") ",{\"id\":\"b\",\"grid\":\"1\","
	    "\"grid\":\"2\"}]",
	    REQ("invalid_json") },
	{ "\\u0000 in a string", .in = MK(ID("a\\u0000b"), GRID, CAT, TIME,
	    SUM), REQ("invalid_json") },
	{ "lone surrogate escape", .in = MK(ID("a\\ud800"), GRID, CAT, TIME,
	    SUM), REQ("invalid_json") },
	{ "bad escape", .in = MK(ID("a\\q"), GRID, CAT, TIME, SUM),
	    REQ("invalid_json") },
	{ "raw control character in a string", .in = "{\"id\":\"a\tb\"}",
	    REQ("invalid_json") },
	{ "integer overflow", .in = WITH("\"n\":99999999999999999999999"),
	    REQ("invalid_json") },
	{ "top-level number", .in = "42", REQ("not_object") },
	{ "top-level string", .in = "\"x\"", REQ("not_object") },
	{ "top-level null", .in = "null", REQ("not_object") },
	{ "top-level true", .in = "true", REQ("not_object") },
	{ "empty array", .in = "[]", REQ("empty_array") },
	{ "empty array with blanks", .in = " [ \n ] ", REQ("empty_array") },
	{ "10001 items", .in = "[%s{}]", .rep = { "{}," }, .count = 10000,
	    REQ("too_many_items") },

	/* --- item level: each item judged alone ---------------------- */
	{ "mixed array",
	    .in = "[" GOOD("a") "," MK(ID("b"), "\"_1\":0", CAT, TIME, SUM)
	    "," WITH("\"priority\":\"2\"") "," GOOD("d") "]", .n = 4,
	    .it = { { "", "" }, { "missing_field", "grid" },
	    { "wrong_type", "priority" }, { "", "" } } },
	{ "items that are not objects",
	    .in = "[1,\"x\",null,[]," GOOD("a") "]", .n = 5,
	    .it = { { "not_object", "" }, { "not_object", "" },
	    { "not_object", "" }, { "not_object", "" }, { "", "" } } },
	{ "empty object", .in = "{}", ONE("missing_field", "id") },
	{ "missing id", .in = MK("\"_1\":0", GRID, CAT, TIME, SUM),
	    ONE("missing_field", "id") },
	{ "missing grid", .in = MK(ID("a"), "\"_1\":0", CAT, TIME, SUM),
	    ONE("missing_field", "grid") },
	{ "missing category", .in = MK(ID("a"), GRID, "\"_1\":0", TIME, SUM),
	    ONE("missing_field", "category") },
	{ "missing reported_at", .in = MK(ID("a"), GRID, CAT, "\"_1\":0", SUM),
	    ONE("missing_field", "reported_at") },
	{ "missing summary", .in = MK(ID("a"), GRID, CAT, TIME, "\"_1\":0"),
	    ONE("missing_field", "summary") },
	{ "missing location.lat",
	    .in = WITH("\"location\":{\"lon\":121.5}"),
	    ONE("missing_field", "location.lat") },
	{ "missing location.lon",
	    .in = WITH("\"location\":{\"lat\":29.8}"),
	    ONE("missing_field", "location.lon") },
	{ "wrong type id", .in = MK("\"id\":17", GRID, CAT, TIME, SUM),
	    ONE("wrong_type", "id"), .msg = "expected string, got integer" },
	{ "null id", .in = MK("\"id\":null", GRID, CAT, TIME, SUM),
	    ONE("wrong_type", "id"), .msg = "got null" },
	{ "wrong type grid",
	    .in = MK(ID("a"), "\"grid\":330203001001001", CAT, TIME, SUM),
	    ONE("wrong_type", "grid") },
	{ "wrong type category",
	    .in = MK(ID("a"), GRID, "\"category\":101", TIME, SUM),
	    ONE("wrong_type", "category") },
	{ "wrong type reported_at",
	    .in = MK(ID("a"), GRID, CAT, "\"reported_at\":1795000000", SUM),
	    ONE("wrong_type", "reported_at") },
	{ "wrong type summary",
	    .in = MK(ID("a"), GRID, CAT, TIME, "\"summary\":[\"x\"]"),
	    ONE("wrong_type", "summary"), .msg = "got array" },
	{ "wrong type reporter", .in = WITH("\"reporter\":true"),
	    ONE("wrong_type", "reporter"), .msg = "got boolean" },
	{ "wrong type source", .in = WITH("\"source\":1"),
	    ONE("wrong_type", "source") },
	{ "priority as a string", .in = WITH("\"priority\":\"2\""),
	    ONE("wrong_type", "priority"), .msg = "expected integer" },
	{ "priority as a real", .in = WITH("\"priority\":2.0"),
	    ONE("wrong_type", "priority"), .msg = "got number" },
	{ "wrong type address", .in = WITH("\"address\":{}"),
	    ONE("wrong_type", "address"), .msg = "got object" },
	{ "wrong type location", .in = WITH("\"location\":[29.8,121.5]"),
	    ONE("wrong_type", "location"), .msg = "expected object" },
	{ "wrong type location.lat",
	    .in = WITH("\"location\":{\"lat\":\"29.8\",\"lon\":121.5}"),
	    ONE("wrong_type", "location.lat"), .msg = "expected number" },
	{ "wrong type photos", .in = WITH("\"photos\":\"https://p/1.jpg\""),
	    ONE("wrong_type", "photos"), .msg = "expected array" },
	{ "wrong type photo", .in = WITH("\"photos\":[\"u\",7]"),
	    ONE("wrong_type", "photos"), .msg = "photos[1]" },
	{ "empty id", .in = MK(ID(""), GRID, CAT, TIME, SUM),
	    ONE("bad_value", "id") },
	{ "grid of 14 digits",
	    .in = MK(ID("a"), "\"grid\":\"33020300100100\"", CAT, TIME, SUM),
	    ONE("bad_value", "grid") },
	{ "grid of 16 digits",
	    .in = MK(ID("a"), "\"grid\":\"3302030010010011\"", CAT, TIME, SUM),
	    ONE("bad_value", "grid") },
	{ "grid with a letter",
	    .in = MK(ID("a"), "\"grid\":\"33020300100100x\"", CAT, TIME, SUM),
	    ONE("bad_value", "grid") },
	{ "grid in full-width digits",
	    .in = MK(ID("a"), "\"grid\":\"３３０２０３００１００１００１\"",
	    CAT, TIME, SUM), ONE("bad_value", "grid") },
	{ "category of 3 digits",
	    .in = MK(ID("a"), GRID, "\"category\":\"101\"", TIME, SUM),
	    ONE("bad_value", "category") },
	{ "category with a sign",
	    .in = MK(ID("a"), GRID, "\"category\":\"-101\"", TIME, SUM),
	    ONE("bad_value", "category") },
	{ "empty summary",
	    .in = MK(ID("a"), GRID, CAT, TIME, "\"summary\":\"\""),
	    ONE("bad_value", "summary") },
	{ "unknown source", .in = WITH("\"source\":\"phone\""),
	    ONE("bad_value", "source") },
	{ "source in capitals", .in = WITH("\"source\":\"WEB\""),
	    ONE("bad_value", "source") },
	{ "priority 0", .in = WITH("\"priority\":0"),
	    ONE("bad_value", "priority") },
	{ "priority 4", .in = WITH("\"priority\":4"),
	    ONE("bad_value", "priority") },
	{ "priority -1", .in = WITH("\"priority\":-1"),
	    ONE("bad_value", "priority") },
	{ "lat 90.5", .in = WITH("\"location\":{\"lat\":90.5,\"lon\":1}"),
	    ONE("bad_value", "location.lat") },
	{ "lon -181", .in = WITH("\"location\":{\"lat\":1,\"lon\":-181}"),
	    ONE("bad_value", "location.lon") },
	{ "id of 129 bytes",
	    .in = MK("\"id\":\"%s\"", GRID, CAT, TIME, SUM), .rep = { "i" },
	    .count = 129, ONE("too_long", "id") },
	{ "summary of 2001 Chinese characters",
	    .in = MK(ID("a"), GRID, CAT, TIME, "\"summary\":\"%s\""),
	    .rep = { "井" }, .count = 2001, ONE("too_long", "summary"),
	    .msg = "2001 characters" },
	{ "reporter of 65 characters",
	    .in = WITH("\"reporter\":\"%s\""), .rep = { "张" }, .count = 65,
	    ONE("too_long", "reporter") },
	{ "address of 501 characters",
	    .in = WITH("\"address\":\"%s\""), .rep = { "路" }, .count = 501,
	    ONE("too_long", "address") },
	{ "21 photos",
	    .in = WITH("\"photos\":[%s\"u\"]"), .rep = { "\"u\"," },
	    .count = 20, ONE("too_long", "photos") },
	{ "photo URL of 1025 bytes",
	    .in = WITH("\"photos\":[\"%s\"]"), .rep = { "u" }, .count = 1025,
	    ONE("too_long", "photos") },
	{ "month 13",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-13-01T00:00:00+08:00"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "February 30",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-02-30T10:00:00+08:00"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "February 29 of a common year",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-02-29T10:00:00+08:00"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "no offset",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T10:00:00"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "no seconds",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T10:00+08:00"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "date only",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "hour 24",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T24:00:00+08:00"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "offset without colon",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T10:00:00+0800"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "the last second of 1999",
	    .in = MK(ID("a"), GRID, CAT, AT("1999-12-31T23:59:59Z"), SUM),
	    ONE("bad_time", "reported_at"), .msg = "before 2000" },
	{ "year 1",
	    .in = MK(ID("a"), GRID, CAT, AT("0001-01-01T00:00:00Z"), SUM),
	    ONE("bad_time", "reported_at"), .msg = "before 2000" },
	{ "year 1600",
	    .in = MK(ID("a"), GRID, CAT, AT("1600-03-01T10:00:00+08:00"), SUM),
	    ONE("bad_time", "reported_at"), .msg = "before 2000" },
	{ "a leap second",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T10:00:60Z"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "a real leap second (2016-12-31)",
	    .in = MK(ID("a"), GRID, CAT, AT("2016-12-31T23:59:60Z"), SUM),
	    ONE("bad_time", "reported_at") },
	{ "words",
	    .in = MK(ID("a"), GRID, CAT, AT("昨天下午三点"), SUM),
	    ONE("bad_time", "reported_at"), .msg = "昨天下午三点" },
	{ "10 minutes in the future",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T19:16:40+08:00"), SUM),
	    ONE("future_time", "reported_at"), .msg = "600 s" },
	{ "301 s in the future",
	    .in = MK(ID("a"), GRID, CAT, AT("2026-11-18T11:11:41Z"), SUM),
	    ONE("future_time", "reported_at") },
	{ "first problem wins: missing grid before wrong priority",
	    .in = "{" ID("a") "," CAT "," TIME "," SUM ",\"priority\":\"2\"}",
	    ONE("missing_field", "grid") },
	{ "first problem wins: id before summary",
	    .in = MK("\"id\":1", GRID, CAT, TIME, "\"summary\":\"\""),
	    ONE("wrong_type", "id") },
	{ "first problem wins: lat before lon",
	    .in = WITH("\"location\":{\"lat\":100,\"lon\":200}"),
	    ONE("bad_value", "location.lat") },
};

/* The bytes of row c into a buffer of exactly their length. */
static char *
case_bytes(const struct wire_case *c, size_t *len)
{
	const char	*t = c->in, *p;
	size_t		 tlen, count = c->count, i, k, off = 0, r = 0;
	char		*buf;

	tlen = c->len != 0 ? c->len : strlen(t);
	if (c->rep[0] == NULL) {
		if ((buf = malloc(tlen > 0 ? tlen : 1)) == NULL)
			abort();
		memcpy(buf, t, tlen);
		*len = tlen;
		return buf;
	}
	if (c->fill != 0)	/* one %s: count bytes of rep[0] */
		count = (c->fill - (tlen - 2)) / strlen(c->rep[0]);
	*len = tlen;
	for (k = 0; k < 2 && c->rep[k] != NULL; k++)
		*len += count * strlen(c->rep[k]) - 2;
	if ((buf = malloc(*len)) == NULL)
		abort();
	for (p = t; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's' && r < 2 && c->rep[r] != NULL) {
			for (i = 0; i < count; i++) {
				memcpy(buf + off, c->rep[r], strlen(c->rep[r]));
				off += strlen(c->rep[r]);
			}
			r++, p++;
		} else
			buf[off++] = *p;
	}
	if (off != *len)
		abort();
	return buf;
}

/* Compare one item with its expectation; 0 or -1 after printing. */
static int
check_item(const struct wire_case *c, size_t i, const struct wire_item *it)
{
	const struct want_item	*w = i < MAXITEM ? &c->it[i] : NULL;
	const char		*code = w != NULL && w->code != NULL ?
				    w->code : "";
	const char		*field = w != NULL && w->field != NULL ?
				    w->field : "";

	if (strcmp(it->err.code, code) == 0 &&
	    strcmp(it->err.field, field) == 0)
		return 0;
	print_error("%s: item %zu: got %s/%s (%s), want %s/%s\n", c->name,
	    i, it->err.code, it->err.field, it->err.message, code, field);
	return -1;
}

/* The message a row's .msg is matched against. */
static const char *
case_message(const struct wire_ingest *w)
{
	if (w->err.code[0] != '\0' || w->n == 0)
		return w->err.message;
	return w->items[0].err.message;
}

static int
check_case(const struct wire_case *c)
{
	struct wire_ingest	 w;
	char			*buf;
	size_t			 len, i;
	int			 rc, bad = 0;

	buf = case_bytes(c, &len);
	rc = wire_ingest_decode(buf, len, c->max != 0 ? c->max :
	    WIRE_MAX_MESSAGE, NOW, &w);
	if (rc != c->rc || strcmp(w.err.code, c->code ? c->code : "") != 0 ||
	    w.n != c->n) {
		print_error("%s: got rc %d code '%s' (%s) n %zu, want rc %d "
		    "code '%s' n %zu\n", c->name, rc, w.err.code, w.err.message,
		    w.n, c->rc, c->code ? c->code : "", c->n);
		bad = 1;
	}
	for (i = 0; !bad && i < w.n; i++)
		if (check_item(c, i, &w.items[i]) != 0)
			bad = 1;
	if (!bad && c->msg != NULL &&
	    strstr(case_message(&w), c->msg) == NULL) {
		print_error("%s: message '%s' lacks '%s'\n", c->name,
		    case_message(&w), c->msg);
		bad = 1;
	}
	wire_ingest_free(&w);
	free(buf);
	return bad ? -1 : 0;
}

static void
test_decode_table(void **state)
{
	size_t	i, nbad = 0;

	(void)state;
	for (i = 0; i < NITEMS(wire_cases); i++)
		if (check_case(&wire_cases[i]) != 0)
			nbad++;
	if (nbad != 0)
		fail_msg("%zu of %zu rows failed", nbad, NITEMS(wire_cases));
}

/* Decode a NUL-terminated request that must be read as a whole. */
static void
decode(const char *s, struct wire_ingest *w)
{
	assert_int_equal(wire_ingest_decode(s, strlen(s), WIRE_MAX_MESSAGE,
	    NOW, w), 0);
}

static void
test_decode_fields(void **state)
{
	struct wire_ingest	 w;
	const struct incident	*in;
	time_t			 t;

	(void)state;
	decode(WITH("\"reporter\":\"张三\",\"source\":\"hotline\","
	    "\"priority\":2,\"address\":\"海曙区望京路\"," LOC ","
	    "\"photos\":[\"https://p/1.jpg\",\"https://p/井.jpg\"]"), &w);
	assert_int_equal(w.n, 1);
	assert_false(w.is_array);
	in = &w.items[0].in;
	assert_string_equal(w.items[0].err.code, "");
	assert_string_equal(w.items[0].id, "w1");
	assert_string_equal(in->ext_id, "w1");
	assert_string_equal(in->grid, "330203001001001");
	assert_string_equal(in->category, "0101");
	assert_string_equal(in->summary, "望京路与中山西路口井盖缺失");
	assert_string_equal(in->reporter, "张三");
	assert_string_equal(in->source, "hotline");
	assert_string_equal(in->address, "海曙区望京路");
	assert_int_equal(in->priority, 2);
	assert_int_equal(in->has_location, 1);
	assert_true(in->lat > 29.8682 && in->lat < 29.8684);
	assert_true(in->lon > 121.5439 && in->lon < 121.5441);
	assert_string_equal(in->photos,
	    "[\"https://p/1.jpg\",\"https://p/井.jpg\"]");
	assert_ptr_equal(in->photos, w.items[0].photos);
	assert_int_equal(gltime_parse("2026-11-18T02:00:00Z", &t), 0);
	assert_int_equal(in->reported_at, t);
	wire_ingest_free(&w);
}

static void
test_decode_absent(void **state)
{
	struct wire_ingest	 w;
	const struct incident	*in;

	(void)state;
	decode("[" WITH("\"address\":null") "]", &w);
	assert_int_equal(w.n, 1);
	assert_true(w.is_array);
	in = &w.items[0].in;
	assert_string_equal(w.items[0].err.code, "");
	assert_int_equal(in->priority, 0);
	assert_int_equal(in->has_location, 0);
	assert_null(in->reporter);
	assert_null(in->source);
	assert_null(in->address);
	assert_null(in->photos);
	assert_null(w.items[0].photos);
	wire_ingest_free(&w);
}

/* Fill items[i].result as the server would. */
static void
set_result(struct wire_item *it, const char *no, const char *dup,
    int replayed)
{
	snprintf(it->result.no, sizeof it->result.no, "%s", no);
	if (dup != NULL) {
		it->result.duplicate_of = 7;
		snprintf(it->result.duplicate_no,
		    sizeof it->result.duplicate_no, "%s", dup);
	}
	it->result.replayed = replayed;
}

/* Reply of w parsed back; the caller json_decref()s it. */
static json_t *
reply_json(const struct wire_ingest *w)
{
	json_error_t	 jerr;
	json_t		*r;
	char		*s;

	s = wire_ingest_reply(w);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"ok\":"));	/* compact */
	r = json_loads(s, 0, &jerr);
	if (r == NULL)
		fail_msg("reply is not JSON: %s: %s", jerr.text, s);
	free(s);
	assert_true(json_is_object(r));
	return r;
}

static void
check_accepted(json_t *res, const char *id, const char *no, const char *dup,
    int replayed)
{
	assert_true(json_is_object(res));
	assert_string_equal(json_string_value(json_object_get(res, "id")), id);
	assert_true(json_is_true(json_object_get(res, "ok")));
	assert_string_equal(json_string_value(json_object_get(res, "case")),
	    no);
	if (dup == NULL)
		assert_true(json_is_null(json_object_get(res, "duplicate_of")));
	else
		assert_string_equal(json_string_value(json_object_get(res,
		    "duplicate_of")), dup);
	assert_true(json_is_boolean(json_object_get(res, "replayed")));
	assert_int_equal(json_is_true(json_object_get(res, "replayed")),
	    replayed);
	assert_null(json_object_get(res, "error"));
}

/* id NULL: the reply must show "id": null. field NULL: "field": null. */
static void
check_rejected(json_t *res, const char *id, const char *code,
    const char *field)
{
	json_t	*e = json_object_get(res, "error");

	if (id == NULL)
		assert_true(json_is_null(json_object_get(res, "id")));
	else
		assert_string_equal(json_string_value(json_object_get(res,
		    "id")), id);
	assert_true(json_is_false(json_object_get(res, "ok")));
	assert_true(json_is_object(e));
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	    code);
	if (field == NULL)
		assert_true(json_is_null(json_object_get(e, "field")));
	else
		assert_string_equal(json_string_value(json_object_get(e,
		    "field")), field);
	assert_true(json_is_string(json_object_get(e, "message")));
	assert_true(json_string_length(json_object_get(e, "message")) > 0);
	assert_null(json_object_get(res, "case"));
}

static void
test_reply_mixed(void **state)
{
	struct wire_ingest	 w;
	json_t			*r, *a;

	(void)state;
	decode("[" GOOD("a") "," MK(ID("b"), "\"_1\":0", CAT, TIME, SUM)
	    ",42," GOOD("d") "," MK("\"id\":5", GRID, CAT, TIME, SUM) ","
	    GOOD("f") "]", &w);
	assert_int_equal(w.n, 6);
	set_result(&w.items[0], "330203-20261118-00001", NULL, 0);
	set_result(&w.items[3], "330203-20261118-00002",
	    "330203-20261118-00001", 1);
	/* The server rejects f after decoding; a second failure is ignored. */
	wire_item_fail(&w.items[5], "unknown_grid", "grid",
	    "grid %s: unknown", "330203001001001");
	wire_item_fail(&w.items[5], "store_failed", "", "not this one");
	assert_string_equal(w.items[5].err.code, "unknown_grid");

	r = reply_json(&w);
	assert_true(json_is_false(json_object_get(r, "ok")));
	assert_null(json_object_get(r, "error"));
	a = json_object_get(r, "results");
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), 6);
	check_accepted(json_array_get(a, 0), "a", "330203-20261118-00001",
	    NULL, 0);
	check_rejected(json_array_get(a, 1), "b", "missing_field", "grid");
	check_rejected(json_array_get(a, 2), NULL, "not_object", NULL);
	check_accepted(json_array_get(a, 3), "d", "330203-20261118-00002",
	    "330203-20261118-00001", 1);
	check_rejected(json_array_get(a, 4), NULL, "wrong_type", "id");
	check_rejected(json_array_get(a, 5), "f", "unknown_grid", "grid");
	json_decref(r);
	wire_ingest_free(&w);
}

static void
test_reply_single(void **state)
{
	struct wire_ingest	 w;
	json_t			*r, *a;

	(void)state;
	decode(GOOD("only"), &w);
	set_result(&w.items[0], "330203-20261118-00042", NULL, 0);
	r = reply_json(&w);
	assert_true(json_is_true(json_object_get(r, "ok")));
	a = json_object_get(r, "results");
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), 1);
	check_accepted(json_array_get(a, 0), "only", "330203-20261118-00042",
	    NULL, 0);
	json_decref(r);
	wire_ingest_free(&w);
}

static void
test_reply_request_error(void **state)
{
	static const struct {
		const char	*in;
		const char	*code;
	} rows[] = {
		{ "[]", "empty_array" },
		{ "{\"id\":", "invalid_json" },
		{ "\"x\"", "not_object" },
		{ "\xff", "invalid_utf8" },
	};
	struct wire_ingest	 w;
	json_t			*r, *e;
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		assert_int_equal(wire_ingest_decode(rows[i].in,
		    strlen(rows[i].in), WIRE_MAX_MESSAGE, NOW, &w), -1);
		r = reply_json(&w);
		assert_true(json_is_false(json_object_get(r, "ok")));
		assert_null(json_object_get(r, "results"));
		e = json_object_get(r, "error");
		assert_string_equal(json_string_value(json_object_get(e,
		    "code")), rows[i].code);
		assert_true(json_is_null(json_object_get(e, "field")));
		assert_true(json_is_string(json_object_get(e, "message")));
		json_decref(r);
		wire_ingest_free(&w);
	}
}

/* Messages stay UTF-8 and unescaped; a long one is cut on a character
 * boundary; bad bytes the server wrote itself shorten the message only. */
static void
test_reply_utf8(void **state)
{
	struct wire_ingest	 w;
	json_t			*r, *a, *m;
	char			 big[1024], *s;
	size_t			 i;

	(void)state;
	for (i = 0; i + 3 < sizeof big; i += 3)
		memcpy(big + i, "井", 3);
	big[i] = '\0';
	decode("[" MK(ID("a"), GRID, CAT, AT("昨天"), SUM) "," GOOD("b") ","
	    GOOD("c") "]", &w);
	wire_item_fail(&w.items[1], "unknown_category", "category", "x%s",
	    big);
	assert_true(utf8_valid(w.items[1].err.message,
	    strlen(w.items[1].err.message), NULL));
	snprintf(w.items[2].err.code, sizeof w.items[2].err.code, "%s",
	    "store_failed");
	snprintf(w.items[2].err.message, sizeof w.items[2].err.message,
	    "ok\xff\xfe");
	s = wire_ingest_reply(&w);
	assert_non_null(s);
	assert_non_null(strstr(s, "昨天"));
	assert_null(strstr(s, "\\u"));
	free(s);
	r = reply_json(&w);
	a = json_object_get(r, "results");
	m = json_object_get(json_object_get(json_array_get(a, 1), "error"),
	    "message");
	assert_true(json_string_length(m) > 200);
	m = json_object_get(json_object_get(json_array_get(a, 2), "error"),
	    "message");
	assert_string_equal(json_string_value(m), "ok");
	json_decref(r);
	wire_ingest_free(&w);
}

/* id_conflict names the case the id belongs to in error.params.case (the
 * item's result.no); no other error has params, even with result.no set
 * (a store_failed after a number was taken). */
static void
test_reply_id_conflict(void **state)
{
	struct wire_ingest	 w;
	json_t			*r, *a, *e;

	(void)state;
	decode("[" GOOD("a") "," GOOD("b") "]", &w);
	snprintf(w.items[0].result.no, sizeof w.items[0].result.no, "%s",
	    "330203-20261124-00042");
	wire_item_fail(&w.items[0], "id_conflict", "id", "id already used by "
	    "case 330203-20261124-00042 (source hotline) with another summary");
	snprintf(w.items[1].result.no, sizeof w.items[1].result.no, "%s",
	    "330203-20261124-00043");
	wire_item_fail(&w.items[1], "store_failed", NULL, "disk full");
	r = reply_json(&w);
	a = json_object_get(r, "results");
	assert_true(json_is_false(json_object_get(r, "ok")));
	e = json_object_get(json_array_get(a, 0), "error");
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	    "id_conflict");
	assert_string_equal(json_string_value(json_object_get(e, "field")),
	    "id");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    e, "params"), "case")), "330203-20261124-00042");
	assert_null(json_object_get(json_array_get(a, 0), "case"));
	e = json_object_get(json_array_get(a, 1), "error");
	assert_null(json_object_get(e, "params"));
	json_decref(r);
	wire_ingest_free(&w);
}

static void
test_ingest_free(void **state)
{
	struct wire_ingest	 w;

	(void)state;
	wire_ingest_free(NULL);
	decode(GOOD("a"), &w);
	wire_ingest_free(&w);
	wire_ingest_free(&w);	/* zeroed: a no-op */
	assert_int_equal(wire_ingest_decode(NULL, 0, WIRE_MAX_MESSAGE, NOW,
	    &w), -1);
	assert_string_equal(w.err.code, "invalid_json");
	wire_ingest_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_decode_fields),
		cmocka_unit_test(test_decode_absent),
		cmocka_unit_test(test_reply_mixed),
		cmocka_unit_test(test_reply_single),
		cmocka_unit_test(test_reply_request_error),
		cmocka_unit_test(test_reply_utf8),
		cmocka_unit_test(test_reply_id_conflict),
		cmocka_unit_test(test_ingest_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
