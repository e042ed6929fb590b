/*
 * train.h: `gridline train` (issue 13): trainees work through a scenario
 * on a training server of their own, and are scored on what they did.
 *
 *   train start SCENARIO [--speed X] [--trainee NAME] [--script FILE]
 *   train inject FILE			incidents added by the instructor
 *   train stop [SESSION]		ends the exercise, keeps the session
 *   train score [SESSION] [--json]	compares the log with the scenario
 *   train list				the sessions kept
 *
 * A session is a directory under $XDG_DATA_HOME/gridline/training (or
 * ~/.local/share/gridline/training), named SCENARIO-YYYYMMDD-HHMMSS:
 *
 *   session.tsv	key/value: scenario, title, clock, speed, trainee,
 *			replay (the replaying process), stopped (the server's
 *			clock when the exercise ended)
 *   scenario.tsv, incidents.jsonl, expected.tsv	the scenario as it was
 *			when the session began, so that a score does not
 *			move when the shipped scenario is edited later
 *   training.db	the training database (marked so: a live server
 *			refuses it, and a training server a live one)
 *   run/		the server's run directory
 *   admin.key, key	the session's operators: NAME-admin and NAME
 *			(role trainee)
 *   replay.log, run/server.log
 *
 * The file `current` beside the sessions names the one running, for
 * inject, stop and score without a name.
 */
#ifndef GL_TRAIN_H
#define GL_TRAIN_H

#include <stddef.h>

#include "cli.h"

#define TRAIN_PATH	4096	/* a session's paths, each */

struct train_verb {
	const char	*name;
	const char	*args;
	int		(*exec)(struct gridline *gl, int argc, char **argv);
};

extern const struct train_verb train_verb_start, train_verb_inject,
    train_verb_stop, train_verb_score, train_verb_list;

int	train_usage(const struct train_verb *v);

/* The directory holding the sessions, into buf. */
void	train_root(char *buf, size_t len);

/* The session named name (NULL: the current one, else the newest kept;
 * or a path with a '/'),
 * its directory into dir. 0, or -1 with the reason printed. */
int	train_session_dir(const char *name, char *dir, size_t len);

/* A session's key/value file: read key's value into buf (0, or -1 when
 * absent), write the whole file from pairs (NULL-terminated). */
int	train_get(const char *dir, const char *key, char *buf, size_t len);
int	train_put(const char *dir, const char *const *pairs);
/* Set one key, keeping the others. */
int	train_set(const char *dir, const char *key, const char *value);

/* The session's run directory and database paths. */
void	train_run_dir(const char *dir, char *buf, size_t len);
void	train_db(const char *dir, char *buf, size_t len);

#endif
