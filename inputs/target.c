/*
 * target: targets.csv -> one struct target per address.  Rows come from
 * csvin; CIDR ranges are expanded in place; a hash set of (family, port,
 * canonical address) finds duplicates in linear time.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "cred.h"
#include "csvin.h"
#include "idxset.h"
#include "juris.h"
#include "target.h"
#include "util.h"

enum col {
	COL_ADDRESS,
	COL_SECTOR,
	COL_SITE,
	COL_OWNER,
	COL_CRITICALITY,
	COL_SNMP_PROFILE,
	COL_AGENT_URL,
	COL_AGENT_PROFILE,
	COL_JURISDICTION,
	COL__COUNT
};

static const char *const col_names[COL__COUNT] = {
	"address", "sector", "site", "owner", "criticality", "snmp_profile",
	"agent_url", "agent_profile", "jurisdiction"
};

#define CRITICALITY_DEFAULT	3

/*
 * The strings of a list live in large chunks freed together: a million
 * targets must not cost millions of malloc() calls.
 */
#define POOL_CHUNK	65536

struct pool_chunk {
	struct pool_chunk	*next;
	size_t			 used;
	size_t			 size;
	char			 data[];
};

struct target_pool {
	struct pool_chunk	*head;
};

struct loader {
	struct target_list	*tl;
	size_t			 cap;
	int			 idx[COL__COUNT];
	size_t			 ncols;
	int			 have_header;
	struct idxset		 seen;		/* the targets so far */
	/* The distinct sector names so far, in the pool: rows share them. */
	char			*sectors[16];
	size_t			 nsectors;
	/*
	 * The last snmp_profile field parsed and its names: the rows that
	 * repeat it (most do) share them, as a range's targets do.
	 */
	char			 prof_text[256];
	int			 have_prof;
	char			**prof;
	unsigned		 nprof;
};

static char *
pool_strdup(struct target_pool *pool, const char *s)
{
	struct pool_chunk *c = pool->head;
	size_t n = strlen(s) + 1;
	char *p;

	if (c == NULL || c->size - c->used < n) {
		size_t size = n > POOL_CHUNK / 4 ? n : POOL_CHUNK;

		c = malloc(sizeof(*c) + size);
		if (c == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		if (size == n && pool->head != NULL) {
			/* A large string: keep filling the current chunk. */
			c->next = pool->head->next;
			pool->head->next = c;
		} else {
			c->next = pool->head;
			pool->head = c;
		}
	}
	p = c->data + c->used;
	memcpy(p, s, n);
	c->used += n;
	return p;
}

/* n bytes from the pool, aligned for pointers; NULL on ENOMEM. */
static void *
pool_alloc(struct target_pool *pool, size_t n)
{
	struct pool_chunk *c = pool->head;
	size_t at;
	void *p;

	at = c != NULL ? (c->used + sizeof(void *) - 1) &
	    ~(sizeof(void *) - 1) : 0;
	if (c == NULL || at > c->size || c->size - at < n) {
		if (n > POOL_CHUNK / 4)
			return NULL;	/* never asked: a few pointers */
		c = malloc(sizeof(*c) + POOL_CHUNK);
		if (c == NULL)
			return NULL;
		c->size = POOL_CHUNK;
		c->used = 0;
		c->next = pool->head;
		pool->head = c;
		at = 0;
	}
	p = c->data + at;
	c->used = at + n;
	return p;
}

static void
pool_free(struct target_pool *pool)
{
	struct pool_chunk *c, *next;

	if (pool == NULL)
		return;
	for (c = pool->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(pool);
}

int
target_sector_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > TARGET_MAX_SECTOR)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/*
 * The targets seen, an idxset of tl->v.  Addresses are canonical, so
 * equal strings mean equal addresses.
 */
static uint32_t
target_hash(int family, unsigned port, const char *addr)
{
	uint64_t h = idxset_fnv(IDXSET_FNV_INIT, addr, strlen(addr));

	h ^= (uint64_t)port << 8 | (uint64_t)(family & 0xff);
	h *= 1099511628211ULL;
	return idxset_fold(h);
}

struct seen_key {
	const struct target	*v;
	const struct target	*t;
};

static int
same_target(const void *arg, size_t i)
{
	const struct seen_key *k = arg;
	const struct target *o = &k->v[i];

	return o->family == k->t->family && o->port == k->t->port &&
	    strcmp(o->h.address, k->t->h.address) == 0;
}

/*
 * Looks v[idx] up; inserts it if new and returns -1, else returns the
 * index of the earlier equal target.  -2 on ENOMEM.
 */
static long
seen_insert(struct idxset *s, const struct target *v, size_t idx)
{
	struct seen_key k = { v, &v[idx] };
	uint32_t h = target_hash(k.t->family, k.t->port, k.t->h.address);
	long dup = idxset_find(s, h, same_target, &k);

	if (dup >= 0)
		return dup;
	return idxset_add(s, h, idx) == 0 ? -1 : -2;
}

/*
 * Without snprintf(): called for every target, by the scan's sink and the
 * reports, it cost 1,000 instructions a call.  The text and its truncation
 * are snprintf()'s ("[%s]:%u" for IPv6, "%s:%u" else).
 */
void
target_hostport(const struct target *t, char *buf, size_t len)
{
	size_t at = 0;
	int v6 = t->family == AF_INET6;

	if (t->port == 0) {
		str_copy(buf, t->h.address, len);
		return;
	}
	if (len > 0)
		buf[0] = '\0';
	if (v6)
		str_put(buf, len, &at, "[", 1);
	str_put(buf, len, &at, t->h.address, strlen(t->h.address));
	str_put(buf, len, &at, v6 ? "]:" : ":", v6 ? 2 : 1);
	str_put_uint(buf, len, &at, t->port);
}

/* Appends a copy of proto with the given address; checks duplicates. */
static int
add_target(struct loader *ld, const struct target *proto, const char *addr,
    char *err, size_t errlen)
{
	struct target_list *tl = ld->tl;
	struct target *t;
	char hp[TARGET_HOSTPORT_MAX];
	long dup;

	if (tl->n == ld->cap) {
		size_t ncap = ld->cap ? ld->cap * 2 : 1024;
		struct target *nv;

		nv = reallocarray(tl->v, ncap, sizeof(*nv));
		if (nv == NULL)
			return errf(err, errlen, "out of memory");
		tl->v = nv;
		ld->cap = ncap;
	}
	t = &tl->v[tl->n];
	*t = *proto;
	t->h.address = pool_strdup(tl->pool, addr);
	if (t->h.address == NULL)
		return errf(err, errlen, "out of memory");
	dup = seen_insert(&ld->seen, tl->v, tl->n);
	if (dup == -2)
		return errf(err, errlen, "out of memory");
	if (dup >= 0) {
		target_hostport(t, hp, sizeof(hp));
		return errf(err, errlen, "duplicate address %s (also on line "
		    "%u)", hp, tl->v[dup].line);
	}
	tl->n++;
	return 0;
}

/* The address field as a message quotes it: made only for a message. */
#define QUOTED	str_quote(field, q, sizeof(q))

/*
 * Expands one address field into targets.  count is checked against the
 * limits before anything is added.
 */
static int
expand(struct loader *ld, struct target *proto, const char *field,
    char *err, size_t errlen)
{
	char host[ADDR_HOST_MAX], q[STR_QUOTE_MAX + 8], msg[ERRLEN];
	char text[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];
	struct addr_range r;
	int prefix, family;
	uint64_t i;

	if (addr_parse(field, host, sizeof(host), &proto->port, &prefix,
	    &family, msg, sizeof(msg)) != 0)
		return errf(err, errlen, "address: %s", msg);
	proto->family = family;
	if (prefix < 0) {
		if (ld->tl->n + 1 > TARGET_MAX_TOTAL)
			return errf(err, errlen, "address: '%s' brings the "
			    "file to more than %d targets, the limit", QUOTED,
			    TARGET_MAX_TOTAL);
		return add_target(ld, proto, host, err, errlen);
	}

	if (inet_pton(family, host, bin) != 1)
		return errf(err, errlen, "address: '%s': internal error",
		    QUOTED);
	if (addr_range_init(&r, family, bin, prefix, msg, sizeof(msg)) != 0)
		return errf(err, errlen, "address: '%s' %s", QUOTED, msg);
	if (r.hostbits > 32)
		return errf(err, errlen, "address: '%s' expands to 2^%d "
		    "addresses; the limit is %d per row", QUOTED,
		    r.hostbits, TARGET_MAX_PER_ROW);
	if (r.count > TARGET_MAX_PER_ROW)
		return errf(err, errlen, "address: '%s' expands to %llu "
		    "addresses; the limit is %d per row", QUOTED,
		    (unsigned long long)r.count, TARGET_MAX_PER_ROW);
	if (ld->tl->n + r.count > TARGET_MAX_TOTAL)
		return errf(err, errlen, "address: '%s' brings the file to "
		    "more than %d targets, the limit", QUOTED,
		    TARGET_MAX_TOTAL);
	if (r.count > 1 && proto->agent_url != NULL)
		return errf(err, errlen, "agent_url: cannot be used on a row "
		    "that expands to %llu addresses",
		    (unsigned long long)r.count);
	for (i = 0; i < r.count; i++) {
		addr_range_get(&r, i, text, sizeof(text));
		if (add_target(ld, proto, text, err, errlen) != 0)
			return -1;
	}
	return 0;
}

#undef QUOTED

/*
 * Splits "a; b;c" into pooled, checked profile names, and pools the array
 * of them too: the row's targets share it.
 */
static int
parse_profiles(struct target_pool *pool, char *s, struct target *t,
    char *err, size_t errlen)
{
	char q[STR_QUOTE_MAX + 8];
	char *p = s, *names[TARGET_MAX_PROFILES];
	size_t k, n = 0;

	t->snmp_profiles = NULL;
	t->nsnmp_profiles = 0;
	if (*s == '\0')
		return 0;
	for (;;) {
		char *semi = strchr(p, ';');
		char *name;

		if (semi != NULL)
			*semi = '\0';
		name = str_trim(p);
		if (*name == '\0')
			return errf(err, errlen, "snmp_profile: empty name in "
			    "the list");
		if (!cred_name_ok(name))
			return errf(err, errlen, "snmp_profile: '%s' is not a "
			    "valid profile name",
			    str_quote(name, q, sizeof(q)));
		for (k = 0; k < n; k++)
			if (strcasecmp(names[k], name) == 0)
				return errf(err, errlen, "snmp_profile: '%s' "
				    "is listed twice", name);
		if (n == TARGET_MAX_PROFILES)
			return errf(err, errlen, "snmp_profile: more than %d "
			    "profiles", TARGET_MAX_PROFILES);
		names[n] = pool_strdup(pool, name);
		if (names[n] == NULL)
			return errf(err, errlen, "out of memory");
		n++;
		if (semi == NULL)
			break;
		p = semi + 1;
	}
	t->snmp_profiles = pool_alloc(pool, n * sizeof(*names));
	if (t->snmp_profiles == NULL)
		return errf(err, errlen, "out of memory");
	memcpy(t->snmp_profiles, names, n * sizeof(*names));
	t->nsnmp_profiles = (unsigned)n;
	return 0;
}

/* An optional free-text field: NULL when empty. */
static int
pool_field(struct target_pool *pool, const char *s, const char **out, char *err,
    size_t errlen)
{
	char *v;

	*out = NULL;
	if (*s == '\0')
		return 0;
	v = pool_strdup(pool, s);
	if (v == NULL)
		return errf(err, errlen, "out of memory");
	*out = v;
	return 0;
}

static int
on_header(struct loader *ld, char **f, size_t nf, char *err, size_t errlen)
{
	char msg[ERRLEN];

	if (csvin_header(f, nf, col_names, COL__COUNT, ld->idx, 0, msg,
	    sizeof(msg)) != 0)
		return errf(err, errlen, "%s (the first row must name the "
		    "columns: address, sector, ...)", msg);
	if (ld->idx[COL_ADDRESS] < 0)
		return errf(err, errlen, "missing required column 'address'");
	if (ld->idx[COL_SECTOR] < 0)
		return errf(err, errlen, "missing required column 'sector'");
	ld->ncols = nf;
	ld->have_header = 1;
	return 0;
}

static int
on_row(void *arg, unsigned line, char **f, size_t nf, char *err,
    size_t errlen)
{
	struct loader *ld = arg;
	struct target_pool *pool = ld->tl->pool;
	struct target t;
	char *v[COL__COUNT], q[STR_QUOTE_MAX + 8], msg[ERRLEN];
	char juris[JURIS_LEN];
	size_t i, k;
	long crit;

	for (i = 0; i < nf; i++)
		str_trim(f[i]);
	if (!ld->have_header)
		return on_header(ld, f, nf, err, errlen);
	for (i = 0; i < nf && f[i][0] == '\0'; i++)
		continue;
	if (i == nf)
		return 0;	/* ",,,,": a blank row */
	if (nf != ld->ncols)
		return errf(err, errlen, "row has %zu field%s; the header has "
		    "%zu", nf, nf == 1 ? "" : "s", ld->ncols);
	for (i = 0; i < COL__COUNT; i++)
		v[i] = ld->idx[i] >= 0 ? f[ld->idx[i]] : "";

	memset(&t, 0, sizeof(t));
	t.line = line;
	if (v[COL_ADDRESS][0] == '\0')
		return errf(err, errlen, "address: empty");
	if (v[COL_SECTOR][0] == '\0')
		return errf(err, errlen, "sector: empty");
	/* A name equal to a checked one but for case is a name too. */
	for (k = 0; k < ld->nsectors; k++)
		if (str_ieq(ld->sectors[k], v[COL_SECTOR]))
			break;
	if (k < ld->nsectors)
		t.h.sector = ld->sectors[k];
	else if (!target_sector_ok(v[COL_SECTOR]))
		return errf(err, errlen, "sector: '%s' is not a sector name "
		    "(letters, digits, '_' and '-')",
		    str_quote(v[COL_SECTOR], q, sizeof(q)));
	else {
		char *lc = pool_strdup(pool, v[COL_SECTOR]);

		if (lc == NULL)
			return errf(err, errlen, "out of memory");
		for (k = 0; lc[k] != '\0'; k++)
			lc[k] = (char)tolower((unsigned char)lc[k]);
		if (ld->nsectors < NELEM(ld->sectors))
			ld->sectors[ld->nsectors++] = lc;
		t.h.sector = lc;
	}
	t.h.criticality = CRITICALITY_DEFAULT;
	if (v[COL_CRITICALITY][0] != '\0') {
		if (parse_digits(v[COL_CRITICALITY], 1, 5, &crit) != 0)
			return errf(err, errlen, "criticality: '%s' is not in "
			    "1..5", str_quote(v[COL_CRITICALITY], q,
			    sizeof(q)));
		t.h.criticality = (int)crit;
	}
	if (v[COL_JURISDICTION][0] != '\0' &&
	    juris_parse(v[COL_JURISDICTION], juris, sizeof(juris)) != 0)
		return errf(err, errlen, "jurisdiction: '%s' is not US or US- "
		    "and a state's two-letter code (US-TX)",
		    str_quote(v[COL_JURISDICTION], q, sizeof(q)));
	if (ld->have_prof && strcmp(ld->prof_text, v[COL_SNMP_PROFILE]) == 0) {
		t.snmp_profiles = ld->prof;
		t.nsnmp_profiles = ld->nprof;
	} else {
		/* A copy: parse_profiles() cuts the field at each ';'. */
		size_t n = str_copy(ld->prof_text, v[COL_SNMP_PROFILE],
		    sizeof(ld->prof_text));

		ld->have_prof = 0;
		if (parse_profiles(pool, v[COL_SNMP_PROFILE], &t, err,
		    errlen) != 0)
			return -1;
		ld->have_prof = n < sizeof(ld->prof_text);
		ld->prof = t.snmp_profiles;
		ld->nprof = t.nsnmp_profiles;
	}
	if (v[COL_AGENT_URL][0] != '\0') {
		if (addr_check_url(v[COL_AGENT_URL], msg, sizeof(msg)) != 0)
			return errf(err, errlen, "agent_url: %s", msg);
		if (v[COL_AGENT_PROFILE][0] == '\0')
			return errf(err, errlen, "agent_profile: needed with "
			    "agent_url");
	} else if (v[COL_AGENT_PROFILE][0] != '\0')
		return errf(err, errlen, "agent_profile: given without "
		    "agent_url");
	if (v[COL_AGENT_PROFILE][0] != '\0' &&
	    !cred_name_ok(v[COL_AGENT_PROFILE]))
		return errf(err, errlen, "agent_profile: '%s' is not a valid "
		    "profile name", str_quote(v[COL_AGENT_PROFILE], q,
		    sizeof(q)));
	if (pool_field(pool, v[COL_SITE], &t.h.site, err, errlen) != 0 ||
	    pool_field(pool, v[COL_OWNER], &t.h.owner, err, errlen) != 0 ||
	    pool_field(pool, v[COL_JURISDICTION][0] != '\0' ? juris : "",
	    &t.h.jurisdiction, err, errlen) != 0 ||
	    pool_field(pool, v[COL_AGENT_URL], &t.agent_url, err,
	    errlen) != 0 ||
	    pool_field(pool, v[COL_AGENT_PROFILE], &t.agent_profile, err,
	    errlen) != 0)
		return -1;
	return expand(ld, &t, v[COL_ADDRESS], err, errlen);
}

int
target_list_load(const char *path, struct target_list *out, char *err,
    size_t errlen)
{
	struct loader ld;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&ld, 0, sizeof(ld));
	out->path = path;
	out->pool = calloc(1, sizeof(*out->pool));
	if (out->pool == NULL) {
		errf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	ld.tl = out;
	if (csvin_read(path, on_row, &ld, err, errlen) != 0)
		goto out;
	if (out->n == 0) {
		errf(err, errlen, "%s: no targets", path);
		goto out;
	}
	rc = 0;
out:
	idxset_free(&ld.seen);
	if (rc != 0)
		target_list_free(out);
	return rc;
}

void
target_list_free(struct target_list *tl)
{
	if (tl == NULL)
		return;
	free(tl->v);
	pool_free(tl->pool);
	memset(tl, 0, sizeof(*tl));
}

static int
check_one(const struct target_list *tl, const struct target *t,
    const struct cred_set *creds, const char *col, const char *name,
    enum cred_type want, char *err, size_t errlen)
{
	const struct cred_profile *p;
	const char *cpath = creds != NULL && creds->path != NULL ?
	    creds->path : "the credentials";

	if (creds == NULL)
		return errf(err, errlen, "%s:%u: %s '%s': no credentials file "
		    "was given", tl->path, t->line, col, name);
	p = cred_find(creds, name);
	if (p == NULL)
		return errf(err, errlen, "%s:%u: %s '%s': no such profile in "
		    "%s", tl->path, t->line, col, name, cpath);
	if (p->type != want)
		return errf(err, errlen, "%s:%u: %s '%s' is an %s profile in "
		    "%s (line %u)", tl->path, t->line, col, name,
		    p->type == CRED_AGENT ? "agent" : p->type == CRED_SERVER ?
		    "inventory server" : "SNMP", cpath, p->line);
	return 0;
}

int
target_check_sectors(const struct target_list *tl, const char *const *names,
    size_t n, char *err, size_t errlen)
{
	char all[256], q[STR_QUOTE_MAX + 8];
	size_t i;

	for (i = 0; i < tl->n; i++) {
		const struct target *t = &tl->v[i];

		/* The targets of one row share their sector. */
		if (i > 0 && tl->v[i - 1].line == t->line)
			continue;
		if (str_list_find(names, n, t->h.sector) >= 0)
			continue;
		str_list_join(names, n, all, sizeof(all));
		return errf(err, errlen, "%s:%u: sector: '%s' is not one of %s",
		    tl->path, t->line, str_quote(t->h.sector, q, sizeof(q)),
		    all);
	}
	return 0;
}

int
target_check_profiles(const struct target_list *tl,
    const struct cred_set *creds, char *err, size_t errlen)
{
	size_t i, k;

	for (i = 0; i < tl->n; i++) {
		const struct target *t = &tl->v[i];

		/* The targets of one row share their profile names. */
		if (i > 0 && tl->v[i - 1].line == t->line)
			continue;
		for (k = 0; k < t->nsnmp_profiles; k++)
			if (check_one(tl, t, creds, "snmp_profile",
			    t->snmp_profiles[k], CRED_SNMP, err, errlen) != 0)
				return -1;
		if (t->agent_url != NULL && t->agent_profile == NULL)
			return errf(err, errlen, "%s:%u: agent_profile: needed "
			    "with agent_url", tl->path, t->line);
		if (t->agent_profile != NULL && check_one(tl, t, creds,
		    "agent_profile", t->agent_profile, CRED_AGENT, err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}
