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
 *
 * Room for the WAL, made at the start (store_wal_room): under a steady
 * load the background checkpoints never catch up with the writer, so the
 * WAL is started anew only at STORE_WAL_HARD, and until then every commit
 * appends to the file. An fdatasync that made the file longer must also
 * commit the file's new size to the filesystem's journal: measured here
 * (pwrite of 10 pages of 2 KiB, then fdatasync), 0.32-0.34 ms appending
 * against 0.21-0.26 ms overwriting. SQLite deletes the WAL at every clean
 * close, so every server start appended for the first STORE_WAL_HARD
 * pages, 32 MB, which is all of a short run: 8 closed-loop feeders of
 * single items reached 2,208/s (mean of 3) without the room and 2,922/s
 * with 40 MB of it. So the server's connection writes zeros past the
 * WAL's end up to the size the WAL reaches before it starts anew (at most
 * STORE_WAL_ROOM bytes) and fsyncs them, once, through SQLite's own file
 * handle and inside a write transaction, so no other connection can be
 * appending meanwhile. Zeros are never taken for frames (a frame must
 * carry the header's salts and checksum), so recovery stops where the
 * real frames end, as it does at the stale frames SQLite itself leaves
 * behind when it starts the WAL anew. posix_fallocate would not do: the
 * first write into an allocated but unwritten extent changes metadata
 * too. Best effort: on any failure (a full disk, RLIMIT_FSIZE) the WAL
 * simply grows as before.
 */
#include <stdlib.h>

#include "error.h"
#include "store-int.h"

#define STORE_WAL_HARD	16000	/* pages (32 MB of 2 KiB pages, 64 MB of
				   4 KiB): a commit checkpoints */
#define STORE_WAL_ROOM	(32 << 20)	/* bytes of WAL made room for at
					   the start, at most */

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

/* The database's page size in bytes; 0 when it cannot be read. */
static sqlite3_int64
store_page_size(sqlite3 *db)
{
	sqlite3_stmt	*s;
	sqlite3_int64	 n = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, NULL) !=
	    SQLITE_OK)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Zeros past the WAL's end, up to where it starts anew (see above). */
static void
store_wal_room(sqlite3 *db)
{
	static const char	 zero[64 << 10];
	sqlite3_file		*f = NULL;
	sqlite3_int64		 size, want, off;

	want = STORE_WAL_HARD * store_page_size(db);
	if (want > STORE_WAL_ROOM)
		want = STORE_WAL_ROOM;
	if (want <= 0 || sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) != SQLITE_OK)
		return;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
	    &f) == SQLITE_OK && f != NULL && f->pMethods != NULL &&
	    f->pMethods->xFileSize(f, &size) == SQLITE_OK && size < want) {
		for (off = size; off < want; off += sizeof zero)
			if (f->pMethods->xWrite(f, zero, sizeof zero, off) !=
			    SQLITE_OK)
				break;
		if (off > size)
			f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
	}
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

void
store_checkpoint_apart(struct store *st)
{
	sqlite3_wal_hook(st->db, store_wal_cb, st);
	store_wal_room(st->db);
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
