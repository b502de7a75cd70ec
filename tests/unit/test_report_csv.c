/*
 * Unit tests for the CSV reports: exact headers, row order, history
 * columns, value rendering, sector filter, run selection, and hostile
 * values from the network (quoted and neutralised, read back with libcsv).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csvparse.h"
#include "report.h"
#include "store.h"
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define DAY	86400

/* Values as a hostile device could send them. */
#define EVIL_NAME	"=cmd|' /C calc'!A0"
#define EVIL_SITE	"HQ, \"North\" wing"
#define EVIL_OWNER	"NOC\r\nteam"
#define EVIL_DESCR	"Huawei VRP, \"quoted\"\nline2"
#define EVIL_SW		"@SUM(1+1)*cmd|' /C calc'!A0"
#define EVIL_EVIDENCE	"=HYPERLINK(\"http://evil.example/\",\"x\")"
#define EVIL_DETAIL	"+detail, with comma"
#define EVIL_TAB	"\t=1+1"
#define EVIL_CR		"\r=1+1"

struct world {
	struct store	*s;
	int64_t		 run1, run2;
	int64_t		 a, b;
	char		 fid[4][FINDING_ID_LEN];	/* R-A..R-D on a/b */
};

static void
check(int rc, const char *what, const char *err)
{
	if (rc != 0)
		fail_msg("%s: %s", what, err);
}

static int64_t
host(struct world *w, int64_t run, const char *addr, const char *name,
    const char *sector, const char *site, const char *owner)
{
	struct host_info hi;
	char err[ERRLEN];
	int64_t id;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.name = name;
	hi.h.sector = sector;
	hi.h.site = site;
	hi.h.owner = owner;
	hi.h.criticality = 3;
	check(store_host(w->s, run, &hi, &id, err, sizeof(err)), "host", err);
	return id;
}

static int64_t
obs(struct world *w, int64_t run, int64_t h, enum channel ch,
    enum obs_kind k, const char *item, const char *attr,
    enum value_type vt, const void *v, size_t n)
{
	struct observation o;
	char err[ERRLEN];
	int64_t id;

	memset(&o, 0, sizeof(o));
	o.kind = k;
	o.item = item;
	o.attr = attr;
	o.source = "src";
	o.vtype = vt;
	o.value = v;
	o.len = n;
	check(store_observation(w->s, run, h, ch, &o, &id, err, sizeof(err)),
	    "observation", err);
	return id;
}

static void
cov(struct world *w, int64_t run, int64_t h, enum channel ch,
    const char *probe, enum cov_status st, const char *detail,
    const char *profile, int64_t ms)
{
	struct coverage c;
	char err[ERRLEN];

	memset(&c, 0, sizeof(c));
	c.channel = ch;
	c.probe = probe;
	c.status = st;
	c.detail = detail;
	c.profile = profile;
	c.elapsed_ms = ms;
	check(store_coverage(w->s, run, h, &c, err, sizeof(err)), "coverage",
	    err);
}

static void
finding(struct world *w, int64_t run, int64_t h, const char *fid,
    const char *rule, const char *severity, int l, int i,
    const char *evidence)
{
	struct finding f;
	char err[ERRLEN];

	memset(&f, 0, sizeof(f));
	f.run = run;
	f.host = h;
	f.finding_id = fid;
	f.rule_id = rule;
	f.vendor = "Huawei";
	f.product = "VRP";
	f.asset = "core-rtr";
	f.address = "10.0.0.1";
	f.channel = "snmp;agent";
	f.evidence = evidence;
	f.confidence = "high";
	f.regulation = "FCC Covered List";
	f.citation = "47 CFR 1.50002";
	f.effective_date = "2021-03-12";
	f.severity = severity;
	f.likelihood = l;
	f.impact = i;
	f.risk_score = l * i;
	f.risk_rating = "high";
	f.recommended_action = "-replace now";
	f.due_date = "2026-06-30";
	check(store_finding(w->s, &f, err, sizeof(err)), "finding", err);
}

static int64_t
run(struct world *w, int64_t started)
{
	struct run_info ri;
	char err[ERRLEN];

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "agency";
	ri.started = started;
	check(store_run_begin(w->s, &ri, err, sizeof(err)), "run", err);
	return ri.id;
}

/*
 * run1: host a (telecom) with R-A high, R-C low, R-D medium; host b
 * (power) with R-B critical.  run2: a with R-A and R-D; b gone (not
 * assessed: R-B persists, unverified), R-C resolved.
 */
static int
setup(void **state)
{
	static const unsigned char mac[] = { 0x00, 0xe0, 0xfc, 0x12, 0x34,
	    0x56 };
	static const unsigned char bin[] = { 0x01, 0x02, 0xfe };
	struct world *w;
	char err[ERRLEN];
	const char *rules[] = { "R-A", "R-B", "R-C", "R-D" };
	size_t i;

	w = calloc(1, sizeof(*w));
	if (w == NULL || store_open(":memory:", STORE_WRITE, &w->s, err,
	    sizeof(err)) != 0) {
		free(w);
		return -1;
	}
	w->run1 = run(w, T0);
	w->a = host(w, w->run1, "10.0.0.1", EVIL_NAME, "telecom", EVIL_SITE,
	    EVIL_OWNER);
	w->b = host(w, w->run1, "10.0.0.2", "plc-7", "power", "Plant", "OT");
	for (i = 0; i < 4; i++)
		finding_id_make(i == 1 ? "addr:10.0.0.2" : "addr:10.0.0.1",
		    rules[i], w->fid[i]);
	obs(w, w->run1, w->a, CHAN_SNMP, OBS_SYSTEM, "", "descr", VAL_TEXT,
	    EVIL_DESCR "\0", sizeof(EVIL_DESCR));
	obs(w, w->run1, w->a, CHAN_SNMP, OBS_INTERFACE, "2", "mac", VAL_HEX,
	    mac, sizeof(mac));
	obs(w, w->run1, w->a, CHAN_SNMP, OBS_SYSTEM, "", "engineid", VAL_HEX,
	    "ABCDE", 5);
	obs(w, w->run1, w->a, CHAN_AGENT, OBS_SOFTWARE, "1", "name", VAL_TEXT,
	    EVIL_SW, strlen(EVIL_SW));
	obs(w, w->run1, w->a, CHAN_AGENT, OBS_SOFTWARE, "1", "version",
	    VAL_TEXT, bin, sizeof(bin));
	obs(w, w->run1, w->b, CHAN_SNMP, OBS_SYSTEM, "", "descr", VAL_TEXT,
	    EVIL_TAB, strlen(EVIL_TAB));
	obs(w, w->run1, w->b, CHAN_SNMP, OBS_SYSTEM, "", "location", VAL_TEXT,
	    EVIL_CR, strlen(EVIL_CR));
	cov(w, w->run1, w->a, CHAN_SNMP, "system", COV_OK, EVIL_DETAIL,
	    "core-v3", 120);
	cov(w, w->run1, w->b, CHAN_AGENT, "", COV_TIMEOUT, NULL, NULL, 2000);
	finding(w, w->run1, w->a, w->fid[0], "R-A", "high", 4, 3,
	    EVIL_EVIDENCE);
	finding(w, w->run1, w->b, w->fid[1], "R-B", "critical", 5, 4, "b");
	finding(w, w->run1, w->a, w->fid[2], "R-C", "low", 1, 3, "c");
	finding(w, w->run1, w->a, w->fid[3], "R-D", "medium", 3, 3, "d");
	check(store_run_end(w->s, w->run1, RUN_COMPLETE, err, sizeof(err)),
	    "end", err);

	w->run2 = run(w, T0 + 2 * DAY);
	host(w, w->run2, "10.0.0.1", EVIL_NAME, "telecom", EVIL_SITE,
	    EVIL_OWNER);
	finding(w, w->run2, w->a, w->fid[0], "R-A", "high", 4, 3,
	    EVIL_EVIDENCE);
	finding(w, w->run2, w->a, w->fid[3], "R-D", "medium", 3, 3, "d");
	check(store_run_end(w->s, w->run2, RUN_COMPLETE, err, sizeof(err)),
	    "end", err);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;

	store_close(w->s);
	free(w);
	return 0;
}

/* Writes a report into memory; returns the parsed table (raw in *raw). */
static struct csvtab *
report(struct world *w, enum report_format f, int64_t runid,
    const char *sector, char **raw)
{
	struct report_opts o;
	struct csvtab *t;
	char err[ERRLEN], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	memset(&o, 0, sizeof(o));
	o.format = f;
	o.run = runid;
	o.sector = sector;
	if (report_write(w->s, &o, fp, err, sizeof(err)) != 0)
		fail_msg("report_write: %s", err);
	assert_int_equal(fclose(fp), 0);
	t = csvtab_parse(buf, len);
	assert_non_null(t);
	if (raw != NULL)
		*raw = buf;
	else
		free(buf);
	return t;
}

/* Index of a column by name in row 0. */
static size_t
col(const struct csvtab *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nf[0]; i++)
		if (strcmp(t->f[0][i], name) == 0)
			return i;
	fail_msg("no column %s", name);
	return 0;
}

/* The row whose column c equals v. */
static size_t
row_with(const struct csvtab *t, size_t c, const char *v)
{
	size_t r;

	for (r = 1; r < t->nrows; r++)
		if (t->f[r][c] != NULL && strcmp(t->f[r][c], v) == 0)
			return r;
	fail_msg("no row with %s", v);
	return 0;
}

static void
test_findings_header_exact(void **state)
{
	struct world *w = *state;
	struct csvtab *t;
	char *raw = NULL;
	size_t r;

	static const char header[] = "finding_id,status,first_seen,"
	    "last_seen,sector,site,owner,asset,address,vendor,product,"
	    "channel,evidence,confidence,regulation,citation,effective_date,"
	    "severity,likelihood,impact,risk_score,risk_rating,"
	    "recommended_action,due_date\r\n";	/* then ours */

	t = report(w, REPORT_CSV, w->run1, NULL, &raw);
	assert_true(strncmp(raw, header, strlen(header) - 2) == 0);
	/*
	 * 2026-11-27: columns appended after the 24 of the contract;
	 * 2026-12-05: and the run each row comes from (the estate).
	 */
	assert_non_null(strstr(raw, ",due_date,waived_until,waiver_reason,"
	    "note,run,binding_scope,jurisdiction\r\n"));
	for (r = 0; r < t->nrows; r++) {
		assert_int_equal(t->nf[r], 30);
		assert_int_equal(t->term[r], '\r');
	}
	csvtab_free(t);
	free(raw);
}

static void
test_findings_rows(void **state)
{
	struct world *w = *state;
	struct csvtab *t;
	size_t r;

	t = report(w, REPORT_CSV, w->run1, NULL, NULL);
	assert_int_equal(t->nrows, 5);
	/* critical, high, medium, low. */
	assert_string_equal(t->f[1][0], w->fid[1]);
	assert_string_equal(t->f[2][0], w->fid[0]);
	assert_string_equal(t->f[3][0], w->fid[3]);
	assert_string_equal(t->f[4][0], w->fid[2]);
	r = 2;
	assert_string_equal(t->f[r][col(t, "status")], "new");
	assert_string_equal(t->f[r][col(t, "first_seen")], "2026-01-01");
	assert_string_equal(t->f[r][col(t, "last_seen")], "2026-01-01");
	assert_string_equal(t->f[r][col(t, "sector")], "telecom");
	assert_string_equal(t->f[r][col(t, "site")], EVIL_SITE);
	assert_string_equal(t->f[r][col(t, "owner")], EVIL_OWNER);
	assert_string_equal(t->f[r][col(t, "evidence")], "'" EVIL_EVIDENCE);
	assert_string_equal(t->f[r][col(t, "recommended_action")],
	    "'-replace now");
	assert_string_equal(t->f[r][col(t, "channel")], "snmp;agent");
	assert_string_equal(t->f[r][col(t, "likelihood")], "4");
	assert_string_equal(t->f[r][col(t, "impact")], "3");
	assert_string_equal(t->f[r][col(t, "risk_score")], "12");
	assert_string_equal(t->f[r][col(t, "effective_date")], "2021-03-12");
	assert_string_equal(t->f[r][col(t, "due_date")], "2026-06-30");
	csvtab_free(t);
}

/* run 0 is the latest run; resolved findings carry their history. */
static void
test_findings_latest_and_history(void **state)
{
	struct world *w = *state;
	struct csvtab *t;
	size_t r, st;

	t = report(w, REPORT_CSV, 0, NULL, NULL);
	assert_int_equal(t->nrows, 5);
	st = col(t, "status");
	r = row_with(t, 0, w->fid[0]);
	assert_string_equal(t->f[r][st], "persisting");
	assert_string_equal(t->f[r][col(t, "first_seen")], "2026-01-01");
	assert_string_equal(t->f[r][col(t, "last_seen")], "2026-01-03");
	/*
	 * 2026-11-27: b is not part of run 2, so run 2 did not assess it:
	 * R-B persists, unverified, instead of "resolved".
	 */
	r = row_with(t, 0, w->fid[1]);
	assert_string_equal(t->f[r][st], "persisting");
	assert_string_equal(t->f[r][col(t, "sector")], "power");
	assert_string_equal(t->f[r][col(t, "last_seen")], "2026-01-01");
	assert_string_equal(t->f[r][col(t, "note")], "not verified in this "
	    "run: the host was not assessed; last observed 2026-01-01");
	assert_int_equal(r, 1);		/* critical still sorts first */
	assert_null(t->f[row_with(t, 0, w->fid[0])][col(t, "note")]);
	r = row_with(t, 0, w->fid[2]);
	assert_string_equal(t->f[r][st], "resolved");
	assert_string_equal(t->f[row_with(t, 0, w->fid[3])][st],
	    "persisting");
	csvtab_free(t);

	/* Sector filter. */
	t = report(w, REPORT_CSV, w->run1, "POWER", NULL);
	assert_int_equal(t->nrows, 2);
	assert_string_equal(t->f[1][0], w->fid[1]);
	csvtab_free(t);
	t = report(w, REPORT_CSV, w->run1, "healthcare", NULL);
	assert_int_equal(t->nrows, 1);
	csvtab_free(t);
}

static void
test_inventory(void **state)
{
	static const char *const want[] = {
		"run", "host", "address", "host_name", "sector", "site",
		"channel", "kind", "item", "attr", "source", "value", "vtype",
		"seen",
	};
	struct world *w = *state;
	struct csvtab *t;
	size_t i, r, attr, value;

	t = report(w, REPORT_INVENTORY_CSV, w->run1, NULL, NULL);
	assert_int_equal(t->nf[0], NELEM(want));
	for (i = 0; i < NELEM(want); i++)
		assert_string_equal(t->f[0][i], want[i]);
	assert_int_equal(t->nrows, 8);
	attr = col(t, "attr");
	value = col(t, "value");

	/*
	 * 2026-11-27: the render buffer was sized for hex only (2n + 3)
	 * and cut six-byte MACs to "00:e0:fc:12:34".
	 */
	r = row_with(t, attr, "mac");
	assert_string_equal(t->f[r][value], "00:e0:fc:12:34:56");
	assert_string_equal(t->f[r][col(t, "vtype")], "hex");
	assert_string_equal(t->f[r][col(t, "kind")], "interface");
	assert_string_equal(t->f[r][col(t, "item")], "2");
	assert_string_equal(t->f[r][col(t, "run")], "1");
	assert_string_equal(t->f[r][col(t, "host")], "addr:10.0.0.1");
	assert_string_equal(t->f[r][col(t, "address")], "10.0.0.1");
	assert_string_equal(t->f[r][col(t, "host_name")], "'" EVIL_NAME);
	assert_string_equal(t->f[r][col(t, "site")], EVIL_SITE);
	assert_string_equal(t->f[r][col(t, "seen")] + 19, "Z");
	assert_int_equal(strlen(t->f[r][col(t, "seen")]), 20);
	/* Hex that happens to be printable is still hex. */
	assert_string_equal(t->f[row_with(t, attr, "engineid")][value],
	    "0x4142434445");
	/* Text (trailing NUL dropped), quotes and newline intact. */
	r = row_with(t, attr, "descr");
	assert_string_equal(t->f[r][value], EVIL_DESCR);
	assert_string_equal(t->f[r][col(t, "channel")], "snmp");
	assert_string_equal(t->f[row_with(t, attr, "name")][value],
	    "'" EVIL_SW);
	assert_string_equal(t->f[row_with(t, attr, "version")][value],
	    "0x0102fe");
	assert_string_equal(t->f[row_with(t, attr, "location")][value],
	    "'" EVIL_CR);
	r = row_with(t, value, "'" EVIL_TAB);
	assert_string_equal(t->f[r][col(t, "sector")], "power");
	csvtab_free(t);

	t = report(w, REPORT_INVENTORY_CSV, w->run1, "power", NULL);
	assert_int_equal(t->nrows, 3);
	csvtab_free(t);
	/* run2 has no observations: the header alone. */
	t = report(w, REPORT_INVENTORY_CSV, 0, NULL, NULL);
	assert_int_equal(t->nrows, 1);
	csvtab_free(t);
}

static void
test_coverage(void **state)
{
	static const char *const want[] = {
		"run", "host", "address", "host_name", "sector", "site",
		"owner", "channel", "probe", "status", "detail", "profile",
		"elapsed_ms",
	};
	struct world *w = *state;
	struct csvtab *t;
	size_t i;

	t = report(w, REPORT_COVERAGE_CSV, w->run1, NULL, NULL);
	assert_int_equal(t->nf[0], NELEM(want));
	for (i = 0; i < NELEM(want); i++)
		assert_string_equal(t->f[0][i], want[i]);
	assert_int_equal(t->nrows, 3);
	assert_string_equal(t->f[1][col(t, "host")], "addr:10.0.0.1");
	assert_string_equal(t->f[1][col(t, "owner")], EVIL_OWNER);
	assert_string_equal(t->f[1][col(t, "probe")], "system");
	assert_string_equal(t->f[1][col(t, "status")], "ok");
	assert_string_equal(t->f[1][col(t, "detail")], "'" EVIL_DETAIL);
	assert_string_equal(t->f[1][col(t, "profile")], "core-v3");
	assert_string_equal(t->f[1][col(t, "elapsed_ms")], "120");
	assert_string_equal(t->f[2][col(t, "channel")], "agent");
	assert_string_equal(t->f[2][col(t, "probe")], "");
	assert_string_equal(t->f[2][col(t, "status")], "timeout");
	assert_null(t->f[2][col(t, "detail")]);
	assert_null(t->f[2][col(t, "profile")]);
	assert_string_equal(t->f[2][col(t, "elapsed_ms")], "2000");
	csvtab_free(t);
	/* --sector: the other sector's hosts' rows are gone. */
	t = report(w, REPORT_COVERAGE_CSV, w->run1, "POWER", NULL);
	assert_int_equal(t->nrows, 2);
	assert_string_equal(t->f[1][col(t, "host")], "addr:10.0.0.2");
	assert_string_equal(t->f[1][col(t, "status")], "timeout");
	csvtab_free(t);
}

static void
test_errors(void **state)
{
	struct world *w = *state;
	struct report_opts o;
	struct store *empty = NULL;
	enum report_format f;
	char err[ERRLEN];
	FILE *fp;
	size_t i;

	(void)w;
	static const char *const names[REPORT__COUNT] = {
		[REPORT_CSV] = "csv", [REPORT_INVENTORY_CSV] = "inventory-csv",
		[REPORT_COVERAGE_CSV] = "coverage-csv", [REPORT_HTML] = "html",
		[REPORT_LEADS_CSV] = "leads-csv", [REPORT_JSON] = "json",
		[REPORT_JSONL] = "jsonl",
	};

	for (i = 0; i < REPORT__COUNT; i++) {
		assert_non_null(names[i]);
		assert_int_equal(report_format_from_name(names[i], &f), 0);
		assert_int_equal(f, i);
	}
	assert_int_equal(report_format_from_name("inventory-csv", &f), 0);
	assert_int_equal(f, REPORT_INVENTORY_CSV);
	assert_int_equal(report_format_from_name("pdf", &f), -1);
	assert_int_equal(report_format_from_name(NULL, &f), -1);

	fp = fopen("/dev/null", "w");
	assert_non_null(fp);
	memset(&o, 0, sizeof(o));
	o.format = REPORT_HTML;		/* built in since 2026-11-27 */
	assert_int_equal(report_write(w->s, &o, fp, err, sizeof(err)), 0);
	o.format = REPORT_CSV;
	o.run = 42;
	assert_int_equal(report_write(w->s, &o, fp, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no run 42"));
	o.format = REPORT__COUNT;
	assert_int_equal(report_write(w->s, &o, fp, err, sizeof(err)), -1);

	assert_int_equal(store_open(":memory:", STORE_WRITE, &empty, err,
	    sizeof(err)), 0);
	o.format = REPORT_COVERAGE_CSV;
	o.run = 0;
	assert_int_equal(report_write(empty, &o, fp, err, sizeof(err)), -1);
	assert_string_equal(err, "the database has no runs; run a scan "
	    "first");
	store_close(empty);
	fclose(fp);

	/* A full disk is an error, not a short report. */
	fp = fopen("/dev/full", "w");
	if (fp == NULL) {
		print_message("SKIP: no /dev/full: a full disk cannot be "
		    "simulated\n");
		skip();
	}
	for (i = 0; i < 3; i++) {
		o.format = (enum report_format)i;
		o.run = w->run1;
		assert_int_equal(report_write(w->s, &o, fp, err, sizeof(err)),
		    -1);
		assert_non_null(strstr(err, "cannot write the report"));
		clearerr(fp);
	}
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_findings_header_exact,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_findings_latest_and_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inventory, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coverage, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
