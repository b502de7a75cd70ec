/*
 * snmp_session: sessions and the wire: opening and closing a host's net-
 * snmp session (its own socket in the epoll set), building the discovery,
 * GET, GETNEXT and GETBULK PDUs of a step, and session_cb(), which parses
 * an answer into the host's state and emits observations -- never opening,
 * sending or closing anything itself.
 */
#include <assert.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net-snmp/library/large_fd_set.h>
#include "snmp.h"
#include "util.h"

#include "snmp_int.h"


/*
 * The host's address as net-snmp names a peer ("udp:192.0.2.1:161",
 * "udp6:[2001:db8::1]:161") into h->peer: only a session of its own
 * needs it, a shared socket sends to the host's sockaddr.
 */
static int
peer_name(struct host *h, char *why, size_t whylen)
{
	char addr[INET6_ADDRSTRLEN];

	if (inet_ntop(h->sa.ss_family, h->sa.ss_family == AF_INET6 ?
	    (const void *)&((struct sockaddr_in6 *)&h->sa)->sin6_addr :
	    (const void *)&((struct sockaddr_in *)&h->sa)->sin_addr,
	    addr, sizeof(addr)) == NULL)
		return errf(why, whylen, "unusable address");
	snprintf(h->peer, sizeof(h->peer), h->sa.ss_family == AF_INET6 ?
	    "udp6:[%s]:%u" : "udp:%s:%u", addr, h->port);
	return 0;
}

/*
 * Opens the host's session: SNMPv3 discovery when cp is NULL, else for
 * profile cp.  The socket is connected to the agent so that an ICMP port
 * unreachable comes back as ECONNREFUSED.  Returns 0, or -1 with a reason.
 */
int
snmp_session_open(struct snmp_ctx *c, struct host *h,
    const struct cred_profile *cp, char *why, size_t whylen)
{
	netsnmp_session s;
	netsnmp_transport *tr;
	struct epoll_event ev;
	const struct v3key *k;
	size_t len;

	if (snmp_shared_fits(c, h, cp))
		return snmp_shared_bind(c, h, cp, why, whylen);
	if (peer_name(h, why, whylen) == -1)
		return -1;
	snmp_sess_init(&s);
	s.peername = h->peer;
	s.timeout = (long)c->opts.timeout_ms * 1000L;
	s.retries = 0;		/* ours, so that they can be rate limited */
	s.callback = snmp_session_cb;
	s.callback_magic = h;
	if (cp == NULL || cp->version == SNMP_V3) {
		s.version = SNMP_VERSION_3;
		s.securityModel = SNMP_SEC_MODEL_USM;
		s.flags |= SNMP_FLAGS_DONT_PROBE;
	}
	if (cp == NULL) {
		s.securityName = (char *)"";
		s.securityNameLen = 0;
		s.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	} else if (cp->version != SNMP_V3) {
		s.version = cp->version == SNMP_V1 ? SNMP_VERSION_1 :
		    SNMP_VERSION_2c;
		if (cp->community == NULL) {
			errf(why, whylen, "profile has no community");
			return -1;
		}
		s.community = (u_char *)cp->community;
		s.community_len = strlen(cp->community);
	} else {
		if (cp->username == NULL) {
			errf(why, whylen, "profile has no user name");
			return -1;
		}
		k = snmp_v3_keys(c, cp);
		if (k == NULL) {
			errf(why, whylen, "cannot derive keys from the "
			    "passphrases");
			return -1;
		}
		s.securityName = cp->username;
		s.securityNameLen = strlen(cp->username);
		s.securityLevel = cp->priv != PRIV_NONE ?
		    SNMP_SEC_LEVEL_AUTHPRIV : cp->auth != AUTH_NONE ?
		    SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_NOAUTH;
		if (cp->auth != AUTH_NONE) {
			s.securityAuthProto = snmp_auth_oid(cp->auth, &len);
			s.securityAuthProtoLen = len;
			memcpy(s.securityAuthKey, k->auth, k->authlen);
			s.securityAuthKeyLen = k->authlen;
		}
		if (cp->priv != PRIV_NONE) {
			s.securityPrivProto = snmp_priv_oid(cp->priv, &len);
			s.securityPrivProtoLen = len;
			memcpy(s.securityPrivKey, k->priv, k->privlen);
			s.securityPrivKeyLen = k->privlen;
		}
		s.securityEngineID = h->engine;
		s.securityEngineIDLen = h->englen;
		s.contextEngineID = h->engine;
		s.contextEngineIDLen = h->englen;
		if (cp->context != NULL) {
			s.contextName = cp->context;
			s.contextNameLen = strlen(cp->context);
		}
	}
	h->sess = snmp_sess_open(&s);
	explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
	explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
	if (h->sess == NULL) {
		errf(why, whylen, "cannot open a session: %s",
		    snmp_api_errstring(s.s_snmp_errno));
		return -1;
	}
	/*
	 * snmp_sess_open() clears DONT_PROBE, and snmp_sess_async_send()
	 * would then run a synchronous engine ID probe before sending on a
	 * session without an engine ID (the discovery session): set it again.
	 */
	if (s.version == SNMP_VERSION_3)
		snmp_sess_session(h->sess)->flags |= SNMP_FLAGS_DONT_PROBE;
	tr = snmp_sess_transport(h->sess);
	h->fd = tr != NULL ? tr->sock : -1;
	if (h->fd < 0) {
		snmp_sess_close(h->sess);
		h->sess = NULL;
		errf(why, whylen, "session without a socket");
		return -1;
	}
	/*
	 * Not fatal: without it, port unreachable just times out.  Non-
	 * blocking, because a readable UDP socket may still have nothing to
	 * read (a datagram with a bad checksum is dropped at recv time) and
	 * one blocked read would stop every host.
	 */
	(void)connect(h->fd, (struct sockaddr *)&h->sa, h->salen);
	(void)fcntl(h->fd, F_SETFL, fcntl(h->fd, F_GETFL) | O_NONBLOCK);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = (uint64_t)(h - c->slots);
	if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, h->fd, &ev) != 0) {
		errf(why, whylen, "epoll_ctl: %s", strerror(errno));
		h->closing = 1;
		snmp_sess_close(h->sess);
		h->closing = 0;
		h->sess = NULL;
		return -1;
	}
	if ((unsigned)h->fd >= c->fds.lfs_setsize)
		netsnmp_large_fd_set_resize(&c->fds, h->fd + 1);
	h->reqid = 0;
	h->attempts = 0;
	return 0;
}

/* Closes the host's session (never from inside its callback). */
void
snmp_session_close(struct snmp_ctx *c, struct host *h)
{
	netsnmp_session *ss;

	if (h->shared != NULL) {
		/* The socket stays; a request still in flight goes. */
		snmp_request_cancel(h->sess, h->reqid);
		h->shared = NULL;
		h->sess = NULL;
		h->fd = -1;
	}
	if (h->sess != NULL) {
		(void)epoll_ctl(c->epfd, EPOLL_CTL_DEL, h->fd, NULL);
		ss = snmp_sess_session(h->sess);
		if (ss != NULL) {
			explicit_bzero(ss->securityAuthKey,
			    sizeof(ss->securityAuthKey));
			explicit_bzero(ss->securityPrivKey,
			    sizeof(ss->securityPrivKey));
			if (ss->community != NULL)
				explicit_bzero(ss->community,
				    ss->community_len);
		}
		h->closing = 1;		/* close() times out what is pending */
		snmp_sess_close(h->sess);
		h->closing = 0;
		h->sess = NULL;
		h->fd = -1;
	}
	snmp_usm_release(c, h);
	h->reqid = 0;
	h->req_at = 0;
	snmp_queue_remove(c, h);
	snmp_host_rearm(c, h);
}

/* ------------------------------------------------------------------ */
/* Requests. */

netsnmp_pdu *
snmp_build_discovery(void)
{
	netsnmp_pdu *pdu;

	pdu = snmp_pdu_create(SNMP_MSG_GET);
	if (pdu == NULL)
		return NULL;
	pdu->version = SNMP_VERSION_3;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	if (pdu->securityName == NULL) {
		snmp_free_pdu(pdu);
		return NULL;
	}
	return pdu;
}

/*
 * Puts the PDU in the context of the VLAN being read: community@VLAN for
 * SNMPv1/v2c (the community is a secret: the copy on the stack is wiped;
 * the PDU's, like the session's, is net-snmp's), context "vlan-N" for
 * SNMPv3.  Returns 0, or -1 when out of memory or it does not fit.
 */
static int
vlan_context(struct host *h, netsnmp_pdu *pdu)
{
	char ctx[256];
	int v3 = h->cred->version == SNMP_V3, n;
	u_char *p;

	n = snmp_vlan_context(v3, h->cred->community,
	    (long)h->vlans[h->vlan_i], ctx, sizeof(ctx));
	if (n < 0)
		return -1;
	p = malloc((size_t)n + 1);
	if (p == NULL) {
		explicit_bzero(ctx, sizeof(ctx));
		return -1;
	}
	memcpy(p, ctx, (size_t)n + 1);
	explicit_bzero(ctx, sizeof(ctx));
	if (v3) {
		free(pdu->contextName);
		pdu->contextName = (char *)p;
		pdu->contextNameLen = (size_t)n;
	} else {
		free(pdu->community);
		pdu->community = p;
		pdu->community_len = (size_t)n;
	}
	return 0;
}

/*
 * The current step's objects as one GET's varbinds, built once for the
 * collector: a shared socket's v1/v2c requests for a whole step of
 * scalars (an identity scan's one request a host) borrow them instead of
 * a calloc()'d variable of 1,136 bytes for each object of each request
 * (issue 13).  Sets *out to them, or to NULL for another kind of step;
 * -1 when out of memory.
 */
int
snmp_step_whole(struct snmp_ctx *c, struct host *h,
    netsnmp_variable_list **out)
{
	const struct snmp_step *st;
	netsnmp_variable_list *v = NULL;
	size_t i;

	*out = NULL;
	if (h->step >= snmp_nsteps)
		return 0;
	st = snmp_cur_step(h);
	if (st->type != SNMP_STEP_SCALARS || (st->flags & SNMP_STEP_PER_VLAN) ||
	    st->nobj == 0)
		return 0;
	if (c->whole == NULL &&
	    (c->whole = calloc(snmp_nsteps, sizeof(*c->whole))) == NULL)
		return -1;
	if (c->whole[h->step] == NULL) {
		for (i = 0; i < st->nobj; i++)
			if (snmp_varlist_add_variable(&v, st->obj[i].name,
			    st->obj[i].len, ASN_NULL, NULL, 0) == NULL) {
				snmp_free_varbind(v);
				return -1;
			}
		c->whole[h->step] = v;
	}
	*out = c->whole[h->step];
	return 0;
}

void
snmp_step_whole_free(struct snmp_ctx *c)
{
	size_t i;

	for (i = 0; c->whole != NULL && i < snmp_nsteps; i++)
		snmp_free_varbind(c->whole[i]);
	free(c->whole);
	c->whole = NULL;
}

/*
 * The request for the current step: a GET, GETNEXT or GETBULK.  With
 * whole (what snmp_step_whole() gave for this step: a step of scalars) a
 * GET for every object of the step gets whole as its varbinds and *lent
 * is set: the caller MUST take them back (pdu->variables = NULL) as soon
 * as net-snmp has encoded the request, before the PDU can be freed.
 */
netsnmp_pdu *
snmp_build_step(struct host *h, netsnmp_variable_list *whole, int *lent)
{
	const struct snmp_step *st = snmp_cur_step(h);
	netsnmp_pdu *pdu;
	size_t i;
	unsigned all = snmp_step_all(st);
	int v1 = h->cred->version == SNMP_V1;

	h->nsent = 0;
	h->bulk = 0;
	*lent = 0;
	if (whole != NULL && !h->one_at_a_time &&
	    (h->pending & all) == all) {
		if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL)
			return NULL;
		pdu->variables = whole;
		*lent = 1;
		for (i = 0; i < st->nobj; i++)
			h->sent[h->nsent++] = (unsigned char)i;
		h->maxrep = 1;
		return pdu;
	}
	if (st->type == SNMP_STEP_SCALARS)
		pdu = snmp_pdu_create(SNMP_MSG_GET);
	else if (st->type == SNMP_STEP_NEXT || v1)
		pdu = snmp_pdu_create(SNMP_MSG_GETNEXT);
	else {
		pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
		h->bulk = 1;
	}
	if (pdu == NULL)
		return NULL;
	if ((st->flags & SNMP_STEP_PER_VLAN) && vlan_context(h, pdu) != 0) {
		snmp_free_pdu(pdu);
		return NULL;
	}
	for (i = 0; i < st->nobj; i++) {
		if (!(h->pending & (1u << i)))
			continue;
		if (st->type != SNMP_STEP_TABLE)
			snmp_add_null_var(pdu, st->obj[i].name, st->obj[i].len);
		else
			snmp_add_null_var(pdu, h->last[i], h->lastlen[i]);
		h->sent[h->nsent++] = (unsigned char)i;
		if (st->type != SNMP_STEP_TABLE && h->one_at_a_time)
			break;
	}
	if (h->bulk) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = (long)h->mr.cur;
		h->maxrep = h->mr.cur;
	} else
		h->maxrep = 1;
	return pdu;
}

/* ------------------------------------------------------------------ */
/* Responses (parsed inside the callback). */

static void
emit(struct snmp_ctx *c, struct host *h, const struct snmp_step *st,
    const char *item, const char *attr, const char *source,
    const struct snmp_value *v, const void *col)
{
	struct observation o;

	h->values++;
	if (v->cut)
		h->cut++;
	if (!(h->probes & PROBE_BIT(st->probe)) || c->fatal)
		return;
	o.kind = st->kind;
	o.item = item;
	o.attr = attr;
	o.source = source;
	o.vtype = v->vtype;
	o.value = v->ptr;
	o.len = v->len;
	o.col = col;
	if (c->sink.observe(c->sink.arg, h->target, CHAN_SNMP, &o) != 0)
		snmp_fatal(c, "the sink refused an observation");
}

/* Remembers the enterprise an OID lies under (1.3.6.1.4.1.N...). */
static void
enterprise_seen(struct host *h, const oid *name, size_t len)
{
	static const oid ent[] = { 1, 3, 6, 1, 4, 1 };
	size_t i;

	if (name == NULL || len <= NELEM(ent) ||
	    memcmp(name, ent, sizeof(ent)) != 0)
		return;
	for (i = 0; i < h->nents; i++)
		if (h->ents[i] == name[NELEM(ent)])
			return;
	if (h->nents < NELEM(h->ents))
		h->ents[h->nents++] = name[NELEM(ent)];
}

/*
 * The text of object ob's OID, from the cache of the objects read last
 * (filled on a miss); NULL when it does not fit.  The newest entries are
 * looked at first: a walk's columns come after the identity's scalars,
 * and each of its rows looks its column up.
 */
static const struct snmp_coltext *
obj_text(struct snmp_ctx *c, const struct snmp_object *ob)
{
	struct snmp_coltext *ct;
	size_t i, k;
	int n;

	for (i = 1; i <= NELEM(c->coltext); i++) {
		k = (c->coltext_next + NELEM(c->coltext) - i) %
		    NELEM(c->coltext);
		if (ob->len > 0 && c->coltext[k].len == ob->len &&
		    memcmp(c->coltext[k].name, ob->name,
		    ob->len * sizeof(oid)) == 0)
			return &c->coltext[k];
	}
	ct = &c->coltext[c->coltext_next];
	c->coltext_next = (c->coltext_next + 1) % NELEM(c->coltext);
	ct->len = 0;
	n = snmp_oid_text(ob->name, ob->len, ct->text, sizeof(ct->text));
	if (n < 0)
		return NULL;
	memcpy(ct->name, ob->name, ob->len * sizeof(oid));
	ct->len = ob->len;
	ct->tlen = (size_t)n;
	return ct;
}

/* Remembers what the identity GET says about the device. */
static void
identity_seen(struct host *h, const netsnmp_variable_list *v, size_t obj)
{
	if (obj == 0 && v->type == ASN_OCTET_STR && v->val.string != NULL)
		h->descr_vendor |= snmp_vendor_descr(v->val.string,
		    v->val_len);
	if (obj == 1 && v->type == ASN_OBJECT_ID && v->val.objid != NULL) {
		h->objlen = v->val_len / sizeof(oid);
		if (h->objlen > SNMP_OBJ_MAXLEN)
			h->objlen = SNMP_OBJ_MAXLEN;
		memcpy(h->objid, v->val.objid, h->objlen * sizeof(oid));
		h->have_objid = 1;
		enterprise_seen(h, h->objid, h->objlen);
	}
}

/*
 * The answer to a GETNEXT into each vendor subtree: varbind j answers the
 * j-th object sent (RFC 3416 4.2.2); inside the subtree, its OID and
 * value are kept, outside it (another vendor's, the end of the MIB) the
 * agent does not implement the subtree.  An answer inside a camera
 * vendor's subtree calls for its MIB's scalars (snmp_vendor_objid()).
 */
static void
next_response(struct snmp_ctx *c, struct host *h, netsnmp_pdu *pdu)
{
	const struct snmp_step *st = snmp_cur_step(h);
	const struct snmp_object *ob;
	netsnmp_variable_list *v;
	struct snmp_value val;
	char src[SNMP_OIDTEXT_MAX], buf[SNMP_OIDTEXT_MAX];
	size_t j;

	for (v = pdu->variables, j = 0; v != NULL && j < h->nsent;
	    v = v->next_variable, j++) {
		h->varbinds++;
		ob = &st->obj[h->sent[j]];
		if (snmp_col_step(ob->name, ob->len, ob->name, ob->len,
		    v->name, v->name_length, v->type) != SNMP_COL_ROW)
			continue;
		if (snmp_oid_text(v->name, v->name_length, src,
		    sizeof(src)) < 0)
			continue;
		if (snmp_vendor_objid(v->name, v->name_length))
			h->descr_vendor = 1;
		enterprise_seen(h, v->name, v->name_length);
		val.vtype = VAL_OID;
		val.ptr = src;
		val.len = strlen(src);
		val.cut = 0;
		emit(c, h, st, st->item, "oid", src, &val, NULL);
		if (snmp_value_map(v, ob->octets, c->opts.max_value, buf,
		    sizeof(buf), &val) == 0) {
			emit(c, h, st, st->item, ob->attr, src, &val, NULL);
			h->values--;	/* coverage counts subtrees answered */
		}
	}
	for (j = 0; j < h->nsent; j++)
		h->pending &= ~(1u << h->sent[j]);
}

static void
scalars_response(struct snmp_ctx *c, struct host *h, netsnmp_pdu *pdu)
{
	const struct snmp_step *st = snmp_cur_step(h);
	const struct snmp_coltext *ct;
	netsnmp_variable_list *v;
	struct snmp_value val;
	char src[SNMP_OIDTEXT_MAX], buf[SNMP_OIDTEXT_MAX];
	size_t i, j, n;

	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex >= 1 &&
	    (size_t)pdu->errindex <= h->nsent) {
		/* SNMPv1: one object is missing; ask again without it. */
		h->pending &= ~(1u << h->sent[pdu->errindex - 1]);
		return;
	}
	if (pdu->errstat == SNMP_ERR_TOOBIG) {
		if (h->nsent > 1 && !h->one_at_a_time) {
			h->one_at_a_time = 1;
			return;
		}
		h->toobig = 1;
		for (i = 0; i < h->nsent; i++)
			h->pending &= ~(1u << h->sent[i]);
		return;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		h->step_failed = 1;
		h->step_status = COV_ERROR;
		snprintf(h->step_why, sizeof(h->step_why), "agent error %s "
		    "(%ld) at varbind %ld", snmp_errstring(pdu->errstat),
		    pdu->errstat, pdu->errindex);
		h->pending = 0;
		return;
	}
	if (st->type == SNMP_STEP_NEXT) {
		next_response(c, h, pdu);
		return;
	}
	/*
	 * A GET is answered with exactly the varbinds asked for, in their
	 * order (RFC 3416, 4.2.1).  Anything else -- more, fewer, other
	 * names -- is a protocol error for the request, and nothing of it
	 * is kept (issue 12, 2026-12-05: 3,000 copies of one varbind per
	 * answer became 12,000 observations from 4 packets).
	 */
	for (v = pdu->variables, j = 0; v != NULL && j < h->nsent;
	    v = v->next_variable, j++) {
		i = h->sent[j];
		if (v->name_length != st->obj[i].len || memcmp(v->name,
		    st->obj[i].name, v->name_length * sizeof(oid)) != 0)
			break;
	}
	if (v != NULL || j != h->nsent) {
		for (n = 0, v = pdu->variables; v != NULL && n <= SIZE_MAX / 2;
		    v = v->next_variable)
			n++;
		h->varbinds += n;
		h->step_failed = 1;
		h->step_status = COV_ERROR;
		snprintf(h->step_why, sizeof(h->step_why), "protocol error: "
		    "a GET of %zu objects answered with %zu varbinds that "
		    "are not those objects in order", h->nsent, n);
		h->pending = 0;
		return;
	}
	for (v = pdu->variables, j = 0; v != NULL;
	    v = v->next_variable, j++) {
		h->varbinds++;
		h->roles |= snmp_role_of(v);
		i = h->sent[j];
		if (h->step == SNMP_STEP_IDENTITY)
			identity_seen(h, v, i);
		if (snmp_value_map(v, st->obj[i].octets, c->opts.max_value,
		    buf, sizeof(buf), &val) != 0)
			continue;	/* noSuchObject and the like */
		/* v's name is the object's (checked above): its text. */
		ct = obj_text(c, &st->obj[i]);
		if (ct != NULL && ct->tlen < sizeof(src))
			memcpy(src, ct->text, ct->tlen + 1);
		else if (snmp_oid_text(v->name, v->name_length, src,
		    sizeof(src)) < 0)
			continue;
		emit(c, h, st, st->item, st->obj[i].attr, src, &val,
		    NULL);
	}
	for (j = 0; j < h->nsent; j++)
		h->pending &= ~(1u << h->sent[j]);
}

/*
 * A row of a VLAN list (vtpVlanState, dot1qVlanStaticName): the VLAN's
 * context is read later, up to SNMP_VLAN_CAP of them.  VLAN 1 is the
 * default context's, whose dot1dTpFdbTable the fdb probe has read.
 */
static void
vlan_listed(struct snmp_ctx *c, struct host *h, const oid *idx, size_t n,
    const netsnmp_variable_list *v)
{
	long id = snmp_vlan_listed(idx, n, v);
	size_t i;

	(void)c;
	if (id < 0)
		return;
	if (id == 1 && h->fdbd_rows > 0) {
		h->vlan1_default = 1;
		return;
	}
	for (i = 0; i < h->nvlans; i++)
		if (h->vlans[i] == (unsigned short)id)
			return;
	if (h->nvlans == SNMP_VLAN_CAP) {
		h->vlans_over++;
		return;
	}
	h->vlans[h->nvlans++] = (unsigned short)id;
}

/*
 * A row read in VLAN V's context: its item becomes "fdb.vV.MAC" or
 * "bp.vV.N", and an FDB row carries the VLAN as an extra.  Returns 0, or
 * -1 when it does not fit.
 */
static int
vlan_row(struct host *h, struct snmp_index *ix, char *buf, size_t len)
{
	long vlan = (long)h->vlans[h->vlan_i];

	if (len > sizeof(ix->item) ||
	    snmp_vlan_item(ix->item, vlan, buf, len) != 0 ||
	    ix->nextra >= SNMP_INDEX_EXTRAS)
		return -1;
	memcpy(ix->item, buf, len);
	if (snmp_cur_step(h)->kind != OBS_NEIGHBOR)
		return 0;	/* interface rows have no "vlan" */
	ix->extra[ix->nextra].attr = "vlan";
	ix->extra[ix->nextra].vtype = VAL_INT;
	ix->extra[ix->nextra].len = (size_t)snprintf(
	    (char *)ix->extra[ix->nextra].val,
	    sizeof(ix->extra[ix->nextra].val), "%ld", vlan);
	ix->nextra++;
	return 0;
}

/*
 * The text of the OID of v, a row of column ob, into src (size bytes):
 * the column's text from the cache, then the row's index.  Its length, or
 * -1 when it does not fit.
 */
static int
row_oid_text(struct snmp_ctx *c, const struct snmp_object *ob,
    const netsnmp_variable_list *v, char *src, size_t size)
{
	const struct snmp_coltext *ct;

	/* snmp_col_step() said: v->name is under the column. */
	assert(v->name_length > ob->len);
	ct = obj_text(c, ob);
	if (ct == NULL)
		return snmp_oid_text(v->name, v->name_length, src, size);
	return snmp_oid_text_after(ct->text, ct->tlen, v->name + ob->len,
	    v->name_length - ob->len, src, size);
}

/* One varbind of a walk, for column i. */
static void
walk_varbind(struct snmp_ctx *c, struct host *h, size_t i,
    const netsnmp_variable_list *v)
{
	const struct snmp_step *st = snmp_cur_step(h);
	const struct snmp_object *ob = &st->obj[i];
	struct snmp_value val;
	struct snmp_index ix;
	char src[SNMP_OIDTEXT_MAX], buf[SNMP_OIDTEXT_MAX];
	char vitem[SNMP_ITEM_MAX];
	const char *item;
	const void *col = NULL;
	size_t k;

	switch (snmp_col_step(ob->name, ob->len, h->last[i], h->lastlen[i],
	    v->name, v->name_length, v->type)) {
	case SNMP_COL_END:
		h->pending &= ~(1u << i);
		return;
	case SNMP_COL_LOOP:
		h->loop = 1;
		h->pending &= ~(1u << i);
		return;
	case SNMP_COL_ROW:
		break;
	}
	if (h->colrows[i] >= c->opts.max_rows) {
		h->truncated = 1;
		h->pending = 0;
		return;
	}
	/* Invariant: a column walk only goes forwards (snmp_col_step()). */
	assert(h->lastlen[i] == 0 || snmp_oid_compare(v->name,
	    v->name_length, h->last[i], h->lastlen[i]) > 0);
	memcpy(h->last[i], v->name, v->name_length * sizeof(oid));
	h->lastlen[i] = v->name_length;
	if (++h->colrows[i] > h->rows)
		h->rows = h->colrows[i];
	if (row_oid_text(c, ob, v, src, sizeof(src)) < 0)
		return;
	if (st->flags & SNMP_STEP_VLANS) {
		vlan_listed(c, h, v->name + ob->len, v->name_length - ob->len,
		    v);
		return;
	}
	if (st->index != NULL) {
		if (st->index(v->name + ob->len, v->name_length - ob->len,
		    &ix) != 0) {
			h->skipped++;
			return;
		}
		item = ix.item;
		if ((st->flags & SNMP_STEP_PER_VLAN) &&
		    vlan_row(h, &ix, vitem, sizeof(vitem)) != 0) {
			h->skipped++;
			return;
		}
		if (i == 0) {
			for (k = 0; k < ix.nextra; k++) {
				val.vtype = ix.extra[k].vtype;
				val.ptr = ix.extra[k].val;
				val.len = ix.extra[k].len;
				val.cut = 0;
				emit(c, h, st, item, ix.extra[k].attr, src,
				    &val, NULL);
			}
		}
	} else {
		item = src + h->coltext[i] + 1;
		/*
		 * The row's column, for the store (struct observation):
		 * a static object's, not the scan's vendor subtrees'.
		 */
		if (!(st->flags & SNMP_STEP_SUBTREES) && h->coltext[i] > 0)
			col = ob;
	}
	if (ob->attr == NULL)
		return;		/* walked for its index only */
	if (snmp_value_map(v, ob->octets, c->opts.max_value, buf,
	    sizeof(buf), &val) != 0)
		return;
	emit(c, h, st, item, ob->attr, src, &val, col);
}

static void
table_response(struct snmp_ctx *c, struct host *h, netsnmp_pdu *pdu)
{
	netsnmp_variable_list *v;
	size_t n, max;

	if (pdu->errstat == SNMP_ERR_TOOBIG && h->bulk) {
		if (snmp_mr_too_big(&h->mr) != 0) {
			h->toobig = 1;
			h->pending = 0;
		}
		return;
	}
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && !h->bulk &&
	    pdu->errindex >= 1 && (size_t)pdu->errindex <= h->nsent) {
		/* SNMPv1 GETNEXT past the end of the MIB view. */
		h->pending &= ~(1u << h->sent[pdu->errindex - 1]);
		return;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		h->step_failed = 1;
		h->step_status = COV_ERROR;
		snprintf(h->step_why, sizeof(h->step_why), "agent error %s "
		    "(%ld)", snmp_errstring(pdu->errstat), pdu->errstat);
		h->pending = 0;
		return;
	}
	if (h->bulk)
		snmp_mr_success(&h->mr);
	if (pdu->variables == NULL) {
		h->pending = 0;
		return;
	}
	max = h->nsent * h->maxrep;
	for (v = pdu->variables, n = 0; v != NULL && n < max;
	    v = v->next_variable, n++) {
		h->varbinds++;
		if (h->pending & (1u << h->sent[n % h->nsent]))
			walk_varbind(c, h, h->sent[n % h->nsent], v);
	}
}

/*
 * net-snmp's callback.  It only records: the host's next move is made by
 * snmp_host_advance() once the library call that got here has returned.
 */
static int
session_event(struct host *h, int op, int reqid, netsnmp_pdu *pdu)
{
	struct snmp_ctx *c;

	c = h->c;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		if (reqid == h->reqid)
			h->ev = EV_TIMEOUT;
		return 1;
	case NETSNMP_CALLBACK_OP_RESEND:
		/* notInTimeWindow: net-snmp resent with the agent's time. */
		pace_charge(&c->rate, snmp_mono_us());
		pace_charge(&h->trate, snmp_mono_us());
		h->req_at = mono_ms() + c->opts.timeout_ms + SLACK_MS;
		snmp_host_rearm(c, h);
		return 1;
	case NETSNMP_CALLBACK_OP_SEND_FAILED:
		if (reqid == h->reqid) {
			h->ev = EV_NETERR;
			h->neterr = EIO;
		}
		return 1;
	default:
		return 1;	/* SEC_ERROR precedes the REPORT itself */
	}
	if (pdu == NULL || h->ev != EV_NONE)
		return 1;
	/* REPORTs about a bad message carry request-id 0. */
	if (pdu->command != SNMP_MSG_REPORT && reqid != h->reqid)
		return 1;
	/*
	 * On a shared socket net-snmp matched the request id only: an
	 * answer from another address is not this host's.  0 keeps the
	 * request waiting for the real one.
	 */
	if (h->shared != NULL && !snmp_shared_from(h, pdu))
		return 0;
	if (h->state == HS_DISCOVER) {
		h->englen = 0;
		if (pdu->securityEngineIDLen > 0 &&
		    pdu->securityEngineIDLen <= SNMP_ENGINEID_MAX &&
		    pdu->securityEngineID != NULL) {
			memcpy(h->engine, pdu->securityEngineID,
			    pdu->securityEngineIDLen);
			h->englen = pdu->securityEngineIDLen;
		}
		h->ev = EV_RESPONSE;
		return 1;
	}
	if (pdu->command == SNMP_MSG_REPORT) {
		h->report = snmp_report_reason(pdu, &h->report_auth);
		h->ev = EV_REPORT;
		return 1;
	}
	if (pdu->command != SNMP_MSG_RESPONSE)
		return 1;
	h->ev = EV_RESPONSE;
	if (h->state == HS_AUTH && pdu->errstat == SNMP_ERR_AUTHORIZATIONERROR)
		return 1;
	if (h->state == HS_AUTH)
		h->authed = h->cred;
	if (snmp_cur_step(h)->type != SNMP_STEP_TABLE)
		scalars_response(c, h, pdu);
	else
		table_response(c, h, pdu);
	return 1;
}

int
snmp_session_cb(int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	struct host *h = magic;
	int rc;

	(void)sp;
	if (h == NULL || h->closing || h->state == HS_FREE)
		return 1;
	rc = session_event(h, op, reqid, pdu);
	/* One read on a shared socket may answer any of its hosts. */
	if (h->shared != NULL && h->ev != EV_NONE)
		snmp_fired_add(h->c, h);
	return rc;
}
