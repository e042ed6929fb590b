/*
 * lifecycle.c: the transition table of cases (see lifecycle.h).
 *
 * A table and one check function rather than a switch per action: the
 * tests iterate the table to try every action in every state, and a change
 * of the workflow is a change of one row.
 */
#include <string.h>

#include "error.h"
#include "lifecycle.h"

#define S(x)	(1u << CS_##x)

/* States held by the dispatcher (not yet, or no longer, with an agency). */
#define AT_DESK	(S(REGISTERED) | S(RETURNED) | S(ESCALATED))
/* States in an agency's hands. */
#define AT_AGENCY (S(DISPATCHED) | S(ACKNOWLEDGED) | S(IN_HAND))

static const struct lifecycle_rule lifecycle_rules[CA__COUNT] = {
	{ CA_REPORT,	  0, CS_REPORTED, 0, 0 },
	{ CA_REGISTER,	  S(REPORTED), CS_REGISTERED, 0, 0 },
	{ CA_DISPATCH,	  AT_DESK, CS_DISPATCHED, LC_NEED_AGENCY, 0 },
	{ CA_ACKNOWLEDGE, S(DISPATCHED), CS_ACKNOWLEDGED, 0, 0 },
	{ CA_START,	  S(ACKNOWLEDGED), CS_IN_HAND, 0, 0 },
	{ CA_FEEDBACK,	  S(IN_HAND), CS_DONE, 0, 0 },
	{ CA_VERIFY,	  S(DONE), CS_VERIFIED, 0, 0 },
	{ CA_REWORK,	  S(DONE), CS_DISPATCHED, LC_NEED_REASON, 0 },
	{ CA_CLOSE,	  S(VERIFIED), CS_CLOSED, 0, 0 },
	{ CA_RETURN,	  AT_AGENCY, CS_RETURNED, LC_NEED_CODE, 0 },
	{ CA_EXT_REQUEST, S(ACKNOWLEDGED) | S(IN_HAND), LC_TO_SAME,
	    LC_NEED_REASON | LC_NEED_AMOUNT, -1 },
	{ CA_EXT_GRANT,	  S(ACKNOWLEDGED) | S(IN_HAND), LC_TO_SAME, 0, 1 },
	{ CA_EXT_REFUSE,  S(ACKNOWLEDGED) | S(IN_HAND), LC_TO_SAME,
	    LC_NEED_REASON, 1 },
	{ CA_PRESS,	  AT_AGENCY, LC_TO_SAME, 0, 0 },
	{ CA_VOID,	  S(REPORTED) | AT_DESK, CS_VOIDED, LC_NEED_REASON, 0 },
	{ CA_MERGE,	  S(REPORTED) | AT_DESK | S(DISPATCHED), CS_MERGED,
	    LC_NEED_TARGET, 0 },
	{ CA_UNMERGE,	  S(MERGED), LC_TO_BEFORE, 0, 0 },
	{ CA_ESCALATE,	  AT_DESK, CS_ESCALATED, LC_NEED_REASON, 0 },
	{ CA_PARK,	  AT_DESK | AT_AGENCY, CS_PARKED, LC_NEED_REASON, 0 },
	{ CA_UNPARK,	  S(PARKED), LC_TO_BEFORE, 0, 0 },
	/* a closed case whose matter came back (the public says it is not
	 * solved), or a case voided by mistake: to the desk again */
	{ CA_REOPEN,	  S(CLOSED) | S(VOIDED), CS_REGISTERED,
	    LC_NEED_REASON, 0 },
	/* the reporter's answer to the 12345 call-back; the case stays
	 * closed, or with reopen (unsatisfied only) goes to the desk as a
	 * reopen sends it (store-case.c) */
	{ CA_CALLBACK,	  S(CLOSED), LC_TO_SAME, LC_NEED_RESULT, 0 },
};

struct lc_names {
	const char	*name;
	const char	*zh;
};

static const struct lc_names state_names[CS__COUNT] = {
#define CS_NAME(e, name, zh) { name, zh },
	CASE_STATE_LIST(CS_NAME)
#undef CS_NAME
};

static const struct lc_names action_names[CA__COUNT] = {
#define CA_NAME(e, name, zh) { name, zh },
	CASE_ACTION_LIST(CA_NAME)
#undef CA_NAME
};

static const struct lc_names reason_names[RR__COUNT] = {
#define RR_NAME(e, name, zh) { name, zh },
	RETURN_REASON_LIST(RR_NAME)
#undef RR_NAME
};

static const struct lc_names result_names[CB__COUNT] = {
#define CB_NAME(e, name, zh) { name, zh },
	CALLBACK_RESULT_LIST(CB_NAME)
#undef CB_NAME
};

/* Index of s in names (by English or Chinese name), or -1. */
static int
lc_parse(const struct lc_names *names, int n, const char *s)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i].name) == 0 ||
		    strcmp(s, names[i].zh) == 0)
			return i;
	return -1;
}

/* The English or Chinese name of entry i, "?" when out of range. */
static const char *
lc_name(const struct lc_names *names, int n, int i, int zh)
{
	if (i < 0 || i >= n)
		return "?";
	return zh ? names[i].zh : names[i].name;
}

const char *
case_state_name(enum case_state s)
{
	return lc_name(state_names, CS__COUNT, (int)s, 0);
}

const char *
case_state_zh(enum case_state s)
{
	return lc_name(state_names, CS__COUNT, (int)s, 1);
}

int
case_state_parse(const char *s, enum case_state *out)
{
	int	i = lc_parse(state_names, CS__COUNT, s);

	if (i < 0)
		return GL_EINVAL;
	*out = (enum case_state)i;
	return 0;
}

const char *
case_action_name(enum case_action a)
{
	return lc_name(action_names, CA__COUNT, (int)a, 0);
}

const char *
case_action_zh(enum case_action a)
{
	return lc_name(action_names, CA__COUNT, (int)a, 1);
}

int
case_action_parse(const char *s, enum case_action *out)
{
	int	i = lc_parse(action_names, CA__COUNT, s);

	if (i < 0)
		return GL_EINVAL;
	*out = (enum case_action)i;
	return 0;
}

const char *
return_reason_name(enum return_reason r)
{
	return lc_name(reason_names, RR__COUNT, (int)r, 0);
}

const char *
return_reason_zh(enum return_reason r)
{
	return lc_name(reason_names, RR__COUNT, (int)r, 1);
}

int
return_reason_parse(const char *s, enum return_reason *out)
{
	int	i = lc_parse(reason_names, RR__COUNT, s);

	if (i < 0)
		return GL_EINVAL;
	*out = (enum return_reason)i;
	return 0;
}

const char *
callback_result_name(enum callback_result r)
{
	return lc_name(result_names, CB__COUNT, (int)r, 0);
}

const char *
callback_result_zh(enum callback_result r)
{
	return lc_name(result_names, CB__COUNT, (int)r, 1);
}

int
callback_result_parse(const char *s, enum callback_result *out)
{
	int	i = lc_parse(result_names, CB__COUNT, s);

	if (i < 0)
		return GL_EINVAL;
	*out = (enum callback_result)i;
	return 0;
}

int
case_state_open(enum case_state s)
{
	return s != CS_CLOSED && s != CS_MERGED && s != CS_VOIDED;
}

int
case_state_clock_runs(enum case_state s)
{
	return ((1u << s) & AT_AGENCY) != 0;
}

int
case_overdue(enum case_state s, time_t due_at, time_t now)
{
	return due_at != 0 && case_state_clock_runs(s) && due_at < now;
}

int
case_due_soon(enum case_state s, time_t due_at, time_t now)
{
	return due_at != 0 && case_state_clock_runs(s) && due_at >= now &&
	    due_at - now < CASE_DUE_SOON;
}

int
case_disputed(int returns)
{
	return returns >= CASE_DISPUTED_RETURNS;
}

int
case_waiting_ack(enum case_state s)
{
	return s == CS_DISPATCHED;
}

int
case_unassigned(enum case_state s)
{
	return ((1u << s) & AT_DESK) != 0;
}

const struct lifecycle_rule *
lifecycle_rule(enum case_action a)
{
	return (unsigned)a < CA__COUNT ? &lifecycle_rules[a] : NULL;
}

int
lifecycle_check(enum case_state s, int ext_pending, enum case_state before,
    enum case_action a, enum case_state *to, char *err, size_t errlen)
{
	const struct lifecycle_rule *r = lifecycle_rule(a);

	if (r == NULL)
		return gl_err(err, errlen, GL_EINVAL, "unknown action %d", a);
	if ((r->from & (1u << s)) == 0)
		return gl_err(err, errlen, GL_ESTATE, "cannot %s (%s) a case "
		    "that is %s (%s)", action_names[a].name,
		    action_names[a].zh, state_names[s].name,
		    state_names[s].zh);
	if (r->ext < 0 && ext_pending)
		return gl_err(err, errlen, GL_ESTATE, "cannot %s (%s) a case "
		    "that is %s (%s): an extension request is already pending",
		    action_names[a].name, action_names[a].zh,
		    state_names[s].name, state_names[s].zh);
	if (r->ext > 0 && !ext_pending)
		return gl_err(err, errlen, GL_ESTATE, "cannot %s (%s) a case "
		    "that is %s (%s): no extension request is pending",
		    action_names[a].name, action_names[a].zh,
		    state_names[s].name, state_names[s].zh);
	if (r->to == LC_TO_SAME)
		*to = s;
	else if (r->to == LC_TO_BEFORE)
		*to = before;
	else
		*to = (enum case_state)r->to;
	return 0;
}
