/*
 * store_values: values stored once a database (schema 9).  A scan's
 * caller names the values that repeat (a software name on many hosts) by
 * a key of its own -- the matcher's memo already found them equal, byte
 * for byte (match_memo_key()) -- and such a row names its value's row in
 * obs_values instead of holding the bytes in its block (store_pack.c
 * writes the id, negated, where the length goes).  Here: the writer's
 * keys to ids, the new values that go in before the blocks that name
 * them, and a reader's values read back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

/* A value read back: where its bytes are in the cache's buffer. */
struct store_vslot {
	int64_t		 id;		/* 0: empty */
	size_t		 off, len;
};

struct store_vcache {
	struct store_vslot slot[STORE_VCACHE];
	unsigned char	*buf;
	size_t		 used;
	/* A value too large for the buffer, on its own. */
	struct store_dstr big;
};

/* Every value read forgotten. */
static void
vcache_clear(struct store_vcache *c)
{
	memset(c->slot, 0, sizeof(c->slot));
	c->used = 0;
}

static size_t
key_slot(uint64_t key)
{
	return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) &
	    (STORE_VKEYS - 1);
}

/* The next id obs_values will take: 0, or -1 with a message. */
static int
next_id(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t next;

	if ((st = store_stmt(s, ST_VALUE_NEXT, err, errlen)) == NULL ||
	    store_step_one(s, st, &next, NULL, "cannot store a value", err,
	    errlen) == -1)
		return -1;
	s->vnext = next;
	return 0;
}

/* Room for one more pending value of len bytes: 0, or -1 (ENOMEM). */
static int
pending_room(struct store *s, size_t len)
{
	if (array_grow(&s->vlens, s->nvlens, &s->vlens_cap,
	    sizeof(*s->vlens)) == -1)
		return -1;
	return store_dstr_room(&s->vbuf, len, 65536);
}

/*
 * The keys' epochs, process-wide: a store's keys start over (a full map,
 * a lost batch) under a number no store of the process had lately, so
 * that a reference its caller kept from before is looked up again.
 */
static uint32_t vepochs;

static void
new_epoch(struct store *s)
{
	s->vepoch = __atomic_add_fetch(&vepochs, 1, __ATOMIC_RELAXED) &
	    STORE_VEPOCH_MASK;
	s->vbase = 0;
}

int
store_value_ref(struct store *s, uint64_t key, const void *value,
    size_t len, uint32_t *hint, int64_t *ref, char *err, size_t errlen)
{
	struct store_vkey *k;
	uint32_t at;
	size_t i;

	*ref = 0;
	if (key == 0 || len < STORE_VALUE_MIN || len > UINT32_MAX)
		return 0;
	/* The caller's reference, while the epoch that gave it lasts. */
	if (hint != NULL && *hint != 0 && s->vbase != 0 &&
	    *hint >> STORE_VPLACE_BITS == s->vepoch) {
		at = *hint & ((1u << STORE_VPLACE_BITS) - 1);
		if (at >= 1 && s->vbase + at - 1 < s->vnext) {
			*ref = s->vbase + at - 1;
			return 0;
		}
	}
	if (s->vkeys == NULL) {
		if ((s->vkeys = calloc(STORE_VKEYS, sizeof(*s->vkeys))) ==
		    NULL)
			return 0;	/* the value goes in its block */
		new_epoch(s);
	}
	for (i = key_slot(key); s->vkeys[i].key != 0;
	    i = (i + 1) & (STORE_VKEYS - 1))
		if (s->vkeys[i].key == key) {
			*ref = s->vkeys[i].id;
			goto found;
		}
	if (s->vnext == 0 && next_id(s, err, errlen) == -1)
		return -1;
	if (pending_room(s, len) == -1)
		return 0;
	if (s->nvkeys >= STORE_VKEYS_MAX) {
		/* Full: the keys start over (their values stay stored). */
		memset(s->vkeys, 0, STORE_VKEYS * sizeof(*s->vkeys));
		s->nvkeys = 0;
		new_epoch(s);
		for (i = key_slot(key); s->vkeys[i].key != 0;
		    i = (i + 1) & (STORE_VKEYS - 1))
			;
	}
	if (s->vbase == 0)
		s->vbase = s->vnext;
	k = &s->vkeys[i];
	k->key = key;
	k->id = s->vnext++;
	s->nvkeys++;
	if (s->nvlens == 0)
		s->vfirst = k->id;
	memcpy(s->vbuf.p + s->vbuf.used, value, len);
	s->vbuf.used += len;
	s->vlens[s->nvlens++] = (uint32_t)len;
	*ref = k->id;
found:
	if (hint != NULL)
		*hint = s->vepoch << STORE_VPLACE_BITS |
		    (uint32_t)(*ref - s->vbase + 1);
	return 0;
}

int
store_values_flush(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	size_t i, j, m, at = 0;
	int rc;

	for (i = 0; i < s->nvlens; i += m) {
		m = s->nvlens - i >= STORE_BLOCK_GROUP ? STORE_BLOCK_GROUP : 1;
		st = store_stmt(s, m > 1 ? ST_VALUE_INSERT_MANY :
		    ST_VALUE_INSERT, err, errlen);
		if (st == NULL)
			return -1;
		for (j = 0; j < m; j++) {
			sqlite3_bind_int64(st, (int)(2 * j + 1),
			    s->vfirst + (int64_t)(i + j));
			sqlite3_bind_blob(st, (int)(2 * j + 2), s->vbuf.p + at,
			    (int)s->vlens[i + j], SQLITE_STATIC);
			at += s->vlens[i + j];
		}
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			store_dberr(s, "cannot store a value", err, errlen);
			return store_done(st, -1);
		}
		store_done(st, 0);
	}
	s->nvlens = 0;
	s->vbuf.used = 0;
	return 0;
}

void
store_values_forget(struct store *s)
{
	if (s->vkeys != NULL) {
		memset(s->vkeys, 0, STORE_VKEYS * sizeof(*s->vkeys));
		new_epoch(s);
	}
	if (s->vcache != NULL)
		vcache_clear(s->vcache);
	s->nvkeys = 0;
	s->vnext = 0;
	s->nvlens = 0;
	s->vbuf.used = 0;
}

void
store_values_free(struct store *s)
{
	free(s->vkeys);
	free(s->vbuf.p);
	free(s->vlens);
	store_vcache_free(s->vcache);
	s->vkeys = NULL;
	s->vbuf.p = NULL;
	s->vlens = NULL;
	s->vcache = NULL;
	s->vbuf.cap = s->vlens_cap = 0;
	store_values_forget(s);
}

void
store_vcache_free(struct store_vcache *c)
{
	if (c != NULL) {
		free(c->buf);
		free(c->big.p);
		free(c);
	}
}

int
store_value_get(struct store *s, sqlite3_stmt *st, struct store_vcache **cp,
    const char *path, int64_t id, const void **value, size_t *len, char *err,
    size_t errlen)
{
	struct store_vcache *c = *cp;
	struct store_vslot *v;
	const void *b;
	size_t n;
	int rc;

	if (c == NULL) {
		if ((c = calloc(1, sizeof(*c))) == NULL ||
		    (c->buf = malloc(STORE_VCACHE_BYTES)) == NULL) {
			free(c);
			return errf(err, errlen, "out of memory");
		}
		*cp = c;
	}
	v = &c->slot[(size_t)id & (STORE_VCACHE - 1)];
	if (v->id == id) {
		*value = c->buf + v->off;
		*len = v->len;
		return 0;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (store_step_end(s, st, rc, "cannot read a value", err,
		    errlen) == -1)
			return -1;
		return errf(err, errlen, "%s: a row names value %lld stored "
		    "once, which is not in the database", path, (long long)id);
	}
	b = sqlite3_column_blob(st, 0);
	n = (size_t)sqlite3_column_bytes(st, 0);
	if (n > STORE_VCACHE_BYTES) {
		/* Kept apart, until the next call. */
		if (store_dstr_room(&c->big, n, n) == -1) {
			store_done(st, 0);
			return errf(err, errlen, "out of memory");
		}
		memcpy(c->big.p, b, n);
		store_done(st, 0);
		*value = c->big.p;
		*len = n;
		return 0;
	}
	if (STORE_VCACHE_BYTES - c->used < n)
		vcache_clear(c);
	v->id = id;
	v->off = c->used;
	v->len = n;
	if (n > 0)
		memcpy(c->buf + c->used, b, n);
	c->used += n;
	store_done(st, 0);
	*value = c->buf + v->off;
	*len = n;
	return 0;
}
