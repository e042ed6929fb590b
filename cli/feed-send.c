/*
 * feed-send.c: `gridline feed send FILE|- [--batch N]`: the incidents of a
 * JSON Lines file, plain item lines or recording lines (feed.h), sent in
 * arrays of N (100) as fast as they are acknowledged. Each refused item is
 * printed with its line; a line that is not JSON is printed and skipped,
 * and the rest still goes. Exit 1 when anything was refused or lost.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

static const struct option send_longopts[] = {
	FEED_TARGET_OPTIONS,
	{ "batch",	required_argument, NULL, 'b' },
	{ NULL, 0, NULL, 0 }
};

static int
send_exec(struct gridline *gl, int argc, char **argv)
{
	struct feed_target	 t = { NULL, NULL, NULL };
	struct feed_opts	 o = { "feed send", NULL, FEED_BATCH, -1,
				    FEED_TIMEOUT_MS };
	struct feed_lines	 l;
	char			*end;
	int			 c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", send_longopts, NULL)) != -1) {
		if (feed_target_option(&t, c, optarg))
			continue;
		if (c != 'b')
			return feed_usage(&feed_verb_send);
		o.batch = (int)strtol(optarg, &end, 10);
		if (*end != '\0' || o.batch < 1 || o.batch > 10000) {
			fprintf(stderr, _("gridline feed send: --batch must be "
			    "1 to 10000\n"));
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return feed_usage(&feed_verb_send);
	memset(&l, 0, sizeof l);
	return feed_lines_run(gl, &t, &o, &l, argv[optind], 0);
}

const struct feed_verb feed_verb_send = {
	"send", "FILE|- [--batch N] [--run-dir DIR] [--to URL] "
	"[--feeder-key FILE]",
	send_exec
};
