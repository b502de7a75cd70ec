/*
 * Fault injection for the store (SQLite's own way of testing its error
 * paths): SQLite's allocator is wrapped so that its Nth allocation fails,
 * and a scenario that uses every kind of store call -- open and migrate,
 * runs, hosts, observations, coverage, findings with evidence, carrying,
 * history queries, waivers, merge -- is run for N = 1, 2, ... until it
 * completes without a fault.  Every call that fails must return -1 with a
 * message (never crash, never succeed half-way in silence); the sanitizer
 * build checks that nothing leaks on any of those paths.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fixture.h"
#include "store.h"
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define DAY	86400

static sqlite3_mem_methods real_mem;
static long countdown = -1;	/* allocations until the fault; -1 none */
static long nalloc;		/* allocations so far */
static int injected;

static void *
f_malloc(int n)
{
	nalloc++;
	if (countdown >= 0 && countdown-- == 0) {
		injected = 1;
		return NULL;
	}
	return real_mem.xMalloc(n);
}

static void *
f_realloc(void *p, int n)
{
	nalloc++;
	if (countdown >= 0 && countdown-- == 0) {
		injected = 1;
		return NULL;
	}
	return real_mem.xRealloc(p, n);
}

static char dir[PATH_MAX];
static char site[PATH_MAX + 16];

/*
 * Where each store call of the scenario begins, in allocations from the
 * scenario's start (recorded by a run without faults).
 */
#define MAXCALLS	64
static long call_at[MAXCALLS];
static size_t ncalls;
static int recording;

/* A call failed: it must say why. */
#define CALL(x) do {							\
	err[0] = '\0';							\
	if (recording && ncalls < MAXCALLS)				\
		call_at[ncalls++] = nalloc;				\
	if ((x) != 0) {							\
		if (err[0] == '\0')					\
			fail_msg("%s failed without a message", #x);	\
		if (countdown < 0 && !injected)				\
			fail_msg("%s: %s", #x, err);			\
		goto out;						\
	}								\
} while (0)

static void
rm_db(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-lock",
	    "-journal" };
	char p[PATH_MAX + 32];
	size_t i;

	for (i = 0; i < NELEM(suffix); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/*
 * Two runs of one scope on a fresh file: the second does not assess the
 * host, so its finding is carried; then the history queries, a waiver and
 * a merge of the site database.  Returns 0 when everything succeeded.
 */
static int
scenario(const char *path, int with_merge)
{
	struct store *s = NULL;
	struct run_info ri;
	struct host_info hi;
	struct observation o;
	struct coverage c;
	struct finding f;
	struct waiver w;
	struct merge_stats ms;
	char err[ERRLEN], fid[FINDING_ID_LEN];
	int64_t r1 = 0, r2 = 0, h = 0, ob = 0, prev = 0, latest = 0, first = 0;
	size_t n = 0, total = 0, waived = 0, nids = 0, k;
	int64_t *ids = NULL;
	int known = 0, replaced = 0, removed = 0, rc = -1;

	rm_db(path);
	CALL(store_open(path, STORE_WRITE, &s, err, sizeof(err)));
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "faults";
	ri.label = "fault injection";
	ri.started = T0;
	CALL(store_run_begin(s, &ri, err, sizeof(err)));
	r1 = ri.id;
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	hi.h.name = "host-1";
	hi.h.sector = "power";
	hi.h.criticality = 4;
	hi.mac = "00:11:22:33:44:55";
	CALL(store_host(s, r1, &hi, &h, err, sizeof(err)));
	memset(&o, 0, sizeof(o));
	o.kind = OBS_SOFTWARE;
	o.item = "1";
	o.attr = "name";
	o.source = "1.3.6.1.2.1.25.6.3.1.2.1";
	o.vtype = VAL_TEXT;
	o.value = "kesl-12.1.0";
	o.len = strlen("kesl-12.1.0");
	CALL(store_observation(s, r1, h, CHAN_SNMP, &o, &ob, err,
	    sizeof(err)));
	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = "";
	c.status = COV_OK;
	c.detail = "1 value";
	CALL(store_coverage(s, r1, h, &c, err, sizeof(err)));
	CALL(store_flush(s, err, sizeof(err)));
	assert_int_equal(finding_id_make("mac:00:11:22:33:44:55",
	    "kaspersky-endpoint", fid), 0);
	memset(&f, 0, sizeof(f));
	f.run = r1;
	f.host = h;
	f.finding_id = fid;
	f.rule_id = "kaspersky-endpoint";
	f.vendor = "Kaspersky";
	f.product = "Endpoint Security";
	f.evidence = "software kesl-12.1.0";
	f.confidence = "high";
	f.severity = "critical";
	f.likelihood = 4;
	f.impact = 5;
	f.risk_score = 20;
	f.risk_rating = "critical";
	f.evidence_ids = &ob;
	f.nevidence = 1;
	CALL(store_finding(s, &f, err, sizeof(err)));
	CALL(store_host_name(s, r1, h, "host-1.example", err, sizeof(err)));
	CALL(store_run_set_oui(s, r1, "ieee", err, sizeof(err)));
	CALL(store_run_end(s, r1, RUN_COMPLETE, err, sizeof(err)));

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "faults";
	ri.started = T0 + DAY;
	CALL(store_run_begin(s, &ri, err, sizeof(err)));
	r2 = ri.id;
	CALL(store_host(s, r2, &hi, &h, err, sizeof(err)));
	c.status = COV_TIMEOUT;
	c.detail = "no response";
	CALL(store_coverage(s, r2, h, &c, err, sizeof(err)));
	CALL(store_carry_candidates(s, r2, &ids, &nids, err, sizeof(err)));
	for (k = 0; k < nids; k++)
		CALL(store_carry_finding(s, r2, ids[k], "not verified", err,
		    sizeof(err)));
	CALL(store_run_end(s, r2, RUN_COMPLETE, err, sizeof(err)));

	CALL(store_latest_run(s, 1, &latest, err, sizeof(err)));
	CALL(store_previous_run(s, latest, &prev, err, sizeof(err)));
	CALL(store_run_get(s, r1, &ri, err, sizeof(err)));
	n = 0;
	CALL(store_each_finding(s, r2, tally_findings, &n, err, sizeof(err)));
	n = 0;
	CALL(store_each_finding_since(s, r2, r1, tally_findings, &n, err,
	    sizeof(err)));
	n = 0;
	CALL(store_each_unassessed(s, r2, r1, tally_unassessed, &n, err,
	    sizeof(err)));
	CALL(store_finding_known(s, fid, &known, err, sizeof(err)));
	/* The readers reports use. */
	n = 0;
	CALL(store_each_run(s, tally_runs, &n, err, sizeof(err)));
	CALL(store_run_lookup(s, r2, &ri, err, sizeof(err)));
	CALL(store_each_host(s, r1, tally_hosts, &n, err, sizeof(err)));
	CALL(store_each_observation(s, r1, h, tally_obs, &n, err,
	    sizeof(err)));
	CALL(store_each_coverage(s, r2, tally_cov, &n, err, sizeof(err)));
	CALL(store_each_lead(s, r2, tally_leads, &n, err, sizeof(err)));
	CALL(store_each_elsewhere(s, r2, tally_leads, &n, err, sizeof(err)));
	CALL(store_each_estate_run(s, tally_ids, &n, err, sizeof(err)));
	CALL(store_finding_first_seen(s, r2, fid, &first, err,
	    sizeof(err)));
	memset(&w, 0, sizeof(w));
	w.finding_id = fid;
	w.reason = "replacement ordered";
	w.until = "2099-12-31";
	w.created_by = "auditor";
	CALL(store_waiver_set(s, &w, &replaced, err, sizeof(err)));
	CALL(store_run_findings(s, r2, &total, &waived, err, sizeof(err)));
	n = 0;
	CALL(store_each_waiver(s, tally_waivers, &n, err, sizeof(err)));
	CALL(store_waiver_remove(s, fid, &removed, err, sizeof(err)));
	if (with_merge) {
		CALL(store_merge_check(s, site, err, sizeof(err)));
		CALL(store_merge_as(s, site, MERGE_FULL, &ms, err,
		    sizeof(err)));
	}
	rc = 0;
out:
	free(ids);
	store_close(s);
	return rc;
}

static int
setup(void **state)
{
	static sqlite3_mem_methods mine;

	(void)state;
	/* In memory where there is a tmpfs: hundreds of files, each synced. */
	str_copy(dir, access("/dev/shm", W_OK) == 0 ?
	    "/dev/shm/test_store_faults.XXXXXX" :
	    "/tmp/test_store_faults.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		return -1;
	if (real_mem.xMalloc != NULL)
		return 0;		/* wrapped already, by an earlier case */
	if (sqlite3_shutdown() != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
		return -1;
	mine = real_mem;
	mine.xMalloc = f_malloc;
	mine.xRealloc = f_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK ||
	    sqlite3_initialize() != SQLITE_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char p[PATH_MAX + 16];

	(void)state;
	snprintf(p, sizeof(p), "%s/a.db", dir);
	rm_db(p);
	rm_db(site);
	return rmdir(dir);
}

/* Without faults first: the scenario itself must be right. */
static void
test_scenario(void **state)
{
	char p[PATH_MAX + 16];

	(void)state;
	snprintf(site, sizeof(site), "%s/north.db", dir);
	assert_int_equal(scenario(site, 0), 0);
	snprintf(p, sizeof(p), "%s/a.db", dir);
	assert_int_equal(scenario(p, 1), 0);
}

/*
 * The scenario makes some thousands of allocations; a fault at each of
 * them would take minutes, so faults are spread evenly over the whole
 * scenario, a few hundred of them, each at a different allocation.
 */
#define FAULTS	300

static void
test_allocation_faults(void **state)
{
	char p[PATH_MAX + 16];
	long i, total, step, failed = 0, runs = 0;
	int64_t t0;
	int rc;

	(void)state;
	snprintf(site, sizeof(site), "%s/north.db", dir);
	countdown = -1;
	assert_int_equal(scenario(site, 0), 0);
	snprintf(p, sizeof(p), "%s/a.db", dir);
	nalloc = 0;
	t0 = mono_ms();
	assert_int_equal(scenario(p, 1), 0);
	total = nalloc;
	step = total / FAULTS > 1 ? total / FAULTS : 1;
	print_message("scenario: %ld SQLite allocations, %lld ms\n", total,
	    (long long)(mono_ms() - t0));
	for (i = 0; i < total; i += step) {
		injected = 0;
		countdown = i;
		if (getenv("FAULTS_DEBUG") != NULL)
			fprintf(stderr, "fault at %ld\n", i);
		rc = scenario(p, 1);
		countdown = -1;
		runs++;
		if (!injected) {
			assert_int_equal(rc, 0);
			continue;
		}
		if (rc != 0)
			failed++;
	}
	print_message("%ld faults, every %ld allocations: %ld made a call "
	    "fail with a message\n", runs, step, failed);
	assert_true(runs >= FAULTS / 2);
	assert_true(failed > runs / 2);
	/* And afterwards, all is well again. */
	assert_int_equal(scenario(p, 1), 0);
}

/*
 * The first allocations of every store call fail, one at a time: each
 * call's own error paths (its statements' preparation, its first steps),
 * which faults spread over the whole scenario may step over.  Each must
 * fail with a message, and the store must work again afterwards.
 */
#define PER_CALL	6

static void
test_call_faults(void **state)
{
	char p[PATH_MAX + 16];
	size_t c, k, n;
	long failed = 0, runs = 0;

	(void)state;
	snprintf(site, sizeof(site), "%s/north.db", dir);
	countdown = -1;
	assert_int_equal(scenario(site, 0), 0);
	snprintf(p, sizeof(p), "%s/a.db", dir);
	nalloc = 0;
	ncalls = 0;
	recording = 1;
	assert_int_equal(scenario(p, 1), 0);
	recording = 0;
	n = ncalls;
	assert_true(n >= 25);
	for (c = 0; c < n; c++) {
		for (k = 0; k < PER_CALL; k++) {
			injected = 0;
			nalloc = 0;
			countdown = call_at[c] + (long)k;
			if (scenario(p, 1) != 0)
				failed++;
			countdown = -1;
			runs++;
		}
	}
	print_message("%zu calls, %ld faults at their starts: %ld made a "
	    "call fail with a message\n", n, runs, failed);
	/* (Allocation counts may drift a little after a fault.) */
	assert_true(failed >= runs * 9 / 10);
	assert_int_equal(scenario(p, 1), 0);
}

/*
 * What a database holds: every row of every table, folded (FNV-1a) in
 * table and rowid order.  Read with no fault armed.
 */
static uint64_t
db_digest(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *t = NULL, *q = NULL;
	uint64_t h = 14695981039346656037ULL;
	char sql[256];
	int i, n;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM "
	    "sqlite_schema WHERE type = 'table' ORDER BY name", -1, &t, NULL),
	    SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW) {
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"",
		    (const char *)sqlite3_column_text(t, 0));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL),
		    SQLITE_OK);
		while (sqlite3_step(q) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(q); i++) {
				const unsigned char *b = sqlite3_column_blob(q,
				    i);

				n = sqlite3_column_bytes(q, i);
				while (n-- > 0)
					h = (h ^ *b++) * 1099511628211ULL;
				h = (h ^ (unsigned)sqlite3_column_type(q, i)) *
				    1099511628211ULL;
			}
		}
		sqlite3_finalize(q);
	}
	sqlite3_finalize(t);
	sqlite3_close(db);
	return h;
}

/*
 * Issue 16: each statement of a merge failing.  Every other SQLite
 * allocation a merge of the site makes (the even ones in a full merge,
 * the odd ones in an evidence-only merge) fails in turn:
 * the merge returns -1 with a message that starts with the site file's
 * name (then, when it was the database merged into that failed, that
 * one's) and says why, the database holds exactly what it held before,
 * and the same handle merges the site afterwards.
 */
static void
test_merge_faults(void **state)
{
	static const enum merge_mode modes[] = { MERGE_FULL, MERGE_EVIDENCE };
	struct merge_stats ms;
	struct store *s = NULL;
	char p[PATH_MAX + 16], q[PATH_MAX + 16], err[ERRLEN];
	uint64_t before;
	long i, total, failed, recovered;
	size_t k;
	int rc;

	(void)state;
	snprintf(site, sizeof(site), "%s/north.db", dir);
	snprintf(p, sizeof(p), "%s/a.db", dir);
	snprintf(q, sizeof(q), "%s/b.db", dir);
	countdown = -1;
	assert_int_equal(scenario(site, 0), 0);
	for (k = 0; k < NELEM(modes); k++) {
		/* How many allocations a merge makes, on a copy. */
		assert_int_equal(scenario(q, 0), 0);
		assert_int_equal(store_open(q, STORE_WRITE, &s, err,
		    sizeof(err)), 0);
		nalloc = 0;
		assert_int_equal(store_merge_as(s, site, modes[k], &ms, err,
		    sizeof(err)), 0);
		total = nalloc;
		assert_true(ms.runs == 2 && ms.observations >= 1);
		store_close(s);
		rm_db(q);

		assert_int_equal(scenario(p, 0), 0);
		assert_int_equal(store_open(p, STORE_WRITE, &s, err,
		    sizeof(err)), 0);
		before = db_digest(p);
		failed = recovered = 0;
		for (i = (long)k; i < total; i += 2) {
			injected = 0;
			err[0] = '\0';
			countdown = i;
			rc = store_merge_as(s, site, modes[k], &ms, err,
			    sizeof(err));
			countdown = -1;
			if (rc == 0) {
				/*
				 * SQLite got round the fault: the whole site
				 * is in; a fresh database for the next.
				 */
				assert_int_equal(ms.runs, 2);
				assert_true(db_digest(p) != before);
				recovered++;
				store_close(s);
				assert_int_equal(scenario(p, 0), 0);
				assert_int_equal(store_open(p, STORE_WRITE, &s,
				    err, sizeof(err)), 0);
				before = db_digest(p);
				continue;
			}
			failed++;
			assert_true(injected);
			/* The site file first, whichever file failed. */
			if (strncmp(err, site, strlen(site)) != 0 ||
			    err[strlen(site)] != ':')
				fail_msg("fault %ld: \"%s\" does not name "
				    "the site file first", i, err);
			/*
			 * The cause.  2026-12-06: a page quick_check could
			 * not read for want of memory was reported as a
			 * damaged file ("error code=7").
			 */
			if (strstr(err, "out of memory") == NULL ||
			    strstr(err, "damaged") != NULL)
				fail_msg("fault %ld: \"%s\"", i, err);
			assert_true(ms.runs == 0 && ms.observations == 0);
			if (db_digest(p) != before)
				fail_msg("fault %ld (%s) changed %s", i, err,
				    p);
		}
		print_message("merge (%s): %ld allocations, %ld failed with "
		    "a message, the database untouched; %ld got round\n",
		    k == 0 ? "full" : "evidence", total, failed, recovered);
		assert_true(failed > total / 2 * 9 / 10);
		/* The handle works: the site merges whole. */
		assert_int_equal(store_merge_as(s, site, modes[k], &ms, err,
		    sizeof(err)), 0);
		assert_int_equal(ms.runs, 2);
		assert_true(db_digest(p) != before);
		store_close(s);
		rm_db(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scenario, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_allocation_faults,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_faults,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_faults,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
