/*
 * ops.h: the control operations, one table.
 *
 * A control request is {"op": NAME, ...}. Each operation is one row: its
 * name, whether it writes, and the function that answers it. The lifecycle
 * actions (register, dispatch, return, ...) share one function, driven by
 * the lifecycle table, so a new action in core/lifecycle.c is on the wire
 * without a line here. Operations run in the server's batch, against the
 * store, never on the loop thread; a writing operation appends the event
 * messages to publish once the batch has committed.
 */
#ifndef GL_OPS_H
#define GL_OPS_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "refdata.h"
#include "store.h"

/* How the server's group commit has gone since it started; `status`
 * reports it. Written by the loop between batches, read in a batch. */
struct server_stats {
	uint64_t	batches, requests, incidents, failed;
	uint64_t	max_requests;		/* the largest batch */
	uint64_t	work_ns, commit_ns;	/* summed over batches */
};

struct opctx {
	struct store		*st;
	const struct refdata	*rd;
	time_t			 now;
	json_t			*publish;	/* array of event messages */
	int			 training;	/* the server is a training one */
	const struct server_stats *stats;	/* NULL: not in a server */
};

/* Answer one control request (a parsed JSON value). Returns a new reply
 * object, never NULL but on out of memory. */
json_t	*ops_exec(struct opctx *x, json_t *req);

/* {"ok":false,"error":{"code":..,"field":..,"message":..}} */
json_t	*ops_error(const char *code, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* The event message published for event seq of case c:
 * {"seq":N,"type":"case.created"|"case.updated","event":{..},"case":{..}} */
json_t	*ops_event_message(struct store *st, const struct refdata *rd,
	    int64_t seq, const char *case_no);

/* Map a GL_E* code to its wire error code ("conflict", "forbidden"...). */
const char *ops_code(int rc);

#endif
