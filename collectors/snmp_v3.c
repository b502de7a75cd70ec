/*
 * snmp_v3: SNMPv3 for the engine: the cache of discovered engine IDs, net-
 * snmp USM users created and removed per session so that keys never cross
 * hosts or profiles, the OIDs of the auth and priv protocols, and keys
 * localised once per profile.
 */
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

/* ------------------------------------------------------------------ */
/* Engine IDs. */

static uint64_t
engine_hash(const unsigned char *id, size_t len)
{
	uint64_t x = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= id[i];
		x *= 1099511628211ULL;
	}
	return x;
}

/* Finds (or, with create, adds) an engine ID.  NULL on ENOMEM. */
struct engine_ent *
snmp_engine_get(struct snmp_ctx *c, const unsigned char *id, size_t len,
    int create)
{
	struct engine_ent *e, *nv;
	size_t i, j, nn;

	if (c->neng > 0) {
		i = (size_t)engine_hash(id, len) & (c->neng - 1);
		for (;; i = (i + 1) & (c->neng - 1)) {
			e = &c->eng[i];
			if (e->len == 0)
				break;
			if (e->len == len && memcmp(e->id, id, len) == 0)
				return e;
		}
	}
	if (!create)
		return NULL;
	if (2 * (c->engused + 1) > c->neng) {
		nn = c->neng > 0 ? 2 * c->neng : 64;
		nv = calloc(nn, sizeof(*nv));
		if (nv == NULL)
			return NULL;
		for (j = 0; j < c->neng; j++) {
			if (c->eng[j].len == 0)
				continue;
			i = (size_t)engine_hash(c->eng[j].id, c->eng[j].len) &
			    (nn - 1);
			while (nv[i].len != 0)
				i = (i + 1) & (nn - 1);
			nv[i] = c->eng[j];
		}
		free(c->eng);
		c->eng = nv;
		c->neng = nn;
	}
	i = (size_t)engine_hash(id, len) & (c->neng - 1);
	while (c->eng[i].len != 0)
		i = (i + 1) & (c->neng - 1);
	e = &c->eng[i];
	memcpy(e->id, id, len);
	e->len = len;
	e->target = SIZE_MAX;
	c->engused++;
	return e;
}

/*
 * Records the engine ID a host reported and notes a clone: two targets of
 * this scan with one engine ID share net-snmp's USM time and key state.
 */
void
snmp_engine_seen(struct snmp_ctx *c, struct host *h)
{
	struct engine_ent *e;
	const struct target *o;

	e = snmp_engine_get(c, h->engine, h->englen, 1);
	if (e == NULL) {
		snmp_fatal(c, "out of memory (engine IDs)");
		return;
	}
	if (e->target == SIZE_MAX) {
		e->target = h->target;
		e->host = h;
		return;
	}
	if (e->target == h->target)
		return;
	o = &c->tl->v[e->target];
	if (strcmp(o->h.address, h->t->h.address) == 0)
		return;		/* one agent on two ports */
	snmp_detail_add(h->notes, sizeof(h->notes), "SNMPv3 engine ID also "
	    "seen on %s: one device with two addresses, or cloned images whose "
	    "SNMPv3 keys and clocks clash", o->h.address);
	if (e->host != NULL && e->host->target == e->target)
		snmp_detail_add(e->host->notes, sizeof(e->host->notes),
		    "SNMPv3 engine ID also seen on %s: one device with two "
		    "addresses, or cloned images whose SNMPv3 keys and clocks "
		    "clash", h->t->h.address);
}

/* Removes net-snmp's user (engine, name), wiping its keys. */
static void
usm_drop(const unsigned char *engine, size_t len, const char *name)
{
	struct usmUser *u;

	u = usm_get_user(engine, len, name);
	if (u == NULL)
		return;
	usm_remove_user(u);
	if (u->authKey != NULL)
		explicit_bzero(u->authKey, u->authKeyLen);
	if (u->privKey != NULL)
		explicit_bzero(u->privKey, u->privKeyLen);
	if (u->authKeyKu != NULL)
		explicit_bzero(u->authKeyKu, u->authKeyKuLen);
	if (u->privKeyKu != NULL)
		explicit_bzero(u->privKeyKu, u->privKeyKuLen);
	usm_free_user(u);
}

/*
 * Takes this host's engine ID's USM user for its profile.  net-snmp keys
 * users by (engine ID, name) and reuses an existing user's keys, so one
 * engine ID can serve one profile at a time.  Returns 0, 1 when another
 * host (a clone) holds it with another profile, -1 on ENOMEM.
 */
int
snmp_usm_acquire(struct snmp_ctx *c, struct host *h)
{
	struct engine_ent *e;

	e = snmp_engine_get(c, h->engine, h->englen, 1);
	if (e == NULL)
		return -1;
	if (e->refs > 0 && e->user != h->cred)
		return 1;
	if (e->refs == 0) {
		/* Whatever net-snmp kept is stale: use our keys. */
		usm_drop(h->engine, h->englen, h->cred->username);
		e->user = h->cred;
	}
	e->refs++;
	h->usm_held = 1;
	return 0;
}

void
snmp_usm_release(struct snmp_ctx *c, struct host *h)
{
	struct engine_ent *e;

	if (!h->usm_held)
		return;
	h->usm_held = 0;
	e = snmp_engine_get(c, h->engine, h->englen, 0);
	if (e == NULL || e->refs == 0)
		return;
	if (--e->refs == 0) {
		usm_drop(h->engine, h->englen, e->user->username);
		e->user = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Sessions. */

oid *
snmp_auth_oid(enum auth_proto a, size_t *len)
{
	switch (a) {
	case AUTH_MD5:
		*len = NELEM(usmHMACMD5AuthProtocol);
		return usmHMACMD5AuthProtocol;
	case AUTH_SHA:
		*len = NELEM(usmHMACSHA1AuthProtocol);
		return usmHMACSHA1AuthProtocol;
	case AUTH_SHA224:
		*len = NELEM(usmHMAC128SHA224AuthProtocol);
		return usmHMAC128SHA224AuthProtocol;
	case AUTH_SHA256:
		*len = NELEM(usmHMAC192SHA256AuthProtocol);
		return usmHMAC192SHA256AuthProtocol;
	case AUTH_SHA384:
		*len = NELEM(usmHMAC256SHA384AuthProtocol);
		return usmHMAC256SHA384AuthProtocol;
	case AUTH_SHA512:
		*len = NELEM(usmHMAC384SHA512AuthProtocol);
		return usmHMAC384SHA512AuthProtocol;
	case AUTH_NONE:
		break;
	}
	*len = NELEM(usmNoAuthProtocol);
	return usmNoAuthProtocol;
}

/* AES-192/256 are the Blumenthal draft transforms (net-snmp's "AES192"). */
oid *
snmp_priv_oid(enum priv_proto p, size_t *len)
{
	switch (p) {
	case PRIV_DES:
		*len = NELEM(usmDESPrivProtocol);
		return usmDESPrivProtocol;
	case PRIV_AES128:
		*len = NELEM(usmAESPrivProtocol);
		return usmAESPrivProtocol;
	case PRIV_AES192:
		*len = NELEM(usmAES192PrivProtocol);
		return usmAES192PrivProtocol;
	case PRIV_AES256:
		*len = NELEM(usmAES256PrivProtocol);
		return usmAES256PrivProtocol;
	case PRIV_NONE:
		break;
	}
	*len = NELEM(usmNoPrivProtocol);
	return usmNoPrivProtocol;
}

/* The master keys (Ku) of a v3 profile, derived once per scan. */
const struct v3key *
snmp_v3_keys(struct snmp_ctx *c, const struct cred_profile *cp)
{
	struct v3key *k = &c->keys[cp - c->creds->v];
	oid *ap;
	size_t alen, plen;

	if (k->state != 0)
		return k->state > 0 ? k : NULL;
	k->state = -1;
	ap = snmp_auth_oid(cp->auth, &alen);
	if (cp->auth != AUTH_NONE) {
		if (cp->auth_pass == NULL)
			return NULL;
		k->authlen = sizeof(k->auth);
		if (generate_Ku(ap, (u_int)alen, (const u_char *)cp->auth_pass,
		    strlen(cp->auth_pass), k->auth, &k->authlen) !=
		    SNMPERR_SUCCESS)
			return NULL;
	}
	if (cp->priv != PRIV_NONE) {
		if (cp->priv_pass == NULL || cp->auth == AUTH_NONE)
			return NULL;
		plen = sizeof(k->priv);
		if (generate_Ku(ap, (u_int)alen, (const u_char *)cp->priv_pass,
		    strlen(cp->priv_pass), k->priv, &plen) != SNMPERR_SUCCESS)
			return NULL;
		k->privlen = plen;
	}
	k->state = 1;
	return k;
}
