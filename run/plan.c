/*
 * plan: scan --dry-run -- per target what would be sent, and the totals.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "cred.h"
#include "plan.h"
#include "scan.h"
#include "sector.h"
#include "target.h"
#include "util.h"

/* Requests an inventory agent takes at least: prolog, then inventory. */
#define PLAN_AGENT_REQUESTS	2

/* "system,software,...": the probe names of a PROBE_BIT() set. */
static void
probe_list(unsigned probes, char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT(len > 0 ? len - 1 : 0);
	int p;

	for (p = 0; p < PROBE__COUNT; p++)
		if (probes & PROBE_BIT(p))
			strbuf_printf(&sb, "%s%s", sb.len > 0 ? "," : "",
			    probe_name((enum probe)p));
	str_copy(buf, sb.len > 0 ? strbuf_str(&sb) : "-", len);
	strbuf_free(&sb);
}

/* The target's SNMP profiles and agent profile, by name. */
static void
profile_list(const struct target *t, char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT(len > 0 ? len - 1 : 0);
	size_t i;

	for (i = 0; i < t->nsnmp_profiles; i++)
		strbuf_printf(&sb, "%s%s", i > 0 ? ";" : "",
		    t->snmp_profiles[i]);
	if (t->agent_url != NULL)
		strbuf_printf(&sb, "%sagent:%s", sb.len > 0 ? " " : "",
		    t->agent_profile != NULL ? t->agent_profile : "-");
	str_copy(buf, sb.len > 0 ? strbuf_str(&sb) : "-", len);
	strbuf_free(&sb);
}

int
plan_write(FILE *fp, const struct scan_opts *o, struct plan_totals *t,
    char *err, size_t errlen)
{
	const struct target_list *tl = o->targets;
	struct plan_totals tot;
	char probes[256], profs[256], addr[300], rate[32];
	double secs;
	size_t i, k, req;

	memset(&tot, 0, sizeof(tot));
	fprintf(fp, "dry run: nothing is sent and the database is not "
	    "opened\n%-28s %-10s %-10s %-10s %7s %9s  %s\n", "target",
	    "sector", "channels", "profiles", "rate/s", "requests", "probes");
	for (i = 0; i < tl->n; i++) {
		const struct target *tg = &tl->v[i];
		const struct sector_profile *p = o->sectors != NULL ?
		    sector_set_find(o->sectors, tg->h.sector) : NULL;
		unsigned pr = o->probes_override || p == NULL ?
		    o->collect.probes : p->probes;
		unsigned r = p != NULL ? p->rate : 0;
		int snmp = tg->nsnmp_profiles > 0 &&
		    (pr & snmp_collector.probes) != 0;
		int agent = tg->agent_url != NULL &&
		    (pr & agent_collector.probes) != 0;

		req = 0;
		if (snmp) {
			req += snmp_min_requests(pr);
			/* An SNMPv3 profile first discovers the engine. */
			for (k = 0; o->creds != NULL &&
			    k < tg->nsnmp_profiles; k++) {
				const struct cred_profile *cp = cred_find(
				    o->creds, tg->snmp_profiles[k]);

				if (cp != NULL && cp->version == SNMP_V3) {
					req++;
					break;
				}
			}
			tot.snmp++;
		}
		if (agent) {
			req += PLAN_AGENT_REQUESTS;
			tot.agent++;
		}
		tot.requests += req;
		/* One request in flight per device, at most r a second. */
		secs = r > 0 && req > 1 ? (double)(req - 1) / r : 0;
		if (secs > tot.seconds)
			tot.seconds = secs;
		if (tg->port != 0)
			snprintf(addr, sizeof(addr), tg->family == AF_INET6 ?
			    "[%s]:%u" : "%s:%u", tg->h.address, tg->port);
		else
			str_copy(addr, tg->h.address, sizeof(addr));
		probe_list(pr, probes, sizeof(probes));
		profile_list(tg, profs, sizeof(profs));
		if (r > 0)
			snprintf(rate, sizeof(rate), "%u", r);
		else
			str_copy(rate, "global", sizeof(rate));
		fprintf(fp, "%-28s %-10s %-10s %-10s %7s %9zu  %s\n", addr,
		    tg->h.sector != NULL ? tg->h.sector : "-",
		    snmp && agent ? "snmp,agent" : snmp ? "snmp" :
		    agent ? "agent" : "none", profs, rate,
		    req, probes);
	}
	tot.targets = tl->n;
	if (o->collect.rate > 0 &&
	    (double)tot.requests / o->collect.rate > tot.seconds)
		tot.seconds = (double)tot.requests / o->collect.rate;
	fprintf(fp, "totals: %zu target%s (%zu over SNMP, %zu with an "
	    "inventory agent); at least %zu request%s; at least %.1f s at "
	    "the global rate (", tot.targets, tot.targets == 1 ? "" : "s",
	    tot.snmp, tot.agent, tot.requests, tot.requests == 1 ? "" : "s",
	    tot.seconds);
	if (o->collect.rate > 0)
		fprintf(fp, "%u/s", o->collect.rate);
	else
		fputs("no cap", fp);
	fprintf(fp, ") and the per-device rates; concurrency %u, timeout "
	    "%u ms, %u retr%s.\nThe request counts are the fewest: a "
	    "GETBULK more per %u rows of a table (a GETNEXT per row over "
	    "SNMPv1),\nvendor and fallback steps, retries and further "
	    "credential profiles add requests.\n", o->collect.concurrency,
	    o->collect.timeout_ms, o->collect.retries,
	    o->collect.retries == 1 ? "y" : "ies",
	    o->collect.max_repetitions);
	if (t != NULL)
		*t = tot;
	if (fflush(fp) != 0 || ferror(fp))
		return errf(err, errlen, "standard output: %s",
		    strerror(errno != 0 ? errno : EIO));
	return 0;
}
