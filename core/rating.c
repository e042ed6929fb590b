/*
 * rating.c: the month rules of ratings (see rating.h).
 */
#include <stdio.h>
#include <string.h>

#include "gltime.h"
#include "rating.h"

int
rating_month_parse(const char *s, long *y, int *m)
{
	int	i;

	if (strlen(s) != 7 || s[4] != '-')
		return -1;
	for (i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000L + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	if (*y < 2000 || *y > 9998 || *m < 1 || *m > 12)
		return -1;
	return 0;
}

time_t
rating_month_start(long y, int m, long offset)
{
	return (time_t)gltime_days_from_civil(y, m, 1) * 86400 - offset;
}

time_t
rating_month_closes(long y, int m, long offset)
{
	if (++m > 12) {
		m = 1;
		y++;
	}
	return rating_month_start(y, m, offset) + RATING_CLOSE_DAY * 86400L;
}

void
rating_month_of(time_t t, long offset, char buf[8])
{
	long	y;
	int	m, d;

	gltime_civil_from_days((long)((t + offset) / 86400 -
	    ((t + offset) % 86400 < 0)), &y, &m, &d);
	snprintf(buf, 8, "%04lu-%02u", (unsigned long)y % 10000,
	    (unsigned)m % 100u);
}
