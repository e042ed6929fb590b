/*
 * key.h: an operator's Ed25519 key pair and its files (libsodium).
 *
 * A secret key file is the operator's identity: whoever reads it signs as
 * the operator. It is written 0600, never over an existing file, and a
 * key file another user could read is refused when loaded, as ssh does.
 * A public key file is what `operator add --pubkey` registers.
 *
 * Both are short text files, one "field: value" a line, comments with '#':
 *
 *   # gridline operator key (Ed25519): keep it secret
 *   name: 王调度
 *   secret: <base64 of libsodium's 64-byte secret key>
 *
 *   # gridline operator public key (Ed25519)
 *   public: <base64 of the 32-byte public key>
 *
 * A secret key file holds the public key too (libsodium's secret key ends
 * with it), and the operator's name, so that a client signs as the name
 * the key was registered under without being told twice. Errors name the file and line: "key:3: public: not 32 bytes".
 */
#ifndef GL_KEY_H
#define GL_KEY_H

#include <stddef.h>
#include <stdint.h>

#define KEY_PUBLIC_BYTES	32
#define KEY_SECRET_BYTES	64
#define KEY_PUBLIC_B64		45	/* with its NUL */

struct key_pair {
	uint8_t	pk[KEY_PUBLIC_BYTES];
	uint8_t	sk[KEY_SECRET_BYTES];
};

/* libsodium's sodium_init, once; 0 or GL_EIO. */
int	key_init(char *err, size_t errlen);

/* A new random pair. */
int	key_generate(struct key_pair *kp, char *err, size_t errlen);

/* Write kp's secret, with the operator's name (NULL: none), to path (0600,
 * refused when path exists), or its public half. */
int	key_write_secret(const char *path, const char *name,
	    const struct key_pair *kp, char *err, size_t errlen);
int	key_write_public(const char *path, const uint8_t pk[KEY_PUBLIC_BYTES],
	    char *err, size_t errlen);

/* Read a secret key file (refused when group or others may read it) or a
 * public key file (a secret key file is taken too: its public half). */
int	key_read_secret(const char *path, struct key_pair *kp, char *err,
	    size_t errlen);
/* The name a secret key file was written with; GL_ENOTFOUND when none. */
int	key_read_name(const char *path, char *name, size_t len, char *err,
	    size_t errlen);
int	key_read_public(const char *path, uint8_t pk[KEY_PUBLIC_BYTES],
	    char *err, size_t errlen);

/* A public key as base64 (KEY_PUBLIC_B64 bytes with the NUL), and back;
 * -1 when s is not 32 bytes of base64. */
void	key_public_b64(const uint8_t pk[KEY_PUBLIC_BYTES], char *out);
int	key_public_parse(const char *s, uint8_t pk[KEY_PUBLIC_BYTES]);

/* The file layer the key files share (mac.c's too): write text to a new
 * file at path with mode (never over one, synced); the value of field in
 * path's "field: value" lines, its line number or a GL_E* code (secret:
 * refuse a file group or others may read). */
int	key_file_write(const char *path, const char *text, unsigned mode,
	    char *err, size_t errlen);
int	key_file_field(const char *path, const char *field, int secret,
	    char *val, size_t vallen, char *err, size_t errlen);

#endif
