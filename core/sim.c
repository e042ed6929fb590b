/*
 * sim.c: the incident simulator (see sim.h).
 *
 * One draw is: a district, weighted by its number of grids (and, in a
 * typhoon, by its exposure to the coast), a grid of it uniformly; a matter
 * by the scenario's weights (the normal scenario uses the night weights
 * from 23:00 to 05:59); a place (a real road with a house number, a
 * crossing of two roads, a landmark of the grid's township, or, where the
 * data names none, an everyday spot of the township: its market, its
 * health centre); a template of the matter's; a source
 * and a reporter; a point near the grid. About one draw in ten is instead
 * a repeat of a report of the last half hour: the same matter in the same
 * or the neighbouring grid, the same place, another source and wording, a
 * few metres away (within the server's 50 m duplicate radius).
 *
 * Determinism is the first constraint: one PRNG (xoshiro256**), integer
 * weights and integer geometry (metres to micro-degrees by fixed factors),
 * coordinates printed from integers. No floating point touches an item, so
 * libm and the locale cannot change a byte. Floating point appears only in
 * sim_rate_at, which paces and never feeds a draw.
 *
 * Points: a township's centre is a fixed pseudo-random point (a hash of its
 * code) within its district's radius of the district's centre, a grid's
 * within 800 m of its township's. data/sim/districts.tsv has approximate
 * centres of each district's built-up area, so a point is plausible for the
 * district and its township's cluster, not within the township's real
 * boundary: the reference data has no boundaries. Rejected: one fixed point
 * per district (every case on one spot on a map) and per-township
 * coordinates typed in by hand (163 unchecked numbers).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "error.h"
#include "gltime.h"
#include "jbuf.h"
#include "sim-int.h"

static const char *const sim_source_names[SRC__COUNT] = {
	"grid-app", "hotline", "sensor", "web"
};

/* Percent shares of the sources other than sensor (which a matter's own
 * sensor column decides first), by scenario: in a typhoon people call. */
static const unsigned sim_source_pct[SIM__COUNT][SRC__COUNT] = {
	{ 60, 27, 0, 13 }, { 60, 27, 0, 13 }, { 45, 42, 0, 13 },
	{ 50, 38, 0, 12 },
};

static const char *const sim_scenario_names[SIM__COUNT] = {
	"normal", "rush-hour", "typhoon", "night"
};

/* Mean incidents per hour for each local hour 0..23: a city of 7,368
 * grids reports a few thousand matters a day, most in office hours. */
static const unsigned short sim_hourly[SIM__COUNT][24] = {
	{ 30, 20, 15, 12, 12, 20, 50, 120, 220, 260, 260, 230,
	  180, 210, 240, 240, 220, 180, 140, 120, 100, 80, 60, 40 },
	{ 30, 20, 15, 12, 12, 25, 80, 260, 340, 280, 250, 230,
	  190, 210, 240, 250, 280, 360, 320, 160, 110, 80, 60, 40 },
	{ 150, 130, 120, 110, 110, 130, 180, 260, 340, 380, 400, 400,
	  380, 380, 380, 370, 360, 340, 300, 260, 230, 210, 190, 170 },
	{ 60, 45, 30, 20, 15, 20, 50, 120, 200, 240, 240, 220,
	  180, 200, 220, 220, 200, 180, 160, 150, 140, 130, 110, 80 },
};

static const char *const sim_dirs[] = {
	"东侧", "西侧", "南侧", "北侧", "附近", "周边", "门口"
};

/* Places every township has, for those with no road or landmark listed. */
static const char *const sim_spots[] = {
	"菜市场", "卫生院", "中心小学", "便民服务中心", "公交站", "农贸市场"
};
/* --- the PRNG ----------------------------------------------------------- */

uint64_t
sim_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
sim_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
sim_rand(struct sim *s)
{
	uint64_t *st = s->st, r = sim_rotl(st[1] * 5, 7) * 9, t = st[1] << 17;

	st[2] ^= st[0];
	st[3] ^= st[1];
	st[1] ^= st[2];
	st[0] ^= st[3];
	st[2] ^= t;
	st[3] = sim_rotl(st[3], 45);
	return r;
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias for our
 * small n is below 2^-32). */
static size_t
sim_below(struct sim *s, size_t n)
{
	assert(n > 0);
	return (size_t)(((sim_rand(s) >> 32) * (uint64_t)n) >> 32);
}

/* An index drawn by integer weights w[0..n), or n when they are all
 * zero. */
static size_t
sim_pick(struct sim *s, const unsigned *w, size_t n)
{
	uint64_t total = 0, r;
	size_t	 i;

	for (i = 0; i < n; i++)
		total += w[i];
	if (total == 0)
		return n;
	r = sim_below(s, (size_t)total);
	for (i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n;
}

/* A point in the disc of radius r metres (integer rejection sampling),
 * drawn from the splitmix stream x so that it can be a fixed function of a
 * name as well as a fresh draw. */
static void
sim_disc(uint64_t *x, long r, long *dy, long *dx)
{
	long long y, z;

	do {
		y = (long)(sim_splitmix(x) % (uint64_t)(2 * r + 1)) - r;
		z = (long)(sim_splitmix(x) % (uint64_t)(2 * r + 1)) - r;
	} while (y * y + z * z > (long long)r * r);
	*dy = (long)y;
	*dx = (long)z;
}

static void
sim_move(long *lat, long *lon, long dy, long dx)
{
	*lat += dy * SIM_UDEG_LAT_KM / 1000;
	*lon += dx * SIM_UDEG_LON_KM / 1000;
}

static uint64_t
sim_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* --- scenarios ------------------------------------------------------------ */

int
sim_scenario_parse(const char *name, enum sim_scenario *out)
{
	int	i;

	for (i = 0; i < SIM__COUNT && name != NULL; i++)
		if (strcmp(name, sim_scenario_names[i]) == 0) {
			*out = (enum sim_scenario)i;
			return 0;
		}
	return GL_EINVAL;
}

const char *
sim_scenario_name(enum sim_scenario s)
{
	return (unsigned)s < SIM__COUNT ? sim_scenario_names[s] : "unknown";
}

const char *
sim_scenario_list(void)
{
	return "normal, rush-hour, typhoon, night";
}

static int
sim_local_hour(time_t now)
{
	long long t = (long long)now + GLTIME_CHINA;
	long long d = t % 86400;

	return (int)((d < 0 ? d + 86400 : d) / 3600);
}

double
sim_rate_at(const struct sim *s, time_t now)
{
	assert(s != NULL);
	return sim_hourly[s->o.scenario][sim_local_hour(now)];
}

/* The weight column a draw at now uses. */
static enum sim_scenario
sim_weights_at(const struct sim *s, time_t now)
{
	int	h = sim_local_hour(now);

	if (s->o.scenario == SIM_NORMAL && (h >= 23 || h < 6))
		return SIM_NIGHT;
	return s->o.scenario;
}

/* --- life ------------------------------------------------------------------ */

int
sim_new(const struct refdata *rd, const char *data_dir,
    const struct sim_opts *o, struct sim **out, char *err, size_t errlen)
{
	struct sim	*s;
	uint64_t	 x;
	int		 rc;

	assert(rd != NULL && data_dir != NULL && o != NULL && out != NULL);
	*out = NULL;
	if ((unsigned)o->scenario >= SIM__COUNT)
		return gl_err(err, errlen, GL_EINVAL, "unknown scenario (one "
		    "of %s)", sim_scenario_list());
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->prefix = strdup(o->id_prefix != NULL ? o->id_prefix :
	    "sim")) == NULL) {
		free(s);
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	}
	s->rd = rd;
	s->o = *o;
	s->o.id_prefix = s->prefix;
	x = o->seed;
	s->st[0] = sim_splitmix(&x);
	s->st[1] = sim_splitmix(&x);
	s->st[2] = sim_splitmix(&x);
	s->st[3] = sim_splitmix(&x);
	if ((rc = sim_load(s, data_dir, err, errlen)) != 0) {
		sim_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void
sim_free(struct sim *s)
{
	if (s == NULL)
		return;
	sim_unload(s);
	free(s->prefix);
	free(s);
}

/* --- drawing -------------------------------------------------------------- */

static const struct sim_district *
sim_draw_district(struct sim *s)
{
	unsigned w[sizeof s->d / sizeof s->d[0]] = { 0 };
	size_t	 i;

	for (i = 0; i < s->nd; i++)
		w[i] = (unsigned)s->d[i].ngrids * (s->o.scenario ==
		    SIM_TYPHOON ? s->d[i].typhoon : 100);
	i = sim_pick(s, w, s->nd);
	return &s->d[i < s->nd ? i : 0];
}

static const struct sim_cat *
sim_draw_cat(struct sim *s, time_t now)
{
	size_t	i = sim_pick(s, s->w[sim_weights_at(s, now)], s->ncats);

	return &s->cats[i < s->ncats ? i : 0];
}

/* The roads and landmarks a grid of township tw may name: a road with no
 * township in an urban township (街道), and those listed for tw. */
static size_t
sim_places_for(const struct sim_district *d, const struct juris *tw,
    int road, const char **out, size_t max)
{
	int	 urban = tw != NULL && strcmp(tw->kind, "街道") == 0;
	size_t	 i, n = 0;

	for (i = 0; i < d->nplaces && n < max; i++)
		if (d->places[i].road == road && (d->places[i].tw == tw ||
		    (d->places[i].tw == NULL && urban)))
			out[n++] = d->places[i].name;
	return n;
}

static const char *
sim_one(struct sim *s, const char *const *a, size_t n)
{
	return a[sim_below(s, n)];
}

static void
sim_draw_where(struct sim *s, const struct sim_district *d,
    const struct juris *grid, struct sim_where *w)
{
	const struct juris *tw = grid->parent != NULL ? grid->parent->parent :
	    NULL;
	const char *roads[64], *marks[64];
	size_t	nr = sim_places_for(d, tw, 1, roads, 64),
		nm = sim_places_for(d, tw, 0, marks, 64),
		r = sim_below(s, 10);

	memset(w, 0, sizeof *w);
	w->dir = sim_one(s, sim_dirs, sizeof sim_dirs / sizeof sim_dirs[0]);
	if (nr >= 2 && r < 2) {
		w->road = sim_one(s, roads, nr);
		do
			w->road2 = sim_one(s, roads, nr);
		while (w->road2 == w->road);
	} else if (nr > 0 && r < 6) {
		w->road = sim_one(s, roads, nr);
		w->num = 1 + (unsigned)sim_below(s, 399);
	} else if (nm > 0 && r < 9)
		w->mark = sim_one(s, marks, nm);
	else {
		w->mark = sim_one(s, sim_spots, sizeof sim_spots /
		    sizeof sim_spots[0]);
		w->pre = tw != NULL ? tw->name : NULL;
	}
}

/* The place as a summary names it (an estate for a residential matter),
 * or as the address does after the district and township. */
static void
sim_put_where(struct jbuf *b, const struct sim_where *w, int estate,
    int address)
{
	char	num[24];

	if (w->road2 != NULL) {
		jbuf_raw(b, w->road);
		jbuf_raw(b, "与");
		jbuf_raw(b, w->road2);
		jbuf_raw(b, estate ? "路口附近小区" : "交叉口");
	} else if (w->road != NULL) {
		snprintf(num, sizeof num, "%u号", w->num);
		jbuf_raw(b, w->road);
		jbuf_raw(b, num);
		jbuf_raw(b, estate ? "小区" : "附近");
	} else {
		if (w->pre != NULL && !address)
			jbuf_raw(b, w->pre);
		jbuf_raw(b, w->mark);
		jbuf_raw(b, estate ? "附近小区" : w->dir);
	}
}

/* Write the text built in t as a JSON string into b, and free t. */
static void
sim_put_text(struct jbuf *b, struct jbuf *t)
{
	b->oom |= t->oom;
	jbuf_str(b, t->p != NULL ? t->p : "");
	jbuf_free(t);
}

/* The template with its holes filled, written as a JSON string. */
static void
sim_put_summary(struct sim *s, struct jbuf *b, const struct sim_item *it)
{
	const char *p = it->cat->tpl[it->tpl], *q;
	struct jbuf t;
	char	    digit[2] = { 0, 0 };

	jbuf_init(&t);
	while ((q = strchr(p, '{')) != NULL) {
		jbuf_rawn(&t, p, (size_t)(q - p));
		if (strncmp(q, "{at}", 4) == 0) {
			sim_put_where(&t, &it->where,
			    strcmp(it->cat->c->klass->scope, "小区") == 0, 0);
			p = q + 4;
		} else if (strncmp(q, "{n}", 3) == 0) {
			digit[0] = (char)('2' + sim_below(s, 8));
			jbuf_raw(&t, digit);
			p = q + 3;
		} else {
			jbuf_rawn(&t, q, 1);
			p = q + 1;
		}
	}
	jbuf_raw(&t, p);
	sim_put_text(b, &t);
}

/* "海曙区西门街道中山西路128号附近" */
static void
sim_put_address(struct jbuf *b, const struct sim_item *it)
{
	const struct juris *tw = it->grid->parent != NULL ?
	    it->grid->parent->parent : NULL;
	struct jbuf t;

	jbuf_init(&t);
	jbuf_raw(&t, juris_district(it->grid)->name);
	if (tw != NULL && tw->level == JL_TOWNSHIP)
		jbuf_raw(&t, tw->name);
	sim_put_where(&t, &it->where, 0, 1);
	sim_put_text(b, &t);
}

static void
sim_put_name(struct sim *s, struct jbuf *b, int full)
{
	jbuf_raw(b, s->surnames[sim_below(s, s->nsurnames)]);
	if (full)
		jbuf_raw(b, s->given[sim_below(s, s->ngiven)]);
	else
		jbuf_raw(b, sim_below(s, 2) ? "先生" : "女士");
}

static void
sim_put_reporter(struct sim *s, struct jbuf *b, const struct sim_item *it)
{
	struct jbuf t;
	char	    dev[48];

	jbuf_init(&t);
	switch (it->src) {
	case SRC_HOTLINE:	/* 12345 callers: often anonymous */
		if (sim_below(s, 100) < 40)
			jbuf_raw(&t, "匿名");
		else
			sim_put_name(s, &t, 0);
		break;
	case SRC_SENSOR:
		snprintf(dev, sizeof dev, "-%.6s-%04u", it->grid->code,
		    (unsigned)(sim_hash(it->grid->code) % 10000));
		jbuf_raw(&t, "物联感知设备");
		jbuf_raw(&t, dev);
		break;
	case SRC_WEB:
		if (sim_below(s, 2))
			jbuf_raw(&t, "网友");
		else
			sim_put_name(s, &t, 1);
		break;
	default:
		jbuf_raw(&t, "网格员");
		sim_put_name(s, &t, 1);
		break;
	}
	sim_put_text(b, &t);
}

/* A source other than not (SRC__COUNT: any), sensor only when the matter
 * has sensors. */
static enum sim_source
sim_draw_source(struct sim *s, const struct sim_cat *c, enum sim_source not)
{
	unsigned w[SRC__COUNT];
	size_t	 i;

	if (not != SRC_SENSOR && c->sensor > 0 && sim_below(s, 100) <
	    c->sensor)
		return SRC_SENSOR;
	memcpy(w, sim_source_pct[s->o.scenario], sizeof w);
	if (not < SRC__COUNT)
		w[not] = 0;
	i = sim_pick(s, w, SRC__COUNT);
	return i < SRC__COUNT ? (enum sim_source)i : SRC_APP;
}

/* The grid's point: its township's fixed point, its own fixed offset. */
static void
sim_grid_point(const struct sim_district *d, const struct juris *g,
    long *lat, long *lon)
{
	const struct juris *tw = g->parent != NULL ? g->parent->parent : NULL;
	uint64_t x;
	long	 dy, dx;

	*lat = d->lat;
	*lon = d->lon;
	x = sim_hash(tw != NULL ? tw->code : g->code);
	sim_disc(&x, d->radius, &dy, &dx);
	sim_move(lat, lon, dy, dx);
	x = sim_hash(g->code);
	sim_disc(&x, SIM_GRID_SPREAD, &dy, &dx);
	sim_move(lat, lon, dy, dx);
}

static void
sim_jitter(struct sim *s, long r, long *lat, long *lon)
{
	uint64_t x = sim_rand(s);
	long	 dy, dx;

	sim_disc(&x, r, &dy, &dx);
	sim_move(lat, lon, dy, dx);
}

/* A fresh report. */
static void
sim_draw_new(struct sim *s, time_t now, struct sim_item *it)
{
	const struct sim_district *d = sim_draw_district(s);

	it->grid = d->grids[sim_below(s, d->ngrids)];
	it->cat = sim_draw_cat(s, now);
	sim_draw_where(s, d, it->grid, &it->where);
	it->tpl = sim_below(s, it->cat->ntpl);
	it->src = sim_draw_source(s, it->cat, SRC__COUNT);
	it->at = now - (time_t)sim_below(s, SIM_LATE_MAX + 1);
	sim_grid_point(d, it->grid, &it->lat, &it->lon);
	sim_jitter(s, SIM_JITTER, &it->lat, &it->lon);
}

/* A report of the last half hour that may be repeated, or NULL. */
static const struct sim_item *
sim_draw_original(struct sim *s, time_t now)
{
	const struct sim_item *o;

	if (s->nrecent == 0 || sim_below(s, 100) >= SIM_REPEAT_PCT)
		return NULL;
	o = &s->recent[sim_below(s, s->nrecent)];
	return o->at >= now - SIM_REPEAT_AGE && o->at < now ? o : NULL;
}

/* The same event again: same matter and place, the same or the next grid
 * of the community, another source and wording, a little later. */
static void
sim_draw_repeat(struct sim *s, time_t now, const struct sim_item *o,
    struct sim_item *it)
{
	const struct juris *g = o->grid;
	time_t	 late;

	*it = *o;
	if (sim_below(s, 100) < 40)
		g = g->next != NULL ? g->next : g->parent != NULL ?
		    g->parent->child : g;
	it->grid = g;
	if (o->cat->ntpl > 1)
		it->tpl = (o->tpl + 1 + sim_below(s, o->cat->ntpl - 1)) %
		    o->cat->ntpl;
	it->src = sim_draw_source(s, o->cat, o->src);
	late = (time_t)sim_below(s, SIM_LATE_MAX + 1);
	it->at = now - late > o->at ? now - late : now;
	sim_jitter(s, SIM_REPEAT_JIT, &it->lat, &it->lon);
}

/* Micro-degrees as a JSON number: 29870123 -> 29.870123. */
static void
sim_put_udeg(struct jbuf *b, long v)
{
	char	buf[32];

	snprintf(buf, sizeof buf, "%s%ld.%06ld", v < 0 ? "-" : "",
	    labs(v) / 1000000, labs(v) % 1000000);
	jbuf_raw(b, buf);
}

static void
sim_put_item(struct sim *s, struct jbuf *b, const struct sim_item *it,
    int urgent)
{
	char	buf[96];

	jbuf_open(b);
	snprintf(buf, sizeof buf, "%s-%llu-%llu", s->prefix,
	    (unsigned long long)s->o.seed, (unsigned long long)s->n);
	JBUF_KEY(b, "id");		jbuf_str(b, buf);
	JBUF_KEY(b, "grid");		jbuf_str(b, it->grid->code);
	JBUF_KEY(b, "category");	jbuf_str(b, it->cat->c->code);
	gltime_format(it->at, GLTIME_CHINA, buf, sizeof buf);
	JBUF_KEY(b, "reported_at");	jbuf_str(b, buf);
	JBUF_KEY(b, "summary");		sim_put_summary(s, b, it);
	JBUF_KEY(b, "reporter");	sim_put_reporter(s, b, it);
	JBUF_KEY(b, "source");		jbuf_str(b, sim_source_names[it->src]);
	if (urgent && it->cat->c->priority > 1) {
		JBUF_KEY(b, "priority");
		jbuf_int(b, it->cat->c->priority - 1);
	}
	JBUF_KEY(b, "address");		sim_put_address(b, it);
	JBUF_KEY(b, "location");
	jbuf_open(b);
	JBUF_KEY(b, "lat");		sim_put_udeg(b, it->lat);
	JBUF_KEY(b, "lon");		sim_put_udeg(b, it->lon);
	jbuf_close(b);
	jbuf_close(b);
}

/* Raise the priority? In a typhoon its surge matters are urgent; else a
 * few reporters stress a danger the category's default does not. */
static int
sim_urgent(struct sim *s, const struct sim_item *it)
{
	const unsigned *w = it->cat->w;

	if (s->o.scenario == SIM_TYPHOON && w[SIM_TYPHOON] >= 5 *
	    (w[SIM_NORMAL] + 1))
		return 1;
	return sim_below(s, 100) < 2;
}

int
sim_next(struct sim *s, time_t now, char **json)
{
	const struct sim_item *o;
	struct sim_item	 it;
	struct jbuf	 b;

	assert(s != NULL && json != NULL);
	s->n++;
	if ((o = sim_draw_original(s, now)) != NULL)
		sim_draw_repeat(s, now, o, &it);
	else {
		sim_draw_new(s, now, &it);
		s->recent[s->norig++ % SIM_RECENT] = it;
		if (s->nrecent < SIM_RECENT)
			s->nrecent++;
	}
	jbuf_init(&b);
	sim_put_item(s, &b, &it, sim_urgent(s, &it));
	if (!jbuf_ok(&b) || (*json = jbuf_take(&b)) == NULL) {
		jbuf_free(&b);
		return GL_ENOMEM;
	}
	return 0;
}
