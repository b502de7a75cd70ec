/*
 * Unit tests for the estate (report_estate.c, report_html_estate.c): a
 * database holding complete runs of two scopes is reported as the
 * estate, each scope's latest complete run.  The HTML estate's figures,
 * its sections by sector (a host without a sector in a section of its
 * own), findings carried unverified and waived, hosts partially or not
 * assessed in the host detail, and what --site and --sector limit (the
 * banner saying so, the other site's and sector's rows gone), in HTML,
 * CSV, JSON and JSON Lines.  Each case names the exact text it expects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "report.h"
#include "resolution.h"
#include "store.h"
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define DAY	86400

static struct store *st;
static int64_t run1, run2, run3, run4;

static void
check(int rc, const char *what, const char *err)
{
	if (rc != 0)
		fail_msg("%s: %s", what, err);
}

static int64_t
host(int64_t run, const char *addr, const char *name, const char *sector,
    const char *site)
{
	struct host_info hi;
	char err[ERRLEN];
	int64_t id;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.name = name;
	hi.h.sector = sector;
	hi.h.site = site;
	hi.h.owner = "OT";
	hi.h.criticality = 3;
	check(store_host(st, run, &hi, &id, err, sizeof(err)), "host", err);
	return id;
}

static void
cov(int64_t run, int64_t h, enum channel ch, enum cov_status s)
{
	struct coverage c;
	char err[ERRLEN];

	memset(&c, 0, sizeof(c));
	c.channel = ch;
	c.probe = "";
	c.status = s;
	check(store_coverage(st, run, h, &c, err, sizeof(err)), "coverage",
	    err);
}

static void
finding(int64_t run, int64_t h, const char *rule, const char *address,
    const char *rating, int lead)
{
	struct finding f;
	char err[ERRLEN], fid[FINDING_ID_LEN];

	finding_id_make(address, rule, fid);
	memset(&f, 0, sizeof(f));
	f.run = run;
	f.host = h;
	f.finding_id = fid;
	f.rule_id = rule;
	f.vendor = "Huawei";
	f.product = rule;
	f.asset = address;
	f.address = address;
	f.channel = "snmp";
	f.evidence = "ev";
	f.confidence = "high";
	f.lead = lead;
	if (lead) {
		f.note = "check for leftovers";
	} else {
		f.regulation = "FCC Covered List";
		f.citation = "47 CFR 1.50002";
		f.severity = rating;
		f.likelihood = 3;
		f.impact = 3;
		f.risk_score = 9;
		f.risk_rating = rating;
		f.recommended_action = "replace";
		f.due_date = "2026-06-30";
	}
	check(store_finding(st, &f, err, sizeof(err)), "finding", err);
}

static int64_t
run(int64_t started, const char *scope, const char *site)
{
	struct run_info ri;
	char err[ERRLEN];

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = scope;
	ri.site = site;
	ri.started = started;
	check(store_run_begin(st, &ri, err, sizeof(err)), "run", err);
	return ri.id;
}

static void
end(int64_t r, enum run_status s)
{
	char err[ERRLEN];

	check(store_run_end(st, r, s, err, sizeof(err)), "end", err);
}

/*
 * Scope "grid" (site North): run1 has a (power, ok) with "R-a" critical,
 * b (power, snmp ok, agent timeout: partial) with "R-b" high (waived),
 * and n (no sector, ok) with "R-n" medium and a lead.  run2 has a (ok,
 * "R-a" again) and b (snmp timeout: not assessed, "R-b" carried
 * unverified); n is not in run2, its "R-n" carried too.
 * Scope "net" (site South): run3 has t (telecom, ok) with "R-t" low and
 * u (telecom, unreachable); run4, later, failed: the estate keeps run3.
 */
static int
setup(void **state)
{
	struct waiver wv;
	char err[ERRLEN], fid[FINDING_ID_LEN];
	size_t carried;
	int64_t a, b, n, t, u;

	(void)state;
	if (store_open(":memory:", STORE_WRITE, &st, err, sizeof(err)) != 0)
		return -1;
	run1 = run(T0, "grid", "North");
	a = host(run1, "10.1.0.1", "rtu-a", "power", "North");
	b = host(run1, "10.1.0.2", "rtu-b", "power", "North");
	n = host(run1, "10.1.0.3", "box-n", NULL, "North");
	cov(run1, a, CHAN_SNMP, COV_OK);
	cov(run1, b, CHAN_SNMP, COV_OK);
	cov(run1, b, CHAN_AGENT, COV_TIMEOUT);
	cov(run1, n, CHAN_SNMP, COV_OK);
	finding(run1, a, "R-a", "10.1.0.1", "critical", 0);
	finding(run1, b, "R-b", "10.1.0.2", "high", 0);
	finding(run1, n, "R-n", "10.1.0.3", "medium", 0);
	finding(run1, n, "LEAD", "10.1.0.3", NULL, 1);
	end(run1, RUN_COMPLETE);
	finding_id_make("10.1.0.2", "R-b", fid);
	memset(&wv, 0, sizeof(wv));
	wv.finding_id = fid;
	wv.reason = "replacement ordered";
	wv.until = "2099-12-31";
	check(store_waiver_set(st, &wv, NULL, err, sizeof(err)), "waiver",
	    err);

	run2 = run(T0 + DAY, "grid", "North");
	a = host(run2, "10.1.0.1", "rtu-a", "power", "North");
	b = host(run2, "10.1.0.2", "rtu-b", "power", "North");
	cov(run2, a, CHAN_SNMP, COV_OK);
	cov(run2, b, CHAN_SNMP, COV_TIMEOUT);
	finding(run2, a, "R-a", "10.1.0.1", "critical", 0);
	check(store_flush(st, err, sizeof(err)), "flush", err);
	check(resolution_carry(st, run2, &carried, err,
	    sizeof(err)), "carry", err);
	end(run2, RUN_COMPLETE);

	run3 = run(T0 + 2 * DAY, "net", "South");
	t = host(run3, "10.2.0.1", "sw-t", "telecom", "South");
	u = host(run3, "10.2.0.2", "sw-u", "telecom", "South");
	cov(run3, t, CHAN_SNMP, COV_OK);
	cov(run3, u, CHAN_SNMP, COV_UNREACHABLE);
	finding(run3, t, "R-t", "10.2.0.1", "low", 0);
	end(run3, RUN_COMPLETE);
	run4 = run(T0 + 3 * DAY, "net", "South");
	end(run4, RUN_FAILED);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	store_close(st);
	return 0;
}

/* The report as a string (caller frees), or NULL with err. */
static char *
report(enum report_format f, const char *site, const char *sector,
    char *err, size_t errlen)
{
	struct report_opts o;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = f;
	o.site = site;
	o.sector = sector;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	rc = report_write(st, &o, fp, err, errlen);
	assert_int_equal(fclose(fp), 0);
	if (rc != 0) {
		free(buf);
		return NULL;
	}
	if (getenv("DUMP"))
		fputs(buf, stderr);
	return buf;
}

static char *
report_ok(enum report_format f, const char *site, const char *sector)
{
	char err[ERRLEN], *s;

	s = report(f, site, sector, err, sizeof(err));
	if (s == NULL)
		fail_msg("report: %s", err);
	return s;
}

static void
has(const char *doc, const char *want)
{
	if (strstr(doc, want) == NULL)
		fail_msg("missing: %s", want);
}

static void
lacks(const char *doc, const char *unwanted)
{
	if (strstr(doc, unwanted) != NULL)
		fail_msg("present: %s", unwanted);
}

static size_t
count(const char *doc, const char *s)
{
	size_t n = 0;

	for (doc = strstr(doc, s); doc != NULL; doc = strstr(doc + 1, s))
		n++;
	return n;
}

/*
 * The estate summary's 13 figures as cells: targets, assessed, partially,
 * not assessed, neighbour devices, critical, high, medium, low, overdue,
 * due within 30 days, waived, leads.
 */
static void
has_figures(const char *doc, const char *head, const int v[13])
{
	char want[2048];
	size_t i, n;

	n = (size_t)snprintf(want, sizeof(want), "%s", head);
	for (i = 0; i < 13 && n < sizeof(want); i++)
		n += (size_t)snprintf(want + n, sizeof(want) - n,
		    "<td class=\"num%s\">%d</td>", v[i] == 0 ? " zero" : "",
		    v[i]);
	assert_true(n < sizeof(want));
	has(doc, want);
}

static void
test_html_estate(void **state)
{
	static const int north[13] = { 2, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0 };
	static const int south[13] = { 2, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	static const int total[13] = { 4, 2, 0, 2, 0, 1, 0, 1, 1, 0, 0, 1, 0 };
	char *d;

	(void)state;
	d = report_ok(REPORT_HTML, NULL, NULL);
	/*
	 * The summary: a row a part, then the estate's sums.  North's R-b
	 * is waived: counted as waived, not as high.
	 */
	has_figures(d, "<tr data-site=\"North\"><td>North</td><td class=\"brk"
	    "\">grid</td><td class=\"nw\">#2, <time datetime=\"2026-01-02\">"
	    "2026-01-02</time></td>", north);
	has_figures(d, "<td class=\"nw\">#3, <time datetime=\"2026-01-03\">"
	    "2026-01-03</time></td>", south);
	has_figures(d, "<tr class=\"total\"><th colspan=\"3\">Estate</th>",
	    total);
	/*
	 * grid from run2: a; b not assessed, its R-b carried; n not in the
	 * run at all, its R-n carried.  net from run3 (run4 failed).
	 */
	has(d, "<p class=\"lead\">2 sites and scopes, each from its latest "
	    "complete run: <b>4 open findings</b> on 4 targets (2 assessed, "
	    "0 partially, 2 not assessed); 0 leads to check.</p>");
	lacks(d, "Limited to");
	/* The sections add up to the figure. */
	has(d, "<h3>Sector: power</h3>");
	has(d, "<p class=\"muted\">2 open findings in this sector.</p>");
	has(d, "<h3>Sector: telecom</h3>");
	/*
	 * 2026-12-05: a finding carried from a host the run did not see
	 * (R-n, no sector) was in no section: the sections came from the
	 * run's hosts only.
	 */
	has(d, "<h3>Sector: <span class=\"na\">(no sector)</span></h3>");
	assert_int_equal(count(d, "<p class=\"muted\">1 open finding in "
	    "this sector.</p>"), 2);
	assert_int_equal(count(d, "Huawei \xc2\xb7 R-n</td>"), 2);
	/* R-b: carried, unverified, and waived. */
	has(d, " <span class=\"st st-unverified\">unverified</span> <span "
	    "class=\"st st-waived\">waived</span>");
	has(d, "<td>not assessed</td>");
	/*
	 * 2026-12-05: a host the run did not have at all (n, not in run2)
	 * whose open finding run2 carries was missing from the host
	 * detail: it came from the run's hosts only.  It is there, as not
	 * in this run, with its finding counted.
	 */
	has(d, "<tr><td>North</td><td class=\"nw\">#2</td><td class=\"brk\">"
	    "10.1.0.3 <span class=\"sub\">box-n</span></td><td><span "
	    "class=\"na\">\xe2\x80\x94</span></td><td><span class=\"na\">"
	    "(no sector)</span></td><td class=\"brk\">North</td><td "
	    "class=\"brk\">OT</td><td>not in this run</td><td class=\"num\">"
	    "1</td></tr>");
	assert_int_equal(count(d, "<td>not in this run</td>"), 1);
	/* a, b (not assessed), n (not in the run), t, u (unreachable). */
	has(d, "<p class=\"muted\">5 hosts.</p>");
	has(d, "#3</td>");
	lacks(d, "#4</td>");
	lacks(d, "#1</td>");
	free(d);
}

static void
test_html_site_and_sector(void **state)
{
	char *d, err[ERRLEN];

	(void)state;
	d = report_ok(REPORT_HTML, "North", NULL);
	has(d, "<div class=\"banner warn\">Limited to site <b>North</b>."
	    "</div>");
	has(d, "<p class=\"lead\">1 site and scope, each from its latest "
	    "complete run: <b>3 open findings</b>");
	lacks(d, "10.2.0.1");
	lacks(d, "<h3>Sector: telecom</h3>");
	has(d, "10.1.0.3 <span class=\"sub\">box-n</span>");
	assert_int_equal(count(d, "<td>not in this run</td>"), 1);
	free(d);

	d = report_ok(REPORT_HTML, NULL, "TELECOM");
	has(d, "<div class=\"banner warn\">Limited to sector <b>TELECOM</b>."
	    "</div>");
	has(d, "<h3>Sector: telecom</h3>");
	lacks(d, "<h3>Sector: power</h3>");
	lacks(d, "10.1.0.1");
	has(d, "10.2.0.2");		/* unreachable: in the host detail */
	free(d);

	d = report_ok(REPORT_HTML, "North", "power");
	has(d, "Limited to site <b>North</b> sector <b>power</b>.</div>");
	/* n has no sector: not in the host detail of power. */
	lacks(d, "<td>not in this run</td>");
	lacks(d, "box-n");
	free(d);

	/* A hostile filter is text, never markup. */
	d = report_ok(REPORT_HTML, NULL, "<b>x");
	has(d, "Limited to sector <b>&lt;b&gt;x</b>.</div>");
	has(d, "<b>0 open findings</b>");
	free(d);

	assert_null(report(REPORT_HTML, "Atlantis", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "no complete run of site Atlantis"));
}

/* The machine formats of the estate: every row names its run. */
static void
test_csv_and_jsonl_filters(void **state)
{
	char *d;

	(void)state;
	d = report_ok(REPORT_CSV, NULL, NULL);
	assert_int_equal(count(d, "\n"), 1 + 4);	/* header, 4 open */
	has(d, "10.2.0.1");
	free(d);
	d = report_ok(REPORT_CSV, NULL, "power");
	assert_int_equal(count(d, "\n"), 1 + 2);
	lacks(d, "10.2.0.1");
	free(d);
	d = report_ok(REPORT_CSV, "South", NULL);
	assert_int_equal(count(d, "\n"), 1 + 1);
	has(d, "10.2.0.1");
	free(d);
	d = report_ok(REPORT_JSONL, "North", NULL);
	assert_int_equal(count(d, "\n"), 3);
	assert_int_equal(count(d, "\"run_id\":2"), 3);
	free(d);
}

/* The hosts of the estate JSON whose assessment is want, as an array. */
static json_t *
json_hosts(const char *site, const char *sector, const char *want,
    size_t *nall)
{
	json_error_t je;
	json_t *doc, *hosts, *h, *v;
	char *d;
	size_t i;

	d = report_ok(REPORT_JSON, site, sector);
	doc = json_loads(d, 0, &je);
	if (doc == NULL)
		fail_msg("estate JSON: %s at line %d", je.text, je.line);
	free(d);
	hosts = json_object_get(doc, "hosts");
	assert_true(json_is_array(hosts));
	*nall = json_array_size(hosts);
	v = json_array();
	assert_non_null(v);
	json_array_foreach(hosts, i, h)
		if (strcmp(json_string_value(json_object_get(h,
		    "assessment")), want) == 0)
			assert_int_equal(json_array_append(v, h), 0);
	json_decref(doc);
	return v;
}

/*
 * 2026-12-06: the estate JSON's "hosts" listed each run's own hosts only;
 * a host the run did not have, whose open finding it carries (n, run2),
 * was in "findings" and nowhere in "hosts".  It is there, "not_in_run",
 * with what the finding says of it and its kind and inventory unknown.
 */
static void
test_json_estate_absent(void **state)
{
	json_t *v, *h;
	size_t all;

	(void)state;
	v = json_hosts(NULL, NULL, "not_in_run", &all);
	assert_int_equal(json_array_size(v), 1);
	h = json_array_get(v, 0);
	assert_int_equal(json_integer_value(json_object_get(h, "run_id")),
	    run2);
	assert_string_equal(json_string_value(json_object_get(h,
	    "address")), "10.1.0.3");
	assert_string_equal(json_string_value(json_object_get(h,
	    "host_name")), "box-n");
	assert_string_equal(json_string_value(json_object_get(h, "site")),
	    "North");
	assert_string_equal(json_string_value(json_object_get(h, "owner")),
	    "OT");
	assert_true(json_is_null(json_object_get(h, "sector")));
	assert_true(json_is_null(json_object_get(h, "kind")));
	assert_true(json_is_null(json_object_get(h, "serial")));
	assert_int_equal(json_integer_value(json_object_get(h,
	    "findings_open")), 1);
	assert_int_equal(json_array_size(json_object_get(h,
	    "banned_elsewhere")), 0);
	/* a, b, n, t, u: the HTML host detail's five. */
	assert_int_equal(all, 5);
	json_decref(v);

	/* n has no sector: not a host of power's estate. */
	v = json_hosts("North", "power", "not_in_run", &all);
	assert_int_equal(json_array_size(v), 0);
	json_decref(v);
	v = json_hosts("North", NULL, "not_in_run", &all);
	assert_int_equal(json_array_size(v), 1);
	json_decref(v);
}

/* One run's HTML report, as a summary above max hosts. */
static char *
summary(int64_t r, const char *sector, size_t max)
{
	struct report_opts o;
	char err[ERRLEN], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	memset(&o, 0, sizeof(o));
	o.format = REPORT_HTML;
	o.run = r;
	o.sector = sector;
	o.html_max_hosts = max;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	if (report_write(st, &o, fp, err, sizeof(err)) != 0)
		fail_msg("report: %s", err);
	assert_int_equal(fclose(fp), 0);
	if (getenv("DUMP"))
		fputs(buf, stderr);
	return buf;
}

/*
 * Above --html-max-hosts a run's HTML report is counts only (README:
 * hosts per sector and site, assessed / partially / not assessed, open
 * findings by severity, new / persisting / resolved), the sector filter
 * applied to every count.
 */
static void
test_summary(void **state)
{
	char *d;

	(void)state;
	d = summary(run1, NULL, 1);
	has(d, "<h1>Audit report: run #1 (summary)</h1>");
	has(d, "This run has <b>3 hosts</b>, more than the 1 this report "
	    "lists one by one");
	/* power/North: a assessed, b partially (agent timed out). */
	has(d, "<tr><td>power</td><td>North</td><td class=\"num\">2</td>"
	    "<td class=\"num\">1</td><td class=\"num\">1</td>"
	    "<td class=\"num\">0</td><td class=\"num\">1</td>"
	    "<td class=\"num\">1</td><td class=\"num\">0</td>"
	    "<td class=\"num\">0</td><td class=\"num\">0</td></tr>");
	/* n: no sector. */
	has(d, "<tr><td>\xe2\x80\x94</td><td>North</td><td class=\"num\">1"
	    "</td>");
	has(d, "<p>3 new, 0 persisting, 0 resolved since the previous run");
	free(d);

	d = summary(run1, "POWER", 1);
	has(d, "This run has <b>2 hosts</b>");
	lacks(d, "<tr><td>\xe2\x80\x94</td>");
	has(d, "<p>2 new, 0 persisting, 0 resolved since the previous run");
	free(d);

	/* Below the threshold: the full report, not the summary. */
	d = summary(run1, NULL, 3);
	lacks(d, "(summary)");
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_estate),
		cmocka_unit_test(test_html_site_and_sector),
		cmocka_unit_test(test_csv_and_jsonl_filters),
		cmocka_unit_test(test_json_estate_absent),
		cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
