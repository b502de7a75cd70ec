/*
 * resolution: the rule that says when a finding is resolved, and its
 * application to an analysed run (resolution.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolution.h"
#include "util.h"

/* More sources than this for one finding: it cannot be verified. */
#define SOURCES_MAX	64

static const struct {
	const char	*kind;
	const char	*probe;
} snmp_kinds[] = {
	{ "system", "system" },
	{ "software", "software" },
	{ "process", "process" },
	{ "entity", "entity" },
	{ "vendor", "vendor" },
	{ "interface", "interfaces" },
	{ "connection", "connections" },
	{ "route", "routes" },
};

/* Neighbour rows by the prefix of their item ("lldp.3.1"). */
static const struct {
	const char	*table;
	const char	*probe;
} snmp_tables[] = {
	{ "arp", "arp" },
	{ "fdb", "fdb" },
	{ "vlan", "fdb" },
	{ "lldp", "lldp" },
	{ "lldploc", "lldp" },
	{ "cdp", "cdp" },
};

/* What a probe reads, for the note. */
static const struct {
	const char	*probe;
	const char	*what;
} probe_what[] = {
	{ "system", "system group" },
	{ "software", "software table" },
	{ "process", "process table" },
	{ "entity", "ENTITY-MIB table" },
	{ "vendor", "vendor MIB" },
	{ "interfaces", "interface table" },
	{ "arp", "ARP table" },
	{ "fdb", "bridge (FDB) table" },
	{ "lldp", "LLDP table" },
	{ "cdp", "CDP table" },
	{ "connections", "TCP connection table" },
	{ "routes", "route table" },
	{ "inventory", "agent inventory" },
	{ "", "import" },
};

const char *
resolution_probe(const char *channel, const char *kind, const char *table)
{
	size_t i;

	if (channel == NULL)
		return NULL;
	if (strcmp(channel, "agent") == 0)
		return "inventory";
	if (strcmp(channel, "import") == 0)
		return "";
	if (strcmp(channel, "snmp") != 0 || kind == NULL)
		return NULL;
	if (strcmp(kind, "neighbor") == 0) {
		for (i = 0; table != NULL && i < NELEM(snmp_tables); i++)
			if (strcmp(table, snmp_tables[i].table) == 0)
				return snmp_tables[i].probe;
		return NULL;
	}
	for (i = 0; i < NELEM(snmp_kinds); i++)
		if (strcmp(kind, snmp_kinds[i].kind) == 0)
			return snmp_kinds[i].probe;
	return NULL;
}

static const char *
what(const char *probe)
{
	size_t i;

	for (i = 0; i < NELEM(probe_what); i++)
		if (strcmp(probe, probe_what[i].probe) == 0)
			return probe_what[i].what;
	return probe;
}

/* Appends "; " and printf-style text to note, cutting at notelen. */
static void
note_add(char *note, size_t notelen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note_add(char *note, size_t notelen, const char *fmt, ...)
{
	va_list ap;
	size_t at;

	if (notelen == 0)
		return;
	at = strlen(note);
	if (at + 1 >= notelen)
		return;
	if (at > 0) {
		snprintf(note + at, notelen - at, "; ");
		at = strlen(note);
	}
	va_start(ap, fmt);
	vsnprintf(note + at, notelen - at, fmt, ap);
	va_end(ap);
}

/* Do sources a and b fail the same way on the same host? */
static int
same_failure(const struct resolution_source *a,
    const struct resolution_source *b)
{
	const char *ha = a->host != NULL ? a->host : "";
	const char *hb = b->host != NULL ? b->host : "";
	const char *da = a->detail != NULL ? a->detail : "";
	const char *db = b->detail != NULL ? b->detail : "";

	return b->probe != NULL && b->channel != NULL &&
	    strcmp(ha, hb) == 0 && a->read == b->read &&
	    (!a->read || (a->status == b->status && strcmp(da, db) == 0));
}

static int
failed(const struct resolution_source *s)
{
	return s->probe != NULL && s->channel != NULL &&
	    (!s->read || s->status != COV_OK);
}

enum resolution
resolution_decide(const struct resolution_source *src, size_t n,
    char *note, size_t notelen)
{
	const struct resolution_source *s;
	unsigned char done[SOURCES_MAX];
	const char *host, *d;
	char none[1];
	size_t i, j;
	int unknown = 0, bad = 0;

	if (notelen == 0) {
		note = none;
		notelen = sizeof(none);
	}
	note[0] = '\0';
	if (n == 0) {
		note_add(note, notelen, "the sources of its evidence are not "
		    "recorded");
		return RESOLUTION_PERSISTING;
	}
	memset(done, 0, sizeof(done));
	for (i = 0; i < n; i++) {
		s = &src[i];
		if (s->probe == NULL || s->channel == NULL) {
			unknown = bad = 1;
			continue;
		}
		if (!failed(s) || (i < SOURCES_MAX && done[i]))
			continue;
		bad = 1;
		/* One clause per host and failure: "A, B of host: why". */
		note_add(note, notelen, "%s", what(s->probe));
		for (j = i + 1; j < n && j < SOURCES_MAX; j++) {
			if (done[j] || !failed(&src[j]) ||
			    !same_failure(s, &src[j]))
				continue;
			done[j] = 1;
			if (strlen(note) + 1 < notelen)
				snprintf(note + strlen(note), notelen -
				    strlen(note), ", %s", what(src[j].probe));
		}
		host = s->host != NULL && *s->host != '\0' ? s->host :
		    "a host";
		d = s->detail != NULL ? s->detail : "";
		if (strlen(note) + 1 >= notelen)
			continue;
		if (!s->read)
			snprintf(note + strlen(note), notelen - strlen(note),
			    " of %s: not read in this run", host);
		else
			snprintf(note + strlen(note), notelen - strlen(note),
			    " of %s: %s%s%s%s", host,
			    cov_status_name(s->status), *d != '\0' ? " (" :
			    "", d, *d != '\0' ? ")" : "");
	}
	if (unknown)
		note_add(note, notelen, "a table it was seen in is not "
		    "recorded");
	return bad ? RESOLUTION_PERSISTING : RESOLUTION_RESOLVED;
}

/* --- applying the rule to a run ----------------------------------------- */

struct gather {
	struct store		*st;
	int64_t			 run;
	struct resolution_source src[SOURCES_MAX];
	char			*idents[SOURCES_MAX];
	char			*hosts[SOURCES_MAX];
	char			*details[SOURCES_MAX];
	size_t			 n;
	int			 overflow;
	int			 failed;
	char			*err;
	size_t			 errlen;
};

static void
gather_reset(struct gather *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->idents[i]);
		free(g->hosts[i]);
		free(g->details[i]);
	}
	memset(g->src, 0, sizeof(g->src));
	memset(g->idents, 0, sizeof(g->idents));
	memset(g->hosts, 0, sizeof(g->hosts));
	memset(g->details, 0, sizeof(g->details));
	g->n = 0;
	g->overflow = 0;
}

static int
same_source(const struct gather *g, const char *identity,
    const char *channel, const char *probe)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->idents[i] != NULL && identity != NULL &&
		    strcmp(g->idents[i], identity) == 0 &&
		    strcmp(g->src[i].channel, channel) == 0 &&
		    g->src[i].probe != NULL && probe != NULL &&
		    strcmp(g->src[i].probe, probe) == 0)
			return 1;
	return 0;
}

static char *
host_label(const struct evidence_source *e)
{
	char buf[512];

	if (e->host_name != NULL && *e->host_name != '\0' &&
	    e->address != NULL && strcmp(e->host_name, e->address) != 0)
		snprintf(buf, sizeof(buf), "%s (%s)", e->host_name,
		    e->address);
	else if (e->address != NULL)
		str_copy(buf, e->address, sizeof(buf));
	else if (e->identity != NULL)
		str_copy(buf, e->identity, sizeof(buf));
	else
		buf[0] = '\0';
	return strdup(buf);
}

static int
on_source(void *arg, const struct evidence_source *e)
{
	struct gather *g = arg;
	struct resolution_source *s;
	const char *probe, *channel;
	enum channel ch;
	char detail[256];
	int found;

	/*
	 * e is borrowed for this call only: what the gather keeps must be
	 * its own or static, so the channel is obs.h's static name.
	 */
	channel = NULL;
	if (e->identity != NULL && e->channel != NULL &&
	    channel_from_name(e->channel, &ch) == 0)
		channel = channel_name(ch);
	probe = channel != NULL ? resolution_probe(channel, e->kind,
	    e->table) : NULL;
	if (channel != NULL && same_source(g, e->identity, channel, probe))
		return 0;
	if (g->n == SOURCES_MAX) {
		g->overflow = 1;
		return 1;
	}
	s = &g->src[g->n];
	memset(s, 0, sizeof(*s));
	g->hosts[g->n] = host_label(e);
	g->idents[g->n] = e->identity != NULL ? strdup(e->identity) : NULL;
	if (g->hosts[g->n] == NULL ||
	    (e->identity != NULL && g->idents[g->n] == NULL)) {
		g->n++;
		errf(g->err, g->errlen, "out of memory");
		g->failed = 1;
		return 1;
	}
	s->host = g->hosts[g->n];
	s->channel = channel;
	s->probe = probe;
	g->n++;
	if (probe == NULL)
		return 0;
	if (store_coverage_get(g->st, g->run, e->identity, channel, probe,
	    &found, &s->status, detail, sizeof(detail), g->err,
	    g->errlen) != 0) {
		g->failed = 1;
		return 1;
	}
	/*
	 * The vendor MIB is read only from hosts that look like cameras: a
	 * host whose system group, read completely, no longer does was
	 * verified by it.
	 */
	if (!found && strcmp(probe, "vendor") == 0 &&
	    store_coverage_get(g->st, g->run, e->identity, channel, "system",
	    &found, &s->status, detail, sizeof(detail), g->err,
	    g->errlen) != 0) {
		g->failed = 1;
		return 1;
	}
	s->read = found;
	if (found && detail[0] != '\0') {
		g->details[g->n - 1] = strdup(detail);
		s->detail = g->details[g->n - 1];
	}
	return 0;
}

int
resolution_carry(struct store *st, int64_t run, size_t *carried,
    char *err, size_t errlen)
{
	struct gather *g;
	int64_t *ids = NULL;
	size_t i, n = 0, k = 0;
	char note[1024];
	int rc = -1;

	if (carried != NULL)
		*carried = 0;
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return errf(err, errlen, "out of memory");
	g->st = st;
	g->run = run;
	g->err = err;
	g->errlen = errlen;
	if (store_carry_candidates(st, run, &ids, &n, err, errlen) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		gather_reset(g);
		if (store_each_evidence_source(st, ids[i], on_source, g, err,
		    errlen) != 0 || g->failed)
			goto out;
		if (resolution_decide(g->src, g->n, note, sizeof(note)) ==
		    RESOLUTION_RESOLVED && !g->overflow)
			continue;
		if (g->overflow)
			str_copy(note, "too many sources of evidence to verify",
			    sizeof(note));
		if (store_carry_finding(st, run, ids[i], note, err,
		    errlen) != 0)
			goto out;
		k++;
	}
	if (carried != NULL)
		*carried = k;
	rc = 0;
out:
	gather_reset(g);
	free(g);
	free(ids);
	return rc;
}
