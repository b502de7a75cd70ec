/*
 * Tests for store_pack (schemas 6 and 7, packed observations): the decoder on
 * hostile blocks, a row's middle packed ahead against the whole row,
 * rows with awkward bytes through the writer, the reader
 * and the `observations` view of the sqlite3 CLI, a damaged block in a
 * database, and a schema 5 file migrated and merged.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"	/* the decoder, store_schema_v1..v5 */
#include "util.h"
#include "fixture.h"

#define T0	1767225600	/* 2026-01-01T00:00:00Z */

struct tmp {
	char	dir[64];
	char	path[128];
};

static void
tmp_make(struct tmp *t, const char *name)
{
	str_copy(t->dir, "/tmp/banaudit-pack.XXXXXX", sizeof(t->dir));
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
}

/* --- the decoder -------------------------------------------------------- */

/* Decodes rows fully: the number of rows, or -1 with err set. */
static int
decode(const char *rows, const char *vals, size_t vlen, char *err,
    size_t errlen)
{
	struct store_unpack u;
	struct store_packrow r;
	int n = 0, rc;

	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, 100, rows, strlen(rows), vals, vlen);
	while ((rc = store_unpack_next(&u, &r, err, errlen)) == 1) {
		assert_true(r.id >= 100);
		assert_true(r.len <= vlen);
		n++;
	}
	store_unpack_free(&u);
	return rc == -1 ? -1 : n;
}

static void
test_decode_good(void **state)
{
	static const char rows[] = "[[1,1,\"software\",\"a\\\"b\\\\c"
	    "\\u0001\\n\\u00e9\",\"name\",12,4,1,2,-3]]";
	static const char spaced[] = "\t[\r\n[ 0 ,\t\"snmp\" , \"system\" "
	    ", \"\\u0041\\u00e9\\u20ac\" , \"descr\" , \"1.3.6\" , "
	    "\"text\" , 0 , 1 , 0 ] ]\r\n";
	static const char coded[] = "[[0,0,1,\"1\",\"name\",null,0,0,0,0],"
	    "[1,0,10,\"\",\"mac\",null,4,0,0,0],"
	    "[2,0,11,\"\",\"mac\",null,4,0,0,0]]";
	struct store_unpack u;
	struct store_packrow r;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(decode("[]", "", 0, err, sizeof(err)), 0);
	assert_int_equal(decode(" [ [0,0,\"software\",\"1\",\"name\",null,"
	    "0,0,3,5] , [2,\"odd\",\"system\",\"\",\"descr\",\"x\",\"hexish\","
	    "3,0,6]]\n", "abc", 3, err, sizeof(err)), 2);

	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, 40, rows, strlen(rows), "xyz", 3);
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), 1);
	assert_int_equal(r.id, 41);
	assert_int_equal(r.chan, 1);
	assert_null(r.chan_name);
	assert_string_equal(r.kind, "software");
	assert_string_equal(r.item, "a\"b\\c\001\n\xc3\xa9");
	assert_int_equal(r.source, 2);
	assert_int_equal(r.source_id, 12);
	assert_int_equal(r.vtype, 4);
	assert_int_equal(r.len, 2);
	assert_memory_equal(r.value, "yz", 2);
	assert_int_equal(r.seen, -3);
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), 0);
	store_unpack_free(&u);

	/*
	 * Issue 16: white space of every kind between the tokens, a text
	 * source, and \u escapes of one, two and three UTF-8 bytes.
	 */
	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, 7, spaced, strlen(spaced), "x", 1);
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), 1);
	assert_string_equal(r.chan_name, "snmp");
	assert_string_equal(r.item, "A\xc3\xa9\xe2\x82\xac");
	assert_int_equal(r.source, 1);
	assert_string_equal(r.source_text, "1.3.6");
	assert_string_equal(r.vtype_name, "text");
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), 0);
	store_unpack_free(&u);
	/* No rows at all (NULL): not an array. */
	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, 7, NULL, 0, NULL, 0);
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a JSON array"));
	store_unpack_free(&u);

	/* A kind as its code. */
	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, 1, coded, strlen(coded), "", 0);
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), 1);
	assert_string_equal(r.kind, "software");
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), 1);
	assert_string_equal(r.kind, "netif");
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown kind"));
	store_unpack_free(&u);
}

static void
test_decode_hostile(void **state)
{
	static const char *const bad[] = {
		"",
		"{}",
		"[",
		"[[]]",
		"[[0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,0]",	/* no ']' */
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,0]]x",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,0],]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,0][0]]",
		"[[-1,0,\"k\",\"i\",\"a\",null,0,0,0,0]]",	/* id before */
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,9,0]]",	/* value past */
		"[[0,0,\"k\",\"i\",\"a\",null,0,5,1,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,-1,1,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,1.5]]",	/* a fraction */
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,1e3]]",
		"[[0,0,\"k\",\"i\",\"a\",nul,0,0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,"
		    "12345678901234567890]]",			/* too long */
		"[[0,0,\"k\",\"i\\u0000\",\"a\",null,0,0,0,0]]",	/* NUL */
		"[[0,0,\"k\",\"i\\u00zz\",\"a\",null,0,0,0,0]]",
		"[[0,0,\"k\",\"i\\u00\",\"a\",null,0,0,0,0]]",
		"[[0,0,\"k\",\"i\\q\",\"a\",null,0,0,0,0]]",
		"[[0,0,\"k\",\"i\\",
		"[[0,0,\"k\",\"i",
		"[[0,0,k,\"i\",\"a\",null,0,0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0]]",	/* a field short */
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,0,0]]",	/* one more */
		"[[,0,\"k\",\"i\",\"a\",null,0,0,0,0]]",
		"[[-,0,\"k\",\"i\",\"a\",null,0,0,0,0]]",
		/* Issue 16: each field, then each ',' after it, missing. */
		"[[0 0,\"k\",\"i\",\"a\",null,0,0,0,0]]",
		"[[0,x,\"k\",\"i\",\"a\",null,0,0,0,0]]",
		"[[0,\"c,\"k\",\"i\",\"a\",null,0,0,0,0]]",
		"[[0,0 \"k\",\"i\",\"a\",null,0,0,0,0]]",
		"[[0,0,\"k\" \"i\",\"a\",null,0,0,0,0]]",
		"[[0,0,\"k\",5,\"a\",null,0,0,0,0]]",
		"[[0,0,\"k\",\"i\" \"a\",null,0,0,0,0]]",
		"[[0,0,\"k\",\"i\",5,null,0,0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\" null,0,0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",\"s\\q\",0,0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",true,0,0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null 0,0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,x,0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0 0,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,x,0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0 0,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,x,0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0 0]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,x]]",
		"[[0,0,\"k\",\"i\",\"a\",null,0,0,0,0 x",
	};
	char err[ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		err[0] = '\0';
		if (decode(bad[i], "abcd", 4, err, sizeof(err)) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err, "block of observations at id "
		    "100"));
	}
	/* A good row, then a bad one: the first is read, then the error. */
	assert_int_equal(decode("[[0,0,\"k\",\"i\",\"a\",null,0,0,0,0],"
	    "[1,0,\"k\"]]", "", 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "row 2"));
}

/* --- through the store --------------------------------------------------- */

struct got {
	size_t	n;
	char	item[8][64];
	char	source[8][96];
	size_t	len[8];
	unsigned char value[8][16];
	int64_t	id[8];
};

static int
got_cb(void *arg, const struct obs_row *r)
{
	struct got *g = arg;

	if (g->n >= 8)
		return 1;
	str_copy(g->item[g->n], r->obs.item, sizeof(g->item[0]));
	str_copy(g->source[g->n], r->obs.source != NULL ? r->obs.source :
	    "(null)", sizeof(g->source[0]));
	g->len[g->n] = r->obs.len;
	if (r->obs.len > 0 && r->obs.len <= sizeof(g->value[0]))
		memcpy(g->value[g->n], r->obs.value, r->obs.len);
	g->id[g->n] = r->id;
	g->n++;
	return 0;
}

/* A software name of vtype vt, its value named by key (0: none); its id. */
static int64_t
add_as(struct store *s, int64_t run, int64_t host, const char *item,
    const char *source, enum value_type vt, const void *v, size_t n,
    uint64_t key, uint32_t *ref)
{
	return obs_stored_keyed(s, run, host, OBS_SOFTWARE, item, "name",
	    source, vt, v, n, key, ref);
}

static int64_t
add(struct store *s, int64_t run, int64_t host, const char *item,
    const char *source, const void *v, size_t n)
{
	return add_as(s, run, host, item, source, VAL_HEX, v, n, 0, NULL);
}

/* add(), the value text named by key (store_observation_keyed()). */
static int64_t
add_keyed(struct store *s, int64_t run, int64_t host, const char *item,
    const char *v, uint64_t key)
{
	return add_as(s, run, host, item, NULL, VAL_TEXT, v, strlen(v), key,
	    NULL);
}

static int64_t
host(struct store *s, int64_t run, const char *addr)
{
	struct host_info hi;
	char err[ERRLEN];
	int64_t id = 0;

	memset(&hi, 0, sizeof(hi));
	hi.h.address = addr;
	if (store_host(s, run, &hi, &id, err, sizeof(err)) != 0)
		fail_msg("store_host: %s", err);
	return id;
}

/*
 * Items, sources and values with every byte JSON escapes, the bytes it
 * does not, and a NUL in a value: the same bytes back from the store and,
 * through the view, from SQLite itself.
 */
static void
test_awkward_bytes(void **state)
{
	static const unsigned char val[] = { 0x00, '"', '\\', 0x01, 0x1f,
	    0x7f, 0x80, 0xff, 0x00 };
	static const char item[] = "q\"b\\s\x01\x1f\x7f\xc3\xa9\xff";
	struct tmp t;
	struct got g;
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *st;
	char err[ERRLEN], src[64];
	int64_t run, h, id1, id2, id3;

	(void)state;
	tmp_make(&t, "a.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "pack", T0);
	h = host(s, run, "10.0.0.1");
	/* A text source (not a prefix, a dot and the item). */
	snprintf(src, sizeof(src), "agent:%s/x", item);
	id1 = add(s, run, h, item, src, val, sizeof(val));
	id2 = add(s, run, h, "7", "1.3.6.1.2.1.25.6.3.1.2.7", "", 0);
	id3 = add(s, run, h, "", NULL, "x", 1);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_each_observation(s, run, 0, got_cb, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.id[0], id1);
	assert_string_equal(g.item[0], item);
	assert_string_equal(g.source[0], src);
	assert_int_equal(g.len[0], sizeof(val));
	assert_memory_equal(g.value[0], val, sizeof(val));
	assert_int_equal(g.id[1], id2);
	assert_string_equal(g.source[1], "1.3.6.1.2.1.25.6.3.1.2.7");
	assert_int_equal(g.len[1], 0);
	assert_int_equal(g.id[2], id3);
	assert_string_equal(g.source[2], "(null)");
	/* The host's own reader (SQL over the blocks) agrees. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(store_each_observation(s, run, h, got_cb, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.n, 3);
	store_close(s);

	/* The view, as the sqlite3 CLI sees it (the schema trusted). */
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, run_id, host_id, "
	    "channel, kind, item, attr, typeof(source), vtype, value, "
	    "typeof(value), seen FROM observations ORDER BY id", -1, &st,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), id1);
	assert_int_equal(sqlite3_column_int64(st, 1), run);
	assert_int_equal(sqlite3_column_int64(st, 2), h);
	assert_int_equal(sqlite3_column_int(st, 3), 0);	/* snmp's code */
	assert_string_equal(sqlite3_column_text(st, 4), "software");
	assert_int_equal(sqlite3_column_bytes(st, 5), strlen(item));
	assert_memory_equal(sqlite3_column_text(st, 5), item, strlen(item));
	assert_string_equal(sqlite3_column_text(st, 6), "name");
	assert_string_equal(sqlite3_column_text(st, 7), "text");
	assert_int_equal(sqlite3_column_int(st, 8), 4);	/* hex's code */
	assert_int_equal(sqlite3_column_bytes(st, 9), sizeof(val));
	assert_memory_equal(sqlite3_column_blob(st, 9), val, sizeof(val));
	assert_string_equal(sqlite3_column_text(st, 10), "blob");
	assert_true(sqlite3_column_int64(st, 11) >= 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	/* An oid_prefixes id, as in schema 5. */
	assert_string_equal(sqlite3_column_text(st, 7), "integer");
	assert_int_equal(sqlite3_column_bytes(st, 9), 0);
	assert_string_equal(sqlite3_column_text(st, 10), "blob");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 7), "null");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	rm_tree(t.dir);
}

/*
 * 2026-12-05: a block ends before its values pass STORE_PACK_BYTES, so
 * large values do not grow the writer's buffers without bound; a value
 * larger than that is a block of its own.
 */
static int
len_cb(void *arg, const struct obs_row *r)
{
	size_t *sum = arg;

	*sum += r->obs.len;
	return 0;
}

static void
test_block_bytes(void **state)
{
	struct tmp t;
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *st;
	char err[ERRLEN];
	unsigned char *big;
	size_t n = STORE_PACK_BYTES / 2 + 1, sum = 0;
	int64_t run, h;

	(void)state;
	big = calloc(1, STORE_PACK_BYTES + 2);
	assert_non_null(big);
	tmp_make(&t, "b.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "pack", T0);
	h = host(s, run, "10.0.0.1");
	add(s, run, h, "1", NULL, big, n);
	add(s, run, h, "2", NULL, big, n);	/* past the bound: a new block */
	add(s, run, h, "3", NULL, big, STORE_PACK_BYTES + 2);
	add(s, run, h, "4", NULL, "x", 1);	/* after one larger: new */
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	assert_int_equal(store_each_observation(s, run, 0, len_cb, &sum, err,
	    sizeof(err)), 0);
	assert_int_equal(sum, 2 * n + STORE_PACK_BYTES + 2 + 1);
	store_close(s);
	free(big);

	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), "
	    "max(length(vals)) FROM obs_blocks", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 4);
	assert_int_equal(sqlite3_column_int(st, 1), STORE_PACK_BYTES + 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
	rm_tree(t.dir);
}

/* The first ids of the blocks inserted, in the order SQLite saw them. */
struct inserted {
	int64_t	 first[64];
	size_t	 n;
};

static void
inserted_cb(void *arg, int op, const char *db, const char *table,
    sqlite3_int64 rowid)
{
	struct inserted *in = arg;

	(void)db;
	if (op != SQLITE_INSERT || strcmp(table, "obs_blocks") != 0)
		return;
	assert_true(in->n < NELEM(in->first));
	in->first[in->n++] = rowid;
}

/*
 * 2026-12-06: the flush writes the hosts in the order their first rows
 * came, not by host id, so each block (keyed by its first row's id)
 * appends to obs_blocks.  Hosts whose rows arrive out of host order and
 * come back: one block a host, inserted in id order, and every host's
 * rows read back host by host in id order.
 */
static void
test_blocks_in_id_order(void **state)
{
	static const size_t order[] = { 2, 2, 0, 1, 2, 0, 1, 1 };
	struct inserted in;
	struct tmp t;
	struct got g;
	struct store *s;
	char err[ERRLEN], item[8];
	int64_t run, h[3], ids[NELEM(order)];
	size_t i, j, k;

	(void)state;
	tmp_make(&t, "o.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "pack", T0);
	h[0] = host(s, run, "10.0.0.1");
	h[1] = host(s, run, "10.0.0.2");
	h[2] = host(s, run, "10.0.0.3");
	assert_true(h[0] < h[1] && h[1] < h[2]);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	memset(&in, 0, sizeof(in));
	sqlite3_update_hook(s->db, inserted_cb, &in);
	for (i = 0; i < NELEM(order); i++) {
		snprintf(item, sizeof(item), "%zu", i);
		ids[i] = add(s, run, h[order[i]], item, NULL, item, 1);
	}
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	sqlite3_update_hook(s->db, NULL, NULL);
	/* Hosts 2, 0, 1: the order their first rows came. */
	assert_int_equal(in.n, 3);
	assert_int_equal(in.first[0], ids[0]);
	assert_int_equal(in.first[1], ids[2]);
	assert_int_equal(in.first[2], ids[3]);

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_each_observation(s, run, 0, got_cb, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.n, NELEM(order));
	for (k = 0, j = 0; k < 3; k++)
		for (i = 0; i < NELEM(order); i++) {
			if (order[i] != k)
				continue;
			snprintf(item, sizeof(item), "%zu", i);
			assert_int_equal(g.id[j], ids[i]);
			assert_string_equal(g.item[j], item);
			j++;
		}

	/*
	 * 2026-12-07: a host's block ended early (STORE_PACK_ROWS rows)
	 * waits while the others are built; the flush still writes every
	 * block in the order of its first id: host 0's first, host 1's,
	 * host 0's second, host 2's.
	 */
	memset(&in, 0, sizeof(in));
	sqlite3_update_hook(s->db, inserted_cb, &in);
	ids[0] = add(s, run, h[0], "a", NULL, "a", 1);
	ids[1] = add(s, run, h[1], "b", NULL, "b", 1);
	for (i = 0; i < STORE_PACK_ROWS; i++) {
		snprintf(item, sizeof(item), "%zu", i);
		ids[2] = add(s, run, h[0], item, NULL, item, 1);
	}
	ids[3] = add(s, run, h[2], "c", NULL, "c", 1);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	sqlite3_update_hook(s->db, NULL, NULL);
	assert_int_equal(in.n, 4);
	assert_int_equal(in.first[0], ids[0]);
	assert_int_equal(in.first[1], ids[1]);
	assert_int_equal(in.first[2], ids[2]);	/* the 1,024th row of h[0] */
	assert_int_equal(in.first[3], ids[3]);
	store_close(s);
	rm_tree(t.dir);
}

/*
 * 2026-12-06: blocks go in STORE_BLOCK_GROUP a statement, kept until a
 * group is whole, the rest one a statement, and a block larger than
 * STORE_BLOCK_KEEP_MAX alone as it is.  Forty hosts' blocks of a flush
 * with a large one among them: every row read back with its own value,
 * one block a host, in id order.
 */
#define KEPT_HOSTS	40

struct every {
	size_t	 n;
	int64_t	 id[3 * KEPT_HOSTS];
	size_t	 len[3 * KEPT_HOSTS];
	unsigned char first[3 * KEPT_HOSTS], last[3 * KEPT_HOSTS];
};

static int
every_cb(void *arg, const struct obs_row *r)
{
	struct every *e = arg;

	assert_true(e->n < NELEM(e->id));
	e->id[e->n] = r->id;
	e->len[e->n] = r->obs.len;
	e->first[e->n] = r->obs.len > 0 ?
	    ((const unsigned char *)r->obs.value)[0] : 0;
	e->last[e->n] = r->obs.len > 0 ?
	    ((const unsigned char *)r->obs.value)[r->obs.len - 1] : 0;
	e->n++;
	return 0;
}

static void
test_blocks_kept(void **state)
{
	static unsigned char big[STORE_BLOCK_KEEP_MAX + 100];
	struct inserted in;
	struct every e;
	struct tmp t;
	struct store *s;
	unsigned char v[3];
	char err[ERRLEN], addr[32], item[8];
	int64_t run, h[KEPT_HOSTS], ids[3 * KEPT_HOSTS];
	size_t i, j, n = 0;

	(void)state;
	tmp_make(&t, "k.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "pack", T0);
	for (i = 0; i < KEPT_HOSTS; i++) {
		snprintf(addr, sizeof(addr), "10.0.1.%zu", i + 1);
		h[i] = host(s, run, addr);
	}
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	memset(&in, 0, sizeof(in));
	sqlite3_update_hook(s->db, inserted_cb, &in);
	/* Two rows a host, the 20th host's second one large. */
	for (j = 0; j < 2; j++)
		for (i = 0; i < KEPT_HOSTS; i++) {
			snprintf(item, sizeof(item), "%zu", j);
			v[0] = (unsigned char)i;
			v[1] = (unsigned char)j;
			if (i == 19 && j == 1) {
				memset(big, 0xab, sizeof(big));
				big[0] = v[0];
				ids[n++] = add(s, run, h[i], item, NULL, big,
				    sizeof(big));
			} else
				ids[n++] = add(s, run, h[i], item, NULL, v, 2);
		}
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	sqlite3_update_hook(s->db, NULL, NULL);
	assert_int_equal(in.n, KEPT_HOSTS);
	for (i = 1; i < in.n; i++)
		assert_true(in.first[i] > in.first[i - 1]);

	memset(&e, 0, sizeof(e));
	assert_int_equal(store_each_observation(s, run, 0, every_cb, &e, err,
	    sizeof(err)), 0);
	assert_int_equal(e.n, 2 * KEPT_HOSTS);
	/* Host by host, each host's two rows in id order. */
	for (i = 0; i < KEPT_HOSTS; i++)
		for (j = 0; j < 2; j++) {
			n = 2 * i + j;
			assert_int_equal(e.id[n], ids[j * KEPT_HOSTS + i]);
			assert_int_equal(e.first[n], i);
			if (i == 19 && j == 1) {
				assert_int_equal(e.len[n], sizeof(big));
				assert_int_equal(e.last[n], 0xab);
			} else {
				assert_int_equal(e.len[n], 2);
				assert_int_equal(e.last[n], j);
			}
		}
	store_close(s);
	rm_tree(t.dir);
}

/* sqlite3_exec()'s callback: counts the rows into *(int *)arg. */
static int
count_rows(void *arg, int n, char **v, char **names)
{
	(void)n;
	(void)v;
	(void)names;
	(*(int *)arg)++;
	return 0;
}

/*
 * A block damaged in the file: the readers fail with a message, and so
 * does a full merge of the file, which stores nothing of it.
 */
static void
test_damaged_block(void **state)
{
	struct merge_stats ms;
	struct tmp t, c;
	struct got g;
	struct store *s;
	sqlite3 *db;
	char err[ERRLEN];
	int64_t run, h;
	int n = 0;

	(void)state;
	tmp_make(&t, "d.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "pack", T0);
	h = host(s, run, "10.0.0.1");
	add(s, run, h, "1", NULL, "abc", 3);
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	end_run(s, run, RUN_COMPLETE);
	store_close(s);

	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE obs_blocks SET rows = "
	    "'[[0,0,\"software\",\"1\",\"name\",null,4,1,99,0]]'", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	s = open_ok(t.path, STORE_READ);
	memset(&g, 0, sizeof(g));
	assert_int_equal(store_each_observation(s, run, 0, got_cb, &g, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, t.path));
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(g.n, 0);
	store_close(s);

	/*
	 * Merged whole (its blocks decoded by the merge), the site is
	 * refused, named, and nothing of it is stored.
	 */
	tmp_make(&c, "central.db");
	s = open_ok(c.path, STORE_WRITE);
	assert_int_equal(store_merge_as(s, t.path, MERGE_FULL, &ms, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, t.path));
	assert_non_null(strstr(err, "damaged"));
	assert_non_null(strstr(err, "out of range"));
	store_close(s);
	assert_int_equal(sqlite3_open(c.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "SELECT 1 FROM runs UNION ALL "
	    "SELECT 1 FROM obs_blocks UNION ALL SELECT 1 FROM hosts",
	    count_rows, &n, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(n, 0);
	rm_tree(c.dir);
	rm_tree(t.dir);
}

/* --- schema 5 ------------------------------------------------------------ */

/*
 * A version 5 file: one run, two hosts, rows with a prefix-id source, a
 * text source, none, an unknown-to-codes channel name, and a finding.
 */
/* The finding of make_v5() and make_v7(), its evidence observation ev. */
#define OLD_FINDING(ev) "INSERT INTO findings (id, run_id, host_id, " \
	"finding_id, rule_id, severity) VALUES (3, 1, 1, " \
	"'BA-00000000000000cc', 'kes', 'high'); " \
	"INSERT INTO finding_evidence VALUES (3, " ev ")"

/* Runs sql on db, closes it and makes path the owner's alone. */
static void
old_file_end(sqlite3 *db, const char *path, const char *sql)
{
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(chmod(path, 0600), 0);
}

static void
make_v5(const char *path)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_schema_v1, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_schema_v2, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_schema_v3, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_schema_v4, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_schema_v5, NULL, NULL, NULL),
	    SQLITE_OK);
	old_file_end(db, path, "PRAGMA user_version = 5; "
	    "PRAGMA application_id = 1111576129; "
	    "INSERT INTO runs (id, kind, status, scope, started, finished, "
	    "uuid) VALUES (1, 'scan', 'complete', 'v5', 1767225600, "
	    "1767225700, 'u-5'); "
	    "INSERT INTO hosts VALUES (1, 'addr:10.0.0.5', 0, 1, 1); "
	    "INSERT INTO hosts VALUES (2, 'addr:10.0.0.6', 0, 1, 1); "
	    "INSERT INTO host_keys VALUES ('addr:10.0.0.5', 1); "
	    "INSERT INTO host_keys VALUES ('addr:10.0.0.6', 2); "
	    "INSERT INTO run_hosts (run_id, host_id, address) VALUES "
	    "(1, 1, '10.0.0.5'), (1, 2, '10.0.0.6'); "
	    "INSERT INTO oid_prefixes VALUES (3, '1.3.6.1.2.1.25.6.3.1.2'); "
	    "INSERT INTO observations VALUES (1, 1, 20, 0, 'software', "
	    "'17', 'name', 3, 0, CAST('Kaspersky Endpoint Security' AS BLOB), "
	    "12); "
	    "INSERT INTO observations VALUES (1, 1, 22, 1, 'system', '', "
	    "'serial', NULL, 0, CAST('ABC' AS BLOB), 13); "
	    "INSERT INTO observations VALUES (1, 2, 21, 'snmp', 'system', '', "
	    "'engineid', '1.3.6.1.6.3.10.2.1.1.0', 4, x'800000', 14); "
	    "UPDATE obs_ids SET next = 23; "
	    "INSERT INTO coverage VALUES (1, 1, 'snmp', '', 'ok', NULL, NULL, "
	    "5); " OLD_FINDING("20"));
}

static void
check_v5_rows(struct store *s, int64_t run, int64_t base)
{
	struct got g;
	char err[ERRLEN];

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_each_observation(s, run, 0, got_cb, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.n, 3);
	/* By host, then id. */
	assert_int_equal(g.id[0], base + 20);
	assert_string_equal(g.source[0], "1.3.6.1.2.1.25.6.3.1.2.17");
	assert_int_equal(g.len[0], 27);
	assert_int_equal(g.id[1], base + 22);
	assert_string_equal(g.source[1], "(null)");
	assert_int_equal(g.id[2], base + 21);
	assert_string_equal(g.source[2], "1.3.6.1.6.3.10.2.1.1.0");
	assert_int_equal(g.len[2], 3);
	assert_memory_equal(g.value[2], "\x80\0\0", 3);
}

static int
count_source(void *arg, const struct evidence_source *e)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static void
test_migrate_v5(void **state)
{
	struct tmp t;
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *st;
	char err[ERRLEN];
	int n = 0;

	(void)state;
	tmp_make(&t, "v5.db");
	make_v5(t.path);
	s = open_ok(t.path, STORE_WRITE);
	check_v5_rows(s, 1, 0);
	/* The evidence still names its observation (by id, run, host). */
	assert_int_equal(store_each_evidence_source(s, 3, count_source, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 1);
	/* New rows take ids after the migrated ones. */
	assert_true(add(s, 1, 2, "9", NULL, "y", 1) >= 23);
	store_close(s);

	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT user_version "
	    "FROM pragma_user_version), (SELECT count(*) FROM observations), "
	    "(SELECT count(*) FROM sqlite_schema WHERE name = "
	    "'observations_v5'), (SELECT type FROM sqlite_schema WHERE name = "
	    "'observations')", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	assert_int_equal(sqlite3_column_int(st, 1), 4);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	assert_string_equal(sqlite3_column_text(st, 3), "view");
	sqlite3_finalize(st);
	sqlite3_close(db);
	rm_tree(t.dir);
}

/*
 * Issue 16: a migration that cannot pack a schema 5 file's rows (two
 * hosts' rows with one id, which no banaudit wrote: the second block's
 * first id is taken) fails with the file and the cause and leaves the
 * file at version 5 with every row; a reader is told to upgrade it.
 * k 0: the clash is in the last block; k 1: in a block between.
 */
static void
migrate_clash(int k)
{
	struct tmp t;
	struct store *s = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;
	char err[ERRLEN];

	tmp_make(&t, "v5.db");
	make_v5(t.path);
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO observations VALUES "
	    "(1, 2, 20, 0, 'software', '18', 'name', NULL, 0, "
	    "CAST('x' AS BLOB), 12)", NULL, NULL, NULL), SQLITE_OK);
	if (k == 1)
		assert_int_equal(sqlite3_exec(db, "INSERT INTO observations "
		    "VALUES (1, 3, 30, 0, 'software', '19', 'name', NULL, 0, "
		    "CAST('y' AS BLOB), 12)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(t.path, STORE_WRITE, &s, err,
	    sizeof(err)), -1);
	assert_null(s);
	assert_non_null(strstr(err, t.path));
	if (strstr(err, "cannot record observations: ") == NULL ||
	    strstr(err, "UNIQUE constraint failed") == NULL)
		fail_msg("%s", err);

	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT user_version "
	    "FROM pragma_user_version), (SELECT count(*) FROM observations), "
	    "(SELECT count(*) FROM sqlite_schema WHERE name = 'obs_blocks')",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 5);
	assert_int_equal(sqlite3_column_int(st, 1), 4 + k);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(store_open(t.path, STORE_READ, &s, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "has schema version 5; open it for "
	    "writing once"));
	rm_tree(t.dir);
}

static void
test_migrate_v5_fails(void **state)
{
	(void)state;
	migrate_clash(0);
	migrate_clash(1);
}

/* A schema 5 site merged whole, and with its evidence alone. */
static void
test_merge_v5(void **state)
{
	struct merge_stats ms;
	struct tmp t, c;
	struct store *s;
	char err[ERRLEN];
	int64_t run;

	(void)state;
	tmp_make(&t, "site.db");
	make_v5(t.path);
	tmp_make(&c, "central.db");
	s = open_ok(c.path, STORE_WRITE);
	/* Ids in use already, so the site's move. */
	run = begin_run(s, "central", T0);
	add(s, run, host(s, run, "10.9.9.9"), "1", NULL, "z", 1);
	end_run(s, run, RUN_COMPLETE);
	assert_int_equal(store_merge_as(s, t.path, MERGE_FULL, &ms, err,
	    sizeof(err)), 0);
	assert_int_equal(ms.observations, 3);
	check_v5_rows(s, run + 1, 1);
	store_close(s);
	rm_tree(c.dir);

	tmp_make(&c, "central.db");
	s = open_ok(c.path, STORE_WRITE);
	assert_int_equal(store_merge_as(s, t.path, MERGE_EVIDENCE, &ms, err,
	    sizeof(err)), 0);
	assert_int_equal(ms.observations, 1);
	store_close(s);
	rm_tree(c.dir);
	rm_tree(t.dir);
}

/*
 * A schema 7 file: one block of short rows in schema 7's form, [d, "item",
 * off, len, k], ids 20, 21 and 23, and a finding whose evidence is 23.
 */
static void
make_v7(const char *path)
{
	static const char *const steps[] = {
		store_schema_v1, store_schema_v2, store_schema_v3,
		store_schema_v4, store_schema_v5, store_schema_v6,
		store_schema_v6_done, store_schema_view,
	};
	sqlite3 *db;
	size_t i;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		assert_int_equal(sqlite3_exec(db, steps[i], NULL, NULL, NULL),
		    SQLITE_OK);
	old_file_end(db, path, "PRAGMA user_version = 7; "
	    "PRAGMA application_id = 1111576129; "
	    "INSERT INTO runs (id, kind, status, scope, started, finished, "
	    "uuid) VALUES (1, 'scan', 'complete', 'v7', 1767225600, "
	    "1767225700, 'u-7'); "
	    "INSERT INTO hosts VALUES (1, 'addr:10.0.0.5', 0, 1, 1); "
	    "INSERT INTO host_keys VALUES ('addr:10.0.0.5', 1); "
	    "INSERT INTO run_hosts (run_id, host_id, address) VALUES "
	    "(1, 1, '10.0.0.5'); "
	    "INSERT INTO oid_prefixes VALUES (3, '1.3.6.1.2.1.25.6.3.1.2'); "
	    "INSERT INTO obs_blocks VALUES (20, 1, 1, 23, "
	    "'[[0,0,1,\"17\",\"name\",3,0,0,27,12],[1,\"18\",27,3,0],"
	    "[3,\"19\",30,2,0]]', "
	    "CAST('Kaspersky Endpoint Securityabcde' AS BLOB)); "
	    "UPDATE obs_ids SET next = 24; " OLD_FINDING("23"));
}

static void
check_v7_rows(struct store *s, int64_t run, int64_t base)
{
	static const char *const v[] = { "Kaspersky Endpoint Security", "abc",
	    "de" };
	static const int64_t ids[] = { 20, 21, 23 };
	struct got g;
	char err[ERRLEN], src[64];
	size_t i;

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_each_observation(s, run, 0, got_cb, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(g.id[i], base + ids[i]);
		snprintf(src, sizeof(src), "1.3.6.1.2.1.25.6.3.1.2.%zu",
		    17 + i);
		assert_string_equal(g.source[i], src);
		assert_int_equal(g.len[i], strlen(v[i]));
		if (g.len[i] <= sizeof(g.value[0]))	/* got_cb keeps */
			assert_memory_equal(g.value[i], v[i], g.len[i]);
	}
}

static int
evidence_sources(struct store *s, int64_t finding)
{
	char err[ERRLEN];
	int n = 0;

	assert_int_equal(store_each_evidence_source(s, finding, count_source,
	    &n, err, sizeof(err)), 0);
	return n;
}

/* "ITEM:VALUE ..." of path's observations by id, through the view. */
static void
view_rows(const char *path, const char *want)
{
	sql_text(path, "SELECT group_concat(item || ':' || CAST(value AS "
	    "TEXT), ' ') FROM (SELECT * FROM observations ORDER BY id)",
	    want);
}

/* The store's reader gives run's five rows ids[i], values v[i]. */
static void
got_five(struct store *s, int64_t run, const int64_t *ids,
    const char *const *v)
{
	struct got g;
	char err[ERRLEN];
	size_t i, k;

	memset(&g, 0, sizeof(g));
	assert_int_equal(store_each_observation(s, run, 0, got_cb, &g, err,
	    sizeof(err)), 0);
	assert_int_equal(g.n, 5);
	for (i = 0; i < g.n; i++) {
		for (k = 0; k < 5 && ids[k] != g.id[i]; k++)
			;
		assert_true(k < 5);
		assert_int_equal(g.len[i], strlen(v[k]));
		assert_memory_equal(g.value[i], v[k], g.len[i]);
	}
}

/*
 * Values stored once (schema 9): a row whose value its caller names by a
 * key names one row of obs_values instead of holding the bytes; a value
 * shorter than STORE_VALUE_MIN, or one without a key, stays in its block,
 * after one so named (which counts nothing towards the next offset).  The
 * store's reader, the view, a finding's evidence and both merges give the
 * same bytes back; a merged database holds them in its blocks.
 */
static void
test_values_once(void **state)
{
	static const char want[] = "1:Kaspersky AV 21 1:Kaspersky AV 21 "
	    "2:short 2:no key at all 3:Kaspersky AV 21";
	static const char *const v[] = { "Kaspersky AV 21", "Kaspersky AV 21",
	    "short", "no key at all", "Kaspersky AV 21" };
	struct merge_stats ms;
	struct tmp t, c;
	struct store *s;
	sqlite3 *db_;
	char err[ERRLEN], sql[512];
	int64_t run, h1, h2, ids[5];

	(void)state;
	tmp_make(&t, "once.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "once", T0);
	h1 = host(s, run, "10.0.0.1");
	h2 = host(s, run, "10.0.0.2");
	ids[0] = add_keyed(s, run, h1, "1", v[0], 77);
	ids[1] = add_keyed(s, run, h2, "1", v[1], 77);
	ids[2] = add_keyed(s, run, h1, "2", v[2], 78);
	ids[3] = add_keyed(s, run, h2, "2", v[3], 0);
	ids[4] = add_keyed(s, run, h1, "3", v[4], 77);
	/* Read back in the writer's own batch. */
	got_five(s, run, ids, v);
	end_run(s, run, RUN_COMPLETE);
	store_close(s);
	sql_text(t.path, "SELECT count(*) || ':' || group_concat(CAST(value "
	    "AS TEXT)) FROM obs_values", "1:Kaspersky AV 21");
	sql_text(t.path, "SELECT count(*) FROM obs_blocks b, "
	    "json_each(b.rows) j WHERE j.value ->> '$[#-2]' < 0", "3");
	view_rows(t.path, want);
	/* A finding whose evidence is a row so named, and one in a block. */
	assert_int_equal(sqlite3_open(t.path, &db_), SQLITE_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO findings (id, run_id, "
	    "host_id, finding_id, rule_id, severity) VALUES "
	    "(1, %lld, %lld, 'BA-1', 'kes', 'high'); "
	    "INSERT INTO finding_evidence VALUES (1, %lld), (1, %lld)",
	    (long long)run, (long long)h1, (long long)ids[4],
	    (long long)ids[2]);
	assert_int_equal(sqlite3_exec(db_, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db_);
	s = open_ok(t.path, STORE_READ);
	assert_int_equal(evidence_sources(s, 1), 1);
	got_five(s, run, ids, v);
	store_close(s);

	/* Merged whole: the same rows, their values in the blocks. */
	tmp_make(&c, "central.db");
	s = open_ok(c.path, STORE_WRITE);
	assert_int_equal(store_merge_as(s, t.path, MERGE_FULL, &ms, err,
	    sizeof(err)), 0);
	assert_int_equal(ms.observations, 5);
	store_close(s);
	view_rows(c.path, want);
	sql_text(c.path, "SELECT count(*) FROM obs_values", "0");
	rm_tree(c.dir);
	/* With the evidence alone: the finding's two rows. */
	tmp_make(&c, "central.db");
	s = open_ok(c.path, STORE_WRITE);
	assert_int_equal(store_merge_as(s, t.path, MERGE_EVIDENCE, &ms, err,
	    sizeof(err)), 0);
	assert_int_equal(ms.observations, 2);
	store_close(s);
	view_rows(c.path, "2:short 3:Kaspersky AV 21");
	rm_tree(c.dir);
	/* A site that lost its values: both merges refuse it, and say why. */
	raw_sql(t.path, "DELETE FROM obs_values");
	tmp_make(&c, "central.db");
	s = open_ok(c.path, STORE_WRITE);
	err[0] = '\0';
	assert_int_equal(store_merge_as(s, t.path, MERGE_EVIDENCE, &ms, err,
	    sizeof(err)), -1);
	snprintf(sql, sizeof(sql), "observation %lld names a value that is "
	    "not in the database", (long long)ids[4]);
	if (strstr(err, sql) == NULL)
		fail_msg("\"%s\"", err);
	err[0] = '\0';
	assert_int_equal(store_merge_as(s, t.path, MERGE_FULL, &ms, err,
	    sizeof(err)), -1);
	if (strstr(err, t.path) == NULL || strstr(err, "a row names value 1 "
	    "stored once, which is not in the database") == NULL)
		fail_msg("\"%s\"", err);
	store_close(s);
	rm_tree(c.dir);
	rm_tree(t.dir);
}

/*
 * A value stored once larger than a reader's cache of values
 * (STORE_VCACHE_BYTES) is read into a buffer of its own, which holds it
 * until the next call: two such values, a small one between them and the
 * first again, each row's bytes its own, in the writer's batch and from
 * the database.
 */
struct bigrows {
	const char	*v[4];
	size_t		 len[4], n;
};

static int
big_cb(void *arg, const struct obs_row *r)
{
	struct bigrows *b = arg;

	assert_true(b->n < 4);
	assert_int_equal(r->obs.len, b->len[b->n]);
	assert_memory_equal(r->obs.value, b->v[b->n], r->obs.len);
	b->n++;
	return 0;
}

static void
big_rows(struct store *s, int64_t run, struct bigrows *b)
{
	char err[ERRLEN];

	b->n = 0;
	assert_int_equal(store_each_observation(s, run, 0, big_cb, b, err,
	    sizeof(err)), 0);
	assert_int_equal(b->n, 4);
}

static void
test_value_large(void **state)
{
	static const char small[] = "a small value, kept";
	struct bigrows b;
	struct tmp t;
	struct store *s;
	char *one, *two;
	size_t i;
	int64_t run, h;

	(void)state;
	one = malloc(STORE_VCACHE_BYTES + 1000);
	two = malloc(2 * STORE_VCACHE_BYTES);
	assert_non_null(one);
	assert_non_null(two);
	for (i = 0; i < STORE_VCACHE_BYTES + 1000; i++)
		one[i] = (char)('a' + i % 26);
	for (i = 0; i < 2 * STORE_VCACHE_BYTES; i++)
		two[i] = (char)('A' + i % 23);
	b.v[0] = b.v[3] = one;
	b.len[0] = b.len[3] = STORE_VCACHE_BYTES + 1000;
	b.v[1] = small;
	b.len[1] = strlen(small);
	b.v[2] = two;
	b.len[2] = 2 * STORE_VCACHE_BYTES;
	tmp_make(&t, "large.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "large", T0);
	h = host(s, run, "10.0.0.1");
	for (i = 0; i < 4; i++)
		(void)add_as(s, run, h, i == 1 ? "2" : i == 2 ? "3" : "1",
		    NULL, VAL_TEXT, b.v[i], b.len[i], i == 1 ? 6 :
		    i == 2 ? 7 : 5, NULL);
	big_rows(s, run, &b);
	end_run(s, run, RUN_COMPLETE);
	store_close(s);
	sql_text(t.path, "SELECT count(*) FROM obs_values", "3");
	s = open_ok(t.path, STORE_READ);
	big_rows(s, run, &b);
	store_close(s);
	free(one);
	free(two);
	rm_tree(t.dir);
}

/*
 * The store's references to values stored once (store_observation_keyed()'s
 * ref): 70,000 keys, each value stored, then stored again by the
 * reference the store gave, then a few by a reference of another epoch --
 * past five times the keys' map (emptied, a new epoch, each time it is
 * three quarters full), so that a reference's 16 bits of place hold only
 * with the epochs.  Every row's value is its own.
 */
static void
test_value_refs(void **state)
{
	enum { N = 70000 };
	struct tmp t;
	struct store *s;
	uint32_t *ref, other;
	char item[16], v[32], want[32], err[ERRLEN];
	int64_t run, h;
	size_t i;

	(void)state;
	assert_non_null(ref = calloc(N, sizeof(*ref)));
	tmp_make(&t, "refs.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "refs", T0);
	h = host(s, run, "10.0.0.1");
	for (i = 0; i < 2 * N; i++) {
		snprintf(item, sizeof(item), "%zu", i % N);
		snprintf(v, sizeof(v), "value %08zu", i % N);
		add_as(s, run, h, item, NULL, VAL_TEXT, v, strlen(v),
		    1000 + i % N, &ref[i % N]);
		if (i < N)
			assert_true(ref[i] != 0);
	}
	for (i = N - 10; i < N; i++) {
		other = ref[i] ^ (1u << 16);
		snprintf(item, sizeof(item), "%zu", i);
		snprintf(v, sizeof(v), "value %08zu", i);
		add_as(s, run, h, item, NULL, VAL_TEXT, v, strlen(v), 1000 + i,
		    &other);
		assert_true(other == ref[i]);	/* looked up: the same */
	}
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	end_run(s, run, RUN_COMPLETE);
	store_close(s);
	snprintf(want, sizeof(want), "%d:0", 2 * N + 10);
	sql_text(t.path, "SELECT count(*) || ':' || sum(CAST(value AS TEXT) "
	    "<> printf('value %08d', CAST(item AS INTEGER))) FROM "
	    "observations", want);
	rm_tree(t.dir);
	free(ref);
}

/*
 * A row naming a value stored once: its id negated where the length goes
 * (whole and short), no bytes of its own, and 0 towards the offset of the
 * value after it.
 */
static void
test_decode_value_refs(void **state)
{
	static const char rows[] = "[[0,0,\"k\",\"i\",\"a\",null,0,0,-7,"
	    "0],[\"j\",-12,0],[\"l\",2,0],[\"m\",-0,0]]";
	static const int64_t vref[] = { 7, 12, 0, 0 };
	static const size_t len[] = { 0, 0, 2, 0 };
	struct store_unpack u;
	struct store_packrow r;
	char err[ERRLEN];
	size_t n = 0;
	int rc;

	(void)state;
	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, 100, rows, strlen(rows), "ab", 2);
	while ((rc = store_unpack_next(&u, &r, err, sizeof(err))) == 1) {
		assert_true(n < 4);
		assert_int_equal(r.id, 100 + (int64_t)n);
		assert_int_equal(r.vref, vref[n]);
		assert_int_equal(r.len, len[n]);
		if (len[n] > 0)
			assert_memory_equal(r.value, "ab", 2);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 4);
	store_unpack_free(&u);
}

/*
 * Schema 8's short rows, which leave out their value's offset and, when
 * it is the last row's id + 1, their id, beside schema 7's: a version 7
 * file merges as a site and migrates, and reads back the same through
 * the reader, the view and the evidence's SQL; rows added after take the
 * new forms, and those read back the same three ways.
 */
static void
test_schema7_beside_8(void **state)
{
	struct merge_stats ms;
	struct tmp t, c;
	struct store *s;
	sqlite3 *db_;
	char err[ERRLEN], sql[512];
	int64_t run, h1, h2;

	(void)state;
	tmp_make(&t, "v7.db");
	make_v7(t.path);
	tmp_make(&c, "central.db");
	s = open_ok(c.path, STORE_WRITE);
	assert_int_equal(store_merge_as(s, t.path, MERGE_FULL, &ms, err,
	    sizeof(err)), 0);
	assert_int_equal(ms.observations, 3);
	check_v7_rows(s, 1, 0);
	assert_int_equal(evidence_sources(s, 3), 1);
	store_close(s);
	rm_tree(c.dir);

	s = open_ok(t.path, STORE_WRITE);
	check_v7_rows(s, 1, 0);
	assert_int_equal(evidence_sources(s, 3), 1);
	/* Two hosts' rows in turn (ids 24 to 27), then host 1's (28, 29). */
	run = begin_run(s, "v8", T0);
	h1 = host(s, run, "10.0.0.5");
	h2 = host(s, run, "10.0.0.6");
	assert_int_equal(add(s, run, h1, "1", NULL, "a", 1), 24);
	assert_int_equal(add(s, run, h2, "1", NULL, "b", 1), 25);
	assert_int_equal(add(s, run, h1, "2", NULL, "c", 1), 26);
	assert_int_equal(add(s, run, h2, "2", NULL, "d", 1), 27);
	assert_int_equal(add(s, run, h1, "3", NULL, "e", 1), 28);
	assert_int_equal(add(s, run, h1, "4", NULL, "f", 1), 29);
	end_run(s, run, RUN_COMPLETE);
	store_close(s);
	/* Evidence on a row without its id, one with it, and no row. */
	assert_int_equal(sqlite3_open(t.path, &db_), SQLITE_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO findings (id, run_id, "
	    "host_id, finding_id, rule_id, severity) VALUES "
	    "(4, %lld, %lld, 'BA-4', 'kes', 'high'), "
	    "(5, %lld, %lld, 'BA-5', 'kes', 'high'), "
	    "(6, %lld, %lld, 'BA-6', 'kes', 'high'); "
	    "INSERT INTO finding_evidence VALUES (4, 29), (5, 28), (6, 30)",
	    (long long)run, (long long)h1, (long long)run, (long long)h1,
	    (long long)run, (long long)h1);
	assert_int_equal(sqlite3_exec(db_, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db_);

	sql_text(t.path, "SELECT user_version FROM pragma_user_version", "9");
	/* Host 1's block: whole, [2,"2",1,0], [4,"3",1,0], ["4",1,0]. */
	snprintf(sql, sizeof(sql), "SELECT group_concat(json_array_length("
	    "j.value), '') FROM obs_blocks b, json_each(b.rows) j WHERE "
	    "b.run_id = %lld AND b.host_id = %lld", (long long)run,
	    (long long)h1);
	sql_text(t.path, sql, "10443");
	sql_text(t.path, "SELECT group_concat(id || ':' || host_id || ':' || "
	    "item || ':' || CAST(value AS TEXT), ' ') FROM (SELECT * FROM "
	    "observations ORDER BY id)",
	    "20:1:17:Kaspersky Endpoint Security 21:1:18:abc 23:1:19:de "
	    "24:1:1:a 25:2:1:b 26:1:2:c 27:2:2:d 28:1:3:e 29:1:4:f");
	s = open_ok(t.path, STORE_READ);
	check_v7_rows(s, 1, 0);
	assert_int_equal(evidence_sources(s, 3), 1);
	assert_int_equal(evidence_sources(s, 4), 1);
	assert_int_equal(evidence_sources(s, 5), 1);
	assert_int_equal(evidence_sources(s, 6), 0);
	store_close(s);
	rm_tree(t.dir);
}

/*
 * The encoder's numbers (put_int's one- and two-digit fast paths and its
 * two-digits-a-step loop): every width, both signs and the decoder's
 * extremes (18 digits) come back as they went in, in plain decimal.
 */
static void
test_encode_numbers(void **state)
{
	static const int64_t seen[] = { 0, 1, 9, 10, 11, 42, 99, 100, 101,
	    999, 1000, 1009, 12345, 99999, 100000, 1767225600, -1, -9,
	    -10, -99, -100, -12345, 999999999999999999,
	    -999999999999999999 };
	struct store_pack pk;
	struct store_packrow r, got;
	struct store_unpack u;
	char err[ERRLEN], text[64];
	size_t i, n = sizeof(seen) / sizeof(seen[0]);

	(void)state;
	memset(&pk, 0, sizeof(pk));
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.run = 1;
		r.host = 2;
		r.id = 1000 + (int64_t)i * 37;
		r.kind = "software";
		r.item = "i";
		r.attr = "name";
		r.source = 2;
		r.source_id = (int64_t)i * 1001;
		r.vtype = 4;
		r.value = "v";
		r.len = 1;
		r.seen = seen[i];
		assert_int_equal(store_pack_put(&pk, &r, err, sizeof(err)), 0);
	}
	store_pack_close(&pk);
	/* The last row's text: offsets and lengths in plain decimal. */
	snprintf(text, sizeof(text), ",[%d,0,1,\"i\",\"name\",23023,4,23,1,"
	    "-999999999999999999]]", 23 * 37);
	assert_true(pk.jlen > strlen(text));
	assert_memory_equal(pk.json + pk.jlen - strlen(text), text,
	    strlen(text));
	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, pk.first, pk.json, pk.jlen, pk.vals, pk.vlen);
	for (i = 0; i < n; i++) {
		if (store_unpack_next(&u, &got, err, sizeof(err)) != 1)
			fail_msg("row %zu: %s", i, err);
		assert_int_equal(got.id, 1000 + (int64_t)i * 37);
		assert_int_equal(got.source, 2);
		assert_int_equal(got.source_id, (int64_t)i * 1001);
		assert_int_equal(got.seen, seen[i]);
		assert_int_equal(got.len, 1);
	}
	assert_int_equal(store_unpack_next(&u, &got, err, sizeof(err)), 0);
	store_unpack_free(&u);
	store_pack_free(&pk);
}

/*
 * 2026-12-06: the writer packs a row's middle (channel to value type) when
 * the row comes; since 2026-12-07 straight into its host's block
 * (store_pack_row_begin(), store_pack_row_end()): the block must be the
 * bytes store_pack_put() writes for the same rows, and the middle must
 * stay within store_pack_mid_max(), whatever the bytes (every byte JSON
 * escapes), codes or names.
 */
static uint32_t
next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Blocks a and b closed: the same rows and the same values. */
static void
close_same(struct store_pack *a, struct store_pack *b)
{
	store_pack_close(a);
	store_pack_close(b);
	assert_int_equal(a->jlen, b->jlen);
	assert_memory_equal(a->json, b->json, a->jlen);
	assert_int_equal(a->vlen, b->vlen);
	assert_memory_equal(a->vals, b->vals, a->vlen);
}

/*
 * Row r added to b as the writer adds it (store_data.c): its middle, mid
 * (mlen bytes: hlen of head, ilen of item), written where
 * store_pack_row_begin() says, then ended.  The row must fit.
 */
static void
put_direct(struct store_pack *b, const struct store_packrow *r,
    const char *mid, size_t mlen, size_t hlen, size_t ilen)
{
	char *m;

	assert_true(store_pack_fits_at(b, r->run, r->host, r->id, r->len));
	m = store_pack_row_begin(b, r->run, r->host, r->id, mlen, r->len);
	assert_non_null(m);
	memcpy(m, mid, mlen);
	store_pack_row_end(b, m, hlen, ilen, mlen - hlen - ilen, r->value,
	    r->len, 0, r->seen);
}

/* A string of n random bytes (no NUL), from an alphabet of hostile ones. */
static void
rand_text(uint32_t *x, char *buf, size_t n)
{
	static const char some[] = "\"\\\x01\x1f\x7f\xc3\xa9\xff a1.";
	size_t i;

	for (i = 0; i < n; i++) {
		if (next_rand(x) % 2)
			buf[i] = some[next_rand(x) % (sizeof(some) - 1)];
		else
			buf[i] = (char)(1 + next_rand(x) % 255);
	}
	buf[n] = '\0';
}

static void
test_middle_same_bytes(void **state)
{
	static const char *const names[] = { "snmp", "x\"y", "software",
	    "\x01", "text", "" };
	struct store_pack a, b;
	struct store_packrow r;
	char err[ERRLEN], item[40], attr[40], src[40], mid[2048];
	char scratch[2048], val[16], *e;
	uint32_t x = 20261206;
	size_t i, mlen, max, hlen, ilen;
	int64_t id = 500;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 3000; i++) {
		memset(&r, 0, sizeof(r));
		r.run = 1 + (int64_t)(i / 1000);
		r.host = 7 + (int64_t)(i / 300);
		id += 1 + next_rand(&x) % 3;
		r.id = id;
		r.seen = (int64_t)(next_rand(&x) % 200000) - 100;
		r.chan = next_rand(&x) % 4;
		if (next_rand(&x) % 5 == 0)
			r.chan_name = names[next_rand(&x) % 6];
		r.kind_known = next_rand(&x) % 2;
		r.kind_code = r.kind_known && next_rand(&x) % 4 == 0 ? -1 :
		    (int64_t)(next_rand(&x) % 11);
		r.kind = r.kind_known && r.kind_code >= 0 ? NULL :
		    names[next_rand(&x) % 6];
		rand_text(&x, item, next_rand(&x) % sizeof(item));
		rand_text(&x, attr, next_rand(&x) % sizeof(attr));
		r.item = next_rand(&x) % 7 == 0 ? NULL : item;
		r.attr = attr;
		r.source = (unsigned char)(next_rand(&x) % 3);
		if (r.source == 1) {
			rand_text(&x, src, next_rand(&x) % sizeof(src));
			r.source_text = src;
		} else if (r.source == 2)
			r.source_id = 1 + next_rand(&x) % 100000;
		r.vtype = next_rand(&x) % 5;
		if (next_rand(&x) % 5 == 0)
			r.vtype_name = names[next_rand(&x) % 6];
		rand_text(&x, val, next_rand(&x) % sizeof(val));
		r.value = val;
		r.len = strlen(val);
		if (next_rand(&x) % 2)
			r.text = strlen(item) + strlen(attr) + 1 +
			    (r.source == 1 ? strlen(src) + 1 : 0) + 2;
		/* Every byte escaped: the bound must hold. */
		max = store_pack_mid_max(&r);
		e = store_pack_mid(mid, &r);
		mlen = (size_t)(e - mid);
		if (mlen > max)
			fail_msg("row %zu: a middle of %zu bytes, at most %zu "
			    "said", i, mlen, max);
		if (!store_pack_fits(&a, &r)) {
			assert_false(store_pack_fits_at(&b, r.run, r.host,
			    r.id, r.len));
			close_same(&a, &b);
			store_pack_drop(&a);
			store_pack_drop(&b);
		}
		assert_true(store_pack_fits_at(&b, r.run, r.host, r.id,
		    r.len));
		assert_int_equal(store_pack_put(&a, &r, err, sizeof(err)), 0);
		/* The head and item, as the writer knows them. */
		hlen = (size_t)(store_pack_mid_head(scratch, &r) - scratch);
		ilen = (size_t)(store_pack_mid_item(scratch, r.item) -
		    scratch);
		put_direct(&b, &r, mid, mlen, hlen, ilen);
		assert_int_equal(a.jlen, b.jlen);
		assert_memory_equal(a.json, b.json, a.jlen);
	}
	close_same(&a, &b);
	/* A row of another host does not join; nor of another run. */
	assert_false(store_pack_fits_at(&b, a.run, a.host + 1, a.last + 1,
	    0));
	assert_false(store_pack_fits_at(&b, a.run + 1, a.host, a.last + 1,
	    0));
	/* Nor one whose id is not past the block's last. */
	assert_false(store_pack_fits_at(&b, a.run, a.host, a.last, 0));
	store_pack_free(&a);
	store_pack_free(&b);
}

/*
 * 2026-12-06: rows of one source prefix reuse the middle the prefix's last
 * row was packed with (store_data.c, struct store_mid), but only for the
 * same channel, kind, value type and attribute, the attribute compared by
 * its bytes (one buffer rewritten between rows): a row that differs in
 * any of them is packed and checked afresh, and an attribute that is not
 * one of its kind's is refused even after a good one of the same prefix.
 * Each row differs from the one before it in one of the four at most.
 */
struct mrow {
	enum channel	chan;
	enum obs_kind	kind;
	const char	*attr;
	enum value_type	vtype;
};

static int
mrow_cb(void *arg, const struct obs_row *r)
{
	struct mrow *m = arg;
	size_t i = (size_t)(r->id - 1);

	assert_true(i < 9);
	assert_int_equal(r->channel, m[i].chan);
	assert_int_equal(r->obs.kind, m[i].kind);
	assert_string_equal(r->obs.attr, m[i].attr);
	assert_int_equal(r->obs.vtype, m[i].vtype);
	assert_non_null(r->obs.source);
	assert_true(strncmp(r->obs.source, "1.3.6.1.2.1.25.6.3.1.2.", 23) ==
	    0);
	assert_string_equal(r->obs.source + 23, r->obs.item);
	m[i].attr = NULL;	/* seen */
	return 0;
}

/*
 * 2026-12-07: the writer's shortcut for rows of a cached middle
 * (store_pack_fast_find(), store_pack_row_short()): a walk's two columns,
 * then twelve middles (more than the ring of whole rows holds) and three
 * seens, ids with gaps, items of every byte, blocks that end: after every
 * row the block is the bytes store_pack_put() writes for the same rows,
 * shortcut or not.
 */
static void
test_fast_same_bytes(void **state)
{
	enum { MIDS = 12 };
	struct store_packrow r[MIDS], row;
	struct store_pack a, b;
	char err[ERRLEN], head[MIDS][64], tail[MIDS][128], item[24];
	char val[16], *m, *h, *t, *e;
	size_t hl[MIDS], tl[MIDS], i, g, fast = 0;
	uint32_t x = 20261207;
	int64_t id = 1000, k, seen;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (g = 0; g < MIDS; g++) {
		memset(&r[g], 0, sizeof(r[g]));
		r[g].run = 1;
		r[g].host = 2;
		r[g].chan = g % 3;
		r[g].kind_known = 1;
		r[g].kind_code = (int64_t)(g % 4);
		r[g].attr = g % 2 ? "name" : "date";
		r[g].source = 2;
		r[g].source_id = 100 + (int64_t)g;
		r[g].vtype = g % 3;
		hl[g] = (size_t)(store_pack_mid_head(head[g], &r[g]) -
		    head[g]);
		tl[g] = (size_t)(store_pack_mid_tail(tail[g], &r[g]) -
		    tail[g]);
	}
	for (i = 0; i < 20000; i++) {
		/* A walk's two columns of one seen first, then all sorts. */
		g = next_rand(&x) % (i < 10000 ? 2 : MIDS);
		row = r[g];
		id += 1 + (next_rand(&x) % 5 == 0 ? next_rand(&x) % 3 : 0);
		row.id = id;
		seen = i < 10000 ? 7 : (int64_t)(next_rand(&x) % 3);
		row.seen = seen;
		rand_text(&x, item, next_rand(&x) % 8);
		row.item = item;
		rand_text(&x, val, next_rand(&x) % sizeof(val));
		row.value = val;
		row.len = strlen(val);
		if (!store_pack_fits(&a, &row)) {
			close_same(&a, &b);
			store_pack_drop(&a);
			store_pack_drop(&b);
		}
		assert_int_equal(store_pack_put(&a, &row, err, sizeof(err)),
		    0);
		/* The writer: the shortcut, else the row whole, noted. */
		assert_true(store_pack_fits_at(&b, row.run, row.host, row.id,
		    row.len));
		k = store_pack_fast_find(&b, 1 + g, seen);
		if (k >= 0) {
			assert_int_equal(store_pack_row_short(&b, row.id, item,
			    strlen(item), val, row.len, 0, k), 0);
			fast++;
		} else {
			m = store_pack_row_begin(&b, row.run, row.host, row.id,
			    hl[g] + 2 + 6 * strlen(item) + tl[g], row.len);
			assert_non_null(m);
			memcpy(m, head[g], hl[g]);
			h = m + hl[g];
			t = store_pack_mid_item(h, item);
			memcpy(t, tail[g], tl[g]);
			e = t + tl[g];
			store_pack_row_end(&b, m, (size_t)(h - m),
			    (size_t)(t - h), (size_t)(e - t), val, row.len, 0,
			    seen);
			store_pack_fast_note(&b, 1 + g, seen);
		}
		if (a.jlen != b.jlen || memcmp(a.json, b.json, a.jlen) != 0)
			fail_msg("row %zu: %.*s\nagainst %.*s", i,
			    (int)b.jlen, b.json, (int)a.jlen, a.json);
	}
	close_same(&a, &b);
	/* The walk's rows went by the shortcut but for a block's first. */
	assert_true(fast > 9900);
	store_pack_free(&a);
	store_pack_free(&b);
}

static void
test_middle_per_prefix(void **state)
{
	static const struct mrow rows[] = {
		{ CHAN_SNMP, OBS_SOFTWARE, "name", VAL_TEXT },
		{ CHAN_SNMP, OBS_SOFTWARE, "name", VAL_TEXT },
		{ CHAN_SNMP, OBS_SOFTWARE, "date", VAL_TEXT },
		{ CHAN_SNMP, OBS_SOFTWARE, "name", VAL_TEXT },
		{ CHAN_SNMP, OBS_SOFTWARE, "name", VAL_HEX },
		{ CHAN_SNMP, OBS_PROCESS, "name", VAL_HEX },
		{ CHAN_AGENT, OBS_PROCESS, "name", VAL_HEX },
		{ CHAN_AGENT, OBS_PROCESS, "path", VAL_HEX },
		{ CHAN_SNMP, OBS_SOFTWARE, "version", VAL_INT },
	};
	struct mrow m[9];
	struct observation o;
	struct tmp t;
	struct store *s;
	char err[ERRLEN], attr[16], item[8], src[64];
	size_t i;
	int64_t run, h, id;

	(void)state;
	assert_int_equal(sizeof(rows) / sizeof(rows[0]), 9);
	tmp_make(&t, "m.db");
	s = open_ok(t.path, STORE_WRITE);
	run = begin_run(s, "pack", T0);
	h = host(s, run, "10.0.0.1");
	memset(&o, 0, sizeof(o));
	o.attr = attr;
	o.item = item;
	o.source = src;
	o.value = "v";
	o.len = 1;
	for (i = 0; i < 9; i++) {
		o.kind = rows[i].kind;
		o.vtype = rows[i].vtype;
		str_copy(attr, rows[i].attr, sizeof(attr));
		snprintf(item, sizeof(item), "%zu", 10 + i);
		snprintf(src, sizeof(src), "1.3.6.1.2.1.25.6.3.1.2.%s", item);
		if (store_observation(s, run, h, rows[i].chan, &o, &id, err,
		    sizeof(err)) != 0)
			fail_msg("row %zu: %s", i, err);
		assert_int_equal(id, (int64_t)i + 1);
		m[i] = rows[i];
		if (i != 1)
			continue;
		/* Not software's, after a software row of this prefix. */
		str_copy(attr, "path", sizeof(attr));
		assert_int_equal(store_observation(s, run, h, CHAN_SNMP, &o,
		    &id, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "\"path\" is not an attribute of "
		    "software"));
		/* Nor a name with more after it. */
		str_copy(attr, "names", sizeof(attr));
		assert_int_equal(store_observation(s, run, h, CHAN_SNMP, &o,
		    &id, err, sizeof(err)), -1);
	}
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	assert_int_equal(store_each_observation(s, run, 0, mrow_cb, m, err,
	    sizeof(err)), 0);
	for (i = 0; i < 9; i++)
		if (m[i].attr != NULL)
			fail_msg("row %zu not read back", i);
	store_close(s);
	rm_tree(t.dir);
}

/*
 * Schema 7: a row whose channel, kind, attribute, source, value type and
 * seen are those of a whole row before it in the block is written short,
 * naming that row; the writer's two paths write the same bytes, the
 * decoder and the view read both forms, and a short row that names no
 * whole row before it is refused.
 */
static void
short_row(struct store_packrow *r, int64_t id, const char *item,
    const char *attr, int64_t seen, const char *v)
{
	memset(r, 0, sizeof(*r));
	r->run = 1;
	r->host = 1;
	r->id = id;
	r->chan = 0;
	r->kind_known = 1;
	r->kind_code = 1;
	r->item = item;
	r->attr = attr;
	r->source = 2;
	r->source_id = 5;
	r->vtype = 0;
	r->seen = seen;
	r->value = v;
	r->len = strlen(v);
}

static int
last_seen_cb(void *arg, const struct obs_row *r)
{
	int64_t *n = arg;
	char want[64];

	(*n)++;
	assert_string_equal(r->obs.attr, *n % 2 ? "name" : "date");
	snprintf(want, sizeof(want), "1.3.6.1.2.1.25.6.3.1.%d.%s",
	    *n % 2 ? 2 : 3, r->obs.item);
	assert_string_equal(r->obs.source, want);
	return 0;
}

static void
test_short_rows(void **state)
{
	/*
	 * Short rows (schema 8) say neither their value's offset nor, when
	 * it follows the last row's, their id: row 12 follows 11, row 16
	 * does not follow 13.
	 */
	static const char want[] = "[[0,0,1,\"1\",\"name\",5,0,0,2,0],"
	    "[1,0,1,\"1\",\"date\",5,0,2,1,0],[\"2\",2,0],"
	    "[3,0,1,\"2\",\"date\",5,0,5,1,1],[6,\"3\",0,3]]";
	/*
	 * Short rows naming themselves, a short row, nothing; too long --
	 * in each form (schema 7's, with the offset; schema 8's, without,
	 * the id said or not).
	 */
	static const struct { const char *rows; int64_t good;
	    const char *why; } bad[] = {
		{ "[[0,\"x\",0,0,0]]", 0, "not before it" },
		{ "[[\"x\",0,0]]", 0, "not before it" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,0,0],[1,\"x\",0,0,1]]", 1,
		    "not before it" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,0,0],[\"x\",0,1]]", 1,
		    "not before it" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,0,0],[1,\"x\",0,0,0],"
		    "[2,\"y\",0,0,1]]", 2, "not before it" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,0,0],[1,\"x\",0,0],"
		    "[\"y\",0,1]]", 2, "not before it" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,0,0],[1,\"x\",0,0,-1]]", 1,
		    "not before it" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,0,0],[1,\"x\",0,0,99]]", 1,
		    "not before it" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,0,0],[1,\"x\",0,9,0]]", 1,
		    "out of range" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,2,0],[\"x\",2,0]]", 1,
		    "out of range" },
		{ "[[0,0,1,\"1\",\"name\",5,0,0,1,0],[4,\"x\",3,0]]", 1,
		    "out of range" },
	};
	struct { int64_t id; const char *item, *attr; int64_t seen;
	    const char *v; } in[] = {
		{ 10, "1", "name", 0, "ab" }, { 11, "1", "date", 0, "c" },
		{ 12, "2", "name", 0, "de" }, { 13, "2", "date", 1, "f" },
		{ 16, "3", "date", 1, "" },
	};
	struct store_pack a, b;
	struct store_packrow r;
	struct store_unpack u;
	struct observation o;
	struct tmp t;
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *st;
	char err[ERRLEN], mid[256], item[16], src[64], *e;
	size_t i, hlen, ilen;
	int64_t run, h, id, n;
	int rc;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 5; i++) {
		short_row(&r, in[i].id, in[i].item, in[i].attr, in[i].seen,
		    in[i].v);
		assert_int_equal(store_pack_put(&a, &r, err, sizeof(err)), 0);
		/* Where the item lies, as the writer knows it. */
		hlen = (size_t)(store_pack_mid_head(mid, &r) - mid);
		ilen = strlen(in[i].item) + 2;
		e = store_pack_mid(mid, &r);
		put_direct(&b, &r, mid, (size_t)(e - mid), hlen, ilen);
	}
	store_pack_close(&a);
	store_pack_close(&b);
	assert_int_equal(a.jlen, strlen(want));
	assert_memory_equal(a.json, want, a.jlen);
	assert_int_equal(b.jlen, a.jlen);
	assert_memory_equal(b.json, a.json, a.jlen);
	memset(&u, 0, sizeof(u));
	store_unpack_init(&u, 10, a.json, a.jlen, a.vals, a.vlen);
	for (i = 0; i < 5; i++) {
		assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)),
		    1);
		assert_int_equal(r.id, in[i].id);
		assert_int_equal(r.chan, 0);
		assert_string_equal(r.kind, "software");
		assert_string_equal(r.item, in[i].item);
		assert_string_equal(r.attr, in[i].attr);
		assert_int_equal(r.source, 2);
		assert_int_equal(r.source_id, 5);
		assert_int_equal(r.vtype, 0);
		assert_int_equal(r.seen, in[i].seen);
		assert_int_equal(r.len, strlen(in[i].v));
		assert_memory_equal(r.value, in[i].v, r.len);
	}
	assert_int_equal(store_unpack_next(&u, &r, err, sizeof(err)), 0);
	/* A new block starts with no whole rows to name. */
	store_pack_drop(&a);
	short_row(&r, 20, "9", "date", 1, "g");
	assert_int_equal(store_pack_put(&a, &r, err, sizeof(err)), 0);
	store_pack_close(&a);
	assert_int_equal(a.jlen, strlen("[[0,0,1,\"9\",\"date\",5,0,0,1,1]]"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		store_unpack_init(&u, 1, bad[i].rows, strlen(bad[i].rows),
		    "abc", 3);
		n = 0;
		while ((rc = store_unpack_next(&u, &r, err, sizeof(err))) == 1)
			n++;
		if (rc != -1 || n != bad[i].good)
			fail_msg("bad[%zu]: %lld rows, then %d", i,
			    (long long)n, rc);
		assert_non_null(strstr(err, bad[i].why));
	}
	store_unpack_free(&u);
	store_pack_free(&a);
	store_pack_free(&b);

	/*
	 * Through the store: a walk of two columns, the seen moving on, a
	 * run left running.  The view and the reader agree, and the next
	 * writer dates the interrupted run by its last row, a short one.
	 */
	tmp_make(&t, "s.db");
	s = open_ok(t.path, STORE_WRITE);
	now_pin(T0);
	run = begin_run(s, "pack", T0);
	h = host(s, run, "10.0.0.1");
	memset(&o, 0, sizeof(o));
	o.kind = OBS_SOFTWARE;
	o.item = item;
	o.source = src;
	o.vtype = VAL_TEXT;
	o.value = "v";
	o.len = 1;
	for (i = 0; i < 40; i++) {
		now_pin(T0 + (int64_t)(i / 16));
		snprintf(item, sizeof(item), "%zu", 1 + i / 2);
		o.attr = i % 2 ? "date" : "name";
		snprintf(src, sizeof(src), "1.3.6.1.2.1.25.6.3.1.%d.%s",
		    i % 2 ? 3 : 2, item);
		assert_int_equal(store_observation(s, run, h, CHAN_SNMP, &o,
		    &id, err, sizeof(err)), 0);
	}
	assert_int_equal(store_flush(s, err, sizeof(err)), 0);
	n = 0;
	assert_int_equal(store_each_observation(s, run, 0, last_seen_cb, &n,
	    err, sizeof(err)), 0);
	assert_int_equal(n, 40);
	store_close(s);
	now_pin(0);
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) "
	    "FROM obs_blocks b, json_each(b.rows) j WHERE "
	    "json_array_length(j.value) = 3), (SELECT group_concat(item || "
	    "attr || seen || CAST(value AS TEXT), ' ') FROM (SELECT * FROM "
	    "observations ORDER BY id)), (SELECT group_concat(source, ' ') "
	    "FROM (SELECT * FROM observations WHERE id IN (39, 40) ORDER BY "
	    "id))", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	/*
	 * Whole: the first name and date of each second (0, 1, 2); the
	 * short rows say neither id nor offset (one host: ids follow).
	 */
	assert_int_equal(sqlite3_column_int(st, 0), 34);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 1),
	    "1name0v 1date0v 2name0v "));
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 1),
	    " 8name0v 8date0v 9name1v "));
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 1),
	    " 20name2v 20date2v"));
	/* The prefixes of name and date, from their whole rows. */
	assert_string_equal(sqlite3_column_text(st, 2), "1 2");
	sqlite3_finalize(st);
	sqlite3_close(db);
	s = open_ok(t.path, STORE_WRITE);
	store_close(s);
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT status, finished - "
	    "started FROM runs", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "incomplete");
	assert_int_equal(sqlite3_column_int(st, 1), 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
	rm_tree(t.dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_good),
		cmocka_unit_test(test_decode_hostile),
		cmocka_unit_test(test_encode_numbers),
		cmocka_unit_test(test_middle_same_bytes),
		cmocka_unit_test(test_fast_same_bytes),
		cmocka_unit_test(test_middle_per_prefix),
		cmocka_unit_test(test_short_rows),
		cmocka_unit_test(test_schema7_beside_8),
		cmocka_unit_test(test_awkward_bytes),
		cmocka_unit_test(test_block_bytes),
		cmocka_unit_test(test_blocks_in_id_order),
		cmocka_unit_test(test_blocks_kept),
		cmocka_unit_test(test_damaged_block),
		cmocka_unit_test(test_migrate_v5),
		cmocka_unit_test(test_migrate_v5_fails),
		cmocka_unit_test(test_merge_v5),
		cmocka_unit_test(test_values_once),
		cmocka_unit_test(test_value_large),
		cmocka_unit_test(test_decode_value_refs),
		cmocka_unit_test(test_value_refs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
