/*
 * report_hosts: the hosts of one run as the reports describe them -- who
 * and where (identity, address, name, sector, site, owner, jurisdiction),
 * how far the run assessed them (assess_level(), obs.h), what kind of
 * host they are, and how many open findings they carry -- so that the
 * JSON and the HTML tell phones and endpoints apart from network
 * equipment by one rule:
 *
 *   phone     what an MDM export or inventory said of it (platform, OS or
 *             model) names a mobile platform: Android, iOS, iPadOS,
 *             iPhone, iPad (README.md "Managed phones")
 *   endpoint  otherwise, a host with a software inventory (installed
 *             software or processes, from SNMP, an agent or an import):
 *             desktops, laptops, servers
 *   network   everything else: routers, switches, cameras, recorders,
 *             devices seen only in other devices' neighbour tables
 *
 * Reads only the store; the platform comes from the run's raw
 * observations, which a slim merge (store.h) leaves at the sites: there,
 * hosts are classified from what the central file holds.
 */
#ifndef BANAUDIT_REPORT_HOSTS_H
#define BANAUDIT_REPORT_HOSTS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum report_host_kind {
	REPORT_HOST_NETWORK,
	REPORT_HOST_ENDPOINT,
	REPORT_HOST_PHONE,
	REPORT_HOST__COUNT
};

/* "network", "endpoint", "phone". */
const char *report_host_kind_name(enum report_host_kind);

/*
 * Does s (a platform, OS or model name) name a mobile platform: start
 * with the word android, ios, ipados, iphone or ipad, case aside?
 */
int	 report_is_mobile(const char *s);

/* One host of a run; strings borrowed for the callback. */
struct report_host {
	const struct host_row	*row;
	enum report_host_kind	 kind;
	enum assess_level	 assess;
	const char		*platform;	/* an MDM's, or NULL */
	const char		*os;
	const char		*model;
	const char		*serial;
	size_t			 open;		/* open findings */
};

/*
 * Calls cb for each host of run (sector NULL: all; else that sector,
 * case aside), by host id; cb returns non-zero to stop.  Returns 0, or -1
 * with a message (unknown run, database error, out of memory).
 */
int	 report_each_host(struct store *, int64_t run, const char *sector,
	    int (*cb)(void *, const struct report_host *), void *arg,
	    char *err, size_t errlen);

#endif
