/*
 * link.c: the console's asynchronous link to the server (see link.h).
 *
 * A REQ socket can have one request outstanding; sending another abandons
 * the first. So requests wait in a FIFO and the next goes out when the
 * reply (or the timeout) of the current one is in. The heartbeat is just
 * another request, sent only when the queue is empty, so it never delays a
 * dispatcher's action.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>

#include "error.h"
#include "link.h"
#include "rundir.h"
#include "sign.h"

#define LINK_TIMEOUT_MS		2000	/* a request not answered by then */
#define LINK_BEAT_MS		1000	/* heartbeat when idle */


struct link_req {
	struct link_req	*next;
	json_t		*req;
	link_reply_fn	 cb;		/* NULL (and raw NULL): the heartbeat */
	link_raw_fn	 raw;		/* the reply's bytes instead */
	void		*arg;
};

struct link {
	uv_loop_t	*loop;
	struct link_cbs	 cbs;
	int		 req, sub;	/* nanomsg sockets */
	uv_poll_t	 req_poll, sub_poll;
	uv_timer_t	 timeout, beat;
	struct link_req	*head, **tail;
	struct link_req	*inflight;
	int		 up;
	int		 closing;
	const struct sign_id *id;	/* who signs; NULL: nobody */
};

static void link_send_next(struct link *l);

/* Tell the owner when the link goes up or down, and pass on every
 * heartbeat's status (it says, for one, whether the server trains). */
static void
link_set_up(struct link *l, int up, json_t *status)
{
	if (l->up == up && status == NULL)
		return;
	l->up = up;
	if (l->cbs.state != NULL)
		l->cbs.state(l->cbs.arg, up, status);
}

/* Call r's callback: with the reply, or with its bytes for a raw one. */
static void
link_answer(struct link_req *r, json_t *reply, const char *text, size_t len,
    const char *err)
{
	if (r->raw != NULL)
		r->raw(r->arg, text, len, err);
	else if (r->cb != NULL)
		r->cb(r->arg, reply, err);
}

/* The in-flight request is done: hand its reply over, send the next. The
 * next goes out from inside the callback if it asks for one (inflight is
 * already clear), so the server works on it while the callback decodes. */
static void
link_finish(struct link *l, json_t *reply, const char *text, size_t len,
    const char *err)
{
	struct link_req	*r = l->inflight;

	l->inflight = NULL;
	uv_timer_stop(&l->timeout);
	if (r == NULL)
		return;
	if (reply != NULL || text != NULL)
		link_set_up(l, 1, r->cb == NULL && r->raw == NULL ? reply :
		    NULL);
	link_answer(r, reply, text, len, err);
	json_decref(r->req);
	free(r);
	link_send_next(l);
}

static void
link_timeout_cb(uv_timer_t *t)
{
	struct link	*l = t->data;

	link_set_up(l, 0, NULL);
	link_finish(l, NULL, NULL, 0, "the server did not answer");
}

static void
link_send_next(struct link *l)
{
	struct link_req	*r;
	char		*text = NULL;
	size_t		 len;

	if (l->inflight != NULL || (r = l->head) == NULL || l->closing)
		return;
	l->head = r->next;
	if (l->head == NULL)
		l->tail = &l->head;
	l->inflight = r;
	if (sign_seal(l->id, r->req, time(NULL), &text, &len) != 0 ||
	    nn_send(l->req, text, len, NN_DONTWAIT) < 0) {
		free(text);
		link_finish(l, NULL, NULL, 0, "cannot send the request");
		return;
	}
	free(text);
	uv_timer_start(&l->timeout, link_timeout_cb, LINK_TIMEOUT_MS, 0);
}

/* Queue a request; cb and raw NULL mark the heartbeat. */
static int
link_queue(struct link *l, json_t *req, link_reply_fn cb, link_raw_fn raw,
    void *arg)
{
	struct link_req	*r;

	if (req == NULL || (r = calloc(1, sizeof *r)) == NULL) {
		json_decref(req);
		return GL_ENOMEM;
	}
	r->req = req;
	r->cb = cb;
	r->raw = raw;
	r->arg = arg;
	*l->tail = r;
	l->tail = &r->next;
	link_send_next(l);
	return 0;
}

int
link_request(struct link *l, json_t *req, link_reply_fn cb, void *arg)
{
	int	rc;

	assert(cb != NULL);
	if ((rc = link_queue(l, req, cb, NULL, arg)) != 0)
		cb(arg, NULL, "out of memory");
	return rc;
}

int
link_request_raw(struct link *l, json_t *req, link_raw_fn cb, void *arg)
{
	int	rc;

	assert(cb != NULL);
	if ((rc = link_queue(l, req, NULL, cb, arg)) != 0)
		cb(arg, NULL, 0, "out of memory");
	return rc;
}

/* A reply: parsed unless the request in flight wants the bytes (a reply
 * with none in flight, after a timeout, goes nowhere either way). */
static void
link_on_reply(struct link *l, const char *buf, size_t n)
{
	json_t	*msg;

	if (l->inflight != NULL && l->inflight->raw != NULL) {
		link_finish(l, NULL, buf, n, NULL);
		return;
	}
	msg = json_loadb(buf, n, 0, NULL);
	link_finish(l, msg, NULL, 0, msg == NULL ? "the reply is not JSON" :
	    NULL);
	json_decref(msg);
}

static void
link_on_event(struct link *l, const char *buf, size_t n)
{
	json_t	*msg;

	if (l->cbs.event == NULL ||
	    (msg = json_loadb(buf, n, 0, NULL)) == NULL)
		return;
	l->cbs.event(l->cbs.arg, msg);
	json_decref(msg);
}

/* Drain one socket: each message goes to fn, then back to nanomsg. */
static void
link_drain(struct link *l, int sock,
    void (*fn)(struct link *, const char *, size_t))
{
	char	*buf;
	int	 n;

	while ((n = nn_recv(sock, &buf, NN_MSG, NN_DONTWAIT)) >= 0) {
		fn(l, buf, (size_t)n);
		nn_freemsg(buf);
		if (l->closing)
			return;
	}
}

static void
link_poll_cb(uv_poll_t *h, int status, int events)
{
	struct link	*l = h->data;

	(void)events;
	if (status < 0)
		return;
	if (h == &l->req_poll)
		link_drain(l, l->req, link_on_reply);
	else
		link_drain(l, l->sub, link_on_event);
}

static void
link_beat_cb(uv_timer_t *t)
{
	struct link	*l = t->data;

	if (l->inflight == NULL && l->head == NULL)
		link_queue(l, json_pack("{s:s}", "op", "status"), NULL, NULL,
		    NULL);
}

static int
link_poll_start(struct link *l, int sock, uv_poll_t *p, char *err,
    size_t errlen)
{
	size_t	sz = sizeof(int);
	int	fd;

	if (nn_getsockopt(sock, NN_SOL_SOCKET, NN_RCVFD, &fd, &sz) < 0)
		return gl_err(err, errlen, GL_EIO, "NN_RCVFD: %s",
		    nn_strerror(nn_errno()));
	uv_poll_init(l->loop, p, fd);
	p->data = l;
	uv_poll_start(p, UV_READABLE, link_poll_cb);
	return 0;
}

static int
link_sockets(struct link *l, const char *run_dir, char *err, size_t errlen)
{
	char	url[4200];
	int	unlimited = -1, ivl = 200, rc;

	rundir_url(run_dir, RUNDIR_CONTROL, url, sizeof url);
	if ((l->req = nn_socket(AF_SP, NN_REQ)) < 0 ||
	    nn_connect(l->req, url) < 0)
		return gl_err(err, errlen, GL_EIO, "%s: %s", url,
		    nn_strerror(nn_errno()));
	nn_setsockopt(l->req, NN_SOL_SOCKET, NN_RCVMAXSIZE, &unlimited,
	    sizeof unlimited);
	nn_setsockopt(l->req, NN_SOL_SOCKET, NN_RECONNECT_IVL, &ivl,
	    sizeof ivl);
	rundir_url(run_dir, RUNDIR_EVENTS, url, sizeof url);
	if ((l->sub = nn_socket(AF_SP, NN_SUB)) < 0 ||
	    nn_setsockopt(l->sub, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) < 0 ||
	    nn_connect(l->sub, url) < 0)
		return gl_err(err, errlen, GL_EIO, "%s: %s", url,
		    nn_strerror(nn_errno()));
	nn_setsockopt(l->sub, NN_SOL_SOCKET, NN_RCVMAXSIZE, &unlimited,
	    sizeof unlimited);
	nn_setsockopt(l->sub, NN_SOL_SOCKET, NN_RECONNECT_IVL, &ivl,
	    sizeof ivl);
	if ((rc = link_poll_start(l, l->req, &l->req_poll, err, errlen)) != 0)
		return rc;
	return link_poll_start(l, l->sub, &l->sub_poll, err, errlen);
}

int
link_open(uv_loop_t *loop, const char *run_dir, const struct link_cbs *cbs,
    struct link **out, char *err, size_t errlen)
{
	struct link	*l;
	int		 rc;

	if ((l = calloc(1, sizeof *l)) == NULL)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	*out = l;
	l->loop = loop;
	l->cbs = *cbs;
	l->req = l->sub = -1;
	l->tail = &l->head;
	uv_timer_init(loop, &l->timeout);
	uv_timer_init(loop, &l->beat);
	l->timeout.data = l->beat.data = l;
	if ((rc = link_sockets(l, run_dir, err, errlen)) != 0)
		return rc;
	uv_timer_start(&l->beat, link_beat_cb, 0, LINK_BEAT_MS);
	return 0;
}

int
link_up(const struct link *l)
{
	return l->up;
}

void
link_close(struct link *l)
{
	if (l == NULL || l->closing)
		return;
	l->closing = 1;
	uv_close((uv_handle_t *)&l->timeout, NULL);
	uv_close((uv_handle_t *)&l->beat, NULL);
	if (l->req_poll.data != NULL)
		uv_close((uv_handle_t *)&l->req_poll, NULL);
	if (l->sub_poll.data != NULL)
		uv_close((uv_handle_t *)&l->sub_poll, NULL);
}

void
link_free(struct link *l)
{
	struct link_req	*r, *next;

	if (l == NULL)
		return;
	if (l->inflight != NULL) {
		l->inflight->next = l->head;
		l->head = l->inflight;
	}
	for (r = l->head; r != NULL; r = next) {
		next = r->next;		/* every callback is called once */
		link_answer(r, NULL, NULL, 0, "the link closed");
		json_decref(r->req);
		free(r);
	}
	if (l->req >= 0)
		nn_close(l->req);
	if (l->sub >= 0)
		nn_close(l->sub);
	free(l);
}

void
link_set_identity(struct link *l, const struct sign_id *id)
{
	l->id = id;
}
