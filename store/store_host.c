/*
 * store_host: host identity.  A host is found through its keys (uuid:,
 * serial:, mac:, addr:), strongest first, or created with the strongest
 * one as its identity; store.h says the rules.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "idxset.h"
#include "store.h"
#include "store_int.h"
#include "util.h"

/* Longest identity hint kept as a key; longer ones are not identities. */
#define KEY_VALUE_MAX	256

/* Key types, strongest first: the order store_host() looks them up in. */
enum key_type { KEY_UUID, KEY_SERIAL, KEY_MAC, KEY_ADDR, KEY__COUNT };

static const char *const key_prefix[KEY__COUNT] = {
	"uuid:", "serial:", "mac:", "addr:",
};

struct host_key {
	int	 present;
	char	 key[KEY_VALUE_MAX + 16];
};
_Static_assert(KEY_VALUE_MAX + 16 >= sizeof("addr:") + KEY_VALUE_MAX,
    "a key holds its longest value and prefix");

/* Values firmware ships in place of a real serial or UUID. */
static const char *const placeholder_serials[] = {
	"0", "none", "null", "n/a", "na", "unknown", "invalid",
	"default string", "to be filled by o.e.m.", "system serial number",
	"chassis serial number", "serial number", "not specified",
	"not available", "not applicable", "0123456789", "123456789",
	"1234567890",
};
static const char *const placeholder_uuids[] = {
	"00000000-0000-0000-0000-000000000000",
	"ffffffff-ffff-ffff-ffff-ffffffffffff",
	"03000200-0400-0500-0006-000700080009",
	"00020003-0004-0005-0006-000700080009",
};

/* Is every character of s the same one ("00000000", "xxxx")? */
static int
all_same(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p != *s)
			return 0;
	return 1;
}

/* Canonical lower-case 8-4-4-4-12 form, or -1 when not a usable UUID. */
static int
norm_uuid(const char *v, char *out, size_t len)
{
	char hex[33];
	size_t i, n = 0;

	if (*v == '{')
		v++;
	for (; *v != '\0' && *v != '}'; v++) {
		if (*v == '-')
			continue;
		if (!isxdigit((unsigned char)*v) || n == 32)
			return -1;
		hex[n++] = (char)tolower((unsigned char)*v);
	}
	if (n != 32 || (*v == '}' && v[1] != '\0'))
		return -1;
	hex[n] = '\0';
	snprintf(out, len, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
	for (i = 0; i < NELEM(placeholder_uuids); i++)
		if (strcmp(out, placeholder_uuids[i]) == 0)
			return -1;
	return 0;
}

static int
norm_serial(const char *v, char *out, size_t len)
{
	size_t i, n;

	while (isspace((unsigned char)*v))
		v++;
	n = strlen(v);
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	if (n == 0 || n >= len || n > KEY_VALUE_MAX)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	for (i = 0; i < n; i++)
		if (iscntrl((unsigned char)out[i]))
			return -1;
	if (n > 1 && all_same(out))
		return -1;
	for (i = 0; i < NELEM(placeholder_serials); i++)
		if (str_ieq(out, placeholder_serials[i]))
			return -1;
	return 0;
}

/*
 * aa:bb:cc:dd:ee:ff from 12 hex digits separated by ':', '-' or '.' (or
 * not at all); -1 for anything else and for addresses that name no single
 * machine (all zeros, broadcast, multicast).
 */
static int
norm_mac(const char *v, char *out, size_t len)
{
	unsigned char b[6];
	size_t n = 0;
	int hi = -1, d;

	for (; *v != '\0'; v++) {
		if (*v == ':' || *v == '-' || *v == '.')
			continue;
		if (!isxdigit((unsigned char)*v) || n == 6)
			return -1;
		d = isdigit((unsigned char)*v) ? *v - '0' :
		    tolower((unsigned char)*v) - 'a' + 10;
		if (hi < 0)
			hi = d;
		else {
			b[n++] = (unsigned char)(hi << 4 | d);
			hi = -1;
		}
	}
	if (n != 6 || hi >= 0)
		return -1;
	if ((b[0] & 1) || (b[0] | b[1] | b[2] | b[3] | b[4] | b[5]) == 0)
		return -1;
	snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2],
	    b[3], b[4], b[5]);
	return 0;
}

/* Builds the keys of hi; unusable uuid/serial/mac hints are ignored. */
static int
make_keys(const struct host_info *hi, struct host_key *k, char *err,
    size_t errlen)
{
	char v[KEY_VALUE_MAX + 1];
	const char *p;
	size_t i, n;
	int any = 0;

	memset(k, 0, sizeof(*k) * KEY__COUNT);
	if (hi->uuid != NULL && norm_uuid(hi->uuid, v, sizeof(v)) == 0)
		k[KEY_UUID].present = 1;
	if (k[KEY_UUID].present)
		snprintf(k[KEY_UUID].key, sizeof(k[0].key), "uuid:%s", v);
	if (hi->serial != NULL && norm_serial(hi->serial, v, sizeof(v)) == 0) {
		k[KEY_SERIAL].present = 1;
		snprintf(k[KEY_SERIAL].key, sizeof(k[0].key), "serial:%s", v);
	}
	if (hi->mac != NULL && norm_mac(hi->mac, v, sizeof(v)) == 0) {
		k[KEY_MAC].present = 1;
		snprintf(k[KEY_MAC].key, sizeof(k[0].key), "mac:%s", v);
	}
	if (hi->h.address != NULL && *hi->h.address != '\0') {
		p = hi->h.address;
		n = strlen(p);
		if (n > KEY_VALUE_MAX)
			return errf(err, errlen, "host address is longer than "
			    "%d bytes", KEY_VALUE_MAX);
		/* "addr:" and the address in lower case, its NUL too. */
		memcpy(k[KEY_ADDR].key, "addr:", 5);
		for (i = 0; i <= n; i++)
			k[KEY_ADDR].key[5 + i] =
			    (char)tolower((unsigned char)p[i]);
		k[KEY_ADDR].present = 1;
	}
	for (i = 0; i < KEY__COUNT; i++)
		any |= k[i].present;
	if (!any)
		return errf(err, errlen, "host has no usable identity (no "
		    "uuid, serial, MAC or address)");
	return 0;
}

/*
 * Host h was found by the key of type t.  Does it carry a different key of
 * a stronger type we also have (another UUID, serial or MAC)?  Then the
 * weaker key was reused by another machine (DHCP, a recycled address) and
 * h is not this host.
 */
static int
conflicts(struct store *s, int64_t h, const struct host_key *k,
    enum key_type t, int *yes, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t found;
	int j;

	*yes = 0;
	for (j = 0; j < (int)t && !*yes; j++) {
		if (!k[j].present)
			continue;
		st = store_stmt(s, ST_KEY_CONFLICT, err, errlen);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, h);
		sqlite3_bind_text(st, 2, key_prefix[j], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, k[j].key, -1, SQLITE_STATIC);
		if (store_step_one(s, st, &found, NULL, "cannot look up host "
		    "keys", err, errlen) == -1)
			return -1;
		*yes = found != 0;
	}
	return 0;
}

static int
find_host(struct store *s, const struct host_key *k, int64_t *host,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t h;
	int t, conflict;

	*host = 0;
	for (t = 0; t < KEY__COUNT; t++) {
		if (!k[t].present)
			continue;
		st = store_stmt(s, ST_KEY_FIND, err, errlen);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, k[t].key, -1, SQLITE_STATIC);
		if (store_step_one(s, st, &h, NULL, "cannot look up host keys",
		    err, errlen) == -1)
			return -1;
		if (h == 0)
			continue;
		if (conflicts(s, h, k, (enum key_type)t, &conflict, err,
		    errlen) == -1)
			return -1;
		if (!conflict) {
			*host = h;
			return 0;
		}
	}
	return 0;
}

/*
 * Creates the host named by the strongest key; *created says whether the
 * row is new (else a host of that identity existed, its key moved away,
 * and it is taken again).
 */
static int
create_host(struct store *s, const struct host_key *k, int discovered,
    int64_t now, int64_t *host, int *created, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int t;

	*created = 0;
	for (t = 0; !k[t].present; t++)
		;
	st = store_stmt(s, ST_HOST_NEW, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, k[t].key, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, discovered != 0);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record the host", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	if (sqlite3_changes(s->db) == 1) {
		*host = sqlite3_last_insert_rowid(s->db);
		*created = 1;
		return 0;
	}
	st = store_stmt(s, ST_HOST_CREATE, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, k[t].key, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, discovered != 0);
	sqlite3_bind_int64(st, 3, now);
	if (store_step_one(s, st, host, NULL, "cannot record the host", err,
	    errlen) == -1)
		return -1;
	if (*host == 0)
		return errf(err, errlen, "%s: cannot record the host",
		    s->path);
	return 0;
}

/* Adds the keys to host: addresses and MACs move, UUIDs and serials stay. */
static int
add_keys(struct store *s, const struct host_key *k, int64_t host,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int t;

	for (t = 0; t < KEY__COUNT; t++) {
		if (!k[t].present)
			continue;
		st = store_stmt(s, t >= KEY_MAC ? ST_KEY_MOVE : ST_KEY_KEEP,
		    err, errlen);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, k[t].key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, host);
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_dberr(s, "cannot record a host key", err,
			    errlen);
			return store_done(st, -1);
		}
		store_done(st, 0);
	}
	return 0;
}

/* Marks host seen now (a host it did not create). */
static int
host_seen_only(struct store *s, int64_t host, const struct host_info *hi,
    int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt *st;

	st = store_stmt(s, ST_HOST_SEEN, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, host);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, hi->discovered != 0);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot update the host", err, errlen);
		return store_done(st, -1);
	}
	return store_done(st, 0);
}

/*
 * Marks host seen now and links it to run.  A host created by this call
 * has its times and discovered flag already.
 */
static int
host_seen(struct store *s, int64_t run, int64_t host, int created,
    const struct host_info *hi, int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt *st;

	if (!created && host_seen_only(s, host, hi, now, err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_RUN_HOST, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, host);
	store_bind_text(st, 3, hi->h.address);
	store_bind_text(st, 4, hi->h.name);
	store_bind_text(st, 5, hi->h.sector);
	store_bind_text(st, 6, hi->h.site);
	store_bind_text(st, 7, hi->h.owner);
	if (hi->h.criticality >= 1 && hi->h.criticality <= 5)
		sqlite3_bind_int(st, 8, hi->h.criticality);
	store_bind_text(st, 9, hi->h.jurisdiction);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot link the host to the run", err, errlen);
		return store_done(st, -1);
	}
	return store_done(st, 0);
}

/*
 * Host hi, whose keys k found host (0: none), inside store_host_many()'s
 * savepoint: created if need be, its keys added, linked to the run.
 */
static int
host_write(struct store *s, int64_t run, const struct host_info *hi,
    const struct host_key *k, int64_t host, int64_t now, int64_t *id,
    char *err, size_t errlen)
{
	int created = 0;

	if (host == 0 && create_host(s, k, hi->discovered, now, &host,
	    &created, err, errlen) == -1)
		return -1;
	if (add_keys(s, k, host, err, errlen) == -1 ||
	    host_seen(s, run, host, created, hi, now, err, errlen) == -1)
		return -1;
	*id = host;
	return 0;
}

/*
 * New hosts known by their address alone, written together: the common
 * case of a scan's targets, four statements a host one at a time.  A
 * host joins only when its key found no host, in the table or among the
 * hosts already waiting; the group is written before any other host of
 * the batch, so hosts are recorded as if one after another.
 */
struct host_group {
	size_t		 n;
	size_t		 idx[STORE_HOST_GROUP];	/* into the hi of many() */
	int64_t		 id[STORE_HOST_GROUP];
	int		 created[STORE_HOST_GROUP];
	int64_t		 found[STORE_HOST_GROUP];	/* its key's host */
	uint64_t	 hash[STORE_HOST_GROUP];	/* its key's, FNV-1a */
	int		 probed;	/* the first key looked up, alone */
	int		 each;		/* it was known: each looked up */
	char		 key[STORE_HOST_GROUP][KEY_VALUE_MAX + 16];
};

/*
 * Keys a group's range look-up reads at most before it gives up: past
 * that, reading the range costs more than naming the keys (ST_KEY_IN).
 */
#define GROUP_RANGE_ROWS	(2 * STORE_HOST_GROUP)

/* Has host hi no key but its address? */
static int
addr_only(const struct host_key *k)
{
	int t;

	for (t = 0; t < KEY__COUNT; t++)
		if (k[t].present != (t == KEY_ADDR))
			return 0;
	return 1;
}

static int
group_has(const struct host_group *g, const char *key, uint64_t hash)
{
	size_t j;

	/* The keys share their start ("addr:10.0."): the hashes first. */
	for (j = 0; j < g->n; j++)
		if (g->hash[j] == hash && strcmp(g->key[j], key) == 0)
			return 1;
	return 0;
}

/* The group's hosts one at a time (fewer than a whole group). */
static int
group_each(struct store *s, int64_t run, const struct host_info *hi,
    struct host_group *g, int64_t now, int64_t *ids, char *err,
    size_t errlen)
{
	struct host_key k[KEY__COUNT];
	size_t j;

	memset(k, 0, sizeof(k));
	k[KEY_ADDR].present = 1;
	for (j = 0; j < g->n; j++) {
		str_copy(k[KEY_ADDR].key, g->key[j], sizeof(k[KEY_ADDR].key));
		if (host_write(s, run, &hi[g->idx[j]], k, 0, now,
		    &ids[g->idx[j]], err, errlen) == -1)
			return -1;
	}
	return 0;
}

/*
 * The group's hosts inserted with ST_HOST_NEW_MANY, no row read back.
 * When every row went in and the last took the largest id before the
 * statement plus the group's size, each row took that largest id plus
 * one in turn (SQLite's rowid rule; the rule changes only once an id
 * reaches INT64_MAX, and then the sum cannot be made): their ids follow.
 * Otherwise (an identity that exists, its key gone to another host) no
 * row is taken as created, and group_many() asks for each one's id.
 */
static int
group_insert(struct store *s, const struct host_info *hi,
    struct host_group *g, int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t max, last;
	size_t j;
	int p = 1;

	st = store_stmt(s, ST_HOST_MAX_ID, err, errlen);
	if (st == NULL || store_step_one(s, st, &max, NULL, "cannot record "
	    "the host", err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_HOST_NEW_MANY, err, errlen);
	if (st == NULL)
		return -1;
	for (j = 0; j < g->n; j++) {
		sqlite3_bind_text(st, p++, g->key[j], -1, SQLITE_STATIC);
		sqlite3_bind_int(st, p++, hi[g->idx[j]].discovered != 0);
		sqlite3_bind_int64(st, p++, now);
		sqlite3_bind_int64(st, p++, now);
		g->id[j] = 0;
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record the host", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	last = sqlite3_last_insert_rowid(s->db);
	if ((size_t)sqlite3_changes(s->db) != g->n ||
	    max > INT64_MAX - (int64_t)g->n || last != max + (int64_t)g->n)
		return 0;
	for (j = 0; j < g->n; j++) {
		g->id[j] = max + 1 + (int64_t)j;
		g->created[j] = 1;
	}
	return 0;
}

/* A whole group, one statement per table. */
static int
group_many(struct store *s, int64_t run, const struct host_info *hi,
    struct host_group *g, int64_t now, int64_t *ids, char *err,
    size_t errlen)
{
	struct host_key k[KEY__COUNT];
	const struct host_attrs *a;
	sqlite3_stmt *st;
	size_t j;
	int p = 1;

	memset(g->created, 0, sizeof(g->created));
	if (group_insert(s, hi, g, now, err, errlen) == -1)
		return -1;
	/* An identity that exists, its key gone to another host: taken. */
	memset(k, 0, sizeof(k));
	k[KEY_ADDR].present = 1;
	for (j = 0; j < g->n; j++) {
		if (g->created[j])
			continue;
		str_copy(k[KEY_ADDR].key, g->key[j], sizeof(k[KEY_ADDR].key));
		if (create_host(s, k, hi[g->idx[j]].discovered, now,
		    &g->id[j], &g->created[j], err, errlen) == -1)
			return -1;
	}
	st = store_stmt(s, ST_KEY_MOVE_MANY, err, errlen);
	if (st == NULL)
		return -1;
	for (j = 0; j < g->n; j++) {
		sqlite3_bind_text(st, p++, g->key[j], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, p++, g->id[j]);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record a host key", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	for (j = 0; j < g->n; j++)
		if (!g->created[j] && host_seen_only(s, g->id[j],
		    &hi[g->idx[j]], now, err, errlen) == -1)
			return -1;
	st = store_stmt(s, ST_RUN_HOST_MANY, err, errlen);
	if (st == NULL)
		return -1;
	for (j = 0, p = 1; j < g->n; j++, p += 9) {
		a = &hi[g->idx[j]].h;
		sqlite3_bind_int64(st, p, run);
		sqlite3_bind_int64(st, p + 1, g->id[j]);
		store_bind_text(st, p + 2, a->address);
		store_bind_text(st, p + 3, a->name);
		store_bind_text(st, p + 4, a->sector);
		store_bind_text(st, p + 5, a->site);
		store_bind_text(st, p + 6, a->owner);
		if (a->criticality >= 1 && a->criticality <= 5)
			sqlite3_bind_int(st, p + 7, a->criticality);
		store_bind_text(st, p + 8, a->jurisdiction);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot link the host to the run", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	for (j = 0; j < g->n; j++)
		ids[g->idx[j]] = g->id[j];
	return 0;
}

/* Writes the hosts waiting in g (none: nothing). */
static int
group_write(struct store *s, int64_t run, const struct host_info *hi,
    struct host_group *g, int64_t now, int64_t *ids, char *err,
    size_t errlen)
{
	int rc;

	if (g->n == 0)
		return 0;
	rc = g->n == STORE_HOST_GROUP ?
	    group_many(s, run, hi, g, now, ids, err, errlen) :
	    group_each(s, run, hi, g, now, ids, err, errlen);
	g->n = 0;
	return rc;
}

/*
 * Matches the rows of st (key, host_id in key order) against the group's
 * keys sorted by ord, into g->found; the rows read, or -1 with a message.
 */
static ssize_t
match_keys(struct store *s, sqlite3_stmt *st, struct host_group *g,
    const size_t *ord, char *err, size_t errlen)
{
	const char *row;
	size_t i = 0, rows = 0;
	int rc, c;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		row = store_col_text(st, 0);
		if (row == NULL)
			continue;
		while (i < g->n && (c = strcmp(g->key[ord[i]], row)) <= 0) {
			if (c == 0)
				g->found[ord[i]] = sqlite3_column_int64(st, 1);
			i++;
		}
	}
	if (store_step_end(s, st, rc, "cannot look up host keys", err,
	    errlen) == -1)
		return -1;
	return (ssize_t)rows;
}

/*
 * The host each of the group's keys names in host_keys (g->found, 0 for
 * none): the keys sorted (strcmp(), SQLite's BINARY order), the table's
 * keys from the first to the last read in order and matched against
 * them.  When the range holds GROUP_RANGE_ROWS keys or more (other keys
 * fall between the group's: a /24 already recorded, a scan of an estate
 * recorded before), a whole group's keys are named in one statement
 * (ST_KEY_IN), a smaller group's each looked up alone (find_host(),
 * which for a key of an address alone is the same look-up: no stronger
 * key can conflict).
 */
static int
group_lookup(struct store *s, struct host_group *g, char *err,
    size_t errlen)
{
	struct host_key k[KEY__COUNT];
	sqlite3_stmt *st;
	size_t ord[STORE_HOST_GROUP], i, j, t;
	ssize_t rows;
	int64_t h;

	for (i = 0; i < g->n; i++) {
		g->found[i] = 0;
		t = i;
		for (j = i; j > 0 && strcmp(g->key[ord[j - 1]], g->key[t]) > 0;
		    j--)
			ord[j] = ord[j - 1];
		ord[j] = t;
	}
	st = store_stmt(s, ST_KEY_RANGE, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, g->key[ord[0]], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, g->key[ord[g->n - 1]], -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, GROUP_RANGE_ROWS);
	rows = match_keys(s, st, g, ord, err, errlen);
	if (rows == -1)
		return -1;
	if (rows < GROUP_RANGE_ROWS)
		return 0;
	for (i = 0; i < g->n; i++)
		g->found[i] = 0;
	if (g->n == STORE_HOST_GROUP) {
		st = store_stmt(s, ST_KEY_IN, err, errlen);
		if (st == NULL)
			return -1;
		for (i = 0; i < g->n; i++)
			sqlite3_bind_text(st, (int)i + 1, g->key[i], -1,
			    SQLITE_STATIC);
		return match_keys(s, st, g, ord, err, errlen) == -1 ? -1 : 0;
	}
	memset(k, 0, sizeof(k));
	k[KEY_ADDR].present = 1;
	for (i = 0; i < g->n; i++) {
		str_copy(k[KEY_ADDR].key, g->key[i], sizeof(k[KEY_ADDR].key));
		if (find_host(s, k, &h, err, errlen) == -1)
			return -1;
		g->found[i] = h;
	}
	return 0;
}

/*
 * The hosts waiting in the group, looked up together: a host whose key is
 * known is recorded as the host it names (host_write()), after the hosts
 * before it; the hosts after the last such one stay in the group, in
 * their order, to be written with the hosts that follow them (as each
 * joined the group when its own look-up found nothing).  With all, the
 * group is written whole.
 */
static int
group_resolve(struct store *s, int64_t run, const struct host_info *hi,
    struct host_group *g, int64_t now, int64_t *ids, int all, char *err,
    size_t errlen)
{
	struct host_key k[KEY__COUNT];
	size_t j, m = 0, n = g->n;
	int64_t host;

	if (g->n == 0)
		return 0;
	/* Each of them was looked up as it came, and found nothing. */
	if (g->each)
		return all || g->n == STORE_HOST_GROUP ? group_write(s, run,
		    hi, g, now, ids, err, errlen) : 0;
	if (group_lookup(s, g, err, errlen) == -1)
		return -1;
	memset(k, 0, sizeof(k));
	k[KEY_ADDR].present = 1;
	for (j = 0; j < n; j++) {
		host = g->found[j];
		if (host == 0) {
			if (m != j) {
				g->idx[m] = g->idx[j];
				g->hash[m] = g->hash[j];
				memcpy(g->key[m], g->key[j], sizeof(g->key[0]));
			}
			m++;
			continue;
		}
		/* Hosts are recorded in their order: those before it first. */
		g->n = m;
		m = 0;
		str_copy(k[KEY_ADDR].key, g->key[j], sizeof(k[KEY_ADDR].key));
		if (group_write(s, run, hi, g, now, ids, err, errlen) == -1 ||
		    host_write(s, run, &hi[g->idx[j]], k, host, now,
		    &ids[g->idx[j]], err, errlen) == -1)
			return -1;
	}
	g->n = m;
	if (all || g->n == STORE_HOST_GROUP)
		return group_write(s, run, hi, g, now, ids, err, errlen);
	return 0;
}

/*
 * Host hi[i] of store_host_many(), inside its savepoint.  A host known by
 * its address alone waits in the group, its key not yet looked up
 * (group_resolve() looks the group's keys up together) -- unless the
 * call's first such host, looked up alone, was known: targets recorded
 * before (a scan of the same estate again) are then each looked up as
 * they come, as one walk or list of known keys costs more than a look-up
 * a key, and only those not found wait.
 */
static int
one_host(struct store *s, int64_t run, const struct host_info *hi, size_t i,
    struct host_group *g, int64_t now, int64_t *ids, char *err,
    size_t errlen)
{
	struct host_key k[KEY__COUNT];
	int64_t host = 0;
	uint64_t hash;

	if (make_keys(&hi[i], k, err, errlen) == -1)
		return -1;
	if (addr_only(k)) {
		hash = idxset_fnv(IDXSET_FNV_INIT, k[KEY_ADDR].key,
		    strlen(k[KEY_ADDR].key));
		if (group_has(g, k[KEY_ADDR].key, hash) && group_resolve(s,
		    run, hi, g, now, ids, 1, err, errlen) == -1)
			return -1;
		if (!g->probed || g->each) {
			if (find_host(s, k, &host, err, errlen) == -1)
				return -1;
			if (!g->probed)
				g->each = host != 0;
			g->probed = 1;
		}
		if (host != 0) {
			/* Hosts are recorded in their order. */
			if (group_resolve(s, run, hi, g, now, ids, 1, err,
			    errlen) == -1)
				return -1;
			return host_write(s, run, &hi[i], k, host, now,
			    &ids[i], err, errlen);
		}
		g->idx[g->n] = i;
		str_copy(g->key[g->n], k[KEY_ADDR].key, sizeof(g->key[0]));
		g->hash[g->n] = hash;
		g->n++;
		return g->n == STORE_HOST_GROUP ? group_resolve(s, run, hi, g,
		    now, ids, 0, err, errlen) : 0;
	}
	/* Hosts are recorded in their order: the group first. */
	if (group_resolve(s, run, hi, g, now, ids, 1, err, errlen) == -1)
		return -1;
	if (find_host(s, k, &host, err, errlen) == -1)
		return -1;
	return host_write(s, run, &hi[i], k, host, now, &ids[i], err,
	    errlen);
}

int
store_host_many(struct store *s, int64_t run, const struct host_info *hi,
    size_t n, int64_t *ids, char *err, size_t errlen)
{
	struct host_group *g;
	int64_t now = now_unix();
	size_t i;
	int rc = -1;

	for (i = 0; i < n; i++)
		ids[i] = 0;
	if (n == 0)
		return 0;
	g = malloc(sizeof(*g));
	if (g == NULL)
		return errf(err, errlen, "%s: cannot record the host: out of "
		    "memory", s->path);
	g->n = 0;
	g->probed = g->each = 0;
	if (store_writable(s, err, errlen) == -1 ||
	    store_tx(s, err, errlen) == -1 ||
	    store_check_run(s, run, "the host", err, errlen) == -1 ||
	    store_exec(s, ST_SAVEPOINT, "cannot record the host", err,
	    errlen) == -1) {
		free(g);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (one_host(s, run, hi, i, g, now, ids, err, errlen) == -1)
			break;
	if (i == n && group_resolve(s, run, hi, g, now, ids, 1, err,
	    errlen) == 0)
		rc = 0;
	free(g);
	if (rc == -1 && !sqlite3_get_autocommit(s->db))
		store_exec(s, ST_ROLLBACK_TO, "rollback", NULL, 0);
	if (!sqlite3_get_autocommit(s->db) && store_exec(s, ST_RELEASE,
	    "cannot record the host", rc == 0 ? err : NULL, errlen) == -1)
		rc = -1;
	if (rc == -1) {
		for (i = 0; i < n; i++)
			ids[i] = 0;
		return -1;
	}
	/* Before the batch could be lost, which forgets them again. */
	for (i = 0; i < n; i++)
		store_host_found(s, ids[i]);
	return store_wrote(s, (unsigned)n, err, errlen);
}

int
store_host(struct store *s, int64_t run, const struct host_info *hi,
    int64_t *id, char *err, size_t errlen)
{
	return store_host_many(s, run, hi, 1, id, err, errlen);
}

int
store_host_name(struct store *s, int64_t run, int64_t host, const char *name,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;

	if (name == NULL || name[0] == '\0')
		return 0;
	if (store_writable(s, err, errlen) == -1 ||
	    store_tx(s, err, errlen) == -1)
		return -1;
	if (s->defer)
		return store_defer_name(s, run, host, name, err, errlen);
	st = store_stmt(s, ST_RUN_HOST_NAME, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, host);
	store_bind_text(st, 3, name);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot name the host", err, errlen);
		return store_done(st, -1);
	}
	return store_done(st, 0);
}

int
store_each_host(struct store *s, int64_t run,
    int (*cb)(void *, const struct host_row *), void *arg, char *err,
    size_t errlen)
{
	struct host_row r;
	sqlite3_stmt *st;
	int rc;

	st = store_run_query(s, ST_HOST_EACH, run, 0, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, HE_ID);
		r.run = sqlite3_column_int64(st, HE_RUN);
		r.identity = store_col_text(st, HE_IDENTITY);
		r.h.address = store_col_text(st, HE_ADDRESS);
		r.h.name = store_col_text(st, HE_NAME);
		r.h.sector = store_col_text(st, HE_SECTOR);
		r.h.site = store_col_text(st, HE_SITE);
		r.h.owner = store_col_text(st, HE_OWNER);
		r.h.criticality = sqlite3_column_int(st, HE_CRITICALITY);
		r.discovered = sqlite3_column_int(st, HE_DISCOVERED);
		r.first_seen = sqlite3_column_int64(st, HE_FIRST_SEEN);
		r.last_seen = sqlite3_column_int64(st, HE_LAST_SEEN);
		r.h.jurisdiction = store_col_text(st, HE_JURISDICTION);
		if (cb(arg, &r) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read hosts", err,
	    errlen);
}

int
store_host_move(struct store *s, int64_t run, int64_t from, int64_t to,
    char *err, size_t errlen)
{
	static const enum stmt_id steps[] = {
		ST_MOVE_OBS, ST_MOVE_COV, ST_MOVE_RUN_HOST
	};
	sqlite3_stmt *st;
	size_t i;

	if (from == to)
		return 0;
	if (store_writable(s, err, errlen) == -1 ||
	    store_tx(s, err, errlen) == -1 ||
	    store_check_run(s, run, "the host", err, errlen) == -1 ||
	    store_check_host(s, to, "the host", err, errlen) == -1)
		return -1;
	for (i = 0; i < NELEM(steps); i++) {
		st = store_stmt(s, steps[i], err, errlen);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, run);
		sqlite3_bind_int64(st, 2, from);
		sqlite3_bind_int64(st, 3, to);
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_dberr(s, "cannot move the host's rows", err,
			    errlen);
			return store_done(st, -1);
		}
		store_done(st, 0);
	}
	return 0;
}
