/*
 * complete.c: Tab on the command line (see complete.h): the first word
 * from the command table and the lifecycle actions, then what the command
 * takes: reason codes, agencies by code or name, case numbers, boards,
 * filter words.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "lifecycle.h"

static size_t
complete_words(const char *const *words, size_t nwords, const char *prefix,
    const char **out, size_t n, size_t max)
{
	size_t	i, len = strlen(prefix);

	for (i = 0; i < nwords && n < max; i++)
		if (strncmp(words[i], prefix, len) == 0)
			out[n++] = words[i];
	return n;
}

static size_t
complete_first(const char *prefix, const char **out, size_t max)
{
	size_t		 i, n = 0, len = strlen(prefix);
	const char	*name;

	for (i = 0; i < cmd_count() && n < max; i++)
		if (strncmp(cmd_at(i)->name, prefix, len) == 0)
			out[n++] = cmd_at(i)->name;
	for (i = 0; i < CA__COUNT && n < max; i++) {
		name = case_action_name((enum case_action)i);
		if (i != CA_REPORT && strncmp(name, prefix, len) == 0)
			out[n++] = name;
	}
	return n;
}

static size_t
complete_agency(struct console *c, const char *prefix, const char **out,
    size_t max)
{
	static char	 codes[64][64];
	size_t		 i, n = 0, len = strlen(prefix), k;
	const char	*a, *tab;

	for (i = 0; i < c->link.nagencies && n < max && n < 64; i++) {
		a = c->link.agencies[i];
		if ((tab = strchr(a, '\t')) == NULL)
			continue;
		k = (size_t)(tab - a);
		if ((k >= len && strncmp(a, prefix, len) == 0) ||
		    strncmp(tab + 1, prefix, len) == 0 ||
		    (len > 0 && strstr(tab + 1, prefix) != NULL)) {
			snprintf(codes[n], sizeof codes[n], "%.*s", (int)k, a);
			out[n] = codes[n];
			n++;
		}
	}
	return n;
}

static size_t
complete_case(struct console *c, const char *prefix, const char **out,
    size_t max)
{
	size_t	i, n = 0, len = strlen(prefix);

	for (i = 0; i < model_open_count(c->model) && n < max; i++)
		if (strncmp(model_open_at(c->model, i)->no, prefix, len) == 0)
			out[n++] = model_open_at(c->model, i)->no;
	return n;
}

size_t
complete(struct console *c, const char *line, const char **out, size_t max)
{
	static const char *const reasons[] = {
#define RR_NAME(e, name, zh) name,
		RETURN_REASON_LIST(RR_NAME)
#undef RR_NAME
	};
	static const char *const boards[] = { "agency", "township" };
	static const char *const filters[] = { "overdue", "dup", "disputed",
		"state=" };
	char		 buf[1024], *argv[32];
	const char	*last;
	enum case_action a;
	int		 argc, ends = line[0] != '\0' &&
			    line[strlen(line) - 1] == ' ';

	snprintf(buf, sizeof buf, "%s", line);
	argc = argv_split(buf, argv, 32);
	if (argc == 0 || (argc == 1 && !ends))
		return complete_first(argc ? argv[0] : "", out, max);
	last = ends ? "" : argv[argc - 1];
	if (case_action_parse(argv[0], &a) == 0) {
		if (a == CA_RETURN && (argc == 1 || (argc == 2 && !ends)))
			return complete_words(reasons, RR__COUNT, last, out, 0,
			    max);
		if (a == CA_DISPATCH && (argc == 1 || (argc == 2 && !ends)))
			return complete_agency(c, last, out, max);
		if (a == CA_MERGE && (argc == 1 || (argc == 2 && !ends)))
			return complete_case(c, last, out, max);
		return 0;
	}
	if (strcmp(argv[0], "case") == 0)
		return complete_case(c, last, out, max);
	if (strcmp(argv[0], "board") == 0)
		return complete_words(boards, 2, last, out, 0, max);
	if (strcmp(argv[0], "filter") == 0)
		return complete_words(filters, 4, last, out, 0, max);
	return 0;
}
