/*
 * Unit tests for sector profiles: the shipped profiles (every row names a
 * probe that exists, a regulation and a vendor of the real rule pack,
 * weights and days in range; and what each sector must do), the loader's
 * defaults and syntax, every malformed fixture at its FILE:LINE
 * (tests/data/sectors/bad-NAME.ini with the expected message in
 * bad-NAME.err, "FILE" standing for the path), checks against a pack, and
 * the wording of recommended actions.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "collector.h"
#include "fixture.h"
#include "risk.h"
#include "rules.h"
#include "sector.h"
#include "util.h"

#define DATA	"tests/data/sectors/"

/* The sectors banaudit ships, as a set sorts them. */
static const char *const shipped[] = {
	"healthcare", "localgov", "power", "telecom",
};

static struct sector_profile *
load_ok(const char *path)
{
	struct sector_profile *p = NULL;
	char err[ERRLEN];

	if (sector_load(path, &p, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_non_null(p);
	return p;
}

static int
has_probe(const struct sector_profile *p, enum probe pr)
{
	return (p->probes & PROBE_BIT(pr)) != 0;
}

/* --- the shipped profiles --------------------------------------------- */

static void
test_shipped_profiles(void **state)
{
	struct sector_set set;
	char err[ERRLEN];
	size_t i, j;

	(void)state;
	if (sector_set_load("sectors", &set, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	if (sector_set_check(&set, fx_pack, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	/* The shipped sectors, sorted by name. */
	assert_int_equal(set.n, NELEM(shipped));
	for (i = 0; i < set.n; i++) {
		const struct sector_profile *p = set.v[i];

		assert_non_null(p);
		assert_string_equal(p->name, shipped[i]);
		assert_ptr_equal(set.names[i], p->name);
		assert_non_null(p->title);
		/* Every probe bit names a probe collectors know. */
		assert_int_not_equal(p->probes, 0);
		assert_int_equal(p->probes & ~((1u << PROBE__COUNT) - 1), 0);
		/* Every host is identified; agents are always read. */
		assert_true(has_probe(p, PROBE_SYSTEM));
		assert_true(has_probe(p, PROBE_INVENTORY));
		assert_true(p->rate <= SECTOR_MAX_RATE);
		assert_true(p->impact_weight >= -1 && p->impact_weight <= 1);
		assert_true(p->exposure_running >= 0 &&
		    p->exposure_running <= 2);
		assert_true(p->exposure_channels >= 0 &&
		    p->exposure_channels <= 2);
		for (j = 0; j < SECTOR_LEVELS; j++) {
			assert_true(p->due_days[j] >= 1 &&
			    p->due_days[j] <= 3650);
			if (j > 0)
				assert_true(p->due_days[j] >=
				    p->due_days[j - 1]);
		}
		assert_true(p->nregs > 0);
		for (j = 0; j < p->nregs; j++)
			assert_non_null(rules_regulation(fx_pack, p->regs[j]));
		assert_non_null(p->action_default);
		/* The set finds its profiles by the names hosts carry. */
		assert_ptr_equal(sector_set_find(&set, shipped[i]), p);
	}
	assert_null(sector_set_find(&set, "water"));
	assert_null(sector_set_find(&set, NULL));
	assert_ptr_equal(sector_set_find(&set, "POWER"),
	    sector_set_find(&set, "power"));

	/* Telecom: entity, neighbour tables and vendor MIBs always. */
	{
		const struct sector_profile *p =
		    sector_set_find(&set, "telecom");
		static const enum probe want[] = {
			PROBE_SYSTEM, PROBE_ENTITY, PROBE_LLDP, PROBE_ARP,
			PROBE_FDB, PROBE_INTERFACES, PROBE_VENDOR,
			PROBE_SOFTWARE, PROBE_PROCESS,
		};

		for (j = 0; j < NELEM(want); j++)
			assert_true(has_probe(p, want[j]));
		assert_true(sector_applies(p, "fcc-covered-huawei"));
		assert_true(sector_applies(p, "fcc-covered-zte"));
		assert_true(sector_applies(p, "fcc-22-84"));
		assert_true(sector_applies(p, "ndaa-889a"));
		assert_false(sector_applies(p, "cisa-icsma-25-030-01"));
	}
	/*
	 * Every sector reads the neighbour tables (the engine walks them on
	 * routers and bridges only), UPS-MIB and the vendor subtrees.
	 */
	for (i = 0; i < set.n; i++) {
		const struct sector_profile *p = set.v[i];

		assert_true(p->neighbours);
		assert_int_equal(p->probes & PROBES_NEIGHBOURS,
		    PROBES_NEIGHBOURS);
		assert_true(has_probe(p, PROBE_UPS));
		assert_true(has_probe(p, PROBE_ENTERPRISE));
	}
	/* Power: OT-safe -- a per-device rate, no connection sweeps. */
	{
		const struct sector_profile *p =
		    sector_set_find(&set, "power");

		assert_true(p->rate > 0 && p->rate <= 10);
		assert_false(has_probe(p, PROBE_CONNECTIONS));
		assert_true(has_probe(p, PROBE_SOFTWARE));
		assert_true(has_probe(p, PROBE_PROCESS));
		/* SB 2116 excludes warranty and support access. */
		assert_false(sector_applies(p, "tx-sb-2116"));
		assert_true(sector_applies(p, "bis-icts-kaspersky"));
		assert_int_equal(p->owners, 0);
		assert_string_equal(p->jurisdiction, "");
	}
	/* Healthcare: the Contec CMS8000 indicators. */
	{
		const struct sector_profile *p =
		    sector_set_find(&set, "healthcare");

		assert_true(has_probe(p, PROBE_CONNECTIONS));
		assert_true(has_probe(p, PROBE_ROUTES));
		assert_true(sector_applies(p, "cisa-icsma-25-030-01"));
		assert_true(sector_applies(p, "bis-icts-kaspersky"));
	}
	/* Local government: cameras, and where they hang off. */
	{
		const struct sector_profile *p =
		    sector_set_find(&set, "localgov");

		assert_true(has_probe(p, PROBE_VENDOR));
		assert_true(has_probe(p, PROBE_ARP));
		assert_true(has_probe(p, PROBE_FDB));
		assert_true(has_probe(p, PROBE_LLDP));
		assert_true(sector_applies(p, "2cfr-200-216"));
		assert_true(sector_applies(p, "tx-prohibited-2023"));
		assert_true(sector_applies(p, "tx-sb-1893"));
		assert_false(sector_applies(p, "fcc-22-84"));
		/* Its owners: state agencies and local governments. */
		assert_int_equal(p->owners,
		    JURIS_PARTY_BIT(juris_party("state-agencies")) |
		    JURIS_PARTY_BIT(juris_party("state-and-local")));
	}
	sector_set_free(&set);
	sector_set_free(&set);		/* twice is fine */
}

/* --- the loader ------------------------------------------------------- */

static void
test_defaults(void **state)
{
	struct sector_profile *p;

	(void)state;
	p = load_ok(DATA "good-minimal.ini");
	assert_string_equal(p->name, "localgov");
	assert_string_equal(p->title, "Minimal");
	/* neighbours = on unless switched off. */
	assert_int_equal(p->probes, PROBE_BIT(PROBE_SYSTEM) |
	    PROBES_NEIGHBOURS);
	assert_true(p->neighbours);
	assert_int_equal(p->rate, 0);
	assert_int_equal(p->nregs, 0);
	assert_int_equal(p->impact_weight, 0);
	assert_int_equal(p->exposure_running, 1);
	assert_int_equal(p->exposure_channels, 1);
	assert_int_equal(p->due_days[RISK_CRITICAL], 30);
	assert_int_equal(p->due_days[RISK_HIGH], 60);
	assert_int_equal(p->due_days[RISK_MEDIUM], 90);
	assert_int_equal(p->due_days[RISK_LOW], 180);
	assert_null(p->action_severity[RISK_CRITICAL]);
	assert_int_equal(p->nvendor_actions, 0);
	assert_string_equal(p->path, DATA "good-minimal.ini");
	sector_free(p);
	sector_free(NULL);
}

/* A profile's default jurisdiction (normalised) and its owners. */
static void
test_jurisdiction_owners(void **state)
{
	struct sector_profile *p;

	(void)state;
	p = load_ok(DATA "good-juris.ini");
	assert_string_equal(p->jurisdiction, "US-MD");
	assert_int_equal(p->owners,
	    JURIS_PARTY_BIT(juris_party("state-and-local")));
	sector_free(p);
}

static void
test_full(void **state)
{
	struct sector_profile *p;
	char err[ERRLEN];

	(void)state;
	p = load_ok(DATA "good-full.ini");
	assert_string_equal(p->name, "telecom");
	assert_int_equal(p->probes, (1u << PROBE__COUNT) - 1);
	assert_int_equal(p->rate, 10000);
	assert_int_equal(p->nregs, 2);
	assert_string_equal(p->regs[1], "cisa-icsma-25-030-01");
	assert_int_equal(p->reg_lines[1], 24);
	assert_int_equal(p->impact_weight, -1);
	assert_int_equal(p->exposure_running, 2);
	assert_int_equal(p->exposure_channels, 0);
	assert_int_equal(p->due_days[RISK_LOW], 56);
	assert_string_equal(p->action_severity[RISK_CRITICAL],
	    "Critical: {product} ({vendor}).");
	assert_null(p->action_severity[RISK_HIGH]);
	assert_int_equal(p->nvendor_actions, 2);
	assert_int_equal(p->vendor_actions[1].line, 9);
	/* Both regulations and both vendors are in the real pack. */
	if (sector_check(p, fx_pack, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	sector_free(p);
}

/* neighbours = off: a profile without neighbour tables. */
static void
test_neighbours_off(void **state)
{
	struct sector_profile *p;

	(void)state;
	p = load_ok(DATA "good-neighbours-off.ini");
	assert_false(p->neighbours);
	assert_int_equal(p->probes, PROBE_BIT(PROBE_SYSTEM));
	sector_free(p);
}

static void
test_crlf_bom(void **state)
{
	struct sector_profile *p;

	(void)state;
	p = load_ok(DATA "good-crlf-bom.ini");
	assert_string_equal(p->name, "healthcare");
	assert_string_equal(p->title, "CRLF test");	/* comment cut */
	assert_int_equal(p->probes, PROBE_BIT(PROBE_SYSTEM) |
	    PROBE_BIT(PROBE_CONNECTIONS) | PROBES_NEIGHBOURS);
	assert_int_equal(p->rate, 7);
	assert_string_equal(p->action_default, "Remove {product} of {vendor}.");
	sector_free(p);
}

/* Every tests/data/sectors/bad-*.ini fails with the message of its .err. */
static void
test_error_fixtures(void **state)
{
	struct dirent *de;
	DIR *d;
	size_t n = 0;

	(void)state;
	d = opendir(DATA);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[300], errfile[300], line[ERRLEN / 2];
		char want[ERRLEN * 2];
		char err[ERRLEN];
		struct sector_profile *p = (void *)1;
		size_t len = strlen(de->d_name);
		FILE *fp;

		if (strncmp(de->d_name, "bad-", 4) != 0 || len < 5 ||
		    strcmp(de->d_name + len - 4, ".ini") != 0)
			continue;
		snprintf(path, sizeof(path), DATA "%s", de->d_name);
		snprintf(errfile, sizeof(errfile), DATA "%.*s.err",
		    (int)(len - 4), de->d_name);
		fp = fopen(errfile, "r");
		if (fp == NULL)
			fail_msg("%s: no %s", path, errfile);
		assert_non_null(fgets(line, sizeof(line), fp));
		fclose(fp);
		line[strcspn(line, "\n")] = '\0';
		assert_memory_equal(line, "FILE", 4);
		snprintf(want, sizeof(want), "%s%s", path, line + 4);
		memset(err, 0, sizeof(err));
		if (sector_load(path, &p, err, sizeof(err)) != -1)
			fail_msg("%s: loaded", path);
		assert_null(p);
		if (strcmp(err, want) != 0)
			fail_msg("%s\n got: %s\nwant: %s", path, err, want);
		n++;
	}
	closedir(d);
	assert_true(n >= 30);
}

/* Writes text to dir/name; returns the path in a static buffer. */
static const char *
put(const char *dir, const char *name, const char *text, size_t len)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void
test_hostile_files(void **state)
{
	static const char nul[] = "[profile]\nsector = power\ntitle = a\0b\n";
	struct sector_profile *p = NULL;
	char dir[64], err[ERRLEN], want[ERRLEN], *big;
	const char *path;
	size_t n = SECTOR_MAX_FILE + 1;

	(void)state;
	str_copy(dir, "/tmp/test_sector.XXXXXX", sizeof(dir));
	assert_non_null(mkdtemp(dir));

	path = put(dir, "nul.ini", nul, sizeof(nul) - 1);
	assert_int_equal(sector_load(path, &p, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: NUL byte in text", path);
	assert_string_equal(err, want);
	unlink(path);

	big = malloc(n);
	assert_non_null(big);
	memset(big, '\n', n);
	path = put(dir, "big.ini", big, n);
	free(big);
	assert_int_equal(sector_load(path, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than"));
	unlink(path);

	/* A directory, and nothing at all. */
	assert_int_equal(sector_load(dir, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(sector_load("/nonexistent/x.ini", &p, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/x.ini: No such file or "
	    "directory");
	assert_null(p);
	rmdir(dir);
}

/* A set wants every sector's file, each saying its own sector. */
static void
test_set_mismatch(void **state)
{
	static const char body[] = "\ntitle = T\n[collection]\nprobes = "
	    "system\n[actions]\ndefault = d\n";
	struct sector_set set;
	char dir[64], err[ERRLEN], text[256], want[ERRLEN];
	size_t i;

	(void)state;
	str_copy(dir, "/tmp/test_sector.XXXXXX", sizeof(dir));
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < NELEM(shipped); i++) {
		char name[32];
		const char *s = shipped[i];

		snprintf(name, sizeof(name), "%s.ini", s);
		/* power.ini claims to be telecom. */
		snprintf(text, sizeof(text), "[profile]\nsector = %s%s",
		    strcmp(s, "power") == 0 ? "telecom" : s, body);
		put(dir, name, text, strlen(text));
	}
	assert_int_equal(sector_set_load(dir, &set, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/power.ini: says sector = telecom; "
	    "the file of sector power must say sector = power", dir);
	assert_string_equal(err, want);
	assert_null(set.v);
	assert_null(set.dir);

	/*
	 * Sectors are data: every *.ini is one, so with power.ini fixed and
	 * healthcare.ini gone the set has the three left, and a new file is
	 * a new sector.  Other files are passed over.
	 */
	snprintf(text, sizeof(text), "%s/healthcare.ini", dir);
	unlink(text);
	snprintf(text, sizeof(text), "[profile]\nsector = power%s", body);
	put(dir, "power.ini", text, strlen(text));
	snprintf(text, sizeof(text), "[profile]\nsector = water%s", body);
	put(dir, "water.ini", text, strlen(text));
	put(dir, "README", "not a profile", 13);
	if (sector_set_load(dir, &set, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(set.n, 4);
	assert_string_equal(set.names[0], "localgov");
	assert_string_equal(set.names[3], "water");
	assert_null(sector_set_find(&set, "healthcare"));
	assert_non_null(sector_set_find(&set, "Water"));
	sector_set_free(&set);
	snprintf(text, sizeof(text), "%s/water.ini", dir);
	unlink(text);
	snprintf(text, sizeof(text), "%s/README", dir);
	unlink(text);

	/* A file that is no sector name is refused at its "sector" line. */
	snprintf(text, sizeof(text), "[profile]\nsector = wa ter%s", body);
	put(dir, "bad.ini", text, strlen(text));
	assert_int_equal(sector_set_load(dir, &set, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/bad.ini:2: sector: 'wa ter' is not "
	    "a sector name (a-z, 0-9, '_' and '-', at most 32)", dir);
	assert_string_equal(err, want);
	snprintf(text, sizeof(text), "%s/bad.ini", dir);
	unlink(text);
	for (i = 0; i < NELEM(shipped); i++) {
		snprintf(text, sizeof(text), "%s/%s.ini", dir, shipped[i]);
		unlink(text);
	}
	/* A directory without a profile is an error. */
	assert_int_equal(sector_set_load(dir, &set, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: no sector profile (*.ini)", dir);
	assert_string_equal(err, want);
	rmdir(dir);
}

/* sector_check() against a pack: unknown ids and vendors at their line. */
static void
test_check_against_pack(void **state)
{
	struct regulation regs[1];
	struct rule rules[1];
	struct rule_pack fake;
	struct sector_profile *p;
	char err[ERRLEN], want[ERRLEN];

	(void)state;
	memset(&fake, 0, sizeof(fake));
	memset(regs, 0, sizeof(regs));
	memset(rules, 0, sizeof(rules));
	regs[0].id = "ndaa-889a";
	rules[0].vendor = "HUAWEI";
	fake.dir = "fake";
	fake.regs = regs;
	fake.nregs = 1;
	fake.rules = rules;
	fake.nrules = 1;

	p = load_ok(DATA "good-full.ini");
	assert_int_equal(sector_check(p, &fake, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), DATA "good-full.ini:24: apply: "
	    "regulation 'cisa-icsma-25-030-01' is not in the rule pack fake");
	assert_string_equal(err, want);
	regs[0].id = "cisa-icsma-25-030-01";
	p->regs[0][0] = 'x';	/* "xdaa-889a": only the second is known */
	assert_int_equal(sector_check(p, &fake, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "good-full.ini:23: apply: regulation "
	    "'xdaa-889a'"));
	free(p->regs[0]);
	p->regs[0] = p->regs[1];
	p->nregs = 1;
	/* Vendors compare without regard to case; Contec is not there. */
	assert_int_equal(sector_check(p, &fake, err, sizeof(err)), -1);
	assert_string_equal(err, DATA "good-full.ini:9: [vendor-actions]: "
	    "no rule of the rule pack has vendor 'contec medical systems'");
	sector_free(p);
}

/* --- recommended actions ---------------------------------------------- */

static void
test_actions(void **state)
{
	struct sector_profile *p;
	char buf[256], tiny[8];

	(void)state;
	p = load_ok(DATA "good-full.ini");
	/* The vendor's wording wins, whatever the severity (any case). */
	sector_action(p, "huawei", "NE40E", "critical", buf, sizeof(buf));
	assert_string_equal(buf, "Huawei wording for NE40E.");
	sector_action(p, "Contec Medical Systems", "CMS8000", "low", buf,
	    sizeof(buf));
	assert_string_equal(buf, "Contec wording.");
	/* Then the severity's. */
	sector_action(p, "Dahua", "NVR", "CRITICAL", buf, sizeof(buf));
	assert_string_equal(buf, "Critical: NVR (Dahua).");
	sector_action(p, "Dahua", "NVR", "low", buf, sizeof(buf));
	assert_string_equal(buf, "Low: Dahua.");
	/* Then the default; unknown severities too. */
	sector_action(p, "Dahua", "NVR", "high", buf, sizeof(buf));
	assert_string_equal(buf, "Default for Dahua NVR.");
	sector_action(p, NULL, NULL, "whatever", buf, sizeof(buf));
	assert_string_equal(buf, "Default for  .");
	/*
	 * 2026-12-05: "Huawei Huawei routers": a product that names its
	 * vendor (first word, any case, as a word) is not preceded by it.
	 */
	sector_action(p, "Dahua", "Dahua cameras and recorders", "high", buf,
	    sizeof(buf));
	assert_string_equal(buf, "Default for Dahua cameras and recorders.");
	sector_action(p, "ZTE", "Possible zte OLT", "high", buf, sizeof(buf));
	assert_string_equal(buf, "Default for Possible zte OLT.");
	sector_action(p, "Zhejiang Dahua", "Zhejiang NVR", "high", buf,
	    sizeof(buf));
	assert_string_equal(buf, "Default for Zhejiang NVR.");
	/* Only as a word: "Dahuaware" does not name Dahua. */
	sector_action(p, "Dahua", "Dahuaware NVR", "high", buf, sizeof(buf));
	assert_string_equal(buf, "Default for Dahua Dahuaware NVR.");
	/* Elsewhere the vendor stays, even beside the product. */
	sector_action(p, "Dahua", "Dahua NVR", "CRITICAL", buf, sizeof(buf));
	assert_string_equal(buf, "Critical: Dahua NVR (Dahua).");
	/* Cut to fit, always terminated. */
	sector_action(p, "Dahua", "NVR", "high", tiny, sizeof(tiny));
	assert_string_equal(tiny, "Default");
	/* No profile: empty. */
	sector_action(NULL, "Dahua", "NVR", "high", buf, sizeof(buf));
	assert_string_equal(buf, "");
	sector_free(p);
}

static void
test_applies(void **state)
{
	struct sector_profile *p;

	(void)state;
	p = load_ok(DATA "good-full.ini");
	assert_true(sector_applies(p, "ndaa-889a"));
	assert_false(sector_applies(p, "NDAA-889A"));
	assert_false(sector_applies(p, "ndaa-889"));
	assert_false(sector_applies(p, NULL));
	assert_false(sector_applies(NULL, "ndaa-889a"));
	sector_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_profiles),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_neighbours_off),
		cmocka_unit_test(test_jurisdiction_owners),
		cmocka_unit_test(test_crlf_bom),
		cmocka_unit_test(test_error_fixtures),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_set_mismatch),
		cmocka_unit_test(test_check_against_pack),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_applies),
	};

	return cmocka_run_group_tests(tests, fx_pack_setup,
	    fx_pack_teardown);
}
