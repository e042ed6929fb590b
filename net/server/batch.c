/*
 * batch.c: the write batch, on the worker thread (see server.c for how a
 * batch flows, and server-int.h).
 *
 * One transaction stores every incident of the batch and runs its control
 * requests that write, committed with synchronous=FULL; the replies and
 * events are written afterwards on the loop thread (server.c's
 * batch_after) from what is recorded here. When the store fails the whole
 * batch is rolled back and every request of it gets an error reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "intake.h"
#include "log.h"
#include "server-int.h"
#include "wire.h"

static void
batch_reject(struct batch *b, const struct job *j, long item,
    const struct wire_error *e, const void *body, size_t len)
{
	struct store_reject	r = { 0 };

	r.at = glclock_now(&b->srv->opts.clock);
	r.endpoint = j->from->url;
	r.code = e->code;
	r.field = e->field;
	r.message = e->message;
	r.item = item;
	r.size = j->len;
	r.body = body;
	r.body_len = len;
	if (store_reject_add(b->srv->st, &r, NULL, 0) != 0)
		log_msg(LOG_WARN, "cannot keep a rejected request");
}

/* A rejected item is kept as its own JSON text, not the whole request:
 * an array of 10,000 bad items must not be stored 10,000 times. */
static void
batch_reject_item(struct batch *b, const struct job *j,
    const struct wire_ingest *w, size_t i)
{
	json_t	*item = w->is_array ? json_array_get(w->root, i) : w->root;
	char	*text = item != NULL ? json_dumps(item, JSON_COMPACT |
		    JSON_ENCODE_ANY) : NULL;

	if (!w->is_array)
		batch_reject(b, j, -1, &w->items[i].err, j->body, j->len);
	else
		batch_reject(b, j, (long)i, &w->items[i].err, text,
		    text != NULL ? strlen(text) : 0);
	free(text);
}

/* Store one valid item, or mark why not. */
static void
batch_item(struct batch *b, struct wire_item *it, time_t now)
{
	struct server	*s = b->srv;
	char		 err[512];
	int		 rc;

	if (intake_resolve(b->rd, &it->in, err, sizeof err) != 0) {
		wire_item_fail(it, strncmp(err, "grid", 4) == 0 ?
		    "unknown_grid" : "unknown_category", strncmp(err, "grid",
		    4) == 0 ? "grid" : "category", "%s", err);
		return;
	}
	it->in.photos = it->photos;
	rc = store_case_create(s->st, &it->in, it->in.source != NULL ?
	    it->in.source : "ingest", now, &it->result, &it->stored, err,
	    sizeof err);
	if (rc == GL_EEXISTS)
		wire_item_fail(it, "id_conflict", "id", "%s", err);
	else if (rc != 0)
		wire_item_fail(it, "store_failed", NULL, "%s", err);
}

/* Store the items of one decoded request; the reply and the events are
 * built in the after-callback, on the loop thread, from the same items. */
static void
batch_ingest(struct batch *b, struct job *j)
{
	struct wire_ingest	*w = &j->w;
	size_t			 i;

	if (w->err.code[0] != '\0') {
		batch_reject(b, j, -1, &w->err, j->body, j->len);
		return;
	}
	for (i = 0; i < w->n; i++) {
		struct wire_item *it = &w->items[i];

		b->nitems++;
		if (it->err.code[0] == '\0')
			batch_item(b, it, j->at);
		if (it->err.code[0] != '\0')
			batch_reject_item(b, j, w, i);
	}
}

static void
batch_control(struct batch *b, struct job *j, time_t now)
{
	struct opctx	 x = { b->srv->st, b->rd, now, &b->publish,
			    b->srv->opts.training, &b->srv->stats, NULL,
			    j->signed_by ? &j->who : NULL, &b->changes,
			    j->body, j->len };
	json_error_t	 jerr;
	json_t		*rep;

	if (j->len > SERVER_CONTROL_MAX) {	/* as wire.c does for ingest */
		rep = ops_error("too_large", NULL, "message is %zu bytes, at "
		    "most %d", j->len, SERVER_CONTROL_MAX);
	} else if (j->req == NULL) {	/* parse again, for the message */
		json_decref(json_loadb(j->body, j->len,
		    JSON_REJECT_DUPLICATES, &jerr));
		rep = ops_error("invalid_json", NULL, "%d:%d: %s", jerr.line,
		    jerr.column, jerr.text);
	} else
		rep = ops_exec(&x, j->req);
	j->reply = rep != NULL ? json_dumps(rep, JSON_COMPACT) : x.text;
	json_decref(rep);
}

/* The store failed: every reply of the batch becomes an error. Ingest
 * says store_failed (send again); control names the store's condition
 * (busy, full, readonly). */
static void
batch_fail(struct batch *b, const char *code, const char *msg)
{
	struct job	*j;
	json_t		*e;

	for (j = b->jobs; j != NULL; j = j->next) {
		if (j->deferred)
			continue;	/* not run: runs in a later batch */
		e = ops_error(j->kind == JOB_INGEST ? "store_failed" : code,
		    NULL, "nothing of this request was stored (%s): %s", code,
		    msg);
		free(j->reply);
		j->reply = json_dumps(e, JSON_COMPACT);
		json_decref(e);
	}
	publish_clear(&b->publish);
}

/*
 * After the commit, before any acknowledgement: is the database file still
 * the one we opened? Removed (rm of the database) or replaced (mv over it),
 * the commit went to a file nobody will open again, and the acknowledged
 * incidents would be lost at the next start: the batch fails instead, as
 * on any store failure, and the after-callback makes every later batch
 * fail too (batch_refuse). One stat and one fstat per batch. After the
 * commit, not before: a file removed between a check and the commit would
 * take an acknowledged batch with it.
 */
static void
batch_check_file(struct batch *b)
{
	if (store_file_check(b->srv->st, b->gone, sizeof b->gone) == 0)
		return;
	batch_fail(b, "store_failed", b->gone);
	b->rc = GL_EIO;
}

/* 1 when the control request j is {"op":"status",...}. */
static int
job_is_status(const struct job *j)
{
	const char	*op = json_string_value(json_object_get(j->req, "op"));

	return op != NULL && strcmp(op, "status") == 0;
}

/*
 * The database file is gone (batch_check_file said so earlier): nothing is
 * stored or changed any more, every request is answered store_failed with
 * the reason, but for `status`, which still answers (from the removed
 * file, which the connection keeps open) and says why in store_error. The
 * server goes on running so that consoles and `ctl status` show the
 * reason; the log said it once.
 */
static void
batch_refuse(struct batch *b, time_t now)
{
	struct job	*j;
	json_t		*e;

	b->refused = 1;
	b->rc = GL_EIO;
	for (j = b->jobs; j != NULL; j = j->next) {
		if (j->kind == JOB_CONTROL && job_is_status(j)) {
			batch_control(b, j, now);
			continue;
		}
		e = ops_error("store_failed", NULL, "nothing of this request "
		    "was stored: %s", b->srv->stats.store_error);
		j->reply = json_dumps(e, JSON_COMPACT);
		json_decref(e);
	}
	publish_clear(&b->publish);
}

/*
 * One control job, unless the batch has done enough of them: past
 * SERVER_BATCH_REPLY_BYTES of replies held or SERVER_BATCH_CONTROL_NS of
 * control work, the job is not run but marked deferred, and batch_after
 * queues it again at the head. A snapshot of 2,000 cases is about 2 MB of
 * reply: without the bound, a batch of 512 of them held a gigabyte and
 * kept the incidents behind it waiting for seconds. The first control job
 * of a batch always runs, so each batch makes progress.
 */
static void
batch_control_bounded(struct batch *b, struct job *j, time_t now)
{
	uint64_t	t0;

	if (b->control_ns > 0 && (b->reply_bytes >= SERVER_BATCH_REPLY_BYTES ||
	    b->control_ns >= SERVER_BATCH_CONTROL_NS)) {
		j->deferred = 1;
		return;
	}
	t0 = uv_hrtime();
	batch_control(b, j, now);
	if (j->reply != NULL)
		b->reply_bytes += strlen(j->reply);
	b->control_ns += uv_hrtime() - t0 + 1;
}

void
batch_work(uv_work_t *w)
{
	struct batch	*b = w->data;
	struct server	*s = b->srv;
	struct job	*j;
	time_t		 now = glclock_now(&s->opts.clock);
	uint64_t	 t0 = uv_hrtime(), t1;
	char		 err[512];

	if (s->stats.store_error[0] != '\0') {
		batch_refuse(b, now);
		return;
	}
	if ((b->rc = store_begin(s->st, err, sizeof err)) != 0) {
		batch_fail(b, gl_strerror_name(b->rc), err);
		batch_check_file(b);
		return;
	}
	for (j = b->jobs; j != NULL; j = j->next) {
		if (j->kind == JOB_INGEST)
			batch_ingest(b, j);
		else
			batch_control_bounded(b, j, now);
	}
	t1 = uv_hrtime();
	if ((b->rc = store_commit(s->st, err, sizeof err)) != 0)
		batch_fail(b, gl_strerror_name(b->rc), err);
	batch_check_file(b);
	b->commit_ns = uv_hrtime() - t1;
	b->work_ns = uv_hrtime() - t0;
}

