/*
 * httpc: the one libcurl set-up of the collectors that speak HTTP(S): the
 * agent collector (agent.c) and the inventory-server pulls (pull.c, for
 * glpi.c and wazuh.c).
 *
 * httpc_easy_setup() sets an easy handle up the one way banaudit talks to
 * agents and servers: http and https only, never a proxy named in the
 * environment, no redirects, HTTP/1.1, a connect timeout, at most
 * max_body bytes announced (the callbacks bound what is received), and
 * TLS 1.2 or later always verified -- peer and host name -- against
 * ca_file (else the system's CAs) and, when pinned_pubkey is set, that
 * key as well (CURLOPT_PINNEDPUBLICKEY: a certificate whose key is none
 * of the pinned ones is refused even when a CA vouches for it).
 * httpc_curl_status() maps a libcurl failure to a coverage status.
 */
#ifndef BANAUDIT_HTTPC_H
#define BANAUDIT_HTTPC_H

#include <stddef.h>

#include <curl/curl.h>

#include "obs.h"

/*
 * Sets the options above on e.  ca_file and pinned_pubkey may be NULL.
 * on_body and on_header receive the answer with arg (they stay set for
 * the handle's life); errbuf has CURL_ERROR_SIZE bytes and must outlive
 * the handle.  Returns 0, or -1 when libcurl refuses an option.
 */
int	 httpc_easy_setup(CURL *e, const char *ca_file,
	    const char *pinned_pubkey, long connect_ms, size_t max_body,
	    curl_write_callback on_body, curl_write_callback on_header,
	    void *arg, char *errbuf);

/* The coverage status of a libcurl failure on e. */
enum cov_status httpc_curl_status(CURLcode, CURL *e);

#endif /* BANAUDIT_HTTPC_H */
