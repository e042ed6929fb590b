/*
 * key.c: key pairs and key files (see key.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "error.h"
#include "key.h"

#define KEY_LINE	512

int
key_init(char *err, size_t errlen)
{
	if (sodium_init() < 0)
		return gl_err(err, errlen, GL_EIO, "libsodium cannot start");
	return 0;
}

int
key_generate(struct key_pair *kp, char *err, size_t errlen)
{
	int	rc;

	if ((rc = key_init(err, errlen)) != 0)
		return rc;
	if (crypto_sign_keypair(kp->pk, kp->sk) != 0)
		return gl_err(err, errlen, GL_EIO, "cannot make a key pair");
	return 0;
}

/* base64 of n bytes at p into out (size sodium_base64_ENCODED_LEN). */
static void
key_b64(const uint8_t *p, size_t n, char *out, size_t outlen)
{
	sodium_bin2base64(out, outlen, p, n, sodium_base64_VARIANT_ORIGINAL);
}

/* Exactly n bytes of base64 in s into p; 0 or -1. */
static int
key_unb64(const char *s, uint8_t *p, size_t n)
{
	size_t	 got = 0;
	const char *end;

	if (sodium_base642bin(p, n, s, strlen(s), " \t", &got, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != n || *end != '\0')
		return -1;
	return 0;
}

void
key_public_b64(const uint8_t pk[KEY_PUBLIC_BYTES], char *out)
{
	key_b64(pk, KEY_PUBLIC_BYTES, out, KEY_PUBLIC_B64);
}

int
key_public_parse(const char *s, uint8_t pk[KEY_PUBLIC_BYTES])
{
	return key_unb64(s, pk, KEY_PUBLIC_BYTES);
}

int
key_file_write(const char *path, const char *text, unsigned mode, char *err,
    size_t errlen)
{
	size_t	len = strlen(text);
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode)) < 0)
		return gl_err(err, errlen, errno == EEXIST ? GL_EEXISTS :
		    GL_EIO, "%s: %s%s", path, strerror(errno), errno ==
		    EEXIST ? " (a key is never written over)" : "");
	if (fchmod(fd, mode) != 0 || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd) != 0) {
		int	e = errno;

		close(fd);
		unlink(path);
		return gl_err(err, errlen, GL_EIO, "%s: %s", path,
		    strerror(e));
	}
	if (close(fd) != 0)
		return gl_err(err, errlen, GL_EIO, "%s: %s", path,
		    strerror(errno));
	return 0;
}

int
key_write_secret(const char *path, const char *name,
    const struct key_pair *kp, char *err, size_t errlen)
{
	char	b64[sodium_base64_ENCODED_LEN(KEY_SECRET_BYTES,
		    sodium_base64_VARIANT_ORIGINAL)];
	char	text[KEY_LINE * 2], line[KEY_LINE] = "";
	int	rc;

	if (name != NULL && (strchr(name, '\n') != NULL ||
	    strlen(name) >= KEY_LINE - 16))
		return gl_err(err, errlen, GL_EINVAL, "%s: a name of one line "
		    "is needed", path);
	if (name != NULL)
		snprintf(line, sizeof line, "name: %s\n", name);
	key_b64(kp->sk, KEY_SECRET_BYTES, b64, sizeof b64);
	snprintf(text, sizeof text, "# gridline operator key (Ed25519): keep "
	    "it secret\n%ssecret: %s\n", line, b64);
	rc = key_file_write(path, text, 0600, err, errlen);
	sodium_memzero(text, sizeof text);
	sodium_memzero(b64, sizeof b64);
	return rc;
}

int
key_write_public(const char *path, const uint8_t pk[KEY_PUBLIC_BYTES],
    char *err, size_t errlen)
{
	char	b64[KEY_PUBLIC_B64], text[KEY_LINE];

	key_public_b64(pk, b64);
	snprintf(text, sizeof text, "# gridline operator public key "
	    "(Ed25519)\npublic: %s\n", b64);
	return key_file_write(path, text, 0644, err, errlen);
}

/*
 * Read path's "field: value" lines; the value of field into val. 0, or an
 * error naming the file and line. secret: refuse a file others may read.
 */
int
key_file_field(const char *path, const char *field, int secret, char *val,
    size_t vallen, char *err, size_t errlen)
{
	struct stat	 sb;
	FILE		*f;
	char		 line[KEY_LINE], *p, *e;
	size_t		 flen = strlen(field);
	int		 n = 0, found = 0;

	if ((f = fopen(path, "re")) == NULL)
		return gl_err(err, errlen, errno == ENOENT ? GL_ENOTFOUND :
		    GL_EIO, "%s: %s", path, strerror(errno));
	if (secret && fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077) != 0) {
		fclose(f);
		return gl_err(err, errlen, GL_EINVAL, "%s: a secret key others "
		    "may read (mode %03o) is refused: chmod 600 %s", path,
		    (unsigned)(sb.st_mode & 0777), path);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		n++;
		if ((e = strchr(line, '\n')) == NULL && !feof(f)) {
			fclose(f);
			return gl_err(err, errlen, GL_EPARSE, "%s:%d: line too "
			    "long", path, n);
		}
		line[strcspn(line, "\r\n")] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '#' || *p == '\0')
			continue;
		if (strncmp(p, field, flen) != 0 || p[flen] != ':')
			continue;
		for (p += flen + 1; *p == ' ' || *p == '\t'; p++)
			;
		snprintf(val, vallen, "%s", p);
		found = n;
		break;
	}
	sodium_memzero(line, sizeof line);
	fclose(f);
	if (!found)
		return gl_err(err, errlen, GL_EPARSE, "%s:%d: no \"%s:\" line "
		    "(is it a gridline key file?)", path, n, field);
	return found;
}

int
key_read_secret(const char *path, struct key_pair *kp, char *err,
    size_t errlen)
{
	char	val[KEY_LINE];
	int	line;

	if ((line = key_file_field(path, "secret", 1, val, sizeof val, err,
	    errlen)) < 0)
		return line;
	if (key_unb64(val, kp->sk, KEY_SECRET_BYTES) != 0) {
		sodium_memzero(val, sizeof val);
		return gl_err(err, errlen, GL_EPARSE, "%s:%d: secret: not %d "
		    "bytes of base64", path, line, KEY_SECRET_BYTES);
	}
	sodium_memzero(val, sizeof val);
	crypto_sign_ed25519_sk_to_pk(kp->pk, kp->sk);
	return 0;
}

int
key_read_name(const char *path, char *name, size_t len, char *err,
    size_t errlen)
{
	char	val[KEY_LINE];
	int	line;

	if ((line = key_file_field(path, "name", 0, val, sizeof val, err,
	    errlen)) < 0)
		return line == GL_EPARSE ? GL_ENOTFOUND : line;
	if (val[0] == '\0' || strlen(val) >= len)
		return gl_err(err, errlen, GL_EPARSE, "%s:%d: name: empty or "
		    "too long", path, line);
	snprintf(name, len, "%s", val);
	return 0;
}

int
key_read_public(const char *path, uint8_t pk[KEY_PUBLIC_BYTES], char *err,
    size_t errlen)
{
	struct key_pair	kp;
	char		val[KEY_LINE];
	int		line;

	if ((line = key_file_field(path, "public", 0, val, sizeof val, err,
	    errlen)) < 0) {
		if (key_read_secret(path, &kp, NULL, 0) != 0)
			return line;
		memcpy(pk, kp.pk, KEY_PUBLIC_BYTES);
		sodium_memzero(&kp, sizeof kp);
		return 0;
	}
	if (key_public_parse(val, pk) != 0)
		return gl_err(err, errlen, GL_EPARSE, "%s:%d: public: not %d "
		    "bytes of base64", path, line, KEY_PUBLIC_BYTES);
	return 0;
}
