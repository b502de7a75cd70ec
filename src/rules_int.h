/*
 * rules_int: what rules.c and rules_csv.c share.  Private to the two.
 */
#ifndef BANAUDIT_RULES_INT_H
#define BANAUDIT_RULES_INT_H

#include <stddef.h>

#include "rules.h"

/*
 * Reads regulations.csv, rules.csv and signatures.csv of p->dir, in that
 * order, into p.  Returns 0, or -1 with "FILE:LINE: message" in err; the
 * rows read so far stay in p for rules_free().
 */
int	 rules_csv_load(struct rule_pack *p, char *err, size_t errlen);

/* Free what a rule or a signature owns (not the structure itself). */
void	 rules_rule_clear(struct rule *);
void	 rules_sig_clear(struct signature *);

#endif /* BANAUDIT_RULES_INT_H */
