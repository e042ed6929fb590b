/*
 * cmd-move.c: moving the selection in the queue, and through a list of
 * results (n, N). Views that scroll take these commands first (view.h);
 * these run when the queue is on top.
 */
#include "cmd.h"
#include "view.h"

static void
cmd_move(struct console *c, const char *name)
{
	long	i = console_selected_index(c);

	console_select_at(c, view_move_pos(view_move_of(name), i < 0 ? 0 : i,
	    (long)model_count(c->model), console_queue_rows(c)));
}

static void
cmd_down(struct console *c, int argc, char **argv)
{
	(void)argc;
	cmd_move(c, argv[0]);
}

static void
cmd_step(struct console *c, int argc, char **argv)
{
	(void)argc;
	if (view_list_step(c, argv[0][0] == 'n' ? 1 : -1) != 0)
		console_message(c, ROLE_DIM, "%s", _("no list of results: / "
		    "searches"));
}

const struct cmd_entry cmd_down_entry = { "down", "", N_("next case"),
	cmd_down };
const struct cmd_entry cmd_up_entry = { "up", "", N_("previous case"),
	cmd_down };
const struct cmd_entry cmd_page_down_entry = { "page-down", "",
	N_("a page down"), cmd_down };
const struct cmd_entry cmd_page_up_entry = { "page-up", "", N_("a page up"),
	cmd_down };
const struct cmd_entry cmd_top_entry = { "top", "", N_("first case"),
	cmd_down };
const struct cmd_entry cmd_bottom_entry = { "bottom", "", N_("last case"),
	cmd_down };
const struct cmd_entry cmd_next_entry = { "next", "",
	N_("next search result"), cmd_step };
const struct cmd_entry cmd_prev_entry = { "prev", "",
	N_("previous search result"), cmd_step };
