/*
 * rating.h: the rules of townships' monthly ratings of stationed units
 * (issue 14), for the server that stores them and the clients that ask.
 *
 * A rating is of a calendar month, "YYYY-MM" in local time. It may be
 * given from the first moment of its month and changed until the month
 * is closed: the end of the RATING_CLOSE_DAY-th day of the following
 * month, local time (a November rating stands from 6 December 00:00).
 * Five calendar days, not working days: a rule a township can tell from
 * the wall calendar, and no dependency on a holiday table that may end.
 * Rejected: an explicit close by a supervisor (one more operation and
 * state to keep, and a month someone forgot to close stays open for
 * ever).
 */
#ifndef GL_RATING_H
#define GL_RATING_H

#include <time.h>

#define RATING_CLOSE_DAY	5	/* changeable through this day of the
					   next month */
#define RATING_MIN		1
#define RATING_MAX		5
#define RATING_COMMENT_CHARS	500

/* Parse "YYYY-MM" (year 2000..9998, month 01..12) into *y and *m: 0, or
 * -1 for anything else. */
int	rating_month_parse(const char *s, long *y, int *m);
/* The first moment of month y-m, local time at offset (seconds east). */
time_t	rating_month_start(long y, int m, long offset);
/* The moment month y-m closes (rating.h's rule). */
time_t	rating_month_closes(long y, int m, long offset);
/* "YYYY-MM" of the local month holding t into buf (8 bytes). */
void	rating_month_of(time_t t, long offset, char buf[8]);

#endif
