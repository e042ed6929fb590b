/*
 * figjson.h: the evaluation figures (core/figures.h) as JSON, the one
 * shape `gridline report --format json` prints and the control op
 * `report` answers (docs/REPORTS.md "Formats", docs/PROTOCOL.md).
 *
 * Here, in net/proto, because both sides need it and core/ knows nothing
 * of jansson: the server's report op (net/server/ops.c) and the report
 * subcommand (cli/sub-report.c) build the same object, so a figure added
 * to the column table appears in both under one name. The column table
 * is exported as well: the subcommand's terminal table and CSV walk it.
 */
#ifndef GL_FIGJSON_H
#define GL_FIGJSON_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "figures.h"
#include "refdata.h"

enum figjson_kind { FJ_COUNT, FJ_RATE, FJ_MEAN, FJ_TIME };

/* One figure: its machine name (CSV header, JSON key), its heading for a
 * table (an English msgid, marked for gettext), and where it is in struct
 * figures_group. */
struct figjson_col {
	const char	*key;
	const char	*head;
	enum figjson_kind kind;
	size_t		 a, b;		/* count, or rate's num and den, or
					   the times */
	int		 table;		/* shown in the terminal table */
};

/* The column table. */
#define FIGJSON_NCOLS	31
extern const struct figjson_col figjson_cols[FIGJSON_NCOLS];

/* A count, or the times, of a group at a column's offset. */
long	figjson_long(const struct figures_group *g, size_t off);
const struct figures_times *figjson_times(const struct figures_group *g,
	    size_t off);

/* The display name of a group's key under grouping by: the reference
 * data's name of the agency, township, district or category, else the
 * key; none_name for the empty key. */
const char *figjson_name(const struct refdata *rd, enum figures_by by,
	    const char *key, const char *none_name);

/* What to shape. */
struct figjson_query {
	time_t		 from, to;
	enum figures_by	 by;
	long		 min;		/* under it: too few */
	const struct refdata *rd;	/* names; NULL: the keys */
	const char	*only;		/* keep only this group (an operator's
					   reach), and make it the total;
					   NULL: every group, and the total */
	const char	*none;		/* the name of the empty key (no
					   agency); NULL: "(none)" */
};

/* {from, to, by, min, groups: [...], total} for f, a new object the
 * caller owns; NULL when memory runs out. */
json_t	*figjson_report(const struct figures *f, const struct figjson_query *q);

#endif
