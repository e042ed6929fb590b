/*
 * view-queue.c: the queue, the view at the bottom of the stack: the open
 * cases that pass the filter, one line each, in the chosen columns.
 *
 * A filter is always in sight: the header says what it keeps and how many
 * of how many open cases pass, so an empty screen never reads as "no open
 * cases" when it is the filter that hides them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cmd.h"
#include "present.h"
#include "screen.h"
#include "view.h"
#include "width.h"

#define FULL_NO_COLS	120	/* from here the whole case number shows */

struct queue {
	size_t	top;		/* first line shown */
};

/* The columns: name (for `set columns`), width (0: the rest), header. */
static const struct column_def {
	const char	*name;
	int		 width;
	const char	*head;
} column_defs[COL__COUNT] = {
	[COL_NUMBER] = { "number", 16, N_("number") },
	[COL_PRIO] = { "prio", 5, N_("prio") },
	[COL_STATE] = { "state", 11, N_("state") },
	[COL_LEFT] = { "left", 8, N_("left") },
	[COL_TOWNSHIP] = { "township", 10, N_("township") },
	[COL_MATTER] = { "matter", 12, N_("matter") },
	[COL_AGENCY] = { "agency", 18, N_("agency") },
	[COL_SUMMARY] = { "summary", 0, N_("summary") },
	[COL_SINCE] = { "since", 8, N_("since") },
};

static const enum column default_columns[] = { COL_NUMBER, COL_PRIO,
	COL_STATE, COL_LEFT, COL_TOWNSHIP, COL_MATTER, COL_SUMMARY };
/* An agency's inbox: how long it has had each case, before what is left
 * (the township is nearly always its own). */
static const enum column agency_columns[] = { COL_NUMBER, COL_PRIO,
	COL_STATE, COL_SINCE, COL_LEFT, COL_MATTER, COL_SUMMARY };

void
view_queue_columns_role(struct console_conf *conf, int agency)
{
	if (conf->cols_set)
		return;			/* the user's, whatever the role */
	if (agency) {
		memcpy(conf->cols, agency_columns, sizeof agency_columns);
		conf->ncols = sizeof agency_columns / sizeof agency_columns[0];
	} else {
		memcpy(conf->cols, default_columns, sizeof default_columns);
		conf->ncols = sizeof default_columns /
		    sizeof default_columns[0];
	}
}

int
view_queue_columns(struct console_conf *conf, const char *list)
{
	char	buf[256], *p, *tok;
	size_t	n = 0, k;
	enum column cols[COL__COUNT];

	if (list == NULL) {
		view_queue_columns_role(conf, 0);
		return 0;
	}
	snprintf(buf, sizeof buf, "%s", list);
	for (p = buf; (tok = strsep(&p, ",")) != NULL && n < COL__COUNT;) {
		for (k = 0; k < COL__COUNT; k++)
			if (strcmp(tok, column_defs[k].name) == 0)
				break;
		if (k == COL__COUNT)
			return -1;
		cols[n++] = (enum column)k;
	}
	if (n == 0)
		return -1;
	memcpy(conf->cols, cols, n * sizeof cols[0]);
	conf->ncols = n;
	conf->cols_set = 1;
	return 0;
}

/* text[] holds one string per enum column; draw the chosen ones, a blank
 * column after each so a cut name never touches the next, the last one to
 * the right edge. */
static void
queue_columns(struct console *c, int y, int x0, int cols, int role,
    const char *const *text)
{
	const struct console_conf *cf = &c->conf;
	size_t	i;
	int	x = 0, w;

	for (i = 0; i < cf->ncols && x < cols; i++) {
		w = column_defs[cf->cols[i]].width;
		if (cf->cols[i] == COL_NUMBER && cols >= FULL_NO_COLS)
			w = 23;
		if (w == 0 || i + 1 == cf->ncols || x + w >= cols)
			w = cols - x;
		screen_put(y, x0 + x, i + 1 < cf->ncols ? w - 1 : w, role,
		    text[cf->cols[i]]);
		if (i + 1 < cf->ncols)
			screen_put(y, x0 + x + w - 1, 1, role, " ");
		x += w;
	}
}

static const char *
queue_priority(int p)
{
	return p == 1 ? _("URG") : p == 2 ? _("high") : "";
}

static void
queue_line(struct console *c, int y, int x, int cols, const struct mcase *m,
    int selected, time_t now)
{
	char		 left[48], since[48], no[48], sh[40], mark;
	const char	*text[COL__COUNT];
	int		 role = present_role(m, now);

	/* dispatched and not acknowledged in time: the agency is silent,
	 * which wants a call more than "urgent" says (a lasting property);
	 * less than a passed or near deadline, or a dispute */
	mark = (role == ROLE_NORMAL || role == ROLE_URGENT ||
	    role == ROLE_NEW) && present_ack_late(m, now,
	    c->conf.ack_timeout, c->link.cal) ? '?' : present_mark(role);
	if (mark == '?')
		role = ROLE_DUE_SOON;
	if (cols >= FULL_NO_COLS)
		snprintf(no, sizeof no, "%c%s", mark, m->no);
	else {
		present_short_no(m->no, sh, sizeof sh);
		snprintf(no, sizeof no, "%c%s", mark, sh);
	}
	present_left(m->state, m->due_at, m->paused, m->due_provisional, now,
	    left, sizeof left);
	present_since(m, now, since, sizeof since);
	text[COL_NUMBER] = no;
	text[COL_PRIO] = queue_priority(m->priority);
	text[COL_STATE] = word_state_short(m->state);
	text[COL_LEFT] = left;
	text[COL_TOWNSHIP] = m->township_name;
	text[COL_MATTER] = m->category_name;
	text[COL_AGENCY] = m->agency_name;
	text[COL_SUMMARY] = m->summary;
	text[COL_SINCE] = since;
	queue_columns(c, y, x, cols, selected ? ROLE_SELECTED : role, text);
}

/* Keep the selection valid and in sight. */
static void
queue_scroll(struct queue *q, struct console *c, int rows)
{
	long	i = console_selected_index(c);
	size_t	n = model_count(c->model);

	if (i < 0 && n > 0 && !model_pending(c->model)) {
		i = 0;	/* (while a filter runs, the selection may come yet) */
		console_select(c, model_at(c->model, 0)->no);
	}
	if (q->top >= n)
		q->top = n > 0 ? n - 1 : 0;
	if (i < 0)
		return;
	if ((size_t)i < q->top)
		q->top = (size_t)i;
	if (rows > 0 && (size_t)i >= q->top + (size_t)rows)
		q->top = (size_t)i - (size_t)rows + 1;
}

static void
queue_header(struct console *c, const struct view_rect *r)
{
	const char	*head[COL__COUNT];
	char		 f[256];
	size_t		 i;
	int		 w;

	for (i = 0; i < COL__COUNT; i++)
		head[i] = _(column_defs[i].head);
	queue_columns(c, r->y, r->x, r->cols, ROLE_DIM, head);
	if (c->filter.label[0] == '\0')
		return;
	/* the count first, so that a long name never hides it */
	snprintf(f, sizeof f, _(" %zu of %zu · filter: %s "),
	    model_count(c->model), model_open_count(c->model),
	    c->filter.label);
	w = width_cols(f, strlen(f));
	if (w > r->cols - 16)
		w = r->cols - 16 > 20 ? r->cols - 16 : r->cols;
	screen_put(r->y, r->x + r->cols - w, w, ROLE_URGENT, f);
}

static void
queue_draw(struct view *v, struct console *c, const struct view_rect *r)
{
	struct queue	*q = v->data;
	int		 rows = r->rows - 1, y;
	time_t		 now = console_time(c);
	struct mcase	*m;

	v->last_rows = rows;
	queue_scroll(q, c, rows);
	queue_header(c, r);
	for (y = 0; y < rows; y++) {
		m = model_at(c->model, q->top + (size_t)y);
		if (m == NULL)
			screen_put(r->y + 1 + y, r->x, r->cols, ROLE_NORMAL, "");
		else
			queue_line(c, r->y + 1 + y, r->x, r->cols, m,
			    strcmp(m->no, c->sel) == 0, now);
	}
	if (model_count(c->model) > 0 || !c->link.loaded)
		return;
	if (c->filter.label[0] != '\0')
		screen_put(r->y + 2, r->x + 2, r->cols - 2, ROLE_DIM,
		    _("no case passes the filter (:filter alone or Esc shows "
		    "all)"));
	else
		screen_put(r->y + 2, r->x + 2, r->cols - 2, ROLE_DIM,
		    _("no open cases"));
}

static int
queue_key(struct view *v, struct console *c, struct view_key *k)
{
	enum view_move	m = view_move_of(k->cmd);
	long		i;

	if (m == VM_NONE || m == VM_OPEN)
		return 0;
	i = console_selected_index(c);
	console_select_at(c, view_move_pos(m, i < 0 ? 0 : i,
	    (long)model_count(c->model), v->last_rows > 0 ? v->last_rows :
	    console_queue_rows(c)));
	return 1;
}

static void
queue_mouse(struct view *v, struct console *c, int row, int col, int button,
    char *run, size_t len)
{
	struct queue	*q = v->data;
	long		 i;

	(void)col;
	if (button == 4 || button == 5) {
		i = console_selected_index(c);
		console_select_at(c, (i < 0 ? 0 : i) + (button == 5 ? 3 : -3));
		return;
	}
	if (row < 1)		/* the header */
		return;
	i = (long)q->top + row - 1;
	if (i < (long)model_count(c->model)) {
		if (strcmp(model_at(c->model, (size_t)i)->no, c->sel) == 0)
			snprintf(run, len, "view");	/* a click on it
							   again opens */
		else
			console_select_at(c, i);
	}
}

static void
queue_free(struct view *v)
{
	free(v->data);
}

/* The queue's columns are the default until gridline.conf says else. */
static void
queue_enter(struct view *v, struct console *c)
{
	(void)v;
	if (c->conf.ncols == 0)
		view_queue_columns(&c->conf, NULL);
}

static const struct view_ops queue_ops = {
	.name = "queue",
	.enter = queue_enter,
	.key = queue_key,
	.draw = queue_draw,
	.mouse = queue_mouse,
	.free = queue_free,
};

struct view *
view_queue_new(void)
{
	struct queue	*q = calloc(1, sizeof *q);

	return q != NULL ? view_new(&queue_ops, q) : NULL;
}
