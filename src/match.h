/*
 * match: applies the rule pack to the observations of one host and says
 * which rules fire, on what evidence and with what confidence.  Pure: no
 * I/O, no store; the caller feeds rows and writes findings.
 *
 * Matching is case-insensitive and word-aware: "zte" matches "ZTE ZXR10"
 * but not "Aztec"; package patterns understand "kesl_12.1.0-1297_amd64",
 * "kesl-12.1.0.1297" and "klnagent64-14.0.0-4646.x86_64".
 *
 * Confidence grows with independent signals: the best strength per distinct
 * field is summed (strong 3, medium 2, weak 1); high >= 5, medium >= 3,
 * else low.  Corroboration-only signals count only next to another signal.
 */
#ifndef BANAUDIT_MATCH_H
#define BANAUDIT_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "store.h"

/* Does value v (n bytes, not NUL-terminated) match signature s? */
int	 match_value(const struct signature *s, const char *v, size_t n);

/* Word-aware, case-insensitive phrase search; exposed for tests. */
int	 match_word(const char *hay, size_t n, const char *phrase);
/* Package-name test; exposed for tests. */
int	 match_package(const char *v, size_t n, const char *pkg);

struct match_hit {
	const struct rule	*rule;
	int64_t			*obs_ids;	/* evidence, in input order */
	const struct signature	**sigs;		/* signature per evidence */
	size_t			 n;
	int			 score;
	const char		*confidence;	/* "high", "medium", "low" */
};

struct match_result {
	struct match_hit	*hits;
	size_t			 nhits;
};

/*
 * Matches the rows of one host (any order).  Fills *res (free with
 * match_result_free()).  Returns 0, or -1 on ENOMEM.
 */
int	 match_host(const struct rule_pack *, const struct obs_row *rows,
	    size_t n, struct match_result *res, char *err, size_t errlen);
void	 match_result_free(struct match_result *);

#endif
