/*
 * Unit tests for rules: the real pack in rules/ loads and holds what the
 * audit needs; every malformed pack under tests/data/rules/bad-* fails
 * with the exact "FILE:LINE: message" in its "expected" file (a trailing
 * "..." there means "starts with").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "match.h"
#include "rules.h"
#include "util.h"

static void
test_real_pack_loads(void **state)
{
	(void)state;
	assert_string_equal(fx_pack->version, "2026.12.1");
	assert_string_equal(fx_pack->dir, "rules");
	assert_true(fx_pack->nregs >= 25);
	assert_true(fx_pack->nrules >= 30);
	assert_true(fx_pack->nsigs >= 150);
	assert_non_null(fx_pack->index);
}

/* The vendor subtrees the enterprise probe asks into: the covered
   vendors' PENs and arcs, each once, no look-alike's. */
static void
test_subtrees(void **state)
{
	static const char *const want[] = {
		"1.3.6.1.4.1.23668", "1.3.6.1.4.1.2011", "1.3.6.1.4.1.34774",
		"1.3.6.1.4.1.3902", "1.3.6.1.4.1.39165", "1.3.6.1.4.1.50001",
		"1.3.6.1.4.1.37496", "1.3.6.1.4.1.1004849",
		"1.3.6.1.4.1.40297", "1.3.6.1.4.1.46055", "1.3.6.1.4.1.58597",
	};
	const char *got[RULES_MAX_SUBTREES];
	size_t n, i, j;

	(void)state;
	n = rules_subtrees(fx_pack, got, NELEM(got));
	assert_int_equal(n, NELEM(want));
	for (i = 0; i < NELEM(want); i++) {
		for (j = 0; j < n; j++)
			if (strcmp(got[j], want[i]) == 0)
				break;
		if (j == n)
			fail_msg("subtree %s not probed", want[i]);
	}
	/* Counting only, and a short array is filled as far as it goes. */
	assert_int_equal(rules_subtrees(fx_pack, NULL, 0), n);
	assert_int_equal(rules_subtrees(fx_pack, got, 2), n);
}

static void
test_required_regulations(void **state)
{
	static const struct {
		const char	*id;
		const char	*date;
	} want[] = {
		{ "bod-17-01", "2017-09-13" },
		{ "ndaa-fy18-1634", "2018-10-01" },
		{ "far-52-204-23", "2018-10-01" },
		{ "ndaa-889a", "2019-08-13" },
		{ "ndaa-889b", "2020-08-13" },
		{ "2cfr-200-216", "2020-08-13" },
		{ "fcc-covered-huawei", "2021-03-15" },
		{ "fcc-covered-zte", "2021-03-15" },
		{ "fcc-covered-hytera", "2021-03-15" },
		{ "fcc-covered-hikvision", "2021-03-15" },
		{ "fcc-covered-dahua", "2021-03-15" },
		{ "fcc-covered-kaspersky", "2022-03-25" },
		{ "fcc-22-84", "2023-02-06" },
		{ "fcc-25-71", "2025-12-26" },
		{ "bis-icts-kaspersky", "2024-09-29" },
		{ "bis-entity-kaspersky", "2024-06-24" },
		{ "tx-prohibited-2023", "2023-01-26" },
		{ "tx-prohibited-2025", "2025-01-31" },
		{ "tx-sb-1893", "2023-06-14" },
		{ "tx-prohibited-2026", "2026-01-26" },
		{ "tx-sb-2116", "2021-06-18" },
		{ "far-52-204-25", "2019-08-13" },
		{ "far-52-204-26", "2019-12-13" },
		{ "far-889b", "2020-08-13" },
		{ "no-tiktok-act", "2023-03-29" },
		{ "me-pl-2023-c681", "2024-08-09" },
		{ "ne-lb-1300", "2024-04-17" },
		{ "fcc-covered-uas", "2025-12-22" },
		{ "md-prohibited-tech", "2022-12-06" },
		{ "vt-cyber-directive", "2019-02-19" },
		{ "nh-eo-2022-09", "2022-12-14" },
		{ "ne-eo-covered-list", "2023-03-02" },
		{ "cisa-icsma-25-030-01", "2025-01-30" },
	};
	const struct regulation *g;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(want); i++) {
		g = rules_regulation(fx_pack, want[i].id);
		if (g == NULL)
			fail_msg("regulation %s missing", want[i].id);
		assert_string_equal(g->effective_date, want[i].date);
		assert_true(strncmp(g->url, "http", 4) == 0);
	}
	/* Both BIS dates are carried by the one ICTS row. */
	g = rules_regulation(fx_pack, "bis-icts-kaspersky");
	assert_non_null(strstr(g->title, "2024-07-20"));
	assert_non_null(strstr(g->title, "2024-09-29"));
	assert_null(rules_regulation(fx_pack, "no-such-reg"));
	assert_null(rules_regulation(fx_pack, NULL));
}

static void
test_required_rules(void **state)
{
	static const struct {
		const char	*id;
		enum rule_action action;
		const char	*vendor;
	} want[] = {
		{ "kaspersky-endpoint", ACTION_FLAG, "Kaspersky" },
		{ "kaspersky-security-center", ACTION_FLAG, "Kaspersky" },
		{ "kaspersky-ics", ACTION_FLAG, "Kaspersky" },
		{ "kaspersky-consumer", ACTION_FLAG, "Kaspersky" },
		{ "kaspersky-product", ACTION_FALLBACK, "Kaspersky" },
		{ "huawei-network", ACTION_FLAG, "Huawei" },
		{ "huawei-access", ACTION_FLAG, "Huawei" },
		{ "huawei-energy", ACTION_FLAG, "Huawei" },
		{ "huawei-device", ACTION_FALLBACK, "Huawei" },
		{ "zte-network", ACTION_FLAG, "ZTE" },
		{ "zte-access", ACTION_FLAG, "ZTE" },
		{ "hikvision-camera", ACTION_FLAG, "Hikvision" },
		{ "dahua-camera", ACTION_FLAG, "Dahua" },
		{ "hytera-radio", ACTION_FLAG, "Hytera" },
		{ "contec-cms8000", ACTION_FLAG, "Contec Medical Systems" },
		{ "hikvision-prama", ACTION_VERIFY, "Hikvision" },
		{ "dahua-huacheng", ACTION_VERIFY, "Dahua" },
		{ "hikvision-legacy-mib", ACTION_LEAD, "Hikvision" },
		{ "huawei-name-lead", ACTION_LEAD, "Huawei" },
		{ "zte-name-lead", ACTION_LEAD, "ZTE" },
		{ "hikvision-name-lead", ACTION_LEAD, "Hikvision" },
		{ "dahua-name-lead", ACTION_LEAD, "Dahua" },
		{ "hytera-name-lead", ACTION_LEAD, "Hytera" },
		{ "kaspersky-ultraav", ACTION_LEAD, "Kaspersky" },
		{ "uniview-camera", ACTION_FLAG, "Uniview" },
		{ "tplink-device", ACTION_FLAG, "TP-Link" },
		{ "h3c-lookalike", ACTION_EXCLUDE, "H3C" },
		{ "honor-lookalike", ACTION_EXCLUDE, "Honor" },
		{ "contec-lookalike", ACTION_EXCLUDE, "CONTEC" },
		{ "dahua-scale-lookalike", ACTION_EXCLUDE,
		    "Shanghai Dahua Scale Factory" },
		{ "zhongxing-lookalike", ACTION_EXCLUDE,
		    "Wuxi Zhongxing Optoelectronics" },
		{ "sungrow-lookalike", ACTION_EXCLUDE, "Sungrow" },
		{ "fiberhome-lookalike", ACTION_EXCLUDE, "FiberHome" },
		{ "china-carrier-lookalike", ACTION_EXCLUDE,
		    "China Mobile / China Telecom / China Unicom" },
	};
	const struct rule *r;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(want); i++) {
		r = rules_rule(fx_pack, want[i].id);
		if (r == NULL)
			fail_msg("rule %s missing", want[i].id);
		assert_int_equal(r->action, want[i].action);
		assert_string_equal(r->vendor, want[i].vendor);
	}
	/* Federal regulations are not attached to state-only rules. */
	r = rules_rule(fx_pack, "uniview-camera");
	assert_int_equal(r->nregs, 1);
	assert_string_equal(r->regs[0]->id, "tx-prohibited-2026");
	r = rules_rule(fx_pack, "contec-cms8000");
	assert_string_equal(r->regs[0]->id, "cisa-icsma-25-030-01");
	r = rules_rule(fx_pack, "huawei-network");
	assert_string_equal(r->regs[0]->id, "ndaa-889a");
	/* The short name is the title up to ": " (the CSV lists it). */
	assert_string_equal(r->regs[0]->name, "NDAA FY2019 s889 Part A");
	assert_string_equal(rules_regulation(fx_pack, "tx-sb-2116")->name,
	    "Texas SB 2116, Lone Star Infrastructure Protection Act");
	assert_null(rules_rule(fx_pack, "no-such-rule"));
}

/* Each vendor named by the brief has a flag rule. */
static void
test_required_vendors(void **state)
{
	static const char *const vendors[] = {
		"Kaspersky", "Huawei", "ZTE", "Hikvision", "Dahua", "Hytera",
		"Contec Medical Systems",
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < NELEM(vendors); i++) {
		int found = 0;

		for (j = 0; j < fx_pack->nrules; j++)
			if (strcmp(fx_pack->rules[j].vendor, vendors[i]) == 0 &&
			    fx_pack->rules[j].action == ACTION_FLAG)
				found = 1;
		if (!found)
			fail_msg("no flag rule for %s", vendors[i]);
	}
}

/* Every rule can fire, cites a source, and (unless exclude) a regulation. */
static void
test_rules_complete(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < fx_pack->nrules; i++) {
		const struct rule *r = &fx_pack->rules[i];
		size_t n = 0, free_standing = 0;

		for (j = 0; j < fx_pack->nsigs; j++)
			if (fx_pack->sigs[j].rule == r) {
				n++;
				if (!fx_pack->sigs[j].corroboration)
					free_standing++;
			}
		if (n == 0 || free_standing == 0)
			fail_msg("rule %s has no signature that can fire",
			    r->id);
		assert_int_equal(n, r->nsigs);
		assert_true(r->source[0] != '\0');
		if (r->action == ACTION_EXCLUDE)
			assert_string_equal(r->severity, "");
		else if (r->action == ACTION_LEAD) {
			/* Not prohibited: no severity, no legal basis. */
			assert_string_equal(r->severity, "");
			assert_int_equal(r->nregs, 0);
		} else
			assert_true(r->nregs > 0);
	}
	for (j = 0; j < fx_pack->nsigs; j++) {
		const struct signature *s = &fx_pack->sigs[j];

		assert_true(s->source[0] != '\0');
		if (s->strength == STRENGTH_WEAK)
			assert_true(s->note[0] != '\0');
	}
}

/*
 * Reads the "Context-only regulations" section of rules/README.md and
 * says whether "- `id`" is listed there.
 */
static int
documented(const char *id)
{
	FILE *fp;
	char line[512], want[128];
	int in = 0, found = 0;

	snprintf(want, sizeof(want), "- `%s`", id);
	fp = fopen("rules/README.md", "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "### Context-only regulations", 28) == 0)
			in = 1;
		else if (in && strncmp(line, "##", 2) == 0)
			in = 0;
		else if (in && strncmp(line, want, strlen(want)) == 0)
			found = 1;
	}
	fclose(fp);
	return found;
}

static void
test_regulations_used_or_documented(void **state)
{
	size_t i, j, k, ndoc = 0;

	(void)state;
	for (i = 0; i < fx_pack->nregs; i++) {
		const struct regulation *g = &fx_pack->regs[i];
		int used = 0;

		for (j = 0; j < fx_pack->nrules && !used; j++)
			for (k = 0; k < fx_pack->rules[j].nregs; k++)
				if (fx_pack->rules[j].regs[k] == g)
					used = 1;
		if (used && documented(g->id))
			fail_msg("%s is used but listed as context-only",
			    g->id);
		if (!used && !documented(g->id))
			fail_msg("regulation %s is neither used nor listed in "
			    "rules/README.md", g->id);
		ndoc += !used;
	}
	/* bis-entity-kaspersky, tx-sb-2116, ne-lb-1300, me-pl-2023-c681,
	 * fcc-covered-uas, nh-eo-2025-04 */
	assert_int_equal(ndoc, 6);
	assert_true(documented("nh-eo-2025-04"));
	assert_true(documented("bis-entity-kaspersky"));
	assert_true(documented("tx-sb-2116"));
	assert_false(documented("ndaa-889a"));
}

/* Signals the brief names, with their match types and strengths. */
static void
test_required_signatures(void **state)
{
	static const struct {
		const char	*rule;
		const char	*field;
		enum match_type	 match;
		const char	*pattern;
		enum strength	 strength;
	} want[] = {
		{ "kaspersky-endpoint", "software.name", MATCH_PACKAGE, "kesl",
		    STRENGTH_STRONG },
		{ "kaspersky-endpoint", "software.name", MATCH_PACKAGE,
		    "kesl-gui", STRENGTH_STRONG },
		{ "kaspersky-security-center", "software.name", MATCH_PACKAGE,
		    "klnagent64", STRENGTH_STRONG },
		{ "kaspersky-ics", "software.name", MATCH_PACKAGE, "kics-gui",
		    STRENGTH_STRONG },
		{ "kaspersky-endpoint", "software.name", MATCH_PACKAGE,
		    "kav4fs", STRENGTH_WEAK },
		{ "kaspersky-product", "software.name", MATCH_WORD,
		    "kaspersky", STRENGTH_MEDIUM },
		{ "kaspersky-product", "process.name", MATCH_IMAGE, "avp",
		    STRENGTH_MEDIUM },
		{ "kaspersky-product", "process.path", MATCH_PATH,
		    "\\Kaspersky Lab\\", STRENGTH_MEDIUM },
		{ "kaspersky-product", "process.path", MATCH_PATH,
		    "/opt/kaspersky/", STRENGTH_STRONG },
		{ "kaspersky-product", "system.objectid", MATCH_OID,
		    "1.3.6.1.4.1.23668", STRENGTH_STRONG },
		{ "huawei-device", "system.objectid", MATCH_OID,
		    "1.3.6.1.4.1.2011", STRENGTH_STRONG },
		{ "zte-device", "neighbor.oui_org", MATCH_EXACT,
		    "zte corporation", STRENGTH_MEDIUM },
		{ "dahua-camera", "system.objectid", MATCH_OID,
		    "1.3.6.1.4.1.1004849", STRENGTH_STRONG },
		{ "hikvision-camera", "vendor.devicetype", MATCH_REGEX, "-",
		    STRENGTH_STRONG },
		{ "hikvision-camera", "system.objectid", MATCH_OID,
		    "1.3.6.1.4.1.50001", STRENGTH_WEAK },
		{ "contec-cms8000", "connection.remote", MATCH_CIDR,
		    "202.114.4.0/24", STRENGTH_MEDIUM },
		{ "contec-cms8000", "route.dest", MATCH_CIDR,
		    "202.114.4.0/24", STRENGTH_MEDIUM },
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < NELEM(want); i++) {
		const struct signature *found = NULL;

		for (j = 0; j < fx_pack->nsigs; j++) {
			const struct signature *s = &fx_pack->sigs[j];
			char field[64];

			snprintf(field, sizeof(field), "%s.%s",
			    obs_kind_name(s->kind), s->attr);
			if (strcmp(s->rule->id, want[i].rule) == 0 &&
			    strcmp(field, want[i].field) == 0 &&
			    s->match == want[i].match &&
			    strcmp(s->pattern, want[i].pattern) == 0)
				found = s;
		}
		if (found == NULL)
			fail_msg("%s: no %s %s '%s'", want[i].rule,
			    want[i].field, match_type_name(want[i].match),
			    want[i].pattern);
		assert_int_equal(found->strength, want[i].strength);
	}
	/* Enterprise 50001 only corroborates the camera rule. */
	assert_true(sig_find(fx_pack, "hik-50001")->corroboration);
	assert_string_equal(sig_find(fx_pack, "hik-devtype")->item,
	    "hikvision");
	assert_null(sig_find(fx_pack, "no-such-signature"));
}

static void
test_index(void **state)
{
	const struct signature *const *v;
	size_t n, i, nexcl = 0;
	int seen_other = 0;

	(void)state;
	v = rules_signatures_for(fx_pack, OBS_NEIGHBOR, "oui_org", &n);
	assert_non_null(v);
	assert_true(n > 10);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i]->kind, OBS_NEIGHBOR);
		assert_string_equal(v[i]->attr, "oui_org");
		if (v[i]->rule->action == ACTION_EXCLUDE) {
			assert_false(seen_other);	/* excludes first */
			nexcl++;
		} else
			seen_other = 1;
	}
	assert_true(nexcl > 0 && seen_other);
	v = rules_signatures_for(fx_pack, OBS_SOFTWARE, "colour", &n);
	assert_null(v);
	assert_int_equal(n, 0);
	v = rules_signatures_for(fx_pack, OBS_NETIF, "mac", &n);
	assert_null(v);
	v = rules_signatures_for(fx_pack, (enum obs_kind)77, "name", &n);
	assert_null(v);
	assert_string_equal(rule_action_name(ACTION_FALLBACK), "fallback");
	assert_string_equal(match_type_name(MATCH_IMAGE), "image");
	assert_string_equal(strength_name(STRENGTH_WEAK), "weak");
	assert_string_equal(match_type_name((enum match_type)42), "?");
}

static void
test_print(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	rules_print(fx_pack, NULL, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "rule pack 2026."));
	assert_non_null(strstr(buf, "\nkaspersky-endpoint "));
	assert_non_null(strstr(buf, "kesl-pkg"));
	assert_non_null(strstr(buf, "vendor.devicetype@hikvision"));
	assert_non_null(strstr(buf, "2022-12-14 to 2025-10-01"));
	assert_non_null(strstr(buf, "  md-prohibited-tech "));
	assert_non_null(strstr(buf, "+ 1.3.6.1.4.1.50001"));
	free(buf);
}

/* "rules list --jurisdiction": federal law and that state's only. */
static void
test_print_jurisdiction(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	rules_print(fx_pack, "US-TX", fp);
	fclose(fp);
	assert_non_null(strstr(buf, "  tx-prohibited-2023 "));
	assert_non_null(strstr(buf, "  bis-icts-kaspersky "));
	assert_null(strstr(buf, "md-prohibited-tech"));
	assert_null(strstr(buf, "vt-cyber-directive"));
	/* Uniview: Texas only, so listed here... */
	assert_non_null(strstr(buf, "\nuniview-camera "));
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	rules_print(fx_pack, "US", fp);
	fclose(fp);
	/* ...and not under federal law alone. */
	assert_null(strstr(buf, "\nuniview-camera "));
	assert_null(strstr(buf, "tx-prohibited-2023"));
	assert_non_null(strstr(buf, "\nhuawei-network "));
	free(buf);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every tests/data/rules/bad-* pack fails with its expected message. */
static void
test_bad_packs(void **state)
{
	const char *base = "tests/data/rules";
	char *names[128];
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;

	(void)state;
	d = opendir(base);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "bad-", 4) == 0) {
			assert_true(n < NELEM(names));
			names[n] = strdup(de->d_name);
			assert_non_null(names[n]);
			n++;
		}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	assert_true(n >= 40);
	for (i = 0; i < n; i++) {
		char dir[256], path[300], want[ERRLEN], err[ERRLEN];
		struct rule_pack *p = (struct rule_pack *)1;
		size_t wl;
		FILE *fp;

		snprintf(dir, sizeof(dir), "%s/%s", base, names[i]);
		snprintf(path, sizeof(path), "%s/expected", dir);
		fp = fopen(path, "r");
		if (fp == NULL)
			fail_msg("%s: no expected file", dir);
		if (fgets(want, sizeof(want), fp) == NULL)
			want[0] = '\0';
		fclose(fp);
		want[strcspn(want, "\n")] = '\0';
		err[0] = '\0';
		if (rules_load(dir, &p, err, sizeof(err)) == 0) {
			rules_free(p);
			fail_msg("%s loaded", dir);
		}
		assert_null(p);
		wl = strlen(want);
		if (wl > 3 && strcmp(want + wl - 3, "...") == 0) {
			if (strncmp(err, want, wl - 3) != 0)
				fail_msg("%s:\n got  %s\n want %s", dir, err,
				    want);
		} else if (strcmp(err, want) != 0)
			fail_msg("%s:\n got  %s\n want %s", dir, err, want);
		free(names[i]);
	}
}

/* --- one line of good-min changed (issue 16: match/rules_load.c) ------- */

static const char *const min_files[] = {
	"VERSION", "regulations.csv", "rules.csv", "signatures.csv",
};

#define REG_HDR	"id,title,issuer,citation,effective_date,url,confidence," \
		"jurisdiction,binds,repealed\n"
#define REG_B	"reg-b,Regulation B,Issuer,Cite B,,https://example.org/b," \
		"secondary,US,federal-agencies,\n"
#define RULE_HDR "id,vendor,product,action,severity,regulations," \
		"description,source\n"

/*
 * good-min copied to dir with file replaced by text; what rules_load()
 * says of it (0 when it loads).
 */
static int
load_changed(const char *dir, const char *file, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct rule_pack *p = (struct rule_pack *)1;
	char src[300], dst[300], buf[4096];
	size_t i, n;
	FILE *in, *out;
	int rc;

	for (i = 0; i < NELEM(min_files); i++) {
		snprintf(src, sizeof(src), "tests/data/rules/good-min/%s",
		    min_files[i]);
		snprintf(dst, sizeof(dst), "%s/%s", dir, min_files[i]);
		out = fopen(dst, "wb");
		assert_non_null(out);
		if (strcmp(min_files[i], file) == 0)
			assert_int_equal(fwrite(text, 1, len, out), len);
		else {
			in = fopen(src, "rb");
			assert_non_null(in);
			n = fread(buf, 1, sizeof(buf), in);
			fclose(in);
			assert_int_equal(fwrite(buf, 1, n, out), n);
		}
		assert_int_equal(fclose(out), 0);
	}
	rc = rules_load(dir, &p, err, errlen);
	if (rc == 0)
		rules_free(p);
	else
		assert_null(p);
	return rc;
}

static void
test_changed_lines(void **state)
{
	static const struct {
		const char	*file;
		const char	*text;
		const char	*says;	/* after "DIR/FILE:" */
	} cases[] = {
		/* VERSION: each part of YEAR.MONTH.N wrong in turn. */
		{ "VERSION", "2026.11\n", "1: version '2026.11' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "26.11.0\n", "1: version '26.11.0' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "20x6.11.0\n", "1: version '20x6.11.0' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "2016.11.0\n", "1: version '2016.11.0' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "2026..0\n", "1: version '2026..0' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "2026.011.0\n", "1: version '2026.011.0' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "2026.1x.0\n", "1: version '2026.1x.0' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "2026.11.12345\n", "1: version '2026.11.12345' "
		    "is not YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "2026.11.1a\n", "1: version '2026.11.1a' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "2026.11.\n", "1: version '2026.11.' is not "
		    "YEAR.MONTH.N (e.g. 2026.11.0)" },
		{ "VERSION", "2026.11.0 2026.11.0 2026.11.0 2026.11.0 "
		    "2026.11.0 2026.11.0 2026.11.0\n",
		    "1: not a version line" },
		/* Regulations: each required column empty; ids; repeal. */
		{ "regulations.csv", REG_HDR "reg-a,Regulation A,,Cite A,"
		    "2020-08-13,https://example.org/a,primary,US,"
		    "federal-agencies,\n" REG_B, "2: regulation 'reg-a' needs "
		    "a title, an issuer and a citation" },
		{ "regulations.csv", REG_HDR "reg-a,Regulation A,Issuer,,"
		    "2020-08-13,https://example.org/a,primary,US,"
		    "federal-agencies,\n" REG_B, "2: regulation 'reg-a' needs "
		    "a title, an issuer and a citation" },
		{ "regulations.csv", REG_HDR "-reg,Regulation A,Issuer,Cite,"
		    "2020-08-13,https://example.org/a,primary,US,"
		    "federal-agencies,\n" REG_B, "2: bad regulation id '-reg' "
		    "(lower-case letters, digits, '-' and '.')" },
		{ "regulations.csv", REG_HDR "reg.a-b,Regulation A,Issuer,"
		    "Cite,2020-08-13,https://example.org/a,primary;x,US,"
		    "federal-agencies,\n" REG_B, "2: bad confidence "
		    "'primary;x' (primary, secondary or unverified, "
		    "optionally '; detail')" },
		/* (Fields are trimmed: "primary; " is "primary;".) */
		{ "regulations.csv", REG_HDR "reg-a,Regulation A,Issuer,Cite,"
		    "2020-08-13,https://example.org/a,primary; ,US,"
		    "federal-agencies,\n" REG_B, "2: bad confidence "
		    "'primary;' (primary, secondary or unverified, "
		    "optionally '; detail')" },
		{ "regulations.csv", REG_HDR "reg-a,Regulation A,Issuer,Cite,"
		    "2020-08-13,https://example.org/a,primary,US-tx,"
		    "federal-agencies,\n" REG_B, "2: regulation 'reg-a': bad "
		    "jurisdiction 'US-tx' (US for federal law, or US- and the "
		    "state's two-letter code in capitals: US-TX)" },
		{ "regulations.csv", REG_HDR "reg-a,Regulation A,Issuer,Cite,"
		    ",https://example.org/a,primary,US,federal-agencies,"
		    "2024-01-01\n" REG_B, "2: regulation 'reg-a' is repealed "
		    "(2024-01-01) before it takes effect (not stated)" },
		{ "regulations.csv", REG_HDR "reg-a,Regulation A,Issuer,Cite,"
		    "2020-08-13,https://example.org/a,primary,US,"
		    "federal-agencies,2020-08-13\n" REG_B, "2: regulation "
		    "'reg-a' is repealed (2020-08-13) before it takes effect "
		    "(2020-08-13)" },
		/* Rules: each required column empty, ids. */
		{ "rules.csv", RULE_HDR "rule-a,Vendor,,flag,high,reg-a,"
		    "Description,Source\n", "2: rule 'rule-a' needs a vendor, "
		    "a product, a description and a source" },
		{ "rules.csv", RULE_HDR "rule-a,Vendor,Product,flag,high,"
		    "reg-a,,Source\n", "2: rule 'rule-a' needs a vendor, a "
		    "product, a description and a source" },
		{ "rules.csv", RULE_HDR "rule-a,Vendor,Product,flag,high,"
		    "reg-a,Description,\n", "2: rule 'rule-a' needs a vendor, "
		    "a product, a description and a source" },
		{ "rules.csv", RULE_HDR "Rule-A,Vendor,Product,flag,high,"
		    "reg-a,Description,Source\n", "2: bad rule id 'Rule-A' "
		    "(lower-case letters, digits, '-' and '.')" },
		{ "rules.csv", RULE_HDR "rule-a,Vendor,Product,flag,high,"
		    "reg-a;;reg-b,Description,Source\n", "2: empty regulation "
		    "id in 'reg-a;;reg-b'" },
		{ "rules.csv", RULE_HDR "rule-a,Vendor,Product,flag,high,"
		    "reg-a;reg-a,Description,Source\n", "2: regulation "
		    "'reg-a' listed twice" },
		/* A verify rule may name no regulation (it then finds nothing). */
		{ "rules.csv", RULE_HDR "rule-a,Vendor,Product,verify,high,,"
		    "Description,Source\nrule-x,Other,Look-alike,exclude,,,"
		    "Description,Source\n", NULL },
	};
	char dir[64], want[ERRLEN], err[ERRLEN];
	size_t i;
	int rc;

	(void)state;
	str_copy(dir, "/tmp/test_rules.XXXXXX", sizeof(dir));
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < NELEM(cases); i++) {
		err[0] = '\0';
		rc = load_changed(dir, cases[i].file, cases[i].text,
		    strlen(cases[i].text), err, sizeof(err));
		if (cases[i].says == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err);
			continue;
		}
		snprintf(want, sizeof(want), "%s/%s:%s", dir, cases[i].file,
		    cases[i].says);
		if (rc != -1 || strcmp(err, want) != 0)
			fail_msg("case %zu:\n got  %s\n want %s", i, err, want);
	}
	/* A NUL in VERSION. */
	rc = load_changed(dir, "VERSION", "2026.11.0\0\n", 11, err,
	    sizeof(err));
	snprintf(want, sizeof(want), "%s/VERSION:1: not a version line", dir);
	assert_int_equal(rc, -1);
	assert_string_equal(err, want);
	rm_tree(dir);
}

/*
 * 2026-12-06: signature ids are checked for duplicates through a hash set
 * that grows (at 256 and 512 ids) instead of against every earlier one.
 * Among 1,000 signatures, a repeated id is found wherever it falls, with
 * the line of the first; without a repeat the pack loads.
 */
static void
test_many_signature_ids(void **state)
{
	static const unsigned dups[] = { 3, 255, 256, 700, 999 };
	struct strbuf sb = STRBUF_INIT(65536);
	char dir[64], want[ERRLEN], err[ERRLEN], row[128];
	size_t i, k;

	(void)state;
	str_copy(dir, "/tmp/test_rules.XXXXXX", sizeof(dir));
	assert_non_null(mkdtemp(dir));
	for (k = 0; k <= NELEM(dups); k++) {
		strbuf_puts(&sb, "id,rule,field,match,pattern,strength,"
		    "requires,note,source\nsig-x,rule-x,neighbor.oui_org,"
		    "word,other,strong,,,Source\n");
		for (i = 0; i < 1000; i++) {
			snprintf(row, sizeof(row), "sig-%zu,rule-a,"
			    "software.name,word,word%zu,medium,,,Source\n",
			    i, i);
			strbuf_puts(&sb, row);
		}
		if (k < NELEM(dups)) {
			snprintf(row, sizeof(row), "sig-%u,rule-a,"
			    "software.name,word,again,medium,,,Source\n",
			    dups[k]);
			strbuf_puts(&sb, row);
		}
		err[0] = '\0';
		if (k == NELEM(dups)) {
			if (load_changed(dir, "signatures.csv", strbuf_str(&sb),
			    strlen(strbuf_str(&sb)), err, sizeof(err)) != 0)
				fail_msg("%s", err);
		} else {
			assert_int_equal(load_changed(dir, "signatures.csv",
			    strbuf_str(&sb), strlen(strbuf_str(&sb)), err,
			    sizeof(err)), -1);
			snprintf(want, sizeof(want), "%s/signatures.csv:1003: "
			    "duplicate signature id 'sig-%u' (first on line "
			    "%u)", dir, dups[k], dups[k] + 3);
			assert_string_equal(err, want);
		}
		strbuf_free(&sb);
		sb = (struct strbuf)STRBUF_INIT(65536);
	}
	strbuf_free(&sb);
	rm_tree(dir);
}

static void
test_good_min_and_missing_dir(void **state)
{
	struct rule_pack *p = NULL;
	char err[ERRLEN];
	const struct rule *r;

	(void)state;
	assert_int_equal(rules_load("tests/data/rules/good-min", &p, err,
	    sizeof(err)), 0);
	assert_int_equal(p->nregs, 2);
	assert_int_equal(p->nrules, 2);
	assert_int_equal(p->nsigs, 3);
	assert_string_equal(p->regs[1].effective_date, "");
	assert_string_equal(p->regs[1].confidence,
	    "secondary; dates unverified");
	r = rules_rule(p, "rule-a");
	assert_int_equal(r->nregs, 2);
	assert_int_equal(r->nsigs, 2);
	assert_int_equal(p->sigs[1].line, 3);
	rules_free(p);
	rules_free(NULL);
	p = (struct rule_pack *)1;
	assert_int_equal(rules_load("/nonexistent/pack", &p, err,
	    sizeof(err)), -1);
	assert_null(p);
	assert_string_equal(err, "/nonexistent/pack/VERSION: No such file or "
	    "directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subtrees),
		cmocka_unit_test(test_real_pack_loads),
		cmocka_unit_test(test_required_regulations),
		cmocka_unit_test(test_required_rules),
		cmocka_unit_test(test_required_vendors),
		cmocka_unit_test(test_rules_complete),
		cmocka_unit_test(test_regulations_used_or_documented),
		cmocka_unit_test(test_required_signatures),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_print_jurisdiction),
		cmocka_unit_test(test_bad_packs),
		cmocka_unit_test(test_changed_lines),
		cmocka_unit_test(test_many_signature_ids),
		cmocka_unit_test(test_good_min_and_missing_dir),
	};

	return cmocka_run_group_tests(tests, fx_pack_setup,
	    fx_pack_teardown);
}
