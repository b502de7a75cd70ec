/*
 * Unit tests for lazylib: libcurl and libxml2 loaded at first use.  A
 * library that cannot be loaded is said once on stderr and its functions
 * fail as the library's own do; the cleanup functions never load it; once
 * loaded, every kind of argument reaches the real function (the variadic
 * setopt's long, pointer, function pointer and curl_off_t), checked by a
 * file:// transfer through an easy and a multi handle, the URL API and a
 * SAX parse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include "lazylib.h"
#include "xmlsax.h"

/* Runs fn with stderr going to a temp file; returns what it wrote. */
static char *
stderr_of(void (*fn)(void))
{
	char path[] = "/tmp/test_lazylib.XXXXXX";
	static char buf[4096];
	FILE *f;
	int fd, saved;
	size_t n;

	fd = mkstemp(path);
	assert_true(fd != -1);
	unlink(path);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved != -1);
	assert_true(dup2(fd, 2) != -1);
	fn();
	fflush(stderr);
	assert_true(dup2(saved, 2) != -1);
	close(saved);
	f = fdopen(fd, "r");
	assert_non_null(f);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
missing_curl(void)
{
	CURLU *u;

	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT),
	    CURLE_FAILED_INIT);
	assert_null(curl_easy_init());
	assert_null(curl_multi_init());
	assert_null(curl_slist_append(NULL, "x: y"));
	u = curl_url();
	assert_null(u);
	assert_int_equal(curl_url_set(u, CURLUPART_URL, "http://a/", 0),
	    CURLUE_BAD_HANDLE);
	assert_int_equal(curl_easy_setopt(NULL, CURLOPT_URL, "http://a/"),
	    CURLE_FAILED_INIT);
	assert_int_equal(curl_multi_perform(NULL, NULL),
	    CURLM_INTERNAL_ERROR);
	assert_string_equal(curl_easy_strerror(CURLE_OK),
	    "libcurl could not be loaded");
	/* Nothing of the library exists: these do nothing. */
	curl_free(NULL);
	curl_slist_free_all(NULL);
	curl_url_cleanup(NULL);
	curl_easy_cleanup(NULL);
	curl_global_cleanup();
}

static void
missing_xml(void)
{
	assert_null(xmlCreateIOParserCtxt(NULL, NULL, NULL, NULL, NULL,
	    XML_CHAR_ENCODING_NONE));
	assert_int_equal(xmlCtxtUseOptions(NULL, 0), -1);
	assert_int_equal(xmlParseDocument(NULL), -1);
	xmlFreeParserCtxt(NULL);
	xmlCleanupParser();
}

/* 2026-12-05: the libraries left the program's link (issue 13). */
static void
test_missing(void **state)
{
	const char *out;

	(void)state;
	/* Cleaning up never loads a library. */
	curl_global_cleanup();
	xmlCleanupParser();
	assert_false(lazylib_loaded(LAZYLIB_CURL));
	assert_false(lazylib_loaded(LAZYLIB_XML));

	assert_int_equal(lazylib_use(LAZYLIB_CURL, "libbanaudit-none.so.0"),
	    0);
	out = stderr_of(missing_curl);
	assert_non_null(strstr(out, "cannot load libbanaudit-none.so.0"));
	/* Said once, not at every call. */
	assert_null(strstr(strstr(out, "cannot load") + 1, "cannot load"));
	assert_false(lazylib_loaded(LAZYLIB_CURL));

	assert_int_equal(lazylib_use(LAZYLIB_XML, "libbanaudit-none.so.1"),
	    0);
	out = stderr_of(missing_xml);
	assert_non_null(strstr(out, "cannot load libbanaudit-none.so.1"));
	assert_false(lazylib_loaded(LAZYLIB_XML));

	/* Back to the real ones: a failure before is forgotten. */
	assert_int_equal(lazylib_use(LAZYLIB_CURL, "libcurl.so.4"), 0);
	assert_int_equal(lazylib_use(LAZYLIB_XML, "libxml2.so.2"), 0);
}

struct sink {
	char	 buf[64];
	size_t	 len;
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;

	if (len > sizeof(s->buf) - 1 - s->len)
		return 0;
	memcpy(s->buf + s->len, p, len);
	s->len += len;
	s->buf[s->len] = '\0';
	return len;
}

/* A file:// URL of a temp file holding text; the caller unlinks path. */
static void
temp_url(char *path, char *url, size_t urllen, const char *text)
{
	FILE *f;
	int fd;

	fd = mkstemp(path);
	assert_true(fd != -1);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_true((size_t)snprintf(url, urllen, "file://%s", path) <
	    urllen);
}

static void
test_easy(void **state)
{
	char path[] = "/tmp/test_lazylib.XXXXXX", url[64];
	struct sink s;
	struct curl_slist *h;
	CURL *e;
	char *priv = NULL;
	curl_off_t got = 0;

	(void)state;
	temp_url(path, url, sizeof(url), "hello, lazy world");
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	assert_true(lazylib_loaded(LAZYLIB_CURL));
	e = curl_easy_init();
	assert_non_null(e);
	memset(&s, 0, sizeof(s));
	/* A long: a bad value is refused, a good one taken. */
	assert_int_equal(curl_easy_setopt(e, CURLOPT_IPRESOLVE, 99L),
	    CURLE_BAD_FUNCTION_ARGUMENT);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_IPRESOLVE,
	    (long)CURL_IPRESOLVE_V4), CURLE_OK);
	/* A curl_off_t: the same. */
	assert_int_equal(curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)-5), CURLE_BAD_FUNCTION_ARGUMENT);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)1000), CURLE_OK);
	/* Pointers and a function pointer, used by the transfer. */
	assert_int_equal(curl_easy_setopt(e, CURLOPT_URL, url), CURLE_OK);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_PRIVATE, path), CURLE_OK);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body),
	    CURLE_OK);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_WRITEDATA, &s), CURLE_OK);
	h = curl_slist_append(NULL, "X-Test: 1");
	assert_non_null(h);
	assert_int_equal(curl_easy_setopt(e, CURLOPT_HTTPHEADER, h), CURLE_OK);
	assert_int_equal(curl_easy_perform(e), CURLE_OK);
	assert_string_equal(s.buf, "hello, lazy world");
	assert_int_equal(curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv),
	    CURLE_OK);
	assert_ptr_equal(priv, path);
	assert_int_equal(curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD_T, &got),
	    CURLE_OK);
	assert_int_equal(got, 17);
	assert_string_equal(curl_easy_strerror(CURLE_OK), "No error");
	curl_easy_cleanup(e);
	curl_slist_free_all(h);
	curl_global_cleanup();
	unlink(path);
}

static void
test_multi(void **state)
{
	char path[] = "/tmp/test_lazylib.XXXXXX", url[64];
	struct sink s;
	CURLM *m;
	CURLMsg *msg;
	CURL *e;
	int running = 1, n, done = 0, i;

	(void)state;
	temp_url(path, url, sizeof(url), "multi");
	m = curl_multi_init();
	assert_non_null(m);
	assert_int_equal(curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, 2L),
	    CURLM_OK);
	e = curl_easy_init();
	assert_non_null(e);
	memset(&s, 0, sizeof(s));
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &s);
	assert_int_equal(curl_multi_add_handle(m, e), CURLM_OK);
	for (i = 0; i < 1000 && running > 0; i++) {
		assert_int_equal(curl_multi_perform(m, &running), CURLM_OK);
		if (running > 0)
			assert_int_equal(curl_multi_poll(m, NULL, 0, 10, NULL),
			    CURLM_OK);
	}
	for (;;) {
		msg = curl_multi_info_read(m, &n);
		if (msg == NULL)
			break;
		if (msg->msg == CURLMSG_DONE) {
			assert_int_equal(msg->data.result, CURLE_OK);
			done++;
		}
	}
	assert_int_equal(done, 1);
	assert_string_equal(s.buf, "multi");
	assert_int_equal(curl_multi_remove_handle(m, e), CURLM_OK);
	curl_easy_cleanup(e);
	assert_int_equal(curl_multi_cleanup(m), CURLM_OK);
	unlink(path);
}

static void
test_url(void **state)
{
	CURLU *u;
	char *host = NULL;

	(void)state;
	u = curl_url();
	assert_non_null(u);
	assert_int_equal(curl_url_set(u, CURLUPART_URL,
	    "https://agent.example:62354/now", 0), CURLUE_OK);
	assert_int_equal(curl_url_get(u, CURLUPART_HOST, &host, 0),
	    CURLUE_OK);
	assert_string_equal(host, "agent.example");
	curl_free(host);
	assert_string_equal(curl_url_strerror(CURLUE_OK), "No error");
	curl_url_cleanup(u);
}

struct count {
	struct xmlsax	 x;		/* first, as xmlsax wants */
	int		 elements;
};

static void
on_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
    int ndefaulted, const xmlChar **attrs)
{
	struct count *c = ctx;

	(void)name;
	(void)prefix;
	(void)uri;
	(void)nns;
	(void)ns;
	(void)nattr;
	(void)ndefaulted;
	(void)attrs;
	c->elements++;
}

static void
test_xml(void **state)
{
	static const char doc[] = "<a><b/><c>t</c></a>";
	static const char bad[] = "<a><b></a>";
	struct xmlsax_handlers h;
	struct count c;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.start = on_start;
	memset(&c, 0, sizeof(c));
	assert_int_equal(xmlsax_parse(&c.x, &c, doc, sizeof(doc) - 1, 0, &h),
	    0);
	assert_true(lazylib_loaded(LAZYLIB_XML));
	assert_int_equal(c.elements, 3);
	assert_int_equal(xmlsax_parse(&c.x, &c, bad, sizeof(bad) - 1, 0, &h),
	    -1);
	xmlCleanupParser();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_easy),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_xml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
