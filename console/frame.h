/*
 * frame.h: drawing one frame of the console (see frame.c).
 */
#ifndef GL_FRAME_H
#define GL_FRAME_H

#include "console.h"

/* Draw the whole screen; curses sends only the cells that changed. */
void	frame_draw(struct console *c);

#endif
