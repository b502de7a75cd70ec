/*
 * xmlsax: one hardened libxml2 SAX2 parse of a buffer in memory, shared by
 * the readers of agent inventories (inventory_xml.c) and network
 * inventories (netinv_xml.c).  No tree is built and nothing is fetched:
 * no network, no entity substitution, no DTD loading or validation, a
 * DOCTYPE refused before its internal subset is read, libxml2's own size
 * limits on (no XML_PARSE_HUGE), optionally ISO-8859-1 input.  The first
 * error -- the reader's (xmlsax_fail()) or libxml2's -- is kept as
 * "line N: message"; whatever libxml2 allocated is freed before return.
 *
 * A reader's state begins with a struct xmlsax (its first member): that
 * state is the user data every handler receives.
 */
#ifndef BANAUDIT_XMLSAX_H
#define BANAUDIT_XMLSAX_H

#include <stdarg.h>
#include <stddef.h>

#include <libxml/parser.h>

#include "util.h"

struct xmlsax {
	xmlParserCtxtPtr ctxt;		/* during xmlsax_parse() */
	int		 failed;	/* an error is kept in err */
	int		 xml_code;	/* libxml2's first error code, or 0 */
	char		 err[ERRLEN];
};

/* The reader's handlers; text also gets CDATA blocks. */
struct xmlsax_handlers {
	startElementNsSAX2Func	 start;
	endElementNsSAX2Func	 end;
	charactersSAXFunc	 text;
};

/*
 * Parses len bytes of buf (as ISO-8859-1 when latin1 is set), calling the
 * handlers with state, whose first member is x.  Returns 0 when the
 * document was well-formed and nothing failed, else -1 with x->err set
 * ("not well-formed XML" when libxml2 gave no message).  Clears x->failed
 * and x->xml_code first, not x->err.
 */
int	 xmlsax_parse(struct xmlsax *x, void *state, const void *buf,
	    size_t len, int latin1, const struct xmlsax_handlers *);

/*
 * Keeps the first error, "line N: " and the message, and stops the parser.
 * A handler calls it to refuse the document.
 */
void	 xmlsax_fail(struct xmlsax *x, const char *fmt, ...) PRINTF_LIKE(2, 3);
void	 xmlsax_vfail(struct xmlsax *x, const char *fmt, va_list ap);

#endif
