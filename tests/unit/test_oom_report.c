/*
 * Unit tests for the project's own allocation failures in the import,
 * the matcher's step (analyze) and every report format, on the harness
 * of the test_oom_*.c binaries (oom.h): the Nth allocation of the
 * project's code fails once (libxml2, a shared library, allocates as
 * usual); storing and reporting run again with SQLite's allocator
 * failing instead, and reporting with jansson's.  For each N that a call reaches, each case
 * asserts what a user relies on when memory runs out: the call returns -1
 * with a message, or it copes and gives exactly what it gives without a
 * failure -- never a crash, never a silent loss; a file that fails to
 * load leaves nothing of it in the set, an import that fails leaves its
 * run marked failed, and a report is the same bytes or an error.  A
 * report to a full disk is an error too.  Under SAN=1 LeakSanitizer
 * checks that every failure path frees what it took.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>


#include "analyze.h"
#include "import.h"
#include "log.h"
#include "oom.h"
#include "report.h"
#include "rules.h"
#include "sector.h"
#include "store.h"
#include "util.h"

#define DATA	"tests/data/import/"
#define NETINV	"tests/data/netinv/"
#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define DAY	86400
/* A bound on the allocations of one call, so a loop always ends. */
#define MAX_STEPS	20000

/* Whose allocations a loop fails: ours, SQLite's or jansson's. */
static enum oom_who counted;

static void
arm(long n)
{
	oom_arm(counted, n);
}

static void
disarm(void)
{
	oom_disarm();
}

/*
 * The Nth failure to try after n: every one of the first 200 (where a
 * call's own set-up allocates), then about 300 spread over the rest of
 * total, the allocations a call makes without a failure -- all of ours,
 * a sample of SQLite's, which allocates for every statement.
 */
static long
next_step(long n, long total)
{
	long stride = total / 300;

	if (counted == OOM_OURS || n < 200 || stride < 2)
		return n + 1;
	return n + stride;
}

/* --- helpers ---------------------------------------------------------- */

static char *
slurp(const char *path, size_t *len)
{
	char *buf;
	char err[ERRLEN];

	if (file_read_all(path, 1u << 24, &buf, len, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return buf;
}

static void
check(int rc, const char *what, const char *err)
{
	if (rc != 0)
		fail_msg("%s: %s", what, err);
}

/* A failed call says why. */
static void
expect_message(const char *what, long n, const char *err)
{
	if (err[0] == '\0')
		fail_msg("%s: allocation %ld failed without a message", what,
		    n);
}

/* --- import_load ------------------------------------------------------ */

/*
 * Each format, and a second file after a good one: a failure leaves the
 * set as it was before the file (the first file's hosts intact).
 */
static void
load_faults(const char *path, const char *before)
{
	struct import_set set = IMPORT_SET_INIT;
	char err[ERRLEN], *buf, *pre = NULL;
	size_t len, prelen = 0, want_hosts, want_obs, base_hosts = 0,
	    base_obs = 0, base_files = 0;
	long n;
	int rc;

	buf = slurp(path, &len);
	if (before != NULL)
		pre = slurp(before, &prelen);
	/* Without a failure: what every surviving call must give. */
	if (pre != NULL)
		check(import_load_mem(&set, before, pre, prelen, IMPORT_AUTO,
		    err, sizeof(err)), before, err);
	base_hosts = set.nhosts;
	base_obs = set.nobs;
	base_files = set.nfiles;
	check(import_load_mem(&set, path, buf, len, IMPORT_AUTO, err,
	    sizeof(err)), path, err);
	want_hosts = set.nhosts;
	want_obs = set.nobs;
	import_set_free(&set);
	for (n = 1; n < MAX_STEPS; n++) {
		if (pre != NULL)
			check(import_load_mem(&set, before, pre, prelen,
			    IMPORT_AUTO, err, sizeof(err)), before, err);
		err[0] = '\0';
		arm(n);
		rc = import_load_mem(&set, path, buf, len, IMPORT_AUTO, err,
		    sizeof(err));
		disarm();
		if (rc != 0) {
			assert_int_equal(rc, -1);
			assert_true(oom_fired());
			expect_message(path, n, err);
			/* The file's name leads its message. */
			assert_memory_equal(err, path, strlen(path));
			assert_int_equal(set.nhosts, base_hosts);
			assert_int_equal(set.nobs, base_obs);
			assert_int_equal(set.nfiles, base_files);
		} else {
			assert_int_equal(set.nhosts, want_hosts);
			assert_int_equal(set.nobs, want_obs);
			assert_int_equal(set.nfiles, base_files + 1);
		}
		import_set_free(&set);
		if (!oom_fired())
			break;
	}
	assert_true(n > 1);
	assert_true(n < MAX_STEPS);
	free(buf);
	free(pre);
}

static void
test_load_xml(void **state)
{
	(void)state;
	load_faults(DATA "kes-after.xml", NULL);
	load_faults(DATA "kes-before.xml", DATA "generic.csv");
}

static void
test_load_json(void **state)
{
	(void)state;
	load_faults(DATA "kes-after.json", NULL);
	load_faults(DATA "kesl-nodate.json", DATA "kes-after.xml");
	load_faults(NETINV "glpi/01-telecom-huawei-s6720.json", NULL);
}

static void
test_load_csv(void **state)
{
	(void)state;
	load_faults(DATA "generic.csv", NULL);
	load_faults(DATA "glpi.csv", DATA "kes-after.json");
	load_faults(DATA "intune.csv", NULL);
}

static void
test_load_netinv(void **state)
{
	(void)state;
	load_faults(NETINV "fi/netinventory/01-telecom-huawei-s6720.xml",
	    NULL);
	load_faults(NETINV "fi/netdiscovery/10-localgov-hikvision-cam.xml",
	    DATA "generic.csv");
	load_faults(NETINV "glpi/17-localgov-access-switch.json", NULL);
}

/* --- import_store and analyze ----------------------------------------- */

struct counted {
	size_t	 findings, leads, observations, hosts;
};

static int
count_finding(void *arg, const struct finding_row *r)
{
	struct counted *c = arg;

	if (r->f.lead)
		c->leads++;
	else
		c->findings++;
	return 0;
}

/*
 * The files imported into a fresh store, allocation n failing (0: none).
 * Returns import_store()'s result; *run and *c say what the store holds.
 */
static int
store_once(const char *const *files, size_t nfiles,
    const struct rule_pack *pack, const struct sector_set *sectors, long n,
    struct counted *c, char *err, size_t errlen)
{
	struct import_set set = IMPORT_SET_INIT;
	struct import_defaults d;
	struct import_opts o;
	struct import_result res;
	struct run_info ri;
	struct store *st;
	char msg[ERRLEN];
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	check(store_open(":memory:", STORE_WRITE, &st, msg, sizeof(msg)),
	    "store_open", msg);
	for (i = 0; i < nfiles; i++)
		check(import_load(&set, files[i], IMPORT_AUTO, msg,
		    sizeof(msg)), files[i], msg);
	memset(&d, 0, sizeof(d));
	d.h.sector = "power";
	check(import_apply_defaults(&set, &d, msg, sizeof(msg)), "defaults",
	    msg);
	memset(&o, 0, sizeof(o));
	o.rules = pack;
	o.sectors = sectors;
	o.label = "oom";
	err[0] = '\0';
	arm(n);
	rc = import_store(st, &set, &o, &res, err, errlen);
	disarm();
	import_set_free(&set);
	if (res.run != 0) {
		check(store_run_get(st, res.run, &ri, msg, sizeof(msg)),
		    "store_run_get", msg);
		/* A run that failed says so; one that worked is complete. */
		if (ri.status != (rc == 0 ? RUN_COMPLETE : RUN_FAILED))
			fail_msg("allocation %ld (%s): import_store %d (%s), "
			    "run %s", n, counted == OOM_SQLITE ? "SQLite's" :
			    "ours", rc,
			    err, run_status_name(ri.status));
		if (rc == 0) {
			check(store_each_finding(st, res.run, count_finding,
			    c, msg, sizeof(msg)), "findings", msg);
			c->observations = res.observations;
			c->hosts = res.hosts;
			assert_int_equal(c->findings, res.findings);
			assert_int_equal(c->leads, res.leads);
		}
	}
	store_close(st);
	return rc;
}

static void
store_faults(const char *const *files, size_t nfiles, size_t min_findings)
{
	struct rule_pack *pack;
	struct sector_set sectors;
	struct counted want, got;
	char err[ERRLEN];
	long n, total;
	int rc;

	check(rules_load("rules", &pack, err, sizeof(err)), "rules", err);
	check(sector_set_load("sectors", &sectors, err, sizeof(err)),
	    "sectors", err);
	for (counted = OOM_OURS; counted <= OOM_SQLITE; counted++) {
		/* Counted, none failing: what every survivor must give. */
		check(store_once(files, nfiles, pack, &sectors, LONG_MAX,
		    &want, err, sizeof(err)), "import_store", err);
		total = oom_count();
		assert_true(want.findings >= min_findings);
		for (n = 1; n <= total; n = next_step(n, total)) {
			rc = store_once(files, nfiles, pack, &sectors, n, &got,
			    err, sizeof(err));
			assert_true(oom_fired());
			if (rc != 0) {
				assert_int_equal(rc, -1);
				expect_message("import_store", n, err);
			} else {
				assert_int_equal(got.findings, want.findings);
				assert_int_equal(got.leads, want.leads);
				assert_int_equal(got.observations,
				    want.observations);
				assert_int_equal(got.hosts, want.hosts);
			}
		}
		assert_true(total > 1);
	}
	counted = OOM_OURS;
	sector_set_free(&sectors);
	rules_free(pack);
}

static void
test_store_inventory(void **state)
{
	static const char *const files[] = {
		DATA "kes-after.xml", DATA "kes-before.xml",
		DATA "generic.csv",
	};

	(void)state;
	store_faults(files, NELEM(files), 2);
}

static void
test_store_network(void **state)
{
	static const char *const files[] = {
		NETINV "fi/netdiscovery/01-telecom-huawei-s6720.xml",
		NETINV "fi/netinventory/01-telecom-huawei-s6720.xml",
		NETINV "fi/netinventory/17-localgov-access-switch.xml",
	};

	(void)state;
	store_faults(files, NELEM(files), 1);
}

/* --- reports ---------------------------------------------------------- */

/*
 * Two scopes, so that run 0 is the estate: "agency" (site North) with a
 * finding of each rating, a lead, a ban elsewhere, a waiver, a host not
 * assessed and one seen only in a neighbour table, then a second run that
 * resolves some and carries one; "plant" (site South) with one finding.
 */
struct world {
	struct store	*s;
	int64_t		 run1, run2, run3;
};

static int64_t
host(struct store *s, int64_t run, const char *addr, const char *name,
    const char *sector, const char *site, int discovered)
{
	struct host_info hi;
	char err[ERRLEN];
	int64_t id;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.name = name;
	hi.h.sector = sector;
	hi.h.site = site;
	hi.h.owner = "IT";
	hi.h.criticality = 3;
	hi.discovered = discovered;
	check(store_host(s, run, &hi, &id, err, sizeof(err)), "host", err);
	return id;
}

static void
cov(struct store *s, int64_t run, int64_t h, enum channel ch,
    enum cov_status st)
{
	struct coverage c;
	char err[ERRLEN];

	memset(&c, 0, sizeof(c));
	c.channel = ch;
	c.probe = "";
	c.status = st;
	c.detail = "detail <&>";
	check(store_coverage(s, run, h, &c, err, sizeof(err)), "coverage",
	    err);
}

static void
finding(struct store *s, int64_t run, int64_t h, const char *rule,
    const char *rating, const char *due, int lead)
{
	struct finding f;
	char err[ERRLEN], fid[FINDING_ID_LEN];

	finding_id_make("x", rule, fid);
	memset(&f, 0, sizeof(f));
	f.run = run;
	f.host = h;
	f.finding_id = fid;
	f.rule_id = rule;
	f.vendor = "Huawei";
	f.product = rule;
	f.asset = "asset";
	f.address = "10.0.0.1";
	f.channel = "snmp";
	f.evidence = "=cmd|' /C calc'!A0";
	f.confidence = "high";
	f.lead = lead;
	if (lead == FINDING_ELSEWHERE) {
		f.note = "not a finding in US-MD; banned elsewhere by X (US-TX)";
	} else if (lead) {
		f.note = "not prohibited: check for leftovers";
	} else {
		f.regulation = "FCC Covered List";
		f.citation = "47 CFR 1.50002";
		f.effective_date = "2021-03-12";
		f.severity = rating;
		f.likelihood = 3;
		f.impact = 3;
		f.risk_score = 9;
		f.risk_rating = rating;
		f.recommended_action = "replace";
		f.due_date = due;
	}
	check(store_finding(s, &f, err, sizeof(err)), "finding", err);
}

static int64_t
run(struct store *s, int64_t started, const char *scope, const char *site)
{
	struct run_info ri;
	char err[ERRLEN];

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = scope;
	ri.site = site;
	ri.label = "label \"q\"";
	ri.started = started;
	check(store_run_begin(s, &ri, err, sizeof(err)), "run", err);
	return ri.id;
}

static void
end(struct store *s, int64_t r)
{
	char err[ERRLEN];

	check(store_run_end(s, r, RUN_COMPLETE, err, sizeof(err)), "end",
	    err);
}

static int
setup_world(void **state)
{
	struct world *w;
	struct waiver wv;
	char err[ERRLEN], fid[FINDING_ID_LEN];
	int64_t a, b, c, d, p;

	w = calloc(1, sizeof(*w));
	if (w == NULL || store_open(":memory:", STORE_WRITE, &w->s, err,
	    sizeof(err)) != 0) {
		free(w);
		return -1;
	}
	w->run1 = run(w->s, T0, "agency", "North");
	a = host(w->s, w->run1, "10.0.0.1", "rtr-a", "telecom", "North", 0);
	b = host(w->s, w->run1, "10.0.0.2", "rtu-b", "power", "North", 0);
	c = host(w->s, w->run1, "10.0.0.3", "rtu-c", "power", "East", 0);
	d = host(w->s, w->run1, "10.0.0.4", NULL, NULL, NULL, 1);
	cov(w->s, w->run1, a, CHAN_SNMP, COV_OK);
	cov(w->s, w->run1, b, CHAN_SNMP, COV_OK);
	cov(w->s, w->run1, b, CHAN_AGENT, COV_TIMEOUT);
	cov(w->s, w->run1, c, CHAN_SNMP, COV_TIMEOUT);
	finding(w->s, w->run1, a, "R-0", "critical", "2025-12-01", 0);
	finding(w->s, w->run1, a, "R-1", "high", "2026-01-11", 0);
	finding(w->s, w->run1, a, "R-2", "medium", "2026-03-01", 0);
	finding(w->s, w->run1, a, "LEAD", NULL, NULL, 1);
	finding(w->s, w->run1, a, "R-7", NULL, NULL, FINDING_ELSEWHERE);
	finding(w->s, w->run1, b, "R-3", "low", "2026-06-30", 0);
	finding(w->s, w->run1, d, "R-4", "odd", NULL, 0);
	end(w->s, w->run1);
	finding_id_make("x", "R-2", fid);
	memset(&wv, 0, sizeof(wv));
	wv.finding_id = fid;
	wv.reason = "accepted <b>";
	wv.until = "2099-12-31";
	check(store_waiver_set(w->s, &wv, NULL, err, sizeof(err)), "waiver",
	    err);
	w->run2 = run(w->s, T0 + 2 * DAY, "agency", "North");
	host(w->s, w->run2, "10.0.0.1", "rtr-a", "telecom", "North", 0);
	cov(w->s, w->run2, a, CHAN_SNMP, COV_OK);
	finding(w->s, w->run2, a, "R-0", "critical", "2025-12-01", 0);
	finding(w->s, w->run2, a, "R-5", "high", "2026-12-01", 0);
	end(w->s, w->run2);
	w->run3 = run(w->s, T0 + 3 * DAY, "plant", "South");
	p = host(w->s, w->run3, "10.1.0.1", "inv-p", "power", "Plant 3", 0);
	cov(w->s, w->run3, p, CHAN_SNMP, COV_OK);
	finding(w->s, w->run3, p, "R-6", "critical", "2026-12-01", 0);
	end(w->s, w->run3);
	*state = w;
	return 0;
}

static int
teardown_world(void **state)
{
	struct world *w = *state;

	store_close(w->s);
	free(w);
	return 0;
}

/* The report's bytes, allocation n failing (0: none); NULL on -1. */
static char *
write_once(struct store *s, const struct report_opts *o, int runs, long n,
    size_t *len, char *err, size_t errlen)
{
	FILE *fp;
	char *out = NULL;
	long sz;
	int rc;

	fp = tmpfile();
	assert_non_null(fp);
	err[0] = '\0';
	arm(n);
	rc = runs ? report_runs(s, o->format == REPORT_JSON, fp, err,
	    errlen) : report_write(s, o, fp, err, errlen);
	disarm();
	if (rc == 0) {
		assert_int_equal(fflush(fp), 0);
		sz = ftell(fp);
		assert_true(sz > 0);
		rewind(fp);
		out = malloc((size_t)sz);
		assert_non_null(out);
		assert_int_equal(fread(out, 1, (size_t)sz, fp), (size_t)sz);
		*len = (size_t)sz;
	} else
		assert_int_equal(rc, -1);
	fclose(fp);
	return out;
}

static void
report_faults(struct store *s, enum report_format fmt, int64_t run_id,
    const char *sector, size_t html_max, int runs)
{
	struct report_opts o;
	char err[ERRLEN], *want, *got;
	size_t wantlen, gotlen;
	long n, total;

	memset(&o, 0, sizeof(o));
	o.format = fmt;
	o.run = run_id;
	o.sector = sector;
	o.html_max_hosts = html_max;
	for (counted = OOM_OURS; counted <= OOM_JANSSON; counted++) {
		want = write_once(s, &o, runs, LONG_MAX, &wantlen, err,
		    sizeof(err));
		if (want == NULL)
			fail_msg("format %d run %lld: %s", (int)fmt,
			    (long long)run_id, err);
		total = oom_count();
		for (n = 1; n <= total; n = next_step(n, total)) {
			got = write_once(s, &o, runs, n, &gotlen, err,
			    sizeof(err));
			assert_true(oom_fired());
			if (got == NULL) {
				expect_message("report", n, err);
				continue;
			}
			/* Coped: then the very same bytes. */
			if (gotlen != wantlen || memcmp(got, want, gotlen) != 0)
				fail_msg("format %d run %lld: allocation %ld "
				    "(%s) failed and the report changed",
				    (int)fmt, (long long)run_id, n,
				    counted == OOM_SQLITE ? "SQLite's" :
				    counted == OOM_JANSSON ? "jansson's" : "ours");
			free(got);
		}
		free(want);
	}
	counted = OOM_OURS;
}

static void
test_report_csv(void **state)
{
	struct world *w = *state;

	report_faults(w->s, REPORT_CSV, w->run2, NULL, 0, 0);
	report_faults(w->s, REPORT_INVENTORY_CSV, w->run1, NULL, 0, 0);
	report_faults(w->s, REPORT_COVERAGE_CSV, w->run1, NULL, 0, 0);
	report_faults(w->s, REPORT_LEADS_CSV, w->run1, NULL, 0, 0);
	/* The estate: two scopes. */
	report_faults(w->s, REPORT_CSV, 0, NULL, 0, 0);
	report_faults(w->s, REPORT_LEADS_CSV, 0, NULL, 0, 0);
}

static void
test_report_json(void **state)
{
	struct world *w = *state;

	report_faults(w->s, REPORT_JSON, w->run1, NULL, 0, 0);
	report_faults(w->s, REPORT_JSON, w->run2, "telecom", 0, 0);
	report_faults(w->s, REPORT_JSONL, w->run1, NULL, 0, 0);
	report_faults(w->s, REPORT_JSON, 0, NULL, 0, 0);
	report_faults(w->s, REPORT_JSONL, 0, NULL, 0, 0);
}

static void
test_report_html(void **state)
{
	struct world *w = *state;

	report_faults(w->s, REPORT_HTML, w->run1, NULL, 0, 0);
	report_faults(w->s, REPORT_HTML, w->run2, NULL, 0, 0);
	/* The summary of a large run: counts per sector and site. */
	report_faults(w->s, REPORT_HTML, w->run1, NULL, 1, 0);
	/* The estate, whole and as the summary. */
	report_faults(w->s, REPORT_HTML, 0, NULL, 0, 0);
	report_faults(w->s, REPORT_HTML, 0, NULL, 1, 0);
}

static void
test_report_runs(void **state)
{
	struct world *w = *state;

	report_faults(w->s, REPORT_CSV, 0, NULL, 0, 1);
	report_faults(w->s, REPORT_JSON, 0, NULL, 0, 1);
}

/*
 * A full disk is an error naming the cause, never a short report: every
 * format, of one run and of the estate, and the list of runs.
 */
static void
test_report_disk_full(void **state)
{
	struct world *w = *state;
	struct report_opts o;
	char err[ERRLEN];
	FILE *fp;
	int f, e;

	fp = fopen("/dev/full", "w");
	if (fp == NULL) {
		print_message("SKIP: no /dev/full: a full disk cannot be "
		    "simulated\n");
		skip();
	}
	for (f = 0; f < REPORT__COUNT; f++) {
		for (e = 0; e < 2; e++) {
			memset(&o, 0, sizeof(o));
			o.format = (enum report_format)f;
			o.run = e ? 0 : w->run1;
			err[0] = '\0';
			if (report_write(w->s, &o, fp, err, sizeof(err)) != -1)
				fail_msg("format %d %s: written to /dev/full",
				    f, e ? "estate" : "run");
			if (strstr(err, "No space left on device") == NULL)
				fail_msg("format %d %s: %s", f, e ? "estate" :
				    "run", err);
			clearerr(fp);
		}
	}
	for (e = 0; e < 2; e++) {
		assert_int_equal(report_runs(w->s, e, fp, err, sizeof(err)),
		    -1);
		assert_string_equal(err, "cannot write the list: No space "
		    "left on device");
		clearerr(fp);
	}
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_xml),
		cmocka_unit_test(test_load_json),
		cmocka_unit_test(test_load_csv),
		cmocka_unit_test(test_load_netinv),
		cmocka_unit_test(test_store_inventory),
		cmocka_unit_test(test_store_network),
		cmocka_unit_test_setup_teardown(test_report_csv, setup_world,
		    teardown_world),
		cmocka_unit_test_setup_teardown(test_report_json, setup_world,
		    teardown_world),
		cmocka_unit_test_setup_teardown(test_report_html, setup_world,
		    teardown_world),
		cmocka_unit_test_setup_teardown(test_report_runs, setup_world,
		    teardown_world),
		cmocka_unit_test_setup_teardown(test_report_disk_full,
		    setup_world, teardown_world),
	};

	log_init(LOG_QUIET);
	oom_hook_jansson();
	if (oom_hook_sqlite() != 0) {
		fprintf(stderr, "test_oom_report: cannot hook SQLite's "
		    "allocator\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
