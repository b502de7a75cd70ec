/*
 * sector: sector profiles -- the reviewed data in sectors/<name>.ini that
 * tunes an audit to one sector's estate (banaudit ships telecom, power,
 * healthcare and localgov; every *.ini of the directory is a sector, so a
 * new sector is one file): which probes run on its targets and how gently,
 * which of a
 * rule's regulations apply there, how its findings are weighted, worded
 * and scheduled.  The files are data, like the rule pack; README.md
 * ("Sector profiles") is the authors' guide, this comment the contract.
 *
 * Syntax (INI, read through inih like the credentials file): "[section]"
 * headers, "key = value" lines, ';' or '#' at the start of a line, or " ;"
 * anywhere, starts a comment.  A line holds at most SECTOR_MAX_LINE
 * characters.  Section and key names are case-insensitive, except the
 * vendor names of [vendor-actions], which are compared with the rule
 * pack's vendors without regard to case.  Every section is optional but
 * [profile], [collection] and [actions]; unknown sections and keys are
 * errors; a key may appear once per section, except "apply".
 *
 *   [profile]
 *   sector = telecom          the sector (targets.csv name: a-z, 0-9, "_",
 *                             "-", at most 32); the file must be named
 *                             after it
 *   title = ...               one line for reports
 *   jurisdiction = US-TX      the default jurisdiction of its hosts
 *                             (juris.h), when neither targets.csv nor
 *                             --jurisdiction gives one (optional)
 *
 *   [collection]
 *   probes = system, entity   probe names (util/obs.h)
 *   rate = 0                  SNMP requests per second per device,
 *                             0..SECTOR_MAX_RATE; 0 = only the global
 *                             --rate cap (default 0)
 *   neighbours = on           on (the default): the neighbour-table
 *                             probes (PROBES_NEIGHBOURS: interfaces,
 *                             arp, fdb, lldp, cdp) are added, and the
 *                             SNMP engine runs them on routers and
 *                             bridges only; off: never (an error if
 *                             probes names one of them)
 *
 *   [regulations]
 *   apply = ndaa-889a         a rules/regulations.csv id, one per line
 *   owners = state-agencies, state-and-local
 *                             the kinds of party the sector's owners are:
 *                             a regulation binding one of them is an
 *                             obligation for its hosts, one binding
 *                             another kind background (juris.h; optional,
 *                             none when absent)
 *
 *   [risk]                    (see README.md "Risk scoring")
 *   impact_weight = 1         -1..1, added to every finding's impact
 *   exposure_running = 1      0..2, added to likelihood when the banned
 *                             software is seen running (a process)
 *   exposure_channels = 1     0..2, added to likelihood when the evidence
 *                             came over two or more channels
 *
 *   [due]                     days from first sighting to the due date,
 *   critical = 30             per risk rating, 1..3650 (defaults 30, 60,
 *   high = 60                 90, 180)
 *   medium = 90
 *   low = 180
 *
 *   [actions]                 recommended_action wording; {vendor} and
 *   default = ...             {product} are replaced.  default is
 *   critical = ...            required; a rule-severity key (critical,
 *                             high, medium, low) overrides it
 *
 *   [vendor-actions]          a vendor's wording overrides both
 *   Kaspersky = ...
 *
 * Errors read "FILE:LINE: message" (or "FILE: message" for what is
 * missing).  Whether the regulations and vendors exist is checked against
 * a loaded rule pack by sector_check().
 */
#ifndef BANAUDIT_SECTOR_H
#define BANAUDIT_SECTOR_H

#include <stddef.h>

#include "juris.h"
#include "rules.h"
#include "target.h"

#define SECTOR_MAX_FILE		(256 * 1024)
#define SECTOR_MAX_LINE		1024	/* characters, without the newline */
#define SECTOR_MAX_RATE		10000	/* requests per second per device */
#define SECTOR_MAX_APPLY	128	/* regulations per profile */
#define SECTOR_LEVELS		4	/* critical, high, medium, low */

struct sector_vendor_action {
	char		*vendor;
	char		*text;
	unsigned	 line;
};

struct sector_profile {
	char		*name;		/* "telecom": lower case */
	char		*path;		/* the file it was read from */
	char		*title;
	char		 jurisdiction[JURIS_LEN];	/* or "" */
	unsigned	 owners;	/* JURIS_PARTY_BIT() set */
	unsigned	 probes;	/* PROBE_BIT() set */
	unsigned	 rate;		/* SNMP requests/s per target, or 0 */
	int		 neighbours;	/* "neighbours = on" (the default) */
	char		**regs;		/* regulation ids ("apply") */
	unsigned	*reg_lines;
	size_t		 nregs;
	int		 impact_weight;		/* -1..1 */
	int		 exposure_running;	/* 0..2 */
	int		 exposure_channels;	/* 0..2 */
	/* Indexed critical, high, medium, low (risk.h RISK_CRITICAL...). */
	int		 due_days[SECTOR_LEVELS];
	char		*action_default;
	char		*action_severity[SECTOR_LEVELS];	/* or NULL */
	struct sector_vendor_action *vendor_actions;
	size_t		 nvendor_actions;
};

#define SECTOR_MAX_SECTORS	64	/* profiles in one directory */

/* The profiles of a directory, sorted by name. */
struct sector_set {
	struct sector_profile	**v;
	const char		**names;	/* v[i]->name, for look-ups */
	size_t			 n;
	char			*dir;
};

/*
 * Reads one profile file.  Returns 0 and sets *out (free with
 * sector_free()), or -1 with *out NULL and "FILE:LINE: message" in err.
 */
int	 sector_load(const char *path, struct sector_profile **out, char *err,
	    size_t errlen);
void	 sector_free(struct sector_profile *);

/*
 * Reads every DIR/<name>.ini (at least one, at most SECTOR_MAX_SECTORS;
 * other files are passed over) and checks that each file's "sector" is its
 * name.  Returns 0 and fills *out (free with sector_set_free()), or -1
 * with *out empty and the first error in err.
 */
int	 sector_set_load(const char *dir, struct sector_set *out, char *err,
	    size_t errlen);
void	 sector_set_free(struct sector_set *);

/*
 * Checks a profile against the rule pack: every "apply" names a
 * regulation of the pack and every [vendor-actions] key a vendor of one of
 * its rules.  Returns 0 or -1 with "FILE:LINE: message".  Only reads the
 * pack's arrays (no rules.c call), so it links without the matcher.
 */
int	 sector_check(const struct sector_profile *, const struct rule_pack *,
	    char *err, size_t errlen);
/* sector_check() for each profile of the set. */
int	 sector_set_check(const struct sector_set *, const struct rule_pack *,
	    char *err, size_t errlen);

/*
 * The profile of a sector name as stored with a host ("telecom"; any
 * case), or NULL for NULL, an unknown name or a set without it.  set may
 * be NULL.  Borrowed from the set.
 */
const struct sector_profile *sector_set_find(const struct sector_set *,
	    const char *name);

/* Does the profile apply regulation id?  (Exact, case-sensitive ids.) */
int	 sector_applies(const struct sector_profile *, const char *reg_id);

/*
 * Writes the recommended action for a finding of vendor/product with the
 * rule severity into buf: the vendor's wording, else the severity's, else
 * the default, with {vendor} and {product} replaced.  "{vendor} {product}"
 * becomes the product alone when the product already names the vendor
 * (its first word, as a word): "Huawei routers", never "Huawei Huawei
 * routers".  Cut to fit len.
 */
void	 sector_action(const struct sector_profile *, const char *vendor,
	    const char *product, const char *severity, char *buf,
	    size_t len);

#endif
