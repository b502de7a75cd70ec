/*
 * inventory_xml: FusionInventory / GLPI Agent XML inventories through
 * libxml2's SAX2 interface.  No tree is built: text is copied only for the
 * few fields listed in inventory.h, each into a buffer capped at
 * max_value bytes, so memory stays proportional to one element.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "inventory.h"
#include "util.h"

#define MAX_FIELDS	8

enum section {
	SEC_NONE,
	SEC_HARDWARE,
	SEC_BIOS,
	SEC_OS,
	SEC_SOFTWARES,
	SEC_PROCESSES,
	SEC_NETWORKS,
	SEC_ANTIVIRUS,
	SEC__COUNT
};

/* Field slots of each section, in the order of the tag tables below. */
enum { HW_NAME, HW_UUID, HW_OSNAME, HW_OSVERSION };
enum { BIOS_SSN, BIOS_SMANUFACTURER, BIOS_SMODEL };
enum { OS_FULL_NAME, OS_VERSION, OS_FQDN };
enum { PROC_CMD };
enum { NET_MACADDR, NET_IPADDRESS, NET_IPADDRESS6, NET_DESCRIPTION };
enum { AV_NAME, AV_COMPANY, AV_VERSION, AV_ENABLED, AV_UPTODATE,
	AV_BASE_VERSION, AV_EXPIRATION };

struct section_def {
	const char	*tag;
	int		 repeated;	/* emitted per element in pass 2 */
	enum obs_kind	 kind;
	const char	*fields[MAX_FIELDS];	/* XML tags, NULL-ended */
	const char	*attrs[MAX_FIELDS];	/* one to one, or NULL */
};

static const struct section_def sections[SEC__COUNT] = {
	[SEC_NONE] = { "", 0, OBS_SYSTEM, { NULL }, { NULL } },
	[SEC_HARDWARE] = { "HARDWARE", 0, OBS_SYSTEM,
	    { "NAME", "UUID", "OSNAME", "OSVERSION", NULL }, { NULL } },
	[SEC_BIOS] = { "BIOS", 0, OBS_SYSTEM,
	    { "SSN", "SMANUFACTURER", "SMODEL", NULL }, { NULL } },
	[SEC_OS] = { "OPERATINGSYSTEM", 0, OBS_SYSTEM,
	    { "FULL_NAME", "VERSION", "FQDN", NULL }, { NULL } },
	[SEC_SOFTWARES] = { "SOFTWARES", 1, OBS_SOFTWARE,
	    { "NAME", "VERSION", "PUBLISHER", "ARCH", "FROM", NULL },
	    { "name", "version", "publisher", "arch", "from", NULL } },
	[SEC_PROCESSES] = { "PROCESSES", 1, OBS_PROCESS,
	    { "CMD", NULL }, { NULL } },
	[SEC_NETWORKS] = { "NETWORKS", 1, OBS_NETIF,
	    { "MACADDR", "IPADDRESS", "IPADDRESS6", "DESCRIPTION", NULL },
	    { NULL } },
	[SEC_ANTIVIRUS] = { "ANTIVIRUS", 1, OBS_ANTIVIRUS,
	    { "NAME", "COMPANY", "VERSION", "ENABLED", "UPTODATE",
	      "BASE_VERSION", "EXPIRATION", NULL },
	    { "name", "company", "version", "enabled", "uptodate",
	      "base_version", NULL, NULL } },
};

/* Text directly under the root or CONTENT that pass 1 keeps. */
enum { TXT_VERSIONCLIENT, TXT_DEVICEID, TXT_QUERY, TXT__COUNT };

struct memsrc {
	const char	*p;
	size_t		 len;
	size_t		 off;
};

struct pstate {
	xmlParserCtxtPtr		 ctxt;
	const struct inventory_limits	*lim;
	const struct inventory_sink	*sink;
	int				 pass;		/* 1 or 2 */

	unsigned	 depth;
	unsigned	 cdepth;	/* depth of CONTENT; 0 = not in it */
	int		 root_request;
	int		 content_seen;
	enum section	 sec;		/* open at cdepth + 1 */
	struct strbuf	*cap;		/* capturing into, or NULL */
	unsigned	 cap_depth;

	struct strbuf	 vals[MAX_FIELDS];	/* this element's */
	size_t		 ord[SEC__COUNT];

	/* Pass 1 results: first HARDWARE, BIOS, OPERATINGSYSTEM. */
	struct strbuf	 single[SEC_OS + 1][MAX_FIELDS];
	struct strbuf	 text[TXT__COUNT];
	char		 macs[INVENTORY_MAX_MACS][18];
	size_t		 nmacs;

	struct inventory_stats st;
	int		 failed;
	enum inventory_rc rc;
	int		 xml_code;	/* first libxml2 error */
	char		 err[ERRLEN];
};

static int
mem_read(void *ctx, char *buf, int n)
{
	struct memsrc *m = ctx;
	size_t left = m->len - m->off;

	if (n <= 0)
		return 0;
	if ((size_t)n < left)
		left = (size_t)n;
	memcpy(buf, m->p + m->off, left);
	m->off += left;
	return (int)left;
}

static int
line_no(const struct pstate *ps)
{
	return ps->ctxt != NULL && ps->ctxt->input != NULL ?
	    ps->ctxt->input->line : 0;
}

/* Records the first error and stops the parser. */
static void
fail(struct pstate *ps, enum inventory_rc rc, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

static void
fail(struct pstate *ps, enum inventory_rc rc, const char *fmt, ...)
{
	char msg[ERRLEN - 32];
	va_list ap;

	if (!ps->failed) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		snprintf(ps->err, sizeof(ps->err), "line %d: %s", line_no(ps),
		    msg);
		ps->failed = 1;
		ps->rc = rc;
	}
	if (ps->ctxt != NULL)
		xmlStopParser(ps->ctxt);
}

/* libxml2's structured error handler: keep the first error, quietly. */
static void
on_error(void *arg, xmlErrorPtr e)
{
	struct pstate *ps = arg;
	char msg[ERRLEN - 32];
	size_t n;

	if (e == NULL || e->level == XML_ERR_WARNING || ps->failed ||
	    ps->xml_code != 0)
		return;
	str_copy(msg, e->message != NULL ? e->message : "parse error",
	    sizeof(msg));
	n = strlen(msg);
	while (n > 0 && isspace((unsigned char)msg[n - 1]))
		msg[--n] = '\0';
	for (n = 0; msg[n] != '\0'; n++)
		if (iscntrl((unsigned char)msg[n]))
			msg[n] = ' ';
	snprintf(ps->err, sizeof(ps->err), "line %d: %s", e->line, msg);
	ps->xml_code = e->code != 0 ? e->code : -1;
}

/* A DOCTYPE is refused before its internal subset is read. */
static void
on_doctype(void *arg, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	(void)name;
	(void)eid;
	(void)sid;
	fail(arg, INV_EINPUT, "DOCTYPE declarations are not allowed in an "
	    "inventory");
}

/* Cuts a truncated value back to a UTF-8 character boundary. */
static void
utf8_trim(struct strbuf *sb)
{
	size_t i, need;
	unsigned char c;

	if (!sb->truncated || sb->len == 0)
		return;
	i = sb->len - 1;
	while (i > 0 && sb->len - i < 4 &&
	    ((unsigned char)sb->s[i] & 0xC0) == 0x80)
		i--;
	c = (unsigned char)sb->s[i];
	if (c < 0x80)
		need = 1;
	else if ((c & 0xE0) == 0xC0)
		need = 2;
	else if ((c & 0xF0) == 0xE0)
		need = 3;
	else
		need = 4;
	if (i + need > sb->len) {
		sb->len = i;
		sb->s[i] = '\0';
	}
}

static enum section
section_find(const char *tag)
{
	int i;

	for (i = SEC_NONE + 1; i < SEC__COUNT; i++)
		if (strcmp(sections[i].tag, tag) == 0)
			return (enum section)i;
	return SEC_NONE;
}

static int
field_find(enum section s, const char *tag)
{
	int i;

	for (i = 0; i < MAX_FIELDS && sections[s].fields[i] != NULL; i++)
		if (strcmp(sections[s].fields[i], tag) == 0)
			return i;
	return -1;
}

static void
capture(struct pstate *ps, struct strbuf *sb)
{
	/* A repeated field (two NAMEs) keeps the first one. */
	if (sb->len > 0 || sb->truncated)
		return;
	ps->cap = sb;
	ps->cap_depth = ps->depth;
}

static void
on_start(void *arg, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
    int ndefaulted, const xmlChar **attrs)
{
	struct pstate *ps = arg;
	const char *name = (const char *)localname;
	int f;
	size_t i;

	(void)prefix;
	(void)uri;
	(void)nns;
	(void)ns;
	(void)nattr;
	(void)ndefaulted;
	(void)attrs;
	if (ps->failed)
		return;
	ps->depth++;
	if (++ps->st.elements > ps->lim->max_elements) {
		fail(ps, INV_EINPUT, "more than %zu elements",
		    ps->lim->max_elements);
		return;
	}
	if (ps->depth > ps->lim->max_depth) {
		fail(ps, INV_EINPUT, "elements nested deeper than %u",
		    ps->lim->max_depth);
		return;
	}
	ps->cap = NULL;

	if (ps->depth == 1) {
		if (strcmp(name, "REQUEST") == 0)
			ps->root_request = 1;
		else if (strcmp(name, "CONTENT") == 0) {
			ps->cdepth = 1;
			ps->content_seen = 1;
		} else
			fail(ps, INV_EINPUT, "not an inventory: root element "
			    "<%.40s>", name);
		return;
	}
	if (ps->root_request && ps->depth == 2) {
		if (strcmp(name, "CONTENT") == 0 && !ps->content_seen) {
			ps->cdepth = 2;
			ps->content_seen = 1;
		} else if (ps->pass == 1 && strcmp(name, "DEVICEID") == 0)
			capture(ps, &ps->text[TXT_DEVICEID]);
		else if (ps->pass == 1 && strcmp(name, "QUERY") == 0)
			capture(ps, &ps->text[TXT_QUERY]);
		return;
	}
	if (ps->cdepth == 0)
		return;
	if (ps->depth == ps->cdepth + 1) {
		ps->sec = section_find(name);
		if (ps->sec == SEC_NONE) {
			if (ps->pass == 1 && strcmp(name, "VERSIONCLIENT") == 0)
				capture(ps, &ps->text[TXT_VERSIONCLIENT]);
			return;
		}
		ps->ord[ps->sec]++;
		for (i = 0; i < MAX_FIELDS; i++)
			strbuf_reset(&ps->vals[i]);
		return;
	}
	if (ps->depth != ps->cdepth + 2 || ps->sec == SEC_NONE)
		return;
	/* A field of an interesting section. */
	if (sections[ps->sec].repeated && ps->pass == 1 &&
	    ps->sec != SEC_NETWORKS)
		return;
	if (!sections[ps->sec].repeated && ps->pass == 2)
		return;
	f = field_find(ps->sec, name);
	if (f < 0)
		return;
	if (ps->pass == 1 && ps->sec == SEC_NETWORKS && f != NET_MACADDR)
		return;
	capture(ps, &ps->vals[f]);
}

static void
on_text(void *arg, const xmlChar *s, int n)
{
	struct pstate *ps = arg;

	if (ps->failed || ps->cap == NULL || ps->depth != ps->cap_depth ||
	    n <= 0)
		return;
	if (strbuf_add(ps->cap, (const char *)s, (size_t)n) != 0 &&
	    ps->cap->oom)
		fail(ps, INV_EINPUT, "out of memory");
}

static void
add_mac(struct pstate *ps, const struct strbuf *sb)
{
	char m[18];
	size_t i;

	if (inventory_mac_norm(sb->s, sb->len, m) != 0)
		return;
	for (i = 0; i < ps->nmacs; i++)
		if (strcmp(ps->macs[i], m) == 0)
			return;
	if (ps->nmacs < INVENTORY_MAX_MACS)
		memcpy(ps->macs[ps->nmacs++], m, sizeof(m));
}

static int
emit(struct pstate *ps, enum obs_kind kind, const char *item,
    const char *attr, const char *source, const char *v, size_t n)
{
	struct observation o;

	if (n == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.kind = kind;
	o.item = item;
	o.attr = attr;
	o.source = source;
	o.vtype = VAL_TEXT;
	o.value = v;
	o.len = n;
	if (ps->sink->observe(ps->sink->arg, &o) != 0) {
		fail(ps, INV_ESINK, "the observation sink failed");
		return -1;
	}
	return 0;
}

static int
emit_field(struct pstate *ps, const char *item, int f, const char *attr,
    const char *v, size_t n)
{
	char source[96];
	const struct section_def *d = &sections[ps->sec];

	snprintf(source, sizeof(source), "%s[%s]/%s", d->tag, item,
	    d->fields[f]);
	return emit(ps, d->kind, item, attr, source, v, n);
}

static int
emit_element(struct pstate *ps)
{
	const struct section_def *d = &sections[ps->sec];
	struct strbuf *v = ps->vals;
	char item[24], date[11];
	const char *name;
	size_t n;
	int f;

	snprintf(item, sizeof(item), "%zu", ps->ord[ps->sec]);
	for (f = 0; f < MAX_FIELDS; f++) {
		utf8_trim(&v[f]);
		if (v[f].truncated)
			ps->st.truncated++;
	}
	/* Fields that map one to one (SOFTWARES, ANTIVIRUS). */
	for (f = 0; f < MAX_FIELDS && d->fields[f] != NULL; f++) {
		if (d->attrs[f] == NULL)
			continue;
		if (emit_field(ps, item, f, d->attrs[f], strbuf_str(&v[f]),
		    v[f].len) != 0)
			return -1;
	}
	switch (ps->sec) {
	case SEC_SOFTWARES:
		ps->st.software++;
		return 0;
	case SEC_PROCESSES:
		ps->st.processes++;
		n = inventory_process_name(strbuf_str(&v[PROC_CMD]),
		    v[PROC_CMD].len, &name);
		return emit_field(ps, item, PROC_CMD, "name", name, n);
	case SEC_NETWORKS:
		ps->st.netifs++;
		if (emit_field(ps, item, NET_MACADDR, "mac",
		    strbuf_str(&v[NET_MACADDR]), v[NET_MACADDR].len) != 0)
			return -1;
		f = v[NET_IPADDRESS].len > 0 ? NET_IPADDRESS : NET_IPADDRESS6;
		if (emit_field(ps, item, f, "ip", strbuf_str(&v[f]),
		    v[f].len) != 0)
			return -1;
		return emit_field(ps, item, NET_DESCRIPTION, "descr",
		    strbuf_str(&v[NET_DESCRIPTION]), v[NET_DESCRIPTION].len);
	case SEC_ANTIVIRUS:
		ps->st.antivirus++;
		if (inventory_base_date(strbuf_str(&v[AV_BASE_VERSION]),
		    v[AV_BASE_VERSION].len, date) == 0 &&
		    emit_field(ps, item, AV_BASE_VERSION, "base_date", date,
		    strlen(date)) != 0)
			return -1;
		if (inventory_dmy_date(strbuf_str(&v[AV_EXPIRATION]),
		    v[AV_EXPIRATION].len, date) == 0)
			return emit_field(ps, item, AV_EXPIRATION,
			    "expiration", date, strlen(date));
		return emit_field(ps, item, AV_EXPIRATION, "expiration",
		    strbuf_str(&v[AV_EXPIRATION]), v[AV_EXPIRATION].len);
	default:
		return 0;
	}
}

static void
on_end(void *arg, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct pstate *ps = arg;
	size_t i;

	(void)localname;
	(void)prefix;
	(void)uri;
	if (ps->failed)
		return;
	if (ps->cap != NULL && ps->depth == ps->cap_depth)
		ps->cap = NULL;
	if (ps->cdepth != 0 && ps->depth == ps->cdepth + 1 &&
	    ps->sec != SEC_NONE) {
		if (ps->pass == 2 && sections[ps->sec].repeated)
			emit_element(ps);
		else if (ps->pass == 1 && ps->sec == SEC_NETWORKS)
			add_mac(ps, &ps->vals[NET_MACADDR]);
		else if (ps->pass == 1 && !sections[ps->sec].repeated &&
		    ps->ord[ps->sec] == 1) {
			for (i = 0; i < MAX_FIELDS; i++) {
				struct strbuf tmp = ps->single[ps->sec][i];

				/* Keep the value: swap the buffers. */
				ps->single[ps->sec][i] = ps->vals[i];
				ps->vals[i] = tmp;
			}
		}
		ps->sec = SEC_NONE;
	}
	if (ps->depth == ps->cdepth)
		ps->cdepth = 0;
	ps->depth--;
}

static void
pstate_free(struct pstate *ps)
{
	size_t i, j;

	for (i = 0; i < MAX_FIELDS; i++)
		strbuf_free(&ps->vals[i]);
	for (i = 0; i <= SEC_OS; i++)
		for (j = 0; j < MAX_FIELDS; j++)
			strbuf_free(&ps->single[i][j]);
	for (i = 0; i < TXT__COUNT; i++)
		strbuf_free(&ps->text[i]);
}

static void
pstate_init(struct pstate *ps, const struct inventory_limits *lim)
{
	struct strbuf z = STRBUF_INIT(lim->max_value);
	size_t i, j;

	memset(ps, 0, sizeof(*ps));
	ps->lim = lim;
	for (i = 0; i < MAX_FIELDS; i++)
		ps->vals[i] = z;
	for (i = 0; i <= SEC_OS; i++)
		for (j = 0; j < MAX_FIELDS; j++)
			ps->single[i][j] = z;
	for (i = 0; i < TXT__COUNT; i++)
		ps->text[i] = z;
}

/* Resets what one pass counts, keeping pass 1's results. */
static void
pstate_rewind(struct pstate *ps)
{
	size_t i;

	ps->depth = ps->cdepth = 0;
	ps->root_request = ps->content_seen = 0;
	ps->sec = SEC_NONE;
	ps->cap = NULL;
	for (i = 0; i < SEC__COUNT; i++)
		ps->ord[i] = 0;
}

/* One parse of the buffer.  Returns 0 when well-formed and accepted. */
static int
run_pass(struct pstate *ps, const char *buf, size_t len, int latin1)
{
	xmlSAXHandler sax;
	struct memsrc src;
	int opts, rc = -1;

	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.cdataBlock = on_text;
	sax.internalSubset = on_doctype;
	sax.serror = on_error;

	src.p = buf;
	src.len = len;
	src.off = 0;
	pstate_rewind(ps);
	ps->ctxt = xmlCreateIOParserCtxt(&sax, ps, mem_read, NULL, &src,
	    XML_CHAR_ENCODING_NONE);
	if (ps->ctxt == NULL) {
		fail(ps, INV_EINPUT, "cannot create an XML parser");
		return -1;
	}
	/* Not through xmlCreateIOParserCtxt(): 2.9 has no input there yet. */
	if (latin1 && xmlSwitchEncoding(ps->ctxt,
	    XML_CHAR_ENCODING_8859_1) != 0) {
		fail(ps, INV_EINPUT, "cannot read the inventory as ISO-8859-1");
		goto out;
	}
	/*
	 * Deliberately absent: XML_PARSE_NOENT (entity substitution),
	 * XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_DTDVALID and
	 * XML_PARSE_HUGE (libxml2's own size limits stay on).
	 */
	opts = XML_PARSE_NONET | XML_PARSE_NOWARNING;
	if (latin1)
		opts |= XML_PARSE_IGNORE_ENC;
	xmlCtxtUseOptions(ps->ctxt, opts);
	/* xmlCtxtUseOptions() may touch the handler; keep ours. */
	ps->ctxt->sax->serror = on_error;
	ps->ctxt->sax->internalSubset = on_doctype;
	xmlParseDocument(ps->ctxt);
	if (ps->failed)
		goto out;
	if (!ps->ctxt->wellFormed || ps->xml_code != 0) {
		if (ps->xml_code == 0)
			fail(ps, INV_EINPUT, "not well-formed XML");
		ps->failed = 1;
		ps->rc = INV_EINPUT;
		goto out;
	}
	if (!ps->content_seen) {
		errf(ps->err, sizeof(ps->err), "not an inventory: no CONTENT "
		    "element");
		ps->failed = 1;
		ps->rc = INV_EINPUT;
		goto out;
	}
	rc = 0;
out:
	xmlFreeParserCtxt(ps->ctxt);
	ps->ctxt = NULL;
	return rc;
}

static const char *
opt_str(const struct strbuf *sb)
{
	return sb->len > 0 ? sb->s : NULL;
}

static int
emit_system(struct pstate *ps)
{
	struct inventory_identity id;
	const char *macs[INVENTORY_MAX_MACS];
	struct strbuf *hw = ps->single[SEC_HARDWARE];
	struct strbuf *bios = ps->single[SEC_BIOS];
	struct strbuf *os = ps->single[SEC_OS];
	struct {
		const char		*attr;
		const char		*source;
		const struct strbuf	*v;
	} sys[9];
	size_t i, n = 0;

	for (i = 0; i < ps->nmacs; i++)
		macs[i] = ps->macs[i];
	memset(&id, 0, sizeof(id));
	if (hw[HW_UUID].len > 0 &&
	    inventory_uuid_usable(hw[HW_UUID].s, hw[HW_UUID].len))
		id.uuid = hw[HW_UUID].s;
	if (bios[BIOS_SSN].len > 0 &&
	    inventory_serial_usable(bios[BIOS_SSN].s,
	    bios[BIOS_SSN].len))
		id.serial = bios[BIOS_SSN].s;
	id.name = opt_str(&hw[HW_NAME]);
	id.fqdn = opt_str(&os[OS_FQDN]);
	id.deviceid = opt_str(&ps->text[TXT_DEVICEID]);
	id.macs = macs;
	id.nmacs = ps->nmacs;
	if (ps->sink->identity != NULL &&
	    ps->sink->identity(ps->sink->arg, &id) != 0) {
		fail(ps, INV_ESINK, "the identity sink failed");
		return -1;
	}

#define SYS(a, s, val) do {						\
	sys[n].attr = (a);						\
	sys[n].source = (s);						\
	sys[n].v = (val);						\
	n++;								\
} while (0)
	if (os[OS_FULL_NAME].len > 0)
		SYS("os", "OPERATINGSYSTEM/FULL_NAME", &os[OS_FULL_NAME]);
	else
		SYS("os", "HARDWARE/OSNAME", &hw[HW_OSNAME]);
	if (os[OS_VERSION].len > 0)
		SYS("os_version", "OPERATINGSYSTEM/VERSION", &os[OS_VERSION]);
	else
		SYS("os_version", "HARDWARE/OSVERSION", &hw[HW_OSVERSION]);
	SYS("name", "HARDWARE/NAME", &hw[HW_NAME]);
	SYS("fqdn", "OPERATINGSYSTEM/FQDN", &os[OS_FQDN]);
	SYS("uuid", "HARDWARE/UUID", &hw[HW_UUID]);
	SYS("serial", "BIOS/SSN", &bios[BIOS_SSN]);
	SYS("manufacturer", "BIOS/SMANUFACTURER", &bios[BIOS_SMANUFACTURER]);
	SYS("model", "BIOS/SMODEL", &bios[BIOS_SMODEL]);
	SYS("agent_version", "VERSIONCLIENT", &ps->text[TXT_VERSIONCLIENT]);
#undef SYS
	for (i = 0; i < n; i++)
		if (emit(ps, OBS_SYSTEM, "", sys[i].attr, sys[i].source,
		    strbuf_str(sys[i].v), sys[i].v->len) != 0)
			return -1;
	return 0;
}

/* Pass 1 checks: QUERY and the truncation count of what it kept. */
static int
check_pass1(struct pstate *ps)
{
	const struct strbuf *q = &ps->text[TXT_QUERY];
	size_t i, j;

	if (q->len > 0 && strcmp(q->s, "INVENTORY") != 0) {
		errf(ps->err, sizeof(ps->err), "not a computer inventory "
		    "(QUERY is '%.40s')", q->s);
		ps->rc = INV_EINPUT;
		return -1;
	}
	for (i = 0; i <= SEC_OS; i++) {
		for (j = 0; j < MAX_FIELDS; j++) {
			utf8_trim(&ps->single[i][j]);
			if (ps->single[i][j].truncated)
				ps->st.truncated++;
		}
	}
	for (i = 0; i < TXT__COUNT; i++) {
		utf8_trim(&ps->text[i]);
		if (ps->text[i].truncated)
			ps->st.truncated++;
	}
	return 0;
}

enum inventory_rc
inventory_xml_parse(const void *buf, size_t len,
    const struct inventory_limits *limits, const struct inventory_sink *sink,
    struct inventory_stats *stats, char *err, size_t errlen)
{
	struct inventory_limits defl;
	struct pstate *ps = NULL;
	struct pstate *retry = NULL;
	enum inventory_rc rc = INV_EINPUT;
	size_t truncated;
	int latin1 = 0;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	if (limits == NULL) {
		inventory_limits_default(&defl);
		limits = &defl;
	}
	if (len > limits->max_input) {
		errf(err, errlen, "inventory larger than %zu bytes",
		    limits->max_input);
		return INV_EINPUT;
	}
	if (len > (size_t)INT32_MAX) {
		errf(err, errlen, "inventory too large");
		return INV_EINPUT;
	}
	ps = malloc(sizeof(*ps));
	if (ps == NULL) {
		errf(err, errlen, "out of memory");
		return INV_EINPUT;
	}
	pstate_init(ps, limits);
	ps->pass = 1;
	if (run_pass(ps, buf, len, 0) != 0) {
		/*
		 * Not UTF-8: agents have written registry strings in the
		 * local code page.  Losing the whole host for one accented
		 * publisher name would be worse than reading it as Latin-1.
		 */
		if (ps->rc != INV_EINPUT || (ps->xml_code !=
		    XML_ERR_INVALID_CHAR && ps->xml_code !=
		    XML_ERR_INVALID_ENCODING))
			goto fail;
		retry = malloc(sizeof(*retry));
		if (retry == NULL)
			goto fail;
		pstate_init(retry, limits);
		retry->pass = 1;
		if (run_pass(retry, buf, len, 1) != 0) {
			pstate_free(retry);
			free(retry);
			goto fail;	/* report the first error */
		}
		pstate_free(ps);
		free(ps);
		ps = retry;
		latin1 = 1;
	}
	if (check_pass1(ps) != 0)
		goto fail;
	truncated = ps->st.truncated;
	ps->st.software = ps->st.processes = ps->st.netifs = 0;
	ps->st.antivirus = 0;
	ps->pass = 2;
	ps->sink = sink;
	if (emit_system(ps) != 0)
		goto fail;
	{
		size_t elements = ps->st.elements;

		ps->st.elements = 0;
		if (run_pass(ps, buf, len, latin1) != 0)
			goto fail;
		ps->st.elements = elements;
	}
	ps->st.truncated += truncated;
	ps->st.latin1 = latin1;
	if (stats != NULL)
		*stats = ps->st;
	rc = INV_OK;
	goto out;
fail:
	rc = ps->rc != INV_OK ? ps->rc : INV_EINPUT;
	errf(err, errlen, "%s", ps->err[0] != '\0' ? ps->err :
	    "cannot parse the inventory");
out:
	pstate_free(ps);
	free(ps);
	return rc;
}

void
inventory_cleanup(void)
{
	xmlCleanupParser();
}
