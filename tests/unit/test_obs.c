/*
 * test_obs: the names the database, the rule pack and the reports share
 * (channels, observation kinds and their attributes, value types,
 * coverage statuses, probes), each read back as itself and anything else
 * refused; and the one rule of how far a host was assessed, from its
 * coverage rows, that every count of assessed hosts uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "obs.h"
#include "util.h"

/* Every name round-trips; out-of-range values and strangers do not. */
static void
test_names(void **state)
{
	enum channel c;
	enum obs_kind k;
	enum value_type v;
	enum cov_status s;
	enum probe p;
	int i;

	(void)state;
	for (i = 0; i < CHAN__COUNT; i++) {
		assert_int_equal(channel_from_name(channel_name(i), &c), 0);
		assert_int_equal(c, i);
	}
	for (i = 0; i < OBS__COUNT; i++) {
		assert_int_equal(obs_kind_from_name(obs_kind_name(i), &k), 0);
		assert_int_equal(k, i);
	}
	for (i = 0; i < VAL__COUNT; i++) {
		assert_int_equal(value_type_from_name(value_type_name(i), &v),
		    0);
		assert_int_equal(v, i);
	}
	for (i = 0; i < COV__COUNT; i++) {
		assert_int_equal(cov_status_from_name(cov_status_name(i), &s),
		    0);
		assert_int_equal(s, i);
	}
	for (i = 0; i < PROBE__COUNT; i++) {
		assert_int_equal(probe_from_name(probe_name(i), &p), 0);
		assert_int_equal(p, i);
	}
	assert_string_equal(channel_name(CHAN__COUNT), "?");
	assert_string_equal(obs_kind_name((enum obs_kind)-1), "?");
	assert_string_equal(value_type_name(VAL__COUNT), "?");
	assert_string_equal(cov_status_name(COV__COUNT), "?");
	assert_string_equal(probe_name(PROBE__COUNT), "?");
	assert_int_equal(channel_from_name("pigeon", &c), -1);
	assert_int_equal(channel_from_name(NULL, &c), -1);
	assert_int_equal(obs_kind_from_name("SOFTWARE ", &k), -1);
	assert_int_equal(obs_kind_from_name(NULL, &k), -1);
	assert_int_equal(value_type_from_name("float", &v), -1);
	assert_int_equal(cov_status_from_name("sleepy", &s), -1);
	assert_int_equal(cov_status_from_name(NULL, &s), -1);
	assert_int_equal(probe_from_name("everything", &p), -1);
}

/* "kind.attr" fields of the rule pack: only known pairs. */
static void
test_fields(void **state)
{
	static const char *const bad[] = {
		"software", ".name", "software.", "software.colour",
		"bogus.name", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.name",
		"process.version", "",
	};
	enum obs_kind k;
	const char *attr;
	size_t i;

	(void)state;
	assert_int_equal(obs_field_parse("software.name", &k, &attr), 0);
	assert_int_equal(k, OBS_SOFTWARE);
	assert_string_equal(attr, "name");
	assert_int_equal(obs_field_parse("system.descr", &k, &attr), 0);
	assert_int_equal(k, OBS_SYSTEM);
	for (i = 0; i < NELEM(bad); i++)
		if (obs_field_parse(bad[i], &k, &attr) != -1)
			fail_msg("'%s' parsed", bad[i]);
	assert_int_equal(obs_field_parse(NULL, &k, &attr), -1);
	assert_true(obs_attr_valid(OBS_NEIGHBOR, "mac"));
	assert_false(obs_attr_valid(OBS_NEIGHBOR, NULL));
	assert_false(obs_attr_valid(OBS__COUNT, "mac"));
}

/*
 * The assessment rule (obs.h), one case per branch.  A summary row is
 * probe "" (or NULL).
 */
static void
test_assess(void **state)
{
	static const struct {
		size_t		 n;
		const char	*probe[2];
		enum cov_status	 st[2];
		int		 discovered;
		enum assess_level want;
	} t[] = {
		/* No coverage: not assessed, unless only seen by others. */
		{ 0, { NULL }, { 0 }, 0, ASSESS_NONE },
		{ 0, { NULL }, { 0 }, 1, ASSESS_NEIGHBOUR },
		/* Summary rows decide, whatever the probes say. */
		{ 2, { "", "software" }, { COV_OK, COV_TIMEOUT }, 0,
		    ASSESS_FULL },
		{ 2, { "", "" }, { COV_OK, COV_PARTIAL }, 0, ASSESS_PARTIAL },
		{ 2, { "", "system" }, { COV_TIMEOUT, COV_OK }, 0,
		    ASSESS_NONE },
		{ 2, { NULL, "software" }, { COV_AUTH_FAILED, COV_OK }, 0,
		    ASSESS_NONE },
		/* Without them, the probe rows. */
		{ 2, { "system", "software" }, { COV_OK, COV_OK }, 1,
		    ASSESS_FULL },
		{ 2, { "system", "software" }, { COV_OK, COV_TIMEOUT }, 0,
		    ASSESS_PARTIAL },
		{ 2, { "system", "software" }, { COV_PARTIAL, COV_PARTIAL }, 0,
		    ASSESS_PARTIAL },
		{ 2, { "system", "software" }, { COV_REFUSED,
		    COV_NO_SUCH_TABLE }, 0, ASSESS_NONE },
	};
	struct assess_acc a;
	size_t i, k;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		memset(&a, 0, sizeof(a));
		for (k = 0; k < t[i].n; k++)
			assess_add(&a, t[i].probe[k], t[i].st[k]);
		if (assess_level(&a, t[i].discovered) != t[i].want)
			fail_msg("case %zu: %d, want %d", i,
			    assess_level(&a, t[i].discovered), t[i].want);
	}
	assert_true(cov_assessed(COV_OK));
	assert_true(cov_assessed(COV_PARTIAL));
	assert_false(cov_assessed(COV_RATE_LIMITED));
}

/* Every probe, listed for a message; cut to fit. */
static void
test_probe_list(void **state)
{
	char buf[512], small[16];

	(void)state;
	probe_names_list(buf, sizeof(buf));
	assert_non_null(strstr(buf, "system"));
	assert_non_null(strstr(buf, "vlan-fdb"));
	probe_names_list(small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
	assert_int_equal(strncmp(small, buf, strlen(small)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_assess),
		cmocka_unit_test(test_probe_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
