/*
 * netinv: the walker over a network inventory tree -- the XML's (through
 * netinv_xml.c) or the GLPI JSON's -- that turns each device into the
 * observations netinv.h lists.  The document is walked three times: once
 * to check it all, then per device once to count what it holds (its
 * coverage text) and once to emit.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory_int.h"
#include "mac.h"
#include "netinv.h"
#include "util.h"

#define MAX_PATH	256

enum mode { CHECK, COUNT, EMIT };

/* What one device holds. */
struct counts {
	int		 info;
	size_t		 ports, macs, neighbours, components, firmwares;
	int		 descr, name, mac, model;
};

struct nstate {
	const struct inventory_limits	*lim;
	const struct netinv_sink	*sink;
	struct netinv_stats		 st;
	int				 xml;
	enum netinv_query		 query;
	enum mode			 mode;
	struct counts			 cnt;
	const char			*dev;	/* path of the device */
	struct strbuf			 val;	/* scratch value */
	unsigned char			 vlans[4096 / 8];
	int				 sink_failed;
	char				*err;
	size_t				 errlen;
};

/* --- the tree -------------------------------------------------------- */

/* Elements in v: 0 absent or empty, 1 an object, n an array. */
static int
count_of(struct nstate *ns, json_t *v, const char *path, size_t *n)
{
	size_t i;

	*n = 0;
	if (v == NULL || json_is_null(v) || (json_is_string(v) &&
	    json_string_length(v) == 0))
		return 0;
	if (json_is_object(v)) {
		*n = 1;
		return 0;
	}
	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			if (!json_is_object(json_array_get(v, i)))
				goto bad;
		*n = json_array_size(v);
		return 0;
	}
bad:
	return errf(ns->err, ns->errlen, "%s: expected %s", path, ns->xml ?
	    "child elements" : "an object or an array of objects");
}

static json_t *
item_of(json_t *v, size_t i)
{
	return json_is_array(v) ? json_array_get(v, i) : v;
}

/* obj[key] when obj is an object, else NULL. */
static json_t *
get(json_t *obj, const char *key)
{
	return obj != NULL && json_is_object(obj) ?
	    json_object_get(obj, key) : NULL;
}

/* An XML tag from its key, for messages (a static buffer). */
static const char *
key_upper(const char *key)
{
	static char buf[64];
	size_t i;

	for (i = 0; key[i] != '\0' && i + 1 < sizeof(buf); i++)
		buf[i] = (char)toupper((unsigned char)key[i]);
	buf[i] = '\0';
	return buf;
}

/* A sub-object that must be an object when present ("" is absent). */
static int
sub_object(struct nstate *ns, json_t *obj, const char *key,
    const char *path, json_t **out)
{
	json_t *v = get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v) || (json_is_string(v) &&
	    json_string_length(v) == 0))
		return 0;
	if (!json_is_object(v))
		return errf(ns->err, ns->errlen, "%s/%s: expected %s", path,
		    ns->xml ? key_upper(key) : key, ns->xml ?
		    "child elements" : "an object");
	*out = v;
	return 0;
}

/*
 * The text of scalar v into ns->val, cut to max_value: NULL when absent
 * or empty.  An array gives its first element (a repeated XML element).
 * An object is an error in the CHECK pass (*bad set).
 */
static const char *
text_of(struct nstate *ns, json_t *v, int *bad)
{
	char num[64];

	if (v != NULL && json_is_array(v))
		v = json_array_size(v) > 0 ? json_array_get(v, 0) : NULL;
	strbuf_reset(&ns->val);
	ns->val.truncated = 0;
	if (v == NULL)
		return NULL;
	switch (json_typeof(v)) {
	case JSON_STRING:
		strbuf_add(&ns->val, json_string_value(v),
		    json_string_length(v));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		strbuf_puts(&ns->val, num);
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		strbuf_puts(&ns->val, num);
		break;
	case JSON_TRUE:
		strbuf_puts(&ns->val, "1");
		break;
	case JSON_FALSE:
		strbuf_puts(&ns->val, "0");
		break;
	case JSON_NULL:
		return NULL;
	default:
		*bad = 1;
		return NULL;
	}
	if (ns->val.truncated) {
		inventory_utf8_cut(&ns->val);
		if (ns->mode == EMIT)
			ns->st.truncated++;
	}
	if (ns->val.oom) {
		*bad = 1;
		return NULL;
	}
	return ns->val.len > 0 ? ns->val.s : NULL;
}

/* obj[key] as text, or NULL; a value that is not one is an error. */
static int
field(struct nstate *ns, json_t *obj, const char *key,
    const char *path, const char **out)
{
	int bad = 0;

	*out = text_of(ns, get(obj, key), &bad);
	if (bad)
		return errf(ns->err, ns->errlen, "%s/%s: %s", path, key,
		    ns->val.oom ? "out of memory" : "expected a value");
	return 0;
}

/* A field's source: "PATH/KEY" (the tag in upper case in XML). */
static void
source(const struct nstate *ns, char *buf, size_t len, const char *path,
    const char *key)
{
	size_t n, i;

	snprintf(buf, len, "%s%s", path, *path != '\0' ? "/" : "");
	n = strlen(buf);
	for (i = 0; key[i] != '\0' && n + 1 < len; i++)
		buf[n++] = ns->xml ? (char)toupper((unsigned char)key[i]) :
		    key[i];
	buf[n] = '\0';
}

/* --- observations ---------------------------------------------------- */

static int
put(struct nstate *ns, enum obs_kind k, const char *item, const char *attr,
    enum value_type vt, const void *v, size_t len, const char *src)
{
	struct observation o = { 0 };

	if (ns->mode != EMIT)
		return 0;
	o.kind = k;
	o.item = item;
	o.attr = attr;
	o.source = src;
	o.vtype = vt;
	o.value = v;
	o.len = len;
	if (ns->sink->observe(ns->sink->arg, &o) != 0) {
		ns->sink_failed = 1;
		return errf(ns->err, ns->errlen, "the observation sink failed");
	}
	return 0;
}

/* obj[key] as a text observation, when present. */
static int
put_field(struct nstate *ns, enum obs_kind k, const char *item,
    const char *attr, json_t *obj, const char *key, const char *path)
{
	char src[MAX_PATH];
	const char *v;

	if (field(ns, obj, key, path, &v) != 0)
		return -1;
	if (v == NULL)
		return 0;
	source(ns, src, sizeof(src), path, key);
	return put(ns, k, item, attr, VAL_TEXT, v, strlen(v), src);
}

static int
put_long(struct nstate *ns, enum obs_kind k, const char *item,
    const char *attr, long v, const char *src)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%ld", v);

	return put(ns, k, item, attr, VAL_INT, buf, (size_t)n, src);
}

/* A number 1 .. 2^31-1 in text, or -1. */
static long
index_of(const char *s)
{
	long v;

	if (s == NULL || parse_long(s, 1, 0x7fffffffL, &v) != 0)
		return -1;
	return v;
}

/* --- a device -------------------------------------------------------- */

struct names {
	const char	*info;		/* INFO's path below the device */
	const char	*port;		/* "%s/PORTS/PORT[%zu]" */
	const char	*conn;
	const char	*comp;
	const char	*fw;
	const char	*vlan;
	const char	*mac;		/* "%s/MAC[%zu]" */
};

static const struct names xml_names = {
	"INFO", "%s/PORTS/PORT[%zu]", "%s/CONNECTIONS/CONNECTION[%zu]",
	"%s/COMPONENTS/COMPONENT[%zu]", "%s/FIRMWARES[%zu]",
	"%s/VLANS/VLAN[%zu]", "%s/MAC[%zu]",
};

static const struct names json_names = {
	"network_device", "%snetwork_ports[%zu]", "%s/connections[%zu]",
	"%snetwork_components[%zu]", "%sfirmwares[%zu]", "%s/vlans[%zu]",
	"%s/mac[%zu]",
};

/* The pieces of one device, wherever its format keeps them. */
struct dev {
	json_t		*info;
	json_t		*ports;
	json_t		*comps;
	json_t		*fws;
	char		 info_path[MAX_PATH];
	const char	*base;		/* "DEVICE[1]" or "" */
};

/* One learned MAC, or the MACs of a CONNECTION. */
static int
put_macs(struct nstate *ns, json_t *v, const char *cpath, long port,
    long vlan)
{
	const struct names *nm = ns->xml ? &xml_names : &json_names;
	unsigned char m[6];
	char item[48], src[MAX_PATH], mac[18];
	size_t i, n = json_is_array(v) ? json_array_size(v) : 1;
	const char *s;
	int bad = 0;

	for (i = 0; i < n; i++) {
		s = text_of(ns, item_of(v, i), &bad);
		if (bad)
			return errf(ns->err, ns->errlen, "%s/%s: expected a "
			    "MAC address", cpath, ns->xml ? "MAC" : "mac");
		if (s == NULL)
			continue;
		if (json_is_array(v))
			snprintf(src, sizeof(src), nm->mac, cpath, i + 1);
		else
			source(ns, src, sizeof(src), cpath, "mac");
		if (mac_parse(s, strlen(s), m) != 0 || strlen(s) == 6) {
			if (ns->mode == EMIT)
				ns->st.bad_macs++;
			continue;
		}
		ns->cnt.macs++;
		mac_format(m, mac);
		snprintf(item, sizeof(item), "fdb.%ld.%s", port, mac);
		if (put(ns, OBS_NEIGHBOR, item, "mac", VAL_HEX, m, 6,
		    src) != 0 ||
		    put_long(ns, OBS_NEIGHBOR, item, "bridgeport", port,
		    src) != 0 ||
		    (vlan > 0 && put_long(ns, OBS_NEIGHBOR, item, "fdbid", vlan,
		    src) != 0))
			return -1;
	}
	return 0;
}

/* An LLDP or CDP neighbour block of a CONNECTION. */
static int
put_neighbour(struct nstate *ns, json_t *c, const char *cpath,
    long port, size_t r)
{
	static const char *const keys[] = { "sysmac", "sysname", "sysdescr",
	    "ip", "ifdescr", "ifnumber", "model" };
	const char *v, *tbl;
	unsigned char m[6];
	char item[48], src[MAX_PATH], ip[64];
	size_t i;
	int has = 0, lldp;

	for (i = 0; i < NELEM(keys); i++) {
		if (field(ns, c, keys[i], cpath, &v) != 0)
			return -1;
		has |= v != NULL;
	}
	if (!has)
		return 0;
	ns->cnt.neighbours++;
	if (field(ns, c, "sysmac", cpath, &v) != 0)
		return -1;
	lldp = v != NULL && strlen(v) != 6 && mac_parse(v, strlen(v), m) == 0;
	tbl = lldp ? "lldp" : "cdp";
	snprintf(item, sizeof(item), "%s.%ld.%zu", tbl, port, r);
	source(ns, src, sizeof(src), cpath, "sysmac");
	if (lldp && (put(ns, OBS_NEIGHBOR, item, "chassis", VAL_HEX, m, 6,
	    src) != 0 ||
	    put_long(ns, OBS_NEIGHBOR, item, "chassistype", 4, src) != 0 ||
	    put_long(ns, OBS_NEIGHBOR, item, "localport", port, src) != 0))
		return -1;
	if (!lldp && put_long(ns, OBS_NEIGHBOR, item, "ifindex", port,
	    cpath) != 0)
		return -1;
	if (put_field(ns, OBS_NEIGHBOR, item, "sysname", c, "sysname",
	    cpath) != 0 ||
	    put_field(ns, OBS_NEIGHBOR, item, "sysdesc", c, "sysdescr",
	    cpath) != 0 ||
	    put_field(ns, OBS_NEIGHBOR, item, "platform", c, "model",
	    cpath) != 0)
		return -1;
	if (field(ns, c, "ifdescr", cpath, &v) != 0)
		return -1;
	if (v != NULL) {
		if (put_field(ns, OBS_NEIGHBOR, item, "port", c, "ifdescr",
		    cpath) != 0)
			return -1;
	} else if (put_field(ns, OBS_NEIGHBOR, item, "port", c, "ifnumber",
	    cpath) != 0)
		return -1;
	if (field(ns, c, "ip", cpath, &v) != 0)
		return -1;
	if (v != NULL) {
		unsigned char a[16];

		str_copy(ip, v, sizeof(ip));
		source(ns, src, sizeof(src), cpath, "ip");
		if ((inet_pton(AF_INET, ip, a) == 1 ||
		    inet_pton(AF_INET6, ip, a) == 1) &&
		    put(ns, OBS_NEIGHBOR, item, "ip", VAL_IPADDR, ip,
		    strlen(ip), src) != 0)
			return -1;
	}
	return 0;
}

/* The VLAN of an access port (exactly one VLAN), or -1. */
static int
port_vlan(struct nstate *ns, json_t *p, const char *ppath, long *vlan)
{
	json_t *vl = get(p, "vlans");
	char path[MAX_PATH + 32];
	const char *v;
	size_t n;

	*vlan = -1;
	if (ns->xml && vl != NULL && json_is_object(vl))
		vl = get(vl, "vlan");
	snprintf(path, sizeof(path), "%s/%s", ppath, ns->xml ? "VLANS" :
	    "vlans");
	if (count_of(ns, vl, path, &n) != 0)
		return -1;
	if (n != 1)
		return 0;
	if (field(ns, item_of(vl, 0), "number", path, &v) != 0)
		return -1;
	if (index_of(v) > 0 && index_of(v) < 4095)
		*vlan = index_of(v);
	return 0;
}

static int
walk_connections(struct nstate *ns, json_t *p, const char *ppath,
    long port, long vlan)
{
	const struct names *nm = ns->xml ? &xml_names : &json_names;
	json_t *cs = get(p, "connections"), *c;
	char cpath[MAX_PATH], path[MAX_PATH + 32];
	size_t n, r;

	if (ns->xml) {
		if (sub_object(ns, p, "connections", ppath, &cs) != 0)
			return -1;
		cs = get(cs, "connection");
	}
	snprintf(path, sizeof(path), "%s/%s", ppath, ns->xml ?
	    "CONNECTIONS/CONNECTION" : "connections");
	if (count_of(ns, cs, path, &n) != 0)
		return -1;
	for (r = 0; r < n; r++) {
		c = item_of(cs, r);
		snprintf(cpath, sizeof(cpath), nm->conn, ppath, r + 1);
		if (get(c, "mac") != NULL && put_macs(ns, get(c, "mac"), cpath,
		    port, vlan) != 0)
			return -1;
		if (put_neighbour(ns, c, cpath, port, r + 1) != 0)
			return -1;
	}
	return 0;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Do all ports carry a distinct IFNUMBER?  1 yes, 0 no, -1 error. */
static int
ifnumbers_usable(struct nstate *ns, const struct dev *d, size_t n)
{
	const struct names *nm = ns->xml ? &xml_names : &json_names;
	char ppath[MAX_PATH];
	const char *v;
	long *ix;
	size_t i;
	int ok = 1;

	if (n == 0)
		return 0;
	ix = calloc(n, sizeof(*ix));
	if (ix == NULL)
		return errf(ns->err, ns->errlen, "out of memory");
	for (i = 0; i < n && ok; i++) {
		snprintf(ppath, sizeof(ppath), nm->port, d->base, i + 1);
		if (field(ns, item_of(d->ports, i), "ifnumber", ppath,
		    &v) != 0) {
			free(ix);
			return -1;
		}
		ix[i] = index_of(v);
		ok = ix[i] > 0;
	}
	if (ok && n > 1) {
		qsort(ix, n, sizeof(*ix), cmp_long);
		for (i = 1; i < n && ok; i++)
			ok = ix[i] != ix[i - 1];
	}
	free(ix);
	return ok;
}

static int
walk_ports(struct nstate *ns, const struct dev *d)
{
	const struct names *nm = ns->xml ? &xml_names : &json_names;
	char ppath[MAX_PATH], item[32], bp[32], src[MAX_PATH];
	unsigned char m[6];
	const char *v;
	json_t *p;
	size_t n, i;
	long port, vlan;
	int use_ifnumber;

	snprintf(ppath, sizeof(ppath), "%s%s", d->base, ns->xml ?
	    "/PORTS/PORT" : "network_ports");
	if (count_of(ns, d->ports, ppath, &n) != 0)
		return -1;
	ns->cnt.ports = n;
	use_ifnumber = ifnumbers_usable(ns, d, n);
	if (use_ifnumber < 0)
		return -1;
	for (i = 0; i < n; i++) {
		p = item_of(d->ports, i);
		snprintf(ppath, sizeof(ppath), nm->port, d->base, i + 1);
		port = (long)i + 1;
		if (use_ifnumber) {
			if (field(ns, p, "ifnumber", ppath, &v) != 0)
				return -1;
			port = index_of(v);
		}
		snprintf(item, sizeof(item), "%ld", port);
		snprintf(bp, sizeof(bp), "bp.%ld", port);
		if (put_field(ns, OBS_INTERFACE, item, "ifname", p, "ifname",
		    ppath) != 0 ||
		    put_field(ns, OBS_INTERFACE, item, "ifdescr", p, "ifdescr",
		    ppath) != 0 ||
		    put_long(ns, OBS_INTERFACE, bp, "ifindex", port,
		    ppath) != 0 ||
		    field(ns, p, "mac", ppath, &v) != 0)
			return -1;
		source(ns, src, sizeof(src), ppath, "mac");
		if (v != NULL && strlen(v) != 6 &&
		    mac_parse(v, strlen(v), m) == 0 &&
		    put(ns, OBS_INTERFACE, item, "mac", VAL_HEX, m, 6,
		    src) != 0)
			return -1;
		if (port_vlan(ns, p, ppath, &vlan) != 0)
			return -1;
		if (vlan > 0 && !(ns->vlans[vlan / 8] & (1u << (vlan % 8)))) {
			ns->vlans[vlan / 8] |=
			    (unsigned char)(1u << (vlan % 8));
			snprintf(bp, sizeof(bp), "vlan.%ld", vlan);
			if (put_long(ns, OBS_NEIGHBOR, bp, "vlan", vlan,
			    ppath) != 0 ||
			    put_long(ns, OBS_NEIGHBOR, bp, "fdbid", vlan,
			    ppath) != 0)
				return -1;
		}
		if (walk_connections(ns, p, ppath, port, vlan) != 0)
			return -1;
	}
	return 0;
}

static int
walk_components(struct nstate *ns, const struct dev *d)
{
	static const char *const cf[][2] = {
		{ "descr", "description" }, { "name", "name" },
		{ "class", "type" }, { "mfg", "manufacturer" },
		{ "model", "model" }, { "serial", "serial" },
		{ "fwrev", "firmware" }, { "fwrev", "version" },
		{ "hwrev", "revision" },
	};
	static const char *const ff[][2] = {
		{ "name", "name" }, { "descr", "description" },
		{ "class", "type" }, { "fwrev", "version" },
		{ "mfg", "manufacturer" },
	};
	const struct names *nm = ns->xml ? &xml_names : &json_names;
	char path[MAX_PATH], item[32];
	const char *v;
	json_t *c;
	size_t n, i, k;
	int fw;

	for (fw = 0; fw < 2; fw++) {
		json_t *set = fw ? d->fws : d->comps;

		snprintf(path, sizeof(path), "%s%s", d->base, fw ?
		    (ns->xml ? "/FIRMWARES" : "firmwares") :
		    (ns->xml ? "/COMPONENTS/COMPONENT" :
		    "network_components"));
		if (count_of(ns, set, path, &n) != 0)
			return -1;
		if (fw)
			ns->cnt.firmwares = n;
		else
			ns->cnt.components = n;
		for (i = 0; i < n; i++) {
			c = item_of(set, i);
			snprintf(path, sizeof(path), fw ? nm->fw : nm->comp,
			    d->base, i + 1);
			snprintf(item, sizeof(item), "%s.%zu", fw ? "fw" :
			    "comp", i + 1);
			for (k = 0; k < (fw ? NELEM(ff) : NELEM(cf)); k++) {
				const char *const *f = fw ? ff[k] : cf[k];

				/* FIRMWARE before VERSION: one fwrev. */
				if (!fw && strcmp(f[1], "version") == 0) {
					if (field(ns, c, "firmware", path,
					    &v) != 0)
						return -1;
					if (v != NULL)
						continue;
				}
				if (put_field(ns, OBS_ENTITY, item, f[0], c,
				    f[1], path) != 0)
					return -1;
			}
		}
	}
	return 0;
}

/* The first usable address of the device (into ip[64]). */
static int
device_ip(struct nstate *ns, const struct dev *d, char ip[64])
{
	json_t *cands[2];
	json_t *ips;
	unsigned char a[16];
	const char *v;
	size_t i, k, n;
	int bad = 0;

	ip[0] = '\0';
	ips = get(d->info, "ips");
	if (ns->xml && ips != NULL && json_is_object(ips))
		ips = get(ips, "ip");
	cands[0] = ips;
	cands[1] = get(d->info, "ip");
	for (k = 0; k < NELEM(cands); k++) {
		if (cands[k] == NULL)
			continue;
		n = json_is_array(cands[k]) ? json_array_size(cands[k]) : 1;
		for (i = 0; i < n; i++) {
			v = text_of(ns, item_of(cands[k], i), &bad);
			if (bad)
				return errf(ns->err, ns->errlen, "%s: IP: "
				    "expected an address", d->info_path);
			if (v == NULL || strlen(v) >= 64)
				continue;
			if ((inet_pton(AF_INET, v, a) == 1 &&
			    a[0] != 0 && a[0] != 127) ||
			    (inet_pton(AF_INET6, v, a) == 1 &&
			    strcmp(v, "::1") != 0)) {
				str_copy(ip, v, 64);
				return 0;
			}
		}
	}
	/* Only loopback or unspecified: the first one that parses. */
	for (k = 0; k < NELEM(cands); k++) {
		if (cands[k] == NULL)
			continue;
		v = text_of(ns, item_of(cands[k], 0), &bad);
		if (v != NULL && strlen(v) < 64 &&
		    (inet_pton(AF_INET, v, a) == 1 ||
		    inet_pton(AF_INET6, v, a) == 1)) {
			str_copy(ip, v, 64);
			return 0;
		}
	}
	return 0;
}

/* The name a device goes by. */
static const char *const name_keys[] = {
	"name", "snmphostname", "netbiosname", "dnshostname",
};

static int
walk_system(struct nstate *ns, const struct dev *d)
{
	const char *v;
	size_t i;

	ns->cnt.info = d->info != NULL;
	if (d->info == NULL)
		return 0;
	if (field(ns, d->info, "comments", d->info_path, &v) != 0)
		return -1;
	ns->cnt.descr = v != NULL;
	if (put_field(ns, OBS_SYSTEM, "", "descr", d->info, v != NULL ?
	    "comments" : "description", d->info_path) != 0)
		return -1;
	if (!ns->cnt.descr) {
		if (field(ns, d->info, "description", d->info_path, &v) != 0)
			return -1;
		ns->cnt.descr = v != NULL;
	}
	for (i = 0; i < NELEM(name_keys); i++) {
		if (field(ns, d->info, name_keys[i], d->info_path, &v) != 0)
			return -1;
		if (v == NULL)
			continue;
		ns->cnt.name = 1;
		if (put_field(ns, OBS_SYSTEM, "", "name", d->info,
		    name_keys[i], d->info_path) != 0)
			return -1;
		break;
	}
	if (field(ns, d->info, "model", d->info_path, &v) != 0)
		return -1;
	ns->cnt.model = v != NULL;
	if (field(ns, d->info, "mac", d->info_path, &v) != 0)
		return -1;
	ns->cnt.mac = v != NULL;
	if (put_field(ns, OBS_SYSTEM, "", "location", d->info, "location",
	    d->info_path) != 0 ||
	    put_field(ns, OBS_SYSTEM, "", "contact", d->info, "contact",
	    d->info_path) != 0 ||
	    put_field(ns, OBS_SYSTEM, "", "uptime", d->info, "uptime",
	    d->info_path) != 0 ||
	    put_field(ns, OBS_ENTITY, "info", "mfg", d->info, "manufacturer",
	    d->info_path) != 0 ||
	    put_field(ns, OBS_ENTITY, "info", "model", d->info, "model",
	    d->info_path) != 0 ||
	    put_field(ns, OBS_ENTITY, "info", "serial", d->info, "serial",
	    d->info_path) != 0 ||
	    put_field(ns, OBS_ENTITY, "info", "fwrev", d->info, "firmware",
	    d->info_path) != 0)
		return -1;
	return 0;
}

/* The coverage text of a device, from ns->cnt. */
static void
coverage_text(const struct nstate *ns, const struct dev *d,
    const char *type, struct strbuf *sb)
{
	const struct counts *c = &ns->cnt;
	int x = ns->xml;

	strbuf_reset(sb);
	strbuf_printf(sb, "%s %s%s%s%s: ", ns->query == NETINV_DISCOVERY ?
	    "NETDISCOVERY" : "SNMPQUERY", *d->base != '\0' ? d->base :
	    "network_device", type != NULL ? " (" : "", type != NULL ? type :
	    "", type != NULL ? ")" : "");
	if (ns->query == NETINV_DISCOVERY) {
		strbuf_printf(sb, "discovery only (%s%s%s%s); no ports, "
		    "components or software", c->descr ? "sysDescr" :
		    "no sysDescr", c->name ? ", name" : "", c->mac ? ", MAC" :
		    "", c->model ? ", model" : "");
		return;
	}
	strbuf_printf(sb, "%s; ", c->info ? (x ? "INFO" : "network_device") :
	    (x ? "no INFO" : "no network_device"));
	if (c->ports > 0)
		strbuf_printf(sb, "%s %zu (learned MACs %zu, LLDP/CDP "
		    "neighbours %zu); ", x ? "PORTS" : "network_ports",
		    c->ports, c->macs, c->neighbours);
	else
		strbuf_printf(sb, "no %s; ", x ? "PORTS" : "network_ports");
	if (c->components > 0)
		strbuf_printf(sb, "%s %zu; ", x ? "COMPONENTS" :
		    "network_components", c->components);
	else
		strbuf_printf(sb, "no %s; ", x ? "COMPONENTS" :
		    "network_components");
	if (c->firmwares > 0)
		strbuf_printf(sb, "%s %zu", x ? "FIRMWARES" : "firmwares",
		    c->firmwares);
	else
		strbuf_printf(sb, "no %s", x ? "FIRMWARES" : "firmwares");
}

/* One pass over one device (ns->mode says which). */
static int
walk(struct nstate *ns, const struct dev *d)
{
	char src[MAX_PATH], mac[18];
	const char *v;

	memset(&ns->cnt, 0, sizeof(ns->cnt));
	memset(ns->vlans, 0, sizeof(ns->vlans));
	if (walk_system(ns, d) != 0)
		return -1;
	/* A discovered device's own MAC names it to locate. */
	if (ns->query == NETINV_DISCOVERY && d->info != NULL) {
		if (field(ns, d->info, "mac", d->info_path, &v) != 0)
			return -1;
		if (v != NULL && inventory_mac_norm(v, strlen(v), mac) == 0) {
			unsigned char m[6];

			source(ns, src, sizeof(src), d->info_path, "mac");
			if (mac_parse(mac, strlen(mac), m) == 0 &&
			    put(ns, OBS_INTERFACE, "self", "mac", VAL_HEX, m, 6,
			    src) != 0)
				return -1;
		}
	}
	if (walk_ports(ns, d) != 0 || walk_components(ns, d) != 0)
		return -1;
	return 0;
}

/* Identity and coverage, then the device's observations. */
static int
emit_device(struct nstate *ns, const struct dev *d, size_t ord)
{
	struct netinv_device nd;
	struct strbuf cov = STRBUF_INIT(1024);
	char ip[64], mac[18], *name = NULL, *serial = NULL, *type = NULL;
	const char *v;
	size_t i;
	int rc = -1;

	ns->mode = COUNT;
	if (walk(ns, d) != 0)
		goto out;
	memset(&nd, 0, sizeof(nd));
	nd.query = ns->query;
	nd.ord = ord;
	nd.element = *d->base != '\0' ? d->base : "network_device";
	if (device_ip(ns, d, ip) != 0)
		goto out;
	nd.ip = ip[0] != '\0' ? ip : NULL;
	if (field(ns, d->info, "mac", d->info_path, &v) != 0)
		goto out;
	if (v == NULL && field(ns, d->info, "macaddr", d->info_path, &v) != 0)
		goto out;
	if (v != NULL && inventory_mac_norm(v, strlen(v), mac) == 0)
		nd.mac = mac;
	for (i = 0; i < NELEM(name_keys) && name == NULL; i++) {
		if (field(ns, d->info, name_keys[i], d->info_path, &v) != 0)
			goto out;
		if (v != NULL && (name = str_dup(v)) == NULL)
			goto oom;
	}
	nd.name = name;
	if (field(ns, d->info, "serial", d->info_path, &v) != 0)
		goto out;
	if (v != NULL && inventory_serial_usable(v, strlen(v)) &&
	    (serial = str_dup(v)) == NULL)
		goto oom;
	nd.serial = serial;
	if (field(ns, d->info, "type", d->info_path, &v) != 0)
		goto out;
	if (v != NULL && (type = str_dup(v)) == NULL)
		goto oom;
	nd.type = type;
	coverage_text(ns, d, type, &cov);
	if (cov.oom)
		goto oom;
	nd.coverage = strbuf_str(&cov);
	if (ns->sink->device != NULL &&
	    ns->sink->device(ns->sink->arg, &nd) != 0) {
		ns->sink_failed = 1;
		errf(ns->err, ns->errlen, "the device sink failed");
		goto out;
	}
	ns->mode = EMIT;
	if (walk(ns, d) != 0)
		goto out;
	ns->st.devices++;
	ns->st.ports += ns->cnt.ports;
	ns->st.macs += ns->cnt.macs;
	ns->st.neighbours += ns->cnt.neighbours;
	rc = 0;
	goto out;
oom:
	errf(ns->err, ns->errlen, "out of memory");
out:
	free(name);
	free(serial);
	free(type);
	strbuf_free(&cov);
	return rc;
}

/* --- documents ------------------------------------------------------- */

/* The pieces of XML DEVICE[ord]. */
static int
xml_dev(struct nstate *ns, json_t *dev, size_t ord, char *base,
    size_t baselen, struct dev *d)
{
	json_t *o;

	memset(d, 0, sizeof(*d));
	snprintf(base, baselen, "DEVICE[%zu]", ord);
	d->base = base;
	if (ns->query == NETINV_INVENTORY) {
		if (sub_object(ns, dev, "info", base, &d->info) != 0)
			return -1;
		snprintf(d->info_path, sizeof(d->info_path), "%s/INFO", base);
	} else {
		d->info = dev;
		str_copy(d->info_path, base, sizeof(d->info_path));
	}
	if (sub_object(ns, dev, "ports", base, &o) != 0)
		return -1;
	d->ports = get(o, "port");
	if (sub_object(ns, dev, "components", base, &o) != 0)
		return -1;
	d->comps = get(o, "component");
	d->fws = get(dev, "firmwares");
	return 0;
}

static int
json_dev(struct nstate *ns, json_t *content, struct dev *d)
{
	memset(d, 0, sizeof(*d));
	d->base = "";
	if (sub_object(ns, content, "network_device", "content",
	    &d->info) != 0)
		return -1;
	str_copy(d->info_path, "network_device", sizeof(d->info_path));
	d->ports = get(content, "network_ports");
	d->comps = get(content, "network_components");
	d->fws = get(content, "firmwares");
	return 0;
}

static void
nstate_init(struct nstate *ns, const struct inventory_limits *lim,
    const struct netinv_sink *sink, int xml, char *err, size_t errlen)
{
	memset(ns, 0, sizeof(*ns));
	ns->lim = lim;
	ns->sink = sink;
	ns->xml = xml;
	ns->err = err;
	ns->errlen = errlen;
	ns->val = (struct strbuf)STRBUF_INIT(lim->max_value);
}

/* The devices of an XML document's CONTENTs, CHECKed, then emitted. */
static int
xml_walk(struct nstate *ns, json_t *root)
{
	json_t *contents = get(root, "content"), *devs, *dev;
	struct dev d;
	char base[32];
	size_t nc, nd, i, k, ord;
	int pass;

	if (count_of(ns, contents, "CONTENT", &nc) != 0)
		return -1;
	if (nc == 0)
		return errf(ns->err, ns->errlen, "not a network inventory: no "
		    "CONTENT element");
	for (pass = 0; pass < 2; pass++) {
		ord = 0;
		for (i = 0; i < nc; i++) {
			devs = get(item_of(contents, i), "device");
			if (count_of(ns, devs, "CONTENT/DEVICE", &nd) != 0)
				return -1;
			for (k = 0; k < nd; k++) {
				dev = item_of(devs, k);
				if (xml_dev(ns, dev, ++ord, base, sizeof(base),
				    &d) != 0)
					return -1;
				if (pass == 0) {
					ns->mode = CHECK;
					if (walk(ns, &d) != 0)
						return -1;
				} else if (emit_device(ns, &d, ord) != 0)
					return -1;
			}
		}
		if (ord == 0)
			return errf(ns->err, ns->errlen, "no DEVICE: the "
			    "%s found nothing", ns->query ==
			    NETINV_DISCOVERY ? "discovery" : "inventory");
	}
	return 0;
}

enum inventory_rc
netinv_xml_parse(const void *buf, size_t len,
    const struct inventory_limits *limits, const struct netinv_sink *sink,
    struct netinv_stats *stats, char *err, size_t errlen)
{
	struct inventory_limits defl;
	struct inventory_stats ist;
	struct nstate ns;
	json_t *root = NULL;
	const char *q;
	size_t truncated;
	int latin1, bad = 0;
	enum inventory_rc rc = INV_EINPUT;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	limits = inventory_begin(limits, &defl, len, &ist, err, errlen);
	if (limits == NULL)
		return INV_EINPUT;
	if (netinv_xml_tree(buf, len, limits, &root, &truncated, &latin1, err,
	    errlen) != 0)
		return INV_EINPUT;
	nstate_init(&ns, limits, sink, 1, err, errlen);
	q = text_of(&ns, get(root, "query"), &bad);
	if (ns.val.oom) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	if (q != NULL && strcmp(q, "NETDISCOVERY") == 0)
		ns.query = NETINV_DISCOVERY;
	else if (q != NULL && (strcmp(q, "SNMPQUERY") == 0 ||
	    strcmp(q, "SNMP") == 0))
		ns.query = NETINV_INVENTORY;
	else {
		errf(err, errlen, "not a network inventory (QUERY is "
		    "'%.40s'; NETDISCOVERY or SNMPQUERY expected)",
		    q != NULL ? q : "");
		goto out;
	}
	if (xml_walk(&ns, root) != 0)
		goto out;
	ns.st.truncated += truncated;
	ns.st.latin1 = latin1;
	if (stats != NULL)
		*stats = ns.st;
	rc = INV_OK;
out:
	if (ns.sink_failed)
		rc = INV_ESINK;
	strbuf_free(&ns.val);
	json_decref(root);
	return rc;
}

/* Refuses values nested deeper than, or more of them than, the limits. */
static int
check_tree(struct nstate *ns, json_t *j, unsigned depth, size_t *n)
{
	const char *k;
	json_t *v;
	size_t i;

	if (++*n > ns->lim->max_elements)
		return errf(ns->err, ns->errlen, "more than %zu JSON values",
		    ns->lim->max_elements);
	if (depth > ns->lim->max_depth)
		return errf(ns->err, ns->errlen, "values nested deeper than "
		    "%u", ns->lim->max_depth);
	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			if (check_tree(ns, v, depth + 1, n) != 0)
				return -1;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (check_tree(ns, v, depth + 1, n) != 0)
				return -1;
	}
	return 0;
}

enum inventory_rc
netinv_json_parse(const void *buf, size_t len,
    const struct inventory_limits *limits, const struct netinv_sink *sink,
    struct netinv_stats *stats, char *err, size_t errlen)
{
	struct inventory_limits defl;
	struct inventory_stats ist;
	struct nstate ns;
	struct dev d;
	json_error_t jerr;
	json_t *root = NULL, *content;
	const char *a;
	size_t n = 0;
	int bad = 0;
	enum inventory_rc rc = INV_EINPUT;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	limits = inventory_begin(limits, &defl, len, &ist, err, errlen);
	if (limits == NULL)
		return INV_EINPUT;
	nstate_init(&ns, limits, sink, 0, err, errlen);
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		/* jansson records nothing when its first allocation fails. */
		if (json_error_code(&jerr) == json_error_out_of_memory ||
		    jerr.text[0] == '\0')
			errf(err, errlen, "out of memory");
		else
			errf(err, errlen, "line %d: %s", jerr.line, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		errf(err, errlen, "not an inventory: expected a JSON object");
		goto out;
	}
	if (check_tree(&ns, root, 1, &n) != 0)
		goto out;
	a = text_of(&ns, get(root, "action"), &bad);
	if (ns.val.oom) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	if (a != NULL && strcmp(a, "netdiscovery") == 0)
		ns.query = NETINV_DISCOVERY;
	else if (a != NULL && strcmp(a, "netinventory") == 0)
		ns.query = NETINV_INVENTORY;
	else {
		errf(err, errlen, "not a network inventory (action is "
		    "'%.40s'; netdiscovery or netinventory expected)",
		    a != NULL ? a : "");
		goto out;
	}
	content = get(root, "content");
	if (content == NULL || !json_is_object(content)) {
		errf(err, errlen, "not an inventory: no \"content\" object");
		goto out;
	}
	if (json_dev(&ns, content, &d) != 0)
		goto out;
	if (d.info == NULL && d.ports == NULL) {
		errf(err, errlen, "content: no network_device and no "
		    "network_ports");
		goto out;
	}
	ns.mode = CHECK;
	if (walk(&ns, &d) != 0 ||
	    emit_device(&ns, &d, 1) != 0)
		goto out;
	if (stats != NULL)
		*stats = ns.st;
	rc = INV_OK;
out:
	if (ns.sink_failed)
		rc = INV_ESINK;
	strbuf_free(&ns.val);
	json_decref(root);
	return rc;
}
