/*
 * cli: what the subcommands of the command line share -- the exit codes of
 * the contract, the default database, the error messages and their exit
 * codes, the command frame (options parsed and --help written from one
 * table per command; the database opened one way), the rule pack and
 * sector profiles found and loaded, and the scan's signal handling.
 * Every message goes to stderr, prefixed "banaudit: ".  Nothing here
 * exits: commands return an exit code, and main.c, the only file that
 * exits, returns it.
 *
 * A cmd argument names the command in "Try 'banaudit CMD --help'." with
 * its trailing space: "scan ".
 */
#ifndef BANAUDIT_CLI_H
#define BANAUDIT_CLI_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "locate.h"
#include "oui.h"
#include "rules.h"
#include "sector.h"
#include "store.h"
#include "util.h"

#define EXIT_OK		0	/* success */
#define EXIT_USAGE	2	/* bad usage or input */
#define EXIT_RUNTIME	3	/* runtime failure */
#define EXIT_FINDINGS	4	/* open findings, with --fail-on-findings */
#define EXIT_INTERRUPTED 130	/* a scan stopped by SIGINT or SIGTERM */

#define DEFAULT_DB	"banaudit.db"

/* The commands: argv[0] is the command's name; each returns an exit code. */
int	 cmd_scan(int argc, char *argv[]);
int	 cmd_import(int argc, char *argv[]);
int	 cmd_report(int argc, char *argv[]);
int	 cmd_rules(int argc, char *argv[]);
int	 cmd_diff(int argc, char *argv[]);
int	 cmd_runs(int argc, char *argv[]);
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
 * The command frame.  A command describes itself once -- its name, its
 * usage text and a table of its options -- and cli_parse() reads the
 * command line from that table, writes --help from it (each option's
 * line and its default, read from where the parser stores the value, so
 * the two cannot disagree) and reports every usage error the same way:
 * "banaudit: --NAME: reason" and "Try 'banaudit CMD --help'.", exit 2.
 *
 * What an option stores, in the variable dst points to:
 */
enum cli_kind {
	CLI_FLAG,	/* no argument: int, set to 1 */
	CLI_STR,	/* const char *, borrowed from argv */
	CLI_UINT,	/* unsigned, a number in [min, max] */
	CLI_INT,	/* int, a number in [min, max] */
	CLI_SIZE,	/* size_t, a number in [min, max] */
	CLI_I64,	/* int64_t, a number in [min, max] */
	CLI_FN		/* parse(value, dst, err, errlen): 0, or -1 with
			   the reason in err ("'x' is not ...") */
};

/*
 * One option.  dst is borrowed: a local variable or field of the command,
 * so the table is a local array beside them, filled in by the command
 * before cli_parse().  min MUST be >= 0 and max MUST fit the kind.
 * help NULL: the option is accepted but not listed.  def NULL: --help
 * says the value dst holds (numbers; strings when not NULL); otherwise
 * def is what --help says ("" for nothing).
 */
struct cli_opt {
	char		  letter;	/* short option, or 0 */
	const char	 *name;		/* long option, without "--" */
	const char	 *arg;		/* "FILE"; NULL for CLI_FLAG */
	enum cli_kind	  kind;
	void		 *dst;
	long		  min, max;	/* numbers */
	int		(*parse)(const char *, void *, char *, size_t);
	const char	 *help;		/* may hold line breaks */
	const char	 *def;
};

/*
 * A command: its name ("scan"), its usage line(s) and description,
 * printed before the options (ending with a blank line), what follows
 * them (may be NULL), and how many arguments it takes after its options
 * (-1: any; the command checks them).
 */
struct cli_cmd {
	const char	*name;
	const char	*synopsis;
	const char	*epilog;
	int		 max_args;
};

/*
 * Parses argv[1..argc) by tab[0..n) and --help (-h), from optind 1;
 * options and arguments may mix (GNU getopt).  0: parsed, optind is the
 * first argument.  -1: the command is done with exit code *rc: EXIT_OK
 * after --help on stdout, EXIT_USAGE after a usage error (an unknown
 * option, a bad value, too many arguments).  Values parsed before a bad
 * one are stored.
 */
int	 cli_parse(const struct cli_cmd *cmd, const struct cli_opt *tab,
	    size_t n, int argc, char *argv[], int *rc);

/* A CLI_FN parser: --jurisdiction CODE into a char[JURIS_LEN]. */
int	 cli_parse_juris(const char *v, void *dst, char *err, size_t errlen);

/* Writes cmd's --help: synopsis, one line per listed option, epilog. */
void	 cli_usage(FILE *fp, const struct cli_cmd *cmd,
	    const struct cli_opt *tab, size_t n);

/*
 * Opens the database of a command, the one way every command does:
 * STORE_READ (read-only; a missing file is an error) for the commands
 * that only read, STORE_WRITE with flags (STORE_GROUP_READABLE) for the
 * others.  0, or -1 with the error printed (exit EXIT_RUNTIME).  *st:
 * caller frees with store_close().
 */
int	 cli_open_db(const char *db, enum store_mode mode, unsigned flags,
	    struct store **st);

/*
 * Who is accepting a waiver's risk, for the record: by (--by NAME) when
 * not NULL, else the account of euid from the password database and, when
 * sudo_user ($SUDO_USER) names someone else, that login first:
 * "alice (sudo as root)".  A uid without an account is "uid N".  Never
 * empty and never from $USER.  0, or -1 when by is empty, longer than
 * 100 bytes or has control characters (message in err).
 */
int	 cli_waiver_user(const char *by, const char *sudo_user, uid_t euid,
	    char *buf, size_t len, char *err, size_t errlen);

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
