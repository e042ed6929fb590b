/*
 * test-lifecycle.c: table-driven tests of core/lifecycle.c.
 *
 * The expected transitions (the allowed[] table of lifecycle-table.h,
 * shared with test-store.c) are written by hand from the workflow in the
 * header comment of lifecycle.h and from DOMAIN.md, never read from
 * lifecycle_rules: the main line
 *
 *   reported -register-> registered -dispatch-> dispatched -acknowledge->
 *   acknowledged -start-> in_hand -feedback-> done -verify-> verified
 *   -close-> closed
 *
 * and around it: return (agency states -> returned), rework (done ->
 * dispatched), escalate (dispatcher's desk -> escalated, dispatchable
 * there), park/unpark, merge/unmerge, void (a false report, still at the
 * desk), press (a supervisor presses the agency), and the extension
 * request/grant/refuse (a flag, not a state, while the agency works on the
 * case). Every action is tried in every state, with and without a pending
 * extension, and every answer that differs from the table is listed before
 * the test fails, so one wrong row does not hide another.
 *
 * The last test walks the same workflow through a real store, to see the
 * table and the store agree on a live case.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#include "error.h"
#include "lifecycle.h"
#include "lifecycle-table.h"
#include "store.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* 1 when word occurs in s with no letter, digit or '_' on either side
 * ("extend" is not found in "extend_grant", "report" not in "reported"). */
static int
has_word(const char *s, const char *word)
{
	size_t		 n = strlen(word);
	const char	*p;

	for (p = strstr(s, word); p != NULL; p = strstr(p + 1, word)) {
		int before = p > s && (isalnum((unsigned char)p[-1]) ||
		    p[-1] == '_');
		int after = isalnum((unsigned char)p[n]) || p[n] == '_';

		if (!before && !after)
			return 1;
	}
	return 0;
}

static void
test_check_table(void **state)
{
	static const enum case_state befores[] = { CS_REGISTERED, CS_IN_HAND };
	char		err[256], why[512];
	int		s, a, ext, want, rc, bad = 0, tried = 0;
	size_t		b;
	enum case_state	got;

	(void)state;
	for (a = 0; a < CA__COUNT; a++)
	for (s = 0; s < CS__COUNT; s++)
	for (ext = 0; ext <= 1; ext++)
	for (b = 0; b < NITEMS(befores); b++) {
		tried++;
		got = CS__COUNT;
		err[0] = why[0] = '\0';
		rc = lifecycle_check((enum case_state)s, ext, befores[b],
		    (enum case_action)a, &got, err, sizeof err);
		if (expect_allowed((enum case_state)s, (enum case_action)a,
		    ext, &want)) {
			if (want == TO_BEFORE)
				want = (int)befores[b];
			if (rc != 0 || (int)got != want)
				snprintf(why, sizeof why, "rc %d (%s) to %s, "
				    "want allowed to %s", rc, err,
				    rc == 0 ? case_state_name(got) : "-",
				    case_state_name(want));
		} else if (rc != GL_ESTATE)
			snprintf(why, sizeof why, "rc %d (to %s), want "
			    "GL_ESTATE", rc,
			    rc == 0 ? case_state_name(got) : "-");
		else if (!has_word(err, case_state_name(s)) ||
		    !has_word(err, case_action_name(a)))
			snprintf(why, sizeof why, "message \"%s\" does not "
			    "name both the state and the action", err);
		if (why[0] != '\0') {
			print_error("%s in %s (ext %d): %s\n",
			    case_action_name(a), case_state_name(s), ext,
			    why);
			bad++;
			break;	/* one report per (action, state, ext) */
		}
	}
	print_message("%d (action, state, ext) combinations, %d checks, %d "
	    "wrong\n", CA__COUNT * CS__COUNT * 2, tried, bad);
	assert_int_equal(bad, 0);
}

/* Every row of the hand table names a real pair, and no pair twice. */
static void
test_table_sane(void **state)
{
	size_t	i, j;

	(void)state;
	for (i = 0; i < NITEMS(allowed); i++) {
		assert_true((unsigned)allowed[i].from < CS__COUNT);
		assert_true((unsigned)allowed[i].action < CA__COUNT);
		for (j = i + 1; j < NITEMS(allowed); j++)
			if (allowed[i].from == allowed[j].from &&
			    allowed[i].action == allowed[j].action)
				fail_msg("rows %zu and %zu repeat %s in %s", i,
				    j, case_action_name(allowed[i].action),
				    case_state_name(allowed[i].from));
	}
}

static void
test_check_bad_action(void **state)
{
	enum case_state	to = CS_REPORTED;
	char		err[128] = "";

	(void)state;
	assert_null(lifecycle_rule(CA__COUNT));
	assert_null(lifecycle_rule((enum case_action)-1));
	assert_int_equal(lifecycle_check(CS_REGISTERED, 0, CS_REPORTED,
	    CA__COUNT, &to, err, sizeof err), GL_EINVAL);
	assert_int_equal(to, CS_REPORTED);
	/* A NULL error buffer is allowed. */
	assert_int_equal(lifecycle_check(CS_CLOSED, 0, CS_REPORTED,
	    CA_DISPATCH, &to, NULL, 0), GL_ESTATE);
	/* A short buffer is cut, not overrun. */
	memset(err, 'x', sizeof err);
	assert_int_equal(lifecycle_check(CS_CLOSED, 0, CS_REPORTED,
	    CA_DISPATCH, &to, err, 8), GL_ESTATE);
	assert_int_equal(strlen(err), 7);
	assert_int_equal(err[8], 'x');
}

/* What each action needs, from the workflow: an agency to dispatch to, a
 * coded reason to return, a reason for every move that undoes or holds up
 * work, a target to merge into, an amount of time to ask for. */
static void
test_needs(void **state)
{
	static const struct {
		enum case_action	 a;
		unsigned		 needs;
	} rows[] = {
		{ CA_REPORT, 0 },
		{ CA_REGISTER, 0 },
		{ CA_DISPATCH, LC_NEED_AGENCY },
		{ CA_ACKNOWLEDGE, 0 },
		{ CA_START, 0 },
		{ CA_FEEDBACK, 0 },
		{ CA_VERIFY, 0 },
		{ CA_REWORK, LC_NEED_REASON },
		{ CA_CLOSE, 0 },
		{ CA_RETURN, LC_NEED_CODE },
		{ CA_EXT_REQUEST, LC_NEED_REASON | LC_NEED_AMOUNT },
		{ CA_EXT_GRANT, 0 },
		{ CA_EXT_REFUSE, LC_NEED_REASON },
		{ CA_PRESS, 0 },
		{ CA_VOID, LC_NEED_REASON },
		{ CA_MERGE, LC_NEED_TARGET },
		{ CA_UNMERGE, 0 },
		{ CA_ESCALATE, LC_NEED_REASON },
		{ CA_PARK, LC_NEED_REASON },
		{ CA_UNPARK, 0 },
		{ CA_REOPEN, LC_NEED_REASON },
		{ CA_CALLBACK, LC_NEED_RESULT },
	};
	size_t	i;

	(void)state;
	assert_int_equal(NITEMS(rows), CA__COUNT);
	for (i = 0; i < NITEMS(rows); i++) {
		const struct lifecycle_rule *r = lifecycle_rule(rows[i].a);

		assert_non_null(r);
		assert_int_equal(r->action, rows[i].a);
		if (r->needs != rows[i].needs)
			fail_msg("%s needs %#x, want %#x",
			    case_action_name(rows[i].a), r->needs,
			    rows[i].needs);
	}
	/* report is the creation of a case, from no state at all */
	assert_int_equal(lifecycle_rule(CA_REPORT)->from, 0);
}

/* --- names --------------------------------------------------------------- */

static void
test_state_names(void **state)
{
	static const struct {
		enum case_state	 s;
		const char	*name, *zh;
	} rows[] = {
		{ CS_REPORTED, "reported", "上报" },
		{ CS_REGISTERED, "registered", "立案" },
		{ CS_DISPATCHED, "dispatched", "派遣" },
		{ CS_ACKNOWLEDGED, "acknowledged", "签收" },
		{ CS_IN_HAND, "in_hand", "处置" },
		{ CS_DONE, "done", "反馈" },
		{ CS_VERIFIED, "verified", "核查" },
		{ CS_CLOSED, "closed", "结案" },
		{ CS_RETURNED, "returned", "退单" },
		{ CS_ESCALATED, "escalated", "上报上级" },
		{ CS_PARKED, "parked", "挂账" },
		{ CS_MERGED, "merged", "合并" },
		{ CS_VOIDED, "voided", "作废" },
	};
	static const char *const bad[] = {
		"", "Reported", "REPORTED", "report", " reported", "reported ",
		"上", "上报 ", "in-hand", "?", "closed\n",
	};
	enum case_state	out;
	size_t		i;

	(void)state;
	assert_int_equal(NITEMS(rows), CS__COUNT);
	for (i = 0; i < NITEMS(rows); i++) {
		assert_string_equal(case_state_name(rows[i].s), rows[i].name);
		assert_string_equal(case_state_zh(rows[i].s), rows[i].zh);
		out = CS__COUNT;
		assert_int_equal(case_state_parse(rows[i].name, &out), 0);
		assert_int_equal(out, rows[i].s);
		out = CS__COUNT;
		assert_int_equal(case_state_parse(rows[i].zh, &out), 0);
		assert_int_equal(out, rows[i].s);
		/* round trip through the functions alone */
		assert_int_equal(case_state_parse(case_state_name(rows[i].s),
		    &out), 0);
		assert_int_equal(out, rows[i].s);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		out = CS_VOIDED;
		if (case_state_parse(bad[i], &out) != GL_EINVAL)
			fail_msg("state \"%s\" parsed", bad[i]);
		assert_int_equal(out, CS_VOIDED);
	}
	assert_string_equal(case_state_name(CS__COUNT), "?");
	assert_string_equal(case_state_zh(CS__COUNT), "?");
	assert_string_equal(case_state_name((enum case_state)-1), "?");
}

static void
test_action_names(void **state)
{
	static const struct {
		enum case_action a;
		const char	*name, *zh;
	} rows[] = {
		{ CA_REPORT, "report", "上报" },
		{ CA_REGISTER, "register", "立案" },
		{ CA_DISPATCH, "dispatch", "派遣" },
		{ CA_ACKNOWLEDGE, "acknowledge", "签收" },
		{ CA_START, "start", "处置" },
		{ CA_FEEDBACK, "feedback", "反馈" },
		{ CA_VERIFY, "verify", "核查通过" },
		{ CA_REWORK, "rework", "返工" },
		{ CA_CLOSE, "close", "结案" },
		{ CA_RETURN, "return", "退单" },
		{ CA_EXT_REQUEST, "extend", "延期申请" },
		{ CA_EXT_GRANT, "extend_grant", "批准延期" },
		{ CA_EXT_REFUSE, "extend_refuse", "驳回延期" },
		{ CA_PRESS, "press", "督办" },
		{ CA_VOID, "void", "作废" },
		{ CA_MERGE, "merge", "合并" },
		{ CA_UNMERGE, "unmerge", "取消合并" },
		{ CA_ESCALATE, "escalate", "上报上级" },
		{ CA_PARK, "park", "挂账" },
		{ CA_UNPARK, "unpark", "取消挂账" },
		{ CA_REOPEN, "reopen", "重新立案" },
		{ CA_CALLBACK, "callback", "回访" },
	};
	static const char *const bad[] = {
		"", "Dispatch", "extend-grant", "grant", "延期", "核查",
		"dispatched", "上报上", "report ",
	};
	enum case_action out;
	size_t		 i;

	(void)state;
	assert_int_equal(NITEMS(rows), CA__COUNT);
	for (i = 0; i < NITEMS(rows); i++) {
		assert_string_equal(case_action_name(rows[i].a), rows[i].name);
		assert_string_equal(case_action_zh(rows[i].a), rows[i].zh);
		out = CA__COUNT;
		assert_int_equal(case_action_parse(rows[i].name, &out), 0);
		assert_int_equal(out, rows[i].a);
		out = CA__COUNT;
		assert_int_equal(case_action_parse(rows[i].zh, &out), 0);
		assert_int_equal(out, rows[i].a);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		out = CA_PRESS;
		if (case_action_parse(bad[i], &out) != GL_EINVAL)
			fail_msg("action \"%s\" parsed", bad[i]);
		assert_int_equal(out, CA_PRESS);
	}
	assert_string_equal(case_action_name(CA__COUNT), "?");
	assert_string_equal(case_action_zh(CA__COUNT), "?");
}

static void
test_reason_names(void **state)
{
	static const struct {
		enum return_reason r;
		const char	*name, *zh;
	} rows[] = {
		{ RR_WRONG_AREA, "wrong_area", "属地不符" },
		{ RR_UNCLEAR, "unclear_ownership", "权属不清" },
		{ RR_OVERLAP, "overlapping_duty", "职能交叉" },
		{ RR_NOT_OURS, "not_our_duty", "非本单位职责" },
		{ RR_INCOMPLETE, "incomplete", "信息不全" },
		{ RR_OTHER, "other", "其他" },
	};
	static const char *const bad[] = {
		"", "Other", "wrong area", "unclear", "不清", "其它",
	};
	enum return_reason out;
	size_t		 i;

	(void)state;
	assert_int_equal(NITEMS(rows), RR__COUNT);
	for (i = 0; i < NITEMS(rows); i++) {
		assert_string_equal(return_reason_name(rows[i].r),
		    rows[i].name);
		assert_string_equal(return_reason_zh(rows[i].r), rows[i].zh);
		out = RR__COUNT;
		assert_int_equal(return_reason_parse(rows[i].name, &out), 0);
		assert_int_equal(out, rows[i].r);
		out = RR__COUNT;
		assert_int_equal(return_reason_parse(rows[i].zh, &out), 0);
		assert_int_equal(out, rows[i].r);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		out = RR_OTHER;
		if (return_reason_parse(bad[i], &out) != GL_EINVAL)
			fail_msg("reason \"%s\" parsed", bad[i]);
		assert_int_equal(out, RR_OTHER);
	}
	assert_string_equal(return_reason_name(RR__COUNT), "?");
	assert_string_equal(return_reason_zh(RR__COUNT), "?");
}

/* Names within one list are unique, so parsing is never ambiguous. */
static void
test_names_unique(void **state)
{
	int	i, j;

	(void)state;
	for (i = 0; i < CS__COUNT; i++)
		for (j = i + 1; j < CS__COUNT; j++) {
			assert_string_not_equal(case_state_name(i),
			    case_state_name(j));
			assert_string_not_equal(case_state_zh(i),
			    case_state_zh(j));
		}
	for (i = 0; i < CA__COUNT; i++)
		for (j = i + 1; j < CA__COUNT; j++) {
			assert_string_not_equal(case_action_name(i),
			    case_action_name(j));
			assert_string_not_equal(case_action_zh(i),
			    case_action_zh(j));
		}
	for (i = 0; i < RR__COUNT; i++)
		for (j = i + 1; j < RR__COUNT; j++) {
			assert_string_not_equal(return_reason_name(i),
			    return_reason_name(j));
			assert_string_not_equal(return_reason_zh(i),
			    return_reason_zh(j));
		}
}

/* --- per-state predicates ------------------------------------------------ */

static void
test_state_predicates(void **state)
{
	static const struct {
		enum case_state	 s;
		int		 open;		/* work still owed */
		int		 clock;		/* deadline clock runs */
		int		 waiting;	/* waits for acknowledgement */
		int		 unassigned;	/* on the desk, no agency */
	} rows[] = {
		{ CS_REPORTED,	   1, 0, 0, 0 },
		{ CS_REGISTERED,   1, 0, 0, 1 },
		{ CS_DISPATCHED,   1, 1, 1, 0 },
		{ CS_ACKNOWLEDGED, 1, 1, 0, 0 },
		{ CS_IN_HAND,	   1, 1, 0, 0 },
		{ CS_DONE,	   1, 0, 0, 0 },
		{ CS_VERIFIED,	   1, 0, 0, 0 },
		{ CS_CLOSED,	   0, 0, 0, 0 },
		{ CS_RETURNED,	   1, 0, 0, 1 },
		{ CS_ESCALATED,	   1, 0, 0, 1 },
		{ CS_PARKED,	   1, 0, 0, 0 },
		{ CS_MERGED,	   0, 0, 0, 0 },
		{ CS_VOIDED,	   0, 0, 0, 0 },
	};
	size_t	i;

	(void)state;
	assert_int_equal(NITEMS(rows), CS__COUNT);
	for (i = 0; i < NITEMS(rows); i++) {
		if (!case_state_open(rows[i].s) != !rows[i].open)
			fail_msg("case_state_open(%s) = %d, want %d",
			    case_state_name(rows[i].s),
			    case_state_open(rows[i].s), rows[i].open);
		if (!case_state_clock_runs(rows[i].s) != !rows[i].clock)
			fail_msg("case_state_clock_runs(%s) = %d, want %d",
			    case_state_name(rows[i].s),
			    case_state_clock_runs(rows[i].s), rows[i].clock);
		if (!case_waiting_ack(rows[i].s) != !rows[i].waiting)
			fail_msg("case_waiting_ack(%s) = %d, want %d",
			    case_state_name(rows[i].s),
			    case_waiting_ack(rows[i].s), rows[i].waiting);
		if (!case_unassigned(rows[i].s) != !rows[i].unassigned)
			fail_msg("case_unassigned(%s) = %d, want %d",
			    case_state_name(rows[i].s),
			    case_unassigned(rows[i].s), rows[i].unassigned);
	}
}

/*
 * Overdue and due soon: only while the clock runs (an agency holds the
 * case), only with a deadline, "soon" within the hour before it; at the
 * deadline itself a case is due soon, a second after it overdue.
 */
static void
test_deadline_rules(void **state)
{
	static const time_t now = 1795000000;	/* any instant */
	static const struct {
		enum case_state	 s;
		time_t		 due_at;
		int		 overdue, soon;
	} rows[] = {
		{ CS_DISPATCHED,   now - 1,		1, 0 },
		{ CS_ACKNOWLEDGED, now - 86400,		1, 0 },
		{ CS_IN_HAND,	   now - 1,		1, 0 },
		{ CS_DISPATCHED,   now,			0, 1 },
		{ CS_IN_HAND,	   now + 1,		0, 1 },
		{ CS_IN_HAND,	   now + 3599,		0, 1 },
		{ CS_IN_HAND,	   now + 3600,		0, 0 },
		{ CS_ACKNOWLEDGED, now + 86400,		0, 0 },
		{ CS_DISPATCHED,   0,			0, 0 },	/* none */
		/* the clock stands: never overdue, never due soon */
		{ CS_PARKED,	   now - 3600,		0, 0 },
		{ CS_PARKED,	   now + 60,		0, 0 },
		{ CS_DONE,	   now - 1,		0, 0 },
		{ CS_VERIFIED,	   now - 1,		0, 0 },
		{ CS_RETURNED,	   now - 1,		0, 0 },
		{ CS_REGISTERED,   now - 1,		0, 0 },
		{ CS_CLOSED,	   now - 1,		0, 0 },
		{ CS_MERGED,	   now + 60,		0, 0 },
	};
	size_t	i;
	int	bad = 0, o, d;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		o = case_overdue(rows[i].s, rows[i].due_at, now);
		d = case_due_soon(rows[i].s, rows[i].due_at, now);
		if (!o != !rows[i].overdue || !d != !rows[i].soon) {
			printf("row %zu: %s due %+lld s: overdue %d soon %d, "
			    "want %d %d\n", i, case_state_name(rows[i].s),
			    rows[i].due_at ? (long long)(rows[i].due_at -
			    now) : 0LL, o, d, rows[i].overdue, rows[i].soon);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_disputed(void **state)
{
	static const struct {
		int	returns, disputed;
	} rows[] = {
		{ 0, 0 }, { 1, 0 }, { 2, 1 }, { 3, 1 }, { 100, 1 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++)
		if (!case_disputed(rows[i].returns) != !rows[i].disputed)
			fail_msg("case_disputed(%d) = %d, want %d",
			    rows[i].returns, case_disputed(rows[i].returns),
			    rows[i].disputed);
}

/* --- the workflow on a live case ------------------------------------------ */

/* One step of a scripted walk: an action and the state it must reach. */
struct walk_step {
	enum case_action	 action;
	enum case_state		 want;
	int			 ext;		/* ext_pending afterwards */
};

static void
walk_incident(struct incident *in, const char *ext_id, const char *summary,
    time_t at)
{
	memset(in, 0, sizeof *in);
	in->ext_id = ext_id;
	in->grid = "330203003001001";
	in->township = "330203003";
	in->district = "330203";
	in->category = "1103";
	in->priority = 2;
	in->limit = 8;
	in->unit = CAL_WORK_HOURS;
	in->summary = summary;
	in->source = "grid-app";
	in->reported_at = at;
}

static void
walk(struct store *st, const char *no, const char *target,
    const struct walk_step *steps, size_t n, time_t *at)
{
	struct store_case	c;
	struct case_act		a;
	char			err[256];
	size_t			i;
	int			rc;

	for (i = 0; i < n; i++) {
		memset(&a, 0, sizeof a);
		a.action = steps[i].action;
		a.actor = "调度员";
		a.at = (*at += 600);
		a.agency = "330203.ZF";
		a.reason_code = "not_our_duty";
		a.reason = "测试原因";
		a.target = target;
		a.amount = 2;
		memset(&c, 0, sizeof c);
		rc = store_case_apply(st, no, &a, &c, NULL, err, sizeof err);
		if (rc != 0)
			fail_msg("step %zu (%s): rc %d: %s", i,
			    case_action_name(a.action), rc, err);
		if (c.state != steps[i].want || c.ext_pending != steps[i].ext)
			fail_msg("step %zu (%s): state %s ext %d, want %s "
			    "ext %d", i, case_action_name(a.action),
			    case_state_name(c.state), c.ext_pending,
			    case_state_name(steps[i].want), steps[i].ext);
		store_case_clear(&c);
	}
}

/* The walk's scratch database, removed by the teardown even when a step
 * fails. */
struct walk_fx {
	char		 dir[512];
	struct store	*st;
};

static int
walk_setup(void **state)
{
	struct walk_fx	*f = calloc(1, sizeof *f);
	char		 path[600], err[256];

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s", tu_tmpdir());
	snprintf(path, sizeof path, "%s/walk.db", f->dir);
	if (store_open(path, &f->st, err, sizeof err) != 0) {
		fprintf(stderr, "store_open: %s\n", err);
		tu_rmtree(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
walk_teardown(void **state)
{
	struct walk_fx	*f = *state;

	store_close(f->st);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

static void
test_store_walk(void **state)
{
	static const struct walk_step main_line[] = {
		{ CA_REGISTER, CS_REGISTERED, 0 },
		{ CA_ESCALATE, CS_ESCALATED, 0 },
		{ CA_DISPATCH, CS_DISPATCHED, 0 },
		{ CA_PRESS, CS_DISPATCHED, 0 },
		{ CA_RETURN, CS_RETURNED, 0 },
		{ CA_PARK, CS_PARKED, 0 },
		{ CA_UNPARK, CS_RETURNED, 0 },
		{ CA_DISPATCH, CS_DISPATCHED, 0 },
		{ CA_ACKNOWLEDGE, CS_ACKNOWLEDGED, 0 },
		{ CA_EXT_REQUEST, CS_ACKNOWLEDGED, 1 },
		{ CA_EXT_REFUSE, CS_ACKNOWLEDGED, 0 },
		{ CA_START, CS_IN_HAND, 0 },
		{ CA_EXT_REQUEST, CS_IN_HAND, 1 },
		{ CA_EXT_GRANT, CS_IN_HAND, 0 },
		{ CA_PARK, CS_PARKED, 0 },
		{ CA_UNPARK, CS_IN_HAND, 0 },
		{ CA_FEEDBACK, CS_DONE, 0 },
		{ CA_REWORK, CS_DISPATCHED, 0 },
		{ CA_ACKNOWLEDGE, CS_ACKNOWLEDGED, 0 },
		{ CA_START, CS_IN_HAND, 0 },
		{ CA_FEEDBACK, CS_DONE, 0 },
		{ CA_VERIFY, CS_VERIFIED, 0 },
		{ CA_CLOSE, CS_CLOSED, 0 },
		{ CA_REOPEN, CS_REGISTERED, 0 },
		{ CA_DISPATCH, CS_DISPATCHED, 0 },
	};
	static const struct walk_step dup_line[] = {
		{ CA_REGISTER, CS_REGISTERED, 0 },
		{ CA_DISPATCH, CS_DISPATCHED, 0 },
		{ CA_MERGE, CS_MERGED, 0 },
		{ CA_UNMERGE, CS_DISPATCHED, 0 },
		{ CA_RETURN, CS_RETURNED, 0 },
		{ CA_VOID, CS_VOIDED, 0 },
		{ CA_REOPEN, CS_REGISTERED, 0 },
		{ CA_VOID, CS_VOIDED, 0 },
	};
	struct walk_fx		*f = *state;
	struct store		*st = f->st;
	char			 err[256], a_no[32], b_no[32];
	struct incident		 in;
	struct store_created	 cr;
	time_t			 at = tu_local("2026-11-30 08:40");

	walk_incident(&in, "walk-a", "西门街道望京路井盖缺失", at);
	assert_int_equal(store_case_create(st, &in, "网格员", at, &cr, NULL,
	    err, sizeof err), 0);
	snprintf(a_no, sizeof a_no, "%s", cr.no);
	walk_incident(&in, "walk-b", "望京路井盖缺失（重复上报）", at + 3600);
	assert_int_equal(store_case_create(st, &in, "网格员", at + 3600, &cr,
	    NULL, err, sizeof err), 0);
	snprintf(b_no, sizeof b_no, "%s", cr.no);

	walk(st, b_no, a_no, dup_line, NITEMS(dup_line), &at);
	walk(st, a_no, b_no, main_line, NITEMS(main_line), &at);
	/* 2 reports + every step logged */
	assert_int_equal(store_last_seq(st),
	    2 + NITEMS(main_line) + NITEMS(dup_line));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sane),
		cmocka_unit_test(test_check_table),
		cmocka_unit_test(test_check_bad_action),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test(test_state_predicates),
		cmocka_unit_test(test_deadline_rules),
		cmocka_unit_test(test_disputed),
		cmocka_unit_test_setup_teardown(test_store_walk, walk_setup,
		    walk_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
