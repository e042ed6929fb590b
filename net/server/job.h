/*
 * job.h: one request as the server holds it, from its receipt to its reply.
 *
 * The loop receives requests from raw REP sockets (server.c); each becomes
 * a job, queued for the write batch (server.c) or for the read lane
 * (reader.c), and answered back on the loop through the socket it came on.
 * Shared by the two so that neither knows the other's insides.
 */
#ifndef GL_JOB_H
#define GL_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <uv.h>

#include "auth.h"
#include "wire.h"

enum job_kind { JOB_INGEST, JOB_CONTROL };

struct server;

/* Requests of one connection not yet answered. */
struct pipe_count {
	uint32_t	 pipe;
	unsigned	 n;
};

/* A socket the loop reads requests from. */
struct sock {
	struct server	*srv;
	int		 nn;		/* nanomsg socket */
	uv_poll_t	 poll;
	enum job_kind	 kind;
	char		 url[4200];	/* the endpoint: logs and rejects */
	int		 polling;
	int		 count;		/* count requests per connection */
	struct pipe_count *pipes;	/* those with requests unanswered */
	size_t		 npipes, cap;
};

struct job {
	struct job	*next;
	enum job_kind	 kind;
	struct sock	*from;		/* where it came in, where to reply */
	void		*hdr;		/* nanomsg control header (raw REP) */
	void		*body;		/* nn_allocmsg'd request */
	size_t		 len;
	time_t		 at;		/* when it came in */
	uint32_t	 pipe;		/* the connection it came on */
	uint64_t	 n;		/* its place in the order of arrival */
	int		 counted;	/* in its socket's pipe counts */
	struct wire_ingest w;		/* ingest: decoded on the loop */
	json_t		*req;		/* control: parsed on the loop; NULL
					   when too large or not JSON */
	int		 signed_by;	/* control: who is its signer */
	struct auth_operator who;	/* a copy: the table may change */
	char		*reply;		/* control (worker) or failure */
	int		 deferred;	/* control: not run, past the batch's
					   bounds; queued again */
	int		 replied;	/* its reply is sent: a later
					   job_reply does nothing (a report
					   answered from the copy, then run
					   to refresh it: reports.c) */
};

/* A FIFO of jobs. */
struct jobq {
	struct job	*head, **tail;
	size_t		 n;
};

void	jobq_init(struct jobq *q);
void	jobq_push(struct jobq *q, struct job *j);
struct job *jobq_pop(struct jobq *q);
/* Put the list first (its jobs in order) back at the head of q. */
void	jobq_unshift(struct jobq *q, struct job *first, struct job **last,
	    size_t n);

/* Take the jobs marked deferred (not run: past a batch's or a run's
 * bounds) out of the list at *head, in order and unmarked, and put them
 * back at the head of q; how many. *tail, when tail is not NULL, is set
 * to the list's last next-pointer after. */
size_t	jobq_requeue_deferred(struct job **head, struct job ***tail,
	    struct jobq *q);

/* Take one message from a raw REP socket into j (its body, header and
 * connection); 0, or -1 when none is waiting (nn_errno says why). On a
 * socket that counts, the request counts as unanswered on its connection
 * until job_reply or job_free. */
int	job_recv(struct sock *k, struct job *j);

/* The requests unanswered on the connection j came on, j included. */
unsigned job_pipe_waiting(const struct job *j);
/* Free a socket's counts. */
void	sock_pipes_free(struct sock *k);

/* Send j->reply (or an out-of-memory error when it is NULL) to whoever
 * sent j, never blocking; a requester gone is no error. */
void	job_reply(struct job *j);

/* Reply with an error built here, on the loop: {"ok":false,...}. */
void	job_reply_error(struct job *j, const char *code, const char *msg);

/* Free j and what it holds (the header only when not sent). */
void	job_free(struct job *j);

#endif
