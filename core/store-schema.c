/*
 * store-schema.c: the database schema, as numbered steps.
 *
 * PRAGMA user_version holds the number of steps applied. Opening a file runs
 * the missing steps, each in its own transaction with the version bump, so a
 * crash mid-migration leaves the file at the last whole step. Steps are
 * never edited once released: a change is a new step. A file whose version
 * is above what this binary knows is refused (it would be written by rules
 * we do not know).
 *
 * Step 1: cases, the event log (append-only, enforced by triggers), the
 *         per-district daily case-number counters.
 * Step 2: full-text search over summary and address (FTS5, trigram
 *         tokenizer, so Chinese needs no word segmentation), kept in step by
 *         triggers and filled from the existing rows.
 * Step 3: the dead-letter table of rejected requests and items: the raw
 *         bytes (cut at 64 KiB), the error, the time and the endpoint.
 * Step 4: the search index is filled in bulk (store_search_index) instead
 *         of by a trigger per new case: measured, the trigger cost 50 us a
 *         case, five times the rest of the insert, while one INSERT ...
 *         SELECT over a batch costs 5 us a case. search_state.indexed is
 *         the highest case id in the index; the update and delete
 *         triggers touch the index only for rows already in it.
 * Step 5: a partial index of the finished cases (closed, voided, merged)
 *         by id, so a page of them newest first (store_case_finished) is
 *         found through the index however many open cases there are;
 *         the query's WHERE repeats the index's word for word, as SQLite
 *         requires to use a partial index (and INDEXED BY, since
 *         without statistics the planner prefers cases_state).
 * Step 6: a partial index of merged cases by the case they went into.
 * Step 7: the sender's id is unique per source, not globally: two feeders
 *         may use the same ids, and the same id from two sources is two
 *         incidents. Step 1 declared ext_id UNIQUE on the column, an
 *         index no statement can drop, so the table is rebuilt (SQLite's
 *         twelve-step ALTER: new table, copy, drop, rename, indexes and
 *         triggers again) with the unique index cases_ext on (ext_id,
 *         coalesce(source, '')): an incident without a source is scoped as
 *         the empty source, as every id was before. Rows keep their ids
 *         (the FTS index and the events refer to them). Foreign keys are
 *         switched off around this step (schema_step), as the drop would
 *         otherwise check every event against the vanished table.
 * Step 8: operators (issue 12): a name, an Ed25519 public key, a role
 *         (core/rights.h's names), the agency or township the role is
 *         bound to, disabled or not, and who made or last changed the
 *         row. The server loads them all at its start and keeps them in
 *         step as it changes them; a fresh database has none, and the
 *         first admin is taken from whoever can reach the control socket.
 * Step 9: feeders (issue 12): a name and the 32-byte key its requests on a
 *         tcp:// ingest endpoint are authenticated with (a MAC over each
 *         body), disabled or not. The key is a shared secret, so it has a
 *         table of its own: nothing lists it.
 * Step 10: the event log's hash chain (core/chain.h) and what a signed
 *         request leaves in it: the signer's public key, the signature
 *         and the request's JSON exactly as signed, so that an auditor
 *         can check each action without the server. Rows before this
 *         step have none: the chain begins after them.
 * Step 11: accountability to townships and the public (issue 14): the
 *         ratings townships give the stationed units (派驻机构) that
 *         serve them, one row per township, unit and month (the primary
 *         key: a new rating of the same month replaces the row, so the
 *         latest stands), with who rated it and when; and on the case the
 *         latest 12345 call-back (回访) result and its time. Every
 *         call-back is also an event of the log; the columns only save
 *         reading it back for the case's view.
 *
 * Step 12: indexes for the evaluation figures (issue 14): events by time
 *         and cases by deadline, so that a report of a week reads the
 *         cases of that week, not the whole log (docs/PERFORMANCE.md,
 *         "reports"). On a large old database this step builds both
 *         (about 10 s for 15 million events) at the first start.
 * The page size is not a step: SQLite fixes it when a file is first
 * written (and a WAL file cannot change it without a VACUUM out of WAL
 * mode), so only a new, empty file gets 2 KiB pages, set before the
 * first step writes it; an existing file keeps the size it has. 2 KiB,
 * not SQLite's 4 KiB: a group commit of a few new cases dirties about 12
 * pages of different b-trees (the case row, its five indexes, the event
 * and its index, the counter), and on this project's disk fdatasync takes
 * longer the more bytes the commit appended to the WAL (measured: 0.16 ms
 * for 4 KiB, 0.28-0.36 ms for 32 KiB, 0.66 ms for 128 KiB). Six runs of 8
 * closed-loop feeders each (2026-11-29): single items 2,709/s mean at 4
 * KiB, 3,300/s at 2 KiB, 3,504/s at 1 KiB; arrays of 100 14,672, 15,261
 * and 13,658/s. At 1 KiB rows and b-trees take more pages (deeper trees,
 * more overflow for long texts) and arrays lose; 2 KiB gains on both.
 */
#include <stdio.h>

#include "error.h"
#include "store-int.h"

#define STORE_PAGE_SIZE_SQL	"2048"	/* bytes a page, for new files */

static const char *const schema_steps[] = {
	/* 1 */
	"CREATE TABLE cases ("
	" id INTEGER PRIMARY KEY,"
	" no TEXT NOT NULL UNIQUE,"
	" ext_id TEXT UNIQUE,"
	" grid TEXT NOT NULL,"
	" township TEXT NOT NULL,"
	" district TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),"
	" summary TEXT NOT NULL,"
	" address TEXT, reporter TEXT, source TEXT, photos TEXT,"
	" lat REAL, lon REAL,"
	" reported_at INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" closed_at INTEGER,"
	" state TEXT NOT NULL,"
	" before_state TEXT,"
	" agency TEXT, support TEXT,"
	" level INTEGER NOT NULL,"
	" limit_amount INTEGER NOT NULL,"
	" limit_unit INTEGER NOT NULL,"
	" due_at INTEGER, paused_at INTEGER, remaining INTEGER,"
	" ext_pending INTEGER NOT NULL DEFAULT 0, ext_amount INTEGER,"
	" returns INTEGER NOT NULL DEFAULT 0,"
	" reworks INTEGER NOT NULL DEFAULT 0,"
	" presses INTEGER NOT NULL DEFAULT 0,"
	" duplicate_of INTEGER REFERENCES cases (id),"
	" merged_into INTEGER REFERENCES cases (id),"
	" version INTEGER NOT NULL);"
	"CREATE INDEX cases_dup ON cases (grid, category, reported_at);"
	"CREATE INDEX cases_state ON cases (state, due_at);"
	"CREATE TABLE events ("
	" seq INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases (id),"
	" version INTEGER NOT NULL,"
	" at INTEGER NOT NULL,"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" from_state TEXT, to_state TEXT NOT NULL,"
	" agency TEXT, reason_code TEXT, reason TEXT,"
	" detail TEXT);"
	"CREATE INDEX events_case ON events (case_id, seq);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	" BEGIN SELECT RAISE (ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	" BEGIN SELECT RAISE (ABORT, 'the event log is append-only'); END;"
	/* INSERT OR REPLACE deletes without firing DELETE triggers */
	"CREATE TRIGGER events_no_replace BEFORE INSERT ON events"
	" WHEN new.seq IS NOT NULL AND"
	" EXISTS (SELECT 1 FROM events WHERE seq = new.seq)"
	" BEGIN SELECT RAISE (ABORT, 'the event log is append-only'); END;"
	"CREATE TABLE case_seq ("
	" district TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY (district, day)) WITHOUT ROWID;",

	/* 2 */
	"CREATE VIRTUAL TABLE cases_fts USING fts5 (summary, address,"
	" content = 'cases', content_rowid = 'id', tokenize = 'trigram');"
	"CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN"
	" INSERT INTO cases_fts (rowid, summary, address)"
	" VALUES (new.id, new.summary, new.address); END;"
	"CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN"
	" INSERT INTO cases_fts (cases_fts, rowid, summary, address)"
	" VALUES ('delete', old.id, old.summary, old.address); END;"
	"CREATE TRIGGER cases_fts_au AFTER UPDATE OF summary, address ON cases"
	" BEGIN"
	" INSERT INTO cases_fts (cases_fts, rowid, summary, address)"
	" VALUES ('delete', old.id, old.summary, old.address);"
	" INSERT INTO cases_fts (rowid, summary, address)"
	" VALUES (new.id, new.summary, new.address); END;"
	"INSERT INTO cases_fts (cases_fts) VALUES ('rebuild');",

	/* 3 */
	"CREATE TABLE rejects ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" endpoint TEXT,"
	" code TEXT NOT NULL,"
	" field TEXT,"
	" message TEXT NOT NULL,"
	" item INTEGER,"
	" size INTEGER NOT NULL,"
	" body BLOB NOT NULL);"
	"CREATE INDEX rejects_at ON rejects (at);",

	/* 4 */
	"DROP TRIGGER cases_fts_ai;"
	"DROP TRIGGER cases_fts_ad;"
	"DROP TRIGGER cases_fts_au;"
	"CREATE TABLE search_state ("
	" one INTEGER PRIMARY KEY CHECK (one = 1),"
	" indexed INTEGER NOT NULL);"
	"INSERT INTO search_state VALUES (1,"
	" (SELECT coalesce(max(id), 0) FROM cases));"
	"CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases"
	" WHEN old.id <= (SELECT indexed FROM search_state) BEGIN"
	" INSERT INTO cases_fts (cases_fts, rowid, summary, address)"
	" VALUES ('delete', old.id, old.summary, old.address); END;"
	"CREATE TRIGGER cases_fts_au AFTER UPDATE OF summary, address ON cases"
	" WHEN old.id <= (SELECT indexed FROM search_state) BEGIN"
	" INSERT INTO cases_fts (cases_fts, rowid, summary, address)"
	" VALUES ('delete', old.id, old.summary, old.address);"
	" INSERT INTO cases_fts (rowid, summary, address)"
	" VALUES (new.id, new.summary, new.address); END;",

	/* 5 */
	"CREATE INDEX cases_finished ON cases (id)"
	" WHERE state IN ('closed', 'voided', 'merged');",

	/* 6: what was merged into a case, for its view */
	"CREATE INDEX cases_merged ON cases (merged_into)"
	" WHERE merged_into IS NOT NULL;",

	/* 7: the sender's id unique per source (see above) */
	"CREATE TABLE cases_new ("
	" id INTEGER PRIMARY KEY,"
	" no TEXT NOT NULL UNIQUE,"
	" ext_id TEXT,"
	" grid TEXT NOT NULL,"
	" township TEXT NOT NULL,"
	" district TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),"
	" summary TEXT NOT NULL,"
	" address TEXT, reporter TEXT, source TEXT, photos TEXT,"
	" lat REAL, lon REAL,"
	" reported_at INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" closed_at INTEGER,"
	" state TEXT NOT NULL,"
	" before_state TEXT,"
	" agency TEXT, support TEXT,"
	" level INTEGER NOT NULL,"
	" limit_amount INTEGER NOT NULL,"
	" limit_unit INTEGER NOT NULL,"
	" due_at INTEGER, paused_at INTEGER, remaining INTEGER,"
	" ext_pending INTEGER NOT NULL DEFAULT 0, ext_amount INTEGER,"
	" returns INTEGER NOT NULL DEFAULT 0,"
	" reworks INTEGER NOT NULL DEFAULT 0,"
	" presses INTEGER NOT NULL DEFAULT 0,"
	" duplicate_of INTEGER REFERENCES cases (id),"
	" merged_into INTEGER REFERENCES cases (id),"
	" version INTEGER NOT NULL);"
	"INSERT INTO cases_new SELECT * FROM cases;"
	"DROP TABLE cases;"
	"ALTER TABLE cases_new RENAME TO cases;"
	"CREATE UNIQUE INDEX cases_ext ON cases (ext_id, coalesce(source, ''));"
	"CREATE INDEX cases_dup ON cases (grid, category, reported_at);"
	"CREATE INDEX cases_state ON cases (state, due_at);"
	"CREATE INDEX cases_finished ON cases (id)"
	" WHERE state IN ('closed', 'voided', 'merged');"
	"CREATE INDEX cases_merged ON cases (merged_into)"
	" WHERE merged_into IS NOT NULL;"
	"CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases"
	" WHEN old.id <= (SELECT indexed FROM search_state) BEGIN"
	" INSERT INTO cases_fts (cases_fts, rowid, summary, address)"
	" VALUES ('delete', old.id, old.summary, old.address); END;"
	"CREATE TRIGGER cases_fts_au AFTER UPDATE OF summary, address ON cases"
	" WHEN old.id <= (SELECT indexed FROM search_state) BEGIN"
	" INSERT INTO cases_fts (cases_fts, rowid, summary, address)"
	" VALUES ('delete', old.id, old.summary, old.address);"
	" INSERT INTO cases_fts (rowid, summary, address)"
	" VALUES (new.id, new.summary, new.address); END;",

	/* 8: operators and their keys */
	"CREATE TABLE operators ("
	" name TEXT PRIMARY KEY,"
	" pubkey BLOB NOT NULL CHECK (length(pubkey) = 32),"
	" role TEXT NOT NULL,"
	" agency TEXT, township TEXT,"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL, created_by TEXT,"
	" updated_at INTEGER NOT NULL, updated_by TEXT) WITHOUT ROWID;",

	/* 9: feeders and their keys */
	"CREATE TABLE feeders ("
	" name TEXT PRIMARY KEY,"
	" key BLOB NOT NULL CHECK (length(key) = 32),"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL, created_by TEXT,"
	" updated_at INTEGER NOT NULL, updated_by TEXT) WITHOUT ROWID;",

	/* 10: the event log's hash chain and signatures */
	"ALTER TABLE events ADD COLUMN signer_key BLOB;"
	"ALTER TABLE events ADD COLUMN sig BLOB;"
	"ALTER TABLE events ADD COLUMN request TEXT;"
	"ALTER TABLE events ADD COLUMN hash BLOB;",

	/* 11: ratings of stationed units; the case's latest call-back */
	"CREATE TABLE ratings ("
	" township TEXT NOT NULL,"
	" agency TEXT NOT NULL,"
	" month TEXT NOT NULL CHECK (month GLOB"
	" '[0-9][0-9][0-9][0-9]-[01][0-9]'),"
	" score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),"
	" comment TEXT,"
	" rated_by TEXT,"
	" rated_at INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" PRIMARY KEY (township, agency, month)) WITHOUT ROWID;"
	"CREATE INDEX ratings_month ON ratings (month, agency);"
	"ALTER TABLE cases ADD COLUMN callback TEXT;"
	"ALTER TABLE cases ADD COLUMN callback_at INTEGER;",

	/* 12: the figures' indexes (core/figures.c FIG_SQL_SOME) */
	"CREATE INDEX events_at ON events (at);"
	"CREATE INDEX cases_due ON cases (due_at) WHERE due_at IS NOT NULL;",
};

_Static_assert(sizeof schema_steps / sizeof schema_steps[0] ==
    STORE_SCHEMA_VERSION, "STORE_SCHEMA_VERSION must count schema_steps");

#define SCHEMA_STEPS	((int)(sizeof schema_steps / sizeof schema_steps[0]))

static int	schema_step_run(sqlite3 *, int, char *, size_t);

static int
schema_version(sqlite3 *db, int *v)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*v = sqlite3_column_int(s, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

/* PRAGMA foreign_keys: 1 on, 0 off (-1 when it cannot be read). */
static int
schema_fk(sqlite3 *db)
{
	sqlite3_stmt	*s;
	int		 on = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		on = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return on;
}

/* Step 7 rebuilds the cases table: with foreign keys on, its DROP TABLE
 * would check the events against a table about to vanish. The pragma is a
 * no-op inside a transaction, so it is set around it and put back. */
static int
schema_step(sqlite3 *db, int step, char *err, size_t errlen)
{
	int	fk = step == 7 ? schema_fk(db) : 0, rc;

	if (fk == 1)
		sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	rc = schema_step_run(db, step, err, errlen);
	if (fk == 1)
		sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return rc;
}

static int
schema_step_run(sqlite3 *db, int step, char *err, size_t errlen)
{
	char	bump[64];
	int	rc;

	snprintf(bump, sizeof bump, "PRAGMA user_version = %d", step);
	if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) !=
	    SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_exec(db, schema_steps[step - 1], NULL, NULL,
	    NULL)) != SQLITE_OK ||
	    (rc = sqlite3_exec(db, bump, NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		int code = gl_err(err, errlen, GL_EDB, "schema step %d: %s",
		    step, sqlite3_errmsg(db));

		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return code;
	}
	return 0;
fail:
	return gl_err(err, errlen, (rc & 0xff) == SQLITE_BUSY ? GL_EBUSY :
	    GL_EDB, "schema step %d: %s", step, sqlite3_errmsg(db));
}

/* The number of pages in the file: 0 for a new, empty one. */
static int
schema_pages(sqlite3 *db)
{
	sqlite3_stmt	*s;
	int		 n = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Besides the check: a new, empty file gets 2 KiB pages (see the top
 * of this file). The pragma writes nothing; it takes effect when the
 * first step writes the file, so the check still writes nothing. */
int
store_schema_check(sqlite3 *db, char *err, size_t errlen)
{
	int	v = 0, rc;

	if ((rc = schema_version(db, &v)) != SQLITE_OK)
		return gl_err(err, errlen, GL_EDB, "reading the schema "
		    "version: %s", sqlite3_errmsg(db));
	if (v > SCHEMA_STEPS)
		return gl_err(err, errlen, GL_ESCHEMA, "the database has "
		    "schema version %d; this gridline knows up to %d", v,
		    SCHEMA_STEPS);
	if (v == 0 && schema_pages(db) == 0 && sqlite3_exec(db,
	    "PRAGMA page_size = " STORE_PAGE_SIZE_SQL, NULL, NULL, NULL) !=
	    SQLITE_OK)
		return gl_err(err, errlen, GL_EDB, "setting the page size: "
		    "%s", sqlite3_errmsg(db));
	return 0;
}

int
store_schema_migrate(sqlite3 *db, int target, char *err, size_t errlen)
{
	int	v = 0, rc;

	if (target < 1 || target > SCHEMA_STEPS)
		return gl_err(err, errlen, GL_EINVAL, "no schema version %d",
		    target);
	if ((rc = schema_version(db, &v)) != SQLITE_OK)
		return gl_err(err, errlen, (rc & 0xff) == SQLITE_NOTADB ?
		    GL_EDB : GL_EIO, "reading the schema version: %s",
		    sqlite3_errmsg(db));
	if (v > SCHEMA_STEPS)
		return gl_err(err, errlen, GL_ESCHEMA, "the database has "
		    "schema version %d; this gridline knows up to %d", v,
		    SCHEMA_STEPS);
	for (v++; v <= target; v++)
		if ((rc = schema_step(db, v, err, errlen)) != 0)
			return rc;
	return 0;
}
