/*
 * store-bounds.h: the store's bounds on what a caller can make it do, and
 * the functions that report on them (issue 11, findings 2 and 7).
 *
 * A header of its own rather than more lines in store.h, which another
 * change was editing at the same time; store.h's readers include this one
 * where they need a bound. Every bound here is listed in docs/PROTOCOL.md
 * ("Bounds").
 */
#ifndef GL_STORE_BOUNDS_H
#define GL_STORE_BOUNDS_H

#include <stdint.h>

#include "store.h"

#define STORE_SEARCH_CHARS	200	/* characters of a search query */
#define STORE_SEARCH_MS		250	/* milliseconds a search may run */
#define STORE_SEARCH_STEPS	1000	/* virtual machine steps between
					   looks at the clock */
#define STORE_REJECT_ROWS	100000	/* rejects kept: past it, the oldest
					   go as a new one comes */

/* store_search (store.h) refuses a query over STORE_SEARCH_CHARS
 * characters with GL_ETOOLONG, and stops a search that has run for
 * STORE_SEARCH_MS with GL_ESLOW (cb may have seen some cases by then);
 * the store stays usable either way. */

/* store_reject_add (store.h) keeps at most STORE_REJECT_ROWS rejects: an
 * insert that goes over drops the oldest in its own transaction. *kept
 * receives the rejects kept, *dropped those dropped since the database was
 * made. 0 or GL_E* with a message. */
int	store_reject_count(struct store *st, int64_t *kept, int64_t *dropped,
	    char *err, size_t errlen);

#endif
