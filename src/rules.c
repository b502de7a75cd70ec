/*
 * rules: the rule pack -- its version, the checks across files, compiled
 * patterns, the index of signatures by field, look-ups and the listing.
 * The three CSV files are read row by row in rules_csv.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juris.h"
#include "rules.h"
#include "rules_int.h"
#include "util.h"

#define VERSION_MAX	64

/* Signatures of one (kind, attr). */
struct bucket {
	const char		 *attr;
	const struct signature	**sigs;
	size_t			  n;
};

struct rules_index {
	struct bucket	*b[OBS__COUNT];
	size_t		 nb[OBS__COUNT];
};

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
		for (i = 0; i < ix->nb[k]; i++)
			free(ix->b[k][i].sigs);
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

/* Is s[0..n) all decimal digits (and not empty)? */
static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* "YEAR.MONTH.N": year 2017-2999, month 1-12, N up to 4 digits. */
static int
version_valid(const char *v)
{
	const char *d1 = strchr(v, '.'), *d2;
	char part[8];
	long x;

	if (d1 == NULL || (d2 = strchr(d1 + 1, '.')) == NULL)
		return 0;
	if ((size_t)(d1 - v) != 4 || !all_digits(v, 4))
		return 0;
	memcpy(part, v, 4);
	part[4] = '\0';
	if (parse_long(part, 2017, 2999, &x) != 0)
		return 0;
	if (d2 - d1 - 1 < 1 || d2 - d1 - 1 > 2 ||
	    !all_digits(d1 + 1, (size_t)(d2 - d1 - 1)))
		return 0;
	memcpy(part, d1 + 1, (size_t)(d2 - d1 - 1));
	part[d2 - d1 - 1] = '\0';
	if (parse_long(part, 1, 12, &x) != 0)
		return 0;
	return strlen(d2 + 1) <= 4 && all_digits(d2 + 1, strlen(d2 + 1));
}

/* VERSION: the version on one line. */
static int
load_version(struct rule_pack *p, char *err, size_t errlen)
{
	char path[PATH_MAX], buf[VERSION_MAX + 2], *nl;
	FILE *fp;
	size_t n;
	int rc = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/VERSION", p->dir) >=
	    sizeof(path))
		return errf(err, errlen, "%s: path too long", p->dir);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	if (ferror(fp)) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (n == sizeof(buf) - 1 || memchr(buf, '\0', n) != NULL) {
		errf(err, errlen, "%s:1: not a version line", path);
		goto out;
	}
	nl = strchr(buf, '\n');
	if (nl != NULL) {
		*nl = '\0';
		if (nl[1] != '\0') {
			errf(err, errlen, "%s:2: text after the version line",
			    path);
			goto out;
		}
	}
	str_trim(buf);
	if (!version_valid(buf)) {
		errf(err, errlen, "%s:1: version '%s' is not YEAR.MONTH.N "
		    "(e.g. 2026.11.0)", path, buf);
		goto out;
	}
	p->version = strdup(buf);
	if (p->version == NULL) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	fclose(fp);
	return rc;
}

/* Every rule can fire: it has a signature that is not corroboration-only. */
static int
check_rules(struct rule_pack *p, char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; i < p->nrules; i++) {
		const struct rule *r = &p->rules[i];
		int ok = 0;

		for (j = 0; j < p->nsigs && !ok; j++)
			if (p->sigs[j].rule == r && !p->sigs[j].corroboration)
				ok = 1;
		if (ok)
			continue;
		if (r->nsigs == 0)
			return errf(err, errlen, "%s/rules.csv:%u: rule '%s' "
			    "has no signature", p->dir, r->line, r->id);
		return errf(err, errlen, "%s/rules.csv:%u: rule '%s' has "
		    "only corroboration signatures, so it can never fire",
		    p->dir, r->line, r->id);
	}
	return 0;
}

static int
compile_regexes(struct rule_pack *p, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < p->nsigs; i++) {
		struct signature *s = &p->sigs[i];

		if (s->match != MATCH_REGEX)
			continue;
		if (regcomp(&s->re, s->pattern, REG_EXTENDED | REG_ICASE |
		    REG_NOSUB) != 0)
			return errf(err, errlen, "%s/signatures.csv:%u: "
			    "regex does not compile", p->dir, s->line);
		s->has_re = 1;
	}
	return 0;
}

static struct bucket *
bucket_find(struct rules_index *ix, enum obs_kind k, const char *attr)
{
	size_t i;

	for (i = 0; i < ix->nb[k]; i++)
		if (strcmp(ix->b[k][i].attr, attr) == 0)
			return &ix->b[k][i];
	return NULL;
}

/* Signatures by field; exclude rules' first so exclusion is decided early. */
static int
build_index(struct rule_pack *p)
{
	struct rules_index *ix;
	size_t i, pass;

	ix = calloc(1, sizeof(*ix));
	if (ix == NULL)
		return -1;
	p->index = ix;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->nsigs; i++) {
			const struct signature *s = &p->sigs[i];
			struct bucket *b;
			void *nv;

			if ((s->rule->action == ACTION_EXCLUDE) != (pass == 0))
				continue;
			b = bucket_find(ix, s->kind, s->attr);
			if (b == NULL) {
				nv = realloc(ix->b[s->kind],
				    (ix->nb[s->kind] + 1) * sizeof(*b));
				if (nv == NULL)
					return -1;
				ix->b[s->kind] = nv;
				b = &ix->b[s->kind][ix->nb[s->kind]++];
				memset(b, 0, sizeof(*b));
				b->attr = s->attr;
			}
			nv = realloc(b->sigs, (b->n + 1) * sizeof(*b->sigs));
			if (nv == NULL)
				return -1;
			b->sigs = nv;
			b->sigs[b->n++] = s;
		}
	}
	return 0;
}

int
rules_load(const char *dir, struct rule_pack **out, char *err, size_t errlen)
{
	struct rule_pack *p;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return errf(err, errlen, "out of memory");
	p->dir = strdup(dir);
	if (p->dir == NULL) {
		errf(err, errlen, "out of memory");
		goto fail;
	}
	if (load_version(p, err, errlen) != 0)
		goto fail;
	if (rules_csv_load(p, err, errlen) != 0)
		goto fail;
	if (check_rules(p, err, errlen) != 0)
		goto fail;
	if (compile_regexes(p, err, errlen) != 0)
		goto fail;
	if (build_index(p) != 0) {
		errf(err, errlen, "out of memory");
		goto fail;
	}
	*out = p;
	return 0;
fail:
	rules_free(p);
	return -1;
}

/* --- look-ups ---------------------------------------------------------- */

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

const struct signature *
rules_signature(const struct rule_pack *p, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < p->nsigs; i++)
		if (strcmp(p->sigs[i].id, id) == 0)
			return &p->sigs[i];
	return NULL;
}

const struct signature *const *
rules_signatures_for(const struct rule_pack *p, enum obs_kind k,
    const char *attr, size_t *n)
{
	const struct bucket *b;

	*n = 0;
	if (p->index == NULL || (unsigned)k >= OBS__COUNT || attr == NULL)
		return NULL;
	b = bucket_find(p->index, k, attr);
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
