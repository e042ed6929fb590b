/*
 * gltime.c: fixed-offset civil time (see gltime.h).
 *
 * Dates to day numbers and back follow Howard Hinnant's public-domain
 * derivations (eras of 400 years); written out here so the result never
 * depends on the C library's TZ handling.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "gltime.h"

static long
floor_div(long a, long b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

long
gltime_days_from_civil(long y, int m, int d)
{
	long		era, yoe, doy;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

void
gltime_civil_from_days(long z, long *y, int *m, int *d)
{
	long	era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void
gltime_split(time_t t, long offset, long *y, int *m, int *d, long *sod)
{
	long	lt = (long)t + offset;
	long	days = floor_div(lt, 86400);

	*sod = lt - days * 86400;
	gltime_civil_from_days(days, y, m, d);
}

void
gltime_local_ymd(time_t t, long offset, char *buf)
{
	long	y, sod;
	int	m, d;

	gltime_split(t, offset, &y, &m, &d, &sod);
	y %= 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = (char)('0' + m / 10);
	buf[5] = (char)('0' + m % 10);
	buf[6] = (char)('0' + d / 10);
	buf[7] = (char)('0' + d % 10);
	buf[8] = '\0';
}

static char *
gltime_two(char *p, long v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* By hand rather than with snprintf, whose machinery was most of the time
 * spent on a time (three a case in every snapshot page); snprintf stays
 * for the years and offsets that do not fit the fixed layout, so the text
 * is the same for every input. */
size_t
gltime_format(time_t t, long offset, char *buf, size_t len)
{
	long	y, sod, off = offset < 0 ? -offset : offset;
	int	m, d;
	char	tmp[32], *p = tmp;
	size_t	n;

	gltime_split(t, offset, &y, &m, &d, &sod);
	if (y < 0 || y > 9999 || off >= 100 * 3600L) {
		if (offset == 0)
			return (size_t)snprintf(buf, len, "%04ld-%02d-%02dT"
			    "%02ld:%02ld:%02ldZ", y, m, d, sod / 3600,
			    sod / 60 % 60, sod % 60);
		return (size_t)snprintf(buf, len, "%04ld-%02d-%02dT%02ld:"
		    "%02ld:%02ld%c%02ld:%02ld", y, m, d, sod / 3600,
		    sod / 60 % 60, sod % 60, offset < 0 ? '-' : '+',
		    off / 3600, off / 60 % 60);
	}
	p = gltime_two(p, y / 100);
	p = gltime_two(p, y % 100);
	*p++ = '-';
	p = gltime_two(p, m);
	*p++ = '-';
	p = gltime_two(p, d);
	*p++ = 'T';
	p = gltime_two(p, sod / 3600);
	*p++ = ':';
	p = gltime_two(p, sod / 60 % 60);
	*p++ = ':';
	p = gltime_two(p, sod % 60);
	if (offset == 0)
		*p++ = 'Z';
	else {
		*p++ = offset < 0 ? '-' : '+';
		p = gltime_two(p, off / 3600);
		*p++ = ':';
		p = gltime_two(p, off / 60 % 60);
	}
	n = (size_t)(p - tmp);
	if (len > 0) {			/* cut as snprintf would */
		memcpy(buf, tmp, n < len ? n : len - 1);
		buf[n < len ? n : len - 1] = '\0';
	}
	return n;
}

/* n digits at s into *v; 0 or -1. */
static int
digits(const char *s, int n, int *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + s[i] - '0';
	}
	return 0;
}

static int
days_in_month(long y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

int
gltime_parse(const char *s, time_t *out)
{
	int		Y, M, D, h, mi, se, oh = 0, om = 0, sign = 0;
	const char	*p;

	if (strlen(s) < 20 || digits(s, 4, &Y) || s[4] != '-' ||
	    digits(s + 5, 2, &M) || s[7] != '-' || digits(s + 8, 2, &D) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se))
		return GL_EPARSE;
	if (M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M) || h > 23 ||
	    mi > 59 || se > 59)
		return GL_EPARSE;
	p = s + 19;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		sign = 0;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
	    !digits(p + 1, 2, &oh) && p[3] == ':' && !digits(p + 4, 2, &om) &&
	    oh <= 23 && om <= 59)
		sign = *p == '-' ? -1 : 1;
	else
		return GL_EPARSE;
	*out = (time_t)(gltime_days_from_civil(Y, M, D) * 86400L +
	    h * 3600L + mi * 60L + se -
	    sign * (oh * 3600L + om * 60L));
	return 0;
}

int
gltime_date_parse(const char *s, long offset, time_t *out)
{
	int	y, m, d, n = 0;
	long	days;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) !=
	    3 || n != 10 || s[4] != '-' || s[7] != '-' || y < 2000 ||
	    m < 1 || m > 12 || d < 1)
		return GL_EPARSE;
	days = gltime_days_from_civil(y, m, 1);
	if (d > gltime_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 :
	    m + 1, 1) - days)
		return GL_EPARSE;
	*out = (time_t)(days + d - 1) * 86400 - offset;
	return 0;
}

time_t
gltime_day_start(time_t t, long offset)
{
	long long	local = (long long)t + offset;
	long long	day = local >= 0 ? local / 86400 : (local - 86399) / 86400;

	return (time_t)(day * 86400 - offset);
}
