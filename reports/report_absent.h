/*
 * report_absent: a run carries the open findings of hosts it did not have
 * (not reached, or not targeted this time; store.h "History"): the hosts
 * those findings name, for the writers that list a run's hosts (the
 * estate's HTML host detail and JSON "hosts"), and the sector filter the
 * writers share.  Private to reports/.
 */
#ifndef BANAUDIT_REPORT_ABSENT_H
#define BANAUDIT_REPORT_ABSENT_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/*
 * A host a run did not have whose open findings it carries: what those
 * findings say of it.  The attributes are the host's in the run; the
 * address is the finding's, else the identity.
 */
struct report_absent {
	int64_t		 host;
	char		*identity;
	char		*address, *name, *sector, *site, *owner;
	char		*jurisdiction;
	int		 criticality;
	size_t		 open;		/* its open findings */
};

/* Keeps the hosts and findings of opts->sector (NULL: every one). */
int	 report_sector_kept(const struct report_opts *, const char *sector);

/*
 * The hosts of run's open findings (of opts->sector) that the run did not
 * have, in host id order: *v (free with report_absent_free()) and *n.
 * 0, or -1 with a message.
 */
int	 report_absent(struct store *, const struct report_opts *, int64_t run,
	    struct report_absent **v, size_t *n, char *err, size_t errlen);
void	 report_absent_free(struct report_absent *, size_t);

#endif
