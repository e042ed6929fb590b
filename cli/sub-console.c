/*
 * sub-console.c: `gridline` with no subcommand: the dispatch console.
 *
 * Finds the server of the run directory and starts one in the background
 * when none runs (as tmux does), then hands the terminal to the console.
 * Requests are signed with the operator's key (--key, $GRIDLINE_KEY,
 * ~/.config/gridline/key: cli/ident.c) as the name the key file gives;
 * without a key, under --operator or the login name, which a server takes
 * only while its database has no operator.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "console.h"
#include "rundir.h"

static const struct option console_longopts[] = {
	{ "run-dir",	required_argument, NULL, 'r' },
	{ "operator",	required_argument, NULL, 'o' },
	{ "no-start",	no_argument,	   NULL, 'n' },
	{ "bell",	no_argument,	   NULL, 'b' },
	{ "theme",	required_argument, NULL, 't' },
	{ "key",	required_argument, NULL, 'k' },
	{ "script",	required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 }
};

/* Chinese needs a UTF-8 LC_CTYPE for wide characters and wcwidth. 1 when
 * the locale was UTF-8 already; 0 when it was not (LANG=C: the terminal
 * may not show characters outside ASCII, so the report view's bars are
 * drawn with '#'), whether or not C.UTF-8 could be set for the layout. */
static int
console_utf8(void)
{
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 1;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		fprintf(stderr, "gridline: no UTF-8 locale: Chinese text will "
		    "not be laid out right\n");
	return 0;
}

static const char *console_theme;	/* --theme, for sub_console_run */
static const char *console_keyfile;		/* --key, likewise */
static const char *console_script;		/* --script, likewise */

void
sub_console_set_script(const char *path)
{
	console_script = path;
}

int
sub_console_run(struct gridline *gl, const char *run_dir, const char *op,
    const char *key, int autostart, int bell)
{
	struct console_opts	 o = { 0 };
	struct sign_id		 id;
	char			 exe[4096], err[1024], vis[4096];
	ssize_t			 n;
	int			 have, started = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s: the console needs a terminal\n",
		    gl->progname);
		return EXIT_FAIL;
	}
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) < 0)
		n = 0;
	exe[n] = '\0';
	if (autostart && client_ensure_server(run_dir, exe, &started, err,
	    sizeof err) != 0) {
		fprintf(stderr, "%s: %s\n", gl->progname,
		    cli_vis(err, vis, sizeof vis));
		return EXIT_FAIL;
	}
	if (key == NULL)
		key = console_keyfile;
	if ((have = cli_identity(key, op, &id, err, sizeof err)) < 0) {
		fprintf(stderr, "%s: %s\n", gl->progname,
		    cli_vis(err, vis, sizeof vis));
		return EXIT_FAIL;
	}
	/* a server it started on a database without operators: its user
	 * becomes the first ones (cli_bootstrap) */
	if (started && key == NULL && getenv("GRIDLINE_KEY") == NULL) {
		switch (cli_bootstrap(gl, run_dir, NULL, have ? id.name : op !=
		    NULL ? op : cli_login(), "supervisor", &id, err,
		    sizeof err)) {
		case 1:
			have = 1;
			cli_key_dir(exe, sizeof exe);
			fprintf(stderr, _("%s: a new database: you are its "
			    "operators %s-admin (admin) and %s (supervisor); "
			    "keys in %s\n"), gl->progname, id.name, id.name,
			    exe);
			break;
		case -1:
			fprintf(stderr, "%s: %s\n", gl->progname,
			    cli_vis(err, vis, sizeof vis));
			break;
		}
	}
	o.ascii = !console_utf8();
	o.run_dir = run_dir;
	o.operator = have ? id.name : op != NULL ? op : cli_login();
	o.id = have ? &id : NULL;
	o.centre = _("Ningbo command centre");
	o.bell = bell;
	o.theme = console_theme;
	o.script = console_script;
	return console_run(&o) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
console_exec(struct gridline *gl, int argc, char **argv)
{
	const char	*rd = NULL, *op = NULL;
	char		 run_dir[4096];
	int		 c, start = 1, bell = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", console_longopts, NULL)) != -1)
		switch (c) {
		case 'r': rd = optarg; break;
		case 'o': op = optarg; break;
		case 'n': start = 0; break;
		case 'b': bell = 1; break;
		case 't': console_theme = optarg; break;
		case 'k': console_keyfile = optarg; break;
		case 's': console_script = optarg; break;
		default: return cli_usage(&sub_console);
		}
	if (optind != argc)
		return cli_usage(&sub_console);
	rundir_resolve(rd, run_dir, sizeof run_dir);
	return sub_console_run(gl, run_dir, op, NULL, start, bell);
}

const struct subcmd sub_console = {
	"console", "[--run-dir DIR] [--key FILE] [--operator NAME] "
	"[--theme NAME] [--no-start] [--bell] [--script FILE]",
	N_("the dispatch console (also: gridline with no command)"),
	console_exec
};
