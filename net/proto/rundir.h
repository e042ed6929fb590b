/*
 * rundir.h: where a server lives: its run directory and database path.
 *
 * The run directory holds the three ipc sockets and a lock file. The lock
 * (flock on "lock", held for the server's life, with the pid written in it)
 * is what says "a server runs here": a second server refuses to start, a
 * client that finds the lock free knows no server answers and may start
 * one, and sockets left by a crashed server are stale exactly when the lock
 * is free. The database has a lock of its own beside it (DB.lock, the same
 * flock and pid), so that two servers with different run directories
 * cannot share one database either; being never removed, it also says
 * that a server used the database (server.c refuses to start on a missing
 * database whose lock is there, unless --create). One spelling everywhere: --run-dir, GRIDLINE_RUN_DIR; --db,
 * GRIDLINE_DB.
 */
#ifndef GL_RUNDIR_H
#define GL_RUNDIR_H

#include <stddef.h>

#define RUNDIR_INGEST	"ingest.sock"
#define RUNDIR_EVENTS	"events.sock"
#define RUNDIR_CONTROL	"control.sock"
#define RUNDIR_LOCK	"lock"
#define RUNDIR_DB_LOCK	".lock"		/* DB.lock beside the database */

/* The run directory: arg, else $GRIDLINE_RUN_DIR, else
 * $XDG_RUNTIME_DIR/gridline, else /tmp/gridline-$UID. */
void	rundir_resolve(const char *arg, char *out, size_t len);
/* The database: arg, else $GRIDLINE_DB, else
 * $XDG_DATA_HOME/gridline/gridline.db (default ~/.local/share). */
void	rundir_db_resolve(const char *arg, char *out, size_t len);

/* The user's gridline data directory: $XDG_DATA_HOME/gridline, else
 * ~/.local/share/gridline (the default database's, training sessions'). */
void	rundir_data_home(char *out, size_t len);

/* mkdir -p with mode 0700 for each created level: 1 when dir itself was
 * made here, 0 when it was there already, or -errno. */
int	rundir_mkdirs(const char *dir);

/* Create dir (and parents) with mode 0700; refuse, without changing it, an
 * existing directory that is not ours or that its group or others may
 * write. 0 or GL_EIO/GL_EINVAL with a message. */
int	rundir_prepare(const char *dir, char *err, size_t errlen);
/* Create the parent directory of a file path (mode 0700). */
int	rundir_prepare_parent(const char *path, char *err, size_t errlen);

/* Take the server lock of dir: 0 with *fd held (release by closing it),
 * GL_EBUSY when another server holds it (its pid in the message). On
 * success removes stale sockets. */
int	rundir_lock(const char *dir, int *fd, char *err, size_t errlen);
/* Take the lock of database db (the file DB.lock): 0 with *fd held
 * (release by closing it), GL_EBUSY when another server holds it (its pid
 * and the database in the message). 0 with *fd = -1 and a note in err when
 * the lock file may not be made or opened (a read-only directory). */
int	rundir_db_lock(const char *db, int *fd, char *err, size_t errlen);
/* 1 when a server holds the lock of dir, 0 when not. */
int	rundir_locked(const char *dir);

/* "ipc:///run/dir/name" into out. */
void	rundir_url(const char *dir, const char *name, char *out, size_t len);

#endif
