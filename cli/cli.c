/*
 * cli.c: helpers shared by the subcommands (see cli.h).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"

static int
cli_is_dir(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *
cli_data_dir(const char *arg)
{
	static char	 src[4096];
	const char	*env = getenv("GRIDLINE_DATA");
	char		 probe[4096];

	if (arg != NULL)
		return arg;
	if (env != NULL && env[0] != '\0')
		return env;
	snprintf(probe, sizeof probe, "%s/duty.tsv", GL_DATADIR);
	if (access(probe, R_OK) == 0 || !cli_is_dir(GL_SRCDATADIR))
		return GL_DATADIR;
	/* GL_SRCDATADIR may read build/../data: show the plain path */
	return realpath(GL_SRCDATADIR, src) != NULL ? src : GL_SRCDATADIR;
}

int
cli_load(struct gridline *gl, const char *dir, struct refdata **out)
{
	struct diag	d;
	char		line[2048];
	size_t		i;
	int		rc;

	diag_init(&d);
	rc = refdata_load(dir, out, &d);
	for (i = 0; i < d.n; i++) {
		diag_format(&d, i, line, sizeof line);
		fprintf(stderr, "%s\n", line);
	}
	diag_free(&d);
	if (rc == 0)
		return EXIT_OK;
	fprintf(stderr, _("%s: cannot use the reference data in %s: %s\n"),
	    gl->progname, dir, gl_strerror(rc));
	refdata_free(*out);
	*out = NULL;
	return rc == GL_EIO ? EXIT_USAGE : EXIT_FAIL;
}

const char *
cli_login(void)
{
	const char	*u = getenv("USER");
	struct passwd	*pw;

	if (u != NULL && u[0] != '\0')
		return u;
	pw = getpwuid(getuid());
	return pw != NULL ? pw->pw_name : "unknown";
}

int
cli_usage(const struct subcmd *cmd)
{
	fprintf(stderr, _("usage: gridline %s %s\n"), cmd->name, cmd->args);
	return EXIT_USAGE;
}
