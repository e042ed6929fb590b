/*
 * bench-store.c: how fast the store takes new cases, beside the physical
 * limit measured in the same run (raw SQLite inserts with the same pragmas
 * into a table of the same columns), and how long loading and checking the
 * reference data takes.
 *
 * Each figure is printed next to its baseline; the ratio is what matters,
 * since disks differ. Runs are bounded by count and by time (BENCH_SECONDS
 * per measurement, default 3 s), so it finishes on a slow disk too.
 * Not a test: nothing here fails on a number.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "intake.h"
#include "refdata.h"
#include "store.h"

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double	bench_seconds = 3.0;

struct run {
	long	rows;
	double	secs;
};

/* Raw SQLite: one INSERT per row into a same-shaped table, `batch` rows a
 * transaction, WAL + synchronous=FULL. */
static struct run
raw_insert(const char *path, int batch, long max)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	struct run	 r = { 0, 0 };
	double		 t0;
	char		 no[32];

	store_unlink(path);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "CREATE TABLE c (id INTEGER PRIMARY KEY, no TEXT UNIQUE, ext_id "
	    "TEXT UNIQUE, grid TEXT, category TEXT, summary TEXT, reported_at "
	    "INTEGER, state TEXT);", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO c (no, ext_id, grid, category, "
	    "summary, reported_at, state) VALUES (?,?,?,?,?,?,'reported')",
	    -1, &s, NULL);
	t0 = now_s();
	while (r.rows < max && now_s() - t0 < bench_seconds) {
		int i;

		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		for (i = 0; i < batch; i++, r.rows++) {
			snprintf(no, sizeof no, "330203-20261124-%05ld",
			    r.rows);
			sqlite3_bind_text(s, 1, no, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 2, no + 7, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 3, "330203003001001", -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(s, 4, "1105", -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, "小区门口路灯连续三晚不亮", -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(s, 6, 1795000000 + r.rows);
			sqlite3_step(s);
			sqlite3_reset(s);
		}
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	r.secs = now_s() - t0;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return r;
}

/* The store: store_case_create with its case number, duplicate check,
 * FTS index and event row, `batch` creates a transaction. */
static struct run
store_insert(const char *path, int batch, long max)
{
	struct store		*st;
	struct store_created	 cr;
	struct incident		 in = { 0 };
	struct run		 r = { 0, 0 };
	char			 id[32], err[256];
	double			 t0;

	store_unlink(path);
	if (store_open(path, &st, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	in.grid = "330203003001001";
	in.township = "330203003";
	in.district = "330203";
	in.category = "1105";
	in.priority = 3;
	in.limit = 3;
	in.unit = CAL_WORK_DAYS;
	in.summary = "小区门口路灯连续三晚不亮";
	in.source = "grid-app";
	in.ext_id = id;
	t0 = now_s();
	while (r.rows < max && now_s() - t0 < bench_seconds) {
		int i;

		if (batch > 1)
			store_begin(st, err, sizeof err);
		for (i = 0; i < batch; i++, r.rows++) {
			snprintf(id, sizeof id, "bench-%ld", r.rows);
			in.reported_at = 1795000000 + r.rows * 7200;
			if (store_case_create(st, &in, "bench", 1795000000,
			    &cr, NULL, err, sizeof err) != 0) {
				fprintf(stderr, "bench: %s\n", err);
				exit(1);
			}
		}
		if (batch > 1)
			store_commit(st, err, sizeof err);
	}
	r.secs = now_s() - t0;
	store_close(st);
	return r;
}

static void
report(const char *what, struct run got, struct run base)
{
	double	g = got.rows / got.secs, b = base.rows / base.secs;

	printf("%-34s %10.0f rows/s  (raw SQLite %10.0f rows/s)  ratio %.2f\n",
	    what, g, b, g / b);
}

static void
bench_refdata(const char *dir)
{
	struct refdata	*rd;
	struct diag	 d;
	double		 t0, t1, t2;
	size_t		 gaps;

	diag_init(&d);
	t0 = now_s();
	if (refdata_load(dir, &rd, &d) != 0) {
		fprintf(stderr, "bench: cannot load %s\n", dir);
		exit(1);
	}
	t1 = now_s();
	gaps = check_coverage(rd, &d);
	t2 = now_s();
	printf("%-34s %10.1f ms\n", "load reference data", (t1 - t0) * 1e3);
	printf("%-34s %10.1f ms  (%zu grids x %zu categories, %zu gaps)\n",
	    "check coverage", (t2 - t1) * 1e3,
	    refdata_level_count(rd, JL_GRID), refdata_category_count(rd),
	    gaps);
	refdata_free(rd);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	char		 dir[] = "/tmp/gridline-bench.XXXXXX", raw[64], db[64];
	const char	*env = getenv("BENCH_SECONDS");
	const char	*data = argc > 1 ? argv[1] : "data";

	if (env != NULL && atof(env) > 0)
		bench_seconds = atof(env);
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(raw, sizeof raw, "%s/raw.db", dir);
	snprintf(db, sizeof db, "%s/store.db", dir);
	printf("gridline bench-store (synchronous=FULL, WAL, %.0f s a run)\n",
	    bench_seconds);
	report("create, 1 per transaction", store_insert(db, 1, 100000),
	    raw_insert(raw, 1, 100000));
	report("create, 100 per transaction", store_insert(db, 100, 2000000),
	    raw_insert(raw, 100, 2000000));
	bench_refdata(data);
	store_unlink(raw);
	store_unlink(db);
	rmdir(dir);
	return 0;
}
