/*
 * sim.h: a believable Ningbo in a box: simulated incidents for feeds,
 * load tests, training and the demo.
 *
 * The generator draws from its own PRNG (xoshiro256**, seeded through
 * splitmix64), never rand(), and does all its geometry in integers, so a
 * seed and a sequence of clock values give the same bytes on every
 * platform. What it draws from is data: the reference data (grids,
 * townships, districts, categories) and data/sim/ (how often each matter is
 * reported per scenario, summary templates, real road and landmark names,
 * district centres, reporters' names); see docs/DATA.md "Simulator data".
 */
#ifndef GL_SIM_H
#define GL_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "refdata.h"

enum sim_scenario {
	SIM_NORMAL, SIM_RUSH_HOUR, SIM_TYPHOON, SIM_NIGHT,
	SIM__COUNT
};

/* "normal", "rush-hour", "typhoon" or "night" into *out; 0 or GL_EINVAL
 * (then sim_scenario_list says what would do). */
int	sim_scenario_parse(const char *name, enum sim_scenario *out);
/* The name of s ("rush-hour"); "unknown" when s is out of range. */
const char *sim_scenario_name(enum sim_scenario s);
/* The valid names for a message: "normal, rush-hour, typhoon, night". */
const char *sim_scenario_list(void);

struct sim_opts {
	uint64_t	  seed;
	enum sim_scenario scenario;
	const char	 *id_prefix;	/* ids are PREFIX-SEED-N; NULL: "sim" */
};

struct sim;

/* A generator on rd (which must outlive it) with the files of
 * data_dir/sim/. 0 with *out set (free with sim_free); GL_EIO when a file
 * cannot be read, GL_EPARSE when one is wrong or names a category or
 * district rd does not have, GL_EINVAL for a bad scenario, GL_ENOMEM;
 * err says which file and line. */
int	sim_new(const struct refdata *rd, const char *data_dir,
	    const struct sim_opts *o, struct sim **out, char *err,
	    size_t errlen);
void	sim_free(struct sim *s);

/* The next incident, reported around now (the simulated or server clock):
 * an ingest item (docs/PROTOCOL.md "Ingest") as one line of JSON without
 * a newline, malloc'd into *json (the caller frees it). reported_at is
 * 0 to 10 minutes before now, never after it. The same seed and the same
 * sequence of now give byte-identical items. 0 or GL_ENOMEM. */
int	sim_next(struct sim *s, time_t now, char **json);

/* Mean incidents per hour the scenario produces at the local (UTC+8)
 * time of day of now. */
double	sim_rate_at(const struct sim *s, time_t now);

#endif
