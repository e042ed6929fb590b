/*
 * draw.c: painting the console (see console.h).
 *
 * Every string reaches the screen through width_fit, which cuts by display
 * columns and never splits a character, so a line never runs past the
 * right edge whatever the summary holds. Code names roles; this file alone
 * maps them to colours, or, under NO_COLOR or on a terminal without colour,
 * to bold, underline and reverse, so no meaning is lost.
 *
 * Layout: the top bar, a header, the queue, the message line. The case
 * view sits beside the queue from 140 columns on, and over it below that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "conf.h"
#include "console.h"
#include "gltime.h"
#include "strmap.h"
#include "width.h"

#define WIDE_COLS	140	/* from here the case view sits beside */
#define DETAIL_COLS	64

static attr_t	role_attr[ROLE__COUNT];

void
draw_init(struct console *c, const struct role_style *styles)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);	/* Escape closes at once, not after 1 s */
	curs_set(0);
	c->colour = has_colors() && (nc == NULL || nc[0] == '\0');
	if (c->colour) {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < ROLE__COUNT; i++) {
		if (!c->colour || COLORS < 8) {
			role_attr[i] = styles[i].mono;
			continue;
		}
		init_pair((short)(i + 1), styles[i].fg, styles[i].bg);
		role_attr[i] = COLOR_PAIR(i + 1) | styles[i].attrs;
	}
}

/* Put s at (y, x) in exactly cols columns, in role. */
static void
put(int y, int x, int cols, int role, const char *s)
{
	char	buf[1024];

	if (cols <= 0)
		return;
	width_fit(s != NULL ? s : "", s != NULL ? strlen(s) : 0, cols,
	    WIDTH_PAD | WIDTH_ELLIPSIS, buf, sizeof buf, NULL);
	attrset(role_attr[role]);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
}

int
draw_queue_rows(void)
{
	return LINES - 3 > 0 ? LINES - 3 : 0;
}

static void
draw_bar(struct console *c)
{
	struct model_counts	n;
	char			when[32], left[512], right[64];
	time_t			now = time(NULL);
	int			rw;

	model_counts(c->model, now, &n);
	gltime_format(now, GLTIME_CHINA, when, sizeof when);
	snprintf(left, sizeof left, " %s  %.5s %.8s  %s %zu  %s %zu  %s %zu  "
	    "%s %zu", c->opts.centre, when + 5, when + 11, _("new"), n.fresh,
	    _("unassigned"), n.unassigned, _("overdue"), n.overdue,
	    _("in hand"), n.in_hand);
	snprintf(right, sizeof right, "%s%s ", c->training ? _("TRAINING ") :
	    "", c->up ? _("online") : _("OFFLINE"));
	rw = width_cols(right, strlen(right));
	put(0, 0, COLS - rw, ROLE_BAR, left);
	put(0, COLS - rw, rw, c->up && !c->training ? ROLE_BAR : ROLE_ERROR,
	    right);
}

/* "2h15", "3d4h", "-1h05" (overdue), "-" (no deadline). */
static void
time_left(const struct mcase *m, time_t now, char *buf, size_t len)
{
	long	s, a;

	if (m->due_at == 0 || !case_state_clock_runs(m->state)) {
		snprintf(buf, len, "%s", m->paused ? _("paused") : "-");
		return;
	}
	s = (long)(m->due_at - now);
	a = s < 0 ? -s : s;
	if (a >= 86400)
		snprintf(buf, len, "%s%ldd%ldh", s < 0 ? "-" : "", a / 86400,
		    a % 86400 / 3600);
	else
		snprintf(buf, len, "%s%ldh%02ld", s < 0 ? "-" : "", a / 3600,
		    a % 3600 / 60);
}

static int
line_role(const struct mcase *m, time_t now)
{
	if (m->disputed)
		return ROLE_DISPUTED;
	if (m->due_at != 0 && case_state_clock_runs(m->state)) {
		if (m->due_at < now)
			return ROLE_OVERDUE;
		if (m->due_at - now < 3600)
			return ROLE_DUE_SOON;
	}
	if (m->priority == 1)
		return ROLE_URGENT;
	if (m->state == CS_REPORTED && m->fresh)
		return ROLE_NEW;
	return ROLE_NORMAL;
}

static const char *
priority_text(int p)
{
	return p == 1 ? _("URG") : p == 2 ? _("high") : "";
}

/* The mark before a case number: the line's role in one ASCII character
 * (! overdue, ~ due soon, ^ urgent, + new, # disputed). */
static const char role_mark[ROLE__COUNT] = {
	[ROLE_NORMAL] = ' ', [ROLE_BAR] = ' ', [ROLE_SELECTED] = ' ',
	[ROLE_OVERDUE] = '!', [ROLE_DUE_SOON] = '~', [ROLE_URGENT] = '^',
	[ROLE_NEW] = '+', [ROLE_DISPUTED] = '#', [ROLE_DIM] = ' ',
	[ROLE_ERROR] = ' ',
};

/* The queue's columns: name (for `set columns`), width (0: the rest),
 * header. */
static const struct column_def {
	const char	*name;
	int		 width;
	const char	*head;
} column_defs[COL__COUNT] = {
	[COL_NUMBER] = { "number", 17, N_("number") },
	[COL_PRIO] = { "prio", 5, N_("prio") },
	[COL_STATE] = { "state", 9, N_("state") },
	[COL_LEFT] = { "left", 8, N_("left") },
	[COL_TOWNSHIP] = { "township", 10, N_("township") },
	[COL_MATTER] = { "matter", 14, N_("matter") },
	[COL_AGENCY] = { "agency", 18, N_("agency") },
	[COL_SUMMARY] = { "summary", 0, N_("summary") },
};

static const enum column default_columns[] = { COL_NUMBER, COL_PRIO,
	COL_STATE, COL_LEFT, COL_TOWNSHIP, COL_MATTER, COL_SUMMARY };

int
draw_set_columns(struct console *c, const char *list)
{
	char	buf[256], *p, *tok;
	size_t	n = 0, k;

	if (list == NULL) {
		memcpy(c->cols, default_columns, sizeof default_columns);
		c->ncols = sizeof default_columns / sizeof default_columns[0];
		return 0;
	}
	snprintf(buf, sizeof buf, "%s", list);
	for (p = buf; (tok = strsep(&p, ",")) != NULL && n < COL__COUNT;) {
		for (k = 0; k < COL__COUNT; k++)
			if (strcmp(tok, column_defs[k].name) == 0)
				break;
		if (k == COL__COUNT)
			return -1;
		c->cols[n++] = (enum column)k;
	}
	if (n == 0)
		return -1;
	c->ncols = n;
	return 0;
}

/* text[] holds one string per enum column; draw the chosen ones, a blank
 * column after each so a cut name never touches the next, the last one
 * to the right edge. */
static void
draw_columns(struct console *c, int y, int cols, int role,
    const char *const *text)
{
	size_t	i;
	int	x = 0, w;

	for (i = 0; i < c->ncols && x < cols; i++) {
		w = column_defs[c->cols[i]].width;
		if (w == 0 || i + 1 == c->ncols || x + w >= cols)
			w = cols - x;
		put(y, x, i + 1 < c->ncols ? w - 1 : w, role,
		    text[c->cols[i]]);
		if (i + 1 < c->ncols)
			put(y, x + w - 1, 1, role, " ");
		x += w;
	}
}

/* One queue line in cols columns at row y. */
static void
draw_case_line(struct console *c, int y, int cols, const struct mcase *m,
    int selected, time_t now)
{
	char		 left[48], shortno[48];
	size_t		 nl = strlen(m->no);
	const char	*text[COL__COUNT];
	int		 role = line_role(m, now);

	/* 330203-20261124-00042 read aloud as 203-1124-00042: the district
	 * within the city, the day, the number; after a mark that says what
	 * the colour says, for terminals without colour */
	if (nl == 21 || (nl > 21 && m->no[6] == '-'))
		snprintf(shortno, sizeof shortno, "%c%.3s-%.4s-%s",
		    role_mark[role], m->no + 3, m->no + 11, m->no + 16);
	else
		snprintf(shortno, sizeof shortno, "%c%s", role_mark[role],
		    m->no);
	time_left(m, now, left, sizeof left);
	text[COL_NUMBER] = shortno;
	text[COL_PRIO] = priority_text(m->priority);
	text[COL_STATE] = case_state_zh(m->state);
	text[COL_LEFT] = left;
	text[COL_TOWNSHIP] = m->township_name;
	text[COL_MATTER] = m->category_name;
	text[COL_AGENCY] = m->agency_name;
	text[COL_SUMMARY] = m->summary;
	draw_columns(c, y, cols, selected ? ROLE_SELECTED : role, text);
}

/* Keep the selection visible and valid. */
static void
draw_scroll(struct console *c, int rows)
{
	long	i = c->sel[0] ? model_index(c->model, c->sel) : -1;
	size_t	n = model_count(c->model);

	if (i < 0 && n > 0 && !model_pending(c->model)) {
		i = 0;	/* (while a filter runs, the selection may come yet) */
		snprintf(c->sel, sizeof c->sel, "%s", model_at(c->model, 0)->no);
	}
	if (i < 0)
		return;
	if ((size_t)i < c->top)
		c->top = (size_t)i;
	if (rows > 0 && (size_t)i >= c->top + (size_t)rows)
		c->top = (size_t)i - (size_t)rows + 1;
}

static void
draw_queue(struct console *c, int cols)
{
	int	rows = draw_queue_rows(), y;
	time_t	now = time(NULL);
	size_t	i;

	draw_scroll(c, rows);
	{
	const char *head[COL__COUNT];

	for (i = 0; i < COL__COUNT; i++)
		head[i] = _(column_defs[i].head);
	draw_columns(c, 1, cols, ROLE_DIM, head);
	}
	for (y = 0; y < rows; y++) {
		struct mcase *m = model_at(c->model, c->top + (size_t)y);

		if (m == NULL) {
			put(2 + y, 0, cols, ROLE_NORMAL, "");
			continue;
		}
		draw_case_line(c, 2 + y, cols, m, strcmp(m->no, c->sel) == 0,
		    now);
	}
	i = model_count(c->model);
	if (i == 0 && c->loaded)
		put(3, 2, cols - 2, ROLE_DIM, _("no open cases"));
}

/* --- the boards ---------------------------------------------------------- */

struct board_row {
	const char	*name;
	size_t		 open, overdue, waiting, disputed, returns, reworks;
};

static int
board_cmp(const void *x, const void *y)
{
	const struct board_row *a = x, *b = y;

	if (a->overdue != b->overdue)
		return a->overdue < b->overdue ? 1 : -1;
	if (a->disputed + a->returns != b->disputed + b->returns)
		return a->disputed + a->returns < b->disputed + b->returns ?
		    1 : -1;
	if (a->open != b->open)
		return a->open < b->open ? 1 : -1;
	return strcmp(a->name, b->name);
}

/* One row per agency (cases it holds) or township (all its open cases),
 * what needs attention first. */
static struct board_row *
board_rows(struct console *c, size_t *n)
{
	struct strmap		*idx = strmap_new();
	struct board_row	*rows;
	struct board_row	*r;
	size_t			 i, cap = model_open_count(c->model) + 1;
	time_t			 now = time(NULL);

	*n = 0;
	if (idx == NULL || (rows = calloc(cap, sizeof *rows)) == NULL) {
		strmap_free(idx);
		return NULL;
	}
	for (i = 0; i < model_open_count(c->model); i++) {
		const struct mcase *m = model_open_at(c->model, i);
		const char *key = c->board == BOARD_AGENCY ? m->agency_name :
		    m->township_name;

		if (key == NULL)
			continue;
		if ((r = strmap_get(idx, key)) == NULL) {
			r = &rows[(*n)++];
			r->name = key;
			strmap_put(idx, key, r, NULL);
		}
		r->open++;
		r->overdue += m->due_at != 0 && m->due_at < now &&
		    case_state_clock_runs(m->state);
		r->waiting += m->state == CS_REGISTERED ||
		    m->state == CS_RETURNED || m->state == CS_ESCALATED ||
		    m->state == CS_REPORTED;
		r->disputed += m->disputed;
		r->returns += (size_t)m->returns;
		r->reworks += (size_t)m->reworks;
	}
	strmap_free(idx);
	qsort(rows, *n, sizeof *rows, board_cmp);
	return rows;
}

static void
draw_board(struct console *c)
{
	static const int w[] = { 28, 9, 9, 9, 9, 9, 9 };
	struct board_row	*rows;
	const char		*head[7];
	char			 num[6][16];
	size_t			 n, i, k;
	int			 y, x;

	head[0] = c->board == BOARD_AGENCY ? _("agency") : _("township");
	head[1] = _("open");
	head[2] = _("overdue");
	head[3] = c->board == BOARD_AGENCY ? _("waiting") : _("to assign");
	head[4] = _("disputed");
	head[5] = _("returns");
	head[6] = _("reworks");
	for (k = 0, x = 0; k < 7; x += w[k++])
		put(1, x, k == 6 ? COLS - x : w[k], ROLE_DIM, head[k]);
	rows = board_rows(c, &n);
	for (i = 0, y = 2; y < LINES - 2; i++, y++) {
		if (rows == NULL || i >= n) {
			put(y, 0, COLS, ROLE_NORMAL, "");
			continue;
		}
		snprintf(num[0], sizeof num[0], "%zu", rows[i].open);
		snprintf(num[1], sizeof num[1], "%zu", rows[i].overdue);
		snprintf(num[2], sizeof num[2], "%zu", rows[i].waiting);
		snprintf(num[3], sizeof num[3], "%zu", rows[i].disputed);
		snprintf(num[4], sizeof num[4], "%zu", rows[i].returns);
		snprintf(num[5], sizeof num[5], "%zu", rows[i].reworks);
		put(y, 0, w[0], rows[i].overdue ? ROLE_OVERDUE :
		    rows[i].disputed ? ROLE_DISPUTED : ROLE_NORMAL,
		    rows[i].name);
		for (k = 1, x = w[0]; k < 7; x += w[k++])
			put(y, x, k == 6 ? COLS - x : w[k], ROLE_NORMAL,
			    num[k - 1]);
	}
	free(rows);
}

/* --- the case view --------------------------------------------------------- */

struct pane {
	int	y, x, rows, cols, line;
};

static void
pane_line(struct pane *p, int role, const char *s)
{
	if (p->line < p->rows)
		put(p->y + p->line, p->x, p->cols, role, s);
	p->line++;
}

/* Wrap s over as many lines as it needs. */
static void
pane_wrap(struct pane *p, int role, const char *prefix, const char *s)
{
	char	buf[1024], line[1200];
	size_t	off = 0, len = s != NULL ? strlen(s) : 0, n;
	int	pw = width_cols(prefix, strlen(prefix));

	do {
		n = width_prefix(s + off, len - off, p->cols - pw);
		width_fit(s + off, n, p->cols - pw, 0, buf, sizeof buf, NULL);
		snprintf(line, sizeof line, "%s%s", off == 0 ? prefix : "",
		    buf);
		if (off > 0)
			snprintf(line, sizeof line, "%*s%s", pw, "", buf);
		pane_line(p, role, line);
		off += n;
	} while (n > 0 && off < len && p->line < p->rows);
}

static const char *
js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static void
draw_history(struct pane *p, json_t *hist)
{
	json_t	*e;
	size_t	 i;
	char	 line[1024];

	pane_line(p, ROLE_DIM, _("History"));
	json_array_foreach(hist, i, e) {
		enum case_action a = CA_REPORT;

		case_action_parse(js(e, "action"), &a);
		snprintf(line, sizeof line, "%.5s %.5s %s %s %s %s",
		    js(e, "at") + 5, js(e, "at") + 11, js(e, "actor"),
		    case_action_zh(a), js(e, "agency"), js(e, "reason"));
		pane_line(p, ROLE_NORMAL, line);
	}
}

static void
draw_detail(struct console *c, struct pane *p)
{
	json_t		*k = json_object_get(c->case_json, "case");
	json_t		*route = json_object_get(k, "route");
	enum case_state	 st = CS_REPORTED;
	char		 line[1024];
	int		 y;

	for (y = 0; y < p->rows; y++)
		put(p->y + y, p->x, p->cols, ROLE_NORMAL, "");
	if (k == NULL) {
		pane_line(p, ROLE_DIM, _("loading the case..."));
		return;
	}
	case_state_parse(js(k, "state"), &st);
	snprintf(line, sizeof line, "%s  %s  v%lld", js(k, "no"),
	    case_state_zh(st), (long long)json_integer_value(json_object_get(k,
	    "version")));
	pane_line(p, ROLE_BAR, line);
	snprintf(line, sizeof line, "%s %s / %s", _("Matter:"),
	    js(k, "category_name"), js(k, "platform"));
	pane_line(p, ROLE_NORMAL, line);
	snprintf(line, sizeof line, "%s %s %s %s", _("Place:"),
	    js(k, "district_name"), js(k, "township_name"), js(k, "grid"));
	pane_line(p, ROLE_NORMAL, line);
	snprintf(line, sizeof line, "%s %.16s  %s %.16s", _("Reported:"),
	    js(k, "reported_at"), _("Due:"), js(k, "due_at"));
	pane_line(p, ROLE_NORMAL, line);
	snprintf(line, sizeof line, "%s %s %s", _("Agency:"),
	    js(k, "agency_name"), js(k, "agency"));
	pane_line(p, ROLE_NORMAL, line);
	snprintf(line, sizeof line, "%s %s (%s)", _("Suggested lead:"),
	    js(route, "lead_name"), js(route, "lead"));
	pane_line(p, ROLE_NEW, line);
	pane_wrap(p, ROLE_DIM, _("  because "), js(route, "reason"));
	if (json_is_string(json_object_get(k, "duplicate_of"))) {
		snprintf(line, sizeof line, "%s %s", _("Possible duplicate of"),
		    js(k, "duplicate_of"));
		pane_line(p, ROLE_DUE_SOON, line);
	}
	if (json_is_true(json_object_get(k, "disputed"))) {
		snprintf(line, sizeof line, _("Disputed: returned %lld times"),
		    (long long)json_integer_value(json_object_get(k,
		    "returns")));
		pane_line(p, ROLE_DISPUTED, line);
		pane_line(p, ROLE_DISPUTED, _("  buck-passing: e escalates it "
		    "to the township's unified command"));
	}
	pane_wrap(p, ROLE_NORMAL, _("Summary: "), js(k, "summary"));
	draw_history(p, json_object_get(c->case_json, "history"));
}

static void
draw_help(struct console *c)
{
	const char	*l;
	size_t		 i;
	int		 y;

	put(1, 0, COLS, ROLE_BAR, _(" keys (any key closes this help)"));
	for (i = 0, y = 2; y < LINES - 1; i++, y++) {
		l = cmd_help_line(c, i);
		put(y, 1, COLS - 1, ROLE_NORMAL, l != NULL ? l : "");
	}
}

static void
draw_bottom(struct console *c)
{
	char	buf[1100], mb[1024];
	size_t	n;

	if (c->mode == MODE_PROMPT) {
		n = wcstombs(mb, c->prompt, sizeof mb - 1);
		mb[n == (size_t)-1 ? 0 : n] = '\0';
		snprintf(buf, sizeof buf, "%lc%s", (wint_t)c->prompt_kind, mb);
		put(LINES - 1, 0, COLS, ROLE_NORMAL, buf);
		curs_set(1);
		move(LINES - 1, width_cols(buf, strlen(buf)) < COLS ?
		    width_cols(buf, strlen(buf)) : COLS - 1);
		return;
	}
	curs_set(0);
	put(LINES - 1, 0, COLS, c->msg_role, c->msg);
}

void
draw_all(struct console *c)
{
	int		 wide = COLS >= WIDE_COLS, y;
	struct pane	 p;

	if (LINES < 5 || COLS < 20) {
		erase();
		put(0, 0, COLS, ROLE_ERROR, _("terminal too small"));
		refresh();
		return;
	}
	draw_bar(c);
	if (c->mode == MODE_HELP)
		draw_help(c);
	else if (c->board != BOARD_NONE)
		draw_board(c);
	else if (c->detail && !wide) {
		p = (struct pane){ 1, 0, LINES - 2, COLS, 0 };
		draw_detail(c, &p);
	} else {
		draw_queue(c, c->detail ? COLS - DETAIL_COLS - 1 : COLS);
		if (c->detail) {
			for (y = 1; y < LINES - 2; y++)	/* the seam */
				put(y, COLS - DETAIL_COLS - 1, 1, ROLE_DIM,
				    "|");
			p = (struct pane){ 1, COLS - DETAIL_COLS, LINES - 2,
			    DETAIL_COLS, 0 };
			draw_detail(c, &p);
		}
	}
	if (c->mode == MODE_PROMPT)	/* completions, errors */
		put(LINES - 2, 0, COLS, c->msg_role, c->msg);
	else
		put(LINES - 2, 0, COLS, ROLE_DIM, _(" ?:help  Enter:case  "
		    "r:register  d:dispatch  ::command  /:search  q:quit"));
	draw_bottom(c);
	refresh();
}
