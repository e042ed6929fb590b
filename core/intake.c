/*
 * intake.c: resolve an incident's codes (see intake.h).
 */
#include "error.h"
#include "intake.h"

int
intake_resolve(const struct refdata *rd, struct incident *in, char *err,
    size_t errlen)
{
	const struct juris	*g;
	const struct category	*c;

	if (in->grid == NULL ||
	    (g = refdata_juris(rd, in->grid)) == NULL || g->level != JL_GRID)
		return gl_err(err, errlen, GL_ENOTFOUND, "grid: '%s' is not a "
		    "known grid code", in->grid ? in->grid : "");
	if (in->category == NULL ||
	    (c = refdata_category(rd, in->category)) == NULL)
		return gl_err(err, errlen, GL_ENOTFOUND, "category: '%s' is "
		    "not a known category code",
		    in->category ? in->category : "");
	if (in->priority < 0 || in->priority > 3)
		return gl_err(err, errlen, GL_EINVAL, "priority: %d is not 1, "
		    "2 or 3", in->priority);
	in->township = g->parent->parent->code;
	in->district = juris_district(g)->code;
	in->limit = c->limit;
	in->unit = c->unit;
	if (in->priority == 0)
		in->priority = c->priority;
	return 0;
}
