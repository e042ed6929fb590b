/*
 * lifecycle.h: the case state machine.
 *
 * Every move of a case is an action in one table: the states it may start
 * from, the state it leads to, and what it needs (a reason, an agency, a
 * target case). The table is the single source of truth: the store refuses
 * what it does not allow, the console builds its menus from it, the tests
 * walk all of it. Moves that do not change the state (press, the extension
 * steps) are still actions, so they land in the event log like any other.
 *
 *   reported -register-> registered -dispatch-> dispatched -acknowledge->
 *   acknowledged -start-> in_hand -feedback-> done -verify-> verified
 *   -close-> closed
 *
 * and around it: return (to the dispatcher, as "returned"), rework (done ->
 * dispatched), escalate (to the level above, as "escalated", dispatchable
 * there), park/unpark, merge/unmerge, void, reopen (closed or voided back
 * to registered), press, callback (the 12345 hotline's call-back to the
 * reporter of a closed hotline case, 回访: its result is recorded and the
 * case stays closed, unless an unsatisfied one asks to reopen it, which
 * then goes back to registered as a reopen does), and extension request,
 * grant and refuse (a flag, not a state: the case stays where it is while
 * its clock is paused).
 */
#ifndef GL_LIFECYCLE_H
#define GL_LIFECYCLE_H

#include <stddef.h>
#include <time.h>

#define CASE_STATE_LIST(X)						\
	X(REPORTED,	"reported",	"上报")				\
	X(REGISTERED,	"registered",	"立案")				\
	X(DISPATCHED,	"dispatched",	"派遣")				\
	X(ACKNOWLEDGED,	"acknowledged",	"签收")				\
	X(IN_HAND,	"in_hand",	"处置")				\
	X(DONE,		"done",		"反馈")				\
	X(VERIFIED,	"verified",	"核查")				\
	X(CLOSED,	"closed",	"结案")				\
	X(RETURNED,	"returned",	"退单")				\
	X(ESCALATED,	"escalated",	"上报上级")			\
	X(PARKED,	"parked",	"挂账")				\
	X(MERGED,	"merged",	"合并")				\
	X(VOIDED,	"voided",	"作废")

enum case_state {
#define CS_ENUM(e, name, zh) CS_##e,
	CASE_STATE_LIST(CS_ENUM)
#undef CS_ENUM
	CS__COUNT
};

/* Needs of an action, or-ed in lifecycle_rule.needs. */
#define LC_NEED_REASON	0x01	/* a reason text (or code) is required */
#define LC_NEED_AGENCY	0x02	/* an agency code is required */
#define LC_NEED_TARGET	0x04	/* another case number is required */
#define LC_NEED_CODE	0x08	/* a return reason code is required */
#define LC_NEED_AMOUNT	0x10	/* a positive amount (extension) */
#define LC_NEED_RESULT	0x20	/* a call-back result (callback) */

#define CASE_ACTION_LIST(X)						\
	X(REPORT,	"report",	"上报")				\
	X(REGISTER,	"register",	"立案")				\
	X(DISPATCH,	"dispatch",	"派遣")				\
	X(ACKNOWLEDGE,	"acknowledge",	"签收")				\
	X(START,	"start",	"处置")				\
	X(FEEDBACK,	"feedback",	"反馈")				\
	X(VERIFY,	"verify",	"核查通过")			\
	X(REWORK,	"rework",	"返工")				\
	X(CLOSE,	"close",	"结案")				\
	X(RETURN,	"return",	"退单")				\
	X(EXT_REQUEST,	"extend",	"延期申请")			\
	X(EXT_GRANT,	"extend_grant",	"批准延期")			\
	X(EXT_REFUSE,	"extend_refuse", "驳回延期")			\
	X(PRESS,	"press",	"督办")				\
	X(VOID,		"void",		"作废")				\
	X(MERGE,	"merge",	"合并")				\
	X(UNMERGE,	"unmerge",	"取消合并")			\
	X(ESCALATE,	"escalate",	"上报上级")			\
	X(PARK,		"park",		"挂账")				\
	X(UNPARK,	"unpark",	"取消挂账")			\
	X(REOPEN,	"reopen",	"重新立案")				\
	X(CALLBACK,	"callback",	"回访")

enum case_action {
#define CA_ENUM(e, name, zh) CA_##e,
	CASE_ACTION_LIST(CA_ENUM)
#undef CA_ENUM
	CA__COUNT
};

/* Where an action leads. */
#define LC_TO_SAME	(-1)	/* stays in its state */
#define LC_TO_BEFORE	(-2)	/* back to the state it had before
				   (unmerge, unpark) */

struct lifecycle_rule {
	enum case_action action;
	unsigned	 from;		/* mask of (1u << state) */
	int		 to;		/* a state, LC_TO_SAME or LC_TO_BEFORE */
	unsigned	 needs;		/* LC_NEED_* */
	int		 ext;		/* -1: needs no pending extension, 1:
					   needs one, 0: either */
};

/* Return reason codes (退单原因). */
#define RETURN_REASON_LIST(X)						\
	X(WRONG_AREA,	"wrong_area",	"属地不符")			\
	X(UNCLEAR,	"unclear_ownership", "权属不清")		\
	X(OVERLAP,	"overlapping_duty", "职能交叉")			\
	X(NOT_OURS,	"not_our_duty",	"非本单位职责")			\
	X(INCOMPLETE,	"incomplete",	"信息不全")			\
	X(OTHER,	"other",	"其他")

enum return_reason {
#define RR_ENUM(e, name, zh) RR_##e,
	RETURN_REASON_LIST(RR_ENUM)
#undef RR_ENUM
	RR__COUNT
};

/* Results of a 12345 call-back (回访) to the reporter. Satisfied and
 * basically satisfied count as pleased in the satisfaction rate,
 * unreachable is out of its base (core/figures.c). */
#define CALLBACK_RESULT_LIST(X)						\
	X(SATISFIED,	"satisfied",	"满意")				\
	X(BASIC,	"basically_satisfied", "基本满意")		\
	X(UNSATISFIED,	"unsatisfied",	"不满意")			\
	X(UNREACHABLE,	"unreachable",	"联系不上")

enum callback_result {
#define CB_ENUM(e, name, zh) CB_##e,
	CALLBACK_RESULT_LIST(CB_ENUM)
#undef CB_ENUM
	CB__COUNT
};

/* The source a case must have come from for a call-back. */
#define CALLBACK_SOURCE		"hotline"

const char *case_state_name(enum case_state s);	/* "dispatched" */
const char *case_state_zh(enum case_state s);		/* "派遣" */
int	case_state_parse(const char *s, enum case_state *out);
const char *case_action_name(enum case_action a);
const char *case_action_zh(enum case_action a);
int	case_action_parse(const char *s, enum case_action *out);
const char *return_reason_name(enum return_reason r);
const char *return_reason_zh(enum return_reason r);
int	return_reason_parse(const char *s, enum return_reason *out);
const char *callback_result_name(enum callback_result r);
const char *callback_result_zh(enum callback_result r);
int	callback_result_parse(const char *s, enum callback_result *out);

/* 1 for the states in which a case is still open (work is owed on it). */
int	case_state_open(enum case_state s);
/* 1 while the deadline clock runs in state s (it stops while parked). */
int	case_state_clock_runs(enum case_state s);

/*
 * The rules a queue, a board, the server and reports all apply to a case,
 * written once. Each takes only the fields it needs, so a console (which
 * holds a case as it came over the wire) and the server (which holds a
 * struct store_case) ask the same question the same way.
 */
#define CASE_DUE_SOON		3600	/* seconds: "due soon" within this */
#define CASE_DISPUTED_RETURNS	2	/* returned this often: disputed */

/* 1 when the clock runs in state s and its deadline due_at (0: none) has
 * passed at now. */
int	case_overdue(enum case_state s, time_t due_at, time_t now);
/* 1 when the clock runs in state s and due_at is less than CASE_DUE_SOON
 * ahead of now, not yet passed. */
int	case_due_soon(enum case_state s, time_t due_at, time_t now);
/* 1 when a case returned this many times is disputed: agencies keep
 * sending it back, and a dispatcher (or the level above) must decide. */
int	case_disputed(int returns);
/* 1 when a case in state s waits for its agency to acknowledge it:
 * dispatched and not yet acknowledged. */
int	case_waiting_ack(enum case_state s);
/* 1 when a case in state s is on the dispatcher's desk with no agency:
 * registered, returned or escalated. */
int	case_unassigned(enum case_state s);

/* The rule of an action. */
const struct lifecycle_rule *lifecycle_rule(enum case_action a);

/* May action a be taken on a case in state s with an extension pending or
 * not? Returns 0 and the next state in *to (before is the state to go back
 * to, for LC_TO_BEFORE); or GL_ESTATE with a message naming the state and
 * the action. */
int	lifecycle_check(enum case_state s, int ext_pending,
	    enum case_state before, enum case_action a, enum case_state *to,
	    char *err, size_t errlen);

#endif
