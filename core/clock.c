/*
 * clock.c: the server's clock (clock.h): the wall clock, or a set start
 * and speed run on CLOCK_MONOTONIC.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "gltime.h"

static int64_t
glclock_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
glclock_wall(struct glclock *c)
{
	memset(c, 0, sizeof *c);
	c->speed = 1.0;
}

/* "YYYY-MM-DDTHH:MM" followed by an offset: the seconds put in. */
static int
glclock_instant(const char *s, time_t *out)
{
	char	buf[96];
	size_t	n = strlen(s);

	if (gltime_parse(s, out) == 0)
		return 0;
	if (n < 17 || n > 40 || s[13] != ':' || (s[16] != 'Z' &&
	    s[16] != '+' && s[16] != '-'))
		return -1;
	snprintf(buf, sizeof buf, "%.16s:00%.24s", s, s + 16);
	return gltime_parse(buf, out) == 0 ? 0 : -1;
}

int
glclock_parse(const char *spec, struct glclock *c, char *err,
    size_t errlen)
{
	char		 at[64], *end;
	const char	*comma = strchr(spec, ',');
	size_t		 n = comma != NULL ? (size_t)(comma - spec) :
			    strlen(spec);
	double		 speed = 1.0;
	time_t		 t;

	glclock_wall(c);
	if (n == 0 || n >= sizeof at)
		return gl_err(err, errlen, GL_EINVAL, "--clock: want a time "
		    "such as 2026-12-01T08:30+08:00, optionally ,x60");
	memcpy(at, spec, n);
	at[n] = '\0';
	if (strcmp(at, "now") == 0)
		t = time(NULL);
	else if (glclock_instant(at, &t) != 0)
		return gl_err(err, errlen, GL_EINVAL, "--clock: \"%s\" is "
		    "not a time such as 2026-12-01T08:30+08:00 (an offset "
		    "or Z is required)", at);
	if (comma != NULL) {
		if (comma[1] != 'x' || (speed = strtod(comma + 2, &end),
		    end == comma + 2 || *end != '\0') || !isfinite(speed) ||
		    speed <= 0 || speed > GLCLOCK_MAX_SPEED)
			return gl_err(err, errlen, GL_EINVAL, "--clock: speed "
			    "\"%s\" is not x followed by a number above 0 "
			    "and at most %.0f (x60: a minute a second)",
			    comma + 1, GLCLOCK_MAX_SPEED);
	}
	c->set = 1;
	c->origin = t;
	c->speed = speed;
	c->mono0 = glclock_mono();
	return 0;
}

time_t
glclock_now(const struct glclock *c)
{
	double	ran;

	if (!c->set)
		return time(NULL);
	ran = (double)(glclock_mono() - c->mono0) / 1e9 * c->speed;
	return c->origin + (time_t)ran;
}

size_t
glclock_format(const struct glclock *c, char *buf, size_t len)
{
	char	at[32];

	if (!c->set)
		return (size_t)snprintf(buf, len, "wall");
	gltime_format(glclock_now(c), GLTIME_CHINA, at, sizeof at);
	if (c->speed == 1.0)
		return (size_t)snprintf(buf, len, "%s", at);
	return (size_t)snprintf(buf, len, "%s,x%g", at, c->speed);
}
