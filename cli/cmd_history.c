/*
 * cmd_history: the commands over the runs a database keeps -- "banaudit
 * diff" (what changed between two runs), "banaudit merge" (site databases
 * rolled up into one) and "banaudit waive" (a finding's risk accepted
 * until a date; waivers listed and removed).  Text from the database is
 * made safe for a terminal before it is printed.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "store.h"
#include "util.h"

/* ---------------------------------------------------------------- diff */

static const char diff_synopsis[] =
"usage: banaudit diff [--db FILE] [--from ID] [--to ID]\n"
"\n"
"Says what changed between two runs: how many findings are new, resolved\n"
"and persisting, one line per new or resolved finding and per finding\n"
"persisting unverified (with what could not be verified), and the hosts\n"
"that were assessed before (or not there) and are not assessed now.  A\n"
"finding is resolved only when the later run read completely the sources\n"
"its evidence came from; otherwise it persists, unverified.\n"
"\n";

static const struct cli_cmd diff_cmd = { "diff", diff_synopsis, NULL, 0 };

/* Copies s for a terminal: control characters become '?'. */
static const char *
term_safe(const char *s, char *buf, size_t len)
{
	size_t i;

	if (s == NULL)
		s = "";
	str_copy(buf, s, len);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	return buf;
}

struct diff_ctx {
	size_t	 n_new, n_resolved, n_persisting, n_unverified;
	int	 list;		/* second pass: print the lines */
};

static int
diff_finding(void *arg, const struct finding_row *r)
{
	struct diff_ctx *d = arg;
	char host[256], addr[128], vendor[128], product[256], note[1024];
	const char *name;

	if (strcmp(r->status, "new") == 0)
		d->n_new++;
	else if (strcmp(r->status, "resolved") == 0)
		d->n_resolved++;
	else {
		d->n_persisting++;
		d->n_unverified += r->unverified != 0;
		if (!r->unverified)
			return 0;
	}
	if (!d->list)
		return 0;
	name = r->h.name != NULL && r->h.name[0] != '\0' ?
	    r->h.name : r->f.asset;
	term_safe(name != NULL ? name : r->host_identity, host, sizeof(host));
	term_safe(r->f.address, addr, sizeof(addr));
	if (strcmp(host, addr) == 0)
		addr[0] = '\0';	/* named by its address: once is enough */
	printf("%-9s %s  %s%s%s%s  %s  %s\n", r->status, r->f.finding_id,
	    host, addr[0] != '\0' ? " (" : "", addr,
	    addr[0] != '\0' ? ")" : "",
	    term_safe(r->f.vendor, vendor, sizeof(vendor)),
	    term_safe(r->f.product, product, sizeof(product)));
	if (r->unverified)
		printf("          unverified: %s\n", term_safe(r->note != NULL ?
		    r->note : "the host was not assessed", note,
		    sizeof(note)));
	return 0;
}

static int
diff_host(void *arg, const struct unassessed_row *r)
{
	char ident[256], addr[128], reason[256];

	(void)arg;
	printf("not assessed  %s%s%s%s: %s\n",
	    term_safe(r->host_identity, ident, sizeof(ident)),
	    r->h.address != NULL ? " (" : "",
	    term_safe(r->h.address, addr, sizeof(addr)),
	    r->h.address != NULL ? ")" : "",
	    term_safe(r->reason, reason, sizeof(reason)));
	return 0;
}

/* "run 5 (2026-11-27T10:00:00Z, complete)" */
static void
print_run(const char *what, const struct run_info *ri)
{
	char t[32];

	fmt_time(ri->started, t, sizeof(t));
	printf("%s run %lld (%s, %s)", what, (long long)ri->id, t,
	    run_status_name(ri->status));
}

int
cmd_diff(int argc, char *argv[])
{
	const char *db = DEFAULT_DB;
	struct store *st = NULL;
	struct run_info ri;
	struct diff_ctx d;
	char err[ERRLEN], scope[512];
	int64_t from = 0, to = 0;
	int rc = EXIT_RUNTIME, have_from;
	const struct cli_opt opts[] = {
		{ 'd', "db", "FILE", CLI_STR, &db, 0, 0, NULL, "database",
		    NULL },
		{ 0, "from", "ID", CLI_I64, &from, 1, LONG_MAX, NULL,
		    "the earlier run",
		    "the complete run of the scope before --to" },
		{ 0, "to", "ID", CLI_I64, &to, 1, LONG_MAX, NULL,
		    "the later run", "the latest complete run" },
	};

	if (cli_parse(&diff_cmd, opts, NELEM(opts), argc, argv, &rc) != 0)
		return rc;
	rc = EXIT_RUNTIME;
	have_from = from != 0;	/* --from is at least 1 */
	if (cli_open_db(db, STORE_READ, 0, &st) != 0)
		return EXIT_RUNTIME;
	if (to == 0) {
		if (store_latest_run(st, 1, &to, err, sizeof(err)) != 0)
			goto fail;
		if (to == 0) {
			fprintf(stderr, "banaudit: %s has no complete run; run "
			    "a scan first\n", db);
			goto out;
		}
	} else if (store_run_get(st, to, &ri, err, sizeof(err)) != 0) {
		rc = cli_usage_error("diff ", "--to: %s", err);
		goto out;
	}
	if (have_from && store_run_get(st, from, &ri, err, sizeof(err)) != 0) {
		rc = cli_usage_error("diff ", "--from: %s", err);
		goto out;
	}
	if (!have_from && store_previous_run(st, to, &from, err,
	    sizeof(err)) != 0)
		goto fail;

	if (from != 0) {
		if (store_run_get(st, from, &ri, err, sizeof(err)) != 0)
			goto fail;
		print_run("from", &ri);
	} else
		printf("from nothing (no earlier complete run of the scope)");
	if (store_run_get(st, to, &ri, err, sizeof(err)) != 0)
		goto fail;
	term_safe(ri.scope, scope, sizeof(scope));
	print_run(" to", &ri);
	printf(", scope %s\n", scope[0] != '\0' ? scope : "(none)");

	memset(&d, 0, sizeof(d));
	if (store_each_finding_since(st, to, from, diff_finding, &d, err,
	    sizeof(err)) != 0)
		goto fail;
	printf("new %zu, resolved %zu, persisting %zu", d.n_new,
	    d.n_resolved, d.n_persisting);
	if (d.n_unverified > 0)
		printf(" (%zu unverified)", d.n_unverified);
	putchar('\n');
	memset(&d, 0, sizeof(d));
	d.list = 1;
	if (store_each_finding_since(st, to, from, diff_finding, &d, err,
	    sizeof(err)) != 0 || store_each_unassessed(st, to, from, diff_host,
	    NULL, err, sizeof(err)) != 0)
		goto fail;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		rc = cli_runtime_error("standard output: write failed");
		goto out;
	}
	rc = EXIT_OK;
	goto out;
fail:
	rc = cli_runtime_error(err);
out:
	store_close(st);
	return rc;
}

/* --------------------------------------------------------------- merge */

static const char merge_synopsis[] =
"usage: banaudit merge --db FILE [--full] [--group-readable] SITE_DB...\n"
"\n"
"Rolls site databases up into FILE (created if missing).  Each finished\n"
"run of a site file that FILE lacks is copied with its hosts,\n"
"observations, coverage, findings and evidence, keeping its site, tool and\n"
"rule-pack versions and its origin (file, run id, run uuid); runs compare\n"
"only with runs of the same site.  Merging a file again adds nothing.\n"
"Every site file is checked before FILE is opened; each is merged in one\n"
"transaction.  Raw observations stay at the sites: only those that are\n"
"the evidence of a finding or lead are copied, unless --full.\n"
"\n";

static const struct cli_cmd merge_cmd = { "merge", merge_synopsis, NULL,
    -1 };

int
cmd_merge(int argc, char *argv[])
{
	const char *db = NULL;
	struct store *st = NULL;
	struct merge_stats ms;
	struct stat dsb, ssb;
	char err[ERRLEN];
	int i, rc = EXIT_USAGE, db_exists, full = 0, group = 0;
	const struct cli_opt opts[] = {
		{ 'd', "db", "FILE", CLI_STR, &db, 0, 0, NULL,
		    "the central database (required)", NULL },
		{ 0, "full", NULL, CLI_FLAG, &full, 0, 0, NULL,
		    "copy every observation (inventory-csv centrally)", NULL },
		{ 0, "group-readable", NULL, CLI_FLAG, &group, 0, 0, NULL,
		    "create FILE mode 0640, not 0600", NULL },
	};

	if (cli_parse(&merge_cmd, opts, NELEM(opts), argc, argv, &rc) != 0)
		return rc;
	rc = EXIT_USAGE;
	if (db == NULL)
		return cli_usage_error("merge ", "--db FILE is required");
	if (optind >= argc)
		return cli_usage_error("merge ", "name at least one SITE_DB");

	/* Every site file is checked before the central one is opened. */
	db_exists = stat(db, &dsb) == 0;
	if (cli_open_db(":memory:", STORE_WRITE, 0, &st) != 0)
		return EXIT_RUNTIME;
	for (i = optind; i < argc; i++) {
		if (db_exists && stat(argv[i], &ssb) == 0 &&
		    ssb.st_dev == dsb.st_dev && ssb.st_ino == dsb.st_ino) {
			fprintf(stderr, "banaudit: %s: this is the database "
			    "merged into\n", argv[i]);
			goto out;
		}
		if (store_merge_check(st, argv[i], err, sizeof(err)) != 0) {
			rc = cli_input_error(err);
			goto out;
		}
	}
	store_close(st);
	st = NULL;

	if (cli_open_db(db, STORE_WRITE, group ? STORE_GROUP_READABLE : 0,
	    &st) != 0) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	for (i = optind; i < argc; i++) {
		if (store_merge_as(st, argv[i], full ? MERGE_FULL :
		    MERGE_EVIDENCE, &ms, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "banaudit: %s (%d of %d site files "
			    "merged before it)\n", err, i - optind,
			    argc - optind);
			rc = EXIT_RUNTIME;
			goto out;
		}
		log_info("%s: %zu runs merged, %zu already there, %zu still "
		    "running (skipped); %zu hosts new, %zu matched; %zu "
		    "observations, %zu findings", argv[i], ms.runs,
		    ms.runs_present, ms.runs_running, ms.hosts_new,
		    ms.hosts_matched, ms.observations, ms.findings);
	}
	if (store_flush(st, err, sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	rc = EXIT_OK;
out:
	store_close(st);
	return rc;
}

/* --------------------------------------------------------------- waive */

static const char waive_synopsis[] =
"usage: banaudit waive FINDING_ID --reason TEXT --until YYYY-MM-DD\n"
"                      [--by NAME] [--db FILE]\n"
"       banaudit waive --list [--db FILE]\n"
"       banaudit waive --remove FINDING_ID [--db FILE]\n"
"\n"
"Accepts the risk of a finding until a date: reports show the waiver with\n"
"the finding (its status does not change) and --fail-on-findings ignores\n"
"it.  After its last day, UTC, a waiver stops applying; it stays listed\n"
"until removed.  Waiving a finding again replaces its waiver.  Who waived\n"
"it is recorded: --by NAME, else the account running banaudit (and the\n"
"sudo user, when run through sudo).\n"
"\n";

static const struct cli_cmd waive_cmd = { "waive", waive_synopsis, NULL,
    1 };

#define WAIVE_REASON_MAX	1000
#define WAIVE_MAX_DAYS		3653

/* "BA-" and 16 lower-case hex digits (store.h, finding_id_make()). */
static int
finding_id_ok(const char *s)
{
	return strlen(s) == FINDING_ID_LEN - 1 && strncmp(s, "BA-", 3) == 0 &&
	    strspn(s + 3, "0123456789abcdef") == FINDING_ID_LEN - 4;
}

static int
waiver_line(void *arg, const struct waiver *w)
{
	char created[16], reason[WAIVE_REASON_MAX + 1], by[80];

	(*(size_t *)arg)++;
	fmt_date(w->created, created, sizeof(created));
	printf("%s  until %s  %-7s  by %s on %s  %s\n", w->finding_id,
	    w->until, w->active ? "active" : "expired",
	    term_safe(w->created_by != NULL ? w->created_by :
	    "(not recorded)", by,
	    sizeof(by)), created, term_safe(w->reason, reason,
	    sizeof(reason)));
	return 0;
}

int
cmd_waive(int argc, char *argv[])
{
	const char *db = DEFAULT_DB, *reason = NULL, *until = NULL;
	const char *remove = NULL, *fid = NULL, *by = NULL;
	struct store *st = NULL;
	struct waiver w;
	char err[ERRLEN], check[16], today[16], who[128];
	int64_t t, now = now_unix();
	size_t i, n = 0;
	int list = 0, rc = EXIT_RUNTIME, known, changed;
	const struct cli_opt opts[] = {
		{ 'd', "db", "FILE", CLI_STR, &db, 0, 0, NULL, "database",
		    NULL },
		{ 'r', "reason", "TEXT", CLI_STR, &reason, 0, 0, NULL,
		    "why the risk is accepted (ticket, decision)", NULL },
		{ 'u', "until", "DATE", CLI_STR, &until, 0, 0, NULL,
		    "the waiver's last day, YYYY-MM-DD, at most ten\n"
		    "years ahead", NULL },
		{ 'b', "by", "NAME", CLI_STR, &by, 0, 0, NULL,
		    "who accepts the risk", "the account" },
		{ 'l', "list", NULL, CLI_FLAG, &list, 0, 0, NULL,
		    "list every waiver, active or expired", NULL },
		{ 0, "remove", "ID", CLI_STR, &remove, 0, 0, NULL,
		    "remove the waiver of a finding", NULL },
	};

	if (cli_parse(&waive_cmd, opts, NELEM(opts), argc, argv, &rc) != 0)
		return rc;
	rc = EXIT_RUNTIME;
	if (optind < argc)
		fid = argv[optind];
	if (list + (remove != NULL) + (fid != NULL) != 1)
		return cli_usage_error("waive ", "say FINDING_ID, --list or "
		    "--remove FINDING_ID");
	if ((list || remove != NULL) && (reason != NULL || until != NULL ||
	    by != NULL))
		return cli_usage_error("waive ", "--reason, --until and --by "
		    "go with FINDING_ID");
	if (remove != NULL && !finding_id_ok(remove))
		return cli_usage_error("waive ", "--remove: '%s' is not a "
		    "finding id (BA- and 16 hex digits)", remove);

	if (list) {
		if (cli_open_db(db, STORE_READ, 0, &st) != 0)
			return EXIT_RUNTIME;
		if (store_each_waiver(st, waiver_line, &n, err,
		    sizeof(err)) != 0)
			goto fail;
		if (n == 0)
			printf("no waivers in %s\n", db);
		rc = EXIT_OK;
		goto out;
	}
	if (remove != NULL) {
		if (cli_open_db(db, STORE_WRITE, 0, &st) != 0)
			return EXIT_RUNTIME;
		if (store_waiver_remove(st, remove, &changed, err,
		    sizeof(err)) != 0)
			goto fail;
		if (!changed) {
			fprintf(stderr, "banaudit: %s: no waiver for %s\n", db,
			    remove);
			rc = EXIT_USAGE;
			goto out;
		}
		printf("removed the waiver of %s\n", remove);
		rc = EXIT_OK;
		goto out;
	}

	/* Waive: everything is checked before the database is written. */
	if (!finding_id_ok(fid))
		return cli_usage_error("waive ", "'%s' is not a finding id "
		    "(BA- and 16 hex digits)", fid);
	if (reason == NULL || until == NULL)
		return cli_usage_error("waive ", "--reason TEXT and --until "
		    "YYYY-MM-DD are required");
	str_copy(check, reason, sizeof(check));
	if (str_trim(check)[0] == '\0' || strlen(reason) > WAIVE_REASON_MAX)
		return cli_usage_error("waive ", "--reason: say why, in at "
		    "most %d characters", WAIVE_REASON_MAX);
	for (i = 0; reason[i] != '\0'; i++)
		if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7f)
			return cli_usage_error("waive ", "--reason: control "
			    "characters are not allowed");
	/* A real date, written canonically (strptime takes 2026-02-31). */
	if (parse_date(until, &t) != 0 ||
	    (fmt_date(t, check, sizeof(check)), strcmp(check, until) != 0))
		return cli_usage_error("waive ", "--until: '%s' is not a date "
		    "(YYYY-MM-DD)", until);
	fmt_date(now, today, sizeof(today));
	if (strcmp(until, today) < 0)
		return cli_usage_error("waive ", "--until: %s is in the past",
		    until);
	if (t > now + (int64_t)WAIVE_MAX_DAYS * 86400)
		return cli_usage_error("waive ", "--until: %s is more than ten "
		    "years ahead", until);
	if (cli_waiver_user(by, getenv("SUDO_USER"), geteuid(), who,
	    sizeof(who), err, sizeof(err)) != 0)
		return cli_usage_error("waive ", "%s", err);

	if (cli_open_db(db, STORE_WRITE, 0, &st) != 0)
		return EXIT_RUNTIME;
	if (store_finding_known(st, fid, &known, err, sizeof(err)) != 0)
		goto fail;
	if (!known) {
		fprintf(stderr, "banaudit: %s: no finding %s\n", db, fid);
		rc = EXIT_USAGE;
		goto out;
	}
	memset(&w, 0, sizeof(w));
	w.finding_id = fid;
	w.reason = reason;
	w.until = until;
	w.created_by = who;
	if (store_waiver_set(st, &w, &changed, err, sizeof(err)) != 0)
		goto fail;
	printf("waived %s until %s%s\n", fid, until, changed ? " (replaces "
	    "its earlier waiver)" : "");
	rc = EXIT_OK;
	goto out;
fail:
	rc = cli_runtime_error(err);
out:
	store_close(st);
	return rc;
}
