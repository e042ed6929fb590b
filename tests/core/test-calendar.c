/*
 * test-calendar.c: table-driven tests of core/calendar.c.
 *
 * Each table row is an input and the answer worked out by hand from a paper
 * calendar of 2026 (the default hours are 08:30-12:00 and 13:30-17:30, 7.5 h a
 * day), never from the code under test. Times are written as local strings in
 * UTC+8 and turned into time_t by timegm() minus 28800, so the tests, like
 * the calendar, never read the process TZ; main() even sets a foreign TZ to
 * prove it. Three calendars serve the rows: "cn", the defaults plus the
 * official China 2026 schedule of holidays and make-up days; "plain", the
 * defaults alone; "six", 09:00-17:00 Monday to Saturday without holidays.
 * Only the inverse-property test loops over a generated grid, since its
 * answer is the identity, not a hand-computed value.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "error.h"

#define TEST_OFFSET	28800
#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

enum test_cal { CN, PLAIN, SIX, NCALS };

struct test_cals {
	struct calendar	*cal[NCALS];
};

/* The official 2026 schedule, as published by the State Council. */
static const struct {
	int			 y, m, d;
	enum cal_daykind	 kind;
} test_china_2026[] = {
	/* Spring Festival: Sun 15 to Mon 23 Feb off, Sat 14, Sat 28 worked. */
	{ 2026, 2, 14, CAL_DAY_WORKDAY },
	{ 2026, 2, 15, CAL_DAY_HOLIDAY }, { 2026, 2, 16, CAL_DAY_HOLIDAY },
	{ 2026, 2, 17, CAL_DAY_HOLIDAY }, { 2026, 2, 18, CAL_DAY_HOLIDAY },
	{ 2026, 2, 19, CAL_DAY_HOLIDAY }, { 2026, 2, 20, CAL_DAY_HOLIDAY },
	{ 2026, 2, 21, CAL_DAY_HOLIDAY }, { 2026, 2, 22, CAL_DAY_HOLIDAY },
	{ 2026, 2, 23, CAL_DAY_HOLIDAY },
	{ 2026, 2, 28, CAL_DAY_WORKDAY },
	/* 中秋 Fri 25 to Sun 27 Sep, National Day Thu 1 to Wed 7 Oct off;
	 * Sun 20 Sep and Sat 10 Oct worked. */
	{ 2026, 9, 20, CAL_DAY_WORKDAY },
	{ 2026, 9, 25, CAL_DAY_HOLIDAY }, { 2026, 9, 26, CAL_DAY_HOLIDAY },
	{ 2026, 9, 27, CAL_DAY_HOLIDAY },
	{ 2026, 10, 1, CAL_DAY_HOLIDAY }, { 2026, 10, 2, CAL_DAY_HOLIDAY },
	{ 2026, 10, 3, CAL_DAY_HOLIDAY }, { 2026, 10, 4, CAL_DAY_HOLIDAY },
	{ 2026, 10, 5, CAL_DAY_HOLIDAY }, { 2026, 10, 6, CAL_DAY_HOLIDAY },
	{ 2026, 10, 7, CAL_DAY_HOLIDAY },
	{ 2026, 10, 10, CAL_DAY_WORKDAY }
};

/* "YYYY-MM-DD HH:MM" in UTC+8 to time_t, by timegm: no TZ involved. */
static time_t
test_time(const char *s)
{
	struct tm	tm;
	int		n;

	memset(&tm, 0, sizeof tm);
	n = sscanf(s, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min);
	assert_int_equal(n, 5);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm) - TEST_OFFSET;
}

/* time_t to "YYYY-MM-DD HH:MM:SS" in UTC+8. */
static void
test_format(time_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		local = t + TEST_OFFSET;

	assert_non_null(gmtime_r(&local, &tm));
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static int
test_setup(void **state)
{
	static const struct cal_period six[] = { { 9 * 60, 17 * 60 } };
	struct test_cals	*tc;
	size_t			 i;

	tc = calloc(1, sizeof *tc);
	assert_non_null(tc);
	for (i = 0; i < NCALS; i++)
		assert_int_equal(calendar_new(&tc->cal[i]), 0);
	for (i = 0; i < NITEMS(test_china_2026); i++)
		assert_int_equal(calendar_day_set(tc->cal[CN],
		    test_china_2026[i].y, test_china_2026[i].m,
		    test_china_2026[i].d, test_china_2026[i].kind), 0);
	assert_int_equal(calendar_set_hours(tc->cal[SIX], six, 1, 0x7e, NULL,
	    0), 0);
	*state = tc;
	return 0;
}

static int
test_teardown(void **state)
{
	struct test_cals	*tc = *state;
	size_t			 i;

	for (i = 0; i < NCALS; i++)
		calendar_free(tc->cal[i]);
	free(tc);
	return 0;
}

static const struct {
	enum test_cal	 cal;
	const char	*start;
	long		 amount;
	enum cal_unit	 unit;
	const char	*deadline;
} test_add_rows[] = {
	/* Working hours on a plain Tuesday. */
	{ CN, "2026-11-24 09:00", 2, CAL_WORK_HOURS, "2026-11-24 11:00" },
	{ CN, "2026-11-24 11:00", 2, CAL_WORK_HOURS, "2026-11-24 14:30" },
	{ CN, "2026-11-24 10:00", 2, CAL_WORK_HOURS, "2026-11-24 12:00" },
	{ CN, "2026-11-24 09:00", 3, CAL_WORK_HOURS, "2026-11-24 12:00" },
	{ CN, "2026-11-24 14:30", 3, CAL_WORK_HOURS, "2026-11-24 17:30" },
	{ CN, "2026-11-24 12:30", 1, CAL_WORK_HOURS, "2026-11-24 14:30" },
	{ CN, "2026-11-24 12:00", 1, CAL_WORK_HOURS, "2026-11-24 14:30" },
	{ CN, "2026-11-24 13:30", 1, CAL_WORK_HOURS, "2026-11-24 14:30" },
	{ CN, "2026-11-24 17:30", 1, CAL_WORK_HOURS, "2026-11-25 09:30" },
	{ CN, "2026-11-24 20:00", 1, CAL_WORK_HOURS, "2026-11-25 09:30" },
	{ CN, "2026-11-24 06:00", 1, CAL_WORK_HOURS, "2026-11-24 09:30" },
	{ CN, "2026-11-24 08:30", 8, CAL_WORK_HOURS, "2026-11-25 09:00" },
	{ CN, "2026-11-24 10:00", 15, CAL_WORK_HOURS, "2026-11-26 10:00" },
	/* Weekends: start on Saturday, Friday afternoon into Monday. */
	{ CN, "2026-11-21 10:00", 1, CAL_WORK_HOURS, "2026-11-23 09:30" },
	{ CN, "2026-11-22 23:00", 1, CAL_WORK_HOURS, "2026-11-23 09:30" },
	{ CN, "2026-11-20 16:00", 4, CAL_WORK_HOURS, "2026-11-23 11:00" },
	{ CN, "2026-11-20 16:00", 2, CAL_WORK_HOURS, "2026-11-23 09:00" },
	/* Working days are 7.5 working hours each. */
	{ CN, "2026-11-23 10:00", 2, CAL_WORK_DAYS, "2026-11-25 10:00" },
	{ CN, "2026-11-20 10:00", 1, CAL_WORK_DAYS, "2026-11-23 10:00" },
	{ CN, "2026-11-19 14:00", 3, CAL_WORK_DAYS, "2026-11-24 14:00" },
	{ CN, "2026-11-24 08:30", 1, CAL_WORK_DAYS, "2026-11-24 17:30" },
	{ CN, "2026-11-21 09:00", 1, CAL_WORK_DAYS, "2026-11-23 17:30" },
	/* Natural hours run through nights, weekends and holidays. */
	{ CN, "2026-11-24 20:00", 10, CAL_HOURS, "2026-11-25 06:00" },
	{ CN, "2026-11-20 16:00", 48, CAL_HOURS, "2026-11-22 16:00" },
	{ CN, "2026-09-30 10:00", 24, CAL_HOURS, "2026-10-01 10:00" },
	/* Amount 0 is start itself, even outside working time. */
	{ CN, "2026-11-24 20:00", 0, CAL_WORK_HOURS, "2026-11-24 20:00" },
	{ CN, "2026-11-21 03:00", 0, CAL_WORK_DAYS, "2026-11-21 03:00" },
	{ CN, "2026-10-03 10:00", 0, CAL_HOURS, "2026-10-03 10:00" },
	/* National Day: the whole break is skipped, make-up Saturday works. */
	{ CN, "2026-09-30 15:00", 4, CAL_WORK_HOURS, "2026-10-08 10:00" },
	{ PLAIN, "2026-09-30 15:00", 4, CAL_WORK_HOURS, "2026-10-01 10:00" },
	{ CN, "2026-09-30 10:00", 3, CAL_WORK_DAYS, "2026-10-10 10:00" },
	{ CN, "2026-10-03 10:00", 1, CAL_WORK_HOURS, "2026-10-08 09:30" },
	{ CN, "2026-10-10 09:00", 2, CAL_WORK_HOURS, "2026-10-10 11:00" },
	{ CN, "2026-10-09 16:00", 4, CAL_WORK_HOURS, "2026-10-10 11:00" },
	{ CN, "2026-10-10 16:00", 4, CAL_WORK_HOURS, "2026-10-12 11:00" },
	/* 中秋 Friday off, make-up Sunday before it worked. */
	{ CN, "2026-09-18 17:00", 1, CAL_WORK_HOURS, "2026-09-20 09:00" },
	{ CN, "2026-09-24 17:00", 1, CAL_WORK_HOURS, "2026-09-28 09:00" },
	/* Spring Festival with make-up Saturdays on both sides. */
	{ CN, "2026-02-13 17:00", 2, CAL_WORK_HOURS, "2026-02-14 10:00" },
	{ CN, "2026-02-14 17:00", 1, CAL_WORK_HOURS, "2026-02-24 09:00" },
	{ CN, "2026-02-24 08:30", 5, CAL_WORK_DAYS, "2026-02-28 17:30" },
	/* Custom hours 09:00-17:00, Monday to Saturday: 8 h a day. */
	{ SIX, "2026-11-21 10:00", 2, CAL_WORK_HOURS, "2026-11-21 12:00" },
	{ SIX, "2026-11-24 11:00", 2, CAL_WORK_HOURS, "2026-11-24 13:00" },
	{ SIX, "2026-11-20 16:00", 2, CAL_WORK_HOURS, "2026-11-21 10:00" },
	{ SIX, "2026-11-21 16:00", 2, CAL_WORK_HOURS, "2026-11-23 10:00" },
	{ SIX, "2026-11-23 13:00", 1, CAL_WORK_DAYS, "2026-11-24 13:00" },
	{ SIX, "2026-11-21 09:00", 2, CAL_WORK_DAYS, "2026-11-23 17:00" }
};

static void
test_add(void **state)
{
	struct test_cals	*tc = *state;
	char			 got[64], want[64], buf[32];
	time_t			 t;
	size_t			 i;

	for (i = 0; i < NITEMS(test_add_rows); i++) {
		t = calendar_add(tc->cal[test_add_rows[i].cal],
		    test_time(test_add_rows[i].start), test_add_rows[i].amount,
		    test_add_rows[i].unit);
		test_format(t, buf, sizeof buf);
		snprintf(got, sizeof got, "row %zu: %s", i, buf);
		test_format(test_time(test_add_rows[i].deadline), buf,
		    sizeof buf);
		snprintf(want, sizeof want, "row %zu: %s", i, buf);
		assert_string_equal(got, want);
	}
}

static const struct {
	enum test_cal	 cal;
	const char	*from;
	const char	*to;
	long		 seconds;
} test_work_rows[] = {
	{ CN, "2026-11-24 08:30", "2026-11-24 17:30", 27000 },
	{ CN, "2026-11-24 00:00", "2026-11-25 00:00", 27000 },
	{ CN, "2026-11-24 09:00", "2026-11-24 10:00", 3600 },
	{ CN, "2026-11-24 11:00", "2026-11-24 14:00", 5400 },
	{ CN, "2026-11-24 12:00", "2026-11-24 13:30", 0 },
	{ CN, "2026-11-24 20:00", "2026-11-25 09:00", 1800 },
	{ CN, "2026-11-20 16:00", "2026-11-23 11:00", 14400 },
	{ CN, "2026-11-21 00:00", "2026-11-23 00:00", 0 },
	{ CN, "2026-11-24 10:00", "2026-11-24 09:00", 0 },
	{ CN, "2026-11-24 10:00", "2026-11-24 10:00", 0 },
	{ CN, "2026-11-23 00:00", "2026-11-30 00:00", 5 * 27000 },
	/* Mon 28 Sep to Sun 11 Oct: 28-30 Sep, 8-10 Oct. */
	{ CN, "2026-09-28 00:00", "2026-10-12 00:00", 6 * 27000 },
	{ PLAIN, "2026-09-28 00:00", "2026-10-12 00:00", 10 * 27000 },
	/* September: 22 weekdays, 25th off, Sunday 20th worked. */
	{ CN, "2026-09-01 00:00", "2026-10-01 00:00", 22 * 27000 },
	/* February: 20 weekdays, 6 of them off, 2 Saturdays worked. */
	{ CN, "2026-02-01 00:00", "2026-03-01 00:00", 16 * 27000 },
	/* 2026 starts on a Thursday: 52 weeks and a Thursday. */
	{ PLAIN, "2026-01-01 00:00", "2027-01-01 00:00", 261 * 27000 },
	{ SIX, "2026-11-23 00:00", "2026-11-30 00:00", 6 * 28800 },
	{ SIX, "2026-11-24 11:00", "2026-11-24 14:00", 3 * 3600 }
};

static void
test_work_seconds(void **state)
{
	struct test_cals	*tc = *state;
	long			 got;
	size_t			 i;

	for (i = 0; i < NITEMS(test_work_rows); i++) {
		got = calendar_work_seconds(tc->cal[test_work_rows[i].cal],
		    test_time(test_work_rows[i].from),
		    test_time(test_work_rows[i].to));
		if (got != test_work_rows[i].seconds)
			fail_msg("row %zu: %ld working seconds, want %ld", i,
			    got, test_work_rows[i].seconds);
	}
}

static const struct {
	enum test_cal	 cal;
	const char	*when;
	int		 workday;
} test_workday_rows[] = {
	{ CN, "2026-11-24 10:00", 1 },
	{ CN, "2026-11-21 10:00", 0 },		/* Saturday */
	{ CN, "2026-11-22 10:00", 0 },		/* Sunday */
	{ CN, "2026-11-24 00:00", 1 },		/* local, not UTC, midnight */
	{ CN, "2026-11-21 00:00", 0 },		/* Friday 16:00 in UTC */
	{ CN, "2026-11-20 23:59", 1 },
	{ CN, "2026-11-23 07:59", 1 },		/* Sunday in UTC */
	{ CN, "2026-10-01 10:00", 0 },
	{ CN, "2026-10-07 23:59", 0 },
	{ CN, "2026-10-08 00:00", 1 },
	{ CN, "2026-10-10 10:00", 1 },		/* make-up Saturday */
	{ CN, "2026-10-11 10:00", 0 },
	{ CN, "2026-09-20 10:00", 1 },		/* make-up Sunday */
	{ CN, "2026-09-25 10:00", 0 },		/* 中秋 Friday */
	{ CN, "2026-02-14 10:00", 1 },
	{ CN, "2026-02-16 10:00", 0 },
	{ CN, "2026-02-23 10:00", 0 },
	{ CN, "2026-02-24 10:00", 1 },
	{ CN, "2026-02-28 10:00", 1 },
	{ PLAIN, "2026-10-01 10:00", 1 },
	{ PLAIN, "2026-10-10 10:00", 0 },
	{ SIX, "2026-11-21 10:00", 1 },
	{ SIX, "2026-11-22 10:00", 0 }
};

static void
test_is_workday(void **state)
{
	struct test_cals	*tc = *state;
	int			 got;
	size_t			 i;

	for (i = 0; i < NITEMS(test_workday_rows); i++) {
		got = calendar_is_workday(tc->cal[test_workday_rows[i].cal],
		    test_time(test_workday_rows[i].when));
		if (got != test_workday_rows[i].workday)
			fail_msg("row %zu: %s is_workday %d, want %d", i,
			    test_workday_rows[i].when, got,
			    test_workday_rows[i].workday);
	}
}

static const struct {
	struct cal_period	 p[CAL_MAX_PERIODS + 1];
	size_t			 n;
	unsigned		 mask;
	int			 code;
} test_hours_rows[] = {
	{ { { 540, 1020 } }, 0, 0x3e, GL_EINVAL },
	{ { { 0, 60 }, { 60, 120 }, { 120, 180 }, { 180, 240 }, { 240, 300 },
	    { 300, 360 }, { 360, 420 }, { 420, 480 }, { 480, 540 } }, 9, 0x3e,
	    GL_EINVAL },
	{ { { -1, 600 } }, 1, 0x3e, GL_EINVAL },
	{ { { 600, 1441 } }, 1, 0x3e, GL_EINVAL },
	{ { { 600, 600 } }, 1, 0x3e, GL_EINVAL },
	{ { { 700, 600 } }, 1, 0x3e, GL_EINVAL },
	{ { { 480, 720 }, { 700, 1000 } }, 2, 0x3e, GL_EINVAL },
	{ { { 780, 1000 }, { 480, 720 } }, 2, 0x3e, GL_EINVAL },
	{ { { 480, 720 }, { 780, 1000 }, { 900, 960 } }, 3, 0x3e, GL_EINVAL },
	{ { { 540, 1020 } }, 1, 0, GL_EINVAL },
	{ { { 540, 1020 } }, 1, 0x3f, GL_EINVAL },	/* bit 0 */
	{ { { 540, 1020 } }, 1, 0x13e, GL_EINVAL },	/* bit 8 */
	/* Edges that are fine. */
	{ { { 0, 1440 } }, 1, 0xfe, 0 },
	{ { { 480, 720 }, { 720, 1000 } }, 2, 0x80, 0 },
	{ { { 0, 60 }, { 60, 120 }, { 120, 180 }, { 180, 240 }, { 240, 300 },
	    { 300, 360 }, { 360, 420 }, { 420, 480 } }, 8, 0x02, 0 }
};

static void
test_set_hours(void **state)
{
	struct calendar	*cal;
	char		 err[256];
	time_t		 sat = test_time("2026-11-21 10:00");
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < NITEMS(test_hours_rows); i++) {
		assert_int_equal(calendar_new(&cal), 0);
		err[0] = '\0';
		rc = calendar_set_hours(cal, test_hours_rows[i].p,
		    test_hours_rows[i].n, test_hours_rows[i].mask, err,
		    sizeof err);
		if (rc != test_hours_rows[i].code)
			fail_msg("row %zu: code %d, want %d", i, rc,
			    test_hours_rows[i].code);
		if (rc != 0) {
			/* Rejected: a message, and the defaults untouched. */
			assert_true(err[0] != '\0');
			assert_int_equal(calendar_day_seconds(cal), 27000);
			assert_int_equal(calendar_is_workday(cal, sat), 0);
		}
		calendar_free(cal);
	}
}

static void
test_day_set(void **state)
{
	static const struct {
		int	 y, m, d;
		int	 code;
	} rows[] = {
		{ 2024, 2, 29, 0 }, { 2026, 2, 29, GL_EINVAL },
		{ 2000, 2, 29, 0 }, { 2100, 2, 29, GL_EINVAL },
		{ 2026, 4, 31, GL_EINVAL }, { 2026, 12, 31, 0 },
		{ 2026, 13, 1, GL_EINVAL }, { 2026, 0, 1, GL_EINVAL },
		{ 2026, 1, 0, GL_EINVAL }, { 0, 1, 1, GL_EINVAL }
	};
	struct calendar	*cal;
	time_t		 tue = test_time("2026-11-24 10:00");
	time_t		 sat = test_time("2026-11-21 10:00");
	size_t		 i;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	for (i = 0; i < NITEMS(rows); i++)
		if (calendar_day_set(cal, rows[i].y, rows[i].m, rows[i].d,
		    CAL_DAY_HOLIDAY) != rows[i].code)
			fail_msg("row %zu: %d-%d-%d", i, rows[i].y, rows[i].m,
			    rows[i].d);
	/* A later mark of the same date replaces the earlier. */
	assert_int_equal(calendar_day_set(cal, 2026, 11, 24, CAL_DAY_HOLIDAY),
	    0);
	assert_int_equal(calendar_is_workday(cal, tue), 0);
	assert_int_equal(calendar_day_set(cal, 2026, 11, 24, CAL_DAY_WORKDAY),
	    0);
	assert_int_equal(calendar_is_workday(cal, tue), 1);
	assert_int_equal(calendar_day_set(cal, 2026, 11, 21, CAL_DAY_WORKDAY),
	    0);
	assert_int_equal(calendar_is_workday(cal, sat), 1);
	assert_int_equal(calendar_day_set(cal, 2026, 11, 21, CAL_DAY_HOLIDAY),
	    0);
	assert_int_equal(calendar_is_workday(cal, sat), 0);
	calendar_free(cal);
}

/*
 * Over a grid of starts (every 45 minutes through the National Day weeks)
 * and amounts: elapsed(start, add_seconds(start, s)) == s, and a moment t
 * just after working time (a working second ends at t) is reached again by
 * add_seconds(start, elapsed(start, t)).
 */
static void
test_inverse(void **state)
{
	static const long	 secs[] = {
		1, 1800, 3600, 12600, 27000, 99999
	};
	static const enum cal_unit units[] = {
		CAL_WORK_HOURS, CAL_WORK_DAYS, CAL_HOURS
	};
	struct test_cals	*tc = *state;
	const struct calendar	*cal = tc->cal[CN];
	time_t			 base, start, t, end;
	size_t			 i, u;
	long			 e;

	base = test_time("2026-09-28 00:00");
	end = test_time("2026-10-13 00:00");
	for (start = base; start < end; start += 45 * 60) {
		for (u = 0; u < NITEMS(units); u++) {
			for (i = 0; i < NITEMS(secs); i++) {
				t = calendar_add_seconds(cal, start, secs[i],
				    units[u]);
				assert_true(t > start);
				assert_int_equal(calendar_elapsed(cal, start,
				    t, units[u]), secs[i]);
			}
			for (t = start + 15 * 60; t < end; t += 5 * 3600) {
				e = calendar_elapsed(cal, start, t, units[u]);
				if (e == 0 || (units[u] != CAL_HOURS &&
				    calendar_work_seconds(cal, t - 1, t) != 1))
					continue;
				assert_int_equal(calendar_add_seconds(cal,
				    start, e, units[u]), t);
			}
		}
	}
}

/* A calendar whose only working weekday is always a holiday must not hang. */
static void
test_no_work(void **state)
{
	static const struct cal_period p[] = { { 540, 1020 } };
	struct calendar	*cal;
	time_t		 start = test_time("2026-11-24 10:00");
	time_t		 day;
	struct tm	 tm;
	int		 n;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	assert_int_equal(calendar_set_hours(cal, p, 1, 1U << 7, NULL, 0), 0);
	/* Every Sunday from 2026-11-29 for 11 years. */
	day = test_time("2026-11-29 12:00") + TEST_OFFSET;
	for (n = 0; n < 11 * 53; n++, day += 7 * 86400) {
		assert_non_null(gmtime_r(&day, &tm));
		assert_int_equal(calendar_day_set(cal, tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, CAL_DAY_HOLIDAY), 0);
	}
	assert_int_equal(calendar_add(cal, start, 1, CAL_WORK_HOURS),
	    start + 3600);
	assert_int_equal(calendar_add(cal, start, 2, CAL_WORK_DAYS),
	    start + 2 * 28800);
	calendar_free(cal);
}

/* Absurd amounts end, at most about a century later. */
static void
test_huge(void **state)
{
	struct test_cals	*tc = *state;
	time_t			 start = test_time("2026-11-24 10:00");
	time_t			 horizon = start + (time_t)36600 * 86400;
	size_t			 u;

	for (u = CAL_WORK_HOURS; u <= CAL_HOURS; u++) {
		assert_int_equal(calendar_add(tc->cal[CN], start, LONG_MAX,
		    (enum cal_unit)u), horizon);
		assert_int_equal(calendar_add_seconds(tc->cal[CN], start,
		    LONG_MAX, (enum cal_unit)u), horizon);
	}
}

static void
test_offset(void **state)
{
	struct calendar	*cal;
	time_t		 t = test_time("2026-11-21 04:00");	/* Sat +8 */

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	assert_int_equal(calendar_is_workday(cal, t), 0);
	calendar_set_offset(cal, 0);		/* Friday 20:00 in UTC */
	assert_int_equal(calendar_is_workday(cal, t), 1);
	assert_int_equal(calendar_add(cal, t, 1, CAL_WORK_HOURS),
	    test_time("2026-11-23 17:30"));	/* Monday 09:30 UTC */
	calendar_free(cal);
}

static void
test_units(void **state)
{
	static const struct {
		const char	*s;
		int		 code;
		enum cal_unit	 unit;
	} rows[] = {
		{ "工作时", 0, CAL_WORK_HOURS }, { "工作日", 0, CAL_WORK_DAYS },
		{ "自然时", 0, CAL_HOURS }, { "wh", 0, CAL_WORK_HOURS },
		{ "wd", 0, CAL_WORK_DAYS }, { "h", 0, CAL_HOURS },
		{ "", GL_EINVAL, 0 }, { "WH", GL_EINVAL, 0 },
		{ "工作", GL_EINVAL, 0 }, { "hours", GL_EINVAL, 0 },
		{ "工作时 ", GL_EINVAL, 0 }
	};
	enum cal_unit	unit;
	size_t		i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		unit = (enum cal_unit)-1;
		if (calendar_unit_parse(rows[i].s, &unit) != rows[i].code)
			fail_msg("row %zu: \"%s\"", i, rows[i].s);
		if (rows[i].code == 0)
			assert_int_equal(unit, rows[i].unit);
	}
	assert_string_equal(calendar_unit_name(CAL_WORK_HOURS), "工作时");
	assert_string_equal(calendar_unit_name(CAL_WORK_DAYS), "工作日");
	assert_string_equal(calendar_unit_name(CAL_HOURS), "自然时");
}

/* A calendar sent as text (calendar_spec) and read back answers every
 * working-time row as the one it came from; the SIX calendar's text is
 * written out here by hand; bad texts are refused at their byte. */
static void
test_spec(void **state)
{
	struct test_cals	*tc = *state;
	struct calendar		*copy;
	char			*spec, err[128];
	size_t			 i, c;
	static const struct {
		const char	*spec;
		size_t		 at;	/* the byte named in the error */
	} bad[] = {
		{ "", 0 }, { "off=28800", 9 }, { "off=x;hours=1-2;week=1", 4 },
		{ "off=0;hours=600-500;week=1", 0 },
		{ "off=0;hours=1-2;week=1;h=2026-02-30", 25 },
		{ "off=0;hours=1-2;week=1;x=1", 22 },
		{ "off=0;hours=1-2;week=1;h=2026-01-01 ", 35 }
	};

	for (c = 0; c < NCALS; c++) {
		spec = calendar_spec(tc->cal[c]);
		assert_non_null(spec);
		assert_int_equal(calendar_from_spec(spec, &copy, err,
		    sizeof err), 0);
		for (i = 0; i < NITEMS(test_work_rows); i++)
			if (test_work_rows[i].cal == c)
				assert_int_equal(calendar_work_seconds(copy,
				    test_time(test_work_rows[i].from),
				    test_time(test_work_rows[i].to)),
				    test_work_rows[i].seconds);
		free(spec);
		spec = calendar_spec(copy);	/* and the same text again */
		assert_non_null(spec);
		if (c == SIX)
			assert_string_equal(spec,
			    "off=28800;hours=540-1020;week=123456");
		if (c == CN)
			assert_non_null(strstr(spec, ";w=2026-02-14,"));
		free(spec);
		calendar_free(copy);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		err[0] = '\0';
		if (calendar_from_spec(bad[i].spec, &copy, err,
		    sizeof err) != GL_EINVAL || copy != NULL)
			fail_msg("bad spec %zu accepted", i);
		if (bad[i].at > 0) {
			char want[64];

			snprintf(want, sizeof want, "at byte %zu", bad[i].at);
			if (strstr(err, want) == NULL)
				fail_msg("bad spec %zu: %s", i, err);
		}
	}
}

/*
 * The end of the holiday table: CN covers 2026 (set here as the loader
 * sets it from holidays.tsv), PLAIN covers nothing known. A deadline on
 * the table's last working moment is firm, one a minute into 2027 is
 * provisional; days_left counts local dates (UTC+8: 2026-12-31 20:00 UTC
 * is already 2027-01-01 in Ningbo).
 */
static void
test_provisional(void **state)
{
	struct test_cals	*tc = *state;
	static const struct {
		enum test_cal	 cal;
		const char	*at;
		int		 provisional;
		long		 days_left;
	} rows[] = {
		{ CN, "2026-12-31 17:30", 0, 0 },
		{ CN, "2026-12-31 23:59", 0, 0 },
		{ CN, "2027-01-01 00:00", 1, -1 },
		{ CN, "2027-01-04 09:30", 1, -4 },
		{ CN, "2026-11-29 09:00", 0, 32 },
		{ CN, "2026-11-01 09:00", 0, 60 },
		{ CN, "2026-10-31 09:00", 0, 61 },
		{ CN, "2026-09-01 00:00", 0, 121 },
		{ CN, "2025-06-01 12:00", 0, 578 },
		{ PLAIN, "2027-01-04 09:30", 0, LONG_MAX },
		{ PLAIN, "2099-01-04 09:30", 0, LONG_MAX }
	};
	size_t	i;
	time_t	t;

	assert_int_equal(calendar_covered_until(tc->cal[CN]), 0);
	calendar_set_covered_until(tc->cal[CN], 2026);
	assert_int_equal(calendar_covered_until(tc->cal[CN]), 2026);
	assert_int_equal(calendar_covered_until(tc->cal[PLAIN]), 0);
	for (i = 0; i < NITEMS(rows); i++) {
		t = test_time(rows[i].at);
		if (calendar_provisional(tc->cal[rows[i].cal], t) !=
		    rows[i].provisional)
			fail_msg("row %zu (%s): provisional %d, want %d", i,
			    rows[i].at, !rows[i].provisional,
			    rows[i].provisional);
		if (calendar_days_left(tc->cal[rows[i].cal], t) !=
		    rows[i].days_left)
			fail_msg("row %zu (%s): %ld days left, want %ld", i,
			    rows[i].at, calendar_days_left(tc->cal[rows[i].cal],
			    t), rows[i].days_left);
	}
	assert_int_equal(calendar_provisional(tc->cal[CN], 0), 0);
	/* A 5-working-day limit from Monday 28 December runs into January:
	 * computed on weekdays alone (Fri 1 January is no holiday without
	 * the 2027 table) and provisional; from Monday 21 it is firm. */
	t = calendar_add(tc->cal[CN], test_time("2026-12-28 09:00"), 5,
	    CAL_WORK_DAYS);
	assert_true(t == test_time("2027-01-04 09:00"));
	assert_int_equal(calendar_provisional(tc->cal[CN], t), 1);
	t = calendar_add(tc->cal[CN], test_time("2026-12-21 09:00"), 5,
	    CAL_WORK_DAYS);
	assert_true(t == test_time("2026-12-28 09:00"));
	assert_int_equal(calendar_provisional(tc->cal[CN], t), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add, test_setup,
		    test_teardown),
		cmocka_unit_test_setup_teardown(test_work_seconds, test_setup,
		    test_teardown),
		cmocka_unit_test_setup_teardown(test_is_workday, test_setup,
		    test_teardown),
		cmocka_unit_test_setup_teardown(test_inverse, test_setup,
		    test_teardown),
		cmocka_unit_test_setup_teardown(test_huge, test_setup,
		    test_teardown),
		cmocka_unit_test_setup_teardown(test_spec, test_setup,
		    test_teardown),
		cmocka_unit_test_setup_teardown(test_provisional, test_setup,
		    test_teardown),
		cmocka_unit_test(test_set_hours),
		cmocka_unit_test(test_day_set),
		cmocka_unit_test(test_no_work),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_units)
	};

	/* The calendar must not care about the process TZ. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
