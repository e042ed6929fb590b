/*
 * log.c: the server's log (see log.h).
 *
 * The log is process-wide state, the one exception to "no mutable globals
 * but struct gridline": every layer above core/ may need to log, and
 * threading a logger through each call would clutter every signature for no
 * gain (two servers in one test process share stderr anyway).
 *
 * A message may quote what a client sent (an id, a source, a field), and
 * the log is read on a terminal (stderr, tail -f, less -R), so the whole
 * formatted message is written in its visible form (core/vis.h): an ESC
 * shows as U+241B, a newline as U+240A, so one event stays one line and a
 * forged line cannot be appended. Tab stays; the log is not in columns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "gltime.h"
#include "log.h"
#include "vis.h"

static FILE		*log_fp;
static enum log_level	 log_max = LOG_INFO;

static const char *const log_names[] = { "error", "warn", "info", "debug" };

int
log_open(const char *path, enum log_level level)
{
	FILE	*fp = NULL;
	int	 fd, fd_errno;

	/* 0600: the log names incidents, like the database */
	if (path != NULL) {
		if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		    0600)) < 0)
			return GL_EIO;
		if ((fp = fdopen(fd, "a")) == NULL) {
			fd_errno = errno;
			close(fd);
			errno = fd_errno;
			return GL_EIO;
		}
	}
	log_close();
	log_fp = fp;
	if (log_fp != NULL)
		setvbuf(log_fp, NULL, _IOLBF, 0);
	log_max = level;
	return 0;
}

int
log_is_file(void)
{
	return log_fp != NULL;
}

void
log_close(void)
{
	if (log_fp != NULL)
		fclose(log_fp);
	log_fp = NULL;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t	i;

	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++)
		if (strcmp(s, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return GL_EINVAL;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	FILE	*fp = log_fp != NULL ? log_fp : stderr;
	char	 when[32], msg[1024], vis[4096];
	va_list	 ap;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	gltime_format(time(NULL), GLTIME_CHINA, when, sizeof when);
	vis_copy(msg, strlen(msg), 0, vis, sizeof vis, NULL);	/* may cut */
	fprintf(fp, "%s %s %s\n", when, log_names[level], vis);
}
