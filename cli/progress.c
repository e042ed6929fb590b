/*
 * progress.c: the progress line of a feed (see progress.h).
 *
 * The line is kept within 79 columns (the bar shrinks first) and redrawn
 * with "\r" and "\033[K" only: a feed's stderr is a terminal or nothing
 * is drawn, and any terminal gridline runs on knows both. The clock is
 * CLOCK_MONOTONIC, so a changed wall clock does not change the rate.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

#define PROGRESS_EVERY	0.1	/* seconds between drawings, at least */
#define PROGRESS_BAR	24	/* the bar's width in columns */

struct progress {
	FILE		*fp;
	const char	*name;		/* "feed send" */
	const char	*label;		/* "sent", untranslated */
	long		 total;		/* -1: unknown */
	unsigned	 flags;		/* PROGRESS_* */
	int		 tty;		/* fp is a terminal: draw */
	int		 drawn;		/* the line is on the screen */
	double		 start;		/* when made, monotonic seconds */
	double		 last;		/* the last drawing */
};

double
progress_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress *
progress_new(FILE *fp, const char *name, const char *label, long total,
    unsigned flags)
{
	struct progress	*p;

	assert(fp != NULL && name != NULL && label != NULL);
	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->fp = fp;
	p->name = name;
	p->label = label;
	p->total = total;
	p->flags = flags;
	p->tty = isatty(fileno(fp));
	p->start = progress_clock();
	p->last = 0;
	return p;
}

/* The per-second rate of the main count. */
static double
progress_rate(const struct progress *p, const struct progress_counts *c,
    double now)
{
	double	 secs = now - p->start;
	long	 n = p->flags & PROGRESS_REPLIES ? c->acked : c->sent;

	return secs > 0.001 ? (double)n / secs : 0;
}

static void
progress_draw(struct progress *p, const struct progress_counts *c, double now)
{
	long	 el = (long)(now - p->start), done;
	int	 fill, i;

	fprintf(p->fp, "\r%s %ld", _(p->label), c->sent);
	if (p->flags & PROGRESS_REPLIES)
		fprintf(p->fp, _("  acked %ld  rejected %ld"), c->acked,
		    c->rejected);
	if (c->lost > 0)
		fprintf(p->fp, _("  lost %ld"), c->lost);
	fprintf(p->fp, "  %.0f/s  %ld:%02ld", progress_rate(p, c, now),
	    el / 60, el % 60);
	if (p->total > 0) {
		done = p->flags & PROGRESS_REPLIES ? c->acked + c->rejected +
		    c->lost : c->sent;
		if (done > p->total)
			done = p->total;
		fill = (int)(PROGRESS_BAR * done / p->total);
		fputs("  [", p->fp);
		for (i = 0; i < PROGRESS_BAR; i++)
			fputc(i < fill ? '#' : '.', p->fp);
		fprintf(p->fp, "] %3ld%%", 100 * done / p->total);
	}
	fputs("\033[K", p->fp);
	fflush(p->fp);
	p->drawn = 1;
	p->last = now;
}

void
progress_update(struct progress *p, const struct progress_counts *c)
{
	double	now;

	if (p == NULL || !p->tty)
		return;
	now = progress_clock();
	if (p->drawn && now - p->last < PROGRESS_EVERY)
		return;
	progress_draw(p, c, now);
}

void
progress_clear(struct progress *p)
{
	if (p == NULL || !p->drawn)
		return;
	fputs("\r\033[K", p->fp);
	fflush(p->fp);
	p->drawn = 0;
}

void
progress_finish(struct progress *p, const struct progress_counts *c)
{
	double	secs;

	if (p == NULL)
		return;
	progress_clear(p);
	secs = progress_clock() - p->start;
	fprintf(p->fp, "%s: %s %ld", p->name, _(p->label), c->sent);
	if (p->flags & PROGRESS_REPLIES)
		fprintf(p->fp, _(", acknowledged %ld (%ld replayed), "
		    "rejected %ld, lost %ld"), c->acked, c->replayed,
		    c->rejected, c->lost);
	fprintf(p->fp, _(" in %.1f s (%.0f/s)\n"), secs,
	    progress_rate(p, c, progress_clock()));
	fflush(p->fp);
	free(p);
}
