/*
 * store-audit.c: the event log as an auditor reads it (see store.h): every
 * row in seq order with its chain fields, for `gridline audit`.
 */
#include <string.h>

#include "error.h"
#include "store-int.h"

int
store_audit_each(struct store *st, store_audit_cb cb, void *arg, char *err,
    size_t errlen)
{
	struct store_audit_row	 a;
	sqlite3_stmt		*s;
	int			 rc, stop = 0;

	rc = sqlite3_prepare_v2(st->db, "SELECT seq, case_id, version, at, "
	    "actor, action, from_state, to_state, agency, reason_code, reason, "
	    "detail, signer_key, sig, request, hash FROM events ORDER BY seq",
	    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "reading the event log", err,
		    errlen);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.seq = sqlite3_column_int64(s, 0);
		a.row.case_id = sqlite3_column_int64(s, 1);
		a.row.version = sqlite3_column_int64(s, 2);
		a.row.at = sqlite3_column_int64(s, 3);
		a.row.actor = (const char *)sqlite3_column_text(s, 4);
		a.row.action = (const char *)sqlite3_column_text(s, 5);
		a.row.from = (const char *)sqlite3_column_text(s, 6);
		a.row.to = (const char *)sqlite3_column_text(s, 7);
		a.row.agency = (const char *)sqlite3_column_text(s, 8);
		a.row.code = (const char *)sqlite3_column_text(s, 9);
		a.row.reason = (const char *)sqlite3_column_text(s, 10);
		a.row.detail = (const char *)sqlite3_column_text(s, 11);
		if (sqlite3_column_bytes(s, 12) == 32)
			a.row.signer_key = sqlite3_column_blob(s, 12);
		if (sqlite3_column_bytes(s, 13) == 64)
			a.row.sig = sqlite3_column_blob(s, 13);
		if (sqlite3_column_type(s, 14) != SQLITE_NULL) {
			a.row.request = (const char *)sqlite3_column_text(s,
			    14);
			a.row.request_len = (size_t)sqlite3_column_bytes(s,
			    14);
		}
		if (sqlite3_column_type(s, 15) != SQLITE_NULL) {
			a.hash = sqlite3_column_blob(s, 15);
			a.hash_len = (size_t)sqlite3_column_bytes(s, 15);
		}
		stop = cb(arg, &a);
	}
	rc = stop || rc == SQLITE_DONE ? 0 : store_sqlerr(st, rc,
	    "reading the event log", err, errlen);
	sqlite3_finalize(s);
	return rc;
}
