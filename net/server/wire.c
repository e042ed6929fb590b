/*
 * wire.c: the JSON codec of the ingest socket (see wire.h).
 *
 * Decoding runs in three stages, each with its own stable error codes.
 *
 * 1. The bytes are screened by hand before jansson sees them: size, NUL,
 *    strict UTF-8 (core utf8_valid) and nesting depth, by a scan of the
 *    brackets outside strings. jansson would refuse most of these too, but
 *    all as invalid_json with a parser message; screening first gives each
 *    its own code, and a megabyte of '[' is refused in one linear pass
 *    instead of by jansson's recursion (its own limit is 2048 levels).
 *
 * 2. jansson parses the whole buffer as exactly one value. We pass the
 *    length and never JSON_DISABLE_EOF_CHECK: bytes after the value are an
 *    error, not a second request. JSON_REJECT_DUPLICATES makes
 *    {"id":"a","id":"b"} invalid_json, since which id the sender meant is a
 *    guess. "\u0000" inside a string is refused by jansson's default (no
 *    JSON_ALLOW_NUL), also as invalid_json: our strings stay C strings and
 *    the screen's nul_byte code is kept for raw NUL bytes. JSON_DECODE_ANY
 *    lets a bare scalar parse, so that it is reported as not_object rather
 *    than as a parse error.
 *
 * 3. Each item is checked alone, field by field in the order of
 *    wire_fields (required fields first, then optional ones); the first
 *    problem is the item's error and stops its checks. Unknown fields are
 *    ignored so that feeders may send more than we read. Strings are not
 *    copied: the incident points into the jansson tree, which lives until
 *    wire_ingest_free.
 *
 * Choices a reader may want to know about:
 * - JSON null in an optional field means "absent" (feeders built on
 *   nullable columns send it); in a required field it is wrong_type.
 * - Empty id or summary is bad_value; anything over a length limit, in bytes
 *   (id, photo URLs) or characters (summary, reporter, address), and more
 *   than WIRE_MAX_PHOTOS photos, is too_long.
 * - reported_at before 2000-01-01 (year 1, 1600: a feeder's zero date) and
 *   leap seconds (":60", which gltime_parse refuses: time_t has none, and
 *   storing :59 would quietly change the report) are bad_time.
 * - Nested fields are named with a dot: "location.lat".
 * - The reply echoes "id" only when it was a valid id, otherwise null, and
 *   shows "field": null when an error concerns the whole request or item.
 * - Out of memory while decoding is reported as "nomem" (the name of
 *   GL_ENOMEM), at request level, or at item level for the photos text.
 *
 * Rejected: a hand-written parser (jansson is widely fuzzed and ours would
 * not be), and copying every string out of the tree (the server stores the
 * batch before it frees the request, so borrowing is safe and costs
 * nothing).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gltime.h"
#include "utf8.h"
#include "jbuf.h"
#include "wire.h"

#define WIRE_MAX_ID		128	/* bytes */
#define WIRE_MAX_REPORTER	64	/* characters */
#define WIRE_MAX_ADDRESS	500	/* characters */
#define WIRE_MAX_PHOTOS		20
#define WIRE_MAX_PHOTO_URL	1024	/* bytes */
#define WIRE_GRID_DIGITS	15
#define WIRE_CATEGORY_DIGITS	4
#define WIRE_MIN_TIME		946684800	/* 2000-01-01T00:00:00Z: no
						   earlier report is real */

/* What a field checker needs besides the value. */
struct wire_check {
	struct wire_item	*it;
	time_t			 now;	/* receiving time */
};

typedef int (*wire_check_fn)(struct wire_check *, json_t *);

static int	wire_check_id(struct wire_check *, json_t *);
static int	wire_check_grid(struct wire_check *, json_t *);
static int	wire_check_category(struct wire_check *, json_t *);
static int	wire_check_time(struct wire_check *, json_t *);
static int	wire_check_summary(struct wire_check *, json_t *);
static int	wire_check_reporter(struct wire_check *, json_t *);
static int	wire_check_source(struct wire_check *, json_t *);
static int	wire_check_priority(struct wire_check *, json_t *);
static int	wire_check_address(struct wire_check *, json_t *);
static int	wire_check_location(struct wire_check *, json_t *);
static int	wire_check_photos(struct wire_check *, json_t *);

/* The fields of an item, in the order they are checked. */
static const struct wire_field {
	const char	*name;
	int		 required;
	wire_check_fn	 check;
} wire_fields[] = {
	{ "id",		 1, wire_check_id },
	{ "grid",	 1, wire_check_grid },
	{ "category",	 1, wire_check_category },
	{ "reported_at", 1, wire_check_time },
	{ "summary",	 1, wire_check_summary },
	{ "reporter",	 0, wire_check_reporter },
	{ "source",	 0, wire_check_source },
	{ "priority",	 0, wire_check_priority },
	{ "address",	 0, wire_check_address },
	{ "location",	 0, wire_check_location },
	{ "photos",	 0, wire_check_photos },
};

static const char *const wire_sources[] = {
	"grid-app", "hotline", "sensor", "web"
};

/* Cut s back to its longest valid UTF-8 prefix (snprintf may have split a
 * character at the end of a buffer). */
static void
wire_trim_utf8(char *s)
{
	size_t	bad;

	if (!utf8_valid(s, strlen(s), &bad))
		s[bad] = '\0';
}

static void
wire_error_setv(struct wire_error *e, const char *code, const char *field,
    const char *fmt, va_list ap)
{
	snprintf(e->code, sizeof e->code, "%s", code);
	snprintf(e->field, sizeof e->field, "%s", field != NULL ? field : "");
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	wire_trim_utf8(e->field);
	wire_trim_utf8(e->message);
}

void
wire_item_fail(struct wire_item *it, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list	ap;

	assert(it != NULL && code != NULL && code[0] != '\0' && fmt != NULL);
	if (it->err.code[0] != '\0')
		return;
	va_start(ap, fmt);
	wire_error_setv(&it->err, code, field, fmt, ap);
	va_end(ap);
}

/* Set the request-level error; always returns -1. */
static int __attribute__((format(printf, 3, 4)))
wire_ingest_fail(struct wire_ingest *w, const char *code, const char *fmt,
    ...)
{
	va_list	ap;

	va_start(ap, fmt);
	wire_error_setv(&w->err, code, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

/* The JSON type of v as a message names it. */
static const char *
wire_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

static int
wire_wrong_type(struct wire_item *it, const char *field, const char *want,
    const json_t *v)
{
	wire_item_fail(it, "wrong_type", field, "%s: expected %s, got %s",
	    field, want, wire_type_name(v));
	return -1;
}

/* v as a string, or NULL after failing the item with wrong_type. */
static const char *
wire_string(struct wire_item *it, const char *field, const json_t *v)
{
	if (!json_is_string(v)) {
		wire_wrong_type(it, field, "string", v);
		return NULL;
	}
	return json_string_value(v);
}

/* A string of at most max characters (0: no limit), or NULL after failing. */
static const char *
wire_text(struct wire_item *it, const char *field, const json_t *v,
    size_t max)
{
	const char	*s;
	size_t		 n;

	if ((s = wire_string(it, field, v)) == NULL)
		return NULL;
	n = utf8_chars(s, json_string_length(v));
	if (max != 0 && n > max) {
		wire_item_fail(it, "too_long", field,
		    "%s: %zu characters, at most %zu", field, n, max);
		return NULL;
	}
	return s;
}

/* A string of exactly n ASCII digits, or NULL after failing. */
static const char *
wire_digits(struct wire_item *it, const char *field, const json_t *v,
    size_t n)
{
	const char	*s;
	size_t		 i, len;

	if ((s = wire_string(it, field, v)) == NULL)
		return NULL;
	len = json_string_length(v);
	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (len != n || i != n) {
		wire_item_fail(it, "bad_value", field,
		    "%s: expected %zu digits", field, n);
		return NULL;
	}
	return s;
}

/* Bytes of the longest prefix of s that is at most max bytes and does not
 * split a character, for quoting input in a message. */
static int
wire_prefix(const char *s, size_t max)
{
	size_t	n = strnlen(s, max + 1);

	if (n > max)
		for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80;
		    n--)
			;
	return (int)n;
}

static int
wire_check_id(struct wire_check *c, json_t *v)
{
	const char	*s;
	size_t		 len;

	if ((s = wire_string(c->it, "id", v)) == NULL)
		return -1;
	len = json_string_length(v);
	if (len == 0) {
		wire_item_fail(c->it, "bad_value", "id", "id: empty");
		return -1;
	}
	if (len > WIRE_MAX_ID) {
		wire_item_fail(c->it, "too_long", "id",
		    "id: %zu bytes, at most %d", len, WIRE_MAX_ID);
		return -1;
	}
	c->it->id = c->it->in.ext_id = s;
	return 0;
}

static int
wire_check_grid(struct wire_check *c, json_t *v)
{
	c->it->in.grid = wire_digits(c->it, "grid", v, WIRE_GRID_DIGITS);
	return c->it->in.grid != NULL ? 0 : -1;
}

static int
wire_check_category(struct wire_check *c, json_t *v)
{
	c->it->in.category = wire_digits(c->it, "category", v,
	    WIRE_CATEGORY_DIGITS);
	return c->it->in.category != NULL ? 0 : -1;
}

static int
wire_check_time(struct wire_check *c, json_t *v)
{
	const char	*s;
	time_t		 t;

	if ((s = wire_string(c->it, "reported_at", v)) == NULL)
		return -1;
	if (gltime_parse(s, &t) != 0) {
		wire_item_fail(c->it, "bad_time", "reported_at",
		    "reported_at: not an RFC 3339 date-time with offset: "
		    "\"%.*s\"", wire_prefix(s, 40), s);
		return -1;
	}
	if (t < WIRE_MIN_TIME) {
		wire_item_fail(c->it, "bad_time", "reported_at",
		    "reported_at: before 2000-01-01: \"%.*s\"",
		    wire_prefix(s, 40), s);
		return -1;
	}
	if (t > c->now && t - c->now > WIRE_MAX_FUTURE) {
		wire_item_fail(c->it, "future_time", "reported_at",
		    "reported_at: %lld s in the future, at most %d",
		    (long long)(t - c->now), WIRE_MAX_FUTURE);
		return -1;
	}
	c->it->in.reported_at = t;
	return 0;
}

static int
wire_check_summary(struct wire_check *c, json_t *v)
{
	const char	*s;

	if ((s = wire_text(c->it, "summary", v, WIRE_MAX_SUMMARY)) == NULL)
		return -1;
	if (s[0] == '\0') {
		wire_item_fail(c->it, "bad_value", "summary", "summary: empty");
		return -1;
	}
	c->it->in.summary = s;
	return 0;
}

static int
wire_check_reporter(struct wire_check *c, json_t *v)
{
	c->it->in.reporter = wire_text(c->it, "reporter", v,
	    WIRE_MAX_REPORTER);
	return c->it->in.reporter != NULL ? 0 : -1;
}

static int
wire_check_address(struct wire_check *c, json_t *v)
{
	c->it->in.address = wire_text(c->it, "address", v, WIRE_MAX_ADDRESS);
	return c->it->in.address != NULL ? 0 : -1;
}

static int
wire_check_source(struct wire_check *c, json_t *v)
{
	const char	*s;
	size_t		 i;

	if ((s = wire_string(c->it, "source", v)) == NULL)
		return -1;
	for (i = 0; i < sizeof wire_sources / sizeof wire_sources[0]; i++) {
		if (strcmp(s, wire_sources[i]) == 0) {
			c->it->in.source = s;
			return 0;
		}
	}
	wire_item_fail(c->it, "bad_value", "source",
	    "source: one of grid-app, hotline, sensor, web");
	return -1;
}

static int
wire_check_priority(struct wire_check *c, json_t *v)
{
	json_int_t	p;

	if (!json_is_integer(v))
		return wire_wrong_type(c->it, "priority", "integer", v);
	p = json_integer_value(v);
	if (p < 1 || p > 3) {
		wire_item_fail(c->it, "bad_value", "priority",
		    "priority: %lld, expected 1 (urgent) to 3 (normal)",
		    (long long)p);
		return -1;
	}
	c->it->in.priority = (int)p;
	return 0;
}

/* loc[name] as a number within [-max, max] into *out; 0 or -1. */
static int
wire_coord(struct wire_item *it, const json_t *loc, const char *name,
    double max, double *out)
{
	char		 field[32];
	json_t		*v;

	snprintf(field, sizeof field, "location.%s", name);
	if ((v = json_object_get(loc, name)) == NULL) {
		wire_item_fail(it, "missing_field", field, "%s: missing",
		    field);
		return -1;
	}
	if (!json_is_number(v))
		return wire_wrong_type(it, field, "number", v);
	*out = json_number_value(v);
	if (!(*out >= -max && *out <= max)) {
		wire_item_fail(it, "bad_value", field, "%s: %g, expected %g "
		    "to %g", field, *out, -max, max);
		return -1;
	}
	return 0;
}

static int
wire_check_location(struct wire_check *c, json_t *v)
{
	struct incident	*in = &c->it->in;

	if (!json_is_object(v))
		return wire_wrong_type(c->it, "location", "object", v);
	if (wire_coord(c->it, v, "lat", 90, &in->lat) != 0 ||
	    wire_coord(c->it, v, "lon", 180, &in->lon) != 0)
		return -1;
	in->has_location = 1;
	return 0;
}

/* Check each photo URL of the array v; 0 or -1. */
static int
wire_check_photo_urls(struct wire_item *it, const json_t *v)
{
	const json_t	*p;
	size_t		 i;

	json_array_foreach(v, i, p) {
		if (!json_is_string(p)) {
			wire_item_fail(it, "wrong_type", "photos",
			    "photos[%zu]: expected string, got %s", i,
			    wire_type_name(p));
			return -1;
		}
		if (json_string_length(p) > WIRE_MAX_PHOTO_URL) {
			wire_item_fail(it, "too_long", "photos",
			    "photos[%zu]: %zu bytes, at most %d", i,
			    json_string_length(p), WIRE_MAX_PHOTO_URL);
			return -1;
		}
	}
	return 0;
}

static int
wire_check_photos(struct wire_check *c, json_t *v)
{
	if (!json_is_array(v))
		return wire_wrong_type(c->it, "photos", "array", v);
	if (json_array_size(v) > WIRE_MAX_PHOTOS) {
		wire_item_fail(c->it, "too_long", "photos",
		    "photos: %zu URLs, at most %d", json_array_size(v),
		    WIRE_MAX_PHOTOS);
		return -1;
	}
	if (wire_check_photo_urls(c->it, v) != 0)
		return -1;
	if ((c->it->photos = json_dumps(v, JSON_COMPACT)) == NULL) {
		wire_item_fail(c->it, "nomem", "photos", "out of memory");
		return -1;
	}
	c->it->in.photos = c->it->photos;
	return 0;
}

/* Check one item; the first problem becomes it->err. */
static void
wire_item_decode(struct wire_item *it, json_t *v, time_t now)
{
	struct wire_check	 c = { it, now };
	const struct wire_field	*f;
	json_t			*fv;
	size_t			 i;

	if (!json_is_object(v)) {
		wire_item_fail(it, "not_object", NULL,
		    "an item is a JSON object, got %s", wire_type_name(v));
		return;
	}
	for (i = 0; i < sizeof wire_fields / sizeof wire_fields[0]; i++) {
		f = &wire_fields[i];
		fv = json_object_get(v, f->name);
		if (fv == NULL || (json_is_null(fv) && !f->required)) {
			if (f->required) {
				wire_item_fail(it, "missing_field", f->name,
				    "%s: missing", f->name);
				return;
			}
			continue;
		}
		if (f->check(&c, fv) != 0)
			return;
	}
}

/* Offset of the first '[' or '{' nested deeper than WIRE_MAX_DEPTH, or len
 * when there is none. Brackets inside strings do not count; in a string a
 * backslash takes the next byte with it, so "\"[" stays inside. Unbalanced
 * brackets are jansson's to report. */
static size_t
wire_depth_scan(const char *buf, size_t len)
{
	size_t	i;
	int	depth = 0, instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				instr = 0;
			continue;
		}
		if (buf[i] == '"')
			instr = 1;
		else if (buf[i] == '[' || buf[i] == '{') {
			if (++depth > WIRE_MAX_DEPTH)
				return i;
		} else if ((buf[i] == ']' || buf[i] == '}') && depth > 0)
			depth--;
	}
	return len;
}

/* Stage 1: the bytes. */
static int
wire_screen(struct wire_ingest *w, const char *buf, size_t len,
    size_t max_len)
{
	const char	*nul;
	size_t		 off;

	if (len > max_len)
		return wire_ingest_fail(w, "too_large",
		    "message is %zu bytes, at most %zu", len, max_len);
	if (len > 0 && (nul = memchr(buf, '\0', len)) != NULL)
		return wire_ingest_fail(w, "nul_byte",
		    "NUL byte at offset %zu", (size_t)(nul - buf));
	if (!utf8_valid(buf, len, &off))
		return wire_ingest_fail(w, "invalid_utf8",
		    "invalid UTF-8 at offset %zu", off);
	if ((off = wire_depth_scan(buf, len)) != len)
		return wire_ingest_fail(w, "too_deep",
		    "nested deeper than %d at offset %zu", WIRE_MAX_DEPTH,
		    off);
	return 0;
}

/* Stage 2: one JSON value, an object or a non-empty array. */
static int
wire_parse(struct wire_ingest *w, const char *buf, size_t len)
{
	json_error_t	 jerr;
	json_t		*root;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &jerr);
	if (root == NULL && json_error_code(&jerr) == json_error_out_of_memory)
		return wire_ingest_fail(w, "nomem", "out of memory");
	if (root == NULL)
		return wire_ingest_fail(w, "invalid_json",
		    "line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	w->root = root;
	if (json_is_object(root)) {
		w->n = 1;
		return 0;
	}
	if (!json_is_array(root))
		return wire_ingest_fail(w, "not_object",
		    "a request is a JSON object or array, got %s",
		    wire_type_name(root));
	w->is_array = 1;
	w->n = json_array_size(root);
	if (w->n == 0)
		return wire_ingest_fail(w, "empty_array", "empty array");
	if (w->n > WIRE_MAX_ITEMS)
		return wire_ingest_fail(w, "too_many_items",
		    "%zu items, at most %d", w->n, WIRE_MAX_ITEMS);
	return 0;
}

int
wire_ingest_decode(const char *buf, size_t len, size_t max_len, time_t now,
    struct wire_ingest *out)
{
	size_t	i;

	assert(out != NULL && (buf != NULL || len == 0));
	memset(out, 0, sizeof *out);
	if (buf == NULL)
		buf = "";
	if (wire_screen(out, buf, len, max_len) != 0 ||
	    wire_parse(out, buf, len) != 0) {
		out->n = 0;
		return -1;
	}
	if ((out->items = calloc(out->n, sizeof *out->items)) == NULL) {
		out->n = 0;
		return wire_ingest_fail(out, "nomem", "out of memory");
	}
	for (i = 0; i < out->n; i++)
		wire_item_decode(&out->items[i], out->is_array ?
		    json_array_get(out->root, i) : out->root, now);
	return 0;
}

void
wire_ingest_free(struct wire_ingest *w)
{
	size_t	i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n && w->items != NULL; i++)
		free(w->items[i].photos);
	free(w->items);
	json_decref(w->root);
	memset(w, 0, sizeof *w);
}

/* A JSON string of buf[0..size), cut at a missing NUL or at the first byte
 * that is not UTF-8: the server may have filled it, and a bad byte must
 * shorten a message, not lose the whole reply. */
static void
reply_str(struct jbuf *b, const char *buf, size_t size)
{
	size_t	len = strnlen(buf, size), bad;

	if (!utf8_valid(buf, len, &bad))
		len = bad;
	jbuf_strn(b, buf, len);
}

/* An error object; with a case (id_conflict: the case the id belongs to)
 * also "params": {"case": ...}, as control's refusals carry their facts. */
static void
reply_error(struct jbuf *b, const struct wire_error *e, const char *no)
{
	jbuf_key(b, "ok");
	jbuf_bool(b, 0);
	jbuf_key(b, "error");
	jbuf_open(b);
	jbuf_key(b, "code");
	reply_str(b, e->code, sizeof e->code);
	jbuf_key(b, "field");
	if (e->field[0] == '\0')
		jbuf_null(b);
	else
		reply_str(b, e->field, sizeof e->field);
	jbuf_key(b, "message");
	reply_str(b, e->message, sizeof e->message);
	if (no != NULL && no[0] != '\0') {
		jbuf_key(b, "params");
		jbuf_open(b);
		jbuf_key(b, "case");
		jbuf_str(b, no);
		jbuf_close(b);
	}
	jbuf_close(b);
}

/* One item's result: accepted (its case) or rejected (why). */
static void
reply_item(struct jbuf *b, const struct wire_item *it)
{
	const struct store_created *r = &it->result;

	jbuf_open(b);
	jbuf_key(b, "id");
	jbuf_str(b, it->id);
	if (it->err.code[0] != '\0')
		reply_error(b, &it->err, strcmp(it->err.code,
		    "id_conflict") == 0 ? r->no : NULL);
	else {
		jbuf_key(b, "ok");
		jbuf_bool(b, 1);
		jbuf_key(b, "case");
		if (r->no[0] == '\0')
			jbuf_null(b);
		else
			reply_str(b, r->no, sizeof r->no);
		jbuf_key(b, "duplicate_of");
		if (r->duplicate_of == 0)
			jbuf_null(b);
		else
			reply_str(b, r->duplicate_no, sizeof r->duplicate_no);
		jbuf_key(b, "replayed");
		jbuf_bool(b, r->replayed);
	}
	jbuf_close(b);
}

/* Written as text: at 10,000 items a request a jansson tree per reply
 * was a share of the loop thread's time. */
char *
wire_ingest_reply(const struct wire_ingest *w)
{
	struct jbuf	b;
	size_t		i;
	int		ok = 1;

	assert(w != NULL);
	jbuf_init(&b);
	jbuf_open(&b);
	if (w->err.code[0] != '\0')
		reply_error(&b, &w->err, NULL);
	else {
		for (i = 0; i < w->n; i++)
			if (w->items[i].err.code[0] != '\0')
				ok = 0;
		jbuf_key(&b, "ok");
		jbuf_bool(&b, ok);
		jbuf_key(&b, "results");
		jbuf_arr_open(&b);
		for (i = 0; i < w->n; i++) {
			jbuf_elem(&b);
			reply_item(&b, &w->items[i]);
		}
		jbuf_arr_close(&b);
	}
	jbuf_close(&b);
	return jbuf_take(&b);
}
