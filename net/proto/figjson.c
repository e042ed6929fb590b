/*
 * figjson.c: the figures as JSON (see figjson.h).
 *
 * Each group is {key, name, every count, each rate a number or null with
 * RATE_too_few beside it when its base is under min, each time {n,
 * median_s, p90_s, too_few}, return_reasons}: docs/REPORTS.md. Moved here
 * from cli/sub-report.c when the server's report op needed the same
 * object; the column table came with it so that the subcommand's table
 * and CSV and this JSON cannot drift apart.
 */
#include <stdio.h>
#include <string.h>

#include "figjson.h"
#include "gltime.h"

#define N_(s)	(s)		/* marked for xgettext; translated by the
				   caller that shows it */

#define FC_N(k, h, f, t) { k, h, FJ_COUNT, offsetof(struct figures_group, f), \
	0, t }
#define FC_R(k, h, n, d) { k, h, FJ_RATE, offsetof(struct figures_group, n), \
	offsetof(struct figures_group, d), 1 }
#define FC_M(k, h, s, n) { k, h, FJ_MEAN, offsetof(struct figures_group, s), \
	offsetof(struct figures_group, n), 1 }
#define FC_T(k, h, f) { k, h, FJ_TIME, offsetof(struct figures_group, f), \
	0, 1 }

/* [] rather than [FIGJSON_NCOLS]: a count that differs from the header's
 * is then a conflicting type, so the build checks it. */
const struct figjson_col figjson_cols[] = {
	FC_N("received", N_("received"), received, 1),
	FC_N("registered", N_("registered"), registered, 0),
	FC_N("dispatched", N_("dispatched"), dispatched, 1),
	FC_N("closed", N_("closed"), closed, 1),
	FC_N("voided", N_("voided"), voided, 0),
	FC_N("merged", N_("merged"), merged, 0),
	FC_R("closure_rate", N_("closure"), cohort_closed, cohort),
	FC_N("due", N_("due"), due, 1),
	FC_N("closed_on_time", N_("on time"), ontime, 0),
	FC_R("on_time_rate", N_("on-time"), ontime, due),
	FC_N("provisional", N_("provisional"), provisional, 0),
	FC_N("returns", N_("returns"), returns, 1),
	FC_R("return_rate", N_("return"), returns, dispatched),
	FC_N("checks", N_("checks"), checks, 0),
	FC_N("reworks", N_("reworks"), reworks, 0),
	FC_R("rework_rate", N_("rework"), reworks, checks),
	FC_N("extensions", N_("extensions"), extensions, 0),
	FC_R("extension_rate", N_("extension"), extensions, dispatched),
	FC_N("presses", N_("presses"), presses, 1),
	FC_N("disputes", N_("disputes"), disputes, 1),
	FC_N("callbacks", N_("call-backs"), callbacks, 1),
	FC_N("satisfied", N_("satisfied"), cb[CB_SATISFIED], 0),
	FC_N("basically_satisfied", N_("basically"), cb[CB_BASIC], 0),
	FC_N("unsatisfied", N_("unsatisfied"), cb[CB_UNSATISFIED], 0),
	FC_N("unreachable", N_("unreachable"), cb[CB_UNREACHABLE], 0),
	FC_R("satisfaction_rate", N_("satisfaction"), cb_pleased, cb_reached),
	FC_N("ratings", N_("ratings"), ratings, 0),
	FC_M("rating_mean", N_("rating"), rating_sum, ratings),
	FC_T("ack", N_("ack h"), ack),
	FC_T("dispatch", N_("dispatch h"), to_dispatch),
	FC_T("close", N_("close h"), to_close),
};


long
figjson_long(const struct figures_group *g, size_t off)
{
	return *(const long *)(const void *)((const char *)g + off);
}

const struct figures_times *
figjson_times(const struct figures_group *g, size_t off)
{
	return (const void *)((const char *)g + off);
}

const char *
figjson_name(const struct refdata *rd, enum figures_by by, const char *key,
    const char *none_name)
{
	const struct agency	*a;
	const struct juris	*j;
	const struct category	*c;

	if (key[0] == '\0')
		return none_name;
	if (rd == NULL)
		return key;
	switch (by) {
	case FB_AGENCY:
		a = refdata_agency(rd, key);
		return a != NULL ? a->name : key;
	case FB_TOWNSHIP:
	case FB_DISTRICT:
		j = refdata_juris(rd, key);
		return j != NULL ? j->name : key;
	case FB_CATEGORY:
		c = refdata_category(rd, key);
		return c != NULL ? c->name : key;
	default:
		return key;
	}
}

/* A rate: a number, or null with "KEY_too_few" beside it. */
static void
figjson_rate(json_t *o, const char *key, long num, long den, long min)
{
	double	pct;
	int	rc = figures_rate(num, den, min, &pct);
	char	k[64];

	json_object_set_new(o, key, rc == 0 ? json_real(pct) : json_null());
	if (rc == 2) {
		snprintf(k, sizeof k, "%s_too_few", key);
		json_object_set_new(o, k, json_true());
	}
}

static void
figjson_time(json_t *o, const char *key, const struct figures_times *t,
    long min)
{
	long	m, p;
	int	rc = figures_pct(t, 50, min, &m);

	figures_pct(t, 90, min, &p);
	json_object_set_new(o, key, json_pack("{s:I,s:o,s:o,s:b}", "n",
	    (json_int_t)t->n, "median_s", rc == 0 ? json_integer(m) :
	    json_null(), "p90_s", rc == 0 ? json_integer(p) : json_null(),
	    "too_few", rc == 2));
}

static json_t *
figjson_group(const struct figures_group *g, const char *key,
    const char *name, long min)
{
	json_t	*o = json_object(), *rs = json_object();
	size_t	 k;
	int	 i;

	if (o == NULL || rs == NULL) {
		json_decref(o);
		json_decref(rs);
		return NULL;
	}
	json_object_set_new(o, "key", json_string(key));
	json_object_set_new(o, "name", json_string(name));
	for (k = 0; k < FIGJSON_NCOLS; k++) {
		const struct figjson_col *c = &figjson_cols[k];

		if (c->kind == FJ_COUNT)
			json_object_set_new(o, c->key,
			    json_integer(figjson_long(g, c->a)));
		else if (c->kind == FJ_RATE)
			figjson_rate(o, c->key, figjson_long(g, c->a),
			    figjson_long(g, c->b), min);
		else if (c->kind == FJ_MEAN)	/* a mean of scores: not held
						   to min (one a month) */
			json_object_set_new(o, c->key, figjson_long(g, c->b) >
			    0 ? json_real((double)figjson_long(g, c->a) /
			    (double)figjson_long(g, c->b)) : json_null());
		else
			figjson_time(o, c->key, figjson_times(g, c->a), min);
	}
	for (i = 0; i < RR__COUNT; i++)
		json_object_set_new(rs, return_reason_name((enum return_reason)i),
		    json_integer(g->reasons[i]));
	json_object_set_new(o, "return_reasons", rs);
	return o;
}

json_t *
figjson_report(const struct figures *f, const struct figjson_query *q)
{
	static const struct figures_group none;	/* an empty total */
	const struct figures_group *g, *total = figures_total(f);
	json_t	*groups = json_array();
	char	 from[32], to[32];
	size_t	 i;

	if (groups == NULL)
		return NULL;
	if (q->only != NULL)
		total = &none;
	for (i = 0; i < figures_count(f); i++) {
		g = figures_at(f, i);
		if (q->only != NULL && strcmp(g->key, q->only) != 0)
			continue;
		if (q->only != NULL)
			total = g;
		json_array_append_new(groups, figjson_group(g, g->key,
		    figjson_name(q->rd, q->by, g->key, q->none != NULL ?
		    q->none : "(none)"), q->min));
	}
	gltime_format(q->from, GLTIME_CHINA, from, sizeof from);
	gltime_format(q->to, GLTIME_CHINA, to, sizeof to);
	return json_pack("{s:s,s:s,s:s,s:I,s:o,s:o*}", "from", from, "to", to,
	    "by", figures_by_name(q->by), "min", (json_int_t)q->min,
	    "groups", groups, "total", figjson_group(total, "", "total",
	    q->min));
}
