/*
 * sub-route.c: `gridline route CATEGORY GRID`: who leads, and why.
 *
 * The routing a dispatcher sees in the console, for scripts and for an
 * official checking an edit of the responsibility list: the lead agency,
 * the supporting agencies and the list row that decided.
 */
#include <stdio.h>

#include "cli.h"
#include "route.h"

static int
route_exec(struct gridline *gl, int argc, char **argv)
{
	struct refdata	*rd;
	struct route	 r;
	char		 err[512];
	size_t		 i;
	int		 ex;

	if (argc != 3)
		return cli_usage(&sub_route);
	if ((ex = cli_load(gl, cli_data_dir(NULL), &rd)) != EXIT_OK)
		return ex;
	if (route_case(rd, argv[1], argv[2], &r, err, sizeof err) != 0) {
		fprintf(stderr, "%s: %s\n", gl->progname, err);
		refdata_free(rd);
		return EXIT_FAIL;
	}
	printf("%s\t%s\t", r.lead->code, r.lead->name);
	for (i = 0; i < r.duty->nsupport; i++)
		printf("%s%s", i ? "," : "", r.duty->support[i]->code);
	printf("\t%s\n", r.reason);
	refdata_free(rd);
	return EXIT_OK;
}

const struct subcmd sub_route = {
	"route", "CATEGORY GRID",
	N_("show the lead agency for a category in a grid, and why"),
	route_exec
};
