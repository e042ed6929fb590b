/*
 * bench-ingest.c: acknowledged ingest through the real server and sockets.
 *
 * Starts `gridline serve` on a scratch run directory and database, then
 * runs K feeder processes (fork, one REQ socket each, closed loop: send,
 * wait for the acknowledgement, send the next) and reports, from one run:
 *   - the physical limit: raw SQLite inserts of the same rows with the same
 *     pragmas (WAL, synchronous=FULL), 100 rows a transaction;
 *   - the narrow-row baselines issue 11 judges the server by: one narrow
 *     row (an integer key and a body the size of one incident's JSON) in
 *     a table of its own, WAL, synchronous=FULL, one connection, closed
 *     loop, (a) one commit a row and (b) 100 rows a transaction; the
 *     ratios printed are single items to (a) and arrays of 100 to (b).
 *     This disk's fdatasync rate drifts within a minute (other work on
 *     the machine: (a) was seen at 345 and 4,668 rows/s two minutes
 *     apart), so (a) is measured just before and just after the single
 *     items, (b) just before and after the arrays, and each ratio is to
 *     the mean of its two, both printed so the drift shows;
 *   - the ceiling for single items: K feeders against a raw nanomsg echo
 *     server, without and with a group fdatasync per drained batch;
 *   - acknowledged incidents/s for single-item requests from K feeders,
 *     with the server's mean batch, commit time and worker busy share;
 *   - acknowledged incidents/s for arrays of 100, and its ratio to raw;
 *   - acknowledgement latency p50/p99 at a paced offered load (1,000/s
 *     from 4 feeders);
 *   - the server's RSS after the run, and (BENCH_CASES=N) with N cases.
 * Feeders are processes, not threads: the server is the thing measured, and
 * the feeders must not share its cores' locks. Bounded by BENCH_SECONDS
 * (default 5) per measurement; all traffic is on ipc:// in the scratch dir.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <sqlite3.h>

#include "bench.h"

static double	bench_secs = 5.0;
static char	run_dir[128], db_path[256];
static char	feed_url[300];		/* where feeders send */

/* A feeder: items per request, for secs; pace > 0 sends every pace s.
 * Writes its latencies (double, seconds) to out. */
static void
feeder(int id, int items, double secs, double pace, FILE *out)
{
	static char	 req[1 << 20];
	char		*rep;
	double		 t0 = bench_now(), t, next = t0;
	long		 seq = 0;
	int		 s = nn_socket(AF_SP, NN_REQ), n, tmo = 10000;

	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo);
	nn_connect(s, feed_url);
	while ((t = bench_now()) - t0 < secs) {
		if (pace > 0) {
			if (t < next) {
				usleep((useconds_t)((next - t) * 1e6));
				continue;
			}
			next += pace;
		}
		n = bench_request(req, sizeof req, id, &seq, items);
		t = bench_now();
		if (nn_send(s, req, (size_t)n, 0) < 0 ||
		    nn_recv(s, &rep, NN_MSG, 0) < 0)
			break;
		if (strncmp(rep, "{\"ok\":true", 10) != 0 &&
		    strncmp(rep, req, 10) != 0)		/* an echo */
			fprintf(stderr, "feeder %d: %.200s\n", id, rep);
		nn_freemsg(rep);
		t = bench_now() - t;
		fwrite(&t, sizeof t, 1, out);
	}
	nn_close(s);
}

/*
 * The ceiling for single-item requests: a raw REP server that does nothing
 * but group commit. It drains every request that has arrived, then (sync)
 * writes one 4 KiB block into a preallocated file and fdatasyncs it, as
 * SQLite's WAL commit does, and echoes them all. What 8 closed-loop
 * feeders reach against it is what the disk, nanomsg and the scheduler
 * allow on this machine before any JSON or SQL.
 */
/* A raw message header whose body and control parts nanomsg allocates
 * (receiving) or takes (sending). */
static void
echo_hdr(struct nn_msghdr *h, struct nn_iovec *iov, void **body, void **ctl)
{
	memset(h, 0, sizeof *h);
	iov->iov_base = body;
	iov->iov_len = NN_MSG;
	h->msg_iov = iov;
	h->msg_iovlen = 1;
	h->msg_control = ctl;
	h->msg_controllen = NN_MSG;
}

static void
echo_server(const char *url, int sync)
{
	static char	 block[4096];
	struct nn_msghdr h;
	struct nn_iovec	 iov;
	void		*body[1024], *ctl[1024];
	char		 path[300];
	int		 s = nn_socket(AF_SP_RAW, NN_REP), fd = -1, n, i, k = 0;
	int		 flags;

	nn_bind(s, url);
	snprintf(path, sizeof path, "%s/echo.wal", run_dir);
	if (sync && (fd = open(path, O_RDWR | O_CREAT, 0600)) >= 0) {
		for (i = 0; i < 256; i++)
			if (write(fd, block, sizeof block) < 0)
				break;
		fsync(fd);
	}
	for (;;) {
		for (n = 0, flags = 0; n < 1024; n++, flags = NN_DONTWAIT) {
			echo_hdr(&h, &iov, &body[n], &ctl[n]);
			if (nn_recvmsg(s, &h, flags) < 0)
				break;
		}
		if (fd >= 0 && n > 0 && (pwrite(fd, block, sizeof block,
		    (off_t)(k++ % 256) * 4096) < 0 || fdatasync(fd) != 0))
			_exit(1);
		for (i = 0; i < n; i++) {
			echo_hdr(&h, &iov, &body[i], &ctl[i]);
			if (nn_sendmsg(s, &h, 0) < 0) {
				nn_freemsg(body[i]);
				nn_freemsg(ctl[i]);
			}
		}
	}
}

static pid_t
echo_start(int sync)
{
	pid_t	pid;

	snprintf(feed_url, sizeof feed_url, "ipc://%s/echo.sock", run_dir);
	if ((pid = fork()) == 0) {
		echo_server(feed_url, sync);
		_exit(0);
	}
	usleep(200000);
	return pid;
}

static void
echo_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The server's group-commit figures so far (from `status`). */
struct batches {
	double	batches, requests, commit_ms, work_ms;
};

static double
json_num(const char *text, const char *key)
{
	char		 k[64];
	const char	*p;

	snprintf(k, sizeof k, "\"%s\":", key);
	return (p = strstr(text, k)) != NULL ? atof(p + strlen(k)) : 0;
}

static struct batches
server_batches(void)
{
	struct batches	 b = { 0, 0, 0, 0 };
	char		 url[300], *rep;
	const char	*req = "{\"op\":\"status\"}";
	int		 s = nn_socket(AF_SP, NN_REQ), tmo = 5000;

	snprintf(url, sizeof url, "ipc://%s/control.sock", run_dir);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo);
	nn_connect(s, url);
	if (nn_send(s, req, strlen(req), 0) >= 0 &&
	    nn_recv(s, &rep, NN_MSG, 0) >= 0) {
		const char *o = strstr(rep, "\"batches\":{");

		if (o != NULL) {
			b.batches = json_num(o + 11, "batches");
			b.requests = json_num(o, "requests");
			b.commit_ms = json_num(o, "mean_commit_ms") *
			    b.batches;
			b.work_ms = json_num(o, "mean_work_ms") * b.batches;
		}
		nn_freemsg(rep);
	}
	nn_close(s);
	return b;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct result {
	long	requests;
	double	secs, p50, p99;
	double	batch, commit_ms;	/* mean requests and commit a batch */
	double	busy;			/* share of the time the worker ran */
};

/* Run k feeders in parallel; gather their latencies. */
static struct result
feeders(int k, int items, double pace)
{
	struct result	 r = { 0, 0, 0, 0, 0, 0, 0 };
	int		 srv = strstr(feed_url, "ingest.sock") != NULL;
	struct batches	 b0 = { 0, 0, 0, 0 }, b1 = b0;
	FILE		*out = tmpfile();
	double		*lat, t0;
	long		 n, i;
	int		 f;

	pid_t		 pids[64];

	if (srv)		/* the gridline server, not an echo */
		b0 = server_batches();
	t0 = bench_now();
	for (f = 0; f < k && f < 64; f++)
		if ((pids[f] = fork()) == 0) {
			feeder(f, items, bench_secs, pace, out);
			fflush(out);
			_exit(0);
		}
	for (f = 0; f < k && f < 64; f++)	/* not the server's pid */
		waitpid(pids[f], NULL, 0);
	r.secs = bench_now() - t0;
	if (srv)
		b1 = server_batches();
	if (b1.batches > b0.batches + 1) {	/* less the status itself */
		r.batch = (b1.requests - b0.requests - 1) /
		    (b1.batches - b0.batches - 1);
		r.commit_ms = (b1.commit_ms - b0.commit_ms) /
		    (b1.batches - b0.batches);
		r.busy = (b1.work_ms - b0.work_ms) / 1e3 / r.secs;
	}
	n = ftell(out) / (long)sizeof(double);
	if (n == 0 || (lat = malloc((size_t)n * sizeof *lat)) == NULL) {
		fclose(out);
		return r;
	}
	rewind(out);
	n = (long)fread(lat, sizeof *lat, (size_t)n, out);
	qsort(lat, (size_t)n, sizeof *lat, cmp_double);
	r.requests = n;
	r.p50 = lat[n / 2];
	i = (long)(n * 0.99);
	r.p99 = lat[i < n ? i : n - 1];
	free(lat);
	fclose(out);
	return r;
}

/*
 * The physical limit: the same rows with the same pragmas, 100 incidents a
 * transaction, written by plain prepared INSERTs into the store's own schema
 * (made by `gridline` on a scratch file): per incident one case row with
 * its indexes and one event row, and the search index filled per
 * transaction, as the store does. What the server adds on top (decoding,
 * validation, case numbers, duplicate checks, replies, events) is the
 * difference.
 */
static double
raw_rate(const char *exe, const char *data)
{
	char		 path[300], row[1024], no[48], id[32], cmd[1400];
	sqlite3		*db;
	sqlite3_stmt	*c, *e;
	double		 t0;
	long		 n = 0;
	int		 i;

	snprintf(path, sizeof path, "%s/raw.db", run_dir);
	snprintf(cmd, sizeof cmd, "%s serve --run-dir %s/raw --db %s --data "
	    "%s --daemon --log /dev/null && kill $(cat %s/raw/lock)", exe,
	    run_dir, path, data, run_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not make the raw schema\n");
	usleep(300000);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO cases (no, ext_id, grid, "
	    "township, district, category, priority, summary, source, "
	    "reported_at, created_at, updated_at, state, level, limit_amount, "
	    "limit_unit, version) VALUES (?,?,'330203003001001','330203003',"
	    "'330203','1105',3,?,'sensor',1795000000,1795000000,1795000000,"
	    "'reported',2,3,1,1)", -1, &c, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO events (case_id, version, at, "
	    "actor, action, to_state, detail) VALUES (?,1,1795000000,"
	    "'sensor','report','reported',?)", -1, &e, NULL);
	t0 = bench_now();
	while (bench_now() - t0 < bench_secs) {
		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		for (i = 0; i < 100; i++, n++) {
			snprintf(no, sizeof no, "330203-20261124-%07ld", n);
			snprintf(id, sizeof id, "raw-%ld", n);
			bench_incident(row, sizeof row, 0, n);
			sqlite3_bind_text(c, 1, no, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(c, 2, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(c, 3, "小区门口路灯连续三晚不亮", -1,
			    SQLITE_STATIC);
			sqlite3_step(c);
			sqlite3_reset(c);
			sqlite3_bind_int64(e, 1, sqlite3_last_insert_rowid(db));
			sqlite3_bind_text(e, 2, row, -1, SQLITE_TRANSIENT);
			sqlite3_step(e);
			sqlite3_reset(e);
		}
		sqlite3_exec(db, "INSERT INTO cases_fts (rowid, summary, "
		    "address) SELECT id, summary, address FROM cases WHERE id > "
		    "(SELECT indexed FROM search_state); UPDATE search_state SET "
		    "indexed = (SELECT max(id) FROM cases); COMMIT", NULL, NULL,
		    NULL);
	}
	t0 = bench_now() - t0;
	sqlite3_finalize(c);
	sqlite3_finalize(e);
	sqlite3_close(db);
	return n / t0;
}

/*
 * The narrow-row baseline of issue 11: what SQLite itself does on this disk
 * with the least work a durable row can take. One table with an integer
 * key and a text body the size of one incident's JSON, WAL,
 * synchronous=FULL, one connection, closed loop, per rows a transaction
 * (1: a commit, so an fdatasync, a row). Nothing of the store's schema:
 * the server is judged against the disk, not against its own SQL.
 */
/* A scratch database and its WAL files gone: each measurement starts on
 * an empty file, and a run does not leave hundreds of MB in /tmp. */
static void
narrow_unlink(const char *path)
{
	char	aux[320];

	unlink(path);
	snprintf(aux, sizeof aux, "%s-wal", path);
	unlink(aux);
	snprintf(aux, sizeof aux, "%s-shm", path);
	unlink(aux);
}

static double
raw_narrow(int per_txn)
{
	char		 path[300], row[1024];
	sqlite3		*db;
	sqlite3_stmt	*ins;
	double		 t0;
	long		 n = 0;
	int		 i, len;

	snprintf(path, sizeof path, "%s/narrow-%d.db", run_dir, per_txn);
	narrow_unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 0;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)", NULL, NULL,
	    NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t (body) VALUES (?)", -1, &ins,
	    NULL);
	t0 = bench_now();
	while (bench_now() - t0 < bench_secs) {
		if (per_txn > 1)
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		for (i = 0; i < per_txn; i++, n++) {
			len = bench_incident(row, sizeof row, 0, n);
			sqlite3_bind_text(ins, 1, row, len, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE)
				fprintf(stderr, "bench: narrow insert: %s\n",
				    sqlite3_errmsg(db));
			sqlite3_reset(ins);
		}
		if (per_txn > 1)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	t0 = bench_now() - t0;
	sqlite3_finalize(ins);
	sqlite3_close(db);
	narrow_unlink(path);
	return n / t0;
}

int
main(int argc, char **argv)
{
	const char	*exe = argc > 1 ? argv[1] : "./gridline";
	const char	*data = argc > 2 ? argv[2] : "data";
	const char	*env = getenv("BENCH_SECONDS");
	struct result	 one, arr, paced, echo, echo_sync;
	double		 raw, a0, a1, b0, b1, narrow1, narrow100, r1, r100;
	pid_t		 srv, e;
	int		 k = 8;

	if (env != NULL && atof(env) > 0)
		bench_secs = atof(env);
	snprintf(run_dir, sizeof run_dir, "/tmp/gridline-bench-%ld",
	    (long)getpid());
	mkdir(run_dir, 0700);
	snprintf(db_path, sizeof db_path, "%s/bench.db", run_dir);
	raw = raw_rate(exe, data);
	e = echo_start(0);
	echo = feeders(k, 1, 0);
	echo_stop(e);
	e = echo_start(1);
	echo_sync = feeders(k, 1, 0);
	echo_stop(e);
	snprintf(feed_url, sizeof feed_url, "ipc://%s/ingest.sock", run_dir);
	srv = bench_server_start(exe, data, run_dir, db_path);
	a0 = raw_narrow(1);
	one = feeders(k, 1, 0);
	a1 = raw_narrow(1);
	b0 = raw_narrow(100);
	arr = feeders(k, 100, 0);
	b1 = raw_narrow(100);
	narrow1 = (a0 + a1) / 2;
	narrow100 = (b0 + b1) / 2;
	/* 4 paced feeders at 250/s each: one feeder at 1,000/s can offer
	 * that only while every ack comes within 1 ms, so a slow ack would
	 * lower the load it measures (coordinated omission). */
	paced = feeders(4, 1, 4.0 / 1000);
	r1 = one.requests / one.secs;
	r100 = arr.requests * 100 / arr.secs;
	printf("gridline bench-ingest (%d feeders, %.0f s a run, "
	    "synchronous=FULL)\n", k, bench_secs);
	printf("raw SQLite, same rows, 100 a txn    %9.0f incidents/s\n",
	    raw);
	printf("raw SQLite, narrow row, 1 a commit  %9.0f rows/s  (a) "
	    "(%.0f before, %.0f after the single items)\n", narrow1, a0, a1);
	printf("raw SQLite, narrow row, 100 a txn   %9.0f rows/s  (b) "
	    "(%.0f before, %.0f after the arrays)\n", narrow100, b0, b1);
	printf("raw nanomsg echo, 1 item a request %9.0f replies/s  "
	    "(p50 %.2f ms)\n", echo.requests / echo.secs, echo.p50 * 1e3);
	printf("  ... with a group fdatasync       %9.0f replies/s  "
	    "(p50 %.2f ms)\n", echo_sync.requests / echo_sync.secs,
	    echo_sync.p50 * 1e3);
	printf("ingest, 1 item a request           %9.0f acked/s  "
	    "(p50 %.2f ms, p99 %.2f ms) ratio to echo+fdatasync %.2f\n", r1,
	    one.p50 * 1e3, one.p99 * 1e3, r1 / (echo_sync.requests /
	    echo_sync.secs));
	printf("  batches: %.1f requests, commit %.2f ms, worker busy %.0f%%\n",
	    one.batch, one.commit_ms, one.busy * 100);
	printf("ingest, 100 items a request        %9.0f acked/s  "
	    "ratio to raw %.2f\n", r100, r100 / raw);
	printf("  batches: %.1f requests, commit %.2f ms, worker busy %.0f%%\n",
	    arr.batch, arr.commit_ms, arr.busy * 100);
	printf("ack latency at %.0f/s (4 paced)     p50 %.2f ms, p99 %.2f ms\n",
	    paced.requests / paced.secs, paced.p50 * 1e3, paced.p99 * 1e3);
	printf("issue 11: single items / (a)        %9.2f  (target >= 2.00)\n",
	    narrow1 > 0 ? r1 / narrow1 : 0);
	printf("issue 11: arrays of 100 / (b)       %9.2f  (target >= 0.25)\n",
	    narrow100 > 0 ? r100 / narrow100 : 0);
	printf("issue 11: ack p99 at 1,000/s        %9.2f ms "
	    "(target <= 5 ms)\n", paced.p99 * 1e3);
	printf("server RSS after the runs           %9ld kB\n",
	    bench_rss_kb(srv));
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
	bench_rmdir(run_dir);
	return 0;
}
