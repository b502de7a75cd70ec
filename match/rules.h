/*
 * rules: loads and validates the rule pack -- the versioned, cited data in
 * rules/ that says which regulations exist, which products they cover and
 * what those products look like to the collectors.  rules/README.md is the
 * authors' guide; this comment is the contract for the code.
 *
 *   VERSION            one line, "YEAR.MONTH.N", e.g. "2026.11.0"
 *   regulations.csv    id,title,issuer,citation,effective_date,url,confidence,
 *                      jurisdiction,binds,repealed
 *   rules.csv          id,vendor,product,action,severity,regulations,
 *                      description,source
 *   signatures.csv     id,rule,field,match,pattern,strength,requires,note,
 *                      source
 *
 * A rule is one banned product family (or a look-alike to exclude); its
 * signatures are the signals that point at it.  action:
 *   flag      raises a finding;
 *   verify    raises a finding marked "possible, verify" (OEM, affiliates,
 *             unregistered numbers);
 *   fallback  a vendor's generic signals (enterprise number, MAC OUI, the
 *             vendor's name): raises a finding only when no flag rule of
 *             the same vendor fires on the host, else its evidence joins
 *             that finding (see match.h);
 *   exclude   marks observations as a known look-alike that no other rule
 *             may use as evidence;
 *   lead      something not prohibited that points at a former or possible
 *             banned install (a replacement product, an identifier many
 *             devices share): raises a lead to check, never a finding --
 *             no severity, no regulation, no risk, no due date; it never
 *             joins a finding nor takes one's evidence.
 * field is "kind.attr" (obs.h), optionally "kind.attr@item" to require the
 * observation's item (for vendor MIBs: "vendor.devicetype@hikvision").
 * match is one of word, exact, prefix, package, path, oid, regex, cidr,
 * image (see match.h).  strength is strong, medium or weak; requires
 * "corroboration" means the signal counts only when another signal of the
 * same rule matched the same host.
 *
 * Loading checks everything "banaudit rules check" promises: exact header
 * rows, every row parses, ids are well formed and unique, referenced rules
 * and regulations exist, fields are known, patterns compile, dates are real
 * dates, every rule has a signal that can fire.  Errors read
 * "FILE:LINE: message", FILE being the path under the pack directory.
 */
#ifndef BANAUDIT_RULES_H
#define BANAUDIT_RULES_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "obs.h"

/* Longest pattern accepted; bounds the work per value (see match.h). */
#define RULES_MAX_PATTERN	256

enum rule_action {
	ACTION_FLAG,
	ACTION_VERIFY,
	ACTION_EXCLUDE,
	ACTION_FALLBACK,
	ACTION_LEAD
};

enum match_type {
	MATCH_WORD,	/* phrase at word boundaries, case-insensitive */
	MATCH_EXACT,	/* whole value, case-insensitive */
	MATCH_PREFIX,	/* value starts with pattern, case-insensitive */
	MATCH_PACKAGE,	/* Debian/RPM package name, version/arch stripped */
	MATCH_PATH,	/* a directory component sequence in a path */
	MATCH_OID,	/* dotted OID equals pattern or lies under it */
	MATCH_REGEX,	/* POSIX ERE, case-insensitive */
	MATCH_CIDR,	/* IPv4/IPv6 address inside a network */
	MATCH_IMAGE	/* executable name, directory and ".exe" stripped */
};

enum strength { STRENGTH_WEAK = 1, STRENGTH_MEDIUM = 2, STRENGTH_STRONG = 3 };

struct regulation {
	char		*id;
	char		*title;
	char		*name;		/* the title up to its first ": " */
	char		*issuer;
	char		*citation;
	char		*effective_date;	/* YYYY-MM-DD or "" */
	char		*url;
	char		*confidence;	/* "primary", "secondary" or
					   "unverified", maybe "; detail" */
	char		*jurisdiction;	/* "US" or "US-TX" (juris.h) */
	int		 binds;		/* the party it binds (juris.h) */
	char		*repealed;	/* YYYY-MM-DD or "" when in force */
	unsigned	 line;
};

struct rule {
	char		*id;
	char		*vendor;
	char		*product;
	enum rule_action action;
	char		*severity;	/* critical, high, medium, low; ""
					   for exclude rules */
	struct regulation **regs;	/* borrowed from the pack; most
					   authoritative first */
	size_t		 nregs;
	char		*description;
	char		*source;
	unsigned	 line;
	size_t		 nsigs;		/* signatures naming this rule */
};

struct signature {
	char		*id;
	struct rule	*rule;		/* borrowed from the pack */
	enum obs_kind	 kind;
	char		*attr;
	char		*item;		/* required item, or NULL for any */
	enum match_type	 match;
	char		*pattern;	/* as written in the pack */
	enum strength	 strength;
	int		 corroboration;	/* counts only with another signal */
	char		*note;
	char		*source;
	unsigned	 line;
	/* Compiled forms. */
	char		*norm;		/* MATCH_PATH: lower-case components
					   joined by '/'; MATCH_OID: arcs
					   without a leading dot; else the
					   pattern */
	size_t		 normlen;
	uint64_t	 need;		/* bigrams every match contains:
					   see match_bigrams() (pattern.h);
					   0 when none is required */
	regex_t		 re;		/* MATCH_REGEX */
	int		 has_re;
	unsigned char	 net[16];	/* MATCH_CIDR */
	int		 net_family;	/* AF_INET or AF_INET6 */
	int		 net_bits;
};

struct rules_index;
struct sigscan;

struct rule_pack {
	char			*dir;
	char			*version;
	struct regulation	*regs;
	size_t			 nregs;
	struct rule		*rules;
	size_t			 nrules;
	struct signature	*sigs;
	size_t			 nsigs;
	struct rules_index	*index;	/* private: signatures by field */
};

/*
 * Loads and validates the pack in dir.  Returns 0 and sets *out (free with
 * rules_free()), or -1 with *out NULL and "FILE:LINE: message" in err.
 */
int	 rules_load(const char *dir, struct rule_pack **out, char *err,
	    size_t errlen);
void	 rules_free(struct rule_pack *);

/* Look-ups by id; NULL when absent.  Pointers are borrowed from the pack. */
const struct regulation *rules_regulation(const struct rule_pack *,
	    const char *id);
const struct rule *rules_rule(const struct rule_pack *, const char *id);

/*
 * The signatures whose field is (kind, attr), exclude rules' first, then in
 * pack order; *n receives the count.  NULL (and *n = 0) when none.  The
 * array is borrowed from the pack.  Constant time in the pack's size.
 */
const struct signature *const *rules_signatures_for(
	    const struct rule_pack *, enum obs_kind, const char *attr,
	    size_t *n);

/*
 * A field (kind, attr): its signatures, as rules_signatures_for() gives
 * them, and the one-pass test of them all built at load (sigscan.h; NULL
 * when the field has more than SIGSCAN_MAX_SIGS).  Borrowed from the
 * pack.
 */
struct rules_field {
	const struct signature *const	*sigs;
	size_t				 n;
	const struct sigscan		*scan;
};

/* The field (kind, attr), or NULL when no signature has it. */
const struct rules_field *rules_field_for(const struct rule_pack *,
	    enum obs_kind, const char *attr);

/*
 * The vendor subtrees the pack covers: the distinct patterns of the
 * signatures whose field is vendor.oid@enterprise (match oid) of rules
 * that are not exclude rules, in pack order, without a leading dot.  The
 * SNMP "enterprise" probe asks one GETNEXT into each.  Fills at most max
 * pointers (borrowed from the pack) and returns how many there are.
 * rules_load() refuses a pack with more than RULES_MAX_SUBTREES, or with
 * such a signature of another match type.
 */
#define RULES_MAX_SUBTREES	16
size_t	 rules_subtrees(const struct rule_pack *, const char **out,
	    size_t max);

/*
 * "banaudit rules list": a readable table of rules and their signals.
 * With a jurisdiction ("US-TX"; NULL for all), only the regulations that
 * cover it (juris_covers()) and the rules citing one of them (and the
 * look-alikes) are listed.
 */
void	 rules_print(const struct rule_pack *, const char *jurisdiction,
	    FILE *);

const char	*rule_action_name(enum rule_action);
const char	*match_type_name(enum match_type);
const char	*strength_name(enum strength);

#endif
