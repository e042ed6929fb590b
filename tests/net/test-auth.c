/*
 * test-auth.c: the server's check of a signed control request
 * (net/server/auth.c), one row per way a request can be wrong, each
 * built by signing real bytes with real keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "error.h"
#include "key.h"
#include "sign.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define T0		1796000000	/* the server's clock in the rows */

struct fx {
	struct auth	*a;
	struct key_pair	 wang, li, mallory;
};

static int
setup(void **state)
{
	struct fx		*f = calloc(1, sizeof *f);
	struct auth_operator	 op;
	char			 err[128];

	if (f == NULL || key_generate(&f->wang, err, sizeof err) != 0 ||
	    key_generate(&f->li, err, sizeof err) != 0 ||
	    key_generate(&f->mallory, err, sizeof err) != 0 ||
	    auth_new(T0 - 3600, &f->a) != 0)
		return -1;
	memset(&op, 0, sizeof op);
	snprintf(op.name, sizeof op.name, "王调度");
	memcpy(op.pk, f->wang.pk, sizeof op.pk);
	op.role = RL_DISPATCHER;
	if (auth_put(f->a, &op) != 0)
		return -1;
	snprintf(op.name, sizeof op.name, "李离职");
	memcpy(op.pk, f->li.pk, sizeof op.pk);
	op.disabled = 1;
	if (auth_put(f->a, &op) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	auth_free(f->a);
	free(f);
	return 0;
}

/* The envelope of a status request by name at time at with nonce. */
static char *
signed_req(const struct key_pair *kp, const char *name, long long at,
    const char *nonce, size_t *len)
{
	char	json[512], *env;

	snprintf(json, sizeof json, "{\"op\":\"status\",\"operator\":\"%s\","
	    "\"at\":%lld,\"nonce\":\"%s\"}", name, at, nonce);
	assert_int_equal(sign_request(kp, name, json, strlen(json), &env,
	    len), 0);
	return env;
}

static void
test_rows(void **state)
{
	static const struct {
		const char	*what;
		int		 key;		/* 0 wang, 1 li, 2 mallory */
		const char	*name;
		long long	 at;		/* less T0 */
		const char	*nonce;
		int		 flip;		/* byte to change, -1 none */
		int		 want;
		const char	*msg;		/* in err */
	} rows[] = {
		{ "good", 0, "王调度", 0, "00000000000000000000000000000001",
		    -1, 0, "" },
		{ "replayed", 0, "王调度", 0,
		    "00000000000000000000000000000001", -1, GL_EAUTH,
		    "replay" },
		{ "another key", 2, "王调度", 0,
		    "00000000000000000000000000000002", -1, GL_EAUTH,
		    "not the operator's" },
		{ "a changed byte of the JSON", 0, "王调度", 0,
		    "00000000000000000000000000000003", 130, GL_EAUTH,
		    "not the operator's" },
		/* a flipped bit in base64 may not be base64 any more: either
		 * way unauthenticated */
		{ "a changed byte of the signature", 0, "王调度", 0,
		    "00000000000000000000000000000013", 10, GL_EAUTH, "" },
		{ "unknown operator", 2, "无名氏", 0,
		    "00000000000000000000000000000004", -1, GL_EAUTH,
		    "no such operator" },
		{ "disabled", 1, "李离职", 0,
		    "00000000000000000000000000000005", -1, GL_EAUTH,
		    "disabled" },
		{ "stale", 0, "王调度", -AUTH_SKEW - 1,
		    "00000000000000000000000000000006", -1, GL_EAUTH,
		    "within 300 s" },
		{ "ahead", 0, "王调度", AUTH_SKEW + 1,
		    "00000000000000000000000000000007", -1, GL_EAUTH,
		    "within 300 s" },
		{ "at the edge", 0, "王调度", -AUTH_SKEW,
		    "00000000000000000000000000000008", -1, 0, "" },
		{ "short nonce", 0, "王调度", 0, "abc", -1, GL_EAUTH,
		    "32 hex" },
		{ "a changed name", 0, "王调疸", 0,
		    "0000000000000000000000000000000e", -1, GL_EAUTH,
		    "no such operator" },
		{ "nonce not hex", 0, "王调度", 0,
		    "zz000000000000000000000000000009", -1, GL_EAUTH,
		    "32 hex" },
		{ "a replay of an edge one", 0, "王调度", -AUTH_SKEW,
		    "00000000000000000000000000000008", -1, GL_EAUTH,
		    "replay" },
	};
	struct fx		*f = *state;
	const struct key_pair	*keys[] = { &f->wang, &f->li, &f->mallory };
	const struct auth_operator *who;
	json_t			*req;
	char			*env, err[256];
	size_t			 len, i;
	int			 rc, bad = 0;

	for (i = 0; i < NITEMS(rows); i++) {
		env = signed_req(keys[rows[i].key], rows[i].name,
		    T0 + rows[i].at, rows[i].nonce, &len);
		if (rows[i].flip >= 0)
			env[rows[i].flip] ^= 0x01;
		err[0] = '\0';
		rc = auth_check(f->a, env, len, T0, &req, &who, err,
		    sizeof err);
		if (rc != rows[i].want || strstr(err, rows[i].msg) == NULL ||
		    (rc == 0) != (req != NULL && who != NULL &&
		    strcmp(who->name, rows[i].name) == 0)) {
			fprintf(stderr, "  %s: %d \"%s\"\n", rows[i].what, rc,
			    err);
			bad++;
		}
		json_decref(req);
		free(env);
	}
	if (bad)
		fail_msg("%d rows wrong", bad);
}

/* Bare JSON, a broken head, a signed non-object; before the start. */
static void
test_shapes(void **state)
{
	struct fx		*f = *state;
	const struct auth_operator *who;
	const char		*bare = "{\"op\":\"status\",\"operator\":"
				    "\"王调度\"}";
	const char		*other = "{\"op\":\"status\",\"operator\":"
				    "\"李离职\",\"at\":1796000000,\"nonce\":"
				    "\"0000000000000000000000000000000f\"}";
	json_t			*req;
	char			*env, err[256];
	size_t			 len;

	assert_int_equal(auth_check(f->a, bare, strlen(bare), T0, &req, &who,
	    err, sizeof err), GL_EAUTH);
	assert_non_null(strstr(err, "not signed"));
	assert_int_equal(auth_check(f->a, "GLS1 xyz\n{}", 11, T0, &req, &who,
	    err, sizeof err), GL_EAUTH);
	assert_int_equal(sign_request(&f->wang, "王调度", "[1,2]", 5, &env,
	    &len), 0);
	assert_int_equal(auth_check(f->a, env, len, T0, &req, &who, err,
	    sizeof err), GL_EPARSE);
	free(env);
	/* the JSON names another operator than the signer */
	assert_int_equal(sign_request(&f->wang, "王调度", other,
	    strlen(other), &env, &len), 0);
	assert_int_equal(auth_check(f->a, env, len, T0, &req, &who, err,
	    sizeof err), GL_EAUTH);
	assert_non_null(strstr(err, "another operator"));
	free(env);
	/* signed an hour before the server started (here T0 - 3600) */
	env = signed_req(&f->wang, "王调度", T0 - 3700,
	    "0000000000000000000000000000000a", &len);
	assert_int_equal(auth_check(f->a, env, len, T0 - 3600 + 10, &req,
	    &who, err, sizeof err), GL_EAUTH);
	free(env);
	env = signed_req(&f->wang, "王调度", T0 - 3600 - 200,
	    "0000000000000000000000000000000b", &len);
	assert_int_equal(auth_check(f->a, env, len, T0 - 3600 + 10, &req,
	    &who, err, sizeof err), GL_EAUTH);
	assert_non_null(strstr(err, "before the server started"));
	free(env);
}

/* A replaced operator takes effect at once: disabled, then enabled with a
 * new key, the old key no longer works. */
static void
test_replace(void **state)
{
	struct fx		*f = *state;
	struct auth_operator	 op = *auth_get(f->a, "王调度");
	const struct auth_operator *who;
	json_t			*req;
	char			*env, err[256];
	size_t			 len;

	memcpy(op.pk, f->mallory.pk, sizeof op.pk);
	assert_int_equal(auth_put(f->a, &op), 0);
	assert_int_equal(auth_count(f->a), 2);
	env = signed_req(&f->wang, "王调度", T0,
	    "0000000000000000000000000000000c", &len);
	assert_int_equal(auth_check(f->a, env, len, T0, &req, &who, err,
	    sizeof err), GL_EAUTH);
	free(env);
	env = signed_req(&f->mallory, "王调度", T0,
	    "0000000000000000000000000000000d", &len);
	assert_int_equal(auth_check(f->a, env, len, T0, &req, &who, err,
	    sizeof err), 0);
	json_decref(req);
	free(env);
}

/* The first admin: only an operator_add of role admin by the key it
 * registers, under its own name, and only while there is no operator. */
static void
test_bootstrap(void **state)
{
	struct fx		*f = *state;
	struct auth		*a;
	struct auth_operator	 who;
	struct key_pair		 k;
	json_t			*req;
	char			 pk[KEY_PUBLIC_B64], other[KEY_PUBLIC_B64];
	char			 json[512], *env, err[512];
	size_t			 len, i;
	int			 rc;
	const struct {
		const char	*what, *name, *op, *role;
		int		 key_is_signer;
		int		 want;
	} rows[] = {
		{ "another op", "管理员", "status", "admin", 1, GL_EAUTH },
		{ "another role", "管理员", "operator_add", "supervisor", 1,
		    GL_EAUTH },
		{ "another name", "别人", "operator_add", "admin", 1,
		    GL_EAUTH },
		{ "another key", "管理员", "operator_add", "admin", 0,
		    GL_EAUTH },
		{ "the first admin", "管理员", "operator_add", "admin", 1, 0 },
	};

	(void)state;
	assert_int_equal(key_generate(&k, err, sizeof err), 0);
	key_public_b64(k.pk, pk);
	key_public_b64(f->mallory.pk, other);
	assert_int_equal(auth_new(T0 - 10, &a), 0);
	for (i = 0; i < NITEMS(rows); i++) {
		snprintf(json, sizeof json, "{\"op\":\"%s\",\"name\":\"%s\","
		    "\"role\":\"%s\",\"pubkey\":\"%s\",\"at\":%d,"
		    "\"nonce\":\"%032zx\"}", rows[i].op, rows[i].name,
		    rows[i].role, rows[i].key_is_signer ? pk : other, T0,
		    i + 1);
		assert_int_equal(sign_request(&k, "管理员", json, strlen(json),
		    &env, &len), 0);
		rc = auth_bootstrap(a, env, len, T0, &req, &who, err,
		    sizeof err);
		free(env);
		if (rc != rows[i].want)
			fail_msg("%s: %d %s", rows[i].what, rc, err);
		if (rc == 0) {
			assert_string_equal(who.name, "管理员");
			assert_int_equal(who.role, RL_ADMIN);
			assert_memory_equal(who.pk, k.pk, KEY_PUBLIC_BYTES);
			json_decref(req);
		}
	}
	/* once there is an operator, no more */
	assert_int_equal(auth_put(a, &who), 0);
	snprintf(json, sizeof json, "{\"op\":\"operator_add\",\"name\":"
	    "\"管理员\",\"role\":\"admin\",\"pubkey\":\"%s\",\"at\":%d,"
	    "\"nonce\":\"%032x\"}", pk, T0, 99);
	assert_int_equal(sign_request(&k, "管理员", json, strlen(json), &env,
	    &len), 0);
	assert_int_equal(auth_bootstrap(a, env, len, T0, &req, &who, err,
	    sizeof err), GL_EAUTH);
	assert_non_null(strstr(err, "operators already"));
	free(env);
	auth_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bootstrap, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
