/*
 * prompt.h: the keys typed into the prompt (struct prompt, console.h).
 *
 * Up and Down walk the lines typed before (both kinds share one history,
 * as in a shell), Tab completes the word being typed (complete.c),
 * Escape leaves, Enter hands the line back to be run. The line is kept in
 * wide characters so that Backspace removes one Chinese character, not
 * one byte of it. A question hands its line back, confirmed, on `y` (or
 * `Y`) and drops it on any other key.
 */
#ifndef GL_PROMPT_H
#define GL_PROMPT_H

#include <stddef.h>
#include <wchar.h>

#include "console.h"

/* A key typed into the open prompt. 1 with the line to run in run (and
 * *confirmed set when it answers a question), 0 when nothing is to run. */
int	prompt_key(struct console *c, wint_t key, int is_keycode, char *run,
	    size_t len, int *confirmed);
/* What the bottom line shows, UTF-8, into buf; the cursor's byte offset
 * in it (where the typed text ends), or -1 for a question. */
int	prompt_text(const struct console *c, char *buf, size_t len);
/* The line typed so far, UTF-8 (for tests). */
void	prompt_typed(const struct console *c, char *buf, size_t len);

#endif
