/*
 * mac.h: authenticated ingest requests (issue 12).
 *
 * On a tcp:// ingest endpoint every request comes from a known feeder: an
 * envelope like the control socket's, with a MAC (libsodium's crypto_auth,
 * HMAC-SHA-512-256) under the feeder's shared key instead of a signature:
 *
 *   GLM1 <base64 of the 32-byte MAC> 12345热线\n[{"id":...},...]
 *
 * The MAC is over MAC_CONTEXT, the feeder's name, a newline and the body.
 * A MAC, not a signature: a feeder's key is made and kept by the centre
 * that registers it, and a MAC costs a microsecond a kilobyte where an
 * Ed25519 verification costs 70 us a request. On ipc the run directory's
 * permissions guard the socket; an envelope there is checked all the same.
 */
#ifndef GL_MAC_H
#define GL_MAC_H

#include <stddef.h>
#include <stdint.h>

#define MAC_MAGIC	"GLM1 "
#define MAC_CONTEXT	"gridline ingest v1\n"
#define MAC_BYTES	32
#define MAC_KEY_BYTES	32

struct mac_parts {
	const char	*name, *body;
	size_t		 namelen, bodylen;
	uint8_t		 mac[MAC_BYTES];
};

/* The envelope of body, by feeder name with key, as a new string (malloc)
 * of *outlen bytes; 0, GL_EINVAL (a name empty or with a newline),
 * GL_ENOMEM. */
int	mac_request(const uint8_t key[MAC_KEY_BYTES], const char *name,
	    const char *body, size_t len, char **out, size_t *outlen);

/* Open an envelope without checking it: 1 with p set, 0 when msg is a
 * bare body, GL_EPARSE when it starts as an envelope and is not one. */
int	mac_split(const char *msg, size_t len, struct mac_parts *p);

/* 0 when p's MAC is right under key; -1 when not. */
int	mac_verify(const uint8_t key[MAC_KEY_BYTES], const struct mac_parts *p);

/* A feeder's key file (0600, never over a file): "name: NAME" and
 * "key: BASE64"; and reading one back. Errors name the file and line. */
int	mac_key_write(const char *path, const char *name,
	    const uint8_t key[MAC_KEY_BYTES], char *err, size_t errlen);
int	mac_key_read(const char *path, char *name, size_t namelen,
	    uint8_t key[MAC_KEY_BYTES], char *err, size_t errlen);

#endif
