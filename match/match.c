/*
 * match: the per-host pass that turns matching observations into hits with
 * evidence and confidence.
 */
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "sigscan.h"
#include "util.h"

const char *
match_confidence(int score)
{
	if (score >= 5)
		return "high";
	if (score >= 3)
		return "medium";
	return "low";
}

/* --- one host ---------------------------------------------------------- */

/* One signature matching one row. */
struct m {
	size_t			 rule;	/* index in the pack */
	size_t			 row;
	const struct signature	*sig;
};

struct host {
	const struct rule_pack	*pack;
	const struct obs_row	*rows;
	struct m		*m;
	size_t			 nm, capm;
	/* Per rule: matches [first, first + count) once sorted. */
	size_t			*first;
	size_t			*count;
	int			*fires;	/* has a non-corroboration match */
	int			*score;	/* before merging */
	size_t			*owner;	/* hit that carries its evidence */
	struct m		*scratch;	/* nm entries */
};

static int
push(struct host *h, size_t rule, size_t row, const struct signature *s)
{
	if (h->nm == h->capm) {
		size_t nc = h->capm ? h->capm * 2 : 64;
		struct m *nv = realloc(h->m, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		h->m = nv;
		h->capm = nc;
	}
	h->m[h->nm].rule = rule;
	h->m[h->nm].row = row;
	h->m[h->nm].sig = s;
	h->nm++;
	return 0;
}

/* By rule, then row, then stronger signature first. */
static int
cmp_m(const void *a, const void *b)
{
	const struct m *x = a, *y = b;

	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->sig->strength != y->sig->strength)
		return x->sig->strength > y->sig->strength ? -1 : 1;
	return x->sig < y->sig ? -1 : x->sig > y->sig;
}

/* By row, then stronger signature first. */
static int
cmp_row(const void *a, const void *b)
{
	const struct m *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->sig->strength != y->sig->strength)
		return x->sig->strength > y->sig->strength ? -1 : 1;
	return x->sig < y->sig ? -1 : x->sig > y->sig;
}

static int
same_field(const struct signature *a, const struct signature *b)
{
	return a->kind == b->kind && strcmp(a->attr, b->attr) == 0;
}

/*
 * Score of matches v[0..n): per distinct field, the best strength.  If
 * best is not NULL, best[i] is set when v[i] is the first match with its
 * field's best strength.
 */
static int
score_of(const struct m *v, size_t n, unsigned char *best)
{
	size_t i, j;
	int score = 0;

	for (i = 0; i < n; i++) {
		int top = 1;

		if (best != NULL)
			best[i] = 0;
		for (j = 0; j < n && top; j++) {
			if (j == i || !same_field(v[i].sig, v[j].sig))
				continue;
			if (v[j].sig->strength > v[i].sig->strength ||
			    (v[j].sig->strength == v[i].sig->strength &&
			    j < i))
				top = 0;
		}
		if (!top)
			continue;
		score += (int)v[i].sig->strength;
		if (best != NULL)
			best[i] = 1;
	}
	return score;
}

/*
 * Distinct fields are few (a handful per rule), but a host may bring many
 * matches of one field; score_of() is quadratic, so it runs on one
 * representative per (field, strength) at most.
 */
static size_t
compact(struct m *v, size_t n, struct m *out)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < k; j++)
			if (same_field(out[j].sig, v[i].sig) &&
			    out[j].sig->strength == v[i].sig->strength)
				break;
		if (j == k)
			out[k++] = v[i];
	}
	return k;
}

static int
make_hit(struct host *h, size_t r, struct match_hit *hit)
{
	struct m *v = NULL, *rep = NULL;
	unsigned char *keep = NULL, *best = NULL;
	size_t n = 0, i, j, nrep, kept;
	int rc = -1;

	memset(hit, 0, sizeof(*hit));
	hit->rule = &h->pack->rules[r];
	/* Gather the matches of r and of every rule r carries. */
	for (i = 0; i < h->pack->nrules; i++)
		if (h->owner[i] == r)
			n += h->count[i];
	v = calloc(n, sizeof(*v));
	rep = calloc(n, sizeof(*rep));
	keep = calloc(n, 1);
	best = calloc(n, 1);
	if (v == NULL || rep == NULL || keep == NULL || best == NULL)
		goto out;
	for (i = 0, j = 0; i < h->pack->nrules; i++)
		if (h->owner[i] == r) {
			memcpy(v + j, h->m + h->first[i],
			    h->count[i] * sizeof(*v));
			j += h->count[i];
		}
	qsort(v, n, sizeof(*v), cmp_row);
	/* One entry per row: its strongest signature. */
	for (i = 0, j = 0; i < n; i++)
		if (j == 0 || v[j - 1].row != v[i].row)
			v[j++] = v[i];
	n = j;
	nrep = compact(v, n, rep);
	hit->score = score_of(rep, nrep, NULL);
	hit->confidence = match_confidence(hit->score);
	hit->total = n;
	/* Evidence: each scoring field's best row first, then the earliest. */
	kept = 0;
	(void)score_of(rep, nrep, best);
	for (i = 0; i < nrep; i++) {
		if (!best[i])
			continue;
		for (j = 0; j < n; j++)
			if (v[j].row == rep[i].row && !keep[j]) {
				keep[j] = 1;
				kept++;
				break;
			}
	}
	for (j = 0; j < n && kept < MATCH_MAX_EVIDENCE; j++)
		if (!keep[j]) {
			keep[j] = 1;
			kept++;
		}
	if (kept > MATCH_MAX_EVIDENCE)
		kept = MATCH_MAX_EVIDENCE;
	hit->obs_ids = calloc(kept > 0 ? kept : 1, sizeof(*hit->obs_ids));
	hit->sigs = calloc(kept > 0 ? kept : 1, sizeof(*hit->sigs));
	if (hit->obs_ids == NULL || hit->sigs == NULL)
		goto out;
	for (j = 0; j < n && hit->n < kept; j++)
		if (keep[j]) {
			hit->obs_ids[hit->n] = h->rows[v[j].row].id;
			hit->sigs[hit->n] = v[j].sig;
			hit->n++;
		}
	rc = 0;
out:
	if (rc != 0) {
		free(hit->obs_ids);
		free(hit->sigs);
		memset(hit, 0, sizeof(*hit));
	}
	free(best);
	free(keep);
	free(rep);
	free(v);
	return rc;
}

/* Scans every row; fills h->m with (rule, row, signature). */
static int
scan_rows(struct host *h, size_t nrows)
{
	const struct rule_pack *p = h->pack;
	size_t i, k, ns;

	for (i = 0; i < nrows; i++) {
		const struct observation *o = &h->rows[i].obs;
		const struct signature *const *sv;
		uint64_t mask;
		int excluded = 0;

		sv = rules_signatures_for(p, o->kind, o->attr, &ns);
		mask = ns > 0 ? match_bigrams(o->value, o->len) : 0;
		for (k = 0; k < ns; k++) {
			const struct signature *s = sv[k];
			int exclude = s->rule->action == ACTION_EXCLUDE;

			/* Exclude signatures come first in the bucket. */
			if (excluded && !exclude)
				break;
			/* The prefilter only skips what cannot match. */
			if (!match_may(s, mask))
				continue;
			if (s->item != NULL && (o->item == NULL ||
			    !str_ieq(s->item, o->item)))
				continue;
			if (!match_value(s, o->value, o->len))
				continue;
			if (push(h, (size_t)(s->rule - p->rules), i, s) != 0)
				return -1;
			if (exclude)
				excluded = 1;
		}
	}
	return 0;
}

int
match_row_counts(const struct rule_pack *p, const struct observation *o)
{
	return match_row_counts_field(rules_field_for(p, o->kind, o->attr), o);
}

int
match_row_counts_field(const struct rules_field *f,
    const struct observation *o)
{
	if (f == NULL)
		return 0;
	/* One pass for the field's signatures: each tried once it can. */
	if (f->scan != NULL)
		return sigscan_counts(f->scan, o);
	return match_row_counts_plain(f->sigs, f->n, o);
}

int
match_row_counts_plain(const struct signature *const *sv, size_t ns,
    const struct observation *o)
{
	uint64_t mask;
	size_t k;

	/* As scan_rows(): any signature of the row's field that matches. */
	if (ns == 0)
		return 0;
	mask = match_bigrams(o->value, o->len);
	for (k = 0; k < ns; k++) {
		const struct signature *s = sv[k];

		if (!match_may(s, mask))
			continue;
		if (s->item != NULL && (o->item == NULL ||
		    !str_ieq(s->item, o->item)))
			continue;
		if (match_value(s, o->value, o->len))
			return 1;
	}
	return 0;
}

static int
vendor_eq(const struct rule *a, const struct rule *b)
{
	return str_ieq(a->vendor, b->vendor);
}

/*
 * Picks, for rule r, the hit of the same vendor that carries its evidence:
 * the highest-scoring firing rule that carries itself and is a flag rule
 * (or, unless flag_only, a fallback).  Returns r when there is none.
 */
static size_t
carrier(struct host *h, size_t r, int flag_only)
{
	const struct rule_pack *p = h->pack;
	size_t i, best = r;

	for (i = 0; i < p->nrules; i++) {
		const struct rule *c = &p->rules[i];

		if (i == r || !h->fires[i] || h->owner[i] != i ||
		    !vendor_eq(c, &p->rules[r]))
			continue;
		if (c->action != ACTION_FLAG && (flag_only ||
		    c->action != ACTION_FALLBACK))
			continue;
		if (best == r || h->score[i] > h->score[best])
			best = i;
	}
	return best;
}

/*
 * Does lead r yield?  A lead drawn only from the host's system group (its
 * name, location, contact, sysObjectID, banner) says nothing a finding of
 * the same vendor on the host does not say better: it is dropped.  A lead
 * from anything else (UltraAV installed beside a leftover Kaspersky
 * process) stays beside the finding.
 */
static int
lead_yields(const struct host *h, size_t r)
{
	const struct rule_pack *p = h->pack;
	size_t i;

	for (i = h->first[r]; i < h->first[r] + h->count[r]; i++)
		if (h->rows[h->m[i].row].obs.kind != OBS_SYSTEM)
			return 0;
	for (i = 0; i < p->nrules; i++)
		if (i != r && h->fires[i] && h->owner[i] == i &&
		    p->rules[i].action != ACTION_LEAD &&
		    p->rules[i].action != ACTION_EXCLUDE &&
		    vendor_eq(&p->rules[i], &p->rules[r]))
			return 1;
	return 0;
}

static int
add_hit(struct match_hit **v, size_t *n, struct host *h, size_t r)
{
	struct match_hit *nv;

	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (nv == NULL)
		return -1;
	*v = nv;
	if (make_hit(h, r, &nv[*n]) != 0)
		return -1;
	(*n)++;
	return 0;
}

int
match_host(const struct rule_pack *p, const struct obs_row *rows, size_t n,
    struct match_result *res, char *err, size_t errlen)
{
	struct host h;
	size_t i, j, nr = p->nrules;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&h, 0, sizeof(h));
	h.pack = p;
	h.rows = rows;
	if (n == 0 || nr == 0)
		return 0;
	h.first = calloc(nr, sizeof(*h.first));
	h.count = calloc(nr, sizeof(*h.count));
	h.fires = calloc(nr, sizeof(*h.fires));
	h.score = calloc(nr, sizeof(*h.score));
	h.owner = calloc(nr, sizeof(*h.owner));
	if (h.first == NULL || h.count == NULL || h.fires == NULL ||
	    h.score == NULL || h.owner == NULL)
		goto out;
	if (scan_rows(&h, n) != 0)
		goto out;
	if (h.nm == 0) {
		rc = 0;
		goto out;
	}
	qsort(h.m, h.nm, sizeof(*h.m), cmp_m);
	h.scratch = calloc(h.nm, sizeof(*h.scratch));
	if (h.scratch == NULL)
		goto out;
	for (i = 0; i < nr; i++)
		h.owner[i] = nr;	/* carried by nobody: no hit */
	for (i = 0; i < h.nm; i = j) {
		size_t r = h.m[i].rule;

		for (j = i; j < h.nm && h.m[j].rule == r; j++)
			if (!h.m[j].sig->corroboration)
				h.fires[r] = 1;
		h.first[r] = i;
		h.count[r] = j - i;
		if (h.fires[r]) {
			size_t nrep = compact(h.m + i, j - i, h.scratch);

			h.owner[r] = r;
			h.score[r] = score_of(h.scratch, nrep, NULL);
		}
	}
	/* Fallbacks join a flag hit of their vendor, then verify hits join. */
	for (i = 0; i < nr; i++)
		if (h.fires[i] && p->rules[i].action == ACTION_FALLBACK)
			h.owner[i] = carrier(&h, i, 1);
	for (i = 0; i < nr; i++)
		if (h.fires[i] && p->rules[i].action == ACTION_VERIFY)
			h.owner[i] = carrier(&h, i, 0);
	for (i = 0; i < nr; i++)
		if (h.fires[i] && p->rules[i].action == ACTION_LEAD &&
		    lead_yields(&h, i))
			h.fires[i] = 0;
	for (i = 0; i < nr; i++) {
		if (!h.fires[i] || h.owner[i] != i)
			continue;
		if (p->rules[i].action == ACTION_EXCLUDE) {
			if (add_hit(&res->lookalikes, &res->nlookalikes, &h,
			    i) != 0)
				goto out;
		} else if (add_hit(&res->hits, &res->nhits, &h, i) != 0)
			goto out;
	}
	rc = 0;
out:
	if (rc != 0) {
		match_result_free(res);
		errf(err, errlen, "out of memory");
	}
	free(h.scratch);
	free(h.owner);
	free(h.score);
	free(h.fires);
	free(h.count);
	free(h.first);
	free(h.m);
	return rc;
}

static void
hits_free(struct match_hit *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].obs_ids);
		free(v[i].sigs);
	}
	free(v);
}

void
match_result_free(struct match_result *res)
{
	if (res == NULL)
		return;
	hits_free(res->hits, res->nhits);
	hits_free(res->lookalikes, res->nlookalikes);
	memset(res, 0, sizeof(*res));
}
