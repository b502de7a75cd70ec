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

#include "fixture.h"
#include "resolution.h"
#include "store.h"
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define DAY	86400

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

/* --- resolution_carry() on a real store ----------------------------------- */

/* An observation of host in run; its id. */
static int64_t
obs(struct store *s, int64_t run, int64_t host, enum channel ch,
    enum obs_kind kind, const char *item, const char *attr, const char *v)
{
	struct observation o;
	char err[ERRLEN];
	int64_t id = 0;

	memset(&o, 0, sizeof(o));
	o.kind = kind;
	o.item = item;
	o.attr = attr;
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = strlen(v);
	if (store_observation(s, run, host, ch, &o, &id, err, sizeof(err)) !=
	    0)
		fail_msg("store_observation: %s", err);
	return id;
}

static void
cov(struct store *s, int64_t run, int64_t host, enum channel ch,
    const char *probe, enum cov_status st, const char *detail)
{
	struct coverage c;
	char err[ERRLEN];

	memset(&c, 0, sizeof(c));
	c.channel = ch;
	c.probe = probe;
	c.status = st;
	c.detail = detail;
	if (store_coverage(s, run, host, &c, err, sizeof(err)) != 0)
		fail_msg("store_coverage: %s", err);
}

static void
finding(struct store *s, int64_t run, int64_t host, const char *rule,
    const int64_t *ev, size_t nev)
{
	struct finding f;
	char err[ERRLEN], fid[FINDING_ID_LEN];

	assert_int_equal(finding_id_make("addr:10.0.0.1", rule, fid), 0);
	memset(&f, 0, sizeof(f));
	f.run = run;
	f.host = host;
	f.finding_id = fid;
	f.rule_id = rule;
	f.severity = "high";
	f.evidence_ids = ev;
	f.nevidence = nev;
	if (store_finding(s, &f, err, sizeof(err)) != 0)
		fail_msg("store_finding: %s", err);
}

struct carried {
	size_t	 n;
	char	 rule[8][32];
	char	 note[8][256];
};

static int
on_finding(void *arg, const struct finding_row *r)
{
	struct carried *c = arg;

	if (!r->unverified || c->n == 8)
		return 0;
	str_copy(c->rule[c->n], r->f.rule_id, sizeof(c->rule[0]));
	str_copy(c->note[c->n], r->note != NULL ? r->note : "(null)",
	    sizeof(c->note[0]));
	c->n++;
	return 0;
}

/* The note run carried rule with, or NULL when it did not carry it. */
static const char *
note_of(const struct carried *c, const char *rule)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->rule[i], rule) == 0)
			return c->note[i];
	return NULL;
}

/*
 * Issue 16: the rule applied to runs.  Run 1 finds five things on host
 * pacs, each on other evidence; run 2 finds none of them and reads:
 * the software table completely, the LLDP table in part, no agent
 * inventory, the system group of a host whose vendor MIB it no longer
 * walked.  Carried, each with its note: what rests on the LLDP table, on
 * the agent inventory, on an import; resolved: what rests on the software
 * table alone, and the camera banner the system group now disowns.
 */
static void
test_carry(void **state)
{
	struct store *s;
	struct host_info hi;
	struct carried c;
	char err[ERRLEN];
	int64_t r1, r2, r3, h, ev[2];
	size_t n = 99;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r1 = begin_run(s, "site", T0);
	memset(&hi, 0, sizeof(hi));
	hi.h.address = "10.0.0.1";
	hi.h.name = "pacs";
	assert_int_equal(store_host(s, r1, &hi, &h, err, sizeof(err)), 0);
	ev[0] = obs(s, r1, h, CHAN_SNMP, OBS_SOFTWARE, "1", "name", "kesl");
	finding(s, r1, h, "sw-only", ev, 1);
	ev[1] = obs(s, r1, h, CHAN_SNMP, OBS_NEIGHBOR, "lldp.3.1", "sysname",
	    "hik");
	finding(s, r1, h, "sw-lldp", ev, 2);
	ev[0] = obs(s, r1, h, CHAN_AGENT, OBS_SOFTWARE, "7", "name", "kes");
	finding(s, r1, h, "agent", ev, 1);
	ev[0] = obs(s, r1, h, CHAN_SNMP, OBS_VENDOR, "", "model", "DS-2CD");
	finding(s, r1, h, "camera", ev, 1);
	ev[0] = obs(s, r1, h, CHAN_IMPORT, OBS_SOFTWARE, "9", "name", "kav");
	finding(s, r1, h, "import", ev, 1);
	cov(s, r1, h, CHAN_SNMP, "software", COV_OK, NULL);
	end_run(s, r1, RUN_COMPLETE);

	r2 = begin_run(s, "site", T0 + DAY);
	assert_int_equal(store_host(s, r2, &hi, &h, err, sizeof(err)), 0);
	cov(s, r2, h, CHAN_SNMP, "software", COV_OK, NULL);
	cov(s, r2, h, CHAN_SNMP, "lldp", COV_PARTIAL,
	    "after 2 rows: row budget");
	cov(s, r2, h, CHAN_SNMP, "system", COV_OK, NULL);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	assert_int_equal(resolution_carry(s, r2, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	end_run(s, r2, RUN_COMPLETE);

	memset(&c, 0, sizeof(c));
	assert_int_equal(store_each_finding(s, r2, on_finding, &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.n, 3);
	assert_null(note_of(&c, "sw-only"));
	assert_null(note_of(&c, "camera"));
	assert_non_null(note_of(&c, "sw-lldp"));
	assert_string_equal(note_of(&c, "sw-lldp"), "LLDP table of pacs "
	    "(10.0.0.1): partial (after 2 rows: row budget)");
	assert_non_null(note_of(&c, "agent"));
	assert_string_equal(note_of(&c, "agent"), "agent inventory of pacs "
	    "(10.0.0.1): not read in this run");
	assert_non_null(note_of(&c, "import"));
	assert_string_equal(note_of(&c, "import"), "import of pacs "
	    "(10.0.0.1): not read in this run");

	/*
	 * Run 3 reads nothing but the system group: it carries again what
	 * run 2 carried (what run 2 resolved is not its to judge), the
	 * count not asked for.
	 */
	r3 = begin_run(s, "site", T0 + 2 * DAY);
	assert_int_equal(store_host(s, r3, &hi, &h, err, sizeof(err)), 0);
	cov(s, r3, h, CHAN_SNMP, "system", COV_OK, NULL);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	assert_int_equal(resolution_carry(s, r3, NULL, err, sizeof(err)), 0);
	end_run(s, r3, RUN_COMPLETE);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_each_finding(s, r3, on_finding, &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.n, 3);
	assert_null(note_of(&c, "sw-only"));
	assert_non_null(note_of(&c, "sw-lldp"));
	/* One clause for the two tables (in the order the store gives). */
	assert_true(strcmp(note_of(&c, "sw-lldp"), "software table, LLDP "
	    "table of pacs (10.0.0.1): not read in this run") == 0 ||
	    strcmp(note_of(&c, "sw-lldp"), "LLDP table, software table of "
	    "pacs (10.0.0.1): not read in this run") == 0);
	assert_null(note_of(&c, "camera"));
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_note_buffer),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_carry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
