/*
 * input.c: where keys and clicks go.
 *
 * A key goes to the prompt when one is open; else to the top view, with
 * the command the key table binds it to (so the case view takes `down` to
 * scroll and leaves `close` to the command table); else to the command
 * table. A view or the prompt that wants a command run (the picker's
 * choice, a second click on a row, the line typed) hands the line back
 * instead of running it, and it is run here: the views and the prompt
 * need not know the commands, which keeps them out of a circle with the
 * command files that open them.
 */
#include <string.h>

#include <curses.h>	/* KEY_ constants only: nothing is drawn here */

#include "cmd.h"
#include "console.h"
#include "prompt.h"
#include "view.h"

void
console_key(struct console *c, wint_t key, int is_keycode)
{
	struct view_key	 k;
	struct view	*v;
	char		 run[1100];
	int		 confirmed = 0;

	c->dirty = 1;
	if (is_keycode && key == KEY_RESIZE)
		return;
	if (c->prompt != NULL) {
		if (prompt_key(c, key, is_keycode, run, sizeof run,
		    &confirmed))
			(confirmed ? cmd_run_confirmed : cmd_run)(c, run);
		return;
	}
	memset(&k, 0, sizeof k);
	k.key = key;
	k.is_keycode = is_keycode;
	k.cmd = keys_lookup(&c->conf.keys, key, is_keycode);
	v = console_top(c);
	if (v != NULL && v->ops->key != NULL && v->ops->key(v, c, &k)) {
		if (k.run[0] != '\0')
			cmd_run(c, k.run);
		return;
	}
	if (k.cmd != NULL)
		cmd_run(c, k.cmd);
}

void
console_mouse(struct console *c, int y, int x, int button)
{
	struct view	*v = console_top(c);
	char		 run[512] = "";

	/* the views start below the top bar and end above the two bottom
	 * lines; a view's row 0 is the screen's row 1 */
	if (!c->conf.mouse || c->prompt != NULL || v == NULL ||
	    v->ops->mouse == NULL || y < 1 || y >= c->rows - 2)
		return;
	v->ops->mouse(v, c, y - 1, x, button, run, sizeof run);
	if (run[0] != '\0')
		cmd_run(c, run);
	c->dirty = 1;
}
