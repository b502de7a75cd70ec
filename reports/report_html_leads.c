/*
 * report_html_leads: the HTML report's leads -- things to check on site
 * that are not findings (rules.h, ACTION_LEAD).  They are read apart from
 * the findings and written in a section of their own, after the findings:
 * evidence and the reason each is a lead, never a regulation, risk or due
 * date, and never in the findings' figures.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_html_int.h"

static char *
dup_or_null(const char *s, int *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*oom = 1;
	return d;
}

static int
lead_cb(void *arg, const struct lead_row *r)
{
	struct model *m = arg;
	struct h_lead *l, *nv;
	int oom = 0;

	if (m->filter != NULL && (r->h.sector == NULL ||
	    strcasecmp(r->h.sector, m->filter) != 0))
		return 0;
	if (m->nleads == m->lcap) {
		size_t cap = m->lcap == 0 ? 16 : m->lcap * 2;

		nv = reallocarray(m->leads, cap, sizeof(*nv));
		if (nv == NULL) {
			m->pool.oom = 1;
			return 1;
		}
		m->leads = nv;
		m->lcap = cap;
	}
	l = &m->leads[m->nleads++];
	memset(l, 0, sizeof(*l));
	l->lead_id = dup_or_null(r->finding_id, &oom);
	l->vendor = dup_or_null(r->vendor, &oom);
	l->product = dup_or_null(r->product, &oom);
	l->asset = dup_or_null(r->asset, &oom);
	l->address = dup_or_null(r->address, &oom);
	l->site = dup_or_null(r->h.site, &oom);
	l->evidence = dup_or_null(r->evidence, &oom);
	l->reason = dup_or_null(r->reason, &oom);
	if (oom)
		m->pool.oom = 1;
	return oom;
}

/* Out of memory sets m->pool.oom (checked by the caller, as for all). */
int
rhtml_leads_load(struct store *s, int64_t run, struct model *m, char *err,
    size_t errlen)
{
	return store_each_lead(s, run, lead_cb, m, err, errlen);
}

void
rhtml_leads_free(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nleads; i++) {
		free(m->leads[i].lead_id);
		free(m->leads[i].vendor);
		free(m->leads[i].product);
		free(m->leads[i].asset);
		free(m->leads[i].address);
		free(m->leads[i].site);
		free(m->leads[i].evidence);
		free(m->leads[i].reason);
	}
	free(m->leads);
	m->leads = NULL;
	m->nleads = m->lcap = 0;
}

void
rhtml_leads(struct html *h, const struct model *m)
{
	const struct h_lead *l;
	size_t i, old = h->cut;

	html_rawf(h, "<section class=\"major\" id=\"leads-section\">\n"
	    "<h2 id=\"leads\">Leads to check (%zu)</h2>\n", m->nleads);
	html_raw(h, "<p>Leads are <b>not findings</b>: what they point at is "
	    "not prohibited itself, but suggests a former or possible banned "
	    "install (a replacement product, an identifier many devices "
	    "share). Check each host on site. Leads carry no regulation, "
	    "risk rating or due date and are not counted above.</p>\n");
	if (m->nleads == 0) {
		html_raw(h, "<p>No leads in this run.</p>\n</section>\n");
		return;
	}
	html_raw(h, "<table id=\"leads-table\"><thead><tr><th>Lead</th>"
	    "<th>What</th><th>Host</th><th>Site</th><th>Evidence</th>"
	    "<th>Why it is a lead</th></tr></thead><tbody>\n");
	for (i = 0; i < m->nleads; i++) {
		l = &m->leads[i];
		html_raw(h, "<tr><td class=\"mono fid\">");
		html_text_or(h, l->lead_id, NA);
		html_raw(h, "</td><td class=\"brk\">");
		h->cut = CUT_CELL;
		html_text_or(h, l->vendor, NA);
		html_raw(h, " \xc2\xb7 ");
		html_text_or(h, l->product, NA);
		html_raw(h, "</td><td class=\"brk\">");
		html_text_or(h, l->asset, NA);
		html_raw(h, " <span class=\"sub mono\">");
		html_text_or(h, l->address, "");
		html_raw(h, "</span></td>");
		h->cut = old;
		rhtml_td_cut(h, l->site, CUT_CELL);
		rhtml_td_cut(h, l->evidence, CUT_LONG);
		rhtml_td_cut(h, l->reason, CUT_LONG);
		html_raw(h, "</tr>\n");
	}
	h->cut = old;
	html_raw(h, "</tbody></table>\n</section>\n");
}
