/*
 * Unit tests for httpc and pull, and the parts of the server pulls that
 * need no network: the defaults of pull_opts, which failure a server's coverage
 * keeps (pull_status) and how its detail ends (pull_finish), the coverage
 * status of libcurl failures, the shared easy-handle set-up, header lines
 * and wazuh_items() over well-formed and hostile Wazuh answers.  The pulls
 * themselves are tested against fake servers (t_pull_glpi.sh,
 * t_pull_wazuh.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>

#include "httpc.h"
#include "pull.h"
#include "wazuh.h"

static void
test_defaults(void **state)
{
	struct pull_opts o;

	(void)state;
	memset(&o, 0, sizeof(o));
	pull_opts_defaults(&o);
	assert_int_equal(o.rate, 5);
	assert_int_equal(o.timeout_ms, 30000);
	assert_int_equal(o.connect_ms, 10000);
	assert_int_equal(o.max_body, 32u << 20);
	assert_int_equal(o.max_items, 100000);
	assert_int_equal(o.page, 100);
	o.rate = 7;
	o.page = 3;
	pull_opts_defaults(&o);
	assert_int_equal(o.rate, 7);
	assert_int_equal(o.page, 3);
}

static void
test_status(void **state)
{
	struct pull_result r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.status = COV_OK;
	pull_status(&r, COV_PARTIAL, "first %d", 1);
	pull_status(&r, COV_PARTIAL, "second");
	assert_int_equal(r.status, COV_PARTIAL);
	assert_string_equal(r.detail, "first 1");
	/* A failure that stops the pull wins over a partial... */
	pull_status(&r, COV_TIMEOUT, "slow");
	assert_int_equal(r.status, COV_TIMEOUT);
	assert_string_equal(r.detail, "slow");
	/* ... and nothing after it replaces it. */
	pull_status(&r, COV_AUTH_FAILED, "401");
	pull_status(&r, COV_PARTIAL, "cap");
	assert_int_equal(r.status, COV_TIMEOUT);
	assert_string_equal(r.detail, "slow");

	/* Assets read before the failure: the server is partly read. */
	r.assets = 3;
	r.requests = 9;
	pull_finish(&r, "3 agents");
	assert_int_equal(r.status, COV_PARTIAL);
	assert_string_equal(r.detail, "slow; read 3 agents in 9 requests");

	memset(&r, 0, sizeof(r));
	r.status = COV_OK;
	r.requests = 2;
	pull_finish(&r, "0 agents");
	assert_int_equal(r.status, COV_OK);
	assert_string_equal(r.detail, "read 0 agents in 2 requests");

	/* Nothing read: the failure stays what it was. */
	memset(&r, 0, sizeof(r));
	r.status = COV_OK;
	pull_status(&r, COV_AUTH_FAILED, "login: HTTP 401");
	pull_finish(&r, "0 agents");
	assert_int_equal(r.status, COV_AUTH_FAILED);
	assert_string_equal(r.detail, "login: HTTP 401; read 0 agents in 0 "
	    "requests");
}

static void
test_curl_status(void **state)
{
	CURL *e = curl_easy_init();

	(void)state;
	assert_non_null(e);
	assert_int_equal(httpc_curl_status(CURLE_OPERATION_TIMEDOUT, e),
	    COV_TIMEOUT);
	assert_int_equal(httpc_curl_status(CURLE_SSL_PINNEDPUBKEYNOTMATCH, e),
	    COV_TLS_FAILED);
	assert_int_equal(httpc_curl_status(CURLE_PEER_FAILED_VERIFICATION, e),
	    COV_TLS_FAILED);
	assert_int_equal(httpc_curl_status(CURLE_COULDNT_RESOLVE_HOST, e),
	    COV_UNREACHABLE);
	/* No errno recorded: not a refusal. */
	assert_int_equal(httpc_curl_status(CURLE_COULDNT_CONNECT, e),
	    COV_UNREACHABLE);
	assert_int_equal(httpc_curl_status(CURLE_RECV_ERROR, e), COV_ERROR);
	curl_easy_cleanup(e);
}

static void
test_setup(void **state)
{
	struct agent_resp resp;
	char errbuf[CURL_ERROR_SIZE];
	CURL *e = curl_easy_init();

	(void)state;
	memset(&resp, 0, sizeof(resp));
	assert_non_null(e);
	assert_int_equal(httpc_easy_setup(e, NULL, NULL, 1000, 1024,
	    agent_resp_write, agent_resp_header, &resp, errbuf), 0);
	assert_int_equal(httpc_easy_setup(e, "/nonexistent/ca.pem",
	    "sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=", 1000,
	    1024, agent_resp_write, agent_resp_header, &resp, errbuf), 0);
	curl_easy_cleanup(e);
}

static void
test_header(void **state)
{
	struct curl_slist *h = NULL;
	char big[2000];
	int failed = 0;

	(void)state;
	h = pull_header(h, "Accept", "application/json", &failed);
	h = pull_header(h, "App-Token", NULL, &failed);
	assert_int_equal(failed, 0);
	assert_non_null(h);
	assert_string_equal(h->data, "Accept: application/json");
	assert_null(h->next);
	/* Longer than a header line may be: refused, not cut. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	h = pull_header(h, "Authorization", big, &failed);
	assert_int_equal(failed, 1);
	assert_null(h->next);
	curl_slist_free_all(h);
}

static json_t *
load(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, 0, &e);

	assert_non_null(j);
	return j;
}

static void
test_wazuh_items(void **state)
{
	static const char *const bad[] = {
		"[]", "{}", "{\"data\": []}", "{\"data\": {}}",
		"{\"data\": {\"affected_items\": {}}}",
		"{\"data\": {\"affected_items\": \"x\"}}",
		"{\"title\": \"Unauthorized\", \"error\": 401}",
	};
	json_t *j, *items;
	size_t total, i;

	(void)state;
	j = load("{\"data\": {\"affected_items\": [{\"id\": \"001\"}, 2], "
	    "\"total_affected_items\": 40, \"total_failed_items\": 0, "
	    "\"failed_items\": []}, \"error\": 0}");
	items = wazuh_items(j, &total);
	assert_non_null(items);
	assert_int_equal(json_array_size(items), 2);
	assert_int_equal(total, 40);
	json_decref(j);

	/* No total, or a nonsense one: unknown. */
	j = load("{\"data\": {\"affected_items\": [], "
	    "\"total_affected_items\": -5}}");
	assert_non_null(wazuh_items(j, &total));
	assert_int_equal(total, (size_t)-1);
	json_decref(j);
	j = load("{\"data\": {\"affected_items\": [], "
	    "\"total_affected_items\": \"7\"}}");
	assert_non_null(wazuh_items(j, &total));
	assert_int_equal(total, (size_t)-1);
	json_decref(j);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = load(bad[i]);
		assert_null(wazuh_items(j, &total));
		json_decref(j);
	}
	assert_null(wazuh_items(NULL, &total));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_curl_status),
		cmocka_unit_test(test_setup),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_wazuh_items),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
