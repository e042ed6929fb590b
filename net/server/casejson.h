/*
 * casejson.h: cases and events as the wire shows them.
 *
 * One writer decides what a console sees of a case, so the snapshot, the
 * events stream and the `case` reply can never disagree. Codes come with
 * their names from the reference data (a console needs 海曙区综合行政执法局,
 * not 330203.ZF), times as RFC 3339 in the city's offset, and the suggested
 * lead agency with the responsibility-list row that decided it.
 *
 * The writer produces text (core/jbuf): the event per new case and the
 * snapshot pages are the server's hottest output, and a jansson tree per
 * case only to dump it cost a quarter of the server's time under load.
 * Replies that are built as jansson trees take the parsed form.
 */
#ifndef GL_CASEJSON_H
#define GL_CASEJSON_H

#include <jansson.h>

#include "jbuf.h"
#include "refdata.h"
#include "store.h"

enum casejson_shape {
	CJ_FULL,	/* everything, with the routing reason */
	CJ_QUEUE	/* only what a queue shows and sorts by (about half):
			   for snapshots; the case view asks for the whole */
};

/* Write c as one JSON object (rd may be NULL: codes only). */
void	casejson_write(struct jbuf *b, const struct store_case *c,
	    const struct refdata *rd, enum casejson_shape shape);
/* Write one event of the log as a JSON object. */
void	casejson_write_event(struct jbuf *b, const struct store_event *e);
/* An event message, as published and as the `events` reply lists it:
 * {"seq":N,"type":"case.created"|"case.updated","case":{..}} with
 * "event":{..} when e is given. */
void	casejson_write_message(struct jbuf *b, int64_t seq,
	    const struct store_case *c, const struct refdata *rd,
	    const struct store_event *e);
/* RFC 3339 string of t in China time, or null for 0. */
void	casejson_write_time(struct jbuf *b, time_t t);

/* The same as new jansson values (NULL: out of memory). */
json_t	*casejson_case(const struct store_case *c, const struct refdata *rd);
json_t	*casejson_event(const struct store_event *e);
json_t	*casejson_time(time_t t);

#endif
