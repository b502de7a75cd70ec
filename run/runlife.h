/*
 * runlife: the life of one run, the same for a scan and an import.  A
 * driver begins the run, stores its hosts and rows, then either finishes
 * it -- the devices its neighbour tables and OLTs show (locate, onu), the
 * findings (analyze, which carries what this run could not verify), the
 * status "complete" -- or ends it early: "incomplete" when the user
 * stopped it, "failed" on an error, keeping what was gathered.  A run ends
 * exactly once (asserted in the checking builds).
 */
#ifndef BANAUDIT_RUNLIFE_H
#define BANAUDIT_RUNLIFE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "locate.h"
#include "oui.h"
#include "rules.h"
#include "sector.h"
#include "store.h"

struct runlife {
	struct store	*st;
	int64_t		 run;
	int		 ended;
};

/* What finishing a run derives, and from what. */
struct runlife_finish {
	const struct rule_pack	*rules;
	const struct sector_set	*sectors;	/* may be NULL */
	/*
	 * Neighbour tables: neighbours_read says some neighbour probe ran
	 * (the run then records the MAC registry it used, or "none"),
	 * neighbour_rows that some row came in (only then is locate run).
	 */
	int			 neighbours_read;
	size_t			 neighbour_rows;
	/* Recorded as the run's MAC registry when no neighbour table was
	   read, or NULL for nothing. */
	const char		*no_registry;
	const struct oui_registry *oui;		/* may be NULL */
	unsigned		 uplink_macs;	/* 0 = LOCATE_UPLINK_MACS */
	int			 onus;		/* the onu probe ran */
	/*
	 * When the driver matched each host as it finished (analyze.h):
	 * its matcher and the stats it fills; finishing then only carries
	 * and counts instead of reading the run back.  NULL: read back.
	 */
	struct analyze		*analyzed;
	struct analyze_stats	*analyzed_stats;
	/*
	 * With analyzed: the hosts the driver parked (analyze_park()) because
	 * locate or onu may add rows to them -- host ids[i]'s rows are
	 * parked[i], n hosts of distinct ids.  Finishing reads back only the
	 * rows locate and onu stored (analyze_after()), then matches every
	 * parked host.  NULL: each host was matched as it finished.
	 */
	struct analyze_rows	**parked;
	const int64_t		*parked_ids;
	size_t			 nparked;
};

/* What a finished run holds, for the command's summary. */
struct runlife_tally {
	size_t			 findings;	/* observed plus carried */
	size_t			 carried;	/* of those, not verified */
	size_t			 waived;	/* with an active waiver */
	size_t			 leads;
	size_t			 read;		/* rows analysis read back */
	struct locate_stats	 located;
};

/*
 * Records the start of a run described by ri (kind, label, scope, sector,
 * versions) and fills ri->id and r.  -1 when the store refused it.
 */
int	 runlife_begin(struct runlife *r, struct store *, struct run_info *ri,
	    char *err, size_t errlen);
/*
 * Finishes the run: flushes what the driver stored, locates the devices of
 * its neighbour tables and ONUs, writes the findings and ends it complete.
 * On an error the run ends failed (err says why) and -1 is returned.
 */
int	 runlife_finish(struct runlife *r, const struct runlife_finish *f,
	    struct runlife_tally *t, char *err, size_t errlen);
/*
 * Ends the run early with status (RUN_INCOMPLETE: interrupted;
 * RUN_FAILED: an error), keeping what was stored.  Returns 0, or -1 with
 * err when even that could not be recorded; a failed run's own error is
 * the caller's, so for RUN_FAILED err is left alone.
 */
int	 runlife_stop(struct runlife *r, enum run_status status, char *err,
	    size_t errlen);

#endif
