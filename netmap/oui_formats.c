/*
 * oui_formats: the registry files, row by row, into a load (oui_int.h):
 * the IEEE CSVs (through csvin) and Wireshark's manuf.  Names are cleaned
 * here (HTML entities the IEEE left in, control characters); which row
 * wins is the registry's business (oui.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvin.h"
#include "oui.h"
#include "oui_int.h"
#include "util.h"

/* Replaces control characters with spaces and trims; returns s. */
static char *
clean_name(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return str_trim(s);
}

/*
 * Undoes the HTML entities the IEEE leaves in some names ("R&amp;M AG",
 * "ZAO &quot;RADIUS Avtomatika&quot;"), in place.  Unknown entities are
 * kept as they are.
 */
static void
html_unescape(char *s)
{
	static const struct {
		const char	*name;
		char		 c;
	} named[] = {
		{ "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' },
		{ "lt;", '<' }, { "gt;", '>' },
	};
	char *i = s, *o = s;
	size_t k;

	while (*i != '\0') {
		if (*i != '&') {
			*o++ = *i++;
			continue;
		}
		for (k = 0; k < NELEM(named); k++)
			if (strncmp(i + 1, named[k].name,
			    strlen(named[k].name)) == 0)
				break;
		if (k < NELEM(named)) {
			*o++ = named[k].c;
			i += 1 + strlen(named[k].name);
			continue;
		}
		if (i[1] == '#') {
			int hex = i[2] == 'x' || i[2] == 'X', c = 0;
			char *d = i + 2 + hex;
			size_t nd = 0;

			/* Printable ASCII only ("&#39;"); the rest is kept. */
			while (nd < 3 && (hex ? isxdigit((unsigned char)d[nd]) :
			    isdigit((unsigned char)d[nd])))
				c = c * (hex ? 16 : 10) + hex_digit(d[nd++]);
			if (nd > 0 && d[nd] == ';' && c >= 0x20 && c < 0x7f) {
				*o++ = (char)c;
				i = d + nd + 1;
				continue;
			}
		}
		*o++ = *i++;
	}
	*o = '\0';
}

/* --- IEEE CSV ---------------------------------------------------------- */

static const struct {
	const char	*name;
	enum kind	 kind;
	int		 digits;
} registries[] = {
	{ "MA-L", K_MAL, 6 },
	{ "MA-M", K_MAM, 7 },
	{ "MA-S", K_MAS, 9 },
	{ "IAB", K_IAB, 9 },
	{ "CID", K_CID, 6 },	/* Company IDs: locally administered */
};

static int
csv_row(void *arg, unsigned line, char **f, size_t nf, char *err,
    size_t errlen)
{
	static const char *const known[] = { "Registry", "Assignment",
	    "Organization Name", "Organization Address" };
	struct load *ld = arg;
	const char *reg, *asg;
	uint64_t v = 0;
	size_t k, i, nd;
	int idx[NELEM(known)];

	(void)line;
	if (!ld->header_seen) {
		if (csvin_header(f, nf, known, NELEM(known), idx, 1, err,
		    errlen) != 0)
			return -1;
		for (k = 0; k < 3; k++) {
			if (idx[k] == -1)
				return errf(err, errlen, "not an IEEE "
				    "registry CSV: no '%s' column", known[k]);
			ld->col[k] = idx[k];
		}
		ld->header_seen = 1;
		return 0;
	}
	for (k = 0; k < 3; k++)
		if ((size_t)ld->col[k] >= nf)
			return errf(err, errlen, "missing columns: %zu "
			    "field%s, '%s' is column %d", nf, nf == 1 ? "" :
			    "s", known[k], ld->col[k] + 1);
	reg = str_trim(f[ld->col[0]]);
	asg = str_trim(f[ld->col[1]]);
	for (k = 0; k < NELEM(registries); k++)
		if (strcasecmp(reg, registries[k].name) == 0)
			break;
	if (k == NELEM(registries))
		return errf(err, errlen, "unknown registry '%.40s' (expected "
		    "MA-L, MA-M, MA-S, IAB or CID)", reg);
	nd = strlen(asg);
	for (i = 0; i < nd; i++) {
		if (hex_digit(asg[i]) < 0)
			return errf(err, errlen, "bad assignment '%.40s': not "
			    "hexadecimal", asg);
		if (i < 12)
			v = v << 4 | (uint64_t)hex_digit(asg[i]);
	}
	if ((int)nd != registries[k].digits)
		return errf(err, errlen, "%s assignment '%.40s' has %zu hex "
		    "digit%s, expected %d", registries[k].name, asg, nd,
		    nd == 1 ? "" : "s", registries[k].digits);
	html_unescape(f[ld->col[2]]);
	if (*clean_name(f[ld->col[2]]) == '\0')
		return errf(err, errlen, "empty Organization Name");
	ld->s.n[registries[k].kind]++;
	if (registries[k].kind == K_CID)
		return 0;
	return ld->add(ld, v << (MAX_BITS - 4 * nd), 4 * (int)nd,
	    f[ld->col[2]], err, errlen);
}

int
oui_load_csv(struct load *ld, const char *name, const char *buf, size_t len,
    char *err, size_t errlen)
{
	ld->header_seen = 0;
	if (csvin_read_mem(name, buf, len, csv_row, ld, err, errlen) != 0)
		return -1;
	if (!ld->header_seen)
		return errf(err, errlen, "%s: empty file", name);
	return 0;
}

/* --- Wireshark manuf --------------------------------------------------- */

/*
 * Parses "00:1B:C5", "00-50-C2-00-00-00/36", "70.B3.D5.F2.F0.00/36" (one or
 * two hex digits an octet, one separator throughout, up to six octets, an
 * optional /N).  Returns 0 or -1.
 */
static int
parse_prefix(const char *s, size_t n, uint64_t *prefix, int *bits)
{
	uint64_t v = 0;
	size_t i = 0;
	int octets = 0, nbits = -1, sep = 0, hi, lo;

	while (i < n && s[i] != '/') {
		if (octets == 6)
			return -1;
		if (octets > 0) {
			if (sep == 0 && s[i] != '\0' &&
			    strchr(":-.", s[i]) != NULL)
				sep = s[i];
			if (sep == 0 || s[i] != sep)
				return -1;
			i++;
		}
		hi = i < n ? hex_digit(s[i]) : -1;
		if (hi < 0)
			return -1;
		i++;
		lo = i < n ? hex_digit(s[i]) : -1;
		if (lo >= 0) {
			hi = hi << 4 | lo;
			i++;
		}
		v = v << 8 | (uint64_t)hi;
		octets++;
	}
	if (octets == 0)
		return -1;
	if (i < n) {
		char num[4];
		size_t nn = n - i - 1;
		long l;

		if (nn == 0 || nn >= sizeof(num))
			return -1;
		memcpy(num, s + i + 1, nn);
		num[nn] = '\0';
		if (!isdigit((unsigned char)num[0]) ||
		    parse_long(num, 1, MAX_BITS, &l) != 0)
			return -1;
		nbits = (int)l;
	}
	*prefix = v << (8 * (6 - octets));
	*bits = nbits == -1 ? 8 * octets : nbits;
	return 0;
}

/* "# ...Last-Modified: Sun, 25 Aug 2024 07:07:48 GMT" -> Unix time. */
static int
parse_last_modified(const char *p, int64_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char ymd[40], mon[4];
	const char *m;
	int day, year;

	p = strstr(p, "Last-Modified:");
	if (p == NULL)
		return -1;
	p += strlen("Last-Modified:");
	while (*p == ' ' || *p == '\t')
		p++;
	if (isalpha((unsigned char)p[0]) && p[3] == ',')
		p += 4;
	if (sscanf(p, "%2d %3s %4d", &day, mon, &year) != 3 ||
	    strlen(mon) != 3)
		return -1;
	m = strstr(months, mon);
	if (m == NULL || (m - months) % 3 != 0 || day < 1 || day > 31 ||
	    year < 1970 || year > 9999)
		return -1;
	snprintf(ymd, sizeof(ymd), "%04d-%02d-%02d", year,
	    (int)(m - months) / 3 + 1, day);
	return parse_date(ymd, out);
}

/* One manuf line (no newline, NUL-terminated). */
static int
manuf_line(struct load *ld, char *line, char *err, size_t errlen)
{
	char *p = line, *tok, *name, *tab;
	uint64_t prefix;
	int bits, tl;
	int64_t t;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return 0;
	if (*p == '#') {
		if (parse_last_modified(p, &t) == 0 && t > ld->s.date)
			ld->s.date = t;
		return 0;
	}
	tok = p;
	p += strcspn(p, " \t");
	tl = p - tok > 40 ? 40 : (int)(p - tok);	/* shown in messages */
	if (parse_prefix(tok, (size_t)(p - tok), &prefix, &bits) != 0)
		return errf(err, errlen, "bad manuf prefix '%.*s'", tl, tok);
	while (*p == ' ' || *p == '\t')
		p++;
	/* PREFIX<TAB>Short[<TAB>Long]; old files wrote "# Long". */
	name = p;
	tab = strchr(p, '\t');
	if (tab != NULL) {
		char *lng = tab + 1;

		while (*lng == ' ' || *lng == '\t' || *lng == '#')
			lng++;
		if (*clean_name(lng) != '\0')
			name = lng;
		else
			*tab = '\0';
	}
	if (*clean_name(name) == '\0')
		return errf(err, errlen, "missing organisation name after "
		    "'%.*s'", tl, tok);
	if ((prefix >> 40) & 0x03) {
		/* Group or local: never looked up ("33:33/16 IPv6mcast"). */
		ld->s.n[K_GROUP]++;
		return 0;
	}
	if (bits < MIN_BITS)
		return errf(err, errlen, "bad manuf prefix '%.*s': shorter "
		    "than %d bits", tl, tok, MIN_BITS);
	ld->s.n[bits == 24 ? K_24 : bits == 28 ? K_28 : bits == 36 ? K_36 :
	    K_OTHER]++;
	return ld->add(ld, prefix, bits, name, err, errlen);
}

int
oui_load_manuf(struct load *ld, const char *name, char *buf, size_t len,
    char *err, size_t errlen)
{
	char msg[ERRLEN];
	char *line = buf, *end = buf + len, *nul;
	unsigned lineno = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	nul = memchr(buf, '\0', len);
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));

		lineno++;
		if (nl == NULL)
			nl = end;	/* read_whole put a NUL there */
		if (nul != NULL && nul < nl)
			return errf(err, errlen, "%s:%u: NUL byte in text",
			    name, lineno);
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		msg[0] = '\0';
		if (manuf_line(ld, line, msg, sizeof(msg)) != 0)
			return errf(err, errlen, "%s:%u: %s", name, lineno,
			    msg);
		line = nl + 1;
	}
	return 0;
}

/*
 * Is the first line of p a manuf comment, or something shaped like a
 * prefix ("00:1B:C5", "00-50-C2-00-00-00/36") and a name?  A bad prefix
 * is then reported with its line number.
 */
int
oui_looks_like_manuf(const char *p)
{
	size_t n = strspn(p, "0123456789ABCDEFabcdef:-./");

	if (*p == '#')
		return 1;
	return n >= 4 && (p[n] == ' ' || p[n] == '\t') &&
	    strcspn(p, ":-.") < n && hex_digit(p[0]) >= 0;
}
