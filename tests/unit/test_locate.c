/*
 * Unit tests for locate: the ARP/FDB/LLDP/CDP join (one device per MAC
 * across routers and switches, an IP from another router's ARP, LLDP
 * chassis and management address joined), the uplink rule (MAC count and
 * its threshold, LLDP/CDP capabilities, a phone's PC port, a polled
 * neighbour), edges across several switches, VLANs from the FDB id map,
 * randomised and multicast MACs, devices that are polled targets, LLDP
 * local port names, malformed rows; and the store pass on :memory:.
 * Vendors come from the IEEE excerpt in tests/data/oui/ieee.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "locate.h"
#include "oui.h"
#include "store.h"
#include "util.h"

#define HIKVISION	"Hangzhou Hikvision Digital Technology Co.,Ltd."
#define DAHUA		"Zhejiang Dahua Technology Co., Ltd."

/* Hosts of the tests. */
#define R1	1	/* a router */
#define S1	2	/* a switch */
#define S2	3	/* another switch */
#define R2	4	/* another router */

static struct oui_registry *reg;

static int
setup(void **state)
{
	char err[ERRLEN];

	(void)state;
	if (oui_open(&reg, err, sizeof(err)) != 0 ||
	    oui_load_ieee_dir(reg, "tests/data/oui/ieee", err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	oui_close(reg);
	return 0;
}

/* ---- Building rows ---- */

static struct locate *
start(unsigned uplink_macs)
{
	struct locate_opts o;
	struct locate *L = NULL;
	char err[ERRLEN];

	memset(&o, 0, sizeof(o));
	o.oui = reg;
	o.uplink_macs = uplink_macs;
	assert_int_equal(locate_open(&L, &o, err, sizeof(err)), 0);
	return L;
}

static void
target(struct locate *L, int64_t host, const char *addr, const char *name,
    const char *sector)
{
	struct locate_target t;
	char err[ERRLEN];

	memset(&t, 0, sizeof(t));
	t.host = host;
	t.h.address = addr;
	t.h.name = name;
	t.h.sector = sector;
	t.h.site = "Site";
	t.h.owner = "Owner";
	t.h.criticality = 4;
	assert_int_equal(locate_add_target(L, &t, err, sizeof(err)), 0);
}

static void
row(struct locate *L, int64_t host, enum obs_kind k, const char *item,
    const char *attr, enum value_type vt, const void *v, size_t len)
{
	struct obs_row r;
	char err[ERRLEN], src[128];

	snprintf(src, sizeof(src), "src.%lld.%s.%s", (long long)host, item,
	    attr);
	memset(&r, 0, sizeof(r));
	r.host = host;
	r.channel = CHAN_SNMP;
	r.obs.kind = k;
	r.obs.item = item;
	r.obs.attr = attr;
	r.obs.source = src;
	r.obs.vtype = vt;
	r.obs.value = v;
	r.obs.len = len;
	if (locate_add_row(L, &r, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

static void
text(struct locate *L, int64_t host, enum obs_kind k, const char *item,
    const char *attr, const char *v)
{
	row(L, host, k, item, attr, VAL_TEXT, v, strlen(v));
}

static void
num(struct locate *L, int64_t host, enum obs_kind k, const char *item,
    const char *attr, long v)
{
	char b[24];

	snprintf(b, sizeof(b), "%ld", v);
	row(L, host, k, item, attr, VAL_INT, b, strlen(b));
}

static void
mac(struct locate *L, int64_t host, enum obs_kind k, const char *item,
    const char *attr, const char *m)
{
	unsigned char b[6];

	assert_int_equal(mac_parse(m, strlen(m), b), 0);
	row(L, host, k, item, attr, VAL_HEX, b, 6);
}

/* An interface: ifName, and a MAC when m is not NULL. */
static void
iface(struct locate *L, int64_t host, long ifindex, const char *name,
    const char *m)
{
	char item[24];

	snprintf(item, sizeof(item), "%ld", ifindex);
	text(L, host, OBS_INTERFACE, item, "ifname", name);
	if (m != NULL)
		mac(L, host, OBS_INTERFACE, item, "mac", m);
}

/* A bridge port and its interface (ifIndex 1000 + port, "Gi1/0/N"). */
static void
bport(struct locate *L, int64_t host, long bp)
{
	char item[24], name[24];

	snprintf(item, sizeof(item), "bp.%ld", bp);
	num(L, host, OBS_INTERFACE, item, "bridgeport", bp);
	num(L, host, OBS_INTERFACE, item, "ifindex", 1000 + bp);
	snprintf(name, sizeof(name), "Gi1/0/%ld", bp);
	iface(L, host, 1000 + bp, name, NULL);
}

static void
vlanmap(struct locate *L, int64_t host, long vlan, long fdbid)
{
	char item[24];

	snprintf(item, sizeof(item), "vlan.%ld", vlan);
	num(L, host, OBS_NEIGHBOR, item, "vlan", vlan);
	num(L, host, OBS_NEIGHBOR, item, "fdbid", fdbid);
}

/* dot1qTpFdbPort (fdbid >= 0) or dot1dTpFdbPort (fdbid < 0). */
static void
fdb(struct locate *L, int64_t host, long fdbid, const char *m, long bp)
{
	char item[48];

	if (fdbid >= 0)
		snprintf(item, sizeof(item), "fdb.%ld.%s", fdbid, m);
	else
		snprintf(item, sizeof(item), "fdb.%s", m);
	mac(L, host, OBS_NEIGHBOR, item, "mac", m);
	if (fdbid >= 0)
		num(L, host, OBS_NEIGHBOR, item, "fdbid", fdbid);
	num(L, host, OBS_NEIGHBOR, item, "bridgeport", bp);
}

static void
arp(struct locate *L, int64_t host, long ifindex, const char *ip,
    const char *m)
{
	char item[64];

	snprintf(item, sizeof(item), "arp.%ld.%s", ifindex, ip);
	num(L, host, OBS_NEIGHBOR, item, "ifindex", ifindex);
	row(L, host, OBS_NEIGHBOR, item, "ip", VAL_IPADDR, ip, strlen(ip));
	mac(L, host, OBS_NEIGHBOR, item, "mac", m);
}

/* An LLDP neighbour with a MAC chassis (m), or none (m NULL). */
static void
lldp(struct locate *L, int64_t host, long lp, long ri, const char *m,
    const char *sysname, const char *sysdesc, unsigned caps)
{
	char item[32];
	unsigned char c = (unsigned char)caps;

	snprintf(item, sizeof(item), "lldp.%ld.%ld", lp, ri);
	num(L, host, OBS_NEIGHBOR, item, "localport", lp);
	if (m != NULL) {
		num(L, host, OBS_NEIGHBOR, item, "chassistype", 4);
		mac(L, host, OBS_NEIGHBOR, item, "chassis", m);
	}
	if (sysname != NULL)
		text(L, host, OBS_NEIGHBOR, item, "sysname", sysname);
	if (sysdesc != NULL)
		text(L, host, OBS_NEIGHBOR, item, "sysdesc", sysdesc);
	if (caps != 0)
		row(L, host, OBS_NEIGHBOR, item, "caps", VAL_HEX, &c, 1);
}

static void
lldpman(struct locate *L, int64_t host, long lp, long ri, const char *ip)
{
	char item[32];

	snprintf(item, sizeof(item), "lldp.%ld.%ld", lp, ri);
	row(L, host, OBS_NEIGHBOR, item, "ip", VAL_IPADDR, ip, strlen(ip));
}

static void
solve(struct locate *L)
{
	char err[ERRLEN];

	if (locate_solve(L, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

/* The device with MAC m (text), or fails. */
static const struct locate_device *
by_mac(const struct locate *L, const char *m)
{
	const struct locate_device *d;
	unsigned char b[6];
	size_t i;

	assert_int_equal(mac_parse(m, strlen(m), b), 0);
	for (i = 0; i < locate_ndevices(L); i++) {
		d = locate_device_get(L, i);
		if (d->has_mac && memcmp(d->mac, b, 6) == 0)
			return d;
	}
	fail_msg("no device %s", m);
	return NULL;
}

static int
has_mac(const struct locate *L, const char *m)
{
	unsigned char b[6];
	size_t i;

	assert_int_equal(mac_parse(m, strlen(m), b), 0);
	for (i = 0; i < locate_ndevices(L); i++)
		if (locate_device_get(L, i)->has_mac &&
		    memcmp(locate_device_get(L, i)->mac, b, 6) == 0)
			return 1;
	return 0;
}

static const struct locate_sighting *
edge(const struct locate_device *d)
{
	assert_true(d->edge < d->nseen);
	return &d->seen[d->edge];
}

static int64_t
host_of(const struct locate *L, size_t t)
{
	return locate_target_get(L, t)->host;
}

/* A router with the camera's IP and a switch with its port and VLAN. */
static struct locate *
basic(void)
{
	struct locate *L = start(0);

	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	target(L, S1, "10.0.0.2", NULL, "localgov");
	text(L, S1, OBS_SYSTEM, "", "name", "sw-1");
	iface(L, R1, 20, "Vlan20", "00:00:0c:00:00:01");
	arp(L, R1, 20, "10.0.20.11", "28:57:be:aa:01:01");
	bport(L, S1, 5);
	vlanmap(L, S1, 20, 2);
	fdb(L, S1, 2, "28:57:be:aa:01:01", 5);
	solve(L);
	return L;
}

/* ---- The join ---- */

static void
test_join(void **state)
{
	struct locate *L = basic();
	const struct locate_device *d;
	const struct locate_sighting *s;
	const struct locate_stats *st = locate_stats_get(L);

	(void)state;
	assert_int_equal(locate_ndevices(L), 1);
	d = by_mac(L, "28:57:be:aa:01:01");
	assert_int_equal(d->nips, 1);
	assert_string_equal(d->ips[0].ip, "10.0.20.11");
	assert_string_equal(d->ips[0].source,
	    "src.1.arp.20.10.0.20.11.mac");
	assert_int_equal(d->oui, OUI_FOUND);
	assert_string_equal(d->org, HIKVISION);
	assert_int_equal(d->oui_bits, 24);
	assert_int_equal(d->target, SIZE_MAX);
	/* ARP on the router and FDB on the switch, one device. */
	assert_int_equal(d->nseen, 2);
	s = edge(d);
	assert_int_equal(s->table, LOCATE_FDB);
	assert_int_equal(host_of(L, s->target), S1);
	assert_string_equal(s->port, "Gi1/0/5");
	assert_int_equal(s->ifindex, 1005);
	assert_int_equal(s->bridgeport, 5);
	/* FDB id 2 is VLAN 20 (dot1qVlanFdbId), not VLAN 2. */
	assert_int_equal(s->vlan, 20);
	assert_int_equal(s->vlan_is_fdbid, 0);
	assert_int_equal(s->uplink, 0);
	assert_int_equal(s->port_macs, 1);
	assert_int_equal(host_of(L, d->via), S1);
	assert_string_equal(d->location, "sw-1 (10.0.0.2) Gi1/0/5, VLAN 20");
	assert_int_equal(st->devices, 1);
	assert_int_equal(st->discovered, 1);
	assert_int_equal(st->located, 1);
	assert_int_equal(st->switches, 2);
	assert_int_equal(locate_target_stats_get(L, d->via)->located, 1);
	assert_int_equal(locate_target_stats_get(L, d->via)->fdb, 1);
	locate_free(L);
}

/*
 * Per-VLAN bridge tables (community@VLAN): rows "fdb.vV.MAC" with the
 * bridge ports of that context ("bp.vV.N").  VLAN 30's context numbers
 * bridge port 3 as ifIndex 2003, the default context as 1003.
 */
static void
test_vlan_contexts(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;
	const struct locate_sighting *s;

	(void)state;
	target(L, S1, "10.0.0.2", "sw-cisco", "localgov");
	bport(L, S1, 3);
	iface(L, S1, 2003, "Gi2/0/3", NULL);
	num(L, S1, OBS_INTERFACE, "bp.v30.3", "bridgeport", 3);
	num(L, S1, OBS_INTERFACE, "bp.v30.3", "ifindex", 2003);
	mac(L, S1, OBS_NEIGHBOR, "fdb.v30.28:57:be:00:30:01", "mac",
	    "28:57:be:00:30:01");
	num(L, S1, OBS_NEIGHBOR, "fdb.v30.28:57:be:00:30:01", "bridgeport", 3);
	num(L, S1, OBS_NEIGHBOR, "fdb.v30.28:57:be:00:30:01", "vlan", 30);
	/* VLAN 20's context has no bridge port table: the default one's. */
	mac(L, S1, OBS_NEIGHBOR, "fdb.v20.28:57:be:00:20:01", "mac",
	    "28:57:be:00:20:01");
	num(L, S1, OBS_NEIGHBOR, "fdb.v20.28:57:be:00:20:01", "bridgeport", 3);
	/* A malformed context item is not a bridge port. */
	num(L, S1, OBS_INTERFACE, "bp.v30.x", "ifindex", 9);
	solve(L);
	assert_int_equal(locate_ndevices(L), 2);
	d = by_mac(L, "28:57:be:00:30:01");
	s = edge(d);
	assert_int_equal(s->table, LOCATE_FDB);
	assert_int_equal(s->vlan, 30);
	assert_int_equal(s->vlan_is_fdbid, 0);
	assert_int_equal(s->ifindex, 2003);
	assert_string_equal(s->port, "Gi2/0/3");
	assert_string_equal(d->location,
	    "sw-cisco (10.0.0.2) Gi2/0/3, VLAN 30");
	d = by_mac(L, "28:57:be:00:20:01");
	s = edge(d);
	assert_int_equal(s->vlan, 20);
	assert_int_equal(s->ifindex, 1003);
	assert_string_equal(d->location,
	    "sw-cisco (10.0.0.2) Gi1/0/3, VLAN 20");
	assert_int_equal(locate_target_stats_get(L, d->via)->fdb, 2);
	locate_free(L);
}

static void
test_ip_from_other_router(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	target(L, R2, "10.0.0.9", "rtr-2", "telecom");
	bport(L, S1, 7);
	fdb(L, S1, -1, "08:ed:ed:00:00:07", 7);
	/* The switch has no ARP: two routers know its addresses. */
	arp(L, R2, 30, "fe80::aed:edff:fe00:7", "08:ed:ed:00:00:07");
	arp(L, R1, 31, "10.0.30.7", "08:ed:ed:00:00:07");
	solve(L);
	d = by_mac(L, "08:ed:ed:00:00:07");
	assert_int_equal(d->nips, 2);
	assert_string_equal(d->ips[0].ip, "10.0.30.7");	/* IPv4 first */
	assert_string_equal(d->ips[1].ip, "fe80::aed:edff:fe00:7");
	assert_string_equal(d->org, DAHUA);
	assert_int_equal(d->nseen, 3);
	/* dot1d: no VLAN; the port is a bridge port without a name map. */
	assert_int_equal(edge(d)->vlan, -1);
	assert_string_equal(edge(d)->port, "Gi1/0/7");
	/* Sightings are ordered by target address, then table. */
	assert_int_equal(host_of(L, d->seen[0].target), R1);
	assert_int_equal(host_of(L, d->seen[1].target), S1);
	assert_int_equal(host_of(L, d->seen[2].target), R2);
	locate_free(L);
}

static void
test_arp_only(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;

	(void)state;
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	iface(L, R1, 30, "Vlan30", NULL);
	arp(L, R1, 30, "10.0.30.14", "30:fb:b8:00:04:04");
	solve(L);
	d = by_mac(L, "30:fb:b8:00:04:04");
	assert_int_equal(d->edge, SIZE_MAX);
	assert_string_equal(d->location, "no bridge table has its MAC; ARP "
	    "table of rtr-1 (10.0.0.1), interface Vlan30");
	assert_int_equal(locate_stats_get(L)->arp_only, 1);
	assert_int_equal(locate_stats_get(L)->located, 0);
	locate_free(L);
}

/* ---- The uplink rule ---- */

/* Port 24 of S1 with n MACs, the first a Dahua camera. */
static struct locate *
crowded(unsigned n, unsigned threshold)
{
	struct locate *L = start(threshold);
	char m[18];
	unsigned i;

	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	bport(L, S1, 24);
	fdb(L, S1, 2, "08:ed:ed:00:00:01", 24);
	for (i = 1; i < n; i++) {
		snprintf(m, sizeof(m), "00:14:22:00:00:%02x", i & 0xffu);
		fdb(L, S1, 3, m, 24);
	}
	solve(L);
	return L;
}

static void
test_uplink_by_count(void **state)
{
	struct locate *L;
	const struct locate_device *d;

	(void)state;
	/* Four MACs: the default threshold still calls it an edge. */
	L = crowded(4, 0);
	d = by_mac(L, "08:ed:ed:00:00:01");
	assert_int_equal(edge(d)->port_macs, 4);
	assert_int_equal(edge(d)->uplink, 0);
	/* FDB id 2 without a VLAN map: the id, and it says so. */
	assert_int_equal(edge(d)->vlan, 2);
	assert_int_equal(edge(d)->vlan_is_fdbid, 1);
	assert_non_null(strstr(d->location, "VLAN 2 (filtering database "
	    "id; no VLAN map)"));
	locate_free(L);
	/* Five: an uplink; the camera is beyond it. */
	L = crowded(5, 0);
	d = by_mac(L, "08:ed:ed:00:00:01");
	assert_int_equal(d->edge, SIZE_MAX);
	assert_int_equal(d->seen[0].uplink, 1);
	assert_string_equal(d->seen[0].why, "5 MACs learned");
	assert_string_equal(d->location, "seen only on uplinks: sw-1 "
	    "(10.0.0.2) Gi1/0/24, VLAN 2 (filtering database id; no VLAN "
	    "map) (5 MACs learned)");
	/* All five MACs there are beyond it. */
	assert_int_equal(locate_stats_get(L)->uplinks_only, 5);
	assert_int_equal(locate_target_stats_get(L, 0)->uplinks, 1);
	locate_free(L);
	/* The threshold is configurable. */
	L = crowded(5, 5);
	assert_int_equal(by_mac(L, "08:ed:ed:00:00:01")->seen[0].uplink, 0);
	locate_free(L);
}

static void
test_uplink_by_neighbour(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	target(L, S2, "10.0.0.3", NULL, "localgov");
	text(L, S2, OBS_SYSTEM, "", "name", "sw-2");
	bport(L, S1, 21);
	bport(L, S1, 22);
	bport(L, S1, 23);
	bport(L, S1, 25);
	/* 21: a router (LLDP router bit 0x08) with a camera beyond it. */
	lldp(L, S1, 21, 1, "30:fb:b8:00:21:21", "huawei-ar",
	    "Huawei Versatile Routing Platform Software", 0x08);
	fdb(L, S1, 2, "28:57:be:00:00:21", 21);
	/* 22: an IP phone (bridge + telephone): its PC port is an edge. */
	lldp(L, S1, 22, 1, "00:1b:54:00:22:22", "SEP001B54002222",
	    "Cisco IP Phone", 0x24);
	fdb(L, S1, 2, "28:57:be:00:00:22", 22);
	/* 23: no capabilities, but the neighbour is polled (sw-2). */
	lldp(L, S1, 23, 1, "00:00:0c:00:23:23", "SW-2", NULL, 0);
	fdb(L, S1, 2, "28:57:be:00:00:23", 23);
	/* 25: a bridge (0x20). */
	lldp(L, S1, 25, 1, "00:00:0c:00:25:25", "h3c", NULL, 0x20);
	fdb(L, S1, 2, "28:57:be:00:00:25", 25);
	solve(L);

	d = by_mac(L, "28:57:be:00:00:21");
	assert_int_equal(d->edge, SIZE_MAX);
	assert_string_equal(d->seen[0].why, "lldp neighbour huawei-ar is a "
	    "bridge or router");
	/* The router itself is where LLDP hears it. */
	d = by_mac(L, "30:fb:b8:00:21:21");
	assert_int_equal(edge(d)->table, LOCATE_LLDP);
	assert_string_equal(d->location, "sw-1 (10.0.0.2) Gi1/0/21, LLDP "
	    "neighbour");
	assert_string_equal(d->sysdesc,
	    "Huawei Versatile Routing Platform Software");
	assert_string_equal(d->sysdesc_source, "src.2.lldp.21.1.sysdesc");
	d = by_mac(L, "28:57:be:00:00:22");
	assert_int_equal(edge(d)->uplink, 0);
	assert_string_equal(edge(d)->port, "Gi1/0/22");
	d = by_mac(L, "28:57:be:00:00:23");
	assert_int_equal(d->edge, SIZE_MAX);
	assert_string_equal(d->seen[0].why, "lldp neighbour SW-2 is a polled "
	    "target");
	/* The polled neighbour is that target, not a new device. */
	d = by_mac(L, "00:00:0c:00:23:23");
	assert_int_equal(host_of(L, d->target), S2);
	assert_int_equal(by_mac(L, "28:57:be:00:00:25")->edge, SIZE_MAX);
	assert_int_equal(locate_target_stats_get(L, 0)->uplinks, 3);
	locate_free(L);
}

static void
test_several_switches(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	target(L, S2, "10.0.0.3", "sw-2", "localgov");
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	bport(L, S1, 5);
	bport(L, S1, 48);
	bport(L, S2, 1);
	bport(L, S2, 9);
	/* sw-1's 48 goes to sw-2 (a bridge); sw-2's 1 comes from sw-1. */
	lldp(L, S1, 48, 1, "00:00:0c:02:00:00", "sw-2", NULL, 0x20);
	lldp(L, S2, 1, 1, "00:00:0c:01:00:00", "sw-1", NULL, 0x20);
	iface(L, S1, 2001, "Vlan1", "00:00:0c:01:00:00");
	iface(L, S2, 2001, "Vlan1", "00:00:0c:02:00:00");
	/* The camera on sw-2's port 9, seen across the trunk on sw-1. */
	fdb(L, S1, 2, "28:57:be:00:00:09", 48);
	fdb(L, S2, 2, "28:57:be:00:00:09", 9);
	arp(L, R1, 20, "10.0.20.9", "28:57:be:00:00:09");
	/* A radio on two edge ports (an unmanaged switch between): the
	   port with fewer MACs wins. */
	fdb(L, S1, 3, "64:69:bc:00:00:05", 5);
	fdb(L, S1, 3, "00:14:22:00:00:05", 5);
	fdb(L, S1, 3, "00:14:22:00:00:06", 5);
	fdb(L, S2, 3, "64:69:bc:00:00:05", 9);
	solve(L);
	d = by_mac(L, "28:57:be:00:00:09");
	assert_int_equal(d->nseen, 3);
	assert_int_equal(host_of(L, edge(d)->target), S2);
	assert_string_equal(edge(d)->port, "Gi1/0/9");
	assert_string_equal(d->ips[0].ip, "10.0.20.9");
	assert_string_equal(d->location, "sw-2 (10.0.0.3) Gi1/0/9, VLAN 2 "
	    "(filtering database id; no VLAN map)");
	d = by_mac(L, "64:69:bc:00:00:05");
	assert_int_equal(host_of(L, edge(d)->target), S2);
	/* The switches found each other: polled targets, not devices. */
	d = by_mac(L, "00:00:0c:02:00:00");
	assert_int_equal(host_of(L, d->target), S2);
	assert_string_equal(d->location, "sw-1 (10.0.0.2) Gi1/0/48, LLDP "
	    "neighbour");
	assert_int_equal(locate_stats_get(L)->merged, 2);
	/* One device per MAC: camera, radio, two others, two switches. */
	assert_int_equal(locate_ndevices(L), 6);
	locate_free(L);
}

/* ---- MACs that are not devices ---- */

static void
test_randomised_and_multicast(void **state)
{
	struct locate *L = start(0);
	const struct locate_stats *st;
	unsigned char zero[6] = { 0 };

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	bport(L, S1, 11);
	/* Locally administered (0x02): seen twice, counted once. */
	fdb(L, S1, 2, "0a:1b:2c:3d:4e:5f", 11);
	arp(L, R1, 20, "10.0.20.99", "0a:1b:2c:3d:4e:5f");
	fdb(L, S1, 2, "da:a1:19:00:00:01", 11);
	fdb(L, S1, 2, "01:00:5e:00:00:fb", 11);		/* multicast */
	arp(L, R1, 20, "10.0.20.255", "ff:ff:ff:ff:ff:ff");
	row(L, R1, OBS_NEIGHBOR, "arp.20.10.0.20.98", "ip", VAL_IPADDR,
	    "10.0.20.98", 10);
	row(L, R1, OBS_NEIGHBOR, "arp.20.10.0.20.98", "mac", VAL_HEX,
	    zero, 6);					/* incomplete */
	fdb(L, S1, 2, "28:57:be:00:00:11", 11);
	solve(L);
	st = locate_stats_get(L);
	assert_int_equal(locate_ndevices(L), 1);
	assert_true(has_mac(L, "28:57:be:00:00:11"));
	assert_int_equal(st->randomised, 2);
	assert_int_equal(st->multicast, 2);
	assert_int_equal(locate_target_stats_get(L, 0)->randomised, 2);
	assert_int_equal(locate_target_stats_get(L, 1)->randomised, 1);
	/* Randomised MACs still count towards the port's MACs. */
	assert_int_equal(edge(by_mac(L, "28:57:be:00:00:11"))->port_macs, 3);
	locate_free(L);
}

/* ---- Devices that are polled targets ---- */

static void
test_polled_targets(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	bport(L, S1, 23);
	iface(L, R1, 1, "Gi0/0/0", "00:00:0c:16:00:01");
	iface(L, R1, 2, "Gi0/0/1", "00:00:0c:16:00:02");
	/* The router by LLDP chassis, and by its other MAC in the FDB. */
	lldp(L, S1, 23, 1, "00:00:0c:16:00:01", "rtr-1", NULL, 0x08);
	fdb(L, S1, 4, "00:00:0c:16:00:02", 23);
	/* The switch by its address in the router's ARP table. */
	arp(L, R1, 2, "10.0.0.2", "00:00:0c:17:00:00");
	/* The router's own MAC in its own ARP table says nothing; nor does
	   a MAC only its own table gives its own address (VRRP). */
	arp(L, R1, 1, "10.0.0.1", "00:00:0c:16:00:01");
	arp(L, R1, 1, "10.0.0.1", "00:00:5e:00:01:01");
	solve(L);
	assert_int_equal(locate_ndevices(L), 2);
	assert_int_equal(locate_stats_get(L)->merged, 2);
	assert_int_equal(locate_stats_get(L)->discovered, 0);
	d = by_mac(L, "00:00:0c:16:00:01");
	assert_int_equal(host_of(L, d->target), R1);
	assert_int_equal(d->nseen, 2);		/* LLDP and FDB on sw-1 */
	assert_int_equal(edge(d)->table, LOCATE_LLDP);
	d = by_mac(L, "00:00:0c:17:00:00");
	assert_int_equal(host_of(L, d->target), S1);
	assert_int_equal(d->nseen, 1);
	locate_free(L);
}

/* ---- LLDP and CDP ---- */

static void
test_lldp_join(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;
	unsigned char netaddr[5] = { 1, 10, 0, 30, 23 };
	const char *local = "gw-local-id";

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	bport(L, S1, 21);
	bport(L, S1, 22);
	bport(L, S1, 24);
	/* Chassis MAC ...21:21, management address 10.0.60.21, which the
	   router's ARP gives the VLAN MAC ...21:22: one device. */
	lldp(L, S1, 21, 1, "30:fb:b8:00:21:21", "huawei-ar", "VRP", 0x28);
	lldpman(L, S1, 21, 1, "10.0.60.21");
	fdb(L, S1, 6, "30:fb:b8:00:21:22", 21);
	arp(L, R1, 60, "10.0.60.21", "30:fb:b8:00:21:22");
	/* A phone announcing a network address: ARP gives its MAC. */
	num(L, S1, OBS_NEIGHBOR, "lldp.22.1", "localport", 22);
	num(L, S1, OBS_NEIGHBOR, "lldp.22.1", "chassistype", 5);
	row(L, S1, OBS_NEIGHBOR, "lldp.22.1", "chassis", VAL_HEX, netaddr,
	    5);
	text(L, S1, OBS_NEIGHBOR, "lldp.22.1", "sysname", "SEP1");
	arp(L, R1, 30, "10.0.30.23", "00:1b:54:00:23:23");
	/* A neighbour with a locally assigned chassis ID and a name only:
	   the local port number comes from the item. */
	num(L, S1, OBS_NEIGHBOR, "lldp.24.7", "chassistype", 7);
	row(L, S1, OBS_NEIGHBOR, "lldp.24.7", "chassis", VAL_HEX, local,
	    strlen(local));
	text(L, S1, OBS_NEIGHBOR, "lldp.24.7", "sysname", "ZTE-OLT-1");
	text(L, S1, OBS_NEIGHBOR, "lldp.24.7", "sysdesc", "ZXA10 C320");
	solve(L);
	assert_int_equal(locate_ndevices(L), 3);
	d = by_mac(L, "30:fb:b8:00:21:21");
	assert_int_equal(d->nips, 1);
	assert_string_equal(d->ips[0].ip, "10.0.60.21");
	assert_int_equal(d->nseen, 3);	/* LLDP, FDB, ARP */
	assert_int_equal(edge(d)->table, LOCATE_LLDP);
	assert_false(has_mac(L, "30:fb:b8:00:21:22"));
	d = by_mac(L, "00:1b:54:00:23:23");
	assert_string_equal(d->sysname, "SEP1");
	assert_string_equal(d->ips[0].ip, "10.0.30.23");
	assert_string_equal(edge(d)->port, "Gi1/0/22");
	d = locate_device_get(L, 2);	/* MAC-less devices sort last */
	assert_int_equal(d->has_mac, 0);
	assert_string_equal(d->chassis, "gw-local-id");
	assert_string_equal(d->sysdesc, "ZXA10 C320");
	assert_string_equal(edge(d)->port, "Gi1/0/24");
	assert_int_equal(d->oui, OUI_UNKNOWN);
	assert_null(d->org);
	locate_free(L);
}

static void
test_lldp_local_ports(void **state)
{
	struct locate *L = start(0);

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	/* 1: lldpLocPortId names an interface (ifIndex 9001). */
	iface(L, S1, 9001, "Te1/1/1", NULL);
	text(L, S1, OBS_INTERFACE, "lldploc.1", "port", "te1/1/1");
	lldp(L, S1, 1, 1, "28:57:be:00:01:01", NULL, NULL, 0);
	/* 5: a bridge port number. */
	bport(L, S1, 5);
	lldp(L, S1, 5, 1, "28:57:be:00:05:05", NULL, NULL, 0);
	/* 7: an ifIndex. */
	iface(L, S1, 7, "eth7", NULL);
	lldp(L, S1, 7, 1, "28:57:be:00:07:07", NULL, NULL, 0);
	/* 8: only lldpLocPortDesc; 9: nothing at all. */
	text(L, S1, OBS_INTERFACE, "lldploc.8", "portdesc", "uplink A");
	lldp(L, S1, 8, 1, "28:57:be:00:08:08", NULL, NULL, 0);
	lldp(L, S1, 9, 1, "28:57:be:00:09:09", NULL, NULL, 0);
	solve(L);
	assert_string_equal(edge(by_mac(L, "28:57:be:00:01:01"))->port,
	    "Te1/1/1");
	assert_int_equal(edge(by_mac(L, "28:57:be:00:01:01"))->ifindex, 9001);
	assert_string_equal(edge(by_mac(L, "28:57:be:00:05:05"))->port,
	    "Gi1/0/5");
	assert_string_equal(edge(by_mac(L, "28:57:be:00:07:07"))->port,
	    "eth7");
	assert_string_equal(edge(by_mac(L, "28:57:be:00:08:08"))->port,
	    "uplink A");
	assert_string_equal(edge(by_mac(L, "28:57:be:00:09:09"))->port,
	    "LLDP port 9");
	locate_free(L);
}

static void
test_cdp(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;
	unsigned char caps[4] = { 0, 0, 0, 0x28 };

	(void)state;
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	iface(L, R1, 3, "Gi0/0/2", NULL);
	num(L, R1, OBS_NEIGHBOR, "cdp.3.1", "ifindex", 3);
	text(L, R1, OBS_NEIGHBOR, "cdp.3.1", "sysname", "zxr10-70-5");
	row(L, R1, OBS_NEIGHBOR, "cdp.3.1", "ip", VAL_IPADDR, "10.0.70.5", 9);
	text(L, R1, OBS_NEIGHBOR, "cdp.3.1", "platform", "ZTE ZXR10 5250");
	row(L, R1, OBS_NEIGHBOR, "cdp.3.1", "caps", VAL_HEX, caps, 4);
	solve(L);
	assert_int_equal(locate_ndevices(L), 1);
	d = locate_device_get(L, 0);
	assert_int_equal(d->has_mac, 0);
	assert_string_equal(d->ips[0].ip, "10.0.70.5");
	assert_string_equal(d->platform, "ZTE ZXR10 5250");
	assert_string_equal(d->platform_source, "src.1.cdp.3.1.platform");
	assert_string_equal(d->location, "rtr-1 (10.0.0.1) Gi0/0/2, CDP "
	    "neighbour");
	/* A switch (0x08): the port is an uplink for anything else. */
	assert_int_equal(edge(d)->uplink, 1);
	locate_free(L);
}

/* The device of that sysname, or fails. */
static const struct locate_device *
by_name(const struct locate *L, const char *name)
{
	const struct locate_device *d;
	size_t i;

	for (i = 0; i < locate_ndevices(L); i++) {
		d = locate_device_get(L, i);
		if (d->sysname != NULL && strcmp(d->sysname, name) == 0)
			return d;
	}
	fail_msg("no device %s", name);
	return NULL;
}

/*
 * What a neighbour's capabilities make of the port it is seen on (an
 * uplink, whose other devices are not located there) and what its
 * chassis ID is: LLDP router, bridge, and bridge that is a telephone
 * (a phone's PC port: an edge); capabilities of no octets; CDP router,
 * switch that is a phone, and capabilities longer than CDP's 4 octets
 * (only the first 4 read); LLDP chassis IDs of subtype networkAddress
 * (IPv4: the device's address; another family: text), a multicast MAC
 * (no MAC), and 6 octets without a subtype (a MAC).
 */
static void
test_neighbour_caps(void **state)
{
	static const struct {
		long		 lp;
		const char	*name;
		unsigned	 caps;
		int		 uplink;
	} lt[] = {
		{ 1, "lldp-router", 0x08, 1 },
		{ 2, "lldp-phone", 0x24, 0 },
		{ 3, "lldp-bridge", 0x20, 1 },
		{ 4, "lldp-repeater", 0x40, 1 },
	};
	static const unsigned char cdpcaps[][5] = {
		{ 0, 0, 0, 0x01, 0 },	/* router */
		{ 0, 0, 0, 0x88, 0 },	/* switch, phone */
		{ 0, 0, 0, 0, 0x08 },	/* a fifth octet: not read */
	};
	static const unsigned char v4[5] = { 1, 10, 0, 70, 9 };
	static const unsigned char v6[5] = { 2, 10, 0, 70, 9 };
	static const unsigned char mc[6] = { 1, 0, 0x5e, 0, 0, 1 };
	static const unsigned char uni[6] = { 0x28, 0x57, 0xbe, 0, 7, 7 };
	struct locate *L = start(0);
	const struct locate_device *d;
	char item[32], name[32];
	size_t i, n;

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	for (i = 0; i < NELEM(lt); i++)
		lldp(L, S1, lt[i].lp, 1, NULL, lt[i].name, NULL, lt[i].caps);
	/* Capabilities of no octets: not a switch. */
	text(L, S1, OBS_NEIGHBOR, "lldp.9.1", "sysname", "lldp-nocaps");
	row(L, S1, OBS_NEIGHBOR, "lldp.9.1", "caps", VAL_HEX, "", 0);
	for (i = 0; i < NELEM(cdpcaps); i++) {
		snprintf(item, sizeof(item), "cdp.%zu.1", i + 1);
		snprintf(name, sizeof(name), "cdp-%zu", i + 1);
		num(L, R1, OBS_NEIGHBOR, item, "ifindex", (long)i + 1);
		text(L, R1, OBS_NEIGHBOR, item, "sysname", name);
		row(L, R1, OBS_NEIGHBOR, item, "caps", VAL_HEX, cdpcaps[i],
		    i == 2 ? 5 : 4);
	}
	num(L, S1, OBS_NEIGHBOR, "lldp.5.1", "chassistype", 5);
	row(L, S1, OBS_NEIGHBOR, "lldp.5.1", "chassis", VAL_HEX, v4, 5);
	num(L, S1, OBS_NEIGHBOR, "lldp.6.1", "chassistype", 5);
	row(L, S1, OBS_NEIGHBOR, "lldp.6.1", "chassis", VAL_HEX, v6, 5);
	num(L, S1, OBS_NEIGHBOR, "lldp.7.1", "chassistype", 4);
	row(L, S1, OBS_NEIGHBOR, "lldp.7.1", "chassis", VAL_HEX, mc, 6);
	text(L, S1, OBS_NEIGHBOR, "lldp.7.1", "sysname", "lldp-multicast");
	num(L, S1, OBS_NEIGHBOR, "lldp.8.1", "localport", 8);
	row(L, S1, OBS_NEIGHBOR, "lldp.8.1", "chassis", VAL_HEX, uni, 6);
	solve(L);
	for (i = 0; i < NELEM(lt); i++) {
		d = by_name(L, lt[i].name);
		if (edge(d)->uplink != lt[i].uplink)
			fail_msg("%s: uplink %d, want %d", lt[i].name,
			    edge(d)->uplink, lt[i].uplink);
	}
	assert_int_equal(edge(by_name(L, "lldp-nocaps"))->uplink, 0);
	assert_int_equal(edge(by_name(L, "cdp-1"))->uplink, 1);
	assert_int_equal(edge(by_name(L, "cdp-2"))->uplink, 0);
	assert_int_equal(edge(by_name(L, "cdp-3"))->uplink, 0);
	assert_int_equal(by_name(L, "lldp-multicast")->has_mac, 0);
	d = by_mac(L, "28:57:be:00:07:07");
	assert_null(d->sysname);
	for (i = n = 0; i < locate_ndevices(L); i++) {
		d = locate_device_get(L, i);
		if (d->nips == 1 && strcmp(d->ips[0].ip, "10.0.70.9") == 0) {
			n++;
			assert_int_equal(d->has_mac, 0);
			assert_null(d->chassis);
		}
		if (d->chassis != NULL) {
			n += 10;
			assert_string_equal(d->chassis, "0x020a004609");
		}
	}
	assert_int_equal(n, 11);
	/* 6 LLDP by name, 3 CDP, the two chassis IDs, one MAC: 12. */
	assert_int_equal(locate_ndevices(L), 12);
	locate_free(L);
}

/*
 * An access switch of 600 ports, one device on each: the join's hash
 * map grows past its first size (2026-12-05: no test had more than a
 * few hundred keys), and every device is still found at its own port.
 */
static void
test_many_ports(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;
	char m[18], want[24];
	unsigned i;

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	for (i = 1; i <= 600; i++) {
		bport(L, S1, i);
		snprintf(m, sizeof(m), "00:14:22:00:%02x:%02x", i >> 8,
		    i & 0xffu);
		fdb(L, S1, 1, m, i);
	}
	solve(L);
	assert_int_equal(locate_ndevices(L), 600);
	for (i = 1; i <= 600; i++) {
		snprintf(m, sizeof(m), "00:14:22:00:%02x:%02x", i >> 8,
		    i & 0xffu);
		d = by_mac(L, m);
		snprintf(want, sizeof(want), "Gi1/0/%u", i);
		assert_string_equal(edge(d)->port, want);
		assert_int_equal(edge(d)->uplink, 0);
	}
	locate_free(L);
}

/*
 * Neighbours whose chassis MAC and management address join MACs into one
 * device, in a chain: sw-b (chassis B) has the address a router's ARP
 * gives MAC C; the nameless neighbour A has the address the ARP gives B
 * -- one device of A, B and C, that takes sw-b's name and both
 * addresses; ap-d's address is its own chassis MAC's (nothing to join).
 */
static void
test_neighbour_chain(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;
	size_t i, n;

	(void)state;
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	iface(L, R1, 20, "Vlan20", NULL);
	arp(L, R1, 20, "10.0.20.5", "28:57:be:00:00:0c");
	arp(L, R1, 20, "10.0.20.6", "28:57:be:00:00:0b");
	arp(L, R1, 20, "10.0.20.7", "28:57:be:00:00:0d");
	lldp(L, S1, 1, 1, "28:57:be:00:00:0b", "sw-b", NULL, 0x20);
	lldpman(L, S1, 1, 1, "10.0.20.5");
	lldp(L, S1, 2, 1, "28:57:be:00:00:0a", NULL, "Linux", 0);
	lldpman(L, S1, 2, 1, "10.0.20.6");
	lldp(L, S1, 3, 1, "28:57:be:00:00:0d", "ap-d", NULL, 0);
	lldpman(L, S1, 3, 1, "10.0.20.7");
	solve(L);
	assert_int_equal(locate_ndevices(L), 2);
	d = by_mac(L, "28:57:be:00:00:0a");
	assert_string_equal(d->sysname, "sw-b");
	assert_string_equal(d->sysdesc, "Linux");
	assert_int_equal(d->nips, 2);
	assert_string_equal(d->ips[0].ip, "10.0.20.5");
	assert_string_equal(d->ips[1].ip, "10.0.20.6");
	assert_false(has_mac(L, "28:57:be:00:00:0b"));
	assert_false(has_mac(L, "28:57:be:00:00:0c"));
	/* Seen by the router's ARP twice and the switch's LLDP twice. */
	for (i = n = 0; i < d->nseen; i++)
		n += d->seen[i].table == LOCATE_ARP;
	assert_int_equal(n, 2);
	assert_int_equal(d->nseen, 4);
	d = by_mac(L, "28:57:be:00:00:0d");
	assert_string_equal(d->sysname, "ap-d");
	assert_int_equal(d->nips, 1);
	assert_int_equal(d->nseen, 2);
	locate_free(L);
}

/*
 * What a switch says about itself: its first sysName (a second is not
 * taken), a port known by ifDescr alone, VLANs sharing one filtering
 * database (the lowest names it), a VLAN row without its database; its
 * own bridge MAC, which another switch's FDB row then names as that
 * switch (a target, not a discovered device) -- a multicast or zero MAC
 * claimed as one's own, or a MAC another target claimed first, are not
 * taken; bridge-port rows without an ifIndex are skipped.
 */
static void
test_switch_self_rows(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;

	(void)state;
	target(L, S1, "10.0.0.2", NULL, "localgov");
	target(L, S2, "10.0.0.3", "sw-2", "localgov");
	text(L, S1, OBS_SYSTEM, "", "name", "sw-1");
	text(L, S1, OBS_SYSTEM, "", "name", "sw-other");
	bport(L, S1, 5);
	num(L, S1, OBS_INTERFACE, "bp.6", "bridgeport", 6);
	num(L, S1, OBS_INTERFACE, "bp.6", "ifindex", 1006);
	text(L, S1, OBS_INTERFACE, "1006", "ifdescr", "GigabitEthernet1/0/6");
	num(L, S1, OBS_INTERFACE, "bp.7", "bridgeport", 7);
	num(L, S1, OBS_INTERFACE, "bp.v20.8", "bridgeport", 8);
	vlanmap(L, S1, 20, 2);
	vlanmap(L, S1, 10, 2);
	vlanmap(L, S1, 30, 2);
	num(L, S1, OBS_NEIGHBOR, "vlan.40", "vlan", 40);
	fdb(L, S1, 2, "28:57:be:00:05:05", 5);
	fdb(L, S1, 2, "28:57:be:00:06:06", 6);
	fdb(L, S1, 2, "28:57:be:00:07:07", 7);
	mac(L, S1, OBS_INTERFACE, "bridge", "mac", "00:11:22:33:44:02");
	mac(L, S2, OBS_INTERFACE, "self", "mac", "01:00:5e:00:00:01");
	mac(L, S2, OBS_INTERFACE, "bridge", "mac", "00:00:00:00:00:00");
	mac(L, S2, OBS_INTERFACE, "self", "mac", "00:11:22:33:44:02");
	bport(L, S2, 1);
	fdb(L, S2, -1, "00:11:22:33:44:02", 1);
	fdb(L, S2, -1, "01:00:5e:00:00:01", 1);
	solve(L);
	d = by_mac(L, "28:57:be:00:05:05");
	assert_string_equal(d->location, "sw-1 (10.0.0.2) Gi1/0/5, VLAN 10");
	d = by_mac(L, "28:57:be:00:06:06");
	assert_string_equal(d->location, "sw-1 (10.0.0.2) GigabitEthernet1/"
	    "0/6, VLAN 10");
	/* Port 7 has no ifIndex: known by its bridge port number. */
	d = by_mac(L, "28:57:be:00:07:07");
	assert_string_equal(edge(d)->port, "bridge port 7");
	/* sw-1's own MAC in sw-2's table is sw-1. */
	d = by_mac(L, "00:11:22:33:44:02");
	assert_true(d->target != SIZE_MAX);
	assert_int_equal(host_of(L, d->target), S1);
	assert_false(has_mac(L, "01:00:5e:00:00:01"));
	locate_free(L);
}

/*
 * Location texts: a switch known by name only (an imported one without
 * an address) or by neither, a switch whose name is its address; a
 * device seen only on the uplinks of more switches than the text shows
 * ("and N more"); a device's addresses IPv4 first; one device seen in
 * several tables, ports and VLANs of one switch (every sighting kept,
 * in order); MAC-less devices in a stable order.
 */
static void
test_location_texts(void **state)
{
	struct locate *L = start(1);
	const struct locate_device *d;
	char m[18], ip[32];
	long sw;
	size_t i;

	(void)state;
	target(L, 10, "", "sw-imported", "localgov");
	target(L, 11, "", NULL, "localgov");
	target(L, 12, "10.0.0.12", "10.0.0.12", "localgov");
	for (sw = 10; sw <= 12; sw++) {
		bport(L, sw, 5);
		snprintf(m, sizeof(m), "28:57:be:00:%02lx:05", sw);
		fdb(L, sw, -1, m, 5);
	}
	/* Six switches with the camera on an uplink (two MACs a port). */
	for (sw = 20; sw < 26; sw++) {
		snprintf(ip, sizeof(ip), "10.0.1.%ld", sw);
		target(L, sw, ip, NULL, "localgov");
		bport(L, sw, 24);
		fdb(L, sw, -1, "08:ed:ed:00:00:99", 24);
		snprintf(m, sizeof(m), "00:14:22:00:01:%02lx", sw);
		fdb(L, sw, -1, m, 24);
	}
	/* One neighbour, two addresses, in LLDP and two VLANs' FDB. */
	target(L, 30, "10.0.0.30", "sw-30", "localgov");
	bport(L, 30, 3);
	bport(L, 30, 4);
	vlanmap(L, 30, 10, 10);
	vlanmap(L, 30, 20, 20);
	fdb(L, 30, 20, "30:fb:b8:00:30:30", 4);
	fdb(L, 30, 10, "30:fb:b8:00:30:30", 3);
	lldp(L, 30, 3, 1, "30:fb:b8:00:30:30", "ap-30", NULL, 0);
	lldpman(L, 30, 3, 1, "2001:db8::30");
	lldpman(L, 30, 3, 1, "10.0.30.30");
	/* Two MAC-less neighbours known by chassis ID. */
	num(L, 30, OBS_NEIGHBOR, "lldp.9.1", "chassistype", 7);
	row(L, 30, OBS_NEIGHBOR, "lldp.9.1", "chassis", VAL_HEX, "zz", 2);
	num(L, 30, OBS_NEIGHBOR, "lldp.9.2", "chassistype", 7);
	row(L, 30, OBS_NEIGHBOR, "lldp.9.2", "chassis", VAL_HEX, "aa", 2);
	solve(L);
	assert_string_equal(by_mac(L, "28:57:be:00:0a:05")->location,
	    "sw-imported Gi1/0/5");
	assert_string_equal(by_mac(L, "28:57:be:00:0b:05")->location,
	    "(unnamed switch) Gi1/0/5");
	assert_string_equal(by_mac(L, "28:57:be:00:0c:05")->location,
	    "10.0.0.12 Gi1/0/5");
	d = by_mac(L, "08:ed:ed:00:00:99");
	assert_int_equal(d->edge, SIZE_MAX);
	assert_non_null(strstr(d->location, "seen only on uplinks: 10.0.1.20 "
	    "Gi1/0/24 (2 MACs learned); "));
	assert_non_null(strstr(d->location, "; and 3 more"));
	d = by_mac(L, "30:fb:b8:00:30:30");
	assert_int_equal(d->nips, 2);
	assert_string_equal(d->ips[0].ip, "10.0.30.30");
	assert_string_equal(d->ips[1].ip, "2001:db8::30");
	/* By table, then port: FDB port 3 (VLAN 10), port 4 (VLAN 20),
	   then LLDP; the edge is the LLDP port's FDB sighting. */
	assert_int_equal(d->nseen, 3);
	assert_int_equal(d->seen[0].table, LOCATE_FDB);
	assert_int_equal(d->seen[0].vlan, 10);
	assert_int_equal(d->seen[1].table, LOCATE_FDB);
	assert_int_equal(d->seen[1].vlan, 20);
	assert_int_equal(d->seen[2].table, LOCATE_LLDP);
	assert_string_equal(d->sysname, "ap-30");
	/* The MAC-less ones come last, by chassis ID. */
	i = locate_ndevices(L);
	assert_string_equal(locate_device_get(L, i - 2)->chassis, "aa");
	assert_string_equal(locate_device_get(L, i - 1)->chassis, "zz");
	locate_free(L);
}

/* ---- Hostile and malformed rows ---- */

static void
test_malformed(void **state)
{
	struct locate *L = start(0);
	struct obs_row r;
	char err[ERRLEN];
	unsigned char five[5] = { 0x28, 0x57, 0xbe, 0, 1 };

	(void)state;
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	bport(L, S1, 5);
	/* A 5-byte MAC, a port that is not a number, port 0, no port. */
	row(L, S1, OBS_NEIGHBOR, "fdb.2.x", "mac", VAL_HEX, five, 5);
	num(L, S1, OBS_NEIGHBOR, "fdb.2.x", "bridgeport", 5);
	mac(L, S1, OBS_NEIGHBOR, "fdb.2.y", "mac", "28:57:be:00:00:02");
	text(L, S1, OBS_NEIGHBOR, "fdb.2.y", "bridgeport", "five");
	fdb(L, S1, 2, "28:57:be:00:00:03", 0);
	mac(L, S1, OBS_NEIGHBOR, "fdb.2.z", "mac", "28:57:be:00:00:04");
	/* A local port that is not a number: the item's is taken. */
	text(L, S1, OBS_NEIGHBOR, "lldp.5.1", "localport", "abc");
	mac(L, S1, OBS_NEIGHBOR, "lldp.5.1", "chassis", "28:57:be:00:00:05");
	/* Items that do not parse, numbers out of range. */
	lldp(L, S1, -1, 1, "28:57:be:00:00:08", NULL, NULL, 0);
	row(L, S1, OBS_NEIGHBOR, "lldp.x.y", "sysname", VAL_TEXT, "a", 1);
	num(L, S1, OBS_INTERFACE, "bp.99999999999", "ifindex", 5);
	text(L, S1, OBS_INTERFACE, "12abc", "ifname", "junk");
	row(L, S1, OBS_NEIGHBOR, "arp.1.", "mac", VAL_TEXT, "", 0);
	row(L, S1, OBS_NEIGHBOR, "", "", VAL_TEXT, "", 0);
	/* Derived rows and other kinds are not read. */
	memset(&r, 0, sizeof(r));
	r.host = S1;
	r.channel = CHAN_DERIVED;
	r.obs.kind = OBS_NEIGHBOR;
	r.obs.item = "fdb.2.28:57:be:00:00:06";
	r.obs.attr = "mac";
	r.obs.vtype = VAL_TEXT;
	r.obs.value = "28:57:be:00:00:06";
	r.obs.len = 17;
	assert_int_equal(locate_add_row(L, &r, err, sizeof(err)), 0);
	text(L, S1, OBS_SOFTWARE, "1", "name", "28:57:be:00:00:07");
	solve(L);
	/* Only the LLDP neighbour whose local port came from the item. */
	assert_int_equal(locate_ndevices(L), 1);
	assert_true(has_mac(L, "28:57:be:00:00:05"));
	/* Rows after the join and a second join are refused. */
	assert_int_equal(locate_add_row(L, &r, err, sizeof(err)), 0);
	r.channel = CHAN_SNMP;
	assert_int_equal(locate_add_row(L, &r, err, sizeof(err)), -1);
	assert_int_equal(locate_solve(L, err, sizeof(err)), -1);
	locate_free(L);
	locate_free(NULL);
}

static void
test_empty(void **state)
{
	struct locate *L = start(0);

	(void)state;
	solve(L);
	assert_int_equal(locate_ndevices(L), 0);
	assert_null(locate_device_get(L, 0));
	assert_null(locate_target_get(L, 0));
	assert_int_equal(locate_stats_get(L)->switches, 0);
	assert_string_equal(locate_table_name(LOCATE_CDP), "cdp");
	locate_free(L);
}

/*
 * Rows that name less than they should: an FDB port with no ifIndex
 * (located at "bridge port N"), an IP two routers give different MACs
 * (stale ARP), a CDP row with no port, an LLDP
 * row with nothing to know the neighbour by, a chassis ID that is not
 * text (written in hex).  An IP with two MACs joins an LLDP neighbour
 * to neither.
 */
static void
test_partial_rows(void **state)
{
	struct locate *L = start(0);
	const struct locate_device *d;
	unsigned char bin[4] = { 0x01, 0xff, 0x00, 0x7f };
	size_t i, nchassis = 0;

	(void)state;
	target(L, R1, "10.0.0.1", "rtr-1", "telecom");
	target(L, R2, "10.0.0.4", "rtr-2", "telecom");
	target(L, S1, "10.0.0.2", "sw-1", "localgov");
	fdb(L, S1, -1, "28:57:be:aa:09:09", 9);
	arp(L, R1, 20, "10.0.20.50", "28:57:be:aa:05:01");
	arp(L, R2, 20, "10.0.20.50", "28:57:be:aa:05:02");
	num(L, S1, OBS_NEIGHBOR, "lldp.3.1", "localport", 3);
	text(L, S1, OBS_NEIGHBOR, "lldp.3.1", "sysname", "ap-3");
	row(L, S1, OBS_NEIGHBOR, "lldp.3.1", "ip", VAL_IPADDR, "10.0.20.50",
	    10);
	num(L, S1, OBS_NEIGHBOR, "lldp.4.1", "localport", 4);
	num(L, S1, OBS_NEIGHBOR, "lldp.5.1", "chassistype", 7);
	row(L, S1, OBS_NEIGHBOR, "lldp.5.1", "chassis", VAL_HEX, bin, 4);
	text(L, R1, OBS_NEIGHBOR, "cdp.x.1", "sysname", "no-port");
	solve(L);
	d = by_mac(L, "28:57:be:aa:09:09");
	assert_string_equal(edge(d)->port, "bridge port 9");
	assert_string_equal(d->location, "sw-1 (10.0.0.2) bridge port 9");
	/* Each router's entry stands for itself... */
	assert_int_equal(by_mac(L, "28:57:be:aa:05:01")->nips, 1);
	assert_int_equal(by_mac(L, "28:57:be:aa:05:02")->nips, 1);
	assert_null(by_mac(L, "28:57:be:aa:05:01")->sysname);
	assert_null(by_mac(L, "28:57:be:aa:05:02")->sysname);
	for (i = 0; i < locate_ndevices(L); i++) {
		d = locate_device_get(L, i);
		assert_true(d->sysname == NULL ||
		    strcmp(d->sysname, "no-port") != 0);
		if (d->chassis != NULL) {
			nchassis++;
			assert_string_equal(d->chassis, "0x01ff007f");
		}
		if (d->sysname != NULL && strcmp(d->sysname, "ap-3") == 0) {
			/* ...but the LLDP neighbour at 10.0.20.50 is
			   joined to neither: known by its IP, no MAC. */
			assert_int_equal(d->has_mac, 0);
			assert_int_equal(d->nips, 1);
			assert_string_equal(d->ips[0].ip, "10.0.20.50");
		}
	}
	assert_int_equal(nchassis, 1);
	/* ARP x2, FDB, LLDP ap-3 and the binary chassis: five. */
	assert_int_equal(locate_ndevices(L), 5);
	locate_free(L);
}

/* ---- The store pass ---- */

static int64_t
store_target(struct store *s, int64_t run, const char *addr,
    const char *sector, const char *owner)
{
	struct host_info hi;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	hi.h.sector = sector;
	hi.h.site = "HQ";
	hi.h.owner = owner;
	hi.h.criticality = 5;
	return host_assessed(s, run, &hi);
}

static void
store_row(struct store *s, int64_t run, int64_t h, enum obs_kind k,
    const char *item, const char *attr, enum value_type vt, const void *v,
    size_t len)
{
	obs_stored(s, run, h, k, item, attr, "1.3.6.1.2.1.17.7.1.2.2.1.2.x",
	    vt, v, len);
}

/* A store on :memory: with a run of kind begun; *run its id. */
static struct store *
store_begin(const char *kind, int64_t *run)
{
	struct store *s = NULL;
	struct run_info ri;
	char err[ERRLEN];

	assert_int_equal(store_open(":memory:", STORE_WRITE, &s, err,
	    sizeof(err)), 0);
	memset(&ri, 0, sizeof(ri));
	ri.kind = kind;
	assert_int_equal(store_run_begin(s, &ri, err, sizeof(err)), 0);
	*run = ri.id;
	return s;
}

/* Switch h's bridge port 5, interface 1005 "Gi1/0/5". */
static void
store_port5(struct store *s, int64_t run, int64_t h)
{
	store_row(s, run, h, OBS_INTERFACE, "bp.5", "ifindex", VAL_INT,
	    "1005", 4);
	store_row(s, run, h, OBS_INTERFACE, "1005", "ifname", VAL_TEXT,
	    "Gi1/0/5", 7);
}

/* Switch h's FDB row item: MAC m on bridge port 5, in FDB fdbid. */
static void
store_fdb5(struct store *s, int64_t run, int64_t h, const char *item,
    const unsigned char *m, const char *fdbid)
{
	store_row(s, run, h, OBS_NEIGHBOR, item, "mac", VAL_HEX, m, 6);
	if (fdbid != NULL)
		store_row(s, run, h, OBS_NEIGHBOR, item, "fdbid", VAL_INT,
		    fdbid, strlen(fdbid));
	store_row(s, run, h, OBS_NEIGHBOR, item, "bridgeport", VAL_INT, "5",
	    1);
}

/*
 * The store pass's network: router 10.0.0.1 (telecom, NOC) whose ARP
 * table has camera m at 10.0.20.11, and switch 10.0.0.2 (localgov, City
 * IT) with its bridge port 5; their host ids in *r1 and *s1.
 */
static void
store_net(struct store *s, int64_t run, const unsigned char *m,
    int64_t *r1, int64_t *s1)
{
	*r1 = store_target(s, run, "10.0.0.1", "telecom", "NOC");
	*s1 = store_target(s, run, "10.0.0.2", "localgov", "City IT");
	store_row(s, run, *r1, OBS_NEIGHBOR, "arp.20.10.0.20.11", "ip",
	    VAL_IPADDR, "10.0.20.11", 10);
	store_row(s, run, *r1, OBS_NEIGHBOR, "arp.20.10.0.20.11", "mac",
	    VAL_HEX, m, 6);
	store_port5(s, run, *s1);
}

struct seen_rows {
	int64_t		 host;
	unsigned	 derived, mac, oui, location, seen_rows;
	char		 location_text[256];
};

static int
count_rows(void *arg, const struct obs_row *r)
{
	struct seen_rows *c = arg;

	if (r->channel != CHAN_DERIVED)
		return 0;
	c->derived++;
	c->host = r->host;
	assert_int_equal(r->obs.kind, OBS_NEIGHBOR);
	assert_string_equal(r->h.address, "10.0.20.11");
	assert_string_equal(r->h.name, "28:57:be:aa:01:01");
	assert_string_equal(r->h.sector, "localgov");
	assert_int_equal(r->h.criticality, 5);
	if (strcmp(r->obs.attr, "mac") == 0)
		c->mac++;
	if (strcmp(r->obs.attr, "oui_org") == 0) {
		c->oui++;
		assert_memory_equal(r->obs.value, HIKVISION,
		    strlen(HIKVISION));
		assert_non_null(strstr(r->obs.source, "; MA-L 28:57:BE"));
	}
	if (strcmp(r->obs.attr, "location") == 0 && r->obs.item[0] == '\0') {
		c->location++;
		assert_true(r->obs.len < sizeof(c->location_text));
		memcpy(c->location_text, r->obs.value, r->obs.len);
	}
	if (strncmp(r->obs.item, "seen.", 5) == 0)
		c->seen_rows++;
	return 0;
}

static int
check_cover(void *arg, const struct coverage_row *r)
{
	unsigned *n = arg;

	if (r->cov.channel != CHAN_DERIVED)
		return 0;
	(*n)++;
	assert_string_equal(r->cov.probe, "locate");
	assert_int_equal(r->cov.status, COV_OK);
	if (strcmp(r->h.address, "10.0.0.1") == 0)
		assert_string_equal(r->cov.detail, "ARP 1, FDB 0, LLDP 0, "
		    "CDP 0 rows; 0 devices located at its ports; 0 uplink "
		    "ports");
	else
		assert_string_equal(r->cov.detail, "ARP 0, FDB 2, LLDP 0, "
		    "CDP 0 rows; 1 device located at its ports; 0 uplink "
		    "ports; vendor unknown: 1 row with a randomised (locally "
		    "administered) MAC");
	return 0;
}

static void
test_store_pass(void **state)
{
	struct store *s;
	struct run_info ri;
	struct locate_opts o;
	struct locate_stats st;
	struct seen_rows c;
	char err[ERRLEN];
	int64_t r1, s1;
	unsigned char cam[6] = { 0x28, 0x57, 0xbe, 0xaa, 0x01, 0x01 };
	unsigned char rnd[6] = { 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f };
	unsigned ncov = 0;

	(void)state;
	memset(&ri, 0, sizeof(ri));
	s = store_begin("scan", &ri.id);
	store_net(s, ri.id, cam, &r1, &s1);
	store_fdb5(s, ri.id, s1, "fdb.2.cam", cam, NULL);
	store_fdb5(s, ri.id, s1, "fdb.2.rnd", rnd, NULL);
	memset(&o, 0, sizeof(o));
	o.oui = reg;
	if (locate_run(s, ri.id, &o, &st, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(st.devices, 1);
	assert_int_equal(st.discovered, 1);
	assert_int_equal(st.randomised, 1);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_each_observation(s, ri.id, 0, count_rows, &c,
	    err, sizeof(err)), 0);
	assert_true(c.host != r1 && c.host != s1);
	assert_int_equal(c.mac, 1);
	assert_int_equal(c.oui, 1);
	assert_int_equal(c.location, 1);
	assert_string_equal(c.location_text, "10.0.0.2 Gi1/0/5");
	/* Sightings: table, via, ifname, ifindex, bridgeport and vlan
	   when known, location: ARP without an ifIndex (4 rows), FDB
	   without an FDB id (6). */
	assert_int_equal(c.seen_rows, 10);
	assert_int_equal(store_each_coverage(s, ri.id, check_cover, &ncov,
	    err, sizeof(err)), 0);
	assert_int_equal(ncov, 2);	/* the router and the switch */
	assert_int_equal(store_run_get(s, ri.id, &ri, err, sizeof(err)), 0);
	assert_string_equal(ri.oui_registry, oui_describe(reg));
	/* Without a registry: "none". */
	memset(&ri, 0, sizeof(ri));
	ri.kind = "scan";
	assert_int_equal(store_run_begin(s, &ri, err, sizeof(err)), 0);
	o.oui = NULL;
	assert_int_equal(locate_run(s, ri.id, &o, NULL, err, sizeof(err)), 0);
	assert_int_equal(store_run_get(s, ri.id, &ri, err, sizeof(err)), 0);
	assert_string_equal(ri.oui_registry, "none");
	store_close(s);
}

/*
 * The store pass over every kind of device: a camera by ARP and FDB (IP
 * and MAC: named by its MAC), an LLDP neighbour with a MAC chassis, a
 * name and a management address ("NAME (MAC)"), one with a locally
 * assigned chassis and a name only (known by its chassis), a CDP
 * neighbour by IP only, devices whose MAC falls in an MA-M and an MA-S
 * block; each device's host and rows as the matcher will see them.
 */
struct dev_rows {
	char	 lines[8192];
};

static int
collect_derived(void *arg, const struct obs_row *r)
{
	struct dev_rows *c = arg;
	size_t at = strlen(c->lines);

	if (r->channel != CHAN_DERIVED || strncmp(r->obs.item, "seen.", 5) ==
	    0)
		return 0;
	if (r->obs.vtype == VAL_HEX)
		snprintf(c->lines + at, sizeof(c->lines) - at, "%s|%s|%s=hex\n",
		    r->h.name != NULL ? r->h.name : "-", r->h.address,
		    r->obs.attr);
	else
		snprintf(c->lines + at, sizeof(c->lines) - at,
		    "%s|%s|%s=%.*s|%s\n", r->h.name != NULL ? r->h.name : "-",
		    r->h.address, r->obs.attr, (int)r->obs.len,
		    (const char *)r->obs.value,
		    r->obs.source != NULL ? r->obs.source : "");
	return 0;
}

/* locate_run() on run with registry oui; the derived rows in c. */
static void
locate_lines(struct store *s, int64_t run, const struct oui_registry *oui,
    struct locate_stats *st, struct dev_rows *c)
{
	struct locate_opts o;
	char err[ERRLEN];

	memset(&o, 0, sizeof(o));
	o.oui = oui;
	if (locate_run(s, run, &o, st, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	memset(c, 0, sizeof(*c));
	assert_int_equal(store_each_observation(s, run, 0, collect_derived,
	    c, err, sizeof(err)), 0);
}

static void
test_store_devices(void **state)
{
	struct store *s;
	struct locate_stats st;
	struct dev_rows c;
	int64_t run, r1, s1;
	unsigned char cam[6] = { 0x28, 0x57, 0xbe, 0xaa, 0x01, 0x01 };
	unsigned char hw[6] = { 0x30, 0xfb, 0xb8, 0x00, 0x21, 0x21 };
	unsigned char mam[6] = { 0x40, 0x2c, 0x76, 0x10, 0x00, 0x01 };
	unsigned char mas[6] = { 0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0x01 };

	(void)state;
	s = store_begin("scan", &run);
	store_net(s, run, cam, &r1, &s1);
	store_row(s, run, r1, OBS_NEIGHBOR, "cdp.3.1", "sysname", VAL_TEXT,
	    "zxr10", 5);
	store_row(s, run, r1, OBS_NEIGHBOR, "cdp.3.1", "ip", VAL_IPADDR,
	    "10.0.70.5", 9);
	store_row(s, run, s1, OBS_NEIGHBOR, "vlan.20", "vlan", VAL_INT,
	    "20", 2);
	store_row(s, run, s1, OBS_NEIGHBOR, "vlan.20", "fdbid", VAL_INT,
	    "2", 1);
	store_fdb5(s, run, s1, "fdb.2.cam", cam, "2");
	store_fdb5(s, run, s1, "fdb.9.mam", mam, "9");
	store_fdb5(s, run, s1, "fdb.mas", mas, NULL);
	store_row(s, run, s1, OBS_NEIGHBOR, "lldp.6.1", "localport",
	    VAL_INT, "6", 1);
	store_row(s, run, s1, OBS_NEIGHBOR, "lldp.6.1", "chassistype",
	    VAL_INT, "4", 1);
	store_row(s, run, s1, OBS_NEIGHBOR, "lldp.6.1", "chassis", VAL_HEX,
	    hw, 6);
	store_row(s, run, s1, OBS_NEIGHBOR, "lldp.6.1", "sysname",
	    VAL_TEXT, "huawei-ar", 9);
	store_row(s, run, s1, OBS_NEIGHBOR, "lldp.6.1", "ip", VAL_IPADDR,
	    "10.0.60.21", 10);
	store_row(s, run, s1, OBS_NEIGHBOR, "lldp.7.2", "chassistype",
	    VAL_INT, "7", 1);
	store_row(s, run, s1, OBS_NEIGHBOR, "lldp.7.2", "chassis", VAL_HEX,
	    "local-id", 8);
	store_row(s, run, s1, OBS_NEIGHBOR, "lldp.7.2", "sysname",
	    VAL_TEXT, "ZTE-OLT", 7);
	locate_lines(s, run, reg, &st, &c);
	assert_int_equal(st.devices, 6);
#define HAS(x) assert_non_null(strstr(c.lines, x "\n"))
	/* IP and MAC: named by its MAC, addressed by its IP. */
	HAS("28:57:be:aa:01:01|10.0.20.11|location=10.0.0.2 Gi1/0/5, VLAN 20|"
	    "locate");
	HAS("28:57:be:aa:01:01|10.0.20.11|oui_org=" HIKVISION "|1.3.6.1.2.1."
	    "17.7.1.2.2.1.2.x; MA-L 28:57:BE");
	/* A name, a MAC chassis and a management address. */
	HAS("huawei-ar (30:fb:b8:00:21:21)|10.0.60.21|sysname=huawei-ar|"
	    "1.3.6.1.2.1.17.7.1.2.2.1.2.x");
	HAS("huawei-ar (30:fb:b8:00:21:21)|10.0.60.21|location=10.0.0.2 LLDP "
	    "port 6, LLDP neighbour|locate");
	/* A MAC alone; the MA-M and MA-S blocks named in the source. */
	HAS("-|40:2c:76:10:00:01|oui_org=Shanghai Dahua Scale Factory|1.3.6.1."
	    "2.1.17.7.1.2.2.1.2.x; MA-M 40:2C:76:1");
	HAS("-|40:2c:76:10:00:01|location=10.0.0.2 Gi1/0/5, VLAN 9 "
	    "(filtering database id; no VLAN map)|locate");
	HAS("-|70:b3:d5:f2:f0:01|oui_org=TELEPLATFORMS|1.3.6.1.2.1.17.7.1.2.2."
	    "1.2.x; MA-S 70:B3:D5:F2:F");
	HAS("-|70:b3:d5:f2:f0:01|location=10.0.0.2 Gi1/0/5|locate");
	/* CDP by IP only; LLDP by a local chassis and a name only. */
	HAS("zxr10|10.0.70.5|location=10.0.0.1 ifIndex 3, CDP neighbour|"
	    "locate");
	HAS("ZTE-OLT|local-id|chassis=local-id|locate");
	HAS("ZTE-OLT|local-id|location=10.0.0.2 LLDP port 7, LLDP neighbour|"
	    "locate");
#undef HAS
	assert_null(strstr(c.lines, "zxr10|10.0.70.5|mac="));
	store_close(s);
}

/*
 * Discovered devices' own MACs (interface "self", a network discovery's
 * device): each target's vendor from its own MAC, once per target --
 * the first of two self MACs -- and none for a MAC no registry block
 * holds or a value that is no MAC.
 */
static void
test_store_self_macs(void **state)
{
	struct store *s;
	struct locate_stats st;
	struct dev_rows c;
	int64_t run, t1, t2, t3, s1;
	unsigned char hik[6] = { 0x28, 0x57, 0xbe, 0x00, 0x00, 0x01 };
	unsigned char dahua[6] = { 0xe0, 0x50, 0x8b, 0x00, 0x00, 0x01 };
	unsigned char unknown[6] = { 0x00, 0x00, 0x01, 0x02, 0x03, 0x04 };
	unsigned char cam[6] = { 0x28, 0x57, 0xbe, 0xaa, 0x01, 0x01 };

	(void)state;
	s = store_begin("import", &run);
	t1 = store_target(s, run, "10.0.9.1", "localgov", "City IT");
	t2 = store_target(s, run, "10.0.9.2", "localgov", "City IT");
	t3 = store_target(s, run, "10.0.9.3", "localgov", "City IT");
	s1 = store_target(s, run, "10.0.0.2", "localgov", "City IT");
	store_row(s, run, t1, OBS_INTERFACE, "self", "mac", VAL_HEX, hik, 6);
	store_row(s, run, t1, OBS_INTERFACE, "self", "mac", VAL_HEX, dahua,
	    6);
	store_row(s, run, t2, OBS_INTERFACE, "self", "mac", VAL_HEX,
	    unknown, 6);
	store_row(s, run, t3, OBS_INTERFACE, "self", "mac", VAL_HEX, hik, 5);
	/* A switch's table, so that locate has neighbours to join. */
	store_row(s, run, s1, OBS_INTERFACE, "bp.5", "ifindex", VAL_INT,
	    "1005", 4);
	store_fdb5(s, run, s1, "fdb.cam", cam, NULL);
	locate_lines(s, run, reg, &st, &c);
	assert_non_null(strstr(c.lines, "-|10.0.9.1|oui_org=" HIKVISION
	    "|1.3.6.1.2.1.17.7.1.2.2.1.2.x; MA-L 28:57:BE\n"));
	assert_null(strstr(c.lines, "-|10.0.9.1|oui_org=" DAHUA));
	assert_null(strstr(c.lines, "10.0.9.2|"));
	assert_null(strstr(c.lines, "10.0.9.3|"));
	/* The camera on the switch is located as ever. */
	assert_non_null(strstr(c.lines, "|location=10.0.0.2 "));
	store_close(s);
}

/*
 * A vendor from a block that is no IEEE assignment size (a manuf /40):
 * the source names it by its prefix and length.
 */
static void
test_store_other_blocks(void **state)
{
	struct oui_registry *manuf = NULL;
	struct store *s;
	struct locate_stats st;
	struct dev_rows c;
	char err[ERRLEN];
	int64_t run, s1;
	unsigned char hsrp[6] = { 0x00, 0x00, 0x0c, 0x07, 0xac, 0x2a };

	(void)state;
	assert_int_equal(oui_open(&manuf, err, sizeof(err)), 0);
	if (oui_load_file(manuf, "tests/data/oui/manuf", err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	s = store_begin("scan", &run);
	s1 = store_target(s, run, "10.0.0.2", "localgov", "City IT");
	store_row(s, run, s1, OBS_INTERFACE, "bp.5", "ifindex", VAL_INT,
	    "1005", 4);
	store_fdb5(s, run, s1, "fdb.hsrp", hsrp, NULL);
	locate_lines(s, run, manuf, &st, &c);
	if (strstr(c.lines, "|oui_org=All-HSRP-routers|1.3.6.1.2.1.17.7.1.2."
	    "2.1.2.x; 00:00:0C:07:AC/40\n") == NULL)
		fail_msg("%s", c.lines);
	store_close(s);
	oui_close(manuf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_ip_from_other_router),
		cmocka_unit_test(test_vlan_contexts),
		cmocka_unit_test(test_arp_only),
		cmocka_unit_test(test_uplink_by_count),
		cmocka_unit_test(test_uplink_by_neighbour),
		cmocka_unit_test(test_several_switches),
		cmocka_unit_test(test_randomised_and_multicast),
		cmocka_unit_test(test_polled_targets),
		cmocka_unit_test(test_lldp_join),
		cmocka_unit_test(test_lldp_local_ports),
		cmocka_unit_test(test_cdp),
		cmocka_unit_test(test_neighbour_caps),
		cmocka_unit_test(test_many_ports),
		cmocka_unit_test(test_neighbour_chain),
		cmocka_unit_test(test_switch_self_rows),
		cmocka_unit_test(test_location_texts),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_store_pass),
		cmocka_unit_test(test_store_devices),
		cmocka_unit_test(test_store_self_macs),
		cmocka_unit_test(test_store_other_blocks),
		cmocka_unit_test(test_partial_rows),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
