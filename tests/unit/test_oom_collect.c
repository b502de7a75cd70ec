/*
 * test_oom_collect: the project's own allocations in collectors/ and
 * netmap/ failing, one at a time, on the shared harness (oom.h: this
 * binary is linked with the malloc family wrapped, OOM_WRAP; SQLite,
 * libcurl and jansson allocate inside their own libraries and are not
 * failed here).  Each scenario -- locating devices from a run's neighbour
 * tables, ONUs from an OLT's rows, the IEEE registry loaded, a Wazuh and
 * a GLPI pull through pull.h's fake transport, the SNMP collector opened
 * for three targets and interrupted before it sends -- is run with its 1st,
 * 2nd, ... allocation failing until it runs through: every failure must
 * end in -1 with a message (or, for the pulls, an error status that
 * says "out of memory"), never a crash, a success that hides the loss,
 * or a leak (the sanitizer build: make SAN=1).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "cred.h"
#include "echo_agent.h"
#include "glpi.h"
#include "locate.h"
#include "onu.h"
#include "oom.h"
#include "oui.h"
#include "pull.h"
#include "snmp.h"
#include "store.h"
#include "util.h"
#include "wazuh.h"

/* ---- locate: a run's neighbour tables on :memory: ---- */

static struct oui_registry *reg;

static int
host(struct store *s, int64_t run, const char *addr, const char *name,
    int64_t *id, char *err, size_t errlen)
{
	struct host_info hi;
	struct coverage c;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.name = name;
	hi.h.sector = "telecom";
	hi.h.site = "CO-1";
	hi.h.owner = "NOC";
	hi.h.criticality = 4;
	if (store_host(s, run, &hi, id, err, errlen) != 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.channel = CHAN_SNMP;
	c.probe = "";
	c.status = COV_OK;
	return store_coverage(s, run, *id, &c, err, errlen);
}

struct r {
	int		 host;		/* 0: router, 1: switch, 2: OLT */
	enum obs_kind	 kind;
	const char	*item, *attr;
	enum value_type	 vt;
	const char	*v;
	size_t		 len;		/* 0: strlen(v) */
};

#define CAM	"\x28\x57\xbe\xaa\x01\x01"
#define PHONE	"\x00\x1b\x54\x00\x23\x23"
#define HWSW	"\x30\xfb\xb8\x00\x21\x21"

static const struct r rows[] = {
	{ 0, OBS_INTERFACE, "20", "ifname", VAL_TEXT, "Vlan20", 0 },
	{ 0, OBS_NEIGHBOR, "arp.20.10.0.20.11", "ifindex", VAL_INT, "20", 0 },
	{ 0, OBS_NEIGHBOR, "arp.20.10.0.20.11", "ip", VAL_IPADDR,
	    "10.0.20.11", 0 },
	{ 0, OBS_NEIGHBOR, "arp.20.10.0.20.11", "mac", VAL_HEX, CAM, 6 },
	{ 0, OBS_NEIGHBOR, "arp.30.10.0.30.23", "ip", VAL_IPADDR,
	    "10.0.30.23", 0 },
	{ 0, OBS_NEIGHBOR, "arp.30.10.0.30.23", "mac", VAL_HEX, PHONE, 6 },
	{ 0, OBS_NEIGHBOR, "cdp.3.1", "ifindex", VAL_INT, "3", 0 },
	{ 0, OBS_NEIGHBOR, "cdp.3.1", "sysname", VAL_TEXT, "zxr10", 0 },
	{ 0, OBS_NEIGHBOR, "cdp.3.1", "ip", VAL_IPADDR, "10.0.70.5", 0 },
	{ 0, OBS_NEIGHBOR, "cdp.3.1", "platform", VAL_TEXT, "ZTE ZXR10", 0 },
	{ 1, OBS_INTERFACE, "bp.5", "bridgeport", VAL_INT, "5", 0 },
	{ 1, OBS_INTERFACE, "bp.5", "ifindex", VAL_INT, "1005", 0 },
	{ 1, OBS_INTERFACE, "1005", "ifname", VAL_TEXT, "Gi1/0/5", 0 },
	{ 1, OBS_INTERFACE, "bp.6", "bridgeport", VAL_INT, "6", 0 },
	{ 1, OBS_INTERFACE, "bp.6", "ifindex", VAL_INT, "1006", 0 },
	{ 1, OBS_INTERFACE, "1006", "ifname", VAL_TEXT, "Gi1/0/6", 0 },
	{ 1, OBS_NEIGHBOR, "vlan.20", "vlan", VAL_INT, "20", 0 },
	{ 1, OBS_NEIGHBOR, "vlan.20", "fdbid", VAL_INT, "2", 0 },
	{ 1, OBS_NEIGHBOR, "fdb.2.cam", "mac", VAL_HEX, CAM, 6 },
	{ 1, OBS_NEIGHBOR, "fdb.2.cam", "fdbid", VAL_INT, "2", 0 },
	{ 1, OBS_NEIGHBOR, "fdb.2.cam", "bridgeport", VAL_INT, "5", 0 },
	{ 1, OBS_NEIGHBOR, "lldp.6.1", "localport", VAL_INT, "6", 0 },
	{ 1, OBS_NEIGHBOR, "lldp.6.1", "chassistype", VAL_INT, "4", 0 },
	{ 1, OBS_NEIGHBOR, "lldp.6.1", "chassis", VAL_HEX, HWSW, 6 },
	{ 1, OBS_NEIGHBOR, "lldp.6.1", "sysname", VAL_TEXT, "huawei-ar", 0 },
	{ 1, OBS_NEIGHBOR, "lldp.6.1", "sysdesc", VAL_TEXT, "VRP", 0 },
	{ 1, OBS_NEIGHBOR, "lldp.6.1", "ip", VAL_IPADDR, "10.0.60.21", 0 },
	{ 1, OBS_NEIGHBOR, "lldp.7.2", "chassistype", VAL_INT, "7", 0 },
	{ 1, OBS_NEIGHBOR, "lldp.7.2", "chassis", VAL_HEX, "local-id", 0 },
	{ 1, OBS_NEIGHBOR, "lldp.7.2", "sysname", VAL_TEXT, "ZTE-OLT", 0 },
	{ 2, OBS_INTERFACE, "7", "ifname", VAL_TEXT, "0/1/0", 0 },
	{ 2, OBS_NEIGHBOR, "onu.7.1", "serial", VAL_HEX,
	    "HWTC\xa1\xb2\xc3\xd4", 8 },
	{ 2, OBS_NEIGHBOR, "onu.7.1", "descr", VAL_TEXT, "Flat 12", 0 },
	{ 2, OBS_NEIGHBOR, "onu.7.1", "ifindex", VAL_TEXT, "7", 0 },
	{ 2, OBS_NEIGHBOR, "onu.7.1", "onuid", VAL_TEXT, "1", 0 },
	{ 2, OBS_NEIGHBOR, "onu.7.2", "serial", VAL_TEXT, "ZTEG12345678", 0 },
};

/* A store on :memory: with a run of three hosts and their rows. */
static int
estate(struct store **sp, int64_t *run, char *err, size_t errlen)
{
	struct run_info ri;
	struct observation o;
	int64_t id[3];
	size_t i;

	*sp = NULL;
	if (store_open(":memory:", STORE_WRITE, sp, err, errlen) != 0)
		return -1;
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	if (store_run_begin(*sp, &ri, err, errlen) != 0 ||
	    host(*sp, ri.id, "10.0.0.1", "rtr-1", &id[0], err, errlen) != 0 ||
	    host(*sp, ri.id, "10.0.0.2", NULL, &id[1], err, errlen) != 0 ||
	    host(*sp, ri.id, "10.0.0.3", "olt-1", &id[2], err, errlen) != 0)
		return -1;
	for (i = 0; i < NELEM(rows); i++) {
		memset(&o, 0, sizeof(o));
		o.kind = rows[i].kind;
		o.item = rows[i].item;
		o.attr = rows[i].attr;
		o.source = "1.3.6.1.2.1";
		o.vtype = rows[i].vt;
		o.value = rows[i].v;
		o.len = rows[i].len > 0 ? rows[i].len : strlen(rows[i].v);
		if (store_observation(*sp, ri.id, id[rows[i].host], CHAN_SNMP,
		    &o, NULL, err, errlen) != 0)
			return -1;
	}
	*run = ri.id;
	return store_flush(*sp, err, errlen);
}

static int
locate_scenario(void *arg, char *err, size_t errlen)
{
	struct store *s = NULL;
	struct locate_opts o;
	struct locate_stats st;
	int64_t run;
	int rc = -1;

	(void)arg;
	if (estate(&s, &run, err, errlen) != 0)
		goto out;
	memset(&o, 0, sizeof(o));
	o.oui = reg;
	if (locate_run(s, run, &o, &st, err, errlen) != 0)
		goto out;
	/* The camera, the phone, the LLDP and CDP neighbours. */
	if (st.devices < 4)
		goto out;
	rc = 0;
out:
	store_close(s);
	return rc;
}

static int
onu_scenario(void *arg, char *err, size_t errlen)
{
	struct store *s = NULL;
	struct onu_stats st;
	int64_t run;
	int rc = -1;

	(void)arg;
	if (estate(&s, &run, err, errlen) != 0 ||
	    onu_run(s, run, &st, err, errlen) != 0)
		goto out;
	assert_int_equal(st.onus, 2);
	rc = 0;
out:
	store_close(s);
	return rc;
}

static int
oui_scenario(void *arg, char *err, size_t errlen)
{
	struct oui_registry *r = NULL;
	int rc = -1;

	(void)arg;
	if (oui_open(&r, err, errlen) != 0 ||
	    oui_load_ieee_dir(r, "tests/data/oui/ieee", err, errlen) != 0)
		goto out;
	/* Once loaded, only the description can be lost: it says so. */
	if (strcmp(oui_describe(r), "(out of memory)") == 0) {
		snprintf(err, errlen, "%s", oui_describe(r));
		goto out;
	}
	rc = 0;
out:
	oui_close(r);
	return rc;
}

static void
test_locate(void **state)
{
	char err[ERRLEN];

	(void)state;
	assert_int_equal(oui_open(&reg, err, sizeof(err)), 0);
	assert_int_equal(oui_load_ieee_dir(reg, "tests/data/oui/ieee", err,
	    sizeof(err)), 0);
	assert_true(oom_each("locate", OOM_OURS, locate_scenario, NULL,
	    NULL) > 20);
	oui_close(reg);
	reg = NULL;
}

static void
test_onu(void **state)
{
	(void)state;
	assert_true(oom_each("onu", OOM_OURS, onu_scenario, NULL,
	    NULL) > 10);
}

static void
test_oui(void **state)
{
	(void)state;
	assert_true(oom_each("oui", OOM_OURS, oui_scenario, NULL,
	    NULL) > 3);
}

/* ---- The server pulls ---- */

struct script {
	const char	*const *answers;
	size_t		 n, next;
};

static int
script_answer(void *arg, const char *url, int post, long *code,
    const char **body, size_t *len)
{
	struct script *s = arg;
	const char *a;

	(void)url;
	(void)post;
	if (s->next >= s->n)
		return -1;
	a = s->answers[s->next++];
	*code = strtol(a, NULL, 10);
	*body = a + 4;
	*len = strlen(a + 4);
	return 0;
}

static int
on_asset(void *arg, const struct pull_asset *a)
{
	(void)arg;
	(void)a;
	return 0;
}

static int
on_obs(void *arg, const struct observation *o)
{
	(void)arg;
	(void)o;
	return 0;
}

#define W_ITEMS(x) "200 {\"data\": {\"affected_items\": [" x "]}}"

static const char *const wazuh_answers[] = {
	"200 {\"data\": {\"token\": \"eyJ1\"}}",
	W_ITEMS("{\"id\": \"001\", \"name\": \"WS1\", \"status\": \"active\"},"
	    " {\"id\": \"002\", \"status\": \"disconnected\"}"),
	W_ITEMS("{\"os\": {\"name\": \"Debian\"}, \"scan\": {\"time\": "
	    "\"2026-11-30T10:00:00Z\"}}"),
	W_ITEMS("{\"board_serial\": \"S1\"}"),
	W_ITEMS("{\"name\": \"eth0\", \"mac\": \"52:54:00:00:00:01\"}"),
	W_ITEMS("{\"iface\": \"eth0\", \"address\": \"10.0.0.1\"}"),
	W_ITEMS("{\"name\": \"kesl\", \"version\": \"11\"}"),
	W_ITEMS("{\"cmd\": \"/opt/kesl/kesl -d\"}"),
};

static const char *const glpi_answers[] = {
	"200 {\"session_token\": \"s\"}",
	"200 [{\"id\": 1, \"name\": \"PC1\", \"serial\": \"S1\"}]",
	"200 {\"_networkports\": {\"NetworkPortEthernet\": [{\"name\": "
	    "\"eth0\", \"mac\": \"52:54:00:00:01:01\", \"NetworkName\": "
	    "{\"IPAddress\": [{\"name\": \"10.2.0.1\"}]}}]}, \"_softwares\": "
	    "[{\"softwares_id\": \"Kaspersky\"}]}",
	"200 [{\"name\": \"KES\", \"signature_version\": \"20240915\"}]",
	"200 []",
	"200 [{\"id\": 30}]",
	"200 {\"_networkports\": {\"NetworkPortEthernet\": [{\"name\": "
	    "\"eth\", \"mac\": \"00:11:22:33:44:55\"}]}}",
	"200 []",
	"200 {}",
};

static int
pull_scenario(int wazuh, char *err, size_t errlen)
{
	struct cred_profile p;
	struct pull_opts o;
	struct pull_fake fake;
	struct pull_sink sink;
	struct pull_result res;
	struct script s;

	memset(&p, 0, sizeof(p));
	p.name = (char *)(uintptr_t)"srv";
	p.type = CRED_SERVER;
	p.server = wazuh ? SERVER_WAZUH : SERVER_GLPI;
	p.server_url = (char *)(uintptr_t)(wazuh ? "https://wazuh.test:55000" :
	    "https://glpi.test/apirest.php");
	p.username = (char *)(uintptr_t)"ro";
	p.password = (char *)(uintptr_t)"pw";
	p.user_token = (char *)(uintptr_t)"u";
	p.app_token = (char *)(uintptr_t)"a";
	memset(&s, 0, sizeof(s));
	s.answers = wazuh ? wazuh_answers : glpi_answers;
	s.n = wazuh ? NELEM(wazuh_answers) : NELEM(glpi_answers);
	memset(&o, 0, sizeof(o));
	o.page = 10;
	o.now = 1796083200;
	fake.arg = &s;
	fake.answer = script_answer;
	o.fake = &fake;
	sink.arg = NULL;
	sink.asset = on_asset;
	sink.observe = on_obs;
	if ((wazuh ? wazuh_pull(&p, &o, &sink, &res, err, errlen) :
	    glpi_pull(&p, &o, &sink, &res, err, errlen)) != 0)
		return -1;
	/* A lost allocation the pull survives is said in its coverage. */
	if (res.status != COV_OK) {
		snprintf(err, errlen, "%s: %s", cov_status_name(res.status),
		    res.detail);
		return strstr(res.detail, "out of memory") != NULL ||
		    strstr(res.detail, "answer refused") != NULL ? -1 : -2;
	}
	return 0;
}

static int
wazuh_scenario(void *arg, char *err, size_t errlen)
{
	(void)arg;
	return pull_scenario(1, err, errlen);
}

static int
glpi_scenario(void *arg, char *err, size_t errlen)
{
	(void)arg;
	return pull_scenario(0, err, errlen);
}

static void
test_pulls(void **state)
{
	(void)state;
	assert_true(oom_each("wazuh", OOM_OURS, wazuh_scenario, NULL,
	    NULL) > 1);
	assert_true(oom_each("glpi", OOM_OURS, glpi_scenario, NULL,
	    NULL) > 1);
}

/* ---- The SNMP collector: open, interrupted, close ---- */

static int
snmp_cover_sink(void *arg, size_t t, const struct coverage *cv)
{
	(void)arg;
	(void)t;
	assert_int_equal(cv->status, COV_ERROR);
	assert_non_null(strstr(cv->detail, "interrupted"));
	return 0;
}

static int
snmp_obs_sink(void *arg, size_t t, enum channel ch,
    const struct observation *o)
{
	(void)arg;
	(void)t;
	(void)ch;
	(void)o;
	return -1;	/* nothing is sent: nothing is observed */
}

static int
snmp_scenario(void *arg, char *err, size_t errlen)
{
	static const char *const subtrees[] = { "1.3.6.1.4.1.2011",
	    "1.3.6.1.4.1.3902" };
	char *prof[] = { "p", "q" };
	struct target tv[3];
	struct target_list tl;
	struct cred_profile cp[2];
	struct cred_set cs;
	struct collect_opts o;
	struct collect_sink sink = { NULL, snmp_obs_sink, snmp_cover_sink,
	    NULL, NULL };
	volatile sig_atomic_t stop = 1;
	void *ctx = NULL;
	size_t i;
	int rc;

	(void)arg;
	memset(tv, 0, sizeof(tv));
	memset(&tl, 0, sizeof(tl));
	memset(cp, 0, sizeof(cp));
	for (i = 0; i < 3; i++) {
		tv[i].h.address = "192.0.2.1";	/* never contacted */
		tv[i].family = AF_INET;
		tv[i].snmp_profiles = &prof[i % 2];
		tv[i].nsnmp_profiles = 1;
	}
	tl.v = tv;
	tl.n = 3;
	cp[0].name = "p";
	cp[0].type = CRED_SNMP;
	cp[0].version = SNMP_V2C;
	cp[0].community = "x";
	cp[1] = cp[0];
	cp[1].name = "q";
	cs.v = cp;
	cs.n = 2;
	collect_opts_default(&o);
	o.subtrees = subtrees;
	o.nsubtrees = NELEM(subtrees);
	o.stop = &stop;
	if (snmp_collector.open(&ctx, &o, &tl, &cs, &sink, err, errlen) != 0)
		return -1;
	rc = snmp_collector.poll(ctx, 1000, err, errlen);
	snmp_collector.close(ctx);
	return rc;
}

static void
test_snmp(void **state)
{
	(void)state;
	assert_true(oom_each("snmp", OOM_OURS, snmp_scenario, NULL,
	    NULL) > 4);
}

/* ---- The SNMP collector: two answers read on a shared socket ---- */

static int
answer_cover(void *arg, size_t t, const struct coverage *cv)
{
	(void)arg;
	(void)t;
	assert_int_not_equal(cv->status, COV_TIMEOUT);
	return 0;
}

static int
answer_obs(void *arg, size_t t, enum channel ch,
    const struct observation *o)
{
	(void)arg;
	(void)t;
	(void)ch;
	(void)o;
	return 0;
}

static int
snmp_answer_scenario(void *arg, char *err, size_t errlen)
{
	const struct echo_agent *a = arg;
	char *prof[] = { "p" };
	struct target tv[2];
	struct target_list tl;
	struct cred_profile cp;
	struct cred_set cs;
	struct collect_opts o;
	struct collect_sink sink = { NULL, answer_obs, answer_cover, NULL,
	    NULL };
	void *ctx = NULL;
	size_t i;
	int rc = 1, rounds;

	memset(tv, 0, sizeof(tv));
	memset(&tl, 0, sizeof(tl));
	memset(&cp, 0, sizeof(cp));
	for (i = 0; i < 2; i++) {
		tv[i].h.address = "127.0.0.1";
		tv[i].port = a->port;
		tv[i].family = AF_INET;
		tv[i].snmp_profiles = prof;
		tv[i].nsnmp_profiles = 1;
	}
	tl.v = tv;
	tl.n = 2;
	cp.name = "p";
	cp.type = CRED_SNMP;
	cp.version = SNMP_V2C;
	cp.community = "public";
	cs.v = &cp;
	cs.n = 1;
	collect_opts_default(&o);
	o.probes = PROBE_BIT(PROBE_SYSTEM);
	o.retries = 0;
	o.timeout_ms = 5000;
	if (snmp_collector.open(&ctx, &o, &tl, &cs, &sink, err, errlen) != 0)
		return -1;
	for (rounds = 0; rounds < 50 && rc > 0; rounds++)
		rc = snmp_collector.poll(ctx, 200, err, errlen);
	snmp_collector.close(ctx);
	if (rc > 0)
		return errf(err, errlen, "targets left after 10 s");
	return rc;
}

static void
test_snmp_answers(void **state)
{
	struct echo_agent a;

	(void)state;
	assert_int_equal(echo_start(&a), 0);
	assert_true(oom_each("snmp answers", OOM_OURS, snmp_answer_scenario,
	    &a, NULL) > 4);
	echo_stop(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_onu),
		cmocka_unit_test(test_oui),
		cmocka_unit_test(test_pulls),
		cmocka_unit_test(test_snmp),
		cmocka_unit_test(test_snmp_answers),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
