/*
 * casejson.h: cases and events as the wire shows them (jansson).
 *
 * One function decides what a console sees of a case, so the snapshot, the
 * events stream and the `case` reply can never disagree. Codes come with
 * their names from the reference data (a console needs 海曙区综合行政执法局,
 * not 330203.ZF), times as RFC 3339 in the city's offset, and the suggested
 * lead agency with the responsibility-list row that decided it.
 */
#ifndef GL_CASEJSON_H
#define GL_CASEJSON_H

#include <jansson.h>

#include "refdata.h"
#include "store.h"

/* A new JSON object for c (rd may be NULL: codes only). */
json_t	*casejson_case(const struct store_case *c, const struct refdata *rd);
/* Only what a console's queue shows and sorts by (about half the size):
 * for snapshots of many cases; the case view asks for the whole case. */
json_t	*casejson_brief(const struct store_case *c, const struct refdata *rd);
/* A new JSON object for one event of the log. */
json_t	*casejson_event(const struct store_event *e);
/* RFC 3339 string of t in China time, or JSON null for 0. */
json_t	*casejson_time(time_t t);

#endif
