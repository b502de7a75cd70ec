/*
 * report_html_exec: the executive summary, the report's first page -- what
 * a CISO reads and signs: scope, method and limitations; the top risks;
 * findings overdue and due soon; waivers; a 5x5 likelihood x impact heat
 * map; findings per regulation; a sign-off block for the printed copy.
 * Everything is judged on the run's first day (UTC), never today, so the
 * same database gives the same page.  Counts are of open findings (new and
 * persisting, waived or not): resolved ones are history.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report_html_int.h"
#include "util.h"

#define TOP_RISKS	10	/* findings in the top-risks table */
#define DUE_SOON_DAYS	30
#define DUE_LISTED	4	/* findings listed under overdue, due soon */
#define MAX_REGS	48	/* regulations counted; more are "others" */
#define REGS_SHOWN	9	/* rows of the per-regulation table */

static int
is_open(const struct h_finding *f)
{
	return f->status != FS_RESOLVED;
}

static int
is_waived(const struct h_finding *f)
{
	return f->waiver != NULL && f->waiver->active;
}

/* Higher risk first: score, then rating, then the report's order. */
static int
riskier(const struct h_finding *a, const struct h_finding *b)
{
	if (a->risk_score != b->risk_score)
		return a->risk_score > b->risk_score;
	if (a->rating != b->rating)
		return a->rating < b->rating;
	return a->n < b->n;
}

/* Does product start with the vendor's name, as a word? */
static int
names_vendor(const char *product, const char *vendor)
{
	size_t n;

	if (product == NULL || vendor == NULL || *vendor == '\0')
		return 0;
	n = strlen(vendor);
	return strncasecmp(product, vendor, n) == 0 &&
	    (product[n] == ' ' || product[n] == '\0');
}

/* The channels as a reader names them. */
static const char *
channel_words(enum channel c)
{
	switch (c) {
	case CHAN_SNMP:
		return "SNMP";
	case CHAN_AGENT:
		return "inventory agent";
	case CHAN_IMPORT:
		return "imported inventory files";
	default:
		return NULL;
	}
}

/* --- scope, method, limitations --------------------------------------- */

static void
scope_method(struct html *h, const struct model *m)
{
	size_t hosts_on[CHAN__COUNT], why[COV__COUNT], i, j, n = 0;
	size_t notass = m->level[LV_NOT_ASSESSED];
	const char *w;
	int c, s, any = 0;

	memset(hosts_on, 0, sizeof(hosts_on));
	memset(why, 0, sizeof(why));
	for (i = 0; i < m->ncov; i++)
		if (m->cov[i].probe == NULL || m->cov[i].probe[0] == '\0')
			hosts_on[m->cov[i].channel]++;
	for (i = 0; i < m->nhosts; i++) {
		const struct h_host *x = &m->hosts[i];

		if (x->level != LV_NOT_ASSESSED)
			continue;
		for (j = x->cov_first; j < x->cov_first + x->ncov &&
		    j < m->ncov; j++)
			if (m->cov[j].probe == NULL ||
			    m->cov[j].probe[0] == '\0')
				why[m->cov[j].status]++;
	}
	html_raw(h, "<h3>Scope, method and limitations</h3>\n<p><b>Scope."
	    "</b> ");
	html_rawf(h, "%zu host%s in %zu sector%s (", m->nhosts,
	    m->nhosts == 1 ? "" : "s", m->nsectors,
	    m->nsectors == 1 ? "" : "s");
	for (i = 0; i < m->nsectors; i++) {
		html_raw(h, i > 0 ? ", " : "");
		html_text_or(h, m->sectors[i].name, "no sector");
	}
	html_raw(h, "), ");
	rhtml_run_ref(h, &m->run);
	html_raw(h, "; scope <span class=\"mono\">");
	html_text_or(h, m->run.scope, "none");
	html_raw(h, "</span>.</p>\n<p><b>Method.</b> Read over ");
	for (c = 0; c < CHAN__COUNT; c++) {
		w = channel_words((enum channel)c);
		if (w == NULL || hosts_on[c] == 0)
			continue;
		html_rawf(h, "%s%s (%zu host%s)", any ? ", " : "", w,
		    hosts_on[c], hosts_on[c] == 1 ? "" : "s");
		any = 1;
	}
	if (!any)
		html_raw(h, "no channel");
	html_raw(h, "; routers' and switches' neighbour tables name devices "
	    "nobody polls. Matched against rule pack ");
	html_text_or(h, m->run.rules_version, "(version not recorded)");
	html_raw(h, ", MAC vendors from ");
	html_text_or(h, m->run.oui_registry, "no registry");
	html_raw(h, "; banaudit ");
	html_text_or(h, m->run.tool_version, BANAUDIT_VERSION);
	html_raw(h, ". Risk = likelihood \xc3\x97 impact (1\xe2\x80\x93" "25)."
	    "</p>\n<p><b>Limitations.</b> ");
	if (notass + m->level[LV_PARTIAL] + m->nmissing == 0)
		html_raw(h, "Every host was fully assessed. ");
	else {
		html_rawf(h, "<b>%zu host%s not assessed</b>", notass,
		    notass == 1 ? "" : "s");
		for (s = 0, any = 0; s < COV__COUNT; s++) {
			if (why[s] == 0)
				continue;
			html_rawf(h, "%s%s %zu", any ? ", " : " (",
			    cov_status_name((enum cov_status)s), why[s]);
			any = 1;
			n += why[s];
		}
		html_raw(h, any ? ")" : "");
		html_rawf(h, ", %zu partially", m->level[LV_PARTIAL]);
		if (m->nmissing > 0)
			html_rawf(h, ", %zu of the previous run missing",
			    m->nmissing);
		html_raw(h, ": their state is <b>unknown, not clean</b>. ");
	}
	if (m->level[LV_NEIGHBOUR] > 0)
		html_rawf(h, "%zu device%s seen only in neighbour tables %s "
		    "judged by MAC and announcements alone. ",
		    m->level[LV_NEIGHBOUR], m->level[LV_NEIGHBOUR] == 1 ?
		    "" : "s", m->level[LV_NEIGHBOUR] == 1 ? "is" : "are");
	html_raw(h, "Software is seen only where SNMP or an agent lists it; "
	    "firmware is not inspected.</p>\n");
}

/* --- top risks ---------------------------------------------------------- */

void
rhtml_rating(struct html *h, const struct h_finding *f)
{
	html_rawf(h, "<span class=\"sev sev-%s\">", rhtml_sev_name(f->rating));
	html_text_or(h, f->risk_rating, "unrated");
	html_raw(h, "</span>");
}

static void
top_risks(struct html *h, const struct model *m)
{
	const struct h_finding *top[TOP_RISKS], *f;
	size_t i, k, n = 0;

	for (i = 0; i < m->nfindings; i++) {
		f = &m->findings[i];
		if (!is_open(f))
			continue;
		/* Insertion into the sorted top list. */
		for (k = n; k > 0 && riskier(f, top[k - 1]); k--)
			if (k < TOP_RISKS)
				top[k] = top[k - 1];
		if (k < TOP_RISKS) {
			top[k] = f;
			if (n < TOP_RISKS)
				n++;
		}
	}
	html_rawf(h, "<h3>Top risks</h3>\n");
	if (n == 0) {
		html_raw(h, "<p>No open findings on the assessed hosts.</p>\n");
		return;
	}
	html_raw(h, "<table class=\"top\" id=\"top-risks\"><thead><tr>"
	    "<th class=\"num\">#</th><th>Risk</th><th>Vendor \xc2\xb7 product"
	    "</th><th>Asset \xc2\xb7 sector</th><th>Due</th></tr></thead>"
	    "<tbody>");
	for (i = 0; i < n; i++) {
		f = top[i];
		html_rawf(h, "<tr data-score=\"%d\"><td class=\"num\">%zu</td>"
		    "<td class=\"nw\">", f->risk_score, i + 1);
		rhtml_rating(h, f);
		html_rawf(h, " <span class=\"muted\">%d</span>",
		    f->risk_score);
		if (is_waived(f))
			html_raw(h, " <span class=\"muted\">(waived)</span>");
		html_rawf(h, "</td><td class=\"brk\"><a href=\"#f-%zu\">",
		    f->n);
		/* "Kaspersky Security Center", not "Kaspersky Kaspersky..." */
		if (!names_vendor(f->product, f->vendor)) {
			html_text_or(h, f->vendor, NA);
			html_raw(h, "</a> <span class=\"muted small\">");
		}
		h->cut = CUT_PACK;
		html_text_or(h, f->product, NA);
		h->cut = CUT_CELL;
		html_raw(h, names_vendor(f->product, f->vendor) ? "</a>" :
		    "</span>");
		html_raw(h, "</td><td class=\"brk\">");
		html_text_or(h, f->asset, NA);
		html_raw(h, " <span class=\"muted\">");
		html_text_or(h, f->h.sector, "no sector");
		html_raw(h, "</span></td><td class=\"nw\">");
		html_text_or(h, f->due_date, NA);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table>\n");
}

/* --- due dates and waivers ------------------------------------------- */

static void
due_list(struct html *h, const struct model *m, const char *title,
    const char *id, const char *from, const char *to, size_t total)
{
	size_t i, shown = 0;

	html_rawf(h, "<div class=\"due\" id=\"%s\"><b class=\"big\">%zu</b> "
	    "%s", id, total, title);
	for (i = 0; i < m->nfindings && shown < DUE_LISTED; i++) {
		const struct h_finding *f = &m->findings[i];

		if (!is_open(f) || is_waived(f) || f->due_date == NULL ||
		    (from != NULL && strcmp(f->due_date, from) < 0) ||
		    strcmp(f->due_date, to) >= 0)
			continue;
		html_raw(h, shown == 0 ? "<ul>" : "");
		html_rawf(h, "<li><a href=\"#f-%zu\">", f->n);
		html_text_or(h, f->vendor, NA);
		html_raw(h, "</a> on ");
		html_text_or(h, f->asset, NA);
		html_raw(h, ", due ");
		html_text(h, f->due_date);
		html_raw(h, "</li>");
		shown++;
	}
	if (shown > 0)
		html_raw(h, "</ul>");
	if (total > shown)
		html_rawf(h, "<span class=\"muted\">and %zu more</span>",
		    total - shown);
	html_raw(h, "</div>");
}

static void
due_and_waivers(struct html *h, const struct model *m)
{
	char day[16], soon[16];
	size_t i, overdue = 0, due_soon = 0, waived = 0, active = 0;
	size_t expired = 0;

	fmt_date(m->run.started, day, sizeof(day));
	fmt_date(m->run.started + (int64_t)DUE_SOON_DAYS * 86400, soon,
	    sizeof(soon));
	for (i = 0; i < m->nfindings; i++) {
		const struct h_finding *f = &m->findings[i];

		if (!is_open(f) || f->due_date == NULL)
			continue;
		if (is_waived(f)) {
			waived++;
			continue;
		}
		if (strcmp(f->due_date, day) < 0)
			overdue++;
		else if (strcmp(f->due_date, soon) <= 0)
			due_soon++;
	}
	/* Due soon: from the run's day to 30 days on, inclusive. */
	fmt_date(m->run.started + (int64_t)(DUE_SOON_DAYS + 1) * 86400, soon,
	    sizeof(soon));
	html_rawf(h, "<h3>Due dates <span class=\"muted\">on %s, the run's "
	    "day</span></h3>\n<div class=\"dues\">", day);
	due_list(h, m, "overdue", "overdue", NULL, day, overdue);
	due_list(h, m, "due within 30 days", "due-soon", day, soon, due_soon);
	html_raw(h, "</div>\n");
	for (i = 0; i < m->nwaivers; i++) {
		if (m->waivers[i].active)
			active++;
		else
			expired++;
	}
	html_rawf(h, "<p id=\"waivers-sum\"><b>Waivers:</b> %zu active, "
	    "%zu expired; %zu open finding%s under an active waiver (risk "
	    "accepted until its date, not removed).</p>\n", active, expired,
	    waived, waived == 1 ? "" : "s");
}

/* --- heat map --------------------------------------------------------- */

/* The rating band of a score (README "Risk scoring"), as a sev. */
static enum sev
band(int score)
{
	if (score >= 20)
		return SEV_CRITICAL;
	if (score >= 12)
		return SEV_HIGH;
	if (score >= 6)
		return SEV_MEDIUM;
	return SEV_LOW;
}

static void
heat_map(struct html *h, const struct model *m)
{
	size_t cell[5][5], i, off = 0;
	int l, im;

	memset(cell, 0, sizeof(cell));
	for (i = 0; i < m->nfindings; i++) {
		const struct h_finding *f = &m->findings[i];

		if (!is_open(f))
			continue;
		if (f->likelihood < 1 || f->likelihood > 5 ||
		    f->impact < 1 || f->impact > 5) {
			off++;
			continue;
		}
		cell[f->likelihood - 1][f->impact - 1]++;
	}
	html_raw(h, "<h3>Risk map</h3>\n<table class=\"heat\" id=\"heat-map\">"
	    "<caption>Open findings by likelihood and impact</caption>"
	    "<thead><tr><th class=\"corner\">Likelihood \xe2\x86\x93 / "
	    "impact \xe2\x86\x92</th>");
	for (im = 1; im <= 5; im++)
		html_rawf(h, "<th class=\"num\">%d</th>", im);
	html_raw(h, "</tr></thead><tbody>");
	for (l = 5; l >= 1; l--) {
		html_rawf(h, "<tr><th class=\"num\">%d</th>", l);
		for (im = 1; im <= 5; im++) {
			size_t n = cell[l - 1][im - 1];

			html_rawf(h, "<td class=\"hm hm-%s%s\" data-l=\"%d\" "
			    "data-i=\"%d\" data-n=\"%zu\">%s", rhtml_sev_name(
			    band(l * im)), n == 0 ? " zero" : "", l, im, n,
			    n == 0 ? "" : "<b>");
			if (n > 0)
				html_rawf(h, "%zu</b>", n);
			html_raw(h, "</td>");
		}
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
	if (off > 0)
		html_rawf(h, "<p class=\"muted\">%zu open finding%s without a "
		    "likelihood and impact in 1\xe2\x80\x93" "5 not shown."
		    "</p>\n", off, off == 1 ? "" : "s");
}

/* --- per regulation --------------------------------------------------- */

struct reg_count {
	const char	*name;	/* into a finding's regulation string */
	size_t		 len;
	size_t		 n;
};

/* Counts one name of a finding's "; "-separated regulation list. */
static void
reg_add(struct reg_count *r, size_t *nr, size_t *others, const char *s,
    size_t len)
{
	size_t i;

	while (len > 0 && (*s == ' '))
		s++, len--;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0)
		return;
	for (i = 0; i < *nr; i++)
		if (r[i].len == len && memcmp(r[i].name, s, len) == 0) {
			r[i].n++;
			return;
		}
	if (*nr == MAX_REGS) {
		(*others)++;
		return;
	}
	r[*nr].name = s;
	r[*nr].len = len;
	r[(*nr)++].n = 1;
}

static void
per_regulation(struct html *h, const struct model *m)
{
	struct reg_count r[MAX_REGS], t;
	size_t nr = 0, others = 0, i, j, k;
	const char *s, *e;
	char name[512];

	for (i = 0; i < m->nfindings; i++) {
		const struct h_finding *f = &m->findings[i];

		if (!is_open(f) || f->regulation == NULL)
			continue;
		for (s = f->regulation; *s != '\0'; s = *e ? e + 1 : e) {
			e = strchr(s, ';');
			if (e == NULL)
				e = s + strlen(s);
			reg_add(r, &nr, &others, s, (size_t)(e - s));
		}
	}
	/* Most findings first, then by name: insertion sort, few rows. */
	for (i = 1; i < nr; i++) {
		t = r[i];
		for (j = i; j > 0 && (r[j - 1].n < t.n || (r[j - 1].n == t.n &&
		    strncmp(r[j - 1].name, t.name, r[j - 1].len < t.len ?
		    r[j - 1].len : t.len) > 0)); j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
	html_raw(h, "<h3>Findings per regulation</h3>\n");
	if (nr == 0) {
		html_raw(h, "<p>None.</p>\n");
		return;
	}
	html_raw(h, "<table class=\"regs\" id=\"per-regulation\"><thead><tr>"
	    "<th>Regulation</th><th class=\"num\">Open</th></tr></thead>"
	    "<tbody>");
	for (k = 0; k < nr && k < REGS_SHOWN; k++) {
		size_t n = r[k].len < sizeof(name) ? r[k].len :
		    sizeof(name) - 1;

		memcpy(name, r[k].name, n);
		name[n] = '\0';
		html_raw(h, "<tr><td class=\"brk\">");
		html_text(h, name);
		html_raw(h, "</td>");
		rhtml_td_num(h, r[k].n);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table>\n");
	if (nr > REGS_SHOWN || others > 0)
		html_rawf(h, "<p class=\"muted\">%zu more regulation%s, with "
		    "1 to %zu open findings each: see the findings.</p>\n",
		    nr - k + (others > 0), nr - k + (others > 0) == 1 ? "" :
		    "s", k < nr ? r[k].n : others);
}

/* --- sign-off --------------------------------------------------------- */

static void
signoff(struct html *h, const struct model *m)
{
	html_raw(h, "<div class=\"signoff\" id=\"signoff\"><h3>Sign-off</h3>"
	    "<p class=\"muted\">For the printed copy: the auditor attests "
	    "that this report is the result of the run named above, within "
	    "its scope and limitations.</p><dl>"
	    "<dt>Auditor</dt><dd class=\"line\"></dd>"
	    "<dt>Signature</dt><dd class=\"line\"></dd>"
	    "<dt>Date</dt><dd class=\"line\"></dd>"
	    "<dt>Scope</dt><dd>");
	html_text_or(h, m->run.scope, "none");
	html_rawf(h, ", run #%lld", (long long)m->run.id);
	html_raw(h, "</dd></dl></div>\n");
}

void
rhtml_exec_summary(struct html *h, const struct model *m)
{
	size_t old = h->cut;

	h->cut = CUT_CELL;
	html_raw(h, "<section class=\"exec\" id=\"exec\">\n"
	    "<h2>Executive summary</h2>\n<div class=\"exec-grid\">"
	    "<div class=\"exec-l\">");
	scope_method(h, m);
	top_risks(h, m);
	html_raw(h, "</div><div class=\"exec-r\">");
	heat_map(h, m);
	due_and_waivers(h, m);
	per_regulation(h, m);
	html_raw(h, "</div></div>\n");
	signoff(h, m);
	html_raw(h, "</section>\n");
	h->cut = old;
}
