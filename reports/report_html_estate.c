/*
 * report_html_estate: the estate as one self-contained HTML page -- the
 * estate summary first (one row per site and scope: the run it comes
 * from, targets assessed, partially and not assessed, open findings by
 * risk rating, overdue, due within 30 days, waived, leads), the trend of
 * open findings by rating per scope (inline SVG), then every open finding
 * with its site and run, the leads apart, the sector sections (each
 * sector's open findings across the sites) and the host detail (every
 * host with open findings or incomplete coverage, with its site and run;
 * a host the run did not have, whose open findings it carries, too).
 * The same figures as the JSON (report_counts()); every value escaped;
 * no script.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_absent.h"
#include "report_estate.h"
#include "report_hosts.h"
#include "report_html_int.h"
#include "util.h"

static const char *const rating_name[REPORT_RATING__COUNT] = {
	"critical", "high", "medium", "low", "other",
};
/* Bar colours (SVG presentation attributes: no inline style). */
static const char *const rating_fill[REPORT_RATING__COUNT] = {
	"#7a1414", "#c2461a", "#e3a232", "#a9c6dc", "#c9c9c9",
};

static void
num_td(struct html *h, size_t n)
{
	html_rawf(h, "<td class=\"num%s\">%zu</td>", n == 0 ? " zero" : "",
	    n);
}

/* The summary's figures of one row: targets ... leads. */
static void
count_tds(struct html *h, const struct report_counts *c)
{
	size_t i;

	num_td(h, c->targets);
	num_td(h, c->assessed);
	num_td(h, c->partial);
	num_td(h, c->not_assessed);
	num_td(h, c->neighbour);
	for (i = 0; i < REPORT_RATING_OTHER; i++)
		num_td(h, c->by_rating[i]);
	num_td(h, c->overdue);
	num_td(h, c->due_30);
	num_td(h, c->waived);
	num_td(h, c->leads);
}

static void
summary_row(struct html *h, const struct estate_part *p)
{
	const struct report_counts *c = &p->counts;

	html_raw(h, "<tr data-site=\"");
	html_text(h, p->site != NULL ? p->site : "");
	html_raw(h, "\"><td>");
	html_text_or(h, p->site, NA);
	html_raw(h, "</td><td class=\"brk\">");
	html_text_or(h, p->scope, NA);
	html_rawf(h, "</td><td class=\"nw\">#%lld, ", (long long)p->run);
	rhtml_date(h, p->started);
	html_raw(h, "</td>");
	count_tds(h, c);
	html_raw(h, "</tr>\n");
}

static void
summary(struct html *h, const struct estate *e)
{
	const struct report_counts *t = &e->total;
	size_t i;

	html_raw(h, "<section class=\"major\" id=\"estate\">\n"
	    "<h2>Estate summary</h2>\n<p>One row per site and scope: its "
	    "latest complete run. Targets are counted as assessed, partially "
	    "assessed or not assessed (not assessed is not clean); devices "
	    "seen only in other devices' neighbour tables are counted apart. "
	    "Open findings by risk rating do not include waived ones; overdue "
	    "and due within 30 days are judged on the day each run started."
	    "</p>\n<table id=\"estate-summary\"><thead><tr><th>Site</th>"
	    "<th>Scope</th><th>Run</th><th class=\"num\">Targets</th>"
	    "<th class=\"num\">Assessed</th><th class=\"num\">Partially</th>"
	    "<th class=\"num\">Not assessed</th><th class=\"num\">Neighbour "
	    "devices</th><th class=\"num\">Critical</th><th class=\"num\">"
	    "High</th><th class=\"num\">Medium</th><th class=\"num\">Low</th>"
	    "<th class=\"num\">Overdue</th><th class=\"num\">Due &le; 30 d"
	    "</th><th class=\"num\">Waived</th><th class=\"num\">Leads</th>"
	    "</tr></thead><tbody>\n");
	for (i = 0; i < e->n; i++)
		summary_row(h, &e->parts[i]);
	html_raw(h, "</tbody><tfoot><tr class=\"total\"><th colspan=\"3\">"
	    "Estate</th>");
	count_tds(h, t);
	html_raw(h, "</tr></tfoot></table>\n</section>\n");
}

/* Stacked bars of open (unwaived) findings by rating, one per run. */
static void
trend_chart(struct html *h, const struct estate_part *p)
{
	const int W = 640, H = 160, L = 40, B = 24;
	size_t i, k, max = 1, sum;
	int bw, x, y, hh;

	for (i = 0; i < p->ntrend; i++) {
		for (sum = 0, k = 0; k < REPORT_RATING__COUNT; k++)
			sum += p->trend[i].by_rating[k];
		if (sum > max)
			max = sum;
	}
	bw = p->ntrend > 0 ? (W - L) / (int)p->ntrend : W - L;
	if (bw > 60)
		bw = 60;
	html_raw(h, "<figure><svg class=\"chart\" role=\"img\" viewBox=\"0 0 "
	    "640 160\" aria-label=\"Open findings by risk rating per run of ");
	html_text(h, p->scope != NULL ? p->scope : "");
	html_raw(h, "\">");
	html_rawf(h, "<text x=\"0\" y=\"12\">%zu</text><text x=\"0\" y=\"%d\">"
	    "0</text>", max, H - B);
	for (i = 0; i < p->ntrend; i++) {
		x = L + (int)i * bw;
		y = H - B;
		for (k = 0; k < REPORT_RATING__COUNT; k++) {
			if (p->trend[i].by_rating[k] == 0)
				continue;
			hh = (int)((double)p->trend[i].by_rating[k] *
			    (H - B - 14) / (double)max);
			if (hh < 1)
				hh = 1;
			y -= hh;
			html_rawf(h, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"%s\"><title>run #%lld: %zu "
			    "%s</title></rect>", x + 2, y, bw - 4, hh,
			    rating_fill[k], (long long)p->trend[i].run,
			    p->trend[i].by_rating[k], rating_name[k]);
		}
		html_rawf(h, "<text x=\"%d\" y=\"%d\">#%lld</text>", x + 2,
		    H - 8, (long long)p->trend[i].run);
	}
	html_raw(h, "</svg><figcaption>");
	html_text_or(h, p->site, "");
	html_raw(h, " \xc2\xb7 ");
	html_text_or(h, p->scope, "");
	html_rawf(h, ": open findings by risk rating over %zu complete run%s "
	    "(critical dark red, high orange, medium amber, low blue)"
	    "</figcaption></figure>\n", p->ntrend, p->ntrend == 1 ? "" : "s");
}

static void
trend(struct html *h, const struct estate *e)
{
	size_t i;

	html_raw(h, "<section class=\"major\" id=\"trend\">\n<h2>Trend: are we "
	    "getting better?</h2>\n");
	for (i = 0; i < e->n; i++)
		trend_chart(h, &e->parts[i]);
	html_raw(h, "</section>\n");
}

struct fctx {
	struct html		*h;
	const struct report_opts *o;
	const struct estate_part *p;
	size_t			 n;
	/* The sector sections: only findings of this sector (NULL: none). */
	int			 by_sector;
	const char		*sector;
};

static int
finding_cb(void *arg, const struct finding_row *r)
{
	struct fctx *x = arg;
	struct html *h = x->h;
	size_t old = h->cut;

	if (!report_sector_kept(x->o, r->h.sector) ||
	    strcmp(r->status, "resolved") == 0)
		return 0;
	if (x->by_sector && (x->sector == NULL ? r->h.sector != NULL &&
	    r->h.sector[0] != '\0' : r->h.sector == NULL ||
	    strcasecmp(r->h.sector, x->sector) != 0))
		return 0;
	x->n++;
	h->cut = CUT_CELL;
	html_raw(h, "<tr><td>");
	html_text_or(h, x->p->site, NA);
	html_rawf(h, "</td><td class=\"nw\">#%lld</td><td class=\"mono "
	    "fid\">", (long long)x->p->run);
	html_text(h, r->f.finding_id);
	html_raw(h, "</td><td>");
	html_text(h, r->status);
	if (r->unverified)
		html_raw(h, " <span class=\"st st-unverified\">unverified"
		    "</span>");
	if (r->waived_until != NULL)
		html_raw(h, " <span class=\"st st-waived\">waived</span>");
	html_raw(h, "</td><td>");
	html_text_or(h, r->f.risk_rating, NA);
	html_raw(h, "</td><td class=\"brk\">");
	html_text_or(h, r->f.vendor, NA);
	html_raw(h, " \xc2\xb7 ");
	html_text_or(h, r->f.product, NA);
	html_raw(h, "</td><td class=\"brk\">");
	html_text_or(h, r->f.asset, NA);
	html_raw(h, " <span class=\"sub mono\">");
	html_text_or(h, r->f.address, "");
	html_raw(h, "</span></td><td class=\"brk\">");
	html_text_or(h, r->h.site, NA);
	html_raw(h, "</td><td class=\"nw\">");
	html_text_or(h, r->f.due_date, NA);
	html_raw(h, "</td><td class=\"brk\">");
	h->cut = CUT_LONG;
	if (r->unverified)
		html_text(h, r->note != NULL ? r->note :
		    "the host was not assessed");
	html_raw(h, "</td></tr>\n");
	h->cut = old;
	return 0;
}

static int
lead_cb(void *arg, const struct lead_row *r)
{
	struct fctx *x = arg;
	struct html *h = x->h;
	size_t old = h->cut;

	if (!report_sector_kept(x->o, r->h.sector))
		return 0;
	x->n++;
	h->cut = CUT_CELL;
	html_raw(h, "<tr><td>");
	html_text_or(h, x->p->site, NA);
	html_rawf(h, "</td><td class=\"nw\">#%lld</td><td class=\"mono "
	    "fid\">", (long long)x->p->run);
	html_text(h, r->finding_id);
	html_raw(h, "</td><td class=\"brk\">");
	html_text_or(h, r->vendor, NA);
	html_raw(h, " \xc2\xb7 ");
	html_text_or(h, r->product, NA);
	html_raw(h, "</td><td class=\"brk\">");
	html_text_or(h, r->asset, NA);
	html_raw(h, " <span class=\"sub mono\">");
	html_text_or(h, r->address, "");
	html_raw(h, "</span></td><td class=\"brk\">");
	h->cut = CUT_LONG;
	html_text_or(h, r->evidence, NA);
	html_raw(h, "</td><td class=\"brk\">");
	html_text_or(h, r->reason, NA);
	html_raw(h, "</td></tr>\n");
	h->cut = old;
	return 0;
}

static int
findings(struct html *h, struct store *s, const struct report_opts *o,
    const struct estate *e, char *err, size_t errlen)
{
	struct fctx x;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.h = h;
	x.o = o;
	html_rawf(h, "<section class=\"major\" id=\"findings\">\n<h2>Open "
	    "findings (%zu)</h2>\n<p>Every open finding of the estate, with "
	    "the site and run it comes from. Unverified: not observed in its "
	    "run, but not verified gone either.</p>\n<table id=\"estate-"
	    "findings\"><thead><tr><th>Site</th><th>Run</th><th>Finding</th>"
	    "<th>Status</th><th>Rating</th><th>What</th><th>Asset</th>"
	    "<th>Host site</th><th>Due</th><th>Not verified</th></tr></thead>"
	    "<tbody>\n", e->total.open);
	for (i = 0; i < e->n; i++) {
		x.p = &e->parts[i];
		if (store_each_finding(s, x.p->run, finding_cb, &x, err,
		    errlen) != 0)
			return -1;
	}
	html_raw(h, "</tbody></table>\n</section>\n");
	html_rawf(h, "<section class=\"major\" id=\"leads-section\">\n"
	    "<h2 id=\"leads\">Leads to check (%zu)</h2>\n<p>Leads are "
	    "<b>not findings</b>: not prohibited themselves, they point at a "
	    "former or possible banned install. Check each host on site."
	    "</p>\n<table id=\"estate-leads\"><thead><tr><th>Site</th><th>"
	    "Run</th><th>Lead</th><th>What</th><th>Host</th><th>Evidence"
	    "</th><th>Why it is a lead</th></tr></thead><tbody>\n",
	    e->total.leads);
	for (i = 0; i < e->n; i++) {
		x.p = &e->parts[i];
		if (store_each_lead(s, x.p->run, lead_cb, &x, err,
		    errlen) != 0)
			return -1;
	}
	html_raw(h, "</tbody></table>\n</section>\n");
	return 0;
}

/* The sectors of the estate's hosts, sorted, once each; NULL: none. */
struct sectors {
	char		**v;
	size_t		 n, cap;
	int		 none;		/* a host without a sector */
	int		 oom;
	const struct report_opts *o;
};

/* Adds sector (NULL or "": none) to the set once; 1 when out of memory. */
static int
sector_add(struct sectors *x, const char *sector)
{
	size_t i;

	if (!report_sector_kept(x->o, sector))
		return 0;
	if (sector == NULL || sector[0] == '\0') {
		x->none = 1;
		return 0;
	}
	for (i = 0; i < x->n; i++)
		if (strcasecmp(x->v[i], sector) == 0)
			return 0;
	if (array_grow(&x->v, x->n, &x->cap, sizeof(*x->v)) != 0) {
		x->oom = 1;
		return 1;
	}
	x->v[x->n] = strdup(sector);
	if (x->v[x->n] == NULL) {
		x->oom = 1;
		return 1;
	}
	x->n++;
	return 0;
}

static int
sector_cb(void *arg, const struct host_row *r)
{
	return sector_add(arg, r->h.sector);
}

/*
 * The sector of an open finding: one carried from a host this run did
 * not see has no host row in the run, and must have its section too.
 */
static int
sector_finding_cb(void *arg, const struct finding_row *r)
{
	if (strcmp(r->status, "resolved") == 0)
		return 0;
	return sector_add(arg, r->h.sector);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* One sector's open findings across the sites. */
static int
sector_section(struct html *h, struct store *s, const struct report_opts *o,
    const struct estate *e, const char *sector, char *err, size_t errlen)
{
	struct fctx x;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.h = h;
	x.o = o;
	x.by_sector = 1;
	x.sector = sector;
	html_raw(h, "<section class=\"sector\" data-sector=\"");
	html_text(h, sector != NULL ? sector : "");
	html_raw(h, "\">\n<h3>Sector: ");
	html_text_or(h, sector, NO_SECTOR);
	html_raw(h, "</h3>\n<table class=\"estate-sector\"><thead><tr>"
	    "<th>Site</th><th>Run</th><th>Finding</th><th>Status</th>"
	    "<th>Rating</th><th>What</th><th>Asset</th><th>Host site</th>"
	    "<th>Due</th><th>Not verified</th></tr></thead><tbody>\n");
	for (i = 0; i < e->n; i++) {
		x.p = &e->parts[i];
		if (store_each_finding(s, x.p->run, finding_cb, &x, err,
		    errlen) != 0)
			return -1;
	}
	html_rawf(h, "</tbody></table>\n<p class=\"muted\">%zu open "
	    "finding%s in this sector.</p>\n</section>\n", x.n,
	    x.n == 1 ? "" : "s");
	return 0;
}

/* The sector sections: each sector's open findings, every site's. */
static int
sector_sections(struct html *h, struct store *s,
    const struct report_opts *o, const struct estate *e, char *err,
    size_t errlen)
{
	struct sectors x;
	size_t i;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.o = o;
	for (i = 0; i < e->n; i++)
		if (store_each_host(s, e->parts[i].run, sector_cb, &x, err,
		    errlen) != 0 || store_each_finding(s, e->parts[i].run,
		    sector_finding_cb, &x, err, errlen) != 0)
			goto out;
	if (x.oom) {
		errf(err, errlen, "cannot write the HTML report: %s",
		    strerror(ENOMEM));
		goto out;
	}
	if (x.n > 1)
		qsort(x.v, x.n, sizeof(*x.v), cmp_str);
	html_raw(h, "<section class=\"major\" id=\"sectors\">\n<h2>By "
	    "sector</h2>\n<p>Each sector's open findings across the sites, "
	    "with the site and run each comes from.</p>\n");
	for (i = 0; i < x.n; i++)
		if (sector_section(h, s, o, e, x.v[i], err, errlen) != 0)
			goto out;
	if (x.none && sector_section(h, s, o, e, NULL, err, errlen) != 0)
		goto out;
	html_raw(h, "</section>\n");
	rc = 0;
out:
	for (i = 0; i < x.n; i++)
		free(x.v[i]);
	free(x.v);
	return rc;
}

struct hdctx {
	struct html		*h;
	const struct report_opts *o;
	const struct estate_part *p;
	size_t			 n;
};

static const char *
assess_text(enum assess_level a)
{
	switch (a) {
	case ASSESS_FULL:
		return "assessed";
	case ASSESS_PARTIAL:
		return "partially assessed";
	case ASSESS_NONE:
		return "not assessed";
	default:
		return "neighbour tables only";
	}
}

/*
 * One row of the host detail: the part's site and run, the host's
 * address and name, kind, sector, site, owner, assessment (kind and
 * assess are HTML) and open findings.
 */
static void
detail_row(struct hdctx *x, const struct host_attrs *a, const char *kind,
    const char *assess, size_t open)
{
	struct html *h = x->h;
	size_t old = h->cut;

	x->n++;
	h->cut = CUT_CELL;
	html_raw(h, "<tr><td>");
	html_text_or(h, x->p->site, NA);
	html_rawf(h, "</td><td class=\"nw\">#%lld</td><td class=\"brk\">",
	    (long long)x->p->run);
	html_text_or(h, a->address, NA);
	html_raw(h, " <span class=\"sub\">");
	html_text_or(h, a->name, "");
	html_rawf(h, "</span></td><td>%s</td><td>", kind);
	html_text_or(h, a->sector, NO_SECTOR);
	html_raw(h, "</td><td class=\"brk\">");
	html_text_or(h, a->site, NA);
	html_raw(h, "</td><td class=\"brk\">");
	html_text_or(h, a->owner, NA);
	html_rawf(h, "</td><td>%s</td>", assess);
	num_td(h, open);
	html_raw(h, "</tr>\n");
	h->cut = old;
}

static int
detail_cb(void *arg, const struct report_host *rh)
{
	struct hdctx *x = arg;

	if (rh->open == 0 && (rh->assess == ASSESS_FULL ||
	    rh->assess == ASSESS_NEIGHBOUR))
		return 0;
	detail_row(x, &rh->row->h, report_host_kind_name(rh->kind),
	    assess_text(rh->assess), rh->open);
	return 0;
}

/* The hosts of the part's open findings that its run did not have. */
static int
absent_rows(struct hdctx *x, struct store *s, char *err, size_t errlen)
{
	struct report_absent *v;
	struct host_attrs ha;
	size_t i, n;

	if (report_absent(s, x->o, x->p->run, &v, &n, err, errlen) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		memset(&ha, 0, sizeof(ha));
		ha.address = v[i].address;
		ha.name = v[i].name;
		ha.sector = v[i].sector;
		ha.site = v[i].site;
		ha.owner = v[i].owner;
		detail_row(x, &ha, NA, "not in this run", v[i].open);
	}
	report_absent_free(v, n);
	return 0;
}

/*
 * The host detail across the sites: every host with open findings or
 * incomplete coverage, with its site and run (the per-run report has each
 * host's full article) -- a host the run did not have at all, whose open
 * findings it carries, too: "not in this run".
 */
static int
host_detail(struct html *h, struct store *s, const struct report_opts *o,
    const struct estate *e, char *err, size_t errlen)
{
	struct hdctx x;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.h = h;
	x.o = o;
	html_raw(h, "<section class=\"major\" id=\"hosts\">\n<h2>Host "
	    "detail</h2>\n<p>Every host with open findings or incomplete "
	    "coverage, across the sites, with the site and run it comes "
	    "from (<i>not in this run</i>: a host the run did not reach or "
	    "target, whose open findings it carries unverified); "
	    "<code>report --run ID</code> gives a run's full host "
	    "articles.</p>\n<table id=\"estate-hosts\"><thead><tr><th>Site"
	    "</th><th>Run</th><th>Host</th><th>Kind</th><th>Sector</th>"
	    "<th>Host site</th><th>Owner</th><th>Assessment</th>"
	    "<th class=\"num\">Open findings</th></tr></thead><tbody>\n");
	for (i = 0; i < e->n; i++) {
		x.p = &e->parts[i];
		if (report_each_host(s, x.p->run, o->sector, detail_cb, &x,
		    err, errlen) != 0 || absent_rows(&x, s, err, errlen) != 0)
			return -1;
	}
	html_rawf(h, "</tbody></table>\n<p class=\"muted\">%zu host%s."
	    "</p>\n</section>\n", x.n, x.n == 1 ? "" : "s");
	return 0;
}

int
report_estate_html(struct store *s, const struct report_opts *o,
    const struct estate *e, FILE *fp, char *err, size_t errlen)
{
	char style[HTML_CSP_HASH_LEN];
	struct html h;

	if (html_csp_hash(rhtml_style, style, sizeof(style)) == -1)
		return errf(err, errlen, "cannot hash the report's style "
		    "(libcrypto)");
	html_init(&h, fp);
	html_raw(&h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-"
	    "Policy\" content=\"default-src 'none'; style-src ");
	html_raw(&h, style);
	html_raw(&h, "; script-src 'none'; img-src data:; base-uri 'none'; "
	    "form-action 'none'\">\n<meta name=\"referrer\" content=\"no-"
	    "referrer\">\n<meta name=\"viewport\" content=\"width=device-"
	    "width, initial-scale=1\">\n<meta name=\"generator\" content=\""
	    "banaudit " BANAUDIT_VERSION "\">\n<link rel=\"icon\" href=\""
	    "data:,\">\n<title>Banned-vendor audit \xe2\x80\x94 estate"
	    "</title>\n<style>");
	html_raw(&h, rhtml_style);
	html_raw(&h, "</style>\n</head>\n<body>\n<main>\n<header class=\""
	    "cover\">\n<p class=\"kicker\">banaudit \xc2\xb7 banned-vendor "
	    "equipment and software audit</p>\n<h1>Estate report</h1>\n");
	html_rawf(&h, "<p class=\"lead\">%zu site%s and scope%s, each from its "
	    "latest complete run: <b>%zu open finding%s</b> on %zu targets "
	    "(%zu assessed, %zu partially, %zu not assessed); %zu lead%s to "
	    "check.</p>\n", e->n, e->n == 1 ? "" : "s", e->n == 1 ? "" : "s",
	    e->total.open, e->total.open == 1 ? "" : "s", e->total.targets,
	    e->total.assessed, e->total.partial, e->total.not_assessed,
	    e->total.leads, e->total.leads == 1 ? "" : "s");
	if (o->site != NULL || o->sector != NULL) {
		html_raw(&h, "<div class=\"banner warn\">Limited to");
		if (o->site != NULL) {
			html_raw(&h, " site <b>");
			html_text(&h, o->site);
			html_raw(&h, "</b>");
		}
		if (o->sector != NULL) {
			html_raw(&h, " sector <b>");
			html_text(&h, o->sector);
			html_raw(&h, "</b>");
		}
		html_raw(&h, ".</div>\n");
	}
	html_raw(&h, "</header>\n");
	summary(&h, e);
	trend(&h, e);
	if (findings(&h, s, o, e, err, errlen) != 0 ||
	    sector_sections(&h, s, o, e, err, errlen) != 0 ||
	    host_detail(&h, s, o, e, err, errlen) != 0)
		return -1;
	html_raw(&h, "</main>\n<footer><p>Written by banaudit "
	    BANAUDIT_VERSION " from the audit database. Hosts that were not "
	    "assessed are unknown, not clean.</p></footer>\n</body>\n"
	    "</html>\n");
	if (h.error != 0)
		return errf(err, errlen, "cannot write the report: %s",
		    strerror(h.error > 0 ? h.error : EIO));
	return 0;
}
