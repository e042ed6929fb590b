/*
 * view-case.c: one case, everything the server knows of it, and its
 * history.
 *
 * The view asks the server for the case when it opens and again whenever
 * an event says the case changed (console_case_changed calls resize), so
 * what it shows is never older than the stream. Its lines are built from
 * the reply at the width of the screen, without curses, so that scrolling
 * can be tested headless: j/k, PgUp/PgDn and g/G move through them, and
 * the last line says which events of the history are in sight
 * ("history 12-24 of 31"), so at 80x24 every event can be reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "gltime.h"
#include "present.h"
#include "req.h"
#include "screen.h"
#include "view.h"
#include "width.h"

#define CASE_LINES_MAX	512

struct caseview {
	char	 no[32];
	json_t	*rep;		/* the `case` reply: case and history */
	size_t	 first;		/* first line shown */
	int	 asked;		/* a request is out */
	int	 again;		/* ask again when it is answered */
	char	*line[CASE_LINES_MAX];
	int	 role[CASE_LINES_MAX];
	int	 event[CASE_LINES_MAX];	/* history event number, or 0 */
	size_t	 n, nevents;
	int	 built_cols;
};

static void
cv_clear(struct caseview *cv)
{
	while (cv->n > 0)
		free(cv->line[--cv->n]);
	cv->nevents = 0;
}

static void
cv_add(struct caseview *cv, int role, int event, const char *s)
{
	if (cv->n == CASE_LINES_MAX || (cv->line[cv->n] = strdup(s)) == NULL)
		return;
	cv->role[cv->n] = role;
	cv->event[cv->n++] = event;
}

/* s wrapped over lines of cols columns, the first after prefix. */
static void
cv_wrap(struct caseview *cv, int cols, int role, const char *prefix,
    const char *s)
{
	char	buf[1024], line[1200];
	size_t	off = 0, len = strlen(s), n;
	int	pw = width_cols(prefix, strlen(prefix));

	if (cols - pw < 8)
		pw = 0;
	do {
		n = width_prefix(s + off, len - off, cols - pw);
		width_fit(s + off, n, cols - pw, 0, buf, sizeof buf, NULL);
		if (off == 0)
			snprintf(line, sizeof line, "%s%s", prefix, buf);
		else
			snprintf(line, sizeof line, "%*s%s", pw, "", buf);
		cv_add(cv, role, 0, line);
		off += n;
	} while (n > 0 && off < len);
}

static void
cv_fact(struct caseview *cv, int cols, const char *label, const char *value)
{
	char	prefix[128];

	if (value == NULL || value[0] == '\0')
		return;
	snprintf(prefix, sizeof prefix, "%s ", label);
	cv_wrap(cv, cols, ROLE_NORMAL, prefix, value);
}

/* The supporting agencies' names. */
static void
cv_support(struct caseview *cv, struct console *c, int cols,
    const char *label, const char *s)
{
	char		 buf[1024] = "", codes[512], *p, *tok;
	const char	*name;

	snprintf(codes, sizeof codes, "%s", s);
	for (p = codes; (tok = strsep(&p, ",")) != NULL;) {
		name = console_agency_name(c, tok);
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s",
		    buf[0] ? ", " : "", name != NULL ? name : tok);
	}
	cv_fact(cv, cols, label, buf);
}

/* The last return of the history: its code and words. */
static void
cv_last_return(struct caseview *cv, int cols, json_t *hist)
{
	json_t	*e, *last = NULL;
	size_t	 i;
	char	 buf[1024];

	json_array_foreach(hist, i, e)
		if (strcmp(present_str(e, "action"), "return") == 0)
			last = e;
	if (last == NULL)
		return;
	snprintf(buf, sizeof buf, "%s (%s) %s", word_reason(present_str(last,
	    "reason_code")), present_str(last, "reason_code"), present_str(last, "reason"));
	cv_fact(cv, cols, _("Last return:"), buf);
}

/* 2026-11-30T01:06:47+08:00 as 2026-11-30 01:06 (the centre's time,
 * as the server writes it); "-" for none. */
static void
cv_when(const char *rfc, char *buf, size_t len)
{
	if (strlen(rfc) < 16)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.10s %.5s", rfc, rfc + 11);
}

static void
cv_time_facts(struct caseview *cv, int cols, json_t *k, time_t now)
{
	char		 buf[256], left[48], when[32];
	enum case_state	 st = CS_REPORTED;
	time_t		 due = 0;
	int		 prov = json_is_true(json_object_get(k,
			    "due_provisional"));

	case_state_parse(present_str(k, "state"), &st);
	if (present_str(k, "due_at")[0] != '\0')
		gltime_parse(present_str(k, "due_at"), &due);
	present_left(st, due, json_is_true(json_object_get(k, "paused")),
	    prov, now, left, sizeof left);
	cv_when(present_str(k, "reported_at"), buf, sizeof buf);
	cv_fact(cv, cols, _("Reported:"), buf);
	cv_when(present_str(k, "due_at"), when, sizeof when);
	snprintf(buf, sizeof buf, "%s%s  (%s %s, %lld %s)", when,
	    prov ? _(" (provisional)") : "", _("left"), left,
	    (long long)json_integer_value(json_object_get(k, "limit")),
	    word_unit(present_str(k, "unit")));
	cv_fact(cv, cols, _("Due:"), buf);
	if (prov)
		cv_add(cv, ROLE_DUE_SOON, 0, _("Provisional deadline: beyond "
		    "the holiday table, counted on weekdays alone"));
	if (json_is_true(json_object_get(k, "paused")))
		cv_add(cv, ROLE_DUE_SOON, 0, _("Clock paused (parked)"));
	if (json_is_true(json_object_get(k, "ext_pending")))
		cv_add(cv, ROLE_DUE_SOON, 0, _("Extension requested, waiting "
		    "for a decision (extend_grant / extend_refuse)"));
}

static void
cv_facts(struct caseview *cv, struct console *c, int cols, json_t *k)
{
	json_t		*route = json_object_get(k, "route");
	enum case_state	 st = CS_REPORTED;
	char		 buf[1024];

	case_state_parse(present_str(k, "state"), &st);
	snprintf(buf, sizeof buf, "%s  %s  v%lld", present_str(k, "no"),
	    word_state(st), (long long)json_integer_value(json_object_get(k,
	    "version")));
	cv_add(cv, ROLE_BAR, 0, buf);
	snprintf(buf, sizeof buf, "%s / %s (%s)", present_str(k, "category_name"),
	    present_str(k, "platform"), present_str(k, "category"));
	cv_fact(cv, cols, _("Matter:"), buf);
	cv_fact(cv, cols, _("Level:"), strcmp(present_str(k, "level"), "city") == 0 ?
	    _("city") : strcmp(present_str(k, "level"), "district") == 0 ?
	    _("district") : _("township"));
	snprintf(buf, sizeof buf, "%s %s %s", present_str(k, "district_name"),
	    present_str(k, "township_name"), present_str(k, "grid"));
	cv_fact(cv, cols, _("Place:"), buf);
	cv_fact(cv, cols, _("Address:"), present_str(k, "address"));
	snprintf(buf, sizeof buf, "%s%s%s", present_str(k, "reporter"),
	    present_str(k, "reporter")[0] && present_str(k, "source")[0] ? " / " : "",
	    word_source(present_str(k, "source")));
	cv_fact(cv, cols, _("Reporter:"), buf);
	cv_time_facts(cv, cols, k, console_time(c));
	if (present_str(k, "agency")[0] != '\0') {
		snprintf(buf, sizeof buf, "%s (%s)", present_str(k, "agency_name"),
		    present_str(k, "agency"));
		cv_fact(cv, cols, _("Agency:"), buf);
	}
	if (present_str(k, "support")[0] != '\0')
		cv_support(cv, c, cols, _("Supporting:"), present_str(k, "support"));
	if (json_is_object(route)) {
		json_t	*it;
		size_t	 i;
		char	 sup[512] = "";

		snprintf(buf, sizeof buf, "%s %s (%s)", _("Suggested lead:"),
		    present_str(route, "lead_name"), present_str(route, "lead"));
		cv_add(cv, ROLE_NEW, 0, buf);
		json_array_foreach(json_object_get(route, "support"), i, it)
			snprintf(sup + strlen(sup), sizeof sup - strlen(sup),
			    "%s%s", i ? "," : "", json_string_value(it) ?
			    json_string_value(it) : "");
		if (sup[0] != '\0' && present_str(k, "agency")[0] == '\0')
			cv_support(cv, c, cols, _("  with (on d):"), sup);
		word_route(route, buf, sizeof buf);
		cv_wrap(cv, cols, ROLE_DIM, _("  because "), buf);
	}
}

static void
cv_links(struct caseview *cv, int cols, json_t *k, json_t *hist)
{
	enum callback_result cb;
	char	buf[256];

	cv_fact(cv, cols, _("Possible duplicate of:"), present_str(k, "duplicate_of"));
	cv_fact(cv, cols, _("Merged into:"), present_str(k, "merged_into"));
	if (callback_result_parse(present_str(k, "callback"), &cb) == 0) {
		snprintf(buf, sizeof buf, "%s, %.10s", word_callback(cb),
		    present_str(k, "callback_at"));
		cv_fact(cv, cols, _("Call-back:"), buf);
	}
	if (json_array_size(json_object_get(k, "merged_from")) > 0) {
		json_t	*it;
		size_t	 i;
		char	 list[512] = "", sh[48];

		json_array_foreach(json_object_get(k, "merged_from"), i, it) {
			present_short_no(json_string_value(it) ?
			    json_string_value(it) : "", sh, sizeof sh);
			snprintf(list + strlen(list), sizeof list -
			    strlen(list), "%s%s", i ? ", " : "", sh);
		}
		cv_fact(cv, cols, _("Merged here:"), list);
	}
	if (json_integer_value(json_object_get(k, "returns")) > 0) {
		snprintf(buf, sizeof buf, _("returned %lld times, reworked "
		    "%lld, pressed %lld"),
		    (long long)json_integer_value(json_object_get(k, "returns")),
		    (long long)json_integer_value(json_object_get(k, "reworks")),
		    (long long)json_integer_value(json_object_get(k,
		    "presses")));
		cv_fact(cv, cols, _("Returns:"), buf);
		cv_last_return(cv, cols, hist);
	}
	if (json_is_true(json_object_get(k, "disputed"))) {
		cv_add(cv, ROLE_DISPUTED, 0, _("Disputed: agencies return it "
		    "to each other"));
		cv_wrap(cv, cols, ROLE_DISPUTED, "  ", strcmp(present_str(k, "level"),
		    "city") == 0 ? _("it is handled at the city already: a "
		    "supervisor decides (dispatch with a reason)") :
		    _("e escalates it one level up (township -> district -> "
		    "city), where the list's lead at that level is suggested"));
	}
}

static void
cv_history(struct caseview *cv, int cols, json_t *hist)
{
	json_t	*e;
	size_t	 i;
	char	 line[1024];

	cv_add(cv, ROLE_DIM, 0, _("History"));
	json_array_foreach(hist, i, e) {
		enum case_action a = CA_REPORT;

		case_action_parse(present_str(e, "action"), &a);
		snprintf(line, sizeof line, "%.5s %.5s %s %s %s %s %s",
		    present_str(e, "at") + (strlen(present_str(e, "at")) > 5 ? 5 : 0),
		    present_str(e, "at") + (strlen(present_str(e, "at")) > 11 ? 11 : 0),
		    present_str(e, "actor"), word_action(a), present_str(e, "agency"),
		    present_str(e, "reason_code")[0] ? word_reason(present_str(e,
		    "reason_code")) : "", present_str(e, "reason"));
		(void)cols;
		cv_add(cv, ROLE_NORMAL, (int)i + 1, line);
		cv->nevents = i + 1;
	}
}

/* Build the lines for cols columns (again when the width changed). */
static void
cv_build(struct caseview *cv, struct console *c, int cols)
{
	json_t	*k = json_object_get(cv->rep, "case");
	json_t	*hist = json_object_get(cv->rep, "history");

	cv_clear(cv);
	cv->built_cols = cols;
	if (k == NULL) {
		cv_add(cv, ROLE_DIM, 0, cv->asked ? _("loading the case...") :
		    _("the case could not be read"));
		return;
	}
	cv_facts(cv, c, cols, k);
	cv_links(cv, cols, k, hist);
	cv_wrap(cv, cols, ROLE_NORMAL, _("Summary: "), present_str(k, "summary"));
	cv_history(cv, cols, hist);
}

static int
cv_cols(struct console *c)
{
	return c->cols >= 140 ? 64 : c->cols;
}

static void cv_ask(struct view *v, struct console *c);

static void
cv_reply(struct console *c, void *arg, json_t *rep, const char *err)
{
	uint64_t	 id = (uint64_t)(uintptr_t)arg;
	struct view	*v = console_view(c, id);
	struct caseview	*cv;

	if (v == NULL)		/* closed meanwhile */
		return;
	cv = v->data;
	cv->asked = 0;
	if (rep != NULL && json_is_true(json_object_get(rep, "ok"))) {
		json_decref(cv->rep);
		cv->rep = json_incref(rep);
	} else if (rep != NULL) {
		char	words[512];

		word_refusal(json_object_get(rep, "error"), words,
		    sizeof words);
		console_message(c, ROLE_ERROR, "%s: %s", cv->no, words);
	} else
		console_message(c, ROLE_ERROR, _("no answer: %s"), err);
	cv_build(cv, c, cv_cols(c));
	if (cv->again) {
		cv->again = 0;
		cv_ask(v, c);
	}
}

static void
cv_ask(struct view *v, struct console *c)
{
	struct caseview	*cv = v->data;

	if (cv->asked) {	/* one at a time; the newest state wins */
		cv->again = 1;
		return;
	}
	cv->asked = 1;
	console_request(c, req_case(cv->no), cv_reply, (void *)(uintptr_t)
	    v->id);
}

static void
cv_enter(struct view *v, struct console *c)
{
	cv_ask(v, c);
}

static void
cv_changed(struct view *v, struct console *c, const char *no)
{
	if (strcmp(((struct caseview *)v->data)->no, no) == 0)
		cv_ask(v, c);
}

static int
cv_key(struct view *v, struct console *c, struct view_key *k)
{
	struct caseview	*cv = v->data;
	enum view_move	 m = view_move_of(k->cmd);
	long		 page = v->last_rows > 0 ? v->last_rows :
			    console_queue_rows(c);
	long		 last;

	if (m == VM_NONE || m == VM_OPEN)
		return 0;
	if (cv->built_cols != cv_cols(c))
		cv_build(cv, c, cv_cols(c));
	last = (long)cv->n - page;
	if (last < 0)
		last = 0;
	cv->first = (size_t)view_move_pos(m, (long)cv->first, last + 1,
	    page);
	return 1;
}

static void
cv_mouse(struct view *v, struct console *c, int row, int col, int button,
    char *run, size_t len)
{
	static const char *const wheel[] = { "up", "down" };
	struct view_key	 k = { 0, 0, NULL, "" };

	(void)row, (void)col, (void)run, (void)len;
	if (button != 4 && button != 5)
		return;
	k.cmd = wheel[button == 5];
	cv_key(v, c, &k);
	cv_key(v, c, &k);
	cv_key(v, c, &k);
}

static void
cv_draw(struct view *v, struct console *c, const struct view_rect *r)
{
	struct caseview	*cv = v->data;
	size_t		 i, lo = 0, hi = 0;
	int		 y, rows = r->rows - 1;
	char		 ind[96];

	if (cv->built_cols != r->cols)
		cv_build(cv, c, r->cols);
	v->last_rows = rows;
	if (cv->first + (size_t)rows > cv->n)
		cv->first = cv->n > (size_t)rows ? cv->n - (size_t)rows : 0;
	for (y = 0; y < rows; y++) {
		i = cv->first + (size_t)y;
		if (i >= cv->n) {
			screen_put(r->y + y, r->x, r->cols, ROLE_NORMAL, "");
			continue;
		}
		if (cv->event[i] > 0) {
			lo = lo == 0 ? (size_t)cv->event[i] : lo;
			hi = (size_t)cv->event[i];
		}
		screen_put(r->y + y, r->x, r->cols, cv->role[i], cv->line[i]);
	}
	if (lo > 0)
		snprintf(ind, sizeof ind, _("history %zu-%zu of %zu  "
		    "j/k PgUp/PgDn g/G scroll, q back"), lo, hi, cv->nevents);
	else
		snprintf(ind, sizeof ind, _("history below (%zu events): j "
		    "scrolls, q back"), cv->nevents);
	screen_put(r->y + rows, r->x, r->cols, ROLE_DIM, ind);
}

static void
cv_free(struct view *v)
{
	struct caseview	*cv = v->data;

	cv_clear(cv);
	json_decref(cv->rep);
	free(cv);
}

static const char *
cv_title(struct view *v, struct console *c)
{
	(void)c;
	return ((struct caseview *)v->data)->no;
}

static const struct view_ops case_ops = {
	.name = "case",
	.key = cv_key,
	.draw = cv_draw,
	.mouse = cv_mouse,
	.changed = cv_changed,
	.enter = cv_enter,
	.free = cv_free,
	.title = cv_title,
};

struct view *
view_case_new(struct console *c, const char *no)
{
	struct caseview	*cv = calloc(1, sizeof *cv);

	(void)c;
	if (cv == NULL)
		return NULL;
	snprintf(cv->no, sizeof cv->no, "%s", no);
	return view_new(&case_ops, cv);
}

const char *
view_case_no(struct view *v)
{
	return v->ops == &case_ops ? ((struct caseview *)v->data)->no : "";
}

void
view_case_scroll(struct view *v, size_t *first, size_t *total)
{
	struct caseview	*cv = v->data;

	*first = v->ops == &case_ops ? cv->first : 0;
	*total = v->ops == &case_ops ? cv->n : 0;
}

/* The case as the view has it (NULL while loading), for actions taken
 * from the view on a case that is not in the queue. */
json_t *
view_case_json(struct view *v)
{
	if (v == NULL || v->ops != &case_ops)
		return NULL;
	return json_object_get(((struct caseview *)v->data)->rep, "case");
}
