/*
 * rights.c: the roles table (see rights.h).
 *
 * One row a role: the case actions it takes, the other things it may do,
 * the cases it reaches (any, its agency's, its township's), and whether
 * it supervises. The rows are the roles word for word:
 *   dispatcher  the desk: register, dispatch, press, merge, void before
 *               dispatch, escalate, park and unpark, verify, close, rework;
 *               and the 12345 call-back's result (回访), as the centre
 *               that answers the hotline (a call-back that reopens the
 *               case is a reopen too, so a supervisor's: ops.c asks both);
 *   supervisor  the desk and the chief's: grant or refuse extensions,
 *               unmerge, void after dispatch, reopen, dispatch a disputed
 *               case (overriding the dispute);
 *   agency      the field, on cases dispatched to its agency: acknowledge,
 *               start, report done, return, ask for an extension;
 *   township    the desk on its township's cases, dispatching only to
 *               agencies of its own jurisdiction (its offices and the
 *               stationed units it commands); rates stationed units;
 *   trainee     the desk, on a training server only;
 *   viewer      reads; admin reads, manages operators, reloads data.
 * The field's steps are the agency's own: a dispatcher no longer keys
 * them on the agency's behalf, so the time an agency takes is its own.
 */
#include <stdint.h>
#include <string.h>

#include "rights.h"

#define A(x)	(1ull << CA_##x)
#define T(x)	(1u << RT_##x)

#define DESK	(A(REGISTER) | A(DISPATCH) | A(PRESS) | A(MERGE) | A(VOID) | \
		    A(ESCALATE) | A(PARK) | A(UNPARK) | A(VERIFY) | A(CLOSE) | \
		    A(REWORK))
#define CHIEF	(A(EXT_GRANT) | A(EXT_REFUSE) | A(UNMERGE) | A(REOPEN))
#define FIELD	(A(ACKNOWLEDGE) | A(START) | A(FEEDBACK) | A(RETURN) | \
		    A(EXT_REQUEST))

enum scope { SCOPE_ANY, SCOPE_AGENCY, SCOPE_TOWNSHIP };

struct role_row {
	const char	*name, *zh;
	uint64_t	 actions;	/* 1 << enum case_action */
	unsigned	 things;	/* 1 << enum rights_thing */
	enum scope	 scope;
	int		 supervises;	/* void after dispatch, disputes */
	int		 training_only;
};

static const struct role_row rights_roles[RL__COUNT] = {
	[RL_ADMIN] = { "admin", "管理员", 0,
	    T(READ) | T(OPERATORS) | T(RELOAD), SCOPE_ANY, 0, 0 },
	[RL_SUPERVISOR] = { "supervisor", "值班长", DESK | CHIEF | A(CALLBACK),
	    T(READ),
	    SCOPE_ANY, 1, 0 },
	[RL_DISPATCHER] = { "dispatcher", "调度员", DESK | A(CALLBACK), T(READ),
	    SCOPE_ANY, 0, 0 },
	[RL_TOWNSHIP] = { "township", "镇街指挥", DESK, T(READ) | T(RATE),
	    SCOPE_TOWNSHIP, 0, 0 },
	[RL_AGENCY] = { "agency", "处置单位", FIELD, T(READ), SCOPE_AGENCY,
	    0, 0 },
	[RL_TRAINEE] = { "trainee", "学员", DESK, T(READ), SCOPE_ANY, 0, 1 },
	[RL_VIEWER] = { "viewer", "只读", 0, T(READ), SCOPE_ANY, 0, 0 },
};

static const struct {
	const char	*name, *msg;
} rights_rules[RULE__COUNT] = {
	[RULE_NONE] = { "none", "allowed" },
#define RR_RULE_ROW(e, name, msg) [RULE_##e] = { name, msg },
	RIGHTS_RULE_LIST(RR_RULE_ROW)
#undef RR_RULE_ROW
};

const char *
rights_role_name(enum rights_role r)
{
	return (unsigned)r < RL__COUNT ? rights_roles[r].name : "unknown";
}

const char *
rights_role_zh(enum rights_role r)
{
	return (unsigned)r < RL__COUNT ? rights_roles[r].zh : "?";
}

int
rights_role_parse(const char *s, enum rights_role *out)
{
	int	r;

	for (r = 0; r < RL__COUNT; r++)
		if (strcmp(s, rights_roles[r].name) == 0 ||
		    strcmp(s, rights_roles[r].zh) == 0) {
			*out = (enum rights_role)r;
			return 0;
		}
	return -1;
}

const char *
rights_rule_name(enum rights_rule r)
{
	return (unsigned)r < RULE__COUNT ? rights_rules[r].name : "unknown";
}

const char *
rights_rule_message(enum rights_rule r)
{
	return (unsigned)r < RULE__COUNT ? rights_rules[r].msg : "unknown";
}

int
rights_needs_agency(enum rights_role r)
{
	return (unsigned)r < RL__COUNT &&
	    rights_roles[r].scope == SCOPE_AGENCY;
}

int
rights_needs_township(enum rights_role r)
{
	return (unsigned)r < RL__COUNT &&
	    rights_roles[r].scope == SCOPE_TOWNSHIP;
}

/* a and b both set and equal. */
static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && *a != '\0' && strcmp(a, b) == 0;
}

enum rights_rule
rights_check(const struct rights_who *who, enum case_action a,
    const struct rights_case *c, const struct rights_target *t, int training)
{
	const struct role_row	*row;
	int			 dispatched;

	if ((unsigned)who->role >= RL__COUNT || (unsigned)a >= CA__COUNT)
		return RULE_ROLE;
	row = &rights_roles[who->role];
	if ((row->actions & (1ull << a)) == 0)
		return RULE_ROLE;
	if (row->training_only && !training)
		return RULE_TRAINING;
	if (row->scope == SCOPE_AGENCY && !same(c->agency, who->agency))
		return RULE_AGENCY;
	if (row->scope == SCOPE_TOWNSHIP && !same(c->township, who->township))
		return RULE_TOWNSHIP;
	if (a == CA_DISPATCH && row->scope == SCOPE_TOWNSHIP && (t == NULL ||
	    !same(t->jurisdiction, who->township)))
		return RULE_COMMAND;
	if (a == CA_DISPATCH && case_disputed(c->returns) && !row->supervises)
		return RULE_DISPUTE;
	dispatched = (c->agency != NULL && *c->agency != '\0') ||
	    c->returns > 0;
	if (a == CA_VOID && dispatched && !row->supervises)
		return RULE_DISPATCHED;
	return RULE_NONE;
}

enum rights_rule
rights_check_thing(const struct rights_who *who, enum rights_thing t)
{
	if ((unsigned)who->role >= RL__COUNT || (unsigned)t >= RT__COUNT ||
	    (rights_roles[who->role].things & (1u << t)) == 0)
		return RULE_ROLE;
	return RULE_NONE;
}

enum rights_rule
rights_sees(const struct rights_who *who, const struct rights_case *c)
{
	if (who->role == RL_AGENCY && (c->agency == NULL || who->agency ==
	    NULL || strcmp(c->agency, who->agency) != 0))
		return RULE_AGENCY;
	if (who->role == RL_TOWNSHIP && (c->township == NULL ||
	    who->township == NULL || strcmp(c->township, who->township) != 0))
		return RULE_TOWNSHIP;
	return RULE_NONE;
}

int
rights_role_takes(enum rights_role r, enum case_action a)
{
	return (unsigned)r < RL__COUNT && (unsigned)a < CA__COUNT &&
	    (rights_roles[r].actions & (1ull << a)) != 0;
}

int
rights_role_may(enum rights_role r, enum rights_thing t)
{
	return (unsigned)r < RL__COUNT && (unsigned)t < RT__COUNT &&
	    (rights_roles[r].things & (1u << t)) != 0;
}

const char *
rights_thing_name(enum rights_thing t)
{
	static const char *const names[RT__COUNT] = {
		[RT_READ] = "read", [RT_OPERATORS] = "operators",
		[RT_RELOAD] = "reload", [RT_RATE] = "rate",
	};

	return (unsigned)t < RT__COUNT ? names[t] : "unknown";
}
