/*
 * import: files -> an import_set in memory (every file checked first) ->
 * one run in the store -> findings.
 */
#include <arpa/inet.h>

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "cred.h"
#include "glpi.h"
#include "import.h"
#include "import_csv.h"
#include "inventory.h"
#include "juris.h"
#include "locate.h"
#include "log.h"
#include "netinv.h"
#include "runlife.h"
#include "util.h"
#include "wazuh.h"

int
import_format_from_name(const char *s, enum import_format *out)
{
	if (str_ieq(s, "xml") || str_ieq(s, "ocs"))
		*out = IMPORT_XML;
	else if (str_ieq(s, "json"))
		*out = IMPORT_JSON;
	else if (str_ieq(s, "csv"))
		*out = IMPORT_CSV;
	else
		return -1;
	return 0;
}

enum import_format
import_detect(const char *buf, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && buf[i] == '<')
		return IMPORT_XML;
	if (i < len && (buf[i] == '{' || buf[i] == '['))
		return IMPORT_JSON;
	return IMPORT_CSV;
}

/* --- building the set ------------------------------------------------- */

struct builder {
	struct import_set	*set;
	const char		*file;
	size_t			 first_host;	/* this file's first host */
	struct import_host	*cur;
	/* Identity of an inventory, kept until its netifs are known. */
	char			*macs[INVENTORY_MAX_MACS];
	size_t			 nmacs;
	char			 err[ERRLEN];
	unsigned		 err_line;	/* of err, or 0 */
};

/* One allocation holds an observation's value and strings. */
static void
obs_free(struct import_obs *o)
{
	free(o->value);
}

/* Its strings stay in the set's list until the set is freed. */
static void
host_free(struct import_host *h)
{
	size_t i;

	for (i = 0; i < h->nobs; i++)
		obs_free(&h->obs[i]);
	free(h->obs);
	memset(h, 0, sizeof(*h));
}

static struct import_host *
host_new(struct builder *b, unsigned line)
{
	struct import_set *s = b->set;
	struct import_host *h;

	if (s->nhosts >= IMPORT_MAX_HOSTS) {
		/* FILE:LINE: like every input error (issue 12). */
		b->err_line = line;
		errf(b->err, sizeof(b->err), "more than %d hosts in one "
		    "import", IMPORT_MAX_HOSTS);
		return NULL;
	}
	if (s->nhosts == s->size) {
		size_t ns = s->size ? s->size * 2 : 16;
		struct import_host *nv = realloc(s->hosts, ns * sizeof(*nv));

		if (nv == NULL) {
			errf(b->err, sizeof(b->err), "out of memory");
			return NULL;
		}
		s->hosts = nv;
		s->size = ns;
	}
	h = &s->hosts[s->nhosts++];
	memset(h, 0, sizeof(*h));
	h->file = b->file;
	h->line = line;
	b->cur = h;
	return h;
}

/* A string of a set's hosts: one allocation, freed with the set. */
struct import_str {
	struct import_str	*next;
	char			 s[];
};

/* A copy of s (not NULL) in set's list, or NULL when memory runs out. */
static const char *
set_dup(void *arg, const char *s)
{
	struct import_set *set = arg;
	struct import_str *c;
	size_t n = strlen(s) + 1;

	c = malloc(sizeof(*c) + n);
	if (c == NULL)
		return NULL;
	memcpy(c->s, s, n);
	c->next = set->strs;
	set->strs = c;
	return c->s;
}

/* Sets *dst to a copy of src in set's list (NULL or "" clears it). */
static int
set_str(struct import_set *set, const char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL || *src == '\0')
		return 0;
	*dst = set_dup(set, src);
	return *dst == NULL ? -1 : 0;
}

/* Empty strings of a are NULL: a file's empty field says nothing. */
static void
attrs_nonempty(struct host_attrs *a)
{
	const char **v[] = {
		&a->address, &a->name, &a->sector, &a->site, &a->owner,
		&a->jurisdiction
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (*v[i] != NULL && **v[i] == '\0')
			*v[i] = NULL;
}

/* A row that locate reads: a neighbour, or a discovered device's MAC. */
static int
for_locate(enum obs_kind k, const char *item)
{
	return k == OBS_NEIGHBOR || (k == OBS_INTERFACE &&
	    strcmp(item, "self") == 0);
}

static int
add_obs(void *arg, const struct observation *o)
{
	struct builder *b = arg;
	struct import_host *h = b->cur;
	struct import_obs *c;
	const char *item;
	size_t ni, na, ns;

	if (h == NULL) {
		errf(b->err, sizeof(b->err), "observation before its host");
		return -1;
	}
	if (b->set->nobs >= IMPORT_MAX_OBS) {
		errf(b->err, sizeof(b->err), "more than %d observations in "
		    "one import", IMPORT_MAX_OBS);
		return -1;
	}
	if (!obs_attr_valid(o->kind, o->attr)) {
		errf(b->err, sizeof(b->err), "internal: %s has no attribute "
		    "'%s'", obs_kind_name(o->kind), o->attr);
		return -1;
	}
	if (h->nobs == h->size) {
		size_t nsize = h->size ? h->size * 2 : 64;
		struct import_obs *nv = realloc(h->obs, nsize * sizeof(*nv));

		if (nv == NULL)
			goto oom;
		h->obs = nv;
		h->size = nsize;
	}
	item = o->item != NULL ? o->item : "";
	ni = strlen(item) + 1;
	na = strlen(o->attr) + 1;
	ns = o->source != NULL ? strlen(o->source) + 1 : 0;
	c = &h->obs[h->nobs];
	memset(c, 0, sizeof(*c));
	c->kind = o->kind;
	c->vtype = o->vtype;
	c->len = o->len;
	c->value = malloc(o->len + 1 + ni + na + ns);
	if (c->value == NULL)
		goto oom;
	if (o->len > 0)
		memcpy(c->value, o->value, o->len);
	c->value[o->len] = '\0';
	c->item = (char *)c->value + o->len + 1;
	memcpy(c->item, item, ni);
	c->attr = c->item + ni;
	memcpy(c->attr, o->attr, na);
	if (ns > 0) {
		c->source = c->attr + na;
		memcpy(c->source, o->source, ns);
	}
	h->nobs++;
	b->set->nobs++;
	if (for_locate(o->kind, item))
		b->set->nneighbor++;
	return 0;
oom:
	errf(b->err, sizeof(b->err), "out of memory");
	return -1;
}

static int
inv_identity(void *arg, const struct inventory_identity *id)
{
	struct builder *b = arg;
	struct import_host *h = b->cur;
	size_t i;

	if (set_str(b->set, &h->uuid, id->uuid) != 0 ||
	    set_str(b->set, &h->serial, id->serial) != 0 ||
	    set_str(b->set, &h->h.name, id->name != NULL ? id->name :
	    id->fqdn != NULL ? id->fqdn : id->deviceid) != 0)
		goto oom;
	for (i = 0; i < id->nmacs && i < INVENTORY_MAX_MACS; i++) {
		b->macs[i] = str_dup(id->macs[i]);
		if (b->macs[i] == NULL)
			goto oom;
		b->nmacs = i + 1;
	}
	return 0;
oom:
	errf(b->err, sizeof(b->err), "out of memory");
	return -1;
}

static int
csv_host(void *arg, const struct import_csv_host *ch)
{
	struct builder *b = arg;
	struct import_host *h = host_new(b, ch->line);
	struct host_attrs a = ch->h;

	if (h == NULL)
		return -1;
	/* A host known by name is addressed by it; the code comes next. */
	if (a.address == NULL)
		a.address = a.name;
	a.jurisdiction = NULL;
	attrs_nonempty(&a);
	if (host_attrs_copy(&h->h, &a, 0, set_dup, b->set) != 0 ||
	    set_str(b->set, &h->uuid, ch->uuid) != 0 ||
	    set_str(b->set, &h->serial, ch->serial) != 0 ||
	    set_str(b->set, &h->mac, ch->mac) != 0) {
		errf(b->err, sizeof(b->err), "out of memory");
		return -1;
	}
	if (ch->h.jurisdiction != NULL) {
		char juris[JURIS_LEN];

		/* import_csv checked it. */
		if (juris_parse(ch->h.jurisdiction, juris,
		    sizeof(juris)) != 0 ||
		    set_str(b->set, &h->h.jurisdiction, juris) != 0) {
			errf(b->err, sizeof(b->err), "out of memory");
			return -1;
		}
	}
	return 0;
}



static const char *
netif_value(const struct import_host *h, const char *item, const char *attr)
{
	size_t i;

	for (i = 0; i < h->nobs; i++)
		if (h->obs[i].kind == OBS_NETIF &&
		    strcmp(h->obs[i].item, item) == 0 &&
		    strcmp(h->obs[i].attr, attr) == 0)
			return (const char *)h->obs[i].value;
	return NULL;
}

/*
 * The address and MAC an inventory host is known by on the network: the
 * first interface with a usable IPv4 address (then IPv6), skipping
 * loopback, link-local and container bridges, which many hosts share.
 * Falls back to the first MAC, then to the name.
 */
static int
choose_address(struct builder *b, struct import_host *h)
{
	const char *ip = NULL, *mac = NULL;
	size_t i;
	int pass;

	for (pass = 0; pass < 2 && ip == NULL; pass++) {
		for (i = 0; i < h->nobs; i++) {
			const struct import_obs *o = &h->obs[i];
			const char *v = (const char *)o->value;

			if (o->kind != OBS_NETIF ||
			    strcmp(o->attr, "ip") != 0 ||
			    !addr_names_one_host(v) ||
			    (pass == 0) != (strchr(v, ':') == NULL) ||
			    addr_netif_shared(netif_value(h, o->item, "descr")))
				continue;
			ip = v;
			mac = netif_value(h, o->item, "mac");
			break;
		}
	}
	if (set_str(b->set, &h->h.address, ip) != 0 ||
	    set_str(b->set, &h->mac, mac != NULL ? mac : b->nmacs > 0 ?
	    b->macs[0] : NULL) != 0)
		return errf(b->err, sizeof(b->err), "out of memory");
	if (h->h.address == NULL && h->uuid == NULL && h->serial == NULL &&
	    h->mac == NULL)
		h->h.address = h->h.name;
	if (h->h.address == NULL && h->uuid == NULL && h->serial == NULL &&
	    h->mac == NULL)
		return errf(b->err, sizeof(b->err), "the inventory names no "
		    "host: no UUID, serial number, MAC address, IP address or "
		    "name");
	return 0;
}

static void
builder_clear_macs(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->nmacs; i++)
		free(b->macs[i]);
	b->nmacs = 0;
}

/* Drops the hosts a failed file added. */
static void
builder_rollback(struct builder *b)
{
	struct import_set *s = b->set;
	size_t j;

	while (s->nhosts > b->first_host) {
		struct import_host *h = &s->hosts[--s->nhosts];

		s->nobs -= h->nobs;
		for (j = 0; j < h->nobs; j++)
			if (for_locate(h->obs[j].kind, h->obs[j].item))
				s->nneighbor--;
		host_free(h);
	}
	b->cur = NULL;
}

/*
 * "line 12: message" from a parser -> "FILE:12: message"; anything else
 * -> "FILE: message".
 */
static void
file_error(const char *file, const char *msg, char *err, size_t errlen)
{
	const char *p = msg;
	long line;
	char num[16];
	size_t n;

	if (strncmp(p, "line ", 5) == 0) {
		p += 5;
		n = strspn(p, "0123456789");
		if (n > 0 && n < sizeof(num) && p[n] == ':') {
			memcpy(num, p, n);
			num[n] = '\0';
			if (parse_long(num, 1, LONG_MAX, &line) == 0) {
				errf(err, errlen, "%s:%ld:%s", file, line,
				    p + n + 1);
				return;
			}
		}
	}
	errf(err, errlen, "%s: %s", file, msg);
}

/* A device of a network inventory: a host of its own. */
static int
net_device(void *arg, const struct netinv_device *d)
{
	struct builder *b = arg;
	struct import_host *h = host_new(b, 0);

	if (h == NULL)
		return -1;
	if (set_str(b->set, &h->h.address, d->ip) != 0 ||
	    set_str(b->set, &h->h.name, d->name) != 0 ||
	    set_str(b->set, &h->serial, d->serial) != 0 ||
	    set_str(b->set, &h->mac, d->mac) != 0 ||
	    set_str(b->set, &h->detail, d->coverage) != 0)
		return errf(b->err, sizeof(b->err), "out of memory");
	if (h->h.address == NULL && h->serial == NULL && h->mac == NULL)
		h->h.address = h->h.name;
	if (h->h.address == NULL && h->serial == NULL && h->mac == NULL)
		return errf(b->err, sizeof(b->err), "%s names no host: no IP "
		    "address, MAC address, serial number or name",
		    d->element);
	return 0;
}

static int
load_netinv(struct builder *b, const char *name, const char *buf,
    size_t len, enum import_format fmt, char *err, size_t errlen)
{
	struct netinv_sink sink;
	struct netinv_stats st;
	enum inventory_rc rc;
	char msg[ERRLEN];

	sink.arg = b;
	sink.device = net_device;
	sink.observe = add_obs;
	if (fmt == IMPORT_XML)
		rc = netinv_xml_parse(buf, len, NULL, &sink, &st, msg,
		    sizeof(msg));
	else
		rc = netinv_json_parse(buf, len, NULL, &sink, &st, msg,
		    sizeof(msg));
	if (rc == INV_ESINK)
		return errf(err, errlen, "%s: %s", name, b->err);
	if (rc != INV_OK) {
		file_error(name, msg, err, errlen);
		return -1;
	}
	if (st.truncated > 0)
		log_warn("%s: values cut to the length limit: %zu", name,
		    st.truncated);
	if (st.bad_macs > 0)
		log_warn("%s: unreadable MAC addresses skipped: %zu", name,
		    st.bad_macs);
	if (st.latin1)
		log_warn("%s: not UTF-8; read as ISO-8859-1", name);
	log_debug("%s: network inventory, %zu devices, %zu ports, %zu "
	    "learned MACs, %zu LLDP/CDP neighbours", name, st.devices,
	    st.ports, st.macs, st.neighbours);
	return 0;
}

static int
load_inventory(struct builder *b, const char *name, const char *buf,
    size_t len, enum import_format fmt, char *err, size_t errlen)
{
	struct inventory_sink sink;
	struct inventory_stats st;
	enum inventory_rc rc;
	char msg[ERRLEN];

	if (host_new(b, 0) == NULL)
		return errf(err, errlen, "%s: %s", name, b->err);
	sink.arg = b;
	sink.identity = inv_identity;
	sink.observe = add_obs;
	if (fmt == IMPORT_XML)
		rc = inventory_xml_parse(buf, len, NULL, &sink, &st, msg,
		    sizeof(msg));
	else
		rc = inventory_json_parse(buf, len, NULL, &sink, &st, msg,
		    sizeof(msg));
	if (rc == INV_ESINK)
		return errf(err, errlen, "%s: %s", name, b->err);
	if (rc == INV_ENETWORK) {
		builder_rollback(b);	/* the host made for a computer */
		return load_netinv(b, name, buf, len, fmt, err, errlen);
	}
	if (rc != INV_OK) {
		file_error(name, msg, err, errlen);
		return -1;
	}
	if (choose_address(b, b->cur) != 0)
		return errf(err, errlen, "%s: %s", name, b->err);
	if (st.truncated > 0)
		log_warn("%s: values cut to the length limit: %zu", name,
		    st.truncated);
	if (st.latin1)
		log_warn("%s: not UTF-8; read as ISO-8859-1", name);
	return 0;
}

static int
load_csv(struct builder *b, const char *name, const char *buf, size_t len,
    char *err, size_t errlen)
{
	struct import_csv_sink sink;
	struct import_csv_stats st;

	sink.arg = b;
	sink.host = csv_host;
	sink.observe = add_obs;
	b->err[0] = '\0';
	b->err_line = 0;
	if (import_csv_parse(name, buf, len, &sink, &st, err, errlen) != 0) {
		/* A sink failure keeps its own reason. */
		if (b->err[0] != '\0' && b->err_line != 0)
			errf(err, errlen, "%s:%u: %s", name, b->err_line,
			    b->err);
		else if (b->err[0] != '\0')
			errf(err, errlen, "%s: %s", name, b->err);
		return -1;
	}
	if (st.hosts == 0)
		return errf(err, errlen, "%s: no rows after the header", name);
	log_debug("%s: %s export, %zu rows, %zu hosts", name, st.kind,
	    st.rows, st.hosts);
	return 0;
}

int
import_load_mem(struct import_set *set, const char *name, const char *buf,
    size_t len, enum import_format fmt, char *err, size_t errlen)
{
	struct builder b;
	char **nf, *copy;
	int rc;

	memset(&b, 0, sizeof(b));
	if (len > IMPORT_MAX_FILE)
		return errf(err, errlen, "%s: larger than %u bytes", name,
		    IMPORT_MAX_FILE);
	nf = realloc(set->files, (set->nfiles + 1) * sizeof(*nf));
	if (nf == NULL)
		return errf(err, errlen, "%s: out of memory", name);
	set->files = nf;
	copy = str_dup(name);
	if (copy == NULL)
		return errf(err, errlen, "%s: out of memory", name);
	b.set = set;
	b.file = copy;
	b.first_host = set->nhosts;
	if (fmt == IMPORT_AUTO)
		fmt = import_detect(buf, len);
	if (fmt == IMPORT_CSV)
		rc = load_csv(&b, name, buf, len, err, errlen);
	else
		rc = load_inventory(&b, name, buf, len, fmt, err, errlen);
	builder_clear_macs(&b);
	if (rc != 0) {
		builder_rollback(&b);
		free(copy);
		return -1;
	}
	set->files[set->nfiles++] = copy;
	return 0;
}

/* An asset of an inventory server: a host of its own. */
static int
pull_asset(void *arg, const struct pull_asset *a)
{
	struct builder *b = arg;
	struct import_host *h = host_new(b, 0);

	if (h == NULL)
		return -1;
	if (set_str(b->set, &h->h.name, a->name) != 0 ||
	    set_str(b->set, &h->uuid, a->uuid) != 0 ||
	    set_str(b->set, &h->serial, a->serial) != 0 ||
	    set_str(b->set, &h->h.address, a->address) != 0 ||
	    set_str(b->set, &h->mac, a->mac) != 0 ||
	    set_str(b->set, &h->detail, a->coverage) != 0)
		return errf(b->err, sizeof(b->err), "out of memory");
	if (h->uuid == NULL && h->serial == NULL && h->h.address == NULL &&
	    h->mac == NULL)
		h->h.address = h->h.name;
	h->status = a->status;
	return 0;
}

int
import_pull(struct import_set *set, const struct cred_profile *p,
    const struct pull_opts *o, char *err, size_t errlen)
{
	struct builder b;
	struct pull_sink sink;
	struct pull_result res;
	struct import_host *h;
	char name[CRED_MAX_NAME + 8], host[256], **nf, *copy;
	CURLU *u;
	char *uh = NULL;

	memset(&b, 0, sizeof(b));
	snprintf(name, sizeof(name), "%s:%s", p->server == SERVER_WAZUH ?
	    "wazuh" : "glpi", p->name);
	nf = realloc(set->files, (set->nfiles + 1) * sizeof(*nf));
	if (nf == NULL)
		return errf(err, errlen, "out of memory");
	set->files = nf;
	copy = str_dup(name);
	if (copy == NULL)
		return errf(err, errlen, "out of memory");
	b.set = set;
	b.file = copy;
	b.first_host = set->nhosts;
	/* The server first: its coverage is filled in after the pull. */
	h = host_new(&b, 0);
	if (h == NULL)
		goto fail;
	str_copy(host, p->server_url, sizeof(host));
	u = curl_url();
	if (u != NULL && curl_url_set(u, CURLUPART_URL, p->server_url, 0) ==
	    CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &uh, 0) == CURLUE_OK)
		str_copy(host, uh, sizeof(host));
	curl_free(uh);
	curl_url_cleanup(u);
	if (set_str(set, &h->h.address, host) != 0 ||
	    set_str(set, &h->h.name, name) != 0) {
		errf(b.err, sizeof(b.err), "out of memory");
		goto fail;
	}
	h->probe = p->server == SERVER_WAZUH ? "wazuh" : "glpi";
	sink.arg = &b;
	sink.asset = pull_asset;
	sink.observe = add_obs;
	if ((p->server == SERVER_WAZUH ? wazuh_pull(p, o, &sink, &res, b.err,
	    sizeof(b.err)) : glpi_pull(p, o, &sink, &res, b.err,
	    sizeof(b.err))) != 0)
		goto fail;
	h = &set->hosts[b.first_host];
	h->status = res.status;
	if (set_str(set, &h->detail, res.detail) != 0) {
		errf(b.err, sizeof(b.err), "out of memory");
		goto fail;
	}
	log_info("%s: %s: %s", name, cov_status_name(res.status),
	    res.detail);
	set->files[set->nfiles++] = copy;
	return 0;
fail:
	builder_rollback(&b);
	free(copy);
	return errf(err, errlen, "%s: %s", name, b.err);
}

int
import_load(struct import_set *set, const char *path, enum import_format fmt,
    char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	if (file_read_all(path, IMPORT_MAX_FILE, &buf, &len, err,
	    errlen) != 0)
		return -1;
	rc = import_load_mem(set, path, buf, len, fmt, err, errlen);
	free(buf);
	return rc;
}

void
import_set_free(struct import_set *set)
{
	struct import_str *c, *next;
	size_t i;

	for (i = 0; i < set->nhosts; i++)
		host_free(&set->hosts[i]);
	free(set->hosts);
	for (i = 0; i < set->nfiles; i++)
		free(set->files[i]);
	free(set->files);
	for (c = set->strs; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	memset(set, 0, sizeof(*set));
}

int
import_apply_defaults(struct import_set *set,
    const struct import_defaults *d, char *err, size_t errlen)
{
	struct host_attrs fill;
	size_t i;

	/* What the defaults fill in: the place, never a name. */
	fill = d->h;
	fill.address = NULL;
	fill.name = NULL;
	if (fill.criticality == 0)
		fill.criticality = 3;
	attrs_nonempty(&fill);
	for (i = 0; i < set->nhosts; i++) {
		struct import_host *h = &set->hosts[i];
		char where[PATH_MAX + 32];

		if (h->line > 0)
			snprintf(where, sizeof(where), "%s:%u", h->file,
			    h->line);
		else
			snprintf(where, sizeof(where), "%s", h->file);
		if (h->h.sector == NULL && d->h.sector == NULL) {
			const char *who = h->h.name != NULL ? h->h.name :
			    h->h.address != NULL ? h->h.address : "?";
			char shown[88];

			render_value((const unsigned char *)who, strlen(who),
			    shown, sizeof(shown));
			return errf(err, errlen, "%s: host '%s' has no sector: "
			    "give --sector NAME%s", where, shown, h->line > 0 ?
			    " or a sector column" : "");
		}
		if (host_attrs_copy(&h->h, &fill, 1, set_dup, set) != 0)
			return errf(err, errlen, "out of memory");
		if (d->nsectors > 0 &&
		    str_list_find(d->sectors, d->nsectors, h->h.sector) < 0) {
			char all[256], shown[48];

			str_list_join(d->sectors, d->nsectors, all,
			    sizeof(all));
			render_value((const unsigned char *)h->h.sector,
			    strlen(h->h.sector), shown, sizeof(shown));
			return errf(err, errlen, "%s: unknown sector '%s' "
			    "(%s)", where, shown, all);
		}
	}
	return 0;
}

/* --- storing ---------------------------------------------------------- */

struct host_file {
	int64_t		 id;
	size_t		 file;
	size_t		 host;		/* index in the set */
};

static int
cmp_host_file(const void *a, const void *b)
{
	const struct host_file *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->host < y->host ? -1 : x->host > y->host;
}

static size_t
file_index(const struct import_set *set, const char *file)
{
	size_t i;

	for (i = 0; i < set->nfiles; i++)
		if (set->files[i] == file)
			return i;
	return 0;
}

/*
 * Does store host id get rows from more than one file of this import?
 * Then items are prefixed with the file's number, so that rows of
 * different files never share an item.
 */
static int
shared_host(const struct host_file *hf, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (hf[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (hi = lo + 1; hi < n && hf[hi].id == id; hi++)
		if (hf[hi].file != hf[lo].file)
			return 1;
	return 0;
}

/* Known by its name only: no hint but the name, used as address. */
static int
name_only(const struct import_host *h)
{
	return h->uuid == NULL && h->serial == NULL && h->mac == NULL &&
	    h->h.name != NULL && h->h.address != NULL &&
	    strcmp(h->h.address, h->h.name) == 0;
}

static int
cmp_host_name(const void *a, const void *b)
{
	const struct import_host *x = *(const struct import_host *const *)a;
	const struct import_host *y = *(const struct import_host *const *)b;

	return strcasecmp(x->h.name, y->h.name);
}

/*
 * A host that a file knows by name only (an SNMPQUERY of a device that
 * lists no address or MAC) is the host of the same name that another
 * file of the import identifies better (its NETDISCOVERY: address, MAC):
 * byname[i] is that host, or NULL.
 */
static int
join_names(const struct import_set *set, const struct import_host **byname,
    char *err, size_t errlen)
{
	const struct import_host **v, *key;
	size_t i, n = 0, lo, hi, mid;
	int any = 0;

	for (i = 0; i < set->nhosts; i++)
		any |= name_only(&set->hosts[i]);
	if (!any)
		return 0;
	v = calloc(set->nhosts, sizeof(*v));
	if (v == NULL)
		return errf(err, errlen, "out of memory");
	for (i = 0; i < set->nhosts; i++)
		if (set->hosts[i].h.name != NULL && !name_only(&set->hosts[i]))
			v[n++] = &set->hosts[i];
	qsort(v, n, sizeof(*v), cmp_host_name);
	for (i = 0; i < set->nhosts; i++) {
		if (!name_only(&set->hosts[i]))
			continue;
		key = &set->hosts[i];
		lo = 0;
		hi = n;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (cmp_host_name(&v[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* Two different machines of that name: join neither. */
		if (lo < n && cmp_host_name(&v[lo], &key) == 0 &&
		    (lo + 1 == n || cmp_host_name(&v[lo + 1], &key) != 0))
			byname[i] = v[lo];
	}
	free(v);
	return 0;
}

static int
store_hosts(struct store *st, int64_t run, const struct import_set *set,
    int64_t *ids, char *err, size_t errlen)
{
	const struct import_host **byname;
	size_t i;
	int rc = -1;

	byname = calloc(set->nhosts ? set->nhosts : 1, sizeof(*byname));
	if (byname == NULL)
		return errf(err, errlen, "out of memory");
	if (join_names(set, byname, err, errlen) != 0)
		goto out;
	for (i = 0; i < set->nhosts; i++) {
		const struct import_host *h = &set->hosts[i];
		const struct import_host *id = byname[i] != NULL ?
		    byname[i] : h;
		struct host_info hi;
		char msg[ERRLEN];

		memset(&hi, 0, sizeof(hi));
		hi.h = h->h;
		hi.h.address = id->h.address;
		hi.uuid = id->uuid;
		hi.serial = id->serial;
		hi.mac = id->mac;
		if (store_host(st, run, &hi, &ids[i], msg, sizeof(msg)) != 0) {
			if (h->line > 0)
				errf(err, errlen, "%s:%u: %s", h->file,
				    h->line, msg);
			else
				errf(err, errlen, "%s: %s", h->file, msg);
			goto out;
		}
	}
	rc = 0;
out:
	free(byname);
	return rc;
}

static int
store_rows(struct store *st, int64_t run, const struct import_set *set,
    const int64_t *ids, const struct host_file *hf, char *err,
    size_t errlen)
{
	size_t i, j;

	for (i = 0; i < set->nhosts; i++) {
		const struct import_host *h = &set->hosts[i];
		size_t fi = file_index(set, h->file);
		int prefix = shared_host(hf, set->nhosts, ids[i]);

		for (j = 0; j < h->nobs; j++) {
			const struct import_obs *io = &h->obs[j];
			struct observation o;
			char item[160];

			memset(&o, 0, sizeof(o));
			o.kind = io->kind;
			o.item = io->item;
			/* Neighbour-table items are a contract (locate.h). */
			if (prefix && io->item[0] != '\0' &&
			    io->kind != OBS_NEIGHBOR &&
			    io->kind != OBS_INTERFACE) {
				snprintf(item, sizeof(item), "%zu:%s", fi + 1,
				    io->item);
				o.item = item;
			}
			o.attr = io->attr;
			o.source = io->source;
			o.vtype = io->vtype;
			o.value = io->value;
			o.len = io->len;
			if (store_observation(st, run, ids[i], CHAN_IMPORT, &o,
			    NULL, err, errlen) != 0)
				return -1;
		}
	}
	return 0;
}

/*
 * One coverage row per store host: "imported from FILE[: what it held]",
 * every file that described the host named, in command-line order.
 */
static int
store_cover(struct store *st, int64_t run, const struct import_set *set,
    const struct host_file *hf, char *err, size_t errlen)
{
	struct strbuf d = STRBUF_INIT(8192);
	struct coverage cv;
	enum cov_status status = COV_OK;
	const char *probe = "";
	size_t i;
	int rc = -1;

	for (i = 0; i < set->nhosts; i++) {
		const struct import_host *h = &set->hosts[hf[i].host];

		if (i == 0 || hf[i].id != hf[i - 1].id) {
			status = COV_OK;
			probe = "";
			strbuf_reset(&d);
			strbuf_printf(&d, "imported from %s", h->file);
		} else if (hf[i].file != hf[i - 1].file || h->detail != NULL)
			strbuf_printf(&d, "; and from %s", h->file);
		if (h->detail != NULL)
			strbuf_printf(&d, ": %s", h->detail);
		/* What went wrong for one of its sources is said. */
		if (status == COV_OK)
			status = h->status;
		if (h->probe != NULL)
			probe = h->probe;
		if (d.oom) {
			errf(err, errlen, "out of memory");
			goto out;
		}
		if (i + 1 < set->nhosts && hf[i + 1].id == hf[i].id)
			continue;
		memset(&cv, 0, sizeof(cv));
		cv.channel = CHAN_IMPORT;
		cv.probe = probe;
		cv.status = status;
		cv.detail = strbuf_str(&d);
		if (store_coverage(st, run, hf[i].id, &cv, err, errlen) != 0)
			goto out;
	}
	rc = 0;
out:
	strbuf_free(&d);
	return rc;
}

int
import_store(struct store *st, const struct import_set *set,
    const struct import_opts *o, struct import_result *res, char *err,
    size_t errlen)
{
	struct run_info ri;
	struct runlife rl;
	struct runlife_finish fin;
	struct runlife_tally tally;
	struct host_file *hf = NULL;
	int64_t *ids = NULL;
	char scope[PATH_MAX + 16];
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof(res[0]));
	if (set->nfiles == 0)
		return errf(err, errlen, "nothing to import");
	ids = calloc(set->nhosts ? set->nhosts : 1, sizeof(*ids));
	hf = calloc(set->nhosts ? set->nhosts : 1, sizeof(*hf));
	if (ids == NULL || hf == NULL) {
		errf(err, errlen, "out of memory for %zu hosts", set->nhosts);
		goto out;
	}
	if (o->scope == NULL) {
		char tmp[PATH_MAX];

		str_copy(tmp, set->files[0], sizeof(tmp));
		snprintf(scope, sizeof(scope), "import:%s", basename(tmp));
	}
	memset(&ri, 0, sizeof(ri));
	ri.kind = "import";
	ri.label = o->label;
	ri.scope = o->scope != NULL ? o->scope : scope;
	ri.sector = o->sector;
	ri.tool_version = BANAUDIT_VERSION;
	ri.rules_version = o->rules->version;
	if (runlife_begin(&rl, st, &ri, err, errlen) != 0)
		goto out;
	res->run = ri.id;
	if (store_hosts(st, ri.id, set, ids, err, errlen) != 0)
		goto fail;
	for (i = 0; i < set->nhosts; i++) {
		hf[i].id = ids[i];
		hf[i].file = file_index(set, set->hosts[i].file);
		hf[i].host = i;
	}
	qsort(hf, set->nhosts, sizeof(*hf), cmp_host_file);
	for (i = 0; i < set->nhosts; i++)
		if (i == 0 || hf[i].id != hf[i - 1].id)
			res->hosts++;
	if (store_rows(st, ri.id, set, ids, hf, err, errlen) != 0 ||
	    store_cover(st, ri.id, set, hf, err, errlen) != 0)
		goto fail;
	res->observations = set->nobs;
	/* Devices on the ports of imported switches, as a scan finds them. */
	memset(&fin, 0, sizeof(fin));
	fin.rules = o->rules;
	fin.sectors = o->sectors;
	fin.neighbour_rows = set->nneighbor;
	fin.oui = o->oui;
	rc = runlife_finish(&rl, &fin, &tally, err, errlen);
	res->located = tally.located;
	res->findings = tally.findings;
	res->leads = tally.leads;
	goto out;
fail:
	runlife_stop(&rl, RUN_FAILED, err, errlen);
out:
	free(ids);
	free(hf);
	return rc;
}
