/*
 * lazylib: libcurl and libxml2 loaded when first called, not at start-up.
 *
 * Most runs of banaudit (an SNMP scan, a report) never fetch a URL or
 * parse XML, yet linking libcurl and libxml2 made the dynamic loader map
 * and relocate 45 shared libraries (TLS, Kerberos, LDAP, ICU...) before
 * main(): 18 ms of CPU of a 4,096-host identity scan's 0.35 s, most of a
 * one-host scan (issue 13, docs/PERFORMANCE.md).  The program is linked
 * without them; lazylib.c defines the few libcurl and libxml2 functions
 * the sources call, with the libraries' own prototypes (their headers),
 * and each one dlopen()s its library on first use and calls the real
 * function.  Call sites stay plain libcurl and libxml2 code.
 *
 * If a library cannot be loaded, one warning names it (log_warn) and its
 * functions fail as the library's own do on error: NULL from the
 * constructors, CURLE_FAILED_INIT / CURLM_INTERNAL_ERROR / CURLUE_BAD_HANDLE
 * or -1 from the rest; the free and cleanup functions do nothing (nothing
 * of the library can exist then).  curl_global_cleanup() and
 * xmlCleanupParser() never load their library just to clean it up.
 *
 * Binaries that call more of either library themselves (the unit tests)
 * still link it; the wrappers then forward to the already loaded copy.
 */
#ifndef BANAUDIT_LAZYLIB_H
#define BANAUDIT_LAZYLIB_H

enum lazylib_id {
	LAZYLIB_CURL,		/* libcurl.so.4 */
	LAZYLIB_XML,		/* libxml2.so.2 */
	LAZYLIB__COUNT
};

/* Whether library id has been loaded by this process (1) or not (0). */
int	 lazylib_loaded(enum lazylib_id id);

/*
 * For the tests: library id is to be loaded from soname (borrowed: a
 * string constant) at its next use; a failure to load it before is
 * forgotten.  Returns -1, changing nothing, once it is loaded.
 */
int	 lazylib_use(enum lazylib_id id, const char *soname);

#endif
