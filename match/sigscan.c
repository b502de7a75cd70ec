/*
 * sigscan: a field's signatures tested in one pass over a value, each
 * only once its anchor is found in it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "rules.h"
#include "sigscan.h"
#include "util.h"

/*
 * A bigram's slot: the low five bits of each byte.  ASCII case folding
 * keeps them ('A' and 'a' are both 1), so a value's bytes need no
 * folding to find the slot of a folded anchor's start.
 */
#define SLOTS		1024
#define SLOT(a, b)	((unsigned)((a) & 31) << 5 | (unsigned)((b) & 31))

struct anchor {
	uint32_t	 off;	/* its folded bytes in text */
	uint16_t	 len;
	uint16_t	 sig;	/* index in the field */
	uint16_t	 slot;	/* SLOT() of its bytes at and after at */
	uint16_t	 at;	/* 0, or 1: the entry for its second bigram */
};

/*
 * With anchors of 3 bytes and more, a value's bigrams are looked at
 * every other byte (step 2): an anchor at p has its bigrams at p and p + 1
 * both in it, and one of them starts at an even place, so each anchor is
 * entered under both (at 0 and 1).  A field with an anchor of 2 bytes
 * looks at every byte (step 1), each anchor under its first bigram.
 */
struct sigscan {
	const struct signature *const *sv;
	size_t		 n;
	unsigned	 step;
	/*
	 * The entries of slot s are a[first[s] - 1] and those after it of
	 * the same slot; 0: none.
	 */
	uint16_t	 first[SLOTS];
	struct anchor	*a;		/* by slot */
	size_t		 na;
	uint16_t	*always;	/* signatures without an anchor */
	size_t		 nalways;
	char		*text;
};

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Where an anchor of len bytes (folded) starts: any suffix of at least
 * min bytes (the step plus one) is as sound as the whole, so the one
 * whose first step bigrams are letters (digits, dots and spaces are in
 * every value) and shared with the fewest entries placed before it (each
 * shared slot is a comparison more).  The earliest of the best: the
 * longest.
 */
static size_t
anchor_start(const char *t, size_t len, size_t min, const uint16_t *use)
{
	size_t i, k, best = 0;
	unsigned cost, low = UINT32_MAX;

	for (i = 0; i + min <= len; i++) {
		cost = 0;
		for (k = i; k + 1 < i + min; k++)
			cost += use[SLOT(t[k], t[k + 1])] +
			    4u * (!is_alpha(t[k]) + !is_alpha(t[k + 1]));
		if (cost < low) {
			low = cost;
			best = i;
		}
	}
	return best;
}

/*
 * The entries by slot, in the order they were made within a slot (by
 * signature): an insertion sort, as the entries are few (twice a
 * field's signatures) and made almost in order of nothing.
 */
static void
sort_entries(struct anchor *a, size_t n)
{
	struct anchor t;
	size_t i, k;

	for (i = 1; i < n; i++) {
		t = a[i];
		for (k = i; k > 0 && a[k - 1].slot > t.slot; k--)
			a[k] = a[k - 1];
		a[k] = t;
	}
}

int
sigscan_new(const struct signature *const *sv, size_t n,
    struct sigscan **out)
{
	struct sigscan *sc;
	uint16_t *use, lens[SIGSCAN_MAX_SIGS];
	char *all, *buf;
	size_t k, d, len, at, textlen = 0, bytes, min = 3;
	char *text;

	*out = NULL;
	if (n == 0 || n > SIGSCAN_MAX_SIGS)
		return 0;
	/* Each signature's anchor, then the block that holds them. */
	all = malloc(n * RULES_MAX_PATTERN);
	if (all == NULL)
		return -1;
	for (k = 0; k < n; k++) {
		lens[k] = (uint16_t)match_anchor(sv[k],
		    all + k * RULES_MAX_PATTERN, RULES_MAX_PATTERN);
		textlen += lens[k];
		if (lens[k] == 2)
			min = 2;
	}
	/* One block: the scan, 2n entries, n always, the anchors' text. */
	bytes = sizeof(*sc) + 2 * n * sizeof(struct anchor) +
	    n * sizeof(uint16_t) + textlen;
	textlen = 0;
	sc = calloc(1, bytes);
	if (sc == NULL) {
		free(all);
		return -1;
	}
	/* While the anchors are placed, first[] counts the entries a slot. */
	use = sc->first;
	sc->sv = sv;
	sc->n = n;
	sc->step = (unsigned)min - 1;
	sc->a = (struct anchor *)(sc + 1);
	sc->always = (uint16_t *)(sc->a + 2 * n);
	text = sc->text = (char *)(sc->always + n);
	for (k = 0; k < n; k++) {
		buf = all + k * RULES_MAX_PATTERN;
		len = lens[k];
		if (len == 0) {
			sc->always[sc->nalways++] = (uint16_t)k;
			continue;
		}
		at = anchor_start(buf, len, min, use);
		memcpy(text + textlen, buf + at, len - at);
		for (d = 0; d < sc->step; d++) {
			struct anchor *an = &sc->a[sc->na++];

			an->off = (uint32_t)textlen;
			an->len = (uint16_t)(len - at);
			an->sig = (uint16_t)k;
			an->at = (uint16_t)d;
			an->slot = (uint16_t)SLOT(buf[at + d], buf[at + d + 1]);
			use[an->slot]++;
		}
		textlen += len - at;
	}
	free(all);
	/* By slot, and where each slot's entries begin. */
	sort_entries(sc->a, sc->na);
	for (k = sc->na; k > 0; k--)
		sc->first[sc->a[k - 1].slot] = (uint16_t)k;
	*out = sc;
	return 0;
}

/* The one test that decides, as match_row_counts_plain() makes it. */
static int
try_sig(const struct signature *s, const struct observation *o)
{
	if (s->item != NULL && (o->item == NULL || !str_ieq(s->item, o->item)))
		return 0;
	return match_value(s, o->value, o->len);
}

/* Are v's len bytes, case folded, the anchor's text t? */
static int
folded_eq(const unsigned char *v, const char *t, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (match_fold(v[i]) != (unsigned char)t[i])
			return 0;
	return 1;
}

/*
 * The entries of slot, whose bigram is at v[j] (the value has n bytes):
 * each anchor not tried yet whose bytes are at j less its entry's at has
 * its signature tried.  1 when one matches.
 */
static int
at_slot(const struct sigscan *sc, const struct observation *o,
    uint64_t *tried, unsigned slot, const unsigned char *v, size_t j,
    size_t n)
{
	size_t k, p;

	for (k = sc->first[slot] - 1u; k < sc->na && sc->a[k].slot == slot;
	    k++) {
		const struct anchor *an = &sc->a[k];

		if (an->at > j)
			continue;
		p = j - an->at;
		if (an->len > n - p ||
		    (tried[an->sig / 64] >> (an->sig % 64) & 1) ||
		    !folded_eq(v + p, sc->text + an->off, an->len))
			continue;
		tried[an->sig / 64] |= (uint64_t)1 << (an->sig % 64);
		if (try_sig(sc->sv[an->sig], o))
			return 1;
	}
	return 0;
}

int
sigscan_counts(const struct sigscan *sc, const struct observation *o)
{
	uint64_t tried[SIGSCAN_MAX_SIGS / 64];
	const unsigned char *v = o->value;
	size_t n = o->len, j, k;
	unsigned slot;

	if (v == NULL)
		n = 0;
	if (n > MATCH_MAX_VALUE)
		n = MATCH_MAX_VALUE;	/* what match_value() reads */
	memset(tried, 0, (sc->n + 63) / 64 * sizeof(tried[0]));
	if (sc->step == 2) {
		for (j = 0; j + 1 < n; j += 2) {
			slot = SLOT(v[j], v[j + 1]);
			if (sc->first[slot] != 0 &&
			    at_slot(sc, o, tried, slot, v, j, n))
				return 1;
		}
	} else if (n >= 2) {
		slot = v[0] & 31;
		for (j = 1; j < n; j++) {
			slot = (slot << 5 & (SLOTS - 1)) | (v[j] & 31);
			/* The bigram at j - 1. */
			if (sc->first[slot] != 0 &&
			    at_slot(sc, o, tried, slot, v, j - 1, n))
				return 1;
		}
	}
	for (k = 0; k < sc->nalways; k++)
		if (try_sig(sc->sv[sc->always[k]], o))
			return 1;
	return 0;
}
