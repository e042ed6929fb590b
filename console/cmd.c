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

#include "argv.h"
#include "cmd.h"
#include "console.h"
#include "lifecycle.h"

static const struct cmd_entry *const cmd_table[] = {
	&cmd_down_entry, &cmd_up_entry, &cmd_page_down_entry,
	&cmd_page_up_entry, &cmd_top_entry, &cmd_bottom_entry,
	&cmd_next_entry, &cmd_prev_entry,
	&cmd_view_entry, &cmd_back_entry, &cmd_quit_entry, &cmd_help_entry,
	&cmd_board_entry, &cmd_report_entry, &cmd_messages_entry,
	&cmd_finished_entry,
	&cmd_prompt_entry,
	&cmd_case_entry, &cmd_search_entry, &cmd_filter_entry,
	&cmd_sort_entry, &cmd_bell_entry, &cmd_mouse_entry,
	&cmd_rate_entry,
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
	if (argv_split(buf, argv, 2) == 0)
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
	if ((argc = argv_split(buf, argv, 32)) == 0)
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
