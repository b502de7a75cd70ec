/*
 * report_html_art: the HTML report's style sheet, its one script, and its
 * two kinds of inline SVG chart.  The style and the script are constant
 * text (no data ever goes into them); the document's Content Security
 * Policy allows exactly these two by their SHA-256 hashes.
 *
 * Colours: severity runs from dark (critical) to light (low), so the order
 * survives greyscale printing, and every chart segment and badge also
 * carries its count or word.  "Not assessed" is striped, never a colour
 * that could read as "fine".  Chart coordinates are integers (printf's %f
 * would follow the locale).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report_html_int.h"

const char rhtml_style[] =
":root{--ink:#1c2430;--muted:#5d6875;--rule:#d8dde3;--accent:#1d3f66;"
"--panel:#f4f6f8;--crit:#7a1414;--high:#c2461a;--med:#e3a232;"
"--low:#a9c6dc;--other:#c9c9c9;--ok:#2e6b45;--part:#93c4a3}"
"*{box-sizing:border-box}"
"html{color:var(--ink);background:#fff;font:14px/1.45 system-ui,"
"-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"Liberation Sans\","
"Arial,sans-serif}"
"body{margin:0 auto;max-width:1200px;padding:28px 36px 48px;"
"overflow-wrap:anywhere}"
"[hidden]{display:none!important}"
"h1{font-size:26px;line-height:1.2;margin:4px 0 14px;color:var(--accent)}"
"h2{font-size:20px;margin:40px 0 12px;padding-bottom:5px;"
"border-bottom:2px solid var(--accent);color:var(--accent)}"
"h3{font-size:16px;margin:26px 0 8px}"
"h4{font-size:13px;margin:14px 0 6px;text-transform:uppercase;"
"letter-spacing:.05em;color:var(--muted)}"
"p{margin:6px 0 10px;max-width:75em}"
"a{color:var(--accent)}"
".kicker{margin:0;font-size:12px;font-weight:600;letter-spacing:.12em;"
"text-transform:uppercase;color:var(--muted)}"
".mono,code{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,"
"monospace;font-size:.92em}"
".na{color:#8a939d}"
".muted{color:var(--muted)}"
"header.cover{border-bottom:1px solid var(--rule);padding-bottom:14px}"
"dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr) "
"max-content minmax(0,1fr);gap:3px 18px;margin:10px 0 0;font-size:13px}"
"dl.meta dt{color:var(--muted)}"
"dl.meta dd{margin:0;overflow-wrap:anywhere}"
".banner{margin:14px 0;padding:10px 14px;border:1px solid;"
"border-left-width:6px;border-radius:3px}"
".banner.warn{border-color:#b8860b;background:#fff7e0}"
".banner.bad{border-color:var(--crit);background:#fbeaea}"
".kpis{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));"
"gap:10px;margin:18px 0 8px}"
".kpi{border:1px solid var(--rule);border-top:5px solid var(--accent);"
"border-radius:4px;padding:8px 12px 10px;background:#fff}"
".kpi b{display:block;font-size:28px;line-height:1.15}"
".kpi span{display:block;font-size:12px;color:var(--muted)}"
".kpi.bad{border-top-color:var(--crit)}"
".kpi.warn{border-top-color:var(--med)}"
".kpi.good{border-top-color:var(--ok)}"
".lead{font-size:15px;margin:12px 0}"
"nav.toc ol{margin:6px 0;padding-left:22px;columns:2;column-gap:40px}"
"nav.toc li{margin:2px 0}"
"table{width:100%;border-collapse:collapse;margin:8px 0 18px;"
"font-size:12.5px}"
"caption{text-align:left;font-weight:600;padding:4px 0;"
"caption-side:top}"
"th,td{padding:5px 7px;border-bottom:1px solid var(--rule);"
"text-align:left;vertical-align:top}"
"td{overflow-wrap:break-word}"
".brk{overflow-wrap:anywhere}"
"td.brk{min-width:6em}"
".nw,time{white-space:nowrap}"
"table.compact{width:auto;min-width:55%}"
"th.w-name{width:7.5em}"
"td.pre{white-space:pre-line}"
"thead th{background:var(--panel);border-bottom:2px solid #9aa6b2;"
"font-weight:600}"
"tfoot td,tfoot th{border-top:2px solid #9aa6b2;font-weight:600}"
"th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}"
"td.zero{color:#a4acb5}"
"tr.total td{font-weight:600}"
"table.kv th{width:1%}"
"table.kv th{background:none;border-bottom:1px solid var(--rule);"
"color:var(--muted);font-weight:normal;white-space:nowrap}"
".sev,.st,.lv{display:inline-block;padding:1px 7px;border-radius:3px;"
"font-size:11px;font-weight:700;letter-spacing:.03em;"
"text-transform:uppercase;white-space:nowrap;border:1px solid transparent}"
".sev{border-left-width:5px}"
".sev-critical{background:#f2cccc;border-color:var(--crit);color:#5e0e0e}"
".sev-high{background:#f9d9c8;border-color:var(--high);color:#7d2c0c}"
".sev-medium{background:#fbeac2;border-color:var(--med);color:#6b4a09}"
".sev-low{background:#e3edf5;border-color:var(--low);color:#2b4a63}"
".sev-other{background:#efefef;border-color:var(--other);color:#444}"
".st-new{border-color:var(--accent);color:var(--accent)}"
".st-persisting{background:#eef0f2;color:#3f4952}"
".st-resolved{background:#dcefe3;color:#1f5135}"
".st-unverified{background:repeating-linear-gradient(135deg,#f4c7c3 0 4px,"
"#fff 4px 8px);border-color:#b3261e;color:#7a1410}"
".st-waived{background:#ebe5f4;border-color:#6b5a8e;color:#3f3160}"
".lv-0{background:#dcefe3;color:#1f5135}"
".lv-1{background:#fbeac2;color:#6b4a09}"
".lv-2{background:repeating-linear-gradient(135deg,#f4c7c3 0 4px,"
"#fff 4px 8px);border-color:#b3261e;color:#7a1410}"
".lv-3{background:#efefef;border-color:#999;border-style:dashed;"
"color:#444}"
"#findings-table{table-layout:fixed}"
"#findings-table th:nth-child(1){width:17%}"
"#findings-table th:nth-child(2){width:14%}"
"#findings-table th:nth-child(3){width:16%}"
"#findings-table th:nth-child(4){width:17%}"
"#findings-table th:nth-child(5){width:14%}"
"#findings-table th:nth-child(6){width:11%}"
"#findings-table th:nth-child(7){width:11%}"
"tbody.finding tr.main td{border-bottom:none;padding-top:8px}"
"tbody.finding tr.detail td{padding:2px 7px 10px;"
"border-bottom:1px solid #b9c2cb;font-size:12px}"
"tbody.finding.resolved tr.main td{color:#59636d}"
"dl.fd{display:grid;grid-template-columns:max-content minmax(0,1fr);"
"gap:2px 12px;margin:0;padding:6px 10px;background:var(--panel);"
"border-radius:3px}"
"dl.fd dt{color:var(--muted)}"
"dl.fd dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}"
".fid{font-weight:600;white-space:nowrap}"
".sub{display:block;font-size:11.5px;color:var(--muted)}"
".callout{margin:10px 0 14px;padding:10px 14px;"
"border-left:6px solid #b3261e;background:#fbf0ef}"
".note{margin:6px 0 10px;padding:2px 10px;border-left:4px solid #b3261e;"
"color:#6b1a12}"
"figure{margin:10px 0 16px}"
"figcaption{font-size:12px;color:var(--muted);margin-top:2px}"
"svg.chart{display:block;width:100%;max-width:800px;height:auto}"
"svg.chart text{font-family:inherit;font-size:12px}"
"svg.chart text.in{font-size:11px;font-weight:700}"
".filters{display:none;flex-wrap:wrap;gap:10px 16px;align-items:center;"
"margin:8px 0;padding:8px 12px;background:var(--panel);"
"border-radius:4px;font-size:13px}"
"html.js .filters{display:flex}"
".filters input{width:16em}"
".filters input,.filters select{font:inherit;padding:3px 6px;"
"border:1px solid #9aa6b2;border-radius:3px;background:#fff}"
"span.sort{cursor:pointer}"
"span.sort::after{content:\" \\2195\";color:#9aa6b2}"
"th[aria-sort=ascending] span.sort::after{content:\" \\25B2\";"
"color:var(--ink)}"
"th[aria-sort=descending] span.sort::after{content:\" \\25BC\";"
"color:var(--ink)}"
"span.sort:focus-visible{outline:2px solid var(--accent)}"
"article.host{border:1px solid var(--rule);border-radius:4px;"
"padding:10px 16px 4px;margin:12px 0 16px}"
"article.host h4{margin-top:12px}"
"article.host>header{display:flex;flex-wrap:wrap;gap:6px 12px;"
"align-items:baseline;border-bottom:1px solid var(--rule);"
"padding-bottom:6px}"
"article.host>header h3{margin:0;font-size:15px}"
"dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr) "
"max-content minmax(0,1fr);gap:2px 14px;margin:8px 0 4px;font-size:13px}"
"dl.facts dt{color:var(--muted)}"
"dl.facts dd{margin:0;overflow-wrap:anywhere}"
"footer{margin-top:40px;padding-top:10px;border-top:1px solid var(--rule);"
"font-size:12px;color:var(--muted)}"
"section.exec h2{margin-top:18px}"
"section.exec h3{font-size:14px;margin:12px 0 4px;color:var(--accent)}"
".exec-grid{display:grid;grid-template-columns:minmax(0,1.35fr) "
"minmax(0,1fr);gap:0 28px}"
"section.exec p{margin:3px 0 6px}"
"table.top td,table.top th,table.regs td,table.regs th{padding:3px 5px}"
"table.heat{width:auto;border-collapse:separate;border-spacing:2px;"
"margin:4px 0 8px}"
"table.heat caption{font-weight:normal;font-size:12px;color:var(--muted)}"
"table.heat th{background:none;border:none;font-weight:600;"
"text-align:center;padding:2px 6px}"
"table.heat th.corner{font-size:10px;font-weight:normal;"
"color:var(--muted);text-align:left;max-width:9em}"
"td.hm{width:3.2em;height:2.2em;text-align:center;vertical-align:middle;"
"border:1px solid #fff;font-size:13px}"
"td.hm-critical{background:#e8b4b4}td.hm-high{background:#f6cdb6}"
"td.hm-medium{background:#fbe6b5}td.hm-low{background:#e3edf5}"
"td.hm.zero{opacity:.55}"
".dues{display:grid;grid-template-columns:1fr 1fr;gap:8px}"
".due{border:1px solid var(--rule);border-radius:4px;padding:4px 8px;"
"font-size:12px}"
".due b.big{font-size:20px;margin-right:4px}"
".due ul{margin:2px 0;padding-left:16px}"
".signoff{margin-top:10px;border:1px solid #9aa6b2;border-radius:4px;"
"padding:4px 12px 8px}"
".signoff h3{margin:4px 0}"
".signoff p{margin:2px 0 4px;font-size:12px}"
".signoff dl{display:grid;grid-template-columns:max-content minmax(0,1fr) "
"max-content minmax(0,1fr);gap:10px 12px;margin:4px 0 0}"
".signoff dd{margin:0;min-height:1.6em}"
".signoff dd.line{border-bottom:1px solid var(--ink)}"
".runinfo h2{margin-top:24px}"
"dl.fd .plain{display:block;font-weight:600;margin-bottom:2px}"
"dl.fd .raw{display:block;color:var(--muted);font-size:.95em}"
"@media screen{.print-only{display:none}}"
"@media screen and (max-width:900px){.exec-grid{grid-template-columns:1fr}"
".kpis{grid-template-columns:repeat(3,1fr)}"
"dl.meta,dl.facts{grid-template-columns:max-content minmax(0,1fr)}}"
"@page{margin:10mm 10mm 11mm}"
"@media print{"
"html{font-size:8pt;line-height:1.3;background:#fff}"
"body{max-width:none;padding:0}"
"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
"h1{font-size:16pt;margin:2px 0 6px}"
"h2{margin:14px 0 6px;font-size:12.5pt}"
"h3{font-size:10pt;margin:10px 0 4px}"
"p{margin:3px 0 5px}"
"section.exec{break-after:page}"
".exec-grid{grid-template-columns:minmax(0,1.5fr) minmax(0,1fr);gap:0 16px}"
"table.top,table.regs{font-size:7pt}"
".small{font-size:6.5pt}"
"section.exec h2{margin-top:4px}"
"section.exec h3{font-size:9pt;margin:7px 0 3px}"
"td.hm{font-size:8.5pt;height:1.9em}"
".due b.big{font-size:13pt}"
".due,.signoff p{font-size:7.5pt}"
"section.sector figure{display:none}"
"section.sector h3{margin-top:6px}"
"#findings-table{font-size:7pt}"
"#hosts-clean,#hosts-compact{font-size:7pt;table-layout:fixed}"
"#hosts-clean th:nth-child(1),#hosts-clean th:nth-child(2){width:11%}"
"#hosts-clean th:nth-child(3){width:8%}"
"#hosts-clean th:nth-child(4){width:21%}"
"#hosts-clean th:nth-child(5){width:11%}"
"#hosts-clean th:nth-child(6){width:12%}"
"#hosts-compact th:nth-child(1){width:17%}"
"#hosts-compact th:nth-child(2){width:22%}"
"#hosts-compact th:nth-child(3){width:17%}"
"#hosts-compact th:nth-child(4){width:18%}"
"#hosts-clean td:last-child,#hosts-compact td:last-child{display:"
"-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;"
"overflow:hidden;white-space:normal}"
"#findings-table .sub{font-size:6.5pt}"
/* A host's gaps: the first two lines on paper, all of them on screen. */
"table.gaps td>div:nth-child(n+3){display:none}"
"h2,h3,h4,caption{break-after:avoid}"
"tr,tbody.finding,.kpi,article.host>header,figure,dl.fd,.callout,"
".banner,.signoff,table.heat,.due{break-inside:avoid}"
"thead{display:table-header-group}"
"tfoot{display:table-footer-group}"
"table{font-size:7.5pt;margin:4px 0 10px}"
"th,td{padding:2px 4px}"
"th{overflow-wrap:normal;word-break:normal;hyphens:none}"
/* Findings print as compact blocks, several a page, none split. */
"#findings-table,#findings-table>thead,#findings-table>tbody,"
"#findings-table tr,#findings-table tr.detail>td{display:block}"
"#findings-table tr.main,#findings-table>thead>tr{display:grid;"
"grid-template-columns:15% 11% 14% 17% 27% 7% 9%}"
"#findings-table tr.main>td,#findings-table>thead th{display:block;"
"border:none}"
"tbody.finding{border-bottom:1px solid #9aa6b2;padding:2px 0}"
"tbody.finding tr.detail td{border:none;padding:0 4px 3px;font-size:7pt}"
"dl.fd{padding:3px 6px;gap:1px 8px}"
"dl.fd .raw{display:-webkit-box;-webkit-box-orient:vertical;"
"-webkit-line-clamp:2;overflow:hidden;white-space:normal}"
/* Host detail: the channel rows of each host, not every probe. */
"tr.probe,article.host{display:none}"
"article.host{padding:4px 10px 0;margin:6px 0 8px}"
"article.host h4{margin:6px 0 2px}"
"dl.facts{font-size:7.5pt;margin:4px 0 2px}"
".kpis{grid-template-columns:repeat(6,minmax(0,1fr));gap:6px;"
"margin:8px 0 4px}"
".kpi{padding:3px 6px 4px}"
".mono.fid{font-size:7.5pt}"
".sev,.st,.lv{font-size:7pt;padding:0 4px}"
".filters,nav.toc,.screen{display:none!important}"
"span.sort::after{content:none!important}"
"a{color:inherit;text-decoration:none}"
"a.cite[href]::after{content:\" <\" attr(href) \">\";font-size:7.5pt;"
"color:#333;overflow-wrap:anywhere}"
".kpi b{font-size:13pt}"
"svg.chart{max-width:170mm}"
"}";

const char rhtml_script[] =
"(function(){\"use strict\";"
"var d=document;d.documentElement.className+=\" js\";"
"function each(l,f){Array.prototype.forEach.call(l,f);}"
"function key(r,c){var e=r.cells[c];if(!e)return\"\";"
"var s=e.getAttribute(\"data-sort\");"
"return s!==null?s:e.textContent.trim().toLowerCase();}"
"var num=/^-?[0-9]+(\\.[0-9]+)?$/;"
"function cmp(a,b){if(num.test(a)&&num.test(b))return a-b;"
"return a.localeCompare(b,undefined,{numeric:true});}"
"function sortBy(t,c,th){"
"var asc=th.getAttribute(\"aria-sort\")!==\"ascending\";"
"each(t.tHead.rows[0].cells,function(x){x.removeAttribute(\"aria-sort\");});"
"th.setAttribute(\"aria-sort\",asc?\"ascending\":\"descending\");"
"var g=t.classList.contains(\"grouped\");"
"var p=g?t:t.tBodies[0];"
"var u=Array.prototype.slice.call(g?t.tBodies:t.tBodies[0].rows);"
"u.sort(function(a,b){var r=cmp(key(g?a.rows[0]:a,c),key(g?b.rows[0]:b,c));"
"return asc?r:-r;});"
"u.forEach(function(x){p.appendChild(x);});}"
"each(d.querySelectorAll(\"table.sortable\"),function(t){"
"if(!t.tHead||t.tBodies.length===0)return;"
"each(t.tHead.rows[0].cells,function(th,i){"
"var b=d.createElement(\"span\");b.setAttribute(\"role\",\"button\");"
"b.tabIndex=0;b.className=\"sort\";"
"while(th.firstChild)b.appendChild(th.firstChild);th.appendChild(b);"
"b.addEventListener(\"click\",function(){sortBy(t,i,th);});"
"b.addEventListener(\"keydown\",function(e){if(e.key===\"Enter\"||"
"e.key===\" \"){e.preventDefault();sortBy(t,i,th);}});});});"
"var f=d.getElementById(\"filters\"),t=d.getElementById(\"findings-table\");"
"if(f&&t){var q=f.querySelector(\"input\"),"
"s=f.querySelectorAll(\"select\"),o=f.querySelector(\"output\");"
"var apply=function(){var x=q.value.trim().toLowerCase(),n=0,a=0;"
"each(t.tBodies,function(b){"
"var v=x===\"\"||b.textContent.toLowerCase().indexOf(x)>=0;"
"each(s,function(e){if(e.value!==\"\"&&"
"b.getAttribute(\"data-\"+e.name)!==e.value)v=false;});"
"b.hidden=!v;a++;if(v)n++;});"
"o.textContent=n+\" of \"+a+\" findings shown\";};"
"q.addEventListener(\"input\",apply);"
"each(s,function(e){e.addEventListener(\"change\",apply);});apply();}"
"})();";

/* Fill and in-bar text colour of each severity (dark to light). */
static const char *const sev_fill[SEV__COUNT] = {
	"#7a1414", "#c2461a", "#e3a232", "#a9c6dc", "#c9c9c9",
};
static const char *const sev_ink[SEV__COUNT] = {
	"#ffffff", "#ffffff", "#1c2430", "#1c2430", "#1c2430",
};

/* Fill and text colour of each coverage level. */
static const char *const level_fill[LV__COUNT] = {
	"#2e6b45", "#93c4a3", "url(#hatch-na)", "#efefef",
};
static const char *const level_ink[LV__COUNT] = {
	"#ffffff", "#1c2430", "#7a1410", "#1c2430",
};

#define CH_W		800	/* view box width */
#define CH_LABEL	180	/* right edge of the labels */
#define CH_BAR		190	/* left edge of the bars */
#define CH_BAR_W	480
#define CH_ROW		28
#define CH_BAR_H	18

/* A label in the left column, cut so it fits. */
static void
label(struct html *h, int y, const char *text, const char *none)
{
	size_t cut = h->cut;

	html_rawf(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
	    CH_LABEL, y);
	h->cut = 26;
	html_text_or(h, text, none);
	h->cut = cut;
	html_raw(h, "</text>");
}

/* One segment [x0, x1) of a bar at row top y, with its count inside. */
static void
segment(struct html *h, int x0, int x1, int y, const char *fill,
    const char *ink, size_t n)
{
	int halo = fill[0] == 'u';	/* a pattern: give the count a halo */

	if (x1 <= x0)
		return;
	html_rawf(h, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"></rect>", x0, y,
	    x1 - x0, CH_BAR_H, fill);
	if (x1 - x0 >= 8 + 7 * (n >= 10) + 7 * (n >= 100))
		html_rawf(h, "<text class=\"in\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\" fill=\"%s\"%s>%zu</text>",
		    (x0 + x1) / 2, y + 13, ink, halo ? " stroke=\"#ffffff\" "
		    "stroke-width=\"3\" paint-order=\"stroke\"" : "", n);
}

/* A legend entry at x, y; returns the x of the next one. */
static int
legend(struct html *h, int x, int y, const char *fill, const char *text)
{
	html_rawf(h, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" "
	    "fill=\"%s\" stroke=\"#888888\" stroke-width=\"0.5\"></rect>"
	    "<text x=\"%d\" y=\"%d\">%s</text>", x, y, fill, x + 19, y + 11,
	    text);
	return x + 19 + 7 * (int)strlen(text) + 22;
}

void
rhtml_chart_vendors(struct html *h, const struct h_sector *s, size_t ix)
{
	size_t i, max = 1, cum;
	int y, x0, x1, height, lx, k;

	if (s->nvendors == 0)
		return;
	for (i = 0; i < s->nvendors; i++)
		if (s->vendors[i].total > max)
			max = s->vendors[i].total;
	height = 10 + (int)s->nvendors * CH_ROW + 30;
	html_rawf(h, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" role=\"img\" aria-labelledby=\"vc-%zu\">"
	    "<title id=\"vc-%zu\">Open findings by vendor and severity"
	    "</title>", CH_W, height, CH_W, height, ix, ix);
	for (i = 0; i < s->nvendors; i++) {
		const struct h_vendor *v = &s->vendors[i];

		y = 10 + (int)i * CH_ROW;
		label(h, y + 13, v->name, "(vendor not recorded)");
		cum = 0;
		x0 = CH_BAR;
		for (k = 0; k < SEV__COUNT; k++) {
			cum += v->n[k];
			x1 = CH_BAR + (int)(CH_BAR_W * cum / max);
			segment(h, x0, x1, y, sev_fill[k], sev_ink[k], v->n[k]);
			x0 = x1;
		}
		html_rawf(h, "<text x=\"%d\" y=\"%d\" font-weight=\"700\">%zu"
		    "</text>", x0 + 6, y + 13, v->total);
	}
	y = 10 + (int)s->nvendors * CH_ROW + 6;
	lx = 10;
	for (k = 0; k < SEV__COUNT; k++)
		if (k != SEV_OTHER || s->open[SEV_OTHER] > 0)
			lx = legend(h, lx, y, sev_fill[k], rhtml_sev_name(k));
	html_raw(h, "</svg>");
}

/* One row of the coverage chart: levels as shares of the hosts. */
static void
coverage_row(struct html *h, int y, const char *name, const char *none,
    const size_t level[LV__COUNT], size_t hosts)
{
	size_t cum = 0, k;
	int x0 = CH_BAR, x1;

	label(h, y + 13, name, none);
	if (hosts == 0) {
		html_rawf(h, "<text x=\"%d\" y=\"%d\">no hosts</text>", CH_BAR,
		    y + 13);
		return;
	}
	for (k = 0; k < LV__COUNT; k++) {
		cum += level[k];
		x1 = CH_BAR + (int)(CH_BAR_W * cum / hosts);
		segment(h, x0, x1, y, level_fill[k], level_ink[k], level[k]);
		x0 = x1;
	}
	html_rawf(h, "<text x=\"%d\" y=\"%d\">%zu of %zu read</text>",
	    CH_BAR + CH_BAR_W + 6, y + 13, level[LV_ASSESSED] +
	    level[LV_PARTIAL], hosts);
}

void
rhtml_chart_coverage(struct html *h, const struct model *m)
{
	size_t i, rows = m->nsectors + (m->nsectors > 1);
	int y, height, lx, k;

	height = 10 + (int)rows * CH_ROW + 30;
	html_rawf(h, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" role=\"img\" aria-labelledby=\"cc-t\">"
	    "<title id=\"cc-t\">Hosts by coverage, per sector</title>"
	    "<defs><pattern id=\"hatch-na\" width=\"6\" height=\"6\" "
	    "patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
	    "fill=\"#f4c7c3\"></rect><rect width=\"3\" height=\"6\" "
	    "fill=\"#b3261e\"></rect></pattern></defs>", CH_W, height, CH_W,
	    height);
	y = 10;
	if (m->nsectors > 1) {
		size_t total = 0;

		for (k = 0; k < LV__COUNT; k++)
			total += m->level[k];
		coverage_row(h, y, "All sectors", NULL, m->level, total);
		y += CH_ROW;
	}
	for (i = 0; i < m->nsectors; i++, y += CH_ROW)
		coverage_row(h, y, m->sectors[i].name, "(no sector)",
		    m->sectors[i].level, m->sectors[i].hosts);
	y += 6;
	lx = 10;
	for (k = 0; k < LV__COUNT; k++)
		lx = legend(h, lx, y, level_fill[k], rhtml_level_name(k));
	html_raw(h, "</svg>");
}
