/*
 * Unit tests for juris: jurisdiction codes, which regulations cover a
 * host, whether one is in force on a day (effective dates, repeals), and
 * what a regulation's party means for a host's owner.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "juris.h"
#include "util.h"

static void
test_parse(void **state)
{
	char buf[JURIS_LEN];

	(void)state;
	assert_int_equal(juris_parse("us-tx", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "US-TX");
	assert_int_equal(juris_parse("US", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "US");
	assert_int_equal(juris_parse("US-T", buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	assert_int_equal(juris_parse("US-TX1", buf, sizeof(buf)), -1);
	assert_int_equal(juris_parse("US_TX", buf, sizeof(buf)), -1);
	assert_int_equal(juris_parse("CA-ON", buf, sizeof(buf)), -1);
	assert_int_equal(juris_parse("US-1X", buf, sizeof(buf)), -1);
	assert_int_equal(juris_parse("", buf, sizeof(buf)), -1);
	assert_int_equal(juris_parse(NULL, buf, sizeof(buf)), -1);
	assert_int_equal(juris_parse("US-TX", buf, 3), -1);
}

static void
test_covers(void **state)
{
	(void)state;
	/* Federal law covers every host, with or without a state. */
	assert_true(juris_covers("US", "US-TX"));
	assert_true(juris_covers("US", "US"));
	assert_true(juris_covers("US", NULL));
	assert_true(juris_covers("US", ""));
	/* A state's only its own hosts. */
	assert_true(juris_covers("US-TX", "US-TX"));
	assert_true(juris_covers("US-TX", "us-tx"));
	assert_false(juris_covers("US-TX", "US-MD"));
	assert_false(juris_covers("US-TX", "US"));
	assert_false(juris_covers("US-TX", NULL));
	assert_false(juris_covers("", "US-TX"));
	assert_true(juris_is_state("US-NH"));
	assert_false(juris_is_state("US"));
}

static void
test_in_force(void **state)
{
	(void)state;
	assert_true(juris_in_force("2022-12-14", "2025-10-01", "2025-09-30"));
	assert_true(juris_in_force("2022-12-14", "2025-10-01", "2022-12-14"));
	/* Not yet, and no longer (from the day of the repeal). */
	assert_false(juris_in_force("2022-12-14", "2025-10-01",
	    "2022-12-13"));
	assert_false(juris_in_force("2022-12-14", "2025-10-01",
	    "2025-10-01"));
	assert_true(juris_in_force("", NULL, "1999-01-01"));
	assert_true(juris_in_force(NULL, "", "2030-01-01"));
}

static void
test_scope(void **state)
{
	char buf[256];
	int fed = juris_party("federal-agencies");
	int state_ag = juris_party("state-agencies");
	unsigned owners = JURIS_PARTY_BIT(state_ag);

	(void)state;
	assert_true(fed >= 0 && state_ag >= 0);
	assert_int_equal(juris_party("nobody"), -1);
	assert_int_equal(juris_party(NULL), -1);
	juris_scope(state_ag, owners, 1, buf, sizeof(buf));
	assert_string_equal(buf, "obligation (state executive agencies)");
	juris_scope(fed, owners, 1, buf, sizeof(buf));
	assert_string_equal(buf, "background (binds federal agencies)");
	juris_scope(fed, 0, 0, buf, sizeof(buf));
	assert_string_equal(buf, "applies to federal agencies (owner's kind "
	    "not given)");
	/* Funding: a condition whoever the owner is, never an obligation. */
	juris_scope(juris_party("federal-funding"), owners, 1, buf,
	    sizeof(buf));
	assert_string_equal(buf, "funding condition (recipients of federal "
	    "grants and loans)");
	juris_scope(juris_party("fcc-funding"), ~0u, 1, buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "funding condition", 17), 0);
	juris_scope(juris_party("vendor"), ~0u, 1, buf, sizeof(buf));
	assert_string_equal(buf, "background (binds the vendor, not its "
	    "users)");
	juris_scope(juris_party("us-persons"), 0, 1, buf, sizeof(buf));
	assert_string_equal(buf, "obligation (all US persons)");
	assert_int_equal(juris_party_effect(juris_party("advisory")),
	    EFFECT_BACKGROUND);
}

/*
 * Issue 16: the edges.  A party number no table row has (a corrupt or
 * newer database's) reads as "?" and as background, never as an
 * obligation; parse refuses near misses and leaves an empty buffer.
 */
static void
test_edges(void **state)
{
	static const char *const near[] = {
		"UX", "XS", "US-T1", "US-TXX", "USA", "U", "US-",
	};
	char buf[16] = "x", scope[128];
	size_t i;
	int n = juris_party("advisory") + 1;

	(void)state;
	for (i = 0; i < NELEM(near); i++) {
		memset(buf, 'x', sizeof(buf));
		if (juris_parse(near[i], buf, sizeof(buf)) != -1)
			fail_msg("'%s' parsed as '%s'", near[i], buf);
		assert_string_equal(buf, "");
	}
	/* No room at all: nothing written. */
	buf[0] = 'x';
	assert_int_equal(juris_parse("US", buf, 0), -1);
	assert_int_equal(buf[0], 'x');
	assert_false(juris_is_state(NULL));
	assert_false(juris_covers(NULL, "US-TX"));
	assert_string_equal(juris_party_name(-1), "?");
	assert_string_equal(juris_party_name(n), "?");
	assert_string_equal(juris_party_text(n), "?");
	assert_string_equal(juris_party_text(-1), "?");
	assert_int_equal(juris_party_effect(n), EFFECT_BACKGROUND);
	assert_int_equal(juris_party_effect(-1), EFFECT_BACKGROUND);
	juris_scope(n, ~0u, 1, scope, sizeof(scope));
	assert_string_equal(scope, "background (?)");
	assert_non_null(strstr(juris_party_list(), "advisory"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_covers),
		cmocka_unit_test(test_in_force),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
