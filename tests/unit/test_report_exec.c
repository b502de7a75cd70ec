/*
 * Unit tests for the executive summary's helpers: the plain-language line
 * made from a finding's evidence text (report_html_plain.c), for the
 * evidence shapes analyze.c writes -- installed and running software,
 * a device's own identity, neighbour-table sightings, a rule to verify --
 * and for hostile or empty input (bounded, never past the buffer).  Then
 * the executive summary of a run's HTML report: the risk map leaves out
 * (and counts) findings whose likelihood or impact is outside 1-5, the
 * per-regulation table splits "; "-separated lists, trims them, skips
 * empty names, shows the nine with most findings and says how many more;
 * the top risks name the vendor apart unless the product starts with it
 * as a word.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"
#include "report_html_int.h"
#include "store.h"
#include "util.h"

static const char *
plain(const char *ev, const char *vendor, const char *product)
{
	static char buf[600];

	rhtml_evidence_plain(ev, vendor, product, buf, sizeof(buf));
	return buf;
}

static void
test_software(void **state)
{
	(void)state;
	/* Installed and running: the package, then its processes (once). */
	assert_string_equal(plain("snmp software.name \"Kaspersky Endpoint "
	    "Security for Windows\" (1.3.6.1.2.1.25.6.3.1.2.2); snmp "
	    "process.name \"avp.exe\" (1.3.6.1.2.1.25.4.2.1.2.3368); snmp "
	    "process.path \"C:\\\\Program Files\\\\\" (1.3.6.1.2.1.25.4.2.1.4); "
	    "snmp process.name \"klnagent.exe\" (1.3.6.1.2.1.25.4.2.1.2.40); "
	    "snmp process.name \"avp.exe\" (1.3.6.1.2.1.25.4.2.1.2.41)",
	    "Kaspersky", "Kaspersky Endpoint Security"),
	    "Kaspersky Endpoint Security for Windows installed and running "
	    "(processes avp.exe, klnagent.exe).");
	/* Installed only. */
	assert_string_equal(plain("agent software.name \"Kaspersky Security "
	    "Center Network Agent\" (SOFTWARES/NAME)", "Kaspersky", "KSC"),
	    "Kaspersky Security Center Network Agent installed, not seen "
	    "running.");
	/* Running only: named after the product. */
	assert_string_equal(plain("snmp process.name \"kics\" (1.3.6)",
	    "Kaspersky", "KICS"), "KICS running (process kics).");
}

static void
test_device(void **state)
{
	(void)state;
	/* What the device says of itself: the first line of sysDescr. */
	assert_string_equal(plain("snmp system.descr \"Huawei Versatile "
	    "Routing Platform Software\nVRP (R) software\" (1.3.6.1.2.1.1.1.0);"
	    " snmp entity.mfg \"Huawei Technologies Co., Ltd.\" (1.3.6.1.2.1."
	    "47.1.1.1.1.12.1)", "Huawei", "Huawei routers"),
	    "The device describes itself as \"Huawei Versatile Routing "
	    "Platform Software\"; its hardware inventory names the maker "
	    "Huawei Technologies Co., Ltd.");
	assert_string_equal(plain("snmp system.objectid \"1.3.6.1.4.1.39747."
	    "1.1\" (1.3.6.1.2.1.1.2.0)", "Uniview", "Uniview cameras"),
	    "Its SNMP identity (sysObjectID 1.3.6.1.4.1.39747.1.1) is "
	    "registered to the vendor.");
	/* Seen by others: the MAC's maker and where it is plugged in. */
	assert_string_equal(plain("possible, verify: derived neighbor.oui_org "
	    "\"SHANGHAI ZTE TECHNOLOGIES CO.,LTD\" (1.3.6.1.2.1.17.7.1.2.2.1.2;"
	    " MA-M AC:64:DD:5); located: sw-acc-17 (127.42.0.16) Gi1/0/9, "
	    "VLAN 40", "ZTE", "ZTE equipment"),
	    "Possible, to verify: its network card was made by SHANGHAI ZTE "
	    "TECHNOLOGIES CO.,LTD (by MAC address); seen at sw-acc-17 "
	    "(127.42.0.16) Gi1/0/9, VLAN 40.");
}

static void
test_bounds(void **state)
{
	char big[3000], small[24];
	size_t n;

	(void)state;
	/* Nothing it can word: empty, never made up. */
	assert_string_equal(plain("", "X", "Y"), "");
	assert_string_equal(plain("agent antivirus.base_date \"2024-01-01\" "
	    "(ANTIVIRUS/BASE_VERSION)", "X", "Y"), "");
	n = rhtml_evidence_plain(NULL, NULL, NULL, small, sizeof(small));
	assert_int_equal(n, 0);
	/* An unterminated quote and an overlong value stay bounded. */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "snmp software.name \"", 20);
	n = rhtml_evidence_plain(big, "V", "P", small, sizeof(small));
	assert_true(n < sizeof(small));
	assert_int_equal(strlen(small), n);
	assert_int_equal(rhtml_evidence_plain(big, "V", "P", small, 0), 0);
	assert_true(strlen(plain(big, "V", "P")) < 200);
}

/* --- the executive summary of a run ---------------------------------- */

static void
exec_finding(struct store *st, int64_t run, int64_t host, const char *rule,
    const char *vendor, const char *product, const char *reg, int l,
    int im, int score)
{
	struct finding f;
	char err[ERRLEN], fid[FINDING_ID_LEN];

	finding_id_make("10.0.0.1", rule, fid);
	memset(&f, 0, sizeof(f));
	f.run = run;
	f.host = host;
	f.finding_id = fid;
	f.rule_id = rule;
	f.vendor = vendor;
	f.product = product;
	f.asset = "rtr-1";
	f.address = "10.0.0.1";
	f.channel = "snmp";
	f.evidence = "snmp system.descr \"x\" (1.3.6.1.2.1.1.1.0)";
	f.confidence = "high";
	f.regulation = reg;
	f.citation = "47 CFR 1.50002";
	f.severity = "high";
	f.likelihood = l;
	f.impact = im;
	f.risk_score = score;
	f.risk_rating = "high";
	f.recommended_action = "replace";
	f.due_date = "2026-06-30";
	if (store_finding(st, &f, err, sizeof(err)) != 0)
		fail_msg("store_finding: %s", err);
}

static void
has(const char *doc, const char *want)
{
	if (strstr(doc, want) == NULL)
		fail_msg("missing: %s", want);
}

static void
test_summary_figures(void **state)
{
	static const char *const many[] = { "Reg-A", "Reg-B", "Reg-C",
	    "Reg-D", "Reg-E", "Reg-F", "Reg-G", "Reg-H", "Reg-I", "Reg-J",
	    "Reg-K" };
	struct store *st;
	struct run_info ri;
	struct host_info hi;
	struct coverage c;
	struct report_opts o;
	char err[ERRLEN], rule[16], *buf = NULL;
	size_t i, len = 0;
	int64_t h;
	FILE *fp;

	(void)state;
	assert_int_equal(store_open(":memory:", STORE_WRITE, &st, err,
	    sizeof(err)), 0);
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "exec";
	ri.started = 1767225600;
	assert_int_equal(store_run_begin(st, &ri, err, sizeof(err)), 0);
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	hi.h.sector = "telecom";
	hi.h.criticality = 3;
	assert_int_equal(store_host(st, ri.id, &hi, &h, err, sizeof(err)), 0);
	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = "";
	c.status = COV_OK;
	assert_int_equal(store_coverage(st, ri.id, h, &c, err, sizeof(err)),
	    0);
	/* The product names the vendor as a word: said once. */
	exec_finding(st, ri.id, h, "R-1", "Huawei", "Huawei routers",
	    "FCC Covered List; NDAA 889", 3, 3, 20);
	/* "ZTEsoft" does not: the vendor apart; likelihood 0: off the map. */
	exec_finding(st, ri.id, h, "R-2", "ZTE", "ZTEsoft suite",
	    "  FCC Covered List ;  ; Reg-2 ", 0, 3, 19);
	/* Eleven more regulations, one finding each, impact 6: off too. */
	for (i = 0; i < NELEM(many); i++) {
		snprintf(rule, sizeof(rule), "R-M%zu", i);
		exec_finding(st, ri.id, h, rule, "Hikvision", "cameras",
		    many[i], 2, 6, 10);
	}
	assert_int_equal(store_run_end(st, ri.id, RUN_COMPLETE, err,
	    sizeof(err)), 0);

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	memset(&o, 0, sizeof(o));
	o.format = REPORT_HTML;
	o.run = ri.id;
	if (report_write(st, &o, fp, err, sizeof(err)) != 0)
		fail_msg("report_write: %s", err);
	assert_int_equal(fclose(fp), 0);

	/* One finding on the map (3, 3); twelve left out, and said so. */
	has(buf, "data-l=\"3\" data-i=\"3\" data-n=\"1\"><b>1</b></td>");
	has(buf, "<p class=\"muted\">12 open findings without a likelihood "
	    "and impact in 1\xe2\x80\x93" "5 not shown.</p>");
	/* FCC twice (trimmed), then by name; no empty row; 5 more. */
	has(buf, "<tbody><tr><td class=\"brk\">FCC Covered List</td><td "
	    "class=\"num\">2</td></tr><tr><td class=\"brk\">NDAA 889</td>");
	assert_null(strstr(buf, "<td class=\"brk\"></td>"));
	assert_null(strstr(buf, "<td class=\"brk\"> FCC"));
	has(buf, "<p class=\"muted\">5 more regulations, with 1 to 1 open "
	    "findings each: see the findings.</p>");
	/* The top risks: "Huawei routers" alone, "ZTE" before "ZTEsoft". */
	has(buf, "\">Huawei routers</a></td>");
	has(buf, "\">ZTE</a> <span class=\"muted small\">ZTEsoft suite"
	    "</span></td>");
	free(buf);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_software),
		cmocka_unit_test(test_device),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_summary_figures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
