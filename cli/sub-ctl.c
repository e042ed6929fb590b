/*
 * sub-ctl.c: `gridline ctl OP [KEY=VALUE ...]`, the command-line face of the
 * control socket, for scripts and tests.
 *
 * Arguments become the request's fields: KEY=VALUE gives a string, or an
 * integer when VALUE is one (version=3), KEY:=JSON gives any JSON value
 * (support:='["330203.SL"]'), and --json TEXT sends a whole request as is.
 * Actions get the operator from --operator, else the login name. The reply
 * is printed as JSON, or with --tsv as rows (cases, events, rejects). The
 * exit code is 0 when the reply says ok, 1 when it does not, 2 for usage.
 * Like the console, ctl starts a server when none runs (--no-start: not).
 *
 * Requests are signed with the operator's key (--key FILE, else
 * $GRIDLINE_KEY, else ~/.config/gridline/key; see ident.c), as the name
 * the key file gives. --dry-run prints the signed request, exactly as it
 * would be sent, instead of sending it: to inspect one, or to prove that
 * a changed byte or a second sending is refused.
 *
 * What the server holds came from outside, so nothing of it is written
 * raw (core/vis.h): a --tsv field is shown in its visible form with
 * VIS_TAB, a tab inside a summary as U+2409, so the columns hold; the JSON
 * reply gets VIS_JSON, as jansson escapes C0 in strings but passes DEL,
 * C1 and bidi controls through: they become \u escapes, so the output is
 * still JSON that decodes to the exact stored text. Error messages, which
 * may quote the server or the arguments, are shown as vis(3) would.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "rundir.h"


static json_t *
ctl_value(const char *v)
{
	char		*end;
	long long	 n;

	if (v[0] != '\0' && (isdigit((unsigned char)v[0]) || v[0] == '-')) {
		n = strtoll(v, &end, 10);
		if (*end == '\0')
			return json_integer(n);
	}
	return json_string(v);
}

/* Build the request from OP and KEY=VALUE / KEY:=JSON words. */
static json_t *
ctl_request(int argc, char **argv)
{
	json_t	*req = json_pack("{s:s}", "op", argv[0]), *v;
	char	*eq, key[128], vis[1024];
	int	 i;

	for (i = 1; req != NULL && i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL || eq == argv[i] ||
		    (size_t)(eq - argv[i]) >= sizeof key) {
			fprintf(stderr, "gridline ctl: '%s' is not KEY=VALUE\n",
			    cli_vis(argv[i], vis, sizeof vis));
			json_decref(req);
			return NULL;
		}
		snprintf(key, sizeof key, "%.*s", (int)(eq - argv[i]),
		    argv[i]);
		if (eq[-1] == ':') {
			key[eq - argv[i] - 1] = '\0';
			v = json_loads(eq + 1, JSON_DECODE_ANY, NULL);
		} else
			v = ctl_value(eq + 1);
		if (v == NULL) {
			fprintf(stderr, "gridline ctl: %s: bad JSON\n",
			    cli_vis(key, vis, sizeof vis));
			json_decref(req);
			return NULL;
		}
		json_object_set_new(req, key, v);
	}
	return req;
}

static const char *
ctl_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* One field of a --tsv row: key k of o, a string in its visible form,
 * or with "#k" an integer (0 when missing, as before). */
static void
ctl_field(json_t *o, const char *k, int first)
{
	if (!first)
		putchar('\t');
	if (k[0] == '#')
		printf("%" JSON_INTEGER_FORMAT, json_integer_value(
		    json_object_get(o, k + 1)));
	else
		cli_vis_put(stdout, ctl_str(o, k), VIS_TAB);
}

/* One row: the fields named in keys, of o or, for "case.no", of its
 * member case. */
static void
ctl_row(json_t *o, const char *const *keys)
{
	size_t	i;

	for (i = 0; keys[i] != NULL; i++) {
		if (strcmp(keys[i], "case.no") == 0)
			ctl_field(json_object_get(o, "case"), "no", i == 0);
		else
			ctl_field(o, keys[i], i == 0);
	}
	putchar('\n');
}

/* The JSON reply, with what jansson leaves raw escaped (VIS_JSON). */
static void
ctl_json(json_t *rep, size_t flags)
{
	char	*text = json_dumps(rep, flags);

	if (text == NULL)
		return;
	cli_vis_put(stdout, text, VIS_JSON);
	putchar('\n');
	free(text);
}

/* The columns of each list, in the order scripts read them by. */
static const char *const ctl_case_keys[] = { "no", "state", "#priority",
	"category", "township", "agency", "due_at", "summary", NULL };
static const char *const ctl_event_keys[] = { "#seq", "type", "case.no",
	NULL };
static const char *const ctl_reject_keys[] = { "#id", "at", "code",
	"field", "message", NULL };
static const char *const ctl_rating_keys[] = { "month", "township",
	"agency", "#score", "rated_by", "rated_at", "comment", NULL };

/* Rows of the reply's list, tab-separated, no header. */
static void
ctl_tsv(json_t *rep)
{
	json_t	*list, *it;
	size_t	 i;

	if ((list = json_object_get(rep, "cases")) != NULL)
		json_array_foreach(list, i, it)
			ctl_row(it, ctl_case_keys);
	else if ((list = json_object_get(rep, "events")) != NULL)
		json_array_foreach(list, i, it)
			ctl_row(it, ctl_event_keys);
	else if ((list = json_object_get(rep, "rejects")) != NULL)
		json_array_foreach(list, i, it)
			ctl_row(it, ctl_reject_keys);
	else if ((list = json_object_get(rep, "ratings")) != NULL)
		json_array_foreach(list, i, it)
			ctl_row(it, ctl_rating_keys);
	else
		ctl_json(rep, JSON_COMPACT);
}

static const struct option ctl_longopts[] = {
	{ "run-dir",	required_argument, NULL, 'r' },
	{ "operator",	required_argument, NULL, 'o' },
	{ "json",	required_argument, NULL, 'j' },
	{ "tsv",	no_argument,	   NULL, 't' },
	{ "no-start",	no_argument,	   NULL, 'n' },
	{ "key",	required_argument, NULL, 'k' },
	{ "dry-run",	no_argument,	   NULL, 'd' },
	{ NULL, 0, NULL, 0 }
};

struct ctl_args {
	const char	*run_dir, *operator, *json, *key;
	int		 tsv, nostart, dry;
};

static json_t *
ctl_parse(int argc, char **argv, struct ctl_args *a)
{
	json_t	*req;
	int	 c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", ctl_longopts, NULL)) != -1)
		switch (c) {
		case 'r': a->run_dir = optarg; break;
		case 'o': a->operator = optarg; break;
		case 'j': a->json = optarg; break;
		case 't': a->tsv = 1; break;
		case 'n': a->nostart = 1; break;
		case 'k': a->key = optarg; break;
		case 'd': a->dry = 1; break;
		default: return NULL;
		}
	if (a->json != NULL)
		return optind == argc ? json_loads(a->json, 0, NULL) : NULL;
	if (optind >= argc)
		return NULL;
	if ((req = ctl_request(argc - optind, argv + optind)) != NULL &&
	    json_object_get(req, "operator") == NULL)
		json_object_set_new(req, "operator", json_string(
		    a->operator != NULL ? a->operator : cli_login()));
	return req;
}

/* --dry-run: the request as it would be sent, to stdout, exact. */
static int
ctl_dry(struct gridline *gl, const struct sign_id *id, json_t *req)
{
	char	*text;
	size_t	 len;

	if (sign_seal(id, req, time(NULL), &text, &len) != 0) {
		fprintf(stderr, "%s ctl: out of memory\n", gl->progname);
		return EXIT_FAIL;
	}
	fwrite(text, 1, len, stdout);
	putchar('\n');
	free(text);
	return EXIT_OK;
}

static int
ctl_exec(struct gridline *gl, int argc, char **argv)
{
	struct ctl_args	 a = { NULL, NULL, NULL, NULL, 0, 0, 0 };
	struct sign_id	 id;
	json_t		*req, *rep;
	char		 run_dir[4096], err[1024], vis[4096];
	int		 ok, have;

	if ((req = ctl_parse(argc, argv, &a)) == NULL)
		return cli_usage(&sub_ctl);
	if ((have = cli_identity(a.key, a.operator, &id, err,
	    sizeof err)) < 0) {
		fprintf(stderr, "%s ctl: %s\n", gl->progname,
		    cli_vis(err, vis, sizeof vis));
		json_decref(req);
		return EXIT_FAIL;
	}
	if (a.dry) {
		ok = ctl_dry(gl, have ? &id : NULL, req);
		json_decref(req);
		return ok;
	}
	rundir_resolve(a.run_dir, run_dir, sizeof run_dir);
	if (cli_ask(gl, run_dir, !a.nostart, have ? &id : NULL, req,
	    &rep) != EXIT_OK) {
		json_decref(req);
		return EXIT_FAIL;
	}
	ok = json_is_true(json_object_get(rep, "ok"));
	if (a.tsv && ok)
		ctl_tsv(rep);
	else
		ctl_json(rep, JSON_INDENT(2));
	json_decref(rep);
	json_decref(req);
	return ok ? EXIT_OK : EXIT_FAIL;
}

const struct subcmd sub_ctl = {
	"ctl", "[--run-dir DIR] [--key FILE] [--operator NAME] [--tsv] "
	"[--no-start] [--dry-run] OP [KEY=VALUE|KEY:=JSON ...] | "
	"--json REQUEST",
	N_("send one control request to the server and print the reply"),
	ctl_exec
};
