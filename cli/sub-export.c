/*
 * sub-export.c: `gridline export`, the cases and the event log of a
 * period for others to use (issue 14: "让数据跑起来").
 *
 *   open311  the cases reported in the period as Open311 GeoReport v2
 *            service requests, one JSON array: exactly the fields of a
 *            GeoReport v2 GET requests.json answer, strings for text and
 *            times ("" when there is none), numbers for lat and long
 *            (null without a location). status is "open" while work is
 *            owed and "closed" for closed, voided and merged cases, whose
 *            status_notes say which (作废 and 合并 are not 结案).
 *   csv      the same cases, every column gridline keeps, RFC 4180.
 *   jsonl    the event log of the period, one JSON object a line.
 *
 * Personal data: the reporter's name (the reporter field, where hotline
 * feeders put a name and a number) is left out, and mobile and landline
 * numbers in free text (summaries, addresses, reasons) are masked
 * (138****5678), unless --with-personal-data. With it, Open311 records
 * carry the reporter in extended_attributes (GeoReport v2's way of
 * adding fields) and CSV a reporter column; the event log holds no
 * reporter, so JSON Lines differ only in the masking.
 *
 * Reads as `report` does: a read-only connection beside a running server.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gltime.h"
#include "rundir.h"
#include "store.h"

#define EXPORT_PAGE	1000	/* cases or events read at a time */

enum export_format { EF_OPEN311, EF_CSV, EF_JSONL };

struct export {
	struct gridline		*gl;
	const struct refdata	*rd;
	enum export_format	 format;
	int			 personal;	/* --with-personal-data */
	time_t			 from, to;
	int64_t			 last;		/* paging: last id or seq */
	long			 n;		/* rows written */
	char			*masked;	/* export_text's buffer */
};

/* Does a phone number of n digits start at s[i], with no digit right
 * before or after? Mobiles: 11 digits from 1[3-9]; landlines: 0, a 2-3
 * digit area code, a dash or not, and 7-8 digits. */
static size_t
export_phone(const char *s, size_t i)
{
	size_t	j, d;

	if (i > 0 && isdigit((unsigned char)s[i - 1]))
		return 0;
	for (j = i; isdigit((unsigned char)s[j]); j++)
		;
	if (j - i == 11 && s[i] == '1' && s[i + 1] >= '3' && s[i + 1] <= '9')
		return 11;
	if (s[i] != '0' || j - i < 3 || j - i > 4 || s[j] != '-')
		return (s[i] == '0' && j - i >= 10 && j - i <= 12) ? j - i : 0;
	for (d = j + 1; isdigit((unsigned char)s[d]); d++)
		;
	return d - j - 1 >= 7 && d - j - 1 <= 8 ? d - i : 0;
}

/* s with phone numbers masked (all but the first 3 and last 4 digits
 * of each become '*'), unless personal data is wanted; the result lives
 * until the next call. NULL stays NULL. */
static const char *
export_text(struct export *x, const char *s)
{
	size_t	i, n, k, len;
	char	*p;

	if (s == NULL || x->personal)
		return s;
	len = strlen(s);
	if ((p = realloc(x->masked, len + 1)) == NULL)
		return "";
	x->masked = p;
	memcpy(p, s, len + 1);
	for (i = 0; i < len; i++)
		if (isdigit((unsigned char)s[i]) &&
		    (n = export_phone(s, i)) != 0) {
			for (k = 3; k + 4 < n; k++)
				if (isdigit((unsigned char)p[i + k]))
					p[i + k] = '*';
			i += n - 1;
		}
	return p;
}

static void
export_time(time_t t, char *buf, size_t len)
{
	if (t == 0)
		buf[0] = '\0';
	else
		gltime_format(t, GLTIME_CHINA, buf, len);
}

static const char *
export_agency(const struct export *x, const char *code)
{
	const struct agency *a;

	if (code == NULL)
		return "";
	a = refdata_agency(x->rd, code);
	return a != NULL ? a->name : code;
}

static const char *
export_category(const struct export *x, const char *code)
{
	const struct category *c = refdata_category(x->rd, code);

	return c != NULL ? c->name : code;
}

/* The status notes: the state in English and Chinese, what it was merged
 * into. */
static void
export_notes(const struct store_case *c, char *buf, size_t len)
{
	if (c->state == CS_MERGED && c->merged_no[0] != '\0')
		snprintf(buf, len, "merged (合并) into %s", c->merged_no);
	else
		snprintf(buf, len, "%s (%s)", case_state_name(c->state),
		    case_state_zh(c->state));
}

static void
export_json_line(json_t *o, const char *sep)
{
	char	*t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (t != NULL) {
		fputs(sep, stdout);
		fputs(t, stdout);
		free(t);
	}
	json_decref(o);
}

static void
export_open311(struct export *x, const struct store_case *c)
{
	char	req[32], upd[32], due[32], notes[128];
	json_t	*o;

	export_time(c->reported_at, req, sizeof req);
	export_time(c->updated_at, upd, sizeof upd);
	export_time(c->due_at, due, sizeof due);
	export_notes(c, notes, sizeof notes);
	o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "service_request_id", c->no,
	    "status", case_state_open(c->state) ? "open" : "closed",
	    "status_notes", notes, "service_name",
	    export_category(x, c->category), "service_code", c->category);
	json_object_set_new(o, "description",
	    json_string(export_text(x, c->summary)));
	json_object_set_new(o, "agency_responsible",
	    json_string(export_agency(x, c->agency)));
	json_object_set_new(o, "requested_datetime", json_string(req));
	json_object_set_new(o, "updated_datetime", json_string(upd));
	json_object_set_new(o, "expected_datetime", json_string(due));
	json_object_set_new(o, "address", json_string(export_text(x,
	    c->address ? c->address : "")));
	json_object_set_new(o, "lat", c->has_location ? json_real(c->lat) :
	    json_null());
	json_object_set_new(o, "long", c->has_location ? json_real(c->lon) :
	    json_null());
	json_object_set_new(o, "media_url", json_string(""));
	if (x->personal)
		json_object_set_new(o, "extended_attributes", json_pack(
		    "{s:s}", "reporter", c->reporter ? c->reporter : ""));
	export_json_line(o, x->n == 0 ? "[\n" : ",\n");
}

static const char *const export_csv_head[] = {
	"no", "state", "category", "category_name", "priority", "district",
	"township", "grid", "agency", "agency_name", "summary", "address",
	"lat", "lon", "source", "reported_at", "created_at", "updated_at",
	"closed_at", "due_at", "returns", "reworks", "presses",
	"merged_into", NULL
};

/* One CSV field of a row: a comma before all but the first. */
static void
export_field(int *first, const char *s)
{
	if (!*first)
		putchar(',');
	*first = 0;
	cli_csv_put(stdout, s);
}

static void
export_csv_header(const struct export *x)
{
	int	first = 1;
	size_t	i;

	for (i = 0; export_csv_head[i] != NULL; i++)
		export_field(&first, export_csv_head[i]);
	if (x->personal)
		export_field(&first, "reporter");
	fputs("\r\n", stdout);
}

static void
export_csv(struct export *x, const struct store_case *c)
{
	const time_t	 ts[] = { c->reported_at, c->created_at,
			    c->updated_at, c->closed_at, c->due_at };
	const int	 ns[] = { c->returns, c->reworks, c->presses };
	char		 buf[32];
	int		 first = 1;
	size_t		 i;

	export_field(&first, c->no);
	export_field(&first, case_state_name(c->state));
	export_field(&first, c->category);
	export_field(&first, export_category(x, c->category));
	snprintf(buf, sizeof buf, "%d", c->priority);
	export_field(&first, buf);
	export_field(&first, c->district);
	export_field(&first, c->township);
	export_field(&first, c->grid);
	export_field(&first, c->agency);
	export_field(&first, c->agency ? export_agency(x, c->agency) : NULL);
	export_field(&first, export_text(x, c->summary));
	export_field(&first, export_text(x, c->address));
	snprintf(buf, sizeof buf, "%.6f", c->lat);
	export_field(&first, c->has_location ? buf : NULL);
	snprintf(buf, sizeof buf, "%.6f", c->lon);
	export_field(&first, c->has_location ? buf : NULL);
	export_field(&first, c->source);
	for (i = 0; i < sizeof ts / sizeof ts[0]; i++) {
		export_time(ts[i], buf, sizeof buf);
		export_field(&first, buf);
	}
	for (i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		snprintf(buf, sizeof buf, "%d", ns[i]);
		export_field(&first, buf);
	}
	export_field(&first, c->merged_no);
	if (x->personal)
		export_field(&first, c->reporter);
	fputs("\r\n", stdout);
}

static int
export_case(void *arg, const struct store_case *c)
{
	struct export	*x = arg;

	x->last = c->id;
	if (c->reported_at < x->from || c->reported_at >= x->to)
		return 0;
	if (x->format == EF_OPEN311)
		export_open311(x, c);
	else
		export_csv(x, c);
	x->n++;
	return 0;
}

static int
export_event(void *arg, const struct store_event *e)
{
	struct export	*x = arg;
	char		 at[32];
	json_t		*o, *d;

	x->last = e->seq;
	if (e->at < x->from || e->at >= x->to)
		return 0;
	export_time(e->at, at, sizeof at);
	o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s?,s:s,s:s?,s:s?}",
	    "seq", (json_int_t)e->seq, "case", e->case_no ? e->case_no : "",
	    "version", (json_int_t)e->version, "at", at, "actor",
	    e->actor ? e->actor : "", "action", e->action, "from",
	    e->from_state, "to", e->to_state, "agency", e->agency,
	    "reason_code", e->reason_code);
	json_object_set_new(o, "reason", e->reason ? json_string(export_text(x,
	    e->reason)) : json_null());
	d = e->detail ? json_loads(export_text(x, e->detail), 0, NULL) : NULL;
	json_object_set_new(o, "detail", d ? d : json_null());
	export_json_line(o, "");
	putchar('\n');
	x->n++;
	return 0;
}

/* Page through the cases (or the events) from the start. */
static int
export_run(struct export *x, struct store *st, char *err, size_t errlen)
{
	int64_t	before;
	int	rc;

	x->last = 0;
	do {
		before = x->last;
		rc = x->format == EF_JSONL ?
		    store_events(st, x->last, EXPORT_PAGE, export_event, x,
		    err, errlen) :
		    store_case_list(st, 0, x->last, EXPORT_PAGE, export_case,
		    x, err, errlen);
	} while (rc == 0 && x->last != before);
	return rc;
}

static const struct option export_longopts[] = {
	{ "db",			required_argument, NULL, 'd' },
	{ "data",		required_argument, NULL, 'D' },
	{ "from",		required_argument, NULL, 'f' },
	{ "to",			required_argument, NULL, 't' },
	{ "format",		required_argument, NULL, 'F' },
	{ "with-personal-data",	no_argument,	   NULL, 'p' },
	{ NULL, 0, NULL, 0 }
};

static int
export_opts(struct export *x, int argc, char **argv, const char **db,
    const char **data)
{
	const char	*from = NULL, *to = NULL, *format = NULL;
	int		 c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", export_longopts, NULL)) != -1)
		switch (c) {
		case 'd': *db = optarg; break;
		case 'D': *data = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'F': format = optarg; break;
		case 'p': x->personal = 1; break;
		default: return cli_usage(&sub_export);
		}
	if (optind != argc || from == NULL || to == NULL || format == NULL) {
		fprintf(stderr, _("%s export: --from, --to and --format are "
		    "needed\n"), x->gl->progname);
		return cli_usage(&sub_export);
	}
	if (strcmp(format, "open311") == 0)
		x->format = EF_OPEN311;
	else if (strcmp(format, "csv") == 0)
		x->format = EF_CSV;
	else if (strcmp(format, "jsonl") == 0)
		x->format = EF_JSONL;
	else {
		fprintf(stderr, _("%s export: --format: '%s' is not one of: "
		    "open311 csv jsonl\n"), x->gl->progname, format);
		return EXIT_USAGE;
	}
	return cli_period(x->gl, "export", from, to, time(NULL), &x->from,
	    &x->to);
}

static int
export_exec(struct gridline *gl, int argc, char **argv)
{
	struct export	 x;
	struct refdata	*rd = NULL;
	struct store	*st = NULL;
	const char	*db = NULL, *data = NULL;
	char		 path[4096], err[1024];
	int		 rc;

	memset(&x, 0, sizeof x);
	x.gl = gl;
	if ((rc = export_opts(&x, argc, argv, &db, &data)) != EXIT_OK)
		return rc;
	if ((rc = cli_load(gl, cli_data_dir(data), &rd)) != EXIT_OK)
		return rc;
	x.rd = rd;
	rundir_db_resolve(db, path, sizeof path);
	if (store_open_reader(path, &st, err, sizeof err) != 0) {
		fprintf(stderr, "%s export: %s\n", gl->progname, err);
		refdata_free(rd);
		return EXIT_FAIL;
	}
	if (x.format == EF_CSV)
		export_csv_header(&x);
	rc = export_run(&x, st, err, sizeof err);
	if (x.format == EF_OPEN311)
		fputs(x.n == 0 ? "[]\n" : "\n]\n", stdout);
	store_close(st);
	refdata_free(rd);
	free(x.masked);
	if (rc != 0) {
		fprintf(stderr, "%s export: %s\n", gl->progname, err);
		return EXIT_FAIL;
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

const struct subcmd sub_export = {
	"export", "--from DATE --to DATE --format open311|csv|jsonl "
	"[--with-personal-data] [--db FILE] [--data DIR]",
	N_("cases as Open311 requests or CSV, or the event log as JSON "
	"Lines, for a period"),
	export_exec
};
