/*
 * html: the escaping writer behind the HTML report.  The rule it enforces
 * is simple: markup written by this program goes out through html_raw(),
 * everything else -- any byte that came from the network, an input file or
 * the database -- goes out through html_text(), html_value() or
 * html_attr(), which escape it.
 *
 * Escaping (text and quoted attribute values alike): & < > " ' become
 * entities; invalid UTF-8 (bad sequences, overlong forms, surrogates, code
 * points above U+10FFFF) becomes U+FFFD, so a hostile value cannot break
 * the document's encoding; C0 controls and DEL become their visible
 * Control Pictures (U+2400..U+2421) so the reader sees that they were
 * there; C1 controls, non-characters and the bidirectional embedding,
 * override and isolate controls (U+202A..U+202E, U+2066..U+2069, which
 * could make text read backwards) become U+FFFD.  Tab and LF are kept; CR
 * LF and a lone CR become LF.  Text longer than the writer's cut is cut at
 * a character boundary and marked.
 *
 * Errors are sticky: the first failed write (or allocation) sets error and
 * later calls do nothing; check it once at the end.
 */
#ifndef BANAUDIT_HTML_H
#define BANAUDIT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

/* Default cut of html_text(), in characters. */
#define HTML_CUT	4000

struct html {
	FILE	*fp;		/* borrowed */
	size_t	 cut;		/* characters per text; 0 = no cut */
	int	 error;		/* errno of the first failure, or -1 */
};

void	 html_init(struct html *, FILE *);

/* Writes literal markup.  Never pass data. */
void	 html_raw(struct html *, const char *markup);
/*
 * Writes formatted literal markup.  For numbers and this program's own
 * strings only: never pass data through %s.
 */
void	 html_rawf(struct html *, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Writes s escaped (nothing for NULL). */
void	 html_text(struct html *, const char *s);
/* Writes s escaped, or placeholder (literal markup) when s is NULL or "". */
void	 html_text_or(struct html *, const char *s, const char *placeholder);
/* Writes ` name="value"` with value escaped; nothing for a NULL value. */
void	 html_attr(struct html *, const char *name, const char *value);

/*
 * Is url fit for an href: "http://" or "https://" (any case) then a host,
 * printable ASCII only (no space, control, quote, angle bracket or
 * backslash), at most 2048 bytes?  Anything else is shown as text.
 */
int	 html_url_ok(const char *url);

/*
 * The CSP source expression of a script or style body: "'sha256-BASE64'".
 * out needs HTML_CSP_HASH_LEN bytes.  Returns 0, or -1 when libcrypto
 * fails.
 */
#define HTML_CSP_HASH_LEN	64
int	 html_csp_hash(const char *body, char *out, size_t outlen);

#endif
