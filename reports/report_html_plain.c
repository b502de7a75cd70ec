/*
 * report_html_plain: one plain-language line for a finding's evidence,
 * for the reader who signs the report rather than the analyst who reads
 * the OIDs: "Kaspersky Endpoint Security for Windows installed and running
 * (process avp.exe)."  It is made from the evidence text the analyzer
 * stored (analyze.c: CHANNEL KIND.ATTR "VALUE" (SOURCE); ...), so it
 * says nothing the evidence does not.  The raw evidence follows it in the
 * report, unchanged.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report_html_int.h"
#include "util.h"

#define PLAIN_VALUE	100	/* bytes of one value quoted in the line */
#define PLAIN_MAX_PROCS	3	/* process names listed */

/*
 * The n-th (0-based) value of KIND.ATTR in the evidence, up to its
 * closing quote, its first line only, at most PLAIN_VALUE bytes; "" when
 * there is none.  Returns the length copied.
 */
static size_t
ev_value(const char *ev, const char *key, size_t n, char *buf, size_t len)
{
	char pat[48];
	const char *p = ev, *v;
	size_t k, plen;

	buf[0] = '\0';
	snprintf(pat, sizeof(pat), " %s \"", key);
	plen = strlen(pat);
	for (;;) {
		p = strstr(p, pat);
		if (p == NULL)
			return 0;
		if (n-- == 0)
			break;
		p += plen;
	}
	v = p + plen;
	k = strcspn(v, "\"\n");
	if (k > PLAIN_VALUE)
		k = PLAIN_VALUE;
	if (k >= len)
		k = len - 1;
	memcpy(buf, v, k);
	buf[k] = '\0';
	str_trim(buf);
	return strlen(buf);
}

/* Is s among the first n strings of v? */
static int
seen(char v[][PLAIN_VALUE + 1], size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* "; " between clauses of the device's identity. */
static void
clause(struct strbuf *sb, int *first, const char *fmt, const char *v)
{
	if (!*first)
		strbuf_puts(sb, "; ");
	*first = 0;
	strbuf_printf(sb, fmt, v);
}

size_t
rhtml_evidence_plain(const char *ev, const char *vendor, const char *product,
    char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT(len > 0 ? len - 1 : 0);
	char sw[PLAIN_VALUE + 1], v[PLAIN_VALUE + 1];
	char procs[PLAIN_MAX_PROCS][PLAIN_VALUE + 1];
	const char *loc, *what;
	size_t i, np = 0;
	int first = 1;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (ev == NULL || *ev == '\0')
		return 0;
	/* analyze.c starts a rule to verify with these words. */
	if (strncmp(ev, "possible, verify: ", 18) == 0)
		strbuf_puts(&sb, "Possible, to verify: ");
	/* Evidence fields start after a space: look at " " + ev. */
	what = product != NULL && *product != '\0' ? product :
	    vendor != NULL && *vendor != '\0' ? vendor : "the product";
	{
		char pad[2100];

		snprintf(pad, sizeof(pad), " %s", ev);
		ev_value(pad, "software.name", 0, sw, sizeof(sw));
		for (i = 0; np < PLAIN_MAX_PROCS && i < 32; i++) {
			if (ev_value(pad, "process.name", i, v, sizeof(v)) == 0)
				break;
			if (!seen(procs, np, v))
				str_copy(procs[np++], v, sizeof(procs[0]));
		}
		if (sw[0] != '\0' || np > 0) {
			strbuf_puts(&sb, sw[0] != '\0' ? sw : what);
			strbuf_puts(&sb, sw[0] != '\0' ? " installed" : "");
			if (np > 0) {
				strbuf_printf(&sb, "%srunning (process%s ",
				    sw[0] != '\0' ? " and " : " ",
				    np > 1 ? "es" : "");
				for (i = 0; i < np; i++)
					strbuf_printf(&sb, "%s%s", i ? ", " :
					    "", procs[i]);
				strbuf_puts(&sb, ")");
			} else
				strbuf_puts(&sb, ", not seen running");
			first = 0;
		} else {
			/* A device: what it says it is, then what others
			   say of it. */
			if (ev_value(pad, "system.descr", 0, v, sizeof(v)))
				clause(&sb, &first, "the device describes "
				    "itself as \"%s\"", v);
			if (ev_value(pad, "vendor.devicetype", 0, v,
			    sizeof(v)))
				clause(&sb, &first, "its device type is %s",
				    v);
			if (ev_value(pad, "entity.mfg", 0, v, sizeof(v)))
				clause(&sb, &first, "its hardware inventory "
				    "names the maker %s", v);
			if (first && ev_value(pad, "system.objectid", 0, v,
			    sizeof(v)))
				clause(&sb, &first, "its SNMP identity "
				    "(sysObjectID %s) is registered to the "
				    "vendor", v);
			if (ev_value(pad, "neighbor.sysdesc", 0, v,
			    sizeof(v)))
				clause(&sb, &first, "it announces itself to "
				    "its neighbours as \"%s\"", v);
			if (ev_value(pad, "neighbor.oui_org", 0, v,
			    sizeof(v)))
				clause(&sb, &first, "its network card was "
				    "made by %s (by MAC address)", v);
		}
	}
	loc = strstr(ev, "located: ");
	if (loc != NULL) {
		size_t k = strcspn(loc + 9, ";\n");

		if (k > PLAIN_VALUE)
			k = PLAIN_VALUE;
		if (!first)
			strbuf_puts(&sb, "; ");
		strbuf_puts(&sb, "seen at ");
		strbuf_add(&sb, loc + 9, k);
		first = 0;
	}
	if (first) {
		strbuf_free(&sb);
		return 0;
	}
	if (sb.len == 0 || strbuf_str(&sb)[sb.len - 1] != '.')
		strbuf_puts(&sb, ".");
	str_copy(buf, strbuf_str(&sb), len);
	strbuf_free(&sb);
	if (islower((unsigned char)buf[0]))
		buf[0] = (char)toupper((unsigned char)buf[0]);
	return strlen(buf);
}
