/*
 * argv.h: command lines as words. Words are split at blanks, in place;
 * there is no quoting: the last words of an action are its free text
 * ("void 重复 上报"), joined again with single spaces.
 */
#ifndef GL_ARGV_H
#define GL_ARGV_H

#include <stddef.h>

/* Split line into words in place, at most max; their number. */
int		 argv_split(char *line, char **argv, int max);
/* argv[from..] joined by spaces into buf; NULL when there are none. */
const char	*argv_join(int argc, char **argv, int from, char *buf,
		    size_t len);

#endif
