/*
 * server.c: the server loop (see server.h).
 *
 * One libuv loop; besides libuv's pool (the write batch, checkpoints) one
 * thread of our own, the read lane's (reader.c). The nanomsg sockets join
 * the loop through their NN_RCVFD descriptors, watched with uv_poll; those only
 * signal that messages wait, so each wakeup drains the socket with
 * NN_DONTWAIT until EAGAIN and queues every request as a job.
 *
 * Durable before acknowledged, yet fast: a uv_prepare hook runs once per
 * loop turn, before the loop sleeps. When no batch is in flight it takes
 * every queued job as one batch and hands it to libuv's thread pool
 * (uv_queue_work), where one transaction stores all of it and commits with
 * synchronous=FULL; only the after-callback, back on the loop thread, sends
 * the replies and publishes the events. While one batch commits, the loop
 * keeps receiving the next (the batch's side is batch.c). Only the batch
 * worker touches the writer's connection, and only one batch runs at a
 * time, so that connection is never used by two threads at once. WAL checkpoints run beside the batches, on another
 * worker thread with a connection of their own (core/store-ckpt.c), so no
 * commit waits for one. Control requests that only read (snapshots,
 * searches, status) do not enter the batch: they go to the read lane
 * (reader.c), a read-only connection on a thread of its own, so that a
 * snapshot of 2,000 cases never holds up the incidents of a batch.
 *
 * Both REP sockets are raw (AF_SP_RAW): a plain REP socket holds one
 * request until it is answered, which would make a batch of one. In raw
 * mode each request comes with a header naming its pipe and request id,
 * kept with the job and handed back with the reply.
 *
 * When the store fails (disk full, read-only file, locked database) the
 * whole batch is rolled back and every request of it gets an error reply:
 * nothing is acknowledged that was not committed, and the server goes on.
 * One failure lasts: the database file removed or replaced under us (see
 * batch_check_file). Then every later request is refused with the reason,
 * and the server stays up to say so (the log, `status`) rather than exit:
 * exiting would let a console's auto-start begin anew, and the removed
 * file, still open here, can be copied out of /proc/PID/fd meanwhile.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>
#include <sodium.h>

#include "casejson.h"
#include "check.h"
#include "error.h"
#include "job.h"
#include "log.h"
#include "ops.h"
#include "publish.h"
#include "reader.h"
#include "rights.h"
#include "rundir.h"
#include "server-int.h"
#include "server.h"
#include "sign.h"
#include "wire.h"

/* --- receiving ------------------------------------------------------------- */

static void server_poll_cb(uv_poll_t *h, int status, int events);

/* The oldest queued (not running) control job of j's connection, and the
 * queue it is in; NULL when all of them run. */
static struct job *
server_oldest_of(struct server *s, const struct job *j, struct jobq **qp)
{
	struct jobq	*qs[3] = { &s->writeq, s->reader != NULL ?
			    reader_queue(s->reader) : NULL, s->reporter != NULL ?
			    reader_queue(s->reporter) : NULL };
	struct job	*o, *best = NULL;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		if (qs[i] == NULL)
			continue;
		for (o = qs[i]->head; o != NULL; o = o->next)
			if (o->pipe == j->pipe && o->from == j->from)
				break;
		if (o != NULL && (best == NULL || o->n < best->n)) {
			best = o;
			*qp = qs[i];
		}
	}
	return best;
}

/* Take o out of q (the server's accounts too). */
static void
server_unqueue(struct server *s, struct jobq *q, struct job *o)
{
	struct job	**pp;

	for (pp = &q->head; *pp != o; pp = &(*pp)->next)
		;
	if ((*pp = o->next) == NULL)
		q->tail = pp;
	o->next = NULL;
	q->n--;
	s->queued--;
	s->queued_bytes -= o->len;
	s->queued_control--;
}

/*
 * A connection with more than SERVER_PIPE_WAITING control requests
 * unanswered: the oldest one still queued is answered too_many, not run.
 * A REQ socket has one request in flight, and sending another abandons
 * the one before, so a client that sends without reading (the flood of
 * finding 1) has abandoned all but its newest: replies to them were built
 * for nobody. A client of a raw REQ socket, which may keep several in
 * flight, learns why its oldest went unanswered. When every one of them
 * already runs, the new one is refused instead. 1 when j was answered.
 */
static int
server_limit_pipe(struct server *s, struct job *j)
{
	struct jobq	*q = NULL;
	struct job	*o;
	char		 msg[160];

	if (job_pipe_waiting(j) <= SERVER_PIPE_WAITING)
		return 0;
	snprintf(msg, sizeof msg, "more than %d requests of one connection "
	    "were waiting; the oldest is dropped", SERVER_PIPE_WAITING);
	s->stats.too_many++;
	if ((o = server_oldest_of(s, j, &q)) == NULL) {
		job_reply_error(j, "too_many", msg);
		return 1;
	}
	server_unqueue(s, q, o);
	job_reply_error(o, "too_many", msg);
	job_free(o);
	return 0;
}

/*
 * Who sent control request j: its signature checked here, on the loop,
 * before anything else of it is believed or queued (auth.h). Until the
 * database has its first operator, unsigned requests are served as they
 * always were (the run directory, its owner's alone, is the guard, as it
 * is for ingest on ipc), and the first signed one must be that operator's
 * own operator_add as admin; from then on every control request is
 * signed. 0 with j->req (and j->who) set, or -1 with j answered.
 */
static int
server_authenticate(struct server *s, struct job *j)
{
	const struct auth_operator *who;
	struct sign_parts	 p;
	char			 err[512];
	int			 rc;

	if (auth_count(s->auth) == 0) {
		if (sign_split(j->body, j->len, &p) == 0) {
			j->req = json_loadb(j->body, j->len,
			    JSON_REJECT_DUPLICATES, NULL);
			return 0;
		}
		rc = auth_bootstrap(s->auth, j->body, j->len, time(NULL),
		    &j->req, &j->who, err, sizeof err);
	} else if ((rc = auth_check(s->auth, j->body, j->len, time(NULL),
	    &j->req, &who, err, sizeof err)) == 0)
		j->who = *who;
	if (rc == 0) {
		j->signed_by = 1;
		return 0;
	}
	s->stats.unauthenticated++;
	job_reply_error(j, rc == GL_EPARSE ? "invalid_json" :
	    gl_strerror_name(rc), err);
	return -1;
}

/* Requests the loop answers itself, from what only it holds: `feeders`
 * (the feeders' counts). 1 when j was answered. */
static int
server_answer_here(struct server *s, struct job *j)
{
	const char	*op = json_string_value(json_object_get(j->req, "op"));
	json_t		*rep;

	if (op == NULL || strcmp(op, "feeders") != 0)
		return 0;
	if ((rep = feeders_json(s->feeders)) != NULL)
		json_object_set_new(rep, "ok", json_true());
	free(j->reply);
	j->reply = rep != NULL ? json_dumps(rep, JSON_COMPACT) : NULL;
	json_decref(rep);
	job_reply(j);
	return 1;
}

/* Route j: an incident to the batch, a control request to the read lane
 * when it only reads, else to the batch; parsed here, once, so that the
 * lane is known (a request over SERVER_CONTROL_MAX is not parsed: the
 * batch answers it too_large). */
static void
server_enqueue(struct server *s, struct job *j)
{
	j->n = s->arrivals++;
	if (j->kind == JOB_INGEST) {
		jobq_push(&s->ingestq, j);
	} else {
		if (j->len <= SERVER_CONTROL_MAX &&
		    server_authenticate(s, j) != 0) {
			job_free(j);	/* answered */
			return;
		}
		if (server_limit_pipe(s, j) || server_answer_here(s, j) ||
		    reports_answer(s, j)) {
			job_free(j);
			return;
		}
		if (reports_is(s, j))
			reader_push(s->reporter, j);
		else if (s->reader != NULL && ops_reads(j->req))
			reader_push(s->reader, j);
		else
			jobq_push(&s->writeq, j);
		s->queued_control++;
	}
	s->queued++;
	s->queued_bytes += j->len;
}

static void
sock_pause(struct sock *k, int on)
{
	if (on && !k->polling && !k->srv->stopping) {
		uv_poll_start(&k->poll, UV_READABLE, server_poll_cb);
		k->polling = 1;
	} else if (!on && k->polling) {
		uv_poll_stop(&k->poll);
		k->polling = 0;
	}
}

static void
server_pause_all(struct server *s, int on)
{
	size_t	i;

	for (i = 0; i < s->ningest; i++)
		sock_pause(&s->ingest[i], on);
	sock_pause(&s->control, on);
}

/*
 * An ingest request, on the loop, off the worker's path: who sent it
 * (feeders.h: on tcp a feeder's envelope with a right MAC; on ipc the
 * envelope is checked when there is one), then its JSON decoded. As for
 * control requests, a database without operators is served as before:
 * nobody could have registered a feeder yet, so tcp takes bare bodies
 * until the first operator. One
 * refused as unauthenticated goes on to the batch with that error, to be
 * kept in the rejects with the reason; one over its feeder's rate is
 * answered rate_limited here and kept nowhere (-1).
 */
static int
server_ingest_begin(struct server *s, struct job *j)
{
	const char	*body;
	size_t		 blen;
	char		 err[256];

	switch (feeders_check(s->feeders, j->body, j->len,
	    strncmp(j->from->url, "tcp://", 6) == 0 &&
	    auth_count(s->auth) > 0, uv_now(s->loop), &body, &blen, err,
	    sizeof err)) {
	case FV_RATE_LIMITED:
		s->stats.rate_limited++;
		job_reply_error(j, "rate_limited", err);
		job_free(j);
		return -1;
	case FV_UNAUTHENTICATED:
		s->stats.unauthenticated++;
		snprintf(j->w.err.code, sizeof j->w.err.code, "%s",
		    "unauthenticated");
		snprintf(j->w.err.message, sizeof j->w.err.message, "%s",
		    err);
		return 0;
	case FV_OK:
		break;
	}
	wire_ingest_decode(body, blen, s->opts.max_message, j->at, &j->w);
	return 0;
}

static void
server_poll_cb(uv_poll_t *h, int status, int events)
{
	struct sock	*k = h->data;
	struct server	*s = k->srv;
	struct job	*j;

	(void)events;
	if (status < 0) {
		log_msg(LOG_ERROR, "%s: poll: %s", k->url, uv_strerror(status));
		return;
	}
	while (s->queued < SERVER_QUEUE_MAX &&
	    s->queued_bytes < SERVER_QUEUE_BYTES && (k->kind != JOB_CONTROL ||
	    s->queued_control < SERVER_QUEUE_CONTROL)) {
		if ((j = calloc(1, sizeof *j)) == NULL)
			break;
		if (job_recv(k, j) != 0) {
			if (nn_errno() != EAGAIN)
				log_msg(LOG_WARN, "%s: receive: %s", k->url,
				    nn_strerror(nn_errno()));
			free(j);
			return;
		}
		j->kind = k->kind;
		j->from = k;
		j->at = glclock_now(&s->opts.clock);
		if (j->kind == JOB_INGEST && server_ingest_begin(s, j) != 0)
			continue;	/* answered: over its feeder's rate */
		server_enqueue(s, j);
	}
	/* Backpressure: the queue is full; read again after the batch. A
	 * control flood pauses only the control socket: incidents go on. */
	if (k->kind == JOB_CONTROL && s->queued < SERVER_QUEUE_MAX &&
	    s->queued_bytes < SERVER_QUEUE_BYTES)
		sock_pause(k, 0);
	else
		server_pause_all(s, 0);
}

/* --- replies, on the loop thread ------------------------------------------- */

/* An id_conflict is a feeder's bug (a counter restarted, two feeders
 * sharing a source): the log says so, as well as the rejects table. The id
 * is the sender's bytes: control characters, quotes and backslashes are
 * shown as '?', so that one log line stays one line. */
static void
job_log_conflict(const struct job *j, const struct wire_item *it)
{
	char	id[132];
	size_t	k;

	snprintf(id, sizeof id, "%s", it->id != NULL ? it->id : "");
	for (k = 0; id[k] != '\0'; k++)
		if ((unsigned char)id[k] < 0x20 || id[k] == 0x7f ||
		    id[k] == '"' || id[k] == '\\')
			id[k] = '?';
	log_msg(LOG_WARN, "%s: id_conflict: id \"%s\" from source %s "
	    "refused: %s", j->from->url, id, it->in.source != NULL ?
	    it->in.source : "(none)", it->err.message);
}

/* The reply of an ingest job, and the events of its new cases, written
 * from each case as the store returned it. */
static void
job_ingest_done(struct batch *b, struct job *j)
{
	struct jbuf		 m;
	size_t			 i;

	if (j->reply != NULL)
		return;			/* the batch failed: already said */
	j->reply = wire_ingest_reply(&j->w);
	for (i = 0; i < j->w.n; i++) {
		const struct wire_item *it = &j->w.items[i];

		if (strcmp(it->err.code, "id_conflict") == 0)
			job_log_conflict(j, it);
		if (it->err.code[0] != '\0' || it->result.replayed)
			continue;
		jbuf_init(&m);
		casejson_write_message(&m, it->result.seq, &it->stored, b->rd,
		    NULL);
		publish_add(&b->publish, it->result.seq, jbuf_take(&m));
	}
}

/* Publish in seq order: ingest and control events of one batch come from
 * different places but must leave as the log has them. PUB never blocks:
 * a slow subscriber loses messages and catches up by seq over control. */
static void
server_publish(struct server *s, struct publish *p)
{
	size_t	i;

	publish_sort(p);
	for (i = 0; i < p->n; i++)
		nn_send(s->events, p->v[i].text, strlen(p->v[i].text),
		    NN_DONTWAIT);
	publish_clear(p);
}

/* Operators the batch added or changed, into the table requests are
 * checked against: only once committed. */
static void
server_auth_apply(struct server *s, const struct batch *b)
{
	size_t	i;

	for (i = 0; b->rc == 0 && i < b->changes.nf; i++)
		if (feeders_put(s->feeders, b->changes.f[i].name,
		    b->changes.f[i].key, b->changes.f[i].disabled) != 0)
			log_msg(LOG_ERROR, "feeder %s: out of memory; restart "
			    "the server", b->changes.f[i].name);
		else
			log_msg(LOG_INFO, "feeder %s%s", b->changes.f[i].name,
			    b->changes.f[i].disabled ? ": disabled" : "");
	for (i = 0; b->rc == 0 && i < b->changes.n; i++)
		if (auth_put(s->auth, &b->changes.v[i]) != 0)
			log_msg(LOG_ERROR, "operator %s: out of memory; "
			    "restart the server", b->changes.v[i].name);
		else
			log_msg(LOG_INFO, "operator %s: %s%s",
			    b->changes.v[i].name,
			    rights_role_name(b->changes.v[i].role),
			    b->changes.v[i].disabled ? ", disabled" : "");
}

/* The batch figures `status` reports: how well group commit groups. */
static void
server_count(struct server *s, const struct batch *b)
{
	struct server_stats	*t = &s->stats;

	t->batches++;
	t->requests += b->njobs;
	t->incidents += b->nitems;
	t->work_ns += b->work_ns;
	t->commit_ns += b->commit_ns;
	if (b->njobs > t->max_requests)
		t->max_requests = b->njobs;
	if (b->rc != 0)
		t->failed++;
}

static void server_maybe_close(struct server *s);
static void server_close_handles(struct server *s);

static void server_batch_start(struct server *s);

/* Queue the deferred control jobs of b again, at the head and in their
 * order, before the next batch is taken: they were not run. */
static void
batch_requeue(struct server *s, struct batch *b)
{
	b->njobs -= jobq_requeue_deferred(&b->jobs, NULL, &s->writeq);
}

/* A job answered and freed: it no longer counts against the bounds. */
static void
server_forget(struct server *s, size_t jobs, size_t bytes, size_t control)
{
	s->queued -= jobs;
	s->queued_bytes -= bytes;
	s->queued_control -= control;
}

/* --- checkpoints, on another worker thread (see store-ckpt.c) -------------- */

static void
ckpt_work(uv_work_t *w)
{
	struct server	*s = w->data;

	s->ckpt_rc = 0;
	if (s->ckpt == NULL)
		s->ckpt_rc = store_ckpt_open(s->opts.db, &s->ckpt,
		    s->ckpt_err, sizeof s->ckpt_err);
	if (s->ckpt_rc == 0)
		s->ckpt_rc = store_ckpt_run(s->ckpt, s->ckpt_err,
		    sizeof s->ckpt_err);
}

static void
ckpt_after(uv_work_t *w, int status)
{
	struct server	*s = w->data;

	(void)status;
	s->ckpt_busy = 0;
	if (s->ckpt_rc != 0)
		log_msg(LOG_WARN, "%s", s->ckpt_err);
	server_maybe_close(s);
}

/* After a commit: start a checkpoint once the WAL has grown by
 * SERVER_CKPT_PAGES since the last one began (or since it started anew). */
static void
server_ckpt_start(struct server *s)
{
	long	pages = store_wal_frames(s->st);

	if (pages < s->ckpt_from)
		s->ckpt_from = 0;		/* the WAL started anew */
	if (s->ckpt_busy || s->stopping || s->stats.store_error[0] != '\0' ||
	    pages - s->ckpt_from < SERVER_CKPT_PAGES)
		return;
	s->ckpt_from = pages;
	s->ckpt_busy = 1;
	s->ckpt_work.data = s;
	uv_queue_work(s->loop, &s->ckpt_work, ckpt_work, ckpt_after);
}

/* Back on the loop: hand the worker the next batch first, so SQLite
 * works on it while this thread writes the replies and events of this one
 * (they need only the jobs and the reference data, not the store). */
static void
batch_after(uv_work_t *w, int status)
{
	struct batch	*b = w->data;
	struct server	*s = b->srv;
	struct job	*j, *next;

	(void)status;
	s->busy = NULL;
	if (b->gone[0] != '\0' && s->stats.store_error[0] == '\0') {
		/* before the next batch starts: it must see it */
		snprintf(s->stats.store_error, sizeof s->stats.store_error,
		    "%s", b->gone);
		log_msg(LOG_ERROR, "%s", b->gone);
	}
	batch_requeue(s, b);
	if (s->rd_next == NULL)		/* a reload waits for the prepare */
		server_batch_start(s);
	for (j = b->jobs; j != NULL; j = next) {
		next = j->next;
		if (j->kind == JOB_INGEST)
			job_ingest_done(b, j);
		server_forget(s, 1, j->len, j->kind == JOB_CONTROL);
		job_reply(j);
		job_free(j);
	}
	if (b->rc != 0 && !b->refused && b->gone[0] == '\0')
		log_msg(LOG_ERROR, "batch of %zu requests (%zu incidents) not "
		    "stored: %s", b->njobs, b->nitems, gl_strerror(b->rc));
	server_publish(s, &b->publish);
	server_auth_apply(s, b);
	server_count(s, b);
	publish_free(&b->publish);
	free(b->changes.v);
	if (b->changes.f != NULL)
		sodium_memzero(b->changes.f, b->changes.capf *
		    sizeof *b->changes.f);
	free(b->changes.f);
	free(b);
	server_ckpt_start(s);
	if (s->busy == NULL)
		server_pause_all(s, 1);
	server_maybe_close(s);
}

/* Swap in reloaded reference data; only between batches. */
static void
server_swap_refdata(struct server *s)
{
	if (s->rd_next == NULL || s->busy != NULL ||
	    (s->reader != NULL && reader_busy(s->reader)) ||
	    (s->reporter != NULL && reader_busy(s->reporter)))
		return;
	refdata_free(s->rd);
	s->rd = s->rd_next;
	s->rd_next = NULL;
	store_set_calendar(s->st, refdata_calendar(s->rd));
	log_msg(LOG_INFO, "reference data reloaded from %s",
	    refdata_dir(s->rd));
}

/*
 * Take the queued jobs into b, up to SERVER_BATCH_ITEMS incidents. The cap
 * is what lets the two threads overlap under heavy load: without it, K
 * feeders sending arrays all land in every batch, and the loop (JSON) and
 * the worker (SQLite) take turns instead of working at once. Past a few
 * hundred incidents a bigger commit saves nothing: the fsync is already
 * a small share of it.
 *
 * Control requests that write come first, at most SERVER_BATCH_CONTROL
 * of them, counting one item each; the rest wait in order for a later
 * batch, which still takes the incidents waiting. The two queues keep
 * their own order; between them there is none a client can see, as they
 * come from different sockets.
 */
static void
batch_take(struct server *s, struct batch *b)
{
	struct job	*j, **bt = &b->jobs;
	size_t		 items = 0;

	while (b->ncontrol < SERVER_BATCH_CONTROL &&
	    (j = jobq_pop(&s->writeq)) != NULL) {
		*bt = j;
		bt = &j->next;
		b->ncontrol++;
		items++;
	}
	while ((j = s->ingestq.head) != NULL && (items == 0 ||
	    items + j->w.n <= SERVER_BATCH_ITEMS)) {
		*bt = jobq_pop(&s->ingestq);
		bt = &j->next;
		items += j->w.n;
		b->njobs++;
	}
	b->njobs += b->ncontrol;
}

/* Hand the queued jobs to the worker as one batch, if none runs. */
static void
server_batch_start(struct server *s)
{
	struct batch	*b;

	if (s->busy != NULL || (s->writeq.head == NULL &&
	    s->ingestq.head == NULL))
		return;
	if ((b = calloc(1, sizeof *b)) == NULL)
		return;		/* try again next turn */
	publish_init(&b->publish);
	b->srv = s;
	b->rd = s->rd;
	batch_take(s, b);
	b->work.data = b;
	s->busy = b;
	uv_queue_work(s->loop, &b->work, batch_work, batch_after);
	server_pause_all(s, 1);		/* room in the queue again */
}

/* Hand the read lane its next run, if none runs. */
static void
server_read_start(struct server *s)
{
	if (s->reader != NULL)
		reader_start(s->reader, s->rd, s->opts.training,
		    &s->opts.clock, &s->stats);
	if (s->reporter != NULL)
		reader_start(s->reporter, s->rd, s->opts.training,
		    &s->opts.clock, &s->stats);
}

/* A read run ended, its replies sent: room in the queue, and the next. */
static void
server_read_done(void *arg, size_t jobs, size_t bytes)
{
	struct server	*s = arg;

	server_forget(s, jobs, bytes, jobs);
	if (s->rd_next == NULL)		/* a reload waits for the prepare */
		server_read_start(s);
	server_pause_all(s, 1);
	server_maybe_close(s);
}

/* Once per loop turn, before it sleeps: start a batch and a read run if
 * none runs. */
static void
server_prepare_cb(uv_prepare_t *h)
{
	struct server	*s = h->data;

	server_swap_refdata(s);
	server_batch_start(s);
	server_read_start(s);
}

/* --- sockets --------------------------------------------------------------- */

static int
sock_bind(int nn, const char *url, char *err, size_t errlen)
{
	if (nn_bind(nn, url) < 0)
		return gl_err(err, errlen, GL_EIO, "cannot bind %s: %s", url,
		    nn_strerror(nn_errno()));
	return 0;
}

/* A raw REP socket on url, watched by the loop. */
static int
sock_open(struct server *s, struct sock *k, enum job_kind kind,
    const char *url, char *err, size_t errlen)
{
	size_t	 fdsz = sizeof(int);
	int	 fd, rc;
	int	 maxsz = (int)((kind == JOB_CONTROL ? SERVER_CONTROL_MAX :
		    s->opts.max_message) * 4);

	k->srv = s;
	k->kind = kind;
	k->count = kind == JOB_CONTROL;
	snprintf(k->url, sizeof k->url, "%s", url);
	if ((k->nn = nn_socket(AF_SP_RAW, NN_REP)) < 0)
		return gl_err(err, errlen, GL_EIO, "%s: socket: %s", url,
		    nn_strerror(nn_errno()));
	/* Above 4x the limit nanomsg drops the message unread; between the
	 * limit and that, the codec answers too_large. */
	nn_setsockopt(k->nn, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsz,
	    sizeof maxsz);
	if ((rc = sock_bind(k->nn, url, err, errlen)) != 0)
		return rc;
	if (nn_getsockopt(k->nn, NN_SOL_SOCKET, NN_RCVFD, &fd, &fdsz) < 0)
		return gl_err(err, errlen, GL_EIO, "%s: NN_RCVFD: %s", url,
		    nn_strerror(nn_errno()));
	uv_poll_init(s->loop, &k->poll, fd);
	k->poll.data = k;
	sock_pause(k, 1);
	return 0;
}

static int
server_sockets(struct server *s, char *err, size_t errlen)
{
	char	url[4200];
	size_t	i;
	int	rc;

	rundir_url(s->opts.run_dir, RUNDIR_INGEST, url, sizeof url);
	for (i = 0; i <= s->opts.ningest; i++) {
		s->ingest[i].nn = -1;
		if ((rc = sock_open(s, &s->ingest[i], JOB_INGEST, i == 0 ?
		    url : s->opts.ingest[i - 1], err, errlen)) != 0)
			return rc;
		s->ningest = i + 1;
	}
	rundir_url(s->opts.run_dir, RUNDIR_CONTROL, url, sizeof url);
	if ((rc = sock_open(s, &s->control, JOB_CONTROL, url, err,
	    errlen)) != 0)
		return rc;
	rundir_url(s->opts.run_dir, RUNDIR_EVENTS, url, sizeof url);
	if ((s->events = nn_socket(AF_SP, NN_PUB)) < 0)
		return gl_err(err, errlen, GL_EIO, "events: socket: %s",
		    nn_strerror(nn_errno()));
	return sock_bind(s->events, url, err, errlen);
}

/* --- life ------------------------------------------------------------------ */

static void
server_handle_closed(uv_handle_t *h)
{
	(void)h;
}

static int
server_load(const char *dir, struct refdata **out, char *err, size_t errlen)
{
	struct diag	d;
	char		first[512] = "";
	int		rc;

	diag_init(&d);
	rc = refdata_load(dir, out, &d);
	if (rc == 0 && check_coverage(*out, &d) > 0)
		rc = GL_EPARSE;
	if (d.n > 0)
		diag_format(&d, 0, first, sizeof first);
	diag_free(&d);
	if (rc != 0) {
		refdata_free(*out);
		*out = NULL;
		return gl_err(err, errlen, rc, "reference data in %s does not "
		    "pass `gridline check`: %s", dir, first);
	}
	return 0;
}

/* 1 when DB.lock is beside the database already: a server has used it. */
static int
server_db_had_lock(const char *db)
{
	char	path[4200];

	snprintf(path, sizeof path, "%s%s", db, RUNDIR_DB_LOCK);
	return access(path, F_OK) == 0;
}

/*
 * Never a fresh database where one was before, unless --create says so:
 * SQLite would make an empty one, the log would say "0 cases" and every
 * case would be lost without a word (the file removed by hand, a disk not
 * mounted). What says a database was here is its lock, DB.lock beside it,
 * which a server makes on its first start and never removes; checked with
 * the lock held, so no other server makes the file meanwhile. A first
 * start (no lock, no file) needs no flag: the console's auto-start and
 * `gridline demo` begin so on fresh directories.
 */
static int
server_db_check(const struct server_opts *o, int had_lock, char *err,
    size_t errlen)
{
	struct stat	sb;

	if (o->create || !had_lock || strcmp(o->db, ":memory:") == 0 ||
	    strncmp(o->db, "file:", 5) == 0 || stat(o->db, &sb) == 0 ||
	    errno != ENOENT)
		return 0;
	return gl_err(err, errlen, GL_ENOTFOUND, "database %s is gone (its "
	    "lock %s%s says a server used it): put it back, or start with "
	    "--create to make a new, empty one", o->db, o->db,
	    RUNDIR_DB_LOCK);
}

/* A training server on a training database, a live one on a live one: a
 * trainee's registrations must never become real records, nor a real
 * city's cases a trainee's exercise. A database takes the kind of the
 * server that creates its file, and keeps it. */
static int
server_training_check(struct server *s, char *err, size_t errlen)
{
	int	training = store_is_training(s->st);

	if (s->opts.training && !training) {
		if (s->db_new && store_mark_training(s->st, err, errlen) == 0)
			return 0;
		return gl_err(err, errlen, GL_EINVAL, "%s is a live database: "
		    "a training server takes a training database only "
		    "(gridline train start makes one)", s->opts.db);
	}
	if (!s->opts.training && training)
		return gl_err(err, errlen, GL_EINVAL, "%s is a training "
		    "database: a live server does not take it (serve it "
		    "with --training, or use gridline train)", s->opts.db);
	return 0;
}

static int
server_operator_cb(void *arg, const struct store_operator *op)
{
	struct auth_operator	a;
	struct server		*s = arg;

	memset(&a, 0, sizeof a);
	snprintf(a.name, sizeof a.name, "%s", op->name);
	memcpy(a.pk, op->pubkey, sizeof a.pk);
	if (rights_role_parse(op->role, &a.role) != 0) {
		log_msg(LOG_WARN, "operator %s: unknown role %s: disabled",
		    op->name, op->role);
		a.disabled = 1;
	}
	snprintf(a.agency, sizeof a.agency, "%s", op->agency != NULL ?
	    op->agency : "");
	snprintf(a.township, sizeof a.township, "%s", op->township != NULL ?
	    op->township : "");
	a.disabled |= op->disabled;
	return auth_put(s->auth, &a) != 0;
}

static int
server_feeder_cb(void *arg, const struct store_feeder *f)
{
	struct server	*s = arg;

	return feeders_put(s->feeders, f->name, f->key, f->disabled) != 0;
}

/* The operators (and feeders) from the database into the tables requests
 * are checked against. */
static int
server_load_operators(struct server *s, char *err, size_t errlen)
{
	int	rc;

	if (auth_new(time(NULL), &s->auth) != 0)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	if ((rc = store_operator_each(s->st, server_operator_cb, s, err,
	    errlen)) != 0)
		return rc;
	if (feeders_new(s->opts.feeder_rate, s->opts.feeder_burst,
	    &s->feeders) != 0)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	if ((rc = store_feeder_each(s->st, server_feeder_cb, s, err,
	    errlen)) != 0)
		return rc;
	if (auth_count(s->auth) == 0)
		log_msg(LOG_WARN, "no operators yet: control requests are "
		    "taken unsigned until the first admin is added "
		    "(gridline operator add NAME --role admin)");
	return 0;
}

int
server_open(uv_loop_t *loop, const struct server_opts *o,
    struct server **out, char *err, size_t errlen)
{
	struct server	*s;
	int		 rc, had_lock;
	char		 clk[64];
	struct stat	 sb;

	*out = NULL;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	s->loop = loop;
	s->opts = *o;
	if (!s->opts.clock.set)
		glclock_wall(&s->opts.clock);
	s->stats.clock_set = s->opts.clock.set;
	s->stats.clock_speed = s->opts.clock.speed;
	if (o->scenario != NULL)
		snprintf(s->stats.scenario, sizeof s->stats.scenario, "%s",
		    o->scenario);
	if (s->opts.max_message == 0)
		s->opts.max_message = WIRE_MAX_MESSAGE;
	jobq_init(&s->ingestq);
	jobq_init(&s->writeq);
	s->lockfd = s->dblockfd = -1;
	s->events = s->ingest[0].nn = s->control.nn = -1;
	*out = s;
	if ((rc = rundir_prepare(o->run_dir, err, errlen)) != 0 ||
	    (rc = rundir_lock(o->run_dir, &s->lockfd, err, errlen)) != 0 ||
	    (rc = server_load(o->data_dir, &s->rd, err, errlen)) != 0 ||
	    (rc = rundir_prepare_parent(o->db, err, errlen)) != 0)
		return rc;
	had_lock = server_db_had_lock(o->db);
	if ((rc = rundir_db_lock(o->db, &s->dblockfd, err, errlen)) != 0 ||
	    (rc = server_db_check(o, had_lock, err, errlen)) != 0)
		return rc;
	if (s->dblockfd < 0)
		log_msg(LOG_WARN, "%s", err);
	s->db_new = strcmp(o->db, ":memory:") == 0 || (stat(o->db, &sb) != 0 &&
	    errno == ENOENT);
	if ((rc = store_open(o->db, &s->st, err, errlen)) != 0 ||
	    (rc = server_training_check(s, err, errlen)) != 0)
		return rc;
	store_checkpoint_apart(s->st);
	store_set_calendar(s->st, refdata_calendar(s->rd));
	if ((rc = server_load_operators(s, err, errlen)) != 0)
		return rc;
	if (strcmp(o->db, ":memory:") != 0 && ((rc = reader_open(loop, o->db,
	    server_read_done, s, &s->reader, err, errlen)) != 0 ||
	    (rc = reader_open(loop, o->db, server_read_done, s, &s->reporter,
	    err, errlen)) != 0))
		return rc;
	if (s->reporter != NULL)
		reader_set_each(s->reporter, reports_keep, s);
	uv_prepare_init(loop, &s->prepare);
	s->prepare.data = s;
	uv_prepare_start(&s->prepare, server_prepare_cb);
	if ((rc = server_sockets(s, err, errlen)) != 0) {
		server_close_handles(s);
		return rc;
	}
	glclock_format(&s->opts.clock, clk, sizeof clk);
	log_msg(LOG_INFO, "serving %s on %s (%lld cases, event seq %lld)%s, "
	    "clock %s", o->db, o->run_dir, (long long)store_case_count(s->st),
	    (long long)store_last_seq(s->st), o->training ? ", training" : "",
	    clk);
	return 0;
}

/* Close the loop handles that were set up (on a stop, or when opening
 * failed half-way); the loop then ends by itself. */
static void
server_close_handles(struct server *s)
{
	size_t	i;

	if (s->closed)
		return;
	s->closed = 1;
	if (s->prepare.data != NULL)
		uv_close((uv_handle_t *)&s->prepare, server_handle_closed);
	for (i = 0; i < s->ningest; i++)
		if (s->ingest[i].poll.data != NULL)
			uv_close((uv_handle_t *)&s->ingest[i].poll,
			    server_handle_closed);
	if (s->control.poll.data != NULL)
		uv_close((uv_handle_t *)&s->control.poll,
		    server_handle_closed);
	reader_close(s->reader);
	reader_close(s->reporter);
}

/* After a stop: once nothing is queued or in flight, checkpoint and close.
 * Jobs still queued are taken by the prepare hook first. */
static void
server_maybe_close(struct server *s)
{
	char	err[256];

	if (!s->stopping || s->busy != NULL || s->queued > 0 ||
	    s->ckpt_busy || s->closed)
		return;
	if (s->stats.store_error[0] == '\0' &&	/* not into a removed file */
	    store_checkpoint(s->st, err, sizeof err) != 0)
		log_msg(LOG_WARN, "checkpoint: %s", err);
	server_close_handles(s);
	log_msg(LOG_INFO, "stopped");
}

void
server_stop(struct server *s)
{
	if (s->stopping)
		return;
	log_msg(LOG_INFO, "stopping: answering requests in flight");
	server_pause_all(s, 0);
	s->stopping = 1;
	server_maybe_close(s);
}

void
server_reload(struct server *s)
{
	struct refdata	*rd;
	char		 err[768];

	if (server_load(s->opts.data_dir, &rd, err, sizeof err) != 0) {
		log_msg(LOG_ERROR, "reload refused, keeping the loaded data: "
		    "%s", err);
		return;
	}
	refdata_free(s->rd_next);
	s->rd_next = rd;
	server_swap_refdata(s);
}

void
server_free(struct server *s)
{
	struct job	*j;
	size_t		 i;

	if (s == NULL)
		return;
	while ((j = jobq_pop(&s->ingestq)) != NULL)
		job_free(j);
	while ((j = jobq_pop(&s->writeq)) != NULL)
		job_free(j);
	reader_free(s->reader);
	reader_free(s->reporter);
	reports_free(s);
	for (i = 0; i < s->ningest; i++) {
		if (s->ingest[i].nn >= 0)
			nn_close(s->ingest[i].nn);
		sock_pipes_free(&s->ingest[i]);
	}
	sock_pipes_free(&s->control);
	if (s->control.nn >= 0)
		nn_close(s->control.nn);
	if (s->events >= 0)
		nn_close(s->events);
	store_ckpt_close(s->ckpt);
	store_close(s->st);
	auth_free(s->auth);
	feeders_free(s->feeders);
	refdata_free(s->rd);
	refdata_free(s->rd_next);
	if (s->dblockfd >= 0)
		close(s->dblockfd);
	if (s->lockfd >= 0)
		close(s->lockfd);
	free(s);
}
