/*
 * auth.h: who sent a control request (issue 12).
 *
 * The server knows its operators (name, public key, role, binding,
 * disabled or not) and checks every control request on the loop thread,
 * before it is queued: the envelope's signature over the exact bytes
 * received, by the key of the operator the request names; the operator
 * enabled; the request's time within AUTH_SKEW seconds of the server's
 * clock; its nonce never seen before. Any failure is `unauthenticated`,
 * with the reason in the message; nothing else of the request is looked
 * at. Then the request runs as that operator: the event log's actor is
 * the authenticated name, never a string the client chose.
 *
 * Replays: a nonce is remembered long enough that the request it came
 * with would be stale by the time it could come again (twice AUTH_SKEW),
 * in two generations of AUTH_SKEW * 2 seconds each, the older dropped
 * whole. At most AUTH_NONCES a generation; past it requests are refused
 * `busy` until the next generation, rather than memory growing without
 * a bound. Nonces live in memory: a request signed before a restart can be
 * sent again within AUTH_SKEW of it; the server therefore refuses
 * requests dated before its own start (less two seconds: the control
 * socket is local, so client and server read one clock).
 */
#ifndef GL_AUTH_H
#define GL_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "key.h"
#include "rights.h"

#define AUTH_SKEW	300		/* seconds either way */
#define AUTH_NONCES	(1 << 20)	/* a generation's nonces, at most */
#define AUTH_NAME_MAX	64		/* characters of a name */

struct auth_operator {
	char		 name[AUTH_NAME_MAX * 4 + 1];
	uint8_t		 pk[KEY_PUBLIC_BYTES];
	enum rights_role role;
	char		 agency[33];	/* RL_AGENCY's, else "" */
	char		 township[33];	/* RL_TOWNSHIP's, else "" */
	int		 disabled;
};

struct auth;

int	auth_new(time_t started, struct auth **out);
void	auth_free(struct auth *a);

/* Add or replace an operator (by name). 0 or GL_ENOMEM. */
int	auth_put(struct auth *a, const struct auth_operator *op);
const struct auth_operator *auth_get(const struct auth *a, const char *name);
size_t	auth_count(const struct auth *a);

/*
 * Check one control message of len bytes received at now. 0: *req is the
 * parsed request (the caller's), *who its operator (the table's, valid
 * until the next auth_put). GL_EAUTH: not signed, signature or key wrong,
 * operator unknown or disabled, the JSON's "operator" another than the
 * signer, stale, replayed (why in err); GL_EPARSE: the signed bytes are
 * not a JSON object; GL_EBUSY: too many nonces. Nothing is parsed before
 * the signature is verified.
 */
int	auth_check(struct auth *a, const char *msg, size_t len, time_t now,
	    json_t **req, const struct auth_operator **who, char *err,
	    size_t errlen);

/*
 * The first operator of a database that has none: a signed operator_add of
 * role admin, whose name is its signer's and whose "pubkey" is the key that
 * signed it (proof that the sender holds it), with time and nonce as
 * auth_check's. 0 with *req and the operator to be in *who (not yet in the
 * table: the caller adds it once stored); GL_EAUTH otherwise, also when
 * there are operators already. Whoever can reach the control socket may
 * do it: the run directory is its owner's alone.
 */
int	auth_bootstrap(struct auth *a, const char *msg, size_t len, time_t now,
	    json_t **req, struct auth_operator *who, char *err, size_t errlen);

#endif
