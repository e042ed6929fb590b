/*
 * reports.h: the `report` op's lane and its copies (reports.c).
 */
#ifndef GL_REPORTS_H
#define GL_REPORTS_H

#include <stdint.h>

#include "job.h"

#define REPORT_COPIES	8	/* distinct reports kept (queries x reach) */
#define REPORT_FRESH_MS	1000	/* a copy younger is the answer */

struct report_copy {
	char		 key[320];	/* the query and the asker's reach */
	char		*reply;		/* NULL: slot free */
	uint64_t	 at_ms;		/* made (uv_hrtime ms) */
	int		 refreshing;	/* a run makes a new one */
};

struct server;

/* 1 when j is a `report` request for the report lane (the server has
 * one). */
int	reports_is(const struct server *s, const struct job *j);

/* Answer j from a copy when there is one: 1 when it is fresh (j is done:
 * free it), 0 otherwise: then j goes to the report lane, already answered
 * (a stale copy, j->replied) to refresh the copy, or unanswered when there
 * is none. */
int	reports_answer(struct server *s, struct job *j);

/* The report lane's each-hook: keep j's reply as the copy for its key. */
void	reports_keep(void *arg, struct job *j);

void	reports_free(struct server *s);

#endif
