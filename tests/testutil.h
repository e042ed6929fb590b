/*
 * testutil.h: helpers shared by the cmocka tests: scratch directories, the
 * shipped data directory, local-time parsing for expected values.
 *
 * Header-only (static functions) so every test program stays one .c file
 * plus this; include after the cmocka headers.
 */
#ifndef GL_TESTUTIL_H
#define GL_TESTUTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gltime.h"

/* A fresh directory under $TMPDIR (or /tmp); the path is static. */
static inline const char *
tu_tmpdir(void)
{
	static char	 dir[512];
	const char	*base = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/gridline-test.XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	return dir;
}

static inline int
tu_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

/* Remove a directory tree made by tu_tmpdir. */
static inline void
tu_rmtree(const char *dir)
{
	nftw(dir, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The shipped reference data: $GL_DATA (set by make check) or ../data. */
static inline const char *
tu_datadir(void)
{
	const char	*d = getenv("GL_DATA");

	return d != NULL && d[0] != '\0' ? d : "data";
}

/* "2026-11-24 10:00" in China local time (UTC+8) as time_t. */
static inline time_t
tu_local(const char *s)
{
	int	y, m, d, hh, mm;

	if (sscanf(s, "%d-%d-%d %d:%d", &y, &m, &d, &hh, &mm) != 5) {
		fprintf(stderr, "tu_local: bad time '%s'\n", s);
		abort();
	}
	return (time_t)(gltime_days_from_civil(y, m, d) * 86400L +
	    hh * 3600L + mm * 60L - GLTIME_CHINA);
}

/* Copy file src to dst; 0 or -1. */
static inline int
tu_copy(const char *src, const char *dst)
{
	FILE	*in = fopen(src, "rb"), *out;
	char	 buf[65536];
	size_t	 n;

	if (in == NULL)
		return -1;
	if ((out = fopen(dst, "wb")) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	return fclose(out) == 0 ? 0 : -1;
}

#endif
