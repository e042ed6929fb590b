/*
 * cmd.h: the console's commands.
 *
 * As in tmux, keys are bound to command strings and the `:` line runs the
 * same commands by name. Each command is one const entry (name, arguments,
 * help, function) defined in the cmd-*.c file of its kind; cmd.c lists
 * them in one table. Every lifecycle action of core/lifecycle.c is a
 * command too, by its English name or its Chinese one (cmd-action.c).
 * Commands change the model or the view stack and send requests; they
 * never draw.
 */
#ifndef GL_CMD_H
#define GL_CMD_H

#include <stddef.h>

#include "argv.h"
#include "console.h"

struct cmd_entry {
	const char	*name;
	const char	*args;		/* usage of the arguments */
	const char	*help;		/* N_() text */
	void		(*exec)(struct console *c, int argc, char **argv);
};

/* The table (cmd.c), for help, completion and the man page test. */
size_t		 cmd_count(void);
const struct cmd_entry *cmd_at(size_t i);

/* Run a command line; 0, or -1 when the command is unknown (said on the
 * message line). confirmed: the user said yes to it already. */
int		 cmd_run(struct console *c, const char *line);
int		 cmd_run_confirmed(struct console *c, const char *line);
/* 1 when the first word of line names a command or action. */
int		 cmd_known(const char *line);



/* The words for the user: in the user's language (words.c). */
const char	*word_state(int state);
const char	*word_state_short(int state);	/* <= 10 columns */
const char	*word_action(int action);
/* A call-back's result in the user's language (enum callback_result). */
const char	*word_callback(int result);
const char	*word_reason(const char *code);
/* Where a report came from (grid-app, hotline, sensor, web). */
const char	*word_source(const char *source);
/* A time limit's unit as the server names it, in the user's words. */
const char	*word_unit(const char *unit);
/* Why the list suggests a lead, from the case's route object. */
void		 word_route(json_t *route, char *buf, size_t len);
/* A refusal from the server worded from its code and params. */
void		 word_refusal(json_t *error, char *buf, size_t len);
/* A role's name ("dispatcher") in the user's words. */
const char	*word_role(const char *role);

/* The entries, one per command. */
extern const struct cmd_entry cmd_down_entry, cmd_up_entry,
    cmd_page_down_entry, cmd_page_up_entry, cmd_top_entry,
    cmd_bottom_entry, cmd_next_entry, cmd_prev_entry;
extern const struct cmd_entry cmd_view_entry, cmd_back_entry,
    cmd_quit_entry, cmd_help_entry, cmd_board_entry, cmd_report_entry,
    cmd_messages_entry,
    cmd_finished_entry, cmd_prompt_entry;
extern const struct cmd_entry cmd_case_entry, cmd_search_entry,
    cmd_filter_entry, cmd_sort_entry, cmd_bell_entry, cmd_mouse_entry;
extern const struct cmd_entry cmd_rate_entry;
/* Lifecycle actions: not in the table, found by case_action_parse. */
void		 cmd_action(struct console *c, int argc, char **argv);

#endif
