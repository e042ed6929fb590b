/*
 * sub-feed.c: `gridline feed VERB ...`, incidents in and out through the
 * public protocol (issue 13): a small table of verbs, one file each
 * (feed-send.c, feed-record.c, feed-replay.c, feed-simulate.c), as gridline.c lists the
 * subcommands. What they share is in feed.c (feed.h); the progress line in
 * progress.c.
 */
#include <string.h>

#include "cli.h"
#include "feed.h"

static const struct feed_verb *const feed_verbs[] = {
	&feed_verb_send,
	&feed_verb_record,
	&feed_verb_replay,
	&feed_verb_simulate,
};

#define NVERBS (sizeof feed_verbs / sizeof feed_verbs[0])

static int
feed_exec(struct gridline *gl, int argc, char **argv)
{
	size_t	i;

	if (argc >= 2)
		for (i = 0; i < NVERBS; i++)
			if (strcmp(argv[1], feed_verbs[i]->name) == 0)
				return feed_verbs[i]->exec(gl, argc - 1,
				    argv + 1);
	return cli_usage(&sub_feed);
}

const struct subcmd sub_feed = {
	"feed", "send FILE|- [--batch N] | record [--out FILE] [--since SEQ] "
	"[--count N] [--duration S] [--key FILE] | replay FILE "
	"[--speed X|max] [--from T] | simulate [--rate N/s|max] [--count N] "
	"[--duration S] [--seed N] [--scenario NAME] [--start TIME] "
	"[--out FILE]; each [--run-dir DIR] [--to URL] [--feeder-key FILE]",
	N_("send incidents from JSON Lines, record the server's, replay a "
	"recording, simulate a city's"),
	feed_exec
};
