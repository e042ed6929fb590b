/*
 * feed-simulate.c: `gridline feed simulate [--rate N/s|max] [--count N |
 * --duration S] [--seed N] [--scenario NAME] [--start TIME] [--out FILE]
 * [--batch N] [--data DIR]`: the simulator's incidents (core/sim.h), sent
 * as any feeder sends them, or written as a recording.
 *
 * Sending is feed_run's (feed.h): this file is only a source. Item i is
 * due i/rate seconds after the start (rate max: FEED_NOW, so as fast as
 * acknowledged, --batch at a time). What the generator is told "now" is
 * the server's clock, which may be a set one (`serve --clock T,xS`): one
 * `status` over the control socket gives its "now" and "clock.speed", and
 * item i's now is that plus its due time (rate max: the real time
 * elapsed) times the speed. The due time rather than the moment the item
 * is made: feed_run fetches one item ahead, and an item made early with
 * its own due time is never reported after its arrival. With --to and no
 * --run-dir there is no control socket to ask; the local clock stands in.
 *
 * --out writes recording lines and sends nothing. Then nothing depends on
 * when it runs: the start is 2026-12-01T08:30:00+08:00 unless --start
 * says, item i arrives at start + i/rate (rate max: i seconds), and the
 * seed is 1 unless --seed says, so a seed gives the same bytes every time.
 * A live run's seed comes from the clock and is printed, so that the run
 * can be repeated.
 *
 * Rejected: a separate sending loop for max rate (feed_run's batching is
 * that loop already); asking status per batch to follow the server's clock
 * (one answer and the speed say where it is; a clock set again mid-run is
 * a training instructor's business, not a load generator's).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feed.h"
#include "gltime.h"
#include "req.h"
#include "rundir.h"
#include "sim.h"

#define SIMULATE_COUNT	100		/* without --count or --duration */
#define SIMULATE_RATE	10.0		/* a second, without --rate */
#define SIMULATE_START	"2026-12-01T08:30:00+08:00"	/* of --out */

struct simulate_args {
	struct feed_target	 t;
	const char		*out, *start, *data, *key;
	double			 rate;		/* a second; 0: max */
	long			 count;		/* -1: not given */
	double			 duration;	/* seconds; 0: not given */
	uint64_t		 seed;
	int			 seeded;	/* --seed given */
	int			 batch;
	enum sim_scenario	 scenario;
};

/* The source feed_run asks. */
struct simulate {
	struct sim	*sim;
	long		 count;		/* items to give; -1: until duration */
	long		 i;		/* given so far */
	double		 rate;		/* 0: max */
	double		 duration;	/* rate max: stop after (0: no) */
	double		 t0;		/* progress_clock() at the start */
	time_t		 start;		/* the server's now at t0 */
	double		 speed;		/* the server clock's speed */
};

static const struct option simulate_longopts[] = {
	FEED_TARGET_OPTIONS,
	{ "rate",	required_argument, NULL, 'R' },
	{ "count",	required_argument, NULL, 'c' },
	{ "duration",	required_argument, NULL, 'd' },
	{ "seed",	required_argument, NULL, 's' },
	{ "scenario",	required_argument, NULL, 'S' },
	{ "start",	required_argument, NULL, 'T' },
	{ "out",	required_argument, NULL, 'o' },
	{ "batch",	required_argument, NULL, 'b' },
	{ "data",	required_argument, NULL, 'D' },
	{ "key",	required_argument, NULL, 'k' },
	{ NULL, 0, NULL, 0 }
};

/* "N/s", a bare "N" (0.001 to 1e6 a second) or "max" (0); 0 or -1. */
static int
simulate_rate_parse(const char *s, double *out)
{
	char	*end;
	double	 r;

	if (strcmp(s, "max") == 0) {
		*out = 0;
		return 0;
	}
	r = strtod(s, &end);
	if (end == s || (strcmp(end, "/s") != 0 && *end != '\0') ||
	    !(r >= 0.001 && r <= 1e6))
		return -1;
	*out = r;
	return 0;
}

/* A whole number from lo to hi; 0 or -1. */
static int
simulate_long_parse(const char *s, long lo, long hi, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* One option's value into a; 0, or -1 with the option named. */
static int
simulate_option(struct simulate_args *a, int c, const char *arg)
{
	const char	*bad = NULL;
	char		*end, vis[512];
	long		 v;

	switch (c) {
	case 'R':
		if (simulate_rate_parse(arg, &a->rate) != 0)
			bad = _("--rate is N/s (0.001 to 1000000) or max");
		break;
	case 'c':
		if (simulate_long_parse(arg, 1, 100000000L, &a->count) != 0)
			bad = _("--count is a whole number from 1 to 100000000");
		break;
	case 'd':
		a->duration = strtod(arg, &end);
		if (end == arg || *end != '\0' || !(a->duration > 0 &&
		    a->duration <= 1e7))
			bad = _("--duration is seconds above 0");
		break;
	case 's':
		errno = 0;
		a->seed = strtoull(arg, &end, 10);
		a->seeded = 1;
		if (end == arg || *end != '\0' || errno != 0 || arg[0] == '-')
			bad = _("--seed is a whole number from 0");
		break;
	case 'T':
		a->start = arg;
		if (gltime_parse(arg, &(time_t){ 0 }) != 0)
			bad = _("--start is an RFC 3339 time with an offset");
		break;
	case 'b':
		if (simulate_long_parse(arg, 1, 10000, &v) != 0)
			bad = _("--batch must be 1 to 10000");
		a->batch = (int)v;
		break;
	case 'S':
		if (sim_scenario_parse(arg, &a->scenario) == 0)
			break;
		fprintf(stderr, _("gridline feed simulate: unknown scenario "
		    "%s (one of: %s)\n"), cli_vis(arg, vis, sizeof vis),
		    sim_scenario_list());
		return -1;
	case 'o': a->out = arg; break;
	case 'D': a->data = arg; break;
	case 'k': a->key = arg; break;
	default: return -1;
	}
	if (bad != NULL)
		fprintf(stderr, _("gridline feed simulate: %s (not %s)\n"), bad,
		    cli_vis(arg, vis, sizeof vis));
	return bad != NULL ? -1 : 0;
}

/* The command line into a: EXIT_OK, or EXIT_USAGE said. */
static int
simulate_parse(int argc, char **argv, struct simulate_args *a)
{
	int	c;

	memset(a, 0, sizeof *a);
	a->rate = SIMULATE_RATE;
	a->count = -1;
	a->batch = FEED_BATCH;
	a->scenario = SIM_NORMAL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", simulate_longopts,
	    NULL)) != -1)
		if (!feed_target_option(&a->t, c, optarg) &&
		    simulate_option(a, c, optarg) != 0)
			return c == '?' ? feed_usage(&feed_verb_simulate) :
			    EXIT_USAGE;
	if (optind != argc)
		return feed_usage(&feed_verb_simulate);
	if (a->count > 0 && a->duration > 0) {
		fprintf(stderr, _("gridline feed simulate: --count and "
		    "--duration do not go together\n"));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* How many items: --count, rate x --duration, or the default; -1 when
 * a max rate runs for a duration (then the clock decides). With --out a
 * max rate is one a second. */
static long
simulate_total(const struct simulate_args *a)
{
	double	rate = a->rate > 0 ? a->rate : a->out != NULL ? 1 : 0;

	if (a->count > 0)
		return a->count;
	if (a->duration <= 0)
		return SIMULATE_COUNT;
	if (rate <= 0)
		return -1;
	return (long)(rate * a->duration + 0.5) > 0 ?
	    (long)(rate * a->duration + 0.5) : 1;
}

/* The simulated instant of item i, seconds after the start. */
static double
simulate_elapsed(const struct simulate *sm, int live)
{
	if (sm->rate > 0)
		return (double)sm->i / sm->rate;
	return live ? progress_clock() - sm->t0 : (double)sm->i;
}

/* The source of a live feed (feed_next_fn). */
static enum feed_next
simulate_next(void *arg, struct feed_item *it)
{
	struct simulate	*sm = arg;
	double		 el = simulate_elapsed(sm, 1);

	if ((sm->count >= 0 && sm->i >= sm->count) || (sm->count < 0 &&
	    el >= sm->duration))
		return FEED_END;
	it->line = ++sm->i;
	it->due = sm->rate > 0 ? el : FEED_NOW;
	if (sim_next(sm->sim, sm->start + (time_t)(el * sm->speed),
	    &it->json) != 0) {
		it->error = strdup(_("out of memory"));
		return FEED_BAD;
	}
	return FEED_ITEM;
}

/* The server's now and clock speed, from one status over control, into
 * sm; EXIT_OK, or EXIT_FAIL said. */
static int
simulate_server_clock(struct gridline *gl, const struct simulate_args *a,
    struct simulate *sm)
{
	struct sign_id	 id;
	json_t		*rep = NULL, *speed, *req;
	const char	*now;
	char		 run_dir[4096], err[1024], vis[1024];
	int		 have, rc;

	if ((have = cli_identity(a->key, NULL, &id, err, sizeof err)) < 0) {
		fprintf(stderr, "gridline feed simulate: %s\n",
		    cli_vis(err, vis, sizeof vis));
		return EXIT_FAIL;
	}
	rundir_resolve(a->t.run_dir, run_dir, sizeof run_dir);
	req = req_status();
	rc = cli_ask(gl, run_dir, 0, have ? &id : NULL, req, &rep);
	json_decref(req);		/* cli_ask does not take it */
	if (rc != EXIT_OK)
		return EXIT_FAIL;
	now = json_string_value(json_object_get(rep, "now"));
	speed = json_object_get(json_object_get(rep, "clock"), "speed");
	if (!json_is_true(json_object_get(rep, "ok")) || now == NULL ||
	    gltime_parse(now, &sm->start) != 0) {
		fprintf(stderr, _("gridline feed simulate: the server's status "
		    "has no clock (is it a gridline server?)\n"));
		json_decref(rep);
		return EXIT_FAIL;
	}
	sm->speed = json_is_number(speed) && json_number_value(speed) > 0 ?
	    json_number_value(speed) : 1;
	sm->t0 = progress_clock();
	json_decref(rep);
	return EXIT_OK;
}

/* Send to the target: the clock from the server (or --start, or with
 * only --to the local one), the seed printed, then feed_run. */
static int
simulate_live(struct gridline *gl, const struct simulate_args *a,
    struct simulate *sm)
{
	struct feed_opts	o = { "feed simulate", "simulate", a->batch,
				    sm->count, FEED_TIMEOUT_MS };
	int			ex;

	sm->speed = 1;
	sm->t0 = progress_clock();
	if (a->start != NULL)
		gltime_parse(a->start, &sm->start);
	else if (a->t.to != NULL && a->t.run_dir == NULL)
		sm->start = time(NULL);
	else if ((ex = simulate_server_clock(gl, a, sm)) != EXIT_OK)
		return ex;
	return feed_run(gl, &a->t, &o, simulate_next, sm, NULL);
}

/* Write the recording to a->out: EXIT_OK, or EXIT_FAIL said. */
static int
simulate_record(const struct simulate_args *a, struct simulate *sm)
{
	FILE	*fp;
	json_t	*item;
	char	*text, at[40], vis[4096];
	time_t	 t;
	int	 rc = 0;

	sm->start = 0;
	gltime_parse(a->start != NULL ? a->start : SIMULATE_START, &sm->start);
	if ((fp = feed_output_open("feed simulate", a->out)) == NULL)
		return EXIT_FAIL;
	for (; rc == 0 && sm->i < sm->count; sm->i++) {
		t = sm->start + (time_t)simulate_elapsed(sm, 0);
		gltime_format(t, GLTIME_CHINA, at, sizeof at);
		text = NULL;
		item = NULL;
		if (sim_next(sm->sim, t, &text) != 0 ||
		    (item = json_loads(text, 0, NULL)) == NULL ||
		    feed_line_write(fp, at, item) != 0)
			rc = -1;
		json_decref(item);
		free(text);
	}
	if (fp != stdout ? fclose(fp) != 0 : fflush(fp) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "gridline feed simulate: %s: %s\n",
		    cli_vis(a->out, vis, sizeof vis), strerror(errno));
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
simulate_exec(struct gridline *gl, int argc, char **argv)
{
	struct simulate_args	 a;
	struct simulate		 sm;
	struct sim_opts		 so = { 0, SIM_NORMAL, NULL };
	struct refdata		*rd;
	const char		*dir;
	char			 err[1024], vis[1024];
	int			 ex;

	if ((ex = simulate_parse(argc, argv, &a)) != EXIT_OK)
		return ex;
	memset(&sm, 0, sizeof sm);
	sm.rate = a.rate;
	sm.count = simulate_total(&a);
	sm.duration = a.duration;
	so.scenario = a.scenario;
	so.seed = a.seeded ? a.seed : a.out != NULL ? 1 :
	    (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	dir = cli_data_dir(a.data);
	if ((ex = cli_load(gl, dir, &rd)) != EXIT_OK)
		return ex;
	if (sim_new(rd, dir, &so, &sm.sim, err, sizeof err) != 0) {
		fprintf(stderr, "gridline feed simulate: %s\n",
		    cli_vis(err, vis, sizeof vis));
		refdata_free(rd);
		return EXIT_FAIL;
	}
	if (a.out != NULL)
		ex = simulate_record(&a, &sm);
	else {
		fprintf(stderr, _("feed simulate: seed %llu (--seed %llu "
		    "repeats this run)\n"), (unsigned long long)so.seed,
		    (unsigned long long)so.seed);
		ex = simulate_live(gl, &a, &sm);
	}
	sim_free(sm.sim);
	refdata_free(rd);
	return ex;
}

const struct feed_verb feed_verb_simulate = {
	"simulate", "[--rate N/s|max] [--count N | --duration S] [--seed N] "
	"[--scenario normal|rush-hour|typhoon|night] [--start TIME] "
	"[--out FILE] [--batch N] [--data DIR] [--run-dir DIR | --to URL] "
	"[--feeder-key FILE] [--key FILE]",
	simulate_exec
};
