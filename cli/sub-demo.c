/*
 * sub-demo.c: `gridline demo`.
 *
 * In a terminal: a scratch server (temporary run directory and database),
 * a feeder process sending the simulator's incidents (demo-feed.c, --rate
 * a second, one every two seconds by default), and the console on top;
 * quitting the console stops and removes all of it.
 *
 * Without a terminal, or with --walk: a walk through the core on a scratch
 * database: a few reports stored, routed with the reason, registered and
 * dispatched, one returned as "not ours"; then the event log is printed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "demo.h"
#include "error.h"
#include "gltime.h"
#include "intake.h"
#include "route.h"
#include "store.h"

struct demo_report {
	const char	*grid;
	const char	*category;
	const char	*summary;
};

static int
demo_print_event(void *arg, const struct store_event *e)
{
	char	when[32];

	(void)arg;
	gltime_format(e->at, GLTIME_CHINA, when, sizeof when);
	printf("  #%-3lld %s  %s  %-12s %-11s -> %-12s ",
	    (long long)e->seq, when, e->case_no, e->action,
	    e->from_state ? e->from_state : "", e->to_state);
	/* agency codes and reasons: the data's and the operators' text */
	cli_vis_put(stdout, e->agency ? e->agency : "", 0);
	putchar(' ');
	cli_vis_put(stdout, e->reason ? e->reason : "", 0);
	putchar('\n');
	return 0;
}

/* Store, route, register and dispatch one report. */
static int
demo_case(struct store *st, const struct refdata *rd,
    const struct demo_report *r, time_t now, char *no, size_t len)
{
	struct incident		in = { 0 };
	struct store_created	cr;
	struct case_act		a = { 0 };
	struct route		rt;
	char			err[512];

	in.grid = r->grid;
	in.category = r->category;
	in.summary = r->summary;
	in.source = "grid-app";
	in.reported_at = now;
	if (intake_resolve(rd, &in, err, sizeof err) != 0 ||
	    store_case_create(st, &in, "网格员", now, &cr, NULL, err,
	    sizeof err) != 0 ||
	    route_case(rd, r->category, r->grid, &rt, err, sizeof err) != 0)
		goto fail;
	snprintf(no, len, "%s", cr.no);
	printf("%s  %s\n    ", cr.no, r->summary);
	cli_vis_put(stdout, rt.reason, 0);	/* names from data files */
	putchar('\n');
	a.actor = "调度员";
	a.at = now + 60;
	a.action = CA_REGISTER;
	if (store_case_apply(st, cr.no, &a, NULL, NULL, err, sizeof err) != 0)
		goto fail;
	a.action = CA_DISPATCH;
	a.agency = rt.lead->code;
	a.at = now + 120;
	if (store_case_apply(st, cr.no, &a, NULL, NULL, err, sizeof err) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "gridline demo: %s\n", err);
	return -1;
}

static const struct demo_report demo_reports[] = {
	{ "330205001001001", "1302", "外滩附近流动摊贩占道经营，堵塞人行道" },
	{ "330203003001001", "1103", "望京路与中山西路口井盖缺失，有行人绊倒风险" },
	{ "330212001001001", "1105", "小区门口路灯连续三晚不亮" },
};

static int
demo_run(struct store *st, const struct refdata *rd)
{
	struct case_act	a = { 0 };
	char		no[32], err[512];
	time_t		now = time(NULL);
	size_t		i;

	store_set_calendar(st, refdata_calendar(rd));
	for (i = 0; i < sizeof demo_reports / sizeof demo_reports[0]; i++)
		if (demo_case(st, rd, &demo_reports[i], now, no, sizeof no))
			return EXIT_FAIL;
	a.actor = "城管中队";	/* the lamp case, dispatched last */
	a.at = now + 600;
	a.action = CA_RETURN;
	a.reason_code = "unclear_ownership";
	a.reason = "该路灯属小区物业产权，非市政路灯";
	if (store_case_apply(st, no, &a, NULL, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "gridline demo: %s\n", err);
		return EXIT_FAIL;
	}
	printf("\n%s\n", _("Event log:"));
	if (store_events(st, 0, 100, demo_print_event, NULL, err,
	    sizeof err) != 0)
		return EXIT_FAIL;
	return EXIT_OK;
}

/* The walk-through: for scripts and terminals-less runs (and --walk). */
static int
demo_walk(struct gridline *gl)
{
	struct refdata	*rd;
	struct store	*st;
	char		 dir[] = "/tmp/gridline-demo.XXXXXX", path[64], e[512];
	int		 ex;

	printf("%s\n\n", _("gridline demo: routing and the case log on a "
	    "scratch database (run it in a terminal for the live console)."));
	if ((ex = cli_load(gl, cli_data_dir(NULL), &rd)) != EXIT_OK)
		return ex;
	if (mkdtemp(dir) == NULL) {
		perror("gridline demo: mkdtemp");
		refdata_free(rd);
		return EXIT_FAIL;
	}
	snprintf(path, sizeof path, "%s/demo.db", dir);
	if (store_open(path, &st, e, sizeof e) != 0) {
		fprintf(stderr, "gridline demo: %s\n", e);
		ex = EXIT_FAIL;
	} else {
		ex = demo_run(st, rd);
		store_close(st);
	}
	store_unlink(path);
	rmdir(dir);
	refdata_free(rd);
	return ex;
}

static const struct option demo_longopts[] = {
	{ "walk", no_argument, NULL, 'w' },
	{ "rate", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 }
};

/* "2/s", "0.5/s" or a bare "2": incidents a second, 0.01 to 100. */
static int
demo_rate_parse(const char *s, double *out)
{
	char	*end;
	double	 r = strtod(s, &end);

	if (end == s || (strcmp(end, "/s") != 0 && *end != '\0') ||
	    !(r >= 0.01 && r <= 100))
		return -1;
	*out = r;
	return 0;
}

static int
demo_exec(struct gridline *gl, int argc, char **argv)
{
	double	rate = 0.5;	/* one every two seconds: calm, alive */
	int	c, walk = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", demo_longopts, NULL)) != -1)
		switch (c) {
		case 'w': walk = 1; break;
		case 'r':
			if (demo_rate_parse(optarg, &rate) == 0)
				break;
			fprintf(stderr, _("gridline demo: --rate wants N/s, N "
			    "from 0.01 to 100 (not %s)\n"), optarg);
			return EXIT_USAGE;
		default: return cli_usage(&sub_demo);
		}
	if (optind != argc)
		return cli_usage(&sub_demo);
	if (walk || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return demo_walk(gl);
	return demo_live(gl, rate);
}

const struct subcmd sub_demo = {
	"demo", "[--walk] [--rate N/s]",
	N_("the console on a scratch server with incidents arriving live"),
	demo_exec
};
