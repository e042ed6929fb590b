/*
 * figures.h: the evaluation figures agencies are judged by (issue 14),
 * computed from the event log for a period and a grouping.
 *
 * Every figure is a count of events in [from, to) or a property of a
 * case as the log stands at `to`; docs/REPORTS.md gives each formula and
 * `gridline report --explain` prints them. Durations are working seconds
 * on the business calendar given (calendar_work_seconds). Nothing here
 * prints or formats: the report and export subcommands do that.
 */
#ifndef GL_FIGURES_H
#define GL_FIGURES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "calendar.h"
#include "lifecycle.h"
#include "refdata.h"

struct store;

#define FIGURES_BY_LIST(X)						\
	X(AGENCY,	"agency")					\
	X(TOWNSHIP,	"township")					\
	X(DISTRICT,	"district")					\
	X(CATEGORY,	"category")					\
	X(PLATFORM,	"platform")					\
	X(OPERATOR,	"operator")

enum figures_by {
#define FB_ENUM(e, name) FB_##e,
	FIGURES_BY_LIST(FB_ENUM)
#undef FB_ENUM
	FB__COUNT
};

#define FIGURES_MIN_DEFAULT	5	/* fewer than this: "too few" */

/* Durations of one kind in one group, working seconds, unsorted until
 * figures_compute returns (then ascending). */
struct figures_times {
	long		*v;
	size_t		 n, cap;
};

/* One group's figures (docs/REPORTS.md for each). */
struct figures_group {
	char		 key[64];	/* agency, township, ... code, or the
					   operator's name; "" for none */
	long		 received;	/* reported in the period, not merged
					   away by its end */
	long		 cohort;	/* of those, not voided */
	long		 cohort_closed;	/* of those, closed at the end */
	long		 registered;	/* register actions in the period */
	long		 dispatched;	/* dispatch actions in the period */
	long		 closed;	/* close actions in the period */
	long		 voided;	/* void actions in the period */
	long		 merged;	/* merge actions in the period */
	long		 due;		/* deadline in the period, running */
	long		 ontime;	/* of those, closed, fed back in time */
	long		 provisional;	/* of the due, deadline beyond the
					   holiday table (calendar.h) */
	long		 returns;	/* return actions in the period */
	long		 reasons[RR__COUNT];	/* returns by reason code */
	long		 checks;	/* verify + rework actions */
	long		 reworks;	/* rework actions */
	long		 extensions;	/* extension grants */
	long		 presses;	/* press actions */
	long		 disputes;	/* second returns of a case */
	long		 callbacks;	/* 12345 call-backs (回访) */
	long		 cb[CB__COUNT];	/* call-backs by result */
	long		 cb_pleased;	/* satisfied + basically satisfied */
	long		 cb_reached;	/* call-backs less unreachable */
	long		 rating_sum;	/* --by agency: the scores of the
					   period's months (ratings) */
	long		 ratings;	/* and their number */
	struct figures_times ack;	/* dispatch -> acknowledge */
	struct figures_times to_dispatch; /* report -> first dispatch */
	struct figures_times to_close;	/* report -> close */
};

/* What to compute. */
struct figures_query {
	time_t		 from, to;	/* the period, [from, to) */
	enum figures_by	 by;
	const struct calendar *cal;	/* working time; required */
	const struct refdata *rd;	/* categories' platforms; NULL: "" */
	/* called now and then with events read so far and in all, may be
	 * NULL */
	void		(*progress)(void *arg, int64_t done, int64_t total);
	void		*progress_arg;
};

struct figures;

/* The figures of q over st, groups in key order, into *out (free with
 * figures_free). 0, or GL_ENOMEM / GL_EDB with a message in err. */
int	figures_compute(struct store *st, const struct figures_query *q,
	    struct figures **out, char *err, size_t errlen);
void	figures_free(struct figures *f);
size_t	figures_count(const struct figures *f);
const struct figures_group *figures_at(const struct figures *f, size_t i);
/* All groups added up (times merged), for a total row. */
const struct figures_group *figures_total(const struct figures *f);

/* num / den as a percentage into *pct: 0; 1 when den is 0 (nothing to
 * rate); 2 when den is under min (too few to rate). */
int	figures_rate(long num, long den, long min, double *pct);

/* The nearest-rank percentile p (1..100) of t into *out: the value at
 * rank ceil(p / 100 * n) of the sorted values; 1 when t has none, 2 when
 * it has fewer than min. */
int	figures_pct(const struct figures_times *t, int p, long min,
	    long *out);

const char *figures_by_name(enum figures_by b);
/* 0, or GL_EINVAL for a name not in FIGURES_BY_LIST. */
int	figures_by_parse(const char *s, enum figures_by *out);

#endif
