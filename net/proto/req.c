/*
 * req.c: the control requests (see req.h).
 *
 * Built member by member with json_object_set_new rather than json_pack:
 * most requests have optional members, and a json_pack format per
 * combination (or "s?" members that send null) would say less clearly
 * what goes out. Every set is checked, as jansson fails a set when the
 * value could not be allocated; the first failure frees the request.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "req.h"

/* A new {"op":op}, or NULL. */
static json_t *
req_new(const char *op)
{
	json_t	*r = json_object();

	if (r != NULL && json_object_set_new(r, "op", json_string(op)) != 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

/* Set key of r to v (taken); on failure free r and return NULL. With r
 * NULL (an earlier set failed) only v is freed. */
static json_t *
req_set(json_t *r, const char *key, json_t *v)
{
	if (r == NULL) {
		json_decref(v);
		return NULL;
	}
	if (json_object_set_new(r, key, v) != 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

static json_t *
req_set_str(json_t *r, const char *key, const char *s)
{
	return s != NULL ? req_set(r, key, json_string(s)) : r;
}

static json_t *
req_set_int(json_t *r, const char *key, int64_t n)
{
	return req_set(r, key, json_integer((json_int_t)n));
}

/* "fields":"queue" when asked for; anything else leaves the full case. */
static json_t *
req_set_fields(json_t *r, const char *fields)
{
	return fields != NULL ? req_set_str(r, "fields", fields) : r;
}

json_t *
req_status(void)
{
	return req_new("status");
}

json_t *
req_reference(void)
{
	return req_new("reference");
}

json_t *
req_snapshot(int64_t after, int limit, const char *fields)
{
	json_t	*r = req_new("snapshot");

	r = req_set_int(r, "after", after);
	r = req_set_int(r, "limit", limit);
	return req_set_fields(r, fields);
}

json_t *
req_snapshot_urgent(int limit, const char *fields)
{
	json_t	*r = req_new("snapshot");

	r = req_set_str(r, "order", "urgent");
	r = req_set_int(r, "limit", limit);
	return req_set_fields(r, fields);
}

json_t *
req_snapshot_finished(int64_t before, int limit)
{
	json_t	*r = req_new("snapshot");

	r = req_set(r, "finished", json_true());
	r = req_set_int(r, "before", before);
	return req_set_int(r, "limit", limit);
}

json_t *
req_events(int64_t since, int limit)
{
	json_t	*r = req_new("events");

	r = req_set_int(r, "since", since);
	return req_set_int(r, "limit", limit);
}

json_t *
req_case(const char *no)
{
	assert(no != NULL);
	return req_set_str(req_new("case"), "case", no);
}

json_t *
req_search(const char *q, int limit)
{
	json_t	*r;

	assert(q != NULL);
	r = req_set_str(req_new("search"), "q", q);
	return req_set_int(r, "limit", limit);
}

json_t *
req_route(const char *category, const char *grid)
{
	json_t	*r;

	assert(category != NULL && grid != NULL);
	r = req_set_str(req_new("route"), "category", category);
	return req_set_str(r, "grid", grid);
}

json_t *
req_report(const char *from, const char *to, const char *by)
{
	json_t	*r;

	assert(by != NULL);
	r = req_set_str(req_new("report"), "by", by);
	if (from != NULL)
		r = req_set_str(r, "from", from);
	if (to != NULL)
		r = req_set_str(r, "to", to);
	return r;
}

/* "support": [codes...], or r unchanged when there is nothing to send. */
static json_t *
req_set_support(json_t *r, const struct req_action_args *args)
{
	json_t	*arr;
	size_t	 i;

	if (args->nsupport == 0 && !args->support_set)
		return r;
	assert(args->nsupport == 0 || args->support != NULL);
	if ((arr = json_array()) == NULL) {
		json_decref(r);
		return NULL;
	}
	for (i = 0; i < args->nsupport; i++) {
		assert(args->support[i] != NULL);
		if (json_array_append_new(arr, json_string(
		    args->support[i])) != 0) {
			json_decref(arr);
			json_decref(r);
			return NULL;
		}
	}
	return req_set(r, "support", arr);
}

json_t *
req_action(enum case_action a, const char *no, int64_t version,
    const char *operator, const struct req_action_args *args)
{
	json_t	*r;

	assert((unsigned)a < CA__COUNT && a != CA_REPORT);
	assert(no != NULL && operator != NULL);
	r = req_new(case_action_name(a));
	r = req_set_str(r, "case", no);
	r = req_set_str(r, "operator", operator);
	r = req_set_int(r, "version", version);
	if (args == NULL)
		return r;
	r = req_set_str(r, "agency", args->agency);
	r = req_set_support(r, args);
	r = req_set_str(r, "reason_code", args->reason_code);
	r = req_set_str(r, "reason", args->reason);
	r = req_set_str(r, "target", args->target);
	if (args->amount != 0)
		r = req_set_int(r, "amount", args->amount);
	r = req_set_str(r, "result", args->result);
	if (args->reopen)
		r = req_set(r, "reopen", json_true());
	return r;
}

json_t *
req_rate(const char *agency, int score, const char *month,
    const char *comment)
{
	json_t	*r;

	assert(agency != NULL);
	r = req_new("rate");
	r = req_set_str(r, "agency", agency);
	r = req_set_int(r, "score", score);
	r = req_set_str(r, "month", month);
	return req_set_str(r, "comment", comment);
}
