/*
 * cmd_scan: "banaudit scan" -- options, every input (rule pack, sector
 * profiles, targets, credentials, MAC registry) loaded and checked before
 * the database is opened, then the run (scan.h) and its summary, or with
 * --dry-run the plan (plan.h) and nothing sent.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collector.h"
#include "cred.h"
#include "heap.h"
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

static const char scan_synopsis[] =
"usage: banaudit scan --targets FILE [options]\n"
"\n"
"Collects from every target, stores the run and matches the rule pack.\n"
"\n";

static const char scan_epilog[] =
"Exit: 0 done, 2 bad usage or input, 3 runtime failure, 4 open findings\n"
"(--fail-on-findings), 130 interrupted (the run is kept, incomplete).\n";

static const struct cli_cmd scan_cmd = { "scan", scan_synopsis,
    scan_epilog, 0 };

/* The --progress option's value, parsed by parse_progress(). */
struct progress_opt {
	enum log_progress_mode	 mode;
	int64_t			 ms;
};

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

/* --progress auto|plain[:SECONDS]|none, into a struct progress_opt. */
static int
parse_progress(const char *v, void *dst, char *err, size_t errlen)
{
	struct progress_opt *p = dst;
	long secs;

	if (strcmp(v, "auto") == 0)
		p->mode = LOG_PROGRESS_AUTO;
	else if (strcmp(v, "none") == 0)
		p->mode = LOG_PROGRESS_NONE;
	else if (strcmp(v, "plain") == 0)
		p->mode = LOG_PROGRESS_PLAIN;
	else if (strncmp(v, "plain:", 6) == 0 &&
	    parse_long(v + 6, 1, 86400, &secs) == 0) {
		p->mode = LOG_PROGRESS_PLAIN;
		p->ms = (int64_t)secs * 1000;
	} else
		return errf(err, errlen, "'%s' is not auto, plain, "
		    "plain:SECONDS (1..86400) or none", v);
	return 0;
}

/*
 * A --probes list into the PROBE_BIT() set of a struct scan_opts, marked
 * as overriding the sector profiles; -1 with a message in err.
 */
static int
parse_probes(const char *list, void *dst, char *err, size_t errlen)
{
	struct scan_opts *so = dst;
	unsigned *out = &so->collect.probes;
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
	so->probes_override = 1;
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
	const char *targets = NULL, *credfile = NULL, *db = DEFAULT_DB;
	const char *rulesdir = NULL, *sector = NULL, *label = NULL;
	const char *scope = NULL, *sectorsdir = NULL, *ouifile = NULL;
	const char *wt;
	struct oui_registry *oui = NULL;
	struct target_list tl, sel;
	struct cred_set creds;
	struct rule_pack *pack = NULL;
	struct sector_set sectors;
	struct store *st = NULL;
	struct scan_opts so;
	struct scan_result res;
	struct progress_opt prog = { LOG_PROGRESS_AUTO, 30000 };
	char err[ERRLEN], scopebuf[PATH_MAX + 64], juris[JURIS_LEN] = "";
	size_t i;
	struct report_counts counts;
	int quiet = 0, fail_on_findings = 0, rc = EXIT_USAGE, dry_run = 0;
	int default_scope, group = 0;
	/* The options, in --help's order: what each takes and stores. */
	const struct cli_opt opts[] = {
		{ 't', "targets", "FILE", CLI_STR, &targets, 0, 0, NULL,
		    "targets.csv (see README: Input files)", NULL },
		{ 'c', "credentials", "FILE", CLI_STR, &credfile, 0, 0, NULL,
		    "credential profiles (INI, mode 0600 or 0400)", NULL },
		{ 'd', "db", "FILE", CLI_STR, &db, 0, 0, NULL, "database",
		    NULL },
		{ 'r', "rules", "DIR", CLI_STR, &rulesdir, 0, 0, NULL,
		    "rule pack", "the installed one" },
		{ 0, "sectors", "DIR", CLI_STR, &sectorsdir, 0, 0, NULL,
		    "sector profiles", "the installed ones" },
		{ 's', "sector", "NAME", CLI_STR, &sector, 0, 0, NULL,
		    "only targets of this sector", NULL },
		{ 0, "jurisdiction", "CODE", CLI_FN, juris, 0, 0,
		    cli_parse_juris, "where targets without a jurisdiction "
		    "column\nare: US-TX (a state), US (federal law only)",
		    "the sector profile's, else none" },
		{ 0, "probes", "LIST", CLI_FN, &so, 0, 0, parse_probes,
		    "comma-separated probes for every target",
		    "each target's sector profile" },
		{ 'j', "concurrency", "N", CLI_UINT, &so.collect.concurrency,
		    1, 100000, NULL, "targets in flight at once", NULL },
		{ 0, "rate", "PPS", CLI_UINT, &so.collect.rate, 0, 10000000,
		    NULL, "requests per second, all targets\n"
		    "(0 = unlimited)", NULL },
		{ 0, "timeout", "MS", CLI_UINT, &so.collect.timeout_ms, 10,
		    600000, NULL, "per request", NULL },
		{ 0, "retries", "N", CLI_UINT, &so.collect.retries, 0, 10,
		    NULL, "per request", NULL },
		{ 0, "host-budget", "MS", CLI_UINT,
		    &so.collect.host_budget_ms, 0, 86400000, NULL,
		    "time allowed per target", NULL },
		{ 0, "max-rows", "N", CLI_UINT, &so.collect.max_rows, 1,
		    10000000, NULL, "rows read per table", NULL },
		{ 0, "max-repetitions", "N", CLI_UINT,
		    &so.collect.max_repetitions, 1, 1000, NULL,
		    "GETBULK size to start from; adapts down on\n"
		    "tooBig and timeouts", NULL },
		{ 0, "uplink-macs", "N", CLI_UINT, &so.uplink_macs, 1,
		    1000000, NULL, "a switch port with more MACs is an uplink",
		    NULL },
		{ 0, "oui", "FILE", CLI_STR, &ouifile, 0, 0, NULL,
		    "a newer IEEE CSV or Wireshark manuf file, on top\n"
		    "of the installed IEEE registry (ieee-data)", NULL },
		{ 'l', "label", "TEXT", CLI_STR, &label, 0, 0, NULL,
		    "a label for this run", NULL },
		{ 0, "scope", "TEXT", CLI_STR, &scope, 0, 0, NULL,
		    "runs with the same scope are compared",
		    "scan:<targets file name>[:sector]" },
		{ 0, "fail-on-findings", NULL, CLI_FLAG, &fail_on_findings,
		    0, 0, NULL, "exit 4 when the run has open (unwaived) "
		    "findings", NULL },
		{ 'n', "dry-run", NULL, CLI_FLAG, &dry_run, 0, 0, NULL,
		    "check every input, print per target what would\n"
		    "be sent and the totals; send nothing", NULL },
		{ 0, "progress", "MODE", CLI_FN, &prog, 0, 0, parse_progress,
		    "auto (a line redrawn on a terminal), plain[:S]\n"
		    "(a log line at once, then every S seconds,\n"
		    "default 30, even with --quiet) or none", "auto" },
		{ 0, "group-readable", NULL, CLI_FLAG, &group, 0, 0, NULL,
		    "create the database mode 0640, not 0600", NULL },
		{ 'q', "quiet", NULL, CLI_FLAG, &quiet, 0, 0, NULL,
		    "no progress or summary", NULL },
	};

	memset(&so, 0, sizeof(so));
	memset(&tl, 0, sizeof(tl));
	memset(&sel, 0, sizeof(sel));
	memset(&creds, 0, sizeof(creds));
	memset(&sectors, 0, sizeof(sectors));
	collect_opts_default(&so.collect);
	so.uplink_macs = LOCATE_UPLINK_MACS;
	if (cli_parse(&scan_cmd, opts, NELEM(opts), argc, argv, &rc) != 0)
		return rc;
	rc = EXIT_USAGE;
	if (targets == NULL)
		return cli_usage_error("scan ", "--targets FILE is required");
	log_init(quiet ? LOG_QUIET : LOG_NORMAL);
	log_progress_mode(prog.mode, prog.ms);
	/* The inputs' memory, resident before they are read (heap.h). */
	(void)heap_reserve(HEAP_INPUT_BYTES);

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
	if (cli_open_db(db, STORE_WRITE, group ? STORE_GROUP_READABLE : 0,
	    &st) != 0) {
		rc = EXIT_RUNTIME;
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
	/* The writer thread, on request only (scan.h). */
	wt = getenv("BANAUDIT_WRITER_THREAD");
	so.writer_thread = wt != NULL && strcmp(wt, "1") == 0;
	so.oui = oui != NULL && oui_count(oui) > 0 ? oui : NULL;
	so.label = label;
	so.scope = scope;
	so.sector = sector;
	if (scan_run(st, &so, &res, err, sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	/* The run is on disk: the summary needs no target (peak memory). */
	free(sel.v);
	sel.v = NULL;
	target_list_free(&tl);
	so.targets = NULL;
	if (res.interrupted) {
		log_warn("interrupted: run %lld kept and marked incomplete",
		    (long long)res.run);
		rc = EXIT_INTERRUPTED;
		goto out;
	}
	/*
	 * The same figures as the reports (report_counts()), read back only
	 * to be printed: --quiet prints no summary (issue 13: 4 % of an
	 * identity scan's CPU, docs/PERFORMANCE.md).
	 */
	memset(&counts, 0, sizeof(counts));
	if (log_level() != LOG_QUIET && report_counts(st, res.run, NULL,
	    &counts, err, sizeof(err)) != 0) {
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
	/*
	 * Hosts are matched from the rows the scan saw; what analysis read
	 * back (the rows locate and onu added, or the run when an agent may
	 * merge hosts) is said.
	 */
	if (res.read_back > 0)
		log_info("run %lld: analysis read back %zu observations",
		    (long long)res.run, res.read_back);
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
