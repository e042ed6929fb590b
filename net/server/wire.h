/*
 * wire.h: the JSON codec of the ingest socket.
 *
 * A feeder sends one JSON object, or an array of up to WIRE_MAX_ITEMS
 * objects, each one incident. Decoding checks everything that can be checked
 * without the reference data or the store: the bytes (size, UTF-8, NUL,
 * nesting depth), the JSON, and each item's fields and types. Each item is
 * judged alone: a bad item never stops the good ones of the same array.
 * Resolving grid and category codes (intake_resolve) and storing come after,
 * in the server; they report into the same per-item result.
 *
 * Error codes are stable strings (the wire contract, docs/PROTOCOL.md):
 *   request level: too_large, nul_byte, invalid_utf8, too_deep, invalid_json,
 *                  not_object, empty_array, too_many_items
 *   item level:    not_object, missing_field, wrong_type, bad_value,
 *                  too_long, bad_time, future_time, unknown_grid,
 *                  unknown_category, id_conflict (the id was used,
 *                  by the same source, for other content: error.params.case
 *                  names that case), store_failed
 */
#ifndef GL_WIRE_H
#define GL_WIRE_H

#include <stddef.h>
#include <time.h>

#include "store.h"

#define WIRE_MAX_MESSAGE	(1024 * 1024)	/* default --max-message */
#define WIRE_MAX_ITEMS		10000
#define WIRE_MAX_DEPTH		16		/* objects/arrays nested */
#define WIRE_MAX_SUMMARY	2000		/* characters, not bytes */
#define WIRE_MAX_FUTURE		300		/* seconds of clock skew allowed */

/* An error as the wire shows it. */
struct wire_error {
	char	code[24];	/* "" when there is no error */
	char	field[32];	/* the JSON field, "" for the whole item */
	char	message[256];	/* for people: what and where */
};

/* One decoded item. Strings in `in` point into the decoder's JSON tree and
 * live until wire_ingest_free. */
struct wire_item {
	struct incident		in;
	const char		*id;		/* the sender's id, NULL if absent */
	char			*photos;	/* photos as JSON text, owned */
	struct wire_error	 err;		/* code[0] == 0: valid so far */
	struct store_created	 result;	/* filled by the server */
	struct store_case	 stored;	/* the case as stored, filled
						   by the server, which also
						   clears it (store_case_clear)
						   before wire_ingest_free */
};

struct wire_ingest {
	void			*root;		/* json_t *, owned */
	struct wire_item	*items;		/* n items, in request order */
	size_t			 n;
	int			 is_array;	/* the request was an array */
	struct wire_error	 err;		/* request-level error */
};

/* Decode buf[0..len). now is the receiving time (for future timestamps),
 * max_len the message limit. Returns 0 when the request as a whole could be
 * read (items may still carry errors), or -1 with out->err set. In both
 * cases out must be released with wire_ingest_free. */
int	wire_ingest_decode(const char *buf, size_t len, size_t max_len,
	    time_t now, struct wire_ingest *out);
void	wire_ingest_free(struct wire_ingest *w);

/* Set an item's error (code, field, printf message). */
void	wire_item_fail(struct wire_item *it, const char *code,
	    const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* The reply to a decoded request, as a NUL-terminated JSON text owned by the
 * caller (free()); NULL when out of memory. Shape:
 *   {"ok":true|false,"results":[{"id":..,"ok":true,"case":"330203-...",
 *    "duplicate_of":null|"...","replayed":false}, {"id":..,"ok":false,
 *    "error":{"code":..,"field":..,"message":..}}]}; an id_conflict error
 *    also has "params":{"case":..}, from the item's result.no
 * or, for a request-level error, {"ok":false,"error":{...}}. */
char	*wire_ingest_reply(const struct wire_ingest *w);

#endif
