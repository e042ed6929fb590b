/*
 * tsv.h: read one tab-separated reference file, all or nothing.
 *
 * The reference data is edited in spreadsheets, so the reader is strict about
 * what would silently corrupt a list (bad UTF-8, a line with a field too many
 * or too few, a missing column) and lenient about what spreadsheets do (CR
 * before LF, columns in another order, extra note columns, comment lines).
 * A file with any bad line yields no table at all: a list is never half
 * loaded. Every problem goes to the caller's diag as file:line.
 */
#ifndef GL_TSV_H
#define GL_TSV_H

#include <stddef.h>

#include "diag.h"

struct tsv_row {
	long	  line;		/* line number in the file, 1-based */
	char	**f;		/* ncols fields, NUL-terminated, into buf */
};

struct tsv {
	char		 *path;		/* as given */
	char		 *buf;		/* the file's bytes, split in place */
	char		**header;	/* ncols column names */
	size_t		  ncols;
	struct tsv_row	 *rows;		/* data rows, comments and blanks skipped */
	size_t		  nrows;
	char		**cells;	/* storage behind rows[].f */
};

/* Read path. required lists the column names the caller needs, ending with
 * NULL. Returns 0 with *out set (free with tsv_free); GL_EIO when the file
 * cannot be read (d->unreadable is set); GL_EPARSE when any line is bad
 * (each reported in d, *out stays NULL). */
int	tsv_load(const char *path, const char *const *required,
	    struct tsv **out, struct diag *d);
void	tsv_free(struct tsv *t);

/* Index of column name, or -1. */
int	tsv_col(const struct tsv *t, const char *name);

#endif
