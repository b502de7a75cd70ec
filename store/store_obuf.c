/*
 * store_obuf: the writer's observation buffer, its hosts' blocks.  A
 * scan's observations are packed as they come (store_observation(),
 * store_data.c; store_pack.c encodes them) straight into a block of their
 * host's, until the batch is flushed: then every block is inserted, in
 * the order of the blocks' first ids (store_int.h says why).  The blocks
 * of a merge or a migration, built one at a time (store_pack_add()), wait
 * in a copy to go in together.  The observation ids are read at open,
 * saved with each batch and forgotten when a batch is lost.  Opening,
 * the statement cache and the batch transaction are store.c's.
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
 * Inserts nb blocks in their order: STORE_BLOCK_GROUP a statement while a
 * whole group is left, the rest a statement each; bind(s, st, p, i) binds
 * block i's six parameters from p on (bind_block()).  0, or -1 with a
 * message.
 */
static int
insert_blocks(struct store *s, size_t nb,
    void (*bind)(struct store *, sqlite3_stmt *, int, size_t), char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	size_t i, j, n;

	for (i = 0; i < nb; i += n) {
		n = nb - i >= STORE_BLOCK_GROUP ? STORE_BLOCK_GROUP : 1;
		st = store_stmt(s, n > 1 ? ST_BLOCK_INSERT_MANY :
		    ST_BLOCK_INSERT, err, errlen);
		if (st == NULL)
			return -1;
		for (j = 0; j < n; j++)
			bind(s, st, 6 * (int)j + 1, i + j);
		if (block_step(s, st, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* Kept block i (a merge's, a migration's), its copy in kbuf.p. */
static void
bind_kept(struct store *s, sqlite3_stmt *st, int p, size_t i)
{
	const struct store_keep *kp = &s->keep;
	const struct store_pack_kept *k = &kp->kept[i];

	bind_block(st, p, k->run, k->host, k->first, k->last,
	    kp->kbuf.p + k->json, k->jlen, kp->kbuf.p + k->vals, k->vlen);
}

/* A scan's host block i of the flush, ended here, from its own buffers. */
static void
bind_host(struct store *s, sqlite3_stmt *st, int p, size_t i)
{
	struct store_pack *pk = s->hkept[i];

	store_pack_close(pk);
	bind_block(st, p, pk->run, pk->host, pk->first, pk->last, pk->json,
	    pk->jlen, pk->vals, pk->vlen);
}

/* The blocks kept, in their order; on a failure every block is dropped. */
static int
write_kept(struct store *s, char *err, size_t errlen)
{
	if (insert_blocks(s, s->keep.nkept, bind_kept, err, errlen) == -1) {
		store_pack_abandon(s);
		return -1;
	}
	store_keep_drop(&s->keep);
	return 0;
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
	} else if (pk->n > 0 && store_pack_keep(pk, &s->keep) == -1)
		return errf(err, errlen, "%s: cannot record observations: "
		    "out of memory", s->path);
	if (all || s->keep.nkept == STORE_BLOCK_GROUP)
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

void
store_pack_abandon(struct store *s)
{
	store_pack_drop(&s->pack);
	store_keep_drop(&s->keep);
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

/* --- the hosts' blocks, built as their rows come ----------------------- */

/*
 * Empty blocks kept for the next hosts, their buffers with them: at most
 * HPOOL_MAX blocks and HPOOL_BYTES of buffers (a block past
 * HPOOL_BLOCK_BYTES is freed), so that what a scan's hosts in flight
 * grew is reused and what a large one grew goes back.
 */
#define HPOOL_MAX		4096
#define HPOOL_BYTES		((size_t)8 << 20)
#define HPOOL_BLOCK_BYTES	((size_t)64 << 10)

static size_t
hslot_of(int64_t run, int64_t host, size_t mask)
{
	uint64_t h = (uint64_t)host * 0x9e3779b97f4a7c15ULL ^ (uint64_t)run;

	return (size_t)(h ^ h >> 29) & mask;
}

/* An empty block: one of the pool's, or a new one; NULL out of memory. */
static struct store_pack *
hpool_get(struct store *s)
{
	struct store_pack *pk = s->hpool;

	if (pk == NULL)
		return calloc(1, sizeof(struct store_pack));
	s->hpool = pk->pool;
	s->nhpool--;
	s->hpool_bytes -= pk->jcap + pk->vcap;
	pk->pool = NULL;
	return pk;
}

/* Block pk, written or dropped, back to the pool (or freed). */
static void
hpool_put(struct store *s, struct store_pack *pk)
{
	size_t bytes = pk->jcap + pk->vcap;

	store_pack_drop(pk);
	if (s->nhpool == HPOOL_MAX || bytes > HPOOL_BLOCK_BYTES ||
	    s->hpool_bytes + bytes > HPOOL_BYTES) {
		store_pack_free(pk);
		free(pk);
		return;
	}
	pk->pool = s->hpool;
	s->hpool = pk;
	s->nhpool++;
	s->hpool_bytes += bytes;
}

/* Block pk, ended, waits to go in; 0, or -1 out of memory. */
static int
hkeep(struct store *s, struct store_pack *pk)
{
	if (array_grow(&s->hkept, s->nhkept, &s->hkept_cap,
	    sizeof(*s->hkept)) == -1)
		return -1;
	s->hkept[s->nhkept++] = pk;
	return 0;
}

/* Doubles the map (or makes it); 0, or -1 out of memory. */
static int
hmap_grow(struct store *s)
{
	struct store_hslot *old = s->hmap, *v;
	size_t oc = s->hcap, nc = oc ? oc * 2 : 1024, i, k;

	size_t *used;

	v = calloc(nc, sizeof(*v));
	used = reallocarray(s->hused, nc / 2, sizeof(*used));
	if (v == NULL || used == NULL) {
		free(v);
		if (used != NULL)
			s->hused = used;
		return -1;
	}
	s->hused = used;
	for (i = 0; i < s->hn; i++) {
		const struct store_hslot *o = &old[used[i]];

		k = hslot_of(o->run, o->host, nc - 1);
		while (v[k].host != 0)
			k = (k + 1) & (nc - 1);
		v[k] = *o;
		used[i] = k;
	}
	free(old);
	s->hmap = v;
	s->hcap = nc;
	s->hlast = 0;
	return 0;
}

struct store_pack *
store_obs_block(struct store *s, int64_t run, int64_t host, int64_t id,
    size_t len)
{
	struct store_hslot *e;
	size_t k;

	e = s->hcap > 0 ? &s->hmap[s->hlast] : NULL;
	if (e == NULL || e->host != host || e->run != run) {
		if (2 * (s->hn + 1) > s->hcap && hmap_grow(s) == -1)
			return NULL;
		k = hslot_of(run, host, s->hcap - 1);
		while (s->hmap[k].host != 0 && (s->hmap[k].host != host ||
		    s->hmap[k].run != run))
			k = (k + 1) & (s->hcap - 1);
		e = &s->hmap[k];
		s->hlast = k;
		if (e->host == 0) {
			if ((e->pk = hpool_get(s)) == NULL)
				return NULL;
			e->run = run;
			e->host = host;
			s->hused[s->hn++] = k;
		}
	}
	if (!store_pack_fits_at(e->pk, run, host, id, len)) {
		struct store_pack *pk = hpool_get(s);

		if (pk == NULL)
			return NULL;
		if (hkeep(s, e->pk) == -1) {
			hpool_put(s, pk);
			return NULL;
		}
		e->pk = pk;
	}
	return e->pk;
}

/* The blocks' order in the table: their first ids. */
static int
cmp_first(const void *a, const void *b)
{
	const struct store_pack *x = *(struct store_pack *const *)a;
	const struct store_pack *y = *(struct store_pack *const *)b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * Every block into hkept, each host's slot emptied (its block ended: a
 * batch's rows of a host are one block, or more when it is large): the
 * slots in use only (hused), not the whole map, which a scan of 10,000
 * hosts in flight grows to 32,768 slots and flushes many times.
 */
static int
hmap_end(struct store *s)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < s->hn; i++) {
		struct store_hslot *e = &s->hmap[s->hused[i]];

		if (e->pk->n == 0)
			hpool_put(s, e->pk);
		else if (hkeep(s, e->pk) == -1) {
			hpool_put(s, e->pk);
			rc = -1;
		}
		e->host = 0;
		e->pk = NULL;
	}
	s->hn = 0;
	s->hlast = 0;
	return rc;
}

static void
hdrop(struct store *s)
{
	size_t i;

	(void)hmap_end(s);
	for (i = 0; i < s->nhkept; i++)
		hpool_put(s, s->hkept[i]);
	s->nhkept = 0;
	s->nidruns = 0;
	s->obuf_n = 0;
	s->obuf_bytes = 0;
}

int
store_obs_flush(struct store *s, char *err, size_t errlen)
{
	int rc;

	if (s->obuf_n == 0 || s->obuf_busy)
		return 0;
	if (hmap_end(s) == -1) {
		hdrop(s);
		return errf(err, errlen, "%s: cannot record observations: "
		    "out of memory", s->path);
	}
	qsort(s->hkept, s->nhkept, sizeof(*s->hkept), cmp_first);
	s->obuf_busy = 1;
	/* The values stored once first: the blocks name them. */
	rc = store_values_flush(s, err, errlen);
	if (rc == 0)
		rc = insert_blocks(s, s->nhkept, bind_host, err, errlen);
	s->obuf_busy = 0;
	/* Inserted, or lost with the batch a failure rolls back. */
	hdrop(s);
	return rc;
}

int
store_obs_idroom(struct store *s)
{
	/* Every row asks: the room there, no call. */
	if (s->nidruns < s->idruns_cap)
		return 0;
	return array_grow(&s->idruns, s->nidruns, &s->idruns_cap,
	    sizeof(*s->idruns));
}

int
store_obs_has(const struct store *s, int64_t run, int64_t host, int64_t id)
{
	size_t lo = 0, hi = s->nidruns, mid;
	const struct store_idrun *r;

	/* The last run that starts at or before id. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->idruns[mid].first <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	r = &s->idruns[lo - 1];
	return id < r->first + (int64_t)r->n && r->run == run &&
	    r->host == host;
}

size_t
store_obs_buffered(const struct store *s)
{
	return s->obuf_bytes;
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
	hdrop(s);
	store_pack_abandon(s);
}

void
store_obs_free(struct store *s)
{
	struct store_pack *pk;

	store_obs_drop(s);
	store_pack_free(&s->pack);
	store_keep_free(&s->keep);
	while ((pk = s->hpool) != NULL) {
		s->hpool = pk->pool;
		store_pack_free(pk);
		free(pk);
	}
	s->nhpool = 0;
	s->hpool_bytes = 0;
	free(s->hkept);
	free(s->hmap);
	free(s->hused);
	s->hused = NULL;
	free(s->idruns);
	s->idruns = NULL;
	s->idruns_cap = 0;
	s->hkept = NULL;
	s->hmap = NULL;
	s->hkept_cap = s->hcap = 0;
}
