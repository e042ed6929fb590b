/*
 * cmd-rate.c: a township rates the stationed units that serve it
 * (issue 14): `rate AGENCY SCORE [COMMENT...]`, for the current month on
 * the server's clock (the request leaves the month out, so a console on
 * a set clock rates the month the server is in).
 *
 * The console checks only the shape of what was typed (a score of 1 to
 * 5); whether the operator may rate the unit (a township's own
 * stationed units), and whether the month is still open, is the
 * server's to say, and its refusal is worded like any other
 * (word_refusal). The confirmation names the unit and the month.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "present.h"
#include "req.h"

static void
rate_reply(struct console *c, void *arg, json_t *rep, const char *err)
{
	json_t		*r = json_object_get(rep, "rating");
	const char	*name;
	char		 words[768];

	(void)arg;
	if (rep == NULL) {
		console_message(c, ROLE_ERROR, _("no answer: %s (the rating may "
		    "or may not be stored)"), err ? err : "?");
		return;
	}
	if (!json_is_true(json_object_get(rep, "ok"))) {
		word_refusal(json_object_get(rep, "error"), words,
		    sizeof words);
		console_message(c, ROLE_ERROR, _("rating refused: %s"), words);
		return;
	}
	name = console_agency_name(c, present_str(r, "agency"));
	console_message(c, ROLE_NORMAL, json_is_true(json_object_get(rep,
	    "replaced")) ? _("rating changed: %s %lld/5 for %s") :
	    _("rated: %s %lld/5 for %s"), name != NULL ? name :
	    present_str(r, "agency"), (long long)json_integer_value(
	    json_object_get(r, "score")), present_str(r, "month"));
}

static void
cmd_rate(struct console *c, int argc, char **argv)
{
	char	 comment[512], *end;
	long	 score;

	if (argc < 3) {
		console_message(c, ROLE_ERROR, "%s", _("usage: rate AGENCY "
		    "SCORE [COMMENT] (a score of 1 to 5)"));
		return;
	}
	score = strtol(argv[2], &end, 10);
	if (*end != '\0' || score < 1 || score > 5) {
		console_message(c, ROLE_ERROR, _("a score is 1 to 5, not %s"),
		    argv[2]);
		return;
	}
	if (!c->link.up) {
		console_message(c, ROLE_ERROR, "%s", _("offline: the server is "
		    "not answering, nothing was sent"));
		return;
	}
	console_request(c, req_rate(argv[1], (int)score, NULL,
	    argv_join(argc, argv, 3, comment, sizeof comment)), rate_reply,
	    NULL);
	console_message(c, ROLE_DIM, _("rate %s: sent"), argv[1]);
}

const struct cmd_entry cmd_rate_entry = { "rate", "AGENCY SCORE [COMMENT]",
	N_("rate a stationed unit for this month (1 to 5)"), cmd_rate };
