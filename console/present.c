/*
 * present.c: a case in words and marks (see present.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "present.h"

const char *
present_str(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

void
present_short_no(const char *no, char *buf, size_t len)
{
	size_t	nl = strlen(no);

	/* the district within the city, the day, the number */
	if (nl >= 21 && no[6] == '-' && no[15] == '-')
		snprintf(buf, len, "%.3s-%.4s-%s", no + 3, no + 11, no + 16);
	else
		snprintf(buf, len, "%s", no);
}

static int
present_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
present_full_no(struct console *c, const char *typed, char *buf, size_t len)
{
	size_t		 n = strlen(typed), i;
	char		 sh[48];
	struct mcase	*m;

	if (n == 21 && typed[6] == '-' && typed[15] == '-') {
		snprintf(buf, len, "%s", typed);
		return 0;
	}
	/* 203-1124-00042: the city's first three digits and the year are
	 * those of the open cases (or of today, when none is open) */
	if (n < 14 || typed[3] != '-' || typed[8] != '-' ||
	    !present_digits(typed, 3) || !present_digits(typed + 4, 4))
		return -1;
	for (i = 0; i < model_open_count(c->model); i++) {
		m = model_open_at(c->model, i);
		present_short_no(m->no, sh, sizeof sh);
		if (strcmp(sh, typed) == 0) {
			snprintf(buf, len, "%s", m->no);
			return 0;
		}
	}
	{
		time_t		 now = console_time(c);
		struct tm	 tm;
		const char	*city = "330";

		if (model_open_count(c->model) > 0)
			city = model_open_at(c->model, 0)->no;
		localtime_r(&now, &tm);
		snprintf(buf, len, "%.3s%.3s-%04d%.4s-%s", city, typed,
		    tm.tm_year + 1900, typed + 4, typed + 9);
	}
	return 0;
}

/* d seconds as 2d3h or 1h05 (a minus before a negative one). */
static void
present_span(long d, char *buf, size_t len)
{
	long	a = d < 0 ? -d : d;

	if (a >= 86400)
		snprintf(buf, len, "%s%ldd%ldh", d < 0 ? "-" : "", a / 86400,
		    a % 86400 / 3600);
	else
		snprintf(buf, len, "%s%ldh%02ld", d < 0 ? "-" : "", a / 3600,
		    a % 3600 / 60);
}

void
present_left(enum case_state s, time_t due_at, int paused,
    int provisional, time_t now, char *buf, size_t len)
{
	size_t	n;

	if (due_at == 0 || !case_state_clock_runs(s)) {
		snprintf(buf, len, "%s", paused ? _("paused") : "-");
		return;
	}
	present_span((long)(due_at - now), buf, len);
	if (provisional && (n = strlen(buf)) + 1 < len) {
		buf[n] = PRESENT_PROVISIONAL;
		buf[n + 1] = '\0';
	}
}

void
present_since(const struct mcase *m, time_t now, char *buf, size_t len)
{
	if (m->dispatched_at == 0 || (m->state != CS_DISPATCHED &&
	    m->state != CS_ACKNOWLEDGED && m->state != CS_IN_HAND)) {
		snprintf(buf, len, "-");
		return;
	}
	present_span((long)(now - m->dispatched_at), buf, len);
}

int
present_ack_late(const struct mcase *m, time_t now, long timeout_s,
    const struct calendar *cal)
{
	if (m->state != CS_DISPATCHED || m->dispatched_at == 0 ||
	    timeout_s <= 0 || now - m->dispatched_at < timeout_s)
		return 0;	/* working time is never more than wall time */
	return cal == NULL || calendar_work_seconds(cal, m->dispatched_at,
	    now) >= timeout_s;
}

int
present_role(const struct mcase *m, time_t now)
{
	if (m->disputed)
		return ROLE_DISPUTED;
	if (case_overdue(m->state, m->due_at, now))
		return ROLE_OVERDUE;
	if (case_due_soon(m->state, m->due_at, now))
		return ROLE_DUE_SOON;
	if (m->priority == 1)
		return ROLE_URGENT;
	if (m->state == CS_REPORTED && m->fresh)
		return ROLE_NEW;
	return ROLE_NORMAL;
}

char
present_mark(int role)
{
	switch (role) {
	case ROLE_OVERDUE:	return '!';
	case ROLE_DUE_SOON:	return '~';
	case ROLE_URGENT:	return '^';
	case ROLE_NEW:		return '+';
	case ROLE_DISPUTED:	return '#';
	default:		return ' ';
	}
}
