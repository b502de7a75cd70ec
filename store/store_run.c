/*
 * store_run: runs -- their creation (committed at once), end, listing and
 * the "latest" / "previous" questions reports and diffs ask.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

static const char *const run_status_names[] = {
	[RUN_RUNNING] = "running",
	[RUN_COMPLETE] = "complete",
	[RUN_INCOMPLETE] = "incomplete",
	[RUN_FAILED] = "failed",
};

const char *
run_status_name(enum run_status st)
{
	if ((unsigned)st >= NELEM(run_status_names))
		return "?";
	return run_status_names[st];
}

static int
run_status_from_name(const char *s, enum run_status *out)
{
	size_t i;

	for (i = 0; s != NULL && i < NELEM(run_status_names); i++)
		if (strcmp(s, run_status_names[i]) == 0) {
			*out = (enum run_status)i;
			return 0;
		}
	return -1;
}

/* A random (version 4) UUID, from OpenSSL's CSPRNG. */
static int
make_uuid(char *buf, size_t len)
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

int
store_run_begin(struct store *s, struct run_info *ri, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int64_t started;

	if (store_writable(s, err, errlen) == -1)
		return -1;
	if (ri->kind == NULL || *ri->kind == '\0')
		return errf(err, errlen, "a run needs a kind");
	if (ri->uuid == NULL && make_uuid(s->uuid, sizeof(s->uuid)) == -1)
		return errf(err, errlen, "cannot generate a run uuid");
	/* Earlier rows first; then the run row commits on its own. */
	if (store_commit(s, err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_RUN_INSERT, err, errlen);
	if (st == NULL)
		return -1;
	started = ri->started != 0 ? ri->started : now_unix();
	store_bind_text(st, 1, ri->kind);
	store_bind_text(st, 2, ri->label);
	store_bind_text(st, 3, ri->scope);
	store_bind_text(st, 4, ri->sector);
	store_bind_text(st, 5, ri->site);
	sqlite3_bind_int64(st, 6, started);
	store_bind_text(st, 7, ri->tool_version);
	store_bind_text(st, 8, ri->rules_version);
	store_bind_text(st, 9, ri->oui_registry);
	store_bind_text(st, 10, ri->origin);
	store_bind_text(st, 11, ri->uuid != NULL ? ri->uuid : s->uuid);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record the run", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	ri->id = sqlite3_last_insert_rowid(s->db);
	ri->status = RUN_RUNNING;
	ri->started = started;
	ri->finished = 0;
	if (ri->uuid == NULL)
		ri->uuid = s->uuid;
	return 0;
}

int
store_run_end(struct store *s, int64_t run, enum run_status status,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int changed;

	if (status == RUN_RUNNING || (unsigned)status >=
	    NELEM(run_status_names))
		return errf(err, errlen, "a run cannot end as \"%s\"",
		    run_status_name(status));
	/* The status goes in the same transaction as the last batch. */
	if (store_tx(s, err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_RUN_END, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, run_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_unix());
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot end the run", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	changed = sqlite3_changes(s->db);
	if (store_commit(s, err, errlen) == -1)
		return -1;
	if (changed == 0)
		return errf(err, errlen, "%s: no run %lld", s->path,
		    (long long)run);
	return 0;
}

int
store_run_set_oui(struct store *s, int64_t run, const char *registry,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;

	if (store_tx(s, err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_RUN_OUI, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	store_bind_text(st, 2, registry);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record the OUI registry", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	if (sqlite3_changes(s->db) == 0)
		return errf(err, errlen, "%s: no run %lld", s->path,
		    (long long)run);
	return store_wrote(s, 1, err, errlen);
}

/* Fills ri from a row of RUN_COLS (store_sql.c); strings borrowed. */
static int
run_from_row(struct store *s, sqlite3_stmt *st, struct run_info *ri,
    char *err, size_t errlen)
{
	const char *status = store_col_text(st, RC_STATUS);

	memset(ri, 0, sizeof(*ri));
	ri->id = sqlite3_column_int64(st, RC_ID);
	if (run_status_from_name(status, &ri->status) == -1)
		return errf(err, errlen, "%s: run %lld has an unknown status "
		    "\"%s\"", s->path, (long long)ri->id,
		    status != NULL ? status : "");
	ri->kind = store_col_text(st, RC_KIND);
	ri->label = store_col_text(st, RC_LABEL);
	ri->scope = store_col_text(st, RC_SCOPE);
	ri->sector = store_col_text(st, RC_SECTOR);
	ri->site = store_col_text(st, RC_SITE);
	ri->started = sqlite3_column_int64(st, RC_STARTED);
	ri->finished = sqlite3_column_int64(st, RC_FINISHED);
	ri->tool_version = store_col_text(st, RC_TOOL_VERSION);
	ri->rules_version = store_col_text(st, RC_RULES_VERSION);
	ri->oui_registry = store_col_text(st, RC_OUI_REGISTRY);
	ri->origin = store_col_text(st, RC_ORIGIN);
	ri->uuid = store_col_text(st, RC_UUID);
	return 0;
}

int
store_each_run(struct store *s, int (*cb)(void *, const struct run_info *),
    void *arg, char *err, size_t errlen)
{
	struct run_info ri;
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, ST_RUN_EACH, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (run_from_row(s, st, &ri, err, errlen) == -1)
			return store_done(st, -1);
		if (cb(arg, &ri) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot list runs", err,
	    errlen);
}

/* Copies the strings of ri into one block owned by the store. */
static int
keep_run_strings(struct store *s, struct run_info *ri)
{
	const char **f[] = {
		&ri->kind, &ri->label, &ri->scope, &ri->sector, &ri->site,
		&ri->tool_version, &ri->rules_version, &ri->oui_registry,
		&ri->origin, &ri->uuid,
	};
	size_t i, n = 0, len;
	char *p;

	for (i = 0; i < NELEM(f); i++)
		if (*f[i] != NULL)
			n += strlen(*f[i]) + 1;
	free(s->run_strings);
	s->run_strings = p = malloc(n > 0 ? n : 1);
	if (p == NULL)
		return -1;
	for (i = 0; i < NELEM(f); i++) {
		if (*f[i] == NULL)
			continue;
		len = strlen(*f[i]) + 1;
		memcpy(p, *f[i], len);
		*f[i] = p;
		p += len;
	}
	return 0;
}

int
store_run_get(struct store *s, int64_t id, struct run_info *ri, char *err,
    size_t errlen)
{
	return store_run_lookup(s, id, ri, err, errlen) == 0 ? 0 : -1;
}

int
store_run_lookup(struct store *s, int64_t id, struct run_info *ri,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	memset(ri, 0, sizeof(*ri));
	st = store_stmt(s, ST_RUN_GET, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		errf(err, errlen, "%s: no run %lld", s->path, (long long)id);
		store_done(st, 0);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		store_dberr(s, "cannot read the run", err, errlen);
		return store_done(st, -1);
	}
	if (run_from_row(s, st, ri, err, errlen) == -1)
		return store_done(st, -1);
	if (keep_run_strings(s, ri) == -1) {
		memset(ri, 0, sizeof(*ri));
		errf(err, errlen, "out of memory");
		return store_done(st, -1);
	}
	return store_done(st, 0);
}

int
store_run_exists(struct store *s, int64_t run, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, ST_RUN_GET, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return store_done(st, 0);
	if (rc == SQLITE_DONE)
		errf(err, errlen, "%s: no run %lld", s->path, (long long)run);
	else
		store_dberr(s, "cannot read the run", err, errlen);
	return store_done(st, -1);
}

sqlite3_stmt *
store_run_query(struct store *s, enum stmt_id id, int64_t run, int64_t base,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;

	if (store_run_exists(s, run, err, errlen) == -1 ||
	    (base != 0 && store_run_exists(s, base, err, errlen) == -1))
		return NULL;
	st = store_stmt(s, id, err, errlen);
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, run);
	if (base != 0)
		sqlite3_bind_int64(st, 2, base);
	return st;
}

/* Runs a statement that yields at most one id; 0 when none. */
static int
one_id(struct store *s, enum stmt_id id, int64_t arg, int64_t *out,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;

	*out = 0;
	st = store_stmt(s, id, err, errlen);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	return store_step_one(s, st, out, NULL, "cannot read runs", err,
	    errlen);
}

int
store_latest_run(struct store *s, int complete_only, int64_t *id, char *err,
    size_t errlen)
{
	return one_id(s, complete_only ? ST_RUN_LATEST_COMPLETE :
	    ST_RUN_LATEST, 0, id, err, errlen);
}

int
store_previous_run(struct store *s, int64_t run, int64_t *prev, char *err,
    size_t errlen)
{
	*prev = 0;
	if (store_run_exists(s, run, err, errlen) == -1)
		return -1;
	return one_id(s, ST_RUN_PREVIOUS, run, prev, err, errlen);
}

int
store_each_estate_run(struct store *s, int (*cb)(void *, int64_t),
    void *arg, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, ST_ESTATE_RUNS, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(arg, sqlite3_column_int64(st, 0)) != 0)
			return store_done(st, 0);
	return store_step_end(s, st, rc, "cannot read runs", err, errlen);
}
