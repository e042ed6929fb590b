/*
 * calendar.c: working time arithmetic for deadlines (see calendar.h).
 *
 * Every instant is turned into a local day number (days since 1970-01-01 in
 * the city's fixed offset) and a second of that day, by plain arithmetic on
 * t + offset; dates become day numbers by gltime_days_from_civil (the way
 * back is never needed: weekdays follow from the day number). localtime() and mktime() are
 * rejected: they follow the process TZ, which a server started from cron or
 * in a container may not have set, and deadlines must not move with it. A
 * fixed offset is right for China, which has had no daylight saving since
 * 1991.
 *
 * Marked dates (holidays and make-up working days) sit in one array sorted by
 * day number and are found by binary search; a year holds a few dozen, so a
 * hash table or a bitmap per year buys nothing and costs code.
 *
 * calendar_work_seconds and calendar_add_seconds walk day by day, O(days):
 * a deadline spans days or months, and a walk over a few hundred days with a
 * binary search each is microseconds. A closed form (whole weeks times the
 * weekly total, corrected by the marks in range) was rejected as harder to
 * read and check for no measurable gain.
 *
 * Edge semantics, chosen so that elapsed and add_seconds are inverses:
 * - A deadline that uses up its amount exactly at the end of a period is that
 *   end (12:00, not 13:30); an amount of 0 returns start unchanged, even when
 *   start lies outside working time.
 * - A walk gives up after CAL_IDLE_DAYS days in a row without working time
 *   (a calendar marked holiday for ten years on end) or after CAL_HORIZON_DAYS
 *   in all, and then answers start + seconds in natural time rather than loop
 *   forever. No deadline lies more than CAL_HORIZON_DAYS after its start:
 *   natural additions are clamped there, so absurd amounts cannot overflow.
 * - Elapsed time is 0 when to <= from, for every unit.
 */
#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "error.h"
#include "gltime.h"

#define CAL_DAY_SECS		86400L
#define CAL_IDLE_DAYS		3660L	/* days without work before giving up */
#define CAL_HORIZON_DAYS	36600L	/* longest walk, about a century */
#define CAL_DEFAULT_OFFSET	28800L	/* UTC+8 */
#define CAL_DEFAULT_MASK	0x3eU	/* Monday to Friday */

struct cal_mark {
	long			 day;	/* local day number, 0 = 1970-01-01 */
	enum cal_daykind	 kind;
};

struct calendar {
	long			 offset;	/* seconds east of UTC */
	struct cal_period	 periods[CAL_MAX_PERIODS]; /* sorted */
	size_t			 nperiods;
	unsigned		 mask;		/* bit 1 << wd, 1 Monday */
	struct cal_mark		*marks;		/* sorted by day, unique */
	size_t			 nmarks;
	size_t			 capmarks;
	int			 covered;	/* last year of the holiday
						   table; 0 not known */
};

static const struct cal_period cal_default_periods[] = {
	{ 8 * 60 + 30, 12 * 60 },
	{ 13 * 60 + 30, 17 * 60 + 30 }
};

static const struct {
	enum cal_unit	 unit;
	const char	*name;
	const char	*abbrev;
} cal_units[] = {
	{ CAL_WORK_HOURS, "工作时", "wh" },
	{ CAL_WORK_DAYS, "工作日", "wd" },
	{ CAL_HOURS, "自然时", "h" }
};

/* Floor division, so instants before 1970 fall on the right day. */
static long
cal_floor_div(long a, long b)
{
	long	q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Weekday of a day number: 1 Monday .. 7 Sunday (1970-01-01 was Thursday). */
static int
cal_weekday(long day)
{
	return (int)(day + 3 - cal_floor_div(day + 3, 7) * 7) + 1;
}

/* Split t into local day number and second of that day. */
static void
cal_split(const struct calendar *cal, time_t t, long *day, long *sod)
{
	long	local = (long)t + cal->offset;

	*day = cal_floor_div(local, CAL_DAY_SECS);
	*sod = local - *day * CAL_DAY_SECS;
}

/* The instant at second sod of local day `day`. */
static time_t
cal_join(const struct calendar *cal, long day, long sod)
{
	return (time_t)(day * CAL_DAY_SECS + sod - cal->offset);
}

/* start + seconds of wall time, never further than the horizon. */
static time_t
cal_natural(time_t start, long seconds)
{
	if (seconds > CAL_HORIZON_DAYS * CAL_DAY_SECS)
		seconds = CAL_HORIZON_DAYS * CAL_DAY_SECS;
	return start + (time_t)seconds;
}

/* Index of the first mark with day >= `day` (nmarks when none). */
static size_t
cal_mark_find(const struct calendar *cal, long day)
{
	size_t	lo = 0, hi = cal->nmarks, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal->marks[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
cal_day_is_work(const struct calendar *cal, long day)
{
	size_t	i = cal_mark_find(cal, day);

	if (i < cal->nmarks && cal->marks[i].day == day)
		return cal->marks[i].kind == CAL_DAY_WORKDAY;
	return (cal->mask & (1U << cal_weekday(day))) != 0;
}

/* Working seconds between seconds lo and hi of a working day. */
static long
cal_day_work(const struct calendar *cal, long lo, long hi)
{
	long	s, e, sum = 0;
	size_t	i;

	for (i = 0; i < cal->nperiods; i++) {
		s = cal->periods[i].start * 60L;
		e = cal->periods[i].end * 60L;
		if (s < lo)
			s = lo;
		if (e > hi)
			e = hi;
		if (e > s)
			sum += e - s;
	}
	return sum;
}

/*
 * Spend *left working seconds of a working day from second sod on. Returns 1
 * with the landing second in *at when they run out in this day (at the end
 * of a period if they run out exactly there), else 0 with *left reduced.
 */
static int
cal_day_spend(const struct calendar *cal, long sod, long *left, long *at)
{
	long	s, e;
	size_t	i;

	for (i = 0; i < cal->nperiods; i++) {
		s = cal->periods[i].start * 60L;
		e = cal->periods[i].end * 60L;
		if (s < sod)
			s = sod;
		if (e <= s)
			continue;
		if (*left <= e - s) {
			*at = s + *left;
			return 1;
		}
		*left -= e - s;
	}
	return 0;
}

int
calendar_new(struct calendar **out)
{
	struct calendar	*cal;

	assert(out != NULL);
	*out = NULL;
	if ((cal = calloc(1, sizeof *cal)) == NULL)
		return GL_ENOMEM;
	cal->offset = CAL_DEFAULT_OFFSET;
	cal->nperiods = sizeof cal_default_periods /
	    sizeof cal_default_periods[0];
	memcpy(cal->periods, cal_default_periods, sizeof cal_default_periods);
	cal->mask = CAL_DEFAULT_MASK;
	*out = cal;
	return 0;
}

void
calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	free(cal->marks);
	free(cal);
}

void
calendar_set_offset(struct calendar *cal, long seconds_east)
{
	assert(cal != NULL);
	cal->offset = seconds_east;
}

int
calendar_set_hours(struct calendar *cal, const struct cal_period *p,
    size_t n, unsigned weekday_mask, char *err, size_t errlen)
{
	size_t	i;

	assert(cal != NULL);
	assert(p != NULL || n == 0);
	if (n < 1 || n > CAL_MAX_PERIODS)
		return gl_err(err, errlen, GL_EINVAL,
		    "need 1 to %d working periods, not %zu",
		    CAL_MAX_PERIODS, n);
	for (i = 0; i < n; i++) {
		if (p[i].start < 0 || p[i].end > 1440 ||
		    p[i].start >= p[i].end)
			return gl_err(err, errlen, GL_EINVAL,
			    "period %zu: %d-%d is not within 0-1440 with "
			    "start before end", i + 1, p[i].start, p[i].end);
		if (i > 0 && p[i].start < p[i - 1].end)
			return gl_err(err, errlen, GL_EINVAL,
			    "period %zu overlaps or precedes period %zu",
			    i + 1, i);
	}
	if (weekday_mask == 0 || (weekday_mask & ~0xfeU) != 0)
		return gl_err(err, errlen, GL_EINVAL,
		    "weekday mask %#x: need bits 1 (Monday) to 7 (Sunday) "
		    "and at least one", weekday_mask);
	memcpy(cal->periods, p, n * sizeof *p);
	cal->nperiods = n;
	cal->mask = weekday_mask;
	return 0;
}

/* 1 when y-m-d is a real date in years 1..9999. */
static int
cal_date_valid(int year, int month, int day)
{
	static const int	 mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			 leap, last;

	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
		return 0;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	last = mdays[month - 1] + (month == 2 && leap);
	return day <= last;
}

int
calendar_day_set(struct calendar *cal, int year, int month, int day,
    enum cal_daykind kind)
{
	struct cal_mark	*m;
	long		 dn;
	size_t		 i, cap;

	assert(cal != NULL);
	if (!cal_date_valid(year, month, day) ||
	    (kind != CAL_DAY_HOLIDAY && kind != CAL_DAY_WORKDAY))
		return GL_EINVAL;
	dn = gltime_days_from_civil(year, month, day);
	i = cal_mark_find(cal, dn);
	if (i < cal->nmarks && cal->marks[i].day == dn) {
		cal->marks[i].kind = kind;
		return 0;
	}
	if (cal->nmarks == cal->capmarks) {
		cap = cal->capmarks == 0 ? 32 : cal->capmarks * 2;
		if ((m = realloc(cal->marks, cap * sizeof *m)) == NULL)
			return GL_ENOMEM;
		cal->marks = m;
		cal->capmarks = cap;
	}
	memmove(&cal->marks[i + 1], &cal->marks[i],
	    (cal->nmarks - i) * sizeof *cal->marks);
	cal->marks[i].day = dn;
	cal->marks[i].kind = kind;
	cal->nmarks++;
	return 0;
}

void
calendar_set_covered_until(struct calendar *cal, int year)
{
	assert(cal != NULL);
	assert(year >= 0 && year <= 9999);
	cal->covered = year;
}

int
calendar_covered_until(const struct calendar *cal)
{
	assert(cal != NULL);
	return cal->covered;
}

/* Day number of 31 December of the last covered year. */
static long
cal_covered_last(const struct calendar *cal)
{
	return gltime_days_from_civil(cal->covered, 12, 31);
}

int
calendar_provisional(const struct calendar *cal, time_t t)
{
	long	day, sod;

	assert(cal != NULL);
	if (cal->covered == 0 || t == 0)
		return 0;
	cal_split(cal, t, &day, &sod);
	return day > cal_covered_last(cal);
}

long
calendar_days_left(const struct calendar *cal, time_t now)
{
	long	day, sod;

	assert(cal != NULL);
	if (cal->covered == 0)
		return LONG_MAX;
	cal_split(cal, now, &day, &sod);
	return cal_covered_last(cal) - day;
}

int
calendar_warning(const struct calendar *cal, time_t now, char *buf,
    size_t len)
{
	long	left = calendar_days_left(cal, now);

	assert(buf != NULL && len > 0);
	buf[0] = '\0';
	if (left > CAL_WARN_DAYS)
		return 0;
	if (left >= 0)
		snprintf(buf, len, "the holiday table ends with %d (in %ld "
		    "days): add next year's official schedule (docs/DATA.md)",
		    cal->covered, left);
	else
		snprintf(buf, len, "the holiday table ended with %d: "
		    "deadlines from %d-01-01 on are provisional, counted on "
		    "weekdays alone: add the official schedule (docs/DATA.md)",
		    cal->covered, cal->covered + 1);
	return 1;
}

int
calendar_is_workday(const struct calendar *cal, time_t t)
{
	long	day, sod;

	assert(cal != NULL);
	cal_split(cal, t, &day, &sod);
	return cal_day_is_work(cal, day);
}

long
calendar_work_seconds(const struct calendar *cal, time_t from, time_t to)
{
	long	day, sod, last, lastsod, lo, hi, sum = 0;

	assert(cal != NULL);
	if (to <= from)
		return 0;
	cal_split(cal, from, &day, &sod);
	cal_split(cal, to, &last, &lastsod);
	for (; day <= last; day++, sod = 0) {
		if (!cal_day_is_work(cal, day))
			continue;
		lo = sod;
		hi = day == last ? lastsod : CAL_DAY_SECS;
		sum += cal_day_work(cal, lo, hi);
	}
	return sum;
}

long
calendar_day_seconds(const struct calendar *cal)
{
	assert(cal != NULL);
	return cal_day_work(cal, 0, CAL_DAY_SECS);
}

time_t
calendar_add(const struct calendar *cal, time_t start, long amount,
    enum cal_unit unit)
{
	long	per;

	assert(cal != NULL);
	assert(amount >= 0);
	per = unit == CAL_WORK_DAYS ? calendar_day_seconds(cal) : 3600L;
	if (amount > LONG_MAX / per)
		return calendar_add_seconds(cal, start, LONG_MAX, unit);
	return calendar_add_seconds(cal, start, amount * per, unit);
}

long
calendar_elapsed(const struct calendar *cal, time_t from, time_t to,
    enum cal_unit unit)
{
	assert(cal != NULL);
	if (unit == CAL_HOURS)
		return to > from ? (long)(to - from) : 0;
	return calendar_work_seconds(cal, from, to);
}

time_t
calendar_add_seconds(const struct calendar *cal, time_t start,
    long seconds, enum cal_unit unit)
{
	long	day, sod, left = seconds, at, idle = 0, walked;

	assert(cal != NULL);
	assert(seconds >= 0);
	if (seconds <= 0)
		return start;
	if (unit == CAL_HOURS)
		return cal_natural(start, seconds);
	cal_split(cal, start, &day, &sod);
	for (walked = 0; walked < CAL_HORIZON_DAYS && idle < CAL_IDLE_DAYS;
	    walked++, day++, sod = 0) {
		if (!cal_day_is_work(cal, day)) {
			idle++;
			continue;
		}
		idle = 0;
		if (cal_day_spend(cal, sod, &left, &at))
			return cal_join(cal, day, at);
	}
	return cal_natural(start, seconds);
}

/*
 * Walking backwards would need a mirror of the forward walk; a binary search
 * on calendar_elapsed, which never decreases as its start moves back, is a
 * few dozen calls and cannot disagree with the forward arithmetic.
 */
time_t
calendar_sub_seconds(const struct calendar *cal, time_t end, long seconds,
    enum cal_unit unit)
{
	time_t	lo, hi = end, mid;
	long	span = CAL_HORIZON_DAYS * CAL_DAY_SECS, step;

	assert(cal != NULL);
	if (seconds <= 0)
		return end;
	if (unit == CAL_HOURS)
		return end - (seconds < span ? seconds : span);
	/* Widen the window until it holds enough working time: working
	 * seconds never exceed wall seconds, so start at `seconds`. */
	for (step = seconds; ; step *= 2) {
		lo = end - (step < span ? step : span);
		if (calendar_elapsed(cal, lo, end, unit) >= seconds)
			break;
		if (step >= span)
			return lo;
		hi = lo;
	}
	while (hi - lo > 1) {	/* elapsed(lo) >= seconds > elapsed(hi) */
		mid = lo + (hi - lo) / 2;
		if (calendar_elapsed(cal, mid, end, unit) >= seconds)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int
calendar_unit_parse(const char *s, enum cal_unit *out)
{
	size_t	i;

	assert(out != NULL);
	if (s == NULL)
		return GL_EINVAL;
	for (i = 0; i < sizeof cal_units / sizeof cal_units[0]; i++) {
		if (strcmp(s, cal_units[i].name) == 0 ||
		    strcmp(s, cal_units[i].abbrev) == 0) {
			*out = cal_units[i].unit;
			return 0;
		}
	}
	return GL_EINVAL;
}

long
calendar_unit_year(enum cal_unit unit)
{
	return unit == CAL_WORK_DAYS ? CAL_YEAR_DAYS : CAL_YEAR_HOURS;
}

const char *
calendar_unit_name(enum cal_unit unit)
{
	size_t	i;

	for (i = 0; i < sizeof cal_units / sizeof cal_units[0]; i++)
		if (cal_units[i].unit == unit)
			return cal_units[i].name;
	return "?";
}

/*
 * The calendar as one line of text, for a client that computes working time
 * on the server's calendar (the console's ack timeout): the offset, the
 * periods in minutes, the working weekdays and the marked days,
 *   off=28800;hours=510-720,810-1050;week=12345;h=2026-01-01;w=2026-01-04
 * with h the holidays and w the make-up working days, each a list.
 */
char *
calendar_spec(const struct calendar *cal)
{
	size_t	 i, cap = 96 + cal->nperiods * 10 + cal->nmarks * 12, n;
	char	*s, *p;
	int	 kind, wd, any;
	long	 y;
	int	 m, d;

	if ((s = malloc(cap)) == NULL)
		return NULL;
	p = s;
	p += snprintf(p, cap - (size_t)(p - s), "off=%ld;hours=", cal->offset);
	for (i = 0; i < cal->nperiods; i++)
		p += snprintf(p, cap - (size_t)(p - s), "%s%d-%d", i ? "," : "",
		    cal->periods[i].start, cal->periods[i].end);
	p += snprintf(p, cap - (size_t)(p - s), ";week=");
	for (wd = 1; wd <= 7; wd++)
		if (cal->mask & (1U << wd))
			*p++ = (char)('0' + wd);
	*p = '\0';
	for (kind = 0; kind < 2; kind++) {
		any = 0;
		for (i = 0; i < cal->nmarks; i++) {
			if ((int)cal->marks[i].kind != (kind == 0 ?
			    CAL_DAY_HOLIDAY : CAL_DAY_WORKDAY))
				continue;
			gltime_civil_from_days(cal->marks[i].day, &y, &m, &d);
			n = cap - (size_t)(p - s);
			p += snprintf(p, n, "%s%04ld-%02d-%02d", any ? "," :
			    kind == 0 ? ";h=" : ";w=", y, m, d);
			any = 1;
		}
	}
	return s;
}

/* One part of a spec: a number from *p up to the next non-digit. */
static int
cal_spec_num(const char **p, long lo, long hi, long *out)
{
	char	*end;
	long	 v;

	if (**p < '0' || **p > '9') {
		if (**p != '-' || lo >= 0)
			return -1;
	}
	v = strtol(*p, &end, 10);
	if (end == *p || v < lo || v > hi)
		return -1;
	*p = end;
	*out = v;
	return 0;
}

int
calendar_from_spec(const char *spec, struct calendar **out, char *err,
    size_t errlen)
{
	struct calendar		*cal;
	struct cal_period	 per[CAL_MAX_PERIODS];
	const char		*p = spec;
	size_t			 n = 0;
	unsigned		 mask = 0;
	long			 v, a, b, y, mo, d;
	int			 rc;

	*out = NULL;
	if ((rc = calendar_new(&cal)) != 0)
		return gl_err(err, errlen, rc, "out of memory");
	if (strncmp(p, "off=", 4) != 0 || (p += 4, cal_spec_num(&p, -86400,
	    86400, &v)) != 0 || strncmp(p, ";hours=", 7) != 0)
		goto bad;
	cal->offset = v;
	for (p += 7; n < CAL_MAX_PERIODS; p++) {
		if (cal_spec_num(&p, 0, 1440, &a) != 0 || *p++ != '-' ||
		    cal_spec_num(&p, 0, 1440, &b) != 0)
			goto bad;
		per[n].start = (int)a;
		per[n++].end = (int)b;
		if (*p != ',')
			break;
	}
	if (strncmp(p, ";week=", 6) != 0)
		goto bad;
	for (p += 6; *p >= '1' && *p <= '7'; p++)
		mask |= 1U << (*p - '0');
	if (calendar_set_hours(cal, per, n, mask, err, errlen) != 0) {
		calendar_free(cal);
		return GL_EINVAL;
	}
	while (*p == ';' && (p[1] == 'h' || p[1] == 'w') && p[2] == '=') {
		enum cal_daykind k = p[1] == 'h' ? CAL_DAY_HOLIDAY :
		    CAL_DAY_WORKDAY;

		for (p += 3;; p++) {
			const char *date = p;

			if (cal_spec_num(&p, 1, 9999, &y) != 0 || *p++ != '-' ||
			    cal_spec_num(&p, 1, 12, &mo) != 0 || *p++ != '-' ||
			    cal_spec_num(&p, 1, 31, &d) != 0)
				goto bad;
			if (calendar_day_set(cal, (int)y, (int)mo, (int)d,
			    k) != 0) {
				p = date;	/* not a date: name its start */
				goto bad;
			}
			if (*p != ',')
				break;
		}
	}
	if (*p != '\0')
		goto bad;
	*out = cal;
	return 0;
bad:
	calendar_free(cal);
	return gl_err(err, errlen, GL_EINVAL, "calendar spec: unreadable at "
	    "byte %zu", (size_t)(p - spec));
}
