/*
 * console.c: the console object: view stack, selection, messages and
 * requests (see console.h).
 *
 * Nothing here touches the terminal, so tests build a console with a
 * send function of their own, feed it keys and answers, and look at its
 * stack, model and messages. Keys go first to the prompt when one is
 * open, then to the top view with the command the key table binds them
 * to, and last to the command table (input.c).
 *
 * A reply may come after the view that asked is gone (the case view was
 * closed while its case was read). So replies never carry view pointers:
 * a view that asks passes its id, and the answer looks the view up again
 * with console_view, finding nothing when it was popped.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "rights.h"
#include "view.h"

struct console *
console_new(const struct console_opts *o, console_send_fn send,
    void *send_arg, struct view *bottom)
{
	struct console	*c = calloc(1, sizeof *c);

	if (c == NULL || bottom == NULL) {
		free(c);
		view_free(bottom);
		return NULL;
	}
	c->opts = *o;
	c->send = send;
	c->send_arg = send_arg;
	c->filter.state = -1;
	c->rows = 24;
	c->cols = 80;
	c->conf.bell = o->bell;
	c->conf.mouse = 1;
	keys_init(&c->conf.keys);
	if ((c->model = model_new()) == NULL) {
		view_free(bottom);
		free(c);
		return NULL;
	}
	console_push(c, bottom);
	return c;
}

void
console_free(struct console *c)
{
	size_t	i;

	if (c == NULL)
		return;
	while (c->nviews > 0)
		view_free(c->views[--c->nviews]);
	free(c->prompt);
	model_free(c->model);
	for (i = 0; i < MSG_KEEP; i++)
		free(c->msgs.old[i]);
	for (i = 0; i < c->link.nagencies; i++)
		free(c->link.agencies[i]);
	free(c->link.agencies);
	for (i = 0; i < c->link.ndistricts; i++)
		free(c->link.districts[i]);
	free(c->link.districts);
	calendar_free(c->link.cal);
	while (c->nhistory > 0)
		free(c->history[--c->nhistory]);
	free(c->conf.problems);
	free(c);
}

uint64_t
console_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

time_t
console_time(const struct console *c)
{
	if (c->link.clock_ms == 0)
		return time(NULL);
	return c->link.clock_at + (time_t)((double)(console_now_ms() -
	    c->link.clock_ms) / 1000.0 * c->link.clock_speed);
}

/* --- messages ---------------------------------------------------------- */

void
console_message(struct console *c, int role, const char *fmt, ...)
{
	struct messages	*m = &c->msgs;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(m->text, sizeof m->text, fmt, ap);
	va_end(ap);
	m->role = role;
	m->at_ms = console_now_ms();
	c->dirty = 1;
	if (m->text[0] == '\0')
		return;
	free(m->old[m->head]);		/* kept whole for :messages */
	m->old[m->head] = strdup(m->text);
	m->head = (m->head + 1) % MSG_KEEP;
	if (m->n < MSG_KEEP)
		m->n++;
}

/* --- requests ---------------------------------------------------------- */

struct pending {
	struct console		*c;
	console_reply_fn	 fn;
	void			*arg;
};

static void
console_done(void *arg, json_t *reply, const char *err)
{
	struct pending	*p = arg;

	p->c->requests_out--;
	p->fn(p->c, p->arg, reply, err);
	p->c->dirty = 1;
	free(p);
}

void
console_request(struct console *c, json_t *req, console_reply_fn fn,
    void *arg)
{
	struct pending	*p;

	if (req == NULL || (p = malloc(sizeof *p)) == NULL) {
		json_decref(req);
		fn(c, arg, NULL, "out of memory");
		return;
	}
	p->c = c;
	p->fn = fn;
	p->arg = arg;
	c->requests_out++;
	c->send(c->send_arg, req, console_done, p);
}

struct pending_raw {
	struct console		*c;
	console_raw_reply_fn	 fn;
	void			*arg;
};

/* Unlike console_done, not dirty by itself: the callback says when a
 * frame is due (see console.h). */
static void
console_raw_done(void *arg, const char *text, size_t len, const char *err)
{
	struct pending_raw	*p = arg;

	p->c->requests_out--;
	p->fn(p->c, p->arg, text, len, err);
	free(p);
}

/* No raw send (a test's recorder): the reply as compact text. */
static void
console_raw_json(void *arg, json_t *reply, const char *err)
{
	char	*text = reply != NULL ? json_dumps(reply, JSON_COMPACT) : NULL;

	console_raw_done(arg, text, text != NULL ? strlen(text) : 0,
	    reply != NULL && text == NULL ? "out of memory" : err);
	free(text);
}

void
console_request_raw(struct console *c, json_t *req, console_raw_reply_fn fn,
    void *arg)
{
	struct pending_raw	*p;

	if (req == NULL || (p = malloc(sizeof *p)) == NULL) {
		json_decref(req);
		fn(c, arg, NULL, 0, "out of memory");
		return;
	}
	p->c = c;
	p->fn = fn;
	p->arg = arg;
	c->requests_out++;
	if (c->send_raw != NULL)
		c->send_raw(c->send_arg, req, console_raw_done, p);
	else
		c->send(c->send_arg, req, console_raw_json, p);
}

/* --- the selection ----------------------------------------------------- */

struct mcase *
console_selected(struct console *c)
{
	return c->sel[0] != '\0' ? model_get(c->model, c->sel) : NULL;
}

void
console_select(struct console *c, const char *no)
{
	snprintf(c->sel, sizeof c->sel, "%s", no != NULL ? no : "");
	c->dirty = 1;
}

long
console_selected_index(struct console *c)
{
	return c->sel[0] != '\0' ? model_index(c->model, c->sel) : -1;
}

void
console_select_at(struct console *c, long i)
{
	long	n = (long)model_count(c->model);

	if (n == 0)
		return;
	i = i < 0 ? 0 : i >= n ? n - 1 : i;
	console_select(c, model_at(c->model, (size_t)i)->no);
}

int
console_queue_rows(const struct console *c)
{
	return c->rows - 4 > 1 ? c->rows - 4 : 1;
}

/* --- the view stack ---------------------------------------------------- */

void
console_push(struct console *c, struct view *v)
{
	if (v == NULL)
		return;
	if (c->nviews == sizeof c->views / sizeof c->views[0]) {
		console_message(c, ROLE_ERROR, "%s", _("too many views open: "
		    "close one first"));
		view_free(v);
		return;
	}
	v->id = ++c->view_ids;
	c->views[c->nviews++] = v;
	if (v->ops->enter != NULL)
		v->ops->enter(v, c);
	c->dirty = 1;		/* every view paints all of its cells */
}

void
console_pop(struct console *c)
{
	struct view	*v;

	if (c->nviews <= 1)		/* the queue stays */
		return;
	v = c->views[--c->nviews];
	if (v->ops->leave != NULL)
		v->ops->leave(v, c);
	view_free(v);
	c->dirty = 1;		/* every view paints all of its cells */
}

struct view *
console_top(struct console *c)
{
	return c->nviews > 0 ? c->views[c->nviews - 1] : NULL;
}

struct view *
console_view(struct console *c, uint64_t id)
{
	size_t	i;

	for (i = 0; i < c->nviews; i++)
		if (c->views[i]->id == id)
			return c->views[i];
	return NULL;
}

void
console_quit(struct console *c)
{
	if (c->quitting)
		return;
	c->quitting = 1;
	if (c->on_quit != NULL)
		c->on_quit(c);
}

void
console_tick(struct console *c)
{
	size_t	i;

	for (i = 0; i < c->nviews; i++)
		if (c->views[i]->ops->tick != NULL)
			c->views[i]->ops->tick(c->views[i], c);
}

void
console_case_changed(struct console *c, const char *no)
{
	size_t	i;

	for (i = 0; i < c->nviews; i++)
		if (c->views[i]->ops->changed != NULL)
			c->views[i]->ops->changed(c->views[i], c, no);
}

/* --- the prompt -------------------------------------------------------- */

static struct prompt *
console_prompt_new(struct console *c, wchar_t kind)
{
	struct prompt	*p;

	console_prompt_close(c);
	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->kind = kind;
	p->hpos = c->nhistory;
	c->prompt = p;
	c->dirty = 1;
	return p;
}

void
console_prompt(struct console *c, wchar_t kind, const char *text)
{
	struct prompt	*p = console_prompt_new(c, kind);
	size_t		 n;

	if (p == NULL)
		return;
	n = mbstowcs(p->line, text != NULL ? text : "", sizeof p->line /
	    sizeof p->line[0] - 1);
	p->len = n == (size_t)-1 ? 0 : n;
	p->line[p->len] = L'\0';
}

void
console_ask(struct console *c, const char *question, const char *yes_line)
{
	struct prompt	*p = console_prompt_new(c, L'?');

	if (p == NULL)
		return;
	snprintf(p->question, sizeof p->question, "%s", question);
	snprintf(p->yes, sizeof p->yes, "%s", yes_line);
}

void
console_prompt_close(struct console *c)
{
	free(c->prompt);
	c->prompt = NULL;
	c->dirty = 1;
}

/* --- the filter -------------------------------------------------------- */

static int
console_has(const char *s, const char *needle)
{
	return s != NULL && strstr(s, needle) != NULL;
}

static int
console_keep(const struct mcase *m, void *arg)
{
	const struct filter	*f = arg;

	if (f->state >= 0 && (int)m->state != f->state)
		return 0;
	if (f->overdue && !case_overdue(m->state, m->due_at,
	    console_time(f->c)))
		return 0;
	if (f->district[0] != '\0' && strncmp(m->no, f->district, 6) != 0)
		return 0;
	if (f->dup && m->dup_of == NULL)
		return 0;
	if (f->disputed && !m->disputed)
		return 0;
	if (f->text[0] != '\0' && !console_has(m->hay, f->text))
		return 0;
	return 1;
}

int
console_may(const struct console *c, enum case_action a)
{
	enum rights_role	r;

	/* unsigned (no role known): the server decides, as before */
	if (c->link.role[0] == '\0' || rights_role_parse(c->link.role,
	    &r) != 0)
		return 1;
	return rights_role_takes(r, a);
}

void
console_set_filter(struct console *c, const struct filter *f)
{
	if (f == NULL) {
		memset(&c->filter, 0, sizeof c->filter);
		c->filter.state = -1;
		model_set_filter(c->model, NULL, NULL);
	} else {
		c->filter = *f;
		c->filter.c = c;
		model_set_filter(c->model, console_keep, &c->filter);
	}
	c->dirty = 1;
}

/* --- agencies ---------------------------------------------------------- */

const char *
console_agency_code(struct console *c, const char *typed)
{
	size_t	i, len = strlen(typed);
	char	*tab;

	for (i = 0; i < c->link.nagencies; i++) {
		tab = strchr(c->link.agencies[i], '\t');
		if (tab == NULL)
			continue;
		if (((size_t)(tab - c->link.agencies[i]) == len &&
		    strncmp(c->link.agencies[i], typed, len) == 0) ||
		    strcmp(tab + 1, typed) == 0) {
			static char	code[64];

			snprintf(code, sizeof code, "%.*s",
			    (int)(tab - c->link.agencies[i]),
			    c->link.agencies[i]);
			return code;
		}
	}
	return NULL;
}

const char *
console_agency_name(struct console *c, const char *code)
{
	size_t	i, len = strlen(code);

	for (i = 0; i < c->link.nagencies; i++)
		if (strncmp(c->link.agencies[i], code, len) == 0 &&
		    c->link.agencies[i][len] == '\t')
			return c->link.agencies[i] + len + 1;
	return NULL;
}
