/*
 * main: the banaudit command line -- the table of commands, the top-level
 * usage, --help and --version.  Each command (cmd_*.c, declared in cli.h)
 * parses its own options, validates every input before the database is
 * opened for writing and returns an exit code of the contract:
 *   0 success, 2 bad usage or input, 3 runtime failure, 4 findings with
 *   --fail-on-findings.
 * This is the only file that calls exit().
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"

struct command {
	const char	*name;
	int		(*fn)(int, char *[]);
	const char	*summary;
};

static const struct command commands[] = {
	{ "scan", cmd_scan, "collect from targets, store the run, match "
	    "the rules" },
	{ "import", cmd_import, "record inventories from files (XML, JSON, "
	    "CSV)" },
	{ "report", cmd_report, "write findings, inventory, coverage or "
	    "HTML reports" },
	{ "diff", cmd_diff, "what changed between two runs" },
	{ "merge", cmd_merge, "roll site databases up into one" },
	{ "waive", cmd_waive, "accept a finding's risk until a date; list, "
	    "remove" },
	{ "rules", cmd_rules, "list or check the rule pack" },
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: banaudit COMMAND [options]\n"
	    "       banaudit --help | --version\n\n"
	    "Finds banned-vendor software and equipment (Kaspersky, Huawei, "
	    "ZTE,\nHikvision, Dahua, Hytera) in a network and reports it "
	    "with evidence.\n\ncommands:\n");
	for (i = 0; i < NELEM(commands); i++)
		fprintf(fp, "  %-8s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(fp, "\n'banaudit COMMAND --help' describes each command.\n"
	    "exit codes: 0 ok, 2 bad usage or input, 3 runtime failure,\n"
	    "4 findings (with --fail-on-findings).\n");
}

int
main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0) {
		printf("banaudit %s\n", BANAUDIT_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < NELEM(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "banaudit: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
