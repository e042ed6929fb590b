/*
 * scenario.c: loading and checking a training scenario (scenario.h).
 *
 * The three files are read whole (a scenario is tens of incidents), the
 * incidents first, so that the expected rows can be checked against the
 * items they describe: the lead is routed from the item's own grid and
 * category, exactly as the server will route the case.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "error.h"
#include "gltime.h"
#include "route.h"
#include "scenario.h"
#include "tsv.h"

static const char *const scen_handling_names[] = {
	[SH_DISPATCH] = "dispatch", [SH_MERGE] = "merge", [SH_VOID] = "void",
	[SH_ESCALATE] = "escalate"
};

const char *
scenario_handling_name(enum scen_handling h)
{
	return (unsigned)h <= SH_ESCALATE ? scen_handling_names[h] : "?";
}

static int
scen_handling_parse(const char *s, enum scen_handling *out)
{
	size_t	i;

	for (i = 0; i <= SH_ESCALATE; i++)
		if (strcmp(s, scen_handling_names[i]) == 0) {
			*out = (enum scen_handling)i;
			return 0;
		}
	return -1;
}

void
scenario_path(const char *data_dir, const char *name, char *buf, size_t len)
{
	if (strchr(name, '/') != NULL)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%.3900s/scenarios/%s", data_dir, name);
}

void
scenario_free(struct scenario *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].id);
		free(s->v[i].agency);
		free(s->v[i].of);
		free(s->v[i].note);
		free(s->v[i].summary);
	}
	free(s->v);
	free(s->name);
	free(s->dir);
	free(s->title);
	free(s->description);
	free(s->clock_text);
	free(s);
}

/* scenario.tsv: its keys into s. */
static int
scen_conf(struct scenario *s, struct diag *d)
{
	static const char *const req[] = { "key", "value", NULL };
	struct tsv	*t;
	char		 path[SCEN_PATH], *end;
	const char	*k, *v;
	size_t		 i;
	int		 rc, have_clock = 0;

	snprintf(path, sizeof path, "%.3900s/scenario.tsv", s->dir);
	if ((rc = tsv_load(path, req, &t, d)) != 0)
		return rc;
	for (i = 0; i < t->nrows; i++) {
		k = t->rows[i].f[tsv_col(t, "key")];
		v = t->rows[i].f[tsv_col(t, "value")];
		if (strcmp(k, "title") == 0) {
			free(s->title);
			s->title = strdup(v);
		} else if (strcmp(k, "description") == 0) {
			free(s->description);
			s->description = strdup(v);
		} else if (strcmp(k, "clock") == 0) {
			free(s->clock_text);
			s->clock_text = strdup(v);
			if (gltime_parse(v, &s->clock) != 0)
				diag_add(d, path, t->rows[i].line, "clock %s: "
				    "not an RFC 3339 time with an offset", v);
			have_clock = 1;
		} else if (strcmp(k, "register_within") == 0 ||
		    strcmp(k, "dispatch_within") == 0) {
			long n = strtol(v, &end, 10);

			if (*v == '\0' || *end != '\0' || n < 1 || n > 86400)
				diag_add(d, path, t->rows[i].line, "%s %s: "
				    "seconds from 1 to 86400", k, v);
			else if (k[0] == 'r')
				s->register_within = n;
			else
				s->dispatch_within = n;
		} else {
			diag_add(d, path, t->rows[i].line, "unknown key %s "
			    "(title, description, clock, register_within, "
			    "dispatch_within)", k);
		}
	}
	if (s->title == NULL || !have_clock || s->register_within == 0 ||
	    s->dispatch_within == 0)
		diag_add(d, path, 0, "needs title, clock, register_within "
		    "and dispatch_within");
	tsv_free(t);
	return 0;
}

/* One incidents.jsonl line into a new incident of s. */
static void
scen_incident(struct scenario *s, const char *path, long line,
    const char *text, const struct refdata *rd, struct diag *d)
{
	struct scen_incident	*in = &s->v[s->n];
	json_error_t		 je;
	json_t			*o = json_loads(text, 0, &je), *item;
	const char		*id, *grid, *cat, *at;

	memset(in, 0, sizeof *in);
	in->line = line;
	item = json_object_get(o, "item");
	at = json_string_value(json_object_get(o, "at"));
	id = json_string_value(json_object_get(item, "id"));
	grid = json_string_value(json_object_get(item, "grid"));
	cat = json_string_value(json_object_get(item, "category"));
	if (o == NULL)
		diag_add(d, path, line, "not JSON: %s", je.text);
	else if (!json_is_object(item) || at == NULL || id == NULL)
		diag_add(d, path, line, "want {\"at\":TIME,\"item\":{\"id\":.."
		    "}}");
	else if (gltime_parse(at, &in->at) != 0)
		diag_add(d, path, line, "at %s: not an RFC 3339 time", at);
	else if (grid == NULL || refdata_juris(rd, grid) == NULL ||
	    refdata_juris(rd, grid)->level != JL_GRID)
		diag_add(d, path, line, "id %s: grid %s is not in the "
		    "reference data", id, grid ? grid : "(none)");
	else if (cat == NULL || refdata_category(rd, cat) == NULL)
		diag_add(d, path, line, "id %s: category %s is not in the "
		    "reference data", id, cat ? cat : "(none)");
	else if (s->n > 0 && in->at < s->v[s->n - 1].at)
		diag_add(d, path, line, "id %s: arrives before the line "
		    "above", id);
	else if (in->at < s->clock)
		diag_add(d, path, line, "id %s: arrives before the "
		    "scenario's clock starts", id);
	if (id != NULL)
		in->id = strdup(id);
	in->summary = strdup(json_string_value(json_object_get(item,
	    "summary")) ? json_string_value(json_object_get(item,
	    "summary")) : "");
	/* the route of this item, kept in agency until expected.tsv */
	if (grid != NULL && cat != NULL)
		in->agency = strdup(grid), in->of = strdup(cat);
	s->n++;
	json_decref(o);
}

static int
scen_incidents(struct scenario *s, const struct refdata *rd, struct diag *d)
{
	char	 path[SCEN_PATH], *buf = NULL;
	size_t	 cap = 0, vcap = 0;
	ssize_t	 n;
	long	 line = 0;
	FILE	*fp;
	void	*nv;

	snprintf(path, sizeof path, "%.3900s/incidents.jsonl", s->dir);
	if ((fp = fopen(path, "r")) == NULL) {
		diag_add(d, path, 0, "cannot read it");
		d->unreadable = 1;
		return GL_EIO;
	}
	while ((n = getline(&buf, &cap, fp)) > 0) {
		line++;
		if (strspn(buf, " \t\r\n") == (size_t)n)
			continue;
		if (s->n == vcap) {
			vcap = vcap ? vcap * 2 : 32;
			if ((nv = realloc(s->v, vcap * sizeof *s->v)) == NULL)
				break;
			s->v = nv;
		}
		scen_incident(s, path, line, buf, rd, d);
	}
	free(buf);
	fclose(fp);
	if (s->n == 0)
		diag_add(d, path, 0, "no incident");
	return 0;
}

/* The index of the incident id among the first n, or -1. */
static long
scen_find(const struct scenario *s, const char *id, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s->v[i].id != NULL && strcmp(s->v[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* Is agency the lead for the incident (grid, category) at a level above
 * the grid's own route (an escalation: district or city)? */
static int
scen_lead_above(const struct refdata *rd, const char *cat, const char *grid,
    const char *agency)
{
	struct route	r;
	char		err[256];

	if (route_case_at(rd, cat, grid, JL_DISTRICT, &r, err,
	    sizeof err) == 0 && strcmp(r.lead->code, agency) == 0)
		return 1;
	return route_case_at(rd, cat, grid, JL_CITY, &r, err,
	    sizeof err) == 0 && strcmp(r.lead->code, agency) == 0;
}

/* One expected row against incident i (its grid and category held in
 * agency and of until now). */
static void
scen_expect(struct scenario *s, size_t i, const struct tsv *t,
    const struct tsv_row *row, const struct refdata *rd, struct diag *d)
{
	struct scen_incident	*in = &s->v[i];
	const char		*h = row->f[tsv_col(t, "handling")];
	const char		*ag = row->f[tsv_col(t, "agency")];
	const char		*of = row->f[tsv_col(t, "of")];
	char			*grid = in->agency, *cat = in->of, err[256];
	struct route		 r;

	in->agency = in->of = NULL;
	in->note = strdup(row->f[tsv_col(t, "note")]);
	if (strcmp(row->f[tsv_col(t, "id")], in->id ? in->id : "") != 0) {
		diag_add(d, t->path, row->line, "id %s: incidents.jsonl "
		    "line %ld is %s (the rows follow the incidents)",
		    row->f[tsv_col(t, "id")], in->line, in->id ? in->id : "?");
	} else if (scen_handling_parse(h, &in->handling) != 0) {
		diag_add(d, t->path, row->line, "handling %s: dispatch, "
		    "merge, void or escalate", h);
	} else if (in->handling == SH_MERGE) {
		if (scen_find(s, of, i) < 0)
			diag_add(d, t->path, row->line, "id %s: merge of %s, "
			    "which is not an earlier incident", in->id, of);
		in->of = strdup(of);
	} else if (in->handling == SH_DISPATCH ||
	    in->handling == SH_ESCALATE) {
		in->agency = strdup(ag);
		if (refdata_agency(rd, ag) == NULL)
			diag_add(d, t->path, row->line, "id %s: agency %s is "
			    "not in the reference data", in->id, ag);
		else if (grid == NULL || cat == NULL)
			;	/* the incident's own line says why */
		else if (in->handling == SH_DISPATCH && (route_case(rd, cat,
		    grid, &r, err, sizeof err) != 0 || strcmp(r.lead->code,
		    ag) != 0))
			diag_add(d, t->path, row->line, "id %s: %s is not the "
			    "lead for %s in %s (the list gives %s)", in->id,
			    ag, cat, grid, r.lead ? r.lead->code : err);
		else if (in->handling == SH_ESCALATE &&
		    !scen_lead_above(rd, cat, grid, ag))
			diag_add(d, t->path, row->line, "id %s: %s is not the "
			    "lead for %s at the district or city above %s",
			    in->id, ag, cat, grid);
	}
	free(grid);
	free(cat);
}

static int
scen_expected(struct scenario *s, const struct refdata *rd, struct diag *d)
{
	static const char *const req[] = { "id", "handling", "agency", "of",
	    "note", NULL };
	struct tsv	*t;
	char		 path[SCEN_PATH];
	size_t		 i;
	int		 rc;

	snprintf(path, sizeof path, "%.3900s/expected.tsv", s->dir);
	if ((rc = tsv_load(path, req, &t, d)) != 0)
		return rc;
	if (t->nrows != s->n)
		diag_add(d, path, 0, "%zu rows for %zu incidents", t->nrows,
		    s->n);
	for (i = 0; i < s->n && i < t->nrows; i++)
		scen_expect(s, i, t, &t->rows[i], rd, d);
	for (i = 1; i < s->n; i++)
		if (s->v[i].id != NULL && scen_find(s, s->v[i].id, i) >= 0)
			diag_add(d, path, 0, "id %s twice", s->v[i].id);
	tsv_free(t);
	return 0;
}

int
scenario_load(const char *dir, const struct refdata *rd,
    struct scenario **out, struct diag *d)
{
	struct scenario	*s;
	const char	*base = strrchr(dir, '/');
	size_t		 before = d->n;
	int		 rc;

	*out = NULL;
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->dir = strdup(dir)) == NULL ||
	    (s->name = strdup(base != NULL ? base + 1 : dir)) == NULL) {
		scenario_free(s);
		return GL_ENOMEM;
	}
	if ((rc = scen_conf(s, d)) == 0 && (rc = scen_incidents(s, rd,
	    d)) == 0)
		rc = scen_expected(s, rd, d);
	if (rc == 0 && d->n > before)
		rc = GL_EINVAL;
	if (rc != 0) {
		scenario_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static int
scen_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
scenario_check_all(const char *data_dir, const struct refdata *rd,
    struct diag *d, size_t *n)
{
	struct scenario	*s;
	struct dirent	*e;
	char		 root[SCEN_PATH], path[SCEN_PATH], *names[256];
	size_t		 k = 0, i;
	DIR		*dp;
	int		 rc = 0;

	*n = 0;
	snprintf(root, sizeof root, "%.3900s/scenarios", data_dir);
	if ((dp = opendir(root)) == NULL)
		return 0;
	while ((e = readdir(dp)) != NULL && k < 256) {
		snprintf(path, sizeof path, "%.3700s/%.255s/scenario.tsv", root,
		    e->d_name);
		if (e->d_name[0] != '.' && access(path, R_OK) == 0 &&
		    (names[k] = strdup(e->d_name)) != NULL)
			k++;
	}
	closedir(dp);
	qsort(names, k, sizeof names[0], scen_name_cmp);	/* stable
								   output */
	for (i = 0; i < k; i++) {
		snprintf(path, sizeof path, "%.3900s/%s", root, names[i]);
		if (scenario_load(path, rd, &s, d) != 0)
			rc = GL_EINVAL;
		scenario_free(s);
		(*n)++;
		free(names[i]);
	}
	return rc;
}
