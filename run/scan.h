/*
 * scan: one audit run over a target list -- records the run and its hosts
 * in the store, drives every collector that applies, streams what they see
 * into the store (the collectors' sink, stored by a writer thread beside
 * the polling one: writer.h), joins the routers' and switches'
 * neighbour tables into devices (locate.h), then runs the matcher.  A stop
 * request (Ctrl-C, SIGTERM) ends collection early and leaves the run marked
 * incomplete, with everything gathered so far kept.
 */
#ifndef BANAUDIT_SCAN_H
#define BANAUDIT_SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "collector.h"
#include "cred.h"
#include "locate.h"
#include "oui.h"
#include "rules.h"
#include "sector.h"
#include "store.h"
#include "target.h"

struct scan_opts {
	const struct target_list *targets;
	const struct cred_set	*creds;		/* may be NULL */
	const struct rule_pack	*rules;
	struct collect_opts	 collect;
	const char		*label;
	const char		*scope;
	const char		*sector;	/* --sector filter, or NULL */
	/*
	 * Sector profiles (may be NULL): each target gets its sector's
	 * probes (unless probes_override: collect.probes for all, the
	 * --probes option) and per-target rate, and analysis uses them.
	 */
	const struct sector_set	*sectors;
	int			 probes_override;
	/*
	 * Devices in the targets' neighbour tables (locate.h): the MAC
	 * registry (may be NULL: no vendors; its description is recorded on
	 * the run) and the uplink threshold (0 = LOCATE_UPLINK_MACS).
	 */
	const struct oui_registry *oui;
	unsigned		 uplink_macs;
	/*
	 * Store from a writer thread (writer.h) when the scan walks long
	 * tables and two CPUs may run it; 0 (the default): inline, in the
	 * polling thread.  The thread cost CPU and wall time on the 2-core
	 * machine it was measured on (docs/PERFORMANCE.md).
	 */
	int			 writer_thread;
};

struct scan_result {
	int64_t		 run;
	size_t		 targets;
	size_t		 assessed;	/* some channel was ok or partial */
	size_t		 not_assessed;
	size_t		 findings;	/* observed, plus carried unverified */
	size_t		 waived;	/* of those, with an active waiver */
	size_t		 leads;		/* leads to check: not findings */
	size_t		 read_back;	/* observations analysis read back */
	struct locate_stats located;	/* devices in neighbour tables */
	int		 interrupted;
};

/*
 * Does any target of o (targets, sectors, probes_override, collect.probes
 * set) read a neighbour table (ARP, FDB, LLDP, CDP)?  Only then is the
 * MAC registry (o->oui) of any use: a caller may leave it unloaded.
 */
int	 scan_wants_neighbors(const struct scan_opts *o);

/*
 * Runs the scan.  Returns 0 when the run was recorded (complete or
 * interrupted: see res->interrupted), -1 on a store or collector failure
 * with a message.
 */
int	 scan_run(struct store *, const struct scan_opts *,
	    struct scan_result *res, char *err, size_t errlen);

/*
 * The heap scan_run() makes resident (heap_reserve()) for ntargets
 * targets whose probes together are probes (PROBE_BIT()s): what the
 * bench's raw walker reserves too, to run the same engine on the same
 * footing (tests/tools/snmpcollect.c).
 */
size_t	 scan_heap_bytes(size_t ntargets, unsigned probes);

#endif
