/*
 * analyze: the step between observations and findings.  Reads a run's
 * observations back from the store host by host, hands each host's rows to
 * the matcher, and writes one finding per rule that fired -- with its
 * evidence, regulations, confidence and risk columns.  Used after a scan and
 * after an import, so both produce findings the same way.
 */
#ifndef BANAUDIT_ANALYZE_H
#define BANAUDIT_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "store.h"

struct analyze_stats {
	size_t	 hosts;		/* hosts with at least one observation */
	size_t	 findings;
};

/* Matches every host of run and stores the findings. */
int	 analyze_run(struct store *, int64_t run, const struct rule_pack *,
	    struct analyze_stats *, char *err, size_t errlen);

#endif
