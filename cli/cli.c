/*
 * cli: what the subcommands share -- error messages and exit codes,
 * the command frame (option tables, --help, the database opened), the
 * data directory, the rule pack and sector profiles,
 * the scan's signals.
 */
#include <assert.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "juris.h"
#include "log.h"
#include "rules.h"
#include "sector.h"
#include "util.h"

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* First Ctrl-C winds the scan down; a second one kills it. */
volatile sig_atomic_t *
cli_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return &stop_requested;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("banaudit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'banaudit %s--help'.\n", cmd);
	return EXIT_USAGE;
}

int
cli_input_error(const char *msg)
{
	fprintf(stderr, "banaudit: %s\n", msg);
	return EXIT_USAGE;
}

int
cli_runtime_error(const char *msg)
{
	fprintf(stderr, "banaudit: %s\n", msg);
	return EXIT_RUNTIME;
}

/* The default --help says for tab entry o, in buf ("" for none). */
static void
opt_default(const struct cli_opt *o, char *buf, size_t len)
{
	buf[0] = '\0';
	if (o->def != NULL) {
		str_copy(buf, o->def, len);
		return;
	}
	switch (o->kind) {
	case CLI_STR:
		if (*(const char *const *)o->dst != NULL)
			str_copy(buf, *(const char *const *)o->dst, len);
		break;
	case CLI_UINT:
		snprintf(buf, len, "%u", *(const unsigned *)o->dst);
		break;
	case CLI_INT:
		snprintf(buf, len, "%d", *(const int *)o->dst);
		break;
	case CLI_SIZE:
		snprintf(buf, len, "%zu", *(const size_t *)o->dst);
		break;
	case CLI_I64:
		snprintf(buf, len, "%lld", (long long)*(const int64_t *)o->dst);
		break;
	case CLI_FLAG:
	case CLI_FN:
		break;
	}
}

#define HELP_COL	27	/* where the help texts start */
#define HELP_WIDTH	79

/* "  -C, --NAME ARG  HELP (default: D)", wrapped at HELP_WIDTH. */
static void
opt_usage(FILE *fp, const struct cli_opt *o, const char *help)
{
	char opt[64], def[128], line[192];
	const char *h, *nl;
	int len;

	snprintf(opt, sizeof(opt), "--%s%s%s", o->name,
	    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
	if (o->letter != 0)
		len = fprintf(fp, "  -%c, %-20s ", o->letter, opt);
	else
		len = fprintf(fp, "      %-20s ", opt);
	if (len > HELP_COL)
		fprintf(fp, "\n%*s", HELP_COL, "");
	/* The help may hold line breaks: each goes to the help column. */
	for (h = help; (nl = strchr(h, '\n')) != NULL; h = nl + 1)
		fprintf(fp, "%.*s\n%*s", (int)(nl - h), h, HELP_COL, "");
	opt_default(o, def, sizeof(def));
	if (def[0] == '\0') {
		fprintf(fp, "%s\n", h);
		return;
	}
	snprintf(line, sizeof(line), "(default: %s)", def);
	if (HELP_COL + strlen(h) + 1 + strlen(line) > HELP_WIDTH)
		fprintf(fp, "%s\n%*s%s\n", h, HELP_COL, "", line);
	else
		fprintf(fp, "%s%s%s\n", h, h[0] != '\0' ? " " : "", line);
}

void
cli_usage(FILE *fp, const struct cli_cmd *cmd, const struct cli_opt *tab,
    size_t n)
{
	static const struct cli_opt help = { 'h', "help", NULL, CLI_FLAG,
	    NULL, 0, 0, NULL, "", "" };
	size_t i;

	fputs(cmd->synopsis, fp);
	for (i = 0; i < n; i++)
		if (tab[i].help != NULL)
			opt_usage(fp, &tab[i], tab[i].help);
	opt_usage(fp, &help, "this text");
	if (cmd->epilog != NULL) {
		fputc('\n', fp);
		fputs(cmd->epilog, fp);
	}
}

/* Stores v, the value of option o: 0, or -1 with the reason in err. */
static int
opt_store(const struct cli_opt *o, const char *v, char *err, size_t errlen)
{
	long l;

	switch (o->kind) {
	case CLI_FLAG:
		*(int *)o->dst = 1;
		return 0;
	case CLI_STR:
		*(const char **)o->dst = v;
		return 0;
	case CLI_FN:
		return o->parse(v, o->dst, err, errlen);
	case CLI_UINT:
	case CLI_INT:
	case CLI_SIZE:
	case CLI_I64:
		break;
	}
	if (parse_long(v, o->min, o->max, &l) != 0)
		return errf(err, errlen, "'%s' is not a number in %ld..%ld", v,
		    o->min, o->max);
	if (o->kind == CLI_UINT)
		*(unsigned *)o->dst = (unsigned)l;
	else if (o->kind == CLI_INT)
		*(int *)o->dst = (int)l;
	else if (o->kind == CLI_SIZE)
		*(size_t *)o->dst = (size_t)l;
	else
		*(int64_t *)o->dst = (int64_t)l;
	return 0;
}

#define CLI_MAX_OPTS	64
#define OPT_VAL(i)	(256 + (int)(i))	/* getopt value of tab[i] */

int
cli_parse(const struct cli_cmd *cmd, const struct cli_opt *tab, size_t n,
    int argc, char *argv[], int *rc)
{
	struct option lo[CLI_MAX_OPTS + 2];
	char shortopts[2 * CLI_MAX_OPTS + 2], cmdsp[32], err[ERRLEN];
	const struct cli_opt *o;
	size_t i, k = 0;
	int ch;

	assert(n <= CLI_MAX_OPTS);
	snprintf(cmdsp, sizeof(cmdsp), "%s ", cmd->name);
	*rc = EXIT_USAGE;
	for (i = 0; i < n; i++) {
		assert((tab[i].kind == CLI_FLAG) == (tab[i].arg == NULL));
		assert(tab[i].kind != CLI_FN || tab[i].parse != NULL);
		lo[i].name = tab[i].name;
		lo[i].has_arg = tab[i].arg != NULL ? required_argument :
		    no_argument;
		lo[i].flag = NULL;
		lo[i].val = OPT_VAL(i);
		if (tab[i].letter != 0) {
			shortopts[k++] = tab[i].letter;
			if (tab[i].arg != NULL)
				shortopts[k++] = ':';
		}
	}
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[k++] = 'h';
	shortopts[k] = '\0';

	optind = 1;
	while ((ch = getopt_long(argc, argv, shortopts, lo, NULL)) != -1) {
		if (ch == 'h') {
			cli_usage(stdout, cmd, tab, n);
			*rc = EXIT_OK;
			return -1;
		}
		o = NULL;
		for (i = 0; i < n && o == NULL; i++)
			if (ch == OPT_VAL(i) || (tab[i].letter != 0 &&
			    ch == tab[i].letter))
				o = &tab[i];
		if (o == NULL) {
			cli_usage_error(cmdsp, "bad option");
			return -1;
		}
		if (opt_store(o, optarg, err, sizeof(err)) != 0) {
			cli_usage_error(cmdsp, "--%s: %s", o->name, err);
			return -1;
		}
	}
	if (cmd->max_args >= 0 && argc - optind > cmd->max_args) {
		cli_usage_error(cmdsp, "unexpected argument '%s'",
		    argv[optind + cmd->max_args]);
		return -1;
	}
	*rc = EXIT_OK;
	return 0;
}

int
cli_parse_juris(const char *v, void *dst, char *err, size_t errlen)
{
	if (juris_parse(v, dst, JURIS_LEN) != 0)
		return errf(err, errlen, "'%s' is not US or US- and a state's "
		    "two-letter code (US-TX)", v);
	return 0;
}

int
cli_open_db(const char *db, enum store_mode mode, unsigned flags,
    struct store **st)
{
	char err[ERRLEN];

	if (store_open_flags(db, mode, flags, st, err, sizeof(err)) != 0) {
		cli_runtime_error(err);
		return -1;
	}
	return 0;
}

/* A login or a name as a person types it: printable, bounded. */
static int
name_ok(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int
cli_waiver_user(const char *by, const char *sudo_user, uid_t euid,
    char *buf, size_t len, char *err, size_t errlen)
{
	struct passwd *pw;
	char who[128];

	if (len > 0)
		buf[0] = '\0';
	if (by != NULL) {
		if (!name_ok(by, 100))
			return errf(err, errlen, "--by: say who accepts the "
			    "risk, in 1 to 100 printable characters");
		str_copy(buf, by, len);
		return 0;
	}
	pw = getpwuid(euid);
	if (pw != NULL && pw->pw_name != NULL && name_ok(pw->pw_name, 64))
		str_copy(who, pw->pw_name, sizeof(who));
	else
		snprintf(who, sizeof(who), "uid %lu", (unsigned long)euid);
	if (sudo_user != NULL && name_ok(sudo_user, 64) &&
	    strspn(sudo_user, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@$") ==
	    strlen(sudo_user) && strcmp(sudo_user, who) != 0)
		snprintf(buf, len, "%s (sudo as %s)", sudo_user, who);
	else
		str_copy(buf, who, len);
	return 0;
}

/*
 * Finds a data directory (rules, sectors): $BANAUDIT_DATADIR, the
 * installed one, or the source tree the binary was built in.
 */
static int
find_datadir(const char *sub, const char *marker, char *out, size_t len)
{
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	const char *env = getenv("BANAUDIT_DATADIR");
	ssize_t n;
	struct stat sb;

	if (env != NULL && env[0] != '\0') {
		snprintf(cand, sizeof(cand), "%s/%s/%s", env, sub, marker);
		if (stat(cand, &sb) == 0) {
			snprintf(out, len, "%s/%s", env, sub);
			return 0;
		}
	}
	snprintf(cand, sizeof(cand), "%s/%s/%s", BANAUDIT_DATADIR, sub,
	    marker);
	if (stat(cand, &sb) == 0) {
		snprintf(out, len, "%s/%s", BANAUDIT_DATADIR, sub);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *dir;

		static const char *const beside[] = {
			"..",			/* the source tree: build/.. */
			"../share/banaudit",	/* an install moved elsewhere */
		};
		size_t i;

		exe[n] = '\0';
		dir = dirname(exe);
		for (i = 0; i < NELEM(beside); i++) {
			snprintf(cand, sizeof(cand), "%s/%s/%s/%s", dir,
			    beside[i], sub, marker);
			if (stat(cand, &sb) == 0) {
				snprintf(out, len, "%s/%s/%s", dir, beside[i],
				    sub);
				return 0;
			}
		}
	}
	return -1;
}

int
cli_load_rules(const char *dir, struct rule_pack **pack)
{
	char buf[PATH_MAX], err[ERRLEN];

	if (dir == NULL) {
		if (find_datadir("rules", "VERSION", buf, sizeof(buf)) != 0) {
			fprintf(stderr, "banaudit: no rule pack found (looked "
			    "in $BANAUDIT_DATADIR, %s and beside the "
			    "program); use --rules DIR\n", BANAUDIT_DATADIR);
			return -1;
		}
		dir = buf;
	}
	if (rules_load(dir, pack, err, sizeof(err)) != 0) {
		fprintf(stderr, "banaudit: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * Loads the sector profiles (dir, else the installed ones) and checks them
 * against the rule pack.  *set is empty on failure.
 */
int
cli_load_sectors(const char *dir, const struct rule_pack *pack,
    struct sector_set *set)
{
	char buf[PATH_MAX], err[ERRLEN];

	if (dir == NULL) {
		if (find_datadir("sectors", "telecom.ini", buf,
		    sizeof(buf)) != 0) {
			fprintf(stderr, "banaudit: no sector profiles found "
			    "(looked in $BANAUDIT_DATADIR, %s and beside the "
			    "program); use --sectors DIR\n", BANAUDIT_DATADIR);
			return -1;
		}
		dir = buf;
	}
	if (sector_set_load(dir, set, err, sizeof(err)) != 0 ||
	    sector_set_check(set, pack, err, sizeof(err)) != 0) {
		fprintf(stderr, "banaudit: %s\n", err);
		sector_set_free(set);
		return -1;
	}
	return 0;
}

int
cli_check_sector(const char *cmd, const struct sector_set *set,
    const char *name)
{
	char all[256];

	if (sector_set_find(set, name) != NULL)
		return 0;
	str_list_join(set->names, set->n, all, sizeof(all));
	cli_usage_error(cmd, "--sector: unknown sector '%s' (%s)", name, all);
	return -1;
}

int
cli_load_oui(const char *file, struct oui_registry **out)
{
	char err[ERRLEN];

	*out = NULL;
	if (oui_open(out, err, sizeof(err)) != 0) {
		fprintf(stderr, "banaudit: %s\n", err);
		return -1;
	}
	if (oui_load_ieee_dir(*out, NULL, err, sizeof(err)) != 0 &&
	    file == NULL)
		log_warn("%s; MAC addresses will not be matched to vendors",
		    err);
	if (file != NULL && oui_load_file(*out, file, err, sizeof(err)) != 0) {
		fprintf(stderr, "banaudit: %s\n", err);
		oui_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

void
cli_log_located(const struct locate_stats *s, const struct oui_registry *oui)
{
	if (s->devices == 0 && s->randomised == 0)
		return;
	log_info("neighbour tables of %zu routers and switches: %zu "
	    "devices (%zu not polled), %zu located at a port, %zu "
	    "seen only on uplinks; vendor unknown: %zu randomised "
	    "MACs; MAC vendors from %s", s->switches, s->devices,
	    s->discovered, s->located, s->uplinks_only, s->randomised,
	    oui != NULL ? oui_describe(oui) : "no registry");
}
