/*
 * store-case.c: creating cases and applying lifecycle actions (see store.h).
 *
 * Every operation runs inside a savepoint: alone, the savepoint is its own
 * transaction (committed with synchronous=FULL when it is released); inside
 * a caller's store_begin it nests, so a failing item rolls back alone and
 * the batch goes on.
 *
 * An action is applied in three steps: read the case and check the version
 * and the lifecycle table; compute the new row in memory (one small function
 * per kind of effect, and the clock rule in one place); write the row with
 * version + 1 and append the event, whose detail records every field that
 * changed as [before, after]. Keeping the computation in memory, apart from
 * SQL, is what lets the tests walk every action in every state cheaply.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "error.h"
#include "gltime.h"
#include "jbuf.h"
#include "store-int.h"

#define DUP_WINDOW	1800	/* seconds: same grid and category */
#define DUP_METRES	50.0

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? strdup((const char *)t) : NULL;
}

static void
col_copy(sqlite3_stmt *s, int i, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	snprintf(buf, len, "%s", t != NULL ? (const char *)t : "");
}

static enum case_state
col_state(sqlite3_stmt *s, int i)
{
	enum case_state	 st = CS_REPORTED;
	const unsigned char *t = sqlite3_column_text(s, i);

	if (t != NULL)
		case_state_parse((const char *)t, &st);
	return st;
}

void
store_case_from_row(sqlite3_stmt *s, struct store_case *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(s, 0);
	col_copy(s, 1, c->no, sizeof c->no);
	c->ext_id = col_dup(s, 2);
	col_copy(s, 3, c->grid, sizeof c->grid);
	col_copy(s, 4, c->township, sizeof c->township);
	col_copy(s, 5, c->district, sizeof c->district);
	col_copy(s, 6, c->category, sizeof c->category);
	c->priority = sqlite3_column_int(s, 7);
	c->summary = col_dup(s, 8);
	c->address = col_dup(s, 9);
	c->reporter = col_dup(s, 10);
	c->source = col_dup(s, 11);
	c->photos = col_dup(s, 12);
	c->has_location = sqlite3_column_type(s, 13) != SQLITE_NULL;
	c->lat = sqlite3_column_double(s, 13);
	c->lon = sqlite3_column_double(s, 14);
	c->reported_at = sqlite3_column_int64(s, 15);
	c->created_at = sqlite3_column_int64(s, 16);
	c->updated_at = sqlite3_column_int64(s, 17);
	c->closed_at = sqlite3_column_int64(s, 18);
	c->state = col_state(s, 19);
	c->before = col_state(s, 20);
	c->agency = col_dup(s, 21);
	c->support = col_dup(s, 22);
	c->level = sqlite3_column_int(s, 23);
	c->limit = sqlite3_column_int64(s, 24);
	c->unit = (enum cal_unit)sqlite3_column_int(s, 25);
	c->due_at = sqlite3_column_int64(s, 26);
	c->paused_at = sqlite3_column_int64(s, 27);
	c->remaining = sqlite3_column_int64(s, 28);
	c->ext_pending = sqlite3_column_int(s, 29);
	c->ext_amount = sqlite3_column_int64(s, 30);
	c->returns = sqlite3_column_int(s, 31);
	c->reworks = sqlite3_column_int(s, 32);
	c->presses = sqlite3_column_int(s, 33);
	c->duplicate_of = sqlite3_column_int64(s, 34);
	c->merged_into = sqlite3_column_int64(s, 35);
	c->version = sqlite3_column_int64(s, 36);
	col_copy(s, 37, c->duplicate_no, sizeof c->duplicate_no);
	col_copy(s, 38, c->merged_no, sizeof c->merged_no);
	c->dispatched_at = (time_t)sqlite3_column_int64(s, 39);
	col_copy(s, 40, c->callback, sizeof c->callback);
	c->callback_at = (time_t)sqlite3_column_int64(s, 41);
}

void
store_case_clear(struct store_case *c)
{
	if (c == NULL)
		return;
	free(c->ext_id);
	free(c->summary);
	free(c->address);
	free(c->reporter);
	free(c->source);
	free(c->photos);
	free(c->agency);
	free(c->support);
	memset(c, 0, sizeof *c);
}

/* Read a case by number (key != NULL) or id. */
static int
store_case_read(struct store *st, const char *no, int64_t id,
    struct store_case *out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	s = store_stmt(st, no != NULL ? SS_CASE_BY_NO : SS_CASE_BY_ID, err,
	    errlen);
	if (s == NULL)
		return GL_EDB;
	if (no != NULL)
		sqlite3_bind_text(s, 1, no, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_case_from_row(s, out);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return no != NULL ? gl_err(err, errlen, GL_ENOTFOUND,
		    "no case %s", no) : gl_err(err, errlen, GL_ENOTFOUND,
		    "no case with id %lld", (long long)id);
	return store_sqlerr(st, rc, "reading a case", err, errlen);
}

int
store_case_get(struct store *st, const char *no, struct store_case *out,
    char *err, size_t errlen)
{
	return store_case_read(st, no, 0, out, err, errlen);
}

int
store_case_no_by_ext(struct store *st, const char *ext_id, char *no,
    size_t len, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, "SELECT no FROM cases WHERE ext_id = "
	    "?1 ORDER BY id LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, SQLITE_ERROR, "find by id", err,
		    errlen);
	sqlite3_bind_text(s, 1, ext_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(no, len, "%s", (const char *)sqlite3_column_text(s,
		    0));
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return gl_err(err, errlen, GL_ENOTFOUND, "no case has id %s",
		    ext_id);
	return store_sqlerr(st, rc, "find by id", err, errlen);
}

/* --- savepoints ---------------------------------------------------------- */

static int
sp_run(struct store *st, enum store_stmt_id id, char *err, size_t errlen)
{
	sqlite3_stmt	*s = store_stmt(st, id, err, errlen);
	int		 rc;

	if (s == NULL)
		return GL_EDB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, rc, "savepoint", err,
	    errlen);
}

/* Finish a savepoint: release on success, roll back on failure. Outside
 * a transaction (store_begin) the release is the commit, so the case-number
 * counters are written back before it and forgotten after. */
static int
sp_end(struct store *st, int rc, char *err, size_t errlen)
{
	if (rc == 0 && !st->in_txn)
		rc = store_seq_flush(st, err, errlen);
	if (rc == 0 && (rc = sp_run(st, SS_RELEASE, err, errlen)) == 0) {
		if (!st->in_txn)
			store_seq_forget(st);
		return 0;
	}
	sp_run(st, SS_ROLLBACK_TO, NULL, 0);
	sp_run(st, SS_RELEASE, NULL, 0);
	store_seq_rolled_back(st);
	return rc;
}

/* --- the event log ------------------------------------------------------- */

struct ev {
	int64_t		 case_id, version;
	time_t		 at;
	const char	*actor, *action, *from, *to, *agency, *code, *reason;
	const char	*detail;
	const unsigned char *signer_key, *sig;	/* NULL: unsigned */
	const char	*request;
	size_t		 request_len;
};

/* The hash of the last event, into prev; NULL-equivalent (zeros) when the
 * log is empty or its last row predates the chain. Read from the table,
 * not kept: a rolled-back savepoint takes its rows' hashes with it. */
static int
event_last_hash(struct store *st, unsigned char prev[CHAIN_HASH_BYTES],
    char *err, size_t errlen)
{
	sqlite3_stmt	*s = store_stmt(st, SS_EVENT_LAST_HASH, err, errlen);
	const void	*h;
	int		 rc;

	memset(prev, 0, CHAIN_HASH_BYTES);
	if (s == NULL)
		return GL_EDB;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((h = sqlite3_column_blob(s, 0)) != NULL &&
		    sqlite3_column_bytes(s, 0) == CHAIN_HASH_BYTES)
			memcpy(prev, h, CHAIN_HASH_BYTES);
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return store_sqlerr(st, rc, "reading the chain", err, errlen);
	}
	sqlite3_reset(s);
	return 0;
}

static int
event_append(struct store *st, const struct ev *e, int64_t *seq, char *err,
    size_t errlen)
{
	int		 sgn = e->signer_key != NULL && e->sig != NULL &&
			    e->request != NULL;
	struct chain_row r = { e->case_id, e->version, (int64_t)e->at,
			    e->actor, e->action, e->from, e->to, e->agency,
			    e->code, e->reason, e->detail,
			    sgn ? e->signer_key : NULL, sgn ? e->sig : NULL,
			    sgn ? e->request : NULL, sgn ? e->request_len : 0 };
	unsigned char	 prev[CHAIN_HASH_BYTES], hash[CHAIN_HASH_BYTES];
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = event_last_hash(st, prev, err, errlen)) != 0)
		return rc;
	if (chain_hash(prev, &r, hash) != 0)
		return gl_err(err, errlen, GL_EIO, "libsodium cannot start");
	if ((s = store_stmt(st, SS_EVENT_INSERT, err, errlen)) == NULL)
		return GL_EDB;
	sqlite3_bind_int64(s, 1, e->case_id);
	sqlite3_bind_int64(s, 2, e->version);
	sqlite3_bind_int64(s, 3, e->at);
	sqlite3_bind_text(s, 4, e->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, e->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, e->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, e->agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, e->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, e->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, e->detail, -1, SQLITE_STATIC);
	if (sgn) {
		sqlite3_bind_blob(s, 12, e->signer_key, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 13, e->sig, 64, SQLITE_STATIC);
		sqlite3_bind_text(s, 14, e->request, (int)e->request_len,
		    SQLITE_STATIC);
	} else {
		sqlite3_bind_null(s, 12);
		sqlite3_bind_null(s, 13);
		sqlite3_bind_null(s, 14);
	}
	sqlite3_bind_blob(s, 15, hash, CHAIN_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "appending an event", err, errlen);
	if (seq != NULL)
		*seq = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* --- creating cases ------------------------------------------------------ */

static int
incident_valid(const struct incident *in, char *err, size_t errlen)
{
	if (in->grid == NULL || in->grid[0] == '\0')
		return gl_err(err, errlen, GL_EINVAL, "incident has no grid");
	if (in->district == NULL || in->township == NULL)
		return gl_err(err, errlen, GL_EINVAL, "incident's grid is not "
		    "resolved to a township and district");
	if (in->category == NULL || in->category[0] == '\0')
		return gl_err(err, errlen, GL_EINVAL, "incident has no "
		    "category");
	if (in->summary == NULL || in->summary[0] == '\0')
		return gl_err(err, errlen, GL_EINVAL, "incident has no "
		    "summary");
	if (in->priority < 1 || in->priority > 3)
		return gl_err(err, errlen, GL_EINVAL, "priority %d is not 1, "
		    "2 or 3", in->priority);
	if (in->limit <= 0)
		return gl_err(err, errlen, GL_EINVAL, "time limit %ld is not "
		    "positive", in->limit);
	return 0;
}

/*
 * The sender's id: unique per source (schema step 7, index cases_ext on
 * (ext_id, coalesce(source, ''))), a NULL source counting as "". The
 * normal path does not look the id up: the INSERT meets the unique index,
 * and only when it fails on it (a resend, rare) is the stored case read
 * and compared here, with a statement prepared for the occasion rather
 * than kept. Rejected: a SELECT before every INSERT, as before step 7,
 * which cost every new case a lookup to serve the few resends.
 *
 * "The same content" is every field the sender controls, as stored:
 * grid, category, priority (after intake gave an absent one the
 * category's default), summary, address, reporter, photos (the JSON text
 * the decoder made of the array), reported_at (the instant: "+08:00" and
 * "Z" spellings of one moment are the same), location (both absent, or
 * equal lat and lon). An absent optional text equals "". Source is part
 * of the key. Unknown fields are not stored, so not compared.
 */
#define CASE_EXT_SQL							\
	"SELECT id, no, duplicate_of, (SELECT d.no FROM cases d WHERE "	\
	"d.id = cases.duplicate_of), grid, category, priority, summary, " \
	"address, reporter, photos, lat, lon, reported_at FROM cases "	\
	"WHERE ext_id = ?1 AND coalesce(source, '') = ?2"

static int
case_ext_text_same(sqlite3_stmt *s, int i, const char *v)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return strcmp(t != NULL ? (const char *)t : "", v != NULL ? v :
	    "") == 0;
}

static int
case_ext_real_same(sqlite3_stmt *s, int i, double v)
{
	double	t = sqlite3_column_double(s, i);

	return !(t < v) && !(t > v);	/* ==, without -Wfloat-equal */
}

/* The first sender's field in which the stored row differs from in, NULL
 * when none does. */
static const char *
case_ext_differs(sqlite3_stmt *s, const struct incident *in)
{
	int	stored_loc = sqlite3_column_type(s, 11) != SQLITE_NULL;

	if (!case_ext_text_same(s, 4, in->grid))
		return "grid";
	if (!case_ext_text_same(s, 5, in->category))
		return "category";
	if (sqlite3_column_int(s, 6) != in->priority)
		return "priority";
	if (!case_ext_text_same(s, 7, in->summary))
		return "summary";
	if (!case_ext_text_same(s, 8, in->address))
		return "address";
	if (!case_ext_text_same(s, 9, in->reporter))
		return "reporter";
	if (!case_ext_text_same(s, 10, in->photos))
		return "photos";
	if (sqlite3_column_int64(s, 13) != (sqlite3_int64)in->reported_at)
		return "reported_at";
	if (stored_loc != (in->has_location != 0) || (stored_loc &&
	    (!case_ext_real_same(s, 11, in->lat) ||
	    !case_ext_real_same(s, 12, in->lon))))
		return "location";
	return NULL;
}

/* After the INSERT met the unique index: the case this source's ext_id
 * already names. 0 with out->replayed = 1 when its content is the same;
 * GL_EEXISTS (out->id and out->no naming it) when it differs; GL_ENOTFOUND,
 * err untouched, when there is none (the INSERT failed on another index). */
static int
case_ext_replay(struct store *st, const struct incident *in,
    struct store_created *out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	const char	*field;
	int		 rc;

	assert(in->ext_id != NULL);
	if ((rc = sqlite3_prepare_v2(st->db, CASE_EXT_SQL, -1, &s, NULL)) !=
	    SQLITE_OK)
		return store_sqlerr(st, rc, "looking up id", err, errlen);
	sqlite3_bind_text(s, 1, in->ext_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, in->source != NULL ? in->source : "", -1,
	    SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? GL_ENOTFOUND : store_sqlerr(st, rc,
		    "looking up id", err, errlen);
		sqlite3_finalize(s);
		return rc;
	}
	out->id = sqlite3_column_int64(s, 0);
	col_copy(s, 1, out->no, sizeof out->no);
	out->duplicate_of = sqlite3_column_int64(s, 2);
	col_copy(s, 3, out->duplicate_no, sizeof out->duplicate_no);
	if ((field = case_ext_differs(s, in)) == NULL) {
		out->replayed = 1;
		rc = 0;
	} else
		rc = gl_err(err, errlen, GL_EEXISTS, "id already used by case "
		    "%s (source %s) with another %s: a new report needs a new "
		    "id", out->no, in->source != NULL ? in->source : "(none)",
		    field);
	sqlite3_finalize(s);
	return rc;
}

static double
distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double	r = 6371000.0, rad = 3.14159265358979323846 / 180;
	double		dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double		a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) *
			    cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * atan2(sqrt(a), sqrt(1 - a));
}

/* The earliest open case this incident repeats: same grid and category,
 * reported within DUP_WINDOW before it, and within DUP_METRES where both
 * have a location. When that case is itself a duplicate whose original is
 * still open, the original is named (one event, one case to merge into);
 * otherwise the case itself. The index on (grid, category, reported_at)
 * gives the candidates in time order, so the first match ends the search
 * even in a burst of reports from one grid. */
static int
case_duplicate(struct store *st, const struct incident *in,
    struct store_created *out, char *err, size_t errlen)
{
	sqlite3_stmt	*s = store_stmt(st, SS_DUP_FIND, err, errlen);
	int		 rc, root;

	if (s == NULL)
		return GL_EDB;
	sqlite3_bind_text(s, 1, in->grid, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, in->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, in->reported_at - DUP_WINDOW);
	sqlite3_bind_int64(s, 4, in->reported_at);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (in->has_location && sqlite3_column_type(s, 2) !=
		    SQLITE_NULL && distance_m(in->lat, in->lon,
		    sqlite3_column_double(s, 2), sqlite3_column_double(s, 3)) >
		    DUP_METRES)
			continue;
		root = sqlite3_column_type(s, 4) != SQLITE_NULL ? 4 : 0;
		out->duplicate_of = sqlite3_column_int64(s, root);
		col_copy(s, root + 1, out->duplicate_no,
		    sizeof out->duplicate_no);
		break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    store_sqlerr(st, rc, "finding duplicates", err, errlen);
}

static void
bind_opt_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* The case an incident becomes, as case_insert stores it: the one place
 * that says what a new case starts as. Strings are borrowed from in. */
static void
case_of_incident(const struct incident *in, time_t now,
    const struct store_created *out, struct store_case *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->no, sizeof c->no, "%s", out->no);
	c->ext_id = (char *)in->ext_id;
	snprintf(c->grid, sizeof c->grid, "%s", in->grid);
	snprintf(c->township, sizeof c->township, "%s", in->township);
	snprintf(c->district, sizeof c->district, "%s", in->district);
	snprintf(c->category, sizeof c->category, "%s", in->category);
	c->priority = in->priority;
	c->summary = (char *)in->summary;
	c->address = (char *)in->address;
	c->reporter = (char *)in->reporter;
	c->source = (char *)in->source;
	c->photos = (char *)in->photos;
	c->has_location = in->has_location;
	c->lat = in->has_location ? in->lat : 0;
	c->lon = in->has_location ? in->lon : 0;
	c->reported_at = in->reported_at;
	c->created_at = c->updated_at = now;
	c->state = c->before = CS_REPORTED;
	c->level = STORE_LEVEL_NEW;
	c->limit = in->limit;
	c->unit = in->unit;
	c->duplicate_of = out->duplicate_of;
	snprintf(c->duplicate_no, sizeof c->duplicate_no, "%s",
	    out->duplicate_no);
	c->version = 1;
}

/* Copy of the borrowed case c into out, every string owned. */
static int
case_own(const struct store_case *c, struct store_case *out, char *err,
    size_t errlen)
{
	char	**f[] = { &out->ext_id, &out->summary, &out->address,
		    &out->reporter, &out->source, &out->photos, &out->agency,
		    &out->support };
	size_t	  i;

	*out = *c;
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (*f[i] != NULL && (*f[i] = strdup(*f[i])) == NULL) {
			while (++i < sizeof f / sizeof f[0])
				*f[i] = NULL;
			store_case_clear(out);
			return gl_err(err, errlen, GL_ENOMEM, "out of memory");
		}
	return 0;
}

/* Insert c; on failure *taken says whether a unique index refused it
 * while c has an ext_id (perhaps a resend: case_ext_replay decides). */
static int
case_insert(struct store *st, struct store_case *c, int *taken, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s = store_stmt(st, SS_CASE_INSERT, err, errlen);
	int		 rc;

	*taken = 0;
	if (s == NULL)
		return GL_EDB;
	sqlite3_bind_text(s, 1, c->no, -1, SQLITE_STATIC);
	bind_opt_text(s, 2, c->ext_id);
	sqlite3_bind_text(s, 3, c->grid, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, c->township, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, c->district, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, c->category, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, c->priority);
	sqlite3_bind_text(s, 8, c->summary, -1, SQLITE_STATIC);
	bind_opt_text(s, 9, c->address);
	bind_opt_text(s, 10, c->reporter);
	bind_opt_text(s, 11, c->source);
	bind_opt_text(s, 12, c->photos);
	if (c->has_location) {
		sqlite3_bind_double(s, 13, c->lat);
		sqlite3_bind_double(s, 14, c->lon);
	}
	sqlite3_bind_int64(s, 15, c->reported_at);
	sqlite3_bind_int64(s, 16, c->created_at);
	sqlite3_bind_int64(s, 17, c->updated_at);
	sqlite3_bind_text(s, 18, case_state_name(c->state), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(s, 19, c->level);
	sqlite3_bind_int64(s, 20, c->limit);
	sqlite3_bind_int(s, 21, (int)c->unit);
	if (c->duplicate_of != 0)
		sqlite3_bind_int64(s, 22, c->duplicate_of);
	sqlite3_bind_int64(s, 23, c->version);
	rc = sqlite3_step(s);
	*taken = rc != SQLITE_DONE && c->ext_id != NULL &&
	    sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE;
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "storing the case", err, errlen);
	c->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* The report event carries the incident itself, so that the log alone can
 * replay a shift or feed an open-data export. */
static char *
report_detail(const struct incident *in, const struct store_created *out)
{
	struct jbuf	b;

	jbuf_init(&b);
	jbuf_open(&b);
	jbuf_key(&b, "ext_id");
	jbuf_str(&b, in->ext_id);
	jbuf_key(&b, "grid");
	jbuf_str(&b, in->grid);
	jbuf_key(&b, "category");
	jbuf_str(&b, in->category);
	jbuf_key(&b, "priority");
	jbuf_int(&b, in->priority);
	jbuf_key(&b, "reported_at");
	jbuf_int(&b, in->reported_at);
	jbuf_key(&b, "source");
	jbuf_str(&b, in->source);
	jbuf_key(&b, "summary");
	jbuf_str(&b, in->summary);
	jbuf_key(&b, "address");
	jbuf_str(&b, in->address);
	if (out->duplicate_of != 0) {
		jbuf_key(&b, "duplicate_of");
		jbuf_str(&b, out->duplicate_no);
	}
	jbuf_close(&b);
	if (!jbuf_ok(&b)) {
		jbuf_free(&b);
		return NULL;
	}
	return b.p;
}

/* The first event of a case: the report itself. */
static int
case_report_event(struct store *st, const struct incident *in,
    const char *actor, time_t now, struct store_created *out, char *err,
    size_t errlen)
{
	struct ev	 e;
	char		*detail;
	int		 rc;

	if ((detail = report_detail(in, out)) == NULL)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	memset(&e, 0, sizeof e);
	e.case_id = out->id;
	e.version = 1;
	e.at = now;
	e.actor = actor;
	e.action = case_action_name(CA_REPORT);
	e.to = case_state_name(CS_REPORTED);
	e.detail = detail;
	rc = event_append(st, &e, &out->seq, err, errlen);
	free(detail);
	return rc;
}

/* A resend (the INSERT met the unique index on the sender's id): the same
 * content is a replay, returning the stored case, other content is
 * GL_EEXISTS; nothing is written either way. */
static int
case_create_resend(struct store *st, const struct incident *in,
    int rc, struct store_created *out, struct store_case *stored,
    char *err, size_t errlen)
{
	int	r;

	out->duplicate_of = 0;
	out->duplicate_no[0] = '\0';
	if ((r = case_ext_replay(st, in, out, err, errlen)) == GL_ENOTFOUND)
		return rc;		/* another index: its message stands */
	if (r != 0 || stored == NULL)
		return r;
	return store_case_read(st, NULL, out->id, stored, err, errlen);
}

static int
case_create_body(struct store *st, const struct incident *in,
    const char *actor, time_t now, struct store_created *out,
    struct store_case *stored, char *err, size_t errlen)
{
	struct store_case	c;
	int			rc, taken = 0;

	if ((rc = store_seq_next(st, in->district, now, out->no,
	    sizeof out->no, err, errlen)) != 0)
		return rc;
	if ((rc = case_duplicate(st, in, out, err, errlen)) == 0) {
		case_of_incident(in, now, out, &c);
		rc = case_insert(st, &c, &taken, err, errlen);
	}
	if (rc != 0 && taken) {
		store_seq_unissue(st, out->no);
		return case_create_resend(st, in, rc, out, stored, err,
		    errlen);
	}
	if (rc == 0) {
		out->id = c.id;
		rc = case_report_event(st, in, actor, now, out, err, errlen);
	}
	if (rc == 0 && stored != NULL)
		rc = case_own(&c, stored, err, errlen);
	if (rc != 0)
		store_seq_unissue(st, out->no);
	return rc;
}

int
store_case_create(struct store *st, const struct incident *in,
    const char *actor, time_t now, struct store_created *out,
    struct store_case *stored, char *err, size_t errlen)
{
	int	rc;

	memset(out, 0, sizeof *out);
	if (stored != NULL)
		memset(stored, 0, sizeof *stored);
	if (actor == NULL || actor[0] == '\0')
		return gl_err(err, errlen, GL_EINVAL, "no actor given");
	if ((rc = incident_valid(in, err, errlen)) != 0)
		return rc;
	if ((rc = sp_run(st, SS_SAVEPOINT, err, errlen)) != 0)
		return rc;
	rc = case_create_body(st, in, actor, now, out, stored, err, errlen);
	if ((rc = sp_end(st, rc, err, errlen)) == 0 && !out->replayed)
		st->fts_pending++;
	else if (rc != 0 && stored != NULL)
		store_case_clear(stored);
	return rc;
}

/* --- applying actions ---------------------------------------------------- */

/* Seconds of the unit's own clock in amount units, into *out; GL_ERANGE
 * (nothing computed) when amount is not 1 to a year of the unit
 * (calendar_unit_year): a request from before the bound existed may hold
 * any number, and the product must never overflow. */
static int
unit_seconds(const struct calendar *cal, long amount, enum cal_unit u,
    long *out)
{
	long	per = u == CAL_WORK_DAYS ? calendar_day_seconds(cal) : 3600;

	if (amount < 1 || amount > calendar_unit_year(u) ||
	    __builtin_mul_overflow(amount, per, out))
		return GL_ERANGE;
	return 0;
}

/* Extension: amount (a->amount, else the one asked for) of o's unit added
 * to the time left in n; GL_ERANGE when it is out of bounds or the sum
 * would overflow. */
static int
effect_grant(const struct calendar *cal, const struct store_case *o,
    struct store_case *n, const struct case_act *a, char *err, size_t errlen)
{
	long	amount = a->amount > 0 ? a->amount : o->ext_amount, secs;

	if (unit_seconds(cal, amount, o->unit, &secs) != 0 ||
	    __builtin_add_overflow(n->remaining, secs, &n->remaining))
		return gl_err(err, errlen, GL_ERANGE, "%s: an extension is 1 "
		    "to %ld of the case's unit (%s), not %ld",
		    case_action_name(a->action), calendar_unit_year(o->unit),
		    calendar_unit_name(o->unit), amount);
	n->ext_pending = 0;
	n->ext_amount = 0;
	return 0;
}

const char *
store_act_missing(const struct case_act *a)
{
	const struct lifecycle_rule *r = lifecycle_rule(a->action);
	enum return_reason rr;
	enum callback_result cb;

	if (r == NULL)
		return NULL;
	if (a->actor == NULL || a->actor[0] == '\0')
		return "operator";
	if ((r->needs & LC_NEED_AGENCY) && (a->agency == NULL ||
	    a->agency[0] == '\0'))
		return "agency";
	if ((r->needs & LC_NEED_TARGET) && (a->target == NULL ||
	    a->target[0] == '\0'))
		return "target";
	if ((r->needs & LC_NEED_AMOUNT) && a->amount <= 0)
		return "amount";
	if (r->needs & LC_NEED_CODE) {
		if (a->reason_code == NULL ||
		    return_reason_parse(a->reason_code, &rr) != 0)
			return "reason_code";
		if (rr == RR_OTHER && (a->reason == NULL ||
		    a->reason[0] == '\0'))
			return "reason";
	}
	if ((r->needs & LC_NEED_REASON) && (a->reason == NULL ||
	    a->reason[0] == '\0'))
		return "reason";
	if (r->needs & LC_NEED_RESULT) {
		if (a->result == NULL ||
		    callback_result_parse(a->result, &cb) != 0)
			return "result";
		if (a->reopen && cb != CB_UNSATISFIED)
			return "reopen";
		if (a->reopen && (a->reason == NULL || a->reason[0] == '\0'))
			return "reason";
	}
	return NULL;
}

/* What an action needs, checked before anything is computed: the first
 * field store_act_missing names, in words. */
static int
act_needs(const struct case_act *a, char *err, size_t errlen)
{
	const char	*f = store_act_missing(a);
	const char	*name = case_action_name(a->action);

	if (f == NULL)
		return 0;
	if (strcmp(f, "operator") == 0)
		return gl_err(err, errlen, GL_EINVAL, "%s: no operator given",
		    name);
	if (strcmp(f, "agency") == 0)
		return gl_err(err, errlen, GL_EINVAL, "%s: an agency is "
		    "needed", name);
	if (strcmp(f, "target") == 0)
		return gl_err(err, errlen, GL_EINVAL, "%s: the case to merge "
		    "into is needed", name);
	if (strcmp(f, "amount") == 0)
		return gl_err(err, errlen, GL_EINVAL, "%s: a positive amount "
		    "of time is needed", name);
	if (strcmp(f, "reason_code") == 0)
		return gl_err(err, errlen, GL_EINVAL, "%s: reason code '%s' is "
		    "not one of wrong_area, unclear_ownership, "
		    "overlapping_duty, not_our_duty, incomplete, other", name,
		    a->reason_code ? a->reason_code : "");
	if (strcmp(f, "result") == 0)
		return gl_err(err, errlen, GL_EINVAL, "%s: result '%s' is not "
		    "one of satisfied, basically_satisfied, unsatisfied, "
		    "unreachable", name, a->result ? a->result : "");
	if (strcmp(f, "reopen") == 0)
		return gl_err(err, errlen, GL_EINVAL, "%s: only an unsatisfied "
		    "call-back reopens a case", name);
	if (a->action == CA_CALLBACK)
		return gl_err(err, errlen, GL_EINVAL, "%s: reopening needs a "
		    "reason", name);
	if (lifecycle_rule(a->action)->needs & LC_NEED_CODE)
		return gl_err(err, errlen, GL_EINVAL, "%s: reason 'other' "
		    "needs a text", name);
	return gl_err(err, errlen, GL_EINVAL, "%s: a reason is needed", name);
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v != NULL && v[0] != '\0' ? strdup(v) : NULL;
}

/*
 * The clock rule, in one place. The deadline clock runs while an agency
 * holds the case (dispatched, acknowledged, in hand) and no extension is
 * pending. Parking, merging or an extension request pause it, keeping the
 * clock seconds left; going back to an agency state resumes it from there.
 * A case that was already overdue when paused resumes exactly as overdue as
 * it was (the deadline moves back into the past by the overdue time), so
 * neither is lateness forgiven nor is the pause counted as lateness.
 */
static void
case_clock(const struct calendar *cal, const struct store_case *o,
    struct store_case *n, time_t at)
{
	int	ran = case_state_clock_runs(o->state) && !o->ext_pending &&
		    o->paused_at == 0 && o->due_at != 0;
	int	runs = case_state_clock_runs(n->state) && !n->ext_pending;

	if (ran && !runs && (n->state == CS_PARKED ||
	    n->state == CS_MERGED || n->ext_pending)) {
		n->paused_at = at;
		n->remaining = o->due_at > at ? calendar_elapsed(cal, at,
		    o->due_at, o->unit) : -calendar_elapsed(cal, o->due_at,
		    at, o->unit);
	} else if (n->paused_at != 0 && runs) {
		n->due_at = n->remaining >= 0 ?
		    calendar_add_seconds(cal, at, n->remaining, n->unit) :
		    calendar_sub_seconds(cal, at, -n->remaining, n->unit);
		n->paused_at = 0;
		n->remaining = 0;
	}
}

/* A new full time limit from at (dispatch, rework). */
static void
case_deadline(const struct calendar *cal, struct store_case *n, time_t at)
{
	n->due_at = calendar_add(cal, at, n->limit, n->unit);
	n->paused_at = 0;
	n->remaining = 0;
}

static int
effect_merge(struct store *st, const struct store_case *o,
    struct store_case *n, const struct case_act *a, char *err, size_t errlen)
{
	struct store_case	t;
	int			rc;

	if (strcmp(a->target, o->no) == 0)
		return gl_err(err, errlen, GL_EINVAL, "merge: a case cannot "
		    "be merged into itself");
	if ((rc = store_case_read(st, a->target, 0, &t, err, errlen)) != 0)
		return rc;
	if (!case_state_open(t.state))
		rc = gl_err(err, errlen, GL_ESTATE, "merge: case %s is %s "
		    "(%s) and cannot take another case", t.no,
		    case_state_name(t.state), case_state_zh(t.state));
	else
		n->merged_into = t.id;
	store_case_clear(&t);
	n->before = o->state;
	return rc;
}

/* A call-back: on a hotline case only; its result kept on the case; an
 * unsatisfied one with reopen sends the case to the desk as a reopen
 * does (one event, action callback, to registered). */
static int
effect_callback(const struct store_case *o, struct store_case *n,
    const struct case_act *a, char *err, size_t errlen)
{
	enum callback_result	r;

	if (o->source == NULL || strcmp(o->source, CALLBACK_SOURCE) != 0)
		return gl_err(err, errlen, GL_EINVAL, "callback: case %s did "
		    "not come through the 12345 hotline (source %s)", o->no,
		    o->source != NULL ? o->source : "none");
	if (callback_result_parse(a->result, &r) != 0)
		return gl_err(err, errlen, GL_EINVAL, "callback: no result");
	snprintf(n->callback, sizeof n->callback, "%s",
	    callback_result_name(r));
	n->callback_at = a->at;
	if (!a->reopen)
		return 0;
	n->state = CS_REGISTERED;
	n->closed_at = 0;
	set_str(&n->agency, NULL);
	set_str(&n->support, NULL);
	n->due_at = n->paused_at = 0;
	n->remaining = 0;
	return 0;
}

/* The changes an action makes beyond the state, into n. */
static int
case_effect(struct store *st, const struct store_case *o,
    struct store_case *n, const struct case_act *a, char *err, size_t errlen)
{
	const struct calendar *cal = st->cal;

	switch (a->action) {
	case CA_DISPATCH:
		set_str(&n->agency, a->agency);
		set_str(&n->support, a->support);
		case_deadline(cal, n, a->at);
		break;
	case CA_REWORK:
		n->reworks++;
		case_deadline(cal, n, a->at);
		break;
	case CA_RETURN:
		n->returns++;
		set_str(&n->agency, NULL);
		set_str(&n->support, NULL);
		n->due_at = n->paused_at = 0;
		n->remaining = 0;
		n->ext_pending = 0;
		n->ext_amount = 0;
		break;
	case CA_EXT_REQUEST:
		if (a->amount > calendar_unit_year(o->unit))
			return gl_err(err, errlen, GL_ERANGE, "%s: an "
			    "extension is 1 to %ld of the case's unit (%s), "
			    "not %ld", case_action_name(a->action),
			    calendar_unit_year(o->unit),
			    calendar_unit_name(o->unit), a->amount);
		n->ext_pending = 1;
		n->ext_amount = a->amount;
		break;
	case CA_EXT_GRANT:
		return effect_grant(cal, o, n, a, err, errlen);
	case CA_EXT_REFUSE:
		n->ext_pending = 0;
		n->ext_amount = 0;
		break;
	case CA_PRESS:
		n->presses++;
		break;
	case CA_MERGE:
		return effect_merge(st, o, n, a, err, errlen);
	case CA_UNMERGE:
		n->merged_into = 0;
		break;
	case CA_ESCALATE:
		if (o->level <= 0)
			return gl_err(err, errlen, GL_ESTATE, "escalate: case "
			    "%s is already at the city's command centre",
			    o->no);
		n->level = o->level - 1;
		break;
	case CA_PARK:
		n->before = o->state;
		break;
	case CA_CLOSE:
		n->closed_at = a->at;
		break;
	case CA_CALLBACK:
		return effect_callback(o, n, a, err, errlen);
	case CA_REOPEN:		/* to the desk, to be dispatched anew */
		n->closed_at = 0;
		set_str(&n->agency, NULL);
		set_str(&n->support, NULL);
		n->due_at = n->paused_at = 0;
		n->remaining = 0;
		break;
	default:
		break;
	}
	if (!case_state_clock_runs(n->state)) {
		n->ext_pending = 0;	/* a request lapses when the case */
		n->ext_amount = 0;	/* leaves the agency's hands */
	}
	return 0;
}

static void
diff_int(struct jbuf *b, const char *k, int64_t x, int64_t y)
{
	if (x == y)
		return;
	jbuf_key(b, k);
	jbuf_raw(b, "[");
	jbuf_int(b, x);
	jbuf_raw(b, ",");
	jbuf_int(b, y);
	jbuf_raw(b, "]");
}

static void
diff_str(struct jbuf *b, const char *k, const char *x, const char *y)
{
	if ((x == NULL && y == NULL) || (x != NULL && y != NULL &&
	    strcmp(x, y) == 0))
		return;
	jbuf_key(b, k);
	jbuf_raw(b, "[");
	jbuf_str(b, x);
	jbuf_raw(b, ",");
	jbuf_str(b, y);
	jbuf_raw(b, "]");
}

/* {"changes":{"field":[before,after],...},"note":...}; NULL when OOM. */
static char *
act_detail(const struct store_case *o, const struct store_case *n,
    const struct case_act *a)
{
	struct jbuf	b;

	jbuf_init(&b);
	jbuf_open(&b);
	jbuf_key(&b, "changes");
	jbuf_open(&b);
	diff_str(&b, "state", case_state_name(o->state),
	    case_state_name(n->state));
	diff_str(&b, "agency", o->agency, n->agency);
	diff_str(&b, "support", o->support, n->support);
	diff_int(&b, "level", o->level, n->level);
	diff_int(&b, "due_at", o->due_at, n->due_at);
	diff_int(&b, "paused_at", o->paused_at, n->paused_at);
	diff_int(&b, "remaining", o->remaining, n->remaining);
	diff_int(&b, "ext_pending", o->ext_pending, n->ext_pending);
	diff_int(&b, "ext_amount", o->ext_amount, n->ext_amount);
	diff_int(&b, "returns", o->returns, n->returns);
	diff_int(&b, "reworks", o->reworks, n->reworks);
	diff_int(&b, "presses", o->presses, n->presses);
	diff_int(&b, "merged_into", o->merged_into, n->merged_into);
	diff_int(&b, "closed_at", o->closed_at, n->closed_at);
	diff_str(&b, "callback", o->callback[0] ? o->callback : NULL,
	    n->callback[0] ? n->callback : NULL);
	diff_int(&b, "version", o->version, n->version);
	jbuf_close(&b);
	if (a->target != NULL && a->action == CA_MERGE) {
		jbuf_key(&b, "target");
		jbuf_str(&b, a->target);
	}
	if (a->action == CA_CALLBACK) {
		jbuf_key(&b, "result");
		jbuf_str(&b, n->callback);
		jbuf_key(&b, "reopen");
		jbuf_raw(&b, a->reopen ? "true" : "false");
	}
	if (a->amount != 0) {
		jbuf_key(&b, "amount");
		jbuf_int(&b, a->amount);
	}
	if (a->detail != NULL && a->detail[0] != '\0') {
		jbuf_key(&b, "note");
		jbuf_raw(&b, a->detail);
	}
	jbuf_close(&b);
	if (!jbuf_ok(&b)) {
		jbuf_free(&b);
		return NULL;
	}
	return b.p;
}

static void
bind_opt_int(sqlite3_stmt *s, int i, int64_t v)
{
	if (v != 0)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static int
case_update(struct store *st, const struct store_case *o,
    const struct store_case *n, char *err, size_t errlen)
{
	sqlite3_stmt	*s = store_stmt(st, SS_CASE_UPDATE, err, errlen);
	int		 rc;

	if (s == NULL)
		return GL_EDB;
	sqlite3_bind_text(s, 1, case_state_name(n->state), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, case_state_name(n->before), -1,
	    SQLITE_STATIC);
	bind_opt_text(s, 3, n->agency);
	bind_opt_text(s, 4, n->support);
	sqlite3_bind_int(s, 5, n->level);
	bind_opt_int(s, 6, n->due_at);
	bind_opt_int(s, 7, n->paused_at);
	sqlite3_bind_int64(s, 8, n->remaining);
	sqlite3_bind_int(s, 9, n->ext_pending);
	bind_opt_int(s, 10, n->ext_amount);
	sqlite3_bind_int(s, 11, n->returns);
	sqlite3_bind_int(s, 12, n->reworks);
	sqlite3_bind_int(s, 13, n->presses);
	bind_opt_int(s, 14, n->merged_into);
	bind_opt_int(s, 15, n->closed_at);
	sqlite3_bind_int64(s, 16, n->updated_at);
	sqlite3_bind_int64(s, 17, n->version);
	sqlite3_bind_int64(s, 18, o->id);
	sqlite3_bind_int64(s, 19, o->version);
	bind_opt_text(s, 20, n->callback[0] ? n->callback : NULL);
	bind_opt_int(s, 21, n->callback_at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "updating the case", err, errlen);
	if (sqlite3_changes(st->db) != 1)
		return gl_err(err, errlen, GL_ECONFLICT, "case %s changed "
		    "while it was being updated", o->no);
	return 0;
}

/* Copy o into n, duplicating the owned strings. */
static int
case_copy(const struct store_case *o, struct store_case *n)
{
	*n = *o;
	n->ext_id = n->summary = n->address = n->reporter = NULL;
	n->source = n->photos = n->agency = n->support = NULL;
	set_str(&n->agency, o->agency);
	set_str(&n->support, o->support);
	if ((o->agency != NULL && n->agency == NULL) ||
	    (o->support != NULL && n->support == NULL))
		return GL_ENOMEM;
	return 0;
}

/* Record the new row and its event. */
static int
case_write(struct store *st, const struct store_case *o,
    const struct store_case *n, const struct case_act *a, int64_t *seq,
    char *err, size_t errlen)
{
	struct ev	 e;
	enum return_reason rr;
	char		*detail;
	int		 rc;

	if ((rc = case_update(st, o, n, err, errlen)) != 0)
		return rc;
	if ((detail = act_detail(o, n, a)) == NULL)
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	memset(&e, 0, sizeof e);
	e.case_id = o->id;
	e.version = n->version;
	e.at = a->at;
	e.actor = a->actor;
	e.action = case_action_name(a->action);
	e.from = case_state_name(o->state);
	e.to = case_state_name(n->state);
	e.agency = a->action == CA_DISPATCH ? n->agency : o->agency;
	e.code = NULL;
	if (a->reason_code != NULL &&
	    return_reason_parse(a->reason_code, &rr) == 0)
		e.code = return_reason_name(rr);	/* one spelling */
	if (a->action == CA_CALLBACK)
		e.code = n->callback;	/* the result, for the figures */
	e.reason = a->reason;
	e.detail = detail;
	e.signer_key = a->signer_key;
	e.sig = a->sig;
	e.request = a->request;
	e.request_len = a->request_len;
	rc = event_append(st, &e, seq, err, errlen);
	free(detail);
	return rc;
}

static int
case_apply_body(struct store *st, const char *no, const struct case_act *a,
    struct store_case *o, struct store_case *n, int64_t *seq, char *err,
    size_t errlen)
{
	enum case_state	to;
	int		rc;

	if ((rc = store_case_read(st, no, 0, o, err, errlen)) != 0)
		return rc;
	if (a->version != 0 && a->version != o->version)
		return gl_err(err, errlen, GL_ECONFLICT, "case %s is at "
		    "version %lld, not %lld: it was changed meanwhile", no,
		    (long long)o->version, (long long)a->version);
	if ((rc = lifecycle_check(o->state, o->ext_pending, o->before,
	    a->action, &to, err, errlen)) != 0)
		return rc;
	if ((rc = case_copy(o, n)) != 0)
		return gl_err(err, errlen, rc, "out of memory");
	n->state = to;
	if ((rc = case_effect(st, o, n, a, err, errlen)) != 0)
		return rc;
	case_clock(st->cal, o, n, a->at);
	n->version = o->version + 1;
	n->updated_at = a->at;
	return case_write(st, o, n, a, seq, err, errlen);
}

int
store_case_apply(struct store *st, const char *no, const struct case_act *a,
    struct store_case *after, int64_t *seq, char *err, size_t errlen)
{
	struct store_case	o, n;
	int			rc, rc2;

	memset(&o, 0, sizeof o);
	memset(&n, 0, sizeof n);
	if ((unsigned)a->action >= CA__COUNT || a->action == CA_REPORT)
		return gl_err(err, errlen, GL_EINVAL, "'%s' is not an action "
		    "on an existing case", case_action_name(a->action));
	if ((rc = act_needs(a, err, errlen)) != 0)
		return rc;
	if ((rc = sp_run(st, SS_SAVEPOINT, err, errlen)) != 0)
		return rc;
	rc = case_apply_body(st, no, a, &o, &n, seq, err, errlen);
	rc = sp_end(st, rc, err, errlen);
	store_case_clear(&n);
	store_case_clear(&o);
	if (after != NULL && (rc == 0 || rc == GL_ECONFLICT)) {
		rc2 = store_case_read(st, no, 0, after, NULL, 0);
		if (rc2 != 0)
			memset(after, 0, sizeof *after);
	}
	return rc;
}

/* --- reading the log ----------------------------------------------------- */

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static int
events_each(struct store *st, sqlite3_stmt *s, store_event_cb cb, void *arg,
    char *err, size_t errlen)
{
	struct store_event	e;
	int			rc, stop = 0;

	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		e.seq = sqlite3_column_int64(s, 0);
		e.case_id = sqlite3_column_int64(s, 1);
		e.case_no = col_text(s, 2);
		e.version = sqlite3_column_int64(s, 3);
		e.at = sqlite3_column_int64(s, 4);
		e.actor = col_text(s, 5);
		e.action = col_text(s, 6);
		e.from_state = col_text(s, 7);
		e.to_state = col_text(s, 8);
		e.agency = col_text(s, 9);
		e.reason_code = col_text(s, 10);
		e.reason = col_text(s, 11);
		e.detail = col_text(s, 12);
		stop = cb(arg, &e);
	}
	sqlite3_reset(s);
	if (!stop && rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "reading events", err, errlen);
	return 0;
}

int
store_case_history(struct store *st, const char *no, store_event_cb cb,
    void *arg, char *err, size_t errlen)
{
	sqlite3_stmt	*s = store_stmt(st, SS_HISTORY, err, errlen);

	if (s == NULL)
		return GL_EDB;
	sqlite3_bind_text(s, 1, no, -1, SQLITE_STATIC);
	return events_each(st, s, cb, arg, err, errlen);
}

int
store_events(struct store *st, int64_t after, int limit, store_event_cb cb,
    void *arg, char *err, size_t errlen)
{
	sqlite3_stmt	*s = store_stmt(st, SS_EVENTS, err, errlen);

	if (s == NULL)
		return GL_EDB;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	return events_each(st, s, cb, arg, err, errlen);
}
