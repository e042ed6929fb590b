/*
 * cmd-find.c: finding cases: `case NO` (by its number or as it is read
 * aloud, open or not), `search` (a list of results), `filter` (what the
 * queue shows), `sort`; and the two switches, `bell` and `mouse`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "present.h"
#include "req.h"
#include "view.h"

#define SEARCH_LIMIT	200

/* Open the case view of no, selecting it in the queue when it is there. */
static void
find_open(struct console *c, const char *no)
{
	struct view	*top = console_top(c);

	console_select(c, no);
	if (top != NULL && strcmp(top->ops->name, "case") == 0)
		console_pop(c);
	console_push(c, view_case_new(c, no));
}

static void
cmd_case(struct console *c, int argc, char **argv)
{
	char	no[64];

	if (argc < 2) {
		console_message(c, ROLE_ERROR, "%s", _("case needs a number: "
		    ":case 203-1124-00042 or the whole number"));
		return;
	}
	if (present_full_no(c, argv[1], no, sizeof no) != 0) {
		console_message(c, ROLE_ERROR, _("'%s' is not a case number "
		    "(330203-20261124-00042 or 203-1124-00042)"), argv[1]);
		return;
	}
	find_open(c, no);
}

static void
search_reply(struct console *c, void *arg, json_t *rep, const char *err)
{
	char	*q = arg, title[256];
	json_t	*list = json_object_get(rep, "cases");

	if (rep == NULL || !json_is_true(json_object_get(rep, "ok"))) {
		char	words[512] = "";

		if (rep != NULL)
			word_refusal(json_object_get(rep, "error"), words,
			    sizeof words);
		console_message(c, ROLE_ERROR, _("search failed: %s"), rep != NULL ?
		    words : err);
		free(q);
		return;
	}
	console_message(c, ROLE_NORMAL, _("%zu found for '%s'"),
	    json_array_size(list), q);
	snprintf(title, sizeof title, _("search '%s'"), q);
	free(q);
	console_push(c, view_list_new(title, list));
}

static void
cmd_search(struct console *c, int argc, char **argv)
{
	char	q[512], no[64];

	if (argc < 2) {
		console_prompt(c, L'/', "");
		return;
	}
	argv_join(argc, argv, 1, q, sizeof q);
	if (argc == 2 && present_full_no(c, q, no, sizeof no) == 0) {
		find_open(c, no);	/* a case number: that case */
		return;
	}
	console_request(c, req_search(q, SEARCH_LIMIT), search_reply,
	    strdup(q));
}

/* A district's code for its name (海曙区, or 海曙 without 区): 0, else -1. */
static int
filter_district(struct console *c, const char *word, char *code, size_t len)
{
	size_t		 i, wl = strlen(word);
	const char	*d, *tab;

	for (i = 0; i < c->link.ndistricts; i++) {
		d = c->link.districts[i];
		if ((tab = strchr(d, '\t')) == NULL || wl < 6)
			continue;
		if (strcmp(tab + 1, word) == 0 || (strncmp(tab + 1, word, wl) ==
		    0 && strcmp(tab + 1 + wl, "区") == 0) ||
		    strncmp(d, word, (size_t)(tab - d)) == 0) {
			snprintf(code, len, "%.*s", (int)(tab - d), d);
			return 0;
		}
	}
	return -1;
}

/* filter [overdue] [dup] [disputed] [state=S] [WORD]; none: clear. */
static void
cmd_filter(struct console *c, int argc, char **argv)
{
	struct filter	f;
	enum case_state	st;
	int		i;

	memset(&f, 0, sizeof f);
	f.state = -1;
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
		} else if (filter_district(c, argv[i], f.district,
		    sizeof f.district) == 0)
			;
		else
			snprintf(f.text, sizeof f.text, "%s", argv[i]);
	}
	argv_join(argc, argv, 1, f.label, sizeof f.label);
	console_set_filter(c, argc > 1 ? &f : NULL);
	console_message(c, ROLE_NORMAL, "%s", argc > 1 ? _("filter on "
	    "(Esc or :filter alone clears it)") : _("filter off"));
}

static void
cmd_sort(struct console *c, int argc, char **argv)
{
	static const char *const names[] = { N_("time left"), N_("priority"),
	    N_("arrival") };

	(void)argc, (void)argv;
	c->sort = (enum model_sort)((c->sort + 1) % 3);
	console_message(c, ROLE_NORMAL, _("sorted by %s"), _(names[c->sort]));
}

static int
switch_value(int argc, char **argv, int now)
{
	return argc > 1 ? strcmp(argv[1], "off") != 0 : !now;
}

static void
cmd_bell(struct console *c, int argc, char **argv)
{
	c->conf.bell = switch_value(argc, argv, c->conf.bell);
	console_message(c, ROLE_NORMAL, "%s", c->conf.bell ? _("bell on") :
	    _("bell off"));
}

static void
cmd_mouse(struct console *c, int argc, char **argv)
{
	c->conf.mouse = switch_value(argc, argv, c->conf.mouse);
	console_message(c, ROLE_NORMAL, "%s", c->conf.mouse ? _("mouse on") :
	    _("mouse off"));
}

const struct cmd_entry cmd_case_entry = { "case", "NUMBER",
	N_("open a case by number (203-1124-00042 works), open or not"),
	cmd_case };
const struct cmd_entry cmd_search_entry = { "search", "WORDS",
	N_("search summaries and addresses (a case number opens it)"),
	cmd_search };
const struct cmd_entry cmd_filter_entry = { "filter",
	"[overdue|dup|disputed|state=S|WORD]...",
	N_("show only some cases (WORD: in district, township, matter, agency "
	"or platform); alone: all"), cmd_filter };
const struct cmd_entry cmd_sort_entry = { "sort", "",
	N_("sort by time left, priority, arrival"), cmd_sort };
const struct cmd_entry cmd_bell_entry = { "bell", "[on|off]",
	N_("ring on new urgent cases"), cmd_bell };
const struct cmd_entry cmd_mouse_entry = { "mouse", "[on|off]",
	N_("clicks select, the wheel scrolls"), cmd_mouse };
