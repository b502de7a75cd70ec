/*
 * Unit tests for netinv: network inventories written by the Debian
 * fusioninventory-agent's netdiscovery and netinventory tasks against the
 * fixture fleet (tests/data/netinv/regen.sh), the same converted to GLPI
 * JSON (tests/data/netinv/fi2glpi.py), GLPI Agent JSON written from the
 * inventory_format schema, and hostile documents.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/xmlmemory.h>

#include "mac.h"
#include "netinv.h"
#include "util.h"

#define D	"tests/data/netinv/"
#define MAXOBS	2048
#define MAXDEV	8
/*
 * The work a refused document may cost libxml2, in allocations
 * (xml_calls): a refused document is refused early.
 */
#define HOSTILE_WORK	100

/* libxml2's allocation requests, counted (installed in main()). */
static long xml_calls;

static void *
xml_malloc(size_t n)
{
	xml_calls++;
	return malloc(n);
}

static void *
xml_realloc(void *p, size_t n)
{
	xml_calls++;
	return realloc(p, n);
}

static char *
xml_strdup(const char *s)
{
	xml_calls++;
	return strdup(s);
}

struct rec {
	int		 dev;		/* device it follows, from 0 */
	enum obs_kind	 kind;
	char		 item[48];
	char		 attr[24];
	char		 source[160];
	enum value_type	 vtype;
	char		 value[512];	/* hex values as aa:bb:.. */
};

struct seen {
	struct rec	 obs[MAXOBS];
	size_t		 n;
	size_t		 ndev;
	struct {
		char	 ip[64], mac[18], name[64], serial[64], type[32];
		char	 element[32], coverage[512];
		size_t	 ord;
		enum netinv_query q;
	} dev[MAXDEV];
	int		 fail_device;
	size_t		 calls;		/* callbacks so far */
	size_t		 fail_at;	/* the callback that fails; 0 none */
};

/* Counts a callback; 1 when it is the one that must fail. */
static int
sink_fails(struct seen *s)
{
	s->calls++;
	if (s->fail_at == 0)
		return 0;
	/* Nothing is called after a callback failed. */
	assert_true(s->calls <= s->fail_at);
	return s->calls == s->fail_at;
}

static void
keep(char *dst, const char *src, size_t len)
{
	str_copy(dst, src != NULL ? src : "", len);
}

static int
on_device(void *arg, const struct netinv_device *d)
{
	struct seen *s = arg;

	if (s->fail_device || sink_fails(s))
		return -1;
	assert_true(s->ndev < MAXDEV);
	keep(s->dev[s->ndev].ip, d->ip, sizeof(s->dev[0].ip));
	keep(s->dev[s->ndev].mac, d->mac, sizeof(s->dev[0].mac));
	keep(s->dev[s->ndev].name, d->name, sizeof(s->dev[0].name));
	keep(s->dev[s->ndev].serial, d->serial, sizeof(s->dev[0].serial));
	keep(s->dev[s->ndev].type, d->type, sizeof(s->dev[0].type));
	keep(s->dev[s->ndev].element, d->element,
	    sizeof(s->dev[0].element));
	keep(s->dev[s->ndev].coverage, d->coverage,
	    sizeof(s->dev[0].coverage));
	s->dev[s->ndev].ord = d->ord;
	s->dev[s->ndev].q = d->query;
	s->ndev++;
	return 0;
}

static int
on_observe(void *arg, const struct observation *o)
{
	struct seen *s = arg;
	struct rec *r;

	if (sink_fails(s))
		return -1;
	assert_true(s->ndev > 0);	/* its device came first */
	assert_true(s->n < MAXOBS);
	assert_true(obs_attr_valid(o->kind, o->attr));
	assert_true(o->len > 0);
	r = &s->obs[s->n++];
	r->dev = (int)s->ndev - 1;
	r->kind = o->kind;
	r->vtype = o->vtype;
	keep(r->item, o->item, sizeof(r->item));
	keep(r->attr, o->attr, sizeof(r->attr));
	keep(r->source, o->source, sizeof(r->source));
	if (o->vtype == VAL_HEX) {
		assert_int_equal(o->len, 6);
		mac_format(o->value, r->value);
	} else {
		assert_true(o->len < sizeof(r->value));
		memcpy(r->value, o->value, o->len);
		r->value[o->len] = '\0';
		assert_int_equal(strlen(r->value), o->len);
	}
	return 0;
}

static struct seen *
seen_new(void)
{
	struct seen *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	return s;
}

static enum inventory_rc
parse(const char *path, struct seen *s, const struct inventory_limits *lim,
    struct netinv_stats *st, char *err)
{
	struct netinv_sink sink = { s, on_device, on_observe };
	enum inventory_rc rc;
	char *buf;
	size_t len;

	err[0] = '\0';
	if (file_read_all(path, 1 << 24, &buf, &len, err, ERRLEN) != 0)
		fail_msg("%s", err);
	if (strstr(path, ".json") != NULL)
		rc = netinv_json_parse(buf, len, lim, &sink, st, err, ERRLEN);
	else
		rc = netinv_xml_parse(buf, len, lim, &sink, st, err, ERRLEN);
	free(buf);
	return rc;
}

static enum inventory_rc
parse_str(const char *doc, int json, struct seen *s,
    const struct inventory_limits *lim, char *err)
{
	struct netinv_sink sink = { s, on_device, on_observe };

	err[0] = '\0';
	return json ? netinv_json_parse(doc, strlen(doc), lim, &sink, NULL,
	    err, ERRLEN) : netinv_xml_parse(doc, strlen(doc), lim, &sink,
	    NULL, err, ERRLEN);
}

/* The value of (kind, item, attr), or NULL. */
static const struct rec *
find(const struct seen *s, enum obs_kind k, const char *item,
    const char *attr)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->obs[i].kind == k && strcmp(s->obs[i].item, item) == 0 &&
		    strcmp(s->obs[i].attr, attr) == 0)
			return &s->obs[i];
	return NULL;
}

static const char *
val(const struct seen *s, enum obs_kind k, const char *item,
    const char *attr)
{
	const struct rec *r = find(s, k, item, attr);

	return r != NULL ? r->value : NULL;
}

static size_t
count(const struct seen *s, enum obs_kind k, const char *prefix,
    const char *attr)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		if (s->obs[i].kind == k && strncmp(s->obs[i].item, prefix,
		    strlen(prefix)) == 0 && strcmp(s->obs[i].attr, attr) == 0)
			n++;
	return n;
}

/* The access switch of the fleet, as the agent's netinventory saw it. */
static void
test_fi_access_switch(void **state)
{
	struct seen *s = seen_new();
	struct netinv_stats st;
	const struct rec *r;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(parse(D "fi/netinventory/17-localgov-access-switch"
	    ".xml", s, NULL, &st, err), INV_OK);
	assert_int_equal(s->ndev, 1);
	assert_int_equal(s->dev[0].q, NETINV_INVENTORY);
	assert_string_equal(s->dev[0].element, "DEVICE[1]");
	assert_string_equal(s->dev[0].name, "sw-acc-17");
	assert_string_equal(s->dev[0].mac, "00:00:0c:17:00:00");
	assert_string_equal(s->dev[0].type, "NETWORKING");
	assert_string_equal(s->dev[0].ip, "");	/* the file lists none */
	assert_string_equal(s->dev[0].coverage, "SNMPQUERY DEVICE[1] "
	    "(NETWORKING): INFO; PORTS 11 (learned MACs 14, LLDP/CDP "
	    "neighbours 3); no COMPONENTS; no FIRMWARES");
	assert_int_equal(st.devices, 1);
	assert_int_equal(st.ports, 11);
	assert_int_equal(st.macs, 14);
	assert_int_equal(st.neighbours, 3);
	assert_non_null(strstr(val(s, OBS_SYSTEM, "", "descr"),
	    "Catalyst L3 Switch"));
	assert_string_equal(val(s, OBS_SYSTEM, "", "name"), "sw-acc-17");
	assert_string_equal(val(s, OBS_ENTITY, "info", "mfg"), "Cisco");
	/* No IFNUMBER in the file: ports by ordinal, their own bridge port. */
	assert_string_equal(val(s, OBS_INTERFACE, "1", "ifname"), "Gi1/0/5");
	assert_string_equal(val(s, OBS_INTERFACE, "1", "mac"),
	    "00:00:0c:17:00:05");
	assert_string_equal(val(s, OBS_INTERFACE, "bp.1", "ifindex"), "1");
	r = find(s, OBS_NEIGHBOR, "fdb.1.28:57:be:aa:01:01", "mac");
	assert_non_null(r);
	assert_int_equal(r->vtype, VAL_HEX);
	assert_string_equal(r->value, "28:57:be:aa:01:01");
	assert_string_equal(r->source, "DEVICE[1]/PORTS/PORT[1]/CONNECTIONS/"
	    "CONNECTION[1]/MAC");
	r = find(s, OBS_NEIGHBOR, "fdb.1.28:57:be:aa:01:01", "bridgeport");
	assert_non_null(r);
	assert_int_equal(r->vtype, VAL_INT);
	assert_string_equal(r->value, "1");
	/* Six MACs on the uplink, sources numbered. */
	assert_int_equal(count(s, OBS_NEIGHBOR, "fdb.10.", "mac"), 6);
	assert_string_equal(find(s, OBS_NEIGHBOR, "fdb.10.08:ed:ed:aa:02:02",
	    "mac")->source, "DEVICE[1]/PORTS/PORT[10]/CONNECTIONS/"
	    "CONNECTION[1]/MAC[3]");
	/* With a chassis MAC: LLDP, heard on its local port. */
	assert_string_equal(val(s, OBS_NEIGHBOR, "lldp.7.1", "sysname"),
	    "huawei-ar-21");
	assert_string_equal(val(s, OBS_NEIGHBOR, "lldp.7.1", "chassis"),
	    "30:fb:b8:aa:21:21");
	assert_string_equal(val(s, OBS_NEIGHBOR, "lldp.7.1", "chassistype"),
	    "4");
	assert_string_equal(val(s, OBS_NEIGHBOR, "lldp.7.1", "localport"),
	    "7");
	assert_string_equal(val(s, OBS_NEIGHBOR, "lldp.7.1", "port"),
	    "GigabitEthernet0/0/1");
	assert_non_null(strstr(val(s, OBS_NEIGHBOR, "lldp.7.1", "sysdesc"),
	    "Huawei Versatile Routing Platform"));
	assert_null(find(s, OBS_NEIGHBOR, "cdp.7.1", "sysname"));
	free(s);
}

/* The router: CDP neighbours (no chassis MAC), one with an address. */
static void
test_fi_router_cdp(void **state)
{
	struct seen *s = seen_new();
	const struct rec *r;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(parse(D "fi/netinventory/16-telecom-core-router.xml",
	    s, NULL, NULL, err), INV_OK);
	assert_string_equal(val(s, OBS_NEIGHBOR, "cdp.3.1", "sysname"),
	    "zxr10-70-5");
	assert_string_equal(val(s, OBS_NEIGHBOR, "cdp.3.1", "ifindex"), "3");
	assert_string_equal(val(s, OBS_NEIGHBOR, "cdp.3.1", "platform"),
	    "ZTE ZXR10 5250-52TM");
	r = find(s, OBS_NEIGHBOR, "cdp.3.1", "ip");
	assert_non_null(r);
	assert_int_equal(r->vtype, VAL_IPADDR);
	assert_string_equal(r->value, "10.16.70.5");
	assert_string_equal(val(s, OBS_ENTITY, "info", "model"), "CSR 1000V");
	free(s);
}

/* A discovered camera: identity, its own MAC, what the discovery said. */
static void
test_fi_discovery(void **state)
{
	struct seen *s = seen_new();
	const struct rec *r;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(parse(D "fi/netdiscovery/10-localgov-hikvision-cam"
	    ".xml", s, NULL, NULL, err), INV_OK);
	assert_int_equal(s->ndev, 1);
	assert_int_equal(s->dev[0].q, NETINV_DISCOVERY);
	assert_string_equal(s->dev[0].ip, "127.42.0.10");
	assert_string_equal(s->dev[0].mac, "44:19:b6:a1:b2:c3");
	assert_string_equal(s->dev[0].name, "CAM-TOWNHALL-ENTRANCE");
	assert_string_equal(s->dev[0].coverage, "NETDISCOVERY DEVICE[1] "
	    "(NETWORKING): discovery only (sysDescr, name, MAC); no ports, "
	    "components or software");
	assert_string_equal(val(s, OBS_SYSTEM, "", "descr"), "IP CAMERA");
	r = find(s, OBS_SYSTEM, "", "name");
	assert_string_equal(r->value, "CAM-TOWNHALL-ENTRANCE");
	assert_string_equal(r->source, "DEVICE[1]/SNMPHOSTNAME");
	r = find(s, OBS_INTERFACE, "self", "mac");
	assert_non_null(r);
	assert_string_equal(r->value, "44:19:b6:a1:b2:c3");
	assert_string_equal(r->source, "DEVICE[1]/MAC");
	free(s);
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	c = strcmp(x->item, y->item);
	if (c == 0)
		c = strcmp(x->attr, y->attr);
	if (c == 0)
		c = strcmp(x->value, y->value);
	return c != 0 ? c : (int)x->vtype - (int)y->vtype;
}

/* The GLPI JSON of a file makes the XML's observations (sources aside). */
static void
same_as_xml(const char *xml, const char *json)
{
	struct seen *a = seen_new(), *b = seen_new();
	char err[ERRLEN];
	size_t i;

	assert_int_equal(parse(xml, a, NULL, NULL, err), INV_OK);
	assert_int_equal(parse(json, b, NULL, NULL, err), INV_OK);
	assert_true(a->n > 0);
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->ndev, b->ndev);
	assert_string_equal(a->dev[0].name, b->dev[0].name);
	assert_string_equal(a->dev[0].mac, b->dev[0].mac);
	assert_string_equal(a->dev[0].ip, b->dev[0].ip);
	qsort(a->obs, a->n, sizeof(a->obs[0]), rec_cmp);
	qsort(b->obs, b->n, sizeof(b->obs[0]), rec_cmp);
	for (i = 0; i < a->n; i++)
		if (rec_cmp(&a->obs[i], &b->obs[i]) != 0)
			fail_msg("%s vs %s: %s %s %s '%s' vs %s %s '%s'", xml,
			    json, obs_kind_name(a->obs[i].kind),
			    a->obs[i].item, a->obs[i].attr, a->obs[i].value,
			    b->obs[i].item, b->obs[i].attr, b->obs[i].value);
	free(a);
	free(b);
}

static void
test_json_same_as_xml(void **state)
{
	struct seen *s = seen_new();
	char err[ERRLEN];

	(void)state;
	same_as_xml(D "fi/netinventory/17-localgov-access-switch.xml",
	    D "glpi/17-localgov-access-switch.json");
	same_as_xml(D "fi/netinventory/16-telecom-core-router.xml",
	    D "glpi/16-telecom-core-router.json");
	same_as_xml(D "fi/netinventory/01-telecom-huawei-s6720.xml",
	    D "glpi/01-telecom-huawei-s6720.json");
	same_as_xml(D "fi/netdiscovery/10-localgov-hikvision-cam.xml",
	    D "glpi/10-localgov-hikvision-cam-discovery.json");
	/* JSON sources are its own paths. */
	assert_int_equal(parse(D "glpi/17-localgov-access-switch.json", s,
	    NULL, NULL, err), INV_OK);
	assert_string_equal(find(s, OBS_NEIGHBOR, "fdb.1.28:57:be:aa:01:01",
	    "mac")->source, "network_ports[1]/connections[1]/mac");
	assert_string_equal(s->dev[0].coverage, "SNMPQUERY network_device "
	    "(Networking): network_device; network_ports 11 (learned MACs 14, "
	    "LLDP/CDP neighbours 3); no network_components; no firmwares");
	free(s);
}

/* GLPI Agent JSON: components, firmwares, VLANs, MAC arrays, big ifnumbers. */
static void
test_glpi_olt(void **state)
{
	struct seen *s = seen_new();
	char err[ERRLEN];

	(void)state;
	assert_int_equal(parse(D "glpi/olt-huawei-ma5800.json", s, NULL, NULL,
	    err), INV_OK);
	assert_string_equal(s->dev[0].ip, "10.30.0.2");
	assert_string_equal(s->dev[0].serial, "2102312SNK10K8000321");
	assert_string_equal(s->dev[0].name, "olt-north-1");
	assert_non_null(strstr(val(s, OBS_SYSTEM, "", "descr"),
	    "Huawei Integrated Access Software"));
	assert_string_equal(val(s, OBS_ENTITY, "info", "model"), "MA5800-X7");
	assert_string_equal(val(s, OBS_ENTITY, "info", "fwrev"),
	    "MA5800V100R019C10");
	assert_string_equal(val(s, OBS_ENTITY, "comp.2", "model"), "H901MPLA");
	assert_string_equal(val(s, OBS_ENTITY, "comp.2", "fwrev"),
	    "MA5800V100R019C10SPC200");
	assert_string_equal(val(s, OBS_ENTITY, "comp.2", "class"), "module");
	assert_string_equal(val(s, OBS_ENTITY, "fw.1", "fwrev"),
	    "MA5800V100R019C10");
	/* ifnumber beyond an ifIndex: ports by ordinal. */
	assert_string_equal(val(s, OBS_INTERFACE, "2", "ifname"),
	    "ethernet 0/9/0");
	assert_string_equal(val(s, OBS_NEIGHBOR, "fdb.1.04:f9:38:aa:bb:02",
	    "bridgeport"), "1");
	assert_string_equal(find(s, OBS_NEIGHBOR, "fdb.1.04:f9:38:aa:bb:02",
	    "mac")->source, "network_ports[1]/connections[1]/mac[2]");
	assert_string_equal(val(s, OBS_NEIGHBOR, "vlan.100", "fdbid"), "100");
	assert_string_equal(val(s, OBS_NEIGHBOR, "lldp.2.1", "ip"),
	    "10.30.0.1");
	assert_string_equal(val(s, OBS_NEIGHBOR, "lldp.2.1", "sysname"),
	    "core-north");
	free(s);
	s = seen_new();
	assert_int_equal(parse(D "glpi/printer-office.json", s, NULL, NULL,
	    err), INV_OK);
	assert_string_equal(s->dev[0].type, "Printer");
	assert_string_equal(val(s, OBS_INTERFACE, "1", "ifname"), "eth0");
	assert_string_equal(val(s, OBS_ENTITY, "fw.1", "fwrev"), "V2.0.178");
	free(s);
}

/* Several DEVICEs: each announced before its own observations. */
static void
test_several_devices(void **state)
{
	static const char doc[] =
	    "<REQUEST><CONTENT>"
	    "<DEVICE><IP>10.0.0.1</IP><MAC>00-11-22-33-44-55</MAC>"
	    "<SNMPHOSTNAME>a</SNMPHOSTNAME></DEVICE>"
	    "<DEVICE><IP>127.0.0.1</IP><IP>10.0.0.2</IP>"
	    "<DNSHOSTNAME>b.example</DNSHOSTNAME>"
	    "<NETBIOSNAME>B</NETBIOSNAME><SERIAL>0</SERIAL></DEVICE>"
	    "</CONTENT><QUERY>NETDISCOVERY</QUERY></REQUEST>";
	struct seen *s = seen_new();
	char err[ERRLEN];
	size_t i;

	(void)state;
	assert_int_equal(parse_str(doc, 0, s, NULL, err), INV_OK);
	assert_int_equal(s->ndev, 2);
	assert_string_equal(s->dev[0].mac, "00:11:22:33:44:55");
	assert_int_equal(s->dev[1].ord, 2);
	assert_string_equal(s->dev[1].element, "DEVICE[2]");
	assert_string_equal(s->dev[1].ip, "10.0.0.2");	/* not loopback */
	assert_string_equal(s->dev[1].name, "B");	/* NETBIOS over DNS */
	assert_string_equal(s->dev[1].serial, "");	/* a placeholder */
	for (i = 0; i < s->n; i++)
		if (strcmp(s->obs[i].source, "DEVICE[2]/NETBIOSNAME") == 0)
			assert_int_equal(s->obs[i].dev, 1);
	free(s);
}

/* Each bad file fails with its message and nothing reaches the sink. */
static void
expect_fail(const char *path, const char *msg)
{
	struct seen *s = seen_new();
	char err[ERRLEN];
	long calls = xml_calls;

	assert_int_equal(parse(path, s, NULL, NULL, err), INV_EINPUT);
	if (strstr(err, msg) == NULL)
		fail_msg("%s: '%s' not in '%s'", path, msg, err);
	assert_int_equal(s->ndev, 0);
	assert_int_equal(s->n, 0);
	calls = xml_calls - calls;
	if (calls > HOSTILE_WORK)
		fail_msg("%s: %ld libxml2 allocations (at most %d)", path,
		    calls, HOSTILE_WORK);
	free(s);
}

static void
test_hostile(void **state)
{
	static const char *const docs[][3] = {
		{ "", "0", "line 1:" },
		{ "<html/>", "0", "root element <html>" },
		{ "<REQUEST><CONTENT><DEVICE/></CONTENT><QUERY>INVENTORY"
		    "</QUERY></REQUEST>", "0", "QUERY is 'INVENTORY'" },
		{ "<REQUEST><CONTENT><DEVICE><INFO>x</INFO></DEVICE></CONTENT>"
		    "<QUERY>SNMPQUERY</QUERY></REQUEST>", "0",
		    "DEVICE[1]/INFO: expected child elements" },
		{ "{\"action\":\"inventory\",\"content\":{}}", "1",
		    "action is 'inventory'" },
		{ "{\"action\":\"netinventory\",\"content\":{}}", "1",
		    "no network_device and no network_ports" },
		{ "[1]", "1", "expected a JSON object" },
		{ "<REQUEST/>", "0", "not a network inventory: an empty "
		    "REQUEST" },
		{ "<REQUEST><CONTENT><DEVICE><INFO><"
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAA>x</"
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAA></INFO></DEVICE></CONTENT><QUERY>SNMPQUERY"
		    "</QUERY></REQUEST>", "0", "element name longer than 63 "
		    "bytes" },
		{ "<REQUEST><CONTENT><DEVICE><IP>10.0.0.1</IP>", "0",
		    "line 1:" },
		{ "{\"action\":\"netinventory\",\"content\":{"
		    "\"network_device\":{\"name\":\"a\"},"
		    "\"network_components\":[1]}}", "1",
		    "network_components: expected an object or an array of "
		    "objects" },
	};
	struct seen *s;
	char err[ERRLEN];
	size_t i;

	(void)state;
	expect_fail(D "bad/doctype.xml", "line 2: DOCTYPE");
	expect_fail(D "bad/no-device.xml", "no DEVICE");
	expect_fail(D "bad/ports-text.xml", "DEVICE[1]/PORTS: expected child "
	    "elements");
	expect_fail(D "bad/ports-string.json", "network_ports: expected an "
	    "object or an array of objects");
	expect_fail(D "bad/connection-object.json", "network_ports[1]/"
	    "connections[1]/sysname: expected a value");
	for (i = 0; i < NELEM(docs); i++) {
		s = seen_new();
		assert_int_equal(parse_str(docs[i][0], docs[i][1][0] == '1', s,
		    NULL, err), INV_EINPUT);
		if (strstr(err, docs[i][2]) == NULL)
			fail_msg("doc %zu: '%s' not in '%s'", i, docs[i][2],
			    err);
		assert_int_equal(s->ndev, 0);
		free(s);
	}
}

/*
 * Hostile GLPI JSON, one malformed value at a time: every field the reader
 * takes, in every part of a device (network_device, its addresses, ports,
 * VLANs, connections and their LLDP/CDP neighbours, components,
 * firmwares), given an object where a value belongs.  Each is refused
 * before any callback, with a message naming the path of the value.
 */
static void
test_json_hostile_fields(void **state)
{
	static const char *const dev_keys[] = {
		"comments", "description", "name", "snmphostname",
		"netbiosname", "dnshostname", "model", "mac", "location",
		"contact", "uptime", "manufacturer", "serial", "firmware",
		"macaddr", "type",
	};
	static const char *const port_keys[] = {
		"ifnumber", "ifname", "ifdescr", "mac",
	};
	static const char *const conn_keys[] = {
		"sysmac", "sysname", "sysdescr", "ip", "ifdescr", "ifnumber",
		"model",
	};
	static const char *const comp_keys[] = {
		"description", "name", "type", "manufacturer", "model",
		"serial", "firmware", "version", "revision",
	};
	static const char *const fw_keys[] = {
		"name", "description", "type", "version", "manufacturer",
	};
	static const char *const actions[] = { "netinventory",
	    "netdiscovery" };
	char doc[1024], want[160], err[ERRLEN];
	struct seen *s;
	size_t i, a, n = 0;

#define HOSTILE(want_) do {						\
	s = seen_new();							\
	if (parse_str(doc, 1, s, NULL, err) != INV_EINPUT ||		\
	    strstr(err, (want_)) == NULL)				\
		fail_msg("%s: '%s', want '%s'", doc, err, (want_));	\
	assert_int_equal(s->calls, 0);					\
	free(s);							\
	n++;								\
} while (0)

	(void)state;
	for (a = 0; a < NELEM(actions); a++)
		for (i = 0; i < NELEM(dev_keys); i++) {
			snprintf(doc, sizeof(doc), "{\"action\":\"%s\","
			    "\"content\":{\"network_device\":{\"ips\":"
			    "[\"10.0.0.1\"],\"%s\":{\"x\":1}}}}", actions[a],
			    dev_keys[i]);
			snprintf(want, sizeof(want), "network_device/%s: "
			    "expected a value", dev_keys[i]);
			HOSTILE(want);
		}
	/* Addresses, in either list. */
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":{"
	    "\"network_device\":{\"name\":\"a\",\"ips\":[{\"x\":1}]}}}",
	    sizeof(doc));
	HOSTILE("network_device: IP: expected an address");
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":{"
	    "\"network_device\":{\"name\":\"a\",\"ip\":{\"x\":1}}}}",
	    sizeof(doc));
	HOSTILE("network_device: IP: expected an address");
	for (i = 0; i < NELEM(port_keys); i++) {
		snprintf(doc, sizeof(doc), "{\"action\":\"netinventory\","
		    "\"content\":{\"network_device\":{\"name\":\"a\"},"
		    "\"network_ports\":[{\"ifnumber\":1},{\"%s\":[{}]}]}}",
		    port_keys[i]);
		snprintf(want, sizeof(want), "network_ports[2]/%s: expected "
		    "a value", port_keys[i]);
		HOSTILE(want);
	}
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":{"
	    "\"network_ports\":[{\"ifnumber\":1,\"vlans\":\"10\"}]}}",
	    sizeof(doc));
	HOSTILE("network_ports[1]/vlans: expected an object or an array of "
	    "objects");
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":{"
	    "\"network_ports\":[{\"ifnumber\":1,\"vlans\":[{\"number\":"
	    "[{}]}]}]}}", sizeof(doc));
	HOSTILE("network_ports[1]/vlans/number: expected a value");
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":{"
	    "\"network_ports\":[{\"ifnumber\":1,\"connections\":7}]}}",
	    sizeof(doc));
	HOSTILE("network_ports[1]/connections: expected an object or an "
	    "array of objects");
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":{"
	    "\"network_ports\":[{\"ifnumber\":1,\"connections\":[{\"mac\":"
	    "[\"00:11:22:33:44:55\",{}]}]}]}}", sizeof(doc));
	HOSTILE("network_ports[1]/connections[1]/mac: expected a MAC "
	    "address");
	for (i = 0; i < NELEM(conn_keys); i++) {
		snprintf(doc, sizeof(doc), "{\"action\":\"netinventory\","
		    "\"content\":{\"network_ports\":[{\"ifnumber\":3,"
		    "\"connections\":[{\"sysname\":\"up\"},{\"%s\":"
		    "{\"x\":1}}]}]}}", conn_keys[i]);
		snprintf(want, sizeof(want), "network_ports[1]/connections[2]/"
		    "%s: expected a value", conn_keys[i]);
		HOSTILE(want);
	}
	for (i = 0; i < NELEM(comp_keys); i++) {
		snprintf(doc, sizeof(doc), "{\"action\":\"netinventory\","
		    "\"content\":{\"network_device\":{\"name\":\"a\"},"
		    "\"network_components\":[{\"name\":\"c\"},{\"%s\":"
		    "{\"x\":1}}]}}", comp_keys[i]);
		snprintf(want, sizeof(want), "network_components[2]/%s: "
		    "expected a value", comp_keys[i]);
		HOSTILE(want);
	}
	for (i = 0; i < NELEM(fw_keys); i++) {
		snprintf(doc, sizeof(doc), "{\"action\":\"netinventory\","
		    "\"content\":{\"network_device\":{\"name\":\"a\"},"
		    "\"firmwares\":{\"%s\":[{}]}}}", fw_keys[i]);
		snprintf(want, sizeof(want), "firmwares[1]/%s: expected a "
		    "value", fw_keys[i]);
		HOSTILE(want);
	}
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":{"
	    "\"network_device\":[1]}}", sizeof(doc));
	HOSTILE("content/network_device: expected an object");
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":[]}",
	    sizeof(doc));
	HOSTILE("no \"content\" object");
	str_copy(doc, "{\"action\":\"netinventory\"}", sizeof(doc));
	HOSTILE("no \"content\" object");
	str_copy(doc, "{\"action\":[{}],\"content\":{}}", sizeof(doc));
	HOSTILE("action is ''");
	str_copy(doc, "{\"action\":\"netinventory\",\"content\":{", sizeof(doc));
	HOSTILE("line 1:");
#undef HOSTILE
	print_message("%zu hostile documents refused\n", n);
}

/*
 * JSON scalars as values: numbers, booleans, a list (its first value),
 * null and an empty list (absent); MACs that are not MACs are counted and
 * skipped, not fatal.
 */
static void
test_json_scalars(void **state)
{
	static const char doc[] = "{\"action\":\"netinventory\","
	    "\"content\":{\"network_device\":{\"name\":[\"core-1\","
	    "\"other\"],\"uptime\":1.5,\"contact\":true,\"location\":"
	    "false,\"model\":null,\"serial\":[],\"ips\":[\"127.0.0.1\"]},"
	    "\"network_ports\":[{\"ifnumber\":12,\"connections\":{\"mac\":"
	    "[\"zz\",\"001122\",\"00:11:22:33:44:55\"]}}]}}";
	struct netinv_stats st;
	struct netinv_sink sink;
	struct seen *s = seen_new();
	char err[ERRLEN];

	(void)state;
	sink.arg = s;
	sink.device = on_device;
	sink.observe = on_observe;
	if (netinv_json_parse(doc, strlen(doc), NULL, &sink, &st, err,
	    ERRLEN) != INV_OK)
		fail_msg("%s", err);
	assert_string_equal(val(s, OBS_SYSTEM, "", "name"), "core-1");
	assert_string_equal(val(s, OBS_SYSTEM, "", "uptime"), "1.5");
	assert_string_equal(val(s, OBS_SYSTEM, "", "contact"), "1");
	assert_string_equal(val(s, OBS_SYSTEM, "", "location"), "0");
	assert_null(find(s, OBS_ENTITY, "info", "model"));
	assert_null(find(s, OBS_ENTITY, "info", "serial"));
	/* Only loopback listed: that is the address. */
	assert_string_equal(s->dev[0].ip, "127.0.0.1");
	assert_int_equal(st.bad_macs, 2);
	assert_int_equal(st.macs, 1);
	assert_non_null(find(s, OBS_NEIGHBOR, "fdb.12.00:11:22:33:44:55",
	    "mac"));
	free(s);
}

/* The limits: elements, depth, value length (cut at a UTF-8 boundary). */
static void
test_limits(void **state)
{
	struct inventory_limits lim;
	struct netinv_stats st;
	struct netinv_sink sink;
	struct strbuf doc = STRBUF_INIT(1 << 20);
	struct seen *s = seen_new();
	char err[ERRLEN];
	size_t i;

	(void)state;
	inventory_limits_default(&lim);
	lim.max_elements = 50;
	assert_int_equal(parse(D "fi/netinventory/17-localgov-access-switch"
	    ".xml", s, &lim, NULL, err), INV_EINPUT);
	assert_non_null(strstr(err, "more than 50 elements"));
	assert_int_equal(s->ndev, 0);
	inventory_limits_default(&lim);
	lim.max_depth = 5;
	assert_int_equal(parse(D "fi/netinventory/17-localgov-access-switch"
	    ".xml", s, &lim, NULL, err), INV_EINPUT);
	assert_non_null(strstr(err, "nested deeper than 5"));
	assert_int_equal(parse(D "glpi/17-localgov-access-switch.json", s,
	    &lim, NULL, err), INV_EINPUT);
	assert_non_null(strstr(err, "nested deeper than 5"));
	assert_int_equal(s->ndev, 0);

	/* A 3000-byte name of two-byte characters, cut to 101 bytes. */
	inventory_limits_default(&lim);
	lim.max_value = 101;
	strbuf_puts(&doc, "<REQUEST><CONTENT><DEVICE><IP>10.0.0.9</IP>"
	    "<SNMPHOSTNAME>");
	for (i = 0; i < 1500; i++)
		strbuf_puts(&doc, "\xc3\xa9");
	strbuf_puts(&doc, "</SNMPHOSTNAME></DEVICE></CONTENT><QUERY>"
	    "NETDISCOVERY</QUERY></REQUEST>");
	assert_false(doc.truncated);
	sink.arg = s;
	sink.device = on_device;
	sink.observe = on_observe;
	assert_int_equal(netinv_xml_parse(doc.s, doc.len, &lim, &sink, &st,
	    err, ERRLEN), INV_OK);
	assert_int_equal(strlen(val(s, OBS_SYSTEM, "", "name")), 100);
	assert_int_equal(st.truncated, 1);
	strbuf_free(&doc);
	free(s);
}

/* Not UTF-8 (an agent writing the local code page): read as Latin-1. */
static void
test_latin1(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST><CONTENT>"
	    "<DEVICE><IP>10.0.0.3</IP><LOCATION>Salle \xe9lectrique"
	    "</LOCATION></DEVICE></CONTENT><QUERY>NETDISCOVERY</QUERY>"
	    "</REQUEST>";
	struct netinv_sink sink;
	struct netinv_stats st;
	struct seen *s = seen_new();
	char err[ERRLEN];

	(void)state;
	sink.arg = s;
	sink.device = on_device;
	sink.observe = on_observe;
	assert_int_equal(netinv_xml_parse(doc, strlen(doc), NULL, &sink, &st,
	    err, ERRLEN), INV_OK);
	assert_true(st.latin1);
	assert_string_equal(val(s, OBS_SYSTEM, "", "location"),
	    "Salle \xc3\xa9lectrique");
	free(s);
}

static void
test_sink_failure(void **state)
{
	struct seen *s = seen_new();
	char err[ERRLEN];

	(void)state;
	s->fail_device = 1;
	assert_int_equal(parse(D "fi/netdiscovery/10-localgov-hikvision-cam"
	    ".xml", s, NULL, NULL, err), INV_ESINK);
	assert_int_equal(s->n, 0);
	free(s);
}

/*
 * A sink may fail at any of its callbacks: the parse stops there (no
 * callback after it) and returns INV_ESINK, saying which sink failed --
 * for every document of the fixture fleet, in both formats, and every
 * callback of it.
 */
static void
test_sink_fails_anywhere(void **state)
{
	static const char *const dirs[] = {
		D "fi/netdiscovery", D "fi/netinventory", D "glpi",
	};
	struct dirent *de;
	struct seen *s;
	char path[512], err[ERRLEN];
	size_t i, k, total, docs = 0, faults = 0;
	DIR *d;

	(void)state;
	for (i = 0; i < NELEM(dirs); i++) {
		d = opendir(dirs[i]);
		assert_non_null(d);
		for (de = readdir(d); de != NULL; de = readdir(d)) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i],
			    de->d_name);
			s = seen_new();
			if (parse(path, s, NULL, NULL, err) != INV_OK)
				fail_msg("%s: %s", path, err);
			total = s->calls;
			assert_true(total > 0);
			free(s);
			docs++;
			for (k = 1; k <= total; k++) {
				s = seen_new();
				s->fail_at = k;
				if (parse(path, s, NULL, NULL, err) !=
				    INV_ESINK)
					fail_msg("%s: callback %zu of %zu "
					    "failed, yet: '%s'", path, k,
					    total, err);
				assert_int_equal(s->calls, k);
				if (strstr(err, "sink failed") == NULL)
					fail_msg("%s: callback %zu: '%s'",
					    path, k, err);
				free(s);
				faults++;
			}
		}
		closedir(d);
	}
	print_message("%zu documents, a sink failing at each of %zu "
	    "callbacks\n", docs, faults);
	assert_true(docs >= 30);
}

static int
teardown(void **state)
{
	(void)state;
	inventory_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fi_access_switch),
		cmocka_unit_test(test_fi_router_cdp),
		cmocka_unit_test(test_fi_discovery),
		cmocka_unit_test(test_json_same_as_xml),
		cmocka_unit_test(test_glpi_olt),
		cmocka_unit_test(test_several_devices),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_sink_failure),
		cmocka_unit_test(test_sink_fails_anywhere),
		cmocka_unit_test(test_json_hostile_fields),
		cmocka_unit_test(test_json_scalars),
	};

	xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
