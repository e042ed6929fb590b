/*
 * screen.c: roles to attributes, and text put by display width (see
 * screen.h).
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "screen.h"
#include "width.h"

/* The one piece of drawing state: set once when the screen opens. */
static attr_t	screen_attr[ROLE__COUNT];

void
screen_open(const struct role_style *styles)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i, colour;

	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);	/* Escape closes at once, not after 1 s */
	curs_set(0);
	colour = has_colors() && (nc == NULL || nc[0] == '\0');
	if (colour) {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < ROLE__COUNT; i++) {
		if (!colour || COLORS < 8) {
			screen_attr[i] = styles[i].mono;
			continue;
		}
		init_pair((short)(i + 1), styles[i].fg, styles[i].bg);
		screen_attr[i] = COLOR_PAIR(i + 1) | styles[i].attrs;
	}
}

void
screen_close(void)
{
	endwin();
}

void
screen_put(int y, int x, int cols, int role, const char *s)
{
	char	buf[1024];

	if (cols <= 0 || y < 0 || y >= LINES)
		return;
	width_fit(s != NULL ? s : "", s != NULL ? strlen(s) : 0, cols,
	    WIDTH_PAD | WIDTH_ELLIPSIS, buf, sizeof buf, NULL);
	attrset(screen_attr[role]);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
}

void
screen_put_right(int y, int x, int cols, int role, const char *s)
{
	char	buf[1024];

	if (cols <= 0)
		return;
	width_pad_left(s != NULL ? s : "", cols, buf, sizeof buf);
	attrset(screen_attr[role]);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
}

void
screen_blank(int y, int x, int rows, int cols)
{
	int	i;

	for (i = 0; i < rows; i++)
		screen_put(y + i, x, cols, ROLE_NORMAL, "");
}
