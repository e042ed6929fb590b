/*
 * mac.c: the feeders' envelope and key files (see mac.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "error.h"
#include "key.h"
#include "mac.h"

#define MAC_B64		sodium_base64_ENCODED_LEN(MAC_BYTES, \
			    sodium_base64_VARIANT_ORIGINAL)
#define MAC_MAGIC_LEN	(sizeof MAC_MAGIC - 1)
#define MAC_NAME_AT	(MAC_MAGIC_LEN + MAC_B64 - 1 + 1)

/* The MAC of context, name, newline, body: streamed, no copy. */
static void
mac_of(const uint8_t key[MAC_KEY_BYTES], const char *name, size_t namelen,
    const char *body, size_t len, uint8_t out[MAC_BYTES])
{
	crypto_auth_hmacsha512256_state	st;

	crypto_auth_hmacsha512256_init(&st, key, MAC_KEY_BYTES);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)
	    MAC_CONTEXT, sizeof MAC_CONTEXT - 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)name,
	    namelen);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)"\n", 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)body,
	    len);
	crypto_auth_hmacsha512256_final(&st, out);
}

int
mac_request(const uint8_t key[MAC_KEY_BYTES], const char *name,
    const char *body, size_t len, char **out, size_t *outlen)
{
	uint8_t	 mac[MAC_BYTES];
	size_t	 nlen = strlen(name), head;
	char	*p;

	*out = NULL;
	if (nlen == 0 || strchr(name, '\n') != NULL)
		return GL_EINVAL;
	head = MAC_NAME_AT + nlen + 1;
	if ((p = malloc(head + len + 1)) == NULL)
		return GL_ENOMEM;
	mac_of(key, name, nlen, body, len, mac);
	memcpy(p, MAC_MAGIC, MAC_MAGIC_LEN);
	sodium_bin2base64(p + MAC_MAGIC_LEN, MAC_B64, mac, MAC_BYTES,
	    sodium_base64_VARIANT_ORIGINAL);
	p[MAC_NAME_AT - 1] = ' ';
	memcpy(p + MAC_NAME_AT, name, nlen);
	p[head - 1] = '\n';
	memcpy(p + head, body, len);
	p[head + len] = '\0';
	*out = p;
	*outlen = head + len;
	return 0;
}

int
mac_split(const char *msg, size_t len, struct mac_parts *p)
{
	const char	*nl, *end;
	size_t		 got = 0;

	if (len < MAC_MAGIC_LEN || memcmp(msg, MAC_MAGIC, MAC_MAGIC_LEN) != 0)
		return 0;
	if (len <= MAC_NAME_AT || msg[MAC_NAME_AT - 1] != ' ' ||
	    sodium_base642bin(p->mac, MAC_BYTES, msg + MAC_MAGIC_LEN,
	    MAC_B64 - 1, NULL, &got, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != MAC_BYTES ||
	    end != msg + MAC_NAME_AT - 1 ||
	    (nl = memchr(msg + MAC_NAME_AT, '\n', len - MAC_NAME_AT)) ==
	    NULL || nl == msg + MAC_NAME_AT)
		return GL_EPARSE;
	p->name = msg + MAC_NAME_AT;
	p->namelen = (size_t)(nl - p->name);
	p->body = nl + 1;
	p->bodylen = len - (size_t)(p->body - msg);
	return 1;
}

int
mac_verify(const uint8_t key[MAC_KEY_BYTES], const struct mac_parts *p)
{
	uint8_t	mac[MAC_BYTES];

	mac_of(key, p->name, p->namelen, p->body, p->bodylen, mac);
	return sodium_memcmp(mac, p->mac, MAC_BYTES) == 0 ? 0 : -1;
}

int
mac_key_write(const char *path, const char *name,
    const uint8_t key[MAC_KEY_BYTES], char *err, size_t errlen)
{
	char	b64[sodium_base64_ENCODED_LEN(MAC_KEY_BYTES,
		    sodium_base64_VARIANT_ORIGINAL)], text[1024];
	int	rc;

	if (name[0] == '\0' || strchr(name, '\n') != NULL)
		return gl_err(err, errlen, GL_EINVAL, "%s: a name of one line "
		    "is needed", path);
	sodium_bin2base64(b64, sizeof b64, key, MAC_KEY_BYTES,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, sizeof text, "# gridline feeder key: keep it secret\n"
	    "name: %s\nkey: %s\n", name, b64);
	rc = key_file_write(path, text, 0600, err, errlen);
	sodium_memzero(b64, sizeof b64);
	sodium_memzero(text, sizeof text);
	return rc;
}

int
mac_key_read(const char *path, char *name, size_t namelen,
    uint8_t key[MAC_KEY_BYTES], char *err, size_t errlen)
{
	char	val[512];
	size_t	got = 0;
	int	line;

	if ((line = key_file_field(path, "key", 1, val, sizeof val, err,
	    errlen)) < 0)
		return line;
	if (sodium_base642bin(key, MAC_KEY_BYTES, val, strlen(val), " \t",
	    &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != MAC_KEY_BYTES) {
		sodium_memzero(val, sizeof val);
		return gl_err(err, errlen, GL_EPARSE, "%s:%d: key: not %d "
		    "bytes of base64", path, line, MAC_KEY_BYTES);
	}
	sodium_memzero(val, sizeof val);
	if ((line = key_file_field(path, "name", 1, name, namelen, err,
	    errlen)) < 0)
		return line;
	return 0;
}
