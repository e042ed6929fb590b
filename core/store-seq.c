/*
 * store-seq.c: case numbers, district-YYYYMMDD-NNNNN (see store-int.h).
 *
 * Each district counts its cases per local day in the case_seq table. An
 * upsert per case was the dearest statement of a create (16 us of about
 * 40, measured with GRIDLINE_SQL_PROFILE), so within one transaction the
 * counters live here: read once per district and day, counted in memory,
 * and written back once just before the transaction commits. They are
 * forgotten at every commit and rollback, so a counter is never trusted
 * across transactions (another connection may have written in between,
 * e.g. the sqlite3 shell during maintenance).
 *
 * A create that fails after taking a number gives it back when it was the
 * last one taken, so the numbers of a day stay without gaps.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "gltime.h"
#include "store-int.h"

static struct store_seq *
seq_find(struct store *st, const char *district, const char *day)
{
	size_t	i;

	for (i = 0; i < st->nseq; i++)
		if (strcmp(st->seq[i].district, district) == 0 &&
		    strcmp(st->seq[i].day, day) == 0)
			return &st->seq[i];
	return NULL;
}

/* The counter as the database has it (0 when the day has none yet). */
static int
seq_load(struct store *st, struct store_seq *q, char *err, size_t errlen)
{
	sqlite3_stmt	*s = store_stmt(st, SS_SEQ_GET, err, errlen);
	int		 rc;

	if (s == NULL)
		return GL_EDB;
	sqlite3_bind_text(s, 1, q->district, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, q->day, -1, SQLITE_STATIC);
	q->n = 0;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		q->n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    store_sqlerr(st, rc, "numbering the case", err, errlen);
}

int
store_seq_next(struct store *st, const char *district, time_t now, char *no,
    size_t len, char *err, size_t errlen)
{
	struct store_seq	*q;
	char			 day[9];
	int			 rc;

	gltime_local_ymd(now, st->offset, day);
	if ((q = seq_find(st, district, day)) == NULL) {
		if (st->nseq == STORE_SEQ_MAX &&
		    (rc = store_seq_flush(st, err, errlen)) != 0)
			return rc;
		if (st->nseq == STORE_SEQ_MAX)
			st->nseq = 0;	/* all written back: start over */
		q = &st->seq[st->nseq];
		if (snprintf(q->district, sizeof q->district, "%s",
		    district) >= (int)sizeof q->district)
			return gl_err(err, errlen, GL_EINVAL, "district code "
			    "'%s' is too long", district);
		memcpy(q->day, day, sizeof q->day);
		if ((rc = seq_load(st, q, err, errlen)) != 0)
			return rc;
		st->nseq++;
	}
	q->n++;
	q->dirty = 1;
	snprintf(no, len, "%s-%s-%05lld", district, day, (long long)q->n);
	return 0;
}

void
store_seq_unissue(struct store *st, const char *no)
{
	size_t	i;
	char	mine[48];

	for (i = 0; i < st->nseq; i++) {
		snprintf(mine, sizeof mine, "%s-%s-%05lld", st->seq[i].district,
		    st->seq[i].day, (long long)st->seq[i].n);
		if (strcmp(mine, no) == 0) {
			st->seq[i].n--;
			return;
		}
	}
}

int
store_seq_flush(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	size_t		 i;
	int		 rc;

	for (i = 0; i < st->nseq; i++) {
		if (!st->seq[i].dirty)
			continue;
		if ((s = store_stmt(st, SS_SEQ_SET, err, errlen)) == NULL)
			return GL_EDB;
		sqlite3_bind_text(s, 1, st->seq[i].district, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(s, 2, st->seq[i].day, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, st->seq[i].n);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_sqlerr(st, rc, "keeping the case numbers",
			    err, errlen);
		st->seq[i].dirty = 0;
	}
	return 0;
}

void
store_seq_forget(struct store *st)
{
	st->nseq = 0;
}

void
store_seq_rolled_back(struct store *st)
{
	size_t	i;

	if (!st->in_txn) {
		st->nseq = 0;
		return;
	}
	/* A write-back inside the savepoint (a full table) may be undone:
	 * the counts are absolute, so writing them all again is safe. */
	for (i = 0; i < st->nseq; i++)
		st->seq[i].dirty = 1;
}
