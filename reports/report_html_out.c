/*
 * report_html_out: writes the HTML report from the model -- the cover
 * (the executive summary of report_html_exec.c, then the run, versions
 * and key figures), then one section each for the summary by
 * sector, coverage, findings, change since the previous run and host
 * detail.  Markup is literal; every value goes through html_text() or
 * html_attr(); ids and classes are built from numbers and the model's
 * enums only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report_html_int.h"
#include "util.h"

static const char *
run_status_note(enum run_status s)
{
	switch (s) {
	case RUN_RUNNING:
		return "This run was still running when this report was "
		    "written: its hosts, coverage and findings are not final.";
	case RUN_INCOMPLETE:
		return "This run did not complete (it was interrupted). Hosts "
		    "it did not reach are missing or not assessed, and a "
		    "finding listed as resolved may only not have been "
		    "reached.";
	case RUN_FAILED:
		return "This run failed. Treat every figure below as "
		    "partial: hosts it did not reach are missing or not "
		    "assessed.";
	default:
		return NULL;
	}
}

/* --- head and cover --------------------------------------------------- */

static int
head(struct html *h, const struct model *m, char *err, size_t errlen)
{
	char style[HTML_CSP_HASH_LEN], script[HTML_CSP_HASH_LEN];

	if (html_csp_hash(rhtml_style, style, sizeof(style)) == -1 ||
	    html_csp_hash(rhtml_script, script, sizeof(script)) == -1)
		return errf(err, errlen, "cannot hash the report's style "
		    "and script (libcrypto)");
	html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src ");
	html_raw(h, style);
	html_raw(h, "; script-src ");
	html_raw(h, script);
	html_raw(h, "; img-src data:; base-uri 'none'; form-action 'none'\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta name=\"generator\" content=\"banaudit " BANAUDIT_VERSION
	    "\">\n<link rel=\"icon\" href=\"data:,\">\n<title>");
	html_raw(h, "Banned-vendor audit \xe2\x80\x94 ");
	if (m->run.label != NULL && *m->run.label != '\0') {
		html_text(h, m->run.label);
		html_raw(h, " \xe2\x80\x94 ");
	}
	html_rawf(h, "run %lld</title>\n<style>", (long long)m->run.id);
	html_raw(h, rhtml_style);
	html_raw(h, "</style>\n</head>\n<body>\n");
	return 0;
}

static void
meta_item(struct html *h, const char *term, const char *value,
    const char *none)
{
	html_rawf(h, "<dt>%s</dt><dd>", term);
	html_text_or(h, value, none);
	html_raw(h, "</dd>");
}

static void
meta(struct html *h, const struct model *m)
{
	const struct h_run *r = &m->run;

	html_raw(h, "<dl class=\"meta\">");
	html_rawf(h, "<dt>Run</dt><dd>#%lld <span class=\"mono muted\">",
	    (long long)r->id);
	html_text(h, r->uuid);
	html_raw(h, "</span></dd>");
	meta_item(h, "Label", r->label, NA);
	html_rawf(h, "<dt>Status</dt><dd>%s</dd>", run_status_name(r->status));
	meta_item(h, "Kind", r->kind, NA);
	html_raw(h, "<dt>Started</dt><dd>");
	rhtml_time(h, r->started);
	html_raw(h, "</dd><dt>Finished</dt><dd>");
	if (r->finished > 0)
		rhtml_time(h, r->finished);
	else
		html_raw(h, "<span class=\"na\">not finished</span>");
	html_raw(h, "</dd>");
	meta_item(h, "Scope", r->scope, NA);
	html_raw(h, "<dt>Run sector / site</dt><dd>");
	html_text_or(h, r->sector, "all");
	html_raw(h, " / ");
	html_text_or(h, r->site, "all");
	html_raw(h, "</dd>");
	meta_item(h, "Tool version", r->tool_version, "not recorded");
	meta_item(h, "Rule pack", r->rules_version, "not recorded");
	meta_item(h, "OUI registry", r->oui_registry, "not used");
	html_raw(h, "<dt>Compared with</dt><dd>");
	if (m->prev.id != 0)
		rhtml_run_ref(h, &m->prev);
	else
		html_raw(h, "<span class=\"na\">no earlier complete run of "
		    "this scope</span>");
	html_raw(h, "</dd>");
	if (r->origin != NULL && *r->origin != '\0')
		meta_item(h, "Origin", r->origin, NA);
	html_raw(h, "<dt>Report</dt><dd>banaudit " BANAUDIT_VERSION);
	if (m->filter != NULL) {
		html_raw(h, ", sector ");
		html_text(h, m->filter);
		html_raw(h, " only");
	}
	html_raw(h, "</dd></dl>\n");
}

static void
cover(struct html *h, const struct model *m)
{
	const char *note = run_status_note(m->run.status);
	size_t hosts = m->nhosts, notass, ch;
	char buf[96];

	/* Targets only: the CLI and JSON count the same (report_counts). */
	notass = m->level[LV_NOT_ASSESSED];
	ch = m->open[SEV_CRITICAL] + m->open[SEV_HIGH];
	html_raw(h, "<header class=\"cover\">\n<p class=\"kicker\">banaudit "
	    "\xc2\xb7 banned-vendor equipment and software audit</p>\n"
	    "<h1>Audit report: ");
	if (m->run.label != NULL && *m->run.label != '\0')
		html_text(h, m->run.label);
	else
		html_rawf(h, "run #%lld", (long long)m->run.id);
	html_raw(h, "</h1>\n");
	if (note != NULL)
		html_rawf(h, "<div class=\"banner bad\" role=\"alert\"><b>Run "
		    "%s.</b> %s</div>\n", run_status_name(m->run.status), note);
	if (m->filter != NULL) {
		html_raw(h, "<div class=\"banner warn\">This report is limited "
		    "to the hosts of sector <b>");
		html_text(h, m->filter);
		html_raw(h, "</b>.</div>\n");
	}
	/* Page 1: what a CISO reads and signs. */
	rhtml_exec_summary(h, m);
	html_raw(h, "<div class=\"runinfo\">\n<h2>The run</h2>\n");
	meta(h, m);

	html_raw(h, "<div class=\"kpis\">");
	snprintf(buf, sizeof(buf), "targets in this run (%zu more devices "
	    "seen only in neighbour tables)", m->level[LV_NEIGHBOUR]);
	rhtml_kpi(h, "", hosts - m->level[LV_NEIGHBOUR], buf);
	snprintf(buf, sizeof(buf), "fully assessed (%zu more partially)",
	    m->level[LV_PARTIAL]);
	rhtml_kpi(h, "good", m->level[LV_ASSESSED], buf);
	if (m->nmissing > 0)
		snprintf(buf, sizeof(buf), "not assessed: state unknown (%zu "
		    "more missing from this run)", m->nmissing);
	else
		snprintf(buf, sizeof(buf), "not assessed: state unknown");
	rhtml_kpi(h, notass > 0 ? "warn" : "good", notass, buf);
	snprintf(buf, sizeof(buf), "open findings (%zu new)",
	    m->status[FS_NEW]);
	rhtml_kpi(h, m->nopen > 0 ? "bad" : "good", m->nopen, buf);
	rhtml_kpi(h, ch > 0 ? "bad" : "good", ch, "critical or high");
	rhtml_kpi(h, "", m->status[FS_RESOLVED],
	    m->prev.id != 0 ? "resolved since the previous run" :
	    "resolved (no previous run)");
	html_raw(h, "</div>\n<p class=\"lead\">");
	html_rawf(h, "This run found <b>%zu open finding%s</b> of banned "
	    "vendors' equipment or software on %zu host%s in %zu sector%s. ",
	    m->nopen, m->nopen == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s",
	    m->nsectors, m->nsectors == 1 ? "" : "s");
	if (notass + m->level[LV_PARTIAL] + m->nmissing > 0)
		html_rawf(h, "<b>%zu host%s could not be assessed and %zu only "
		    "partially</b>%s: their state is unknown, not clean (see "
		    "<a href=\"#coverage\">Coverage</a>).", notass +
		    m->nmissing, notass + m->nmissing == 1 ? "" : "s",
		    m->level[LV_PARTIAL], m->nmissing > 0 ? ", counting hosts "
		    "of the previous run missing from this one" : "");
	else
		html_raw(h, "Every host was fully assessed.");
	html_raw(h, "</p>\n<nav class=\"toc\" aria-label=\"Contents\"><ol>"
	    "<li><a href=\"#summary\">Summary by sector</a></li>"
	    "<li><a href=\"#coverage\">Coverage: assessed and not "
	    "assessed</a></li>"
	    "<li><a href=\"#findings\">Findings</a></li>"
	    "<li><a href=\"#leads\">Leads to check</a></li>"
	    "<li><a href=\"#changes\">Change since the previous run</a></li>"
	    "<li><a href=\"#hosts\">Host detail</a></li>"
	    "</ol></nav>\n</div>\n</header>\n<main>\n");
}

/* --- summary ---------------------------------------------------------- */

/* Severities shown as columns: "other" only when some finding has it. */
static int
sev_columns(const size_t open[SEV__COUNT])
{
	return open[SEV_OTHER] > 0 ? SEV__COUNT : SEV_OTHER;
}

static void
sector_counts_row(struct html *h, const size_t level[LV__COUNT],
    size_t hosts, const size_t open[SEV__COUNT], size_t nopen,
    const size_t status[FS__COUNT], int nsev)
{
	int k;

	rhtml_td_num(h, hosts);
	rhtml_td_num(h, level[LV_ASSESSED]);
	rhtml_td_num(h, level[LV_PARTIAL]);
	rhtml_td_num(h, level[LV_NOT_ASSESSED] + level[LV_NEIGHBOUR]);
	rhtml_td_num(h, nopen);
	for (k = 0; k < nsev; k++)
		rhtml_td_num(h, open[k]);
	rhtml_td_num(h, status[FS_NEW]);
	rhtml_td_num(h, status[FS_RESOLVED]);
}

static void
sector_section(struct html *h, const struct h_sector *s, size_t ix)
{
	size_t na = s->level[LV_NOT_ASSESSED] + s->level[LV_NEIGHBOUR];
	size_t i, unknown = na + s->level[LV_PARTIAL] + s->missing;
	int k, nsev = sev_columns(s->open);

	html_rawf(h, "<section class=\"sector\" id=\"sector-%zu\">\n<h3>", ix);
	html_text_or(h, s->name, NO_SECTOR);
	html_raw(h, "</h3>\n");
	html_rawf(h, "<p>%zu host%s: %zu assessed, %zu partially, %zu not "
	    "assessed. <b>%zu open finding%s</b> (%zu new, %zu persisting); "
	    "%zu resolved since the previous run.</p>\n", s->hosts,
	    s->hosts == 1 ? "" : "s", s->level[LV_ASSESSED],
	    s->level[LV_PARTIAL], na, s->nopen, s->nopen == 1 ? "" : "s",
	    s->status[FS_NEW], s->status[FS_PERSISTING],
	    s->status[FS_RESOLVED]);
	if (unknown > 0)
		html_rawf(h, "<p class=\"note\">%zu host%s of this sector "
		    "%s not fully assessed%s: no finding there means "
		    "<b>unknown</b>, not clean.</p>\n", unknown,
		    unknown == 1 ? "" : "s", unknown == 1 ? "was" : "were",
		    s->missing > 0 ? " (counting hosts of the previous run "
		    "missing from this one)" : "");
	if (s->nvendors == 0) {
		html_raw(h, "<p>No open findings among the assessed hosts of "
		    "this sector.</p>\n</section>\n");
		return;
	}
	html_raw(h, "<figure>");
	rhtml_chart_vendors(h, s, ix);
	html_raw(h, "<figcaption>Open findings by vendor and severity."
	    "</figcaption></figure>\n<table class=\"sortable compact\">"
	    "<thead><tr><th class=\"w-name\">Vendor</th>");
	for (k = 0; k < nsev; k++)
		html_rawf(h, "<th class=\"num\">%s</th>", rhtml_sev_name(k));
	html_raw(h, "<th class=\"num\">Total</th></tr></thead><tbody>");
	for (i = 0; i < s->nvendors; i++) {
		const struct h_vendor *v = &s->vendors[i];

		html_raw(h, "<tr><td class=\"brk\">");
		html_text_or(h, v->name, "<span class=\"na\">(vendor not "
		    "recorded)</span>");
		html_raw(h, "</td>");
		for (k = 0; k < nsev; k++)
			rhtml_td_num(h, v->n[k]);
		rhtml_td_num(h, v->total);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n</section>\n");
}

static void
summary(struct html *h, const struct model *m)
{
	size_t i, old = h->cut;
	int k, nsev = sev_columns(m->open);

	html_raw(h, "<section class=\"major\" id=\"summary\">\n"
	    "<h2>1. Summary by sector</h2>\n"
	    "<p>Hosts and open findings (new and persisting) per sector. "
	    "\xe2\x80\x9cNot assessed\xe2\x80\x9d counts hosts no probe "
	    "could read, and devices seen only in other devices' neighbour "
	    "tables.</p>\n<table class=\"sortable\"><thead><tr>"
	    "<th class=\"w-name\">Sector</th><th class=\"num\">Hosts</th>"
	    "<th class=\"num\">Assessed</th><th class=\"num\">Partially</th>"
	    "<th class=\"num\">Not assessed</th>"
	    "<th class=\"num\">Open findings</th>");
	for (k = 0; k < nsev; k++)
		html_rawf(h, "<th class=\"num\">%s</th>", rhtml_sev_name(k));
	html_raw(h, "<th class=\"num\">New</th><th class=\"num\">Resolved"
	    "</th></tr></thead><tbody>");
	for (i = 0; i < m->nsectors; i++) {
		const struct h_sector *s = &m->sectors[i];

		html_rawf(h, "<tr><td class=\"brk\"><a href=\"#sector-%zu\">",
		    i);
		h->cut = CUT_CELL;
		html_text_or(h, s->name, NO_SECTOR);
		h->cut = old;
		html_raw(h, "</a></td>");
		sector_counts_row(h, s->level, s->hosts, s->open, s->nopen,
		    s->status, nsev);
		html_raw(h, "</tr>");
	}
	if (m->nsectors == 0)
		html_rawf(h, "<tr><td colspan=\"%d\" class=\"na\">No hosts "
		    "and no findings in this run.</td></tr>", 8 + nsev);
	html_raw(h, "</tbody><tfoot><tr class=\"total\"><td>All sectors</td>");
	sector_counts_row(h, m->level, m->nhosts, m->open, m->nopen,
	    m->status, nsev);
	html_raw(h, "</tr></tfoot></table>\n");
	for (i = 0; i < m->nsectors; i++)
		sector_section(h, &m->sectors[i], i);
	html_raw(h, "</section>\n");
}

/* --- coverage --------------------------------------------------------- */

static const char *const cov_meaning[COV__COUNT] = {
	"answered", "answered in part", "no answer from the host",
	"timed out", "credentials refused", "table not provided",
	"connection refused", "stopped by the rate limit",
	"TLS verification failed", "error",
	"nothing to ask: no SNMP profile, no agent URL",
};

static void
coverage_counts(struct html *h, const struct model *m)
{
	size_t st, n;
	int c;

	html_raw(h, "<table class=\"kv-grid\"><caption>Probe results by "
	    "status and channel (one per host, channel and probe)</caption>"
	    "<thead><tr><th>Status</th><th>Meaning</th>");
	for (c = 0; c < CHAN__COUNT; c++)
		html_rawf(h, "<th class=\"num\">%s</th>", channel_name(c));
	html_raw(h, "<th class=\"num\">Total</th></tr></thead><tbody>");
	for (st = 0; st < COV__COUNT; st++) {
		n = rhtml_sum(m->cov_count[st], CHAN__COUNT);
		if (n == 0 && st != COV_OK)
			continue;
		html_rawf(h, "<tr><td class=\"mono nw\">%s</td><td>%s</td>",
		    cov_status_name(st), cov_meaning[st]);
		for (c = 0; c < CHAN__COUNT; c++)
			rhtml_td_num(h, m->cov_count[st][c]);
		rhtml_td_num(h, n);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

/* Do two coverage rows say the same (status and detail)? */
static int
same_gap(const struct h_cov *a, const struct h_cov *b)
{
	if (a->status != b->status)
		return 0;
	if (a->detail == NULL || b->detail == NULL)
		return a->detail == b->detail;
	return strcmp(a->detail, b->detail) == 0;
}

/*
 * A host's gaps, one line per status and detail, naming the probes:
 * "no_such_table  snmp entity, snmp software -- table absent or empty".
 */
static void
gaps(struct html *h, const struct model *m, const struct h_host *x)
{
	size_t i, j, k, end = x->cov_first + x->ncov, old = h->cut;
	int first;

	if (x->ncov == 0) {
		html_raw(h, "<div><code>none</code> no coverage was recorded "
		    "for this host</div>");
		return;
	}
	for (i = x->cov_first; i < end; i++) {
		const struct h_cov *c = &m->cov[i];

		if (c->status == COV_OK)
			continue;
		for (k = x->cov_first; k < i; k++)
			if (same_gap(&m->cov[k], c))
				break;
		if (k < i)
			continue;	/* written with its first */
		html_rawf(h, "<div><code>%s</code> ",
		    cov_status_name(c->status));
		h->cut = CUT_CELL;
		for (j = i, first = 1; j < end; j++) {
			const struct h_cov *d = &m->cov[j];

			if (!same_gap(d, c))
				continue;
			html_rawf(h, "%s%s ", first ? "" : ", ",
			    channel_name(d->channel));
			html_text_or(h, d->probe, "(all probes)");
			first = 0;
		}
		h->cut = CUT_LONG;
		if (c->detail != NULL && *c->detail != '\0') {
			html_raw(h, " \xe2\x80\x94 <span class=\"muted\">");
			html_text(h, c->detail);
			html_raw(h, "</span>");
		}
		h->cut = old;
		html_raw(h, "</div>");
	}
}

/* The hosts at level lv, one row each, with their gaps. */
static void
gap_table(struct html *h, const struct model *m, enum level lv,
    const char *id, const char *title, const char *intro)
{
	size_t i, n = 0;

	for (i = 0; i < m->nhosts; i++)
		n += m->hosts[i].level == lv;
	html_rawf(h, "<h3>%s (%zu)</h3>\n", title, n);
	if (n == 0) {
		html_raw(h, "<p class=\"na\">None.</p>\n");
		return;
	}
	html_rawf(h, "<p>%s</p>\n<table class=\"sortable gaps\" id=\"%s\">"
	    "<thead><tr><th>Host</th><th>Sector</th><th>Site</th>"
	    "<th>Why: status, probes, detail</th></tr></thead><tbody>", intro,
	    id);
	for (i = 0; i < m->nhosts; i++) {
		const struct h_host *x = &m->hosts[m->order[i]];

		if (x->level != lv)
			continue;
		html_raw(h, "<tr><td class=\"brk\">");
		rhtml_host_link(h, x);
		if (x->h.name != NULL && *x->h.name != '\0') {
			size_t old = h->cut;

			html_raw(h, "<span class=\"sub\">");
			h->cut = CUT_CELL;
			html_text(h, x->h.name);
			h->cut = old;
			html_raw(h, "</span>");
		}
		html_raw(h, "</td>");
		rhtml_td_sector(h, x->h.sector);
		rhtml_td_cut(h, x->h.site, CUT_CELL);
		html_raw(h, "<td class=\"brk\">");
		gaps(h, m, x);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

static void
not_assessed(struct html *h, const struct model *m)
{
	gap_table(h, m, LV_NOT_ASSESSED, "not-assessed", "Hosts not assessed",
	    "No probe could read these hosts. Their state is unknown.");
	gap_table(h, m, LV_PARTIAL, "partially-assessed",
	    "Hosts partially assessed", "Some probes of these hosts gave no "
	    "complete answer (a table the device does not provide counts "
	    "too): findings that only those probes would show may be "
	    "missing.");
}

static void
neighbours(struct html *h, const struct model *m)
{
	size_t i;

	if (m->level[LV_NEIGHBOUR] == 0)
		return;
	html_rawf(h, "<h3>Devices seen only in neighbour tables (%zu)</h3>\n"
	    "<p>These devices appeared in the ARP, bridge or LLDP tables of "
	    "assessed switches and routers but were not probed themselves. "
	    "They are not assessed.</p>\n<table class=\"sortable\"><thead><tr>"
	    "<th>Device</th><th>Name</th><th>Sector</th><th>Site</th>"
	    "<th class=\"num\">Open findings</th></tr></thead><tbody>",
	    m->level[LV_NEIGHBOUR]);
	for (i = 0; i < m->nhosts; i++) {
		const struct h_host *x = &m->hosts[m->order[i]];

		if (x->level != LV_NEIGHBOUR)
			continue;
		if (rhtml_has_article(x))
			html_raw(h, "<tr><td class=\"nw\">");
		else
			html_rawf(h, "<tr id=\"h-%lld\"><td class=\"nw\">",
			    (long long)x->id);
		rhtml_host_link(h, x);
		html_raw(h, "</td>");
		rhtml_td_cut(h, x->h.name, CUT_CELL);
		rhtml_td_sector(h, x->h.sector);
		rhtml_td_cut(h, x->h.site, CUT_CELL);
		rhtml_td_num(h, x->open);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

static void
missing(struct html *h, const struct model *m)
{
	size_t i, old = h->cut;

	if (m->nmissing == 0)
		return;
	html_rawf(h, "<h3>Hosts of the previous run missing from this run "
	    "(%zu)</h3>\n<p>Run #%lld had these hosts; this run did not "
	    "reach or target them, so they are not assessed. Their open "
	    "findings stay open, unverified.</p>\n<table class=\"sortable\">"
	    "<thead><tr><th>Host</th><th>Name</th><th>Sector</th>"
	    "<th>Site</th><th>Owner</th></tr></thead><tbody>", m->nmissing,
	    (long long)m->prev.id);
	for (i = 0; i < m->nmissing; i++) {
		const struct h_missing *x = &m->missing[i];

		html_raw(h, "<tr><td class=\"nw\">");
		h->cut = CUT_ADDR;
		html_text_or(h, x->h.address != NULL ? x->h.address :
		    x->identity, NA);
		h->cut = old;
		html_raw(h, "</td>");
		rhtml_td_cut(h, x->h.name, CUT_CELL);
		rhtml_td_sector(h, x->h.sector);
		rhtml_td_cut(h, x->h.site, CUT_CELL);
		rhtml_td_cut(h, x->h.owner, CUT_CELL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

static void
coverage(struct html *h, const struct model *m)
{
	html_raw(h, "<section class=\"major\" id=\"coverage\">\n"
	    "<h2>2. Coverage: assessed and not assessed</h2>\n"
	    "<p class=\"callout\"><b>Not assessed is not clean.</b> A host "
	    "that could not be read (unreachable, timed out, credentials "
	    "refused...) may run banned equipment or software that this "
	    "audit could not see. Such hosts are listed below with the "
	    "reason, and must be assessed before the estate is declared "
	    "free of banned vendors.</p>\n<figure>");
	rhtml_chart_coverage(h, m);
	html_raw(h, "<figcaption>Hosts by coverage, as shares of each "
	    "sector's hosts; numbers are hosts. \xe2\x80\x9cRead\xe2\x80\x9d "
	    "counts hosts assessed fully or in part.</figcaption></figure>\n");
	coverage_counts(h, m);
	not_assessed(h, m);
	missing(h, m);
	neighbours(h, m);
	html_raw(h, "</section>\n");
}

/* --- the document ----------------------------------------------------- */

int
rhtml_document(struct html *h, const struct model *m, char *err,
    size_t errlen)
{
	if (head(h, m, err, errlen) == -1)
		return -1;
	cover(h, m);
	summary(h, m);
	coverage(h, m);
	rhtml_findings(h, m);
	rhtml_leads(h, m);
	rhtml_phones(h, m);
	rhtml_changes(h, m);
	rhtml_hosts(h, m);
	html_raw(h, "</main>\n<footer><p>Written by banaudit " BANAUDIT_VERSION
	    " from the audit database; every value shown was recorded by "
	    "the run and is reproduced as text. Hosts that were not "
	    "assessed are unknown, not clean. Citations link to the "
	    "regulation's published source.</p></footer>\n<script>");
	html_raw(h, rhtml_script);
	html_raw(h, "</script>\n</body>\n</html>\n");
	if (h->error != 0)
		return errf(err, errlen, "cannot write the report: %s",
		    strerror(h->error > 0 ? h->error : EIO));
	return 0;
}
