/*
 * progress.h: the progress line of a long-running feed (feed send, record,
 * replay; feed simulate too).
 *
 *   sent 4200  acked 4190  rejected 10  812/s  0:05  [#######.....]  42%
 *
 * Drawn on a terminal only, in place (a carriage return and a clear to the
 * end of the line), at most ten times a second whatever the caller's pace;
 * the bar only when the total is known. progress_finish always prints one
 * summary line, on a terminal or not, so a script's log says how a feed
 * ended. Messages the caller prints meanwhile (a rejected item) go through
 * progress_clear first, so they do not land in the middle of the line.
 *
 * Counts, not a formatted line, come in: the caller counts, progress.c
 * decides when and how to show them. Rejected: a timer redrawing on its
 * own (a thread, or a uv timer each feed would have to run); the feeds
 * update after each reply and while they wait, which is often enough.
 */
#ifndef GL_PROGRESS_H
#define GL_PROGRESS_H

#include <stdio.h>

struct progress;

/* What a feed has done so far. */
struct progress_counts {
	long	sent;		/* items sent (recorded, for a recorder) */
	long	acked;		/* acknowledged ok (replayed ones included) */
	long	replayed;	/* of those, replays of stored ids */
	long	rejected;	/* refused by the server, or unreadable input */
	long	lost;		/* sent and never answered */
};

#define PROGRESS_REPLIES	0x1	/* the feed has replies: show acked,
					   rejected, lost (not for record) */

/* A progress display on fp for the command name ("feed send"); label
 * names the main count ("sent", "recorded"), total is the number of items
 * expected (-1: unknown, no bar). Drawn only when fp is a terminal. Free
 * with progress_finish. NULL when out of memory (the other calls then do
 * nothing). */
struct progress *progress_new(FILE *fp, const char *name, const char *label,
	    long total, unsigned flags);

/* The counts now: redrawn when a tenth of a second has passed since the
 * last drawing. */
void	progress_update(struct progress *p, const struct progress_counts *c);

/* Clear the line (on a terminal) before printing something else on fp;
 * the next update draws it again. */
void	progress_clear(struct progress *p);

/* Clear the line, print the one-line summary of c (always, terminal or
 * not) and free p. */
void	progress_finish(struct progress *p, const struct progress_counts *c);

/* Monotonic seconds, for the feeds' pacing and the elapsed time shown. */
double	progress_clock(void);

#endif
