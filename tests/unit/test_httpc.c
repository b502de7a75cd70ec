/*
 * Unit tests for httpc and pull, and the parts of the server pulls that
 * need no network: the defaults of pull_opts, which failure a server's coverage
 * keeps (pull_status) and how its detail ends (pull_finish), the coverage
 * status of libcurl failures, the shared easy-handle set-up, header lines
 * and wazuh_items() over well-formed and hostile Wazuh answers; and
 * pull's own transport against a canned server of the test's on
 * loopback (answers, an answer over the cap, a server that says nothing,
 * the stop flag before and during a request).  The pulls
 * themselves are tested against fake servers (t_pull_glpi.sh,
 * t_pull_wazuh.sh).
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cred.h"
#include "glpi.h"
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

/* A scripted server: answers in order, every URL asked recorded. */
struct script {
	const char	*const *answers;	/* "CODE body" */
	size_t		 n, next;
	char		 urls[64][512];
	int		 posts[64];
	size_t		 nurls;
};

static int
script_answer(void *arg, const char *url, int post, long *code,
    const char **body, size_t *len)
{
	struct script *s = arg;
	const char *a;

	if (s->nurls < 64) {
		snprintf(s->urls[s->nurls], sizeof(s->urls[0]), "%s", url);
		s->posts[s->nurls++] = post;
	}
	if (s->next >= s->n)
		return -1;
	a = s->answers[s->next++];
	*code = strtol(a, NULL, 10);
	*body = a + 4;
	*len = strlen(a + 4);
	return 0;
}

struct counts {
	size_t	 assets, obs;
	char	 names[8][64];
	char	 statuses[8];
};

static int
count_asset(void *arg, const struct pull_asset *a)
{
	struct counts *c = arg;

	if (c->assets < 8) {
		snprintf(c->names[c->assets], sizeof(c->names[0]), "%s",
		    a->name != NULL ? a->name : "");
		c->statuses[c->assets] = (char)a->status;
	}
	c->assets++;
	return 0;
}

static int
count_obs(void *arg, const struct observation *o)
{
	struct counts *c = arg;

	assert_true(obs_attr_valid(o->kind, o->attr));
	c->obs++;
	return 0;
}

static void
run_pull(struct cred_profile *p, struct script *s, struct counts *c,
    struct pull_result *res)
{
	struct pull_opts o;
	struct pull_fake fake;
	struct pull_sink sink;
	char err[256];

	memset(&o, 0, sizeof(o));
	o.page = 2;
	o.max_items = 5;
	fake.arg = s;
	fake.answer = script_answer;
	o.fake = &fake;
	memset(c, 0, sizeof(*c));
	sink.arg = c;
	sink.asset = count_asset;
	sink.observe = count_obs;
	assert_int_equal(p->server == SERVER_WAZUH ? wazuh_pull(p, &o, &sink,
	    res, err, sizeof(err)) : glpi_pull(p, &o, &sink, res, err,
	    sizeof(err)), 0);
}

static void
wazuh_profile(struct cred_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->name = (char *)(uintptr_t)"wz";
	p->type = CRED_SERVER;
	p->server = SERVER_WAZUH;
	p->server_url = (char *)(uintptr_t)"https://wazuh.invalid:55000/";
	p->username = (char *)(uintptr_t)"ro";
	p->password = (char *)(uintptr_t)"secret";
}

/* An agent id that is not digits never reaches a URL. */
static void
test_wazuh_agent_ids(void **state)
{
	static const char *const answers[] = {
		"200 {\"data\": {\"token\": \"eyJ1\"}}",
		"200 {\"data\": {\"affected_items\": ["
		    "{\"id\": \"../../security\", \"status\": \"active\"},"
		    "{\"id\": \"1?x=\", \"status\": \"active\"},"
		    "{\"id\": \"123456789\", \"status\": \"active\"}],"
		    "\"total_affected_items\": 4}}",
	};
	struct cred_profile p;
	struct script s;
	struct counts c;
	struct pull_result res;
	size_t i;

	(void)state;
	wazuh_profile(&p);
	memset(&s, 0, sizeof(s));
	s.answers = answers;
	s.n = 2;
	run_pull(&p, &s, &c, &res);
	assert_string_equal(s.urls[0],
	    "https://wazuh.invalid:55000/security/user/authenticate");
	assert_int_equal(s.posts[0], 1);
	assert_string_equal(s.urls[1], "https://wazuh.invalid:55000/agents?"
	    "sort=%2Bid&offset=0&limit=2");
	/* The page had three rows for a page of two: two read, both bad. */
	for (i = 2; i < s.nurls; i++)
		assert_null(strstr(s.urls[i], "security"));
	assert_int_equal(c.assets, 0);
	/* The next page asked (and unanswered: unreachable). */
	assert_int_equal(s.nurls, 3);
	assert_string_equal(s.urls[2], "https://wazuh.invalid:55000/agents?"
	    "sort=%2Bid&offset=2&limit=2");
	assert_int_equal(res.status, COV_UNREACHABLE);
}

/* A token with a line break would add a header: refused. */
static void
test_wazuh_token(void **state)
{
	static const char *const answers[] = {
		"200 {\"data\": {\"token\": \"eyJ1\\r\\nX-Evil: 1\"}}",
	};
	struct cred_profile p;
	struct script s;
	struct counts c;
	struct pull_result res;

	(void)state;
	wazuh_profile(&p);
	memset(&s, 0, sizeof(s));
	s.answers = answers;
	s.n = 1;
	run_pull(&p, &s, &c, &res);
	assert_int_equal(res.status, COV_ERROR);
	assert_non_null(strstr(res.detail, "no token in the answer"));
	assert_int_equal(s.nurls, 1);
}

/*
 * A disconnected agent: a host not assessed, nothing of it asked; a
 * 401 mid-way: a new token, the request asked again.
 */
static void
test_wazuh_offline_and_renewal(void **state)
{
	static const char *const answers[] = {
		"200 {\"data\": {\"token\": \"eyJ1\"}}",
		"401 {\"title\": \"Unauthorized\"}",
		"200 {\"data\": {\"token\": \"eyJ2\"}}",
		"200 {\"data\": {\"affected_items\": ["
		    "{\"id\": \"003\", \"name\": \"OLD\", "
		    "\"status\": \"disconnected\"}], "
		    "\"total_affected_items\": 1}}",
	};
	struct cred_profile p;
	struct script s;
	struct counts c;
	struct pull_result res;

	(void)state;
	wazuh_profile(&p);
	memset(&s, 0, sizeof(s));
	s.answers = answers;
	s.n = 4;
	run_pull(&p, &s, &c, &res);
	assert_int_equal(res.status, COV_OK);
	assert_int_equal(s.nurls, 4);
	assert_string_equal(s.urls[1], s.urls[3]);
	assert_int_equal(s.posts[2], 1);
	assert_int_equal(c.assets, 1);
	assert_string_equal(c.names[0], "OLD");
	assert_int_equal(c.statuses[0], COV_UNREACHABLE);
	assert_int_equal(c.obs, 0);
	assert_int_equal(res.requests, 4);
}

/* ---- pull's own transport against a server of the test's ---- */

/*
 * A canned HTTP server on 127.0.0.1 (a port of the kernel's choosing, in
 * a child process): connection i gets answer[i] as it is ("" closes at
 * once, NULL takes the request and never answers); then it exits.
 */
static pid_t
canned_server(const char *const *answer, size_t n, unsigned *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char buf[4096];
	size_t i, got;
	ssize_t r;
	pid_t pid;
	int fd, c;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	pid = fork();
	assert_true(pid >= 0);
	if (pid > 0) {
		close(fd);
		return pid;
	}
	/* A test that fails half-way leaves no server behind for long. */
	alarm(30);
	for (i = 0; i < n; i++) {
		c = accept(fd, NULL, NULL);
		if (c < 0)
			_exit(1);
		/* The request's head. */
		for (got = 0; got < sizeof(buf) - 1; got += (size_t)r) {
			r = read(c, buf + got, sizeof(buf) - 1 - got);
			if (r <= 0)
				break;
			buf[got + (size_t)r] = '\0';
			if (strstr(buf, "\r\n\r\n") != NULL)
				break;
		}
		if (answer[i] == NULL) {
			pause();
			_exit(0);
		}
		if (write(c, answer[i], strlen(answer[i])) < 0)
			_exit(1);
		close(c);
	}
	_exit(0);
}

static volatile sig_atomic_t stop_flag;

static void
on_alarm(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/*
 * pull's transport (no fake): an answer read and its status; a POST
 * with credentials; an answer larger than max_body refused ("answer
 * larger than N bytes", an error); a server that closes without a word
 * (an error with libcurl's reason); the stop flag before a request (no
 * request sent) and during one that is never answered (interrupted, not
 * a timeout: the request timeout is far away).
 */
static void
test_real_transport(void **state)
{
	static const char *const answers[] = {
		"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n"
		    "Connection: close\r\n\r\n{\"ok\": true}",
		"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n"
		    "Connection: close\r\n\r\n{\"x\": \"",
		"",
		NULL,
	};
	struct cred_profile p;
	struct pull_opts o;
	struct pull_http c;
	struct sigaction sa, old;
	char url[64];
	unsigned port;
	pid_t pid;
	int st;

	(void)state;
	pid = canned_server(answers, NELEM(answers), &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/apirest.php/x", port);
	memset(&p, 0, sizeof(p));
	p.type = CRED_SERVER;
	memset(&o, 0, sizeof(o));
	o.rate = 1000;
	o.max_body = 1000;
	o.timeout_ms = 60000;
	stop_flag = 0;
	o.stop = &stop_flag;
	pull_opts_defaults(&o);
	assert_int_equal(pull_http_open(&c, &p, &o), 0);
	assert_int_equal(pull_http_request(&c, url, "x", NULL, 0, NULL,
	    NULL), PULL_OK);
	assert_int_equal(c.code, 200);
	assert_int_equal(c.resp.len, 11);
	assert_memory_equal(c.resp.body, "{\"ok\": true}", 11);
	assert_int_equal(pull_http_request(&c, url, "login", NULL, 1, "ro",
	    "secret"), PULL_HTTP);
	assert_int_equal(c.code, 404);
	assert_int_equal(pull_http_request(&c, url, "big", NULL, 0, NULL,
	    NULL), PULL_FAIL);
	assert_int_equal(c.fail, COV_ERROR);
	assert_string_equal(c.why, "big: answer larger than 1000 bytes");
	assert_int_equal(pull_http_request(&c, url, "shut", NULL, 0, NULL,
	    NULL), PULL_FAIL);
	assert_int_equal(c.fail, COV_ERROR);
	assert_true(strncmp(c.why, "shut: ", 6) == 0 && strlen(c.why) > 6);
	assert_int_equal(c.requests, 4);
	/* Stopped before: nothing is sent. */
	stop_flag = 1;
	assert_int_equal(pull_http_request(&c, url, "before", NULL, 0, NULL,
	    NULL), PULL_FAIL);
	assert_int_equal(c.fail, COV_PARTIAL);
	assert_string_equal(c.why, "before: interrupted");
	assert_int_equal(c.requests, 4);
	/* Stopped while the server keeps the request unanswered. */
	stop_flag = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	alarm(1);
	assert_int_equal(pull_http_request(&c, url, "hang", NULL, 0, NULL,
	    NULL), PULL_FAIL);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	assert_int_equal(c.fail, COV_PARTIAL);
	assert_string_equal(c.why, "hang: interrupted");
	pull_http_close(&c);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &st, 0), pid);
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
		cmocka_unit_test(test_wazuh_agent_ids),
		cmocka_unit_test(test_wazuh_token),
		cmocka_unit_test(test_wazuh_offline_and_renewal),
		cmocka_unit_test(test_real_transport),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
