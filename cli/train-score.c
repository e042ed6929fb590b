/*
 * train-score.c: `gridline train score [SESSION] [--json]`: what the
 * trainee did (the training database's event log) against the scenario's
 * expected handling (docs/TRAINING.md has the formula).
 *
 * For each incident of the scenario, in its order:
 *   handled   the deciding action was taken: a dispatch (after an
 *             escalation, for one expected escalated), a merge, a void;
 *   correct   it was the expected one: the first dispatch went to the
 *             expected agency (and an escalation came before it when one
 *             was expected, none when not), the merge into the case of the
 *             incident it repeats, the void of a false report;
 *   registered in time   registration (or the deciding action, for a
 *             report merged or voided unregistered) within the scenario's
 *             register_within of its arrival;
 *   decided in time      the deciding action within dispatch_within.
 * Every time is on the training server's clock, so a score does not depend
 * on when, or how fast, the exercise ran. Cases running past their
 * deadline when the exercise stopped count as left overdue.
 *
 *   score = 60 x correct/N + 15 x registered in time/N
 *         + 15 x decided in time/N + 10 x (1 - min(overdue, N)/N)
 *
 * rounded to a whole number. The output is a function of the database
 * and the session's copy of the scenario alone: scoring twice prints the
 * same bytes.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "gltime.h"
#include "scenario.h"
#include "store.h"
#include "train.h"

/* What the log says of one incident. */
struct verdict {
	const struct scen_incident *in;
	char		 no[32];	/* "" : never arrived */
	enum case_state	 state;
	time_t		 arrived, registered, decided;	/* 0: not */
	int		 escalated;	/* before the first dispatch */
	char		 dispatched_to[64];
	char		 merged_into[32];
	int		 correct, reg_ok, dec_ok;
	char		 why[512];	/* a mistake, in English */
};

struct score {
	struct verdict	*v;
	size_t		 n, correct, reg_ok, dec_ok, handled, overdue;
	long		 reg_p50, reg_p90, dec_p50, dec_p90;	/* -1: none */
	double		 total, parts[4];
	time_t		 stopped;
};

/* One event of a case's history into its verdict. */
static int
score_event(void *arg, const struct store_event *e)
{
	struct verdict	*v = arg;

	if (strcmp(e->action, "register") == 0 && v->registered == 0)
		v->registered = e->at;
	else if (strcmp(e->action, "escalate") == 0 &&
	    v->dispatched_to[0] == '\0')
		v->escalated = 1;
	else if (strcmp(e->action, "dispatch") == 0 &&
	    v->dispatched_to[0] == '\0') {
		snprintf(v->dispatched_to, sizeof v->dispatched_to, "%s",
		    e->agency != NULL ? e->agency : "");
		if (v->decided == 0)
			v->decided = e->at;
	} else if ((strcmp(e->action, "merge") == 0 ||
	    strcmp(e->action, "void") == 0) && v->decided == 0)
		v->decided = e->at;
	return 0;
}

static const char *
score_no_of(const struct score *s, const char *id)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].in->id, id) == 0)
			return s->v[i].no;
	return "";
}

/* Right or wrong, and why, for one verdict. */
static void
score_judge(struct score *s, struct verdict *v)
{
	const struct scen_incident *in = v->in;

	switch (in->handling) {
	case SH_DISPATCH:
	case SH_ESCALATE:
		if (v->dispatched_to[0] == '\0')
			snprintf(v->why, sizeof v->why, "not dispatched "
			    "(expected %s%s)", in->handling == SH_ESCALATE ?
			    "escalation, then " : "", in->agency);
		else if (strcmp(v->dispatched_to, in->agency) != 0)
			snprintf(v->why, sizeof v->why, "dispatched to %s, "
			    "expected %s", v->dispatched_to, in->agency);
		else if (in->handling == SH_ESCALATE && !v->escalated)
			snprintf(v->why, sizeof v->why, "dispatched without "
			    "the escalation expected");
		else if (in->handling == SH_DISPATCH && v->escalated)
			snprintf(v->why, sizeof v->why, "escalated, which "
			    "was not needed");
		else
			v->correct = 1;
		break;
	case SH_MERGE:
		if (v->state == CS_MERGED && strcmp(v->merged_into,
		    score_no_of(s, in->of)) == 0)
			v->correct = 1;
		else if (v->state == CS_MERGED)
			snprintf(v->why, sizeof v->why, "merged into %s, "
			    "expected into %s (%s)", v->merged_into,
			    score_no_of(s, in->of), in->of);
		else
			snprintf(v->why, sizeof v->why, "not merged (a repeat "
			    "of %s %s; left %s)", in->of, score_no_of(s,
			    in->of), case_state_name(v->state));
		break;
	case SH_VOID:
		if (v->state == CS_VOIDED)
			v->correct = 1;
		else
			snprintf(v->why, sizeof v->why, "not voided (a false "
			    "report; left %s%s%s)", case_state_name(v->state),
			    v->dispatched_to[0] ? ", dispatched to " : "",
			    v->dispatched_to);
		break;
	}
}

/* Nearest-rank percentile p of the n values in a (sorted here). */
static int
score_cmp(const void *a, const void *b)
{
	long	x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static long
score_rank(long *a, size_t n, int p)
{
	size_t	k;

	if (n == 0)
		return -1;
	qsort(a, n, sizeof a[0], score_cmp);
	k = (size_t)((p * n + 99) / 100);
	return a[k > 0 ? k - 1 : 0];
}

/* The overdue cases at the stop: deadline passed with the clock running. */
static int
score_overdue_cb(void *arg, const struct store_case *c)
{
	struct score	*s = arg;

	if (case_overdue(c->state, c->paused_at != 0 ? 0 : c->due_at,
	    s->stopped))
		s->overdue++;
	return 0;
}

static int
score_compute(struct store *st, const struct scenario *sc, time_t stopped,
    struct score *s)
{
	struct store_case	 c;
	struct verdict		*v;
	long			*reg, *dec;
	size_t			 i, nr = 0, nd = 0;
	char			 err[256];
	int			 rc = 0;

	memset(s, 0, sizeof *s);
	s->n = sc->n;
	s->stopped = stopped;
	if ((s->v = calloc(sc->n + 1, sizeof *s->v)) == NULL ||
	    (reg = calloc(sc->n + 1, sizeof *reg)) == NULL)
		return GL_ENOMEM;
	if ((dec = calloc(sc->n + 1, sizeof *dec)) == NULL) {
		free(reg);
		return GL_ENOMEM;
	}
	for (i = 0; i < sc->n; i++) {
		v = &s->v[i];
		v->in = &sc->v[i];
		if (store_case_no_by_ext(st, v->in->id, v->no, sizeof v->no,
		    err, sizeof err) != 0) {
			v->no[0] = '\0';
			snprintf(v->why, sizeof v->why, "never arrived (the "
			    "exercise stopped before it)");
			continue;
		}
		if ((rc = store_case_get(st, v->no, &c, err, sizeof err)) != 0)
			break;
		v->state = c.state;
		v->arrived = c.created_at;
		snprintf(v->merged_into, sizeof v->merged_into, "%s",
		    c.merged_no);
		store_case_clear(&c);
		if ((rc = store_case_history(st, v->no, score_event, v, err,
		    sizeof err)) != 0)
			break;
	}
	for (i = 0; rc == 0 && i < sc->n; i++) {
		v = &s->v[i];
		if (v->no[0] == '\0')
			continue;
		score_judge(s, v);
		s->correct += (size_t)v->correct;
		if (v->decided != 0) {
			s->handled++;
			dec[nd++] = (long)(v->decided - v->arrived);
			v->dec_ok = v->decided - v->arrived <=
			    sc->dispatch_within;
		}
		if (v->registered != 0 || v->decided != 0) {
			time_t r = v->registered != 0 && (v->decided == 0 ||
			    v->registered < v->decided) ? v->registered :
			    v->decided;

			reg[nr++] = (long)(r - v->arrived);
			v->reg_ok = r - v->arrived <= sc->register_within;
		}
		s->reg_ok += (size_t)v->reg_ok;
		s->dec_ok += (size_t)v->dec_ok;
	}
	if (rc == 0 && stopped != 0)
		rc = store_case_list(st, 1, 0, 1000000, score_overdue_cb, s,
		    err, sizeof err);
	s->reg_p50 = score_rank(reg, nr, 50);
	s->reg_p90 = score_rank(reg, nr, 90);
	s->dec_p50 = score_rank(dec, nd, 50);
	s->dec_p90 = score_rank(dec, nd, 90);
	free(reg);
	free(dec);
	if (s->n > 0) {
		s->parts[0] = 60.0 * (double)s->correct / (double)s->n;
		s->parts[1] = 15.0 * (double)s->reg_ok / (double)s->n;
		s->parts[2] = 15.0 * (double)s->dec_ok / (double)s->n;
		s->parts[3] = 10.0 * (1.0 - (double)(s->overdue < s->n ?
		    s->overdue : s->n) / (double)s->n);
	}
	s->total = floor(s->parts[0] + s->parts[1] + s->parts[2] +
	    s->parts[3] + 0.5);
	return rc;
}

/* "12m05s", "-" for none. */
static void
score_span(long secs, char *buf, size_t len)
{
	if (secs < 0)
		snprintf(buf, len, "-");
	else if (secs >= 3600)
		snprintf(buf, len, "%ldh%02ldm", secs / 3600, secs / 60 % 60);
	else
		snprintf(buf, len, "%ldm%02lds", secs / 60, secs % 60);
}

static void
score_print_text(const struct scenario *sc, const char *session,
    const char *trainee, const struct score *s)
{
	char	a[32], b[32], c[32], vis[2048];
	size_t	i, mistakes = 0;

	printf(_("Training score: %s (%s), session %s, trainee %s\n"),
	    cli_vis(sc->title, vis, sizeof vis), sc->name, session, trainee);
	printf(_("Incidents: %zu, decided %zu, correct %zu\n"), s->n,
	    s->handled, s->correct);
	score_span(s->reg_p50, a, sizeof a);
	score_span(s->reg_p90, b, sizeof b);
	score_span(sc->register_within, c, sizeof c);
	printf(_("Registration: p50 %s, p90 %s (allowed %s): %zu of %zu in "
	    "time\n"), a, b, c, s->reg_ok, s->n);
	score_span(s->dec_p50, a, sizeof a);
	score_span(s->dec_p90, b, sizeof b);
	score_span(sc->dispatch_within, c, sizeof c);
	printf(_("Decision: p50 %s, p90 %s (allowed %s): %zu of %zu in "
	    "time\n"), a, b, c, s->dec_ok, s->n);
	printf(_("Left overdue at the end: %zu\n"), s->overdue);
	printf(_("Score: %.0f/100 = routing %.1f + registration %.1f + "
	    "decision %.1f + overdue %.1f\n"), s->total, s->parts[0],
	    s->parts[1], s->parts[2], s->parts[3]);
	for (i = 0; i < s->n; i++) {
		const struct verdict *v = &s->v[i];

		if (v->correct && v->reg_ok && v->dec_ok)
			continue;
		if (mistakes++ == 0)
			printf("\n%s\n", _("Mistakes:"));
		printf("  %s %s %s:", v->in->id, v->no[0] ? v->no : "-",
		    cli_vis(v->in->summary, vis, sizeof vis));
		if (!v->correct)
			printf(" %s;", v->why);
		if (v->correct && !v->reg_ok)
			printf(_(" registered late or not at all;"));
		if (v->correct && !v->dec_ok)
			printf(_(" decided late or not at all;"));
		printf(" %s\n", cli_vis(v->in->note, vis, sizeof vis));
	}
}

static int
score_print_json(const struct scenario *sc, const char *session,
    const char *trainee, const struct score *s)
{
	json_t	*o, *arr = json_array();
	char	*text;
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		const struct verdict *v = &s->v[i];

		json_array_append_new(arr, json_pack("{s:s,s:s?,s:s,s:b,s:b,"
		    "s:b,s:s?,s:s}", "id", v->in->id, "case", v->no[0] ? v->no :
		    NULL, "expected", scenario_handling_name(v->in->handling),
		    "correct", v->correct, "registered_in_time", v->reg_ok,
		    "decided_in_time", v->dec_ok, "mistake", v->correct ? NULL :
		    v->why, "note", v->in->note));
	}
	o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
	    "s:I,s:I,s:{s:f,s:f,s:f,s:f},s:o}", "scenario", sc->name,
	    "session", session, "trainee", trainee, "score",
	    (json_int_t)s->total, "incidents", (json_int_t)s->n, "decided",
	    (json_int_t)s->handled, "correct", (json_int_t)s->correct,
	    "registered_in_time", (json_int_t)s->reg_ok, "decided_in_time",
	    (json_int_t)s->dec_ok, "overdue", (json_int_t)s->overdue,
	    "register_p50_s", (json_int_t)s->reg_p50, "register_p90_s",
	    (json_int_t)s->reg_p90, "decide_p50_s", (json_int_t)s->dec_p50,
	    "decide_p90_s", (json_int_t)s->dec_p90, "parts", "routing",
	    s->parts[0], "registration", s->parts[1], "decision",
	    s->parts[2], "overdue", s->parts[3], "items", arr);
	text = o != NULL ? json_dumps(o, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) : NULL;
	if (text != NULL)
		printf("%s\n", text);
	free(text);
	json_decref(o);
	return text != NULL ? 0 : -1;
}

static int
score_exec(struct gridline *gl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	   NULL, 'j' },
		{ "data",	required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	struct refdata	*rd;
	struct scenario	*sc = NULL;
	struct store	*st = NULL;
	struct score	 s = { 0 };
	struct diag	 d;
	char		 dir[TRAIN_PATH], db[TRAIN_PATH], err[1024], trainee[256];
	char		 stopped[64], sname[256];
	const char	*data = NULL, *base;
	time_t		 stop = 0;
	int		 c, json = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (c) {
		case 'j': json = 1; break;
		case 'D': data = optarg; break;
		default: return train_usage(&train_verb_score);
		}
	if (argc - optind > 1)
		return train_usage(&train_verb_score);
	if (train_session_dir(optind < argc ? argv[optind] : NULL, dir,
	    sizeof dir) != 0)
		return EXIT_FAIL;
	base = strrchr(dir, '/') != NULL ? strrchr(dir, '/') + 1 : dir;
	if (cli_load(gl, cli_data_dir(data), &rd) != 0)
		return EXIT_FAIL;
	diag_init(&d);
	rc = scenario_load(dir, rd, &sc, &d);
	diag_free(&d);
	refdata_free(rd);
	if (rc != 0) {
		fprintf(stderr, _("gridline train score: the session's copy "
		    "of the scenario in %s does not load\n"), dir);
		return EXIT_FAIL;
	}
	if (train_get(dir, "scenario", sname, sizeof sname) == 0) {
		free(sc->name);		/* not the session directory's name */
		sc->name = strdup(sname);
	}
	if (train_get(dir, "trainee", trainee, sizeof trainee) != 0)
		snprintf(trainee, sizeof trainee, "?");
	if (train_get(dir, "stopped", stopped, sizeof stopped) == 0)
		gltime_parse(stopped, &stop);
	train_db(dir, db, sizeof db);
	if ((rc = store_open_reader(db, &st, err, sizeof err)) != 0 ||
	    (rc = store_begin(st, err, sizeof err)) != 0 ||
	    (rc = score_compute(st, sc, stop, &s)) != 0) {
		fprintf(stderr, "gridline train score: %s\n", err);
		rc = EXIT_FAIL;
	} else {
		rc = EXIT_OK;
		if (json && score_print_json(sc, base, trainee, &s) != 0) {
			fprintf(stderr, "gridline train score: out of "
			    "memory\n");
			rc = EXIT_FAIL;
		} else if (!json) {
			score_print_text(sc, base, trainee, &s);
		}
	}
	if (st != NULL)
		store_rollback(st);
	store_close(st);
	free(s.v);
	scenario_free(sc);
	return rc;
}

const struct train_verb train_verb_score = {
	"score", "[SESSION] [--json] [--data DIR]", score_exec
};
