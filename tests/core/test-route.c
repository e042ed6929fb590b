/*
 * test-route.c: routing by the responsibility list (core/route.c).
 *
 * DATA.md: a case's grid is walked upward and the first jurisdiction with a
 * row for the category decides (grid, community, township, district, city).
 * The precedence table routes the mini-city fixture (minicity.h, the same
 * city as test-refdata.c, written at run time) and names, from the fixture's
 * own lines, the lead, the deciding jurisdiction and the duty.tsv line the
 * reason must cite. On the shipped data every grid and category must
 * route, and for a sample of pairs the decided row is recomputed from the
 * rows themselves: the nearest ancestor of the grid with a row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "error.h"
#include "minicity.h"
#include "refdata.h"
#include "route.h"
#include "testutil.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* The fixture's duty.tsv again, columns reordered, a note column and
 * comment lines added: the reason must cite this file's own lines. */
static const char *const duty_reordered[] = {
	"lead\tnote\tjurisdiction\tsupport\tcategory",
	"# 物业",							/* 2 */
	"330203.ZJ\t\t330203\t\t0101",					/* 3 */
	"330205.ZF\t\t330205\t\t0101",					/* 4 */
	"330203001.BSC\t\t330203001\t330203001.ZFZD\t0101",		/* 5 */
	"",								/* 6 */
	"# 市政",							/* 7 */
	"330200.ZF\t全市\t330200\t\t1103",				/* 8 */
	"330203.ZF\t\t330203\t330203.ZJ\t1103",				/* 9 */
	"330203001.ZFZD\t\t330203001\t330203001.BSC,330203.ZJ\t1103",	/* 10 */
	"330203.ZJ\t\t330203\t\t1105",					/* 11 */
	"330205.ZF\t\t330205\t\t1105",					/* 12 */
	"330203001.BSC\t\t330203001001\t\t1105",			/* 13 */
	"330205001.BSC\t\t330205001001002\t\t1105",			/* 14 */
	"330200.SW\t\t330200\t330200.ZJ\t1106",				/* 15 */
	NULL
};

static struct refdata *
load_dir(const char *dir)
{
	struct refdata	*rd = NULL;
	struct diag	 d;
	char		 line[1024];
	size_t		 i;
	int		 rc;

	diag_init(&d);
	rc = refdata_load(dir, &rd, &d);
	for (i = 0; i < d.n; i++) {
		diag_format(&d, i, line, sizeof line);
		print_error("%s\n", line);
	}
	diag_free(&d);
	if (rc != 0) {
		refdata_free(rd);
		fail_msg("%s: refdata_load %s", dir, gl_strerror_name(rc));
	}
	return rd;
}

/* 1 when s contains "duty.tsv:LINE" not followed by another digit. */
static int
cites_line(const char *s, long line)
{
	char		 pat[64];
	const char	*p;
	size_t		 n;

	n = (size_t)snprintf(pat, sizeof pat, "duty.tsv:%ld", line);
	for (p = s; (p = strstr(p, pat)) != NULL; p++)
		if (p[n] < '0' || p[n] > '9')
			return 1;
	return 0;
}

struct prec {
	const char	*category;
	const char	*grid;
	const char	*lead;
	const char	*lead_name;
	const char	*juris;		/* the deciding jurisdiction */
	long		 line;		/* its row in the fixture's duty.tsv */
	long		 line_reordered;	/* in duty_reordered[] */
};

static const struct prec precedence[] = {
	/* 1103: township row (7) > district row (6) > city row (5) */
	{ "1103", "330203001001001", "330203001.ZFZD", "南门街道综合行政执法中队",
	    "330203001", 7, 10 },
	{ "1103", "330203001002001", "330203001.ZFZD", "南门街道综合行政执法中队",
	    "330203001", 7, 10 },
	{ "1103", "330203002001001", "330203.ZF", "海曙区综合行政执法局",
	    "330203", 6, 9 },
	{ "1103", "330205001001002", "330200.ZF", "宁波市综合行政执法局",
	    "330200", 5, 8 },
	/* 1105: community row (10) and grid row (11) beat district rows */
	{ "1105", "330203001001001", "330203001.BSC", "南门街道办事处",
	    "330203001001", 10, 13 },
	{ "1105", "330203001001002", "330203001.BSC", "南门街道办事处",
	    "330203001001", 10, 13 },
	{ "1105", "330203001002001", "330203.ZJ", "海曙区住房和城乡建设局",
	    "330203", 8, 11 },
	{ "1105", "330203002001001", "330203.ZJ", "海曙区住房和城乡建设局",
	    "330203", 8, 11 },
	{ "1105", "330205001001002", "330205001.BSC", "中马街道办事处",
	    "330205001001002", 11, 14 },
	{ "1105", "330205001001001", "330205.ZF", "江北区综合行政执法局",
	    "330205", 9, 12 },
	{ "1105", "330205001001003", "330205.ZF", "江北区综合行政执法局",
	    "330205", 9, 12 },
	/* 0101: township row (4) > district rows (2, 3), no city row */
	{ "0101", "330203001002001", "330203001.BSC", "南门街道办事处",
	    "330203001", 4, 5 },
	{ "0101", "330203002001001", "330203.ZJ", "海曙区住房和城乡建设局",
	    "330203", 2, 3 },
	{ "0101", "330205001001003", "330205.ZF", "江北区综合行政执法局",
	    "330205", 3, 4 },
	/* 1106: the city row (12) alone */
	{ "1106", "330203001001001", "330200.SW", "宁波市水务集团",
	    "330200", 12, 15 },
	{ "1106", "330205001001002", "330200.SW", "宁波市水务集团",
	    "330200", 12, 15 },
};

static int
check_prec(const struct refdata *rd, const struct prec *p, long line,
    const char *what)
{
	struct route	 r;
	char		 err[256] = "";
	int		 rc, bad = 0;

	rc = route_case(rd, p->category, p->grid, &r, err, sizeof err);
	if (rc != 0) {
		print_error("%s %s %s: %s: %s\n", what, p->category, p->grid,
		    gl_strerror_name(rc), err);
		return 1;
	}
	if (r.lead == NULL || strcmp(r.lead->code, p->lead) != 0 ||
	    r.duty == NULL || r.duty->lead != r.lead ||
	    strcmp(r.duty->juris->code, p->juris) != 0 ||
	    r.duty->line != line || r.grid == NULL ||
	    strcmp(r.grid->code, p->grid) != 0 || r.category == NULL ||
	    strcmp(r.category->code, p->category) != 0) {
		print_error("%s %s %s: lead %s, decided by %s at line %ld; "
		    "want %s, %s at line %ld\n", what, p->category, p->grid,
		    r.lead ? r.lead->code : "-",
		    r.duty ? r.duty->juris->code : "-",
		    r.duty ? r.duty->line : 0L, p->lead, p->juris, line);
		bad++;
	}
	if (!cites_line(r.reason, line) || strstr(r.reason, p->lead) == NULL ||
	    strstr(r.reason, p->lead_name) == NULL) {
		print_error("%s %s %s: reason \"%s\" lacks duty.tsv:%ld, %s or "
		    "%s\n", what, p->category, p->grid, r.reason, line,
		    p->lead, p->lead_name);
		bad++;
	}
	/* route_find agrees with route_case */
	if (route_find(rd, r.category, r.grid) != r.duty) {
		print_error("%s %s %s: route_find disagrees\n", what,
		    p->category, p->grid);
		bad++;
	}
	return bad;
}

static void
test_precedence(void **state)
{
	struct refdata	*rd;
	const char	*dir;
	size_t		 i;
	int		 bad = 0;

	(void)state;
	dir = tu_tmpdir();
	mc_write(dir);
	rd = load_dir(dir);
	for (i = 0; i < NITEMS(precedence); i++)
		bad += check_prec(rd, &precedence[i], precedence[i].line,
		    "fixture");
	refdata_free(rd);
	/* the same routes with duty.tsv's columns reordered */
	mc_write_lines(dir, "duty.tsv", duty_reordered);
	rd = load_dir(dir);
	for (i = 0; i < NITEMS(precedence); i++)
		bad += check_prec(rd, &precedence[i],
		    precedence[i].line_reordered, "reordered");
	refdata_free(rd);
	tu_rmtree(dir);
	assert_int_equal(bad, 0);
}

static void
test_not_found(void **state)
{
	static const struct {
		const char	*category;
		const char	*grid;
		const char	*mention;	/* in the message */
	} rows[] = {
		{ "1103", "330205001001009", "330205001001009" },  /* no grid */
		{ "9999", "330203001001001", "9999" },	/* no category */
		{ "1103", "330203001001", "330203001001" },	/* community */
		{ "1103", "330203001", "330203001" },		/* township */
		{ "1103", "330203", "330203" },			/* district */
		{ "1103", "330200", "330200" },			/* city */
		{ "1103", "", "grid" },
		{ "", "330203001001001", "category" },
		{ "11", "330203001001001", "11" },		/* a class */
		{ "330203001001001", "1103", "330203001001001" }, /* swapped */
	};
	struct refdata	*rd;
	struct route	 r;
	const char	*dir;
	char		 err[256];
	size_t		 i;
	int		 rc, bad = 0;

	(void)state;
	dir = tu_tmpdir();
	mc_write(dir);
	rd = load_dir(dir);
	for (i = 0; i < NITEMS(rows); i++) {
		err[0] = '\0';
		memset(&r, 0x5a, sizeof r);
		rc = route_case(rd, rows[i].category, rows[i].grid, &r, err,
		    sizeof err);
		if (rc != GL_ENOTFOUND || err[0] == '\0' ||
		    strstr(err, rows[i].mention) == NULL || r.lead != NULL ||
		    r.duty != NULL) {
			print_error("row %zu (%s, %s): %s \"%s\"\n", i,
			    rows[i].category, rows[i].grid,
			    gl_strerror_name(rc), err);
			bad++;
		}
	}
	refdata_free(rd);
	tu_rmtree(dir);
	assert_int_equal(bad, 0);
}

/*
 * An escalated case is routed from its level: the walk starts at the
 * grid's district (or the city), so rows below that level no longer
 * decide. A level without a row at or above it keeps the grid's own row,
 * flagged (below) and said in the reason. Lines are the fixture's
 * duty.tsv (see precedence[]); JL_TOWNSHIP routes as route_case does.
 */
static void
test_levels(void **state)
{
	static const struct {
		const char	*category, *grid;
		enum juris_level level;
		const char	*lead;
		long		 line;
		int		 below;
		const char	*says;		/* in the reason */
	} rows[] = {
		{ "1103", "330203001001001", JL_TOWNSHIP, "330203001.ZFZD", 7, 0,
		    NULL },
		{ "1103", "330203001001001", JL_GRID, "330203001.ZFZD", 7, 0,
		    NULL },
		{ "1103", "330203001001001", JL_DISTRICT, "330203.ZF", 6, 0,
		    "escalated to the district" },
		{ "1103", "330203001001001", JL_CITY, "330200.ZF", 5, 0,
		    "escalated to the city" },
		/* 330205 has no 1103 row: the walk goes on to the city */
		{ "1103", "330205001001002", JL_DISTRICT, "330200.ZF", 5, 0,
		    "escalated to the district" },
		{ "0101", "330203001002001", JL_DISTRICT, "330203.ZJ", 2, 0,
		    "escalated to the district" },
		/* no city row for 0101: the grid's own row, said so */
		{ "0101", "330203001002001", JL_CITY, "330203001.BSC", 4, 1,
		    "no row for" },
		{ "0101", "330205001001003", JL_CITY, "330205.ZF", 3, 1,
		    "at the city level" },
		/* the community's row (10) is below the district */
		{ "1105", "330203001001001", JL_DISTRICT, "330203.ZJ", 8, 0,
		    NULL },
		{ "1106", "330205001001002", JL_DISTRICT, "330200.SW", 12, 0,
		    NULL },
	};
	struct refdata		*rd;
	struct route		 r;
	const struct duty	*u;
	const char		*dir;
	char			 err[256];
	size_t			 i;
	int			 bad = 0, below;

	(void)state;
	dir = tu_tmpdir();
	mc_write(dir);
	rd = load_dir(dir);
	for (i = 0; i < NITEMS(rows); i++) {
		if (route_case_at(rd, rows[i].category, rows[i].grid,
		    rows[i].level, &r, err, sizeof err) != 0) {
			print_error("row %zu: %s\n", i, err);
			bad++;
			continue;
		}
		if (strcmp(r.lead->code, rows[i].lead) != 0 ||
		    r.duty->line != rows[i].line || r.below != rows[i].below ||
		    !cites_line(r.reason, rows[i].line) ||
		    (rows[i].says != NULL && strstr(r.reason,
		    rows[i].says) == NULL)) {
			print_error("row %zu: %s line %ld below %d \"%s\"; "
			    "want %s line %ld below %d\n", i, r.lead->code,
			    r.duty->line, r.below, r.reason, rows[i].lead,
			    rows[i].line, rows[i].below);
			bad++;
		}
		u = route_find_at(rd, r.category, r.grid, rows[i].level,
		    &below);
		if (u != r.duty || below != r.below) {
			print_error("row %zu: route_find_at disagrees\n", i);
			bad++;
		}
	}
	refdata_free(rd);
	tu_rmtree(dir);
	assert_int_equal(bad, 0);
}

/* A gap: route_case refuses with GL_ENOTFOUND, route_find gives NULL. */
static void
test_gap(void **state)
{
	const char *lines[MC_MAXLINES];
	struct refdata	*rd;
	struct route	 r;
	const char	*dir;
	char		 err[256] = "";
	size_t		 i, n = 0;

	(void)state;
	/* duty.tsv without line 12, the only 1106 row */
	for (i = 0; mc_fixture[8].lines[i] != NULL; i++)
		if (i != 11)
			lines[n++] = mc_fixture[8].lines[i];
	lines[n] = NULL;
	assert_string_equal(mc_fixture[8].name, "duty.tsv");
	dir = tu_tmpdir();
	mc_write(dir);
	mc_write_lines(dir, "duty.tsv", (const char *const *)lines);
	rd = load_dir(dir);
	assert_int_equal(route_case(rd, "1106", "330205001001002", &r, err,
	    sizeof err), GL_ENOTFOUND);
	assert_non_null(strstr(err, "1106"));
	assert_non_null(strstr(err, "330205001001002"));
	assert_null(route_find(rd, refdata_category(rd, "1106"),
	    refdata_juris(rd, "330205001001002")));
	/* the other categories still route */
	assert_int_equal(route_case(rd, "1103", "330205001001002", &r, err,
	    sizeof err), 0);
	refdata_free(rd);
	tu_rmtree(dir);
}

/* The nearest ancestor of g with a row for c, found by scanning every row
 * (not through the lookup map route_find uses). */
static const struct duty *
nearest_row(const struct refdata *rd, const struct category *c,
    const struct juris *g)
{
	const struct juris	*j;
	const struct duty	*u;
	size_t			 k;

	for (j = g; j != NULL; j = j->parent)
		for (k = 0; k < refdata_duty_count(rd); k++) {
			u = refdata_duty_at(rd, k);
			if (u->category == c && u->juris == j)
				return u;
		}
	return NULL;
}

static void
test_shipped(void **state)
{
	struct refdata		*rd;
	const struct juris	*g, *j;
	const struct category	*c;
	const struct duty	*u, *want;
	struct route		 r;
	char			 err[256];
	size_t			 gi, ci, ng, nc, missing = 0, checked = 0;
	int			 bad = 0;

	(void)state;
	rd = load_dir(tu_datadir());
	ng = refdata_level_count(rd, JL_GRID);
	nc = refdata_category_count(rd);
	assert_int_equal(ng, 7368);
	assert_true(nc > 0);
	for (gi = 0; gi < ng; gi++) {
		g = refdata_level_at(rd, JL_GRID, gi);
		for (ci = 0; ci < nc; ci++) {
			c = refdata_category_at(rd, ci);
			if ((u = route_find(rd, c, g)) == NULL) {
				if (missing++ < 10)
					print_error("no route: %s %s\n",
					    c->code, g->code);
				continue;
			}
			/* a sample: every 101st pair */
			if ((gi * nc + ci) % 101 != 0)
				continue;
			checked++;
			for (j = g; j != NULL && j != u->juris; j = j->parent)
				;
			want = nearest_row(rd, c, g);
			if (j == NULL || u != want || u->category != c) {
				print_error("%s %s: decided by %s line %ld, "
				    "want line %ld\n", c->code, g->code,
				    u->juris->code, u->line,
				    want ? want->line : 0L);
				bad++;
				continue;
			}
			if (route_case(rd, c->code, g->code, &r, err,
			    sizeof err) != 0 || r.duty != u ||
			    !cites_line(r.reason, u->line) ||
			    strstr(r.reason, u->lead->code) == NULL ||
			    strstr(r.reason, u->lead->name) == NULL) {
				print_error("%s %s: reason \"%s\" %s\n",
				    c->code, g->code, r.reason, err);
				bad++;
			}
		}
	}
	assert_int_equal(missing, 0);
	assert_true(checked > 5000);
	assert_int_equal(bad, 0);
	refdata_free(rd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
