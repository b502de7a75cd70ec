/*
 * store_find: findings -- written in the store's batch transaction with
 * their evidence (found among the buffered observations, else in the
 * host's packed blocks), their stable ids, and the iterators that read
 * findings and leads back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

/*
 * Evidence is an observation of the finding's run and host: 0, or -1.
 * The blocks whose ids span id are decoded here (store_unpack_next(),
 * the writer's own decoder) up to the row: SQLite's json_each() took
 * about 4,000 instructions a row of the block.
 */
static int
evidence_exists(struct store *s, int64_t run, int64_t host, int64_t id,
    char *err, size_t errlen)
{
	struct store_unpack u;
	struct store_packrow p;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, n = 0, found = 0;

	if (store_obs_has(s, run, host, id))
		return 0;
	st = store_stmt(s, ST_OBS_EXISTS, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, host);
	sqlite3_bind_int64(st, 3, id);
	memset(&u, 0, sizeof(u));
	while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_unpack_init(&u, sqlite3_column_int64(st, 0),
		    sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1),
		    sqlite3_column_blob(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2));
		while ((n = store_unpack_next(&u, &p, err, errlen)) == 1)
			if (p.id == id) {
				found = 1;
				break;
			}
		if (n == -1) {
			char msg[ERRLEN];

			store_unpack_free(&u);
			if (err != NULL && errlen > 0) {
				snprintf(msg, sizeof(msg), "%s", err);
				errf(err, errlen, "%s: cannot record the "
				    "evidence of a finding: %s", s->path, msg);
			}
			return store_done(st, -1);
		}
	}
	store_unpack_free(&u);
	if (found)
		return store_done(st, 0);
	if (store_step_end(s, st, rc, "cannot record the evidence of a "
	    "finding", err, errlen) == -1)
		return -1;
	return errf(err, errlen, "%s: cannot record the evidence of a "
	    "finding: observation %lld of its run and host does not exist",
	    s->path, (long long)id);
}

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
		if (evidence_exists(s, f->run, f->host, f->evidence_ids[i],
		    err, errlen) == -1)
			return -1;
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
	/*
	 * Buffered observations stay buffered (ST_SAVEPOINT_KEEP): the
	 * finding's statements neither read nor write them, the evidence
	 * is looked for in the buffer first, and a rollback to the
	 * savepoint cannot take them.
	 */
	if (store_tx(s, err, errlen) == -1 ||
	    store_check_run(s, f->run, "a finding", err, errlen) == -1 ||
	    store_check_host(s, f->host, "a finding", err, errlen) == -1 ||
	    store_exec(s, ST_SAVEPOINT_KEEP, "cannot record a finding", err,
	    errlen) == -1)
		return -1;
	s->obuf_keep = 1;
	rc = insert_finding(s, f, err, errlen);
	if (rc == -1 && !sqlite3_get_autocommit(s->db))
		store_exec(s, ST_ROLLBACK_TO, "rollback", NULL, 0);
	if (!sqlite3_get_autocommit(s->db) && store_exec(s, ST_RELEASE,
	    "cannot record a finding", rc == 0 ? err : NULL, errlen) == -1)
		rc = -1;
	s->obuf_keep = 0;
	if (rc == -1) {
		f->rowid = 0;
		return -1;
	}
	return store_wrote(s, 1 + (unsigned)f->nevidence, err, errlen);
}


/*
 * Parses "12,15,9" into *ids (grown as needed), sorted.  -1: malformed,
 * -2: out of memory.
 */
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
				return -2;
			*ids = nids;
			*cap = ncap;
		}
		(*ids)[(*n)++] = v;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return -1;
	}
	if (*n > 1)
		qsort(*ids, *n, sizeof(**ids), cmp_int64);
	return 0;
}

static void
finding_from_row(sqlite3_stmt *st, struct finding_row *r)
{
	struct finding *f = &r->f;

	memset(r, 0, sizeof(*r));
	f->rowid = sqlite3_column_int64(st, FE_ROWID);
	f->run = sqlite3_column_int64(st, FE_RUN);
	f->host = sqlite3_column_int64(st, FE_HOST);
	f->finding_id = store_col_text(st, FE_FINDING_ID);
	f->rule_id = store_col_text(st, FE_RULE_ID);
	f->vendor = store_col_text(st, FE_VENDOR);
	f->product = store_col_text(st, FE_PRODUCT);
	f->asset = store_col_text(st, FE_ASSET);
	f->address = store_col_text(st, FE_ADDRESS);
	f->channel = store_col_text(st, FE_CHANNEL);
	f->evidence = store_col_text(st, FE_EVIDENCE);
	f->confidence = store_col_text(st, FE_CONFIDENCE);
	f->confidence_score = sqlite3_column_int(st, FE_CONFIDENCE_SCORE);
	f->regulation = store_col_text(st, FE_REGULATION);
	f->citation = store_col_text(st, FE_CITATION);
	f->citation_url = store_col_text(st, FE_CITATION_URL);
	f->effective_date = store_col_text(st, FE_EFFECTIVE_DATE);
	f->severity = store_col_text(st, FE_SEVERITY);
	f->likelihood = sqlite3_column_int(st, FE_LIKELIHOOD);
	f->impact = sqlite3_column_int(st, FE_IMPACT);
	f->risk_score = sqlite3_column_int(st, FE_RISK_SCORE);
	f->risk_rating = store_col_text(st, FE_RISK_RATING);
	f->recommended_action = store_col_text(st, FE_RECOMMENDED_ACTION);
	f->due_date = store_col_text(st, FE_DUE_DATE);
	r->status = store_col_text(st, FE_STATUS);
	r->first_seen = sqlite3_column_int64(st, FE_FIRST_SEEN);
	r->last_seen = sqlite3_column_int64(st, FE_LAST_SEEN);
	r->host_identity = store_col_text(st, FE_IDENTITY);
	r->h.name = store_col_text(st, FE_NAME);
	r->h.sector = store_col_text(st, FE_SECTOR);
	r->h.site = store_col_text(st, FE_SITE);
	r->h.owner = store_col_text(st, FE_OWNER);
	r->h.criticality = sqlite3_column_int(st, FE_CRITICALITY);
	/* 33 is the evidence list (store_each_finding_since()). */
	r->unverified = sqlite3_column_int(st, FE_UNVERIFIED);
	r->waived_until = store_col_text(st, FE_WAIVED_UNTIL);
	r->waiver_reason = store_col_text(st, FE_WAIVER_REASON);
	r->waiver_by = store_col_text(st, FE_WAIVER_BY);
	r->note = store_col_text(st, FE_NOTE);
	f->binding_scope = store_col_text(st, FE_BINDING_SCOPE);
	r->h.jurisdiction = store_col_text(st, FE_JURISDICTION);
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
		r.finding_id = store_col_text(st, LE_FINDING_ID);
		r.rule_id = store_col_text(st, LE_RULE_ID);
		r.vendor = store_col_text(st, LE_VENDOR);
		r.product = store_col_text(st, LE_PRODUCT);
		r.asset = store_col_text(st, LE_ASSET);
		r.address = store_col_text(st, LE_ADDRESS);
		r.channel = store_col_text(st, LE_CHANNEL);
		r.evidence = store_col_text(st, LE_EVIDENCE);
		r.confidence = store_col_text(st, LE_CONFIDENCE);
		r.reason = store_col_text(st, LE_REASON);
		r.host_identity = store_col_text(st, LE_IDENTITY);
		r.h.name = store_col_text(st, LE_NAME);
		r.h.sector = store_col_text(st, LE_SECTOR);
		r.h.site = store_col_text(st, LE_SITE);
		r.h.owner = store_col_text(st, LE_OWNER);
		r.seen = sqlite3_column_int64(st, LE_SEEN);
		r.host = sqlite3_column_int64(st, LE_HOST);
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
	int rc, pr, ret = -1;

	st = store_run_query(s, ST_FINDING_EACH, run, base, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		finding_from_row(st, &r);
		pr = parse_ids(store_col_text(st, FE_EVIDENCE_IDS), &ids, &cap,
		    &n);
		if (pr != 0) {
			errf(err, errlen, "%s: finding %s: cannot read its "
			    "evidence: %s", s->path, r.f.finding_id, pr == -2 ?
			    "out of memory" : "not a list of observation ids");
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
