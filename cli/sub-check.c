/*
 * sub-check.c: `gridline check [DIR]`, the reference data checker.
 *
 * Loads every file of DIR and verifies codes, references, time limits and
 * that each grid and category resolves to exactly one lead agency. Problems
 * go to stderr as file:line: message, a summary line follows. Exit 0 clean,
 * 1 problems, 2 unreadable input: the same contract the server relies on
 * before it swaps in reloaded data.
 *
 * A warning is not a problem: the holiday table ending within
 * CAL_WARN_DAYS of now (the wall clock, or --now TIME), or already ended,
 * is said on stderr and leaves the exit status 0, since data that loads
 * and routes is good data and a server must still accept it; a script
 * that wants to act on the warning reads stderr.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "gltime.h"

#include "check.h"
#include "cli.h"
#include "error.h"
#include "scenario.h"

static void
check_print(const struct diag *d)
{
	char	line[2048];
	size_t	i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, line, sizeof line);
		cli_vis_put(stderr, line, 0);
		fputc('\n', stderr);
	}
}

static void
check_summary(const char *dir, const struct refdata *rd)
{
	char	vdir[4096];

	printf(_("%s: %zu districts, %zu townships, %zu communities, %zu "
	    "grids, %zu agencies, %zu categories, %zu responsibility rows: "
	    "every grid and category has exactly one lead agency\n"),
	    cli_vis(dir, vdir, sizeof vdir),
	    refdata_level_count(rd, JL_DISTRICT),
	    refdata_level_count(rd, JL_TOWNSHIP),
	    refdata_level_count(rd, JL_COMMUNITY),
	    refdata_level_count(rd, JL_GRID), refdata_agency_count(rd),
	    refdata_category_count(rd), refdata_duty_count(rd));
}

/* The holiday table's end, from CAL_WARN_DAYS before it (calendar.h). */
static void
check_calendar(const char *dir, const struct refdata *rd, time_t now)
{
	const struct calendar	*cal = refdata_calendar(rd);
	long			 left = calendar_days_left(cal, now);
	int			 y = calendar_covered_until(cal);
	char			 vdir[4096];

	if (left > CAL_WARN_DAYS)
		return;
	cli_vis(dir, vdir, sizeof vdir);
	if (left >= 0)
		fprintf(stderr, _("%s/holidays.tsv: the holiday table ends "
		    "with %d (in %ld days): add next year's official schedule "
		    "(docs/DATA.md)\n"), vdir, y, left);
	else
		fprintf(stderr, _("%s/holidays.tsv: the holiday table ended "
		    "with %d: deadlines from %d-01-01 on are provisional, "
		    "counted on weekdays alone: add the official schedule "
		    "(docs/DATA.md)\n"), vdir, y, y + 1);
}

/* --now: a date (its midnight) or an RFC 3339 instant; 0 or -1. */
static int
check_now(const char *s, time_t *now)
{
	return gltime_date_parse(s, GLTIME_CHINA, now) == 0 ||
	    gltime_parse(s, now) == 0 ?
	    0 : -1;
}

static int
check_exec(struct gridline *gl, int argc, char **argv)
{
	struct refdata	*rd = NULL;
	struct diag	 d;
	const char	*dir;
	char		 vdir[4096];
	size_t		 nscen = 0;
	int		 rc, ex;
	time_t		 now = time(NULL);

	if (argc >= 3 && strcmp(argv[1], "--now") == 0) {
		if (check_now(argv[2], &now) != 0) {
			fprintf(stderr, _("%s check: --now: '%s' is not a date "
			    "(YYYY-MM-DD) or a time (RFC 3339)\n"),
			    gl->progname, argv[2]);
			return EXIT_USAGE;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return cli_usage(&sub_check);
	dir = cli_data_dir(argc == 2 ? argv[1] : NULL);
	diag_init(&d);
	rc = refdata_load(dir, &rd, &d);
	if (rd != NULL && refdata_complete(rd))
		check_coverage(rd, &d);
	if (rd != NULL && d.n == 0)	/* on good reference data only */
		scenario_check_all(dir, rd, &d, &nscen);
	check_print(&d);
	if (d.unreadable || rc == GL_EIO)
		ex = EXIT_USAGE;
	else if (d.n > 0 || rc != 0)
		ex = EXIT_FAIL;
	else
		ex = EXIT_OK;
	if (ex == EXIT_OK) {
		check_calendar(dir, rd, now);
		check_summary(dir, rd);
		if (nscen > 0)
			printf(_("%s: %zu training scenarios: every grid, "
			    "category and expected agency checked\n"),
			    cli_vis(dir, vdir, sizeof vdir), nscen);
	}
	else
		fprintf(stderr, _("%s: %s: %zu problems found\n"),
		    gl->progname, cli_vis(dir, vdir, sizeof vdir), d.n);
	diag_free(&d);
	refdata_free(rd);
	return ex;
}

const struct subcmd sub_check = {
	"check", "[--now TIME] [DIR]",
	N_("verify reference data: codes, references, one lead per grid"),
	check_exec
};
