/*
 * view.h: the console's views, as tmux's window modes and htop's panels.
 *
 * A view is a small object with an ops table; the console keeps a stack of
 * them with the queue at the bottom. Keys reach the top view first, with
 * the command the key table binds them to, so a view can take `down` to
 * scroll its own lines and leave the rest (lifecycle actions, `back`) to
 * the command table. Only draw touches the screen; everything else changes
 * the view's own state or the console's model and marks the console dirty.
 *
 * Rejected: one big switch on a mode field (what this replaced): every new
 * view touched the key handler, the drawing and the command code at once.
 */
#ifndef GL_VIEW_H
#define GL_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include <jansson.h>

#include "console.h"

/* A key as it reaches a view: the key and what the key table binds it to
 * (cmd NULL: unbound); a view that wants a command run leaves its line in
 * run (input.c runs it once the view is done with the key). */
struct view_key {
	wint_t		 key;
	int		 is_keycode;
	const char	*cmd;
	char		 run[512];
};

/* Where a view draws: the rows and columns between the top bar and the
 * two bottom lines. */
struct view_rect {
	int	y, x, rows, cols;
};

struct view;

struct view_ops {
	const char	*name;		/* "queue", "case", ... */
	/* 1 when the view used the key, 0 to let the command run. */
	int		(*key)(struct view *v, struct console *c,
			    struct view_key *k);
	void		(*draw)(struct view *v, struct console *c,
			    const struct view_rect *r);
	/* A click (button 1) or wheel (4 up, 5 down) at row, col of r; a
	 * line to run may be left in run. */
	void		(*mouse)(struct view *v, struct console *c, int row,
			    int col, int button, char *run, size_t len);
	/* The case no changed on the server (the case view reads it
	 * again). */
	void		(*changed)(struct view *v, struct console *c,
			    const char *no);
	void		(*resize)(struct view *v, struct console *c);
	/* Once a second (the console's clock timer): a view that asks the
	 * server again now and then does it here. */
	void		(*tick)(struct view *v, struct console *c);
	void		(*enter)(struct view *v, struct console *c);
	void		(*leave)(struct view *v, struct console *c);
	void		(*free)(struct view *v);
	/* One line for the header, what this view shows ("closed cases"). */
	const char	*(*title)(struct view *v, struct console *c);
};

struct view {
	const struct view_ops *ops;
	void		*data;
	uint64_t	 id;		/* set by console_push */
	int		 last_rows;	/* rows at the last draw, for paging */
};

/* A view with ops and data (owned by the view, freed by ops->free). */
struct view	*view_new(const struct view_ops *ops, void *data);
void		 view_free(struct view *v);

/* Moves that every list-like view understands, from the command names. */
enum view_move { VM_NONE, VM_DOWN, VM_UP, VM_PAGE_DOWN, VM_PAGE_UP,
	VM_TOP, VM_BOTTOM, VM_OPEN };
enum view_move	 view_move_of(const char *cmd);
/* Apply a move to a position in [0, n), a page being `page` lines. */
long		 view_move_pos(enum view_move m, long pos, long n, long page);
/* 1 when cmd is `back` or `quit`: the commands that pop a view. */
int		 view_is_back(const char *cmd);

/* The views. */
struct view	*view_queue_new(void);
struct view	*view_case_new(struct console *c, const char *no);
enum board { BOARD_AGENCY, BOARD_TOWNSHIP };
struct view	*view_board_new(enum board kind);
/* Back to the queue, filtered to name (an agency's or township's): Enter
 * on a board's or a report's row. */
void		 view_queue_of(struct console *c, const char *name);
/* The kind of a board view, or -1 for another view. */
int		 view_board_kind(struct view *v);
enum report_period { REPORT_TODAY, REPORT_WEEK, REPORT_MONTH };
/* The report view: the figures of the period by agency or township
 * (BOARD_AGENCY, BOARD_TOWNSHIP), ranked, with bars. */
struct view	*view_report_new(enum report_period p, enum board kind);
/* 1 when v is a report view, with its period and grouping. */
int		 view_report_is(struct view *v, enum report_period *p,
		    enum board *kind);
/* A period's name for `report` (today, week, month), or -1. */
int		 view_report_period(const char *s);
/* Once after each reply drawn: 1 and the microseconds the draw took and
 * those from the request to its reply (GRIDLINE_CONSOLE_TRACE). */
int		 view_report_drawn(struct view *v, long *draw_us,
		    long *reply_us);
/* A list of lines that scrolls (help, messages). lines are copied. */
struct view	*view_text_new(const char *title, char **lines, size_t n);
/* A list of cases from the server: search results or finished cases.
 * cases is an array of case objects (a reference is taken). */
struct view	*view_list_new(const char *title, json_t *cases);
/* The list view on top, if it is one (n/N move in it from the queue). */
int		 view_list_step(struct console *c, int dir);
/* Add cases to a list view (the next page of finished cases). */
void		 view_list_append(struct view *v, json_t *cases, json_t *next);

/* A picker: items "VALUE\tLABEL"; typing narrows them (by value or
 * label), Enter runs `cmd VALUE` (cmd may hold a %s for VALUE instead). */
struct view	*view_pick_new(const char *title, const char *cmd,
		    char **items, size_t n);

/* The case view of the top of the stack, for tests: its case number. */
const char	*view_case_no(struct view *v);
/* History position of a case view: first line shown and total. */
void		 view_case_scroll(struct view *v, size_t *first,
		    size_t *total);

/* The case a case view holds (NULL while loading or not a case view). */
json_t		*view_case_json(struct view *v);

/* The queue view's columns (`set columns`): 0, or -1 for a bad list. */
int		 view_queue_columns(struct console_conf *conf,
		    const char *list);
/* The default columns for a role: an agency's inbox shows "since" (how
 * long it has had each case); nothing when `set columns` chose them. */
void		 view_queue_columns_role(struct console_conf *conf,
		    int agency);

#endif
