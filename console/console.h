/*
 * console.h: the dispatch console: one loop, one terminal, one server link.
 *
 * The pieces: model.c holds the cases, draw.c paints them, cmd.c turns keys
 * and `:` lines into commands, console.c runs the loop (terminal input,
 * resize and signals as libuv handles, the server link, one redraw per loop
 * turn before the loop sleeps) and keeps the model in step with the server.
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
#include <uv.h>

#include "keys.h"
#include "model.h"

#define _(s)	gettext(s)
#define N_(s)	(s)

struct link;

enum console_mode {
	MODE_QUEUE,		/* the queue, keys are commands */
	MODE_PROMPT,		/* typing a : command or a / search */
	MODE_HELP
};

/* Roles, not colours: draw.c maps them to attributes. */
enum role {
	ROLE_NORMAL, ROLE_BAR, ROLE_SELECTED, ROLE_OVERDUE, ROLE_DUE_SOON,
	ROLE_URGENT, ROLE_NEW, ROLE_DISPUTED, ROLE_DIM, ROLE_ERROR,
	ROLE__COUNT
};

struct console_opts {
	const char	*theme;		/* --theme, beats the config */
	const char	*run_dir;
	const char	*operator;
	const char	*centre;	/* the top bar's name */
	int		 bell;
};

/* What the queue shows (`filter`); empty: every open case. */
struct filter {
	int		 state;		/* a case_state, or -1 */
	int		 overdue, dup, disputed;
	char		 text[128];	/* in township, matter, agency or
					   platform (search finds summaries) */
};

enum board { BOARD_NONE, BOARD_AGENCY, BOARD_TOWNSHIP };

/* The queue's columns, chosen with `set columns a,b,...` (draw.c). */
enum column { COL_NUMBER, COL_PRIO, COL_STATE, COL_LEFT, COL_TOWNSHIP,
	COL_MATTER, COL_AGENCY, COL_SUMMARY, COL__COUNT };

struct console {
	uv_loop_t	*loop;
	struct console_opts opts;
	struct link	*link;
	struct model	*model;
	int		 up;		/* the server answers */
	int		 training;	/* the server is a training one */
	int		 loaded;	/* snapshot complete */
	int		 catching_up;	/* an events request is out */
	int64_t		 snap_seq;	/* seq of the snapshot being read */
	enum model_sort	 sort;
	struct filter	 filter;
	enum board	 board;
	enum console_mode mode;
	char		 sel[32];	/* the selected case number */
	char		 acting[32];	/* case of the action in flight */
	char		 queued[512];	/* an action typed meanwhile on it */
	size_t		 top;		/* first queue line shown */
	int		 detail;	/* the case view is open */
	json_t		*case_json;	/* the case view's case + history */
	char		 msg[512];	/* the message line */
	char		 conf_problem[256];	/* first problem of the config
						   or theme, kept in view */
	int		 msg_role;
	wchar_t		 prompt[256];	/* the line being typed */
	size_t		 prompt_len;
	wchar_t		 prompt_kind;	/* ':' or '/' */
	char		*history[32];	/* lines typed, newest last */
	size_t		 nhistory;
	size_t		 hpos;		/* browsing: index, nhistory = none */
	int		 dirty;		/* redraw at the end of the turn */
	int		 quitting;
	int		 colour;
	struct keymap	 keys;
	char		 theme[128];	/* theme name */
	enum column	 cols[COL__COUNT];	/* shown, in order */
	size_t		 ncols;
	FILE		*trace;		/* GRIDLINE_CONSOLE_TRACE, for bench */
	uint64_t	 key_at;	/* first key of the turn (hrtime) */
	int		 key_code;	/* and which key it was */
	uint64_t	 sort_us, draw_us;	/* the last frame's parts */
	char		(*shown)[32];	/* new cases since the last frame */
	size_t		 nshown;
	int		 first_frame;	/* traced the first loaded frame */
	uv_poll_t	 tty;
	uv_signal_t	 sig_winch, sig_term, sig_hup, sig_int;
	uv_timer_t	 clock;
	uv_prepare_t	 redraw;
	uv_idle_t	 spin;		/* while a filter is being applied */
};

int	console_run(const struct console_opts *o);

/* Ask the server; req is stolen. The reply comes to console_reply with
 * what (a static tag naming the request kind) and, for actions, the case. */
void	console_request(struct console *c, json_t *req, const char *what);
void	console_message(struct console *c, int role, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
struct mcase *console_selected(struct console *c);
void	console_quit(struct console *c);
/* The case view shows no: read it again (another console changed it). */
void	console_refresh_view(struct console *c, const char *no);

/* draw.c */
struct role_style;
/* "number,state,summary" into the console's columns; 0 or -1. */
int	draw_set_columns(struct console *c, const char *list);
void	draw_init(struct console *c, const struct role_style *styles);
void	draw_all(struct console *c);
int	draw_queue_rows(void);

/* prompt.c */
void	prompt_key(struct console *c, wint_t key, int is_keycode);

/* cmd.c */
/* Command and action names beginning with prefix, at most max. */
size_t	cmd_complete(const char *prefix, const char **out, size_t max);
void	cmd_key(struct console *c, wint_t key, int is_keycode);
void	cmd_reply(struct console *c, const char *what, json_t *rep,
	    const char *err);
int	cmd_run(struct console *c, const char *line);
const char *cmd_help_line(struct console *c, size_t i);

#endif
