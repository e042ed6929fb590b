/*
 * view-board.c: the agency and township boards: one row per agency (the
 * cases it leads) or township (all its open cases), what needs attention
 * first. Enter (or a click) on a row opens the queue filtered to it.
 *
 * The rows are counted from the console's model at each draw; the counts
 * use core's rules (overdue, waiting for acknowledgement, unassigned), the
 * same the server and reports use. An agency's cases waiting longer than
 * set ack-timeout for its acknowledgement show beside the waiting count,
 * "4 (2?)", and move the agency up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "present.h"
#include "screen.h"
#include "strmap.h"
#include "view.h"

struct boardv {
	enum board	 kind;
	long		 sel;
	size_t		 top;
	char		 sel_name[120];	/* the selected row, kept by name */
};

struct board_row {
	const char	*name;
	size_t		 open, overdue, waiting, disputed, returns, reworks;
	size_t		 late;		/* of waiting: past set ack-timeout */
};

static int
board_cmp(const void *x, const void *y)
{
	const struct board_row *a = x, *b = y;

	if (a->overdue != b->overdue)
		return a->overdue < b->overdue ? 1 : -1;
	if (a->late != b->late)
		return a->late < b->late ? 1 : -1;
	if (a->disputed + a->returns != b->disputed + b->returns)
		return a->disputed + a->returns < b->disputed + b->returns ?
		    1 : -1;
	if (a->open != b->open)
		return a->open < b->open ? 1 : -1;
	return strcmp(a->name, b->name);
}

static void
board_count(struct board_row *r, const struct mcase *m, enum board kind,
    time_t now, long ack_timeout, const struct calendar *cal)
{
	r->open++;
	r->late += (size_t)(kind == BOARD_AGENCY && present_ack_late(m, now,
	    ack_timeout, cal));
	r->overdue += (size_t)case_overdue(m->state, m->due_at, now);
	r->waiting += (size_t)(kind == BOARD_AGENCY ?
	    case_waiting_ack(m->state) : case_unassigned(m->state));
	r->disputed += (size_t)(m->disputed != 0);
	r->returns += (size_t)m->returns;
	r->reworks += (size_t)m->reworks;
}

/* The rows, sorted; the caller frees the array (names are borrowed from
 * the model). */
static struct board_row *
board_rows(struct console *c, enum board kind, size_t *n)
{
	struct strmap		*idx = strmap_new();
	struct board_row	*rows, *r;
	size_t			 i, cap = model_open_count(c->model) + 1;
	time_t			 now = console_time(c);
	const struct mcase	*m;
	const char		*key;

	*n = 0;
	if (idx == NULL || (rows = calloc(cap, sizeof *rows)) == NULL) {
		strmap_free(idx);
		return NULL;
	}
	for (i = 0; i < model_open_count(c->model); i++) {
		m = model_open_at(c->model, i);
		key = kind == BOARD_AGENCY ? m->agency_name : m->township_name;
		if (key == NULL)
			continue;
		if ((r = strmap_get(idx, key)) == NULL) {
			r = &rows[(*n)++];
			r->name = key;
			strmap_put(idx, key, r, NULL);
		}
		board_count(r, m, kind, now, c->conf.ack_timeout,
		    c->link.cal);
	}
	strmap_free(idx);
	qsort(rows, *n, sizeof *rows, board_cmp);
	return rows;
}

/* text in a cell of w columns, a blank closing it unless it is the last
 * (every cell painted: views are not cleared when pushed or popped) */
static void
board_cell(int y, int x, int w, int last, int role, const char *text)
{
	screen_put(y, x, last ? w : w - 1, role, text);
	if (!last)
		screen_put(y, x + w - 1, 1, role, " ");
}

static void
board_head(struct boardv *b, const struct view_rect *r, const int *w)
{
	const char	*head[7];
	int		 k, x;

	head[0] = b->kind == BOARD_AGENCY ? _("agency") : _("township");
	head[1] = _("open");
	head[2] = _("overdue");
	head[3] = b->kind == BOARD_AGENCY ? _("to ack") : _("to assign");
	head[4] = _("disputed");
	head[5] = _("returns");
	head[6] = _("reworks");
	for (k = 0, x = 0; k < 7; x += w[k++])
		board_cell(r->y, r->x + x, k == 6 ? r->cols - x : w[k], k == 6,
		    ROLE_DIM, head[k]);
}

static void
board_line(const struct board_row *row, int y, const struct view_rect *r,
    const int *w, int selected)
{
	size_t	v[6] = { row->open, row->overdue, row->waiting, row->disputed,
		    row->returns, row->reworks };
	char	num[48];
	int	k, x;

	board_cell(y, r->x, w[0], 0, selected ? ROLE_SELECTED : row->overdue ?
	    ROLE_OVERDUE : row->disputed ? ROLE_DISPUTED : ROLE_NORMAL,
	    row->name);
	for (k = 1, x = w[0]; k < 7; x += w[k++]) {
		if (k == 3 && row->late > 0)	/* "4 (2?)": 2 of them late */
			snprintf(num, sizeof num, "%zu (%zu?)", v[k - 1],
			    row->late);
		else
			snprintf(num, sizeof num, "%zu", v[k - 1]);
		board_cell(y, r->x + x, k == 6 ? r->cols - x : w[k], k == 6,
		    selected ? ROLE_SELECTED : ROLE_NORMAL, num);
	}
}

/* Keep the selection on the same name when the order changes. */
static void
board_settle(struct boardv *b, struct board_row *rows, size_t n, int rows_in)
{
	size_t	i;

	for (i = 0; b->sel_name[0] && i < n; i++)
		if (strcmp(rows[i].name, b->sel_name) == 0) {
			b->sel = (long)i;
			break;
		}
	if (b->sel >= (long)n)
		b->sel = n > 0 ? (long)n - 1 : 0;
	if (n > 0)
		snprintf(b->sel_name, sizeof b->sel_name, "%s",
		    rows[b->sel].name);
	if ((size_t)b->sel < b->top)
		b->top = (size_t)b->sel;
	if (rows_in > 0 && (size_t)b->sel >= b->top + (size_t)rows_in)
		b->top = (size_t)b->sel - (size_t)rows_in + 1;
}

static void
board_draw(struct view *v, struct console *c, const struct view_rect *r)
{
	static const int w[] = { 28, 7, 9, 10, 9, 8, 8 };
	struct boardv		*b = v->data;
	struct board_row	*rows;
	size_t			 n, i;
	int			 y;

	v->last_rows = r->rows - 1;
	board_head(b, r, w);
	rows = board_rows(c, b->kind, &n);
	board_settle(b, rows, n, v->last_rows);
	for (y = 1; y < r->rows; y++) {
		i = b->top + (size_t)y - 1;
		if (rows == NULL || i >= n)
			screen_put(r->y + y, r->x, r->cols, ROLE_NORMAL, "");
		else
			board_line(&rows[i], r->y + y, r, w,
			    (long)i == b->sel);
	}
	free(rows);
}

/* Enter: the queue, filtered to the selected row. */
static void
board_open(struct console *c, struct boardv *b)
{
	view_queue_of(c, b->sel_name);
}

void
view_queue_of(struct console *c, const char *name)
{
	struct filter	f;

	if (name[0] == '\0')
		return;
	memset(&f, 0, sizeof f);
	f.state = -1;
	snprintf(f.text, sizeof f.text, "%s", name);
	snprintf(f.label, sizeof f.label, "%s", name);
	console_set_filter(c, &f);
	while (c->nviews > 1)
		console_pop(c);
	console_message(c, ROLE_NORMAL, _("the queue of %s (Esc shows all "
	    "cases)"), f.label);
}

static int
board_key(struct view *v, struct console *c, struct view_key *k)
{
	struct boardv	*b = v->data;
	enum view_move	 m = view_move_of(k->cmd);
	size_t		 n;
	struct board_row *rows;

	if (m == VM_NONE)
		return 0;
	rows = board_rows(c, b->kind, &n);
	board_settle(b, rows, n, 0);
	if (m == VM_OPEN) {
		free(rows);
		board_open(c, b);
		return 1;
	}
	b->sel = view_move_pos(m, b->sel, (long)n, v->last_rows > 0 ?
	    v->last_rows : console_queue_rows(c));
	if (rows != NULL && n > 0)
		snprintf(b->sel_name, sizeof b->sel_name, "%s",
		    rows[b->sel].name);
	free(rows);
	return 1;
}

static void
board_mouse(struct view *v, struct console *c, int row, int col, int button,
    char *run, size_t len)
{
	struct boardv		*b = v->data;
	struct view_key		 k = { 0, 0, NULL, "" };
	size_t			 n;
	struct board_row	*rows;

	(void)col, (void)run, (void)len;
	if (button == 4 || button == 5) {
		k.cmd = button == 5 ? "down" : "up";
		board_key(v, c, &k);
		return;
	}
	if (row < 1)
		return;
	rows = board_rows(c, b->kind, &n);
	if (rows != NULL && b->top + (size_t)row - 1 < n) {
		b->sel = (long)(b->top + (size_t)row - 1);
		snprintf(b->sel_name, sizeof b->sel_name, "%s",
		    rows[b->sel].name);
		board_open(c, b);	/* a click drills in */
	}
	free(rows);
}

static void
board_free(struct view *v)
{
	free(v->data);
}

static const char *
board_title(struct view *v, struct console *c)
{
	(void)c;
	return ((struct boardv *)v->data)->kind == BOARD_AGENCY ?
	    _("agency board") : _("township board");
}

static const struct view_ops board_ops = {
	.name = "board",
	.key = board_key,
	.draw = board_draw,
	.mouse = board_mouse,
	.free = board_free,
	.title = board_title,
};

struct view *
view_board_new(enum board kind)
{
	struct boardv	*b = calloc(1, sizeof *b);

	if (b == NULL)
		return NULL;
	b->kind = kind;
	return view_new(&board_ops, b);
}

/* The kind of a board view, or -1 for another view. */
int
view_board_kind(struct view *v)
{
	return v != NULL && v->ops == &board_ops ?
	    (int)((struct boardv *)v->data)->kind : -1;
}
