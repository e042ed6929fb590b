/*
 * ops.c: the control operations (see ops.h).
 *
 * Requests are checked field by field with one error per problem, named by
 * its field, the way the ingest codec does; a request is never asserted.
 * Every lifecycle action needs the operator and the case version it was
 * decided on: a stale version is answered with "conflict" and the case as it
 * now is, so a console can say who changed it and show the new state.
 * Dispatch to another agency than the responsibility list's lead needs a
 * reason, and the suggested lead is recorded with the decision either way:
 * every routing decision is explained in the log.
 *
 * A refusal a console shows to a person carries, besides its English
 * message, "params": the facts the message was made from (who changed the
 * case, the action and state refused, the field missing), so a console can
 * word it in its own language without parsing English.
 *
 * Every string of a request has a bound (docs/PROTOCOL.md "Bounds"),
 * checked here before the store is asked: an over-long text is refused,
 * never cut, and a case number not of the form DDDDDD-YYYYMMDD-NNNNN is
 * "bad_case". Lengths are counted in characters, not bytes, so a Chinese
 * name gets as many characters as a Latin one. Where text is still cut to a
 * buffer (an English message holding a caller's string), it is cut on a
 * character boundary: jansson refuses a string ending in half a character,
 * which once turned a refusal into "nomem".
 *
 * A search is bounded twice (core/store-bounds.h): its query at most
 * STORE_SEARCH_CHARS characters, refused here as too_long before the store
 * is asked, and its time, which only the store can bound: past
 * STORE_SEARCH_MS it answers too_slow. Either way the batch around it goes
 * on: a search must never hold up the incidents committed with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casejson.h"
#include "error.h"
#include "gltime.h"
#include "ops-int.h"
#include "ops.h"
#include "rights.h"
#include "route.h"
#include "sign.h"
#include "store-bounds.h"
#include "utf8.h"

#define OPS_PAGE_DEFAULT	1000
#define OPS_PAGE_MAX		2000	/* a page of cases is ~1 KiB each: keep a
					   reply (and its JSON tree) small */
#define OPS_TEXT_CHARS		500	/* a reason, an action's free text */
#define OPS_CODE_CHARS		32	/* agency, reason_code */
#define OPS_SERIAL_MIN		5	/* digits of a case number's serial */
#define OPS_SERIAL_MAX		9

/* n digits at s; 1 or 0. */
static int
ops_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* 1 when s has the form of a case number: DDDDDD-YYYYMMDD- and a serial of
 * 5 to 9 digits (the store writes at least 5, more past 99,999 a day). */
static int
ops_case_no_ok(const char *s)
{
	size_t	n = strlen(s);

	return n >= 16 + OPS_SERIAL_MIN && n <= 16 + OPS_SERIAL_MAX &&
	    ops_digits(s, 6) && s[6] == '-' && ops_digits(s + 7, 8) &&
	    s[15] == '-' && ops_digits(s + 16, n - 16);
}

/* A case number field: bad_case when it is not DDDDDD-YYYYMMDD-NNNNN. */
static json_t *
req_case(json_t *req, const char *key, int required, const char **out)
{
	json_t	*e = req_str(req, key, required, out);

	if (e == NULL && *out != NULL && !ops_case_no_ok(*out))
		return ops_error("bad_case", key, "field '%s' is not a case "
		    "number (DDDDDD-YYYYMMDD-NNNNN)", key);
	return e;
}


static json_t *
req_limit(json_t *req, json_int_t *limit)
{
	json_t	*e = req_int(req, "limit", 0, OPS_PAGE_DEFAULT, limit);

	if (e == NULL && (*limit < 1 || *limit > OPS_PAGE_MAX))
		e = ops_error("bad_value", "limit", "limit must be 1..%d",
		    OPS_PAGE_MAX);
	return e;
}

/* --- reads ----------------------------------------------------------------- */

/* Reply text: {"ok":true,"seq":N,"<what>":[ ... */
static void
text_begin(struct jbuf *b, struct opctx *x, const char *what)
{
	jbuf_open(b);
	jbuf_key(b, "ok");
	jbuf_bool(b, 1);
	jbuf_key(b, "seq");
	jbuf_int(b, store_last_seq(x->st));
	jbuf_key(b, what);
	jbuf_arr_open(b);
}

/* ... ]} and the text handed to the caller; NULL returned either way. */
static json_t *
text_end(struct jbuf *b, struct opctx *x)
{
	jbuf_close(b);
	x->text = jbuf_take(b);
	return NULL;
}

/* A read failed half-way: the written text goes, an error comes back. */
static json_t *
text_fail(struct jbuf *b, const char *code, const char *field,
    const char *err)
{
	jbuf_free(b);
	return ops_error(code, field, "%s", err);
}

/* A page of cases. An agency or township operator's page leaves out what
 * is not in its reach (ops_sees): a page may then hold fewer than the
 * limit, and "next" follows the cases read, not the cases written. */
struct collect {
	struct jbuf		 b;
	const struct refdata	*rd;
	const struct auth_operator *who;	/* NULL: every case */
	int64_t			 last_id;
	long			 n;		/* read */
	enum casejson_shape	 shape;
};

static int
collect_case(void *arg, const struct store_case *c)
{
	struct collect	*k = arg;

	k->last_id = c->id;
	k->n++;
	if (!ops_sees(k->who, c))
		return 0;
	jbuf_elem(&k->b);
	casejson_write(&k->b, c, k->rd, k->shape);
	return 0;
}

/* 1 when field key of req is the string want. */
static int
streq_opt(json_t *req, const char *key, const char *want)
{
	const char	*v = json_string_value(json_object_get(req, key));

	return v != NULL && strcmp(v, want) == 0;
}

/* "finished": true, false or absent (false); anything else is an error. */

/* A page of finished cases, newest first: before is the last page's
 * "next" (0: from the newest). */
static json_t *
snapshot_finished(struct opctx *x, json_t *req, struct collect *k)
{
	json_int_t	before, limit;
	json_t		*e;
	char		err[256];

	if ((e = req_int(req, "before", 0, 0, &before)) != NULL ||
	    (e = req_limit(req, &limit)) != NULL)
		return e;
	if (before < 0)
		return ops_error("bad_value", "before", "before must be a case "
		    "id (0: from the newest)");
	jbuf_init(&k->b);
	text_begin(&k->b, x, "cases");
	if (store_case_finished(x->st, before, (int)limit, collect_case, k,
	    err, sizeof err) != 0)
		return text_fail(&k->b, "db", NULL, err);
	jbuf_arr_close(&k->b);
	jbuf_key(&k->b, "next");
	if (k->n == limit)
		jbuf_int(&k->b, k->last_id);
	else
		jbuf_null(&k->b);
	return text_end(&k->b, x);
}

static json_t *
op_snapshot(struct opctx *x, json_t *req)
{
	struct collect	k = { .rd = x->rd, .who = x->who, .shape =
			    streq_opt(req, "fields", "queue") ? CJ_QUEUE :
			    CJ_FULL };
	json_int_t	after, limit;
	json_t		*e, *all = json_object_get(req, "all");
	char		err[256];
	int		rc, finished;

	if ((e = req_bool(req, "finished", &finished)) != NULL)
		return e;
	if (finished)
		return snapshot_finished(x, req, &k);
	if ((e = req_int(req, "after", 0, 0, &after)) != NULL ||
	    (e = req_limit(req, &limit)) != NULL)
		return e;
	jbuf_init(&k.b);
	text_begin(&k.b, x, "cases");
	if (streq_opt(req, "order", "urgent"))
		rc = store_case_urgent(x->st, (int)limit, collect_case, &k,
		    err, sizeof err);
	else
		rc = store_case_list(x->st, !json_is_true(all), after,
		    (int)limit, collect_case, &k, err, sizeof err);
	if (rc != 0)
		return text_fail(&k.b, "db", NULL, err);
	jbuf_arr_close(&k.b);
	jbuf_key(&k.b, "next");
	if (k.n == limit && !streq_opt(req, "order", "urgent"))
		jbuf_int(&k.b, k.last_id);
	else
		jbuf_null(&k.b);
	return text_end(&k.b, x);
}

/* {"seq":N,"type":..,"case":{..}[,"event":{..}]} into b; -1 when the
 * case cannot be read, 1 when it is not in who's reach (NULL: all). */
static int
event_text(struct jbuf *b, struct store *st, const struct refdata *rd,
    int64_t seq, const char *case_no, const struct store_event *e,
    const struct auth_operator *who)
{
	struct store_case	c;
	int			rc = 0;

	if (store_case_get(st, case_no, &c, NULL, 0) != 0)
		return -1;
	if (ops_sees(who, &c))
		casejson_write_message(b, seq, &c, rd, e);
	else
		rc = 1;
	store_case_clear(&c);
	return rc;
}

char *
ops_event_text(struct store *st, const struct refdata *rd, int64_t seq,
    const char *case_no, const struct store_event *e)
{
	struct jbuf	b;

	jbuf_init(&b);
	if (event_text(&b, st, rd, seq, case_no, e, NULL) != 0) {
		jbuf_free(&b);
		return NULL;
	}
	return jbuf_take(&b);
}

struct evcollect {
	struct jbuf		 b;
	json_t			*arr;	/* a case's history (jansson) */
	struct opctx		*x;
	int64_t			 last;	/* the last seq read */
	long			 n;	/* events read, written or not */
};

static int
collect_event(void *arg, const struct store_event *e)
{
	struct evcollect	*k = arg;
	size_t			 mark = k->b.n;
	int			 first = k->b.first;

	if (k->arr != NULL) {
		json_array_append_new(k->arr, casejson_event(e));
		return 0;
	}
	k->last = e->seq;
	k->n++;
	jbuf_elem(&k->b);
	if (event_text(&k->b, k->x->st, k->x->rd, e->seq, e->case_no,
	    e, k->x->who) != 0) {
		k->b.n = mark;		/* the case is gone, or not the
					   operator's: skip it */
		k->b.first = first;
		if (k->b.p != NULL)
			k->b.p[mark] = '\0';
	}
	return 0;
}

static json_t *
op_events(struct opctx *x, json_t *req)
{
	struct evcollect k = { .x = x };
	json_int_t	 since, limit;
	json_t		*e;
	char		 err[256];

	if ((e = req_int(req, "since", 1, 0, &since)) != NULL ||
	    (e = req_limit(req, &limit)) != NULL)
		return e;
	jbuf_init(&k.b);
	text_begin(&k.b, x, "events");
	if (store_events(x->st, since, (int)limit, collect_event, &k, err,
	    sizeof err) != 0)
		return text_fail(&k.b, "db", NULL, err);
	jbuf_arr_close(&k.b);
	/* what was read, for a reader whose reach left some out: ask again
	 * after "last" while "more" */
	jbuf_key(&k.b, "last");
	jbuf_int(&k.b, k.n > 0 ? k.last : since);
	jbuf_key(&k.b, "more");
	jbuf_bool(&k.b, k.n == limit);
	return text_end(&k.b, x);
}

/* The numbers of the cases merged into one, into an array. */
static int
collect_no(void *arg, const struct store_case *c)
{
	return json_array_append_new(arg, json_string(c->no)) == 0 ? 0 : -1;
}

static json_t *
op_case(struct opctx *x, json_t *req)
{
	struct evcollect k = { .x = x };
	struct store_case c;
	const char	*no;
	json_t		*e, *k_json, *from = json_array();
	char		 err[256];
	int		 rc;

	if ((e = req_case(req, "case", 1, &no)) != NULL) {
		json_decref(from);
		return e;
	}
	if ((rc = store_case_get(x->st, no, &c, err, sizeof err)) != 0) {
		json_decref(from);
		return ops_error(ops_code(rc), "case", "%s", err);
	}
	if ((e = ops_sees_case(x, &c)) != NULL) {
		json_decref(from);
		store_case_clear(&c);
		return e;
	}
	k.arr = json_array();
	rc = store_case_history(x->st, no, collect_event, &k, err, sizeof err);
	if (rc == 0)
		rc = store_case_merged_from(x->st, c.id, collect_no, from, err,
		    sizeof err);
	k_json = rc == 0 ? casejson_case(&c, x->rd) : NULL;
	if (k_json != NULL)
		json_object_set(k_json, "merged_from", from);
	e = rc == 0 ? json_pack("{s:b,s:o,s:o}", "ok", 1, "case", k_json,
	    "history", k.arr) : ops_error("db", NULL, "%s", err);
	if (rc != 0)
		json_decref(k.arr);
	json_decref(from);
	store_case_clear(&c);
	return e;
}

static json_t *
op_search(struct opctx *x, json_t *req)
{
	struct collect	 k = { .rd = x->rd, .who = x->who, .shape = CJ_FULL };
	const char	*q;
	json_int_t	 limit;
	json_t		*e;
	char		 err[256];
	int		 rc;

	if ((e = req_text(req, "q", 1, STORE_SEARCH_CHARS, &q)) != NULL ||
	    (e = req_limit(req, &limit)) != NULL)
		return e;
	jbuf_init(&k.b);
	text_begin(&k.b, x, "cases");
	if ((rc = store_search(x->st, q, (int)limit, collect_case, &k, err,
	    sizeof err)) != 0)
		return text_fail(&k.b, ops_code(rc), "q", err);
	jbuf_arr_close(&k.b);
	return text_end(&k.b, x);
}

static int
collect_reject(void *arg, const struct store_reject *r)
{
	json_t	*o = json_pack("{s:I,s:o,s:s?,s:s,s:s?,s:s,s:I,s:I}",
	    "id", (json_int_t)r->id, "at", casejson_time(r->at), "endpoint",
	    r->endpoint, "code", r->code, "field", r->field, "message",
	    r->message, "item", (json_int_t)r->item, "size",
	    (json_int_t)r->size);

	if (o == NULL)
		return 0;
	if (utf8_valid(r->body, r->body_len, NULL))
		json_object_set_new(o, "body", json_stringn(r->body,
		    r->body_len));
	else
		json_object_set_new(o, "body", json_null());
	json_array_append_new(arg, o);
	return 0;
}

static json_t *
op_rejects(struct opctx *x, json_t *req)
{
	json_t		*arr = json_array(), *e;
	json_int_t	 before, limit;
	char		 err[256];

	if ((e = req_int(req, "before", 0, 0, &before)) != NULL ||
	    (e = req_limit(req, &limit)) != NULL) {
		json_decref(arr);
		return e;
	}
	if (store_rejects(x->st, before, (int)limit, collect_reject, arr, err,
	    sizeof err) != 0) {
		json_decref(arr);
		return ops_error("db", NULL, "%s", err);
	}
	return json_pack("{s:b,s:o}", "ok", 1, "rejects", arr);
}

static json_t *
op_route(struct opctx *x, json_t *req)
{
	const char	*cat, *grid;
	struct route	 r;
	json_t		*e, *sup;
	char		 err[256];
	size_t		 i;

	if ((e = req_str(req, "category", 1, &cat)) != NULL ||
	    (e = req_str(req, "grid", 1, &grid)) != NULL)
		return e;
	if (route_case(x->rd, cat, grid, &r, err, sizeof err) != 0)
		return ops_error("not_found", NULL, "%s", err);
	sup = json_array();
	for (i = 0; i < r.duty->nsupport; i++)
		json_array_append_new(sup, json_string(
		    r.duty->support[i]->code));
	return json_pack("{s:b,s:s,s:s,s:o,s:s}", "ok", 1, "lead",
	    r.lead->code, "lead_name", r.lead->name, "support", sup,
	    "reason", r.reason);
}

/* The names a client shows for codes: every agency and district; and the
 * business calendar (calendar_spec), for working time counted there. */
static json_t *
op_reference(struct opctx *x, json_t *req)
{
	const struct agency	*a;
	const struct juris	*d;
	json_t			*ag = json_array(), *ds = json_array(), *e;
	size_t			 i;
	char			*cal = calendar_spec(refdata_calendar(x->rd));

	(void)req;
	for (i = 0; i < refdata_agency_count(x->rd); i++) {
		a = refdata_agency_at(x->rd, i);
		json_array_append_new(ag, json_pack("{s:s,s:s,s:s}", "code",
		    a->code, "name", a->name, "level",
		    juris_level_name(a->level)));
	}
	for (i = 0; i < refdata_level_count(x->rd, JL_DISTRICT); i++) {
		d = refdata_level_at(x->rd, JL_DISTRICT, i);
		json_array_append_new(ds, json_pack("{s:s,s:s}", "code",
		    d->code, "name", d->name));
	}
	e = json_pack("{s:b,s:o,s:o,s:s?}", "ok", 1, "agencies", ag,
	    "districts", ds, "calendar", cal);
	free(cal);
	return e;
}

/* Group commit in figures: batches, their mean size and time. */
static json_t *
status_batches(const struct server_stats *t)
{
	double	n = t->batches > 0 ? (double)t->batches : 1;

	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f}", "batches",
	    (json_int_t)t->batches, "requests", (json_int_t)t->requests,
	    "incidents", (json_int_t)t->incidents, "failed",
	    (json_int_t)t->failed, "max_requests",
	    (json_int_t)t->max_requests, "mean_requests",
	    (double)t->requests / n, "mean_work_ms", t->work_ns / n / 1e6,
	    "mean_commit_ms", t->commit_ns / n / 1e6);
}

/* The dead-letter table: rejects kept, and dropped past its cap. */
static json_t *
status_rejects(struct opctx *x)
{
	int64_t	kept, dropped;

	if (store_reject_count(x->st, &kept, &dropped, NULL, 0) != 0)
		return json_null();
	return json_pack("{s:I,s:I,s:I}", "kept", (json_int_t)kept,
	    "dropped", (json_int_t)dropped, "cap",
	    (json_int_t)STORE_REJECT_ROWS);
}

/* The holiday table's end, on the server's clock: the last year it
 * covers, the first date of provisional deadlines, and a warning from
 * CAL_WARN_DAYS before the end (docs/DATA.md). NULL: no table. */
static json_t *
status_calendar(struct opctx *x)
{
	const struct calendar	*cal = refdata_calendar(x->rd);
	int			 y = calendar_covered_until(cal);
	char			 from[24], warn[256];
	json_t			*o;

	if (y == 0)
		return NULL;
	snprintf(from, sizeof from, "%04d-01-01", y + 1);
	o = json_pack("{s:i,s:s}", "covered_until", y, "provisional_from",
	    from);
	if (o != NULL && calendar_warning(cal, x->now, warn, sizeof warn))
		json_object_set_new(o, "warning", json_string(warn));
	return o;
}

static json_t *
op_status(struct opctx *x, json_t *req)
{
	json_t	*rep, *cal;

	(void)req;
	rep = json_pack("{s:b,s:I,s:I,s:b,s:o,s:o}", "ok", 1, "seq",
	    (json_int_t)store_last_seq(x->st), "cases",
	    (json_int_t)store_case_count(x->st), "training", x->training,
	    "now", casejson_time(x->now), "rejects", status_rejects(x));
	if (rep != NULL && (cal = status_calendar(x)) != NULL)
		json_object_set_new(rep, "calendar", cal);
	if (rep != NULL && x->stats != NULL) {
		json_object_set_new(rep, "batches", status_batches(x->stats));
		json_object_set_new(rep, "too_many",
		    json_integer((json_int_t)x->stats->too_many));
		json_object_set_new(rep, "unauthenticated",
		    json_integer((json_int_t)x->stats->unauthenticated));
		json_object_set_new(rep, "rate_limited",
		    json_integer((json_int_t)x->stats->rate_limited));
		if (x->stats->scenario[0] != '\0')
			json_object_set_new(rep, "scenario",
			    json_string(x->stats->scenario));
		json_object_set_new(rep, "clock", json_pack("{s:s,s:f}",
		    "kind", x->stats->clock_set ? "set" : "wall", "speed",
		    x->stats->clock_speed));
	}
	if (rep != NULL && x->who != NULL)
		json_object_set_new(rep, "you", json_pack("{s:s,s:s,s:s?,s:s?}",
		    "name", x->who->name, "role", rights_role_name(
		    x->who->role), "agency", x->who->agency[0] != '\0' ?
		    x->who->agency : NULL, "township", x->who->township[0] !=
		    '\0' ? x->who->township : NULL));
	if (rep != NULL && x->stats != NULL && x->stats->store_error[0] != '\0')
		json_object_set_new(rep, "store_error",
		    json_string(x->stats->store_error));
	return rep;
}

/* --- lifecycle actions ----------------------------------------------------- */

/* The support list as "a,b" from a string or an array of strings; every
 * code must be a known agency. */
static json_t *
action_support(struct opctx *x, json_t *req, char *buf, size_t len)
{
	json_t		*v = json_object_get(req, "support"), *it;
	const char	*code;
	size_t		 i, n = 0;

	buf[0] = '\0';
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_array(v))
		return ops_error("wrong_type", "support", "field 'support' "
		    "must be an array of agency codes");
	json_array_foreach(v, i, it) {
		if (!json_is_string(it) ||
		    refdata_agency(x->rd, code = json_string_value(it)) == NULL)
			return ops_error("unknown_agency", "support", "support "
			    "item %zu is not a known agency code", i);
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
		    i ? "," : "", code);
	}
	if (n >= len)
		return ops_error("bad_value", "support", "too many supporting "
		    "agencies");
	return NULL;
}

/* Dispatch: the agency must exist; another than the routed lead (at the
 * case's level: an escalated case's lead is the level's) needs a reason.
 * The routing is recorded with the decision. */
static json_t *
action_route(struct opctx *x, const struct store_case *c,
    struct case_act *a, char *note, size_t len, char *support, size_t slen)
{
	struct route	r;
	int		routed;
	size_t		i;

	if (refdata_agency(x->rd, a->agency) == NULL)
		return ops_error("unknown_agency", "agency", "'%s' is not a "
		    "known agency code", a->agency);
	routed = route_case_at(x->rd, c->category, c->grid,
	    (enum juris_level)c->level, &r, NULL, 0) == 0;
	if ((!routed || strcmp(r.lead->code, a->agency) != 0) &&
	    (a->reason == NULL || a->reason[0] == '\0'))
		return ops_params(ops_error("reason_required", "reason",
		    "dispatching to %s instead of the listed lead %s needs a "
		    "reason", a->agency, routed ? r.lead->code : "(none)"),
		    json_pack("{s:s,s:s,s:s?}", "field", "reason", "agency",
		    a->agency, "lead", routed ? r.lead->code : NULL));
	/* no support list asked for: the list's supporting agencies, when
	 * the case goes to the list's lead */
	if (routed && support != NULL && strcmp(r.lead->code, a->agency) ==
	    0 && r.duty->nsupport > 0) {
		support[0] = '\0';
		for (i = 0; i < r.duty->nsupport; i++)
			snprintf(support + strlen(support), slen -
			    strlen(support), "%s%s", i ? "," : "",
			    r.duty->support[i]->code);
		a->support = support;
	}
	if (routed) {
		json_t	*n = json_pack("{s:s,s:s,s:b}", "lead", r.lead->code,
		    "rule", r.reason, "override",
		    strcmp(r.lead->code, a->agency) != 0);
		char	*s = json_dumps(n, JSON_COMPACT);

		snprintf(note, len, "%s", s ? s : "");
		free(s);
		json_decref(n);
		a->detail = note;
	}
	return NULL;
}

struct last_event {
	char	actor[OPS_NAME_CHARS * 4 + 1];	/* the bound's worth of
						   4-byte characters */
	char	action[32];
	time_t	at;
};

static int
keep_last(void *arg, const struct store_event *e)
{
	struct last_event *l = arg;

	snprintf(l->actor, sizeof l->actor, "%s", e->actor ? e->actor : "");
	ops_fit(l->actor);
	snprintf(l->action, sizeof l->action, "%s", e->action ? e->action :
	    "");
	ops_fit(l->action);
	l->at = e->at;
	return 0;
}

/* conflict: who changed the case last, and the case as it is now. */
static json_t *
action_conflict(struct opctx *x, const struct store_case *now,
    json_int_t version)
{
	struct last_event	l = { "", "", 0 };
	char			when[40];
	json_t			*r;

	store_case_history(x->st, now->no, keep_last, &l, NULL, 0);
	gltime_format(l.at, GLTIME_CHINA, when, sizeof when);
	r = ops_error("conflict", "version", "case %s was changed by %s (%s) "
	    "at %s: it is now at version %lld, not %lld", now->no, l.actor,
	    l.action, when, (long long)now->version, (long long)version);
	r = ops_params(r, json_pack("{s:s,s:s,s:o,s:I}", "by", l.actor,
	    "action", l.action, "at", casejson_time(l.at), "version",
	    (json_int_t)now->version));
	json_object_set_new(r, "case", casejson_case(now, x->rd));
	return r;
}

static json_t *
action_fields(json_t *req, struct case_act *a, const char **no,
    json_int_t *version)
{
	json_int_t	 amount;
	json_t		*e;

	if ((e = req_case(req, "case", 1, no)) != NULL ||
	    (e = req_str(req, "operator", 1, &a->actor)) != NULL ||
	    (e = req_int(req, "version", 1, 0, version)) != NULL ||
	    (e = req_text(req, "agency", 0, OPS_CODE_CHARS, &a->agency)) !=
	    NULL ||
	    (e = req_text(req, "reason_code", 0, OPS_CODE_CHARS,
	    &a->reason_code)) != NULL ||
	    (e = req_text(req, "reason", 0, OPS_TEXT_CHARS, &a->reason)) !=
	    NULL ||
	    (e = req_case(req, "target", 0, &a->target)) != NULL ||
	    (e = req_int(req, "amount", 0, 0, &amount)) != NULL)
		return e;
	if (*version < 1)
		return ops_error("bad_value", "version", "version must be the "
		    "case version the decision was made on (1 or more)");
	if (a->actor[0] == '\0' || strlen(a->actor) != json_string_length(
	    json_object_get(req, "operator")) || utf8_chars(a->actor,
	    strlen(a->actor)) > OPS_NAME_CHARS)
		return ops_error("bad_value", "operator", "operator must be "
		    "1..%d characters", OPS_NAME_CHARS);
	a->version = *version;
	a->amount = (long)amount;
	return NULL;
}

/* An extension asked for or granted: at most a year of the case's unit
 * (a grant without amount grants what was asked, which an old request may
 * hold unbounded). */
static json_t *
action_amount(const struct store_case *c, const struct case_act *a)
{
	long	amount;

	if (a->action != CA_EXT_REQUEST && a->action != CA_EXT_GRANT)
		return NULL;
	amount = a->action == CA_EXT_GRANT && a->amount <= 0 ?
	    c->ext_amount : a->amount;
	if (amount <= calendar_unit_year(c->unit))
		return NULL;
	return ops_error("bad_value", "amount", "an extension is at most "
	    "%ld of the case's unit (%s), not %ld",
	    calendar_unit_year(c->unit),
	    calendar_unit_name(c->unit), amount);
}

/* A call-back (回访): its result one of the four; the case a hotline
 * one (not_hotline otherwise, before the lifecycle is asked); reopen
 * (true or "true") only with unsatisfied, and then also a reopen, so
 * the operator needs that right too. */
static json_t *
action_callback(struct opctx *x, json_t *req, const struct store_case *c,
    struct case_act *a)
{
	enum callback_result	 r;
	json_t			*v = json_object_get(req, "reopen"), *e;

	if ((e = req_str(req, "result", 1, &a->result)) != NULL)
		return e;
	if (callback_result_parse(a->result, &r) != 0)
		return ops_error("bad_value", "result", "result must be "
		    "satisfied, basically_satisfied, unsatisfied or "
		    "unreachable");
	if (json_is_string(v) && (strcmp(json_string_value(v), "true") == 0 ||
	    strcmp(json_string_value(v), "false") == 0))
		a->reopen = strcmp(json_string_value(v), "true") == 0;
	else if ((e = req_bool(req, "reopen", &a->reopen)) != NULL)
		return e;
	if (a->reopen && r != CB_UNSATISFIED)
		return ops_error("bad_value", "reopen", "only an unsatisfied "
		    "call-back reopens a case");
	if (c->source == NULL || strcmp(c->source, CALLBACK_SOURCE) != 0)
		return ops_params(ops_error("not_hotline", "case", "case %s "
		    "did not come through the 12345 hotline (source %s): it "
		    "gets no call-back", c->no, c->source != NULL ? c->source :
		    "none"), json_pack("{s:s?}", "source", c->source));
	if (a->reopen)
		return ops_rights(x, c, CA_REOPEN, NULL);
	return NULL;
}

static json_t *
op_action(struct opctx *x, json_t *req, enum case_action action)
{
	struct case_act		a = { 0 };
	struct sign_parts	signed_parts;
	struct store_case	c, after;
	enum case_state		state;
	const char		*no, *field;
	json_int_t		 version;
	int64_t			 seq = 0;
	char			 support[1024], note[1024], err[512];
	json_t			*e;
	int			 rc;

	a.action = action;
	a.at = x->now;
	if ((e = action_fields(req, &a, &no, &version)) != NULL ||
	    (e = action_support(x, req, support, sizeof support)) != NULL)
		return e;
	a.support = support[0] ? support : NULL;
	if ((rc = store_case_get(x->st, no, &c, err, sizeof err)) != 0)
		return ops_error(ops_code(rc), "case", "%s", err);
	if ((e = ops_rights(x, &c, action, a.agency)) != NULL) {
		store_case_clear(&c);
		return e;
	}
	if (x->who != NULL) {		/* the signer, never a typed name */
		a.actor = x->who->name;
		/* and what it signed, for the log's chain (core/chain.h) */
		if (x->raw != NULL && sign_split(x->raw, x->rawlen,
		    &signed_parts) == 1) {
			a.signer_key = x->who->pk;
			a.sig = signed_parts.sig;
			a.request = signed_parts.json;
			a.request_len = signed_parts.jsonlen;
		}
	}
	if (action == CA_CALLBACK && (e = action_callback(x, req, &c, &a)) !=
	    NULL) {
		store_case_clear(&c);
		return e;
	}
	if ((c.version == version && (e = action_amount(&c, &a)) != NULL) ||
	    (action == CA_DISPATCH && a.agency != NULL &&
	    (e = action_route(x, &c, &a, note, sizeof note,
	    json_object_get(req, "support") == NULL ? support : NULL,
	    sizeof support)) != NULL)) {
		store_case_clear(&c);
		return e;
	}
	state = c.state;
	store_case_clear(&c);
	memset(&after, 0, sizeof after);
	rc = store_case_apply(x->st, no, &a, &after, &seq, err, sizeof err);
	if (rc == GL_ECONFLICT)
		e = action_conflict(x, &after, version);
	else if (rc == GL_EINVAL && (field = store_act_missing(&a)) != NULL)
		e = ops_params(ops_error(ops_code(rc), field, "%s", err),
		    json_pack("{s:s}", "field", field));
	else if (rc == GL_ERANGE)
		e = ops_error("bad_value", "amount", "%s", err);
	else if (rc == GL_ESTATE)
		e = ops_params(ops_error(ops_code(rc), NULL, "%s", err),
		    json_pack("{s:s,s:s}", "action", case_action_name(action),
		    "state", case_state_name(state)));
	else if (rc != 0)
		e = ops_error(ops_code(rc), NULL, "%s", err);
	else {
		e = json_pack("{s:b,s:I,s:o}", "ok", 1, "seq",
		    (json_int_t)seq, "case", casejson_case(&after, x->rd));
		publish_add(x->publish, seq, ops_event_text(x->st, x->rd,
		    seq, no, NULL));
	}
	store_case_clear(&after);
	return e;
}

/* --- the table ------------------------------------------------------------- */

struct op {
	const char	*name;
	int		 reads;		/* only reads: the read lane runs it */
	json_t		*(*exec)(struct opctx *x, json_t *req);
};

static const struct op ops_table[] = {
	{ "snapshot",	1,	op_snapshot },
	{ "events",	1,	op_events },
	{ "case",	1,	op_case },
	{ "search",	1,	op_search },
	{ "rejects",	1,	op_rejects },
	{ "route",	1,	op_route },
	{ "status",	1,	op_status },
	{ "reference",	1,	op_reference },
	{ "report",	1,	ops_report },
	{ "operators",	1,	ops_operators },
	{ "operator_add", 0,	ops_operator_add },
	{ "operator_set", 0,	ops_operator_set },
	{ "feeder_add",	0,	ops_feeder_add },
	{ "feeder_set",	0,	ops_feeder_set },
	{ "rate",	0,	ops_rate },
	{ "ratings",	1,	ops_ratings },
};

int
ops_reads(json_t *req)
{
	const char	*name = json_string_value(json_object_get(req, "op"));
	size_t		 i;

	if (name == NULL)
		return 0;
	for (i = 0; i < sizeof ops_table / sizeof ops_table[0]; i++)
		if (strcmp(name, ops_table[i].name) == 0)
			return ops_table[i].reads;
	return 0;
}

json_t *
ops_exec(struct opctx *x, json_t *req)
{
	enum case_action a;
	const char	*name;
	json_t		*e;
	size_t		 i;

	if (!json_is_object(req))
		return ops_error("not_object", NULL, "a control request is a "
		    "JSON object with an \"op\" field");
	if ((e = req_str(req, "op", 1, &name)) != NULL)
		return e;
	for (i = 0; i < sizeof ops_table / sizeof ops_table[0]; i++)
		if (strcmp(name, ops_table[i].name) == 0)
			return ops_table[i].exec(x, req);
	if (case_action_parse(name, &a) == 0 && a != CA_REPORT &&
	    strcmp(name, case_action_name(a)) == 0)
		return op_action(x, req, a);
	return ops_error("unknown_op", "op", "unknown operation '%s'", name);
}
