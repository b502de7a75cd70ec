/*
 * store_pack: packed observations (schemas 6 to 8, issue 13).  A host's
 * rows of one batch are one row of obs_blocks: the rows as a compact JSON
 * array (rows), the values side by side in one blob (vals).  This file is the
 * one encoder of that form (store_pack_put()) and its one decoder
 * (store_unpack_next()), and knows nothing of the database: the writer in
 * store.c (store_pack_add(), store_pack_end()) inserts the blocks; the
 * view `observations` (store_sql.c) spells the same form out for the
 * sqlite3 CLI and SQL that wants rows.
 *
 * Each element of rows is one observation, whole (ten values) or short
 * (three to five):
 *   [d, channel, kind, "item", "attr", source, vtype, off, len, seen]
 *   ["item", len, k]         (schema 8) its id the last row's id + 1
 *   [d, "item", len, k]      (schema 8)
 *   [d, "item", off, len, k] (schema 7; read, no longer written)
 * d        its id minus the block's first_id (ids ascend in a block);
 * channel  the schema 5 code (store_chan_codes), or the name as a string;
 * kind     the code of store_kind_codes, or the name;
 * source   null, an oid_prefixes id, or the text;
 * vtype    the schema 5 code (store_vtype_codes), or the name;
 * off, len its value: vals bytes off .. off + len - 1 (any bytes); the
 *          values follow one another in the elements' order, so off is
 *          always the sum of the lengths before it (a short element of
 *          schema 8 leaves it out);
 * seen     seconds after the run's start;
 * k        a whole element before it in the block (its index from 0),
 *          whose channel, kind, attr, source, vtype and seen are this
 *          one's: a walk's column says them once a block, not a row.
 * Strings escape '"', '\\' and bytes below 0x20 as JSON does and keep
 * every other byte as it is.  The encoder writes a short element when
 * one of the block's last STORE_PACK_FULL whole elements has the same
 * fields but for d, the item and the value; the decoder and the view
 * read any k that names a whole element before the row.
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

/* --- the writer ---------------------------------------------------------- */

/*
 * Grows *buf (capacity *cap) to hold need bytes, doubling it (at first,
 * first bytes); 0, or -1 out of memory (*buf and *cap unchanged).
 */
static int
grow_from(char **buf, size_t *cap, size_t need, size_t first)
{
	size_t n = *cap ? *cap : first;
	char *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	p = realloc(*buf, n);
	if (p == NULL)
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

/*
 * A block's buffers, from 512 bytes: a scan builds a block for every host
 * in flight, most of them a few rows (an identity scan's).
 */
static int
grow(char **buf, size_t *cap, size_t need)
{
	return grow_from(buf, cap, need, 512);
}

/*
 * The writer's helpers write at o, in room made by store_pack_put(), and
 * return where the next byte goes: the cursor stays in a register instead
 * of the block's length being stored and read back at every byte.
 */

/* "00" to "99": two digits a step. */
static const char digits2[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* put_int() past 99 and below 0. */
static char * __attribute__((noinline))
put_int_long(char *w, int64_t v)
{
	char *o;
	uint64_t u, t;
	size_t n;

	u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	if (v < 0)
		*w++ = '-';
	/*
	 * Ids and offsets in a block: mostly 3 to 5 digits, written in
	 * 32 bits (its divisions by constants are cheaper).
	 */
	if (u >= 100 && u < 100000) {
		uint32_t x = (uint32_t)u, q;

		if (x >= 10000) {
			q = x / 10000;
			*w++ = (char)('0' + q);
			x -= q * 10000;
			q = x / 100;
			memcpy(w, digits2 + 2 * q, 2);
			w += 2;
		} else {
			q = x / 100;
			if (q < 10)
				*w++ = (char)('0' + q);
			else {
				memcpy(w, digits2 + 2 * q, 2);
				w += 2;
			}
		}
		memcpy(w, digits2 + 2 * (x - 100 * q), 2);
		return w + 2;
	}
	/*
	 * Written in place, from its last digit back (no copy).  Past 99:
	 * offsets in the block's values, ids in the block, mostly 3 to 5
	 * digits.
	 */
	if (u < 1000)
		n = u < 10 ? 1 : u < 100 ? 2 : 3;
	else if (u < 100000)
		n = u < 10000 ? 4 : 5;
	else
		for (t = u / 100000, n = 6; t >= 10; t /= 10)
			n++;
	w += n;
	o = w;
	while (u >= 100) {
		o -= 2;
		memcpy(o, digits2 + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		o -= 2;
		memcpy(o, digits2 + 2 * u, 2);
	} else
		*--o = (char)('0' + u);
	return w;
}

/*
 * Decimal, without printf: a scan writes eight numbers a row, most of them
 * below 100 (codes, offsets within the block, lengths, seconds), so those
 * take one or two stores, no division and no call.
 */
static inline char *
put_int(char *w, int64_t v)
{
	if (v >= 0 && v < 10) {
		*w = (char)('0' + v);
		return w + 1;
	}
	if (v >= 10 && v < 100) {
		memcpy(w, digits2 + 2 * v, 2);
		return w + 2;
	}
	return put_int_long(w, v);
}

/* 1: a byte a JSON string keeps as it is (not NUL, '"', '\\', < 0x20). */
#define PLAIN16	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* '"' */
	PLAIN16, PLAIN16,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* '\\' */
	PLAIN16, PLAIN16,
	PLAIN16, PLAIN16, PLAIN16, PLAIN16, PLAIN16, PLAIN16, PLAIN16, PLAIN16
};
#undef PLAIN16

/* A JSON string: at most 6 bytes a byte, and the quotes. */
static char *
put_str(char *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;

	*o++ = '"';
	for (p = (const unsigned char *)s; ; p++) {
		/* One look-up a byte for the bytes kept as they are. */
		if (plain[*p]) {
			*o++ = (char)*p;
			continue;
		}
		if (*p == '\0')
			break;
		if (*p == '"' || *p == '\\') {
			*o++ = '\\';
			*o++ = (char)*p;
		} else {	/* below 0x20 */
			memcpy(o, "\\u00", 4);
			o[4] = hex[*p >> 4];
			o[5] = hex[*p & 15];
			o += 6;
		}
	}
	*o++ = '"';
	return o;
}

/* A code, or the name when it has none. */
static inline char *
put_code(char *o, int64_t code, const char *name)
{
	if (name != NULL)
		return put_str(o, name);
	return put_int(o, code);
}

/* The code of name in codes (NULL-terminated), or -1 (store_int.h). */
int64_t
store_code_of(const char *const *codes, const char *name)
{
	int64_t i;

	for (i = 0; codes[i] != NULL; i++)
		if (strcmp(codes[i], name) == 0)
			return i;
	return -1;
}

/* The name of code in codes, or NULL. */
static const char *
name_of(const char *const *codes, int64_t code)
{
	int64_t i;

	for (i = 0; codes[i] != NULL; i++)
		if (i == code)
			return codes[i];
	return NULL;
}

static size_t
slen(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

static inline int
fits(const struct store_pack *pk, int64_t run, int64_t host, int64_t id,
    size_t len)
{
	return pk->n == 0 || (run == pk->run && host == pk->host &&
	    id > pk->last && pk->n < STORE_PACK_ROWS &&
	    pk->vlen < STORE_PACK_BYTES &&
	    len <= STORE_PACK_BYTES - pk->vlen);
}

int
store_pack_fits(const struct store_pack *pk, const struct store_packrow *r)
{
	return fits(pk, r->run, r->host, r->id, r->len);
}

int
store_pack_fits_at(const struct store_pack *pk, int64_t run, int64_t host,
    int64_t id, size_t len)
{
	return fits(pk, run, host, id, len);
}

/*
 * A row's bytes around its middle: the block's '[' or ',', the row's '['
 * and ']', four separators, four numbers (d, off, len, seen) of 20 bytes
 * at most, and the block's closing ']'.
 */
#define ROW_FRAME	(16 + 4 * 22)

size_t
store_pack_mid_max(const struct store_packrow *r)
{
	size_t text, names;

	/*
	 * Numbers 20 bytes each; strings 6 bytes a byte at worst, and their
	 * quotes.  The writer's buffer knows the bytes of item, attr and
	 * source (text).
	 */
	text = r->text;
	if (text == 0)
		text = slen(r->item) + slen(r->attr) + slen(r->source_text);
	assert(text >= slen(r->item) + slen(r->attr) + slen(r->source_text));
	names = slen(r->chan_name) + slen(r->vtype_name);
	if (!r->kind_known || r->kind_code < 0)
		names += slen(r->kind);
	return 4 * 22 + 6 * (text + names) + 32;
}

char *
store_pack_mid_head(char *o, const struct store_packrow *r)
{
	int64_t kind;

	o = put_code(o, r->chan, r->chan_name);
	*o++ = ',';
	kind = r->kind_known ? r->kind_code :
	    store_code_of(store_kind_codes, r->kind);
	o = put_code(o, kind, kind < 0 ? r->kind : NULL);
	*o++ = ',';
	return o;
}

char *
store_pack_mid_item(char *o, const char *item)
{
	return put_str(o, item != NULL ? item : "");
}

char *
store_pack_mid_tail(char *o, const struct store_packrow *r)
{
	*o++ = ',';
	o = put_str(o, r->attr);
	*o++ = ',';
	if (r->source == 2)
		o = put_int(o, r->source_id);
	else if (r->source == 1)
		o = put_str(o, r->source_text);
	else {
		memcpy(o, "null", 4);
		o += 4;
	}
	*o++ = ',';
	return put_code(o, r->vtype, r->vtype_name);
}

char *
store_pack_mid(char *o, const struct store_packrow *r)
{
	o = store_pack_mid_head(o, r);
	o = store_pack_mid_item(o, r->item);
	return store_pack_mid_tail(o, r);
}

/*
 * Starts row id in pk, whose room is made: the block's '[' (its first
 * row) or ',', the row's '[', its id after the block's first and ','.
 * Returns where the row's middle goes.
 */
static inline __attribute__((always_inline)) char *
row_head(struct store_pack *pk, int64_t run, int64_t host, int64_t id)
{
	char *o;

	if (pk->n == 0) {
		pk->run = run;
		pk->host = host;
		pk->first = id;
		pk->nfull = 0;
		pk->nfast = 0;
		pk->json[pk->jlen++] = '[';
		pk->next = 0;
	} else {
		pk->json[pk->jlen++] = ',';
		pk->next = id == pk->last + 1;
	}
	pk->last = id;
	o = pk->json + pk->jlen;
	*o++ = '[';
	pk->dat = (size_t)(o - pk->json);
	o = put_int(o, id - pk->first);
	*o++ = ',';
	return o;
}


/*
 * The row whose middle is at m in the block's JSON, hlen bytes of head,
 * ilen of item and tlen of tail: when one of the block's last whole rows
 * has the same head, tail and seen, the row is made short (its item moved
 * to m) and *last is that row's index; else the row stays whole, is
 * remembered, and *last is seen.  Returns where the middle now ends.
 */
static char *
row_mid(struct store_pack *pk, char *m, size_t hlen, size_t ilen,
    size_t tlen, int64_t seen, int64_t *last)
{
	struct store_pack_full *f;
	const char *tail = m + hlen + ilen;
	size_t i, n;

	n = pk->nfull < STORE_PACK_FULL ? pk->nfull : STORE_PACK_FULL;
	for (i = 0; i < n; i++) {
		f = &pk->full[i];
		if (f->seen == seen && f->hlen == hlen && f->tlen == tlen &&
		    store_same_bytes(pk->json + f->tail, tail, tlen) &&
		    store_same_bytes(pk->json + f->head, m, hlen)) {
			/* Its id the last one's next: said by its place. */
			char *to = pk->next ? pk->json + pk->dat : m;

			memmove(to, m + hlen, ilen);
			*last = (int64_t)f->index;
			pk->brief = 1;
			pk->kindex = f->index;
			pk->kslot = i;
			return to + ilen;
		}
	}
	pk->brief = 0;
	pk->kslot = pk->nfull % STORE_PACK_FULL;
	pk->kindex = pk->n;
	f = &pk->full[pk->nfull++ % STORE_PACK_FULL];
	f->head = (size_t)(m - pk->json);
	f->hlen = hlen;
	f->tail = f->head + hlen + ilen;
	f->tlen = tlen;
	f->seen = seen;
	f->index = pk->n;
	*last = seen;
	return m + hlen + ilen + tlen;
}

/*
 * The closing quote of the JSON string whose text starts at p (after its
 * opening quote), or end when there is none; an escaped byte is skipped,
 * and nothing past end is looked at.
 */
static const char *
str_end(const char *p, const char *end)
{
	for (; p < end && *p != '"'; p++)
		if (*p == '\\' && p + 1 < end)
			p++;
	return p;
}

/*
 * Ends the row whose middle ends at o: its value's offset in the block's
 * values and length, then last (seen, or for a short row the index of its
 * whole row) and ']'; the value joins the values -- or, when the row names
 * a value stored once (vref, its obs_values id, schema 9), that id negated
 * where the length goes, and nothing joins them.
 */
static inline __attribute__((always_inline)) void
row_tail(struct store_pack *pk, char *o, const void *value, size_t len,
    int64_t vref, int64_t last)
{
	/* A short row's value follows the last one's: no offset. */
	if (!pk->brief) {
		*o++ = ',';
		o = put_int(o, (int64_t)pk->vlen);
	}
	*o++ = ',';
	if (vref > 0) {
		o = put_int(o, -vref);
		len = 0;
	} else
		o = put_int(o, (int64_t)len);
	*o++ = ',';
	o = put_int(o, last);
	*o++ = ']';
	pk->jlen = (size_t)(o - pk->json);
	if (len > 0)
		memcpy(pk->vals + pk->vlen, value, len);
	pk->vlen += len;
	pk->n++;
}

char *
store_pack_row_begin(struct store_pack *pk, int64_t run, int64_t host,
    int64_t id, size_t mid, size_t len)
{
	if (grow(&pk->json, &pk->jcap, pk->jlen + ROW_FRAME + mid) == -1 ||
	    grow(&pk->vals, &pk->vcap, pk->vlen + len) == -1)
		return NULL;
	return row_head(pk, run, host, id);
}

void
store_pack_row_end(struct store_pack *pk, char *m, size_t hlen,
    size_t ilen, size_t tlen, const void *value, size_t len, int64_t vref,
    int64_t seen)
{
	char *o;
	int64_t last;

	o = row_mid(pk, m, hlen, ilen, tlen, seen, &last);
	row_tail(pk, o, value, len, vref, last);
}

int
store_pack_put(struct store_pack *pk, const struct store_packrow *r,
    char *err, size_t errlen)
{
	char *m, *h, *i, *o;

	if (!fits(pk, r->run, r->host, r->id, r->len))
		return errf(err, errlen, "observation %lld does not belong "
		    "to the block being packed", (long long)r->id);
	m = store_pack_row_begin(pk, r->run, r->host, r->id,
	    store_pack_mid_max(r), r->len);
	if (m == NULL)
		return errf(err, errlen, "out of memory");
	h = store_pack_mid_head(m, r);
	i = store_pack_mid_item(h, r->item);
	o = store_pack_mid_tail(i, r);
	store_pack_row_end(pk, m, (size_t)(h - m), (size_t)(i - h),
	    (size_t)(o - i), r->value, r->len, 0, r->seen);
	return 0;
}

void
store_pack_fast_note(struct store_pack *pk, uint64_t gen, int64_t seen)
{
	struct store_pack_fast *f;
	size_t i, n;

	n = pk->nfast < STORE_PACK_FAST ? pk->nfast : STORE_PACK_FAST;
	for (i = 0; i < n; i++)
		if (pk->fast[i].gen == gen && pk->fast[i].seen == seen)
			break;
	f = i < n ? &pk->fast[i] : &pk->fast[pk->nfast++ % STORE_PACK_FAST];
	f->gen = gen;
	f->seen = seen;
	f->index = pk->kindex;
	f->slot = pk->kslot;
}

int64_t
store_pack_fast_find(const struct store_pack *pk, uint64_t gen,
    int64_t seen)
{
	const struct store_pack_fast *f;
	size_t i, n;

	if (pk->n == 0)
		return -1;
	n = pk->nfast < STORE_PACK_FAST ? pk->nfast : STORE_PACK_FAST;
	for (i = 0; i < n; i++) {
		f = &pk->fast[i];
		/*
		 * row_mid() would name the ring's whole row of these bytes
		 * and seen; while the slot holds it, it is that row.
		 */
		if (f->gen == gen && f->seen == seen &&
		    pk->full[f->slot].index == f->index)
			return (int64_t)f->index;
	}
	return -1;
}

int
store_pack_row_short(struct store_pack *pk, int64_t id, const char *item,
    size_t ilen, const void *value, size_t len, int64_t vref, int64_t k)
{
	char *o;

	if (grow(&pk->json, &pk->jcap, pk->jlen + ROW_FRAME + 2 + 6 * ilen) ==
	    -1 || grow(&pk->vals, &pk->vcap, pk->vlen + len) == -1)
		return -1;
	/* What row_head(), row_mid() and row_tail() write for it. */
	o = pk->json + pk->jlen;
	*o++ = ',';
	*o++ = '[';
	pk->next = id == pk->last + 1;
	if (!pk->next) {
		o = put_int(o, id - pk->first);
		*o++ = ',';
	}
	pk->last = id;
	o = put_str(o, item);
	pk->brief = 1;
	row_tail(pk, o, value, len, vref, k);
	return 0;
}

void
store_pack_close(struct store_pack *pk)
{
	if (pk->n > 0)
		pk->json[pk->jlen++] = ']';
}

/* --- bytes kept: a merge's blocks, and the store's (store_int.h) -------- */

int
store_dstr_room(struct store_dstr *b, size_t n, size_t first)
{
	if (n > SIZE_MAX - b->used)
		return -1;
	return grow_from(&b->p, &b->cap, b->used + n, first);
}

int
store_pack_keep(struct store_pack *pk, struct store_keep *kp)
{
	struct store_pack_kept *k;
	struct store_dstr *b = &kp->kbuf;

	assert(pk->n > 0 && kp->nkept < STORE_BLOCK_GROUP);
	store_pack_close(pk);
	if (store_dstr_room(b, pk->jlen + pk->vlen, 16384) == -1) {
		store_pack_drop(pk);
		store_keep_drop(kp);
		return -1;
	}
	k = &kp->kept[kp->nkept++];
	k->run = pk->run;
	k->host = pk->host;
	k->first = pk->first;
	k->last = pk->last;
	k->json = b->used;
	k->jlen = pk->jlen;
	memcpy(b->p + b->used, pk->json, pk->jlen);
	b->used += pk->jlen;
	k->vals = b->used;
	k->vlen = pk->vlen;
	if (pk->vlen > 0)
		memcpy(b->p + b->used, pk->vals, pk->vlen);
	b->used += pk->vlen;
	store_pack_drop(pk);
	return 0;
}

void
store_pack_drop(struct store_pack *pk)
{
	pk->n = 0;
	pk->jlen = 0;
	pk->vlen = 0;
}

void
store_pack_free(struct store_pack *pk)
{
	store_pack_drop(pk);
	free(pk->json);
	free(pk->vals);
	pk->json = NULL;
	pk->vals = NULL;
	pk->jcap = pk->vcap = 0;
}

void
store_keep_drop(struct store_keep *kp)
{
	kp->nkept = 0;
	kp->kbuf.used = 0;
}

void
store_keep_free(struct store_keep *kp)
{
	store_keep_drop(kp);
	free(kp->kbuf.p);
	kp->kbuf.p = NULL;
	kp->kbuf.cap = 0;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/*
 * A row of a select list of schema 5 observation columns, starting at
 * column at: run_id, host_id, id, channel, kind, item, attr, source,
 * vtype, value, seen.  Borrowed from st until its next step.
 */
void
store_packrow_from(sqlite3_stmt *st, int at, struct store_packrow *r)
{
	memset(r, 0, sizeof(*r));
	r->run = sqlite3_column_int64(st, at);
	r->host = sqlite3_column_int64(st, at + 1);
	r->id = sqlite3_column_int64(st, at + 2);
	if (sqlite3_column_type(st, at + 3) == SQLITE_INTEGER)
		r->chan = sqlite3_column_int64(st, at + 3);
	else
		r->chan_name = col_text(st, at + 3);
	if (r->chan_name == NULL && sqlite3_column_type(st, at + 3) !=
	    SQLITE_INTEGER)
		r->chan_name = "";
	r->kind = col_text(st, at + 4);
	r->item = col_text(st, at + 5);
	r->attr = col_text(st, at + 6);
	switch (sqlite3_column_type(st, at + 7)) {
	case SQLITE_NULL:
		break;
	case SQLITE_INTEGER:
		r->source = 2;
		r->source_id = sqlite3_column_int64(st, at + 7);
		break;
	default:
		r->source = 1;
		r->source_text = col_text(st, at + 7);
		break;
	}
	if (sqlite3_column_type(st, at + 8) == SQLITE_INTEGER)
		r->vtype = sqlite3_column_int64(st, at + 8);
	else {
		r->vtype_name = col_text(st, at + 8);
		if (r->vtype_name == NULL)
			r->vtype_name = "";
	}
	r->value = sqlite3_column_blob(st, at + 9);
	r->len = (size_t)sqlite3_column_bytes(st, at + 9);
	r->seen = sqlite3_column_int64(st, at + 10);
	if (r->kind == NULL)
		r->kind = "";
	if (r->attr == NULL)
		r->attr = "";
	if (r->source == 1 && r->source_text == NULL)
		r->source = 0;
}

/* --- the decoder --------------------------------------------------------- */

static int
bad(struct store_unpack *u, const char *what, char *err, size_t errlen)
{
	/* A row that could not be read for want of memory is not bad. */
	return errf(err, errlen, "block of observations at id %lld, row "
	    "%zu: %s", (long long)u->first, u->row + 1, u->oom ?
	    "out of memory" : what);
}

static void
skip_ws(struct store_unpack *u)
{
	while (u->p < u->end && (*u->p == ' ' || *u->p == '\t' ||
	    *u->p == '\n' || *u->p == '\r'))
		u->p++;
}

/* Consumes c (after white space), or fails. */
static int
expect(struct store_unpack *u, char c)
{
	skip_ws(u);
	if (u->p >= u->end || *u->p != c)
		return -1;
	u->p++;
	return 0;
}

/* An integer (no fraction, no exponent, at most 18 digits). */
static int
get_int(struct store_unpack *u, int64_t *v)
{
	int neg = 0, nd = 0;
	int64_t x = 0;

	skip_ws(u);
	if (u->p < u->end && *u->p == '-') {
		neg = 1;
		u->p++;
	}
	while (u->p < u->end && *u->p >= '0' && *u->p <= '9') {
		if (++nd > 18)
			return -1;
		x = x * 10 + (*u->p - '0');
		u->p++;
	}
	if (nd == 0 || (u->p < u->end && (*u->p == '.' || *u->p == 'e' ||
	    *u->p == 'E')))
		return -1;
	*v = neg ? -x : x;
	return 0;
}

/*
 * A string, unescaped into u->buf at *off (NUL-terminated).  \u0000 is
 * refused (the fields are C strings); other escapes are JSON's, a \u
 * code point written as UTF-8.
 */
static int
get_str(struct store_unpack *u, size_t *off)
{
	const char *q;
	unsigned cp;
	int i, h;

	skip_ws(u);
	if (u->p >= u->end || *u->p != '"')
		return -1;
	u->p++;
	/* Unescaped, a string is never longer than its JSON. */
	q = str_end(u->p, u->end);
	if (q >= u->end)
		return -1;
	if (grow(&u->buf, &u->cap, u->used + (size_t)(q - u->p) + 1) == -1) {
		u->oom = 1;
		return -1;
	}
	*off = u->used;
	while (u->p < q) {
		char c = *u->p++;

		if (c != '\\') {
			u->buf[u->used++] = c;
			continue;
		}
		c = *u->p++;
		switch (c) {
		case '"': case '\\': case '/':
			u->buf[u->used++] = c;
			break;
		case 'b': u->buf[u->used++] = '\b'; break;
		case 'f': u->buf[u->used++] = '\f'; break;
		case 'n': u->buf[u->used++] = '\n'; break;
		case 'r': u->buf[u->used++] = '\r'; break;
		case 't': u->buf[u->used++] = '\t'; break;
		case 'u':
			if (q - u->p < 4)
				return -1;
			for (cp = 0, i = 0; i < 4; i++) {
				h = hex_digit((unsigned char)*u->p++);
				if (h < 0)
					return -1;
				cp = cp << 4 | (unsigned)h;
			}
			if (cp == 0)
				return -1;
			/* At most 3 bytes, and "\uXXXX" is 6. */
			if (cp < 0x80)
				u->buf[u->used++] = (char)cp;
			else if (cp < 0x800) {
				u->buf[u->used++] = (char)(0xc0 | cp >> 6);
				u->buf[u->used++] = (char)(0x80 | (cp & 63));
			} else {
				u->buf[u->used++] = (char)(0xe0 | cp >> 12);
				u->buf[u->used++] = (char)(0x80 |
				    (cp >> 6 & 63));
				u->buf[u->used++] = (char)(0x80 | (cp & 63));
			}
			break;
		default:
			return -1;
		}
	}
	u->buf[u->used++] = '\0';
	u->p = q + 1;
	return 0;
}

/* A code or a name: *name_off (size_t)-1 for a code. */
static int
get_code(struct store_unpack *u, int64_t *code, size_t *name_off)
{
	skip_ws(u);
	*name_off = (size_t)-1;
	if (u->p < u->end && *u->p == '"')
		return get_str(u, name_off);
	return get_int(u, code);
}

void
store_unpack_init(struct store_unpack *u, int64_t first, const char *rows,
    size_t len, const void *vals, size_t vlen)
{
	u->first = first;
	u->text = u->p = rows != NULL ? rows : "";
	u->end = u->p + (rows != NULL ? len : 0);
	u->vals = vals != NULL ? vals : "";
	u->vlen = vals != NULL ? vlen : 0;
	u->row = 0;
	u->state = 0;
	u->oom = 0;
	u->next_d = 0;
	u->next_off = 0;
}

void
store_unpack_free(struct store_unpack *u)
{
	free(u->buf);
	free(u->at);
	u->buf = NULL;
	u->at = NULL;
	u->cap = u->used = u->atcap = 0;
}

/*
 * The values of the element at p (its '['), counted by its commas outside
 * strings: 0 when it does not end or holds an array.
 */
static size_t
element_values(const char *p, const char *end)
{
	size_t n = 1;

	for (p++; p < end; p++) {
		if (*p == '"') {
			p = str_end(p + 1, end);
			if (p >= end)
				return 0;
		} else if (*p == ',')
			n++;
		else if (*p == ']')
			return n;
		else if (*p == '[')
			return 0;
	}
	return 0;
}

/*
 * A whole element at u->p: r's channel, kind, attr, source, vtype and
 * seen (strings in u->buf), *d, *item (an offset in u->buf), *off and
 * *len.  NULL, or what is wrong.
 */
static const char *
whole_row(struct store_unpack *u, struct store_packrow *r, int64_t *d,
    size_t *item, int64_t *off, int64_t *len)
{
	size_t kn, attr, src = 0, cn, vn;
	int64_t kind = -1;

	if (expect(u, '[') == -1 || get_int(u, d) == -1 ||
	    expect(u, ',') == -1 || get_code(u, &r->chan, &cn) == -1 ||
	    expect(u, ',') == -1 || get_code(u, &kind, &kn) == -1 ||
	    expect(u, ',') == -1 || get_str(u, item) == -1 ||
	    expect(u, ',') == -1 || get_str(u, &attr) == -1 ||
	    expect(u, ',') == -1)
		return "not an observation";
	skip_ws(u);
	if (u->end - u->p >= 4 && memcmp(u->p, "null", 4) == 0) {
		u->p += 4;
		r->source = 0;
	} else if (u->p < u->end && *u->p == '"') {
		if (get_str(u, &src) == -1)
			return "not an observation";
		r->source = 1;
	} else if (get_int(u, &r->source_id) == -1)
		return "not an observation";
	else
		r->source = 2;
	if (expect(u, ',') == -1 || get_code(u, &r->vtype, &vn) == -1 ||
	    expect(u, ',') == -1 || get_int(u, off) == -1 ||
	    expect(u, ',') == -1 || get_int(u, len) == -1 ||
	    expect(u, ',') == -1 || get_int(u, &r->seen) == -1 ||
	    expect(u, ']') == -1)
		return "not an observation";
	/* The strings are all in u->buf now: pointers are stable. */
	if (kn != (size_t)-1)
		r->kind = u->buf + kn;
	else {
		r->kind = name_of(store_kind_codes, kind);
		if (r->kind == NULL)
			return "an unknown kind";
	}
	r->attr = u->buf + attr;
	r->source_text = r->source == 1 ? u->buf + src : NULL;
	r->chan_name = cn != (size_t)-1 ? u->buf + cn : NULL;
	r->vtype_name = vn != (size_t)-1 ? u->buf + vn : NULL;
	return NULL;
}

int
store_unpack_next(struct store_unpack *u, struct store_packrow *r,
    char *err, size_t errlen)
{
	const char *why, *at;
	size_t item, wi, nv;
	int64_t d, off, len, k, wd, wo, wl;

	memset(r, 0, sizeof(*r));
	u->used = 0;
	if (u->state == 0) {
		if (expect(u, '[') == -1)
			return bad(u, "not a JSON array", err, errlen);
		skip_ws(u);
		if (u->p < u->end && *u->p == ']') {
			u->p++;
			u->state = 2;
		} else
			u->state = 1;
	} else if (u->state == 1) {
		skip_ws(u);
		if (u->p < u->end && *u->p == ']') {
			u->p++;
			u->state = 2;
		} else if (expect(u, ',') == -1)
			return bad(u, "a ',' or ']' expected", err, errlen);
	}
	if (u->state == 2) {
		skip_ws(u);
		if (u->p != u->end)
			return bad(u, "text after the rows", err, errlen);
		return 0;
	}
	skip_ws(u);
	if (u->row >= u->atcap) {
		size_t cap = u->atcap ? u->atcap * 2 : 256;
		size_t *na;

		if (cap > SIZE_MAX / sizeof(*na) ||
		    (na = realloc(u->at, cap * sizeof(*na))) == NULL) {
			u->oom = 1;
			return bad(u, "out of memory", err, errlen);
		}
		u->at = na;
		u->atcap = cap;
	}
	nv = element_values(u->p, u->end);
	if (nv < 3 || nv > 5) {
		/* Whole (or not an observation at all). */
		u->at[u->row] = (size_t)(u->p - u->text);
		if ((why = whole_row(u, r, &d, &item, &off, &len)) != NULL)
			return bad(u, why, err, errlen);
	} else {
		/*
		 * Short: [d, "item", off, len, k]; since schema 8 the offset
		 * is the next one, [d, "item", len, k], and so is the id
		 * when it is the next one, ["item", len, k].
		 */
		u->at[u->row] = SIZE_MAX;
		d = u->next_d;
		off = u->next_off;
		if (expect(u, '[') == -1 ||
		    (nv > 3 && (get_int(u, &d) == -1 ||
		    expect(u, ',') == -1)) ||
		    get_str(u, &item) == -1 ||
		    (nv == 5 && (expect(u, ',') == -1 ||
		    get_int(u, &off) == -1)) ||
		    expect(u, ',') == -1 || get_int(u, &len) == -1 ||
		    expect(u, ',') == -1 || get_int(u, &k) == -1 ||
		    expect(u, ']') == -1)
			return bad(u, "not an observation", err, errlen);
		if (k < 0 || (uint64_t)k >= u->row ||
		    u->at[k] == SIZE_MAX)
			return bad(u, "a short row whose whole row is not "
			    "before it", err, errlen);
		/*
		 * The rest from its whole row, read again (its id, item and
		 * value, wd .. wl, are not this row's).
		 */
		at = u->p;
		u->p = u->text + u->at[k];
		why = whole_row(u, r, &wd, &wi, &wo, &wl);
		u->p = at;
		if (why != NULL)
			return bad(u, why, err, errlen);
	}
	/* A value stored once (schema 9): its id, negated. */
	r->vref = 0;
	if (len < 0) {
		r->vref = -len;	/* get_int() reads 18 digits at most */
		len = 0;
	}
	if (d < 0 || off < 0 || (uint64_t)off > u->vlen ||
	    (uint64_t)len > u->vlen - (uint64_t)off)
		return bad(u, "an id or a value out of range", err, errlen);
	r->id = u->first + d;
	r->item = u->buf + item;
	r->value = u->vals + off;
	r->len = (size_t)len;
	u->next_d = d + 1;
	u->next_off = off + len;
	u->row++;
	return 1;
}
