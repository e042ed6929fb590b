/*
 * req.h: the control requests, built in one place.
 *
 * Every request a client sends to control.sock is made here, so the field
 * names of docs/PROTOCOL.md are spelled once on the client's side, as
 * net/server/ops.c spells them once on the server's. A console or a script
 * asks for "the snapshot page after case 812" or "dispatch this case at
 * version 3", and never writes a json_pack format of its own.
 *
 * Each builder returns a new object the caller owns (json_decref), or NULL
 * when memory runs out. Builders do not check values the server checks
 * (limit ranges, agency codes, reason codes): the server answers those
 * with an error naming the field, and one rule in two places would drift.
 * What the caller promises (non-NULL strings) is asserted.
 *
 * Optional fields are left out rather than sent as null or 0, so a request
 * says only what its sender meant; the exceptions are noted per builder.
 */
#ifndef GL_REQ_H
#define GL_REQ_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lifecycle.h"

/* {"op":"status"} */
json_t	*req_status(void);

/* The names a client shows for codes: {"op":"reference"}; the reply has
 * `agencies` and `districts`, each [{"code","name"}]. */
json_t	*req_reference(void);

/* A page of open cases in id order: {"op":"snapshot","after":N,"limit":N}
 * and "fields":"queue" when fields is "queue" (NULL: the full case).
 * after is the last id of the page before (0: from the start), as the
 * reply's "next" gives it. */
json_t	*req_snapshot(int64_t after, int limit, const char *fields);

/* One page of the open cases a queue shows first: {"op":"snapshot",
 * "order":"urgent","limit":N} and "fields" as above. */
json_t	*req_snapshot_urgent(int limit, const char *fields);

/* A page of finished cases (closed, voided, merged), newest first:
 * {"op":"snapshot","finished":true,"before":N,"limit":N}; before is the
 * reply's "next" of the page before (0: from the newest). */
json_t	*req_snapshot_finished(int64_t before, int limit);

/* The events after seq since: {"op":"events","since":N,"limit":N}. */
json_t	*req_events(int64_t since, int limit);

/* One case and its history: {"op":"case","case":NO}. */
json_t	*req_case(const char *no);

/* Full-text search: {"op":"search","q":Q,"limit":N}. */
json_t	*req_search(const char *q, int limit);

/* The responsibility list's answer for a category on a grid:
 * {"op":"route","category":C,"grid":G}. */
json_t	*req_route(const char *category, const char *grid);

/* The evaluation figures of a period: {"op":"report","by":BY} and
 * "from", "to" (dates YYYY-MM-DD) when not NULL: without them the server
 * answers for today on its clock. */
json_t	*req_report(const char *from, const char *to, const char *by);

/* What a lifecycle action may carry besides case, operator and version
 * (which of them an action needs: lifecycle_rule). NULL pointers and a
 * zero amount are left out of the request. */
struct req_action_args {
	const char		*agency;	/* dispatch */
	const char *const	*support;	/* supporting agency codes */
	size_t			 nsupport;
	int			 support_set;	/* 1: send "support" even when
						   empty (dispatch with none) */
	const char		*reason_code;	/* return */
	const char		*reason;	/* text */
	const char		*target;	/* merge: the case merged into */
	long			 amount;	/* extend, extend_grant; 0: none */
	const char		*result;	/* callback: a result name */
	int			 reopen;	/* callback: 1 sends
						   "reopen":true */
};

/* A lifecycle action: {"op":ACTION,"case":NO,"operator":OP,"version":N}
 * and the fields of args that are set (args may be NULL). a is a control
 * action, not CA_REPORT (reports come in over ingest). */
json_t	*req_action(enum case_action a, const char *no, int64_t version,
	    const char *operator, const struct req_action_args *args);

/* A township's rating of a stationed unit: {"op":"rate","agency":A,
 * "score":N} and "month" ("YYYY-MM"; NULL: the server's current month)
 * and "comment" when not NULL. */
json_t	*req_rate(const char *agency, int score, const char *month,
	    const char *comment);

#endif
