/*
 * idxset: a set of indices by hash (idxset.h).
 */
#include <stdlib.h>

#include "idxset.h"

uint64_t
idxset_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0) {
		h ^= *b++;
		h *= 1099511628211ULL;
	}
	return h;
}

uint32_t
idxset_fold(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

long
idxset_find(const struct idxset *s, uint32_t hash,
    int (*same)(const void *, size_t), const void *arg)
{
	size_t j, mask = s->cap - 1;

	if (s->cap == 0)
		return -1;
	for (j = hash & mask; s->slot[j] != 0; j = (j + 1) & mask)
		if ((uint32_t)(s->slot[j] >> 32) == hash &&
		    same(arg, (size_t)(s->slot[j] & 0xffffffffu) - 1))
			return (long)((s->slot[j] & 0xffffffffu) - 1);
	return -1;
}

/* Puts slot value v in the first empty slot of its chain in t (cap). */
static void
place(uint64_t *t, size_t cap, uint64_t v)
{
	size_t j;

	for (j = (size_t)(v >> 32) & (cap - 1); t[j] != 0; j = (j + 1) &
	    (cap - 1))
		;
	t[j] = v;
}

int
idxset_add(struct idxset *s, uint32_t hash, size_t idx)
{
	size_t i, ncap;
	uint64_t *t;

	if (idx >= UINT32_MAX)
		return -1;
	if ((s->n + 1) * 2 > s->cap) {
		ncap = s->cap ? s->cap * 2 : 256;
		t = calloc(ncap, sizeof(*t));
		if (t == NULL)
			return -1;
		for (i = 0; i < s->cap; i++)
			if (s->slot[i] != 0)
				place(t, ncap, s->slot[i]);
		free(s->slot);
		s->slot = t;
		s->cap = ncap;
	}
	place(s->slot, s->cap, (uint64_t)hash << 32 | (uint64_t)(idx + 1));
	s->n++;
	return 0;
}

void
idxset_free(struct idxset *s)
{
	free(s->slot);
	s->slot = NULL;
	s->cap = s->n = 0;
}
