/*
 * cmd_scan: "banaudit scan" -- options, every input (rule pack, sector
 * profiles, targets, credentials, MAC registry) loaded and checked before
 * the database is opened, then the run (scan.h) and its summary.
 */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collector.h"
#include "cred.h"
#include "log.h"
#include "oui.h"
#include "rules.h"
#include "scan.h"
#include "sector.h"
#include "store.h"
#include "juris.h"
#include "target.h"
#include "util.h"

static const char scan_usage[] =
"usage: banaudit scan --targets FILE [options]\n"
"\n"
"Collects from every target, stores the run and matches the rule pack.\n"
"\n"
"  -t, --targets FILE       targets.csv (see README: Input files)\n"
"  -c, --credentials FILE   credential profiles (INI, mode 0600 or 0400)\n"
"  -d, --db FILE            database (default ./" DEFAULT_DB ")\n"
"  -r, --rules DIR          rule pack (default: the installed one)\n"
"      --sectors DIR        sector profiles (default: the installed ones)\n"
"  -s, --sector NAME        only targets of this sector\n"
"      --jurisdiction CODE  where targets without a jurisdiction column\n"
"                           are: US-TX (a state), US (federal law only);\n"
"                           default: the sector profile's, else none\n"
"      --probes LIST        comma-separated probes for every target\n"
"                           (default: each target's sector profile)\n"
"  -j, --concurrency N      targets in flight at once (default 256)\n"
"      --rate PPS           requests per second, all targets (default 2000;\n"
"                           0 = unlimited)\n"
"      --timeout MS         per request (default 1000)\n"
"      --retries N          per request (default 1)\n"
"      --host-budget MS     time allowed per target (default 120000)\n"
"      --max-rows N         rows read per table (default 50000)\n"
"      --max-repetitions N  GETBULK size to start from; adapts down on\n"
"                           tooBig and timeouts (default 25)\n"
"      --oui FILE           a newer IEEE CSV or Wireshark manuf file, on top\n"
"                           of the installed IEEE registry (ieee-data)\n"
"      --uplink-macs N      a switch port with more MACs is an uplink\n"
"                           (default 4)\n"
"  -l, --label TEXT         a label for this run\n"
"      --scope TEXT         runs with the same scope are compared\n"
"                           (default: scan:<targets file name>[:sector])\n"
"      --fail-on-findings   exit 4 when the run has open (unwaived) findings\n"
"      --group-readable     create the database mode 0640 (default 0600)\n"
"  -q, --quiet              no progress or summary\n"
"  -h, --help\n";

static int
parse_probes(const char *list, unsigned *out)
{
	char buf[512], *p, *save = NULL;
	enum probe pr;

	if (strlen(list) >= sizeof(buf))
		return -1;
	str_copy(buf, list, sizeof(buf));
	*out = 0;
	for (p = strtok_r(buf, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		str_trim(p);
		if (probe_from_name(p, &pr) != 0) {
			fprintf(stderr, "banaudit: --probes: unknown probe "
			    "'%s'\n", p);
			return -1;
		}
		*out |= PROBE_BIT(pr);
	}
	return *out != 0 ? 0 : -1;
}

/* Keeps the targets of one sector (shallow copies; see free_filtered). */
static int
filter_sector(const struct target_list *in, const char *s,
    struct target_list *out)
{
	size_t i;

	out->v = calloc(in->n ? in->n : 1, sizeof(*out->v));
	if (out->v == NULL)
		return -1;
	out->n = 0;
	out->path = in->path;
	for (i = 0; i < in->n; i++)
		if (str_ieq(in->v[i].sector, s))
			out->v[out->n++] = in->v[i];
	return 0;
}

int
cmd_scan(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "targets", required_argument, NULL, 't' },
		{ "credentials", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "rules", required_argument, NULL, 'r' },
		{ "sector", required_argument, NULL, 's' },
		{ "jurisdiction", required_argument, NULL, 'J' },
		{ "probes", required_argument, NULL, 'P' },
		{ "sectors", required_argument, NULL, 'E' },
		{ "concurrency", required_argument, NULL, 'j' },
		{ "rate", required_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "retries", required_argument, NULL, 'N' },
		{ "host-budget", required_argument, NULL, 'B' },
		{ "max-rows", required_argument, NULL, 'M' },
		{ "max-repetitions", required_argument, NULL, 'X' },
		{ "oui", required_argument, NULL, 'O' },
		{ "uplink-macs", required_argument, NULL, 'U' },
		{ "label", required_argument, NULL, 'l' },
		{ "scope", required_argument, NULL, 'S' },
		{ "fail-on-findings", no_argument, NULL, 'F' },
		{ "group-readable", no_argument, NULL, 'G' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *targets = NULL, *credfile = NULL, *db = DEFAULT_DB;
	const char *rulesdir = NULL, *sector = NULL, *label = NULL;
	const char *scope = NULL, *sectorsdir = NULL, *ouifile = NULL;
	struct oui_registry *oui = NULL;
	struct target_list tl, sel;
	struct cred_set creds;
	struct rule_pack *pack = NULL;
	struct sector_set sectors;
	struct store *st = NULL;
	struct scan_opts so;
	struct scan_result res;
	char err[ERRLEN], scopebuf[PATH_MAX + 64], juris[JURIS_LEN] = "";
	/* The numeric options: name, range and where each value goes. */
	const struct cli_num nums[] = {
		{ 'j', "concurrency", 1, 100000, &so.collect.concurrency },
		{ 'R', "rate", 0, 10000000, &so.collect.rate },
		{ 'T', "timeout", 10, 600000, &so.collect.timeout_ms },
		{ 'N', "retries", 0, 10, &so.collect.retries },
		{ 'B', "host-budget", 0, 86400000, &so.collect.host_budget_ms },
		{ 'M', "max-rows", 1, 10000000, &so.collect.max_rows },
		{ 'X', "max-repetitions", 1, 1000,
		    &so.collect.max_repetitions },
		{ 'U', "uplink-macs", 1, 1000000, &so.uplink_macs },
	};
	const struct cli_num *num;
	size_t i;
	int ch, quiet = 0, fail_on_findings = 0, rc = EXIT_USAGE;
	unsigned dbflags = 0;

	memset(&so, 0, sizeof(so));
	memset(&tl, 0, sizeof(tl));
	memset(&sel, 0, sizeof(sel));
	memset(&creds, 0, sizeof(creds));
	memset(&sectors, 0, sizeof(sectors));
	collect_opts_default(&so.collect);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "t:c:d:r:s:j:l:qh", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 't':
			targets = optarg;
			break;
		case 'c':
			credfile = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'r':
			rulesdir = optarg;
			break;
		case 's':
			sector = optarg;
			break;
		case 'J':
			if (juris_parse(optarg, juris, sizeof(juris)) != 0)
				return cli_usage_error("scan ",
				    "--jurisdiction: '%s' is not US or US- "
				    "and a state's two-letter code (US-TX)",
				    optarg);
			break;
		case 'P':
			if (parse_probes(optarg, &so.collect.probes) != 0)
				return cli_usage_error("scan ", "--probes: "
				    "need a comma-separated list of probe "
				    "names");
			so.probes_override = 1;
			break;
		case 'E':
			sectorsdir = optarg;
			break;
		case 'O':
			ouifile = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'S':
			scope = optarg;
			break;
		case 'F':
			fail_on_findings = 1;
			break;
		case 'G':
			dbflags |= STORE_GROUP_READABLE;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(scan_usage, stdout);
			return EXIT_OK;
		default:
			num = cli_num_find(nums, NELEM(nums), ch);
			if (num == NULL)
				return cli_usage_error("scan ", "bad option");
			if (cli_num_set(num, "scan ", optarg) != 0)
				return EXIT_USAGE;
			break;
		}
	}
	if (optind < argc)
		return cli_usage_error("scan ", "unexpected argument '%s'",
		    argv[optind]);
	if (targets == NULL)
		return cli_usage_error("scan ", "--targets FILE is required");
	log_init(quiet ? LOG_QUIET : LOG_NORMAL);

	/* Every input is validated before the database is touched. */
	if (cli_load_rules(rulesdir, &pack) != 0 ||
	    cli_load_sectors(sectorsdir, pack, &sectors) != 0)
		goto out;
	if (sector != NULL &&
	    cli_check_sector("scan ", &sectors, sector) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (target_list_load(targets, &tl, err, sizeof(err)) != 0 ||
	    target_check_sectors(&tl, sectors.names, sectors.n, err,
	    sizeof(err)) != 0) {
		rc = cli_input_error(err);
		goto out;
	}
	/* --jurisdiction: for the rows without a jurisdiction column. */
	for (i = 0; juris[0] != '\0' && i < tl.n; i++)
		if (tl.v[i].jurisdiction == NULL)
			tl.v[i].jurisdiction = juris;
	/* No core file can hold the secrets about to be read. */
	if (credfile != NULL && secret_protect_process(err,
	    sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	if (credfile != NULL &&
	    cred_set_load(credfile, &creds, err, sizeof(err)) != 0) {
		rc = cli_input_error(err);
		goto out;
	}
	if (target_check_profiles(&tl, credfile != NULL ? &creds : NULL,
	    err, sizeof(err)) != 0) {
		rc = cli_input_error(err);
		goto out;
	}
	/* MAC vendors: the installed registry, then the user's file. */
	if (cli_load_oui(ouifile, &oui) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (sector != NULL) {
		if (filter_sector(&tl, sector, &sel) != 0) {
			rc = cli_runtime_error("out of memory");
			goto out;
		}
		if (sel.n == 0) {
			fprintf(stderr, "banaudit: %s: no targets of sector "
			    "%s\n", targets, sector);
			goto out;
		}
	}
	if (scope == NULL) {
		char tmp[PATH_MAX];

		str_copy(tmp, targets, sizeof(tmp));
		snprintf(scopebuf, sizeof(scopebuf), "scan:%s%s%s",
		    basename(tmp), sector ? ":" : "", sector ? sector : "");
		scope = scopebuf;
	}

	if (store_open_flags(db, STORE_WRITE, dbflags, &st, err,
	    sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	so.collect.stop = cli_catch_signals();
	so.targets = sector != NULL ? &sel : &tl;
	so.creds = credfile != NULL ? &creds : NULL;
	so.rules = pack;
	so.sectors = &sectors;
	so.oui = oui_count(oui) > 0 ? oui : NULL;
	so.label = label;
	so.scope = scope;
	so.sector = sector;
	if (scan_run(st, &so, &res, err, sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	if (res.interrupted) {
		log_warn("interrupted: run %lld kept and marked incomplete",
		    (long long)res.run);
		rc = 130;
		goto out;
	}
	log_info("run %lld: %zu targets, %zu assessed, %zu not assessed, "
	    "%zu findings (%zu waived) -> %s", (long long)res.run,
	    res.targets, res.assessed, res.not_assessed, res.findings,
	    res.waived, db);
	cli_log_located(&res.located, so.oui);
	/* Waived findings are not open. */
	rc = fail_on_findings && res.findings > res.waived ? EXIT_FINDINGS :
	    EXIT_OK;
out:
	store_close(st);
	free(sel.v);		/* shallow: strings belong to tl */
	target_list_free(&tl);
	cred_set_free(&creds);
	sector_set_free(&sectors);
	rules_free(pack);
	oui_close(oui);
	return rc;
}
