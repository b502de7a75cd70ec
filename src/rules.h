/*
 * rules: loads and validates the rule pack -- the versioned, cited data in
 * rules/ that says which regulations exist, which products they cover and
 * what those products look like to the collectors.
 *
 *   VERSION            one line, e.g. "2026.11.0"
 *   regulations.csv    id,title,issuer,citation,effective_date,url,confidence
 *   rules.csv          id,vendor,product,action,severity,regulations,
 *                      description,source
 *   signatures.csv     id,rule,field,match,pattern,strength,requires,note,
 *                      source
 *
 * A rule is one banned product (or a look-alike to exclude); its signatures
 * are the signals that point at it.  action: "flag" raises a finding,
 * "verify" raises a finding marked "possible, verify" (OEM, affiliates),
 * "exclude" marks observations as a known look-alike that no other rule may
 * use.  field is "kind.attr" (obs.h).  match is one of word, exact, prefix,
 * package, path, oid, regex, cidr (see match.h).  strength is strong,
 * medium or weak; requires "corroboration" means the signal counts only
 * when another signal of the same rule matched the same host.
 *
 * Loading checks everything "banaudit rules check" promises: every row
 * parses, ids are unique, referenced rules and regulations exist, fields
 * are known, patterns compile.  Errors read "FILE:LINE: message".
 */
#ifndef BANAUDIT_RULES_H
#define BANAUDIT_RULES_H

#include <regex.h>
#include <stdint.h>
#include <stdio.h>

#include "obs.h"

enum rule_action { ACTION_FLAG, ACTION_VERIFY, ACTION_EXCLUDE };

enum match_type {
	MATCH_WORD,	/* phrase at word boundaries, case-insensitive */
	MATCH_EXACT,	/* whole value, case-insensitive */
	MATCH_PREFIX,	/* value starts with pattern, case-insensitive */
	MATCH_PACKAGE,	/* Debian/RPM package name, version/arch stripped */
	MATCH_PATH,	/* a directory component sequence in a path */
	MATCH_OID,	/* dotted OID equals pattern or lies under it */
	MATCH_REGEX,	/* POSIX ERE, case-insensitive */
	MATCH_CIDR	/* IPv4/IPv6 address inside a network */
};

enum strength { STRENGTH_WEAK = 1, STRENGTH_MEDIUM = 2, STRENGTH_STRONG = 3 };

struct regulation {
	char		*id;
	char		*title;
	char		*issuer;
	char		*citation;
	char		*effective_date;	/* YYYY-MM-DD */
	char		*url;
	char		*confidence;
	unsigned	 line;
};

struct rule {
	char		*id;
	char		*vendor;
	char		*product;
	enum rule_action action;
	char		*severity;	/* critical, high, medium, low */
	struct regulation **regs;	/* borrowed from the pack */
	size_t		 nregs;
	char		*description;
	char		*source;
	unsigned	 line;
};

struct signature {
	char		*id;
	struct rule	*rule;		/* borrowed from the pack */
	enum obs_kind	 kind;
	char		*attr;
	enum match_type	 match;
	char		*pattern;
	enum strength	 strength;
	int		 corroboration;	/* counts only with another signal */
	char		*note;
	char		*source;
	unsigned	 line;
	/* Compiled forms. */
	regex_t		 re;		/* MATCH_REGEX */
	int		 has_re;
	unsigned char	 net[16];	/* MATCH_CIDR */
	int		 net_family;
	int		 net_bits;
};

struct rule_pack {
	char			*dir;
	char			*version;
	struct regulation	*regs;
	size_t			 nregs;
	struct rule		*rules;
	size_t			 nrules;
	struct signature	*sigs;
	size_t			 nsigs;
};

/* Loads and validates dir.  *out is NULL on failure; free: rules_free(). */
int	 rules_load(const char *dir, struct rule_pack **out, char *err,
	    size_t errlen);
void	 rules_free(struct rule_pack *);

const struct regulation *rules_regulation(const struct rule_pack *,
	    const char *id);
const struct rule *rules_rule(const struct rule_pack *, const char *id);

/* "banaudit rules list": a readable table of rules and their signals. */
void	 rules_print(const struct rule_pack *, FILE *);

const char	*rule_action_name(enum rule_action);
const char	*match_type_name(enum match_type);
const char	*strength_name(enum strength);

#endif
