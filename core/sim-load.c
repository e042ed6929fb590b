/*
 * sim-load.c: the simulator's tables (sim-int.h), read once by sim_new:
 * the districts' centres and typhoon weights, their grids from the
 * reference data, the places (real roads and landmarks), the matters'
 * weights by scenario and their templates, and the names reporters are
 * made of, each data/sim/ file checked against the reference data so
 * that every item drawn exists there.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "error.h"
#include "sim-int.h"

static int
sim_load_one(const char *data_dir, const char *name,
    const char *const *cols, struct tsv **out, char *err, size_t errlen)
{
	struct diag	d;
	char		path[4096], text[512];
	int		rc;

	snprintf(path, sizeof path, "%s/sim/%s", data_dir, name);
	diag_init(&d);
	if ((rc = tsv_load(path, cols, out, &d)) != 0) {
		diag_text(&d, text, sizeof text);
		rc = gl_err(err, errlen, rc, "%s", text[0] != '\0' ? text :
		    path);
	}
	diag_free(&d);
	return rc;
}

static struct sim_district *
sim_district_of(struct sim *s, const struct juris *j)
{
	size_t	i;

	for (i = 0; i < s->nd; i++)
		if (s->d[i].j == j)
			return &s->d[i];
	return NULL;
}

/* Parse a decimal degree with up to six places into micro-degrees. */
static int
sim_udeg(const char *txt, long *out)
{
	long	 whole, frac = 0, scale = 100000;
	char	*end;

	whole = strtol(txt, &end, 10);
	if (end == txt || whole < 0 || whole > 180)
		return -1;
	if (*end == '.')
		for (end++; *end >= '0' && *end <= '9' && scale > 0; end++) {
			frac += (*end - '0') * scale;
			scale /= 10;
		}
	if (*end != '\0')
		return -1;
	*out = whole * 1000000 + frac;
	return 0;
}

static int
sim_load_districts(struct sim *s, const char *path, char *err, size_t el)
{
	const struct tsv *t = s->t_dist;
	int	 cd = tsv_col(t, "district"), cla = tsv_col(t, "lat"),
		 clo = tsv_col(t, "lon"), cr = tsv_col(t, "radius"),
		 ct = tsv_col(t, "typhoon");
	size_t	 i;

	for (i = 0; i < t->nrows; i++) {
		char	**f = t->rows[i].f;
		const struct juris *j = refdata_juris(s->rd, f[cd]);
		struct sim_district *d = &s->d[s->nd];

		if (j == NULL || j->level != JL_DISTRICT ||
		    sim_district_of(s, j) != NULL ||
		    s->nd == sizeof s->d / sizeof s->d[0] ||
		    sim_udeg(f[cla], &d->lat) || sim_udeg(f[clo], &d->lon) ||
		    (d->radius = atol(f[cr])) <= 0 || d->radius > 100000 ||
		    atol(f[ct]) < 0)
			return gl_err(err, el, GL_EPARSE, "%s:%ld: not a known "
			    "district (once) with lat, lon, radius 1..100000 "
			    "and typhoon >= 0", path, t->rows[i].line);
		d->j = j;
		d->typhoon = (unsigned)atol(f[ct]);
		s->nd++;
	}
	return 0;
}

/* Every grid of the reference data, under its district. */
static int
sim_load_grids(struct sim *s, char *err, size_t errlen)
{
	size_t	i, ng = refdata_level_count(s->rd, JL_GRID);

	for (i = 0; i < s->nd; i++)
		if ((s->d[i].grids = calloc(ng + 1, sizeof *s->d[i].grids)) ==
		    NULL)
			return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	for (i = 0; i < ng; i++) {
		const struct juris *g = refdata_level_at(s->rd, JL_GRID, i);
		struct sim_district *d = sim_district_of(s, juris_district(g));

		if (d == NULL)
			return gl_err(err, errlen, GL_EPARSE, "sim/districts."
			    "tsv: no centre for the district of grid %s",
			    g->code);
		d->grids[d->ngrids++] = g;
	}
	return ng > 0 ? 0 : gl_err(err, errlen, GL_EPARSE, "the reference "
	    "data has no grids");
}

static int
sim_load_places(struct sim *s, const char *path, char *err, size_t el)
{
	const struct tsv *t = s->t_places;
	int	 cd = tsv_col(t, "district"), ck = tsv_col(t, "kind"),
		 cn = tsv_col(t, "name"), ct = tsv_col(t, "township");
	size_t	 i;

	for (i = 0; i < s->nd; i++)
		if ((s->d[i].places = calloc(t->nrows + 1,
		    sizeof *s->d[i].places)) == NULL)
			return gl_err(err, el, GL_ENOMEM, "out of memory");
	for (i = 0; i < t->nrows; i++) {
		char	**f = t->rows[i].f;
		struct sim_district *d = sim_district_of(s,
			    refdata_juris(s->rd, f[cd]));
		const struct juris *tw = refdata_juris(s->rd, f[ct]);
		struct sim_place *p;

		if (d == NULL || f[cn][0] == '\0' ||
		    (strcmp(f[ck], "road") && strcmp(f[ck], "landmark")) ||
		    (f[ct][0] != '\0' && (tw == NULL || tw->parent != d->j)))
			return gl_err(err, el, GL_EPARSE, "%s:%ld: a district "
			    "of districts.tsv, road or landmark, a name and "
			    "a township of the district or nothing", path,
			    t->rows[i].line);
		p = &d->places[d->nplaces++];
		p->name = f[cn];
		p->tw = f[ct][0] != '\0' ? tw : NULL;
		p->road = f[ck][0] == 'r';
	}
	return 0;
}

static struct sim_cat *
sim_cat_of(struct sim *s, const char *code)
{
	size_t	i;

	for (i = 0; i < s->ncats; i++)
		if (strcmp(s->cats[i].c->code, code) == 0)
			return &s->cats[i];
	return NULL;
}

static int
sim_load_weights(struct sim *s, const char *path, char *err, size_t el)
{
	const struct tsv *t = s->t_weights;
	int	 cc = tsv_col(t, "category"), cs = tsv_col(t, "sensor"), cw[4];
	size_t	 i, k;

	for (k = 0; k < SIM__COUNT; k++)
		cw[k] = tsv_col(t, sim_scenario_name((enum sim_scenario)k));
	if ((s->cats = calloc(t->nrows + 1, sizeof *s->cats)) == NULL)
		return gl_err(err, el, GL_ENOMEM, "out of memory");
	for (k = 0; k < SIM__COUNT; k++)
		if ((s->w[k] = calloc(t->nrows + 1, sizeof *s->w[k])) == NULL)
			return gl_err(err, el, GL_ENOMEM, "out of memory");
	for (i = 0; i < t->nrows; i++) {
		char	**f = t->rows[i].f;
		struct sim_cat *c = &s->cats[s->ncats];
		long	 v;

		c->c = refdata_category(s->rd, f[cc]);
		if (c->c == NULL || sim_cat_of(s, f[cc]) != NULL ||
		    (v = atol(f[cs])) < 0 || v > 100)
			goto bad;
		c->sensor = (unsigned)v;
		for (k = 0; k < SIM__COUNT; k++) {
			if ((v = atol(f[cw[k]])) < 0 || v > 100000)
				goto bad;
			c->w[k] = s->w[k][s->ncats] = (unsigned)v;
		}
		s->ncats++;
		continue;
bad:
		return gl_err(err, el, GL_EPARSE, "%s:%ld: a category of "
		    "categories.tsv (once), weights 0..100000, sensor 0..100",
		    path, t->rows[i].line);
	}
	return 0;
}

static int
sim_load_templates(struct sim *s, const char *path, char *err, size_t el)
{
	const struct tsv *t = s->t_tpl;
	int	 cc = tsv_col(t, "category"), ct = tsv_col(t, "text");
	size_t	 i, k;

	for (i = 0; i < s->ncats; i++)
		if ((s->cats[i].tpl = calloc(t->nrows + 1,
		    sizeof *s->cats[i].tpl)) == NULL)
			return gl_err(err, el, GL_ENOMEM, "out of memory");
	for (i = 0; i < t->nrows; i++) {
		struct sim_cat *c = sim_cat_of(s, t->rows[i].f[cc]);

		if (c == NULL || t->rows[i].f[ct][0] == '\0')
			return gl_err(err, el, GL_EPARSE, "%s:%ld: a category "
			    "of weights.tsv and a text", path,
			    t->rows[i].line);
		c->tpl[c->ntpl++] = t->rows[i].f[ct];
	}
	for (i = 0; i < s->ncats; i++)
		for (k = 0; k < SIM__COUNT; k++)
			if (s->cats[i].w[k] > 0 && s->cats[i].ntpl == 0)
				return gl_err(err, el, GL_EPARSE, "%s: no "
				    "template for category %s", path,
				    s->cats[i].c->code);
	return 0;
}

static int
sim_load_names(struct sim *s, const char *path, char *err, size_t el)
{
	const struct tsv *t = s->t_names;
	int	 ck = tsv_col(t, "kind"), cx = tsv_col(t, "text");
	size_t	 i;

	s->surnames = calloc(t->nrows + 1, sizeof *s->surnames);
	s->given = calloc(t->nrows + 1, sizeof *s->given);
	if (s->surnames == NULL || s->given == NULL)
		return gl_err(err, el, GL_ENOMEM, "out of memory");
	for (i = 0; i < t->nrows; i++) {
		char	**f = t->rows[i].f;

		if (strcmp(f[ck], "surname") == 0 && f[cx][0] != '\0')
			s->surnames[s->nsurnames++] = f[cx];
		else if (strcmp(f[ck], "given") == 0 && f[cx][0] != '\0')
			s->given[s->ngiven++] = f[cx];
		else
			return gl_err(err, el, GL_EPARSE, "%s:%ld: kind is "
			    "surname or given, with a text", path,
			    t->rows[i].line);
	}
	if (s->nsurnames == 0 || s->ngiven == 0)
		return gl_err(err, el, GL_EPARSE, "%s: surnames and given "
		    "names are both needed", path);
	return 0;
}

/* Read data_dir/sim/ and check it against the reference data. */
int
sim_load(struct sim *s, const char *data_dir, char *err, size_t el)
{
	static const char *const wc[] = { "category", "normal", "rush-hour",
		"typhoon", "night", "sensor", NULL };
	static const char *const tc[] = { "category", "text", NULL };
	static const char *const pc[] = { "district", "kind", "name",
		"township", NULL };
	static const char *const dc[] = { "district", "lat", "lon", "radius",
		"typhoon", NULL };
	static const char *const nc[] = { "kind", "text", NULL };
	int	rc;

	if ((rc = sim_load_one(data_dir, "weights.tsv", wc, &s->t_weights,
	    err, el)) != 0 ||
	    (rc = sim_load_one(data_dir, "templates.tsv", tc, &s->t_tpl,
	    err, el)) != 0 ||
	    (rc = sim_load_one(data_dir, "places.tsv", pc, &s->t_places,
	    err, el)) != 0 ||
	    (rc = sim_load_one(data_dir, "districts.tsv", dc, &s->t_dist,
	    err, el)) != 0 ||
	    (rc = sim_load_one(data_dir, "names.tsv", nc, &s->t_names,
	    err, el)) != 0)
		return rc;
	if ((rc = sim_load_districts(s, s->t_dist->path, err, el)) != 0 ||
	    (rc = sim_load_grids(s, err, el)) != 0 ||
	    (rc = sim_load_places(s, s->t_places->path, err, el)) != 0 ||
	    (rc = sim_load_weights(s, s->t_weights->path, err, el)) != 0 ||
	    (rc = sim_load_templates(s, s->t_tpl->path, err, el)) != 0 ||
	    (rc = sim_load_names(s, s->t_names->path, err, el)) != 0)
		return rc;
	return 0;
}

void
sim_unload(struct sim *s)
{
	size_t	i;

	for (i = 0; i < s->nd; i++) {
		free(s->d[i].grids);
		free(s->d[i].places);
	}
	for (i = 0; i < s->ncats; i++)
		free(s->cats[i].tpl);
	free(s->cats);
	for (i = 0; i < SIM__COUNT; i++)
		free(s->w[i]);
	free(s->surnames);
	free(s->given);
	tsv_free(s->t_weights);
	tsv_free(s->t_tpl);
	tsv_free(s->t_places);
	tsv_free(s->t_dist);
	tsv_free(s->t_names);
}
