/*
 * check.c: coverage of the responsibility list (see check.h).
 *
 * For each category the tree is walked from the city down. A node is
 * covered when it or an ancestor has a row. An uncovered node with no row
 * anywhere beneath it is a whole uncovered region, reported once, at its
 * first grid's line in grids.tsv; an uncovered node with rows somewhere
 * below is descended into, so the report names the smallest regions that
 * lack a lead. Each category costs one pass over its rows (to mark which
 * nodes have rows below) and one walk of the tree: 100 categories times
 * 10,000 nodes is a million steps.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "route.h"

struct check_ctx {
	const struct refdata	*rd;
	const struct category	*c;
	unsigned char		*below;	/* per juris index: a row at/below */
	struct diag		*d;
	size_t			 gaps;
};

static const struct juris *
first_grid(const struct juris *j, size_t *count)
{
	const struct juris	*ch, *first = NULL, *g;
	size_t			 n;

	if (j->level == JL_GRID) {
		*count += 1;
		return j;
	}
	for (ch = j->child; ch != NULL; ch = ch->next) {
		n = 0;
		g = first_grid(ch, &n);
		if (first == NULL)
			first = g;
		*count += n;
	}
	return first;
}

static void
check_gap(struct check_ctx *x, const struct juris *j)
{
	const struct juris	*g;
	size_t			 n = 0;

	if ((g = first_grid(j, &n)) == NULL)
		return;		/* no grids below: nothing to route */
	x->gaps++;
	if (j == g)
		diag_add(x->d, g->file, g->line, "gap: grid %s (%s) has no "
		    "lead agency for category %s (%s)", g->code, g->name,
		    x->c->code, x->c->name);
	else
		diag_add(x->d, g->file, g->line, "gap: grid %s (%s) has no "
		    "lead agency for category %s (%s), nor have the other "
		    "%zu grids of %s (%s)", g->code, g->name, x->c->code,
		    x->c->name, n - 1, j->name, j->code);
}

static void
check_walk(struct check_ctx *x, const struct juris *j)
{
	const struct juris	*ch;

	if (refdata_duty(x->rd, x->c, j) != NULL)
		return;		/* covered: every grid below resolves here */
	if (!x->below[j->index]) {
		check_gap(x, j);
		return;
	}
	for (ch = j->child; ch != NULL; ch = ch->next)
		check_walk(x, ch);
}

size_t
check_coverage(const struct refdata *rd, struct diag *d)
{
	struct check_ctx	 x = { rd, NULL, NULL, d, 0 };
	const struct juris	*city = refdata_city(rd), *j;
	size_t			 i, k;

	if (city == NULL)
		return 0;
	x.below = malloc(refdata_juris_count(rd) + 1);
	if (x.below == NULL) {
		diag_add(d, refdata_dir(rd), 0, "out of memory");
		return 1;
	}
	for (i = 0; i < refdata_category_count(rd); i++) {
		x.c = refdata_category_at(rd, i);
		memset(x.below, 0, refdata_juris_count(rd) + 1);
		for (k = 0; k < refdata_duty_count(rd); k++) {
			const struct duty *u = refdata_duty_at(rd, k);

			if (u->category != x.c)
				continue;
			for (j = u->juris; j != NULL; j = j->parent)
				x.below[j->index] = 1;
		}
		check_walk(&x, city);
	}
	free(x.below);
	return x.gaps;
}
