/*
 * train.c: training sessions (train.h): where they live, their key/value
 * file, and the verbs that run one: start, inject, stop, list. Scoring is
 * train-score.c.
 *
 * A session runs as three processes of its own: the training server
 * (serve --daemon --training, on the scenario's clock at the chosen
 * speed), the replay of the scenario's incidents (a child of `train
 * start`, detached, sending each incident when the server's clock reaches
 * its time), and the trainee's console. Quitting the console leaves the
 * exercise running, as a dispatcher's console does its server; `train
 * stop` ends it and writes down the clock it ended at, which the score's
 * count of overdue cases is taken at.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "feed.h"
#include "gltime.h"
#include "rundir.h"
#include "scenario.h"
#include "train.h"

extern char **environ;

#define TRAIN_STOP_MS	10000	/* a server's orderly stop, at most */

int
train_usage(const struct train_verb *v)
{
	fprintf(stderr, _("usage: gridline train %s %s\n"), v->name, v->args);
	return EXIT_USAGE;
}

void
train_root(char *buf, size_t len)
{
	char	home[TRAIN_PATH];

	rundir_data_home(home, sizeof home);
	snprintf(buf, len, "%.3900s/training", home);
}

void
train_run_dir(const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%.3900s/run", dir);
}

void
train_db(const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%.3900s/training.db", dir);
}

/* The current session's name into buf: 0, or -1 when none. */
static int
train_current(char *buf, size_t len)
{
	char	path[TRAIN_PATH];
	FILE	*fp;
	int	 ok;

	train_root(path, sizeof path);
	strncat(path, "/current", sizeof path - strlen(path) - 1);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	ok = fgets(buf, (int)len, fp) != NULL;
	fclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0] != '\0' ? 0 : -1;
}

static int
train_set_current(const char *name)
{
	char	path[TRAIN_PATH];
	FILE	*fp;

	train_root(path, sizeof path);
	strncat(path, "/current", sizeof path - strlen(path) - 1);
	if (name == NULL)
		return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fprintf(fp, "%s\n", name);
	return fclose(fp);
}

/* The newest session kept (by its file's time), into buf: 0, or -1. */
static int
train_latest(char *buf, size_t len)
{
	char		 root[TRAIN_PATH], path[TRAIN_PATH];
	struct dirent	*e;
	struct stat	 sb;
	time_t		 best = 0;
	DIR		*dp;

	train_root(root, sizeof root);
	if ((dp = opendir(root)) == NULL)
		return -1;
	while ((e = readdir(dp)) != NULL) {
		snprintf(path, sizeof path, "%.3700s/%.255s/session.tsv", root,
		    e->d_name);
		if (e->d_name[0] != '.' && stat(path, &sb) == 0 &&
		    sb.st_mtime >= best) {
			best = sb.st_mtime;
			snprintf(buf, len, "%s", e->d_name);
		}
	}
	closedir(dp);
	return best != 0 ? 0 : -1;
}

int
train_session_dir(const char *name, char *dir, size_t len)
{
	char		root[TRAIN_PATH], cur[256];
	struct stat	sb;

	if (name == NULL) {
		if (train_current(cur, sizeof cur) != 0 &&
		    train_latest(cur, sizeof cur) != 0) {
			fprintf(stderr, _("gridline train: no session runs "
			    "(gridline train start SCENARIO begins one; "
			    "train list shows those kept)\n"));
			return -1;
		}
		name = cur;
	}
	train_root(root, sizeof root);
	if (strchr(name, '/') != NULL)
		snprintf(dir, len, "%s", name);
	else
		snprintf(dir, len, "%.3900s/%s", root, name);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, _("gridline train: no session %s (train list "
		    "shows those kept)\n"), name);
		return -1;
	}
	return 0;
}

/* --- the session's key/value file ------------------------------------------ */

int
train_get(const char *dir, const char *key, char *buf, size_t len)
{
	char	path[TRAIN_PATH], line[TRAIN_PATH], *tab;
	FILE	*fp;
	int	 rc = -1;

	snprintf(path, sizeof path, "%.3900s/session.tsv", dir);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (rc != 0 && fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		if (strcmp(line, key) == 0) {
			snprintf(buf, len, "%s", tab + 1);
			rc = 0;
		}
	}
	fclose(fp);
	return rc;
}

int
train_put(const char *dir, const char *const *pairs)
{
	char	path[TRAIN_PATH], tmp[TRAIN_PATH];
	FILE	*fp;
	size_t	 i;

	snprintf(path, sizeof path, "%.3900s/session.tsv", dir);
	snprintf(tmp, sizeof tmp, "%.3900s.new", path);
	if ((fp = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(fp, "key\tvalue\n");
	for (i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
		fprintf(fp, "%s\t%s\n", pairs[i], pairs[i + 1]);
	if (fclose(fp) != 0)
		return -1;
	return rename(tmp, path);
}

int
train_set(const char *dir, const char *key, const char *value)
{
	static const char *const keys[] = { "scenario", "title", "clock",
	    "speed", "trainee", "replay", "stopped", NULL };
	char		 vals[7][512];
	const char	*pairs[16];
	size_t		 i, n = 0;

	for (i = 0; keys[i] != NULL; i++) {
		if (strcmp(keys[i], key) == 0)
			snprintf(vals[i], sizeof vals[i], "%s", value);
		else if (train_get(dir, keys[i], vals[i], sizeof vals[i]) != 0)
			continue;
		pairs[n++] = keys[i];
		pairs[n++] = vals[i];
	}
	pairs[n] = NULL;
	return train_put(dir, pairs);
}

/* --- start ------------------------------------------------------------------- */

/* Copy file name from src to dst (directories). */
static int
train_copy(const char *src, const char *dst, const char *name)
{
	char	from[TRAIN_PATH], to[TRAIN_PATH], buf[8192];
	FILE	*in, *out;
	size_t	 n;
	int	 rc = 0;

	snprintf(from, sizeof from, "%.3900s/%s", src, name);
	snprintf(to, sizeof to, "%.3900s/%s", dst, name);
	if ((in = fopen(from, "r")) == NULL)
		return -1;
	if ((out = fopen(to, "w")) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	fclose(in);
	return fclose(out) != 0 ? -1 : rc;
}

/* This program, for the server and the replay. */
static void
train_exe(char *buf, size_t len)
{
	ssize_t	n = readlink("/proc/self/exe", buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
}

/* The training server of session dir on the scenario's clock at speed:
 * serve --daemon returns once it serves. 0, or -1 said. */
static int
train_serve(const char *dir, const char *data, const struct scenario *sc,
    const char *speed)
{
	char	exe[TRAIN_PATH], run[TRAIN_PATH], db[TRAIN_PATH], clk[128], log[TRAIN_PATH];
	char	*argv[] = { exe, "serve", "--daemon", "--training",
		    "--run-dir", run, "--db", db, "--clock", clk, "--data",
		    (char *)data, "--log", log, "--scenario", sc->title, NULL };
	pid_t	pid;
	int	status = 0, rc;

	train_exe(exe, sizeof exe);
	train_run_dir(dir, run, sizeof run);
	train_db(dir, db, sizeof db);
	snprintf(clk, sizeof clk, "%s,x%s", sc->clock_text, speed);
	snprintf(log, sizeof log, "%.3900s/server.log", dir);
	if ((rc = posix_spawn(&pid, exe, NULL, NULL, argv, environ)) != 0) {
		fprintf(stderr, "gridline train: cannot start %s serve: %s\n",
		    exe, strerror(rc));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The replay of the scenario's incidents, in a child of its own that
 * outlives us: the first one when the server's clock reaches its time,
 * the rest at their spacing divided by speed. Its pid, or -1. */
static pid_t
train_replay(struct gridline *gl, const char *dir, const struct scenario *sc,
    double speed)
{
	struct feed_target	 t = { NULL, NULL, NULL };
	struct feed_opts	 o = { "train replay", NULL, FEED_BATCH, -1,
				    FEED_TIMEOUT_MS };
	struct feed_lines	 l;
	struct timespec		 ts;
	char			 run[TRAIN_PATH], path[TRAIN_PATH], log[TRAIN_PATH];
	double			 wait;
	pid_t			 pid;

	if ((pid = fork()) != 0)
		return pid;
	setsid();
	snprintf(log, sizeof log, "%.3900s/replay.log", dir);
	if (freopen(log, "a", stdout) == NULL ||
	    freopen(log, "a", stderr) == NULL)
		_exit(EXIT_FAIL);
	wait = sc->n > 0 ? (double)(sc->v[0].at - sc->clock) / speed : 0;
	ts.tv_sec = (time_t)wait;
	ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	train_run_dir(dir, run, sizeof run);
	t.run_dir = run;
	memset(&l, 0, sizeof l);
	l.speed = speed;
	l.need_at = 1;
	snprintf(path, sizeof path, "%.3900s/incidents.jsonl", dir);
	_exit(feed_lines_run(gl, &t, &o, &l, path, 0));
}

struct start_args {
	const char	*scenario, *trainee, *script, *data;
	char		 speed[32];
	int		 no_console;
};

static int
start_parse(int argc, char **argv, struct start_args *a)
{
	static const struct option opts[] = {
		{ "speed",	required_argument, NULL, 's' },
		{ "trainee",	required_argument, NULL, 't' },
		{ "script",	required_argument, NULL, 'S' },
		{ "data",	required_argument, NULL, 'D' },
		{ "no-console",	no_argument,	   NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	double	v;
	char	*end;
	int	 c;

	optind = 1;
	snprintf(a->speed, sizeof a->speed, "1");
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (c) {
		case 's':
			v = strtod(optarg, &end);
			if (*end != '\0' || !(v > 0) || v > 10000) {
				fprintf(stderr, _("gridline train start: "
				    "--speed is a number above 0, at most "
				    "10000 (60: a minute a second)\n"));
				return -1;
			}
			snprintf(a->speed, sizeof a->speed, "%s", optarg);
			break;
		case 't': a->trainee = optarg; break;
		case 'S': a->script = optarg; break;
		case 'D': a->data = optarg; break;
		case 'n': a->no_console = 1; break;
		default: return -1;
		}
	if (optind + 1 != argc)
		return -1;
	a->scenario = argv[optind];
	return 0;
}

/* Load and check the scenario: problems printed. */
static struct scenario *
start_scenario(struct gridline *gl, const char *data, const char *name)
{
	struct refdata	*rd;
	struct scenario	*sc = NULL;
	struct diag	 d;
	char		 path[TRAIN_PATH], line[2048];
	size_t		 i;

	if (cli_load(gl, data, &rd) != 0)
		return NULL;
	scenario_path(data, name, path, sizeof path);
	diag_init(&d);
	if (access(path, R_OK) != 0)
		fprintf(stderr, _("gridline train: no scenario %s (the "
		    "scenarios are in %s/scenarios)\n"), name, data);
	else if (scenario_load(path, rd, &sc, &d) != 0)
		fprintf(stderr, _("gridline train: scenario %s: %zu "
		    "problems\n"), name, d.n);
	for (i = 0; i < d.n; i++) {
		diag_format(&d, i, line, sizeof line);
		cli_vis_put(stderr, line, 0);
		fputc('\n', stderr);
	}
	diag_free(&d);
	refdata_free(rd);
	return sc;
}

/* No session may be running already: two exercises on one trainee's
 * desk would interleave. */
static int
start_none_running(void)
{
	char	cur[256], dir[TRAIN_PATH], run[TRAIN_PATH];

	if (train_current(cur, sizeof cur) != 0)
		return 0;
	train_root(dir, sizeof dir);
	strncat(dir, "/", sizeof dir - strlen(dir) - 1);
	strncat(dir, cur, sizeof dir - strlen(dir) - 1);
	train_run_dir(dir, run, sizeof run);
	if (!rundir_locked(run))
		return 0;
	fprintf(stderr, _("gridline train: session %s runs: gridline train "
	    "stop ends it\n"), cur);
	return -1;
}

static int
start_exec(struct gridline *gl, int argc, char **argv)
{
	struct start_args	 a = { 0 };
	struct scenario		*sc;
	struct sign_id		 id;
	char			 root[TRAIN_PATH], dir[TRAIN_PATH], name[512], stamp[32];
	char			 run[TRAIN_PATH], pidtext[32], err[1024], key[TRAIN_PATH];
	const char		*data, *pairs[16];
	time_t			 now = time(NULL);
	pid_t			 replay;
	int			 rc;

	if (start_parse(argc, argv, &a) != 0)
		return train_usage(&train_verb_start);
	data = cli_data_dir(a.data);
	if ((sc = start_scenario(gl, data, a.scenario)) == NULL)
		return EXIT_FAIL;
	if (start_none_running() != 0) {
		scenario_free(sc);
		return EXIT_FAIL;
	}
	gltime_local_ymd(now, GLTIME_CHINA, stamp);
	snprintf(name, sizeof name, "%s-%s-%02d%02d%02d", sc->name, stamp,
	    (int)((now + GLTIME_CHINA) / 3600 % 24),
	    (int)(now / 60 % 60), (int)(now % 60));
	train_root(root, sizeof root);
	snprintf(dir, sizeof dir, "%.3500s/%.500s", root, name);
	if (rundir_mkdirs(dir) < 0 || train_copy(sc->dir, dir,
	    "scenario.tsv") != 0 || train_copy(sc->dir, dir,
	    "incidents.jsonl") != 0 || train_copy(sc->dir, dir,
	    "expected.tsv") != 0) {
		fprintf(stderr, "gridline train: %s: %s\n", dir,
		    strerror(errno));
		scenario_free(sc);
		return EXIT_FAIL;
	}
	pairs[0] = "scenario", pairs[1] = sc->name;
	pairs[2] = "title", pairs[3] = sc->title;
	pairs[4] = "clock", pairs[5] = sc->clock_text;
	pairs[6] = "speed", pairs[7] = a.speed;
	pairs[8] = "trainee", pairs[9] = a.trainee ? a.trainee : cli_login();
	pairs[10] = NULL;
	train_run_dir(dir, run, sizeof run);
	if (train_put(dir, pairs) != 0 || train_serve(dir, data, sc,
	    a.speed) != 0) {
		fprintf(stderr, _("gridline train: the training server did "
		    "not start (see %s/server.log)\n"), dir);
		scenario_free(sc);
		return EXIT_FAIL;
	}
	if (cli_bootstrap(gl, run, dir, pairs[9], "trainee", &id, err,
	    sizeof err) < 0) {
		fprintf(stderr, "gridline train: %s\n", err);
		scenario_free(sc);
		return EXIT_FAIL;
	}
	train_set_current(name);
	replay = train_replay(gl, dir, sc, strtod(a.speed, NULL));
	snprintf(pidtext, sizeof pidtext, "%ld", (long)replay);
	train_set(dir, "replay", pidtext);
	printf(_("training session %s: %s (%s), %zu incidents from %s at "
	    "x%s; trainee %s\n"), name, sc->title, sc->name, sc->n,
	    sc->clock_text, a.speed, pairs[9]);
	fflush(stdout);
	scenario_free(sc);
	rc = EXIT_OK;
	if (!a.no_console || a.script != NULL) {
		snprintf(key, sizeof key, "%.3900s/key", dir);
		sub_console_set_script(a.script);
		rc = sub_console_run(gl, run, NULL, key, 0, 0);
		printf(_("the exercise goes on: gridline train stop ends it, "
		    "gridline train score scores it\n"));
	}
	return rc;
}

const struct train_verb train_verb_start = {
	"start", "SCENARIO [--speed X] [--trainee NAME] [--script FILE] "
	"[--no-console] [--data DIR]", start_exec
};

/* --- inject --------------------------------------------------------------- */

static int
inject_exec(struct gridline *gl, int argc, char **argv)
{
	struct feed_target	 t = { NULL, NULL, NULL };
	struct feed_opts	 o = { "train inject", NULL, FEED_BATCH, -1,
				    FEED_TIMEOUT_MS };
	struct feed_lines	 l;
	char			 dir[TRAIN_PATH], run[TRAIN_PATH];

	(void)gl;
	if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
		return train_usage(&train_verb_inject);
	if (train_session_dir(NULL, dir, sizeof dir) != 0)
		return EXIT_FAIL;
	train_run_dir(dir, run, sizeof run);
	t.run_dir = run;
	memset(&l, 0, sizeof l);	/* speed 0: every line now */
	return feed_lines_run(gl, &t, &o, &l, argv[1], 0);
}

const struct train_verb train_verb_inject = {
	"inject", "FILE|-", inject_exec
};

/* --- stop ------------------------------------------------------------------- */

/* The server's clock, as its status says, into buf; "" when it does not
 * answer. Signed with the session's admin key. */
static void
stop_clock(struct gridline *gl, const char *dir, const char *run, char *buf,
    size_t len)
{
	struct sign_id	 id;
	char		 key[TRAIN_PATH], err[512];
	json_t		*req = json_pack("{s:s}", "op", "status"), *rep = NULL;

	buf[0] = '\0';
	snprintf(key, sizeof key, "%.3900s/admin.key", dir);
	if (cli_identity(key, NULL, &id, err, sizeof err) == 1 &&
	    cli_ask(gl, run, 0, &id, req, &rep) == EXIT_OK)
		snprintf(buf, len, "%s", json_string_value(json_object_get(
		    rep, "now")) ? json_string_value(json_object_get(rep,
		    "now")) : "");
	json_decref(req);
	json_decref(rep);
}

/* SIGTERM to the server holding run's lock, and wait for it to go. */
static int
stop_server(const char *run)
{
	char	path[TRAIN_PATH], text[32] = "";
	FILE	*fp;
	pid_t	 pid;
	int	 waited;

	snprintf(path, sizeof path, "%.3900s/lock", run);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(text, sizeof text, fp) == NULL)
		text[0] = '\0';
	fclose(fp);
	if ((pid = (pid_t)strtol(text, NULL, 10)) <= 0 || !rundir_locked(run))
		return 0;
	kill(pid, SIGTERM);
	for (waited = 0; waited < TRAIN_STOP_MS && rundir_locked(run);
	    waited += 50)
		usleep(50 * 1000);
	return rundir_locked(run) ? -1 : 0;
}

static int
stop_exec(struct gridline *gl, int argc, char **argv)
{
	char	dir[TRAIN_PATH], run[TRAIN_PATH], now[64], pid[32], cur[256];
	const char *base;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return train_usage(&train_verb_stop);
	if (train_session_dir(argc == 2 ? argv[1] : NULL, dir,
	    sizeof dir) != 0)
		return EXIT_FAIL;
	train_run_dir(dir, run, sizeof run);
	if (train_get(dir, "replay", pid, sizeof pid) == 0 &&
	    strtol(pid, NULL, 10) > 0)
		kill((pid_t)strtol(pid, NULL, 10), SIGTERM);
	if (rundir_locked(run)) {
		stop_clock(gl, dir, run, now, sizeof now);
		if (now[0] != '\0')
			train_set(dir, "stopped", now);
		if (stop_server(run) != 0) {
			fprintf(stderr, _("gridline train: the training "
			    "server of %s did not stop\n"), dir);
			return EXIT_FAIL;
		}
	}
	base = strrchr(dir, '/') != NULL ? strrchr(dir, '/') + 1 : dir;
	if (train_current(cur, sizeof cur) == 0 && strcmp(cur, base) == 0)
		train_set_current(NULL);
	printf(_("session %s ended and kept: gridline train score %s\n"),
	    base, base);
	return EXIT_OK;
}

const struct train_verb train_verb_stop = {
	"stop", "[SESSION]", stop_exec
};
