/*
 * strmap.h: a string-keyed hash map for code lookups.
 *
 * Reference data is looked up by code thousands of times per routing check
 * (7,368 grids times every category), so lookups are hashed. Keys are
 * borrowed: the map stores the caller's pointer, which must outlive it
 * (reference data keeps its strings for its whole life). Open addressing
 * with linear probing; no deletion, since reference data is built once.
 */
#ifndef GL_STRMAP_H
#define GL_STRMAP_H

#include <stddef.h>

struct strmap;

struct strmap	*strmap_new(void);		/* NULL when out of memory */
void		 strmap_free(struct strmap *m);	/* keys, values not freed */

/* Insert key -> val. Returns 0, GL_EEXISTS when the key is present (its
 * value is left alone and put in *old when old is not NULL), GL_ENOMEM. */
int	strmap_put(struct strmap *m, const char *key, void *val, void **old);

/* The value of key, or NULL. */
void	*strmap_get(const struct strmap *m, const char *key);
size_t	 strmap_count(const struct strmap *m);

#endif
