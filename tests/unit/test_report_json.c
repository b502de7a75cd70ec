/*
 * Unit tests for the figures every output shares and the machine-readable
 * reports: report_counts() (targets assessed, partially, not assessed,
 * neighbour-only devices apart; findings by status and rating; waived,
 * overdue, due within 30 days; leads; the sector filter), report_json()
 * and report_jsonl() (the same counts, findings and leads kept apart,
 * coverage, run metadata, invalid UTF-8 replaced), the estate JSON (parts
 * that add up to the total) and report_runs() (text and JSON agree with
 * report_counts()).  Each case names the exact number it expects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "report.h"
#include "store.h"
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */
#define DAY	86400
/*
 * A device's name as hostile firmware may send it: stray bytes, valid
 * 2-, 3- and 4-byte characters, an overlong '/', a UTF-16 surrogate, a
 * code point above U+10FFFF, a broken 4-byte sequence and a 3-byte one
 * cut off at the end.
 */
#define BAD_UTF8	"plc-\xff\xfe-7 " \
			"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 " \
			"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xf0(\x8c(\xe2\x82"
#define FFFD		"\xef\xbf\xbd"
/* The same, each invalid byte one U+FFFD, the valid characters kept. */
#define BAD_UTF8_JSON	"plc-" FFFD FFFD "-7 " \
			"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 " \
			FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD \
			FFFD "(" FFFD "(" FFFD FFFD

struct world {
	struct store	*s;
	int64_t		 run1, run2, run3;
	int64_t		 a, b, c, d, e, p;
	char		 fid[8][FINDING_ID_LEN];
	char		 lid[FINDING_ID_LEN];
};

static void
check(int rc, const char *what, const char *err)
{
	if (rc != 0)
		fail_msg("%s: %s", what, err);
}

static int64_t
host(struct world *w, int64_t run, const char *addr, const char *name,
    const char *sector, const char *site, int discovered)
{
	struct host_info hi;
	char err[ERRLEN];
	int64_t id;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.name = name;
	hi.h.sector = sector;
	hi.h.site = site;
	hi.h.owner = "IT";
	hi.h.criticality = 3;
	hi.discovered = discovered;
	check(store_host(w->s, run, &hi, &id, err, sizeof(err)), "host", err);
	return id;
}

static void
cov(struct world *w, int64_t run, int64_t h, enum channel ch,
    enum cov_status st)
{
	struct coverage c;
	char err[ERRLEN];

	memset(&c, 0, sizeof(c));
	c.channel = ch;
	c.probe = "";
	c.status = st;
	check(store_coverage(w->s, run, h, &c, err, sizeof(err)), "coverage",
	    err);
}

static void
finding(struct world *w, int64_t run, int64_t h, const char *fid,
    const char *rule, const char *rating, const char *due, int lead)
{
	struct finding f;
	char err[ERRLEN];

	memset(&f, 0, sizeof(f));
	f.run = run;
	f.host = h;
	f.finding_id = fid;
	f.rule_id = rule;
	f.vendor = "Huawei";
	f.product = rule;
	f.asset = "asset";
	f.address = "10.0.0.1";
	f.channel = "snmp";
	f.evidence = "ev";
	f.confidence = "high";
	f.lead = lead;
	if (lead == FINDING_ELSEWHERE) {
		f.note = "not a finding in US-MD; banned elsewhere by X (US-TX)";
	} else if (lead) {
		f.note = "not prohibited: check for leftovers";
	} else {
		f.regulation = "FCC Covered List";
		f.citation = "47 CFR 1.50002";
		f.effective_date = "2021-03-12";
		f.severity = rating;
		f.likelihood = 3;
		f.impact = 3;
		f.risk_score = 9;
		f.risk_rating = rating;
		f.recommended_action = "replace";
		f.due_date = due;
	}
	check(store_finding(w->s, &f, err, sizeof(err)), "finding", err);
}

static int64_t
run(struct world *w, int64_t started, const char *scope, const char *site)
{
	struct run_info ri;
	char err[ERRLEN];

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = scope;
	ri.site = site;
	ri.started = started;
	check(store_run_begin(w->s, &ri, err, sizeof(err)), "run", err);
	return ri.id;
}

static void
end(struct world *w, int64_t r)
{
	char err[ERRLEN];

	check(store_run_end(w->s, r, RUN_COMPLETE, err, sizeof(err)), "end",
	    err);
}

/*
 * Scope "agency" (site North):
 * run1: a (telecom, snmp ok: assessed) with F0 critical overdue, F1 high
 *   due in 10 days, F2 medium waived, lead L and a note of a ban
 *   elsewhere (F7: never a finding, lead or figure); b (power, snmp ok, agent
 *   timeout: partial) with F3 low; c (power, snmp timeout: not assessed);
 *   d (seen only in neighbour tables) with F4 rated "odd" (other); e
 *   (snmp unreachable: not assessed; its name is not UTF-8).
 * run2: a (ok) with F0 and new F5 high; b absent (F3 persists,
 *   unverified); F1, F2, F4 resolved.
 * Scope "plant" (site South), run3: p (ok) with F6 critical.
 */
static int
setup(void **state)
{
	struct world *w;
	struct waiver wv;
	char err[ERRLEN];
	char idn[16];
	size_t i;

	w = calloc(1, sizeof(*w));
	if (w == NULL || store_open(":memory:", STORE_WRITE, &w->s, err,
	    sizeof(err)) != 0) {
		free(w);
		return -1;
	}
	for (i = 0; i < 8; i++) {
		snprintf(idn, sizeof(idn), "R-%zu", i);
		finding_id_make("x", idn, w->fid[i]);
	}
	finding_id_make("x", "LEAD", w->lid);

	w->run1 = run(w, T0, "agency", "North");
	w->a = host(w, w->run1, "10.0.0.1", "rtr-a", "telecom", "North", 0);
	w->b = host(w, w->run1, "10.0.0.2", "rtu-b", "power", "North", 0);
	w->c = host(w, w->run1, "10.0.0.3", "rtu-c", "power", "North", 0);
	w->d = host(w, w->run1, "10.0.0.4", NULL, NULL, NULL, 1);
	w->e = host(w, w->run1, "10.0.0.5", BAD_UTF8, "telecom", "North",
	    0);
	cov(w, w->run1, w->a, CHAN_SNMP, COV_OK);
	cov(w, w->run1, w->b, CHAN_SNMP, COV_OK);
	cov(w, w->run1, w->b, CHAN_AGENT, COV_TIMEOUT);
	cov(w, w->run1, w->c, CHAN_SNMP, COV_TIMEOUT);
	cov(w, w->run1, w->e, CHAN_SNMP, COV_UNREACHABLE);
	finding(w, w->run1, w->a, w->fid[0], "R-0", "critical", "2025-12-01",
	    0);
	finding(w, w->run1, w->a, w->fid[1], "R-1", "high", "2026-01-11", 0);
	finding(w, w->run1, w->a, w->fid[2], "R-2", "medium", "2026-03-01",
	    0);
	finding(w, w->run1, w->a, w->lid, "LEAD", NULL, NULL, 1);
	finding(w, w->run1, w->a, w->fid[7], "R-7", NULL, NULL,
	    FINDING_ELSEWHERE);
	finding(w, w->run1, w->b, w->fid[3], "R-3", "low", "2026-06-30", 0);
	finding(w, w->run1, w->d, w->fid[4], "R-4", "odd", NULL, 0);
	end(w, w->run1);
	memset(&wv, 0, sizeof(wv));
	wv.finding_id = w->fid[2];
	wv.reason = "accepted";
	wv.until = "2099-12-31";
	check(store_waiver_set(w->s, &wv, NULL, err, sizeof(err)), "waiver",
	    err);

	w->run2 = run(w, T0 + 2 * DAY, "agency", "North");
	host(w, w->run2, "10.0.0.1", "rtr-a", "telecom", "North", 0);
	cov(w, w->run2, w->a, CHAN_SNMP, COV_OK);
	finding(w, w->run2, w->a, w->fid[0], "R-0", "critical", "2025-12-01",
	    0);
	finding(w, w->run2, w->a, w->fid[5], "R-5", "high", "2026-12-01", 0);
	end(w, w->run2);

	w->run3 = run(w, T0 + 3 * DAY, "plant", "South");
	/* The host's own site is not the run's (README: --site). */
	w->p = host(w, w->run3, "10.1.0.1", "inv-p", "power", "Plant 3", 0);
	cov(w, w->run3, w->p, CHAN_SNMP, COV_OK);
	finding(w, w->run3, w->p, w->fid[6], "R-6", "critical", "2026-12-01",
	    0);
	end(w, w->run3);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;

	store_close(w->s);
	free(w);
	return 0;
}

static void
counts(struct world *w, int64_t r, const char *sector,
    struct report_counts *c)
{
	char err[ERRLEN];

	check(report_counts(w->s, r, sector, c, err, sizeof(err)), "counts",
	    err);
}

static void
test_counts_run1(void **state)
{
	struct world *w = *state;
	struct report_counts c;

	counts(w, w->run1, NULL, &c);
	assert_int_equal(c.targets, 4);		/* a b c e; d apart */
	assert_int_equal(c.assessed, 1);
	assert_int_equal(c.partial, 1);
	assert_int_equal(c.not_assessed, 2);
	assert_int_equal(c.neighbour, 1);
	assert_int_equal(c.open, 5);		/* the lead is not one */
	assert_int_equal(c.new_findings, 5);
	assert_int_equal(c.persisting, 0);
	assert_int_equal(c.unverified, 0);
	assert_int_equal(c.resolved, 0);
	assert_int_equal(c.waived, 1);
	assert_int_equal(c.by_rating[REPORT_RATING_CRITICAL], 1);
	assert_int_equal(c.by_rating[REPORT_RATING_HIGH], 1);
	assert_int_equal(c.by_rating[REPORT_RATING_MEDIUM], 0);	/* waived */
	assert_int_equal(c.by_rating[REPORT_RATING_LOW], 1);
	assert_int_equal(c.by_rating[REPORT_RATING_OTHER], 1);
	assert_int_equal(c.overdue, 1);		/* due before 2026-01-01 */
	assert_int_equal(c.due_30, 1);		/* 2026-01-11 */
	assert_int_equal(c.leads, 1);
}

static void
test_counts_sector(void **state)
{
	struct world *w = *state;
	struct report_counts c;

	counts(w, w->run1, "POWER", &c);	/* case aside */
	assert_int_equal(c.targets, 2);
	assert_int_equal(c.assessed, 0);
	assert_int_equal(c.partial, 1);
	assert_int_equal(c.not_assessed, 1);
	assert_int_equal(c.neighbour, 0);
	assert_int_equal(c.open, 1);
	assert_int_equal(c.by_rating[REPORT_RATING_LOW], 1);
	assert_int_equal(c.by_rating[REPORT_RATING_CRITICAL], 0);
	assert_int_equal(c.leads, 0);
	assert_int_equal(c.waived, 0);
	counts(w, w->run1, "none-such", &c);
	assert_int_equal(c.targets + c.open + c.leads + c.neighbour, 0);
}

static void
test_counts_run2(void **state)
{
	struct world *w = *state;
	struct report_counts c;
	char err[ERRLEN];

	counts(w, w->run2, NULL, &c);
	assert_int_equal(c.targets, 1);
	assert_int_equal(c.assessed, 1);
	assert_int_equal(c.not_assessed, 0);
	assert_int_equal(c.open, 3);		/* F0, F5, F3 carried */
	assert_int_equal(c.new_findings, 1);
	assert_int_equal(c.persisting, 2);
	assert_int_equal(c.unverified, 1);	/* F3: b not assessed */
	assert_int_equal(c.resolved, 3);	/* F1 F2 F4 */
	assert_int_equal(c.waived, 0);		/* F2 resolved, not open */
	assert_int_equal(c.by_rating[REPORT_RATING_CRITICAL], 1);
	assert_int_equal(c.by_rating[REPORT_RATING_HIGH], 1);
	assert_int_equal(c.by_rating[REPORT_RATING_LOW], 1);
	/* Judged on run2's day: F0 overdue, none due within 30 days. */
	assert_int_equal(c.overdue, 1);
	assert_int_equal(c.due_30, 0);
	assert_int_equal(c.leads, 0);
	assert_int_equal(report_counts(w->s, 999, NULL, &c, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "999"));
}

/* Writes a report into memory; returns the text (caller frees). */
static char *
write_report(struct world *w, enum report_format f, int64_t r,
    const char *sector, const char *site)
{
	struct report_opts o;
	char err[ERRLEN], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	memset(&o, 0, sizeof(o));
	o.format = f;
	o.run = r;
	o.sector = sector;
	o.site = site;
	if (report_write(w->s, &o, fp, err, sizeof(err)) != 0)
		fail_msg("report_write: %s", err);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static json_t *
parse(const char *text)
{
	json_error_t je;
	json_t *j;

	j = json_loads(text, 0, &je);
	if (j == NULL)
		fail_msg("not JSON: %s (line %d)", je.text, je.line);
	return j;
}

static json_int_t
jint(json_t *o, const char *path)
{
	char key[64];
	const char *dot;
	json_t *v = o;

	while ((dot = strchr(path, '.')) != NULL) {
		assert_true((size_t)(dot - path) < sizeof(key));
		memcpy(key, path, dot - path);
		key[dot - path] = '\0';
		v = json_object_get(v, key);
		assert_non_null(v);
		path = dot + 1;
	}
	v = json_object_get(v, path);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", path);
	return json_integer_value(v);
}

/* The JSON counts object equals report_counts(), field by field. */
static void
assert_counts(json_t *j, const struct report_counts *c)
{
	assert_int_equal(jint(j, "targets"), c->targets);
	assert_int_equal(jint(j, "assessed"), c->assessed);
	assert_int_equal(jint(j, "partially_assessed"), c->partial);
	assert_int_equal(jint(j, "not_assessed"), c->not_assessed);
	assert_int_equal(jint(j, "neighbour_only"), c->neighbour);
	assert_int_equal(jint(j, "findings_open"), c->open);
	assert_int_equal(jint(j, "findings_new"), c->new_findings);
	assert_int_equal(jint(j, "findings_persisting"), c->persisting);
	assert_int_equal(jint(j, "findings_unverified"), c->unverified);
	assert_int_equal(jint(j, "findings_resolved"), c->resolved);
	assert_int_equal(jint(j, "findings_waived"), c->waived);
	assert_int_equal(jint(j, "open_by_rating.critical"),
	    c->by_rating[REPORT_RATING_CRITICAL]);
	assert_int_equal(jint(j, "open_by_rating.high"),
	    c->by_rating[REPORT_RATING_HIGH]);
	assert_int_equal(jint(j, "open_by_rating.medium"),
	    c->by_rating[REPORT_RATING_MEDIUM]);
	assert_int_equal(jint(j, "open_by_rating.low"),
	    c->by_rating[REPORT_RATING_LOW]);
	assert_int_equal(jint(j, "open_by_rating.other"),
	    c->by_rating[REPORT_RATING_OTHER]);
	assert_int_equal(jint(j, "overdue"), c->overdue);
	assert_int_equal(jint(j, "due_within_30_days"), c->due_30);
	assert_int_equal(jint(j, "leads"), c->leads);
}

/* The element of array a whose key k is the string v, or NULL. */
static json_t *
with(json_t *a, const char *k, const char *v)
{
	json_t *e;
	size_t i;

	json_array_foreach(a, i, e) {
		const char *s = json_string_value(json_object_get(e, k));

		if (s != NULL && strcmp(s, v) == 0)
			return e;
	}
	return NULL;
}

static void
test_json_run(void **state)
{
	struct world *w = *state;
	struct report_counts c;
	json_t *j, *fa, *la, *ca, *f, *l, *e;
	char *text;
	size_t i;

	text = write_report(w, REPORT_JSON, w->run1, NULL, NULL);
	j = parse(text);
	assert_string_equal(json_string_value(json_object_get(j, "format")),
	    "banaudit-report");
	assert_int_equal(jint(j, "run.id"), w->run1);
	assert_true(json_is_null(json_object_get(j, "previous_run")));
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(j, "run"), "site")), "North");
	counts(w, w->run1, NULL, &c);
	assert_counts(json_object_get(j, "counts"), &c);

	fa = json_object_get(j, "findings");
	la = json_object_get(j, "leads");
	ca = json_object_get(j, "coverage");
	assert_int_equal(json_array_size(fa), c.open + c.resolved);
	assert_int_equal(json_array_size(la), 1);
	assert_int_equal(json_array_size(ca), 5);	/* a, b x2, c, e */
	/* Findings in order: critical first; every one a finding. */
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(fa, 0), "finding_id")), w->fid[0]);
	assert_null(with(fa, "finding_id", w->lid));
	f = with(fa, "finding_id", w->fid[2]);
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f,
	    "waived_until")), "2099-12-31");
	assert_string_equal(json_string_value(json_object_get(f, "status")),
	    "new");
	assert_string_equal(json_string_value(json_object_get(f,
	    "first_seen")), "2026-01-01");
	/* The lead: a reason, never a regulation or a due date. */
	l = with(la, "lead_id", w->lid);
	assert_non_null(l);
	assert_string_equal(json_string_value(json_object_get(l, "reason")),
	    "not prohibited: check for leftovers");
	assert_null(json_object_get(l, "regulation"));
	assert_null(json_object_get(l, "due_date"));
	/* Coverage names its status; not-UTF-8 text is replaced. */
	e = with(ca, "host_name", "rtu-c");
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "status")),
	    "timeout");
	json_array_foreach(fa, i, f)
		assert_false(json_is_null(json_object_get(f, "regulation")));
	/* The note of a ban elsewhere: in its host, nowhere else. */
	assert_null(with(fa, "finding_id", w->fid[7]));
	assert_null(with(la, "lead_id", w->fid[7]));
	e = with(json_object_get(j, "hosts"), "host_name", "rtr-a");
	assert_non_null(e);
	assert_int_equal(json_array_size(json_object_get(e,
	    "banned_elsewhere")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(e, "banned_elsewhere"), 0), "reason")),
	    "not a finding in US-MD; banned elsewhere by X (US-TX)");
	assert_int_equal(jint(e, "findings_open"), 3);
	e = with(json_object_get(j, "hosts"), "host_name", "rtu-b");
	assert_non_null(e);
	assert_int_equal(json_array_size(json_object_get(e,
	    "banned_elsewhere")), 0);
	assert_string_equal(json_string_value(json_object_get(e,
	    "assessment")), "partially_assessed");
	assert_int_equal(json_array_size(json_object_get(j, "hosts")), 5);
	assert_int_equal(jint(j, "host_kinds.network.hosts"), 5);
	json_decref(j);
	free(text);
}

static void
test_json_run2_and_sector(void **state)
{
	struct world *w = *state;
	struct report_counts c;
	json_t *j, *f;
	char *text;

	text = write_report(w, REPORT_JSON, w->run2, NULL, NULL);
	j = parse(text);
	assert_int_equal(jint(j, "previous_run.id"), w->run1);
	counts(w, w->run2, NULL, &c);
	assert_counts(json_object_get(j, "counts"), &c);
	f = with(json_object_get(j, "findings"), "finding_id", w->fid[3]);
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f, "status")),
	    "persisting");
	assert_true(json_is_true(json_object_get(f, "unverified")));
	assert_string_equal(json_string_value(json_object_get(f, "note")),
	    "the host was not assessed");
	f = with(json_object_get(j, "findings"), "finding_id", w->fid[1]);
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f, "status")),
	    "resolved");
	assert_true(json_is_null(json_object_get(f, "note")));
	json_decref(j);
	free(text);

	text = write_report(w, REPORT_JSON, w->run1, "power", NULL);
	j = parse(text);
	counts(w, w->run1, "power", &c);
	assert_counts(json_object_get(j, "counts"), &c);
	assert_int_equal(json_array_size(json_object_get(j, "findings")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "leads")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "coverage")), 3);
	assert_string_equal(json_string_value(json_object_get(j,
	    "sector_filter")), "power");
	json_decref(j);
	free(text);
}

static void
test_json_utf8(void **state)
{
	struct world *w = *state;
	char *text;
	json_t *j, *e;

	/* e's coverage row carries its invalid name into the JSON. */
	text = write_report(w, REPORT_JSON, w->run1, NULL, NULL);
	j = parse(text);
	e = with(json_object_get(j, "coverage"), "host_name", BAD_UTF8_JSON);
	assert_non_null(e);
	json_decref(j);
	free(text);
}

static void
test_jsonl(void **state)
{
	struct world *w = *state;
	struct report_counts c;
	char *text, *line, *nl;
	size_t n = 0;
	json_t *j;

	counts(w, w->run2, NULL, &c);
	text = write_report(w, REPORT_JSONL, w->run2, NULL, NULL);
	for (line = text; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);	/* every line ends */
		*nl = '\0';
		j = parse(line);
		assert_string_equal(json_string_value(json_object_get(j,
		    "record")), "finding");
		assert_int_equal(jint(j, "run_id"), w->run2);
		assert_non_null(json_string_value(json_object_get(j,
		    "run_uuid")));
		assert_string_not_equal(json_string_value(json_object_get(j,
		    "finding_id")), w->lid);
		json_decref(j);
		n++;
	}
	assert_int_equal(n, c.open + c.resolved);
	free(text);
}

static void
test_json_estate(void **state)
{
	struct world *w = *state;
	struct report_counts c2, c3;
	struct report_opts o;
	json_t *j, *parts, *p, *t;
	char *text, *buf = NULL, err[ERRLEN];
	size_t len = 0;
	FILE *fp;

	/* Two scopes with complete runs: run 0 is the estate. */
	text = write_report(w, REPORT_JSON, 0, NULL, NULL);
	j = parse(text);
	assert_string_equal(json_string_value(json_object_get(j, "format")),
	    "banaudit-estate");
	parts = json_object_get(j, "parts");
	assert_int_equal(json_array_size(parts), 2);
	counts(w, w->run2, NULL, &c2);
	counts(w, w->run3, NULL, &c3);
	p = with(parts, "site", "North");
	assert_non_null(p);
	assert_int_equal(jint(p, "run.id"), w->run2);	/* latest */
	assert_counts(json_object_get(p, "counts"), &c2);
	t = json_object_get(p, "trend");
	assert_int_equal(json_array_size(t), 2);	/* run1, run2 */
	assert_int_equal(jint(json_array_get(t, 0), "findings_open"), 5);
	assert_int_equal(jint(json_array_get(t, 1), "findings_open"), 3);
	p = with(parts, "site", "South");
	assert_non_null(p);
	assert_int_equal(jint(p, "run.id"), w->run3);
	assert_counts(json_object_get(p, "counts"), &c3);
	/* The total is the sum of the parts. */
	assert_int_equal(jint(j, "counts.targets"), c2.targets + c3.targets);
	assert_int_equal(jint(j, "counts.findings_open"), c2.open + c3.open);
	assert_int_equal(jint(j, "counts.open_by_rating.critical"),
	    c2.by_rating[REPORT_RATING_CRITICAL] +
	    c3.by_rating[REPORT_RATING_CRITICAL]);
	assert_int_equal(json_array_size(json_object_get(j, "findings")),
	    c2.open + c2.resolved + c3.open + c3.resolved);
	/* Every row names the run it comes from. */
	assert_int_equal(jint(with(json_object_get(j, "findings"),
	    "finding_id", w->fid[6]), "run_id"), w->run3);
	json_decref(j);
	free(text);

	/* --site keeps the parts of the run's site (case aside). */
	text = write_report(w, REPORT_JSON, 0, NULL, "south");
	j = parse(text);
	assert_int_equal(json_array_size(json_object_get(j, "parts")), 1);
	assert_int_equal(jint(json_array_get(json_object_get(j, "parts"), 0),
	    "run.id"), w->run3);
	assert_int_equal(jint(j, "counts.findings_open"), c3.open);
	/* Its rows keep the host's own site. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(j, "findings"), 0), "site")), "Plant 3");
	json_decref(j);
	free(text);
	/* A host's site is not a site of the estate. */
	memset(&o, 0, sizeof(o));
	o.format = REPORT_JSON;
	o.site = "Plant 3";
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(report_write(w->s, &o, fp, err, sizeof(err)), -1);
	assert_int_equal(fclose(fp), 0);
	free(buf);
	assert_non_null(strstr(err, "no complete run of site Plant 3"));
}

static void
test_runs(void **state)
{
	struct world *w = *state;
	struct report_counts c;
	char err[ERRLEN], *buf = NULL;
	size_t len = 0, i, lines = 0;
	json_t *j, *a, *r;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	check(report_runs(w->s, 1, fp, err, sizeof(err)), "runs", err);
	assert_int_equal(fclose(fp), 0);
	j = parse(buf);
	free(buf);
	assert_string_equal(json_string_value(json_object_get(j, "format")),
	    "banaudit-runs");
	a = json_object_get(j, "runs");
	assert_int_equal(json_array_size(a), 3);
	json_array_foreach(a, i, r) {
		counts(w, jint(r, "id"), NULL, &c);
		assert_int_equal(jint(r, "targets"), c.targets);
		assert_int_equal(jint(r, "assessed"), c.assessed);
		assert_int_equal(jint(r, "partially_assessed"), c.partial);
		assert_int_equal(jint(r, "not_assessed"), c.not_assessed);
		assert_int_equal(jint(r, "neighbour_only"), c.neighbour);
		assert_int_equal(jint(r, "findings_open"), c.open);
		assert_int_equal(jint(r, "leads"), c.leads);
		assert_string_equal(json_string_value(json_object_get(r,
		    "status")), "complete");
	}
	assert_int_equal(jint(json_array_get(a, 0), "id"), w->run1);
	assert_int_equal(jint(json_array_get(a, 0), "findings_open"), 5);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 2), "site")), "South");
	json_decref(j);

	buf = NULL;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	check(report_runs(w->s, 0, fp, err, sizeof(err)), "runs", err);
	assert_int_equal(fclose(fp), 0);
	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	assert_int_equal(lines, 1 + 2 * 3);	/* header, two per run */
	assert_non_null(strstr(buf, "SITE / SCOPE"));
	/* run1: 4 targets, 1 assessed, 1 partial, 2 not, 5 open. */
	assert_non_null(strstr(buf, "      4        1       1    2      5  "
	    "North / agency\n"));
	assert_non_null(strstr(buf, "South / plant\n"));
	free(buf);
}

/*
 * What a user typed is kept as typed when it is UTF-8 (a label "Café"),
 * shown as "(not valid UTF-8)" in JSON when it is not, and with control
 * characters as '?' in the text list; a run still going has no finish
 * time (null, "-").
 */
static void
test_runs_labels(void **state)
{
	struct store *s;
	struct run_info ri;
	char err[ERRLEN], *buf = NULL;
	size_t len = 0;
	json_t *j, *a;
	FILE *fp;

	(void)state;
	check(store_open(":memory:", STORE_WRITE, &s, err, sizeof(err)),
	    "open", err);
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "north\tyard";
	ri.label = "Caf\xc3\xa9 weekly";
	ri.started = T0;
	check(store_run_begin(s, &ri, err, sizeof(err)), "run", err);
	check(store_run_end(s, ri.id, RUN_COMPLETE, err, sizeof(err)), "end",
	    err);
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.scope = "south";
	ri.label = BAD_UTF8;
	ri.started = T0 + DAY;
	check(store_run_begin(s, &ri, err, sizeof(err)), "run", err);

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	check(report_runs(s, 1, fp, err, sizeof(err)), "runs", err);
	assert_int_equal(fclose(fp), 0);
	j = parse(buf);
	free(buf);
	a = json_object_get(j, "runs");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "label")), "Caf\xc3\xa9 weekly");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "scope")), "north\tyard");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 1), "label")), "(not valid UTF-8)");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 1), "status")), "running");
	assert_true(json_is_null(json_object_get(json_array_get(a, 1),
	    "finished")));
	assert_true(json_is_null(json_object_get(json_array_get(a, 1),
	    "site")));
	json_decref(j);

	buf = NULL;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	check(report_runs(s, 0, fp, err, sizeof(err)), "runs", err);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(buf, " - / north?yard\n"));
	assert_non_null(strstr(buf, "running"));
	assert_non_null(strstr(buf, ", finished -\n"));
	free(buf);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_run1),
		cmocka_unit_test(test_counts_sector),
		cmocka_unit_test(test_counts_run2),
		cmocka_unit_test(test_json_run),
		cmocka_unit_test(test_json_run2_and_sector),
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_json_estate),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_runs_labels),
		cmocka_unit_test(test_json_utf8),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
