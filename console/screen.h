/*
 * screen.h: putting text on the terminal by role (with frame.c and loop.c
 * the only code that calls curses).
 *
 * Every string reaches the screen through width_fit, which cuts by display
 * columns and never splits a character, so a line never runs past the
 * right edge whatever a summary holds, and shows a control character in
 * its visible form (core/vis.h), so a summary never steers the terminal.
 * Code names roles; this file alone maps them to colours, or, under
 * NO_COLOR or on a terminal without colour, to bold, underline and
 * reverse, so no meaning is lost.
 */
#ifndef GL_SCREEN_H
#define GL_SCREEN_H

#include "conf.h"
#include "console.h"

/* Start curses with these role styles. */
void	screen_open(const struct role_style *styles);
void	screen_close(void);
/* s at (y, x) in exactly cols columns (padded, cut with an ellipsis). */
void	screen_put(int y, int x, int cols, int role, const char *s);
/* s in cols columns aligned right. */
void	screen_put_right(int y, int x, int cols, int role, const char *s);
/* Blank rows [y, y + rows) from column x on, cols wide. */
void	screen_blank(int y, int x, int rows, int cols);

#endif
