/*
 * inventory_xml: FusionInventory / GLPI Agent XML inventories through
 * libxml2's SAX2 interface.  No tree is built: text is copied only for the
 * few fields listed in inventory.h, each into a buffer capped at
 * max_value bytes, so memory stays proportional to one element.  What
 * becomes an observation is inventory.c's, shared with the JSON parser.
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
#include "inventory_int.h"
#include "util.h"

#define MAX_FIELDS	INVENTORY_MAX_FIELDS

/*
 * The sections read once, in pass 1, then the repeated ones, emitted per
 * element in pass 2, in the order of enum inventory_section.
 */
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

_Static_assert(SEC_ANTIVIRUS - SEC_SOFTWARES == INV_ANTIVIRUS &&
    SEC__COUNT - SEC_SOFTWARES == INV__SECTIONS,
    "the repeated sections follow enum inventory_section");

#define REPEATED(s)	((s) >= SEC_SOFTWARES)
#define INV_SECTION(s)	((enum inventory_section)((s) - SEC_SOFTWARES))

/* Field slots of the single sections, in the order of the tables below. */
enum { HW_NAME, HW_UUID, HW_OSNAME, HW_OSVERSION };
enum { BIOS_SSN, BIOS_SMANUFACTURER, BIOS_SMODEL };
enum { OS_FULL_NAME, OS_VERSION, OS_FQDN };

/* The single sections: tag and field tags (NULL-ended). */
static const struct {
	const char	*tag;
	const char	*fields[MAX_FIELDS];
} singles[SEC_OS + 1] = {
	[SEC_NONE] = { "", { NULL } },
	[SEC_HARDWARE] = { "HARDWARE",
	    { "NAME", "UUID", "OSNAME", "OSVERSION", NULL } },
	[SEC_BIOS] = { "BIOS", { "SSN", "SMANUFACTURER", "SMODEL", NULL } },
	[SEC_OS] = { "OPERATINGSYSTEM",
	    { "FULL_NAME", "VERSION", "FQDN", NULL } },
};

static const char *
section_tag(enum section s)
{
	return REPEATED(s) ? inventory_sections[INV_SECTION(s)].tag :
	    singles[s].tag;
}

static const char *const *
section_fields(enum section s)
{
	return REPEATED(s) ? inventory_sections[INV_SECTION(s)].fields :
	    singles[s].fields;
}

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

static enum section
section_find(const char *tag)
{
	int i;

	for (i = SEC_NONE + 1; i < SEC__COUNT; i++)
		if (strcmp(section_tag((enum section)i), tag) == 0)
			return (enum section)i;
	return SEC_NONE;
}

static int
field_find(enum section s, const char *tag)
{
	const char *const *fields = section_fields(s);
	int i;

	for (i = 0; i < MAX_FIELDS && fields[i] != NULL; i++)
		if (strcmp(fields[i], tag) == 0)
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
	if (REPEATED(ps->sec) && ps->pass == 1 && ps->sec != SEC_NETWORKS)
		return;
	if (!REPEATED(ps->sec) && ps->pass == 2)
		return;
	f = field_find(ps->sec, name);
	if (f < 0)
		return;
	if (ps->pass == 1 && ps->sec == SEC_NETWORKS && f != INV_NET_MACADDR)
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
emit_element(struct pstate *ps)
{
	char msg[ERRLEN];
	int f;

	for (f = 0; f < MAX_FIELDS; f++) {
		inventory_utf8_cut(&ps->vals[f]);
		if (ps->vals[f].truncated)
			ps->st.truncated++;
	}
	if (inventory_emit_element(ps->sink, INV_SECTION(ps->sec),
	    ps->ord[ps->sec], ps->vals, &ps->st, msg, sizeof(msg)) != 0)
		fail(ps, INV_ESINK, "%s", msg);
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
		if (ps->pass == 2 && REPEATED(ps->sec))
			emit_element(ps);
		else if (ps->pass == 1 && ps->sec == SEC_NETWORKS)
			inventory_mac_add(ps->macs, &ps->nmacs,
			    ps->vals[INV_NET_MACADDR].s,
			    ps->vals[INV_NET_MACADDR].len);
		else if (ps->pass == 1 && !REPEATED(ps->sec) &&
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
	/*
	 * Even a SAX parse may build a document: libxml2 keeps an internal
	 * subset's entity declarations in ctxt->myDoc, which
	 * xmlFreeParserCtxt() does not free (issue 12, 2026-12-05: ~13 KB
	 * leaked per hostile inventory or agent answer).
	 */
	if (ps->ctxt->myDoc != NULL) {
		xmlFreeDoc(ps->ctxt->myDoc);
		ps->ctxt->myDoc = NULL;
	}
	xmlFreeParserCtxt(ps->ctxt);
	ps->ctxt = NULL;
	return rc;
}

static int
emit_system(struct pstate *ps)
{
	struct strbuf *hw = ps->single[SEC_HARDWARE];
	struct strbuf *bios = ps->single[SEC_BIOS];
	struct strbuf *os = ps->single[SEC_OS];
	const struct strbuf *v[INV_SYS__COUNT] = {
		[INV_SYS_OS] = &os[OS_FULL_NAME],
		[INV_SYS_OSNAME] = &hw[HW_OSNAME],
		[INV_SYS_OS_VERSION] = &os[OS_VERSION],
		[INV_SYS_HW_OSVERSION] = &hw[HW_OSVERSION],
		[INV_SYS_NAME] = &hw[HW_NAME],
		[INV_SYS_FQDN] = &os[OS_FQDN],
		[INV_SYS_UUID] = &hw[HW_UUID],
		[INV_SYS_SERIAL] = &bios[BIOS_SSN],
		[INV_SYS_MANUFACTURER] = &bios[BIOS_SMANUFACTURER],
		[INV_SYS_MODEL] = &bios[BIOS_SMODEL],
		[INV_SYS_AGENT] = &ps->text[TXT_VERSIONCLIENT],
		[INV_SYS_DEVICEID] = &ps->text[TXT_DEVICEID],
	};
	char msg[ERRLEN];

	if (inventory_emit_system(ps->sink, v, ps->macs, ps->nmacs, msg,
	    sizeof(msg)) != 0) {
		fail(ps, INV_ESINK, "%s", msg);
		return -1;
	}
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
		ps->rc = strcmp(q->s, "NETDISCOVERY") == 0 ||
		    strcmp(q->s, "SNMPQUERY") == 0 ? INV_ENETWORK : INV_EINPUT;
		return -1;
	}
	for (i = 0; i <= SEC_OS; i++) {
		for (j = 0; j < MAX_FIELDS; j++) {
			inventory_utf8_cut(&ps->single[i][j]);
			if (ps->single[i][j].truncated)
				ps->st.truncated++;
		}
	}
	for (i = 0; i < TXT__COUNT; i++) {
		inventory_utf8_cut(&ps->text[i]);
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

	limits = inventory_begin(limits, &defl, len, stats, err, errlen);
	if (limits == NULL)
		return INV_EINPUT;
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
