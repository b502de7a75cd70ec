/*
 * cmd_report: "banaudit report" -- a stored run written in one of the
 * report formats (report.h), to standard output or atomically to a file;
 * and "banaudit rules list|check" -- the rule pack printed or validated.
 */
#include <errno.h>
#include <fcntl.h>
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

static const char report_synopsis[] =
"usage: banaudit report --format FORMAT [options]\n"
"\n"
"Writes a report of a stored run.  Without --run, a database holding\n"
"complete runs of several scopes (a merged estate) is reported as the\n"
"estate: each scope's latest complete run, every row naming its run.\n"
"\n";

static const struct cli_cmd report_cmd = { "report", report_synopsis, NULL,
    0 };

/* --sector NAME, a name a sector could have, into a const char *. */
static int
parse_sector(const char *v, void *dst, char *err, size_t errlen)
{
	if (!target_sector_ok(v))
		return errf(err, errlen, "'%s' is not a sector name", v);
	*(const char **)dst = v;
	return 0;
}

/*
 * Prints "banaudit: PATH: [WHAT: ]reason" from errno, the path whole (a
 * path is not cut to fit a message buffer); returns EXIT_RUNTIME.
 */
static int
file_error(const char *path, const char *what)
{
	int e = errno;

	fprintf(stderr, "banaudit: %s: %s%s%s\n", path, what != NULL ? what :
	    "", what != NULL ? ": " : "", strerror(e));
	return EXIT_RUNTIME;
}

/*
 * Opens what --output names for writing.  A regular file (or a new one)
 * is written as a temporary file beside it, tmp, renamed into place at
 * the end, so a failed report never leaves a half-written file.  A
 * device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in place:
 * renaming over it would replace the device node with a file.  tmp is
 * left empty then.  Returns the stream, or NULL after saying why.
 */
static FILE *
output_open(const char *output, int group, char *tmp, size_t tmplen)
{
	struct stat sb;
	FILE *fp;
	int fd;

	tmp[0] = '\0';
	if (stat(output, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if (S_ISDIR(sb.st_mode)) {
			errno = EISDIR;
			file_error(output, NULL);
			return NULL;
		}
		fd = open(output, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
			file_error(output, NULL);
			if (fd >= 0)
				close(fd);
			return NULL;
		}
		return fp;
	}
	if ((size_t)snprintf(tmp, tmplen, "%s.tmpXXXXXX", output) >= tmplen) {
		tmp[0] = '\0';
		errno = ENAMETOOLONG;
		file_error(output, NULL);
		return NULL;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		tmp[0] = '\0';
		file_error(output, NULL);
		return NULL;
	}
	/* An inventory of critical infrastructure: not for all. */
	if (fchmod(fd, group ? 0640 : 0600) != 0 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		file_error(tmp, NULL);
		close(fd);
		unlink(tmp);
		tmp[0] = '\0';
		return NULL;
	}
	return fp;
}

/* Writes a report to standard output or to --output (output_open()). */
int
cmd_report(int argc, char *argv[])
{
	const char *db = DEFAULT_DB, *format = NULL, *output = NULL;
	struct report_opts ro;
	struct store *st = NULL;
	char err[ERRLEN], tmp[PATH_MAX];
	FILE *fp = NULL;
	int rc = EXIT_USAGE, group = 0;
	/* The options, in --help's order: what each takes and stores. */
	const struct cli_opt opts[] = {
		{ 'f', "format", "FORMAT", CLI_STR, &format, 0, 0, NULL,
		    "csv (findings, risk-register columns), html,\n"
		    "leads-csv (leads to check: not findings),\n"
		    "json (the run: counts, coverage, findings,\n"
		    "leads), jsonl (one finding per line),\n"
		    "inventory-csv (every observation),\n"
		    "coverage-csv (every host, channel and probe)", NULL },
		{ 'd', "db", "FILE", CLI_STR, &db, 0, 0, NULL, "database",
		    NULL },
		{ 0, "run", "ID", CLI_I64, &ro.run, 1, LONG_MAX, NULL,
		    "run to report", "the latest; the estate" },
		{ 's', "sector", "NAME", CLI_FN, &ro.sector, 0, 0,
		    parse_sector, "only this sector", NULL },
		{ 0, "site", "NAME", CLI_STR, &ro.site, 0, 0, NULL,
		    "only this site of the estate (its site database)",
		    NULL },
		{ 'o', "output", "FILE", CLI_STR, &output, 0, 0, NULL,
		    "write to FILE (mode 0600)", "standard output" },
		{ 0, "group-readable", NULL, CLI_FLAG, &group, 0, 0, NULL,
		    "write FILE mode 0640", NULL },
		{ 0, "html-max-hosts", "N", CLI_SIZE, &ro.html_max_hosts, 1,
		    100000000, NULL, "html: above N hosts, counts per sector\n"
		    "and site instead of every host and finding", NULL },
	};

	memset(&ro, 0, sizeof(ro));
	ro.html_max_hosts = REPORT_HTML_MAX_HOSTS;
	tmp[0] = '\0';
	if (cli_parse(&report_cmd, opts, NELEM(opts), argc, argv, &rc) != 0)
		return rc;
	rc = EXIT_USAGE;
	if (format == NULL)
		return cli_usage_error("report ", "--format is required");
	if (report_format_from_name(format, &ro.format) != 0)
		return cli_usage_error("report ", "--format: unknown format "
		    "'%s' (csv, html, json, jsonl, leads-csv, inventory-csv, "
		    "coverage-csv)", format);

	if (cli_open_db(db, STORE_READ, 0, &st) != 0) {
		rc = EXIT_RUNTIME;
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
		fp = output_open(output, group, tmp, sizeof(tmp));
		if (fp == NULL) {
			rc = EXIT_RUNTIME;
			goto out;
		}
	} else
		fp = stdout;
	if (report_write(st, &ro, fp, err, sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	if (fflush(fp) != 0 || ferror(fp)) {
		rc = file_error(output ? output : "standard output",
		    "write failed");
		goto out;
	}
	if (output != NULL) {
		if (fclose(fp) != 0 || (tmp[0] != '\0' &&
		    rename(tmp, output) != 0)) {
			fp = NULL;
			rc = file_error(output, NULL);
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

static const char rules_synopsis[] =
"usage: banaudit rules [--rules DIR] [--jurisdiction CODE] list|check\n"
"\n"
"  list    print the rule pack: regulations, rules and their signatures\n"
"  check   validate the pack (exit 0 when valid, 2 with FILE:LINE errors)\n"
"\n";

static const struct cli_cmd rules_cmd = { "rules", rules_synopsis, NULL,
    -1 };

int
cmd_rules(int argc, char *argv[])
{
	const char *dir = NULL, *what;
	struct rule_pack *pack = NULL;
	char juris[JURIS_LEN] = "";
	int rc;
	const struct cli_opt opts[] = {
		{ 'r', "rules", "DIR", CLI_STR, &dir, 0, 0, NULL, "rule pack",
		    "the installed one" },
		{ 'j', "jurisdiction", "CODE", CLI_FN, juris, 0, 0,
		    cli_parse_juris, "list only what applies there: US "
		    "(federal\nlaw) or a state, US-TX", "everything" },
	};

	if (cli_parse(&rules_cmd, opts, NELEM(opts), argc, argv, &rc) != 0)
		return rc;
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
