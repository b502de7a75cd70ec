/*
 * agentpull: runs banaudit's agent collector over the agent URLs given on
 * the command line and prints what it reports, one tab-separated line per
 * record, for the integration tests:
 *
 *   cov <target> <probe> <status> <elapsed_ms> <detail>
 *   obs <target> <kind> <item> <attr> <source> <value>
 *   rss <peak resident set, KiB>
 *
 * usage: agentpull --token-file F [--ca-file F] [--pin SHA256] [--profile
 *        NAME] [--concurrency N] [--rate N] [--connect-ms N] [--timeout-ms N]
 *        [--budget-ms N] [--max-body N] [--max-value N] [--target-rate N]
 *        URL...
 *
 * The token is read from a file (never from the command line).  Every URL
 * gets the profile "fi" unless --profile names another (which then does not
 * exist: a configuration error the collector must report per target).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "collector.h"
#include "cred.h"
#include "inventory.h"
#include "target.h"
#include "util.h"

static int
print_obs(void *arg, size_t t, enum channel ch, const struct observation *o)
{
	(void)arg;
	(void)ch;
	printf("obs\t%zu\t%s\t%s\t%s\t%s\t%.*s\n", t, obs_kind_name(o->kind),
	    o->item, o->attr, o->source, (int)o->len,
	    (const char *)o->value);
	return 0;
}

static int
print_cov(void *arg, size_t t, const struct coverage *cv)
{
	(void)arg;
	printf("cov\t%zu\t%s\t%s\t%lld\t%s\n", t, cv->probe,
	    cov_status_name(cv->status), (long long)cv->elapsed_ms,
	    cv->detail != NULL ? cv->detail : "");
	return 0;
}

static char *
read_token(const char *path)
{
	char buf[1024];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	str_trim(buf);
	return str_dup(buf);
}

static unsigned
num(const char *s, const char *what)
{
	long v;

	if (parse_long(s, 0, 2000000000L, &v) != 0) {
		fprintf(stderr, "agentpull: bad %s '%s'\n", what, s);
		exit(2);
	}
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "token-file", required_argument, NULL, 't' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "pin", required_argument, NULL, 'K' },
		{ "profile", required_argument, NULL, 'p' },
		{ "concurrency", required_argument, NULL, 'j' },
		{ "rate", required_argument, NULL, 'r' },
		{ "connect-ms", required_argument, NULL, 'c' },
		{ "timeout-ms", required_argument, NULL, 'T' },
		{ "budget-ms", required_argument, NULL, 'b' },
		{ "max-body", required_argument, NULL, 'm' },
		{ "max-value", required_argument, NULL, 'v' },
		{ "target-rate", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	struct collect_opts o;
	struct collect_sink sink = { NULL, print_obs, print_cov, NULL, NULL };
	struct cred_profile prof;
	struct cred_set creds = { &prof, 1, NULL };
	struct target_list tl;
	struct rusage ru;
	char err[ERRLEN], *token = NULL, pname[] = "fi";
	const char *tokfile = NULL, *profile = "fi";
	unsigned trate = 0, *rates = NULL;
	void *ctx = NULL;
	int ch, left, rc = 1, i;

	collect_opts_default(&o);
	memset(&prof, 0, sizeof(prof));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			tokfile = optarg;
			break;
		case 'C':
			prof.ca_file = optarg;
			break;
		case 'K':
			prof.pinned_pubkey = optarg;
			break;
		case 'p':
			profile = optarg;
			break;
		case 'j':
			o.concurrency = num(optarg, "concurrency");
			break;
		case 'r':
			o.rate = num(optarg, "rate");
			break;
		case 'c':
			o.agent_connect_ms = num(optarg, "connect-ms");
			break;
		case 'T':
			o.agent_timeout_ms = num(optarg, "timeout-ms");
			break;
		case 'b':
			o.host_budget_ms = num(optarg, "budget-ms");
			break;
		case 'm':
			o.max_body = num(optarg, "max-body");
			break;
		case 'v':
			o.max_value = num(optarg, "max-value");
			break;
		case 'R':
			trate = num(optarg, "target-rate");
			break;
		default:
			return 2;
		}
	}
	if (tokfile == NULL || optind >= argc) {
		fprintf(stderr, "usage: agentpull --token-file F [options] "
		    "URL...\n");
		return 2;
	}
	token = read_token(tokfile);
	if (token == NULL) {
		fprintf(stderr, "agentpull: cannot read %s\n", tokfile);
		return 2;
	}
	prof.name = pname;
	prof.type = CRED_AGENT;
	prof.agent = AGENT_FUSIONINVENTORY;
	prof.token = token;

	memset(&tl, 0, sizeof(tl));
	tl.n = (size_t)(argc - optind);
	tl.v = calloc(tl.n, sizeof(*tl.v));
	rates = calloc(tl.n, sizeof(*rates));
	if (tl.v == NULL || rates == NULL)
		goto out;
	for (i = 0; i < argc - optind; i++) {
		tl.v[i].h.address = pname;
		tl.v[i].agent_url = argv[optind + i];
		tl.v[i].agent_profile = (char *)(uintptr_t)profile;
		tl.v[i].h.criticality = 3;
		rates[i] = trate;
	}
	if (trate > 0)
		o.target_rate = rates;
	if (agent_collector.open(&ctx, &o, &tl, &creds, &sink, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "agentpull: %s\n", err);
		goto out;
	}
	do {
		left = agent_collector.poll(ctx, 200, err, sizeof(err));
	} while (left > 0);
	agent_collector.close(ctx);
	if (left < 0) {
		fprintf(stderr, "agentpull: %s\n", err);
		goto out;
	}
	inventory_cleanup();
	getrusage(RUSAGE_SELF, &ru);
	printf("rss\t%ld\n", ru.ru_maxrss);
	rc = 0;
out:
	free(tl.v);
	free(rates);
	secret_free(token);
	return rc;
}
