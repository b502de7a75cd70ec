/*
 * fuzz_pull: the GLPI and Wazuh pulls (glpi.c, wazuh.c) against a server
 * whose every answer comes from the input, through pull.h's fake
 * transport: the JSON parsing of each answer (jansson) and the session,
 * paging and per-asset requests around it.  Input: the first byte picks
 * the server ('W': Wazuh, anything else: GLPI); then the answers, in the
 * order the pull asks, separated by lines "--"; an answer is its HTTP
 * status on its first line (anything else: 200), then its body.  Once
 * the answers run out every request is answered 500.  Every asset and
 * observation handed to the sink is checked (attributes the kind has,
 * strings that end).
 */
#include <stdlib.h>
#include <string.h>

#include "cred.h"
#include "fuzz.h"
#include "glpi.h"
#include "obs.h"
#include "pull.h"
#include "util.h"
#include "wazuh.h"

struct feed {
	const char	*p, *end;
	size_t		 calls;
};

static int
answer(void *arg, const char *url, int post, long *code, const char **body,
    size_t *len)
{
	static const char sep[] = "\n--\n";
	struct feed *f = arg;
	const char *nl, *next;
	long c;
	char num[8];
	size_t n;

	(void)post;
	if (url == NULL || strlen(url) == 0)
		abort();
	f->calls++;
	if (f->p >= f->end) {
		*code = 500;
		*body = "[]";
		*len = 2;
		return 0;
	}
	next = memmem(f->p, (size_t)(f->end - f->p), sep, sizeof(sep) - 1);
	if (next == NULL)
		next = f->end;
	nl = memchr(f->p, '\n', (size_t)(next - f->p));
	n = nl != NULL ? (size_t)(nl - f->p) : 0;
	*code = 200;
	if (nl != NULL && n > 0 && n < sizeof(num)) {
		memcpy(num, f->p, n);
		num[n] = '\0';
		if (parse_long(num, 100, 599, &c) == 0)
			*code = c;
	}
	*body = nl != NULL ? nl + 1 : f->p;
	*len = (size_t)(next - *body);
	f->p = next < f->end ? next + sizeof(sep) - 1 : f->end;
	return 0;
}

static void
check_str(const char *s)
{
	if (s != NULL && strlen(s) > 65536)
		abort();
}

static int
on_asset(void *arg, const struct pull_asset *a)
{
	(void)arg;
	check_str(a->itemtype);
	check_str(a->name);
	check_str(a->uuid);
	check_str(a->serial);
	check_str(a->address);
	check_str(a->mac);
	if (a->coverage == NULL || a->status >= COV__COUNT)
		abort();
	check_str(a->coverage);
	return 0;
}

static int
on_obs(void *arg, const struct observation *o)
{
	size_t *n = arg;

	if (!obs_attr_valid(o->kind, o->attr) || o->value == NULL ||
	    o->len == 0 || o->item == NULL)
		abort();
	check_str(o->item);
	check_str(o->source);
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cred_profile p;
	struct pull_opts o;
	struct pull_fake fake;
	struct pull_sink sink;
	struct pull_result res;
	struct feed f;
	char err[256];
	size_t nobs = 0;
	int wazuh;

	if (size < 1)
		return 0;
	wazuh = data[0] == 'W';
	f.p = (const char *)data + 1;
	f.end = (const char *)data + size;
	f.calls = 0;
	memset(&p, 0, sizeof(p));
	p.name = (char *)(uintptr_t)"fuzz";
	p.type = CRED_SERVER;
	p.server = wazuh ? SERVER_WAZUH : SERVER_GLPI;
	p.server_url = (char *)(uintptr_t)(wazuh ?
	    "https://wazuh.invalid:55000" :
	    "https://glpi.invalid/apirest.php");
	p.user_token = (char *)(uintptr_t)"user-token";
	p.app_token = (char *)(uintptr_t)"app-token";
	p.username = (char *)(uintptr_t)"user";
	p.password = (char *)(uintptr_t)"password";
	memset(&o, 0, sizeof(o));
	o.max_items = 40;
	o.page = 10;
	o.max_body = 1u << 20;
	o.stale_days = 30;
	o.now = 1796083200;	/* 2026-12-01 */
	fake.arg = &f;
	fake.answer = answer;
	o.fake = &fake;
	sink.arg = &nobs;
	sink.asset = on_asset;
	sink.observe = on_obs;
	if ((wazuh ? wazuh_pull(&p, &o, &sink, &res, err, sizeof(err)) :
	    glpi_pull(&p, &o, &sink, &res, err, sizeof(err))) != 0)
		abort();	/* the sinks never fail */
	if (res.status >= COV__COUNT || res.requests != f.calls ||
	    strlen(res.detail) >= sizeof(res.detail))
		abort();
	return 0;
}
