/*
 * risk: turns a finding's facts into the risk-register columns --
 * likelihood (from confidence and exposure), impact (from host criticality
 * and rule severity), risk_score = likelihood x impact (1..25), a rating,
 * a due date and the recommended action.  The policy is documented in
 * README.md ("Risk scoring"); sector profiles adjust the weights.
 */
#ifndef BANAUDIT_RISK_H
#define BANAUDIT_RISK_H

#include <stddef.h>
#include <stdint.h>

struct risk_in {
	const char	*severity;	/* rule: critical, high, medium, low */
	const char	*confidence;	/* hit: high, medium, low */
	int		 verify;	/* rule action is "verify" */
	int		 criticality;	/* host: 1..5 */
	int		 sector_weight;	/* -1, 0 or +1 (sector profile) */
	int64_t		 found;		/* run start, Unix seconds */
	/* Days allowed per rating (critical, high, medium, low); 0 = default */
	int		 due_days[4];
};

struct risk_out {
	int		 likelihood;	/* 1..5 */
	int		 impact;	/* 1..5 */
	int		 score;		/* 1..25 */
	const char	*rating;	/* critical, high, medium, low */
	char		 due_date[16];	/* YYYY-MM-DD */
};

void	 risk_assess(const struct risk_in *, struct risk_out *);

/* Numeric rank of a severity or rating word (critical 4 .. low 1; 0 unknown). */
int	 risk_rank(const char *);

#endif
