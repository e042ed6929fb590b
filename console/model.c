/*
 * model.c: the console's cases (see model.h).
 *
 * Cases live in a hash map from case number, an array of the open ones,
 * the same in queue order, and the view: those that pass the filter.
 * Events change a few cases at a time while the queue may hold 100,000, so
 * the order is not re-sorted for them: the changed cases are taken out,
 * sorted among themselves and merged back in, O(n + k log k) instead of
 * O(n log n) per frame. A full sort happens only when the sort key changes
 * or most cases changed; a new filter is one linear pass over the order. Each case knows its
 * place in the view (pos, valid for one view generation), so finding the
 * selected case is O(1), and the top bar's counts are kept until the model
 * changes or the clock moves a second.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "gltime.h"
#include "model.h"
#include "strmap.h"

/* A deadline that will make a case overdue (once the clock is past it:
 * case_overdue), as of one version of the case. */
struct due {
	time_t		 at;
	struct mcase	*c;
	int64_t		 version;
};

struct model {
	struct mcase	**v;		/* open cases */
	size_t		  n, cap;
	struct mcase	**sorted;	/* open cases in queue order */
	size_t		  nsorted, capsorted;
	struct mcase	**view;		/* the queue: sorted, filtered */
	size_t		  nview, capview;
	size_t		  filter_at;	/* sorted[] filtered up to here */
	model_keep_fn	  keep;
	void		 *keep_arg;
	struct strmap	 *map;		/* no -> mcase (all ever seen) */
	struct mcase	**all;		/* owned, to free */
	size_t		  nall, capall;
	int64_t		  seq;
	int		  dirty;	/* something changed */
	int		  resort;	/* the order must be rebuilt whole */
	enum model_sort	  by;		/* the order of sorted */
	struct mcase	**changed;	/* changed since the last sort */
	size_t		  nchanged, capchanged;
	uint64_t	  view_gen;
	struct model_counts counts;	/* as of counts_at, kept up to date
					   through changes */
	time_t		  counts_at;	/* 0: never counted */
	struct due	 *due;		/* min-heap of deadlines still to
					   pass after counts_at */
	size_t		  ndue, capdue;
	uint64_t	  gen;		/* bumped by every change */
	char		  reach_agency[64];	/* "" any: else only the cases
						   of this agency ... */
	char		  reach_township[64];	/* ... or of this township */
};

struct model *
model_new(void)
{
	struct model	*m = calloc(1, sizeof *m);

	if (m != NULL && (m->map = strmap_new()) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

static void
mcase_clear(struct mcase *c)
{
	free(c->township_name);
	free(c->category_name);
	free(c->summary);
	free(c->agency_name);
	free(c->route_lead);
	free(c->route_name);
	free(c->dup_of);
	free(c->agency);
	free(c->platform);
	free(c->township);
	free(c->ext_id);
	free(c->hay);
}

void
model_free(struct model *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nall; i++) {
		mcase_clear(m->all[i]);
		free(m->all[i]);
	}
	free(m->all);
	free(m->v);
	free(m->view);
	free(m->sorted);
	free(m->changed);
	free(m->due);
	strmap_free(m->map);
	free(m);
}

static char *
mstr_dup(struct mstr v)
{
	return v.p != NULL ? strndup(v.p, v.n) : NULL;
}

/* v as a C string: in buf when it fits, else allocated (*heap, to free). */
static const char *
mstr_cstr(struct mstr v, char *buf, size_t cap, char **heap)
{
	*heap = NULL;
	if (v.p == NULL)
		return NULL;
	if (v.n < cap) {
		memcpy(buf, v.p, v.n);
		buf[v.n] = '\0';
		return buf;
	}
	return *heap = strndup(v.p, v.n);
}

static time_t
mstr_time(struct mstr v)
{
	char		 buf[64], *heap;
	const char	*s = mstr_cstr(v, buf, sizeof buf, &heap);
	time_t		 t = 0;

	if (s != NULL)
		gltime_parse(s, &t);
	free(heap);
	return t;
}

/* One string of the fields a filter word may be in: one strstr a case
 * instead of five, when a filter runs over 100,000 cases. The summary is
 * not among them: finding words in it is what search is for, and it is
 * most of the bytes (measured: 30 ms a filter over 110,000 cases with it). */
static void
mcase_hay(struct mcase *c)
{
	const char	*f[] = { c->township_name, c->category_name,
			    c->agency_name, c->agency, c->platform };
	size_t		 i, len = 1;

	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		len += (f[i] != NULL ? strlen(f[i]) : 0) + 1;
	if ((c->hay = malloc(len)) == NULL)
		return;
	c->hay[0] = '\0';
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i] != NULL) {
			strcat(c->hay, f[i]);
			strcat(c->hay, "\x1f");	/* no match across */
		}
}

/* Fill c from the fields, however they were read. */
static void
mcase_fill(struct mcase *c, const struct mcase_fields *f)
{
	char		 buf[64], *heap;
	const char	*state = mstr_cstr(f->state, buf, sizeof buf, &heap);

	mcase_clear(c);
	c->version = f->version;
	case_state_parse(state != NULL ? state : "", &c->state);
	free(heap);
	c->priority = (int)f->priority;
	c->reported_at = mstr_time(f->reported_at);
	c->created_at = mstr_time(f->created_at);
	c->due_at = mstr_time(f->due_at);
	c->dispatched_at = mstr_time(f->dispatched_at);
	c->paused = f->paused;
	c->ext_pending = f->ext_pending;
	c->due_provisional = f->due_provisional;
	c->returns = (int)f->returns;
	c->disputed = f->disputed;
	c->township_name = mstr_dup(f->township_name);
	c->category_name = mstr_dup(f->category_name);
	c->summary = mstr_dup(f->summary);
	c->agency_name = mstr_dup(f->agency_name);
	c->dup_of = mstr_dup(f->dup_of);
	c->agency = mstr_dup(f->agency);
	c->platform = mstr_dup(f->platform);
	c->township = mstr_dup(f->township);
	c->ext_id = mstr_dup(f->ext_id);
	c->reworks = (int)f->reworks;
	c->route_lead = mstr_dup(f->route_lead);
	c->route_name = mstr_dup(f->route_name);
	mcase_hay(c);
}

/* --- the fields from a jansson object ----------------------------------- */

static struct mstr
jstr(json_t *o, const char *k)
{
	json_t		*v = json_object_get(o, k);
	struct mstr	 r = { NULL, 0 };

	if (json_is_string(v)) {
		r.p = json_string_value(v);
		r.n = json_string_length(v);
	}
	return r;
}

static int64_t
jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int
jtrue(json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

static void
mcase_fields_json(json_t *o, struct mcase_fields *f)
{
	json_t	*route = json_object_get(o, "route");

	memset(f, 0, sizeof *f);
	f->no = jstr(o, "no");
	f->version = jint(o, "version");
	f->state = jstr(o, "state");
	f->priority = jint(o, "priority");
	f->summary = jstr(o, "summary");
	f->reported_at = jstr(o, "reported_at");
	f->created_at = jstr(o, "created_at");
	f->due_at = jstr(o, "due_at");
	f->paused = jtrue(o, "paused");
	f->ext_pending = jtrue(o, "ext_pending");
	f->returns = jint(o, "returns");
	f->reworks = jint(o, "reworks");
	f->disputed = jtrue(o, "disputed");
	f->dup_of = jstr(o, "duplicate_of");
	f->agency = jstr(o, "agency");
	f->township = jstr(o, "township");
	f->ext_id = jstr(o, "id");
	f->dispatched_at = jstr(o, "dispatched_at");
	f->township_name = jstr(o, "township_name");
	f->category_name = jstr(o, "category_name");
	f->platform = jstr(o, "platform");
	f->agency_name = jstr(o, "agency_name");
	f->due_provisional = jtrue(o, "due_provisional");
	if (json_is_object(route)) {
		f->route_lead = jstr(route, "lead");
		f->route_name = jstr(route, "lead_name");
	}
}

/* --- the fields from the text (jscan) ----------------------------------- */

/* What a member's value is to the case: where it goes, of what type. */
enum mfield_kind { MF_STR, MF_INT, MF_BOOL, MF_ROUTE };

struct mfield {
	const char		*key;
	size_t			 klen;
	enum mfield_kind	 kind;
	size_t			 at;	/* offsetof in struct mcase_fields */
};

#define MF(k, kind, field) \
	{ k, sizeof (k) - 1, kind, offsetof(struct mcase_fields, field) }

static const struct mfield mfields[] = {
	MF("no", MF_STR, no),
	MF("version", MF_INT, version),
	MF("state", MF_STR, state),
	MF("priority", MF_INT, priority),
	MF("summary", MF_STR, summary),
	MF("reported_at", MF_STR, reported_at),
	MF("created_at", MF_STR, created_at),
	MF("due_at", MF_STR, due_at),
	MF("paused", MF_BOOL, paused),
	MF("ext_pending", MF_BOOL, ext_pending),
	MF("returns", MF_INT, returns),
	MF("reworks", MF_INT, reworks),
	MF("disputed", MF_BOOL, disputed),
	MF("duplicate_of", MF_STR, dup_of),
	MF("agency", MF_STR, agency),
	MF("township", MF_STR, township),
	MF("id", MF_STR, ext_id),
	MF("dispatched_at", MF_STR, dispatched_at),
	MF("township_name", MF_STR, township_name),
	MF("category_name", MF_STR, category_name),
	MF("platform", MF_STR, platform),
	MF("agency_name", MF_STR, agency_name),
	MF("due_provisional", MF_BOOL, due_provisional),
	MF("route", MF_ROUTE, route_lead),
};

/* The member named by the key s holds, or NULL. In the order the server
 * writes them, so the search from the last one found is one step. */
static const struct mfield *
mfield_find(const struct jscan *s, size_t *hint)
{
	size_t	i, j, n = sizeof mfields / sizeof mfields[0];

	for (j = 0; j < n; j++) {
		i = (*hint + j) % n;
		if (mfields[i].klen == s->n &&
		    memcmp(mfields[i].key, s->str, s->n) == 0) {
			*hint = i + 1;
			return &mfields[i];
		}
	}
	return NULL;
}

/* The value of "route": lead and lead_name when it is an object. */
static int
mcase_scan_route(struct jscan *s, struct mcase_fields *f)
{
	enum jscan_tok	t;
	struct mstr	*to;

	f->route_lead.p = f->route_name.p = NULL;
	if (s->tok != JT_OBJ)
		return jscan_skip(s);
	while ((t = jscan_next(s)) == JT_KEY) {
		to = s->n == 4 && memcmp(s->str, "lead", 4) == 0 ?
		    &f->route_lead : s->n == 9 && memcmp(s->str, "lead_name",
		    9) == 0 ? &f->route_name : NULL;
		if ((t = jscan_next(s)) == JT_ERROR)
			break;
		if (to != NULL) {
			to->p = t == JT_STR ? s->str : NULL;
			to->n = t == JT_STR ? s->n : 0;
		}
		if (jscan_skip(s) != 0)
			break;
	}
	return t == JT_OBJ_END ? 0 : s->code;
}

/* One member's value, just read, into f. */
static int
mcase_scan_value(struct jscan *s, const struct mfield *mf,
    struct mcase_fields *f)
{
	char		*at = (char *)f + mf->at;
	struct mstr	*str = (struct mstr *)(void *)at;

	switch (mf->kind) {
	case MF_STR:
		str->p = s->tok == JT_STR ? s->str : NULL;
		str->n = s->tok == JT_STR ? s->n : 0;
		break;
	case MF_INT:
		*(int64_t *)(void *)at = s->tok == JT_NUM && s->is_int ?
		    s->i : 0;
		break;
	case MF_BOOL:
		*(int *)(void *)at = s->tok == JT_TRUE;
		break;
	case MF_ROUTE:
		return mcase_scan_route(s, f);
	}
	return jscan_skip(s);
}

int
model_scan_case(struct jscan *s, struct mcase_fields *f)
{
	const struct mfield	*mf;
	enum jscan_tok		 t;
	size_t			 hint = 0;
	int			 rc;

	memset(f, 0, sizeof *f);
	while ((t = jscan_next(s)) == JT_KEY) {
		mf = mfield_find(s, &hint);
		if (jscan_next(s) == JT_ERROR)
			return s->code;
		rc = mf != NULL ? mcase_scan_value(s, mf, f) : jscan_skip(s);
		if (rc != 0)
			return rc;
	}
	return t == JT_OBJ_END ? 0 : t == JT_ERROR ? s->code : GL_EPARSE;
}

int
model_put_array(struct model *m, struct jscan *s, int fresh, size_t *count)
{
	struct mcase_fields	f;
	enum jscan_tok		t;
	int			rc;

	*count = 0;
	if ((t = jscan_next(s)) != JT_ARR)
		return t == JT_ERROR ? s->code : GL_EPARSE;
	while ((t = jscan_next(s)) != JT_ARR_END) {
		if (t == JT_ERROR)
			return s->code;
		if (t != JT_OBJ) {		/* not a case */
			if ((rc = jscan_skip(s)) != 0)
				return rc;
			continue;
		}
		if ((rc = model_scan_case(s, &f)) != 0)
			return rc;
		model_put_fields(m, &f, fresh);
		(*count)++;
	}
	return 0;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	void	*np;
	size_t	 nc;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : 1024;
	while (nc < need)
		nc *= 2;
	if ((np = realloc(*p, nc * size)) == NULL)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

/* Remember that c changed, for the next sort. */
static void
model_changed(struct model *m, struct mcase *c)
{
	m->dirty = 1;
	m->gen++;
	if (c->changed || m->resort)
		return;
	if (grow((void **)&m->changed, &m->capchanged, m->nchanged + 1,
	    sizeof *m->changed) != 0) {
		m->resort = 1;
		return;
	}
	c->changed = 1;
	m->changed[m->nchanged++] = c;
}

/* Open and in the console's reach: what the queue, the counts and the
 * boards know of. An agency's console sees its agency's cases, a
 * township's its township's (model_set_reach). */
static int
mcase_open(const struct model *m, const struct mcase *c)
{
	if (!case_state_open(c->state))
		return 0;
	if (m->reach_agency[0] != '\0' && (c->agency == NULL ||
	    strcmp(c->agency, m->reach_agency) != 0))
		return 0;
	if (m->reach_township[0] != '\0' && (c->township == NULL ||
	    strcmp(c->township, m->reach_township) != 0))
		return 0;
	return 1;
}

/* Put c in or take it out of the queue as its state says. */
static void
model_requeue(struct model *m, struct mcase *c, int was_open)
{
	size_t	i;
	int	open = mcase_open(m, c);

	if (open && !was_open) {
		if (grow((void **)&m->v, &m->cap, m->n + 1, sizeof *m->v) != 0)
			return;
		m->v[m->n++] = c;
	} else if (!open && was_open) {
		for (i = 0; i < m->n && m->v[i] != c; i++)
			;
		if (i < m->n)
			memmove(&m->v[i], &m->v[i + 1],
			    (m->n - i - 1) * sizeof *m->v);
		m->n -= i < m->n;
	}
	model_changed(m, c);
}

/* Add (sign 1) or take away (-1) one case's share of the counts, as of
 * the counts' time, so that a change costs O(1) and a frame never
 * recounts 100,000 cases: only a new second does (model_counts). */
static void
counts_apply(struct model *m, const struct mcase *c, int sign)
{
	struct model_counts	*k = &m->counts;
	size_t			 d = sign > 0 ? 1 : (size_t)-1;

	if (m->counts_at == 0 || !mcase_open(m, c))
		return;
	k->open += d;
	k->fresh += c->state == CS_REPORTED ? d : 0;
	k->unassigned += case_unassigned(c->state) ? d : 0;
	k->overdue += case_overdue(c->state, c->due_at, m->counts_at) ? d : 0;
	k->in_hand += c->state == CS_ACKNOWLEDGED || c->state == CS_IN_HAND ?
	    d : 0;
}

/*
 * Overdue is the one count that moves with the clock. Rather than look at
 * every case each second, the deadlines still to pass wait in a min-heap;
 * when the counts move to a later second, the deadlines passed meanwhile
 * are taken off it, and each whose case is still as it was (same version)
 * counts as newly overdue. A changed case leaves its old entry behind (it
 * is skipped when it comes up) and pushes a new one; the heap is rebuilt
 * when such leftovers make it twice the open cases.
 */
static int
due_before(const struct due *a, const struct due *b)
{
	return a->at < b->at;
}

static void
due_push(struct model *m, struct mcase *c)
{
	size_t		i, up;
	struct due	e, t;

	if (m->counts_at == 0 || !mcase_open(m, c) ||
	    !case_state_clock_runs(c->state) || c->due_at < m->counts_at ||
	    grow((void **)&m->due, &m->capdue, m->ndue + 1, sizeof *m->due))
		return;
	e.at = c->due_at;
	e.c = c;
	e.version = c->version;
	i = m->ndue++;
	m->due[i] = e;
	while (i > 0 && due_before(&m->due[i], &m->due[up = (i - 1) / 2])) {
		t = m->due[up];
		m->due[up] = m->due[i];
		m->due[i] = t;
		i = up;
	}
}

static struct due
due_pop(struct model *m)
{
	struct due	top = m->due[0], t;
	size_t		i = 0, l, r, min;

	m->due[0] = m->due[--m->ndue];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		min = i;
		if (l < m->ndue && due_before(&m->due[l], &m->due[min]))
			min = l;
		if (r < m->ndue && due_before(&m->due[r], &m->due[min]))
			min = r;
		if (min == i)
			break;
		t = m->due[min];
		m->due[min] = m->due[i];
		m->due[i] = t;
		i = min;
	}
	return top;
}

struct mcase *
model_put_fields(struct model *m, const struct mcase_fields *f, int fresh)
{
	struct mcase	*c;
	char		 no[sizeof c->no];
	int		 was_open = 0, fresh_case = 0;
	int64_t		 old_version = 0;

	if (f->no.p == NULL || f->no.n >= sizeof no ||
	    memchr(f->no.p, '\0', f->no.n) != NULL)
		return NULL;
	memcpy(no, f->no.p, f->no.n);
	no[f->no.n] = '\0';
	if ((c = strmap_get(m->map, no)) != NULL) {
		if (f->version < c->version)
			return c;	/* older news: keep what we have */
		was_open = mcase_open(m, c);
		old_version = c->version;
	} else {
		if (grow((void **)&m->all, &m->capall, m->nall + 1,
		    sizeof *m->all) != 0 || (c = calloc(1, sizeof *c)) == NULL)
			return NULL;
		memcpy(c->no, no, sizeof no);
		c->id = (int64_t)m->nall;
		m->all[m->nall++] = c;
		strmap_put(m->map, c->no, c, NULL);
		c->fresh = fresh;
		fresh_case = 1;
	}
	if (!fresh_case)
		counts_apply(m, c, -1);
	mcase_fill(c, f);
	counts_apply(m, c, 1);
	if (fresh_case || c->version != old_version)	/* once a version */
		due_push(m, c);
	model_requeue(m, c, was_open);
	return c;
}

struct mcase *
model_put(struct model *m, json_t *o, int fresh)
{
	struct mcase_fields	f;

	mcase_fields_json(o, &f);
	return model_put_fields(m, &f, fresh);
}

struct mcase *
model_get(const struct model *m, const char *no)
{
	return strmap_get(m->map, no);
}

int64_t
model_seq(const struct model *m)
{
	return m->seq;
}

void
model_set_seq(struct model *m, int64_t seq)
{
	m->seq = seq;
}

/* The order model_cmp sorts by: set from the model at the top of each
 * model_sort (qsort gives a comparator no argument). An agency's console
 * (its reach an agency) puts the cases waiting for its acknowledgement
 * first: its inbox. */
static enum model_sort	sort_by;
static int		sort_inbox;

/* Overdue first, then the least time left; cases without a deadline (not
 * yet dispatched) after, by priority and arrival. */
static int
cmp_due(const struct mcase *a, const struct mcase *b)
{
	if ((a->due_at != 0) != (b->due_at != 0))
		return a->due_at != 0 ? -1 : 1;
	if (a->due_at != b->due_at)
		return a->due_at < b->due_at ? -1 : 1;
	if (a->priority != b->priority)
		return a->priority - b->priority;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int
model_cmp(const void *x, const void *y)
{
	const struct mcase *a = *(struct mcase *const *)x;
	const struct mcase *b = *(struct mcase *const *)y;

	if (sort_inbox && (a->state == CS_DISPATCHED) !=
	    (b->state == CS_DISPATCHED))
		return a->state == CS_DISPATCHED ? -1 : 1;
	switch (sort_by) {
	case SORT_PRIORITY:
		if (a->priority != b->priority)
			return a->priority - b->priority;
		return cmp_due(a, b);
	case SORT_ARRIVAL:
		return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
	default:
		return cmp_due(a, b);
	}
}

void
model_set_filter(struct model *m, model_keep_fn keep, void *arg)
{
	m->keep = keep;
	m->keep_arg = arg;
	m->dirty = 1;		/* a new view from the same order */
}

/* Sort every open case from scratch (the order changed, or most did). */
static void
model_sort_all(struct model *m)
{
	if (grow((void **)&m->sorted, &m->capsorted, m->n + 1,
	    sizeof *m->sorted) != 0)
		return;
	if (m->n > 0)		/* m->v is NULL until a first case */
		memcpy(m->sorted, m->v, m->n * sizeof *m->v);
	m->nsorted = m->n;
	qsort(m->sorted, m->nsorted, sizeof *m->sorted, model_cmp);
}

/* Take the changed cases out of the order, sort them, merge them back. */
static void
model_sort_changed(struct model *m)
{
	struct mcase	**in, **out;
	size_t		  i, j, nin = 0, nout = 0;

	if ((in = malloc((m->nchanged + 1) * sizeof *in)) == NULL ||
	    (out = malloc((m->nsorted + m->nchanged + 1) *
	    sizeof *out)) == NULL) {
		free(in);
		model_sort_all(m);
		return;
	}
	for (i = 0; i < m->nchanged; i++)
		if (mcase_open(m, m->changed[i]))
			in[nin++] = m->changed[i];
	qsort(in, nin, sizeof *in, model_cmp);
	for (i = 0, j = 0; i < m->nsorted || j < nin;) {
		if (i < m->nsorted && m->sorted[i]->changed) {
			i++;			/* its new place comes from in */
			continue;
		}
		if (j < nin && (i == m->nsorted ||
		    model_cmp(&in[j], &m->sorted[i]) < 0))
			out[nout++] = in[j++];
		else
			out[nout++] = m->sorted[i++];
	}
	free(in);
	free(m->sorted);
	m->sorted = out;
	m->nsorted = nout;
	m->capsorted = m->nsorted + m->nchanged + 1;
}

/*
 * The view: the ordered cases that pass the filter. A filter word over
 * 100,000 cases is a pass of tens of milliseconds (each case is its own
 * allocation: the pass is cache misses), too long for a keypress. So the
 * pass goes in slices: the first slice runs at once and fills the screen,
 * the rest run in the loop's following turns (model_filter_more), and the
 * queue grows under the dispatcher's eyes instead of the key waiting.
 */
#define FILTER_SLICE	16384

static void
model_filter_begin(struct model *m)
{
	if (grow((void **)&m->view, &m->capview, m->nsorted + 1,
	    sizeof *m->view) != 0)
		return;
	m->nview = 0;
	m->filter_at = 0;
	m->view_gen++;
	model_filter_more(m);
}

int
model_filter_more(struct model *m)
{
	size_t	end = m->filter_at + (m->keep != NULL ? FILTER_SLICE :
		    m->nsorted);	/* no filter: one cheap pass */

	if (end > m->nsorted)
		end = m->nsorted;
	for (; m->filter_at < end; m->filter_at++) {
		struct mcase *c = m->sorted[m->filter_at];

		if (m->keep != NULL && !m->keep(c, m->keep_arg))
			continue;
		c->pos = m->nview;
		c->pos_gen = m->view_gen;
		m->view[m->nview++] = c;
	}
	return m->filter_at < m->nsorted;
}

int
model_pending(const struct model *m)
{
	return m->filter_at < m->nsorted;
}

void
model_sort(struct model *m, enum model_sort by, time_t now)
{
	size_t	i;

	(void)now;
	if (!m->dirty && by == m->by)
		return;
	sort_by = by;
	sort_inbox = m->reach_agency[0] != '\0';
	if (by != m->by || m->resort || m->nchanged > m->n / 8 + 64) {
		m->by = by;
		model_sort_all(m);
	} else if (m->nchanged > 0)
		model_sort_changed(m);
	for (i = 0; i < m->nchanged; i++)
		m->changed[i]->changed = 0;
	m->nchanged = 0;
	m->resort = m->dirty = 0;
	model_filter_begin(m);
}

size_t
model_count(const struct model *m)
{
	return m->nview;
}

struct mcase *
model_at(const struct model *m, size_t i)
{
	return i < m->nview ? m->view[i] : NULL;
}

long
model_index(const struct model *m, const char *no)
{
	const struct mcase *c = strmap_get(m->map, no);

	return c != NULL && c->pos_gen == m->view_gen && c->pos < m->nview &&
	    m->view[c->pos] == c ? (long)c->pos : -1;
}

size_t
model_open_count(const struct model *m)
{
	return m->n;
}

struct mcase *
model_open_at(const struct model *m, size_t i)
{
	return i < m->n ? m->v[i] : NULL;
}

/* Count every open case at now, and the deadlines still to pass. */
static void
counts_full(struct model *m, time_t now)
{
	size_t	i;

	m->counts_at = now;
	m->ndue = 0;
	memset(&m->counts, 0, sizeof m->counts);
	for (i = 0; i < m->n; i++) {
		counts_apply(m, m->v[i], 1);
		due_push(m, m->v[i]);
	}
}

void
model_counts(struct model *m, time_t now, struct model_counts *out)
{
	struct due	e;

	if (m->counts_at == 0 || now < m->counts_at ||
	    m->ndue > 2 * m->n + 1024)
		counts_full(m, now);
	else if (now > m->counts_at) {
		/* the deadlines passed since: O(k log n) for k of them */
		while (m->ndue > 0 && m->due[0].at < now) {
			e = due_pop(m);
			if (e.version == e.c->version && e.at == e.c->due_at &&
			    mcase_open(m, e.c) &&
			    case_overdue(e.c->state, e.c->due_at, now))
				m->counts.overdue++;
		}
		m->counts_at = now;
	}
	*out = m->counts;
}

void
model_counts_last(struct model *m, time_t now, struct model_counts *out)
{
	if (m->counts_at == 0)
		model_counts(m, now, out);
	else
		*out = m->counts;
}

int
model_set_reach(struct model *m, const char *agency, const char *township)
{
	unsigned char	*was;
	size_t		 i;

	agency = agency != NULL ? agency : "";
	township = township != NULL ? township : "";
	if (strcmp(agency, m->reach_agency) == 0 &&
	    strcmp(township, m->reach_township) == 0)
		return 0;
	if ((was = calloc(m->nall + 1, 1)) == NULL)
		return 0;
	for (i = 0; i < m->nall; i++)
		was[i] = (unsigned char)mcase_open(m, m->all[i]);
	snprintf(m->reach_agency, sizeof m->reach_agency, "%s", agency);
	snprintf(m->reach_township, sizeof m->reach_township, "%s",
	    township);
	for (i = 0; i < m->nall; i++)
		model_requeue(m, m->all[i], was[i]);
	free(was);
	m->counts_at = 0;		/* count again, within the reach */
	m->resort = m->dirty = 1;	/* an agency's order is its inbox's */
	return 1;
}
