/*
 * test_oom_run: the project's own allocations in run/ failing, one at a
 * time, on the shared harness (oom.h; this binary is linked with the
 * malloc family wrapped, OOM_WRAP).  The scenario -- scan_run() over a
 * fresh :memory: store with the shipped sector profiles: a target whose
 * SNMP port is a socket this test bound and never reads (it times out),
 * one without any channel (coverage no_channel), matched as each host
 * finishes -- is run with its 1st, 2nd, ... allocation failing until it
 * runs through: each failure must end in -1 with a message, never a
 * crash, a run reported recorded that is not, or a leak (make SAN=1).
 * A scan without sector profiles whose hosts are parked and matched
 * after locate (a neighbour probe; analyze_park(), analyze_after()) is
 * the second scenario.  SQLite's allocations are
 * not failed here (test_store_faults does).
 */
#include <sys/socket.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "log.h"
#include "oom.h"
#include "rules.h"
#include "scan.h"
#include "sector.h"
#include "store.h"
#include "util.h"

static struct scan_world world;	/* rules, sectors, a silent port */

static int
setup(void **state)
{
	(void)state;
	return scan_world_open(&world);
}

static int
teardown(void **state)
{
	(void)state;
	scan_world_close(&world);
	return 0;
}

struct scen {
	int	 with_sectors;
	unsigned probes;
	int	 writer_thread;	/* scan_opts.writer_thread */
};

static int
scan_scenario(void *arg, char *err, size_t errlen)
{
	const struct scen *sc = arg;
	char *prof[] = { "v2" };
	struct target tv[2];
	struct target_list tl;
	struct cred_profile cp;
	struct cred_set cs;
	struct scan_opts o;
	struct scan_result res;
	struct run_info ri;
	struct store *s = NULL;
	char msg[ERRLEN];
	int rc;

	memset(tv, 0, sizeof(tv));
	memset(&tl, 0, sizeof(tl));
	memset(&cp, 0, sizeof(cp));
	memset(&cs, 0, sizeof(cs));
	tv[0].h.address = "127.0.0.1";
	tv[0].h.sector = "power";
	tv[0].port = world.sink_port;
	tv[0].family = AF_INET;
	tv[0].snmp_profiles = prof;
	tv[0].nsnmp_profiles = 1;
	tv[1].h.address = "10.9.0.2";
	tv[1].h.sector = "telecom";
	tv[1].family = AF_INET;
	tl.v = tv;
	tl.n = 2;
	cp.name = "v2";
	cp.type = CRED_SNMP;
	cp.version = SNMP_V2C;
	cp.community = "x";
	cs.v = &cp;
	cs.n = 1;
	memset(&o, 0, sizeof(o));
	o.targets = &tl;
	o.creds = &cs;
	o.rules = world.pack;
	o.sectors = sc->with_sectors ? &world.sectors : NULL;
	o.probes_override = 1;
	o.writer_thread = sc->writer_thread;
	collect_opts_default(&o.collect);
	o.collect.probes = sc->probes;
	o.collect.timeout_ms = 10;
	o.collect.retries = 0;
	o.scope = "oom";
	/* The store is the scenario's own: its opening may fail too. */
	if (store_open(":memory:", STORE_WRITE, &s, err, errlen) != 0)
		return -1;
	rc = scan_run(s, &o, &res, err, errlen);
	/* What follows only reads back what scan_run() said it recorded. */
	oom_disarm();
	if (rc == 0) {
		/* Recorded: complete, with both targets. */
		if (store_run_get(s, res.run, &ri, msg, sizeof(msg)) != 0)
			fail_msg("store_run_get: %s", msg);
		assert_int_equal(ri.status, RUN_COMPLETE);
		assert_int_equal(res.targets, 2);
		assert_int_equal(res.not_assessed, 2);
	}
	store_close(s);
	return rc;
}

/* Spread the failures over a long scenario: every 1st to 40th, then 1/7. */
static long
step(long n, long total)
{
	(void)total;
	return n < 40 ? n + 1 : n + 7;
}

static void
test_scan(void **state)
{
	struct scen as_done = { 1, PROBE_BIT(PROBE_SYSTEM), 0 };
	struct scen read_back = { 0, PROBE_BIT(PROBE_SYSTEM) |
	    PROBE_BIT(PROBE_ARP), 0 };
	/* A table walk with the writer thread (run/writer.h): its queue. */
	struct scen threaded = { 0, PROBE_BIT(PROBE_SYSTEM) |
	    PROBE_BIT(PROBE_ARP), 1 };

	(void)state;
	assert_true(oom_each("scan as hosts finish", OOM_OURS, scan_scenario,
	    &as_done, step) > 10);
	assert_true(oom_each("scan read back", OOM_OURS, scan_scenario,
	    &read_back, step) > 10);
	assert_true(oom_each("scan with the writer thread", OOM_OURS,
	    scan_scenario, &threaded, step) > 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
	};

	log_init(LOG_QUIET);
	return cmocka_run_group_tests(tests, setup, teardown);
}
