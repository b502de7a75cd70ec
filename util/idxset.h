/*
 * idxset: an open-addressed set of indices into an array of the caller's,
 * found by a 32-bit hash and the caller's own comparison -- the duplicate
 * checks of a targets file (inputs/target.c) and of a rule pack's
 * signature ids (match/rules_load.c).  Each slot keeps the hash beside
 * the index, so growing asks the caller nothing.
 */
#ifndef BANAUDIT_IDXSET_H
#define BANAUDIT_IDXSET_H

#include <stddef.h>
#include <stdint.h>

struct idxset {
	uint64_t	*slot;		/* hash << 32 | (index + 1); 0 empty */
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 n;
};

/* FNV-1a over n bytes of p, from h (IDXSET_FNV_INIT to start). */
#define IDXSET_FNV_INIT	14695981039346656037ULL
uint64_t idxset_fnv(uint64_t h, const void *p, size_t n);
/* A 64-bit hash folded to the set's 32 bits. */
uint32_t idxset_fold(uint64_t h);

/*
 * The first index added under hash for which same(arg, index) is true,
 * or -1.
 */
long	 idxset_find(const struct idxset *, uint32_t hash,
	    int (*same)(const void *arg, size_t idx), const void *arg);
/* Adds idx (below UINT32_MAX) under hash: 0, or -1 out of memory. */
int	 idxset_add(struct idxset *, uint32_t hash, size_t idx);
void	 idxset_free(struct idxset *);

#endif /* BANAUDIT_IDXSET_H */
