/*
 * server-int.h: the inside of the server, shared by server.c (the loop:
 * receiving, replies, life) and batch.c (the write batch, on a worker
 * thread). Nothing outside net/server/ includes it.
 */
#ifndef GL_SERVER_INT_H
#define GL_SERVER_INT_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "auth.h"
#include "feeders.h"
#include "job.h"
#include "ops.h"
#include "publish.h"
#include "reader.h"
#include "reports.h"
#include "server.h"
#include "store.h"

#define SERVER_QUEUE_MAX	20000	/* jobs queued before we stop reading */
#define SERVER_QUEUE_BYTES	(64 << 20)	/* ... or bytes queued */
#define SERVER_CKPT_PAGES	1000	/* WAL pages between checkpoints */
#define SERVER_BATCH_ITEMS	512	/* incidents a batch takes (at least
					   one request, never half of one) */
#define SERVER_CONTROL_MAX	(64 << 10)	/* bytes of a control request;
						   over it: too_large */
#define SERVER_QUEUE_CONTROL	1024	/* control jobs queued before we stop
					   reading the control socket */
#define SERVER_BATCH_CONTROL	16	/* control jobs a batch takes */
#define SERVER_BATCH_REPLY_BYTES (32 << 20)	/* control reply bytes a batch
						   holds; past it the rest
						   wait for the next batch */
#define SERVER_BATCH_CONTROL_NS	(20 * 1000000ULL)	/* control work of a
							   batch, likewise */
#define SERVER_PIPE_WAITING	8	/* control requests of one connection
					   unanswered; past it the oldest
					   queued is dropped (too_many) */

struct batch {
	uv_work_t		 work;
	struct server		*srv;
	struct job		*jobs;
	const struct refdata	*rd;	/* the set this batch resolves with */
	struct publish		 publish;	/* after the commit */
	struct ops_changes	 changes;	/* operators, likewise */
	size_t			 njobs, nitems;
	size_t			 ncontrol;	/* control jobs taken */
	size_t			 reply_bytes;	/* of control replies */
	uint64_t		 control_ns;	/* control work so far */
	uint64_t		 work_ns, commit_ns;	/* on the worker */
	int			 rc;	/* commit result */
	int			 refused;	/* the database was gone
						   before: nothing tried */
	char			 gone[512];	/* the database file went
						   during this batch: why */
};

struct server {
	uv_loop_t	*loop;
	struct server_opts opts;
	int		 db_new;	/* the database file was made by
					   this start */
	struct store	*st;
	struct refdata	*rd;
	struct refdata	*rd_next;	/* waiting for the batch to end */
	int		 lockfd;
	int		 dblockfd;	/* DB.lock, -1 when none */
	struct sock	 ingest[1 + SERVER_MAX_INGEST];	/* one per endpoint,
							   so a reject names
							   where it came */
	size_t		 ningest;
	struct sock	 control;
	int		 events;	/* PUB socket */
	uv_prepare_t	 prepare;
	struct jobq	 ingestq;	/* incidents, for the write batch */
	struct jobq	 writeq;	/* control requests that write (or
					   that nobody understood) */
	struct reader	*reader;	/* and the reads; NULL for a database
					   in memory (the batch reads) */
	struct reader	*reporter;	/* the report op's lane (NULL: the
					   reads' lane runs it) */
	struct report_copy rcopy[REPORT_COPIES];	/* reports.c */
	struct auth	*auth;		/* the operators, and nonces seen */
	struct feeders	*feeders;	/* who may send on tcp, and counts */
	uint64_t	 arrivals;	/* jobs received */
	size_t		 queued;	/* jobs in the three queues */
	size_t		 queued_bytes;
	size_t		 queued_control;	/* control jobs of them */
	struct batch	*busy;		/* batch in flight */
	struct store_ckpt *ckpt;	/* the checkpointer's connection */
	uv_work_t	 ckpt_work;
	int		 ckpt_busy;
	int		 ckpt_rc;
	long		 ckpt_from;	/* WAL pages when the last one began */
	char		 ckpt_err[256];
	struct server_stats stats;	/* written only between batches */
	int		 stopping;
	int		 closed;	/* handles closed */
};

/* The write batch's work, on a libuv worker thread (batch.c): store the
 * batch's incidents and run its control requests in one transaction. */
void	batch_work(uv_work_t *w);

#endif
