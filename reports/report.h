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
	REPORT_LEADS_CSV,	/* leads to check: not findings */
	REPORT_JSON,		/* the run as one JSON document */
	REPORT_JSONL,		/* one finding per line (SIEM) */
	REPORT__COUNT
};

struct report_opts {
	enum report_format	 format;
	int64_t			 run;		/* 0: latest, or the estate */
	const char		*sector;	/* filter, or NULL */
	const char		*site;		/* estate filter, or NULL */
	/*
	 * Set by report_write() for the estate: the runs whose rows the CSV
	 * and JSON Lines writers write in turn, one header (run is
	 * runs[0]).  nruns 0: run alone.
	 */
	const int64_t		*runs;
	size_t			 nruns;
	/*
	 * html: above this many hosts (0: REPORT_HTML_MAX_HOSTS) the report
	 * gives counts per sector and site instead of every host and
	 * finding, and names the CSV reports that list them.
	 */
	size_t			 html_max_hosts;
};

/* The runs a writer covers: opts->runs, or opts->run alone; returns n. */
size_t	 report_runs_of(const struct report_opts *, const int64_t **v);

#define REPORT_HTML_MAX_HOSTS	20000

/*
 * Format names: "csv", "inventory-csv", "coverage-csv", "html",
 * "leads-csv", "json", "jsonl".
 */
int	 report_format_from_name(const char *, enum report_format *);

/*
 * Writes the report to out (borrowed; flushed, not closed).  opts->run 0
 * means the newest run of any status (a running or interrupted one too:
 * its status is in the store) -- unless the database holds complete runs
 * of more than one scope (a merged estate) or opts->site is set: then the
 * estate, each scope's latest complete run (report_estate.h), every row
 * naming the run it comes from.  A database without runs is an error.
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
/* Leads (rules.h, ACTION_LEAD): never in the findings CSV. */
int	 report_csv_leads(struct store *, const struct report_opts *,
	    FILE *, char *err, size_t errlen);
/* Open (unwaived) findings by risk rating. */
enum report_rating {
	REPORT_RATING_CRITICAL,
	REPORT_RATING_HIGH,
	REPORT_RATING_MEDIUM,
	REPORT_RATING_LOW,
	REPORT_RATING_OTHER,
	REPORT_RATING__COUNT
};

/*
 * The figures of a run every output shows (report_counts.c), so that they
 * agree.  Hosts of the run other than devices seen only in neighbour
 * tables are targets, each assessed, partially assessed or not assessed
 * (assess_level(), obs.h).  Findings as store_each_finding() gives them;
 * overdue and due within 30 days are judged on the day the run started.
 */
struct report_counts {
	size_t	 targets;
	size_t	 assessed;
	size_t	 partial;
	size_t	 not_assessed;
	size_t	 neighbour;	/* devices seen only in neighbour tables */
	size_t	 open;		/* new + persisting, waived or not */
	size_t	 new_findings;
	size_t	 persisting;
	size_t	 unverified;	/* of persisting: not observed, not gone */
	size_t	 resolved;
	size_t	 waived;	/* of open, under an active waiver */
	size_t	 by_rating[REPORT_RATING__COUNT];	/* open, unwaived */
	size_t	 overdue;	/* open, unwaived, due before the run */
	size_t	 due_30;	/* open, unwaived, due within 30 days */
	size_t	 leads;		/* not findings */
};

/* Fills *c for run (sector NULL: all), or -1 with a message. */
int	 report_counts(struct store *, int64_t run, const char *sector,
	    struct report_counts *c, char *err, size_t errlen);

/*
 * The runs of the database, oldest first, with their figures
 * (report_counts()) and provenance: text, or JSON (docs/runs.schema.json)
 * when json is set.
 */
int	 report_runs(struct store *, int json, FILE *, char *err,
	    size_t errlen);

/*
 * The estate (report_estate.c): how many parts the whole estate has (no
 * site filter; 0 when none), and the estate written as a format -- csv,
 * leads-csv, json, jsonl, inventory-csv, coverage-csv, html.
 */
int	 estate_count(struct store *, size_t *n, char *err, size_t errlen);
int	 report_estate(struct store *, const struct report_opts *, FILE *,
	    char *err, size_t errlen);

/* JSON (docs/report.schema.json) and JSON Lines (report_json.c). */
int	 report_json(struct store *, const struct report_opts *, FILE *,
	    char *err, size_t errlen);
int	 report_jsonl(struct store *, const struct report_opts *, FILE *,
	    char *err, size_t errlen);
/* The self-contained HTML report (report_html*.c). */
int	 report_html(struct store *, const struct report_opts *, FILE *,
	    char *err, size_t errlen);

#endif
