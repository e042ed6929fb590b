/*
 * refdata-load.c: parse and validate the data/ TSV files into a struct refdata.
 *
 * Order matters because of references: the jurisdiction files first (each
 * level's parent must exist), then agencies (home jurisdiction, owning
 * department), categories, the responsibility list, the calendar. Every
 * row-level problem is reported with file:line and the offending column; a
 * file with a bad row is marked not loaded, so checks that depend on it are
 * skipped instead of drowning the user in follow-on errors.
 *
 * Record strings point into the TSV buffers, which the refdata keeps: no
 * per-field copies for 7,368 grids.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "refdata-int.h"

struct rf_spec {
	const char		*name;
	const char *const	*cols;
};

static const char *const cols_city[] = { "code", "name", NULL };
static const char *const cols_districts[] = { "code", "name", "kind", "city",
	NULL };
static const char *const cols_townships[] = { "code", "name", "kind",
	"district", NULL };
static const char *const cols_communities[] = { "code", "name", "kind",
	"township", "generated", NULL };
static const char *const cols_grids[] = { "code", "name", "community",
	"generated", NULL };
static const char *const cols_agencies[] = { "code", "name", "level",
	"jurisdiction", "kind", "parent", NULL };
static const char *const cols_classes[] = { "code", "name", "scope", NULL };
static const char *const cols_categories[] = { "code", "name", "class",
	"platform", "priority", "limit", "unit", NULL };
static const char *const cols_duty[] = { "category", "jurisdiction", "lead",
	"support", NULL };
static const char *const cols_hours[] = { "weekdays", "start", "end", NULL };
static const char *const cols_holidays[] = { "date", "kind", "name", NULL };

static const struct rf_spec rf_specs[RF__COUNT] = {
	[RF_CITY] = { "city.tsv", cols_city },
	[RF_DISTRICTS] = { "districts.tsv", cols_districts },
	[RF_TOWNSHIPS] = { "townships.tsv", cols_townships },
	[RF_COMMUNITIES] = { "communities.tsv", cols_communities },
	[RF_GRIDS] = { "grids.tsv", cols_grids },
	[RF_AGENCIES] = { "agencies.tsv", cols_agencies },
	[RF_CLASSES] = { "classes.tsv", cols_classes },
	[RF_CATEGORIES] = { "categories.tsv", cols_categories },
	[RF_DUTY] = { "duty.tsv", cols_duty },
	[RF_HOURS] = { "hours.tsv", cols_hours },
	[RF_HOLIDAYS] = { "holidays.tsv", cols_holidays },
};

/* How each level of the tree is read. */
struct level_spec {
	enum refdata_file	 file;
	int			 digits;	/* code length */
	const char		*parent_col;
	const char *const	*kinds;		/* allowed kind values */
	int			 has_generated;
};

static const char *const kinds_city[] = { "市", NULL };
static const char *const kinds_district[] = { "区", "县", "县级市", NULL };
static const char *const kinds_township[] = { "街道", "镇", "乡",
	"类似乡级单位", NULL };
static const char *const kinds_community[] = { "社区", "村", NULL };

static const struct level_spec level_specs[JL__COUNT] = {
	[JL_CITY] = { RF_CITY, 6, NULL, kinds_city, 0 },
	[JL_DISTRICT] = { RF_DISTRICTS, 6, "city", kinds_district, 0 },
	[JL_TOWNSHIP] = { RF_TOWNSHIPS, 9, "district", kinds_township, 0 },
	[JL_COMMUNITY] = { RF_COMMUNITIES, 12, "township", kinds_community, 1 },
	[JL_GRID] = { RF_GRIDS, 15, "community", NULL, 1 },
};

/* Cursor over one row: its file, line and named fields. */
struct rowctx {
	struct refdata		*rd;
	const struct tsv	*t;
	const struct tsv_row	*row;
	struct diag		*d;
	int			 ok;
	size_t			 skipped;	/* rows not checked: see
						   row_unresolved */
};

static const char *
row_get(const struct rowctx *r, const char *col)
{
	int	i = tsv_col(r->t, col);

	return i >= 0 ? r->row->f[i] : "";
}

static void
row_bad(struct rowctx *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
row_bad(struct rowctx *r, const char *fmt, ...)
{
	va_list	ap;
	char	buf[768];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	diag_add(r->d, r->t->path, r->row->line, "%s", buf);
	r->ok = 0;
}

/*
 * A reference that does not resolve. When the file it points into did not
 * load whole, the reference may name a row that was rejected there: saying
 * "not found" would bury the one real problem under thousands of echoes
 * (one bad township would fail all its communities, grids, agencies and
 * list rows). Such rows are only counted, and one line says how many were
 * not checked.
 */
static void
row_unresolved(struct rowctx *r, int dep_loaded, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
row_unresolved(struct rowctx *r, int dep_loaded, const char *fmt, ...)
{
	va_list	ap;
	char	buf[768];

	if (!dep_loaded) {
		r->skipped++;
		r->ok = 0;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	row_bad(r, "%s", buf);
}

/* One line for the rows row_unresolved did not check. */
static void
row_skipped_note(struct rowctx *r)
{
	if (r->skipped > 0 && r->t != NULL)
		diag_add(r->d, r->t->path, 0, "%zu rows not checked: they "
		    "refer to a file with problems (see above)", r->skipped);
	r->skipped = 0;
}

/* 1 when every jurisdiction file loaded whole. */
static int
juris_loaded(const struct refdata *rd)
{
	return rd->loaded[RF_CITY] && rd->loaded[RF_DISTRICTS] &&
	    rd->loaded[RF_TOWNSHIPS] && rd->loaded[RF_COMMUNITIES] &&
	    rd->loaded[RF_GRIDS];
}

static int all_digits_n(const char *s, size_t n);

/* s is exactly n ASCII digits. */
static int
all_digits(const char *s, size_t n)
{
	return strlen(s) == n && all_digits_n(s, n);
}

/* The first n bytes of s are ASCII digits. */
static int
all_digits_n(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
in_list(const char *s, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return list == NULL;
}

/* A required text field: non-empty, no leading/trailing blanks. */
static int
row_text(struct rowctx *r, const char *col, const char **out)
{
	const char	*s = row_get(r, col);
	size_t		 n = strlen(s);

	*out = s;
	if (n == 0) {
		row_bad(r, "column '%s' is empty", col);
		return 0;
	}
	if (isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1])) {
		row_bad(r, "column '%s' has blanks around '%s'", col, s);
		return 0;
	}
	return 1;
}

static int
row_yesno(struct rowctx *r, const char *col, int *out)
{
	const char	*s = row_get(r, col);

	if (strcmp(s, "yes") == 0)
		*out = 1;
	else if (strcmp(s, "no") == 0)
		*out = 0;
	else {
		row_bad(r, "column '%s' must be yes or no, not '%s'", col, s);
		return 0;
	}
	return 1;
}

static int
refdata_read(struct refdata *rd, enum refdata_file f, struct diag *d)
{
	char	path[4096];
	int	rc;

	snprintf(path, sizeof path, "%s/%s", rd->dir, rf_specs[f].name);
	rc = tsv_load(path, rf_specs[f].cols, &rd->tsv[f], d);
	rd->loaded[f] = rc == 0;
	return rc;
}

/* --- jurisdictions --------------------------------------------------------- */

static void
juris_link(struct juris *j, struct juris *parent)
{
	struct juris	**pp;

	j->parent = parent;
	if (parent == NULL)
		return;
	for (pp = &parent->child; *pp != NULL; pp = &(*pp)->next)
		;	/* append: children stay in file order */
	*pp = j;
}

static void
juris_row(struct rowctx *r, enum juris_level l, struct juris *j)
{
	const struct level_spec	*ls = &level_specs[l];
	const char		*pcode;
	struct juris		*parent = NULL;
	void			*old;

	if (!row_text(r, "code", &j->code) || !row_text(r, "name", &j->name))
		return;
	if (!all_digits(j->code, (size_t)ls->digits))
		return row_bad(r, "code '%s' must be %d digits", j->code,
		    ls->digits);
	j->kind = l == JL_GRID ? "网格" : l == JL_CITY ? "市" :
	    row_get(r, "kind");
	if (!in_list(j->kind, ls->kinds))
		return row_bad(r, "kind '%s' is not allowed for a %s",
		    j->kind, juris_level_name(l));
	if (ls->has_generated && !row_yesno(r, "generated", &j->generated))
		return;
	if (ls->parent_col != NULL) {
		pcode = row_get(r, ls->parent_col);
		parent = strmap_get(r->rd->juris_map, pcode);
		if (parent == NULL || parent->level != l - 1)
			return row_unresolved(r, r->rd->loaded[
			    level_specs[l - 1].file], "%s '%s' (column %s) is "
			    "not in %s", ls->parent_col, pcode, ls->parent_col,
			    rf_specs[level_specs[l - 1].file].name);
		if (strncmp(j->code, parent->code, l > JL_DISTRICT ?
		    strlen(parent->code) : 4) != 0)
			return row_bad(r, "code '%s' does not begin with its "
			    "%s's code '%s'%s", j->code, ls->parent_col,
			    parent->code, l > JL_DISTRICT ? "" :
			    " (its first 4 digits)");
	} else if (strcmp(j->code + 4, "00") != 0)
		return row_bad(r, "city code '%s' must end in 00", j->code);
	if (strmap_put(r->rd->juris_map, j->code, j, &old) != 0) {
		const struct juris *o = old;
		return row_bad(r, "code '%s' is already used at %s:%ld",
		    j->code, o->file, o->line);
	}
	j->level = l;
	j->file = r->t->path;
	j->line = r->row->line;
	juris_link(j, parent);
}

static int
refdata_load_juris(struct refdata *rd, struct diag *d)
{
	size_t	 total = 0, i;
	int	 l;

	for (l = 0; l < JL__COUNT; l++)
		if (rd->tsv[level_specs[l].file] != NULL)
			total += rd->tsv[level_specs[l].file]->nrows;
	rd->juris = calloc(total + 1, sizeof *rd->juris);
	if (rd->juris == NULL)
		return GL_ENOMEM;
	for (l = 0; l < JL__COUNT; l++) {
		enum refdata_file	 f = level_specs[l].file;
		struct rowctx		 r = { rd, rd->tsv[f], NULL, d, 1, 0 };

		rd->level_first[l] = rd->njuris;
		if (r.t == NULL)
			continue;
		if (l == JL_CITY && r.t->nrows != 1) {
			diag_add(d, r.t->path, 0, "exactly one city row is "
			    "needed, found %zu", r.t->nrows);
			rd->loaded[f] = 0;
		}
		for (i = 0; i < r.t->nrows; i++) {
			struct juris *j = &rd->juris[rd->njuris];

			r.row = &r.t->rows[i];
			r.ok = 1;
			juris_row(&r, (enum juris_level)l, j);
			if (r.ok) {
				j->index = rd->njuris++;
			} else {
				rd->loaded[f] = 0;
				memset(j, 0, sizeof *j);
			}
		}
		rd->level_n[l] = rd->njuris - rd->level_first[l];
		row_skipped_note(&r);
	}
	return 0;
}

/* --- agencies -------------------------------------------------------------- */

static int
agency_code_ok(const char *code, const char *jcode)
{
	size_t	n = strlen(jcode);
	const char *p;

	if (strncmp(code, jcode, n) != 0 || code[n] != '.' || code[n + 1] == 0)
		return 0;
	for (p = code + n + 1; *p != '\0'; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p))
			return 0;
	return 1;
}

static void
agency_row(struct rowctx *r, struct agency *a)
{
	const char	*lvl, *jcode, *kind;
	void		*old;
	int		 i;

	if (!row_text(r, "code", &a->code) || !row_text(r, "name", &a->name))
		return;
	lvl = row_get(r, "level");
	for (i = JL_CITY; i <= JL_TOWNSHIP; i++)
		if (strcmp(lvl, juris_level_name((enum juris_level)i)) == 0)
			break;
	if (i > JL_TOWNSHIP)
		return row_bad(r, "level '%s' must be city, district or "
		    "township", lvl);
	a->level = (enum juris_level)i;
	jcode = row_get(r, "jurisdiction");
	a->home = strmap_get(r->rd->juris_map, jcode);
	if (a->home == NULL)
		return row_unresolved(r, juris_loaded(r->rd), "jurisdiction "
		    "'%s' is not a known jurisdiction code", jcode);
	if (a->home->level != a->level)
		return row_bad(r, "jurisdiction '%s' is a %s, but level says "
		    "%s", jcode, juris_level_name(a->home->level), lvl);
	if (!agency_code_ok(a->code, jcode))
		return row_bad(r, "code '%s' must be the jurisdiction code, "
		    "a dot and upper-case letters (e.g. %s.ZF)", a->code,
		    jcode);
	kind = row_get(r, "kind");
	for (i = 0; i < AK__COUNT; i++)
		if (strcmp(kind, agency_kind_name((enum agency_kind)i)) == 0)
			break;
	if (i == AK__COUNT)
		return row_bad(r, "kind '%s' must be 部门, 派驻, 乡镇 or 企业",
		    kind);
	a->kind = (enum agency_kind)i;
	if ((a->kind == AK_STATIONED || a->kind == AK_TOWNSHIP) &&
	    a->level != JL_TOWNSHIP)
		return row_bad(r, "kind '%s' is a township unit, but level "
		    "says %s", kind, lvl);
	a->file = r->t->path;
	a->line = r->row->line;
	if (strmap_put(r->rd->agency_map, a->code, a, &old) != 0) {
		const struct agency *o = old;
		return row_bad(r, "code '%s' is already used at %s:%ld",
		    a->code, o->file, o->line);
	}
}

/* Second pass: a stationed unit's owning department, which may come later
 * in the file. */
static void
agency_parent(struct rowctx *r, struct agency *a)
{
	const char		*pcode = row_get(r, "parent");
	const struct agency	*p;
	const struct juris	*j;

	if (a->kind != AK_STATIONED) {
		if (pcode[0] != '\0')
			row_bad(r, "parent '%s' is only for 派驻 units", pcode);
		return;
	}
	if ((p = strmap_get(r->rd->agency_map, pcode)) == NULL)
		return row_unresolved(r, r->rd->loaded[RF_AGENCIES],
		    "parent '%s' (column parent) is not in agencies.tsv",
		    pcode);
	if (p->kind != AK_DEPARTMENT || p->level >= a->level)
		return row_bad(r, "parent '%s' must be a department of a "
		    "higher level", pcode);
	for (j = a->home; j != NULL && j != p->home; j = j->parent)
		;
	if (j == NULL)
		return row_bad(r, "parent '%s' serves %s, which does not "
		    "contain %s", pcode, p->home->name, a->home->name);
	a->parent = p;
}

static int
refdata_load_agencies(struct refdata *rd, struct diag *d)
{
	struct rowctx	r = { rd, rd->tsv[RF_AGENCIES], NULL, d, 1, 0 };
	const struct tsv_row **agency_rows;
	size_t		i;
	int		parents_ok = 1;

	if (r.t == NULL)
		return 0;
	rd->agencies = calloc(r.t->nrows + 1, sizeof *rd->agencies);
	agency_rows = calloc(r.t->nrows + 1, sizeof *agency_rows);
	if (rd->agencies == NULL || agency_rows == NULL) {
		free(agency_rows);
		return GL_ENOMEM;
	}
	for (i = 0; i < r.t->nrows; i++) {
		r.row = &r.t->rows[i];
		r.ok = 1;
		agency_row(&r, &rd->agencies[rd->nagencies]);
		if (r.ok)
			agency_rows[rd->nagencies++] = r.row;
		else {
			rd->loaded[RF_AGENCIES] = 0;
			memset(&rd->agencies[rd->nagencies], 0,
			    sizeof *rd->agencies);
		}
	}
	/* Second pass: parents, each agency with its own row (rows that
	 * failed the first pass have no agency). */
	for (i = 0; i < rd->nagencies; i++) {
		r.row = agency_rows[i];
		r.ok = 1;
		agency_parent(&r, &rd->agencies[i]);
		if (!r.ok)
			parents_ok = 0;
	}
	if (!parents_ok)
		rd->loaded[RF_AGENCIES] = 0;
	row_skipped_note(&r);
	free(agency_rows);
	return 0;
}

/* --- classes and categories ------------------------------------------------ */

static void
klass_row(struct rowctx *r, struct klass *k)
{
	void	*old;

	if (!row_text(r, "code", &k->code) || !row_text(r, "name", &k->name))
		return;
	if (!all_digits(k->code, 2))
		return row_bad(r, "class code '%s' must be 2 digits", k->code);
	k->scope = row_get(r, "scope");
	if (strcmp(k->scope, "小区") != 0 && strcmp(k->scope, "城市") != 0)
		return row_bad(r, "scope '%s' must be 小区 or 城市", k->scope);
	if (strmap_put(r->rd->klass_map, k->code, k, &old) != 0)
		return row_bad(r, "class code '%s' is used twice", k->code);
}

/* The largest sensible limit per unit: a year of each clock. */
static const long unit_max[] = {
	[CAL_WORK_HOURS] = 2000, [CAL_WORK_DAYS] = 250, [CAL_HOURS] = 8760
};

static void
category_limit(struct rowctx *r, struct category *c)
{
	const char	*lim = row_get(r, "limit"), *unit = row_get(r, "unit");
	char		*end;

	for (c->unit = CAL_WORK_HOURS; c->unit <= CAL_HOURS; c->unit++)
		if (strcmp(unit, calendar_unit_name(c->unit)) == 0)
			break;		/* the data file spells units in full */
	if (c->unit > CAL_HOURS)
		return row_bad(r, "unit '%s' must be 工作时, 工作日 or 自然时",
		    unit);
	c->limit = strtol(lim, &end, 10);
	if (lim[0] == '\0' || *end != '\0' || !isdigit((unsigned char)lim[0]))
		return row_bad(r, "limit '%s' is not a whole number", lim);
	if (c->limit <= 0 || c->limit > unit_max[c->unit])
		return row_bad(r, "limit %s %s is out of range (1..%ld)", lim,
		    unit, unit_max[c->unit]);
}

static void
category_row(struct rowctx *r, struct category *c)
{
	const char	*kcode, *pf, *prio;
	void		*old;

	if (!row_text(r, "code", &c->code) || !row_text(r, "name", &c->name))
		return;
	if (!all_digits(c->code, 4))
		return row_bad(r, "category code '%s' must be 4 digits",
		    c->code);
	kcode = row_get(r, "class");
	if ((c->klass = strmap_get(r->rd->klass_map, kcode)) == NULL)
		return row_unresolved(r, r->rd->loaded[RF_CLASSES], "class "
		    "'%s' (column class) is not in classes.tsv", kcode);
	if (strncmp(c->code, kcode, 2) != 0)
		return row_bad(r, "code '%s' does not begin with its class "
		    "code '%s'", c->code, kcode);
	pf = row_get(r, "platform");
	if (platform_parse(pf, &c->platform) != 0)
		return row_bad(r, "platform '%s' must be one of 综治工作, "
		    "市场监管, 综合执法, 便民服务", pf);
	prio = row_get(r, "priority");
	if (strlen(prio) != 1 || prio[0] < '1' || prio[0] > '3')
		return row_bad(r, "priority '%s' must be 1, 2 or 3", prio);
	c->priority = prio[0] - '0';
	category_limit(r, c);
	if (!r->ok)
		return;
	c->file = r->t->path;
	c->line = r->row->line;
	if (strmap_put(r->rd->category_map, c->code, c, &old) != 0) {
		const struct category *o = old;
		return row_bad(r, "category code '%s' is already used at "
		    "%s:%ld", c->code, o->file, o->line);
	}
}

static int
refdata_load_categories(struct refdata *rd, struct diag *d)
{
	struct rowctx	r = { rd, rd->tsv[RF_CLASSES], NULL, d, 1, 0 };
	size_t		i;

	if (r.t != NULL) {
		rd->klasses = calloc(r.t->nrows + 1, sizeof *rd->klasses);
		if (rd->klasses == NULL)
			return GL_ENOMEM;
		for (i = 0; i < r.t->nrows; i++) {
			r.row = &r.t->rows[i];
			r.ok = 1;
			klass_row(&r, &rd->klasses[rd->nklasses]);
			if (r.ok)
				rd->nklasses++;
			else
				rd->loaded[RF_CLASSES] = 0;
		}
	}
	if ((r.t = rd->tsv[RF_CATEGORIES]) == NULL)
		return 0;
	rd->categories = calloc(r.t->nrows + 1, sizeof *rd->categories);
	if (rd->categories == NULL)
		return GL_ENOMEM;
	for (i = 0; i < r.t->nrows; i++) {
		r.row = &r.t->rows[i];
		r.ok = 1;
		category_row(&r, &rd->categories[rd->ncategories]);
		if (r.ok)
			rd->ncategories++;
		else {
			rd->loaded[RF_CATEGORIES] = 0;
			memset(&rd->categories[rd->ncategories], 0,
			    sizeof *rd->categories);
		}
	}
	row_skipped_note(&r);
	return 0;
}

/* --- the responsibility list ----------------------------------------------- */

/* 1 when agency a may act in jurisdiction j: j lies inside a's home. */
static int
agency_covers(const struct agency *a, const struct juris *j)
{
	for (; j != NULL; j = j->parent)
		if (j == a->home)
			return 1;
	return 0;
}

static const struct agency *
duty_agency(struct rowctx *r, const char *code, const char *col,
    const struct juris *j)
{
	const struct agency	*a = strmap_get(r->rd->agency_map, code);

	if (a == NULL) {
		row_unresolved(r, r->rd->loaded[RF_AGENCIES], "%s '%s' is not "
		    "in agencies.tsv", col, code);
		return NULL;
	}
	if (!agency_covers(a, j)) {
		row_bad(r, "%s '%s' (%s) serves %s, not %s (%s)", col, code,
		    a->name, a->home->name, j->name, j->code);
		return NULL;
	}
	return a;
}

/* Parse the comma-separated support column into the pool. */
static void
duty_support(struct rowctx *r, struct duty *u, const struct agency **pool)
{
	char		 buf[1024], *p, *tok;
	const char	*s = row_get(r, "support");
	size_t		 i;

	u->support = pool;
	if (strlen(s) >= sizeof buf)
		return row_bad(r, "support list is too long");
	strcpy(buf, s);
	for (p = buf; (tok = strsep(&p, ",")) != NULL;) {
		const struct agency *a;

		if (*tok == '\0' && s[0] == '\0')
			break;
		if ((a = duty_agency(r, tok, "support", u->juris)) == NULL)
			continue;
		if (a == u->lead)
			row_bad(r, "support '%s' is the lead itself", tok);
		for (i = 0; i < u->nsupport; i++)
			if (u->support[i] == a)
				row_bad(r, "support '%s' is listed twice", tok);
		pool[u->nsupport++] = a;
	}
}

static size_t
count_commas(const struct tsv *t)
{
	size_t	i, n = 0;
	int	c = tsv_col(t, "support");
	const char *s;

	for (i = 0; i < t->nrows; i++)
		for (s = t->rows[i].f[c], n++; *s != '\0'; s++)
			n += *s == ',';
	return n;
}

static void
duty_row(struct rowctx *r, struct duty *u, const struct agency **pool,
    char **keyp)
{
	const char	*cat = row_get(r, "category"),
			*jc = row_get(r, "jurisdiction"), *lead;
	char		 key[64];
	void		*old;

	if ((u->category = strmap_get(r->rd->category_map, cat)) == NULL)
		return row_unresolved(r, r->rd->loaded[RF_CATEGORIES],
		    "category '%s' is not in categories.tsv", cat);
	if ((u->juris = strmap_get(r->rd->juris_map, jc)) == NULL)
		return row_unresolved(r, juris_loaded(r->rd), "jurisdiction "
		    "'%s' is not a known jurisdiction code", jc);
	if (!row_text(r, "lead", &lead) ||
	    (u->lead = duty_agency(r, lead, "lead", u->juris)) == NULL)
		return;
	duty_support(r, u, pool);
	if (!r->ok)
		return;
	u->file = r->t->path;
	u->line = r->row->line;
	refdata_duty_key(cat, jc, key, sizeof key);
	if ((*keyp = strdup(key)) == NULL)
		return row_bad(r, "out of memory");
	if (strmap_put(r->rd->duty_map, *keyp, u, &old) != 0) {
		const struct duty *o = old;
		row_bad(r, "tie: category %s (%s) in %s (%s) already has lead "
		    "%s at %s:%ld; this row names %s", cat,
		    u->category->name, u->juris->name, jc, o->lead->code,
		    o->file, o->line, u->lead->code);
		free(*keyp);
		*keyp = NULL;
	}
}

static int
refdata_load_duty(struct refdata *rd, struct diag *d)
{
	struct rowctx	 r = { rd, rd->tsv[RF_DUTY], NULL, d, 1, 0 };
	const struct agency **pool;
	size_t		 i;

	if (r.t == NULL)
		return 0;
	rd->duties = calloc(r.t->nrows + 1, sizeof *rd->duties);
	rd->duty_keys = calloc(r.t->nrows + 1, sizeof *rd->duty_keys);
	rd->support_pool = calloc(count_commas(r.t) + 1,
	    sizeof *rd->support_pool);
	if (rd->duties == NULL || rd->duty_keys == NULL ||
	    rd->support_pool == NULL)
		return GL_ENOMEM;
	pool = rd->support_pool;
	for (i = 0; i < r.t->nrows; i++) {
		struct duty *u = &rd->duties[rd->nduties];

		r.row = &r.t->rows[i];
		r.ok = 1;
		duty_row(&r, u, pool, &rd->duty_keys[rd->nduties]);
		if (r.ok) {
			pool += u->nsupport;
			rd->nduties++;
		} else {
			rd->loaded[RF_DUTY] = 0;
			memset(u, 0, sizeof *u);
		}
	}
	row_skipped_note(&r);
	return 0;
}

/* --- the calendar ---------------------------------------------------------- */

/* "1-5" or "1,2,3,6" into a weekday mask (bit 1 Monday .. 7 Sunday). */
static int
parse_weekdays(const char *s, unsigned *mask)
{
	int	a, b, n;

	*mask = 0;
	while (*s != '\0') {
		if (sscanf(s, "%d-%d%n", &a, &b, &n) == 2 ||
		    (sscanf(s, "%d%n", &a, &n) == 1 && (b = a, 1))) {
			if (a < 1 || b > 7 || a > b)
				return -1;
			for (; a <= b; a++)
				*mask |= 1u << a;
			s += n;
			if (*s == ',')
				s++;
			else if (*s != '\0')
				return -1;
		} else
			return -1;
	}
	return *mask != 0 ? 0 : -1;
}

static int
parse_hhmm(const char *s, int *min)
{
	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	*min = ((s[0] - '0') * 10 + s[1] - '0') * 60 +
	    (s[3] - '0') * 10 + s[4] - '0';
	if ((s[0] - '0') * 10 + s[1] - '0' > 24 ||
	    (s[3] - '0') * 10 + s[4] - '0' > 59 || *min > 1440)
		return -1;
	return 0;
}

static void
hours_row(struct rowctx *r, struct cal_period *p, unsigned *mask)
{
	const char	*wd = row_get(r, "weekdays"), *st = row_get(r, "start"),
			*en = row_get(r, "end");
	unsigned	 m;

	if (parse_weekdays(wd, &m) != 0)
		return row_bad(r, "weekdays '%s' must be like 1-5 or 1,2,3 "
		    "(1 Monday .. 7 Sunday)", wd);
	if (*mask != 0 && m != *mask)
		return row_bad(r, "weekdays '%s' differ from the rows above: "
		    "one set of working weekdays is supported", wd);
	*mask = m;
	if (parse_hhmm(st, &p->start) != 0)
		return row_bad(r, "start '%s' must be HH:MM", st);
	if (parse_hhmm(en, &p->end) != 0)
		return row_bad(r, "end '%s' must be HH:MM", en);
	if (p->start >= p->end)
		return row_bad(r, "start %s is not before end %s", st, en);
}

struct hours_row {
	struct cal_period	 p;
	long			 line;
};

static int
hours_cmp(const void *a, const void *b)
{
	const struct hours_row *x = a, *y = b;

	return x->p.start < y->p.start ? -1 : x->p.start > y->p.start;
}

/* Sort the periods (rows may come in any order) and report overlaps at the
 * later row's line. */
static int
hours_sort(struct rowctx *r, struct hours_row *h, size_t n,
    struct cal_period *p)
{
	size_t	i;
	int	ok = 1;

	qsort(h, n, sizeof *h, hours_cmp);
	for (i = 0; i < n; i++) {
		p[i] = h[i].p;
		if (i > 0 && h[i].p.start < h[i - 1].p.end) {
			diag_add(r->d, r->t->path, h[i].line, "period "
			    "%02d:%02d-%02d:%02d overlaps the one at line %ld",
			    h[i].p.start / 60, h[i].p.start % 60,
			    h[i].p.end / 60, h[i].p.end % 60, h[i - 1].line);
			ok = 0;
		}
	}
	return ok;
}

static void
refdata_load_hours(struct refdata *rd, struct diag *d)
{
	struct rowctx		r = { rd, rd->tsv[RF_HOURS], NULL, d, 1, 0 };
	struct hours_row	h[CAL_MAX_PERIODS];
	struct cal_period	p[CAL_MAX_PERIODS];
	unsigned		mask = 0;
	size_t			i;
	char			err[256];

	if (r.t == NULL)
		return;
	if (r.t->nrows > CAL_MAX_PERIODS || r.t->nrows == 0) {
		diag_add(d, r.t->path, 0, "1 to %d working periods are "
		    "needed, found %zu", CAL_MAX_PERIODS, r.t->nrows);
		rd->loaded[RF_HOURS] = 0;
		return;
	}
	for (i = 0; i < r.t->nrows; i++) {
		r.row = &r.t->rows[i];
		h[i].line = r.row->line;
		hours_row(&r, &h[i].p, &mask);
	}
	if (r.ok && !hours_sort(&r, h, r.t->nrows, p))
		r.ok = 0;
	if (r.ok && calendar_set_hours(rd->cal, p, r.t->nrows, mask, err,
	    sizeof err) != 0) {
		diag_add(d, r.t->path, 0, "%s", err);
		r.ok = 0;
	}
	if (!r.ok)
		rd->loaded[RF_HOURS] = 0;
}

static void
holiday_row(struct rowctx *r, struct strmap *seen)
{
	const char	*date = row_get(r, "date"), *kind = row_get(r, "kind");
	int		 y, m, dd, n = 0;
	enum cal_daykind k;
	void		*old;

	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-' ||
	    !all_digits_n(date, 4) || !all_digits_n(date + 5, 2) ||
	    !all_digits_n(date + 8, 2) ||
	    sscanf(date, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 ||
	    m < 1 || m > 12 || dd < 1 || dd > 31)
		return row_bad(r, "date '%s' must be YYYY-MM-DD", date);
	if (strcmp(kind, "holiday") == 0)
		k = CAL_DAY_HOLIDAY;
	else if (strcmp(kind, "workday") == 0)
		k = CAL_DAY_WORKDAY;
	else
		return row_bad(r, "kind '%s' must be holiday or workday", kind);
	if (strmap_put(seen, date, (void *)r->row, &old) != 0)
		return row_bad(r, "date %s is listed twice (first at line "
		    "%ld)", date, ((const struct tsv_row *)old)->line);
	if (calendar_day_set(r->rd->cal, y, m, dd, k) != 0)
		return row_bad(r, "date '%s' does not exist", date);
}

/*
 * The last year the table covers: the highest year of its rows (all valid:
 * holiday_row passed them). A year's schedule is published whole, so a row
 * of a year says the year is known; deadlines after it are provisional
 * (calendar.h). 0 for a table without rows.
 */
static int
holiday_last_year(const struct tsv *t)
{
	size_t	i;
	int	y, last = 0;
	int	c = tsv_col(t, "date");

	for (i = 0; c >= 0 && i < t->nrows; i++) {
		y = atoi(t->rows[i].f[c]);
		if (y > last && y <= 9999)
			last = y;
	}
	return last;
}

static int
refdata_load_holidays(struct refdata *rd, struct diag *d)
{
	struct rowctx	 r = { rd, rd->tsv[RF_HOLIDAYS], NULL, d, 1, 0 };
	struct strmap	*seen;
	size_t		 i;

	if (r.t == NULL)
		return 0;
	if ((seen = strmap_new()) == NULL)
		return GL_ENOMEM;
	for (i = 0; i < r.t->nrows; i++) {
		r.row = &r.t->rows[i];
		holiday_row(&r, seen);
	}
	strmap_free(seen);
	if (!r.ok)
		rd->loaded[RF_HOLIDAYS] = 0;
	else
		calendar_set_covered_until(rd->cal, holiday_last_year(r.t));
	return 0;
}

/* --- the whole set --------------------------------------------------------- */

static int
refdata_alloc(const char *dir, struct refdata **out)
{
	struct refdata	*rd;

	if ((rd = calloc(1, sizeof *rd)) == NULL)
		return GL_ENOMEM;
	*out = rd;
	if ((rd->dir = strdup(dir)) == NULL ||
	    (rd->juris_map = strmap_new()) == NULL ||
	    (rd->agency_map = strmap_new()) == NULL ||
	    (rd->klass_map = strmap_new()) == NULL ||
	    (rd->category_map = strmap_new()) == NULL ||
	    (rd->duty_map = strmap_new()) == NULL ||
	    calendar_new(&rd->cal) != 0)
		return GL_ENOMEM;
	return 0;
}

int
refdata_load(const char *dir, struct refdata **out, struct diag *d)
{
	struct refdata	*rd = NULL;
	size_t		 f;
	int		 rc, unreadable = 0;

	*out = NULL;
	if ((rc = refdata_alloc(dir, &rd)) != 0) {
		refdata_free(rd);
		return rc;
	}
	for (f = 0; f < RF__COUNT; f++)
		if (refdata_read(rd, (enum refdata_file)f, d) == GL_EIO)
			unreadable = 1;
	if ((rc = refdata_load_juris(rd, d)) != 0 ||
	    (rc = refdata_load_agencies(rd, d)) != 0 ||
	    (rc = refdata_load_categories(rd, d)) != 0 ||
	    (rc = refdata_load_duty(rd, d)) != 0 ||
	    (rc = refdata_load_holidays(rd, d)) != 0) {
		refdata_free(rd);
		return rc;
	}
	refdata_load_hours(rd, d);
	*out = rd;
	if (unreadable)
		return GL_EIO;
	return refdata_complete(rd) ? 0 : GL_EPARSE;
}
