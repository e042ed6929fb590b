/*
 * scenario.h: a training scenario (data/scenarios/NAME/, issue 13): a
 * recording of incidents and the handling a trainee is scored against.
 *
 *   scenario.tsv	key/value: title, description, clock (the start,
 *			RFC 3339), register_within and dispatch_within
 *			(seconds of the scenario's clock allowed from an
 *			incident's arrival to its registration, and to the
 *			action that decides it: dispatch, merge or void)
 *   incidents.jsonl	recording lines (cli/feed.h): {"at":..,"item":{..}}
 *   expected.tsv	id, handling (dispatch|merge|void|escalate), agency
 *			(dispatch: the lead; escalate: the lead one level
 *			up), of (merge: the id repeated), note (Chinese, for
 *			the trainee's list of mistakes)
 *   model.script	the model handling (gridline --script)
 *
 * Loading checks the files against each other and against the reference
 * data: every grid and category exists, every expected agency exists and
 * is the lead the responsibility list gives (for an escalation: at a
 * level above the grid's), every merge names an earlier incident, the
 * times run forward from the clock. Each problem is reported with its
 * file and line; `gridline check` reports them for every shipped scenario.
 */
#ifndef GL_SCENARIO_H
#define GL_SCENARIO_H

#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "refdata.h"

#define SCEN_PATH	4096	/* a scenario's paths, each */

enum scen_handling { SH_DISPATCH, SH_MERGE, SH_VOID, SH_ESCALATE };

struct scen_incident {
	char		*id;
	time_t		 at;		/* arrival on the scenario's clock */
	enum scen_handling handling;
	char		*agency;	/* dispatch, escalate */
	char		*of;		/* merge: the id it repeats */
	char		*note;
	char		*summary;	/* the item's, for the mistakes */
	long		 line;		/* in incidents.jsonl */
};

struct scenario {
	char		*name;		/* the directory's name */
	char		*dir;
	char		*title, *description;
	char		*clock_text;	/* as written */
	time_t		 clock;
	long		 register_within, dispatch_within;	/* seconds */
	struct scen_incident *v;
	size_t		 n;
};

/* Load and check the scenario in dir against rd; problems go to d. 0 with
 * *out set, or GL_EIO/GL_EPARSE/GL_EINVAL (*out NULL). */
int	scenario_load(const char *dir, const struct refdata *rd,
	    struct scenario **out, struct diag *d);
void	scenario_free(struct scenario *s);

/* The scenario named name (or a path with a '/') under the data
 * directory's scenarios/, into buf. */
void	scenario_path(const char *data_dir, const char *name, char *buf,
	    size_t len);

/* Check every scenario under data_dir/scenarios (none: 0); problems go to
 * d; the count checked in *n. */
int	scenario_check_all(const char *data_dir, const struct refdata *rd,
	    struct diag *d, size_t *n);

const char *scenario_handling_name(enum scen_handling h);

#endif
