/*
 * oui: IEEE CSV and Wireshark manuf files -> one sorted table of prefixes.
 *
 * Every prefix is a 48-bit value with its length in bits.  A load appends
 * rows and their names (to one string pool, so that a failed load is undone
 * by truncating both), then sorts the whole table by (length descending,
 * prefix, source descending, row order) and drops all but the first of each
 * (length, prefix): the newest source wins, and within a source the first
 * row.  A look-up binary-searches the span of each length present, longest
 * first.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "csvin.h"
#include "oui.h"
#include "util.h"

#define MAC_MASK	0xffffffffffffULL
#define MIN_BITS	24
#define MAX_BITS	48

/* What a source's rows were: IEEE registries, or manuf prefix lengths. */
enum kind {
	K_MAL, K_MAM, K_MAS, K_IAB, K_CID,
	K_24, K_28, K_36, K_OTHER, K_GROUP,
	K__COUNT
};

static const char *const kind_label[K__COUNT] = {
	"MA-L", "MA-M", "MA-S", "IAB", "CID (not used)",
	"/24", "/28", "/36", "other lengths", "group/local (not used)"
};

struct entry {
	uint64_t	 prefix;	/* 48-bit value, bits beyond len zero */
	uint32_t	 name;		/* offset into the pool */
	uint16_t	 src;		/* index into sources */
	uint8_t		 bits;
	uint8_t		 private;	/* the name is "Private" */
};

struct source {
	char		*label;
	int64_t		 date;		/* Unix time; 0: unknown */
	size_t		 n[K__COUNT];
	size_t		 overrides;	/* won over earlier sources */
};

struct span {
	uint8_t		 bits;
	size_t		 lo, hi;
};

struct oui_registry {
	struct entry	*v;
	size_t		 n, size;
	char		*pool;
	size_t		 pool_len, pool_size;
	struct source	*src;
	size_t		 nsrc;
	struct span	 spans[MAX_BITS - MIN_BITS + 1];
	size_t		 nspans;
	char		*desc;
};

/* One load in progress. */
struct load {
	struct oui_registry	*reg;
	struct source		 s;
	uint16_t		 id;
	int			 header_seen;
	int			 col[3]; /* registry, assignment, name */
};

static uint64_t
mask_of(int bits)
{
	return (MAC_MASK << (MAX_BITS - bits)) & MAC_MASK;
}

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

/* Appends one prefix and its name.  Returns 0 or -1 (message in err). */
static int
add_entry(struct load *ld, uint64_t prefix, int bits, char *name,
    char *err, size_t errlen)
{
	struct oui_registry *r = ld->reg;
	size_t len = strlen(name) + 1;
	struct entry *e;

	if (r->n == r->size) {
		size_t ns = r->size ? r->size * 2 : 65536;
		struct entry *nv = reallocarray(r->v, ns, sizeof(*nv));

		if (nv == NULL)
			return errf(err, errlen, "out of memory");
		r->v = nv;
		r->size = ns;
	}
	if (r->pool_len + len > UINT32_MAX)
		return errf(err, errlen, "more than 4 GiB of names");
	if (r->pool_len + len > r->pool_size) {
		size_t ns = r->pool_size ? r->pool_size * 2 : (size_t)1 << 20;
		char *np;

		while (ns < r->pool_len + len)
			ns *= 2;
		np = realloc(r->pool, ns);
		if (np == NULL)
			return errf(err, errlen, "out of memory");
		r->pool = np;
		r->pool_size = ns;
	}
	e = &r->v[r->n++];
	e->prefix = prefix & mask_of(bits);
	e->bits = (uint8_t)bits;
	e->src = ld->id;
	e->name = (uint32_t)r->pool_len;
	e->private = strcasecmp(name, "Private") == 0;
	memcpy(r->pool + r->pool_len, name, len);
	r->pool_len += len;
	return 0;
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
	return add_entry(ld, v << (MAX_BITS - 4 * nd), 4 * (int)nd,
	    f[ld->col[2]], err, errlen);
}

static int
load_csv(struct load *ld, const char *name, const char *buf, size_t len,
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
	return add_entry(ld, prefix, bits, name, err, errlen);
}

static int
load_manuf(struct load *ld, const char *name, char *buf, size_t len,
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

/* --- files and sources ----------------------------------------------- */

/* Reads a regular file whole, NUL-terminated.  Caller frees *out. */
static int
read_whole(const char *path, char **out, size_t *outlen, int64_t *mtime,
    char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, rc = -1;

	*out = NULL;
	*outlen = 0;
	*mtime = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		errf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > OUI_MAX_FILE) {
		errf(err, errlen, "%s: larger than %zu MiB", path,
		    OUI_MAX_FILE >> 20);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		errf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	while (len < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + len, (size_t)st.st_size - len);

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			errf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;	/* shrank under us: take what is there */
		len += (size_t)r;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	*mtime = (int64_t)st.st_mtime;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->bits != y->bits)
		return x->bits > y->bits ? -1 : 1;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	if (x->src != y->src)
		return x->src > y->src ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name;
}

/* Rebuilds r->desc; on ENOMEM it is NULL and oui_describe() says so. */
static void
describe(struct oui_registry *r)
{
	struct strbuf sb = STRBUF_INIT(65536);
	size_t i, k;

	free(r->desc);
	r->desc = NULL;
	for (i = 0; i < r->nsrc; i++) {
		const struct source *s = &r->src[i];
		char date[16];
		int first = 1;

		if (s->date != 0)
			fmt_date(s->date, date, sizeof(date));
		else
			str_copy(date, "(date unknown)", sizeof(date));
		strbuf_printf(&sb, "%s%s %s:", i ? "; " : "", s->label, date);
		for (k = 0; k < K__COUNT; k++) {
			if (s->n[k] == 0)
				continue;
			strbuf_printf(&sb, "%s %zu %s", first ? "" : ",",
			    s->n[k], kind_label[k]);
			first = 0;
		}
		if (s->overrides > 0)
			strbuf_printf(&sb, " (%zu overriding earlier "
			    "sources)", s->overrides);
	}
	if (!sb.oom)
		r->desc = str_dup(strbuf_str(&sb));
	strbuf_free(&sb);
}

/*
 * Makes the rows of a finished load part of the table: sorts, drops
 * overridden and duplicate prefixes, rebuilds the spans and records the
 * source.  Only the first steps can fail; after them the load is in.
 */
static int
commit(struct oui_registry *r, struct load *ld, char *err, size_t errlen)
{
	struct source *ns;
	size_t i, o, rows = 0;
	void *p;

	for (i = 0; i < K__COUNT; i++)
		rows += ld->s.n[i];
	if (rows == 0)
		return errf(err, errlen, "%s: no registry entries",
		    ld->s.label);
	ns = reallocarray(r->src, r->nsrc + 1, sizeof(*ns));
	if (ns == NULL)
		return errf(err, errlen, "out of memory");
	r->src = ns;
	qsort(r->v, r->n, sizeof(*r->v), cmp_entry);
	r->nspans = 0;
	for (i = 0, o = 0; i < r->n; i++) {
		struct entry *e = &r->v[i];

		if (o > 0 && r->v[o - 1].bits == e->bits &&
		    r->v[o - 1].prefix == e->prefix) {
			if (r->v[o - 1].src == ld->id && e->src != ld->id)
				ld->s.overrides++;
			continue;
		}
		if (r->nspans == 0 ||
		    r->spans[r->nspans - 1].bits != e->bits) {
			r->spans[r->nspans].bits = e->bits;
			r->spans[r->nspans].lo = o;
			r->nspans++;
		}
		r->v[o++] = *e;
		r->spans[r->nspans - 1].hi = o;
	}
	r->n = o;
	/* Give back what the doubling left over (47k rows: 3 -> 1.8 MB). */
	p = reallocarray(r->v, r->n ? r->n : 1, sizeof(*r->v));
	if (p != NULL) {
		r->v = p;
		r->size = r->n ? r->n : 1;
	}
	p = realloc(r->pool, r->pool_len ? r->pool_len : 1);
	if (p != NULL) {
		r->pool = p;
		r->pool_size = r->pool_len ? r->pool_len : 1;
	}
	r->src[r->nsrc++] = ld->s;
	ld->s.label = NULL;
	describe(r);
	return 0;
}

/* Undoes a load that did not reach commit(). */
static void
rollback(struct oui_registry *r, struct load *ld, size_t n0, size_t pool0)
{
	r->n = n0;
	r->pool_len = pool0;
	free(ld->s.label);
	ld->s.label = NULL;
}

static int
begin(struct oui_registry *r, struct load *ld, const char *label,
    char *err, size_t errlen)
{
	memset(ld, 0, sizeof(*ld));
	if (r->nsrc >= UINT16_MAX)
		return errf(err, errlen, "too many registry sources");
	ld->reg = r;
	ld->id = (uint16_t)r->nsrc;
	ld->s.label = str_dup(label);
	if (ld->s.label == NULL)
		return errf(err, errlen, "out of memory");
	return 0;
}

static int
load_dir(struct oui_registry *r, const char *dir, char *err, size_t errlen)
{
	static const char *const files[] = { "oui.csv", "mam.csv",
	    "oui36.csv", "iab.csv" };
	struct load ld;
	struct stat st;
	char path[PATH_MAX], *buf = NULL;
	size_t len, n0 = r->n, pool0 = r->pool_len, i;
	int64_t mtime = 0, first_mtime = 0;
	long t;

	if (stat(dir, &st) == -1)
		return errf(err, errlen, "%s: %s; install the Debian package "
		    "ieee-data or pass --oui FILE", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errf(err, errlen, "%s: not a directory", dir);
	if (strcmp(dir, OUI_DEFAULT_DIR) == 0)
		str_copy(path, "IEEE registry (ieee-data)", sizeof(path));
	else
		snprintf(path, sizeof(path), "IEEE registry (%s)", dir);
	if (begin(r, &ld, path, err, errlen) != 0)
		return -1;
	for (i = 0; i < NELEM(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (stat(path, &st) == -1) {
			errf(err, errlen, "%s: %s; reinstall the Debian "
			    "package ieee-data or pass --oui FILE", path,
			    strerror(errno));
			goto fail;
		}
		if (read_whole(path, &buf, &len, &mtime, err, errlen) != 0)
			goto fail;
		if (i == 0)
			first_mtime = mtime;
		if (load_csv(&ld, path, buf, len, err, errlen) != 0)
			goto fail;
		free(buf);
		buf = NULL;
	}
	/* ieee-data's update script writes the Unix time of the download. */
	ld.s.date = first_mtime;
	snprintf(path, sizeof(path), "%s/.lastupdate", dir);
	if (read_whole(path, &buf, &len, &mtime, NULL, 0) == 0 &&
	    parse_long(str_trim(buf), 1, INT32_MAX, &t) == 0)
		ld.s.date = t;
	free(buf);
	buf = NULL;
	if (commit(r, &ld, err, errlen) != 0)
		goto fail;
	return 0;
fail:
	free(buf);
	rollback(r, &ld, n0, pool0);
	return -1;
}

/*
 * Is the first line of p a manuf comment, or something shaped like a
 * prefix ("00:1B:C5", "00-50-C2-00-00-00/36") and a name?  A bad prefix
 * is then reported with its line number.
 */
static int
looks_like_manuf(const char *p)
{
	size_t n = strspn(p, "0123456789ABCDEFabcdef:-./");

	if (*p == '#')
		return 1;
	return n >= 4 && (p[n] == ' ' || p[n] == '\t') &&
	    strcspn(p, ":-.") < n && hex_digit(p[0]) >= 0;
}

/* --- public ------------------------------------------------------------ */

int
oui_open(struct oui_registry **out, char *err, size_t errlen)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return errf(err, errlen, "out of memory");
	return 0;
}

int
oui_load_ieee_dir(struct oui_registry *r, const char *dir, char *err,
    size_t errlen)
{
	return load_dir(r, dir != NULL ? dir : OUI_DEFAULT_DIR, err, errlen);
}

int
oui_load_file(struct oui_registry *r, const char *path, char *err,
    size_t errlen)
{
	struct load ld;
	struct stat st;
	char label[PATH_MAX + 32], *buf = NULL, *p;
	size_t len, n0 = r->n, pool0 = r->pool_len;
	int64_t mtime;
	int manuf, rc;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return load_dir(r, path, err, errlen);
	if (read_whole(path, &buf, &len, &mtime, err, errlen) != 0)
		return -1;
	/* Tell the formats apart by their first non-blank line. */
	p = buf;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	p += strspn(p, " \t\r\n");
	if (*p == '"')
		p++;
	if (strncasecmp(p, "Registry", 8) == 0 && (p[8] == ',' ||
	    p[8] == '"'))
		manuf = 0;
	else if (looks_like_manuf(p))
		manuf = 1;
	else {
		if (*p == '\0')
			errf(err, errlen, "%s: empty file", path);
		else
			errf(err, errlen, "%s: neither an IEEE registry CSV "
			    "(header \"Registry,Assignment,Organization "
			    "Name,...\") nor a Wireshark manuf file", path);
		free(buf);
		return -1;
	}
	snprintf(label, sizeof(label), "%s %s", manuf ? "Wireshark manuf" :
	    "IEEE CSV", path);
	if (begin(r, &ld, label, err, errlen) != 0) {
		free(buf);
		return -1;
	}
	if (manuf)
		rc = load_manuf(&ld, path, buf, len, err, errlen);
	else
		rc = load_csv(&ld, path, buf, len, err, errlen);
	if (rc == 0 && ld.s.date == 0)
		ld.s.date = mtime;
	if (rc == 0)
		rc = commit(r, &ld, err, errlen);
	if (rc != 0)
		rollback(r, &ld, n0, pool0);
	free(buf);
	return rc;
}

enum oui_result
oui_lookup(const struct oui_registry *r, const unsigned char mac[6],
    const char **org, int *bits)
{
	uint64_t v = 0;
	size_t i;
	int k;

	if (org != NULL)
		*org = NULL;
	if (bits != NULL)
		*bits = 0;
	if (mac[0] & 0x01)
		return OUI_MULTICAST;
	if (mac[0] & 0x02)
		return OUI_LOCAL;
	for (k = 0; k < 6; k++)
		v = v << 8 | mac[k];
	/* 00:00:00:00:00:00 is an incomplete ARP entry, not a Xerox box. */
	if (v == 0 || r == NULL)
		return OUI_UNKNOWN;
	for (i = 0; i < r->nspans; i++) {
		const struct span *sp = &r->spans[i];
		uint64_t key = v & mask_of(sp->bits);
		size_t lo = sp->lo, hi = sp->hi;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct entry *e = &r->v[mid];

			if (e->prefix == key) {
				if (org != NULL)
					*org = r->pool + e->name;
				if (bits != NULL)
					*bits = e->bits;
				return e->private ? OUI_PRIVATE : OUI_FOUND;
			}
			if (e->prefix < key)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return OUI_UNKNOWN;
}

const char *
oui_result_name(enum oui_result res)
{
	switch (res) {
	case OUI_FOUND:
		return "found";
	case OUI_UNKNOWN:
		return "unknown";
	case OUI_LOCAL:
		return "locally administered";
	case OUI_MULTICAST:
		return "multicast";
	case OUI_PRIVATE:
		return "private";
	}
	return "?";
}

const char *
oui_describe(const struct oui_registry *r)
{
	if (r->nsrc == 0)
		return "none";
	return r->desc != NULL ? r->desc : "(out of memory)";
}

size_t
oui_count(const struct oui_registry *r)
{
	return r->n;
}

void
oui_close(struct oui_registry *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsrc; i++)
		free(r->src[i].label);
	free(r->src);
	free(r->v);
	free(r->pool);
	free(r->desc);
	free(r);
}
