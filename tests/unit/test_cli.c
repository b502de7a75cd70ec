/*
 * Unit tests for cli: the command frame (every kind of option parsed
 * from its table, ranges, a value stored only when valid, --help and its
 * defaults from the same table), the exact text of the messages the integration
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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"
#include "juris.h"
#include "log.h"
#include "oui.h"
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

/* A command with one option of each kind, for the frame's tests. */
struct frame {
	const char	*db;
	int		 quiet;
	unsigned	 rate;
	int		 crit;
	size_t		 items;
	int64_t		 run;
	char		 juris[JURIS_LEN];
};

static const struct cli_cmd frame_cmd = { "demo", "usage: banaudit demo\n\n",
    "Exit: 0.\n", 1 };

#define FRAME_OPTS(f) { \
	{ 'd', "db", "FILE", CLI_STR, &(f).db, 0, 0, NULL, "database", \
	    NULL }, \
	{ 'q', "quiet", NULL, CLI_FLAG, &(f).quiet, 0, 0, NULL, "no summary", \
	    NULL }, \
	{ 0, "rate", "PPS", CLI_UINT, &(f).rate, 0, UINT_MAX, NULL, \
	    "requests per second\n(0 = unlimited)", NULL }, \
	{ 0, "criticality", "N", CLI_INT, &(f).crit, 1, 5, NULL, "1..5", \
	    "3" }, \
	{ 0, "max-items", "N", CLI_SIZE, &(f).items, 1, 100, NULL, \
	    "a help text long enough to push the default onto a line", \
	    NULL }, \
	{ 0, "run", "ID", CLI_I64, &(f).run, 1, LONG_MAX, NULL, NULL, NULL }, \
	{ 'j', "jurisdiction", "CODE", CLI_FN, (f).juris, 0, 0, \
	    cli_parse_juris, "where", "none" }, \
}

static void
frame_init(struct frame *f)
{
	memset(f, 0, sizeof(*f));
	f->db = "x.db";
	f->rate = 2000;
	f->items = 7;
}

/* Runs cli_parse() over a NULL-terminated argument list. */
static int
frame_parse(struct frame *f, int *rc, struct capture *c, ...)
{
	const struct cli_opt tab[] = FRAME_OPTS(*f);
	char *argv[16];
	va_list ap;
	int argc = 0, r;

	argv[argc++] = (char *)"demo";
	va_start(ap, c);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	capture_begin(c);
	r = cli_parse(&frame_cmd, tab, NELEM(tab), argc, argv, rc);
	capture_end(c);
	return r;
}

/* Every kind stores into its own variable; short and long names. */
static void
test_parse_kinds(void **state)
{
	struct frame f;
	struct capture c;
	int rc = -5;

	(void)state;
	frame_init(&f);
	assert_int_equal(frame_parse(&f, &rc, &c, "-d", "a.db", "--quiet",
	    "--rate", "0", "--criticality", "5", "--max-items=100",
	    "--run", "9223372036854775807", "-j", "us-tx", "ARG", NULL), 0);
	assert_int_equal(rc, EXIT_OK);
	assert_string_equal(c.text, "");
	assert_string_equal(f.db, "a.db");
	assert_int_equal(f.quiet, 1);
	assert_int_equal(f.rate, 0);
	assert_int_equal(f.crit, 5);
	assert_int_equal(f.items, 100);
	assert_true(f.run == INT64_MAX);
	assert_string_equal(f.juris, "US-TX");
	assert_int_equal(optind, 13);	/* "ARG", after the options */
	frame_init(&f);
	assert_int_equal(frame_parse(&f, &rc, &c, "--rate", "4294967295",
	    NULL), 0);
	assert_true(f.rate == UINT_MAX);
	assert_string_equal(f.db, "x.db");	/* untouched */
}

/* Each bad value: exit 2, one message naming the option, value kept. */
static void
test_parse_refused(void **state)
{
	static const struct {
		const char	*opt, *v, *msg;
	} bad[] = {
		{ "--criticality", "6", "--criticality: '6' is not a number "
		    "in 1..5" },
		{ "--criticality", "", "--criticality: '' is not a number "
		    "in 1..5" },
		{ "--max-items", " 5", "--max-items: ' 5' is not a number in "
		    "1..100" },
		{ "--rate", "-1", "--rate: '-1' is not a number in "
		    "0..4294967295" },
		{ "--rate", "5x", "--rate: '5x' is not a number in "
		    "0..4294967295" },
		{ "--run", "99999999999999999999", "--run: "
		    "'99999999999999999999' is not a number in "
		    "1..9223372036854775807" },
		{ "-j", "Maryland", "--jurisdiction: 'Maryland' is not US or "
		    "US- and a state's two-letter code (US-TX)" },
	};
	struct frame f;
	struct capture c;
	char want[512];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		frame_init(&f);
		rc = -5;
		assert_int_equal(frame_parse(&f, &rc, &c, bad[i].opt,
		    bad[i].v, NULL), -1);
		assert_int_equal(rc, EXIT_USAGE);
		snprintf(want, sizeof(want), "banaudit: %s\nTry 'banaudit "
		    "demo --help'.\n", bad[i].msg);
		assert_string_equal(c.text, want);
		assert_int_equal(f.rate, 2000);
		assert_int_equal(f.crit, 0);
		assert_int_equal(f.items, 7);
		assert_true(f.run == 0);
		assert_string_equal(f.juris, "");
	}
	/* Too many arguments; an option that does not exist. */
	frame_init(&f);
	assert_int_equal(frame_parse(&f, &rc, &c, "a", "b", NULL), -1);
	assert_int_equal(rc, EXIT_USAGE);
	assert_string_equal(c.text, "banaudit: unexpected argument 'b'\n"
	    "Try 'banaudit demo --help'.\n");
	assert_int_equal(frame_parse(&f, &rc, &c, "--colour", NULL), -1);
	assert_int_equal(rc, EXIT_USAGE);
	assert_non_null(strstr(c.text, "banaudit: bad option\nTry 'banaudit "
	    "demo --help'.\n"));
	assert_int_equal(frame_parse(&f, &rc, &c, "--quiet=yes", NULL), -1);
	assert_int_equal(rc, EXIT_USAGE);
	assert_int_equal(f.quiet, 0);
}

/* --help lines come from the table, defaults from the values held. */
static void
test_usage(void **state)
{
	struct frame f;
	const struct cli_opt tab[] = FRAME_OPTS(f);
	char buf[2048];
	FILE *fp;
	size_t n;

	(void)state;
	frame_init(&f);
	fp = tmpfile();
	assert_non_null(fp);
	cli_usage(fp, &frame_cmd, tab, NELEM(tab));
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_string_equal(buf,
	    "usage: banaudit demo\n"
	    "\n"
	    "  -d, --db FILE            database (default: x.db)\n"
	    "  -q, --quiet              no summary\n"
	    "      --rate PPS           requests per second\n"
	    "                           (0 = unlimited) (default: 2000)\n"
	    "      --criticality N      1..5 (default: 3)\n"
	    "      --max-items N        a help text long enough to push the "
	    "default onto a line\n"
	    "                           (default: 7)\n"
	    "  -j, --jurisdiction CODE  where (default: none)\n"
	    "  -h, --help               this text\n"
	    "\n"
	    "Exit: 0.\n");
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

/*
 * Without --rules or --sectors: $BANAUDIT_DATADIR first, then the
 * installed folder, then beside the program (build/.. is the source tree;
 * this binary is build/tests/test_cli, beside which there is none).  None
 * found: the message says where it looked and what to do.
 */
static void
test_datadir(void **state)
{
	struct rule_pack *pack = NULL;
	struct sector_set set;
	struct capture c;
	char cwd[4096], want[512];
	int installed, rc;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(setenv("BANAUDIT_DATADIR", cwd, 1), 0);
	memset(&set, 0, sizeof(set));
	assert_int_equal(cli_load_rules(NULL, &pack), 0);
	assert_non_null(pack);
	assert_int_equal(cli_load_sectors(NULL, pack, &set), 0);
	assert_non_null(sector_set_find(&set, "telecom"));
	sector_set_free(&set);

	/* A $BANAUDIT_DATADIR without a pack is passed over. */
	installed = access(BANAUDIT_DATADIR "/rules/VERSION", F_OK) == 0;
	assert_int_equal(setenv("BANAUDIT_DATADIR", "tests/data", 1), 0);
	rules_free(pack);
	pack = NULL;
	capture_begin(&c);
	rc = cli_load_rules(NULL, &pack);
	capture_end(&c);
	if (installed) {
		/* An installed pack on this machine: that one is found. */
		assert_int_equal(rc, 0);
		rules_free(pack);
	} else {
		assert_int_equal(rc, -1);
		assert_null(pack);
		snprintf(want, sizeof(want), "banaudit: no rule pack found "
		    "(looked in $BANAUDIT_DATADIR, %s and beside the program);"
		    " use --rules DIR\n", BANAUDIT_DATADIR);
		assert_string_equal(c.text, want);
		capture_begin(&c);
		rc = cli_load_sectors(NULL, NULL, &set);
		capture_end(&c);
		assert_int_equal(rc, -1);
		snprintf(want, sizeof(want), "banaudit: no sector profiles "
		    "found (looked in $BANAUDIT_DATADIR, %s and beside the "
		    "program); use --sectors DIR\n", BANAUDIT_DATADIR);
		assert_string_equal(c.text, want);
	}
	assert_int_equal(unsetenv("BANAUDIT_DATADIR"), 0);
}

/*
 * The MAC registry: ieee-data and an extra file; a file that cannot be
 * read is an error (nothing left open); the neighbour-table summary only
 * when there was something to say.
 */
static void
test_oui_and_located(void **state)
{
	struct oui_registry *oui = NULL;
	struct locate_stats ls;
	struct capture c;
	enum log_level old = log_level();
	int rc;

	(void)state;
	log_init(LOG_NORMAL);
	capture_begin(&c);
	rc = cli_load_oui("tests/data/oui/override.csv", &oui);
	capture_end(&c);
	assert_int_equal(rc, 0);
	assert_non_null(oui);
	if (access(OUI_DEFAULT_DIR "/oui.csv", R_OK) == 0)
		assert_string_equal(c.text, "");
	else
		assert_non_null(strstr(c.text, "warning: "));

	memset(&ls, 0, sizeof(ls));
	capture_begin(&c);
	cli_log_located(&ls, oui);
	capture_end(&c);
	assert_string_equal(c.text, "");
	ls.switches = 2;
	ls.devices = 5;
	ls.discovered = 3;
	ls.located = 4;
	ls.uplinks_only = 1;
	ls.randomised = 6;
	capture_begin(&c);
	cli_log_located(&ls, NULL);
	capture_end(&c);
	assert_string_equal(c.text, "banaudit: neighbour tables of 2 routers "
	    "and switches: 5 devices (3 not polled), 4 located at a port, 1 "
	    "seen only on uplinks; vendor unknown: 6 randomised MACs; MAC "
	    "vendors from no registry\n");
	capture_begin(&c);
	cli_log_located(&ls, oui);
	capture_end(&c);
	assert_null(strstr(c.text, "from no registry"));
	oui_close(oui);

	oui = (struct oui_registry *)&ls;	/* set to NULL on failure */
	capture_begin(&c);
	rc = cli_load_oui("tests/data/oui/no-such.csv", &oui);
	capture_end(&c);
	assert_int_equal(rc, -1);
	assert_null(oui);
	assert_non_null(strstr(c.text, "banaudit: tests/data/oui/no-such.csv"));
	log_init(old);
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
		cmocka_unit_test(test_parse_kinds),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_waiver_user),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_datadir),
		cmocka_unit_test(test_oui_and_located),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
