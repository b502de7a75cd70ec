/*
 * sigscan: the signatures of one field tested in one pass over a value.
 * Most values match none of their field's signatures, and most are seen
 * once (an identity scan's sysDescr and sysName carry the host's name):
 * trying each signature on them, even behind the bigram mask of
 * pattern.h, costs a word search or a regexec() for each signature the
 * mask lets through.  Here each signature's anchor (match_anchor(): a
 * literal every value it matches contains, compared with ASCII case
 * folded) is looked for in one pass over the value, by the folded
 * bigram it starts with (a bit of a 1,024-bit table); a signature is
 * tried only once its anchor is found, and one without an anchor (cidr,
 * a regex without a literal run) on every value.
 *
 * So sigscan_counts() answers what trying every signature in turn
 * answers (match_row_counts_plain(), match.h): a signature whose anchor
 * is not in the value cannot match it.  It never decides a match; it
 * only leaves out signatures that cannot match, and the one test that
 * decides is match_value() (and the item check), as before.
 * tests/unit/test_sigscan.c compares the two on the shipped pack.
 */
#ifndef BANAUDIT_SIGSCAN_H
#define BANAUDIT_SIGSCAN_H

#include <stddef.h>

#include "obs.h"

struct signature;
struct sigscan;

/* Fields with more signatures are tried one by one (no scan is made). */
#define SIGSCAN_MAX_SIGS	1024

/*
 * The scan of the n signatures sv (compiled: match_compile()), which
 * must stay where they are, in that array, while the scan is used.  One
 * allocation: free with free().  0 with *out set, or NULL when n is 0 or
 * above SIGSCAN_MAX_SIGS; -1 on ENOMEM with *out NULL.
 */
int	 sigscan_new(const struct signature *const *sv, size_t n,
	    struct sigscan **out);

/*
 * Does some signature of the scan's field match o (its item, when the
 * signature names one, and its value)?  1 or 0.  o's value need not be
 * NUL-terminated unless the field has a regex signature (regexec()
 * reads to a NUL under ASan: pass a terminated copy, as match_memo does).
 */
int	 sigscan_counts(const struct sigscan *, const struct observation *o);

#endif /* BANAUDIT_SIGSCAN_H */
