/*
 * cmd_history: the commands over the runs a database keeps -- "banaudit
 * diff" (what changed between two runs), "banaudit merge" (site databases
 * rolled up into one) and "banaudit waive" (a finding's risk accepted
 * until a date; waivers listed and removed).  Text from the database is
 * made safe for a terminal before it is printed.
 */
#include <getopt.h>
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

static const char diff_usage[] =
"usage: banaudit diff [--db FILE] [--from ID] [--to ID]\n"
"\n"
"Says what changed between two runs: how many findings are new, resolved\n"
"and persisting, one line per new or resolved finding and per finding\n"
"persisting unverified (with what could not be verified), and the hosts\n"
"that were assessed before (or not there) and are not assessed now.  A\n"
"finding is resolved only when the later run read completely the sources\n"
"its evidence came from; otherwise it persists, unverified.\n"
"\n"
"  -d, --db FILE   database (default ./" DEFAULT_DB ")\n"
"      --from ID   the earlier run (default: the complete run of the same\n"
"                  scope before --to)\n"
"      --to ID     the later run (default: the latest complete run)\n"
"  -h, --help\n";

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
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = DEFAULT_DB;
	struct store *st = NULL;
	struct run_info ri;
	struct diff_ctx d;
	char err[ERRLEN], scope[512];
	int64_t from = 0, to = 0;
	int ch, rc = EXIT_RUNTIME, have_from = 0;
	long v;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'F':
			if (cli_opt_number("diff ", "from", optarg, 1, LONG_MAX,
			    &v) != 0)
				return EXIT_USAGE;
			from = v;
			have_from = 1;
			break;
		case 'T':
			if (cli_opt_number("diff ", "to", optarg, 1, LONG_MAX,
			    &v) != 0)
				return EXIT_USAGE;
			to = v;
			break;
		case 'h':
			fputs(diff_usage, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("diff ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("diff ", "unexpected argument '%s'",
		    argv[optind]);
	if (store_open(db, STORE_READ, &st, err, sizeof(err)) != 0)
		return cli_runtime_error(err);
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

static const char merge_usage[] =
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
"\n"
"  -d, --db FILE   the central database (required)\n"
"      --full      copy every observation (inventory-csv centrally)\n"
"      --group-readable  create FILE mode 0640 (default 0600)\n"
"  -h, --help\n";

int
cmd_merge(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "full", no_argument, NULL, 'F' },
		{ "group-readable", no_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL;
	enum merge_mode mode = MERGE_EVIDENCE;
	unsigned dbflags = 0;
	struct store *st = NULL;
	struct merge_stats ms;
	struct stat dsb, ssb;
	char err[ERRLEN];
	int ch, i, rc = EXIT_USAGE, db_exists;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'F':
			mode = MERGE_FULL;
			break;
		case 'G':
			dbflags |= STORE_GROUP_READABLE;
			break;
		case 'h':
			fputs(merge_usage, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("merge ", "bad option");
		}
	}
	if (db == NULL)
		return cli_usage_error("merge ", "--db FILE is required");
	if (optind >= argc)
		return cli_usage_error("merge ", "name at least one SITE_DB");

	/* Every site file is checked before the central one is opened. */
	db_exists = stat(db, &dsb) == 0;
	if (store_open(":memory:", STORE_WRITE, &st, err, sizeof(err)) != 0)
		return cli_runtime_error(err);
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

	if (store_open_flags(db, STORE_WRITE, dbflags, &st, err,
	    sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	for (i = optind; i < argc; i++) {
		if (store_merge_as(st, argv[i], mode, &ms, err,
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

static const char waive_usage[] =
"usage: banaudit waive FINDING_ID --reason TEXT --until YYYY-MM-DD\n"
"                      [--db FILE]\n"
"       banaudit waive --list [--db FILE]\n"
"       banaudit waive --remove FINDING_ID [--db FILE]\n"
"\n"
"Accepts the risk of a finding until a date: reports show the waiver with\n"
"the finding (its status does not change) and --fail-on-findings ignores\n"
"it.  After its last day, UTC, a waiver stops applying; it stays listed\n"
"until removed.  Waiving a finding again replaces its waiver.  Who waived\n"
"it is recorded: --by NAME, else the account running banaudit (and the\n"
"sudo user, when run through sudo).\n"
"\n"
"  -d, --db FILE          database (default ./" DEFAULT_DB ")\n"
"  -r, --reason TEXT      why the risk is accepted (ticket, decision)\n"
"  -u, --until DATE       the waiver's last day, YYYY-MM-DD, at most ten\n"
"                         years ahead\n"
"  -b, --by NAME          who accepts the risk (default: the account)\n"
"  -l, --list             list every waiver, active or expired\n"
"      --remove ID        remove the waiver of a finding\n"
"  -h, --help\n";

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
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "reason", required_argument, NULL, 'r' },
		{ "until", required_argument, NULL, 'u' },
		{ "by", required_argument, NULL, 'b' },
		{ "list", no_argument, NULL, 'l' },
		{ "remove", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = DEFAULT_DB, *reason = NULL, *until = NULL;
	const char *remove = NULL, *fid = NULL, *by = NULL;
	struct store *st = NULL;
	struct waiver w;
	char err[ERRLEN], check[16], today[16], who[128];
	int64_t t, now = now_unix();
	size_t i, n = 0;
	int ch, list = 0, rc = EXIT_RUNTIME, known, changed;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:r:u:b:lh", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			by = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'l':
			list = 1;
			break;
		case 'X':
			remove = optarg;
			break;
		case 'h':
			fputs(waive_usage, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("waive ", "bad option");
		}
	}
	if (optind < argc)
		fid = argv[optind++];
	if (optind < argc)
		return cli_usage_error("waive ", "unexpected argument '%s'",
		    argv[optind]);
	if (list + (remove != NULL) + (fid != NULL) != 1)
		return cli_usage_error("waive ", "say FINDING_ID, --list or "
		    "--remove FINDING_ID");
	if ((list || remove != NULL) && (reason != NULL || until != NULL ||
	    by != NULL))
		return cli_usage_error("waive ", "--reason, --until and --by go "
		    "with FINDING_ID");
	if (remove != NULL && !finding_id_ok(remove))
		return cli_usage_error("waive ", "--remove: '%s' is not a "
		    "finding id (BA- and 16 hex digits)", remove);

	if (list) {
		if (store_open(db, STORE_READ, &st, err, sizeof(err)) != 0 ||
		    store_each_waiver(st, waiver_line, &n, err,
		    sizeof(err)) != 0)
			goto fail;
		if (n == 0)
			printf("no waivers in %s\n", db);
		rc = EXIT_OK;
		goto out;
	}
	if (remove != NULL) {
		if (store_open(db, STORE_WRITE, &st, err, sizeof(err)) != 0 ||
		    store_waiver_remove(st, remove, &changed, err,
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

	if (store_open(db, STORE_WRITE, &st, err, sizeof(err)) != 0 ||
	    store_finding_known(st, fid, &known, err, sizeof(err)) != 0)
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
