/*
 * store_stmt: the statement layer every part of the store stands on --
 * the cache of prepared statements (store_stmt(), one per stmt_id, the
 * SQL in store_sql.c), stepping and binding helpers, and what an SQLite
 * error means to a user (store_reason(), store_dberr()).  It knows
 * nothing of batches or of rows held back: before it hands out a
 * statement it calls the store's held() hook, which writes the rows
 * that statement could miss (store.c: the observation buffer,
 * store_obuf.c, and the held coverage and names, store_defer.c), and
 * when SQLite has rolled the batch back it calls the lost() hook, which
 * forgets what the batch held (store_int.h).
 */
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

/* What an SQLite result code means to a user (store_int.h). */
const char *
store_reason(int rc, const char *msg)
{
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return "it refers to a run, host, finding or observation "
		    "that does not exist";
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return "the database is locked by another process";
	case SQLITE_NOTADB:
		return "not an SQLite database";
	case SQLITE_CORRUPT:
		return "the database file is corrupt";
	case SQLITE_FULL:
		return "the disk is full";
	case SQLITE_READONLY:
		return "the database is read-only";
	case SQLITE_CANTOPEN:
		return "cannot open the database file";
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return "permission denied";
	case SQLITE_NOMEM:
		return "out of memory";
	case SQLITE_IOERR:
		return "I/O error";
	default:
		return msg;
	}
}

int
store_dberr(struct store *s, const char *what, char *err, size_t errlen)
{
	const char *why = store_reason(sqlite3_extended_errcode(s->db),
	    sqlite3_errmsg(s->db));

	if (s->in_tx && sqlite3_get_autocommit(s->db)) {
		/* SQLite rolled the whole transaction back (full, I/O). */
		s->in_tx = 0;
		s->pending = 0;
		if (s->lost != NULL)
			s->lost(s);
		return errf(err, errlen, "%s: %s: %s; the uncommitted batch "
		    "was lost", s->path, what, why);
	}
	return errf(err, errlen, "%s: %s: %s", s->path, what, why);
}

sqlite3_stmt *
store_stmt(struct store *s, enum stmt_id id, char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[id];

	/* Rows held back go in first where they could be missed. */
	if (s->held != NULL && s->held(s, id, err, errlen) == -1)
		return NULL;
	if (st == NULL) {
		if (sqlite3_prepare_v3(s->db, store_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL) !=
		    SQLITE_OK) {
			store_dberr(s, "cannot prepare a statement", err,
			    errlen);
			return NULL;
		}
		return s->stmt[id];
	}
	if (sqlite3_stmt_busy(st)) {
		errf(err, errlen, "%s: store used re-entrantly from an "
		    "iterator callback (statement %d)", s->path, (int)id);
		return NULL;
	}
	return st;
}

int
store_done(sqlite3_stmt *st, int rc)
{
	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	return rc;
}

int
store_step_one(struct store *s, sqlite3_stmt *st, int64_t *a, int64_t *b,
    const char *what, char *err, size_t errlen)
{
	int rc = sqlite3_step(st);

	*a = 0;
	if (b != NULL)
		*b = 0;
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(st, 0);
		if (b != NULL)
			*b = sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE) {
		store_dberr(s, what, err, errlen);
		return store_done(st, -1);
	}
	return store_done(st, 0);
}

int
store_step_end(struct store *s, sqlite3_stmt *st, int rc, const char *what,
    char *err, size_t errlen)
{
	if (rc != SQLITE_DONE) {
		store_dberr(s, what, err, errlen);
		return store_done(st, -1);
	}
	return store_done(st, 0);
}

int
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

const char *
store_col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int
store_exec(struct store *s, enum stmt_id id, const char *what, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, id, err, errlen);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_dberr(s, what, err, errlen);
		return store_done(st, -1);
	}
	return store_done(st, 0);
}
