/*
 * view-list.c: a list of cases the server sent: search results, and the
 * finished cases (closed, voided, merged), which the queue never shows.
 * Enter opens the selected case in a case view, from which every action
 * works as from the queue (unmerge, rework of a closed case); n and N move
 * through the list, from the case view too.
 *
 * The finished list grows page by page as the selection reaches its end
 * (the server pages them newest first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "gltime.h"
#include "present.h"
#include "req.h"
#include "screen.h"
#include "view.h"

#define FINISHED_PAGE	200

struct list {
	char	 title[128];
	json_t	*cases;		/* array of case objects */
	long	 sel;
	size_t	 top;
	int	 finished;	/* pages of finished cases */
	json_t	*next;		/* the next page's `before`, or NULL */
	int	 asked;
};

/* One case: number, state, the day reported, township, summary, each in
 * its columns (cut by display width, as the queue's). */
static void
list_line(struct list *l, size_t i, int y, const struct view_rect *r)
{
	json_t		*k = json_array_get(l->cases, i);
	enum case_state	 st = CS_REPORTED;
	char		 no[48], day[16];
	const char	*text[5];
	int		 w[5], x = 0, role, f;

	case_state_parse(present_str(k, "state"), &st);
	if (r->cols >= 120)
		snprintf(no, sizeof no, "%s", present_str(k, "no"));
	else
		present_short_no(present_str(k, "no"), no, sizeof no);
	snprintf(day, sizeof day, "%.10s", present_str(k, "reported_at"));
	text[0] = no;
	text[1] = word_state_short(st);
	text[2] = day;
	text[3] = present_str(k, "township_name");
	text[4] = present_str(k, "summary");
	w[0] = r->cols >= 120 ? 23 : 16;
	w[1] = 11;
	w[2] = 11;
	w[3] = 11;
	w[4] = 0;
	role = (long)i == l->sel ? ROLE_SELECTED : case_state_open(st) ?
	    ROLE_NORMAL : ROLE_DIM;
	for (f = 0; f < 5 && x < r->cols; x += w[f++]) {
		if (w[f] == 0 || x + w[f] > r->cols)
			w[f] = r->cols - x;
		screen_put(y, r->x + x, f < 4 ? w[f] - 1 : w[f], role,
		    text[f]);
		if (f < 4)
			screen_put(y, r->x + x + w[f] - 1, 1, role, " ");
	}
}

static void
list_draw(struct view *v, struct console *c, const struct view_rect *r)
{
	struct list	*l = v->data;
	size_t		 n = json_array_size(l->cases);
	char		 head[256];
	int		 y, rows = r->rows - 1;

	(void)c;
	v->last_rows = rows;
	if ((size_t)l->sel < l->top)
		l->top = (size_t)l->sel;
	if ((size_t)l->sel >= l->top + (size_t)rows)
		l->top = (size_t)l->sel - (size_t)rows + 1;
	snprintf(head, sizeof head, _(" %s: %zu%s  (Enter opens, n/N next/"
	    "previous, q back)"), l->title, n, l->next != NULL &&
	    !json_is_null(l->next) ? "+" : "");
	screen_put(r->y, r->x, r->cols, ROLE_BAR, head);
	for (y = 0; y < rows; y++) {
		if (l->top + (size_t)y < n)
			list_line(l, l->top + (size_t)y, r->y + 1 + y, r);
		else
			screen_put(r->y + 1 + y, r->x, r->cols, ROLE_NORMAL,
			    y == 0 && n == 0 ? _("  nothing found") : "");
	}
}

static void list_more(struct view *v, struct console *c);

static void
list_open(struct view *v, struct console *c)
{
	struct list	*l = v->data;
	json_t		*k = json_array_get(l->cases, (size_t)l->sel);

	(void)v;
	if (k == NULL)
		return;
	console_select(c, present_str(k, "no"));
	console_push(c, view_case_new(c, present_str(k, "no")));
}

static int
list_key(struct view *v, struct console *c, struct view_key *k)
{
	struct list	*l = v->data;
	enum view_move	 m = view_move_of(k->cmd);
	long		 n = (long)json_array_size(l->cases);

	if (m == VM_NONE)
		return 0;
	if (m == VM_OPEN) {
		list_open(v, c);
		return 1;
	}
	l->sel = view_move_pos(m, l->sel, n, v->last_rows > 0 ?
	    v->last_rows : console_queue_rows(c));
	if (l->sel >= n - 1)
		list_more(v, c);
	return 1;
}

static void
list_mouse(struct view *v, struct console *c, int row, int col, int button,
    char *run, size_t len)
{
	struct list	*l = v->data;
	struct view_key	 k;
	long		 i;

	(void)col, (void)run, (void)len;
	memset(&k, 0, sizeof k);
	if (button == 4 || button == 5) {
		k.cmd = button == 5 ? "down" : "up";
		list_key(v, c, &k);
		return;
	}
	i = (long)l->top + row - 1;
	if (row < 1 || i >= (long)json_array_size(l->cases))
		return;
	if (i == l->sel)
		list_open(v, c);
	l->sel = i;
}

static void
list_reply(struct console *c, void *arg, json_t *rep, const char *err)
{
	struct view	*v = console_view(c, (uint64_t)(uintptr_t)arg);

	if (v == NULL)
		return;
	((struct list *)v->data)->asked = 0;
	if (rep == NULL || !json_is_true(json_object_get(rep, "ok"))) {
		console_message(c, ROLE_ERROR, _("could not load finished cases: %s"),
		    err != NULL ? err : present_str(json_object_get(rep, "error"),
		    "message"));
		return;
	}
	view_list_append(v, json_object_get(rep, "cases"),
	    json_object_get(rep, "next"));
}

static void
list_more(struct view *v, struct console *c)
{
	struct list	*l = v->data;

	if (!l->finished || l->asked || l->next == NULL ||
	    !json_is_integer(l->next))
		return;
	l->asked = 1;
	console_request(c, req_snapshot_finished(json_integer_value(l->next),
	    FINISHED_PAGE), list_reply, (void *)(uintptr_t)v->id);
}

static void
list_enter(struct view *v, struct console *c)
{
	struct list	*l = v->data;

	if (l->finished && json_array_size(l->cases) == 0) {
		l->asked = 1;
		console_request(c, req_snapshot_finished(0, FINISHED_PAGE),
		    list_reply, (void *)(uintptr_t)v->id);
	}
}

static void
list_free(struct view *v)
{
	struct list	*l = v->data;

	json_decref(l->cases);
	json_decref(l->next);
	free(l);
}

static const char *
list_title(struct view *v, struct console *c)
{
	(void)c;
	return ((struct list *)v->data)->title;
}

static const struct view_ops list_ops = {
	.name = "list",
	.key = list_key,
	.draw = list_draw,
	.mouse = list_mouse,
	.enter = list_enter,
	.free = list_free,
	.title = list_title,
};

struct view *
view_list_new(const char *title, json_t *cases)
{
	struct list	*l = calloc(1, sizeof *l);

	if (l == NULL)
		return NULL;
	snprintf(l->title, sizeof l->title, "%s", title);
	if (cases != NULL)
		l->cases = json_incref(cases);
	else {
		l->cases = json_array();
		l->finished = 1;	/* pages come from the server */
	}
	return view_new(&list_ops, l);
}

void
view_list_append(struct view *v, json_t *cases, json_t *next)
{
	struct list	*l = v->data;

	if (v->ops != &list_ops)
		return;
	json_array_extend(l->cases, cases);
	json_decref(l->next);
	l->next = json_incref(next);
}

int
view_list_step(struct console *c, int dir)
{
	struct view	*v;
	struct list	*l;
	size_t		 i;
	int		 over;

	for (i = c->nviews; i > 0; i--)
		if (c->views[i - 1]->ops == &list_ops)
			break;
	if (i == 0)
		return -1;
	v = c->views[i - 1];
	l = v->data;
	over = c->nviews > i;		/* a case view opened from it */
	while (c->nviews > i)
		console_pop(c);
	l->sel = view_move_pos(dir > 0 ? VM_DOWN : VM_UP, l->sel,
	    (long)json_array_size(l->cases), 1);
	if (over)
		list_open(v, c);
	else if (json_array_get(l->cases, (size_t)l->sel) != NULL)
		console_select(c, present_str(json_array_get(l->cases,
		    (size_t)l->sel), "no"));
	return 0;
}
