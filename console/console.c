/*
 * console.c: the console's loop and its link to the server (see
 * console.h).
 *
 * Keeping in step: when the link comes up the console reads the snapshot
 * page by page (its seq is the first page's), then asks for the events
 * since that seq; from then on each published event must carry the next
 * seq. A gap (a slow subscriber loses messages, the server restarted) is
 * closed by asking for the events since the last seq applied; events
 * already applied are ignored. So no change is shown twice or missed.
 *
 * Drawing happens once per loop turn, in a prepare hook, when something
 * marked the console dirty: a burst of 1,000 events costs one redraw, and
 * curses sends only the cells that changed.
 */
#include <sys/ioctl.h>

#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "conf.h"
#include "console.h"
#include "error.h"
#include "link.h"

#define SNAP_PAGE	2000
#define TRACE_SHOWN_MAX	100000
#define EVENTS_PAGE	1000

/* Request kinds, compared by address. */
static const char REQ_SNAPSHOT[] = "snapshot";
static const char REQ_URGENT[] = "urgent";
static const char REQ_EVENTS[] = "events";

void
console_message(struct console *c, int role, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof c->msg, fmt, ap);
	va_end(ap);
	c->msg_role = role;
	c->dirty = 1;
}

void
console_request(struct console *c, json_t *req, const char *what)
{
	link_request(c->link, req, (void *)what);
}

struct mcase *
console_selected(struct console *c)
{
	return c->sel[0] != '\0' ? model_get(c->model, c->sel) : NULL;
}

void
console_refresh_view(struct console *c, const char *no)
{
	if (!c->detail || no == NULL || strcmp(no, c->sel) != 0)
		return;
	console_request(c, json_pack("{s:s,s:s}", "op", "case", "case", no),
	    "case-refresh");
}

static void
console_catch_up(struct console *c)
{
	if (c->catching_up || !c->loaded)
		return;
	c->catching_up = 1;
	console_request(c, json_pack("{s:s,s:I,s:i}", "op", "events", "since",
	    (json_int_t)model_seq(c->model), "limit", EVENTS_PAGE),
	    REQ_EVENTS);
}

static void
console_snapshot(struct console *c, json_int_t after)
{
	console_request(c, json_pack("{s:s,s:I,s:i,s:s}", "op", "snapshot",
	    "after", after, "limit", SNAP_PAGE, "fields", "queue"),
	    REQ_SNAPSHOT);
}

static void
on_snapshot(struct console *c, json_t *rep)
{
	json_t	*list = json_object_get(rep, "cases"), *it, *next;
	size_t	 i;

	if (c->snap_seq == 0)
		c->snap_seq = json_integer_value(json_object_get(rep, "seq"));
	json_array_foreach(list, i, it)
		model_put(c->model, it, 0);
	next = json_object_get(rep, "next");
	if (json_is_integer(next)) {
		console_snapshot(c, json_integer_value(next));
		return;
	}
	model_set_seq(c->model, c->snap_seq);
	c->loaded = 1;
	if (c->conf_problem[0] != '\0')	/* not lost under the news */
		console_message(c, ROLE_ERROR, "%s", c->conf_problem);
	else
		console_message(c, ROLE_NORMAL, _("%zu open cases loaded"),
		    model_open_count(c->model));
	console_catch_up(c);	/* what changed while we read */
}

static void
on_events(struct console *c, json_t *rep)
{
	json_t		*list = json_object_get(rep, "events"), *it;
	struct mcase	*mc;
	size_t		 i;
	int64_t		 seq;

	c->catching_up = 0;
	json_array_foreach(list, i, it) {
		seq = json_integer_value(json_object_get(it, "seq"));
		if (seq <= model_seq(c->model))
			continue;
		mc = model_put(c->model, json_object_get(it, "case"), 1);
		model_set_seq(c->model, seq);
		if (mc != NULL)
			console_refresh_view(c, mc->no);
	}
	if (json_array_size(list) == EVENTS_PAGE)
		console_catch_up(c);
	c->dirty = 1;
}

/* An event from the stream. */
static void
console_event(void *arg, json_t *msg)
{
	struct console	*c = arg;
	int64_t		 seq = json_integer_value(json_object_get(msg, "seq"));
	struct mcase	*mc;

	if (!c->loaded || seq <= model_seq(c->model))
		return;
	if (seq != model_seq(c->model) + 1) {
		console_catch_up(c);	/* a gap: fetch what we missed */
		return;
	}
	mc = model_put(c->model, json_object_get(msg, "case"), 1);
	model_set_seq(c->model, seq);
	if (c->trace != NULL && mc != NULL && mc->version == 1 &&
	    c->nshown < TRACE_SHOWN_MAX)
		snprintf(c->shown[c->nshown++], sizeof c->shown[0], "%s",
		    mc->no);
	if (mc != NULL && mc->version == 1 && mc->priority == 1 &&
	    c->opts.bell)
		beep();
	if (mc != NULL)
		console_refresh_view(c, mc->no);
	c->dirty = 1;
}

static void
console_state(void *arg, int up, json_t *status)
{
	struct console	*c = arg;

	if (status != NULL)
		c->training = json_is_true(json_object_get(status,
		    "training"));
	if (c->up == up)
		return;			/* a heartbeat, nothing new */
	c->up = up;
	c->dirty = 1;
	if (!up) {
		console_message(c, ROLE_ERROR, "%s", _("server not answering: "
		    "showing the last state read, reconnecting"));
		return;
	}
	console_message(c, ROLE_NORMAL, "%s", _("connected"));
	if (!c->loaded) {
		/* the cases the queue shows first, for a first screen at
		 * once; then everything, page by page */
		console_request(c, json_pack("{s:s,s:s,s:s,s:i}", "op",
		    "snapshot", "order", "urgent", "fields", "queue", "limit",
		    200), REQ_URGENT);
		c->snap_seq = 0;
		console_snapshot(c, 0);
	} else
		console_catch_up(c);
}

static void
console_reply(void *arg, void *what, json_t *rep, const char *err)
{
	struct console	*c = arg;

	if (what == REQ_URGENT) {
		json_t	*it;
		size_t	 i;

		if (rep != NULL && !c->loaded)
			json_array_foreach(json_object_get(rep, "cases"), i, it)
				model_put(c->model, it, 0);
		c->dirty = 1;
		return;
	}
	if (what == REQ_SNAPSHOT || what == REQ_EVENTS) {
		if (rep == NULL || !json_is_true(json_object_get(rep, "ok"))) {
			if (what == REQ_EVENTS)
				c->catching_up = 0;
			if (what == REQ_SNAPSHOT)
				c->snap_seq = 0;	/* again on reconnect */
			return;
		}
		if (what == REQ_SNAPSHOT)
			on_snapshot(c, rep);
		else
			on_events(c, rep);
		return;
	}
	cmd_reply(c, what, rep, err);
}

/* --- the terminal ---------------------------------------------------------- */

static void
console_tty_cb(uv_poll_t *h, int status, int events)
{
	struct console	*c = h->data;
	wint_t		 ch;
	int		 rc;

	(void)status;
	(void)events;
	while (!c->quitting && (rc = get_wch(&ch)) != ERR) {
		if (c->trace != NULL && c->key_at == 0) {
			c->key_at = uv_hrtime();
			c->key_code = (int)ch;
		}
		cmd_key(c, ch, rc == KEY_CODE_YES);
	}
}

static void
console_winch_cb(uv_signal_t *h, int signum)
{
	struct console	*c = h->data;
	struct winsize	 ws;

	(void)signum;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clear();		/* the one full clear: the layout changed */
	c->dirty = 1;
}

static void
console_stop_cb(uv_signal_t *h, int signum)
{
	(void)signum;
	console_quit(h->data);
}

static void
console_clock_cb(uv_timer_t *t)
{
	struct console	*c = t->data;

	c->dirty = 1;		/* the clock and the time left move */
}

/*
 * GRIDLINE_CONSOLE_TRACE=FILE: after each frame, one line per measurement
 * for bench/bench-console: "first N T" for the first frame with cases on
 * it (the urgent page), "loaded N T" for the first with the whole snapshot, "key US" from a key to the finished frame, "shown NO T" for
 * each new case in it (T: wall clock in microseconds, to compare with the
 * sender's clock).
 */
static void
console_trace_frame(struct console *c)
{
	struct timespec	ts;
	uint64_t	now;
	size_t		i;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	if (c->first_frame == 0 && model_count(c->model) > 0) {
		c->first_frame = 1;
		fprintf(c->trace, "first %zu %llu\n", model_count(c->model),
		    (unsigned long long)now);
	}
	if (c->loaded && c->first_frame < 2) {
		c->first_frame = 2;
		fprintf(c->trace, "loaded %zu %llu\n",
		    model_open_count(c->model), (unsigned long long)now);
	}
	if (c->key_at != 0) {
		fprintf(c->trace, "key %llu %d sort %llu draw %llu\n",
		    (unsigned long long)((uv_hrtime() - c->key_at) / 1000),
		    c->key_code, (unsigned long long)c->sort_us,
		    (unsigned long long)c->draw_us);
		c->key_at = 0;
	}
	for (i = 0; i < c->nshown; i++)
		fprintf(c->trace, "shown %s %llu\n", c->shown[i],
		    (unsigned long long)now);
	c->nshown = 0;
	fflush(c->trace);
}

/* An active idle handle keeps the loop from sleeping while a filter is
 * still being applied; the work itself is done by the redraw hook. */
static void
console_spin_cb(uv_idle_t *h)
{
	(void)h;
}

static void
console_redraw_cb(uv_prepare_t *h)
{
	struct console	*c = h->data;
	uint64_t	 t0, t1;

	if (c->quitting)
		return;
	if (!c->dirty && model_pending(c->model)) {
		model_filter_more(c->model);	/* the next slice */
		c->dirty = 1;
	}
	if (!model_pending(c->model))
		uv_idle_stop(&c->spin);
	if (!c->dirty)
		return;
	c->dirty = 0;
	t0 = c->trace != NULL ? uv_hrtime() : 0;
	model_sort(c->model, c->sort, time(NULL));
	if (model_pending(c->model))	/* keep turning until it is done */
		uv_idle_start(&c->spin, console_spin_cb);
	t1 = c->trace != NULL ? uv_hrtime() : 0;
	draw_all(c);
	if (c->trace != NULL) {
		c->sort_us = (t1 - t0) / 1000;
		c->draw_us = (uv_hrtime() - t1) / 1000;
		console_trace_frame(c);
	}
}

static void
console_close_all(struct console *c)
{
	uv_close((uv_handle_t *)&c->tty, NULL);
	uv_close((uv_handle_t *)&c->sig_winch, NULL);
	uv_close((uv_handle_t *)&c->sig_term, NULL);
	uv_close((uv_handle_t *)&c->sig_hup, NULL);
	uv_close((uv_handle_t *)&c->sig_int, NULL);
	uv_close((uv_handle_t *)&c->clock, NULL);
	uv_close((uv_handle_t *)&c->redraw, NULL);
	uv_close((uv_handle_t *)&c->spin, NULL);
	link_close(c->link);
}

void
console_quit(struct console *c)
{
	if (c->quitting)
		return;
	c->quitting = 1;
	console_close_all(c);
}

/* A crash must not leave the terminal raw: put it back, then die as we
 * would have. */
static void
console_crash(int signum)
{
	endwin();
	signal(signum, SIG_DFL);
	raise(signum);
}

static void
console_handles(struct console *c)
{
	uv_poll_init(c->loop, &c->tty, STDIN_FILENO);
	c->tty.data = c;
	uv_poll_start(&c->tty, UV_READABLE, console_tty_cb);
	uv_signal_init(c->loop, &c->sig_winch);
	uv_signal_init(c->loop, &c->sig_term);
	uv_signal_init(c->loop, &c->sig_hup);
	uv_signal_init(c->loop, &c->sig_int);
	c->sig_winch.data = c->sig_term.data = c->sig_hup.data =
	    c->sig_int.data = c;
	uv_signal_start(&c->sig_winch, console_winch_cb, SIGWINCH);
	uv_signal_start(&c->sig_term, console_stop_cb, SIGTERM);
	uv_signal_start(&c->sig_hup, console_stop_cb, SIGHUP);
	uv_signal_start(&c->sig_int, console_stop_cb, SIGINT);
	uv_timer_init(c->loop, &c->clock);
	c->clock.data = c;
	uv_timer_start(&c->clock, console_clock_cb, 1000, 1000);
	uv_idle_init(c->loop, &c->spin);
	c->spin.data = c;
	uv_prepare_init(c->loop, &c->redraw);
	c->redraw.data = c;
	uv_prepare_start(&c->redraw, console_redraw_cb);
	signal(SIGSEGV, console_crash);
	signal(SIGABRT, console_crash);
	signal(SIGBUS, console_crash);
	signal(SIGFPE, console_crash);
}

/* Config and theme, then the screen. Their problems are collected and the
 * first is shown on the message line: stderr is hidden by the screen. */
static void
console_setup(struct console *c)
{
	struct role_style	 styles[ROLE__COUNT];
	char			*text = NULL, *nl;
	size_t			 len = 0;
	FILE			*errs = open_memstream(&text, &len);
	const char		*theme;

	theme_default(styles);
	if (errs != NULL) {
		conf_load(c, errs);
		theme = c->opts.theme != NULL ? c->opts.theme : c->theme[0] ?
		    c->theme : NULL;
		if (theme != NULL)
			theme_load(theme, styles, errs);
		fclose(errs);
	}
	draw_init(c, styles);
	if (text != NULL && text[0] != '\0') {
		if ((nl = strchr(text, '\n')) != NULL)
			*nl = '\0';
		snprintf(c->conf_problem, sizeof c->conf_problem, "%s", text);
		console_message(c, ROLE_ERROR, "%s", text);
	} else
		console_message(c, ROLE_NORMAL, "%s", _("connecting..."));
	free(text);
}

int
console_run(const struct console_opts *o)
{
	struct console	 c;
	struct link_cbs	 cbs = { console_reply, console_event, console_state,
			    &c };
	uv_loop_t	 loop;
	char		 err[512];
	int		 rc;

	memset(&c, 0, sizeof c);
	c.opts = *o;
	c.filter.state = -1;
	keys_init(&c.keys);
	draw_set_columns(&c, NULL);
	if (getenv("GRIDLINE_CONSOLE_TRACE") != NULL &&
	    (c.trace = fopen(getenv("GRIDLINE_CONSOLE_TRACE"), "w")) != NULL &&
	    (c.shown = calloc(TRACE_SHOWN_MAX, sizeof *c.shown)) == NULL) {
		fclose(c.trace);
		c.trace = NULL;
	}
	c.loop = &loop;
	uv_loop_init(&loop);
	if ((c.model = model_new()) == NULL)
		return GL_ENOMEM;
	if ((rc = link_open(&loop, o->run_dir, &cbs, &c.link, err,
	    sizeof err)) != 0) {
		fprintf(stderr, "gridline: %s\n", err);
		link_close(c.link);
		uv_run(&loop, UV_RUN_DEFAULT);
		link_free(c.link);
		model_free(c.model);
		uv_loop_close(&loop);
		return rc;
	}
	console_setup(&c);
	console_handles(&c);
	uv_run(&loop, UV_RUN_DEFAULT);
	endwin();
	link_free(c.link);
	model_free(c.model);
	json_decref(c.case_json);
	if (c.trace != NULL)
		fclose(c.trace);
	free(c.shown);
	while (c.nhistory > 0)
		free(c.history[--c.nhistory]);
	uv_loop_close(&loop);
	return 0;
}
