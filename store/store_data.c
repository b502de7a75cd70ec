/*
 * store_data: observations, coverage and findings, written in the store's
 * batch transaction, and the iterators that read them back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

/* --- observations and coverage ---------------------------------------- */

int
store_observation(struct store *s, int64_t run, int64_t host,
    enum channel chan, const struct observation *o, int64_t *id, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;

	if (id != NULL)
		*id = 0;
	if ((unsigned)chan >= CHAN__COUNT || (unsigned)o->kind >= OBS__COUNT ||
	    (unsigned)o->vtype >= VAL__COUNT)
		return errf(err, errlen, "observation with an unknown "
		    "channel, kind or value type");
	if (!obs_attr_valid(o->kind, o->attr))
		return errf(err, errlen, "\"%s\" is not an attribute of %s "
		    "observations", o->attr != NULL ? o->attr : "(null)",
		    obs_kind_name(o->kind));
	if (o->value == NULL && o->len > 0)
		return errf(err, errlen, "observation value missing");
	if (store_tx(s, err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_OBS_INSERT, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, host);
	sqlite3_bind_text(st, 3, channel_name(chan), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, obs_kind_name(o->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->item != NULL ? o->item : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 6, o->attr, -1, SQLITE_STATIC);
	store_bind_text(st, 7, o->source);
	sqlite3_bind_text(st, 8, value_type_name(o->vtype), -1,
	    SQLITE_STATIC);
	/* A zero-length blob, not NULL, for an empty value. */
	sqlite3_bind_blob64(st, 9, o->len > 0 ? o->value : "",
	    (sqlite3_uint64)o->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, now_unix());
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record an observation", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return store_wrote(s, 1, err, errlen);
}

int
store_coverage(struct store *s, int64_t run, int64_t host,
    const struct coverage *c, char *err, size_t errlen)
{
	sqlite3_stmt *st;

	if ((unsigned)c->channel >= CHAN__COUNT ||
	    (unsigned)c->status >= COV__COUNT)
		return errf(err, errlen, "coverage with an unknown channel or "
		    "status");
	if (store_tx(s, err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_COV_UPSERT, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, host);
	sqlite3_bind_text(st, 3, channel_name(c->channel), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->probe != NULL ? c->probe : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, cov_status_name(c->status), -1,
	    SQLITE_STATIC);
	store_bind_text(st, 6, c->detail);
	store_bind_text(st, 7, c->profile);
	sqlite3_bind_int64(st, 8, c->elapsed_ms);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record coverage", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	return store_wrote(s, 1, err, errlen);
}

static int
bad_name(struct store *s, const char *what, const char *name, int64_t row,
    char *err, size_t errlen)
{
	return errf(err, errlen, "%s: row %lld has an unknown %s \"%s\"",
	    s->path, (long long)row, what, name != NULL ? name : "");
}

int
store_each_observation(struct store *s, int64_t run, int64_t host,
    int (*cb)(void *, const struct obs_row *), void *arg, char *err,
    size_t errlen)
{
	struct obs_row r;
	sqlite3_stmt *st;
	int rc;

	st = store_run_query(s, host > 0 ? ST_OBS_EACH_HOST : ST_OBS_EACH, run,
	    0, err, errlen);
	if (st == NULL)
		return -1;
	if (host > 0)
		sqlite3_bind_int64(st, 2, host);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.run = sqlite3_column_int64(st, 1);
		r.host = sqlite3_column_int64(st, 2);
		r.host_identity = store_col_text(st, 3);
		r.h.address = store_col_text(st, 4);
		r.h.name = store_col_text(st, 5);
		r.h.sector = store_col_text(st, 6);
		r.h.site = store_col_text(st, 7);
		if (channel_from_name(store_col_text(st, 8), &r.channel) == -1)
			return store_done(st, bad_name(s, "channel",
			    store_col_text(st, 8), r.id, err, errlen));
		if (obs_kind_from_name(store_col_text(st, 9), &r.obs.kind) ==
		    -1)
			return store_done(st, bad_name(s, "kind",
			    store_col_text(st, 9), r.id, err, errlen));
		r.obs.item = store_col_text(st, 10);
		r.obs.attr = store_col_text(st, 11);
		r.obs.source = store_col_text(st, 12);
		if (value_type_from_name(store_col_text(st, 13),
		    &r.obs.vtype) == -1)
			return store_done(st, bad_name(s, "value type",
			    store_col_text(st, 13), r.id, err, errlen));
		r.obs.value = sqlite3_column_blob(st, 14);
		r.obs.len = (size_t)sqlite3_column_bytes(st, 14);
		r.seen = sqlite3_column_int64(st, 15);
		r.h.criticality = sqlite3_column_int(st, 16);
		r.h.jurisdiction = store_col_text(st, 17);
		if (cb(arg, &r) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read observations", err,
	    errlen);
}

int
store_each_coverage(struct store *s, int64_t run,
    int (*cb)(void *, const struct coverage_row *), void *arg, char *err,
    size_t errlen)
{
	struct coverage_row r;
	sqlite3_stmt *st;
	int rc;

	st = store_run_query(s, ST_COV_EACH, run, 0, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.run = sqlite3_column_int64(st, 0);
		r.host = sqlite3_column_int64(st, 1);
		r.host_identity = store_col_text(st, 2);
		r.h.address = store_col_text(st, 3);
		r.h.name = store_col_text(st, 4);
		r.h.sector = store_col_text(st, 5);
		r.h.site = store_col_text(st, 6);
		r.h.owner = store_col_text(st, 7);
		if (channel_from_name(store_col_text(st, 8),
		    &r.cov.channel) == -1)
			return store_done(st, bad_name(s, "channel",
			    store_col_text(st, 8), r.host, err, errlen));
		r.cov.probe = store_col_text(st, 9);
		if (cov_status_from_name(store_col_text(st, 10),
		    &r.cov.status) == -1)
			return store_done(st, bad_name(s, "coverage status",
			    store_col_text(st, 10), r.host, err, errlen));
		r.cov.detail = store_col_text(st, 11);
		r.cov.profile = store_col_text(st, 12);
		r.h.jurisdiction = store_col_text(st, 14);
		r.cov.elapsed_ms = sqlite3_column_int64(st, 13);
		if (cb(arg, &r) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read coverage", err,
	    errlen);
}

/* --- findings --------------------------------------------------------- */

int
finding_id_make(const char *identity, const char *rule_id, char *buf)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *ctx;
	int ok;

	buf[0] = '\0';
	ctx = EVP_MD_CTX_new();
	ok = ctx != NULL &&
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, identity, strlen(identity)) == 1 &&
	    EVP_DigestUpdate(ctx, "|", 1) == 1 &&
	    EVP_DigestUpdate(ctx, rule_id, strlen(rule_id)) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &n) == 1 && n >= 8;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	memcpy(buf, "BA-", 3);
	hex_encode(md, 8, buf + 3);
	return 0;
}

static int
insert_finding(struct store *s, struct finding *f, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	size_t i;

	st = store_stmt(s, ST_FINDING_INSERT, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, f->run);
	sqlite3_bind_int64(st, 2, f->host);
	store_bind_text(st, 3, f->finding_id);
	store_bind_text(st, 4, f->rule_id);
	store_bind_text(st, 5, f->vendor);
	store_bind_text(st, 6, f->product);
	store_bind_text(st, 7, f->asset);
	store_bind_text(st, 8, f->address);
	store_bind_text(st, 9, f->channel);
	store_bind_text(st, 10, f->evidence);
	store_bind_text(st, 11, f->confidence);
	sqlite3_bind_int(st, 12, f->confidence_score);
	store_bind_text(st, 13, f->regulation);
	store_bind_text(st, 14, f->citation);
	store_bind_text(st, 15, f->citation_url);
	store_bind_text(st, 16, f->effective_date);
	store_bind_text(st, 17, f->severity);
	sqlite3_bind_int(st, 18, f->likelihood);
	sqlite3_bind_int(st, 19, f->impact);
	sqlite3_bind_int(st, 20, f->risk_score);
	store_bind_text(st, 21, f->risk_rating);
	store_bind_text(st, 22, f->recommended_action);
	store_bind_text(st, 23, f->due_date);
	sqlite3_bind_int(st, 24, f->lead == FINDING_ELSEWHERE ?
	    FINDING_ELSEWHERE : f->lead != 0);
	store_bind_text(st, 25, f->note);
	store_bind_text(st, 26, f->binding_scope);
	if (sqlite3_step(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(s->db) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			errf(err, errlen, "%s: finding %s is already recorded "
			    "for run %lld", s->path, f->finding_id,
			    (long long)f->run);
		else
			store_dberr(s, "cannot record a finding", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	f->rowid = sqlite3_last_insert_rowid(s->db);
	for (i = 0; i < f->nevidence; i++) {
		st = store_stmt(s, ST_EVIDENCE_INSERT, err, errlen);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, f->rowid);
		sqlite3_bind_int64(st, 2, f->evidence_ids[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_dberr(s, "cannot record the evidence of a "
			    "finding", err, errlen);
			return store_done(st, -1);
		}
		store_done(st, 0);
	}
	return 0;
}

int
store_finding(struct store *s, struct finding *f, char *err, size_t errlen)
{
	int rc;

	f->rowid = 0;
	if (f->finding_id == NULL || f->rule_id == NULL)
		return errf(err, errlen, "a finding needs a finding id and a "
		    "rule id");
	if (f->nevidence > 0 && f->evidence_ids == NULL)
		return errf(err, errlen, "finding %s: evidence ids missing",
		    f->finding_id);
	if (store_tx(s, err, errlen) == -1 ||
	    store_exec(s, ST_SAVEPOINT, "cannot record a finding", err,
	    errlen) == -1)
		return -1;
	rc = insert_finding(s, f, err, errlen);
	if (rc == -1 && !sqlite3_get_autocommit(s->db))
		store_exec(s, ST_ROLLBACK_TO, "rollback", NULL, 0);
	if (!sqlite3_get_autocommit(s->db) && store_exec(s, ST_RELEASE,
	    "cannot record a finding", rc == 0 ? err : NULL, errlen) == -1)
		rc = -1;
	if (rc == -1) {
		f->rowid = 0;
		return -1;
	}
	return store_wrote(s, 1 + (unsigned)f->nevidence, err, errlen);
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Parses "12,15,9" into *ids (grown as needed), sorted. */
static int
parse_ids(const char *list, int64_t **ids, size_t *cap, size_t *n)
{
	const char *p = list;
	char *end;
	long long v;

	*n = 0;
	while (p != NULL && *p != '\0') {
		v = strtoll(p, &end, 10);
		if (end == p)
			return -1;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			int64_t *nids = reallocarray(*ids, ncap,
			    sizeof(**ids));

			if (nids == NULL)
				return -1;
			*ids = nids;
			*cap = ncap;
		}
		(*ids)[(*n)++] = v;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return -1;
	}
	if (*n > 1)
		qsort(*ids, *n, sizeof(**ids), cmp_id);
	return 0;
}

static void
finding_from_row(sqlite3_stmt *st, struct finding_row *r)
{
	struct finding *f = &r->f;

	memset(r, 0, sizeof(*r));
	f->rowid = sqlite3_column_int64(st, 0);
	f->run = sqlite3_column_int64(st, 1);
	f->host = sqlite3_column_int64(st, 2);
	f->finding_id = store_col_text(st, 3);
	f->rule_id = store_col_text(st, 4);
	f->vendor = store_col_text(st, 5);
	f->product = store_col_text(st, 6);
	f->asset = store_col_text(st, 7);
	f->address = store_col_text(st, 8);
	f->channel = store_col_text(st, 9);
	f->evidence = store_col_text(st, 10);
	f->confidence = store_col_text(st, 11);
	f->confidence_score = sqlite3_column_int(st, 12);
	f->regulation = store_col_text(st, 13);
	f->citation = store_col_text(st, 14);
	f->citation_url = store_col_text(st, 15);
	f->effective_date = store_col_text(st, 16);
	f->severity = store_col_text(st, 17);
	f->likelihood = sqlite3_column_int(st, 18);
	f->impact = sqlite3_column_int(st, 19);
	f->risk_score = sqlite3_column_int(st, 20);
	f->risk_rating = store_col_text(st, 21);
	f->recommended_action = store_col_text(st, 22);
	f->due_date = store_col_text(st, 23);
	r->status = store_col_text(st, 24);
	r->first_seen = sqlite3_column_int64(st, 25);
	r->last_seen = sqlite3_column_int64(st, 26);
	r->host_identity = store_col_text(st, 27);
	r->h.name = store_col_text(st, 28);
	r->h.sector = store_col_text(st, 29);
	r->h.site = store_col_text(st, 30);
	r->h.owner = store_col_text(st, 31);
	r->h.criticality = sqlite3_column_int(st, 32);
	/* 33 is the evidence list (store_each_finding_since()). */
	r->unverified = sqlite3_column_int(st, 34);
	r->waived_until = store_col_text(st, 35);
	r->waiver_reason = store_col_text(st, 36);
	r->waiver_by = store_col_text(st, 37);
	r->note = store_col_text(st, 38);
	f->binding_scope = store_col_text(st, 39);
	r->h.jurisdiction = store_col_text(st, 40);
}

/* Leads (lead 1) or notes of a ban elsewhere (FINDING_ELSEWHERE). */
static int
each_lead(struct store *s, int64_t run, int lead,
    int (*cb)(void *, const struct lead_row *), void *arg, char *err,
    size_t errlen)
{
	struct lead_row r;
	sqlite3_stmt *st;
	int rc;

	st = store_run_query(s, ST_LEAD_EACH, run, 0, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 2, lead);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.finding_id = store_col_text(st, 0);
		r.rule_id = store_col_text(st, 1);
		r.vendor = store_col_text(st, 2);
		r.product = store_col_text(st, 3);
		r.asset = store_col_text(st, 4);
		r.address = store_col_text(st, 5);
		r.channel = store_col_text(st, 6);
		r.evidence = store_col_text(st, 7);
		r.confidence = store_col_text(st, 8);
		r.reason = store_col_text(st, 9);
		r.host_identity = store_col_text(st, 10);
		r.h.name = store_col_text(st, 11);
		r.h.sector = store_col_text(st, 12);
		r.h.site = store_col_text(st, 13);
		r.h.owner = store_col_text(st, 14);
		r.seen = sqlite3_column_int64(st, 15);
		r.host = sqlite3_column_int64(st, 16);
		if (cb(arg, &r) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read leads", err, errlen);
}

int
store_each_lead(struct store *s, int64_t run,
    int (*cb)(void *, const struct lead_row *), void *arg, char *err,
    size_t errlen)
{
	return each_lead(s, run, 1, cb, arg, err, errlen);
}

int
store_each_elsewhere(struct store *s, int64_t run,
    int (*cb)(void *, const struct lead_row *), void *arg, char *err,
    size_t errlen)
{
	return each_lead(s, run, FINDING_ELSEWHERE, cb, arg, err, errlen);
}

int
store_each_finding(struct store *s, int64_t run,
    int (*cb)(void *, const struct finding_row *), void *arg, char *err,
    size_t errlen)
{
	int64_t prev;

	if (store_previous_run(s, run, &prev, err, errlen) == -1)
		return -1;
	return store_each_finding_since(s, run, prev, cb, arg, err, errlen);
}

int
store_each_finding_since(struct store *s, int64_t run, int64_t base,
    int (*cb)(void *, const struct finding_row *), void *arg, char *err,
    size_t errlen)
{
	struct finding_row r;
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t cap = 0, n;
	int rc, ret = -1;

	st = store_run_query(s, ST_FINDING_EACH, run, base, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		finding_from_row(st, &r);
		if (parse_ids(store_col_text(st, 33), &ids, &cap, &n) == -1) {
			errf(err, errlen, "%s: finding %s: cannot read its "
			    "evidence", s->path, r.f.finding_id);
			goto out;
		}
		r.f.evidence_ids = n > 0 ? ids : NULL;
		r.f.nevidence = n;
		if (cb(arg, &r) != 0) {
			ret = 0;
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		store_dberr(s, "cannot read findings", err, errlen);
		goto out;
	}
	ret = 0;
out:
	free(ids);
	return store_done(st, ret);
}
