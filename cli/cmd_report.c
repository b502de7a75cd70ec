/*
 * cmd_report: "banaudit report" -- a stored run written in one of the
 * report formats (report.h), to standard output or atomically to a file;
 * and "banaudit rules list|check" -- the rule pack printed or validated.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "juris.h"
#include "report.h"
#include "rules.h"
#include "sector.h"
#include "store.h"
#include "util.h"

/* -------------------------------------------------------------- report */

static const char report_usage[] =
"usage: banaudit report --format FORMAT [options]\n"
"\n"
"Writes a report of a stored run.  Without --run, a database holding\n"
"complete runs of several scopes (a merged estate) is reported as the\n"
"estate: each scope's latest complete run, every row naming its run.\n"
"\n"
"  -f, --format FORMAT   csv (findings, risk-register columns), html,\n"
"                        leads-csv (leads to check: not findings),\n"
"                        json (the run: counts, coverage, findings,\n"
"                        leads), jsonl (one finding per line),\n"
"                        inventory-csv (every observation),\n"
"                        coverage-csv (every host, channel and probe)\n"
"  -d, --db FILE         database (default ./" DEFAULT_DB ")\n"
"      --run ID          run to report (default: the latest; the estate)\n"
"  -s, --sector NAME     only this sector\n"
"      --site NAME       only this site of the estate (its site database)\n"
"  -o, --output FILE     write to FILE instead of standard output\n"
"                        (mode 0600)\n"
"      --group-readable  write FILE mode 0640\n"
"      --html-max-hosts N  html: above N hosts (default 20000), counts per\n"
"                        sector and site instead of every host and finding\n"
"  -h, --help\n";

/*
 * Writes the report to a temporary file beside path and renames it into
 * place, so a failed report never leaves a half-written file.
 */
int
cmd_report(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "run", required_argument, NULL, 'R' },
		{ "sector", required_argument, NULL, 's' },
		{ "site", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "group-readable", no_argument, NULL, 'G' },
		{ "html-max-hosts", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = DEFAULT_DB, *format = NULL, *output = NULL;
	struct report_opts ro;
	struct store *st = NULL;
	char err[ERRLEN], tmp[PATH_MAX];
	FILE *fp = NULL;
	int ch, rc = EXIT_USAGE, fd, group = 0;
	long v;

	memset(&ro, 0, sizeof(ro));
	tmp[0] = '\0';
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:d:s:o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			format = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'R':
			if (cli_opt_number("report ", "run", optarg, 1,
			    LONG_MAX, &v) != 0)
				return EXIT_USAGE;
			ro.run = v;
			break;
		case 's':
			if (!target_sector_ok(optarg))
				return cli_usage_error("report ", "--sector: "
				    "'%s' is not a sector name", optarg);
			ro.sector = optarg;
			break;
		case 'S':
			ro.site = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'G':
			group = 1;
			break;
		case 'H':
			if (cli_opt_number("report ", "html-max-hosts", optarg,
			    1, 100000000, &v) != 0)
				return EXIT_USAGE;
			ro.html_max_hosts = (size_t)v;
			break;
		case 'h':
			fputs(report_usage, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("report ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("report ", "unexpected argument '%s'",
		    argv[optind]);
	if (format == NULL)
		return cli_usage_error("report ", "--format is required");
	if (report_format_from_name(format, &ro.format) != 0)
		return cli_usage_error("report ", "--format: unknown format "
		    "'%s' (csv, html, json, jsonl, leads-csv, inventory-csv, "
		    "coverage-csv)", format);

	if (store_open(db, STORE_READ, &st, err, sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	/* An unknown run id is bad input (2) in every command. */
	if (ro.run != 0) {
		struct run_info ri;
		int found = store_run_lookup(st, ro.run, &ri, err,
		    sizeof(err));

		if (found != 0) {
			rc = found > 0 ? cli_usage_error("report ", "--run: %s",
			    err) : cli_runtime_error(err);
			goto out;
		}
	}
	if (output != NULL) {
		snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", output);
		fd = mkstemp(tmp);
		if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
			snprintf(err, sizeof(err), "%s: %s", output,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			tmp[0] = '\0';
			rc = cli_runtime_error(err);
			goto out;
		}
		/* An inventory of critical infrastructure: not for all. */
		if (fchmod(fd, group ? 0640 : 0600) != 0) {
			snprintf(err, sizeof(err), "%s: %s", tmp,
			    strerror(errno));
			rc = cli_runtime_error(err);
			goto out;
		}
	} else
		fp = stdout;
	if (report_write(st, &ro, fp, err, sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	if (fflush(fp) != 0 || ferror(fp)) {
		snprintf(err, sizeof(err), "%s: write failed: %s",
		    output ? output : "standard output", strerror(errno));
		rc = cli_runtime_error(err);
		goto out;
	}
	if (output != NULL) {
		if (fclose(fp) != 0 || rename(tmp, output) != 0) {
			fp = NULL;
			snprintf(err, sizeof(err), "%s: %s", output,
			    strerror(errno));
			rc = cli_runtime_error(err);
			goto out;
		}
		fp = NULL;
		tmp[0] = '\0';
	}
	rc = EXIT_OK;
out:
	if (fp != NULL && fp != stdout)
		fclose(fp);
	if (tmp[0] != '\0')
		unlink(tmp);
	store_close(st);
	return rc;
}

/* --------------------------------------------------------------- rules */

static const char rules_usage[] =
"usage: banaudit rules [--rules DIR] [--jurisdiction CODE] list|check\n"
"\n"
"  list    print the rule pack: regulations, rules and their signatures\n"
"  check   validate the pack (exit 0 when valid, 2 with FILE:LINE errors)\n"
"\n"
"  -r, --rules DIR          rule pack (default: the installed one)\n"
"  -j, --jurisdiction CODE  list only what applies there: US (federal\n"
"                           law) or a state, US-TX\n"
"  -h, --help\n";

int
cmd_rules(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "jurisdiction", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *what;
	struct rule_pack *pack = NULL;
	char juris[JURIS_LEN] = "";
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "r:j:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			dir = optarg;
			break;
		case 'j':
			if (juris_parse(optarg, juris, sizeof(juris)) != 0)
				return cli_usage_error("rules ", "bad "
				    "--jurisdiction '%s' (US, or US- and a "
				    "state's two-letter code: US-TX)", optarg);
			break;
		case 'h':
			fputs(rules_usage, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("rules ", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("rules ", "say 'list' or 'check'");
	what = argv[optind];
	if (strcmp(what, "list") != 0 && strcmp(what, "check") != 0)
		return cli_usage_error("rules ", "unknown action '%s' (list, "
		    "check)", what);
	if (cli_load_rules(dir, &pack) != 0)
		return EXIT_USAGE;
	if (strcmp(what, "list") == 0)
		rules_print(pack, juris[0] != '\0' ? juris : NULL, stdout);
	else
		printf("rule pack %s: %zu regulations, %zu rules, %zu "
		    "signatures: ok\n", pack->version, pack->nregs,
		    pack->nrules, pack->nsigs);
	rules_free(pack);
	return EXIT_OK;
}
