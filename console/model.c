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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gltime.h"
#include "model.h"
#include "strmap.h"

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
	struct model_counts counts;	/* cached for counts_at */
	time_t		  counts_at;
	uint64_t	  counts_gen;
	uint64_t	  gen;		/* bumped by every change */
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
	strmap_free(m->map);
	free(m);
}

static char *
jdup(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? strdup(s) : NULL;
}

static time_t
jtime(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));
	time_t		 t = 0;

	if (s != NULL)
		gltime_parse(s, &t);
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

/* Fill c from the case object. */
static void
mcase_fill(struct mcase *c, json_t *o)
{
	json_t	*route = json_object_get(o, "route");

	mcase_clear(c);
	c->version = json_integer_value(json_object_get(o, "version"));
	case_state_parse(json_string_value(json_object_get(o, "state")) ?
	    json_string_value(json_object_get(o, "state")) : "", &c->state);
	c->priority = (int)json_integer_value(json_object_get(o, "priority"));
	c->reported_at = jtime(o, "reported_at");
	c->created_at = jtime(o, "created_at");
	c->due_at = jtime(o, "due_at");
	c->paused = json_is_true(json_object_get(o, "paused"));
	c->ext_pending = json_is_true(json_object_get(o, "ext_pending"));
	c->returns = (int)json_integer_value(json_object_get(o, "returns"));
	c->disputed = json_is_true(json_object_get(o, "disputed"));
	c->township_name = jdup(o, "township_name");
	c->category_name = jdup(o, "category_name");
	c->summary = jdup(o, "summary");
	c->agency_name = jdup(o, "agency_name");
	c->dup_of = jdup(o, "duplicate_of");
	c->agency = jdup(o, "agency");
	c->platform = jdup(o, "platform");
	c->reworks = (int)json_integer_value(json_object_get(o, "reworks"));
	c->route_lead = json_is_object(route) ? jdup(route, "lead") : NULL;
	mcase_hay(c);
	c->route_name = json_is_object(route) ? jdup(route, "lead_name") :
	    NULL;
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

/* Put c in or take it out of the queue as its state says. */
static void
model_requeue(struct model *m, struct mcase *c, int was_open)
{
	size_t	i;
	int	open = case_state_open(c->state);

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

struct mcase *
model_put(struct model *m, json_t *o, int fresh)
{
	const char	*no = json_string_value(json_object_get(o, "no"));
	struct mcase	*c;
	int		 was_open = 0;

	if (no == NULL || strlen(no) >= sizeof c->no)
		return NULL;
	if ((c = strmap_get(m->map, no)) != NULL) {
		if (json_integer_value(json_object_get(o, "version")) <
		    c->version)
			return c;	/* older news: keep what we have */
		was_open = case_state_open(c->state);
	} else {
		if (grow((void **)&m->all, &m->capall, m->nall + 1,
		    sizeof *m->all) != 0 || (c = calloc(1, sizeof *c)) == NULL)
			return NULL;
		snprintf(c->no, sizeof c->no, "%s", no);
		c->id = (int64_t)m->nall;
		m->all[m->nall++] = c;
		strmap_put(m->map, c->no, c, NULL);
		c->fresh = fresh;
	}
	mcase_fill(c, o);
	model_requeue(m, c, was_open);
	return c;
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
 * model_sort (qsort gives a comparator no argument). */
static enum model_sort	sort_by;

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
		if (case_state_open(m->changed[i]->state))
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

void
model_counts(struct model *m, time_t now, struct model_counts *out)
{
	size_t	i;

	if (m->counts_gen == m->gen && m->counts_at == now && m->gen != 0) {
		*out = m->counts;
		return;
	}
	memset(out, 0, sizeof *out);
	for (i = 0; i < m->n; i++) {
		const struct mcase *c = m->v[i];

		out->open++;
		out->fresh += c->state == CS_REPORTED;
		out->unassigned += case_unassigned(c->state);
		out->overdue += case_overdue(c->state, c->due_at, now);
		out->in_hand += c->state == CS_ACKNOWLEDGED ||
		    c->state == CS_IN_HAND;
	}
	m->counts = *out;
	m->counts_at = now;
	m->counts_gen = m->gen;
}
