/*
 * job.c: receiving, answering and freeing one request (see job.h).
 *
 * Which connection a request came on: a raw REP socket hands each request
 * over with the header nanomsg's REP protocol keeps for routing the reply
 * back. It arrives as an SP_HDR control message whose data is the header's
 * length (a size_t) and then the header itself, and the header begins with
 * the 32-bit key of the pipe (the connection) it came on, written
 * big-endian by the REP protocol (xrep.c), before the requester's id. The
 * server counts the requests waiting per pipe with it (server.c); a header
 * that does not have that shape counts as pipe 0, all such together. The
 * counts are a short array searched linearly: a socket has at most a
 * thousand requests queued, from a handful of connections as a rule.
 */
#include <stdlib.h>
#include <string.h>

#include <nanomsg/nn.h>

#include "job.h"
#include "log.h"
#include "ops.h"
#include "store.h"

void
jobq_init(struct jobq *q)
{
	q->head = NULL;
	q->tail = &q->head;
	q->n = 0;
}

void
jobq_push(struct jobq *q, struct job *j)
{
	j->next = NULL;
	*q->tail = j;
	q->tail = &j->next;
	q->n++;
}

struct job *
jobq_pop(struct jobq *q)
{
	struct job	*j = q->head;

	if (j == NULL)
		return NULL;
	if ((q->head = j->next) == NULL)
		q->tail = &q->head;
	j->next = NULL;
	q->n--;
	return j;
}

void
jobq_unshift(struct jobq *q, struct job *first, struct job **last, size_t n)
{
	if (first == NULL)
		return;
	*last = q->head;
	if (q->head == NULL)
		q->tail = last;
	q->head = first;
	q->n += n;
}

size_t
jobq_requeue_deferred(struct job **head, struct job ***tail, struct jobq *q)
{
	struct job	**pp = head, *j, *first = NULL, **ft = &first;
	size_t		 n = 0;

	while ((j = *pp) != NULL) {
		if (!j->deferred) {
			pp = &j->next;
			continue;
		}
		*pp = j->next;
		j->deferred = 0;
		j->next = NULL;
		*ft = j;
		ft = &j->next;
		n++;
	}
	if (tail != NULL)
		*tail = pp;
	jobq_unshift(q, first, ft, n);
	return n;
}

/* The pipe key at the start of the REP header in the control part. */
static uint32_t
job_pipe(void **ctl)
{
	struct nn_msghdr	 h;
	struct nn_cmsghdr	*c;
	const unsigned char	*d;
	size_t			 len;

	memset(&h, 0, sizeof h);
	h.msg_control = ctl;
	h.msg_controllen = NN_MSG;
	for (c = NN_CMSG_FIRSTHDR(&h); c != NULL; c = NN_CMSG_NXTHDR(&h, c)) {
		if (c->cmsg_level != PROTO_SP || c->cmsg_type != SP_HDR ||
		    c->cmsg_len < NN_CMSG_LEN(sizeof len + 4))
			continue;
		d = NN_CMSG_DATA(c);
		memcpy(&len, d, sizeof len);
		if (len < 4)
			continue;
		d += sizeof len;
		return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
		    (uint32_t)d[2] << 8 | d[3];
	}
	return 0;
}

/* The count of pipe on k, made when missing (NULL: out of memory). */
static struct pipe_count *
sock_pipe(struct sock *k, uint32_t pipe, int make)
{
	struct pipe_count	*p;
	size_t			 i;

	for (i = 0; i < k->npipes; i++)
		if (k->pipes[i].pipe == pipe)
			return &k->pipes[i];
	if (!make)
		return NULL;
	if (k->npipes == k->cap) {
		size_t	cap = k->cap == 0 ? 16 : k->cap * 2;

		if ((p = realloc(k->pipes, cap * sizeof *p)) == NULL)
			return NULL;
		k->pipes = p;
		k->cap = cap;
	}
	p = &k->pipes[k->npipes++];
	p->pipe = pipe;
	p->n = 0;
	return p;
}

/* j is answered or dropped: it no longer counts. */
static void
job_uncount(struct job *j)
{
	struct sock		*k = j->from;
	struct pipe_count	*p;

	if (!j->counted)
		return;
	j->counted = 0;
	if ((p = sock_pipe(k, j->pipe, 0)) == NULL || --p->n > 0)
		return;
	*p = k->pipes[--k->npipes];	/* the last one takes its place */
}

unsigned
job_pipe_waiting(const struct job *j)
{
	const struct pipe_count	*p = j->counted ? sock_pipe(j->from,
				    j->pipe, 0) : NULL;

	return p != NULL ? p->n : 0;
}

void
sock_pipes_free(struct sock *k)
{
	free(k->pipes);
	k->pipes = NULL;
	k->npipes = k->cap = 0;
}

int
job_recv(struct sock *k, struct job *j)
{
	struct nn_msghdr	 hdr;
	struct nn_iovec		 iov;
	struct pipe_count	*p;
	int			 n;

	memset(&hdr, 0, sizeof hdr);
	iov.iov_base = &j->body;
	iov.iov_len = NN_MSG;
	hdr.msg_iov = &iov;
	hdr.msg_iovlen = 1;
	hdr.msg_control = &j->hdr;
	hdr.msg_controllen = NN_MSG;
	if ((n = nn_recvmsg(k->nn, &hdr, NN_DONTWAIT)) < 0)
		return -1;
	j->len = (size_t)n;
	j->pipe = job_pipe(&j->hdr);
	if (k->count && (p = sock_pipe(k, j->pipe, 1)) != NULL) {
		p->n++;
		j->counted = 1;
	}
	return 0;
}

void
job_reply(struct job *j)
{
	struct nn_msghdr	 hdr;
	struct nn_iovec		 iov;
	static char		 oom[] = "{\"ok\":false,\"error\":{\"code\":"
				    "\"nomem\",\"message\":\"out of memory\"}}";

	if (j->replied)
		return;
	j->replied = 1;
	memset(&hdr, 0, sizeof hdr);
	iov.iov_base = j->reply != NULL ? j->reply : oom;
	iov.iov_len = strlen(iov.iov_base);
	hdr.msg_iov = &iov;
	hdr.msg_iovlen = 1;
	hdr.msg_control = &j->hdr;
	hdr.msg_controllen = NN_MSG;
	if (nn_sendmsg(j->from->nn, &hdr, NN_DONTWAIT) < 0) {
		/* the requester is gone or slow: the data is stored anyway */
		log_msg(LOG_DEBUG, "reply not sent: %s",
		    nn_strerror(nn_errno()));
		nn_freemsg(j->hdr);
	}
	j->hdr = NULL;
	job_uncount(j);
}

void
job_reply_error(struct job *j, const char *code, const char *msg)
{
	json_t	*e = ops_error(code, NULL, "%s", msg);

	free(j->reply);
	j->reply = e != NULL ? json_dumps(e, JSON_COMPACT) : NULL;
	json_decref(e);
	job_reply(j);
}

void
job_free(struct job *j)
{
	size_t	i;

	if (j->kind == JOB_INGEST) {
		for (i = 0; i < j->w.n; i++)
			store_case_clear(&j->w.items[i].stored);
		wire_ingest_free(&j->w);
	}
	job_uncount(j);
	if (j->hdr != NULL)
		nn_freemsg(j->hdr);
	if (j->body != NULL)
		nn_freemsg(j->body);
	json_decref(j->req);
	free(j->reply);
	free(j);
}
