/*
 * test-rights.c: table-driven tests of core/rights.c.
 *
 * The expected rights are written by hand from issue 12's list of roles,
 * never read from the module's table: for each role the actions it takes,
 * as words. Every action is tried for every role on a case in the
 * operator's reach; every answer that differs is listed before the test
 * fails. Then the scopes, one row each: an agency's case and another's, a
 * township's case and another's, a township dispatching outside its
 * command, a trainee off a training server, a disputed case, a void after
 * dispatch.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rights.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define DESK	" register dispatch press merge void escalate park unpark " \
		"verify close rework "

static const struct {
	const char	*role;
	const char	*actions;	/* blank-separated, blanks around */
	const char	*things;	/* likewise */
} spec[] = {
	{ "dispatcher", DESK "callback ", " read " },
	{ "supervisor", DESK "extend_grant extend_refuse unmerge reopen "
	    "callback ",
	    " read " },
	{ "agency", " acknowledge start feedback return extend ", " read " },
	{ "township", DESK, " read rate " },
	{ "trainee", DESK, " read " },
	{ "viewer", " ", " read " },
	{ "admin", " ", " read operators reload " },
};

static const char *const thing_names[RT__COUNT] = {
	[RT_READ] = "read", [RT_OPERATORS] = "operators",
	[RT_RELOAD] = "reload", [RT_RATE] = "rate",
};

#define AGENCY		"330203001.ZFZD"
#define TOWNSHIP	"330203001"

/* 1 when word is in the blank-separated list. */
static int
listed(const char *list, const char *word)
{
	char	w[64];

	snprintf(w, sizeof w, " %s ", word);
	return strstr(list, w) != NULL;
}

/* Every role, every action and thing, on a case in its reach. */
static void
test_roles(void **state)
{
	struct rights_who	 who = { 0, AGENCY, TOWNSHIP };
	struct rights_case	 c = { AGENCY, TOWNSHIP, 0 };
	struct rights_target	 t = { AGENCY, TOWNSHIP };
	enum rights_rule	 got;
	size_t			 i;
	int			 a, k, want, bad = 0;

	(void)state;
	assert_int_equal(NITEMS(spec), RL__COUNT);
	for (i = 0; i < NITEMS(spec); i++) {
		if (rights_role_parse(spec[i].role, &who.role) != 0)
			fail_msg("no role %s", spec[i].role);
		assert_string_equal(rights_role_name(who.role), spec[i].role);
		for (a = 0; a < CA__COUNT; a++) {
			/* void is the desk's before dispatch only: the case
			 * here has an agency, so try void on one without */
			c.agency = a == CA_VOID ? NULL : AGENCY;
			want = listed(spec[i].actions, case_action_name(a));
			got = rights_check(&who, a, &c, &t, 1);
			if ((got == RULE_NONE) != want) {
				fprintf(stderr, "  %s %s: %s, want %s\n",
				    spec[i].role, case_action_name(a),
				    rights_rule_name(got), want ? "allowed" :
				    "refused");
				bad++;
			} else if (!want && got != RULE_ROLE &&
			    got != RULE_AGENCY) {
				fprintf(stderr, "  %s %s: refused by %s, "
				    "want role\n", spec[i].role,
				    case_action_name(a), rights_rule_name(got));
				bad++;
			}
		}
		for (k = 0; k < RT__COUNT; k++) {
			want = listed(spec[i].things, thing_names[k]);
			got = rights_check_thing(&who, k);
			if ((got == RULE_NONE) != want) {
				fprintf(stderr, "  %s %s: %s\n", spec[i].role,
				    thing_names[k], rights_rule_name(got));
				bad++;
			}
		}
	}
	if (bad)
		fail_msg("%d rights differ from the spec", bad);
}

/* The reach of each role, and the supervisor's overrides. */
static void
test_scopes(void **state)
{
	static const struct {
		const char	*what, *role, *action;
		const char	*case_agency, *case_township;
		int		 returns;
		const char	*target_juris;	/* a dispatch's */
		int		 training;
		const char	*want;		/* rule name, "none" */
	} rows[] = {
		{ "agency, its case", "agency", "acknowledge", AGENCY,
		    TOWNSHIP, 0, NULL, 0, "none" },
		{ "agency, another's case", "agency", "acknowledge",
		    "330203002.ZFZD", TOWNSHIP, 0, NULL, 0, "agency_scope" },
		{ "agency, a case of nobody", "agency", "return", NULL,
		    TOWNSHIP, 0, NULL, 0, "agency_scope" },
		{ "township, its case", "township", "register", NULL,
		    TOWNSHIP, 0, NULL, 0, "none" },
		{ "township, another's case", "township", "register", NULL,
		    "330203002", 0, NULL, 0, "township_scope" },
		{ "township, dispatch in its command", "township", "dispatch",
		    NULL, TOWNSHIP, 0, TOWNSHIP, 0, "none" },
		{ "township, dispatch to a district bureau", "township",
		    "dispatch", NULL, TOWNSHIP, 0, "330203", 0,
		    "township_command" },
		{ "trainee, training server", "trainee", "dispatch", NULL,
		    TOWNSHIP, 0, TOWNSHIP, 1, "none" },
		{ "trainee, live server", "trainee", "dispatch", NULL,
		    TOWNSHIP, 0, TOWNSHIP, 0, "training_only" },
		{ "dispatcher, once returned", "dispatcher", "dispatch", NULL,
		    TOWNSHIP, 1, TOWNSHIP, 0, "none" },
		{ "dispatcher, disputed", "dispatcher", "dispatch", NULL,
		    TOWNSHIP, 2, TOWNSHIP, 0, "dispute" },
		{ "supervisor, disputed", "supervisor", "dispatch", NULL,
		    TOWNSHIP, 3, TOWNSHIP, 0, "none" },
		{ "dispatcher, void before dispatch", "dispatcher", "void",
		    NULL, TOWNSHIP, 0, NULL, 0, "none" },
		{ "dispatcher, void dispatched", "dispatcher", "void", AGENCY,
		    TOWNSHIP, 0, NULL, 0, "dispatched" },
		{ "dispatcher, void returned", "dispatcher", "void", NULL,
		    TOWNSHIP, 1, NULL, 0, "dispatched" },
		{ "supervisor, void dispatched", "supervisor", "void", AGENCY,
		    TOWNSHIP, 0, NULL, 0, "none" },
		{ "township, void dispatched", "township", "void", AGENCY,
		    TOWNSHIP, 0, NULL, 0, "dispatched" },
	};
	struct rights_who	 who;
	struct rights_case	 c;
	struct rights_target	 t;
	enum case_action	 a;
	enum rights_rule	 got;
	size_t			 i;
	int			 bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		memset(&who, 0, sizeof who);
		assert_int_equal(rights_role_parse(rows[i].role, &who.role),
		    0);
		who.agency = AGENCY;
		who.township = TOWNSHIP;
		assert_int_equal(case_action_parse(rows[i].action, &a), 0);
		c.agency = rows[i].case_agency;
		c.township = rows[i].case_township;
		c.returns = rows[i].returns;
		t.agency = "x";
		t.jurisdiction = rows[i].target_juris;
		got = rights_check(&who, a, &c, a == CA_DISPATCH ? &t : NULL,
		    rows[i].training);
		if (strcmp(rights_rule_name(got), rows[i].want) != 0) {
			fprintf(stderr, "  %s: %s, want %s\n", rows[i].what,
			    rights_rule_name(got), rows[i].want);
			bad++;
		}
	}
	if (bad)
		fail_msg("%d scope rows differ", bad);
}

/* What each role sees (reads): every role every case, but an agency
 * only what is dispatched to it and a township only its township's. */
static void
test_sees(void **state)
{
	static const struct {
		const char	*role, *case_agency, *case_township, *want;
	} rows[] = {
		{ "agency", AGENCY, TOWNSHIP, "none" },
		{ "agency", AGENCY, "330203002", "none" },
		{ "agency", "330203002.ZFZD", TOWNSHIP, "agency_scope" },
		{ "agency", NULL, TOWNSHIP, "agency_scope" },
		{ "township", NULL, TOWNSHIP, "none" },
		{ "township", AGENCY, TOWNSHIP, "none" },
		{ "township", AGENCY, "330203002", "township_scope" },
		{ "township", NULL, NULL, "township_scope" },
		{ "viewer", "330203002.ZFZD", "330203002", "none" },
		{ "trainee", NULL, "330203002", "none" },
		{ "dispatcher", NULL, NULL, "none" },
		{ "supervisor", AGENCY, "330203002", "none" },
		{ "admin", AGENCY, "330203002", "none" },
	};
	struct rights_who	 who = { RL_VIEWER, AGENCY, TOWNSHIP };
	struct rights_case	 c = { NULL, NULL, 0 };
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		assert_int_equal(rights_role_parse(rows[i].role, &who.role),
		    0);
		c.agency = rows[i].case_agency;
		c.township = rows[i].case_township;
		if (strcmp(rights_rule_name(rights_sees(&who, &c)),
		    rows[i].want) != 0)
			fail_msg("row %zu (%s): %s", i, rows[i].role,
			    rights_rule_name(rights_sees(&who, &c)));
	}
}

/* Names and their Chinese both parse; bindings are required where the
 * role has a reach; every rule has a message. */
static void
test_names(void **state)
{
	enum rights_role	r;
	int			k;

	(void)state;
	assert_int_equal(rights_role_parse("调度员", &r), 0);
	assert_int_equal(r, RL_DISPATCHER);
	assert_int_equal(rights_role_parse("root", &r), -1);
	assert_true(rights_needs_agency(RL_AGENCY));
	assert_false(rights_needs_agency(RL_DISPATCHER));
	assert_true(rights_needs_township(RL_TOWNSHIP));
	assert_false(rights_needs_township(RL_SUPERVISOR));
	for (k = 1; k < RULE__COUNT; k++)
		assert_true(strlen(rights_rule_message(k)) > 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_sees),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
