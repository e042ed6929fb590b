/*
 * feeders.h: who sends incidents, on the loop thread (issue 12).
 *
 * A feeder has a name and a shared key (mac.h). On a tcp:// ingest
 * endpoint every request must come in a feeder's envelope with a right
 * MAC (once the database has operators, as for control requests); on ipc
 * an envelope is checked when there is one, and a bare body is taken as
 * before (the run directory guards the socket). Each feeder
 * has a token bucket (--feeder-rate N a second, --feeder-burst M): a
 * request over it is refused rate_limited and stored nowhere, as the
 * point is to spare the store. Counts per feeder, for `ctl feeders`.
 */
#ifndef GL_FEEDERS_H
#define GL_FEEDERS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "mac.h"

struct feeder {
	char		 name[257];
	uint8_t		 key[MAC_KEY_BYTES];
	int		 disabled;
	double		 tokens;	/* the bucket */
	uint64_t	 at_ms;		/* when it was last filled */
	uint64_t	 accepted, refused, limited;
};

struct feeders;

/* rate: requests a second for each feeder (0: no limit), burst: the
 * bucket's size. */
int	feeders_new(double rate, double burst, struct feeders **out);
void	feeders_free(struct feeders *f);
/* Add or replace (key, disabled) by name; 0 or GL_ENOMEM. */
int	feeders_put(struct feeders *f, const char *name,
	    const uint8_t key[MAC_KEY_BYTES], int disabled);

enum feeders_verdict {
	FV_OK,			/* take it: *body is what to decode */
	FV_UNAUTHENTICATED,	/* refuse it, kept in the rejects */
	FV_RATE_LIMITED,	/* refuse it, stored nowhere */
};

/* Check one ingest message of len bytes at now_ms, a feeder's envelope
 * required or not (a tcp endpoint of a database with operators): the
 * verdict, the body to decode (in msg) and, when it is not FV_OK, why in
 * err. */
enum feeders_verdict feeders_check(struct feeders *f, const char *msg,
	    size_t len, int required, uint64_t now_ms, const char **body,
	    size_t *bodylen, char *err, size_t errlen);

/* Every feeder with its counts: [{"name","disabled","accepted",
 * "refused","rate_limited"}], and "anonymous" for the bare ipc bodies. */
json_t	*feeders_json(const struct feeders *f);

#endif
