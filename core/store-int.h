/*
 * store-int.h: the inside of struct store, shared by the store-*.c files.
 */
#ifndef GL_STORE_INT_H
#define GL_STORE_INT_H

#include <sys/types.h>

#include <sqlite3.h>

#include "store.h"

/* Prepared statements, compiled once on first use and kept. */
enum store_stmt_id {
	SS_CASE_BY_NO, SS_CASE_BY_ID, SS_CASE_INSERT,
	SS_CASE_UPDATE, SS_SEQ_GET, SS_SEQ_SET, SS_EVENT_INSERT, SS_DUP_FIND, SS_HISTORY,
	SS_EVENTS, SS_EVENT_LAST_HASH,
	SS_SAVEPOINT, SS_RELEASE, SS_ROLLBACK_TO,
	SS__COUNT
};

#define STORE_PROF_MAX	64
#define STORE_SEQ_MAX	16	/* district-days counted in one transaction */
#define STORE_INDEX_CHUNK 64	/* new cases a commit leaves to the search
				   index before it indexes them */

/* A case-number counter held during a transaction (store-seq.c). */
struct store_seq {
	char	district[16];
	char	day[9];		/* YYYYMMDD, local */
	int64_t	n;		/* the last number taken */
	int	dirty;		/* not yet written back */
};

struct store {
	sqlite3			*db;
	struct store_prof	*prof;		/* GRIDLINE_SQL_PROFILE */
	size_t			 nprof;
	sqlite3_stmt		*stmt[SS__COUNT];
	const struct calendar	*cal;		/* borrowed, or own_cal */
	struct calendar		*own_cal;
	long			 offset;	/* seconds east of UTC */
	int			 in_txn;	/* inside store_begin */
	int			 readonly;	/* store_open_reader */
	struct store_seq	 seq[STORE_SEQ_MAX];
	size_t			 nseq;
	int			 wal_frames;	/* in the WAL after the last
						   commit (store-ckpt.c) */
	long			 fts_pending;	/* cases created, not indexed
						   (an estimate: see store.c) */
	int			 file_fd;	/* the database file, kept open
						   for store_file_check; -1 */
	dev_t			 file_dev;	/* what the path named at open */
	ino_t			 file_ino;
	char			*file_path;	/* owned */
};

/* The statement id, prepared and reset; NULL on error (message in err). */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id, char *err,
	    size_t errlen);

/* Map an SQLite result code to a GL_E* code with the db's message. */
int	store_sqlerr(struct store *st, int rc, const char *what, char *err,
	    size_t errlen);

/* GL_ESCHEMA when the file's schema is newer than this binary knows;
 * checked before anything is written to it. */
int	store_schema_check(sqlite3 *db, char *err, size_t errlen);

/* Run schema steps from the file's user_version up to target. */
int	store_schema_migrate(sqlite3 *db, int target, char *err,
	    size_t errlen);

/* Case numbers (store-seq.c): the next number of the district for the
 * local day of now; give back the last one taken (a create that failed);
 * write the counters back (before a commit); forget them (after a commit
 * or rollback). */
int	store_seq_next(struct store *st, const char *district, time_t now,
	    char *no, size_t len, char *err, size_t errlen);
void	store_seq_unissue(struct store *st, const char *no);
int	store_seq_flush(struct store *st, char *err, size_t errlen);
void	store_seq_forget(struct store *st);
/* A savepoint was rolled back (inside a transaction or not). */
void	store_seq_rolled_back(struct store *st);

/* Fill c from the current row of a statement selecting STORE_CASE_COLS. */
void	store_case_from_row(sqlite3_stmt *s, struct store_case *c);

#define STORE_CASE_COLS							\
	"id, no, ext_id, grid, township, district, category, priority, "	\
	"summary, address, reporter, source, photos, lat, lon, "	\
	"reported_at, created_at, updated_at, closed_at, state, "	\
	"before_state, agency, support, level, limit_amount, limit_unit, " \
	"due_at, paused_at, remaining, ext_pending, ext_amount, returns, " \
	"reworks, presses, duplicate_of, merged_into, version, "		\
	"(SELECT d.no FROM cases d WHERE d.id = cases.duplicate_of), "	\
	"(SELECT m.no FROM cases m WHERE m.id = cases.merged_into), "	\
	"(SELECT max(e.at) FROM events e WHERE e.case_id = cases.id "	\
	"AND e.action = 'dispatch'), callback, callback_at"

#endif
