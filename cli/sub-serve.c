/*
 * sub-serve.c: `gridline serve`, the server in the foreground or, with
 * --daemon, detached.
 *
 * The daemon forks before any loop or socket exists (forking a live libuv
 * loop is not supported) and the parent waits on a pipe until the child
 * says it is serving or why it is not, so `gridline serve --daemon` returns
 * 0 only when the sockets answer; clients that start a server rely on that.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "cli.h"
#include "error.h"
#include "log.h"
#include "rundir.h"
#include "server.h"

struct serve {
	struct server	*srv;
	uv_signal_t	 sig[3];	/* TERM, INT, HUP */
	int		 ready_fd;	/* daemon: tell the parent, -1 */
};

static void
serve_signal_cb(uv_signal_t *h, int signum)
{
	struct serve	*sv = h->data;
	size_t		 i;

	if (signum == SIGHUP) {
		log_msg(LOG_INFO, "SIGHUP: reloading the reference data");
		server_reload(sv->srv);
		return;
	}
	log_msg(LOG_INFO, "%s", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	server_stop(sv->srv);
	for (i = 0; i < 3; i++)
		if (!uv_is_closing((uv_handle_t *)&sv->sig[i]))
			uv_close((uv_handle_t *)&sv->sig[i], NULL);
}

static void
serve_signals(uv_loop_t *loop, struct serve *sv)
{
	static const int signums[3] = { SIGTERM, SIGINT, SIGHUP };
	size_t		 i;

	for (i = 0; i < 3; i++) {
		uv_signal_init(loop, &sv->sig[i]);
		sv->sig[i].data = sv;
		uv_signal_start(&sv->sig[i], serve_signal_cb, signums[i]);
	}
}

/* Tell a waiting parent: "" for ready, else the error. */
static void
serve_ready(struct serve *sv, const char *err)
{
	if (sv->ready_fd < 0)
		return;
	if (write(sv->ready_fd, err, strlen(err) + 1) < 0)
		log_msg(LOG_WARN, "cannot tell the parent: %s",
		    strerror(errno));
	close(sv->ready_fd);
	sv->ready_fd = -1;
}

static int
serve_run(struct server_opts *o, int ready_fd)
{
	struct serve	 sv = { NULL, { { 0 } }, ready_fd };
	uv_loop_t	 loop;
	char		 err[1024], vis[4096];
	int		 rc;

	uv_loop_init(&loop);
	rc = server_open(&loop, o, &sv.srv, err, sizeof err);
	if (rc != 0) {
		log_msg(LOG_ERROR, "%s", err);
		if (ready_fd < 0 && log_is_file())	/* tell the terminal */
			fprintf(stderr, "gridline serve: %s\n",
			    cli_vis(err, vis, sizeof vis));
		serve_ready(&sv, err);
		uv_run(&loop, UV_RUN_DEFAULT);
		server_free(sv.srv);
		uv_loop_close(&loop);
		return EXIT_FAIL;
	}
	serve_signals(&loop, &sv);
	serve_ready(&sv, "");
	uv_run(&loop, UV_RUN_DEFAULT);
	server_free(sv.srv);
	if (uv_loop_close(&loop) != 0)
		log_msg(LOG_WARN, "loop closed with handles open");
	return EXIT_OK;
}

/* Fork; the parent waits for the child's word and exits with it. */
static int
serve_daemon(struct server_opts *o, const char *run_dir)
{
	char	msg[1024] = "", vis[4096], pidpath[4200], pid[32];
	int	pfd[2], fd;
	ssize_t	n;
	pid_t	child;

	if (pipe(pfd) != 0 || (child = fork()) < 0) {
		perror("gridline serve: cannot detach");
		return EXIT_FAIL;
	}
	if (child > 0) {
		close(pfd[1]);
		n = read(pfd[0], msg, sizeof msg - 1);
		close(pfd[0]);
		if (n <= 0 || msg[0] != '\0') {
			fprintf(stderr, "gridline serve: %s\n", n > 0 ?
			    cli_vis(msg, vis, sizeof vis) :
			    "the server exited before it was ready");
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	close(pfd[0]);
	setsid();
	if (rundir_prepare(run_dir, msg, sizeof msg) != 0) {
		if (write(pfd[1], msg, strlen(msg) + 1) < 0)
			_exit(EXIT_FAIL);
		_exit(EXIT_FAIL);
	}
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (getenv("GRIDLINE_DAEMON_STDERR") == NULL)
			dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	snprintf(pidpath, sizeof pidpath, "%s/server.pid", run_dir);
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if ((fd = open(pidpath, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0) {
		if (write(fd, pid, (size_t)n) != n)
			log_msg(LOG_WARN, "cannot write %s", pidpath);
		close(fd);
	}
	exit(serve_run(o, pfd[1]));
}

static const struct option serve_longopts[] = {
	{ "db",		 required_argument, NULL, 'd' },
	{ "run-dir",	 required_argument, NULL, 'r' },
	{ "data",	 required_argument, NULL, 'D' },
	{ "ingest",	 required_argument, NULL, 'i' },
	{ "max-message", required_argument, NULL, 'm' },
	{ "log",	 required_argument, NULL, 'l' },
	{ "log-level",	 required_argument, NULL, 'L' },
	{ "daemon",	 no_argument,	    NULL, 'b' },
	{ "training",	 no_argument,	    NULL, 't' },
	{ "create",	 no_argument,	    NULL, 'c' },
	{ "feeder-rate", required_argument, NULL, 'f' },
	{ "feeder-burst", required_argument, NULL, 'B' },
	{ "clock",	 required_argument, NULL, 'C' },
	{ "scenario",	 required_argument, NULL, 'S' },
	{ NULL, 0, NULL, 0 }
};

struct serve_args {
	const char	*db, *run_dir, *log, *clock;
	enum log_level	 level;
	int		 daemon;
};

static int
serve_parse(int argc, char **argv, struct server_opts *o,
    struct serve_args *a)
{
	char	*end;
	int	 c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", serve_longopts, NULL)) != -1)
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'r': a->run_dir = optarg; break;
		case 'D': o->data_dir = optarg; break;
		case 'l': a->log = optarg; break;
		case 'b': a->daemon = 1; break;
		case 't': o->training = 1; break;
		case 'c': o->create = 1; break;
		case 'C': a->clock = optarg; break;
		case 'S': o->scenario = optarg; break;
		case 'i':
			if (o->ningest == SERVER_MAX_INGEST)
				return -1;
			o->ingest[o->ningest++] = optarg;
			break;
		case 'm':
			o->max_message = strtoul(optarg, &end, 10);
			if (*end != '\0' || o->max_message < 1024)
				return -1;
			break;
		case 'L':
			if (log_level_parse(optarg, &a->level) != 0)
				return -1;
			break;
		case 'f':	/* N or N/s */
			o->feeder_rate = strtod(optarg, &end);
			if ((*end != '\0' && strcmp(end, "/s") != 0) ||
			    o->feeder_rate <= 0)
				return -1;
			break;
		case 'B':
			o->feeder_burst = strtod(optarg, &end);
			if (*end != '\0' || o->feeder_burst < 1)
				return -1;
			break;
		default:
			return -1;
		}
	return optind == argc ? 0 : -1;
}

static int
serve_exec(struct gridline *gl, int argc, char **argv)
{
	struct server_opts	 o = { 0 };
	struct serve_args	 a = { NULL, NULL, NULL, NULL, LOG_INFO, 0 };
	static char		 run_dir[4096], db[4096];
	char			 err[512];

	(void)gl;
	if (serve_parse(argc, argv, &o, &a) != 0)
		return cli_usage(&sub_serve);
	/* the clock starts now, before a daemon's fork (the monotonic clock
	 * it runs on goes on in the child) */
	if (a.clock != NULL && glclock_parse(a.clock, &o.clock, err,
	    sizeof err) != 0) {
		fprintf(stderr, "gridline serve: %s\n", err);
		return EXIT_USAGE;
	}
	rundir_resolve(a.run_dir, run_dir, sizeof run_dir);
	rundir_db_resolve(a.db, db, sizeof db);
	o.run_dir = run_dir;
	o.db = db;
	o.data_dir = cli_data_dir(o.data_dir);
	if (a.daemon && a.log == NULL) {
		static char	logpath[4200];

		if (rundir_prepare(run_dir, err, sizeof err) != 0) {
			fprintf(stderr, "gridline serve: %s\n", err);
			return EXIT_FAIL;
		}
		snprintf(logpath, sizeof logpath, "%s/server.log", run_dir);
		a.log = logpath;
	}
	if (log_open(a.log, a.level) != 0) {
		fprintf(stderr, "gridline serve: cannot open log %s: %s\n",
		    a.log, strerror(errno));
		return EXIT_FAIL;
	}
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit (ulimit -f) must fail the write with EFBIG, which
	 * SQLite reports and the batch answers store_failed, not kill us. */
	signal(SIGXFSZ, SIG_IGN);
	if (a.daemon)
		return serve_daemon(&o, run_dir);
	return serve_run(&o, -1);
}

const struct subcmd sub_serve = {
	"serve", "[--db PATH] [--run-dir DIR] [--data DIR] [--ingest URL] "
	"[--max-message N] [--log FILE] [--log-level L] [--daemon] "
	"[--training] [--create] [--feeder-rate N/s] [--feeder-burst N] "
	"[--clock TIME[,xSPEED]] [--scenario TITLE]",
	N_("run the server: incidents in, events out, commands in"),
	serve_exec
};
