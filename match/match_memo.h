/*
 * match_memo: a bounded memo of match_row_counts() for one rule pack,
 * keyed by the row's field (kind and attribute) and its exact value.  The
 * same software names, versions and product ids come back on host after
 * host; the memo answers those from the result the test gave the first
 * time.  An entry answers only after its field and every byte of its value
 * compared equal to the row's (a hash only picks the set to look in), so
 * a memo never gives an answer the test would not.  Rows whose answer may
 * depend on their item (a field with a signature of one item), and values
 * longer than MATCH_MEMO_VALUE_MAX bytes, are tested every time and not
 * kept.
 *
 * Memory is fixed at creation: sets x MATCH_MEMO_WAYS entries of 16
 * bytes (128 KiB by default) and an arena for the values they keep,
 * MATCH_MEMO_ARENA_ENTRY bytes an entry (512 KiB by default), both
 * touched only as they fill; a new value replaces the least recently
 * used entry of its set, and when the arena is full every entry is
 * dropped and it starts over.  With match_memo_twice(), a value is kept
 * only when it comes a second time (a bit of MATCH_MEMO_SEEN_BITS marks
 * the first): values seen once -- each host's own sysDescr or sysName in
 * an identity scan -- are tested and written nowhere but their mark (the
 * table is read first: a kept value then costs one set's cache line).
 */
#ifndef BANAUDIT_MATCH_MEMO_H
#define BANAUDIT_MATCH_MEMO_H

#include <stddef.h>

#include "match.h"

#define MATCH_MEMO_WAYS		4	/* entries a set */
#define MATCH_MEMO_VALUE_MAX	240	/* bytes of a value kept, at most */
#define MATCH_MEMO_ARENA_ENTRY	64	/* the arena's bytes an entry */
#define MATCH_MEMO_ARENA_MIN	16384	/* and more, for a small memo */
#define MATCH_MEMO_SETS		2048	/* sets by default */
#define MATCH_MEMO_SEEN_BITS	(1u << 18)	/* match_memo_twice()'s marks */

struct match_memo;

struct match_memo_stats {
	size_t	 hits;		/* answered from an entry */
	size_t	 misses;	/* tested, then kept */
	size_t	 untested;	/* no signature for the field: 0 at once */
	size_t	 bypassed;	/* tested, not kept (long, or item-bound) */
	size_t	 once;		/* tested, not kept: seen the first time */
	size_t	 resets;	/* the arena full: every entry dropped */
};

/*
 * A memo for pack with sets sets (a power of two; 0 means
 * MATCH_MEMO_SETS).  NULL on ENOMEM or a bad size.  The pack must outlive
 * the memo.  Free with match_memo_free().
 */
struct match_memo	*match_memo_new(const struct rule_pack *, size_t sets);
void			 match_memo_free(struct match_memo *);
/*
 * Keep a value only the second time it is asked (see above); 0, or -1
 * out of memory (the memo then keeps values as before).
 */
int			 match_memo_twice(struct match_memo *);

/*
 * match_row_counts(pack, o), through the memo: 1 or 0, or -1 out of
 * memory.  o's value need not be NUL-terminated: the test runs on a
 * NUL-terminated copy (the entry's, or the memo's own for a long value).
 */
int	 match_memo_counts(struct match_memo *, const struct observation *);
/*
 * The key of the value the last match_memo_counts() answered from its
 * table or kept there: a number no other field or value has in this
 * process (the arena's generation and the value's offset in it), or 0
 * when it did neither (no signature for the field, a value seen the
 * first time, too long, a field bound to items).  The store names values
 * it stores once by it (store_observation_keyed()).
 */
uint64_t match_memo_key(const struct match_memo *);
/*
 * A number the caller keeps with that value while the memo keeps it (the
 * store's reference to where it stored the value, so that the next row
 * of it is stored without a look-up): match_memo_set_ref() sets it on the
 * value the last match_memo_counts() gave a key (nothing when it gave
 * none); match_memo_ref() gives it, 0 until set, and 0 for a value
 * without a key.
 */
uint32_t match_memo_ref(const struct match_memo *);
void	 match_memo_set_ref(struct match_memo *, uint32_t);

void	 match_memo_stats(const struct match_memo *,
	    struct match_memo_stats *);

#endif /* BANAUDIT_MATCH_MEMO_H */
