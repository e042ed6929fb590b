/*
 * sync.c: keeping the console's model in step with the server.
 *
 * When the link comes up the console reads the snapshot page by page (its
 * seq is the first page's), then asks for the events since that seq; from
 * then on each published event must carry the next seq. A gap (a slow
 * subscriber loses messages, the server restarted) is closed by asking for
 * the events since the last seq applied; events already applied are
 * ignored. So no change is shown twice or missed.
 *
 * Before the snapshot, one page of the cases the queue shows first (the
 * urgent order) gives a first screen at once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console.h"
#include "gltime.h"
#include "error.h"
#include "jscan.h"
#include "present.h"
#include "req.h"
#include "view.h"

#define SNAP_PAGE	2000
#define EVENTS_PAGE	1000
#define URGENT_PAGE	200

static void sync_catch_up(struct console *c);

static void
sync_events_reply(struct console *c, void *arg, json_t *rep, const char *err)
{
	json_t		*list = json_object_get(rep, "events"), *it;
	struct mcase	*mc;
	size_t		 i;
	int64_t		 seq;

	(void)arg, (void)err;
	c->link.catching_up = 0;
	if (rep == NULL || !json_is_true(json_object_get(rep, "ok")))
		return;
	json_array_foreach(list, i, it) {
		seq = json_integer_value(json_object_get(it, "seq"));
		if (seq <= model_seq(c->model))
			continue;
		mc = model_put(c->model, json_object_get(it, "case"), 1);
		model_set_seq(c->model, seq);
		if (mc != NULL)
			console_case_changed(c, mc->no);
	}
	/* an agency's or a township's page leaves out the other cases'
	 * events: "last" is the seq read up to, "more" a full page read */
	seq = json_integer_value(json_object_get(rep, "last"));
	if (seq > model_seq(c->model))
		model_set_seq(c->model, seq);
	if (json_object_get(rep, "more") != NULL ?
	    json_is_true(json_object_get(rep, "more")) :
	    json_array_size(list) == EVENTS_PAGE)
		sync_catch_up(c);
}

static void
sync_catch_up(struct console *c)
{
	if (c->link.catching_up || !c->link.loaded)
		return;
	c->link.catching_up = 1;
	console_request(c, req_events(model_seq(c->model), EVENTS_PAGE),
	    sync_events_reply, NULL);
}

static void sync_snapshot(struct console *c, int64_t after);

static void
sync_loaded(struct console *c)
{
	model_set_seq(c->model, c->link.snap_seq);
	c->link.loaded = 1;
	if (c->conf.problems != NULL)	/* not lost under the news */
		console_message(c, ROLE_ERROR, "%s", c->conf.problems);
	else
		console_message(c, ROLE_NORMAL, _("%zu open cases loaded"),
		    model_open_count(c->model));
	sync_catch_up(c);	/* what changed while we read */
}

/*
 * Snapshot pages are read from their bytes with core's jscan, not as
 * jansson trees (68 ms a page of 2,000 cases, most of the console's time).
 * First a pass over the page's own members, the cases skipped (only their
 * brackets and strings' ends looked at: 0.7 ms a page instead of the
 * 1.6 ms of a checking skip), for "next": the next page is asked for
 * before this one is decoded, so the server reads it meanwhile. Then the
 * cases, from where the first pass found them, strictly and straight into
 * the model (6 ms a page, jansson's tree and model_put took 55-60); the
 * two passes together check the whole page. A page that turns out bad
 * after the next was asked for ends the reading: the generation moves on,
 * and the replies still to come for the old one are dropped.
 *
 * The pages in between draw nothing (raw replies leave c->dirty alone): a
 * frame after each, sorting, filtering and counting the growing model,
 * took as long as decoding the page. The screen shows the urgent page
 * until the whole snapshot is in; the clock's frame each second and keys
 * still draw what there is.
 */
struct sync_page {
	int		 ok;		/* "ok": true */
	int64_t		 seq;
	int		 more;		/* "next" is an integer */
	int64_t		 next;
	int		 has_cases;	/* "cases" is an array ... */
	size_t		 cases_at;	/* ... starting at this offset */
};

#define SYNC_KEY(s, lit) \
	((s)->n == sizeof (lit) - 1 && memcmp((s)->str, lit, (s)->n) == 0)

/* The first pass. 0 or a GL_E* code. */
static int
sync_page_head(const char *text, size_t len, struct sync_page *pg)
{
	struct jscan	s;
	enum jscan_tok	t;
	int		which, rc = 0;

	memset(pg, 0, sizeof *pg);
	jscan_init(&s, text, len);
	if ((t = jscan_next(&s)) != JT_OBJ)
		rc = GL_EPARSE;
	while (rc == 0 && (t = jscan_next(&s)) == JT_KEY) {
		which = SYNC_KEY(&s, "ok") ? 1 : SYNC_KEY(&s, "seq") ? 2 :
		    SYNC_KEY(&s, "next") ? 3 : SYNC_KEY(&s, "cases") ? 4 : 0;
		t = jscan_next(&s);
		if (which == 1)
			pg->ok = t == JT_TRUE;
		else if (which == 2)
			pg->seq = t == JT_NUM && s.is_int ? s.i : 0;
		else if (which == 3) {
			pg->more = t == JT_NUM && s.is_int;
			pg->next = pg->more ? s.i : 0;
		} else if (which == 4) {
			pg->has_cases = t == JT_ARR;
			pg->cases_at = s.off;
		}
		/* the cases are read strictly by the second pass */
		rc = which == 4 ? jscan_skip_loose(&s) : jscan_skip(&s);
	}
	if (rc == 0 && (t != JT_OBJ_END || jscan_next(&s) != JT_END))
		rc = GL_EPARSE;
	jscan_free(&s);
	return rc;
}

/* The second pass: the page's cases into the model. */
static int
sync_page_cases(struct console *c, const char *text, size_t len,
    const struct sync_page *pg)
{
	struct jscan	s;
	size_t		n;
	int		rc;

	if (!pg->has_cases)
		return 0;
	jscan_init_at(&s, text, len, pg->cases_at);
	rc = model_put_array(c->model, &s, 0, &n);
	jscan_free(&s);
	return rc;
}

/* Give the reading up: again when the link comes back. */
static void
sync_snapshot_stop(struct console *c)
{
	c->link.snap_seq = 0;
	c->link.snap_gen++;
}

static void
sync_snapshot_reply(struct console *c, void *arg, const char *text,
    size_t len, const char *err)
{
	struct sync_page	pg;

	(void)err;
	if ((uintptr_t)arg != c->link.snap_gen)
		return;			/* a reading given up */
	if (text == NULL || sync_page_head(text, len, &pg) != 0 || !pg.ok) {
		sync_snapshot_stop(c);
		return;
	}
	if (c->link.snap_seq == 0)
		c->link.snap_seq = pg.seq;
	/* ask for the next page first: the server reads it while we decode
	 * this one */
	if (pg.more)
		sync_snapshot(c, pg.next);
	if (sync_page_cases(c, text, len, &pg) != 0) {
		sync_snapshot_stop(c);
		return;
	}
	if (!pg.more)
		sync_loaded(c);
}

static void
sync_snapshot(struct console *c, int64_t after)
{
	console_request_raw(c, req_snapshot(after, SNAP_PAGE, "queue"),
	    sync_snapshot_reply, (void *)(uintptr_t)c->link.snap_gen);
}

static void
sync_urgent_reply(struct console *c, void *arg, const char *text,
    size_t len, const char *err)
{
	struct sync_page	pg;

	(void)arg, (void)err;
	if (text != NULL && !c->link.loaded &&
	    sync_page_head(text, len, &pg) == 0) {
		sync_page_cases(c, text, len, &pg);
		c->dirty = 1;		/* the first screen */
	}
}

static int
sync_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list ([{"code","name"}]) into *out as sorted "CODE\tNAME" strings. */
static void
sync_names(json_t *list, char ***out, size_t *n)
{
	json_t		*it;
	size_t		 i;
	const char	*code, *name;
	char		 buf[512];

	if (*n > 0 || json_array_size(list) == 0 ||
	    (*out = calloc(json_array_size(list), sizeof (char *))) == NULL)
		return;
	json_array_foreach(list, i, it) {
		code = json_string_value(json_object_get(it, "code"));
		name = json_string_value(json_object_get(it, "name"));
		if (code == NULL)
			continue;
		snprintf(buf, sizeof buf, "%s\t%s", code, name ? name : "");
		if (((*out)[*n] = strdup(buf)) != NULL)
			(*n)++;
	}
	qsort(*out, *n, sizeof (char *), sync_name_cmp);
}

static void
sync_reference_reply(struct console *c, void *arg, json_t *rep,
    const char *err)
{
	struct calendar	*cal;
	const char	*spec;
	char		 msg[128];

	(void)arg, (void)err;
	sync_names(json_object_get(rep, "agencies"), &c->link.agencies,
	    &c->link.nagencies);
	sync_names(json_object_get(rep, "districts"), &c->link.districts,
	    &c->link.ndistricts);
	spec = json_string_value(json_object_get(rep, "calendar"));
	if (spec != NULL && calendar_from_spec(spec, &cal, msg,
	    sizeof msg) == 0) {
		calendar_free(c->link.cal);
		c->link.cal = cal;	/* ack timeouts in working minutes */
		c->dirty = 1;
	} else if (spec != NULL) {
		console_message(c, ROLE_ERROR, _("the server's calendar: %s; "
		    "ack-timeout counts wall-clock time"), msg);
	}
}

/* A server on a set clock: follow it from its "now" (whole seconds, so
 * the first heartbeat that moves the second keeps the error under one). */
static void
sync_clock(struct console *c, json_t *status)
{
	json_t	*clk = json_object_get(status, "clock");
	time_t	 at;

	if (strcmp(present_str(clk, "kind"), "set") != 0 ||
	    gltime_parse(present_str(status, "now"), &at) != 0) {
		c->link.clock_ms = 0;
		return;
	}
	c->link.clock_speed = json_number_value(json_object_get(clk,
	    "speed"));
	if (c->link.clock_speed <= 0)
		c->link.clock_speed = 1;
	if (c->link.clock_ms == 0 || at != c->link.clock_at) {
		c->link.clock_at = at;
		c->link.clock_ms = console_now_ms();
		c->dirty = 1;
	}
}

/* The holiday table's end as the status says it (status.calendar, on
 * the server's clock): a warning before the end, provisional deadlines
 * after it (its "now" on or after provisional_from). */
static void
sync_calendar(struct console *c, json_t *status)
{
	json_t		*cal = json_object_get(status, "calendar");
	const char	*from = present_str(cal, "provisional_from");
	int		 warn = 0;

	if (json_is_string(json_object_get(cal, "warning")))
		warn = strlen(from) == 10 && strncmp(present_str(status,
		    "now"), from, 10) >= 0 ? 2 : 1;
	if (warn != c->link.cal_warn) {
		c->link.cal_warn = warn;
		c->dirty = 1;
	}
}

void
sync_state(struct console *c, int up, json_t *status)
{
	if (status != NULL) {
		json_t	*you = json_object_get(status, "you");
		char	 was[sizeof c->link.role];
		int	 moved;

		c->link.training = json_is_true(json_object_get(status,
		    "training"));
		sync_clock(c, status);
		sync_calendar(c, status);
		snprintf(c->link.scenario, sizeof c->link.scenario, "%s",
		    present_str(status, "scenario"));
		memcpy(was, c->link.role, sizeof was);
		snprintf(c->link.role, sizeof c->link.role, "%s", present_str(
		    you, "role"));
		snprintf(c->link.township, sizeof c->link.township, "%s",
		    present_str(you, "township"));
		/* an agency sees its own cases, a township its own: the
		 * server checks every action; this is what the screen shows */
		moved = model_set_reach(c->model, strcmp(c->link.role,
		    "agency") == 0 ? present_str(you, "agency") : NULL,
		    strcmp(c->link.role, "township") == 0 ? present_str(you,
		    "township") : NULL);
		view_queue_columns_role(&c->conf, strcmp(c->link.role,
		    "agency") == 0);
		if (moved || strcmp(was, c->link.role) != 0)
			c->dirty = 1;	/* the top bar, the queue */
	}
	if (c->link.up == up)
		return;			/* a heartbeat, nothing new */
	c->link.up = up;
	c->dirty = 1;
	if (!up) {
		console_message(c, ROLE_ERROR, "%s", _("server not answering: "
		    "showing the last state read, reconnecting"));
		return;
	}
	console_message(c, ROLE_NORMAL, "%s", _("connected"));
	if (c->link.nagencies == 0)
		console_request(c, req_reference(), sync_reference_reply, NULL);
	if (!c->link.loaded) {
		console_request_raw(c, req_snapshot_urgent(URGENT_PAGE,
		    "queue"), sync_urgent_reply, NULL);
		sync_snapshot_stop(c);	/* any earlier reading */
		sync_snapshot(c, 0);
	} else
		sync_catch_up(c);
}

void
sync_event(struct console *c, json_t *msg)
{
	int64_t		 seq = json_integer_value(json_object_get(msg, "seq"));
	struct mcase	*mc;

	if (!c->link.loaded || seq <= model_seq(c->model))
		return;
	if (seq != model_seq(c->model) + 1) {
		sync_catch_up(c);	/* a gap: fetch what we missed */
		return;
	}
	mc = model_put(c->model, json_object_get(msg, "case"), 1);
	model_set_seq(c->model, seq);
	if (mc == NULL)
		return;
	if (mc->version == 1 && c->on_new != NULL)
		c->on_new(c, mc);
	console_case_changed(c, mc->no);
	c->dirty = 1;
}
