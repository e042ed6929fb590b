/*
 * feed.h: what the `gridline feed` verbs share (issue 13).
 *
 *   feed send FILE|- [--batch N]		items from JSON Lines
 *   feed record [--out FILE] ...		the server's incidents, as lines
 *   feed replay FILE [--speed X|max] [--from T]	a recording again
 *   feed simulate [--rate N/s|max] [--out FILE] ...	the simulator's
 *
 * Each verb is one file (feed-send.c, feed-record.c, feed-replay.c,
 * feed-simulate.c) with
 * one const struct feed_verb; sub-feed.c lists them. Every verb speaks the
 * public protocol (docs/PROTOCOL.md) as any outside feeder does.
 *
 * The recording format, shared with the training scenarios: JSON Lines,
 * one incident a line,
 *
 *   {"at":"2026-12-01T08:30:05+08:00","item":{...the ingest item...}}
 *
 * where "at" is the arrival time on the server's clock. A plain item line
 * (no "at" or "item") is read as the item itself.
 *
 * Sending (feed_run) is one function for every feed, feed simulate
 * included: a source callback gives the next item and when it should go;
 * feed_run paces, batches, sends, reads the replies, prints each rejected
 * item, keeps the progress line (progress.h) and the counts. It blocks on
 * one REQ socket: REQ has one request in flight, and a feed has nothing
 * else to wait for, so the one-loop rule of STYLE.md (libuv) would add a
 * loop and nothing it could run beside the request.
 */
#ifndef GL_FEED_H
#define GL_FEED_H

#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "progress.h"

/* --- the verbs --------------------------------------------------------- */

struct feed_verb {
	const char	*name;		/* "send" */
	const char	*args;		/* for usage */
	int		(*exec)(struct gridline *gl, int argc, char **argv);
};

extern const struct feed_verb feed_verb_send;
extern const struct feed_verb feed_verb_record;
extern const struct feed_verb feed_verb_replay;
extern const struct feed_verb feed_verb_simulate;

/* Print "usage: gridline feed VERB ARGS" to stderr; EXIT_USAGE. */
int	feed_usage(const struct feed_verb *v);

/* --- where the items go ------------------------------------------------- */

struct feed_target {
	const char	*run_dir;	/* --run-dir; NULL: the default */
	const char	*to;		/* --to URL; NULL: the run dir's
					   ingest.sock */
	const char	*feeder_key;	/* --feeder-key FILE: every request
					   sealed (net/proto/mac.h); NULL:
					   bare bodies */
};

/* The getopt_long entries of struct feed_target's options, for a verb's
 * table, and their handling: 1 when c was one of them. */
#define FEED_TARGET_OPTIONS						\
	{ "run-dir",	 required_argument, NULL, 'r' },		\
	{ "to",		 required_argument, NULL, 't' },		\
	{ "feeder-key",	 required_argument, NULL, 'K' }
int	feed_target_option(struct feed_target *t, int c, const char *arg);

/* --- the sending, for every feed ------------------------------------------ */

#define FEED_NOW	(-1.0)	/* feed_item.due: as soon as it may go */

/* One item a source gives feed_run. */
struct feed_item {
	char	*json;		/* FEED_ITEM: the item, one JSON object's
				   text (malloc; feed_run frees it) */
	char	*error;		/* FEED_BAD: why the input was refused, for
				   "SRC:LINE: ERROR" (malloc; freed) */
	double	 due;		/* seconds after the feed's start when it
				   should be sent, or FEED_NOW */
	long	 line;		/* where it came from, for messages: the
				   line of the input (simulate: its number) */
};

enum feed_next {
	FEED_END,		/* no more items */
	FEED_ITEM,		/* *it holds an item */
	FEED_BAD		/* *it holds an error: counted as rejected,
				   printed, and the feed goes on */
};

/* A source: fill *it (zeroed by the caller) with the next item. */
typedef enum feed_next (*feed_next_fn)(void *arg, struct feed_item *it);

struct feed_opts {
	const char	*name;		/* "feed send", for messages */
	const char	*src;		/* the input's name in messages */
	int		 batch;		/* items a request at most, 1..10000 */
	long		 total;		/* items expected (-1: unknown): the
					   progress bar */
	int		 timeout_ms;	/* wait for a reply; then lost */
};

/* Defaults of struct feed_opts. */
#define FEED_BATCH	100
#define FEED_TIMEOUT_MS	30000

/*
 * Send what next gives to t, as o says. Items due now go together, up to
 * o->batch a request; an item due later waits until its time (the items
 * that fall due together then go as one request). Each request waits for
 * its reply before the next is sent, so a feed never runs ahead of the
 * server: FEED_NOW everywhere is "as fast as acknowledged". Every item the
 * server refuses is printed on stderr as
 *
 *   SRC:LINE: id ID: CODE (FIELD): MESSAGE
 *
 * A request refused as a whole is retried while the refusal says to send
 * again later (rate_limited), up to a bound. A request without a reply
 * within o->timeout_ms ends the feed: its items are lost.
 *
 * Progress on stderr when it is a terminal; the summary line always. The
 * counts in *out when out is not NULL. EXIT_OK when every item was
 * acknowledged, EXIT_FAIL when one was rejected or lost or the target
 * could not be reached (said on stderr).
 */
int	feed_run(struct gridline *gl, const struct feed_target *t,
	    const struct feed_opts *o, feed_next_fn next, void *arg,
	    struct progress_counts *out);

/* --- JSON Lines ----------------------------------------------------------- */

/* A JSON Lines input, read line by line. */
struct feed_file {
	FILE		*fp;
	const char	*name;		/* as given ("-": standard input) */
	long		 line;		/* the line last read */
	char		*buf;		/* getline's */
	size_t		 cap;
};

/* Open path ("-": standard input) in f. 0, or -1 with the reason
 * printed. */
int	feed_file_open(struct feed_file *f, const char *name, const char *path);
void	feed_file_close(struct feed_file *f);

/* The number of non-blank lines of a regular file at path, for the bar;
 * -1 for standard input or what cannot be counted. */
long	feed_file_count(const char *path);

/*
 * A source (feed_next_fn) of the lines of a JSON Lines input, for send
 * and replay: each line's item as sent, due when its "at" says. A line
 * that is not JSON, not an object, or a recording line with a bad "at" or
 * "item" is FEED_BAD ("not JSON: ...").
 */
struct feed_lines {
	struct feed_file f;
	double		 speed;		/* > 0: a line goes (at - the first
					   line's at) / speed after the
					   start; 0: all FEED_NOW */
	int		 need_at;	/* a line without "at" is FEED_BAD */
	time_t		 from;		/* skip lines whose at is before it
					   (0: none) */
	time_t		 t0;		/* the first line's at */
	int		 started;	/* t0 is set */
};
enum feed_next feed_lines_next(void *arg, struct feed_item *it);

/* feed_run on the lines of path ("-": standard input) with l's settings
 * (its file is opened and closed here); o->src and o->total are set from
 * path (no total when skip_total). The exit code. */
int	feed_lines_run(struct gridline *gl, const struct feed_target *t,
	    struct feed_opts *o, struct feed_lines *l, const char *path,
	    int skip_total);

/* --out FILE of command name, made 0600 (incidents name people), or
 * standard output for NULL or "-"; NULL with the reason printed. The
 * caller fcloses what is not stdout. */
FILE	*feed_output_open(const char *name, const char *path);

/* One recording line for item arrived at (RFC 3339), written to fp. 0, or
 * -1 when out of memory or the write failed. */
int	feed_line_write(FILE *fp, const char *at, json_t *item);

#endif
