/*
 * report: the format registry and report_write(), which resolves the run
 * and hands the store to the format's writer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "util.h"

struct report_writer {
	const char	*name;
	/* NULL: the format is not built in. */
	int		(*write)(struct store *, const struct report_opts *,
			    FILE *, char *, size_t);
};

static const struct report_writer writers[REPORT__COUNT] = {
	[REPORT_CSV] = { "csv", report_csv_findings },
	[REPORT_INVENTORY_CSV] = { "inventory-csv", report_csv_inventory },
	[REPORT_COVERAGE_CSV] = { "coverage-csv", report_csv_coverage },
	[REPORT_HTML] = { "html", report_html },
	[REPORT_LEADS_CSV] = { "leads-csv", report_csv_leads },
	[REPORT_JSON] = { "json", report_json },
	[REPORT_JSONL] = { "jsonl", report_jsonl },
};

int
report_format_from_name(const char *name, enum report_format *out)
{
	size_t i;

	for (i = 0; name != NULL && i < REPORT__COUNT; i++)
		if (strcmp(writers[i].name, name) == 0) {
			*out = (enum report_format)i;
			return 0;
		}
	return -1;
}

int
report_write(struct store *s, const struct report_opts *opts, FILE *out,
    char *err, size_t errlen)
{
	struct report_opts o = *opts;
	struct run_info ri;
	size_t parts = 0;

	if ((unsigned)o.format >= REPORT__COUNT)
		return errf(err, errlen, "unknown report format");
	if (writers[o.format].write == NULL)
		return errf(err, errlen, "format %s is not available in this "
		    "build", writers[o.format].name);
	/*
	 * Whether run 0 is the estate: a count that failed is an error,
	 * never "not an estate" (one scope's run written as if it were all).
	 */
	if (o.run == 0 && o.site == NULL &&
	    estate_count(s, &parts, err, errlen) != 0)
		return -1;
	if (o.run == 0 && (o.site != NULL || parts > 1)) {
		o.runs = NULL;
		o.nruns = 0;
		if (report_estate(s, &o, out, err, errlen) == -1)
			return -1;
		goto flush;
	}
	if (o.run == 0) {
		if (store_latest_run(s, 0, &o.run, err, errlen) == -1)
			return -1;
		if (o.run == 0)
			return errf(err, errlen, "the database has no runs; "
			    "run a scan first");
	} else if (store_run_get(s, o.run, &ri, err, errlen) == -1)
		return -1;
	o.runs = NULL;
	o.nruns = 0;
	if (writers[o.format].write(s, &o, out, err, errlen) == -1)
		return -1;
flush:
	if (fflush(out) == EOF || ferror(out))
		return errf(err, errlen, "cannot write the report: %s",
		    strerror(errno != 0 ? errno : EIO));
	return 0;
}
