/*
 * script.c: the console run from a file (gridline --script FILE), so that
 * an instructor can show a model handling of a training scenario on
 * screen, and a test can drive the real console.
 *
 * A script is lines of
 *   :COMMAND ARGS   a command as typed after ':' (English or Chinese), any
 *                   y/n question answered yes;
 *   wait SECONDS    a pause (real seconds, fractions allowed);
 *   wait ID         until the incident whose sender's id is ID has arrived;
 *   quit            leave the console;
 * with blank lines and '#' comments. {ID} in a command stands for the
 * case number of incident ID; the line waits for it to arrive.
 *
 * Each line waits until every request of the lines before it has been
 * answered, so that an action is sent on the case version its previous
 * action made (the reply updates the model), never on a stale one. A wait
 * for an incident gives up after SCRIPT_ARRIVAL_MS and ends the script
 * with a message: a demonstration must not hang on a typo.
 *
 * The runner has no clock of its own: the loop calls script_step with the
 * time and schedules the next call as it says (libuv stays in loop.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console.h"
#include "error.h"
#include "script.h"
#include "view.h"

#define SCRIPT_LINE_MAX		1024
#define SCRIPT_ARRIVAL_MS	60000	/* a wait for an incident, at most */
#define SCRIPT_POLL_MS		50

enum script_kind { SK_COMMAND, SK_WAIT_TIME, SK_WAIT_ID, SK_QUIT };

struct script_line {
	enum script_kind kind;
	char		*text;		/* the command, or the id */
	long		 ms;		/* SK_WAIT_TIME */
	long		 lineno;
};

struct script {
	char			*path;
	struct script_line	*v;
	size_t			 n, at;
	uint64_t		 until;		/* a pause's end */
	uint64_t		 waiting_since;	/* an arrival wait's start */
	int			 done;
};

/* Trim s in place, both ends. */
static char *
script_trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* One line into l; 0, or -1 with what is wrong in err. */
static int
script_parse_line(char *s, struct script_line *l, char *err, size_t len)
{
	char	*end;
	double	 secs;

	if (s[0] == ':') {
		if (script_trim(s + 1)[0] == '\0')
			return gl_err(err, len, -1, "an empty command");
		l->kind = SK_COMMAND;
		l->text = strdup(script_trim(s + 1));
	} else if (strncmp(s, "wait", 4) == 0 && isspace((unsigned char)s[4])) {
		s = script_trim(s + 4);
		secs = strtod(s, &end);
		if (end != s && *end == '\0') {
			if (secs < 0 || secs > 86400)
				return gl_err(err, len, -1, "wait %s: seconds "
				    "from 0 to 86400", s);
			l->kind = SK_WAIT_TIME;
			l->ms = (long)(secs * 1000 + 0.5);
			return 0;
		}
		if (strpbrk(s, " \t{}") != NULL)
			return gl_err(err, len, -1, "wait %s: want seconds or "
			    "one incident id", s);
		l->kind = SK_WAIT_ID;
		l->text = strdup(s);
	} else if (strcmp(s, "quit") == 0) {
		l->kind = SK_QUIT;
		return 0;
	} else {
		return gl_err(err, len, -1, "not a script line (:COMMAND, "
		    "wait SECONDS, wait ID, quit): %.60s", s);
	}
	return l->text != NULL ? 0 : gl_err(err, len, -1, "out of memory");
}

int
script_load(const char *path, struct script **out, char *err, size_t len)
{
	struct script	*sc;
	FILE		*fp;
	char		 buf[SCRIPT_LINE_MAX + 2], *s, msg[256];
	long		 lineno = 0;
	size_t		 cap = 0;
	void		*nv;

	*out = NULL;
	if ((fp = fopen(path, "r")) == NULL)
		return gl_err(err, len, GL_EIO, "%s: %s", path,
		    strerror(errno));
	if ((sc = calloc(1, sizeof *sc)) == NULL || (sc->path =
	    strdup(path)) == NULL) {
		free(sc);
		fclose(fp);
		return gl_err(err, len, GL_ENOMEM, "out of memory");
	}
	while (fgets(buf, sizeof buf, fp) != NULL) {
		lineno++;
		if (strchr(buf, '\n') == NULL && !feof(fp)) {
			gl_err(err, len, GL_EINVAL, "%s:%ld: a line longer "
			    "than %d bytes", path, lineno, SCRIPT_LINE_MAX);
			goto fail;
		}
		s = script_trim(buf);
		if (s[0] == '\0' || s[0] == '#')
			continue;
		if (sc->n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(sc->v, cap * sizeof *sc->v)) ==
			    NULL) {
				gl_err(err, len, GL_ENOMEM, "out of memory");
				goto fail;
			}
			sc->v = nv;
		}
		memset(&sc->v[sc->n], 0, sizeof sc->v[0]);
		sc->v[sc->n].lineno = lineno;
		if (script_parse_line(s, &sc->v[sc->n], msg, sizeof msg) !=
		    0) {
			gl_err(err, len, GL_EINVAL, "%s:%ld: %s", path, lineno,
			    msg);
			goto fail;
		}
		sc->n++;
	}
	fclose(fp);
	*out = sc;
	return 0;
fail:
	fclose(fp);
	script_free(sc);
	return GL_EINVAL;
}

void
script_free(struct script *sc)
{
	size_t	i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->n; i++)
		free(sc->v[i].text);
	free(sc->v);
	free(sc->path);
	free(sc);
}

/* The case number of the incident whose sender's id is id, or NULL. */
static const char *
script_case_of(struct console *c, const char *id)
{
	struct mcase	*m;
	size_t		 i, n = model_open_count(c->model);

	for (i = 0; i < n; i++) {
		m = model_open_at(c->model, i);
		if (m->ext_id != NULL && strcmp(m->ext_id, id) == 0)
			return m->no;
	}
	return NULL;
}

/*
 * The command with each {ID} replaced by its case number, into out; 0,
 * 1 while an ID has not arrived (its name in missing), -1 when the line
 * is too long or a brace is not closed.
 */
static int
script_expand(struct console *c, const char *in, char *out, size_t len,
    char *missing, size_t mlen)
{
	const char	*p = in, *close, *no;
	char		 id[256];
	size_t		 o = 0, n;

	while (*p != '\0') {
		if (*p != '{') {
			if (o + 1 >= len)
				return -1;
			out[o++] = *p++;
			continue;
		}
		if ((close = strchr(p, '}')) == NULL ||
		    (n = (size_t)(close - p - 1)) == 0 || n >= sizeof id)
			return -1;
		memcpy(id, p + 1, n);
		id[n] = '\0';
		if ((no = script_case_of(c, id)) == NULL) {
			snprintf(missing, mlen, "%s", id);
			return 1;
		}
		if (o + strlen(no) + 1 >= len)
			return -1;
		memcpy(out + o, no, strlen(no));
		o += strlen(no);
		p = close + 1;
	}
	out[o] = '\0';
	return 0;
}

/* An arrival not come: 1 to wait on, 0 when it gave up (script ended). */
static int
script_wait_arrival(struct script *sc, struct console *c, uint64_t now,
    const char *id)
{
	if (sc->waiting_since == 0)
		sc->waiting_since = now;
	if (now - sc->waiting_since < SCRIPT_ARRIVAL_MS)
		return 1;
	console_message(c, ROLE_ERROR, _("script %s:%ld: incident %s did not "
	    "arrive within %d s: the script stops here"), sc->path,
	    sc->v[sc->at].lineno, id, SCRIPT_ARRIVAL_MS / 1000);
	sc->done = 1;
	return 0;
}

/* A command that asks for more (a reason on the ':' line, a picker) has
 * no one to answer it: close what it opened, say which line, and end. */
static int
script_asks(struct script *sc, struct console *c, const char *line)
{
	struct view	*top = console_top(c);
	int		 picker = top != NULL && strcmp(top->ops->name,
			    "pick") == 0;

	if (c->prompt == NULL && !picker)
		return 0;
	if (c->prompt != NULL)
		console_prompt_close(c);
	if (picker)
		console_pop(c);
	console_message(c, ROLE_ERROR, _("script %s:%ld: %s asks for more "
	    "(a reason, an agency): give it on the line; the script stops "
	    "here"), sc->path, sc->v[sc->at].lineno, line);
	sc->done = 1;
	return 1;
}

long
script_step(struct script *sc, struct console *c, uint64_t now)
{
	struct script_line	*l;
	char			 line[SCRIPT_LINE_MAX * 2], missing[256];
	int			 rc;

	while (!sc->done && sc->at < sc->n) {
		if (sc->until > now)
			return (long)(sc->until - now);
		if (c->requests_out > 0 || !c->link.loaded)
			return SCRIPT_POLL_MS;	/* the last line's replies */
		l = &sc->v[sc->at];
		switch (l->kind) {
		case SK_WAIT_TIME:
			sc->until = now + (uint64_t)l->ms;
			sc->at++;
			continue;
		case SK_WAIT_ID:
			if (script_case_of(c, l->text) == NULL)
				return script_wait_arrival(sc, c, now,
				    l->text) ? SCRIPT_POLL_MS : -1;
			break;
		case SK_QUIT:
			sc->done = 1;
			console_quit(c);
			return -1;
		case SK_COMMAND:
			rc = script_expand(c, l->text, line, sizeof line,
			    missing, sizeof missing);
			if (rc == 1)
				return script_wait_arrival(sc, c, now,
				    missing) ? SCRIPT_POLL_MS : -1;
			if (rc < 0) {
				console_message(c, ROLE_ERROR, _("script "
				    "%s:%ld: a {ID} not closed, or the line "
				    "too long: the script stops here"),
				    sc->path, l->lineno);
				sc->done = 1;
				return -1;
			}
			cmd_run_confirmed(c, line);
			c->dirty = 1;
			if (script_asks(sc, c, line))
				return -1;
			break;
		}
		sc->waiting_since = 0;
		sc->at++;
	}
	if (!sc->done) {
		sc->done = 1;
		console_message(c, ROLE_NORMAL, _("script %s: done"),
		    sc->path);
	}
	return -1;
}
