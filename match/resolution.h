/*
 * resolution: when a finding that a run no longer has is really resolved.
 * A risk register must never close a risk nobody verified, so the rule is
 * strict and lives in one place: a finding is resolved only when the new
 * run read completely (coverage "ok") every source its evidence came from
 * -- the host's software table or agent inventory for a software finding,
 * its system group for a banner, and for a device known only from other
 * devices' ARP, bridge, LLDP or CDP tables, each of those tables.  Anything
 * less leaves it "persisting", carried into the run unverified, with a
 * note saying what could not be verified.
 *
 * resolution_decide() is the rule (pure, pinned by tests/unit/
 * test_resolution.c); resolution_carry() applies it to a run when it is
 * analysed (scan and import both do, through analyze.c).  Merge copies
 * the verdicts; reports, diff and JSON read them (store.h, "History").
 */
#ifndef BANAUDIT_RESOLUTION_H
#define BANAUDIT_RESOLUTION_H

#include <stddef.h>
#include <stdint.h>

#include "obs.h"
#include "store.h"

/* One source of a finding's evidence, and what the new run made of it. */
struct resolution_source {
	const char	*host;		/* "name (address)"; may be NULL */
	const char	*channel;	/* "snmp", "agent", "import" */
	const char	*probe;		/* resolution_probe(); NULL: unknown */
	int		 read;		/* the run has a coverage row for it */
	enum cov_status	 status;	/* with read */
	const char	*detail;	/* with read; may be NULL */
};

enum resolution {
	RESOLUTION_RESOLVED,
	RESOLUTION_PERSISTING
};

/*
 * The probe whose coverage says a source was read completely: channel
 * "agent" -> "inventory", "import" -> "" (the file), "snmp" -> the probe
 * of the observation kind ("software", "system", ...) or, for neighbour
 * rows, of the table ("arp", "fdb", "lldp", "cdp").  NULL when unknown (a
 * derived value whose tables are not recorded, an unknown kind).
 */
const char	*resolution_probe(const char *channel, const char *kind,
		    const char *table);

/*
 * The rule.  RESOLUTION_RESOLVED when n > 0 and every source was read
 * with status ok; else RESOLUTION_PERSISTING, and note (always
 * NUL-terminated, cut to notelen) says what could not be verified, e.g.
 * "LLDP table of sw-acc-17 (10.0.0.17): timeout (no answer)".  Without
 * any source (evidence not recorded) nothing can be verified.
 */
enum resolution	 resolution_decide(const struct resolution_source *,
		    size_t n, char *note, size_t notelen);

/*
 * Applies the rule to run: every finding of the previous complete run of
 * its scope that run lacks is judged on the sources of its evidence and
 * their coverage in run; those not resolved are carried into run with
 * their note (store_carry_finding()).  *carried (may be NULL) gets how
 * many.  Call it once, after the run's findings are written.
 */
int		 resolution_carry(struct store *, int64_t run,
		    size_t *carried, char *err, size_t errlen);

#endif
