/*
 * bench-console.c: the dispatch console with 100,000 open cases (issue 5,
 * "Benchmark"), beside a baseline measured in the same run.
 *
 * Usage: bench-console GRIDLINE_BINARY DATA_DIR
 * Environment: BENCH_SIZE (window, default 200x50),
 * BENCH_CASES (open cases to fill, default 100000),
 * BENCH_SECONDS (the arrival run, default 10).
 *
 * Everything lives in a scratch directory under /tmp, removed at the end:
 *   1. `gridline serve --daemon` on a scratch run dir and database;
 *   2. BENCH_CASES incidents through the ingest socket (REQ, arrays of
 *      1,000, grids and categories from the reference data, Chinese
 *      summaries of 20-40 characters), and the fill rate;
 *   3. the baseline: the same open rows read straight from the database
 *      with SQLite (read-only, the columns the queue shows);
 *   4. the console in a detached tmux session (a private tmux server,
 *      `tmux -L benchcon-PID -f /dev/null`, 200x50, the pane's process the
 *      console itself: `exec env GRIDLINE_CONSOLE_TRACE=... gridline`),
 *      with GRIDLINE_CONSOLE_TRACE (console/console.c) writing a line
 *      after each frame: the first full frame is the "loaded" line's wall
 *      clock minus the time just before tmux was asked to start it; then
 *      the server's share of it, the same snapshot pages asked over the
 *      control socket by this program;
 *   5. 300 keys through `tmux send-keys`, 20 ms apart (scrolling, a filter
 *      and its clearing, a text filter, a search): the "key" lines, from
 *      the key read to the finished frame;
 *   6. 1,000 incidents/s for BENCH_SECONDS (arrays of 10 every 10 ms,
 *      paced by the clock, one REQ socket): for each acknowledged one,
 *      its "shown" line's wall clock minus the time it was sent; cases
 *      acknowledged but never shown are counted (there must be none);
 *   7. the console's RSS after the load and after the run, and its case
 *      count (the top bar, read with capture-pane) beside the server's;
 *   8. the report view (P, today by agency) while 100 incidents/s
 *      arrive: the `report` op asked once a second over control by this
 *      program (its round trip), and the console's "report" trace lines
 *      (each refresh's draw and frame);
 *   9. q, the tmux server killed, the gridline server stopped (SIGTERM to
 *      the pid in its lock file, waited for), the scratch dir removed.
 *
 * Reply JSON is read with SQLite's JSON functions (an in-memory database),
 * so the program links only nanomsg and SQLite. Every wait has a deadline;
 * SIGINT/SIGTERM stop the run and still clean up. Not a test: nothing here
 * fails on a number (the exit status is 1 only when the run could not be
 * made).
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <sqlite3.h>

#include "bench.h"

/* The window: 200x50 by default, BENCH_SIZE=80x24 for an SSH-sized one. */
static int	COLS_X = 200, ROWS_Y = 50;
#define FILL_BATCH	1000
#define LOAD_BATCH	10
#define LOAD_EVERY_US	10000		/* 10 items every 10 ms: 1,000/s */
#define KEY_EVERY_US	20000
#define MAX_GRIDS	3000
#define MAX_CATS	200
#define SNAP_PAGE	2000		/* as the console asks (console.c) */
#define REPORT_RATE	100		/* incidents/s beside the report view */
#define REPORT_MAX	4096

static char		 exe[4096], data[4096];
static char		 scratch[64], run_dir[128], db_path[128], log_path[128];
static char		 trace_path[128], tmux_sock[64];
static pid_t		 console_pid = -1;
static volatile sig_atomic_t stop;
static sqlite3		*jdb;		/* in-memory: JSON reading only */

static char		 grids[MAX_GRIDS][16];
static char		 cats[MAX_CATS][8];
static int		 ngrids, ncats;

/* --- clocks, small helpers -------------------------------------------------- */

static int64_t
clock_us(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
mono_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

static int64_t
wall_us(void)
{
	return clock_us(CLOCK_REALTIME);
}

static void
sleep_us(int64_t us)
{
	struct timespec	ts;

	if (us <= 0)
		return;
	ts.tv_sec = (time_t)(us / 1000000);
	ts.tv_nsec = (long)(us % 1000000) * 1000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !stop)
		;
}

static void
on_signal(int signum)
{
	(void)signum;
	stop = 1;
}

static void
note(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "bench-console: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The p-th quantile (0..1) of n sorted values. */
static int64_t
quantile(const int64_t *v, size_t n, double p)
{
	size_t	i = (size_t)((double)n * p);

	return n == 0 ? 0 : v[i < n ? i : n - 1];
}

/* Run argv (no shell), stdout and stderr to /dev/null unless quiet is 0;
 * its exit status, or -1. */
static int
run(char *const argv[], int quiet)
{
	pid_t	pid;
	int	st, fd;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if (quiet && (fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* rm -rf path, without following links. */
static void
remove_tree(const char *path)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	char		 sub[1024];

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			remove_tree(sub);
		}
		closedir(d);
		rmdir(path);
		return;
	}
	unlink(path);
}

/* A whole file, NUL-terminated; *len its length. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "r");
	char	*buf = NULL, *nb;
	size_t	 cap = 0, n = 0, got;

	*len = 0;
	if (fp == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((nb = realloc(buf, cap)) == NULL)
				break;
			buf = nb;
		}
		if ((got = fread(buf + n, 1, cap - n - 1, fp)) == 0)
			break;
		n += got;
	}
	fclose(fp);
	if (buf != NULL)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* --- the reference data and the incidents ------------------------------ */

/* The first column of a TSV file after its header, up to max codes of
 * exactly want characters. */
static int
read_codes(const char *file, char *out, size_t width, int max, size_t want)
{
	char	 path[4200], line[4096];
	FILE	*fp;
	int	 n = 0;
	size_t	 k;

	snprintf(path, sizeof path, "%s/%s", data, file);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof line, fp) == NULL) {	/* the header */
		fclose(fp);
		return 0;
	}
	while (n < max && fgets(line, sizeof line, fp) != NULL) {
		k = strcspn(line, "\t\r\n");
		if (k != want)
			continue;
		memcpy(out + (size_t)n * width, line, k);
		out[(size_t)n * width + k] = '\0';
		n++;
	}
	fclose(fp);
	return n;
}

static uint64_t	rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

#define PICK(a)	((a)[rng() % (sizeof (a) / sizeof (a)[0])])

static const char *const places[] = {
	"中山东路", "解放南路", "天一广场", "鼓楼步行街", "江北万达",
	"百丈东路", "灵桥路", "老外滩", "柳汀街", "药行街", "世纪大道",
	"宁穿路", "甬江大道", "环城西路", "兴宁路", "姚隘路", "日新街",
	"开明街", "孝闻街", "大闸路", "福明路", "四明中路", "钱湖北路",
	"望京路", "惊驾路", "丽园南路", "长春路", "中兴路",
};
static const char *const spots[] = {
	"小区门口", "公交站旁", "菜场入口", "学校南门", "十字路口",
	"人行道上", "地下通道", "河道边", "停车场内", "商铺门前",
	"桥下", "幼儿园对面", "医院东侧", "老年活动中心旁", "快递驿站前",
};
static const char *const problems[] = {
	"井盖缺失", "井盖松动有异响", "路灯连续三晚不亮", "垃圾堆放无人清运",
	"共享单车乱停乱放", "流动摊贩占道经营", "污水外溢有异味",
	"树枝折断挡住道路", "违章搭建彩钢棚", "噪音扰民至深夜",
	"路面塌陷形成坑洼", "消防通道被车辆堵塞", "广告牌松动有坠落风险",
	"积水严重行人难以通过", "油烟直排影响居民", "雨水井盖破损",
	"建筑垃圾随意倾倒", "电动车在楼道充电", "围墙开裂有倒塌风险",
};
static const char *const tails[] = {
	"，居民反映多次未解决", "，请尽快派人处理", "，存在安全隐患",
	"，影响老人小孩出行", "，已持续一周左右", "，附近商户也有意见",
	"，晚上尤其明显", "，希望有关部门核实", "，早晚高峰更严重",
	"，网格员已拍照留存", "，下雨天情况加重",
};
static const char *const sources[] = { "grid-app", "hotline", "sensor",
	"web" };

/* UTF-8 characters in s. */
static size_t
chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* A Chinese summary of 20 to 40 characters. */
static void
summary(char *buf, size_t len)
{
	size_t	target = 20 + rng() % 21, n, i;
	char	*p;

	snprintf(buf, len, "%s%s%s", PICK(places), PICK(spots), PICK(problems));
	while (chars(buf) < target && strlen(buf) + 40 < len)
		strcat(buf, PICK(tails));
	if ((n = chars(buf)) > 40) {		/* cut at a character */
		for (p = buf, i = 0; *p != '\0'; p++)
			if (((unsigned char)*p & 0xc0) != 0x80 && i++ == 40)
				break;
		*p = '\0';
	}
}

/* RFC 3339 in UTC+8. */
static void
rfc3339(time_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		local = t + 8 * 3600;

	gmtime_r(&local, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

/* One incident, reported ago seconds before now. */
static int
incident(char *buf, size_t len, const char *tag, long seq, long ago)
{
	char	when[40], text[256];

	rfc3339(time(NULL) - ago, when, sizeof when);
	summary(text, sizeof text);
	return snprintf(buf, len, "{\"id\":\"%s-%ld-%ld\",\"grid\":\"%s\","
	    "\"category\":\"%s\",\"reported_at\":\"%s\",\"summary\":\"%s\","
	    "\"source\":\"%s\"}", tag, (long)getpid(), seq,
	    grids[rng() % (uint32_t)ngrids], cats[rng() % (uint32_t)ncats],
	    when, text, PICK(sources));
}

/* An array of items incidents; *seq moves on. ago < 0: up to two days. */
static size_t
request(char *buf, size_t len, const char *tag, long *seq, int items,
    long ago)
{
	size_t	n = 0;
	int	i;

	buf[n++] = '[';
	for (i = 0; i < items && n + 1024 < len; i++) {
		if (i > 0)
			buf[n++] = ',';
		n += (size_t)incident(buf + n, len - n, tag, (*seq)++,
		    ago >= 0 ? ago : 60 + (long)(rng() % (2 * 86400)));
	}
	buf[n++] = ']';
	buf[n] = '\0';
	return n;
}

/* --- the server and its sockets -------------------------------------------- */

static int
sp_socket(const char *name, int timeout_ms)
{
	char	url[256];
	int	s = nn_socket(AF_SP, NN_REQ), snd = 5000, unlimited = -1;

	if (s < 0)
		return -1;
	snprintf(url, sizeof url, "ipc://%s/%s", run_dir, name);
	/* a snapshot page of 2,000 cases is some 2.7 MB: over nanomsg's
	 * default limit of 1 MiB, which drops it unanswered */
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &unlimited,
	    sizeof unlimited);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout_ms,
	    sizeof timeout_ms);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, &snd, sizeof snd);
	if (nn_connect(s, url) < 0) {
		nn_close(s);
		return -1;
	}
	return s;
}

/* Send and wait for the reply (*rep: nn_freemsg it); its length or -1. */
static int
sp_call(int s, const char *msg, size_t len, char **rep)
{
	int	n;

	*rep = NULL;
	if (nn_send(s, msg, len, 0) < 0)
		return -1;
	if ((n = nn_recv(s, rep, NN_MSG, 0)) < 0)
		*rep = NULL;
	return n;
}

static int
server_start(void)
{
	char	*argv[] = { exe, "serve", "--daemon", "--run-dir",
		    run_dir, "--db", db_path, "--data", data, "--log",
		    log_path, NULL };

	return run(argv, 0);
}

static pid_t
server_pid(void)
{
	char	path[256], buf[32] = "";
	FILE	*fp;

	snprintf(path, sizeof path, "%s/lock", run_dir);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof buf, fp) == NULL)
		buf[0] = '\0';
	fclose(fp);
	return atol(buf) > 0 ? (pid_t)atol(buf) : -1;
}

static void
server_stop(void)
{
	pid_t	pid = server_pid();
	int64_t	until;

	if (pid <= 0 || kill(pid, SIGTERM) != 0)
		return;
	until = mono_us() + 10000000;
	while (kill(pid, 0) == 0 && mono_us() < until)
		sleep_us(20000);
	if (kill(pid, 0) == 0) {
		note("the server (pid %ld) did not stop in 10 s: SIGKILL",
		    (long)pid);
		kill(pid, SIGKILL);
	}
}

/*
 * An ingest reply: per item in request order, ok and the case number.
 * Calls fn for each acknowledged item; returns the number of them, and
 * counts the refused ones in *bad (the first is shown).
 */
static long
reply_items(const char *rep, int len, long *bad,
    void (*fn)(const char *no, void *arg), void *arg)
{
	static sqlite3_stmt	*st;
	static int		 shown;
	long			 ok = 0, items = 0;

	if (st == NULL && sqlite3_prepare_v2(jdb, "SELECT json_extract(value,"
	    "'$.ok'), json_extract(value, '$.case'), json_extract(value, "
	    "'$.error.code'), json_extract(value, '$.error.message') FROM "
	    "json_each(?1, '$.results') ORDER BY key", -1, &st, NULL) !=
	    SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, rep, len, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		items++;
		if (sqlite3_column_int(st, 0) == 1 &&
		    sqlite3_column_text(st, 1) != NULL) {
			ok++;
			if (fn != NULL)
				fn((const char *)sqlite3_column_text(st, 1),
				    arg);
			continue;
		}
		(*bad)++;
		if (!shown++)
			note("an item was refused: %s: %s",
			    sqlite3_column_text(st, 2) ? (const char *)
			    sqlite3_column_text(st, 2) : "?",
			    sqlite3_column_text(st, 3) ? (const char *)
			    sqlite3_column_text(st, 3) : "?");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (items == 0 && !shown++)
		note("a request was refused: %.*s", len < 300 ? len : 300, rep);
	return ok;
}

/* 2. Fill n open cases; the rate, acknowledged cases a second. */
static double
fill(long n, long *acked)
{
	static char	 req[1 << 20];
	char		*rep;
	long		 seq = 0, bad = 0, batch;
	int64_t		 t0 = mono_us(), until = t0 + 600 * 1000000LL;
	int		 s = sp_socket("ingest.sock", 60000), len;
	size_t		 qn;

	*acked = 0;
	if (s < 0)
		return 0;
	while (seq < n && !stop && mono_us() < until) {
		batch = n - seq < FILL_BATCH ? n - seq : FILL_BATCH;
		qn = request(req, sizeof req, "fill", &seq, (int)batch, -1);
		if ((len = sp_call(s, req, qn, &rep)) < 0) {
			note("ingest: %s", nn_strerror(nn_errno()));
			break;
		}
		*acked += reply_items(rep, len, &bad, NULL, NULL);
		nn_freemsg(rep);
	}
	nn_close(s);
	if (bad > 0)
		note("%ld of %ld incidents refused", bad, seq);
	return (double)*acked / ((double)(mono_us() - t0) / 1e6);
}

/* 3. The baseline: the open rows straight from the database. */
static double
sqlite_read_ms(long *rows)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 t0 = mono_us();
	size_t		 bytes = 0;
	int		 i;

	*rows = 0;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT no, state, priority, summary, "
	    "township, category, due_at FROM cases WHERE state NOT IN "
	    "('closed','voided','merged')", -1, &st, NULL) != SQLITE_OK) {
		note("sqlite: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < 7; i++)		/* the values, as a reader would */
			bytes += (size_t)sqlite3_column_bytes(st, i) +
			    (sqlite3_column_text(st, i) != NULL);
		(*rows)++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (bytes == 0 && *rows > 0)
		note("sqlite: no bytes read");
	return (double)(mono_us() - t0) / 1e3;
}

/* The server's share of the whole snapshot: the pages the console asks
 * for (fields: queue, as console/sync.c asks), over control, send to reply
 * (the console's decoding and model building are not in it). Until
 * 2026-11-29 this asked for the full shape, about twice the bytes, which
 * is not what the console reads. */
static double
snapshot_ms(int *pages, double *mb, long *cases)
{
	sqlite3_stmt	*st;
	char		 req[128], *rep;
	long long	 after = 0;
	int64_t		 busy = 0, t;
	int		 s = sp_socket("control.sock", 30000), len;

	*pages = 0;
	*mb = 0;
	*cases = 0;
	if (s < 0 || sqlite3_prepare_v2(jdb, "SELECT json_extract(?1, "
	    "'$.next'), json_array_length(?1, '$.cases')", -1, &st, NULL) !=
	    SQLITE_OK) {
		if (s >= 0)
			nn_close(s);
		return -1;
	}
	while (!stop) {
		snprintf(req, sizeof req, "{\"op\":\"snapshot\",\"after\":%lld,"
		    "\"limit\":%d,\"fields\":\"queue\"}", after, SNAP_PAGE);
		t = mono_us();
		if ((len = sp_call(s, req, strlen(req), &rep)) < 0)
			break;
		busy += mono_us() - t;
		(*pages)++;
		*mb += len / 1e6;
		sqlite3_bind_text(st, 1, rep, len, SQLITE_STATIC);
		after = -1;
		if (sqlite3_step(st) == SQLITE_ROW) {
			*cases += sqlite3_column_int(st, 1);
			if (sqlite3_column_type(st, 0) == SQLITE_INTEGER)
				after = sqlite3_column_int64(st, 0);
		}
		sqlite3_reset(st);
		nn_freemsg(rep);
		if (after < 0)
			break;
	}
	sqlite3_finalize(st);
	nn_close(s);
	return (double)busy / 1e3;
}

/* --- the console in tmux ------------------------------------------------- */

static int
tmux(const char *a1, const char *a2, const char *a3, const char *a4,
    const char *a5)
{
	char	*argv[12];
	int	 n = 0;

	argv[n++] = "tmux";
	argv[n++] = "-L";
	argv[n++] = tmux_sock;
	argv[n++] = "-f";
	argv[n++] = "/dev/null";
	argv[n++] = (char *)a1;
	if (a2 != NULL)
		argv[n++] = (char *)a2;
	if (a3 != NULL)
		argv[n++] = (char *)a3;
	if (a4 != NULL)
		argv[n++] = (char *)a4;
	if (a5 != NULL)
		argv[n++] = (char *)a5;
	argv[n] = NULL;
	return run(argv, 1);
}

/* A key: a tmux key name (PageDown, Enter, BSpace) or literal text. */
static int
send_key(const char *key)
{
	int	named = strlen(key) > 1 && (key[0] & 0x80) == 0;

	return named ? tmux("send-keys", "-t", "bench", key, NULL) :
	    tmux("send-keys", "-t", "bench", "-l", key);
}

static int
console_start(void)
{
	char	cmd[8192], size_x[8], size_y[8];

	if (strchr(exe, '\'') != NULL || strchr(scratch, '\'') != NULL) {
		note("a quote in a path");
		return -1;
	}
	/* exec env: the pane's process is the console itself */
	snprintf(cmd, sizeof cmd, "exec env GRIDLINE_CONSOLE_TRACE='%s' "
	    "LANG=C.UTF-8 '%s' --run-dir '%s' --operator bench", trace_path,
	    exe, run_dir);
	snprintf(size_x, sizeof size_x, "%d", COLS_X);
	snprintf(size_y, sizeof size_y, "%d", ROWS_Y);
	{
		char *argv[] = { "tmux", "-L", tmux_sock, "-f", "/dev/null",
		    "new-session", "-d", "-s", "bench", "-x", size_x, "-y",
		    size_y, cmd, NULL };

		return run(argv, 0);
	}
}

/* The console's pid: the pane's, or its child when a shell sits between. */
static pid_t
console_find(void)
{
	char	 cmd[256], line[64], path[96], comm[64] = "";
	FILE	*fp;
	long	 pid = -1, child = -1;

	snprintf(cmd, sizeof cmd, "tmux -L %s list-panes -t bench -F "
	    "'#{pane_pid}' 2>/dev/null", tmux_sock);
	if ((fp = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof line, fp) != NULL)
		pid = atol(line);
	pclose(fp);
	if (pid <= 0)
		return -1;
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(comm, sizeof comm, fp) == NULL)
			comm[0] = '\0';
		fclose(fp);
	}
	if (strncmp(comm, "gridline", 8) == 0)
		return (pid_t)pid;
	snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", pid, pid);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fscanf(fp, "%ld", &child) != 1)
			child = -1;
		fclose(fp);
	}
	return child > 0 ? (pid_t)child : (pid_t)pid;
}

/* Wait for the trace line "WORD N T" ("first": the first frame with cases,
 * "loaded": the first with the whole snapshot): its wall clock and case
 * count, or -1. */
static int64_t
wait_trace(const char *word, int64_t deadline_mono, long *count)
{
	char		 fmt[32];
	char		*buf, *p;
	size_t		 len;
	long long	 t;

	snprintf(fmt, sizeof fmt, "%s %%ld %%lld\n", word);
	while (!stop && mono_us() < deadline_mono) {
		if ((buf = slurp(trace_path, &len)) != NULL) {
			for (p = buf; p != NULL && *p != '\0';
			    p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
				if (sscanf(p, fmt, count, &t) == 2 &&
				    strchr(p, '\n') != NULL) {
					free(buf);
					return (int64_t)t;
				}
			free(buf);
		}
		sleep_us(2000);
	}
	return -1;
}

/* The "key US" lines, sorted. */
static size_t
trace_keys(int64_t **out)
{
	char		*buf, *p, *nl;
	size_t		 len, n = 0, cap = 1024;
	long long	 us;
	int64_t		*v = malloc(cap * sizeof *v), *nv;

	*out = v;
	if (v == NULL || (buf = slurp(trace_path, &len)) == NULL)
		return 0;
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (sscanf(p, "key %lld", &us) != 1 || strncmp(p, "key ", 4))
			continue;
		if (n == cap) {
			if ((nv = realloc(v, cap * 2 * sizeof *v)) == NULL)
				break;
			v = nv;
			cap *= 2;
		}
		v[n++] = us;
		if (us > 10000)		/* over the target: say which key */
			note("slow key: %.*s", (int)(nl - p), p);
	}
	free(buf);
	qsort(v, n, sizeof *v, cmp_i64);
	*out = v;
	return n;
}

/* 5. The keys: scrolling, a filter and its clearing, a text filter, a
 * search. No key is sent that changes nothing on the screen (j on an
 * empty queue), since the trace times a key to the next frame. */
static const char *const key_cycle[] = {
	"j", "j", "j", "j", "j", "j", "j", "j", "k", "k", "k",
	"PageDown", "PageDown", "PageDown", "j", "j", "k", "G", "k", "g",
	"f", "o", "v", "e", "r", "d", "u", "e", "Enter",	/* overdue */
	":", "f", "i", "l", "t", "e", "r", "Enter",		/* clear */
	"j", "j", "PageDown", "k",
	"/", "井", "盖", "Enter",				/* search */
	"j", "j", "k",
	"f", "井", "盖", "Enter",				/* text filter */
	"j", "j", "j", "PageDown", "G", "g",
	":", "f", "i", "l", "t", "e", "r", "Enter",		/* clear */
	"PageDown", "j", "g",
};
#define NKEYS	300

static int
keys_run(void)
{
	size_t	 ncycle = sizeof key_cycle / sizeof key_cycle[0], i;
	int64_t	 next = mono_us();
	int	 failed = 0;

	for (i = 0; i < NKEYS && !stop; i++) {
		sleep_us(next - mono_us());
		next += KEY_EVERY_US;
		failed += send_key(key_cycle[i % ncycle]) != 0;
	}
	return failed;
}

/* Leave the queue unfiltered, at the top, in the queue mode. */
static void
keys_reset(void)
{
	size_t	i;

	send_key("Escape");
	sleep_us(KEY_EVERY_US);
	send_key(":");
	for (i = 0; i < 6; i++) {
		char k[2] = { "filter"[i], '\0' };

		send_key(k);
	}
	send_key("Enter");
	send_key("g");
}

/* --- 6. arrival to screen ------------------------------------------------ */

struct sent {
	char	no[32];
	int64_t	at;		/* wall clock, microseconds */
};

struct sentlist {
	struct sent	*v;
	size_t		 n, cap;
	int64_t		 at;
};

static void
record_sent(const char *no, void *arg)
{
	struct sentlist	*l = arg;
	struct sent	*nv;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16384;
		if ((nv = realloc(l->v, l->cap * sizeof *nv)) == NULL) {
			l->cap = l->n;
			return;
		}
		l->v = nv;
	}
	snprintf(l->v[l->n].no, sizeof l->v[0].no, "%s", no);
	l->v[l->n++].at = l->at;
}

static int
cmp_sent(const void *a, const void *b)
{
	return strcmp(((const struct sent *)a)->no,
	    ((const struct sent *)b)->no);
}

/* Send LOAD_BATCH incidents every LOAD_EVERY_US for secs (paced by the
 * clock: a late send goes at once, none is skipped); the acknowledged
 * cases with their send times into l. The achieved rate. */
static double
load_run(double secs, struct sentlist *l, long *sent, long *bad)
{
	char		 req[16384], *rep;
	long		 seq = 0;
	int64_t		 t0 = mono_us(), end = t0 + (int64_t)(secs * 1e6);
	int64_t		 next = t0;
	int		 s = sp_socket("ingest.sock", 10000), len;
	size_t		 qn;

	*sent = *bad = 0;
	if (s < 0)
		return 0;
	while (!stop && mono_us() < end) {
		sleep_us(next - mono_us());
		next += LOAD_EVERY_US;
		qn = request(req, sizeof req, "load", &seq, LOAD_BATCH, 1);
		l->at = wall_us();
		if ((len = sp_call(s, req, qn, &rep)) < 0) {
			note("ingest under load: %s", nn_strerror(nn_errno()));
			break;
		}
		*sent += LOAD_BATCH;
		reply_items(rep, len, bad, record_sent, l);
		nn_freemsg(rep);
	}
	nn_close(s);
	return (double)*sent / ((double)(mono_us() - t0) / 1e6);
}

/* Match the "shown" lines to the sent cases: latencies (sorted) into lat,
 * how many sent cases were shown. l must be sorted by number. */
static size_t
match_shown(struct sentlist *l, int64_t *lat, int64_t *shown_at)
{
	char		*buf, *p, *nl;
	size_t		 len, i, matched = 0;
	struct sent	 key, *hit;
	long long	 t;

	for (i = 0; i < l->n; i++)
		shown_at[i] = -1;
	if ((buf = slurp(trace_path, &len)) == NULL)
		return 0;
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (strncmp(p, "shown ", 6) != 0 ||
		    sscanf(p, "shown %31s %lld", key.no, &t) != 2)
			continue;
		hit = bsearch(&key, l->v, l->n, sizeof *l->v, cmp_sent);
		if (hit != NULL && shown_at[hit - l->v] < 0)
			shown_at[hit - l->v] = t;
	}
	free(buf);
	for (i = 0; i < l->n; i++)
		if (shown_at[i] >= 0)
			lat[matched++] = shown_at[i] - l->v[i].at;
	qsort(lat, matched, sizeof *lat, cmp_i64);
	return matched;
}

/*
 * Whether the console holds every case: the "new" count of its top bar
 * (every case here is new) beside the server's case count. A case missing
 * from the "shown" lines but counted here reached the console by its
 * catch-up path (a gap in the event stream), which the trace does not mark.
 */
static void
console_holds(long *bar, long *server)
{
	char		 cmd[256], line[4096], *p, *rep;
	FILE		*fp;
	sqlite3_stmt	*st;
	int		 s, len;

	*bar = *server = -1;
	snprintf(cmd, sizeof cmd, "tmux -L %s capture-pane -p -t bench -S 0 "
	    "-E 0 2>/dev/null", tmux_sock);
	if ((fp = popen(cmd, "r")) != NULL) {
		if (fgets(line, sizeof line, fp) != NULL &&
		    (p = strstr(line, " new ")) != NULL)
			*bar = atol(p + 5);
		pclose(fp);
	}
	if ((s = sp_socket("control.sock", 10000)) < 0)
		return;
	if ((len = sp_call(s, "{\"op\":\"status\"}", 15, &rep)) >= 0) {
		if (sqlite3_prepare_v2(jdb, "SELECT json_extract(?1, '$.cases')",
		    -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, rep, len, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW &&
			    sqlite3_column_type(st, 0) == SQLITE_INTEGER)
				*server = (long)sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		nn_freemsg(rep);
	}
	nn_close(s);
}

/* --- main -------------------------------------------------------------------- */

/* 8: the report view open while REPORT_RATE incidents/s arrive for secs
 * (one a request, paced), and once a second the `report` op asked over
 * control by this program: its times (us, sorted) into op. The console's
 * "report RTT draw US frame US" trace lines are read afterwards. */
static size_t
report_run(double secs, int64_t *op, size_t max, long *sent)
{
	static const char q[] = "{\"op\":\"report\",\"by\":\"agency\"}";
	char		 req[4096], *rep;
	long		 seq = 0;
	int64_t		 t0 = mono_us(), end = t0 + (int64_t)(secs * 1e6);
	int64_t		 next = t0, ask = t0, t;
	int		 s = sp_socket("ingest.sock", 10000);
	int		 c = sp_socket("control.sock", 10000);
	size_t		 n = 0, qn;

	*sent = 0;
	while (s >= 0 && c >= 0 && !stop && mono_us() < end) {
		sleep_us(next - mono_us());
		next += 1000000 / REPORT_RATE;
		qn = request(req, sizeof req, "rep", &seq, 1, 1);
		if (sp_call(s, req, qn, &rep) < 0)
			break;
		nn_freemsg(rep);
		(*sent)++;
		if (mono_us() < ask || n == max)
			continue;
		ask += 1000000;
		t = mono_us();
		if (sp_call(c, q, sizeof q - 1, &rep) < 0 ||
		    (strstr(rep, "\"ok\": true") == NULL &&
		    strstr(rep, "\"ok\":true") == NULL)) {
			note("report op: %s", rep != NULL ? rep : "no answer");
			if (rep != NULL)
				nn_freemsg(rep);
			break;
		}
		op[n++] = mono_us() - t;
		nn_freemsg(rep);
	}
	if (s >= 0)
		nn_close(s);
	if (c >= 0)
		nn_close(c);
	qsort(op, n, sizeof *op, cmp_i64);
	return n;
}

/* The console's "report RTT draw US frame US" lines: draws and frames
 * (us, sorted) into draw and frame; how many. */
static size_t
trace_report(int64_t *draw, int64_t *frame, size_t max)
{
	char		*buf, *p;
	size_t		 len, n = 0;
	long long	 rtt, d, f;

	if ((buf = slurp(trace_path, &len)) == NULL)
		return 0;
	for (p = buf; p != NULL && *p != '\0' && n < max;
	    p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (sscanf(p, "report %lld draw %lld frame %lld", &rtt, &d,
		    &f) == 3) {
			draw[n] = d;
			frame[n++] = f;
		}
	free(buf);
	qsort(draw, n, sizeof *draw, cmp_i64);
	qsort(frame, n, sizeof *frame, cmp_i64);
	return n;
}

static void
cleanup(void)
{
	int64_t	until;
	char	sock[512];

	if (tmux_sock[0] != '\0') {
		if (console_pid > 0 && kill(console_pid, 0) == 0) {
			/* q closes the view on top, and at the queue asks
			 * first: q, y until it is gone (100 ms apart: Escape
			 * or a key within ESCDELAY would be Alt-key) */
			send_key("Escape");
			until = mono_us() + 3000000;
			while (kill(console_pid, 0) == 0 && mono_us() < until) {
				sleep_us(100000);
				send_key("q");
				sleep_us(100000);
				send_key("y");
				sleep_us(200000);
			}
			if (kill(console_pid, 0) == 0)
				note("the console did not quit on q");
		}
		tmux("kill-server", NULL, NULL, NULL, NULL);
		/* tmux leaves its socket file behind */
		snprintf(sock, sizeof sock, "%s/tmux-%ld/%s",
		    getenv("TMUX_TMPDIR") != NULL && *getenv("TMUX_TMPDIR") ?
		    getenv("TMUX_TMPDIR") : "/tmp", (long)getuid(), tmux_sock);
		unlink(sock);
	}
	if (run_dir[0] != '\0')
		server_stop();
	if (jdb != NULL)
		sqlite3_close(jdb);
	if (scratch[0] != '\0')
		remove_tree(scratch);
}

int
main(int argc, char **argv)
{
	const char	*env;
	struct sigaction sa;
	struct sentlist	 sl = { NULL, 0, 0, 0 };
	int64_t		 t0, t_loaded, t_first, *keys = NULL, *lat = NULL, *shown = NULL;
	int64_t		 last_send, until;
	long		 ncases = 100000, acked = 0, rows = 0, loaded_n = 0, first_n = 0;
	long		 rss_load, rss_run, sent = 0, refused = 0, snap_cases;
	long		 bar_count, server_count;
	double		 secs = 10, fill_rate, base_ms, snap_ms, snap_mb, rate;
	double		 first_ms = -1, all_ms = -1;
	size_t		 nkeys = 0, matched = 0;
	int		 snap_pages, key_fail, rc = 1;
	static int64_t	 op_us[REPORT_MAX], draw_us[REPORT_MAX],
			 frame_us[REPORT_MAX];
	size_t		 nop = 0, ndraw = 0;
	long		 rep_sent = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-console GRIDLINE_BINARY "
		    "DATA_DIR\n");
		return 2;
	}
	/* absolute: the console starts in tmux, the server detaches */
	if (realpath(argv[1], exe) == NULL || realpath(argv[2], data) == NULL) {
		note("%s: %s", realpath(argv[1], exe) == NULL ? argv[1] :
		    argv[2], strerror(errno));
		return 1;
	}
	if ((env = getenv("BENCH_SIZE")) != NULL &&
	    (sscanf(env, "%dx%d", &COLS_X, &ROWS_Y) != 2 || COLS_X < 40 ||
	    ROWS_Y < 10)) {
		COLS_X = 200;
		ROWS_Y = 50;
	}
	if ((env = getenv("BENCH_CASES")) != NULL && atol(env) >= 0)
		ncases = atol(env);
	if ((env = getenv("BENCH_SECONDS")) != NULL && atof(env) > 0)
		secs = atof(env);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	unsetenv("TMUX");
	setenv("LC_ALL", "C.UTF-8", 1);	/* tmux reads keys as UTF-8 */

	ngrids = read_codes("grids.tsv", grids[0], sizeof grids[0], MAX_GRIDS,
	    15);
	ncats = read_codes("categories.tsv", cats[0], sizeof cats[0],
	    MAX_CATS, 4);
	if (ngrids == 0 || ncats == 0) {
		note("no grids or categories in %s", data);
		return 1;
	}
	if (access(exe, X_OK) != 0) {
		note("%s: not executable", exe);
		return 1;
	}
	if (run((char *[]){ "tmux", "-V", NULL }, 1) != 0) {
		note("tmux is not installed");
		return 1;
	}
	snprintf(scratch, sizeof scratch, "/tmp/gridline-bench-console-XXXXXX");
	if (mkdtemp(scratch) == NULL) {
		scratch[0] = '\0';
		note("mkdtemp: %s", strerror(errno));
		return 1;
	}
	snprintf(run_dir, sizeof run_dir, "%s/run", scratch);
	snprintf(db_path, sizeof db_path, "%s/db", scratch);
	snprintf(log_path, sizeof log_path, "%s/log", scratch);
	snprintf(trace_path, sizeof trace_path, "%s/trace", scratch);
	if (sqlite3_open(":memory:", &jdb) != SQLITE_OK)
		goto out;

	/* 1 */
	note("starting the server in %s", scratch);
	if (server_start() != 0) {
		note("gridline serve --daemon failed (log: %s)", log_path);
		goto out;
	}

	/* 2 */
	note("filling %ld open cases through ingest", ncases);
	fill_rate = fill(ncases, &acked);
	if (stop || acked < ncases) {
		note("only %ld of %ld cases acknowledged", acked, ncases);
		goto out;
	}

	/* 3 */
	base_ms = sqlite_read_ms(&rows);

	/* 4 */
	snprintf(tmux_sock, sizeof tmux_sock, "benchcon-%ld", (long)getpid());
	note("starting the console (tmux -L %s, %dx%d)", tmux_sock, COLS_X,
	    ROWS_Y);
	t0 = wall_us();
	if (console_start() != 0) {
		note("tmux new-session failed");
		goto out;
	}
	t_first = wait_trace("first", mono_us() + 60000000, &first_n);
	t_loaded = wait_trace("loaded", mono_us() + 60000000, &loaded_n);
	console_pid = console_find();
	if (t_loaded < 0) {
		note("no \"loaded\" line in 60 s (trace %s)", trace_path);
		goto out;
	}
	first_ms = (double)(t_first - t0) / 1e3;
	all_ms = (double)(t_loaded - t0) / 1e3;
	rss_load = console_pid > 0 ? bench_rss_kb(console_pid) : -1;
	snap_ms = snapshot_ms(&snap_pages, &snap_mb, &snap_cases);

	/* 5 */
	note("sending %d keys, %d ms apart", NKEYS, KEY_EVERY_US / 1000);
	sleep_us(500000);		/* the console idle again */
	key_fail = keys_run();
	sleep_us(500000);
	nkeys = trace_keys(&keys);
	if (console_pid > 0 && kill(console_pid, 0) != 0)
		note("the console is gone: it exited during the keys (see the "
		    "frames count below)");
	keys_reset();

	/* 6 */
	note("%d incidents/s for %.0f s", 1000000 / LOAD_EVERY_US *
	    LOAD_BATCH, secs);
	rate = load_run(secs, &sl, &sent, &refused);
	last_send = mono_us();
	if (sl.n > 0) {
		qsort(sl.v, sl.n, sizeof *sl.v, cmp_sent);
		lat = malloc(sl.n * sizeof *lat);
		shown = malloc(sl.n * sizeof *shown);
	}
	until = last_send + 3000000;
	while (lat != NULL && shown != NULL && !stop) {
		matched = match_shown(&sl, lat, shown);
		if (matched == sl.n || mono_us() >= until)
			break;
		sleep_us(100000);
	}

	/* 7 */
	rss_run = console_pid > 0 ? bench_rss_kb(console_pid) : -1;
	if (console_pid > 0 && rss_run < 0)
		note("the console is gone: it exited before the end of the run");
	console_holds(&bar_count, &server_count);

	/* 8 */
	note("the report view (P) with %d incidents/s for %.0f s",
	    REPORT_RATE, secs);
	send_key("P");
	sleep_us(1500000);		/* its first answer */
	nop = report_run(secs, op_us, REPORT_MAX, &rep_sent);
	sleep_us(1500000);
	ndraw = trace_report(draw_us, frame_us, REPORT_MAX);
	send_key("q");
	sleep_us(500000);		/* the view closed before the quit */

	if (stop) {
		note("interrupted: no figures");
		goto out;
	}
	printf("gridline bench-console (%ld open cases, %dx%d)\n", rows,
	    COLS_X, ROWS_Y);
	printf("fill through ingest                 %.0f cases/s\n",
	    fill_rate);
	printf("read the open cases from SQLite     %.1f ms   (baseline)\n",
	    base_ms);
	printf("console: first full frame           %.0f ms   (target <= "
	    "500 ms; the %ld most urgent cases)\n", first_ms, first_n);
	printf("console: whole snapshot loaded      %.0f ms   (%ld cases)\n",
	    all_ms, loaded_n);
	printf("  server: the snapshot over control %.0f ms   (%d pages of "
	    "%d, %.1f MB, %ld cases)\n", snap_ms, snap_pages, SNAP_PAGE,
	    snap_mb, snap_cases);
	printf("console: key to frame               p50 %.2f ms, p99 %.2f ms"
	    "   (target p99 <= 10 ms; %zu frames for %d keys%s)\n",
	    quantile(keys, nkeys, 0.5) / 1e3, quantile(keys, nkeys, 0.99) /
	    1e3, nkeys, NKEYS, key_fail ? ", some sends failed" : "");
	printf("console: arrival to screen at %.0f/s p50 %.1f ms, p99 %.1f "
	    "ms, max %.1f ms, missing %zu   (target p99 <= 100 ms; %zu "
	    "acked of %ld sent)\n", rate, quantile(lat, matched, 0.5) / 1e3,
	    quantile(lat, matched, 0.99) / 1e3, matched ? lat[matched - 1] /
	    1e3 : 0.0, sl.n - matched, sl.n, sent);
	if (sl.n > matched)
		note("%zu acknowledged cases have no \"shown\" line: compare "
		    "the console's count with the server's below (the trace "
		    "marks only cases read from the event stream, not those "
		    "fetched after a gap)", sl.n - matched);
	if (refused > 0)
		note("%ld incidents refused under load", refused);
	printf("  the console holds                 %ld cases on its top bar, "
	    "the server %ld\n", bar_count, server_count);
	printf("console RSS                          after load %.1f MB, "
	    "after the run %.1f MB   (target <= 150 MB)\n", rss_load / 1024.0,
	    rss_run / 1024.0);
	printf("report op (today by agency, %zu asks at %d incidents/s) "
	    "p50 %.1f ms, p99 %.1f ms, max %.1f ms   (server time as a "
	    "client sees it)\n", nop, REPORT_RATE,
	    quantile(op_us, nop, 0.5) / 1e3, quantile(op_us, nop, 0.99) / 1e3,
	    nop ? op_us[nop - 1] / 1e3 : 0.0);
	printf("report view: %zu refreshes, draw p50 %.2f ms, max %.2f ms; "
	    "whole frame p50 %.2f ms, max %.2f ms   (target: refresh <= 50 "
	    "ms with the op; %ld incidents sent)\n", ndraw,
	    quantile(draw_us, ndraw, 0.5) / 1e3, ndraw ? draw_us[ndraw - 1] /
	    1e3 : 0.0, quantile(frame_us, ndraw, 0.5) / 1e3, ndraw ?
	    frame_us[ndraw - 1] / 1e3 : 0.0, rep_sent);
	fflush(stdout);
	rc = 0;
out:
	cleanup();
	free(keys);
	free(lat);
	free(shown);
	free(sl.v);
	return rc;
}
