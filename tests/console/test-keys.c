/*
 * test-keys.c: the console's keys and commands, without a terminal.
 *
 * A console is made with a send function of this file's that records
 * every request; the test answers them as the server would (the replies
 * are the server's JSON shapes, docs/PROTOCOL.md), presses keys, and looks
 * at the view stack, the selection, the model, the message line and the
 * requests sent. Nothing is drawn: console_new needs no screen, which is
 * what keeps commands free of curses (a command that drew would crash
 * here, with no screen set up).
 *
 * The end-to-end behaviour through the real server and a real terminal is
 * tests/console/test-console.sh; this file pins down the key-by-key rules.
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
#include <unistd.h>

#include <curses.h>	/* KEY_ constants */

#include "cmd.h"
#include "present.h"
#include "complete.h"
#include "conf.h"
#include "console.h"
#include "gltime.h"
#include "prompt.h"
#include "view.h"

/* --- a recorder in place of the link -------------------------------------- */

#define REC_MAX	64

/* Requests for the reply's bytes (snapshot pages, console_request_raw)
 * are recorded too, and answered with the reply's compact text, as the
 * link hands over what came. */
struct rec {
	json_t		*req[REC_MAX];
	console_done_fn	 done[REC_MAX];
	console_raw_done_fn raw[REC_MAX];	/* instead of done */
	void		*arg[REC_MAX];
	int		 answered[REC_MAX];
	size_t		 n;
};

static void
rec_send(void *send_arg, json_t *req, console_done_fn done, void *done_arg)
{
	struct rec	*r = send_arg;

	assert_true(r->n < REC_MAX);
	r->req[r->n] = req;
	r->done[r->n] = done;
	r->raw[r->n] = NULL;
	r->arg[r->n] = done_arg;
	r->answered[r->n] = 0;
	r->n++;
}

static void
rec_send_raw(void *send_arg, json_t *req, console_raw_done_fn done,
    void *done_arg)
{
	struct rec	*r = send_arg;

	rec_send(send_arg, req, NULL, done_arg);
	r->raw[r->n - 1] = done;
}

static const char *
rec_op(struct rec *r, size_t i)
{
	return json_string_value(json_object_get(r->req[i], "op"));
}

/* The last request not answered yet, of op (NULL: any); -1 none. */
static long
rec_find(struct rec *r, const char *op)
{
	size_t	i;

	for (i = r->n; i > 0; i--)
		if (!r->answered[i - 1] && (op == NULL ||
		    strcmp(rec_op(r, i - 1), op) == 0))
			return (long)i - 1;
	return -1;
}

/* Answer request i with reply (stolen). */
static void
rec_answer(struct rec *r, long i, json_t *reply)
{
	char	*text;

	assert_true(i >= 0 && !r->answered[i]);
	r->answered[i] = 1;
	if (r->raw[i] != NULL) {
		text = reply != NULL ? json_dumps(reply, JSON_COMPACT) : NULL;
		r->raw[i](r->arg[i], text, text != NULL ? strlen(text) : 0,
		    reply == NULL ? "timed out" : NULL);
		free(text);
	} else
		r->done[i](r->arg[i], reply, reply == NULL ? "timed out" :
		    NULL);
	json_decref(reply);
}

/* Every request still open answered with nothing (as link_free does). */
static void
rec_drain(struct rec *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (!r->answered[i])
			rec_answer(r, (long)i, NULL);
	for (i = 0; i < r->n; i++)
		json_decref(r->req[i]);
	r->n = 0;
}

/* --- fixtures --------------------------------------------------------------- */

static json_t *
mkcase(int n, int version, const char *state, long due_in)
{
	char	no[32], when[40];

	snprintf(no, sizeof no, "330203-20261124-%05d", n);
	gltime_format(time(NULL) + due_in, GLTIME_CHINA, when, sizeof when);
	return json_pack("{s:s,s:i,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:o,s:{s:s,"
	    "s:s}}", "no", no, "version", version, "state", state, "priority",
	    3, "summary", "望京路井盖缺失", "township_name", n % 2 ? "西门街道" :
	    "南门街道", "category_name", "窨井盖缺失", "agency_name",
	    n % 3 ? "海曙区综合行政执法局" : "海曙区住建局", "agency", n % 3 ?
	    "330203.ZF" : "330203.ZJ", "due_at", due_in ? json_string(when) :
	    json_null(), "route", "lead", "330203.ZF", "lead_name",
	    "海曙区综合行政执法局");
}

/* A console that is up, with n cases (1..n) loaded from a snapshot, due
 * one hour apart so the queue's order is 1, 2, ..., n. */
static struct console *
mkconsole(struct rec *r, int n, const char *state)
{
	static const struct console_opts o = { NULL, "/nonexistent",
		"王调度", "test centre", 0, NULL, NULL, 0 };
	struct console	*c = console_new(&o, rec_send, r, view_queue_new());
	json_t		*cases = json_array();
	int		 i;

	assert_non_null(c);
	c->send_raw = rec_send_raw;
	sync_state(c, 1, NULL);
	for (i = 1; i <= n; i++)
		json_array_append_new(cases, mkcase(i, 2, state, 3600L * i));
	rec_answer(r, rec_find(r, "snapshot"), json_pack("{s:b,s:I,s:o,s:n}",
	    "ok", 1, "seq", (json_int_t)10, "cases", cases, "next"));
	rec_answer(r, rec_find(r, "events"), json_pack("{s:b,s:I,s:[]}", "ok",
	    1, "seq", (json_int_t)10, "events"));
	rec_answer(r, rec_find(r, "reference"), json_pack("{s:b,s:[{s:s,s:s},"
	    "{s:s,s:s}],s:[{s:s,s:s},{s:s,s:s}]}", "ok", 1, "agencies", "code",
	    "330203.ZF", "name", "海曙区综合行政执法局", "code", "330203.ZJ",
	    "name", "海曙区住建局", "districts", "code", "330203", "name",
	    "海曙区", "code", "330206", "name", "北仑区"));
	model_sort(c->model, c->sort, time(NULL));
	console_select_at(c, 0);
	return c;
}

static void
done(struct rec *r, struct console *c)
{
	rec_drain(r);
	console_free(c);
}

static void
key(struct console *c, int k)
{
	console_key(c, (wint_t)k, 0);
	model_sort(c->model, c->sort, time(NULL));
}

static void
type(struct console *c, const char *s)
{
	wchar_t	w[256];
	size_t	i, n = mbstowcs(w, s, 256);

	assert_true(n != (size_t)-1);
	for (i = 0; i < n; i++)
		console_key(c, (wint_t)w[i], 0);
}

/* What the loop does before a frame: sort, and filter to the end. */
static void
settle(struct console *c)
{
	model_sort(c->model, c->sort, time(NULL));
	while (model_pending(c->model))
		model_filter_more(c->model);
}

static const char *
top_name(struct console *c)
{
	return console_top(c)->ops->name;
}

/* A `case` reply for case no with nevents events. */
static json_t *
case_reply(const char *no, const char *state, int nevents)
{
	json_t	*k = mkcase(atoi(no + 16), 2, state, 3600), *h = json_array();
	int	 i;

	json_object_set_new(k, "no", json_string(no));
	for (i = 0; i < nevents; i++)
		json_array_append_new(h, json_pack("{s:I,s:s,s:s,s:s,s:s}",
		    "seq", (json_int_t)i + 1, "at", "2026-11-24T10:00:00+08:00",
		    "actor", "王调度", "action", i == 0 ? "report" : "press",
		    "reason", "催办"));
	return json_pack("{s:b,s:o,s:o}", "ok", 1, "case", k, "history", h);
}

/* --- backing out ----------------------------------------------------------- */

/* Each back key, from each view, returns to the queue with the same case
 * selected; q at the queue asks, and only y leaves. */
static void
test_back_keys(void **state)
{
	static const struct { int code, is_keycode; } backs[] = {
		{ 'q', 0 }, { 27, 0 }, { 'h', 0 }, { KEY_LEFT, 1 },
		{ KEY_BACKSPACE, 1 }, { 127, 0 },
	};
	static const char *const opens[] = { "view", "board", "help",
		"messages", "finished", "board township" };
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 5, "registered");
	size_t		 i, j;

	(void)state;
	key(c, 'j');
	key(c, 'j');
	assert_string_equal(c->sel, "330203-20261124-00003");
	for (i = 0; i < sizeof opens / sizeof opens[0]; i++)
		for (j = 0; j < sizeof backs / sizeof backs[0]; j++) {
			cmd_run(c, opens[i]);
			assert_int_equal(c->nviews, 2);
			console_key(c, (wint_t)backs[j].code,
			    backs[j].is_keycode);
			assert_int_equal(c->nviews, 1);
			assert_string_equal(top_name(c), "queue");
			assert_null(c->prompt);
			assert_string_equal(c->sel, "330203-20261124-00003");
		}
	key(c, 'q');			/* at the queue: a question */
	assert_non_null(c->prompt);
	assert_int_equal(c->quitting, 0);
	key(c, 'n');			/* anything but y stays */
	assert_null(c->prompt);
	assert_int_equal(c->quitting, 0);
	key(c, 'q');
	key(c, 'y');
	assert_int_equal(c->quitting, 1);
	done(&r, c);
}

/* --- actions ----------------------------------------------------------------- */

/* c and :close are the lifecycle's close (结案) and :结案 the same; the
 * request carries the version the console saw. */
static void
test_close_is_an_action(void **state)
{
	static const char *const lines[] = { NULL, "close", "结案" };
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "verified");
	size_t		 i;
	long		 q;

	(void)state;
	for (i = 0; i < 3; i++) {
		if (lines[i] == NULL)
			key(c, 'c');
		else
			cmd_run(c, lines[i]);
		assert_int_equal(c->nviews, 1);
		q = rec_find(&r, "close");
		assert_true(q >= 0);
		assert_string_equal(json_string_value(json_object_get(
		    r.req[q], "case")), c->sel);
		assert_int_equal(json_integer_value(json_object_get(r.req[q],
		    "version")), 2);
		assert_string_equal(json_string_value(json_object_get(
		    r.req[q], "operator")), "王调度");
		rec_answer(&r, q, json_pack("{s:b,s:{s:s,s:s}}", "ok", 0,
		    "error", "code", "conflict", "message", "x"));
	}
	done(&r, c);
}

/* x opens the reason picker; typed text narrows it; Enter sends. */
static void
test_return_picker(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "dispatched");
	long		 q;

	(void)state;
	key(c, 'x');
	assert_string_equal(top_name(c), "pick");
	assert_int_equal(rec_find(&r, "return"), -1);
	type(c, "not");		/* letters are typed, not commands */
	assert_string_equal(top_name(c), "pick");
	key(c, '\r');
	assert_string_equal(top_name(c), "queue");
	q = rec_find(&r, "return");
	assert_true(q >= 0);
	assert_string_equal(json_string_value(json_object_get(r.req[q],
	    "reason_code")), "not_our_duty");
	done(&r, c);
}

/* void asks for a reason, then asks y/n: n sends nothing, y sends. */
static void
test_void_confirms(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "registered");
	char		 typed[256];

	(void)state;
	key(c, 'X');
	assert_non_null(c->prompt);		/* the reason */
	prompt_typed(c, typed, sizeof typed);
	assert_string_equal(typed, "void ");
	type(c, "误报");
	key(c, '\r');
	assert_non_null(c->prompt);		/* the question */
	key(c, 'n');
	assert_null(c->prompt);
	assert_int_equal(rec_find(&r, "void"), -1);
	cmd_run(c, "void 误报");
	key(c, 'y');
	assert_true(rec_find(&r, "void") >= 0);
	assert_string_equal(json_string_value(json_object_get(
	    r.req[rec_find(&r, "void")], "reason")), "误报");
	done(&r, c);
}

/* An action refused by the lifecycle in this state is said so and sends
 * nothing (return on a registered case: nothing was dispatched). */
static void
test_action_not_allowed(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 2, "registered");

	(void)state;
	key(c, 'x');
	assert_string_equal(top_name(c), "queue");
	assert_int_equal(rec_find(&r, "return"), -1);
	assert_int_equal(c->msgs.role, ROLE_ERROR);
	done(&r, c);
}

/* The server's not_allowed (the case moved on meanwhile) is worded from
 * its params; it is not a role refusal (forbidden), which says who may. */
static void
test_server_not_allowed(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "verified");
	long		 q;

	(void)state;
	key(c, 'c');
	q = rec_find(&r, "close");
	assert_true(q >= 0);
	rec_answer(&r, q, json_pack("{s:b,s:{s:s,s:s,s:{s:s,s:s}}}", "ok", 0,
	    "error", "code", "not_allowed", "message", "x", "params",
	    "action", "close", "state", "closed"));
	assert_int_equal(c->msgs.role, ROLE_ERROR);
	if (strstr(c->msgs.text, "cannot be done while the case is") == NULL)
		fail_msg("message: %s", c->msgs.text);
	done(&r, c);
}

/* A role that does not take an action (an agency's register) is told so
 * with the rule and nothing is sent; help marks the action. */
static void
test_role_refused(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 2, "reported");

	(void)state;
	snprintf(c->link.role, sizeof c->link.role, "agency");
	key(c, 'r');
	assert_int_equal(rec_find(&r, "register"), -1);
	assert_int_equal(c->msgs.role, ROLE_ERROR);
	if (strstr(c->msgs.text, "the role does not take this action") ==
	    NULL)
		fail_msg("message: %s", c->msgs.text);
	snprintf(c->link.role, sizeof c->link.role, "dispatcher");
	key(c, 'r');
	assert_true(rec_find(&r, "register") >= 0);
	done(&r, c);
}

/* After an action at the queue the next case is selected, not the top. */
static void
test_selection_moves_on(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 4, "reported");
	json_t		*k;
	long		 q;

	(void)state;
	key(c, 'j');
	assert_string_equal(c->sel, "330203-20261124-00002");
	key(c, 'r');
	q = rec_find(&r, "register");
	assert_true(q >= 0);
	k = mkcase(2, 3, "registered", 7200);
	rec_answer(&r, q, json_pack("{s:b,s:I,s:o}", "ok", 1, "seq",
	    (json_int_t)11, "case", k));
	assert_string_equal(c->sel, "330203-20261124-00003");
	done(&r, c);
}

/* r then d typed at once: d waits for r's answer and goes with the new
 * version, on the same case. */
static void
test_typed_ahead(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "reported");
	long		 q;

	(void)state;
	key(c, 'r');
	key(c, 'd');
	assert_int_equal(rec_find(&r, "dispatch"), -1);
	q = rec_find(&r, "register");
	rec_answer(&r, q, json_pack("{s:b,s:o}", "ok", 1, "case",
	    mkcase(1, 3, "registered", 7200)));
	q = rec_find(&r, "dispatch");
	assert_true(q >= 0);
	assert_string_equal(json_string_value(json_object_get(r.req[q],
	    "case")), "330203-20261124-00001");
	assert_int_equal(json_integer_value(json_object_get(r.req[q],
	    "version")), 3);
	assert_string_equal(json_string_value(json_object_get(r.req[q],
	    "agency")), "330203.ZF");
	done(&r, c);
}

/* A dispatch to another agency than the lead asks why, then y/n. */
static void
test_dispatch_elsewhere(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 2, "registered");

	(void)state;
	cmd_run(c, "dispatch 海曙区住建局");	/* by name */
	assert_non_null(c->prompt);
	assert_int_equal(rec_find(&r, "dispatch"), -1);
	type(c, "井盖属住建");
	key(c, '\r');
	assert_non_null(c->prompt);		/* y/n */
	key(c, 'y');
	assert_true(rec_find(&r, "dispatch") >= 0);
	assert_string_equal(json_string_value(json_object_get(
	    r.req[rec_find(&r, "dispatch")], "agency")), "330203.ZJ");
	rec_answer(&r, rec_find(&r, "dispatch"), NULL);

	/* D: the picker; 曙建 holds 海曙区住建局's characters in order */
	key(c, 'D');
	assert_string_equal(top_name(c), "pick");
	type(c, "曙建");
	key(c, '\r');
	assert_string_equal(top_name(c), "queue");
	assert_non_null(c->prompt);		/* why not the lead */
	type(c, "理由");
	key(c, '\r');
	key(c, 'y');
	assert_string_equal(json_string_value(json_object_get(
	    r.req[rec_find(&r, "dispatch")], "agency")), "330203.ZJ");
	done(&r, c);
}

/* A case dispatched longer ago than the ack timeout and still not
 * acknowledged is marked; not before, not once acknowledged, not without
 * a dispatch time. */
static void
test_ack_late(void **state)
{
	static const struct {
		enum case_state	 state;
		long		 ago;		/* dispatched, seconds ago */
		int		 want;
	} rows[] = {
		{ CS_DISPATCHED, 31 * 60, 1 },
		{ CS_DISPATCHED, 30 * 60, 1 },
		{ CS_DISPATCHED, 29 * 60, 0 },
		{ CS_ACKNOWLEDGED, 90 * 60, 0 },
		{ CS_DISPATCHED, -1, 0 },	/* no dispatch time */
	};
	struct mcase	m;
	time_t		now = 1796000000;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&m, 0, sizeof m);
		m.state = rows[i].state;
		m.dispatched_at = rows[i].ago < 0 ? 0 : now - rows[i].ago;
		if (present_ack_late(&m, now, 30 * 60, NULL) != rows[i].want)
			fail_msg("row %zu", i);
	}
}

/* Local UTC+8 "YYYY-MM-DD HH:MM" as an instant. */
static time_t
local_at(const char *s)
{
	struct tm	tm = { 0 };

	assert_non_null(strptime(s, "%Y-%m-%d %H:%M", &tm));
	return timegm(&tm) - 28800;
}

/* On the server's calendar (default hours 08:30-12:00, 13:30-17:30,
 * Monday to Friday) the 30 minutes are working minutes: lunch, the night
 * and the weekend do not count. Worked out by hand. */
static void
test_ack_late_working(void **state)
{
	static const struct {
		const char	*dispatched, *now;
		int		 want, wall;	/* on the calendar, wall */
	} rows[] = {
		{ "2026-11-24 09:00", "2026-11-24 09:30", 1, 1 },
		{ "2026-11-24 09:00", "2026-11-24 09:29", 0, 0 },
		/* 10 minutes before lunch, 15 after */
		{ "2026-11-24 11:50", "2026-11-24 13:45", 0, 1 },
		{ "2026-11-24 11:50", "2026-11-24 13:50", 1, 1 },
		/* Friday 17:20, Monday 08:55: 10 + 25 */
		{ "2026-11-27 17:20", "2026-11-30 08:55", 1, 1 },
		{ "2026-11-27 17:20", "2026-11-30 08:45", 0, 1 },
		/* a Saturday has no working minute */
		{ "2026-11-28 10:00", "2026-11-28 16:00", 0, 1 },
	};
	struct calendar	*cal;
	struct mcase	 m;
	size_t		 i;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&m, 0, sizeof m);
		m.state = CS_DISPATCHED;
		m.dispatched_at = local_at(rows[i].dispatched);
		if (present_ack_late(&m, local_at(rows[i].now), 30 * 60,
		    cal) != rows[i].want ||
		    present_ack_late(&m, local_at(rows[i].now), 30 * 60,
		    NULL) != rows[i].wall)
			fail_msg("row %zu", i);
	}
	calendar_free(cal);
}

/* A township's console is offered the agencies it commands only: its own
 * stationed unit, not the district's bureaus. */
static void
test_township_picker(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 2, "registered");
	char		**v;

	(void)state;
	snprintf(c->link.role, sizeof c->link.role, "township");
	snprintf(c->link.township, sizeof c->link.township, "330203003");
	v = realloc(c->link.agencies, (c->link.nagencies + 1) * sizeof *v);
	assert_non_null(v);
	c->link.agencies = v;
	v[c->link.nagencies++] = strdup("330203003.ZFZD\t西门街道综合行政执法"
	    "中队");
	key(c, 'D');
	assert_string_equal(top_name(c), "pick");
	type(c, "曙建");			/* the district's: not offered */
	key(c, '\r');
	assert_string_equal(top_name(c), "pick");
	assert_int_equal(rec_find(&r, "dispatch"), -1);
	key(c, 27);				/* Esc */
	key(c, 'D');
	type(c, "执法中队");
	key(c, '\r');
	assert_non_null(c->prompt);		/* why not the lead */
	type(c, "就近");
	key(c, '\r');
	key(c, 'y');
	assert_true(rec_find(&r, "dispatch") >= 0);
	assert_string_equal(json_string_value(json_object_get(
	    r.req[rec_find(&r, "dispatch")], "agency")), "330203003.ZFZD");
	done(&r, c);
}

/* --- the case view ---------------------------------------------------------- */

/* At 80x24 the last of 31 events can be reached; j/k scroll the view,
 * not the queue. */
static void
test_history_scrolls(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "dispatched");
	size_t		 first, total;

	(void)state;
	key(c, '\r');
	assert_string_equal(top_name(c), "case");
	rec_answer(&r, rec_find(&r, "case"), case_reply(c->sel, "dispatched",
	    31));
	key(c, 'G');
	view_case_scroll(console_top(c), &first, &total);
	assert_true(total > 31);
	assert_true(first + (size_t)console_queue_rows(c) >= total);
	key(c, 'g');
	view_case_scroll(console_top(c), &first, &total);
	assert_int_equal(first, 0);
	key(c, 'j');
	view_case_scroll(console_top(c), &first, &total);
	assert_int_equal(first, 1);
	assert_string_equal(c->sel, "330203-20261124-00001");
	done(&r, c);
}

/* A reply for a case view closed meanwhile is dropped safely. */
static void
test_reply_after_close(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 2, "registered");
	long		 q;

	(void)state;
	key(c, '\r');
	q = rec_find(&r, "case");
	key(c, 'q');
	assert_int_equal(c->nviews, 1);
	rec_answer(&r, q, case_reply(c->sel, "registered", 3));
	assert_int_equal(c->nviews, 1);
	done(&r, c);
}

/* --- finding ------------------------------------------------------------------ */

/* :case by the spoken number opens the case, open or not. */
static void
test_case_by_spoken_number(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "registered");
	long		 q;

	(void)state;
	cmd_run(c, "case 203-1124-00002");
	assert_string_equal(top_name(c), "case");
	assert_string_equal(view_case_no(console_top(c)),
	    "330203-20261124-00002");
	q = rec_find(&r, "case");
	assert_string_equal(json_string_value(json_object_get(r.req[q],
	    "case")), "330203-20261124-00002");
	cmd_run(c, "case 330203-20251001-00077");	/* not in the queue */
	assert_string_equal(view_case_no(console_top(c)),
	    "330203-20251001-00077");
	assert_int_equal(c->nviews, 2);		/* replaced, not stacked */
	cmd_run(c, "case 井盖");
	assert_int_equal(c->msgs.role, ROLE_ERROR);
	done(&r, c);
}

/* / lists results; n and N move; Enter opens. */
static void
test_search_results(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "registered");
	long		 q;

	(void)state;
	key(c, '/');
	type(c, "井盖");
	key(c, '\r');
	q = rec_find(&r, "search");
	assert_true(q >= 0);
	assert_string_equal(json_string_value(json_object_get(r.req[q], "q")),
	    "井盖");
	rec_answer(&r, q, json_pack("{s:b,s:[o,o,o]}", "ok", 1, "cases",
	    mkcase(3, 2, "registered", 0), mkcase(2, 2, "registered", 0),
	    mkcase(9, 5, "closed", 0)));
	assert_string_equal(top_name(c), "list");
	key(c, 'n');
	key(c, 'n');
	key(c, '\r');
	assert_string_equal(top_name(c), "case");
	assert_string_equal(view_case_no(console_top(c)),
	    "330203-20261124-00009");
	key(c, 'N');			/* from the case view: the previous */
	assert_string_equal(view_case_no(console_top(c)),
	    "330203-20261124-00002");
	key(c, 'q');
	key(c, 'q');
	assert_string_equal(top_name(c), "queue");
	done(&r, c);
}

/* A filter is named in the header's label; Esc at the queue clears it;
 * board Enter filters to the row. */
static void
test_filter_and_board(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 6, "dispatched");

	(void)state;
	cmd_run(c, "filter 西门街道");
	settle(c);
	assert_string_equal(c->filter.label, "西门街道");
	assert_int_equal(model_count(c->model), 3);
	key(c, 27);
	settle(c);
	assert_string_equal(c->filter.label, "");
	assert_int_equal(model_count(c->model), 6);
	cmd_run(c, "filter 北仑");		/* a district by name */
	settle(c);
	assert_string_equal(c->filter.district, "330206");
	assert_int_equal(model_count(c->model), 0);
	cmd_run(c, "filter 海曙区");
	settle(c);
	assert_int_equal(model_count(c->model), 6);
	key(c, 27);
	key(c, 'b');
	assert_string_equal(top_name(c), "board");
	key(c, '\r');
	assert_string_equal(top_name(c), "queue");
	assert_true(c->filter.label[0] != '\0');
	done(&r, c);
}

/* --- words and config ---------------------------------------------------------- */

static void
test_english_words(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	assert_string_equal(word_state(CS_DISPATCHED), "dispatched");
	assert_string_equal(word_state(CS_IN_HAND), "in hand");
	assert_string_equal(word_action(CA_CLOSE), "close");
	assert_string_equal(word_reason("not_our_duty"), "not our duty");
}

/* Completion: commands, reason codes, agency codes by name, cases. */
static void
test_completion(void **state)
{
	struct rec	 r = { 0 };
	struct console	*c = mkconsole(&r, 3, "registered");
	const char	*out[16];

	(void)state;
	assert_int_equal(complete(c, "fin", out, 16), 1);
	assert_string_equal(out[0], "finished");
	assert_int_equal(complete(c, "return not", out, 16), 1);
	assert_string_equal(out[0], "not_our_duty");
	assert_int_equal(complete(c, "dispatch 住建", out, 16), 1);
	assert_string_equal(out[0], "330203.ZJ");
	assert_int_equal(complete(c, "merge 330203-20261124-0000", out,
	    16), 3);
	done(&r, c);
}

/* Every bad line of gridline.conf is listed with file:line; bind checks
 * its command when the file loads; F-keys and C-x keys bind. */
static void
test_config(void **state)
{
	struct rec		 r = { 0 };
	struct console		*c = mkconsole(&r, 1, "registered");
	struct role_style	 styles[ROLE__COUNT];
	char			 path[] = "/tmp/gridline-conf-XXXXXX";
	const char		*text = "# comment\n"
				    "bind F5 board\n"
				    "bind C-r register\n"
				    "bind z frobnicate\n"		/* line 4 */
				    "set colour purple\n"		/* line 5 */
				    "bind NoSuchKey help\n"		/* line 6 */
				    "set mouse off\n";
	size_t			 i, n = 0;
	int			 fd = mkstemp(path);
	char			 want[64];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	setenv("GRIDLINE_CONFIG", path, 1);
	theme_default(styles);
	conf_setup(c, styles);
	unsetenv("GRIDLINE_CONFIG");
	unlink(path);
	for (i = 4; i <= 6; i++) {
		snprintf(want, sizeof want, "%s:%zu: ", path, i);
		for (n = 0; n < c->msgs.n; n++)
			if (strncmp(c->msgs.old[n], want, strlen(want)) == 0)
				break;
		assert_true(n < c->msgs.n);
	}
	assert_non_null(strstr(c->conf.problems, "+2 more"));
	assert_string_equal(keys_lookup(&c->conf.keys, KEY_F(5), 1),
	    "board");
	assert_string_equal(keys_lookup(&c->conf.keys, 18, 0), "register");
	assert_null(keys_lookup(&c->conf.keys, 'z', 0) != NULL &&
	    strcmp(keys_lookup(&c->conf.keys, 'z', 0), "frobnicate") == 0 ?
	    "bound" : NULL);
	assert_int_equal(c->conf.mouse, 0);
	done(&r, c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_back_keys),
		cmocka_unit_test(test_close_is_an_action),
		cmocka_unit_test(test_return_picker),
		cmocka_unit_test(test_void_confirms),
		cmocka_unit_test(test_action_not_allowed),
		cmocka_unit_test(test_server_not_allowed),
		cmocka_unit_test(test_role_refused),
		cmocka_unit_test(test_township_picker),
		cmocka_unit_test(test_ack_late),
		cmocka_unit_test(test_ack_late_working),
		cmocka_unit_test(test_selection_moves_on),
		cmocka_unit_test(test_typed_ahead),
		cmocka_unit_test(test_dispatch_elsewhere),
		cmocka_unit_test(test_history_scrolls),
		cmocka_unit_test(test_reply_after_close),
		cmocka_unit_test(test_case_by_spoken_number),
		cmocka_unit_test(test_search_results),
		cmocka_unit_test(test_filter_and_board),
		cmocka_unit_test(test_english_words),
		cmocka_unit_test(test_completion),
		cmocka_unit_test(test_config),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
