/*
 * feed-record.c: `gridline feed record [--out FILE] [--since SEQ]
 * [--count N] [--duration S] [--key FILE]`: every incident the server
 * takes, as recording lines (feed.h), until N incidents, S seconds, or
 * SIGINT/SIGTERM.
 *
 * The events come from the PUB socket (events.sock), each with the next
 * seq of the event log. PUB drops messages to a slow reader, so, as the
 * console does (console/sync.c), a gap in the seqs is closed by asking
 * the control socket for the `events` since the last seq read, page after
 * page while the reply says `more`. When the stream is quiet for a second
 * the recorder asks `status` whether the log went on without it (the
 * messages lost were the last ones, so no later one shows the gap), and
 * once more when it stops: nothing the server took before the end is
 * missed. Only `case.created` events are incidents; the rest are the
 * lifecycle of cases.
 *
 * The item is put back together from the case: the fields the sender
 * gave (docs/PROTOCOL.md, Ingest), which the full case JSON carries; an
 * empty text comes back absent, which the server compares as equal, so a
 * replay into the same server is a replay. "at" is the case's created_at:
 * the arrival on the server's clock. A case read while catching up is the
 * case as it is now, not as it arrived: its sender's fields do not change
 * after arrival, so the item is the same.
 *
 * The control requests are signed as `gridline ctl` signs them (ident.c).
 * The event stream is the run directory's alone (PROTOCOL.md), so record
 * takes --run-dir, not --to. Blocking calls with nn_poll, for the reason
 * feed.h gives for the sending.
 */
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>

#include "client.h"
#include "feed.h"
#include "req.h"
#include "rundir.h"

#define RECORD_PAGE	1000	/* events a catch-up request asks for */
#define RECORD_POLL_MS	100	/* a wait on the stream, at most */
#define RECORD_IDLE	1.0	/* seconds of quiet before asking status */

static volatile sig_atomic_t record_stop;

struct record {
	const char		*name;		/* "feed record" */
	struct client		*cl;
	int			 sub;		/* the SUB socket */
	FILE			*out;
	int64_t			 last;		/* the last seq read */
	long			 count;		/* stop after so many; 0: no */
	long			 gaps;		/* gaps closed by requests */
	int			 failed;	/* a request or write failed */
	struct progress		*prog;
	struct progress_counts	 n;		/* sent: lines recorded */
};

/* The fields of an ingest item, as the case JSON names them. */
static const char *const record_fields[] = { "id", "grid", "category",
	"reported_at", "summary", "reporter", "source", "priority",
	"address", "location", "photos", NULL };

static void
record_signal(int sig)
{
	(void)sig;
	record_stop = 1;
}

/* Enough incidents? */
static int
record_full(const struct record *r)
{
	return r->count > 0 && r->n.sent >= r->count;
}

/* One event: a recording line when it is a new incident. */
static void
record_event(struct record *r, json_t *ev)
{
	json_t		*c = json_object_get(ev, "case"), *item, *v;
	const char	*type = json_string_value(json_object_get(ev, "type"));
	const char	*at = json_string_value(json_object_get(c,
			    "created_at"));
	size_t		 i;

	if (type == NULL || strcmp(type, "case.created") != 0 || at == NULL ||
	    record_full(r))
		return;
	if ((item = json_object()) == NULL) {
		r->failed = 1;
		return;
	}
	for (i = 0; record_fields[i] != NULL; i++)
		if ((v = json_object_get(c, record_fields[i])) != NULL &&
		    !json_is_null(v))
			json_object_set(item, record_fields[i], v);
	if (feed_line_write(r->out, at, item) != 0 || fflush(r->out) != 0)
		r->failed = 1;
	else
		r->n.sent++;
	json_decref(item);
}

/* A control request's reply when ok; NULL with the reason printed. */
static json_t *
record_ask(struct record *r, json_t *req)
{
	json_t		*rep = NULL;
	char		 err[1024], vis[1024];
	const char	*msg;

	if (req == NULL)
		snprintf(err, sizeof err, "out of memory");
	else if (client_request(r->cl, req, CLI_TIMEOUT_MS, &rep, err,
	    sizeof err) != 0)
		;	/* err says why */
	else if (!json_is_true(json_object_get(rep, "ok"))) {
		msg = json_string_value(json_object_get(json_object_get(rep,
		    "error"), "message"));
		snprintf(err, sizeof err, "%s", msg != NULL ? msg :
		    "refused");
	} else {
		json_decref(req);
		return rep;
	}
	json_decref(req);
	json_decref(rep);
	progress_clear(r->prog);
	fprintf(stderr, "gridline %s: %s\n", r->name,
	    cli_vis(err, vis, sizeof vis));
	r->failed = 1;
	return NULL;
}

/* The events after r->last, page by page, from the control socket. */
static int
record_catch_up(struct record *r)
{
	json_t	*rep, *ev;
	int64_t	 seq;
	size_t	 i;
	int	 more = 1;

	while (more && !record_full(r)) {
		if ((rep = record_ask(r, req_events(r->last,
		    RECORD_PAGE))) == NULL)
			return -1;
		json_array_foreach(json_object_get(rep, "events"), i, ev) {
			seq = json_integer_value(json_object_get(ev, "seq"));
			if (seq <= r->last)
				continue;
			record_event(r, ev);
			r->last = seq;
		}
		seq = json_integer_value(json_object_get(rep, "last"));
		if (seq > r->last)
			r->last = seq;
		more = json_is_true(json_object_get(rep, "more"));
		json_decref(rep);
	}
	return 0;
}

/* Has the log gone past r->last? Then catch up. */
static int
record_check(struct record *r)
{
	json_t	*rep = record_ask(r, req_status());
	int64_t	 seq;

	if (rep == NULL)
		return -1;
	seq = json_integer_value(json_object_get(rep, "seq"));
	json_decref(rep);
	if (seq <= r->last)
		return 0;
	r->gaps++;		/* lost at the end of the stream, or while
				   it was not connected: a gap all the same */
	return record_catch_up(r);
}

/* One published message: the next seq is recorded, a gap caught up. */
static int
record_message(struct record *r, const char *buf, int len)
{
	json_t	*ev = json_loadb(buf, (size_t)len, 0, NULL);
	int64_t	 seq = json_integer_value(json_object_get(ev, "seq"));
	int	 rc = 0;

	if (ev != NULL && seq > r->last + 1) {
		r->gaps++;
		rc = record_catch_up(r);
	}
	if (ev != NULL && rc == 0 && seq == r->last + 1) {
		record_event(r, ev);
		r->last = seq;
	}
	json_decref(ev);
	return rc;
}

/* Read what the stream holds; 1 when something came. */
static int
record_drain(struct record *r)
{
	char	*buf;
	int	 n, got = 0;

	while (!record_full(r) && (n = nn_recv(r->sub, &buf, NN_MSG,
	    NN_DONTWAIT)) >= 0) {
		got = 1;
		n = record_message(r, buf, n);
		nn_freemsg(buf);
		if (n != 0)
			return -1;
	}
	return got;
}

/* Record until full, the duration is over, or a signal; then once more
 * what the log holds beyond the last seq read. */
static int
record_loop(struct record *r, double duration)
{
	struct nn_pollfd	pfd;
	double			start = progress_clock(), quiet = start, now;
	int			got;

	while (!record_stop && !record_full(r) && !r->failed) {
		now = progress_clock();
		if (duration > 0 && now - start >= duration)
			break;
		pfd.fd = r->sub;
		pfd.events = NN_POLLIN;
		pfd.revents = 0;
		if (nn_poll(&pfd, 1, RECORD_POLL_MS) > 0) {
			if ((got = record_drain(r)) < 0)
				return -1;
			if (got)
				quiet = progress_clock();
		} else if (progress_clock() - quiet >= RECORD_IDLE) {
			if (record_check(r) != 0)
				return -1;
			quiet = progress_clock();
		}
		progress_update(r->prog, &r->n);
	}
	return record_full(r) || r->failed ? 0 : record_check(r);
}

/* Where the recording starts: after --since, or after the log's last
 * seq now. */
static int
record_start(struct record *r, long long since)
{
	json_t	*rep;

	if (since >= 0) {
		r->last = since;
		return record_catch_up(r);
	}
	if ((rep = record_ask(r, req_status())) == NULL)
		return -1;
	r->last = json_integer_value(json_object_get(rep, "seq"));
	json_decref(rep);
	return 0;
}

/* The SUB socket on the run dir's events.sock, and the control client
 * signed as the user; 0, or -1 with the reason printed. */
static int
record_open(struct record *r, const char *run_dir, const char *key)
{
	static struct sign_id	id;	/* borrowed by the client */
	char			url[4200], err[1024], vis[1024];
	int			have;

	if ((have = cli_identity(key, NULL, &id, err, sizeof err)) < 0 ||
	    client_open(run_dir, 0, NULL, &r->cl, err, sizeof err) != 0) {
		fprintf(stderr, "gridline %s: %s\n", r->name,
		    cli_vis(err, vis, sizeof vis));
		return -1;
	}
	client_set_identity(r->cl, have ? &id : NULL);
	rundir_url(run_dir, RUNDIR_EVENTS, url, sizeof url);
	if ((r->sub = nn_socket(AF_SP, NN_SUB)) < 0 ||
	    nn_setsockopt(r->sub, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) < 0 ||
	    nn_connect(r->sub, url) < 0) {
		fprintf(stderr, _("gridline %s: cannot connect to %s: %s\n"),
		    r->name, cli_vis(url, vis, sizeof vis),
		    nn_strerror(nn_errno()));
		return -1;
	}
	return 0;
}

struct record_args {
	const char	*run_dir, *out, *key;
	long long	 since;		/* -1: from now */
	long		 count;
	double		 duration;
};

static const struct option record_longopts[] = {
	{ "run-dir",	required_argument, NULL, 'r' },
	{ "out",	required_argument, NULL, 'o' },
	{ "since",	required_argument, NULL, 's' },
	{ "count",	required_argument, NULL, 'c' },
	{ "duration",	required_argument, NULL, 'd' },
	{ "key",	required_argument, NULL, 'k' },
	{ NULL, 0, NULL, 0 }
};

/* 0 with a filled, or -1 on a bad option. */
static int
record_parse(int argc, char **argv, struct record_args *a)
{
	char	*end = NULL;
	int	 c;

	memset(a, 0, sizeof *a);
	a->since = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", record_longopts, NULL)) != -1) {
		end = NULL;
		switch (c) {
		case 'r': a->run_dir = optarg; break;
		case 'o': a->out = optarg; break;
		case 'k': a->key = optarg; break;
		case 's': a->since = strtoll(optarg, &end, 10); break;
		case 'c': a->count = strtol(optarg, &end, 10); break;
		case 'd': a->duration = strtod(optarg, &end); break;
		default: return -1;
		}
		if (end != NULL && (*end != '\0' || end == optarg ||
		    optarg[0] == '-'))
			return -1;
	}
	return optind == argc ? 0 : -1;
}

static int
record_exec(struct gridline *gl, int argc, char **argv)
{
	struct record_args	 a;
	struct record		 r;
	struct sigaction	 sa;
	char			 run_dir[4096];
	int			 rc = -1;

	(void)gl;
	if (record_parse(argc, argv, &a) != 0)
		return feed_usage(&feed_verb_record);
	memset(&r, 0, sizeof r);
	r.name = "feed record";
	r.sub = -1;
	r.count = a.count;
	rundir_resolve(a.run_dir, run_dir, sizeof run_dir);
	if ((r.out = feed_output_open(r.name, a.out)) == NULL)
		return EXIT_FAIL;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = record_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (record_open(&r, run_dir, a.key) == 0) {
		r.prog = progress_new(stderr, r.name, N_("recorded"),
		    a.count > 0 ? a.count : -1, 0);
		if ((rc = record_start(&r, a.since)) == 0)
			rc = record_loop(&r, a.duration);
		if (r.gaps > 0) {
			progress_clear(r.prog);
			fprintf(stderr, _("gridline %s: gaps in the event "
			    "stream: %ld, filled from the server's log\n"),
			    r.name, r.gaps);
		}
		progress_finish(r.prog, &r.n);
	}
	if (r.sub >= 0)
		nn_close(r.sub);
	client_close(r.cl);
	if (r.out != stdout)
		fclose(r.out);
	return rc == 0 && !r.failed ? EXIT_OK : EXIT_FAIL;
}

const struct feed_verb feed_verb_record = {
	"record", "[--out FILE] [--since SEQ] [--count N] [--duration S] "
	"[--run-dir DIR] [--key FILE]",
	record_exec
};
