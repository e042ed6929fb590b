/*
 * store-rating.c: townships' ratings of the stationed units that serve
 * them (schema step 11; see store.h).
 *
 * One row per township, unit and month, its primary key: a rating given
 * again for the same month is one UPSERT that replaces score, comment,
 * rater and time and keeps the first rating's created_at, so there is
 * never a second row to pick from. Whether the month is still open, who
 * may rate and which units a township commands are the server's rules
 * (net/server/ops-rate.c); the store keeps what it is told, as it does
 * for operators. Few rows, rarely written: plain prepared statements.
 *
 * Rejected: a rating as a row of the event log (events belong to cases:
 * a rating concerns none, and the log's chain and figures read cases);
 * an append-only history of ratings (the month's rating is what counts,
 * and the server log keeps each change with its signer).
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "store-int.h"

#define RT_COLS	"township, agency, month, score, comment, rated_by, " \
		"rated_at, created_at"

static void
rating_bind_text(sqlite3_stmt *s, int i, const char *t)
{
	if (t != NULL && t[0] != '\0')
		sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* A store_rating_get callback: there is a row. */
static int
rating_found(void *arg, const struct store_rating *r)
{
	(void)r;
	*(int *)arg = 1;
	return 1;
}

int
store_rating_put(struct store *st, const struct store_rating *r,
    int *replaced, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc, had = 0;

	if (r->score < 1 || r->score > 5)
		return gl_err(err, errlen, GL_ERANGE, "a rating is 1 to 5, "
		    "not %d", r->score);
	if ((rc = store_rating_get(st, r->township, r->agency, r->month,
	    rating_found, &had, err, errlen)) != 0)
		return rc;
	rc = sqlite3_prepare_v2(st->db, "INSERT INTO ratings (" RT_COLS ") "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?7) ON CONFLICT (township, agency, "
	    "month) DO UPDATE SET score = excluded.score, comment = "
	    "excluded.comment, rated_by = excluded.rated_by, rated_at = "
	    "excluded.rated_at", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "storing a rating", err, errlen);
	sqlite3_bind_text(s, 1, r->township, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->month, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, r->score);
	rating_bind_text(s, 5, r->comment);
	rating_bind_text(s, 6, r->rated_by);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)r->rated_at);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "storing a rating", err, errlen);
	if (replaced != NULL)
		*replaced = had;
	return 0;
}

/* Run a prepared select of RT_COLS, a callback per row. */
static int
rating_rows(struct store *st, sqlite3_stmt *s, store_rating_cb cb,
    void *arg, char *err, size_t errlen)
{
	struct store_rating	r;
	int			rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.township = (const char *)sqlite3_column_text(s, 0);
		r.agency = (const char *)sqlite3_column_text(s, 1);
		r.month = (const char *)sqlite3_column_text(s, 2);
		r.score = sqlite3_column_int(s, 3);
		r.comment = (const char *)sqlite3_column_text(s, 4);
		r.rated_by = (const char *)sqlite3_column_text(s, 5);
		r.rated_at = (time_t)sqlite3_column_int64(s, 6);
		r.created_at = (time_t)sqlite3_column_int64(s, 7);
		if (cb(arg, &r) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "reading ratings", err, errlen);
	return 0;
}

int
store_rating_range(struct store *st, const char *from, const char *to,
    store_rating_cb cb, void *arg, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "SELECT " RT_COLS " FROM ratings "
	    "WHERE month BETWEEN ? AND ? ORDER BY month, agency, township",
	    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "reading ratings", err, errlen);
	sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, to, -1, SQLITE_STATIC);
	return rating_rows(st, s, cb, arg, err, errlen);
}

int
store_rating_each(struct store *st, const char *month, store_rating_cb cb,
    void *arg, char *err, size_t errlen)
{
	return store_rating_range(st, month != NULL ? month : "0000-00",
	    month != NULL ? month : "9999-99", cb, arg, err, errlen);
}

int
store_rating_get(struct store *st, const char *township, const char *agency,
    const char *month, store_rating_cb cb, void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "SELECT " RT_COLS " FROM ratings "
	    "WHERE township = ? AND agency = ? AND month = ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "reading a rating", err, errlen);
	sqlite3_bind_text(s, 1, township, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, month, -1, SQLITE_STATIC);
	return rating_rows(st, s, cb, arg, err, errlen);
}
