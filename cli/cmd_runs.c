/*
 * cmd_runs: "banaudit runs" -- the runs a database holds, so that a user
 * can pick a run id without sqlite3: id, uuid, site, scope, kind, status,
 * times, targets assessed, open findings and, for merged runs, origin.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "store.h"
#include "util.h"

static const char runs_synopsis[] =
"usage: banaudit runs [--db FILE] [--format text|json]\n"
"\n"
"Lists the runs of the database, oldest first: id, status, kind, start,\n"
"targets (assessed, partially, not assessed), open findings, site and\n"
"scope; then uuid, end and, for a merged run, where it came from.\n"
"\n";

static const struct cli_cmd runs_cmd = { "runs", runs_synopsis, NULL, 0 };

int
cmd_runs(int argc, char *argv[])
{
	const char *db = DEFAULT_DB, *format = "text";
	struct store *st = NULL;
	char err[ERRLEN];
	int rc;
	const struct cli_opt opts[] = {
		{ 'd', "db", "FILE", CLI_STR, &db, 0, 0, NULL, "database",
		    NULL },
		{ 'f', "format", "FORMAT", CLI_STR, &format, 0, 0, NULL,
		    "text or json (docs/runs.schema.json)", NULL },
	};

	if (cli_parse(&runs_cmd, opts, NELEM(opts), argc, argv, &rc) != 0)
		return rc;
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return cli_usage_error("runs ", "--format: unknown format '%s' "
		    "(text or json)", format);
	if (cli_open_db(db, STORE_READ, 0, &st) != 0)
		return EXIT_RUNTIME;
	rc = report_runs(st, strcmp(format, "json") == 0, stdout, err,
	    sizeof(err)) != 0 ? cli_runtime_error(err) : EXIT_OK;
	store_close(st);
	return rc;
}
