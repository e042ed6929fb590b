/*
 * view-pick.c: choose one of a list by typing part of it: the return
 * reasons, the agencies to dispatch to. Every printable key narrows the
 * list (by value or label, Chinese too: what holds the typed text first,
 * then what holds its characters in order, so 住建 finds 住房和城乡建设局),
 * arrows move, Enter runs the
 * picker's command with the chosen value, Esc or Backspace on an empty
 * line goes back. Letters are typed here, not taken as commands: in a
 * picker `q` is a letter of an agency's name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>	/* KEY_ constants */

#include "cmd.h"
#include "screen.h"
#include "view.h"

struct pick {
	char	  title[160];
	char	  cmd[256];	/* "return %s" or "dispatch" */
	char	**items;	/* "VALUE\tLABEL" */
	size_t	  n;
	size_t	 *shown;	/* indices passing the typed text */
	size_t	  nshown;
	wchar_t	  typed[64];
	size_t	  len;
	long	  sel;
	size_t	  top;
};

/* 1 when the characters of typed occur in item in order (住建 in
 * 住房和城乡建设局): how people shorten agency names. */
static int
pick_subsequence(const char *item, const wchar_t *typed, size_t len)
{
	mbstate_t	 st;
	wchar_t		 w;
	size_t		 k = 0, n;

	/* only for Chinese: Latin letters in order are found everywhere
	 * (n, o, t in "incomplete"), Chinese ones are a shortened name */
	for (k = 0; k < len; k++)
		if (typed[k] < 0x80)
			return 0;
	k = 0;
	memset(&st, 0, sizeof st);
	while (k < len && *item != '\0') {
		n = mbrtowc(&w, item, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			return 0;
		if (w == typed[k])
			k++;
		item += n;
	}
	return k == len;
}

/* The items the typed text keeps: those that hold it as it is first,
 * then those that hold its characters in order. */
static void
pick_filter(struct pick *p)
{
	char	typed[256];
	size_t	i, n;
	int	pass;

	n = wcstombs(typed, p->typed, sizeof typed - 1);
	typed[n == (size_t)-1 ? 0 : n] = '\0';
	p->nshown = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < p->n; i++) {
			int exact = typed[0] == '\0' ||
			    strstr(p->items[i], typed) != NULL;

			if ((pass == 0 && exact) || (pass == 1 && !exact &&
			    pick_subsequence(p->items[i], p->typed, p->len)))
				p->shown[p->nshown++] = i;
		}
	if (p->sel >= (long)p->nshown)
		p->sel = p->nshown > 0 ? (long)p->nshown - 1 : 0;
}

/* Enter: the command with the value, into run (input.c runs it once the
 * picker is gone). */
static void
pick_run(struct console *c, struct pick *p, char *run, size_t len)
{
	char	value[128], line[512];
	const char *item, *tab;

	if (p->nshown == 0) {
		console_message(c, ROLE_DIM, "%s", _("nothing matches: "
		    "Backspace to type less"));
		return;
	}
	item = p->items[p->shown[p->sel]];
	tab = strchr(item, '\t');
	snprintf(value, sizeof value, "%.*s", tab ? (int)(tab - item) :
	    (int)strlen(item), item);
	if (strstr(p->cmd, "%s") != NULL)
		snprintf(line, sizeof line, p->cmd, value);
	else
		snprintf(line, sizeof line, "%s %s", p->cmd, value);
	snprintf(run, len, "%s", line);
	console_pop(c);		/* p is freed here */
}

static int
pick_key(struct view *v, struct console *c, struct view_key *k)
{
	struct pick	*p = v->data;
	enum view_move	 m;

	if (!k->is_keycode && (k->key == '\r' || k->key == '\n')) {
		pick_run(c, p, k->run, sizeof k->run);
		return 1;
	}
	if (!k->is_keycode && k->key == 27) {
		console_pop(c);
		return 1;
	}
	if ((k->is_keycode && k->key == KEY_BACKSPACE) || (!k->is_keycode &&
	    (k->key == 127 || k->key == 8))) {
		if (p->len == 0)
			console_pop(c);
		else {
			p->typed[--p->len] = L'\0';
			pick_filter(p);
		}
		return 1;
	}
	if (!k->is_keycode && k->key >= 32 && p->len + 1 <
	    sizeof p->typed / sizeof p->typed[0]) {
		p->typed[p->len++] = (wchar_t)k->key;
		p->typed[p->len] = L'\0';
		pick_filter(p);
		return 1;
	}
	if (k->is_keycode && (m = view_move_of(k->cmd)) != VM_NONE) {
		p->sel = view_move_pos(m, p->sel, (long)p->nshown,
		    v->last_rows > 0 ? v->last_rows : 10);
		return 1;
	}
	return 1;	/* nothing else: a picker is modal */
}

static void
pick_draw(struct view *v, struct console *c, const struct view_rect *r)
{
	struct pick	*p = v->data;
	char		 head[512], typed[256], line[512];
	const char	*item, *tab;
	size_t		 n, i;
	int		 y, rows = r->rows - 2;

	(void)c;
	v->last_rows = rows;
	n = wcstombs(typed, p->typed, sizeof typed - 1);
	typed[n == (size_t)-1 ? 0 : n] = '\0';
	snprintf(head, sizeof head, _(" %s (type to narrow, Enter chooses, "
	    "Esc back)"), p->title);
	screen_put(r->y, r->x, r->cols, ROLE_BAR, head);
	snprintf(line, sizeof line, "> %s_   %zu/%zu", typed, p->nshown,
	    p->n);
	screen_put(r->y + 1, r->x, r->cols, ROLE_NORMAL, line);
	if ((size_t)p->sel < p->top)
		p->top = (size_t)p->sel;
	if ((size_t)p->sel >= p->top + (size_t)rows)
		p->top = (size_t)p->sel - (size_t)rows + 1;
	for (y = 0; y < rows; y++) {
		i = p->top + (size_t)y;
		if (i >= p->nshown) {
			screen_put(r->y + 2 + y, r->x, r->cols, ROLE_NORMAL,
			    "");
			continue;
		}
		item = p->items[p->shown[i]];
		tab = strchr(item, '\t');
		snprintf(line, sizeof line, "  %-22.*s %s", tab ? (int)(tab -
		    item) : (int)strlen(item), item, tab ? tab + 1 : "");
		screen_put(r->y + 2 + y, r->x, r->cols, (long)i == p->sel ?
		    ROLE_SELECTED : ROLE_NORMAL, line);
	}
}

static void
pick_mouse(struct view *v, struct console *c, int row, int col, int button,
    char *run, size_t len)
{
	struct pick	*p = v->data;
	long		 i = (long)p->top + row - 2;

	(void)col;
	if (button != 1 || row < 2 || i >= (long)p->nshown)
		return;
	p->sel = i;
	pick_run(c, p, run, len);
}

static void
pick_free(struct view *v)
{
	struct pick	*p = v->data;

	while (p->n > 0)
		free(p->items[--p->n]);
	free(p->items);
	free(p->shown);
	free(p);
}

static const char *
pick_title(struct view *v, struct console *c)
{
	(void)c;
	return ((struct pick *)v->data)->title;
}

static const struct view_ops pick_ops = {
	.name = "pick",
	.key = pick_key,
	.draw = pick_draw,
	.mouse = pick_mouse,
	.free = pick_free,
	.title = pick_title,
};

struct view *
view_pick_new(const char *title, const char *cmd, char **items, size_t n)
{
	struct pick	*p = calloc(1, sizeof *p);
	size_t		 i;

	if (p == NULL || (p->items = calloc(n + 1, sizeof *p->items)) ==
	    NULL || (p->shown = calloc(n + 1, sizeof *p->shown)) == NULL) {
		if (p != NULL)
			free(p->items);
		free(p);
		return NULL;
	}
	snprintf(p->title, sizeof p->title, "%s", title);
	snprintf(p->cmd, sizeof p->cmd, "%s", cmd);
	for (i = 0; i < n; i++)
		if ((p->items[p->n] = strdup(items[i])) != NULL)
			p->n++;
	pick_filter(p);
	return view_new(&pick_ops, p);
}
