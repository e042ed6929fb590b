/*
 * gridline.c: the entry point and the subcommand table.
 *
 * Like tmux.c, this is the one file that sees every layer. It sets up the
 * locale and the message catalogue, finds the subcommand (a unique prefix is
 * enough, as in tmux) and hands over. Subcommands return an exit code:
 * 0 success, 1 failure, 2 usage or unreadable input.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const struct subcmd *const subcmds[] = {
	&sub_console,
	&sub_check,
	&sub_catalog,
	&sub_route,
	&sub_demo,
	&sub_serve,
	&sub_ctl,
	&sub_operator,
	&sub_feeder,
	&sub_feed,
	&sub_audit,
	&sub_report,
	&sub_export,
	&sub_train,
};

#define NSUBCMDS (sizeof subcmds / sizeof subcmds[0])

static int
gridline_usage(FILE *fp)
{
	size_t	i;

	fprintf(fp, _("usage: gridline COMMAND [ARGS]\n\ncommands:\n"));
	for (i = 0; i < NSUBCMDS; i++) {
		fprintf(fp, "  %-8s %s\n", subcmds[i]->name,
		    _(subcmds[i]->help));
		if (subcmds[i]->args[0] != '\0')
			fprintf(fp, "           %s %s\n", subcmds[i]->name,
			    subcmds[i]->args);
	}
	return fp == stdout ? EXIT_OK : EXIT_USAGE;
}

/* The command named exactly, or by a unique prefix; NULL otherwise. */
static const struct subcmd *
gridline_find(const char *name)
{
	const struct subcmd	*found = NULL;
	size_t			 i, n = strlen(name);

	for (i = 0; i < NSUBCMDS; i++) {
		if (strcmp(subcmds[i]->name, name) == 0)
			return subcmds[i];
		if (n > 0 && strncmp(subcmds[i]->name, name, n) == 0) {
			if (found != NULL)
				return NULL;
			found = subcmds[i];
		}
	}
	return found;
}

static void
gridline_locale(void)
{
	const char	*dir = getenv("GRIDLINE_LOCALEDIR");
	struct stat	 sb;

	setlocale(LC_ALL, "");
	if (dir == NULL || dir[0] == '\0')
		dir = stat(GL_LOCALEDIR "/zh_CN/LC_MESSAGES/gridline.mo",
		    &sb) == 0 ? GL_LOCALEDIR : GL_BUILDLOCALEDIR;
	bindtextdomain("gridline", dir);
	bind_textdomain_codeset("gridline", "UTF-8");
	textdomain("gridline");
}

int
main(int argc, char **argv)
{
	struct gridline		 gl = { "gridline" };
	const struct subcmd	*cmd;

	gridline_locale();
	/* no command, or only options: the console, as tmux does; without a
	 * terminal (a script, a pipe) the usage instead */
	if (argc < 2 && !isatty(STDIN_FILENO))
		return gridline_usage(stderr);
	if (argc < 2 || (argv[1][0] == '-' && strcmp(argv[1], "-h") != 0 &&
	    strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "--version")))
		return sub_console.exec(&gl, argc, argv);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return gridline_usage(stdout);
	if (strcmp(argv[1], "--version") == 0) {
		printf("gridline %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if ((cmd = gridline_find(argv[1])) == NULL) {
		fprintf(stderr, _("gridline: unknown or ambiguous command "
		    "'%s'\n"), argv[1]);
		return gridline_usage(stderr);
	}
	return cmd->exec(&gl, argc - 1, argv + 1);
}
