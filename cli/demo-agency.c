/*
 * demo-agency.c: the agencies' side of the live demo (see demo.h).
 *
 * Since issue 12 an agency's steps are its own: a dispatcher no longer
 * acknowledges, starts or reports done on an agency's behalf. So that the
 * demo's cases still move after dispatch, the feeder process plays every
 * agency a case is dispatched to: it registers an agency operator for it
 * (signed by the demo's admin, a key of its own kept in memory) and, a
 * few at a time and at random, takes the next step as that operator:
 * acknowledge, start, feedback, and now and then a return as not theirs,
 * which shows the dispute handling. It speaks the control protocol signed
 * like any agency console would; nothing here bypasses the server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "demo.h"
#include "key.h"

#define DEMO_STEPS	3	/* steps taken a tick, at most */
#define DEMO_TIMEOUT_MS	3000

struct demo_agency {
	char		 code[40];
	struct sign_id	 id;
};

struct demo_agencies {
	struct client		*c;
	struct sign_id		 admin;
	struct demo_agency	 v[128];
	size_t			 n;
};

static json_t *
demo_ask(struct demo_agencies *a, const struct sign_id *id, json_t *req)
{
	json_t	*rep = NULL;
	char	 err[256];

	client_set_identity(a->c, id);
	if (client_request(a->c, req, DEMO_TIMEOUT_MS, &rep, err,
	    sizeof err) != 0)
		rep = NULL;
	json_decref(req);
	return rep;
}

/* The operator who plays agency code (name its name), registered the
 * first time. */
static const struct sign_id *
demo_agency(struct demo_agencies *a, const char *code, const char *name)
{
	struct demo_agency	*g;
	char			 pk[KEY_PUBLIC_B64], err[128];
	json_t			*rep;
	size_t			 i;
	int			 ok;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].code, code) == 0)
			return &a->v[i].id;
	if (a->n == sizeof a->v / sizeof a->v[0])
		return NULL;
	g = &a->v[a->n];
	memset(g, 0, sizeof *g);
	snprintf(g->code, sizeof g->code, "%s", code);
	snprintf(g->id.name, sizeof g->id.name, "%s", name != NULL ? name :
	    code);
	if (key_generate(&g->id.kp, err, sizeof err) != 0)
		return NULL;
	key_public_b64(g->id.kp.pk, pk);
	rep = demo_ask(a, &a->admin, json_pack("{s:s,s:s,s:s,s:s,s:s}", "op",
	    "operator_add", "name", g->id.name, "role", "agency", "agency",
	    code, "pubkey", pk));
	ok = json_is_true(json_object_get(rep, "ok"));
	json_decref(rep);
	if (!ok)
		return NULL;
	return &a->v[a->n++].id;
}

struct demo_agencies *
demo_agencies_open(const char *run_dir, const char *admin_key)
{
	struct demo_agencies	*a = calloc(1, sizeof *a);
	char			 err[512];

	if (a == NULL)
		return NULL;
	if (key_read_secret(admin_key, &a->admin.kp, err, sizeof err) != 0 ||
	    key_read_name(admin_key, a->admin.name, sizeof a->admin.name,
	    err, sizeof err) != 0 ||
	    client_open(run_dir, 0, NULL, &a->c, err, sizeof err) != 0) {
		free(a);
		return NULL;
	}
	return a;
}

void
demo_agencies_close(struct demo_agencies *a)
{
	if (a == NULL)
		return;
	client_close(a->c);
	free(a);
}

/* The next step of one case, as its agency. */
static void
demo_step(struct demo_agencies *a, json_t *k)
{
	const struct sign_id	*id;
	const char		*state = json_string_value(json_object_get(k,
				    "state"));
	const char		*agency = json_string_value(json_object_get(k,
				    "agency"));
	json_t			*req;

	if (state == NULL || agency == NULL || (id = demo_agency(a, agency,
	    json_string_value(json_object_get(k, "agency_name")))) == NULL)
		return;
	req = json_pack("{s:s,s:O}", "case", json_string_value(
	    json_object_get(k, "no")), "version", json_object_get(k,
	    "version"));
	if (strcmp(state, "dispatched") == 0 && rand() % 10 == 0) {
		json_object_set_new(req, "op", json_string("return"));
		json_object_set_new(req, "reason_code",
		    json_string("not_our_duty"));
		json_object_set_new(req, "reason", json_string("经核实不属本单位"
		    "职责，请重新派遣"));
	} else if (strcmp(state, "dispatched") == 0)
		json_object_set_new(req, "op", json_string("acknowledge"));
	else if (strcmp(state, "acknowledged") == 0)
		json_object_set_new(req, "op", json_string("start"));
	else if (strcmp(state, "in_hand") == 0) {
		json_object_set_new(req, "op", json_string("feedback"));
		json_object_set_new(req, "reason", json_string("已到场处置完毕，"
		    "现场照片已上传"));
	} else {
		json_decref(req);
		return;
	}
	json_decref(demo_ask(a, id, req));
}

void
demo_agencies_tick(struct demo_agencies *a)
{
	json_t	*rep, *cases, *k;
	size_t	 i, steps = 0;

	if (a == NULL)
		return;
	rep = demo_ask(a, &a->admin, json_pack("{s:s,s:s,s:i}", "op",
	    "snapshot", "fields", "queue", "limit", 2000));
	cases = json_object_get(rep, "cases");
	json_array_foreach(cases, i, k) {
		if (steps == DEMO_STEPS)
			break;
		if (json_string_value(json_object_get(k, "agency")) == NULL ||
		    rand() % 3 != 0)
			continue;
		demo_step(a, k);
		steps++;
	}
	json_decref(rep);
}
