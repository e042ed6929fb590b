/*
 * cmd.c: the command table, running a command line, and completion (see
 * cmd.h).
 *
 * The commands live in files by kind (cmd-move.c: moving; cmd-view.c:
 * opening and closing views; cmd-find.c: finding and filtering;
 * cmd-action.c: the lifecycle actions) rather than one file each as tmux
 * does: most are five lines, and their kinds share helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console.h"
#include "lifecycle.h"
#include "prompt.h"

static const struct cmd_entry *const cmd_table[] = {
	&cmd_down_entry, &cmd_up_entry, &cmd_page_down_entry,
	&cmd_page_up_entry, &cmd_top_entry, &cmd_bottom_entry,
	&cmd_next_entry, &cmd_prev_entry,
	&cmd_view_entry, &cmd_back_entry, &cmd_quit_entry, &cmd_help_entry,
	&cmd_board_entry, &cmd_messages_entry, &cmd_finished_entry,
	&cmd_prompt_entry,
	&cmd_case_entry, &cmd_search_entry, &cmd_filter_entry,
	&cmd_sort_entry, &cmd_bell_entry, &cmd_mouse_entry,
};

#define NCMDS	(sizeof cmd_table / sizeof cmd_table[0])

size_t
cmd_count(void)
{
	return NCMDS;
}

const struct cmd_entry *
cmd_at(size_t i)
{
	return i < NCMDS ? cmd_table[i] : NULL;
}

int
cmd_split(char *line, char **argv, int max)
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
cmd_join(int argc, char **argv, int from, char *buf, size_t len)
{
	int	i;

	buf[0] = '\0';
	for (i = from; i < argc; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i > from ? " " : "", argv[i]);
	return buf[0] != '\0' ? buf : NULL;
}

static const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(name, cmd_table[i]->name) == 0)
			return cmd_table[i];
	return NULL;
}

int
cmd_known(const char *line)
{
	char		 buf[256], *argv[2];
	enum case_action a;

	snprintf(buf, sizeof buf, "%s", line);
	if (cmd_split(buf, argv, 2) == 0)
		return 0;
	return cmd_find(argv[0]) != NULL || (case_action_parse(argv[0],
	    &a) == 0 && a != CA_REPORT);
}

static int
cmd_run_line(struct console *c, const char *line)
{
	const struct cmd_entry	*e;
	char			 buf[1024], *argv[32];
	enum case_action	 a;
	int			 argc;

	snprintf(buf, sizeof buf, "%s", line);
	if ((argc = cmd_split(buf, argv, 32)) == 0)
		return 0;
	if ((e = cmd_find(argv[0])) != NULL) {
		e->exec(c, argc, argv);
		return 0;
	}
	if (case_action_parse(argv[0], &a) == 0 && a != CA_REPORT) {
		argv[0] = (char *)case_action_name(a);	/* 派遣 -> dispatch */
		cmd_action(c, argc, argv);
		return 0;
	}
	console_message(c, ROLE_ERROR, _("unknown command: %s (? lists the "
	    "keys, Tab completes)"), argv[0]);
	return -1;
}

int
cmd_run(struct console *c, const char *line)
{
	c->act.confirmed = 0;
	return cmd_run_line(c, line);
}

int
cmd_run_confirmed(struct console *c, const char *line)
{
	int	rc;

	c->act.confirmed = 1;
	rc = cmd_run_line(c, line);
	c->act.confirmed = 0;
	return rc;
}

/* --- completion -------------------------------------------------------- */

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

	for (i = 0; i < NCMDS && n < max; i++)
		if (strncmp(cmd_table[i]->name, prefix, len) == 0)
			out[n++] = cmd_table[i]->name;
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
cmd_complete(struct console *c, const char *line, const char **out,
    size_t max)
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
	argc = cmd_split(buf, argv, 32);
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
