/*
 * route.h: who leads a case, and why.
 *
 * The responsibility list gives, per category and jurisdiction, one lead
 * agency. A case's grid is walked upward (grid, community, township,
 * district, city) and the first jurisdiction with a row for the category
 * decides: a township's own unit before the district bureau before the city
 * department. The result always carries the row that decided, so a
 * dispatcher can be shown "duty.tsv:412 says so", never a bare answer.
 *
 * A case escalated to the district (or the city) is routed from there: the
 * walk starts at the grid's district (or the city), so the rows of the
 * township and below no longer decide and the district's lead is
 * suggested. Where the list has no row at or above that level, the grid's
 * own route stands, and the reason says the level had none.
 */
#ifndef GL_ROUTE_H
#define GL_ROUTE_H

#include <stddef.h>

#include "refdata.h"

struct route {
	const struct agency	*lead;
	const struct duty	*duty;		/* the deciding row */
	const struct juris	*grid;
	const struct category	*category;
	enum juris_level	 level;		/* the level routed at: JL_GRID
						   for a case not escalated */
	int			 below;		/* 1: no row at or above level;
						   the grid's own row decided */
	char			 reason[512];	/* one line, for people */
};

/* Route category code + grid code. Returns 0 and fills *out, or
 * GL_ENOTFOUND (unknown grid or category, or no row above the grid) with a
 * message in err. */
int	route_case(const struct refdata *rd, const char *category,
	    const char *grid, struct route *out, char *err, size_t errlen);

/* Route as route_case does, for a case handled at level: JL_TOWNSHIP or
 * below routes from the grid (a case that was never escalated), JL_DISTRICT
 * or JL_CITY from the grid's district or the city (see above). */
int	route_case_at(const struct refdata *rd, const char *category,
	    const char *grid, enum juris_level level, struct route *out,
	    char *err, size_t errlen);

/* The deciding row for already-resolved records, or NULL for a gap. */
const struct duty *route_find(const struct refdata *rd,
	    const struct category *c, const struct juris *grid);
/* The same at level, as route_case_at decides; *below (when not NULL) is
 * 1 when the level had no row and the grid's own row is returned. */
const struct duty *route_find_at(const struct refdata *rd,
	    const struct category *c, const struct juris *grid,
	    enum juris_level level, int *below);

#endif
