/*
 * httpc: the collectors' one libcurl set-up (httpc.h).
 */
#include <errno.h>

#include "httpc.h"
#include "util.h"

int
httpc_easy_setup(CURL *e, const char *ca_file, const char *pinned_pubkey,
    long connect_ms, size_t max_body, curl_write_callback on_body,
    curl_write_callback on_header, void *arg, char *errbuf)
{
	CURLcode r = CURLE_OK;

#define SET(opt, val) do {						\
	if (r == CURLE_OK)						\
		r = curl_easy_setopt(e, opt, val);			\
} while (0)
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	/* Never through a proxy named in the environment. */
	SET(CURLOPT_PROXY, "");
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_USERAGENT, "banaudit/" BANAUDIT_VERSION);
	SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_body);
	/* Both stay set for the handle's life (see AGENTS.md on the
	   HEADERDATA pitfall). */
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, arg);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, arg);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (ca_file != NULL)
		SET(CURLOPT_CAINFO, ca_file);
	if (pinned_pubkey != NULL)
		SET(CURLOPT_PINNEDPUBLICKEY, pinned_pubkey);
#undef SET
	return r == CURLE_OK ? 0 : -1;
}

enum cov_status
httpc_curl_status(CURLcode r, CURL *e)
{
	long oserr = 0;

	switch (r) {
	case CURLE_OPERATION_TIMEDOUT:
		return COV_TIMEOUT;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &oserr);
		return oserr == ECONNREFUSED ? COV_REFUSED : COV_UNREACHABLE;
	case CURLE_COULDNT_RESOLVE_HOST:
		return COV_UNREACHABLE;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		return COV_TLS_FAILED;
	default:
		return COV_ERROR;
	}
}
