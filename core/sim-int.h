/*
 * sim-int.h: the simulator's insides, shared by its two halves: sim.c
 * (the PRNG, the scenarios and the drawing of incidents) and sim-load.c
 * (reading data/sim/ and the reference data into the tables drawn from).
 */
#ifndef GL_SIM_INT_H
#define GL_SIM_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "refdata.h"
#include "sim.h"
#include "tsv.h"

#define SIM_RECENT	32		/* originals a repeat may copy */
#define SIM_REPEAT_PCT	10		/* percent of draws that repeat */
#define SIM_REPEAT_AGE	1800		/* an original may be repeated (s) */
#define SIM_LATE_MAX	600		/* reported_at: this far before now */
#define SIM_GRID_SPREAD	800		/* metres around a township's centre */
#define SIM_JITTER	100		/* metres around a grid's point */
#define SIM_REPEAT_JIT	15		/* metres around the repeated report */
/* micro-degrees per metre: latitude everywhere, longitude near 29.9 N */
#define SIM_UDEG_LAT_KM	8983
#define SIM_UDEG_LON_KM	10366

enum sim_source { SRC_APP, SRC_HOTLINE, SRC_SENSOR, SRC_WEB, SRC__COUNT };

/* A road or landmark; tw NULL: anywhere in the district's urban part. */
struct sim_place {
	const char	*name;
	const struct juris *tw;
	int		 road;
};

struct sim_district {
	const struct juris *j;
	long		 lat, lon;	/* micro-degrees */
	long		 radius;	/* metres */
	unsigned	 typhoon;	/* percent weight in a typhoon */
	const struct juris **grids;
	size_t		 ngrids;
	struct sim_place *places;
	size_t		 nplaces;
};

struct sim_cat {
	const struct category *c;
	unsigned	 w[SIM__COUNT];
	unsigned	 sensor;	/* percent of reports from sensors */
	const char	**tpl;
	size_t		 ntpl;
};

/* Where an incident is: what both the summary and the address name. */
struct sim_where {
	const char	*road, *road2;	/* road2: a crossing */
	const char	*mark;		/* a landmark or spot, not a road */
	const char	*pre;		/* a spot's township, for the summary */
	const char	*dir;		/* beside the landmark */
	unsigned	 num;		/* house number on road */
};

struct sim_item {
	const struct sim_cat *cat;
	const struct juris *grid;
	struct sim_where where;
	size_t		 tpl;
	enum sim_source	 src;
	time_t		 at;
	long		 lat, lon;
};

struct sim {
	const struct refdata *rd;
	struct sim_opts	 o;
	char		*prefix;
	uint64_t	 st[4];		/* xoshiro256** state */
	uint64_t	 n;		/* items made */
	struct tsv	*t_weights, *t_tpl, *t_places, *t_dist, *t_names;
	struct sim_district d[16];
	size_t		 nd;
	struct sim_cat	*cats;
	size_t		 ncats;
	const char	**surnames, **given;
	size_t		 nsurnames, ngiven;
	unsigned	*w[SIM__COUNT];	/* ncats weights per scenario */
	struct sim_item	 recent[SIM_RECENT];
	size_t		 nrecent;	/* filled slots */
	uint64_t	 norig;		/* originals made: next slot */
};

/* sim.c: the next raw value of the seeding generator. */
uint64_t	sim_splitmix(uint64_t *x);

/* sim-load.c: the tables of s from data_dir/sim and s->rd; 0, or a
 * GL_E* code with "file:line: what" in err. sim_unload frees them (also
 * after a failed load). */
int	sim_load(struct sim *s, const char *data_dir, char *err, size_t el);
void	sim_unload(struct sim *s);

#endif
