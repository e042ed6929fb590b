/*
 * test-sim.c: the incident simulator (core/sim.c) on the shipped data.
 *
 * The generator is random, so most tests are statistical: 10,000 items of
 * a fixed seed, read back with jansson as a server would read them, and
 * held to bounds (never exact values) that the weights in data/sim/ imply:
 * vending and parking lead, a road collapse is rare, each district's share
 * is near its share of the grids, a typhoon floods the coast. The seed is
 * fixed, so a bound that fails fails every time and can be looked at.
 * Items are made on a clock that advances 20 s an item from a Tuesday
 * 09:00, so all of them fall in the daytime weights.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "error.h"
#include "gltime.h"
#include "refdata.h"
#include "sim.h"
#include "testutil.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define NSTAT		10000
#define STEP		20		/* seconds between items */
#define WINDOW		64		/* earlier items a repeat may follow */

static struct refdata *rd;

/* What a run of items showed. */
struct stats {
	long	 cat[10000];		/* by category code */
	long	 dist[10];		/* by position in districts.tsv */
	long	 n, coast, flood, night, repeats, repeat_same_cat;
	long	 sources[4];
};

static const char *const sources[] = { "grid-app", "hotline", "sensor",
	"web" };

/* One item as the test remembers it for finding repeats. */
struct seen {
	char	 cat[8], address[512];
	double	 lat, lon;
};

static int
setup(void **state)
{
	struct diag	d;

	(void)state;
	diag_init(&d);
	if (refdata_load(tu_datadir(), &rd, &d) != 0) {
		diag_free(&d);
		return -1;
	}
	diag_free(&d);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	refdata_free(rd);
	return 0;
}

static struct sim *
sim_make(uint64_t seed, enum sim_scenario sc)
{
	struct sim_opts	 o = { seed, sc, NULL };
	struct sim	*s = NULL;
	char		 err[512] = "";

	if (sim_new(rd, tu_datadir(), &o, &s, err, sizeof err) != 0)
		fail_msg("sim_new: %s", err);
	return s;
}

static int
in(const char *code, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(code, *set) == 0)
			return 1;
	return 0;
}

static const char *const coast[] = { "330206", "330225", "330226", NULL };
static const char *const flood[] = { "1201", "1202", "1203", "1204", "1501",
	NULL };
static const char *const night[] = { "0406", "1903", "1905", "1105", "1803",
	"0503", NULL };

/* Is it within 20 m of an earlier item at the same address? Then it is a
 * repeat (the simulator places one within 15 m of its original), and should
 * be of the same matter: two unrelated reports at one spot are possible,
 * but rare (each lies up to 100 m from its grid's point). */
static void
stats_repeat(struct stats *st, const struct seen *ring, const struct seen *it)
{
	long	 i, k;

	for (i = 1; i < WINDOW && i <= st->n; i++) {
		const struct seen *o = &ring[(st->n - i) % WINDOW];

		if (strcmp(o->address, it->address) == 0 &&
		    (o->lat - it->lat) * (o->lat - it->lat) * 111.3e3 * 111.3e3 +
		    (o->lon - it->lon) * (o->lon - it->lon) * 96.5e3 * 96.5e3 <
		    20.0 * 20.0) {
			st->repeats++;
			k = strcmp(o->cat, it->cat) == 0;
			st->repeat_same_cat += k;
			if (!k)
				print_message("repeat of another matter: %s %s "
				    "at %s\n", o->cat, it->cat, it->address);
			return;
		}
	}
}

/* Check one item as the ingest protocol would, and count it. */
static void
stats_add(struct stats *st, struct seen *ring, const char *text, time_t now,
    uint64_t seed, long n)
{
	json_error_t	 je;
	json_t		*j = json_loads(text, 0, &je), *loc;
	const char	*grid, *cat, *at, *src, *addr;
	const struct juris *g, *d;
	struct seen	*it = &ring[st->n % WINDOW];
	char		 id[64];
	time_t		 t;
	size_t		 i;

	assert_non_null(j);
	snprintf(id, sizeof id, "sim-%llu-%ld", (unsigned long long)seed, n);
	assert_string_equal(json_string_value(json_object_get(j, "id")), id);
	grid = json_string_value(json_object_get(j, "grid"));
	cat = json_string_value(json_object_get(j, "category"));
	at = json_string_value(json_object_get(j, "reported_at"));
	src = json_string_value(json_object_get(j, "source"));
	addr = json_string_value(json_object_get(j, "address"));
	assert_non_null(grid);
	assert_non_null(cat);
	assert_non_null(at);
	assert_non_null(src);
	assert_non_null(addr);
	g = refdata_juris(rd, grid);
	assert_non_null(g);
	assert_int_equal(g->level, JL_GRID);
	assert_non_null(refdata_category(rd, cat));
	assert_int_equal(gltime_parse(at, &t), 0);
	assert_true(t <= now && t >= now - 600);
	assert_string_equal(at + 19, "+08:00");
	assert_non_null(json_string_value(json_object_get(j, "summary")));
	assert_null(strchr(json_string_value(json_object_get(j, "summary")),
	    '{'));
	assert_non_null(json_string_value(json_object_get(j, "reporter")));
	d = juris_district(g);
	assert_memory_equal(addr, d->name, strlen(d->name));
	loc = json_object_get(j, "location");
	it->lat = json_number_value(json_object_get(loc, "lat"));
	it->lon = json_number_value(json_object_get(loc, "lon"));
	assert_true(it->lat > 29.0 && it->lat < 30.5);
	assert_true(it->lon > 120.8 && it->lon < 122.3);
	for (i = 0; i < NITEMS(sources); i++)
		if (strcmp(src, sources[i]) == 0)
			st->sources[i]++;
	snprintf(it->cat, sizeof it->cat, "%s", cat);
	snprintf(it->address, sizeof it->address, "%s", addr);
	stats_repeat(st, ring, it);
	st->cat[atoi(cat)]++;
	for (i = 0; i < refdata_level_count(rd, JL_DISTRICT); i++)
		if (refdata_level_at(rd, JL_DISTRICT, i) == d)
			st->dist[i]++;
	st->coast += in(d->code, coast);
	st->flood += in(cat, flood);
	st->night += in(cat, night);
	st->n++;
	json_decref(j);
}

static void
stats_run(struct stats *st, uint64_t seed, enum sim_scenario sc, long n)
{
	static struct seen ring[WINDOW];
	struct sim	*s = sim_make(seed, sc);
	time_t		 now = tu_local("2026-11-24 09:00");
	char		*text;
	long		 i;

	memset(st, 0, sizeof *st);
	for (i = 1; i <= n; i++, now += STEP) {
		assert_int_equal(sim_next(s, now, &text), 0);
		assert_null(strchr(text, '\n'));
		stats_add(st, ring, text, now, seed, i);
		free(text);
	}
	sim_free(s);
}

static double
share(long k, long n)
{
	return (double)k / (double)n;
}

/* --- tests ------------------------------------------------------------- */

static void
test_sim_scenario_names(void **state)
{
	static const struct {
		const char	*name;
		int		 rc;
		enum sim_scenario sc;
	} rows[] = {
		{ "normal", 0, SIM_NORMAL },
		{ "rush-hour", 0, SIM_RUSH_HOUR },
		{ "typhoon", 0, SIM_TYPHOON },
		{ "night", 0, SIM_NIGHT },
		{ "Typhoon", GL_EINVAL, SIM_NORMAL },
		{ "rush_hour", GL_EINVAL, SIM_NORMAL },
		{ "storm", GL_EINVAL, SIM_NORMAL },
		{ "", GL_EINVAL, SIM_NORMAL },
	};
	enum sim_scenario sc;
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		sc = SIM_NORMAL;
		assert_int_equal(sim_scenario_parse(rows[i].name, &sc),
		    rows[i].rc);
		assert_int_equal(sc, rows[i].sc);
		if (rows[i].rc == 0)
			assert_string_equal(sim_scenario_name(sc),
			    rows[i].name);
		else	/* what the user is told to pick from */
			assert_non_null(strstr(sim_scenario_list(),
			    "rush-hour"));
	}
	for (i = 0; i < 4; i++)
		assert_non_null(strstr(sim_scenario_list(), rows[i].name));
}

/* A bad scenario or a missing data directory: refused, saying why. */
static void
test_sim_new_refused(void **state)
{
	struct sim_opts	 o = { 1, (enum sim_scenario)9, NULL };
	struct sim	*s = (struct sim *)1;
	char		 err[512] = "";

	(void)state;
	assert_int_equal(sim_new(rd, tu_datadir(), &o, &s, err, sizeof err),
	    GL_EINVAL);
	assert_null(s);
	assert_non_null(strstr(err, "normal, rush-hour, typhoon, night"));
	o.scenario = SIM_NORMAL;
	assert_int_equal(sim_new(rd, "/nonexistent", &o, &s, err,
	    sizeof err), GL_EIO);
	assert_non_null(strstr(err, "weights.tsv"));
	sim_free(NULL);
}

/* The same seed and clock: the same bytes; another seed: others. */
static void
test_sim_deterministic(void **state)
{
	struct sim	*a = sim_make(42, SIM_NORMAL), *b = sim_make(42,
			    SIM_NORMAL), *c = sim_make(43, SIM_NORMAL);
	time_t		 now = tu_local("2026-11-24 20:00");
	char		*ta, *tb, *tc;
	long		 i, differ = 0;

	(void)state;
	for (i = 0; i < 1000; i++, now += 7) {
		assert_int_equal(sim_next(a, now, &ta), 0);
		assert_int_equal(sim_next(b, now, &tb), 0);
		assert_int_equal(sim_next(c, now, &tc), 0);
		assert_string_equal(ta, tb);
		/* past the id, which holds the seed */
		differ += strcmp(strchr(ta, ','), strchr(tc, ',')) != 0;
		free(ta);
		free(tb);
		free(tc);
	}
	assert_true(differ > 990);
	sim_free(a);
	sim_free(b);
	sim_free(c);
}

/* 10,000 items valid against the reference data; the matters a city sees
 * most lead, a collapse is rare; the districts as their grids. */
static void
test_sim_normal(void **state)
{
	static const char *const common[] = { "1301", "1302", "1804", "1805",
		"0404", NULL };
	static struct stats st;
	long	 first = 0, second = 0, i;
	size_t	 k, ng = refdata_level_count(rd, JL_GRID);
	char	 code[24];

	(void)state;
	stats_run(&st, 7, SIM_NORMAL, NSTAT);
	for (i = 1; i < 10000; i++)
		if (st.cat[i] > st.cat[first]) {
			second = first;
			first = i;
		} else if (st.cat[i] > st.cat[second])
			second = i;
	snprintf(code, sizeof code, "%04ld", first);
	assert_true(in(code, common));
	snprintf(code, sizeof code, "%04ld", second);
	assert_true(in(code, common));
	assert_true(share(st.cat[2003], st.n) < 0.005);	/* 道路塌陷 */
	assert_true(share(st.cat[205], st.n) < 0.005);	/* 承重结构 */
	assert_true(share(st.cat[1302], st.n) > 0.05);	/* 流动摊贩 */
	for (k = 0; k < refdata_level_count(rd, JL_DISTRICT); k++) {
		const struct juris *d = refdata_level_at(rd, JL_DISTRICT, k);
		size_t	 g, dg = 0;

		for (g = 0; g < ng; g++)
			dg += juris_district(refdata_level_at(rd, JL_GRID,
			    g)) == d;
		assert_true(st.dist[k] > 0);
		if (share(st.dist[k], st.n) - share((long)dg, (long)ng) > 0.02 ||
		    share((long)dg, (long)ng) - share(st.dist[k], st.n) > 0.02)
			fail_msg("%s: %ld of %ld items, %zu of %zu grids",
			    d->name, st.dist[k], st.n, dg, ng);
	}
	/* grid app most; hotline next; some sensors, some web */
	assert_true(st.sources[0] > st.sources[1]);
	assert_true(st.sources[1] > st.sources[3]);
	assert_true(share(st.sources[2], st.n) > 0.01);
	assert_true(share(st.sources[3], st.n) > 0.03);
	print_message("top %04ld %04ld; sources %ld/%ld/%ld/%ld; repeats %ld "
	    "of %ld\n", first, second, st.sources[0], st.sources[1],
	    st.sources[2], st.sources[3], st.repeats, st.n);
	/* about one in ten repeats an earlier report, of the same matter */
	if (share(st.repeats, st.n) < 0.08 || share(st.repeats, st.n) > 0.12)
		fail_msg("repeats: %ld of %ld", st.repeats, st.n);
	assert_true(st.repeat_same_cat >= st.repeats * 99 / 100);
}

/* A typhoon floods, fells trees and hits the coast. */
static void
test_sim_typhoon(void **state)
{
	static struct stats n, t;

	(void)state;
	stats_run(&n, 11, SIM_NORMAL, NSTAT);
	stats_run(&t, 11, SIM_TYPHOON, NSTAT);
	print_message("flood and trees %ld vs %ld, coast %ld vs %ld of %ld\n",
	    t.flood, n.flood, t.coast, n.coast, n.n);
	assert_true(share(n.flood, n.n) < 0.08);
	assert_true(share(t.flood, t.n) > 0.25);
	assert_true(share(t.flood, t.n) > 4 * share(n.flood, n.n));
	if (share(t.coast, t.n) < 1.5 * share(n.coast, n.n))
		fail_msg("coast: %ld of %ld in a typhoon, %ld of %ld else",
		    t.coast, t.n, n.coast, n.n);
	assert_true(t.cat[1302] < n.cat[1302] / 3);	/* no vending */
}

/* The night scenario: noise, lights and safety. */
static void
test_sim_night(void **state)
{
	static struct stats n, t;

	(void)state;
	stats_run(&n, 13, SIM_NORMAL, 3000);
	stats_run(&t, 13, SIM_NIGHT, 3000);
	assert_true(share(t.night, t.n) > 2 * share(n.night, n.n));
}

/* Fewer at night than by day, in every scenario; rush hours peak. */
static void
test_sim_rate(void **state)
{
	static const enum sim_scenario all[] = { SIM_NORMAL, SIM_RUSH_HOUR,
		SIM_TYPHOON, SIM_NIGHT };
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(all); i++) {
		struct sim *s = sim_make(1, all[i]);

		assert_true(sim_rate_at(s, tu_local("2026-11-24 03:00")) <
		    sim_rate_at(s, tu_local("2026-11-24 10:00")));
		assert_true(sim_rate_at(s, tu_local("2026-11-24 03:30")) <
		    sim_rate_at(s, tu_local("2026-11-24 15:00")) / 3);
		assert_true(sim_rate_at(s, tu_local("1969-12-31 03:00")) ==
		    sim_rate_at(s, tu_local("2026-11-24 03:00")));
		if (all[i] == SIM_RUSH_HOUR)
			assert_true(sim_rate_at(s,
			    tu_local("2026-11-24 08:15")) > sim_rate_at(s,
			    tu_local("2026-11-24 11:15")));
		sim_free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_scenario_names),
		cmocka_unit_test(test_sim_new_refused),
		cmocka_unit_test(test_sim_deterministic),
		cmocka_unit_test(test_sim_normal),
		cmocka_unit_test(test_sim_typhoon),
		cmocka_unit_test(test_sim_night),
		cmocka_unit_test(test_sim_rate),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
