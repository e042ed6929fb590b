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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "error.h"
#include "key.h"

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
