/*
 * prompt.h: the line typed after `:` or `/`, and the y/n question, as an
 * overlay over the top view.
 *
 * Up and Down walk the lines typed before (both kinds share one history,
 * as in a shell), Tab completes the word being typed (cmd_complete),
 * Escape leaves, Enter runs. The line is kept in wide characters so that
 * Backspace removes one Chinese character, not one byte of it. A question
 * runs its line, confirmed, on `y` (or `Y`) and drops it on any other key.
 */
#ifndef GL_PROMPT_H
#define GL_PROMPT_H

#include <stddef.h>
#include <wchar.h>

#include "console.h"

/* Open the line: kind ':' or '/', text typed already. */
void	prompt_open(struct console *c, wchar_t kind, const char *text);
/* Ask question; y runs yes_line confirmed. */
void	prompt_ask(struct console *c, const char *question,
	    const char *yes_line);
void	prompt_key(struct console *c, wint_t key, int is_keycode);
void	prompt_free(struct prompt *p);
/* What the bottom line shows, UTF-8, into buf; the cursor's byte offset
 * in it (where the typed text ends), or -1 for a question. */
int	prompt_text(const struct console *c, char *buf, size_t len);
/* The line typed so far, UTF-8 (for tests). */
void	prompt_typed(const struct console *c, char *buf, size_t len);

#endif
