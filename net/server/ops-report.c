/*
 * ops-report.c: the `report` control op: the evaluation figures of
 * core/figures.c for a period and a grouping, as JSON (net/proto/figjson.h,
 * the shape `gridline report --format json` prints).
 *
 * It only reads, so it runs on the read lane (reader.c), on the read-only
 * connection, beside the batches. Dates are local days as the report
 * subcommand takes them ("2026-11-29"); without `to` the period ends at
 * the end of today on the server's clock (x->now: a training or test
 * server's set clock, core/clock.h), without `from` it is the one day
 * before `to`: the console's "today" costs no dates at all.
 *
 * Reach, as the other reads: an agency operator sees its own agency's
 * group and nothing else, a township operator its township's. Their
 * report must be grouped that way (by agency, by township): a grouping
 * by district or category would count other agencies' cases, so it is
 * refused `forbidden` with the scope's rule rather than answered with
 * figures the operator may not read. The total is then the group's own.
 *
 * The period is bounded (OPS_REPORT_DAYS): one request reads every event
 * before `to`, and the read lane has other readers waiting.
 */
#include <string.h>

#include "error.h"
#include "figjson.h"
#include "figures.h"
#include "gltime.h"
#include "ops-int.h"
#include "rights.h"

#define OPS_REPORT_DAYS		400	/* the longest period: a year and
					   some */

/* A date field into *out; NULL, or the error reply. */
static json_t *
report_date(json_t *req, const char *key, time_t *out, int *given)
{
	const char	*s;
	json_t		*e;

	*given = 0;
	if ((e = req_str(req, key, 0, &s)) != NULL || s == NULL)
		return e;
	if (gltime_date_parse(s, GLTIME_CHINA, out) != 0)
		return ops_error("bad_value", key, "%s must be a date "
		    "YYYY-MM-DD, not '%.40s'", key, s);
	*given = 1;
	return NULL;
}

/* The period and grouping of req into q; NULL, or the error reply. */
static json_t *
report_query(struct opctx *x, json_t *req, struct figures_query *q,
    json_int_t *min)
{
	const char	*by;
	json_t		*e;
	int		 has_from, has_to;

	if ((e = report_date(req, "from", &q->from, &has_from)) != NULL ||
	    (e = report_date(req, "to", &q->to, &has_to)) != NULL ||
	    (e = req_str(req, "by", 0, &by)) != NULL ||
	    (e = req_int(req, "min", 0, FIGURES_MIN_DEFAULT, min)) != NULL)
		return e;
	if (!has_to)
		q->to = gltime_day_start(x->now, GLTIME_CHINA) + 86400;
	if (!has_from)
		q->from = q->to - 86400;
	if (q->from >= q->to)
		return ops_error("bad_value", "from", "from must come before "
		    "to");
	if (q->to - q->from > (time_t)OPS_REPORT_DAYS * 86400)
		return ops_error("bad_value", "from", "a report covers at "
		    "most %d days", OPS_REPORT_DAYS);
	if (*min < 1 || *min > 1000000)
		return ops_error("bad_value", "min", "min must be "
		    "1..1000000");
	q->by = FB_AGENCY;
	if (by != NULL && figures_by_parse(by, &q->by) != 0)
		return ops_error("bad_value", "by", "by must be agency, "
		    "township, district, category, platform or operator");
	return NULL;
}

/* The group an agency or township operator may read (*only), or the
 * forbidden reply when the grouping is not its own. */
static json_t *
report_reach(struct opctx *x, enum figures_by by, const char **only)
{
	enum rights_rule r = RULE_NONE;
	enum figures_by	 own = FB_AGENCY;

	*only = NULL;
	if (x->who == NULL)
		return NULL;
	if (x->who->role == RL_AGENCY) {
		*only = x->who->agency;
		r = RULE_AGENCY;
	} else if (x->who->role == RL_TOWNSHIP) {
		*only = x->who->township;
		r = RULE_TOWNSHIP;
		own = FB_TOWNSHIP;
	}
	if (*only == NULL || by == own)
		return NULL;
	return ops_params(ops_error("forbidden", "by", "%s may read the "
	    "figures by %s only: %s", x->who->name, figures_by_name(own),
	    rights_rule_message(r)), json_pack("{s:s,s:s,s:s}", "rule",
	    rights_rule_name(r), "role", rights_role_name(x->who->role),
	    "action", "report"));
}

json_t *
ops_report(struct opctx *x, json_t *req)
{
	struct figures_query	 q;
	struct figjson_query	 fq;
	struct figures		*f = NULL;
	const char		*only;
	json_int_t		 min;
	json_t			*e, *rep;
	char			 err[512];
	int			 rc;

	memset(&q, 0, sizeof q);
	if ((e = report_query(x, req, &q, &min)) != NULL ||
	    (e = report_reach(x, q.by, &only)) != NULL)
		return e;
	q.cal = refdata_calendar(x->rd);
	q.rd = x->rd;
	if ((rc = figures_compute(x->st, &q, &f, err, sizeof err)) != 0)
		return ops_error(ops_code(rc), NULL, "%s", err);
	fq = (struct figjson_query){ q.from, q.to, q.by, (long)min, x->rd,
	    only, NULL };
	rep = figjson_report(f, &fq);
	figures_free(f);
	if (rep == NULL || json_object_set_new(rep, "ok", json_true()) != 0 ||
	    json_object_set_new(rep, "seq",
	    json_integer(store_last_seq(x->st))) != 0) {
		json_decref(rep);
		return ops_error("nomem", NULL, "out of memory");
	}
	return rep;
}
