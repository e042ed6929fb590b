/*
 * store-ckpt.c: WAL checkpoints apart from commits (see store.h).
 *
 * By default SQLite checkpoints inside the commit that takes the WAL past
 * 1,000 pages: it copies every page of the WAL into the database file and
 * fsyncs both, and the commit returns only then. In the server that commit
 * held its batch, and every request arriving meanwhile, for several
 * milliseconds, often enough to be the slowest 1% of acknowledgements at
 * 1,000 incidents/s.
 *
 * So a server's connection stops checkpointing at commits
 * (store_checkpoint_apart) and only counts the WAL's pages; a second
 * connection (struct store_ckpt), used by one other thread, runs passive
 * checkpoints while the writer goes on. A passive checkpoint never blocks
 * the writer, and the writer starts the WAL anew once a checkpoint has
 * copied all of it. Should checkpoints fall behind a writer that never
 * pauses, the commit that takes the WAL past STORE_WAL_HARD pages
 * checkpoints itself as before, so the WAL file stays bounded.
 */
#include <stdlib.h>

#include "error.h"
#include "store-int.h"

#define STORE_WAL_HARD	16000	/* pages (64 MB): a commit checkpoints */

struct store_ckpt {
	sqlite3	*db;
};

static int
store_wal_cb(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store	*st = arg;

	st->wal_frames = frames;
	if (frames >= STORE_WAL_HARD)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL);
	return SQLITE_OK;
}

void
store_checkpoint_apart(struct store *st)
{
	sqlite3_wal_hook(st->db, store_wal_cb, st);
}

long
store_wal_frames(const struct store *st)
{
	return st->wal_frames;
}

int
store_ckpt_open(const char *path, struct store_ckpt **out, char *err,
    size_t errlen)
{
	struct store_ckpt	*c;
	int			 rc;

	*out = NULL;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	/* A connection learns that the file is in WAL mode when it first
	 * reads it; until then a checkpoint quietly does nothing. */
	rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(c->db, "PRAGMA journal_mode=WAL", NULL, NULL,
		    NULL);
	if (rc != SQLITE_OK) {
		rc = gl_err(err, errlen, GL_EDB, "%s: checkpointer: %s", path,
		    c->db != NULL ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		store_ckpt_close(c);
		return rc;
	}
	/* the writer's own checkpoints, past STORE_WAL_HARD, are its */
	sqlite3_wal_autocheckpoint(c->db, 0);
	*out = c;
	return 0;
}

int
store_ckpt_run(struct store_ckpt *c, char *err, size_t errlen)
{
	int	rc = sqlite3_wal_checkpoint_v2(c->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

	if (rc == SQLITE_OK || rc == SQLITE_BUSY)	/* BUSY: one runs */
		return 0;
	return gl_err(err, errlen, (rc & 0xff) == SQLITE_FULL ? GL_EFULL :
	    GL_EDB, "checkpoint: %s", sqlite3_errmsg(c->db));
}

void
store_ckpt_close(struct store_ckpt *c)
{
	if (c == NULL)
		return;
	sqlite3_close(c->db);
	free(c);
}
