/*
 * Unit tests for scan (run/scan.c) on :memory:, the real rule pack and the
 * shipped sector profiles, without a responder: a target that names no
 * SNMP profile and no agent is recorded as not assessed with coverage
 * "no_channel" (never silently absent); SNMP targets whose port is a
 * socket this test bound and never reads time out, each with its
 * coverage and the run complete; a stop request before collection leaves
 * the run incomplete with its hosts kept; two targets that are one host
 * (the run read back at the end) and neighbour probes (each host's rows
 * parked and matched after locate) still complete the run with one host
 * and every probe's coverage.  scan_wants_neighbors() follows the sector
 * profiles and --probes.  Nothing leaves loopback.
 */
#include <sys/socket.h>

#include <signal.h>
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
#include "log.h"
#include "rules.h"
#include "scan.h"
#include "sector.h"
#include "store.h"
#include "store_int.h"
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

/* The targets of one test: at most 4, strings borrowed. */
struct tset {
	struct target		 v[4];
	struct target_list	 tl;
	struct cred_profile	 cp;
	struct cred_set		 cs;
	char			*prof[1];
};

static void
tset_init(struct tset *t)
{
	memset(t, 0, sizeof(*t));
	t->tl.v = t->v;
	t->prof[0] = "v2";
	t->cp.name = "v2";
	t->cp.type = CRED_SNMP;
	t->cp.version = SNMP_V2C;
	t->cp.community = "not-a-secret";
	t->cs.v = &t->cp;
	t->cs.n = 1;
}

/* A target of sector; snmp: its one profile names the silent socket. */
static void
tset_add(struct tset *t, const char *addr, unsigned port,
    const char *sector, int snmp)
{
	struct target *tg = &t->v[t->tl.n++];

	assert_true(t->tl.n <= NELEM(t->v));
	tg->h.address = addr;
	tg->h.sector = sector;
	tg->h.criticality = 3;
	tg->port = port;
	tg->family = AF_INET;
	tg->line = (unsigned)t->tl.n + 1;
	if (snmp) {
		tg->snmp_profiles = t->prof;
		tg->nsnmp_profiles = 1;
	}
}

static void
opts_init(struct scan_opts *o, struct tset *t)
{
	memset(o, 0, sizeof(*o));
	o->targets = &t->tl;
	o->creds = &t->cs;
	o->rules = world.pack;
	collect_opts_default(&o->collect);
	o->collect.timeout_ms = 100;
	o->collect.retries = 0;
	o->scope = "unit";
}

/* Each coverage row: "address channel probe status" lines, in order. */
struct covtext {
	char	 buf[2048];
	size_t	 len;
	int	 no_channel_detail;	/* the detail says why */
};

static int
cov_cb(void *arg, const struct coverage_row *r)
{
	struct covtext *c = arg;
	int n;

	if (r->cov.status == COV_NO_CHANNEL && r->cov.detail != NULL &&
	    strstr(r->cov.detail, "no snmp_profile and no agent_url") != NULL)
		c->no_channel_detail++;
	n = snprintf(c->buf + c->len, sizeof(c->buf) - c->len, "%s %s %s "
	    "%s\n", r->h.address != NULL ? r->h.address : "?",
	    channel_name(r->cov.channel), r->cov.probe[0] != '\0' ?
	    r->cov.probe : "-", cov_status_name(r->cov.status));
	assert_true(n > 0 && (size_t)n < sizeof(c->buf) - c->len);
	c->len += (size_t)n;
	return 0;
}

static void
covtext(struct store *s, int64_t run, struct covtext *c)
{
	char err[ERRLEN];

	memset(c, 0, sizeof(*c));
	if (store_each_coverage(s, run, cov_cb, c, err, sizeof(err)) != 0)
		fail_msg("store_each_coverage: %s", err);
}

static enum run_status
run_status(struct store *s, int64_t run)
{
	struct run_info ri;
	char err[ERRLEN];

	if (store_run_get(s, run, &ri, err, sizeof(err)) != 0)
		fail_msg("store_run_get: %s", err);
	assert_string_equal(ri.kind, "scan");
	assert_string_equal(ri.scope, "unit");
	return ri.status;
}

static size_t
hosts_of(struct store *s, int64_t run)
{
	char err[ERRLEN];
	size_t n = 0;

	if (store_each_host(s, run, tally_hosts, &n, err, sizeof(err)) != 0)
		fail_msg("store_each_host: %s", err);
	return n;
}

/*
 * Targets without any channel: recorded, not assessed, with a coverage
 * row "snmp no_channel" that says why; nothing is sent.
 */
static void
test_no_channel(void **state)
{
	struct tset t;
	struct scan_opts o;
	struct scan_result res;
	struct covtext c;
	struct store *s;
	char err[ERRLEN];

	(void)state;
	tset_init(&t);
	tset_add(&t, "10.9.0.1", 0, "power", 0);
	tset_add(&t, "10.9.0.2", 0, "telecom", 0);
	opts_init(&o, &t);
	o.sectors = &world.sectors;
	s = open_ok(":memory:", STORE_WRITE);
	if (scan_run(s, &o, &res, err, sizeof(err)) != 0)
		fail_msg("scan_run: %s", err);
	assert_int_equal(res.targets, 2);
	assert_int_equal(res.assessed, 0);
	assert_int_equal(res.not_assessed, 2);
	assert_int_equal(res.findings, 0);
	assert_false(res.interrupted);
	assert_int_equal(run_status(s, res.run), RUN_COMPLETE);
	assert_int_equal(hosts_of(s, res.run), 2);
	covtext(s, res.run, &c);
	assert_string_equal(c.buf, "10.9.0.1 snmp - no_channel\n"
	    "10.9.0.2 snmp - no_channel\n");
	assert_int_equal(c.no_channel_detail, 2);
	store_close(s);
}

/* What test_keys_off_in_scan() saw of the store's statements. */
struct fktrace {
	char	 seen[128];
};

static int
fk_trace(unsigned type, void *arg, void *stmt, void *sql)
{
	static const struct {
		const char	*sql;	/* how the statement begins */
		const char	*tag;
	} marks[] = {
		{ "PRAGMA foreign_keys = OFF", "off " },
		{ "PRAGMA foreign_keys = ON", "on " },
		{ "INSERT INTO coverage", "cov " },
	};
	struct fktrace *t = arg;
	const char *q = sql;
	size_t i, n;

	(void)type;
	(void)stmt;
	for (i = 0; i < NELEM(marks); i++)
		if (strncmp(q, marks[i].sql, strlen(marks[i].sql)) == 0) {
			n = strlen(t->seen);
			snprintf(t->seen + n, sizeof(t->seen) - n, "%s",
			    marks[i].tag);
			break;
		}
	return 0;
}

/*
 * Issue 13: a scan writes its rows with SQLite's checks of the foreign
 * keys off (store_bulk(): the store checks the keys itself) and turns
 * them on again when it ends; a build with assertions leaves them on.
 */
static void
test_keys_off_in_scan(void **state)
{
	struct tset t;
	struct scan_opts o;
	struct scan_result res;
	struct fktrace tr;
	struct store *s;
	char err[ERRLEN];

	(void)state;
	tset_init(&t);
	tset_add(&t, "10.9.0.1", 0, "power", 0);
	opts_init(&o, &t);
	o.sectors = &world.sectors;
	s = open_ok(":memory:", STORE_WRITE);
	memset(&tr, 0, sizeof(tr));
	assert_int_equal(sqlite3_trace_v2(s->db, SQLITE_TRACE_STMT, fk_trace,
	    &tr), SQLITE_OK);
	if (scan_run(s, &o, &res, err, sizeof(err)) != 0)
		fail_msg("scan_run: %s", err);
	sqlite3_trace_v2(s->db, 0, NULL, NULL);
#ifdef NDEBUG
	assert_string_equal(tr.seen, "off cov on ");
#else
	assert_string_equal(tr.seen, "cov ");
#endif
	assert_int_equal(db_int(s->db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(run_status(s, res.run), RUN_COMPLETE);
	store_close(s);
}

/*
 * SNMP targets whose port never answers: each times out (channel and
 * probes), not assessed, the run complete; the per-sector probes and
 * rates (power: 5/s) do not change that.  A target without a channel in
 * the same run still has its no_channel row.
 */
static void
test_timeouts(void **state)
{
	struct tset t;
	struct scan_opts o;
	struct scan_result res;
	struct covtext c;
	struct store *s;
	char err[ERRLEN];

	(void)state;
	tset_init(&t);
	tset_add(&t, "127.0.0.1", world.sink_port, "power", 1);
	tset_add(&t, "10.9.0.3", 0, "power", 0);
	opts_init(&o, &t);
	o.sectors = &world.sectors;
	o.probes_override = 1;
	o.collect.probes = PROBE_BIT(PROBE_SYSTEM);
	s = open_ok(":memory:", STORE_WRITE);
	if (scan_run(s, &o, &res, err, sizeof(err)) != 0)
		fail_msg("scan_run: %s", err);
	assert_int_equal(res.targets, 2);
	assert_int_equal(res.assessed, 0);
	assert_int_equal(res.not_assessed, 2);
	assert_int_equal(run_status(s, res.run), RUN_COMPLETE);
	covtext(s, res.run, &c);
	if (strstr(c.buf, "10.9.0.3 snmp - no_channel\n") == NULL ||
	    strstr(c.buf, " snmp - timeout\n") == NULL ||
	    strstr(c.buf, " snmp system timeout\n") == NULL)
		fail_msg("coverage:\n%s", c.buf);
	assert_null(strstr(c.buf, " ok\n"));
	/*
	 * 2026-12-06: a scan of a few rows a host writes through a 1 MiB
	 * page cache (scan.c, FEW_ROWS_CACHE_KIB; issue 13).
	 */
	assert_int_equal(db_int(s->db, "PRAGMA cache_size"), -1024);
	store_close(s);
}

/*
 * A stop request (Ctrl-C) before any collector ran: the run is marked
 * incomplete, its hosts kept, the result says interrupted.
 */
static void
test_stopped(void **state)
{
	struct tset t;
	struct scan_opts o;
	struct scan_result res;
	struct store *s;
	volatile sig_atomic_t stop = 1;
	char err[ERRLEN];

	(void)state;
	tset_init(&t);
	tset_add(&t, "127.0.0.1", world.sink_port, "telecom", 1);
	opts_init(&o, &t);
	o.collect.probes = PROBE_BIT(PROBE_SYSTEM);
	o.collect.stop = &stop;
	s = open_ok(":memory:", STORE_WRITE);
	if (scan_run(s, &o, &res, err, sizeof(err)) != 0)
		fail_msg("scan_run: %s", err);
	assert_true(res.interrupted);
	assert_int_equal(res.targets, 1);
	assert_int_equal(res.not_assessed, 1);
	assert_int_equal(run_status(s, res.run), RUN_INCOMPLETE);
	assert_int_equal(hosts_of(s, res.run), 1);
	store_close(s);
}

/*
 * The same target twice (one host): the hosts are matched when the run is
 * read back at the end, not as each finishes; a neighbour probe: each
 * host's rows are parked and matched after locate, nothing read back.
 * Either way the run completes with every target's coverage.
 */
static void
test_read_back(void **state)
{
	struct tset t;
	struct scan_opts o;
	struct scan_result res;
	struct covtext c, w;
	struct store *s;
	char err[ERRLEN];

	(void)state;
	/* Two targets of one host (the same address and port). */
	tset_init(&t);
	tset_add(&t, "10.9.0.4", 0, "power", 0);
	tset_add(&t, "10.9.0.4", 0, "power", 0);
	opts_init(&o, &t);
	o.collect.probes = PROBE_BIT(PROBE_SYSTEM);
	s = open_ok(":memory:", STORE_WRITE);
	if (scan_run(s, &o, &res, err, sizeof(err)) != 0)
		fail_msg("scan_run: %s", err);
	assert_int_equal(res.targets, 2);
	assert_int_equal(hosts_of(s, res.run), 1);
	assert_int_equal(run_status(s, res.run), RUN_COMPLETE);
	store_close(s);

	/* A neighbour table asked of a silent target. */
	tset_init(&t);
	tset_add(&t, "127.0.0.1", world.sink_port, "telecom", 1);
	opts_init(&o, &t);
	o.collect.probes = PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_ARP);
	s = open_ok(":memory:", STORE_WRITE);
	if (scan_run(s, &o, &res, err, sizeof(err)) != 0)
		fail_msg("scan_run: %s", err);
	assert_int_equal(res.not_assessed, 1);
	assert_int_equal(res.located.devices, 0);
	assert_int_equal(res.read_back, 0);
	assert_int_equal(run_status(s, res.run), RUN_COMPLETE);
	covtext(s, res.run, &c);
	if (strstr(c.buf, " snmp arp timeout\n") == NULL)
		fail_msg("coverage:\n%s", c.buf);
	/* A table probe: the writer's own 4 MiB cache is kept. */
	assert_int_equal(db_int(s->db, "PRAGMA cache_size"), -4096);
	store_close(s);

	/* The same through the writer thread: the same coverage. */
	o.writer_thread = 1;
	s = open_ok(":memory:", STORE_WRITE);
	if (scan_run(s, &o, &res, err, sizeof(err)) != 0)
		fail_msg("scan_run: %s", err);
	assert_int_equal(res.not_assessed, 1);
	assert_int_equal(run_status(s, res.run), RUN_COMPLETE);
	covtext(s, res.run, &w);
	assert_string_equal(w.buf, c.buf);
	store_close(s);
}

/* Does any target read a neighbour table?  By sector, or --probes. */
static void
test_wants_neighbors(void **state)
{
	const struct sector_profile *power, *telecom;
	struct tset t;
	struct scan_opts o;

	(void)state;
	power = sector_set_find(&world.sectors, "power");
	telecom = sector_set_find(&world.sectors, "telecom");
	assert_non_null(power);
	assert_non_null(telecom);
	tset_init(&t);
	tset_add(&t, "10.9.0.5", 0, "power", 1);
	opts_init(&o, &t);

	/* No profiles: the global probes say. */
	o.collect.probes = PROBE_BIT(PROBE_SYSTEM);
	assert_false(scan_wants_neighbors(&o));
	o.collect.probes |= PROBE_BIT(PROBE_LLDP);
	assert_true(scan_wants_neighbors(&o));

	/* Profiles: the target's sector says, unless --probes. */
	o.sectors = &world.sectors;
	o.collect.probes = PROBE_BIT(PROBE_SYSTEM);
	assert_int_equal(scan_wants_neighbors(&o),
	    (power->probes & (PROBE_BIT(PROBE_ARP) | PROBE_BIT(PROBE_FDB) |
	    PROBE_BIT(PROBE_LLDP) | PROBE_BIT(PROBE_CDP) |
	    PROBE_BIT(PROBE_VLAN_FDB))) != 0);
	o.probes_override = 1;
	assert_false(scan_wants_neighbors(&o));
	o.probes_override = 0;
	/* A sector without a profile: the global probes. */
	t.v[0].h.sector = "nosuch";
	assert_false(scan_wants_neighbors(&o));
	o.collect.probes = PROBE_BIT(PROBE_ARP);
	assert_true(scan_wants_neighbors(&o));
	/* Telecom reads LLDP (its profile). */
	assert_true((telecom->probes & PROBE_BIT(PROBE_LLDP)) != 0);
	t.v[0].h.sector = "telecom";
	o.collect.probes = PROBE_BIT(PROBE_SYSTEM);
	assert_true(scan_wants_neighbors(&o));
}

/* The heap a scan reserves (heap.h). */
static void
test_heap_bytes(void **state)
{
	unsigned id = PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_ENTITY);

	(void)state;
	/* Per target: a walk's more than an identity scan's, both capped. */
	assert_true(scan_heap_bytes(10, id) < scan_heap_bytes(10,
	    PROBE_BIT(PROBE_SOFTWARE)));
	assert_true(scan_heap_bytes(1000000, id) <= (size_t)32 << 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_channel),
		cmocka_unit_test(test_keys_off_in_scan),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_stopped),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_wants_neighbors),
		cmocka_unit_test(test_heap_bytes),
	};

	log_init(LOG_QUIET);
	return cmocka_run_group_tests(tests, setup, teardown);
}
