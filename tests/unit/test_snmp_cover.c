/*
 * test_snmp_cover: what SNMP outcomes mean for coverage
 * (collectors/snmp_cover.c), without a network: how a step's outcome
 * folds into its probe's status (an absent table does not hide a table
 * read, a failed step beside one that worked or beside data is partial,
 * never failed, and the first failure's status is kept), which failure
 * a host that tried several profiles reports (authentication refused
 * over refused, unreachable, timeout, error, whatever the order) with
 * each profile named in the detail, and when an enterprise table is
 * another vendor's; a host's records when it finishes (every probe: read,
 * not applicable and why, not run; the channel's row with the profile,
 * what was tried first, notes) and when it ends early (mid-walk: read in
 * part; the rest not run).  The statuses against real peers:
 * t_snmp_status.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "snmp_int.h"

/* Folds the outcomes (status, got data) in turn; the probe's result. */
static struct probe_result
fold(const enum cov_status *s, const int *data, size_t n)
{
	struct probe_result r;
	size_t i;
	char d[32];

	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		snprintf(d, sizeof(d), "step %zu", i + 1);
		snmp_probe_merge(&r, s[i], data[i], d);
	}
	return r;
}

static void
test_probe_merge(void **state)
{
	static const struct {
		enum cov_status	 s[3];
		int		 data[3];
		size_t		 n;
		enum cov_status	 want;
	} tc[] = {
		/* One step: its status as it is. */
		{ { COV_TIMEOUT }, { 0 }, 1, COV_TIMEOUT },
		/* An absent table beside a table read: ok, either order. */
		{ { COV_NO_SUCH_TABLE, COV_OK }, { 0, 1 }, 2, COV_OK },
		{ { COV_OK, COV_NO_SUCH_TABLE }, { 1, 0 }, 2, COV_OK },
		/* Read in part beats ok. */
		{ { COV_OK, COV_PARTIAL }, { 1, 1 }, 2, COV_PARTIAL },
		{ { COV_PARTIAL, COV_OK }, { 1, 1 }, 2, COV_PARTIAL },
		/* A failure after a step that worked: partial. */
		{ { COV_OK, COV_TIMEOUT }, { 1, 0 }, 2, COV_PARTIAL },
		{ { COV_PARTIAL, COV_ERROR }, { 1, 0 }, 2, COV_PARTIAL },
		/* ... or a failure that still brought data. */
		{ { COV_NO_SUCH_TABLE, COV_TIMEOUT }, { 0, 1 }, 2,
		    COV_PARTIAL },
		/* A failure beside an absent table and no data: failed. */
		{ { COV_NO_SUCH_TABLE, COV_TIMEOUT }, { 0, 0 }, 2,
		    COV_TIMEOUT },
		/* Two failures: the first one's status stays. */
		{ { COV_TIMEOUT, COV_AUTH_FAILED }, { 0, 0 }, 2, COV_TIMEOUT },
		/* A failure and then a step that worked: partial. */
		{ { COV_TIMEOUT, COV_OK, COV_NO_SUCH_TABLE }, { 0, 1, 0 }, 3,
		    COV_PARTIAL },
	};
	struct probe_result r;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(tc); i++) {
		r = fold(tc[i].s, tc[i].data, tc[i].n);
		if (r.status != tc[i].want)
			fail_msg("case %zu: %s, want %s", i,
			    cov_status_name(r.status),
			    cov_status_name(tc[i].want));
		assert_int_equal(r.set, 1);
	}
	/* Every step's detail, in order. */
	r = fold(tc[10].s, tc[10].data, 3);
	assert_string_equal(r.detail, "step 1; step 2; step 3");
}

static void
test_profile_failed(void **state)
{
	static const struct {
		enum cov_status	 s[3];
		enum cov_status	 want;
	} tc[] = {
		{ { COV_TIMEOUT, COV_AUTH_FAILED, COV_ERROR }, COV_AUTH_FAILED },
		{ { COV_ERROR, COV_TIMEOUT, COV_ERROR }, COV_TIMEOUT },
		{ { COV_TIMEOUT, COV_UNREACHABLE, COV_ERROR },
		    COV_UNREACHABLE },
		{ { COV_UNREACHABLE, COV_REFUSED, COV_TIMEOUT }, COV_REFUSED },
		{ { COV_ERROR, COV_ERROR, COV_ERROR }, COV_ERROR },
	};
	static char *profs[] = { "v3-ops", "public" };
	struct target t;
	struct host h;
	size_t i, k;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.snmp_profiles = profs;
	t.nsnmp_profiles = 2;
	for (i = 0; i < NELEM(tc); i++) {
		memset(&h, 0, sizeof(h));
		h.t = &t;
		for (k = 0; k < 3; k++) {
			/* Two profiles, then the host itself (no profile). */
			h.prof = k < 2 ? (int)k : -1;
			snmp_profile_failed(&h, tc[i].s[k], k == 0 ? "first" :
			    k == 1 ? "second" : "the host");
		}
		if (h.fail != tc[i].want)
			fail_msg("case %zu: %s, want %s", i,
			    cov_status_name(h.fail),
			    cov_status_name(tc[i].want));
		assert_int_equal(h.nfail, 3);
		assert_string_equal(h.faildetail, "v3-ops: first; public: "
		    "second; the host");
	}
}

static void
test_enterprise_missing(void **state)
{
	/* A Hikvision (39165) private table, and one too short to say. */
	static const struct snmp_object hik[] = {
		{ { 1, 3, 6, 1, 4, 1, 39165, 1, 1 }, 9, "model", VAL_TEXT },
	};
	static const struct snmp_object shortobj[] = {
		{ { 1, 3, 6, 1, 4, 1 }, 6, "x", VAL_TEXT },
	};
	struct snmp_step st;
	struct host h;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(&h, 0, sizeof(h));
	st.obj = hik;
	st.nobj = 1;
	/* Not an enterprise-gated step: never missing. */
	assert_false(snmp_enterprise_missing(&h, &st));
	st.flags = SNMP_STEP_IF_ENTERPRISE;
	/* No enterprise seen: another vendor's table. */
	assert_true(snmp_enterprise_missing(&h, &st));
	h.ents[0] = 2011;	/* Huawei */
	h.nents = 1;
	assert_true(snmp_enterprise_missing(&h, &st));
	h.ents[1] = 39165;
	h.nents = 2;
	assert_false(snmp_enterprise_missing(&h, &st));
	/* A step with no objects, or an object that names no vendor. */
	st.nobj = 0;
	assert_false(snmp_enterprise_missing(&h, &st));
	st.obj = shortobj;
	st.nobj = 1;
	h.nents = 0;
	assert_false(snmp_enterprise_missing(&h, &st));
}

/* ---- a host's coverage records when it finishes ---- */

struct rec {
	char	 lines[2048];	/* "probe|status|detail\n" */
	size_t	 n, done;
};

static int
on_cover(void *arg, size_t t, const struct coverage *cv)
{
	struct rec *r = arg;
	size_t at = strlen(r->lines);

	assert_int_equal(t, 3);
	snprintf(r->lines + at, sizeof(r->lines) - at, "%s|%s|%s\n",
	    cv->probe, cov_status_name(cv->status), cv->detail);
	r->n++;
	return 0;
}

static void
on_done(void *arg, size_t t)
{
	struct rec *r = arg;

	assert_int_equal(t, 3);
	r->done++;
}

struct hfix {
	struct snmp_ctx		 c;
	struct host		*free[1];
	struct target		 t;
	struct cred_profile	 cp;
	struct host		 h;
	struct probe_result	 res[PROBE__COUNT + 1];
	struct rec		 r;
};

static char *city[] = { "city-v2" };

static void
hfix_init(struct hfix *f, unsigned probes)
{
	memset(f, 0, sizeof(*f));
	f->c.steps = (struct snmp_step *)(uintptr_t)snmp_steps;
	f->c.sink.arg = &f->r;
	f->c.sink.cover = on_cover;
	f->c.sink.done = on_done;
	f->c.free = f->free;
	f->c.active = 1;
	f->c.epfd = -1;
	f->t.snmp_profiles = city;
	f->t.nsnmp_profiles = 1;
	f->cp.version = SNMP_V2C;
	snmp_res_map(&f->c, probes);
	f->h.c = &f->c;
	f->h.res = f->res;
	f->h.t = &f->t;
	f->h.target = 3;
	f->h.state = HS_BETWEEN;
	f->h.probes = probes;
	f->h.heap_idx = SIZE_MAX;
	f->h.fd = -1;
}

/*
 * A host's results have a place for each probe of the scan, one apiece,
 * and one that every other probe shares: results never mix.
 */
static void
test_res_map(void **state)
{
	struct snmp_ctx c;
	struct host h[2];
	struct probe_result res[2 * 3];
	size_t p;

	(void)state;
	memset(&c, 0, sizeof(c));
	snmp_res_map(&c, PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_FDB));
	assert_int_equal(c.nres, 3);
	assert_true(c.res_of[PROBE_SYSTEM] < 2 && c.res_of[PROBE_FDB] < 2);
	assert_int_not_equal(c.res_of[PROBE_SYSTEM], c.res_of[PROBE_FDB]);
	for (p = 0; p < PROBE__COUNT; p++)
		if (p != PROBE_SYSTEM && p != PROBE_FDB)
			assert_int_equal(c.res_of[p], 2);
	memset(h, 0, sizeof(h));
	memset(res, 0, sizeof(res));
	h[0].c = h[1].c = &c;
	h[0].res = res;
	h[1].res = res + c.nres;
	snmp_probe_merge(snmp_res(&h[0], PROBE_SYSTEM), COV_OK, 1, "a");
	snmp_probe_merge(snmp_res(&h[0], PROBE_FDB), COV_TIMEOUT, 0, "b");
	snmp_probe_merge(snmp_res(&h[1], PROBE_FDB), COV_PARTIAL, 1, "c");
	assert_int_equal(snmp_res(&h[0], PROBE_SYSTEM)->status, COV_OK);
	assert_int_equal(snmp_res(&h[0], PROBE_FDB)->status, COV_TIMEOUT);
	assert_int_equal(snmp_res(&h[1], PROBE_FDB)->status, COV_PARTIAL);
	assert_false(snmp_res(&h[1], PROBE_SYSTEM)->set);
	assert_false(snmp_res(&h[0], PROBE_ARP)->set);
}

#define HAS(r, x)	do {						\
	if (strstr((r)->lines, x "\n") == NULL)				\
		fail_msg("no \"%s\" in:\n%s", x, (r)->lines);		\
} while (0)

static void
test_host_finish(void **state)
{
	struct hfix f;

	(void)state;
	hfix_init(&f, PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_SOFTWARE) |
	    PROBE_BIT(PROBE_VENDOR) | PROBE_BIT(PROBE_ARP) |
	    PROBE_BIT(PROBE_FDB) | PROBE_BIT(PROBE_VLAN_FDB) |
	    PROBE_BIT(PROBE_ENTERPRISE) | PROBE_BIT(PROBE_UPS) |
	    PROBE_BIT(PROBE_ONU));
	f.h.authed = &f.cp;
	f.h.varbinds = 10;
	f.h.requests = 1;
	snmp_probe_merge(snmp_res(&f.h, PROBE_SYSTEM), COV_OK, 1, "7 values");
	snmp_probe_merge(snmp_res(&f.h, PROBE_SOFTWARE), COV_PARTIAL, 1,
	    "3 rows; truncated at max_rows 3");
	/* A neighbour table read although the host is no router. */
	snmp_probe_merge(snmp_res(&f.h, PROBE_FDB), COV_NO_SUCH_TABLE, 0,
	    "table absent or empty");
	f.h.vendor_skipped = 1;
	f.h.netdev_skipped = 1;
	f.h.vlan_na = 1;
	f.h.ent_skipped = PROBE_BIT(PROBE_ONU);
	f.h.nfail = 1;
	str_copy(f.h.faildetail, "v3: no response to SNMPv3 engine discovery",
	    sizeof(f.h.faildetail));
	str_copy(f.h.notes, "SNMPv3 engine ID also seen on 10.0.0.9",
	    sizeof(f.h.notes));
	str_copy(f.c.limit_note, "concurrency limited to 10",
	    sizeof(f.c.limit_note));
	snmp_host_finish(&f.c, &f.h);
	HAS(&f.r, "system|ok|7 values");
	HAS(&f.r, "software|partial|3 rows; truncated at max_rows 3");
	HAS(&f.r, "vendor|ok|not applicable: identity does not call for "
	    "camera vendor MIBs");
	HAS(&f.r, "arp|ok|not applicable: not a router or bridge "
	    "(sysServices, ipForwarding, dot1dBaseNumPorts, LLDP "
	    "capabilities): tables not walked");
	HAS(&f.r, "fdb|no_such_table|table absent or empty; not a router or "
	    "bridge (sysServices, ipForwarding, dot1dBaseNumPorts, LLDP "
	    "capabilities): tables not walked");
	HAS(&f.r, "vlan-fdb|ok|not applicable: dot1qTpFdbTable holds every "
	    "VLAN's entries");
	HAS(&f.r, "enterprise|ok|not applicable: the rule pack names no "
	    "vendor subtree");
	HAS(&f.r, "onu|ok|not applicable: no vendor whose tables this probe "
	    "reads (sysObjectID, vendor subtrees)");
	HAS(&f.r, "ups|error|not run");
	/* The channel's row: partial (software, ups), what was tried. */
	HAS(&f.r, "|partial|profile city-v2 (SNMPv2c); 10 varbinds in 1 "
	    "request; tried first: v3: no response to SNMPv3 engine "
	    "discovery; SNMPv3 engine ID also seen on 10.0.0.9; concurrency "
	    "limited to 10");
	assert_int_equal(f.r.n, 10);
	assert_int_equal(f.r.done, 1);
	assert_int_equal(f.h.state, HS_FREE);
	assert_int_equal(f.c.active, 0);
	assert_int_equal(f.c.ndone, 1);
	assert_ptr_equal(f.c.free[0], &f.h);

	/* No profile worked, none was tried: every row says why. */
	hfix_init(&f, PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_SOFTWARE));
	f.h.prof = -1;
	snmp_host_finish(&f.c, &f.h);
	HAS(&f.r, "system|error|no SNMP credential profile");
	HAS(&f.r, "software|error|no SNMP credential profile");
	HAS(&f.r, "|error|no SNMP credential profile");
	assert_int_equal(f.r.n, 3);
}

/*
 * 2026-12-06: the channel row's "profile P (SNMPvV); N varbinds in R
 * requests" is written out by hand (issue 13); it is what snprintf made,
 * cut where snprintf cut it when the profile's name is long.
 */
#define SUMMARY_MAX	(FAIL_MAX + NOTES_MAX + 160)	/* its buffer's size */
static void
test_host_finish_summary(void **state)
{
	static char name[SUMMARY_MAX + 40], *names[] = { name };
	char want[SUMMARY_MAX], line[SUMMARY_MAX + 8];
	struct hfix f;

	(void)state;
	hfix_init(&f, PROBE_BIT(PROBE_SYSTEM));
	f.h.authed = &f.cp;
	f.h.varbinds = ULONG_MAX;
	f.h.requests = 10;
	snmp_probe_merge(snmp_res(&f.h, PROBE_SYSTEM), COV_OK, 1, "7 values");
	snmp_host_finish(&f.c, &f.h);
	HAS(&f.r, "|ok|profile city-v2 (SNMPv2c); 18446744073709551615 "
	    "varbinds in 10 requests");
	/* A name that leaves room for part of the rest, or for none. */
	for (size_t n = SUMMARY_MAX - 40; n < sizeof(name); n += 7) {
		memset(name, 'p', n);
		name[n] = '\0';
		hfix_init(&f, PROBE_BIT(PROBE_SYSTEM));
		f.t.snmp_profiles = names;
		f.h.authed = &f.cp;
		f.h.varbinds = 7;
		f.h.requests = 1;
		snmp_probe_merge(snmp_res(&f.h, PROBE_SYSTEM), COV_OK, 1,
		    "7 values");
		snmp_host_finish(&f.c, &f.h);
		/* snprintf's cut: its length is what it would have written. */
		assert_true(snprintf(want, sizeof(want), "profile %s (SNMPv2c); "
		    "7 varbinds in 1 request", name) > (int)n);
		snprintf(line, sizeof(line), "|ok|%s\n", want);
		if (strstr(f.r.lines, line) == NULL)
			fail_msg("no \"%s\" in:\n%s", line, f.r.lines);
	}
}

static void
test_host_abort(void **state)
{
	struct hfix f;
	size_t sw;

	(void)state;
	/* Out of time while trying the profile: the profile failed so. */
	hfix_init(&f, PROBE_BIT(PROBE_SYSTEM));
	f.h.state = HS_AUTH;
	snmp_host_abort(&f.c, &f.h, COV_TIMEOUT, "host time budget of 500 "
	    "ms exhausted");
	HAS(&f.r, "system|timeout|city-v2: host time budget of 500 ms "
	    "exhausted");
	HAS(&f.r, "|timeout|city-v2: host time budget of 500 ms exhausted");
	/* Mid-walk of the software table: read in part, the rest not run. */
	hfix_init(&f, PROBE_BIT(PROBE_SYSTEM) | PROBE_BIT(PROBE_SOFTWARE) |
	    PROBE_BIT(PROBE_UPS));
	f.h.authed = &f.cp;
	for (sw = 0; sw < snmp_nsteps; sw++)
		if (snmp_steps[sw].probe == PROBE_SOFTWARE)
			break;
	assert_true(sw < snmp_nsteps);
	f.h.state = HS_STEP;
	f.h.step = sw;
	f.h.rows = 2;
	snmp_probe_merge(snmp_res(&f.h, PROBE_SYSTEM), COV_OK, 1, "7 values");
	snmp_host_abort(&f.c, &f.h, COV_TIMEOUT, "interrupted");
	HAS(&f.r, "system|ok|7 values");
	HAS(&f.r, "software|partial|interrupted; after 2 rows");
	HAS(&f.r, "ups|timeout|not run: interrupted");
	HAS(&f.r, "|partial|profile city-v2 (SNMPv2c); 0 varbinds in 0 "
	    "requests");
	assert_int_equal(f.r.done, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_merge),
		cmocka_unit_test(test_profile_failed),
		cmocka_unit_test(test_enterprise_missing),
		cmocka_unit_test(test_res_map),
		cmocka_unit_test(test_host_finish),
		cmocka_unit_test(test_host_finish_summary),
		cmocka_unit_test(test_host_abort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
