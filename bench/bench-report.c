/*
 * bench-report.c: `gridline report --by agency` over one year of a city
 * (issue 14, "Benchmark"), beside a plain SQLite count of the same events
 * in the same run.
 *
 * Usage: bench-report GRIDLINE_BINARY DATA_DIR
 * Environment: BENCH_CASES (default 2000000; about 7.45 events a case),
 * BENCH_KEEP (set: leave the scratch database for a look).
 *
 * 1. store_open makes a scratch database with the store's schema (every
 *    step, its indexes and triggers), then closes it;
 * 2. the year is written by SQL directly, one transaction, prepared
 *    INSERTs: BENCH_CASES cases reported evenly over the 365 days up to
 *    now, each with the events of its lifecycle (report, register,
 *    dispatch, acknowledge, start, feedback, verify, close; one in 20
 *    voided, one in 20 returned and dispatched again, one in 10 left
 *    acknowledged), times after now cut off (the last days' cases are
 *    open), and each event's detail with the "changes" the store writes
 *    (state, agency, due_at, closed_at, version), which the figures
 *    read. The append-only triggers allow inserts of new seqs, which is
 *    all this does. The hash column stays NULL: the chain begins after
 *    these rows, as after rows older than the chain (core/chain.h);
 *    figures do not read it. The agencies and townships are the reference
 *    data's;
 * 3. the baseline: `SELECT count(*) FROM events` on a fresh read-only
 *    connection;
 * 4. `gridline report --by agency --db DB --data DATA_DIR` as a process
 *    (default period: the seven days to the end of today), its wall time;
 *    then the same for the whole year (--from a year ago), for the record.
 * Progress goes to stderr; the scratch directory is removed at the end
 * (also on SIGINT/SIGTERM). Not a test: no figure fails the run.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench.h"
#include "store.h"

#define MAX_CODES	2000
#define DAY		86400L

static char	scratch[64], db_path[128];
static char	agencies[MAX_CODES][24], townships[MAX_CODES][16];
static int	nagencies, ntownships;

static void
cleanup(void)
{
	char	path[256];
	const char *const suffix[] = { "", "-wal", "-shm", "-journal",
		".lock" };
	size_t	i;

	if (scratch[0] == '\0' || getenv("BENCH_KEEP") != NULL)
		return;
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(path, sizeof path, "%s%s", db_path, suffix[i]);
		unlink(path);
	}
	rmdir(scratch);
	scratch[0] = '\0';
}

static void
on_signal(int signum)
{
	(void)signum;
	cleanup();
	_exit(1);
}

/* The first column of a reference TSV (header and comments skipped). */
static int
read_codes(const char *dir, const char *file, char *out, size_t width)
{
	char	path[4096], line[1024];
	FILE	*fp;
	int	n = 0;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, fp) != NULL && n < MAX_CODES) {
		line[strcspn(line, "\t\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0' ||
		    strcmp(line, "code") == 0 || strlen(line) >= width)
			continue;
		memcpy(out + (size_t)n++ * width, line, strlen(line) + 1);
	}
	fclose(fp);
	return n;
}

struct gen {
	sqlite3		*db;
	sqlite3_stmt	*ci, *ei;
	int64_t		 seq, events;
	time_t		 now;
};

/* One event of case id at t: from -> to, with the changes' JSON. */
static int
gen_event(struct gen *g, int64_t id, int version, time_t t,
    const char *action, const char *from, const char *to,
    const char *agency, const char *changes)
{
	char	detail[512];

	snprintf(detail, sizeof detail, "{\"changes\":{\"state\":[%s%s%s,"
	    "\"%s\"]%s%s,\"version\":[%d,%d]}}", from ? "\"" : "",
	    from ? from : "null", from ? "\"" : "", to, changes[0] ? "," : "",
	    changes, version - 1, version);
	sqlite3_bind_int64(g->ei, 1, ++g->seq);
	sqlite3_bind_int64(g->ei, 2, id);
	sqlite3_bind_int(g->ei, 3, version);
	sqlite3_bind_int64(g->ei, 4, (sqlite3_int64)t);
	sqlite3_bind_text(g->ei, 5, "王调度", -1, SQLITE_STATIC);
	sqlite3_bind_text(g->ei, 6, action, -1, SQLITE_STATIC);
	if (from != NULL)
		sqlite3_bind_text(g->ei, 7, from, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(g->ei, 7);
	sqlite3_bind_text(g->ei, 8, to, -1, SQLITE_STATIC);
	if (agency != NULL)
		sqlite3_bind_text(g->ei, 9, agency, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(g->ei, 9);
	if (strcmp(action, "return") == 0)
		sqlite3_bind_text(g->ei, 10, "not_our_duty", -1,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(g->ei, 10);
	sqlite3_bind_text(g->ei, 11, detail, -1, SQLITE_TRANSIENT);
	g->events++;
	if (sqlite3_step(g->ei) != SQLITE_DONE) {
		fprintf(stderr, "bench-report: event: %s\n",
		    sqlite3_errmsg(g->db));
		return -1;
	}
	sqlite3_reset(g->ei);
	return 0;
}

/* A lifecycle step: when, action, the state it leaves for. */
struct step {
	long		 after;		/* seconds after the report */
	const char	*action, *to;
};

static const struct step life_closed[] = {
	{ 0, "report", "reported" }, { 300, "register", "registered" },
	{ 600, "dispatch", "dispatched" }, { 4200, "acknowledge",
	"acknowledged" }, { 7800, "start", "in_hand" }, { DAY, "feedback",
	"done" }, { DAY + 3600, "verify", "verified" }, { DAY + 7200,
	"close", "closed" }, { -1, NULL, NULL }
};
static const struct step life_returned[] = {
	{ 0, "report", "reported" }, { 300, "register", "registered" },
	{ 600, "dispatch", "dispatched" }, { 3000, "return", "returned" },
	{ 3600, "dispatch", "dispatched" }, { 7200, "acknowledge",
	"acknowledged" }, { 9000, "start", "in_hand" }, { 2 * DAY,
	"feedback", "done" }, { 2 * DAY + 3600, "verify", "verified" },
	{ 2 * DAY + 7200, "close", "closed" }, { -1, NULL, NULL }
};
static const struct step life_voided[] = {
	{ 0, "report", "reported" }, { 300, "register", "registered" },
	{ 900, "void", "voided" }, { -1, NULL, NULL }
};
static const struct step life_open[] = {
	{ 0, "report", "reported" }, { 300, "register", "registered" },
	{ 600, "dispatch", "dispatched" }, { 4200, "acknowledge",
	"acknowledged" }, { -1, NULL, NULL }
};

/* Case i: its row, then its events up to now. */
static int
gen_case(struct gen *g, long i, long n)
{
	const struct step *life = i % 20 == 0 ? life_voided : i % 20 == 1 ?
	    life_returned : i % 10 == 2 ? life_open : life_closed;
	time_t	 at = g->now - 365 * DAY + (time_t)((double)i / n * 365 * DAY);
	const char *ag = agencies[(i * 7919) % nagencies];
	const char *tw = townships[(i * 104729) % ntownships];
	const char *prev = NULL, *state = "reported";
	char	 no[40], day[16], changes[256];
	time_t	 due = at + 3 * DAY, t;
	int	 k, version = 0;
	struct tm tm;

	gmtime_r(&(time_t){ at + 28800 }, &tm);
	strftime(day, sizeof day, "%Y%m%d", &tm);
	snprintf(no, sizeof no, "%.6s-%s-%07ld", tw, day, i);
	for (k = 0; life[k].action != NULL && at + life[k].after <= g->now;
	    k++)
		state = life[k].to;
	version = k;
	sqlite3_bind_int64(g->ci, 1, i + 1);
	sqlite3_bind_text(g->ci, 2, no, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(g->ci, 3, tw, -1, SQLITE_STATIC);
	sqlite3_bind_text(g->ci, 4, tw, 6, SQLITE_STATIC);
	sqlite3_bind_int64(g->ci, 5, (sqlite3_int64)at);
	sqlite3_bind_text(g->ci, 6, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(g->ci, 7, ag, -1, SQLITE_STATIC);
	sqlite3_bind_int64(g->ci, 8, (sqlite3_int64)due);
	sqlite3_bind_int(g->ci, 9, version);
	if (sqlite3_step(g->ci) != SQLITE_DONE) {
		fprintf(stderr, "bench-report: case: %s\n",
		    sqlite3_errmsg(g->db));
		return -1;
	}
	sqlite3_reset(g->ci);
	for (k = 0; life[k].action != NULL; k++) {
		t = at + life[k].after;
		if (t > g->now)
			break;
		changes[0] = '\0';
		if (strcmp(life[k].action, "dispatch") == 0)
			snprintf(changes, sizeof changes, "\"agency\":[null,"
			    "\"%s\"],\"due_at\":[null,%lld]", ag,
			    (long long)due);
		else if (strcmp(life[k].action, "return") == 0)
			snprintf(changes, sizeof changes, "\"agency\":[\"%s\","
			    "null],\"due_at\":[%lld,null]", ag,
			    (long long)due);
		else if (strcmp(life[k].action, "close") == 0)
			snprintf(changes, sizeof changes, "\"closed_at\":"
			    "[null,%lld]", (long long)t);
		if (gen_event(g, i + 1, k + 1, t, life[k].action, prev,
		    life[k].to, k >= 2 && strcmp(life[k].action, "void") != 0 ?
		    ag : NULL, changes) != 0)
			return -1;
		prev = life[k].to;
	}
	return 0;
}

#define CASE_SQL "INSERT INTO cases (id, no, grid, township, district," \
	" category, priority, summary, reported_at, created_at, updated_at," \
	" state, agency, level, limit_amount, limit_unit, due_at, version)" \
	" VALUES (?1, ?2, ?3 || '001001', ?3, ?4, '0303', 3, '二次供水水压不足'," \
	" ?5, ?5, ?5, ?6, ?7, 1, 3, 0, ?8, ?9)"
#define EVENT_SQL "INSERT INTO events (seq, case_id, version, at, actor," \
	" action, from_state, to_state, agency, reason_code, detail)" \
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"

static int
generate(long n)
{
	struct gen	 g = { 0 };
	double		 t0 = bench_now();
	long		 i;
	int		 rc = -1;

	g.now = time(NULL);
	if (sqlite3_open(db_path, &g.db) != SQLITE_OK)
		goto out;
	/* bulk load: no WAL of gigabytes, no fsync; WAL again after */
	sqlite3_exec(g.db, "PRAGMA journal_mode=DELETE; PRAGMA synchronous="
	    "OFF; PRAGMA cache_size=-1000000; BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(g.db, CASE_SQL, -1, &g.ci, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(g.db, EVENT_SQL, -1, &g.ei, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-report: %s\n", sqlite3_errmsg(g.db));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (gen_case(&g, i, n) != 0)
			goto out;
		if ((i + 1) % 200000 == 0)
			fprintf(stderr, "  %ld cases, %lld events, %.0f s\n",
			    i + 1, (long long)g.events, bench_now() - t0);
	}
	if (sqlite3_exec(g.db, "COMMIT; PRAGMA journal_mode=WAL", NULL, NULL,
	    NULL) != SQLITE_OK)
		goto out;
	printf("generated: %ld cases, %lld events in %.1f s\n", n,
	    (long long)g.events, bench_now() - t0);
	rc = 0;
out:
	sqlite3_finalize(g.ci);
	sqlite3_finalize(g.ei);
	sqlite3_close(g.db);
	return rc;
}

/* SELECT count(*) FROM events, read-only; seconds. */
static double
baseline(long long *n)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	double		 t0 = bench_now();

	*n = -1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(db, "SELECT count(*) FROM events",
	    -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			*n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return bench_now() - t0;
}

/* gridline report --by agency ... as a process; seconds, -1 failed. */
static double
report(const char *exe, const char *data, const char *from)
{
	double	t0;
	pid_t	pid;
	int	st;

	fflush(stdout);			/* not written twice by the child */
	t0 = bench_now();
	pid = fork();
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		if (from != NULL)
			execl(exe, exe, "report", "--db", db_path, "--data",
			    data, "--by", "agency", "--from", from, (char *)NULL);
		else
			execl(exe, exe, "report", "--db", db_path, "--data",
			    data, "--by", "agency", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	return bench_now() - t0;
}

int
main(int argc, char **argv)
{
	struct store	*st = NULL;
	const char	*env = getenv("BENCH_CASES");
	long		 n = env != NULL ? atol(env) : 2000000;
	long long	 nev;
	char		 err[512], from[16];
	double		 base, rep, year;
	time_t		 ago;
	struct tm	 tm;
	struct stat	 sb;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-report GRIDLINE DATA_DIR\n");
		return 2;
	}
	nagencies = read_codes(argv[2], "agencies.tsv", agencies[0],
	    sizeof agencies[0]);
	ntownships = read_codes(argv[2], "townships.tsv", townships[0],
	    sizeof townships[0]);
	if (nagencies == 0 || ntownships == 0 || n < 1) {
		fprintf(stderr, "bench-report: no reference data in %s\n",
		    argv[2]);
		return 1;
	}
	snprintf(scratch, sizeof scratch, "/tmp/bench-report-XXXXXX");
	if (mkdtemp(scratch) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(db_path, sizeof db_path, "%s/year.db", scratch);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (store_open(db_path, &st, err, sizeof err) != 0) {
		fprintf(stderr, "bench-report: %s\n", err);
		cleanup();
		return 1;
	}
	store_close(st);
	fprintf(stderr, "bench-report: writing %ld cases of one year...\n", n);
	if (generate(n) != 0) {
		cleanup();
		return 1;
	}
	stat(db_path, &sb);
	printf("database: %.0f MB\n", sb.st_size / 1e6);
	base = baseline(&nev);
	printf("baseline: SELECT count(*) FROM events: %lld events in "
	    "%.3f s\n", nev, base);
	rep = report(argv[1], argv[2], NULL);
	printf("gridline report --by agency (the last 7 days): %.3f s "
	    "(target <= 2 s: %s), %.1f x the count\n", rep, rep >= 0 &&
	    rep <= 2.0 ? "met" : "not met", base > 0 ? rep / base : 0);
	ago = time(NULL) - 365 * DAY;
	gmtime_r(&(time_t){ ago + 28800 }, &tm);
	strftime(from, sizeof from, "%Y-%m-%d", &tm);
	year = report(argv[1], argv[2], from);
	printf("gridline report --by agency --from %s (the whole year): "
	    "%.3f s\n", from, year);
	cleanup();
	return rep >= 0 && year >= 0 ? 0 : 1;
}
