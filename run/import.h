/*
 * import: "banaudit import FILE..." -- inventories that other tools
 * collected, recorded as a run of their own.
 *
 * Formats, found from the content (or forced):
 *   xml   FusionInventory / GLPI Agent inventory, root <REQUEST>
 *         (inventory_xml.c, through the inventory sink)
 *   json  GLPI inventory_format JSON, {"deviceid", "content": {...}}
 *         (inventory_json.c, through the same sink)
 *   csv   software exports: generic, GLPI, Intune "discovered apps"
 *         (import_csv.c; one file may describe many hosts)
 *   and network inventories, told apart by their QUERY or action:
 *   NETDISCOVERY / SNMPQUERY XML and GLPI netdiscovery / netinventory
 *   JSON (netinv.h; each DEVICE a host).  When they hold port tables, the
 *   run goes through locate (locate.h), as a scan does, so that the
 *   devices learned on switch ports become hosts of their own.
 *
 * Two phases, so that a bad file never leaves half an import behind:
 * import_load() parses and validates every file completely into memory
 * (an import_set) before the database is opened; import_store() then
 * records the set as one run of kind "import" on channel "import", merges
 * each host with what the store already knows (uuid, serial, MAC, address:
 * see store_host()), and runs the matcher.
 *
 * Errors read "FILE:LINE: message" (or "FILE: message" where a format has
 * no lines) in the caller's buffer.
 */
#ifndef BANAUDIT_IMPORT_H
#define BANAUDIT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "locate.h"
#include "obs.h"
#include "rules.h"
#include "store.h"
#include "host.h"

struct sector_set;

/* Limits on what one import may hold; beyond them the input is refused. */
#define IMPORT_MAX_FILE		(256u << 20)	/* bytes per file */
#define IMPORT_MAX_OBS		4000000		/* observations, all files */
#define IMPORT_MAX_HOSTS	1000000		/* hosts, all files */

enum import_format {
	IMPORT_AUTO,
	IMPORT_XML,
	IMPORT_JSON,
	IMPORT_CSV,
	IMPORT__COUNT
};

/* "xml", "json" or "csv" ("ocs" is xml).  Returns 0 or -1. */
int		 import_format_from_name(const char *, enum import_format *);

/*
 * The format a buffer holds, from its first bytes: '<' is XML, '{' is
 * JSON, anything else CSV.  A UTF-8 BOM and leading white space are
 * skipped.
 */
enum import_format import_detect(const char *buf, size_t len);

/* One parsed value, owned by its host (strings live in value's block). */
struct import_obs {
	enum obs_kind	 kind;
	char		*item;
	char		*attr;
	char		*source;	/* may be NULL */
	enum value_type	 vtype;
	unsigned char	*value;		/* NUL-terminated; len excludes it */
	size_t		 len;
};

/*
 * One host as a file describes it.  Strings are NULL when unknown, never
 * empty, and owned by the set (its string list), so that two fields may
 * share one.
 */
struct import_host {
	const char	*file;		/* borrowed from the set */
	unsigned	 line;		/* first line (CSV), else 0 */
	struct host_attrs h;		/* the host's, in the run */
	const char	*uuid;
	const char	*serial;
	const char	*mac;		/* aa:bb:cc:dd:ee:ff */
	const char	*detail;	/* what the file held, for coverage */
	enum cov_status	 status;	/* of that coverage: ok, or for a
					   pulled asset or server, what the
					   server did */
	const char	*probe;		/* coverage probe: "" or "glpi" */
	struct import_obs *obs;
	size_t		 nobs;
	size_t		 size;
};

struct import_str;

/* Everything the files of one import describe. */
struct import_set {
	char		**files;	/* paths, in command-line order */
	size_t		 nfiles;
	struct import_host *hosts;
	size_t		 nhosts;
	size_t		 size;
	size_t		 nobs;		/* all hosts */
	size_t		 nneighbor;	/* rows for locate (netinv.h) */
	struct import_str *strs;	/* the hosts' strings (import.c) */
};

#define IMPORT_SET_INIT	{ NULL, 0, NULL, 0, 0, 0, 0, NULL }

/*
 * Reads and validates path (format forced unless IMPORT_AUTO) and adds its
 * hosts to set.  On error nothing of path is kept and err holds
 * "FILE:LINE: message".
 */
int	 import_load(struct import_set *, const char *path,
	    enum import_format, char *err, size_t errlen);
/* Same over a buffer; name is used in messages.  For tests. */
int	 import_load_mem(struct import_set *, const char *name,
	    const char *buf, size_t len, enum import_format, char *err,
	    size_t errlen);
struct cred_profile;
struct pull_opts;

/*
 * Pulls what the inventory server of profile p knows (glpi.h, wazuh.h)
 * into the set, as if it were one more file named "glpi:PROFILE" (or
 * "wazuh:PROFILE"): one host per asset (coverage ok, partial when its
 * last inventory is stale, or why it was not assessed: a Wazuh agent
 * disconnected or never inventoried), and a host for the server itself
 * (its address the URL's host) whose coverage (probe "glpi" or "wazuh")
 * says how the pull went -- ok, partial with the
 * count read, auth_failed, tls_failed, timeout, rate_limited, ... -- so
 * that a server that could not be read is part of the result, never an
 * error.  Returns -1 only when memory runs out.
 */
int	 import_pull(struct import_set *, const struct cred_profile *p,
	    const struct pull_opts *, char *err, size_t errlen);

/* Frees what the set holds and empties it.  An empty set is fine. */
void	 import_set_free(struct import_set *);

/* What the command line adds to hosts the files do not place. */
struct import_defaults {
	struct host_attrs h;		/* the host's, in the run */
	/* The sector profiles' names; a host's sector must be one of them
	   (not checked when nsectors is 0). */
	const char *const *sectors;
	size_t		 nsectors;
};

/*
 * Fills in what the files leave open.  A host without a sector, from its
 * file or defaults->sector, or with a sector that is not one of
 * defaults->sectors, is an error naming the file and the host.
 */
int	 import_apply_defaults(struct import_set *,
	    const struct import_defaults *, char *err, size_t errlen);

struct import_opts {
	const struct rule_pack	*rules;
	const char		*scope;	/* NULL: "import:<first file name>" */
	const char		*label;
	const char		*sector;	/* recorded on the run */
	/* Sector profiles for the findings (analyze.h); may be NULL. */
	const struct sector_set	*sectors;
	/* MAC vendors for the devices of network inventories; may be NULL. */
	const struct oui_registry *oui;
};

struct import_result {
	int64_t		 run;
	size_t		 hosts;		/* distinct hosts in the store */
	size_t		 observations;
	size_t		 findings;
	size_t		 leads;		/* leads to check: not findings */
	/* Network inventories: the devices of their ports (locate.h). */
	struct locate_stats located;
};

/*
 * Records the set as a new complete run: hosts (merged with earlier runs
 * and channels by their identity keys), observations, coverage, findings.
 * On failure the run is left marked failed.
 */
int	 import_store(struct store *, const struct import_set *,
	    const struct import_opts *, struct import_result *, char *err,
	    size_t errlen);

#endif
