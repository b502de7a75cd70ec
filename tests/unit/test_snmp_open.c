/*
 * test_snmp_open: what the SNMP collector's open() refuses before it
 * sends anything -- the rule pack's vendor subtrees (too many for one
 * request, or not an OID the probe can ask for) -- each with the message
 * a user sees; and the subtrees it takes.  The collector against peers:
 * t_snmp_engine.sh, t_snmp_status.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "snmp.h"
#include "util.h"

static int
on_obs(void *arg, size_t t, enum channel ch, const struct observation *o)
{
	(void)arg;
	(void)t;
	(void)ch;
	(void)o;
	return -1;
}

static int
on_cover(void *arg, size_t t, const struct coverage *cv)
{
	size_t *n = arg;

	(void)t;
	assert_non_null(strstr(cv->detail, "interrupted"));
	(*n)++;
	return 0;
}

/* open() with these subtrees: its return, err set. */
static int
open_with(const char *const *subtrees, size_t n, char *err, size_t errlen,
    size_t *rows)
{
	char *prof[] = { "p" };
	struct target tv;
	struct target_list tl;
	struct cred_profile cp;
	struct cred_set cs;
	struct collect_opts o;
	struct collect_sink sink = { NULL, on_obs, on_cover, NULL, NULL };
	volatile sig_atomic_t stop = 1;
	void *ctx = NULL;
	int rc;

	memset(&tv, 0, sizeof(tv));
	tv.h.address = "192.0.2.1";	/* never contacted */
	tv.family = AF_INET;
	tv.snmp_profiles = prof;
	tv.nsnmp_profiles = 1;
	tl.v = &tv;
	tl.n = 1;
	memset(&cp, 0, sizeof(cp));
	cp.name = "p";
	cp.type = CRED_SNMP;
	cp.version = SNMP_V2C;
	cp.community = "x";
	cs.v = &cp;
	cs.n = 1;
	collect_opts_default(&o);
	o.subtrees = subtrees;
	o.nsubtrees = n;
	o.stop = &stop;
	*rows = 0;
	sink.arg = rows;
	err[0] = '\0';
	rc = snmp_collector.open(&ctx, &o, &tl, &cs, &sink, err, errlen);
	if (rc != 0) {
		assert_null(ctx);
		return rc;
	}
	rc = snmp_collector.poll(ctx, 1000, err, errlen);
	snmp_collector.close(ctx);
	return rc;
}

static void
test_subtrees(void **state)
{
	const char *many[SNMP_MAX_OBJECTS + 1];
	static const char *const bad[] = { "1.3.6.1.4.1.2011", "1.3.x" };
	static const char *const longer[] = {
	    "1.3.6.1.4.1.1.2.3.4.5.6.7.8.9.10.11.12.13.14.15" };
	static const char *const good[] = { "1.3.6.1.4.1.2011",
	    ".1.3.6.1.4.1.3902" };
	char err[ERRLEN];
	size_t i, rows;

	(void)state;
	for (i = 0; i < NELEM(many); i++)
		many[i] = "1.3.6.1.4.1.2011";
	assert_int_equal(open_with(many, NELEM(many), err, sizeof(err),
	    &rows), -1);
	assert_string_equal(err, "17 vendor subtrees: at most 16");
	assert_int_equal(open_with(bad, NELEM(bad), err, sizeof(err), &rows),
	    -1);
	assert_string_equal(err, "vendor subtree '1.3.x': not an OID of at "
	    "most 20 sub-identifiers");
	assert_int_equal(open_with(longer, NELEM(longer), err, sizeof(err),
	    &rows), -1);
	assert_non_null(strstr(err, "not an OID of at most 20"));
	/* Accepted: the target is then interrupted before it starts. */
	assert_int_equal(open_with(good, NELEM(good), err, sizeof(err),
	    &rows), 0);
	assert_true(rows > 0);
	assert_int_equal(open_with(many, SNMP_MAX_OBJECTS, err, sizeof(err),
	    &rows), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subtrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
