/*
 * client.c: control-socket client with tmux-style autostart (see client.h).
 *
 * A REQ socket: nanomsg resends a request whose reply does not come within
 * NN_REQ_RESEND_IVL, so a server restarted between request and reply still
 * answers; the timeout bounds the wait for a server that is not there.
 */
#include <sys/file.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "client.h"
#include "error.h"
#include "rundir.h"
#include "sign.h"

extern char **environ;

struct client {
	int			 nn;
	char			 run_dir[4096];
	const struct sign_id	*id;	/* who signs; NULL: nobody */
};

/* Start a server on run_dir and wait until it serves (or gave up). */
static int
client_spawn(const char *exe, const char *run_dir, char *err, size_t errlen)
{
	char	*argv[] = { (char *)exe, "serve", "--daemon", "--run-dir",
		    (char *)run_dir, NULL };
	pid_t	 pid;
	int	 status, rc;

	if ((rc = posix_spawn(&pid, exe, NULL, NULL, argv, environ)) != 0)
		return gl_err(err, errlen, GL_EIO, "cannot start %s serve: %s",
		    exe, strerror(rc));
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rundir_locked(run_dir))
		return 0;	/* ours, or a racing client's: either serves */
	return gl_err(err, errlen, GL_EIO, "the server did not start on %s "
	    "(see %s/server.log)", run_dir, run_dir);
}

/*
 * Several clients may find no server at once. Each takes the start lock
 * (a second lock file, held only while starting) and looks again: only the
 * first starts a server, the others find it running when their turn comes.
 */
static int
client_start(const char *exe, const char *run_dir, char *err, size_t errlen)
{
	char	path[4200];
	int	fd, rc;

	if ((rc = rundir_prepare(run_dir, err, errlen)) != 0)
		return rc;
	snprintf(path, sizeof path, "%s/start.lock", run_dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return gl_err(err, errlen, GL_EIO, "cannot open %s: %s", path,
		    strerror(errno));
	while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
		;
	rc = rundir_locked(run_dir) ? 0 : client_spawn(exe, run_dir, err,
	    errlen);
	close(fd);
	return rc;
}

int
client_ensure_server(const char *run_dir, const char *exe, int *started,
    char *err, size_t errlen)
{
	if (started != NULL)
		*started = 0;
	if (rundir_locked(run_dir))
		return 0;
	if (started != NULL)
		*started = 1;
	return client_start(exe, run_dir, err, errlen);
}

int
client_open(const char *run_dir, int autostart, const char *exe,
    struct client **out, char *err, size_t errlen)
{
	struct client	*c;
	char		 url[4200];
	int		 rc;

	*out = NULL;
	if (!rundir_locked(run_dir)) {
		if (!autostart)
			return gl_err(err, errlen, GL_EIO, "no server runs on "
			    "%s", run_dir);
		if ((rc = client_start(exe, run_dir, err, errlen)) != 0)
			return rc;
	}
	if ((c = calloc(1, sizeof *c)) == NULL)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	snprintf(c->run_dir, sizeof c->run_dir, "%s", run_dir);
	rundir_url(run_dir, RUNDIR_CONTROL, url, sizeof url);
	if ((c->nn = nn_socket(AF_SP, NN_REQ)) < 0 ||
	    nn_connect(c->nn, url) < 0) {
		rc = gl_err(err, errlen, GL_EIO, "cannot connect to %s: %s",
		    url, nn_strerror(nn_errno()));
		client_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

void
client_close(struct client *c)
{
	if (c == NULL)
		return;
	if (c->nn >= 0)
		nn_close(c->nn);
	free(c);
}

int
client_request(struct client *c, json_t *req, int timeout_ms, json_t **reply,
    char *err, size_t errlen)
{
	json_error_t	 jerr;
	char		*text, *buf = NULL;
	size_t		 len;
	int		 n, unlimited = -1;

	*reply = NULL;
	/* nanomsg drops messages over 1 MiB by default; a snapshot page can
	 * be larger, and the client trusts its own server. */
	nn_setsockopt(c->nn, NN_SOL_SOCKET, NN_RCVMAXSIZE, &unlimited,
	    sizeof unlimited);
	nn_setsockopt(c->nn, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout_ms,
	    sizeof timeout_ms);
	nn_setsockopt(c->nn, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout_ms,
	    sizeof timeout_ms);
	if (sign_seal(c->id, req, time(NULL), &text, &len) != 0)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	n = nn_send(c->nn, text, len, 0);
	free(text);
	if (n < 0 || (n = nn_recv(c->nn, &buf, NN_MSG, 0)) < 0)
		return gl_err(err, errlen, GL_EIO, "no answer from the server "
		    "on %s: %s", c->run_dir, nn_strerror(nn_errno()));
	*reply = json_loadb(buf, (size_t)n, 0, &jerr);
	nn_freemsg(buf);
	if (*reply == NULL)
		return gl_err(err, errlen, GL_EIO, "the server's reply is not "
		    "JSON: %s", jerr.text);
	return 0;
}

void
client_set_identity(struct client *c, const struct sign_id *id)
{
	c->id = id;
}
