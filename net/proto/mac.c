/*
 * mac.c: the feeders' envelope and key files (see mac.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "envelope.h"
#include "error.h"
#include "key.h"
#include "mac.h"

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
	uint8_t	mac[MAC_BYTES];

	*out = NULL;
	if (name[0] == '\0' || strchr(name, '\n') != NULL)
		return GL_EINVAL;
	mac_of(key, name, strlen(name), body, len, mac);
	return envelope_make(MAC_MAGIC, mac, MAC_BYTES, name, body, len, out,
	    outlen);
}

int
mac_split(const char *msg, size_t len, struct mac_parts *p)
{
	return envelope_split(MAC_MAGIC, msg, len, p->mac, MAC_BYTES,
	    &p->name, &p->namelen, &p->body, &p->bodylen);
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
