/*
 * bench-sign.c: what signing costs a dispatcher (issue 12).
 *
 * Two servers side by side, each on a scratch run directory and database
 * of its own: one whose database has no operator (requests go unsigned,
 * as before issue 12) and one with an admin and a dispatcher (every
 * request signed, checked on the loop: signature, time, nonce). Each gets
 * one dispatched case; then the same lifecycle action, press (督办, which
 * leaves the case in its state), is sent to the two in turn, each sending
 * waiting for its reply, N times. Printed: p50 and p99 of the round trip
 * for both, and the difference; the bound is 1 ms added at p99.
 * The unsigned server is the baseline: the same path less the signature
 * made by the client and checked by the server.
 *
 * Also: the client's cost alone, sealing (JSON, Ed25519 signature) and
 * the server's check alone (auth_check), per request, in this process.
 *
 * Bounded: BENCH_ACTIONS (default 2,000) a server; all traffic on ipc://
 * in the scratch directories.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "auth.h"
#include "bench.h"
#include "key.h"
#include "sign.h"

struct side {
	char	dir[128], run[160], db[160];
	pid_t	pid;
	int	ctl, ing;
	const struct sign_id *id;	/* NULL: unsigned */
	char	no[32];
	long	version;
	double	*lat;
};

static int
sock(const char *run, const char *name)
{
	char	url[300];
	int	s = nn_socket(AF_SP, NN_REQ), tmo = 10000, unl = -1;

	snprintf(url, sizeof url, "ipc://%s/%s", run, name);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof tmo);
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &unl, sizeof unl);
	nn_connect(s, url);
	return s;
}

/* One request (sealed as id when given); the reply. */
static json_t *
ask(int s, const struct sign_id *id, json_t *req)
{
	char	*text, *buf;
	size_t	 len;
	int	 n;
	json_t	*rep = NULL;

	if (sign_seal(id, req, time(NULL), &text, &len) != 0)
		return NULL;
	if (nn_send(s, text, len, 0) >= 0 &&
	    (n = nn_recv(s, &buf, NN_MSG, 0)) >= 0) {
		rep = json_loadb(buf, (size_t)n, 0, NULL);
		nn_freemsg(buf);
	}
	free(text);
	json_decref(req);
	return rep;
}

static int
ok(json_t *r)
{
	int	yes = json_is_true(json_object_get(r, "ok"));

	if (!yes) {
		char *t = json_dumps(r, 0);

		fprintf(stderr, "bench-sign: %s\n", t != NULL ? t : "no reply");
		free(t);
	}
	json_decref(r);
	return yes;
}

static int
start(struct side *sd, const char *exe, const char *data, int k)
{
	int	i;

	snprintf(sd->dir, sizeof sd->dir, "/tmp/gridline-bench-sign-%ld-%d",
	    (long)getpid(), k);
	mkdir(sd->dir, 0700);
	snprintf(sd->run, sizeof sd->run, "%s/run", sd->dir);
	snprintf(sd->db, sizeof sd->db, "%s/db", sd->dir);
	if ((sd->pid = fork()) == 0) {
		execl(exe, exe, "serve", "--run-dir", sd->run, "--db", sd->db,
		    "--data", data, "--log", "/dev/null", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		char	p[200];

		snprintf(p, sizeof p, "%s/control.sock", sd->run);
		if (access(p, F_OK) == 0)
			break;
		usleep(50000);
	}
	usleep(100000);
	sd->ctl = sock(sd->run, "control.sock");
	sd->ing = sock(sd->run, "ingest.sock");
	return 0;
}

/* An operator_add of id as role, by by (by == id: the first admin). */
static int
add(struct side *sd, const struct sign_id *by, const struct sign_id *id,
    const char *role)
{
	char	pk[KEY_PUBLIC_B64];

	key_public_b64(id->kp.pk, pk);
	return ok(ask(sd->ctl, by, json_pack("{s:s,s:s,s:s,s:s}", "op",
	    "operator_add", "name", id->name, "role", role, "pubkey", pk)));
}

/* One incident, registered and dispatched. */
static int
one_case(struct side *sd)
{
	char		 ts[32], body[512], *buf;
	time_t		 t = time(NULL) - 3600;
	json_t		*r;
	int		 n;

	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	snprintf(body, sizeof body, "{\"id\":\"bs-1\",\"grid\":"
	    "\"330203003001001\",\"category\":\"1103\",\"reported_at\":\"%s\","
	    "\"summary\":\"签名的代价：井盖缺失\"}", ts);
	if (nn_send(sd->ing, body, strlen(body), 0) < 0 ||
	    (n = nn_recv(sd->ing, &buf, NN_MSG, 0)) < 0)
		return -1;
	r = json_loadb(buf, (size_t)n, 0, NULL);
	nn_freemsg(buf);
	snprintf(sd->no, sizeof sd->no, "%s", json_string_value(
	    json_object_get(json_array_get(json_object_get(r, "results"), 0),
	    "case")));
	json_decref(r);
	if (!ok(ask(sd->ctl, sd->id, json_pack("{s:s,s:s,s:i,s:s}", "op",
	    "register", "case", sd->no, "version", 1, "operator", "x"))) ||
	    !ok(ask(sd->ctl, sd->id, json_pack("{s:s,s:s,s:i,s:s,s:s}", "op",
	    "dispatch", "case", sd->no, "version", 2, "agency", "330203.ZF",
	    "operator", "x"))))
		return -1;
	sd->version = 3;
	return 0;
}

static int
press(struct side *sd, long i)
{
	json_t	*r;
	double	 t0 = bench_now();

	r = ask(sd->ctl, sd->id, json_pack("{s:s,s:s,s:i,s:s,s:s}", "op",
	    "press", "case", sd->no, "version", (int)sd->version, "operator",
	    "x", "reason", "请加快处置"));
	sd->lat[i] = bench_now() - t0;
	sd->version++;
	return ok(r) ? 0 : -1;
}

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, long n, double p)
{
	long	i = (long)(n * p);

	return v[i < n ? i : n - 1] * 1e3;
}

static void
stop(struct side *sd)
{
	char	cmd[200];

	nn_close(sd->ctl);
	nn_close(sd->ing);
	kill(sd->pid, SIGTERM);
	waitpid(sd->pid, NULL, 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", sd->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench-sign: cannot remove %s\n", sd->dir);
}

/* The client's seal and the server's check alone, per request. */
static void
alone(const struct sign_id *disp, long n, double *seal_us, double *check_us)
{
	struct auth		*a;
	struct auth_operator	 op;
	const struct auth_operator *who;
	char			 err[256], *env;
	size_t			 len;
	json_t			*req;
	double			 t0, ts = 0, tc = 0;
	long			 i;

	memset(&op, 0, sizeof op);
	snprintf(op.name, sizeof op.name, "%s", disp->name);
	memcpy(op.pk, disp->kp.pk, sizeof op.pk);
	op.role = RL_DISPATCHER;
	if (auth_new(time(NULL) - 10, &a) != 0 || auth_put(a, &op) != 0)
		return;
	for (i = 0; i < n; i++) {
		req = json_pack("{s:s,s:s,s:i,s:s}", "op", "press", "case",
		    "330203-20261124-00042", "version", (int)i + 3, "reason",
		    "请加快处置");
		t0 = bench_now();
		if (sign_seal(disp, req, time(NULL), &env, &len) != 0)
			break;
		ts += bench_now() - t0;
		json_decref(req);
		t0 = bench_now();
		if (auth_check(a, env, len, time(NULL), &req, &who, err,
		    sizeof err) != 0)
			fprintf(stderr, "bench-sign: %s\n", err);
		tc += bench_now() - t0;
		json_decref(req);
		free(env);
	}
	*seal_us = ts / n * 1e6;
	*check_us = tc / n * 1e6;
	auth_free(a);
}

int
main(int argc, char **argv)
{
	const char	*exe = argc > 1 ? argv[1] : "./gridline";
	const char	*data = argc > 2 ? argv[2] : "data";
	const char	*env = getenv("BENCH_ACTIONS");
	long		 n = env != NULL && atol(env) > 0 ? atol(env) : 2000, i;
	struct side	 plain, sig;
	struct sign_id	 admin, disp;
	char		 err[128];
	double		 seal_us = 0, check_us = 0;

	memset(&plain, 0, sizeof plain);
	memset(&sig, 0, sizeof sig);
	memset(&admin, 0, sizeof admin);
	memset(&disp, 0, sizeof disp);
	snprintf(admin.name, sizeof admin.name, "张管理");
	snprintf(disp.name, sizeof disp.name, "王调度");
	if (key_generate(&admin.kp, err, sizeof err) != 0 ||
	    key_generate(&disp.kp, err, sizeof err) != 0)
		return 1;
	plain.lat = calloc((size_t)n, sizeof *plain.lat);
	sig.lat = calloc((size_t)n, sizeof *sig.lat);
	start(&plain, exe, data, 0);
	start(&sig, exe, data, 1);
	if (!add(&sig, &admin, &admin, "admin") ||
	    !add(&sig, &admin, &disp, "dispatcher"))
		return 1;
	sig.id = &disp;
	if (one_case(&plain) != 0 || one_case(&sig) != 0)
		return 1;
	for (i = 0; i < n; i++)		/* in turn: the same conditions */
		if (press(&plain, i) != 0 || press(&sig, i) != 0)
			break;
	n = i;
	stop(&plain);
	stop(&sig);
	alone(&disp, 2000, &seal_us, &check_us);
	qsort(plain.lat, (size_t)n, sizeof *plain.lat, cmp);
	qsort(sig.lat, (size_t)n, sizeof *sig.lat, cmp);
	printf("gridline bench-sign (%ld presses a server, in turn)\n", n);
	printf("press, unsigned (no operator yet)  p50 %.2f ms, p99 %.2f ms\n",
	    pct(plain.lat, n, 0.5), pct(plain.lat, n, 0.99));
	printf("press, signed and checked          p50 %.2f ms, p99 %.2f ms\n",
	    pct(sig.lat, n, 0.5), pct(sig.lat, n, 0.99));
	printf("  added by signing                 p50 %+.2f ms, p99 %+.2f ms "
	    "(bound: +1 ms at p99)\n", pct(sig.lat, n, 0.5) - pct(plain.lat,
	    n, 0.5), pct(sig.lat, n, 0.99) - pct(plain.lat, n, 0.99));
	printf("  alone: seal (client) %.1f us, check (server) %.1f us a "
	    "request\n", seal_us, check_us);
	free(plain.lat);
	free(sig.lat);
	return 0;
}
