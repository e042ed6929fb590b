/*
 * sign.h: signed control requests (issue 12).
 *
 * Every control request is signed by its operator over the exact bytes
 * sent. The message is an envelope, one line of signature and then the
 * request's JSON text as the client wrote it:
 *
 *   GLS1 <base64 of the 64-byte Ed25519 signature>\n{"op":"dispatch",...}
 *
 * The signature is over SIGN_CONTEXT followed by the JSON bytes (the
 * context keeps a signature made for gridline's control socket from
 * meaning anything anywhere else). The JSON names its operator and
 * carries "at" (the client's Unix time) and "nonce" (16 random bytes in
 * hex), so that the server can refuse a stale or replayed request; the
 * signature covers them with every argument and the case version. Not
 * JSON canonicalisation: the server verifies the bytes it received and
 * then parses those same bytes, so there is nothing to canonicalise.
 */
#ifndef GL_SIGN_H
#define GL_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

#define SIGN_MAGIC	"GLS1 "
#define SIGN_CONTEXT	"gridline control v1\n"
#define SIGN_BYTES	64
#define SIGN_NONCE_HEX	33	/* 32 hex digits and the NUL */

/* The envelope of json (len bytes), signed with kp, as a new string
 * (malloc) of *outlen bytes; 0 or GL_ENOMEM. */
int	sign_request(const struct key_pair *kp, const char *json, size_t len,
	    char **out, size_t *outlen);

/* Open an envelope without checking the signature: 1 with *json, *jsonlen
 * and sig set when msg is signed, 0 when it is bare JSON (no envelope),
 * GL_EPARSE when it starts as an envelope and is not a good one. */
int	sign_split(const char *msg, size_t len, const char **json,
	    size_t *jsonlen, uint8_t sig[SIGN_BYTES]);

/* 0 when sig is pk's signature of json; -1 when not. */
int	sign_verify(const uint8_t pk[KEY_PUBLIC_BYTES],
	    const uint8_t sig[SIGN_BYTES], const char *json, size_t len);

/* A fresh random nonce, as hex. */
void	sign_nonce(char out[SIGN_NONCE_HEX]);

#endif
