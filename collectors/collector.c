/* collector: the registry of collectors and their default options. */
#include <string.h>

#include "collector.h"

const struct collector *const collectors[] = {
	&snmp_collector,
	&agent_collector,
	NULL
};

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
