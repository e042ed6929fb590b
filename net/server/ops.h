/*
 * ops.h: the control operations, one table.
 *
 * A control request is {"op": NAME, ...}. Each operation is one row: its
 * name, whether it only reads, and the function that answers it. The
 * lifecycle actions (register, dispatch, return, ...) share one function,
 * driven by the lifecycle table, so a new action in core/lifecycle.c is on
 * the wire without a line here. Operations run on a worker thread, never on the
 * loop: reads on the server's read connection (reader.c), writes in its
 * batch, and a writing operation appends the event messages to publish
 * once the batch has committed.
 */
#ifndef GL_OPS_H
#define GL_OPS_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "auth.h"
#include "publish.h"
#include "refdata.h"
#include "store.h"

/* How the server's group commit has gone since it started; `status`
 * reports it. Written by the loop between batches, read in a batch. */
struct server_stats {
	uint64_t	batches, requests, incidents, failed;
	uint64_t	max_requests;		/* the largest batch */
	uint64_t	work_ns, commit_ns;	/* summed over batches */
	uint64_t	too_many;		/* control requests dropped:
						   their connection had too
						   many waiting */
	uint64_t	unauthenticated;	/* requests refused unsigned,
						   forged, stale or replayed
						   (control), or without a
						   feeder's MAC (ingest) */
	uint64_t	rate_limited;		/* ingest requests over their
						   feeder's rate */
	double		clock_speed;		/* the server's clock: seconds
						   a real second (--clock) */
	int		clock_set;		/* 0: the wall clock */
	char		scenario[256];		/* a training server's
						   scenario (serve
						   --scenario), "" none */
	char		store_error[512];	/* why nothing is stored any
						   more (the database file
						   was removed or replaced);
						   "" while all is well */
};

/* A feeder added or changed by a batch. */
struct ops_feeder {
	char		 name[257];
	unsigned char	 key[STORE_FEEDER_KEY_BYTES];
	int		 disabled;
};

/* Operators and feeders added or changed by a batch, for the server's
 * tables once the batch has committed. */
struct ops_changes {
	struct auth_operator	*v;
	size_t			 n, cap;
	struct ops_feeder	*f;
	size_t			 nf, capf;
};

struct opctx {
	struct store		*st;
	const struct refdata	*rd;
	time_t			 now;
	struct publish		*publish;	/* event messages to send */
	int			 training;	/* the server is a training one */
	const struct server_stats *stats;	/* NULL: not in a server */
	char			*text;		/* see ops_exec */
	const struct auth_operator *who;	/* the signer; NULL while the
						   database has no operator
						   (see server.c) */
	struct ops_changes	*changes;	/* NULL: reads only */
	const char		*raw;		/* the message as received
						   (a signed one's envelope),
						   for the log */
	size_t			 rawlen;
};

/* Answer one control request (a parsed JSON value). Returns a new reply
 * object; or NULL with the reply written as text in x->text (the caller
 * frees it): the large replies (snapshot pages, events, search) are
 * written directly, not built as trees. NULL and no text: out of memory. */
json_t	*ops_exec(struct opctx *x, json_t *req);

/* 1 when req is an operation that only reads (a snapshot, a search,
 * status...): the server runs those on its read connection, beside the
 * writes. 0 for the lifecycle actions and for anything not understood,
 * which the write batch answers. */
int	ops_reads(json_t *req);

/* {"ok":false,"error":{"code":..,"field":..,"message":..}} */
json_t	*ops_error(const char *code, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* The event message for event seq of case case_no, as text:
 * {"seq":N,"type":"case.created"|"case.updated","case":{..}}, with
 * "event":{..} when e is given. NULL when the case cannot be read. */
char	*ops_event_text(struct store *st, const struct refdata *rd,
	    int64_t seq, const char *case_no, const struct store_event *e);

/* Map a GL_E* code to its wire error code ("conflict", "not_allowed"...). */
const char *ops_code(int rc);

#endif
