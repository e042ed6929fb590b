/*
 * bench-simulate.c: `gridline feed simulate --rate max` against a server
 * (issue 13), beside the server's own figure with bench-ingest's feeder.
 *
 * Two measurements in one run, each on a fresh server and database in a
 * scratch directory (so neither pays for the other's rows):
 *   - `gridline feed simulate --rate max --count N` (N = BENCH_COUNT,
 *     default 20000) as a child process: acknowledged incidents/s (from
 *     its summary line, over the child's wall time) and the feeder's CPU
 *     per incident (the child's user + sys from wait4, divided by N): the
 *     simulator, the JSON, the batching and the replies;
 *   - bench-ingest's feeder in its array-of-100 form (one REQ socket,
 *     closed loop, the same fixed incident text), also a child, for the
 *     same N: the server's figure with a feeder that costs next to
 *     nothing, and that feeder's own CPU for comparison.
 * One feeder each: feed simulate is one process with one request in
 * flight, so the fair baseline is one closed-loop feeder of the same
 * batch size, not bench-ingest's eight. The difference between the two
 * rates is what the simulator and feed_run cost the server's throughput.
 *
 * Rejected: a shell script timing `gridline feed simulate` (bash's times
 * and /usr/bin/time give no per-child rusage we could rely on; wait4
 * does).
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "bench.h"

struct figure {
	long	acked;		/* incidents acknowledged */
	double	secs;		/* the child's wall time */
	double	cpu;		/* the child's user + sys, seconds */
};

/* Seconds of user and system CPU in ru. */
static double
bench_cpu(const struct rusage *ru)
{
	return ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
	    ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

/* Wait for child pid from t0: its wall time and CPU into f; 1 when it
 * exited 0. */
static int
bench_reap(pid_t pid, double t0, struct figure *f)
{
	struct rusage	ru;
	int		st = 0;

	memset(&ru, 0, sizeof ru);
	if (wait4(pid, &st, 0, &ru) < 0)
		st = -1;
	f->secs = bench_now() - t0;
	f->cpu = bench_cpu(&ru);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* `exe feed simulate --rate max --count n` into the server of run_dir;
 * its summary line in errfile. */
static struct figure
bench_simulate(const char *exe, const char *data, const char *run_dir,
    long n, const char *errfile)
{
	struct figure	 f = { 0, 0, 0 };
	char		 count[32], line[512];
	const char	*p;
	double		 t0 = bench_now();
	pid_t		 pid;
	FILE		*fp;
	int		 fd;

	snprintf(count, sizeof count, "%ld", n);
	if ((pid = fork()) == 0) {
		if ((fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC,
		    0600)) >= 0)
			dup2(fd, STDERR_FILENO);
		execl(exe, exe, "feed", "simulate", "--rate", "max", "--count",
		    count, "--seed", "1", "--run-dir", run_dir, "--data", data,
		    (char *)NULL);
		_exit(127);
	}
	bench_reap(pid, t0, &f);
	if ((fp = fopen(errfile, "r")) == NULL)
		return f;
	while (fgets(line, sizeof line, fp) != NULL)
		if ((p = strstr(line, "acknowledged ")) != NULL)
			f.acked = atol(p + 13);
	fclose(fp);
	return f;
}

/* bench-ingest's feeder, arrays of 100, closed loop, n incidents, in this
 * (child) process; exits 0 when every request was acknowledged. */
static void
bench_feeder(const char *run_dir, long n)
{
	static char	 req[1 << 20];
	char		 url[400], *rep;
	long		 seq = 0;
	int		 s = nn_socket(AF_SP, NN_REQ), len, tmo = 30000, bad = 0;

	snprintf(url, sizeof url, "ipc://%s/ingest.sock", run_dir);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo);
	nn_connect(s, url);
	while (seq < n) {
		len = bench_request(req, sizeof req, 0, &seq, 100);
		if (nn_send(s, req, (size_t)len, 0) < 0 ||
		    nn_recv(s, &rep, NN_MSG, 0) < 0)
			_exit(1);
		bad |= strncmp(rep, "{\"ok\":true", 10) != 0;
		nn_freemsg(rep);
	}
	nn_close(s);
	_exit(bad);
}

static struct figure
bench_ingest(const char *run_dir, long n)
{
	struct figure	f = { 0, 0, 0 };
	double		t0 = bench_now();
	pid_t		pid;

	if ((pid = fork()) == 0)
		bench_feeder(run_dir, n);
	if (bench_reap(pid, t0, &f))	/* every request acknowledged */
		f.acked = (n + 99) / 100 * 100;
	return f;
}

/* A fresh server in dir/NAME (run dir) and dir/NAME.db. */
static pid_t
bench_fresh(const char *exe, const char *data, const char *dir,
    const char *name, char *run_dir, size_t len)
{
	char	db[300];

	snprintf(run_dir, len, "%s/%s", dir, name);
	snprintf(db, sizeof db, "%s/%s.db", dir, name);
	return bench_server_start(exe, data, run_dir, db);
}

static void
bench_stop(pid_t srv)
{
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
}

int
main(int argc, char **argv)
{
	const char	*exe = argc > 1 ? argv[1] : "./gridline";
	const char	*data = argc > 2 ? argv[2] : "data";
	const char	*env = getenv("BENCH_COUNT");
	char		 dir[128], run_dir[300], errfile[300];
	struct figure	 sim, ing;
	long		 n = env != NULL && atol(env) > 0 ? atol(env) : 20000;
	pid_t		 srv;

	snprintf(dir, sizeof dir, "/tmp/gridline-bench-sim-%ld",
	    (long)getpid());
	mkdir(dir, 0700);
	snprintf(errfile, sizeof errfile, "%s/simulate.err", dir);
	srv = bench_fresh(exe, data, dir, "sim", run_dir, sizeof run_dir);
	sim = bench_simulate(exe, data, run_dir, n, errfile);
	bench_stop(srv);
	srv = bench_fresh(exe, data, dir, "ingest", run_dir, sizeof run_dir);
	ing = bench_ingest(run_dir, n);
	bench_stop(srv);
	printf("gridline bench-simulate (%ld incidents, one feeder each, "
	    "arrays of 100, a fresh server each)\n", n);
	printf("feed simulate --rate max            %9.0f acked/s  "
	    "(%ld acked in %.2f s) feeder CPU %.1f us/incident\n",
	    sim.secs > 0 ? sim.acked / sim.secs : 0, sim.acked, sim.secs,
	    sim.acked > 0 ? sim.cpu * 1e6 / sim.acked : 0);
	printf("bench-ingest feeder, 100 a request  %9.0f acked/s  "
	    "(%ld acked in %.2f s) feeder CPU %.1f us/incident\n",
	    ing.secs > 0 ? ing.acked / ing.secs : 0, ing.acked, ing.secs,
	    ing.acked > 0 ? ing.cpu * 1e6 / ing.acked : 0);
	printf("feed simulate / bench feeder        %9.2f  (rate)\n",
	    ing.secs > 0 && sim.secs > 0 ? (sim.acked / sim.secs) /
	    (ing.acked / ing.secs) : 0);
	if (sim.acked != n)
		fprintf(stderr, "bench-simulate: feed simulate acknowledged "
		    "%ld of %ld (see %s)\n", sim.acked, n, errfile);
	else
		bench_rmdir(dir);
	return sim.acked == n ? 0 : 1;
}
