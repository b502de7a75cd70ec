/*
 * risk: turns a finding's facts into the risk-register columns --
 * likelihood (how sure we are the banned thing is there, and how exposed
 * it is: confidence, running vs only installed, seen over several
 * channels), impact (host criticality, rule severity, sector weight),
 * risk_score = likelihood x impact (1..25), a rating and a due date.
 * Pure: no I/O.  The policy is documented in README.md ("Risk scoring")
 * and pinned by tests/unit/test_risk.c; sector profiles supply the
 * weights and the days per rating.
 */
#ifndef BANAUDIT_RISK_H
#define BANAUDIT_RISK_H

#include <stddef.h>
#include <stdint.h>

/* Ratings and severities, most severe first: indexes of due_days[]. */
enum risk_level {
	RISK_CRITICAL,
	RISK_HIGH,
	RISK_MEDIUM,
	RISK_LOW,
	RISK__LEVELS
};

struct risk_in {
	const char	*severity;	/* rule: critical, high, medium, low */
	const char	*confidence;	/* hit: high, medium, low */
	int		 verify;	/* rule action is "verify" */
	int		 running;	/* a process of it is running */
	int		 channels;	/* distinct channels of the evidence */
	int		 criticality;	/* host: 1..5; 0 = default 3 */
	/* Sector profile weights; 0 when there is no profile. */
	int		 sector_weight;		/* -1..1, added to impact */
	int		 exposure_running;	/* 0..2, added when running */
	int		 exposure_channels;	/* 0..2, when channels > 1 */
	int64_t		 found;		/* first sighting, Unix seconds */
	/* Days allowed per rating (enum risk_level); 0 = the default. */
	int		 due_days[RISK__LEVELS];
};

struct risk_out {
	int		 likelihood;	/* 1..5 */
	int		 impact;	/* 1..5 */
	int		 score;		/* 1..25 */
	const char	*rating;	/* critical, high, medium, low */
	enum risk_level	 level;		/* the rating as an index */
	char		 due_date[16];	/* YYYY-MM-DD */
};

/* The default days per rating: 30, 60, 90, 180. */
extern const int risk_default_due[RISK__LEVELS];

void	 risk_assess(const struct risk_in *, struct risk_out *);

/* Rank of a severity or rating word: critical 4 .. low 1; 0 unknown. */
int	 risk_rank(const char *);
/* The level of a severity or rating word (any case), or -1. */
int	 risk_level(const char *);
/* "critical", "high", "medium", "low". */
const char *risk_level_name(enum risk_level);

#endif
