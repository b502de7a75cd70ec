/*
 * cmd_scan: "banaudit scan" -- options, every input (rule pack, sector
 * profiles, targets, credentials, MAC registry) loaded and checked before
 * the database is opened, then the run (scan.h) and its summary, or with
 * --dry-run the plan (plan.h) and nothing sent.
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
#include "locate.h"
#include "log.h"
#include "oui.h"
#include "plan.h"
#include "report.h"
#include "rules.h"
#include "scan.h"
#include "scope.h"
#include "sector.h"
#include "store.h"
#include "juris.h"
#include "target.h"
#include "util.h"

#define SCAN_SHORTOPTS	"t:c:d:r:s:j:l:nqh"

static const char scan_usage_head[] =
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
"                           (default: each target's sector profile)\n";

static const char scan_usage_tail[] =
"      --oui FILE           a newer IEEE CSV or Wireshark manuf file, on top\n"
"                           of the installed IEEE registry (ieee-data)\n"
"  -l, --label TEXT         a label for this run\n"
"      --scope TEXT         runs with the same scope are compared\n"
"                           (default: scan:<targets file name>[:sector])\n"
"      --fail-on-findings   exit 4 when the run has open (unwaived) findings\n"
"  -n, --dry-run            check every input, print per target what would\n"
"                           be sent and the totals; send nothing\n"
"      --progress MODE      auto (a line redrawn on a terminal), plain[:S]\n"
"                           (a log line at most every S seconds, default\n"
"                           30, even with --quiet) or none\n"
"      --group-readable     create the database mode 0640 (default 0600)\n"
"  -q, --quiet              no progress or summary\n"
"  -h, --help\n"
"\n"
"Exit: 0 done, 2 bad usage or input, 3 runtime failure, 4 open findings\n"
"(--fail-on-findings), 130 interrupted (the run is kept, incomplete).\n";

/* --help: the numeric options' lines and defaults come from their table. */
static void
scan_usage(FILE *fp, const struct cli_num *nums, size_t n)
{
	fputs(scan_usage_head, fp);
	cli_num_usage(fp, nums, n, SCAN_SHORTOPTS);
	fputs(scan_usage_tail, fp);
}

/* The probe names, for an error message: "system, software, ...". */
static void
probe_names(char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT(len > 0 ? len - 1 : 0);
	int p;

	for (p = 0; p < PROBE__COUNT; p++) {
		if (p > 0)
			strbuf_puts(&sb, ", ");
		strbuf_puts(&sb, probe_name((enum probe)p));
	}
	str_copy(buf, strbuf_str(&sb), len);
	strbuf_free(&sb);
}

/* --progress auto|plain[:SECONDS]|none. */
static int
parse_progress(const char *v, enum log_progress_mode *m, int64_t *ms)
{
	long secs;

	if (strcmp(v, "auto") == 0)
		*m = LOG_PROGRESS_AUTO;
	else if (strcmp(v, "none") == 0)
		*m = LOG_PROGRESS_NONE;
	else if (strcmp(v, "plain") == 0)
		*m = LOG_PROGRESS_PLAIN;
	else if (strncmp(v, "plain:", 6) == 0 &&
	    parse_long(v + 6, 1, 86400, &secs) == 0) {
		*m = LOG_PROGRESS_PLAIN;
		*ms = (int64_t)secs * 1000;
	} else
		return -1;
	return 0;
}

/* A --probes list into a PROBE_BIT() set; -1 with a message in err. */
static int
parse_probes(const char *list, unsigned *out, char *err, size_t errlen)
{
	char buf[512], names[256], *p, *save = NULL;
	enum probe pr;

	probe_names(names, sizeof(names));
	if (strlen(list) >= sizeof(buf))
		return errf(err, errlen, "too long (probes: %s)", names);
	str_copy(buf, list, sizeof(buf));
	*out = 0;
	for (p = strtok_r(buf, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		str_trim(p);
		if (probe_from_name(p, &pr) != 0)
			return errf(err, errlen, "unknown probe '%s' (probes: "
			    "%s)", p, names);
		*out |= PROBE_BIT(pr);
	}
	if (*out == 0)
		return errf(err, errlen, "need a comma-separated list of "
		    "probes (%s)", names);
	return 0;
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
		if (str_ieq(in->v[i].h.sector, s))
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
		{ "dry-run", no_argument, NULL, 'n' },
		{ "progress", required_argument, NULL, 'Y' },
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
		{ 'j', "concurrency", 1, 100000, &so.collect.concurrency,
		    "N", "targets in flight at once" },
		{ 'R', "rate", 0, 10000000, &so.collect.rate, "PPS",
		    "requests per second, all targets\n(0 = unlimited)" },
		{ 'T', "timeout", 10, 600000, &so.collect.timeout_ms, "MS",
		    "per request" },
		{ 'N', "retries", 0, 10, &so.collect.retries, "N",
		    "per request" },
		{ 'B', "host-budget", 0, 86400000,
		    &so.collect.host_budget_ms, "MS",
		    "time allowed per target" },
		{ 'M', "max-rows", 1, 10000000, &so.collect.max_rows, "N",
		    "rows read per table" },
		{ 'X', "max-repetitions", 1, 1000,
		    &so.collect.max_repetitions, "N", "GETBULK size to start "
		    "from; adapts down on\ntooBig and timeouts" },
		{ 'U', "uplink-macs", 1, 1000000, &so.uplink_macs, "N",
		    "a switch port with more MACs is an uplink" },
	};
	const struct cli_num *num;
	size_t i;
	struct report_counts counts;
	int ch, quiet = 0, fail_on_findings = 0, rc = EXIT_USAGE, dry_run = 0;
	int default_scope;
	enum log_progress_mode pmode = LOG_PROGRESS_AUTO;
	int64_t pms = 30000;
	unsigned dbflags = 0;

	memset(&so, 0, sizeof(so));
	memset(&tl, 0, sizeof(tl));
	memset(&sel, 0, sizeof(sel));
	memset(&creds, 0, sizeof(creds));
	memset(&sectors, 0, sizeof(sectors));
	collect_opts_default(&so.collect);
	so.uplink_macs = LOCATE_UPLINK_MACS;
	optind = 1;
	while ((ch = getopt_long(argc, argv, SCAN_SHORTOPTS, opts,
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
			if (parse_probes(optarg, &so.collect.probes, err,
			    sizeof(err)) != 0)
				return cli_usage_error("scan ", "--probes: %s",
				    err);
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
		case 'n':
			dry_run = 1;
			break;
		case 'Y':
			if (parse_progress(optarg, &pmode, &pms) != 0)
				return cli_usage_error("scan ", "--progress: "
				    "'%s' is not auto, plain, plain:SECONDS "
				    "(1..86400) or none", optarg);
			break;
		case 'G':
			dbflags |= STORE_GROUP_READABLE;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			scan_usage(stdout, nums, NELEM(nums));
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
	log_progress_mode(pmode, pms);

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
		if (tl.v[i].h.jurisdiction == NULL)
			tl.v[i].h.jurisdiction = juris;
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
	default_scope = scope == NULL;
	/*
	 * MAC vendors: the installed registry, then the user's file; only
	 * for a scan that reads neighbour tables (a file given is always
	 * read, so that its errors show).
	 */
	so.targets = sector != NULL ? &sel : &tl;
	so.sectors = &sectors;
	if ((ouifile != NULL || scan_wants_neighbors(&so)) &&
	    cli_load_oui(ouifile, &oui) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (scope == NULL) {
		char tmp[PATH_MAX];

		str_copy(tmp, targets, sizeof(tmp));
		snprintf(scopebuf, sizeof(scopebuf), "scan:%s%s%s",
		    basename(tmp), sector ? ":" : "", sector ? sector : "");
		scope = scopebuf;
	}

	so.targets = sector != NULL ? &sel : &tl;
	so.creds = credfile != NULL ? &creds : NULL;
	so.rules = pack;
	so.sectors = &sectors;
	/* Every input checked: a dry run stops here, having sent nothing. */
	if (dry_run) {
		if (plan_write(stdout, &so, NULL, err, sizeof(err)) != 0) {
			rc = cli_runtime_error(err);
			goto out;
		}
		rc = EXIT_OK;
		goto out;
	}
	if (store_open_flags(db, STORE_WRITE, dbflags, &st, err,
	    sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	/* A renamed targets file must not quietly start a new history. */
	if (default_scope) {
		int w = scope_check(st, so.targets, scope, err, sizeof(err));

		if (w < 0) {
			rc = cli_runtime_error(err);
			goto out;
		}
		if (w > 0)
			log_warn("%s", err);
	}
	so.collect.stop = cli_catch_signals();
	so.oui = oui != NULL && oui_count(oui) > 0 ? oui : NULL;
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
		rc = EXIT_INTERRUPTED;
		goto out;
	}
	/* The same figures as the reports (report_counts()). */
	if (report_counts(st, res.run, NULL, &counts, err,
	    sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	log_info("run %lld: %zu targets, %zu assessed, %zu partially "
	    "assessed, %zu not assessed; %zu devices seen only in neighbour "
	    "tables; %zu findings (%zu waived) -> %s", (long long)res.run,
	    counts.targets, counts.assessed, counts.partial,
	    counts.not_assessed, counts.neighbour, res.findings, res.waived,
	    db);
	if (res.leads > 0)
		log_info("%zu lead%s to check on site (not findings: "
		    "report --format leads-csv)", res.leads,
		    res.leads == 1 ? "" : "s");
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
