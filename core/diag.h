/*
 * diag.h: a list of problems found in input, each tied to file:line.
 *
 * Loading reference data must report every problem at once (an official
 * fixing a spreadsheet wants the whole list, not one error per run), so
 * loaders append to a diag instead of stopping at the first error.
 */
#ifndef GL_DIAG_H
#define GL_DIAG_H

#include <stddef.h>

struct diag_item {
	char	*file;		/* path as given to the loader */
	long	 line;		/* 1-based; 0 when the problem has no line */
	char	*msg;
};

struct diag {
	struct diag_item *items;
	size_t		  n;
	size_t		  cap;
	int		  unreadable;	/* a file could not be read at all */
};

void	diag_init(struct diag *d);
void	diag_free(struct diag *d);	/* frees items; d itself is the caller's */

/* Append one problem; out of memory is recorded as a message-less item. */
void	diag_add(struct diag *d, const char *file, long line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Every item as "file:line: msg", one a line, into buf (cut at len). */
void	diag_text(const struct diag *d, char *buf, size_t len);

/* Write "file:line: msg" for item i into buf (truncated to len). */
void	diag_format(const struct diag *d, size_t i, char *buf, size_t len);

#endif
