/*
 * Each write statement of the store failing (issue 16: every store error
 * path).  A trigger of the test's own refuses one kind of write to one
 * table (SQLite's RAISE(ABORT): the statement fails, the transaction
 * stays), as a damaged or hand-edited file, a full disk or a constraint
 * might make it fail; the store call that makes that write must return -1
 * with "FILE: what it could not do: the cause", leave no half of itself
 * behind, and everything committed before -- a finished run with its
 * host, observations, coverage, finding and evidence -- must read back
 * unchanged.  Statement failures by I/O and by memory are in
 * test_store_io and test_store_faults.
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
#define MAC1	"00:11:22:33:44:55"

static char dir[PATH_MAX];
static char path[PATH_MAX + 16];

/* What run 2 has when a case begins (the base file, see make_base()). */
struct ctx {
	struct store	*s;
	int64_t		 r1, r2;	/* complete; running */
	int64_t		 h1;		/* 10.0.0.1, in both */
	int64_t		 h2;		/* 10.0.0.2, in run 2 only */
	int64_t		 f1;		/* run 1's finding (row id) */
	char		 fid[FINDING_ID_LEN];
};

static int
setup(void **state)
{
	(void)state;
	if (scratch_dir(dir, sizeof(dir), "/tmp/test_store_refuse") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/r.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

static int64_t
add_host(struct store *s, int64_t run, const char *addr, const char *mac)
{
	struct host_info hi;
	char err[ERRLEN];
	int64_t h = 0;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.mac = mac;
	if (store_host(s, run, &hi, &h, err, sizeof(err)) != 0)
		fail_msg("store_host: %s", err);
	return h;
}

static void
obs_of(struct observation *o, const char *source)
{
	memset(o, 0, sizeof(*o));
	o->kind = OBS_SOFTWARE;
	o->item = "1";
	o->attr = "name";
	o->source = source;
	o->vtype = VAL_TEXT;
	o->value = "kesl-12";
	o->len = strlen(o->value);
}

static void
finding_of(struct finding *f, int64_t run, int64_t host, const char *fid,
    const int64_t *ev)
{
	memset(f, 0, sizeof(*f));
	f->run = run;
	f->host = host;
	f->finding_id = fid;
	f->rule_id = "kaspersky-endpoint";
	f->severity = "critical";
	f->evidence_ids = ev;
	f->nevidence = 1;
}

/*
 * Run 1 (complete): host 10.0.0.1 with one observation, coverage ok and a
 * finding on it.  Run 2 (running): the same host and 10.0.0.2, committed.
 */
static void
make_base(struct ctx *c)
{
	struct observation o;
	struct coverage cv;
	struct finding f;
	char err[ERRLEN];
	int64_t ob;

	memset(c, 0, sizeof(*c));
	rm_tree(dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	c->s = open_ok(path, STORE_WRITE);
	c->r1 = begin_run(c->s, "refuse", T0);
	c->h1 = add_host(c->s, c->r1, "10.0.0.1", MAC1);
	obs_of(&o, "1.3.6.1.2.1.25.6.3.1.2.1");
	assert_int_equal(store_observation(c->s, c->r1, c->h1, CHAN_SNMP, &o,
	    &ob, err, sizeof(err)), 0);
	memset(&cv, 0, sizeof(cv));
	cv.channel = CHAN_SNMP;
	cv.probe = "software";
	cv.status = COV_OK;
	assert_int_equal(store_coverage(c->s, c->r1, c->h1, &cv, err,
	    sizeof(err)), 0);
	assert_int_equal(finding_id_make("mac:" MAC1, "kaspersky-endpoint",
	    c->fid), 0);
	finding_of(&f, c->r1, c->h1, c->fid, &ob);
	assert_int_equal(store_finding(c->s, &f, err, sizeof(err)), 0);
	c->f1 = f.rowid;
	end_run(c->s, c->r1, RUN_COMPLETE);
	c->r2 = begin_run(c->s, "refuse", T0 + DAY);
	c->h1 = add_host(c->s, c->r2, "10.0.0.1", MAC1);
	c->h2 = add_host(c->s, c->r2, "10.0.0.2", NULL);
	assert_int_equal(store_flush(c->s, err, sizeof(err)), 0);
}

/* A trigger that refuses op on table, made behind the store's back. */
static void
refuse(const char *op, const char *table)
{
	sqlite3 *db;
	char sql[256];

	snprintf(sql, sizeof(sql), "CREATE TRIGGER refuse BEFORE %s ON %s "
	    "BEGIN SELECT RAISE(ABORT, 'refused'); END", op, table);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* --- the calls, each making the one write its case refuses -------------- */

static int
do_host_new(struct ctx *c, char *err, size_t errlen)
{
	struct host_info hi;
	int64_t h;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.9";
	return store_host(c->s, c->r2, &hi, &h, err, errlen);
}

static int
do_host_key(struct ctx *c, char *err, size_t errlen)
{
	struct host_info hi;
	int64_t h;

	/* A known host, a new key of it. */
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	hi.mac = MAC1;
	hi.serial = "SN-1";
	return store_host(c->s, c->r2, &hi, &h, err, errlen);
}

static int
do_host_link(struct ctx *c, char *err, size_t errlen)
{
	struct host_info hi;
	int64_t h, run;

	/* A known host, a run it is not in yet. */
	run = begin_run(c->s, "other", T0 + 2 * DAY);
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.2";
	return store_host(c->s, run, &hi, &h, err, errlen);
}

static int
do_host_name(struct ctx *c, char *err, size_t errlen)
{
	return store_host_name(c->s, c->r2, c->h2, "cam-2", err, errlen);
}

static int
do_host_move(struct ctx *c, char *err, size_t errlen)
{
	struct observation o;

	/* Rows of the host to move. */
	obs_of(&o, NULL);
	if (store_observation(c->s, c->r2, c->h2, CHAN_SNMP, &o, NULL, err,
	    errlen) != 0 || store_flush(c->s, err, errlen) != 0)
		fail_msg("%s", err);
	return store_host_move(c->s, c->r2, c->h2, c->h1, err, errlen);
}

static int
do_coverage(struct ctx *c, char *err, size_t errlen)
{
	struct coverage cv;

	memset(&cv, 0, sizeof(cv));
	cv.channel = CHAN_SNMP;
	cv.probe = "system";
	cv.status = COV_TIMEOUT;
	return store_coverage(c->s, c->r2, c->h2, &cv, err, errlen);
}

static int
do_prefix(struct ctx *c, char *err, size_t errlen)
{
	struct observation o;

	obs_of(&o, "1.3.6.1.4.1.9999.1.2.1");
	if (store_observation(c->s, c->r2, c->h2, CHAN_SNMP, &o, NULL, err,
	    errlen) != 0)
		return -1;
	return store_flush(c->s, err, errlen);
}

static int
do_observations(struct ctx *c, char *err, size_t errlen)
{
	struct observation o;

	obs_of(&o, NULL);
	if (store_observation(c->s, c->r2, c->h2, CHAN_SNMP, &o, NULL, err,
	    errlen) != 0)
		fail_msg("store_observation: %s", err);
	return store_flush(c->s, err, errlen);
}

static int
do_finding(struct ctx *c, char *err, size_t errlen)
{
	struct observation o;
	struct finding f;
	char fid[FINDING_ID_LEN];
	int64_t ob;

	obs_of(&o, NULL);
	if (store_observation(c->s, c->r2, c->h2, CHAN_SNMP, &o, &ob, err,
	    errlen) != 0)
		fail_msg("store_observation: %s", err);
	assert_int_equal(finding_id_make("addr:10.0.0.2",
	    "kaspersky-endpoint", fid), 0);
	finding_of(&f, c->r2, c->h2, fid, &ob);
	return store_finding(c->s, &f, err, errlen);
}

static int
do_carry(struct ctx *c, char *err, size_t errlen)
{
	return store_carry_finding(c->s, c->r2, c->f1, "not verified", err,
	    errlen);
}

static int
do_waiver_set(struct ctx *c, char *err, size_t errlen)
{
	struct waiver w;

	memset(&w, 0, sizeof(w));
	w.finding_id = c->fid;
	w.reason = "replacement ordered";
	w.until = "2099-12-31";
	return store_waiver_set(c->s, &w, NULL, err, errlen);
}

static int
do_waiver_remove(struct ctx *c, char *err, size_t errlen)
{
	int removed;

	if (do_waiver_set(c, err, errlen) != 0)
		fail_msg("store_waiver_set: %s", err);
	return store_waiver_remove(c->s, c->fid, &removed, err, errlen);
}

static int
do_run_begin(struct ctx *c, char *err, size_t errlen)
{
	struct run_info ri;

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "refuse";
	ri.started = T0 + 3 * DAY;
	(void)c;
	return store_run_begin(c->s, &ri, err, errlen);
}

static int
do_run_end(struct ctx *c, char *err, size_t errlen)
{
	return store_run_end(c->s, c->r2, RUN_COMPLETE, err, errlen);
}

static int
do_run_oui(struct ctx *c, char *err, size_t errlen)
{
	return store_run_set_oui(c->s, c->r2, "ieee", err, errlen);
}

static const struct {
	const char	*op, *table;
	int		(*call)(struct ctx *, char *, size_t);
	const char	*says;
} cases[] = {
	{ "INSERT", "hosts", do_host_new, "cannot record the host" },
	{ "INSERT", "host_keys", do_host_key, "cannot record a host key" },
	{ "INSERT", "run_hosts", do_host_link,
	  "cannot link the host to the run" },
	{ "UPDATE", "run_hosts", do_host_name, "cannot name the host" },
	{ "UPDATE", "obs_blocks", do_host_move,
	  "cannot move the host's rows" },
	{ "DELETE", "run_hosts", do_host_move,
	  "cannot move the host's rows" },
	{ "INSERT", "coverage", do_coverage, "cannot record coverage" },
	{ "INSERT", "oid_prefixes", do_prefix,
	  "cannot record an OID prefix" },
	{ "INSERT", "obs_blocks", do_observations,
	  "cannot record observations" },
	{ "INSERT", "findings", do_finding, "cannot record a finding" },
	{ "INSERT", "finding_evidence", do_finding,
	  "cannot record the evidence of a" },
	{ "INSERT", "findings", do_carry, "cannot carry a finding" },
	{ "INSERT", "finding_evidence", do_carry,
	  "cannot carry the evidence of a finding" },
	{ "INSERT", "waivers", do_waiver_set, "cannot record the waiver" },
	{ "DELETE", "waivers", do_waiver_remove, "cannot remove the waiver" },
	{ "INSERT", "runs", do_run_begin, "cannot record the run" },
	{ "UPDATE", "runs", do_run_end, "cannot end the run" },
	{ "UPDATE", "runs", do_run_oui, "cannot record the OUI registry" },
};

static int
finding_cb(void *arg, const struct finding_row *r)
{
	/* Run 1's own finding (new), not what run 2 reports of it. */
	if (r->f.run == 1 && strcmp(r->status, "new") == 0)
		(*(size_t *)arg)++;
	return 0;
}

/* A finding row of run 2 itself (stored, or carried into it). */
static int
run2_cb(void *arg, const struct finding_row *r)
{
	if (r->f.run == 2)
		(*(size_t *)arg)++;
	return 0;
}

/*
 * Run 1 as make_base() left it, and run 2 without a finding of its own:
 * a refused finding, evidence or carry left no half behind.
 */
static void
base_intact(int64_t r1, int64_t r2)
{
	struct store *s = open_ok(path, STORE_READ);
	struct run_info ri;
	char err[ERRLEN];
	size_t n;

	assert_int_equal(store_run_get(s, r1, &ri, err, sizeof(err)), 0);
	assert_int_equal(ri.status, RUN_COMPLETE);
	n = 0;
	assert_int_equal(store_each_observation(s, r1, 0, tally_obs, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_each_coverage(s, r1, tally_cov, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_each_finding(s, r1, finding_cb, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(r2, 2);
	assert_int_equal(store_each_finding(s, r2, run2_cb, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 0);
	store_close(s);
}

static void
test_each_write_refused(void **state)
{
	struct ctx c;
	char err[ERRLEN], want[2 * PATH_MAX];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		make_base(&c);
		refuse(cases[i].op, cases[i].table);
		err[0] = '\0';
		rc = cases[i].call(&c, err, sizeof(err));
		if (rc != -1)
			fail_msg("case %zu (%s %s): returned %d", i,
			    cases[i].op, cases[i].table, rc);
		snprintf(want, sizeof(want), "%s: %s", path, cases[i].says);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, ": refused") == NULL)
			fail_msg("case %zu (%s %s): \"%s\"", i, cases[i].op,
			    cases[i].table, err);
		store_close(c.s);
		base_intact(c.r1, c.r2);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_each_write_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
