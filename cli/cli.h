/*
 * cli: what the subcommands of the command line share -- the exit codes of
 * the contract, the default database, the error messages and their exit
 * codes, numeric options (one at a time, or from a table looked up in the
 * getopt loop), the rule pack and sector profiles found and loaded, and
 * the scan's signal handling.  Every message goes to stderr, prefixed
 * "banaudit: ".  Nothing here exits: commands return an exit code, and
 * main.c, the only file that exits, returns it.
 *
 * A cmd argument names the command in "Try 'banaudit CMD --help'." with
 * its trailing space: "scan ".
 */
#ifndef BANAUDIT_CLI_H
#define BANAUDIT_CLI_H

#include <signal.h>
#include <stddef.h>

#include "locate.h"
#include "oui.h"
#include "rules.h"
#include "sector.h"
#include "util.h"

#define EXIT_OK		0	/* success */
#define EXIT_USAGE	2	/* bad usage or input */
#define EXIT_RUNTIME	3	/* runtime failure */
#define EXIT_FINDINGS	4	/* open findings, with --fail-on-findings */

#define DEFAULT_DB	"banaudit.db"

/* The commands: argv[0] is the command's name; each returns an exit code. */
int	 cmd_scan(int argc, char *argv[]);
int	 cmd_import(int argc, char *argv[]);
int	 cmd_report(int argc, char *argv[]);
int	 cmd_rules(int argc, char *argv[]);
int	 cmd_diff(int argc, char *argv[]);
int	 cmd_merge(int argc, char *argv[]);
int	 cmd_waive(int argc, char *argv[]);

/*
 * Prints "banaudit: MESSAGE" and "Try 'banaudit CMD--help'."; returns
 * EXIT_USAGE.
 */
int	 cli_usage_error(const char *cmd, const char *fmt, ...)
	    PRINTF_LIKE(2, 3);

/* Print "banaudit: msg"; return EXIT_USAGE (bad input) or EXIT_RUNTIME. */
int	 cli_input_error(const char *msg);
int	 cli_runtime_error(const char *msg);

/*
 * Parses the value v of option --opt, a decimal number in [min, max], into
 * *out: 0, or -1 after a usage error (*out unchanged).
 */
int	 cli_opt_number(const char *cmd, const char *opt, const char *v,
	    long min, long max, long *out);

/*
 * A numeric option in a command's table: its getopt_long value, its long
 * name (for the message), its range, and where the value is stored (dst
 * is borrowed: a field of the command's local options, so the table is a
 * local array beside them).  min MUST be >= 0 and max MUST fit an
 * unsigned.
 */
struct cli_num {
	int		 ch;
	const char	*name;
	long		 min, max;
	unsigned	*dst;
};

/* The entry of tab[0..n) for getopt value ch, or NULL. */
const struct cli_num *cli_num_find(const struct cli_num *tab, size_t n,
	    int ch);

/*
 * Parses v, the value of num's option, into *num->dst: 0, or -1 after
 * cli_opt_number()'s usage error (*num->dst unchanged).
 */
int	 cli_num_set(const struct cli_num *num, const char *cmd, const char *v);

/*
 * Load the rule pack from dir, or when dir is NULL from the data
 * directory ($BANAUDIT_DATADIR, the installed one, or beside the program);
 * likewise the sector profiles, checked against pack.  0, or -1 with the
 * error printed.  *pack: caller frees with rules_free().  *set: caller
 * frees with sector_set_free(); left empty on failure.
 */
int	 cli_load_rules(const char *dir, struct rule_pack **pack);
int	 cli_load_sectors(const char *dir, const struct rule_pack *pack,
	    struct sector_set *set);
/*
 * A --sector NAME checked against the loaded profiles: 0, or -1 after a
 * usage error that lists their names (the caller exits EXIT_USAGE).
 */
int	 cli_check_sector(const char *cmd, const struct sector_set *set,
	    const char *name);

/*
 * The MAC registry: the installed IEEE registry (ieee-data; a warning when
 * it is missing and file is NULL), then file (an IEEE CSV or Wireshark
 * manuf) on top when not NULL.  0, or -1 with the error printed (an input
 * error, exit 2).  *out: caller frees with oui_close(); pass it on only
 * when oui_count() > 0.
 */
int	 cli_load_oui(const char *file, struct oui_registry **out);
/* The one-line summary of what locate found, when it found anything. */
void	 cli_log_located(const struct locate_stats *,
	    const struct oui_registry *);

/*
 * Installs the scan's signal handling and returns the stop flag: the
 * first SIGINT or SIGTERM sets it (collectors wind down), a second one
 * kills the process; SIGPIPE is ignored.  The flag lives as long as the
 * process.
 */
volatile sig_atomic_t *cli_catch_signals(void);

#endif
