/*
 * test-sign.c: operators' keys and the signed envelope (net/proto/key.c,
 * net/proto/sign.c), with real files in a scratch directory.
 *
 * A request signed and opened again verifies; every single byte changed
 * anywhere in the envelope (the signature line or the JSON) makes it
 * fail, as does another operator's key. Key files: written 0600 and never
 * over an existing file, read back to the same key, a secret key others
 * may read refused, and every malformed file answered with its name and
 * line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "error.h"
#include "key.h"
#include "mac.h"
#include "sign.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static char	dir[64];

static int
setup(void **state)
{
	char	err[256];

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gl-sign.XXXXXX");
	if (mkdtemp(dir) == NULL || key_init(err, sizeof err) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char req[] = "{\"op\":\"dispatch\",\"case\":\"330203-20261129-"
    "00001\",\"version\":3,\"agency\":\"330203.ZF\","
    "\"at\":1796000000,\"nonce\":\"0123456789abcdef0123456789abcdef\"}";

/* Sign, split, verify; then every byte changed, one at a time. */
static void
test_envelope(void **state)
{
	struct key_pair	 kp, other;
	struct sign_parts p;
	char		*env, err[256];
	size_t		 len, i;
	int		 passed = 0;

	(void)state;
	assert_int_equal(key_generate(&kp, err, sizeof err), 0);
	assert_int_equal(key_generate(&other, err, sizeof err), 0);
	assert_int_equal(sign_request(&kp, "王调度", req, strlen(req), &env,
	    &len), 0);
	assert_int_equal(strncmp(env, SIGN_MAGIC, 5), 0);
	assert_int_equal(sign_split(env, len, &p), 1);
	assert_int_equal(p.namelen, strlen("王调度"));
	assert_memory_equal(p.name, "王调度", p.namelen);
	assert_int_equal(p.jsonlen, strlen(req));
	assert_memory_equal(p.json, req, p.jsonlen);
	assert_int_equal(sign_verify(kp.pk, &p), 0);
	assert_int_equal(sign_verify(other.pk, &p), -1);
	for (i = 0; i < len; i++) {
		env[i] ^= 0x01;
		if (sign_split(env, len, &p) == 1 && sign_verify(kp.pk,
		    &p) == 0) {
			fprintf(stderr, "  byte %zu changed, still verifies\n",
			    i);
			passed++;
		}
		env[i] ^= 0x01;
	}
	/* one byte less */
	assert_false(sign_split(env, len - 1, &p) == 1 &&
	    sign_verify(kp.pk, &p) == 0);
	free(env);
	/* no name, a name with a newline */
	assert_int_equal(sign_request(&kp, "", req, 2, &env, &len), GL_EINVAL);
	assert_int_equal(sign_request(&kp, "a\nb", req, 2, &env, &len),
	    GL_EINVAL);
	if (passed)
		fail_msg("%d changed bytes verified", passed);
}

/* Bare JSON is no envelope; a broken head is an error, not bare JSON. */
static void
test_split_shapes(void **state)
{
	static const struct {
		const char	*msg;
		int		 want;
	} rows[] = {
		{ "{\"op\":\"status\"}", 0 },
		{ "", 0 },
		{ "GLS1 ", GL_EPARSE },
		{ "GLS1 abc\n{}", GL_EPARSE },
		{ "GLS2 ", 0 },
		{ "GLS1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA== \n{}", GL_EPARSE },
		{ "GLS1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA== 王{}", GL_EPARSE },
		{ "GLS1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA== 王\n{}", 1 },
	};
	struct sign_parts p;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++)
		if (sign_split(rows[i].msg, strlen(rows[i].msg), &p) !=
		    rows[i].want)
			fail_msg("row %zu: %s", i, rows[i].msg);
}

/* Key files: round trip, modes, no overwrite, a readable secret refused. */
static void
test_key_files(void **state)
{
	struct key_pair	 kp, back;
	uint8_t		 pk[KEY_PUBLIC_BYTES];
	char		 sec[128], pub[128], err[512], name[64];
	struct stat	 sb;

	(void)state;
	snprintf(sec, sizeof sec, "%s/op.key", dir);
	snprintf(pub, sizeof pub, "%s/op.pub", dir);
	assert_int_equal(key_generate(&kp, err, sizeof err), 0);
	assert_int_equal(key_write_secret(sec, "王调度", &kp, err, sizeof err),
	    0);
	assert_int_equal(stat(sec, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(key_write_secret(sec, "王调度", &kp, err, sizeof err),
	    GL_EEXISTS);
	assert_int_equal(key_read_name(sec, name, sizeof name, err,
	    sizeof err), 0);
	assert_string_equal(name, "王调度");
	assert_int_equal(key_read_secret(sec, &back, err, sizeof err), 0);
	assert_memory_equal(back.sk, kp.sk, KEY_SECRET_BYTES);
	assert_memory_equal(back.pk, kp.pk, KEY_PUBLIC_BYTES);
	assert_int_equal(key_write_public(pub, kp.pk, err, sizeof err), 0);
	assert_int_equal(key_read_public(pub, pk, err, sizeof err), 0);
	assert_memory_equal(pk, kp.pk, KEY_PUBLIC_BYTES);
	memset(pk, 0, sizeof pk);	/* a secret file gives its public */
	assert_int_equal(key_read_public(sec, pk, err, sizeof err), 0);
	assert_memory_equal(pk, kp.pk, KEY_PUBLIC_BYTES);
	assert_int_equal(key_read_name(pub, name, sizeof name, err,
	    sizeof err), GL_ENOTFOUND);
	assert_int_equal(chmod(sec, 0640), 0);
	assert_int_equal(key_read_secret(sec, &back, err, sizeof err),
	    GL_EINVAL);
	assert_non_null(strstr(err, "chmod 600"));
}

/* Malformed files: the name and line in every message. */
static void
test_key_errors(void **state)
{
	static const struct {
		const char	*text;
		int		 secret;
		const char	*want;		/* in the message */
	} rows[] = {
		{ "# nothing\n", 1, "op.bad:1: no \"secret:\" line" },
		{ "# a\n\nsecret: AAAA\n", 1, "op.bad:3: secret: not 64" },
		{ "public: not base64 at all!!\n", 0, "op.bad:1: public: "
		    "not 32" },
		{ "secret: \n", 1, "op.bad:1: secret: not 64" },
	};
	struct key_pair	 kp;
	uint8_t		 pk[KEY_PUBLIC_BYTES];
	char		 path[128], err[512];
	FILE		*f;
	size_t		 i;
	int		 rc;

	(void)state;
	snprintf(path, sizeof path, "%s/op.bad", dir);
	for (i = 0; i < NITEMS(rows); i++) {
		unlink(path);
		assert_non_null(f = fopen(path, "w"));
		fputs(rows[i].text, f);
		fclose(f);
		chmod(path, 0600);
		err[0] = '\0';
		rc = rows[i].secret ? key_read_secret(path, &kp, err,
		    sizeof err) : key_read_public(path, pk, err, sizeof err);
		if (rc == 0 || strstr(err, rows[i].want) == NULL)
			fail_msg("row %zu: rc %d, \"%s\", want \"%s\"", i, rc,
			    err, rows[i].want);
	}
	snprintf(path, sizeof path, "%s/none.key", dir);
	assert_int_equal(key_read_secret(path, &kp, err, sizeof err),
	    GL_ENOTFOUND);
}

/* Nonces: 32 hex digits, never the same twice in a thousand. */
static void
test_nonce(void **state)
{
	char	n[1000][SIGN_NONCE_HEX];
	int	i, j;

	(void)state;
	for (i = 0; i < 1000; i++) {
		sign_nonce(n[i]);
		assert_int_equal(strlen(n[i]), 32);
		assert_int_equal(strspn(n[i], "0123456789abcdef"), 32);
		for (j = 0; j < i; j++)
			assert_string_not_equal(n[i], n[j]);
	}
}

/* A sealed request carries its operator, time and a fresh nonce, and
 * verifies; sealed twice, it differs; with no identity it is plain JSON. */
static void
test_seal(void **state)
{
	struct sign_id	 id;
	struct sign_parts p;
	json_t		*r = json_pack("{s:s}", "op", "status"), *back;
	char		*a, *b, err[128];
	size_t		 alen, blen;

	(void)state;
	memset(&id, 0, sizeof id);
	snprintf(id.name, sizeof id.name, "王调度");
	assert_int_equal(key_generate(&id.kp, err, sizeof err), 0);
	assert_int_equal(sign_seal(&id, r, 1796000000, &a, &alen), 0);
	assert_int_equal(sign_seal(&id, r, 1796000000, &b, &blen), 0);
	assert_true(alen != blen || memcmp(a, b, alen) != 0);
	assert_int_equal(sign_split(a, alen, &p), 1);
	assert_int_equal(sign_verify(id.kp.pk, &p), 0);
	back = json_loadb(p.json, p.jsonlen, 0, NULL);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(back,
	    "operator")), "王调度");
	assert_int_equal(json_integer_value(json_object_get(back, "at")),
	    1796000000);
	assert_int_equal(strlen(json_string_value(json_object_get(back,
	    "nonce"))), 32);
	json_decref(back);
	free(a);
	free(b);
	json_decref(r);
	r = json_pack("{s:s}", "op", "status");
	assert_int_equal(sign_seal(NULL, r, 0, &a, &alen), 0);
	assert_string_equal(a, "{\"op\":\"status\"}");
	free(a);
	json_decref(r);
}

/* A feeder's envelope: verifies under its key, not under another, not
 * with any byte changed; its key file round trip, 0600. */
static void
test_mac(void **state)
{
	static const char body[] = "[{\"id\":\"hl-1\",\"summary\":\"井盖\"}]";
	struct mac_parts p;
	uint8_t		 key[MAC_KEY_BYTES], other[MAC_KEY_BYTES];
	uint8_t		 back[MAC_KEY_BYTES];
	char		*env, path[128], name[64], err[256];
	size_t		 len, i;
	struct stat	 sb;
	int		 passed = 0;

	(void)state;
	randombytes_buf(key, sizeof key);
	randombytes_buf(other, sizeof other);
	assert_int_equal(mac_request(key, "12345热线", body, strlen(body),
	    &env, &len), 0);
	assert_int_equal(mac_split(env, len, &p), 1);
	assert_int_equal(p.bodylen, strlen(body));
	assert_int_equal(mac_verify(key, &p), 0);
	assert_int_equal(mac_verify(other, &p), -1);
	for (i = 0; i < len; i++) {
		env[i] ^= 0x01;
		if (mac_split(env, len, &p) == 1 && mac_verify(key, &p) == 0)
			passed++;
		env[i] ^= 0x01;
	}
	free(env);
	assert_int_equal(passed, 0);
	assert_int_equal(mac_split(body, strlen(body), &p), 0);
	snprintf(path, sizeof path, "%s/feeder.key", dir);
	assert_int_equal(mac_key_write(path, "12345热线", key, err,
	    sizeof err), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(mac_key_read(path, name, sizeof name, back, err,
	    sizeof err), 0);
	assert_string_equal(name, "12345热线");
	assert_memory_equal(back, key, sizeof key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_split_shapes),
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_key_errors),
		cmocka_unit_test(test_nonce),
		cmocka_unit_test(test_seal),
		cmocka_unit_test(test_mac),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
