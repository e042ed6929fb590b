/*
 * sub-route.c: `gridline route CATEGORY GRID`: who leads, and why.
 *
 * The routing a dispatcher sees in the console, for scripts and for an
 * official checking an edit of the responsibility list: the lead agency,
 * the supporting agencies and the list row that decided. Fields, and an
 * error that may quote the arguments, are printed in their visible form
 * (core/vis.h): the names come from files other systems write.
 */
#include <stdio.h>

#include "cli.h"
#include "route.h"

static int
route_exec(struct gridline *gl, int argc, char **argv)
{
	struct refdata	*rd;
	struct route	 r;
	char		 err[512], vis[2048];
	size_t		 i;
	int		 ex;

	if (argc != 3)
		return cli_usage(&sub_route);
	if ((ex = cli_load(gl, cli_data_dir(NULL), &rd)) != EXIT_OK)
		return ex;
	if (route_case(rd, argv[1], argv[2], &r, err, sizeof err) != 0) {
		fprintf(stderr, "%s: %s\n", gl->progname,
		    cli_vis(err, vis, sizeof vis));
		refdata_free(rd);
		return EXIT_FAIL;
	}
	cli_vis_put(stdout, r.lead->code, VIS_TAB);
	putchar('\t');
	cli_vis_put(stdout, r.lead->name, VIS_TAB);
	putchar('\t');
	for (i = 0; i < r.duty->nsupport; i++) {
		if (i > 0)
			putchar(',');
		cli_vis_put(stdout, r.duty->support[i]->code, VIS_TAB);
	}
	putchar('\t');
	cli_vis_put(stdout, r.reason, VIS_TAB);
	putchar('\n');
	refdata_free(rd);
	return EXIT_OK;
}

const struct subcmd sub_route = {
	"route", "CATEGORY GRID",
	N_("show the lead agency for a category in a grid, and why"),
	route_exec
};
