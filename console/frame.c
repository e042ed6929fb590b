/*
 * frame.c: one frame: the top bar, the views, the two bottom lines.
 *
 * The top view draws between the top bar and the bottom lines. A case
 * view sits beside the view under it from 140 columns on (the queue stays
 * in sight), over it below that. The line above the bottom holds the keys
 * for the view on top, or the second half of a long message; the bottom
 * line holds the message, the prompt, or a question. A message fades after
 * MSG_FADE_MS so that an old "done" is not read as news.
 */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "cmd.h"
#include "frame.h"
#include "gltime.h"
#include "prompt.h"
#include "screen.h"
#include "view.h"
#include "width.h"

#define WIDE_COLS	140	/* from here the case view sits beside */
#define SIDE_COLS	64
#define MSG_FADE_MS	8000

/*
 * The server's warning that its holiday table ends (docs/DATA.md), long
 * or narrow, with a space after; "" when there is none. The table always
 * ends on 31 December.
 */
static int
frame_calendar(const struct console *c, int narrow, char *buf, size_t len)
{
	const char	*s = "";

	if (c->link.cal_warn == 1)
		s = narrow ? _("cal 12-31") : _("calendar ends 12-31");
	else if (c->link.cal_warn == 2)
		s = narrow ? _("provisional") : _("deadlines provisional");
	snprintf(buf, len, "%s%s", s, s[0] != '\0' ? " " : "");
	return width_cols(buf, strlen(buf));
}

static void
frame_bar(struct console *c)
{
	struct model_counts	n;
	char			when[32], left[512], right[512];
	time_t			now = console_time(c);
	char			counts[256], warn[64];
	int			rw, ww, lw;

	model_counts_last(c->model, now, &n);
	gltime_format(now, GLTIME_CHINA, when, sizeof when);
	/* short labels: at 80 columns every count stays in sight, and the
	 * centre's name goes first when they do not */
	snprintf(counts, sizeof counts, "%s %zu  %s %zu  %s %zu  %s %zu  %s "
	    "%zu", _("open"), n.open, _("new"), n.fresh, _("to assign"),
	    n.unassigned, _("late"), n.overdue, _("in hand"), n.in_hand);
	snprintf(right, sizeof right, "%s%s%s%s%s%s%s ", c->link.training ?
	    _("TRAINING ") : "", c->link.training ? c->link.scenario : "",
	    c->link.training && c->link.scenario[0] ? " " : "",
	    c->link.role[0] != '\0' ? c->opts.operator :
	    "", c->link.role[0] != '\0' ? "·" : "", c->link.role[0] != '\0' ?
	    word_role(c->link.role) : "", c->link.up ? (c->link.role[0] !=
	    '\0' ? _(" online") : _("online")) : _("OFFLINE"));
	rw = width_cols(right, strlen(right));
	/* the counts before the calendar's warning before the date before
	 * the centre's name: the warning narrows, then goes, rather than
	 * hide a count */
	snprintf(left, sizeof left, " %.5s %s", when + 11, counts);
	lw = width_cols(left, strlen(left));
	if ((ww = frame_calendar(c, 0, warn, sizeof warn)) > COLS - rw - lw &&
	    (ww = frame_calendar(c, 1, warn, sizeof warn)) > COLS - rw - lw)
		ww = 0;
	snprintf(left, sizeof left, " %s %.5s %.5s  %s", c->opts.centre,
	    when + 5, when + 11, counts);
	if (width_cols(left, strlen(left)) > COLS - rw - ww)
		snprintf(left, sizeof left, " %.5s %.5s %s", when + 5,
		    when + 11, counts);
	if (width_cols(left, strlen(left)) > COLS - rw - ww)
		snprintf(left, sizeof left, " %.5s %s", when + 11, counts);
	screen_put(0, 0, COLS - rw - ww, ROLE_BAR, left);
	if (ww > 0)
		screen_put(0, COLS - rw - ww, ww, ROLE_DUE_SOON, warn);
	screen_put(0, COLS - rw, rw, c->link.up && !c->link.training ?
	    ROLE_BAR : ROLE_ERROR, right);
}

/* The keys of the view on top. */
static const char *
frame_keys(struct console *c)
{
	const char	*name = console_top(c)->ops->name;

	if (strcmp(name, "case") == 0)
		return _(" j/k:scroll q:back  r d x e c:act  :command  "
		    "?:help");
	if (strcmp(name, "board") == 0)
		return _(" j/k:move Enter:its queue b:other board q:back");
	if (strcmp(name, "report") == 0)
		return _(" j/k:move Enter:its queue P:next period q:back");
	if (strcmp(name, "list") == 0)
		return _(" j/k:move Enter:open n/N:next/prev q:back");
	if (strcmp(name, "pick") == 0)
		return _(" type to narrow  Enter:choose  Esc:back");
	if (strcmp(name, "text") == 0)
		return _(" j/k PgUp/PgDn:scroll q:back");
	return _(" ?:help Enter:case r:reg d:disp x:ret c:close /:find "
	    "b:board q:quit");
}

/* The message over one or two lines (the second replaces the keys). */
static void
frame_message(struct console *c, int lines)
{
	const char	*m = c->msgs.text;
	char		 first[sizeof c->msgs.text];
	size_t		 len = strlen(m), cut;
	int		 role = c->msgs.role;

	if (m[0] != '\0' && console_now_ms() - c->msgs.at_ms > MSG_FADE_MS &&
	    role != ROLE_ERROR)
		role = ROLE_DIM;
	if (lines == 2 && width_cols(m, len) > COLS) {
		/* through screen_put, as all text: a message may quote a
		 * summary, whose controls must be shown, not sent */
		cut = width_prefix(m, len, COLS);
		snprintf(first, sizeof first, "%.*s", (int)cut, m);
		screen_put(LINES - 2, 0, COLS, role, first);
		screen_put(LINES - 1, 0, COLS, role, m + cut);
		return;
	}
	if (lines == 2)
		screen_put(LINES - 2, 0, COLS, ROLE_DIM, frame_keys(c));
	screen_put(LINES - 1, 0, COLS, role, m);
}

static void
frame_bottom(struct console *c)
{
	char	buf[1100];
	int	at;

	if (c->prompt == NULL) {
		curs_set(0);
		frame_message(c, 2);
		return;
	}
	/* completions and hints above the line being typed */
	screen_put(LINES - 2, 0, COLS, c->msgs.role, c->msgs.text);
	at = prompt_text(c, buf, sizeof buf);
	screen_put(LINES - 1, 0, COLS, at < 0 ? ROLE_URGENT : ROLE_NORMAL,
	    buf);
	if (at < 0) {
		curs_set(0);
		return;
	}
	curs_set(1);
	at = width_cols(buf, (size_t)at);
	move(LINES - 1, at < COLS ? at : COLS - 1);
}

static void
frame_views(struct console *c)
{
	struct view		*top = console_top(c), *under;
	struct view_rect	 r = { 1, 0, LINES - 3, COLS };
	int			 y;

	if (c->nviews > 1 && COLS >= WIDE_COLS &&
	    strcmp(top->ops->name, "case") == 0) {
		under = c->views[c->nviews - 2];
		r.cols = COLS - SIDE_COLS - 1;
		under->ops->draw(under, c, &r);
		for (y = 1; y < LINES - 2; y++)		/* the seam */
			screen_put(y, r.cols, 1, ROLE_DIM, " ");
		r.x = COLS - SIDE_COLS;
		r.cols = SIDE_COLS;
	}
	top->ops->draw(top, c, &r);
}

void
frame_draw(struct console *c)
{
	c->rows = LINES;
	c->cols = COLS;
	if (c->clear) {
		clear();
		c->clear = 0;
	}
	if (LINES < 6 || COLS < 30) {
		erase();
		screen_put(0, 0, COLS, ROLE_ERROR, _("terminal too small"));
		refresh();
		return;
	}
	frame_bar(c);
	frame_views(c);
	frame_bottom(c);
	refresh();
}
