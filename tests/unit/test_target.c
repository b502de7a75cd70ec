/*
 * Unit tests for target: address forms, CIDR expansion and limits,
 * duplicates, every column's validation, and the error fixtures under
 * tests/data/targets/ (NAME.csv with the expected message in NAME.err,
 * "FILE" standing for the path).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "addr.h"
#include "cred.h"
#include "target.h"
#include "util.h"

#define DATA	"tests/data/targets/"

static char tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	str_copy(tmpdir, "/tmp/test_target.XXXXXX", sizeof(tmpdir));
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/t.csv", tmpdir);
	unlink(path);
	return rmdir(tmpdir);
}

/* Writes s into tmpdir/t.csv and returns that path (static buffer). */
static const char *
write_tmp(const char *s, size_t n)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/t.csv", tmpdir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static const char *
write_str(const char *s)
{
	return write_tmp(s, strlen(s));
}

static struct target *
find(struct target_list *tl, const char *addr, unsigned port)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		if (strcmp(tl->v[i].h.address, addr) == 0 &&
		    tl->v[i].port == port)
			return &tl->v[i];
	return NULL;
}

static void
test_good_file(void **state)
{
	struct target_list tl;
	struct target *t;
	char err[ERRLEN];

	(void)state;
	err[0] = '\0';
	assert_int_equal(target_list_load(DATA "good.csv", &tl, err,
	    sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(tl.n, 21);
	assert_string_equal(tl.path, DATA "good.csv");

	t = &tl.v[0];
	assert_string_equal(t->h.address, "10.1.2.3");
	assert_int_equal(t->port, 0);
	assert_int_equal(t->family, AF_INET);
	assert_string_equal(t->h.sector, "telecom");
	assert_string_equal(t->h.site, "Core, rack 4");
	assert_string_equal(t->h.owner, "NOC \"east\"");
	assert_int_equal(t->h.criticality, 5);
	assert_int_equal(t->nsnmp_profiles, 2);
	assert_string_equal(t->snmp_profiles[0], "core-v3");
	assert_string_equal(t->snmp_profiles[1], "office-v2c");
	assert_string_equal(t->agent_url, "http://10.1.2.3:62354");
	assert_string_equal(t->agent_profile, "fi-agents");
	assert_int_equal(t->line, 2);

	t = find(&tl, "10.1.2.4", 1161);
	assert_non_null(t);
	assert_string_equal(t->h.sector, "power");
	assert_int_equal(t->h.criticality, 3);
	assert_null(t->h.owner);
	assert_null(t->agent_url);
	assert_null(t->agent_profile);
	assert_int_equal(t->line, 3);

	t = find(&tl, "::1", 0);
	assert_non_null(t);
	assert_int_equal(t->family, AF_INET6);
	assert_string_equal(t->h.sector, "healthcare");
	assert_int_equal(t->h.criticality, 1);
	assert_null(t->h.site);
	assert_int_equal(t->nsnmp_profiles, 0);

	assert_non_null(find(&tl, "fe80::1", 0));
	assert_string_equal(find(&tl, "fe80::1", 0)->h.sector, "localgov");
	assert_non_null(find(&tl, "::1", 1161));

	t = find(&tl, "router-1.example.org", 0);
	assert_non_null(t);
	assert_int_equal(t->family, AF_UNSPEC);
	assert_string_equal(t->agent_url, "https://router-1.example.org/inv");
	assert_string_equal(t->agent_profile, "FI-Agents");
	t = find(&tl, "switch.example.org", 1161);
	assert_non_null(t);
	assert_int_equal(t->family, AF_UNSPEC);
	assert_non_null(find(&tl, "2001:db8::5", 0));

	/* 10.0.0.0/30 skips network and broadcast. */
	assert_null(find(&tl, "10.0.0.0", 0));
	assert_non_null(find(&tl, "10.0.0.1", 0));
	assert_non_null(find(&tl, "10.0.0.2", 0));
	assert_null(find(&tl, "10.0.0.3", 0));
	/* /31 keeps both; the port applies to every address. */
	assert_non_null(find(&tl, "10.0.0.8", 1161));
	assert_non_null(find(&tl, "10.0.0.9", 1161));
	assert_int_equal(find(&tl, "10.0.0.9", 1161)->line, 11);
	assert_non_null(find(&tl, "10.0.0.20", 0));
	/* IPv6 ranges keep every address. */
	assert_non_null(find(&tl, "2001:db8::", 0));
	assert_non_null(find(&tl, "2001:db8::3", 0));
	assert_non_null(find(&tl, "2001:db8:1::", 1161));
	assert_non_null(find(&tl, "2001:db8:1::1", 1161));

	/* A quoted field across lines; the next row keeps its line. */
	t = find(&tl, "10.9.9.9", 0);
	assert_non_null(t);
	assert_string_equal(t->h.site, "multi\nline site");
	assert_int_equal(t->line, 15);
	assert_int_equal(t->h.criticality, 2);
	/* Canonical form of 2001:0db8:0000::0001. */
	t = find(&tl, "2001:db8::ff0", 0);
	assert_non_null(t);
	assert_int_equal(t->line, 17);
	target_list_free(&tl);
	assert_null(tl.v);
	assert_int_equal(tl.n, 0);
	target_list_free(&tl);		/* twice is harmless */
	target_list_free(NULL);
}

/* The jurisdiction column: optional, checked, stored in upper case. */
static void
test_jurisdiction(void **state)
{
	struct target_list tl;
	char err[ERRLEN];
	const char *path;

	(void)state;
	path = write_str("address,sector,jurisdiction\n"
	    "10.3.0.1,localgov,us-tx\n10.3.0.2,localgov,\n"
	    "10.3.0.3,localgov,US\n");
	assert_int_equal(target_list_load(path, &tl, err, sizeof(err)), 0);
	assert_string_equal(find(&tl, "10.3.0.1", 0)->h.jurisdiction, "US-TX");
	assert_null(find(&tl, "10.3.0.2", 0)->h.jurisdiction);
	assert_string_equal(find(&tl, "10.3.0.3", 0)->h.jurisdiction, "US");
	target_list_free(&tl);
	path = write_str("address,sector,jurisdiction\n"
	    "10.3.0.1,localgov,Texas\n");
	assert_int_equal(target_list_load(path, &tl, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: jurisdiction: 'Texas' is not US"));
}

static void
test_crlf_bom_blank(void **state)
{
	struct target_list tl;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(target_list_load(DATA "crlf-bom.csv", &tl, err,
	    sizeof(err)), 0);
	assert_int_equal(tl.n, 2);
	assert_string_equal(tl.v[0].h.address, "10.2.0.1");
	assert_int_equal(tl.v[0].line, 2);
	assert_string_equal(tl.v[1].h.address, "10.2.0.2");
	assert_string_equal(tl.v[1].h.sector, "power");
	assert_int_equal(tl.v[1].line, 5);
	target_list_free(&tl);
}

static void
read_expected(const char *name, const char *path, char *out, size_t len)
{
	char file[256], line[ERRLEN / 2];
	FILE *fp;
	size_t n;

	snprintf(file, sizeof(file), DATA "%s.err", name);
	fp = fopen(file, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	n = strlen(line);
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	assert_memory_equal(line, "FILE", 4);
	snprintf(out, len, "%s%s", path, line + 4);
}

static void
test_error_fixtures(void **state)
{
	static const char *const names[] = {
		"bad-sector-name", "bad-criticality", "bad-criticality-sign",
		"bad-port", "bad-port-zero", "bad-port-empty",
		"bad-url-scheme", "bad-url-port", "bad-url-port-big",
		"bad-url-nohost", "bad-url-host", "bad-url-userinfo",
		"bad-url-query", "bad-url-userinfo-port", "url-without-profile",
		"profile-without-url",
		"url-on-cidr", "unknown-column", "no-header",
		"duplicate-column", "missing-address-column",
		"missing-sector-column", "host-bits", "host-bits-v6",
		"duplicate", "duplicate-v6-port", "duplicate-hostname",
		"too-big-row", "too-big-v6", "too-big-v6-64", "field-count",
		"empty", "header-only", "blank-only", "empty-address",
		"empty-sector", "bad-profile-list", "bad-profile-name",
		"profile-twice", "too-many-profiles", "bad-quoting",
		"bad-address", "bad-hostname", "control-chars",
		"bad-agent-profile",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(names); i++) {
		struct target_list tl;
		char path[256], want[ERRLEN], err[ERRLEN];
		int rc;

		snprintf(path, sizeof(path), DATA "%s.csv", names[i]);
		read_expected(names[i], path, want, sizeof(want));
		memset(err, 0, sizeof(err));
		rc = target_list_load(path, &tl, err, sizeof(err));
		if (rc != -1 || strcmp(err, want) != 0)
			fail_msg("%s: rc %d\n got: %s\nwant: %s", names[i], rc,
			    err, want);
		assert_null(tl.v);
		assert_int_equal(tl.n, 0);
		assert_null(tl.pool);
	}
}

struct addr_case {
	const char	*in;
	int		 rc;
	const char	*host;
	unsigned	 port;
	int		 prefix;
	int		 family;
	const char	*msg;	/* substring of the error */
};

static void
test_parse_address(void **state)
{
	static const struct addr_case cases[] = {
		{ "10.1.2.3", 0, "10.1.2.3", 0, -1, AF_INET, NULL },
		{ "10.1.2.3:1161", 0, "10.1.2.3", 1161, -1, AF_INET, NULL },
		{ "::1", 0, "::1", 0, -1, AF_INET6, NULL },
		{ "fe80::1", 0, "fe80::1", 0, -1, AF_INET6, NULL },
		{ "FE80:0::01", 0, "fe80::1", 0, -1, AF_INET6, NULL },
		{ "[::1]", 0, "::1", 0, -1, AF_INET6, NULL },
		{ "[::1]:1161", 0, "::1", 1161, -1, AF_INET6, NULL },
		{ "::ffff:10.0.0.1", 0, "::ffff:10.0.0.1", 0, -1, AF_INET6,
		    NULL },
		{ "host", 0, "host", 0, -1, AF_UNSPEC, NULL },
		{ "Host-1.Example.ORG:65535", 0, "host-1.example.org", 65535,
		    -1, AF_UNSPEC, NULL },
		{ "1host.example", 0, "1host.example", 0, -1, AF_UNSPEC, NULL },
		{ "10.0.0.0/24", 0, "10.0.0.0", 0, 24, AF_INET, NULL },
		{ "10.0.0.0/30:1161", 0, "10.0.0.0", 1161, 30, AF_INET, NULL },
		{ "2001:db8::/120", 0, "2001:db8::", 0, 120, AF_INET6, NULL },
		{ "[2001:db8::/126]:1161", 0, "2001:db8::", 1161, 126,
		    AF_INET6, NULL },
		{ "0.0.0.0/0", 0, "0.0.0.0", 0, 0, AF_INET, NULL },

		{ "", -1, NULL, 0, 0, 0, "empty" },
		{ "10.1.2", -1, NULL, 0, 0, 0, "not a valid IPv4 address" },
		{ "10.1.2.256", -1, NULL, 0, 0, 0, "not a valid IPv4" },
		{ "010.1.2.3", -1, NULL, 0, 0, 0, "not a valid IPv4" },
		{ "10.1.2.3:", -1, NULL, 0, 0, 0, "port must be" },
		{ "10.1.2.3:0", -1, NULL, 0, 0, 0, "port must be" },
		{ "10.1.2.3:65536", -1, NULL, 0, 0, 0, "port must be" },
		{ "10.1.2.3:-1", -1, NULL, 0, 0, 0, "port must be" },
		{ "10.1.2.3:+80", -1, NULL, 0, 0, 0, "port must be" },
		{ "10.1.2.3: 80", -1, NULL, 0, 0, 0, "port must be" },
		{ "10.1.2.3:80x", -1, NULL, 0, 0, 0, "port must be" },
		{ "[10.1.2.3]:80", -1, NULL, 0, 0, 0, "only for IPv6" },
		{ "[::1", -1, NULL, 0, 0, 0, "without ']'" },
		{ "[::1]x", -1, NULL, 0, 0, 0, "only ':port' may follow" },
		{ "[host]:80", -1, NULL, 0, 0, 0, "not a valid IPv6" },
		{ ":::1", -1, NULL, 0, 0, 0, "not a valid IPv6" },
		{ "2001:db8::1::2", -1, NULL, 0, 0, 0, "not a valid IPv6" },
		{ "fe80::1%eth0", -1, NULL, 0, 0, 0, "zone indexes" },
		{ "10.0.0.0/33", -1, NULL, 0, 0, 0, "must be in 0..32" },
		{ "2001:db8::/129", -1, NULL, 0, 0, 0, "prefix length must" },
		{ "10.0.0.0/", -1, NULL, 0, 0, 0, "prefix length must" },
		{ "10.0.0.0/x", -1, NULL, 0, 0, 0, "prefix length must" },
		{ "host/24", -1, NULL, 0, 0, 0, "needs an IP address" },
		{ "a..b", -1, NULL, 0, 0, 0, "not a valid IP address or host" },
		{ "-a.b", -1, NULL, 0, 0, 0, "not a valid IP address or host" },
		{ "a-.b", -1, NULL, 0, 0, 0, "not a valid IP address or host" },
		{ "a.b.", -1, NULL, 0, 0, 0, "not a valid IP address or host" },
		{ "under_score", -1, NULL, 0, 0, 0, "not a valid IP address" },
		{ "sp ace", -1, NULL, 0, 0, 0, "not a valid IP address" },
		{ "h\xc3\xa9.example", -1, NULL, 0, 0, 0, "not a valid IP" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		const struct addr_case *c = &cases[i];
		char host[ADDR_HOST_MAX], err[ERRLEN];
		unsigned port = 99;
		int prefix = 99, family = 99, rc;

		err[0] = '\0';
		rc = addr_parse(c->in, host, sizeof(host), &port,
		    &prefix, &family, err, sizeof(err));
		if (rc != c->rc)
			fail_msg("'%s': rc %d (%s)", c->in, rc, err);
		if (rc != 0) {
			if (strstr(err, c->msg) == NULL)
				fail_msg("'%s': message '%s' lacks '%s'",
				    c->in, err, c->msg);
			continue;
		}
		if (strcmp(host, c->host) != 0 || port != c->port ||
		    prefix != c->prefix || family != c->family)
			fail_msg("'%s': got %s %u /%d af %d", c->in, host, port,
			    prefix, family);
	}
}

/* Which inventory addresses and interfaces can name one machine. */
static void
test_host_naming(void **state)
{
	(void)state;
	assert_true(addr_names_one_host("10.0.0.5"));
	assert_true(addr_names_one_host("2001:db8::5"));
	assert_false(addr_names_one_host("127.0.0.1"));
	assert_false(addr_names_one_host("0.0.0.0"));
	assert_false(addr_names_one_host("169.254.1.1"));
	assert_false(addr_names_one_host("224.0.0.1"));
	assert_false(addr_names_one_host("fe80::1"));
	assert_false(addr_names_one_host("::1"));
	assert_false(addr_names_one_host("host.example"));
	assert_true(addr_netif_shared("docker0"));
	assert_true(addr_netif_shared("VETH12ab"));
	assert_true(addr_netif_shared("lo"));
	assert_false(addr_netif_shared("eth0"));
	assert_false(addr_netif_shared("Ethernet 2"));
	assert_false(addr_netif_shared(NULL));
}

static void
test_hostname_lengths(void **state)
{
	char name[300], host[ADDR_HOST_MAX], err[ERRLEN];
	unsigned port;
	int prefix, family;

	(void)state;
	/* 63-character labels pass, 64 do not. */
	memset(name, 'a', 63);
	str_copy(name + 63, ".example", sizeof(name) - 63);
	assert_true(addr_hostname_ok(name));
	memset(name, 'a', 64);
	str_copy(name + 64, ".example", sizeof(name) - 64);
	assert_false(addr_hostname_ok(name));
	/* 253 characters pass, 254 do not (four labels of 63, 62, ...). */
	memset(name, 'a', 253);
	name[63] = name[127] = name[191] = '.';
	name[253] = '\0';
	assert_true(addr_hostname_ok(name));
	assert_int_equal(addr_parse(name, host, sizeof(host), &port,
	    &prefix, &family, err, sizeof(err)), 0);
	assert_string_equal(host, name);
	name[253] = 'a';
	name[254] = '\0';
	assert_false(addr_hostname_ok(name));
	assert_int_equal(addr_parse(name, host, sizeof(host), &port,
	    &prefix, &family, err, sizeof(err)), -1);
	/* Longer than any host: refused without overflowing. */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(addr_parse(name, host, sizeof(host), &port,
	    &prefix, &family, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "longer than"));
	assert_false(addr_hostname_ok(""));
	assert_false(addr_hostname_ok("1.2.3.4"));
	assert_true(addr_hostname_ok("1.2.3.a4"));
}

/*
 * 2026-12-06: addr_parse() writes an IPv4 address itself instead of
 * through inet_ntop().  The text must be inet_ntop()'s for every address
 * (octets of one, two and three digits), and a host buffer without room
 * for the NUL refused as before.
 */
static void
test_ipv4_as_inet_ntop(void **state)
{
	char in[32], host[ADDR_HOST_MAX], want[INET_ADDRSTRLEN], err[ERRLEN];
	unsigned char b[4];
	uint32_t x = 88172645u;
	unsigned port;
	int prefix, family, i, k;
	size_t n;

	(void)state;
	for (i = 0; i < 100000; i++) {
		for (k = 0; k < 4; k++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			b[k] = (unsigned char)((x >> 2) % (x % 3 == 0 ? 10 :
			    x % 3 == 1 ? 100 : 256));
		}
		snprintf(in, sizeof(in), "%u.%u.%u.%u:161", b[0], b[1], b[2],
		    b[3]);
		assert_non_null(inet_ntop(AF_INET, b, want, sizeof(want)));
		assert_int_equal(addr_parse(in, host, sizeof(host), &port,
		    &prefix, &family, err, sizeof(err)), 0);
		assert_int_equal(family, AF_INET);
		assert_int_equal(port, 161);
		assert_string_equal(host, want);
		n = strlen(want);
		assert_int_equal(addr_parse(in, host, n, &port, &prefix,
		    &family, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "host buffer too small"));
		assert_int_equal(addr_parse(in, host, n + 1, &port, &prefix,
		    &family, err, sizeof(err)), 0);
		assert_string_equal(host, want);
	}
}

struct cidr_case {
	const char	*addr;
	size_t		 n;
	const char	*first;
	const char	*last;
};

static void
test_cidr_counts(void **state)
{
	static const struct cidr_case cases[] = {
		{ "192.168.1.0/24", 254, "192.168.1.1", "192.168.1.254" },
		{ "192.168.1.0/30", 2, "192.168.1.1", "192.168.1.2" },
		{ "192.168.1.0/31", 2, "192.168.1.0", "192.168.1.1" },
		{ "192.168.1.7/32", 1, "192.168.1.7", "192.168.1.7" },
		{ "10.20.0.0/16", 65534, "10.20.0.1", "10.20.255.254" },
		{ "255.255.255.252/30", 2, "255.255.255.253",
		    "255.255.255.254" },
		{ "2001:db8::/120", 256, "2001:db8::", "2001:db8::ff" },
		{ "2001:db8::ff00/120", 256, "2001:db8::ff00",
		    "2001:db8::ffff" },
		{ "2001:db8::f000/116", 4096, "2001:db8::f000",
		    "2001:db8::ffff" },
		{ "2001:db8::/112", 65536, "2001:db8::", "2001:db8::ffff" },
		{ "2001:db8::/127", 2, "2001:db8::", "2001:db8::1" },
		{ "2001:db8::7/128", 1, "2001:db8::7", "2001:db8::7" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		struct target_list tl;
		char csv[256], err[ERRLEN];

		snprintf(csv, sizeof(csv), "address,sector\n%s,power\n",
		    cases[i].addr);
		if (target_list_load(write_str(csv), &tl, err, sizeof(err)) !=
		    0)
			fail_msg("%s: %s", cases[i].addr, err);
		assert_int_equal(tl.n, cases[i].n);
		assert_string_equal(tl.v[0].h.address, cases[i].first);
		assert_string_equal(tl.v[tl.n - 1].h.address, cases[i].last);
		assert_int_equal(tl.v[tl.n - 1].line, 2);
		target_list_free(&tl);
	}
}

/*
 * A row's targets share its profile array (one copy a row, not a target)
 * and a target stays within its 96-byte budget: a million targets are
 * loaded whole.
 */
static void
test_shared_profiles(void **state)
{
	struct target_list tl;
	char err[ERRLEN];
	size_t i;

	(void)state;
	assert_true(sizeof(struct target) <= 96);
	if (target_list_load(write_str("address,sector,snmp_profile\n"
	    "10.9.0.0/24,power,a ; b;c\n10.9.1.7,power,\n"
	    "10.9.1.8,power,d\n10.9.1.9,power, d\n10.9.1.10,power,D\n"
	    "10.9.1.11,power,a ; b;c\n"), &tl, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(tl.n, 259);
	/* Rows that repeat the row before's list share it (2026-12-06). */
	assert_ptr_equal(tl.v[256].snmp_profiles, tl.v[255].snmp_profiles);
	assert_ptr_not_equal(tl.v[257].snmp_profiles,
	    tl.v[256].snmp_profiles);
	assert_string_equal(tl.v[257].snmp_profiles[0], "D");
	assert_int_equal(tl.v[258].nsnmp_profiles, 3);
	assert_string_equal(tl.v[258].snmp_profiles[2], "c");
	for (i = 0; i < 254; i++) {
		assert_ptr_equal(tl.v[i].snmp_profiles, tl.v[0].snmp_profiles);
		assert_int_equal(tl.v[i].nsnmp_profiles, 3);
	}
	assert_string_equal(tl.v[253].snmp_profiles[0], "a");
	assert_string_equal(tl.v[253].snmp_profiles[1], "b");
	assert_string_equal(tl.v[253].snmp_profiles[2], "c");
	assert_null(tl.v[254].snmp_profiles);
	assert_int_equal(tl.v[254].nsnmp_profiles, 0);
	assert_int_equal(tl.v[255].nsnmp_profiles, 1);
	assert_string_equal(tl.v[255].snmp_profiles[0], "d");
	assert_ptr_not_equal(tl.v[255].snmp_profiles, tl.v[0].snmp_profiles);
	target_list_free(&tl);
}

/* 16 x /16 + /27 + 2 hosts = exactly TARGET_MAX_TOTAL; one more fails. */
static void
test_total_limit(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct target_list tl;
	char err[ERRLEN], want[ERRLEN];
	const char *path;
	int i;

	(void)state;
	strbuf_puts(&sb, "address,sector\n");
	for (i = 0; i < 16; i++)
		strbuf_printf(&sb, "10.%d.0.0/16,telecom\n", i);
	strbuf_puts(&sb, "11.0.0.0/27,telecom\n12.0.0.1,power\n"
	    "12.0.0.2,power\n");
	assert_int_equal(16 * 65534 + 30 + 2, TARGET_MAX_TOTAL);
	path = write_str(strbuf_str(&sb));
	if (target_list_load(path, &tl, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(tl.n, TARGET_MAX_TOTAL);
	target_list_free(&tl);

	strbuf_puts(&sb, "12.0.0.3,power\n");
	path = write_str(strbuf_str(&sb));
	assert_int_equal(target_list_load(path, &tl, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:21: address: '12.0.0.3' brings the "
	    "file to more than 1048576 targets, the limit", path);
	assert_string_equal(err, want);
	assert_null(tl.v);
	strbuf_free(&sb);
}

/*
 * A million one-address rows load in linear time: an O(n^2) duplicate
 * check would take hours here.
 */
static void
test_million_rows(void **state)
{
	struct target_list tl;
	char err[ERRLEN];
	char *buf;
	size_t cap = 24 * 1000000 + 64, len = 0;
	const char *path;
	int64_t t0, ms;
	unsigned i;

	(void)state;
	buf = malloc(cap);
	assert_non_null(buf);
	len += (size_t)snprintf(buf, cap, "address,sector\n");
	for (i = 0; i < 1000000; i++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "10.%u.%u.%u,telecom\n", i >> 16, (i >> 8) & 0xff,
		    i & 0xff);
	path = write_tmp(buf, len);
	free(buf);
	t0 = mono_ms();
	assert_int_equal(target_list_load(path, &tl, err, sizeof(err)), 0);
	ms = mono_ms() - t0;
	assert_int_equal(tl.n, 1000000);
	assert_string_equal(tl.v[999999].h.address, "10.15.66.63");
	/* Rows share their sector's name. */
	assert_ptr_equal(tl.v[0].h.sector, tl.v[999999].h.sector);
	/* Informative only: speed is measured by make bench, not asserted. */
	print_message("1000000 targets loaded in %lld ms\n", (long long)ms);
	target_list_free(&tl);
}

static void
add_profile(struct cred_set *cs, const char *name, enum cred_type type,
    unsigned line)
{
	struct cred_profile *p;

	cs->v = realloc(cs->v, (cs->n + 1) * sizeof(*cs->v));
	assert_non_null(cs->v);
	p = &cs->v[cs->n++];
	memset(p, 0, sizeof(*p));
	p->name = strdup(name);
	p->type = type;
	p->line = line;
}

static void
test_check_profiles(void **state)
{
	struct cred_set cs;
	struct target_list tl;
	char err[ERRLEN], want[ERRLEN];
	const char *path;

	(void)state;
	memset(&cs, 0, sizeof(cs));
	cs.path = "creds.ini";
	add_profile(&cs, "core-v3", CRED_SNMP, 1);
	add_profile(&cs, "office-v2c", CRED_SNMP, 9);
	add_profile(&cs, "fi-agents", CRED_AGENT, 14);

	assert_int_equal(target_list_load(DATA "good.csv", &tl, err,
	    sizeof(err)), 0);
	err[0] = '\0';
	assert_int_equal(target_check_profiles(&tl, &cs, err, sizeof(err)),
	    0);
	assert_string_equal(err, "");
	assert_int_equal(target_check_profiles(&tl, NULL, err, sizeof(err)),
	    -1);
	assert_string_equal(err, DATA "good.csv:2: snmp_profile 'core-v3': "
	    "no credentials file was given");
	target_list_free(&tl);

	path = write_str("address,sector,snmp_profile,agent_url,"
	    "agent_profile\n10.0.0.1,power,office-v2c,,\n"
	    "10.0.1.0/29,power,office-v2c;nosuch,,\n");
	assert_int_equal(target_list_load(path, &tl, err, sizeof(err)), 0);
	assert_int_equal(target_check_profiles(&tl, &cs, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s:3: snmp_profile 'nosuch': no such "
	    "profile in creds.ini", path);
	assert_string_equal(err, want);
	target_list_free(&tl);

	path = write_str("address,sector,snmp_profile\n"
	    "10.0.0.1,power,fi-agents\n");
	assert_int_equal(target_list_load(path, &tl, err, sizeof(err)), 0);
	assert_int_equal(target_check_profiles(&tl, &cs, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s:2: snmp_profile 'fi-agents' is an "
	    "agent profile in creds.ini (line 14)", path);
	assert_string_equal(err, want);
	target_list_free(&tl);

	path = write_str("address,sector,agent_url,agent_profile\n"
	    "10.0.0.1,power,http://10.0.0.1:62354,office-v2c\n");
	assert_int_equal(target_list_load(path, &tl, err, sizeof(err)), 0);
	assert_int_equal(target_check_profiles(&tl, &cs, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s:2: agent_profile 'office-v2c' is an "
	    "SNMP profile in creds.ini (line 9)", path);
	assert_string_equal(err, want);

	/* A list built by hand with agent_url but no profile. */
	tl.v[0].agent_profile = NULL;
	assert_int_equal(target_check_profiles(&tl, &cs, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s:2: agent_profile: needed with "
	    "agent_url", path);
	assert_string_equal(err, want);
	target_list_free(&tl);

	free(cs.v[0].name);
	free(cs.v[1].name);
	free(cs.v[2].name);
	free(cs.v);
}

/*
 * Sectors are data: a row's sector is a well-formed name when the file is
 * read, and one of the loaded profiles' names once checked.
 */
static void
test_sector_names(void **state)
{
	static const char *const names[] = {
		"healthcare", "localgov", "power", "telecom",
	};
	struct target_list tl;
	char path[256], want[ERRLEN], err[ERRLEN];

	(void)state;
	assert_true(target_sector_ok("LocalGov"));
	assert_true(target_sector_ok("water_2-north"));
	assert_false(target_sector_ok(""));
	assert_false(target_sector_ok("wa ter"));
	assert_false(target_sector_ok("wa/ter"));
	assert_false(target_sector_ok("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_false(target_sector_ok(NULL));

	snprintf(path, sizeof(path), DATA "bad-sector.csv");
	if (target_list_load(path, &tl, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	/* Stored in lower case whatever the file wrote. */
	assert_string_equal(tl.v[0].h.sector, "telecom");
	assert_int_equal(target_check_sectors(&tl, names, 4, err,
	    sizeof(err)), -1);
	read_expected("bad-sector", path, want, sizeof(want));
	assert_string_equal(err, want);
	/* With water among the profiles, the same file passes. */
	{
		static const char *const more[] = { "telecom", "water" };

		assert_int_equal(target_check_sectors(&tl, more, 2, err,
		    sizeof(err)), 0);
	}
	target_list_free(&tl);
}

static void
test_missing_file(void **state)
{
	struct target_list tl;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(target_list_load("/nonexistent/t.csv", &tl, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/t.csv: No such file or "
	    "directory");
	assert_null(tl.v);
}

/*
 * 2026-12-05: targets on one IP with different ports became one host
 * (issue 12).  The key is address and port, and locate recovers the IP.
 */
static void
test_hostport_key(void **state)
{
	struct target t;
	char buf[TARGET_HOSTPORT_MAX], host[ADDR_HOST_MAX];

	(void)state;
	memset(&t, 0, sizeof(t));
	t.h.address = (char *)"10.0.0.5";
	t.family = AF_INET;
	target_hostport(&t, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.5");
	t.port = 16300;
	target_hostport(&t, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.5:16300");
	addr_host_of(buf, host, sizeof(host));
	assert_string_equal(host, "10.0.0.5");
	t.h.address = (char *)"2001:db8::1";
	t.family = AF_INET6;
	target_hostport(&t, buf, sizeof(buf));
	assert_string_equal(buf, "[2001:db8::1]:16300");
	addr_host_of(buf, host, sizeof(host));
	assert_string_equal(host, "2001:db8::1");
	addr_host_of("2001:db8::1", host, sizeof(host));
	assert_string_equal(host, "2001:db8::1");
	addr_host_of("router.example.org:1161", host, sizeof(host));
	assert_string_equal(host, "router.example.org");
	addr_host_of("router.example.org", host, 7);
	assert_string_equal(host, "router");
}

/*
 * 2026-12-06: target_hostport() writes the key without snprintf(); for
 * every kind of address and port, and every buffer size down to none, it
 * must write what snprintf() wrote, truncation included.
 */
static void
test_hostport_as_snprintf(void **state)
{
	static struct {
		char		 addr[24];
		int		 family;
	} addrs[] = {
		{ "10.0.0.5", AF_INET }, { "2001:db8::1", AF_INET6 },
		{ "router.example.org", AF_UNSPEC }, { "::", AF_INET6 },
	};
	static const unsigned ports[] = { 0, 1, 9, 10, 161, 65535,
	    4294967295u };
	struct target t;
	char got[TARGET_HOSTPORT_MAX], want[TARGET_HOSTPORT_MAX];
	size_t i, k, len;

	(void)state;
	for (i = 0; i < NELEM(addrs); i++)
		for (k = 0; k < NELEM(ports); k++) {
			memset(&t, 0, sizeof(t));
			t.h.address = addrs[i].addr;
			t.family = addrs[i].family;
			t.port = ports[k];
			for (len = 0; len <= 40; len++) {
				memset(got, 'x', sizeof(got));
				memset(want, 'x', sizeof(want));
				target_hostport(&t, got, len);
				if (ports[k] == 0)
					str_copy(want, addrs[i].addr, len);
				else
					snprintf(want, len, t.family ==
					    AF_INET6 ? "[%s]:%u" : "%s:%u",
					    addrs[i].addr, ports[k]);
				assert_memory_equal(got, want, 41);
			}
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_crlf_bom_blank, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_jurisdiction, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_error_fixtures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parse_address, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostname_lengths, setup,
		    teardown),
		cmocka_unit_test(test_ipv4_as_inet_ntop),
		cmocka_unit_test_setup_teardown(test_cidr_counts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_shared_profiles, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_total_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_million_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_profiles, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sector_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostport_key, setup,
		    teardown),
		cmocka_unit_test(test_host_naming),
		cmocka_unit_test(test_hostport_as_snprintf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
