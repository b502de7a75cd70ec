/*
 * Unit tests for match_memo (match_memo.h): the memo of the per-row
 * signature test answers exactly what match_row_counts() answers -- for
 * values that share a set (a collision of their hashes), for one value in
 * two fields, for values of an item-bound field, after eviction, for
 * empty, long and NUL-bearing values -- and keeps what it says it keeps.
 * Added 2026-12-06 with the memo (issue 13).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "match.h"
#include "match_memo.h"
#include "rules.h"
#include "util.h"

static struct observation
obs(enum obs_kind k, const char *attr, const char *item, const char *v)
{
	struct observation o;

	memset(&o, 0, sizeof(o));
	o.kind = k;
	o.attr = attr;
	o.item = item;
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = strlen(v);
	return o;
}

/* The memo's answer, checked against the test's own. */
static int
ask(struct match_memo *m, const struct observation *o)
{
	int want = match_row_counts(fx_pack, o), got = match_memo_counts(m, o);

	assert_int_equal(got, want);
	return got;
}

/*
 * One set: every value collides with every other, and only the byte
 * compare tells them apart.  Two values of one length, one a finding and
 * one not, each answered as the test answers, first and again.
 */
static void
test_collision_same_length(void **state)
{
	struct observation a = obs(OBS_SOFTWARE, "name", "1",
	    "Kaspersky Endpoint Security 11");
	struct observation b = obs(OBS_SOFTWARE, "name", "2",
	    "Kasparov Endpoint Security 11!");
	struct match_memo *m = match_memo_new(fx_pack, 1);
	struct match_memo_stats st;

	(void)state;
	assert_non_null(m);
	assert_int_equal(a.len, b.len);
	assert_int_equal(match_row_counts(fx_pack, &a), 1);
	assert_int_equal(match_row_counts(fx_pack, &b), 0);
	assert_int_equal(ask(m, &a), 1);
	assert_int_equal(ask(m, &b), 0);
	assert_int_equal(ask(m, &a), 1);
	assert_int_equal(ask(m, &b), 0);
	match_memo_stats(m, &st);
	assert_int_equal(st.misses, 2);
	assert_int_equal(st.hits, 2);
	match_memo_free(m);
}

/* One value in two fields: two entries, two answers. */
static void
test_same_value_two_fields(void **state)
{
	const char *v = "Kaspersky Endpoint Security";
	struct observation sw = obs(OBS_SOFTWARE, "name", "7", v);
	struct observation loc = obs(OBS_SYSTEM, "location", "", v);
	struct observation av = obs(OBS_ANTIVIRUS, "name", "1", v);
	struct match_memo *m = match_memo_new(fx_pack, 1);
	struct match_memo_stats st;
	int i;

	(void)state;
	assert_non_null(m);
	/* Meaningful only while the fields answer differently. */
	assert_int_equal(match_row_counts(fx_pack, &sw), 1);
	assert_int_equal(match_row_counts(fx_pack, &loc), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ask(m, &loc), 0);
		assert_int_equal(ask(m, &sw), 1);
		assert_int_equal(ask(m, &av), 1);
	}
	match_memo_stats(m, &st);
	assert_int_equal(st.misses, 3);
	assert_int_equal(st.hits, 6);
	match_memo_free(m);
}

/*
 * A field with a signature of one item (vendor.oid@enterprise): the same
 * value answers by its item, so such rows are tested, never kept.
 */
static void
test_item_bound_field(void **state)
{
	struct observation ent = obs(OBS_VENDOR, "oid", "enterprise",
	    "1.3.6.1.4.1.23668.1.2");
	struct observation other = obs(OBS_VENDOR, "oid", "model",
	    "1.3.6.1.4.1.23668.1.2");
	struct match_memo *m = match_memo_new(fx_pack, 1);
	struct match_memo_stats st;
	int i;

	(void)state;
	assert_non_null(m);
	assert_int_equal(match_row_counts(fx_pack, &ent), 1);
	assert_int_equal(match_row_counts(fx_pack, &other), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(ask(m, &ent), 1);
		assert_int_equal(ask(m, &other), 0);
	}
	match_memo_stats(m, &st);
	assert_int_equal(st.bypassed, 4);
	assert_int_equal(st.hits + st.misses, 0);
	match_memo_free(m);
}

/*
 * One set of MATCH_MEMO_WAYS entries: a value more replaces the least
 * recently used one, which is then tested again, and answers right.
 */
static void
test_eviction(void **state)
{
	char v[MATCH_MEMO_WAYS + 1][64];
	struct observation o[MATCH_MEMO_WAYS + 1];
	struct match_memo *m = match_memo_new(fx_pack, 1);
	struct match_memo_stats st;
	size_t i;

	(void)state;
	assert_non_null(m);
	for (i = 0; i <= MATCH_MEMO_WAYS; i++) {
		snprintf(v[i], sizeof(v[i]), i % 2 ? "kesl-12.%zu.0" :
		    "libfoo-%zu.1", i);
		o[i] = obs(OBS_SOFTWARE, "name", "1", v[i]);
	}
	for (i = 0; i < MATCH_MEMO_WAYS; i++)
		ask(m, &o[i]);
	ask(m, &o[0]);			/* o[1] is now the oldest */
	ask(m, &o[MATCH_MEMO_WAYS]);	/* replaces o[1] */
	match_memo_stats(m, &st);
	assert_int_equal(st.misses, MATCH_MEMO_WAYS + 1);
	assert_int_equal(st.hits, 1);
	ask(m, &o[0]);			/* kept */
	ask(m, &o[MATCH_MEMO_WAYS]);	/* kept */
	match_memo_stats(m, &st);
	assert_int_equal(st.hits, 3);
	ask(m, &o[1]);			/* replaced: tested again */
	match_memo_stats(m, &st);
	assert_int_equal(st.misses, MATCH_MEMO_WAYS + 2);
	assert_int_equal(st.hits, 3);
	match_memo_free(m);
}

/* Empty values, values longer than an entry, NULs, no signature. */
static void
test_edges(void **state)
{
	static const char nul[] = "Kaspersky\0Endpoint Security";
	char big[600];
	struct observation e = obs(OBS_SOFTWARE, "name", "1", "");
	struct observation lg, n1, n2, none;
	struct match_memo *m = match_memo_new(fx_pack, 2);
	struct match_memo_stats st;
	int i;

	(void)state;
	assert_non_null(m);
	memset(big, 'x', sizeof(big));
	memcpy(big, "Kaspersky Endpoint Security ", 28);
	big[sizeof(big) - 1] = '\0';
	lg = obs(OBS_SOFTWARE, "name", "2", big);
	n1 = obs(OBS_SOFTWARE, "name", "3", "Kaspersky");
	n2 = n1;
	n2.value = nul;
	n2.len = sizeof(nul) - 1;
	none = obs(OBS_SOFTWARE, "date", "4", "Kaspersky Endpoint Security");
	for (i = 0; i < 2; i++) {
		ask(m, &e);
		assert_int_equal(ask(m, &lg), 1);
		ask(m, &n1);
		ask(m, &n2);
		assert_int_equal(ask(m, &none), 0);
	}
	match_memo_stats(m, &st);
	assert_int_equal(st.bypassed, 2);	/* the long value, twice */
	assert_int_equal(st.untested, 2);	/* software.date */
	assert_int_equal(st.misses, 3);
	assert_int_equal(st.hits, 3);
	assert_null(match_memo_new(fx_pack, 3));	/* not a power of two */
	match_memo_free(m);
	match_memo_free(NULL);
}

/*
 * A collector's value need not be NUL-terminated: the memo tests a
 * terminated copy, and answers what the test answers on one.
 */
static void
test_unterminated(void **state)
{
	static const char buf[] = "KESL-12.1.0-1297 Kaspersky Endpoint "
	    "Security";
	char big[400], term[301];
	struct observation u, want, lu, lw;
	struct match_memo *m = match_memo_new(fx_pack, 1);
	int i;

	(void)state;
	assert_non_null(m);
	u = obs(OBS_SOFTWARE, "name", "1", buf);
	u.len = 4;				/* "KESL", then more bytes */
	want = obs(OBS_SOFTWARE, "name", "1", "KESL");
	memset(big, 'k', sizeof(big));
	memcpy(big, "kesl", 4);
	lu = obs(OBS_SOFTWARE, "name", "2", "");
	lu.value = big;
	lu.len = 300;				/* long: tested, not kept */
	memcpy(term, big, 300);
	term[300] = '\0';
	lw = obs(OBS_SOFTWARE, "name", "2", term);
	for (i = 0; i < 2; i++) {
		assert_int_equal(match_memo_counts(m, &u),
		    match_row_counts(fx_pack, &want));
		assert_int_equal(match_memo_counts(m, &lu),
		    match_row_counts(fx_pack, &lw));
	}
	match_memo_free(m);
}

/*
 * The values' arena full: every entry goes with it.  One set, no marks:
 * a is kept first (its value at the arena's start) and asked after every
 * other value, so that it stays in the set; the value that fills the
 * arena starts it over and is written where a's was -- an entry kept
 * would then answer for that value with a's result.
 */
static void
test_arena_reset(void **state)
{
	struct observation a, z;
	struct match_memo *m = match_memo_new(fx_pack, 1);
	struct match_memo_stats st;
	char v[32];
	int i;

	(void)state;
	assert_non_null(m);
	a = obs(OBS_SOFTWARE, "name", "1", "Kaspersky Endpoint Security");
	assert_int_equal(match_row_counts(fx_pack, &a), 1);
	ask(m, &a);
	memset(&st, 0, sizeof(st));
	for (i = 0; i < 100000 && st.resets == 0; i++) {
		/* As long as a's value, and no product's. */
		snprintf(v, sizeof(v), "zzzzzzzzzzzzzzzzzzzzzz%05d", i);
		z = obs(OBS_SOFTWARE, "name", "2", v);
		assert_int_equal(z.len, a.len);
		assert_int_equal(ask(m, &z), 0);	/* kept */
		assert_int_equal(ask(m, &z), 0);	/* from its entry */
		assert_int_equal(ask(m, &a), 1);
		match_memo_stats(m, &st);
	}
	assert_int_equal(st.resets, 1);
	match_memo_free(m);
}

/*
 * New values of 27 bytes, no product's, until the arena starts over, each
 * given ref unless it is 0: the last, which started it over, left in *z
 * (its bytes in v).
 */
static void
start_over(struct match_memo *m, uint32_t ref, struct observation *z,
    char *v, size_t vlen)
{
	struct match_memo_stats st;
	int i;

	memset(&st, 0, sizeof(st));
	for (i = 0; i < 100000 && st.resets == 0; i++) {
		snprintf(v, vlen, "zzzzzzzzzzzzzzzzzzzzzz%05d", i);
		*z = obs(OBS_SOFTWARE, "name", "2", v);
		ask(m, z);
		if (ref != 0)
			match_memo_set_ref(m, ref);
		match_memo_stats(m, &st);
	}
	assert_int_equal(st.resets, 1);
}

/*
 * The keys the store names values by (match_memo_key()): one value of a
 * field, asked again, the same key, from its entry or kept; another value,
 * the same value in another field, a field no signature tests, a value
 * the memo does not keep, another memo, and the same value after the
 * arena started over: another key, or 0 where the memo keeps nothing.
 */
static void
test_keys(void **state)
{
	struct observation a, b, other, date, z;
	struct match_memo *m = match_memo_new(fx_pack, 1);
	struct match_memo *m2 = match_memo_new(fx_pack, 1);
	uint64_t ka, kb, ko;
	char v[32], longv[300];

	(void)state;
	assert_non_null(m);
	assert_non_null(m2);
	a = obs(OBS_SOFTWARE, "name", "1", "Kaspersky Endpoint Security");
	b = obs(OBS_SOFTWARE, "name", "2", "Kasparov Endpoint Security!");
	other = obs(OBS_ANTIVIRUS, "name", "1", "Kaspersky Endpoint Security");
	date = obs(OBS_SOFTWARE, "date", "1", "2024-01-01");
	ask(m, &a);
	ka = match_memo_key(m);
	assert_true(ka != 0);
	ask(m, &a);				/* from its entry */
	assert_true(match_memo_key(m) == ka);
	ask(m, &b);
	kb = match_memo_key(m);
	assert_true(kb != 0 && kb != ka);
	ask(m, &a);
	assert_true(match_memo_key(m) == ka);
	ask(m, &other);
	ko = match_memo_key(m);
	assert_true(ko != 0 && ko != ka && ko != kb);
	assert_int_equal(match_memo_counts(m, &date), 0);
	assert_true(match_memo_key(m) == 0);	/* no signature for it */
	memset(longv, 'k', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	z = obs(OBS_SOFTWARE, "name", "3", longv);
	ask(m, &z);
	assert_true(match_memo_key(m) == 0);	/* too long to keep */
	ask(m2, &a);				/* another memo */
	assert_true(match_memo_key(m2) != 0 && match_memo_key(m2) != ka);
	/* Kept only the second time: the first, no key. */
	assert_int_equal(match_memo_twice(m2), 0);
	ask(m2, &b);
	assert_true(match_memo_key(m2) == 0);
	ask(m2, &b);
	assert_true(match_memo_key(m2) != 0);
	/* The arena starts over: a's value kept again, under a new key. */
	start_over(m, 0, &z, v, sizeof(v));
	/* The value that started it over has a's old offset, not its key. */
	ask(m, &z);
	assert_true(match_memo_key(m) != 0 && match_memo_key(m) != ka);
	ask(m, &a);
	assert_true(match_memo_key(m) != 0 && match_memo_key(m) != ka);
	match_memo_free(m);
	match_memo_free(m2);
}

/*
 * The number a caller keeps with a value (match_memo_set_ref(), the
 * store's reference): 0 until set, then given with the value's key each
 * time, its own for each value, set only on a value the last test gave a
 * key, and gone with the entry when the arena starts over.
 */
static void
test_refs(void **state)
{
	struct observation a, b, date, z;
	struct match_memo *m = match_memo_new(fx_pack, 1);
	char v[32];
	int i;

	(void)state;
	assert_non_null(m);
	a = obs(OBS_SOFTWARE, "name", "1", "Kaspersky Endpoint Security");
	b = obs(OBS_SOFTWARE, "name", "2", "Kasparov Endpoint Security!");
	date = obs(OBS_SOFTWARE, "date", "1", "2024-01-01");
	ask(m, &a);
	assert_int_equal(match_memo_ref(m), 0);
	match_memo_set_ref(m, 41);
	ask(m, &b);
	assert_int_equal(match_memo_ref(m), 0);
	match_memo_set_ref(m, 42);
	ask(m, &a);
	assert_int_equal(match_memo_ref(m), 41);
	ask(m, &b);
	assert_int_equal(match_memo_ref(m), 42);
	/* No key, no entry: nothing to set, and nothing set on another. */
	assert_int_equal(match_memo_counts(m, &date), 0);
	assert_int_equal(match_memo_ref(m), 0);
	match_memo_set_ref(m, 99);
	ask(m, &a);
	assert_int_equal(match_memo_ref(m), 41);
	ask(m, &b);
	assert_int_equal(match_memo_ref(m), 42);
	/* Values that take the set's other ways, then an entry of a or b. */
	for (i = 0; i < 3; i++) {
		snprintf(v, sizeof(v), "yyyyyyyyyyyyyyyyyyyyyy%05d", i);
		z = obs(OBS_SOFTWARE, "name", "3", v);
		ask(m, &z);
		assert_int_equal(match_memo_ref(m), 0);
		match_memo_set_ref(m, (uint32_t)(50 + i));
	}
	start_over(m, 7, &z, v, sizeof(v));
	ask(m, &a);
	assert_int_equal(match_memo_ref(m), 0);
	match_memo_free(m);
}

/*
 * A caller may reuse its attribute's buffer for another attribute: the
 * field looked up for "name" is not the answer for "date" at the same
 * address, whose rows no signature tests.
 */
static void
test_attr_buffer_reused(void **state)
{
	char attr[8];
	struct observation o;
	struct match_memo *m = match_memo_new(fx_pack, 4);
	struct match_memo_stats st;

	(void)state;
	assert_non_null(m);
	memcpy(attr, "name", 5);
	o = obs(OBS_SOFTWARE, attr, "1", "Kaspersky Endpoint Security");
	assert_int_equal(ask(m, &o), 1);
	assert_int_equal(ask(m, &o), 1);
	memcpy(attr, "date", 5);
	assert_int_equal(ask(m, &o), 0);
	match_memo_stats(m, &st);
	assert_int_equal(st.untested, 1);
	memcpy(attr, "name", 5);
	assert_int_equal(ask(m, &o), 1);
	match_memo_free(m);
}

/*
 * Many values, repeated, over a few sets (replacing all the time, and
 * filling the values' arena again and again): every answer the test's,
 * in every field of the pack with signatures.
 */
static void
test_differential(void **state)
{
	static const char *const fields[][2] = {
		{ "software", "name" }, { "software", "id" },
		{ "process", "name" }, { "process", "path" },
		{ "system", "descr" }, { "system", "objectid" },
		{ "antivirus", "name" }, { "entity", "model" },
	};
	static const char *const words[] = {
		"Kaspersky", "Endpoint", "Security", "kesl", "12.1", "huawei",
		"ZTE", "avp.exe", "1.3.6.1.4.1.2011", "Hikvision", "-", " ",
		"x", "Linux", "C:\\Program Files\\", "/opt/kaspersky/",
	};
	struct match_memo *m = match_memo_new(fx_pack, 64);
	struct match_memo_stats st;
	uint64_t r = 0x9e3779b97f4a7c15ULL;
	char v[128];
	size_t i, n, w, f, len;
	enum obs_kind k;

	(void)state;
	assert_non_null(m);
	for (i = 0; i < 20000; i++) {
		r ^= r >> 12;
		r ^= r << 25;
		r ^= r >> 27;
		f = (size_t)(r % NELEM(fields));
		n = (size_t)(r >> 8) % 2 + 1;
		for (w = 0, len = 0; w < n; w++)
			len += (size_t)snprintf(v + len, sizeof(v) - len,
			    "%s%s", w > 0 ? " " : "",
			    words[(r >> (16 + 4 * w)) % NELEM(words)]);
		assert_int_equal(obs_kind_from_name(fields[f][0], &k), 0);
		{
			struct observation o = obs(k, fields[f][1], "1", v);

			ask(m, &o);
		}
	}
	match_memo_stats(m, &st);
	assert_true(st.hits > 1000);
	assert_true(st.misses > 1000);
	/* The arena filled and started over, answers still the test's. */
	assert_true(st.resets > 0);
	match_memo_free(m);
}

/*
 * match_memo_twice(): a value is kept the second time it comes, not the
 * first; values that come once leave the table alone; every answer is
 * still the test's.
 */
static void
test_twice(void **state)
{
	struct observation a = obs(OBS_SOFTWARE, "name", "7",
	    "Kaspersky Endpoint Security 11");
	struct observation b = obs(OBS_SOFTWARE, "name", "8",
	    "Kaspersky Endpoint Security 12");
	struct match_memo *m = match_memo_new(fx_pack, 1);
	struct match_memo_stats st;
	char v[64];
	int i;

	(void)state;
	assert_non_null(m);
	assert_int_equal(match_memo_twice(m), 0);
	assert_int_equal(match_row_counts(fx_pack, &a), 1);
	assert_int_equal(ask(m, &a), 1);	/* first: marked only */
	match_memo_stats(m, &st);
	assert_int_equal(st.once, 1);
	assert_int_equal(st.misses + st.hits, 0);
	assert_int_equal(ask(m, &a), 1);	/* second: kept */
	assert_int_equal(ask(m, &a), 1);	/* third: from the entry */
	assert_int_equal(ask(m, &b), 1);
	match_memo_stats(m, &st);
	assert_int_equal(st.once, 2);
	assert_int_equal(st.misses, 1);
	assert_int_equal(st.hits, 1);
	/* A hundred values once each: none kept, each answered right. */
	for (i = 0; i < 100; i++) {
		struct observation o;

		snprintf(v, sizeof(v), "host%03d kesl %d", i, i);
		o = obs(OBS_SOFTWARE, "name", "9", v);
		assert_int_equal(ask(m, &o), match_row_counts(fx_pack, &o));
	}
	/*
	 * Each was marked, or kept if its mark was another's (the mark is
	 * a hash bit of 2^18: one such pair in 100 is already unlikely).
	 */
	match_memo_stats(m, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.once + st.misses, 2 + 1 + 100);
	assert_true(st.misses <= 1 + 2);
	match_memo_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collision_same_length),
		cmocka_unit_test(test_same_value_two_fields),
		cmocka_unit_test(test_item_bound_field),
		cmocka_unit_test(test_eviction),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_arena_reset),
		cmocka_unit_test(test_attr_buffer_reused),
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_twice),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_refs),
	};

	return cmocka_run_group_tests(tests, fx_pack_setup,
	    fx_pack_teardown);
}
