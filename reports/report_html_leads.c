/*
 * report_html_leads: the HTML report's leads -- things to check on site
 * that are not findings (rules.h, ACTION_LEAD).  They are read apart from
 * the findings and written in a section of their own, after the findings:
 * evidence and the reason each is a lead, never a regulation, risk or due
 * date, and never in the findings' figures.  The notes of a ban elsewhere
 * (store.h, FINDING_ELSEWHERE) are read the same way and written in their
 * host's detail.
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

/* Where lead_cb() puts the rows: the leads, or the notes elsewhere. */
struct lctx {
	struct model	 *m;
	struct h_lead	**v;
	size_t		 *n, *cap;
	void		(*cb_host)(struct model *, int64_t);
};

static int
lead_cb(void *arg, const struct lead_row *r)
{
	struct lctx *x = arg;
	struct model *m = x->m;
	struct h_lead *l;
	int oom = 0;

	if (m->filter != NULL && (r->h.sector == NULL ||
	    strcasecmp(r->h.sector, m->filter) != 0))
		return 0;
	if (array_grow(x->v, *x->n, x->cap, sizeof(**x->v)) != 0) {
		m->pool.oom = 1;
		return 1;
	}
	l = &(*x->v)[(*x->n)++];
	memset(l, 0, sizeof(*l));
	l->host = r->host;
	if (x->cb_host != NULL)
		x->cb_host(m, r->host);
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
	struct lctx x = { m, &m->leads, &m->nleads, &m->lcap, NULL };

	return store_each_lead(s, run, lead_cb, &x, err, errlen);
}

int
rhtml_elsewhere_load(struct store *s, int64_t run, struct model *m,
    void (*cb_host)(struct model *, int64_t), char *err, size_t errlen)
{
	struct lctx x = { m, &m->elsewhere, &m->nelsewhere, &m->ecap,
	    cb_host };

	return store_each_elsewhere(s, run, lead_cb, &x, err, errlen);
}

static void
free_v(struct h_lead **v, size_t *n, size_t *cap)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		free((*v)[i].lead_id);
		free((*v)[i].vendor);
		free((*v)[i].product);
		free((*v)[i].asset);
		free((*v)[i].address);
		free((*v)[i].site);
		free((*v)[i].evidence);
		free((*v)[i].reason);
	}
	free(*v);
	*v = NULL;
	*n = *cap = 0;
}

void
rhtml_leads_free(struct model *m)
{
	free_v(&m->leads, &m->nleads, &m->lcap);
	free_v(&m->elsewhere, &m->nelsewhere, &m->ecap);
}

void
rhtml_host_elsewhere(struct html *h, const struct model *m,
    const struct h_host *x)
{
	const struct h_lead *l;
	size_t i, old = h->cut;

	if (x->nelsewhere == 0)
		return;
	html_raw(h, "<h4>Banned elsewhere, not a finding here</h4>\n"
	    "<p class=\"muted\">Another state's list bans these products, "
	    "but no regulation that applies to this host does: a note, not a "
	    "finding, never in the register or its figures.</p>\n"
	    "<table class=\"elsewhere\"><thead><tr><th>What</th>"
	    "<th>Evidence</th><th>Where it is banned</th></tr></thead>"
	    "<tbody>");
	for (i = 0; i < m->nelsewhere; i++) {
		l = &m->elsewhere[i];
		if (l->host != x->id)
			continue;
		html_raw(h, "<tr><td class=\"brk\">");
		h->cut = CUT_CELL;
		html_text_or(h, l->vendor, NA);
		html_raw(h, " \xc2\xb7 ");
		html_text_or(h, l->product, NA);
		html_raw(h, "</td>");
		h->cut = old;
		rhtml_td_cut(h, l->evidence, CUT_LONG);
		rhtml_td_cut(h, l->reason, CUT_LONG);
		html_raw(h, "</tr>");
	}
	h->cut = old;
	html_raw(h, "</tbody></table>\n");
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
