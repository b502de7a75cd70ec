/*
 * test_snmp_v3: the SNMP engine's USM half (collectors/snmp_v3.c) without
 * a network: the OID of every auth and priv protocol the README lists
 * (SHA-384 is not SHA-512), the master keys (Ku) of a profile against
 * RFC 3414's test vectors and the lengths each hash gives, a profile
 * whose keys cannot be made (no passphrase, privacy without
 * authentication) refused and the refusal remembered, the cache of
 * engine IDs past its first growth, the note a cloned engine ID leaves
 * on both hosts, and the USM user of an engine ID: held by one profile
 * at a time, a stale one net-snmp kept dropped, its keys dropped when
 * the last host lets go.  The protocols against the real snmpd:
 * t_snmpv3_protocols.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "snmp_int.h"

/* ---- protocol OIDs ---- */

static void
test_auth_oids(void **state)
{
	/* usmHMAC*AuthProtocol: 1.3.6.1.6.3.10.1.1.N (RFC 3414, 7860). */
	static const struct {
		enum auth_proto	 a;
		oid		 last;
	} want[] = {
		{ AUTH_NONE, 1 }, { AUTH_MD5, 2 }, { AUTH_SHA, 3 },
		{ AUTH_SHA224, 4 }, { AUTH_SHA256, 5 }, { AUTH_SHA384, 6 },
		{ AUTH_SHA512, 7 },
	};
	static const oid base[] = { 1, 3, 6, 1, 6, 3, 10, 1, 1 };
	size_t i, len;
	oid *o;

	(void)state;
	for (i = 0; i < NELEM(want); i++) {
		len = 0;
		o = snmp_auth_oid(want[i].a, &len);
		assert_int_equal(len, NELEM(base) + 1);
		assert_memory_equal(o, base, sizeof(base));
		assert_int_equal(o[NELEM(base)], want[i].last);
	}
}

static void
test_priv_oids(void **state)
{
	/* usmNoPriv 1.3.6.1.6.3.10.1.2.1, DES .2, AES-128 .4 (RFC 3826);
	   AES-192/256: the Blumenthal draft, 1.3.6.1.4.1.14832.1.3/.4. */
	static const oid none[] = { 1, 3, 6, 1, 6, 3, 10, 1, 2, 1 };
	static const oid des[] = { 1, 3, 6, 1, 6, 3, 10, 1, 2, 2 };
	static const oid aes[] = { 1, 3, 6, 1, 6, 3, 10, 1, 2, 4 };
	static const oid aes192[] = { 1, 3, 6, 1, 4, 1, 14832, 1, 3 };
	static const oid aes256[] = { 1, 3, 6, 1, 4, 1, 14832, 1, 4 };
	size_t len;
	oid *o;

	(void)state;
	o = snmp_priv_oid(PRIV_NONE, &len);
	assert_int_equal(len, NELEM(none));
	assert_memory_equal(o, none, sizeof(none));
	o = snmp_priv_oid(PRIV_DES, &len);
	assert_int_equal(len, NELEM(des));
	assert_memory_equal(o, des, sizeof(des));
	o = snmp_priv_oid(PRIV_AES128, &len);
	assert_int_equal(len, NELEM(aes));
	assert_memory_equal(o, aes, sizeof(aes));
	o = snmp_priv_oid(PRIV_AES192, &len);
	assert_int_equal(len, NELEM(aes192));
	assert_memory_equal(o, aes192, sizeof(aes192));
	o = snmp_priv_oid(PRIV_AES256, &len);
	assert_int_equal(len, NELEM(aes256));
	assert_memory_equal(o, aes256, sizeof(aes256));
}

/* ---- keys ---- */

#define NPROF	8

struct kfix {
	struct cred_profile	 cp[NPROF];
	struct cred_set		 cs;
	struct v3key		 keys[NPROF];
	struct snmp_ctx		 c;
};

static void
kfix_init(struct kfix *f)
{
	memset(f, 0, sizeof(*f));
	f->cs.v = f->cp;
	f->cs.n = NPROF;
	f->c.creds = &f->cs;
	f->c.keys = f->keys;
}

static void
test_keys_rfc3414(void **state)
{
	/* RFC 3414 A.3.1 and A.3.2: "maplesyrup". */
	static const unsigned char md5[] = {
		0x9f, 0xaf, 0x32, 0x83, 0x88, 0x4e, 0x92, 0x83,
		0x4e, 0xbc, 0x98, 0x47, 0xd8, 0xed, 0xd9, 0x63 };
	static const unsigned char sha[] = {
		0x9f, 0xb5, 0xcc, 0x03, 0x81, 0x49, 0x7b, 0x37,
		0x93, 0x52, 0x89, 0x39, 0xff, 0x78, 0x8d, 0x5d,
		0x79, 0x14, 0x52, 0x11 };
	struct kfix f;
	const struct v3key *k;

	(void)state;
	kfix_init(&f);
	f.cp[0].auth = AUTH_MD5;
	f.cp[0].auth_pass = "maplesyrup";
	f.cp[1].auth = AUTH_SHA;
	f.cp[1].auth_pass = "maplesyrup";
	f.cp[1].priv = PRIV_AES128;
	f.cp[1].priv_pass = "maplesyrup";
	k = snmp_v3_keys(&f.c, &f.cp[0]);
	assert_non_null(k);
	assert_int_equal(k->authlen, sizeof(md5));
	assert_memory_equal(k->auth, md5, sizeof(md5));
	assert_int_equal(k->privlen, 0);
	k = snmp_v3_keys(&f.c, &f.cp[1]);
	assert_non_null(k);
	assert_int_equal(k->authlen, sizeof(sha));
	assert_memory_equal(k->auth, sha, sizeof(sha));
	/* The privacy key is made with the authentication hash. */
	assert_int_equal(k->privlen, sizeof(sha));
	assert_memory_equal(k->priv, sha, sizeof(sha));
	assert_ptr_equal(k, &f.keys[1]);
}

static void
test_keys_lengths(void **state)
{
	static const struct {
		enum auth_proto	 a;
		size_t		 len;
	} want[] = {
		{ AUTH_SHA224, 28 }, { AUTH_SHA256, 32 }, { AUTH_SHA384, 48 },
		{ AUTH_SHA512, 64 },
	};
	struct kfix f;
	const struct v3key *k;
	size_t i;

	(void)state;
	kfix_init(&f);
	for (i = 0; i < NELEM(want); i++) {
		f.cp[i].auth = want[i].a;
		f.cp[i].auth_pass = "a passphrase of some length";
		f.cp[i].priv = PRIV_AES256;
		f.cp[i].priv_pass = "another passphrase";
		k = snmp_v3_keys(&f.c, &f.cp[i]);
		assert_non_null(k);
		assert_int_equal(k->authlen, want[i].len);
		assert_int_equal(k->privlen, want[i].len);
		/* Two passphrases, two keys. */
		assert_memory_not_equal(k->auth, k->priv, want[i].len);
	}
	/* SHA-384 and SHA-512 give different keys from one passphrase. */
	assert_memory_not_equal(f.keys[2].auth, f.keys[3].auth, 48);
}

static void
test_keys_refused(void **state)
{
	struct kfix f;
	const struct v3key *k;

	(void)state;
	kfix_init(&f);
	/* noAuthNoPriv: no keys, but ready. */
	k = snmp_v3_keys(&f.c, &f.cp[0]);
	assert_non_null(k);
	assert_int_equal(k->authlen, 0);
	assert_int_equal(k->privlen, 0);
	/* Authentication without its passphrase. */
	f.cp[1].auth = AUTH_SHA256;
	assert_null(snmp_v3_keys(&f.c, &f.cp[1]));
	assert_int_equal(f.keys[1].state, -1);
	/* The refusal is remembered: a passphrase set later is not read. */
	f.cp[1].auth_pass = "now there is one";
	assert_null(snmp_v3_keys(&f.c, &f.cp[1]));
	/* Privacy without authentication. */
	f.cp[2].priv = PRIV_AES128;
	f.cp[2].priv_pass = "privacy";
	assert_null(snmp_v3_keys(&f.c, &f.cp[2]));
	/* Privacy without its passphrase. */
	f.cp[3].auth = AUTH_SHA;
	f.cp[3].auth_pass = "authentication";
	f.cp[3].priv = PRIV_DES;
	assert_null(snmp_v3_keys(&f.c, &f.cp[3]));
	/* net-snmp refuses a passphrase under 8 characters. */
	f.cp[4].auth = AUTH_SHA;
	f.cp[4].auth_pass = "short";
	assert_null(snmp_v3_keys(&f.c, &f.cp[4]));
	f.cp[5].auth = AUTH_SHA;
	f.cp[5].auth_pass = "long enough";
	f.cp[5].priv = PRIV_AES128;
	f.cp[5].priv_pass = "short";
	assert_null(snmp_v3_keys(&f.c, &f.cp[5]));
	/* A good profile is made once and then served from the cache. */
	f.cp[6].auth = AUTH_SHA;
	f.cp[6].auth_pass = "long enough";
	k = snmp_v3_keys(&f.c, &f.cp[6]);
	assert_non_null(k);
	f.cp[6].auth_pass = NULL;
	assert_ptr_equal(snmp_v3_keys(&f.c, &f.cp[6]), k);
}

/* ---- engine IDs ---- */

static void
eid(unsigned char *id, unsigned n)
{
	memset(id, 0, 12);
	id[0] = 0x80;
	id[4] = 0x04;
	id[5] = (unsigned char)(n >> 8);
	id[6] = (unsigned char)n;
}

static void
test_engine_cache(void **state)
{
	struct snmp_ctx c;
	struct engine_ent *e, *ents[300];
	unsigned char id[12];
	unsigned i;

	(void)state;
	memset(&c, 0, sizeof(c));
	eid(id, 1);
	/* An empty cache finds nothing and does not grow to say so. */
	assert_null(snmp_engine_get(&c, id, sizeof(id), 0));
	assert_int_equal(c.neng, 0);
	for (i = 0; i < 300; i++) {
		eid(id, i);
		e = snmp_engine_get(&c, id, sizeof(id), 1);
		assert_non_null(e);
		assert_int_equal(e->target, SIZE_MAX);
		assert_int_equal(e->len, sizeof(id));
		e->target = i;	/* remembered across growth */
	}
	assert_int_equal(c.engused, 300);
	assert_true(c.neng >= 600);
	for (i = 0; i < 300; i++) {
		eid(id, i);
		ents[i] = snmp_engine_get(&c, id, sizeof(id), 0);
		assert_non_null(ents[i]);
		assert_int_equal(ents[i]->target, i);
		/* Asking again with create adds nothing. */
		assert_ptr_equal(snmp_engine_get(&c, id, sizeof(id), 1),
		    ents[i]);
	}
	assert_int_equal(c.engused, 300);
	/* A prefix of a known ID is another ID. */
	eid(id, 7);
	assert_null(snmp_engine_get(&c, id, sizeof(id) - 1, 0));
	eid(id, 300);
	assert_null(snmp_engine_get(&c, id, sizeof(id), 0));
	free(c.eng);
}

struct efix {
	struct target		 tv[3];
	struct target_list	 tl;
	struct cred_profile	 cp[2];
	struct host		 h[3];
	struct snmp_ctx		 c;
};

static void
efix_init(struct efix *f)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->tv[0].h.address = "192.0.2.1";
	f->tv[1].h.address = "192.0.2.1";	/* the same, another port */
	f->tv[2].h.address = "192.0.2.2";
	f->tl.v = f->tv;
	f->tl.n = 3;
	f->c.tl = &f->tl;
	f->cp[0].username = "alice";
	f->cp[1].username = "bob";
	for (i = 0; i < 3; i++) {
		f->h[i].c = &f->c;
		f->h[i].target = i;
		f->h[i].t = &f->tv[i];
		eid(f->h[i].engine, 42);
		f->h[i].englen = 12;
		f->h[i].cred = &f->cp[0];
	}
}

static void
test_engine_clones(void **state)
{
	struct efix f;

	(void)state;
	efix_init(&f);
	snmp_engine_seen(&f.c, &f.h[0]);
	/* The same target again, and the same address on another port. */
	snmp_engine_seen(&f.c, &f.h[0]);
	snmp_engine_seen(&f.c, &f.h[1]);
	assert_string_equal(f.h[0].notes, "");
	assert_string_equal(f.h[1].notes, "");
	/* Another address with that engine ID: both hosts are told. */
	snmp_engine_seen(&f.c, &f.h[2]);
	assert_non_null(strstr(f.h[2].notes, "SNMPv3 engine ID also seen on "
	    "192.0.2.1: one device with two addresses, or cloned images"));
	assert_non_null(strstr(f.h[0].notes, "SNMPv3 engine ID also seen on "
	    "192.0.2.2"));
	assert_string_equal(f.h[1].notes, "");
	assert_false(f.c.fatal);
	/* The first host has moved on (its slot serves another target):
	   only the newcomer is told. */
	f.h[0].notes[0] = '\0';
	f.h[2].notes[0] = '\0';
	f.h[0].target = 9;
	snmp_engine_seen(&f.c, &f.h[2]);
	assert_non_null(strstr(f.h[2].notes, "192.0.2.1"));
	assert_string_equal(f.h[0].notes, "");
	free(f.c.eng);
}

static void
test_usm_users(void **state)
{
	struct efix f;
	struct usmUser *u;
	static u_char key[20] = { 1, 2, 3 };

	(void)state;
	efix_init(&f);
	/* A user net-snmp kept from before (stale keys) for alice. */
	u = usm_create_user();
	assert_non_null(u);
	u->engineID = netsnmp_memdup(f.h[0].engine, f.h[0].englen);
	u->engineIDLen = f.h[0].englen;
	u->name = strdup("alice");
	u->secName = strdup("alice");
	u->authKey = netsnmp_memdup(key, sizeof(key));
	u->authKeyLen = sizeof(key);
	u->privKey = netsnmp_memdup(key, sizeof(key));
	u->privKeyLen = sizeof(key);
	u->authKeyKu = netsnmp_memdup(key, sizeof(key));
	u->authKeyKuLen = sizeof(key);
	u->privKeyKu = netsnmp_memdup(key, sizeof(key));
	u->privKeyKuLen = sizeof(key);
	usm_add_user(u);
	assert_non_null(usm_get_user(f.h[0].engine, f.h[0].englen,
	    "alice"));

	/* The first host to hold the engine ID drops it. */
	assert_int_equal(snmp_usm_acquire(&f.c, &f.h[0]), 0);
	assert_true(f.h[0].usm_held);
	assert_null(usm_get_user(f.h[0].engine, f.h[0].englen, "alice"));
	/* Another host with the same profile shares it. */
	assert_int_equal(snmp_usm_acquire(&f.c, &f.h[1]), 0);
	/* A clone with another profile waits. */
	f.h[2].cred = &f.cp[1];
	assert_int_equal(snmp_usm_acquire(&f.c, &f.h[2]), 1);
	assert_false(f.h[2].usm_held);
	snmp_usm_release(&f.c, &f.h[0]);
	assert_false(f.h[0].usm_held);
	snmp_usm_release(&f.c, &f.h[0]);	/* twice: nothing more */
	assert_int_equal(snmp_usm_acquire(&f.c, &f.h[2]), 1);
	snmp_usm_release(&f.c, &f.h[2]);	/* never held */

	/* The user alice's host made with its keys meanwhile... */
	u = usm_create_user();
	assert_non_null(u);
	u->engineID = netsnmp_memdup(f.h[0].engine, f.h[0].englen);
	u->engineIDLen = f.h[0].englen;
	u->name = strdup("alice");
	u->secName = strdup("alice");
	usm_add_user(u);
	/* ...goes with the last host that held it. */
	snmp_usm_release(&f.c, &f.h[1]);
	assert_null(usm_get_user(f.h[0].engine, f.h[0].englen, "alice"));
	/* Now bob's host may take it. */
	assert_int_equal(snmp_usm_acquire(&f.c, &f.h[2]), 0);
	assert_true(f.h[2].usm_held);
	snmp_usm_release(&f.c, &f.h[2]);
	assert_null(snmp_engine_get(&f.c, f.h[0].engine, f.h[0].englen,
	    0)->user);
	free(f.c.eng);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_oids),
		cmocka_unit_test(test_priv_oids),
		cmocka_unit_test(test_keys_rfc3414),
		cmocka_unit_test(test_keys_lengths),
		cmocka_unit_test(test_keys_refused),
		cmocka_unit_test(test_engine_cache),
		cmocka_unit_test(test_engine_clones),
		cmocka_unit_test(test_usm_users),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
