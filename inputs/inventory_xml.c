/*
 * inventory_xml: FusionInventory / GLPI Agent XML inventories through
 * libxml2's SAX2 interface.  No tree is built: text is copied only for the
 * few fields listed in inventory.h, each into a buffer capped at
 * max_value bytes, so memory stays proportional to one element.  What
 * becomes an observation is inventory.c's, shared with the JSON parser.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "inventory.h"
#include "inventory_int.h"
#include "util.h"
#include "xmlsax.h"

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

struct pstate {
	struct xmlsax			 x;	/* first: the handlers' data */
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
	enum inventory_rc rc;		/* of the first error */
};

/* Records the first error and stops the parser. */
static void
fail(struct pstate *ps, enum inventory_rc rc, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

static void
fail(struct pstate *ps, enum inventory_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (!ps->x.failed)
		ps->rc = rc;
	va_start(ap, fmt);
	xmlsax_vfail(&ps->x, fmt, ap);
	va_end(ap);
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
	if (ps->x.failed)
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

	if (ps->x.failed || ps->cap == NULL || ps->depth != ps->cap_depth ||
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
	if (ps->x.failed)
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
	static const struct xmlsax_handlers hd = {
		on_start, on_end, on_text
	};

	pstate_rewind(ps);
	if (xmlsax_parse(&ps->x, ps, buf, len, latin1, &hd) != 0) {
		if (ps->rc == INV_OK)
			ps->rc = INV_EINPUT;
		return -1;
	}
	if (!ps->content_seen) {
		errf(ps->x.err, sizeof(ps->x.err), "not an inventory: no "
		    "CONTENT element");
		ps->x.failed = 1;
		ps->rc = INV_EINPUT;
		return -1;
	}
	return 0;
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
		errf(ps->x.err, sizeof(ps->x.err), "not a computer inventory "
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
		if (ps->rc != INV_EINPUT || (ps->x.xml_code !=
		    XML_ERR_INVALID_CHAR && ps->x.xml_code !=
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
	errf(err, errlen, "%s", ps->x.err[0] != '\0' ? ps->x.err :
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
