/*
 * store-search.c: search over case summaries and addresses (see store.h).
 *
 * The FTS5 trigram tokenizer indexes every run of three characters, which
 * suits Chinese (no word segmentation needed) but cannot answer a query
 * shorter than three characters, and two-character words are everyday
 * Chinese: 井盖 (manhole cover), 路灯 (street lamp), 噪音 (noise). So the
 * query is split on blanks; words of three or more characters become quoted
 * FTS5 phrases (AND-ed), shorter words become LIKE filters on the rows the
 * index found, or on the whole table when every word is short. The scan is
 * linear, but a dispatcher's search is one query per keystroke burst, and a
 * LIKE over a million summaries runs in well under a second.
 *
 * New cases enter the index in bulk (store_search_index), at a commit once
 * STORE_INDEX_CHUNK new cases wait. A search still sees every case: the
 * ones past the index (search_state.indexed) are matched by LIKE, a short
 * scan by rowid. A search never writes, as it runs on the server's
 * read-only connection (store_open_reader); it once indexed the tail
 * first, which a read-only connection cannot. Indexing at every group commit wrote
 * a new FTS5 segment each time: about 5 of the 15 pages a small commit
 * wrote to the WAL (and the checkpoint wrote again), for one to eight
 * cases. In chunks the index costs the same per case and small commits
 * stay small. The chunk is small enough that the commit which indexes it
 * stays short: 512 cases took 11-14 ms, and every request arriving
 * meanwhile waited (the slowest 1% of acknowledgements at 1,000/s); 64
 * take under 2 ms at the same cost per case (measured with the store
 * alone, batches of 2 and 8).
 *
 * A search is bounded (store-bounds.h): a query of 1,000,000 characters
 * once ran 24 s, and the server, whose one writer connection runs every
 * request of a batch, acknowledged no incident meanwhile. So a query is at
 * most STORE_SEARCH_CHARS characters, refused before it is parsed, and a
 * search runs at most STORE_SEARCH_MS: sqlite3_progress_handler looks at
 * the clock every STORE_SEARCH_STEPS virtual machine steps and interrupts
 * the SELECT past the bound. An interrupted read-only statement rolls
 * nothing back (sqlite3VdbeHalt), so a transaction around it goes on. The handler is
 * cleared after the search, whatever happened. Rejected: a row budget
 * (LIMIT on the rows scanned), which bounds the scan but not the cost of
 * each row; sqlite3_interrupt from a timer, which needs a second thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "jbuf.h"
#include "store-bounds.h"
#include "store-int.h"
#include "utf8.h"

#define SEARCH_MAX_WORDS	8
/* The bound is on the search's work: the thread's CPU time, which a busy
 * machine's scheduler does not add to (wall time did: a plain search once
 * passed 250 ms while the test suite ran beside it). */
#ifdef CLOCK_THREAD_CPUTIME_ID
#define SEARCH_CLOCK		CLOCK_THREAD_CPUTIME_ID
#else
#define SEARCH_CLOCK		CLOCK_MONOTONIC
#endif

struct search_q {
	struct jbuf	 fts;		/* the MATCH expression */
	char		*like[SEARCH_MAX_WORDS];	/* %word% patterns */
	int		 nlike;
	char		*tail[SEARCH_MAX_WORDS];	/* the MATCH's words as
							   patterns, for the
							   cases not indexed */
	int		 nfts;
};

/* Append word as a quoted FTS5 string ("" escapes "). */
static void
search_fts_word(struct jbuf *b, const char *w, size_t len)
{
	size_t	i;
	char	c[2] = { 0, 0 };

	jbuf_raw(b, "\"");
	for (i = 0; i < len; i++) {
		c[0] = w[i];
		jbuf_raw(b, w[i] == '"' ? "\"\"" : c);
	}
	jbuf_raw(b, "\"");
}

/* %word% with LIKE's wildcards escaped by backslash. */
static char *
search_like_word(const char *w, size_t len)
{
	char	*p = malloc(len * 2 + 3), *q = p;
	size_t	 i;

	if (p == NULL)
		return NULL;
	*q++ = '%';
	for (i = 0; i < len; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			*q++ = '\\';
		*q++ = w[i];
	}
	*q++ = '%';
	*q = '\0';
	return p;
}

/* Length of the blank at p: space, tab, or the ideographic space U+3000
 * that Chinese input methods type; 0 when p is not blank. */
static size_t
search_blank(const char *p)
{
	if (*p == ' ' || *p == '\t')
		return 1;
	return strncmp(p, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

static int
search_parse(const char *query, struct search_q *q, char *err, size_t errlen)
{
	const char	*p = query, *w;
	size_t		 len = strlen(query);

	if (!utf8_valid(query, len, NULL))
		return gl_err(err, errlen, GL_EUTF8, "search: query is not "
		    "valid UTF-8");
	if (utf8_chars(query, len) > STORE_SEARCH_CHARS)
		return gl_err(err, errlen, GL_ETOOLONG, "search: a query is at "
		    "most %d characters", STORE_SEARCH_CHARS);
	while (*p != '\0') {
		while (search_blank(p) > 0)
			p += search_blank(p);
		for (w = p; *p != '\0' && search_blank(p) == 0; p++)
			;
		if ((len = (size_t)(p - w)) == 0)
			break;
		if (q->nlike + q->nfts == SEARCH_MAX_WORDS)
			return gl_err(err, errlen, GL_EINVAL, "search: at most "
			    "%d words", SEARCH_MAX_WORDS);
		if (utf8_chars(w, len) >= 3) {
			if (q->nfts > 0)
				jbuf_raw(&q->fts, " AND ");
			search_fts_word(&q->fts, w, len);
			if ((q->tail[q->nfts++] = search_like_word(w, len)) ==
			    NULL)
				return gl_err(err, errlen, GL_ENOMEM, "out of "
				    "memory");
		} else if ((q->like[q->nlike++] = search_like_word(w, len)) ==
		    NULL)
			return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	}
	if (q->nlike + q->nfts == 0)
		return gl_err(err, errlen, GL_EINVAL, "search: empty query");
	if (q->nfts > 0 && !jbuf_ok(&q->fts))
		return gl_err(err, errlen, GL_ENOMEM, "out of memory");
	return 0;
}

static void
search_free(struct search_q *q)
{
	int	i;

	for (i = 0; i < q->nlike; i++)
		free(q->like[i]);
	for (i = 0; i < q->nfts; i++)
		free(q->tail[i]);
	jbuf_free(&q->fts);
}

#define SEARCH_LIKE	"(summary LIKE ? ESCAPE '\\' OR " \
			"coalesce(address, '') LIKE ? ESCAPE '\\')"

/* The long words through the index, or, for the cases past what the index
 * holds, as LIKE patterns (the index cannot be brought up to date here: a
 * search never writes); the short words as LIKE patterns on every row. */
static int
search_sql(const struct search_q *q, struct jbuf *sql)
{
	int	i;

	jbuf_raw(sql, "SELECT " STORE_CASE_COLS " FROM cases WHERE 1");
	if (q->nfts > 0) {
		jbuf_raw(sql, " AND (id IN (SELECT rowid FROM cases_fts "
		    "WHERE cases_fts MATCH ?) OR id IN (SELECT id FROM cases "
		    "WHERE id > (SELECT indexed FROM search_state)");
		for (i = 0; i < q->nfts; i++)
			jbuf_raw(sql, " AND " SEARCH_LIKE);
		jbuf_raw(sql, "))");
	}
	for (i = 0; i < q->nlike; i++)
		jbuf_raw(sql, " AND " SEARCH_LIKE);
	jbuf_raw(sql, " ORDER BY id DESC LIMIT ?");
	return jbuf_ok(sql) ? 0 : GL_ENOMEM;
}

/* Step s, calling cb with each case row until it returns non-zero;
 * finalizes s. */
static int
store_each_case(struct store *st, sqlite3_stmt *s, store_case_cb cb,
    void *arg, const char *what, char *err, size_t errlen)
{
	struct store_case	c;
	int			rc, stop = 0;

	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_case_from_row(s, &c);
		stop = cb(arg, &c);
		store_case_clear(&c);
	}
	if (!stop && rc != SQLITE_DONE)
		rc = store_sqlerr(st, rc, what, err, errlen);
	else
		rc = 0;
	sqlite3_finalize(s);
	return rc;
}

/* The clock of one search, for the progress handler. */
struct search_clock {
	struct timespec	start;
	int		fired;		/* the bound was reached */
};

static long
search_ms(const struct search_clock *c)
{
	struct timespec	now;

	clock_gettime(SEARCH_CLOCK, &now);
	return (long)(now.tv_sec - c->start.tv_sec) * 1000 +
	    (now.tv_nsec - c->start.tv_nsec) / 1000000;
}

/* sqlite3_progress_handler's callback: non-zero interrupts the search. */
static int
search_progress(void *arg)
{
	struct search_clock	*c = arg;

	if (search_ms(c) >= STORE_SEARCH_MS)
		c->fired = 1;
	return c->fired;
}

static int
search_run(struct store *st, const struct search_q *q, const char *sql,
    int limit, store_case_cb cb, void *arg, char *err, size_t errlen)
{
	struct search_clock	 clk = { .fired = 0 };
	sqlite3_stmt		*s;
	int			 rc, i, k = 1;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "search", err, errlen);
	if (q->nfts > 0)
		sqlite3_bind_text(s, k++, q->fts.p, -1, SQLITE_STATIC);
	for (i = 0; i < q->nfts; i++) {
		sqlite3_bind_text(s, k++, q->tail[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, k++, q->tail[i], -1, SQLITE_STATIC);
	}
	for (i = 0; i < q->nlike; i++) {
		sqlite3_bind_text(s, k++, q->like[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, k++, q->like[i], -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(s, k, limit);
	clock_gettime(SEARCH_CLOCK, &clk.start);
	sqlite3_progress_handler(st->db, STORE_SEARCH_STEPS, search_progress,
	    &clk);
	rc = store_each_case(st, s, cb, arg, "search", err, errlen);
	sqlite3_progress_handler(st->db, 0, NULL, NULL);
	if (rc != 0 && clk.fired)
		rc = gl_err(err, errlen, GL_ESLOW, "search: stopped after %d "
		    "ms: use longer words (3 characters or more use the "
		    "index)", STORE_SEARCH_MS);
	return rc;
}

int
store_search_index(struct store *st, char *err, size_t errlen)
{
	int	rc;

	rc = sqlite3_exec(st->db, "SAVEPOINT ix;"
	    "INSERT INTO cases_fts (rowid, summary, address) SELECT id, "
	    "summary, address FROM cases WHERE id > (SELECT indexed FROM "
	    "search_state) ORDER BY id;"
	    "UPDATE search_state SET indexed = (SELECT coalesce(max(id), 0) "
	    "FROM cases);"
	    "RELEASE ix;", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = store_sqlerr(st, rc, "indexing for search", err, errlen);
		sqlite3_exec(st->db, "ROLLBACK TO ix; RELEASE ix;", NULL,
		    NULL, NULL);
	} else
		st->fts_pending = 0;
	return rc;
}

int
store_search(struct store *st, const char *query, int limit,
    store_case_cb cb, void *arg, char *err, size_t errlen)
{
	struct search_q	q;
	struct jbuf	sql;
	int		rc;

	/* bytes first: a long query is refused without reading it all */
	if (strnlen(query, STORE_SEARCH_CHARS * 4 + 1) > STORE_SEARCH_CHARS * 4)
		return gl_err(err, errlen, GL_ETOOLONG, "search: a query is at "
		    "most %d characters", STORE_SEARCH_CHARS);
	memset(&q, 0, sizeof q);
	jbuf_init(&q.fts);
	jbuf_init(&sql);
	if ((rc = search_parse(query, &q, err, errlen)) == 0) {
		if ((rc = search_sql(&q, &sql)) != 0)
			rc = gl_err(err, errlen, rc, "out of memory");
		else
			rc = search_run(st, &q, sql.p, limit, cb, arg, err,
			    errlen);
	}
	jbuf_free(&sql);
	search_free(&q);
	return rc;
}

int
store_case_list(struct store *st, int open_only, int64_t after_id, int limit,
    store_case_cb cb, void *arg, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, open_only ?
	    "SELECT " STORE_CASE_COLS " FROM cases WHERE id > ? AND state NOT "
	    "IN ('closed', 'voided', 'merged') ORDER BY id LIMIT ?" :
	    "SELECT " STORE_CASE_COLS " FROM cases WHERE id > ? "
	    "ORDER BY id LIMIT ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "listing cases", err, errlen);
	sqlite3_bind_int64(s, 1, after_id);
	sqlite3_bind_int(s, 2, limit);
	return store_each_case(st, s, cb, arg, "listing cases", err, errlen);
}

int
store_case_finished(struct store *st, int64_t before_id, int limit,
    store_case_cb cb, void *arg, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	/* the WHERE is the partial index cases_finished's, word for word;
	 * INDEXED BY, as the planner, without statistics, prefers cases_state
	 * and sorts every finished case for each page */
	rc = sqlite3_prepare_v2(st->db, "SELECT " STORE_CASE_COLS " FROM cases "
	    "INDEXED BY cases_finished WHERE state IN ('closed', 'voided', "
	    "'merged') AND id < ? ORDER BY id DESC LIMIT ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "listing finished cases", err,
		    errlen);
	sqlite3_bind_int64(s, 1, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int(s, 2, limit);
	return store_each_case(st, s, cb, arg, "listing finished cases", err,
	    errlen);
}

int
store_case_merged_from(struct store *st, int64_t id, store_case_cb cb,
    void *arg, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "SELECT " STORE_CASE_COLS " FROM cases "
	    "INDEXED BY cases_merged WHERE merged_into = ? ORDER BY id", -1, &s,
	    NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "listing merged cases", err,
		    errlen);
	sqlite3_bind_int64(s, 1, id);
	return store_each_case(st, s, cb, arg, "listing merged cases", err,
	    errlen);
}

int
store_case_urgent(struct store *st, int limit, store_case_cb cb, void *arg,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "SELECT " STORE_CASE_COLS " FROM cases "
	    "WHERE state NOT IN ('closed', 'voided', 'merged') ORDER BY "
	    "due_at IS NULL, due_at, priority, id LIMIT ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "listing urgent cases", err,
		    errlen);
	sqlite3_bind_int(s, 1, limit);
	return store_each_case(st, s, cb, arg, "listing urgent cases", err,
	    errlen);
}
