/*
 * report_html_find: the findings, change and host detail sections of the
 * HTML report (report_html_out.c writes the rest and the pieces used here).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report_html_int.h"
#include "util.h"

/* Citation: a link when the URL is http(s), else text. */
static void
citation(struct html *h, const struct h_finding *f)
{
	int has_url = f->citation_url != NULL && *f->citation_url != '\0';

	if (has_url && html_url_ok(f->citation_url)) {
		html_raw(h, "<a class=\"cite\" rel=\"noopener noreferrer\"");
		html_attr(h, "href", f->citation_url);
		html_raw(h, ">");
		html_text_or(h, f->citation, "source");
		html_raw(h, "</a>");
		return;
	}
	html_text_or(h, f->citation, NA);
	if (has_url) {
		html_raw(h, " <span class=\"muted\">(");
		html_text(h, f->citation_url);
		html_raw(h, ")</span>");
	}
}

/* --- findings --------------------------------------------------------- */

static void
finding_filters(struct html *h, const struct model *m)
{
	size_t i;
	int k;

	html_raw(h, "<div class=\"filters\" id=\"filters\" role=\"search\">"
	    "<label>Search <input type=\"search\" "
	    "placeholder=\"id, host, vendor, text\"></label>"
	    "<label>Risk <select name=\"sev\"><option value=\"\">all"
	    "</option>");
	for (k = 0; k < SEV__COUNT; k++)
		html_rawf(h, "<option value=\"%s\">%s</option>",
		    rhtml_sev_name(k),
		    rhtml_sev_name(k));
	html_raw(h, "</select></label><label>Status <select name=\"status\">"
	    "<option value=\"\">all</option>");
	for (k = 0; k < FS__COUNT; k++)
		html_rawf(h, "<option value=\"%s\">%s</option>",
		    rhtml_fstatus_name(k), rhtml_fstatus_name(k));
	html_raw(h, "</select></label><label>Sector <select name=\"sector\">"
	    "<option value=\"\">all</option>");
	for (i = 0; i < m->nsectors; i++) {
		html_rawf(h, "<option value=\"%zu\">", i);
		html_text_or(h, m->sectors[i].name, "(no sector)");
		html_raw(h, "</option>");
	}
	html_raw(h, "</select></label><output aria-live=\"polite\"></output>"
	    "</div>\n");
}

/* Writes s escaped and cut to cut characters, or none when empty. */
static void
text_cut(struct html *h, const char *s, const char *none, size_t cut)
{
	size_t old = h->cut;

	h->cut = cut;
	html_text_or(h, s, none);
	h->cut = old;
}

/* What a finding is about, in a list: vendor · product, then the asset. */
static void
td_what(struct html *h, const struct h_finding *f)
{
	html_raw(h, "<td class=\"brk\">");
	text_cut(h, f->vendor, NA, CUT_PACK);
	html_raw(h, " \xc2\xb7 ");
	text_cut(h, f->product, NA, CUT_PACK);
	html_raw(h, "</td>");
	rhtml_td_cut(h, f->asset, CUT_CELL);
}

/* The risk-rating badge, the rule's severity beneath it. */
static void
risk_cell(struct html *h, const struct h_finding *f)
{
	rhtml_rating(h, f);
	html_raw(h, "<span class=\"sub\">severity ");
	text_cut(h, f->severity, NA, 24);
	html_raw(h, "</span>");
}

/* The badges beside a finding's status: unverified, waived. */
static void
flags(struct html *h, const struct h_finding *f)
{
	if (f->unverified)
		html_raw(h, " <span class=\"st st-unverified\">unverified"
		    "</span>");
	if (f->waiver != NULL && f->waiver->active)
		html_raw(h, " <span class=\"st st-waived\">waived</span>");
}

static void
waiver(struct html *h, const struct h_waiver *w)
{
	if (w == NULL) {
		html_raw(h, "<span class=\"na\">none</span>");
		return;
	}
	html_raw(h, w->active ? "until " : "<b>expired</b> before this run "
	    "(until ");
	text_cut(h, w->until, NA, 32);
	html_raw(h, w->active ? ": " : "): ");
	text_cut(h, w->reason, NA, CUT_LONG);
	if (w->created_by != NULL && *w->created_by != '\0') {
		html_raw(h, " <span class=\"muted\">(");
		text_cut(h, w->created_by, NA, CUT_CELL);
		html_raw(h, ", ");
		rhtml_date(h, w->created);
		html_raw(h, ")</span>");
	}
}

static void
finding_detail(struct html *h, const struct h_finding *f)
{
	char plain[600];

	html_raw(h, "<tr class=\"detail\"><td colspan=\"7\"><dl class=\"fd\">");
	if (f->unverified && f->note != NULL) {
		html_raw(h, "<dt>Not verified</dt><dd><b>Not observed in this "
		    "run, but not verified gone:</b> ");
		text_cut(h, f->note, NA, CUT_LONG);
		html_raw(h, ". Last observed ");
		rhtml_date(h, f->last_seen);
		html_raw(h, "; it stays open until a run reads these sources "
		    "completely.</dd>");
	} else if (f->unverified) {
		html_raw(h, "<dt>Not verified</dt><dd><b>Not observed in this "
		    "run: its host was not assessed.</b> Last observed ");
		rhtml_date(h, f->last_seen);
		html_raw(h, "; it stays open until a run assesses the host."
		    "</dd>");
	}
	html_raw(h, "<dt>Evidence</dt><dd>");
	if (rhtml_evidence_plain(f->evidence, f->vendor, f->product, plain,
	    sizeof(plain)) > 0) {
		html_raw(h, "<span class=\"plain\">");
		html_text(h, plain);
		html_raw(h, "</span>");
	}
	html_raw(h, "<span class=\"raw\">");
	text_cut(h, f->evidence, NA, CUT_LONG);
	html_raw(h, "</span>");
	if (f->nevidence > 0)
		html_rawf(h, " <span class=\"muted\">(%zu observation%s)"
		    "</span>", f->nevidence, f->nevidence == 1 ? "" : "s");
	html_raw(h, "</dd><dt>Regulation</dt><dd>");
	text_cut(h, f->regulation, NA, CUT_PACK);
	html_raw(h, " \xe2\x80\x94 ");
	citation(h, f);
	html_raw(h, "; effective ");
	text_cut(h, f->effective_date, NA, CUT_CELL);
	html_raw(h, "</dd><dt>Binds this owner</dt><dd>");
	text_cut(h, f->binding_scope, NA, CUT_LONG);
	html_raw(h, " <span class=\"muted\">(jurisdiction ");
	text_cut(h, f->h.jurisdiction, "none given: federal law only",
	    CUT_CELL);
	html_raw(h, ")</span>");
	html_raw(h, "</dd><dt>Recommended action</dt><dd>");
	text_cut(h, f->recommended_action, NA, CUT_PACK);
	if (f->waiver != NULL) {
		html_raw(h, "</dd><dt>Waiver</dt><dd>");
		waiver(h, f->waiver);
	}
	/* One line of record: channel, rule, dates. */
	html_raw(h, "</dd><dt>Record</dt><dd>channel ");
	text_cut(h, f->channel, NA, CUT_CELL);
	html_raw(h, "; rule <span class=\"mono\">");
	text_cut(h, f->rule_id, NA, CUT_PACK);
	html_raw(h, "</span>; first seen ");
	rhtml_date(h, f->first_seen);
	html_raw(h, ", last seen ");
	rhtml_date(h, f->last_seen);
	html_raw(h, "</dd></dl></td></tr>");
}

static void
finding_body(struct html *h, const struct model *m, const struct h_finding *f)
{
	const struct h_host *x = f->host_ix != SIZE_MAX ?
	    &m->hosts[f->host_ix] : NULL;

	html_rawf(h, "<tbody class=\"finding%s\" id=\"f-%zu\" "
	    "data-sev=\"%s\" data-status=\"%s\" data-sector=\"%zu\">"
	    "<tr class=\"main\"><td class=\"mono fid\">",
	    f->status == FS_RESOLVED ? " resolved" : "", f->n,
	    rhtml_sev_name(f->rating), rhtml_fstatus_name(f->status),
	    f->sector_ix);
	text_cut(h, f->finding_id, NA, CUT_ADDR);
	html_raw(h, "<span class=\"sub\">");
	rhtml_status(h, f->status);
	flags(h, f);
	/*
	 * The badge is the risk rating (what a register reader acts on);
	 * the rule's severity is the secondary text.  Sorts by rating, then
	 * by risk score, highest first.
	 */
	html_rawf(h, "</span></td><td data-sort=\"%d\">",
	    (int)f->rating * 1000 + 999 - (f->risk_score > 999 ? 999 :
	    f->risk_score < 0 ? 0 : f->risk_score));
	rhtml_rating(h, f);
	html_rawf(h, "<span class=\"sub\">%d (L%d\xc3\x97I%d) \xc2\xb7 "
	    "severity ", f->risk_score, f->likelihood, f->impact);
	text_cut(h, f->severity, NA, 24);
	html_raw(h, "</span></td><td class=\"brk\"><b>");
	text_cut(h, f->asset, NA, CUT_CELL);
	html_raw(h, "</b><span class=\"sub mono\">");
	text_cut(h, f->address, NA, CUT_ADDR);
	html_raw(h, "</span>");
	if (x != NULL)
		html_rawf(h, "<span class=\"sub screen\"><a "
		    "href=\"#h-%lld\">host detail</a></span>",
		    (long long)x->id);
	html_raw(h, "</td><td class=\"brk\">");
	text_cut(h, f->h.sector, NO_SECTOR, CUT_CELL);
	html_raw(h, "<span class=\"sub\">");
	text_cut(h, f->h.site, NA, CUT_CELL);
	html_raw(h, " \xc2\xb7 ");
	text_cut(h, f->h.owner, NA, CUT_CELL);
	html_raw(h, "</span></td><td class=\"brk\"><b>");
	text_cut(h, f->vendor, NA, CUT_PACK);
	html_raw(h, "</b><span class=\"sub\">");
	text_cut(h, f->product, NA, CUT_PACK);
	html_rawf(h, "</span></td><td class=\"nw\" data-sort=\"%d\">",
	    f->confidence_score);
	text_cut(h, f->confidence, NA, 24);
	html_rawf(h, "<span class=\"sub\">score %d</span></td>"
	    "<td class=\"nw\">", f->confidence_score);
	text_cut(h, f->due_date, NA, 32);
	html_raw(h, "</td></tr>");
	finding_detail(h, f);
	html_raw(h, "</tbody>\n");
}

void
rhtml_findings(struct html *h, const struct model *m)
{
	size_t i;

	html_rawf(h, "<section class=\"major\" id=\"findings\">\n"
	    "<h2>3. Findings</h2>\n<p>%zu open finding%s (%zu new, %zu "
	    "persisting) and %zu resolved since the previous run, by "
	    "risk rating and score. Finding ids are stable across runs. Risk "
	    "score = likelihood \xc3\x97 impact (1\xe2\x80\x93" "25).</p>\n",
	    m->nopen, m->nopen == 1 ? "" : "s", m->status[FS_NEW],
	    m->status[FS_PERSISTING], m->status[FS_RESOLVED]);
	if (m->unverified > 0 || m->waived > 0)
		html_rawf(h, "<p>%zu open finding%s %s <b>unverified</b>: "
		    "not observed this time because %s host was not "
		    "assessed, so carried over, never resolved. %zu %s under "
		    "a <b>waiver</b> in force on the day of the run; a waiver "
		    "accepts the risk for a time, it does not remove the "
		    "finding.</p>\n", m->unverified,
		    m->unverified == 1 ? "" : "s",
		    m->unverified == 1 ? "is" : "are",
		    m->unverified == 1 ? "its" : "their", m->waived,
		    m->waived == 1 ? "is" : "are");
	if (m->nfindings == 0) {
		html_raw(h, "<p>No findings on the assessed hosts. Hosts not "
		    "assessed (section 2) remain unknown.</p>\n</section>\n");
		return;
	}
	finding_filters(h, m);
	html_raw(h, "<table class=\"sortable grouped\" id=\"findings-table\">"
	    "<thead><tr><th>Finding \xc2\xb7 status</th>"
	    "<th>Risk \xc2\xb7 severity</th><th>Asset \xc2\xb7 address</th>"
	    "<th>Sector \xc2\xb7 site \xc2\xb7 owner</th>"
	    "<th>Vendor \xc2\xb7 product</th><th>Confidence</th>"
	    "<th>Due</th></tr></thead>\n");
	for (i = 0; i < m->nfindings; i++)
		finding_body(h, m, &m->findings[i]);
	html_raw(h, "</table>\n</section>\n");
}

/* --- change since the previous run ------------------------------------ */

/* Why a resolved finding may not really be resolved, or NULL. */
static const char *
resolved_caveat(const struct model *m, const struct h_finding *f)
{
	const struct h_host *x;

	if (f->host_ix == SIZE_MAX)
		return "host not in this run";
	x = &m->hosts[f->host_ix];
	if (x->level == LV_NOT_ASSESSED || x->level == LV_NEIGHBOUR)
		return "host not assessed in this run";
	if (x->level == LV_PARTIAL)
		return "host only partially assessed in this run";
	return NULL;
}

static void
change_table(struct html *h, const struct model *m, enum fstatus st)
{
	static const char *const titles[FS__COUNT] = {
		"New findings", "Persisting findings", "Resolved findings",
	};
	size_t i, n = m->status[st];

	html_rawf(h, "<h3>%s (%zu)</h3>\n", titles[st], n);
	if (n == 0) {
		html_raw(h, "<p class=\"na\">None.</p>\n");
		return;
	}
	/* On paper the persisting ones are the findings section again. */
	if (st == FS_PERSISTING)
		html_raw(h, "<p class=\"print-only\">Listed under Findings "
		    "(status persisting).</p>\n");
	html_rawf(h, "<table class=\"sortable%s\"><thead><tr><th>Finding</th>"
	    "", st == FS_PERSISTING ? " screen" : "");
	html_raw(h, ""
	    "<th>Risk</th><th>Vendor \xc2\xb7 product</th><th>Asset</th>"
	    "<th>Address</th><th>Sector</th><th>Site</th>");
	html_raw(h, st == FS_RESOLVED ? "<th>Last seen</th><th>Note</th>" :
	    st == FS_PERSISTING ? "<th>First seen</th><th>Note</th>" :
	    "<th>First seen</th>");
	html_raw(h, "</tr></thead><tbody>");
	for (i = 0; i < m->nfindings; i++) {
		const struct h_finding *f = &m->findings[i];

		if (f->status != st)
			continue;
		html_raw(h, "<tr><td class=\"nw\">");
		rhtml_finding_link(h, f);
		html_rawf(h, "</td><td data-sort=\"%d\">",
		    (int)f->rating * 1000 + 999 - (f->risk_score > 999 ? 999 :
		    f->risk_score < 0 ? 0 : f->risk_score));
		risk_cell(h, f);
		html_raw(h, "</td>");
		td_what(h, f);
		html_raw(h, "<td class=\"mono nw\">");
		text_cut(h, f->address, NA, CUT_ADDR);
		html_raw(h, "</td>");
		rhtml_td_sector(h, f->h.sector);
		rhtml_td_cut(h, f->h.site, CUT_CELL);
		html_raw(h, "<td>");
		rhtml_date(h, st == FS_RESOLVED ? f->last_seen : f->first_seen);
		html_raw(h, "</td>");
		if (st == FS_RESOLVED) {
			const char *c = resolved_caveat(m, f);

			if (c != NULL)
				html_rawf(h, "<td><b>unconfirmed:</b> %s</td>",
				    c);
			else
				html_raw(h, "<td>host assessed, finding gone"
				    "</td>");
		} else if (st == FS_PERSISTING && f->unverified) {
			html_raw(h, "<td><b>unverified:</b> ");
			if (f->note != NULL)
				text_cut(h, f->note, NA, CUT_LONG);
			else
				html_raw(h, "host not assessed");
			html_raw(h, "; last observed ");
			rhtml_date(h, f->last_seen);
			html_raw(h, "</td>");
		} else if (st == FS_PERSISTING)
			html_raw(h, "<td>observed again</td>");
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

/* Hosts the previous run assessed (or lacked) and this run did not. */
static void
newly_unassessed(struct html *h, const struct model *m)
{
	size_t i;

	html_rawf(h, "<h3>Hosts newly not assessed (%zu)</h3>\n",
	    m->nunassessed);
	if (m->nunassessed == 0) {
		html_raw(h, "<p class=\"na\">None: every host the previous "
		    "run assessed was assessed again.</p>\n");
		return;
	}
	html_raw(h, "<p>Hosts that were assessed by the previous run, or "
	    "not part of it, and that this run could not assess. Their "
	    "findings are carried over unverified.</p>\n"
	    "<table class=\"sortable\"><thead><tr><th>Host</th><th>Name</th>"
	    "<th>Sector</th><th>Site</th><th>Why</th></tr></thead><tbody>");
	for (i = 0; i < m->nunassessed; i++) {
		const struct h_unassessed *u = &m->unassessed[i];

		html_raw(h, "<tr><td class=\"nw\">");
		text_cut(h, u->h.address != NULL ? u->h.address :
		    u->identity, NA, CUT_ADDR);
		html_raw(h, "</td>");
		rhtml_td_cut(h, u->h.name, CUT_CELL);
		rhtml_td_sector(h, u->h.sector);
		rhtml_td_cut(h, u->h.site, CUT_CELL);
		rhtml_td_cut(h, u->reason, CUT_LONG);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

void
rhtml_changes(struct html *h, const struct model *m)
{
	html_raw(h, "<section class=\"major\" id=\"changes\">\n"
	    "<h2>4. Change since the previous run</h2>\n<p>");
	if (m->prev.id != 0) {
		html_raw(h, "Compared with ");
		rhtml_run_ref(h, &m->prev);
		html_raw(h, ", the newest earlier complete run of the same "
		    "scope.");
	} else
		html_raw(h, "There is no earlier complete run of this scope: "
		    "every finding of this run is new.");
	html_raw(h, " A finding is resolved only when this run assessed its "
	    "host and did not find it again; a finding whose host was not "
	    "assessed stays open, marked unverified.</p>\n"
	    "<div class=\"kpis\">");
	rhtml_kpi(h, m->status[FS_NEW] > 0 ? "bad" : "good", m->status[FS_NEW],
	    "new");
	rhtml_kpi(h, m->status[FS_PERSISTING] > 0 ? "warn" : "good",
	    m->status[FS_PERSISTING], "persisting");
	rhtml_kpi(h, "good", m->status[FS_RESOLVED], "resolved");
	html_raw(h, "</div>\n");
	change_table(h, m, FS_NEW);
	change_table(h, m, FS_RESOLVED);
	change_table(h, m, FS_PERSISTING);
	if (m->prev.id != 0)
		newly_unassessed(h, m);
	html_raw(h, "</section>\n");
}

/* --- host detail ------------------------------------------------------ */

/* "snmp: ok · agent: timeout" -- each channel's statuses. */
static void
channels(struct html *h, const struct model *m, const struct h_host *x)
{
	size_t count[CHAN__COUNT][COV__COUNT], i;
	int c, st, first = 1, firstst;

	if (x->ncov == 0) {
		html_raw(h, NA);
		return;
	}
	memset(count, 0, sizeof(count));
	for (i = x->cov_first; i < x->cov_first + x->ncov; i++)
		count[m->cov[i].channel][m->cov[i].status]++;
	for (c = 0; c < CHAN__COUNT; c++) {
		if (rhtml_sum(count[c], COV__COUNT) == 0)
			continue;
		html_rawf(h, "%s%s: ", first ? "" : " \xc2\xb7 ",
		    channel_name(c));
		first = 0;
		firstst = 1;
		for (st = 0; st < COV__COUNT; st++) {
			if (count[c][st] == 0)
				continue;
			html_rawf(h, "%s%s", firstst ? "" : ", ",
			    cov_status_name(st));
			if (count[c][st] > 1)
				html_rawf(h, " \xc3\x97%zu", count[c][st]);
			firstst = 0;
		}
	}
}

/* One fact of a host: a term and its value, cut to CUT_CELL. */
static void
fact(struct html *h, const char *term, const char *value, int mono)
{
	html_rawf(h, "<dt>%s</dt><dd%s>", term, mono ? " class=\"mono\"" : "");
	text_cut(h, value, NA, CUT_CELL);
	html_raw(h, "</dd>");
}

static void
host_facts(struct html *h, const struct model *m, const struct h_host *x)
{
	html_raw(h, "<dl class=\"facts\">");
	fact(h, "Identity", x->identity, 1);
	html_raw(h, "<dt>Sector</dt><dd>");
	text_cut(h, x->h.sector, NO_SECTOR, CUT_CELL);
	html_raw(h, "</dd>");
	fact(h, "Site", x->h.site, 0);
	fact(h, "Owner", x->h.owner, 0);
	html_raw(h, "<dt>Criticality</dt><dd>");
	if (x->h.criticality > 0)
		html_rawf(h, "%d of 5", x->h.criticality);
	else
		html_raw(h, NA);
	html_raw(h, "</dd><dt>Channels</dt><dd>");
	channels(h, m, x);
	html_rawf(h, "</dd><dt>Observations</dt><dd>%zu (%zu software, %zu "
	    "neighbour entries)</dd></dl>\n", x->nobs, x->nsoftware,
	    x->nneighbour);
}

static void
host_keys(struct html *h, const struct h_host *x)
{
	size_t i, n = 0;

	for (i = 0; i < KEY_OBS; i++)
		n += x->key[i] != NULL;
	if (n == 0) {
		html_raw(h, "<p class=\"na\">None recorded.</p>\n");
		return;
	}
	html_raw(h, "<table class=\"kv\"><tbody>");
	for (i = 0; i < KEY_OBS; i++) {
		if (x->key[i] == NULL)
			continue;
		html_rawf(h, "<tr><th>%s</th><td class=\"pre brk\">",
		    rhtml_key_labels[i]);
		text_cut(h, x->key[i], NA, CUT_KEY);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

static void
host_coverage(struct html *h, const struct model *m, const struct h_host *x)
{
	size_t i;

	if (x->ncov == 0) {
		html_raw(h, x->level == LV_NEIGHBOUR ? "<p><b>Seen only in "
		    "other devices' neighbour tables:</b> not probed itself, "
		    "so not assessed.</p>\n" : "<p><b>No coverage was "
		    "recorded for this host:</b> it was not assessed.</p>\n");
		return;
	}
	html_raw(h, "<table><thead><tr><th>Channel</th><th>Probe</th>"
	    "<th>Status</th><th>Detail</th><th>Profile</th>"
	    "<th class=\"num\">ms</th></tr></thead><tbody>");
	for (i = x->cov_first; i < x->cov_first + x->ncov; i++) {
		const struct h_cov *c = &m->cov[i];

		/* Print shows the channel rows only (the probes: screen). */
		html_rawf(h, "<tr%s><td>%s</td><td>", c->probe != NULL &&
		    c->probe[0] != '\0' ? " class=\"probe\"" : "",
		    channel_name(c->channel));
		text_cut(h, c->probe, "<span class=\"na\">all</span>",
		    CUT_CELL);
		html_rawf(h, "</td><td class=\"mono nw\">%s</td>",
		    cov_status_name(c->status));
		rhtml_td_cut(h, c->detail, CUT_LONG);
		html_raw(h, "<td>");
		text_cut(h, c->profile, NA, CUT_CELL);
		html_raw(h, "</td>");
		html_rawf(h, "<td class=\"num\">%lld</td></tr>",
		    (long long)c->elapsed_ms);
	}
	html_raw(h, "</tbody></table>\n");
}

static void
host_findings(struct html *h, const struct model *m, const struct h_host *x)
{
	size_t i;

	html_raw(h, "<table><thead><tr><th>Finding</th><th>Status</th>"
	    "<th>Risk</th><th>Vendor \xc2\xb7 product</th><th>Asset</th>"
	    "</tr></thead><tbody>");
	for (i = x->first_open; i != SIZE_MAX; i = m->findings[i].next_open) {
		const struct h_finding *f = &m->findings[i];

		html_raw(h, "<tr><td class=\"nw\">");
		rhtml_finding_link(h, f);
		html_raw(h, "</td><td>");
		rhtml_status(h, f->status);
		flags(h, f);
		html_raw(h, "</td><td>");
		risk_cell(h, f);
		html_raw(h, "</td>");
		td_what(h, f);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

static void
host_article(struct html *h, const struct model *m, const struct h_host *x)
{
	html_rawf(h, "<article class=\"host\" id=\"h-%lld\"><header><h3>",
	    (long long)x->id);
	rhtml_host_label(h, x);
	if (x->h.name != NULL && *x->h.name != '\0') {
		html_raw(h, " <span class=\"muted\">");
		text_cut(h, x->h.name, NA, CUT_CELL);
		html_raw(h, "</span>");
	}
	html_raw(h, "</h3>");
	rhtml_level(h, x->level);
	if (x->open > 0) {
		html_rawf(h, "<span>%zu open finding%s, worst</span>",
		    x->open, x->open == 1 ? "" : "s");
		rhtml_sev(h, x->worst, rhtml_sev_name(x->worst));
	}
	html_raw(h, "</header>\n");
	host_facts(h, m, x);
	html_raw(h, "<h4>Key observations</h4>\n");
	host_keys(h, x);
	html_raw(h, "<h4>Coverage</h4>\n");
	host_coverage(h, m, x);
	if (x->open > 0) {
		html_raw(h, "<h4>Open findings</h4>\n");
		host_findings(h, m, x);
	}
	rhtml_host_elsewhere(h, m, x);
	html_raw(h, "</article>\n");
}

/*
 * The hosts with an article, as one compact table for print (the
 * articles, with every probe and key observation, are for the screen).
 */
static void
hosts_compact(struct html *h, const struct model *m)
{
	size_t i;

	html_raw(h, "<table class=\"print-only\" id=\"hosts-compact\">"
	    "<thead><tr><th>Host</th><th>Sector \xc2\xb7 site</th>"
	    "<th>Coverage</th><th>Open findings</th><th>sysDescr / OS</th>"
	    "</tr></thead><tbody>");
	for (i = 0; i < m->nhosts; i++) {
		const struct h_host *x = &m->hosts[m->order[i]];
		size_t f;

		if (!rhtml_has_article(x))
			continue;
		html_raw(h, "<tr><td class=\"brk\"><b>");
		rhtml_host_label(h, x);
		html_raw(h, "</b> ");
		text_cut(h, x->h.name, "", CUT_CELL);
		html_raw(h, "</td><td class=\"brk\">");
		text_cut(h, x->h.sector, NO_SECTOR, CUT_CELL);
		html_raw(h, " \xc2\xb7 ");
		text_cut(h, x->h.site, NA, CUT_CELL);
		html_raw(h, "</td><td>");
		rhtml_level(h, x->level);
		html_raw(h, "<span class=\"sub\">");
		channels(h, m, x);
		html_raw(h, "</span></td><td>");
		if (x->open == 0)
			html_raw(h, NA);
		for (f = x->first_open; f != SIZE_MAX;
		    f = m->findings[f].next_open) {
			rhtml_rating(h, &m->findings[f]);
			html_raw(h, " ");
			text_cut(h, m->findings[f].vendor, NA, CUT_CELL);
			html_raw(h, "<br>");
		}
		html_raw(h, "</td>");
		rhtml_td_cut(h, x->key[0] != NULL ? x->key[0] : x->key[5],
		    CUT_CELL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

/* Hosts fully assessed without open findings: one compact row each. */
static void
clean_hosts(struct html *h, const struct model *m, size_t n)
{
	size_t i;

	html_rawf(h, "<h3>Hosts assessed without findings (%zu)</h3>\n", n);
	if (n == 0) {
		html_raw(h, "<p class=\"na\">None.</p>\n");
		return;
	}
	html_raw(h, "<table class=\"sortable\" id=\"hosts-clean\"><thead>"
	    "<tr><th>Host</th>"
	    "<th>Name</th><th>Sector</th><th>Site</th><th>Owner</th>"
	    "<th>Channels</th><th>sysDescr / OS</th></tr></thead><tbody>");
	for (i = 0; i < m->nhosts; i++) {
		const struct h_host *x = &m->hosts[m->order[i]];

		if (x->level != LV_ASSESSED || rhtml_has_article(x))
			continue;
		html_rawf(h, "<tr id=\"h-%lld\"><td class=\"nw\">",
		    (long long)x->id);
		rhtml_host_label(h, x);
		html_raw(h, "</td>");
		rhtml_td_cut(h, x->h.name, CUT_CELL);
		rhtml_td_sector(h, x->h.sector);
		rhtml_td_cut(h, x->h.site, CUT_CELL);
		rhtml_td_cut(h, x->h.owner, CUT_CELL);
		html_raw(h, "<td>");
		channels(h, m, x);
		html_raw(h, "</td>");
		rhtml_td_cut(h, x->key[0] != NULL ? x->key[0] : x->key[5],
		    CUT_CELL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

void
rhtml_hosts(struct html *h, const struct model *m)
{
	size_t i, clean = 0, detail = 0, sector = SIZE_MAX;

	for (i = 0; i < m->nhosts; i++)
		if (rhtml_has_article(&m->hosts[i]))
			detail++;
		else if (m->hosts[i].level == LV_ASSESSED)
			clean++;
	html_rawf(h, "<section class=\"major\" id=\"hosts\">\n"
	    "<h2>5. Host detail</h2>\n<p>%zu host%s with open findings, "
	    "incomplete coverage or a product banned elsewhere (not a "
	    "finding here), by sector and address, then the %zu "
	    "host%s assessed without findings. Devices seen only in neighbour "
	    "tables are listed under Coverage.</p>\n", detail,
	    detail == 1 ? "" : "s", clean, clean == 1 ? "" : "s");
	for (i = 0; i < m->nhosts; i++) {
		const struct h_host *x = &m->hosts[m->order[i]];

		if (!rhtml_has_article(x))
			continue;
		if (x->sector_ix != sector) {
			sector = x->sector_ix;
			html_raw(h, "<h3 class=\"muted screen\">Sector: ");
			html_text_or(h, x->h.sector, NO_SECTOR);
			html_raw(h, "</h3>\n");
		}
		host_article(h, m, x);
	}
	hosts_compact(h, m);
	clean_hosts(h, m, clean);
	html_raw(h, "</section>\n");
}

