/*
 * store-operator.c: the operators and feeders tables (see store.h,
 * schema steps 8 and 9): who may act, with which key.
 *
 * Few rows, rarely changed: plain prepared statements, not the cached
 * ones of the hot path. The store keeps the row as it is told; what a
 * role may be and whether its agency or township exists is the caller's
 * to check (the server, with the reference data and core/rights.h).
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "store-int.h"

#define OP_COLS	"name, pubkey, role, agency, township, disabled, " \
		"created_at, created_by, updated_at, updated_by"

static char *
op_text(sqlite3_stmt *s, int col)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	return t != NULL ? strdup((const char *)t) : NULL;
}

static void
op_from_row(sqlite3_stmt *s, struct store_operator *op)
{
	const void	*pk = sqlite3_column_blob(s, 1);

	memset(op, 0, sizeof *op);
	op->name = op_text(s, 0);
	if (pk != NULL && sqlite3_column_bytes(s, 1) == STORE_PUBKEY_BYTES)
		memcpy(op->pubkey, pk, STORE_PUBKEY_BYTES);
	op->role = op_text(s, 2);
	op->agency = op_text(s, 3);
	op->township = op_text(s, 4);
	op->disabled = sqlite3_column_int(s, 5);
	op->created_at = (time_t)sqlite3_column_int64(s, 6);
	op->created_by = op_text(s, 7);
	op->updated_at = (time_t)sqlite3_column_int64(s, 8);
	op->updated_by = op_text(s, 9);
}

void
store_operator_clear(struct store_operator *op)
{
	free(op->name);
	free(op->role);
	free(op->agency);
	free(op->township);
	free(op->created_by);
	free(op->updated_by);
	memset(op, 0, sizeof *op);
}

static void
op_bind_text(sqlite3_stmt *s, int i, const char *t)
{
	if (t != NULL && *t != '\0')
		sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Run and finalize an INSERT of what (an operator, a feeder) named name:
 * 0, GL_EEXISTS when the name is taken, or the SQLite error. */
static int
op_insert_done(struct store *st, sqlite3_stmt *s, const char *what,
    const char *name, char *err, size_t errlen)
{
	int	rc = sqlite3_step(s);

	sqlite3_finalize(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return gl_err(err, errlen, GL_EEXISTS, "%s %s exists already",
		    what, name);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, what, err, errlen);
	return 0;
}

/* Run and finalize an UPDATE of the row of what named name: 0,
 * GL_ENOTFOUND when there is none, or the SQLite error. */
static int
op_update_done(struct store *st, sqlite3_stmt *s, const char *what,
    const char *name, char *err, size_t errlen)
{
	int	rc = sqlite3_step(s);

	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, what, err, errlen);
	if (sqlite3_changes(st->db) == 0)
		return gl_err(err, errlen, GL_ENOTFOUND, "no %s %s", what,
		    name);
	return 0;
}

int
store_operator_add(struct store *st, const struct store_operator *op,
    time_t now, const char *by, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "INSERT INTO operators (" OP_COLS
	    ") VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "adding an operator", err, errlen);
	sqlite3_bind_text(s, 1, op->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 2, op->pubkey, STORE_PUBKEY_BYTES,
	    SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, op->role, -1, SQLITE_TRANSIENT);
	op_bind_text(s, 4, op->agency);
	op_bind_text(s, 5, op->township);
	sqlite3_bind_int(s, 6, op->disabled != 0);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)now);
	op_bind_text(s, 8, by);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)now);
	op_bind_text(s, 10, by);
	return op_insert_done(st, s, "operator", op->name, err, errlen);
}

int
store_operator_update(struct store *st, const struct store_operator *op,
    time_t now, const char *by, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "UPDATE operators SET pubkey = ?, "
	    "role = ?, agency = ?, township = ?, disabled = ?, updated_at = ?, "
	    "updated_by = ? WHERE name = ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "changing an operator", err,
		    errlen);
	sqlite3_bind_blob(s, 1, op->pubkey, STORE_PUBKEY_BYTES,
	    SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, op->role, -1, SQLITE_TRANSIENT);
	op_bind_text(s, 3, op->agency);
	op_bind_text(s, 4, op->township);
	sqlite3_bind_int(s, 5, op->disabled != 0);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)now);
	op_bind_text(s, 7, by);
	sqlite3_bind_text(s, 8, op->name, -1, SQLITE_TRANSIENT);
	return op_update_done(st, s, "operator", op->name, err, errlen);
}

int
store_operator_get(struct store *st, const char *name,
    struct store_operator *out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(out, 0, sizeof *out);
	rc = sqlite3_prepare_v2(st->db, "SELECT " OP_COLS " FROM operators "
	    "WHERE name = ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "reading an operator", err, errlen);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		op_from_row(s, out);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = gl_err(err, errlen, GL_ENOTFOUND, "no operator %s", name);
	else
		rc = store_sqlerr(st, rc, "reading an operator", err, errlen);
	sqlite3_finalize(s);
	return rc;
}

int
store_operator_each(struct store *st, store_operator_cb cb, void *arg,
    char *err, size_t errlen)
{
	struct store_operator	op;
	sqlite3_stmt		*s;
	int			 rc, stop = 0;

	rc = sqlite3_prepare_v2(st->db, "SELECT " OP_COLS " FROM operators "
	    "ORDER BY name", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "listing operators", err, errlen);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		op_from_row(s, &op);
		stop = cb(arg, &op);
		store_operator_clear(&op);
	}
	rc = stop || rc == SQLITE_DONE ? 0 : store_sqlerr(st, rc,
	    "listing operators", err, errlen);
	sqlite3_finalize(s);
	return rc;
}

/* --- feeders (schema step 9) --------------------------------------------- */

#define FD_COLS	"name, key, disabled, created_at, created_by, updated_at, " \
		"updated_by"

int
store_feeder_add(struct store *st, const struct store_feeder *f, time_t now,
    const char *by, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "INSERT INTO feeders (" FD_COLS
	    ") VALUES (?,?,?,?,?,?,?)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "adding a feeder", err, errlen);
	sqlite3_bind_text(s, 1, f->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 2, f->key, STORE_FEEDER_KEY_BYTES,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 3, f->disabled != 0);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	op_bind_text(s, 5, by);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)now);
	op_bind_text(s, 7, by);
	return op_insert_done(st, s, "feeder", f->name, err, errlen);
}

int
store_feeder_update(struct store *st, const struct store_feeder *f,
    time_t now, const char *by, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "UPDATE feeders SET key = ?, "
	    "disabled = ?, updated_at = ?, updated_by = ? WHERE name = ?", -1,
	    &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "changing a feeder", err, errlen);
	sqlite3_bind_blob(s, 1, f->key, STORE_FEEDER_KEY_BYTES,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, f->disabled != 0);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)now);
	op_bind_text(s, 4, by);
	sqlite3_bind_text(s, 5, f->name, -1, SQLITE_TRANSIENT);
	return op_update_done(st, s, "feeder", f->name, err, errlen);
}

int
store_feeder_each(struct store *st, store_feeder_cb cb, void *arg, char *err,
    size_t errlen)
{
	struct store_feeder	 f;
	sqlite3_stmt		*s;
	const void		*k;
	int			 rc, stop = 0;

	rc = sqlite3_prepare_v2(st->db, "SELECT " FD_COLS " FROM feeders "
	    "ORDER BY name", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "listing feeders", err, errlen);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&f, 0, sizeof f);
		f.name = op_text(s, 0);
		if ((k = sqlite3_column_blob(s, 1)) != NULL &&
		    sqlite3_column_bytes(s, 1) == STORE_FEEDER_KEY_BYTES)
			memcpy(f.key, k, STORE_FEEDER_KEY_BYTES);
		f.disabled = sqlite3_column_int(s, 2);
		f.created_at = (time_t)sqlite3_column_int64(s, 3);
		f.created_by = op_text(s, 4);
		f.updated_at = (time_t)sqlite3_column_int64(s, 5);
		f.updated_by = op_text(s, 6);
		stop = cb(arg, &f);
		free(f.name);
		free(f.created_by);
		free(f.updated_by);
		memset(&f, 0, sizeof f);
	}
	rc = stop || rc == SQLITE_DONE ? 0 : store_sqlerr(st, rc,
	    "listing feeders", err, errlen);
	sqlite3_finalize(s);
	return rc;
}
