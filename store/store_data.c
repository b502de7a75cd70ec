/*
 * store_data: observations and coverage, written in the store's batch
 * transaction, and the iterators that read them back (findings are in
 * store_find.c).
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

#define NCHAN_CODES	4	/* store_chan_codes[] */
#define NVTYPE_CODES	5	/* store_vtype_codes[] */
#define STORE_PREFIXES_STILL	4	/* prefixes found where they are */

/* --- observations and coverage ---------------------------------------- */

/* A coded column read back as its name (NULL for an unknown code). */
static const char *
col_code(sqlite3_stmt *st, int i, const char *const *codes, size_t n)
{
	sqlite3_int64 c;

	if (sqlite3_column_type(st, i) != SQLITE_INTEGER)
		return store_col_text(st, i);
	c = sqlite3_column_int64(st, i);
	return c >= 0 && (size_t)c < n ? codes[c] : NULL;
}

/* A packed code, or its name, as the name (NULL for an unknown code). */
static const char *
pack_code(int64_t c, const char *name, const char *const *codes, size_t n)
{
	if (name != NULL)
		return name;
	return c >= 0 && (size_t)c < n ? codes[c] : NULL;
}

/*
 * Sets p up for prefix (len bytes): its text and, after it, its empty
 * middle, in one allocation.  0, or -1 out of memory.
 */
static int
prefix_new(struct store_prefix *p, const char *prefix, size_t len)
{
	size_t at = (len + 1 + _Alignof(struct store_mid) - 1) /
	    _Alignof(struct store_mid) * _Alignof(struct store_mid);

	memset(p, 0, sizeof(*p));
	if (len > SIZE_MAX - at - sizeof(struct store_mid))
		return -1;
	p->prefix = malloc(at + sizeof(struct store_mid));
	if (p->prefix == NULL)
		return -1;
	memcpy(p->prefix, prefix, len);
	p->prefix[len] = '\0';
	p->len = len;
	p->mid = (struct store_mid *)(void *)(p->prefix + at);
	memset(p->mid, 0, sizeof(*p->mid));
	return 0;
}

/* The place of the cached prefix of these bytes, or s->nprefixes. */
static size_t
prefix_at(const struct store *s, const char *prefix, size_t len)
{
	const struct store_prefix *p;
	size_t i;

	for (i = 0; i < s->nprefixes; i++) {
		p = &s->prefixes[i];
		/* Columns' prefixes differ at their end: that byte first. */
		if (p->len == len && (len == 0 ||
		    p->prefix[len - 1] == prefix[len - 1]) &&
		    store_same_bytes(p->prefix, prefix, len))
			break;
	}
	return i;
}

/*
 * The cached prefix of these bytes, moved to the front past the first
 * few (walks repeat), or NULL: no database look-up.
 */
static struct store_prefix *
prefix_find(struct store *s, const char *prefix, size_t len)
{
	struct store_prefix tmp;
	size_t i = prefix_at(s, prefix, len);

	if (i == s->nprefixes)
		return NULL;
	/*
	 * Move to front (walks repeat), past the first few: a walk's
	 * columns alternate row by row, and would swap places at every row.
	 */
	if (i >= STORE_PREFIXES_STILL) {
		tmp = s->prefixes[i];
		memmove(&s->prefixes[1], &s->prefixes[0],
		    i * sizeof(s->prefixes[0]));
		s->prefixes[0] = tmp;
		i = 0;
	}
	return &s->prefixes[i];
}

/*
 * The oid_prefixes id of prefix (added when new): *id 0 when the cache is
 * full and the prefix is not in it (the source is then stored as text);
 * *pp the prefix's cache entry, or NULL.
 */
static int
prefix_id(struct store *s, const char *prefix, size_t len, int64_t *id,
    struct store_prefix **pp, char *err, size_t errlen)
{
	struct store_prefix *p;
	sqlite3_stmt *st;

	*id = 0;
	*pp = prefix_find(s, prefix, len);
	if (*pp != NULL) {
		*id = (*pp)->id;
		return 0;
	}
	if (s->nprefixes == STORE_PREFIXES)
		return 0;
	p = &s->prefixes[s->nprefixes];
	if (prefix_new(p, prefix, len) == -1)
		return errf(err, errlen, "out of memory");
	st = store_stmt(s, ST_PREFIX_FIND, err, errlen);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, p->prefix, -1, SQLITE_STATIC);
	if (store_step_one(s, st, &p->id, NULL, "cannot read OID prefixes",
	    err, errlen) == -1)
		goto fail;
	if (p->id == 0) {
		st = store_stmt(s, ST_PREFIX_ADD, err, errlen);
		if (st == NULL)
			goto fail;
		sqlite3_bind_text(st, 1, p->prefix, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_dberr(s, "cannot record an OID prefix", err,
			    errlen);
			store_done(st, -1);
			goto fail;
		}
		store_done(st, 0);
		p->id = sqlite3_last_insert_rowid(s->db);
	}
	*id = p->id;
	*pp = p;
	s->nprefixes++;
	return 0;
fail:
	free(p->prefix);
	p->prefix = NULL;
	return -1;
}

/* Is o's source a prefix, a dot and o's item (ilen, slen: their bytes)? */
static int
source_prefixed(const struct observation *o, size_t ilen, size_t slen)
{
	return o->source != NULL && ilen > 0 && slen > ilen + 1 &&
	    o->source[slen - ilen - 1] == '.' &&
	    store_same_bytes(o->source + slen - ilen, o->item, ilen);
}

/*
 * An observation's source as stored: a prefix id when it is a prefix, a
 * dot and the item (what an SNMP walk stores), else the text (*kind 1),
 * or NULL (*kind 0).  ilen and slen: the item's and the source's lengths
 * (0 when NULL); *pp the prefix's cache entry, or NULL.
 */
static int
source_of(struct store *s, const struct observation *o, size_t ilen,
    size_t slen, int64_t *id, unsigned char *kind, struct store_prefix **pp,
    char *err, size_t errlen)
{
	*id = 0;
	*pp = NULL;
	*kind = o->source != NULL;
	if (source_prefixed(o, ilen, slen)) {
		if (prefix_id(s, o->source, slen - ilen - 1, id, pp, err,
		    errlen) == -1)
			return -1;
		if (*id > 0)
			*kind = 2;
	}
	return 0;
}

/* Host's slot in s->hosts_found: ids in turn take slots in turn. */
#define FOUND_SLOT(host)	((size_t)(host) & (STORE_HOSTS_FOUND - 1))

void
store_host_found(struct store *s, int64_t host)
{
	if (host > 0)
		s->hosts_found[FOUND_SLOT(host)] = host;
}

/* A run or host that is not there: the error a foreign key gave. */
static int
missing_key(struct store *s, const char *what, char *err, size_t errlen)
{
	return errf(err, errlen, "%s: cannot record %s: %s", s->path, what,
	    store_reason(SQLITE_CONSTRAINT_FOREIGNKEY, NULL));
}

/*
 * Foreign keys, checked here: schema 5 declares none on observations,
 * and a scan turns SQLite's own off (store_bulk()).  The run (its
 * start, for seen) once while it repeats, and the host once until a
 * batch is lost (s->hosts_found).  What is recorded ("an observation",
 * "coverage", "the host", "a finding") names the error.
 */
int
store_check_run(struct store *s, int64_t run, const char *what, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int64_t one;
	char why[64];

	if (run == s->obs_run && run != 0)
		return 0;
	s->obs_run = 0;
	snprintf(why, sizeof(why), "cannot record %s", what);
	st = store_stmt(s, ST_RUN_STARTED, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	if (store_step_one(s, st, &one, &s->obs_started, why, err,
	    errlen) == -1)
		return -1;
	if (one != 1)
		return missing_key(s, what, err, errlen);
	s->obs_run = run;
	return 0;
}

int
store_check_host(struct store *s, int64_t host, const char *what,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t one;
	char why[64];

	if (host > 0 && s->hosts_found[FOUND_SLOT(host)] == host)
		return 0;
	snprintf(why, sizeof(why), "cannot record %s", what);
	st = store_stmt(s, ST_HOST_EXISTS, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, host);
	if (store_step_one(s, st, &one, NULL, why, err, errlen) == -1)
		return -1;
	if (one != 1)
		return missing_key(s, what, err, errlen);
	store_host_found(s, host);
	return 0;
}

static int
check_keys(struct store *s, int64_t run, int64_t host, char *err,
    size_t errlen)
{
	if (store_check_run(s, run, "an observation", err, errlen) == -1)
		return -1;
	if (host != s->obs_host || host == 0) {
		s->obs_host = 0;
		if (store_check_host(s, host, "an observation", err,
		    errlen) == -1)
			return -1;
		s->obs_host = host;
	}
	return 0;
}

/*
 * Does p's cached middle serve a row of chan, kind, value type and
 * attribute?  (The attribute compared byte by byte, never by pointer.)
 */
static int
mid_cached(const struct store_prefix *p, enum channel chan,
    const struct observation *o)
{
	const struct store_mid *m;

	if (p == NULL)
		return 0;
	m = p->mid;
	return m->hlen > 0 && m->chan == chan && m->kind == o->kind &&
	    m->vtype == o->vtype && o->attr != NULL &&
	    str_same(m->attr, o->attr);
}

/* The slot of column col (struct observation's), or NULL. */
static struct store_colmid *
col_slot(struct store *s, const void *col)
{
	size_t i;

	for (i = 0; i < STORE_COLMIDS; i++)
		if (s->colmid[i].col == col)
			return &s->colmid[i];
	return NULL;
}

/*
 * The middle o's column (slot c, col_slot()) found or kept last, when it
 * serves o (mid_cached()'s test but for the attribute's bytes: the
 * column's attr is the same string), or NULL.  Checked in the order that
 * keeps a freed middle unread: the prefixes' epoch first.
 */
static const struct store_mid *
col_mid(const struct store *s, const struct store_colmid *c,
    enum channel chan, const struct observation *o)
{
	const struct store_mid *m;

	if (c == NULL || c->epoch != s->obs_prefix_epoch ||
	    c->attr != o->attr)
		return NULL;
	m = c->mid;
	if (m->gen != c->gen || m->chan != chan || m->kind != o->kind ||
	    m->vtype != o->vtype)
		return NULL;
	return m;
}

/*
 * Notes middle m as what o's column found or kept (col_mid()): in its
 * slot c, or in the next one when it has none.
 */
static void
col_note(struct store *s, struct store_colmid *c,
    const struct observation *o, const struct store_mid *m)
{
	if (c == NULL)
		c = &s->colmid[s->colmid_next++ % STORE_COLMIDS];
	c->col = o->col;
	c->attr = o->attr;
	c->mid = m;
	c->gen = m->gen;
	c->epoch = s->obs_prefix_epoch;
}

#ifndef NDEBUG
/*
 * What the look-up col_mid() saves would have found: the same middle
 * (the column's promise, struct observation).  No prefix moves.
 */
static int
col_mid_agrees(const struct store *s, enum channel chan,
    const struct observation *o, const struct store_mid *m)
{
	const struct store_prefix *p;
	size_t i, ilen, slen;

	if (o->item == NULL || o->source == NULL || o->attr == NULL ||
	    !str_same(m->attr, o->attr))
		return 0;
	ilen = strlen(o->item);
	slen = strlen(o->source);
	if (!source_prefixed(o, ilen, slen))
		return 0;
	i = prefix_at(s, o->source, slen - ilen - 1);
	if (i == s->nprefixes)
		return 0;
	p = &s->prefixes[i];
	return p->mid == m && mid_cached(p, chan, o);
}
#endif

/*
 * Keeps the head (w .. h) and the tail (t .. e) of the middle just packed
 * for the next rows of prefix p, when they fit, numbered gen (a number no
 * other middle of the store has had: the blocks' shortcuts name it).
 */
static void
mid_keep(struct store_prefix *p, uint64_t gen, enum channel chan,
    const struct observation *o, size_t alen, const char *w, const char *h,
    const char *t, const char *e)
{
	struct store_mid *m = p->mid;

	m->hlen = 0;
	if (alen > sizeof(m->attr) || (size_t)(h - w) > sizeof(m->head) ||
	    (size_t)(e - t) > sizeof(m->tail) || h == w)
		return;
	m->chan = (unsigned char)chan;
	m->kind = (unsigned char)o->kind;
	m->vtype = (unsigned char)o->vtype;
	memcpy(m->attr, o->attr, alen);
	memcpy(m->head, w, (size_t)(h - w));
	memcpy(m->tail, t, (size_t)(e - t));
	m->tlen = (unsigned char)(e - t);
	m->hlen = (unsigned char)(h - w);
	m->gen = gen;
}

int
store_observation(struct store *s, int64_t run, int64_t host,
    enum channel chan, const struct observation *o, int64_t *id, char *err,
    size_t errlen)
{
	return store_observation_keyed(s, run, host, chan, o, 0, NULL, id,
	    err, errlen);
}

int
store_observation_keyed(struct store *s, int64_t run, int64_t host,
    enum channel chan, const struct observation *o, uint64_t key,
    uint32_t *ref, int64_t *id, char *err, size_t errlen)
{
	struct store_packrow r;	/* the fields store_pack_mid() reads */
	struct store_prefix *p;
	struct store_pack *pk;
	struct store_colmid *cm;
	const struct store_mid *mid, *hm;
	struct store_idrun *ir;
	const char *item;
	char *w, *e, *h, *t;
	size_t ilen, alen, slen, before;
	int64_t seen, vref;
	int hit;

	if (id != NULL)
		*id = 0;
	if ((unsigned)chan >= CHAN__COUNT || (unsigned)o->kind >= OBS__COUNT ||
	    (unsigned)o->vtype >= VAL__COUNT)
		return errf(err, errlen, "observation with an unknown "
		    "channel, kind or value type");
	item = o->item != NULL ? o->item : "";
	ilen = strlen(item);
	/*
	 * The row's source prefix, if cached: its middle may serve.  A row
	 * of a column its caller names takes the middle the column's last
	 * row found or kept, while that middle lasts (col_mid()).
	 */
	p = NULL;
	slen = 0;
	cm = o->col != NULL ? col_slot(s, o->col) : NULL;
	hm = col_mid(s, cm, chan, o);
	assert(hm == NULL || col_mid_agrees(s, chan, o, hm));
	hit = hm != NULL;
	if (!hit) {
		slen = o->source != NULL ? strlen(o->source) : 0;
		p = source_prefixed(o, ilen, slen) ? prefix_find(s,
		    o->source, slen - ilen - 1) : NULL;
		hit = mid_cached(p, chan, o);
		if (hit) {
			hm = p->mid;
			if (o->col != NULL)
				col_note(s, cm, o, hm);
		}
	}
	if (!hit && !obs_attr_valid(o->kind, o->attr))
		return errf(err, errlen, "\"%s\" is not an attribute of %s "
		    "observations", o->attr != NULL ? o->attr : "(null)",
		    obs_kind_name(o->kind));
	if (o->value == NULL && o->len > 0)
		return errf(err, errlen, "observation value missing");
	if (ilen >= UINT32_MAX)
		return errf(err, errlen, "observation item or attribute too "
		    "long");
	/* (A batch is open only in a writable store: store_tx().) */
	if ((!s->in_tx && store_tx(s, err, errlen) == -1) ||
	    check_keys(s, run, host, err, errlen) == -1)
		return -1;
	/*
	 * Every statement before the row's block is taken: a statement may
	 * write the buffer out first (store.c, held()), which ends every
	 * host's block.  A new source prefix is looked up here.
	 */
	if (!hit && source_of(s, o, ilen, slen, &r.source_id, &r.source, &p,
	    err, errlen) == -1)
		return -1;
	if (store_value_ref(s, key, o->value, o->len, ref, &vref, err,
	    errlen) == -1)
		return -1;
	seen = now_unix() - s->obs_started;
	/* The row goes straight into its host's block. */
	pk = store_obs_block(s, run, host, s->obs_next, o->len);
	if (pk == NULL || store_obs_idroom(s) == -1)
		return errf(err, errlen, "out of memory");
	before = pk->jlen + pk->vlen;
	mid = NULL;
	if (hit) {
		const struct store_mid *m = hm;
		int64_t k;

		/* A row the block already has a whole row for: short now. */
		k = store_pack_fast_find(pk, m->gen, seen);
		if (k >= 0) {
			if (store_pack_row_short(pk, s->obs_next, item, ilen,
			    o->value, o->len, vref, k) == -1)
				return errf(err, errlen, "out of memory");
			goto stored;
		}
		mid = m;

		/*
		 * The prefix's head and tail around this row's item, each
		 * copied whole (a constant size, no call; the room is made
		 * for it) and the bytes past its end written over.
		 */
		w = store_pack_row_begin(pk, run, host, s->obs_next,
		    sizeof(m->head) + 2 + 6 * ilen + sizeof(m->tail), o->len);
		if (w == NULL)
			return errf(err, errlen, "out of memory");
		memcpy(w, m->head, sizeof(m->head));
		h = w + m->hlen;
		t = store_pack_mid_item(h, item);
		memcpy(t, m->tail, sizeof(m->tail));
		e = t + m->tlen;
	} else {
		alen = strlen(o->attr) + 1;
		if (alen > UINT32_MAX)
			return errf(err, errlen, "observation item or "
			    "attribute too long");
		r.item = item;
		r.attr = o->attr;
		r.source_text = r.source == 1 ? o->source : NULL;
		r.text = ilen + 1 + alen + (r.source == 1 ? slen + 1 : 0);
		r.chan = s->chan_code[chan];
		r.chan_name = r.chan < 0 ? channel_name(chan) : NULL;
		r.kind_code = s->kind_code[o->kind];
		r.kind_known = 1;
		r.kind = r.kind_code < 0 ? obs_kind_name(o->kind) : NULL;
		r.vtype = s->vtype_code[o->vtype];
		r.vtype_name = r.vtype < 0 ? value_type_name(o->vtype) :
		    NULL;
		w = store_pack_row_begin(pk, run, host, s->obs_next,
		    store_pack_mid_max(&r), o->len);
		if (w == NULL)
			return errf(err, errlen, "out of memory");
		h = store_pack_mid_head(w, &r);
		t = store_pack_mid_item(h, item);
		e = store_pack_mid_tail(t, &r);
		if (r.source == 2 && p != NULL) {
			mid_keep(p, ++s->obs_mid_gen, chan, o, alen, w, h, t,
			    e);
			if (p->mid->hlen > 0) {
				mid = p->mid;
				if (o->col != NULL)
					col_note(s, cm, o, mid);
			}
		}
	}
	store_pack_row_end(pk, w, (size_t)(h - w), (size_t)(t - h),
	    (size_t)(e - t), o->value, o->len, vref, seen);
	/* The next rows of this middle and seen name the same whole row. */
	if (mid != NULL)
		store_pack_fast_note(pk, mid->gen, seen);
stored:
	/*
	 * Whose the id is: a run of the host's ids goes on, or one starts
	 * (its room made before the row went in).
	 */
	ir = s->nidruns > 0 ? &s->idruns[s->nidruns - 1] : NULL;
	if (ir != NULL && ir->host == host && ir->run == run &&
	    ir->first + (int64_t)ir->n == s->obs_next)
		ir->n++;
	else {
		ir = &s->idruns[s->nidruns++];
		ir->first = s->obs_next;
		ir->n = 1;
		ir->run = run;
		ir->host = host;
	}
	s->obuf_bytes += pk->jlen + pk->vlen - before;
	s->obuf_n++;
	if (id != NULL)
		*id = s->obs_next;
	s->obs_next++;
	return store_wrote(s, 1, err, errlen);
}

int
store_coverage(struct store *s, int64_t run, int64_t host,
    const struct coverage *c, char *err, size_t errlen)
{
	sqlite3_stmt *st;

	if ((unsigned)c->channel >= CHAN__COUNT ||
	    (unsigned)c->status >= COV__COUNT)
		return errf(err, errlen, "coverage with an unknown channel or "
		    "status");
	if (store_tx(s, err, errlen) == -1 ||
	    store_check_run(s, run, "coverage", err, errlen) == -1 ||
	    store_check_host(s, host, "coverage", err, errlen) == -1)
		return -1;
	if (s->defer) {
		if (store_defer_cov(s, run, host, c, err, errlen) == -1)
			return -1;
		return store_wrote(s, 1, err, errlen);
	}
	st = store_stmt(s, ST_COV_UPSERT, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, host);
	sqlite3_bind_text(st, 3, channel_name(c->channel), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->probe != NULL ? c->probe : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, cov_status_name(c->status), -1,
	    SQLITE_STATIC);
	store_bind_text(st, 6, c->detail);
	store_bind_text(st, 7, c->profile);
	sqlite3_bind_int64(st, 8, c->elapsed_ms);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record coverage", err, errlen);
		return store_done(st, -1);
	}
	store_done(st, 0);
	return store_wrote(s, 1, err, errlen);
}

static int
bad_name(struct store *s, const char *what, const char *name, int64_t row,
    char *err, size_t errlen)
{
	return errf(err, errlen, "%s: row %lld has an unknown %s \"%s\"",
	    s->path, (long long)row, what, name != NULL ? name : "");
}

/*
 * The text of source id (an oid_prefixes id): the prefix, a dot and item,
 * spelled out in s->srcbuf (valid until the next call).  NULL with a
 * message in err when the prefix is missing or memory is short.
 */
static const char *
source_text(struct store *s, int64_t id, const char *item, int *failed,
    char *err, size_t errlen)
{
	struct store_prefix *p = NULL;
	sqlite3_stmt *q;
	const char *pre;
	size_t k, need, ilen;

	*failed = 0;
	for (k = 0; k < s->nprefixes; k++)
		if (s->prefixes[k].id == id) {
			p = &s->prefixes[k];
			break;
		}
	q = NULL;
	if (p != NULL)
		pre = p->prefix;
	else {
		q = store_stmt(s, ST_PREFIX_GET, err, errlen);
		if (q == NULL)
			goto fail;
		sqlite3_bind_int64(q, 1, id);
		if (sqlite3_step(q) != SQLITE_ROW) {
			errf(err, errlen, "%s: an observation names OID "
			    "prefix %lld, which is missing", s->path,
			    (long long)id);
			goto fail;
		}
		pre = store_col_text(q, 0);
		if (pre == NULL) {
			errf(err, errlen, "%s: OID prefix %lld is empty",
			    s->path, (long long)id);
			goto fail;
		}
	}
	ilen = item != NULL ? strlen(item) : 0;
	need = strlen(pre) + 1 + ilen + 1;
	if (need > s->srcsize) {
		char *nb = realloc(s->srcbuf, need);

		if (nb == NULL) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		s->srcbuf = nb;
		s->srcsize = need;
	}
	snprintf(s->srcbuf, s->srcsize, "%s.%s", pre, item != NULL ? item :
	    "");
	if (q != NULL) {
		/* Keep it for the next rows, while there is room. */
		if (s->nprefixes < STORE_PREFIXES) {
			p = &s->prefixes[s->nprefixes];
			if (prefix_new(p, pre, strlen(pre)) == 0) {
				p->id = id;
				s->nprefixes++;
			}
		}
		store_done(q, 0);
	}
	return s->srcbuf;
fail:
	store_done(q, 0);
	*failed = 1;
	return NULL;
}

/* The host's fields of an observation row, from ST_OBS_HOST's row at st. */
static void
obs_host_cols(sqlite3_stmt *st, struct obs_row *r)
{
	r->host_identity = store_col_text(st, OH_IDENTITY);
	r->h.address = store_col_text(st, OH_ADDRESS);
	r->h.name = store_col_text(st, OH_NAME);
	r->h.sector = store_col_text(st, OH_SECTOR);
	r->h.site = store_col_text(st, OH_SITE);
	r->h.criticality = sqlite3_column_int(st, OH_CRITICALITY);
	r->h.jurisdiction = store_col_text(st, OH_JURISDICTION);
}

/*
 * Copies a block's rows and vals into *buf (*cap): a callback may write
 * blocks while the iteration holds this one.  The copy of rows at *buf,
 * of vals right after it.
 */
static int
copy_block(sqlite3_stmt *st, char **buf, size_t *cap, size_t *rlen,
    size_t *vlen, char *err, size_t errlen)
{
	const void *rows, *vals;
	size_t need;
	char *nb;

	rows = sqlite3_column_blob(st, BE_ROWS);
	*rlen = (size_t)sqlite3_column_bytes(st, BE_ROWS);
	vals = sqlite3_column_blob(st, BE_VALS);
	*vlen = (size_t)sqlite3_column_bytes(st, BE_VALS);
	need = *rlen + *vlen + 1;
	if (need > *cap) {
		nb = realloc(*buf, need);
		if (nb == NULL)
			return errf(err, errlen, "out of memory");
		*buf = nb;
		*cap = need;
	}
	if (*rlen > 0)
		memcpy(*buf, rows, *rlen);
	if (*vlen > 0)
		memcpy(*buf + *rlen, vals, *vlen);
	return 0;
}

/* bad_name() for a packed code: the code itself when it has no name. */
static int
bad_code(struct store *s, const char *what, const char *name, int64_t code,
    int64_t row, char *err, size_t errlen)
{
	char num[24];

	if (name == NULL) {
		snprintf(num, sizeof(num), "%lld", (long long)code);
		name = num;
	}
	return bad_name(s, what, name, row, err, errlen);
}

/* A packed row as an observation row (host fields aside); -1: a name. */
static int
obs_from_pack(struct store *s, const struct store_packrow *p, int64_t
    started, struct obs_row *r, char *err, size_t errlen)
{
	const char *name;
	int failed;

	r->id = p->id;
	name = pack_code(p->chan, p->chan_name, store_chan_codes,
	    NCHAN_CODES);
	if (name == NULL || channel_from_name(name, &r->channel) == -1)
		return bad_code(s, "channel", name, p->chan, r->id, err,
		    errlen);
	if (obs_kind_from_name(p->kind, &r->obs.kind) == -1)
		return bad_name(s, "kind", p->kind, r->id, err, errlen);
	r->obs.item = p->item;
	r->obs.attr = p->attr;
	if (p->source == 2) {
		r->obs.source = source_text(s, p->source_id, p->item,
		    &failed, err, errlen);
		if (failed)
			return -1;
	} else
		r->obs.source = p->source == 1 ? p->source_text : NULL;
	name = pack_code(p->vtype, p->vtype_name, store_vtype_codes,
	    NVTYPE_CODES);
	if (name == NULL || value_type_from_name(name, &r->obs.vtype) == -1)
		return bad_code(s, "value type", name, p->vtype, r->id, err,
		    errlen);
	r->obs.value = p->value;
	r->obs.len = p->len;
	if (p->vref > 0) {
		sqlite3_stmt *st = store_stmt(s, ST_VALUE_GET, err, errlen);

		if (st == NULL || store_value_get(s, st, &s->vcache, s->path,
		    p->vref, &r->obs.value, &r->obs.len, err, errlen) == -1)
			return -1;
	}
	r->seen = p->seen + started;
	return 0;
}

/*
 * A whole run (after 0), or its rows stored after id after: its blocks in
 * key order, decoded here, and each host's identity and run attributes
 * read once, when the host changes.  A block holds the rows of one batch
 * (store.c), so the rows of a later batch are in blocks of their own.
 */
static int
each_run_observation(struct store *s, int64_t run, int64_t after,
    int (*cb)(void *, const struct obs_row *), void *arg, char *err,
    size_t errlen)
{
	struct store_unpack u;
	struct store_packrow p;
	struct obs_row r;
	sqlite3_stmt *st, *hs = NULL;
	int64_t started, one, cur = 0, host, first;
	size_t cap = 0, rlen, vlen;
	char *blk = NULL;
	int rc, hrc = SQLITE_DONE, n;

	memset(&u, 0, sizeof(u));
	if (store_run_exists(s, run, err, errlen) == -1)
		return -1;
	st = store_stmt(s, ST_RUN_STARTED, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	if (store_step_one(s, st, &one, &started, "cannot read observations",
	    err, errlen) == -1)
		return -1;
	st = store_run_query(s, ST_BLOCK_EACH, run, 0, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 2, after > 0 ? after : 0);
	hs = store_stmt(s, ST_OBS_HOST, err, errlen);
	if (hs == NULL)
		return store_done(st, -1);
	sqlite3_bind_int64(hs, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		host = sqlite3_column_int64(st, BE_HOST);
		first = sqlite3_column_int64(st, BE_FIRST);
		if (host != cur) {
			sqlite3_reset(hs);
			sqlite3_bind_int64(hs, 2, host);
			hrc = sqlite3_step(hs);
			if (hrc != SQLITE_ROW && hrc != SQLITE_DONE) {
				store_dberr(s, "cannot read observations",
				    err, errlen);
				goto fail;
			}
			cur = host;
		}
		if (hrc != SQLITE_ROW)
			continue;	/* no such host: as the join did */
		if (copy_block(st, &blk, &cap, &rlen, &vlen, err,
		    errlen) == -1)
			goto fail;
		store_unpack_init(&u, first, blk, rlen, blk + rlen, vlen);
		while ((n = store_unpack_next(&u, &p, err, errlen)) == 1) {
			memset(&r, 0, sizeof(r));
			r.run = run;
			r.host = host;
			obs_host_cols(hs, &r);
			if (obs_from_pack(s, &p, started, &r, err,
			    errlen) == -1)
				goto fail;
			if (cb(arg, &r) != 0) {
				store_unpack_free(&u);
				free(blk);
				store_done(hs, 0);
				return store_done(st, 0);
			}
		}
		if (n == -1) {
			/* The decoder's message, with the database. */
			char msg[ERRLEN];

			if (err != NULL && errlen > 0) {
				snprintf(msg, sizeof(msg), "%s", err);
				errf(err, errlen, "%s: %s", s->path, msg);
			}
			goto fail;
		}
	}
	store_unpack_free(&u);
	free(blk);
	/* The reason first: resetting hs would clear it ("not an error"). */
	rc = store_step_end(s, st, rc, "cannot read observations", err,
	    errlen);
	store_done(hs, 0);
	return rc;
fail:
	store_unpack_free(&u);
	free(blk);
	store_done(hs, 0);
	return store_done(st, -1);
}

int
store_each_observation_after(struct store *s, int64_t run, int64_t after,
    int (*cb)(void *, const struct obs_row *), void *arg, char *err,
    size_t errlen)
{
	return each_run_observation(s, run, after, cb, arg, err, errlen);
}

int64_t
store_obs_last(const struct store *s)
{
	return s->obs_next - 1;
}

int
store_obs_host(struct store *s, int64_t run, int64_t host,
    int (*cb)(void *, const struct obs_row *), void *arg, char *err,
    size_t errlen)
{
	struct obs_row r;
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, ST_OBS_HOST, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, host);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		store_done(st, 0);
		return errf(err, errlen, "%s: no host %lld", s->path,
		    (long long)host);
	}
	if (rc != SQLITE_ROW) {
		store_dberr(s, "cannot read a host", err, errlen);
		return store_done(st, -1);
	}
	memset(&r, 0, sizeof(r));
	r.run = run;
	r.host = host;
	obs_host_cols(st, &r);
	rc = cb(arg, &r);
	store_done(st, 0);
	return rc != 0 ? -1 : 0;
}

int
store_each_observation(struct store *s, int64_t run, int64_t host,
    int (*cb)(void *, const struct obs_row *), void *arg, char *err,
    size_t errlen)
{
	struct obs_row r;
	sqlite3_stmt *st;
	const char *name;
	int rc;

	if (host <= 0)
		return each_run_observation(s, run, 0, cb, arg, err, errlen);
	st = store_run_query(s, ST_OBS_EACH_HOST, run, 0, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 2, host);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, OX_ID);
		r.run = sqlite3_column_int64(st, OX_RUN);
		r.host = sqlite3_column_int64(st, OX_HOST);
		r.host_identity = store_col_text(st, OX_IDENTITY);
		r.h.address = store_col_text(st, OX_ADDRESS);
		r.h.name = store_col_text(st, OX_NAME);
		r.h.sector = store_col_text(st, OX_SECTOR);
		r.h.site = store_col_text(st, OX_SITE);
		name = col_code(st, OX_CHANNEL, store_chan_codes, NCHAN_CODES);
		if (name == NULL || channel_from_name(name, &r.channel) == -1)
			return store_done(st, bad_name(s, "channel",
			    store_col_text(st, OX_CHANNEL), r.id, err,
			    errlen));
		if (obs_kind_from_name(store_col_text(st, OX_KIND),
		    &r.obs.kind) == -1)
			return store_done(st, bad_name(s, "kind",
			    store_col_text(st, OX_KIND), r.id, err, errlen));
		r.obs.item = store_col_text(st, OX_ITEM);
		r.obs.attr = store_col_text(st, OX_ATTR);
		r.obs.source = store_col_text(st, OX_SOURCE);
		name = col_code(st, OX_VTYPE, store_vtype_codes, NVTYPE_CODES);
		if (name == NULL || value_type_from_name(name,
		    &r.obs.vtype) == -1)
			return store_done(st, bad_name(s, "value type",
			    store_col_text(st, OX_VTYPE), r.id, err,
			    errlen));
		r.obs.value = sqlite3_column_blob(st, OX_VALUE);
		r.obs.len = (size_t)sqlite3_column_bytes(st, OX_VALUE);
		r.seen = sqlite3_column_int64(st, OX_SEEN);
		r.h.criticality = sqlite3_column_int(st, OX_CRITICALITY);
		r.h.jurisdiction = store_col_text(st, OX_JURISDICTION);
		if (cb(arg, &r) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read observations", err,
	    errlen);
}

int
store_each_coverage(struct store *s, int64_t run,
    int (*cb)(void *, const struct coverage_row *), void *arg, char *err,
    size_t errlen)
{
	struct coverage_row r;
	sqlite3_stmt *st;
	int rc;

	st = store_run_query(s, ST_COV_EACH, run, 0, err, errlen);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.run = sqlite3_column_int64(st, CE_RUN);
		r.host = sqlite3_column_int64(st, CE_HOST);
		r.host_identity = store_col_text(st, CE_IDENTITY);
		r.h.address = store_col_text(st, CE_ADDRESS);
		r.h.name = store_col_text(st, CE_NAME);
		r.h.sector = store_col_text(st, CE_SECTOR);
		r.h.site = store_col_text(st, CE_SITE);
		r.h.owner = store_col_text(st, CE_OWNER);
		if (channel_from_name(store_col_text(st, CE_CHANNEL),
		    &r.cov.channel) == -1)
			return store_done(st, bad_name(s, "channel",
			    store_col_text(st, CE_CHANNEL), r.host, err,
			    errlen));
		r.cov.probe = store_col_text(st, CE_PROBE);
		if (cov_status_from_name(store_col_text(st, CE_STATUS),
		    &r.cov.status) == -1)
			return store_done(st, bad_name(s, "coverage status",
			    store_col_text(st, CE_STATUS), r.host, err,
			    errlen));
		r.cov.detail = store_col_text(st, CE_DETAIL);
		r.cov.profile = store_col_text(st, CE_PROFILE);
		r.h.jurisdiction = store_col_text(st, CE_JURISDICTION);
		r.cov.elapsed_ms = sqlite3_column_int64(st, CE_ELAPSED_MS);
		if (cb(arg, &r) != 0)
			return store_done(st, 0);
	}
	return store_step_end(s, st, rc, "cannot read coverage", err,
	    errlen);
}
