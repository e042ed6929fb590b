/*
 * powercut.c: an LD_PRELOAD shim that makes SIGUSR2 a simulated power cut,
 * for tests/net/test-powercut.sh.
 *
 * Why: test-crash.sh kills the server with SIGKILL, but the kernel's page
 * cache survives a process kill, so a server that acknowledged data it had
 * only written, not fsynced, still passes it. A power cut loses everything
 * written since the file's last fsync. This shim models that for the
 * database files: before each write to a file whose name ends in ".db" or
 * ".db-wal" it records an undo entry (the inode, the offset, the bytes
 * about to be overwritten and the file size), and a successful fsync or
 * fdatasync on any fd of that inode drops the inode's entries (they are on
 * disk now). On SIGUSR2 the entries still in the log, the writes a power
 * cut would lose, are undone newest first, a one-line summary goes to
 * stderr and the process ends with _exit(99) at once.
 *
 * The moment: a cut while every write is synced undoes nothing and proves
 * nothing (a SIGKILL does as much), so after SIGUSR2 the cut waits, at
 * most a second, for a moment at which the log is not empty: some write
 * made, its sync not yet returned. A server that syncs before it replies
 * loses only unacknowledged work there; one that does not sync loses
 * acknowledged work almost anywhere.
 *
 * Shape: the handler only writes a byte to a self-pipe; a thread started
 * by the constructor reads it and does the work, since none of it is
 * async-signal-safe. One mutex guards the log and is held across each real
 * write and truncate, so an entry and its change are one step; the cutting
 * thread takes it and never lets go, so nothing changes after the cut. It
 * is not held across a real sync (a cut may come during one, as power
 * does): entries carry a sequence number, and a sync drops only those
 * made before it started. The undo goes through fds of its own, opened by
 * path (an entry is skipped, and counted, if the path no longer names the
 * same inode). Which fds are database files is decided by readlink on
 * /proc/self/fd/N, cached per fd, checked against fstat on every call and
 * forgotten on close, as fds are reused. Globals, which the style guide
 * forbids, are the only state an interposed libc function can reach.
 *
 * SQLite's -shm file is left alone: it is rebuilt from the WAL on
 * recovery, so it does not have to survive; so is the -journal, used only
 * while a new database gets its schema, before WAL mode. Interposed:
 * pwrite, pwrite64, ftruncate, ftruncate64, fsync, fdatasync, close. Not
 * write(): SQLite writes its files with pwrite64 only (strace of the
 * server shows no write() on them), and catching every write() of the
 * process would cost an fstat each.
 *
 * Limits: lost writes at fsync granularity only. No torn or reordered
 * sectors within a write, no lost file creations, renames or unlinks (the
 * directory is not modelled), no O_SYNC/O_DSYNC opens, msync, syncfs or
 * sync_file_range, and writes through a shared mapping are not seen.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PC_MAXFILES	16		/* tracked inodes */
#define PC_MAXFD	1024		/* fds with a cached verdict */

struct pc_file {
	dev_t		 dev;
	ino_t		 ino;
	char		 path[PATH_MAX];	/* as readlink gave it */
};

struct pc_undo {
	unsigned long	 seq;		/* order of recording */
	int		 file;		/* index in pc_files */
	off_t		 off;		/* where old[] goes back */
	size_t		 len;		/* bytes in old[] */
	unsigned char	*old;		/* the bytes overwritten or cut */
	off_t		 size;		/* the file size before the change */
};

struct pc_fd {
	int		 known;		/* the verdict below is valid */
	dev_t		 dev;
	ino_t		 ino;
	int		 file;		/* index in pc_files, -1: not tracked */
};

static pthread_mutex_t	 pc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 pc_grown = PTHREAD_COND_INITIALIZER; /* pc_save */
static unsigned long	 pc_seq;		/* the next entry's seq */
static struct pc_file	 pc_files[PC_MAXFILES];
static int		 pc_nfiles;
static struct pc_undo	*pc_log;
static size_t		 pc_len, pc_cap;
static struct pc_fd	 pc_fds[PC_MAXFD];
static int		 pc_pipe[2] = { -1, -1 };

static ssize_t	(*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t	(*real_pwrite64)(int, const void *, size_t, off64_t);
static int	(*real_ftruncate)(int, off_t);
static int	(*real_ftruncate64)(int, off64_t);
static int	(*real_fsync)(int);
static int	(*real_fdatasync)(int);
static int	(*real_close)(int);

/* The next definitions of the interposed functions, after this library. */
static void
pc_resolve(void)
{
	*(void **)&real_pwrite = dlsym(RTLD_NEXT, "pwrite");
	*(void **)&real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
	*(void **)&real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
	*(void **)&real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
	*(void **)&real_fsync = dlsym(RTLD_NEXT, "fsync");
	*(void **)&real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
	*(void **)&real_close = dlsym(RTLD_NEXT, "close");
}
#define PC_REAL(fn) (real_##fn != NULL ? real_##fn : (pc_resolve(), real_##fn))

static void
pc_die(const char *what)
{
	dprintf(2, "powercut: %s\n", what);
	abort();
}

static int
pc_tracked_name(const char *path)
{
	size_t	n = strlen(path);

	return (n > 3 && strcmp(path + n - 3, ".db") == 0) ||
	    (n > 7 && strcmp(path + n - 7, ".db-wal") == 0);
}

/* The tracked file fd refers to (st filled), or -1. Lock held. */
static int
pc_file_of(int fd, struct stat *st)
{
	char	 link[64], path[PATH_MAX];
	ssize_t	 n;
	int	 i, file = -1;

	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))
		return -1;
	if (fd >= 0 && fd < PC_MAXFD && pc_fds[fd].known &&
	    pc_fds[fd].dev == st->st_dev && pc_fds[fd].ino == st->st_ino)
		return pc_fds[fd].file;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n > 0) {
		path[n] = '\0';
		if (pc_tracked_name(path)) {
			for (i = 0; i < pc_nfiles; i++)
				if (pc_files[i].dev == st->st_dev &&
				    pc_files[i].ino == st->st_ino)
					break;
			if (i == PC_MAXFILES)
				pc_die("too many database files");
			if (i == pc_nfiles) {
				pc_files[i].dev = st->st_dev;
				pc_files[i].ino = st->st_ino;
				memcpy(pc_files[i].path, path, n + 1);
				pc_nfiles++;
			}
			file = i;
		}
	}
	if (fd >= 0 && fd < PC_MAXFD) {
		pc_fds[fd].known = 1;
		pc_fds[fd].dev = st->st_dev;
		pc_fds[fd].ino = st->st_ino;
		pc_fds[fd].file = file;
	}
	return file;
}

/*
 * Record an undo entry before [off, end) of the file is changed: the old
 * bytes of the part below the old size, and the old size. Lock held.
 */
static void
pc_save(int file, int fd, off_t off, off_t end, off_t size)
{
	struct pc_undo	*e;
	off_t		 stop = end < size ? end : size;

	if (pc_len == pc_cap) {
		pc_cap = pc_cap ? 2 * pc_cap : 256;
		if ((pc_log = realloc(pc_log, pc_cap * sizeof *pc_log)) == NULL)
			pc_die("out of memory");
	}
	e = &pc_log[pc_len];
	e->seq = pc_seq++;
	e->file = file;
	e->off = off;
	e->len = off < stop ? (size_t)(stop - off) : 0;
	e->old = NULL;
	e->size = size;
	if (e->len > 0) {
		if ((e->old = malloc(e->len)) == NULL)
			pc_die("out of memory");
		if (pread(fd, e->old, e->len, off) != (ssize_t)e->len)
			pc_die("cannot read the bytes about to be overwritten");
	}
	pc_len++;
	pthread_cond_signal(&pc_grown);
}

/* Forget file's entries older than seq: they are durable. Lock held. */
static void
pc_drop(int file, unsigned long seq)
{
	size_t	i, kept = 0;

	for (i = 0; i < pc_len; i++) {
		if (pc_log[i].file == file && pc_log[i].seq < seq)
			free(pc_log[i].old);
		else
			pc_log[kept++] = pc_log[i];
	}
	pc_len = kept;
}

/*
 * Take the lock and record what is about to change in fd's file: the range
 * [off, end) of a write, or with end -1 a truncation to off (the bytes
 * from there to the old size, or only the size if it grows).
 */
static void
pc_begin(int fd, off_t off, off_t end)
{
	struct stat	st;
	int		file;

	pthread_mutex_lock(&pc_lock);
	if ((file = pc_file_of(fd, &st)) < 0 || off == end ||
	    (end < 0 && off == st.st_size))
		return;
	if (end < 0) {
		off = off < st.st_size ? off : st.st_size;
		end = st.st_size;
	}
	pc_save(file, fd, off, end, st.st_size);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	ssize_t	rc;

	pc_begin(fd, off, off + (off_t)n);
	rc = PC_REAL(pwrite)(fd, buf, n, off);
	pthread_mutex_unlock(&pc_lock);
	return rc;
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	ssize_t	rc;

	pc_begin(fd, off, off + (off_t)n);
	rc = PC_REAL(pwrite64)(fd, buf, n, off);
	pthread_mutex_unlock(&pc_lock);
	return rc;
}

int
ftruncate(int fd, off_t len)
{
	int	rc;

	pc_begin(fd, len, -1);
	rc = PC_REAL(ftruncate)(fd, len);
	pthread_mutex_unlock(&pc_lock);
	return rc;
}

int
ftruncate64(int fd, off64_t len)
{
	int	rc;

	pc_begin(fd, len, -1);
	rc = PC_REAL(ftruncate64)(fd, len);
	pthread_mutex_unlock(&pc_lock);
	return rc;
}

/* A sync that succeeded makes the inode's earlier entries durable. */
static int
pc_sync(int (*sync)(int), int fd)
{
	struct stat	 st;
	unsigned long	 seq;
	int		 file, rc;

	pthread_mutex_lock(&pc_lock);
	file = pc_file_of(fd, &st);
	seq = pc_seq;
	pthread_mutex_unlock(&pc_lock);
	if ((rc = sync(fd)) == 0 && file >= 0) {
		pthread_mutex_lock(&pc_lock);
		pc_drop(file, seq);
		pthread_mutex_unlock(&pc_lock);
	}
	return rc;
}

int
fsync(int fd)
{
	return pc_sync(PC_REAL(fsync), fd);
}

int
fdatasync(int fd)
{
	return pc_sync(PC_REAL(fdatasync), fd);
}

int
close(int fd)
{
	pthread_mutex_lock(&pc_lock);
	if (fd >= 0 && fd < PC_MAXFD)
		pc_fds[fd].known = 0;
	pthread_mutex_unlock(&pc_lock);
	return PC_REAL(close)(fd);
}

/*
 * The power cut: wait (at most a second) until some write is not durable,
 * undo the log newest first and end the process, the lock still held.
 */
static void
pc_cut(void)
{
	int		 fds[PC_MAXFILES];
	struct timespec	 until;
	struct stat	 st;
	size_t		 i, undone = 0, skipped = 0;
	long long	 bytes = 0;
	struct pc_undo	*e;
	int		 f;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec++;
	pthread_mutex_lock(&pc_lock);		/* never released */
	while (pc_len == 0 &&
	    pthread_cond_timedwait(&pc_grown, &pc_lock, &until) == 0)
		;
	for (f = 0; f < pc_nfiles; f++) {
		fds[f] = open(pc_files[f].path, O_WRONLY);
		if (fds[f] >= 0 && (fstat(fds[f], &st) != 0 ||
		    st.st_dev != pc_files[f].dev ||
		    st.st_ino != pc_files[f].ino))
			fds[f] = -1;		/* not the file we saw */
	}
	for (i = pc_len; i-- > 0;) {
		e = &pc_log[i];
		f = fds[e->file];
		if (f < 0 || PC_REAL(ftruncate)(f, e->size) != 0 ||
		    (e->len > 0 && PC_REAL(pwrite)(f, e->old, e->len, e->off) !=
		    (ssize_t)e->len)) {
			skipped++;
			continue;
		}
		undone++;
		bytes += (long long)e->len;
	}
	dprintf(2, "powercut: undid %zu changes (%lld bytes put back, "
	    "%zu skipped) in %d database files\n", undone, bytes, skipped,
	    pc_nfiles);
	_exit(99);
}

static void *
pc_thread(void *arg)
{
	char	c;

	(void)arg;
	for (;;) {
		if (read(pc_pipe[0], &c, 1) == 1)
			pc_cut();
		else if (errno != EINTR)
			pc_die("cannot read the signal pipe");
	}
	return NULL;
}

static void
pc_handler(int signum)
{
	int	saved = errno;
	ssize_t	n;

	(void)signum;
	n = write(pc_pipe[1], "x", 1);	/* a pipe is never full of cuts */
	(void)n;
	errno = saved;
}

__attribute__((constructor)) static void
pc_init(void)
{
	struct sigaction	sa;
	pthread_t		t;

	pc_resolve();
	if (pipe2(pc_pipe, O_CLOEXEC) != 0)
		pc_die("pipe failed");
	if (pthread_create(&t, NULL, pc_thread, NULL) != 0)
		pc_die("cannot start the cutting thread");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = pc_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
}
