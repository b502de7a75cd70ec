/*
 * cmd_runs: "banaudit runs" -- the runs a database holds, so that a user
 * can pick a run id without sqlite3: id, uuid, site, scope, kind, status,
 * times, targets assessed, open findings and, for merged runs, origin.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "store.h"
#include "util.h"

static const char runs_usage[] =
"usage: banaudit runs [--db FILE] [--format text|json]\n"
"\n"
"Lists the runs of the database, oldest first: id, status, kind, start,\n"
"targets (assessed, partially, not assessed), open findings, site and\n"
"scope; then uuid, end and, for a merged run, where it came from.\n"
"\n"
"  -d, --db FILE         database (default ./" DEFAULT_DB ")\n"
"  -f, --format FORMAT   text (default) or json (docs/runs.schema.json)\n"
"  -h, --help\n";

int
cmd_runs(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = DEFAULT_DB, *format = "text";
	struct store *st = NULL;
	char err[ERRLEN];
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'h':
			fputs(runs_usage, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("runs ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("runs ", "unexpected argument '%s'",
		    argv[optind]);
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return cli_usage_error("runs ", "--format: unknown format '%s' "
		    "(text or json)", format);
	if (store_open(db, STORE_READ, &st, err, sizeof(err)) != 0)
		return cli_runtime_error(err);
	rc = report_runs(st, strcmp(format, "json") == 0, stdout, err,
	    sizeof(err)) != 0 ? cli_runtime_error(err) : EXIT_OK;
	store_close(st);
	return rc;
}
