/*
 * lifecycle-table.h: the hand-written table of allowed lifecycle moves,
 * shared by test-lifecycle.c and test-store.c.
 *
 * The table is written by hand from the workflow in the header comment of
 * lifecycle.h and from DOMAIN.md, never read from lifecycle_rules, so that
 * the tests check the code against the documents rather than against
 * itself. test-lifecycle.c asks lifecycle_apply every action in every
 * state; test-store.c walks the same moves on live cases in a store. Both
 * must hold the code to the same answers, so there is one copy of the
 * table: a change to the workflow is one edit here, and the two tests
 * cannot drift apart.
 *
 * Header-only (static data and a static inline function) so each test
 * program stays one .c file plus headers.
 */
#ifndef GL_LIFECYCLE_TABLE_H
#define GL_LIFECYCLE_TABLE_H

#include <stddef.h>

#include "lifecycle.h"

/* Extension condition of an allowed row. */
#define EXT_ANY		0	/* pending or not */
#define EXT_NONE	(-1)	/* only without a pending request */
#define EXT_PENDING	1	/* only with a pending request */

/* Next state of an allowed row: a state, or back to the one before. */
#define TO_BEFORE	(-2)

/* Every allowed (state, action); anything not here must be refused. */
static const struct {
	enum case_state		 from;
	enum case_action	 action;
	int			 ext;
	int			 to;
} allowed[] = {
	/* the main line */
	{ CS_REPORTED,	   CA_REGISTER,	   EXT_ANY, CS_REGISTERED },
	{ CS_REGISTERED,   CA_DISPATCH,	   EXT_ANY, CS_DISPATCHED },
	{ CS_DISPATCHED,   CA_ACKNOWLEDGE, EXT_ANY, CS_ACKNOWLEDGED },
	{ CS_ACKNOWLEDGED, CA_START,	   EXT_ANY, CS_IN_HAND },
	{ CS_IN_HAND,	   CA_FEEDBACK,	   EXT_ANY, CS_DONE },
	{ CS_DONE,	   CA_VERIFY,	   EXT_ANY, CS_VERIFIED },
	{ CS_VERIFIED,	   CA_CLOSE,	   EXT_ANY, CS_CLOSED },

	/* back to the dispatcher, and out again */
	{ CS_DISPATCHED,   CA_RETURN,	   EXT_ANY, CS_RETURNED },
	{ CS_ACKNOWLEDGED, CA_RETURN,	   EXT_ANY, CS_RETURNED },
	{ CS_IN_HAND,	   CA_RETURN,	   EXT_ANY, CS_RETURNED },
	{ CS_RETURNED,	   CA_DISPATCH,	   EXT_ANY, CS_DISPATCHED },
	{ CS_ESCALATED,	   CA_DISPATCH,	   EXT_ANY, CS_DISPATCHED },
	{ CS_DONE,	   CA_REWORK,	   EXT_ANY, CS_DISPATCHED },

	/* up to the level above (again from there) */
	{ CS_REGISTERED,   CA_ESCALATE,	   EXT_ANY, CS_ESCALATED },
	{ CS_RETURNED,	   CA_ESCALATE,	   EXT_ANY, CS_ESCALATED },
	{ CS_ESCALATED,	   CA_ESCALATE,	   EXT_ANY, CS_ESCALATED },

	/* extensions: while the agency works on the case */
	{ CS_ACKNOWLEDGED, CA_EXT_REQUEST, EXT_NONE, CS_ACKNOWLEDGED },
	{ CS_IN_HAND,	   CA_EXT_REQUEST, EXT_NONE, CS_IN_HAND },
	{ CS_ACKNOWLEDGED, CA_EXT_GRANT,   EXT_PENDING, CS_ACKNOWLEDGED },
	{ CS_IN_HAND,	   CA_EXT_GRANT,   EXT_PENDING, CS_IN_HAND },
	{ CS_ACKNOWLEDGED, CA_EXT_REFUSE,  EXT_PENDING, CS_ACKNOWLEDGED },
	{ CS_IN_HAND,	   CA_EXT_REFUSE,  EXT_PENDING, CS_IN_HAND },

	/* pressing the agency that holds the case */
	{ CS_DISPATCHED,   CA_PRESS,	   EXT_ANY, CS_DISPATCHED },
	{ CS_ACKNOWLEDGED, CA_PRESS,	   EXT_ANY, CS_ACKNOWLEDGED },
	{ CS_IN_HAND,	   CA_PRESS,	   EXT_ANY, CS_IN_HAND },

	/* void a false report while it is at the desk */
	{ CS_REPORTED,	   CA_VOID,	   EXT_ANY, CS_VOIDED },
	{ CS_REGISTERED,   CA_VOID,	   EXT_ANY, CS_VOIDED },
	{ CS_RETURNED,	   CA_VOID,	   EXT_ANY, CS_VOIDED },
	{ CS_ESCALATED,	   CA_VOID,	   EXT_ANY, CS_VOIDED },

	/* merge a duplicate: at the desk, or dispatched but not yet
	 * acknowledged by the agency */
	{ CS_REPORTED,	   CA_MERGE,	   EXT_ANY, CS_MERGED },
	{ CS_REGISTERED,   CA_MERGE,	   EXT_ANY, CS_MERGED },
	{ CS_RETURNED,	   CA_MERGE,	   EXT_ANY, CS_MERGED },
	{ CS_ESCALATED,	   CA_MERGE,	   EXT_ANY, CS_MERGED },
	{ CS_DISPATCHED,   CA_MERGE,	   EXT_ANY, CS_MERGED },
	{ CS_MERGED,	   CA_UNMERGE,	   EXT_ANY, TO_BEFORE },

	/* park (挂账) an open case at the desk or with the agency */
	{ CS_REGISTERED,   CA_PARK,	   EXT_ANY, CS_PARKED },
	{ CS_RETURNED,	   CA_PARK,	   EXT_ANY, CS_PARKED },
	{ CS_ESCALATED,	   CA_PARK,	   EXT_ANY, CS_PARKED },
	{ CS_DISPATCHED,   CA_PARK,	   EXT_ANY, CS_PARKED },
	{ CS_ACKNOWLEDGED, CA_PARK,	   EXT_ANY, CS_PARKED },
	{ CS_IN_HAND,	   CA_PARK,	   EXT_ANY, CS_PARKED },
	{ CS_PARKED,	   CA_UNPARK,	   EXT_ANY, TO_BEFORE },

	/* reopen a closed case, or one voided by mistake: to the desk */
	{ CS_CLOSED,	   CA_REOPEN,	   EXT_ANY, CS_REGISTERED },
	{ CS_VOIDED,	   CA_REOPEN,	   EXT_ANY, CS_REGISTERED },

	/* the 12345 call-back of a closed case: it stays closed (with
	 * reopen, an unsatisfied one goes to registered: test-store.c) */
	{ CS_CLOSED,	   CA_CALLBACK,	   EXT_ANY, CS_CLOSED },
};

/* 1 and the row's next state when (s, a, ext) is in the table. */
static inline int
expect_allowed(enum case_state s, enum case_action a, int ext, int *to)
{
	size_t	i;

	for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		if (allowed[i].from != s || allowed[i].action != a)
			continue;
		if ((allowed[i].ext == EXT_NONE && ext) ||
		    (allowed[i].ext == EXT_PENDING && !ext))
			continue;
		*to = allowed[i].to;
		return 1;
	}
	return 0;
}

#endif
