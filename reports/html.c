/*
 * html: escaping writer for the HTML report; html.h states the rules.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "html.h"
#include "util.h"

#define INVALID		UINT32_MAX
#define URL_MAX		2048

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
static const char replacement[] = "\xef\xbf\xbd";

void
html_init(struct html *h, FILE *fp)
{
	memset(h, 0, sizeof(*h));
	h->fp = fp;
	h->cut = HTML_CUT;
}

static void
put(struct html *h, const void *s, size_t n)
{
	if (h->error != 0 || n == 0)
		return;
	if (fwrite(s, 1, n, h->fp) != n)
		h->error = errno != 0 ? errno : EIO;
}

void
html_raw(struct html *h, const char *markup)
{
	put(h, markup, strlen(markup));
}

void
html_rawf(struct html *h, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (h->error != 0)
		return;
	va_start(ap, fmt);
	rc = vfprintf(h->fp, fmt, ap);
	va_end(ap);
	if (rc < 0)
		h->error = errno != 0 ? errno : EIO;
}

/*
 * Decodes the code point at s[0..n), n > 0, strictly: sets *cp (INVALID
 * for a bad, truncated, overlong or surrogate sequence, which then spans
 * one byte) and returns the sequence length.
 */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len = utf8_decode(s, n, cp);

	if (len == 0) {
		*cp = INVALID;
		return 1;
	}
	return len;
}

/*
 * What replaces code point cp (at s[i..n)), or NULL when it is written as
 * is.  pic receives a Control Picture.
 */
static const char *
replace(uint32_t cp, const unsigned char *s, size_t i, size_t n,
    char pic[4])
{
	switch (cp) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	case '\t':
	case '\n':
		return NULL;
	case '\r':
		return i + 1 < n && s[i + 1] == '\n' ? "" : "\n";
	case 0x7f:
		return "\xe2\x90\xa1";		/* U+2421 SYMBOL FOR DELETE */
	default:
		break;
	}
	if (cp < 0x20) {			/* U+2400 + cp */
		pic[0] = (char)0xe2;
		pic[1] = (char)0x90;
		pic[2] = (char)(0x80 + cp);
		pic[3] = '\0';
		return pic;
	}
	if (cp == INVALID || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return replacement;
	return NULL;
}

static void
escape(struct html *h, const unsigned char *s, size_t n, size_t cut)
{
	size_t i = 0, start = 0, chars = 0, len;
	const char *rep;
	uint32_t cp;
	char pic[4], note[64];

	while (i < n) {
		if (cut > 0 && chars == cut) {
			put(h, s + start, i - start);
			snprintf(note, sizeof(note), " \xe2\x80\xa6 [cut: %zu "
			    "more bytes]", n - i);
			html_raw(h, note);
			return;
		}
		chars++;
		len = utf8_next(s + i, n - i, &cp);
		rep = replace(cp, s, i, n, pic);
		if (rep != NULL) {
			put(h, s + start, i - start);
			html_raw(h, rep);
			start = i + len;
		}
		i += len;
	}
	put(h, s + start, i - start);
}

void
html_text(struct html *h, const char *s)
{
	if (s != NULL)
		escape(h, (const unsigned char *)s, strlen(s), h->cut);
}

void
html_text_or(struct html *h, const char *s, const char *placeholder)
{
	if (s == NULL || *s == '\0')
		html_raw(h, placeholder);
	else
		html_text(h, s);
}

void
html_attr(struct html *h, const char *name, const char *value)
{
	if (value == NULL)
		return;
	html_raw(h, " ");
	html_raw(h, name);
	html_raw(h, "=\"");
	escape(h, (const unsigned char *)value, strlen(value), 0);
	html_raw(h, "\"");
}

int
html_url_ok(const char *url)
{
	const unsigned char *p;
	size_t skip;

	if (url == NULL || strlen(url) > URL_MAX)
		return 0;
	if (strncasecmp(url, "http://", 7) == 0)
		skip = 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		skip = 8;
	else
		return 0;
	/* A host must follow. */
	if (url[skip] == '\0' || strchr("/?#@:", url[skip]) != NULL)
		return 0;
	for (p = (const unsigned char *)url; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"'<>\\`", *p) != NULL)
			return 0;
	return 1;
}

int
html_csp_hash(const char *body, char *out, size_t outlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	unsigned int n = 0;

	if (outlen > 0)
		out[0] = '\0';
	if (EVP_Digest(body, strlen(body), md, &n, EVP_sha256(), NULL) != 1)
		return -1;
	EVP_EncodeBlock(b64, md, (int)n);
	if ((size_t)snprintf(out, outlen, "'sha256-%s'", (char *)b64) >=
	    outlen) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}
