/*
 * sign.c: the signed envelope (see sign.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "error.h"
#include "sign.h"

#define SIGN_B64	sodium_base64_ENCODED_LEN(SIGN_BYTES, \
			    sodium_base64_VARIANT_ORIGINAL)
#define SIGN_HEAD	(sizeof SIGN_MAGIC - 1 + SIGN_B64 - 1 + 1)
				/* magic, base64 (no NUL), newline */

/* SIGN_CONTEXT then json, for sign and verify: the context is short, so
 * one copy of the request costs less than a streaming API's state. */
static unsigned char *
sign_message(const char *json, size_t len, size_t *mlen)
{
	unsigned char	*m;
	size_t		 c = sizeof SIGN_CONTEXT - 1;

	if ((m = malloc(c + len + 1)) == NULL)
		return NULL;
	memcpy(m, SIGN_CONTEXT, c);
	memcpy(m + c, json, len);
	*mlen = c + len;
	return m;
}

int
sign_request(const struct key_pair *kp, const char *json, size_t len,
    char **out, size_t *outlen)
{
	uint8_t		 sig[SIGN_BYTES];
	unsigned char	*m;
	size_t		 mlen, k = sizeof SIGN_MAGIC - 1;
	char		*p;

	*out = NULL;
	if ((m = sign_message(json, len, &mlen)) == NULL ||
	    (p = malloc(SIGN_HEAD + len + 1)) == NULL) {
		free(m);
		return GL_ENOMEM;
	}
	crypto_sign_detached(sig, NULL, m, mlen, kp->sk);
	free(m);
	memcpy(p, SIGN_MAGIC, k);
	sodium_bin2base64(p + k, SIGN_B64, sig, SIGN_BYTES,
	    sodium_base64_VARIANT_ORIGINAL);
	p[SIGN_HEAD - 1] = '\n';
	memcpy(p + SIGN_HEAD, json, len);
	p[SIGN_HEAD + len] = '\0';
	*out = p;
	*outlen = SIGN_HEAD + len;
	return 0;
}

int
sign_split(const char *msg, size_t len, const char **json, size_t *jsonlen,
    uint8_t sig[SIGN_BYTES])
{
	size_t	k = sizeof SIGN_MAGIC - 1, got = 0;
	const char *end;

	if (len < k || memcmp(msg, SIGN_MAGIC, k) != 0)
		return 0;
	if (len < SIGN_HEAD || msg[SIGN_HEAD - 1] != '\n' ||
	    sodium_base642bin(sig, SIGN_BYTES, msg + k, SIGN_B64 - 1, NULL,
	    &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != SIGN_BYTES || end != msg + SIGN_HEAD - 1)
		return GL_EPARSE;
	*json = msg + SIGN_HEAD;
	*jsonlen = len - SIGN_HEAD;
	return 1;
}

int
sign_verify(const uint8_t pk[KEY_PUBLIC_BYTES], const uint8_t sig[SIGN_BYTES],
    const char *json, size_t len)
{
	unsigned char	*m;
	size_t		 mlen;
	int		 rc;

	if ((m = sign_message(json, len, &mlen)) == NULL)
		return -1;
	rc = crypto_sign_verify_detached(sig, m, mlen, pk) == 0 ? 0 : -1;
	free(m);
	return rc;
}

void
sign_nonce(char out[SIGN_NONCE_HEX])
{
	uint8_t	b[16];

	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, SIGN_NONCE_HEX, b, sizeof b);
}
