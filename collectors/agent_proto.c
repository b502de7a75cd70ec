/*
 * agent_proto: the FusionInventory / GLPI Agent pull protocol without the
 * network -- auth payload, URLs, and bounded receiving of one answer
 * (headers, body, zlib/gzip inflating).  See agent.h.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "agent.h"
#include "util.h"

#define BODY_START	(64u << 10)

int
agent_auth_payload(const char *nonce, const char *token, char *out,
    size_t outlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c;
	int n, rc = -1;

	if (outlen < AGENT_PAYLOAD_LEN || nonce == NULL || token == NULL)
		return -1;
	c = EVP_MD_CTX_new();
	if (c == NULL)
		return -1;
	if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(c, nonce, strlen(nonce)) != 1 ||
	    EVP_DigestUpdate(c, "++", 2) != 1 ||
	    EVP_DigestUpdate(c, token, strlen(token)) != 1 ||
	    EVP_DigestFinal_ex(c, md, &mdlen) != 1)
		goto out;
	n = EVP_EncodeBlock(b64, md, (int)mdlen);
	/* Perl's b64digest, which the agent uses, never pads. */
	while (n > 0 && b64[n - 1] == '=')
		n--;
	if (n <= 0 || (size_t)n >= outlen)
		goto out;
	memcpy(out, b64, (size_t)n);
	out[n] = '\0';
	rc = 0;
out:
	EVP_MD_CTX_free(c);
	OPENSSL_cleanse(md, sizeof(md));
	OPENSSL_cleanse(b64, sizeof(b64));
	return rc;
}

int
agent_urls(const char *url, char **session, char **get, char *err,
    size_t errlen)
{
	CURLU *u = NULL;
	char *scheme = NULL, *user = NULL, *query = NULL, *frag = NULL;
	char *path = NULL, *base = NULL;
	struct strbuf sb = STRBUF_INIT(4096);
	size_t n;
	int rc = -1;

	*session = *get = NULL;
	u = curl_url();
	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		errf(err, errlen, "agent_url is not a URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		errf(err, errlen, "agent_url must be http:// or https://");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		errf(err, errlen, "agent_url must not carry credentials (use "
		    "the credentials file)");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
		errf(err, errlen, "agent_url must not have a query or "
		    "fragment");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto nomem;
	n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		path[--n] = '\0';
	if (curl_url_set(u, CURLUPART_PATH, n == 0 ? "/inventory" : path, 0)
	    != CURLUE_OK || curl_url_get(u, CURLUPART_URL, &base, 0) !=
	    CURLUE_OK)
		goto nomem;
	if (strbuf_printf(&sb, "%s/session", base) != 0)
		goto nomem;
	*session = str_dup(strbuf_str(&sb));
	strbuf_reset(&sb);
	if (strbuf_printf(&sb, "%s/get", base) != 0)
		goto nomem;
	*get = str_dup(strbuf_str(&sb));
	if (*session == NULL || *get == NULL)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	errf(err, errlen, "out of memory");
out:
	if (rc != 0) {
		free(*session);
		free(*get);
		*session = *get = NULL;
	}
	strbuf_free(&sb);
	curl_free(scheme);
	curl_free(user);
	curl_free(query);
	curl_free(frag);
	curl_free(path);
	curl_free(base);
	curl_url_cleanup(u);
	return rc;
}

void
agent_resp_reset(struct agent_resp *r, size_t cap, int may_inflate)
{
	if (r->zinit)
		inflateEnd(&r->z);
	r->zinit = r->zend = 0;
	r->cap = cap;
	r->may_inflate = may_inflate;
	r->nonce[0] = r->ctype[0] = '\0';
	r->nonce_bad = 0;
	r->hdr_bytes = r->raw_bytes = 0;
	r->len = 0;
	r->compressed = -1;
	r->fault = AGENT_FAULT_NONE;
}

void
agent_resp_free(struct agent_resp *r)
{
	if (r->zinit)
		inflateEnd(&r->z);
	free(r->body);
	OPENSSL_cleanse(r->nonce, sizeof(r->nonce));
	memset(r, 0, sizeof(*r));
}

/* Grows the body buffer to hold want bytes (want <= cap). */
static int
body_reserve(struct agent_resp *r, size_t want)
{
	size_t nsize;
	char *nb;

	if (want <= r->size)
		return 0;
	nsize = r->size ? r->size : BODY_START;
	while (nsize < want)
		nsize *= 2;
	if (nsize > r->cap)
		nsize = r->cap;
	nb = realloc(r->body, nsize);
	if (nb == NULL) {
		r->fault = AGENT_FAULT_NOMEM;
		return -1;
	}
	r->body = nb;
	r->size = nsize;
	return 0;
}

static int
body_add(struct agent_resp *r, const char *data, size_t n)
{
	if (n > r->cap - r->len) {
		r->fault = AGENT_FAULT_TOO_LARGE;
		return -1;
	}
	if (body_reserve(r, r->len + n) != 0)
		return -1;
	memcpy(r->body + r->len, data, n);
	r->len += n;
	return 0;
}

/* Inflates a chunk of zlib or gzip data into the body, within the cap. */
static int
body_inflate(struct agent_resp *r, char *data, size_t n)
{
	size_t want;
	int zr;

	if (!r->zinit) {
		memset(&r->z, 0, sizeof(r->z));
		/* 15 + 32: zlib (RFC 1950) or gzip (RFC 1952) header. */
		if (inflateInit2(&r->z, 15 + 32) != Z_OK) {
			r->fault = AGENT_FAULT_NOMEM;
			return -1;
		}
		r->zinit = 1;
	}
	if (r->zend)
		return 0;	/* trailing bytes after the stream */
	r->z.next_in = (Bytef *)data;
	r->z.avail_in = (uInt)n;
	for (;;) {
		if (r->len >= r->cap) {
			r->fault = AGENT_FAULT_INFLATED_TOO_LARGE;
			return -1;
		}
		want = r->cap - r->len < BODY_START ? r->cap :
		    r->len + BODY_START;
		if (r->size <= r->len && body_reserve(r, want) != 0)
			return -1;
		r->z.next_out = (Bytef *)r->body + r->len;
		r->z.avail_out = (uInt)(r->size - r->len);
		zr = inflate(&r->z, Z_NO_FLUSH);
		r->len = r->size - r->z.avail_out;
		if (zr == Z_STREAM_END) {
			r->zend = 1;
			return 0;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			r->fault = AGENT_FAULT_CORRUPT;
			return -1;
		}
		/* All input taken and room left: wait for more. */
		if (r->z.avail_out > 0)
			return 0;
	}
}

size_t
agent_resp_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct agent_resp *r = arg;
	size_t n = size * nmemb;
	int rc;

	if (r->fault != AGENT_FAULT_NONE)
		return 0;
	/* The answer's Content-Type, complete by now, says how it comes. */
	if (r->compressed < 0)
		r->compressed = r->may_inflate &&
		    (strncasecmp(r->ctype, "application/x-compress-zlib",
		    27) == 0 || strncasecmp(r->ctype,
		    "application/x-compress-gzip", 27) == 0);
	/* Compressed or not, no more than the cap crosses the wire. */
	if (n > r->cap - r->raw_bytes) {
		r->fault = AGENT_FAULT_TOO_LARGE;
		return 0;
	}
	r->raw_bytes += n;
	rc = r->compressed ? body_inflate(r, data, n) : body_add(r, data, n);
	return rc == 0 ? n : 0;
}

/* Is this a nonce as the agent makes them (base64 of a SHA-1)? */
static int
nonce_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > AGENT_NONCE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) &&
		    strchr("+/=_-", s[i]) == NULL)
			return 0;
	return 1;
}

/* Copies a header value without surrounding blanks or CR/LF. */
static void
header_value(const char *v, size_t n, char *out, size_t outlen,
    int *toolong)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' ||
	    v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= outlen) {
		if (toolong != NULL)
			*toolong = 1;
		n = outlen - 1;
	}
	memcpy(out, v, n);
	out[n] = '\0';
}

/* Does the header line start with name (which ends in ':')? */
static int
is_header(const char *line, size_t n, const char *name, size_t nlen)
{
	return n >= nlen && strncasecmp(line, name, nlen) == 0;
}

size_t
agent_resp_header(char *line, size_t size, size_t nmemb, void *arg)
{
	static const char nonce_h[] = "X-Auth-Nonce:";
	static const char ctype_h[] = "Content-Type:";
	struct agent_resp *r = arg;
	size_t n = size * nmemb;
	int toolong = 0;

	if (n > AGENT_HEADER_CAP - r->hdr_bytes) {
		r->fault = AGENT_FAULT_HEADERS_TOO_LARGE;
		return 0;
	}
	r->hdr_bytes += n;
	if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		/* A new answer (after a 1xx): forget the last one's. */
		r->nonce[0] = r->ctype[0] = '\0';
		r->nonce_bad = 0;
	} else if (is_header(line, n, nonce_h, sizeof(nonce_h) - 1)) {
		header_value(line + sizeof(nonce_h) - 1,
		    n - (sizeof(nonce_h) - 1), r->nonce, sizeof(r->nonce),
		    &toolong);
		r->nonce_bad = toolong || !nonce_ok(r->nonce);
	} else if (is_header(line, n, ctype_h, sizeof(ctype_h) - 1)) {
		header_value(line + sizeof(ctype_h) - 1,
		    n - (sizeof(ctype_h) - 1), r->ctype, sizeof(r->ctype),
		    NULL);
	}
	return n;
}
