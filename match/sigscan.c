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
	uint16_t	 slot;	/* SLOT() of its first two bytes */
};

struct sigscan {
	const struct signature *const *sv;
	size_t		 n;
	unsigned char	 starts[SLOTS];	/* an anchor starts in the slot */
	/* The anchors starting in slot s: a[first[s] .. first[s + 1]). */
	uint16_t	 first[SLOTS + 1];
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
 * two bytes is as sound as the whole, so the one whose first bigram is
 * two letters (digits, dots and spaces are in every value) and shared
 * with the fewest anchors placed before it (each shared slot is a
 * comparison more).  The earliest of the best: the longest.
 */
static size_t
anchor_start(const char *t, size_t len, const unsigned *use)
{
	size_t i, best = 0;
	unsigned cost, low = UINT32_MAX;

	for (i = 0; i + 2 <= len; i++) {
		cost = use[SLOT(t[i], t[i + 1])] +
		    4u * (!is_alpha(t[i]) + !is_alpha(t[i + 1]));
		if (cost < low) {
			low = cost;
			best = i;
		}
	}
	return best;
}

static int
cmp_anchor(const void *x, const void *y)
{
	const struct anchor *a = x, *b = y;

	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return a->sig < b->sig ? -1 : a->sig > b->sig;
}

int
sigscan_new(const struct signature *const *sv, size_t n,
    struct sigscan **out)
{
	struct sigscan *sc;
	unsigned *use = NULL;
	char buf[RULES_MAX_PATTERN];
	size_t k, len, at, textlen = 0, bytes;
	char *text;

	*out = NULL;
	if (n == 0 || n > SIGSCAN_MAX_SIGS)
		return 0;
	for (k = 0; k < n; k++)
		textlen += match_anchor(sv[k], buf, sizeof(buf));
	/* One block: the scan, n anchors, n always, the anchors' text. */
	bytes = sizeof(*sc) + n * sizeof(struct anchor) + n * sizeof(uint16_t) +
	    textlen;
	textlen = 0;
	sc = calloc(1, bytes);
	use = calloc(SLOTS, sizeof(*use));
	if (sc == NULL || use == NULL) {
		free(sc);
		free(use);
		return -1;
	}
	sc->sv = sv;
	sc->n = n;
	sc->a = (struct anchor *)(sc + 1);
	sc->always = (uint16_t *)(sc->a + n);
	text = sc->text = (char *)(sc->always + n);
	for (k = 0; k < n; k++) {
		struct anchor *an = &sc->a[sc->na];

		len = match_anchor(sv[k], buf, sizeof(buf));
		if (len == 0) {
			sc->always[sc->nalways++] = (uint16_t)k;
			continue;
		}
		at = anchor_start(buf, len, use);
		an->off = (uint32_t)textlen;
		an->len = (uint16_t)(len - at);
		an->sig = (uint16_t)k;
		an->slot = (uint16_t)SLOT(buf[at], buf[at + 1]);
		memcpy(text + textlen, buf + at, an->len);
		textlen += an->len;
		use[an->slot]++;
		sc->starts[an->slot] = 1;
		sc->na++;
	}
	free(use);
	qsort(sc->a, sc->na, sizeof(*sc->a), cmp_anchor);
	for (k = 0, at = 0; k <= SLOTS; k++) {
		while (at < sc->na && sc->a[at].slot < k)
			at++;
		sc->first[k] = (uint16_t)at;
	}
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
 * The anchors starting in slot at p (end is the value's end): each not
 * tried yet whose bytes are there has its signature tried.  1 when one
 * matches.
 */
static int
at_slot(const struct sigscan *sc, const struct observation *o,
    uint64_t *tried, unsigned slot, const unsigned char *p,
    const unsigned char *end)
{
	size_t k;

	for (k = sc->first[slot]; k < sc->first[slot + 1]; k++) {
		const struct anchor *an = &sc->a[k];

		if (an->len > (size_t)(end - p) ||
		    (tried[an->sig / 64] >> (an->sig % 64) & 1) ||
		    !folded_eq(p, sc->text + an->off, an->len))
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
	const unsigned char *v = o->value, *p, *end;
	size_t n = o->len, k;
	unsigned slot;

	if (v == NULL)
		n = 0;
	if (n > MATCH_MAX_VALUE)
		n = MATCH_MAX_VALUE;	/* what match_value() reads */
	memset(tried, 0, (sc->n + 63) / 64 * sizeof(tried[0]));
	if (n >= 2) {
		end = v + n;
		slot = v[0] & 31;
		for (p = v + 1; p < end; p++) {
			slot = (slot << 5 & (SLOTS - 1)) | (*p & 31);
			/* An anchor may start at p - 1. */
			if (sc->starts[slot] &&
			    at_slot(sc, o, tried, slot, p - 1, end))
				return 1;
		}
	}
	for (k = 0; k < sc->nalways; k++)
		if (try_sig(sc->sv[sc->always[k]], o))
			return 1;
	return 0;
}
