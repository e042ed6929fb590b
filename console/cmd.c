/*
 * cmd.c: keys, the command line and the commands of the console.
 *
 * As in tmux, keys are bound to command strings, and the default bindings
 * are written as the `bind KEY COMMAND` lines a user would put in
 * gridline.conf; the `:` line runs the same commands by name. Every
 * lifecycle action of core/lifecycle.c is a command of the same name; one
 * function builds its request from the action's needs (an agency, a reason
 * code, a target case, an amount, a reason) and sends it with the case
 * version the dispatcher is looking at, so a change made meanwhile by
 * another console comes back as a conflict instead of being overwritten.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"

/* Reply kinds, compared by address. */
static const char REQ_ACTION[] = "action";
static const char REQ_CASE[] = "case";
static const char REQ_SEARCH[] = "search";

struct cmd {
	const char	*name;
	const char	*args;
	const char	*help;
	void		(*exec)(struct console *c, int argc, char **argv);
};

/* --- moving ---------------------------------------------------------------- */

static void
select_at(struct console *c, long i)
{
	long	n = (long)model_count(c->model);

	if (n == 0)
		return;
	i = i < 0 ? 0 : i >= n ? n - 1 : i;
	snprintf(c->sel, sizeof c->sel, "%s", model_at(c->model,
	    (size_t)i)->no);
	if (c->detail) {
		json_decref(c->case_json);
		c->case_json = NULL;
		console_request(c, json_pack("{s:s,s:s}", "op", "case", "case",
		    c->sel), REQ_CASE);
	}
	c->dirty = 1;
}

static long
sel_index(struct console *c)
{
	return c->sel[0] ? model_index(c->model, c->sel) : 0;
}

static void
cmd_down(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	select_at(c, sel_index(c) + 1);
}

static void
cmd_up(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	select_at(c, sel_index(c) - 1);
}

static void
cmd_page_down(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	select_at(c, sel_index(c) + draw_queue_rows());
}

static void
cmd_page_up(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	select_at(c, sel_index(c) - draw_queue_rows());
}

static void
cmd_top(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	select_at(c, 0);
}

static void
cmd_bottom(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	select_at(c, (long)model_count(c->model) - 1);
}

static void
cmd_view(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	c->detail = !c->detail;
	json_decref(c->case_json);
	c->case_json = NULL;
	if (c->detail && c->sel[0] != '\0')
		console_request(c, json_pack("{s:s,s:s}", "op", "case", "case",
		    c->sel), REQ_CASE);
	c->dirty = 1;
}

static void
cmd_close(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	c->detail = 0;
	c->board = BOARD_NONE;
	c->mode = MODE_QUEUE;
	clear();
	c->dirty = 1;
}

static void
cmd_quit(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	console_quit(c);
}

static void
cmd_help(struct console *c, int argc, char **argv)
{
	(void)argc, (void)argv;
	c->mode = MODE_HELP;
	clear();
	c->dirty = 1;
}

static void
cmd_sort(struct console *c, int argc, char **argv)
{
	static const char *const names[] = { N_("time left"), N_("priority"),
	    N_("arrival") };

	(void)argc, (void)argv;
	c->sort = (enum model_sort)((c->sort + 1) % 3);
	model_sort(c->model, c->sort, time(NULL));
	console_message(c, ROLE_NORMAL, _("sorted by %s"), _(names[c->sort]));
}

static void
open_prompt(struct console *c, wchar_t kind, const char *text)
{
	size_t	n;

	c->mode = MODE_PROMPT;
	c->prompt_kind = kind;
	c->hpos = c->nhistory;
	c->msg[0] = '\0';
	n = mbstowcs(c->prompt, text, sizeof c->prompt / sizeof c->prompt[0]
	    - 1);
	c->prompt_len = n == (size_t)-1 ? 0 : n;
	c->prompt[c->prompt_len] = L'\0';
	c->dirty = 1;
}

/* prompt [TEXT]: the : line, TEXT typed already (`bind f prompt filter`) */
static void
cmd_prompt(struct console *c, int argc, char **argv)
{
	char	text[256] = "";
	int	i;

	for (i = 1; i < argc; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text),
		    "%s ", argv[i]);
	open_prompt(c, L':', text);
}

static void
cmd_search(struct console *c, int argc, char **argv)
{
	char	q[512] = "";
	int	i;

	if (argc < 2) {
		open_prompt(c, L'/', "");
		return;
	}
	for (i = 1; i < argc; i++)
		snprintf(q + strlen(q), sizeof q - strlen(q), "%s%s",
		    i > 1 ? " " : "", argv[i]);
	console_request(c, json_pack("{s:s,s:s,s:i}", "op", "search", "q", q,
	    "limit", 50), REQ_SEARCH);
}

static void
cmd_bell(struct console *c, int argc, char **argv)
{
	c->opts.bell = argc > 1 ? strcmp(argv[1], "off") != 0 : !c->opts.bell;
	console_message(c, ROLE_NORMAL, "%s", c->opts.bell ? _("bell on") :
	    _("bell off"));
}

/* --- filters and boards ----------------------------------------------- */

static int
has(const char *s, const char *needle)
{
	return s != NULL && strstr(s, needle) != NULL;
}

static int
filter_keep(const struct mcase *m, void *arg)
{
	const struct filter	*f = arg;

	if (f->state >= 0 && (int)m->state != f->state)
		return 0;
	if (f->overdue && (m->due_at == 0 || m->due_at >= time(NULL) ||
	    !case_state_clock_runs(m->state)))
		return 0;
	if (f->dup && m->dup_of == NULL)
		return 0;
	if (f->disputed && !m->disputed)
		return 0;
	if (f->text[0] != '\0' && !has(m->hay, f->text))
		return 0;
	return 1;
}

/* filter [overdue] [dup] [disputed] [state=S] [WORD]; none: clear. */
static void
cmd_filter(struct console *c, int argc, char **argv)
{
	struct filter	f = { -1, 0, 0, 0, "" };
	enum case_state	st;
	int		i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "overdue") == 0)
			f.overdue = 1;
		else if (strcmp(argv[i], "dup") == 0)
			f.dup = 1;
		else if (strcmp(argv[i], "disputed") == 0)
			f.disputed = 1;
		else if (strncmp(argv[i], "state=", 6) == 0) {
			if (case_state_parse(argv[i] + 6, &st) != 0) {
				console_message(c, ROLE_ERROR, _("no state "
				    "'%s'"), argv[i] + 6);
				return;
			}
			f.state = (int)st;
		} else
			snprintf(f.text, sizeof f.text, "%s", argv[i]);
	}
	c->filter = f;
	model_set_filter(c->model, argc > 1 ? filter_keep : NULL, &c->filter);
	c->top = 0;
	console_message(c, ROLE_NORMAL, "%s", argc > 1 ? _("filter on "
	    "(:filter alone clears it)") : _("filter off"));
}

static void
cmd_board(struct console *c, int argc, char **argv)
{
	if (argc > 1)
		c->board = strcmp(argv[1], "agency") == 0 ? BOARD_AGENCY :
		    strcmp(argv[1], "township") == 0 ? BOARD_TOWNSHIP :
		    BOARD_NONE;
	else
		c->board = (enum board)((c->board + 1) % 3);
	clear();
	c->dirty = 1;
}

/* --- lifecycle actions ----------------------------------------------------- */

/* The words from argv[from] on, joined by spaces, into buf. */
static const char *
join(int argc, char **argv, int from, char *buf, size_t len)
{
	int	i;

	buf[0] = '\0';
	for (i = from; i < argc; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i > from ? " " : "", argv[i]);
	return buf[0] != '\0' ? buf : NULL;
}

/* Fill the request's action fields from the words after the action name,
 * as the action's needs say: dispatch [AGENCY] [REASON], return CODE
 * [TEXT], merge TARGET, extend AMOUNT REASON, extend_grant [AMOUNT], and a
 * REASON for the rest. */
static const char *
action_args(json_t *req, enum case_action a, const struct mcase *m,
    int argc, char **argv, char *reason, size_t len)
{
	const struct lifecycle_rule *r = lifecycle_rule(a);
	int	 i = 1;
	char	*end;
	long	 amount;

	if (r->needs & LC_NEED_AGENCY) {
		const char *ag = i < argc && strchr(argv[i], '.') != NULL ?
		    argv[i++] : m->route_lead;

		if (ag == NULL)
			return _("dispatch: no agency given and none suggested");
		json_object_set_new(req, "agency", json_string(ag));
	}
	if (r->needs & LC_NEED_CODE) {
		if (i >= argc)
			return _("return needs a reason code: wrong_area, "
			    "unclear_ownership, overlapping_duty, "
			    "not_our_duty, incomplete, other");
		json_object_set_new(req, "reason_code", json_string(argv[i++]));
	}
	if (r->needs & LC_NEED_TARGET) {
		if (i >= argc)
			return _("merge needs the case number to merge into");
		json_object_set_new(req, "target", json_string(argv[i++]));
	}
	if ((r->needs & LC_NEED_AMOUNT) || a == CA_EXT_GRANT) {
		amount = i < argc ? strtol(argv[i], &end, 10) : 0;
		if (i < argc && *end == '\0' && amount > 0) {
			json_object_set_new(req, "amount", json_integer(amount));
			i++;
		} else if (r->needs & LC_NEED_AMOUNT)
			return _("extend needs an amount (in the case's time "
			    "unit) and a reason");
	}
	if (join(argc, argv, i, reason, len) != NULL)
		json_object_set_new(req, "reason", json_string(reason));
	else if (r->needs & LC_NEED_REASON)
		return _("this action needs a reason: type it after the "
		    "command, e.g. :void duplicate report");
	return NULL;
}

static void
cmd_action(struct console *c, int argc, char **argv)
{
	struct mcase	*m = console_selected(c);
	enum case_action a;
	const char	*problem;
	char		 reason[512];
	json_t		*req;

	if (case_action_parse(argv[0], &a) != 0 || a == CA_REPORT)
		return;
	if (m == NULL) {
		console_message(c, ROLE_ERROR, "%s", _("no case selected"));
		return;
	}
	if (!c->up) {
		console_message(c, ROLE_ERROR, "%s", _("offline: the server is "
		    "not answering, nothing was sent"));
		return;
	}
	if (strcmp(c->acting, m->no) == 0) {
		/* typed ahead (r then d): send it once the first is answered,
		 * with the version that answer brings, not a stale one */
		join(argc, argv, 0, c->queued, sizeof c->queued);
		console_message(c, ROLE_DIM, _("%s: waits for the action in "
		    "flight"), case_action_zh(a));
		return;
	}
	req = json_pack("{s:s,s:s,s:s,s:I}", "op", case_action_name(a),
	    "case", m->no, "operator", c->opts.operator, "version",
	    (json_int_t)m->version);
	if ((problem = action_args(req, a, m, argc, argv, reason,
	    sizeof reason)) != NULL) {
		json_decref(req);
		console_message(c, ROLE_ERROR, "%s", problem);
		return;
	}
	console_request(c, req, REQ_ACTION);
	snprintf(c->acting, sizeof c->acting, "%s", m->no);
	console_message(c, ROLE_DIM, _("%s %s: sent"), case_action_zh(a),
	    m->no);
}

/* --- the command table ------------------------------------------------------ */

static const struct cmd cmds[] = {
	{ "down", "", N_("next case"), cmd_down },
	{ "up", "", N_("previous case"), cmd_up },
	{ "page-down", "", N_("a page down"), cmd_page_down },
	{ "page-up", "", N_("a page up"), cmd_page_up },
	{ "top", "", N_("first case"), cmd_top },
	{ "bottom", "", N_("last case"), cmd_bottom },
	{ "view", "", N_("open or close the case view"), cmd_view },
	{ "close", "", N_("close the case view or help"), cmd_close },
	{ "sort", "", N_("sort by time left, priority, arrival"), cmd_sort },
	{ "search", "WORDS", N_("search summaries and addresses"),
	    cmd_search },
	{ "filter", "[overdue|dup|disputed|state=S|WORD]...",
	    N_("show only some cases (WORD: in township, matter, agency or "
	    "platform); alone: all"), cmd_filter },
	{ "board", "[agency|township]", N_("agency and township boards"),
	    cmd_board },
	{ "prompt", "[TEXT]", N_("type a command"), cmd_prompt },
	{ "bell", "[on|off]", N_("ring on new urgent cases"), cmd_bell },
	{ "help", "", N_("this help"), cmd_help },
	{ "quit", "", N_("leave the console"), cmd_quit },
};

#define NCMDS	(sizeof cmds / sizeof cmds[0])

/* Split line into words in place; at most max. */
static int
split(char *line, char **argv, int max)
{
	int	argc = 0;
	char	*p = line;

	while (argc < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return argc;
}

size_t
cmd_complete(const char *prefix, const char **out, size_t max)
{
	size_t	i, n = 0, len = strlen(prefix);

	for (i = 0; i < NCMDS && n < max; i++)
		if (strncmp(cmds[i].name, prefix, len) == 0)
			out[n++] = cmds[i].name;
	for (i = 0; i < CA__COUNT && n < max; i++)
		if (i != CA_REPORT && strncmp(case_action_name(
		    (enum case_action)i), prefix, len) == 0)
			out[n++] = case_action_name((enum case_action)i);
	return n;
}

int
cmd_run(struct console *c, const char *line)
{
	char		 buf[1024], *argv[32];
	enum case_action a;
	int		 argc;
	size_t		 i;

	snprintf(buf, sizeof buf, "%s", line);
	if ((argc = split(buf, argv, 32)) == 0)
		return 0;
	for (i = 0; i < NCMDS; i++)
		if (strcmp(argv[0], cmds[i].name) == 0) {
			cmds[i].exec(c, argc, argv);
			return 0;
		}
	if (case_action_parse(argv[0], &a) == 0 && a != CA_REPORT) {
		argv[0] = (char *)case_action_name(a);	/* 派遣 -> dispatch */
		cmd_action(c, argc, argv);
		return 0;
	}
	console_message(c, ROLE_ERROR, _("unknown command: %s"), argv[0]);
	return -1;
}

/* --- keys ------------------------------------------------------------------ */

void
cmd_key(struct console *c, wint_t key, int is_keycode)
{
	const char	*cmd;

	if (is_keycode && key == KEY_RESIZE) {
		c->dirty = 1;
		return;
	}
	if (c->mode == MODE_PROMPT) {
		prompt_key(c, key, is_keycode);
		return;
	}
	if (c->mode == MODE_HELP) {
		c->mode = MODE_QUEUE;
		clear();
		c->dirty = 1;
		return;
	}
	if ((cmd = keys_lookup(&c->keys, key, is_keycode)) != NULL)
		cmd_run(c, cmd);
}

const char *
cmd_help_line(struct console *c, size_t i)
{
	static char	line[256];
	const struct key_binding *b;
	size_t		k;

	if (i < c->keys.n) {
		b = &c->keys.b[i];
		for (k = 0; k < NCMDS && strncmp(cmds[k].name, b->cmd,
		    strlen(cmds[k].name)) != 0; k++)
			;
		snprintf(line, sizeof line, "%-10s %-14s %s", b->name, b->cmd,
		    k < NCMDS ? _(cmds[k].help) : _("lifecycle action"));
		return line;
	}
	if (i == c->keys.n)
		return _(":ACTION [ARGS] runs any lifecycle action on the "
		    "selected case, e.g. :dispatch 330203.ZF reason, :return "
		    "not_our_duty text, :void reason, :merge CASE-NO");
	return NULL;
}

/* --- replies --------------------------------------------------------------- */

/* Run the action typed while the previous one was in flight. */
static void
reply_queued(struct console *c)
{
	char	line[512];

	if (c->queued[0] == '\0')
		return;
	snprintf(line, sizeof line, "%s", c->queued);
	c->queued[0] = '\0';
	cmd_run(c, line);
}

static void
reply_action(struct console *c, json_t *rep)
{
	json_t		*err = json_object_get(rep, "error"), *k;
	struct mcase	*m;

	if ((k = json_object_get(rep, "case")) != NULL &&
	    (m = model_put(c->model, k, 0)) != NULL && c->detail &&
	    strcmp(m->no, c->sel) == 0) {
		json_decref(c->case_json);
		c->case_json = NULL;
		console_request(c, json_pack("{s:s,s:s}", "op", "case", "case",
		    m->no), REQ_CASE);
	}
	c->acting[0] = '\0';
	if (json_is_true(json_object_get(rep, "ok"))) {
		console_message(c, ROLE_NORMAL, _("done: %s is now %s (v%lld)"),
		    json_string_value(json_object_get(k, "no")),
		    json_string_value(json_object_get(k, "state")),
		    (long long)json_integer_value(json_object_get(k,
		    "version")));
		reply_queued(c);
		return;
	}
	c->queued[0] = '\0';	/* it was typed on a state that did not come */
	console_message(c, ROLE_ERROR, "%s%s",
	    strcmp(json_string_value(json_object_get(err, "code")) ?
	    json_string_value(json_object_get(err, "code")) : "",
	    "conflict") == 0 ? _("not changed, someone was first: ") : "",
	    json_string_value(json_object_get(err, "message")) ?
	    json_string_value(json_object_get(err, "message")) : "?");
}

static void
reply_search(struct console *c, json_t *rep)
{
	json_t	*list = json_object_get(rep, "cases"), *it;
	size_t	 i;
	long	 at;

	json_array_foreach(list, i, it) {
		at = model_index(c->model, json_string_value(json_object_get(it,
		    "no")) ? json_string_value(json_object_get(it, "no")) : "");
		if (at >= 0) {
			select_at(c, at);
			break;
		}
	}
	console_message(c, ROLE_NORMAL, _("%zu found%s"),
	    json_array_size(list), json_array_size(list) > 0 ?
	    _(", first open one selected") : "");
}

void
cmd_reply(struct console *c, const char *what, json_t *rep, const char *err)
{
	if (rep == NULL) {
		if (what == REQ_ACTION)
			c->acting[0] = c->queued[0] = '\0';
		console_message(c, ROLE_ERROR, _("no answer: %s"),
		    err != NULL ? err : "?");
		return;
	}
	if (what == REQ_CASE || strcmp(what, "case-refresh") == 0) {
		json_decref(c->case_json);
		c->case_json = json_incref(rep);
		c->dirty = 1;
	} else if (what == REQ_SEARCH)
		reply_search(c, rep);
	else
		reply_action(c, rep);
}
