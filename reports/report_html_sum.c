/*
 * report_html_sum: the HTML report of a run too large to list -- more
 * hosts than report_opts.html_max_hosts.  Everything is counted while the
 * store's rows stream past, so memory grows with the number of distinct
 * (sector, site) pairs, not with hosts, coverage rows or findings: the
 * hosts of each pair, how far they were assessed, and the open findings
 * by severity; the findings by status.  The page says where the full
 * lists are (the coverage, findings and inventory CSV reports).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "report.h"
#include "report_html_int.h"
#include "store.h"

#define NBUCKETS	1024

/* One (sector, site) pair. */
struct pair {
	struct pair	*next;		/* in its hash bucket */
	char		*sector;
	char		*site;
	size_t		 hosts;
	size_t		 level[3];	/* assessed, partial, not assessed */
	size_t		 open[SEV__COUNT];
};

struct sum {
	struct pair	*bucket[NBUCKETS];
	struct pair	**v;		/* every pair, for sorting */
	size_t		 n, cap;
	size_t		 hosts;
	size_t		 level[3];
	size_t		 status[FS__COUNT];
	size_t		 open[SEV__COUNT];
	const char	*filter;
	int		 oom;
	/* The host whose coverage rows are being read. */
	int64_t		 cur;
	struct pair	*cur_pair;
	int		 cur_ok, cur_bad;
};

static uint64_t
hash(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;

	for (; a != NULL && *a != '\0'; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ULL;
	h = (h ^ 0x1f) * 1099511628211ULL;
	for (; b != NULL && *b != '\0'; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ULL;
	return h;
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static struct pair *
pair_get(struct sum *s, const char *sector, const char *site)
{
	struct pair *p;
	size_t b = hash(sector, site) % NBUCKETS;

	for (p = s->bucket[b]; p != NULL; p = p->next)
		if (same(p->sector, sector) && same(p->site, site))
			return p;
	if (array_grow(&s->v, s->n, &s->cap, sizeof(*s->v)) != 0)
		goto oom;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		goto oom;
	if ((sector != NULL && (p->sector = strdup(sector)) == NULL) ||
	    (site != NULL && (p->site = strdup(site)) == NULL)) {
		free(p->sector);
		free(p);
		goto oom;
	}
	p->next = s->bucket[b];
	s->bucket[b] = p;
	s->v[s->n++] = p;
	return p;
oom:
	s->oom = 1;
	return NULL;
}

static int
wanted(const struct sum *s, const char *sector)
{
	/* The sector filter ignores case, as everywhere (report.h). */
	return s->filter == NULL || (sector != NULL &&
	    strcasecmp(s->filter, sector) == 0);
}

static int
host_cb(void *arg, const struct host_row *r)
{
	struct sum *s = arg;
	struct pair *p;

	if (!wanted(s, r->h.sector))
		return 0;
	p = pair_get(s, r->h.sector, r->h.site);
	if (p == NULL)
		return 1;
	p->hosts++;
	s->hosts++;
	return 0;
}

/* The host whose rows just ended: how far it was assessed. */
static void
host_done(struct sum *s)
{
	int lv;

	if (s->cur_pair == NULL)
		return;
	lv = s->cur_ok && !s->cur_bad ? 0 : s->cur_ok ? 1 : 2;
	s->cur_pair->level[lv]++;
	s->level[lv]++;
	s->cur_pair = NULL;
}

static int
cov_cb(void *arg, const struct coverage_row *r)
{
	struct sum *s = arg;

	if (!wanted(s, r->h.sector))
		return 0;
	if (r->host != s->cur || s->cur_pair == NULL) {
		host_done(s);
		s->cur = r->host;
		s->cur_ok = s->cur_bad = 0;
		s->cur_pair = pair_get(s, r->h.sector, r->h.site);
		if (s->cur_pair == NULL)
			return 1;
	}
	if (r->cov.status == COV_OK)
		s->cur_ok = 1;
	else if (r->cov.status == COV_PARTIAL)
		s->cur_ok = s->cur_bad = 1;
	else
		s->cur_bad = 1;
	return 0;
}

static int
finding_cb(void *arg, const struct finding_row *r)
{
	static const char *const sevs[] = { "critical", "high", "medium",
	    "low" };
	struct sum *s = arg;
	struct pair *p;
	size_t sev;
	int st;

	if (!wanted(s, r->h.sector))
		return 0;
	st = strcmp(r->status, "new") == 0 ? FS_NEW :
	    strcmp(r->status, "resolved") == 0 ? FS_RESOLVED : FS_PERSISTING;
	s->status[st]++;
	if (st == FS_RESOLVED)
		return 0;
	for (sev = 0; sev < 4 && !same(r->f.severity, sevs[sev]); sev++)
		;
	p = pair_get(s, r->h.sector, r->h.site);
	if (p == NULL)
		return 1;
	p->open[sev]++;
	s->open[sev]++;
	return 0;
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = *(struct pair *const *)a;
	const struct pair *y = *(struct pair *const *)b;
	int c;

	c = strcmp(x->sector != NULL ? x->sector : "",
	    y->sector != NULL ? y->sector : "");
	if (c != 0)
		return c;
	return strcmp(x->site != NULL ? x->site : "",
	    y->site != NULL ? y->site : "");
}

static void
sum_free(struct sum *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i]->sector);
		free(s->v[i]->site);
		free(s->v[i]);
	}
	free(s->v);
}

static void
write_page(struct html *h, const struct sum *s, const struct run_info *ri,
    size_t max, const char *style_hash)
{
	static const char *const levels[] = { "assessed", "partially",
	    "not assessed" };
	static const char *const sevs[] = { "critical", "high", "medium",
	    "low", "other" };
	size_t i, k;

	html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-"
	    "Policy\" content=\"default-src 'none'; style-src ");
	html_raw(h, style_hash);
	html_raw(h, "; base-uri 'none'; form-action 'none'\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<meta name=\"generator\" content=\"banaudit " BANAUDIT_VERSION
	    "\">\n<link rel=\"icon\" href=\"data:,\">\n");
	html_rawf(h, "<title>Banned-vendor audit \xe2\x80\x94 run %lld "
	    "(summary)</title>\n<style>", (long long)ri->id);
	html_raw(h, rhtml_style);
	html_raw(h, "</style>\n</head>\n<body>\n<header class=\"cover\">\n"
	    "<p class=\"kicker\">banaudit \xc2\xb7 banned-vendor equipment "
	    "and software audit</p>\n");
	html_rawf(h, "<h1>Audit report: run #%lld (summary)</h1>\n",
	    (long long)ri->id);
	html_raw(h, "<dl class=\"meta\"><dt>Label</dt><dd>");
	html_text_or(h, ri->label, "\xe2\x80\x94");
	html_raw(h, "</dd><dt>Status</dt><dd>");
	html_text(h, run_status_name(ri->status));
	html_raw(h, "</dd><dt>Scope</dt><dd>");
	html_text_or(h, ri->scope, "\xe2\x80\x94");
	html_raw(h, "</dd><dt>Rule pack</dt><dd>");
	html_text_or(h, ri->rules_version, "\xe2\x80\x94");
	html_raw(h, "</dd></dl>\n</header>\n<main>\n");
	html_rawf(h, "<div class=\"banner warn\" id=\"summary-only\"><p>This "
	    "run has <b>%zu hosts</b>, more than the %zu this report lists "
	    "one by one: it gives counts only. The full lists are in the "
	    "CSV reports of the same run: <code>banaudit report --format "
	    "coverage-csv</code> (every host, channel and probe: which hosts "
	    "were not assessed and why), <code>--format csv</code> (every "
	    "finding, with evidence and citations) and <code>--format "
	    "inventory-csv</code> (every observation).</p></div>\n",
	    s->hosts, max);
	html_raw(h, "<section id=\"coverage\"><h2>Hosts by sector and site"
	    "</h2>\n<table><thead><tr><th>Sector</th><th>Site</th>"
	    "<th class=\"num\">Hosts</th>");
	for (k = 0; k < 3; k++)
		html_rawf(h, "<th class=\"num\">%s</th>", levels[k]);
	for (k = 0; k < SEV__COUNT; k++)
		html_rawf(h, "<th class=\"num\">open %s</th>", sevs[k]);
	html_raw(h, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < s->n; i++) {
		const struct pair *p = s->v[i];

		html_raw(h, "<tr><td>");
		html_text_or(h, p->sector, "\xe2\x80\x94");
		html_raw(h, "</td><td>");
		html_text_or(h, p->site, "\xe2\x80\x94");
		html_rawf(h, "</td><td class=\"num\">%zu</td>", p->hosts);
		for (k = 0; k < 3; k++)
			html_rawf(h, "<td class=\"num\">%zu</td>",
			    p->level[k]);
		for (k = 0; k < SEV__COUNT; k++)
			html_rawf(h, "<td class=\"num\">%zu</td>", p->open[k]);
		html_raw(h, "</tr>\n");
	}
	html_rawf(h, "</tbody>\n<tfoot><tr><th colspan=\"2\">All</th>"
	    "<td class=\"num\">%zu</td>", s->hosts);
	for (k = 0; k < 3; k++)
		html_rawf(h, "<td class=\"num\">%zu</td>", s->level[k]);
	for (k = 0; k < SEV__COUNT; k++)
		html_rawf(h, "<td class=\"num\">%zu</td>", s->open[k]);
	html_raw(h, "</tr></tfoot></table>\n<p>Hosts with no coverage row "
	    "(seen only in other devices' tables, or imported) are counted "
	    "under none of the three.  Not assessed means unknown, not "
	    "clean.</p></section>\n");
	html_rawf(h, "<section id=\"findings\"><h2>Findings</h2>\n<p>%zu new, "
	    "%zu persisting, %zu resolved since the previous run of this "
	    "scope.</p></section>\n</main>\n<footer><p>Written by banaudit "
	    BANAUDIT_VERSION " from the audit database (summary of a large "
	    "run).</p></footer>\n</body>\n</html>\n", s->status[FS_NEW],
	    s->status[FS_PERSISTING], s->status[FS_RESOLVED]);
}

int
rhtml_summary(struct store *st, const struct report_opts *o, FILE *fp,
    size_t max, char *err, size_t errlen)
{
	struct sum *s;
	struct run_info ri;
	struct html h;
	char style[HTML_CSP_HASH_LEN];
	int rc = -1;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return errf(err, errlen, "cannot write the HTML report: %s",
		    strerror(ENOMEM));
	s->filter = o->sector;
	if (store_each_host(st, o->run, host_cb, s, err, errlen) == -1 ||
	    store_each_coverage(st, o->run, cov_cb, s, err, errlen) == -1 ||
	    store_each_finding(st, o->run, finding_cb, s, err, errlen) == -1)
		goto out;
	host_done(s);
	if (s->oom) {
		errf(err, errlen, "cannot write the HTML report: %s",
		    strerror(ENOMEM));
		goto out;
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_pair);
	if (html_csp_hash(rhtml_style, style, sizeof(style)) == -1) {
		errf(err, errlen, "cannot hash the report's style (libcrypto)");
		goto out;
	}
	if (store_run_get(st, o->run, &ri, err, errlen) == -1)
		goto out;
	html_init(&h, fp);
	write_page(&h, s, &ri, max, style);
	if (h.error != 0) {
		errf(err, errlen, "cannot write the report: %s",
		    strerror(h.error > 0 ? h.error : EIO));
		goto out;
	}
	rc = 0;
out:
	sum_free(s);
	free(s);
	return rc;
}
