/*
 * check.h: the responsibility list's coverage check.
 *
 * Row-level problems (bad codes, unknown references, ties) are found while
 * loading; this adds the one rule that needs the whole set: for every grid
 * and every category, exactly one lead agency resolves. A gap is reported
 * once per uncovered region (a district with no row for a category is one
 * problem naming its first grid and how many grids lack a lead, not 1,000
 * lines).
 */
#ifndef GL_CHECK_H
#define GL_CHECK_H

#include "diag.h"
#include "refdata.h"

/* Append every gap to d; returns the number of gaps found. */
size_t	check_coverage(const struct refdata *rd, struct diag *d);

#endif
