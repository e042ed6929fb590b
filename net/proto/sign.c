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
#define SIGN_MAGIC_LEN	(sizeof SIGN_MAGIC - 1)
#define SIGN_NAME_AT	(SIGN_MAGIC_LEN + SIGN_B64 - 1 + 1)
				/* magic, base64 (no NUL), a blank */

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
	size_t		 mlen, nlen = strlen(name), head;
	char		*p;

	*out = NULL;
	if (nlen == 0 || strchr(name, '\n') != NULL)
		return GL_EINVAL;
	head = SIGN_NAME_AT + nlen + 1;
	if ((m = sign_message(name, nlen, json, len, &mlen)) == NULL ||
	    (p = malloc(head + len + 1)) == NULL) {
		free(m);
		return GL_ENOMEM;
	}
	crypto_sign_detached(sig, NULL, m, mlen, kp->sk);
	free(m);
	memcpy(p, SIGN_MAGIC, SIGN_MAGIC_LEN);
	sodium_bin2base64(p + SIGN_MAGIC_LEN, SIGN_B64, sig, SIGN_BYTES,
	    sodium_base64_VARIANT_ORIGINAL);
	p[SIGN_NAME_AT - 1] = ' ';
	memcpy(p + SIGN_NAME_AT, name, nlen);
	p[head - 1] = '\n';
	memcpy(p + head, json, len);
	p[head + len] = '\0';
	*out = p;
	*outlen = head + len;
	return 0;
}

int
sign_split(const char *msg, size_t len, struct sign_parts *p)
{
	const char	*nl, *end;
	size_t		 got = 0;

	if (len < SIGN_MAGIC_LEN || memcmp(msg, SIGN_MAGIC,
	    SIGN_MAGIC_LEN) != 0)
		return 0;
	if (len <= SIGN_NAME_AT || msg[SIGN_NAME_AT - 1] != ' ' ||
	    sodium_base642bin(p->sig, SIGN_BYTES, msg + SIGN_MAGIC_LEN,
	    SIGN_B64 - 1, NULL, &got, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != SIGN_BYTES ||
	    end != msg + SIGN_NAME_AT - 1 ||
	    (nl = memchr(msg + SIGN_NAME_AT, '\n', len - SIGN_NAME_AT)) ==
	    NULL || nl == msg + SIGN_NAME_AT)
		return GL_EPARSE;
	p->name = msg + SIGN_NAME_AT;
	p->namelen = (size_t)(nl - p->name);
	p->json = nl + 1;
	p->jsonlen = len - (size_t)(p->json - msg);
	return 1;
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
