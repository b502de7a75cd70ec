/*
 * Unit tests for the executive summary's helpers: the plain-language line
 * made from a finding's evidence text (report_html_plain.c), for the
 * evidence shapes analyze.c writes -- installed and running software,
 * a device's own identity, neighbour-table sightings, a rule to verify --
 * and for hostile or empty input (bounded, never past the buffer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "report_html_int.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_software),
		cmocka_unit_test(test_device),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
