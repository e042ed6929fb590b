/*
 * strmap.c: open-addressing string map (see strmap.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strmap.h"

struct strmap_slot {
	const char	*key;
	void		*val;
	uint32_t	 hash;
};

struct strmap {
	struct strmap_slot	*slots;
	size_t			 cap;	/* power of two */
	size_t			 n;
};

static uint32_t
strmap_hash(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct strmap *
strmap_new(void)
{
	struct strmap	*m;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return NULL;
	m->cap = 64;
	if ((m->slots = calloc(m->cap, sizeof *m->slots)) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
strmap_free(struct strmap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m);
}

static struct strmap_slot *
strmap_find(const struct strmap *m, const char *key, uint32_t h)
{
	size_t	i = h & (m->cap - 1);

	while (m->slots[i].key != NULL) {
		if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
			break;
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

static int
strmap_grow(struct strmap *m)
{
	struct strmap_slot	*old = m->slots, *s;
	size_t			 oldcap = m->cap, i;

	m->cap *= 2;
	if ((m->slots = calloc(m->cap, sizeof *m->slots)) == NULL) {
		m->slots = old;
		m->cap = oldcap;
		return GL_ENOMEM;
	}
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		s = strmap_find(m, old[i].key, old[i].hash);
		*s = old[i];
	}
	free(old);
	return 0;
}

int
strmap_put(struct strmap *m, const char *key, void *val, void **old)
{
	struct strmap_slot	*s;
	uint32_t		 h = strmap_hash(key);

	if ((m->n + 1) * 4 > m->cap * 3 && strmap_grow(m) != 0)
		return GL_ENOMEM;
	s = strmap_find(m, key, h);
	if (s->key != NULL) {
		if (old != NULL)
			*old = s->val;
		return GL_EEXISTS;
	}
	s->key = key;
	s->val = val;
	s->hash = h;
	m->n++;
	return 0;
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	return strmap_find(m, key, strmap_hash(key))->val;
}

size_t
strmap_count(const struct strmap *m)
{
	return m->n;
}
