/* obs: names of channels, observation kinds, attributes and statuses. */
#include <stdio.h>
#include <string.h>

#include "obs.h"
#include "util.h"

static const char *const channel_names[CHAN__COUNT] = {
	"snmp", "agent", "import", "derived",
};

static const char *const kind_names[OBS__COUNT] = {
	"system", "software", "process", "entity", "vendor", "neighbor",
	"interface", "connection", "route", "antivirus", "netif",
};

static const char *const vtype_names[VAL__COUNT] = {
	"text", "int", "oid", "ipaddr", "hex",
};

static const char *const cov_names[COV__COUNT] = {
	"ok", "partial", "unreachable", "timeout", "auth_failed",
	"no_such_table", "refused", "rate_limited", "tls_failed", "error",
	"no_channel",
};

/* The attributes each kind may carry, NULL-terminated. */
static const char *const system_attrs[] = {
	"descr", "objectid", "name", "uptime", "contact", "location", "os",
	"os_version", "uuid", "serial", "fqdn", "engineid", "agent_version",
	"manufacturer", "model", "services", "forwarding", "bridgeports",
	"caps", "platform", NULL
};
static const char *const software_attrs[] = {
	"name", "version", "publisher", "type", "date", "arch", "from", "id",
	NULL
};
/* No "params": a process's arguments may hold secrets; never stored. */
static const char *const process_attrs[] = {
	"name", "path", "user", NULL
};
static const char *const entity_attrs[] = {
	"descr", "class", "mfg", "model", "serial", "hwrev", "fwrev", "swrev",
	"name", NULL
};
static const char *const vendor_attrs[] = {
	"devicetype", "manufacturer", "hwversion", "swversion", "mac",
	"serial", "model", "value", "oid", "name", "agentversion", NULL
};
static const char *const neighbor_attrs[] = {
	"mac", "ip", "ifindex", "ifname", "vlan", "port", "bridgeport",
	"chassis", "sysname", "sysdesc", "portdesc", "platform", "oui_org",
	"table", "localport", "chassistype", "caps", "fdbid", "location",
	"via", "serial", "vendorid", "onuid", "descr", NULL
};
static const char *const interface_attrs[] = {
	"ifindex", "ifname", "ifdescr", "bridgeport", "mac", "localport",
	"port", "portdesc", NULL
};
static const char *const connection_attrs[] = {
	"local", "lport", "remote", "rport", "state", NULL
};
static const char *const route_attrs[] = {
	"dest", "mask", "nexthop", "ifindex", NULL
};
static const char *const antivirus_attrs[] = {
	"name", "company", "version", "enabled", "uptodate", "base_date",
	"base_version", "expiration", NULL
};
static const char *const netif_attrs[] = {
	"mac", "ip", "descr", NULL
};

static const char *const *const kind_attrs[OBS__COUNT] = {
	system_attrs, software_attrs, process_attrs, entity_attrs,
	vendor_attrs, neighbor_attrs, interface_attrs, connection_attrs,
	route_attrs, antivirus_attrs, netif_attrs,
};

static int
find_name(const char *const *names, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
channel_name(enum channel c)
{
	return (unsigned)c < CHAN__COUNT ? channel_names[c] : "?";
}

int
channel_from_name(const char *s, enum channel *out)
{
	int i = find_name(channel_names, CHAN__COUNT, s);

	if (i < 0)
		return -1;
	*out = (enum channel)i;
	return 0;
}

const char *
obs_kind_name(enum obs_kind k)
{
	return (unsigned)k < OBS__COUNT ? kind_names[k] : "?";
}

int
obs_kind_from_name(const char *s, enum obs_kind *out)
{
	int i = find_name(kind_names, OBS__COUNT, s);

	if (i < 0)
		return -1;
	*out = (enum obs_kind)i;
	return 0;
}

const char *
value_type_name(enum value_type v)
{
	return (unsigned)v < VAL__COUNT ? vtype_names[v] : "?";
}

int
value_type_from_name(const char *s, enum value_type *out)
{
	int i = find_name(vtype_names, VAL__COUNT, s);

	if (i < 0)
		return -1;
	*out = (enum value_type)i;
	return 0;
}

const char *
cov_status_name(enum cov_status s)
{
	return (unsigned)s < COV__COUNT ? cov_names[s] : "?";
}

int
cov_status_from_name(const char *s, enum cov_status *out)
{
	int i = find_name(cov_names, COV__COUNT, s);

	if (i < 0)
		return -1;
	*out = (enum cov_status)i;
	return 0;
}

int
obs_attr_valid(enum obs_kind k, const char *attr)
{
	const char *const *a;

	if ((unsigned)k >= OBS__COUNT || attr == NULL)
		return 0;
	/* Every row is checked: the first byte before the call. */
	for (a = kind_attrs[k]; *a != NULL; a++)
		if ((*a)[0] == attr[0] && strcmp(*a, attr) == 0)
			return 1;
	return 0;
}

int
obs_field_parse(const char *f, enum obs_kind *k, const char **attr)
{
	const char *dot;
	char kind[32];
	size_t n;

	if (f == NULL || (dot = strchr(f, '.')) == NULL)
		return -1;
	n = (size_t)(dot - f);
	if (n == 0 || n >= sizeof(kind))
		return -1;
	memcpy(kind, f, n);
	kind[n] = '\0';
	if (obs_kind_from_name(kind, k) != 0)
		return -1;
	if (!obs_attr_valid(*k, dot + 1))
		return -1;
	*attr = dot + 1;
	return 0;
}

int
cov_assessed(enum cov_status s)
{
	return s == COV_OK || s == COV_PARTIAL;
}

void
assess_add(struct assess_acc *a, const char *probe, enum cov_status s)
{
	if (probe == NULL || probe[0] == '\0') {
		a->nsum++;
		a->sum_ok += s == COV_OK;
		a->sum_usable += cov_assessed(s);
	}
	a->n++;
	a->ok += s == COV_OK;
	a->usable += cov_assessed(s);
}

enum assess_level
assess_level(const struct assess_acc *a, int discovered)
{
	if (a->n == 0)
		return discovered ? ASSESS_NEIGHBOUR : ASSESS_NONE;
	if (a->nsum > 0) {
		if (a->sum_ok == a->nsum)
			return ASSESS_FULL;
		return a->sum_usable > 0 ? ASSESS_PARTIAL : ASSESS_NONE;
	}
	if (a->ok == a->n)
		return ASSESS_FULL;
	return a->usable > 0 ? ASSESS_PARTIAL : ASSESS_NONE;
}

static const char *const probe_names[PROBE__COUNT] = {
	"system", "software", "process", "entity", "vendor", "interfaces",
	"arp", "fdb", "lldp", "cdp", "connections", "routes", "inventory",
	"ups", "enterprise", "onu", "vlan-fdb",
};

const char *
probe_name(enum probe p)
{
	return (unsigned)p < PROBE__COUNT ? probe_names[p] : "?";
}

int
probe_from_name(const char *s, enum probe *out)
{
	int i = find_name(probe_names, PROBE__COUNT, s);

	if (i < 0)
		return -1;
	*out = (enum probe)i;
	return 0;
}

void
probe_names_list(char *buf, size_t len)
{
	str_list_join(probe_names, PROBE__COUNT, buf, len);
}
