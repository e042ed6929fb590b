/*
 * test-model.c: the console's case model.
 *
 * The queue is kept in order incrementally (changed cases merged back in)
 * rather than re-sorted on every event; this test drives two models with
 * the same random stream of new cases and changes, forces the second to
 * sort from scratch every time, and demands the same queue from both, in
 * every sort order and with a filter on. Also: the index of a case, seq
 * handling of stale versions, closing cases, the counts.
 *
 * Snapshot pages are read two ways: as jansson trees (model_put) and from
 * their text with core's jscan (model_put_array), as sync.c reads them.
 * Both must fill the same model, field for field, from the same page: a
 * hand-written page of the odd cases (escapes of every kind, members of
 * the wrong type, members given twice, unknown members holding objects,
 * elements that are not cases, numbers too long, older versions, bad
 * times) and a generated page of 2,000 cases in the server's shape with
 * random text. Then the snapshot through sync.c with a recorder for the
 * link: the next page asked for before this one is decoded, a bad page
 * ending the reading, and the replies of a reading given up ignored.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "error.h"
#include "gltime.h"
#include "jscan.h"
#include "model.h"
#include "view.h"

static const char *const states[] = { "reported", "registered",
	"dispatched", "acknowledged", "in_hand", "done", "closed", "returned",
	"voided" };

static json_t *
mkcase(int n, int version, const char *state, int priority, long due)
{
	char	no[32], when[40];

	snprintf(no, sizeof no, "330203-20261124-%05d", n);
	gltime_format(1795000000 + due, GLTIME_CHINA, when, sizeof when);
	return json_pack("{s:s,s:i,s:s,s:i,s:s,s:s,s:s,s:o}", "no", no,
	    "version", version, "state", state, "priority", priority,
	    "summary", "望京路井盖缺失", "township_name", n % 2 ? "西门街道" :
	    "南门街道", "category_name", "窨井盖缺失", "due_at",
	    due != 0 ? json_string(when) : json_null());
}

static int
keep_odd(const struct mcase *c, void *arg)
{
	(void)arg;
	return strcmp(c->township_name, "西门街道") == 0;
}

static void
same_queue(struct model *a, struct model *b)
{
	size_t	i;

	assert_int_equal(model_count(a), model_count(b));
	for (i = 0; i < model_count(a); i++) {
		assert_string_equal(model_at(a, i)->no, model_at(b, i)->no);
		assert_int_equal(model_index(a, model_at(a, i)->no), (long)i);
	}
}

/* The counts as the model keeps them, moved on to `now` after a round of
 * changes (deadlines passed meanwhile taken off its heap), are the counts
 * of every open case looked at one by one. */
static void
same_counts(struct model *a, time_t now)
{
	struct model_counts	kept, want;
	const struct mcase	*c;
	size_t			 i;

	model_counts(a, now, &kept);
	memset(&want, 0, sizeof want);
	for (i = 0; i < model_open_count(a); i++) {
		c = model_open_at(a, i);
		want.open++;
		want.fresh += c->state == CS_REPORTED;
		want.unassigned += case_unassigned(c->state) != 0;
		want.overdue += case_overdue(c->state, c->due_at, now) != 0;
		want.in_hand += c->state == CS_ACKNOWLEDGED ||
		    c->state == CS_IN_HAND;
	}
	assert_memory_equal(&kept, &want, sizeof kept);
}

static void
test_incremental_equals_full(void **state)
{
	struct model	*a = model_new(), *b = model_new();
	int		 version[400] = { 0 }, round, k, n, by, filt;

	(void)state;
	srand(7);
	for (round = 0; round < 300; round++) {
		by = round / 100;		/* each order in turn */
		filt = round % 50 >= 25;	/* filter on half the time */
		{
			struct model_counts before;

			/* counted at this round's start, before its changes */
			model_counts(a, 1795000000 + 50000 + round * 300,
			    &before);
		}
		for (k = 0; k < 1 + rand() % 20; k++) {
			json_t *o;

			n = rand() % 400;
			version[n]++;
			o = mkcase(n, version[n], states[rand() % 9],
			    1 + rand() % 3, rand() % 3 ? (rand() % 100000) : 0);
			model_put(a, o, 1);
			if (rand() % 5 == 0)	/* the same news twice */
				model_put(a, o, 1);
			model_put(b, o, 1);
			json_decref(o);
		}
		if (round % 25 == 0)
			model_set_filter(a, filt ? keep_odd : NULL, NULL);
		model_set_filter(b, filt ? keep_odd : NULL, NULL);
		model_sort(a, (enum model_sort)by, 0);
		model_sort(b, (enum model_sort)by, 0);
		while (model_filter_more(a) || model_filter_more(b))
			;	/* a filter may run in slices */
		same_queue(a, b);
		/* and the clock moves on: deadlines pass after them */
		same_counts(a, 1795000000 + 50000 + round * 300 + 150);
	}
	model_free(a);
	model_free(b);
}

static void
test_versions_and_close(void **state)
{
	struct model		*m = model_new();
	struct model_counts	 n;
	json_t			*o;

	(void)state;
	o = mkcase(1, 3, "dispatched", 1, 100);
	model_put(m, o, 1);
	json_decref(o);
	o = mkcase(1, 2, "registered", 1, 0);	/* older news: ignored */
	model_put(m, o, 1);
	json_decref(o);
	model_sort(m, SORT_DUE, 0);
	assert_int_equal(model_get(m, "330203-20261124-00001")->version, 3);
	o = mkcase(2, 1, "reported", 2, 0);
	model_put(m, o, 1);
	json_decref(o);
	model_sort(m, SORT_DUE, 0);
	assert_int_equal(model_count(m), 2);
	model_counts(m, 1795000000 + 200, &n);
	assert_int_equal(n.open, 2);
	assert_int_equal(n.fresh, 1);
	assert_int_equal(n.overdue, 1);		/* due at +100, now +200 */
	o = mkcase(1, 4, "closed", 1, 100);
	model_put(m, o, 1);
	json_decref(o);
	model_sort(m, SORT_DUE, 0);
	assert_int_equal(model_count(m), 1);
	assert_int_equal(model_index(m, "330203-20261124-00001"), -1);
	model_counts(m, 1795000000 + 200, &n);
	assert_int_equal(n.open, 1);
	assert_int_equal(n.overdue, 0);
	model_free(m);
}

/* A case of agency ag (NULL: none), township tw. */
static json_t *
mkreach(int n, int version, const char *state, const char *ag,
    const char *tw)
{
	json_t	*o = mkcase(n, version, state, 1, 100);

	json_object_set_new(o, "agency", ag != NULL ? json_string(ag) :
	    json_null());
	json_object_set_new(o, "township", json_string(tw));
	return o;
}

/* The reach of an agency's or a township's console: the queue, the counts
 * and the boards' open cases hold its own only; a case returned by the
 * agency (its agency cleared) leaves the agency's queue; the reach taken
 * away, everything is back. */
static void
test_reach(void **state)
{
	static const struct {
		int		 n;
		const char	*state, *agency, *township;
	} rows[] = {
		{ 1, "dispatched", "330203.ZF", "330203003" },
		{ 2, "acknowledged", "330203.ZF", "330203001" },
		{ 3, "dispatched", "330203.SJ", "330203003" },
		{ 4, "reported", NULL, "330203003" },
		{ 5, "closed", "330203.ZF", "330203003" },
	};
	struct model		*m = model_new();
	struct model_counts	 k;
	json_t			*o;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		o = mkreach(rows[i].n, 2, rows[i].state, rows[i].agency,
		    rows[i].township);
		model_put(m, o, 0);
		json_decref(o);
	}
	model_counts(m, 1795000000, &k);
	assert_int_equal(k.open, 4);
	model_set_reach(m, "330203.ZF", NULL);
	model_sort(m, SORT_DUE, 1795000000);
	assert_int_equal(model_count(m), 2);
	assert_int_equal(model_open_count(m), 2);
	model_counts(m, 1795000000, &k);
	assert_int_equal(k.open, 2);
	assert_int_equal(k.in_hand, 1);
	same_counts(m, 1795000000);
	o = mkreach(1, 3, "returned", NULL, "330203003");   /* not ours */
	model_put(m, o, 0);
	json_decref(o);
	model_sort(m, SORT_DUE, 1795000000);
	assert_int_equal(model_count(m), 1);
	assert_string_equal(model_at(m, 0)->no, "330203-20261124-00002");
	same_counts(m, 1795000000 + 50);
	model_set_reach(m, NULL, "330203003");
	model_sort(m, SORT_DUE, 1795000000);
	assert_int_equal(model_count(m), 3);	/* 1 returned, 3, 4 */
	same_counts(m, 1795000000 + 60);
	model_set_reach(m, NULL, NULL);
	model_sort(m, SORT_DUE, 1795000000);
	assert_int_equal(model_count(m), 4);
	same_counts(m, 1795000000 + 70);
	model_free(m);
}

/* An agency's console sorts its inbox: the cases waiting for its
 * acknowledgement first, whatever their deadlines; a dispatcher's sorts by
 * deadline alone. */
static void
test_inbox_order(void **state)
{
	struct model	*m = model_new();
	json_t		*o;

	(void)state;
	/* the reach comes with the first status, before any case */
	model_set_reach(m, "330203.ZF", NULL);
	model_sort(m, SORT_DUE, 1795000000);
	assert_int_equal(model_count(m), 0);
	model_set_reach(m, NULL, NULL);
	o = mkreach(1, 2, "acknowledged", "330203.ZF", "330203003");
	json_object_set_new(o, "due_at", json_string("2026-11-24T09:00:00+08:00"));
	model_put(m, o, 0);
	json_decref(o);
	o = mkreach(2, 2, "dispatched", "330203.ZF", "330203003");
	json_object_set_new(o, "due_at", json_string("2026-11-24T18:00:00+08:00"));
	model_put(m, o, 0);
	json_decref(o);
	model_sort(m, SORT_DUE, 1795000000);
	assert_string_equal(model_at(m, 0)->no, "330203-20261124-00001");
	model_set_reach(m, "330203.ZF", NULL);
	model_sort(m, SORT_DUE, 1795000000);
	assert_string_equal(model_at(m, 0)->no, "330203-20261124-00002");
	model_free(m);
}

/* A filter over more cases than one slice: the first slice comes at once
 * and in order, the rest in further slices, the end the same as whole. */
static void
test_filter_in_slices(void **state)
{
	struct model	*m = model_new();
	size_t		 first, i;
	int		 n;

	(void)state;
	for (n = 0; n < 40000; n++) {
		json_t *o = mkcase(n, 1, "dispatched", 1 + n % 3, 1000 + n);

		model_put(m, o, 0);
		json_decref(o);
	}
	model_sort(m, SORT_DUE, 0);
	assert_false(model_pending(m));
	assert_int_equal(model_count(m), 40000);
	model_set_filter(m, keep_odd, NULL);
	model_sort(m, SORT_DUE, 0);
	assert_true(model_pending(m));
	first = model_count(m);
	assert_true(first > 0 && first < 20000);
	while (model_filter_more(m))
		;
	assert_int_equal(model_count(m), 20000);
	for (i = 1; i < model_count(m); i++)	/* due order kept */
		assert_true(model_at(m, i - 1)->due_at <= model_at(m, i)->due_at);
	model_free(m);
}

/* --- the same page, two ways ------------------------------------------ */

static void
same_str(const char *what, const char *no, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		fail_msg("%s %s: jansson %s, jscan %s", no, what,
		    a ? a : "NULL", b ? b : "NULL");
}

static void
same_case(const struct mcase *a, const struct mcase *b)
{
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a->no, b->no);
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->reported_at, b->reported_at);
	assert_int_equal(a->created_at, b->created_at);
	assert_int_equal(a->due_at, b->due_at);
	assert_int_equal(a->paused, b->paused);
	assert_int_equal(a->ext_pending, b->ext_pending);
	assert_int_equal(a->returns, b->returns);
	assert_int_equal(a->disputed, b->disputed);
	assert_int_equal(a->reworks, b->reworks);
	assert_int_equal(a->fresh, b->fresh);
	same_str("township_name", a->no, a->township_name, b->township_name);
	same_str("category_name", a->no, a->category_name, b->category_name);
	same_str("summary", a->no, a->summary, b->summary);
	same_str("agency_name", a->no, a->agency_name, b->agency_name);
	same_str("route_lead", a->no, a->route_lead, b->route_lead);
	same_str("route_name", a->no, a->route_name, b->route_name);
	same_str("dup_of", a->no, a->dup_of, b->dup_of);
	same_str("agency", a->no, a->agency, b->agency);
	same_str("platform", a->no, a->platform, b->platform);
	same_str("hay", a->no, a->hay, b->hay);
}

/* Every case of nos[] (present in both or in neither), the open ones in
 * the same order, the same queue in each order. */
static void
same_models(struct model *a, struct model *b, char (*nos)[32], size_t n)
{
	size_t	i;
	int	by;

	for (i = 0; i < n; i++) {
		const struct mcase *x = model_get(a, nos[i]);
		const struct mcase *y = model_get(b, nos[i]);

		if ((x == NULL) != (y == NULL))
			fail_msg("%s: in %s only", nos[i], x ? "jansson" :
			    "jscan");
		if (x != NULL)
			same_case(x, y);
	}
	assert_int_equal(model_open_count(a), model_open_count(b));
	for (i = 0; i < model_open_count(a); i++)
		assert_string_equal(model_open_at(a, i)->no,
		    model_open_at(b, i)->no);
	for (by = 0; by < 3; by++) {
		model_sort(a, (enum model_sort)by, 0);
		model_sort(b, (enum model_sort)by, 0);
		same_queue(a, b);
	}
}

/* A page through jansson, as model_put has always read it. */
static size_t
page_put_jansson(struct model *m, const char *text, size_t len, int fresh)
{
	json_error_t	 jerr;
	json_t		*page = json_loadb(text, len, 0, &jerr), *it;
	size_t		 i;

	if (page == NULL)
		fail_msg("jansson: %s at %d", jerr.text, jerr.position);
	json_array_foreach(json_object_get(page, "cases"), i, it)
		model_put(m, it, fresh);
	i = json_array_size(json_object_get(page, "cases"));
	json_decref(page);
	return i;
}

/* The same through jscan, in sync.c's two passes: find "cases", then put
 * them. model_put_array's return. */
static int
page_put_scan(struct model *m, const char *text, size_t len, int fresh,
    size_t *count)
{
	struct jscan	s;
	size_t		at = 0;
	int		rc;

	jscan_init(&s, text, len);
	assert_int_equal(jscan_next(&s), JT_OBJ);
	while (jscan_next(&s) == JT_KEY) {
		int cases = s.n == 5 && memcmp(s.str, "cases", 5) == 0;

		jscan_next(&s);
		if (cases)
			at = s.off;
		if (jscan_skip(&s) != 0)
			break;
	}
	if (s.tok != JT_OBJ_END || jscan_next(&s) != JT_END)
		return s.tok == JT_ERROR ? s.code : GL_EPARSE;
	jscan_free(&s);
	jscan_init_at(&s, text, len, at);
	rc = model_put_array(m, &s, fresh, count);
	jscan_free(&s);
	return rc;
}

#define NO(n)	"330203-20261124-000" #n

/* The odd cases, each row a case or not one (see the comments). */
static const char odd_page[] =
    "{\"ok\":true,\"seq\":7,\"cases\":["
    /* 10: every field, as the server writes them */
    "{\"no\":\"" NO(10) "\",\"version\":3,\"state\":\"dispatched\","
    "\"priority\":1,\"summary\":\"望京路井盖缺失\",\"reported_at\":"
    "\"2026-11-24T10:00:00+08:00\",\"created_at\":\"2026-11-24T10:00:05+08:00\","
    "\"due_at\":\"2026-11-25T10:00:00+08:00\",\"paused\":true,"
    "\"ext_pending\":true,\"returns\":2,\"reworks\":1,\"disputed\":true,"
    "\"duplicate_of\":\"330203-20261124-00009\",\"agency\":\"330203.ZF\","
    "\"township_name\":\"西门街道\",\"category_name\":\"窨井盖缺失\","
    "\"platform\":\"综合执法\",\"agency_name\":\"海曙区综合行政执法局\","
    "\"route\":{\"lead\":\"330203.ZF\",\"lead_name\":\"海曙区综合行政执法局\"}},"
    /* 11: escapes of every kind, raw and escaped UTF-8 */
    "{\"no\":\"" NO(11) "\",\"version\":1,\"state\":\"reported\","
    "\"summary\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u4e2d\\ud83d\\ude00\\u00e9 路灯"
    "\xf0\x9f\x8f\xa2\",\"township_name\":\"\\u897f\\u95e8\\u8857\\u9053\","
    "\"agency\":null,\"route\":{\"lead\":\"x\\u0041\",\"lead_name\":null}},"
    /* 12: members of the wrong type: 0, NULL, false */
    "{\"no\":\"" NO(12) "\",\"version\":\"3\",\"state\":\"registered\","
    "\"priority\":2.5,\"paused\":1,\"summary\":5,\"ext_pending\":\"true\","
    "\"disputed\":true,\"route\":\"x\",\"returns\":-7,\"reworks\":1e2,"
    "\"agency\":[\"330203.ZF\"],\"township_name\":{\"a\":1},"
    "\"due_at\":1795000000},"
    /* 13: members twice: the last counts */
    "{\"no\":\"" NO(13) "\",\"summary\":\"first\",\"summary\":\"second\","
    "\"route\":{\"lead\":\"A\",\"lead_name\":\"AA\"},\"route\":null,"
    "\"state\":\"reported\",\"state\":\"in_hand\",\"version\":1,"
    "\"version\":2,\"paused\":true,\"paused\":false},"
    /* 14: unknown members holding objects; lead twice inside route */
    "{\"no\":\"" NO(14) "\",\"extra\":{\"a\":[1,{\"b\":\"c\\\"}\"}]},"
    "\"version\":1,\"state\":\"acknowledged\",\"route\":{\"lead\":\"L\","
    "\"x\":[1,[2,{}]],\"lead_name\":\"N\",\"lead\":\"L2\"},\"tail\":[]},"
    /* not cases: no number, a number too long, not objects */
    "{\"version\":1,\"state\":\"reported\",\"summary\":\"no number\"},"
    "{\"no\":\"330203-20261124-000150000000000000\",\"version\":1},"
    "42,\"text\",null,[],[{\"no\":\"" NO(16) "\"}],true,"
    /* 10 again, older: ignored */
    "{\"no\":\"" NO(10) "\",\"version\":2,\"state\":\"registered\"},"
    /* 17: times with a fraction, in UTC, bad and empty */
    "{\"no\":\"" NO(17) "\",\"version\":1,\"state\":\"in_hand\","
    "\"reported_at\":\"2026-11-24T10:00:00.123+08:00\",\"created_at\":"
    "\"2026-11-24T02:00:00Z\",\"due_at\":\"yesterday\"},"
    /* 18: the number with escapes; an unknown state; priority and
     * returns at the ends of int64_t */
    "{\"no\":\"330203-20261124-\\u0030\\u0030\\u0030\\u00318\",\"version\":-0,"
    "\"state\":\"flying\",\"priority\":9223372036854775807,"
    "\"returns\":-9223372036854775808,\"summary\":\"\"},"
    /* 19: white space everywhere */
    " { \"no\" : \"" NO(19) "\" ,\n\t\"version\" : 1 , \"state\" :"
    " \"done\" , \"route\" : { } } ,"
    /* 19 again, newer and closed: out of the queue, every field new */
    "{\"no\":\"" NO(19) "\",\"version\":2,\"state\":\"closed\"}"
    "],\"next\":null}";

static void
test_scan_equals_jansson_odd(void **state)
{
	char		 nos[12][32];
	struct model	*a = model_new(), *b = model_new();
	size_t		 i, n = 0, count;
	int		 k[] = { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 };

	(void)state;
	for (i = 0; i < sizeof k / sizeof k[0]; i++)
		snprintf(nos[n++], sizeof nos[0], "330203-20261124-%05d", k[i]);
	page_put_jansson(a, odd_page, sizeof odd_page - 1, 1);
	assert_int_equal(page_put_scan(b, odd_page, sizeof odd_page - 1, 1,
	    &count), 0);
	assert_int_equal(count, 12);		/* the objects */
	same_models(a, b, nos, n);
	/* what the rows say, checked on one of the two */
	assert_null(model_get(b, nos[5]));
	assert_null(model_get(b, nos[6]));
	assert_int_equal(model_get(b, nos[0])->version, 3);
	assert_int_equal(model_get(b, nos[9])->state, CS_CLOSED);
	assert_int_equal(model_get(b, nos[9])->version, 2);
	assert_string_equal(model_get(b, nos[1])->township_name, "西门街道");
	assert_string_equal(model_get(b, nos[1])->route_lead, "xA");
	assert_null(model_get(b, nos[1])->route_name);
	assert_string_equal(model_get(b, nos[1])->summary, "a\"b\\c/d\n\t\r\b"
	    "\f中\xf0\x9f\x98\x80\xc3\xa9 路灯\xf0\x9f\x8f\xa2");
	assert_int_equal(model_get(b, nos[2])->version, 0);
	assert_int_equal(model_get(b, nos[2])->returns, -7);
	assert_null(model_get(b, nos[2])->summary);
	assert_null(model_get(b, nos[2])->route_lead);
	assert_string_equal(model_get(b, nos[3])->summary, "second");
	assert_null(model_get(b, nos[3])->route_lead);
	assert_int_equal(model_get(b, nos[3])->state, CS_IN_HAND);
	assert_int_equal(model_get(b, nos[3])->paused, 0);
	assert_string_equal(model_get(b, nos[4])->route_lead, "L2");
	assert_int_equal(model_get(b, nos[7])->due_at, 0);
	assert_int_equal(model_get(b, nos[7])->created_at,
	    model_get(b, nos[7])->reported_at);
	assert_non_null(model_get(b, nos[8]));
	model_free(a);
	model_free(b);
}

/* Random text in the server's shape: escapes, CJK, four-byte characters,
 * nulls. */
static void
rnd_text(char *out, size_t cap, unsigned *seed)
{
	static const char *const bits[] = { "井盖", "路灯", "a", "Z ", "\\\"",
	    "\\\\", "\\n", "\\t", "\\u4e2d", "\\ud83d\\ude00", "\\/",
	    "\xf0\x9f\x8f\xa2", "\\u00e9", "网格员", "!", "\\u001f", "~" };
	size_t	n = 0, k = 1 + (size_t)rand_r(seed) % 12, i, l;

	for (i = 0; i < k; i++) {
		const char *b = bits[(size_t)rand_r(seed) % (sizeof bits /
		    sizeof bits[0])];

		l = strlen(b);
		if (n + l + 1 >= cap)
			break;
		memcpy(out + n, b, l);
		n += l;
	}
	out[n] = '\0';
}

static size_t
gen_str(char *p, size_t cap, const char *key, unsigned *seed)
{
	char	t[256];

	if (rand_r(seed) % 5 == 0)
		return (size_t)snprintf(p, cap, ",\"%s\":null", key);
	rnd_text(t, sizeof t, seed);
	return (size_t)snprintf(p, cap, ",\"%s\":\"%s\"", key, t);
}

/* A page of n cases; the text is the caller's to free. */
static char *
gen_page(size_t n, unsigned seed, size_t *len)
{
	size_t	 cap = n * 1200 + 256, o = 0, i;
	char	*p = malloc(cap), when[40];

	assert_non_null(p);
	o += (size_t)snprintf(p + o, cap - o, "{\"ok\":true,\"seq\":99,\"cases\":[");
	for (i = 0; i < n; i++) {
		gltime_format(1795000000 + rand_r(&seed) % 400000,
		    GLTIME_CHINA, when, sizeof when);
		o += (size_t)snprintf(p + o, cap - o, "%s{\"no\":\"330203-"
		    "20261124-%05zu\",\"version\":%d,\"state\":\"%s\","
		    "\"priority\":%d", i ? "," : "", i % (n - n / 10),
		    1 + rand_r(&seed) % 4, states[rand_r(&seed) % 9],
		    1 + rand_r(&seed) % 3);
		o += gen_str(p + o, cap - o, "summary", &seed);
		o += (size_t)snprintf(p + o, cap - o, ",\"reported_at\":\"%s\","
		    "\"created_at\":\"%s\"", when, when);
		if (rand_r(&seed) % 2)
			o += (size_t)snprintf(p + o, cap - o, ",\"due_at\":"
			    "\"%s\"", when);
		else
			o += (size_t)snprintf(p + o, cap - o, ",\"due_at\":null");
		o += (size_t)snprintf(p + o, cap - o, ",\"paused\":%s,"
		    "\"ext_pending\":%s,\"returns\":%d,\"reworks\":%d,"
		    "\"disputed\":%s", rand_r(&seed) % 2 ? "true" : "false",
		    rand_r(&seed) % 2 ? "true" : "false", rand_r(&seed) % 4,
		    rand_r(&seed) % 3, rand_r(&seed) % 2 ? "true" : "false");
		o += gen_str(p + o, cap - o, "duplicate_of", &seed);
		o += gen_str(p + o, cap - o, "agency", &seed);
		o += gen_str(p + o, cap - o, "township_name", &seed);
		o += gen_str(p + o, cap - o, "category_name", &seed);
		o += gen_str(p + o, cap - o, "platform", &seed);
		o += gen_str(p + o, cap - o, "agency_name", &seed);
		if (rand_r(&seed) % 4 == 0)
			o += (size_t)snprintf(p + o, cap - o, ",\"route\":null}");
		else {
			o += (size_t)snprintf(p + o, cap - o, ",\"route\":"
			    "{\"rule\":{\"line\":%zu}", i);
			o += gen_str(p + o, cap - o, "lead", &seed);
			o += gen_str(p + o, cap - o, "lead_name", &seed);
			o += (size_t)snprintf(p + o, cap - o, "}}");
		}
	}
	o += (size_t)snprintf(p + o, cap - o, "],\"next\":12345}");
	assert_true(o < cap);
	*len = o;
	return p;
}

static void
test_scan_equals_jansson_page(void **state)
{
	size_t		  n = 2000, len, i, count;
	char		 *text = gen_page(n, 11, &len), (*nos)[32];
	struct model	 *a = model_new(), *b = model_new();

	(void)state;
	assert_non_null(nos = calloc(n, sizeof *nos));
	for (i = 0; i < n; i++)
		snprintf(nos[i], sizeof nos[0], "330203-20261124-%05zu", i);
	assert_int_equal(page_put_jansson(a, text, len, 0), n);
	assert_int_equal(page_put_scan(b, text, len, 0, &count), 0);
	assert_int_equal(count, n);
	same_models(a, b, nos, n);
	/* and again over what is there: replaced or kept by version */
	free(text);
	text = gen_page(n, 12, &len);
	page_put_jansson(a, text, len, 1);
	assert_int_equal(page_put_scan(b, text, len, 1, &count), 0);
	same_models(a, b, nos, n);
	free(text);
	free(nos);
	model_free(a);
	model_free(b);
}

/* --- the snapshot through sync.c ----------------------------------------- */

#define SREC_MAX	16

/* A recorder in place of the link: requests kept, answered by the test
 * with text (parsed first for those not sent raw). */
struct srec {
	struct console		*c;
	json_t			*req[SREC_MAX];
	console_done_fn		 done[SREC_MAX];
	console_raw_done_fn	 raw[SREC_MAX];
	void			*arg[SREC_MAX];
	size_t			 open_at[SREC_MAX];	/* cases when sent */
	int			 answered[SREC_MAX];
	size_t			 n;
};

static void
srec_send(void *send_arg, json_t *req, console_done_fn done, void *done_arg)
{
	struct srec	*r = send_arg;

	assert_true(r->n < SREC_MAX);
	r->req[r->n] = req;
	r->done[r->n] = done;
	r->raw[r->n] = NULL;
	r->arg[r->n] = done_arg;
	r->open_at[r->n] = r->c != NULL ? model_open_count(r->c->model) : 0;
	r->answered[r->n++] = 0;
}

static void
srec_send_raw(void *send_arg, json_t *req, console_raw_done_fn done,
    void *done_arg)
{
	struct srec	*r = send_arg;

	srec_send(send_arg, req, NULL, done_arg);
	r->raw[r->n - 1] = done;
}

/* The last open snapshot request (not the urgent page); -1 none. */
static long
srec_snapshot(struct srec *r)
{
	size_t	i;

	for (i = r->n; i > 0; i--) {
		json_t *q = r->req[i - 1];

		if (!r->answered[i - 1] && json_object_get(q, "order") ==
		    NULL && strcmp(json_string_value(json_object_get(q, "op")),
		    "snapshot") == 0)
			return (long)i - 1;
	}
	return -1;
}

static long
srec_after(struct srec *r, long i)
{
	return (long)json_integer_value(json_object_get(r->req[i], "after"));
}

/* Answer request i with text (NULL: nothing came). */
static void
srec_answer(struct srec *r, long i, const char *text, size_t len)
{
	json_t	*rep;

	assert_true(i >= 0 && (size_t)i < r->n && !r->answered[i]);
	r->answered[i] = 1;
	if (r->raw[i] != NULL) {
		r->raw[i](r->arg[i], text, len, text ? NULL : "timed out");
		return;
	}
	rep = text != NULL ? json_loadb(text, len, 0, NULL) : NULL;
	r->done[i](r->arg[i], rep, rep ? NULL : "timed out");
	json_decref(rep);
}

static void
srec_drain(struct srec *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (!r->answered[i])
			srec_answer(r, (long)i, NULL, 0);
	for (i = 0; i < r->n; i++)
		json_decref(r->req[i]);
	r->n = 0;
}

static int
srec_has(struct srec *r, const char *op)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (strcmp(json_string_value(json_object_get(r->req[i], "op")),
		    op) == 0)
			return 1;
	return 0;
}

static const char last_page[] = "{\"ok\":true,\"seq\":5,\"cases\":["
    "{\"no\":\"330203-20261124-80000\",\"version\":1,\"state\":\"reported\"}"
    "],\"next\":null}";

static void
test_snapshot_pages(void **state)
{
	static const struct console_opts o = { NULL, "/nonexistent", "王调度",
		"test centre", 0, NULL, NULL, 0 };
	static const char urgent[] = "{\"ok\":true,\"seq\":9,\"cases\":[{\"no\":"
	    "\"330203-20261124-90000\",\"version\":1,\"state\":\"reported\"}],"
	    "\"next\":null}";
	static const char bad[] = "{\"ok\":true,\"seq\":9,\"cases\":[{\"no\":"
	    "\"330203-20261124-9\xff\"}],\"next\":5}";
	static const char bad_head[] = "{\"ok\":true,\"seq\":9,\"cases\":[],"
	    "\"next\":5,}";
	struct srec	 r = { 0 };
	struct console	*c = console_new(&o, srec_send, &r, view_queue_new());
	size_t		 len;
	char		*page = gen_page(2000, 5, &len);
	long		 i, j;

	(void)state;
	assert_non_null(c);
	r.c = c;
	c->send_raw = srec_send_raw;
	sync_state(c, 1, NULL);
	for (i = 0; i < (long)r.n; i++)		/* the urgent page first */
		if (json_object_get(r.req[i], "order") != NULL)
			srec_answer(&r, i, urgent, sizeof urgent - 1);
	assert_int_equal(model_open_count(c->model), 1);

	/* page one: the next page is asked for before its cases are in */
	i = srec_snapshot(&r);
	assert_int_equal(srec_after(&r, i), 0);
	srec_answer(&r, i, page, len);
	j = srec_snapshot(&r);
	assert_true(j > i);
	assert_int_equal(srec_after(&r, j), 12345);
	assert_int_equal(r.open_at[j], 1);
	assert_true(model_open_count(c->model) > 1);
	assert_int_equal(c->link.snap_seq, 99);
	assert_false(c->link.loaded);

	/* a bad page (its cases: the first pass only finds their end) ends
	 * the reading; the page it asked for is not used when it comes */
	srec_answer(&r, j, bad, sizeof bad - 1);
	assert_int_equal(c->link.snap_seq, 0);
	i = srec_snapshot(&r);
	assert_true(i > j);
	assert_int_equal(srec_after(&r, i), 5);
	srec_answer(&r, i, last_page, sizeof last_page - 1);
	assert_null(model_get(c->model, "330203-20261124-80000"));
	assert_false(c->link.loaded);
	assert_int_equal(srec_snapshot(&r), -1);
	/* a page whose own members are bad asks for nothing */
	sync_state(c, 0, NULL);
	sync_state(c, 1, NULL);
	i = srec_snapshot(&r);
	srec_answer(&r, i, bad_head, sizeof bad_head - 1);
	assert_int_equal(srec_snapshot(&r), -1);
	assert_false(c->link.loaded);

	/* read again when the link is back; given up once more half-way, its
	 * late page is not used */
	sync_state(c, 0, NULL);
	sync_state(c, 1, NULL);
	i = srec_snapshot(&r);
	assert_int_equal(srec_after(&r, i), 0);
	srec_answer(&r, i, page, len);
	j = srec_snapshot(&r);
	assert_int_equal(srec_after(&r, j), 12345);
	sync_state(c, 0, NULL);
	sync_state(c, 1, NULL);
	i = srec_snapshot(&r);
	assert_true(i > j);
	srec_answer(&r, j, last_page, sizeof last_page - 1);	/* stale */
	assert_null(model_get(c->model, "330203-20261124-80000"));
	assert_false(c->link.loaded);
	assert_false(srec_has(&r, "events"));
	srec_answer(&r, i, last_page, sizeof last_page - 1);
	assert_non_null(model_get(c->model, "330203-20261124-80000"));
	assert_true(c->link.loaded);
	assert_int_equal(model_seq(c->model), 5);
	assert_true(srec_has(&r, "events"));
	srec_drain(&r);
	console_free(c);
	free(page);
}

/* Without a raw send (a recorder of the old kind), the pages come as the
 * replies' text and load the same. */
static void
test_snapshot_without_raw(void **state)
{
	static const struct console_opts o = { NULL, "/nonexistent", "王调度",
		"test centre", 0, NULL, NULL, 0 };
	struct srec	 r = { 0 };
	struct console	*c = console_new(&o, srec_send, &r, view_queue_new());
	size_t		 len;
	char		*page = gen_page(300, 9, &len);
	struct model	*m = model_new();
	long		 i;

	(void)state;
	assert_non_null(c);
	r.c = c;
	sync_state(c, 1, NULL);
	i = srec_snapshot(&r);
	srec_answer(&r, i, page, len);
	i = srec_snapshot(&r);
	assert_int_equal(srec_after(&r, i), 12345);
	srec_answer(&r, i, last_page, sizeof last_page - 1);
	assert_true(c->link.loaded);
	page_put_jansson(m, page, len, 0);
	page_put_jansson(m, last_page, sizeof last_page - 1, 0);
	assert_int_equal(model_open_count(c->model), model_open_count(m));
	srec_drain(&r);
	console_free(c);
	model_free(m);
	free(page);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incremental_equals_full),
		cmocka_unit_test(test_versions_and_close),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_inbox_order),
		cmocka_unit_test(test_filter_in_slices),
		cmocka_unit_test(test_scan_equals_jansson_odd),
		cmocka_unit_test(test_scan_equals_jansson_page),
		cmocka_unit_test(test_snapshot_pages),
		cmocka_unit_test(test_snapshot_without_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
