/*
 * prompt.c: the keys typed into the command line and the y/n question
 * (see prompt.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>	/* KEY_ constants only */

#include "complete.h"
#include "console.h"
#include "prompt.h"

#define HISTORY_MAX	(sizeof ((struct console *)0)->history / \
			    sizeof ((struct console *)0)->history[0])

static void
prompt_set(struct prompt *p, const char *text)
{
	size_t	n = mbstowcs(p->line, text, sizeof p->line /
		    sizeof p->line[0] - 1);

	p->len = n == (size_t)-1 ? 0 : n;
	p->line[p->len] = L'\0';
}

void
prompt_typed(const struct console *c, char *buf, size_t len)
{
	size_t	n;

	buf[0] = '\0';
	if (c->prompt == NULL || len == 0)
		return;
	n = wcstombs(buf, c->prompt->line, len - 1);
	buf[n == (size_t)-1 ? 0 : n] = '\0';
}

int
prompt_text(const struct console *c, char *buf, size_t len)
{
	char	typed[1024];

	if (c->prompt == NULL) {
		buf[0] = '\0';
		return -1;
	}
	if (c->prompt->kind == L'?') {
		snprintf(buf, len, "%s", c->prompt->question);
		return -1;
	}
	prompt_typed(c, typed, sizeof typed);
	snprintf(buf, len, "%lc%s", (wint_t)c->prompt->kind, typed);
	return (int)strlen(buf);
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
	struct prompt	*p = c->prompt;

	if (c->nhistory == 0)
		return;
	if (older && p->hpos > 0)
		p->hpos--;
	else if (!older && p->hpos < c->nhistory)
		p->hpos++;
	prompt_set(p, p->hpos < c->nhistory ? c->history[p->hpos] : "");
}

/* Tab: complete the word being typed when one candidate fits (or all
 * share a longer prefix), else list them on the message line. */
static void
prompt_complete(struct console *c)
{
	const char	*names[64];
	char		 line[1024], msg[512] = "", *word;
	size_t		 n, i, common;

	if (c->prompt->kind != L':')
		return;
	prompt_typed(c, line, sizeof line);
	n = complete(c, line, names, 64);
	if (n == 0) {
		console_message(c, ROLE_DIM, "%s", _("nothing to complete"));
		return;
	}
	common = strlen(names[0]);
	for (i = 1; i < n; i++)
		while (common > 0 && strncmp(names[0], names[i], common) != 0)
			common--;
	word = strrchr(line, ' ');
	word = word != NULL ? word + 1 : line;
	if (common > strlen(word) || n == 1) {
		snprintf(word, sizeof line - (size_t)(word - line), "%.*s%s",
		    (int)common, names[0], n == 1 ? " " : "");
		prompt_set(c->prompt, line);
	}
	if (n > 1) {
		for (i = 0; i < n; i++)
			snprintf(msg + strlen(msg), sizeof msg - strlen(msg),
			    "%s ", names[i]);
		console_message(c, ROLE_DIM, "%s", msg);
	}
}

/* Enter: the line, remembered, to be run. */
static void
prompt_enter(struct console *c, char *run, size_t len)
{
	char	line[1024];
	wchar_t	kind = c->prompt->kind;

	prompt_typed(c, line, sizeof line);
	console_prompt_close(c);
	snprintf(run, len, "%s%s", kind == L'/' ? "search " : "", line);
	prompt_remember(c, run);
}

int
prompt_key(struct console *c, wint_t key, int is_keycode, char *run,
    size_t len, int *confirmed)
{
	struct prompt	*p = c->prompt;

	c->dirty = 1;
	*confirmed = 0;
	if (p->kind == L'?') {		/* the answer to a question */
		snprintf(run, len, "%s", p->yes);
		console_prompt_close(c);
		if (!is_keycode && (key == 'y' || key == 'Y')) {
			*confirmed = 1;
			return 1;
		}
		console_message(c, ROLE_DIM, "%s", _("cancelled"));
		return 0;
	}
	if (!is_keycode && (key == '\r' || key == '\n')) {
		prompt_enter(c, run, len);
		return 1;
	}
	if (!is_keycode && (key == 27 || key == 7))	/* Esc, ^G */
		console_prompt_close(c);
	else if ((is_keycode && key == KEY_BACKSPACE) ||
	    (!is_keycode && (key == 127 || key == 8))) {
		if (p->len > 0)
			p->line[--p->len] = L'\0';
		else
			console_prompt_close(c);
	} else if (is_keycode && (key == KEY_UP || key == KEY_DOWN))
		prompt_history(c, key == KEY_UP);
	else if (!is_keycode && key == '\t')
		prompt_complete(c);
	else if (!is_keycode && key == 21) {			/* ^U */
		p->len = 0;
		p->line[0] = L'\0';
	} else if (!is_keycode && key >= 32 && p->len + 1 <
	    sizeof p->line / sizeof p->line[0]) {
		p->line[p->len++] = (wchar_t)key;
		p->line[p->len] = L'\0';
	}
	return 0;
}
