/*
 * fuzz-auth.c: libFuzzer target for the check of signed control requests
 * (net/server/auth.c, net/proto/sign.c).
 *
 * The first byte of an input chooses what the rest is:
 *   even: a whole message off the control socket, as a stranger sends it
 *         (envelope or not), checked against a table of one operator;
 *   odd:  the JSON body of a request, which the target signs with that
 *         operator's key (fixed seed) and then checks, so that what comes
 *         after the signature (JSON, operator, time, nonce) is explored
 *         too, which random bytes never reach.
 * Either way the first admin's path (auth_bootstrap, on an empty table)
 * is tried as well. The answer must be 0 with a JSON object and the
 * operator, or one of the documented codes with a message and nothing;
 * a message a stranger made must never pass. ASan and UBSan catch the
 * rest. The clock is fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "auth.h"
#include "error.h"
#include "sign.h"

#define FUZZ_NOW	((time_t)1795000000)

static struct auth	*table, *empty;
static struct key_pair	 kp;

static void
fuzz_init(void)
{
	struct auth_operator	op;
	unsigned char		seed[crypto_sign_SEEDBYTES];

	if (table != NULL)
		return;
	if (sodium_init() < 0)
		abort();
	memset(seed, 7, sizeof seed);
	crypto_sign_seed_keypair(kp.pk, kp.sk, seed);
	memset(&op, 0, sizeof op);
	snprintf(op.name, sizeof op.name, "fuzz");
	memcpy(op.pk, kp.pk, sizeof op.pk);
	op.role = RL_DISPATCHER;
	if (auth_new(FUZZ_NOW - 60, &table) != 0 || auth_put(table, &op) != 0)
		abort();
}

static void
fuzz_one(struct auth *a, const char *msg, size_t len, int signed_by_us)
{
	const struct auth_operator *who = NULL;
	struct auth_operator	 first;
	json_t			*req = NULL;
	char			 err[512];
	int			 rc;

	err[0] = '\0';
	rc = auth_check(a, msg, len, FUZZ_NOW, &req, &who, err, sizeof err);
	if (rc == 0) {
		if (!json_is_object(req) || who == NULL ||
		    strcmp(who->name, "fuzz") != 0 || !signed_by_us)
			abort();
	} else if ((rc != GL_EAUTH && rc != GL_EPARSE && rc != GL_EBUSY &&
	    rc != GL_ENOMEM) || req != NULL || err[0] == '\0')
		abort();
	json_decref(req);
	req = NULL;
	rc = auth_bootstrap(empty, msg, len, FUZZ_NOW, &req, &first, err,
	    sizeof err);
	if (rc == 0 && (!json_is_object(req) || first.role != RL_ADMIN))
		abort();
	if (rc != 0 && req != NULL)
		abort();
	json_decref(req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*env;
	size_t	 len;

	fuzz_init();
	if (auth_new(FUZZ_NOW - 60, &empty) != 0)
		abort();
	if (size > 0 && (data[0] & 1)) {
		if (sign_request(&kp, "fuzz", (const char *)data + 1, size - 1,
		    &env, &len) == 0) {
			fuzz_one(table, env, len, 1);
			free(env);
		}
	} else if (size > 0)
		fuzz_one(table, (const char *)data + 1, size - 1, 0);
	auth_free(empty);
	return 0;
}
