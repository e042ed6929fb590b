/*
 * calendar.h: the business calendar that deadlines run on.
 *
 * A case's time limit is counted in working hours, working days or natural
 * hours. Working time is a set of daily periods (default 08:30-12:00 and
 * 13:30-17:30) on working weekdays (default Monday to Friday), minus holidays,
 * plus make-up working days (调休) that fall on weekends. All arithmetic is in
 * the city's local time, given as a fixed offset east of UTC (Ningbo: +8 h,
 * no daylight saving), so results never depend on the TZ of the process.
 *
 * One working day is as long as the standard day's periods together (7.5 h by
 * default): "2 working days" from Monday 10:00 ends Wednesday 10:00.
 */
#ifndef GL_CALENDAR_H
#define GL_CALENDAR_H

#include <stddef.h>
#include <time.h>

enum cal_unit {
	CAL_WORK_HOURS,		/* 工作时: hours of working time */
	CAL_WORK_DAYS,		/* 工作日: standard working days of working time */
	CAL_HOURS		/* 自然时: wall-clock hours, never paused by night */
};

enum cal_daykind {
	CAL_DAY_HOLIDAY,	/* a day off, even on a working weekday */
	CAL_DAY_WORKDAY		/* a make-up working day, even on a weekend */
};

struct cal_period {
	int start;		/* minutes after local midnight, inclusive */
	int end;		/* minutes after local midnight, exclusive */
};

#define CAL_MAX_PERIODS 8

struct calendar;

/* A calendar with the defaults above and UTC+8; *out is freed by
 * calendar_free. Returns 0 or GL_ENOMEM. */
int	calendar_new(struct calendar **out);
void	calendar_free(struct calendar *cal);

/* Local time offset east of UTC in seconds (28800 for China). */
void	calendar_set_offset(struct calendar *cal, long seconds_east);

/* Replace the daily working periods: sorted, non-overlapping, each within
 * 0..1440 with start < end, 1..CAL_MAX_PERIODS of them. weekday_mask has bit
 * (1 << wd) set for each working weekday, wd 1 Monday .. 7 Sunday. Returns 0,
 * or GL_EINVAL with a message in err. */
int	calendar_set_hours(struct calendar *cal, const struct cal_period *p,
	    size_t n, unsigned weekday_mask, char *err, size_t errlen);

/* Mark one local date as holiday or make-up working day; a later call for
 * the same date replaces the earlier. Returns 0, GL_EINVAL or GL_ENOMEM. */
int	calendar_day_set(struct calendar *cal, int year, int month, int day,
	    enum cal_daykind kind);

/* The last year the holiday table covers (0, the default: not known, and
 * nothing is provisional). The loader sets it to the highest year of
 * data/holidays.tsv. */
void	calendar_set_covered_until(struct calendar *cal, int year);
int	calendar_covered_until(const struct calendar *cal);

/* 1 when the local date of t lies beyond the covered years: a deadline
 * there was counted on weekdays alone, without the holidays and make-up
 * days nobody has published yet, and is provisional. 0 for t == 0. */
int	calendar_provisional(const struct calendar *cal, time_t t);

/* Days from the local date of now to the last day of the covered years
 * (31 December): 0 on that day, negative after it. LONG_MAX when the
 * covered years are not known. `gridline check` and the server's status
 * warn when it is CAL_WARN_DAYS or less. */
#define CAL_WARN_DAYS	60L
long	calendar_days_left(const struct calendar *cal, time_t now);
/* The warning, in English, into buf when the table ends within
 * CAL_WARN_DAYS of now or has ended ("the holiday table ends with 2026 (in
 * 32 days): ..."); returns 1, or 0 with buf empty when there is none. */
int	calendar_warning(const struct calendar *cal, time_t now, char *buf,
	    size_t len);

/* 1 when the local date containing t is a working day. */
int	calendar_is_workday(const struct calendar *cal, time_t t);

/* Working seconds in [from, to); 0 when to <= from. */
long	calendar_work_seconds(const struct calendar *cal, time_t from,
	    time_t to);

/* Seconds in one standard working day (27000 by default). */
long	calendar_day_seconds(const struct calendar *cal);

/* The deadline: the instant when `amount` units of time have run from
 * start. For working units the clock runs only in working time, so a start
 * outside it begins at the next working moment; a deadline that lands on the
 * end of a period is that end (12:00, not 13:30). amount >= 0. */
time_t	calendar_add(const struct calendar *cal, time_t start, long amount,
	    enum cal_unit unit);

/* Seconds of the unit's own clock between from and to: working seconds for
 * the working units, wall seconds for CAL_HOURS. Used to pause and resume a
 * deadline. */
long	calendar_elapsed(const struct calendar *cal, time_t from, time_t to,
	    enum cal_unit unit);

/* The deadline after `seconds` of the unit's own clock from start (the
 * inverse of calendar_elapsed). */
time_t	calendar_add_seconds(const struct calendar *cal, time_t start,
	    long seconds, enum cal_unit unit);

/* The latest instant t <= end with calendar_elapsed(t, end, unit) >=
 * seconds: a deadline `seconds` of the unit's clock before end (to keep an
 * overdue case overdue by the same amount after a pause). */
time_t	calendar_sub_seconds(const struct calendar *cal, time_t end,
	    long seconds, enum cal_unit unit);

/* The calendar as one line of text (offset, periods, weekdays, marked
 * days), to hand to a client; malloc'd, NULL when out of memory. */
char	*calendar_spec(const struct calendar *cal);
/* A calendar from calendar_spec's text; 0, or GL_EINVAL naming the byte. */
int	calendar_from_spec(const char *spec, struct calendar **out,
	    char *err, size_t errlen);

/* Parse "工作时"/"工作日"/"自然时" (or "wh"/"wd"/"h"); 0 or GL_EINVAL. */
int	calendar_unit_parse(const char *s, enum cal_unit *out);
/* The most of a unit a time extension may ask for or grant: a year of it
 * (366 days, 8,784 hours for both hour units, counted as wall hours;
 * docs/PROTOCOL.md "Bounds"). */
#define CAL_YEAR_DAYS	366L
#define CAL_YEAR_HOURS	(366L * 24)
long	calendar_unit_year(enum cal_unit unit);
/* The Chinese name of a unit ("工作时"). */
const char *calendar_unit_name(enum cal_unit unit);

#endif
