/*
 * report: turns the store into what users hand on -- the findings CSV for
 * risk registers, inventory-csv and coverage-csv for analysts, and the HTML
 * report.  Reports read only the store.
 */
#ifndef BANAUDIT_REPORT_H
#define BANAUDIT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "../src/store.h"

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
};

int	 report_format_from_name(const char *, enum report_format *);
const char *report_format_name(enum report_format);

/* Writes the report to out.  Returns 0 or -1 with a message. */
int	 report_write(struct store *, const struct report_opts *, FILE *out,
	    char *err, size_t errlen);

#endif
