/*
 * reader.c: the read lane (see reader.h).
 *
 * The lane is a thread of its own, not libuv's pool, so that it can run
 * at a lower priority (nice 10) than the loop and the write batch: on two
 * cores, a flood of snapshots building replies on one core took CPU time
 * from the loop and the batch, and a paced incident's acknowledgement
 * waited for the scheduler (p99 269 ms with the test suite running
 * beside it, on the pool). Reads wait a few milliseconds more instead;
 * acknowledgements do not. The pool's threads run the write batches too,
 * and a thread's nice value cannot be lowered again without privilege.
 *
 * The loop owns the queue and the run's jobs between runs; the thread
 * owns the run's jobs and the connection during a run. The hand-over is a
 * mutex and condition one way and a uv_async the other, so nothing here
 * is shared at once.
 *
 * A run takes at most READER_RUN_JOBS jobs and stops running them once it
 * holds READER_RUN_BYTES of replies or has worked READER_RUN_NS; the rest
 * go back to the head of the queue, in order. The bounds keep memory
 * small under a flood of snapshots (their replies are sent and freed
 * between runs) and let the loop swap reference data or stop between
 * runs. The first job of a run always runs, so each run makes progress.
 */
#include <sys/resource.h>
#include <sys/syscall.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "log.h"
#include "reader.h"
#include "store.h"

#define READER_RUN_JOBS		16
#define READER_RUN_BYTES	(32 << 20)
#define READER_RUN_NS		(20 * 1000000ULL)
#define READER_NICE		10

struct reader {
	uv_loop_t		*loop;
	struct store		*st;
	reader_done_fn		 done;
	void			*arg;
	struct jobq		 q;		/* waiting */
	struct jobq		 run;		/* in the running run */
	uv_thread_t		 thread;
	uv_mutex_t		 mu;
	uv_cond_t		 cond;
	uv_async_t		 async;		/* a run ended */
	int			 go, quit;	/* under mu */
	int			 started;	/* the thread runs */
	int			 busy;
	const struct refdata	*rd;		/* the run's */
	int			 training;
	const struct glclock	*clock;		/* the server's */
	void			(*each)(void *, struct job *);
	void			*each_arg;
	struct server_stats	 stats;		/* the run's copy */
};

static void reader_thread(void *arg);
static void reader_async_cb(uv_async_t *h);

int
reader_open(uv_loop_t *loop, const char *db, reader_done_fn done, void *arg,
    struct reader **out, char *err, size_t errlen)
{
	struct reader	*r;
	int		 rc;

	*out = NULL;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	if ((rc = store_open_reader(db, &r->st, err, errlen)) != 0) {
		free(r);
		return rc;
	}
	r->loop = loop;
	r->done = done;
	r->arg = arg;
	jobq_init(&r->q);
	jobq_init(&r->run);
	*out = r;
	if (uv_mutex_init(&r->mu) != 0 || uv_cond_init(&r->cond) != 0 ||
	    uv_async_init(loop, &r->async, reader_async_cb) != 0)
		return gl_err(err, errlen, GL_ENOMEM, "read lane: cannot set "
		    "up its thread");
	r->async.data = r;
	if ((rc = uv_thread_create(&r->thread, reader_thread, r)) != 0) {
		uv_close((uv_handle_t *)&r->async, NULL);
		return gl_err(err, errlen, GL_ENOMEM, "read lane: cannot "
		    "start its thread: %s", uv_strerror(rc));
	}
	r->started = 1;
	return 0;
}

void
reader_close(struct reader *r)
{
	if (r == NULL || !r->started)
		return;
	uv_mutex_lock(&r->mu);
	r->quit = 1;
	uv_cond_signal(&r->cond);
	uv_mutex_unlock(&r->mu);
	uv_thread_join(&r->thread);
	r->started = 0;
	uv_close((uv_handle_t *)&r->async, NULL);
}

void
reader_free(struct reader *r)
{
	struct job	*j;

	if (r == NULL)
		return;
	reader_close(r);
	while ((j = jobq_pop(&r->q)) != NULL)
		job_free(j);
	while ((j = jobq_pop(&r->run)) != NULL)
		job_free(j);
	store_close(r->st);
	free(r);
}

void
reader_set_each(struct reader *r, void (*each)(void *, struct job *),
    void *arg)
{
	r->each = each;
	r->each_arg = arg;
}

void
reader_push(struct reader *r, struct job *j)
{
	jobq_push(&r->q, j);
}

struct jobq *
reader_queue(struct reader *r)
{
	return &r->q;
}

int
reader_busy(const struct reader *r)
{
	return r->busy;
}

/* One request, in a read transaction of its own. */
static void
reader_job(struct reader *r, struct job *j, time_t now)
{
	struct opctx	 x = { r->st, r->rd, now, NULL, r->training, &r->stats,
			    NULL, j->signed_by ? &j->who : NULL, NULL,
			    j->body, j->len };
	json_t		*rep;
	char		 err[256];
	int		 rc;

	if (r->stats.store_error[0] != '\0' && strcmp(json_string_value(
	    json_object_get(j->req, "op")), "status") != 0) {
		rep = ops_error("store_failed", NULL, "nothing can be read: "
		    "%s", r->stats.store_error);
	} else if ((rc = store_begin(r->st, err, sizeof err)) != 0) {
		rep = ops_error(ops_code(rc), NULL, "%s", err);
	} else {
		rep = ops_exec(&x, j->req);
		store_rollback(r->st);	/* it only read */
	}
	j->reply = rep != NULL ? json_dumps(rep, JSON_COMPACT) : x.text;
	json_decref(rep);
}

static void
reader_work(struct reader *r)
{
	struct job	*j;
	time_t		 now = glclock_now(r->clock);
	uint64_t	 t0 = uv_hrtime();
	size_t		 bytes = 0;

	for (j = r->run.head; j != NULL; j = j->next) {
		if (j != r->run.head && (bytes >= READER_RUN_BYTES ||
		    uv_hrtime() - t0 >= READER_RUN_NS)) {
			j->deferred = 1;
			continue;
		}
		reader_job(r, j, now);
		if (j->reply != NULL)
			bytes += strlen(j->reply);
	}
}

/* The deferred jobs of the run back to the head of the queue. */
static void
reader_requeue(struct reader *r)
{
	r->run.n -= jobq_requeue_deferred(&r->run.head, &r->run.tail, &r->q);
}

/* The thread: a run each time reader_start says go. */
static void
reader_thread(void *arg)
{
	struct reader	*r = arg;

#ifdef SYS_gettid
	/* this thread only: on Linux a nice value is a thread's */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), READER_NICE);
#endif
	for (;;) {
		uv_mutex_lock(&r->mu);
		while (!r->go && !r->quit)
			uv_cond_wait(&r->cond, &r->mu);
		if (r->quit) {
			uv_mutex_unlock(&r->mu);
			return;
		}
		r->go = 0;
		uv_mutex_unlock(&r->mu);
		reader_work(r);
		uv_async_send(&r->async);
	}
}

/* On the loop: the run ended. */
static void
reader_async_cb(uv_async_t *h)
{
	struct reader	*r = h->data;
	struct job	*j;
	size_t		 n = 0, bytes = 0;

	if (!r->busy)
		return;
	r->busy = 0;
	r->rd = NULL;
	reader_requeue(r);
	while ((j = jobq_pop(&r->run)) != NULL) {
		n++;
		bytes += j->len;
		if (r->each != NULL)
			r->each(r->each_arg, j);
		job_reply(j);
		job_free(j);
	}
	r->done(r->arg, n, bytes);
}

void
reader_start(struct reader *r, const struct refdata *rd, int training,
    const struct glclock *clock, const struct server_stats *stats)
{
	struct job	*j;

	if (r->busy || r->q.head == NULL)
		return;
	while (r->run.n < READER_RUN_JOBS && (j = jobq_pop(&r->q)) != NULL)
		jobq_push(&r->run, j);
	r->rd = rd;
	r->training = training;
	r->clock = clock;
	r->stats = *stats;
	store_set_calendar(r->st, refdata_calendar(rd));
	r->busy = 1;
	uv_mutex_lock(&r->mu);
	r->go = 1;
	uv_cond_signal(&r->cond);
	uv_mutex_unlock(&r->mu);
}
