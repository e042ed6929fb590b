/*
 * argv.c: a command line into words and words back into a line (see
 * argv.h).
 */
#include <stdio.h>
#include <string.h>

#include "argv.h"

int
argv_split(char *line, char **argv, int max)
{
	int	 argc = 0;
	char	*p = line;

	while (argc < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return argc;
}

const char *
argv_join(int argc, char **argv, int from, char *buf, size_t len)
{
	int	i;

	buf[0] = '\0';
	for (i = from; i < argc; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i > from ? " " : "", argv[i]);
	return buf[0] != '\0' ? buf : NULL;
}
