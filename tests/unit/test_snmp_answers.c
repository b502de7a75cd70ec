/*
 * test_snmp_answers: what the SNMP engine makes of each thing net-snmp
 * hands its callback (snmp_session_cb(), collectors/snmp_session.c),
 * without a network: timeouts, send failures and resends of the request
 * in flight only; answers to another request, answers that came to a
 * shared socket from another address (left waiting for the real one);
 * REPORTs; the engine ID of a discovery, and one too long to be one;
 * authorizationError on the identity GET; a GET answered in order (its
 * values observed), answered with more varbinds or others (a protocol
 * error, nothing kept), noSuchName (SNMPv1: the object dropped), tooBig
 * (one object at a time, then none), genErr; a sink that refuses an
 * observation (fatal); table walks (rows, loops, --max-rows, tooBig,
 * VLAN lists and contexts); and a host's own session opened or refused
 * (no community, no user, no keys, no epoll set).  Against real agents:
 * t_snmp_status.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collector.h"
#include "snmp_int.h"

struct fix {
	struct snmp_ctx		 c;
	struct host		*heap[1];
	struct target		 t;
	struct cred_profile	 cp;
	struct host		 h;
	struct probe_result	 res[PROBE__COUNT + 1];
	char			 obs[2048];	/* "attr=value\n"... */
	char			 src[2048];	/* "attr source\n"... */
	size_t			 nobs;
	int			 refuse;
	/* The last row's column, and whether its item ends its source. */
	const void		*col;
	int			 item_in_src;
};

static int
on_observe(void *arg, size_t t, enum channel ch, const struct observation *o)
{
	struct fix *f = arg;
	size_t at = strlen(f->obs);

	assert_int_equal(t, 0);
	assert_int_equal(ch, CHAN_SNMP);
	f->nobs++;
	f->col = o->col;
	f->item_in_src = o->source != NULL && o->item != NULL &&
	    strlen(o->source) > strlen(o->item) &&
	    o->item == o->source + strlen(o->source) - strlen(o->item) &&
	    o->item[-1] == '.';
	snprintf(f->obs + at, sizeof(f->obs) - at, "%s=%.*s\n", o->attr,
	    (int)o->len, (const char *)o->value);
	at = strlen(f->src);
	snprintf(f->src + at, sizeof(f->src) - at, "%s %s\n", o->attr,
	    o->source);
	return f->refuse ? -1 : 0;
}

/* A host in the identity step with its first n objects asked. */
static void
fix_init(struct fix *f, size_t n)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->c.steps = (struct snmp_step *)(uintptr_t)snmp_steps;
	f->c.sink.arg = f;
	f->c.sink.observe = on_observe;
	f->c.opts.max_value = 4096;
	f->c.opts.timeout_ms = 1000;
	f->c.heap = f->heap;
	f->t.h.address = "192.0.2.1";
	snmp_res_map(&f->c, SNMP_PROBES);
	f->h.c = &f->c;
	f->h.res = f->res;
	f->h.t = &f->t;
	f->h.cred = &f->cp;
	f->h.state = HS_STEP;
	f->h.step = SNMP_STEP_IDENTITY;
	f->h.probes = PROBE_BIT(PROBE_SYSTEM);
	f->h.reqid = 42;
	f->h.heap_idx = SIZE_MAX;
	f->h.nsent = n;
	for (i = 0; i < n; i++)
		f->h.sent[i] = (unsigned char)i;
	f->h.pending = (1u << n) - 1;
}

/* The identity step's object i, with a value of type t. */
static void
add(netsnmp_pdu *pdu, size_t i, u_char t, const void *v, size_t len)
{
	const struct snmp_object *o = &snmp_steps[SNMP_STEP_IDENTITY].obj[i];

	assert_non_null(snmp_pdu_add_variable(pdu, o->name, o->len, t, v,
	    len));
}

/* An answer PDU of command cmd, no error (net-snmp starts them at -1). */
static netsnmp_pdu *
resp(int cmd)
{
	netsnmp_pdu *pdu = snmp_pdu_create(cmd);

	assert_non_null(pdu);
	pdu->errstat = SNMP_ERR_NOERROR;
	pdu->errindex = 0;
	return pdu;
}

static int
deliver(struct fix *f, int op, int reqid, netsnmp_pdu *pdu)
{
	return snmp_session_cb(op, NULL, reqid, pdu, &f->h);
}

static void
test_events(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 1);
	/* No host, a host closing, a free slot: nothing. */
	assert_int_equal(snmp_session_cb(NETSNMP_CALLBACK_OP_TIMED_OUT, NULL,
	    42, NULL, NULL), 1);
	f.h.closing = 1;
	assert_int_equal(deliver(&f, NETSNMP_CALLBACK_OP_TIMED_OUT, 42, NULL),
	    1);
	assert_int_equal(f.h.ev, EV_NONE);
	f.h.closing = 0;
	f.h.state = HS_FREE;
	assert_int_equal(deliver(&f, NETSNMP_CALLBACK_OP_TIMED_OUT, 42, NULL),
	    1);
	assert_int_equal(f.h.ev, EV_NONE);
	f.h.state = HS_STEP;
	/* Another request's timeout or failure is not this one's. */
	deliver(&f, NETSNMP_CALLBACK_OP_TIMED_OUT, 41, NULL);
	deliver(&f, NETSNMP_CALLBACK_OP_SEND_FAILED, 41, NULL);
	assert_int_equal(f.h.ev, EV_NONE);
	/* A security error comes before its REPORT: nothing yet. */
	deliver(&f, NETSNMP_CALLBACK_OP_SEC_ERROR, 42, NULL);
	assert_int_equal(f.h.ev, EV_NONE);
	/* A resend (notInTimeWindow) re-arms the request's deadline. */
	deliver(&f, NETSNMP_CALLBACK_OP_RESEND, 42, NULL);
	assert_int_equal(f.h.ev, EV_NONE);
	assert_true(f.h.req_at > 0);
	assert_int_equal(f.c.nheap, 1);
	assert_ptr_equal(f.c.heap[0], &f.h);
	/* A message without a PDU. */
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, NULL);
	assert_int_equal(f.h.ev, EV_NONE);
	deliver(&f, NETSNMP_CALLBACK_OP_TIMED_OUT, 42, NULL);
	assert_int_equal(f.h.ev, EV_TIMEOUT);
	fix_init(&f, 1);
	deliver(&f, NETSNMP_CALLBACK_OP_SEND_FAILED, 42, NULL);
	assert_int_equal(f.h.ev, EV_NETERR);
	assert_int_equal(f.h.neterr, EIO);
}

static void
test_get_in_order(void **state)
{
	static const oid hik[] = { 1, 3, 6, 1, 4, 1, 39165, 1, 1 };
	static const char descr[] = "Hikvision DS-2CD2143G0-I";
	struct fix f;
	netsnmp_pdu *pdu;

	(void)state;
	fix_init(&f, 2);
	pdu = resp(SNMP_MSG_RESPONSE);
	add(pdu, 0, ASN_OCTET_STR, descr, sizeof(descr) - 1);
	add(pdu, 1, ASN_OBJECT_ID, hik, sizeof(hik));
	/* Another request's answer first: not taken. */
	assert_int_equal(deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 7,
	    pdu), 1);
	assert_int_equal(f.h.ev, EV_NONE);
	assert_int_equal(deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42,
	    pdu), 1);
	assert_int_equal(f.h.ev, EV_RESPONSE);
	assert_int_equal(f.h.varbinds, 2);
	assert_int_equal(f.h.pending, 0);
	assert_false(f.h.step_failed);
	assert_non_null(strstr(f.obs, "=Hikvision DS-2CD2143G0-I\n"));
	assert_non_null(strstr(f.obs, "=1.3.6.1.4.1.39165.1.1\n"));
	assert_int_equal(f.nobs, 2);
	/* Each value's source is its own object's OID (from a cache). */
	assert_string_equal(f.src, "descr 1.3.6.1.2.1.1.1.0\n"
	    "objectid 1.3.6.1.2.1.1.2.0\n");
	/* What the identity says about the device. */
	assert_true(f.h.have_objid);
	assert_int_equal(f.h.objlen, NELEM(hik));
	assert_int_equal(f.h.nents, 1);
	assert_int_equal(f.h.ents[0], 39165);
	assert_true(snmp_vendor_wanted(&f.h));
	/* A second answer once the event is set: not taken again. */
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	assert_int_equal(f.nobs, 2);
	snmp_free_pdu(pdu);
}

static void
test_get_protocol_errors(void **state)
{
	static const char d[] = "x";
	struct fix f;
	netsnmp_pdu *pdu;

	(void)state;
	/* More varbinds than asked. */
	fix_init(&f, 1);
	pdu = resp(SNMP_MSG_RESPONSE);
	add(pdu, 0, ASN_OCTET_STR, d, 1);
	add(pdu, 0, ASN_OCTET_STR, d, 1);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.step_failed);
	assert_int_equal(f.h.step_status, COV_ERROR);
	assert_string_equal(f.h.step_why, "protocol error: a GET of 1 "
	    "objects answered with 2 varbinds that are not those objects in "
	    "order");
	assert_int_equal(f.nobs, 0);
	assert_int_equal(f.h.pending, 0);
	/* The objects in another order; fewer than asked. */
	fix_init(&f, 2);
	pdu = resp(SNMP_MSG_RESPONSE);
	add(pdu, 1, ASN_OCTET_STR, d, 1);
	add(pdu, 0, ASN_OCTET_STR, d, 1);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.step_failed);
	assert_int_equal(f.nobs, 0);
	fix_init(&f, 2);
	pdu = resp(SNMP_MSG_RESPONSE);
	add(pdu, 0, ASN_OCTET_STR, d, 1);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.step_failed);
	assert_string_equal(f.h.step_why, "protocol error: a GET of 2 "
	    "objects answered with 1 varbinds that are not those objects in "
	    "order");
	assert_int_equal(f.nobs, 0);
}

static void
test_get_error_status(void **state)
{
	struct fix f;
	netsnmp_pdu *pdu;

	(void)state;
	/* SNMPv1 noSuchName for the second object: asked again without. */
	fix_init(&f, 3);
	pdu = resp(SNMP_MSG_RESPONSE);
	pdu->errstat = SNMP_ERR_NOSUCHNAME;
	pdu->errindex = 2;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.pending, 0x5u);
	assert_false(f.h.step_failed);
	/* tooBig: one object at a time, then, alone, none. */
	fix_init(&f, 2);
	pdu = resp(SNMP_MSG_RESPONSE);
	pdu->errstat = SNMP_ERR_TOOBIG;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	assert_true(f.h.one_at_a_time);
	assert_false(f.h.toobig);
	assert_int_equal(f.h.pending, 0x3u);
	f.h.ev = EV_NONE;
	f.h.nsent = 1;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.toobig);
	assert_int_equal(f.h.pending, 0x2u);
	assert_false(f.h.step_failed);
	/* genErr: the step fails, naming the varbind. */
	fix_init(&f, 2);
	pdu = resp(SNMP_MSG_RESPONSE);
	pdu->errstat = SNMP_ERR_GENERR;
	pdu->errindex = 2;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.step_failed);
	assert_int_equal(f.h.step_status, COV_ERROR);
	assert_non_null(strstr(f.h.step_why, "(5) at varbind 2"));
	assert_int_equal(f.h.pending, 0);
	/* A PDU that is neither an answer nor a REPORT: ignored. */
	fix_init(&f, 1);
	pdu = resp(SNMP_MSG_TRAP2);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.ev, EV_NONE);
}

static void
test_reports_and_discovery(void **state)
{
	static const oid user[] = { 1, 3, 6, 1, 6, 3, 15, 1, 1, 3, 0 };
	static const u_char eid[] = { 0x80, 0, 0x1f, 0x88, 0x80, 1, 2, 3 };
	u_char big[SNMP_ENGINEID_MAX + 1];
	struct fix f;
	netsnmp_pdu *pdu;
	long zero = 0;

	(void)state;
	/* A REPORT about a bad message carries request-id 0. */
	fix_init(&f, 1);
	f.h.state = HS_AUTH;
	pdu = resp(SNMP_MSG_REPORT);
	assert_non_null(snmp_pdu_add_variable(pdu, user, NELEM(user),
	    ASN_COUNTER, &zero, sizeof(zero)));
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 0, pdu);
	assert_int_equal(f.h.ev, EV_REPORT);
	assert_non_null(strstr(f.h.report, "usmStatsUnknownUserNames"));
	assert_true(f.h.report_auth);
	/* Discovery: the engine ID the REPORT carries. */
	fix_init(&f, 1);
	f.h.state = HS_DISCOVER;
	pdu->securityEngineID = netsnmp_memdup(eid, sizeof(eid));
	pdu->securityEngineIDLen = sizeof(eid);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 0, pdu);
	assert_int_equal(f.h.ev, EV_RESPONSE);
	assert_int_equal(f.h.englen, sizeof(eid));
	assert_memory_equal(f.h.engine, eid, sizeof(eid));
	/* One longer than an engine ID can be: none. */
	fix_init(&f, 1);
	f.h.state = HS_DISCOVER;
	memset(big, 0x80, sizeof(big));
	free(pdu->securityEngineID);
	pdu->securityEngineID = netsnmp_memdup(big, sizeof(big));
	pdu->securityEngineIDLen = sizeof(big);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 0, pdu);
	assert_int_equal(f.h.ev, EV_RESPONSE);
	assert_int_equal(f.h.englen, 0);
	snmp_free_pdu(pdu);
}

static void
test_identity_auth(void **state)
{
	static const char d[] = "Linux";
	struct fix f;
	netsnmp_pdu *pdu;

	(void)state;
	/* authorizationError: the profile is refused, nothing read. */
	fix_init(&f, 1);
	f.h.state = HS_AUTH;
	pdu = resp(SNMP_MSG_RESPONSE);
	pdu->errstat = SNMP_ERR_AUTHORIZATIONERROR;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.ev, EV_RESPONSE);
	assert_null(f.h.authed);
	assert_int_equal(f.nobs, 0);
	/* An answer: the profile worked. */
	fix_init(&f, 1);
	f.h.state = HS_AUTH;
	pdu = resp(SNMP_MSG_RESPONSE);
	add(pdu, 0, ASN_OCTET_STR, d, sizeof(d) - 1);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_ptr_equal(f.h.authed, &f.cp);
	assert_int_equal(f.nobs, 1);
	/* Not a probe asked for: read, not observed. */
	fix_init(&f, 1);
	f.h.probes = 0;
	pdu = resp(SNMP_MSG_RESPONSE);
	add(pdu, 0, ASN_OCTET_STR, d, sizeof(d) - 1);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.values, 1);
	assert_int_equal(f.nobs, 0);
	/* A sink that refuses an observation stops the scan. */
	fix_init(&f, 1);
	f.refuse = 1;
	pdu = resp(SNMP_MSG_RESPONSE);
	add(pdu, 0, ASN_OCTET_STR, d, sizeof(d) - 1);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.c.fatal);
	assert_string_equal(f.c.fatal_msg, "the sink refused an observation");
}

static void
test_shared_foreign(void **state)
{
	static const char d[] = "x";
	struct snmp_shared sh;
	struct sockaddr_in *s4;
	struct fix f;
	struct host other;
	netsnmp_pdu *pdu;

	(void)state;
	fix_init(&f, 1);
	memset(&sh, 0, sizeof(sh));
	f.h.shared = &sh;
	s4 = (struct sockaddr_in *)&f.h.sa;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(161);
	s4->sin_addr.s_addr = htonl(0xc0000201);
	other = f.h;
	s4 = (struct sockaddr_in *)&other.sa;
	s4->sin_addr.s_addr = htonl(0xc0000202);
	pdu = resp(SNMP_MSG_RESPONSE);
	add(pdu, 0, ASN_OCTET_STR, d, 1);
	/* From another address: left waiting for the real answer. */
	assert_int_equal(snmp_shared_address(&other, pdu), 0);
	assert_int_equal(deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42,
	    pdu), 0);
	assert_int_equal(f.h.ev, EV_NONE);
	assert_null(f.c.fired);
	assert_int_equal(f.nobs, 0);
	/* From its own: taken, and the host queued to move on. */
	assert_int_equal(snmp_shared_address(&f.h, pdu), 0);
	assert_int_equal(deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42,
	    pdu), 1);
	assert_int_equal(f.h.ev, EV_RESPONSE);
	assert_ptr_equal(snmp_fired_pop(&f.c), &f.h);
	assert_int_equal(f.nobs, 1);
	snmp_free_pdu(pdu);
}

/* ---- table walks ---- */

static oid lastbuf[SNMP_MAX_OBJECTS][MAX_OID_LEN];

/* The step of probe p whose table is named name. */
static size_t
step_of(enum probe p, const char *name, unsigned flags)
{
	size_t i;

	for (i = 0; i < snmp_nsteps; i++)
		if (snmp_steps[i].probe == p && snmp_steps[i].item != NULL &&
		    strcmp(snmp_steps[i].item, name) == 0 &&
		    (snmp_steps[i].flags & flags) == flags)
			return i;
	fail_msg("no step %s", name);
	return 0;
}

/* A host walking step st's first column with GETBULK. */
static void
walk_init(struct fix *f, size_t st, unsigned maxrep)
{
	fix_init(f, 1);
	memset(lastbuf, 0, sizeof(lastbuf));
	f->h.step = st;
	f->h.probes = PROBE_BIT(snmp_steps[st].probe);
	f->h.last = lastbuf;
	f->h.bulk = 1;
	f->h.maxrep = maxrep;
	snmp_mr_init(&f->h.mr, maxrep);
	f->c.opts.max_rows = 100;
}

/* A varbind of column 0 of step st: its OID and then idx, an integer. */
static void
row(netsnmp_pdu *pdu, size_t st, const oid *idx, size_t n, long v)
{
	const struct snmp_object *o = &snmp_steps[st].obj[0];
	oid name[MAX_OID_LEN];

	memcpy(name, o->name, o->len * sizeof(oid));
	memcpy(name + o->len, idx, n * sizeof(oid));
	assert_non_null(snmp_pdu_add_variable(pdu, name, o->len + n,
	    ASN_INTEGER, &v, sizeof(v)));
}

/*
 * A walk names a static column's rows by the column (struct observation's
 * col, which the store trusts: the source is the column's OID, a dot and
 * the item); a table whose index is decoded into another item does not.
 */
static void
test_walk_names_column(void **state)
{
	static const oid i5[] = { 5 };
	static const oid m1[] = { 0x28, 0x57, 0xbe, 0, 0, 1 };
	size_t st, fdb = step_of(PROBE_FDB, "dot1dTpFdbTable", 0);
	char tmp[SNMP_OIDTEXT_MAX];
	struct fix f;
	netsnmp_pdu *pdu;
	int n;

	(void)state;
	for (st = 0; st < snmp_nsteps; st++)
		if (snmp_steps[st].probe == PROBE_SOFTWARE &&
		    snmp_steps[st].type == SNMP_STEP_TABLE)
			break;
	assert_true(st < snmp_nsteps);
	assert_null(snmp_steps[st].index);
	walk_init(&f, st, 10);
	/* As step_begin() sets it: the column's OID text. */
	n = snmp_oid_text(snmp_steps[st].obj[0].name,
	    snmp_steps[st].obj[0].len, tmp, sizeof(tmp));
	assert_true(n > 0);
	f.h.coltext[0] = (size_t)n;
	pdu = resp(SNMP_MSG_RESPONSE);
	row(pdu, st, i5, 1, 7);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.nobs, 1);
	assert_ptr_equal(f.col, &snmp_steps[st].obj[0]);
	assert_true(f.item_in_src);
	walk_init(&f, fdb, 10);
	pdu = resp(SNMP_MSG_RESPONSE);
	row(pdu, fdb, m1, 6, 5);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.nobs > 0);
	assert_null(f.col);
}

static void
test_walk_rows(void **state)
{
	static const oid m1[] = { 0x28, 0x57, 0xbe, 0, 0, 1 };
	static const oid m2[] = { 0x28, 0x57, 0xbe, 0, 0, 2 };
	static const oid bad[] = { 0x28, 0x57, 0xbe, 0, 0, 300 };
	static const oid next[] = { 1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 3, 0 };
	size_t st = step_of(PROBE_FDB, "dot1dTpFdbTable", 0);
	struct fix f;
	netsnmp_pdu *pdu;
	long one = 1;

	(void)state;
	walk_init(&f, st, 10);
	pdu = resp(SNMP_MSG_RESPONSE);
	row(pdu, st, m1, 6, 5);
	row(pdu, st, m2, 6, 7);
	/* An index that is no MAC (an octet above 255): a row, skipped. */
	row(pdu, st, bad, 6, 5);
	/* The next column: this one's walk ends. */
	assert_non_null(snmp_pdu_add_variable(pdu, next, NELEM(next),
	    ASN_INTEGER, &one, sizeof(one)));
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.ev, EV_RESPONSE);
	assert_int_equal(f.h.rows, 3);
	assert_int_equal(f.h.skipped, 1);
	assert_int_equal(f.h.pending, 0);
	assert_false(f.h.loop);
	assert_non_null(strstr(f.obs, "bridgeport=5\n"));
	assert_non_null(strstr(f.obs, "bridgeport=7\n"));
	assert_int_equal(f.nobs, 4);	/* mac and bridgeport, twice */

	/* An agent that goes back: a loop, the column ends there. */
	walk_init(&f, st, 10);
	pdu = resp(SNMP_MSG_RESPONSE);
	row(pdu, st, m2, 6, 7);
	row(pdu, st, m1, 6, 5);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.loop);
	assert_int_equal(f.h.rows, 1);
	assert_int_equal(f.h.pending, 0);

	/* max_rows: the table is cut, and says so. */
	walk_init(&f, st, 10);
	f.c.opts.max_rows = 1;
	pdu = resp(SNMP_MSG_RESPONSE);
	row(pdu, st, m1, 6, 5);
	row(pdu, st, m2, 6, 7);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.truncated);
	assert_int_equal(f.h.rows, 1);

	/* More varbinds than max-repetitions asked for: not read. */
	walk_init(&f, st, 1);
	pdu = resp(SNMP_MSG_RESPONSE);
	row(pdu, st, m1, 6, 5);
	row(pdu, st, m2, 6, 7);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.rows, 1);
	assert_int_equal(f.h.varbinds, 1);
	assert_int_equal(f.h.pending, 1);

	/* An empty answer ends the walk. */
	walk_init(&f, st, 10);
	pdu = resp(SNMP_MSG_RESPONSE);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.pending, 0);
	assert_int_equal(f.h.rows, 0);
}

static void
test_walk_errors(void **state)
{
	size_t st = step_of(PROBE_FDB, "dot1dTpFdbTable", 0);
	struct fix f;
	netsnmp_pdu *pdu;

	(void)state;
	/* tooBig: fewer repetitions, down to one; then no more. */
	walk_init(&f, st, 4);
	pdu = resp(SNMP_MSG_RESPONSE);
	pdu->errstat = SNMP_ERR_TOOBIG;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	assert_int_equal(f.h.mr.cur, 2);
	assert_false(f.h.toobig);
	f.h.ev = EV_NONE;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	f.h.ev = EV_NONE;
	assert_int_equal(f.h.mr.cur, 1);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.toobig);
	assert_int_equal(f.h.pending, 0);
	/* SNMPv1 GETNEXT past the end of the view: the column ends. */
	walk_init(&f, st, 1);
	f.h.bulk = 0;
	pdu = resp(SNMP_MSG_RESPONSE);
	pdu->errstat = SNMP_ERR_NOSUCHNAME;
	pdu->errindex = 1;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.pending, 0);
	assert_false(f.h.step_failed);
	/* Any other error fails the step. */
	walk_init(&f, st, 4);
	pdu = resp(SNMP_MSG_RESPONSE);
	pdu->errstat = SNMP_ERR_GENERR;
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.step_failed);
	assert_int_equal(f.h.step_status, COV_ERROR);
	assert_non_null(strstr(f.h.step_why, "(5)"));
}

static void
test_walk_vlans(void **state)
{
	size_t vtp = step_of(PROBE_VLAN_FDB, "vtpVlanState", 0);
	size_t per = step_of(PROBE_VLAN_FDB, "dot1dTpFdbTable",
	    SNMP_STEP_PER_VLAN);
	static const oid m1[] = { 0x28, 0x57, 0xbe, 0, 0, 1 };
	struct fix f;
	netsnmp_pdu *pdu;
	oid idx[2];
	long id;

	(void)state;
	/* vtpVlanState: operational VLANs listed once, VLAN 1 left to the
	   default context, the rest beyond the cap counted. */
	walk_init(&f, vtp, 100);
	f.h.fdbd_rows = 3;
	pdu = resp(SNMP_MSG_RESPONSE);
	idx[0] = 1;
	for (id = 1; id <= SNMP_VLAN_CAP + 3; id++) {
		idx[1] = (oid)id;
		row(pdu, vtp, idx, 2, 1);
	}
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_true(f.h.vlan1_default);
	assert_int_equal(f.h.nvlans, SNMP_VLAN_CAP);
	assert_int_equal(f.h.vlans[0], 2);
	assert_int_equal(f.h.vlans_over, 2);
	assert_int_equal(f.nobs, 0);
	/* A VLAN listed again is not read twice. */
	f.h.ev = EV_NONE;
	memset(lastbuf, 0, sizeof(lastbuf));
	f.h.pending = 1;
	pdu = resp(SNMP_MSG_RESPONSE);
	idx[1] = 2;
	row(pdu, vtp, idx, 2, 1);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.vlans_over, 2);
	assert_int_equal(f.h.nvlans, SNMP_VLAN_CAP);

	/* A row read in VLAN 20's context: fdb.v20.MAC, with its VLAN. */
	walk_init(&f, per, 10);
	f.h.vlans[0] = 20;
	f.h.nvlans = 1;
	pdu = resp(SNMP_MSG_RESPONSE);
	row(pdu, per, m1, 6, 5);
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_non_null(strstr(f.obs, "vlan=20\n"));
	assert_non_null(strstr(f.obs, "bridgeport=5\n"));
	assert_int_equal(f.nobs, 3);
}

/*
 * The enterprise step: one GETNEXT into each vendor subtree of the rule
 * pack.  An answer inside its subtree is kept (its OID and value) and
 * notes the vendor; one outside it (another vendor's tree, the end of
 * the MIB) says the agent does not implement the subtree.
 */
static void
test_enterprise_next(void **state)
{
	static const oid in[] = { 1, 3, 6, 1, 4, 1, 39165, 1, 1, 0 };
	static const oid out[] = { 1, 3, 6, 1, 4, 1, 2636, 1, 0 };
	static const char model[] = "DS-2CD2143G0-I";
	static struct snmp_step steps[64];
	struct snmp_object sub[2];
	struct fix f;
	netsnmp_pdu *pdu;
	size_t i, st = SIZE_MAX;

	(void)state;
	assert_true(snmp_nsteps <= NELEM(steps));
	memcpy(steps, snmp_steps, snmp_nsteps * sizeof(*steps));
	memset(sub, 0, sizeof(sub));
	assert_int_equal(snmp_oid_parse("1.3.6.1.4.1.39165", sub[0].name,
	    SNMP_OBJ_MAXLEN, &sub[0].len), 0);
	assert_int_equal(snmp_oid_parse("1.3.6.1.4.1.2011", sub[1].name,
	    SNMP_OBJ_MAXLEN, &sub[1].len), 0);
	sub[0].attr = sub[1].attr = "value";
	sub[0].octets = sub[1].octets = VAL_TEXT;
	for (i = 0; i < snmp_nsteps; i++)
		if (steps[i].flags & SNMP_STEP_SUBTREES) {
			steps[i].obj = sub;
			steps[i].nobj = 2;
			st = i;
		}
	assert_true(st != SIZE_MAX);
	fix_init(&f, 2);
	f.c.steps = steps;
	f.h.step = st;
	f.h.probes = PROBE_BIT(steps[st].probe);
	pdu = resp(SNMP_MSG_RESPONSE);
	assert_non_null(snmp_pdu_add_variable(pdu, in, NELEM(in),
	    ASN_OCTET_STR, model, sizeof(model) - 1));
	assert_non_null(snmp_pdu_add_variable(pdu, out, NELEM(out),
	    ASN_OCTET_STR, "x", 1));
	deliver(&f, NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, 42, pdu);
	snmp_free_pdu(pdu);
	assert_int_equal(f.h.ev, EV_RESPONSE);
	assert_int_equal(f.h.pending, 0);
	assert_int_equal(f.h.varbinds, 2);
	assert_non_null(strstr(f.obs, "oid=1.3.6.1.4.1.39165.1.1.0\n"));
	assert_non_null(strstr(f.obs, "value=DS-2CD2143G0-I\n"));
	assert_null(strstr(f.obs, "2636"));
	assert_int_equal(f.nobs, 2);
	assert_int_equal(f.h.nents, 1);
	assert_int_equal(f.h.ents[0], 39165);
	/* Coverage counts the subtrees answered: one. */
	assert_int_equal(f.h.values, 1);
}

/* ---- sessions ---- */

static int
no_cover(void *arg, size_t t, const struct coverage *cv)
{
	(void)arg;
	(void)t;
	(void)cv;
	return 0;
}

/* net-snmp set up as a scan sets it up: an open and close of nothing. */
static int
lib_setup(void **state)
{
	struct target_list tl;
	struct collect_opts o;
	struct collect_sink sink = { NULL, NULL, no_cover, NULL, NULL };
	char err[ERRLEN];
	void *ctx = NULL;

	(void)state;
	memset(&tl, 0, sizeof(tl));
	collect_opts_default(&o);
	if (snmp_collector.open(&ctx, &o, &tl, NULL, &sink, err,
	    sizeof(err)) != 0)
		return -1;
	snmp_collector.close(ctx);
	return 0;
}

/*
 * A host's own session: refused for a profile without its community,
 * its user name or keys that can be made; opened for SNMPv3 (a context,
 * authNoPriv) and SNMPv2c with a socket of its own in the epoll set;
 * an epoll set that refuses it closes it again.  No datagram is sent.
 */
static void
test_session_open(void **state)
{
	struct cred_profile cp[4];
	struct cred_set cs;
	struct v3key keys[4];
	struct sockaddr_in *s4;
	struct fix f;
	char why[ERRLEN];

	(void)state;
	fix_init(&f, 1);
	memset(cp, 0, sizeof(cp));
	memset(keys, 0, sizeof(keys));
	cp[0].version = SNMP_V2C;
	cp[1].version = SNMP_V3;
	cp[2].version = SNMP_V3;
	cp[2].username = "u";
	cp[2].auth = AUTH_SHA256;	/* no passphrase: no keys */
	cp[3].version = SNMP_V3;
	cp[3].username = "auditor";
	cp[3].auth = AUTH_SHA256;
	cp[3].auth_pass = "a passphrase";
	cp[3].context = "vlan-20";
	cs.v = cp;
	cs.n = 4;
	cs.path = "creds.ini";
	f.c.creds = &cs;
	f.c.keys = keys;
	f.c.slots = &f.h;
	f.c.cap = 1;
	f.c.epfd = epoll_create1(EPOLL_CLOEXEC);
	assert_true(f.c.epfd >= 0);
	netsnmp_large_fd_set_init(&f.c.fds, 64);
	str_copy(f.h.peer, "udp:127.0.0.1:161", sizeof(f.h.peer));
	s4 = (struct sockaddr_in *)&f.h.sa;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(161);
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f.h.salen = sizeof(*s4);
	assert_int_equal(snmp_session_open(&f.c, &f.h, &cp[0], why,
	    sizeof(why)), -1);
	assert_string_equal(why, "profile has no community");
	assert_int_equal(snmp_session_open(&f.c, &f.h, &cp[1], why,
	    sizeof(why)), -1);
	assert_string_equal(why, "profile has no user name");
	assert_int_equal(snmp_session_open(&f.c, &f.h, &cp[2], why,
	    sizeof(why)), -1);
	assert_string_equal(why, "cannot derive keys from the passphrases");
	assert_null(f.h.sess);
	/* SNMPv3 with a context. */
	assert_int_equal(snmp_session_open(&f.c, &f.h, &cp[3], why,
	    sizeof(why)), 0);
	assert_non_null(f.h.sess);
	assert_true(f.h.fd >= 0);
	assert_int_equal(f.h.reqid, 0);
	snmp_session_close(&f.c, &f.h);
	assert_null(f.h.sess);
	/* SNMPv2c, but the epoll set is gone: refused and closed. */
	cp[0].community = "public";
	close(f.c.epfd);
	f.c.epfd = -1;
	assert_int_equal(snmp_session_open(&f.c, &f.h, &cp[0], why,
	    sizeof(why)), -1);
	assert_non_null(strstr(why, "epoll_ctl: "));
	assert_null(f.h.sess);
	netsnmp_large_fd_set_cleanup(&f.c.fds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_get_in_order),
		cmocka_unit_test(test_get_protocol_errors),
		cmocka_unit_test(test_walk_names_column),
		cmocka_unit_test(test_get_error_status),
		cmocka_unit_test(test_reports_and_discovery),
		cmocka_unit_test(test_identity_auth),
		cmocka_unit_test(test_shared_foreign),
		cmocka_unit_test(test_walk_rows),
		cmocka_unit_test(test_walk_errors),
		cmocka_unit_test(test_walk_vlans),
		cmocka_unit_test(test_enterprise_next),
		cmocka_unit_test(test_session_open),
	};

	return cmocka_run_group_tests(tests, lib_setup, NULL);
}
