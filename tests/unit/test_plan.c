/*
 * Unit tests for plan (run/plan.c, scan --dry-run) with the shipped sector
 * profiles: per target its channels (snmp, agent, both, none), profiles
 * in order ("-" for none, "agent:-" for an agent without a profile), an
 * IPv6 target's port in brackets, the rate (its sector's, else
 * "global"), the fewest requests (an SNMPv3 profile adds the engine
 * discovery once; an agent two) and "-" for no probe; then the totals:
 * the least time is the slowest device's, or the global rate's when that
 * is longer, and the wording follows the counts (1 target, 1 request,
 * 1 retry).  A write error is reported, never a short plan taken for a
 * whole one.  Every case names the exact text it expects.
 */
#include <sys/socket.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cred.h"
#include "plan.h"
#include "scan.h"
#include "sector.h"
#include "target.h"
#include "util.h"

static struct sector_set sectors;

static int
setup(void **state)
{
	char err[ERRLEN];

	(void)state;
	if (sector_set_load("sectors", &sectors, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sector_set_free(&sectors);
	return 0;
}

struct world {
	struct target		 v[4];
	struct target_list	 tl;
	struct cred_profile	 cp[2];
	struct cred_set		 cs;
	char			*profs[2];
	struct scan_opts	 o;
};

static void
world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->tl.v = w->v;
	w->profs[0] = "v3";
	w->profs[1] = "v2";
	w->cp[0].name = "v3";
	w->cp[0].type = CRED_SNMP;
	w->cp[0].version = SNMP_V3;
	w->cp[1].name = "v2";
	w->cp[1].type = CRED_SNMP;
	w->cp[1].version = SNMP_V2C;
	w->cs.v = w->cp;
	w->cs.n = 2;
	w->o.targets = &w->tl;
	w->o.creds = &w->cs;
	collect_opts_default(&w->o.collect);
}

static struct target *
add(struct world *w, const char *addr, int family, unsigned port,
    const char *sector)
{
	struct target *t = &w->v[w->tl.n++];

	assert_true(w->tl.n <= NELEM(w->v));
	t->h.address = addr;
	t->h.sector = sector;
	t->family = family;
	t->port = port;
	return t;
}

/* The plan as a string (caller frees); the test fails on an error. */
static char *
plan(const struct scan_opts *o, struct plan_totals *t)
{
	char err[ERRLEN], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	if (plan_write(fp, o, t, err, sizeof(err)) != 0)
		fail_msg("plan_write: %s", err);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
has(const char *doc, const char *want)
{
	if (strstr(doc, want) == NULL)
		fail_msg("missing: \"%s\" in\n%s", want, doc);
}

/* One line per channel mix, the profiles, ports and rates. */
static void
test_targets(void **state)
{
	const struct sector_profile *power;
	struct world w;
	struct plan_totals t;
	struct target *tg;
	char *d, want[256];
	unsigned v2req;

	(void)state;
	power = sector_set_find(&sectors, "power");
	assert_non_null(power);
	assert_true(power->rate > 0);
	world_init(&w);
	w.o.sectors = &sectors;
	w.o.probes_override = 1;
	w.o.collect.probes = PROBE_BIT(PROBE_SYSTEM) |
	    PROBE_BIT(PROBE_SOFTWARE) | PROBE_BIT(PROBE_INVENTORY);
	w.o.collect.rate = 0;
	w.o.collect.retries = 1;
	/* SNMPv2c only, IPv4 with a port, power's rate. */
	tg = add(&w, "10.0.0.1", AF_INET, 1161, "power");
	tg->snmp_profiles = &w.profs[1];
	tg->nsnmp_profiles = 1;
	/* v3 then v2c, and an agent (no profile), IPv6 with a port. */
	tg = add(&w, "2001:db8::1", AF_INET6, 1161, "telecom");
	tg->snmp_profiles = w.profs;
	tg->nsnmp_profiles = 2;
	tg->agent_url = "https://[2001:db8::1]:62354";
	/* Nothing to ask, no port, no sector profile. */
	add(&w, "10.0.0.3", AF_INET, 0, "nosuch");
	/* An agent alone, with its profile. */
	tg = add(&w, "host.example", AF_UNSPEC, 0, NULL);
	tg->agent_url = "http://host.example:62354";
	tg->agent_profile = "agents";

	d = plan(&w.o, &t);
	has(d, "dry run: nothing is sent and the database is not opened\n");
	v2req = (unsigned)snmp_min_requests(w.o.collect.probes);
	assert_true(v2req > 1);
	snprintf(want, sizeof(want), "%-28s %-10s %-10s %-10s %7u %9u  %s\n",
	    "10.0.0.1:1161", "power", "snmp", "v2", power->rate, v2req,
	    "system,software,inventory");
	has(d, want);
	/* v3 first: the engine discovery once, and the agent's two. */
	assert_int_equal(sector_set_find(&sectors, "telecom")->rate, 0);
	snprintf(want, sizeof(want), "%-28s %-10s %-10s %-10s %7s %9u  %s\n",
	    "[2001:db8::1]:1161", "telecom", "snmp,agent", "v3;v2 agent:-",
	    "global", v2req + 1 + 2, "system,software,inventory");
	has(d, want);
	snprintf(want, sizeof(want), "%-28s %-10s %-10s %-10s %7s %9u  %s\n",
	    "10.0.0.3", "nosuch", "none", "-", "global", 0u,
	    "system,software,inventory");
	has(d, want);
	snprintf(want, sizeof(want), "%-28s %-10s %-10s %-10s %7s %9u  %s\n",
	    "host.example", "-", "agent", "agent:agents", "global", 2u,
	    "system,software,inventory");
	has(d, want);
	assert_int_equal(t.targets, 4);
	assert_int_equal(t.snmp, 2);
	assert_int_equal(t.agent, 2);
	assert_int_equal(t.requests, v2req + (v2req + 3) + 2);
	/* The slowest device: power's, one request in flight at its rate. */
	assert_true(t.seconds > (double)(v2req - 1) / power->rate - 1e-9 &&
	    t.seconds < (double)(v2req - 1) / power->rate + 1e-9);
	has(d, "; concurrency ");
	has(d, ", 1 retry.\n");
	has(d, "at the global rate (no cap) and the per-device rates");
	free(d);
}

/*
 * No sector profiles: the global probes for all, no per-device rate;
 * the global rate sets the least time.  Singular wording; "-" for no
 * probe at all.
 */
static void
test_totals(void **state)
{
	struct world w;
	struct plan_totals t;
	struct target *tg;
	char *d, want[64];

	(void)state;
	world_init(&w);
	w.o.creds = NULL;
	w.o.collect.probes = 0;
	w.o.collect.rate = 0;
	w.o.collect.retries = 3;
	tg = add(&w, "10.0.0.9", AF_INET, 0, "power");
	tg->agent_url = "http://10.0.0.9:62354";
	tg->agent_profile = "a";
	d = plan(&w.o, &t);
	/* No probe: neither channel asks anything. */
	has(d, "10.0.0.9                     power      none       agent:a    "
	    " global         0  -\n");
	has(d, "totals: 1 target (0 over SNMP, 0 with an inventory agent); "
	    "at least 0 requests; at least 0.0 s at the global rate (no "
	    "cap)");
	has(d, ", 3 retries.\n");
	free(d);

	/* One agent request pair at 1/s globally: at least 2 s. */
	w.o.collect.probes = PROBE_BIT(PROBE_INVENTORY);
	w.o.collect.rate = 1;
	d = plan(&w.o, &t);
	has(d, "totals: 1 target (0 over SNMP, 1 with an inventory agent); "
	    "at least 2 requests; at least 2.0 s at the global rate (1/s)");
	assert_int_equal(t.requests, 2);
	free(d);

	/* A v3 profile the credentials do not hold: no discovery added. */
	world_init(&w);
	w.o.collect.probes = PROBE_BIT(PROBE_SYSTEM);
	tg = add(&w, "10.0.0.8", AF_INET, 0, "power");
	w.profs[0] = "gone";
	tg->snmp_profiles = w.profs;
	tg->nsnmp_profiles = 1;
	d = plan(&w.o, &t);
	assert_int_equal(t.requests, snmp_min_requests(w.o.collect.probes));
	snprintf(want, sizeof(want), "at least %zu request%s;", t.requests,
	    t.requests == 1 ? "" : "s");
	has(d, want);
	free(d);
}

/* A full disk: an error naming the cause. */
static void
test_write_error(void **state)
{
	struct world w;
	char err[ERRLEN];
	FILE *fp;

	(void)state;
	fp = fopen("/dev/full", "w");
	if (fp == NULL) {
		print_message("SKIP: no /dev/full: a full disk cannot be "
		    "simulated\n");
		skip();
	}
	world_init(&w);
	add(&w, "10.0.0.1", AF_INET, 0, "power");
	assert_int_equal(plan_write(fp, &w.o, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "standard output: No space left on device");
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
