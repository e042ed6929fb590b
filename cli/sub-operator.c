/*
 * sub-operator.c: `gridline operator ...`, operators and their keys
 * (issue 12).
 *
 *   operator keygen FILE [--name NAME]
 *   operator add NAME --role ROLE [--agency CODE | --township CODE]
 *       (--key-out FILE | --pubkey FILE)
 *   operator list | roles
 *   operator disable NAME | enable NAME
 *   operator role NAME ROLE [--agency CODE | --township CODE]
 *
 * Every command that talks to a server takes --run-dir and signs with the
 * caller's key (--key, $GRIDLINE_KEY, ~/.config/gridline/key). A database
 * without operators takes its first admin from `operator add NAME --role
 * admin --key-out FILE` with no key of the caller's: the request is then
 * signed by the new key itself, which proves the sender holds it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "key.h"
#include "rights.h"
#include "rundir.h"

struct op_args {
	const char	*run_dir, *key, *role, *agency, *township;
	const char	*key_out, *pubkey, *name;
	int		 nostart;
};

static const struct option op_longopts[] = {
	{ "run-dir",	required_argument, NULL, 'r' },
	{ "key",	required_argument, NULL, 'k' },
	{ "role",	required_argument, NULL, 'R' },
	{ "agency",	required_argument, NULL, 'a' },
	{ "township",	required_argument, NULL, 't' },
	{ "key-out",	required_argument, NULL, 'o' },
	{ "pubkey",	required_argument, NULL, 'p' },
	{ "name",	required_argument, NULL, 'N' },
	{ "no-start",	no_argument,	   NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

static void
op_err(struct gridline *gl, const char *msg)
{
	char	vis[2048];

	fprintf(stderr, "%s operator: %s\n", gl->progname,
	    cli_vis(msg, vis, sizeof vis));
}

/* Send req signed by the caller, as cli_admin_ask does. */
static int
op_send(struct gridline *gl, const struct op_args *a, json_t *req,
    const struct sign_id *self, json_t **out)
{
	return cli_admin_ask(gl, a->run_dir, a->key, !a->nostart, self, req,
	    out);
}

static int
op_keygen(struct gridline *gl, const struct op_args *a, const char *file)
{
	struct key_pair	kp;
	char		err[1024], pk[KEY_PUBLIC_B64];

	if (key_generate(&kp, err, sizeof err) != 0 ||
	    key_write_secret(file, a->name != NULL ? a->name : cli_login(),
	    &kp, err, sizeof err) != 0) {
		op_err(gl, err);
		return EXIT_FAIL;
	}
	key_public_b64(kp.pk, pk);
	printf("public: %s\n", pk);
	return EXIT_OK;
}

static int
op_add(struct gridline *gl, const struct op_args *a, const char *name)
{
	struct sign_id	 self;
	enum rights_role role;
	char		 err[1024], pk[KEY_PUBLIC_B64];
	json_t		*req, *rep;
	int		 rc;

	if (a->role == NULL || (a->key_out == NULL) == (a->pubkey == NULL)) {
		op_err(gl, _("add needs --role, and one of --key-out FILE (a "
		    "new key) or --pubkey FILE (a key made elsewhere)"));
		return EXIT_USAGE;
	}
	if (rights_role_parse(a->role, &role) != 0) {
		snprintf(err, sizeof err, _("no role '%s' (gridline operator "
		    "roles)"), a->role);
		op_err(gl, err);
		return EXIT_USAGE;
	}
	memset(&self, 0, sizeof self);
	snprintf(self.name, sizeof self.name, "%s", name);
	if (a->pubkey != NULL)
		rc = key_read_public(a->pubkey, self.kp.pk, err, sizeof err);
	else if ((rc = key_generate(&self.kp, err, sizeof err)) == 0)
		rc = key_write_secret(a->key_out, name, &self.kp, err,
		    sizeof err);
	if (rc != 0) {
		op_err(gl, err);
		return EXIT_FAIL;
	}
	key_public_b64(self.kp.pk, pk);
	req = json_pack("{s:s,s:s,s:s,s:s}", "op", "operator_add", "name",
	    name, "role", a->role, "pubkey", pk);
	if (a->agency != NULL)
		json_object_set_new(req, "agency", json_string(a->agency));
	if (a->township != NULL)
		json_object_set_new(req, "township", json_string(a->township));
	/* a first admin signs its own registration: only with its secret */
	rc = op_send(gl, a, req, a->key_out != NULL &&
	    strcmp(a->role, "admin") == 0 ? &self : NULL, &rep);
	json_decref(req);
	if (rc != EXIT_OK && a->key_out != NULL)
		remove(a->key_out);	/* not registered: no use, and in the
					   way of the next try */
	if (rc == EXIT_OK) {
		printf("%s: %s\n", name, a->role);
		if (a->key_out != NULL)
			printf(_("key: %s (sign with it: --key %s, or "
			    "GRIDLINE_KEY=%s)\n"), a->key_out, a->key_out,
			    a->key_out);
	}
	json_decref(rep);
	return rc;
}

static int
op_list(struct gridline *gl, const struct op_args *a)
{
	json_t	*req = json_pack("{s:s}", "op", "operators"), *rep, *o;
	size_t	 i;
	int	 rc;

	rc = op_send(gl, a, req, NULL, &rep);
	json_decref(req);
	if (rc != EXIT_OK)
		return rc;
	json_array_foreach(json_object_get(rep, "operators"), i, o) {
		const char *bind = json_string_value(json_object_get(o,
		    "agency"));

		if (bind == NULL)
			bind = json_string_value(json_object_get(o,
			    "township"));
		cli_vis_put(stdout, json_string_value(json_object_get(o,
		    "name")), VIS_TAB);
		printf("\t%s\t%s\t%s\n", json_string_value(json_object_get(o,
		    "role")), bind != NULL ? bind : "-", json_is_true(
		    json_object_get(o, "disabled")) ? "disabled" : "enabled");
	}
	json_decref(rep);
	return EXIT_OK;
}

/* disable, enable, role: an operator_set. */
static int
op_set(struct gridline *gl, const struct op_args *a, const char *name,
    const char *role, int disabled)
{
	json_t	*req = json_pack("{s:s,s:s}", "op", "operator_set", "name",
		    name), *rep;
	int	 rc;

	if (disabled >= 0)
		json_object_set_new(req, "disabled", json_boolean(disabled));
	if (role != NULL)
		json_object_set_new(req, "role", json_string(role));
	if (a->agency != NULL)
		json_object_set_new(req, "agency", json_string(a->agency));
	if (a->township != NULL)
		json_object_set_new(req, "township", json_string(a->township));
	rc = op_send(gl, a, req, NULL, &rep);
	json_decref(req);
	if (rc == EXIT_OK)
		printf("%s: %s%s\n", name, json_string_value(json_object_get(
		    json_object_get(rep, "operator"), "role")), json_is_true(
		    json_object_get(json_object_get(rep, "operator"),
		    "disabled")) ? ", disabled" : "");
	json_decref(rep);
	return rc;
}

/* The roles table, from core/rights.h: what each role takes. */
static int
op_roles(void)
{
	int	r, k, first;

	for (r = 0; r < RL__COUNT; r++) {
		printf("%-11s %s\n ", rights_role_name(r), rights_role_zh(r));
		first = 1;
		for (k = 0; k < CA__COUNT; k++)
			if (rights_role_takes(r, k)) {
				printf("%s%s", first ? " " : ", ",
				    case_action_name(k));
				first = 0;
			}
		for (k = 0; k < RT__COUNT; k++)
			if (rights_role_may(r, k)) {
				printf("%s%s", first ? " " : ", ",
				    rights_thing_name(k));
				first = 0;
			}
		if (rights_needs_agency(r))
			printf(" %s", _("(its agency's cases only)"));
		if (rights_needs_township(r))
			printf(" %s", _("(its township's cases, and the "
			    "agencies it commands)"));
		printf("\n");
	}
	return EXIT_OK;
}

static int
operator_exec(struct gridline *gl, int argc, char **argv)
{
	struct op_args	 a;
	const char	*verb;
	int		 c;

	memset(&a, 0, sizeof a);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", op_longopts, NULL)) != -1)
		switch (c) {
		case 'r': a.run_dir = optarg; break;
		case 'k': a.key = optarg; break;
		case 'R': a.role = optarg; break;
		case 'a': a.agency = optarg; break;
		case 't': a.township = optarg; break;
		case 'o': a.key_out = optarg; break;
		case 'p': a.pubkey = optarg; break;
		case 'N': a.name = optarg; break;
		case 'n': a.nostart = 1; break;
		default: return cli_usage(&sub_operator);
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage(&sub_operator);
	verb = argv[0];
	if (strcmp(verb, "roles") == 0 && argc == 1)
		return op_roles();
	if (strcmp(verb, "keygen") == 0 && argc == 2)
		return op_keygen(gl, &a, argv[1]);
	if (strcmp(verb, "add") == 0 && argc == 2)
		return op_add(gl, &a, argv[1]);
	if (strcmp(verb, "list") == 0 && argc == 1)
		return op_list(gl, &a);
	if (strcmp(verb, "disable") == 0 && argc == 2)
		return op_set(gl, &a, argv[1], NULL, 1);
	if (strcmp(verb, "enable") == 0 && argc == 2)
		return op_set(gl, &a, argv[1], NULL, 0);
	if (strcmp(verb, "role") == 0 && argc == 3)
		return op_set(gl, &a, argv[1], argv[2], -1);
	return cli_usage(&sub_operator);
}

const struct subcmd sub_operator = {
	"operator", "[--run-dir DIR] [--key FILE] keygen FILE [--name NAME] | "
	"add NAME --role ROLE [--agency CODE|--township CODE] "
	"(--key-out FILE|--pubkey FILE) | list | roles | disable NAME | "
	"enable NAME | role NAME ROLE",
	N_("operators: keys, roles, who may do what"),
	operator_exec
};
