/*
 * html_demo: fills a store with a small, realistic demo estate through the
 * store API -- two runs of one scope (so findings are new, persisting and
 * resolved), four sectors plus an unsectored import, hosts assessed,
 * partially assessed, not assessed and seen only in neighbour tables, and
 * hostile values from "the network" in names, sites, evidence, coverage
 * details and citation URLs -- and optionally writes its HTML report.
 *
 *   html_demo [-n HOSTS] DB [REPORT.html]
 *
 * -n adds HOSTS synthetic hosts to the current run (one in ten with a
 * finding, one in twenty timed out), to measure the report at scale.  DB
 * must not exist.  Used by tests/integration/t_report_html.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "resolution.h"
#include "store.h"
#include "util.h"

#define DAY		86400
#define PREV_START	1792486800	/* 2026-10-20T09:00:00Z */
#define CUR_START	1795078800	/* 2026-11-19T09:00:00Z */

/* Hostile values, as a device or an import file could send them. */
#define EVIL_SCRIPT	"<script>alert(1)</script>"
#define EVIL_MARKER	"<script>var e=document.createElement('div');" \
			"e.id='pwned-marker';document.body.appendChild(e)" \
			"</script>"
#define EVIL_IMG	"\"><img src=x onerror=alert(1)>"
#define EVIL_IMG_MARK	"'><img src=x onerror=\"var e=document." \
			"createElement('div');e.id='pwned-marker';" \
			"document.body.appendChild(e)\">"
#define EVIL_FORMULA	"=HYPERLINK(\"http://x\",\"y\")"
#define EVIL_UTF8	"bad \xff\xfe utf-8 \xc0\xaf overlong \xed\xa0\x80 " \
			"surrogate, ctl \x1b[31m\x07, bidi \xe2\x80\xae" \
			"txt.exe"

struct demo {
	struct store	*s;
	int64_t		 run;
	int		 failed;
	char		 err[ERRLEN];
};

static void
check(struct demo *d, int rc, const char *what)
{
	if (rc != 0 && !d->failed) {
		fprintf(stderr, "html_demo: %s: %s\n", what, d->err);
		d->failed = 1;
	}
}

static int64_t
run(struct demo *d, int64_t started, const char *label)
{
	struct run_info ri;

	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	ri.label = label;
	ri.scope = "state-agency";
	ri.started = started;
	ri.tool_version = BANAUDIT_VERSION;
	ri.rules_version = "2026.11.1";
	check(d, store_run_begin(d->s, &ri, d->err, sizeof(d->err)), "run");
	d->run = ri.id;
	return ri.id;
}

static int64_t
host(struct demo *d, const char *addr, const char *mac, const char *name,
    const char *sector, const char *site, const char *owner, int crit)
{
	struct host_info hi;
	int64_t id = 0;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.mac = mac;
	hi.h.name = name;
	hi.h.sector = sector;
	hi.h.site = site;
	hi.h.owner = owner;
	hi.h.criticality = crit;
	hi.discovered = addr == NULL;
	check(d, store_host(d->s, d->run, &hi, &id, d->err, sizeof(d->err)),
	    "host");
	return id;
}

static int64_t
obsn(struct demo *d, int64_t h, enum channel ch, enum obs_kind k,
    const char *item, const char *attr, const void *v, size_t n)
{
	struct observation o;
	int64_t id = 0;

	memset(&o, 0, sizeof(o));
	o.kind = k;
	o.item = item;
	o.attr = attr;
	o.source = ch == CHAN_SNMP ? "1.3.6.1.2.1.1" : "CONTENT";
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = n;
	check(d, store_observation(d->s, d->run, h, ch, &o, &id, d->err,
	    sizeof(d->err)), "observation");
	return id;
}

static int64_t
obs(struct demo *d, int64_t h, enum channel ch, enum obs_kind k,
    const char *attr, const char *v)
{
	return obsn(d, h, ch, k, "", attr, v, strlen(v));
}

static void
cov(struct demo *d, int64_t h, enum channel ch, const char *probe,
    enum cov_status st, const char *detail, const char *profile)
{
	struct coverage c;

	memset(&c, 0, sizeof(c));
	c.channel = ch;
	c.probe = probe;
	c.status = st;
	c.detail = detail;
	c.profile = profile;
	c.elapsed_ms = st == COV_TIMEOUT ? 5000 : 140;
	check(d, store_coverage(d->s, d->run, h, &c, d->err, sizeof(d->err)),
	    "coverage");
}

/* A rule of the demo pack, with the regulation it cites. */
struct rule {
	const char	*id;
	const char	*vendor;
	const char	*product;
	const char	*severity;
	int		 likelihood;
	int		 impact;
	const char	*rating;
	const char	*regulation;
	const char	*citation;
	const char	*url;
	const char	*effective;
	const char	*action;
};

static const struct rule huawei = {
	"huawei-network", "Huawei", "VRP router (NE40E)", "critical", 5, 5,
	"extreme", "NDAA FY2019 s889 Part B; FCC Covered List",
	"47 CFR 1.50002",
	"https://www.ecfr.gov/current/title-47/chapter-I/subchapter-A/"
	"part-1/subpart-DD/section-1.50002", "2021-03-12",
	"Replace under the rip-and-replace programme; isolate management "
	"access until removed.",
};
static const struct rule zte = {
	"zte-network", "ZTE", "ZXR10 switch", "critical", 4, 5, "high",
	"NDAA FY2019 s889 Part A", "Pub. L. 115-232, s889(a)(1)(A)",
	"https://www.acq.osd.mil/dpap/dars/section889.html", "2019-08-13",
	"Plan replacement within 90 days; report to the state CISO.",
};
static const struct rule kaspersky = {
	"kaspersky-endpoint", "Kaspersky", "Endpoint Security for Windows",
	"critical", 5, 4, "high",
	"BIS ICTS Final Determination (Kaspersky)", "89 FR 52434",
	"https://www.govinfo.gov/content/pkg/FR-2024-06-24/html/"
	"2024-13532.htm", "2024-09-29",
	"Uninstall; replace with an approved endpoint product.",
};
static const struct rule hikvision = {
	"hikvision-camera", "Hikvision", "DS-2CD2143G2-I camera", "high", 4,
	3, "medium", "NDAA FY2019 s889; Texas prohibited technologies",
	"Pub. L. 115-232, s889(f)(3)(B)",
	"https://dir.texas.gov/information-security/"
	"covered-applications-and-prohibited-technologies?a=1&b=2",
	"2020-08-13", "Replace; until then keep on an isolated VLAN.",
};
static const struct rule dahua = {
	"dahua-camera", "Dahua", "NVR4216", "high", 4, 3, "medium",
	"NDAA FY2019 s889", "Pub. L. 115-232, s889(f)(3)(B)",
	"javascript:alert(1)", "2020-08-13",
	"Replace the recorder and its cameras.",
};
static const struct rule hytera = {
	"hytera-radio", "Hytera", "DMR repeater RD985", "medium", 3, 3,
	"medium", "NDAA FY2019 s889 (public-safety use)",
	"Pub. L. 115-232, s889(f)(3)(B)",
	"https://x\" onmouseover=\"alert(1)", "2020-08-13",
	"Confirm public-safety use; replace if confirmed.",
};
static const struct rule contec = {
	"contec-cms8000", "Contec", "CMS8000 patient monitor", "high", 4, 4,
	"high", "CISA ICSMA-25-030-01 (advisory)", "ICSMA-25-030-01",
	"https://www.cisa.gov/news-events/ics-medical-advisories/"
	"icsma-25-030-01", "2025-01-30",
	"Unplug from the network; use local monitoring only (FDA).",
};
static const struct rule huawei_oui = {
	"huawei-device", "Huawei", "device seen by MAC OUI", "high", 3, 4,
	"medium", "FCC Covered List", "47 CFR 1.50002",
	"https://www.ecfr.gov/current/title-47/chapter-I/subchapter-A/"
	"part-1/subpart-DD/section-1.50002", "2021-03-12",
	"Locate the device on switch port Gi0/14 and identify it.",
};

static void
finding(struct demo *d, int64_t h, const char *identity, const struct rule *r,
    const char *asset, const char *addr, const char *channel,
    const char *evidence, const char *confidence, int score,
    const int64_t *ev, size_t nev)
{
	char fid[FINDING_ID_LEN];
	struct finding f;

	if (finding_id_make(identity, r->id, fid) != 0) {
		fprintf(stderr, "html_demo: finding_id_make failed\n");
		d->failed = 1;
		return;
	}
	memset(&f, 0, sizeof(f));
	f.run = d->run;
	f.host = h;
	f.finding_id = fid;
	f.rule_id = r->id;
	f.vendor = r->vendor;
	f.product = r->product;
	f.asset = asset;
	f.address = addr;
	f.channel = channel;
	f.evidence = evidence;
	f.confidence = confidence;
	f.confidence_score = score;
	f.regulation = r->regulation;
	f.citation = r->citation;
	f.citation_url = r->url;
	f.effective_date = r->effective;
	f.severity = r->severity;
	f.likelihood = r->likelihood;
	f.impact = r->impact;
	f.risk_score = r->likelihood * r->impact;
	f.risk_rating = r->rating;
	f.recommended_action = r->action;
	f.due_date = r->impact >= 5 ? "2026-12-31" : "2027-03-31";
	f.evidence_ids = ev;
	f.nevidence = nev;
	check(d, store_finding(d->s, &f, d->err, sizeof(d->err)), "finding");
}

static void
end(struct demo *d)
{
	check(d, store_run_end(d->s, d->run, RUN_COMPLETE, d->err,
	    sizeof(d->err)), "run end");
}

/*
 * October: the previous run.  Each finding rests on an observation, so
 * this run's coverage decides whether it is resolved (resolution.h).
 */
static void
previous(struct demo *d)
{
	int64_t h, ev;

	run(d, PREV_START, "October 2026 quarterly audit");
	h = host(d, "10.10.0.1", NULL, "core-rtr-01", "telecom", "Austin DC",
	    "Network Operations", 5);
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "core-v3");
	ev = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "descr", "Huawei Versatile "
	    "Routing Platform Software");
	finding(d, h, "addr:10.10.0.1", &huawei, "core-rtr-01", "10.10.0.1",
	    "snmp", "sysDescr names Huawei VRP", "high", 90, &ev, 1);
	h = host(d, "10.10.0.9", NULL, "edge-sw-09", "telecom", "Austin DC",
	    "Network Operations", 4);
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "core-v3");
	cov(d, h, CHAN_SNMP, "entity", COV_OK, NULL, "core-v3");
	ev = obs(d, h, CHAN_SNMP, OBS_ENTITY, "mfg", "HUAWEI");
	finding(d, h, "addr:10.10.0.9", &huawei_oui, "SFP+ optic, port 24",
	    "10.10.0.9", "snmp", "ENTITY-MIB entPhysicalMfgName \"HUAWEI\"",
	    "medium", 60, &ev, 1);
	h = host(d, "10.20.1.5", NULL, "scada-hmi-01", "power",
	    "Substation 3", "OT Engineering", 5);
	cov(d, h, CHAN_AGENT, "", COV_OK, NULL, "fi-agents");
	ev = obsn(d, h, CHAN_AGENT, OBS_SOFTWARE, "12", "name",
	    "Kaspersky Endpoint Security for Windows", 39);
	finding(d, h, "addr:10.20.1.5", &kaspersky, "scada-hmi-01",
	    "10.20.1.5", "agent", "Installed: Kaspersky Endpoint Security "
	    "11.11.0.452", "high", 95, &ev, 1);
	h = host(d, "10.20.1.6", NULL, "plc-gw", "power", "Substation 3",
	    "OT Engineering", 5);
	cov(d, h, CHAN_AGENT, "", COV_OK, NULL, "fi-agents");
	ev = obsn(d, h, CHAN_AGENT, OBS_SOFTWARE, "3", "name",
	    "Kaspersky Security for Windows Server", 36);
	finding(d, h, "addr:10.20.1.6", &kaspersky, "plc-gw", "10.20.1.6",
	    "agent", "Installed: Kaspersky Security for Windows Server",
	    "high", 95, &ev, 1);
	h = host(d, "10.50.0.1", NULL, "annex-cam", "localgov", "Annex",
	    "Facilities", 2);
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "office-v2c");
	ev = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "objectid",
	    "1.3.6.1.4.1.39165.1.1");
	finding(d, h, "addr:10.50.0.1", &hikvision, "annex-cam", "10.50.0.1",
	    "snmp", "sysObjectID 1.3.6.1.4.1.39165.1.1", "high", 90, &ev, 1);
	end(d);
}

static char *
long_string(size_t n, const char *unit)
{
	size_t ul = strlen(unit), i;
	char *s = malloc(n + 1);

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		s[i] = unit[i % ul];
	s[n] = '\0';
	return s;
}

/* n synthetic hosts in 10.100.0.0/16 and up, spread over the sectors. */
static void
synthetic(struct demo *d, long n)
{
	static const char *const sectors[] = {
		"telecom", "power", "healthcare", "localgov",
	};
	char addr[32], site[32], descr[64], identity[40];
	int64_t h, ev;
	long i;

	for (i = 0; i < n && !d->failed; i++) {
		snprintf(addr, sizeof(addr), "10.%ld.%ld.%ld", 100 + i / 65536,
		    i / 256 % 256, i % 256);
		snprintf(site, sizeof(site), "Site %ld", i % 97);
		h = host(d, addr, NULL, NULL, sectors[i % 4], site, "Ops",
		    (int)(i % 5) + 1);
		if (i % 20 == 7) {
			cov(d, h, CHAN_SNMP, "system", COV_TIMEOUT, "no answer",
			    "office-v2c");
			continue;
		}
		snprintf(descr, sizeof(descr), "Linux host-%ld 6.1.0 x86_64",
		    i);
		ev = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "descr", descr);
		cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "office-v2c");
		if (i % 10 == 3) {
			snprintf(identity, sizeof(identity), "addr:%s", addr);
			finding(d, h, identity, i % 20 == 3 ? &kaspersky :
			    &hikvision, addr, addr, "snmp", descr, "high", 90,
			    &ev, 1);
		}
	}
}

/* November: the run the report is about. */
static void
current(struct demo *d, long extra)
{
	static const unsigned char mac[] = { 0x00, 0xe0, 0xfc, 0x12, 0x34,
	    0x56 };
	static const char nul_value[] = "abc\0" EVIL_SCRIPT;
	char *big = long_string(20000, "AAAA-very-long-sysDescr-");
	char *bigev = long_string(9000, "evidence ");
	int64_t h, ev[3];

	run(d, CUR_START, "November 2026 audit \xe2\x80\x94 State Agency");
	/* Telecom. */
	h = host(d, "10.10.0.1", NULL, "core-rtr-01", "telecom", "Austin DC",
	    "Network Operations", 5);
	ev[0] = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "descr", "Huawei Versatile "
	    "Routing Platform Software\r\nVRP (R) software, Version 8.180 "
	    "(NE40E V800R011C00SPC200)\r\nCopyright (C) 2012-2019 Huawei "
	    "Technologies Co., Ltd.");
	ev[1] = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "objectid",
	    "1.3.6.1.4.1.2011.2.62.2.9");
	obs(d, h, CHAN_SNMP, OBS_SYSTEM, "name", "core-rtr-01");
	obs(d, h, CHAN_SNMP, OBS_ENTITY, "mfg", "Huawei Technologies Co., "
	    "Ltd.");
	obs(d, h, CHAN_SNMP, OBS_ENTITY, "model", "NE40E-X8A");
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "core-v3");
	cov(d, h, CHAN_SNMP, "entity", COV_OK, NULL, "core-v3");
	cov(d, h, CHAN_SNMP, "neighbor", COV_OK, NULL, "core-v3");
	finding(d, h, "addr:10.10.0.1", &huawei, "core-rtr-01", "10.10.0.1",
	    "snmp", "sysDescr names Huawei VRP 8.180; sysObjectID under "
	    "enterprise 2011 (Huawei); ENTITY-MIB model NE40E-X8A", "high",
	    95, ev, 2);
	h = host(d, "10.10.0.2", NULL, "agg-sw-02", "telecom", "Dallas POP",
	    "Network Operations", 4);
	ev[0] = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "descr", "ZTE ZXR10 "
	    "5960-56QU-HI, Version V5.00.10");
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "core-v3");
	finding(d, h, "addr:10.10.0.2", &zte, "agg-sw-02", "10.10.0.2",
	    "snmp", "sysDescr names ZTE ZXR10", "high", 90, ev, 1);
	h = host(d, "10.10.0.9", NULL, "edge-sw-09", "telecom", "Austin DC",
	    "Network Operations", 4);
	obs(d, h, CHAN_SNMP, OBS_SYSTEM, "descr", "Cisco IOS Software, C2960X "
	    "Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8");
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "core-v3");
	cov(d, h, CHAN_SNMP, "entity", COV_OK, NULL, "core-v3");
	h = host(d, "10.10.0.10", NULL, EVIL_SCRIPT, "telecom", EVIL_IMG,
	    EVIL_FORMULA, 3);
	cov(d, h, CHAN_SNMP, "system", COV_AUTH_FAILED, "usmStatsWrongDigests: "
	    "authentication failed for profile core-v3 " EVIL_MARKER,
	    "core-v3");
	h = host(d, NULL, "00:e0:fc:12:34:56", NULL, "telecom", "Austin DC",
	    NULL, 3);
	ev[0] = obsn(d, h, CHAN_DERIVED, OBS_NEIGHBOR, "arp.1", "oui_org",
	    "Huawei Technologies Co.,Ltd", 27);
	{
		struct observation o;

		memset(&o, 0, sizeof(o));
		o.kind = OBS_NEIGHBOR;
		o.item = "arp.1";
		o.attr = "mac";
		o.source = "1.3.6.1.2.1.4.22.1.2";
		o.vtype = VAL_HEX;
		o.value = mac;
		o.len = sizeof(mac);
		check(d, store_observation(d->s, d->run, h, CHAN_SNMP, &o,
		    &ev[1], d->err, sizeof(d->err)), "observation");
	}
	finding(d, h, "mac:00:e0:fc:12:34:56", &huawei_oui,
	    "device 00:e0:fc:12:34:56", "00:e0:fc:12:34:56", "snmp;derived",
	    "MAC OUI 00:E0:FC (Huawei) in the ARP table of core-rtr-01, "
	    "interface Gi0/14, VLAN 30", "low", 40, ev, 2);

	/* Power. */
	h = host(d, "10.20.1.5", NULL, "scada-hmi-01", "power",
	    "Substation 3", "OT Engineering", 5);
	obs(d, h, CHAN_AGENT, OBS_SYSTEM, "os", "Microsoft Windows 10 "
	    "Enterprise LTSC");
	obs(d, h, CHAN_AGENT, OBS_SYSTEM, "os_version", "10.0.17763");
	ev[0] = obsn(d, h, CHAN_AGENT, OBS_SOFTWARE, "12", "name",
	    "Kaspersky Endpoint Security for Windows", 39);
	obsn(d, h, CHAN_AGENT, OBS_SOFTWARE, "13", "name", "Wonderware "
	    "InTouch", 18);
	cov(d, h, CHAN_AGENT, "", COV_OK, NULL, "fi-agents");
	finding(d, h, "addr:10.20.1.5", &kaspersky, "scada-hmi-01",
	    "10.20.1.5", "agent", "Installed: Kaspersky Endpoint Security "
	    "11.11.0.452 (publisher AO Kaspersky Lab)", "high", 95, ev, 1);
	h = host(d, "10.20.1.6", NULL, "plc-gw", "power", "Substation 3",
	    "OT Engineering", 5);
	cov(d, h, CHAN_AGENT, "", COV_TIMEOUT, "no answer within 5000 ms "
	    "(3 tries)", "fi-agents");
	h = host(d, "10.20.1.7", NULL, "historian", "power", "Control Center",
	    "OT Engineering", 4);
	obs(d, h, CHAN_AGENT, OBS_SYSTEM, "os", "Red Hat Enterprise Linux 9.4");
	cov(d, h, CHAN_AGENT, "", COV_OK, NULL, "fi-agents");
	cov(d, h, CHAN_SNMP, "", COV_PARTIAL, "host time budget of 30000 ms "
	    "exhausted", "ot-v3");
	cov(d, h, CHAN_SNMP, "entity", COV_NO_SUCH_TABLE, "ENTITY-MIB "
	    "entPhysicalTable not provided", "ot-v3");
	cov(d, h, CHAN_SNMP, "process", COV_TIMEOUT, "host time budget of "
	    "30000 ms exhausted", "ot-v3");
	h = host(d, "10.20.2.20", NULL, "cam-substation-3", "power",
	    "Substation 3", "Physical Security", 3);
	ev[0] = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "objectid",
	    "1.3.6.1.4.1.39165.1.1");
	ev[1] = obsn(d, h, CHAN_SNMP, OBS_VENDOR, "hikvision", "devicetype",
	    "DS-2CD2143G2-I", 14);
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "ot-v3");
	finding(d, h, "addr:10.20.2.20", &hikvision, "cam-substation-3",
	    "10.20.2.20", "snmp", "sysObjectID under enterprise 39165 "
	    "(Hikvision); HIK-DEVICE-MIB deviceType DS-2CD2143G2-I", "high",
	    90, ev, 2);

	/* Healthcare. */
	h = host(d, "10.30.5.11", NULL, "ward-monitor-11", "healthcare",
	    "St. Mary's, Ward 4", "Clinical Engineering", 5);
	ev[0] = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "descr", "CMS8000 patient "
	    "monitor");
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "clinical-v2c");
	finding(d, h, "addr:10.30.5.11", &contec, "ward-monitor-11",
	    "10.30.5.11", "snmp", "sysDescr CMS8000; backdoor address "
	    "202.114.4.119 in the route table", "medium", 70, ev, 1);
	h = host(d, "10.30.5.12", NULL, NULL, "healthcare",
	    "St. Mary's, Ward 4", "Clinical Engineering", 5);
	cov(d, h, CHAN_SNMP, "system", COV_UNREACHABLE, "ICMP host "
	    "unreachable", "clinical-v2c");
	h = host(d, "10.30.6.1", NULL, "pharmacy-ws", "healthcare",
	    "St. Mary's, Pharmacy", "Pharmacy IT", 3);
	obs(d, h, CHAN_AGENT, OBS_SYSTEM, "os", "Microsoft Windows 11 Pro");
	obsn(d, h, CHAN_AGENT, OBS_SOFTWARE, "1", "name", "Microsoft Defender",
	    18);
	cov(d, h, CHAN_AGENT, "", COV_OK, NULL, "fi-agents");

	/* Local government: the hostile device. */
	h = host(d, "10.40.0.50", NULL, EVIL_MARKER, "localgov", EVIL_IMG_MARK,
	    EVIL_FORMULA, 3);
	ev[0] = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "descr",
	    big != NULL ? big : "");
	ev[1] = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "name", EVIL_SCRIPT);
	ev[2] = obsn(d, h, CHAN_SNMP, OBS_SYSTEM, "", "location", nul_value,
	    sizeof(nul_value) - 1);
	obs(d, h, CHAN_SNMP, OBS_SYSTEM, "model", EVIL_UTF8);
	cov(d, h, CHAN_SNMP, "system", COV_OK, EVIL_UTF8, "office-v2c");
	finding(d, h, "addr:10.40.0.50", &dahua, EVIL_SCRIPT, "10.40.0.50",
	    "snmp", bigev != NULL ? bigev : "", "high", 85, ev, 3);
	h = host(d, "10.40.0.51", NULL, "radio-gw", "localgov",
	    "City Hall " EVIL_UTF8, "Emergency Management", 4);
	ev[0] = obs(d, h, CHAN_SNMP, OBS_SYSTEM, "descr", "Hytera RD985 DMR "
	    "repeater");
	cov(d, h, CHAN_SNMP, "system", COV_OK, NULL, "office-v2c");
	finding(d, h, "addr:10.40.0.51", &hytera, "radio-gw " EVIL_IMG,
	    "10.40.0.51", "snmp", "sysDescr names Hytera RD985 " EVIL_FORMULA,
	    "medium", 65, ev, 1);
	h = host(d, "10.40.0.60", NULL, "permits-srv", "localgov", "City Hall",
	    "Permits Office", 2);
	cov(d, h, CHAN_AGENT, "", COV_TLS_FAILED, "certificate verify "
	    "failed: self-signed certificate", "fi-agents");

	/* An import without a sector. */
	h = host(d, "laptop-17.agency.example", NULL, "laptop-17", NULL, NULL,
	    "Finance", 2);
	ev[0] = obsn(d, h, CHAN_IMPORT, OBS_SOFTWARE, "4", "name",
	    "Kaspersky Small Office Security", 31);
	cov(d, h, CHAN_IMPORT, "", COV_OK, NULL, NULL);
	finding(d, h, "addr:laptop-17.agency.example", &kaspersky,
	    "laptop-17", "laptop-17.agency.example", "import", "Imported "
	    "inventory lists Kaspersky Small Office Security 21.3", "high",
	    90, ev, 1);
	synthetic(d, extra);
	/* As analyze does: findings of hosts not assessed carry over. */
	check(d, resolution_carry(d->s, d->run, NULL, d->err,
	    sizeof(d->err)), "carry");
	end(d);
	free(big);
	free(bigev);
}

/* The county accepted the risk of the radio gateway for a while. */
static void
waive(struct demo *d, const char *identity, const struct rule *r)
{
	char fid[FINDING_ID_LEN];
	struct waiver w;

	finding_id_make(identity, r->id, fid);
	memset(&w, 0, sizeof(w));
	w.finding_id = fid;
	w.reason = "Public-safety use under review by the county; "
	    "replacement budgeted for FY2027";
	w.until = "2027-03-31";
	w.created = CUR_START + DAY;
	w.created_by = "j.doe";
	check(d, store_waiver_set(d->s, &w, NULL, d->err, sizeof(d->err)),
	    "waiver");
}

int
main(int argc, char *argv[])
{
	struct report_opts ro;
	struct demo d;
	long extra = 0;
	FILE *fp;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		if (parse_long(argv[2], 0, 1000000, &extra) == -1) {
			fprintf(stderr, "html_demo: -n: 0 to 1000000\n");
			return 2;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: html_demo [-n HOSTS] DB "
		    "[REPORT.html]\n");
		return 2;
	}
	memset(&d, 0, sizeof(d));
	if (store_open(argv[1], STORE_WRITE, &d.s, d.err, sizeof(d.err)) != 0) {
		fprintf(stderr, "html_demo: %s\n", d.err);
		return 1;
	}
	previous(&d);
	if (!d.failed)
		current(&d, extra);
	if (!d.failed)
		check(&d, store_run_set_oui(d.s, d.run, "IEEE registry "
		    "(ieee-data 2025-10-01)", d.err, sizeof(d.err)), "oui");
	if (!d.failed)
		waive(&d, "addr:10.40.0.51", &hytera);
	if (!d.failed)
		check(&d, store_flush(d.s, d.err, sizeof(d.err)), "flush");
	if (!d.failed && argc == 3) {
		fp = fopen(argv[2], "w");
		if (fp == NULL) {
			perror(argv[2]);
			d.failed = 1;
		} else {
			memset(&ro, 0, sizeof(ro));
			ro.format = REPORT_HTML;
			check(&d, report_write(d.s, &ro, fp, d.err,
			    sizeof(d.err)), "report");
			if (fclose(fp) != 0 && !d.failed) {
				perror(argv[2]);
				d.failed = 1;
			}
		}
	}
	store_close(d.s);
	return d.failed ? 1 : 0;
}
