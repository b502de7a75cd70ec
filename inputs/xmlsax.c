/*
 * xmlsax: one hardened libxml2 SAX2 parse of a buffer (xmlsax.h).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "util.h"
#include "xmlsax.h"

struct memsrc {
	const char	*p;
	size_t		 len;
	size_t		 off;
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

void
xmlsax_vfail(struct xmlsax *x, const char *fmt, va_list ap)
{
	char msg[ERRLEN - 32];

	if (!x->failed) {
		vsnprintf(msg, sizeof(msg), fmt, ap);
		snprintf(x->err, sizeof(x->err), "line %d: %s",
		    x->ctxt != NULL && x->ctxt->input != NULL ?
		    x->ctxt->input->line : 0, msg);
		x->failed = 1;
	}
	if (x->ctxt != NULL)
		xmlStopParser(x->ctxt);
}

void
xmlsax_fail(struct xmlsax *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xmlsax_vfail(x, fmt, ap);
	va_end(ap);
}

/* libxml2's structured error handler: keep the first error, quietly. */
static void
on_error(void *arg, xmlErrorPtr e)
{
	struct xmlsax *x = arg;		/* the state's first member */
	char msg[ERRLEN - 32];
	size_t n;

	if (e == NULL || e->level == XML_ERR_WARNING || x->failed ||
	    x->xml_code != 0)
		return;
	str_copy(msg, e->message != NULL ? e->message : "parse error",
	    sizeof(msg));
	n = strlen(msg);
	while (n > 0 && isspace((unsigned char)msg[n - 1]))
		msg[--n] = '\0';
	for (n = 0; msg[n] != '\0'; n++)
		if (iscntrl((unsigned char)msg[n]))
			msg[n] = ' ';
	snprintf(x->err, sizeof(x->err), "line %d: %s", e->line, msg);
	x->xml_code = e->code != 0 ? e->code : -1;
}

/* A DOCTYPE is refused before its internal subset is read. */
static void
on_doctype(void *arg, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	(void)name;
	(void)eid;
	(void)sid;
	xmlsax_fail(arg, "DOCTYPE declarations are not allowed in an "
	    "inventory");
}

int
xmlsax_parse(struct xmlsax *x, void *state, const void *buf, size_t len,
    int latin1, const struct xmlsax_handlers *hd)
{
	xmlSAXHandler sax;
	struct memsrc src;
	int opts, rc = -1;

	if ((void *)x != state) {
		/* The handlers' user data must start with x (xmlsax.h). */
		errf(x->err, sizeof(x->err), "xmlsax: state does not begin "
		    "with its parser");
		x->failed = 1;
		return -1;
	}
	x->failed = 0;
	x->xml_code = 0;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = hd->start;
	sax.endElementNs = hd->end;
	sax.characters = hd->text;
	sax.cdataBlock = hd->text;
	sax.internalSubset = on_doctype;
	sax.serror = on_error;
	src.p = buf;
	src.len = len;
	src.off = 0;
	x->ctxt = xmlCreateIOParserCtxt(&sax, state, mem_read, NULL, &src,
	    XML_CHAR_ENCODING_NONE);
	if (x->ctxt == NULL) {
		xmlsax_fail(x, "cannot create an XML parser");
		return -1;
	}
	/* Not through xmlCreateIOParserCtxt(): 2.9 has no input there yet. */
	if (latin1 && xmlSwitchEncoding(x->ctxt,
	    XML_CHAR_ENCODING_8859_1) != 0) {
		xmlsax_fail(x, "cannot read the inventory as ISO-8859-1");
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
	xmlCtxtUseOptions(x->ctxt, opts);
	/* xmlCtxtUseOptions() may touch the handler; keep ours. */
	x->ctxt->sax->serror = on_error;
	x->ctxt->sax->internalSubset = on_doctype;
	xmlParseDocument(x->ctxt);
	if (x->failed)
		goto out;
	if (!x->ctxt->wellFormed || x->xml_code != 0) {
		if (x->xml_code == 0)
			xmlsax_fail(x, "not well-formed XML");
		x->failed = 1;
		goto out;
	}
	rc = 0;
out:
	/*
	 * Even a SAX parse may build a document: libxml2 keeps an internal
	 * subset's entity declarations in ctxt->myDoc, which
	 * xmlFreeParserCtxt() does not free (issue 12: ~13 KB leaked per
	 * hostile inventory or agent answer).
	 */
	if (x->ctxt->myDoc != NULL) {
		xmlFreeDoc(x->ctxt->myDoc);
		x->ctxt->myDoc = NULL;
	}
	xmlFreeParserCtxt(x->ctxt);
	x->ctxt = NULL;
	return rc;
}
