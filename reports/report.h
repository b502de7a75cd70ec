/*
 * report: turns the store into what users hand on -- the findings CSV for
 * risk registers, inventory-csv and coverage-csv for analysts, and the HTML
 * report.  Reports read only the store.
 */
#ifndef BANAUDIT_REPORT_H
#define BANAUDIT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "store.h"

enum report_format {
	REPORT_CSV,		/* findings, risk-register columns */
	REPORT_INVENTORY_CSV,	/* one row per observation */
	REPORT_COVERAGE_CSV,	/* one row per host, channel and probe */
	REPORT_HTML,
	REPORT__COUNT
};

struct report_opts {
	enum report_format	 format;
	int64_t			 run;		/* 0 = latest run */
	const char		*sector;	/* filter, or NULL */
	/*
	 * html: above this many hosts (0: REPORT_HTML_MAX_HOSTS) the report
	 * gives counts per sector and site instead of every host and
	 * finding, and names the CSV reports that list them.
	 */
	size_t			 html_max_hosts;
};

#define REPORT_HTML_MAX_HOSTS	20000

/* Format names: "csv", "inventory-csv", "coverage-csv", "html". */
int	 report_format_from_name(const char *, enum report_format *);
const char *report_format_name(enum report_format);

/*
 * Writes the report to out (borrowed; flushed, not closed).  opts->run 0
 * means the newest run of any status (a running or interrupted one too:
 * its status is in the store); a database without runs is an error.
 * opts->sector keeps only hosts of that sector (case-insensitive).
 * Returns 0 or -1 with a message (unknown run, database or write error).
 */
int	 report_write(struct store *, const struct report_opts *, FILE *out,
	    char *err, size_t errlen);

/*
 * The writers behind report_write(), one per format; opts->run is an
 * existing run id.  A format whose writer is not built in is refused by
 * report_write().
 */
int	 report_csv_findings(struct store *, const struct report_opts *,
	    FILE *, char *err, size_t errlen);
int	 report_csv_inventory(struct store *, const struct report_opts *,
	    FILE *, char *err, size_t errlen);
int	 report_csv_coverage(struct store *, const struct report_opts *,
	    FILE *, char *err, size_t errlen);
/* The self-contained HTML report (report_html*.c). */
int	 report_html(struct store *, const struct report_opts *, FILE *,
	    char *err, size_t errlen);

#endif
