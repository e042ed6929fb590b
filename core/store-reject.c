/*
 * store-reject.c: the dead-letter table (see store.h).
 *
 * Every request or item the server refuses is kept with its bytes, so that
 * an operator can see what a feeder sent and replay it once fixed. Bodies
 * are cut at STORE_REJECT_MAX: the table must not become the way to fill
 * the disk with garbage, and 64 KiB is plenty to see what went wrong.
 *
 * For the same reason the table holds at most STORE_REJECT_ROWS rows
 * (store-bounds.h): 300 bad arrays once added 1.2 million rows in under
 * 10 s. The insert that goes over deletes the oldest, in one savepoint
 * with it, so the table never holds more, in a transaction or not. Ids are
 * INTEGER PRIMARY KEY without AUTOINCREMENT and only this file deletes, and
 * only the oldest: the newest row always stays, so ids stay consecutive
 * (a rolled-back insert gives its id back) and the oldest kept id less one
 * is the number dropped. The count needs no table of its own (no schema
 * step) and survives restarts; the kept count is max - min + 1, two index
 * lookups, not a scan. Rejected: a counter in memory (lost at restart, and
 * not the store's to keep for the server), a trigger (the cap would live
 * in the schema, changed only by a migration).
 */
#include <string.h>

#include "error.h"
#include "store-bounds.h"
#include "store-int.h"

/* Drop the rejects older than the newest STORE_REJECT_ROWS. */
static int
store_reject_trim(struct store *st, int64_t last, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (last <= STORE_REJECT_ROWS)
		return 0;
	rc = sqlite3_prepare_v2(st->db, "DELETE FROM rejects WHERE id <= ?",
	    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "dropping old rejects", err,
		    errlen);
	sqlite3_bind_int64(s, 1, last - STORE_REJECT_ROWS);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, rc,
	    "dropping old rejects", err, errlen);
}

static int
store_reject_insert(struct store *st, const struct store_reject *r,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	size_t		 keep = r->body_len < STORE_REJECT_MAX ? r->body_len :
			    STORE_REJECT_MAX;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "INSERT INTO rejects (at, endpoint, "
	    "code, field, message, item, size, body) VALUES (?,?,?,?,?,?,?,?)",
	    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "keeping a reject", err, errlen);
	sqlite3_bind_int64(s, 1, r->at);
	sqlite3_bind_text(s, 2, r->endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->field != NULL && r->field[0] != '\0' ?
	    r->field : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, r->message, -1, SQLITE_STATIC);
	if (r->item >= 0)
		sqlite3_bind_int64(s, 6, r->item);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)r->size);
	sqlite3_bind_blob(s, 8, r->body != NULL ? r->body : "", (int)keep,
	    SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "keeping a reject", err, errlen);
	return store_reject_trim(st, sqlite3_last_insert_rowid(st->db), err,
	    errlen);
}

int
store_reject_add(struct store *st, const struct store_reject *r, char *err,
    size_t errlen)
{
	int	rc;

	rc = sqlite3_exec(st->db, "SAVEPOINT rj", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "keeping a reject", err, errlen);
	if ((rc = store_reject_insert(st, r, err, errlen)) != 0) {
		sqlite3_exec(st->db, "ROLLBACK TO rj; RELEASE rj", NULL, NULL,
		    NULL);
		return rc;
	}
	rc = sqlite3_exec(st->db, "RELEASE rj", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_sqlerr(st, rc, "keeping a reject",
	    err, errlen);
}

int
store_reject_count(struct store *st, int64_t *kept, int64_t *dropped,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	*kept = *dropped = 0;
	rc = sqlite3_prepare_v2(st->db, "SELECT coalesce(hi - lo + 1, 0), "
	    "coalesce(lo - 1, 0) FROM (SELECT (SELECT max(id) FROM rejects) "
	    "AS hi, (SELECT min(id) FROM rejects) AS lo)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "counting rejects", err, errlen);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*kept = sqlite3_column_int64(s, 0);
		*dropped = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, rc, "counting rejects",
	    err, errlen);
}

int
store_rejects(struct store *st, int64_t before, int limit,
    store_reject_cb cb, void *arg, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	struct store_reject	 r;
	int			 rc, stop = 0;

	rc = sqlite3_prepare_v2(st->db, "SELECT id, at, endpoint, code, field, "
	    "message, coalesce(item, -1), size, body FROM rejects "
	    "WHERE ? = 0 OR id < ? ORDER BY id DESC LIMIT ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "reading rejects", err, errlen);
	sqlite3_bind_int64(s, 1, before);
	sqlite3_bind_int64(s, 2, before);
	sqlite3_bind_int(s, 3, limit);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(s, 0);
		r.at = sqlite3_column_int64(s, 1);
		r.endpoint = (const char *)sqlite3_column_text(s, 2);
		r.code = (const char *)sqlite3_column_text(s, 3);
		r.field = (const char *)sqlite3_column_text(s, 4);
		r.message = (const char *)sqlite3_column_text(s, 5);
		r.item = (long)sqlite3_column_int64(s, 6);
		r.size = (size_t)sqlite3_column_int64(s, 7);
		r.body = sqlite3_column_blob(s, 8);
		r.body_len = (size_t)sqlite3_column_bytes(s, 8);
		stop = cb(arg, &r);
	}
	if (!stop && rc != SQLITE_DONE)
		rc = store_sqlerr(st, rc, "reading rejects", err, errlen);
	else
		rc = 0;
	sqlite3_finalize(s);
	return rc;
}
