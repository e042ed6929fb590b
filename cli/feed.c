/*
 * feed.c: the sending every feed shares, and JSON Lines (see feed.h).
 *
 * feed_run keeps one item ahead of the batch (the source's next one, not
 * yet due) so that pacing and batching are one decision: what is due goes
 * now, together, up to the batch size; what is not waits. Waits are cut
 * into tenths of a second so the progress line keeps moving.
 *
 * A request holds the items' texts joined into an array, byte for byte as
 * the source gave them, sealed with the feeder's MAC when --feeder-key is
 * given (net/proto/mac.c; nothing of the MAC is done here). Replies are
 * matched to items by position, as the protocol gives results in request
 * order.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <sodium.h>

#include "feed.h"
#include "gltime.h"
#include "mac.h"
#include "rundir.h"

#define FEED_RETRIES	20	/* of a request refused rate_limited */

int
feed_usage(const struct feed_verb *v)
{
	fprintf(stderr, _("usage: gridline feed %s %s\n"), v->name, v->args);
	return EXIT_USAGE;
}

int
feed_target_option(struct feed_target *t, int c, const char *arg)
{
	switch (c) {
	case 'r': t->run_dir = arg; return 1;
	case 't': t->to = arg; return 1;
	case 'K': t->feeder_key = arg; return 1;
	}
	return 0;
}

/* --- the connection ------------------------------------------------------- */

struct feed_conn {
	int		 nn;
	char		 url[4200];
	char		 name[257];		/* the feeder's; "" unsealed */
	unsigned char	 key[MAC_KEY_BYTES];
};

/* Connect to t's ingest endpoint; 0, or -1 with the reason printed. */
static int
feed_connect(const char *cmd, const struct feed_target *t,
    struct feed_conn *fc, int timeout_ms)
{
	char	run_dir[4096], err[1024], vis[1024];
	int	unlimited = -1;

	memset(fc, 0, sizeof *fc);
	fc->nn = -1;
	if (t->feeder_key != NULL && (sodium_init() < 0 ||
	    mac_key_read(t->feeder_key, fc->name, sizeof fc->name, fc->key,
	    err, sizeof err) != 0)) {
		fprintf(stderr, "gridline %s: %s\n", cmd,
		    cli_vis(err, vis, sizeof vis));
		return -1;
	}
	if (t->to != NULL)
		snprintf(fc->url, sizeof fc->url, "%s", t->to);
	else {
		rundir_resolve(t->run_dir, run_dir, sizeof run_dir);
		if (!rundir_locked(run_dir)) {
			fprintf(stderr, _("gridline %s: no server runs on %s\n"),
			    cmd, cli_vis(run_dir, vis, sizeof vis));
			return -1;
		}
		rundir_url(run_dir, RUNDIR_INGEST, fc->url, sizeof fc->url);
	}
	if ((fc->nn = nn_socket(AF_SP, NN_REQ)) < 0 ||
	    nn_connect(fc->nn, fc->url) < 0) {
		fprintf(stderr, _("gridline %s: cannot connect to %s: %s\n"),
		    cmd, cli_vis(fc->url, vis, sizeof vis),
		    nn_strerror(nn_errno()));
		return -1;
	}
	nn_setsockopt(fc->nn, NN_SOL_SOCKET, NN_RCVMAXSIZE, &unlimited,
	    sizeof unlimited);
	nn_setsockopt(fc->nn, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout_ms,
	    sizeof timeout_ms);
	nn_setsockopt(fc->nn, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout_ms,
	    sizeof timeout_ms);
	return 0;
}

static void
feed_disconnect(struct feed_conn *fc)
{
	if (fc->nn >= 0)
		nn_close(fc->nn);
	sodium_memzero(fc->key, sizeof fc->key);
}

/* Send body (sealed when there is a key) and wait for the reply: a new
 * reference, or NULL when none came or it was not JSON. */
static json_t *
feed_exchange(struct feed_conn *fc, const char *body, size_t len)
{
	char	*env = NULL, *buf = NULL;
	size_t	 elen;
	json_t	*rep;
	int	 n;

	if (fc->name[0] != '\0') {
		if (mac_request(fc->key, fc->name, body, len, &env,
		    &elen) != 0)
			return NULL;
		body = env;
		len = elen;
	}
	n = nn_send(fc->nn, body, len, 0);
	free(env);
	if (n < 0 || (n = nn_recv(fc->nn, &buf, NN_MSG, 0)) < 0)
		return NULL;
	rep = json_loadb(buf, (size_t)n, 0, NULL);
	nn_freemsg(buf);
	return rep;
}

/* --- a feed's state --------------------------------------------------------- */

struct feed {
	const struct feed_opts	*o;
	struct feed_conn	 conn;
	struct progress		*prog;
	struct progress_counts	 n;
	feed_next_fn		 next;
	void			*arg;
	struct feed_item	 ahead;		/* the next item, not yet sent */
	int			 have_ahead;
	int			 ended;		/* the source said FEED_END */
	double			 start;		/* monotonic seconds */
	char			*body;		/* the batch's array text */
	size_t			 len, cap;
	long			*lines;		/* each batched item's line */
	int			 nitems;
};

/* One refused item (or input line), on stderr, in its visible form. */
static void
feed_say(struct feed *f, long line, const char *id, const char *what)
{
	char	vis[4096], vid[512];

	progress_clear(f->prog);
	if (id != NULL)
		fprintf(stderr, _("%s:%ld: id %s: %s\n"), f->o->src, line,
		    cli_vis(id, vid, sizeof vid), cli_vis(what, vis,
		    sizeof vis));
	else
		fprintf(stderr, "%s:%ld: %s\n", f->o->src, line,
		    cli_vis(what, vis, sizeof vis));
}

/* "CODE (FIELD): MESSAGE" of an error object, into buf. */
static const char *
feed_error_text(json_t *e, char *buf, size_t len)
{
	const char	*code = json_string_value(json_object_get(e, "code"));
	const char	*field = json_string_value(json_object_get(e, "field"));
	const char	*msg = json_string_value(json_object_get(e, "message"));

	if (field != NULL)
		snprintf(buf, len, "%s (%s): %s", code ? code : "?", field,
		    msg ? msg : "");
	else
		snprintf(buf, len, "%s: %s", code ? code : "?", msg ? msg : "");
	return buf;
}

/* Fetch the source's next item into f->ahead; a bad line is counted,
 * printed and skipped. */
static void
feed_fetch(struct feed *f)
{
	enum feed_next	r;

	while (!f->have_ahead && !f->ended) {
		memset(&f->ahead, 0, sizeof f->ahead);
		r = f->next(f->arg, &f->ahead);
		if (r == FEED_END)
			f->ended = 1;
		else if (r == FEED_ITEM)
			f->have_ahead = 1;
		else {
			f->n.rejected++;
			feed_say(f, f->ahead.line, NULL, f->ahead.error ?
			    f->ahead.error : "?");
			free(f->ahead.error);
			free(f->ahead.json);
		}
	}
}

/* Append the item ahead to the batch; 0, or -1 when out of memory. */
static int
feed_batch_add(struct feed *f)
{
	size_t	 n = strlen(f->ahead.json);
	char	*nb;
	long	*nl;

	if (f->len + n + 3 > f->cap) {
		f->cap = (f->len + n + 3) * 2;
		if ((nb = realloc(f->body, f->cap)) == NULL)
			return -1;
		f->body = nb;
	}
	if ((nl = realloc(f->lines, sizeof *nl * (size_t)(f->nitems + 1))) ==
	    NULL)
		return -1;
	f->lines = nl;
	f->body[f->len++] = f->nitems == 0 ? '[' : ',';
	memcpy(f->body + f->len, f->ahead.json, n);
	f->len += n;
	f->lines[f->nitems++] = f->ahead.line;
	f->n.sent++;
	free(f->ahead.json);
	f->have_ahead = 0;
	return 0;
}

/* The reply of a batch: count and print each item's result. */
static void
feed_results(struct feed *f, json_t *rep)
{
	json_t	*res = json_object_get(rep, "results"), *r;
	char	 buf[4096];
	int	 i;

	for (i = 0; i < f->nitems; i++) {
		r = json_array_get(res, (size_t)i);
		if (json_is_true(json_object_get(r, "ok"))) {
			f->n.acked++;
			if (json_is_true(json_object_get(r, "replayed")))
				f->n.replayed++;
			continue;
		}
		f->n.rejected++;
		feed_say(f, f->lines[i], json_string_value(json_object_get(r,
		    "id")), r != NULL ? feed_error_text(json_object_get(r,
		    "error"), buf, sizeof buf) : _("no result for this item"));
	}
}

/* Send the batch and take its reply: 0, or -1 when no reply came (the
 * batch is lost, and the feed ends). */
static int
feed_flush(struct feed *f)
{
	json_t		*rep = NULL, *err;
	const char	*code;
	char		 buf[4096];
	int		 tries, i;

	f->body[f->len] = ']';
	for (tries = 0; tries < FEED_RETRIES; tries++) {
		json_decref(rep);
		if ((rep = feed_exchange(&f->conn, f->body, f->len + 1)) ==
		    NULL)
			break;
		if (json_object_get(rep, "results") != NULL)
			break;
		err = json_object_get(rep, "error");
		code = json_string_value(json_object_get(err, "code"));
		if (code == NULL || strcmp(code, "rate_limited") != 0)
			break;
		nanosleep(&(struct timespec){ 0, 100000000L * (tries + 1) },
		    NULL);
	}
	if (rep == NULL) {
		f->n.lost += f->nitems;
		feed_say(f, f->lines[0], NULL, _("no reply from the server: "
		    "this request and the rest of the feed are lost"));
	} else if (json_object_get(rep, "results") != NULL)
		feed_results(f, rep);
	else {
		feed_error_text(json_object_get(rep, "error"), buf, sizeof buf);
		for (i = 0; i < f->nitems; i++)
			feed_say(f, f->lines[i], NULL, buf);
		f->n.rejected += f->nitems;
	}
	json_decref(rep);
	f->len = 0;
	f->nitems = 0;
	progress_update(f->prog, &f->n);
	return rep == NULL ? -1 : 0;
}

/* Is the item ahead due? */
static int
feed_due(const struct feed *f, double now)
{
	return f->ahead.due == FEED_NOW || f->ahead.due <= now - f->start;
}

/* Sleep until the item ahead is due, a tenth of a second at most. */
static void
feed_wait(struct feed *f, double now)
{
	double		left = f->ahead.due - (now - f->start);
	struct timespec	ts;

	if (left > 0.1)
		left = 0.1;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(left * 1e9);
	nanosleep(&ts, NULL);
	progress_update(f->prog, &f->n);
}

/* The loop: batch what is due, send it, wait for what is not. */
static int
feed_loop(struct feed *f)
{
	double	now;

	for (;;) {
		feed_fetch(f);
		now = progress_clock();
		while (f->have_ahead && f->nitems < f->o->batch &&
		    feed_due(f, now)) {
			if (feed_batch_add(f) != 0)
				return -1;
			feed_fetch(f);
		}
		if (f->nitems > 0) {
			if (feed_flush(f) != 0)
				return -1;
		} else if (f->have_ahead)
			feed_wait(f, now);
		else
			return 0;
	}
}

int
feed_run(struct gridline *gl, const struct feed_target *t,
    const struct feed_opts *o, feed_next_fn next, void *arg,
    struct progress_counts *out)
{
	struct feed	f;
	int		rc;

	(void)gl;
	assert(o->batch >= 1 && o->batch <= 10000);
	memset(&f, 0, sizeof f);
	f.o = o;
	f.next = next;
	f.arg = arg;
	if (feed_connect(o->name, t, &f.conn, o->timeout_ms) != 0) {
		feed_disconnect(&f.conn);
		return EXIT_FAIL;
	}
	f.prog = progress_new(stderr, o->name, N_("sent"), o->total,
	    PROGRESS_REPLIES);
	f.start = progress_clock();
	rc = feed_loop(&f);
	if (rc != 0 && f.n.lost == 0)
		f.n.lost += f.nitems;	/* out of memory mid-batch */
	if (f.have_ahead)
		free(f.ahead.json);
	progress_finish(f.prog, &f.n);
	feed_disconnect(&f.conn);
	free(f.body);
	free(f.lines);
	if (out != NULL)
		*out = f.n;
	return rc == 0 && f.n.rejected == 0 && f.n.lost == 0 ? EXIT_OK :
	    EXIT_FAIL;
}

/* --- JSON Lines ------------------------------------------------------------ */

int
feed_file_open(struct feed_file *f, const char *name, const char *path)
{
	char	vis[4096];

	memset(f, 0, sizeof f[0]);
	f->name = path;
	if (strcmp(path, "-") == 0)
		f->fp = stdin;
	else if ((f->fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "gridline %s: %s: %s\n", name,
		    cli_vis(path, vis, sizeof vis), strerror(errno));
		return -1;
	}
	return 0;
}

void
feed_file_close(struct feed_file *f)
{
	if (f->fp != NULL && f->fp != stdin)
		fclose(f->fp);
	free(f->buf);
	memset(f, 0, sizeof f[0]);
}

/* Is the line blank (spaces, tabs, CR only)? */
static int
feed_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

long
feed_file_count(const char *path)
{
	struct stat	 sb;
	FILE		*fp;
	char		*buf = NULL;
	size_t		 cap = 0;
	long		 n = 0;

	if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 ||
	    !S_ISREG(sb.st_mode) || (fp = fopen(path, "r")) == NULL)
		return -1;
	while (getline(&buf, &cap, fp) > 0)
		n += !feed_blank(buf);
	free(buf);
	fclose(fp);
	return n;
}

/* A FEED_BAD saying "what: detail". */
static enum feed_next
feed_bad(struct feed_item *it, const char *what, const char *detail)
{
	size_t	n = strlen(what) + strlen(detail) + 3;

	if ((it->error = malloc(n)) != NULL)
		snprintf(it->error, n, "%s: %s", what, detail);
	return FEED_BAD;
}

/* Take the item and "at" of a recording line, or the line as an item. */
static enum feed_next
feed_file_unwrap(json_t *v, json_t **item, time_t *at, struct feed_item *it)
{
	json_t		*in = json_object_get(v, "item");
	const char	*ats = json_string_value(json_object_get(v, "at"));

	*at = 0;
	if (in == NULL && json_object_get(v, "at") == NULL) {
		*item = json_incref(v);		/* a plain item line */
		return FEED_ITEM;
	}
	if (!json_is_object(in))
		return feed_bad(it, _("not a recording line"),
		    _("\"item\" is not an object"));
	if (ats == NULL || gltime_parse(ats, at) != 0)
		return feed_bad(it, _("not a recording line"),
		    _("\"at\" is not an RFC 3339 time"));
	*item = json_incref(in);
	return FEED_ITEM;
}

/* The next non-blank line as an item and its "at" (0: a plain item). */
static enum feed_next
feed_file_next(struct feed_file *f, json_t **item, time_t *at,
    struct feed_item *it)
{
	json_error_t	 jerr;
	json_t		*v;
	enum feed_next	 r;
	char		 where[300];

	*item = NULL;
	do {
		if (getline(&f->buf, &f->cap, f->fp) < 0)
			return FEED_END;
		f->line++;
	} while (feed_blank(f->buf));
	it->line = f->line;
	if ((v = json_loads(f->buf, 0, &jerr)) == NULL) {
		snprintf(where, sizeof where, "%d: %s", jerr.column, jerr.text);
		return feed_bad(it, _("not JSON"), where);
	}
	if (!json_is_object(v))
		r = feed_bad(it, _("not JSON"), _("not an object"));
	else
		r = feed_file_unwrap(v, item, at, it);
	json_decref(v);
	return r;
}

/* When the item of at goes, by the source's speed. */
static double
feed_lines_due(struct feed_lines *l, time_t at)
{
	if (l->speed <= 0 || at == 0)
		return FEED_NOW;
	if (!l->started) {
		l->t0 = at;
		l->started = 1;
	}
	return at <= l->t0 ? 0 : (double)(at - l->t0) / l->speed;
}

enum feed_next
feed_lines_next(void *arg, struct feed_item *it)
{
	struct feed_lines	*l = arg;
	json_t			*item;
	time_t			 at;
	enum feed_next		 r;

	do {
		memset(it, 0, sizeof *it);
		if ((r = feed_file_next(&l->f, &item, &at, it)) != FEED_ITEM)
			return r;
		if (at == 0 && l->need_at) {
			json_decref(item);
			return feed_bad(it, _("not a recording line"),
			    _("no \"at\""));
		}
		if (at != 0 && at < l->from) {
			json_decref(item);	/* before --from */
			item = NULL;
		}
	} while (item == NULL);
	it->due = feed_lines_due(l, at);
	it->json = json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(12));
	json_decref(item);
	if (it->json == NULL)
		return feed_bad(it, _("not JSON"), _("out of memory"));
	return FEED_ITEM;
}

int
feed_lines_run(struct gridline *gl, const struct feed_target *t,
    struct feed_opts *o, struct feed_lines *l, const char *path,
    int skip_total)
{
	int	rc;

	if (feed_file_open(&l->f, o->name, path) != 0)
		return EXIT_FAIL;
	o->src = path;
	o->total = skip_total ? -1 : feed_file_count(path);
	rc = feed_run(gl, t, o, feed_lines_next, l, NULL);
	feed_file_close(&l->f);
	return rc;
}

FILE *
feed_output_open(const char *name, const char *path)
{
	char	vis[4096];
	int	fd;
	FILE	*fp;

	if (path == NULL || strcmp(path, "-") == 0)
		return stdout;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0 || (fp = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "gridline %s: %s: %s\n", name,
		    cli_vis(path, vis, sizeof vis), strerror(errno));
		return NULL;
	}
	return fp;
}

int
feed_line_write(FILE *fp, const char *at, json_t *item)
{
	json_t	*line = json_pack("{s:s,s:O}", "at", at, "item", item);
	char	*text;
	int	 rc = -1;

	if (line == NULL)
		return -1;
	/* "at" first: a reader of the file sees the time at the start */
	if ((text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(12))) !=
	    NULL) {
		rc = fprintf(fp, "%s\n", text) < 0 ? -1 : 0;
		free(text);
	}
	json_decref(line);
	return rc;
}
