/*
 * route.c: routing by the responsibility list (see route.h).
 *
 * An escalated case is routed by starting the same upward walk higher, not
 * by a second kind of lookup: "the district's row for this category, else
 * the city's" is the walk from the district, and the rule of precedence
 * stays one rule.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "route.h"

/* Where the walk for a case handled at level starts: the grid for a case
 * that was not escalated, else the grid's ancestor at that level. */
static const struct juris *
route_start(const struct juris *grid, enum juris_level level)
{
	const struct juris	*j = grid;

	if (level >= JL_TOWNSHIP)
		return grid;
	while (j != NULL && j->level > level)
		j = j->parent;
	return j;
}

static const struct duty *
route_walk(const struct refdata *rd, const struct category *c,
    const struct juris *from)
{
	const struct juris	*j;
	const struct duty	*u;

	for (j = from; j != NULL; j = j->parent)
		if ((u = refdata_duty(rd, c, j)) != NULL)
			return u;
	return NULL;
}

const struct duty *
route_find(const struct refdata *rd, const struct category *c,
    const struct juris *grid)
{
	return route_walk(rd, c, grid);
}

const struct duty *
route_find_at(const struct refdata *rd, const struct category *c,
    const struct juris *grid, enum juris_level level, int *below)
{
	const struct duty	*u;

	if (below != NULL)
		*below = 0;
	if (level >= JL_TOWNSHIP)
		return route_walk(rd, c, grid);
	if ((u = route_walk(rd, c, route_start(grid, level))) != NULL)
		return u;
	if ((u = route_walk(rd, c, grid)) != NULL && below != NULL)
		*below = 1;
	return u;
}

/* The file's name, not its path: "duty.tsv:412" is what an official looks
 * up, wherever the data is installed. */
static const char *
route_file(const struct duty *u)
{
	const char	*slash = strrchr(u->file, '/');

	return slash != NULL ? slash + 1 : u->file;
}

/* The reason: the row that decided and, for an escalated case, the level
 * it was routed at, or that the level had no row. */
static void
route_reason(struct route *out, const struct juris *at)
{
	const struct duty	*u = out->duty;
	const struct category	*c = out->category;
	char			 pre[256] = "";

	if (out->below)
		snprintf(pre, sizeof pre, "no row for %s (%s) at the %s level "
		    "(%s %s), so the grid's own: ", c->name, c->code,
		    juris_level_name(out->level), at != NULL ? at->name : "?",
		    at != NULL ? at->code : "?");
	else if (out->level < JL_TOWNSHIP)
		snprintf(pre, sizeof pre, "escalated to the %s: ",
		    juris_level_name(out->level));
	snprintf(out->reason, sizeof out->reason,
	    "%s%s:%ld: %s (%s) in %s (%s) is led by %s (%s)", pre,
	    route_file(u), u->line, c->name, c->code, u->juris->name,
	    u->juris->code, u->lead->name, u->lead->code);
}

int
route_case_at(const struct refdata *rd, const char *category,
    const char *grid, enum juris_level level, struct route *out, char *err,
    size_t errlen)
{
	const struct category	*c;
	const struct juris	*g;
	const struct duty	*u;

	memset(out, 0, sizeof *out);
	if ((c = refdata_category(rd, category)) == NULL)
		return gl_err(err, errlen, GL_ENOTFOUND,
		    "unknown category '%s'", category);
	if ((g = refdata_juris(rd, grid)) == NULL || g->level != JL_GRID)
		return gl_err(err, errlen, GL_ENOTFOUND,
		    "unknown grid '%s'", grid);
	if (level > JL_GRID)
		level = JL_GRID;
	if ((u = route_find_at(rd, c, g, level, &out->below)) == NULL)
		return gl_err(err, errlen, GL_ENOTFOUND, "no lead agency for "
		    "%s (%s) in grid %s: the responsibility list has a gap",
		    c->name, c->code, g->code);
	out->lead = u->lead;
	out->duty = u;
	out->grid = g;
	out->category = c;
	out->level = level < JL_TOWNSHIP ? level : JL_GRID;
	route_reason(out, route_start(g, level));
	return 0;
}

int
route_case(const struct refdata *rd, const char *category, const char *grid,
    struct route *out, char *err, size_t errlen)
{
	return route_case_at(rd, category, grid, JL_GRID, out, err, errlen);
}
