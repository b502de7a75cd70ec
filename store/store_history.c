/*
 * store_history: what happens between runs -- findings carried by a run
 * that could not verify them (the candidates, the sources of their
 * evidence and their coverage, for resolution.c), first sightings (due
 * dates count from them), hosts newly not assessed (diff), and waivers.
 * store.h
 * ("History") states the rules; the SQL is in store_sql.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

int
store_carry_candidates(struct store *s, int64_t run, int64_t **ids,
    size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t prev, *v = NULL, *nv;
	size_t cap = 0, k = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (store_previous_run(s, run, &prev, err, errlen) == -1)
		return -1;
	if (prev == 0)
		return 0;
	st = store_stmt(s, ST_CARRY_CANDIDATES, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, prev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (k == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			nv = reallocarray(v, cap, sizeof(*v));
			if (nv == NULL) {
				free(v);
				errf(err, errlen, "out of memory");
				return store_done(st, -1);
			}
			v = nv;
		}
		v[k++] = sqlite3_column_int64(st, 0);
	}
	if (store_step_end(s, st, rc, "cannot read the previous run's "
	    "findings", err, errlen) == -1) {
		free(v);
		return -1;
	}
	*ids = v;
	*n = k;
	return 0;
}

int
store_each_evidence_source(struct store *s, int64_t rowid,
    int (*cb)(void *, const struct evidence_source *), void *arg,
    char *err, size_t errlen)
{
	struct evidence_source e;
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, ST_EVIDENCE_SOURCES, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.identity = store_col_text(st, ES_IDENTITY);
		e.host_name = store_col_text(st, ES_NAME);
		e.address = store_col_text(st, ES_ADDRESS);
		e.channel = store_col_text(st, ES_CHANNEL);
		e.kind = store_col_text(st, ES_KIND);
		e.table = store_col_text(st, ES_TABLE);
		if (cb(arg, &e) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read the evidence of a "
	    "finding", err, errlen);
}

int
store_coverage_get(struct store *s, int64_t run, const char *identity,
    const char *channel, const char *probe, int *found,
    enum cov_status *status, char *detail, size_t detaillen, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	const char *v;
	int rc;

	*found = 0;
	*status = COV_ERROR;
	if (detaillen > 0)
		detail[0] = '\0';
	st = store_stmt(s, ST_COV_GET, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	store_bind_text(st, 2, identity);
	store_bind_text(st, 3, channel);
	store_bind_text(st, 4, probe != NULL ? probe : "");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		v = store_col_text(st, CG_STATUS);
		if (v == NULL || cov_status_from_name(v, status) == -1) {
			errf(err, errlen, "%s: unknown coverage status '%s'",
			    s->path, v != NULL ? v : "");
			return store_done(st, -1);
		}
		v = store_col_text(st, CG_DETAIL);
		if (v != NULL && detaillen > 0)
			str_copy(detail, v, detaillen);
		*found = 1;
		rc = sqlite3_step(st);
	}
	return store_step_end(s, st, rc, "cannot read coverage", err,
	    errlen);
}

int
store_carry_finding(struct store *s, int64_t run, int64_t rowid,
    const char *note, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t carried;

	if (store_tx(s, err, errlen) == -1 ||
	    store_check_run(s, run, "a finding", err, errlen) == -1 ||
	    store_exec(s, ST_SAVEPOINT, "cannot carry a finding", err,
	    errlen) == -1)
		return -1;
	st = store_stmt(s, ST_CARRY_FINDING, err, errlen);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, rowid);
	store_bind_text(st, 3, note);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot carry a finding", err, errlen);
		store_done(st, -1);
		goto fail;
	}
	store_done(st, 0);
	carried = sqlite3_last_insert_rowid(s->db);
	st = store_stmt(s, ST_CARRY_EVIDENCE, err, errlen);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, carried);
	sqlite3_bind_int64(st, 2, rowid);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot carry the evidence of a finding", err,
		    errlen);
		store_done(st, -1);
		goto fail;
	}
	store_done(st, 0);
	if (store_exec(s, ST_RELEASE, "cannot carry a finding", err,
	    errlen) == -1)
		goto fail;
	return store_wrote(s, 1, err, errlen);
fail:
	if (!sqlite3_get_autocommit(s->db)) {
		store_exec(s, ST_ROLLBACK_TO, "rollback", NULL, 0);
		store_exec(s, ST_RELEASE, "rollback", NULL, 0);
	}
	return -1;
}

/* Runs a statement bound with (run, text) that yields one integer row. */
static int
one_int(struct store *s, enum stmt_id id, int64_t run, const char *text,
    int64_t *a, int64_t *b, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st;

	*a = 0;
	if (b != NULL)
		*b = 0;
	st = store_stmt(s, id, err, errlen);
	if (st == NULL)
		return -1;
	if (run != 0)
		sqlite3_bind_int64(st, 1, run);
	if (text != NULL)
		sqlite3_bind_text(st, run != 0 ? 2 : 1, text, -1,
		    SQLITE_STATIC);
	return store_step_one(s, st, a, b, what, err, errlen);
}

int
store_finding_first_seen(struct store *s, int64_t run,
    const char *finding_id, int64_t *first, char *err, size_t errlen)
{
	*first = 0;
	if (finding_id == NULL)
		return errf(err, errlen, "no finding id");
	return one_int(s, ST_FINDING_FIRST_SEEN, run, finding_id, first, NULL,
	    "cannot read the history of a finding", err, errlen);
}

int
store_run_findings(struct store *s, int64_t run, size_t *total,
    size_t *waived, char *err, size_t errlen)
{
	int64_t a, b;

	*total = 0;
	if (waived != NULL)
		*waived = 0;
	if (store_run_exists(s, run, err, errlen) == -1 ||
	    one_int(s, ST_RUN_FINDINGS, run, NULL, &a, &b,
	    "cannot count findings", err, errlen) == -1)
		return -1;
	*total = (size_t)a;
	if (waived != NULL)
		*waived = (size_t)b;
	return 0;
}

int
store_each_unassessed(struct store *s, int64_t run, int64_t base,
    int (*cb)(void *, const struct unassessed_row *), void *arg, char *err,
    size_t errlen)
{
	struct unassessed_row r;
	sqlite3_stmt *st;
	int rc;

	st = store_run_query(s, ST_UNASSESSED_EACH, run, base, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.host = sqlite3_column_int64(st, UE_HOST);
		r.host_identity = store_col_text(st, UE_IDENTITY);
		r.h.address = store_col_text(st, UE_ADDRESS);
		r.h.name = store_col_text(st, UE_NAME);
		r.h.sector = store_col_text(st, UE_SECTOR);
		r.h.site = store_col_text(st, UE_SITE);
		r.reason = store_col_text(st, UE_REASON);
		if (r.reason == NULL)
			r.reason = "no coverage";
		if (cb(arg, &r) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read coverage", err,
	    errlen);
}

/* --- waivers ---------------------------------------------------------- */

int
store_finding_known(struct store *s, const char *finding_id, int *known,
    char *err, size_t errlen)
{
	int64_t v;

	*known = 0;
	if (finding_id == NULL)
		return errf(err, errlen, "no finding id");
	if (one_int(s, ST_FINDING_KNOWN, 0, finding_id, &v, NULL,
	    "cannot look up the finding", err, errlen) == -1)
		return -1;
	*known = v != 0;
	return 0;
}

/* A statement bound with one text that changes rows, committed at once. */
static int
write_now(struct store *s, sqlite3_stmt *st, const char *what, int *changed,
    char *err, size_t errlen)
{
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, what, err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	if (changed != NULL)
		*changed = sqlite3_changes(s->db) > 0;
	return store_commit(s, err, errlen);
}

int
store_waiver_set(struct store *s, const struct waiver *w, int *replaced,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t had;

	if (replaced != NULL)
		*replaced = 0;
	if (w->finding_id == NULL || w->reason == NULL || w->until == NULL)
		return errf(err, errlen, "a waiver needs a finding id, a "
		    "reason and a date");
	if (store_tx(s, err, errlen) == -1 ||
	    one_int(s, ST_WAIVER_GET, 0, w->finding_id, &had, NULL,
	    "cannot read waivers", err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_WAIVER_PUT, err, errlen);
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, w->finding_id);
	store_bind_text(st, 2, w->reason);
	store_bind_text(st, 3, w->until);
	sqlite3_bind_int64(st, 4, w->created != 0 ? w->created : now_unix());
	store_bind_text(st, 5, w->created_by);
	if (write_now(s, st, "cannot record the waiver", NULL, err,
	    errlen) == -1)
		return -1;
	if (replaced != NULL)
		*replaced = had != 0;
	return 0;
}

int
store_waiver_remove(struct store *s, const char *finding_id, int *removed,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;

	*removed = 0;
	if (store_tx(s, err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_WAIVER_DEL, err, errlen);
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, finding_id);
	return write_now(s, st, "cannot remove the waiver", removed, err,
	    errlen);
}

int
store_each_waiver(struct store *s, int (*cb)(void *, const struct waiver *),
    void *arg, char *err, size_t errlen)
{
	struct waiver w;
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, ST_WAIVER_EACH, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&w, 0, sizeof(w));
		w.finding_id = store_col_text(st, WE_FINDING_ID);
		w.reason = store_col_text(st, WE_REASON);
		w.until = store_col_text(st, WE_UNTIL);
		w.created = sqlite3_column_int64(st, WE_CREATED);
		w.created_by = store_col_text(st, WE_CREATED_BY);
		w.active = sqlite3_column_int(st, WE_ACTIVE);
		if (cb(arg, &w) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read waivers", err,
	    errlen);
}
