/*
 * rights.h: who may do what, one table (issue 12's roles).
 *
 * An operator has one role; agency and township operators are bound to
 * one agency or township. Whether an operator may take an action on a
 * case is asked here, by the server before the lifecycle, and by a
 * console to show an action as unavailable (never to hide it): both ask
 * the same question the same way. A refusal names its rule, so that it
 * can be said ("only a supervisor may reopen a case", "the case is not
 * your agency's") rather than a bare "forbidden".
 *
 * The lifecycle (lifecycle.h) decides what may happen to a case in its
 * state; this decides who may make it happen. The two refuse with
 * different codes: not_allowed and forbidden.
 */
#ifndef GL_RIGHTS_H
#define GL_RIGHTS_H

#include <stddef.h>

#include "lifecycle.h"

#define RIGHTS_ROLE_LIST(X)						\
	X(ADMIN,	"admin",	"管理员")			\
	X(SUPERVISOR,	"supervisor",	"值班长")			\
	X(DISPATCHER,	"dispatcher",	"调度员")			\
	X(TOWNSHIP,	"township",	"镇街指挥")			\
	X(AGENCY,	"agency",	"处置单位")			\
	X(TRAINEE,	"trainee",	"学员")				\
	X(VIEWER,	"viewer",	"只读")

enum rights_role {
#define RR_ROLE_ENUM(e, name, zh) RL_##e,
	RIGHTS_ROLE_LIST(RR_ROLE_ENUM)
#undef RR_ROLE_ENUM
	RL__COUNT
};

/* Why an action was refused: the rule, as a stable name for the wire. */
#define RIGHTS_RULE_LIST(X)						\
	X(ROLE,		"role",		"the operator's role does not "	\
	    "take this action")						\
	X(AGENCY,	"agency_scope",	"the case is not dispatched to "	\
	    "the operator's agency")					\
	X(TOWNSHIP,	"township_scope", "the case is not in the "	\
	    "operator's township")					\
	X(COMMAND,	"township_command", "the agency is not one the "	\
	    "township commands")					\
	X(TRAINING,	"training_only", "a trainee acts on a training "	\
	    "server only")						\
	X(DISPUTE,	"dispute",	"the case is disputed (returned "	\
	    "twice or more): a supervisor decides where it goes")	\
	X(DISPATCHED,	"dispatched",	"the case was dispatched: only a "	\
	    "supervisor voids it now")

enum rights_rule {
	RULE_NONE = 0,
#define RR_RULE_ENUM(e, name, msg) RULE_##e,
	RIGHTS_RULE_LIST(RR_RULE_ENUM)
#undef RR_RULE_ENUM
	RULE__COUNT
};

/* Who acts. */
struct rights_who {
	enum rights_role role;
	const char	*agency;	/* RL_AGENCY: its agency code */
	const char	*township;	/* RL_TOWNSHIP: its township code */
};

/* What of the case the rules look at, as a server or a console has it. */
struct rights_case {
	const char	*agency;	/* dispatched to; NULL or "": none */
	const char	*township;
	int		 returns;	/* times returned ("not ours") */
};

/* Where a dispatch sends the case, for a township's command scope. */
struct rights_target {
	const char	*agency;	/* NULL: not a dispatch */
	const char	*jurisdiction;	/* the agency's (agencies.tsv) */
};

const char *rights_role_name(enum rights_role r);	/* "dispatcher" */
const char *rights_role_zh(enum rights_role r);		/* "调度员" */
int	rights_role_parse(const char *s, enum rights_role *out);
const char *rights_rule_name(enum rights_rule r);	/* "agency_scope" */
const char *rights_rule_message(enum rights_rule r);

/* 1 when role r is bound to an agency (RL_AGENCY) or a township
 * (RL_TOWNSHIP): the binding is then required. */
int	rights_needs_agency(enum rights_role r);
int	rights_needs_township(enum rights_role r);

/* May who take action a on case c (dispatching it to t, for a dispatch),
 * on a training server or not? RULE_NONE when it may, else the rule that
 * refuses it. Not the case's state: that is lifecycle_check's. */
enum rights_rule rights_check(const struct rights_who *who,
	    enum case_action a, const struct rights_case *c,
	    const struct rights_target *t, int training);

/* Things that are not case actions. */
enum rights_thing {
	RT_READ,		/* snapshots, search, status */
	RT_OPERATORS,		/* add, disable, change roles */
	RT_RELOAD,		/* reload the reference data */
	RT_RATE,		/* rate a stationed unit (a township's) */
	RT__COUNT
};

enum rights_rule rights_check_thing(const struct rights_who *who,
	    enum rights_thing t);

/* May who see case c at all (a snapshot, a search, a case's page, its
 * events)? An agency operator sees the cases dispatched to its agency, a
 * township operator its township's; the others every case. RULE_NONE, or
 * the scope rule that hides it. */
enum rights_rule rights_sees(const struct rights_who *who,
	    const struct rights_case *c);

/* The table itself, for showing it (gridline operator roles): 1 when role
 * r takes action a or may do thing t somewhere in its reach. */
int	rights_role_takes(enum rights_role r, enum case_action a);
int	rights_role_may(enum rights_role r, enum rights_thing t);
const char *rights_thing_name(enum rights_thing t);	/* "operators" */

#endif
