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

struct sector_set;

struct analyze_stats {
	size_t	 hosts;		/* hosts with at least one observation */
	size_t	 findings;	/* observed in this run */
	size_t	 leads;		/* leads to check (not findings) */
	size_t	 carried;	/* kept unverified (resolution.h) */
	size_t	 waived;	/* of findings + carried, actively waived */
};

/*
 * Matches every host of run and stores the findings, then carries the
 * previous run's findings that this run could not verify
 * (resolution_carry()).  Without sector profiles (NULL): every regulation
 * of a rule is listed, default weights, due days and wording.  With them: a
 * finding cites the rule's regulations in force for its host on the run's
 * date (juris.h: the host's jurisdiction, else its profile's; none means
 * federal law only, said in the evidence; effective and repeal dates) that
 * the host's profile applies -- all those in force, with a note in the
 * evidence, when the profile applies none of them.  A hit that no
 * regulation in force binds is no finding.  Each cited regulation's binding
 * scope for the owner (the profile's "owners") goes into
 * finding.binding_scope.  The profile also chooses the risk weights, the due
 * days and the recommended action.
 */
int	 analyze_run_sectors(struct store *, int64_t run,
	    const struct rule_pack *, const struct sector_set *,
	    struct analyze_stats *, char *err, size_t errlen);

#endif
