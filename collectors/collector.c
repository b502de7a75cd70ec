/* collector: the registry of collectors and the probe names. */
#include <string.h>

#include "collector.h"

static const char *const probe_names[PROBE__COUNT] = {
	"system", "software", "process", "entity", "vendor", "interfaces",
	"arp", "fdb", "lldp", "cdp", "connections", "routes", "inventory",
};

const struct collector *const collectors[] = {
	&snmp_collector,
	&agent_collector,
	NULL
};

const char *
probe_name(enum probe p)
{
	return (unsigned)p < PROBE__COUNT ? probe_names[p] : "?";
}

int
probe_from_name(const char *s, enum probe *out)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < PROBE__COUNT; i++) {
		if (strcmp(probe_names[i], s) == 0) {
			*out = (enum probe)i;
			return 0;
		}
	}
	return -1;
}

void
collect_opts_default(struct collect_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->concurrency = 256;
	o->rate = 2000;
	o->timeout_ms = 1000;
	o->retries = 1;
	o->host_budget_ms = 120000;
	o->max_rows = 50000;
	o->max_value = 4096;
	o->max_repetitions = 25;
	o->max_body = 64u << 20;
	o->probes = PROBES_DEFAULT;
	o->agent_connect_ms = 10000;
	o->agent_timeout_ms = 120000;
}

const struct collector *
collector_find(const char *name)
{
	size_t i;

	for (i = 0; collectors[i] != NULL; i++)
		if (strcmp(collectors[i]->name, name) == 0)
			return collectors[i];
	return NULL;
}
