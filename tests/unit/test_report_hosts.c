/*
 * Unit tests for report_hosts: what a phone is (report_is_mobile(), with
 * look-alike words), and the hosts of a run with their kind (phone,
 * endpoint, network), assessment, system attributes, open findings (a
 * resolved one not counted) and the sector filter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report_hosts.h"
#include "store.h"
#include "util.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */

struct world {
	struct store	*s;
	int64_t		 run1, run2;
};

static void
check(int rc, const char *what, const char *err)
{
	if (rc != 0)
		fail_msg("%s: %s", what, err);
}

static int64_t
host(struct world *w, int64_t run, const char *addr, const char *name,
    const char *sector)
{
	struct host_info hi;
	char err[ERRLEN];
	int64_t id;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.name = name;
	hi.h.sector = sector;
	hi.h.owner = "clerk1@county.example";
	hi.h.jurisdiction = "US-TX";
	hi.h.criticality = 2;
	check(store_host(w->s, run, &hi, &id, err, sizeof(err)), "host", err);
	return id;
}

static void
obs(struct world *w, int64_t run, int64_t h, enum channel ch,
    enum obs_kind k, const char *attr, const char *v)
{
	struct observation o;
	char err[ERRLEN];

	memset(&o, 0, sizeof(o));
	o.kind = k;
	o.item = k == OBS_SYSTEM ? "" : "1";
	o.attr = attr;
	o.source = "src";
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = strlen(v);
	check(store_observation(w->s, run, h, ch, &o, NULL, err, sizeof(err)),
	    "observation", err);
}

static void
cov(struct world *w, int64_t run, int64_t h, enum cov_status st)
{
	struct coverage c;
	char err[ERRLEN];

	memset(&c, 0, sizeof(c));
	c.channel = CHAN_IMPORT;
	c.probe = "";
	c.status = st;
	check(store_coverage(w->s, run, h, &c, err, sizeof(err)), "coverage",
	    err);
}

static void
finding(struct world *w, int64_t run, int64_t h, const char *rule)
{
	struct finding f;
	char err[ERRLEN], fid[FINDING_ID_LEN];

	finding_id_make("x", rule, fid);
	memset(&f, 0, sizeof(f));
	f.run = run;
	f.host = h;
	f.finding_id = fid;
	f.rule_id = rule;
	f.vendor = "ByteDance";
	f.product = "TikTok";
	f.severity = "high";
	f.risk_rating = "high";
	check(store_finding(w->s, &f, err, sizeof(err)), "finding", err);
}

static int64_t
run(struct world *w, int64_t started)
{
	struct run_info ri;
	char err[ERRLEN];

	memset(&ri, 0, sizeof(ri));
	ri.kind = "import";
	ri.scope = "county";
	ri.started = started;
	check(store_run_begin(w->s, &ri, err, sizeof(err)), "run", err);
	return ri.id;
}

/*
 * run1: an Android phone (2 findings), an iPad known by its model only, a
 * Windows laptop with a software inventory (1 finding), a camera (system
 * description only, not assessed) and a power-sector RTU.  run2: the
 * phone again with one finding of the two (the other resolved).
 */
static int
setup(void **state)
{
	struct world *w;
	char err[ERRLEN];
	int64_t p, t, l, c;

	w = calloc(1, sizeof(*w));
	if (w == NULL || store_open(":memory:", STORE_WRITE, &w->s, err,
	    sizeof(err)) != 0) {
		free(w);
		return -1;
	}
	w->run1 = run(w, T0);
	p = host(w, w->run1, "10.0.0.1", "PHONE-CLERK-01", "localgov");
	t = host(w, w->run1, "10.0.0.2", "IPAD-LIB-04", "localgov");
	l = host(w, w->run1, "10.0.0.3", "LAPTOP-03", "localgov");
	c = host(w, w->run1, "10.0.0.4", "cam-7", "localgov");
	host(w, w->run1, "10.0.0.5", "rtu-9", "power");
	obs(w, w->run1, p, CHAN_IMPORT, OBS_SYSTEM, "platform", "Android");
	obs(w, w->run1, p, CHAN_IMPORT, OBS_SYSTEM, "os", "Android 14");
	obs(w, w->run1, p, CHAN_IMPORT, OBS_SYSTEM, "serial", "R58N1");
	obs(w, w->run1, p, CHAN_IMPORT, OBS_SOFTWARE, "name", "TikTok");
	obs(w, w->run1, t, CHAN_IMPORT, OBS_SYSTEM, "model",
	    "iPad (10th generation)");
	obs(w, w->run1, l, CHAN_IMPORT, OBS_SYSTEM, "platform", "Windows");
	obs(w, w->run1, l, CHAN_IMPORT, OBS_SOFTWARE, "name", "CapCut");
	obs(w, w->run1, c, CHAN_SNMP, OBS_SYSTEM, "descr", "IP Camera");
	cov(w, w->run1, p, COV_OK);
	cov(w, w->run1, t, COV_OK);
	cov(w, w->run1, l, COV_PARTIAL);
	finding(w, w->run1, p, "tiktok");
	finding(w, w->run1, p, "wechat");
	finding(w, w->run1, l, "capcut");
	check(store_run_end(w->s, w->run1, RUN_COMPLETE, err, sizeof(err)),
	    "end", err);
	w->run2 = run(w, T0 + 86400);
	p = host(w, w->run2, "10.0.0.1", "PHONE-CLERK-01", "localgov");
	cov(w, w->run2, p, COV_OK);
	obs(w, w->run2, p, CHAN_IMPORT, OBS_SYSTEM, "platform", "Android");
	finding(w, w->run2, p, "tiktok");
	check(store_run_end(w->s, w->run2, RUN_COMPLETE, err, sizeof(err)),
	    "end", err);
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
test_is_mobile(void **state)
{
	(void)state;
	assert_true(report_is_mobile("Android"));
	assert_true(report_is_mobile("android 14"));
	assert_true(report_is_mobile("iOS"));
	assert_true(report_is_mobile("iOS 17.5"));
	assert_true(report_is_mobile("iPadOS"));
	assert_true(report_is_mobile("iPhone 15"));
	assert_true(report_is_mobile("iPad (10th generation)"));
	/* Look-alikes: the word must end there. */
	assert_false(report_is_mobile("Iosif's PC"));
	assert_false(report_is_mobile("AndroidStudio"));
	assert_false(report_is_mobile("iPhoneography Pro"));
	assert_false(report_is_mobile("Windows"));
	assert_false(report_is_mobile("macOS"));
	assert_false(report_is_mobile("my iPhone"));
	assert_false(report_is_mobile(""));
	assert_false(report_is_mobile(NULL));
	assert_string_equal(report_host_kind_name(REPORT_HOST_PHONE),
	    "phone");
	assert_string_equal(report_host_kind_name(REPORT_HOST_ENDPOINT),
	    "endpoint");
	assert_string_equal(report_host_kind_name(REPORT_HOST_NETWORK),
	    "network");
}

static int
line_cb(void *arg, const struct report_host *h)
{
	char *buf = arg;
	size_t at = strlen(buf);

	assert_true(at < 2048);
	snprintf(buf + at, 2048 - at, "%s|%s|%d|%s|%s|%s|%zu|%s|%d\n",
	    h->row->h.name, report_host_kind_name(h->kind), (int)h->assess,
	    h->platform != NULL ? h->platform : "-",
	    h->model != NULL ? h->model : "-",
	    h->serial != NULL ? h->serial : "-", h->open,
	    h->row->h.jurisdiction != NULL ? h->row->h.jurisdiction : "-",
	    h->row->h.criticality);
	return 0;
}

static void
test_hosts_run1(void **state)
{
	struct world *w = *state;
	char buf[2048] = "", err[ERRLEN];

	check(report_each_host(w->s, w->run1, NULL, line_cb, buf, err,
	    sizeof(err)), "hosts", err);
	assert_string_equal(buf,
	    "PHONE-CLERK-01|phone|0|Android|-|R58N1|2|US-TX|2\n"
	    "IPAD-LIB-04|phone|0|-|iPad (10th generation)|-|0|US-TX|2\n"
	    "LAPTOP-03|endpoint|1|Windows|-|-|1|US-TX|2\n"
	    "cam-7|network|2|-|-|-|0|US-TX|2\n"
	    "rtu-9|network|2|-|-|-|0|US-TX|2\n");
	buf[0] = '\0';
	check(report_each_host(w->s, w->run1, "POWER", line_cb, buf, err,
	    sizeof(err)), "hosts", err);
	assert_string_equal(buf, "rtu-9|network|2|-|-|-|0|US-TX|2\n");
}

static void
test_hosts_run2(void **state)
{
	struct world *w = *state;
	char buf[2048] = "", err[ERRLEN];

	/* The resolved finding is not open; hosts of run1 only are absent. */
	check(report_each_host(w->s, w->run2, NULL, line_cb, buf, err,
	    sizeof(err)), "hosts", err);
	assert_string_equal(buf,
	    "PHONE-CLERK-01|phone|0|Android|-|-|1|US-TX|2\n");
	assert_int_equal(report_each_host(w->s, 99, NULL, line_cb, buf, err,
	    sizeof(err)), -1);
}

static int
stop_cb(void *arg, const struct report_host *h)
{
	size_t *n = arg;

	(void)h;
	return ++*n == 2;
}

static void
test_hosts_stop(void **state)
{
	struct world *w = *state;
	char err[ERRLEN];
	size_t n = 0;

	check(report_each_host(w->s, w->run1, NULL, stop_cb, &n, err,
	    sizeof(err)), "hosts", err);
	assert_int_equal(n, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_mobile),
		cmocka_unit_test(test_hosts_run1),
		cmocka_unit_test(test_hosts_run2),
		cmocka_unit_test(test_hosts_stop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
