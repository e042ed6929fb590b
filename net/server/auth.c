/*
 * auth.c: operators and the check of a signed request (see auth.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "error.h"
#include "sign.h"
#include "strmap.h"

#define AUTH_GEN	(AUTH_SKEW * 2)	/* seconds a nonce generation spans */
#define AUTH_START_SLACK 2		/* seconds before the start still
					   taken (the control socket is
					   local: one clock) */

/* Nonces of one generation: an insert-only open-addressed set of 16-byte
 * keys, which are random, so their first bytes are the hash. */
struct nonces {
	uint8_t		(*k)[16];
	uint8_t		*used;
	size_t		 cap, n;
	time_t		 born;
};

struct auth {
	struct auth_operator **ops;
	size_t		 nops, cap;
	struct strmap	*byname;
	struct nonces	 gen[2];	/* [0] current, [1] the one before */
	time_t		 started;
};

static void
nonces_free(struct nonces *s)
{
	free(s->k);
	free(s->used);
	memset(s, 0, sizeof *s);
}

static size_t
nonces_slot(const struct nonces *s, const uint8_t key[16], int *found)
{
	uint64_t	h;
	size_t		i;

	memcpy(&h, key, sizeof h);
	for (i = (size_t)h & (s->cap - 1); s->used[i];
	    i = (i + 1) & (s->cap - 1))
		if (memcmp(s->k[i], key, 16) == 0) {
			*found = 1;
			return i;
		}
	*found = 0;
	return i;
}

static int
nonces_has(const struct nonces *s, const uint8_t key[16])
{
	int	found = 0;

	if (s->cap > 0)
		nonces_slot(s, key, &found);
	return found;
}

/* Add key; 0, GL_ENOMEM, GL_EBUSY (the generation is full). */
static int
nonces_add(struct nonces *s, const uint8_t key[16])
{
	struct nonces	 t;
	size_t		 i, j;
	int		 found;

	if (s->n >= AUTH_NONCES)
		return GL_EBUSY;
	if (s->n * 2 >= s->cap) {		/* grow: half full at most */
		memset(&t, 0, sizeof t);
		t.cap = s->cap == 0 ? 256 : s->cap * 2;
		t.born = s->born;
		if ((t.k = malloc(t.cap * 16)) == NULL ||
		    (t.used = calloc(t.cap, 1)) == NULL) {
			nonces_free(&t);
			return GL_ENOMEM;
		}
		for (i = 0; i < s->cap; i++)
			if (s->used[i]) {
				j = nonces_slot(&t, s->k[i], &found);
				memcpy(t.k[j], s->k[i], 16);
				t.used[j] = 1;
				t.n++;
			}
		nonces_free(s);
		*s = t;
	}
	i = nonces_slot(s, key, &found);
	memcpy(s->k[i], key, 16);
	s->used[i] = 1;
	s->n++;
	return 0;
}

int
auth_new(time_t started, struct auth **out)
{
	struct auth	*a;

	*out = NULL;
	if (sodium_init() < 0 || (a = calloc(1, sizeof *a)) == NULL)
		return GL_ENOMEM;
	if ((a->byname = strmap_new()) == NULL) {
		free(a);
		return GL_ENOMEM;
	}
	a->started = started;
	a->gen[0].born = started;
	*out = a;
	return 0;
}

void
auth_free(struct auth *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nops; i++) {
		sodium_memzero(a->ops[i], sizeof *a->ops[i]);
		free(a->ops[i]);
	}
	free(a->ops);
	strmap_free(a->byname);
	nonces_free(&a->gen[0]);
	nonces_free(&a->gen[1]);
	free(a);
}

int
auth_put(struct auth *a, const struct auth_operator *op)
{
	struct auth_operator	*o, **v;

	if ((o = strmap_get(a->byname, op->name)) != NULL) {
		*o = *op;		/* the name (the key) is the same */
		return 0;
	}
	if (a->nops == a->cap) {
		size_t	cap = a->cap == 0 ? 16 : a->cap * 2;

		if ((v = realloc(a->ops, cap * sizeof *v)) == NULL)
			return GL_ENOMEM;
		a->ops = v;
		a->cap = cap;
	}
	if ((o = malloc(sizeof *o)) == NULL)
		return GL_ENOMEM;
	*o = *op;
	if (strmap_put(a->byname, o->name, o, NULL) != 0) {
		free(o);
		return GL_ENOMEM;
	}
	a->ops[a->nops++] = o;
	return 0;
}

const struct auth_operator *
auth_get(const struct auth *a, const char *name)
{
	return strmap_get(a->byname, name);
}

size_t
auth_count(const struct auth *a)
{
	return a->nops;
}

/* A new generation when the current one is AUTH_GEN old. */
static void
auth_age(struct auth *a, time_t now)
{
	if (now - a->gen[0].born < AUTH_GEN)
		return;
	nonces_free(&a->gen[1]);
	a->gen[1] = a->gen[0];
	memset(&a->gen[0], 0, sizeof a->gen[0]);
	a->gen[0].born = now;
}

/* The nonce of req as 16 bytes; -1 when it is not 32 hex digits. */
static int
auth_nonce(json_t *req, uint8_t out[16])
{
	const char	*hex = json_string_value(json_object_get(req, "nonce"));
	size_t		 got = 0;

	if (hex == NULL || strlen(hex) != 32 || sodium_hex2bin(out, 16, hex,
	    32, NULL, &got, NULL) != 0 || got != 16)
		return -1;
	return 0;
}

/* The checks after the signature: the JSON, its operator, time, nonce.
 * *reqp set on success. */
static int
auth_request(struct auth *a, const struct sign_parts *p, const char *signer,
    time_t now, json_t **reqp, char *err, size_t errlen)
{
	uint8_t		 nonce[16];
	const char	*named;
	json_t		*req, *at;
	json_int_t	 t;
	int		 rc;

	if ((req = json_loadb(p->json, p->jsonlen, JSON_REJECT_DUPLICATES,
	    NULL)) == NULL || !json_is_object(req)) {
		json_decref(req);
		return gl_err(err, errlen, GL_EPARSE, "the signed request is "
		    "not a JSON object");
	}
	named = json_string_value(json_object_get(req, "operator"));
	if (json_object_get(req, "operator") != NULL &&
	    (named == NULL || strcmp(named, signer) != 0)) {
		rc = gl_err(err, errlen, GL_EAUTH, "the request names another "
		    "operator than the one who signed it");
		goto fail;
	}
	at = json_object_get(req, "at");
	t = json_is_integer(at) ? json_integer_value(at) : 0;
	if (!json_is_integer(at) || t < now - AUTH_SKEW ||
	    t > now + AUTH_SKEW || t < a->started - AUTH_START_SLACK) {
		rc = gl_err(err, errlen, GL_EAUTH, "the request's time is "
		    "not within %d s of the server's clock%s", AUTH_SKEW,
		    json_is_integer(at) && t < a->started - AUTH_START_SLACK &&
		    t >= now - AUTH_SKEW ? " (it was signed before the server "
		    "started)" : " (is the client's clock right?)");
		goto fail;
	}
	if (auth_nonce(req, nonce) != 0) {
		rc = gl_err(err, errlen, GL_EAUTH, "the request's nonce is not "
		    "32 hex digits");
		goto fail;
	}
	auth_age(a, now);
	if (nonces_has(&a->gen[0], nonce) || nonces_has(&a->gen[1], nonce)) {
		rc = gl_err(err, errlen, GL_EAUTH, "the request was sent "
		    "before (a replay): sign a new one");
		goto fail;
	}
	if ((rc = nonces_add(&a->gen[0], nonce)) != 0) {
		rc = gl_err(err, errlen, rc, rc == GL_EBUSY ? "too many "
		    "requests in %d s: try again shortly" : "out of memory",
		    AUTH_GEN);
		goto fail;
	}
	*reqp = req;
	return 0;
fail:
	json_decref(req);
	return rc;
}

/* The signer's name out of p, as a string; -1 when it does not fit or
 * holds a NUL. */
static int
auth_signer(const struct sign_parts *p, char *name, size_t len)
{
	if (p->namelen >= len || memchr(p->name, '\0', p->namelen) != NULL)
		return -1;
	memcpy(name, p->name, p->namelen);
	name[p->namelen] = '\0';
	return 0;
}

int
auth_check(struct auth *a, const char *msg, size_t len, time_t now,
    json_t **reqp, const struct auth_operator **who, char *err, size_t errlen)
{
	const struct auth_operator *op;
	struct sign_parts p;
	char		 name[sizeof op->name];
	int		 rc;

	*reqp = NULL;
	*who = NULL;
	if ((rc = sign_split(msg, len, &p)) == 0)
		return gl_err(err, errlen, GL_EAUTH, "the request is not "
		    "signed: every control request is signed by its operator "
		    "(gridline ctl --key FILE)");
	if (rc < 0 || auth_signer(&p, name, sizeof name) != 0)
		return gl_err(err, errlen, GL_EAUTH, "the request's signature "
		    "line is malformed");
	if ((op = auth_get(a, name)) == NULL)
		return gl_err(err, errlen, GL_EAUTH, "no such operator");
	if (sign_verify(op->pk, &p) != 0)
		return gl_err(err, errlen, GL_EAUTH, "the signature is not the "
		    "operator's (a changed byte, or another key)");
	if (op->disabled)
		return gl_err(err, errlen, GL_EAUTH, "the operator is "
		    "disabled");
	/* signed by a known operator: now it may be parsed */
	if ((rc = auth_request(a, &p, op->name, now, reqp, err, errlen)) != 0)
		return rc;
	*who = op;
	return 0;
}

int
auth_bootstrap(struct auth *a, const char *msg, size_t len, time_t now,
    json_t **reqp, struct auth_operator *who, char *err, size_t errlen)
{
	struct sign_parts p;
	const char	*op, *role, *name, *pk;
	json_t		*req;
	int		 rc;

	*reqp = NULL;
	memset(who, 0, sizeof *who);
	if (a->nops > 0)
		return gl_err(err, errlen, GL_EAUTH, "there are operators "
		    "already");
	if (sign_split(msg, len, &p) != 1 ||
	    auth_signer(&p, who->name, sizeof who->name) != 0)
		return gl_err(err, errlen, GL_EAUTH, "the first operator's "
		    "request must be signed by the key it registers");
	/* the key is the one the request registers: parse to find it, then
	 * verify before anything else of it is believed */
	if ((req = json_loadb(p.json, p.jsonlen, JSON_REJECT_DUPLICATES,
	    NULL)) == NULL)
		return gl_err(err, errlen, GL_EPARSE, "the signed request is "
		    "not JSON");
	op = json_string_value(json_object_get(req, "op"));
	role = json_string_value(json_object_get(req, "role"));
	name = json_string_value(json_object_get(req, "name"));
	pk = json_string_value(json_object_get(req, "pubkey"));
	rc = op == NULL || strcmp(op, "operator_add") != 0 || role == NULL ||
	    strcmp(role, "admin") != 0 || name == NULL ||
	    strcmp(name, who->name) != 0 || pk == NULL ||
	    key_public_parse(pk, who->pk) != 0;
	json_decref(req);
	if (rc)
		return gl_err(err, errlen, GL_EAUTH, "the database has no "
		    "operators yet: the first request must add its sender as "
		    "admin (gridline operator add NAME --role admin), signed "
		    "by the key it registers");
	if (sign_verify(who->pk, &p) != 0)
		return gl_err(err, errlen, GL_EAUTH, "the signature is not by "
		    "the key the request registers");
	if ((rc = auth_request(a, &p, who->name, now, reqp, err, errlen)) != 0)
		return rc;
	who->role = RL_ADMIN;
	return 0;
}
