/*
 * demo-feed.c: the live demo (see demo.h).
 *
 * The feeder is a child process with its own REQ socket, sending the
 * simulator's incidents (core/sim.c, scenario normal, seeded from the
 * clock so each demo differs): the first at once, so the console looks
 * alive within two seconds, then --rate a second (default 0.5), and
 * playing the agencies the cases are dispatched to (demo-agency.c). It
 * speaks the ingest and control protocols like any handset and agency
 * console would; nothing here bypasses the server. The demo's database
 * gets its own operators (cli_bootstrap), keys in the demo's directory:
 * the user at the console is its supervisor. Everything lives in a temporary directory removed on exit, so
 * the demo never touches a real database.
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "demo.h"
#include "gltime.h"
#include "refdata.h"
#include "rundir.h"
#include "sim.h"

/* The feeder's life: a report at once, then one every 1/rate seconds,
 * playing the agencies about once a second, until killed. */
static void
demo_feeder(const struct refdata *rd, const char *run_dir,
    const char *admin_key, double rate)
{
	struct demo_agencies *ag = demo_agencies_open(run_dir, admin_key);
	struct sim_opts	 o = { 0, SIM_NORMAL, "demo" };
	struct sim	*sim;
	char		 url[4200], err[512], *item, *rep;
	int		 s = nn_socket(AF_SP, NN_REQ), tmo = 5000;
	time_t		 ticked = 0;

	o.seed = (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	if (sim_new(rd, cli_data_dir(NULL), &o, &sim, err, sizeof err) != 0) {
		fprintf(stderr, "gridline demo: %s\n", err);
		return;
	}
	rundir_url(run_dir, RUNDIR_INGEST, url, sizeof url);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo);
	nn_connect(s, url);
	for (;;) {
		if (sim_next(sim, time(NULL), &item) == 0) {
			if (nn_send(s, item, strlen(item), 0) >= 0 &&
			    nn_recv(s, &rep, NN_MSG, 0) >= 0)
				nn_freemsg(rep);
			free(item);
		}
		if (time(NULL) != ticked) {
			demo_agencies_tick(ag);
			ticked = time(NULL);
		}
		usleep((useconds_t)(1e6 / rate));
	}
}

static int
demo_start_server(const char *exe, const char *dir, const char *run_dir)
{
	char	cmd[8192];

	snprintf(cmd, sizeof cmd, "'%s' serve --daemon --run-dir '%s' --db "
	    "'%s/demo.db' --log '%s/server.log'", exe, run_dir, dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Stop the server and wait (bounded) until its lock is free. */
static void
demo_stop_server(const char *run_dir)
{
	char	path[4200], pid[32] = "";
	FILE	*fp;
	int	i;

	snprintf(path, sizeof path, "%s/%s", run_dir, RUNDIR_LOCK);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(pid, sizeof pid, fp) != NULL && atol(pid) > 0)
			kill((pid_t)atol(pid), SIGTERM);
		fclose(fp);
	}
	for (i = 0; i < 100 && rundir_locked(run_dir); i++)
		usleep(50000);
}

int
demo_live(struct gridline *gl, double rate)
{
	struct refdata	*rd;
	char		 dir[] = "/tmp/gridline-demo.XXXXXX", run_dir[64];
	char		 exe[4096], cmd[4200], key[128], admin_key[128];
	char		 err[512] = "";
	struct sign_id	 id;
	ssize_t		 n;
	pid_t		 feeder;
	int		 ex;

	if ((ex = cli_load(gl, cli_data_dir(NULL), &rd)) != EXIT_OK)
		return ex;
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) < 0 ||
	    mkdtemp(dir) == NULL) {
		perror("gridline demo");
		refdata_free(rd);
		return EXIT_FAIL;
	}
	exe[n] = '\0';
	snprintf(run_dir, sizeof run_dir, "%s/run", dir);
	if (demo_start_server(exe, dir, run_dir) != 0) {
		fprintf(stderr, "gridline demo: the scratch server did not "
		    "start (see %s/server.log)\n", dir);
		refdata_free(rd);
		return EXIT_FAIL;
	}
	/* the demo's own operators, keys in its directory: an admin (whom
	 * the feeder signs as to add the agencies it plays) and the user as
	 * supervisor, whom the console signs as */
	if (cli_bootstrap(gl, run_dir, dir, cli_login(), "supervisor", &id, err,
	    sizeof err) != 1)
		fprintf(stderr, "gridline demo: no operators (%s): the console "
		    "runs unsigned\n", err);
	snprintf(key, sizeof key, "%s/key", dir);
	snprintf(admin_key, sizeof admin_key, "%s/admin.key", dir);
	if ((feeder = fork()) == 0) {
		demo_feeder(rd, run_dir, admin_key, rate);
		_exit(0);
	}
	ex = sub_console_run(gl, run_dir, "demo", access(key, F_OK) == 0 ?
	    key : NULL, 0, 0);
	if (feeder > 0) {
		kill(feeder, SIGTERM);
		waitpid(feeder, NULL, 0);
	}
	demo_stop_server(run_dir);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "gridline demo: could not remove %s\n", dir);
	refdata_free(rd);
	return ex;
}
