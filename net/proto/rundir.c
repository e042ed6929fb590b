/*
 * rundir.c: run directory, database path and the server lock (see
 * rundir.h).
 *
 * flock rather than a pid file alone: the kernel drops the lock when the
 * process dies, however it dies, so a crash never leaves a lock that lies.
 * The pid in the file is only for messages.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "rundir.h"

void
rundir_resolve(const char *arg, char *out, size_t len)
{
	const char	*env = getenv("GRIDLINE_RUN_DIR");
	const char	*xdg = getenv("XDG_RUNTIME_DIR");

	if (arg != NULL && arg[0] != '\0')
		snprintf(out, len, "%s", arg);
	else if (env != NULL && env[0] != '\0')
		snprintf(out, len, "%s", env);
	else if (xdg != NULL && xdg[0] != '\0')
		snprintf(out, len, "%s/gridline", xdg);
	else
		snprintf(out, len, "/tmp/gridline-%ld", (long)getuid());
}

void
rundir_db_resolve(const char *arg, char *out, size_t len)
{
	const char	*env = getenv("GRIDLINE_DB");
	const char	*xdg = getenv("XDG_DATA_HOME");
	const char	*home = getenv("HOME");

	if (arg != NULL && arg[0] != '\0')
		snprintf(out, len, "%s", arg);
	else if (env != NULL && env[0] != '\0')
		snprintf(out, len, "%s", env);
	else if (xdg != NULL && xdg[0] != '\0')
		snprintf(out, len, "%s/gridline/gridline.db", xdg);
	else
		snprintf(out, len, "%s/.local/share/gridline/gridline.db",
		    home != NULL ? home : "/tmp");
}

/* mkdir -p with mode 0700 for each created level. */
static int
rundir_mkdirs(const char *dir)
{
	char	buf[4096], *p;

	if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
		return -ENAMETOOLONG;
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
rundir_prepare(const char *dir, char *err, size_t errlen)
{
	struct stat	sb;
	int		rc;

	if ((rc = rundir_mkdirs(dir)) != 0)
		return gl_err(err, errlen, GL_EIO, "cannot create run "
		    "directory %s: %s", dir, strerror(-rc));
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return gl_err(err, errlen, GL_EIO, "run directory %s is not a "
		    "directory", dir);
	if (sb.st_uid != getuid())
		return gl_err(err, errlen, GL_EINVAL, "run directory %s "
		    "belongs to another user", dir);
	if ((sb.st_mode & 077) != 0 && chmod(dir, 0700) != 0)
		return gl_err(err, errlen, GL_EIO, "run directory %s is open "
		    "to others and cannot be made 0700: %s", dir,
		    strerror(errno));
	return 0;
}

int
rundir_prepare_parent(const char *path, char *err, size_t errlen)
{
	char	 buf[4096], *slash;
	int	 rc;

	snprintf(buf, sizeof buf, "%s", path);
	if ((slash = strrchr(buf, '/')) == NULL || slash == buf)
		return 0;
	*slash = '\0';
	if ((rc = rundir_mkdirs(buf)) != 0)
		return gl_err(err, errlen, GL_EIO, "cannot create %s: %s",
		    buf, strerror(-rc));
	return 0;
}

void
rundir_url(const char *dir, const char *name, char *out, size_t len)
{
	snprintf(out, len, "ipc://%s/%s", dir, name);
}

static void
rundir_unlink_stale(const char *dir)
{
	static const char *const socks[] = { RUNDIR_INGEST, RUNDIR_EVENTS,
	    RUNDIR_CONTROL };
	char	path[4096];
	size_t	i;

	for (i = 0; i < sizeof socks / sizeof socks[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, socks[i]);
		unlink(path);
	}
}

int
rundir_lock(const char *dir, int *fd, char *err, size_t errlen)
{
	char	path[4096], pid[32] = "";
	ssize_t	n;
	int	f;

	snprintf(path, sizeof path, "%s/%s", dir, RUNDIR_LOCK);
	if ((f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return gl_err(err, errlen, GL_EIO, "cannot open %s: %s", path,
		    strerror(errno));
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		if ((n = pread(f, pid, sizeof pid - 1, 0)) > 0)
			pid[n] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(f);
		return gl_err(err, errlen, GL_EBUSY, "a server (pid %s) "
		    "already runs on %s", pid[0] ? pid : "?", dir);
	}
	rundir_unlink_stale(dir);
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)n, 0) != n) {
		close(f);
		return gl_err(err, errlen, GL_EIO, "cannot write %s: %s",
		    path, strerror(errno));
	}
	*fd = f;
	return 0;
}

int
rundir_locked(const char *dir)
{
	char	path[4096];
	int	f, held;

	snprintf(path, sizeof path, "%s/%s", dir, RUNDIR_LOCK);
	if ((f = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	held = flock(f, LOCK_SH | LOCK_NB) != 0;
	close(f);
	return held;
}
