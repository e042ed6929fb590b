/*
 * conf.h: gridline.conf and the theme files.
 *
 * gridline.conf ($GRIDLINE_CONFIG, else $XDG_CONFIG_HOME/gridline/
 * gridline.conf, else ~/.config/gridline/gridline.conf) holds lines like
 *   bind v dispatch        unbind q        set theme light
 *   set bell on
 * Themes are themes/NAME.theme files (format in themes/default.theme) that
 * map the console's roles to colours and attributes. A bad line is reported
 * as file:line: message and skipped; the rest still applies.
 */
#ifndef GL_CONF_H
#define GL_CONF_H

#include <stdio.h>

#include <curses.h>

#include "console.h"

struct role_style {
	short	fg, bg;		/* curses colours, -1 the default */
	attr_t	attrs;		/* with colour */
	attr_t	mono;		/* the whole style without colour */
};

/* Read the config file (a missing file is not an error). Problems go to
 * errs as "file:line: message". Returns the number of problems. */
int	conf_load(struct console *c, FILE *errs);

/* The config, then the theme it or --theme names, into c and styles;
 * every problem goes to the messages, and c->conf.problems sums them up. */
void	conf_setup(struct console *c, struct role_style *styles);

/* Load theme name into styles; 0, or -1 with the problems written to
 * errs (the built-in default is then kept). */
int	theme_load(const char *name, struct role_style *styles, FILE *errs);

/* The built-in default theme. */
void	theme_default(struct role_style *styles);

#endif
