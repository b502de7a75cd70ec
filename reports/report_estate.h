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

/* report_html_estate.c: the estate as HTML. */
int	 report_estate_html(struct store *, const struct report_opts *,
	    const struct estate *, FILE *, char *err, size_t errlen);
/* report_json.c: the estate as one document (format banaudit-estate). */
int	 report_json_estate(struct store *, const struct report_opts *,
	    const struct estate *, FILE *, char *err, size_t errlen);

#endif
