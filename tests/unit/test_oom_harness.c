/*
 * Unit tests for the allocation-failure harness itself (oom.c): without
 * a harness that fails what it says, every test_oom_* binary would prove
 * nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>

#include "oom.h"
#include "util.h"

/* The library's allocations fail: the Nth one, once. */
static void
test_ours(void **state)
{
	char *p, *q, *r;

	(void)state;
	oom_arm(OOM_OURS, 2);
	p = str_dup("x");	/* through the library: not optimised out */
	q = str_dup("y");
	r = str_dup("z");
	oom_disarm();
	assert_non_null(p);
	assert_null(q);
	assert_non_null(r);
	assert_true(oom_fired());
	assert_int_equal(oom_count(), 3);
	free(p);
	free(r);
}

/* A realloc that shrinks never fails; one that grows does. */
static void
test_shrink(void **state)
{
	char *p, *q;

	(void)state;
	p = malloc(4096);
	assert_non_null(p);
	oom_arm(OOM_OURS, 1);
	q = realloc(p, 16);
	assert_non_null(q);
	assert_false(oom_fired());
	p = realloc(q, 1 << 20);
	oom_disarm();
	if (p == NULL)
		free(q);
	else
		free(p);
	assert_null(p);
	assert_true(oom_fired());
}

/* SQLite's allocations are counted apart from ours. */
static void
test_sqlite(void **state)
{
	sqlite3 *db = NULL;
	int rc;

	(void)state;
	assert_int_equal(oom_hook_sqlite(), 0);
	oom_arm(OOM_SQLITE, 1);
	rc = sqlite3_open(":memory:", &db);
	oom_disarm();
	assert_int_not_equal(rc, SQLITE_OK);
	assert_true(oom_fired());
	sqlite3_close(db);
	oom_arm(OOM_OURS, 1);
	rc = sqlite3_open(":memory:", &db);
	oom_disarm();
	assert_int_equal(rc, SQLITE_OK);
	assert_false(oom_fired());
	sqlite3_close(db);
}

/* jansson's allocations fail through the harness. */
static void
test_jansson(void **state)
{
	json_t *o;

	(void)state;
	oom_hook_jansson();
	oom_arm(OOM_JANSSON, 1);
	o = json_object();
	oom_disarm();
	assert_null(o);
	assert_true(oom_fired());
}

/* Three allocations, each checked: what a scenario must look like. */
static int
three(void *arg, char *err, size_t errlen)
{
	char *v[3];
	int i, n = 0;

	(void)arg;
	for (i = 0; i < 3; i++) {
		v[i] = str_dup("abc");
		if (v[i] != NULL)
			n++;
	}
	for (i = 0; i < 3; i++)
		free(v[i]);
	if (n != 3)
		return errf(err, errlen, "out of memory");
	return 0;
}

static void
test_each(void **state)
{
	(void)state;
	assert_int_equal(oom_each("three", OOM_OURS, three, NULL, NULL), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ours),
		cmocka_unit_test(test_shrink),
		cmocka_unit_test(test_sqlite),
		cmocka_unit_test(test_jansson),
		cmocka_unit_test(test_each),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
