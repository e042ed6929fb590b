/*
 * complete.h: completing the word being typed on the command line.
 */
#ifndef GL_COMPLETE_H
#define GL_COMPLETE_H

#include <stddef.h>

#include "console.h"

/* The candidates for the last word of line (static strings or the
 * console's own), at most max, into out; their number. */
size_t	complete(struct console *c, const char *line, const char **out,
	    size_t max);

#endif
