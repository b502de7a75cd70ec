/*
 * The store against what it must refuse: a database file whose rows were
 * changed behind its back (a site file edited by hand, a damaged copy)
 * and callers that pass what the API does not allow.  Each read of a row
 * the store cannot understand fails with -1 and a message that names the
 * file, the row and the value; each refused call says why and stores
 * nothing.  Only tables whose layout no schema change is planned for are
 * edited (runs, coverage).
 */
#include <sys/stat.h>

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

static char dir[64];
static char path[128];

static int
setup(void **state)
{
	(void)state;
	if (scratch_dir(dir, sizeof(dir), "/tmp/test_store_hostile") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/h.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

/*
 * Two complete runs of one scope on a fresh file: host 10.0.0.1 assessed
 * (SNMP ok) in the first, timed out in the second.
 */
static void
make_db(void)
{
	struct store *s;
	struct host_info hi;
	struct coverage c;
	char err[ERRLEN];
	int64_t r, h;
	int i;

	unlink(path);
	s = open_ok(path, STORE_WRITE);
	for (i = 0; i < 2; i++) {
		r = begin_run(s, "hostile", T0 + i * DAY);
		memset(&hi, 0, sizeof(hi));
		hi.h.address = "10.0.0.1";
		if (store_host(s, r, &hi, &h, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		memset(&c, 0, sizeof(c));
		c.channel = CHAN_SNMP;
		c.probe = "";
		c.status = i == 0 ? COV_OK : COV_TIMEOUT;
		c.detail = "d";
		if (store_coverage(s, r, h, &c, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		end_run(s, r, RUN_COMPLETE);
	}
	store_close(s);
}

/* The call failed, and its message holds each of the strings given. */
static void
says(int rc, const char *err, ...)
{
	const char *want;
	va_list ap;

	if (rc != -1)
		fail_msg("returned %d, not -1 (message '%s')", rc, err);
	va_start(ap, err);
	while ((want = va_arg(ap, const char *)) != NULL)
		if (strstr(err, want) == NULL)
			fail_msg("'%s' lacks '%s'", err, want);
	va_end(ap);
}

/* A run whose status no banaudit writes: every reader of it says so. */
static void
test_unknown_run_status(void **state)
{
	struct store *s;
	struct run_info ri;
	char err[ERRLEN];
	size_t n = 0;

	(void)state;
	make_db();
	raw_sql(path, "PRAGMA ignore_check_constraints = ON; "
	    "UPDATE runs SET status = 'paused' WHERE id = 1");
	s = open_ok(path, STORE_READ);
	says(store_run_get(s, 1, &ri, err, sizeof(err)), err, path,
	    "run 1 has an unknown status \"paused\"", NULL);
	says(store_run_lookup(s, 1, &ri, err, sizeof(err)), err,
	    "run 1 has an unknown status \"paused\"", NULL);
	says(store_each_run(s, tally_runs, &n, err, sizeof(err)), err,
	    "run 1 has an unknown status \"paused\"", NULL);
	assert_int_equal(n, 0);
	/* The other run still reads. */
	assert_int_equal(store_run_get(s, 2, &ri, err, sizeof(err)), 0);
	assert_int_equal(ri.status, RUN_COMPLETE);
	store_close(s);
}

/* Coverage rows with a status or channel no banaudit writes. */
static void
test_unknown_coverage(void **state)
{
	struct store *s;
	enum cov_status st;
	char err[ERRLEN], detail[32];
	size_t n = 0;
	int found;

	(void)state;
	make_db();
	raw_sql(path, "UPDATE coverage SET status = 'sleepy' WHERE run_id = 2");
	s = open_ok(path, STORE_READ);
	says(store_each_coverage(s, 2, tally_cov, &n, err, sizeof(err)), err,
	    path, "unknown coverage status \"sleepy\"", NULL);
	assert_int_equal(n, 0);
	says(store_coverage_get(s, 2, "addr:10.0.0.1", "snmp", "", &found, &st,
	    detail, sizeof(detail), err, sizeof(err)), err, path,
	    "unknown coverage status 'sleepy'", NULL);
	/* Run 1's rows are fine. */
	assert_int_equal(store_each_coverage(s, 1, tally_cov, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	store_close(s);

	make_db();
	raw_sql(path, "UPDATE coverage SET channel = 'pigeon' WHERE run_id = 1");
	s = open_ok(path, STORE_READ);
	n = 0;
	says(store_each_coverage(s, 1, tally_cov, &n, err, sizeof(err)), err,
	    path, "unknown channel \"pigeon\"", NULL);
	assert_int_equal(n, 0);
	store_close(s);
}

/* Calls the API does not allow: refused, saying why, nothing stored. */
static void
test_refused_calls(void **state)
{
	struct store *s;
	struct run_info ri;
	struct host_info hi;
	struct observation o;
	struct coverage c;
	struct finding f;
	struct waiver w;
	char err[ERRLEN], longaddr[300];
	int64_t r, h, id, first;
	int64_t ev = 1;
	size_t n = 0;
	int known, removed;

	(void)state;
	make_db();
	s = open_ok(path, STORE_WRITE);
	memset(&ri, 0, sizeof(ri));
	says(store_run_begin(s, &ri, err, sizeof(err)), err,
	    "a run needs a kind", NULL);
	r = begin_run(s, "hostile", T0 + 2 * DAY);

	memset(&hi, 0, sizeof(hi));
	memset(longaddr, 'a', sizeof(longaddr) - 1);
	longaddr[sizeof(longaddr) - 1] = '\0';
	hi.h.address = longaddr;
	says(store_host(s, r, &hi, &h, err, sizeof(err)), err,
	    "host address is longer than", NULL);
	assert_int_equal(h, 0);
	hi.h.address = "10.0.0.9";
	assert_int_equal(store_host(s, r, &hi, &h, err, sizeof(err)), 0);

	memset(&o, 0, sizeof(o));
	o.kind = (enum obs_kind)99;
	o.attr = "name";
	o.vtype = VAL_TEXT;
	says(store_observation(s, r, h, CHAN_SNMP, &o, &id, err,
	    sizeof(err)), err, "unknown channel, kind or value type", NULL);
	assert_int_equal(id, 0);
	o.kind = OBS_SOFTWARE;
	says(store_observation(s, r, h, (enum channel)42, &o, &id, err,
	    sizeof(err)), err, "unknown channel, kind or value type", NULL);
	o.attr = "colour";
	says(store_observation(s, r, h, CHAN_SNMP, &o, &id, err,
	    sizeof(err)), err, "\"colour\" is not an attribute of software",
	    NULL);
	/* A run or a host that does not exist (issue 16). */
	o.attr = "name";
	says(store_observation(s, 99, h, CHAN_SNMP, &o, &id, err,
	    sizeof(err)), err, path, "cannot record an observation: it "
	    "refers to a run, host, finding or observation that does not "
	    "exist", NULL);
	says(store_observation(s, r, 999, CHAN_SNMP, &o, &id, err,
	    sizeof(err)), err, path, "cannot record an observation: it "
	    "refers to a run, host, finding or observation that does not "
	    "exist", NULL);
	assert_int_equal(id, 0);

	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = "";
	c.status = (enum cov_status)77;
	says(store_coverage(s, r, h, &c, err, sizeof(err)), err,
	    "coverage with an unknown channel or status", NULL);

	memset(&f, 0, sizeof(f));
	f.run = r;
	f.host = h;
	f.rule_id = "kes";
	says(store_finding(s, &f, err, sizeof(err)), err,
	    "a finding needs a finding id and a rule id", NULL);
	f.finding_id = "BA-0000000000000001";
	f.nevidence = 1;
	says(store_finding(s, &f, err, sizeof(err)), err,
	    "evidence ids missing", NULL);
	f.evidence_ids = &ev;
	f.rule_id = NULL;
	says(store_finding(s, &f, err, sizeof(err)), err,
	    "a finding needs a finding id and a rule id", NULL);

	says(store_finding_first_seen(s, r, NULL, &first, err, sizeof(err)),
	    err, "no finding id", NULL);
	memset(&w, 0, sizeof(w));
	w.reason = "r";
	w.until = "2099-01-01";
	says(store_waiver_set(s, &w, NULL, err, sizeof(err)), err,
	    "a waiver needs a finding id, a reason and a date", NULL);
	assert_int_equal(store_waiver_remove(s, NULL, &removed, err,
	    sizeof(err)), 0);
	assert_int_equal(removed, 0);
	says(store_finding_known(s, NULL, &known, err, sizeof(err)), err,
	    "no finding id", NULL);
	end_run(s, r, RUN_COMPLETE);
	says(store_run_end(s, 99, RUN_COMPLETE, err, sizeof(err)), err,
	    "99", NULL);
	store_close(s);

	/* Nothing of it was stored. */
	s = open_ok(path, STORE_READ);
	assert_int_equal(store_finding_known(s, "BA-0000000000000001", &known,
	    err, sizeof(err)), 0);
	assert_int_equal(known, 0);
	assert_int_equal(store_each_coverage(s, r, tally_cov, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 0);
	/* And a reader refuses every write. */
	says(store_run_begin(s, &ri, err, sizeof(err)), err,
	    "opened read-only", NULL);
	store_close(s);
	assert_string_equal(run_status_name((enum run_status)9), "?");
}

/*
 * A scan's rows with SQLite's checks of the foreign keys off
 * (store_bulk(), as scan_run() sets it): the store refuses a run or a
 * host that does not exist itself, as the keys did, at the call --
 * coverage held back for a group (store_defer()) or not, a host, a
 * host's rows moved, a finding, a finding carried -- and stores nothing
 * of them; the run's own rows still go in.
 */
static void
test_keys_checked_in_bulk(void **state)
{
	static const char gone[] = "it refers to a run, host, finding or "
	    "observation that does not exist";
	struct store *s;
	struct host_info hi;
	struct coverage c;
	struct finding f;
	char err[ERRLEN];
	int64_t r, h, x;
	size_t n;
	int held, known;

	(void)state;
	for (held = 0; held < 2; held++) {
		unlink(path);
		s = open_ok(path, STORE_WRITE);
		assert_int_equal(store_bulk(s, 1, err, sizeof(err)), 0);
		r = begin_run(s, "bulk", T0);
		memset(&hi, 0, sizeof(hi));
		hi.h.address = "10.0.0.9";
		assert_int_equal(store_host(s, r, &hi, &h, err, sizeof(err)),
		    0);
		store_defer(s, held);
		memset(&c, 0, sizeof(c));
		c.channel = CHAN_SNMP;
		c.probe = "system";
		c.status = COV_OK;
		says(store_coverage(s, r + 1, h, &c, err, sizeof(err)), err,
		    path, "cannot record coverage", gone, NULL);
		says(store_coverage(s, r, h + 1, &c, err, sizeof(err)), err,
		    path, "cannot record coverage", gone, NULL);
		hi.h.address = "10.0.0.10";
		says(store_host(s, r + 1, &hi, &x, err, sizeof(err)), err,
		    path, "cannot record the host", gone, NULL);
		says(store_host_move(s, r, h, h + 1, err, sizeof(err)), err,
		    path, "cannot record the host", gone, NULL);
		memset(&f, 0, sizeof(f));
		f.run = r;
		f.host = h + 1;
		f.finding_id = "BA-0000000000000001";
		f.rule_id = "kes";
		says(store_finding(s, &f, err, sizeof(err)), err, path,
		    "cannot record a finding", gone, NULL);
		f.run = r + 1;
		f.host = h;
		says(store_finding(s, &f, err, sizeof(err)), err, path,
		    "cannot record a finding", gone, NULL);
		says(store_carry_finding(s, r + 1, 1, "carried", err,
		    sizeof(err)), err, path, "cannot record a finding", gone,
		    NULL);
		/* The run's own row. */
		assert_int_equal(store_coverage(s, r, h, &c, err,
		    sizeof(err)), 0);
		store_defer(s, 0);
		assert_int_equal(store_bulk(s, 0, err, sizeof(err)), 0);
		end_run(s, r, RUN_COMPLETE);
		store_close(s);

		s = open_ok(path, STORE_READ);
		n = 0;
		assert_int_equal(store_each_coverage(s, r, tally_cov, &n, err,
		    sizeof(err)), 0);
		assert_int_equal(n, 1);
		n = 0;
		assert_int_equal(store_each_host(s, r, tally_hosts, &n, err,
		    sizeof(err)), 0);
		assert_int_equal(n, 1);
		assert_int_equal(store_finding_known(s, "BA-0000000000000001",
		    &known, err, sizeof(err)), 0);
		assert_int_equal(known, 0);
		store_close(s);
		sql_text(path, "SELECT count(*) FROM coverage", "1");
		sql_text(path, "SELECT count(*) FROM hosts", "1");
		sql_text(path, "SELECT count(*) FROM run_hosts", "1");
		sql_text(path, "SELECT count(*) FROM findings", "0");
	}
}

/*
 * Issue 16: rows of a packed block (obs_blocks.rows) edited behind the
 * store's back, each with a name or code no banaudit writes, a source
 * prefix that is not there, or a short row that names no whole row.  Both readers (a run's rows from the blocks,
 * a host's from the view) fail with the file, the row id and the value,
 * and give no row of the bad block; an intact block of another host still
 * reads.
 */
static void
test_hostile_blocks(void **state)
{
	static const struct {
		const char	*rows;
		const char	*says;		/* by the run reader */
		const char	*host_says;	/* by the host reader */
		/* (%lld: the row's id) */
	} bad[] = {
		/* [d, channel, kind, item, attr, source, vtype, off, len, seen] */
		{ "[[0,99,\"software\",\"1\",\"name\",null,4,0,3,0]]",
		  "row %lld has an unknown channel \"99\"",
		  "row %lld has an unknown channel \"99\"" },
		{ "[[0,\"pigeon\",\"software\",\"1\",\"name\",null,4,0,3,0]]",
		  "row %lld has an unknown channel \"pigeon\"",
		  "row %lld has an unknown channel \"pigeon\"" },
		{ "[[0,0,\"gizmo\",\"1\",\"name\",null,4,0,3,0]]",
		  "row %lld has an unknown kind \"gizmo\"",
		  "row %lld has an unknown kind \"gizmo\"" },
		{ "[[0,0,\"software\",\"1\",\"name\",null,42,0,3,0]]",
		  "row %lld has an unknown value type \"42\"",
		  "row %lld has an unknown value type \"42\"" },
		{ "[[0,0,\"software\",\"1\",\"name\",null,\"rune\",0,3,0]]",
		  "row %lld has an unknown value type \"rune\"",
		  "row %lld has an unknown value type \"rune\"" },
		{ "[[0,0,\"software\",\"1\",\"name\",77,4,0,3,0]]",
		  "an observation names OID prefix 77, which is missing",
		  NULL },
		/*
		 * Schema 7: a short row that names itself, no whole row
		 * before it.  The view reads its own values as the whole
		 * row's, and the host reader refuses them.
		 */
		{ "[[0,\"1\",0,3,0]]",
		  "a short row whose whole row is not before it",
		  "row %lld has an unknown channel \"1\"" },
	};
	struct store *s;
	struct host_info hi;
	struct observation o;
	char err[ERRLEN], sql[512], want[128];
	int64_t r, h1, h2, id;
	size_t i, n;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		make_db();
		s = open_ok(path, STORE_WRITE);
		r = begin_run(s, "hostile", T0 + 3 * DAY);
		memset(&hi, 0, sizeof(hi));
		hi.h.address = "10.0.0.1";
		assert_int_equal(store_host(s, r, &hi, &h1, err, sizeof(err)),
		    0);
		hi.h.address = "10.0.0.2";
		assert_int_equal(store_host(s, r, &hi, &h2, err, sizeof(err)),
		    0);
		memset(&o, 0, sizeof(o));
		o.kind = OBS_SOFTWARE;
		o.item = "1";
		o.attr = "name";
		o.vtype = VAL_TEXT;
		o.value = "abc";
		o.len = 3;
		assert_int_equal(store_observation(s, r, h2, CHAN_SNMP, &o,
		    &id, err, sizeof(err)), 0);
		assert_int_equal(store_flush(s, err, sizeof(err)), 0);
		assert_int_equal(store_observation(s, r, h1, CHAN_SNMP, &o,
		    &id, err, sizeof(err)), 0);
		end_run(s, r, RUN_COMPLETE);
		store_close(s);
		snprintf(sql, sizeof(sql), "UPDATE obs_blocks SET rows = '%s' "
		    "WHERE host_id = %lld", bad[i].rows, (long long)h1);
		raw_sql(path, sql);

		s = open_ok(path, STORE_READ);
		n = 0;
		snprintf(want, sizeof(want), bad[i].says, (long long)id);
		says(store_each_observation(s, r, 0, tally_obs, &n, err,
		    sizeof(err)), err, path, want, NULL);
		/* Host 10.0.0.2's block came first, whole. */
		assert_int_equal(n, h2 < h1 ? 1 : 0);
		n = 0;
		if (bad[i].host_says != NULL) {
			snprintf(want, sizeof(want), bad[i].host_says,
			    (long long)id);
			says(store_each_observation(s, r, h1, tally_obs, &n, err,
			    sizeof(err)), err, path, want, NULL);
			assert_int_equal(n, 0);
		}
		n = 0;
		assert_int_equal(store_each_observation(s, r, h2, tally_obs, &n,
		    err, sizeof(err)), 0);
		assert_int_equal(n, 1);
		store_close(s);
	}
}

/*
 * Paths: a reader of a relative path whose name a "file:" URI must
 * escape; no path; a file too short to be SQLite's; a FIFO (refused at
 * once, never waited on).
 */
static void
test_odd_paths(void **state)
{
	static const char name[] = "odd %?#& n\xc3\xa4me.db";
	struct store *s = NULL;
	struct run_info ri;
	char err[ERRLEN], cwd[512], p[160];
	int64_t r;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	s = open_ok(name, STORE_WRITE);
	r = begin_run(s, "odd", T0);
	end_run(s, r, RUN_COMPLETE);
	store_close(s);
	s = open_ok(name, STORE_READ);
	assert_int_equal(store_run_get(s, r, &ri, err, sizeof(err)), 0);
	assert_string_equal(ri.scope, "odd");
	store_close(s);
	assert_int_equal(chdir(cwd), 0);

	says(store_open("", STORE_READ, &s, err, sizeof(err)), err,
	    "no database path given", NULL);
	assert_null(s);
	says(store_open(NULL, STORE_WRITE, &s, err, sizeof(err)), err,
	    "no database path given", NULL);

	snprintf(p, sizeof(p), "%s/short.db", dir);
	{
		FILE *fp = fopen(p, "w");

		assert_non_null(fp);
		fputs("SQLite format 3", fp);
		fclose(fp);
	}
	says(store_open(p, STORE_READ, &s, err, sizeof(err)), err, p,
	    "not a banaudit database (not an SQLite file)", NULL);
	says(store_open(p, STORE_WRITE, &s, err, sizeof(err)), err, p,
	    "not a banaudit database (not an SQLite file)", NULL);

	snprintf(p, sizeof(p), "%s/fifo.db", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	says(store_open(p, STORE_READ, &s, err, sizeof(err)), err, p,
	    "is not a regular file", NULL);
	says(store_open(p, STORE_WRITE, &s, err, sizeof(err)), err, p,
	    "is not a regular file", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown_run_status, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_coverage, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused_calls, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_odd_paths, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostile_blocks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keys_checked_in_bulk,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
