/*
 * rules_load: a rule pack read from its directory -- the VERSION line, then
 * the three CSV files (regulations.csv, rules.csv, signatures.csv) row by
 * row (csvin), each row checked against the columns, spellings and ids
 * before it joins the pack; then what holds across files (every rule can
 * fire), compiled patterns and the index of signatures by field.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvin.h"
#include "idxset.h"
#include "juris.h"
#include "pattern.h"
#include "rules.h"
#include "rules_int.h"
#include "sigscan.h"
#include "util.h"

#define ID_MAX		64
#define VERSION_MAX	64

static const char *const reg_cols[] = {
	"id", "title", "issuer", "citation", "effective_date", "url",
	"confidence", "jurisdiction", "binds", "repealed",
};
enum { R_ID, R_TITLE, R_ISSUER, R_CITATION, R_DATE, R_URL, R_CONF, R_JURIS,
	R_BINDS, R_REPEALED };

static const char *const rule_cols[] = {
	"id", "vendor", "product", "action", "severity", "regulations",
	"description", "source",
};
enum { U_ID, U_VENDOR, U_PRODUCT, U_ACTION, U_SEVERITY, U_REGS, U_DESCR,
	U_SOURCE };

static const char *const sig_cols[] = {
	"id", "rule", "field", "match", "pattern", "strength", "requires",
	"note", "source",
};
enum { S_ID, S_RULE, S_FIELD, S_MATCH, S_PATTERN, S_STRENGTH, S_REQUIRES,
	S_NOTE, S_SOURCE };

static const char *const severity_names[] = {
	"critical", "high", "medium", "low",
};

/* State of one CSV file being read. */
struct loader {
	struct rule_pack	*pack;
	const char		*const *cols;
	size_t			 ncols;
	int			 header;
	size_t			 rows;
	size_t			 cap;
	int			 (*row)(struct loader *, unsigned, char **,
				    char *, size_t);
	struct idxset		 ids;		/* the signatures' ids so far */
};

static uint32_t
id_hash(const char *s)
{
	return idxset_fold(idxset_fnv(IDXSET_FNV_INIT, s, strlen(s)));
}

struct id_key {
	const struct signature	*v;
	const char		*id;
};

static int
same_id(const void *arg, size_t i)
{
	const struct id_key *k = arg;

	return strcmp(k->v[i].id, k->id) == 0;
}

/* The signature of the pack with the id s, or NULL. */
static const struct signature *
id_find(const struct loader *l, const char *s)
{
	struct id_key k = { l->pack->sigs, s };
	long i = idxset_find(&l->ids, id_hash(s), same_id, &k);

	return i >= 0 ? &l->pack->sigs[i] : NULL;
}

static int
lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

/* Ids: lower-case letters, digits, '-' and '.', starting alphanumeric. */
static int
id_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > ID_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (i > 0 && (c == '-' || c == '.'))
			continue;
		return 0;
	}
	return 1;
}

static int
date_valid(const char *s)
{
	int64_t t;
	char back[16];

	if (parse_date(s, &t) != 0)
		return 0;
	/* strptime() takes "2024-02-30"; the round trip does not. */
	fmt_date(t, back, sizeof(back));
	return strcmp(back, s) == 0;
}

static int
url_valid(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return 0;
	return strcspn(s, " \t\r\n\"<>") == strlen(s);
}

static int
confidence_valid(const char *s)
{
	static const char *const tags[] = {
		"primary", "secondary", "unverified",
	};
	size_t i, n;

	for (i = 0; i < NELEM(tags); i++) {
		n = strlen(tags[i]);
		if (strncmp(s, tags[i], n) == 0 &&
		    (s[n] == '\0' || (s[n] == ';' && s[n + 1] == ' ' &&
		    s[n + 2] != '\0')))
			return 1;
	}
	return 0;
}

/* Makes room for one more element of size sz in *v (n used, *cap). */
static int
grow(void **v, size_t n, size_t *cap, size_t sz)
{
	void *nv;
	size_t nc;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 32;
	nv = realloc(*v, nc * sz);
	if (nv == NULL)
		return -1;
	memset((char *)nv + n * sz, 0, (nc - n) * sz);
	*v = nv;
	*cap = nc;
	return 0;
}

static int
dup_fields(char **f, const int *which, char ***dst, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*dst[i] = strdup(f[which[i]]);
		if (*dst[i] == NULL)
			return -1;
	}
	return 0;
}

static int
reg_row(struct loader *l, unsigned line, char **f, char *err, size_t errlen)
{
	struct rule_pack *p = l->pack;
	struct regulation *r;
	char juris[JURIS_LEN];
	size_t i;
	int party;

	if (!id_valid(f[R_ID]))
		return errf(err, errlen, "bad regulation id '%s' (lower-case "
		    "letters, digits, '-' and '.')", f[R_ID]);
	for (i = 0; i < p->nregs; i++)
		if (strcmp(p->regs[i].id, f[R_ID]) == 0)
			return errf(err, errlen, "duplicate regulation id "
			    "'%s' (first on line %u)", f[R_ID],
			    p->regs[i].line);
	if (f[R_TITLE][0] == '\0' || f[R_ISSUER][0] == '\0' ||
	    f[R_CITATION][0] == '\0')
		return errf(err, errlen, "regulation '%s' needs a title, an "
		    "issuer and a citation", f[R_ID]);
	if (f[R_DATE][0] != '\0' && !date_valid(f[R_DATE]))
		return errf(err, errlen, "bad effective_date '%s' (want a "
		    "real YYYY-MM-DD, or empty when not stated)", f[R_DATE]);
	if (!url_valid(f[R_URL]))
		return errf(err, errlen, "bad url '%s' (one http(s) URL)",
		    f[R_URL]);
	if (!confidence_valid(f[R_CONF]))
		return errf(err, errlen, "bad confidence '%s' (primary, "
		    "secondary or unverified, optionally '; detail')",
		    f[R_CONF]);
	if (juris_parse(f[R_JURIS], juris, sizeof(juris)) != 0 ||
	    strcmp(juris, f[R_JURIS]) != 0)
		return errf(err, errlen, "regulation '%s': bad jurisdiction "
		    "'%s' (US for federal law, or US- and the state's "
		    "two-letter code in capitals: US-TX)", f[R_ID],
		    f[R_JURIS]);
	party = juris_party(f[R_BINDS]);
	if (party < 0)
		return errf(err, errlen, "regulation '%s': binds '%s' is "
		    "not one of %s", f[R_ID], f[R_BINDS], juris_party_list());
	if (f[R_REPEALED][0] != '\0') {
		if (!date_valid(f[R_REPEALED]))
			return errf(err, errlen, "bad repealed date '%s' (want "
			    "a real YYYY-MM-DD, or empty when in force)",
			    f[R_REPEALED]);
		if (f[R_DATE][0] == '\0' ||
		    strcmp(f[R_REPEALED], f[R_DATE]) <= 0)
			return errf(err, errlen, "regulation '%s' is repealed "
			    "(%s) before it takes effect (%s)", f[R_ID],
			    f[R_REPEALED], f[R_DATE][0] != '\0' ? f[R_DATE] :
			    "not stated");
	}
	if (grow((void **)&p->regs, p->nregs, &l->cap, sizeof(*p->regs)) != 0)
		return errf(err, errlen, "out of memory");
	r = &p->regs[p->nregs++];
	r->line = line;
	r->binds = party;
	{
		static const int which[] = { R_ID, R_TITLE, R_ISSUER,
		    R_CITATION, R_DATE, R_URL, R_CONF, R_JURIS, R_REPEALED };
		char **dst[] = { &r->id, &r->title, &r->issuer, &r->citation,
		    &r->effective_date, &r->url, &r->confidence,
		    &r->jurisdiction, &r->repealed };

		if (dup_fields(f, which, dst, NELEM(which)) != 0)
			return errf(err, errlen, "out of memory");
	}
	/* A title reads "SHORT NAME: what it prohibits" (rules/README.md). */
	r->name = str_ndup(r->title, strstr(r->title, ": ") != NULL ?
	    (size_t)(strstr(r->title, ": ") - r->title) : strlen(r->title));
	if (r->name == NULL)
		return errf(err, errlen, "out of memory");
	return 0;
}

/* Resolves the ';'-separated regulation ids of a rule. */
static int
rule_regs(struct rule_pack *p, struct rule *r, const char *list, char *err,
    size_t errlen)
{
	char id[ID_MAX + 2];
	const char *s = list;
	size_t i, n;

	while (*s != '\0') {
		const struct regulation *g;

		n = strcspn(s, ";");
		if (n >= sizeof(id))
			return errf(err, errlen, "regulation id too long in "
			    "'%s'", list);
		memcpy(id, s, n);
		id[n] = '\0';
		str_trim(id);
		if (id[0] == '\0')
			return errf(err, errlen, "empty regulation id in '%s'",
			    list);
		g = rules_regulation(p, id);
		if (g == NULL)
			return errf(err, errlen, "unknown regulation '%s'", id);
		for (i = 0; i < r->nregs; i++)
			if (r->regs[i] == g)
				return errf(err, errlen, "regulation '%s' "
				    "listed twice", id);
		if (r->nregs == p->nregs)
			return errf(err, errlen, "too many regulations");
		r->regs[r->nregs++] = (struct regulation *)(uintptr_t)g;
		s += n;
		if (*s == ';')
			s++;
	}
	return 0;
}

static int
rule_row(struct loader *l, unsigned line, char **f, char *err, size_t errlen)
{
	struct rule_pack *p = l->pack;
	struct rule r;
	int action;
	size_t i;

	memset(&r, 0, sizeof(r));
	if (!id_valid(f[U_ID]))
		return errf(err, errlen, "bad rule id '%s' (lower-case "
		    "letters, digits, '-' and '.')", f[U_ID]);
	for (i = 0; i < p->nrules; i++)
		if (strcmp(p->rules[i].id, f[U_ID]) == 0)
			return errf(err, errlen, "duplicate rule id '%s' "
			    "(first on line %u)", f[U_ID], p->rules[i].line);
	if (f[U_VENDOR][0] == '\0' || f[U_PRODUCT][0] == '\0' ||
	    f[U_DESCR][0] == '\0' || f[U_SOURCE][0] == '\0')
		return errf(err, errlen, "rule '%s' needs a vendor, a product, "
		    "a description and a source", f[U_ID]);
	action = rule_action_from_name(f[U_ACTION]);
	if (action < 0)
		return errf(err, errlen, "unknown action '%s' (flag, verify, "
		    "fallback, lead or exclude)", f[U_ACTION]);
	r.action = (enum rule_action)action;
	if (r.action == ACTION_EXCLUDE || r.action == ACTION_LEAD) {
		if (f[U_SEVERITY][0] != '\0')
			return errf(err, errlen, "%s rule '%s' raises no "
			    "finding: leave severity empty", f[U_ACTION],
			    f[U_ID]);
		/* A lead is not prohibited: no regulation is its basis. */
		if (r.action == ACTION_LEAD && f[U_REGS][0] != '\0')
			return errf(err, errlen, "lead rule '%s' cites "
			    "regulations: a lead is not prohibited, so no "
			    "regulation is its legal basis (leave regulations "
			    "empty, or make it a flag or verify rule)",
			    f[U_ID]);
	} else {
		if (lookup(severity_names, NELEM(severity_names),
		    f[U_SEVERITY]) < 0)
			return errf(err, errlen, "unknown severity '%s' "
			    "(critical, high, medium or low)", f[U_SEVERITY]);
		/*
		 * A verify rule may be an indicator that no regulation
		 * covers (UltraAV): it then raises no finding (analyze.h).
		 */
		if (f[U_REGS][0] == '\0' && r.action != ACTION_VERIFY)
			return errf(err, errlen, "rule '%s' names no "
			    "regulation", f[U_ID]);
	}
	r.line = line;
	if (p->nregs > 0) {
		r.regs = calloc(p->nregs, sizeof(*r.regs));
		if (r.regs == NULL) {
			errf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (rule_regs(p, &r, f[U_REGS], err, errlen) != 0)
		goto out;
	{
		static const int which[] = { U_ID, U_VENDOR, U_PRODUCT,
		    U_SEVERITY, U_DESCR, U_SOURCE };
		char **dst[] = { &r.id, &r.vendor, &r.product, &r.severity,
		    &r.description, &r.source };

		if (dup_fields(f, which, dst, NELEM(which)) != 0) {
			errf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (grow((void **)&p->rules, p->nrules, &l->cap,
	    sizeof(*p->rules)) != 0) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	p->rules[p->nrules++] = r;
	return 0;
out:
	rules_rule_clear(&r);
	return -1;
}

/* "kind.attr" or "kind.attr@item". */
static int
sig_field(struct signature *s, const char *field, char *err, size_t errlen)
{
	char buf[128];
	const char *attr;
	char *at;
	size_t i;

	if (strlen(field) >= sizeof(buf))
		return errf(err, errlen, "bad field '%s'", field);
	str_copy(buf, field, sizeof(buf));
	at = strchr(buf, '@');
	if (at != NULL) {
		*at++ = '\0';
		if (*at == '\0')
			return errf(err, errlen, "empty item in field '%s'",
			    field);
		for (i = 0; at[i] != '\0'; i++)
			if (!isalnum((unsigned char)at[i]) && at[i] != '-' &&
			    at[i] != '_')
				return errf(err, errlen, "bad item in field "
				    "'%s'", field);
		s->item = strdup(at);
		if (s->item == NULL)
			return errf(err, errlen, "out of memory");
	}
	if (obs_field_parse(buf, &s->kind, &attr) != 0)
		return errf(err, errlen, "unknown field '%s' (kind.attr, see "
		    "obs.c)", field);
	s->attr = strdup(attr);
	if (s->attr == NULL)
		return errf(err, errlen, "out of memory");
	return 0;
}

static int
sig_row(struct loader *l, unsigned line, char **f, char *err, size_t errlen)
{
	struct rule_pack *p = l->pack;
	struct signature s;
	const struct signature *dup;
	const struct rule *r;
	int m;

	memset(&s, 0, sizeof(s));
	if (!id_valid(f[S_ID]))
		return errf(err, errlen, "bad signature id '%s' (lower-case "
		    "letters, digits, '-' and '.')", f[S_ID]);
	dup = id_find(l, f[S_ID]);
	if (dup != NULL)
		return errf(err, errlen, "duplicate signature id '%s' "
		    "(first on line %u)", f[S_ID], dup->line);
	r = rules_rule(p, f[S_RULE]);
	if (r == NULL)
		return errf(err, errlen, "unknown rule '%s'", f[S_RULE]);
	s.rule = (struct rule *)(uintptr_t)r;
	s.line = line;
	m = match_type_from_name(f[S_MATCH]);
	if (m < 0)
		return errf(err, errlen, "unknown match type '%s'",
		    f[S_MATCH]);
	s.match = (enum match_type)m;
	if (strcmp(f[S_STRENGTH], "strong") == 0)
		s.strength = STRENGTH_STRONG;
	else if (strcmp(f[S_STRENGTH], "medium") == 0)
		s.strength = STRENGTH_MEDIUM;
	else if (strcmp(f[S_STRENGTH], "weak") == 0)
		s.strength = STRENGTH_WEAK;
	else
		return errf(err, errlen, "unknown strength '%s' (strong, "
		    "medium or weak)", f[S_STRENGTH]);
	if (strcmp(f[S_REQUIRES], "corroboration") == 0)
		s.corroboration = 1;
	else if (f[S_REQUIRES][0] != '\0')
		return errf(err, errlen, "unknown requires '%s' (empty or "
		    "corroboration)", f[S_REQUIRES]);
	if (s.strength == STRENGTH_WEAK && f[S_NOTE][0] == '\0')
		return errf(err, errlen, "weak signature '%s' needs a note "
		    "saying why", f[S_ID]);
	if (f[S_SOURCE][0] == '\0')
		return errf(err, errlen, "signature '%s' cites no source",
		    f[S_ID]);
	if (sig_field(&s, f[S_FIELD], err, errlen) != 0)
		goto out;
	{
		static const int which[] = { S_ID, S_PATTERN, S_NOTE,
		    S_SOURCE };
		char **dst[] = { &s.id, &s.pattern, &s.note, &s.source };

		if (dup_fields(f, which, dst, NELEM(which)) != 0) {
			errf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (match_compile(&s, err, errlen) != 0)
		goto out;
	if (grow((void **)&p->sigs, p->nsigs, &l->cap, sizeof(*p->sigs)) != 0) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	if (idxset_add(&l->ids, id_hash(s.id), p->nsigs) != 0) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	p->sigs[p->nsigs++] = s;
	s.rule->nsigs++;
	return 0;
out:
	rules_sig_clear(&s);
	return -1;
}

static int
on_row(void *arg, unsigned line, char **f, size_t n, char *err,
    size_t errlen)
{
	struct loader *l = arg;
	size_t i;

	for (i = 0; i < n; i++)
		str_trim(f[i]);
	if (!l->header) {
		char want[256];
		size_t o = 0;

		l->header = 1;
		for (i = 0; i < n && i < l->ncols; i++)
			if (strcmp(f[i], l->cols[i]) != 0)
				break;
		if (n == l->ncols && i == n)
			return 0;
		for (i = 0; i < l->ncols; i++)
			o += (size_t)snprintf(want + o, sizeof(want) - o,
			    "%s%s", i ? "," : "", l->cols[i]);
		return errf(err, errlen, "header must be '%s'", want);
	}
	if (n != l->ncols)
		return errf(err, errlen, "expected %zu fields, got %zu",
		    l->ncols, n);
	l->rows++;
	return l->row(l, line, f, err, errlen);
}

static int
load_csv(struct rule_pack *p, const char *name, const char *const *cols,
    size_t ncols, int (*row)(struct loader *, unsigned, char **, char *,
    size_t), char *err, size_t errlen)
{
	struct loader l;
	char path[PATH_MAX];
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", p->dir, name) >=
	    sizeof(path))
		return errf(err, errlen, "%s: path too long", p->dir);
	memset(&l, 0, sizeof(l));
	l.pack = p;
	l.cols = cols;
	l.ncols = ncols;
	l.row = row;
	rc = csvin_read(path, on_row, &l, err, errlen);
	idxset_free(&l.ids);
	if (rc != 0)
		return -1;
	if (!l.header)
		return errf(err, errlen, "%s:1: missing header row", path);
	if (l.rows == 0)
		return errf(err, errlen, "%s:1: no rows after the header",
		    path);
	return 0;
}

static int
rules_csv_load(struct rule_pack *p, char *err, size_t errlen)
{
	if (load_csv(p, "regulations.csv", reg_cols, NELEM(reg_cols), reg_row,
	    err, errlen) != 0)
		return -1;
	if (load_csv(p, "rules.csv", rule_cols, NELEM(rule_cols), rule_row,
	    err, errlen) != 0)
		return -1;
	return load_csv(p, "signatures.csv", sig_cols, NELEM(sig_cols),
	    sig_row, err, errlen);
}

/* --- the pack --------------------------------------------------------- */

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

/* Vendor subtrees: OIDs, and few enough for one GETNEXT each. */
static int
check_subtrees(struct rule_pack *p, char *err, size_t errlen)
{
	size_t i, n;

	for (i = 0; i < p->nsigs; i++) {
		const struct signature *s = &p->sigs[i];

		if (s->kind == OBS_VENDOR && strcmp(s->attr, "oid") == 0 &&
		    s->item != NULL && strcasecmp(s->item, "enterprise") == 0 &&
		    s->match != MATCH_OID)
			return errf(err, errlen, "%s/signatures.csv:%u: "
			    "vendor.oid@enterprise is a subtree the scan "
			    "probes: match must be oid", p->dir, s->line);
	}
	n = rules_subtrees(p, NULL, 0);
	if (n > RULES_MAX_SUBTREES)
		return errf(err, errlen, "%s/signatures.csv: %zu vendor "
		    "subtrees (vendor.oid@enterprise), at most %d", p->dir, n,
		    RULES_MAX_SUBTREES);
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

/* Signatures by field; exclude rules' first so exclusion is decided early. */
static int
build_index(struct rule_pack *p)
{
	struct rules_index *ix;
	size_t i, k, pass;

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
			b = rules_bucket_find(ix, s->kind, s->attr);
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
	/* The arrays are final: each field's one-pass test. */
	for (k = 0; k < OBS__COUNT; k++)
		for (i = 0; i < ix->nb[k]; i++) {
			struct bucket *b = &ix->b[k][i];

			b->field.sigs = (const struct signature *const *)
			    b->sigs;
			b->field.n = b->n;
			if (sigscan_new(b->field.sigs, b->n, &b->scan) != 0)
				return -1;
			b->field.scan = b->scan;
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
	if (check_subtrees(p, err, errlen) != 0)
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

