/*
 * route.h: who leads a case, and why.
 *
 * The responsibility list gives, per category and jurisdiction, one lead
 * agency. A case's grid is walked upward (grid, community, township,
 * district, city) and the first jurisdiction with a row for the category
 * decides: a township's own unit before the district bureau before the city
 * department. The result always carries the row that decided, so a
 * dispatcher can be shown "duty.tsv:412 says so", never a bare answer.
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
	char			 reason[512];	/* one line, for people */
};

/* Route category code + grid code. Returns 0 and fills *out, or
 * GL_ENOTFOUND (unknown grid or category, or no row above the grid) with a
 * message in err. */
int	route_case(const struct refdata *rd, const char *category,
	    const char *grid, struct route *out, char *err, size_t errlen);

/* The deciding row for already-resolved records, or NULL for a gap. */
const struct duty *route_find(const struct refdata *rd,
	    const struct category *c, const struct juris *grid);

#endif
