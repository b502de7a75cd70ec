/*
 * rules: the rule pack in memory -- freeing it, the names of its
 * spellings, the index of signatures by field, look-ups and the listing.
 * rules_load.c reads it from its files.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "juris.h"
#include "rules.h"
#include "rules_int.h"
#include "util.h"

/* --- freeing ----------------------------------------------------------- */

static void
reg_clear(struct regulation *r)
{
	free(r->id);
	free(r->title);
	free(r->name);
	free(r->issuer);
	free(r->citation);
	free(r->effective_date);
	free(r->url);
	free(r->confidence);
	free(r->jurisdiction);
	free(r->repealed);
}

void
rules_rule_clear(struct rule *r)
{
	free(r->id);
	free(r->vendor);
	free(r->product);
	free(r->severity);
	free(r->regs);
	free(r->description);
	free(r->source);
}

void
rules_sig_clear(struct signature *s)
{
	free(s->id);
	free(s->attr);
	free(s->item);
	free(s->pattern);
	free(s->note);
	free(s->source);
	free(s->norm);
	if (s->has_re)
		regfree(&s->re);
}

static void
index_free(struct rules_index *ix)
{
	size_t k, i;

	if (ix == NULL)
		return;
	for (k = 0; k < OBS__COUNT; k++) {
		for (i = 0; i < ix->nb[k]; i++) {
			free(ix->b[k][i].sigs);
			free(ix->b[k][i].scan);
		}
		free(ix->b[k]);
	}
	free(ix);
}

void
rules_free(struct rule_pack *p)
{
	size_t i;

	if (p == NULL)
		return;
	index_free(p->index);
	for (i = 0; i < p->nsigs; i++)
		rules_sig_clear(&p->sigs[i]);
	for (i = 0; i < p->nrules; i++)
		rules_rule_clear(&p->rules[i]);
	for (i = 0; i < p->nregs; i++)
		reg_clear(&p->regs[i]);
	free(p->sigs);
	free(p->rules);
	free(p->regs);
	free(p->version);
	free(p->dir);
	free(p);
}

struct bucket *
rules_bucket_find(struct rules_index *ix, enum obs_kind k, const char *attr)
{
	size_t i;

	/* A look-up a row: the first byte before the call. */
	for (i = 0; i < ix->nb[k]; i++)
		if (ix->b[k][i].attr[0] == attr[0] &&
		    strcmp(ix->b[k][i].attr, attr) == 0)
			return &ix->b[k][i];
	return NULL;
}

/* --- names ------------------------------------------------------------ */

static const char *const action_names[] = {
	"flag", "verify", "exclude", "fallback", "lead",
};
static const char *const match_names[] = {
	"word", "exact", "prefix", "package", "path", "oid", "regex", "cidr",
	"image",
};

static int
lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

int
rule_action_from_name(const char *s)
{
	return lookup(action_names, NELEM(action_names), s);
}

int
match_type_from_name(const char *s)
{
	return lookup(match_names, NELEM(match_names), s);
}

const char *
rule_action_name(enum rule_action a)
{
	return (unsigned)a < NELEM(action_names) ? action_names[a] : "?";
}

const char *
match_type_name(enum match_type m)
{
	return (unsigned)m < NELEM(match_names) ? match_names[m] : "?";
}

const char *
strength_name(enum strength s)
{
	switch (s) {
	case STRENGTH_WEAK:
		return "weak";
	case STRENGTH_MEDIUM:
		return "medium";
	case STRENGTH_STRONG:
		return "strong";
	}
	return "?";
}

/* --- look-ups ---------------------------------------------------------- */

/* Is s a vendor.oid@enterprise signature? */
static int
is_subtree_sig(const struct signature *s)
{
	return s->kind == OBS_VENDOR && strcmp(s->attr, "oid") == 0 &&
	    s->item != NULL && strcasecmp(s->item, "enterprise") == 0;
}

size_t
rules_subtrees(const struct rule_pack *p, const char **out, size_t max)
{
	size_t i, j, n = 0;
	const struct signature *s;
	int dup;

	for (i = 0; i < p->nsigs; i++) {
		s = &p->sigs[i];
		if (!is_subtree_sig(s) || s->match != MATCH_OID ||
		    s->rule->action == ACTION_EXCLUDE)
			continue;
		dup = 0;
		for (j = 0; j < i && !dup; j++)
			dup = is_subtree_sig(&p->sigs[j]) &&
			    p->sigs[j].match == MATCH_OID &&
			    p->sigs[j].rule->action != ACTION_EXCLUDE &&
			    strcmp(p->sigs[j].norm, s->norm) == 0;
		if (dup)
			continue;
		if (n < max)
			out[n] = s->norm;
		n++;
	}
	return n;
}

const struct regulation *
rules_regulation(const struct rule_pack *p, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < p->nregs; i++)
		if (strcmp(p->regs[i].id, id) == 0)
			return &p->regs[i];
	return NULL;
}

const struct rule *
rules_rule(const struct rule_pack *p, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < p->nrules; i++)
		if (strcmp(p->rules[i].id, id) == 0)
			return &p->rules[i];
	return NULL;
}

const struct rules_field *
rules_field_for(const struct rule_pack *p, enum obs_kind k,
    const char *attr)
{
	const struct bucket *b;

	if (p->index == NULL || (unsigned)k >= OBS__COUNT || attr == NULL)
		return NULL;
	b = rules_bucket_find(p->index, k, attr);
	return b != NULL ? &b->field : NULL;
}

const struct signature *const *
rules_signatures_for(const struct rule_pack *p, enum obs_kind k,
    const char *attr, size_t *n)
{
	const struct bucket *b;

	*n = 0;
	if (p->index == NULL || (unsigned)k >= OBS__COUNT || attr == NULL)
		return NULL;
	b = rules_bucket_find(p->index, k, attr);
	if (b == NULL)
		return NULL;
	*n = b->n;
	return b->sigs;
}

/* --- printing ---------------------------------------------------------- */

/* Prints s with control bytes shown as '?', cut to width (0 = no cut). */
static void
put(FILE *fp, const char *s, int width)
{
	int i;

	for (i = 0; s[i] != '\0' && (width == 0 || i < width); i++)
		fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i],
		    fp);
	for (; i < width; i++)
		fputc(' ', fp);
}

/* Is regulation g listed under the filter (NULL: every one)? */
static int
listed(const struct regulation *g, const char *jurisdiction)
{
	return jurisdiction == NULL || juris_covers(g->jurisdiction,
	    jurisdiction);
}

void
rules_print(const struct rule_pack *p, const char *jurisdiction, FILE *fp)
{
	size_t i, j, n;

	fprintf(fp, "rule pack %s (%s): %zu regulations, %zu rules, "
	    "%zu signatures\n", p->version, p->dir, p->nregs, p->nrules,
	    p->nsigs);
	if (jurisdiction != NULL)
		fprintf(fp, "only what applies in %s: federal law%s\n",
		    jurisdiction, juris_is_state(jurisdiction) ? " and the "
		    "state's" : "");
	for (i = 0; i < p->nrules; i++) {
		const struct rule *r = &p->rules[i];

		for (j = 0, n = 0; j < r->nregs; j++)
			n += listed(r->regs[j], jurisdiction);
		if (jurisdiction != NULL && r->action != ACTION_EXCLUDE &&
		    n == 0)
			continue;
		fputc('\n', fp);
		put(fp, r->id, 28);
		fputc(' ', fp);
		put(fp, rule_action_name(r->action), 9);
		put(fp, r->severity[0] ? r->severity : "-", 9);
		put(fp, r->vendor, 0);
		fputs(": ", fp);
		put(fp, r->product, 0);
		fputc('\n', fp);
		if (n > 0) {
			fputs("    regulations:", fp);
			for (j = 0; j < r->nregs; j++) {
				if (!listed(r->regs[j], jurisdiction))
					continue;
				fputc(' ', fp);
				put(fp, r->regs[j]->id, 0);
			}
			fputc('\n', fp);
		}
		for (j = 0; j < p->nsigs; j++) {
			const struct signature *s = &p->sigs[j];
			char field[96];

			if (s->rule != r)
				continue;
			snprintf(field, sizeof(field), "%s.%s%s%s",
			    obs_kind_name(s->kind), s->attr,
			    s->item ? "@" : "", s->item ? s->item : "");
			fputs("    ", fp);
			put(fp, s->id, 20);
			fputc(' ', fp);
			put(fp, field, 30);
			fputc(' ', fp);
			put(fp, match_type_name(s->match), 8);
			put(fp, strength_name(s->strength), 7);
			fputs(s->corroboration ? "+ " : "  ", fp);
			put(fp, s->pattern, 0);
			fputc('\n', fp);
		}
	}
	fputs("\nregulations (id, where, in force, binds)\n", fp);
	for (i = 0; i < p->nregs; i++) {
		const struct regulation *g = &p->regs[i];
		char when[32];

		if (!listed(g, jurisdiction))
			continue;
		snprintf(when, sizeof(when), "%s%s%s", g->effective_date[0] ?
		    g->effective_date : "(not stated)", g->repealed[0] ?
		    " to " : "", g->repealed);
		fputs("  ", fp);
		put(fp, g->id, 24);
		fputc(' ', fp);
		put(fp, g->jurisdiction, 6);
		put(fp, when, 25);
		put(fp, juris_party_name(g->binds), 24);
		fputc(' ', fp);
		put(fp, g->title, 0);
		fputc('\n', fp);
	}
	fputs("\n(\"+\" marks signals that count only with another signal "
	    "of the same rule)\n", fp);
}
