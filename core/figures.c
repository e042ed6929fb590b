/*
 * figures.c: evaluation figures from the event log (see figures.h and
 * docs/REPORTS.md for what each one means).
 *
 * One pass over the log: every event before `to` of the cases the period
 * can concern (FIG_SQL_SOME), case by case in seq order (the events_case
 * index), each case's rows read together with the
 * case's fixed attributes (township, district, category). Events in the
 * period are counted into the group of the event as they pass; what
 * depends on the case as it stands at `to` (received, due, closed on
 * time) is decided when its last row has passed. The deadline in force
 * and the agency holding the case are followed through the "changes"
 * each event records (core/store-case.c act_detail), read with SQLite's
 * json_extract, so a past period is seen as it was, not as the case row
 * says today.
 *
 * Rejected: one SQL aggregate per figure (a dozen scans of the log, and
 * the deadline as of `to` cannot be had from the cases row once a case
 * moved on); reading the cases row for the state at `to` (wrong for any
 * period but the present one).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "figures.h"
#include "jscan.h"
#include "rating.h"
#include "store-int.h"
#include "strmap.h"

#define FIG_PROGRESS_EVERY	65536	/* rows between progress calls */

struct figures {
	struct figures_group	**g;	/* sorted by key once computed */
	size_t			  n, cap;
	struct strmap		 *map;	/* key -> group */
	struct figures_group	  total;
	int			  oom;	/* a ratings callback ran out */
};

/* A case as the pass follows it. */
struct fig_case {
	int64_t		 id;
	char		 township[16], district[8], category[8];
	char		 reporter_op[64];	/* actor of its report */
	char		 agency[64];		/* holding it, "" none */
	char		 dispatcher[64];	/* actor of its last dispatch */
	time_t		 report_at;		/* 0: no report row */
	time_t		 dispatch_at;		/* last dispatch or rework */
	time_t		 feedback_at;		/* last feedback */
	time_t		 due_at, paused_at;
	int		 dispatched_once;
	int		 returns;
	enum case_state	 state;
};

/* One row of the pass's query. */
struct fig_row {
	int64_t		 case_id;
	time_t		 at;
	const char	*actor, *action, *agency, *code, *to_state;
	int		 has_due, has_paused, has_agency;
	time_t		 due, paused;
	const char	*new_agency;	/* NULL: none, else agency_buf */
	char		 agency_buf[64];
};

static const char *const figures_by_names[] = {
#define FB_NAME(e, name) name,
	FIGURES_BY_LIST(FB_NAME)
#undef FB_NAME
};

const char *
figures_by_name(enum figures_by b)
{
	return (unsigned)b < FB__COUNT ? figures_by_names[b] : "?";
}

int
figures_by_parse(const char *s, enum figures_by *out)
{
	int	i;

	for (i = 0; i < FB__COUNT; i++)
		if (strcmp(s, figures_by_names[i]) == 0) {
			*out = (enum figures_by)i;
			return 0;
		}
	return GL_EINVAL;
}

static int
fig_times_add(struct figures_times *t, long v)
{
	long	*p;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		if ((p = realloc(t->v, t->cap * sizeof *p)) == NULL)
			return GL_ENOMEM;
		t->v = p;
	}
	t->v[t->n++] = v;
	return 0;
}

static int
fig_times_cmp(const void *a, const void *b)
{
	long	x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static int
fig_times_merge(struct figures_times *dst, const struct figures_times *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		if (fig_times_add(dst, src->v[i]) != 0)
			return GL_ENOMEM;
	return 0;
}

/* The group of key, made when new; NULL when out of memory. */
static struct figures_group *
fig_group(struct figures *f, const char *key)
{
	struct figures_group	*g, **p;

	if ((g = strmap_get(f->map, key)) != NULL)
		return g;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		if ((p = realloc(f->g, f->cap * sizeof *p)) == NULL)
			return NULL;
		f->g = p;
	}
	if ((g = calloc(1, sizeof *g)) == NULL)
		return NULL;
	snprintf(g->key, sizeof g->key, "%s", key);
	if (strmap_put(f->map, g->key, g, NULL) != 0) {
		free(g);
		return NULL;
	}
	f->g[f->n++] = g;
	return g;
}

/* The key of case c under the query's grouping; actor and agency are
 * the event's (for operator and agency), NULL for the case at `to`. */
static const char *
fig_key(const struct figures_query *q, const struct fig_case *c,
    const char *actor, const char *agency)
{
	const struct category	*cat;

	switch (q->by) {
	case FB_AGENCY:
		return agency != NULL ? agency : "";
	case FB_TOWNSHIP:
		return c->township;
	case FB_DISTRICT:
		return c->district;
	case FB_CATEGORY:
		return c->category;
	case FB_PLATFORM:
		cat = q->rd != NULL ? refdata_category(q->rd, c->category) :
		    NULL;
		return cat != NULL ? platform_name(cat->platform) : "";
	case FB_OPERATOR:
	default:
		return actor != NULL ? actor : "";
	}
}

static long
fig_work(const struct figures_query *q, time_t from, time_t to)
{
	return calendar_work_seconds(q->cal, from, to);
}

/* Count one event of the period into its group. */
static int
fig_event(struct figures *f, const struct figures_query *q,
    struct fig_case *c, const struct fig_row *r, enum case_action a)
{
	struct figures_group	*g;
	enum return_reason	 rr;
	enum callback_result	 cb;
	int			 rc = 0;

	g = fig_group(f, fig_key(q, c, r->actor, r->agency));
	if (g == NULL)
		return GL_ENOMEM;
	switch (a) {
	case CA_REGISTER: g->registered++; break;
	case CA_DISPATCH:
		g->dispatched++;
		if (!c->dispatched_once && c->report_at != 0)
			rc = fig_times_add(&g->to_dispatch, fig_work(q,
			    c->report_at, r->at));
		break;
	case CA_ACKNOWLEDGE:
		if (c->dispatch_at != 0)
			rc = fig_times_add(&g->ack, fig_work(q,
			    c->dispatch_at, r->at));
		break;
	case CA_RETURN:
		g->returns++;
		if (r->code != NULL && return_reason_parse(r->code, &rr) == 0)
			g->reasons[rr]++;
		if (c->returns + 1 == CASE_DISPUTED_RETURNS)
			g->disputes++;
		break;
	case CA_VERIFY: g->checks++; break;
	case CA_REWORK: g->checks++; g->reworks++; break;
	case CA_EXT_GRANT: g->extensions++; break;
	case CA_PRESS: g->presses++; break;
	case CA_VOID: g->voided++; break;
	case CA_MERGE: g->merged++; break;
	case CA_CALLBACK:	/* the result is the event's reason_code */
		if (r->code == NULL || callback_result_parse(r->code, &cb) != 0)
			break;
		g->callbacks++;
		g->cb[cb]++;
		g->cb_pleased += cb == CB_SATISFIED || cb == CB_BASIC;
		g->cb_reached += cb != CB_UNREACHABLE;
		break;
	case CA_CLOSE:
		g->closed++;
		if (c->report_at != 0)
			rc = fig_times_add(&g->to_close, fig_work(q,
			    c->report_at, r->at));
		break;
	default:
		break;
	}
	return rc;
}

/* Follow case c through one of its rows (in or before the period). */
static int
fig_step(struct figures *f, const struct figures_query *q,
    struct fig_case *c, const struct fig_row *r)
{
	enum case_action	a;
	enum case_state		s;
	int			rc = 0;

	if (case_action_parse(r->action, &a) != 0)
		return 0;	/* an action of a newer gridline */
	if (a == CA_REPORT) {
		c->report_at = r->at;
		snprintf(c->reporter_op, sizeof c->reporter_op, "%s",
		    r->actor ? r->actor : "");
	}
	if (r->at >= q->from)
		rc = fig_event(f, q, c, r, a);
	if (a == CA_DISPATCH) {
		c->dispatched_once = 1;
		c->dispatch_at = r->at;
		snprintf(c->dispatcher, sizeof c->dispatcher, "%s",
		    r->actor ? r->actor : "");
	} else if (a == CA_REWORK)
		c->dispatch_at = r->at;	/* the agency has it again */
	else if (a == CA_FEEDBACK)
		c->feedback_at = r->at;
	else if (a == CA_RETURN)
		c->returns++;
	if (r->has_agency)
		snprintf(c->agency, sizeof c->agency, "%s",
		    r->new_agency ? r->new_agency : "");
	if (r->has_due)
		c->due_at = r->due;
	if (r->has_paused)
		c->paused_at = r->paused;
	if (r->to_state != NULL && case_state_parse(r->to_state, &s) == 0)
		c->state = s;
	return rc;
}

/* What depends on case c as it stands at `to`: its last row passed. */
static int
fig_case_end(struct figures *f, const struct figures_query *q,
    const struct fig_case *c)
{
	struct figures_group	*g;
	const char		*ag = c->agency;

	if (c->id == 0)
		return 0;
	if (c->report_at >= q->from && c->report_at < q->to &&
	    c->state != CS_MERGED) {
		if ((g = fig_group(f, fig_key(q, c, c->reporter_op,
		    ag))) == NULL)
			return GL_ENOMEM;
		g->received++;
		if (c->state != CS_VOIDED) {
			g->cohort++;
			g->cohort_closed += c->state == CS_CLOSED;
		}
	}
	if (c->due_at >= q->from && c->due_at < q->to && c->due_at != 0 &&
	    c->paused_at == 0 && c->state != CS_MERGED &&
	    c->state != CS_VOIDED) {
		if ((g = fig_group(f, fig_key(q, c, c->dispatcher,
		    ag))) == NULL)
			return GL_ENOMEM;
		g->due++;
		g->provisional += calendar_provisional(q->cal, c->due_at);
		if (c->state == CS_CLOSED && c->feedback_at != 0 &&
		    c->feedback_at <= c->due_at)
			g->ontime++;
	}
	return 0;
}

static const char *
fig_col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* The after-value of one change [before, after] at a JT_ARR into r. */
static void
fig_change(struct jscan *j, const char *key, size_t n, struct fig_row *r)
{
	int	due = n == 6 && memcmp(key, "due_at", 6) == 0;
	int	paused = n == 9 && memcmp(key, "paused_at", 9) == 0;
	int	agency = n == 6 && memcmp(key, "agency", 6) == 0;

	if (!due && !paused && !agency) {
		jscan_skip(j);
		return;
	}
	if (jscan_next(j) == JT_ERROR || jscan_skip(j) != 0 ||
	    jscan_next(j) == JT_ERROR)	/* before, skipped; after */
		return;
	if (due) {
		r->has_due = 1;
		r->due = j->tok == JT_NUM && j->is_int ? (time_t)j->i : 0;
	} else if (paused) {
		r->has_paused = 1;
		r->paused = j->tok == JT_NUM && j->is_int ? (time_t)j->i : 0;
	} else {
		r->has_agency = 1;
		r->new_agency = NULL;
		if (j->tok == JT_STR && j->n < sizeof r->agency_buf) {
			memcpy(r->agency_buf, j->str, j->n);
			r->agency_buf[j->n] = '\0';
			r->new_agency = r->agency_buf;
		}
	}
	jscan_skip(j);			/* anything after the pair's two */
	while (j->tok != JT_ARR_END && j->tok != JT_ERROR &&
	    j->tok != JT_END)
		if (jscan_next(j) != JT_ARR_END)
			jscan_skip(j);
}

/* The members of a changes object (j at its JT_OBJ) into r. */
static void
fig_changes_obj(struct jscan *j, struct fig_row *r)
{
	char	key[16];
	size_t	n;

	while (jscan_next(j) == JT_KEY) {
		n = j->n < sizeof key ? j->n : sizeof key - 1;
		memcpy(key, j->str, n);		/* the arena moves on */
		if (jscan_next(j) == JT_ERROR)
			return;
		if (j->tok == JT_ARR)
			fig_change(j, key, n, r);
		else
			jscan_skip(j);
	}
}

/* An event's detail (its JSON text, or NULL) into r's changes. */
static void
fig_changes(const char *text, int len, struct fig_row *r)
{
	struct jscan	j;

	r->has_due = r->has_paused = r->has_agency = 0;
	r->new_agency = NULL;
	if (text == NULL || strstr(text, "\"changes\"") == NULL)
		return;
	jscan_init(&j, text, (size_t)len);
	if (jscan_next(&j) == JT_OBJ)
		while (jscan_next(&j) == JT_KEY) {
			int changes = j.n == 7 && memcmp(j.str, "changes",
			    7) == 0;

			if (jscan_next(&j) == JT_ERROR)
				break;
			if (changes && j.tok == JT_OBJ)
				fig_changes_obj(&j, r);
			else
				jscan_skip(&j);
		}
	jscan_free(&j);
}

static void
fig_row_read(sqlite3_stmt *s, struct fig_row *r)
{
	r->case_id = sqlite3_column_int64(s, 0);
	r->at = (time_t)sqlite3_column_int64(s, 1);
	r->actor = fig_col(s, 2);
	r->action = fig_col(s, 3);
	r->agency = fig_col(s, 4);
	r->code = fig_col(s, 5);
	r->to_state = fig_col(s, 6);
	fig_changes(fig_col(s, 7), sqlite3_column_bytes(s, 7), r);
}

/* The changes an event made are read from its detail in C, one pass of
 * core/jscan over the text (fig_changes), and only where the detail names
 * them: parsing every event's detail was four fifths of the pass, most
 * events change only the state and the version, and six SQLite JSON calls
 * a row (a type and an extract for each of due_at, paused_at, agency)
 * parsed a detail up to twelve times. A detail that is not JSON (a file
 * edited by hand) is read as one without changes. */
#define FIG_SQL_HEAD							\
	"SELECT e.case_id, e.at, e.actor, e.action, e.agency,"		\
	" e.reason_code, e.to_state,"					\
	" e.detail,"							\
	" c.township, c.district, c.category"				\
	" FROM events e JOIN cases c ON c.id = e.case_id WHERE e.at < ?1"

/* Every case of the log. */
#define FIG_SQL_ALL	FIG_SQL_HEAD " ORDER BY e.case_id, e.seq"

/* Only the cases the period can concern: those with an event at or after
 * `from` (an action in the period, a report in it, or a later change of
 * what the case was at `to`), and those whose deadline now falls in the
 * period. A case with neither is at `to` what its row says now, and its
 * row's deadline is outside the period: it adds nothing to any figure.
 * Both sets come from an index (events_at, cases_due: schema step 12),
 * so a week of a year's log reads about a fiftieth of it. */
#define FIG_SQL_SOME	FIG_SQL_HEAD " AND e.case_id IN"		\
	" (SELECT case_id FROM events WHERE at >= ?2"			\
	" UNION SELECT id FROM cases WHERE due_at >= ?2 AND due_at < ?1)" \
	" ORDER BY e.case_id, e.seq"

/* 1 when the log has events before from: then only some cases matter. */
static int
fig_older(struct store *st, time_t from)
{
	sqlite3_stmt	*s;
	int		 older = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM events WHERE at < ?1"
	    " LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)from);
	older = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return older;
}

static void
fig_case_start(struct fig_case *c, sqlite3_stmt *s, int64_t id)
{
	memset(c, 0, sizeof *c);
	c->id = id;
	snprintf(c->township, sizeof c->township, "%s",
	    fig_col(s, 8) ? fig_col(s, 8) : "");
	snprintf(c->district, sizeof c->district, "%s",
	    fig_col(s, 9) ? fig_col(s, 9) : "");
	snprintf(c->category, sizeof c->category, "%s",
	    fig_col(s, 10) ? fig_col(s, 10) : "");
	c->state = CS_REPORTED;
}

/* The pass over the log. */
static int
fig_scan(struct store *st, const struct figures_query *q, struct figures *f,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	struct fig_case	 c;
	struct fig_row	 r;
	int64_t		 rows = 0, total = 0;
	int		 rc;

	if (q->progress != NULL)
		total = store_last_seq(st);
	rc = sqlite3_prepare_v2(st->db, fig_older(st, q->from) ?
	    FIG_SQL_SOME : FIG_SQL_ALL, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "figures", err, errlen);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)q->to);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)q->from);
	memset(&c, 0, sizeof c);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		fig_row_read(s, &r);
		if (r.case_id != c.id) {
			if ((rc = fig_case_end(f, q, &c)) != 0)
				goto oom;
			fig_case_start(&c, s, r.case_id);
		}
		if ((rc = fig_step(f, q, &c, &r)) != 0)
			goto oom;
		if (q->progress != NULL && ++rows % FIG_PROGRESS_EVERY == 0)
			q->progress(q->progress_arg, rows, total);
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, rc, "figures", err, errlen);
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	if ((rc = fig_case_end(f, q, &c)) != 0)
		return gl_err(err, errlen, rc, "figures: out of memory");
	return 0;
oom:
	sqlite3_finalize(s);
	return gl_err(err, errlen, rc, "figures: out of memory");
}

/* A rating into its unit's group (--by agency). */
static int
fig_rating(void *arg, const struct store_rating *r)
{
	struct figures		*f = arg;
	struct figures_group	*g = fig_group(f, r->agency);

	if (g == NULL) {
		f->oom = 1;
		return -1;
	}
	g->rating_sum += r->score;
	g->ratings++;
	return 0;
}

/* The ratings of the months the period touches: from the month of
 * `from` to the month of the period's last second, local time. */
static int
fig_ratings(struct store *st, const struct figures_query *q,
    struct figures *f, char *err, size_t errlen)
{
	char	from[8], to[8];
	int	rc;

	if (q->to <= q->from)
		return 0;
	rating_month_of(q->from, st->offset, from);
	rating_month_of(q->to - 1, st->offset, to);
	rc = store_rating_range(st, from, to, fig_rating, f, err, errlen);
	if (rc == 0 && f->oom)
		rc = gl_err(err, errlen, GL_ENOMEM, "figures: out of memory");
	return rc;
}

static int
fig_group_cmp(const void *a, const void *b)
{
	const struct figures_group *x = *(const struct figures_group *const *)a;
	const struct figures_group *y = *(const struct figures_group *const *)b;

	return strcmp(x->key, y->key);
}

#define FIG_SUM(f)	t->f += g->f

/* Add g into the total t. */
static int
fig_add(struct figures_group *t, const struct figures_group *g)
{
	int	i;

	FIG_SUM(received); FIG_SUM(cohort); FIG_SUM(cohort_closed);
	FIG_SUM(registered); FIG_SUM(dispatched); FIG_SUM(closed);
	FIG_SUM(voided); FIG_SUM(merged); FIG_SUM(due); FIG_SUM(ontime);
	FIG_SUM(provisional);
	FIG_SUM(returns); FIG_SUM(checks); FIG_SUM(reworks);
	FIG_SUM(extensions); FIG_SUM(presses); FIG_SUM(disputes);
	FIG_SUM(callbacks); FIG_SUM(cb_pleased); FIG_SUM(cb_reached);
	FIG_SUM(rating_sum); FIG_SUM(ratings);
	for (i = 0; i < RR__COUNT; i++)
		FIG_SUM(reasons[i]);
	for (i = 0; i < CB__COUNT; i++)
		FIG_SUM(cb[i]);
	if (fig_times_merge(&t->ack, &g->ack) != 0 ||
	    fig_times_merge(&t->to_dispatch, &g->to_dispatch) != 0 ||
	    fig_times_merge(&t->to_close, &g->to_close) != 0)
		return GL_ENOMEM;
	return 0;
}

static void
fig_sort(struct figures_group *g)
{
	struct figures_times	*t[] = { &g->ack, &g->to_dispatch,
				    &g->to_close };
	size_t			 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i]->n > 1)
			qsort(t[i]->v, t[i]->n, sizeof *t[i]->v,
			    fig_times_cmp);
}

int
figures_compute(struct store *st, const struct figures_query *q,
    struct figures **out, char *err, size_t errlen)
{
	struct figures	*f;
	size_t		 i;
	int		 rc;

	assert(st != NULL && q != NULL && q->cal != NULL && out != NULL);
	*out = NULL;
	if ((f = calloc(1, sizeof *f)) == NULL ||
	    (f->map = strmap_new()) == NULL) {
		free(f);
		return gl_err(err, errlen, GL_ENOMEM, "figures: out of memory");
	}
	if ((rc = fig_scan(st, q, f, err, errlen)) != 0 ||
	    (q->by == FB_AGENCY && (rc = fig_ratings(st, q, f, err,
	    errlen)) != 0)) {
		figures_free(f);
		return rc;
	}
	qsort(f->g, f->n, sizeof *f->g, fig_group_cmp);
	for (i = 0; i < f->n; i++) {
		if (fig_add(&f->total, f->g[i]) != 0) {
			figures_free(f);
			return gl_err(err, errlen, GL_ENOMEM, "figures: out "
			    "of memory");
		}
		fig_sort(f->g[i]);
	}
	fig_sort(&f->total);
	*out = f;
	return 0;
}

static void
fig_group_clear(struct figures_group *g)
{
	free(g->ack.v);
	free(g->to_dispatch.v);
	free(g->to_close.v);
}

void
figures_free(struct figures *f)
{
	size_t	i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		fig_group_clear(f->g[i]);
		free(f->g[i]);
	}
	fig_group_clear(&f->total);
	free(f->g);
	strmap_free(f->map);
	free(f);
}

size_t
figures_count(const struct figures *f)
{
	return f->n;
}

const struct figures_group *
figures_at(const struct figures *f, size_t i)
{
	assert(i < f->n);
	return f->g[i];
}

const struct figures_group *
figures_total(const struct figures *f)
{
	return &f->total;
}

int
figures_rate(long num, long den, long min, double *pct)
{
	*pct = 0;
	if (den <= 0)
		return 1;
	if (den < min)
		return 2;
	*pct = 100.0 * (double)num / (double)den;
	return 0;
}

int
figures_pct(const struct figures_times *t, int p, long min, long *out)
{
	size_t	rank;

	assert(p >= 1 && p <= 100);
	*out = 0;
	if (t->n == 0)
		return 1;
	if ((long)t->n < min)
		return 2;
	rank = ((size_t)p * t->n + 99) / 100;	/* ceil(p/100 * n) */
	*out = t->v[rank - 1];
	return 0;
}
