/*
 * ops-who.c: who may act, and the operators themselves (issue 12).
 *
 * Rights: every lifecycle action of a signed request is put to
 * core/rights.h before the lifecycle sees it: the operator's role, the
 * case's agency and township against the operator's binding, a dispatch's
 * agency against a township's command (the agencies whose home is the
 * township: its offices and the stationed units it directs). A refusal is
 * "forbidden" with the rule in params; the lifecycle's own refusal stays
 * "not_allowed", so a console never confuses "not yours" with "not now".
 *
 * Feeders: feeder_add and feeder_set (admin only) keep a feeder's key
 * (chosen by the client, a shared secret for the MAC) and state; the
 * server's feeder table follows after the commit. `feeders` (counts) is
 * answered on the loop, which keeps them (server.c).
 *
 * Operators: operator_add and operator_set (admin only) write the table
 * and, through x->changes, the server's copy once the batch has
 * committed; operators (admin only) lists them without their keys'
 * secrets (a public key is not one). The first admin of an empty
 * database comes through auth_bootstrap: its operator_add is signed by
 * the key it registers. The last enabled admin cannot be disabled or
 * made something else: nobody could manage operators any more.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "casejson.h"
#include "error.h"
#include "key.h"
#include "ops-int.h"
#include "rights.h"
#include "utf8.h"

/* The forbidden reply for rule r. */
static json_t *
who_forbidden(const struct auth_operator *who, const char *what,
    enum rights_rule r)
{
	return ops_params(ops_error("forbidden", NULL, "%s may not %s: %s",
	    who->name, what, rights_rule_message(r)), json_pack("{s:s,s:s,"
	    "s:s}", "rule", rights_rule_name(r), "role",
	    rights_role_name(who->role), "action", what));
}

json_t *
ops_rights(struct opctx *x, const struct store_case *c, enum case_action a,
    const char *agency)
{
	const struct agency	*ag;
	struct rights_who	 w;
	struct rights_case	 rc = { c->agency, c->township, c->returns };
	struct rights_target	 t = { NULL, NULL };
	enum rights_rule	 r;

	if (x->who == NULL)
		return NULL;
	w = (struct rights_who){ x->who->role, x->who->agency,
	    x->who->township };
	if (a == CA_DISPATCH && agency != NULL) {
		t.agency = agency;
		if ((ag = refdata_agency(x->rd, agency)) != NULL &&
		    ag->home != NULL)
			t.jurisdiction = ag->home->code;
	}
	r = rights_check(&w, a, &rc, a == CA_DISPATCH ? &t : NULL,
	    x->training);
	return r == RULE_NONE ? NULL : who_forbidden(x->who,
	    case_action_name(a), r);
}

/* The scope rule that hides c from who (not NULL), RULE_NONE if none. */
static enum rights_rule
who_sees(const struct auth_operator *who, const struct store_case *c)
{
	struct rights_who	w = { who->role, who->agency, who->township };
	struct rights_case	rc = { c->agency, c->township, c->returns };

	return rights_sees(&w, &rc);
}

int
ops_sees(const struct auth_operator *who, const struct store_case *c)
{
	return who == NULL || who_sees(who, c) == RULE_NONE;
}

json_t *
ops_sees_case(struct opctx *x, const struct store_case *c)
{
	enum rights_rule	r;

	if (x->who == NULL || (r = who_sees(x->who, c)) == RULE_NONE)
		return NULL;
	return ops_params(ops_error("forbidden", "case", "%s may not read "
	    "case %s: %s", x->who->name, c->no, rights_rule_message(r)),
	    json_pack("{s:s,s:s,s:s}", "rule", rights_rule_name(r), "role",
	    rights_role_name(x->who->role), "action", "case"));
}

/* NULL when x's operator may manage operators. */
static json_t *
who_admin(struct opctx *x, const char *what)
{
	struct rights_who	w = { RL_VIEWER, NULL, NULL };
	enum rights_rule	r;

	if (x->who == NULL)
		return ops_error("unauthenticated", NULL, "operators are "
		    "managed by a signed admin; the first one is added signed "
		    "by its own key (gridline operator add NAME --role admin)");
	w.role = x->who->role;
	r = rights_check_thing(&w, RT_OPERATORS);
	return r == RULE_NONE ? NULL : who_forbidden(x->who, what, r);
}

static json_t *
who_json(const struct store_operator *op)
{
	char	pk[KEY_PUBLIC_B64];

	key_public_b64(op->pubkey, pk);
	return json_pack("{s:s,s:s,s:s?,s:s?,s:b,s:s,s:o,s:s?,s:o,s:s?}",
	    "name", op->name, "role", op->role, "agency", op->agency,
	    "township", op->township, "disabled", op->disabled, "pubkey", pk,
	    "created_at", casejson_time(op->created_at), "created_by",
	    op->created_by, "updated_at", casejson_time(op->updated_at),
	    "updated_by", op->updated_by);
}

static int
who_collect(void *arg, const struct store_operator *op)
{
	json_array_append_new(arg, who_json(op));
	return 0;
}

json_t *
ops_operators(struct opctx *x, json_t *req)
{
	json_t	*e, *arr;
	char	 err[256];

	(void)req;
	if ((e = who_admin(x, "operators")) != NULL)
		return e;
	arr = json_array();
	if (store_operator_each(x->st, who_collect, arr, err,
	    sizeof err) != 0) {
		json_decref(arr);
		return ops_error("db", NULL, "%s", err);
	}
	return json_pack("{s:b,s:o}", "ok", 1, "operators", arr);
}

/* A name: 1..64 characters, none a control character. */
static json_t *
who_name(json_t *req, const char **name)
{
	json_t		*e;
	const char	*p;

	if ((e = req_text(req, "name", 1, OPS_NAME_CHARS, name)) != NULL)
		return e;
	for (p = *name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			break;
	if (**name == '\0' || *p != '\0')
		return ops_error("bad_value", "name", "a name is 1..%d "
		    "characters, no control characters", OPS_NAME_CHARS);
	return NULL;
}

/* Role, agency and township of req into op (op->role etc. borrowed from
 * req or from the reference data), checked against each other. */
static json_t *
who_role(struct opctx *x, json_t *req, struct store_operator *op,
    enum rights_role *role)
{
	const struct agency	*ag;
	const struct juris	*j;
	const char		*r, *agency, *township;
	json_t			*e;

	if ((e = req_str(req, "role", op->role == NULL, &r)) != NULL ||
	    (e = req_text(req, "agency", 0, 32, &agency)) != NULL ||
	    (e = req_text(req, "township", 0, 32, &township)) != NULL)
		return e;
	if (r != NULL)
		op->role = (char *)r;
	if (rights_role_parse(op->role, role) != 0)
		return ops_error("bad_value", "role", "no role '%s' (gridline "
		    "operator roles)", op->role);
	if (r != NULL || agency != NULL)
		op->agency = (char *)agency;
	if (r != NULL || township != NULL)
		op->township = (char *)township;
	if (!rights_needs_agency(*role))
		op->agency = NULL;
	if (!rights_needs_township(*role))
		op->township = NULL;
	if (rights_needs_agency(*role) && (op->agency == NULL ||
	    (ag = refdata_agency(x->rd, op->agency)) == NULL))
		return ops_error(op->agency == NULL ? "missing_field" :
		    "unknown_agency", "agency", "an agency operator is bound "
		    "to an agency of agencies.tsv");
	if (rights_needs_township(*role) && (op->township == NULL ||
	    (j = refdata_juris(x->rd, op->township)) == NULL ||
	    j->level != JL_TOWNSHIP))
		return ops_error("bad_value", "township", "a township operator "
		    "is bound to a township (a 9-digit code of "
		    "townships.tsv)");
	return NULL;
}

/* Remember a change for the server's table (after the commit). */
static int
who_changed(struct opctx *x, const struct store_operator *op,
    enum rights_role role)
{
	struct ops_changes	*c = x->changes;
	struct auth_operator	*a, *v;

	if (c == NULL)
		return -1;
	if (c->n == c->cap) {
		size_t	cap = c->cap == 0 ? 4 : c->cap * 2;

		if ((v = realloc(c->v, cap * sizeof *v)) == NULL)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	a = &c->v[c->n++];
	memset(a, 0, sizeof *a);
	snprintf(a->name, sizeof a->name, "%s", op->name);
	memcpy(a->pk, op->pubkey, sizeof a->pk);
	a->role = role;
	snprintf(a->agency, sizeof a->agency, "%s", op->agency != NULL ?
	    op->agency : "");
	snprintf(a->township, sizeof a->township, "%s", op->township != NULL ?
	    op->township : "");
	a->disabled = op->disabled;
	return 0;
}

/* The enabled admins other than name. */
static int
who_count_admins(void *arg, const struct store_operator *op)
{
	long	*n = arg;

	if (!op->disabled && strcmp(op->role, "admin") == 0)
		(*n)++;
	return 0;
}

json_t *
ops_operator_add(struct opctx *x, json_t *req)
{
	struct store_operator	 op;
	enum rights_role	 role;
	const char		*name, *pk;
	json_t			*e;
	char			 err[256];
	int			 rc;

	memset(&op, 0, sizeof op);
	if ((e = who_admin(x, "operator_add")) != NULL ||
	    (e = who_name(req, &name)) != NULL ||
	    (e = req_str(req, "pubkey", 1, &pk)) != NULL ||
	    (e = who_role(x, req, &op, &role)) != NULL)
		return e;
	if (key_public_parse(pk, op.pubkey) != 0)
		return ops_error("bad_value", "pubkey", "pubkey is an Ed25519 "
		    "public key, 32 bytes in base64");
	op.name = (char *)name;
	rc = store_operator_add(x->st, &op, x->now, strcmp(x->who->name,
	    name) == 0 ? NULL : x->who->name, err, sizeof err);
	if (rc != 0)
		return ops_error(rc == GL_EEXISTS ? "exists" : ops_code(rc),
		    "name", "%s", err);
	if (who_changed(x, &op, role) != 0)
		return ops_error("nomem", NULL, "out of memory");
	op.created_at = op.updated_at = x->now;
	e = who_json(&op);
	return json_pack("{s:b,s:o}", "ok", 1, "operator", e);
}

json_t *
ops_operator_set(struct opctx *x, json_t *req)
{
	struct store_operator	 op, now;
	enum rights_role	 role;
	const char		*name, *pk;
	json_t			*e, *rep;
	char			 err[256];
	long			 admins = 0;
	int			 rc, disabled = -1;

	if ((e = who_admin(x, "operator_set")) != NULL ||
	    (e = who_name(req, &name)) != NULL ||
	    (e = req_str(req, "pubkey", 0, &pk)) != NULL)
		return e;
	if (json_object_get(req, "disabled") != NULL &&
	    (e = req_bool(req, "disabled", &disabled)) != NULL)
		return e;
	if ((rc = store_operator_get(x->st, name, &now, err, sizeof err)) != 0)
		return ops_error(ops_code(rc), "name", "%s", err);
	op = now;
	if ((e = who_role(x, req, &op, &role)) != NULL)
		goto out;
	if (disabled >= 0)
		op.disabled = disabled;
	if (pk != NULL && key_public_parse(pk, op.pubkey) != 0) {
		e = ops_error("bad_value", "pubkey", "pubkey is an Ed25519 "
		    "public key, 32 bytes in base64");
		goto out;
	}
	if (!now.disabled && strcmp(now.role, "admin") == 0 &&
	    (op.disabled || role != RL_ADMIN)) {
		if (store_operator_each(x->st, who_count_admins, &admins, err,
		    sizeof err) != 0) {
			e = ops_error("db", NULL, "%s", err);
			goto out;
		}
		if (admins <= 1) {
			e = ops_error("forbidden", "name", "%s is the last "
			    "admin: add another before disabling or changing "
			    "this one", name);
			goto out;
		}
	}
	if ((rc = store_operator_update(x->st, &op, x->now, x->who->name,
	    err, sizeof err)) != 0) {
		e = ops_error(ops_code(rc), "name", "%s", err);
		goto out;
	}
	if (who_changed(x, &op, role) != 0) {
		e = ops_error("nomem", NULL, "out of memory");
		goto out;
	}
	op.updated_at = x->now;
	op.updated_by = (char *)x->who->name;
	rep = who_json(&op);
	e = json_pack("{s:b,s:o}", "ok", 1, "operator", rep);
out:
	store_operator_clear(&now);	/* op borrows from now and req */
	return e;
}

/* --- feeders ---------------------------------------------------------------- */

/* A feeder's key from req's "key" (32 bytes of base64) into key. */
static json_t *
who_feeder_key(json_t *req, int required, unsigned char *key, int *given)
{
	const char	*b64;
	json_t		*e;
	size_t		 got = 0;

	*given = 0;
	if ((e = req_str(req, "key", required, &b64)) != NULL || b64 == NULL)
		return e;
	if (sodium_base642bin(key, STORE_FEEDER_KEY_BYTES, b64, strlen(b64),
	    NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != STORE_FEEDER_KEY_BYTES)
		return ops_error("bad_value", "key", "a feeder's key is 32 "
		    "bytes in base64");
	*given = 1;
	return NULL;
}

static int
who_feeder_changed(struct opctx *x, const struct store_feeder *fd)
{
	struct ops_changes	*c = x->changes;
	struct ops_feeder	*v;

	if (c == NULL)
		return -1;
	if (c->nf == c->capf) {
		size_t	cap = c->capf == 0 ? 4 : c->capf * 2;

		if ((v = realloc(c->f, cap * sizeof *v)) == NULL)
			return -1;
		c->f = v;
		c->capf = cap;
	}
	v = &c->f[c->nf++];
	snprintf(v->name, sizeof v->name, "%s", fd->name);
	memcpy(v->key, fd->key, sizeof v->key);
	v->disabled = fd->disabled;
	return 0;
}

json_t *
ops_feeder_add(struct opctx *x, json_t *req)
{
	struct store_feeder	 fd;
	const char		*name;
	json_t			*e;
	char			 err[256];
	int			 given, rc;

	memset(&fd, 0, sizeof fd);
	if ((e = who_admin(x, "feeder_add")) != NULL ||
	    (e = who_name(req, &name)) != NULL ||
	    (e = who_feeder_key(req, 1, fd.key, &given)) != NULL)
		return e;
	fd.name = (char *)name;
	if ((rc = store_feeder_add(x->st, &fd, x->now, x->who->name, err,
	    sizeof err)) != 0)
		e = ops_error(rc == GL_EEXISTS ? "exists" : ops_code(rc), "name",
		    "%s", err);
	else if (who_feeder_changed(x, &fd) != 0)
		e = ops_error("nomem", NULL, "out of memory");
	else
		e = json_pack("{s:b,s:{s:s,s:b}}", "ok", 1, "feeder", "name",
		    name, "disabled", 0);
	sodium_memzero(&fd, sizeof fd);
	return e;
}

/* The feeder's row as it is (for operator_set's unchanged fields). */
struct who_find {
	const char		*name;
	struct store_feeder	 fd;
	int			 found;
};

static int
who_find_feeder(void *arg, const struct store_feeder *fd)
{
	struct who_find	*w = arg;

	if (strcmp(fd->name, w->name) != 0)
		return 0;
	memcpy(w->fd.key, fd->key, sizeof w->fd.key);
	w->fd.disabled = fd->disabled;
	w->found = 1;
	return 1;
}

json_t *
ops_feeder_set(struct opctx *x, json_t *req)
{
	struct who_find	 w;
	unsigned char	 key[STORE_FEEDER_KEY_BYTES];
	const char	*name;
	json_t		*e;
	char		 err[256];
	int		 given, disabled = -1, rc;

	memset(&w, 0, sizeof w);
	if ((e = who_admin(x, "feeder_set")) != NULL ||
	    (e = who_name(req, &name)) != NULL ||
	    (e = who_feeder_key(req, 0, key, &given)) != NULL)
		return e;
	if (json_object_get(req, "disabled") != NULL &&
	    (e = req_bool(req, "disabled", &disabled)) != NULL)
		return e;
	w.name = name;
	if ((rc = store_feeder_each(x->st, who_find_feeder, &w, err,
	    sizeof err)) != 0)
		return ops_error(ops_code(rc), NULL, "%s", err);
	if (!w.found)
		return ops_error("not_found", "name", "no feeder %s", name);
	w.fd.name = (char *)name;
	if (given)
		memcpy(w.fd.key, key, sizeof key);
	if (disabled >= 0)
		w.fd.disabled = disabled;
	if ((rc = store_feeder_update(x->st, &w.fd, x->now, x->who->name, err,
	    sizeof err)) != 0)
		e = ops_error(ops_code(rc), "name", "%s", err);
	else if (who_feeder_changed(x, &w.fd) != 0)
		e = ops_error("nomem", NULL, "out of memory");
	else
		e = json_pack("{s:b,s:{s:s,s:b}}", "ok", 1, "feeder", "name",
		    name, "disabled", w.fd.disabled);
	sodium_memzero(&w, sizeof w);
	sodium_memzero(key, sizeof key);
	return e;
}
