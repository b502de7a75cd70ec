/*
 * test_onu: GPON serials as OLTs write them (onu_serial()), and
 * onu_run() over crafted rows of a run on :memory: (ONUs with and
 * without a usable serial, PON ports named by ifName over ifDescr or
 * not at all, OLTs with and without a name, hosts without ONUs).  It is
 * driven end to end by tests/integration/t_detect.sh too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "onu.h"
#include "store.h"
#include "util.h"

static void
expect_serial(const char *v, size_t len, const char *text, const char *vid)
{
	char t[ONU_SERIAL_MAX], d[5];

	assert_int_equal(onu_serial((const unsigned char *)v, len, t, d), 0);
	assert_string_equal(t, text);
	assert_string_equal(d, vid);
}

static void
expect_bad(const char *v, size_t len)
{
	char t[ONU_SERIAL_MAX], d[5];

	assert_int_equal(onu_serial((const unsigned char *)v, len, t, d), -1);
	assert_string_equal(t, "");
	assert_string_equal(d, "");
}

static void
test_serial_forms(void **state)
{
	(void)state;
	/* 8 octets (HUAWEI-XPON-MIB hwGponDeviceOntSn). */
	expect_serial("HWTC\xa1\xb2\xc3\xd4", 8, "HWTCA1B2C3D4", "HWTC");
	/* Their 16 hex digits, either case. */
	expect_serial("5a544547da5918ac", 16, "ZTEGDA5918AC", "ZTEG");
	/* The 12-character text form. */
	expect_serial("ZTEG12345678", 12, "ZTEG12345678", "ZTEG");
	expect_serial("FHTTc0ffee01", 12, "FHTTC0FFEE01", "FHTT");
}

static void
test_serial_bad(void **state)
{
	(void)state;
	expect_bad(NULL, 8);
	expect_bad("HWTC\xa1\xb2\xc3", 7);
	/* The vendor id is 4 upper-case letters or digits. */
	expect_bad("hwtc\xa1\xb2\xc3\xd4", 8);
	expect_bad("HW\x01" "C\xa1\xb2\xc3\xd4", 8);
	expect_bad("5a54454zda5918ac", 16);
	expect_bad("ZTEG1234567X", 12);
	expect_bad("", 0);
	/* A vendor id character between the digits and the letters. */
	expect_bad("HW:C\xa1\xb2\xc3\xd4", 8);
	expect_bad("HW@C\xa1\xb2\xc3\xd4", 8);
	/* Not hex digits: the high or the low one, in either form. */
	expect_bad("za544547da5918ac", 16);
	expect_bad("5a544547da5918a:", 16);
	expect_bad("5a544547da5918a ", 16);
	expect_bad("ZTEG:2345678", 12);
	expect_bad("ZTEG1G345678", 12);
}

static void
test_serial_digits(void **state)
{
	(void)state;
	/* Digits are vendor id characters; hex digits in capitals. */
	expect_serial("1234\x00\x01\x02\x03", 8, "123400010203", "1234");
	expect_serial("5A544547DA5918AC", 16, "ZTEGDA5918AC", "ZTEG");
	expect_serial("ALCLFB0A9c1D", 12, "ALCLFB0A9C1D", "ALCL");
}

/* ---- onu_run ---- */

static int64_t
olt(struct store *s, int64_t run, const char *addr, const char *name)
{
	struct host_info hi;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.name = name;
	hi.h.sector = "telecom";
	hi.h.site = "CO-1";
	hi.h.owner = "NOC";
	hi.h.criticality = 5;
	return host_assessed(s, run, &hi);
}

static void
obs(struct store *s, int64_t run, int64_t h, enum obs_kind k,
    const char *item, const char *attr, const char *v, size_t len)
{
	obs_stored(s, run, h, k, item, attr,
	    "1.3.6.1.4.1.2011.6.128.1.1.2.43.1.3.7.1",
	    k == OBS_NEIGHBOR && strcmp(attr, "serial") == 0 ? VAL_HEX :
	    VAL_TEXT, v, len);
}

/* What onu_run() wrote: the derived rows by ONU (host name). */
struct onu_seen {
	char	 lines[4096];
	char	 cover[2][160];
	size_t	 ncover;
};

static int
on_obs(void *arg, const struct obs_row *r)
{
	struct onu_seen *c = arg;
	size_t at = strlen(c->lines);

	if (r->channel != CHAN_DERIVED)
		return 0;
	assert_int_equal(r->obs.kind, OBS_NEIGHBOR);
	snprintf(c->lines + at, sizeof(c->lines) - at, "%s|%s|%s|%s=%.*s\n",
	    r->h.name, r->h.address, r->h.sector != NULL ? r->h.sector : "",
	    r->obs.attr, (int)r->obs.len, (const char *)r->obs.value);
	return 0;
}

static int
on_cov(void *arg, const struct coverage_row *r)
{
	struct onu_seen *c = arg;

	if (r->cov.channel != CHAN_DERIVED)
		return 0;
	assert_string_equal(r->cov.probe, "onu");
	assert_int_equal(r->cov.status, COV_OK);
	if (c->ncover < 2)
		snprintf(c->cover[c->ncover], sizeof(c->cover[0]), "%s: %s",
		    r->h.address, r->cov.detail);
	c->ncover++;
	return 0;
}

static void
test_run(void **state)
{
	struct store *s = NULL;
	struct run_info ri;
	struct onu_stats st;
	struct onu_seen c;
	char err[ERRLEN];
	int64_t o1, o2;

	(void)state;
	assert_int_equal(store_open(":memory:", STORE_WRITE, &s, err,
	    sizeof(err)), 0);
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	assert_int_equal(store_run_begin(s, &ri, err, sizeof(err)), 0);
	o1 = olt(s, ri.id, "10.0.0.1", "OLT-1");
	o2 = olt(s, ri.id, "10.0.0.2", NULL);
	(void)olt(s, ri.id, "10.0.0.3", "switch");
	/* OLT-1's PON port 7: ifDescr, then ifName (which wins), then
	   another ifDescr (which does not); an ifIndex that is no number. */
	obs(s, ri.id, o1, OBS_INTERFACE, "7", "ifdescr", "GPON 0/1/0", 10);
	obs(s, ri.id, o1, OBS_INTERFACE, "7", "ifname", "0/1/0", 5);
	obs(s, ri.id, o1, OBS_INTERFACE, "7", "ifdescr", "other", 5);
	obs(s, ri.id, o1, OBS_INTERFACE, "x7", "ifname", "bad", 3);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.1", "serial",
	    "HWTC\xa1\xb2\xc3\xd4", 8);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.1", "descr", "Flat 12", 7);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.1", "ifindex", "7", 1);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.1", "onuid", "1", 1);
	/* No usable serial: counted, not a device. */
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.2", "serial", "\x01\x02", 2);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.2", "onuid", "2", 1);
	/* The unnamed OLT: a port it has no name for, no ONU id. */
	obs(s, ri.id, o2, OBS_NEIGHBOR, "onu.9.3", "serial",
	    "5a544547da5918ac", 16);
	obs(s, ri.id, o2, OBS_NEIGHBOR, "onu.9.3", "ifindex", "9", 1);
	obs(s, ri.id, o2, OBS_NEIGHBOR, "onu.9.3", "onuid", "x", 1);
	obs(s, ri.id, o2, OBS_NEIGHBOR, "arp.1", "ip", "10.0.0.9", 8);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	if (onu_run(s, ri.id, &st, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(st.olts, 2);
	assert_int_equal(st.onus, 2);
	assert_int_equal(st.no_serial, 1);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_each_observation(s, ri.id, 0, on_obs, &c, err,
	    sizeof(err)), 0);
	assert_non_null(strstr(c.lines, "ONU HWTCA1B2C3D4 (Flat 12)|"
	    "HWTCA1B2C3D4|telecom|location=OLT-1 (10.0.0.1) PON port 0/1/0 "
	    "(ifIndex 7), ONU id 1\n"));
	assert_non_null(strstr(c.lines, "ONU HWTCA1B2C3D4 (Flat 12)|"
	    "HWTCA1B2C3D4|telecom|vendorid=HWTC\n"));
	assert_non_null(strstr(c.lines, "|onuid=1\n"));
	assert_non_null(strstr(c.lines, "|ifname=0/1/0\n"));
	assert_non_null(strstr(c.lines, "|descr=Flat 12\n"));
	/* 2026-12-05: an ONU without an id was located "ONU id -1". */
	assert_non_null(strstr(c.lines, "ONU ZTEGDA5918AC|ZTEGDA5918AC|"
	    "telecom|location=10.0.0.2 PON port ifIndex 9\n"));
	assert_non_null(strstr(c.lines, "ONU ZTEGDA5918AC|ZTEGDA5918AC|"
	    "telecom|table=onu\n"));
	/* No ONU id, no port name, no description: no rows for them. */
	assert_null(strstr(c.lines, "ONU ZTEGDA5918AC|ZTEGDA5918AC|telecom|"
	    "onuid="));
	assert_null(strstr(c.lines, "ONU ZTEGDA5918AC|ZTEGDA5918AC|telecom|"
	    "ifname="));
	assert_null(strstr(c.lines, "ONU ZTEGDA5918AC|ZTEGDA5918AC|telecom|"
	    "descr="));
	assert_int_equal(store_each_coverage(s, ri.id, on_cov, &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.ncover, 2);
	assert_string_equal(c.cover[0], "10.0.0.1: 2 ONUs read; 1 located "
	    "as devices (with a GPON serial)");
	assert_string_equal(c.cover[1], "10.0.0.2: 1 ONU read; 1 located as "
	    "devices (with a GPON serial)");
	/* A run without ONU rows: nothing, and no stats needed. */
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	assert_int_equal(store_run_begin(s, &ri, err, sizeof(err)), 0);
	assert_int_equal(onu_run(s, ri.id, NULL, err, sizeof(err)), 0);
	/* A run that does not exist: an error with a message. */
	assert_int_equal(onu_run(s, 999, &st, err, sizeof(err)), -1);
	assert_string_equal(err, ":memory:: no run 999");
	store_close(s);
}

/*
 * ONU rows as an OLT can give them: the serial twice (the later one
 * kept), an empty description (no "()" in the name), an ifIndex that is
 * no number or longer than any (the port unknown), rows of another
 * channel (not the OLT's tables: ignored).
 */
static void
test_run_odd_rows(void **state)
{
	struct store *s = NULL;
	struct run_info ri;
	struct onu_stats st;
	struct onu_seen c;
	struct observation o;
	char err[ERRLEN];
	int64_t o1;

	(void)state;
	assert_int_equal(store_open(":memory:", STORE_WRITE, &s, err,
	    sizeof(err)), 0);
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	assert_int_equal(store_run_begin(s, &ri, err, sizeof(err)), 0);
	o1 = olt(s, ri.id, "10.0.0.1", "OLT-1");
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.5", "serial",
	    "HWTC\x01\x02\x03\x04", 8);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.5", "serial", "ZTEG12345678",
	    12);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.5", "descr", "", 0);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.5", "ifindex", "12345678901",
	    11);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.5", "onuid", "5", 1);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.6", "serial", "ALCLFB0A9C1D",
	    12);
	obs(s, ri.id, o1, OBS_NEIGHBOR, "onu.7.6", "ifindex", "7a", 2);
	/* An agent's row that looks like one is not the OLT's table. */
	memset(&o, 0, sizeof(o));
	o.kind = OBS_NEIGHBOR;
	o.item = "onu.7.7";
	o.attr = "serial";
	o.source = "agent";
	o.vtype = VAL_TEXT;
	o.value = "FHTT00000001";
	o.len = 12;
	assert_int_equal(store_observation(s, ri.id, o1, CHAN_AGENT, &o, NULL,
	    err, sizeof(err)), 0);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	if (onu_run(s, ri.id, &st, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(st.onus, 2);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_each_observation(s, ri.id, 0, on_obs, &c, err,
	    sizeof(err)), 0);
	assert_non_null(strstr(c.lines, "ONU ZTEG12345678|ZTEG12345678|telecom|"
	    "location=OLT-1 (10.0.0.1) PON port unknown, ONU id 5\n"));
	assert_null(strstr(c.lines, "HWTC01020304"));
	assert_null(strstr(c.lines, "ONU ZTEG12345678 ("));
	assert_non_null(strstr(c.lines, "ONU ALCLFB0A9C1D|ALCLFB0A9C1D|telecom|"
	    "location=OLT-1 (10.0.0.1) PON port unknown\n"));
	assert_null(strstr(c.lines, "FHTT"));
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serial_forms),
		cmocka_unit_test(test_serial_bad),
		cmocka_unit_test(test_serial_digits),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_run_odd_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
