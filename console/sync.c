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
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console.h"
#include "req.h"

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
	if (json_array_size(list) == EVENTS_PAGE)
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

static void
sync_snapshot_reply(struct console *c, void *arg, json_t *rep,
    const char *err)
{
	json_t	*next, *it;
	size_t	 i;

	(void)arg, (void)err;
	if (rep == NULL || !json_is_true(json_object_get(rep, "ok"))) {
		c->link.snap_seq = 0;	/* again on reconnect */
		return;
	}
	if (c->link.snap_seq == 0)
		c->link.snap_seq = json_integer_value(json_object_get(rep,
		    "seq"));
	/* ask for the next page first: the server reads it while we decode
	 * this one */
	next = json_object_get(rep, "next");
	if (json_is_integer(next))
		sync_snapshot(c, json_integer_value(next));
	json_array_foreach(json_object_get(rep, "cases"), i, it)
		model_put(c->model, it, 0);
	if (!json_is_integer(next))
		sync_loaded(c);
}

static void
sync_snapshot(struct console *c, int64_t after)
{
	console_request(c, req_snapshot(after, SNAP_PAGE, "queue"),
	    sync_snapshot_reply, NULL);
}

static void
sync_urgent_reply(struct console *c, void *arg, json_t *rep, const char *err)
{
	json_t	*it;
	size_t	 i;

	(void)arg, (void)err;
	if (rep != NULL && !c->link.loaded)
		json_array_foreach(json_object_get(rep, "cases"), i, it)
			model_put(c->model, it, 0);
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
	(void)arg, (void)err;
	sync_names(json_object_get(rep, "agencies"), &c->link.agencies,
	    &c->link.nagencies);
	sync_names(json_object_get(rep, "districts"), &c->link.districts,
	    &c->link.ndistricts);
}

void
sync_state(struct console *c, int up, json_t *status)
{
	if (status != NULL)
		c->link.training = json_is_true(json_object_get(status,
		    "training"));
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
		console_request(c, req_snapshot_urgent(URGENT_PAGE, "queue"),
		    sync_urgent_reply, NULL);
		c->link.snap_seq = 0;
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
