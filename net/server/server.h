/*
 * server.h: the gridline server, one libuv loop in front of the store.
 *
 * It binds three sockets in the run directory: ingest (REP: incidents in),
 * events (PUB: every committed change out) and control (REP: the console's
 * reads and lifecycle actions). It is the only process that opens the
 * database. See server.c for how a batch flows and docs/PROTOCOL.md for the
 * messages.
 */
#ifndef GL_SERVER_H
#define GL_SERVER_H

#include <stddef.h>

#include <uv.h>

#include "clock.h"

#define SERVER_MAX_INGEST	8	/* --ingest URLs beyond the ipc one */

struct server_opts {
	const char	*run_dir;		/* resolved */
	const char	*db;			/* resolved */
	const char	*data_dir;		/* reference data */
	const char	*ingest[SERVER_MAX_INGEST];	/* extra endpoints */
	size_t		 ningest;
	size_t		 max_message;		/* bytes; 0: default */
	int		 training;		/* a training server */
	double		 feeder_rate;		/* requests a second a feeder
						   may send; 0: no limit */
	double		 feeder_burst;		/* its bucket; 0: twice the
						   rate */
	int		 create;		/* --create: a new database
						   where one was before */
	const char	*scenario;		/* a training server's
						   scenario, for consoles */
	struct glclock	 clock;			/* the time cases run on;
						   zeroed: the wall clock */
};

struct server;

/* Lock the run directory, open the store, load and check the reference
 * data, bind the sockets and join them to loop. 0, or a GL_E* code with a
 * message (GL_EBUSY: another server runs there). Either way *out is set:
 * run the loop (after a failure it ends at once) and then free it with
 * server_free. */
int	server_open(uv_loop_t *loop, const struct server_opts *o,
	    struct server **out, char *err, size_t errlen);
void	server_free(struct server *s);

/* Begin an orderly stop: take no new requests, answer those in flight,
 * commit, checkpoint, close; the loop then ends by itself. */
void	server_stop(struct server *s);

/* Load the reference data again; it replaces the current set only when it
 * passes the checker (otherwise the old set stays and the log says why). */
void	server_reload(struct server *s);

#endif
