/*
 * store.c: opening the database, transactions, prepared statements (see
 * store.h). Schema steps are in store-schema.c, case operations in
 * store-case.c, search in store-search.c.
 *
 * Pragmas: WAL so that readers (snapshots for consoles) never block the
 * writer; synchronous=FULL because the server acknowledges data to senders
 * and WAL's NORMAL could lose the last commits on power loss; foreign keys
 * on; temp_store=MEMORY because every operation runs in a savepoint, whose
 * sub-journal would otherwise be a temporary file written on every change
 * (measured: a third of the time of a batched create); a busy timeout so a checkpoint by another connection (sqlite3 CLI
 * during maintenance) is waited out instead of failing.
 *
 * File modes: SQLite makes a new database 0644 (SQLITE_DEFAULT_FILE_
 * PERMISSIONS less the umask), readable by every local user, and gives
 * -wal and -shm the mode of the database file. So store_open makes a
 * missing file itself, empty and 0600 (an empty file is a new database to
 * SQLite), and the WAL and shared memory follow. Rejected: umask(077)
 * around the open, as the -wal and -shm are made later, on the first
 * read, and the umask is the whole process's.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "gltime.h"
#include "store-int.h"

static const char *const store_sql[SS__COUNT] = {
	[SS_CASE_BY_NO] = "SELECT " STORE_CASE_COLS " FROM cases WHERE no = ?",
	[SS_CASE_BY_ID] = "SELECT " STORE_CASE_COLS " FROM cases WHERE id = ?",
	[SS_CASE_INSERT] = "INSERT INTO cases (no, ext_id, grid, township, "
	    "district, category, priority, summary, address, reporter, "
	    "source, photos, lat, lon, reported_at, created_at, updated_at, "
	    "state, level, limit_amount, limit_unit, duplicate_of, version) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[SS_CASE_UPDATE] = "UPDATE cases SET state = ?, before_state = ?, "
	    "agency = ?, support = ?, level = ?, due_at = ?, paused_at = ?, "
	    "remaining = ?, ext_pending = ?, ext_amount = ?, returns = ?, "
	    "reworks = ?, presses = ?, merged_into = ?, closed_at = ?, "
	    "updated_at = ?, version = ?, callback = ?20, callback_at = ?21 "
	    "WHERE id = ?18 AND version = ?19",
	[SS_SEQ_GET] = "SELECT n FROM case_seq WHERE district = ? AND day = ?",
	[SS_SEQ_SET] = "INSERT INTO case_seq (district, day, n) "
	    "VALUES (?, ?, ?) ON CONFLICT (district, day) "
	    "DO UPDATE SET n = excluded.n",
	[SS_EVENT_INSERT] = "INSERT INTO events (case_id, version, at, actor, "
	    "action, from_state, to_state, agency, reason_code, reason, "
	    "detail, signer_key, sig, request, hash) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[SS_EVENT_LAST_HASH] = "SELECT hash FROM events ORDER BY seq DESC "
	    "LIMIT 1",
	[SS_DUP_FIND] = "SELECT c.id, c.no, c.lat, c.lon, o.id, o.no "
	    "FROM cases c LEFT JOIN cases o ON o.id = c.duplicate_of AND "
	    "o.state NOT IN ('closed', 'voided', 'merged') "
	    "WHERE c.grid = ? AND c.category = ? AND c.reported_at "
	    "BETWEEN ? AND ? AND c.state NOT IN ('closed', 'voided', "
	    "'merged') ORDER BY c.reported_at, c.id",
	[SS_HISTORY] = "SELECT e.seq, e.case_id, c.no, e.version, e.at, "
	    "e.actor, e.action, e.from_state, e.to_state, e.agency, "
	    "e.reason_code, e.reason, e.detail FROM events e "
	    "JOIN cases c ON c.id = e.case_id WHERE c.no = ? ORDER BY e.seq",
	[SS_EVENTS] = "SELECT e.seq, e.case_id, c.no, e.version, e.at, "
	    "e.actor, e.action, e.from_state, e.to_state, e.agency, "
	    "e.reason_code, e.reason, e.detail FROM events e "
	    "JOIN cases c ON c.id = e.case_id WHERE e.seq > ? "
	    "ORDER BY e.seq LIMIT ?",
	[SS_SAVEPOINT] = "SAVEPOINT op",
	[SS_RELEASE] = "RELEASE op",
	[SS_ROLLBACK_TO] = "ROLLBACK TO op",
};

int
store_sqlerr(struct store *st, int rc, const char *what, char *err,
    size_t errlen)
{
	int	code;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = GL_EBUSY;
		break;
	case SQLITE_FULL:
		code = GL_EFULL;
		break;
	case SQLITE_READONLY:
		code = GL_EREADONLY;
		break;
	case SQLITE_NOMEM:
		code = GL_ENOMEM;
		break;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		code = GL_EIO;
		break;
	default:
		code = GL_EDB;
	}
	return gl_err(err, errlen, code, "%s: %s", what,
	    st != NULL && st->db != NULL ? sqlite3_errmsg(st->db) :
	    sqlite3_errstr(rc));
}

sqlite3_stmt *
store_stmt(struct store *st, enum store_stmt_id id, char *err, size_t errlen)
{
	int	rc;

	if (st->stmt[id] == NULL) {
		rc = sqlite3_prepare_v3(st->db, store_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL);
		if (rc != SQLITE_OK) {
			store_sqlerr(st, rc, "prepare", err, errlen);
			return NULL;
		}
	}
	sqlite3_reset(st->stmt[id]);
	sqlite3_clear_bindings(st->stmt[id]);
	return st->stmt[id];
}

static int
store_exec(struct store *st, const char *sql, char *err, size_t errlen)
{
	int	rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_sqlerr(st, rc, sql, err, errlen);
}

static int
store_pragmas(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc, wal = 0;

	sqlite3_busy_timeout(st->db, 5000);
	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s,
	    NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "journal_mode", err, errlen);
	if (sqlite3_step(s) == SQLITE_ROW)
		wal = strcmp((const char *)sqlite3_column_text(s, 0),
		    "wal") == 0;
	sqlite3_finalize(s);
	if (!wal)
		return gl_err(err, errlen, GL_EDB, "cannot switch the database "
		    "to WAL mode: %s", sqlite3_errmsg(st->db));
	if ((rc = store_exec(st, "PRAGMA synchronous=FULL", err, errlen)) != 0 ||
	    (rc = store_exec(st, "PRAGMA temp_store=MEMORY", err, errlen)) != 0)
		return rc;
	return store_exec(st, "PRAGMA foreign_keys=ON", err, errlen);
}

/*
 * GRIDLINE_SQL_PROFILE=1 in the environment: time every statement and, at
 * close, print the total per statement text to stderr (costliest first).
 * For finding where a write spends its time; off, it costs nothing.
 */
struct store_prof {
	char		*sql;		/* the statement's text, owned */
	int64_t		 ns;
	long		 n;
};

static int
store_prof_cb(unsigned type, void *ctx, void *p, void *x)
{
	struct store	*st = ctx;
	const char	*sql = sqlite3_sql((sqlite3_stmt *)p);
	size_t		 i;

	if (type != SQLITE_TRACE_PROFILE || sql == NULL)
		return 0;
	for (i = 0; i < st->nprof; i++)
		if (strcmp(st->prof[i].sql, sql) == 0)
			break;
	if (i == st->nprof) {
		if (st->nprof == STORE_PROF_MAX ||
		    (st->prof[i].sql = strdup(sql)) == NULL)
			return 0;
		st->nprof++;
	}
	st->prof[i].ns += *(sqlite3_int64 *)x;
	st->prof[i].n++;
	return 0;
}

static int
store_prof_cmp(const void *a, const void *b)
{
	const struct store_prof *x = a, *y = b;

	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

static void
store_prof_print(struct store *st)
{
	size_t	i;

	qsort(st->prof, st->nprof, sizeof *st->prof, store_prof_cmp);
	for (i = 0; i < st->nprof; i++)
		fprintf(stderr, "%10.1f ms %8ld x %6.2f us  %.70s\n",
		    st->prof[i].ns / 1e6, st->prof[i].n,
		    st->prof[i].ns / 1e3 / st->prof[i].n, st->prof[i].sql);
	for (i = 0; i < st->nprof; i++)
		free(st->prof[i].sql);
	free(st->prof);
}

/* Put "path: " before a message that does not name the file yet: a
 * server that cannot open its database must say which one. */
static void
store_name_path(const char *path, char *err, size_t errlen)
{
	char	msg[512];

	if (err == NULL || errlen == 0 || strstr(err, path) != NULL)
		return;
	snprintf(msg, sizeof msg, "%s", err);
	snprintf(err, errlen, "%s: %s", path, msg);
}

/* Make path, empty and 0600, if it does not exist; any failure is left for
 * sqlite3_open_v2 to report. Not for ":memory:" or "file:" URIs. */
static void
store_create_private(const char *path)
{
	int	fd;

	if (path[0] == '\0' || strcmp(path, ":memory:") == 0 ||
	    strncmp(path, "file:", 5) == 0)
		return;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) >= 0)
		close(fd);
}

/*
 * The file the connection has open, for store_file_check: an fd of our
 * own on it (fstat's st_nlink says whether any name is left) and its
 * st_dev/st_ino (a stat of the path then says whether the name still
 * means it). Opened before SQLite opens the file, and closed only after
 * the connection (store_close): closing any fd of a file drops the
 * process's POSIX locks on it, SQLite's among them. When the file cannot
 * be opened here the check is off (SQLite then reports why).
 */
static void
store_file_remember(struct store *st, const char *path)
{
	struct stat	sb;

	if (path[0] == '\0' || strcmp(path, ":memory:") == 0 ||
	    strncmp(path, "file:", 5) == 0)
		return;
	if ((st->file_path = strdup(path)) == NULL ||
	    (st->file_fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(st->file_fd, &sb) != 0) {
		close(st->file_fd);
		st->file_fd = -1;
		return;
	}
	st->file_dev = sb.st_dev;
	st->file_ino = sb.st_ino;
}

int
store_file_check(struct store *st, char *err, size_t errlen)
{
	struct stat	sb;
	const char	*why;
	int		one = 1;

	if (st->file_fd < 0)
		return 0;
	if (fstat(st->file_fd, &sb) == 0 && sb.st_nlink == 0)
		why = "it has no name left";
	else if (stat(st->file_path, &sb) != 0)
		why = errno == ENOENT ? "no file by that name" :
		    strerror(errno);
	else if (sb.st_dev != st->file_dev || sb.st_ino != st->file_ino)
		why = "the name now means another file";
	else
		return 0;
	/* -wal and -shm by that name are not ours any more: at close SQLite
	 * would remove them */
	sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
	return gl_err(err, errlen, GL_EIO, "the database file %s was removed "
	    "or replaced (%s): nothing is stored from now on; restart the "
	    "server once the file is back, or with --create for a new one",
	    st->file_path, why);
}

/* A struct store on a new connection to path, opened with flags; the
 * writer's (remember) keeps an fd of its own on the file. */
static int
store_connect(const char *path, int flags, int remember, struct store **out,
    char *err, size_t errlen)
{
	struct store	*st;
	int		 rc;

	*out = NULL;
	if ((st = calloc(1, sizeof *st)) == NULL)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	st->offset = GLTIME_CHINA;
	st->file_fd = -1;
	st->fts_pending = STORE_INDEX_CHUNK;	/* a tail left by the last run
						   is indexed at the first
						   commit */
	if (calendar_new(&st->own_cal) != 0) {
		free(st);
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	}
	st->cal = st->own_cal;
	if (remember)
		store_file_remember(st, path);
	rc = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = gl_err(err, errlen, rc == SQLITE_CANTOPEN ? GL_EIO :
		    GL_EDB, "%s: %s", path, st->db != NULL ?
		    sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		store_close(st);
		return rc;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (getenv("GRIDLINE_SQL_PROFILE") != NULL &&
	    (st->prof = calloc(STORE_PROF_MAX, sizeof *st->prof)) != NULL)
		sqlite3_trace_v2(st->db, SQLITE_TRACE_PROFILE, store_prof_cb,
		    st);
	*out = st;
	return 0;
}

int
store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	struct store	*st;
	int		 rc;

	*out = NULL;
	store_create_private(path);
	if ((rc = store_connect(path, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, 1, &st, err, errlen)) != 0)
		return rc;
	if ((rc = store_schema_check(st->db, err, errlen)) != 0 ||
	    (rc = store_pragmas(st, err, errlen)) != 0 ||
	    (rc = store_schema_migrate(st->db, STORE_SCHEMA_VERSION, err,
	    errlen)) != 0) {
		store_name_path(path, err, errlen);
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

/*
 * Read-only, so that a read can never take the write lock from the writer
 * (a mistaken write fails at once with SQLITE_READONLY instead). No
 * pragmas to set: WAL is the file's (the writer set it), synchronous and
 * foreign keys matter only to writes. The schema must be the one this
 * binary writes; the writer migrated it before the reader opens.
 */
int
store_open_reader(const char *path, struct store **out, char *err,
    size_t errlen)
{
	struct store	*st;
	int		 rc;

	*out = NULL;
	if ((rc = store_connect(path, SQLITE_OPEN_READONLY, 0, &st, err,
	    errlen)) != 0)
		return rc;
	st->readonly = 1;
	sqlite3_busy_timeout(st->db, 5000);
	if ((rc = store_schema_check(st->db, err, errlen)) != 0 ||
	    (rc = store_exec(st, "PRAGMA temp_store=MEMORY", err,
	    errlen)) != 0) {
		store_name_path(path, err, errlen);
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	size_t	i;

	if (st == NULL)
		return;
	if (st->prof != NULL)
		store_prof_print(st);
	for (i = 0; i < SS__COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL)
		sqlite3_close(st->db);
	if (st->file_fd >= 0)		/* after the connection: see
					   store_file_remember */
		close(st->file_fd);
	free(st->file_path);
	calendar_free(st->own_cal);
	free(st);
}

int
store_unlink(const char *path)
{
	static const char *const sfx[] = { "-wal", "-shm", "" };
	char	p[4096];
	size_t	i;

	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		if (unlink(p) != 0 && errno != ENOENT)
			return GL_EIO;
	}
	return 0;
}

void
store_set_calendar(struct store *st, const struct calendar *cal)
{
	st->cal = cal != NULL ? cal : st->own_cal;
}

void
store_set_offset(struct store *st, long seconds_east)
{
	st->offset = seconds_east;
}

int
store_checkpoint(struct store *st, char *err, size_t errlen)
{
	return store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", err, errlen);
}

int
store_begin(struct store *st, char *err, size_t errlen)
{
	int	rc;

	if (st->in_txn)
		return gl_err(err, errlen, GL_EINVAL, "already in a "
		    "transaction");
	/* Deferred: a batch that only reads never takes the write lock, so
	 * reads go on while another process (a backup, the sqlite3 shell)
	 * holds it. With one writing process an upgrade cannot deadlock. */
	if ((rc = store_exec(st, "BEGIN", err, errlen)) == 0)
		st->in_txn = 1;
	return rc;
}

int
store_commit(struct store *st, char *err, size_t errlen)
{
	int	rc;

	if (!st->in_txn)
		return gl_err(err, errlen, GL_EINVAL, "not in a transaction");
	/* Only a transaction that wrote indexes: a batch of reads must
	 * not write (it would fail on a read-only or full database). */
	if ((rc = store_seq_flush(st, err, errlen)) != 0 ||
	    (st->fts_pending >= STORE_INDEX_CHUNK &&
	    sqlite3_txn_state(st->db, NULL) == SQLITE_TXN_WRITE &&
	    (rc = store_search_index(st, err, errlen)) != 0) ||
	    (rc = store_exec(st, "COMMIT", err, errlen)) != 0) {
		store_rollback(st);
		return rc;
	}
	st->in_txn = 0;
	store_seq_forget(st);
	return 0;
}

int
store_rollback(struct store *st)
{
	st->in_txn = 0;
	store_seq_forget(st);
	if (sqlite3_get_autocommit(st->db))
		return 0;
	return sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL) ==
	    SQLITE_OK ? 0 : GL_EDB;
}

static int64_t
store_scalar(struct store *st, const char *sql)
{
	sqlite3_stmt	*s;
	int64_t		 v = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int64_t
store_last_seq(struct store *st)
{
	return store_scalar(st, "SELECT coalesce(max(seq), 0) FROM events");
}

int
store_is_training(struct store *st)
{
	return store_scalar(st, "PRAGMA application_id") == STORE_TRAINING_ID;
}

int
store_mark_training(struct store *st, char *err, size_t errlen)
{
	char	sql[64];

	if (store_is_training(st))
		return 0;
	if (store_scalar(st, "SELECT (SELECT count(*) FROM cases) + "
	    "(SELECT count(*) FROM events) + (SELECT count(*) FROM "
	    "operators)") != 0)
		return gl_err(err, errlen, GL_EINVAL, "the database holds "
		    "records: only a new database becomes a training one");
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
	    STORE_TRAINING_ID);
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return gl_err(err, errlen, GL_EDB, "cannot mark the database "
		    "a training one: %s", sqlite3_errmsg(st->db));
	return 0;
}

int64_t
store_case_count(struct store *st)
{
	return store_scalar(st, "SELECT count(*) FROM cases");
}
