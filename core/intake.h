/*
 * intake.h: checking a new incident against the reference data.
 *
 * The store takes incidents whose grid and category are already resolved
 * (it knows nothing of the reference data); this is the step between: it
 * checks the codes and fills in the township, district, time limit and
 * default priority from the tree and the category list.
 */
#ifndef GL_INTAKE_H
#define GL_INTAKE_H

#include <stddef.h>

#include "refdata.h"
#include "store.h"

/* Resolve in->grid and in->category. Fills township, district, limit, unit,
 * and priority when it is 0. Strings point into rd. Returns 0, or
 * GL_ENOTFOUND / GL_EINVAL naming the field. */
int	intake_resolve(const struct refdata *rd, struct incident *in,
	    char *err, size_t errlen);

#endif
