/*
 * match: applies the rule pack to the observations of one host and says
 * which rules fire, on what evidence and with what confidence.  Pure: no
 * I/O, no store; the caller feeds rows and writes findings.  How one value
 * is tested against one signature is pattern.h's.
 *
 * match_host() semantics:
 *  - Signatures are looked up by field, so a row costs only the signatures
 *    of its own (kind, attr).  Rows must be the observations *about* one
 *    host: a neighbour row describing another device belongs to that
 *    device's (discovered) host, not to the switch that saw it.
 *  - Exclusions: an observation matched by a signature of an exclude rule
 *    is evidence for no other rule; the look-alike is reported in
 *    res->lookalikes (never in res->hits).
 *  - A rule fires when at least one of its signals that is not
 *    corroboration-only matched; corroboration-only signals then count
 *    too, otherwise they are ignored.
 *  - One hit per rule per host.  A fallback rule that fires on a host where
 *    a flag rule of the same vendor (case-insensitive) fires does not raise
 *    its own hit: its evidence joins the flag hit with the highest score.
 *    A verify hit likewise joins a flag (or surviving fallback) hit of the
 *    same vendor.  Verify hits are returned too; the caller marks them
 *    "possible, verify" (hit->rule->action == ACTION_VERIFY).
 *  - Leads (ACTION_LEAD) never join a hit.  A lead whose every matching
 *    observation is of kind system (name, location, contact, sysObjectID,
 *    banner) is dropped when a flag, fallback or verify hit of its vendor
 *    stands on the host: the finding says more.  Any other lead stays.
 *  - Confidence: independent signals raise it.  The score is the sum, over
 *    the distinct fields (kind.attr) that matched, of the best strength
 *    seen in that field (strong 3, medium 2, weak 1).  high >= 5,
 *    medium >= 3, else low.  One strong signal is "medium"; it takes two
 *    fields to reach "high"; a lone medium or weak signal is "low".
 *  - Evidence: the ids of the matching observations, at most
 *    MATCH_MAX_EVIDENCE per hit (hit->total counts them all).  When there
 *    are more, the strongest observation of each scoring field is kept
 *    first, then the earliest; the kept ids are in input order.  The score
 *    always uses every match, not only the kept ones.
 */
#ifndef BANAUDIT_MATCH_H
#define BANAUDIT_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "pattern.h"
#include "rules.h"
#include "store.h"

#define MATCH_MAX_EVIDENCE	32

struct match_hit {
	const struct rule	*rule;
	int64_t			*obs_ids;	/* evidence, in input order */
	const struct signature	**sigs;		/* signature per evidence */
	size_t			 n;		/* kept evidence */
	size_t			 total;		/* matching observations */
	int			 score;
	const char		*confidence;	/* "high", "medium", "low" */
};

struct match_result {
	struct match_hit	*hits;		/* flag, verify, fallback */
	size_t			 nhits;
	struct match_hit	*lookalikes;	/* exclude rules that matched */
	size_t			 nlookalikes;
};

/*
 * Does some signature of the pack match row o on its own (what
 * match_host() looks at first, per row)?  A row for which this is 0 never
 * changes match_host()'s result: matching only the rows for which it is 1,
 * in their order, gives the same hits with the same evidence ids.
 */
int	 match_row_counts(const struct rule_pack *, const struct observation *);
/*
 * The same, with the row's field (rules_field_for(), NULL when it has no
 * signature) at hand: through the field's one-pass scan (sigscan.h).
 */
int	 match_row_counts_field(const struct rules_field *,
	    const struct observation *);
/*
 * The same, each of the field's signatures sv tried in turn (behind the
 * bigram mask): what the scan must always answer too.
 */
int	 match_row_counts_plain(const struct signature *const *sv, size_t ns,
	    const struct observation *);

/*
 * Matches the rows of one host (any order).  Fills *res, hits in pack
 * order (free with match_result_free(); nothing in it points into rows).
 * Returns 0, or -1 on ENOMEM with *res empty.
 */
int	 match_host(const struct rule_pack *, const struct obs_row *rows,
	    size_t n, struct match_result *res, char *err, size_t errlen);
void	 match_result_free(struct match_result *);

/* "high", "medium" or "low" for a score. */
const char	*match_confidence(int score);

#endif
