/*
 * lazylib: the libcurl and libxml2 functions banaudit calls, each loading
 * its library on first use (lazylib.h says why).
 */
/* curl.h's GCC type checks turn curl_easy_setopt() into a macro. */
#define CURL_DISABLE_TYPECHECK

#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "lazylib.h"
#include "log.h"

/*
 * The sonames the program was built against (Debian 12: libcurl4 and
 * libxml2, debian/control names both).
 */
static struct lazylib {
	const char	*soname;
	void		*handle;
	int		 failed;	/* tried, could not load: not again */
} libs[LAZYLIB__COUNT] = {
	[LAZYLIB_CURL] = { "libcurl.so.4", NULL, 0 },
	[LAZYLIB_XML] = { "libxml2.so.2", NULL, 0 },
};

int
lazylib_loaded(enum lazylib_id id)
{
	return id < LAZYLIB__COUNT && libs[id].handle != NULL;
}

int
lazylib_use(enum lazylib_id id, const char *soname)
{
	if (id >= LAZYLIB__COUNT || libs[id].handle != NULL)
		return -1;
	libs[id].soname = soname;
	libs[id].failed = 0;
	return 0;
}

/*
 * The address of function name in library id, loading it first; NULL
 * (said once per library or function) when either cannot be had.
 */
static void *
lazy_sym(enum lazylib_id id, const char *name)
{
	struct lazylib *l = &libs[id];
	const char *why;
	void *p;

	if (l->handle == NULL && !l->failed) {
		l->handle = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
		if (l->handle == NULL) {
			l->failed = 1;
			why = dlerror();
			log_warn("cannot load %s: %s", l->soname,
			    why != NULL ? why : "unknown error");
		}
	}
	if (l->handle == NULL)
		return NULL;
	p = dlsym(l->handle, name);
	if (p == NULL)
		log_warn("%s has no %s", l->soname, name);
	return p;
}

/* The function pointer type of each wrapper, then its body. */
#define LOAD(lib, fn, type) \
	static __typeof__(type) p_; \
	if (p_ == NULL) \
		p_ = (type)lazy_sym(lib, #fn)

/* ---- libcurl -------------------------------------------------------- */

CURLcode
curl_global_init(long flags)
{
	LOAD(LAZYLIB_CURL, curl_global_init, CURLcode (*)(long));
	return p_ != NULL ? p_(flags) : CURLE_FAILED_INIT;
}

void
curl_global_cleanup(void)
{
	if (libs[LAZYLIB_CURL].handle == NULL)
		return;
	LOAD(LAZYLIB_CURL, curl_global_cleanup, void (*)(void));
	if (p_ != NULL)
		p_();
}

CURL *
curl_easy_init(void)
{
	LOAD(LAZYLIB_CURL, curl_easy_init, CURL *(*)(void));
	return p_ != NULL ? p_() : NULL;
}

/*
 * An option's number says the type of its argument (curl.h's
 * CURLOPTTYPE_*, the same bases for CURLMOPT_*): long below 10,000, an
 * object or string pointer, a function pointer, a curl_off_t, a blob
 * pointer for each 10,000 after.
 */
enum lazy_argtype { ARG_LONG, ARG_PTR, ARG_FUNC, ARG_OFF_T };

static enum lazy_argtype
opt_argtype(long option)
{
	switch (option / 10000) {
	case 0:
		return ARG_LONG;
	case 2:
		return ARG_FUNC;
	case 3:
		return ARG_OFF_T;
	default:
		return ARG_PTR;
	}
}

CURLcode
curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	va_list ap;
	long l;
	void *v;
	void (*f)(void);
	curl_off_t o;

	LOAD(LAZYLIB_CURL, curl_easy_setopt,
	    CURLcode (*)(CURL *, CURLoption, ...));
	if (p_ == NULL)
		return CURLE_FAILED_INIT;
	va_start(ap, option);
	switch (opt_argtype(option)) {
	case ARG_LONG:
		l = va_arg(ap, long);
		va_end(ap);
		return p_(curl, option, l);
	case ARG_FUNC:
		f = va_arg(ap, void (*)(void));
		va_end(ap);
		return p_(curl, option, f);
	case ARG_OFF_T:
		o = va_arg(ap, curl_off_t);
		va_end(ap);
		return p_(curl, option, o);
	default:
		v = va_arg(ap, void *);
		va_end(ap);
		return p_(curl, option, v);
	}
}

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode
curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	va_list ap;
	void *v;

	LOAD(LAZYLIB_CURL, curl_easy_getinfo,
	    CURLcode (*)(CURL *, CURLINFO, ...));
	if (p_ == NULL)
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	v = va_arg(ap, void *);
	va_end(ap);
	return p_(curl, info, v);
}

void
curl_easy_cleanup(CURL *curl)
{
	LOAD(LAZYLIB_CURL, curl_easy_cleanup, void (*)(CURL *));
	if (p_ != NULL)
		p_(curl);
}

const char *
curl_easy_strerror(CURLcode code)
{
	LOAD(LAZYLIB_CURL, curl_easy_strerror, const char *(*)(CURLcode));
	return p_ != NULL ? p_(code) : "libcurl could not be loaded";
}

void
curl_free(void *p)
{
	LOAD(LAZYLIB_CURL, curl_free, void (*)(void *));
	if (p_ != NULL)
		p_(p);
}

struct curl_slist *
curl_slist_append(struct curl_slist *list, const char *s)
{
	LOAD(LAZYLIB_CURL, curl_slist_append,
	    struct curl_slist *(*)(struct curl_slist *, const char *));
	return p_ != NULL ? p_(list, s) : NULL;
}

void
curl_slist_free_all(struct curl_slist *list)
{
	LOAD(LAZYLIB_CURL, curl_slist_free_all,
	    void (*)(struct curl_slist *));
	if (p_ != NULL)
		p_(list);
}

CURLM *
curl_multi_init(void)
{
	LOAD(LAZYLIB_CURL, curl_multi_init, CURLM *(*)(void));
	return p_ != NULL ? p_() : NULL;
}

CURLMcode
curl_multi_setopt(CURLM *multi, CURLMoption option, ...)
{
	va_list ap;
	long l;
	void *v;
	void (*f)(void);
	curl_off_t o;

	LOAD(LAZYLIB_CURL, curl_multi_setopt,
	    CURLMcode (*)(CURLM *, CURLMoption, ...));
	if (p_ == NULL)
		return CURLM_INTERNAL_ERROR;
	va_start(ap, option);
	switch (opt_argtype(option)) {
	case ARG_LONG:
		l = va_arg(ap, long);
		va_end(ap);
		return p_(multi, option, l);
	case ARG_FUNC:
		f = va_arg(ap, void (*)(void));
		va_end(ap);
		return p_(multi, option, f);
	case ARG_OFF_T:
		o = va_arg(ap, curl_off_t);
		va_end(ap);
		return p_(multi, option, o);
	default:
		v = va_arg(ap, void *);
		va_end(ap);
		return p_(multi, option, v);
	}
}

CURLMcode
curl_multi_add_handle(CURLM *multi, CURL *curl)
{
	LOAD(LAZYLIB_CURL, curl_multi_add_handle,
	    CURLMcode (*)(CURLM *, CURL *));
	return p_ != NULL ? p_(multi, curl) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_remove_handle(CURLM *multi, CURL *curl)
{
	LOAD(LAZYLIB_CURL, curl_multi_remove_handle,
	    CURLMcode (*)(CURLM *, CURL *));
	return p_ != NULL ? p_(multi, curl) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_perform(CURLM *multi, int *running)
{
	LOAD(LAZYLIB_CURL, curl_multi_perform, CURLMcode (*)(CURLM *, int *));
	return p_ != NULL ? p_(multi, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_poll(CURLM *multi, struct curl_waitfd extra_fds[],
    unsigned int extra_nfds, int timeout_ms, int *ret)
{
	LOAD(LAZYLIB_CURL, curl_multi_poll, CURLMcode (*)(CURLM *,
	    struct curl_waitfd *, unsigned int, int, int *));
	return p_ != NULL ? p_(multi, extra_fds, extra_nfds, timeout_ms,
	    ret) : CURLM_INTERNAL_ERROR;
}

CURLMsg *
curl_multi_info_read(CURLM *multi, int *msgs_in_queue)
{
	LOAD(LAZYLIB_CURL, curl_multi_info_read, CURLMsg *(*)(CURLM *, int *));
	return p_ != NULL ? p_(multi, msgs_in_queue) : NULL;
}

CURLMcode
curl_multi_cleanup(CURLM *multi)
{
	LOAD(LAZYLIB_CURL, curl_multi_cleanup, CURLMcode (*)(CURLM *));
	return p_ != NULL ? p_(multi) : CURLM_INTERNAL_ERROR;
}

CURLU *
curl_url(void)
{
	LOAD(LAZYLIB_CURL, curl_url, CURLU *(*)(void));
	return p_ != NULL ? p_() : NULL;
}

void
curl_url_cleanup(CURLU *u)
{
	LOAD(LAZYLIB_CURL, curl_url_cleanup, void (*)(CURLU *));
	if (p_ != NULL)
		p_(u);
}

CURLUcode
curl_url_get(CURLU *u, CURLUPart what, char **part, unsigned int flags)
{
	LOAD(LAZYLIB_CURL, curl_url_get,
	    CURLUcode (*)(CURLU *, CURLUPart, char **, unsigned int));
	return p_ != NULL ? p_(u, what, part, flags) : CURLUE_BAD_HANDLE;
}

CURLUcode
curl_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags)
{
	LOAD(LAZYLIB_CURL, curl_url_set,
	    CURLUcode (*)(CURLU *, CURLUPart, const char *, unsigned int));
	return p_ != NULL ? p_(u, what, part, flags) : CURLUE_BAD_HANDLE;
}

const char *
curl_url_strerror(CURLUcode code)
{
	LOAD(LAZYLIB_CURL, curl_url_strerror, const char *(*)(CURLUcode));
	return p_ != NULL ? p_(code) : "libcurl could not be loaded";
}

/* ---- libxml2 -------------------------------------------------------- */

xmlParserCtxtPtr
xmlCreateIOParserCtxt(xmlSAXHandlerPtr sax, void *user_data,
    xmlInputReadCallback ioread, xmlInputCloseCallback ioclose, void *ioctx,
    xmlCharEncoding enc)
{
	LOAD(LAZYLIB_XML, xmlCreateIOParserCtxt,
	    xmlParserCtxtPtr (*)(xmlSAXHandlerPtr, void *,
	    xmlInputReadCallback, xmlInputCloseCallback, void *,
	    xmlCharEncoding));
	return p_ != NULL ? p_(sax, user_data, ioread, ioclose, ioctx, enc) :
	    NULL;
}

int
xmlCtxtUseOptions(xmlParserCtxtPtr ctxt, int options)
{
	LOAD(LAZYLIB_XML, xmlCtxtUseOptions, int (*)(xmlParserCtxtPtr, int));
	return p_ != NULL ? p_(ctxt, options) : -1;
}

int
xmlSwitchEncoding(xmlParserCtxtPtr ctxt, xmlCharEncoding enc)
{
	LOAD(LAZYLIB_XML, xmlSwitchEncoding,
	    int (*)(xmlParserCtxtPtr, xmlCharEncoding));
	return p_ != NULL ? p_(ctxt, enc) : -1;
}

int
xmlParseDocument(xmlParserCtxtPtr ctxt)
{
	LOAD(LAZYLIB_XML, xmlParseDocument, int (*)(xmlParserCtxtPtr));
	return p_ != NULL ? p_(ctxt) : -1;
}

void
xmlStopParser(xmlParserCtxtPtr ctxt)
{
	LOAD(LAZYLIB_XML, xmlStopParser, void (*)(xmlParserCtxtPtr));
	if (p_ != NULL)
		p_(ctxt);
}

void
xmlFreeParserCtxt(xmlParserCtxtPtr ctxt)
{
	LOAD(LAZYLIB_XML, xmlFreeParserCtxt, void (*)(xmlParserCtxtPtr));
	if (p_ != NULL)
		p_(ctxt);
}

void
xmlFreeDoc(xmlDocPtr doc)
{
	LOAD(LAZYLIB_XML, xmlFreeDoc, void (*)(xmlDocPtr));
	if (p_ != NULL)
		p_(doc);
}

void
xmlCleanupParser(void)
{
	if (libs[LAZYLIB_XML].handle == NULL)
		return;
	LOAD(LAZYLIB_XML, xmlCleanupParser, void (*)(void));
	if (p_ != NULL)
		p_();
}
