/*
 * test-server.c: end-to-end tests of `gridline serve` through its real
 * sockets (issue 4, "Tests").
 *
 * The group setup forks and execs the built binary ($GRIDLINE) on a fresh
 * scratch directory, with GRIDLINE_DATA taken from $GL_DATA, and waits
 * (bounded) until control.sock answers {"op":"status"}. Every test then
 * speaks to it as a feeder or a console would: REQ sockets on ingest.sock
 * and control.sock, a SUB socket on events.sock, all with send and receive
 * timeouts so that a stuck server fails a test instead of hanging it. The
 * group teardown sends SIGTERM and requires exit status 0 within 10 s
 * (SIGKILL and a failure otherwise), then removes the directory. A test
 * that starts a server of its own (a second one on the same run directory,
 * one on a copy of the data) records it in the fixture, and its per-test
 * teardown kills it even when an assertion failed half-way. On Linux every
 * child also gets PR_SET_PDEATHSIG, so a test killed from outside leaves no
 * server behind.
 *
 * One server serves every test, so tests must not step on each other: each
 * uses its own sender ids and its own reported_at hours (days apart, all in
 * the past relative to the clock), because two reports of the same grid and
 * category within 30 minutes are flagged as duplicates. Expectations come
 * from issue 4, docs/PROTOCOL.md and net/wire.h (error codes), never from
 * the server's own output. Tables hold the inputs where a test has many:
 * the bad-input battery and the control errors; a failing row is printed
 * with the reply before the test fails.
 *
 * Besides the issue's list (round trip, mixed array, resend, duplicate
 * flag, bad-input battery with the dead-letter table, events and their seq,
 * conflict, control errors, second server, SIGHUP) the tests cover what the
 * issue promises elsewhere: optional fields, the too_many_items and
 * reject-body limits, a locked database, SIGTERM with a batch in flight
 * and SIGINT, --ingest on TCP and --max-message, a quiet log.
 *
 * Tests that failed on the product when written (each names the rule it
 * checks; see the report of 2026-11-25): test_ingest_duplicate_chain
 * (store-case.c skips every earlier case that is itself a duplicate),
 * test_reject_amplification (server.c keeps the whole request with every
 * bad item), test_locked_db (code busy where PROTOCOL.md says
 * store_failed), test_reject_endpoint (every reject names the ipc socket).
 *
 * Rejected: linking the server into this process (server_open on a loop of
 * our own) would test less: the real binary, its option parsing, signals,
 * lock and exit status are what a deployment runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>

#include "gltime.h"
#include "key.h"
#include "sign.h"
#include "testutil.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define TIMEOUT_MS	5000		/* any one request */
#define READY_MS	5000		/* a server starting */
#define STOP_MS		10000		/* a server stopping on SIGTERM */
#define GRID		"330203003001001"	/* 海曙区 西门街道 */
#define GRID2		"330203003002001"
#define CAT		"1103"		/* 窨井盖缺失, lead 330203.ZF */
#define CAT2		"1105"
#define CAT3		"1302"
#define HOUR		3600L
#define DAY		86400L

extern char **environ;

/* A server process and its scratch places. */
struct srv {
	char	 dir[512];		/* the scratch root, "" when none */
	char	 run[600], db[600], log[600];
	pid_t	 pid;			/* 0 when not running */
};

/* The group fixture. */
struct fx {
	struct srv	 main;		/* serves every test */
	struct srv	 extra;		/* a test's own server, killed after */
	int		 ctl, ing;	/* REQ sockets to main */
	pid_t		 helper;	/* a test's helper, killed after */
	time_t		 t0;		/* start of the test run */
};

/* --- small helpers -------------------------------------------------------- */

static long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* t as RFC 3339 in UTC+8, the way the server shows times. */
static const char *
fmt_time(time_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		local = t + 8 * HOUR;

	gmtime_r(&local, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
	return buf;
}

/* A reported_at for a test: `days` days before the run, at `min` minutes
 * past a whole hour; distinct days keep tests out of each other's
 * duplicate window. */
static time_t
past(const struct fx *f, int days, int min)
{
	time_t	t = f->t0 - days * DAY;

	return t - t % HOUR + min * 60L;
}

static void
jprint(const char *what, json_t *j)
{
	char	*s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	fprintf(stderr, "  %s: %.2000s\n", what, s != NULL ? s : "(null)");
	free(s);
}

/* Fail the test, showing the reply, when c is false. */
#define REQUIRE(c, j) do {						\
	if (!(c)) {							\
		jprint("reply", (j));					\
		fail_msg("%s:%d: %s", __FILE__, __LINE__, #c);		\
	}								\
} while (0)

static const char *
jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long
jint(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static int
jtrue(json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* 1 when file path contains needle. */
static int
file_has(const char *path, const char *needle)
{
	FILE	*fp = fopen(path, "r");
	char	 line[4096];
	int	 found = 0;

	if (fp == NULL)
		return 0;
	while (!found && fgets(line, sizeof line, fp) != NULL)
		found = strstr(line, needle) != NULL;
	fclose(fp);
	return found;
}

/* Wait (bounded) until path contains needle. */
static int
file_wait_for(const char *path, const char *needle, int ms)
{
	long long	end = now_ms() + ms;

	while (!file_has(path, needle)) {
		if (now_ms() > end)
			return 0;
		sleep_ms(20);
	}
	return 1;
}

/* --- sockets -------------------------------------------------------------- */

static void
sock_timeouts(int s, int ms)
{
	nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, &ms, sizeof ms);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &ms, sizeof ms);
}

/* A REQ socket connected to run/name, or -1. */
static int
req_open(const char *run, const char *name, int ms)
{
	char	url[700];
	int	s, unlimited = -1;

	snprintf(url, sizeof url, "ipc://%s/%s", run, name);
	if ((s = nn_socket(AF_SP, NN_REQ)) < 0)
		return -1;
	sock_timeouts(s, ms);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &unlimited,
	    sizeof unlimited);
	if (nn_connect(s, url) < 0) {
		nn_close(s);
		return -1;
	}
	return s;
}

/* Receive one message as JSON; NULL on timeout or junk (with a note,
 * unless quiet). */
static json_t *
sock_recv_jsonq(int s, int quiet)
{
	json_error_t	 jerr;
	json_t		*j;
	char		*buf = NULL;
	int		 n;

	if ((n = nn_recv(s, &buf, NN_MSG, 0)) < 0) {
		if (!quiet)
			fprintf(stderr, "  no reply: %s\n",
			    nn_strerror(nn_errno()));
		return NULL;
	}
	if ((j = json_loadb(buf, (size_t)n, 0, &jerr)) == NULL)
		fprintf(stderr, "  reply is not JSON (%s): %.*s\n", jerr.text,
		    n > 500 ? 500 : n, buf);
	nn_freemsg(buf);
	return j;
}

static json_t *
sock_recv_json(int s)
{
	return sock_recv_jsonq(s, 0);
}

/* One request of len bytes, its reply as JSON or NULL. */
static json_t *
rpc(int s, const void *buf, size_t len)
{
	if (nn_send(s, buf, len, 0) < 0) {
		fprintf(stderr, "  cannot send: %s\n", nn_strerror(nn_errno()));
		return NULL;
	}
	return sock_recv_json(s);
}

static json_t *
rpcs(int s, const char *text)
{
	return rpc(s, text, strlen(text));
}

/* A control request from a printf format. */
static json_t * __attribute__((format(printf, 2, 3)))
ctlf(struct fx *f, const char *fmt, ...)
{
	char	buf[8192];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return rpcs(f->ctl, buf);
}

/* One incident's JSON text (static buffer). */
static const char *
item(const char *id, const char *grid, const char *cat, time_t at,
    const char *summary)
{
	static char	buf[4096];
	char		t[40];

	snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"grid\":\"%s\","
	    "\"category\":\"%s\",\"reported_at\":\"%s\",\"summary\":\"%s\"}",
	    id, grid, cat, fmt_time(at, t, sizeof t), summary);
	return buf;
}

/* Ingest one incident; its case number into no (NULL on failure). */
static json_t *
ingest1(struct fx *f, const char *id, const char *grid, const char *cat,
    time_t at, const char *summary, char *no, size_t nolen)
{
	json_t	*r = rpcs(f->ing, item(id, grid, cat, at, summary));
	json_t	*res = json_array_get(json_object_get(r, "results"), 0);

	if (no != NULL)
		snprintf(no, nolen, "%s", jstr(res, "case") != NULL ?
		    jstr(res, "case") : "");
	return r;
}

static void
status_get(struct fx *f, long long *seq, long long *cases)
{
	json_t	*r = ctlf(f, "{\"op\":\"status\"}");

	REQUIRE(jtrue(r, "ok"), r);
	if (seq != NULL)
		*seq = jint(r, "seq");
	if (cases != NULL)
		*cases = jint(r, "cases");
	json_decref(r);
}

/* The case as control shows it, with its history; fails the test when the
 * case is not there. */
static json_t *
case_get(struct fx *f, const char *no)
{
	json_t	*r = ctlf(f, "{\"op\":\"case\",\"case\":\"%s\"}", no);

	REQUIRE(jtrue(r, "ok") && json_is_object(json_object_get(r, "case")),
	    r);
	return r;
}

/* 1 when r is an error of code (and, when rule is given, params.rule). */
static int
refused(json_t *r, const char *code, const char *rule)
{
	json_t	*e = json_object_get(r, "error");

	return !jtrue(r, "ok") && streq(jstr(e, "code"), code) &&
	    (rule == NULL || streq(jstr(json_object_get(e, "params"),
	    "rule"), rule));
}

/* --- server processes ----------------------------------------------------- */

/* environ without GRIDLINE_DATA/_RUN_DIR/_DB, plus GRIDLINE_DATA=data.
 * Built before fork: the child only execs. Free with env_free. */
static char **
env_with(const char *data)
{
	static const char *const drop[] = { "GRIDLINE_DATA=",
	    "GRIDLINE_RUN_DIR=", "GRIDLINE_DB=" };
	char	**e;
	size_t	 n, i, j, k = 0;
	int	 skip;

	for (n = 0; environ[n] != NULL; n++)
		;
	if ((e = calloc(n + 2, sizeof *e)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		for (skip = 0, j = 0; j < NITEMS(drop); j++)
			skip |= strncmp(environ[i], drop[j],
			    strlen(drop[j])) == 0;
		if (!skip)
			e[k++] = environ[i];
	}
	if ((e[k] = malloc(strlen(data) + 16)) != NULL)
		sprintf(e[k], "GRIDLINE_DATA=%s", data);
	return e;
}

static void
env_free(char **e)
{
	size_t	n;

	if (e == NULL)
		return;
	for (n = 0; e[n] != NULL; n++)
		;
	if (n > 0)
		free(e[n - 1]);
	free(e);
}

static const char *
gridline_bin(void)
{
	const char	*g = getenv("GRIDLINE");

	return g != NULL && g[0] != '\0' ? g : "build/gridline";
}

static const char *
data_dir(void)
{
	return tu_datadir();
}

/* Fork and exec `gridline serve` on s with the options more (NULL or
 * NULL-terminated); with_log: --log s->log, else its stderr goes to errfd
 * (when >= 0). The pid, or -1. */
static pid_t
srv_spawn(struct srv *s, const char *data, int with_log, int errfd,
    char *const *more)
{
	char	*argv[16], **envp;
	int	 a = 0, nul;
	pid_t	 pid;

	argv[a++] = (char *)gridline_bin();
	argv[a++] = "serve";
	argv[a++] = "--run-dir";
	argv[a++] = s->run;
	argv[a++] = "--db";
	argv[a++] = s->db;
	if (with_log) {
		argv[a++] = "--log";
		argv[a++] = s->log;
	}
	while (more != NULL && *more != NULL && a < 15)
		argv[a++] = *more++;
	argv[a] = NULL;
	if ((envp = env_with(data)) == NULL)
		return -1;
	fflush(NULL);
	if ((pid = fork()) == 0) {
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
		if ((nul = open("/dev/null", O_RDWR)) >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
		}
		if (errfd >= 0)
			dup2(errfd, 2);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	env_free(envp);
	return pid;
}

/* Wait for pid to exit, at most ms; its status in *status. 0, or -1 on
 * timeout. */
static int
proc_wait(pid_t pid, int ms, int *status)
{
	long long	end = now_ms() + ms;
	pid_t		r;

	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() > end)
			return -1;
		sleep_ms(10);
	}
}

/* Kill and reap a server (cleanup path). */
static void
srv_kill(struct srv *s)
{
	int	status;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	proc_wait(s->pid, STOP_MS, &status);
	s->pid = 0;
}

/* Wait until s answers status on control.sock. 0, or -1 (exited, or not
 * ready within READY_MS). */
static int
srv_ready(struct srv *s)
{
	long long	 end = now_ms() + READY_MS;
	char		 path[700];
	json_t		*r;
	int		 c, status, ok = 0;

	snprintf(path, sizeof path, "%s/control.sock", s->run);
	while (!ok && now_ms() < end) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			fprintf(stderr, "  server exited while starting "
			    "(status 0x%x); log %s\n", status, s->log);
			s->pid = 0;
			return -1;
		}
		if (access(path, F_OK) != 0) {
			sleep_ms(20);
			continue;
		}
		if ((c = req_open(s->run, "control.sock", 500)) < 0)
			return -1;
		r = rpcs(c, "{\"op\":\"status\"}");
		/* answered: served, or refused unsigned (it has operators) */
		ok = jtrue(r, "ok") || refused(r, "unauthenticated", NULL);
		json_decref(r);
		nn_close(c);
	}
	return ok ? 0 : -1;
}

/* Make scratch places under a new tmp dir and start a server there. */
static int
srv_start_with(struct srv *s, const char *data, char *const *more)
{
	snprintf(s->dir, sizeof s->dir, "%s", tu_tmpdir());
	snprintf(s->run, sizeof s->run, "%s/run", s->dir);
	snprintf(s->db, sizeof s->db, "%s/db", s->dir);
	snprintf(s->log, sizeof s->log, "%s/log", s->dir);
	if ((s->pid = srv_spawn(s, data, 1, -1, more)) < 0) {
		s->pid = 0;
		return -1;
	}
	return srv_ready(s);
}

static int
srv_start(struct srv *s, const char *data)
{
	return srv_start_with(s, data, NULL);
}

/* Send sig (SIGTERM, SIGINT); 0 when the server exited with status 0
 * within STOP_MS. */
static int
srv_stop_sig(struct srv *s, int sig)
{
	int	status = 0;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	if (proc_wait(s->pid, STOP_MS, &status) != 0) {
		fprintf(stderr, "  server %ld did not stop on signal %d within "
		    "%d ms: killed\n", (long)s->pid, sig, STOP_MS);
		srv_kill(s);
		return -1;
	}
	s->pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "  server ended with status 0x%x (log %s)\n",
		    status, s->log);
		return -1;
	}
	return 0;
}

static int
srv_stop(struct srv *s)
{
	return srv_stop_sig(s, SIGTERM);
}

static void
srv_cleanup(struct srv *s)
{
	srv_kill(s);
	if (s->dir[0] != '\0')
		tu_rmtree(s->dir);
	s->dir[0] = '\0';
}

/* --- fixture -------------------------------------------------------------- */

static int
group_setup(void **state)
{
	struct fx	*f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	f->t0 = time(NULL);
	f->ctl = f->ing = -1;
	if (access(gridline_bin(), X_OK) != 0) {
		fprintf(stderr, "GRIDLINE (%s) is not an executable\n",
		    gridline_bin());
		free(f);
		return -1;
	}
	if (srv_start(&f->main, data_dir()) != 0 ||
	    (f->ctl = req_open(f->main.run, "control.sock", TIMEOUT_MS)) < 0 ||
	    (f->ing = req_open(f->main.run, "ingest.sock", TIMEOUT_MS)) < 0) {
		fprintf(stderr, "the server did not start (log %s)\n",
		    f->main.log);
		if (f->ctl >= 0)
			nn_close(f->ctl);
		srv_cleanup(&f->main);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fx	*f = *state;
	int		 rc;

	nn_close(f->ctl);
	nn_close(f->ing);
	srv_cleanup(&f->extra);
	rc = srv_stop(&f->main);
	if (rc != 0) {
		fprintf(stderr, "--- server log:\n");
		fflush(stderr);
		if (fork() == 0) {
			execlp("tail", "tail", "-n", "20", f->main.log,
			    (char *)NULL);
			_exit(1);
		}
		wait(NULL);
	}
	srv_cleanup(&f->main);
	free(f);
	return rc;
}

/* Per test: kill and remove the test's own server, if it left one. */
static int
extra_teardown(void **state)
{
	struct fx	*f = *state;
	int		 status;

	srv_cleanup(&f->extra);
	if (f->helper > 0) {
		kill(f->helper, SIGKILL);
		proc_wait(f->helper, STOP_MS, &status);
		f->helper = 0;
	}
	return 0;
}

/* --- ingest --------------------------------------------------------------- */

static int
case_no_valid(const char *no)
{
	regex_t	re;
	int	ok;

	if (no == NULL || regcomp(&re, "^[0-9]{6}-[0-9]{8}-[0-9]{5}$",
	    REG_EXTENDED | REG_NOSUB) != 0)
		return 0;
	ok = regexec(&re, no, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* The case number's date: the creation day in UTC+8. */
static void
local_date(time_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		local = t + 8 * HOUR;

	gmtime_r(&local, &tm);
	strftime(buf, len, "%Y%m%d", &tm);
}

static void
test_ingest_round_trip(void **state)
{
	struct fx	*f = *state;
	const char	*sum = "西门街道望京路与中山西路口井盖缺失";
	time_t		 at = past(f, 2, 0), before = time(NULL), after;
	char		 t[40], d1[16], d2[16], date[16];
	const char	*no;
	json_t		*r, *res, *c, *h, *ev;

	r = rpcs(f->ing, item("rt-1", GRID, CAT, at, sum));
	after = time(NULL);
	REQUIRE(r != NULL && jtrue(r, "ok"), r);
	res = json_object_get(r, "results");
	REQUIRE(json_array_size(res) == 1, r);
	res = json_array_get(res, 0);
	no = jstr(res, "case");
	REQUIRE(jtrue(res, "ok") && streq(jstr(res, "id"), "rt-1"), r);
	REQUIRE(case_no_valid(no) && strncmp(no, "330203-", 7) == 0, r);
	local_date(before, d1, sizeof d1);
	local_date(after, d2, sizeof d2);
	snprintf(date, sizeof date, "%.8s", no + 7);
	REQUIRE(streq(date, d1) || streq(date, d2), r);
	REQUIRE(json_is_null(json_object_get(res, "duplicate_of")), r);
	REQUIRE(json_is_false(json_object_get(res, "replayed")), r);

	c = case_get(f, no);
	h = json_object_get(c, "history");
	ev = json_array_get(h, 0);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "no"), no), c);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "summary"), sum), c);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "id"), "rt-1"), c);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "state"), "reported"),
	    c);
	REQUIRE(jint(json_object_get(c, "case"), "version") == 1, c);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "reported_at"),
	    fmt_time(at, t, sizeof t)), c);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "grid"), GRID), c);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "district_name"),
	    "海曙区"), c);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "township_name"),
	    "西门街道"), c);
	REQUIRE(streq(jstr(json_object_get(c, "case"), "category_name"),
	    "窨井盖缺失"), c);
	REQUIRE(streq(jstr(json_object_get(json_object_get(c, "case"),
	    "route"), "lead"), "330203.ZF"), c);
	REQUIRE(json_array_size(h) == 1, c);
	REQUIRE(streq(jstr(ev, "action"), "report") &&
	    streq(jstr(ev, "to"), "reported") && streq(jstr(ev, "case"), no) &&
	    jint(ev, "version") == 1 && jint(ev, "seq") >= 1, c);
	json_decref(c);
	json_decref(r);
}

/* One item of a mixed array and what its result must be. */
struct mixed_row {
	const char	*id;
	const char	*json;		/* the item; "@T" is its reported_at */
	const char	*code;		/* NULL: accepted */
	const char	*field;
};

/* s with every "@T" replaced by t (static buffer). */
static const char *
subst_t(const char *s, const char *t)
{
	static char	 buf[8192];
	size_t		 n = 0;

	while (*s != '\0' && n + 64 < sizeof buf) {
		if (s[0] == '@' && s[1] == 'T') {
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", t);
			s += 2;
		} else
			buf[n++] = *s++;
	}
	buf[n] = '\0';
	return buf;
}

#define ITEM(id, g, c, s) "{\"id\":\"" id "\",\"grid\":" g ",\"category\":" \
	c ",\"reported_at\":\"@T\",\"summary\":\"" s "\"}"

static void
test_ingest_mixed_array(void **state)
{
	static const struct mixed_row rows[] = {
		{ "mx-good-1", ITEM("mx-good-1", "\"" GRID "\"", "\"" CAT "\"",
		    "mixed good one"), NULL, NULL },
		{ "mx-nogrid", "{\"id\":\"mx-nogrid\",\"category\":\"" CAT
		    "\",\"reported_at\":\"@T\",\"summary\":\"no grid\"}",
		    "missing_field", "grid" },
		{ "mx-good-2", ITEM("mx-good-2", "\"" GRID2 "\"", "\"" CAT3
		    "\"", "mixed good two 流动摊贩"), NULL, NULL },
		{ "mx-unkgrid", ITEM("mx-unkgrid", "\"330203999999999\"", "\""
		    CAT "\"", "unknown grid"), "unknown_grid", "grid" },
		{ "mx-unkcat", ITEM("mx-unkcat", "\"" GRID "\"", "\"9999\"",
		    "unknown category"), "unknown_category", "category" },
		{ "mx-type", ITEM("mx-type", "330203003001001", "\"" CAT "\"",
		    "grid is a number"), "wrong_type", "grid" },
		{ "mx-good-3", ITEM("mx-good-3", "\"" GRID "\"", "\"" CAT2
		    "\"", "mixed good three"), NULL, NULL },
	};
	struct fx	*f = *state;
	char		 t[40], req[16384], *p = req;
	long long	 cases0, cases1;
	size_t		 i, n = 0, nbad = 0, seen = 0;
	json_t		*r, *res, *e, *c, *rej;

	fmt_time(past(f, 3, 0), t, sizeof t);
	status_get(f, NULL, &cases0);
	p += snprintf(p, sizeof req, "[");
	for (i = 0; i < NITEMS(rows); i++)
		p += snprintf(p, sizeof req - (size_t)(p - req), "%s%s",
		    i ? "," : "", subst_t(rows[i].json, t));
	snprintf(p, sizeof req - (size_t)(p - req), "]");
	r = rpcs(f->ing, req);
	REQUIRE(r != NULL && json_is_false(json_object_get(r, "ok")), r);
	res = json_object_get(r, "results");
	REQUIRE(json_array_size(res) == NITEMS(rows), r);
	for (i = 0; i < NITEMS(rows); i++) {
		json_t	*it = json_array_get(res, i);

		REQUIRE(streq(jstr(it, "id"), rows[i].id), it);
		if (rows[i].code == NULL) {
			REQUIRE(jtrue(it, "ok") && case_no_valid(jstr(it,
			    "case")), it);
			c = case_get(f, jstr(it, "case"));
			REQUIRE(streq(jstr(json_object_get(c, "case"), "id"),
			    rows[i].id), c);
			json_decref(c);
			n++;
			continue;
		}
		e = json_object_get(it, "error");
		REQUIRE(json_is_false(json_object_get(it, "ok")), it);
		REQUIRE(streq(jstr(e, "code"), rows[i].code), it);
		REQUIRE(streq(jstr(e, "field"), rows[i].field), it);
		REQUIRE(json_object_get(it, "case") == NULL, it);
		nbad++;
	}
	status_get(f, NULL, &cases1);
	assert_int_equal(cases1 - cases0, n);

	/* The dead-letter table: one row per bad item, with its index. */
	rej = ctlf(f, "{\"op\":\"rejects\",\"limit\":%zu}", nbad);
	REQUIRE(jtrue(rej, "ok") && json_array_size(json_object_get(rej,
	    "rejects")) == nbad, rej);
	for (i = 0; i < nbad; i++) {
		json_t	*x = json_array_get(json_object_get(rej, "rejects"), i);
		long long k = jint(x, "item");

		REQUIRE(k >= 0 && (size_t)k < NITEMS(rows) &&
		    rows[k].code != NULL && streq(jstr(x, "code"),
		    rows[k].code) && !(seen & (1u << k)), rej);
		REQUIRE(jint(x, "size") == (long long)strlen(req), rej);
		seen |= 1u << k;
	}
	json_decref(rej);
	json_decref(r);
}

static void
test_ingest_resend(void **state)
{
	struct fx	*f = *state;
	time_t		 at = past(f, 4, 0);
	char		 no[32], req[8192];
	long long	 seq0, cases0, seq1, cases1;
	json_t		*r, *res, *r1, *r2;
	int		 c2;

	r = ingest1(f, "rs-1", GRID, CAT, at, "resend me", no, sizeof no);
	REQUIRE(jtrue(r, "ok") && case_no_valid(no), r);
	json_decref(r);
	status_get(f, &seq0, &cases0);

	/* The same id and content again: the same case. */
	r = ingest1(f, "rs-1", GRID, CAT, at, "resend me", NULL, 0);
	res = json_array_get(json_object_get(r, "results"), 0);
	REQUIRE(jtrue(r, "ok") && jtrue(res, "ok") && jtrue(res, "replayed") &&
	    streq(jstr(res, "case"), no), r);
	json_decref(r);

	/* The same id with other content: refused (test_ingest_id_scope). */
	r = ingest1(f, "rs-1", GRID, CAT2, at + 60, "resent, changed", NULL, 0);
	res = json_array_get(json_object_get(r, "results"), 0);
	REQUIRE(json_is_false(json_object_get(r, "ok")) &&
	    streq(jstr(json_object_get(res, "error"), "code"), "id_conflict"),
	    r);
	json_decref(r);
	status_get(f, &seq1, &cases1);
	assert_int_equal(cases1, cases0);
	assert_int_equal(seq1, seq0);
	r = case_get(f, no);
	REQUIRE(streq(jstr(json_object_get(r, "case"), "summary"),
	    "resend me") && json_array_size(json_object_get(r,
	    "history")) == 1, r);
	json_decref(r);

	/* One new id twice in one array: stored once, then replayed. */
	snprintf(req, sizeof req, "[%s,", item("rs-2", GRID2, CAT3, at + 120,
	    "twice in one array"));
	snprintf(req + strlen(req), sizeof req - strlen(req), "%s]",
	    item("rs-2", GRID2, CAT3, at + 120, "twice in one array"));
	r = rpcs(f->ing, req);
	res = json_object_get(r, "results");
	REQUIRE(jtrue(r, "ok") && json_array_size(res) == 2, r);
	REQUIRE(json_is_false(json_object_get(json_array_get(res, 0),
	    "replayed")) && jtrue(json_array_get(res, 1), "replayed"), r);
	REQUIRE(streq(jstr(json_array_get(res, 0), "case"),
	    jstr(json_array_get(res, 1), "case")), r);
	json_decref(r);
	status_get(f, NULL, &cases1);
	assert_int_equal(cases1, cases0 + 1);

	/* Two feeders sending one new id at once (likely one batch): one
	 * stores, the other is told it was replayed. */
	c2 = req_open(f->main.run, "ingest.sock", TIMEOUT_MS);
	assert_true(c2 >= 0);
	snprintf(req, sizeof req, "%s", item("rs-3", GRID2, CAT2, at + 180,
	    "from two feeders"));
	assert_true(nn_send(f->ing, req, strlen(req), 0) > 0);
	assert_true(nn_send(c2, req, strlen(req), 0) > 0);
	r1 = sock_recv_json(f->ing);
	r2 = sock_recv_json(c2);
	nn_close(c2);
	REQUIRE(jtrue(r1, "ok"), r1);
	REQUIRE(jtrue(r2, "ok"), r2);
	res = json_array_get(json_object_get(r1, "results"), 0);
	r = json_array_get(json_object_get(r2, "results"), 0);
	REQUIRE(streq(jstr(res, "case"), jstr(r, "case")), r2);
	REQUIRE(jtrue(res, "replayed") + jtrue(r, "replayed") == 1, r2);
	json_decref(r1);
	json_decref(r2);
	status_get(f, NULL, &cases1);
	assert_int_equal(cases1, cases0 + 2);
}

static long long	reject_last(struct fx *);

/* One incident with a source (static buffer). */
static const char *
item_src(const char *id, const char *source, time_t at, const char *summary)
{
	static char	buf[4096];
	char		t[40];

	snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"source\":\"%s\","
	    "\"grid\":\"%s\",\"category\":\"%s\",\"reported_at\":\"%s\","
	    "\"summary\":\"%s\"}", id, source, GRID2, CAT3, fmt_time(at, t,
	    sizeof t), summary);
	return buf;
}

/* The one result of a single-incident request (borrowed from r). */
static json_t *
result0(json_t *r)
{
	return json_array_get(json_object_get(r, "results"), 0);
}

/*
 * Issue 11, finding 3: the sender's id is scoped by its source, and a
 * resend with other content is refused id_conflict and dead-lettered, with
 * a log line. On the code before, the second dup-B (another source, other
 * words) was answered ok, replayed, with the first one's case, and the
 * changed resend the same: two reports lost without a word.
 */
static void
test_ingest_id_scope(void **state)
{
	struct fx	*f = *state;
	time_t		 at = past(f, 23, 0);
	char		 hot[32], app[32], req[8192];
	long long	 seq0, cases0, seq1, cases1, rej0;
	json_t		*r, *res, *e, *x;

	/* the issue's example: two sources, one id, two incidents */
	r = rpcs(f->ing, item_src("dup-B", "hotline", at, "路灯不亮"));
	res = result0(r);
	REQUIRE(jtrue(r, "ok") && !jtrue(res, "replayed"), r);
	snprintf(hot, sizeof hot, "%s", jstr(res, "case"));
	json_decref(r);
	r = rpcs(f->ing, item_src("dup-B", "grid-app", at, "other"));
	res = result0(r);
	REQUIRE(jtrue(r, "ok") && json_is_false(json_object_get(res,
	    "replayed")) && case_no_valid(jstr(res, "case")) &&
	    !streq(jstr(res, "case"), hot), r);
	snprintf(app, sizeof app, "%s", jstr(res, "case"));
	json_decref(r);
	r = case_get(f, app);
	REQUIRE(streq(jstr(json_object_get(r, "case"), "summary"), "other") &&
	    streq(jstr(json_object_get(r, "case"), "source"), "grid-app"), r);
	json_decref(r);

	/* the same id, source and content: a replay of its own source's
	 * case, nothing stored */
	status_get(f, &seq0, &cases0);
	r = rpcs(f->ing, item_src("dup-B", "grid-app", at, "other"));
	res = result0(r);
	REQUIRE(jtrue(r, "ok") && jtrue(res, "replayed") &&
	    streq(jstr(res, "case"), app), r);
	json_decref(r);
	r = rpcs(f->ing, item_src("dup-B", "hotline", at, "路灯不亮"));
	res = result0(r);
	REQUIRE(jtrue(r, "ok") && jtrue(res, "replayed") &&
	    streq(jstr(res, "case"), hot), r);
	json_decref(r);
	status_get(f, &seq1, &cases1);
	assert_int_equal(cases1, cases0);
	assert_int_equal(seq1, seq0);

	/* the same id and source, other words: id_conflict on field id,
	 * naming the hotline case; dead-lettered; logged; nothing stored.
	 * In an array, the good item beside it is stored all the same. */
	rej0 = reject_last(f);
	snprintf(req, sizeof req, "[%s,", item_src("dup-B", "hotline", at,
	    "路灯不亮，又一件"));
	snprintf(req + strlen(req), sizeof req - strlen(req), "%s]",
	    item_src("dup-E", "hotline", at + 60, "旁边的好的"));
	r = rpcs(f->ing, req);
	res = json_object_get(r, "results");
	e = json_object_get(json_array_get(res, 0), "error");
	REQUIRE(json_is_false(json_object_get(r, "ok")) &&
	    json_array_size(res) == 2, r);
	REQUIRE(json_is_false(json_object_get(json_array_get(res, 0), "ok")) &&
	    streq(jstr(e, "code"), "id_conflict") &&
	    streq(jstr(e, "field"), "id") && jstr(e, "message") != NULL &&
	    strstr(jstr(e, "message"), hot) != NULL &&
	    strstr(jstr(e, "message"), "summary") != NULL &&
	    streq(jstr(json_object_get(e, "params"), "case"), hot), r);
	REQUIRE(jtrue(json_array_get(res, 1), "ok") &&
	    !jtrue(json_array_get(res, 1), "replayed"), r);
	json_decref(r);
	status_get(f, &seq1, &cases1);
	assert_int_equal(cases1, cases0 + 1);
	assert_int_equal(seq1, seq0 + 1);
	r = ctlf(f, "{\"op\":\"rejects\",\"limit\":1}");
	x = json_array_get(json_object_get(r, "rejects"), 0);
	REQUIRE(jint(x, "id") > rej0 && streq(jstr(x, "code"),
	    "id_conflict") && streq(jstr(x, "field"), "id") &&
	    jint(x, "item") == 0 && jstr(x, "body") != NULL &&
	    strstr(jstr(x, "body"), "又一件") != NULL, r);
	json_decref(r);
	REQUIRE(file_wait_for(f->main.log, "id_conflict: id \"dup-B\" from "
	    "source hotline", TIMEOUT_MS), NULL);

	/* the first case is as it was */
	r = case_get(f, hot);
	REQUIRE(streq(jstr(json_object_get(r, "case"), "summary"),
	    "路灯不亮") && json_array_size(json_object_get(r, "history")) ==
	    1, r);
	json_decref(r);
}

/* The duplicate flag: same grid and category within 30 minutes before (and
 * within 50 m where both have a location), pointing at an earlier open
 * case. Rows run in order against one growing set of cases; dup1/dup2 name
 * the rows whose case may be flagged (-1: none; both -1: must be null). */
struct dup_row {
	const char	*id;
	const char	*grid, *cat;
	int		 min;		/* minutes after the test's base time */
	double		 lat, lon;	/* 0, 0: no location */
	int		 dup1, dup2;
	int		 void_prev;	/* then void the previous row's case */
	const char	*why;
};

static const struct dup_row dup_rows[] = {
	{ "dp-1", GRID, CAT, 0, 0, 0, -1, -1, 0, "first report" },
	{ "dp-2", GRID, CAT, 10, 0, 0, 0, -1, 0, "10 min later" },
	{ "dp-3", GRID, CAT2, 12, 0, 0, -1, -1, 0, "other category" },
	{ "dp-4", GRID2, CAT, 14, 0, 0, -1, -1, 0, "other grid" },
	{ "dp-5", GRID, CAT, 29, 0, 0, 0, -1, 0, "29 min later" },
	{ "dp-6", GRID, CAT, 110, 0, 0, -1, -1, 0, "nothing in the last "
	    "30 min" },
	{ "dl-1", GRID, CAT3, 200, 29.8700, 121.5400, -1, -1, 0, "first, "
	    "with a location" },
	{ "dl-2", GRID, CAT3, 205, 29.8701, 121.5400, 6, -1, 0, "11 m away" },
	{ "dl-3", GRID, CAT3, 206, 29.8800, 121.5400, -1, -1, 0, "1.1 km "
	    "away" },
	{ "dl-4", GRID, CAT3, 207, 0, 0, 6, -1, 0, "no location" },
};

/* An earlier open case that is itself flagged as a duplicate is still an
 * earlier open case: when its original is out of the window or no longer
 * open, a new report must not go unflagged. */
static const struct dup_row dup_chain_rows[] = {
	{ "dc-1", GRID, CAT, 0, 0, 0, -1, -1, 0, "first report" },
	{ "dc-2", GRID, CAT, 29, 0, 0, 0, -1, 0, "29 min later" },
	{ "dc-3", GRID, CAT, 45, 0, 0, 0, 1, 0, "16 min after dc-2 (open, "
	    "itself a duplicate of dc-1, which is 45 min back)" },
	{ "dv-1", GRID2, CAT2, 400, 0, 0, -1, -1, 0, "first report" },
	{ "dv-2", GRID2, CAT2, 405, 0, 0, 3, -1, 1, "5 min later; then "
	    "dv-1 is voided" },
	{ "dv-3", GRID2, CAT2, 410, 0, 0, 4, -1, 0, "dv-2 is the earlier "
	    "open case now that dv-1 is voided" },
	{ "dv-4", GRID2, CAT2, 500, 0, 0, -1, -1, 0, "none in the window" },
};

#define DUP_MAX	16

/* Run rows in order from time at; the number of rows that failed. */
static int
dup_run(struct fx *f, const struct dup_row *rows, size_t n, time_t at)
{
	const struct dup_row	*d;
	char			 nos[DUP_MAX][32], t[40], dup[32];
	const char		*got;
	json_t			*o, *r, *res, *c;
	char			*text;
	size_t			 i;
	int			 failed = 0, ok;

	assert_true(n <= DUP_MAX);
	for (i = 0; i < n; i++) {
		d = &rows[i];
		o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", d->id, "grid",
		    d->grid, "category", d->cat, "reported_at",
		    fmt_time(at + d->min * 60L, t, sizeof t), "summary",
		    "井盖又被报了一次");
		if (d->lat != 0)
			json_object_set_new(o, "location", json_pack(
			    "{s:f,s:f}", "lat", d->lat, "lon", d->lon));
		text = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		r = rpcs(f->ing, text);
		free(text);
		res = json_array_get(json_object_get(r, "results"), 0);
		REQUIRE(jtrue(r, "ok") && case_no_valid(jstr(res, "case")), r);
		snprintf(nos[i], sizeof nos[i], "%s", jstr(res, "case"));
		got = jstr(res, "duplicate_of");
		if (d->dup1 < 0)
			ok = json_is_null(json_object_get(res, "duplicate_of"));
		else
			ok = streq(got, nos[d->dup1]) || (d->dup2 >= 0 &&
			    streq(got, nos[d->dup2]));
		if (!ok) {
			fprintf(stderr, "  row %s (%s): duplicate_of %s, "
			    "expected %s%s%s\n", d->id, d->why, got ? got :
			    "null", d->dup1 < 0 ? "null" : nos[d->dup1],
			    d->dup2 >= 0 ? " or " : "", d->dup2 >= 0 ?
			    nos[d->dup2] : "");
			failed++;
		}
		snprintf(dup, sizeof dup, "%s", got != NULL ? got : "");
		got = got != NULL ? dup : NULL;
		json_decref(r);
		c = case_get(f, nos[i]);	/* the case says the same */
		REQUIRE(got == NULL ? json_is_null(json_object_get(
		    json_object_get(c, "case"), "duplicate_of")) :
		    streq(jstr(json_object_get(c, "case"), "duplicate_of"),
		    got), c);
		json_decref(c);
		if (d->void_prev) {
			r = ctlf(f, "{\"op\":\"void\",\"case\":\"%s\",\"version"
			    "\":1,\"operator\":\"测试员\",\"reason\":\"误报\"}",
			    nos[i - 1]);
			REQUIRE(jtrue(r, "ok") && streq(jstr(json_object_get(r,
			    "case"), "state"), "voided"), r);
			json_decref(r);
		}
	}
	return failed;
}

static void
test_ingest_duplicate(void **state)
{
	struct fx	*f = *state;
	int		 failed;

	failed = dup_run(f, dup_rows, NITEMS(dup_rows), past(f, 5, 0));
	if (failed)
		fail_msg("%d duplicate rows failed", failed);
}

static void
test_ingest_duplicate_chain(void **state)
{
	struct fx	*f = *state;
	int		 failed;

	failed = dup_run(f, dup_chain_rows, NITEMS(dup_chain_rows),
	    past(f, 14, 0));
	if (failed)
		fail_msg("%d duplicate rows failed", failed);
}

/* --- the bad-input battery ------------------------------------------------ */

enum gen { GEN_NONE, GEN_BIG, GEN_DEEP, GEN_LONGSUM, GEN_MANY };

struct bad_row {
	const char	*name;
	const char	*in;		/* "@T" good time, "@F" future time */
	size_t		 len;		/* 0: strlen(in) */
	enum gen	 gen;
	int		 item;		/* 1: item-level error */
	const char	*code;
	const char	*field;		/* item-level only */
};

#define GOODF(id) "\"id\":\"" id "\",\"grid\":\"" GRID "\",\"category\":\"" \
	CAT "\""
#define TAIL	",\"reported_at\":\"@T\",\"summary\":\"bad input battery\""
#define RQ(n, s, c)	{ n, s, 0, GEN_NONE, 0, c, NULL }
#define IT(n, s, c, f)	{ n, s, 0, GEN_NONE, 1, c, f }

static const struct bad_row bad_rows[] = {
	RQ("not JSON", "hello, server", "invalid_json"),
	RQ("empty message", "", "invalid_json"),
	RQ("truncated", "{\"id\":\"bt-x\",", "invalid_json"),
	RQ("two values", "{" GOODF("bt-2v") TAIL "}{}", "invalid_json"),
	RQ("escaped NUL", "{" GOODF("bt-esc") ",\"reported_at\":\"@T\","
	    "\"summary\":\"a\\u0000b\"}", "invalid_json"),
	RQ("duplicate key", "{" GOODF("bt-dk") TAIL ",\"id\":\"bt-dk2\"}",
	    "invalid_json"),
	RQ("invalid UTF-8 (lone byte)", "{" GOODF("bt-u1") ",\"reported_at\":"
	    "\"@T\",\"summary\":\"\xff\"}", "invalid_utf8"),
	RQ("invalid UTF-8 (overlong)", "{" GOODF("bt-u2") ",\"reported_at\":"
	    "\"@T\",\"summary\":\"\xc0\xaf\"}", "invalid_utf8"),
	RQ("invalid UTF-8 (surrogate)", "{" GOODF("bt-u3") ",\"reported_at\":"
	    "\"@T\",\"summary\":\"\xed\xa0\x80\"}", "invalid_utf8"),
	RQ("invalid UTF-8 (cut)", "{" GOODF("bt-u4") ",\"reported_at\":"
	    "\"@T\",\"summary\":\"\xe4\xb8\"}", "invalid_utf8"),
	{ "NUL byte", "{\"id\":\"bt-n\0ul\"}", 16, GEN_NONE, 0, "nul_byte",
	    NULL },
	RQ("bare number", "42", "not_object"),
	RQ("bare string", "\"incident\"", "not_object"),
	RQ("empty array", "[]", "empty_array"),
	{ "oversized (1.5 MiB)", NULL, 0, GEN_BIG, 0, "too_large", NULL },
	{ "nested 40 deep", NULL, 0, GEN_DEEP, 0, "too_deep", NULL },
	{ "10,001 items", NULL, 0, GEN_MANY, 0, "too_many_items", NULL },
	IT("array of a number", "[7]", "not_object", NULL),
	IT("id a number", "{\"id\":7,\"grid\":\"" GRID "\",\"category\":\""
	    CAT "\"" TAIL "}", "wrong_type", "id"),
	IT("grid a number", "{\"id\":\"bt-g\",\"grid\":330203003001001,"
	    "\"category\":\"" CAT "\"" TAIL "}", "wrong_type", "grid"),
	IT("category null", "{\"id\":\"bt-cn\",\"grid\":\"" GRID "\","
	    "\"category\":null" TAIL "}", "wrong_type", "category"),
	IT("summary an array", "{" GOODF("bt-sa") ",\"reported_at\":\"@T\","
	    "\"summary\":[\"a\"]}", "wrong_type", "summary"),
	IT("priority a string", "{" GOODF("bt-ps") TAIL ",\"priority\":\"1\"}",
	    "wrong_type", "priority"),
	IT("location a string", "{" GOODF("bt-ls") TAIL ",\"location\":"
	    "\"29.8,121.5\"}", "wrong_type", "location"),
	IT("missing id", "{\"grid\":\"" GRID "\",\"category\":\"" CAT "\""
	    TAIL "}", "missing_field", "id"),
	IT("missing grid", "{\"id\":\"bt-mg\",\"category\":\"" CAT "\"" TAIL
	    "}", "missing_field", "grid"),
	IT("missing category", "{\"id\":\"bt-mc\",\"grid\":\"" GRID "\"" TAIL
	    "}", "missing_field", "category"),
	IT("missing reported_at", "{" GOODF("bt-mt") ",\"summary\":\"x\"}",
	    "missing_field", "reported_at"),
	IT("missing summary", "{" GOODF("bt-ms") ",\"reported_at\":\"@T\"}",
	    "missing_field", "summary"),
	IT("future time (1 day)", "{" GOODF("bt-fut") ",\"reported_at\":"
	    "\"@F\",\"summary\":\"from tomorrow\"}", "future_time",
	    "reported_at"),
	IT("time without offset", "{" GOODF("bt-t1") ",\"reported_at\":"
	    "\"2026-11-20T10:00:00\",\"summary\":\"x\"}", "bad_time",
	    "reported_at"),
	IT("time not a date", "{" GOODF("bt-t2") ",\"reported_at\":"
	    "\"2026-13-45T10:00:00+08:00\",\"summary\":\"x\"}", "bad_time",
	    "reported_at"),
	IT("time as words", "{" GOODF("bt-t3") ",\"reported_at\":"
	    "\"yesterday\",\"summary\":\"x\"}", "bad_time", "reported_at"),
	IT("unknown grid", "{\"id\":\"bt-ug\",\"grid\":\"330203999999999\","
	    "\"category\":\"" CAT "\"" TAIL "}", "unknown_grid", "grid"),
	IT("unknown category", "{\"id\":\"bt-uc\",\"grid\":\"" GRID "\","
	    "\"category\":\"9999\"" TAIL "}", "unknown_category", "category"),
	IT("grid of 14 digits", "{\"id\":\"bt-g14\",\"grid\":"
	    "\"33020300300100\",\"category\":\"" CAT "\"" TAIL "}",
	    "bad_value", "grid"),
	IT("empty summary", "{" GOODF("bt-es") ",\"reported_at\":\"@T\","
	    "\"summary\":\"\"}", "bad_value", "summary"),
	IT("empty id", "{\"id\":\"\",\"grid\":\"" GRID "\",\"category\":\""
	    CAT "\"" TAIL "}", "bad_value", "id"),
	IT("unknown source", "{" GOODF("bt-src") TAIL ",\"source\":\"fax\"}",
	    "bad_value", "source"),
	IT("priority 4", "{" GOODF("bt-p4") TAIL ",\"priority\":4}",
	    "bad_value", "priority"),
	{ "summary of 2001 characters", NULL, 0, GEN_LONGSUM, 1, "too_long",
	    "summary" },
};

/* The bytes of a row, malloc'd, length in *len. */
static char *
bad_bytes(const struct bad_row *row, const char *good, const char *future,
    size_t *len)
{
	size_t	 i, n, cap;
	char	*b;

	switch (row->gen) {
	case GEN_BIG:		/* one item with a 1.5 MiB summary */
		cap = 1536 * 1024;
		b = malloc(cap + 1);
		n = (size_t)snprintf(b, cap, "{" GOODF("bt-big")
		    ",\"reported_at\":\"%s\",\"summary\":\"", good);
		memset(b + n, 'x', cap - n - 2);
		memcpy(b + cap - 2, "\"}", 2);
		b[cap] = '\0';
		*len = cap;
		return b;
	case GEN_DEEP:		/* 40 arrays in arrays */
		b = malloc(81);
		memset(b, '[', 40);
		memset(b + 40, ']', 40);
		b[80] = '\0';
		*len = 80;
		return b;
	case GEN_LONGSUM:	/* 2001 characters of three bytes each */
		b = malloc(8192);
		n = (size_t)snprintf(b, 8192, "{" GOODF("bt-long")
		    ",\"reported_at\":\"%s\",\"summary\":\"", good);
		for (i = 0; i < 2001; i++)
			n += (size_t)snprintf(b + n, 8192 - n, "井");
		n += (size_t)snprintf(b + n, 8192 - n, "\"}");
		*len = n;
		return b;
	case GEN_MANY:		/* 10,001 empty objects */
		b = malloc(10001 * 3 + 2);
		memcpy(b, "[{}", 3);
		for (i = 1, n = 3; i < 10001; i++, n += 3)
			memcpy(b + n, ",{}", 3);
		memcpy(b + n, "]", 2);
		*len = n + 1;
		return b;
	case GEN_NONE:
		break;
	}
	n = row->len != 0 ? row->len : strlen(row->in);
	b = malloc(n * 2 + 64);
	for (i = 0, cap = 0; i < n; i++) {
		if (i + 1 < n && row->in[i] == '@' && (row->in[i + 1] == 'T' ||
		    row->in[i + 1] == 'F')) {
			cap += (size_t)sprintf(b + cap, "%s",
			    row->in[i + 1] == 'T' ? good : future);
			i++;
		} else
			b[cap++] = row->in[i];
	}
	b[cap] = '\0';
	*len = cap;
	return b;
}

/* Check one battery reply; 0 or -1 after printing why. */
static int
bad_check(const struct bad_row *row, json_t *r)
{
	json_t	*res, *e;

	if (r == NULL || !json_is_false(json_object_get(r, "ok")))
		goto bad;
	if (!row->item) {
		e = json_object_get(r, "error");
		if (!streq(jstr(e, "code"), row->code) ||
		    json_object_get(r, "results") != NULL)
			goto bad;
		return 0;
	}
	res = json_object_get(r, "results");
	if (json_array_size(res) != 1)
		goto bad;
	e = json_object_get(json_array_get(res, 0), "error");
	if (!json_is_false(json_object_get(json_array_get(res, 0), "ok")) ||
	    !streq(jstr(e, "code"), row->code) ||
	    (row->field != NULL ? !streq(jstr(e, "field"), row->field) :
	    !json_is_null(json_object_get(e, "field"))))
		goto bad;
	return 0;
bad:
	fprintf(stderr, "  row \"%s\": expected %s%s%s\n", row->name,
	    row->code, row->field ? " on " : "", row->field ? row->field : "");
	jprint("reply", r);
	return -1;
}

/* The newest reject id (0 when none). */
static long long
reject_last(struct fx *f)
{
	json_t		*r = ctlf(f, "{\"op\":\"rejects\",\"limit\":1}");
	long long	 id;

	REQUIRE(jtrue(r, "ok"), r);
	id = json_array_size(json_object_get(r, "rejects")) > 0 ?
	    jint(json_array_get(json_object_get(r, "rejects"), 0), "id") : 0;
	json_decref(r);
	return id;
}

static void
test_bad_input(void **state)
{
	struct fx	*f = *state;
	char		 good[40], future[40], *b;
	size_t		 i, k, len, sizes[NITEMS(bad_rows)];
	long long	 seq0, cases0, seq1, cases1, rej0;
	int		 failed = 0, used[NITEMS(bad_rows)] = { 0 };
	json_t		*r, *list;

	fmt_time(past(f, 6, 0), good, sizeof good);
	fmt_time(time(NULL) + DAY, future, sizeof future);
	status_get(f, &seq0, &cases0);
	rej0 = reject_last(f);
	for (i = 0; i < NITEMS(bad_rows); i++) {
		b = bad_bytes(&bad_rows[i], good, future, &len);
		sizes[i] = len;
		r = rpc(f->ing, b, len);
		free(b);
		if (bad_check(&bad_rows[i], r) != 0)
			failed++;
		json_decref(r);
	}
	/* Alive, and nothing stored or published. */
	status_get(f, &seq1, &cases1);
	assert_int_equal(cases1, cases0);
	assert_int_equal(seq1, seq0);

	/* The dead-letter table holds one reject per row, with its code and
	 * the size of what was sent. */
	r = ctlf(f, "{\"op\":\"rejects\",\"limit\":100}");
	REQUIRE(jtrue(r, "ok"), r);
	list = json_object_get(r, "rejects");
	for (i = 0; i < NITEMS(bad_rows); i++) {
		int	found = 0;

		for (k = 0; !found && k < json_array_size(list); k++) {
			json_t	*x = json_array_get(list, k);

			if (jint(x, "id") <= rej0 || used[k] ||
			    !streq(jstr(x, "code"), bad_rows[i].code) ||
			    jint(x, "size") != (long long)sizes[i])
				continue;
			if (bad_rows[i].item && bad_rows[i].field != NULL &&
			    !streq(jstr(x, "field"), bad_rows[i].field))
				continue;
			found = used[k] = 1;
		}
		if (!found) {
			fprintf(stderr, "  row \"%s\": no reject with code %s "
			    "and size %zu\n", bad_rows[i].name,
			    bad_rows[i].code, sizes[i]);
			failed++;
		}
	}
	json_decref(r);
	if (failed)
		fail_msg("%d battery checks failed", failed);
}

/* A reject keeps at most 64 KiB of the body, and the whole size. */
static void
test_reject_body(void **state)
{
	struct fx	*f = *state;
	char		 good[40], *b;
	size_t		 len;
	json_t		*r, *x;

	fmt_time(past(f, 6, 0), good, sizeof good);
	b = bad_bytes(&bad_rows[0], good, good, &len);	/* "hello, server" */
	r = rpc(f->ing, b, len);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"rejects\",\"limit\":1}");
	x = json_array_get(json_object_get(r, "rejects"), 0);
	REQUIRE(streq(jstr(x, "body"), b) && jint(x, "item") == -1, r);
	json_decref(r);
	free(b);
	for (len = 0; len < NITEMS(bad_rows); len++)
		if (bad_rows[len].gen == GEN_BIG)
			break;
	b = bad_bytes(&bad_rows[len], good, good, &len);
	r = rpc(f->ing, b, len);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"rejects\",\"limit\":1}");
	x = json_array_get(json_object_get(r, "rejects"), 0);
	REQUIRE(streq(jstr(x, "code"), "too_large") &&
	    jint(x, "size") == (long long)len && json_is_string(json_object_get(
	    x, "body")) && json_string_length(json_object_get(x, "body")) ==
	    65536 && memcmp(json_string_value(json_object_get(x, "body")), b,
	    65536) == 0, r);
	json_decref(r);
	free(b);
}

/* One request with many bad items must not be kept many times over: the
 * bodies of its rejects add up to at most the request's own size (each
 * item's text, or the request once). Keeping the whole request with every
 * bad item turns one 1 MiB array of 10,000 bad items into 10,000 copies of
 * up to 64 KiB: over 600 MB of database from one message. */
#define AMP_ITEMS	50

static void
test_reject_amplification(void **state)
{
	struct fx	*f = *state;
	char		 req[AMP_ITEMS * 200], good[40];
	size_t		 n = 0, i, sum = 0, rows = 0;
	long long	 rej0;
	json_t		*r, *list, *x;

	fmt_time(past(f, 6, 0), good, sizeof good);
	rej0 = reject_last(f);
	n += (size_t)snprintf(req, sizeof req, "[");
	for (i = 0; i < AMP_ITEMS; i++)	/* no grid: missing_field */
		n += (size_t)snprintf(req + n, sizeof req - n, "%s{\"id\":"
		    "\"amp-%02zu\",\"category\":\"" CAT "\",\"reported_at\":"
		    "\"%s\",\"summary\":\"amplified reject %02zu\"}", i ? "," :
		    "", i, good, i);
	n += (size_t)snprintf(req + n, sizeof req - n, "]");
	assert_true(n < sizeof req);
	r = rpc(f->ing, req, n);
	REQUIRE(json_array_size(json_object_get(r, "results")) == AMP_ITEMS,
	    r);
	json_decref(r);

	r = ctlf(f, "{\"op\":\"rejects\",\"limit\":%d}", AMP_ITEMS + 10);
	list = json_object_get(r, "rejects");
	REQUIRE(jtrue(r, "ok"), r);
	for (i = 0; i < json_array_size(list); i++) {
		x = json_array_get(list, i);
		if (jint(x, "id") <= rej0)
			continue;
		rows++;
		if (json_is_string(json_object_get(x, "body")))
			sum += json_string_length(json_object_get(x, "body"));
	}
	json_decref(r);
	assert_int_equal(rows, AMP_ITEMS);
	if (sum > n)
		fail_msg("one request of %zu bytes with %d bad items is kept "
		    "as %zu bytes of reject bodies (%.0fx)", n, AMP_ITEMS, sum,
		    (double)sum / (double)n);
}

/* --- events --------------------------------------------------------------- */

#define NEVENTS	20

static void
test_events(void **state)
{
	struct fx	*f = *state;
	char		 url[700], nos[NEVENTS + 1][32], id[32];
	long long	 s0, end, seq;
	time_t		 at = past(f, 7, 0);
	json_t		*r = NULL, *m, *evs;
	int		 sub, got = 0, i, ms;
	int		 n = 0;

	snprintf(url, sizeof url, "ipc://%s/events.sock", f->main.run);
	assert_true((sub = nn_socket(AF_SP, NN_SUB)) >= 0);
	assert_true(nn_setsockopt(sub, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) == 0);
	assert_true(nn_connect(sub, url) >= 0);
	sock_timeouts(sub, 300);

	/* PUB/SUB needs a moment after connect: send probes until one is
	 * seen, then drain whatever else arrives. */
	for (i = 0; i < 10 && !got; i++) {
		snprintf(id, sizeof id, "ev-probe-%d", i);
		json_decref(ingest1(f, id, GRID, CAT2, at + i * 60, "probe",
		    NULL, 0));
		if ((m = sock_recv_jsonq(sub, 1)) != NULL)
			got = 1;
		json_decref(m);
	}
	REQUIRE(got, NULL);
	while ((m = sock_recv_jsonq(sub, 1)) != NULL)
		json_decref(m);
	status_get(f, &s0, NULL);

	for (i = 0; i < NEVENTS; i++) {
		snprintf(id, sizeof id, "ev-%02d", i);
		r = ingest1(f, id, i % 2 ? GRID : GRID2, CAT3,
		    at + HOUR + i * 60, "event stream", nos[i], sizeof nos[i]);
		REQUIRE(jtrue(r, "ok") && case_no_valid(nos[i]), r);
		json_decref(r);
	}
	/* One change, for case.updated. */
	r = ctlf(f, "{\"op\":\"register\",\"case\":\"%s\",\"version\":1,"
	    "\"operator\":\"测试员\"}", nos[0]);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	snprintf(nos[NEVENTS], sizeof nos[NEVENTS], "%s", nos[0]);

	/* Each within 2 s, in order, gap-free. */
	end = now_ms() + 2000 + NEVENTS * 100;
	while (n <= NEVENTS && (ms = (int)(end - now_ms())) > 0) {
		sock_timeouts(sub, ms);
		if ((m = sock_recv_json(sub)) == NULL)
			break;
		seq = jint(m, "seq");
		REQUIRE(seq == s0 + 1 + n, m);
		REQUIRE(streq(jstr(m, "type"), n < NEVENTS ? "case.created" :
		    "case.updated"), m);
		REQUIRE(streq(jstr(json_object_get(m, "case"), "no"), nos[n]),
		    m);
		REQUIRE(jint(json_object_get(m, "case"), "version") ==
		    (n < NEVENTS ? 1 : 2), m);
		json_decref(m);
		n++;
	}
	nn_close(sub);
	assert_int_equal(n, NEVENTS + 1);

	/* The same over control. */
	r = ctlf(f, "{\"op\":\"events\",\"since\":%lld,\"limit\":100}", s0);
	evs = json_object_get(r, "events");
	REQUIRE(jtrue(r, "ok") && json_array_size(evs) == NEVENTS + 1 &&
	    jint(r, "seq") == s0 + NEVENTS + 1, r);
	for (i = 0; i <= NEVENTS; i++) {
		m = json_array_get(evs, (size_t)i);
		REQUIRE(jint(m, "seq") == s0 + 1 + i, m);
		REQUIRE(streq(jstr(m, "type"), i < NEVENTS ? "case.created" :
		    "case.updated"), m);
		REQUIRE(streq(jstr(json_object_get(m, "case"), "no"), nos[i]),
		    m);
		REQUIRE(jint(json_object_get(m, "event"), "seq") == s0 + 1 + i,
		    m);
	}
	json_decref(r);
	r = ctlf(f, "{\"op\":\"events\",\"since\":%lld,\"limit\":5}", s0 + 3);
	evs = json_object_get(r, "events");
	REQUIRE(json_array_size(evs) == 5 && jint(json_array_get(evs, 0),
	    "seq") == s0 + 4, r);
	json_decref(r);
}

/* A SUB socket on events.sock that has seen the stream: PUB/SUB needs a
 * moment after connect, so probes are ingested (ids "<tag>-probe-N", on
 * day `days`) until one arrives, then what else came is drained. */
static int
sub_ready(struct fx *f, const char *tag, int days)
{
	char	 url[700], id[64];
	json_t	*m;
	int	 sub, got = 0, i;

	snprintf(url, sizeof url, "ipc://%s/events.sock", f->main.run);
	assert_true((sub = nn_socket(AF_SP, NN_SUB)) >= 0);
	assert_true(nn_setsockopt(sub, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) == 0);
	assert_true(nn_connect(sub, url) >= 0);
	sock_timeouts(sub, 300);
	for (i = 0; i < 10 && !got; i++) {
		snprintf(id, sizeof id, "%s-probe-%d", tag, i);
		json_decref(ingest1(f, id, GRID2, CAT2, past(f, days, 0) +
		    i * 60, "probe", NULL, 0));
		if ((m = sock_recv_jsonq(sub, 1)) != NULL)
			got = 1;
		json_decref(m);
	}
	REQUIRE(got, NULL);
	while ((m = sock_recv_jsonq(sub, 1)) != NULL)
		json_decref(m);
	return sub;
}

/*
 * The event of a new case is the case as stored: the case object of its
 * case.created message equals, member for member, what `case` reads back
 * from the database afterwards (level, state, version, times, location,
 * optional texts, duplicate_of, route). Before, the server rebuilt the new
 * case from the request with defaults of its own; a default that drifted
 * from the store's would show here.
 */
static void
test_created_event(void **state)
{
	struct fx	*f = *state;
	char		 t[40], req[2048], no[2][32];
	json_t		*r, *m, *c;
	int		 sub, i, n = 0;

	sub = sub_ready(f, "ce", 20);
	for (i = 0; i < 2; i++) {	/* the second a duplicate */
		snprintf(req, sizeof req, "{\"id\":\"cev-%d\",\"grid\":\""
		    GRID "\",\"category\":\"" CAT "\",\"reported_at\":"
		    "\"%s\",\"summary\":\"井盖缺失 \\\"东门\\\"\","
		    "\"reporter\":\"李四\",\"source\":\"web\",\"priority\":1,"
		    "\"address\":\"中山东路 8 号\",\"location\":{\"lat\":"
		    "29.8731,\"lon\":121.5562},\"photos\":[\"https://"
		    "example.org/b.jpg\"]}", i, fmt_time(past(f, 20, 30 + i),
		    t, sizeof t));
		r = rpcs(f->ing, req);
		REQUIRE(jtrue(r, "ok"), r);
		snprintf(no[i], sizeof no[i], "%s", jstr(json_array_get(
		    json_object_get(r, "results"), 0), "case"));
		json_decref(r);
	}
	sock_timeouts(sub, 2000);
	while (n < 2 && (m = sock_recv_json(sub)) != NULL) {
		if (!streq(jstr(json_object_get(m, "case"), "no"), no[n])) {
			json_decref(m);
			continue;
		}
		REQUIRE(streq(jstr(m, "type"), "case.created"), m);
		c = case_get(f, no[n]);
		/* what was merged into it is the case view's alone: the
		 * stream's case objects do not carry it */
		json_object_del(json_object_get(c, "case"), "merged_from");
		if (!json_equal(json_object_get(m, "case"),
		    json_object_get(c, "case"))) {
			jprint("event", m);
			jprint("stored", c);
			fail_msg("case %s: the event is not the stored case",
			    no[n]);
		}
		if (n == 1)
			REQUIRE(streq(jstr(json_object_get(m, "case"),
			    "duplicate_of"), no[0]), m);
		json_decref(c);
		json_decref(m);
		n++;
	}
	nn_close(sub);
	assert_int_equal(n, 2);
}

/* --- control -------------------------------------------------------------- */

static void
test_conflict(void **state)
{
	struct fx	*f = *state;
	char		 no[32], req[512];
	json_t		*r, *r1, *r2, *win, *lose, *c, *p;
	int		 c2;

	r = ingest1(f, "cf-1", GRID, CAT, past(f, 8, 0), "两个调度员", no,
	    sizeof no);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);

	/* Two consoles, one decision each on version 1, sent at once. */
	c2 = req_open(f->main.run, "control.sock", TIMEOUT_MS);
	assert_true(c2 >= 0);
	snprintf(req, sizeof req, "{\"op\":\"register\",\"case\":\"%s\","
	    "\"version\":1,\"operator\":\"甲\"}", no);
	assert_true(nn_send(f->ctl, req, strlen(req), 0) > 0);
	snprintf(req, sizeof req, "{\"op\":\"register\",\"case\":\"%s\","
	    "\"version\":1,\"operator\":\"乙\"}", no);
	assert_true(nn_send(c2, req, strlen(req), 0) > 0);
	r1 = sock_recv_json(f->ctl);
	r2 = sock_recv_json(c2);
	nn_close(c2);
	REQUIRE(r1 != NULL, r1);
	REQUIRE(r2 != NULL, r2);
	REQUIRE(jtrue(r1, "ok") + jtrue(r2, "ok") == 1, r1);
	win = jtrue(r1, "ok") ? r1 : r2;
	lose = win == r1 ? r2 : r1;
	REQUIRE(jint(json_object_get(win, "case"), "version") == 2, win);
	REQUIRE(streq(jstr(json_object_get(lose, "error"), "code"),
	    "conflict"), lose);
	REQUIRE(json_is_object(json_object_get(lose, "case")) &&
	    jint(json_object_get(lose, "case"), "version") == 2 &&
	    streq(jstr(json_object_get(lose, "case"), "state"), "registered"),
	    lose);
	/* who did what, when, and the version now, for the loser's words */
	p = json_object_get(json_object_get(lose, "error"), "params");
	REQUIRE(streq(jstr(p, "by"), lose == r1 ? "乙" : "甲") &&
	    streq(jstr(p, "action"), "register") && jint(p, "version") == 2 &&
	    jstr(p, "at") != NULL && strlen(jstr(p, "at")) == 25 &&
	    strcmp(jstr(p, "at") + 19, "+08:00") == 0, lose);
	json_decref(r1);
	json_decref(r2);

	/* A dispatch decided on the stale version changes nothing. */
	r = ctlf(f, "{\"op\":\"dispatch\",\"case\":\"%s\",\"version\":1,"
	    "\"operator\":\"乙\",\"agency\":\"330203.ZF\"}", no);
	REQUIRE(streq(jstr(json_object_get(r, "error"), "code"), "conflict") &&
	    jint(json_object_get(r, "case"), "version") == 2, r);
	json_decref(r);
	c = case_get(f, no);
	REQUIRE(jint(json_object_get(c, "case"), "version") == 2 &&
	    streq(jstr(json_object_get(c, "case"), "state"), "registered") &&
	    json_is_null(json_object_get(json_object_get(c, "case"),
	    "agency")) && json_array_size(json_object_get(c, "history")) == 2,
	    c);
	json_decref(c);

	/* On the current version it goes through. */
	r = ctlf(f, "{\"op\":\"dispatch\",\"case\":\"%s\",\"version\":2,"
	    "\"operator\":\"乙\",\"agency\":\"330203.ZF\"}", no);
	REQUIRE(jtrue(r, "ok") && jint(json_object_get(r, "case"),
	    "version") == 3 && streq(jstr(json_object_get(r, "case"),
	    "agency"), "330203.ZF"), r);
	json_decref(r);
}

/*
 * Escalation changes routing (data/duty.tsv: 0101 in 西门街道 is led by
 * its township's 330203003.CJB, at the district by 330203.ZJ, and has no
 * city row). Escalated to the district, the case's route names the
 * district's lead at level "district", dispatching there needs no reason
 * and dispatching to the township's unit does; escalated again to the
 * city, the route keeps the township's row and says the city level had
 * none (fallback).
 */
static void
test_escalate_route(void **state)
{
	struct fx	*f = *state;
	char		 no[2][32];
	json_t		*r, *k, *rt;
	int		 i;

	for (i = 0; i < 2; i++) {
		char id[32];

		snprintf(id, sizeof id, "esc-%d", i);
		r = ingest1(f, id, GRID, "0101", past(f, 21, i * 40),
		    "物业不作为", no[i], sizeof no[i]);
		REQUIRE(jtrue(r, "ok"), r);
		json_decref(r);
		r = ctlf(f, "{\"op\":\"register\",\"case\":\"%s\","
		    "\"version\":1,\"operator\":\"调度\"}", no[i]);
		REQUIRE(jtrue(r, "ok"), r);
		rt = json_object_get(json_object_get(r, "case"), "route");
		REQUIRE(streq(jstr(rt, "lead"), "330203003.CJB") &&
		    streq(jstr(rt, "level"), "township") &&
		    json_is_false(json_object_get(rt, "fallback")), r);
		json_decref(r);
		r = ctlf(f, "{\"op\":\"escalate\",\"case\":\"%s\","
		    "\"version\":2,\"operator\":\"调度\",\"reason\":"
		    "\"街道无法处置\"}", no[i]);
		k = json_object_get(r, "case");
		rt = json_object_get(k, "route");
		REQUIRE(jtrue(r, "ok") && streq(jstr(k, "level"), "district") &&
		    streq(jstr(rt, "lead"), "330203.ZJ") &&
		    streq(jstr(rt, "level"), "district") &&
		    json_is_false(json_object_get(rt, "fallback")) &&
		    strstr(jstr(rt, "reason"), "district") != NULL, r);
		json_decref(r);
	}

	/* the district's lead without a reason; the township's needs one */
	r = ctlf(f, "{\"op\":\"dispatch\",\"case\":\"%s\",\"version\":3,"
	    "\"operator\":\"调度\",\"agency\":\"330203003.CJB\"}", no[0]);
	REQUIRE(streq(jstr(json_object_get(r, "error"), "code"),
	    "reason_required"), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"dispatch\",\"case\":\"%s\",\"version\":3,"
	    "\"operator\":\"调度\",\"agency\":\"330203.ZJ\"}", no[0]);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);

	/* to the city: no row there */
	r = ctlf(f, "{\"op\":\"escalate\",\"case\":\"%s\",\"version\":3,"
	    "\"operator\":\"调度\",\"reason\":\"区里也不行\"}", no[1]);
	k = json_object_get(r, "case");
	rt = json_object_get(k, "route");
	REQUIRE(jtrue(r, "ok") && streq(jstr(k, "level"), "city") &&
	    streq(jstr(rt, "lead"), "330203003.CJB") &&
	    streq(jstr(rt, "level"), "city") &&
	    json_is_true(json_object_get(rt, "fallback")) &&
	    strstr(jstr(rt, "reason"), "city") != NULL, r);
	json_decref(r);
}

/*
 * Supporting agencies: a dispatch to the list's lead with no `support`
 * asked for takes the list's supporting agencies (1103 in 海曙区: 330203.SL);
 * an explicit empty list means none; another lead takes none by default.
 * And `reference` names every agency and district.
 */
static void
test_support_default(void **state)
{
	struct fx	*f = *state;
	char		 no[3][32];
	json_t		*r;
	size_t		 i, found = 0;
	static const char *const asks[] = {
		"", ",\"support\":[]",
		",\"agency\":\"330203.SL\",\"reason\":\"水务先处理\"" };
	static const char *const want[] = { "330203.SL", NULL, NULL };

	for (i = 0; i < 3; i++) {
		char id[32];

		snprintf(id, sizeof id, "sup-%zu", i);
		r = ingest1(f, id, GRID, CAT, past(f, 2, (int)i), "井盖缺失",
		    no[i], sizeof no[i]);
		REQUIRE(jtrue(r, "ok"), r);
		json_decref(r);
		r = ctlf(f, "{\"op\":\"register\",\"case\":\"%s\","
		    "\"version\":1,\"operator\":\"调度\"}", no[i]);
		REQUIRE(jtrue(r, "ok"), r);
		json_decref(r);
		r = ctlf(f, "{\"op\":\"dispatch\",\"case\":\"%s\","
		    "\"version\":2,\"operator\":\"调度\"%s%s}", no[i],
		    i == 2 ? "" : ",\"agency\":\"330203.ZF\"", asks[i]);
		REQUIRE(jtrue(r, "ok"), r);
		if (want[i] != NULL)
			REQUIRE(streq(jstr(json_object_get(r, "case"),
			    "support"), want[i]), r);
		else
			REQUIRE(json_is_null(json_object_get(json_object_get(r,
			    "case"), "support")) || streq(jstr(json_object_get(r,
			    "case"), "support"), ""), r);
		json_decref(r);
	}
	r = ctlf(f, "{\"op\":\"reference\"}");
	REQUIRE(jtrue(r, "ok") && json_array_size(json_object_get(r,
	    "districts")) == 10, r);
	for (i = 0; i < json_array_size(json_object_get(r, "agencies")); i++)
		found += streq(jstr(json_array_get(json_object_get(r,
		    "agencies"), i), "code"), "330203.ZF") && streq(jstr(
		    json_array_get(json_object_get(r, "agencies"), i), "name"),
		    "海曙区综合行政执法局");
	REQUIRE(found == 1, r);
	json_decref(r);
}

/* The case merged into shows what was merged into it (merged_from), the
 * merged one what it went into; after an unmerge, neither. */
static void
test_merged_from(void **state)
{
	struct fx	*f = *state;
	char		 no[3][32];
	json_t		*r, *k;
	int		 i;

	for (i = 0; i < 3; i++) {
		char id[32];

		snprintf(id, sizeof id, "mf-%d", i);
		r = ingest1(f, id, GRID2, CAT2, past(f, 3, i), "路灯不亮",
		    no[i], sizeof no[i]);
		REQUIRE(jtrue(r, "ok"), r);
		json_decref(r);
	}
	for (i = 1; i < 3; i++) {
		r = ctlf(f, "{\"op\":\"merge\",\"case\":\"%s\","
		    "\"version\":1,\"operator\":\"调度\",\"target\":\"%s\"}",
		    no[i], no[0]);
		REQUIRE(jtrue(r, "ok"), r);
		json_decref(r);
	}
	r = case_get(f, no[0]);
	k = json_object_get(json_object_get(r, "case"), "merged_from");
	REQUIRE(json_array_size(k) == 2 && streq(json_string_value(
	    json_array_get(k, 0)), no[1]) && streq(json_string_value(
	    json_array_get(k, 1)), no[2]), r);
	json_decref(r);
	r = case_get(f, no[1]);
	REQUIRE(streq(jstr(json_object_get(r, "case"), "merged_into"), no[0]),
	    r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"unmerge\",\"case\":\"%s\",\"version\":2,"
	    "\"operator\":\"调度\"}", no[1]);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = case_get(f, no[0]);
	k = json_object_get(json_object_get(r, "case"), "merged_from");
	REQUIRE(json_array_size(k) == 1 && streq(json_string_value(
	    json_array_get(k, 0)), no[2]), r);
	json_decref(r);
}

struct ctl_row {
	const char	*name;
	const char	*req;		/* "%1$s": a fresh reported case;
					   "%2$s": a long row's text (a row
					   with %2$s uses %1$s too) */
	const char	*code;
	const char	*field;		/* NULL: not checked */
	const char	*params;	/* the error's params, exactly; NULL:
					   not checked */
};

struct ctl_long_row {
	struct ctl_row	 row;
	const char	*rep;
	int		 nrep;
};

/* A reason of n characters, and one more: the bounds of
 * docs/PROTOCOL.md "Bounds" (reasons 500 characters). */
#define REASON_ROW(op, extra)						\
	{ { op " with a reason of 501 characters",			\
	    "{\"op\":\"" op "\","						\
	    "\"case\":\"%1$s\",\"version\":1,\"operator\":\"x\"" extra	\
	    ",\"reason\":\"%2$s\"}", "too_long", "reason", NULL }, "停", 501 }

static const struct ctl_row ctl_rows[] = {
	{ "not JSON", "status please", "invalid_json", NULL, NULL },
	{ "empty", "", "invalid_json", NULL, NULL },
	{ "an array", "[{\"op\":\"status\"}]", "not_object", NULL, NULL },
	{ "no op", "{}", "missing_field", "op", "{\"field\":\"op\"}" },
	{ "op a number", "{\"op\":5}", "wrong_type", "op", NULL },
	{ "unknown op", "{\"op\":\"frobnicate\"}", "unknown_op", "op", NULL },
	/* `report` is the figures (ops-report.c), never the action */
	{ "report is not an action", "{\"op\":\"report\",\"case\":\"%1$s\","
	    "\"version\":1,\"operator\":\"x\",\"by\":\"case\"}", "bad_value",
	    "by", NULL },
	{ "report: a bad date", "{\"op\":\"report\",\"from\":\"2026-02-30\"}",
	    "bad_value", "from", NULL },
	{ "missing operator", "{\"op\":\"register\",\"case\":\"%1$s\","
	    "\"version\":1}", "missing_field", "operator",
	    "{\"field\":\"operator\"}" },
	{ "missing version", "{\"op\":\"register\",\"case\":\"%1$s\","
	    "\"operator\":\"x\"}", "missing_field", "version",
	    "{\"field\":\"version\"}" },
	{ "missing case", "{\"op\":\"register\",\"version\":1,"
	    "\"operator\":\"x\"}", "missing_field", "case", NULL },
	{ "version a string", "{\"op\":\"register\",\"case\":\"%1$s\","
	    "\"version\":\"1\",\"operator\":\"x\"}", "wrong_type", "version",
	    NULL },
	{ "version 0", "{\"op\":\"register\",\"case\":\"%1$s\","
	    "\"version\":0,\"operator\":\"x\"}", "bad_value", "version", NULL },
	{ "empty operator", "{\"op\":\"register\",\"case\":\"%1$s\","
	    "\"version\":1,\"operator\":\"\"}", "bad_value", "operator", NULL },
	{ "unknown case", "{\"op\":\"register\",\"case\":\"330203-20000101-"
	    "00001\",\"version\":1,\"operator\":\"x\"}", "not_found", "case",
	    NULL },
	{ "case of a malformed number", "{\"op\":\"case\",\"case\":"
	    "\"nope\"}", "bad_case", "case", NULL },
	{ "case of an unknown number", "{\"op\":\"case\",\"case\":"
	    "\"330203-20000101-00001\"}", "not_found", "case", NULL },
	{ "a serial of 4 digits", "{\"op\":\"register\",\"case\":"
	    "\"330203-20261124-0042\",\"version\":1,\"operator\":\"x\"}",
	    "bad_case", "case", NULL },
	{ "a serial of 10 digits", "{\"op\":\"register\",\"case\":"
	    "\"330203-20261124-0000000042\",\"version\":1,\"operator\":"
	    "\"x\"}", "bad_case", "case", NULL },
	{ "a district of letters", "{\"op\":\"register\",\"case\":"
	    "\"33020X-20261124-00042\",\"version\":1,\"operator\":\"x\"}",
	    "bad_case", "case", NULL },
	{ "merge into a malformed target", "{\"op\":\"merge\",\"case\":"
	    "\"%1$s\",\"version\":1,\"operator\":\"x\",\"target\":"
	    "\"%1$s \"}", "bad_case", "target", NULL },
	{ "extend by 341606371735363", "{\"op\":\"extend\",\"case\":"
	    "\"%1$s\",\"version\":1,\"operator\":\"x\",\"reason\":\"r\","
	    "\"amount\":341606371735363}", "bad_value", "amount", NULL },
	{ "extend by 8785 (over a year in any unit)", "{\"op\":\"extend\","
	    "\"case\":\"%1$s\",\"version\":1,\"operator\":\"x\","
	    "\"reason\":\"r\",\"amount\":8785}", "bad_value", "amount",
	    NULL },
	{ "extend_grant of 341606371735363", "{\"op\":\"extend_grant\","
	    "\"case\":\"%1$s\",\"version\":1,\"operator\":\"x\","
	    "\"amount\":341606371735363}", "bad_value", "amount", NULL },
	{ "close a reported case", "{\"op\":\"close\",\"case\":\"%1$s\","
	    "\"version\":1,\"operator\":\"x\"}", "not_allowed", NULL,
	    "{\"action\":\"close\",\"state\":\"reported\"}" },
	{ "acknowledge a reported case", "{\"op\":\"acknowledge\",\"case\":"
	    "\"%1$s\",\"version\":1,\"operator\":\"x\"}", "not_allowed", NULL,
	    "{\"action\":\"acknowledge\",\"state\":\"reported\"}" },
	{ "void without a reason", "{\"op\":\"void\",\"case\":\"%1$s\","
	    "\"version\":1,\"operator\":\"x\"}", "invalid", "reason",
	    "{\"field\":\"reason\"}" },
	{ "merge without a target", "{\"op\":\"merge\",\"case\":\"%1$s\","
	    "\"version\":1,\"operator\":\"x\"}", "invalid", "target",
	    "{\"field\":\"target\"}" },
	{ "return without a code", "{\"op\":\"return\",\"case\":\"%1$s\","
	    "\"version\":1,\"operator\":\"x\"}", "invalid",
	    "reason_code", "{\"field\":\"reason_code\"}" },
	{ "dispatch to an unknown agency", "{\"op\":\"dispatch\",\"case\":"
	    "\"%1$s\",\"version\":1,\"operator\":\"x\",\"agency\":"
	    "\"330203.XX\"}", "unknown_agency", "agency", NULL },
	{ "dispatch off the list without reason", "{\"op\":\"dispatch\","
	    "\"case\":\"%1$s\",\"version\":1,\"operator\":\"x\",\"agency\":"
	    "\"330203.SL\"}", "reason_required", "reason",
	    "{\"field\":\"reason\",\"agency\":\"330203.SL\","
	    "\"lead\":\"330203.ZF\"}" },
	{ "events without since", "{\"op\":\"events\"}", "missing_field",
	    "since", "{\"field\":\"since\"}" },
	{ "snapshot limit 0", "{\"op\":\"snapshot\",\"limit\":0}", "bad_value",
	    "limit", NULL },
	{ "rejects limit too big", "{\"op\":\"rejects\",\"limit\":10001}",
	    "bad_value", "limit", NULL },
};

/* Rows with a long text: "%2$s" is rep, nrep times. */
static const struct ctl_long_row ctl_long_rows[] = {
	{ { "void on a 300-character case number", "{\"op\":\"void\","
	    "\"case\":\"%2$s\",\"version\":1,\"operator\":\"x\","
	    "\"reason\":\"%1$s\"}", "bad_case", "case", NULL }, "3", 300 },
	{ { "void on a case number of 300 Chinese", "{\"op\":\"void\","
	    "\"case\":\"%2$s\",\"version\":1,\"operator\":\"x\","
	    "\"reason\":\"%1$s\"}", "bad_case", "case", NULL }, "案", 300 },
	{ { "operator of 65 characters", "{\"op\":\"register\",\"case\":"
	    "\"%1$s\",\"version\":1,\"operator\":\"%2$s\"}", "bad_value",
	    "operator", NULL }, "王", 65 },
	{ { "operator of 65 letters", "{\"op\":\"register\",\"case\":"
	    "\"%1$s\",\"version\":1,\"operator\":\"%2$s\"}", "bad_value",
	    "operator", NULL }, "w", 65 },
	REASON_ROW("park", ""),
	REASON_ROW("void", ""),
	REASON_ROW("escalate", ""),
	REASON_ROW("rework", ""),
	REASON_ROW("reopen", ""),
	REASON_ROW("extend_refuse", ""),
	REASON_ROW("return", ",\"reason_code\":\"other\""),
	REASON_ROW("extend", ",\"amount\":2"),
	REASON_ROW("dispatch", ",\"agency\":\"330203.SL\""),
	{ { "a reason of 501 letters", "{\"op\":\"park\",\"case\":\"%1$s\","
	    "\"version\":1,\"operator\":\"x\",\"reason\":\"%2$s\"}",
	    "too_long", "reason", NULL }, "r", 501 },
	{ { "a park reason of 60 KB", "{\"op\":\"park\",\"case\":\"%1$s\","
	    "\"version\":1,\"operator\":\"x\",\"reason\":\"%2$s\"}",
	    "too_long", "reason", NULL }, "停", 20000 },
	{ { "an agency of 33 characters", "{\"op\":\"dispatch\",\"case\":"
	    "\"%1$s\",\"version\":1,\"operator\":\"x\",\"agency\":"
	    "\"%2$s\"}", "too_long", "agency", NULL }, "A", 33 },
	{ { "a reason code of 33 characters", "{\"op\":\"return\",\"case\":"
	    "\"%1$s\",\"version\":1,\"operator\":\"x\",\"reason_code\":"
	    "\"%2$s\"}", "too_long", "reason_code", NULL }, "o", 33 },
};

/* Send one row's request (on case no, with long text rep x nrep) and
 * check the refusal; 0 or 1 (failed, said on stderr). */
static int
ctl_row_check(struct fx *f, const struct ctl_row *row, const char *no,
    const char *rep, int nrep)
{
	char	*req, *text;
	size_t	 k, len = rep != NULL ? strlen(rep) : 0, reqlen;
	int	 failed = 0;
	json_t	*r, *e, *p;

	text = malloc(len * (size_t)nrep + 1);
	assert_non_null(text);
	text[0] = '\0';
	for (k = 0; k < (size_t)nrep; k++)
		memcpy(text + k * len, rep, len + 1);
	reqlen = strlen(row->req) + strlen(text) + 64;
	req = malloc(reqlen);
	assert_non_null(req);
	snprintf(req, reqlen, row->req, no, text);
	r = rpcs(f->ctl, req);
	free(req);
	free(text);
	e = json_object_get(r, "error");
	p = row->params != NULL ? json_loads(row->params, 0, NULL) : NULL;
	if (r == NULL || !json_is_false(json_object_get(r, "ok")) ||
	    !streq(jstr(e, "code"), row->code) ||
	    (row->field != NULL && !streq(jstr(e, "field"), row->field)) ||
	    jstr(e, "message") == NULL ||
	    (p != NULL && !json_equal(p, json_object_get(e, "params")))) {
		fprintf(stderr, "  row \"%s\": expected %s%s%s%s%s\n",
		    row->name, row->code, row->field ? " on " : "",
		    row->field ? row->field : "", p != NULL ? ", params " : "",
		    p != NULL ? row->params : "");
		jprint("reply", r);
		failed = 1;
	}
	json_decref(p);
	json_decref(r);
	return failed;
}

static void
test_control_errors(void **state)
{
	struct fx	*f = *state;
	char		 no[32];
	long long	 seq0, seq1;
	size_t		 i;
	int		 failed = 0;
	json_t		*r;

	r = ingest1(f, "ce-1", GRID, CAT, past(f, 9, 0), "control errors", no,
	    sizeof no);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	status_get(f, &seq0, NULL);
	for (i = 0; i < NITEMS(ctl_rows); i++)
		failed += ctl_row_check(f, &ctl_rows[i], no, NULL, 0);
	for (i = 0; i < NITEMS(ctl_long_rows); i++)
		failed += ctl_row_check(f, &ctl_long_rows[i].row, no,
		    ctl_long_rows[i].rep, ctl_long_rows[i].nrep);
	/* None of it changed anything. */
	status_get(f, &seq1, NULL);
	assert_int_equal(seq1, seq0);
	r = case_get(f, no);
	REQUIRE(jint(json_object_get(r, "case"), "version") == 1 &&
	    streq(jstr(json_object_get(r, "case"), "state"), "reported"), r);
	json_decref(r);
	if (failed)
		fail_msg("%d control rows failed", failed);
}

/* n copies of unit after head, in a static buffer. */
static const char *
repeat(const char *head, const char *unit, int n)
{
	static char	buf[4096];
	size_t		len = strlen(head), u = strlen(unit);
	int		i;

	assert_true(len + u * (size_t)n < sizeof buf);
	memcpy(buf, head, len + 1);
	for (i = 0; i < n; i++)
		memcpy(buf + len + (size_t)i * u, unit, u + 1);
	return buf;
}

/*
 * The bounds of docs/PROTOCOL.md at their edges, through the server:
 * a name of 64 bytes cut mid-character once made a stale-version action
 * answer nomem instead of conflict; 64 characters of Chinese (192 bytes)
 * are a name like any other; an extension of a year in the case's unit is
 * granted and moves the deadline a year on (341606371735363 hours once
 * moved it to 1926); a reason of 500 characters is stored whole.
 */
static void
test_bounds(void **state)
{
	struct fx	*f = *state;
	char		 no[32], name[256], reason[2048];
	const char	*unit;
	long long	 year, due0, due1;
	time_t		 t;
	json_t		*r, *c, *p;

	r = ingest1(f, "bd-1", GRID, CAT, past(f, 7, 0), "边界", no,
	    sizeof no);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);

	/* 'a' and 21 characters of 3 bytes: 64 bytes, the old buffer's size */
	snprintf(name, sizeof name, "%s", repeat("a", "调", 21));
	r = ctlf(f, "{\"op\":\"register\",\"case\":\"%s\",\"version\":1,"
	    "\"operator\":\"%s\"}", no, name);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"dispatch\",\"case\":\"%s\",\"version\":1,"
	    "\"operator\":\"x\",\"agency\":\"330203.ZF\"}", no);
	p = json_object_get(json_object_get(r, "error"), "params");
	REQUIRE(streq(jstr(json_object_get(r, "error"), "code"), "conflict") &&
	    streq(jstr(p, "by"), name), r);
	json_decref(r);

	/* 64 Chinese characters: accepted, and named whole in a conflict */
	snprintf(name, sizeof name, "%s", repeat("", "派", 64));
	r = ctlf(f, "{\"op\":\"dispatch\",\"case\":\"%s\",\"version\":2,"
	    "\"operator\":\"%s\",\"agency\":\"330203.ZF\"}", no, name);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"acknowledge\",\"case\":\"%s\",\"version\":2,"
	    "\"operator\":\"x\"}", no);
	p = json_object_get(json_object_get(r, "error"), "params");
	REQUIRE(streq(jstr(json_object_get(r, "error"), "code"), "conflict") &&
	    streq(jstr(p, "by"), name), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"acknowledge\",\"case\":\"%s\",\"version\":3,"
	    "\"operator\":\"x\"}", no);
	REQUIRE(jtrue(r, "ok"), r);
	c = json_object_get(r, "case");
	unit = jstr(c, "unit");
	REQUIRE(unit != NULL && jstr(c, "due_at") != NULL &&
	    gltime_parse(jstr(c, "due_at"), &t) == 0, r);
	year = streq(unit, "工作日") ? 366 : 8784;
	due0 = t;
	json_decref(r);

	/* a year and one more: refused at extend */
	r = ctlf(f, "{\"op\":\"extend\",\"case\":\"%s\",\"version\":4,"
	    "\"operator\":\"x\",\"reason\":\"r\",\"amount\":%lld}", no,
	    year + 1);
	REQUIRE(streq(jstr(json_object_get(r, "error"), "code"),
	    "bad_value") && streq(jstr(json_object_get(r, "error"), "field"),
	    "amount"), r);
	json_decref(r);
	/* a year, with a reason of 500 characters: asked, and granted */
	snprintf(reason, sizeof reason, "%s", repeat("", "延", 500));
	r = ctlf(f, "{\"op\":\"extend\",\"case\":\"%s\",\"version\":4,"
	    "\"operator\":\"x\",\"reason\":\"%s\",\"amount\":%lld}", no,
	    reason, year);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"extend_grant\",\"case\":\"%s\",\"version\":5,"
	    "\"operator\":\"x\",\"amount\":341606371735363}", no);
	REQUIRE(streq(jstr(json_object_get(r, "error"), "code"),
	    "bad_value") && streq(jstr(json_object_get(r, "error"), "field"),
	    "amount"), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"extend_grant\",\"case\":\"%s\",\"version\":5,"
	    "\"operator\":\"x\"}", no);
	REQUIRE(jtrue(r, "ok") && jstr(json_object_get(r, "case"), "due_at")
	    != NULL && gltime_parse(jstr(json_object_get(r, "case"),
	    "due_at"), &t) == 0, r);
	due1 = t;
	REQUIRE(due1 - due0 >= 300LL * 86400 && due1 - due0 <= 800LL * 86400,
	    r);
	json_decref(r);

	/* the reason is in the log whole */
	r = case_get(f, no);
	p = json_array_get(json_object_get(r, "history"), 4);
	REQUIRE(streq(jstr(p, "action"), "extend") &&
	    streq(jstr(p, "reason"), reason), r);
	json_decref(r);
}

/* snapshot and search see what was ingested. */
static void
test_snapshot_search(void **state)
{
	struct fx	*f = *state;
	char		 no[32];
	json_t		*r, *cs;
	size_t		 i;
	int		 found = 0;

	r = ingest1(f, "ss-1", GRID2, CAT3, past(f, 10, 0),
	    "鼓楼步行街流动摊贩占道 token-zq7", no, sizeof no);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"search\",\"q\":\"token-zq7\"}");
	cs = json_object_get(r, "cases");
	REQUIRE(jtrue(r, "ok") && json_array_size(cs) == 1 &&
	    streq(jstr(json_array_get(cs, 0), "no"), no), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"search\",\"q\":\"摊贩\"}");
	REQUIRE(jtrue(r, "ok") && json_array_size(json_object_get(r,
	    "cases")) >= 1, r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"snapshot\",\"limit\":2000}");
	cs = json_object_get(r, "cases");
	REQUIRE(jtrue(r, "ok") && json_is_null(json_object_get(r, "next")), r);
	for (i = 0; i < json_array_size(cs); i++)
		found += streq(jstr(json_array_get(cs, i), "no"), no);
	REQUIRE(found == 1, r);
	json_decref(r);
}

/* Send body on a raw REQ socket with request id (top bit set, as the REQ
 * protocol marks the last word of its header). 0 or -1. */
static int
raw_req_send(int s, uint32_t id, const char *body)
{
	unsigned char	 ctl[NN_CMSG_SPACE(sizeof(size_t) + 4)];
	struct nn_cmsghdr *c = (struct nn_cmsghdr *)(void *)ctl;
	struct nn_msghdr h;
	struct nn_iovec	 iov;
	size_t		 four = 4;
	unsigned char	*d;

	memset(ctl, 0, sizeof ctl);
	c->cmsg_len = NN_CMSG_LEN(sizeof four + 4);
	c->cmsg_level = PROTO_SP;
	c->cmsg_type = SP_HDR;
	d = NN_CMSG_DATA(c);
	memcpy(d, &four, sizeof four);
	id |= 0x80000000u;
	d[sizeof four] = (unsigned char)(id >> 24);
	d[sizeof four + 1] = (unsigned char)(id >> 16);
	d[sizeof four + 2] = (unsigned char)(id >> 8);
	d[sizeof four + 3] = (unsigned char)id;
	memset(&h, 0, sizeof h);
	iov.iov_base = (void *)body;
	iov.iov_len = strlen(body);
	h.msg_iov = &iov;
	h.msg_iovlen = 1;
	h.msg_control = ctl;
	h.msg_controllen = sizeof ctl;
	return nn_sendmsg(s, &h, 0) < 0 ? -1 : 0;
}

/* One reply on a raw REQ socket: its request id (top bit cleared) and its
 * "ok"/error code in code; -1 on timeout. */
static long
raw_req_recv(int s, char *code, size_t len)
{
	struct nn_msghdr  h;
	struct nn_iovec	  iov;
	struct nn_cmsghdr *c;
	void		 *body = NULL, *ctl = NULL;
	const unsigned char *d;
	size_t		  n;
	long		  id = -1;
	json_t		 *r;
	int		  got;

	memset(&h, 0, sizeof h);
	iov.iov_base = &body;
	iov.iov_len = NN_MSG;
	h.msg_iov = &iov;
	h.msg_iovlen = 1;
	h.msg_control = &ctl;
	h.msg_controllen = NN_MSG;
	if ((got = nn_recvmsg(s, &h, 0)) < 0)
		return -1;
	for (c = NN_CMSG_FIRSTHDR(&h); c != NULL; c = NN_CMSG_NXTHDR(&h, c))
		if (c->cmsg_level == PROTO_SP && c->cmsg_type == SP_HDR) {
			d = NN_CMSG_DATA(c);
			memcpy(&n, d, sizeof n);
			if (n >= 4)
				id = (long)(((uint32_t)d[sizeof n] << 24 |
				    (uint32_t)d[sizeof n + 1] << 16 |
				    (uint32_t)d[sizeof n + 2] << 8 |
				    d[sizeof n + 3]) & 0x7fffffffu);
		}
	r = json_loadb(body, (size_t)got, 0, NULL);
	snprintf(code, len, "%s", jtrue(r, "ok") ? "ok" :
	    jstr(json_object_get(r, "error"), "code") != NULL ?
	    jstr(json_object_get(r, "error"), "code") : "?");
	json_decref(r);
	nn_freemsg(body);
	nn_freemsg(ctl);
	return id;
}

/*
 * A connection gets at most 8 control requests waiting (issue 11: "limits
 * ... on unanswered requests per connection"). A raw REQ socket keeps 200
 * requests in flight: every one is answered exactly once, the newest with
 * its page and the oldest of those still queued with too_many. (Small
 * replies: a raw REP socket cannot take a second large reply to one
 * connection while the first is still being written, and the server does
 * not wait.) status counts them. How many are dropped depends on how
 * fast the server reads (192 of 200 here); that any are is what the old
 * server never did. Plain REQ sockets flooding, each request abandoning
 * the one before, are test-flood.sh's.
 */
static void
test_pipe_limit(void **state)
{
	enum { N = 200 };
	struct fx	*f = *state;
	const char	*page = "{\"op\":\"events\",\"since\":0,"
			    "\"limit\":1}";
	char		 url[700], code[64];
	int		 s, seen[N + 1] = { 0 }, ok = 0, many = 0, i;
	long		 id;
	json_t		*r;

	snprintf(url, sizeof url, "ipc://%s/control.sock", f->main.run);
	assert_true((s = nn_socket(AF_SP_RAW, NN_REQ)) >= 0);
	sock_timeouts(s, TIMEOUT_MS);
	i = -1;
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &i, sizeof i);
	assert_true(nn_connect(s, url) >= 0);
	sleep_ms(50);
	for (i = 1; i <= N; i++)
		assert_int_equal(raw_req_send(s, (uint32_t)i, page), 0);
	for (i = 0; i < N; i++) {
		if ((id = raw_req_recv(s, code, sizeof code)) < 1 || id > N)
			fail_msg("reply %d of %d: id %ld", i + 1, N, id);
		if (seen[id]++)
			fail_msg("request %ld answered twice", id);
		ok += strcmp(code, "ok") == 0;
		many += strcmp(code, "too_many") == 0;
		if (id == N && strcmp(code, "ok") != 0)
			fail_msg("the newest request was answered %s", code);
	}
	nn_close(s);
	if (ok + many != N || many < 1)
		fail_msg("%d pages, %d too_many of %d", ok, many, N);

	r = ctlf(f, "{\"op\":\"status\"}");
	REQUIRE(jtrue(r, "ok") && jint(r, "too_many") >= many, r);
	json_decref(r);
}

/*
 * snapshot with "finished": closed, voided and merged cases, newest first,
 * paged with before and limit; "next" is the last id of a full page and
 * null at the end. Walked here in pages of 2 over the whole server (other
 * tests finish cases too): every case finished, ids falling, ours there.
 */
static void
test_snapshot_finished(void **state)
{
	struct fx	*f = *state;
	char		 no[3][32], id[32];
	long long	 before = 0, last = 0;
	json_t		*r, *cs, *it, *next;
	size_t		 i;
	int		 seen[3] = { 0, 0, 0 }, pages = 0, j;

	for (j = 0; j < 3; j++) {
		snprintf(id, sizeof id, "fin-%d", j);
		r = ingest1(f, id, GRID, CAT3, past(f, 22, j * 40),
		    "结束的案件", no[j], sizeof no[j]);
		REQUIRE(jtrue(r, "ok"), r);
		json_decref(r);
	}
	r = ctlf(f, "{\"op\":\"void\",\"case\":\"%s\",\"version\":1,"
	    "\"operator\":\"调度\",\"reason\":\"误报\"}", no[0]);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = ctlf(f, "{\"op\":\"merge\",\"case\":\"%s\",\"version\":1,"
	    "\"operator\":\"调度\",\"target\":\"%s\"}", no[1], no[2]);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);

	do {
		r = before ? ctlf(f, "{\"op\":\"snapshot\",\"finished\":true,"
		    "\"before\":%lld,\"limit\":2}", before) :
		    ctlf(f, "{\"op\":\"snapshot\",\"finished\":true,"
		    "\"limit\":2}");
		cs = json_object_get(r, "cases");
		next = json_object_get(r, "next");
		REQUIRE(jtrue(r, "ok") && json_is_array(cs) &&
		    json_array_size(cs) <= 2, r);
		REQUIRE(json_array_size(cs) == 2 ? json_is_integer(next) :
		    json_is_null(next), r);
		json_array_foreach(cs, i, it) {
			REQUIRE(streq(jstr(it, "state"), "closed") ||
			    streq(jstr(it, "state"), "voided") ||
			    streq(jstr(it, "state"), "merged"), r);
			for (j = 0; j < 3; j++)
				seen[j] += streq(jstr(it, "no"), no[j]);
		}
		/* newest first: each page's next below the last one's */
		before = json_is_integer(next) ? json_integer_value(next) : 0;
		REQUIRE(before == 0 || last == 0 || before < last, r);
		last = before;
		json_decref(r);
	} while (before != 0 && ++pages < 1000);
	REQUIRE(seen[0] == 1 && seen[1] == 1 && seen[2] == 0, NULL);

	/* the first page: the merged case (newer) before the voided one */
	r = ctlf(f, "{\"op\":\"snapshot\",\"finished\":true,\"limit\":2000}");
	cs = json_object_get(r, "cases");
	for (i = 0, j = -1; i < json_array_size(cs); i++) {
		if (streq(jstr(json_array_get(cs, i), "no"), no[1]))
			j = (int)i;
		if (streq(jstr(json_array_get(cs, i), "no"), no[0]))
			REQUIRE(j >= 0 && j < (int)i, r);
	}
	json_decref(r);
	r = ctlf(f, "{\"op\":\"snapshot\",\"finished\":\"yes\"}");
	REQUIRE(streq(jstr(json_object_get(r, "error"), "code"),
	    "wrong_type"), r);
	json_decref(r);
}

/* A locked database: the request gets an error reply (PROTOCOL.md: code
 * store_failed, "nothing of the batch was stored; send again"), nothing is
 * stored, the server goes on, and the same request sent again is stored.
 * The lock is held by the sqlite3 shell (skipped without it) for longer
 * than the store's 5 s busy timeout. */
static void
test_locked_db(void **state)
{
	struct fx	*f = *state;
	static const char lock[] = "BEGIN EXCLUSIVE; SELECT 'locked';\n";
	char		 out[256] = "", req[4096];
	const char	*code;
	long long	 cases0, cases1, end;
	size_t		 n = 0;
	ssize_t		 k;
	int		 in[2], outp[2], status, s, documented;
	json_t		*r, *res;

	if (access("/usr/bin/sqlite3", X_OK) != 0) {
		fprintf(stderr, "  no /usr/bin/sqlite3: skipped\n");
		skip();
	}
	status_get(f, NULL, &cases0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(outp), 0);
	fflush(NULL);
	if ((f->helper = fork()) == 0) {
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[1]);
		close(outp[0]);
		execl("/usr/bin/sqlite3", "sqlite3", f->main.db, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	assert_true(f->helper > 0);
	assert_true(write(in[1], lock, sizeof lock - 1) ==
	    (ssize_t)(sizeof lock - 1));
	end = now_ms() + READY_MS;
	while (strstr(out, "locked") == NULL && now_ms() < end &&
	    (k = read(outp[0], out + n, sizeof out - 1 - n)) > 0)
		out[n += (size_t)k] = '\0';
	assert_non_null(strstr(out, "locked"));

	snprintf(req, sizeof req, "%s", item("lk-1", GRID, CAT, past(f, 18, 0),
	    "while the database is locked"));
	assert_true((s = req_open(f->main.run, "ingest.sock", 3 * STOP_MS)) >=
	    0);
	r = rpcs(s, req);
	close(in[1]);			/* the shell ends: lock released */
	close(outp[0]);
	assert_int_equal(proc_wait(f->helper, STOP_MS, &status), 0);
	f->helper = 0;
	res = json_array_get(json_object_get(r, "results"), 0);
	REQUIRE(r != NULL && json_is_false(json_object_get(r, "ok")) &&
	    !jtrue(res, "ok"), r);
	code = jstr(json_object_get(r, "error"), "code");
	if (code == NULL)
		code = jstr(json_object_get(res, "error"), "code");
	documented = streq(code, "store_failed");
	snprintf(out, sizeof out, "%s", code != NULL ? code : "(none)");
	json_decref(r);
	status_get(f, NULL, &cases1);
	assert_int_equal(cases1, cases0);

	r = rpcs(s, req);
	nn_close(s);
	res = json_array_get(json_object_get(r, "results"), 0);
	REQUIRE(jtrue(r, "ok") && json_is_false(json_object_get(res,
	    "replayed")), r);
	json_decref(r);
	status_get(f, NULL, &cases1);
	assert_int_equal(cases1, cases0 + 1);
	if (!documented)
		fail_msg("a locked database is answered with code %s; "
		    "PROTOCOL.md says store_failed", out);
}

/* --- process-level behaviour ---------------------------------------------- */

static void
test_second_server(void **state)
{
	struct fx	*f = *state;
	struct srv	 two = f->main;
	char		 out[4096] = "", lockpid[32] = "", path[700];
	size_t		 n = 0;
	ssize_t		 k;
	int		 pfd[2], status = 0;
	long long	 end;
	struct pollfd	 p;
	FILE		*fp;

	snprintf(two.db, sizeof two.db, "%s/db2", f->main.dir);
	assert_int_equal(pipe(pfd), 0);
	fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
	f->extra.pid = srv_spawn(&two, data_dir(), 0, pfd[1], NULL);
	close(pfd[1]);
	assert_true(f->extra.pid > 0);
	/* Read its stderr until it closes (the process ended), bounded. */
	end = now_ms() + READY_MS;
	p.fd = pfd[0];
	p.events = POLLIN;
	while (now_ms() < end && poll(&p, 1, (int)(end - now_ms())) > 0) {
		if ((k = read(pfd[0], out + n, sizeof out - 1 - n)) <= 0)
			break;
		n += (size_t)k;
	}
	out[n] = '\0';
	close(pfd[0]);
	assert_int_equal(proc_wait(f->extra.pid, READY_MS, &status), 0);
	f->extra.pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 0 ||
	    strstr(out, "already runs") == NULL) {
		fprintf(stderr, "  status 0x%x, stderr: %s\n", status, out);
		fail_msg("a second server on the same run dir did not refuse");
	}
	/* The first one still serves and still holds the lock. */
	status_get(f, NULL, NULL);
	snprintf(path, sizeof path, "%s/lock", f->main.run);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(lockpid, sizeof lockpid, fp) == NULL)
			lockpid[0] = '\0';
		fclose(fp);
	}
	assert_int_equal(atol(lockpid), (long)f->main.pid);
	assert_true(access(two.db, F_OK) != 0);
}

static void
test_sighup_reload(void **state)
{
	struct fx	*f = *state;
	json_t		*r;

	assert_int_equal(kill(f->main.pid, SIGHUP), 0);
	assert_true(file_wait_for(f->main.log, "reference data reloaded",
	    READY_MS));
	status_get(f, NULL, NULL);
	r = ingest1(f, "hup-1", GRID, CAT, past(f, 11, 0), "after SIGHUP",
	    NULL, 0);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
}

/* Copy every file of data dir src into dst (flat). */
static int
copy_dir(const char *src, const char *dst)
{
	DIR		*d = opendir(src);
	struct dirent	*e;
	struct stat	 sb;
	char		 a[1200], b[1200];
	int		 rc = 0;

	if (d == NULL || mkdir(dst, 0700) != 0) {
		if (d != NULL)
			closedir(d);
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		snprintf(a, sizeof a, "%s/%s", src, e->d_name);
		snprintf(b, sizeof b, "%s/%s", dst, e->d_name);
		if (stat(a, &sb) == 0 && S_ISREG(sb.st_mode))
			rc = tu_copy(a, b);
	}
	closedir(d);
	return rc;
}

static void
test_sighup_refused(void **state)
{
	struct fx	*f = *state;
	struct srv	*x = &f->extra;
	char		 data[700], duty[800], t[40];
	json_t		*r, *c;
	int		 s;

	/* A server of its own on a copy of the data, so that the copy can
	 * be broken under it. */
	snprintf(x->dir, sizeof x->dir, "%s", tu_tmpdir());
	snprintf(x->run, sizeof x->run, "%s/run", x->dir);
	snprintf(x->db, sizeof x->db, "%s/db", x->dir);
	snprintf(x->log, sizeof x->log, "%s/log", x->dir);
	snprintf(data, sizeof data, "%s/data", x->dir);
	assert_int_equal(copy_dir(data_dir(), data), 0);
	assert_true((x->pid = srv_spawn(x, data, 1, -1, NULL)) > 0);
	assert_int_equal(srv_ready(x), 0);

	snprintf(duty, sizeof duty, "%s/duty.tsv", data);
	assert_int_equal(unlink(duty), 0);
	assert_int_equal(kill(x->pid, SIGHUP), 0);
	assert_true(file_wait_for(x->log, "reload refused", READY_MS));

	/* Still serving, with the old data (routing still works). */
	assert_true((s = req_open(x->run, "ingest.sock", TIMEOUT_MS)) >= 0);
	r = rpcs(s, item("hr-1", GRID, CAT, past(f, 12, 0), "after a bad "
	    "reload"));
	nn_close(s);
	REQUIRE(jtrue(r, "ok"), r);
	assert_true((s = req_open(x->run, "control.sock", TIMEOUT_MS)) >= 0);
	snprintf(data, sizeof data, "{\"op\":\"case\",\"case\":\"%s\"}",
	    jstr(json_array_get(json_object_get(r, "results"), 0), "case"));
	c = rpcs(s, data);
	nn_close(s);
	REQUIRE(streq(jstr(json_object_get(json_object_get(c, "case"),
	    "route"), "lead"), "330203.ZF"), c);
	(void)t;
	json_decref(c);
	json_decref(r);
	assert_int_equal(srv_stop(x), 0);
}

/* A signed request from a printf format on REQ socket s, as id; the
 * reply. The envelope sent is kept in sent (when not NULL) for a replay. */
static json_t * __attribute__((format(printf, 4, 5)))
signed_rpc(int s, const struct sign_id *id, char **sent, const char *fmt,
    ...)
{
	char	 buf[4096], *env;
	size_t	 len;
	va_list	 ap;
	json_t	*req, *rep;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	assert_non_null(req = json_loads(buf, 0, NULL));
	assert_int_equal(sign_seal(id, req, time(NULL), &env, &len), 0);
	json_decref(req);
	rep = rpc(s, env, len);
	if (sent != NULL)
		*sent = env;
	else
		free(env);
	return rep;
}

static void
id_make(struct sign_id *id, const char *name)
{
	char	err[128];

	memset(id, 0, sizeof *id);
	snprintf(id->name, sizeof id->name, "%s", name);
	assert_int_equal(key_generate(&id->kp, err, sizeof err), 0);
}

/* operator_add of id by admin (or by id itself: the first admin). */
static void
id_add(int s, const struct sign_id *by, const struct sign_id *id,
    const char *role, const char *bind_key, const char *bind)
{
	char	pk[KEY_PUBLIC_B64];
	json_t	*r;

	key_public_b64(id->kp.pk, pk);
	if (bind_key != NULL)
		r = signed_rpc(s, by, NULL, "{\"op\":\"operator_add\","
		    "\"name\":\"%s\",\"role\":\"%s\",\"pubkey\":\"%s\","
		    "\"%s\":\"%s\"}", id->name, role, pk, bind_key, bind);
	else
		r = signed_rpc(s, by, NULL, "{\"op\":\"operator_add\","
		    "\"name\":\"%s\",\"role\":\"%s\",\"pubkey\":\"%s\"}",
		    id->name, role, pk);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
}

/*
 * Signed requests through a server of its own (issue 12): unsigned until
 * the first admin, who adds itself signed by its own key; from then on
 * every request signed. Each role acts where the rights table says and is
 * refused forbidden with the rule elsewhere, distinct from the lifecycle's
 * not_allowed; the event log's actor is the signer; a replayed envelope
 * and a changed byte are unauthenticated; a disabled operator is out at
 * once; the last admin cannot be disabled.
 */
static void
test_signed(void **state)
{
	struct fx	*f = *state;
	struct srv	*x = &f->extra;
	struct sign_id	 admin, disp, zf, sj, town, viewer, *ids[6];
	char		 no[32], no2[32], *env;
	json_t		*r, *h;
	int		 c, g, i;
	size_t		 k;
	static const char *const names[] = { "张管理", "王调度", "区执法局",
	    "区市场监管局", "西门街道指挥", "只读者" };

	ids[0] = &admin; ids[1] = &disp; ids[2] = &zf; ids[3] = &sj;
	ids[4] = &town; ids[5] = &viewer;
	for (i = 0; i < 6; i++)
		id_make(ids[i], names[i]);
	assert_int_equal(srv_start(x, data_dir()), 0);
	assert_true((c = req_open(x->run, "control.sock", TIMEOUT_MS)) >= 0);
	assert_true((g = req_open(x->run, "ingest.sock", TIMEOUT_MS)) >= 0);

	/* no operator yet: unsigned is served; a signed request other than
	 * the first admin's own operator_add is not */
	r = rpcs(c, "{\"op\":\"status\"}");
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = signed_rpc(c, &disp, NULL, "{\"op\":\"status\"}");
	REQUIRE(refused(r, "unauthenticated", NULL), r);
	json_decref(r);
	id_add(c, &admin, &admin, "admin", NULL, NULL);
	r = rpcs(c, "{\"op\":\"status\"}");
	REQUIRE(refused(r, "unauthenticated", NULL), r);
	json_decref(r);
	id_add(c, &admin, &disp, "dispatcher", NULL, NULL);
	id_add(c, &admin, &zf, "agency", "agency", "330203.ZF");
	id_add(c, &admin, &sj, "agency", "agency", "330203.SJ");
	id_add(c, &admin, &town, "township", "township", "330203003");
	id_add(c, &admin, &viewer, "viewer", NULL, NULL);
	r = signed_rpc(c, &disp, NULL, "{\"op\":\"operator_add\",\"name\":"
	    "\"x\",\"role\":\"admin\",\"pubkey\":\"x\"}");
	REQUIRE(refused(r, "forbidden", "role"), r);
	json_decref(r);
	r = signed_rpc(c, &town, NULL, "{\"op\":\"status\"}");
	REQUIRE(jtrue(r, "ok") && streq(jstr(json_object_get(r, "you"),
	    "role"), "township") && streq(jstr(json_object_get(r, "you"),
	    "township"), "330203003"), r);
	json_decref(r);

	/* two cases of 西门街道 (330203003), lead 330203.ZF */
	for (i = 0; i < 2; i++) {
		r = rpcs(g, item(i == 0 ? "sg-1" : "sg-2", GRID, CAT,
		    past(f, 3, 0), "签名测试 井盖"));
		REQUIRE(jtrue(r, "ok"), r);
		snprintf(i == 0 ? no : no2, sizeof no, "%s", jstr(
		    json_array_get(json_object_get(r, "results"), 0), "case"));
		json_decref(r);
	}

	r = signed_rpc(c, &viewer, NULL, "{\"op\":\"register\",\"case\":"
	    "\"%s\",\"version\":1}", no);
	REQUIRE(refused(r, "forbidden", "role"), r);
	json_decref(r);
	r = signed_rpc(c, &disp, NULL, "{\"op\":\"register\",\"case\":"
	    "\"%s\",\"version\":1}", no);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = signed_rpc(c, &disp, NULL, "{\"op\":\"close\",\"case\":"
	    "\"%s\",\"version\":2}", no);
	REQUIRE(refused(r, "not_allowed", NULL), r);	/* not now: state */
	json_decref(r);
	r = signed_rpc(c, &disp, NULL, "{\"op\":\"dispatch\",\"case\":"
	    "\"%s\",\"version\":2,\"agency\":\"330203.ZF\"}", no);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = signed_rpc(c, &disp, NULL, "{\"op\":\"acknowledge\",\"case\":"
	    "\"%s\",\"version\":3}", no);
	REQUIRE(refused(r, "forbidden", "role"), r);	/* not yours */
	json_decref(r);
	r = signed_rpc(c, &sj, NULL, "{\"op\":\"acknowledge\",\"case\":"
	    "\"%s\",\"version\":3}", no);
	REQUIRE(refused(r, "forbidden", "agency_scope"), r);
	json_decref(r);
	r = signed_rpc(c, &zf, &env, "{\"op\":\"acknowledge\",\"case\":"
	    "\"%s\",\"version\":3}", no);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = rpc(c, env, strlen(env));		/* the same bytes again */
	REQUIRE(refused(r, "unauthenticated", NULL) && strstr(jstr(
	    json_object_get(r, "error"), "message"), "replay") != NULL, r);
	json_decref(r);
	env[strlen(env) - 3] ^= 0x01;		/* a byte of the JSON */
	r = rpc(c, env, strlen(env));
	REQUIRE(refused(r, "unauthenticated", NULL), r);
	json_decref(r);
	free(env);

	/* the township: its case, dispatched to what it commands only */
	r = signed_rpc(c, &town, NULL, "{\"op\":\"register\",\"case\":"
	    "\"%s\",\"version\":1}", no2);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = signed_rpc(c, &town, NULL, "{\"op\":\"dispatch\",\"case\":"
	    "\"%s\",\"version\":2,\"agency\":\"330203.ZF\"}", no2);
	REQUIRE(refused(r, "forbidden", "township_command"), r);
	json_decref(r);
	r = signed_rpc(c, &town, NULL, "{\"op\":\"dispatch\",\"case\":"
	    "\"%s\",\"version\":2,\"agency\":\"330203003.ZFZD\","
	    "\"reason\":\"街道执法中队就近处置\"}", no2);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);

	/* the log's actors are the signers, whatever a request typed */
	r = signed_rpc(c, &disp, NULL, "{\"op\":\"case\",\"case\":\"%s\"}",
	    no);
	h = json_object_get(r, "history");
	REQUIRE(jtrue(r, "ok") && json_array_size(h) == 4, r);
	/* how long its agency has had it: the time of the dispatch */
	REQUIRE(streq(jstr(json_object_get(r, "case"), "dispatched_at"),
	    jstr(json_array_get(h, 2), "at")), r);
	for (k = 1; k < 4; k++)
		REQUIRE(streq(jstr(json_array_get(h, k), "actor"), k < 3 ?
		    "王调度" : "区执法局"), r);
	json_decref(r);

	/* disabled: out at once; the last admin stays */
	r = signed_rpc(c, &admin, NULL, "{\"op\":\"operator_set\",\"name\":"
	    "\"王调度\",\"disabled\":true}");
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	r = signed_rpc(c, &disp, NULL, "{\"op\":\"status\"}");
	REQUIRE(refused(r, "unauthenticated", NULL), r);
	json_decref(r);
	r = signed_rpc(c, &admin, NULL, "{\"op\":\"operator_set\",\"name\":"
	    "\"张管理\",\"disabled\":true}");
	REQUIRE(refused(r, "forbidden", NULL), r);
	json_decref(r);
	r = signed_rpc(c, &admin, NULL, "{\"op\":\"operators\"}");
	REQUIRE(jtrue(r, "ok") && json_array_size(json_object_get(r,
	    "operators")) == 6, r);
	json_decref(r);
	nn_close(c);
	nn_close(g);

	/* after a restart the operators are there, still signed */
	assert_int_equal(srv_stop(x), 0);
	assert_true((x->pid = srv_spawn(x, data_dir(), 0, -1, NULL)) > 0);
	assert_int_equal(srv_ready(x), 0);
	assert_true((c = req_open(x->run, "control.sock", TIMEOUT_MS)) >= 0);
	r = rpcs(c, "{\"op\":\"status\"}");
	REQUIRE(refused(r, "unauthenticated", NULL), r);
	json_decref(r);
	r = signed_rpc(c, &zf, NULL, "{\"op\":\"status\"}");
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	nn_close(c);
	assert_int_equal(srv_stop(x), 0);
}

/* SIGTERM stops cleanly (exit 0, checkpointed), what was acknowledged is
 * there after a restart on the same database, and SIGINT stops too. */
static void
test_sigterm_restart(void **state)
{
	struct fx	*f = *state;
	struct srv	*x = &f->extra;
	char		 no[32], req[700];
	struct stat	 sb;
	json_t		*r;
	int		 s;

	assert_int_equal(srv_start(x, data_dir()), 0);
	assert_true((s = req_open(x->run, "ingest.sock", TIMEOUT_MS)) >= 0);
	r = rpcs(s, item("tr-1", GRID, CAT, past(f, 13, 0), "before TERM"));
	nn_close(s);
	REQUIRE(jtrue(r, "ok"), r);
	snprintf(no, sizeof no, "%s", jstr(json_array_get(json_object_get(r,
	    "results"), 0), "case"));
	json_decref(r);
	assert_int_equal(srv_stop(x), 0);
	/* Checkpointed on the way out: no WAL left with content. */
	snprintf(req, sizeof req, "%s-wal", x->db);
	assert_true(stat(req, &sb) != 0 || sb.st_size == 0);
	assert_true(file_has(x->log, "stopped"));

	/* Restart on the same places: the case is there. */
	assert_true((x->pid = srv_spawn(x, data_dir(), 1, -1, NULL)) > 0);
	assert_int_equal(srv_ready(x), 0);
	assert_true((s = req_open(x->run, "control.sock", TIMEOUT_MS)) >= 0);
	snprintf(req, sizeof req, "{\"op\":\"case\",\"case\":\"%s\"}", no);
	r = rpcs(s, req);
	nn_close(s);
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	assert_int_equal(srv_stop_sig(x, SIGINT), 0);	/* SIGINT too */
}

/* The grid codes of district 330203 from the data's grids.tsv, up to max;
 * how many. */
static size_t
grids_load(char (*out)[16], size_t max)
{
	char	 path[700], line[512];
	size_t	 n = 0;
	FILE	*fp;

	snprintf(path, sizeof path, "%s/grids.tsv", data_dir());
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, "330203", 6) == 0 && line[15] == '\t') {
			memcpy(out[n], line, 15);
			out[n++][15] = '\0';
		}
	fclose(fp);
	return n;
}

#define INFLIGHT	5000

/* SIGTERM while a big batch commits: it is answered, every item ok, the
 * server exits 0, and a restart finds all of it. */
static void
test_sigterm_in_flight(void **state)
{
	struct fx	*f = *state;
	struct srv	*x = &f->extra;
	static char	 grids[1000][16];
	char		*req, t[40];
	size_t		 ng, i, n = 0, cap = INFLIGHT * 160;
	long long	 cases = 0;
	json_t		*r, *res;
	int		 s, status = 0, ok = 1;

	assert_true((ng = grids_load(grids, 1000)) > 100);
	assert_non_null(req = malloc(cap));
	n += (size_t)snprintf(req, cap, "[");
	for (i = 0; i < INFLIGHT; i++)	/* a grid repeats 40 min later */
		n += (size_t)snprintf(req + n, cap - n, "%s{\"id\":\"if-%zu\","
		    "\"grid\":\"%s\",\"category\":\"%s\",\"reported_at\":"
		    "\"%s\",\"summary\":\"in flight %zu\"}", i ? "," : "", i,
		    grids[i % ng], CAT3, fmt_time(past(f, 15, 0) +
		    (time_t)(i / ng) * 40 * 60, t, sizeof t), i);
	n += (size_t)snprintf(req + n, cap - n, "]");
	assert_true(n < cap && n < 1024 * 1024);

	assert_int_equal(srv_start(x, data_dir()), 0);
	assert_true((s = req_open(x->run, "ingest.sock", 3 * STOP_MS)) >= 0);
	assert_true(nn_send(s, req, n, 0) == (int)n);
	free(req);
	sleep_ms(150);			/* received; committing */
	assert_int_equal(kill(x->pid, SIGTERM), 0);
	r = sock_recv_json(s);
	nn_close(s);
	res = json_object_get(r, "results");
	for (i = 0; i < json_array_size(res); i++)
		ok &= jtrue(json_array_get(res, i), "ok");
	REQUIRE(jtrue(r, "ok") && json_array_size(res) == INFLIGHT && ok, r);
	json_decref(r);
	assert_int_equal(proc_wait(x->pid, STOP_MS, &status), 0);
	x->pid = 0;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	assert_true((x->pid = srv_spawn(x, data_dir(), 1, -1, NULL)) > 0);
	assert_int_equal(srv_ready(x), 0);
	assert_true((s = req_open(x->run, "control.sock", TIMEOUT_MS)) >= 0);
	r = rpcs(s, "{\"op\":\"status\"}");
	nn_close(s);
	cases = jint(r, "cases");
	json_decref(r);
	assert_int_equal(cases, INFLIGHT);
	assert_int_equal(srv_stop(x), 0);
}

/* The optional fields come back in the case. */
static void
test_ingest_optional(void **state)
{
	struct fx	*f = *state;
	char		 t[40], req[2048];
	json_t		*r, *c, *k, *loc;

	snprintf(req, sizeof req, "{\"id\":\"op-1\",\"grid\":\"" GRID "\","
	    "\"category\":\"" CAT2 "\",\"reported_at\":\"%s\",\"summary\":"
	    "\"路灯不亮\",\"reporter\":\"张三\",\"source\":\"hotline\","
	    "\"priority\":2,\"address\":\"望京路 12 号\",\"location\":"
	    "{\"lat\":29.8683,\"lon\":121.544},\"photos\":"
	    "[\"https://example.org/a.jpg\"],\"extra\":{\"ignored\":true}}",
	    fmt_time(past(f, 16, 0), t, sizeof t));
	r = rpcs(f->ing, req);
	REQUIRE(jtrue(r, "ok"), r);
	c = case_get(f, jstr(json_array_get(json_object_get(r, "results"), 0),
	    "case"));
	k = json_object_get(c, "case");
	loc = json_object_get(k, "location");
	REQUIRE(streq(jstr(k, "reporter"), "张三") && streq(jstr(k, "source"),
	    "hotline") && jint(k, "priority") == 2 && streq(jstr(k,
	    "address"), "望京路 12 号") && streq(jstr(k, "category_name"),
	    "路灯不亮"), c);
	REQUIRE(json_is_number(json_object_get(loc, "lat")) &&
	    json_number_value(json_object_get(loc, "lat")) > 29.868 &&
	    json_number_value(json_object_get(loc, "lat")) < 29.869 &&
	    json_number_value(json_object_get(loc, "lon")) > 121.543 &&
	    json_number_value(json_object_get(loc, "lon")) < 121.545, c);
	json_decref(c);
	json_decref(r);
}

/* Start the test's own server with an extra TCP ingest endpoint and a
 * 4 KiB message limit; the URL into url. */
static void
tcp_server_start(struct fx *f, char *url, size_t len)
{
	char	*more[] = { "--ingest", url, "--max-message", "4096", NULL };
	int	 port, try;

	for (try = 0; try < 3; try++) {
		port = 20000 + (int)((getpid() * 7 + try * 997 + now_ms()) %
		    20000);
		snprintf(url, len, "tcp://127.0.0.1:%d", port);
		if (srv_start_with(&f->extra, data_dir(), more) == 0)
			return;
		srv_cleanup(&f->extra);
	}
	fail_msg("no server with --ingest tcp://127.0.0.1:PORT started");
}

/* A message of len bytes over the limit: an incident padded with x. */
static char *
tcp_big(struct fx *f, size_t len)
{
	char	*big = malloc(len + 1), t[40];

	assert_non_null(big);
	snprintf(big, len + 1, "{\"id\":\"tcp-big\",\"grid\":\"" GRID "\","
	    "\"category\":\"" CAT "\",\"reported_at\":\"%s\","
	    "\"summary\":\"", fmt_time(past(f, 17, 10), t, sizeof t));
	memset(big + strlen(big), 'x', len - strlen(big) - 2);
	memcpy(big + len - 2, "\"}", 3);
	return big;
}

/* --ingest adds a TCP endpoint; --max-message sets the limit, and above 4x
 * the limit nanomsg drops a message unanswered without harm. */
static void
test_ingest_tcp_limit(void **state)
{
	struct fx	*f = *state;
	char		 url[64], *big;
	json_t		*r;
	int		 s;

	tcp_server_start(f, url, sizeof url);
	assert_true((s = nn_socket(AF_SP, NN_REQ)) >= 0);
	sock_timeouts(s, TIMEOUT_MS);
	assert_true(nn_connect(s, url) >= 0);
	r = rpcs(s, item("tcp-1", GRID, CAT, past(f, 17, 0), "over tcp"));
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);

	/* 5,000 bytes: over the limit, answered too_large. */
	big = tcp_big(f, 5000);
	r = rpc(s, big, 5000);
	free(big);
	REQUIRE(streq(jstr(json_object_get(r, "error"), "code"), "too_large"),
	    r);
	json_decref(r);
	/* 20,000 bytes: dropped by nanomsg, no reply; the server goes on. */
	big = tcp_big(f, 20000);
	sock_timeouts(s, 500);
	assert_true(nn_send(s, big, 20000, 0) == 20000);
	free(big);
	r = sock_recv_jsonq(s, 1);
	assert_null(r);
	sock_timeouts(s, TIMEOUT_MS);
	r = rpcs(s, item("tcp-2", GRID, CAT, past(f, 17, 20), "still there"));
	REQUIRE(jtrue(r, "ok"), r);
	json_decref(r);
	nn_close(s);
	assert_int_equal(srv_stop(&f->extra), 0);
}

/* A reject names the endpoint it came in on ("sender's endpoint" in issue
 * 4; store.h: "where it came in"), not always the ipc socket. */
static void
test_reject_endpoint(void **state)
{
	struct fx	*f = *state;
	char		 url[64], seen[64], *big;
	json_t		*r, *x1;
	int		 s, c, ok;

	tcp_server_start(f, url, sizeof url);
	assert_true((s = nn_socket(AF_SP, NN_REQ)) >= 0);
	sock_timeouts(s, TIMEOUT_MS);
	assert_true(nn_connect(s, url) >= 0);
	big = tcp_big(f, 5000);
	r = rpc(s, big, 5000);
	free(big);
	nn_close(s);
	json_decref(r);
	assert_true((c = req_open(f->extra.run, "control.sock",
	    TIMEOUT_MS)) >= 0);
	r = rpcs(c, "{\"op\":\"rejects\",\"limit\":1}");
	nn_close(c);
	x1 = json_array_get(json_object_get(r, "rejects"), 0);
	REQUIRE(streq(jstr(x1, "code"), "too_large"), r);
	snprintf(seen, sizeof seen, "%s", jstr(x1, "endpoint") ? jstr(x1,
	    "endpoint") : "(null)");
	ok = streq(seen, url);
	json_decref(r);
	assert_int_equal(srv_stop(&f->extra), 0);
	if (!ok)
		fail_msg("a reject received on %s names the endpoint %s", url,
		    seen);
}

/* "no log line per incident at the default level": after every test
 * above (well over a hundred incidents and rejects) the log is short and
 * names no incident. */
static void
test_log_quiet(void **state)
{
	struct fx	*f = *state;
	FILE		*fp = fopen(f->main.log, "r");
	char		 line[4096];
	int		 n = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		n++;
		if ((strstr(line, "330203-") != NULL || strstr(line,
		    "\"id\"") != NULL) && strstr(line, "id_conflict") == NULL)
			fprintf(stderr, "  log names an incident: %s", line);
	}
	fclose(fp);
	assert_true(n > 0 && n < 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ingest_round_trip),
		cmocka_unit_test(test_ingest_optional),
		cmocka_unit_test(test_ingest_mixed_array),
		cmocka_unit_test(test_ingest_resend),
		cmocka_unit_test(test_ingest_id_scope),
		cmocka_unit_test(test_ingest_duplicate),
		cmocka_unit_test(test_ingest_duplicate_chain),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_reject_body),
		cmocka_unit_test(test_reject_amplification),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_created_event),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_escalate_route),
		cmocka_unit_test(test_support_default),
		cmocka_unit_test(test_merged_from),
		cmocka_unit_test(test_control_errors),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_snapshot_search),
		cmocka_unit_test(test_pipe_limit),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_snapshot_finished),
		cmocka_unit_test_teardown(test_locked_db, extra_teardown),
		cmocka_unit_test_teardown(test_second_server, extra_teardown),
		cmocka_unit_test(test_sighup_reload),
		cmocka_unit_test_teardown(test_sighup_refused, extra_teardown),
		cmocka_unit_test_teardown(test_sigterm_restart,
		    extra_teardown),
		cmocka_unit_test_teardown(test_sigterm_in_flight,
		    extra_teardown),
		cmocka_unit_test_teardown(test_ingest_tcp_limit,
		    extra_teardown),
		cmocka_unit_test_teardown(test_reject_endpoint,
		    extra_teardown),
		cmocka_unit_test(test_log_quiet),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
