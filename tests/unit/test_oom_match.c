/*
 * Unit tests for the project's own allocation failures while the rule
 * pack loads (match/: the rows, the compiled patterns, the index of
 * signatures by field and each field's one-pass scan, sigscan.h), on the
 * harness of the test_oom_*.c binaries (oom.h): for each N tried, the
 * load returns -1 with a message and no pack, or it copes and gives the
 * pack it gives without a failure, whose scans answer as without one.
 * Under SAN=1 LeakSanitizer checks that every failure path frees what it
 * took.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "match.h"
#include "oom.h"
#include "rules.h"
#include "util.h"

static int
load_scenario(void *arg, char *err, size_t errlen)
{
	struct rule_pack *p = NULL;
	struct observation o;
	int rc;

	(void)arg;
	rc = rules_load("rules", &p, err, errlen);
	if (rc != 0) {
		assert_null(p);
		return rc;
	}
	/* A loaded pack's scans work: a sysDescr naming ZTE counts. */
	memset(&o, 0, sizeof(o));
	o.kind = OBS_SYSTEM;
	o.attr = "descr";
	o.value = "ZTE ZXR10 8905E Software";
	o.len = strlen(o.value);
	assert_int_equal(match_row_counts(p, &o), 1);
	o.value = "Linux host00001 6.1.0-18-amd64";
	o.len = strlen(o.value);
	assert_int_equal(match_row_counts(p, &o), 0);
	rules_free(p);
	return 0;
}

/*
 * Every one of the last 400 allocations (the index and the fields'
 * scans come last), and about 100 spread over the rows before them.
 */
static long
step(long n, long total)
{
	long stride = total / 100;

	if (n >= total - 400 || stride < 1)
		return n + 1;
	return n + stride;
}

static void
test_rules_load(void **state)
{
	(void)state;
	assert_true(oom_each("rules_load", OOM_OURS, load_scenario, NULL,
	    step) > 400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
