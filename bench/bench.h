/*
 * bench.h: small helpers the benchmark programs share (header-only: each
 * benchmark stays one .c file plus this).
 */
#ifndef GL_BENCH_H
#define GL_BENCH_H

#include <stdio.h>
#include <sys/types.h>
#include <time.h>

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

#endif
