/*
 * store-operator.c: the operators table (see store.h, schema step 8).
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
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return gl_err(err, errlen, GL_EEXISTS, "operator %s exists "
		    "already", op->name);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "adding an operator", err, errlen);
	return 0;
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
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "changing an operator", err,
		    errlen);
	if (sqlite3_changes(st->db) == 0)
		return gl_err(err, errlen, GL_ENOTFOUND, "no operator %s",
		    op->name);
	return 0;
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
