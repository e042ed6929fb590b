/*
 * store-reject.c: the dead-letter table (see store.h).
 *
 * Every request or item the server refuses is kept with its bytes, so that
 * an operator can see what a feeder sent and replay it once fixed. Bodies
 * are cut at STORE_REJECT_MAX: the table must not become the way to fill
 * the disk with garbage, and 64 KiB is plenty to see what went wrong.
 */
#include <string.h>

#include "error.h"
#include "store-int.h"

int
store_reject_add(struct store *st, const struct store_reject *r, char *err,
    size_t errlen)
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
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, rc, "keeping a reject",
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
