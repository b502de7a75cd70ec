/*
 * Unit tests for resolution: the rule that says a finding is resolved
 * only when every source of its evidence was read completely, case by
 * case, with the notes it writes; and the probe of each kind of source.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "resolution.h"
#include "util.h"

#define SRC(host, ch, probe, read, st, detail) \
	{ host, ch, probe, read, st, detail }

struct dcase {
	const char			*name;
	struct resolution_source	 src[4];
	size_t				 n;
	enum resolution			 want;
	const char			*note;
};

static void
test_decide(void **state)
{
	static const struct dcase cases[] = {
		{ "software table read completely, finding gone",
		    { SRC("pacs (10.0.0.5)", "snmp", "software", 1, COV_OK,
		    NULL) }, 1, RESOLUTION_RESOLVED, "" },
		{ "2026-12-05: a walk cut short by the row budget",
		    { SRC("pacs (10.0.0.5)", "snmp", "software", 1,
		    COV_PARTIAL, "after 2 rows: row budget") }, 1,
		    RESOLUTION_PERSISTING, "software table of pacs "
		    "(10.0.0.5): partial (after 2 rows: row budget)" },
		{ "host not part of the run",
		    { SRC("pacs (10.0.0.5)", "agent", "inventory", 0,
		    COV_OK, NULL) }, 1, RESOLUTION_PERSISTING,
		    "agent inventory of pacs (10.0.0.5): not read in this "
		    "run" },
		{ "2026-12-05: LLDP neighbour, the switch did not answer",
		    { SRC("sw-17 (10.0.0.17)", "snmp", "lldp", 1,
		    COV_TIMEOUT, "no answer") }, 1, RESOLUTION_PERSISTING,
		    "LLDP table of sw-17 (10.0.0.17): timeout (no answer)" },
		{ "seen in two tables, both read",
		    { SRC("sw-17", "snmp", "fdb", 1, COV_OK, NULL),
		    SRC("rtr-16", "snmp", "arp", 1, COV_OK, NULL) }, 2,
		    RESOLUTION_RESOLVED, "" },
		{ "seen in two tables, one not read",
		    { SRC("sw-17", "snmp", "fdb", 1, COV_OK, NULL),
		    SRC("rtr-16", "snmp", "arp", 1, COV_AUTH_FAILED,
		    NULL) }, 2, RESOLUTION_PERSISTING,
		    "ARP table of rtr-16: auth_failed" },
		{ "one host unreachable: one clause for its tables",
		    { SRC("pc-7", "snmp", "process", 1, COV_REFUSED, "icmp"),
		    SRC("pc-7", "snmp", "software", 1, COV_REFUSED, "icmp"),
		    SRC("pc-8", "snmp", "software", 1, COV_REFUSED,
		    "icmp") }, 3, RESOLUTION_PERSISTING,
		    "process table, software table of pc-7: refused (icmp); "
		    "software table of pc-8: refused (icmp)" },
		{ "no such table is not a complete read",
		    { SRC("cam", "snmp", "vendor", 1, COV_NO_SUCH_TABLE,
		    NULL) }, 1, RESOLUTION_PERSISTING,
		    "vendor MIB of cam: no_such_table" },
		{ "a derived value whose tables are not recorded",
		    { SRC("cam", NULL, NULL, 0, COV_OK, NULL) }, 1,
		    RESOLUTION_PERSISTING, "a table it was seen in is not "
		    "recorded" },
		{ "an import read again",
		    { SRC("laptop", "import", "", 1, COV_OK, NULL) }, 1,
		    RESOLUTION_RESOLVED, "" },
		{ "no evidence: nothing to verify", { SRC(NULL, NULL, NULL,
		    0, COV_OK, NULL) }, 0, RESOLUTION_PERSISTING,
		    "the sources of its evidence are not recorded" },
	};
	char note[512];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		if (resolution_decide(cases[i].src, cases[i].n, note,
		    sizeof(note)) != cases[i].want)
			fail_msg("%s: wrong verdict (note '%s')",
			    cases[i].name, note);
		if (strcmp(note, cases[i].note) != 0)
			fail_msg("%s: note '%s', want '%s'", cases[i].name,
			    note, cases[i].note);
	}
}

/* A short or absent note buffer never changes the verdict. */
static void
test_note_buffer(void **state)
{
	static const struct resolution_source bad[] = {
		SRC("sw-17", "snmp", "lldp", 1, COV_TIMEOUT, "no answer"),
	};
	static const struct resolution_source good[] = {
		SRC("sw-17", "snmp", "lldp", 1, COV_OK, NULL),
	};
	char note[8];

	(void)state;
	assert_int_equal(resolution_decide(bad, 1, note, sizeof(note)),
	    RESOLUTION_PERSISTING);
	assert_string_equal(note, "LLDP ta");
	assert_int_equal(resolution_decide(bad, 1, NULL, 0),
	    RESOLUTION_PERSISTING);
	assert_int_equal(resolution_decide(good, 1, NULL, 0),
	    RESOLUTION_RESOLVED);
	assert_int_equal(resolution_decide(NULL, 0, NULL, 0),
	    RESOLUTION_PERSISTING);
}

static void
test_probe(void **state)
{
	(void)state;
	assert_string_equal(resolution_probe("snmp", "software", ""),
	    "software");
	assert_string_equal(resolution_probe("snmp", "system", NULL),
	    "system");
	assert_string_equal(resolution_probe("snmp", "interface", ""),
	    "interfaces");
	assert_string_equal(resolution_probe("snmp", "connection", ""),
	    "connections");
	assert_string_equal(resolution_probe("snmp", "neighbor", "lldp"),
	    "lldp");
	assert_string_equal(resolution_probe("snmp", "neighbor", "vlan"),
	    "fdb");
	assert_string_equal(resolution_probe("snmp", "neighbor", "arp"),
	    "arp");
	assert_string_equal(resolution_probe("agent", "software", ""),
	    "inventory");
	assert_string_equal(resolution_probe("import", "software", ""), "");
	assert_null(resolution_probe("snmp", "neighbor", "bogus"));
	assert_null(resolution_probe("snmp", "nonsense", ""));
	assert_null(resolution_probe("derived", "neighbor", ""));
	assert_null(resolution_probe(NULL, "software", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_note_buffer),
		cmocka_unit_test(test_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
