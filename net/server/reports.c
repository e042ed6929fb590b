/*
 * reports.c: the `report` op answered from copies at most a second or two
 * old, on a lane of its own.
 *
 * A report recomputes the figures from the event log (core/figures.c):
 * tens of milliseconds for a real day of Ningbo, seconds for a large
 * period. Two costs follow if it runs as any read: the reads' lane (snapshot
 * pages, searches: reader.c) waits behind it, and a console's report view,
 * which asks every second while cases arrive, waits for a whole pass each
 * time. So reports get a read lane of their own (a second reader, its own
 * read-only connection and thread), and the loop keeps the last reply of
 * each query (its fields and the asker's reach, so that an agency never
 * gets another's copy):
 *
 *   - a copy younger than REPORT_FRESH_MS is the answer, at once;
 *   - an older copy is the answer at once too, and the request goes on to
 *     the lane, already answered, to make a new copy (one refresh at a
 *     time per query);
 *   - no copy: the request waits for the lane, as any read.
 *
 * A reply carries its `seq` (the log it was made from), so a client can
 * tell how current it is. Rejected: figures kept up to date event by event
 * on the server (every figure's rules twice, in the pass and in a delta,
 * for a view that refreshes once a second).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <uv.h>

#include "reports.h"
#include "server-int.h"

static uint64_t
reports_now_ms(void)
{
	return uv_hrtime() / 1000000;
}

static const char *
reports_str(json_t *o, const char *k)
{
	const char	*v = json_string_value(json_object_get(o, k));

	return v != NULL ? v : "";
}

/* The copy's key: the query's fields and who asks (their reach). */
static void
reports_key(const struct job *j, char *buf, size_t len)
{
	json_t	*min = json_object_get(j->req, "min");

	snprintf(buf, len, "%.32s|%.32s|%.16s|%lld|%d|%.32s|%.32s",
	    reports_str(j->req, "from"), reports_str(j->req, "to"),
	    reports_str(j->req, "by"), json_is_integer(min) ?
	    (long long)json_integer_value(min) : -1LL, j->signed_by ?
	    (int)j->who.role : -1, j->signed_by ? j->who.agency : "",
	    j->signed_by ? j->who.township : "");
}

static struct report_copy *
reports_find(struct server *s, const char *key)
{
	size_t	i;

	for (i = 0; i < REPORT_COPIES; i++)
		if (s->rcopy[i].reply != NULL &&
		    strcmp(s->rcopy[i].key, key) == 0)
			return &s->rcopy[i];
	return NULL;
}

int
reports_is(const struct server *s, const struct job *j)
{
	const char	*op = json_string_value(json_object_get(j->req, "op"));

	return s->reporter != NULL && op != NULL && strcmp(op, "report") == 0;
}

int
reports_answer(struct server *s, struct job *j)
{
	struct report_copy	*c;
	char			 key[sizeof c->key];

	if (!reports_is(s, j))
		return 0;
	reports_key(j, key, sizeof key);
	if ((c = reports_find(s, key)) == NULL)
		return 0;		/* the first: it waits for the lane */
	free(j->reply);
	j->reply = strdup(c->reply);
	job_reply(j);
	if (reports_now_ms() - c->at_ms <= REPORT_FRESH_MS || c->refreshing)
		return 1;
	c->refreshing = 1;		/* answered; now made anew */
	return 0;
}

void
reports_keep(void *arg, struct job *j)
{
	struct server		*s = arg;
	struct report_copy	*c, *old = NULL;
	char			 key[sizeof c->key];
	size_t			 i;
	int			 ok = j->reply != NULL && strncmp(j->reply,
				    "{\"ok\":false", 11) != 0;	/* ops_error's */

	if (!reports_is(s, j))
		return;
	reports_key(j, key, sizeof key);
	if ((c = reports_find(s, key)) != NULL)
		c->refreshing = 0;
	if (!ok)
		return;			/* a refusal is not kept */
	if (c == NULL) {		/* a free slot, else the oldest */
		for (i = 0; i < REPORT_COPIES; i++)
			if (old == NULL || s->rcopy[i].reply == NULL ||
			    (old->reply != NULL && s->rcopy[i].at_ms <
			    old->at_ms))
				old = &s->rcopy[i];
		c = old;
		snprintf(c->key, sizeof c->key, "%s", key);
	}
	free(c->reply);
	c->reply = strdup(j->reply);
	c->at_ms = reports_now_ms();
}

void
reports_free(struct server *s)
{
	size_t	i;

	for (i = 0; i < REPORT_COPIES; i++) {
		free(s->rcopy[i].reply);
		s->rcopy[i].reply = NULL;
	}
}
