/*
 * link.h: a console's connection to its server, inside the console's loop.
 *
 * Two sockets: REQ to control.sock for requests (one in flight at a time,
 * the rest queued, each with a timeout) and SUB to events.sock for the
 * stream of changes. Both join the caller's libuv loop through their
 * NN_RCVFD descriptors. nanomsg reconnects by itself and never says whether
 * a peer is there, so the link keeps a heartbeat: a `status` request each
 * second when idle; a reply that does not come marks the link down, the
 * next one that does marks it up again. The caller catches up by seq.
 */
#ifndef GL_LINK_H
#define GL_LINK_H

#include <stddef.h>

#include <jansson.h>
#include <uv.h>

struct link;

/* The answer to one request: reply is NULL when it timed out, could not be
 * read or the link closed first (err says why). The reply is borrowed.
 * Called exactly once for every request, at the latest by link_free, so
 * arg may be memory the callback frees. */
typedef void (*link_reply_fn)(void *arg, json_t *reply, const char *err);

struct link_cbs {
	/* A message from events.sock (borrowed). */
	void	(*event)(void *arg, json_t *msg);
	/* The link went up (1) or down (0); also called with up = 1 and the
	 * status reply on every heartbeat. */
	void	(*state)(void *arg, int up, json_t *status);
	void	*arg;
};

/* Connect to the server of run_dir (it need not be running yet). 0 or a
 * GL_E* code. Close with link_close, then run the loop to let its handles
 * close before link_free. */
int	link_open(uv_loop_t *loop, const char *run_dir,
	    const struct link_cbs *cbs, struct link **out, char *err,
	    size_t errlen);
void	link_close(struct link *l);
void	link_free(struct link *l);

/* Queue req (the reference is stolen); cb(arg, ...) gets its answer. 0, or
 * GL_ENOMEM after cb was called with the error. */
int	link_request(struct link *l, json_t *req, link_reply_fn cb,
	    void *arg);

/* The answer as the bytes that came (text NULL when none did: err says
 * why), not parsed: for replies too big to build a tree of (snapshot
 * pages), which the caller reads with core's jscan. The bytes are borrowed
 * for the call. Called exactly once, as link_reply_fn is. */
typedef void (*link_raw_fn)(void *arg, const char *text, size_t len,
    const char *err);
/* As link_request, with the reply left unparsed. */
int	link_request_raw(struct link *l, json_t *req, link_raw_fn cb,
	    void *arg);

/* 1 while the server answers. */
int	link_up(const struct link *l);

/* Sign every request from now on as id (borrowed: it must outlive l);
 * NULL sends them unsigned. */
struct sign_id;
void	link_set_identity(struct link *l, const struct sign_id *id);

#endif
