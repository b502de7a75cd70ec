/*
 * report_html_phones: the phones and tablets of the run apart from the
 * network equipment -- a state CIO's question is "how many of our phones
 * still run TikTok, and whose are they?".  A host is a phone when what an
 * MDM export said of it names a mobile platform (report_is_mobile(),
 * report_hosts.h; README.md "Managed phones").  The section is left out
 * when the run has no phone.
 */
#include <stdint.h>

#include "html.h"
#include "report_hosts.h"
#include "report_html_int.h"

/* Index of the platform in h_host.key (report_html.c key_fields). */
#define KEY_PLATFORM	11
#define KEY_MODEL	4
#define KEY_OS		5
#define KEY_SERIAL	7

/* report_hosts.h: the one rule of what a phone is. */
int
rhtml_is_phone(const struct h_host *x)
{
	return report_is_mobile(x->key[KEY_PLATFORM]) ||
	    report_is_mobile(x->key[KEY_OS]) ||
	    report_is_mobile(x->key[KEY_MODEL]);
}

/* The open findings of a phone, "Vendor Product; ...". */
static void
phone_findings(struct html *h, const struct model *m,
    const struct h_host *x)
{
	size_t i, n = 0;

	for (i = x->first_open; i != SIZE_MAX && i < m->nfindings;
	    i = m->findings[i].next_open) {
		const struct h_finding *f = &m->findings[i];

		if (n++ > 0)
			html_raw(h, "; ");
		rhtml_finding_link(h, f);
		html_raw(h, " ");
		html_text(h, f->product);
	}
	if (n == 0)
		html_raw(h, NA);
}

void
rhtml_phones(struct html *h, const struct model *m)
{
	size_t i, phones = 0, banned = 0;

	for (i = 0; i < m->nhosts; i++) {
		phones += rhtml_is_phone(&m->hosts[i]);
		banned += rhtml_is_phone(&m->hosts[i]) &&
		    m->hosts[i].open > 0;
	}
	if (phones == 0)
		return;
	html_rawf(h, "<section class=\"major\" id=\"phones\">\n"
	    "<h2>Phones and tablets</h2>\n<p>%zu managed phone%s or "
	    "tablet%s, apart from the network equipment: <b>%zu</b> with "
	    "open findings (banned apps).</p>\n", phones,
	    phones == 1 ? "" : "s", phones == 1 ? "" : "s", banned);
	html_raw(h, "<table class=\"sortable\" id=\"phones-table\"><thead>"
	    "<tr><th>Device</th><th>Owner</th><th>Platform</th>"
	    "<th>Serial</th><th>Open findings</th></tr></thead><tbody>");
	for (i = 0; i < m->nhosts; i++) {
		const struct h_host *x = &m->hosts[m->order != NULL ?
		    m->order[i] : i];

		if (!rhtml_is_phone(x))
			continue;
		html_raw(h, "<tr><td class=\"brk\">");
		rhtml_host_link(h, x);
		html_raw(h, "</td>");
		rhtml_td_cut(h, x->h.owner, CUT_CELL);
		rhtml_td_cut(h, x->key[KEY_PLATFORM] != NULL ?
		    x->key[KEY_PLATFORM] : x->key[KEY_OS], CUT_CELL);
		rhtml_td_cut(h, x->key[KEY_SERIAL], CUT_ADDR);
		html_raw(h, "<td class=\"brk\">");
		phone_findings(h, m, x);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table>\n</section>\n");
}
