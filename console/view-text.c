/*
 * view-text.c: lines that scroll, with a title: the help (the key table,
 * the commands, what the row marks mean) and the messages shown before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"
#include "view.h"

struct text {
	char	 title[128];
	char	**lines;
	size_t	 n;
	size_t	 first;
};

static void
text_draw(struct view *v, struct console *c, const struct view_rect *r)
{
	struct text	*t = v->data;
	char		 head[256];
	int		 y, rows = r->rows - 1;
	size_t		 i;

	(void)c;
	v->last_rows = rows;
	if (t->first + (size_t)rows > t->n)
		t->first = t->n > (size_t)rows ? t->n - (size_t)rows : 0;
	snprintf(head, sizeof head, _(" %s  (%zu-%zu of %zu; j/k PgUp/PgDn "
	    "scroll, q back)"), t->title, t->n ? t->first + 1 : 0,
	    t->first + (size_t)rows < t->n ? t->first + (size_t)rows : t->n,
	    t->n);
	screen_put(r->y, r->x, r->cols, ROLE_BAR, head);
	for (y = 0; y < rows; y++) {
		i = t->first + (size_t)y;
		screen_put(r->y + 1 + y, r->x, 1, ROLE_NORMAL, " ");
		screen_put(r->y + 1 + y, r->x + 1, r->cols - 1, ROLE_NORMAL,
		    i < t->n ? t->lines[i] : "");
	}
}

static int
text_key(struct view *v, struct console *c, struct view_key *k)
{
	struct text	*t = v->data;
	enum view_move	 m = view_move_of(k->cmd);
	long		 page = v->last_rows > 0 ? v->last_rows :
			    console_queue_rows(c), last;

	if (m == VM_NONE || m == VM_OPEN)
		return 0;
	last = (long)t->n - page;
	t->first = (size_t)view_move_pos(m, (long)t->first,
	    (last < 0 ? 0 : last) + 1, page);
	return 1;
}

static void
text_mouse(struct view *v, struct console *c, int row, int col, int button,
    char *run, size_t len)
{
	struct view_key	k;

	(void)row, (void)col, (void)run, (void)len;
	memset(&k, 0, sizeof k);
	if (button == 4 || button == 5) {
		k.cmd = button == 5 ? "page-down" : "page-up";
		text_key(v, c, &k);
	}
}

static void
text_free(struct view *v)
{
	struct text	*t = v->data;

	while (t->n > 0)
		free(t->lines[--t->n]);
	free(t->lines);
	free(t);
}

static const char *
text_title(struct view *v, struct console *c)
{
	(void)c;
	return ((struct text *)v->data)->title;
}

static const struct view_ops text_ops = {
	.name = "text",
	.key = text_key,
	.draw = text_draw,
	.mouse = text_mouse,
	.free = text_free,
	.title = text_title,
};

struct view *
view_text_new(const char *title, char **lines, size_t n)
{
	struct text	*t = calloc(1, sizeof *t);
	size_t		 i;

	if (t == NULL || (t->lines = calloc(n + 1, sizeof *t->lines)) ==
	    NULL) {
		free(t);
		return NULL;
	}
	snprintf(t->title, sizeof t->title, "%s", title);
	for (i = 0; i < n; i++)
		if ((t->lines[t->n] = strdup(lines[i])) != NULL)
			t->n++;
	return view_new(&text_ops, t);
}
