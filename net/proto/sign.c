/*
 * sign.c: the signed envelope (see sign.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "envelope.h"
#include "error.h"
#include "sign.h"

/* SIGN_CONTEXT, name, newline, json: what is signed. One copy of the
 * request costs less than a streaming API's state. */
static unsigned char *
sign_message(const char *name, size_t namelen, const char *json, size_t len,
    size_t *mlen)
{
	unsigned char	*m;
	size_t		 c = sizeof SIGN_CONTEXT - 1;

	if ((m = malloc(c + namelen + 1 + len + 1)) == NULL)
		return NULL;
	memcpy(m, SIGN_CONTEXT, c);
	memcpy(m + c, name, namelen);
	m[c + namelen] = '\n';
	memcpy(m + c + namelen + 1, json, len);
	*mlen = c + namelen + 1 + len;
	return m;
}

int
sign_request(const struct key_pair *kp, const char *name, const char *json,
    size_t len, char **out, size_t *outlen)
{
	uint8_t		 sig[SIGN_BYTES];
	unsigned char	*m;
	size_t		 mlen;

	*out = NULL;
	if (name[0] == '\0' || strchr(name, '\n') != NULL)
		return GL_EINVAL;
	if ((m = sign_message(name, strlen(name), json, len, &mlen)) == NULL)
		return GL_ENOMEM;
	crypto_sign_detached(sig, NULL, m, mlen, kp->sk);
	free(m);
	return envelope_make(SIGN_MAGIC, sig, SIGN_BYTES, name, json, len, out,
	    outlen);
}

int
sign_split(const char *msg, size_t len, struct sign_parts *p)
{
	return envelope_split(SIGN_MAGIC, msg, len, p->sig, SIGN_BYTES,
	    &p->name, &p->namelen, &p->json, &p->jsonlen);
}

int
sign_verify(const uint8_t pk[KEY_PUBLIC_BYTES], const struct sign_parts *p)
{
	unsigned char	*m;
	size_t		 mlen;
	int		 rc;

	if ((m = sign_message(p->name, p->namelen, p->json, p->jsonlen,
	    &mlen)) == NULL)
		return -1;
	rc = crypto_sign_verify_detached(p->sig, m, mlen, pk) == 0 ? 0 : -1;
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

int
sign_seal(const struct sign_id *id, json_t *req, time_t now, char **out,
    size_t *outlen)
{
	char	nonce[SIGN_NONCE_HEX], *text;
	int	rc;

	*out = NULL;
	if (id == NULL) {
		if ((*out = json_dumps(req, JSON_COMPACT)) == NULL)
			return GL_ENOMEM;
		*outlen = strlen(*out);
		return 0;
	}
	sign_nonce(nonce);
	if (json_object_set_new(req, "operator", json_string(id->name)) != 0 ||
	    json_object_set_new(req, "at", json_integer((json_int_t)now)) !=
	    0 || json_object_set_new(req, "nonce", json_string(nonce)) != 0)
		return GL_ENOMEM;
	if ((text = json_dumps(req, JSON_COMPACT)) == NULL)
		return GL_ENOMEM;
	rc = sign_request(&id->kp, id->name, text, strlen(text), out, outlen);
	free(text);
	return rc;
}
