/*
 * Unit tests for analyze with sector profiles, on the real rule pack and
 * the shipped profiles: the regulations listed per sector (all of them,
 * with a note, when the sector applies none), risk weights, wording, due
 * dates counted from the first sighting, and findings carried when a run
 * did not assess the host.  Each test runs twice: the run read back
 * (analyze_run_sectors()), and each host matched as a scan's sink feeds
 * it (analyze_add(), analyze_host()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze.h"
#include "fixture.h"
#include "rules.h"
#include "sector.h"
#include "store.h"
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define DAY	86400

static struct rule_pack *pack;
static struct sector_set sectors;

static int
setup(void **state)
{
	char err[ERRLEN];

	(void)state;
	if (rules_load("rules", &pack, err, sizeof(err)) != 0 ||
	    sector_set_load("sectors", &sectors, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sector_set_free(&sectors);
	rules_free(pack);
	return 0;
}

static int64_t
host(struct store *s, int64_t run, const char *addr, const char *sector,
    int crit, enum cov_status cs)
{
	struct host_info hi;
	struct coverage c;
	char err[ERRLEN];
	int64_t id;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.sector = sector;
	hi.h.criticality = crit;
	if (store_host(s, run, &hi, &id, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = "";
	c.status = cs;
	if (store_coverage(s, run, id, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return id;
}

static void
obs(struct store *s, int64_t run, int64_t h, enum obs_kind k,
    const char *attr, enum value_type vt, const char *v)
{
	obs_stored(s, run, h, k, "1", attr, "test", vt, v, strlen(v));
}

/* One attribute of anti-virus entry ITEM, as an agent reports it. */
static void
av(struct store *s, int64_t run, int64_t h, const char *item,
    const char *attr, const char *v)
{
	struct observation o;
	char err[ERRLEN];

	memset(&o, 0, sizeof(o));
	o.kind = OBS_ANTIVIRUS;
	o.item = item;
	o.attr = attr;
	o.source = "test";
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = strlen(v);
	if (store_observation(s, run, h, CHAN_AGENT, &o, NULL, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
}

static void
kesl(struct store *s, int64_t run, int64_t h)
{
	obs(s, run, h, OBS_SOFTWARE, "name", VAL_TEXT, "kesl-12.1.0-1297");
	obs(s, run, h, OBS_PROCESS, "path", VAL_TEXT,
	    "/opt/kaspersky/kesl/libexec/kesl");
}

static void
contec(struct store *s, int64_t run, int64_t h)
{
	obs(s, run, h, OBS_CONNECTION, "remote", VAL_IPADDR,
	    "202.114.4.120");
}

struct got {
	char	 address[32];
	char	 rule[64];
	char	 status[16];
	char	 regulation[2048];
	char	 scope[2048];
	char	 effective[16];
	char	 evidence[2048];
	char	 action[1024];
	char	 due[16];
	char	 rating[16];
	int	 likelihood, impact, unverified;
};

struct gotset {
	struct got	 v[16];
	size_t		 n;
};

static int
got_cb(void *arg, const struct finding_row *r)
{
	struct gotset *g = arg;
	struct got *w = &g->v[g->n++];
	const struct finding *f = &r->f;

	assert_true(g->n <= 16);
	memset(w, 0, sizeof(*w));
	str_copy(w->address, f->address ? f->address : "", sizeof(w->address));
	str_copy(w->rule, f->rule_id, sizeof(w->rule));
	str_copy(w->status, r->status, sizeof(w->status));
	str_copy(w->regulation, f->regulation ? f->regulation : "",
	    sizeof(w->regulation));
	str_copy(w->effective, f->effective_date ? f->effective_date : "",
	    sizeof(w->effective));
	str_copy(w->scope, f->binding_scope ? f->binding_scope : "",
	    sizeof(w->scope));
	str_copy(w->evidence, f->evidence ? f->evidence : "",
	    sizeof(w->evidence));
	str_copy(w->action, f->recommended_action ? f->recommended_action :
	    "", sizeof(w->action));
	str_copy(w->due, f->due_date ? f->due_date : "", sizeof(w->due));
	str_copy(w->rating, f->risk_rating ? f->risk_rating : "",
	    sizeof(w->rating));
	w->likelihood = f->likelihood;
	w->impact = f->impact;
	w->unverified = r->unverified;
	return 0;
}

/* The finding of rule on address, or NULL. */
static const struct got *
lookup(const struct gotset *g, const char *address, const char *rule)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->v[i].address, address) == 0 &&
		    strcmp(g->v[i].rule, rule) == 0)
			return &g->v[i];
	return NULL;
}

static const struct got *
find(const struct gotset *g, const char *address, const char *rule)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->v[i].address, address) == 0 &&
		    strcmp(g->v[i].rule, rule) == 0)
			return &g->v[i];
	fail_msg("no %s finding on %s", rule, address);
	return NULL;
}

static struct gotset *
findings(struct store *s, int64_t run)
{
	static struct gotset g;
	char err[ERRLEN];

	memset(&g, 0, sizeof(g));
	if (store_each_finding(s, run, got_cb, &g, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return &g;
}

/*
 * Set: the tests run a second time with each host matched as a scan does
 * it, row by row as stored and the host when done (analyze_add(),
 * analyze_host()), instead of reading the run back; every assertion must
 * hold both ways.
 */
static int live;

/* The run's rows, copied (the store may not be used from its iterator). */
struct feed {
	struct feed_row {
		int64_t		 id, host;
		enum channel	 ch;
		struct observation o;
		char		*item, *attr, *source, *value;
	}		*v;
	size_t		 n;
};

static int
feed_row(void *arg, const struct obs_row *r)
{
	struct feed *f = arg;
	struct feed_row *w;

	f->v = realloc(f->v, (f->n + 1) * sizeof(*f->v));
	assert_non_null(f->v);
	w = &f->v[f->n++];
	w->id = r->id;
	w->host = r->host;
	w->ch = r->channel;
	w->o = r->obs;
	w->o.item = w->item = strdup(r->obs.item);
	w->o.attr = w->attr = strdup(r->obs.attr);
	w->o.source = w->source = r->obs.source ? strdup(r->obs.source) :
	    NULL;
	w->o.value = w->value = malloc(r->obs.len + 1);
	assert_non_null(w->value);
	memcpy(w->value, r->obs.value ? r->obs.value : "", r->obs.len);
	return 0;
}

static void
feed_free(struct feed *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].item);
		free(f->v[i].attr);
		free(f->v[i].source);
		free(f->v[i].value);
	}
	free(f->v);
}

static void
analyze(struct store *s, int64_t run, const struct sector_set *set,
    struct analyze_stats *as)
{
	struct feed f;
	struct analyze *an;
	struct analyze_rows *rows = NULL;
	char err[ERRLEN];
	size_t i;

	if (!live) {
		if (analyze_run_sectors(s, run, pack, set, as, err,
		    sizeof(err)) != 0)
			fail_msg("%s", err);
		return;
	}
	memset(&f, 0, sizeof(f));
	if (store_each_observation(s, run, 0, feed_row, &f, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	if (analyze_begin(&an, s, run, pack, set, as, err, sizeof(err)) != 0)
		fail_msg("analyze_begin: %s", err);
	for (i = 0; i < f.n; i++) {
		if (analyze_add(an, &rows, f.v[i].id, f.v[i].ch, &f.v[i].o,
		    err, sizeof(err)) != 0)
			fail_msg("analyze_add: %s", err);
		/* The host is done after its last row. */
		if ((i + 1 == f.n || f.v[i + 1].host != f.v[i].host) &&
		    analyze_host(an, f.v[i].host, &rows, err,
		    sizeof(err)) != 0)
			fail_msg("analyze_host: %s", err);
		assert_true(i + 1 == f.n || f.v[i + 1].host != f.v[i].host ||
		    rows != NULL || f.v[i].o.kind == OBS_NEIGHBOR);
	}
	assert_null(rows);
	feed_free(&f);
	if (analyze_end(an, err, sizeof(err)) != 0)
		fail_msg("analyze_end: %s", err);
	analyze_free(an);
}

static void
test_regulations_by_sector(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct gotset *g;
	const struct got *w;
	int64_t r;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r = begin_run(s, "t", T0);
	contec(s, r, host(s, r, "10.0.0.1", "telecom", 3, COV_OK));
	contec(s, r, host(s, r, "10.0.0.2", "healthcare", 3, COV_OK));
	kesl(s, r, host(s, r, "10.0.0.3", "power", 4, COV_OK));
	kesl(s, r, host(s, r, "10.0.0.4", "telecom", 3, COV_OK));
	analyze(s, r, &sectors, &as);
	assert_int_equal(as.findings, 4);
	assert_int_equal(as.carried, 0);
	g = findings(s, r);

	/* Healthcare applies the advisory: listed, no note, its wording. */
	w = find(g, "10.0.0.2", "contec-cms8000");
	assert_non_null(strstr(w->regulation, "CISA ICSMA-25-030-01"));
	assert_null(strstr(w->evidence, "sector profile"));
	assert_non_null(strstr(w->action, "Stop remote monitoring"));
	assert_string_equal(w->effective, "2025-01-30");
	/* Telecom applies none of the rule's: all listed, and said so. */
	w = find(g, "10.0.0.1", "contec-cms8000");
	assert_non_null(strstr(w->regulation, "CISA ICSMA-25-030-01"));
	assert_non_null(strstr(w->evidence, "the telecom sector profile "
	    "applies none of this rule's regulations: all are listed"));
	assert_non_null(strstr(w->action, "Remove or replace Contec"));

	/* Power: only FAR 52.204-23 and BIS of the Kaspersky rule. */
	w = find(g, "10.0.0.3", "kaspersky-endpoint");
	assert_int_equal(strncmp(w->regulation, "FAR 52.204-23", 13), 0);
	assert_non_null(strstr(w->regulation, "BIS ICTS"));
	assert_null(strstr(w->regulation, "FCC Covered List"));
	assert_null(strstr(w->regulation, "Texas prohibited"));
	assert_string_equal(w->effective, "2018-10-01");
	assert_non_null(strstr(w->action, "OT vendor"));
	/* Installed and running, high confidence: 4 + 2 (power); impact
	 * 4 + 1 (critical) + 1 (power). */
	assert_int_equal(w->likelihood, 5);
	assert_int_equal(w->impact, 5);
	assert_string_equal(w->rating, "critical");
	assert_string_equal(w->due, "2026-01-31");
	/* Telecom: the Covered List entry and BIS. */
	w = find(g, "10.0.0.4", "kaspersky-endpoint");
	assert_non_null(strstr(w->regulation, "FCC Covered List, "
	    "Kaspersky"));
	assert_null(strstr(w->regulation, "FAR 52.204-23"));
	assert_int_equal(w->likelihood, 5);	/* 4 + 1 */
	assert_int_equal(w->impact, 5);		/* 3 + 1 + 1 */
	store_close(s);
}

/* Without profiles: every regulation, the default wording and weights. */
static void
test_no_profiles(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct got *w;
	char err[ERRLEN];
	int64_t r;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r = begin_run(s, "t", T0);
	kesl(s, r, host(s, r, "10.0.0.3", "power", 4, COV_OK));
	if (analyze_run_sectors(s, r, pack, NULL, &as, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	w = find(findings(s, r), "10.0.0.3", "kaspersky-endpoint");
	assert_non_null(strstr(w->regulation, "FCC Covered List"));
	assert_non_null(strstr(w->regulation, "FAR 52.204-23"));
	assert_null(strstr(w->evidence, "sector profile"));
	assert_int_equal(strncmp(w->action, "Remove or replace Kaspersky",
	    27), 0);
	assert_int_equal(w->impact, 5);		/* 4 + 1, no weight */
	store_close(s);
}

/*
 * 2026-11-27: due dates counted from each run's start, so a persisting
 * finding's due date moved a day later with every daily scan.
 */
static void
test_due_date_and_carry(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct got *w;
	char err[ERRLEN];
	int64_t r1, r2, r3, h;
	size_t total, waived;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r1 = begin_run(s, "t", T0);
	h = host(s, r1, "10.0.0.3", "power", 4, COV_OK);
	kesl(s, r1, h);
	analyze(s, r1, &sectors, &as);
	end_run(s, r1, RUN_COMPLETE);
	assert_string_equal(find(findings(s, r1), "10.0.0.3",
	    "kaspersky-endpoint")->due, "2026-01-31");

	r2 = begin_run(s, "t", T0 + 10 * DAY);
	host(s, r2, "10.0.0.3", "power", 4, COV_OK);
	kesl(s, r2, h);
	analyze(s, r2, &sectors, &as);
	end_run(s, r2, RUN_COMPLETE);
	w = find(findings(s, r2), "10.0.0.3", "kaspersky-endpoint");
	assert_string_equal(w->status, "persisting");
	assert_string_equal(w->due, "2026-01-31");	/* not 2026-02-10 */

	/* The host does not answer: carried, unverified, still due. */
	r3 = begin_run(s, "t", T0 + 20 * DAY);
	host(s, r3, "10.0.0.3", "power", 4, COV_TIMEOUT);
	analyze(s, r3, &sectors, &as);
	assert_int_equal(as.findings, 0);
	assert_int_equal(as.carried, 1);
	assert_int_equal(as.waived, 0);
	end_run(s, r3, RUN_COMPLETE);
	w = find(findings(s, r3), "10.0.0.3", "kaspersky-endpoint");
	assert_string_equal(w->status, "persisting");
	assert_int_equal(w->unverified, 1);
	assert_string_equal(w->due, "2026-01-31");
	assert_int_equal(store_run_findings(s, r3, &total, &waived, err,
	    sizeof(err)), 0);
	assert_int_equal(total, 1);
	store_close(s);
}

/* A localgov host in a jurisdiction (NULL: none given). */
static int64_t
gov_host(struct store *s, int64_t run, const char *addr, const char *juris)
{
	struct host_info hi;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.sector = "localgov";
	hi.h.criticality = 3;
	hi.h.jurisdiction = juris;
	/* Read completely, so that a finding gone from it is resolved. */
	return host_assessed(s, run, &hi);
}

static void
app(struct store *s, int64_t run, int64_t h, const char *name)
{
	obs(s, run, h, OBS_SOFTWARE, "name", VAL_TEXT, name);
}

/*
 * Jurisdiction x sector x date: the same apps on a Texas, a Maryland and
 * a jurisdiction-less host cite only what binds each; a product banned
 * only in another state is no finding.
 */
static void
test_jurisdictions(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct gotset *g;
	const struct got *w;
	int64_t r, tx, md, none;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r = begin_run(s, "t", T0);
	tx = gov_host(s, r, "10.1.0.1", "US-TX");
	md = gov_host(s, r, "10.1.0.2", "US-MD");
	none = gov_host(s, r, "10.1.0.3", NULL);
	app(s, r, tx, "TikTok");
	app(s, r, tx, "DeepSeek");
	app(s, r, md, "TikTok");
	app(s, r, md, "DeepSeek");
	app(s, r, none, "TikTok");
	app(s, r, none, "DeepSeek");
	analyze(s, r, &sectors, &as);
	g = findings(s, r);
	assert_int_equal(as.findings, 4);

	/* Texas: its list and SB 1893, obligations of the owner. */
	w = find(g, "10.1.0.1", "bytedance-tiktok");
	assert_non_null(strstr(w->regulation, "Texas SB 1893"));
	assert_non_null(strstr(w->regulation, "Texas prohibited "
	    "technologies list"));
	assert_null(strstr(w->regulation, "Maryland"));
	assert_null(strstr(w->regulation, "New Hampshire"));
	assert_non_null(strstr(w->scope, "Texas SB 1893, covered "
	    "applications: obligation (state and local government)"));
	w = find(g, "10.1.0.1", "deepseek-app");
	assert_non_null(strstr(w->regulation, "2025 additions"));

	/* Maryland: its policy only; DeepSeek is banned only in Texas. */
	w = find(g, "10.1.0.2", "bytedance-tiktok");
	assert_non_null(strstr(w->regulation, "Maryland"));
	assert_null(strstr(w->regulation, "Texas"));
	assert_null(lookup(g, "10.1.0.2", "deepseek-app"));

	/* No jurisdiction: federal law only, said so, as background. */
	w = find(g, "10.1.0.3", "bytedance-tiktok");
	assert_non_null(strstr(w->regulation, "No TikTok on Government "
	    "Devices Act"));
	assert_null(strstr(w->regulation, "Texas"));
	assert_null(strstr(w->regulation, "Maryland"));
	assert_non_null(strstr(w->evidence, "no jurisdiction given: state "
	    "lists not applied"));
	assert_non_null(strstr(w->scope, "background (binds federal "
	    "agencies)"));
	assert_null(strstr(w->scope, "obligation"));
	assert_null(lookup(g, "10.1.0.3", "deepseek-app"));
	store_close(s);
}

/* New Hampshire EO 2022-09 binds until its rescission in October 2025. */
static void
test_repealed_order(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct got *w;
	int64_t r1, r2, h;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r1 = begin_run(s, "t", T0 - 120 * DAY);	/* 2025-09-03 */
	h = gov_host(s, r1, "10.2.0.1", "US-NH");
	app(s, r1, h, "WeChat");
	analyze(s, r1, &sectors, &as);
	w = find(findings(s, r1), "10.2.0.1", "tencent-wechat");
	assert_non_null(strstr(w->regulation, "New Hampshire EO 2022-09"));
	assert_string_equal(w->effective, "2022-12-14");
	end_run(s, r1, RUN_COMPLETE);

	r2 = begin_run(s, "t", T0);	/* 2026-01-01: rescinded */
	gov_host(s, r2, "10.2.0.1", "US-NH");
	app(s, r2, h, "WeChat");
	analyze(s, r2, &sectors, &as);
	assert_int_equal(as.findings, 0);
	/* Only the previous run's, as resolved: no law binds it now. */
	assert_string_equal(find(findings(s, r2), "10.2.0.1",
	    "tencent-wechat")->status, "resolved");
	store_close(s);
}

/*
 * A funding condition is said to be one, never an obligation, on a host
 * whose owner may take no such funds; a rule binding the vendor is
 * background.
 */
static void
test_binding_scope(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct gotset *g;
	const struct got *w;
	int64_t r, h;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r = begin_run(s, "t", T0);
	h = gov_host(s, r, "10.3.0.1", "US-MD");
	obs(s, r, h, OBS_SYSTEM, "descr", VAL_TEXT,
	    "Huawei Versatile Routing Platform Software");
	kesl(s, r, gov_host(s, r, "10.3.0.2", "US-TX"));
	analyze(s, r, &sectors, &as);
	g = findings(s, r);
	w = find(g, "10.3.0.1", "huawei-network");
	assert_non_null(strstr(w->scope, "2 CFR 200.216: funding condition "
	    "(recipients of federal grants and loans)"));
	assert_null(strstr(w->scope, "2 CFR 200.216: obligation"));
	assert_non_null(strstr(w->scope, "Maryland Prohibited Technologies "
	    "Policy: obligation (state executive agencies)"));
	w = find(g, "10.3.0.2", "kaspersky-endpoint");
	assert_non_null(strstr(w->scope, "BIS ICTS Final Determination, "
	    "Kaspersky Lab, Inc. and affiliates: background (binds the "
	    "vendor, not its users)"));
	assert_non_null(strstr(w->scope, "Texas prohibited technologies list: "
	    "obligation"));
	store_close(s);
}

/*
 * 2026-12-05: a Huawei SmartLogger on a power host without a jurisdiction
 * lost its finding once state lists stopped applying there: the energy
 * rule cites only state lists, but the vendor's generic signals (PEN
 * 2011) would raise a finding on federal law of their own.
 */
static void
test_fallback_regulations(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct got *w;
	int64_t r, h;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r = begin_run(s, "t", T0);
	h = host(s, r, "10.4.0.1", "power", 3, COV_OK);
	obs(s, r, h, OBS_SYSTEM, "descr", VAL_TEXT, "SmartLogger3000");
	obs(s, r, h, OBS_SYSTEM, "objectid", VAL_OID,
	    "1.3.6.1.4.1.2011.2.999");
	/* Without the vendor's signals: no regulation binds, no finding. */
	obs(s, r, host(s, r, "10.4.0.2", "power", 3, COV_OK), OBS_SYSTEM,
	    "descr", VAL_TEXT, "SmartLogger3000");
	analyze(s, r, &sectors, &as);
	assert_int_equal(as.findings, 1);
	w = find(findings(s, r), "10.4.0.1", "huawei-energy");
	assert_non_null(strstr(w->regulation, "NDAA FY2019 s889"));
	assert_null(strstr(w->regulation, "Texas"));
	assert_non_null(strstr(w->evidence, "cited as Huawei equipment "
	    "(rule huawei-device)"));
	store_close(s);
}

/*
 * The Kaspersky signature base against the BIS cutoff, 2024-09-29: the
 * cutoff day itself is "after" (updates stopped from that day), and of
 * several Kaspersky entries the newest date counts.  2026-12-05: the
 * cutoff day taken as "before", and the oldest date taken for the newest,
 * both left the suite green.
 */
static const char *
kaspersky_evidence(const char *d1, const char *d2, char *buf, size_t len)
{
	struct store *s = NULL;
	struct analyze_stats as;
	int64_t r, h;

	s = open_ok(":memory:", STORE_WRITE);
	r = begin_run(s, "t", T0);
	h = host(s, r, "10.0.0.5", "healthcare", 3, COV_OK);
	kesl(s, r, h);
	av(s, r, h, "1", "name", "Kaspersky Endpoint Security 12");
	av(s, r, h, "1", "base_date", d1);
	if (d2 != NULL) {
		/* Named by its company alone. */
		av(s, r, h, "2", "name", "Network Agent");
		av(s, r, h, "2", "company", "AO Kaspersky Lab");
		av(s, r, h, "2", "base_date", d2);
	}
	/* Another vendor's newer date never counts. */
	av(s, r, h, "3", "name", "Windows Defender");
	av(s, r, h, "3", "base_date", "2026-01-01");
	analyze(s, r, &sectors, &as);
	str_copy(buf, find(findings(s, r), "10.0.0.5",
	    "kaspersky-endpoint")->evidence, len);
	store_close(s);
	return buf;
}

static void
test_kaspersky_cutoff(void **state)
{
	char ev[2048];

	(void)state;
	assert_non_null(strstr(kaspersky_evidence("2024-09-29", NULL, ev,
	    sizeof(ev)), "signature base 2024-09-29: after the 2024-09-29 "
	    "cutoff"));
	assert_non_null(strstr(kaspersky_evidence("2024-09-28", NULL, ev,
	    sizeof(ev)), "signature base 2024-09-28: before the 2024-09-29 "
	    "cutoff -- stale protection"));
	/* The newest counts, in either order. */
	assert_non_null(strstr(kaspersky_evidence("2024-09-15", "2024-11-05",
	    ev, sizeof(ev)), "signature base 2024-11-05: after"));
	assert_non_null(strstr(kaspersky_evidence("2024-11-05", "2024-09-15",
	    ev, sizeof(ev)), "signature base 2024-11-05: after"));
	assert_non_null(strstr(kaspersky_evidence("2023-01-02", "2024-01-03",
	    ev, sizeof(ev)), "signature base 2024-01-03: before"));
	/*
	 * (Entry 2 is named by its company alone: it counts.)  A date that
	 * is not one never does: with no date left, the evidence says so.
	 */
	assert_non_null(strstr(kaspersky_evidence("someday", NULL, ev,
	    sizeof(ev)), "no signature base date reported"));
	assert_null(strstr(ev, "signature base 2026-01-01"));
}

/* A row locate derives for a device seen in neighbour tables. */
static void
derived(struct store *s, int64_t run, int64_t h, const char *attr,
    const char *v)
{
	struct observation o;
	char err[ERRLEN];

	memset(&o, 0, sizeof(o));
	o.kind = OBS_NEIGHBOR;
	o.item = "";
	o.attr = attr;
	o.source = "locate";
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = strlen(v);
	if (store_observation(s, run, h, CHAN_DERIVED, &o, NULL, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
}

struct leads {
	size_t	 n;
	char	 address[32], rule[64], reason[512];
};

static int
lead_cb(void *arg, const struct lead_row *r)
{
	struct leads *l = arg;

	l->n++;
	str_copy(l->address, r->address, sizeof(l->address));
	str_copy(l->rule, r->rule_id, sizeof(l->rule));
	str_copy(l->reason, r->reason, sizeof(l->reason));
	return 0;
}

/*
 * The kinds of hit apart: a "verify" rule's finding says it is possible
 * and asks to verify first (evidence and action); where the device was
 * seen closes its evidence; an "exclude" rule (H3C, never Huawei) raises
 * nothing; a lead is counted as a lead, never a finding; a neighbour row
 * a switch reported is matched on the device it describes, not on the
 * switch.
 */
static void
test_verify_exclude_lead(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct gotset *g;
	const struct got *w;
	struct observation o;
	struct leads ld;
	char err[ERRLEN];
	int64_t r, sw;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r = begin_run(s, "t", T0);
	derived(s, r, host(s, r, "10.6.0.1", "localgov", 3, COV_OK),
	    "oui_org", "Prama Hikvision India Private Limited");
	derived(s, r, host(s, r, "10.6.0.1", "localgov", 3, COV_OK),
	    "location", "sw-1 Gi0/3 vlan 10");
	/* H3C: excluded, never a Huawei finding. */
	sw = host(s, r, "10.6.0.2", "localgov", 3, COV_OK);
	obs(s, r, sw, OBS_SYSTEM, "objectid", VAL_OID,
	    "1.3.6.1.4.1.25506.1.1");
	obs(s, r, sw, OBS_SYSTEM, "descr", VAL_TEXT, "H3C Comware V7");
	/* The switch's own table row about a camera: not the switch's. */
	memset(&o, 0, sizeof(o));
	o.kind = OBS_NEIGHBOR;
	o.item = "lldp.3.1";
	o.attr = "sysdesc";
	o.source = "lldpRemSysDesc";
	o.vtype = VAL_TEXT;
	o.value = "HIKVISION DS-2CD2043";
	o.len = strlen(o.value);
	if (store_observation(s, r, sw, CHAN_SNMP, &o, NULL, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	obs(s, r, host(s, r, "10.6.0.3", "localgov", 3, COV_OK),
	    OBS_SOFTWARE, "name", VAL_TEXT, "UltraAV 7.1");
	analyze(s, r, &sectors, &as);
	assert_int_equal(as.findings, 1);
	assert_int_equal(as.leads, 1);
	g = findings(s, r);
	assert_null(lookup(g, "10.6.0.2", "h3c-lookalike"));
	assert_null(lookup(g, "10.6.0.2", "hikvision-camera"));
	w = find(g, "10.6.0.1", "hikvision-prama");
	assert_string_equal(w->evidence, "possible, verify: derived "
	    "neighbor.oui_org \"Prama Hikvision India Private Limited\" "
	    "(locate); no jurisdiction given: state lists not applied; "
	    "located: sw-1 Gi0/3 vlan 10");
	assert_string_equal(w->action, "Verify whether this is Hikvision "
	    "Prama Hikvision India device (joint venture; ownership "
	    "unverified); if it is: Replace Prama Hikvision India device "
	    "(joint venture; ownership unverified) with NDAA-compliant "
	    "cameras (not with federal grant funds if it was bought with "
	    "them); until then keep it off the internet and out of the core "
	    "network.");
	/* The lead: apart from the findings, with its reason. */
	assert_null(lookup(g, "10.6.0.3", "kaspersky-ultraav"));
	memset(&ld, 0, sizeof(ld));
	if (store_each_lead(s, r, lead_cb, &ld, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(ld.n, 1);
	assert_string_equal(ld.address, "10.6.0.3");
	assert_string_equal(ld.rule, "kaspersky-ultraav");
	assert_non_null(strstr(ld.reason, "Not prohibited"));
	store_close(s);
}

/*
 * Evidence is bounded: a value longer than 160 bytes is cut with "..."
 * (the 159 bytes a 160-byte field holds),
 * at most MATCH_MAX_EVIDENCE (32) rows are quoted and the rest counted
 * ("and N more"), the notes after them, the whole within 2000 bytes.
 */
static void
test_evidence_bounds(void **state)
{
	struct store *s = NULL;
	struct analyze_stats as;
	const struct got *w;
	char v[400], name[64], want[200];
	int64_t r, h;
	int i;

	(void)state;
	s = open_ok(":memory:", STORE_WRITE);
	r = begin_run(s, "t", T0);
	h = host(s, r, "10.7.0.1", "power", 3, COV_OK);
	memset(v, 'x', sizeof(v));
	memcpy(v, "Kaspersky Endpoint Security ", 28);
	v[300] = '\0';
	obs(s, r, h, OBS_SOFTWARE, "name", VAL_TEXT, v);
	h = host(s, r, "10.7.0.2", "power", 3, COV_OK);
	for (i = 0; i < 40; i++) {
		struct observation o;
		char err[ERRLEN], item[16];

		snprintf(item, sizeof(item), "%d", i);
		snprintf(name, sizeof(name), "kesl-12.1.0-%d", 1000 + i);
		memset(&o, 0, sizeof(o));
		o.kind = OBS_SOFTWARE;
		o.item = item;
		o.attr = "name";
		o.source = "test";
		o.vtype = VAL_TEXT;
		o.value = name;
		o.len = strlen(name);
		if (store_observation(s, r, h, CHAN_AGENT, &o, NULL, err,
		    sizeof(err)) != 0)
			fail_msg("%s", err);
	}
	analyze(s, r, &sectors, &as);
	w = find(findings(s, r), "10.7.0.1", "kaspersky-endpoint");
	/* What fits the 160-byte field (159 bytes), then "..." */
	snprintf(want, sizeof(want), "\"%.159s...\" (test)", v);
	if (strstr(w->evidence, want) == NULL)
		fail_msg("evidence: %s", w->evidence);
	w = find(findings(s, r), "10.7.0.2", "kaspersky-endpoint");
	assert_true(strlen(w->evidence) < 2000);
	if (strstr(w->evidence, "; and 8 more; no jurisdiction given") ==
	    NULL)
		fail_msg("evidence: %s", w->evidence);
	store_close(s);
}

/*
 * A run of a scan with neighbour tables, up to locate: a polled host, a
 * switch whose own LLDP row describes a camera, their walk rows.  Returns
 * the run; *after: the last walk row's id; ids: the two hosts.
 */
static int64_t
parked_walk(struct store *s, int64_t *after, int64_t ids[2])
{
	struct observation o;
	char err[ERRLEN];
	int64_t r;

	r = begin_run(s, "t", T0);
	ids[0] = host(s, r, "10.7.0.1", "localgov", 3, COV_OK);
	obs(s, r, ids[0], OBS_SOFTWARE, "name", VAL_TEXT, "Notepad 1.0");
	obs(s, r, ids[0], OBS_SYSTEM, "descr", VAL_TEXT, "Linux 6.1");
	ids[1] = host(s, r, "10.7.0.2", "localgov", 3, COV_OK);
	obs(s, r, ids[1], OBS_SYSTEM, "descr", VAL_TEXT, "H3C Comware V7");
	memset(&o, 0, sizeof(o));
	o.kind = OBS_NEIGHBOR;
	o.item = "lldp.3.1";
	o.attr = "sysdesc";
	o.source = "lldpRemSysDesc";
	o.vtype = VAL_TEXT;
	o.value = "HIKVISION DS-2CD2043";
	o.len = strlen(o.value);
	if (store_observation(s, r, ids[1], CHAN_SNMP, &o, NULL, err,
	    sizeof(err)) != 0 || store_flush(s, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	*after = store_obs_last(s);
	return r;
}

/*
 * What locate then stores: the polled host's vendor, from its MAC in the
 * switch's table, and where it sits; a device of the table it made.
 */
static void
parked_locate(struct store *s, int64_t r, const int64_t ids[2])
{
	int64_t cam;

	derived(s, r, ids[0], "oui_org",
	    "Prama Hikvision India Private Limited");
	derived(s, r, ids[0], "location", "sw-1 Gi0/3 vlan 10");
	cam = host(s, r, "10.7.0.9", "localgov", 3, COV_OK);
	derived(s, r, cam, "sysdesc", "HIKVISION DS-2CD2043");
	derived(s, r, cam, "location", "sw-1 Gi0/5 vlan 10");
}

/*
 * Issue 13: a scan with neighbour tables parks each host's rows as it
 * finishes (analyze_park()) and, after locate, reads back only the rows
 * locate stored (analyze_after()): the same findings as the run read back
 * whole, among them the polled host's, which only the switch's table
 * (locate's rows on it) makes a finding; the camera locate made is matched
 * too, the switch is not blamed for its table's row.
 */
static void
test_parked(void **state)
{
	struct store *s, *b;
	struct analyze_stats as, bs;
	struct analyze *an;
	struct analyze_rows *parked[2] = { NULL, NULL };
	struct feed f;
	const struct gotset *g;
	struct gotset want;
	char err[ERRLEN];
	int64_t r, rb, after, afterb, ids[2], idsb[2];
	size_t i, k;

	(void)state;
	/* Read back whole: the reference. */
	b = open_ok(":memory:", STORE_WRITE);
	rb = parked_walk(b, &afterb, idsb);
	parked_locate(b, rb, idsb);
	if (analyze_run_sectors(b, rb, pack, &sectors, &bs, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	want = *findings(b, rb);
	assert_int_equal(bs.read, 8);

	/* Parked: the walk's rows fed as a scan's sink does. */
	s = open_ok(":memory:", STORE_WRITE);
	r = parked_walk(s, &after, ids);
	memset(&f, 0, sizeof(f));
	if (store_each_observation(s, r, 0, feed_row, &f, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	if (analyze_begin(&an, s, r, pack, &sectors, &as, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	for (i = 0; i < f.n; i++) {
		k = f.v[i].host == ids[0] ? 0 : 1;
		if (analyze_add(an, &parked[k], f.v[i].id, f.v[i].ch,
		    &f.v[i].o, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		if ((i + 1 == f.n || f.v[i + 1].host != f.v[i].host) &&
		    analyze_park(an, &parked[k], err, sizeof(err)) != 0)
			fail_msg("%s", err);
	}
	feed_free(&f);
	/* Nothing matched yet: no finding before locate. */
	assert_int_equal(findings(s, r)->n, 0);
	parked_locate(s, r, ids);
	if (analyze_after(an, after, ids, parked, 2, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	for (k = 0; k < 2; k++)
		if (analyze_host(an, ids[k], &parked[k], err,
		    sizeof(err)) != 0)
			fail_msg("%s", err);
	if (analyze_end(an, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	analyze_free(an);
	/* Only locate's four rows were read back. */
	assert_int_equal(as.read, 4);
	assert_int_equal(as.findings, bs.findings);
	assert_int_equal(as.hosts, bs.hosts);
	g = findings(s, r);
	assert_int_equal(g->n, want.n);
	for (i = 0; i < want.n; i++) {
		const struct got *w = find(g, want.v[i].address,
		    want.v[i].rule);

		assert_string_equal(w->evidence, want.v[i].evidence);
		assert_string_equal(w->regulation, want.v[i].regulation);
	}
	find(g, "10.7.0.1", "hikvision-prama");
	assert_null(lookup(g, "10.7.0.2", "hikvision-camera"));
	store_close(s);
	store_close(b);
}

static int
set_live(void **state)
{
	(void)state;
	live = 1;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regulations_by_sector),
		cmocka_unit_test(test_no_profiles),
		cmocka_unit_test(test_due_date_and_carry),
		cmocka_unit_test(test_jurisdictions),
		cmocka_unit_test(test_repealed_order),
		cmocka_unit_test(test_binding_scope),
		cmocka_unit_test(test_fallback_regulations),
		cmocka_unit_test(test_kaspersky_cutoff),
		cmocka_unit_test(test_verify_exclude_lead),
		cmocka_unit_test(test_evidence_bounds),
		cmocka_unit_test(test_parked),
		cmocka_unit_test_setup(test_regulations_by_sector,
		    set_live),
		cmocka_unit_test_setup(test_no_profiles, set_live),
		cmocka_unit_test_setup(test_due_date_and_carry, set_live),
		cmocka_unit_test_setup(test_jurisdictions, set_live),
		cmocka_unit_test_setup(test_repealed_order, set_live),
		cmocka_unit_test_setup(test_binding_scope, set_live),
		cmocka_unit_test_setup(test_fallback_regulations,
		    set_live),
		cmocka_unit_test_setup(test_kaspersky_cutoff, set_live),
		cmocka_unit_test_setup(test_verify_exclude_lead, set_live),
		cmocka_unit_test_setup(test_evidence_bounds, set_live),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
