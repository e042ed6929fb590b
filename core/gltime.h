/*
 * gltime.h: civil dates and RFC 3339 timestamps in a fixed UTC offset.
 *
 * gridline keeps instants as time_t (UTC seconds) and shows and keys them in
 * the city's local time, a fixed offset (UTC+8 for China). Like the
 * calendar, this never consults the process TZ.
 */
#ifndef GL_GLTIME_H
#define GL_GLTIME_H

#include <stddef.h>
#include <time.h>

#define GLTIME_CHINA	28800L		/* UTC+8, seconds east */

/* Day number (0 = 1970-01-01) of a proleptic Gregorian date. */
long	gltime_days_from_civil(long y, int m, int d);
/* The date of a day number. */
void	gltime_civil_from_days(long days, long *y, int *m, int *d);

/* "YYYYMMDD" of the local date of t, into buf (at least 9 bytes). */
void	gltime_local_ymd(time_t t, long offset, char *buf);

/* "2026-11-24T10:00:00+08:00" into buf (at least 26 bytes); returns the
 * length of the whole text, as snprintf does. */
size_t	gltime_format(time_t t, long offset, char *buf, size_t len);

/* Parse an RFC 3339 date-time with seconds and an offset ("Z" or
 * "+08:00"), fractions of a second ignored. A leap second (":60") is
 * GL_EPARSE: time_t has none, and quietly storing ":59" would change the
 * time a sender gave. 0 or GL_EPARSE. */
int	gltime_parse(const char *s, time_t *out);

/* Parse a date "YYYY-MM-DD" (2000 or later) into the time of its
 * midnight at offset (seconds east of UTC). 0 or GL_EPARSE. */
int	gltime_date_parse(const char *s, long offset, time_t *out);

/* The midnight, at offset, that starts the day of t. */
time_t	gltime_day_start(time_t t, long offset);

#endif
