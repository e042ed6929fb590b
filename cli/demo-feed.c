/*
 * demo-feed.c: the live demo (see demo.h).
 *
 * The feeder is a child process with its own REQ socket, sending one
 * report every one to four seconds, picked from a small table of everyday
 * matters and placed on grids spread over the city's districts, and
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

struct demo_matter {
	const char	*category;
	const char	*summary;
};

static const struct demo_matter demo_matters[] = {
	{ "1103", "路口窨井盖缺失，夜间有行人绊倒风险" },
	{ "1105", "小区门口路灯连续三晚不亮" },
	{ "1302", "流动摊贩占道经营，堵塞人行道" },
	{ "1201", "雨水口被落叶堵塞，路面积水" },
	{ "1801", "楼上漏水引发邻里纠纷，双方争执" },
	{ "1401", "屋顶违法搭建彩钢棚" },
	{ "1304", "沿街店铺广告牌设置不规范" },
	{ "1702", "学校门口无证食品摊点" },
	{ "1501", "大风后行道树倒伏，压住非机动车道" },
	{ "1203", "下雨后道路低洼处积水约二十公分" },
	{ "1903", "工地夜间施工噪声扰民" },
	{ "1804", "机动车乱停放堵塞消防通道" },
};

#define NMATTERS (sizeof demo_matters / sizeof demo_matters[0])

/* One report as JSON, on a grid picked from the data. */
static int
demo_report(const struct refdata *rd, long seq, char *buf, size_t len)
{
	const struct demo_matter *m = &demo_matters[(size_t)rand() % NMATTERS];
	size_t		 ng = refdata_level_count(rd, JL_GRID);
	const struct juris *g = refdata_level_at(rd, JL_GRID,
			    (size_t)rand() % (ng ? ng : 1));
	char		 when[40];

	gltime_format(time(NULL) - 60, GLTIME_CHINA, when, sizeof when);
	return snprintf(buf, len, "{\"id\":\"demo-%ld-%ld\",\"grid\":\"%s\","
	    "\"category\":\"%s\",\"reported_at\":\"%s\",\"summary\":\"%s\","
	    "\"source\":\"grid-app\",\"reporter\":\"网格员%ld\"}",
	    (long)getpid(), seq, g != NULL ? g->code : "", m->category, when,
	    m->summary, 1 + seq % 40);
}

/* The feeder's life: report, play the agencies, wait, until killed. */
static void
demo_feeder(const struct refdata *rd, const char *run_dir,
    const char *admin_key)
{
	struct demo_agencies *ag = demo_agencies_open(run_dir, admin_key);
	char	url[4200], buf[1024], *rep;
	int	s = nn_socket(AF_SP, NN_REQ), tmo = 5000, n;
	long	seq;

	srand((unsigned)getpid());
	rundir_url(run_dir, RUNDIR_INGEST, url, sizeof url);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo);
	nn_connect(s, url);
	for (seq = 0;; seq++) {
		n = demo_report(rd, seq, buf, sizeof buf);
		if (nn_send(s, buf, (size_t)n, 0) >= 0 &&
		    nn_recv(s, &rep, NN_MSG, 0) >= 0)
			nn_freemsg(rep);
		demo_agencies_tick(ag);
		sleep(seq < 5 ? 1 : 1 + (unsigned)(rand() % 4));
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
demo_live(struct gridline *gl)
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
	if (cli_bootstrap(gl, run_dir, dir, cli_login(), &id, err,
	    sizeof err) != 1)
		fprintf(stderr, "gridline demo: no operators (%s): the console "
		    "runs unsigned\n", err);
	snprintf(key, sizeof key, "%s/key", dir);
	snprintf(admin_key, sizeof admin_key, "%s/admin.key", dir);
	if ((feeder = fork()) == 0) {
		demo_feeder(rd, run_dir, admin_key);
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
