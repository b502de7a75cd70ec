/*
 * plan: what a scan would do, without doing it -- "banaudit scan
 * --dry-run".  Per target: its channels, probes, credential profile names
 * (never a secret), the per-device request rate and the fewest requests
 * it takes; then the totals and the least time the rates allow.  Change
 * boards of power and hospital networks ask for this before an OT scan.
 * Nothing here opens a socket or the database: it reads only the
 * options and inputs that cmd_scan.c has already loaded and checked.
 */
#ifndef BANAUDIT_PLAN_H
#define BANAUDIT_PLAN_H

#include <stdio.h>

#include "scan.h"

struct plan_totals {
	size_t		 targets;
	size_t		 snmp;		/* targets polled over SNMP */
	size_t		 agent;		/* targets with an inventory agent */
	size_t		 requests;	/* at least this many, all targets */
	double		 seconds;	/* at least this long, by the rates */
};

/*
 * Writes the plan of the scan o to fp: one line per target, then the
 * totals (also returned in *t when t is not NULL).  o->targets, o->creds
 * (may be NULL) and o->sectors (may be NULL) are read; nothing is
 * changed.  0, or -1 when fp fails (message in err).
 */
int	 plan_write(FILE *fp, const struct scan_opts *o, struct plan_totals *t,
	    char *err, size_t errlen);

#endif
