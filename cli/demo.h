/*
 * demo.h: the live demo's scratch server and feeder (cli/demo-feed.c).
 */
#ifndef GL_DEMO_H
#define GL_DEMO_H

#include "cli.h"

/* Start a scratch server and a feeder, run the console on them, clean up.
 * Returns an exit code. */
int	demo_live(struct gridline *gl);

#endif
