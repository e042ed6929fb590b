/*
 * log.h: one line per notable event, to stderr or a file.
 *
 * Lines are "2026-11-24T10:00:00+08:00 LEVEL message". At the default level
 * (info) a server logs start, stop, reloads, rejected requests in summary
 * and failures, never one line per incident: at 10,000 incidents a second a
 * per-incident log would be the bottleneck and unreadable.
 */
#ifndef GL_LOG_H
#define GL_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Log to path (appending), or stderr when path is NULL. 0 or GL_EIO. */
int	log_open(const char *path, enum log_level level);
void	log_close(void);
/* 1 when the log goes to a file, not stderr. */
int	log_is_file(void);
int	log_level_parse(const char *s, enum log_level *out);

void	log_msg(enum log_level level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
