/*
 * cli: what the subcommands share -- error messages and exit codes,
 * numeric options, the data directory, the rule pack and sector profiles,
 * the scan's signals.
 */
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
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

int
cli_opt_number(const char *cmd, const char *opt, const char *v, long min,
    long max, long *out)
{
	if (parse_long(v, min, max, out) != 0) {
		cli_usage_error(cmd, "--%s: '%s' is not a number in %ld..%ld",
		    opt, v, min, max);
		return -1;
	}
	return 0;
}

const struct cli_num *
cli_num_find(const struct cli_num *tab, size_t n, int ch)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].ch == ch)
			return &tab[i];
	return NULL;
}

int
cli_num_set(const struct cli_num *num, const char *cmd, const char *v)
{
	long l;

	if (cli_opt_number(cmd, num->name, v, num->min, num->max, &l) != 0)
		return -1;
	*num->dst = (unsigned)l;
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
