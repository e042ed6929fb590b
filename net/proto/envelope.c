/*
 * envelope.c: writing and splitting the authenticated head (see
 * envelope.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "envelope.h"
#include "error.h"

#define ENV_B64(n)	sodium_base64_ENCODED_LEN((n), \
			    sodium_base64_VARIANT_ORIGINAL)

int
envelope_make(const char *magic, const uint8_t *tag, size_t taglen,
    const char *name, const char *body, size_t len, char **out,
    size_t *outlen)
{
	size_t	 mlen = strlen(magic), blen = ENV_B64(taglen) - 1;
	size_t	 nlen = strlen(name), at = mlen + blen + 1, head = at + nlen + 1;
	char	*p;

	*out = NULL;
	if (nlen == 0 || strchr(name, '\n') != NULL)
		return GL_EINVAL;
	if ((p = malloc(head + len + 1)) == NULL)
		return GL_ENOMEM;
	memcpy(p, magic, mlen);
	sodium_bin2base64(p + mlen, blen + 1, tag, taglen,
	    sodium_base64_VARIANT_ORIGINAL);
	p[at - 1] = ' ';
	memcpy(p + at, name, nlen);
	p[head - 1] = '\n';
	memcpy(p + head, body, len);
	p[head + len] = '\0';
	*out = p;
	*outlen = head + len;
	return 0;
}

int
envelope_split(const char *magic, const char *msg, size_t len, uint8_t *tag,
    size_t taglen, const char **name, size_t *namelen, const char **body,
    size_t *bodylen)
{
	size_t		 mlen = strlen(magic), blen = ENV_B64(taglen) - 1;
	size_t		 at = mlen + blen + 1, got = 0;
	const char	*nl, *end;

	if (len < mlen || memcmp(msg, magic, mlen) != 0)
		return 0;
	if (len <= at || msg[at - 1] != ' ' ||
	    sodium_base642bin(tag, taglen, msg + mlen, blen, NULL, &got, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != taglen ||
	    end != msg + at - 1 ||
	    (nl = memchr(msg + at, '\n', len - at)) == NULL || nl == msg + at)
		return GL_EPARSE;
	*name = msg + at;
	*namelen = (size_t)(nl - *name);
	*body = nl + 1;
	*bodylen = len - (size_t)(*body - msg);
	return 1;
}
