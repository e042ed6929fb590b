/*
 * loop.c: the real console: a terminal, a libuv loop and a link to the
 * server around a console object (see console.h).
 *
 * Drawing happens once per loop turn, in a prepare hook, when something
 * marked the console dirty: a burst of 1,000 events costs one redraw, and
 * curses sends only the cells that changed.
 */
#include <sys/ioctl.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <uv.h>

#include "conf.h"
#include "console.h"
#include "error.h"
#include "frame.h"
#include "link.h"
#include "screen.h"
#include "script.h"
#include "view.h"
#include "vis.h"

#define TRACE_SHOWN_MAX	100000

struct loop {
	uv_loop_t	 uv;
	struct link	*link;
	uv_poll_t	 tty;
	uv_signal_t	 sig_winch, sig_term, sig_hup, sig_int;
	uv_timer_t	 clock;
	uv_timer_t	 script_timer;
	struct script	*script;	/* --script, NULL: none */
	uv_prepare_t	 redraw;
	uv_idle_t	 spin;		/* while a filter is being applied */
	FILE		*trace;		/* GRIDLINE_CONSOLE_TRACE, for bench */
	uint64_t	 key_at;	/* first key of the turn (hrtime) */
	int		 key_code;	/* and which key it was */
	uint64_t	 sort_us, draw_us;	/* the last frame's parts */
	char		(*shown)[32];	/* new cases since the last frame */
	size_t		 nshown;
	int		 first_frame;	/* traced the first loaded frame */
};

static struct loop *
loop_of(struct console *c)
{
	return c->loop;
}

static void
loop_send(void *arg, json_t *req, console_done_fn done, void *done_arg)
{
	link_request(arg, req, done, done_arg);
}

static void
loop_send_raw(void *arg, json_t *req, console_raw_done_fn done,
    void *done_arg)
{
	link_request_raw(arg, req, done, done_arg);
}

static void
loop_event(void *arg, json_t *msg)
{
	sync_event(arg, msg);
}

static void
loop_state(void *arg, int up, json_t *status)
{
	sync_state(arg, up, status);
}

/* A new case: the bell for an urgent one, the trace. */
static void
loop_new(struct console *c, const struct mcase *m)
{
	struct loop	*l = loop_of(c);

	if (l->trace != NULL && l->nshown < TRACE_SHOWN_MAX)
		snprintf(l->shown[l->nshown++], sizeof l->shown[0], "%s",
		    m->no);
	if (m->priority == 1 && c->conf.bell)
		beep();
}

static void
loop_mouse(struct console *c)
{
	MEVENT	ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
		console_mouse(c, ev.y, ev.x, 1);
	else if (ev.bstate & BUTTON4_PRESSED)
		console_mouse(c, ev.y, ev.x, 4);
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		console_mouse(c, ev.y, ev.x, 5);
#endif
}

static void
loop_tty_cb(uv_poll_t *h, int status, int events)
{
	struct console	*c = h->data;
	struct loop	*l = loop_of(c);
	wint_t		 ch;
	int		 rc;

	(void)status;
	(void)events;
	while (!c->quitting && (rc = get_wch(&ch)) != ERR) {
		if (l->trace != NULL && l->key_at == 0) {
			l->key_at = uv_hrtime();
			l->key_code = (int)ch;
		}
		if (rc == KEY_CODE_YES && ch == KEY_MOUSE)
			loop_mouse(c);
		else
			console_key(c, ch, rc == KEY_CODE_YES);
	}
}

static void
loop_winch_cb(uv_signal_t *h, int signum)
{
	struct console	*c = h->data;
	struct winsize	 ws;

	(void)signum;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		resizeterm(ws.ws_row, ws.ws_col);
	c->clear = c->dirty = 1;	/* the one full clear: layout changed */
}

static void
loop_stop_cb(uv_signal_t *h, int signum)
{
	(void)signum;
	console_quit(h->data);
}

/* The script's next lines, then again when it says. */
static void
loop_script_cb(uv_timer_t *t)
{
	struct console	*c = t->data;
	struct loop	*l = loop_of(c);
	long		 ms;

	if (c->quitting)
		return;
	if ((ms = script_step(l->script, c, console_now_ms())) >= 0)
		uv_timer_start(t, loop_script_cb, ms > 0 ? (uint64_t)ms : 1, 0);
}

static void
loop_clock_cb(uv_timer_t *t)
{
	struct console	*c = t->data;
	struct model_counts n;

	/* the one recount of the top bar's figures, here and not in a
	 * frame that answers a key */
	model_counts(c->model, console_time(c), &n);
	console_tick(c);	/* views that ask again now and then */
	c->dirty = 1;		/* the clock and the time left move */
}

/*
 * GRIDLINE_CONSOLE_TRACE=FILE: after each frame, one line per measurement
 * for bench/bench-console: "first N T" for the first frame with cases on
 * it (the urgent page), "loaded N T" for the first with the whole
 * snapshot, "key US" from a key to the finished frame, "shown NO T" for
 * each new case in it (T: wall clock in microseconds, to compare with the
 * sender's clock), "report US draw US frame US" for each reply of the
 * report view drawn (its request's round trip, the view's draw, the
 * frame's).
 */
static void
loop_trace_frame(struct console *c, struct loop *l)
{
	struct timespec	ts;
	uint64_t	now;
	size_t		i;
	long		draw, reply;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	if (l->first_frame == 0 && model_count(c->model) > 0) {
		l->first_frame = 1;
		fprintf(l->trace, "first %zu %llu\n", model_count(c->model),
		    (unsigned long long)now);
	}
	if (c->link.loaded && l->first_frame < 2) {
		l->first_frame = 2;
		fprintf(l->trace, "loaded %zu %llu\n",
		    model_open_count(c->model), (unsigned long long)now);
	}
	if (l->key_at != 0) {
		fprintf(l->trace, "key %llu %d sort %llu draw %llu\n",
		    (unsigned long long)((uv_hrtime() - l->key_at) / 1000),
		    l->key_code, (unsigned long long)l->sort_us,
		    (unsigned long long)l->draw_us);
		l->key_at = 0;
	}
	if (view_report_drawn(console_top(c), &draw, &reply))
		fprintf(l->trace, "report %ld draw %ld frame %llu\n", reply,
		    draw, (unsigned long long)l->draw_us);
	for (i = 0; i < l->nshown; i++)
		fprintf(l->trace, "shown %s %llu\n", l->shown[i],
		    (unsigned long long)now);
	l->nshown = 0;
	fflush(l->trace);
}

/* An active idle handle keeps the loop from sleeping while a filter is
 * still being applied; the work itself is done by the redraw hook. */
static void
loop_spin_cb(uv_idle_t *h)
{
	(void)h;
}

static void
loop_redraw_cb(uv_prepare_t *h)
{
	struct console	*c = h->data;
	struct loop	*l = loop_of(c);
	uint64_t	 t0, t1;

	if (c->quitting)
		return;
	if (!c->dirty && model_pending(c->model)) {
		model_filter_more(c->model);	/* the next slice */
		c->dirty = 1;
	}
	if (!model_pending(c->model))
		uv_idle_stop(&l->spin);
	if (!c->dirty)
		return;
	c->dirty = 0;
	t0 = l->trace != NULL ? uv_hrtime() : 0;
	model_sort(c->model, c->sort, console_time(c));
	if (model_pending(c->model))	/* keep turning until it is done */
		uv_idle_start(&l->spin, loop_spin_cb);
	t1 = l->trace != NULL ? uv_hrtime() : 0;
	frame_draw(c);
	if (l->trace != NULL) {
		l->sort_us = (t1 - t0) / 1000;
		l->draw_us = (uv_hrtime() - t1) / 1000;
		loop_trace_frame(c, l);
	}
}

static void
loop_close_all(struct console *c)
{
	struct loop	*l = loop_of(c);

	uv_close((uv_handle_t *)&l->tty, NULL);
	uv_close((uv_handle_t *)&l->sig_winch, NULL);
	uv_close((uv_handle_t *)&l->sig_term, NULL);
	uv_close((uv_handle_t *)&l->sig_hup, NULL);
	uv_close((uv_handle_t *)&l->sig_int, NULL);
	uv_close((uv_handle_t *)&l->clock, NULL);
	uv_close((uv_handle_t *)&l->script_timer, NULL);
	uv_close((uv_handle_t *)&l->redraw, NULL);
	uv_close((uv_handle_t *)&l->spin, NULL);
	link_close(l->link);
}

/* A crash must not leave the terminal raw: put it back, then die as we
 * would have. */
static void
loop_crash(int signum)
{
	endwin();
	signal(signum, SIG_DFL);
	raise(signum);
}

static void
loop_signal(struct console *c, uv_signal_t *s, uv_signal_cb cb, int signum)
{
	uv_signal_init(&loop_of(c)->uv, s);
	s->data = c;
	uv_signal_start(s, cb, signum);
}

static void
loop_handles(struct console *c, struct loop *l)
{
	uv_poll_init(&l->uv, &l->tty, STDIN_FILENO);
	l->tty.data = c;
	uv_poll_start(&l->tty, UV_READABLE, loop_tty_cb);
	loop_signal(c, &l->sig_winch, loop_winch_cb, SIGWINCH);
	loop_signal(c, &l->sig_term, loop_stop_cb, SIGTERM);
	loop_signal(c, &l->sig_hup, loop_stop_cb, SIGHUP);
	loop_signal(c, &l->sig_int, loop_stop_cb, SIGINT);
	uv_timer_init(&l->uv, &l->clock);
	l->clock.data = c;
	uv_timer_start(&l->clock, loop_clock_cb, 1000, 1000);
	uv_timer_init(&l->uv, &l->script_timer);
	l->script_timer.data = c;
	if (l->script != NULL)
		uv_timer_start(&l->script_timer, loop_script_cb, 100, 0);
	uv_idle_init(&l->uv, &l->spin);
	l->spin.data = c;
	uv_prepare_init(&l->uv, &l->redraw);
	l->redraw.data = c;
	uv_prepare_start(&l->redraw, loop_redraw_cb);
	signal(SIGSEGV, loop_crash);
	signal(SIGABRT, loop_crash);
	signal(SIGBUS, loop_crash);
	signal(SIGFPE, loop_crash);
}

/* Config and theme, then the screen. Every problem goes to the messages
 * (`:messages` lists them); the message line says how many. */
static void
loop_setup(struct console *c)
{
	struct role_style	 styles[ROLE__COUNT];

	theme_default(styles);
	conf_setup(c, styles);
	screen_open(styles);
	if (c->conf.mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		    | BUTTON5_PRESSED
#endif
		    , NULL);
	if (c->conf.problems == NULL)
		console_message(c, ROLE_NORMAL, "%s", _("connecting..."));
}

static void
loop_trace_open(struct loop *l)
{
	const char	*path = getenv("GRIDLINE_CONSOLE_TRACE");

	if (path == NULL || (l->trace = fopen(path, "w")) == NULL)
		return;
	if ((l->shown = calloc(TRACE_SHOWN_MAX, sizeof *l->shown)) == NULL) {
		fclose(l->trace);
		l->trace = NULL;
	}
}

static void
loop_free(struct loop *l)
{
	link_free(l->link);
	uv_loop_close(&l->uv);
	script_free(l->script);
	if (l->trace != NULL)
		fclose(l->trace);
	free(l->shown);
	free(l);
}

int
console_run(const struct console_opts *o)
{
	struct console	*c;
	struct loop	*l = calloc(1, sizeof *l);
	struct link_cbs	 cbs = { loop_event, loop_state, NULL };
	char		 err[512], vis[2048];
	int		 rc;

	if (l == NULL)
		return GL_ENOMEM;
	if (o->script != NULL && (rc = script_load(o->script, &l->script,
	    err, sizeof err)) != 0) {
		vis_copy(err, strlen(err), 0, vis, sizeof vis, NULL);
		fprintf(stderr, "gridline: %s\n", vis);
		free(l);
		return rc;
	}
	if ((c = console_new(o, loop_send, NULL, view_queue_new())) == NULL) {
		script_free(l->script);
		free(l);
		return GL_ENOMEM;
	}
	c->loop = l;
	c->on_quit = loop_close_all;
	c->on_new = loop_new;
	cbs.arg = c;
	loop_trace_open(l);
	uv_loop_init(&l->uv);
	rc = link_open(&l->uv, o->run_dir, &cbs, &l->link, err, sizeof err);
	if (rc == 0)
		link_set_identity(l->link, o->id);
	c->send_arg = l->link;
	c->send_raw = loop_send_raw;
	if (rc != 0) {
		vis_copy(err, strlen(err), 0, vis, sizeof vis, NULL);
		fprintf(stderr, "gridline: %s\n", vis);	/* may quote a path */
		link_close(l->link);
		uv_run(&l->uv, UV_RUN_DEFAULT);
		loop_free(l);
		console_free(c);
		return rc;
	}
	loop_setup(c);
	loop_handles(c, l);
	uv_run(&l->uv, UV_RUN_DEFAULT);
	screen_close();
	loop_free(l);		/* pending replies are answered here */
	console_free(c);
	return 0;
}
