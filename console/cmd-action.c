/*
 * cmd-action.c: the lifecycle actions, each a command by its name
 * (`dispatch`, `close`, ...) or its Chinese one (`派遣`, `结案`).
 *
 * An action is sent with the case version the dispatcher is looking at,
 * so a change made meanwhile by another console comes back as a conflict
 * instead of being overwritten. What an action needs and was not given is
 * asked for instead of refused: a return reason from a picker, an agency
 * from a picker that searches names and codes, a reason on the command
 * line. Void, merge and a dispatch to another agency than the list's lead
 * are asked about (y/n) before they are sent.
 *
 * The case is the one of the case view on top when there is one (it may be
 * a closed case, not in the queue), else the queue's selection. After a
 * success at the queue the selection moves to the case that followed the
 * acted one, never back to the top: a dispatcher's next keystroke must not
 * land on a case they have not looked at. In the case view it stays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lifecycle.h"
#include "present.h"
#include "req.h"
#include "view.h"

/* The case an action is on. */
struct target {
	char		 no[32];
	int64_t		 version;
	enum case_state	 state;
	char		 lead[64];
	int		 ext_pending;
	int		 from_view;	/* taken from a case view */
};

static int
action_target(struct console *c, struct target *t)
{
	json_t		*k = view_case_json(console_top(c));
	struct mcase	*m;

	memset(t, 0, sizeof t[0]);
	if (k != NULL) {
		snprintf(t->no, sizeof t->no, "%s", present_str(k, "no"));
		t->version = json_integer_value(json_object_get(k, "version"));
		case_state_parse(present_str(k, "state"), &t->state);
		snprintf(t->lead, sizeof t->lead, "%s", present_str(
		    json_object_get(k, "route"), "lead"));
		t->ext_pending = json_is_true(json_object_get(k,
		    "ext_pending"));
		t->from_view = 1;
		/* the stream may be ahead of the view's copy */
		if ((m = model_get(c->model, t->no)) != NULL &&
		    m->version > t->version)
			t->version = m->version, t->state = m->state;
		return 0;
	}
	if ((m = console_selected(c)) == NULL)
		return -1;
	snprintf(t->no, sizeof t->no, "%s", m->no);
	t->version = m->version;
	t->state = m->state;
	t->ext_pending = m->ext_pending;
	snprintf(t->lead, sizeof t->lead, "%s", m->route_lead ?
	    m->route_lead : "");
	return 0;
}

/* The words of the line again, from argv[0], for a prompt to go on. */
static void
action_reprompt(struct console *c, int argc, char **argv, const char *why)
{
	char	line[512];

	argv_join(argc, argv, 0, line, sizeof line);
	snprintf(line + strlen(line), sizeof line - strlen(line), " ");
	console_prompt(c, L':', line);
	console_message(c, ROLE_URGENT, "%s", why);
}

static void
action_pick_reason(struct console *c)
{
	char	*items[RR__COUNT], buf[RR__COUNT][160];
	size_t	 i;

	for (i = 0; i < RR__COUNT; i++) {
		snprintf(buf[i], sizeof buf[i], "%s\t%s", return_reason_name(
		    (enum return_reason)i), word_reason(return_reason_name(
		    (enum return_reason)i)));
		items[i] = buf[i];
	}
	console_push(c, view_pick_new(_("why is it not yours? (return)"),
	    "return %s", items, RR__COUNT));
}

/* The agencies of the case's district first, then the city's, then the
 * rest: the one a dispatcher wants is nearly always near. A township's
 * operator is offered the agencies it commands only, its offices and the
 * stationed units: those whose code is the township's (an agency's code
 * begins with its jurisdiction's); the server checks the same by the
 * agency's home. */
static void
action_pick_agency(struct console *c, const struct target *t)
{
	char	**items, own[40];
	size_t	  i, n = 0, pass;
	int	  district, city;

	snprintf(own, sizeof own, "%s.", c->link.township);
	if (strcmp(c->link.role, "township") == 0 &&
	    c->link.township[0] != '\0') {
		if ((items = calloc(c->link.nagencies + 1, sizeof *items)) ==
		    NULL)
			return;
		for (i = 0; i < c->link.nagencies; i++)
			if (strncmp(c->link.agencies[i], own, strlen(own)) == 0)
				items[n++] = c->link.agencies[i];
		console_push(c, view_pick_new(_("dispatch to which agency?"),
		    "dispatch %s", items, n));
		free(items);
		return;
	}

	if (c->link.nagencies == 0) {
		console_message(c, ROLE_ERROR, "%s", _("the agency list has not "
		    "come from the server yet: type :dispatch CODE reason"));
		return;
	}
	if ((items = calloc(c->link.nagencies, sizeof *items)) == NULL)
		return;
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < c->link.nagencies; i++) {
			district = strncmp(c->link.agencies[i], t->no, 6) == 0;
			city = strncmp(c->link.agencies[i], t->no, 4) == 0 &&
			    strncmp(c->link.agencies[i] + 4, "00", 2) == 0;
			if ((pass == 0 && district) || (pass == 1 && city &&
			    !district) || (pass == 2 && !city && !district))
				items[n++] = c->link.agencies[i];
		}
	console_push(c, view_pick_new(_("dispatch to which agency?"),
	    "dispatch %s", items, n));
	free(items);
}

/* One word as support=A,B (or support= for none) into args. */
static int
action_support(const char *w, struct req_action_args *args, char *buf,
    size_t len, const char **list, size_t max)
{
	char	*p, *tok;

	if (strncmp(w, "support=", 8) != 0)
		return 0;
	snprintf(buf, len, "%s", w + 8);
	args->support_set = 1;
	args->support = list;
	args->nsupport = 0;
	for (p = buf; (tok = strsep(&p, ",")) != NULL;)
		if (tok[0] != '\0' && args->nsupport < max)
			list[args->nsupport++] = tok;
	return 1;
}

struct sent {
	char	no[32];
	char	next[32];	/* select on success, "" to stay */
	int	action;
};

static void action_reply(struct console *c, void *arg, json_t *rep,
    const char *err);

/* The agency of a dispatch: a code or name typed at argv[*i], else the
 * list's lead; --pick, or no lead, opens the picker (0). */
static int
action_agency(struct console *c, const struct target *t, int argc,
    char **argv, int *i, struct req_action_args *args)
{
	const char	*code;

	if (*i < argc && strcmp(argv[*i], "--pick") == 0) {
		action_pick_agency(c, t);
		return 0;
	}
	code = *i < argc ? console_agency_code(c, argv[*i]) : NULL;
	if (code == NULL && *i < argc && strchr(argv[*i], '.') != NULL)
		code = argv[*i];
	if (code != NULL)
		(*i)++;
	else if ((code = t->lead[0] ? t->lead : NULL) == NULL) {
		action_pick_agency(c, t);
		return 0;
	}
	args->agency = code;
	return 1;
}

/* The words an action needs before its free text: agency, return reason,
 * target case, amount. 0 when one is missing and was asked for. */
static int
action_needs(struct console *c, enum case_action a, const struct target *t,
    int argc, char **argv, int *i, struct req_action_args *args)
{
	const struct lifecycle_rule *r = lifecycle_rule(a);
	char		*end;
	long		 amount;

	if ((r->needs & LC_NEED_AGENCY) &&
	    !action_agency(c, t, argc, argv, i, args))
		return 0;
	if (r->needs & LC_NEED_CODE) {
		if (*i >= argc) {
			action_pick_reason(c);
			return 0;
		}
		args->reason_code = argv[(*i)++];
	}
	if (r->needs & LC_NEED_TARGET) {
		if (*i >= argc) {
			action_reprompt(c, argc, argv, _("type the number of the "
			    "case to merge into (Tab completes)"));
			return 0;
		}
		args->target = argv[(*i)++];
	}
	if (r->needs & LC_NEED_RESULT) {
		if (*i >= argc) {
			action_reprompt(c, argc, argv, _("type the call-back's "
			    "result: satisfied, basically_satisfied, "
			    "unsatisfied or unreachable (reopen and a reason "
			    "to reopen an unsatisfied one)"));
			return 0;
		}
		args->result = argv[(*i)++];
		if (*i < argc && strcmp(argv[*i], "reopen") == 0) {
			args->reopen = 1;
			(*i)++;
		}
	}
	if ((r->needs & LC_NEED_AMOUNT) || a == CA_EXT_GRANT) {
		amount = *i < argc ? strtol(argv[*i], &end, 10) : 0;
		if (*i < argc && *end == '\0' && amount > 0) {
			args->amount = amount;
			(*i)++;
		} else if (r->needs & LC_NEED_AMOUNT) {
			action_reprompt(c, argc, argv, _("type how much longer "
			    "(in the case's time unit), then the reason"));
			return 0;
		}
	}
	return 1;
}

/*
 * The words after the action name into args, asking for what is missing.
 * 1: send it; 0: something was asked (a picker, the prompt, y/n) or
 * refused, the message says which.
 */
static int
action_args(struct console *c, enum case_action a, const struct target *t,
    int argc, char **argv, struct req_action_args *args, char *reason,
    size_t rlen, char *sup, size_t slen, const char **list)
{
	const struct lifecycle_rule *r = lifecycle_rule(a);
	char		 q[512];
	int		 i = 1;

	for (; i < argc && action_support(argv[i], args, sup, slen, list, 16);
	    i++)
		;
	if (!action_needs(c, a, t, argc, argv, &i, args))
		return 0;
	for (; i < argc && action_support(argv[i], args, sup, slen, list, 16);
	    i++)
		;
	args->reason = argv_join(argc, argv, i, reason, rlen);
	if (args->reason == NULL && (args->reopen || (r->needs &
	    LC_NEED_REASON) ||
	    (args->reason_code != NULL && strcmp(args->reason_code, "other") ==
	    0))) {
		snprintf(q, sizeof q, _("type the reason for %s, then Enter"),
		    word_action(a));
		action_reprompt(c, argc, argv, q);
		return 0;
	}
	if (a == CA_DISPATCH && t->lead[0] && strcmp(args->agency, t->lead) &&
	    args->reason == NULL) {
		snprintf(q, sizeof q, _("%s is not the list's lead (%s): type "
		    "why, then Enter"), args->agency, t->lead);
		action_reprompt(c, argc, argv, q);
		return 0;
	}
	return 1;
}

/* Void, merge, and a dispatch away from the lead: asked about first. */
static int
action_confirm(struct console *c, enum case_action a, const struct target *t,
    const struct req_action_args *args, int argc, char **argv)
{
	char	q[512], line[600], sh[48], sh2[48];
	const char *name;

	if (c->act.confirmed)
		return 1;
	present_short_no(t->no, sh, sizeof sh);
	if (a == CA_VOID)
		snprintf(q, sizeof q, _("Void case %s? It leaves the queue for "
		    "good. (y/n)"), sh);
	else if (a == CA_MERGE) {
		present_short_no(args->target, sh2, sizeof sh2);
		snprintf(q, sizeof q, _("Merge %s into %s? %s(y/n)"), sh, sh2,
		    strncmp(t->no, args->target, 6) != 0 ? _("WARNING: they "
		    "are in different districts. ") : "");
	} else if (a == CA_DISPATCH && t->lead[0] &&
	    strcmp(args->agency, t->lead) != 0) {
		name = console_agency_name(c, args->agency);
		snprintf(q, sizeof q, _("Dispatch %s to %s, not the list's lead "
		    "%s? (y/n)"), sh, name != NULL ? name : args->agency,
		    t->lead);
	} else
		return 1;
	argv_join(argc, argv, 0, line, sizeof line);
	console_ask(c, q, line);
	return 0;
}

/* The case after t in the queue, to select when the action succeeds. */
static void
action_next(struct console *c, const struct target *t, char *out,
    size_t len)
{
	long		 i = model_index(c->model, t->no);
	struct mcase	*m;

	out[0] = '\0';
	if (t->from_view || i < 0)
		return;
	if ((m = model_at(c->model, (size_t)i + 1)) == NULL && i > 0)
		m = model_at(c->model, (size_t)i - 1);
	if (m != NULL)
		snprintf(out, len, "%s", m->no);
}

void
cmd_action(struct console *c, int argc, char **argv)
{
	struct req_action_args	 args;
	struct target		 t;
	enum case_action	 a;
	struct sent		*s;
	char			 reason[512], sup[512], why[256];
	const char		*list[16];
	enum case_state		 to;

	if (case_action_parse(argv[0], &a) != 0 || a == CA_REPORT)
		return;
	if (action_target(c, &t) != 0) {
		console_message(c, ROLE_ERROR, "%s", _("no case selected"));
		return;
	}
	if (!c->link.up) {
		console_message(c, ROLE_ERROR, "%s", _("offline: the server is "
		    "not answering, nothing was sent"));
		return;
	}
	if (strcmp(c->act.no, t.no) == 0) {
		/* typed ahead (r then d): sent once the first is answered,
		 * with the version that answer brings, not a stale one */
		argv_join(argc, argv, 0, c->act.queued, sizeof c->act.queued);
		console_message(c, ROLE_DIM, _("%s: waits for the action in "
		    "flight"), word_action(a));
		return;
	}
	if (!console_may(c, a)) {
		/* said, not sent: the server would refuse it the same way */
		console_message(c, ROLE_ERROR, _("not yours to do (%s): %s"),
		    word_role(c->link.role), _("the role does not take this "
		    "action"));
		return;
	}
	if (lifecycle_check(t.state, t.ext_pending, t.state, a, &to, why,
	    sizeof why) != 0) {
		console_message(c, ROLE_ERROR, _("%s cannot be done while %s is "
		    "%s"), word_action(a), t.no, word_state(t.state));
		return;
	}
	memset(&args, 0, sizeof args);
	if (!action_args(c, a, &t, argc, argv, &args, reason, sizeof reason,
	    sup, sizeof sup, list) ||
	    !action_confirm(c, a, &t, &args, argc, argv))
		return;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return;
	snprintf(s->no, sizeof s->no, "%s", t.no);
	s->action = (int)a;
	action_next(c, &t, s->next, sizeof s->next);
	snprintf(c->act.no, sizeof c->act.no, "%s", t.no);
	console_request(c, req_action(a, t.no, t.version, c->opts.operator,
	    &args), action_reply, s);
	console_message(c, ROLE_DIM, _("%s %s: sent"), word_action(a), t.no);
}

/* Run the action typed while the previous one was in flight (queued
 * holds an action's line: its name was checked when it was typed). */
static void
action_queued(struct console *c)
{
	char	line[512], *argv[32];
	int	argc;

	if (c->act.queued[0] == '\0')
		return;
	snprintf(line, sizeof line, "%s", c->act.queued);
	c->act.queued[0] = '\0';
	if ((argc = argv_split(line, argv, 32)) > 0)
		cmd_action(c, argc, argv);
}

static void
action_done(struct console *c, struct sent *s, json_t *k)
{
	enum case_state	 st = CS_REPORTED;
	const char	*state = json_string_value(json_object_get(k, "state"));

	case_state_parse(state != NULL ? state : "", &st);
	console_message(c, ROLE_NORMAL, _("done: %s %s, now %s (v%lld)"),
	    word_action(s->action), s->no, word_state(st),
	    (long long)json_integer_value(json_object_get(k, "version")));
	if (c->act.queued[0] != '\0') {
		action_queued(c);
		return;
	}
	/* on to the next case, if the dispatcher is still on this one */
	if (s->next[0] != '\0' && strcmp(c->sel, s->no) == 0 &&
	    view_case_json(console_top(c)) == NULL)
		console_select(c, s->next);
}

static void
action_reply(struct console *c, void *arg, json_t *rep, const char *err)
{
	struct sent	*s = arg;
	json_t		*k;
	char		 words[768];

	c->act.no[0] = '\0';
	if (rep == NULL) {
		c->act.queued[0] = '\0';
		console_message(c, ROLE_ERROR, _("no answer: %s (it may or may "
		    "not have been done: look at the case)"), err ? err : "?");
		free(s);
		return;
	}
	if ((k = json_object_get(rep, "case")) != NULL)
		model_put(c->model, k, 0);
	if (k != NULL)
		console_case_changed(c, s->no);
	if (json_is_true(json_object_get(rep, "ok")))
		action_done(c, s, k);
	else {
		c->act.queued[0] = '\0';	/* typed on a state that did
						   not come */
		word_refusal(json_object_get(rep, "error"), words,
		    sizeof words);
		console_message(c, ROLE_ERROR, "%s %s: %s", word_action(
		    s->action), s->no, words);
	}
	free(s);
}
