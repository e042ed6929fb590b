/*
 * sub-report.c: `gridline report`, the evaluation figures of a period
 * (issue 14) as a table for the terminal, CSV or JSON.
 *
 * The figures come from core/figures.c over a read-only connection
 * (store_open_reader: WAL, so a running server goes on writing beside
 * it). One column table drives all three formats, so a figure added
 * there appears everywhere under one name: the table shows each time as
 * "median/p90" in one cell, CSV and JSON give both apart. Rates under
 * --min are "too few", never 0% or 100%; a rate with nothing to rate is
 * "-" (empty in CSV, null in JSON). Durations are working hours on the
 * reference data's calendar, one decimal; JSON also keeps the seconds.
 *
 * The table is laid out by display width (console/width.h, wcwidth):
 * Chinese names take two columns. cli/ sees every layer (Makefile.am), so
 * it uses the console's measure rather than a second one.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "figjson.h"
#include "figures.h"
#include "gltime.h"
#include "rundir.h"
#include "store.h"
#include "width.h"

enum rep_format { RF_TABLE, RF_CSV, RF_JSON };

/* The groupings' names as the table's title says them. */
static const char *const rep_by_heads[] = {
	N_("agency"), N_("township"), N_("district"), N_("category"),
	N_("platform"), N_("operator")
};

_Static_assert(sizeof rep_by_heads / sizeof rep_by_heads[0] == FB__COUNT,
    "one heading for each grouping");

struct report {
	struct gridline		*gl;
	const struct refdata	*rd;
	enum figures_by		 by;
	enum rep_format		 format;
	long			 min;
	time_t			 from, to;
	int			 tty;		/* progress on stderr */
};

/* The display name of a group's key. */
static const char *
rep_name(const struct report *r, const char *key)
{
	return figjson_name(r->rd, r->by, key, _("(none)"));
}

/* The cell of a rate or time that has no value: "too few" (rc 2) or
 * "-" (rc 1, nothing to rate); in CSV "too few" or "". */
static const char *
rep_missing(int rc, int csv)
{
	if (rc == 2)
		return csv ? "too few" : _("too few");
	return csv ? "" : "-";
}

/* A rate's cell: "80.0%" (csv: "80.0"), or rep_missing's. */
static const char *
rep_rate(const struct report *r, long num, long den, int csv, char *buf,
    size_t len)
{
	double	pct;
	int	rc = figures_rate(num, den, r->min, &pct);

	if (rc != 0)
		return rep_missing(rc, csv);
	snprintf(buf, len, csv ? "%.1f" : "%.1f%%", pct);
	return buf;
}

/* A mean rating, "4.50" ("-" or, in CSV, "" without one). Not held to
 * --min: a unit is rated by one township a month, so a few ratings are
 * all there ever are. */
static const char *
rep_mean(long sum, long n, int csv, char *buf, size_t len)
{
	if (n <= 0)
		return rep_missing(1, csv);
	snprintf(buf, len, "%.2f", (double)sum / (double)n);
	return buf;
}

/* A percentile in hours, "1.5", or rep_missing's. */
static const char *
rep_hours(const struct report *r, const struct figures_times *t, int p,
    int csv, char *buf, size_t len)
{
	long	v;
	int	rc = figures_pct(t, p, r->min, &v);

	if (rc != 0)
		return rep_missing(rc, csv);
	snprintf(buf, len, "%.1f", (double)v / 3600.0);
	return buf;
}

/* The table cell of column c for group g into buf. */
static const char *
rep_cell(const struct report *r, const struct figjson_col *c,
    const struct figures_group *g, char *buf, size_t len)
{
	char	m[32], p[32];

	switch (c->kind) {
	case FJ_COUNT:
		snprintf(buf, len, "%ld", figjson_long(g, c->a));
		return buf;
	case FJ_RATE:
		return rep_rate(r, figjson_long(g, c->a),
		    figjson_long(g, c->b), 0, buf, len);
	case FJ_MEAN:
		return rep_mean(figjson_long(g, c->a), figjson_long(g, c->b), 0,
		    buf, len);
	default:
		if (figures_pct(figjson_times(g, c->a), 50, r->min,
		    &(long){ 0 }) != 0)	/* none, or too few */
			return rep_hours(r, figjson_times(g, c->a), 50, 0, buf,
			    len);
		rep_hours(r, figjson_times(g, c->a), 50, 0, m, sizeof m);
		rep_hours(r, figjson_times(g, c->a), 90, 0, p, sizeof p);
		snprintf(buf, len, "%s/%s", m, p);
		return buf;
	}
}

/* Write s into a cell of cols columns, left- or right-aligned. */
static void
rep_pad(const char *s, int cols, int right)
{
	char	out[256];
	int	w = width_cols(s, strlen(s));

	if (w > cols) {
		width_fit(s, strlen(s), cols, WIDTH_PAD | WIDTH_ELLIPSIS, out,
		    sizeof out, NULL);
		fputs(out, stdout);
		return;
	}
	if (!right)
		fputs(s, stdout);
	printf("%*s", cols - w, "");
	if (right)
		fputs(s, stdout);
}

/* Column widths: each the widest of its heading and its cells. */
static void
rep_widths(const struct report *r, const struct figures *f, int *w,
    int *namew)
{
	char	buf[64];
	size_t	i, k;
	const struct figures_group *g;

	*namew = width_cols(_("group"), strlen(_("group")));
	for (k = 0; k < FIGJSON_NCOLS; k++)
		w[k] = width_cols(_(figjson_cols[k].head),
		    strlen(_(figjson_cols[k].head)));
	for (i = 0; i <= figures_count(f); i++) {
		g = i < figures_count(f) ? figures_at(f, i) :
		    figures_total(f);
		if (i < figures_count(f)) {
			const char *n = rep_name(r, g->key);
			int nw = width_cols(n, strlen(n));

			if (nw > *namew)
				*namew = nw > 24 ? 24 : nw;
		}
		for (k = 0; k < FIGJSON_NCOLS; k++) {
			const char *c = rep_cell(r, &figjson_cols[k], g, buf,
			    sizeof buf);
			int cw = width_cols(c, strlen(c));

			if (cw > w[k])
				w[k] = cw;
		}
	}
}

static void
rep_table_row(const struct report *r, const char *name,
    const struct figures_group *g, const int *w, int namew)
{
	char	buf[64];
	size_t	k;

	rep_pad(name, namew, 0);
	for (k = 0; k < FIGJSON_NCOLS; k++)
		if (figjson_cols[k].table) {
			fputs("  ", stdout);
			rep_pad(g == NULL ? _(figjson_cols[k].head) :
			    rep_cell(r, &figjson_cols[k], g, buf, sizeof buf),
			    w[k], 1);
		}
	putchar('\n');
}

/* The returns of each group by reason, under the table. */
static void
rep_table_reasons(const struct report *r, const struct figures *f)
{
	const struct figures_group *g;
	size_t	i;
	int	k, first;

	if (figures_total(f)->returns == 0)
		return;
	printf("\n%s\n", _("Returns by reason:"));
	for (i = 0; i < figures_count(f); i++) {
		g = figures_at(f, i);
		if (g->returns == 0)
			continue;
		printf("  %s:", rep_name(r, g->key));
		for (k = 0, first = 1; k < RR__COUNT; k++)
			if (g->reasons[k] > 0) {
				printf("%s %s %ld", first ? "" : ",",
				    return_reason_zh((enum return_reason)k),
				    g->reasons[k]);
				first = 0;
			}
		putchar('\n');
	}
}

static void
rep_table(const struct report *r, const struct figures *f)
{
	char	from[32], to[32];
	int	w[FIGJSON_NCOLS], namew;
	size_t	i;

	gltime_format(r->from, GLTIME_CHINA, from, sizeof from);
	gltime_format(r->to, GLTIME_CHINA, to, sizeof to);
	printf(_("Figures by %s, %.10s to %.10s (to the start of that day); "
	    "times in working hours, median/p90\n\n"),
	    _(rep_by_heads[r->by]), from, to);
	rep_widths(r, f, w, &namew);
	rep_table_row(r, _("group"), NULL, w, namew);
	for (i = 0; i < figures_count(f); i++)
		rep_table_row(r, rep_name(r, figures_at(f, i)->key),
		    figures_at(f, i), w, namew);
	rep_table_row(r, _("total"), figures_total(f), w, namew);
	if (figures_total(f)->provisional > 0)
		printf(_("\nOf the due, %ld on a provisional deadline: beyond "
		    "the holiday table, counted on weekdays alone "
		    "(docs/DATA.md)\n"), figures_total(f)->provisional);
	rep_table_reasons(r, f);
}

static void
rep_csv_row(const struct report *r, const struct figures_group *g,
    const char *key, const char *name)
{
	char	buf[64];
	size_t	k;
	int	i;

	cli_csv_put(stdout, key);
	putchar(',');
	cli_csv_put(stdout, name);
	for (k = 0; k < FIGJSON_NCOLS; k++) {
		const struct figjson_col *c = &figjson_cols[k];

		putchar(',');
		if (c->kind == FJ_COUNT)
			printf("%ld", figjson_long(g, c->a));
		else if (c->kind == FJ_RATE)
			cli_csv_put(stdout, rep_rate(r, figjson_long(g, c->a),
			    figjson_long(g, c->b), 1, buf, sizeof buf));
		else if (c->kind == FJ_MEAN)
			cli_csv_put(stdout, rep_mean(figjson_long(g, c->a),
			    figjson_long(g, c->b), 1, buf, sizeof buf));
		else {
			cli_csv_put(stdout, rep_hours(r,
			    figjson_times(g, c->a), 50, 1, buf, sizeof buf));
			putchar(',');
			cli_csv_put(stdout, rep_hours(r,
			    figjson_times(g, c->a), 90, 1, buf, sizeof buf));
		}
	}
	for (i = 0; i < RR__COUNT; i++)
		printf(",%ld", g->reasons[i]);
	fputs("\r\n", stdout);
}

static void
rep_csv(const struct report *r, const struct figures *f)
{
	size_t	k, i;
	int	j;

	fputs(r->by == FB_OPERATOR ? "operator,name" : "code,name", stdout);
	for (k = 0; k < FIGJSON_NCOLS; k++)
		if (figjson_cols[k].kind == FJ_TIME)
			printf(",%s_median_h,%s_p90_h", figjson_cols[k].key,
			    figjson_cols[k].key);
		else
			printf(",%s", figjson_cols[k].key);
	for (j = 0; j < RR__COUNT; j++)
		printf(",return_%s", return_reason_name((enum return_reason)j));
	fputs("\r\n", stdout);
	for (i = 0; i < figures_count(f); i++)
		rep_csv_row(r, figures_at(f, i), figures_at(f, i)->key,
		    rep_name(r, figures_at(f, i)->key));
	rep_csv_row(r, figures_total(f), "", "total");
}

static void
rep_json(const struct report *r, const struct figures *f)
{
	struct figjson_query	 q = { r->from, r->to, r->by, r->min, r->rd,
				    NULL, _("(none)") };
	json_t			*top = figjson_report(f, &q);

	if (top == NULL)
		return;
	json_dumpf(top, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(top);
}

static void
rep_progress(void *arg, int64_t done, int64_t total)
{
	(void)arg;
	fputc('\r', stderr);
	fprintf(stderr, _("reading the event log: %lld of %lld events"),
	    (long long)done, (long long)total);
}

/* docs/REPORTS.md in short: every formula. */
static void
rep_explain(long min)
{
	printf(_("How each figure is computed (docs/REPORTS.md). The period "
	    "is [from, to), local time (UTC+8); an action counts when its "
	    "event's time is in the period.\n\n"));
	printf(_("received: cases reported in the period, less those merged "
	    "into another case by its end (a duplicate counts once, in the "
	    "case it joined).\n"
	    "registered, dispatched, closed, voided, merged, returns, "
	    "presses: those actions in the period (a case dispatched again "
	    "after a return counts again).\n"
	    "closure rate (结案率) = of the cases received in the period and "
	    "not voided by its end, the share closed at its end. A voided "
	    "case counts as voided, never as closed.\n"
	    "due: cases whose deadline in force at the end of the period "
	    "falls in the period, with the deadline clock not paused then "
	    "(parked, extension pending) and not voided or merged. Parking "
	    "moves the deadline by the parked time, so parked time never "
	    "counts as late.\n"
	    "on-time closure rate (按期结案率) = due cases that are closed and "
	    "whose last feedback (反馈) came at or before the deadline ÷ due "
	    "cases.\n"
	    "provisional: of the due cases, those whose deadline falls "
	    "beyond the last year of the holiday table: counted on weekdays "
	    "alone, so their on-time judgement may change once the year's "
	    "schedule is added (docs/DATA.md).\n"
	    "return rate (退单率) = returns ÷ dispatches in the period; the "
	    "returns are listed by reason.\n"
	    "rework rate (返工率) = reworks ÷ (verifications passed + "
	    "reworks) in the period.\n"
	    "extension rate (延期率) = extensions granted ÷ dispatches in the "
	    "period.\n"
	    "disputes: cases returned for the second time in the period "
	    "(returned twice or more), counted at the return that made them "
	    "disputed.\n"
	    "time to acknowledge: working hours from the last dispatch (or "
	    "rework) to "
	    "each acknowledgement in the period; to dispatch: from the "
	    "report to a case's first dispatch; to close: from the report to "
	    "each close. Median and p90 by nearest rank (the value at rank "
	    "ceil(p/100 × n) of the sorted times).\n"));
	printf("%s", _("call-backs (回访): the 12345 call-backs recorded in the period, "
	    "by result (satisfied 满意, basically satisfied 基本满意, "
	    "unsatisfied 不满意, unreachable 联系不上), each in the group of "
	    "the agency that handled the case.\n"
	    "satisfaction rate (满意率) = (satisfied + basically satisfied) ÷ "
	    "(call-backs less unreachable) in the period.\n"
	    "rating (by agency): the mean score (1 to 5) of the townships' "
	    "ratings of the unit for the months the period touches; shown "
	    "whatever their number (a unit has one rating a month).\n"));
	printf(_("Working hours are on the reference data's calendar "
	    "(hours.tsv, holidays.tsv): nights, lunch breaks, weekends and "
	    "holidays do not count, make-up working days do.\n"
	    "A rate or time over fewer than %ld cases (--min) shows as \"too "
	    "few\", never as 0%% or 100%%; over none, as \"-\".\n"
	    "By agency, a case's reception and deadline belong to the agency "
	    "holding it at the end of the period (none: \"(none)\"), an "
	    "action to the agency it concerned; by operator, an action to "
	    "its actor, a reception to the report's actor and a deadline to "
	    "the dispatcher.\n"), min);
}

static const struct option report_longopts[] = {
	{ "db",		required_argument, NULL, 'd' },
	{ "from",	required_argument, NULL, 'f' },
	{ "to",		required_argument, NULL, 't' },
	{ "by",		required_argument, NULL, 'b' },
	{ "format",	required_argument, NULL, 'F' },
	{ "min",	required_argument, NULL, 'm' },
	{ "data",	required_argument, NULL, 'D' },
	{ "explain",	no_argument,	   NULL, 'x' },
	{ NULL, 0, NULL, 0 }
};

static int
rep_bad_by(struct gridline *gl, const char *s)
{
	int	i;

	fprintf(stderr, _("%s report: --by: '%s' is not one of:"),
	    gl->progname, s);
	for (i = 0; i < FB__COUNT; i++)
		fprintf(stderr, " %s", figures_by_name((enum figures_by)i));
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* Options into r and the rest; EXIT_OK, or an exit code to return. */
static int
rep_opts(struct report *r, int argc, char **argv, const char **db,
    const char **data, int *explain)
{
	const char	*from = NULL, *to = NULL;
	char		*end;
	int		 c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", report_longopts, NULL)) != -1)
		switch (c) {
		case 'd': *db = optarg; break;
		case 'D': *data = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'x': *explain = 1; break;
		case 'b':
			if (figures_by_parse(optarg, &r->by) != 0)
				return rep_bad_by(r->gl, optarg);
			break;
		case 'F':
			if (strcmp(optarg, "table") == 0)
				r->format = RF_TABLE;
			else if (strcmp(optarg, "csv") == 0)
				r->format = RF_CSV;
			else if (strcmp(optarg, "json") == 0)
				r->format = RF_JSON;
			else {
				fprintf(stderr, _("%s report: --format: '%s' "
				    "is not one of: table csv json\n"),
				    r->gl->progname, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'm':
			r->min = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || r->min < 1 ||
			    r->min > 1000000) {
				fprintf(stderr, _("%s report: --min: '%s' is "
				    "not a number from 1 to 1000000\n"),
				    r->gl->progname, optarg);
				return EXIT_USAGE;
			}
			break;
		default: return cli_usage(&sub_report);
		}
	if (optind != argc)
		return cli_usage(&sub_report);
	return cli_period(r->gl, "report", from, to, time(NULL), &r->from,
	    &r->to);
}

static int
report_exec(struct gridline *gl, int argc, char **argv)
{
	struct report		 r = { gl, NULL, FB_AGENCY, RF_TABLE,
				    FIGURES_MIN_DEFAULT, 0, 0, 0 };
	struct figures_query	 q;
	struct figures		*f = NULL;
	struct refdata		*rd = NULL;
	struct store		*st = NULL;
	const char		*db = NULL, *data = NULL;
	char			 path[4096], err[1024];
	int			 explain = 0, rc;

	if ((rc = rep_opts(&r, argc, argv, &db, &data, &explain)) != EXIT_OK)
		return rc;
	if (explain) {
		rep_explain(r.min);
		return EXIT_OK;
	}
	if ((rc = cli_load(gl, cli_data_dir(data), &rd)) != EXIT_OK)
		return rc;
	r.rd = rd;
	r.tty = isatty(STDERR_FILENO);
	rundir_db_resolve(db, path, sizeof path);
	memset(&q, 0, sizeof q);
	q.from = r.from;
	q.to = r.to;
	q.by = r.by;
	q.cal = refdata_calendar(rd);
	q.rd = rd;
	q.progress = r.tty ? rep_progress : NULL;
	if ((rc = store_open_reader(path, &st, err, sizeof err)) != 0 ||
	    (rc = figures_compute(st, &q, &f, err, sizeof err)) != 0) {
		fprintf(stderr, "%s report: %s\n", gl->progname, err);
		store_close(st);
		refdata_free(rd);
		return EXIT_FAIL;
	}
	if (r.tty && q.progress != NULL)
		fputs("\r\033[K", stderr);
	if (r.format == RF_CSV)
		rep_csv(&r, f);
	else if (r.format == RF_JSON)
		rep_json(&r, f);
	else
		rep_table(&r, f);
	figures_free(f);
	store_close(st);
	refdata_free(rd);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

const struct subcmd sub_report = {
	"report", "[--db FILE] [--data DIR] [--from DATE] [--to DATE] "
	"[--by agency|township|district|category|platform|operator] "
	"[--format table|csv|json] [--min N] [--explain]",
	N_("evaluation figures of a period from the event log"),
	report_exec
};
