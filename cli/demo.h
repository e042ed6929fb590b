/*
 * demo.h: the live demo's scratch server and feeder (cli/demo-feed.c),
 * and the agencies the feeder plays (cli/demo-agency.c).
 */
#ifndef GL_DEMO_H
#define GL_DEMO_H

#include "cli.h"

/* Start a scratch server and a feeder sending rate incidents a second,
 * run the console on them, clean up. Returns an exit code. */
int	demo_live(struct gridline *gl, double rate);

/* The agencies' side of the demo (demo-agency.c): open on the server of
 * run_dir with the demo admin's key (NULL when it cannot), a step or few
 * a tick, close. */
struct demo_agencies;
struct demo_agencies *demo_agencies_open(const char *run_dir,
	    const char *admin_key);
void	demo_agencies_tick(struct demo_agencies *a);
void	demo_agencies_close(struct demo_agencies *a);

#endif
