/*
 * feed-replay.c: `gridline feed replay FILE [--speed X|max] [--from T]`: a
 * recording (feed.h) sent again with its lines' spacing scaled by X (1:
 * as recorded; 10: ten times faster; max: as fast as acknowledged),
 * starting at the first line at or after T (RFC 3339). The items keep
 * their ids, so a second replay into one server stores nothing new: the
 * server answers each item `replayed`, and the summary counts them.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "gltime.h"

static const struct option replay_longopts[] = {
	FEED_TARGET_OPTIONS,
	{ "speed",	required_argument, NULL, 's' },
	{ "from",	required_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 }
};

/* --speed X|max into l (0: max); 0, or -1 when it is neither. */
static int
replay_speed(const char *arg, struct feed_lines *l)
{
	char	*end;

	if (strcmp(arg, "max") == 0) {
		l->speed = 0;
		return 0;
	}
	l->speed = strtod(arg, &end);
	return *end == '\0' && l->speed > 0 && l->speed <= 1e6 ? 0 : -1;
}

static int
replay_exec(struct gridline *gl, int argc, char **argv)
{
	struct feed_target	 t = { NULL, NULL, NULL };
	struct feed_opts	 o = { "feed replay", NULL, FEED_BATCH, -1,
				    FEED_TIMEOUT_MS };
	struct feed_lines	 l;
	int			 c;

	memset(&l, 0, sizeof l);
	l.speed = 1;
	l.need_at = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", replay_longopts,
	    NULL)) != -1) {
		if (feed_target_option(&t, c, optarg))
			continue;
		if (c == 's' && replay_speed(optarg, &l) == 0)
			continue;
		if (c == 'f' && gltime_parse(optarg, &l.from) == 0)
			continue;
		if (c == 's' || c == 'f')
			fprintf(stderr, c == 's' ? _("gridline feed replay: "
			    "--speed is a number above 0, or max\n") :
			    _("gridline feed replay: --from is an RFC 3339 "
			    "time with an offset\n"));
		return feed_usage(&feed_verb_replay);
	}
	if (optind != argc - 1)
		return feed_usage(&feed_verb_replay);
	return feed_lines_run(gl, &t, &o, &l, argv[optind], l.from != 0);
}

const struct feed_verb feed_verb_replay = {
	"replay", "FILE [--speed X|max] [--from T] [--run-dir DIR] [--to URL] "
	"[--feeder-key FILE]",
	replay_exec
};
