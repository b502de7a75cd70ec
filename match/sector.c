/*
 * sector: the sector profile loader.  The file is read by inifile (line
 * numbers, long lines, section headers -- the same care as the
 * credentials loader, without the secrets); this file gives the sections
 * and keys their meaning.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "obs.h"
#include "inifile.h"
#include "risk.h"
#include "sector.h"
#include "util.h"

#define REG_ID_MAX	64	/* as in the rule pack */
#define VENDOR_MAX	128
#define MAX_DUE_DAYS	3650

enum section {
	S_NONE = -1,
	S_PROFILE,
	S_COLLECTION,
	S_REGULATIONS,
	S_RISK,
	S_DUE,
	S_ACTIONS,
	S_VENDOR_ACTIONS,
	S__COUNT
};

static const char *const section_names[S__COUNT] = {
	"profile", "collection", "regulations", "risk", "due", "actions",
	"vendor-actions",
};

/* Keys of the fixed sections; [vendor-actions] keys are vendor names. */
enum key {
	K_SECTOR, K_TITLE, K_JURISDICTION,
	K_PROBES, K_RATE, K_NEIGHBOURS,
	K_APPLY, K_OWNERS,
	K_IMPACT_WEIGHT, K_EXPOSURE_RUNNING, K_EXPOSURE_CHANNELS,
	K_DUE_CRITICAL, K_DUE_HIGH, K_DUE_MEDIUM, K_DUE_LOW,
	K_ACT_DEFAULT, K_ACT_CRITICAL, K_ACT_HIGH, K_ACT_MEDIUM, K_ACT_LOW,
	K__COUNT
};

static const struct keydef {
	enum section	 section;
	const char	*name;
} keys[K__COUNT] = {
	{ S_PROFILE, "sector" }, { S_PROFILE, "title" },
	{ S_PROFILE, "jurisdiction" },
	{ S_COLLECTION, "probes" }, { S_COLLECTION, "rate" },
	{ S_COLLECTION, "neighbours" },
	{ S_REGULATIONS, "apply" }, { S_REGULATIONS, "owners" },
	{ S_RISK, "impact_weight" }, { S_RISK, "exposure_running" },
	{ S_RISK, "exposure_channels" },
	{ S_DUE, "critical" }, { S_DUE, "high" }, { S_DUE, "medium" },
	{ S_DUE, "low" },
	{ S_ACTIONS, "default" }, { S_ACTIONS, "critical" },
	{ S_ACTIONS, "high" }, { S_ACTIONS, "medium" }, { S_ACTIONS, "low" },
};

struct loader {
	const char		*path;
	unsigned		 line;		/* of the key or header read */
	enum section		 sec;
	unsigned		 sec_line[S__COUNT];
	unsigned		 key_line[K__COUNT];
	int			 have_sector;
	struct sector_profile	*p;
	int			 failed;
	char			*err;
	size_t			 errlen;
};

static int fail(struct loader *, unsigned, const char *, ...)
    PRINTF_LIKE(3, 4);

static int
fail(struct loader *ld, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	inifile_verror(ld->path, line, &ld->failed, ld->err, ld->errlen, fmt,
	    ap);
	va_end(ap);
	return -1;
}

void
sector_free(struct sector_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->path);
	free(p->name);
	free(p->title);
	for (i = 0; i < p->nregs; i++)
		free(p->regs[i]);
	free(p->regs);
	free(p->reg_lines);
	free(p->action_default);
	for (i = 0; i < SECTOR_LEVELS; i++)
		free(p->action_severity[i]);
	for (i = 0; i < p->nvendor_actions; i++) {
		free(p->vendor_actions[i].vendor);
		free(p->vendor_actions[i].text);
	}
	free(p->vendor_actions);
	free(p);
}

/* --- values ----------------------------------------------------------- */

static int
number(struct loader *ld, const char *key, const char *v, long min,
    long max, int *out)
{
	long n;

	if (parse_long(v, min, max, &n) != 0)
		return fail(ld, ld->line, "%s: '%.32s' is not a number in "
		    "%ld..%ld", key, v, min, max);
	*out = (int)n;
	return 0;
}

/* "system, entity lldp": names separated by commas and/or blanks. */
static int
parse_probes(struct loader *ld, const char *v)
{
	char name[32];
	enum probe pr;
	size_t n;

	ld->p->probes = 0;
	for (;;) {
		v += strspn(v, ", \t");
		if (*v == '\0')
			break;
		n = strcspn(v, ", \t");
		if (n >= sizeof(name))
			return fail(ld, ld->line, "probes: unknown probe "
			    "'%.32s...'", v);
		memcpy(name, v, n);
		name[n] = '\0';
		v += n;
		if (probe_from_name(name, &pr) != 0) {
			char all[256];

			probe_names_list(all, sizeof(all));
			return fail(ld, ld->line, "probes: unknown probe '%s' "
			    "(one of: %s)", name, all);
		}
		if (ld->p->probes & PROBE_BIT(pr))
			return fail(ld, ld->line, "probes: '%s' given twice",
			    name);
		ld->p->probes |= PROBE_BIT(pr);
	}
	if (ld->p->probes == 0)
		return fail(ld, ld->line, "probes: no probe named");
	return 0;
}

/* Rule-pack id syntax: lower-case letters, digits, '-' and '.'. */
static int
reg_id_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= REG_ID_MAX &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.") == n;
}

static int
add_apply(struct loader *ld, const char *v)
{
	struct sector_profile *p = ld->p;
	char **nregs;
	unsigned *nlines;
	size_t i;

	if (!reg_id_ok(v))
		return fail(ld, ld->line, "apply: '%.64s' is not a regulation "
		    "id (lower-case letters, digits, '-' and '.')", v);
	for (i = 0; i < p->nregs; i++)
		if (strcmp(p->regs[i], v) == 0)
			return fail(ld, ld->line, "apply: '%s' given twice "
			    "(also on line %u)", v, p->reg_lines[i]);
	if (p->nregs == SECTOR_MAX_APPLY)
		return fail(ld, ld->line, "apply: more than %d regulations",
		    SECTOR_MAX_APPLY);
	nregs = reallocarray(p->regs, p->nregs + 1, sizeof(*nregs));
	if (nregs == NULL)
		return fail(ld, 0, "out of memory");
	p->regs = nregs;
	nlines = reallocarray(p->reg_lines, p->nregs + 1, sizeof(*nlines));
	if (nlines == NULL)
		return fail(ld, 0, "out of memory");
	p->reg_lines = nlines;
	p->regs[p->nregs] = strdup(v);
	if (p->regs[p->nregs] == NULL)
		return fail(ld, 0, "out of memory");
	p->reg_lines[p->nregs++] = ld->line;
	return 0;
}

/* "owners = state-agencies, state-and-local": parties that bind owners. */
static int
set_owners(struct loader *ld, const char *v)
{
	char name[64];
	const char *s = v;
	size_t n;
	int party;

	while (*s != '\0') {
		n = strcspn(s, ",");
		if (n >= sizeof(name))
			return fail(ld, ld->line, "owners: name too long");
		memcpy(name, s, n);
		name[n] = '\0';
		str_trim(name);
		party = juris_party(name);
		if (party < 0 || juris_party_effect(party) != EFFECT_OBLIGATION)
			return fail(ld, ld->line, "owners: '%.64s' is not a "
			    "kind of owner (federal-agencies, "
			    "federal-contractors, state-agencies, "
			    "state-and-local, infrastructure)", name);
		ld->p->owners |= JURIS_PARTY_BIT(party);
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

/* Only {vendor} and {product} may appear in braces. */
static int
check_template(struct loader *ld, const char *key, const char *v)
{
	const char *p;

	size_t n;

	for (p = strchr(v, '{'); p != NULL; p = strchr(p + 1, '{')) {
		if (strncmp(p, "{vendor}", 8) == 0 ||
		    strncmp(p, "{product}", 9) == 0)
			continue;
		n = strcspn(p, "}");
		if (p[n] == '}')
			n++;
		return fail(ld, ld->line, "%.64s: unknown placeholder "
		    "'%.*s' (use {vendor} or {product})", key,
		    (int)(n < 24 ? n : 24), p);
	}
	return 0;
}

static int
set_text(struct loader *ld, const char *key, const char *v, char **out)
{
	if (check_template(ld, key, v) != 0)
		return -1;
	*out = strdup(v);
	return *out == NULL ? fail(ld, 0, "out of memory") : 0;
}

static int
add_vendor_action(struct loader *ld, const char *vendor, const char *v)
{
	struct sector_profile *p = ld->p;
	struct sector_vendor_action *nv, *a;
	size_t i;

	if (strlen(vendor) > VENDOR_MAX)
		return fail(ld, ld->line, "vendor name longer than %d "
		    "characters", VENDOR_MAX);
	for (i = 0; i < p->nvendor_actions; i++)
		if (strcasecmp(p->vendor_actions[i].vendor, vendor) == 0)
			return fail(ld, ld->line, "%s: given twice in "
			    "[vendor-actions] (also on line %u)", vendor,
			    p->vendor_actions[i].line);
	if (check_template(ld, vendor, v) != 0)
		return -1;
	nv = reallocarray(p->vendor_actions, p->nvendor_actions + 1,
	    sizeof(*nv));
	if (nv == NULL)
		return fail(ld, 0, "out of memory");
	p->vendor_actions = nv;
	a = &nv[p->nvendor_actions];
	a->vendor = strdup(vendor);
	a->text = strdup(v);
	a->line = ld->line;
	if (a->vendor == NULL || a->text == NULL) {
		free(a->vendor);
		free(a->text);
		return fail(ld, 0, "out of memory");
	}
	p->nvendor_actions++;
	return 0;
}

static int
set_key(struct loader *ld, enum key k, const char *v)
{
	struct sector_profile *p = ld->p;
	int n = 0;

	switch (k) {
	case K_SECTOR:
		if (!target_sector_ok(v))
			return fail(ld, ld->line, "sector: '%.32s' is not a "
			    "sector name (a-z, 0-9, '_' and '-', at most %d)",
			    v, TARGET_MAX_SECTOR);
		free(p->name);
		p->name = str_dup(v);
		if (p->name == NULL)
			return fail(ld, ld->line, "out of memory");
		for (n = 0; p->name[n] != '\0'; n++)
			p->name[n] = (char)tolower((unsigned char)p->name[n]);
		ld->have_sector = 1;
		return 0;
	case K_TITLE:
		p->title = strdup(v);
		return p->title == NULL ? fail(ld, 0, "out of memory") : 0;
	case K_JURISDICTION:
		if (juris_parse(v, p->jurisdiction,
		    sizeof(p->jurisdiction)) != 0)
			return fail(ld, ld->line, "jurisdiction: '%.32s' is "
			    "not US or US- and a state's two-letter code "
			    "(US-TX)", v);
		return 0;
	case K_PROBES:
		return parse_probes(ld, v);
	case K_RATE:
		if (number(ld, "rate", v, 0, SECTOR_MAX_RATE, &n) != 0)
			return -1;
		p->rate = (unsigned)n;
		return 0;
	case K_NEIGHBOURS:
		if (strcasecmp(v, "on") == 0)
			p->neighbours = 1;
		else if (strcasecmp(v, "off") == 0)
			p->neighbours = 0;
		else
			return fail(ld, ld->line, "neighbours: '%.32s' is "
			    "neither on nor off", v);
		return 0;
	case K_APPLY:
		return add_apply(ld, v);
	case K_OWNERS:
		return set_owners(ld, v);
	case K_IMPACT_WEIGHT:
		return number(ld, "impact_weight", v, -1, 1,
		    &p->impact_weight);
	case K_EXPOSURE_RUNNING:
		return number(ld, "exposure_running", v, 0, 2,
		    &p->exposure_running);
	case K_EXPOSURE_CHANNELS:
		return number(ld, "exposure_channels", v, 0, 2,
		    &p->exposure_channels);
	case K_DUE_CRITICAL:
	case K_DUE_HIGH:
	case K_DUE_MEDIUM:
	case K_DUE_LOW:
		return number(ld, keys[k].name, v, 1, MAX_DUE_DAYS,
		    &p->due_days[k - K_DUE_CRITICAL]);
	case K_ACT_DEFAULT:
		return set_text(ld, "default", v, &p->action_default);
	case K_ACT_CRITICAL:
	case K_ACT_HIGH:
	case K_ACT_MEDIUM:
	case K_ACT_LOW:
		return set_text(ld, keys[k].name, v,
		    &p->action_severity[k - K_ACT_CRITICAL]);
	case K__COUNT:
		break;
	}
	return fail(ld, ld->line, "internal error: key %d", (int)k);
}

/* --- reading ---------------------------------------------------------- */

static int
on_key(void *user, const char *section, const char *name,
    const char *value, unsigned line)
{
	struct loader *ld = user;
	size_t k;

	(void)section;
	if (ld->failed)
		return -1;
	ld->line = line;
	if (ld->sec == S_NONE)
		return fail(ld, ld->line, "key outside any section (start "
		    "with [profile])");
	if (value == NULL || value[0] == '\0')
		return fail(ld, ld->line, "%.64s: empty value", name);
	if (ld->sec == S_VENDOR_ACTIONS)
		return add_vendor_action(ld, name, value);
	for (k = 0; k < K__COUNT; k++)
		if (keys[k].section == ld->sec &&
		    strcasecmp(name, keys[k].name) == 0)
			break;
	if (k == K__COUNT)
		return fail(ld, ld->line, "unknown key '%.64s' in [%s]", name,
		    section_names[ld->sec]);
	if (k != K_APPLY && ld->key_line[k] != 0)
		return fail(ld, ld->line, "%s: given twice in [%s] (also on "
		    "line %u)", keys[k].name, section_names[ld->sec],
		    ld->key_line[k]);
	ld->key_line[k] = ld->line;
	return set_key(ld, (enum key)k, value);
}

/* A section header: one of section_names, once. */
static int
on_section(void *user, const char *text, size_t len, unsigned line)
{
	struct loader *ld = user;
	char name[32];
	size_t n = len, i;

	ld->line = line;
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, text, n);
	name[n] = '\0';
	str_trim(name);
	for (i = 0; i < S__COUNT; i++)
		if (strcasecmp(name, section_names[i]) == 0)
			break;
	if (i == S__COUNT)
		return fail(ld, ld->line, "unknown section [%s] (profile, "
		    "collection, regulations, risk, due, actions, "
		    "vendor-actions)", name);
	if (ld->sec_line[i] != 0)
		return fail(ld, ld->line, "[%s] given twice (also on line %u)",
		    section_names[i], ld->sec_line[i]);
	ld->sec = (enum section)i;
	ld->sec_line[i] = ld->line;
	return 0;
}

/* What must be there once the whole file is read. */
static int
finish(struct loader *ld)
{
	static const enum key required[] = {
		K_SECTOR, K_TITLE, K_PROBES, K_ACT_DEFAULT
	};
	struct sector_profile *p = ld->p;
	char names[128];
	size_t i, n;
	int d;

	for (i = 0; i < NELEM(required); i++) {
		enum key k = required[i];

		if (ld->key_line[k] == 0)
			return fail(ld, ld->sec_line[keys[k].section], "%s "
			    "is required in [%s]", keys[k].name,
			    section_names[keys[k].section]);
	}
	/* Neighbour tables: on unless switched off, never both. */
	if (p->neighbours)
		p->probes |= PROBES_NEIGHBOURS;
	else if (p->probes & PROBES_NEIGHBOURS) {
		names[0] = '\0';
		for (i = 0, n = 0; i < PROBE__COUNT; i++) {
			if (!(p->probes & PROBES_NEIGHBOURS & PROBE_BIT(i)))
				continue;
			d = snprintf(names + n, sizeof(names) - n, "%s%s",
			    n > 0 ? ", " : "", probe_name((enum probe)i));
			if (d < 0 || (size_t)d >= sizeof(names) - n)
				break;
			n += (size_t)d;
		}
		return fail(ld, ld->key_line[K_NEIGHBOURS], "neighbours = "
		    "off, but probes names %s", names);
	}
	/* A worse rating is never due later than a milder one. */
	for (d = RISK_HIGH; d < RISK__LEVELS; d++)
		if (p->due_days[d] < p->due_days[d - 1])
			return fail(ld, ld->key_line[K_DUE_CRITICAL + d] != 0 ?
			    ld->key_line[K_DUE_CRITICAL + d] :
			    ld->key_line[K_DUE_CRITICAL + d - 1], "due: %s "
			    "(%d days) is sooner than %s (%d days)",
			    risk_level_name((enum risk_level)d),
			    p->due_days[d], risk_level_name((enum risk_level)
			    (d - 1)), p->due_days[d - 1]);
	return 0;
}

int
sector_load(const char *path, struct sector_profile **out, char *err,
    size_t errlen)
{
	static const struct inifile_spec spec = {
		.max_file = SECTOR_MAX_FILE,
		.max_line = SECTOR_MAX_LINE,
		.expected = "[section]",
		.section = on_section,
		.key = on_key,
	};
	struct loader ld;
	size_t i;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.sec = S_NONE;
	ld.err = err;
	ld.errlen = errlen;
	ld.p = calloc(1, sizeof(*ld.p));
	if (ld.p == NULL || (ld.p->path = strdup(path)) == NULL) {
		sector_free(ld.p);
		return errf(err, errlen, "%s: out of memory", path);
	}
	ld.p->neighbours = 1;
	ld.p->exposure_running = 1;
	ld.p->exposure_channels = 1;
	for (i = 0; i < SECTOR_LEVELS; i++)
		ld.p->due_days[i] = risk_default_due[i];

	if (inifile_load(path, &spec, &ld, err, errlen) != 0)
		ld.failed = 1;
	if (!ld.failed && ld.sec == S_NONE)
		fail(&ld, 0, "empty profile (no [profile] section)");
	if (!ld.failed)
		finish(&ld);
	if (ld.failed) {
		sector_free(ld.p);
		return -1;
	}
	*out = ld.p;
	return 0;
}

/* --- sets, checks and look-ups ---------------------------------------- */

void
sector_set_free(struct sector_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		sector_free(set->v[i]);
	free(set->v);
	free(set->names);
	free(set->dir);
	memset(set, 0, sizeof(*set));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of DIR's "*.ini" files, sorted, without ".ini". */
static int
list_dir(const char *dir, char ***out, size_t *nout, char *err,
    size_t errlen)
{
	DIR *d;
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, len, i;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	d = opendir(dir);
	if (d == NULL)
		return errf(err, errlen, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len <= 4 || strcmp(e->d_name + len - 4, ".ini") != 0 ||
		    e->d_name[0] == '.')
			continue;
		if (n == SECTOR_MAX_SECTORS) {
			errf(err, errlen, "%s: more than %d sector profiles",
			    dir, SECTOR_MAX_SECTORS);
			goto out;
		}
		if (n == 0) {
			v = calloc(SECTOR_MAX_SECTORS, sizeof(*v));
			if (v == NULL) {
				errf(err, errlen, "out of memory");
				goto out;
			}
		}
		v[n] = str_ndup(e->d_name, len - 4);
		if (v[n] == NULL) {
			errf(err, errlen, "out of memory");
			goto out;
		}
		n++;
	}
	if (n == 0) {
		errf(err, errlen, "%s: no sector profile (*.ini)", dir);
		goto out;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	*nout = n;
	v = NULL;
	rc = 0;
out:
	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
	closedir(d);
	return rc;
}

int
sector_set_load(const char *dir, struct sector_set *out, char *err,
    size_t errlen)
{
	struct sector_profile *p;
	char path[4096], **files = NULL;
	size_t i, nfiles = 0;

	memset(out, 0, sizeof(*out));
	out->dir = strdup(dir);
	if (out->dir == NULL)
		return errf(err, errlen, "out of memory");
	if (list_dir(dir, &files, &nfiles, err, errlen) != 0)
		goto fail;
	out->v = calloc(nfiles, sizeof(*out->v));
	out->names = calloc(nfiles, sizeof(*out->names));
	if (out->v == NULL || out->names == NULL) {
		errf(err, errlen, "out of memory");
		goto fail;
	}
	for (i = 0; i < nfiles; i++) {
		const char *name = files[i];

		if ((size_t)snprintf(path, sizeof(path), "%s/%s.ini", dir,
		    name) >= sizeof(path)) {
			errf(err, errlen, "%s: path too long", dir);
			goto fail;
		}
		if (sector_load(path, &p, err, errlen) != 0)
			goto fail;
		out->v[out->n] = p;
		out->names[out->n] = p->name;
		out->n++;
		if (strcmp(p->name, name) != 0) {
			errf(err, errlen, "%s: says sector = %s; the file of "
			    "sector %s must say sector = %s", path,
			    p->name, name, name);
			goto fail;
		}
	}
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return 0;
fail:
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	sector_set_free(out);
	return -1;
}

int
sector_check(const struct sector_profile *p, const struct rule_pack *pack,
    char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; i < p->nregs; i++) {
		for (j = 0; j < pack->nregs; j++)
			if (strcmp(pack->regs[j].id, p->regs[i]) == 0)
				break;
		if (j == pack->nregs)
			return errf(err, errlen, "%s:%u: apply: regulation "
			    "'%s' is not in the rule pack %s", p->path,
			    p->reg_lines[i], p->regs[i],
			    pack->dir != NULL ? pack->dir : "");
	}
	for (i = 0; i < p->nvendor_actions; i++) {
		const struct sector_vendor_action *a = &p->vendor_actions[i];

		for (j = 0; j < pack->nrules; j++)
			if (pack->rules[j].vendor != NULL &&
			    strcasecmp(pack->rules[j].vendor, a->vendor) == 0)
				break;
		if (j == pack->nrules)
			return errf(err, errlen, "%s:%u: [vendor-actions]: "
			    "no rule of the rule pack has vendor '%s'",
			    p->path, a->line, a->vendor);
	}
	return 0;
}

int
sector_set_check(const struct sector_set *set, const struct rule_pack *pack,
    char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (sector_check(set->v[i], pack, err, errlen) != 0)
			return -1;
	return 0;
}

const struct sector_profile *
sector_set_find(const struct sector_set *set, const char *name)
{
	int i;

	if (set == NULL || name == NULL)
		return NULL;
	i = str_list_find(set->names, set->n, name);
	return i >= 0 ? set->v[i] : NULL;
}

int
sector_applies(const struct sector_profile *p, const char *reg_id)
{
	size_t i;

	for (i = 0; p != NULL && reg_id != NULL && i < p->nregs; i++)
		if (strcmp(p->regs[i], reg_id) == 0)
			return 1;
	return 0;
}

/*
 * Does product name the vendor?  True when the vendor's first word (at
 * least two letters) is a word of the product, in any case: "Huawei" in
 * "Huawei routers", "Contec" (of "Contec Medical Systems") in "Contec
 * CMS8000".
 */
static int
product_names_vendor(const char *vendor, const char *product)
{
	size_t n = strcspn(vendor, " ,/("), i, plen;

	if (n < 2 || product == NULL)
		return 0;
	plen = strlen(product);
	for (i = 0; i + n <= plen; i++) {
		if (i > 0 && isalnum((unsigned char)product[i - 1]))
			continue;
		if (strncasecmp(product + i, vendor, n) != 0)
			continue;
		if (i + n == plen || !isalnum((unsigned char)product[i + n]))
			return 1;
	}
	return 0;
}

void
sector_action(const struct sector_profile *p, const char *vendor,
    const char *product, const char *severity, char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT(len > 0 ? len - 1 : 0);
	const char *t = NULL, *s;
	size_t i;
	int l;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (p == NULL)
		return;
	for (i = 0; vendor != NULL && i < p->nvendor_actions; i++)
		if (strcasecmp(p->vendor_actions[i].vendor, vendor) == 0)
			t = p->vendor_actions[i].text;
	l = risk_level(severity);
	if (t == NULL && l >= 0)
		t = p->action_severity[l];
	if (t == NULL)
		t = p->action_default;
	for (s = t; s != NULL && *s != '\0';) {
		if (strncmp(s, "{vendor} {product}", 18) == 0 &&
		    vendor != NULL && product_names_vendor(vendor, product)) {
			strbuf_puts(&sb, product);
			s += 18;
		} else if (strncmp(s, "{vendor}", 8) == 0) {
			strbuf_puts(&sb, vendor != NULL ? vendor : "");
			s += 8;
		} else if (strncmp(s, "{product}", 9) == 0) {
			strbuf_puts(&sb, product != NULL ? product : "");
			s += 9;
		} else {
			size_t n = strcspn(s + 1, "{") + 1;

			strbuf_add(&sb, s, n);
			s += n;
		}
	}
	str_copy(buf, strbuf_str(&sb), len);
	strbuf_free(&sb);
}
