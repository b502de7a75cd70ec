/*
 * Unit tests for the server pulls (glpi.c, wazuh.c) against scripted
 * servers, through pull.h's fake transport: every answer a server can
 * give where the pull branches -- refused logins, HTTP errors, rate
 * limits, answers that are not JSON or not the server's JSON, tokens
 * that are missing or unsafe, a token renewal that fails, answers larger
 * than the cap, pages that end, run on or hold more than asked, the item
 * cap -- with the server's coverage status and detail a user sees, and
 * what each asset and observation becomes (agents not assessed, stale
 * inventories, identities from interfaces, ports, antivirus, software).
 * The same pulls against fake HTTP servers: t_pull_glpi.sh,
 * t_pull_wazuh.sh; a few cases of the fake transport: test_httpc.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "cred.h"
#include "glpi.h"
#include "obs.h"
#include "pull.h"
#include "wazuh.h"

#define MAXANS	24
#define MAXURL	40
#define MAXAST	8

/*
 * A scripted server: the answers in order, each "CODE BODY" ("FAIL": no
 * answer); once they run out, no answer.  The URLs asked are kept.
 */
struct script {
	const char	*const *answers;
	size_t		 n, next;
	char		 urls[MAXURL][300];
	size_t		 nurls;
};

static int
script_answer(void *arg, const char *url, int post, long *code,
    const char **body, size_t *len)
{
	struct script *s = arg;
	const char *a;

	(void)post;
	if (s->nurls < MAXURL)
		snprintf(s->urls[s->nurls++], sizeof(s->urls[0]), "%s", url);
	if (s->next >= s->n)
		return -1;
	a = s->answers[s->next++];
	if (strcmp(a, "FAIL") == 0)
		return -1;
	*code = strtol(a, NULL, 10);
	*body = a + 4;
	*len = strlen(a + 4);
	return 0;
}

/* What the pull handed its sinks. */
struct seen {
	size_t	 assets, obs;
	char	 names[MAXAST][64];
	char	 addrs[MAXAST][64];
	char	 macs[MAXAST][24];
	int	 status[MAXAST];
	char	 cov[MAXAST][400];
	char	 obsl[4096];	/* "kind item attr=value\n" ... */
	int	 fail_asset;	/* the asset sink fails */
	long	 fail_obs;	/* the observation sink fails at this */
};

static int
on_asset(void *arg, const struct pull_asset *a)
{
	struct seen *c = arg;

	assert_non_null(a->coverage);
	if (c->fail_asset)
		return -1;
	if (c->assets < MAXAST) {
		snprintf(c->names[c->assets], sizeof(c->names[0]), "%s",
		    a->name != NULL ? a->name : "");
		snprintf(c->addrs[c->assets], sizeof(c->addrs[0]), "%s",
		    a->address != NULL ? a->address : "");
		snprintf(c->macs[c->assets], sizeof(c->macs[0]), "%s",
		    a->mac != NULL ? a->mac : "");
		snprintf(c->cov[c->assets], sizeof(c->cov[0]), "%s",
		    a->coverage);
		c->status[c->assets] = (int)a->status;
	}
	c->assets++;
	return 0;
}

static int
on_obs(void *arg, const struct observation *o)
{
	struct seen *c = arg;
	size_t at = strlen(c->obsl);

	assert_true(obs_attr_valid(o->kind, o->attr));
	c->obs++;
	if (c->fail_obs > 0 && (long)c->obs >= c->fail_obs)
		return -1;
	if (o->vtype == VAL_HEX)
		snprintf(c->obsl + at, sizeof(c->obsl) - at, "%s %s %s=(%zu "
		    "octets)\n", obs_kind_name(o->kind), o->item, o->attr,
		    o->len);
	else
		snprintf(c->obsl + at, sizeof(c->obsl) - at, "%s %s %s=%.*s\n",
		    obs_kind_name(o->kind), o->item, o->attr, (int)o->len,
		    (const char *)o->value);
	return 0;
}

static void
profile(struct cred_profile *p, int wazuh)
{
	memset(p, 0, sizeof(*p));
	p->type = CRED_SERVER;
	if (wazuh) {
		p->name = (char *)(uintptr_t)"wz";
		p->server = SERVER_WAZUH;
		p->server_url = (char *)(uintptr_t)"https://wazuh.test:55000/";
		p->username = (char *)(uintptr_t)"ro";
		p->password = (char *)(uintptr_t)"secret";
	} else {
		p->name = (char *)(uintptr_t)"glpi";
		p->server = SERVER_GLPI;
		p->server_url = (char *)(uintptr_t)
		    "https://glpi.test/apirest.php";
		p->user_token = (char *)(uintptr_t)"utok";
		p->app_token = (char *)(uintptr_t)"atok";
	}
}

/* Options of a pull: 0 takes the test's default. */
struct popts {
	unsigned	 page;
	size_t		 max_items;
	size_t		 max_body;
};

/* The profile's server_url when not NULL (the test's own default). */
static const char *server_url;

/* Runs a pull against the script; returns its return code. */
static int
pull(int wazuh, const char *const *answers, size_t n, const struct popts *po,
    struct script *s, struct seen *c, struct pull_result *res, char *err,
    size_t errlen)
{
	struct cred_profile p;
	struct pull_opts o;
	struct pull_fake fake;
	struct pull_sink sink;

	profile(&p, wazuh);
	if (server_url != NULL)
		p.server_url = (char *)(uintptr_t)server_url;
	memset(s, 0, sizeof(*s));
	s->answers = answers;
	s->n = n;
	memset(&o, 0, sizeof(o));
	o.page = po != NULL && po->page > 0 ? po->page : 10;
	o.max_items = po != NULL && po->max_items > 0 ? po->max_items : 40;
	o.max_body = po != NULL && po->max_body > 0 ? po->max_body : 1 << 20;
	o.stale_days = 30;
	o.now = 1796083200;	/* 2026-12-01 00:00:00 UTC */
	fake.arg = s;
	fake.answer = script_answer;
	o.fake = &fake;
	sink.arg = c;
	sink.asset = on_asset;
	sink.observe = on_obs;
	err[0] = '\0';
	return wazuh ? wazuh_pull(&p, &o, &sink, res, err, errlen) :
	    glpi_pull(&p, &o, &sink, res, err, errlen);
}

/*
 * pull() into c, made afresh: the pull itself must not fail (whatever it
 * found of the assets); the test fails with its message otherwise.
 */
static void
pull_ok(int wazuh, const char *const *answers, size_t n,
    const struct popts *po, struct script *s, struct seen *c,
    struct pull_result *res)
{
	char err[256];

	memset(c, 0, sizeof(*c));
	if (pull(wazuh, answers, n, po, s, c, res, err, sizeof(err)) != 0)
		fail_msg("pull: %s", err);
}

/* --- Wazuh ----------------------------------------------------------- */

#define W_TOKEN	"200 {\"data\": {\"token\": \"eyJ1\"}}"
#define W_ITEMS(x) "200 {\"data\": {\"affected_items\": [" x "]}}"
#define W_EMPTY	W_ITEMS("")
#define W_AGENT1 W_ITEMS("{\"id\": \"001\", \"name\": \"WS1\", \"ip\": " \
	"\"10.0.0.1\", \"status\": \"active\", \"version\": \"Wazuh v4.7\"}")
#define W_OS(t)	W_ITEMS("{\"os\": {\"name\": \"Ubuntu\", \"version\": " \
	"\"22.04\"}, \"hostname\": \"ws1\", \"scan\": {\"time\": \"" t "\"}}")
#define W_HW	W_ITEMS("{\"board_serial\": \"SER1\"}")
#define W_AGENTS_URL "agents?sort=%2Bid&offset=0&limit=10"
#define X16	"xxxxxxxxxxxxxxxx"
#define X64	X16 X16 X16 X16
#define X256	X64 X64 X64 X64

/* One case: the answers, the server's status and its detail's start. */
struct pcase {
	const char	*name;
	int		 wazuh;
	const char	*answers[MAXANS];
	struct popts	 o;
	enum cov_status	 status;
	const char	*detail;	/* a prefix of the detail */
	size_t		 requests;
	size_t		 assets;
};

static const struct pcase cases[] = {
	{ "wazuh: password refused", 1, { "401 {}" }, { 0, 0, 0 },
	    COV_AUTH_FAILED, "security/user/authenticate: HTTP 401 (user or "
	    "password refused, or the token expired)", 1, 0 },
	{ "wazuh: no answer", 1, { "FAIL" }, { 0, 0, 0 }, COV_UNREACHABLE,
	    "security/user/authenticate: no answer", 1, 0 },
	{ "wazuh: login 500", 1, { "500 {}" }, { 0, 0, 0 }, COV_ERROR,
	    "security/user/authenticate: HTTP 500", 1, 0 },
	{ "wazuh: login not JSON", 1, { "200 <html>" }, { 0, 0, 0 },
	    COV_ERROR, "security/user/authenticate: not JSON (line 1: ", 1,
	    0 },
	{ "wazuh: no token", 1, { "200 {\"data\": {}}" }, { 0, 0, 0 },
	    COV_ERROR, "security/user/authenticate: no token in the answer",
	    1, 0 },
	{ "wazuh: empty token", 1, { "200 {\"data\": {\"token\": \"\"}}" },
	    { 0, 0, 0 }, COV_ERROR, "security/user/authenticate: no token "
	    "in the answer", 1, 0 },
	{ "wazuh: login answer too big", 1, { W_TOKEN }, { 0, 0, 16 },
	    COV_ERROR, "security/user/authenticate: answer larger than 16 "
	    "bytes", 1, 0 },
	{ "wazuh: agents rate-limited", 1, { W_TOKEN, "429 {}" },
	    { 0, 0, 0 }, COV_RATE_LIMITED, W_AGENTS_URL ": HTTP 429 (the "
	    "server's rate limit)", 2, 0 },
	{ "wazuh: agents forbidden", 1, { W_TOKEN, "403 {}" }, { 0, 0, 0 },
	    COV_AUTH_FAILED, W_AGENTS_URL ": HTTP 403 (user or password "
	    "refused", 2, 0 },
	{ "wazuh: agents 500", 1, { W_TOKEN, "500 {}" }, { 0, 0, 0 },
	    COV_ERROR, W_AGENTS_URL ": HTTP 500", 2, 0 },
	{ "wazuh: agents not JSON", 1, { W_TOKEN, "200 [1," }, { 0, 0, 0 },
	    COV_ERROR, W_AGENTS_URL ": not JSON (line 1: ", 2, 0 },
	{ "wazuh: agents not Wazuh's", 1, { W_TOKEN, "200 {\"data\": {}}" },
	    { 0, 0, 0 }, COV_ERROR, W_AGENTS_URL ": not a Wazuh answer (no "
	    "data.affected_items)", 2, 0 },
	{ "wazuh: token renewal refused", 1, { W_TOKEN, "401 {}",
	    "500 {}" }, { 0, 0, 0 }, COV_ERROR, "security/user/"
	    "authenticate: HTTP 500", 3, 0 },
	{ "wazuh: new token refused too", 1, { W_TOKEN, "401 {}", W_TOKEN,
	    "401 {}" }, { 0, 0, 0 }, COV_AUTH_FAILED, W_AGENTS_URL ": HTTP "
	    "401", 4, 0 },
	{ "wazuh: os refused (partly read)", 1, { W_TOKEN, W_AGENT1,
	    "500 {}", W_HW, W_EMPTY, W_EMPTY, W_EMPTY, W_EMPTY }, { 0, 0, 0 },
	    COV_PARTIAL, "syscollector/001/os: HTTP 500; read 1 agents (1 "
	    "assessed, 0 not connected, 0 never inventoried, 1 stale), 0 "
	    "packages, 0 processes in 8 requests", 8, 1 },
	{ "wazuh: os forbidden", 1, { W_TOKEN, W_AGENT1, "403 {}" },
	    { 0, 0, 0 }, COV_AUTH_FAILED, "syscollector/001/os: HTTP 403", 3,
	    0 },
	{ "wazuh: os not Wazuh's", 1, { W_TOKEN, W_AGENT1, "200 {}" },
	    { 0, 0, 0 }, COV_ERROR, "syscollector/001/os: not a Wazuh "
	    "answer", 3, 0 },
	{ "wazuh: hardware no answer", 1, { W_TOKEN, W_AGENT1,
	    W_OS("2026-11-30T10:00:00Z"), "FAIL" }, { 0, 0, 0 },
	    COV_UNREACHABLE, "syscollector/001/hardware: no answer; read 1 "
	    "agents (0 assessed", 4, 0 },
	{ "wazuh: netiface refused", 1, { W_TOKEN, W_AGENT1,
	    W_OS("2026-11-30T10:00:00Z"), W_HW, "404 {}", W_EMPTY, W_EMPTY,
	    W_EMPTY }, { 0, 0, 0 }, COV_PARTIAL, "syscollector/001/netiface?"
	    "sort=%2Bname&offset=0&limit=10: HTTP 404; read 1 agents (1 "
	    "assessed, 0 not connected, 0 never inventoried, 0 stale)", 8,
	    1 },
	{ "wazuh: packages rate-limited", 1, { W_TOKEN, W_AGENT1,
	    W_OS("2026-11-30T10:00:00Z"), W_HW, W_EMPTY, W_EMPTY, "429 {}" },
	    { 0, 0, 0 }, COV_PARTIAL, "syscollector/001/packages?sort="
	    "%2Bname&offset=0&limit=10: HTTP 429 (the server's rate limit); "
	    "read 1 agents", 7, 1 },
	{ "wazuh: never inventoried", 1, { W_TOKEN, W_AGENT1, W_EMPTY,
	    W_EMPTY }, { 0, 0, 0 }, COV_OK, "read 1 agents (0 assessed, 0 "
	    "not connected, 1 never inventoried, 0 stale), 0 packages, 0 "
	    "processes in 4 requests", 4, 1 },
	{ "wazuh: agent cap", 1, { W_TOKEN, W_ITEMS("{\"id\": \"001\", "
	    "\"status\": \"disconnected\"}, {\"id\": \"002\", \"status\": "
	    "\"disconnected\"}") }, { 2, 1, 0 }, COV_PARTIAL, "agents: "
	    "stopped at 1 items (the cap); read 1 agents (0 assessed, 1 not "
	    "connected", 2, 1 },
	{ "glpi: tokens refused", 0, { "401 {}" }, { 0, 0, 0 },
	    COV_AUTH_FAILED, "initSession: HTTP 401 (tokens refused, or the "
	    "session expired)", 1, 0 },
	{ "glpi: no answer", 0, { "FAIL" }, { 0, 0, 0 }, COV_UNREACHABLE,
	    "initSession: no answer", 1, 0 },
	{ "glpi: login not JSON", 0, { "200 <html>" }, { 0, 0, 0 },
	    COV_ERROR, "initSession: not JSON (line 1: ", 1, 0 },
	{ "glpi: no session token", 0, { "200 {\"x\": 1}" }, { 0, 0, 0 },
	    COV_ERROR, "initSession: no session_token in the answer", 1, 0 },
	{ "glpi: list rate-limited", 0, { "200 {\"session_token\": \"s\"}",
	    "429 {}" }, { 0, 0, 0 }, COV_RATE_LIMITED, "Computer/?expand_"
	    "dropdowns=true&get_hateoas=false&range=0-9: HTTP 429 (the "
	    "server's rate limit); read 0 Computer in 3 requests", 3, 0 },
	{ "glpi: list 500", 0, { "200 {\"session_token\": \"s\"}",
	    "500 {}" }, { 0, 0, 0 }, COV_ERROR, "Computer/?expand_dropdowns="
	    "true&get_hateoas=false&range=0-9: HTTP 500", 3, 0 },
	{ "glpi: list not JSON", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{" }, { 0, 0, 0 }, COV_ERROR, "Computer/?expand_dropdowns="
	    "true&get_hateoas=false&range=0-9: not JSON", 3, 0 },
	{ "glpi: list not a list", 0, { "200 {\"session_token\": \"s\"}",
	    "200 {\"id\": 1}" }, { 0, 0, 0 }, COV_ERROR, "Computer/?expand_"
	    "dropdowns=true&get_hateoas=false&range=0-9: not a list of items",
	    3, 0 },
	{ "glpi: list too big", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [                                                    ]" },
	    { 0, 0, 40 }, COV_ERROR, "Computer/?expand_dropdowns=true&get_"
	    "hateoas=false&range=0-9: answer larger than 40 bytes", 3, 0 },
	{ "glpi: details refused", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{\"id\": 5, \"name\": \"PC5\"}]", "404 {}", "200 []",
	    "200 []", "200 []", "200 []", "200 {}" }, { 0, 0, 0 },
	    COV_PARTIAL, "Computer/5?expand_dropdowns=true&get_hateoas=false&"
	    "with_networkports=true&with_softwares=true: HTTP 404; read 1 "
	    "Computer, 0 NetworkEquipment, 0 Printer, 0 Phone in 8 requests",
	    8, 1 },
	{ "glpi: details forbidden", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{\"id\": 5, \"name\": \"PC5\"}]", "403 {}" }, { 0, 0, 0 },
	    COV_PARTIAL, "Computer/5?expand_dropdowns=true&get_hateoas=false&"
	    "with_networkports=true&with_softwares=true: HTTP 403 (tokens "
	    "refused, or the session expired); read 1 Computer in 4 requests",
	    4, 1 },
	{ "glpi: antivirus refused", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{\"id\": 5, \"name\": \"PC5\"}]", "200 {}", "500 {}",
	    "200 []", "200 []", "200 []", "200 {}" }, { 0, 0, 0 },
	    COV_PARTIAL, "Computer/5/ComputerAntivirus?expand_dropdowns=true&"
	    "get_hateoas=false: HTTP 500; read 1 Computer", 8, 1 },
	{ "glpi: antivirus rate-limited", 0, { "200 {\"session_token\": "
	    "\"s\"}", "200 [{\"id\": 5, \"name\": \"PC5\"}]", "200 {}",
	    "429 {}" }, { 0, 0, 0 }, COV_PARTIAL, "Computer/5/Computer"
	    "Antivirus?expand_dropdowns=true&get_hateoas=false: HTTP 429 (the "
	    "server's rate limit); read 1 Computer in 5 requests", 5, 1 },
	{ "glpi: antivirus not JSON", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{\"id\": 5, \"name\": \"PC5\"}]", "200 {}", "200 {{" },
	    { 0, 0, 0 }, COV_PARTIAL, "Computer/5/ComputerAntivirus?expand_"
	    "dropdowns=true&get_hateoas=false: not JSON", 5, 1 },
	{ "glpi: item cap", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{\"id\": 5}, {\"id\": 6}]", "200 {}", "200 []", "200 []",
	    "200 []", "200 []", "200 {}" }, { 2, 1, 0 }, COV_PARTIAL,
	    "Computer: stopped at 1 items (the cap); read 1 Computer, 0 "
	    "NetworkEquipment, 0 Printer, 0 Phone in 8 requests", 8, 1 },
	{ "glpi: session token too long", 0, { "200 {\"session_token\": \""
	    X256 "x\"}" }, { 0, 0, 0 }, COV_ERROR, "initSession: no "
	    "session_token in the answer", 1, 0 },
	{ "glpi: empty session token", 0, { "200 {\"session_token\": \"\"}" },
	    { 0, 0, 0 }, COV_ERROR, "initSession: no session_token in "
	    "the answer", 1, 0 },
	{ "glpi: login forbidden", 0, { "403 {}" }, { 0, 0, 0 },
	    COV_AUTH_FAILED, "initSession: HTTP 403 (tokens refused", 1, 0 },
	{ "glpi: details rate-limited", 0, { "200 {\"session_token\": "
	    "\"s\"}", "200 [{\"id\": 5, \"name\": \"PC5\"}]", "429 {}" },
	    { 0, 0, 0 }, COV_PARTIAL, "Computer/5?expand_dropdowns="
	    "true&get_hateoas=false&with_networkports=true&with_softwares="
	    "true: HTTP 429 (the server's rate limit); read 1 Computer in 4 "
	    "requests", 4, 1 },
	{ "glpi: details no answer", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{\"id\": 5, \"name\": \"PC5\"}]", "FAIL" },
	    { 0, 0, 0 }, COV_PARTIAL, "Computer/5?expand_dropdowns="
	    "true&get_hateoas=false&with_networkports=true&with_softwares="
	    "true: no answer; read 1 Computer in 4 requests", 4, 1 },
	/* (killSession is still asked.) */
	{ "glpi: antivirus no answer", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{\"id\": 5, \"name\": \"PC5\"}]", "200 {}", "FAIL" },
	    { 0, 0, 0 }, COV_PARTIAL, "Computer/5/ComputerAntivirus?"
	    "expand_dropdowns=true&get_hateoas=false: no answer; read 1 "
	    "Computer in 5 requests", 5, 1 },
	{ "glpi: antivirus forbidden", 0, { "200 {\"session_token\": \"s\"}",
	    "200 [{\"id\": 5, \"name\": \"PC5\"}]", "200 {}", "400 {}",
	    "403 {}" }, { 0, 0, 0 }, COV_PARTIAL, "Computer/5/Item"
	    "Antivirus?expand_dropdowns=true&get_hateoas=false: HTTP 403 "
	    "(tokens refused, or the session expired); read 1 Computer in 6 "
	    "requests", 6, 1 },
	{ "glpi: a page holding more than asked", 0, { "200 {\"session_"
	    "token\": \"s\"}", "200 [{\"id\": 5}, {\"id\": 6}]", "200 {}",
	    "200 []", "200 []", "200 []", "200 []", "200 []", "200 {}" },
	    { 1, 0, 0 }, COV_OK, "read 1 Computer, 0 NetworkEquipment, "
	    "0 Printer, 0 Phone in 9 requests", 9, 1 },
	{ "glpi: details session expired", 0, { "200 {\"session_token\": "
	    "\"s\"}", "200 [{\"id\": 5, \"name\": \"PC5\"}]", "401 {}" },
	    { 0, 0, 0 }, COV_PARTIAL, "Computer/5?expand_dropdowns=true&get_"
	    "hateoas=false&with_networkports=true&with_softwares=true: HTTP "
	    "401 (tokens refused, or the session expired); read 1 Computer in "
	    "4 requests", 4, 1 },
	{ "glpi: antivirus session expired", 0, { "200 {\"session_token\": "
	    "\"s\"}", "200 [{\"id\": 5, \"name\": \"PC5\"}]", "200 {}",
	    "401 {}" }, { 0, 0, 0 }, COV_PARTIAL, "Computer/5/Computer"
	    "Antivirus?expand_dropdowns=true&get_hateoas=false: HTTP 401 "
	    "(tokens refused, or the session expired); read 1 Computer in 5 "
	    "requests", 5, 1 },
	{ "wazuh: token with a line break", 1, { "200 {\"data\": {\"token\": "
	    "\"eyJ1\\r\\nX-Injected: 1\"}}" }, { 0, 0, 0 }, COV_ERROR,
	    "security/user/authenticate: no token in the answer", 1, 0 },
	{ "wazuh: token not a string", 1, { "200 {\"data\": {\"token\": "
	    "42}}" }, { 0, 0, 0 }, COV_ERROR, "security/user/"
	    "authenticate: no token in the answer", 1, 0 },
	{ "wazuh: os rate-limited", 1, { W_TOKEN, W_AGENT1, "429 {}" },
	    { 0, 0, 0 }, COV_RATE_LIMITED, "syscollector/001/os: HTTP "
	    "429 (the server's rate limit); read 1 agents (0 assessed", 3, 0 },
	{ "wazuh: netaddr refused the token", 1, { W_TOKEN, W_AGENT1,
	    W_OS("2026-11-30T10:00:00Z"), W_HW, W_EMPTY, "401 {}", W_TOKEN,
	    "401 {}" }, { 0, 0, 0 }, COV_AUTH_FAILED, "syscollector/001/"
	    "netaddr?sort=%2Biface&offset=0&limit=10: HTTP 401", 8, 0 },
	{ "wazuh: os row not an object", 1, { W_TOKEN, W_AGENT1,
	    W_ITEMS("\"Ubuntu\""), W_EMPTY }, { 0, 0, 0 }, COV_OK,
	    "read 1 agents (0 assessed, 0 not connected, 1 never "
	    "inventoried, 0 stale)", 4, 1 },
	{ "wazuh: the total ends the listing", 1, { W_TOKEN,
	    "200 {\"data\": {\"affected_items\": [{\"id\": \"001\", "
	    "\"status\": \"disconnected\"}], \"total_affected_items\": 1}}" },
	    { 1, 0, 0 }, COV_OK, "read 1 agents (0 assessed, 1 not "
	    "connected, 0 never inventoried, 0 stale), 0 packages, 0 "
	    "processes in 2 requests", 2, 1 },
};

static void
test_cases(void **state)
{
	const struct pcase *k;
	struct script s;
	struct seen c;
	struct pull_result res;
	size_t i, n;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		k = &cases[i];
		for (n = 0; n < MAXANS && k->answers[n] != NULL; n++)
			;
		pull_ok(k->wazuh, k->answers, n, &k->o, &s, &c, &res);
		if (res.status != k->status || strncmp(res.detail, k->detail,
		    strlen(k->detail)) != 0 || res.requests != k->requests ||
		    c.assets != k->assets)
			fail_msg("%s: got %s \"%s\" in %zu requests, %zu "
			    "assets; want %s \"%s...\" in %zu, %zu", k->name,
			    cov_status_name(res.status), res.detail,
			    res.requests, c.assets,
			    cov_status_name(k->status), k->detail,
			    k->requests, k->assets);
		assert_int_equal(res.requests, s.nurls);
	}
}

/*
 * Agents that are not active are hosts not assessed, each saying why,
 * and nothing of them is asked; rows that are not agents (an id that is
 * not 1 to 8 digits) are no hosts at all.
 */
static void
test_wazuh_not_assessed(void **state)
{
	static const char *const answers[] = {
		W_TOKEN,
		W_ITEMS("{\"id\": \"001\", \"name\": \"A\", \"status\": "
		    "\"never_connected\"}, {\"id\": \"002\", \"ip\": "
		    "\"10.1.1.2\", \"status\": \"pending\", \"lastKeepAlive\": "
		    "\"2026-11-01T00:00:00Z\"}, {\"id\": 3, \"status\": "
		    "\"removed\"}, {\"id\": \"abc\"}, {\"id\": \"123456789\"}, "
		    "{\"id\": \"\"}, 7, {\"id\": \"004\", \"ip\": \"any\", "
		    "\"status\": \"disconnected\"}"),
	};
	struct script s;
	struct seen c;
	struct pull_result res;

	(void)state;
	pull_ok(1, answers, NELEM(answers), NULL, &s, &c, &res);
	assert_int_equal(res.status, COV_OK);
	assert_string_equal(res.detail, "read 4 agents (0 assessed, 4 not "
	    "connected, 0 never inventoried, 0 stale), 0 packages, 0 "
	    "processes in 2 requests");
	assert_int_equal(c.assets, 4);
	assert_string_equal(c.names[0], "A");
	assert_int_equal(c.status[0], COV_UNREACHABLE);
	assert_string_equal(c.cov[0], "Wazuh agent 001 (https://wazuh.test:"
	    "55000/agents?agents_list=001): never connected: not assessed");
	assert_string_equal(c.names[1], "");
	assert_string_equal(c.addrs[1], "10.1.1.2");
	assert_string_equal(c.cov[1], "Wazuh agent 002 (https://wazuh.test:"
	    "55000/agents?agents_list=002): pending (not yet connected); last "
	    "keep-alive 2026-11-01T00:00:00Z: not assessed");
	/* An id written as a number is an id; no name, no address. */
	assert_string_equal(c.names[2], "wazuh-agent-3");
	assert_non_null(strstr(c.cov[2], ": not active: not assessed"));
	/* "any" is no one host's address. */
	assert_string_equal(c.addrs[3], "");
	assert_string_equal(c.names[3], "wazuh-agent-004");
	assert_int_equal(c.obs, 0);
}

static const char *const wazuh_agent_answers[] = {
	W_TOKEN,
	W_ITEMS("{\"id\": \"009\", \"ip\": \"any\", \"status\": "
	    "\"active\", \"version\": \"Wazuh v4.7\"}"),
	W_ITEMS("{\"os\": {\"name\": \"Debian\"}, \"hostname\": "
	    "\"srv9\", \"scan\": {\"time\": \"2026/10/01 09:00:00\"}}"),
	W_EMPTY,
	W_ITEMS("{\"name\": \"lo\", \"mac\": \"00:00:00:00:00:00\"}, "
	    "{\"name\": \"eth0\", \"mac\": \"zz\"}, {\"name\": \"eth1\","
	    " \"mac\": \"52:54:00:AA:BB:01\"}, {\"name\": \"eth2\", "
	    "\"mac\": \"52:54:00:aa:bb:02\"}"),
	W_ITEMS("{\"iface\": \"eth1\", \"address\": \"fe80::5\"}, "
	    "{\"iface\": \"eth1\", \"address\": \"2001:db8::1\"}, "
	    "{\"iface\": \"eth2\", \"address\": \"fe80::1\"}, "
	    "{\"iface\": \"eth2\", \"address\": \"10.9.9.9\"}"),
	W_ITEMS("{\"name\": \"p1\", \"version\": \"1\"}, {\"name\": "
	    "\"p2\"}, {\"name\": \"p3\"}, {\"name\": \"p4\"}, "
	    "{\"name\": \"p5\"}, {\"name\": \"p6\"}, {\"name\": "
	    "\"p7\"}"),
	W_ITEMS("{\"name\": \"p8\"}"),
	W_ITEMS("{\"cmd\": \"/usr/bin/kesl --password hunter2\", "
	    "\"euser\": \"root\"}, 5"),
};

/*
 * An agent read in full: its identity from its interfaces (the agent's
 * own "any" address is none; a shared interface and a bad MAC skipped;
 * IPv6 only when there is no IPv4, a link-local one passed over),
 * packages and processes paged (a page holding more than asked read up
 * to the page size), a process without a name named after its command,
 * never its arguments; an inventory dated in another format and older
 * than 30 days is stale.
 *
 * 2026-12-05: an interface whose first IPv6 address was link-local gave
 * no address, though a global one followed (the next interface's was
 * taken, with its MAC).
 */
static void
test_wazuh_agent(void **state)
{
	struct popts po = { 5, 0, 0 };
	struct script s;
	struct seen c;
	struct pull_result res;

	(void)state;
	pull_ok(1, wazuh_agent_answers, NELEM(wazuh_agent_answers), &po, &s, &c,
	    &res);
	assert_string_equal(res.detail, "read 1 agents (1 assessed, 0 not "
	    "connected, 0 never inventoried, 1 stale), 6 packages, 1 "
	    "processes in 9 requests");
	assert_int_equal(c.assets, 1);
	assert_string_equal(c.names[0], "srv9");
	/* eth1 has only IPv6 (global); eth2's IPv4 comes first. */
	assert_string_equal(c.addrs[0], "2001:db8::1");
	assert_string_equal(c.macs[0], "52:54:00:aa:bb:01");
	assert_int_equal(c.status[0], COV_PARTIAL);
	assert_string_equal(c.cov[0], "Wazuh agent 009 (https://wazuh.test:"
	    "55000/agents?agents_list=009); last inventory 2026/10/01 "
	    "09:00:00: stale (older than 30 days)");
	/* The pages: 5 asked, 7 sent (5 kept), then 1: the end. */
	assert_string_equal(s.urls[6], "https://wazuh.test:55000/syscollector/"
	    "009/packages?sort=%2Bname&offset=0&limit=5");
	assert_string_equal(s.urls[7], "https://wazuh.test:55000/syscollector/"
	    "009/packages?sort=%2Bname&offset=5&limit=5");
	assert_non_null(strstr(c.obsl, "software 1 name=p1\n"));
	assert_non_null(strstr(c.obsl, "software 5 name=p5\n"));
	assert_non_null(strstr(c.obsl, "software 6 name=p8\n"));
	assert_null(strstr(c.obsl, "name=p6"));
	assert_non_null(strstr(c.obsl, "process 1 name=kesl\n"));
	assert_non_null(strstr(c.obsl, "process 1 user=root\n"));
	assert_non_null(strstr(c.obsl, "system  os=Debian\n"));
	assert_non_null(strstr(c.obsl, "netif 3 mac=52:54:00:aa:bb:01\n"));
	assert_non_null(strstr(c.obsl, "netif 4 ip=10.9.9.9\n"));
	assert_null(strstr(c.obsl, "netif 2 mac"));
}

static const char *const wazuh_ip_answers[] = {
	W_TOKEN,
	W_ITEMS("{\"id\": \"010\", \"name\": \"WS10\", \"ip\": "
	    "\"10.0.0.10\", \"status\": \"active\"}"),
	W_OS("2026-11-30T10:00:00+00:00"),
	W_HW,
	W_ITEMS("{\"name\": \"eth0\", \"mac\": \"52:54:00:00:00:01\"},"
	    " {\"name\": \"eth1\", \"mac\": \"52:54:00:00:00:02\"}"),
	W_ITEMS("{\"iface\": \"eth0\", \"address\": \"10.0.0.99\"}, "
	    "{\"iface\": \"eth1\", \"address\": \"10.0.0.10\"}"),
	W_EMPTY,
	W_EMPTY,
};

/* The registered address is kept, and the MAC of its interface. */
static void
test_wazuh_registered_ip(void **state)
{
	struct script s;
	struct seen c;
	struct pull_result res;

	(void)state;
	pull_ok(1, wazuh_ip_answers, NELEM(wazuh_ip_answers), NULL, &s, &c,
	    &res);
	assert_int_equal(res.status, COV_OK);
	assert_string_equal(c.addrs[0], "10.0.0.10");
	assert_string_equal(c.macs[0], "52:54:00:00:00:02");
	assert_int_equal(c.status[0], COV_OK);
	assert_non_null(strstr(c.obsl, "entity board serial=SER1\n"));
	assert_non_null(strstr(c.obsl, "system  os_version=22.04\n"));
}

/* A sink that fails stops the pull with an error, not a coverage row. */
static void
test_sink_failures(void **state)
{
	static const char *const wz[] = {
		W_TOKEN, W_AGENT1, W_OS("2026-11-30T10:00:00Z"), W_HW,
		W_EMPTY, W_EMPTY, W_ITEMS("{\"name\": \"p1\"}"), W_EMPTY,
	};
	static const char *const wz_off[] = {
		W_TOKEN, W_ITEMS("{\"id\": \"001\", \"status\": \"x\"}"),
	};
	static const char *const gl[] = {
		"200 {\"session_token\": \"s\"}",
		"200 [{\"id\": 5, \"name\": \"PC5\", \"serial\": \"S5\"}]",
		"200 {\"_softwares\": [{\"softwares_id\": \"Kaspersky\"}]}",
		"200 []", "200 []", "200 []", "200 []", "200 {}",
	};
	static const long at[] = { 1, 3, 4, 5, 6 };
	struct script s;
	struct seen c;
	struct pull_result res;
	char err[256];
	size_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fail_asset = 1;
	assert_int_equal(pull(1, wz, NELEM(wz), NULL, &s, &c, &res, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the asset sink failed");
	memset(&c, 0, sizeof(c));
	c.fail_asset = 1;
	assert_int_equal(pull(1, wz_off, NELEM(wz_off), NULL, &s, &c, &res,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "the asset sink failed");
	memset(&c, 0, sizeof(c));
	c.fail_asset = 1;
	assert_int_equal(pull(0, gl, NELEM(gl), NULL, &s, &c, &res, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the asset sink failed");
	/* The observation sink failing at each kind of observation. */
	for (i = 0; i < NELEM(at); i++) {
		memset(&c, 0, sizeof(c));
		c.fail_obs = at[i];
		assert_int_equal(pull(1, wz, NELEM(wz), NULL, &s, &c, &res,
		    err, sizeof(err)), -1);
		assert_string_equal(err, "the observation sink failed");
		memset(&c, 0, sizeof(c));
		c.fail_obs = at[i] < 3 ? at[i] : 3;
		assert_int_equal(pull(0, gl, NELEM(gl), NULL, &s, &c, &res,
		    err, sizeof(err)), -1);
		assert_string_equal(err, "the observation sink failed");
	}
}

/* --- GLPI ------------------------------------------------------------ */

static const char *const glpi_computers_answers[] = {
	"200 {\"session_token\": \"s\"}",
	"200 [{\"id\": 1, \"name\": \"PC1\", \"uuid\": "
	    "\"4C4C4544-0042-3610-8052-B2C04F4E3332\", \"serial\": "
	    "\"&nbsp;\", \"operatingsystems_id\": \"Windows 10\", "
	    "\"last_inventory_update\": \"2026-11-30 10:00:00\"}, "
	    "{\"id\": 2, \"date_mod\": \"2020-01-01 00:00:00\"}]",
	"200 {\"_networkports\": {\"NetworkPortEthernet\": [{\"name\":"
	    " \"eth0\", \"mac\": \"52:54:00:00:01:01\", \"NetworkName\":"
	    " {\"IPAddress\": [{\"name\": \"fe80::1\"}, {\"name\": "
	    "\"2001:db8::5\"}]}}], \"NetworkPortWifi\": {\"7\": "
	    "{\"name\": \"wlan0\", \"mac\": \"52:54:00:00:01:02\", "
	    "\"NetworkName\": {\"IPAddress\": {\"3\": {\"name\": "
	    "\"10.2.0.1\"}}}}}}, \"_softwares\": [{\"softwares_id\": "
	    "\"Kaspersky Endpoint Security\", \"softwareversions_id\": "
	    "\"11.11\"}, 3]}",
	"400 {}",
	"200 [{\"name\": \"KES\", \"signature_version\": "
	    "\"20240915\", \"is_active\": 1}, \"x\"]",
	"200 {}",
	"200 []",
	"200 [{\"id\": 3}]",
	"200 {}",
	"200 []",
	"200 []",
	"200 []",
	"200 []",
	"200 {}",
};

/*
 * 2026-12-05: a port whose first IPv6 address was link-local gave the
 * asset no address from it (another port's, with its MAC, was taken).
 *
 * Computers over two pages; the antivirus itemtype the server knows is
 * found once (ComputerAntivirus answered 400, ItemAntivirus kept for the
 * next computer); ports as arrays and as objects, IPv6 only when there
 * is no IPv4; software; a signature date; inventories stale by date, by
 * modification date and by no date at all.
 */
static void
test_glpi_computers(void **state)
{
	struct popts po = { 2, 0, 0 };
	struct script s;
	struct seen c;
	struct pull_result res;

	(void)state;
	pull_ok(0, glpi_computers_answers, NELEM(glpi_computers_answers), &po,
	    &s, &c, &res);
	assert_int_equal(res.status, COV_OK);
	assert_string_equal(res.detail, "read 3 Computer, 0 NetworkEquipment, "
	    "0 Printer, 0 Phone in 14 requests");
	assert_int_equal(c.assets, 3);
	assert_string_equal(c.names[0], "PC1");
	/*
	 * eth0 has IPv6 only, its link-local address first; wlan0's IPv4
	 * is not looked at once eth0's global one is found.
	 */
	assert_string_equal(c.addrs[0], "2001:db8::5");
	assert_string_equal(c.macs[0], "52:54:00:00:01:01");
	assert_int_equal(c.status[0], COV_OK);
	assert_string_equal(c.cov[0], "GLPI Computer 1 (https://glpi.test/"
	    "front/computer.form.php?id=1); last inventory 2026-11-30 "
	    "10:00:00");
	assert_string_equal(c.names[1], "glpi-computer-2");
	assert_int_equal(c.status[1], COV_PARTIAL);
	assert_string_equal(c.cov[1], "GLPI Computer 2 (https://glpi.test/"
	    "front/computer.form.php?id=2); last inventory 2020-01-01 "
	    "00:00:00: stale (older than 30 days)");
	assert_non_null(strstr(c.cov[2], "; last inventory unknown: stale"));
	/* ItemAntivirus is asked directly for the other computers. */
	assert_non_null(strstr(s.urls[3], "Computer/1/ComputerAntivirus?"));
	assert_non_null(strstr(s.urls[4], "Computer/1/ItemAntivirus?"));
	assert_non_null(strstr(s.urls[6], "Computer/2/ItemAntivirus?"));
	assert_non_null(strstr(s.urls[7], "range=2-3"));
	assert_non_null(strstr(s.urls[9], "Computer/3/ItemAntivirus?"));
	assert_string_equal(s.urls[13], "https://glpi.test/apirest.php/"
	    "killSession");
	assert_non_null(strstr(c.obsl, "system  uuid=4C4C4544-0042-3610-"));
	assert_null(strstr(c.obsl, "serial="));
	assert_non_null(strstr(c.obsl, "system  os=Windows 10\n"));
	/* The port's own first address is what it observed. */
	assert_non_null(strstr(c.obsl, "netif 1 ip=fe80::1\n"));
	assert_non_null(strstr(c.obsl, "netif 2 ip=10.2.0.1\n"));
	assert_non_null(strstr(c.obsl, "software 1 name=Kaspersky Endpoint "
	    "Security\n"));
	assert_non_null(strstr(c.obsl, "software 1 version=11.11\n"));
	assert_null(strstr(c.obsl, "software 2 "));
	assert_non_null(strstr(c.obsl, "antivirus 1 base_date=2024-09-15\n"));
	assert_non_null(strstr(c.obsl, "antivirus 1 enabled=1\n"));
	assert_null(strstr(c.obsl, "antivirus 2 "));
}

static const char *const glpi_devices_answers[] = {
	"200 {\"session_token\": \"s\"}",
	"200 [{\"id\": 1}, {\"id\": 2}, {\"id\": \"x\"}, 4]",
	"200 {}", "400 {}", "400 {}",
	"200 {}",
	"200 [{\"id\": 20, \"name\": \"SW\", \"manufacturers_id\": "
	    "\"Huawei\", \"networkequipmentmodels_id\": \"S5720\"}]",
	"200 {\"_networkports\": {\"NetworkPortEthernet\": [{\"name\":"
	    " \"Gi0/1\", \"mac\": \"00:e0:fc:00:00:01\"}]}}",
	"200 [{\"id\": 30, \"printermodels_id\": \"P1\"}]",
	"200 {\"_networkports\": {\"NetworkPortEthernet\": [{\"name\":"
	    " \"eth\", \"mac\": \"00:11:22:33:44:55\", \"NetworkName\": "
	    "{\"IPAddress\": [{\"name\": \"10.3.0.30\"}]}}, {\"name\": "
	    "\"nomac\", \"mac\": \"bad\"}, 9]}}",
	"200 []",
	"200 {}",
};

/*
 * A server that knows no antivirus itemtype (400 to both) is not asked
 * again; a printer's own MAC names it ("self"), network equipment's
 * ports do not; assets that are not objects or have no id are skipped
 * and not counted (2026-12-05: a row without an id was counted as a
 * Computer read).
 */
static void
test_glpi_devices(void **state)
{
	struct script s;
	struct seen c;
	struct pull_result res;
	size_t i, n = 0;

	(void)state;
	pull_ok(0, glpi_devices_answers, NELEM(glpi_devices_answers), NULL, &s,
	    &c, &res);
	assert_int_equal(res.status, COV_OK);
	assert_string_equal(res.detail, "read 2 Computer, 1 NetworkEquipment, "
	    "1 Printer, 0 Phone in 12 requests");
	for (i = 0; i < s.nurls; i++)
		if (strstr(s.urls[i], "Antivirus") != NULL)
			n++;
	assert_int_equal(n, 2);
	assert_int_equal(c.assets, 4);
	assert_string_equal(c.names[2], "SW");
	assert_string_equal(c.macs[2], "00:e0:fc:00:00:01");
	assert_string_equal(c.addrs[3], "10.3.0.30");
	assert_non_null(strstr(c.obsl, "entity info mfg=Huawei\n"));
	assert_non_null(strstr(c.obsl, "entity info model=S5720\n"));
	assert_non_null(strstr(c.obsl, "interface 1 ifname=Gi0/1\n"));
	assert_non_null(strstr(c.obsl, "interface 1 mac=(6 octets)\n"));
	assert_non_null(strstr(c.obsl, "interface self mac=(6 octets)\n"));
	/* Only the printer names itself. */
	assert_ptr_equal(strstr(c.obsl, "interface self"),
	    strstr(strstr(c.obsl, "ifname=eth"), "interface self"));
	assert_non_null(strstr(c.obsl, "interface 2 ifname=nomac\n"));
	assert_null(strstr(c.obsl, "interface 2 mac"));
}

/*
 * The observation sink failing at each observation of every full
 * fixture in turn: the pull stops there with an error (nothing observed
 * after the failure), never a coverage row.
 */
static void
test_sink_each(void **state)
{
	static const struct {
		int			 wazuh;
		const char *const	*answers;
		size_t			 n;
		unsigned		 page;
	} fx[] = {
		{ 1, wazuh_agent_answers, NELEM(wazuh_agent_answers), 5 },
		{ 1, wazuh_ip_answers, NELEM(wazuh_ip_answers), 0 },
		{ 0, glpi_computers_answers, NELEM(glpi_computers_answers), 2 },
		{ 0, glpi_devices_answers, NELEM(glpi_devices_answers), 0 },
	};
	struct popts po;
	struct script s;
	struct seen c;
	struct pull_result res;
	char err[256];
	size_t i, total;
	long k;

	(void)state;
	for (i = 0; i < NELEM(fx); i++) {
		memset(&po, 0, sizeof(po));
		po.page = fx[i].page;
		pull_ok(fx[i].wazuh, fx[i].answers, fx[i].n, &po, &s, &c, &res);
		total = c.obs;
		assert_true(total > 5);
		for (k = 1; k <= (long)total; k++) {
			memset(&c, 0, sizeof(c));
			c.fail_obs = k;
			if (pull(fx[i].wazuh, fx[i].answers, fx[i].n, &po, &s,
			    &c, &res, err, sizeof(err)) != -1)
				fail_msg("fixture %zu: the sink failing at "
				    "observation %ld of %zu was not an error",
				    i, k, total);
			assert_string_equal(err, "the observation sink "
			    "failed");
			assert_int_equal(c.obs, k);
		}
	}
}

/*
 * When an inventory is stale: Wazuh's scan times in the forms it writes
 * (a date alone is a date) and ones that are no date (another
 * separator, two separators, a month or day out of range) -- a time
 * that cannot be read is stale, never fresh.
 */
static void
test_wazuh_scan_times(void **state)
{
	static const struct {
		const char	*os;
		int		 stale;
	} tc[] = {
		{ W_OS("2026-11-30T10:00:00Z"), 0 },
		{ W_OS("2026/11/30 10:00:00"), 0 },
		{ W_OS("2026-11-30"), 0 },
		{ W_OS("2026-10-01T00:00:00Z"), 1 },
		{ W_OS("2026.11.30 10:00:00"), 1 },
		{ W_OS("2026-11/30 10:00:00"), 1 },
		{ W_OS("2026-13-01T00:00:00Z"), 1 },
		{ W_OS("2026-00-10T00:00:00Z"), 1 },
		{ W_OS("2026-11-00T00:00:00Z"), 1 },
		{ W_OS("2026-11-32T00:00:00Z"), 1 },
		{ W_OS("yesterday"), 1 },
	};
	const char *answers[] = { W_TOKEN, W_AGENT1, NULL, W_HW, W_EMPTY,
	    W_EMPTY, W_EMPTY, W_EMPTY };
	struct script s;
	struct seen c;
	struct pull_result res;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(tc); i++) {
		answers[2] = tc[i].os;
		pull_ok(1, answers, NELEM(answers), NULL, &s, &c, &res);
		assert_int_equal(c.assets, 1);
		if (c.status[0] != (tc[i].stale ? COV_PARTIAL : COV_OK) ||
		    (strstr(c.cov[0], ": stale (older than 30 days)") !=
		    NULL) != tc[i].stale)
			fail_msg("%s: got %s \"%s\"", tc[i].os,
			    cov_status_name(c.status[0]), c.cov[0]);
	}
}

/*
 * A GLPI server_url written with a slash after apirest.php: the API is
 * asked without a double slash and the assets' links go to the front
 * end, not under apirest.php (2026-12-05: they read
 * "https://glpi.test/apirest.php//front/computer.form.php?id=1").
 * Values as GLPI writes them: a name that is a number is that number,
 * one that is " " or a real number is none; an inventory date alone is
 * a date, one in another order is none (stale).
 */
static void
test_glpi_url_and_values(void **state)
{
	static const char *const answers[] = {
		"200 {\"session_token\": \"s\"}",
		"200 [{\"id\": 1, \"name\": 1234, \"last_inventory_update\": "
		    "\"2026-11-30\"}, {\"id\": 2, \"name\": \" \", \"serial\": "
		    "\"SN2\", \"date_mod\": \"30/11/2026 10:00\"}, {\"id\": 3, "
		    "\"name\": 1.5, \"serial\": \"SN3\", "
		    "\"last_inventory_update\": \"2026-11-29 08:00:00\"}]",
		"200 {}", "400 {}", "400 {}",
		"200 {}",
		"200 {}",
		"200 []", "200 []", "200 []",
		"200 {}",
	};
	struct script s;
	struct seen c;
	struct pull_result res;

	(void)state;
	server_url = "https://glpi.test/apirest.php/";
	pull_ok(0, answers, NELEM(answers), NULL, &s, &c, &res);
	server_url = NULL;
	assert_int_equal(res.status, COV_OK);
	assert_string_equal(s.urls[0], "https://glpi.test/apirest.php/"
	    "initSession");
	assert_int_equal(c.assets, 3);
	assert_string_equal(c.cov[0], "GLPI Computer 1 (https://glpi.test/"
	    "front/computer.form.php?id=1); last inventory 2026-11-30");
	assert_int_equal(c.status[0], COV_OK);
	assert_string_equal(c.names[0], "1234");
	assert_string_equal(c.names[1], "");
	assert_int_equal(c.status[1], COV_PARTIAL);
	assert_string_equal(c.cov[1], "GLPI Computer 2 (https://glpi.test/"
	    "front/computer.form.php?id=2); last inventory 30/11/2026 10:00: "
	    "stale (older than 30 days)");
	assert_string_equal(c.names[2], "");
	assert_int_equal(c.status[2], COV_OK);
	assert_non_null(strstr(c.obsl, "system  name=1234\n"));
	assert_non_null(strstr(c.obsl, "system  serial=SN2\n"));
	assert_null(strstr(c.obsl, "name=1.5"));
}

/*
 * An active agent that names itself nowhere (no name, no hostname, no
 * address, no interface) is a host named after its id; a row whose id
 * is digits and then letters is no agent; a total_affected_items that
 * is negative is no total; a process without a name whose command's
 * base name is longer than a name can be is named by its first 255
 * characters, never its arguments.
 */
static void
test_wazuh_nameless(void **state)
{
	static char procs[600];
	const char *answers[] = {
		W_TOKEN,
		"200 {\"data\": {\"affected_items\": [{\"id\": \"12a\", "
		    "\"status\": \"active\"}, {\"id\": \"005\", \"status\": "
		    "\"active\"}], \"total_affected_items\": -1}}",
		W_ITEMS("{\"os\": {\"name\": \"Alpine\"}}"),
		W_EMPTY, W_EMPTY, W_EMPTY, W_EMPTY,
		procs,
	};
	struct script s;
	struct seen c;
	struct pull_result res;
	char x[300], want[400];

	(void)state;
	memset(x, 'x', 299);
	x[299] = '\0';
	snprintf(procs, sizeof(procs), W_ITEMS("{\"cmd\": \"/opt/%s -p "
	    "secret\"}"), x);
	pull_ok(1, answers, NELEM(answers), NULL, &s, &c, &res);
	assert_string_equal(res.detail, "read 1 agents (1 assessed, 0 not "
	    "connected, 0 never inventoried, 1 stale), 0 packages, 1 "
	    "processes in 8 requests");
	assert_int_equal(c.assets, 1);
	assert_string_equal(c.names[0], "wazuh-agent-005");
	assert_string_equal(c.addrs[0], "");
	assert_int_equal(c.status[0], COV_PARTIAL);
	assert_non_null(strstr(c.cov[0], "last inventory unknown: stale"));
	snprintf(want, sizeof(want), "process 1 name=%.255s\n", x);
	assert_non_null(strstr(c.obsl, want));
	snprintf(want, sizeof(want), "process 1 path=/opt/%s\n", x);
	assert_non_null(strstr(c.obsl, want));
	assert_null(strstr(c.obsl, "secret"));
}

/*
 * A process's path is its executable, never a command line written in
 * Wazuh's "cmd" (2026-12-05: "/usr/bin/kesl --password hunter2" was
 * stored whole as the path): Unix paths, an unquoted Windows path with
 * spaces up to its .exe, a quoted one, a kernel thread, a process that
 * renamed itself ("sshd: root@pts/0").
 */
static void
test_wazuh_process_paths(void **state)
{
	static const char *const answers[] = {
		W_TOKEN, W_AGENT1, W_OS("2026-11-30T10:00:00Z"), W_HW,
		W_EMPTY, W_EMPTY, W_EMPTY,
		W_ITEMS("{\"cmd\": \"/usr/bin/kesl --password hunter2\"}, "
		    "{\"cmd\": \"C:\\\\Program Files\\\\Kaspersky Lab\\\\"
		    "avp.exe -s hunter2\"}, "
		    "{\"cmd\": \"\\\"C:\\\\Program Files\\\\x\\\\y.exe\\\" "
		    "/k hunter2\"}, "
		    "{\"cmd\": \"[kworker/0:1-events]\"}, "
		    "{\"cmd\": \"sshd: root@pts/0\"}, "
		    "{\"cmd\": \"  /usr/sbin/cron\"}, "
		    "{\"name\": \"empty\", \"cmd\": \"\"}"),
	};
	struct script s;
	struct seen c;
	struct pull_result res;

	(void)state;
	pull_ok(1, answers, NELEM(answers), NULL, &s, &c, &res);
	assert_int_equal(res.status, COV_OK);
	assert_null(strstr(c.obsl, "hunter2"));
	assert_non_null(strstr(c.obsl, "process 1 path=/usr/bin/kesl\n"));
	assert_non_null(strstr(c.obsl, "process 2 name=avp.exe\n"));
	assert_non_null(strstr(c.obsl, "process 2 path=C:\\Program Files\\"
	    "Kaspersky Lab\\avp.exe\n"));
	assert_non_null(strstr(c.obsl, "process 3 path=C:\\Program Files\\x\\"
	    "y.exe\n"));
	assert_non_null(strstr(c.obsl, "process 4 name=kworker\n"));
	assert_non_null(strstr(c.obsl, "process 4 path=kworker\n"));
	assert_non_null(strstr(c.obsl, "process 5 path=sshd\n"));
	assert_non_null(strstr(c.obsl, "process 6 path=/usr/sbin/cron\n"));
	assert_non_null(strstr(c.obsl, "process 7 name=empty\n"));
	assert_null(strstr(c.obsl, "process 7 path"));
}

/*
 * GLPI answers of shapes the API never documents: ports given as an
 * array of numbers or a port type holding a string, software as an
 * object, antivirus rows that are not objects, a signature version that
 * is no date -- nothing of them is read, the rest of the asset is, and
 * the pull goes on.
 */
static void
test_glpi_odd_shapes(void **state)
{
	static const char *const answers[] = {
		"200 {\"session_token\": \"s\"}",
		"200 [{\"id\": 1, \"name\": \"PC1\"}, {\"id\": 2, \"name\": "
		    "\"PC2\"}]",
		"200 {\"_networkports\": [1, 2], \"_softwares\": {\"a\": "
		    "{\"softwares_id\": \"X\"}}}",
		"200 [\"x\", 7, {\"name\": \"KES\", \"signature_version\": "
		    "\"not a date\"}]",
		"200 {\"_networkports\": {\"NetworkPortEthernet\": \"str\", "
		    "\"NetworkPortWifi\": [\"a\", {\"name\": \"wlan0\", "
		    "\"NetworkName\": {\"IPAddress\": \"10.0.0.1\"}}]}}",
		"200 []",
		"200 []", "200 []", "200 []",
		"200 {}",
	};
	struct script s;
	struct seen c;
	struct pull_result res;

	(void)state;
	pull_ok(0, answers, NELEM(answers), NULL, &s, &c, &res);
	assert_int_equal(res.status, COV_OK);
	assert_int_equal(c.assets, 2);
	assert_string_equal(c.names[1], "PC2");
	assert_string_equal(c.addrs[1], "");
	assert_non_null(strstr(c.obsl, "antivirus 1 name=KES\n"));
	assert_null(strstr(c.obsl, "antivirus 2 "));
	assert_null(strstr(c.obsl, "base_date"));
	assert_null(strstr(c.obsl, "software "));
	assert_non_null(strstr(c.obsl, "netif 1 descr=wlan0\n"));
	assert_null(strstr(c.obsl, "ip=10.0.0.1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_wazuh_not_assessed),
		cmocka_unit_test(test_wazuh_agent),
		cmocka_unit_test(test_wazuh_registered_ip),
		cmocka_unit_test(test_sink_failures),
		cmocka_unit_test(test_glpi_computers),
		cmocka_unit_test(test_glpi_devices),
		cmocka_unit_test(test_sink_each),
		cmocka_unit_test(test_wazuh_scan_times),
		cmocka_unit_test(test_glpi_url_and_values),
		cmocka_unit_test(test_wazuh_nameless),
		cmocka_unit_test(test_wazuh_process_paths),
		cmocka_unit_test(test_glpi_odd_shapes),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
