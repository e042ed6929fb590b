/*
 * ident.c: who the command line signs as, and asking the server (see
 * cli.h).
 *
 * The key: --key FILE, else $GRIDLINE_KEY, else the user's default key
 * ($XDG_CONFIG_HOME/gridline/key, or ~/.config/gridline/key). A key named
 * by --key or $GRIDLINE_KEY must be there; the default one may be
 * missing, and then requests go unsigned, which a server takes only until
 * its database has an operator. The name signed with is the key file's
 * own (name: line), else --operator, else the login name.
 *
 * The first operators (cli_bootstrap): a console that started its own
 * server on a database without operators makes its user that database's
 * first operators without a question, as initdb makes its caller the
 * superuser: an admin (NAME-admin, key admin.key beside the user's key),
 * signed by its own key, then the user as supervisor (the key, made when
 * missing), signed by the admin. Two operators, as the admin role manages
 * operators and does not dispatch. `gridline operator` signs with
 * admin.key when it is there and no other key is named.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "client.h"
#include "error.h"
#include "key.h"
#include "rundir.h"

void
cli_key_default(char *path, size_t len)
{
	const char	*xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		snprintf(path, len, "%s/gridline/key", xdg);
	else
		snprintf(path, len, "%s/.config/gridline/key",
		    home != NULL ? home : ".");
}

int
cli_identity(const char *key, const char *name, struct sign_id *id,
    char *err, size_t errlen)
{
	const char	*env = getenv("GRIDLINE_KEY");
	char		 path[4096];
	int		 rc;

	memset(id, 0, sizeof *id);
	if (key != NULL)
		snprintf(path, sizeof path, "%s", key);
	else if (env != NULL && env[0] != '\0')
		snprintf(path, sizeof path, "%s", env);
	else {
		cli_key_default(path, sizeof path);
		if (access(path, F_OK) != 0)
			return 0;
	}
	if ((rc = key_read_secret(path, &id->kp, err, errlen)) != 0)
		return -1;
	rc = key_read_name(path, id->name, sizeof id->name, err, errlen);
	if (rc == GL_ENOTFOUND)
		snprintf(id->name, sizeof id->name, "%s", name != NULL ? name :
		    cli_login());
	else if (rc != 0)
		return -1;
	return 1;
}

int
cli_ask(struct gridline *gl, const char *run_dir, int autostart,
    const struct sign_id *id, json_t *req, json_t **rep)
{
	struct client	*c = NULL;
	char		 exe[4096], err[1024], vis[4096];
	ssize_t		 n;

	*rep = NULL;
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) < 0)
		n = 0;
	exe[n] = '\0';
	if (client_open(run_dir, autostart, exe, &c, err, sizeof err) != 0 ||
	    (client_set_identity(c, id), client_request(c, req,
	    CLI_TIMEOUT_MS, rep, err, sizeof err)) != 0) {
		fprintf(stderr, "%s: %s\n", gl->progname,
		    cli_vis(err, vis, sizeof vis));
		client_close(c);
		return EXIT_FAIL;
	}
	client_close(c);
	return EXIT_OK;
}

/* A key pair in dir/file with name: read, or made when missing. */
static int
ident_key(const char *dir, const char *file, const char *name,
    struct sign_id *id, char *err, size_t errlen)
{
	char	path[4200];
	int	rc;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	memset(id, 0, sizeof *id);
	if (access(path, F_OK) == 0) {
		if ((rc = key_read_secret(path, &id->kp, err, errlen)) != 0)
			return rc;
		if (key_read_name(path, id->name, sizeof id->name, NULL,
		    0) != 0)
			snprintf(id->name, sizeof id->name, "%s", name);
		return 0;
	}
	snprintf(id->name, sizeof id->name, "%s", name);
	if ((rc = key_generate(&id->kp, err, errlen)) != 0)
		return rc;
	return key_write_secret(path, name, &id->kp, err, errlen);
}

/* operator_add of id as role, signed by by; 0, or -1 with why in err. */
static int
ident_add(struct gridline *gl, const char *run_dir, const struct sign_id *by,
    const struct sign_id *id, const char *role, char *err, size_t errlen)
{
	char	 pk[KEY_PUBLIC_B64];
	json_t	*req, *rep;
	int	 ok;

	key_public_b64(id->kp.pk, pk);
	req = json_pack("{s:s,s:s,s:s,s:s}", "op", "operator_add", "name",
	    id->name, "role", role, "pubkey", pk);
	if (cli_ask(gl, run_dir, 0, by, req, &rep) != EXIT_OK) {
		json_decref(req);
		snprintf(err, errlen, "the server did not answer");
		return -1;
	}
	json_decref(req);
	ok = json_is_true(json_object_get(rep, "ok"));
	if (!ok)
		snprintf(err, errlen, "%s", json_string_value(json_object_get(
		    json_object_get(rep, "error"), "message")) != NULL ?
		    json_string_value(json_object_get(json_object_get(rep,
		    "error"), "message")) : "refused");
	json_decref(rep);
	return ok ? 0 : -1;
}

void
cli_key_dir(char *path, size_t len)
{
	char	*slash;

	cli_key_default(path, len);
	if ((slash = strrchr(path, '/')) != NULL)
		*slash = '\0';
}

int
cli_bootstrap(struct gridline *gl, const char *run_dir, const char *dir,
    const char *name, const char *role, struct sign_id *id, char *err,
    size_t errlen)
{
	struct sign_id	 admin;
	char		 kd[4200], aname[300];
	json_t		*req, *rep;
	int		 fresh, rc;

	/* no operator yet: an unsigned status is served */
	req = json_pack("{s:s}", "op", "status");
	if (cli_ask(gl, run_dir, 0, NULL, req, &rep) != EXIT_OK) {
		json_decref(req);
		return -1;
	}
	json_decref(req);
	fresh = json_is_true(json_object_get(rep, "ok"));
	json_decref(rep);
	if (!fresh)
		return 0;		/* it has operators: nothing to do */
	if (dir == NULL)
		cli_key_dir(kd, sizeof kd);
	else
		snprintf(kd, sizeof kd, "%s", dir);
	if ((rc = rundir_mkdirs(kd)) < 0)
		return gl_err(err, errlen, GL_EIO, "%s: %s", kd,
		    strerror(-rc));
	dir = kd;
	snprintf(aname, sizeof aname, "%s-admin", name);
	if (ident_key(dir, "admin.key", aname, &admin, err, errlen) != 0 ||
	    ident_key(dir, "key", name, id, err, errlen) != 0 ||
	    ident_add(gl, run_dir, &admin, &admin, "admin", err, errlen) != 0 ||
	    ident_add(gl, run_dir, &admin, id, role, err, errlen) != 0)
		return -1;
	sodium_memzero(&admin, sizeof admin);
	return 1;
}

/* Print an error reply's code and message, as prog: ...; EXIT_FAIL. */
static int
ident_refused(struct gridline *gl, json_t *rep)
{
	json_t	*e = json_object_get(rep, "error");
	char	 msg[1024], vis[2048];

	snprintf(msg, sizeof msg, "%s: %s", json_string_value(
	    json_object_get(e, "code")) != NULL ? json_string_value(
	    json_object_get(e, "code")) : "error", json_string_value(
	    json_object_get(e, "message")) != NULL ? json_string_value(
	    json_object_get(e, "message")) : "");
	fprintf(stderr, "%s: %s\n", gl->progname, cli_vis(msg, vis,
	    sizeof vis));
	return EXIT_FAIL;
}

int
cli_admin_ask(struct gridline *gl, const char *run_dir_arg, const char *key,
    int autostart, const struct sign_id *self, json_t *req, json_t **out)
{
	struct sign_id	 id;
	char		 run_dir[4096], err[1024], admin[4200], vis[2048];
	const char	*code;
	json_t		*rep;
	int		 have, rc;

	*out = NULL;
	/* operators are the admin's: admin.key when no key is named */
	cli_key_dir(admin, sizeof admin);
	strncat(admin, "/admin.key", sizeof admin - strlen(admin) - 1);
	if ((have = cli_identity(key != NULL || getenv("GRIDLINE_KEY") !=
	    NULL || access(admin, F_OK) != 0 ? key : admin, NULL, &id, err,
	    sizeof err)) < 0) {
		fprintf(stderr, "%s: %s\n", gl->progname, cli_vis(err, vis,
		    sizeof vis));
		return EXIT_FAIL;
	}
	rundir_resolve(run_dir_arg, run_dir, sizeof run_dir);
	if ((rc = cli_ask(gl, run_dir, autostart, have ? &id : self, req,
	    &rep)) != EXIT_OK)
		return rc;
	code = json_string_value(json_object_get(json_object_get(rep,
	    "error"), "code"));
	if (!json_is_true(json_object_get(rep, "ok")) && have &&
	    self != NULL && code != NULL &&
	    strcmp(code, "unauthenticated") == 0) {
		/* the caller's key is not known there: a first admin? */
		json_decref(rep);
		if ((rc = cli_ask(gl, run_dir, 0, self, req, &rep)) != EXIT_OK)
			return rc;
	}
	if (!json_is_true(json_object_get(rep, "ok"))) {
		rc = ident_refused(gl, rep);
		json_decref(rep);
		return rc;
	}
	*out = rep;
	return EXIT_OK;
}
