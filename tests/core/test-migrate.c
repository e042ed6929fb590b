/*
 * test-migrate.c: opening and migrating the case database
 * (core/store-schema.c, store_open in core/store.c).
 *
 * A file at schema version 1 is built with the raw step (store_schema_migrate
 * to 1), filled with plain SQL the way a gridline of that version would have
 * left it, closed, and opened with store_open: it must arrive at
 * STORE_SCHEMA_VERSION with the old case readable and found by the full-text
 * index that step 2 builds from existing rows. Other rows: an empty file, a
 * missing file, a file from a newer gridline (GL_ESCHEMA), a file that is
 * not a database, reopening (idempotent).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "store-int.h"
#include "store.h"
#include "testutil.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define B(s)		s, sizeof (s) - 1

#define OLD_NO		"330203-20261123-00001"
#define OLD_SUMMARY	"望京路井盖缺失"
#define OLD_ADDRESS	"海曙区望京路88号门前"

static char *
path_in(const char *dir, const char *name)
{
	static char	buf[1024];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

/* PRAGMA user_version of path, read with a raw connection. */
static int
file_version(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int		 v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
	    NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* One integer from a query on a raw connection. */
static long long
file_scalar(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	long long	 v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		print_error("%s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		fail();
	}
}

/* A version-1 file holding one case and its report event. */
static void
make_v1(const char *path)
{
	sqlite3	*db;
	char	 err[256] = "";

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (store_schema_migrate(db, 1, err, sizeof err) != 0)
		fail_msg("migrate to 1: %s", err);
	exec_ok(db, "INSERT INTO cases (no, grid, township, district, "
	    "category, priority, summary, address, source, reported_at, "
	    "created_at, updated_at, state, level, limit_amount, limit_unit, "
	    "version) VALUES ('" OLD_NO "', '330203003001001', '330203003', "
	    "'330203', '1103', 1, '" OLD_SUMMARY "', '" OLD_ADDRESS "', "
	    "'grid-app', 1795400000, 1795400000, 1795400000, 'reported', 2, "
	    "4, 0, 1)");
	exec_ok(db, "INSERT INTO events (case_id, version, at, actor, action, "
	    "from_state, to_state) VALUES (1, 1, 1795400000, '网格员', "
	    "'report', NULL, 'reported')");
	exec_ok(db, "INSERT INTO case_seq (district, day, n) "
	    "VALUES ('330203', '20261123', 1)");
	sqlite3_close(db);
	assert_int_equal(file_version(path), 1);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'cases_fts'"), 0);
}

struct hits {
	int	n;
	char	no[8][32];
};

static int
collect(void *arg, const struct store_case *c)
{
	struct hits	*h = arg;

	if (h->n < 8)
		snprintf(h->no[h->n], sizeof h->no[0], "%s", c->no);
	h->n++;
	return 0;
}

static int
count_events(void *arg, const struct store_event *e)
{
	int	*n = arg;

	(void)e;
	(*n)++;
	return 0;
}

/* Search rows: query and the case numbers expected, newest first. */
struct search_row {
	const char	*query;
	int		 n;
	const char	*no[2];
};

static void
search_table(struct store *st, const struct search_row *rows, size_t nrows)
{
	struct hits	h;
	char		err[256];
	size_t		i;
	int		k, rc, bad = 0;

	for (i = 0; i < nrows; i++) {
		memset(&h, 0, sizeof h);
		err[0] = '\0';
		rc = store_search(st, rows[i].query, 10, collect, &h, err,
		    sizeof err);
		if (rc != 0 || h.n != rows[i].n) {
			print_error("search \"%s\": %s %s, %d hits, want %d\n",
			    rows[i].query, gl_strerror_name(rc), err, h.n,
			    rows[i].n);
			bad++;
			continue;
		}
		for (k = 0; k < h.n && k < 2; k++)
			if (strcmp(h.no[k], rows[i].no[k]) != 0) {
				print_error("search \"%s\": hit %d is %s, want "
				    "%s\n", rows[i].query, k, h.no[k],
				    rows[i].no[k]);
				bad++;
			}
	}
	assert_int_equal(bad, 0);
}

static void
test_migrate_v1(void **state)
{
	static const struct search_row before[] = {
		{ "井盖缺", 1, { OLD_NO } },		/* FTS, trigram */
		{ "井盖", 1, { OLD_NO } },		/* 2 chars: LIKE */
		{ "望京路井盖缺失", 1, { OLD_NO } },
		{ "88号门前", 1, { OLD_NO } },	/* the address */
		{ "井盖 望京路", 1, { OLD_NO } },
		{ "路灯", 0, { NULL } },
		{ "井盖破损", 0, { NULL } },
	};
	static const struct search_row after[] = {
		{ "井盖", 2, { "330203-20261124-00001", OLD_NO } },
		{ "井盖缺", 1, { OLD_NO } },
		{ "井盖破", 1, { "330203-20261124-00001" } },
		{ "中山西路", 1, { "330203-20261124-00001" } },
	};
	struct store		*st;
	struct store_case	 c;
	struct store_created	 cr;
	struct incident		 in;
	const char		*dir;
	char			 path[1024], err[256] = "";
	int			 nev = 0;

	(void)state;
	dir = tu_tmpdir();
	snprintf(path, sizeof path, "%s", path_in(dir, "v1.db"));
	make_v1(path);
	if (store_open(path, &st, err, sizeof err) != 0)
		fail_msg("store_open: %s", err);
	/* the old case, as stored */
	assert_int_equal(store_case_get(st, OLD_NO, &c, err, sizeof err), 0);
	assert_string_equal(c.no, OLD_NO);
	assert_string_equal(c.summary, OLD_SUMMARY);
	assert_string_equal(c.address, OLD_ADDRESS);
	assert_string_equal(c.grid, "330203003001001");
	assert_string_equal(c.district, "330203");
	assert_string_equal(c.category, "1103");
	assert_int_equal(c.priority, 1);
	assert_int_equal(c.state, CS_REPORTED);
	assert_int_equal(c.version, 1);
	store_case_clear(&c);
	assert_int_equal(store_case_history(st, OLD_NO, count_events, &nev,
	    err, sizeof err), 0);
	assert_int_equal(nev, 1);
	assert_int_equal(store_case_count(st), 1);
	assert_int_equal(store_last_seq(st), 1);
	search_table(st, before, NITEMS(before));

	/* a case stored after the migration is indexed by the triggers */
	memset(&in, 0, sizeof in);
	in.grid = "330203003001002";
	in.township = "330203003";
	in.district = "330203";
	in.category = "1103";
	in.priority = 1;
	in.limit = 4;
	in.unit = CAL_WORK_HOURS;
	in.summary = "中山西路井盖破损";
	in.reported_at = tu_local("2026-11-24 09:00");
	if (store_case_create(st, &in, "网格员", in.reported_at, &cr, NULL, err,
	    sizeof err) != 0)
		fail_msg("store_case_create: %s", err);
	assert_string_equal(cr.no, "330203-20261124-00001");
	assert_int_equal(cr.seq, 2);
	search_table(st, after, NITEMS(after));
	store_close(st);

	assert_int_equal(file_version(path), STORE_SCHEMA_VERSION);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM cases_fts "
	    "WHERE cases_fts MATCH '\"望京路\"'"), 1);
	tu_rmtree(dir);
}

/* The raw step function: bounds, and v1 -> v2 on a raw connection. */
static void
test_migrate_raw(void **state)
{
	static const int bad_targets[] = { 0, -1, STORE_SCHEMA_VERSION + 1 };
	sqlite3		*db;
	const char	*dir;
	char		 path[1024], err[256];
	size_t		 i;

	(void)state;
	dir = tu_tmpdir();
	snprintf(path, sizeof path, "%s", path_in(dir, "raw.db"));
	make_v1(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < NITEMS(bad_targets); i++) {
		err[0] = '\0';
		assert_int_equal(store_schema_migrate(db, bad_targets[i], err,
		    sizeof err), GL_EINVAL);
		assert_true(err[0] != '\0');
	}
	/* target at or below the version: nothing to do */
	assert_int_equal(store_schema_migrate(db, 1, err, sizeof err), 0);
	assert_int_equal(store_schema_migrate(db, STORE_SCHEMA_VERSION, err,
	    sizeof err), 0);
	sqlite3_close(db);
	assert_int_equal(file_version(path), STORE_SCHEMA_VERSION);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM cases_fts "
	    "WHERE cases_fts MATCH '\"井盖缺\"'"), 1);
	tu_rmtree(dir);
}

/* New, empty and missing files all become a current database. */
static void
test_create(void **state)
{
	static const char *const names[] = { "empty.db", "missing.db" };
	struct store	*st;
	const char	*dir;
	char		 path[1024], err[256];
	FILE		*fp;
	size_t		 i;

	(void)state;
	dir = tu_tmpdir();
	fp = fopen(path_in(dir, "empty.db"), "wb");
	assert_non_null(fp);
	fclose(fp);
	for (i = 0; i < NITEMS(names); i++) {
		snprintf(path, sizeof path, "%s", path_in(dir, names[i]));
		err[0] = '\0';
		if (store_open(path, &st, err, sizeof err) != 0)
			fail_msg("%s: %s", names[i], err);
		assert_int_equal(store_case_count(st), 0);
		assert_int_equal(store_last_seq(st), 0);
		store_close(st);
		assert_int_equal(file_version(path), STORE_SCHEMA_VERSION);
		assert_int_equal(file_scalar(path, "SELECT count(*) FROM "
		    "sqlite_master WHERE name IN ('cases', 'events', "
		    "'case_seq', 'cases_fts')"), 4);
	}
	tu_rmtree(dir);
}

/* A file from a newer gridline is refused, and left at its version. */
static void
test_newer(void **state)
{
	struct store	*st = (struct store *)1;
	sqlite3		*db;
	const char	*dir;
	char		 path[1024], err[256] = "", sql[64];
	int		 rc;

	(void)state;
	dir = tu_tmpdir();
	snprintf(path, sizeof path, "%s", path_in(dir, "newer.db"));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db, "CREATE TABLE future (x)");
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION + 1);
	exec_ok(db, sql);
	sqlite3_close(db);
	rc = store_open(path, &st, err, sizeof err);
	assert_int_equal(rc, GL_ESCHEMA);
	assert_null(st);
	assert_true(err[0] != '\0');
	assert_int_equal(file_version(path), STORE_SCHEMA_VERSION + 1);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'cases'"), 0);
	tu_rmtree(dir);
}

/* Files that are not databases: an error, never a crash. */
static void
test_not_a_database(void **state)
{
	static const struct {
		const char	*name;
		const char	*bytes;
		size_t		 len;
	} rows[] = {
		{ "garbage.db", B("this is not a database, just some text that "
		    "is long enough to look like a page header......\n"
		    "0123456789012345678901234567890123456789012345678901\n"
		    ) },
		{ "binary.db", B("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"
		    "\x03\0\x3e\0\x01\0\0\0\x10\x10\0\0\0\0\0\0") },
		{ "halfheader.db", B("SQLite format 3\0\x10\0\x01\x01\0\x40"
		    "\x20\x20") },
	};
	struct store	*st;
	const char	*dir;
	char		 path[1024], err[256];
	FILE		*fp;
	size_t		 i;
	int		 rc, bad = 0;

	(void)state;
	dir = tu_tmpdir();
	for (i = 0; i < NITEMS(rows); i++) {
		snprintf(path, sizeof path, "%s", path_in(dir, rows[i].name));
		fp = fopen(path, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(rows[i].bytes, 1, rows[i].len, fp),
		    rows[i].len);
		fclose(fp);
		err[0] = '\0';
		st = (struct store *)1;
		rc = store_open(path, &st, err, sizeof err);
		if (rc == 0 || st != NULL || err[0] == '\0') {
			print_error("%s: rc %s, store %p, err \"%s\"\n",
			    rows[i].name, gl_strerror_name(rc), (void *)st,
			    err);
			bad++;
			if (rc == 0)
				store_close(st);
		}
	}
	/* a directory */
	st = (struct store *)1;
	err[0] = '\0';
	rc = store_open(dir, &st, err, sizeof err);
	if (rc == 0 || st != NULL || err[0] == '\0') {
		print_error("directory: rc %s, err \"%s\"\n",
		    gl_strerror_name(rc), err);
		bad++;
		if (rc == 0)
			store_close(st);
	}
	tu_rmtree(dir);
	assert_int_equal(bad, 0);
}

/* Opening a current file again changes nothing. */
static void
test_reopen(void **state)
{
	struct store		*st;
	struct store_case	 c;
	const char		*dir;
	char			 path[1024], err[256] = "";
	long long		 objects;
	int			 round;

	(void)state;
	dir = tu_tmpdir();
	snprintf(path, sizeof path, "%s", path_in(dir, "v1.db"));
	make_v1(path);
	assert_int_equal(store_open(path, &st, err, sizeof err), 0);
	store_close(st);
	objects = file_scalar(path, "SELECT count(*) FROM sqlite_master");
	for (round = 0; round < 2; round++) {
		if (store_open(path, &st, err, sizeof err) != 0)
			fail_msg("reopen %d: %s", round, err);
		assert_int_equal(store_case_count(st), 1);
		assert_int_equal(store_last_seq(st), 1);
		assert_int_equal(store_case_get(st, OLD_NO, &c, err,
		    sizeof err), 0);
		assert_string_equal(c.summary, OLD_SUMMARY);
		store_case_clear(&c);
		store_close(st);
		assert_int_equal(file_version(path), STORE_SCHEMA_VERSION);
		assert_int_equal(file_scalar(path, "SELECT count(*) FROM "
		    "sqlite_master"), objects);
		/* the index was built once: one row per case */
		assert_int_equal(file_scalar(path, "SELECT count(*) FROM "
		    "cases_fts WHERE cases_fts MATCH '\"井盖缺\"'"), 1);
	}
	tu_rmtree(dir);
}

/*
 * Step 7 (issue 11, finding 3): a file at version 6 has ext_id UNIQUE on
 * its own; opened, it keeps every row, id and event, its search index and
 * its foreign keys, and the sender's id is then unique per source: the
 * same id from another source is a new case, from its own source with the
 * same content a replay of the old row, with other content GL_EEXISTS.
 * A file at 6 refuses the second source outright (the rule before).
 */
static void
test_migrate_v6(void **state)
{
	struct store		*st;
	struct store_case	 c;
	struct store_created	 cr;
	struct incident		 in;
	sqlite3			*db;
	sqlite3_stmt		*s;
	const char		*dir;
	char			 path[1024], err[256] = "";
	int			 nev = 0;

	(void)state;
	dir = tu_tmpdir();
	snprintf(path, sizeof path, "%s", path_in(dir, "v6.db"));
	make_v1(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (store_schema_migrate(db, 6, err, sizeof err) != 0)
		fail_msg("migrate to 6: %s", err);
	exec_ok(db, "INSERT INTO cases (no, ext_id, grid, township, district, "
	    "category, priority, summary, source, reported_at, created_at, "
	    "updated_at, state, level, limit_amount, limit_unit, duplicate_of, "
	    "version) VALUES ('330203-20261123-00002', 'hl-1', "
	    "'330203003001001', '330203003', '330203', '1103', 2, '路灯不亮', "
	    "'hotline', 1795400600, 1795400600, 1795400600, 'reported', 2, 4, "
	    "0, 1, 1), ('330203-20261123-00003', 'x-1', '330203003001001', "
	    "'330203003', '330203', '1103', 2, '无来源', NULL, 1795400700, "
	    "1795400700, 1795400700, 'reported', 2, 4, 0, NULL, 1)");
	exec_ok(db, "INSERT INTO events (case_id, version, at, actor, action, "
	    "from_state, to_state) VALUES (2, 1, 1795400600, '热线', 'report', "
	    "NULL, 'reported'), (3, 1, 1795400700, 'ingest', 'report', NULL, "
	    "'reported')");
	exec_ok(db, "UPDATE case_seq SET n = 3");
	/* version 6: one id, whatever the source */
	assert_int_equal(sqlite3_exec(db, "INSERT INTO cases (no, ext_id, grid, "
	    "township, district, category, priority, summary, source, "
	    "reported_at, created_at, updated_at, state, level, limit_amount, "
	    "limit_unit, version) SELECT '330203-20261123-00009', ext_id, grid, "
	    "township, district, category, priority, summary, 'web', "
	    "reported_at, created_at, updated_at, state, level, limit_amount, "
	    "limit_unit, 1 FROM cases WHERE id = 2", NULL, NULL, NULL) &
	    0xff, SQLITE_CONSTRAINT);
	sqlite3_close(db);
	assert_int_equal(file_version(path), 6);

	if (store_open(path, &st, err, sizeof err) != 0)
		fail_msg("store_open: %s", err);
	assert_int_equal(file_version(path), STORE_SCHEMA_VERSION);
	assert_int_equal(store_case_count(st), 3);
	assert_int_equal(store_last_seq(st), 3);
	assert_int_equal(store_case_get(st, "330203-20261123-00002", &c, err,
	    sizeof err), 0);
	assert_int_equal(c.id, 2);
	assert_string_equal(c.ext_id, "hl-1");
	assert_string_equal(c.source, "hotline");
	assert_int_equal(c.duplicate_of, 1);
	assert_string_equal(c.duplicate_no, OLD_NO);
	store_case_clear(&c);
	assert_int_equal(store_case_history(st, "330203-20261123-00002",
	    count_events, &nev, err, sizeof err), 0);
	assert_int_equal(nev, 1);
	/* foreign keys are back on, and hold */
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA foreign_keys", -1,
	    &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1);
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check",
	    -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);

	/* hl-1: from its own source a replay, from another a new case */
	memset(&in, 0, sizeof in);
	in.ext_id = "hl-1";
	in.grid = "330203003001001";
	in.township = "330203003";
	in.district = "330203";
	in.category = "1103";
	in.priority = 2;
	in.limit = 4;
	in.unit = CAL_WORK_HOURS;
	in.summary = "路灯不亮";
	in.source = "hotline";
	in.reported_at = 1795400600;
	assert_int_equal(store_case_create(st, &in, "热线", 1795401000, &cr,
	    NULL, err, sizeof err), 0);
	assert_true(cr.replayed);
	assert_string_equal(cr.no, "330203-20261123-00002");
	in.summary = "路灯不亮了";
	assert_int_equal(store_case_create(st, &in, "热线", 1795401000, &cr,
	    NULL, err, sizeof err), GL_EEXISTS);
	assert_string_equal(cr.no, "330203-20261123-00002");
	in.source = "web";
	assert_int_equal(store_case_create(st, &in, "web", 1795401000, &cr,
	    NULL, err, sizeof err), 0);
	assert_false(cr.replayed);
	assert_string_equal(cr.no, "330203-20261123-00004");
	/* x-1 had no source: a resend without one replays it */
	in.ext_id = "x-1";
	in.source = NULL;
	in.summary = "无来源";
	in.reported_at = 1795400700;
	assert_int_equal(store_case_create(st, &in, "ingest", 1795401000, &cr,
	    NULL, err, sizeof err), 0);
	assert_true(cr.replayed);
	assert_string_equal(cr.no, "330203-20261123-00003");
	store_close(st);

	assert_int_equal(file_scalar(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'cases_ext'"), 1);
	/* no: the one autoindex left; cases_ext, _dup, _state, _finished,
	 * _merged made again; _due by step 12 */
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND tbl_name = 'cases' AND name LIKE "
	    "'sqlite_autoindex%'"), 1);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND tbl_name = 'cases'"), 7);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND name IN ('events_at', 'cases_due')"), 2);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'trigger' AND tbl_name = 'cases'"), 2);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM cases_fts "
	    "WHERE cases_fts MATCH '\"井盖缺\"'"), 1);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM cases"), 4);
	tu_rmtree(dir);
}

/* A callback for store_rating_each: counts, keeps the last score. */
static int
keep_rating(void *arg, const struct store_rating *r)
{
	int	*n = arg;

	n[0]++;
	n[1] = r->score;
	return 0;
}

/*
 * Step 11 (issue 14): a file at version 10 keeps its cases, which gain
 * no call-back; the ratings table takes one row per township, unit and
 * month (a second rating replaces the first, keeping its created_at) and
 * refuses a score out of 1..5 and a month not YYYY-MM by its checks.
 */
static void
test_migrate_v10(void **state)
{
	struct store		*st;
	struct store_case	 c;
	struct store_rating	 r;
	sqlite3			*db;
	const char		*dir;
	char			 path[1024], err[256] = "";
	int			 replaced = -1, n[2] = { 0, 0 };

	(void)state;
	dir = tu_tmpdir();
	snprintf(path, sizeof path, "%s", path_in(dir, "v10.db"));
	make_v1(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (store_schema_migrate(db, 10, err, sizeof err) != 0)
		fail_msg("migrate to 10: %s", err);
	sqlite3_close(db);
	assert_int_equal(file_version(path), 10);
	assert_int_equal(file_scalar(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'ratings'"), 0);

	if (store_open(path, &st, err, sizeof err) != 0)
		fail_msg("store_open: %s", err);
	assert_int_equal(file_version(path), STORE_SCHEMA_VERSION);
	assert_int_equal(store_case_get(st, OLD_NO, &c, err, sizeof err), 0);
	assert_string_equal(c.callback, "");
	assert_true(c.callback_at == 0);
	store_case_clear(&c);

	memset(&r, 0, sizeof r);
	r.township = "330203003";
	r.agency = "330203003.ZFZD";
	r.month = "2026-11";
	r.score = 4;
	r.rated_by = "西门指挥";
	r.rated_at = r.created_at = 1795400600;
	assert_int_equal(store_rating_put(st, &r, &replaced, err, sizeof err),
	    0);
	assert_int_equal(replaced, 0);
	r.score = 2;
	r.rated_at = r.created_at = 1795500600;
	assert_int_equal(store_rating_put(st, &r, &replaced, err, sizeof err),
	    0);
	assert_int_equal(replaced, 1);
	assert_int_equal(store_rating_each(st, "2026-11", keep_rating, n, err,
	    sizeof err), 0);
	assert_int_equal(n[0], 1);
	assert_int_equal(n[1], 2);
	r.score = 6;
	assert_int_equal(store_rating_put(st, &r, NULL, err, sizeof err),
	    GL_ERANGE);
	store_close(st);

	assert_int_equal(file_scalar(path, "SELECT created_at FROM ratings"),
	    1795400600);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO ratings VALUES "
	    "('330203003', '330203003.SJS', '2026-11', 0, NULL, NULL, 1, 1)",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO ratings VALUES "
	    "('330203003', '330203003.SJS', '2026/11', 3, NULL, NULL, 1, 1)",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	tu_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_v1),
		cmocka_unit_test(test_migrate_raw),
		cmocka_unit_test(test_migrate_v6),
		cmocka_unit_test(test_migrate_v10),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_newer),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_reopen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
