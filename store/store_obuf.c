/*
 * store_obuf: the writer's observation buffer and its packed blocks.  A
 * scan's observations wait in the buffer (store_observation(),
 * store_data.c), their middles packed as they come (store_pack.c encodes
 * them), until the batch is flushed: then they are sorted into per-host
 * segments, put host by host into blocks and each block inserted with
 * one statement.  The
 * observation ids are read at open, saved with each batch and forgotten
 * when a batch is lost (store_int.h).  Opening, the statement cache and
 * the batch transaction are store.c's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "util.h"

/* Binds a block's six parameters from p on (ST_BLOCK_INSERT's order). */
static void
bind_block(sqlite3_stmt *st, int p, int64_t run, int64_t host,
    int64_t first, int64_t last, const char *json, size_t jlen,
    const char *vals, size_t vlen)
{
	sqlite3_bind_int64(st, p, run);
	sqlite3_bind_int64(st, p + 1, host);
	sqlite3_bind_int64(st, p + 2, first);
	sqlite3_bind_int64(st, p + 3, last);
	sqlite3_bind_text64(st, p + 4, json, jlen, SQLITE_STATIC,
	    SQLITE_UTF8);
	/* A zero-length blob, not NULL, when every value is empty. */
	sqlite3_bind_blob64(st, p + 5, vlen > 0 ? vals : "", vlen,
	    SQLITE_STATIC);
}

/* Steps st, a block insert; 0, or -1 with a message. */
static int
block_step(struct store *s, sqlite3_stmt *st, char *err, size_t errlen)
{
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot record observations", err, errlen);
		return store_done(st, -1);
	}
	return store_done(st, 0);
}

/*
 * The blocks kept, in their order: a whole group with one statement,
 * fewer a statement each.  On a failure every block is dropped.
 */
static int
write_kept(struct store *s, char *err, size_t errlen)
{
	struct store_pack *pk = &s->pack;
	const struct store_pack_kept *k;
	sqlite3_stmt *st;
	size_t i = 0, j, n;

	while (i < pk->nkept) {
		n = pk->nkept - i == STORE_BLOCK_GROUP ? STORE_BLOCK_GROUP : 1;
		st = store_stmt(s, n > 1 ? ST_BLOCK_INSERT_MANY :
		    ST_BLOCK_INSERT, err, errlen);
		if (st == NULL)
			goto fail;
		for (j = 0; j < n; j++) {
			k = &pk->kept[i + j];
			bind_block(st, 6 * (int)j + 1, k->run, k->host,
			    k->first, k->last, pk->kbuf + k->json, k->jlen,
			    pk->kbuf + k->vals, k->vlen);
		}
		if (block_step(s, st, err, errlen) == -1)
			goto fail;
		i += n;
	}
	pk->nkept = 0;
	pk->kused = 0;
	return 0;
fail:
	store_pack_drop(pk);
	return -1;
}

/*
 * Ends the block being built (store_pack.c encodes it): kept to go in
 * with the next ones, STORE_BLOCK_GROUP a statement, or, larger than
 * STORE_BLOCK_KEEP_MAX, written at once after those kept (not copied).
 * With all, every block kept is written too.
 */
static int
block_end(struct store *s, int all, char *err, size_t errlen)
{
	struct store_pack *pk = &s->pack;
	sqlite3_stmt *st;

	if (pk->n > 0 && pk->jlen + pk->vlen > STORE_BLOCK_KEEP_MAX) {
		if (write_kept(s, err, errlen) == -1)
			return -1;
		store_pack_close(pk);
		st = store_stmt(s, ST_BLOCK_INSERT, err, errlen);
		if (st == NULL) {
			store_pack_drop(pk);
			return -1;
		}
		bind_block(st, 1, pk->run, pk->host, pk->first, pk->last,
		    pk->json, pk->jlen, pk->vals, pk->vlen);
		pk->n = pk->jlen = pk->vlen = 0;
		if (block_step(s, st, err, errlen) == -1) {
			store_pack_drop(pk);
			return -1;
		}
	} else if (pk->n > 0 && store_pack_keep(pk) == -1)
		return errf(err, errlen, "%s: cannot record observations: "
		    "out of memory", s->path);
	if (all || pk->nkept == STORE_BLOCK_GROUP)
		return write_kept(s, err, errlen);
	return 0;
}

/*
 * The writer of packed blocks (store_pack.c encodes them): a row joins
 * the block being built, which is ended first when the row cannot join
 * it (store_int.h).
 */
int
store_pack_end(struct store *s, char *err, size_t errlen)
{
	return block_end(s, 1, err, errlen);
}

int
store_pack_add(struct store *s, const struct store_packrow *r, char *err,
    size_t errlen)
{
	if (!store_pack_fits(&s->pack, r) &&
	    block_end(s, 0, err, errlen) == -1)
		return -1;
	return store_pack_put(&s->pack, r, err, errlen);
}

/* The writer's observation ids (schema 5): read at open, saved with each
   batch, forgotten at close (store_int.h). */
int
store_obs_load(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t next;

	st = store_stmt(s, ST_OBS_SEQ_GET, err, errlen);
	if (st == NULL || store_step_one(s, st, &next, NULL,
	    "cannot read the observation ids", err, errlen) == -1)
		return -1;
	if (next < 1)
		next = 1;
	if (next > s->obs_next)
		s->obs_next = next;
	s->obs_saved = next;
	return 0;
}

int
store_obs_save(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;

	if (s->obs_next <= s->obs_saved)
		return 0;
	st = store_stmt(s, ST_OBS_SEQ_SAVE, err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, s->obs_next);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_dberr(s, "cannot save the observation ids", err, errlen);
		return store_done(st, -1);
	}
	s->obs_saved = s->obs_next;
	return store_done(st, 0);
}

/* --- the writer's buffer of observations (store_int.h) ------------------ */

int
store_dstr_room(struct store_dstr *b, size_t n, size_t first)
{
	size_t cap;
	char *p;

	if (b->cap - b->used >= n)
		return 0;
	cap = b->cap ? b->cap : first;
	while (cap - b->used < n) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (p == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/*
 * Key order of two runs of rows: run, host, then the first id (rows are
 * buffered in id order, so a run's start index orders its ids).
 */
static int
cmp_oseg(const void *a, const void *b)
{
	const struct store_obuf_seg *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Write order of two runs of rows: the hosts in the order their first
 * rows came (each host's first start is its own), then the runs of a
 * host in id order.
 */
static int
cmp_oseg_first(const void *a, const void *b)
{
	const struct store_obuf_seg *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * The buffer's runs of consecutive rows of one (run, host) into s->oseg,
 * in the order the flush writes them; their count, or -1 out of memory.
 * Rows of the hosts in flight arrive a GETBULK at a time, so there are
 * far fewer runs than rows, and sorting the runs puts each host's rows
 * together, in id order, without moving them.  The hosts then go in the
 * order their first rows came, not by host id: a host's block takes the
 * id of its first row, and obs_blocks is keyed by it, so each insert
 * appends to the table's b-tree (SQLite splits a full last page cheaply
 * then, where an insert before the end redistributes three pages).
 */
static ssize_t
obuf_segments(struct store *s)
{
	const struct store_obuf_row *b = s->obuf;
	struct store_obuf_seg *sg;
	size_t i, n = 0;

	for (i = 0; i < s->obuf_n; i++) {
		if (i > 0 && b[i].run == b[i - 1].run &&
		    b[i].host == b[i - 1].host) {
			s->oseg[n - 1].end = i + 1;
			continue;
		}
		if (n == s->oseg_cap) {
			size_t nc = s->oseg_cap ? s->oseg_cap * 2 : 256;
			struct store_obuf_seg *v = reallocarray(s->oseg, nc,
			    sizeof(*v));

			if (v == NULL)
				return -1;
			s->oseg = v;
			s->oseg_cap = nc;
		}
		s->oseg[n].run = b[i].run;
		s->oseg[n].host = b[i].host;
		s->oseg[n].start = i;
		s->oseg[n].end = i + 1;
		n++;
	}
	sg = s->oseg;
	qsort(sg, n, sizeof(*sg), cmp_oseg);
	for (i = 0; i < n; i++)
		sg[i].first = i > 0 && sg[i].run == sg[i - 1].run &&
		    sg[i].host == sg[i - 1].host ? sg[i - 1].first :
		    sg[i].start;
	qsort(sg, n, sizeof(*sg), cmp_oseg_first);
	return (ssize_t)n;
}

/*
 * Adds buffered row b to the block, ending the block first when b cannot
 * join it (block_end(): kept, to go in STORE_BLOCK_GROUP a statement):
 * its middle, packed when it came, is copied (store_obuf_row).
 */
static int
obuf_pack(struct store *s, const struct store_obuf_row *b, char *err,
    size_t errlen)
{
	const char *mid = s->obuf_str.p + b->off;

	if (!store_pack_fits_at(&s->pack, b->run, b->host, b->id, b->vlen) &&
	    block_end(s, 0, err, errlen) == -1)
		return -1;
	return store_pack_put_mid(&s->pack, b->run, b->host, b->id, mid,
	    b->mlen, b->hlen, b->ilen, mid + b->mlen, b->vlen, b->seen, err,
	    errlen);
}

int
store_obs_flush(struct store *s, char *err, size_t errlen)
{
	ssize_t nseg;
	size_t g, i;
	int rc = 0;

	if (s->obuf_n == 0 || s->obuf_busy)
		return 0;
	/* Middles and values stay where they are: rows point at them. */
	nseg = obuf_segments(s);
	if (nseg == -1) {
		store_obs_drop(s);
		return errf(err, errlen, "%s: cannot record observations: "
		    "out of memory", s->path);
	}
	s->obuf_busy = 1;
	for (g = 0; rc == 0 && g < (size_t)nseg; g++)
		for (i = s->oseg[g].start; rc == 0 && i < s->oseg[g].end;
		    i++)
			rc = obuf_pack(s, &s->obuf[i], err, errlen);
	if (rc == 0)
		rc = store_pack_end(s, err, errlen);
	s->obuf_busy = 0;
	/* Inserted, or lost with the batch a failure rolls back. */
	store_obs_drop(s);
	return rc;
}

size_t
store_obs_buffered(const struct store *s)
{
	return s->obuf_str.used + s->obuf_n * sizeof(*s->obuf);
}

int
store_obs_settle(struct store *s, char *err, size_t errlen)
{
	if (store_obs_buffered(s) < STORE_OBUF_SETTLE)
		return 0;
	return store_obs_flush(s, err, errlen) == -1 ? -1 : 1;
}

void
store_obs_drop(struct store *s)
{
	s->obuf_n = 0;
	s->obuf_str.used = 0;
	store_pack_drop(&s->pack);
}

void
store_obs_free(struct store *s)
{
	store_obs_drop(s);
	store_pack_free(&s->pack);
	free(s->obuf);
	free(s->obuf_str.p);
	free(s->oseg);
	s->obuf = NULL;
	s->obuf_str.p = NULL;
	s->oseg = NULL;
	s->obuf_size = s->obuf_str.cap = s->oseg_cap = 0;
}
