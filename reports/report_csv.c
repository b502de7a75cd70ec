/*
 * report_csv: the CSV reports -- findings for risk registers (columns
 * fixed by the DESIGN contract), leads-csv (leads to check, never
 * findings), inventory-csv (one row per observation) and coverage-csv
 * (one row per host, channel and probe).
 * Every cell goes through csvout, so values from the network are quoted and
 * neutralised.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "report.h"
#include "util.h"

/*
 * The 24 contract columns, in order, then the columns added since (a
 * compatible extension: appended, never inserted): the active waiver, and
 * a note saying when a "persisting" status is carried unverified because
 * this run could not read completely what its evidence came from
 * (resolution.h), and when it was last observed; the run the row comes
 * from (an estate report combines several); what each cited regulation
 * means for the host's owner (binding_scope, juris.h) and the host's
 * jurisdiction.
 */
static const char *const finding_columns[] = {
	"finding_id", "status", "first_seen", "last_seen", "sector", "site",
	"owner", "asset", "address", "vendor", "product", "channel",
	"evidence", "confidence", "regulation", "citation", "effective_date",
	"severity", "likelihood", "impact", "risk_score", "risk_rating",
	"recommended_action", "due_date",
	"waived_until", "waiver_reason", "note", "run", "binding_scope",
	"jurisdiction",
};

/*
 * Leads: things to check on site that are not findings -- no status,
 * regulation, risk or due date; reason says why it is a lead.
 */
static const char *const lead_columns[] = {
	"lead_id", "seen", "sector", "site", "owner", "asset", "address",
	"vendor", "product", "channel", "evidence", "confidence", "reason",
	"run",
};

static const char *const inventory_columns[] = {
	"run", "host", "address", "host_name", "sector", "site", "channel",
	"kind", "item", "attr", "source", "value", "vtype", "seen",
};

static const char *const coverage_columns[] = {
	"run", "host", "address", "host_name", "sector", "site", "owner",
	"channel", "probe", "status", "detail", "profile", "elapsed_ms",
};

struct csv_report {
	struct csvout	 out;
	const char	*sector;	/* filter, or NULL */
	int64_t		 run;		/* the run being written */
	char		*buf;		/* rendered value */
	size_t		 bufsize;
};

static int
keep(const struct csv_report *r, const char *sector)
{
	return r->sector == NULL || str_ieq(r->sector, sector);
}

/* A callback's verdict: stop iterating once a write failed. */
static int
line_done(struct csv_report *r)
{
	csvout_end(&r->out);
	return csvout_status(&r->out) != 0;
}

/* Starts report r on fp: the sector filter, then the header row. */
static void
begin(struct csv_report *r, const struct report_opts *opts, FILE *fp,
    const char *const *columns, size_t ncolumns)
{
	memset(r, 0, sizeof(*r));
	csvout_init(&r->out, fp);
	r->sector = opts->sector;
	csvout_row(&r->out, columns, ncolumns);
}

static int
finish(struct csv_report *r, int rc, char *err, size_t errlen)
{
	free(r->buf);
	if (rc == -1)
		return -1;
	if (csvout_status(&r->out) != 0)
		return errf(err, errlen, "cannot write the report: %s",
		    strerror(errno != 0 ? errno : EIO));
	return 0;
}

/* One store reader per report: every row of run to its callback. */
typedef int (*each_fn)(struct store *, int64_t run, struct csv_report *,
    char *err, size_t errlen);

static int finding_cb(void *, const struct finding_row *);
static int lead_cb(void *, const struct lead_row *);
static int observation_cb(void *, const struct obs_row *);
static int coverage_cb(void *, const struct coverage_row *);

static int
each_finding(struct store *s, int64_t run, struct csv_report *r, char *err,
    size_t errlen)
{
	return store_each_finding(s, run, finding_cb, r, err, errlen);
}

static int
each_lead(struct store *s, int64_t run, struct csv_report *r, char *err,
    size_t errlen)
{
	return store_each_lead(s, run, lead_cb, r, err, errlen);
}

static int
each_observation(struct store *s, int64_t run, struct csv_report *r,
    char *err, size_t errlen)
{
	return store_each_observation(s, run, 0, observation_cb, r, err,
	    errlen);
}

static int
each_coverage(struct store *s, int64_t run, struct csv_report *r, char *err,
    size_t errlen)
{
	return store_each_coverage(s, run, coverage_cb, r, err, errlen);
}

/*
 * Writes a CSV report: the header, then the rows of each run the options
 * select (one run, or each scope's latest for the estate), in run order.
 */
static int
write_runs(struct store *s, const struct report_opts *opts, FILE *fp,
    const char *const *cols, size_t ncols, each_fn each, char *err,
    size_t errlen)
{
	struct csv_report r;
	const int64_t *runs;
	size_t i, n;
	int rc;

	begin(&r, opts, fp, cols, ncols);
	n = report_runs_of(opts, &runs);
	for (i = 0, rc = 0; i < n && rc == 0; i++) {
		r.run = runs[i];
		rc = each(s, runs[i], &r, err, errlen);
	}
	return finish(&r, rc, err, errlen);
}

static int
finding_cb(void *arg, const struct finding_row *row)
{
	struct csv_report *r = arg;
	struct csvout *o = &r->out;
	const struct finding *f = &row->f;
	char first[16], last[16], note[1200];

	if (!keep(r, row->h.sector))
		return 0;
	fmt_date(row->first_seen, first, sizeof(first));
	fmt_date(row->last_seen, last, sizeof(last));
	csvout_cell(o, f->finding_id);
	csvout_cell(o, row->status);
	csvout_cell(o, first);
	csvout_cell(o, last);
	csvout_cell(o, row->h.sector);
	csvout_cell(o, row->h.site);
	csvout_cell(o, row->h.owner);
	csvout_cell(o, f->asset);
	csvout_cell(o, f->address);
	csvout_cell(o, f->vendor);
	csvout_cell(o, f->product);
	csvout_cell(o, f->channel);
	csvout_cell(o, f->evidence);
	csvout_cell(o, f->confidence);
	csvout_cell(o, f->regulation);
	csvout_cell(o, f->citation);
	csvout_cell(o, f->effective_date);
	csvout_cell(o, f->severity);
	csvout_int(o, f->likelihood);
	csvout_int(o, f->impact);
	csvout_int(o, f->risk_score);
	csvout_cell(o, f->risk_rating);
	csvout_cell(o, f->recommended_action);
	csvout_cell(o, f->due_date);
	csvout_cell(o, row->waived_until);
	csvout_cell(o, row->waiver_reason);
	if (row->unverified)
		snprintf(note, sizeof(note), "not verified in this run: %s; "
		    "last observed %s", row->note != NULL ? row->note :
		    "the host was not assessed", last);
	csvout_cell(o, row->unverified ? note : NULL);
	csvout_int(o, r->run);
	csvout_cell(o, f->binding_scope);
	csvout_cell(o, row->h.jurisdiction);
	return line_done(r);
}

int
report_csv_findings(struct store *s, const struct report_opts *opts,
    FILE *fp, char *err, size_t errlen)
{
	return write_runs(s, opts, fp, finding_columns,
	    NELEM(finding_columns), each_finding, err, errlen);
}

static int
lead_cb(void *arg, const struct lead_row *row)
{
	struct csv_report *r = arg;
	struct csvout *o = &r->out;
	char seen[16];

	if (!keep(r, row->h.sector))
		return 0;
	fmt_date(row->seen, seen, sizeof(seen));
	csvout_cell(o, row->finding_id);
	csvout_cell(o, seen);
	csvout_cell(o, row->h.sector);
	csvout_cell(o, row->h.site);
	csvout_cell(o, row->h.owner);
	csvout_cell(o, row->asset);
	csvout_cell(o, row->address);
	csvout_cell(o, row->vendor);
	csvout_cell(o, row->product);
	csvout_cell(o, row->channel);
	csvout_cell(o, row->evidence);
	csvout_cell(o, row->confidence);
	csvout_cell(o, row->reason);
	csvout_int(o, r->run);
	return line_done(r);
}

int
report_csv_leads(struct store *s, const struct report_opts *opts,
    FILE *fp, char *err, size_t errlen)
{
	return write_runs(s, opts, fp, lead_columns,
	    NELEM(lead_columns), each_lead, err, errlen);
}

/*
 * How inventory-csv shows a raw value: a 6-byte hex value as a MAC
 * (aa:bb:cc:dd:ee:ff), any other hex value as 0x hex even when its bytes
 * happen to be printable (an engine ID is not text), everything else
 * through render_value() (text as text, binary as 0x hex).
 */
static const char *
render(struct csv_report *r, const struct observation *ob)
{
	const unsigned char *v = ob->value;
	size_t need = 2 * ob->len + 3;	/* "0x", hex digits, NUL */

	if (need < sizeof("aa:bb:cc:dd:ee:ff"))
		need = sizeof("aa:bb:cc:dd:ee:ff");

	if (need > r->bufsize) {
		char *nbuf = realloc(r->buf, need);

		if (nbuf == NULL)
			return NULL;
		r->buf = nbuf;
		r->bufsize = need;
	}
	if (ob->vtype == VAL_HEX && ob->len == 6)
		snprintf(r->buf, r->bufsize, "%02x:%02x:%02x:%02x:%02x:%02x",
		    v[0], v[1], v[2], v[3], v[4], v[5]);
	else if (ob->vtype == VAL_HEX && ob->len > 0) {
		r->buf[0] = '0';
		r->buf[1] = 'x';
		hex_encode(v, ob->len, r->buf + 2);
	} else
		render_value(v, ob->len, r->buf, r->bufsize);
	return r->buf;
}

static int
observation_cb(void *arg, const struct obs_row *row)
{
	struct csv_report *r = arg;
	struct csvout *o = &r->out;
	const char *value;
	char seen[32];

	if (!keep(r, row->h.sector))
		return 0;
	value = render(r, &row->obs);
	if (value == NULL) {
		r->out.error = 1;	/* out of memory: stop, report */
		return 1;
	}
	fmt_time(row->seen, seen, sizeof(seen));
	csvout_int(o, row->run);
	csvout_cell(o, row->host_identity);
	csvout_cell(o, row->h.address);
	csvout_cell(o, row->h.name);
	csvout_cell(o, row->h.sector);
	csvout_cell(o, row->h.site);
	csvout_cell(o, channel_name(row->channel));
	csvout_cell(o, obs_kind_name(row->obs.kind));
	csvout_cell(o, row->obs.item);
	csvout_cell(o, row->obs.attr);
	csvout_cell(o, row->obs.source);
	csvout_cell(o, value);
	csvout_cell(o, value_type_name(row->obs.vtype));
	csvout_cell(o, seen);
	return line_done(r);
}

int
report_csv_inventory(struct store *s, const struct report_opts *opts,
    FILE *fp, char *err, size_t errlen)
{
	return write_runs(s, opts, fp, inventory_columns,
	    NELEM(inventory_columns), each_observation, err, errlen);
}

static int
coverage_cb(void *arg, const struct coverage_row *row)
{
	struct csv_report *r = arg;
	struct csvout *o = &r->out;

	if (!keep(r, row->h.sector))
		return 0;
	csvout_int(o, row->run);
	csvout_cell(o, row->host_identity);
	csvout_cell(o, row->h.address);
	csvout_cell(o, row->h.name);
	csvout_cell(o, row->h.sector);
	csvout_cell(o, row->h.site);
	csvout_cell(o, row->h.owner);
	csvout_cell(o, channel_name(row->cov.channel));
	csvout_cell(o, row->cov.probe);
	csvout_cell(o, cov_status_name(row->cov.status));
	csvout_cell(o, row->cov.detail);
	csvout_cell(o, row->cov.profile);
	csvout_int(o, row->cov.elapsed_ms);
	return line_done(r);
}

int
report_csv_coverage(struct store *s, const struct report_opts *opts,
    FILE *fp, char *err, size_t errlen)
{
	return write_runs(s, opts, fp, coverage_columns,
	    NELEM(coverage_columns), each_coverage, err, errlen);
}
