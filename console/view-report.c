/*
 * view-report.c: the report view (issue 14, "where people see them"): the
 * evaluation figures of today, this week or this month, by agency or by
 * township, ranked by closure rate (结案率) with a horizontal bar each,
 * the on-time rate (按期结案率) and the returns beside it. Enter (or a
 * click) on a row opens the queue filtered to it, as on the boards.
 *
 * The figures are the server's (the control op `report`, computed by
 * core/figures.c on its read lane): the console holds only the open cases,
 * and the figures need the log. The period is counted on the server's
 * clock (console_time), so a training server's "today" is its own.
 *
 * Live, without flooding: a change of any case marks the figures stale;
 * a stale view asks again at once when its last request went out a second
 * ago or more and none is out, else at the next tick of the console's
 * one-second clock. So the server sees at most one report a second from a
 * console, however fast incidents arrive, and one in 30 s when nothing
 * changes (a day that ends, deadlines that pass).
 *
 * Bars are in eighths of a column (U+258F..U+2588), or '#' in whole
 * columns when the terminal's locale is not UTF-8 (console_opts.ascii).
 * A rate whose base is under the server's minimum shows as "too few",
 * never as a bar of 0% or 100%; a rate over nothing as "-". The rows are
 * sorted once a reply comes, not at each frame; a frame only lays them
 * out (by display width: Chinese names are two columns a character).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "gltime.h"
#include "req.h"
#include "screen.h"
#include "view.h"
#include "width.h"

#define REPORT_MIN_MS		1000	/* at most one request a second */
#define REPORT_IDLE_MS		30000	/* and one in 30 s when idle */

struct rrow {
	json_t		*g;		/* the group (borrowed from rep) */
	const char	*key, *name;
	double		 rate;		/* closure rate, -1 none */
};

struct reportv {
	enum report_period period;
	enum board	 kind;
	json_t		*rep;		/* the last good reply */
	struct rrow	*rows;
	size_t		 n;
	long		 sel;
	size_t		 top;
	char		 sel_key[64];	/* the selected row, kept by key */
	int		 out;		/* a request is out */
	int		 stale;		/* a case changed since it went */
	uint64_t	 asked_ms;	/* when the last one went */
	long		 reply_us;	/* its round trip */
	long		 draw_us;	/* the last draw */
	int		 fresh;		/* a reply not yet traced */
	char		 title[160];
};

static const char *const report_period_names[] = { "today", "week",
	"month" };

/* The dates of p on the server's clock into from and to (YYYY-MM-DD,
 * [from, to)). */
static void
report_dates(struct console *c, enum report_period p, char *from,
    char *to, size_t len)
{
	time_t	day = gltime_day_start(console_time(c), GLTIME_CHINA);
	long	days = (long)((day + GLTIME_CHINA) / 86400), first, y;
	int	m, d;

	gltime_civil_from_days(days, &y, &m, &d);
	if (p == REPORT_WEEK)		/* 1970-01-01 was a Thursday */
		first = days - (days + 3) % 7;
	else if (p == REPORT_MONTH)
		first = gltime_days_from_civil(y, m, 1);
	else
		first = days;
	gltime_civil_from_days(first, &y, &m, &d);
	snprintf(from, len, "%04ld-%02d-%02d", y, m, d);
	gltime_civil_from_days(days + 1, &y, &m, &d);
	snprintf(to, len, "%04ld-%02d-%02d", y, m, d);
}

/* Best closure rate first; unrated rows after, most received first. */
static int
report_cmp(const void *x, const void *y)
{
	const struct rrow *a = x, *b = y;
	json_int_t	 ra, rb;

	if (a->rate != b->rate)
		return a->rate < b->rate ? 1 : -1;
	ra = json_integer_value(json_object_get(a->g, "received"));
	rb = json_integer_value(json_object_get(b->g, "received"));
	if (ra != rb)
		return ra < rb ? 1 : -1;
	return strcmp(a->key, b->key);
}

/* The rows of rep, sorted. */
static void
report_build(struct reportv *rv)
{
	json_t	*groups = json_object_get(rv->rep, "groups"), *g, *rate;
	size_t	 i;

	free(rv->rows);
	rv->n = 0;
	rv->rows = calloc(json_array_size(groups) + 1, sizeof *rv->rows);
	if (rv->rows == NULL)
		return;
	json_array_foreach(groups, i, g) {
		struct rrow *r = &rv->rows[rv->n++];

		r->g = g;
		r->key = json_string_value(json_object_get(g, "key"));
		r->name = json_string_value(json_object_get(g, "name"));
		if (r->key == NULL)
			r->key = "";
		if (r->key[0] == '\0' || r->name == NULL)
			r->name = r->key[0] == '\0' ? _("(none)") : r->key;
		rate = json_object_get(g, "closure_rate");
		r->rate = json_is_number(rate) ? json_number_value(rate) : -1;
	}
	qsort(rv->rows, rv->n, sizeof *rv->rows, report_cmp);
}

static void report_ask(struct view *v, struct console *c);
static const char *report_title(struct view *v, struct console *c);

static void
report_reply(struct console *c, void *arg, json_t *rep, const char *err)
{
	struct view	*v = console_view(c, (uint64_t)(uintptr_t)arg);
	struct reportv	*rv;
	char		 words[512];

	if (v == NULL)			/* closed meanwhile */
		return;
	rv = v->data;
	rv->out = 0;
	rv->reply_us = (long)(console_now_ms() - rv->asked_ms) * 1000;
	if (rep != NULL && json_is_true(json_object_get(rep, "ok"))) {
		json_decref(rv->rep);
		rv->rep = json_incref(rep);
		report_build(rv);
		rv->fresh = 1;
	} else if (rep != NULL) {
		word_refusal(json_object_get(rep, "error"), words,
		    sizeof words);
		console_message(c, ROLE_ERROR, "%s: %s", _("report"), words);
	} else
		console_message(c, ROLE_ERROR, _("no answer: %s"), err);
	c->dirty = 1;
}

static void
report_ask(struct view *v, struct console *c)
{
	struct reportv	*rv = v->data;
	char		 from[16], to[16];
	json_t		*req;

	report_dates(c, rv->period, from, to, sizeof from);
	req = req_report(from, to, rv->kind == BOARD_AGENCY ? "agency" :
	    "township");
	if (req == NULL)
		return;
	rv->out = 1;
	rv->stale = 0;
	rv->asked_ms = console_now_ms();
	console_request(c, req, report_reply, (void *)(uintptr_t)v->id);
}

/* Ask when the last request is answered and a second old. */
static void
report_maybe_ask(struct view *v, struct console *c)
{
	struct reportv	*rv = v->data;

	if (!rv->out && console_now_ms() - rv->asked_ms >= REPORT_MIN_MS)
		report_ask(v, c);
}

static void
report_enter(struct view *v, struct console *c)
{
	report_ask(v, c);
}

static void
report_changed(struct view *v, struct console *c, const char *no)
{
	(void)no;
	((struct reportv *)v->data)->stale = 1;
	report_maybe_ask(v, c);
}

static void
report_tick(struct view *v, struct console *c)
{
	struct reportv	*rv = v->data;

	if (rv->stale || console_now_ms() - rv->asked_ms >= REPORT_IDLE_MS)
		report_maybe_ask(v, c);
}

/* A bar of rate percent in cols columns: eighths, or '#'. */
static void
report_bar(double rate, int cols, int ascii, char *buf, size_t len)
{
	static const char *const part[] = { "", "▏", "▎", "▍", "▌", "▋",
		"▊", "▉" };
	long	eighths = (long)(rate / 100.0 * cols * 8 + 0.5), i;
	size_t	at = 0;

	if (ascii)
		eighths = (eighths + 4) / 8 * 8;	/* whole columns */
	for (i = 0; i < eighths / 8 && at + 4 < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s", ascii ? "#" :
		    "█");
	if (at + 4 < len)
		snprintf(buf + at, len - at, "%s", part[eighths % 8]);
	else
		buf[at] = '\0';
}

/* A rate's text: "57.1%", "too few" or "-". */
static const char *
report_rate(json_t *g, const char *key, char *buf, size_t len)
{
	char	 few[64];
	json_t	*v = json_object_get(g, key);

	snprintf(few, sizeof few, "%s_too_few", key);
	if (json_is_number(v)) {
		snprintf(buf, len, "%.1f%%", json_number_value(v));
		return buf;
	}
	return json_is_true(json_object_get(g, few)) ? _("too few") : "-";
}

/* The columns: name, received, closed, the bar, closure, on-time,
 * returns. */
struct rcols {
	int	name, num, bar, pct, ontime, ret;
};

static void
report_widths(const struct reportv *rv, int cols, struct rcols *w)
{
	size_t	i;
	int	nw;

	w->name = width_cols(_("total"), strlen(_("total")));
	for (i = 0; i < rv->n; i++)
		if ((nw = width_cols(rv->rows[i].name,
		    strlen(rv->rows[i].name))) > w->name)
			w->name = nw;
	w->name = (w->name > 26 ? 26 : w->name < 8 ? 8 : w->name) + 1;
	w->num = width_cols(_("received"), strlen(_("received")));
	if ((nw = width_cols(_("closed"), strlen(_("closed")))) > w->num)
		w->num = nw;
	w->num = (w->num < 6 ? 6 : w->num) + 1;
	w->pct = 8;
	w->ontime = 9;
	w->ret = 8;
	w->bar = cols - w->name - 2 * w->num - w->pct - w->ontime - w->ret - 1;
	if (w->bar > 40)
		w->bar = 40;
	if (w->bar < 4)
		w->bar = 4;
}

static void
report_head(const struct view_rect *r, const struct rcols *w)
{
	int	x = r->x;

	screen_put(r->y, x, w->name, ROLE_DIM, _("group"));
	x += w->name;
	screen_put_right(r->y, x, w->num - 1, ROLE_DIM, _("received"));
	screen_put(r->y, x + w->num - 1, 1, ROLE_DIM, " ");
	x += w->num;
	screen_put_right(r->y, x, w->num - 1, ROLE_DIM, _("closed"));
	screen_put(r->y, x + w->num - 1, 1, ROLE_DIM, " ");
	x += w->num;
	screen_put(r->y, x, w->bar + 1, ROLE_DIM, _("closure rate"));
	x += w->bar + 1;
	screen_put(r->y, x, w->pct, ROLE_DIM, "");
	x += w->pct;
	screen_put_right(r->y, x, w->ontime - 1, ROLE_DIM, _("on-time"));
	screen_put(r->y, x + w->ontime - 1, 1, ROLE_DIM, " ");
	x += w->ontime;
	screen_put_right(r->y, x, r->x + r->cols - x, ROLE_DIM,
	    _("returns"));
}

static void
report_line(struct console *c, const struct view_rect *r, int y,
    const struct rcols *w, const char *name, json_t *g, int selected)
{
	char	 num[32], bar[256], pct[32];
	int	 role = selected ? ROLE_SELECTED : ROLE_NORMAL, x = r->x;
	json_t	*rate = json_object_get(g, "closure_rate");
	const char *txt;

	screen_put(y, x, w->name, role, name);
	x += w->name;
	snprintf(num, sizeof num, "%lld ", (long long)json_integer_value(
	    json_object_get(g, "received")));
	screen_put_right(y, x, w->num, role, num);
	x += w->num;
	snprintf(num, sizeof num, "%lld ", (long long)json_integer_value(
	    json_object_get(g, "closed")));
	screen_put_right(y, x, w->num, role, num);
	x += w->num;
	txt = report_rate(g, "closure_rate", pct, sizeof pct);
	if (json_is_number(rate)) {
		report_bar(json_number_value(rate), w->bar, c->opts.ascii,
		    bar, sizeof bar);
		screen_put(y, x, w->bar + 1, role, bar);
		screen_put_right(y, x + w->bar + 1, w->pct, role, txt);
	} else {	/* too few, or nothing to rate: no bar at all */
		screen_put(y, x, w->bar + 1, selected ? role : ROLE_DIM, txt);
		screen_put(y, x + w->bar + 1, w->pct, role, "");
	}
	x += w->bar + 1 + w->pct;
	screen_put_right(y, x, w->ontime, role, report_rate(g,
	    "on_time_rate", pct, sizeof pct));
	x += w->ontime;
	snprintf(num, sizeof num, "%lld", (long long)json_integer_value(
	    json_object_get(g, "returns")));
	screen_put_right(y, x, r->x + r->cols - x, role, num);
}

/* Keep the selection on the same key when the order changes. */
static void
report_settle(struct reportv *rv, int rows_in)
{
	size_t	i;

	for (i = 0; rv->sel_key[0] != '\0' && i < rv->n; i++)
		if (strcmp(rv->rows[i].key, rv->sel_key) == 0) {
			rv->sel = (long)i;
			break;
		}
	if (rv->sel >= (long)rv->n)
		rv->sel = rv->n > 0 ? (long)rv->n - 1 : 0;
	if (rv->n > 0)
		snprintf(rv->sel_key, sizeof rv->sel_key, "%s",
		    rv->rows[rv->sel].key);
	if ((size_t)rv->sel < rv->top)
		rv->top = (size_t)rv->sel;
	if (rows_in > 0 && (size_t)rv->sel >= rv->top + (size_t)rows_in)
		rv->top = (size_t)rv->sel - (size_t)rows_in + 1;
}

static void
report_draw(struct view *v, struct console *c, const struct view_rect *r)
{
	struct reportv	*rv = v->data;
	struct rcols	 w;
	struct timespec	 t0, t1;
	size_t		 i;
	struct view_rect hr = *r;
	int		 y, body = r->rows - 3;	/* title, head, total */

	clock_gettime(CLOCK_MONOTONIC, &t0);
	v->last_rows = body;
	report_widths(rv, r->cols, &w);
	screen_put(r->y, r->x, r->cols, ROLE_BAR, report_title(v, c));
	hr.y++;
	report_head(&hr, &w);
	report_settle(rv, body);
	for (y = 2; y < body + 2; y++) {
		i = rv->top + (size_t)y - 2;
		if (i < rv->n)
			report_line(c, r, r->y + y, &w, rv->rows[i].name,
			    rv->rows[i].g, (long)i == rv->sel);
		else
			screen_put(r->y + y, r->x, r->cols, ROLE_NORMAL,
			    i == 0 && y == 2 ? (rv->rep == NULL ?
			    _("asking the server...") : _("nothing in this "
			    "period")) : "");
	}
	if (rv->rep != NULL)
		report_line(c, r, r->y + r->rows - 1, &w, _("total"),
		    json_object_get(rv->rep, "total"), 0);
	else
		screen_put(r->y + r->rows - 1, r->x, r->cols, ROLE_NORMAL, "");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rv->draw_us = (long)((t1.tv_sec - t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000);
}

static int
report_key(struct view *v, struct console *c, struct view_key *k)
{
	struct reportv	*rv = v->data;
	enum view_move	 m = view_move_of(k->cmd);

	if (m == VM_NONE)
		return 0;
	report_settle(rv, 0);
	if (m == VM_OPEN) {
		if (rv->n > 0 && rv->rows[rv->sel].key[0] != '\0')
			view_queue_of(c, rv->rows[rv->sel].name);
		return 1;
	}
	rv->sel = view_move_pos(m, rv->sel, (long)rv->n, v->last_rows > 0 ?
	    v->last_rows : console_queue_rows(c));
	if (rv->n > 0)
		snprintf(rv->sel_key, sizeof rv->sel_key, "%s",
		    rv->rows[rv->sel].key);
	return 1;
}

static void
report_mouse(struct view *v, struct console *c, int row, int col,
    int button, char *run, size_t len)
{
	struct reportv	*rv = v->data;
	struct view_key	 k = { 0, 0, NULL, "" };

	(void)col, (void)run, (void)len;
	if (button == 4 || button == 5) {
		k.cmd = button == 5 ? "down" : "up";
		report_key(v, c, &k);
		return;
	}
	if (row < 2 || rv->top + (size_t)row - 2 >= rv->n)
		return;
	rv->sel = (long)(rv->top + (size_t)row - 2);
	snprintf(rv->sel_key, sizeof rv->sel_key, "%s",
	    rv->rows[rv->sel].key);
	k.cmd = "view";			/* a click drills in */
	report_key(v, c, &k);
}

static void
report_free(struct view *v)
{
	struct reportv	*rv = v->data;

	json_decref(rv->rep);
	free(rv->rows);
	free(rv);
}

static const char *
report_title(struct view *v, struct console *c)
{
	static const char *const periods[] = { N_("today"), N_("this week"),
		N_("this month") };
	struct reportv	*rv = v->data;
	char		 from[16], to[16];

	report_dates(c, rv->period, from, to, sizeof from);
	snprintf(rv->title, sizeof rv->title, rv->kind == BOARD_AGENCY ?
	    _("figures by agency, %s (from %s)") :
	    _("figures by township, %s (from %s)"), _(periods[rv->period]),
	    from);
	return rv->title;
}

static const struct view_ops report_ops = {
	.name = "report",
	.key = report_key,
	.draw = report_draw,
	.mouse = report_mouse,
	.changed = report_changed,
	.tick = report_tick,
	.enter = report_enter,
	.free = report_free,
	.title = report_title,
};

struct view *
view_report_new(enum report_period p, enum board kind)
{
	struct reportv	*rv = calloc(1, sizeof *rv);

	if (rv == NULL)
		return NULL;
	rv->period = p;
	rv->kind = kind;
	return view_new(&report_ops, rv);
}

int
view_report_is(struct view *v, enum report_period *p, enum board *kind)
{
	if (v == NULL || v->ops != &report_ops)
		return 0;
	*p = ((struct reportv *)v->data)->period;
	*kind = ((struct reportv *)v->data)->kind;
	return 1;
}

int
view_report_drawn(struct view *v, long *draw_us, long *reply_us)
{
	struct reportv	*rv;

	if (v == NULL || v->ops != &report_ops || !(rv = v->data)->fresh)
		return 0;
	rv->fresh = 0;
	*draw_us = rv->draw_us;
	*reply_us = rv->reply_us;
	return 1;
}

/* The name of a period for `report` (today, week, month); -1 none. */
int
view_report_period(const char *s)
{
	size_t	i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, report_period_names[i]) == 0)
			return (int)i;
	return -1;
}
