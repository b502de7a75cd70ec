/*
 * report_html_cell: the small pieces every part of the HTML report writes
 * with -- the names of severities, statuses and coverage levels, dates and
 * run references, table cells, badges, host and finding links.  The
 * lowest floor of the report: it calls nothing else of it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report_html_int.h"
#include "util.h"

/* --- vocabulary ------------------------------------------------------- */

static const char *const sev_names[SEV__COUNT] = {
	"critical", "high", "medium", "low", "other",
};
static const char *const fstatus_names[FS__COUNT] = {
	"new", "persisting", "resolved",
};
static const char *const level_names[LV__COUNT] = {
	"assessed", "partially assessed", "not assessed",
	"seen only in neighbour tables",
};

const char *const rhtml_key_labels[KEY_OBS] = {
	"sysDescr", "sysObjectID", "sysName", "Manufacturer", "Model",
	"Operating system", "OS version", "Serial number",
	"Manufacturer (ENTITY-MIB)", "Model (ENTITY-MIB)", "Vendor MIB",
	"Platform",
};

const char *
rhtml_sev_name(enum sev s)
{
	return (unsigned)s < SEV__COUNT ? sev_names[s] : "other";
}

const char *
rhtml_fstatus_name(enum fstatus s)
{
	return (unsigned)s < FS__COUNT ? fstatus_names[s] : "new";
}

const char *
rhtml_level_name(enum level l)
{
	return (unsigned)l < LV__COUNT ? level_names[l] : "not assessed";
}

/* --- small pieces ----------------------------------------------------- */

void
rhtml_time(struct html *h, int64_t t)
{
	char iso[32], text[32];
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
		html_raw(h, NA);
		return;
	}
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(text, sizeof(text), "%Y-%m-%d %H:%M UTC", &tm);
	html_rawf(h, "<time datetime=\"%s\">%s</time>", iso, text);
}

void
rhtml_run_ref(struct html *h, const struct h_run *r)
{
	html_rawf(h, "run #%lld", (long long)r->id);
	if (r->label != NULL && *r->label != '\0') {
		html_raw(h, " (");
		html_text(h, r->label);
		html_raw(h, ")");
	}
	html_raw(h, ", started ");
	rhtml_time(h, r->started);
}

void
rhtml_date(struct html *h, int64_t t)
{
	char buf[16];

	if (t <= 0) {
		html_raw(h, NA);
		return;
	}
	fmt_date(t, buf, sizeof(buf));
	html_rawf(h, "<time datetime=\"%s\">%s</time>", buf, buf);
}

/*
 * A cell of free text, cut short, that may break anywhere (a long
 * unbroken value must not widen the table).
 */
void
rhtml_td_cut(struct html *h, const char *s, size_t cut)
{
	size_t old = h->cut;

	h->cut = cut;
	html_raw(h, "<td class=\"brk\">");
	html_text_or(h, s, NA);
	html_raw(h, "</td>");
	h->cut = old;
}

void
rhtml_td_num(struct html *h, size_t n)
{
	html_rawf(h, "<td class=\"num%s\">%zu</td>", n == 0 ? " zero" : "",
	    n);
}

void
rhtml_td_sector(struct html *h, const char *name)
{
	size_t old = h->cut;

	h->cut = CUT_ADDR;
	html_raw(h, "<td>");
	html_text_or(h, name, NO_SECTOR);
	html_raw(h, "</td>");
	h->cut = old;
}

void
rhtml_sev(struct html *h, enum sev s, const char *text)
{
	html_rawf(h, "<span class=\"sev sev-%s\">", rhtml_sev_name(s));
	html_text_or(h, text, "unrated");
	html_raw(h, "</span>");
}

void
rhtml_status(struct html *h, enum fstatus s)
{
	html_rawf(h, "<span class=\"st st-%s\">%s</span>",
	    rhtml_fstatus_name(s), rhtml_fstatus_name(s));
}

void
rhtml_level(struct html *h, enum level l)
{
	html_rawf(h, "<span class=\"lv lv-%d\">%s</span>", (int)l,
	    rhtml_level_name(l));
}

/*
 * Hosts with open findings, incomplete coverage or a note of a ban
 * elsewhere get an article in the host detail; the others a row (assessed
 * without findings) or only their row in the coverage section
 * (neighbour-table sightings).
 */
int
rhtml_has_article(const struct h_host *x)
{
	return x->open > 0 || x->nelsewhere > 0 || x->level == LV_PARTIAL ||
	    x->level == LV_NOT_ASSESSED;
}

/* "address" or the identity when the host has no address. */
void
rhtml_host_label(struct html *h, const struct h_host *x)
{
	size_t old = h->cut;

	h->cut = CUT_ADDR;
	if (x->h.address != NULL && *x->h.address != '\0')
		html_text(h, x->h.address);
	else
		html_text_or(h, x->identity, NA);
	h->cut = old;
}

void
rhtml_host_link(struct html *h, const struct h_host *x)
{
	html_rawf(h, "<a class=\"nw\" href=\"#h-%lld\">", (long long)x->id);
	rhtml_host_label(h, x);
	html_raw(h, "</a>");
}

void
rhtml_finding_link(struct html *h, const struct h_finding *f)
{
	html_rawf(h, "<a class=\"mono fid\" href=\"#f-%zu\">", f->n);
	html_text_or(h, f->finding_id, NA);
	html_raw(h, "</a>");
}

size_t
rhtml_sum(const size_t *v, size_t n)
{
	size_t i, t = 0;

	for (i = 0; i < n; i++)
		t += v[i];
	return t;
}

void
rhtml_kpi(struct html *h, const char *cls, size_t n, const char *note)
{
	html_rawf(h, "<div class=\"kpi %s\"><b>%zu</b><span>%s</span></div>",
	    cls, n, note);
}
