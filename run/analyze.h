/*
 * analyze: the step between observations and findings.  Hands each host's
 * rows to the matcher and writes one finding per rule that fired -- with
 * its evidence, regulations, confidence and risk columns.  The rows come
 * either from a scan's sink as they are stored, matched the moment the
 * host is done (analyze_begin(), analyze_add(), analyze_host(),
 * analyze_end()), or read back from the store host by host after the run
 * (analyze_run_sectors(): imports, and scans whose neighbour tables add
 * rows to other hosts later).  Either way the same code writes the same
 * findings.
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
	size_t	 read;		/* observations read back from the store */
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

/*
 * Matching host by host as the rows arrive.  analyze_begin() allocates *a
 * (free with analyze_free()); stats are filled as hosts are matched and
 * must outlive *a.  The caller keeps one struct analyze_rows pointer per
 * host in flight, NULL at first: analyze_add() copies one stored row
 * (id: its observation id) into that host's buffer, allocating it;
 * analyze_host() matches the host's rows with its attributes in the run,
 * writes its findings and gives the buffer back (*rows NULL again), and
 * analyze_drop() gives it back unmatched.  A host must be complete when
 * analyze_host() is called: no later row may belong to it.  analyze_end()
 * carries the previous run's findings this run could not verify and counts
 * the run's findings, as analyze_run_sectors() does.  Errors return -1
 * with a message.
 */
struct analyze;
struct analyze_rows;

int	 analyze_begin(struct analyze **a, struct store *, int64_t run,
	    const struct rule_pack *, const struct sector_set *,
	    struct analyze_stats *, char *err, size_t errlen);
int	 analyze_add(struct analyze *, struct analyze_rows **rows,
	    int64_t id, enum channel, const struct observation *, char *err,
	    size_t errlen);
/*
 * analyze_add() in two steps, so that a scan stores the row between them:
 * analyze_test() tests the row (1 or 0, -1 out of memory) and gives the
 * key the matcher's memo knows its value by, or 0 (match_memo_key(): the
 * store keeps a value so named once, store_observation_keyed()), and the
 * store's reference the memo keeps with it (match_memo_ref());
 * analyze_set_ref() gives the memo the store's new reference for it;
 * analyze_add_tested() keeps the row, given what the test said.
 */
int	 analyze_test(struct analyze *, enum channel,
	    const struct observation *, uint64_t *key, uint32_t *ref);
void	 analyze_set_ref(struct analyze *, uint32_t ref);
int	 analyze_add_tested(struct analyze *, struct analyze_rows **rows,
	    int64_t id, enum channel, const struct observation *, int counts,
	    char *err, size_t errlen);
int	 analyze_host(struct analyze *, int64_t host,
	    struct analyze_rows **rows, char *err, size_t errlen);
void	 analyze_drop(struct analyze *, struct analyze_rows **rows);
/*
 * Matching later what a scan's neighbour tables and ONUs may still add to:
 * analyze_park() keeps a done host's rows (moved into memory of their
 * size; none at all when it kept no row) instead of matching them.  After
 * locate and onu stored their rows, analyze_after() reads back only the
 * rows stored after the observation id after (store_obs_last() before
 * them), adds each to its host's buffer -- parked[i] for host ids[i], n
 * hosts of distinct ids -- and matches each host not among ids (a device
 * locate made) at once; the caller then calls analyze_host() for each
 * parked host.  stats->read counts the rows read back.
 */
int	 analyze_park(struct analyze *, struct analyze_rows **rows,
	    char *err, size_t errlen);
int	 analyze_after(struct analyze *, int64_t after, const int64_t *ids,
	    struct analyze_rows **parked, size_t n, char *err,
	    size_t errlen);
int	 analyze_end(struct analyze *, char *err, size_t errlen);
void	 analyze_free(struct analyze *);

#endif
