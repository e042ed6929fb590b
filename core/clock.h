/*
 * clock.h: the time a server runs on (issue 13's --clock).
 *
 * Deadlines, the business calendar, arrival times and every figure follow
 * the server's clock. By default it is the wall clock. A trainer or a test
 * sets it to start at a chosen instant and run at a chosen speed, so that
 * a scenario on a Tuesday morning stays a Tuesday morning, and a score
 * does not depend on when it was run. The set clock advances with the
 * monotonic clock, so a change of the wall clock under a running server
 * does not move it.
 *
 * Signatures are not checked on this clock: a client signs with its own
 * wall clock, and a replay window must be real time.
 */
#ifndef GL_CLOCK_H
#define GL_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define GLCLOCK_MAX_SPEED	10000.0

struct glclock {
	int		 set;		/* 0: the wall clock */
	time_t		 origin;	/* the clock's time at start */
	int64_t		 mono0;		/* CLOCK_MONOTONIC ns at start */
	double		 speed;		/* clock seconds per real second */
};

/* The wall clock. */
void	glclock_wall(struct glclock *c);

/* Parse "2026-12-01T08:30+08:00[,x60]" (seconds optional, an offset or
 * Z required; "now" for the wall clock's present instant) and start the
 * clock at once. 0, or GL_EINVAL with what is wrong in err. */
int	glclock_parse(const char *spec, struct glclock *c, char *err,
	    size_t errlen);

/* The clock's present instant. */
time_t	glclock_now(const struct glclock *c);

/* The present instant and the speed, "2026-12-01T08:31:07+08:00,x60"
 * (",x1" left out; "wall" when unset),
 * into buf; returns snprintf's length. */
size_t	glclock_format(const struct glclock *c, char *buf, size_t len);

#endif
