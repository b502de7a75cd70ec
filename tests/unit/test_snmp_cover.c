/*
 * test_snmp_cover: what SNMP outcomes mean for coverage
 * (collectors/snmp_cover.c), without a network: how a step's outcome
 * folds into its probe's status (an absent table does not hide a table
 * read, a failed step beside one that worked or beside data is partial,
 * never failed, and the first failure's status is kept), which failure
 * a host that tried several profiles reports (authentication refused
 * over refused, unreachable, timeout, error, whatever the order) with
 * each profile named in the detail, and when an enterprise table is
 * another vendor's.  The statuses against real peers: t_snmp_status.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
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
	struct target t;
	struct host h;
	size_t i, k;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.snmp_profiles[0] = "v3-ops";
	t.snmp_profiles[1] = "public";
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_merge),
		cmocka_unit_test(test_profile_failed),
		cmocka_unit_test(test_enterprise_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
