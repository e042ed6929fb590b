/*
 * reader.h: the server's read lane, a read-only connection of its own.
 *
 * Snapshots, searches, event pages, a case with its history, status: the
 * requests that only read run here, on a thread and a connection of their
 * own, at a lower priority, beside the write batch (WAL lets readers run beside the
 * writer). A snapshot of 2,000 cases takes tens of milliseconds; on the
 * writer's connection every incident behind it waited that long for its
 * acknowledgement.
 *
 * One run at a time, a few requests a run (bounded in count, reply bytes
 * and time, as the write batch's control work is), each in its own read
 * transaction: a read sees every write acknowledged before it was sent.
 */
#ifndef GL_READER_H
#define GL_READER_H

#include <uv.h>

#include "clock.h"
#include "job.h"
#include "ops.h"
#include "refdata.h"

struct reader;

/* Called on the loop after each run, its replies sent: how many jobs were
 * answered and freed, and the bytes of their requests. */
typedef void (*reader_done_fn)(void *arg, size_t jobs, size_t bytes);

/* Open the read connection to db (a database the server has open and
 * migrated). 0, or a GL_E* code with a message. */
int	reader_open(uv_loop_t *loop, const char *db, reader_done_fn done,
	    void *arg, struct reader **out, char *err, size_t errlen);
/* Stop the lane's thread (after its run, if one runs) and close its loop
 * handle; before the loop's last turn. */
void	reader_close(struct reader *r);
/* Free r and every job still queued, unanswered (closing it first). */
void	reader_free(struct reader *r);

void	reader_push(struct reader *r, struct job *j);
/* Call each(arg, j) on the loop for every job of a run, its reply made,
 * before the reply is sent (the reports' copies: reports.c). */
void	reader_set_each(struct reader *r, void (*each)(void *, struct job *),
	    void *arg);
/* The jobs queued (not running). */
struct jobq *reader_queue(struct reader *r);
int	reader_busy(const struct reader *r);

/* Start a run on the queued jobs unless one runs: with rd (held until the
 * run ends), the server's clock (read, never changed), and a copy of the server's figures for `status`. When the
 * figures say the database file is gone, only status is answered. */
void	reader_start(struct reader *r, const struct refdata *rd, int training,
	    const struct glclock *clock, const struct server_stats *stats);

#endif
