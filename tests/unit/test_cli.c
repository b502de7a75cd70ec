/*
 * Unit tests for cli: the numeric option table (look-up, ranges, the value
 * stored only when valid), the exact text of the messages the integration
 * tests and users see, the exit code of each kind of error, the scan's
 * signal handling, and the rule pack and sector loaders.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"
#include "rules.h"
#include "sector.h"
#include "util.h"

/* What the code under test writes to stderr, captured through a file. */
struct capture {
	FILE	*fp;
	int	 saved;
	char	 text[1024];
};

static void
capture_begin(struct capture *c)
{
	fflush(stderr);
	c->fp = tmpfile();
	assert_non_null(c->fp);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->fp), STDERR_FILENO) >= 0);
}

static const char *
capture_end(struct capture *c)
{
	size_t n;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	rewind(c->fp);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->fp);
	c->text[n] = '\0';
	fclose(c->fp);
	return c->text;
}

struct nums {
	unsigned	 rate, retries, big;
};

static void
test_num_find(void **state)
{
	struct nums o;
	const struct cli_num tab[] = {
		{ 'R', "rate", 0, 100, &o.rate, NULL, NULL },
		{ 'N', "retries", 0, 10, &o.retries, NULL, NULL },
	};

	(void)state;
	assert_ptr_equal(cli_num_find(tab, NELEM(tab), 'R'), &tab[0]);
	assert_ptr_equal(cli_num_find(tab, NELEM(tab), 'N'), &tab[1]);
	/* getopt_long's unknown option and an option of another kind. */
	assert_null(cli_num_find(tab, NELEM(tab), '?'));
	assert_null(cli_num_find(tab, NELEM(tab), 'q'));
	assert_null(cli_num_find(tab, 0, 'R'));
}

static void
test_num_set_range(void **state)
{
	struct nums o;
	const struct cli_num tab[] = {
		{ 'R', "rate", 0, 100, &o.rate, NULL, NULL },
		{ 'N', "retries", 1, 10, &o.retries, NULL, NULL },
		{ 'B', "big", 0, UINT_MAX, &o.big, NULL, NULL },
	};

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(cli_num_set(&tab[0], "scan ", "0"), 0);
	assert_int_equal(o.rate, 0);
	assert_int_equal(cli_num_set(&tab[0], "scan ", "100"), 0);
	assert_int_equal(o.rate, 100);
	assert_int_equal(cli_num_set(&tab[1], "scan ", "1"), 0);
	assert_int_equal(o.retries, 1);
	assert_int_equal(o.rate, 100);	/* only its own destination */
	assert_int_equal(cli_num_set(&tab[2], "scan ", "4294967295"), 0);
	assert_true(o.big == UINT_MAX);
}

static void
test_num_set_refused(void **state)
{
	static const char *const bad[] = {
		"101", "-1", "abc", "5x", "", " 5", "99999999999999999999",
	};
	struct capture c;
	struct nums o;
	const struct cli_num num = { 'R', "rate", 0, 100, &o.rate, NULL,
	    NULL };
	char want[256];
	size_t i;
	int rc;

	(void)state;
	o.rate = 42;
	for (i = 0; i < NELEM(bad); i++) {
		capture_begin(&c);
		rc = cli_num_set(&num, "scan ", bad[i]);
		capture_end(&c);
		assert_int_equal(rc, -1);
		assert_int_equal(o.rate, 42);	/* untouched */
		snprintf(want, sizeof(want), "banaudit: --rate: '%s' is not a "
		    "number in 0..100\nTry 'banaudit scan --help'.\n", bad[i]);
		assert_string_equal(c.text, want);
	}
}

static void
test_opt_number(void **state)
{
	struct capture c;
	long v = 7;
	int rc;

	(void)state;
	assert_int_equal(cli_opt_number("diff ", "from", "12", 1, LONG_MAX,
	    &v), 0);
	assert_int_equal(v, 12);
	capture_begin(&c);
	rc = cli_opt_number("import ", "criticality", "6", 1, 5, &v);
	capture_end(&c);
	assert_int_equal(rc, -1);
	assert_int_equal(v, 12);
	assert_string_equal(c.text, "banaudit: --criticality: '6' is not a "
	    "number in 1..5\nTry 'banaudit import --help'.\n");
}

static void
test_errors(void **state)
{
	struct capture c;
	int rc;

	(void)state;
	capture_begin(&c);
	rc = cli_usage_error("waive ", "'%s' is not a finding id", "x");
	capture_end(&c);
	assert_int_equal(rc, EXIT_USAGE);
	assert_int_equal(rc, 2);
	assert_string_equal(c.text, "banaudit: 'x' is not a finding id\n"
	    "Try 'banaudit waive --help'.\n");

	capture_begin(&c);
	rc = cli_input_error("t.csv:3: bad address");
	capture_end(&c);
	assert_int_equal(rc, 2);
	assert_string_equal(c.text, "banaudit: t.csv:3: bad address\n");

	capture_begin(&c);
	rc = cli_runtime_error("db: disk full");
	capture_end(&c);
	assert_int_equal(rc, 3);
	assert_string_equal(c.text, "banaudit: db: disk full\n");

	assert_int_equal(EXIT_OK, 0);
	assert_int_equal(EXIT_RUNTIME, 3);
	assert_int_equal(EXIT_FINDINGS, 4);
}

static void
test_signals(void **state)
{
	volatile sig_atomic_t *stop;
	struct sigaction sa;

	(void)state;
	stop = cli_catch_signals();
	assert_non_null(stop);
	assert_int_equal(*stop, 0);
	assert_int_equal(sigaction(SIGPIPE, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_IGN);
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(*stop, 1);
	/* The first signal winds down; the next one is the default: kill. */
	assert_int_equal(sigaction(SIGTERM, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_DFL);
	assert_int_equal(sigaction(SIGINT, NULL, &sa), 0);
	assert_true(sa.sa_handler != SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}

static void
test_load(void **state)
{
	struct rule_pack *pack = NULL;
	struct sector_set set;
	struct capture c;
	int rc;

	(void)state;
	memset(&set, 0, sizeof(set));
	assert_int_equal(cli_load_rules("rules", &pack), 0);
	assert_non_null(pack);
	assert_int_equal(cli_load_sectors("sectors", pack, &set), 0);
	sector_set_free(&set);

	memset(&set, 0, sizeof(set));
	capture_begin(&c);
	rc = cli_load_sectors("tests/data/no-such-dir", pack, &set);
	capture_end(&c);
	assert_int_equal(rc, -1);
	assert_memory_equal(c.text, "banaudit: ", 10);
	rules_free(pack);

	pack = NULL;
	capture_begin(&c);
	rc = cli_load_rules("tests/data/no-such-dir", &pack);
	capture_end(&c);
	assert_int_equal(rc, -1);
	assert_null(pack);
	assert_memory_equal(c.text, "banaudit: ", 10);
}

/* --help lines come from the table, defaults from the values held. */
static void
test_num_usage(void **state)
{
	struct nums o = { 2000, 1, 7 };
	const struct cli_num tab[] = {
		{ 'j', "rate", 0, 100, &o.rate, "PPS", "requests per second\n"
		    "(0 = unlimited)" },
		{ 'N', "retries", 0, 10, &o.retries, "N", "per request" },
		{ 'B', "big", 0, 10, &o.big, NULL, NULL },	/* not shown */
		{ 'X', "a-very-long-option-name", 0, 10, &o.big, "N",
		    "a help text long enough to push the default onto a "
		    "line" },
	};
	char buf[1024];
	FILE *fp;
	size_t n;

	(void)state;
	fp = tmpfile();
	assert_non_null(fp);
	cli_num_usage(fp, tab, NELEM(tab), "j:h");
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_string_equal(buf,
	    "  -j, --rate PPS           requests per second\n"
	    "                           (0 = unlimited) (default 2000)\n"
	    "      --retries N          per request (default 1)\n"
	    "      --a-very-long-option-name N \n"
	    "                           a help text long enough to push the "
	    "default onto a line\n"
	    "                           (default 7)\n");
}

/*
 * 2026-12-05: waivers said "by ?" under cron ($USER unset).  The account
 * comes from the password database, the sudo user first, --by wins.
 */
static void
test_waiver_user(void **state)
{
	char buf[128], err[256];

	(void)state;
	assert_int_equal(cli_waiver_user(NULL, NULL, 0, buf, sizeof(buf),
	    err, sizeof(err)), 0);
	assert_string_equal(buf, "root");
	assert_int_equal(cli_waiver_user(NULL, "alice", 0, buf, sizeof(buf),
	    err, sizeof(err)), 0);
	assert_string_equal(buf, "alice (sudo as root)");
	/* The same user twice is said once; junk in SUDO_USER is ignored. */
	assert_int_equal(cli_waiver_user(NULL, "root", 0, buf, sizeof(buf),
	    err, sizeof(err)), 0);
	assert_string_equal(buf, "root");
	assert_int_equal(cli_waiver_user(NULL, "a\x1b[2Jb", 0, buf,
	    sizeof(buf), err, sizeof(err)), 0);
	assert_string_equal(buf, "root");
	assert_int_equal(cli_waiver_user(NULL, "", 0, buf, sizeof(buf),
	    err, sizeof(err)), 0);
	assert_string_equal(buf, "root");
	/* A uid without an account is still someone. */
	assert_int_equal(cli_waiver_user(NULL, NULL, 4000000000u, buf,
	    sizeof(buf), err, sizeof(err)), 0);
	assert_string_equal(buf, "uid 4000000000");
	/* --by wins, verbatim; empty or control characters are refused. */
	assert_int_equal(cli_waiver_user("Dana Reyes, CISO", "alice", 0, buf,
	    sizeof(buf), err, sizeof(err)), 0);
	assert_string_equal(buf, "Dana Reyes, CISO");
	assert_int_equal(cli_waiver_user("", NULL, 0, buf, sizeof(buf), err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "--by"));
	assert_int_equal(cli_waiver_user("a\nb", NULL, 0, buf, sizeof(buf),
	    err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num_find),
		cmocka_unit_test(test_num_set_range),
		cmocka_unit_test(test_num_set_refused),
		cmocka_unit_test(test_num_usage),
		cmocka_unit_test(test_waiver_user),
		cmocka_unit_test(test_opt_number),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
