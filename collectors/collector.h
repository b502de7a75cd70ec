/*
 * collector: the interface every collection channel implements (SNMP, HTTP
 * inventory agents).  The probes they serve are named in obs.h.
 *
 * A collector is data plus three callbacks (zmap's probe modules, snmpd's
 * plugins): open() prepares to collect from a target list without blocking,
 * poll() runs the collector's own event loop for a while, close() frees
 * everything.  Everything a collector sees goes out through the sink, one
 * observation or coverage record at a time; the collector keeps nothing.
 */
#ifndef BANAUDIT_COLLECTOR_H
#define BANAUDIT_COLLECTOR_H

#include <signal.h>
#include <stddef.h>

#include "obs.h"
#include "target.h"
#include "cred.h"

struct collect_opts {
	unsigned	 concurrency;	/* targets in flight at once */
	unsigned	 rate;		/* requests per second, all targets;
					   0 = unlimited */
	unsigned	 timeout_ms;	/* per request */
	unsigned	 retries;	/* per request */
	unsigned	 host_budget_ms; /* whole-target budget; 0 = none */
	unsigned	 max_rows;	/* per table */
	unsigned	 max_value;	/* bytes kept per value */
	unsigned	 max_repetitions; /* GETBULK start value */
	size_t		 max_body;	/* agents: response size cap */
	unsigned	 probes;	/* PROBE_BIT() set */
	/* Per-target probe sets (sector profiles); NULL = probes for all. */
	const unsigned	*target_probes;
	/*
	 * Per-target request rates (sector profiles: OT devices), requests
	 * per second to that one target; NULL, or 0 for a target, = only the
	 * global rate.  A collector MUST NOT send a target more than its
	 * rate, on top of the global cap.  (SNMP keeps one request in flight
	 * per target in any case.)
	 */
	const unsigned	*target_rate;
	volatile sig_atomic_t *stop;	/* set asynchronously: wind down */
	/*
	 * SNMP: the vendor subtrees (dotted OID text) the "enterprise" probe
	 * asks one GETNEXT into, from the rule pack; borrowed until close().
	 */
	const char *const *subtrees;
	size_t		 nsubtrees;
	/* Agents: connect (TCP and TLS handshake; 0 = timeout_ms) and
	   whole-request timeouts.  The agent builds its inventory inside
	   the request, so the latter is long. */
	unsigned	 agent_connect_ms;
	unsigned	 agent_timeout_ms;
};

void	 collect_opts_default(struct collect_opts *);

/*
 * Where observations go.  Callbacks receive borrowed data and MUST copy
 * what they keep.  A callback returning -1 aborts the whole collection
 * (e.g. the store failed); the collector then returns -1 from poll().
 */
/*
 * What a collector learned about a target's identity -- an agent knows the
 * machine's hardware UUID, serial and MACs.  Given to the sink before the
 * channel's observations, so the store can treat the target as the
 * machine other channels and imports saw.  Strings borrowed; any may be
 * NULL.
 */
struct host_hints {
	const char		*uuid;
	const char		*serial;
	const char		*name;
	const char *const	*macs;	/* "aa:bb:cc:dd:ee:ff" */
	size_t			 nmacs;
};

struct collect_sink {
	void	*arg;
	int	(*observe)(void *arg, size_t target, enum channel,
		    const struct observation *);
	int	(*cover)(void *arg, size_t target, const struct coverage *);
	/* A target is finished (every probe has a coverage record). */
	void	(*done)(void *arg, size_t target);
	/* May be NULL (identity ignored).  -1 aborts, like the others. */
	int	(*identify)(void *arg, size_t target,
		    const struct host_hints *);
};

/* What a collector is doing now, for the progress line of a long scan. */
struct collect_stats {
	size_t		 active;	/* targets being collected from */
	size_t		 requests;	/* requests sent so far */
};

struct collector {
	const char	*name;
	enum channel	 channel;
	unsigned	 probes;	/* PROBE_BIT() set it can serve */

	/*
	 * Prepares to collect from every target of tl this collector applies
	 * to.  MUST NOT block on the network.  Returns 0 and sets *ctx, or -1
	 * with a message.  tl, creds and sink stay valid until close().
	 */
	int	(*open)(void **ctx, const struct collect_opts *,
		    const struct target_list *tl, const struct cred_set *creds,
		    const struct collect_sink *sink, char *err, size_t errlen);

	/*
	 * Runs for at most timeout_ms.  Returns the number of targets not yet
	 * done (0 = finished), or -1 on a fatal error (message in err).
	 */
	int	(*poll)(void *ctx, int timeout_ms, char *err, size_t errlen);

	/* Frees everything; unfinished targets are abandoned.  NULL is fine. */
	void	(*close)(void *ctx);

	/*
	 * Fills *st with what it is doing now (between polls).  May be NULL:
	 * the progress line then says only what has finished.
	 */
	void	(*stats)(void *ctx, struct collect_stats *st);
};

extern const struct collector snmp_collector;
extern const struct collector agent_collector;	/* agent.c */

/*
 * The fewest SNMP requests that reading probes (a PROBE_BIT() set) takes
 * from an agent that answers: one per step of the probe tables
 * (snmp_probes.c) that runs on every device -- a lower bound.  What a
 * device's identity calls for (vendor MIBs and private tables, the
 * neighbour tables of routers and bridges, the rule pack's vendor
 * subtrees), fallbacks, larger tables and retries add more.  For scan
 * --dry-run.
 */
size_t		 snmp_min_requests(unsigned probes);

/* Registry: every collector, in the order a scan runs them. */
extern const struct collector *const collectors[];

#endif
