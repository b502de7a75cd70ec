/*
 * rules_int: what rules.c and rules_load.c share.  Private to the two.
 */
#ifndef BANAUDIT_RULES_INT_H
#define BANAUDIT_RULES_INT_H

#include <stddef.h>

#include "rules.h"

/* Signatures of one (kind, attr); field is what rules_field_for() gives. */
struct bucket {
	const char		 *attr;
	const struct signature	**sigs;
	size_t			  n;
	struct sigscan		 *scan;		/* one block: free() */
	struct rules_field	  field;
};

struct rules_index {
	struct bucket	*b[OBS__COUNT];
	size_t		 nb[OBS__COUNT];
};

/* The bucket of (k, attr) in ix, or NULL. */
struct bucket	*rules_bucket_find(struct rules_index *, enum obs_kind,
		    const char *attr);

/* A rule action's or a match type's spelling -> its value; -1 if none. */
int	 rule_action_from_name(const char *);
int	 match_type_from_name(const char *);

/* Free what a rule or a signature owns (not the structure itself). */
void	 rules_rule_clear(struct rule *);
void	 rules_sig_clear(struct signature *);

#endif /* BANAUDIT_RULES_INT_H */
