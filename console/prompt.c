/*
 * prompt.c: the line typed after `:` or `/`, with history and completion.
 *
 * Up and Down walk the lines typed before (both kinds share one history,
 * as in a shell), Tab completes the command name from the command table
 * and the lifecycle actions, Escape leaves, Enter runs. The line is kept
 * in wide characters so that Backspace removes one Chinese character, not
 * one byte of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"

#define HISTORY_MAX	(sizeof ((struct console *)0)->history / \
			    sizeof ((struct console *)0)->history[0])

static void
prompt_set(struct console *c, const char *text)
{
	size_t	n = mbstowcs(c->prompt, text, sizeof c->prompt /
		    sizeof c->prompt[0] - 1);

	c->prompt_len = n == (size_t)-1 ? 0 : n;
	c->prompt[c->prompt_len] = L'\0';
}

static void
prompt_remember(struct console *c, const char *line)
{
	char	*copy;

	if (line[0] == '\0' || (c->nhistory > 0 &&
	    strcmp(c->history[c->nhistory - 1], line) == 0) ||
	    (copy = strdup(line)) == NULL)
		return;
	if (c->nhistory == HISTORY_MAX) {
		free(c->history[0]);
		memmove(c->history, c->history + 1, (HISTORY_MAX - 1) *
		    sizeof c->history[0]);
		c->nhistory--;
	}
	c->history[c->nhistory++] = copy;
}

static void
prompt_history(struct console *c, int older)
{
	if (c->nhistory == 0)
		return;
	if (older && c->hpos > 0)
		c->hpos--;
	else if (!older && c->hpos < c->nhistory)
		c->hpos++;
	prompt_set(c, c->hpos < c->nhistory ? c->history[c->hpos] : "");
}

/* Tab: complete the first word when one name fits, else list them. */
static void
prompt_complete(struct console *c)
{
	const char	*names[32];
	char		 line[1024];
	size_t		 n, i;

	n = wcstombs(line, c->prompt, sizeof line - 1);
	line[n == (size_t)-1 ? 0 : n] = '\0';
	if (c->prompt_kind != L':' || strchr(line, ' ') != NULL)
		return;
	n = cmd_complete(line, names, 32);
	if (n == 1) {
		snprintf(line, sizeof line, "%s ", names[0]);
		prompt_set(c, line);
		return;
	}
	c->msg[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(c->msg + strlen(c->msg), sizeof c->msg -
		    strlen(c->msg), "%s ", names[i]);
	c->msg_role = ROLE_DIM;
}

static void
prompt_enter(struct console *c)
{
	char	line[1024], run[1100];
	size_t	n;

	c->mode = MODE_QUEUE;
	n = wcstombs(line, c->prompt, sizeof line - 1);
	line[n == (size_t)-1 ? 0 : n] = '\0';
	snprintf(run, sizeof run, "%s%s", c->prompt_kind == L'/' ? "search " :
	    "", line);
	prompt_remember(c, run);
	cmd_run(c, run);
}

void
prompt_key(struct console *c, wint_t key, int is_keycode)
{
	if (!is_keycode && (key == 27 || key == 7))	/* Escape, ^G */
		c->mode = MODE_QUEUE;
	else if ((is_keycode && key == KEY_BACKSPACE) ||
	    (!is_keycode && (key == 127 || key == 8))) {
		if (c->prompt_len > 0)
			c->prompt[--c->prompt_len] = L'\0';
		else
			c->mode = MODE_QUEUE;
	} else if (!is_keycode && (key == '\r' || key == '\n'))
		prompt_enter(c);
	else if (is_keycode && (key == KEY_UP || key == KEY_DOWN))
		prompt_history(c, key == KEY_UP);
	else if (!is_keycode && key == '\t')
		prompt_complete(c);
	else if (!is_keycode && key >= 32 && c->prompt_len + 1 <
	    sizeof c->prompt / sizeof c->prompt[0]) {
		c->prompt[c->prompt_len++] = (wchar_t)key;
		c->prompt[c->prompt_len] = L'\0';
	}
	c->dirty = 1;
}
