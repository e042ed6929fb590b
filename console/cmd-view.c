/*
 * cmd-view.c: opening and closing views: the case view, boards, help,
 * messages and the finished cases; `back` and `quit`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "view.h"

static void
cmd_view(struct console *c, int argc, char **argv)
{
	struct mcase	*m = console_selected(c);

	(void)argc, (void)argv;
	if (m == NULL) {
		console_message(c, ROLE_DIM, "%s", _("no case selected"));
		return;
	}
	console_push(c, view_case_new(c, m->no));
}

/* back: close the view on top; at the queue, clear the filter. */
static void
cmd_back(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	if (c->nviews > 1)
		console_pop(c);
	else if (c->filter.label[0] != '\0') {
		console_set_filter(c, NULL);
		console_message(c, ROLE_NORMAL, "%s", _("filter off: every "
		    "open case"));
	}
}

/* quit [--now]: close the view on top; at the queue, leave (asking). */
static void
cmd_quit(struct console *c, int argc, char **argv)
{
	int	now = argc > 1 && strcmp(argv[1], "--now") == 0;

	if (c->nviews > 1 && !now)
		console_pop(c);
	else if (now || c->act.confirmed)
		console_quit(c);
	else
		console_ask(c, _("Leave the console? (y: leave, any other key: "
		    "stay)"), "quit --now");
}

static void
cmd_board(struct console *c, int argc, char **argv)
{
	enum board	kind = BOARD_AGENCY;
	int		top = view_board_kind(console_top(c));

	if (argc > 1 && strcmp(argv[1], "township") == 0)
		kind = BOARD_TOWNSHIP;
	else if (argc > 1 && strcmp(argv[1], "agency") != 0) {
		console_message(c, ROLE_ERROR, _("no board '%s': agency or "
		    "township"), argv[1]);
		return;
	} else if (argc == 1 && top == BOARD_AGENCY)
		kind = BOARD_TOWNSHIP;	/* b again: the other board */
	else if (argc == 1 && top == BOARD_TOWNSHIP) {
		console_pop(c);		/* b a third time: back */
		return;
	}
	if (top >= 0)
		console_pop(c);
	console_push(c, view_board_new(kind));
}

/* report [today|week|month] [agency|township], in either order; alone:
 * today by agency, or on a report view the next period. */
static void
cmd_report(struct console *c, int argc, char **argv)
{
	enum report_period	 p = REPORT_TODAY, tp;
	enum board		 kind = BOARD_AGENCY, tk;
	int			 i, on = view_report_is(console_top(c), &tp, &tk);

	if (argc == 1 && on) {
		p = (enum report_period)((tp + 1) % 3);
		kind = tk;
	}
	for (i = 1; i < argc; i++) {
		if (view_report_period(argv[i]) >= 0)
			p = (enum report_period)view_report_period(argv[i]);
		else if (strcmp(argv[i], "agency") == 0)
			kind = BOARD_AGENCY;
		else if (strcmp(argv[i], "township") == 0)
			kind = BOARD_TOWNSHIP;
		else {
			console_message(c, ROLE_ERROR, _("report: '%s' is not "
			    "one of today, week, month, agency, township"),
			    argv[i]);
			return;
		}
	}
	if (on)
		console_pop(c);
	console_push(c, view_report_new(p, kind));
}

/* What the command of a binding does: its first word's help, the
 * action's name, or for `prompt WORD` what the line will run. */
static const char *
help_of(const char *line)
{
	char		 word[64];
	size_t		 k, len = strcspn(line, " ");
	enum case_action a;

	snprintf(word, sizeof word, "%.*s", (int)len, line);
	if (strcmp(word, "prompt") == 0 && line[len] == ' ')
		return help_of(line + len + 1);
	for (k = 0; k < cmd_count(); k++)
		if (strcmp(cmd_at(k)->name, word) == 0)
			return _(cmd_at(k)->help);
	if (case_action_parse(word, &a) == 0)
		return word_action(a);
	return "";
}

/* The help: the keys, the commands, the actions, the marks. */
static void
cmd_help(struct console *c, int argc, char **argv)
{
	char		*lines[KEYS_MAX + 65 + CA__COUNT], buf[KEYS_MAX + 65 +
			    CA__COUNT][256];
	const struct cmd_entry *e;
	const struct key_binding *b;
	size_t		 n = 0, i;

	(void)argc, (void)argv;
	snprintf(buf[n++], 256, "%s", _("Row marks: ! overdue  ~ due within "
	    "the hour  ^ urgent"));
	snprintf(buf[n++], 256, "%s", _("           + new  # disputed (returned "
	    "twice or more)"));
	snprintf(buf[n++], 256, "%s", _("           ? dispatched, not "
	    "acknowledged within set ack-timeout"));
	snprintf(buf[n++], 256, "%s", _("Keys:"));
	for (i = 0; i < c->conf.keys.n; i++) {
		b = &c->conf.keys.b[i];
		snprintf(buf[n++], 256, "  %-10s %-22s %s", b->name, b->cmd,
		    help_of(b->cmd));
	}
	snprintf(buf[n++], 256, "%s", _("Commands (type : then the name; Tab "
	    "completes):"));
	for (i = 0; i < cmd_count(); i++) {
		e = cmd_at(i);
		snprintf(buf[n++], 256, "  :%s %s  %s", e->name, e->args,
		    _(e->help));
	}
	snprintf(buf[n++], 256, "%s", _("Lifecycle actions on the selected "
	    "case (: then the name, English or Chinese):"));
	for (i = 1; i < CA__COUNT; i++)
		snprintf(buf[n++], 256, "  :%s  %s%s", case_action_name(
		    (enum case_action)i), word_action((int)i),
		    console_may(c, (enum case_action)i) ? "" :
		    _("  (not for your role)"));
	for (i = 0; i < n; i++)
		lines[i] = buf[i];
	console_push(c, view_text_new(_("help"), lines, n));
}

static void
cmd_messages(struct console *c, int argc, char **argv)
{
	char	*lines[MSG_KEEP];
	size_t	 i, n = c->msgs.n;

	(void)argc, (void)argv;
	for (i = 0; i < n; i++)		/* oldest first */
		lines[i] = c->msgs.old[(c->msgs.head + MSG_KEEP - n + i) %
		    MSG_KEEP];
	console_push(c, view_text_new(_("messages"), lines, n));
}

static void
cmd_finished(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	console_push(c, view_list_new(_("closed, voided and merged cases"),
	    NULL));
}

static void
cmd_prompt(struct console *c, int argc, char **argv)
{
	char	text[256] = "";
	int	i;

	for (i = 1; i < argc; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text),
		    "%s ", argv[i]);
	console_prompt(c, L':', text);
}

const struct cmd_entry cmd_view_entry = { "view", "",
	N_("open the selected case"), cmd_view };
const struct cmd_entry cmd_back_entry = { "back", "",
	N_("close the view on top (at the queue: clear the filter)"),
	cmd_back };
const struct cmd_entry cmd_quit_entry = { "quit", "[--now]",
	N_("close the view on top; at the queue leave (asks first)"),
	cmd_quit };
const struct cmd_entry cmd_help_entry = { "help", "",
	N_("keys, commands and marks"), cmd_help };
const struct cmd_entry cmd_board_entry = { "board", "[agency|township]",
	N_("agency and township boards"), cmd_board };
const struct cmd_entry cmd_report_entry = { "report",
	"[today|week|month] [agency|township]",
	N_("the figures ranked, with bars (again: the next period)"),
	cmd_report };
const struct cmd_entry cmd_messages_entry = { "messages", "",
	N_("the messages shown before"), cmd_messages };
const struct cmd_entry cmd_finished_entry = { "finished", "",
	N_("closed, voided and merged cases"), cmd_finished };
const struct cmd_entry cmd_prompt_entry = { "prompt", "[TEXT]",
	N_("type a command"), cmd_prompt };
