/*
 * report_estate: the estate -- a database holding runs of several sites
 * and scopes (a merged central file) reported as one: for each scope its
 * latest complete run, each part named by its run and site, the figures
 * of each part (report_counts()), and per scope the trend of open
 * findings by risk rating over its complete runs.  Private to reports/:
 * report.c chooses the estate, report_estate.c reads it and writes CSV
 * and JSON, report_html_estate.c writes HTML.
 */
#ifndef BANAUDIT_REPORT_ESTATE_H
#define BANAUDIT_REPORT_ESTATE_H

#include <stdint.h>
#include <stdio.h>

#include "report.h"

/* One complete run of a scope, for the trend. */
struct estate_point {
	int64_t		 run;
	int64_t		 started;
	size_t		 by_rating[REPORT_RATING__COUNT];
	size_t		 open;
};

/* One part of the estate: a scope's latest complete run. */
struct estate_part {
	int64_t			 run;
	char			*uuid;
	char			*site;		/* the run's site, else scope */
	char			*scope;
	char			*kind;
	int64_t			 started;
	int64_t			 finished;
	char			*origin;
	struct report_counts	 counts;
	struct estate_point	*trend;		/* oldest first, the run last */
	size_t			 ntrend;
};

struct estate {
	struct estate_part	*parts;		/* by site, then scope */
	size_t			 n;
	struct report_counts	 total;		/* the parts' counts summed */
};

/*
 * The estate of the database, narrowed by opts->site (the part's site,
 * case-insensitive) and opts->sector (the counts' hosts and findings).
 * Free with estate_free().  0, or -1 with a message.
 */
int	 estate_load(struct store *, const struct report_opts *,
	    struct estate *, char *err, size_t errlen);
void	 estate_free(struct estate *);

/*
 * A host a part's run did not have (not reached or not targeted) whose
 * open findings the run carries: what those findings say of it.  The
 * attributes are the host's in the run; the address is the finding's,
 * else the identity.
 */
struct estate_absent {
	int64_t		 host;
	char		*identity;
	char		*address, *name, *sector, *site, *owner;
	char		*jurisdiction;
	int		 criticality;
	size_t		 open;		/* its open findings */
};

/* Keeps the hosts and findings of opts->sector (NULL: every one). */
int	 estate_sector_kept(const struct report_opts *, const char *sector);

/*
 * The hosts of run's open findings (of opts->sector) that the run did not
 * have, in host id order: *v (free with estate_absent_free()) and *n.
 * 0, or -1 with a message.
 */
int	 estate_absent(struct store *, const struct report_opts *, int64_t run,
	    struct estate_absent **v, size_t *n, char *err, size_t errlen);
void	 estate_absent_free(struct estate_absent *, size_t);

/* report_html_estate.c: the estate as HTML. */
int	 report_estate_html(struct store *, const struct report_opts *,
	    const struct estate *, FILE *, char *err, size_t errlen);
/* report_json.c: the estate as one document (format banaudit-estate). */
int	 report_json_estate(struct store *, const struct report_opts *,
	    const struct estate *, FILE *, char *err, size_t errlen);

#endif
