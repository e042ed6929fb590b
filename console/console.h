/*
 * console.h: the dispatch console: a model of the open cases, a stack of
 * views over it, commands that change the two, and one link to the server.
 *
 * The pieces, each in its own file, none calling back into one that calls
 * it (the files form no circle):
 * - console.c: the console object itself: the view stack, the message
 *   line, the prompt's state, requests to the server, the selection. No
 *   curses: a console can be made without a terminal (console_new with a
 *   send function), fed keys and replies, and looked at, which is how
 *   tests/console/test-keys.c drives it.
 * - input.c: where a key or a click goes (prompt, top view, command) and
 *   the running of the line a view or the prompt hands back.
 * - sync.c: keeping the model in step with the server (snapshot pages,
 *   the event stream, catching up on gaps).
 * - view-*.c: the views (view.h). The queue is always at the bottom of the
 *   stack; the case view, boards, help, lists and pickers are pushed on it
 *   and popped off with `back`.
 * - prompt.c, complete.c: keys typed into the `:` or `/` line or the y/n
 *   question, an overlay over whatever view is on top; Tab.
 * - cmd.c, cmd-*.c, argv.c: the command table, the commands, and command
 *   lines as words. Commands change the model or the stack and send
 *   requests; they never draw.
 * - words.c, present.c: the user's words for codes; a case's marks.
 * - loop.c, frame.c, screen.c: the only files that touch the terminal:
 *   the libuv loop with its terminal and signal handles, the frame (top
 *   bar, message lines, the top view), and the helpers that put text on
 *   the screen by role.
 */
#ifndef GL_CONSOLE_H
#define GL_CONSOLE_H

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <wchar.h>

#include <jansson.h>

#include "calendar.h"
#include "keys.h"
#include "model.h"

#define _(s)	gettext(s)
#define N_(s)	(s)

struct console;
struct view;

/* The line typed after `:` or `/`, or a y/n question: plain data, an
 * overlay over the top view. console_prompt and console_ask open it,
 * prompt.c takes the keys typed into it. */
struct prompt {
	wchar_t		 kind;		/* ':', '/', or '?' a question */
	wchar_t		 line[256];
	size_t		 len;
	size_t		 hpos;		/* browsing: index, nhistory = none */
	char		 question[256];
	char		 yes[512];	/* run, confirmed, on y */
};

/* Roles, not colours: screen.c maps them to attributes. */
enum role {
	ROLE_NORMAL, ROLE_BAR, ROLE_SELECTED, ROLE_OVERDUE, ROLE_DUE_SOON,
	ROLE_URGENT, ROLE_NEW, ROLE_DISPUTED, ROLE_DIM, ROLE_ERROR,
	ROLE__COUNT
};

struct sign_id;

struct console_opts {
	const char	*theme;		/* --theme, beats the config */
	const char	*run_dir;
	const char	*operator;
	const char	*centre;	/* the top bar's name */
	int		 bell;
	const struct sign_id *id;	/* signs every request; NULL: none */
	const char	*script;	/* --script FILE: run it (script.c) */
	int		 ascii;		/* the terminal's locale is not
					   UTF-8: no block characters */
};

/* What the queue shows (`filter`); empty: every open case. */
struct filter {
	int		 state;		/* a case_state, or -1 */
	int		 overdue, dup, disputed;
	char		 text[128];	/* in district, township, matter,
					   agency or platform */
	char		 district[8];	/* a district's code (a case number's
					   first six digits), "" any */
	char		 label[160];	/* as typed, for the header */
	const struct console *c;	/* whose clock "overdue" reads */
};

/* The queue's columns, chosen with `set columns a,b,...` (view-queue.c). */
enum column { COL_NUMBER, COL_PRIO, COL_STATE, COL_LEFT, COL_TOWNSHIP,
	COL_MATTER, COL_AGENCY, COL_SUMMARY, COL_SINCE, COL__COUNT };

/* The answer to a request, as the link gives it (reply NULL: none came). */
typedef void (*console_reply_fn)(struct console *c, void *arg,
    json_t *reply, const char *err);

/* How requests leave: link_request in the real console, a recorder in
 * tests. The function steals req and must call done(done_arg, ...) once. */
typedef void (*console_done_fn)(void *done_arg, json_t *reply,
    const char *err);
typedef void (*console_send_fn)(void *send_arg, json_t *req,
    console_done_fn done, void *done_arg);

/* The same for replies wanted as their bytes (snapshot pages, read with
 * core's jscan instead of a jansson tree): link_request_raw in the real
 * console. A console without a raw send (tests) sends with send and
 * gives the callback the reply's compact text. text NULL: none came. */
typedef void (*console_raw_reply_fn)(struct console *c, void *arg,
    const char *text, size_t len, const char *err);
typedef void (*console_raw_done_fn)(void *done_arg, const char *text,
    size_t len, const char *err);
typedef void (*console_send_raw_fn)(void *send_arg, json_t *req,
    console_raw_done_fn done, void *done_arg);

/* The settings of gridline.conf (conf.c) and the command line. */
struct console_conf {
	struct keymap	 keys;
	char		 theme[128];	/* theme name */
	enum column	 cols[COL__COUNT];	/* shown, in order */
	int		 cols_set;	/* by `set columns`: kept whatever
					   the role */
	size_t		 ncols;
	int		 bell, mouse;
	long		 ack_timeout;	/* seconds a dispatched case may wait
					   for its agency's acknowledgement
					   before the queue marks it */
	char		*problems;	/* every bad line, "file:line: ..." */
};

/* The message line, and the ones before it (`:messages`). */
#define MSG_KEEP	64
struct messages {
	char		 text[512];	/* shown now, "" none */
	int		 role;
	uint64_t	 at_ms;		/* when it was set (fades after) */
	char		*old[MSG_KEEP];	/* ring, newest at (head - 1) */
	size_t		 head, n;
};

/* The action in flight and one typed meanwhile (r then d at once). */
struct acting {
	char		 no[32];	/* case of the action in flight */
	char		 queued[512];	/* line typed meanwhile on it */
	char		 next[32];	/* select this when it succeeds */
	int		 advance;	/* move the selection on success */
	int		 confirmed;	/* the running line was said yes to */
};

/* What the server said about itself. */
struct console_link_state {
	int		 up;		/* the server answers */
	int		 training;	/* the server is a training one */
	char		 scenario[128];	/* ... on this scenario, "" none */
	char		 role[16];	/* who the server says we are: the
					   role's name, "" unsigned */
	char		 township[33];	/* a township operator's township */
	int		 loaded;	/* snapshot complete */
	int		 catching_up;	/* an events request is out */
	int64_t		 snap_seq;	/* seq of the snapshot being read */
	uint64_t	 snap_gen;	/* a reading given up: the pages
					   still asked for are not used */
	char		**agencies;	/* "CODE\tNAME", from `reference` */
	size_t		 nagencies;
	char		**districts;	/* the same for districts */
	size_t		 ndistricts;
	struct calendar	*cal;		/* the server's business calendar
					   (`reference`); NULL: none yet */
	time_t		 clock_at;	/* a set server clock's time at */
	uint64_t	 clock_ms;	/* ... console_now_ms(); 0: the
					   server runs on the wall clock */
	double		 clock_speed;	/* its seconds a real second */
	int		 cal_warn;	/* the server's status warns that its
					   holiday table ends (1) or has
					   ended (2); 0 no warning */
};

struct console {
	struct console_opts opts;
	struct console_conf conf;
	struct console_link_state link;
	struct model	*model;
	enum model_sort	 sort;
	struct filter	 filter;
	char		 sel[32];	/* the selected case number */
	struct view	*views[16];	/* the stack, queue at [0] */
	size_t		 nviews;
	uint64_t	 view_ids;	/* for replies to find their view */
	struct prompt	*prompt;	/* open over the top view, or NULL */
	struct messages	 msgs;
	char		*history[32];	/* lines typed, newest last */
	size_t		 nhistory;
	struct acting	 act;
	int		 rows, cols;	/* the terminal's size */
	int		 dirty;		/* redraw at the end of the turn */
	int		 clear;		/* clear the screen first */
	int		 quitting;
	int		 requests_out;	/* sent, not answered yet (a script
					   waits for them) */
	console_send_fn	 send;
	console_send_raw_fn send_raw;	/* NULL: send, then the text */
	void		*send_arg;
	void		(*on_quit)(struct console *c);	/* loop.c */
	void		(*on_new)(struct console *c, const struct mcase *m);
					/* a case arrived (bell, trace) */
	void		*loop;		/* loop.c's own state */
};

/* A console without a terminal: requests go to send; bottom is the view
 * that stays at the bottom of the stack (the queue, view_queue_new),
 * taken. Free with console_free. NULL when out of memory. */
struct console *console_new(const struct console_opts *o,
		    console_send_fn send, void *send_arg,
		    struct view *bottom);
void		console_free(struct console *c);
/* The real one: terminal, loop and link (loop.c). 0 or a GL_E* code. */
int		console_run(const struct console_opts *o);

/* input.c: one key from the terminal (is_keycode: a curses KEY_ code). */
void		console_key(struct console *c, wint_t key, int is_keycode);
/* input.c: a mouse press at (y, x); button 1 click, 4 wheel up, 5 wheel
 * down. */
void		console_mouse(struct console *c, int y, int x, int button);

/* Open the prompt: kind ':' or '/', text typed already. */
void		console_prompt(struct console *c, wchar_t kind,
		    const char *text);
/* Ask question; y runs yes_line, confirmed. */
void		console_ask(struct console *c, const char *question,
		    const char *yes_line);
void		console_prompt_close(struct console *c);

/* Ask the server; req is stolen. fn(c, arg, reply, err) is called once. */
void		console_request(struct console *c, json_t *req,
		    console_reply_fn fn, void *arg);
/* The same with the reply as its bytes (borrowed for the call). Unlike a
 * console_request reply, this one does not mark the console dirty: fn sets
 * c->dirty when a frame is due. Snapshot pages come every 20 ms or so, and
 * a frame after each (sorting, filtering and counting a model of up to
 * 100,000 cases) was half of the console's time while it loaded. */
void		console_request_raw(struct console *c, json_t *req,
		    console_raw_reply_fn fn, void *arg);
void		console_message(struct console *c, int role, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
/* Time in milliseconds (monotonic), for fading messages. */
uint64_t	console_now_ms(void);
/* The server's time: the wall clock, or the clock a training or a test
 * server runs on (serve --clock), followed from its status heartbeat, so
 * that deadlines and marks are counted where the server counts them. */
time_t		console_time(const struct console *c);

/* The selected case, or NULL; select a case by number (it need not be in
 * the queue: then nothing is selected until it is). */
struct mcase	*console_selected(struct console *c);
void		 console_select(struct console *c, const char *no);
/* Select the queue's i-th case, clamped. */
void		 console_select_at(struct console *c, long i);
long		 console_selected_index(struct console *c);

/* The view stack. push takes the view (freed when popped). */
void		 console_push(struct console *c, struct view *v);
void		 console_pop(struct console *c);
struct view	*console_top(struct console *c);
/* The view with this id if it is still on the stack, else NULL. */
struct view	*console_view(struct console *c, uint64_t id);
/* Leave: the loop closes its handles (cmd_quit asks first). */
void		 console_quit(struct console *c);

/* The clock's second (loop.c): every view's tick. */
void		 console_tick(struct console *c);

/* A change of the case `no` came from the server: views showing it read
 * it again. */
void		 console_case_changed(struct console *c, const char *no);

/* The queue's filter; f NULL clears it. */
void		 console_set_filter(struct console *c, const struct filter *f);
/* 1 when the operator's role (as the server said it) takes action a;
 * also when no role is known. Its reach is the model's (model_set_reach),
 * the rest the server's to check. */
int		 console_may(const struct console *c, enum case_action a);

/* The agency code for a name or code the user typed, or NULL. */
const char	*console_agency_code(struct console *c, const char *typed);
const char	*console_agency_name(struct console *c, const char *code);

/* sync.c: the link came up or went down (status: the heartbeat's reply);
 * an event arrived on the stream. */
void		 sync_state(struct console *c, int up, json_t *status);
void		 sync_event(struct console *c, json_t *msg);

/* screen rows the queue shows (for paging), from c->rows. */
int		 console_queue_rows(const struct console *c);

#endif
