/*
 * bench.h: small helpers the benchmark programs share (header-only: each
 * benchmark stays one .c file plus this).
 */
#ifndef GL_BENCH_H
#define GL_BENCH_H

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock. */
static inline double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Resident memory of a process in kB, from /proc; -1 when unknown. */
static inline long
bench_rss_kb(pid_t pid)
{
	char	path[64], line[256];
	long	kb = -1;
	FILE	*fp;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(fp);
	return kb;
}

/* One incident as JSON into buf; ids unique per feeder, process and
 * sequence. The length, as snprintf gives it. */
static inline int
bench_incident(char *buf, size_t len, int feeder, long seq)
{
	return snprintf(buf, len, "{\"id\":\"bench-%d-%ld-%ld\",\"grid\":"
	    "\"330203003001%03ld\",\"category\":\"1105\",\"reported_at\":"
	    "\"2026-11-24T10:00:00+08:00\",\"summary\":\"小区门口路灯连续三晚"
	    "不亮，编号%d-%ld\",\"source\":\"sensor\"}", feeder, (long)getpid(),
	    seq, 1 + seq % 2, feeder, seq);
}

/* A request of items incidents (an array when items > 1) into buf, *seq
 * advanced; its length. */
static inline int
bench_request(char *buf, size_t len, int id, long *seq, int items)
{
	int	n = 0, i;

	if (items > 1)
		buf[n++] = '[';
	for (i = 0; i < items; i++) {
		n += bench_incident(buf + n, len - (size_t)n, id, (*seq)++);
		if (i + 1 < items)
			buf[n++] = ',';
	}
	if (items > 1)
		buf[n++] = ']';
	return n;
}

/* `exe serve` on run_dir and db with data, as a child; returns once its
 * control socket is there (5 s at most). The child's pid. */
static inline pid_t
bench_server_start(const char *exe, const char *data, const char *run_dir,
    const char *db)
{
	char	ctl[300];
	pid_t	pid = fork();
	int	i;

	if (pid == 0) {
		execl(exe, exe, "serve", "--run-dir", run_dir, "--db", db,
		    "--data", data, "--log", "/dev/null", (char *)NULL);
		_exit(127);
	}
	snprintf(ctl, sizeof ctl, "%s/control.sock", run_dir);
	for (i = 0; i < 100 && access(ctl, F_OK) != 0; i++)
		usleep(50000);
	usleep(100000);
	return pid;
}

/* Remove a scratch directory (ours: made by the bench under /tmp). */
static inline void
bench_rmdir(const char *dir)
{
	char	cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not remove %s\n", dir);
}

#endif
