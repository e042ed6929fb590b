/*
 * sign.h: signed control requests (issue 12).
 *
 * Every control request is signed by its operator over the exact bytes
 * sent. The message is an envelope, one line of signature and operator
 * and then the request's JSON text as the client wrote it:
 *
 *   GLS1 <base64 of the 64-byte Ed25519 signature> 王调度\n{"op":...}
 *
 * The signature is over SIGN_CONTEXT, the operator's name, a newline and
 * the JSON bytes (the context keeps a signature made for gridline's
 * control socket from meaning anything anywhere else). The name is in the
 * head so that the server finds the key and verifies before it parses
 * anything a stranger sent. The JSON carries "at" (the client's Unix
 * time) and "nonce" (16 random bytes in hex), so that the server can
 * refuse a stale or replayed request; the signature covers them with
 * every argument and the case version. Not JSON canonicalisation: the
 * server verifies the bytes it received and then parses those same bytes,
 * so there is nothing to canonicalise.
 */
#ifndef GL_SIGN_H
#define GL_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "key.h"

#define SIGN_MAGIC	"GLS1 "
#define SIGN_CONTEXT	"gridline control v1\n"
#define SIGN_BYTES	64
#define SIGN_NONCE_HEX	33	/* 32 hex digits and the NUL */

/* What an envelope holds (pointers into it). */
struct sign_parts {
	const char	*name, *json;
	size_t		 namelen, jsonlen;
	uint8_t		 sig[SIGN_BYTES];
};

/* The envelope of json (len bytes), signed by operator name with kp, as a
 * new string (malloc) of *outlen bytes; 0, GL_EINVAL (a name empty or
 * with a newline), GL_ENOMEM. */
int	sign_request(const struct key_pair *kp, const char *name,
	    const char *json, size_t len, char **out, size_t *outlen);

/* Open an envelope without checking the signature: 1 with p set when msg
 * is signed, 0 when it is bare JSON (no envelope), GL_EPARSE when it
 * starts as an envelope and is not a good one. */
int	sign_split(const char *msg, size_t len, struct sign_parts *p);

/* 0 when p's signature is pk's over its name and JSON; -1 when not. */
int	sign_verify(const uint8_t pk[KEY_PUBLIC_BYTES],
	    const struct sign_parts *p);

/* A fresh random nonce, as hex. */
void	sign_nonce(char out[SIGN_NONCE_HEX]);

/* Who a client signs as: an operator's name and key pair. */
struct sign_id {
	char		name[257];
	struct key_pair	kp;
};

/* Seal a request for sending: set its "operator", "at" (now) and a fresh
 * "nonce", write it compact and sign it as id (id NULL: the compact JSON
 * alone, unsigned). A new string (malloc) of *outlen bytes; 0, GL_EINVAL
 * (no name), GL_ENOMEM. Each sending is sealed anew: the server refuses a
 * nonce it has seen. */
int	sign_seal(const struct sign_id *id, json_t *req, time_t now,
	    char **out, size_t *outlen);

#endif
