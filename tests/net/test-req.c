/*
 * test-req.c: the request builders of net/proto/req.c.
 *
 * One table: each row calls one builder and gives the exact request it
 * must make, as JSON text written from docs/PROTOCOL.md and the field
 * names net/server/ops.c reads, not from the builder. The built request
 * and the expected text are compared as JSON values (json_equal), so member
 * order does not matter but every member does: a field too many fails a row
 * as a field too few does. Optional fields left out (NULL, amount 0, no
 * support) must be absent, not null.
 *
 * Every failing row is printed before the test fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lifecycle.h"
#include "req.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

enum rkind {
	R_STATUS, R_SNAPSHOT, R_URGENT, R_FINISHED, R_EVENTS, R_CASE,
	R_SEARCH, R_ROUTE, R_ACTION
};

struct rrow {
	enum rkind			 kind;
	int64_t				 n;	/* after, before, since,
						   version */
	int				 limit;
	const char			*s1;	/* fields, no, q, category */
	const char			*s2;	/* grid, operator */
	enum case_action		 action;
	const struct req_action_args	*args;
	const char			*want;
};

static const char *const two[] = { "330203.SL", "330203.GJ" };

static const struct req_action_args a_dispatch = {
	.agency = "330203.ZF", .support = two, .nsupport = 2
};
static const struct req_action_args a_dispatch_none = {
	.agency = "330203.ZF", .support_set = 1
};
static const struct req_action_args a_override = {
	.agency = "330203.SL", .reason = "井盖属水利"
};
static const struct req_action_args a_return = {
	.reason_code = "not_our_duty", .reason = "非本单位职责"
};
static const struct req_action_args a_merge = {
	.target = "330203-20261124-00041"
};
static const struct req_action_args a_extend = {
	.amount = 3, .reason = "等材料"
};
static const struct req_action_args a_empty = { 0 };

static const struct rrow rows[] = {
	{ R_STATUS, 0, 0, NULL, NULL, 0, NULL, "{\"op\":\"status\"}" },
	{ R_SNAPSHOT, 0, 1000, NULL, NULL, 0, NULL,
	  "{\"op\":\"snapshot\",\"after\":0,\"limit\":1000}" },
	{ R_SNAPSHOT, 812, 500, "queue", NULL, 0, NULL,
	  "{\"op\":\"snapshot\",\"after\":812,\"limit\":500,"
	  "\"fields\":\"queue\"}" },
	{ R_SNAPSHOT, INT64_C(9007199254740993), 1, NULL, NULL, 0, NULL,
	  "{\"op\":\"snapshot\",\"after\":9007199254740993,\"limit\":1}" },
	{ R_URGENT, 0, 200, "queue", NULL, 0, NULL,
	  "{\"op\":\"snapshot\",\"order\":\"urgent\",\"limit\":200,"
	  "\"fields\":\"queue\"}" },
	{ R_URGENT, 0, 50, NULL, NULL, 0, NULL,
	  "{\"op\":\"snapshot\",\"order\":\"urgent\",\"limit\":50}" },
	{ R_FINISHED, 0, 100, NULL, NULL, 0, NULL,
	  "{\"op\":\"snapshot\",\"finished\":true,\"before\":0,"
	  "\"limit\":100}" },
	{ R_FINISHED, 4711, 20, NULL, NULL, 0, NULL,
	  "{\"op\":\"snapshot\",\"finished\":true,\"before\":4711,"
	  "\"limit\":20}" },
	{ R_EVENTS, 57, 1000, NULL, NULL, 0, NULL,
	  "{\"op\":\"events\",\"since\":57,\"limit\":1000}" },
	{ R_CASE, 0, 0, "330203-20261124-00042", NULL, 0, NULL,
	  "{\"op\":\"case\",\"case\":\"330203-20261124-00042\"}" },
	{ R_SEARCH, 0, 100, "井盖", NULL, 0, NULL,
	  "{\"op\":\"search\",\"q\":\"井盖\",\"limit\":100}" },
	{ R_SEARCH, 0, 5, "a \"quoted\"\\ word", NULL, 0, NULL,
	  "{\"op\":\"search\",\"q\":\"a \\\"quoted\\\"\\\\ word\","
	  "\"limit\":5}" },
	{ R_ROUTE, 0, 0, "1103", "330203003001001", 0, NULL,
	  "{\"op\":\"route\",\"category\":\"1103\","
	  "\"grid\":\"330203003001001\"}" },
	{ R_ACTION, 1, 0, "330203-20261124-00042", "王调度", CA_REGISTER, NULL,
	  "{\"op\":\"register\",\"case\":\"330203-20261124-00042\","
	  "\"operator\":\"王调度\",\"version\":1}" },
	{ R_ACTION, 2, 0, "N1", "op", CA_ACKNOWLEDGE, &a_empty,
	  "{\"op\":\"acknowledge\",\"case\":\"N1\",\"operator\":\"op\","
	  "\"version\":2}" },
	{ R_ACTION, 2, 0, "N1", "op", CA_DISPATCH, &a_dispatch,
	  "{\"op\":\"dispatch\",\"case\":\"N1\",\"operator\":\"op\","
	  "\"version\":2,\"agency\":\"330203.ZF\","
	  "\"support\":[\"330203.SL\",\"330203.GJ\"]}" },
	{ R_ACTION, 2, 0, "N1", "op", CA_DISPATCH, &a_dispatch_none,
	  "{\"op\":\"dispatch\",\"case\":\"N1\",\"operator\":\"op\","
	  "\"version\":2,\"agency\":\"330203.ZF\",\"support\":[]}" },
	{ R_ACTION, 2, 0, "N1", "op", CA_DISPATCH, &a_override,
	  "{\"op\":\"dispatch\",\"case\":\"N1\",\"operator\":\"op\","
	  "\"version\":2,\"agency\":\"330203.SL\",\"reason\":\"井盖属水利\"}" },
	{ R_ACTION, 4, 0, "N1", "op", CA_RETURN, &a_return,
	  "{\"op\":\"return\",\"case\":\"N1\",\"operator\":\"op\","
	  "\"version\":4,\"reason_code\":\"not_our_duty\","
	  "\"reason\":\"非本单位职责\"}" },
	{ R_ACTION, 1, 0, "N2", "op", CA_MERGE, &a_merge,
	  "{\"op\":\"merge\",\"case\":\"N2\",\"operator\":\"op\","
	  "\"version\":1,\"target\":\"330203-20261124-00041\"}" },
	{ R_ACTION, 5, 0, "N1", "op", CA_EXT_REQUEST, &a_extend,
	  "{\"op\":\"extend\",\"case\":\"N1\",\"operator\":\"op\","
	  "\"version\":5,\"reason\":\"等材料\",\"amount\":3}" },
	{ R_ACTION, 6, 0, "N1", "op", CA_EXT_GRANT, NULL,
	  "{\"op\":\"extend_grant\",\"case\":\"N1\",\"operator\":\"op\","
	  "\"version\":6}" },
	{ R_ACTION, 3, 0, "N1", "op", CA_UNMERGE, NULL,
	  "{\"op\":\"unmerge\",\"case\":\"N1\",\"operator\":\"op\","
	  "\"version\":3}" },
};

static json_t *
row_build(const struct rrow *r)
{
	switch (r->kind) {
	case R_STATUS:
		return req_status();
	case R_SNAPSHOT:
		return req_snapshot(r->n, r->limit, r->s1);
	case R_URGENT:
		return req_snapshot_urgent(r->limit, r->s1);
	case R_FINISHED:
		return req_snapshot_finished(r->n, r->limit);
	case R_EVENTS:
		return req_events(r->n, r->limit);
	case R_CASE:
		return req_case(r->s1);
	case R_SEARCH:
		return req_search(r->s1, r->limit);
	case R_ROUTE:
		return req_route(r->s1, r->s2);
	case R_ACTION:
		return req_action(r->action, r->s1, r->n, r->s2, r->args);
	}
	return NULL;
}

static void
test_req_rows(void **state)
{
	json_t		*got, *want;
	json_error_t	 jerr;
	char		*text;
	size_t		 i;
	int		 bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		want = json_loads(rows[i].want, JSON_REJECT_DUPLICATES, &jerr);
		if (want == NULL) {
			printf("row %zu: expected text is not JSON: %s\n", i,
			    jerr.text);
			bad++;
			continue;
		}
		got = row_build(&rows[i]);
		if (got == NULL || !json_equal(got, want)) {
			text = got != NULL ? json_dumps(got, JSON_COMPACT |
			    JSON_SORT_KEYS) : NULL;
			printf("row %zu: got %s\n        want %s\n", i,
			    text != NULL ? text : "NULL", rows[i].want);
			free(text);
			bad++;
		}
		json_decref(got);
		json_decref(want);
	}
	assert_int_equal(bad, 0);
}

/* Every control action has a builder that names it as the server does. */
static void
test_req_every_action(void **state)
{
	json_t		*r;
	int		 a, bad = 0;

	(void)state;
	for (a = 0; a < CA__COUNT; a++) {
		if (a == CA_REPORT)
			continue;
		r = req_action((enum case_action)a, "N", 1, "op", NULL);
		if (r == NULL || json_string_value(json_object_get(r,
		    "op")) == NULL || strcmp(json_string_value(
		    json_object_get(r, "op")), case_action_name(a)) != 0) {
			printf("action %s: wrong op\n", case_action_name(a));
			bad++;
		}
		json_decref(r);
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_req_rows),
		cmocka_unit_test(test_req_every_action),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
