/*
 * sub-catalog.c: `gridline catalog WHAT`: the loaded reference data as TSV.
 *
 * For scripts: one header line, then one row per item, code first, in file
 * order. What is printed is what was loaded and checked, so a script never
 * has to parse the data/ TSV files itself (nor repeat the checker's rules).
 *
 * Names come from files other systems write: each field is printed in its
 * visible form with VIS_TAB (core/vis.h), so a control character or a tab
 * inside a name shows as a mark and never steers the terminal nor shifts
 * the columns. The loader checks that a name is UTF-8, not what it holds.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct catalog {
	const char	*name;
	const char	*header;
	void		(*print)(const struct refdata *rd);
};

/* One row: the n fields, visible, tab-separated. */
static void
catalog_row(const char *const *f, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			putchar('\t');
		cli_vis_put(stdout, f[i], VIS_TAB);
	}
	putchar('\n');
}

#define CATALOG_ROW(...)	do {					\
	const char *const catalog_f[] = { __VA_ARGS__ };		\
	catalog_row(catalog_f, sizeof catalog_f / sizeof catalog_f[0]);	\
} while (0)

static void
catalog_juris(const struct refdata *rd, enum juris_level l)
{
	const struct juris	*j;
	size_t			 i;

	for (i = 0; i < refdata_level_count(rd, l); i++) {
		j = refdata_level_at(rd, l, i);
		CATALOG_ROW(j->code, j->name, j->kind,
		    j->parent != NULL ? j->parent->code : "",
		    j->parent != NULL ? j->parent->name : "");
	}
}

static void
catalog_districts(const struct refdata *rd)
{
	catalog_juris(rd, JL_DISTRICT);
}

static void
catalog_townships(const struct refdata *rd)
{
	catalog_juris(rd, JL_TOWNSHIP);
}

static void
catalog_communities(const struct refdata *rd)
{
	catalog_juris(rd, JL_COMMUNITY);
}

static void
catalog_grids(const struct refdata *rd)
{
	const struct juris	*g, *t;
	size_t			 i;

	for (i = 0; i < refdata_level_count(rd, JL_GRID); i++) {
		g = refdata_level_at(rd, JL_GRID, i);
		t = g->parent->parent;
		CATALOG_ROW(g->code, g->name,
		    g->parent->code, t->code, t->name, t->parent->code,
		    g->generated ? "yes" : "no");
	}
}

static void
catalog_categories(const struct refdata *rd)
{
	const struct category	*c;
	char			 prio[16], limit[32];
	size_t			 i;

	for (i = 0; i < refdata_category_count(rd); i++) {
		c = refdata_category_at(rd, i);
		snprintf(prio, sizeof prio, "%d", c->priority);
		snprintf(limit, sizeof limit, "%ld", c->limit);
		CATALOG_ROW(c->code, c->name, c->klass->code, c->klass->name,
		    platform_name(c->platform), prio, limit,
		    calendar_unit_name(c->unit));
	}
}

static void
catalog_agencies(const struct refdata *rd)
{
	const struct agency	*a;
	size_t			 i;

	for (i = 0; i < refdata_agency_count(rd); i++) {
		a = refdata_agency_at(rd, i);
		CATALOG_ROW(a->code, a->name,
		    juris_level_name(a->level), a->home->code,
		    agency_kind_name(a->kind),
		    a->parent != NULL ? a->parent->code : "");
	}
}

static const struct catalog catalogs[] = {
	{ "districts", "code\tname\tkind\tcity\tcity_name", catalog_districts },
	{ "townships", "code\tname\tkind\tdistrict\tdistrict_name",
	    catalog_townships },
	{ "communities", "code\tname\tkind\ttownship\ttownship_name",
	    catalog_communities },
	{ "grids", "code\tname\tcommunity\ttownship\ttownship_name\tdistrict"
	    "\tgenerated", catalog_grids },
	{ "categories", "code\tname\tclass\tclass_name\tplatform\tpriority\t"
	    "limit\tunit", catalog_categories },
	{ "agencies", "code\tname\tlevel\tjurisdiction\tkind\tparent",
	    catalog_agencies },
};

static int
catalog_exec(struct gridline *gl, int argc, char **argv)
{
	struct refdata	*rd;
	char		 vname[256];
	size_t		 i;
	int		 ex;

	if (argc != 2)
		return cli_usage(&sub_catalog);
	for (i = 0; i < sizeof catalogs / sizeof catalogs[0]; i++)
		if (strcmp(argv[1], catalogs[i].name) == 0)
			break;
	if (i == sizeof catalogs / sizeof catalogs[0]) {
		fprintf(stderr, _("gridline catalog: unknown catalogue '%s' "
		    "(districts, townships, communities, grids, categories, "
		    "agencies)\n"), cli_vis(argv[1], vname, sizeof vname));
		return EXIT_USAGE;
	}
	if ((ex = cli_load(gl, cli_data_dir(NULL), &rd)) != EXIT_OK)
		return ex;
	printf("%s\n", catalogs[i].header);
	catalogs[i].print(rd);
	refdata_free(rd);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

const struct subcmd sub_catalog = {
	"catalog", "WHAT",
	N_("print loaded reference data as TSV, code first"),
	catalog_exec
};
