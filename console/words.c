/*
 * words.c: the console's words for states, actions, return reasons and
 * the server's refusals, in the user's language.
 *
 * The server speaks in codes (`dispatched`, `not_our_duty`, `conflict`
 * with params); the console words them through gettext, so that under
 * LANG=C.UTF-8 or en_US every word is English and under zh_CN every word
 * is Chinese, never a mix. The English words are the message ids; the
 * Chinese ones, in po/zh_CN.po, are the names core/lifecycle.h gives.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "gltime.h"
#include "lifecycle.h"
#include "present.h"

static const char *const state_words[CS__COUNT] = {
	[CS_REPORTED] = N_("reported"), [CS_REGISTERED] = N_("registered"),
	[CS_DISPATCHED] = N_("dispatched"),
	[CS_ACKNOWLEDGED] = N_("acknowledged"), [CS_IN_HAND] = N_("in hand"),
	[CS_DONE] = N_("done"), [CS_VERIFIED] = N_("verified"),
	[CS_CLOSED] = N_("closed"), [CS_RETURNED] = N_("returned"),
	[CS_ESCALATED] = N_("escalated"), [CS_PARKED] = N_("parked"),
	[CS_MERGED] = N_("merged"), [CS_VOIDED] = N_("voided"),
};

static const char *const action_words[CA__COUNT] = {
	[CA_REPORT] = N_("report"), [CA_REGISTER] = N_("register"),
	[CA_DISPATCH] = N_("dispatch"), [CA_ACKNOWLEDGE] = N_("acknowledge"),
	[CA_START] = N_("start"), [CA_FEEDBACK] = N_("feedback"),
	[CA_VERIFY] = N_("verify"), [CA_REWORK] = N_("rework"),
	[CA_CLOSE] = N_("close"), [CA_RETURN] = N_("return"),
	[CA_EXT_REQUEST] = N_("extend"), [CA_EXT_GRANT] = N_("grant extension"),
	[CA_EXT_REFUSE] = N_("refuse extension"), [CA_PRESS] = N_("press"),
	[CA_VOID] = N_("void"), [CA_MERGE] = N_("merge"),
	[CA_UNMERGE] = N_("unmerge"), [CA_ESCALATE] = N_("escalate"),
	[CA_PARK] = N_("park"), [CA_UNPARK] = N_("unpark"),
	[CA_REOPEN] = N_("reopen"), [CA_CALLBACK] = N_("call-back"),
};

static const char *const callback_words[CB__COUNT] = {
	[CB_SATISFIED] = N_("satisfied"),
	[CB_BASIC] = N_("basically satisfied"),
	[CB_UNSATISFIED] = N_("unsatisfied"),
	[CB_UNREACHABLE] = N_("unreachable"),
};

static const char *const reason_words[RR__COUNT] = {
	[RR_WRONG_AREA] = N_("wrong area"),
	[RR_UNCLEAR] = N_("unclear ownership"),
	[RR_OVERLAP] = N_("overlapping duty"),
	[RR_NOT_OURS] = N_("not our duty"),
	[RR_INCOMPLETE] = N_("incomplete report"),
	[RR_OTHER] = N_("other reason"),
};

/* The same in at most ten columns, for the queue's state column. */
static const char *const state_short[CS__COUNT] = {
	[CS_REPORTED] = N_("reported"), [CS_REGISTERED] = N_("registered"),
	[CS_DISPATCHED] = N_("dispatched"),
	[CS_ACKNOWLEDGED] = N_("acked"), [CS_IN_HAND] = N_("in hand"),
	[CS_DONE] = N_("done"), [CS_VERIFIED] = N_("verified"),
	[CS_CLOSED] = N_("closed"), [CS_RETURNED] = N_("returned"),
	[CS_ESCALATED] = N_("escalated"), [CS_PARKED] = N_("parked"),
	[CS_MERGED] = N_("merged"), [CS_VOIDED] = N_("voided"),
};

const char *
word_state_short(int s)
{
	return s >= 0 && s < CS__COUNT ? _(state_short[s]) : "?";
}

const char *
word_state(int s)
{
	return s >= 0 && s < CS__COUNT ? _(state_words[s]) : "?";
}

const char *
word_callback(int r)
{
	return r >= 0 && r < CB__COUNT ? _(callback_words[r]) : "?";
}

const char *
word_action(int a)
{
	return a >= 0 && a < CA__COUNT ? _(action_words[a]) : "?";
}

const char *
word_reason(const char *code)
{
	enum return_reason r;

	if (code == NULL || return_reason_parse(code, &r) != 0)
		return code != NULL ? code : "";
	return _(reason_words[r]);
}

/* An action or state name from the server in the user's words. */
static const char *
word_name(const char *name)
{
	enum case_action a;
	enum case_state	 s;

	if (case_action_parse(name, &a) == 0)
		return word_action(a);
	if (case_state_parse(name, &s) == 0)
		return word_state(s);
	return name;
}

const char *
word_role(const char *role)
{
	static const struct {
		const char	*name, *word;
	} roles[] = {
		{ "admin", N_("admin") },
		{ "supervisor", N_("supervisor") },
		{ "dispatcher", N_("dispatcher") },
		{ "township", N_("township command") },
		{ "agency", N_("agency") },
		{ "trainee", N_("trainee") },
		{ "viewer", N_("viewer") },
	};
	size_t	i;

	for (i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(role, roles[i].name) == 0)
			return _(roles[i].word);
	return role;
}

/* Why core/rights.h refused, in the user's words. */
static const char *
word_rule(const char *rule)
{
	static const struct {
		const char	*name, *word;
	} rules[] = {
		{ "role", N_("the role does not take this action") },
		{ "agency_scope", N_("the case is not your agency's") },
		{ "township_scope", N_("the case is not in your township") },
		{ "township_command", N_("your township does not command that "
		    "agency") },
		{ "training_only", N_("a trainee acts on a training server "
		    "only") },
		{ "dispute", N_("the case is disputed: a supervisor decides "
		    "where it goes") },
		{ "dispatched", N_("the case was dispatched: only a supervisor "
		    "voids it now") },
	};
	size_t	i;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strcmp(rule, rules[i].name) == 0)
			return _(rules[i].word);
	return rule;
}

void
word_refusal(json_t *error, char *buf, size_t len)
{
	const char	*code = present_str(error, "code");
	json_t		*p = json_object_get(error, "params");

	if (strcmp(code, "conflict") == 0 && json_is_object(p))
		snprintf(buf, len, _("not changed: %s did %s at %.16s first; "
		    "the case is at version %lld now"), present_str(p, "by"),
		    word_name(present_str(p, "action")), present_str(p, "at"),
		    (long long)json_integer_value(json_object_get(p,
		    "version")));
	else if (strcmp(code, "conflict") == 0)
		snprintf(buf, len, _("not changed, someone was first: %s"),
		    present_str(error, "message"));
	else if (strcmp(code, "not_allowed") == 0 && json_is_object(p))
		snprintf(buf, len, _("%s cannot be done while the case is %s"),
		    word_name(present_str(p, "action")), word_name(present_str(p, "state")));
	else if (strcmp(code, "not_found") == 0)
		snprintf(buf, len, "%s", _("no such case"));
	else if (strcmp(code, "too_slow") == 0)
		snprintf(buf, len, "%s", _("the search took too long: try more "
		    "or longer words"));
	else if (strcmp(code, "bad_case") == 0)
		snprintf(buf, len, "%s", _("not a case number (330203-20261124-"
		    "00042)"));
	else if (strcmp(code, "too_long") == 0)
		snprintf(buf, len, _("%s is too long (a reason is at most 500 "
		    "characters, a search 200)"), present_str(error, "field"));
	else if (strcmp(code, "unknown_agency") == 0)
		snprintf(buf, len, _("no such agency (%s)"), present_str(error,
		    "field"));
	else if (strcmp(code, "reason_required") == 0 ||
	    strcmp(code, "invalid") == 0)
		snprintf(buf, len, _("something is missing: %s"),
		    present_str(error, "field")[0] ? present_str(error, "field") :
		    present_str(error, "message"));
	else if (strcmp(code, "not_hotline") == 0)
		snprintf(buf, len, "%s", _("only a case from the 12345 hotline "
		    "gets a call-back"));
	else if (strcmp(code, "month_closed") == 0 && json_is_object(p))
		snprintf(buf, len, _("the ratings of %s closed at %.16s"),
		    present_str(p, "month"), present_str(p, "closed_at"));
	else if (strcmp(code, "forbidden") == 0 && json_is_object(p))
		snprintf(buf, len, _("not yours to do (%s): %s"),
		    word_role(present_str(p, "role")),
		    word_rule(present_str(p, "rule")));
	else if (strcmp(code, "unauthenticated") == 0)
		snprintf(buf, len, _("refused, not signed in: %s (gridline "
		    "--key FILE)"), present_str(error, "message"));
	else if (strcmp(code, "busy") == 0 || strcmp(code, "db") == 0)
		snprintf(buf, len, "%s", _("the server could not store it now: "
		    "try again"));
	else
		snprintf(buf, len, "%s: %s", code, present_str(error, "message"));
}

/* A level's name from the server ("district") in the user's words. */
static const char *
word_level(const char *level)
{
	return strcmp(level, "city") == 0 ? _("city") :
	    strcmp(level, "district") == 0 ? _("district") :
	    strcmp(level, "township") == 0 ? _("township") : level;
}

void
word_route(json_t *route, char *buf, size_t len)
{
	json_t		*rule = json_object_get(route, "rule");
	const char	*level = present_str(route, "level");
	char		 pre[256] = "";

	if (!json_is_object(rule)) {	/* an older server: its words */
		snprintf(buf, len, "%s", present_str(route, "reason"));
		return;
	}
	if (json_is_true(json_object_get(route, "fallback")))
		snprintf(pre, sizeof pre, _("no row at the %s level, so the "
		    "grid's own: "), word_level(level));
	else if (strcmp(level, "district") == 0 || strcmp(level, "city") == 0)
		snprintf(pre, sizeof pre, _("escalated to the %s: "),
		    word_level(level));
	snprintf(buf, len, _("%s%s:%lld: %s (%s) in %s (%s) is led by %s (%s)"),
	    pre, present_str(rule, "file"), (long long)json_integer_value(
	    json_object_get(rule, "line")), present_str(rule, "category_name"),
	    present_str(rule, "category"), present_str(rule, "juris_name"), present_str(rule,
	    "juris"), present_str(route, "lead_name"), present_str(route, "lead"));
}

const char *
word_unit(const char *unit)
{
	/* the server names units as the data files do */
	if (strcmp(unit, "工作时") == 0 || strcmp(unit, "wh") == 0)
		return _("working hours");
	if (strcmp(unit, "工作日") == 0 || strcmp(unit, "wd") == 0)
		return _("working days");
	if (strcmp(unit, "自然时") == 0 || strcmp(unit, "h") == 0)
		return _("hours");
	return unit;
}

const char *
word_source(const char *source)
{
	static const struct {
		const char	*code, *word;
	} sources[] = {
		{ "grid-app", N_("grid worker's app") },
		{ "hotline", N_("12345 hotline") },
		{ "sensor", N_("sensor") },
		{ "web", N_("web") },
	};
	size_t	i;

	for (i = 0; i < sizeof sources / sizeof sources[0]; i++)
		if (strcmp(source, sources[i].code) == 0)
			return _(sources[i].word);
	return source;
}
