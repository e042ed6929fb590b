/*
 * cli.c: helpers shared by the subcommands (see cli.h).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "gltime.h"

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
		cli_vis_put(stderr, line, 0);
		fputc('\n', stderr);
	}
	diag_free(&d);
	if (rc == 0)
		return EXIT_OK;
	fprintf(stderr, _("%s: cannot use the reference data in %s: %s\n"),
	    gl->progname, cli_vis(dir, line, sizeof line), gl_strerror(rc));
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

void
cli_vis_put(FILE *fp, const char *s, unsigned flags)
{
	char	form[VIS_FORM_MAX + 1];
	size_t	len = strlen(s), off = 0, run = 0, n, f;

	/* runs written whole: a snapshot reply is megabytes */
	while (off < len) {
		if ((f = vis_char(s + off, len - off, flags, form, &n)) != 0) {
			fwrite(s + run, 1, off - run, fp);
			fwrite(form, 1, f, fp);
			run = off + n;
		}
		off += n;
	}
	fwrite(s + run, 1, off - run, fp);
}

const char *
cli_vis(const char *s, char *buf, size_t size)
{
	vis_copy(s, strlen(s), 0, buf, size, NULL);	/* a cut is fine */
	return buf;
}

int
cli_usage(const struct subcmd *cmd)
{
	fprintf(stderr, _("usage: gridline %s %s\n"), cmd->name, cmd->args);
	return EXIT_USAGE;
}

/* "YYYY-MM-DD", strictly: four digits, a real month and day. */
int
cli_period(struct gridline *gl, const char *cmd, const char *from,
    const char *to, time_t now, time_t *f, time_t *t)
{
	if (to == NULL)
		*t = (now + GLTIME_CHINA) / 86400 * 86400 - GLTIME_CHINA +
		    86400;
	else if (gltime_date_parse(to, GLTIME_CHINA, t) != 0)
		goto bad_to;
	if (from == NULL)
		*f = *t - 7 * 86400;
	else if (gltime_date_parse(from, GLTIME_CHINA, f) != 0) {
		fprintf(stderr, _("%s %s: --from: '%s' is not a date "
		    "(YYYY-MM-DD)\n"), gl->progname, cmd, from);
		return EXIT_USAGE;
	}
	if (*f >= *t) {
		fprintf(stderr, _("%s %s: --from must come before --to\n"),
		    gl->progname, cmd);
		return EXIT_USAGE;
	}
	return EXIT_OK;
bad_to:
	fprintf(stderr, _("%s %s: --to: '%s' is not a date (YYYY-MM-DD)\n"),
	    gl->progname, cmd, to);
	return EXIT_USAGE;
}

void
cli_csv_put(FILE *fp, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}
