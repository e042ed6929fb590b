/*
 * rundir.c: run directory, database path and the server's two locks
 * (see rundir.h).
 *
 * flock rather than a pid file alone: the kernel drops the lock when the
 * process dies, however it dies, so a crash never leaves a lock that lies.
 * The pid in the file is only for messages.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <assert.h>
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
rundir_data_home(char *out, size_t len)
{
	const char	*xdg = getenv("XDG_DATA_HOME");
	const char	*home = getenv("HOME");

	if (xdg != NULL && xdg[0] != '\0')
		snprintf(out, len, "%s/gridline", xdg);
	else
		snprintf(out, len, "%s/.local/share/gridline",
		    home != NULL ? home : "/tmp");
}

void
rundir_db_resolve(const char *arg, char *out, size_t len)
{
	const char	*env = getenv("GRIDLINE_DB");
	char		 home[4096];

	if (arg != NULL && arg[0] != '\0')
		snprintf(out, len, "%s", arg);
	else if (env != NULL && env[0] != '\0')
		snprintf(out, len, "%s", env);
	else {
		rundir_data_home(home, sizeof home);
		snprintf(out, len, "%.4000s/gridline.db", home);
	}
}

int
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
	if (mkdir(buf, 0700) == 0)
		return 1;
	return errno == EEXIST ? 0 : -errno;
}

/*
 * A directory we made is ours and is made 0700 (whatever the umask did to
 * it). One that was there is only checked, never changed: it may be /tmp
 * or a directory others rely on, and chmod on it would take it from them
 * (as root, `--run-dir /tmp` would have made /tmp 0700). Refused: not a
 * directory, not owned by us, writable by its group or by others (they
 * could swap the sockets or the lock). Readable is fine: the sockets need
 * write permission to connect.
 */
int
rundir_prepare(const char *dir, char *err, size_t errlen)
{
	struct stat	sb;
	int		rc;

	if ((rc = rundir_mkdirs(dir)) < 0)
		return gl_err(err, errlen, GL_EIO, "cannot create run "
		    "directory %s: %s", dir, strerror(-rc));
	if (rc == 1 && chmod(dir, 0700) != 0)
		return gl_err(err, errlen, GL_EIO, "cannot make run directory "
		    "%s 0700: %s", dir, strerror(errno));
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return gl_err(err, errlen, GL_EIO, "run directory %s is not a "
		    "directory", dir);
	if (sb.st_uid != geteuid())
		return gl_err(err, errlen, GL_EINVAL, "run directory %s "
		    "belongs to another user (uid %ld), refused: use a "
		    "directory of your own", dir, (long)sb.st_uid);
	if ((sb.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return gl_err(err, errlen, GL_EINVAL, "run directory %s is "
		    "writable by %s (mode %04o), refused, left as it is: use "
		    "a directory only you can write (e.g. mode 0700)", dir,
		    (sb.st_mode & S_IWOTH) != 0 ? "others" : "its group",
		    (unsigned)(sb.st_mode & 07777));
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
	if ((rc = rundir_mkdirs(buf)) < 0)
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

/* Take the flock of the open file f and, when writable, write our pid in
 * it: 0, or GL_EBUSY with the holder's pid in pid ("?" when it says
 * none), or GL_EIO with errno set. */
static int
rundir_flock(int f, int writable, char *pid, size_t pidlen)
{
	ssize_t	n;
	int	len;

	assert(pidlen >= 32);
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK)
			return GL_EIO;
		if ((n = pread(f, pid, pidlen - 1, 0)) < 0)
			n = 0;
		pid[n] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (pid[0] == '\0')
			snprintf(pid, pidlen, "?");
		return GL_EBUSY;
	}
	if (!writable)
		return 0;
	len = snprintf(pid, pidlen, "%ld\n", (long)getpid());
	if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)len, 0) != len)
		return GL_EIO;
	return 0;
}

int
rundir_lock(const char *dir, int *fd, char *err, size_t errlen)
{
	char	path[4096], pid[32];
	int	f, rc;

	snprintf(path, sizeof path, "%s/%s", dir, RUNDIR_LOCK);
	if ((f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return gl_err(err, errlen, GL_EIO, "cannot open %s: %s", path,
		    strerror(errno));
	if ((rc = rundir_flock(f, 1, pid, sizeof pid)) != 0) {
		if (rc == GL_EBUSY)
			rc = gl_err(err, errlen, GL_EBUSY, "a server (pid %s) "
			    "already runs on %s", pid, dir);
		else
			rc = gl_err(err, errlen, GL_EIO, "cannot lock %s: %s",
			    path, strerror(errno));
		close(f);
		return rc;
	}
	rundir_unlink_stale(dir);
	*fd = f;
	return 0;
}

/*
 * The database's lock, DB.lock beside it, for the same reason as the run
 * dir's: two servers on one database with different run dirs would both
 * start and then fail each other's batches with "database is locked".
 * Never unlinked (a lock file removed and made again can be held twice).
 *
 * A server that may not create or open the lock file (a read-only
 * directory, a lock left by another user) cannot write the database
 * either, or not for long: it goes on without the lock, *fd = -1 and why
 * in err, so that a read-only database still opens and is refused by
 * SQLite with the reason that matters ("readonly").
 */
int
rundir_db_lock(const char *db, int *fd, char *err, size_t errlen)
{
	char	path[4200], pid[32];
	int	f, rc, writable = 1;

	*fd = -1;
	if (snprintf(path, sizeof path, "%s%s", db, RUNDIR_DB_LOCK) >=
	    (int)sizeof path)
		return gl_err(err, errlen, GL_EIO, "%s: name too long", db);
	if ((f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 &&
	    (errno == EACCES || errno == EROFS || errno == EPERM)) {
		writable = 0;
		f = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (f < 0) {
		if (errno == EACCES || errno == EROFS || errno == EPERM ||
		    errno == ENOENT) {
			gl_err(err, errlen, GL_EIO, "cannot open %s (%s): "
			    "running without the database lock", path,
			    strerror(errno));
			return 0;
		}
		return gl_err(err, errlen, GL_EIO, "cannot open %s: %s", path,
		    strerror(errno));
	}
	if ((rc = rundir_flock(f, writable, pid, sizeof pid)) != 0) {
		if (rc == GL_EBUSY)
			rc = gl_err(err, errlen, GL_EBUSY, "database %s is in "
			    "use by another server (pid %s, lock %s)", db, pid,
			    path);
		else
			rc = gl_err(err, errlen, GL_EIO, "cannot lock %s: %s",
			    path, strerror(errno));
		close(f);
		return rc;
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
