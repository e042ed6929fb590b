/*
 * route.c: routing by the responsibility list (see route.h).
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "route.h"

const struct duty *
route_find(const struct refdata *rd, const struct category *c,
    const struct juris *grid)
{
	const struct juris	*j;
	const struct duty	*u;

	for (j = grid; j != NULL; j = j->parent)
		if ((u = refdata_duty(rd, c, j)) != NULL)
			return u;
	return NULL;
}

int
route_case(const struct refdata *rd, const char *category, const char *grid,
    struct route *out, char *err, size_t errlen)
{
	const struct category	*c;
	const struct juris	*g;
	const struct duty	*u;
	const char		*file;

	memset(out, 0, sizeof *out);
	if ((c = refdata_category(rd, category)) == NULL)
		return gl_err(err, errlen, GL_ENOTFOUND,
		    "unknown category '%s'", category);
	if ((g = refdata_juris(rd, grid)) == NULL || g->level != JL_GRID)
		return gl_err(err, errlen, GL_ENOTFOUND,
		    "unknown grid '%s'", grid);
	if ((u = route_find(rd, c, g)) == NULL)
		return gl_err(err, errlen, GL_ENOTFOUND, "no lead agency for "
		    "%s (%s) in grid %s: the responsibility list has a gap",
		    c->name, c->code, g->code);
	out->lead = u->lead;
	out->duty = u;
	out->grid = g;
	out->category = c;
	/* the file's name, not its path: "duty.tsv:412" is what an official
	 * looks up, wherever the data is installed */
	file = strrchr(u->file, '/') != NULL ? strrchr(u->file, '/') + 1 :
	    u->file;
	snprintf(out->reason, sizeof out->reason,
	    "%s:%ld: %s (%s) in %s (%s) is led by %s (%s)", file, u->line,
	    c->name, c->code, u->juris->name, u->juris->code, u->lead->name,
	    u->lead->code);
	return 0;
}
