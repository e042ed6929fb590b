/*
 * ops-rate.c: townships' ratings of the stationed units that serve them
 * (issue 14): `rate` (a write) and `ratings` (a read).
 *
 * Who rates: a township operator (core/rights.h RT_RATE), for its own
 * township, the stationed units (派驻机构) it commands: agencies of kind
 * 派驻 whose home is the township, the township_command rule of a
 * dispatch. Nobody rates on a township's behalf: the rating is the
 * township's opinion ("绩效考核必须征求乡镇意见"), and a supervisor's
 * would be the centre's. Until the database has an operator (unsigned
 * requests), `township` names the rating township instead.
 *
 * When: a month is rated from its first moment and may be changed until
 * it closes (core/rating.h: the end of the 5th day of the next month,
 * local time, on the server's clock, which `serve --clock` sets). A
 * later rating of the same township, unit and month replaces the earlier
 * one: one row, the latest standing (store-rating.c).
 *
 * Accountability: ratings are not case events (the log's rows belong to
 * cases), so each one is written to the server log with its signer, and
 * the row keeps rated_by and rated_at.
 */
#include <stdlib.h>
#include <string.h>

#include "casejson.h"
#include "gltime.h"
#include "log.h"
#include "ops-int.h"
#include "rating.h"
#include "refdata.h"
#include "rights.h"
#include "vis.h"

/* The forbidden reply for rule r of the rating. */
static json_t *
rate_forbidden(struct opctx *x, enum rights_rule r, const char *field)
{
	return ops_params(ops_error("forbidden", field, "%s may not rate "
	    "this unit: %s", x->who != NULL ? x->who->name : "(unsigned)",
	    rights_rule_message(r)), json_pack("{s:s,s:s,s:s}", "rule",
	    rights_rule_name(r), "role", x->who != NULL ?
	    rights_role_name(x->who->role) : "", "action", "rate"));
}

/* The rating township: the signer's own (a township operator), else the
 * request's (unsigned). NULL and *e set on refusal. */
static const char *
rate_township(struct opctx *x, json_t *req, json_t **e)
{
	struct rights_who	 w;
	const char		*t;
	enum rights_rule	 r;

	if ((*e = req_text(req, "township", x->who == NULL, 16, &t)) != NULL)
		return NULL;
	if (x->who == NULL)
		return t;
	w = (struct rights_who){ x->who->role, x->who->agency,
	    x->who->township };
	if ((r = rights_check_thing(&w, RT_RATE)) != RULE_NONE) {
		*e = rate_forbidden(x, r, NULL);
		return NULL;
	}
	if (t != NULL && strcmp(t, x->who->township) != 0) {
		*e = rate_forbidden(x, RULE_TOWNSHIP, "township");
		return NULL;
	}
	return x->who->township;
}

/* The unit: known, commanded by township, stationed. */
static json_t *
rate_unit(struct opctx *x, const char *township, const char *code)
{
	const struct agency	*ag = refdata_agency(x->rd, code);

	if (ag == NULL)
		return ops_error("unknown_agency", "agency", "'%s' is not a "
		    "known agency code", code);
	if (ag->home == NULL || strcmp(ag->home->code, township) != 0)
		return rate_forbidden(x, RULE_COMMAND, "agency");
	if (ag->kind != AK_STATIONED)
		return ops_error("bad_value", "agency", "%s is the township's "
		    "own office, not a stationed unit (派驻机构)", code);
	return NULL;
}

/* The month: YYYY-MM, begun, not yet closed on the server's clock. */
static json_t *
rate_month(struct opctx *x, const char *month)
{
	time_t	closes;
	long	y;
	int	m;
	char	when[40];

	if (rating_month_parse(month, &y, &m) != 0)
		return ops_error("bad_value", "month", "month must be YYYY-MM "
		    "(2026-11), not '%s'", month);
	if (x->now < rating_month_start(y, m, GLTIME_CHINA))
		return ops_error("bad_value", "month", "month %s has not "
		    "begun", month);
	closes = rating_month_closes(y, m, GLTIME_CHINA);
	if (x->now < closes)
		return NULL;
	gltime_format(closes, GLTIME_CHINA, when, sizeof when);
	return ops_params(ops_error("month_closed", "month", "the ratings "
	    "of %s closed at %s", month, when), json_pack("{s:s,s:o}",
	    "month", month, "closed_at", casejson_time(closes)));
}

static json_t *
rating_json(const struct store_rating *r, const struct refdata *rd)
{
	const struct juris	*j = refdata_juris(rd, r->township);
	const struct agency	*a = refdata_agency(rd, r->agency);

	return json_pack("{s:s,s:s?,s:s,s:s?,s:s,s:i,s:s?,s:s?,s:o,s:o}",
	    "township", r->township, "township_name", j ? j->name : NULL,
	    "agency", r->agency, "agency_name", a ? a->name : NULL,
	    "month", r->month, "score", r->score, "comment", r->comment,
	    "rated_by", r->rated_by, "rated_at", casejson_time(r->rated_at),
	    "created_at", casejson_time(r->created_at));
}

struct rating_one {
	const struct refdata	*rd;
	json_t			*j;
};

static int
rating_keep(void *arg, const struct store_rating *r)
{
	struct rating_one	*o = arg;

	o->j = rating_json(r, o->rd);
	return 1;
}

/* Say it in the server log, with the signer: ratings are no events. */
static void
rate_log(struct opctx *x, const struct store_rating *r, int replaced)
{
	char	*who = NULL;

	if (x->who != NULL)
		vis_dup(x->who->name, strlen(x->who->name), 0, &who);
	log_msg(LOG_INFO, "rating: %s %s %s for %s: %d by %s", r->township,
	    replaced ? "changed its rating of" : "rated", r->agency,
	    r->month, r->score, who != NULL ? who : "(unsigned)");
	free(who);
}

json_t *
ops_rate(struct opctx *x, json_t *req)
{
	struct store_rating	 r;
	json_int_t		 score;
	struct rating_one	 got = { x->rd, NULL };
	json_t			*e;
	int			 rc, replaced = 0;
	char			 err[512], now[8];

	memset(&r, 0, sizeof r);
	if ((e = req_text(req, "agency", 1, OPS_RATE_CODE_CHARS,
	    &r.agency)) != NULL ||
	    (e = req_str(req, "month", 0, &r.month)) != NULL ||
	    (e = req_int(req, "score", 1, 0, &score)) != NULL ||
	    (e = req_text(req, "comment", 0, RATING_COMMENT_CHARS,
	    &r.comment)) != NULL)
		return e;
	if (r.month == NULL) {		/* the server's current month */
		rating_month_of(x->now, GLTIME_CHINA, now);
		r.month = now;
	}
	if (score < RATING_MIN || score > RATING_MAX)
		return ops_error("bad_value", "score", "score must be %d to "
		    "%d, not %lld", RATING_MIN, RATING_MAX, (long long)score);
	if ((r.township = rate_township(x, req, &e)) == NULL)
		return e;
	if ((e = rate_unit(x, r.township, r.agency)) != NULL ||
	    (e = rate_month(x, r.month)) != NULL)
		return e;
	r.score = (int)score;
	r.rated_by = x->who != NULL ? x->who->name : NULL;
	r.rated_at = r.created_at = x->now;
	if ((rc = store_rating_put(x->st, &r, &replaced, err, sizeof err)) !=
	    0)
		return ops_error(ops_code(rc), NULL, "%s", err);
	rate_log(x, &r, replaced);
	store_rating_get(x->st, r.township, r.agency, r.month, rating_keep,
	    &got, NULL, 0);
	return json_pack("{s:b,s:b,s:o}", "ok", 1, "replaced", replaced,
	    "rating", got.j != NULL ? got.j : rating_json(&r, x->rd));
}

struct rating_list {
	struct opctx	*x;
	json_t		*a;
};

static int
rating_add(void *arg, const struct store_rating *r)
{
	struct rating_list		*l = arg;
	const struct auth_operator	*who = l->x->who;

	if (who != NULL && who->role == RL_TOWNSHIP &&
	    strcmp(who->township, r->township) != 0)
		return 0;
	if (who != NULL && who->role == RL_AGENCY &&
	    strcmp(who->agency, r->agency) != 0)
		return 0;
	json_array_append_new(l->a, rating_json(r, l->x->rd));
	return 0;
}

json_t *
ops_ratings(struct opctx *x, json_t *req)
{
	struct rating_list	 l = { x, NULL };
	const char		*month;
	json_t			*e;
	long			 y;
	int			 m, rc;
	char			 err[512];

	if ((e = req_str(req, "month", 0, &month)) != NULL)
		return e;
	if (month != NULL && rating_month_parse(month, &y, &m) != 0)
		return ops_error("bad_value", "month", "month must be YYYY-MM "
		    "(2026-11)");
	if ((l.a = json_array()) == NULL)
		return NULL;
	if ((rc = store_rating_each(x->st, month, rating_add, &l, err,
	    sizeof err)) != 0) {
		json_decref(l.a);
		return ops_error(ops_code(rc), NULL, "%s", err);
	}
	return json_pack("{s:b,s:s?,s:o}", "ok", 1, "month", month,
	    "ratings", l.a);
}
