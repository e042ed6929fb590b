/*
 * publish.c: a batch's event messages (see publish.h).
 */
#include <stdlib.h>

#include "publish.h"

void
publish_init(struct publish *p)
{
	p->v = NULL;
	p->n = p->cap = 0;
}

void
publish_add(struct publish *p, int64_t seq, char *text)
{
	struct publish_msg	*nv;
	size_t			 cap;

	if (text == NULL)
		return;
	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 64;
		if ((nv = realloc(p->v, cap * sizeof *nv)) == NULL) {
			free(text);	/* consoles catch up by seq */
			return;
		}
		p->v = nv;
		p->cap = cap;
	}
	p->v[p->n].seq = seq;
	p->v[p->n].text = text;
	p->n++;
}

static int
publish_cmp(const void *a, const void *b)
{
	int64_t	x = ((const struct publish_msg *)a)->seq;
	int64_t	y = ((const struct publish_msg *)b)->seq;

	return x < y ? -1 : x > y;
}

void
publish_sort(struct publish *p)
{
	if (p->n > 1)
		qsort(p->v, p->n, sizeof *p->v, publish_cmp);
}

void
publish_clear(struct publish *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].text);
	p->n = 0;
}

void
publish_free(struct publish *p)
{
	publish_clear(p);
	free(p->v);
	publish_init(p);
}
