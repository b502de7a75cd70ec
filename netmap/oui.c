/*
 * oui: IEEE CSV and Wireshark manuf files -> one sorted table of prefixes.
 *
 * Every prefix is a 48-bit value with its length in bits.  A load appends
 * rows and their names (to one string pool, so that a failed load is undone
 * by truncating both), then sorts the whole table by (length descending,
 * prefix, source descending, row order) and drops all but the first of each
 * (length, prefix): the newest source wins, and within a source the first
 * row.  A look-up binary-searches the span of each length present, longest
 * first.  The file formats are read in oui_formats.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "oui.h"
#include "oui_int.h"
#include "util.h"

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

static uint64_t
mask_of(int bits)
{
	return (MAC_MASK << (MAX_BITS - bits)) & MAC_MASK;
}

/* Appends one prefix and its name: struct load's add(). */
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
	/* O_NONBLOCK: a FIFO is refused below, not waited on. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
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
	if (r->n > 1)	/* qsort(NULL, 0, ...) is undefined */
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
	ld->add = add_entry;
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
	char path[PATH_MAX], lerr[ERRLEN], *buf = NULL;
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
		if (oui_load_csv(&ld, path, buf, len, err, errlen) != 0)
			goto fail;
		free(buf);
		buf = NULL;
	}
	/* ieee-data's update script writes the Unix time of the download. */
	ld.s.date = first_mtime;
	snprintf(path, sizeof(path), "%s/.lastupdate", dir);
	/* Optional: missing or unreadable, the files' date stands; but a
	   failed allocation is not passed over in silence. */
	if (read_whole(path, &buf, &len, &mtime, lerr, sizeof(lerr)) == 0) {
		if (parse_long(str_trim(buf), 1, INT32_MAX, &t) == 0)
			ld.s.date = t;
	} else if (strstr(lerr, "out of memory") != NULL) {
		errf(err, errlen, "%s", lerr);
		goto fail;
	}
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
	else if (oui_looks_like_manuf(p))
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
		rc = oui_load_manuf(&ld, path, buf, len, err, errlen);
	else
		rc = oui_load_csv(&ld, path, buf, len, err, errlen);
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
