/*
 * test-store.c: tests of the case store (core/store*.c) on a real SQLite
 * file in a scratch directory.
 *
 * Expected values are worked out by hand: case numbers from the local
 * (UTC+8) date, deadlines from the default calendar (08:30-12:00 and
 * 13:30-17:30, Monday to Friday; 2026-11-27 is a Friday), allowed moves
 * from the workflow of lifecycle.h's header comment and DOMAIN.md (the hand
 * table of lifecycle-table.h, shared with test-lifecycle.c, not
 * lifecycle_rules). Table-driven tests list every wrong row before they
 * fail, so one wrong row does not hide another. Each test opens its own
 * database and removes it at the end.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "testutil.h"

#include "calendar.h"
#include "error.h"
#include "lifecycle.h"
#include "lifecycle-table.h"
#include "store.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define T(s)		tu_local(s)

#define GRID		"330203003001001"
#define TOWNSHIP	"330203003"
#define DISTRICT	"330203"
#define CATEGORY	"1103"
#define AGENCY		"330203.ZF"
#define ACTOR		"调度员李四"
#define REASON		"测试原因"

/* --- fixture ------------------------------------------------------------- */

struct fx {
	char		 dir[512];
	char		 path[600];
	struct store	*st;
	int		 n;		/* incidents made, for unique ext ids */
	char		 err[512];
};

static int
fx_setup(void **state)
{
	struct fx	*f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s", tu_tmpdir());
	snprintf(f->path, sizeof f->path, "%s/gridline.db", f->dir);
	if (store_open(f->path, &f->st, f->err, sizeof f->err) != 0) {
		fprintf(stderr, "store_open: %s\n", f->err);
		tu_rmtree(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx	*f = *state;

	store_close(f->st);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

/* A valid incident in GRID/CATEGORY reported at t, 8 working hours. */
static void
inc_init(struct incident *in, const char *summary, time_t t)
{
	memset(in, 0, sizeof *in);
	in->grid = GRID;
	in->township = TOWNSHIP;
	in->district = DISTRICT;
	in->category = CATEGORY;
	in->priority = 2;
	in->limit = 8;
	in->unit = CAL_WORK_HOURS;
	in->summary = summary;
	in->reporter = "网格员张三";
	in->source = "grid-app";
	in->photos = "[]";
	in->reported_at = t;
}

/* Store in at time now; its number into no (32 bytes). */
static void
mk(struct fx *f, const struct incident *in, time_t now, char *no)
{
	struct store_created	cr;
	int			rc;

	rc = store_case_create(f->st, in, "网格员张三", now, &cr, NULL, f->err,
	    sizeof f->err);
	if (rc != 0)
		fail_msg("store_case_create: %d: %s", rc, f->err);
	assert_false(cr.replayed);
	snprintf(no, 32, "%s", cr.no);
}

/* A plain new case reported and stored at t. */
static void
mk_plain(struct fx *f, const char *summary, time_t t, char *no)
{
	struct incident	in;

	inc_init(&in, summary, t);
	mk(f, &in, t, no);
}

/* The same from the 12345 hotline (a call-back needs one). */
static void
mk_hotline(struct fx *f, const char *summary, time_t t, char *no)
{
	struct incident	in;

	inc_init(&in, summary, t);
	in.source = "hotline";
	mk(f, &in, t, no);
}

/* An action with everything any action may need. */
static struct case_act
act_full(enum case_action a, time_t at, const char *target)
{
	struct case_act	x;

	memset(&x, 0, sizeof x);
	x.action = a;
	x.actor = ACTOR;
	x.at = at;
	x.agency = AGENCY;
	x.reason_code = "not_our_duty";
	x.reason = REASON;
	x.target = target;
	x.amount = 2;
	x.result = "satisfied";
	return x;
}

/* Apply a, which must succeed. */
static void
apply_ok(struct fx *f, const char *no, const struct case_act *a)
{
	int	rc = store_case_apply(f->st, no, a, NULL, NULL, f->err,
		    sizeof f->err);

	if (rc != 0)
		fail_msg("%s on %s: %d: %s", case_action_name(a->action), no,
		    rc, f->err);
}

/* Apply actions (ending at CA_REPORT, which is never applied) one after
 * the other from *at, 10 minutes apart. */
static void
apply_path(struct fx *f, const char *no, const enum case_action *path,
    const char *target, time_t *at)
{
	struct case_act	a;

	for (; *path != CA_REPORT; path++) {
		a = act_full(*path, (*at += 600), target);
		apply_ok(f, no, &a);
	}
}

static void
get(struct fx *f, const char *no, struct store_case *c)
{
	int	rc = store_case_get(f->st, no, c, f->err, sizeof f->err);

	if (rc != 0)
		fail_msg("store_case_get %s: %d: %s", no, rc, f->err);
}

/* --- collecting events --------------------------------------------------- */

struct evc {
	int64_t		 seq, case_id, version;
	time_t		 at;
	int		 from_null;
	char		 case_no[32], actor[64], action[32], from[32], to[32];
	char		 agency[64], code[64], reason[256], detail[4096];
};

struct evs {
	struct evc	 e[256];
	int		 n;		/* collected */
	int		 stop_after;	/* return 1 after this many; 0 never */
};

static void
cpy(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s != NULL ? s : "");
}

static int
ev_collect(void *arg, const struct store_event *e)
{
	struct evs	*v = arg;
	struct evc	*c;

	if (v->n < (int)NITEMS(v->e)) {
		c = &v->e[v->n];
		memset(c, 0, sizeof *c);
		c->seq = e->seq;
		c->case_id = e->case_id;
		c->version = e->version;
		c->at = e->at;
		c->from_null = e->from_state == NULL;
		cpy(c->case_no, sizeof c->case_no, e->case_no);
		cpy(c->actor, sizeof c->actor, e->actor);
		cpy(c->action, sizeof c->action, e->action);
		cpy(c->from, sizeof c->from, e->from_state);
		cpy(c->to, sizeof c->to, e->to_state);
		cpy(c->agency, sizeof c->agency, e->agency);
		cpy(c->code, sizeof c->code, e->reason_code);
		cpy(c->reason, sizeof c->reason, e->reason);
		cpy(c->detail, sizeof c->detail, e->detail);
	}
	v->n++;
	return v->stop_after > 0 && v->n >= v->stop_after;
}

static void
history(struct fx *f, const char *no, struct evs *v)
{
	memset(v, 0, sizeof *v);
	assert_int_equal(store_case_history(f->st, no, ev_collect, v, f->err,
	    sizeof f->err), 0);
}

/* --- opening ------------------------------------------------------------- */

static int
raw_open(const char *path, sqlite3 **db)
{
	int	rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL);

	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(*db, 5000);
	return rc;
}

/* The first column of the first row of sql as text into buf. */
static void
raw_text(sqlite3 *db, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt	*s;

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
		snprintf(buf, len, "%s", sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

static void
test_open(void **state)
{
	static const struct {
		const char	*type, *name;
	} objects[] = {
		{ "table", "cases" },
		{ "table", "events" },
		{ "table", "case_seq" },
		{ "table", "cases_fts" },
		{ "trigger", "events_no_update" },
		{ "trigger", "events_no_delete" },
		{ "trigger", "cases_fts_au" },
		{ "table", "search_state" },
		{ "index", "cases_dup" },
		{ "index", "cases_finished" },
		{ "table", "operators" },
		{ "table", "feeders" },
	};
	struct fx	*f = *state;
	struct store	*st2;
	struct store_case c;
	sqlite3		*db;
	char		 buf[128], sql[256], no[32];
	size_t		 i;

	/* The fixture opened an empty file: schema and pragmas are there. */
	assert_int_equal(store_case_count(f->st), 0);
	assert_int_equal(store_last_seq(f->st), 0);
	mk_plain(f, "西门街道望京路井盖缺失", T("2026-11-24 10:00"), no);
	assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
	raw_text(db, "PRAGMA journal_mode", buf, sizeof buf);
	assert_string_equal(buf, "wal");
	raw_text(db, "PRAGMA user_version", buf, sizeof buf);
	assert_int_equal(atoi(buf), STORE_SCHEMA_VERSION);
	for (i = 0; i < NITEMS(objects); i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master "
		    "WHERE type = '%s' AND name = '%s'", objects[i].type,
		    objects[i].name);
		raw_text(db, sql, buf, sizeof buf);
		if (strcmp(buf, "1") != 0)
			fail_msg("no %s %s", objects[i].type, objects[i].name);
	}
	/* foreign keys are declared (enforced per connection by the store) */
	raw_text(db, "SELECT count(*) FROM pragma_foreign_key_list('events')",
	    buf, sizeof buf);
	assert_string_equal(buf, "1");
	sqlite3_close(db);

	/* Open the same file again: no migration error, data still there. */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->path, &f->st, f->err, sizeof f->err),
	    0);
	assert_int_equal(store_case_count(f->st), 1);
	assert_int_equal(store_last_seq(f->st), 1);
	get(f, no, &c);
	assert_string_equal(c.summary, "西门街道望京路井盖缺失");
	assert_int_equal(c.state, CS_REPORTED);
	store_case_clear(&c);
	/* and a second store on it at the same time (a reader, say) */
	assert_int_equal(store_open(f->path, &st2, f->err, sizeof f->err), 0);
	assert_int_equal(store_case_count(st2), 1);
	store_close(st2);
}

static void
test_open_bad(void **state)
{
	struct fx	*f = *state;
	struct store	*st = (struct store *)f;
	sqlite3		*db;
	char		 path[700];
	FILE		*fp;

	/* a directory that does not exist */
	snprintf(path, sizeof path, "%s/no/such/dir/x.db", f->dir);
	assert_true(store_open(path, &st, f->err, sizeof f->err) < 0);
	assert_null(st);
	assert_true(f->err[0] != '\0');

	/* not a database */
	snprintf(path, sizeof path, "%s/text.db", f->dir);
	assert_non_null(fp = fopen(path, "w"));
	for (int i = 0; i < 200; i++)
		fputs("this is not an SQLite database, just text\n", fp);
	fclose(fp);
	st = (struct store *)f;
	assert_int_equal(store_open(path, &st, f->err, sizeof f->err),
	    GL_EDB);
	assert_null(st);

	/* a file from a newer gridline */
	snprintf(path, sizeof path, "%s/newer.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = (struct store *)f;
	assert_int_equal(store_open(path, &st, f->err, sizeof f->err),
	    GL_ESCHEMA);
	assert_null(st);
}

/* --- creating: numbers, resend, duplicates -------------------------------- */

/* DDDDDD-YYYYMMDD-NNNNN */
static int
number_well_formed(const char *no)
{
	size_t	i;

	if (strlen(no) != 21 || no[6] != '-' || no[15] != '-')
		return 0;
	for (i = 0; i < 21; i++)
		if (i != 6 && i != 15 && !isdigit((unsigned char)no[i]))
			return 0;
	return 1;
}

static void
test_numbers(void **state)
{
	static const struct {
		const char	*district, *township, *grid;
		const char	*now;		/* local time of creation */
		const char	*no;
	} rows[] = {
		{ "330203", "330203003", "330203003001001", "2026-11-24 23:59",
		    "330203-20261124-00001" },
		{ "330203", "330203003", "330203003001002", "2026-11-24 23:59",
		    "330203-20261124-00002" },
		{ "330212", "330212001", "330212001001001", "2026-11-24 23:59",
		    "330212-20261124-00001" },
		{ "330203", "330203003", "330203003001001", "2026-11-25 00:01",
		    "330203-20261125-00001" },
		{ "330212", "330212001", "330212001001001", "2026-11-25 00:01",
		    "330212-20261125-00001" },
		{ "330212", "330212001", "330212001001003", "2026-11-25 00:02",
		    "330212-20261125-00002" },
		/* a late clock: back to the first day's counter */
		{ "330203", "330203003", "330203003001003", "2026-11-24 23:59",
		    "330203-20261124-00003" },
		/* 07:59 local is 23:59 UTC of the day before: local date */
		{ "330203", "330203003", "330203003001004", "2026-11-26 07:59",
		    "330203-20261126-00001" },
		/* 08:00 local is midnight UTC: same local day */
		{ "330203", "330203003", "330203003001004", "2026-11-26 08:00",
		    "330203-20261126-00002" },
		{ "330203", "330203003", "330203003001004", "2026-11-26 00:00",
		    "330203-20261126-00003" },
	};
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 cr;
	size_t			 i;
	int			 bad = 0;

	for (i = 0; i < NITEMS(rows); i++) {
		time_t now = T(rows[i].now);

		inc_init(&in, "路灯不亮", now - 600 * (int)i);
		in.district = rows[i].district;
		in.township = rows[i].township;
		in.grid = rows[i].grid;
		assert_int_equal(store_case_create(f->st, &in, "网格员", now,
		    &cr, NULL, f->err, sizeof f->err), 0);
		if (!number_well_formed(cr.no) ||
		    strcmp(cr.no, rows[i].no) != 0) {
			print_error("row %zu: %s, want %s\n", i, cr.no,
			    rows[i].no);
			bad++;
		}
		assert_true(cr.id > 0);
		assert_int_equal(cr.seq, (int64_t)i + 1);
	}
	assert_int_equal(bad, 0);
	assert_int_equal(store_case_count(f->st), NITEMS(rows));
}

static void
test_create_fields(void **state)
{
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 cr;
	struct store_case	 c;
	struct evs		 v;
	time_t			 rep = T("2026-11-24 09:55"), now = rep + 300;

	inc_init(&in, "西门街道望京路井盖缺失", rep);
	in.ext_id = "app-77";
	in.address = "望京路12号";
	in.has_location = 1;
	in.lat = 29.8683;
	in.lon = 121.5440;
	in.priority = 1;
	in.limit = 4;
	in.unit = CAL_HOURS;
	assert_int_equal(store_case_create(f->st, &in, "网格员张三", now, &cr,
	    NULL, f->err, sizeof f->err), 0);
	assert_int_equal(cr.replayed, 0);
	assert_int_equal(cr.duplicate_of, 0);
	assert_int_equal(cr.seq, 1);
	get(f, cr.no, &c);
	assert_int_equal(c.id, cr.id);
	assert_string_equal(c.no, cr.no);
	assert_string_equal(c.ext_id, "app-77");
	assert_string_equal(c.grid, GRID);
	assert_string_equal(c.township, TOWNSHIP);
	assert_string_equal(c.district, DISTRICT);
	assert_string_equal(c.category, CATEGORY);
	assert_int_equal(c.priority, 1);
	assert_string_equal(c.summary, "西门街道望京路井盖缺失");
	assert_string_equal(c.address, "望京路12号");
	assert_string_equal(c.reporter, "网格员张三");
	assert_string_equal(c.source, "grid-app");
	assert_string_equal(c.photos, "[]");
	assert_int_equal(c.has_location, 1);
	assert_true(c.lat > 29.8682 && c.lat < 29.8684);
	assert_true(c.lon > 121.5439 && c.lon < 121.5441);
	assert_int_equal(c.reported_at, rep);
	assert_int_equal(c.created_at, now);
	assert_int_equal(c.updated_at, now);
	assert_int_equal(c.closed_at, 0);
	assert_int_equal(c.state, CS_REPORTED);
	assert_null(c.agency);
	assert_int_equal(c.level, 2);
	assert_int_equal(c.limit, 4);
	assert_int_equal(c.unit, CAL_HOURS);
	assert_int_equal(c.due_at, 0);
	assert_int_equal(c.ext_pending, 0);
	assert_int_equal(c.returns, 0);
	assert_int_equal(c.merged_into, 0);
	assert_int_equal(c.version, 1);
	store_case_clear(&c);

	history(f, cr.no, &v);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.e[0].action, "report");
	assert_true(v.e[0].from_null);
	assert_string_equal(v.e[0].to, "reported");
	assert_string_equal(v.e[0].actor, "网格员张三");
	assert_int_equal(v.e[0].version, 1);
	assert_int_equal(v.e[0].at, now);
	assert_non_null(strstr(v.e[0].detail,
	    "\"summary\":\"西门街道望京路井盖缺失\""));

	/* what the store refuses to create */
	{
		static const char *const fields[] = {
			"grid", "district", "category", "summary", "priority0",
			"priority4", "limit", "actor",
		};
		size_t	i;

		for (i = 0; i < NITEMS(fields); i++) {
			const char *actor = "网格员";

			inc_init(&in, "路灯不亮", rep);
			if (strcmp(fields[i], "grid") == 0)
				in.grid = "";
			else if (strcmp(fields[i], "district") == 0)
				in.district = NULL;
			else if (strcmp(fields[i], "category") == 0)
				in.category = NULL;
			else if (strcmp(fields[i], "summary") == 0)
				in.summary = "";
			else if (strcmp(fields[i], "priority0") == 0)
				in.priority = 0;
			else if (strcmp(fields[i], "priority4") == 0)
				in.priority = 4;
			else if (strcmp(fields[i], "limit") == 0)
				in.limit = 0;
			else
				actor = "";
			if (store_case_create(f->st, &in, actor, now, &cr, NULL,
			    f->err, sizeof f->err) != GL_EINVAL)
				fail_msg("bad %s accepted", fields[i]);
		}
	}
	assert_int_equal(store_case_count(f->st), 1);
	assert_int_equal(store_last_seq(f->st), 1);
}

static void
test_resend(void **state)
{
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 a, b, d, d2;
	struct case_act		 x;
	time_t			 t = T("2026-11-24 10:00");
	int64_t			 seq, n;

	inc_init(&in, "路灯不亮", t);
	in.ext_id = "hotline-0001";
	assert_int_equal(store_case_create(f->st, &in, "热线", t, &a, NULL,
	    f->err, sizeof f->err), 0);
	assert_int_equal(a.replayed, 0);
	seq = store_last_seq(f->st);
	n = store_case_count(f->st);

	/* the same id and content again, a minute later */
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 60, &b, NULL,
	    f->err, sizeof f->err), 0);
	assert_int_equal(b.replayed, 1);
	assert_int_equal(b.id, a.id);
	assert_string_equal(b.no, a.no);
	assert_int_equal(b.seq, 0);
	assert_int_equal(store_last_seq(f->st), seq);
	assert_int_equal(store_case_count(f->st), n);

	/* still a replay after the case moved on */
	x = act_full(CA_REGISTER, t + 120, NULL);
	apply_ok(f, a.no, &x);
	seq = store_last_seq(f->st);
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 180, &b,
	    NULL, f->err, sizeof f->err), 0);
	assert_int_equal(b.replayed, 1);
	assert_string_equal(b.no, a.no);
	assert_int_equal(store_last_seq(f->st), seq);

	/* a resent duplicate answers as the first send did */
	inc_init(&in, "路灯又不亮了", t + 300);
	in.ext_id = "hotline-0002";
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 300, &d,
	    NULL, f->err, sizeof f->err), 0);
	assert_int_equal(d.duplicate_of, a.id);
	assert_string_equal(d.duplicate_no, a.no);
	seq = store_last_seq(f->st);
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 360, &d2,
	    NULL, f->err, sizeof f->err), 0);
	assert_int_equal(d2.replayed, 1);
	assert_string_equal(d2.no, d.no);
	assert_int_equal(d2.duplicate_of, d.duplicate_of);
	assert_int_equal(store_last_seq(f->st), seq);

	/* no ext_id: every send is a new case */
	n = store_case_count(f->st);
	inc_init(&in, "窨井冒水", t + 7200);
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 7200, &b,
	    NULL, f->err, sizeof f->err), 0);
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 7200, &d,
	    NULL, f->err, sizeof f->err), 0);
	assert_int_equal(b.replayed + d.replayed, 0);
	assert_string_not_equal(b.no, d.no);
	assert_int_equal(store_case_count(f->st), n + 2);

	/* last, so the checks above run: the resent duplicate's answer
	 * names the original as the first answer did */
	if (strcmp(d2.duplicate_no, d2.duplicate_of != 0 ? a.no : "") != 0)
		fail_msg("resent duplicate: duplicate_of %lld but "
		    "duplicate_no \"%s\", want \"%s\"",
		    (long long)d2.duplicate_of, d2.duplicate_no, a.no);
}

/*
 * The sender's id is scoped by its source, and a resend must be the same
 * report (issue 11, finding 3). Each row sends one incident: the base one
 * ("路灯不亮" at t, from row 0's fields) with one change, and expects a new
 * case, a replay of an earlier row's case, or GL_EEXISTS naming it and the
 * field that differs. Before step 7 the other-source rows were replays of
 * row 0 and every changed row a silent replay.
 */
enum resend_change {
	RC_NONE, RC_SOURCE_APP, RC_SOURCE_NONE, RC_SUMMARY, RC_GRID,
	RC_CATEGORY, RC_PRIORITY, RC_ADDRESS, RC_ADDRESS_EMPTY, RC_REPORTER,
	RC_PHOTOS, RC_TIME, RC_LOCATION, RC_LOCATION_MOVED, RC_APP_SUMMARY
};

static void
resend_change(struct incident *in, enum resend_change c)
{
	switch (c) {
	case RC_NONE:		break;
	case RC_SOURCE_APP:	in->source = "grid-app"; break;
	case RC_SOURCE_NONE:	in->source = NULL; break;
	case RC_SUMMARY:	in->summary = "路灯不亮（重发）"; break;
	case RC_GRID:		in->grid = "330203003001002"; break;
	case RC_CATEGORY:	in->category = "1105"; break;
	case RC_PRIORITY:	in->priority = 1; break;
	case RC_ADDRESS:	in->address = "望京路12号"; break;
	case RC_ADDRESS_EMPTY:	in->address = ""; break;
	case RC_REPORTER:	in->reporter = "李四"; break;
	case RC_PHOTOS:		in->photos = "[\"http://x/1.jpg\"]"; break;
	case RC_TIME:		in->reported_at += 60; break;
	case RC_LOCATION:	in->has_location = 1; break;
	case RC_LOCATION_MOVED:	in->has_location = 1; in->lat += 0.001; break;
	case RC_APP_SUMMARY:	in->source = "grid-app";
				in->summary = "other"; break;
	}
}

static void
test_resend_scoped(void **state)
{
	enum { NEW = -1 };
	static const struct {
		const char		*label;
		enum resend_change	 change, also;
		int			 of;	/* NEW, or the row whose case */
		const char		*differs; /* NULL: a replay */
	} rows[] = {
		/* 0 */ { "first", RC_NONE, RC_NONE, NEW, NULL },
		/* 1 */ { "other source, other words", RC_APP_SUMMARY,
			    RC_NONE, NEW, NULL },
		/* 2 */ { "no source", RC_SOURCE_NONE, RC_NONE, NEW, NULL },
		/* 3 */ { "same again", RC_NONE, RC_NONE, 0, NULL },
		/* 4 */ { "other source again", RC_APP_SUMMARY, RC_NONE, 1,
			    NULL },
		/* 5 */ { "no source again", RC_SOURCE_NONE, RC_NONE, 2,
			    NULL },
		/* 6 */ { "empty address is absent", RC_ADDRESS_EMPTY,
			    RC_NONE, 0, NULL },
		{ "summary", RC_SUMMARY, RC_NONE, 0, "summary" },
		{ "grid", RC_GRID, RC_NONE, 0, "grid" },
		{ "category", RC_CATEGORY, RC_NONE, 0, "category" },
		{ "priority", RC_PRIORITY, RC_NONE, 0, "priority" },
		{ "address", RC_ADDRESS, RC_NONE, 0, "address" },
		{ "reporter", RC_REPORTER, RC_NONE, 0, "reporter" },
		{ "photos", RC_PHOTOS, RC_NONE, 0, "photos" },
		{ "reported_at", RC_TIME, RC_NONE, 0, "reported_at" },
		{ "location added", RC_LOCATION, RC_NONE, 0, "location" },
		{ "no source, summary", RC_SOURCE_NONE, RC_SUMMARY, 2,
		    "summary" },
		{ "other source, location", RC_APP_SUMMARY, RC_LOCATION, 1,
		    "location" },
		{ "location moved", RC_LOCATION_MOVED, RC_NONE, NEW, NULL },
	};
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 cr;
	struct store_case	 got;
	char			 no[NITEMS(rows)][32];
	time_t			 t = T("2026-11-24 10:00");
	int64_t			 seq, n;
	size_t			 i;
	int			 rc, bad = 0;

	memset(no, 0, sizeof no);
	for (i = 0; i < NITEMS(rows); i++) {
		inc_init(&in, "路灯不亮", t);
		in.ext_id = "dup-B";
		in.source = "hotline";
		in.lat = 29.8683;
		in.lon = 121.5440;
		if (strcmp(rows[i].label, "location moved") == 0)
			in.ext_id = "dup-C";	/* its own id, then resent */
		resend_change(&in, rows[i].change);
		resend_change(&in, rows[i].also);
		seq = store_last_seq(f->st);
		n = store_case_count(f->st);
		f->err[0] = '\0';
		memset(&got, 0xa5, sizeof got);
		rc = store_case_create(f->st, &in, "热线", t + 60 * (long)i,
		    &cr, &got, f->err, sizeof f->err);
		if (rows[i].of == NEW) {
			if (rc != 0 || cr.replayed || store_case_count(f->st) !=
			    n + 1)
				print_error("%s: %s %s, replayed %d: want a "
				    "new case\n", rows[i].label,
				    gl_strerror_name(rc), f->err, cr.replayed),
				    bad++;
			snprintf(no[i], sizeof no[i], "%s", cr.no);
		} else if (rows[i].differs == NULL) {
			if (rc != 0 || !cr.replayed || strcmp(cr.no,
			    no[rows[i].of]) != 0 || strcmp(got.no,
			    no[rows[i].of]) != 0 || cr.seq != 0)
				print_error("%s: %s %s, replayed %d, case %s: "
				    "want a replay of %s\n", rows[i].label,
				    gl_strerror_name(rc), f->err, cr.replayed,
				    cr.no, no[rows[i].of]), bad++;
		} else if (rc != GL_EEXISTS || strcmp(cr.no,
		    no[rows[i].of]) != 0 || strstr(f->err,
		    no[rows[i].of]) == NULL || strstr(f->err,
		    rows[i].differs) == NULL || got.summary != NULL) {
			print_error("%s: %s \"%s\", case %s: want exists, "
			    "naming %s and %s\n", rows[i].label,
			    gl_strerror_name(rc), f->err, cr.no,
			    no[rows[i].of], rows[i].differs), bad++;
		}
		if (rows[i].of != NEW && (store_last_seq(f->st) != seq ||
		    store_case_count(f->st) != n))
			print_error("%s: something was stored\n",
			    rows[i].label), bad++;
		if (rc == 0)
			store_case_clear(&got);
	}
	assert_int_equal(bad, 0);

	/* "location moved": the resend of dup-C 100 m off is refused */
	inc_init(&in, "路灯不亮", t);
	in.ext_id = "dup-C";
	in.source = "hotline";
	in.has_location = 1;
	in.lat = 29.8683 + 0.002;
	in.lon = 121.5440;
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 3600, &cr,
	    NULL, f->err, sizeof f->err), GL_EEXISTS);
	assert_non_null(strstr(f->err, "location"));
	assert_string_equal(cr.no, no[NITEMS(rows) - 1]);

	/* in a batch a conflict fails alone: the next one is stored, and the
	 * case numbers stay gap-free */
	n = store_case_count(f->st);
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	inc_init(&in, "另一件事", t);
	in.ext_id = "dup-B";
	in.source = "hotline";
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 7200, &cr,
	    NULL, f->err, sizeof f->err), GL_EEXISTS);
	in.ext_id = "dup-D";
	assert_int_equal(store_case_create(f->st, &in, "热线", t + 7200, &cr,
	    NULL, f->err, sizeof f->err), 0);
	assert_int_equal(cr.replayed, 0);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_case_count(f->st), n + 1);
	{
		char	want[64];

		snprintf(want, sizeof want, "%.16s%05lld", no[0],
		    (long long)n + 1);
		assert_string_equal(cr.no, want);
	}
}

/* Ways an earlier case can be left before the second report arrives. */
enum first_fate { STAYS_OPEN, GETS_CLOSED, GETS_VOIDED, GETS_MERGED };

static void
test_duplicates(void **state)
{
	static const struct {
		const char	*label;
		int		 minutes;	/* second after first */
		int		 other_category;
		int		 other_grid;
		int		 loc1, loc2;	/* has a location */
		double		 dlat;		/* second north of first, deg */
		enum first_fate	 fate;
		int		 dup;
	} rows[] = {
		{ "10 min", 10, 0, 0, 0, 0, 0, STAYS_OPEN, 1 },
		{ "same minute", 0, 0, 0, 0, 0, 0, STAYS_OPEN, 1 },
		{ "29 min", 29, 0, 0, 0, 0, 0, STAYS_OPEN, 1 },
		{ "30 min", 30, 0, 0, 0, 0, 0, STAYS_OPEN, 1 },
		{ "31 min", 31, 0, 0, 0, 0, 0, STAYS_OPEN, 0 },
		{ "2 h", 120, 0, 0, 0, 0, 0, STAYS_OPEN, 0 },
		{ "other category", 10, 1, 0, 0, 0, 0, STAYS_OPEN, 0 },
		{ "other grid", 10, 0, 1, 0, 0, 0, STAYS_OPEN, 0 },
		{ "33 m apart", 10, 0, 0, 1, 1, 0.0003, STAYS_OPEN, 1 },
		{ "same spot", 10, 0, 0, 1, 1, 0, STAYS_OPEN, 1 },
		{ "67 m apart", 10, 0, 0, 1, 1, 0.0006, STAYS_OPEN, 0 },
		{ "1 km apart", 10, 0, 0, 1, 1, 0.009, STAYS_OPEN, 0 },
		{ "only first located", 10, 0, 0, 1, 0, 0, STAYS_OPEN, 1 },
		{ "only second located", 10, 0, 0, 0, 1, 0, STAYS_OPEN, 1 },
		{ "first closed", 10, 0, 0, 0, 0, 0, GETS_CLOSED, 0 },
		{ "first voided", 10, 0, 0, 0, 0, 0, GETS_VOIDED, 0 },
		{ "first merged", 10, 0, 0, 0, 0, 0, GETS_MERGED, 0 },
	};
	static const enum case_action to_closed[] = {
		CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START,
		CA_FEEDBACK, CA_VERIFY, CA_CLOSE, CA_REPORT
	};
	static const enum case_action to_voided[] = { CA_VOID, CA_REPORT };
	static const enum case_action to_merged[] = { CA_MERGE, CA_REPORT };
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 c1, c2;
	struct store_case	 c;
	char			 grid[32], grid2[32], other[32];
	time_t			 t0 = T("2026-11-24 09:00"), t, at;
	size_t			 i;
	int			 bad = 0;

	/* a case elsewhere to merge into */
	inc_init(&in, "别处的案件", t0);
	in.grid = "330203003009009";
	mk(f, &in, t0, other);

	for (i = 0; i < NITEMS(rows); i++) {
		/* each row in its own grid, a day apart */
		t = t0 + (time_t)i * 86400;
		snprintf(grid, sizeof grid, "3302030030010%02zu", i);
		snprintf(grid2, sizeof grid2, "3302030030020%02zu", i);
		inc_init(&in, "流动摊贩占道经营", t);
		in.grid = grid;
		in.has_location = rows[i].loc1;
		in.lat = 29.8683;
		in.lon = 121.5440;
		assert_int_equal(store_case_create(f->st, &in, "网格员", t,
		    &c1, NULL, f->err, sizeof f->err), 0);
		assert_int_equal(c1.duplicate_of, 0);
		at = t;
		if (rows[i].fate == GETS_CLOSED)
			apply_path(f, c1.no, to_closed, NULL, &at);
		else if (rows[i].fate == GETS_VOIDED)
			apply_path(f, c1.no, to_voided, NULL, &at);
		else if (rows[i].fate == GETS_MERGED)
			apply_path(f, c1.no, to_merged, other, &at);

		inc_init(&in, "流动摊贩占道经营（再次上报）",
		    t + rows[i].minutes * 60);
		in.grid = rows[i].other_grid ? grid2 : grid;
		in.category = rows[i].other_category ? "1105" : CATEGORY;
		in.has_location = rows[i].loc2;
		in.lat = 29.8683 + rows[i].dlat;
		in.lon = 121.5440;
		assert_int_equal(store_case_create(f->st, &in, "网格员",
		    in.reported_at + 5, &c2, NULL, f->err, sizeof f->err), 0);
		if (rows[i].dup ? c2.duplicate_of != c1.id ||
		    strcmp(c2.duplicate_no, c1.no) != 0 :
		    c2.duplicate_of != 0) {
			print_error("%s: duplicate_of %lld (%s), want %lld\n",
			    rows[i].label, (long long)c2.duplicate_of,
			    c2.duplicate_no, rows[i].dup ? (long long)c1.id :
			    0LL);
			bad++;
		}
		get(f, c2.no, &c);
		if (c.duplicate_of != c2.duplicate_of ||
		    strcmp(c.duplicate_no, c2.duplicate_no) != 0) {
			print_error("%s: stored duplicate_of %lld, returned "
			    "%lld\n", rows[i].label, (long long)c.duplicate_of,
			    (long long)c2.duplicate_of);
			bad++;
		}
		store_case_clear(&c);
	}
	assert_int_equal(bad, 0);
}

/* A third report points at the original, not at the second. */
static void
test_duplicate_chain(void **state)
{
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 c1, c2, c3;
	struct evs		 v;
	time_t			 t = T("2026-11-24 14:00");

	inc_init(&in, "井盖缺失", t);
	assert_int_equal(store_case_create(f->st, &in, "网格员", t, &c1, NULL,
	    f->err, sizeof f->err), 0);
	inc_init(&in, "井盖缺失", t + 600);
	assert_int_equal(store_case_create(f->st, &in, "网格员", t + 600, &c2,
	    NULL, f->err, sizeof f->err), 0);
	inc_init(&in, "井盖缺失", t + 1200);
	assert_int_equal(store_case_create(f->st, &in, "网格员", t + 1200, &c3,
	    NULL, f->err, sizeof f->err), 0);
	assert_int_equal(c2.duplicate_of, c1.id);
	assert_int_equal(c3.duplicate_of, c1.id);
	assert_string_equal(c3.duplicate_no, c1.no);
	/* the report event says so */
	history(f, c3.no, &v);
	assert_int_equal(v.n, 1);
	assert_non_null(strstr(v.e[0].detail, c1.no));
}

/* --- every action in every state, through the store ---------------------- */

/* allowed[] and expect_allowed() come from lifecycle-table.h. */

#define MAXPATH	10

/* A state reached by a path of actions (ending at CA_REPORT). */
static const struct situation {
	const char		*label;
	enum case_state		 state;
	int			 ext;
	enum case_state		 before;	/* for unmerge/unpark */
	enum case_action	 path[MAXPATH];
} situations[] = {
	{ "reported", CS_REPORTED, 0, 0, { CA_REPORT } },
	{ "registered", CS_REGISTERED, 0, 0, { CA_REGISTER, CA_REPORT } },
	{ "dispatched", CS_DISPATCHED, 0, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_REPORT } },
	{ "acknowledged", CS_ACKNOWLEDGED, 0, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_REPORT } },
	{ "acknowledged+ext", CS_ACKNOWLEDGED, 1, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_EXT_REQUEST,
	    CA_REPORT } },
	{ "in_hand", CS_IN_HAND, 0, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START,
	    CA_REPORT } },
	{ "in_hand+ext", CS_IN_HAND, 1, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START,
	    CA_EXT_REQUEST, CA_REPORT } },
	{ "done", CS_DONE, 0, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START, CA_FEEDBACK,
	    CA_REPORT } },
	{ "verified", CS_VERIFIED, 0, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START, CA_FEEDBACK,
	    CA_VERIFY, CA_REPORT } },
	{ "closed", CS_CLOSED, 0, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START, CA_FEEDBACK,
	    CA_VERIFY, CA_CLOSE, CA_REPORT } },
	{ "returned", CS_RETURNED, 0, 0,
	    { CA_REGISTER, CA_DISPATCH, CA_RETURN, CA_REPORT } },
	{ "escalated", CS_ESCALATED, 0, 0,
	    { CA_REGISTER, CA_ESCALATE, CA_REPORT } },
	{ "parked(registered)", CS_PARKED, 0, CS_REGISTERED,
	    { CA_REGISTER, CA_PARK, CA_REPORT } },
	{ "parked(in_hand)", CS_PARKED, 0, CS_IN_HAND,
	    { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START, CA_PARK,
	    CA_REPORT } },
	{ "merged(reported)", CS_MERGED, 0, CS_REPORTED,
	    { CA_MERGE, CA_REPORT } },
	{ "merged(dispatched)", CS_MERGED, 0, CS_DISPATCHED,
	    { CA_REGISTER, CA_DISPATCH, CA_MERGE, CA_REPORT } },
	{ "voided", CS_VOIDED, 0, 0, { CA_REGISTER, CA_VOID, CA_REPORT } },
};

#define NSIT	NITEMS(situations)

/* Check one (situation, action) on case no; 0 when as expected. */
static int
walk_one(struct fx *f, const struct situation *s, enum case_action a,
    const char *no, const char *target, time_t at)
{
	struct store_case	o, n, x;
	struct case_act		act;
	struct evs		v;
	int64_t			seq0, seq = -1;
	int			rc, want = -1, bad = 0;
	char			label[128];

	snprintf(label, sizeof label, "%s in %s", case_action_name(a),
	    s->label);
	get(f, no, &o);
	if (o.state != s->state || o.ext_pending != s->ext) {
		print_error("%s: path reached %s ext %d\n", label,
		    case_state_name(o.state), o.ext_pending);
		store_case_clear(&o);
		return 1;
	}
	seq0 = store_last_seq(f->st);
	act = act_full(a, at, target);
	act.version = o.version;
	memset(&n, 0, sizeof n);
	f->err[0] = '\0';
	rc = store_case_apply(f->st, no, &act, &n, &seq, f->err,
	    sizeof f->err);
	if (a == CA_REPORT ? 0 : expect_allowed(s->state, a, s->ext, &want)) {
		if (want == TO_BEFORE)
			want = (int)s->before;
		if (rc != 0) {
			print_error("%s: rc %d (%s), want allowed to %s\n",
			    label, rc, f->err, case_state_name(want));
			bad++;
			goto out;
		}
		if ((int)n.state != want)
			bad++, print_error("%s: now %s, want %s\n", label,
			    case_state_name(n.state), case_state_name(want));
		if (n.version != o.version + 1)
			bad++, print_error("%s: version %lld, want %lld\n",
			    label, (long long)n.version,
			    (long long)o.version + 1);
		if (n.updated_at != at)
			bad++, print_error("%s: updated_at not the action's "
			    "time\n", label);
		if (seq != seq0 + 1 || store_last_seq(f->st) != seq0 + 1)
			bad++, print_error("%s: seq %lld, last %lld, want "
			    "%lld\n", label, (long long)seq,
			    (long long)store_last_seq(f->st),
			    (long long)seq0 + 1);
		memset(&v, 0, sizeof v);
		assert_int_equal(store_events(f->st, seq0, 10, ev_collect, &v,
		    f->err, sizeof f->err), 0);
		if (v.n != 1) {
			bad++, print_error("%s: %d new events\n", label, v.n);
			goto out;
		}
		if (strcmp(v.e[0].case_no, no) != 0 ||
		    v.e[0].case_id != o.id ||
		    strcmp(v.e[0].action, case_action_name(a)) != 0 ||
		    strcmp(v.e[0].from, case_state_name(s->state)) != 0 ||
		    strcmp(v.e[0].to, case_state_name(want)) != 0 ||
		    strcmp(v.e[0].actor, ACTOR) != 0 ||
		    strcmp(v.e[0].reason, REASON) != 0 ||
		    v.e[0].version != o.version + 1 || v.e[0].at != at)
			bad++, print_error("%s: event %s %s: %s -> %s by %s "
			    "(%s) v%lld\n", label, v.e[0].case_no,
			    v.e[0].action, v.e[0].from, v.e[0].to,
			    v.e[0].actor, v.e[0].reason,
			    (long long)v.e[0].version);
		/* the flag of the extension steps */
		if ((a == CA_EXT_REQUEST && (!n.ext_pending ||
		    n.ext_amount != 2)) ||
		    ((a == CA_EXT_GRANT || a == CA_EXT_REFUSE) &&
		    n.ext_pending))
			bad++, print_error("%s: ext_pending %d\n", label,
			    n.ext_pending);
		/* a request lapses when the agency no longer holds it */
		if (n.ext_pending && !case_state_clock_runs(n.state))
			bad++, print_error("%s: ext pending in %s\n", label,
			    case_state_name(n.state));
		/* the counters and fields each action owns */
		if (n.returns != o.returns + (a == CA_RETURN) ||
		    n.reworks != o.reworks + (a == CA_REWORK) ||
		    n.presses != o.presses + (a == CA_PRESS) ||
		    n.level != o.level - (a == CA_ESCALATE))
			bad++, print_error("%s: returns %d reworks %d presses "
			    "%d level %d\n", label, n.returns, n.reworks,
			    n.presses, n.level);
		if ((a == CA_CLOSE) != (n.closed_at == at))
			bad++, print_error("%s: closed_at %lld\n", label,
			    (long long)n.closed_at);
		if ((a == CA_DISPATCH || a == CA_REWORK) && (n.agency == NULL ||
		    strcmp(n.agency, AGENCY) != 0 || n.due_at <= at))
			bad++, print_error("%s: agency %s due %lld\n", label,
			    n.agency ? n.agency : "-", (long long)n.due_at);
		if (a == CA_RETURN && (n.agency != NULL || n.due_at != 0))
			bad++, print_error("%s: agency and deadline kept\n",
			    label);
		if ((n.state == CS_MERGED) != (n.merged_into != 0))
			bad++, print_error("%s: merged_into %lld in %s\n",
			    label, (long long)n.merged_into,
			    case_state_name(n.state));
		goto out;
	}
	/* not allowed in this state: refused, and nothing changed */
	if (rc != (a == CA_REPORT ? GL_EINVAL : GL_ESTATE)) {
		print_error("%s: rc %d (%s), want %s\n", label, rc,
		    rc == 0 ? case_state_name(n.state) : f->err,
		    a == CA_REPORT ? "GL_EINVAL" : "GL_ESTATE");
		bad++;
		goto out;
	}
	get(f, no, &x);
	if (x.version != o.version || x.state != o.state ||
	    x.ext_pending != o.ext_pending || x.due_at != o.due_at ||
	    x.updated_at != o.updated_at || x.level != o.level)
		bad++, print_error("%s: the case changed (v%lld -> v%lld)\n",
		    label, (long long)o.version, (long long)x.version);
	if (store_last_seq(f->st) != seq0)
		bad++, print_error("%s: an event was logged\n", label);
	store_case_clear(&x);
out:
	store_case_clear(&n);
	store_case_clear(&o);
	return bad;
}

static void
test_walk_all(void **state)
{
	struct fx	*f = *state;
	char		 target[32], (*nos)[32];
	time_t		 t0 = T("2026-11-30 08:30"), at;
	size_t		 s, i, k;
	int		 bad = 0, a, rows = 0;

	nos = calloc(NSIT * CA__COUNT, sizeof *nos);
	assert_non_null(nos);
	/* The target of every merge: an open case. */
	mk_plain(f, "合并目标：望京路井盖缺失", t0 - 86400, target);

	/* Build one case per (situation, action), in one transaction. */
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	for (s = 0, k = 0; s < NSIT; s++)
		for (a = 0; a < CA__COUNT; a++, k++) {
			at = t0 + (time_t)k * 3600;
			mk_hotline(f, "路灯不亮", at, nos[k]);
			apply_path(f, nos[k], situations[s].path, target, &at);
		}
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);

	/* Then try each action on its case, a day after the path. */
	for (s = 0, k = 0; s < NSIT; s++)
		for (a = 0; a < CA__COUNT; a++, k++) {
			at = t0 + (time_t)k * 3600 + 86400;
			bad += walk_one(f, &situations[s],
			    (enum case_action)a, nos[k], target, at) != 0;
			rows++;
		}
	print_message("%d (situation, action) rows over %zu situations, %d "
	    "wrong\n", rows, NSIT, bad);
	/* every event's detail is well-formed JSON */
	{
		sqlite3	*db;
		char	 buf[32];

		assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
		raw_text(db, "SELECT count(*) FROM events WHERE detail IS NULL "
		    "OR NOT json_valid(detail)", buf, sizeof buf);
		sqlite3_close(db);
		if (strcmp(buf, "0") != 0)
			bad++, print_error("%s events with bad detail\n", buf);
	}
	/* every state of the lifecycle was reached */
	for (i = 0; i < CS__COUNT; i++) {
		for (s = 0; s < NSIT; s++)
			if ((size_t)situations[s].state == i)
				break;
		if (s == NSIT)
			fail_msg("no situation in state %s",
			    case_state_name(i));
	}
	free(nos);
	assert_int_equal(bad, 0);
}

/* A call-back: a hotline case's only; its result kept on the case; an
 * unsatisfied one with reopen sends the case to the desk, one event. */
static void
test_callback(void **state)
{
	static const enum case_action line[] = { CA_REGISTER, CA_DISPATCH,
	    CA_ACKNOWLEDGE, CA_START, CA_FEEDBACK, CA_VERIFY, CA_CLOSE };
	struct fx		*f = *state;
	struct store_case	 c;
	struct case_act		 a;
	time_t			 t = T("2026-11-30 08:30");
	char			 hl[32], app[32];
	int64_t			 seq0;
	size_t			 i;

	mk_hotline(f, "回访：路灯不亮", t, hl);
	mk_plain(f, "回访：不是热线", t, app);
	for (i = 0; i < NITEMS(line); i++) {
		a = act_full(line[i], t + (time_t)i * 60, NULL);
		apply_ok(f, hl, &a);
		apply_ok(f, app, &a);
	}
	a = act_full(CA_CALLBACK, t + 3600, NULL);
	assert_int_equal(store_case_apply(f->st, app, &a, NULL, NULL, f->err,
	    sizeof f->err), GL_EINVAL);
	a.result = "fine";
	assert_int_equal(store_case_apply(f->st, hl, &a, NULL, NULL, f->err,
	    sizeof f->err), GL_EINVAL);
	a.result = "satisfied";
	a.reopen = 1;		/* only an unsatisfied one reopens */
	assert_int_equal(store_case_apply(f->st, hl, &a, NULL, NULL, f->err,
	    sizeof f->err), GL_EINVAL);
	a.reopen = 0;
	apply_ok(f, hl, &a);
	get(f, hl, &c);
	assert_int_equal(c.state, CS_CLOSED);
	assert_string_equal(c.callback, "satisfied");
	assert_true(c.callback_at == t + 3600);
	store_case_clear(&c);
	a = act_full(CA_CALLBACK, t + 7200, NULL);
	a.result = "不满意";
	a.reopen = 1;
	seq0 = store_last_seq(f->st);
	apply_ok(f, hl, &a);
	assert_true(store_last_seq(f->st) == seq0 + 1);
	get(f, hl, &c);
	assert_int_equal(c.state, CS_REGISTERED);
	assert_string_equal(c.callback, "unsatisfied");
	assert_true(c.closed_at == 0 && c.agency == NULL && c.due_at == 0);
	store_case_clear(&c);
}

/* --- what actions need ---------------------------------------------------- */

static void
test_needs(void **state)
{
	enum which { REG, IH, ACKEXT, DONE, CLOSED, MERGED, VOIDED, NWHICH };
	static const enum case_action paths[NWHICH][MAXPATH] = {
		[REG] = { CA_REGISTER, CA_REPORT },
		[IH] = { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START,
		    CA_REPORT },
		[ACKEXT] = { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE,
		    CA_EXT_REQUEST, CA_REPORT },
		[DONE] = { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START,
		    CA_FEEDBACK, CA_REPORT },
		[CLOSED] = { CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE,
		    CA_START, CA_FEEDBACK, CA_VERIFY, CA_CLOSE, CA_REPORT },
		[MERGED] = { CA_REGISTER, CA_MERGE, CA_REPORT },
		[VOIDED] = { CA_VOID, CA_REPORT },
	};
	/* Field tokens: NULL keeps act_full's value, "" empties it (NULL
	 * for pointers marked *), targets name a prepared case. */
	static const struct {
		const char	*label;
		enum which	 on;
		enum case_action a;
		const char	*agency, *code, *reason, *target, *actor;
		long		 amount;
		int		 want;
	} rows[] = {
		{ "dispatch, no agency", REG, CA_DISPATCH, "*", 0, 0, 0, 0, 2,
		    GL_EINVAL },
		{ "dispatch, empty agency", REG, CA_DISPATCH, "", 0, 0, 0, 0, 2,
		    GL_EINVAL },
		{ "return, no code", IH, CA_RETURN, 0, "*", 0, 0, 0, 2,
		    GL_EINVAL },
		{ "return, empty code", IH, CA_RETURN, 0, "", 0, 0, 0, 2,
		    GL_EINVAL },
		{ "return, bad code", IH, CA_RETURN, 0, "not_mine", 0, 0, 0, 2,
		    GL_EINVAL },
		{ "return, other without text", IH, CA_RETURN, 0, "other", "*",
		    0, 0, 2, GL_EINVAL },
		{ "return, other with empty text", IH, CA_RETURN, 0, "other",
		    "", 0, 0, 2, GL_EINVAL },
		{ "void, no reason", REG, CA_VOID, 0, 0, "*", 0, 0, 2,
		    GL_EINVAL },
		{ "void, empty reason", REG, CA_VOID, 0, 0, "", 0, 0, 2,
		    GL_EINVAL },
		{ "rework, no reason", DONE, CA_REWORK, 0, 0, "*", 0, 0, 2,
		    GL_EINVAL },
		{ "escalate, no reason", REG, CA_ESCALATE, 0, 0, "*", 0, 0, 2,
		    GL_EINVAL },
		{ "park, no reason", REG, CA_PARK, 0, 0, "*", 0, 0, 2,
		    GL_EINVAL },
		{ "refuse, no reason", ACKEXT, CA_EXT_REFUSE, 0, 0, "*", 0, 0,
		    2, GL_EINVAL },
		{ "merge, no target", REG, CA_MERGE, 0, 0, 0, "*", 0, 2,
		    GL_EINVAL },
		{ "merge, empty target", REG, CA_MERGE, 0, 0, 0, "", 0, 2,
		    GL_EINVAL },
		{ "merge into itself", REG, CA_MERGE, 0, 0, 0, "$self", 0, 2,
		    GL_EINVAL },
		{ "merge into a closed case", REG, CA_MERGE, 0, 0, 0,
		    "$closed", 0, 2, GL_ESTATE },
		{ "merge into a voided case", REG, CA_MERGE, 0, 0, 0,
		    "$voided", 0, 2, GL_ESTATE },
		{ "merge into a merged case", REG, CA_MERGE, 0, 0, 0,
		    "$merged", 0, 2, GL_ESTATE },
		{ "merge into no case", REG, CA_MERGE, 0, 0, 0,
		    "330203-20991231-99999", 0, 2, GL_ENOTFOUND },
		{ "extend, amount 0", IH, CA_EXT_REQUEST, 0, 0, 0, 0, 0, 0,
		    GL_EINVAL },
		{ "extend, amount -3", IH, CA_EXT_REQUEST, 0, 0, 0, 0, 0, -3,
		    GL_EINVAL },
		{ "extend, no reason", IH, CA_EXT_REQUEST, 0, 0, "*", 0, 0, 2,
		    GL_EINVAL },
		{ "extend, 341606371735363 (once a deadline in 1926)", IH,
		    CA_EXT_REQUEST, 0, 0, 0, 0, 0, 341606371735363L,
		    GL_ERANGE },
		{ "extend, a year of hours and one", IH, CA_EXT_REQUEST, 0, 0,
		    0, 0, 0, CAL_YEAR_HOURS + 1, GL_ERANGE },
		{ "grant, 341606371735363", ACKEXT, CA_EXT_GRANT, 0, 0, 0, 0,
		    0, 341606371735363L, GL_ERANGE },
		{ "grant, LONG_MAX", ACKEXT, CA_EXT_GRANT, 0, 0, 0, 0, 0,
		    LONG_MAX, GL_ERANGE },
		{ "no actor", REG, CA_DISPATCH, 0, 0, 0, 0, "*", 2,
		    GL_EINVAL },
		{ "empty actor", REG, CA_DISPATCH, 0, 0, 0, 0, "", 2,
		    GL_EINVAL },
		{ "report on a case", REG, CA_REPORT, 0, 0, 0, 0, 0, 2,
		    GL_EINVAL },
		{ "no such action", REG, CA__COUNT, 0, 0, 0, 0, 0, 2,
		    GL_EINVAL },
	};
	struct fx		*f = *state;
	char			 nos[NITEMS(rows)][32], other[NWHICH][32];
	struct store_case	 o, x, after;
	struct case_act		 act;
	time_t			 t0 = T("2026-11-30 09:00"), at;
	size_t			 i;
	int			 w, rc, bad = 0;
	int64_t			 seq0;

	/* prepared targets and one fresh case per row */
	for (w = 0; w < NWHICH; w++) {
		at = t0 + w * 60;
		mk_plain(f, "目标案件", at, other[w]);
		apply_path(f, other[w], paths[w], other[REG], &at);
	}
	for (i = 0; i < NITEMS(rows); i++) {
		at = t0 + 3600 + (time_t)i * 60;
		mk_plain(f, "路灯不亮", at, nos[i]);
		apply_path(f, nos[i], paths[rows[i].on], other[REG], &at);
	}
	for (i = 0; i < NITEMS(rows); i++) {
		const char	*tg = rows[i].target;

		act = act_full(rows[i].a, T("2026-12-01 10:00") + (time_t)i,
		    other[REG]);
		act.amount = rows[i].amount;
#define FIELD(fld, val)							\
		if ((val) != NULL)					\
			act.fld = strcmp((val), "*") == 0 ? NULL : (val)
		FIELD(agency, rows[i].agency);
		FIELD(reason_code, rows[i].code);
		FIELD(reason, rows[i].reason);
		FIELD(actor, rows[i].actor);
#undef FIELD
		if (tg != NULL && strcmp(tg, "$self") == 0)
			tg = nos[i];
		else if (tg != NULL && strcmp(tg, "$closed") == 0)
			tg = other[CLOSED];
		else if (tg != NULL && strcmp(tg, "$voided") == 0)
			tg = other[VOIDED];
		else if (tg != NULL && strcmp(tg, "$merged") == 0)
			tg = other[MERGED];
		if (tg != NULL)
			act.target = strcmp(tg, "*") == 0 ? NULL : tg;

		get(f, nos[i], &o);
		seq0 = store_last_seq(f->st);
		memset(&after, 0, sizeof after);
		f->err[0] = '\0';
		rc = store_case_apply(f->st, nos[i], &act, &after, NULL,
		    f->err, sizeof f->err);
		store_case_clear(&after);
		if (rc != rows[i].want)
			bad++, print_error("%s: rc %d (%s), want %d\n",
			    rows[i].label, rc, f->err, rows[i].want);
		else if (f->err[0] == '\0')
			bad++, print_error("%s: no message\n", rows[i].label);
		get(f, nos[i], &x);
		if (x.version != o.version || x.state != o.state ||
		    x.merged_into != o.merged_into ||
		    store_last_seq(f->st) != seq0)
			bad++, print_error("%s: something changed\n",
			    rows[i].label);
		store_case_clear(&x);
		store_case_clear(&o);
	}
	/* the acceptable forms of a return next to the refused ones */
	{
		static const char *const codes[] = {
			"wrong_area", "unclear_ownership", "overlapping_duty",
			"not_our_duty", "incomplete", "other", "属地不符",
			"其他",
		};
		char	no[32];

		for (i = 0; i < NITEMS(codes); i++) {
			at = t0 + 7200 + (time_t)i * 600;
			mk_plain(f, "路灯不亮", at, no);
			apply_path(f, no, paths[IH], NULL, &at);
			act = act_full(CA_RETURN, at + 60, NULL);
			act.reason_code = codes[i];
			rc = store_case_apply(f->st, no, &act, NULL, NULL,
			    f->err, sizeof f->err);
			if (rc != 0)
				bad++, print_error("return with %s: rc %d "
				    "(%s)\n", codes[i], rc, f->err);
		}
	}
	/* an unknown case */
	act = act_full(CA_REGISTER, t0, NULL);
	assert_int_equal(store_case_apply(f->st, "330203-20991231-00001", &act,
	    NULL, NULL, f->err, sizeof f->err), GL_ENOTFOUND);
	assert_int_equal(store_case_get(f->st, "330203-20991231-00001", &o,
	    f->err, sizeof f->err), GL_ENOTFOUND);
	assert_int_equal(bad, 0);
}

/* The log keeps a return's reason under its one canonical code, whichever
 * name (English or Chinese) the operator's client sent, so that return
 * figures by reason count one code once. */
static void
test_return_code_canonical(void **state)
{
	static const enum case_action path[] = {
		CA_REGISTER, CA_DISPATCH, CA_REPORT
	};
	struct fx	*f = *state;
	struct case_act	 act;
	struct evs	 v;
	char		 no[32];
	time_t		 at = T("2026-11-30 09:00");

	mk_plain(f, "路灯不亮", at, no);
	apply_path(f, no, path, NULL, &at);
	act = act_full(CA_RETURN, at + 60, NULL);
	act.reason_code = "属地不符";
	apply_ok(f, no, &act);
	history(f, no, &v);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.e[3].action, "return");
	assert_string_equal(v.e[3].code, "wrong_area");
}

/* --- optimistic concurrency ----------------------------------------------- */

static void
test_conflict(void **state)
{
	struct fx		*f = *state;
	struct store_case	 seen1, seen2, after;
	struct case_act		 a1, a2;
	char			 no[32];
	time_t			 t = T("2026-11-30 09:00");
	int64_t			 v, seq, s1 = 0, s2 = 0;

	mk_plain(f, "井盖缺失", t, no);
	a1 = act_full(CA_REGISTER, t + 60, NULL);
	apply_ok(f, no, &a1);

	/* two dispatchers read the same version */
	get(f, no, &seen1);
	get(f, no, &seen2);
	v = seen1.version;
	assert_int_equal(seen2.version, v);

	a1 = act_full(CA_DISPATCH, t + 120, NULL);
	a1.actor = "调度员甲";
	a1.version = v;
	memset(&after, 0, sizeof after);
	assert_int_equal(store_case_apply(f->st, no, &a1, &after, &s1, f->err,
	    sizeof f->err), 0);
	assert_int_equal(after.version, v + 1);
	assert_int_equal(after.state, CS_DISPATCHED);
	store_case_clear(&after);
	seq = store_last_seq(f->st);
	assert_int_equal(s1, seq);

	a2 = act_full(CA_VOID, t + 125, NULL);
	a2.actor = "调度员乙";
	a2.version = v;
	memset(&after, 0, sizeof after);
	s2 = -7;
	assert_int_equal(store_case_apply(f->st, no, &a2, &after, &s2, f->err,
	    sizeof f->err), GL_ECONFLICT);
	assert_true(f->err[0] != '\0');
	/* after holds the case as it is now */
	assert_int_equal(after.version, v + 1);
	assert_int_equal(after.state, CS_DISPATCHED);
	assert_string_equal(after.no, no);
	assert_string_equal(after.agency, AGENCY);
	store_case_clear(&after);
	assert_int_equal(store_last_seq(f->st), seq);
	get(f, no, &after);
	assert_int_equal(after.version, v + 1);
	assert_int_equal(after.state, CS_DISPATCHED);
	store_case_clear(&after);

	/* a version from the future is a conflict too */
	a2 = act_full(CA_PRESS, t + 130, NULL);
	a2.version = v + 5;
	memset(&after, 0, sizeof after);
	assert_int_equal(store_case_apply(f->st, no, &a2, &after, NULL,
	    f->err, sizeof f->err), GL_ECONFLICT);
	store_case_clear(&after);
	assert_int_equal(store_last_seq(f->st), seq);

	/* the second dispatcher rereads and decides again: accepted */
	a2 = act_full(CA_PRESS, t + 180, NULL);
	a2.version = v + 1;
	memset(&after, 0, sizeof after);
	assert_int_equal(store_case_apply(f->st, no, &a2, &after, NULL,
	    f->err, sizeof f->err), 0);
	assert_int_equal(after.version, v + 2);
	assert_int_equal(after.presses, 1);
	store_case_clear(&after);
	/* version 0: any */
	a2.version = 0;
	a2.at += 60;
	apply_ok(f, no, &a2);
	store_case_clear(&seen1);
	store_case_clear(&seen2);
}

/* --- deadlines ------------------------------------------------------------ */

struct dl_step {
	enum case_action	 a;
	const char		*at;
	long			 amount;	/* 0: act_full's 2 */
	const char		*due;		/* expected due_at, NULL: any */
	const char		*paused;	/* expected paused_at, "-" 0 */
	long			 remaining;	/* checked when paused */
};

static int
dl_walk(struct fx *f, const char *label, long limit, enum cal_unit unit,
    const struct dl_step *steps, size_t n)
{
	struct incident		 in;
	struct store_case	 c;
	struct case_act		 a;
	char			 no[32], target[32] = "";
	size_t			 i;
	int			 bad = 0, rc;

	inc_init(&in, "井盖缺失", T(steps[0].at) - 3600);
	in.limit = limit;
	in.unit = unit;
	mk(f, &in, T(steps[0].at) - 3600, no);
	for (i = 0; i < n; i++)
		if (steps[i].a == CA_MERGE && target[0] == '\0') {
			inc_init(&in, "合并目标", T(steps[0].at) - 7200);
			in.grid = "330203003009009";
			mk(f, &in, T(steps[0].at) - 3600, target);
		}
	for (i = 0; i < n; i++) {
		a = act_full(steps[i].a, T(steps[i].at), target);
		if (steps[i].amount != 0)
			a.amount = steps[i].amount;
		if (steps[i].amount < 0)
			a.amount = 0;
		memset(&c, 0, sizeof c);
		rc = store_case_apply(f->st, no, &a, &c, NULL, f->err,
		    sizeof f->err);
		if (rc != 0) {
			print_error("%s: step %zu %s: rc %d (%s)\n", label, i,
			    case_action_name(steps[i].a), rc, f->err);
			return bad + 1;
		}
		if (steps[i].due != NULL && c.due_at != T(steps[i].due)) {
			char	got[32];

			gltime_format(c.due_at, GLTIME_CHINA, got, sizeof got);
			print_error("%s: after %s at %s due %s, want %s\n",
			    label, case_action_name(steps[i].a), steps[i].at,
			    c.due_at ? got : "0", steps[i].due);
			bad++;
		}
		if (steps[i].paused != NULL) {
			time_t want = strcmp(steps[i].paused, "-") == 0 ? 0 :
			    T(steps[i].paused);

			if (c.paused_at != want ||
			    (want != 0 && c.remaining != steps[i].remaining))
				bad++, print_error("%s: after %s paused_at "
				    "%lld remaining %ld, want %s / %ld\n",
				    label, case_action_name(steps[i].a),
				    (long long)c.paused_at, c.remaining,
				    steps[i].paused, steps[i].remaining);
		}
		store_case_clear(&c);
	}
	return bad;
}

static void
test_deadlines(void **state)
{
	/* 8 工作时 from Friday 16:00: Fri 16:00-17:30 1.5 h, Mon 08:30-12:00
	 * 3.5 h (5 h), 13:30-16:30 3 h: Mon 30 Nov 16:30. Parked Fri 17:00
	 * with 7 h left (0.5 + 3.5 + 3); unparked Wed 2 Dec 10:00: 10:00-12:00
	 * 2 h, 13:30-17:30 4 h, Thu 08:30-09:30: Thu 3 Dec 09:30. */
	static const struct dl_step park[] = {
		{ CA_REGISTER, "2026-11-27 15:50", 0, "1970-01-01 08:00", "-",
		    0 },
		{ CA_DISPATCH, "2026-11-27 16:00", 0, "2026-11-30 16:30", "-",
		    0 },
		{ CA_PARK, "2026-11-27 17:00", 0, NULL, "2026-11-27 17:00",
		    7 * 3600 },
		{ CA_UNPARK, "2026-12-02 10:00", 0, "2026-12-03 09:30", "-",
		    0 },
		{ CA_ACKNOWLEDGE, "2026-12-02 10:05", 0, "2026-12-03 09:30",
		    "-", 0 },
	};
	/* Dispatched Mon 30 Nov 09:00, 8 h: 3 h + 4 h + Tue 08:30-09:30.
	 * Request at Mon 11:00 with 6 h left (1 + 4 + 1). Grant 4 h on Tue 1
	 * Dec 14:00: 10 h from then: 3.5 h, Wed 3.5 h (7), 13:30-16:30. */
	static const struct dl_step grant[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_ACKNOWLEDGE, "2026-11-30 09:30", 0, "2026-12-01 09:30",
		    "-", 0 },
		{ CA_START, "2026-11-30 10:00", 0, "2026-12-01 09:30", "-", 0 },
		{ CA_EXT_REQUEST, "2026-11-30 11:00", 4, NULL,
		    "2026-11-30 11:00", 6 * 3600 },
		{ CA_EXT_GRANT, "2026-12-01 14:00", 4, "2026-12-02 16:30", "-",
		    0 },
	};
	/* The same, granted without an amount: the requested 4 h. */
	static const struct dl_step grant_asked[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_ACKNOWLEDGE, "2026-11-30 09:30", 0, NULL, "-", 0 },
		{ CA_EXT_REQUEST, "2026-11-30 11:00", 4, NULL,
		    "2026-11-30 11:00", 6 * 3600 },
		{ CA_EXT_GRANT, "2026-12-01 14:00", -1, "2026-12-02 16:30",
		    "-", 0 },
	};
	/* Refused at Tue 14:00: the 6 h left resume: 3.5 h, Wed 08:30 +
	 * 2.5 h = Wed 2 Dec 11:00. */
	static const struct dl_step refuse[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_ACKNOWLEDGE, "2026-11-30 09:30", 0, NULL, "-", 0 },
		{ CA_START, "2026-11-30 10:00", 0, NULL, "-", 0 },
		{ CA_EXT_REQUEST, "2026-11-30 11:00", 4, NULL,
		    "2026-11-30 11:00", 6 * 3600 },
		{ CA_EXT_REFUSE, "2026-12-01 14:00", 0, "2026-12-02 11:00", "-",
		    0 },
	};
	/* 24 自然时 from Fri 16:00: Sat 16:00 (nights and weekends count).
	 * Parked Fri 17:00 with 23 h left, unparked Sat 10:00: Sun 09:00. */
	static const struct dl_step natural[] = {
		{ CA_REGISTER, "2026-11-27 15:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-27 16:00", 0, "2026-11-28 16:00", "-",
		    0 },
		{ CA_PARK, "2026-11-27 17:00", 0, NULL, "2026-11-27 17:00",
		    23 * 3600 },
		{ CA_UNPARK, "2026-11-28 10:00", 0, "2026-11-29 09:00", "-",
		    0 },
	};
	/* 2 工作日 from Mon 10:00: Wed 10:00. */
	static const struct dl_step workdays[] = {
		{ CA_REGISTER, "2026-11-30 09:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 10:00", 0, "2026-12-02 10:00", "-",
		    0 },
	};
	/* Dispatched at 19:00, outside working time: the clock starts Tue
	 * 08:30; 8 h: 3.5 + 4 + Wed 08:30-09:00. */
	static const struct dl_step evening[] = {
		{ CA_REGISTER, "2026-11-30 18:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 19:00", 0, "2026-12-02 09:00", "-",
		    0 },
	};
	/* Rework gives a new full limit: Tue 15:00 + 8 h = 2.5 h, Wed 3.5 h
	 * (6 h), 13:30-15:30. */
	static const struct dl_step rework[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_ACKNOWLEDGE, "2026-11-30 09:30", 0, NULL, "-", 0 },
		{ CA_START, "2026-11-30 10:00", 0, NULL, "-", 0 },
		{ CA_FEEDBACK, "2026-12-01 09:00", 0, "2026-12-01 09:30", NULL,
		    0 },
		{ CA_REWORK, "2026-12-01 15:00", 0, "2026-12-02 15:30", "-",
		    0 },
	};
	/* Merged Mon 10:00 with 7 h left (2 + 4 + 1); unmerged Mon 14:00:
	 * 3.5 h, Tue 08:30-12:00 3.5 h: Tue 12:00 (a period's end). */
	static const struct dl_step merge[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_MERGE, "2026-11-30 10:00", 0, NULL, "2026-11-30 10:00",
		    7 * 3600 },
		{ CA_UNMERGE, "2026-11-30 14:00", 0, "2026-12-01 12:00", "-",
		    0 },
	};
	/* Overdue when parked (due Tue 09:30, parked Tue 10:30): the
	 * deadline is kept, parking does not forgive lateness. */
	static const struct dl_step late_park[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_PARK, "2026-12-01 10:30", 0, NULL, "2026-12-01 10:30",
		    -3600 },
		/* overdue by 1 h when parked: resumes 1 working hour
		 * overdue, Wed 10:00 - 1 h = Wed 09:00 */
		{ CA_UNPARK, "2026-12-02 10:00", 0, "2026-12-02 09:00", "-",
		    0 },
	};
	/* Overdue by 2 h when the extension is asked (Tue 11:30); 8 h
	 * granted at Tue 14:00 leave 6 h: 3.5 h, Wed 08:30 + 2.5 h. */
	static const struct dl_step late_grant[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_ACKNOWLEDGE, "2026-11-30 09:30", 0, NULL, "-", 0 },
		{ CA_EXT_REQUEST, "2026-12-01 11:30", 8, NULL,
		    "2026-12-01 11:30", -2 * 3600 },
		{ CA_EXT_GRANT, "2026-12-01 14:00", 8, "2026-12-02 11:00", "-",
		    0 },
	};
	/* Returned: the agency's deadline is gone; dispatched again from
	 * the dispatch time. */
	static const struct dl_step redispatch[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_RETURN, "2026-11-30 09:20", 0, "1970-01-01 08:00", "-",
		    0 },
		{ CA_DISPATCH, "2026-11-30 13:30", 0, "2026-12-01 14:00", "-",
		    0 },
	};
	struct fx	*f = *state;
	int		 bad = 0;

	bad += dl_walk(f, "park", 8, CAL_WORK_HOURS, park, NITEMS(park));
	bad += dl_walk(f, "grant", 8, CAL_WORK_HOURS, grant, NITEMS(grant));
	bad += dl_walk(f, "grant asked", 8, CAL_WORK_HOURS, grant_asked,
	    NITEMS(grant_asked));
	bad += dl_walk(f, "refuse", 8, CAL_WORK_HOURS, refuse,
	    NITEMS(refuse));
	bad += dl_walk(f, "natural", 24, CAL_HOURS, natural, NITEMS(natural));
	bad += dl_walk(f, "workdays", 2, CAL_WORK_DAYS, workdays,
	    NITEMS(workdays));
	bad += dl_walk(f, "evening", 8, CAL_WORK_HOURS, evening,
	    NITEMS(evening));
	bad += dl_walk(f, "rework", 8, CAL_WORK_HOURS, rework,
	    NITEMS(rework));
	bad += dl_walk(f, "merge", 8, CAL_WORK_HOURS, merge, NITEMS(merge));
	bad += dl_walk(f, "late park", 8, CAL_WORK_HOURS, late_park,
	    NITEMS(late_park));
	bad += dl_walk(f, "late grant", 8, CAL_WORK_HOURS, late_grant,
	    NITEMS(late_grant));
	bad += dl_walk(f, "redispatch", 8, CAL_WORK_HOURS, redispatch,
	    NITEMS(redispatch));
	assert_int_equal(bad, 0);
}

/* An extension granted on a case already overdue by more than the grant
 * still moves its deadline later by the granted time. */
static void
test_late_small_grant(void **state)
{
	/* Due Tue 09:30; asked at Tue 11:30 (2 h late), granted 1 h at Tue
	 * 14:00. */
	static const struct dl_step steps[] = {
		{ CA_REGISTER, "2026-11-30 08:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-30 09:00", 0, "2026-12-01 09:30", "-",
		    0 },
		{ CA_ACKNOWLEDGE, "2026-11-30 09:30", 0, NULL, "-", 0 },
		{ CA_EXT_REQUEST, "2026-12-01 11:30", 1, NULL,
		    "2026-12-01 11:30", -2 * 3600 },
		{ CA_EXT_GRANT, "2026-12-01 14:00", 1, NULL, "-", 0 },
	};
	struct fx		*f = *state;
	struct store_case	 c;
	char			 no[32];

	assert_int_equal(dl_walk(f, "late small grant", 8, CAL_WORK_HOURS,
	    steps, NITEMS(steps)), 0);
	/* the case made by dl_walk is the only one */
	snprintf(no, sizeof no, "330203-20261130-00001");
	get(f, no, &c);
	if (c.due_at <= T("2026-12-01 09:30")) {
		char	got[32];

		gltime_format(c.due_at, GLTIME_CHINA, got, sizeof got);
		store_case_clear(&c);
		fail_msg("1 h granted on a case 2 h late: due still %s, want "
		    "later than the old 2026-12-01 09:30 (10:30 if the pause "
		    "counts as lateness, 11:30 if it does not)", got);
	}
	store_case_clear(&c);
}

/* The store's calendar can be replaced: a holiday Monday moves the due. */
static void
test_deadline_calendar(void **state)
{
	static const struct dl_step holiday[] = {
		{ CA_REGISTER, "2026-11-27 15:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-27 16:00", 0, "2026-12-01 16:30", "-",
		    0 },
	};
	static const struct dl_step plain[] = {
		{ CA_REGISTER, "2026-11-27 15:50", 0, NULL, "-", 0 },
		{ CA_DISPATCH, "2026-11-27 16:00", 0, "2026-11-30 16:30", "-",
		    0 },
	};
	struct fx	*f = *state;
	struct calendar	*cal;

	assert_int_equal(calendar_new(&cal), 0);
	assert_int_equal(calendar_day_set(cal, 2026, 11, 30,
	    CAL_DAY_HOLIDAY), 0);
	store_set_calendar(f->st, cal);
	assert_int_equal(dl_walk(f, "holiday", 8, CAL_WORK_HOURS, holiday,
	    NITEMS(holiday)), 0);
	store_set_calendar(f->st, NULL);	/* back to the default */
	calendar_free(cal);
	assert_int_equal(dl_walk(f, "default again", 8, CAL_WORK_HOURS, plain,
	    NITEMS(plain)), 0);
}

/* --- returns, escalation -------------------------------------------------- */

static void
test_returns_escalate(void **state)
{
	static const enum case_action to_dispatched[] = {
		CA_REGISTER, CA_DISPATCH, CA_REPORT
	};
	struct fx		*f = *state;
	struct store_case	 c;
	struct case_act		 a;
	struct evs		 v;
	char			 no[32];
	time_t			 at = T("2026-11-30 09:00");
	int64_t			 seq;

	mk_plain(f, "流动摊贩占道经营", at, no);
	apply_path(f, no, to_dispatched, NULL, &at);
	a = act_full(CA_RETURN, at += 600, NULL);
	a.reason_code = "wrong_area";
	apply_ok(f, no, &a);
	get(f, no, &c);
	assert_int_equal(c.state, CS_RETURNED);
	assert_int_equal(c.returns, 1);
	assert_null(c.agency);
	assert_int_equal(c.due_at, 0);
	store_case_clear(&c);
	a = act_full(CA_DISPATCH, at += 600, NULL);
	a.agency = "330203003.ZFZD";
	apply_ok(f, no, &a);
	a = act_full(CA_RETURN, at += 600, NULL);
	a.reason_code = "other";
	a.reason = "该路段由市场监管负责";
	apply_ok(f, no, &a);
	get(f, no, &c);
	assert_int_equal(c.returns, 2);		/* the dispute threshold */
	assert_int_equal(c.state, CS_RETURNED);
	assert_int_equal(c.level, 2);
	store_case_clear(&c);

	history(f, no, &v);
	assert_int_equal(v.n, 6);
	assert_string_equal(v.e[3].action, "return");
	assert_string_equal(v.e[3].code, "wrong_area");
	assert_string_equal(v.e[3].agency, AGENCY);
	assert_string_equal(v.e[5].code, "other");
	assert_string_equal(v.e[5].reason, "该路段由市场监管负责");
	assert_string_equal(v.e[5].agency, "330203003.ZFZD");
	assert_string_equal(v.e[4].agency, "330203003.ZFZD");

	/* up: township (2) -> district (1) -> city (0) -> refused */
	a = act_full(CA_ESCALATE, at += 600, NULL);
	apply_ok(f, no, &a);
	get(f, no, &c);
	assert_int_equal(c.state, CS_ESCALATED);
	assert_int_equal(c.level, 1);
	store_case_clear(&c);
	a = act_full(CA_ESCALATE, at += 600, NULL);
	apply_ok(f, no, &a);
	get(f, no, &c);
	assert_int_equal(c.state, CS_ESCALATED);
	assert_int_equal(c.level, 0);
	store_case_clear(&c);
	seq = store_last_seq(f->st);
	a = act_full(CA_ESCALATE, at += 600, NULL);
	assert_int_equal(store_case_apply(f->st, no, &a, NULL, NULL, f->err,
	    sizeof f->err), GL_ESTATE);
	get(f, no, &c);
	assert_int_equal(c.level, 0);
	assert_int_equal(c.version, 8);
	store_case_clear(&c);
	assert_int_equal(store_last_seq(f->st), seq);
	/* dispatchable at the city */
	a = act_full(CA_DISPATCH, at += 600, NULL);
	a.agency = "330200.ZJ";
	apply_ok(f, no, &a);
	get(f, no, &c);
	assert_int_equal(c.state, CS_DISPATCHED);
	assert_int_equal(c.level, 0);
	assert_int_equal(c.returns, 2);
	assert_string_equal(c.agency, "330200.ZJ");
	store_case_clear(&c);
}

/* --- merge/unmerge, park/unpark ------------------------------------------- */

static void
test_merge_park(void **state)
{
	static const enum case_action to_dispatched[] = {
		CA_REGISTER, CA_DISPATCH, CA_REPORT
	};
	static const enum case_action to_acknowledged[] = {
		CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_REPORT
	};
	static const enum case_action to_registered[] = {
		CA_REGISTER, CA_REPORT
	};
	struct fx		*f = *state;
	struct store_case	 c, t;
	struct case_act		 a;
	struct evs		 v;
	char			 tno[32], no[32], no2[32], no3[32];
	time_t			 at = T("2026-11-30 09:00");

	mk_plain(f, "西门街道望京路井盖缺失", at, tno);
	apply_path(f, tno, to_registered, NULL, &at);
	get(f, tno, &t);

	/* a dispatched duplicate merged in, and out again */
	mk_plain(f, "望京路井盖缺失", at, no);
	apply_path(f, no, to_dispatched, NULL, &at);
	a = act_full(CA_MERGE, at += 600, tno);
	apply_ok(f, no, &a);
	get(f, no, &c);
	assert_int_equal(c.state, CS_MERGED);
	assert_int_equal(c.merged_into, t.id);
	assert_string_equal(c.merged_no, tno);
	assert_int_equal(c.before, CS_DISPATCHED);
	assert_false(case_state_open(c.state));
	store_case_clear(&c);
	history(f, no, &v);
	assert_non_null(strstr(v.e[v.n - 1].detail, tno));
	a = act_full(CA_UNMERGE, at += 600, NULL);
	apply_ok(f, no, &a);
	get(f, no, &c);
	assert_int_equal(c.state, CS_DISPATCHED);
	assert_int_equal(c.merged_into, 0);
	assert_string_equal(c.merged_no, "");
	assert_string_equal(c.agency, AGENCY);
	store_case_clear(&c);

	/* a reported one: back to reported */
	mk_plain(f, "井盖没了", at, no2);
	a = act_full(CA_MERGE, at += 600, tno);
	apply_ok(f, no2, &a);
	a = act_full(CA_UNMERGE, at += 600, NULL);
	apply_ok(f, no2, &a);
	get(f, no2, &c);
	assert_int_equal(c.state, CS_REPORTED);
	assert_int_equal(c.merged_into, 0);
	store_case_clear(&c);

	/* the target is untouched by either */
	get(f, tno, &c);
	assert_int_equal(c.state, CS_REGISTERED);
	assert_int_equal(c.version, t.version);
	store_case_clear(&c);
	store_case_clear(&t);

	/* park/unpark: back where it was */
	mk_plain(f, "违章搭建", at, no3);
	apply_path(f, no3, to_registered, NULL, &at);
	a = act_full(CA_PARK, at += 600, NULL);
	apply_ok(f, no3, &a);
	get(f, no3, &c);
	assert_int_equal(c.state, CS_PARKED);
	assert_int_equal(c.before, CS_REGISTERED);
	assert_true(case_state_open(c.state));
	store_case_clear(&c);
	a = act_full(CA_UNPARK, at += 600, NULL);
	apply_ok(f, no3, &a);
	get(f, no3, &c);
	assert_int_equal(c.state, CS_REGISTERED);
	store_case_clear(&c);

	mk_plain(f, "违章搭建二", at, no3);
	apply_path(f, no3, to_acknowledged, NULL, &at);
	a = act_full(CA_PARK, at += 600, NULL);
	apply_ok(f, no3, &a);
	a = act_full(CA_UNPARK, at += 600, NULL);
	apply_ok(f, no3, &a);
	get(f, no3, &c);
	assert_int_equal(c.state, CS_ACKNOWLEDGED);
	assert_string_equal(c.agency, AGENCY);
	store_case_clear(&c);

	/* a parked case whose extension was pending: the request lapses */
	mk_plain(f, "违章搭建三", at, no3);
	apply_path(f, no3, to_acknowledged, NULL, &at);
	a = act_full(CA_EXT_REQUEST, at += 600, NULL);
	apply_ok(f, no3, &a);
	a = act_full(CA_PARK, at += 600, NULL);
	apply_ok(f, no3, &a);
	get(f, no3, &c);
	assert_int_equal(c.ext_pending, 0);
	store_case_clear(&c);
	a = act_full(CA_UNPARK, at += 600, NULL);
	apply_ok(f, no3, &a);
	get(f, no3, &c);
	assert_int_equal(c.state, CS_ACKNOWLEDGED);
	assert_int_equal(c.ext_pending, 0);
	assert_int_equal(c.paused_at, 0);
	assert_true(c.due_at != 0);
	store_case_clear(&c);
}

/* --- the event log -------------------------------------------------------- */

static void
test_append_only(void **state)
{
	static const char *const sql[] = {
		"UPDATE events SET actor = 'someone else'",
		"UPDATE events SET at = at + 1 WHERE seq = 1",
		"DELETE FROM events",
		"DELETE FROM events WHERE seq = 2",
		"INSERT OR REPLACE INTO events (seq, case_id, version, at, "
		    "actor, action, to_state) VALUES (1, 1, 1, 0, 'x', "
		    "'report', 'reported')",
		"REPLACE INTO events (seq, case_id, version, at, actor, "
		    "action, to_state) SELECT seq, case_id, version, at, 'x', "
		    "action, to_state FROM events",
	};
	static const enum case_action path[] = {
		CA_REGISTER, CA_DISPATCH, CA_REPORT
	};
	struct fx	*f = *state;
	struct evs	 v;
	sqlite3		*db;
	char		 no[32], *msg;
	time_t		 at = T("2026-11-30 09:00");
	size_t		 i;
	int		 bad = 0;

	mk_plain(f, "井盖缺失", at, no);
	apply_path(f, no, path, NULL, &at);
	assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
	for (i = 0; i < NITEMS(sql); i++) {
		msg = NULL;
		if (sqlite3_exec(db, sql[i], NULL, NULL, &msg) == SQLITE_OK)
			bad++, print_error("accepted: %s\n", sql[i]);
		sqlite3_free(msg);
	}
	sqlite3_close(db);
	assert_int_equal(bad, 0);
	history(f, no, &v);
	assert_int_equal(v.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(v.e[i].seq, (int64_t)i + 1);
		assert_string_not_equal(v.e[i].actor, "someone else");
		assert_string_not_equal(v.e[i].actor, "x");
	}
	assert_string_equal(v.e[0].actor, "网格员张三");
	assert_int_equal(v.e[0].at, T("2026-11-30 09:00"));
	/* the store still writes after the raw connection is gone */
	{
		struct case_act a = act_full(CA_PRESS, at + 60, NULL);

		apply_ok(f, no, &a);
	}
	assert_int_equal(store_last_seq(f->st), 4);
}

static void
test_history_events(void **state)
{
	static const enum case_action pa[] = {
		CA_REGISTER, CA_DISPATCH, CA_ACKNOWLEDGE, CA_START,
		CA_FEEDBACK, CA_VERIFY, CA_CLOSE, CA_REPORT
	};
	static const char *const pa_names[] = {
		"report", "register", "dispatch", "acknowledge", "start",
		"feedback", "verify", "close"
	};
	static const enum case_action pb[] = {
		CA_REGISTER, CA_PARK, CA_UNPARK, CA_REPORT
	};
	struct fx	*f = *state;
	struct evs	 v, all;
	struct case_act	 a;
	char		 na[32], nb[32], nc[32];
	time_t		 at = T("2026-11-30 09:00"), ta = at, tb = at;
	int64_t		 last, k, after;
	size_t		 i;
	int		 j;

	/* interleave three cases */
	mk_plain(f, "井盖缺失", at, na);
	mk_plain(f, "路灯不亮", at + 60, nb);
	for (i = 0; pa[i] != CA_REPORT; i++) {
		a = act_full(pa[i], (ta += 600), NULL);
		apply_ok(f, na, &a);
		if (i < 3) {
			a = act_full(pb[i], (tb += 601), NULL);
			apply_ok(f, nb, &a);
		}
	}
	mk_plain(f, "流动摊贩占道经营", at + 7200, nc);

	history(f, na, &v);
	assert_int_equal(v.n, (int)NITEMS(pa_names));
	for (j = 0; j < v.n; j++) {
		assert_string_equal(v.e[j].action, pa_names[j]);
		assert_string_equal(v.e[j].case_no, na);
		assert_int_equal(v.e[j].version, j + 1);
		if (j > 0) {
			assert_true(v.e[j].seq > v.e[j - 1].seq);
			assert_string_equal(v.e[j].from, v.e[j - 1].to);
		}
	}
	assert_true(v.e[0].from_null);
	assert_string_equal(v.e[v.n - 1].to, "closed");
	history(f, nb, &v);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.e[2].action, "park");
	assert_string_equal(v.e[3].action, "unpark");
	assert_string_equal(v.e[3].from, "parked");
	assert_string_equal(v.e[3].to, "registered");
	history(f, "330203-20991231-00001", &v);
	assert_int_equal(v.n, 0);

	/* the whole log: seq 1..N, gap-free */
	last = store_last_seq(f->st);
	assert_int_equal(last, 8 + 4 + 1);
	memset(&all, 0, sizeof all);
	assert_int_equal(store_events(f->st, 0, 1000, ev_collect, &all,
	    f->err, sizeof f->err), 0);
	assert_int_equal(all.n, last);
	for (j = 0; j < all.n; j++)
		assert_int_equal(all.e[j].seq, j + 1);

	/* pages of every size give the same log */
	for (k = 1; k <= last + 1; k++) {
		int	n = 0;

		for (after = 0;;) {
			memset(&v, 0, sizeof v);
			assert_int_equal(store_events(f->st, after, (int)k,
			    ev_collect, &v, f->err, sizeof f->err), 0);
			assert_true(v.n <= k);
			for (j = 0; j < v.n; j++, n++) {
				assert_int_equal(v.e[j].seq, all.e[n].seq);
				assert_string_equal(v.e[j].action,
				    all.e[n].action);
				assert_string_equal(v.e[j].case_no,
				    all.e[n].case_no);
			}
			if (v.n == 0)
				break;
			after = v.e[v.n - 1].seq;
		}
		assert_int_equal(n, last);
	}
	/* from the middle; past the end; limit 0 */
	memset(&v, 0, sizeof v);
	assert_int_equal(store_events(f->st, 5, 3, ev_collect, &v, f->err,
	    sizeof f->err), 0);
	assert_int_equal(v.n, 3);
	assert_int_equal(v.e[0].seq, 6);
	assert_int_equal(v.e[2].seq, 8);
	memset(&v, 0, sizeof v);
	assert_int_equal(store_events(f->st, last, 10, ev_collect, &v, f->err,
	    sizeof f->err), 0);
	assert_int_equal(v.n, 0);
	memset(&v, 0, sizeof v);
	assert_int_equal(store_events(f->st, 0, 0, ev_collect, &v, f->err,
	    sizeof f->err), 0);
	assert_int_equal(v.n, 0);
	/* a callback may stop the walk */
	memset(&v, 0, sizeof v);
	v.stop_after = 2;
	assert_int_equal(store_events(f->st, 0, 100, ev_collect, &v, f->err,
	    sizeof f->err), 0);
	assert_int_equal(v.n, 2);
	memset(&v, 0, sizeof v);
	v.stop_after = 1;
	assert_int_equal(store_case_history(f->st, na, ev_collect, &v, f->err,
	    sizeof f->err), 0);
	assert_int_equal(v.n, 1);
	/* the statements are reusable after a stopped walk */
	history(f, na, &v);
	assert_int_equal(v.n, 8);
}

/* --- search --------------------------------------------------------------- */

struct hits {
	char		 no[32][32];
	int64_t		 id[32];
	int		 n;
};

static int
hit_collect(void *arg, const struct store_case *c)
{
	struct hits	*h = arg;

	if (h->n < 32) {
		snprintf(h->no[h->n], sizeof h->no[h->n], "%s", c->no);
		h->id[h->n] = c->id;
	}
	h->n++;
	return 0;
}

static void
test_search(void **state)
{
	/* the cases, oldest first; ids 1.. in this order */
	static const struct {
		const char	*summary, *address;
	} cases[] = {
		/* 1 */ { "西门街道望京路井盖缺失", "望京路12号" },
		/* 2 */ { "路灯不亮", "中山西路88号" },
		/* 3 */ { "流动摊贩占道经营", "外滩天主教堂门前" },
		/* 4 */ { "望京路路灯不亮", NULL },
		/* 5 */ { "噪音扰民，分贝超标50%", "鼓楼步行街" },
		/* 6 */ { "井盖松动 ABC_def", "药行街" },
		/* 7 */ { "雨水井盖缺失", "中山东路" },
	};
	/* expected hits, newest first, as case indexes 1..7 */
	static const struct {
		const char	*q;
		int		 limit;
		int		 rc;
		int		 hits[8];	/* 0-terminated */
	} rows[] = {
		{ "井盖缺", 20, 0, { 7, 1 } },		/* FTS */
		{ "井盖缺失", 20, 0, { 7, 1 } },
		{ "井盖", 20, 0, { 7, 6, 1 } },		/* 2 chars: scan */
		{ "路灯", 20, 0, { 4, 2 } },
		{ "灯", 20, 0, { 4, 2 } },		/* 1 char */
		{ "井", 20, 0, { 7, 6, 1 } },
		{ "井盖 望京路", 20, 0, { 1 } },	/* mixed */
		{ "望京路 井盖", 20, 0, { 1 } },
		{ "路灯 望京路", 20, 0, { 4 } },
		{ "  井盖\t缺失  ", 20, 0, { 7, 1 } },
		/* U+3000, the space a Chinese IME types, is a blank too */
		{ "井盖\xe3\x80\x80" "望京路", 20, 0, { 1 } },
		{ "望京路", 20, 0, { 4, 1 } },	/* summary or address */
		{ "中山西路", 20, 0, { 2 } },		/* address only */
		{ "外滩", 20, 0, { 3 } },		/* short, address */
		{ "天主教堂", 20, 0, { 3 } },
		{ "鼓楼", 20, 0, { 5 } },
		{ "占道经营", 20, 0, { 3 } },
		{ "城管执法", 20, 0, { 0 } },		/* no hit */
		{ "井盖 路灯", 20, 0, { 0 } },
		{ "%", 20, 0, { 5 } },			/* literal */
		{ "_", 20, 0, { 6 } },
		{ "%%", 20, 0, { 0 } },
		{ "50%", 20, 0, { 5 } },
		{ "C_d", 20, 0, { 6 } },
		{ "C_D", 20, 0, { 6 } },
		{ "_de", 20, 0, { 6 } },
		{ "%路%", 20, 0, { 0 } },
		{ "\"", 20, 0, { 0 } },
		{ "\"井盖", 20, 0, { 0 } },
		{ "井盖\"", 20, 0, { 0 } },
		{ "\"井盖缺\"", 20, 0, { 0 } },
		{ "\"\"\"", 20, 0, { 0 } },
		{ "井盖 OR 路灯", 20, 0, { 0 } },
		{ "井盖*", 20, 0, { 0 } },
		{ "NEAR(井盖 路灯)", 20, 0, { 0 } },
		{ "abc", 20, 0, { 6 } },
		{ "路", 2, 0, { 7, 4 } },		/* limit */
		{ "路", 1, 0, { 7 } },
		{ "路", 20, 0, { 7, 4, 2, 1 } },
		{ "井盖缺", 1, 0, { 7 } },
		{ "", 20, GL_EINVAL, { 0 } },
		{ "   ", 20, GL_EINVAL, { 0 } },
		{ "\t", 20, GL_EINVAL, { 0 } },
		{ "\xff\xfe", 20, GL_EUTF8, { 0 } },
		{ "井\xe7\x9b", 20, GL_EUTF8, { 0 } },	/* cut in half */
		{ "\xc0\xaf", 20, GL_EUTF8, { 0 } },	/* overlong "/" */
		{ "a b c d e f g h i", 20, GL_EINVAL, { 0 } },	/* 9 words */
	};
	struct fx	*f = *state;
	struct incident	 in;
	struct hits	 h;
	char		 nos[NITEMS(cases)][32];
	time_t		 t = T("2026-11-24 08:00");
	size_t		 i, j;
	int		 rc, bad = 0, n;

	for (i = 0; i < NITEMS(cases); i++) {
		inc_init(&in, cases[i].summary, t + (time_t)i * 7200);
		in.address = cases[i].address;
		mk(f, &in, t + (time_t)i * 7200, nos[i]);
	}
	for (i = 0; i < NITEMS(rows); i++) {
		memset(&h, 0, sizeof h);
		f->err[0] = '\0';
		rc = store_search(f->st, rows[i].q, rows[i].limit, hit_collect,
		    &h, f->err, sizeof f->err);
		for (n = 0; rows[i].hits[n] != 0; n++)
			;
		if (rc != rows[i].rc) {
			print_error("\"%s\": rc %d (%s), want %d\n", rows[i].q,
			    rc, f->err, rows[i].rc);
			bad++;
			continue;
		}
		if (rc != 0) {
			if (h.n != 0 || f->err[0] == '\0')
				bad++, print_error("\"%s\": refused with %d "
				    "hits, message \"%s\"\n", rows[i].q, h.n,
				    f->err);
			continue;
		}
		for (j = 0; j < (size_t)n && j < (size_t)h.n; j++)
			if (strcmp(h.no[j], nos[rows[i].hits[j] - 1]) != 0)
				break;
		if (h.n != n || j != (size_t)n) {
			print_error("\"%s\" (limit %d): %d hits, want %d:",
			    rows[i].q, rows[i].limit, h.n, n);
			for (j = 0; j < (size_t)h.n && j < 32; j++)
				print_error(" %s", h.no[j]);
			print_error("\n");
			bad++;
		}
	}
	print_message("%zu search rows, %d wrong\n", NITEMS(rows), bad);
	assert_int_equal(bad, 0);
}

/* The log's details are JSON that survives any text in a report. */
static void
test_detail_json(void **state)
{
	static const char summary[] = "井盖\"缺失\"\\路段\n第二行\t制表\x01";
	struct fx		*f = *state;
	struct incident		 in;
	struct case_act		 a;
	sqlite3			*db;
	char			 no[32], buf[256];
	time_t			 t = T("2026-11-30 09:00");

	inc_init(&in, summary, t);
	in.address = "望京路\"12\"号";
	in.ext_id = "app-\"quoted\"";
	mk(f, &in, t, no);
	a = act_full(CA_REGISTER, t + 60, NULL);
	a.detail = "{\"photo\":\"a.jpg\"}";
	apply_ok(f, no, &a);
	a = act_full(CA_DISPATCH, t + 120, NULL);
	a.support = "330203.SJ,330203.GA";
	apply_ok(f, no, &a);

	assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
	raw_text(db, "SELECT count(*) FROM events WHERE NOT json_valid(detail)",
	    buf, sizeof buf);
	assert_string_equal(buf, "0");
	raw_text(db, "SELECT json_extract(detail, '$.summary') FROM events "
	    "WHERE seq = 1", buf, sizeof buf);
	assert_string_equal(buf, summary);
	raw_text(db, "SELECT json_extract(detail, '$.address') FROM events "
	    "WHERE seq = 1", buf, sizeof buf);
	assert_string_equal(buf, "望京路\"12\"号");
	raw_text(db, "SELECT json_extract(detail, '$.note.photo') FROM events "
	    "WHERE seq = 2", buf, sizeof buf);
	assert_string_equal(buf, "a.jpg");
	raw_text(db, "SELECT json_extract(detail, '$.changes.state[1]') FROM "
	    "events WHERE seq = 3", buf, sizeof buf);
	assert_string_equal(buf, "dispatched");
	raw_text(db, "SELECT json_extract(detail, '$.changes.support[1]') "
	    "FROM events WHERE seq = 3", buf, sizeof buf);
	assert_string_equal(buf, "330203.SJ,330203.GA");
	raw_text(db, "SELECT json_extract(detail, '$.changes.version[1]') "
	    "FROM events WHERE seq = 3", buf, sizeof buf);
	assert_string_equal(buf, "3");
	sqlite3_close(db);
}

/* --- group commit --------------------------------------------------------- */

static void
test_group_commit(void **state)
{
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 cr[3];
	struct case_act		 a;
	struct evs		 v;
	time_t			 t = T("2026-11-24 10:00");
	int			 rc[3], i;

	assert_int_equal(store_commit(f->st, f->err, sizeof f->err),
	    GL_EINVAL);
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err),
	    GL_EINVAL);
	for (i = 0; i < 3; i++) {
		inc_init(&in, i == 1 ? "优先级错误的案件" : "批量案件",
		    t + i * 3600);
		if (i == 1)
			in.priority = 9;
		rc[i] = store_case_create(f->st, &in, "网格员", t + i * 3600,
		    &cr[i], NULL, f->err, sizeof f->err);
	}
	assert_int_equal(rc[0], 0);
	assert_int_equal(rc[1], GL_EINVAL);
	assert_int_equal(rc[2], 0);
	/* a failure inside an item's savepoint: the batch goes on */
	a = act_full(CA_MERGE, t + 9000, "330203-20991231-00009");
	assert_int_equal(store_case_apply(f->st, cr[0].no, &a, NULL, NULL,
	    f->err, sizeof f->err), GL_ENOTFOUND);
	a = act_full(CA_REGISTER, t + 9100, NULL);
	apply_ok(f, cr[2].no, &a);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);

	assert_int_equal(store_case_count(f->st), 2);
	assert_int_equal(store_last_seq(f->st), 3);
	assert_string_equal(cr[0].no, "330203-20261124-00001");
	assert_string_equal(cr[2].no, "330203-20261124-00002");
	history(f, cr[0].no, &v);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.e[0].action, "report");
	history(f, cr[2].no, &v);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.e[1].action, "register");

	/* and the batch is on disk for another connection */
	{
		sqlite3	*db;
		char	 buf[32];

		assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
		raw_text(db, "SELECT count(*) FROM cases", buf, sizeof buf);
		assert_string_equal(buf, "2");
		raw_text(db, "SELECT count(*) FROM events", buf, sizeof buf);
		assert_string_equal(buf, "3");
		sqlite3_close(db);
	}

	/* a rolled-back batch leaves nothing */
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	inc_init(&in, "回滚的案件", t + 20000);
	assert_int_equal(store_case_create(f->st, &in, "网格员", t + 20000,
	    &cr[1], NULL, f->err, sizeof f->err), 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(store_case_count(f->st), 2);
	assert_int_equal(store_last_seq(f->st), 3);
	/* and the next case reuses nothing it should not */
	assert_int_equal(store_case_create(f->st, &in, "网格员", t + 20000,
	    &cr[1], NULL, f->err, sizeof f->err), 0);
	assert_string_equal(cr[1].no, "330203-20261124-00003");
	assert_int_equal(cr[1].seq, 4);
}

/* Case numbers are counted in memory within a transaction (store-seq.c):
 * a create failing after it took a number gives it back, a commit writes
 * the counter, a rollback forgets it, and a counter changed by another
 * connection between transactions is read again. */
static void
test_numbers_in_batch(void **state)
{
	static const struct {
		const char	*what;		/* "mk", "fail", "commit", ... */
		const char	*no;		/* the number "mk" must get */
	} steps[] = {
		{ "begin", NULL },
		{ "mk", "330203-20261124-00001" },
		{ "fail", NULL },		/* took 00002 and gave it back */
		{ "mk", "330203-20261124-00002" },
		{ "commit", NULL },
		{ "begin", NULL },
		{ "mk", "330203-20261124-00003" },
		{ "rollback", NULL },		/* 00003 was never stored */
		{ "mk", "330203-20261124-00003" },	/* outside a batch */
		{ "fail", NULL },
		{ "mk", "330203-20261124-00004" },
		{ "other", NULL },		/* another connection: n = 40 */
		{ "begin", NULL },
		{ "mk", "330203-20261124-00041" },
		{ "commit", NULL },
	};
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 cr;
	sqlite3			*db;
	time_t			 t = T("2026-11-24 10:00");
	size_t			 i;
	int			 rc;

	/* A trigger makes the case insert fail after the number is taken. */
	assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER t_fail BEFORE "
	    "INSERT ON cases WHEN new.summary = 'FAIL' BEGIN SELECT "
	    "RAISE(ABORT, 'refused by the test'); END", NULL, NULL, NULL),
	    SQLITE_OK);
	for (i = 0; i < NITEMS(steps); i++) {
		const char *w = steps[i].what;

		if (strcmp(w, "begin") == 0)
			rc = store_begin(f->st, f->err, sizeof f->err);
		else if (strcmp(w, "commit") == 0)
			rc = store_commit(f->st, f->err, sizeof f->err);
		else if (strcmp(w, "rollback") == 0)
			rc = store_rollback(f->st);
		else if (strcmp(w, "other") == 0)
			rc = sqlite3_exec(db, "UPDATE case_seq SET n = 40",
			    NULL, NULL, NULL);
		else {
			inc_init(&in, strcmp(w, "fail") == 0 ? "FAIL" :
			    "路灯不亮", t);
			rc = store_case_create(f->st, &in, "网格员", t, &cr,
			    NULL, f->err, sizeof f->err);
			if (strcmp(w, "fail") == 0) {
				if (rc == 0)
					fail_msg("step %zu: the insert did not "
					    "fail", i);
				continue;
			}
			if (rc == 0 && strcmp(cr.no, steps[i].no) != 0)
				fail_msg("step %zu: got %s, want %s", i, cr.no,
				    steps[i].no);
		}
		if (rc != 0)
			fail_msg("step %zu (%s): %d: %s", i, w, rc, f->err);
	}
	sqlite3_close(db);
	assert_int_equal(store_case_count(f->st), 5);	/* 1, 2, 3, 4, 41 */
}

/* The search index catches up in chunks (STORE_INDEX_CHUNK) at commits:
 * small commits leave new cases unindexed, yet a search finds the newest
 * case (without indexing it: a search never writes), and a big batch is
 * indexed at its commit. */
static void
test_search_chunks(void **state)
{
	static const struct {
		int		 cases;		/* created in one batch */
		int		 search;	/* then search for the last */
		const char	*indexed;	/* search_state.indexed after */
	} rows[] = {
		{ 2, 0, "2" },		/* the first commit indexes a tail */
		{ 2, 0, "2" },		/* small commits leave it */
		{ 2, 0, "2" },
		{ 0, 1, "2" },		/* a search finds the tail,
					   unindexed: it never writes */
		{ 600, 0, "606" },	/* a chunk's worth: at the commit */
	};
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 cr;
	struct hits		 h;
	sqlite3			*db;
	char			 word[32], buf[32];
	time_t			 t = T("2026-11-24 10:00");
	size_t			 i;
	int			 k;

	assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
	for (i = 0; i < NITEMS(rows); i++) {
		assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
		for (k = 0; k < rows[i].cases; k++) {
			snprintf(word, sizeof word, "路灯第%03d号", f->n++);
			inc_init(&in, word, t);
			assert_int_equal(store_case_create(f->st, &in, "网格员",
			    t, &cr, NULL, f->err, sizeof f->err), 0);
		}
		if (rows[i].search) {
			memset(&h, 0, sizeof h);
			assert_int_equal(store_search(f->st, word, 5,
			    hit_collect, &h, f->err, sizeof f->err), 0);
			assert_int_equal(h.n, 1);
			assert_string_equal(h.no[0], cr.no);
		}
		assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
		raw_text(db, "SELECT indexed FROM search_state", buf,
		    sizeof buf);
		if (strcmp(buf, rows[i].indexed) != 0)
			fail_msg("row %zu: indexed %s, want %s", i, buf,
			    rows[i].indexed);
	}
	sqlite3_close(db);
}

/* The server's read connection (store_open_reader): it sees what the
 * writer committed, each read transaction the last commit before it, and
 * a search finds cases the index does not hold yet without writing; a
 * write on it fails as read-only and leaves the writer untouched. */
static void
test_reader(void **state)
{
	struct fx		*f = *state;
	struct store		*rd;
	struct incident		 in;
	struct store_created	 cr, cr2;
	struct store_case	 c;
	struct hits		 h;
	time_t			 t = T("2026-11-24 10:00");

	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	inc_init(&in, "读连接的路灯甲乙丙", t);
	assert_int_equal(store_case_create(f->st, &in, "网格员", t, &cr, NULL,
	    f->err, sizeof f->err), 0);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_open_reader(f->path, &rd, f->err,
	    sizeof f->err), 0);

	memset(&h, 0, sizeof h);
	assert_int_equal(store_begin(rd, f->err, sizeof f->err), 0);
	assert_int_equal(store_search(rd, "路灯甲乙", 5, hit_collect, &h,
	    f->err, sizeof f->err), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.no[0], cr.no);
	assert_int_equal(store_commit(rd, f->err, sizeof f->err), 0);

	/* a write on the reader: refused, nothing half done */
	assert_int_equal(store_begin(rd, f->err, sizeof f->err), 0);
	inc_init(&in, "不该写进去的", t);
	in.ext_id = "reader-write";
	assert_int_equal(store_case_create(rd, &in, "网格员", t, &cr2, NULL,
	    f->err, sizeof f->err), GL_EREADONLY);
	store_rollback(rd);

	/* the writer goes on; the reader's next transaction sees it */
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	inc_init(&in, "读连接之后的井盖", t);
	assert_int_equal(store_case_create(f->st, &in, "网格员", t, &cr2, NULL,
	    f->err, sizeof f->err), 0);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_begin(rd, f->err, sizeof f->err), 0);
	assert_int_equal(store_case_get(rd, cr2.no, &c, f->err,
	    sizeof f->err), 0);
	assert_string_equal(c.summary, "读连接之后的井盖");
	store_case_clear(&c);
	store_rollback(rd);
	store_close(rd);
}

static int
op_names(void *arg, const struct store_operator *op)
{
	char	*buf = arg;

	strcat(buf, op->name);
	strcat(buf, op->disabled ? "(off) " : " ");
	return 0;
}

/* Operators (schema step 8): added once, changed, read back, listed in
 * name order, their key kept to the byte. */
static void
test_operators(void **state)
{
	struct fx		*f = *state;
	struct store_operator	 op, back;
	char			 names[256] = "";
	size_t			 i;

	memset(&op, 0, sizeof op);
	for (i = 0; i < STORE_PUBKEY_BYTES; i++)
		op.pubkey[i] = (unsigned char)(i * 7 + 1);
	op.name = "王调度";
	op.role = "dispatcher";
	assert_int_equal(store_operator_add(f->st, &op, 100, NULL, f->err,
	    sizeof f->err), 0);
	assert_int_equal(store_operator_add(f->st, &op, 101, "x", f->err,
	    sizeof f->err), GL_EEXISTS);
	op.name = "江厦执法中队";
	op.role = "agency";
	op.agency = "330203002.ZFZD";
	assert_int_equal(store_operator_add(f->st, &op, 102, "王调度", f->err,
	    sizeof f->err), 0);
	op.disabled = 1;
	assert_int_equal(store_operator_update(f->st, &op, 103, "王调度",
	    f->err, sizeof f->err), 0);
	op.name = "无名";
	assert_int_equal(store_operator_update(f->st, &op, 104, "王调度",
	    f->err, sizeof f->err), GL_ENOTFOUND);
	assert_int_equal(store_operator_get(f->st, "江厦执法中队", &back,
	    f->err, sizeof f->err), 0);
	assert_string_equal(back.role, "agency");
	assert_string_equal(back.agency, "330203002.ZFZD");
	assert_null(back.township);
	assert_int_equal(back.disabled, 1);
	assert_int_equal(back.created_at, 102);
	assert_int_equal(back.updated_at, 103);
	assert_string_equal(back.created_by, "王调度");
	assert_memory_equal(back.pubkey, op.pubkey, STORE_PUBKEY_BYTES);
	store_operator_clear(&back);
	assert_int_equal(store_operator_get(f->st, "无名", &back, f->err,
	    sizeof f->err), GL_ENOTFOUND);
	assert_int_equal(store_operator_each(f->st, op_names, names, f->err,
	    sizeof f->err), 0);
	assert_string_equal(names, "江厦执法中队(off) 王调度 ");
}

static int
feeder_names(void *arg, const struct store_feeder *fd)
{
	char	*buf = arg;

	strcat(buf, fd->name);
	strcat(buf, fd->disabled ? "(off) " : " ");
	if (fd->key[0] != (fd->disabled ? 9 : 7))
		strcat(buf, "(key?) ");
	return 0;
}

/* Feeders (schema step 9): added once, their key changed and disabled,
 * listed in name order with their keys. */
static void
test_feeders(void **state)
{
	struct fx		*f = *state;
	struct store_feeder	 fd;
	char			 names[256] = "";

	memset(&fd, 0, sizeof fd);
	memset(fd.key, 7, sizeof fd.key);
	fd.name = "12345热线";
	assert_int_equal(store_feeder_add(f->st, &fd, 100, "张管理", f->err,
	    sizeof f->err), 0);
	assert_int_equal(store_feeder_add(f->st, &fd, 101, "张管理", f->err,
	    sizeof f->err), GL_EEXISTS);
	fd.name = "sensor-net";
	assert_int_equal(store_feeder_add(f->st, &fd, 102, NULL, f->err,
	    sizeof f->err), 0);
	memset(fd.key, 9, sizeof fd.key);
	fd.disabled = 1;
	assert_int_equal(store_feeder_update(f->st, &fd, 103, "张管理", f->err,
	    sizeof f->err), 0);
	fd.name = "nobody";
	assert_int_equal(store_feeder_update(f->st, &fd, 104, NULL, f->err,
	    sizeof f->err), GL_ENOTFOUND);
	assert_int_equal(store_feeder_each(f->st, feeder_names, names, f->err,
	    sizeof f->err), 0);
	assert_string_equal(names, "12345热线 sensor-net(off) ");
}

/* Checkpoints apart from commits (store-ckpt.c): after
 * store_checkpoint_apart the WAL grows past the 1,000 pages at which a
 * commit would have checkpointed; a checkpointer on a connection of its
 * own copies it into the database, the next commit starts the WAL anew,
 * and every case is there. */
static void
test_checkpoint_apart(void **state)
{
	struct fx		*f = *state;
	struct store_ckpt	*c;
	struct incident		 in;
	struct store_created	 cr;
	sqlite3			*db;
	char			 word[32], buf[32];
	time_t			 t = T("2026-11-24 10:00");
	long			 made = 0, peak = 0;
	int			 batch, k;

	store_checkpoint_apart(f->st);
	for (batch = 0; batch < 400 && peak <= 1500; batch++) {
		assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
		for (k = 0; k < 10; k++, made++) {
			snprintf(word, sizeof word, "井盖第%04d号", f->n++);
			inc_init(&in, word, t);
			assert_int_equal(store_case_create(f->st, &in, "网格员",
			    t, &cr, NULL, f->err, sizeof f->err), 0);
		}
		assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
		assert_true(store_wal_frames(f->st) >= peak);	/* no reset */
		peak = store_wal_frames(f->st);
	}
	if (peak <= 1500)
		fail_msg("the WAL held only %ld pages after %ld cases", peak,
		    made);
	assert_int_equal(store_ckpt_open(f->path, &c, f->err, sizeof f->err),
	    0);
	assert_int_equal(store_ckpt_run(c, f->err, sizeof f->err), 0);
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	inc_init(&in, "井盖最后一号", t);
	assert_int_equal(store_case_create(f->st, &in, "网格员", t, &cr, NULL,
	    f->err, sizeof f->err), 0);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
	made++;
	if (store_wal_frames(f->st) >= 100)
		fail_msg("the WAL was not started anew: %ld pages",
		    store_wal_frames(f->st));
	store_ckpt_close(c);
	assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
	raw_text(db, "SELECT count(*) FROM cases", buf, sizeof buf);
	assert_int_equal(atol(buf), made);
	sqlite3_close(db);
}

/* --- finished cases ------------------------------------------------------ */

/*
 * store_case_finished: closed, voided and merged cases only, newest (the
 * highest id) first, paged by before; open cases of every other state,
 * parked and escalated ones included, never appear. The query (the
 * store's, repeated here) must be answered from the partial index
 * cases_finished (schema step 5) in its order, with no sort, or a page
 * would read and sort every finished case.
 */
static void
test_finished(void **state)
{
	static const enum case_action to_close[] = { CA_REGISTER, CA_DISPATCH,
	    CA_ACKNOWLEDGE, CA_START, CA_FEEDBACK, CA_VERIFY, CA_CLOSE,
	    CA_REPORT };
	static const enum case_action to_void[] = { CA_VOID, CA_REPORT };
	static const enum case_action to_merge[] = { CA_MERGE, CA_REPORT };
	static const enum case_action to_park[] = { CA_REGISTER, CA_PARK,
	    CA_REPORT };
	static const enum case_action to_escalate[] = { CA_REGISTER,
	    CA_ESCALATE, CA_REPORT };
	static const struct {
		const enum case_action	*path;	/* NULL: left reported */
		int			 finished;
	} fates[] = {
		{ NULL, 0 }, { to_close, 1 }, { to_void, 1 }, { to_park, 0 },
		{ to_merge, 1 }, { to_escalate, 0 }, { to_close, 1 },
		{ to_void, 1 }, { NULL, 0 },
	};
	static const int pages[] = { 1, 2, 3, 10 };
	struct fx	*f = *state;
	struct hits	 h;
	char		 no[NITEMS(fates)][32], plan[512];
	int64_t		 ids[NITEMS(fates)], want[NITEMS(fates)], before;
	time_t		 t = T("2026-11-24 09:00"), at;
	size_t		 i, nwant = 0, got, p;
	sqlite3		*db;
	sqlite3_stmt	*eqp;
	int		 bad = 0;

	for (i = 0; i < NITEMS(fates); i++)
		mk_plain(f, "路灯不亮", t + (time_t)i * 3600, no[i]);
	for (i = 0; i < NITEMS(fates); i++) {
		struct store_case c;

		at = t + 86400 + (time_t)i * 7200;
		if (fates[i].path != NULL)
			apply_path(f, no[i], fates[i].path, no[0], &at);
		get(f, no[i], &c);
		ids[i] = c.id;
		store_case_clear(&c);
	}
	for (i = NITEMS(fates); i-- > 0; )
		if (fates[i].finished)
			want[nwant++] = ids[i];

	for (p = 0; p < NITEMS(pages); p++) {
		before = 0;
		got = 0;
		do {
			memset(&h, 0, sizeof h);
			assert_int_equal(store_case_finished(f->st, before,
			    pages[p], hit_collect, &h, f->err, sizeof f->err),
			    0);
			for (i = 0; i < (size_t)h.n; i++, got++)
				if (got >= nwant || h.id[i] != want[got]) {
					print_error("page size %d: item %zu is "
					    "id %lld\n", pages[p], got,
					    (long long)h.id[i]);
					bad++;
				}
			before = h.n > 0 ? h.id[h.n - 1] : 0;
		} while (h.n == pages[p]);
		if (got != nwant) {
			print_error("page size %d: %zu cases, want %zu\n",
			    pages[p], got, nwant);
			bad++;
		}
	}
	assert_int_equal(bad, 0);

	/* the plan reads the partial index (the query's WHERE and order) */
	assert_int_equal(raw_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT * "
	    "FROM cases INDEXED BY cases_finished WHERE state IN ('closed', "
	    "'voided', 'merged') AND id < ? ORDER BY id DESC LIMIT ?", -1,
	    &eqp, NULL), SQLITE_OK);
	plan[0] = '\0';
	while (sqlite3_step(eqp) == SQLITE_ROW)
		snprintf(plan + strlen(plan), sizeof plan - strlen(plan),
		    "%s; ", (const char *)sqlite3_column_text(eqp, 3));
	sqlite3_finalize(eqp);
	sqlite3_close(db);
	if (strstr(plan, "cases_finished") == NULL ||
	    strstr(plan, "TEMP B-TREE") != NULL)
		fail_msg("finished cases are not read from their index: %s",
		    plan);
}

/* --- the case store_case_create returns ---------------------------------- */

static int
str_same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Every field of a and b, the differing ones printed; 0 when all agree. */
static int
case_diff(const char *what, const struct store_case *a,
    const struct store_case *b)
{
	int	n = 0;

#define DIFF(cond, name) do {						\
	if (!(cond)) {							\
		print_error("%s: %s differs\n", what, name);		\
		n++;							\
	}								\
} while (0)
	DIFF(a->id == b->id, "id");
	DIFF(strcmp(a->no, b->no) == 0, "no");
	DIFF(str_same(a->ext_id, b->ext_id), "ext_id");
	DIFF(strcmp(a->grid, b->grid) == 0, "grid");
	DIFF(strcmp(a->township, b->township) == 0, "township");
	DIFF(strcmp(a->district, b->district) == 0, "district");
	DIFF(strcmp(a->category, b->category) == 0, "category");
	DIFF(a->priority == b->priority, "priority");
	DIFF(str_same(a->summary, b->summary), "summary");
	DIFF(str_same(a->address, b->address), "address");
	DIFF(str_same(a->reporter, b->reporter), "reporter");
	DIFF(str_same(a->source, b->source), "source");
	DIFF(str_same(a->photos, b->photos), "photos");
	DIFF(a->has_location == b->has_location, "has_location");
	DIFF(a->lat == b->lat && a->lon == b->lon, "lat/lon");
	DIFF(a->reported_at == b->reported_at, "reported_at");
	DIFF(a->created_at == b->created_at, "created_at");
	DIFF(a->updated_at == b->updated_at, "updated_at");
	DIFF(a->closed_at == b->closed_at, "closed_at");
	DIFF(a->state == b->state, "state");
	DIFF(a->before == b->before, "before");
	DIFF(str_same(a->agency, b->agency), "agency");
	DIFF(str_same(a->support, b->support), "support");
	DIFF(a->level == b->level, "level");
	DIFF(a->limit == b->limit && a->unit == b->unit, "limit/unit");
	DIFF(a->due_at == b->due_at, "due_at");
	DIFF(a->paused_at == b->paused_at, "paused_at");
	DIFF(a->remaining == b->remaining, "remaining");
	DIFF(a->ext_pending == b->ext_pending, "ext_pending");
	DIFF(a->ext_amount == b->ext_amount, "ext_amount");
	DIFF(a->returns == b->returns && a->reworks == b->reworks &&
	    a->presses == b->presses, "returns/reworks/presses");
	DIFF(a->duplicate_of == b->duplicate_of, "duplicate_of");
	DIFF(strcmp(a->duplicate_no, b->duplicate_no) == 0, "duplicate_no");
	DIFF(a->merged_into == b->merged_into, "merged_into");
	DIFF(strcmp(a->merged_no, b->merged_no) == 0, "merged_no");
	DIFF(a->version == b->version, "version");
#undef DIFF
	return n;
}

/*
 * The case store_case_create hands back is the case the store holds: each
 * row is created and the returned case compared field by field with the
 * case read back. Rows cover every optional field absent and present, a
 * location, a duplicate (its number filled in) and a resent id (the case
 * read back, not rebuilt). A refused incident leaves the case zeroed.
 */
static void
test_create_stored(void **state)
{
	static const struct {
		const char	*name;
		const char	*ext_id;
		const char	*address, *reporter, *source, *photos;
		int		 location;
		time_t		 dt;		/* reported this long after t */
	} rows[] = {
		{ "bare", NULL, NULL, NULL, NULL, NULL, 0, 0 },
		{ "full", "app-1", "望京路12号", "张三", "hotline",
		    "[\"http://x/1.jpg\"]", 1, 60 },
		{ "duplicate", "app-2", NULL, NULL, "web", NULL, 1, 120 },
		{ "empty texts", "app-3", "", "", "", "", 0, 180 },
		{ "resent", "app-1", "望京路12号", "张三", "hotline",
		    "[\"http://x/1.jpg\"]", 1, 60 },
		{ "other source", "app-1", "其他", NULL, NULL, NULL, 0, 240 },
	};
	struct fx		*f = *state;
	struct incident		 in;
	struct store_created	 cr;
	struct store_case	 got, back;
	time_t			 t = T("2026-11-24 09:00");
	size_t			 i;
	int			 bad = 0;

	for (i = 0; i < NITEMS(rows); i++) {
		inc_init(&in, "井盖缺失", t + rows[i].dt);
		in.ext_id = rows[i].ext_id;
		in.address = rows[i].address;
		in.reporter = rows[i].reporter;
		in.source = rows[i].source;
		in.photos = rows[i].photos;
		if ((in.has_location = rows[i].location) != 0) {
			in.lat = 29.8683;
			in.lon = 121.5440;
		}
		assert_int_equal(store_case_create(f->st, &in, "网格员",
		    t + rows[i].dt + 5, &cr, &got, f->err, sizeof f->err), 0);
		get(f, cr.no, &back);
		bad += case_diff(rows[i].name, &got, &back);
		if (strcmp(rows[i].name, "duplicate") == 0 &&
		    (got.duplicate_of == 0 || got.duplicate_no[0] == '\0'))
			print_error("duplicate: not marked\n"), bad++;
		if (strcmp(rows[i].name, "resent") == 0 &&
		    (!cr.replayed || strcmp(got.address, "望京路12号") != 0))
			print_error("resent: not the stored case\n"), bad++;
		store_case_clear(&got);
		store_case_clear(&back);
	}
	assert_int_equal(bad, 0);

	/* refused: nothing stored, nothing to free */
	memset(&got, 0xa5, sizeof got);
	inc_init(&in, "", t);
	assert_int_equal(store_case_create(f->st, &in, "网格员", t, &cr, &got,
	    f->err, sizeof f->err), GL_EINVAL);
	assert_null(got.summary);
	assert_int_equal(got.id, 0);
	store_case_clear(&got);
}

int
main(void)
{
#define TST(fn)	cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		TST(test_open),
		TST(test_checkpoint_apart),
		TST(test_open_bad),
		TST(test_numbers),
		TST(test_create_fields),
		TST(test_create_stored),
		TST(test_finished),
		TST(test_resend),
		TST(test_resend_scoped),
		TST(test_duplicates),
		TST(test_duplicate_chain),
		TST(test_walk_all),
		TST(test_callback),
		TST(test_needs),
		TST(test_return_code_canonical),
		TST(test_conflict),
		TST(test_deadlines),
		TST(test_late_small_grant),
		TST(test_deadline_calendar),
		TST(test_returns_escalate),
		TST(test_merge_park),
		TST(test_append_only),
		TST(test_history_events),
		TST(test_search),
		TST(test_detail_json),
		TST(test_group_commit),
		TST(test_numbers_in_batch),
		TST(test_search_chunks),
		TST(test_reader),
		TST(test_operators),
		TST(test_feeders),
	};
#undef TST

	/* Case numbers and deadlines must not care about the process TZ. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
