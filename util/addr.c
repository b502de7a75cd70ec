/*
 * addr: address fields and agent URLs.  Literals are read and written
 * back by inet_pton()/inet_ntop(), so an address has one spelling; a
 * range is counted before it is enumerated, so that its caller can refuse
 * a large one before any address is made.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "addr.h"
#include "util.h"

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

int
addr_hostname_ok(const char *s)
{
	const char *label = s, *p;
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return 0;
	for (p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			size_t len = (size_t)(p - label);

			if (len == 0 || len > 63 || label[0] == '-' ||
			    label[len - 1] == '-')
				return 0;
			/* An all-numeric last label would read as an IPv4. */
			if (*p == '\0' && all_digits(label, len))
				return 0;
			if (*p == '\0')
				return 1;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	}
}

/*
 * An IPv4 address as inet_ntop() writes it ("192.0.2.1"), without its
 * stdio: a targets file of a million rows calls it a million times.
 * Returns -1 when len is too small.
 */
static int
ipv4_text(const unsigned char *b, char *out, size_t len)
{
	char t[16];
	size_t o = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = b[i];

		if (i > 0)
			t[o++] = '.';
		if (v >= 100)
			t[o++] = (char)('0' + v / 100);
		if (v >= 10)
			t[o++] = (char)('0' + v / 10 % 10);
		t[o++] = (char)('0' + v % 10);
	}
	if (o >= len)
		return -1;
	memcpy(out, t, o);
	out[o] = '\0';
	return 0;
}

/* The address as a message quotes it: made only for a message. */
#define QUOTED	str_quote(s, q, sizeof(q))

int
addr_parse(const char *s, char *host, size_t hostlen,
    unsigned *port, int *prefix, int *family, char *err, size_t errlen)
{
	char buf[ADDR_HOST_MAX + 16], q[STR_QUOTE_MAX + 8];
	unsigned char bin[sizeof(struct in6_addr)];
	char *addr, *slash, *portstr = NULL, *colon;
	int bracketed = 0;
	long v;
	size_t i, n = strlen(s);

	*port = 0;
	*prefix = -1;
	*family = AF_UNSPEC;
	if (hostlen > 0)
		host[0] = '\0';
	if (n == 0)
		return errf(err, errlen, "empty");
	if (n >= sizeof(buf))
		return errf(err, errlen, "'%s' is longer than %zu characters",
		    QUOTED, sizeof(buf) - 1);
	memcpy(buf, s, n + 1);
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');

		if (close == NULL)
			return errf(err, errlen, "'%s': '[' without ']'",
			    QUOTED);
		*close = '\0';
		addr = buf + 1;
		if (close[1] == ':')
			portstr = close + 2;
		else if (close[1] != '\0')
			return errf(err, errlen, "'%s': only ':port' may "
			    "follow ']'", QUOTED);
		bracketed = 1;
	} else {
		addr = buf;
		colon = strchr(buf, ':');
		/* One colon separates a port; more make a bare IPv6. */
		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			*colon = '\0';
			portstr = colon + 1;
		}
	}
	if (portstr != NULL) {
		if (parse_digits(portstr, 1, 65535, &v) != 0)
			return errf(err, errlen, "'%s': port must be a number "
			    "in 1..65535", QUOTED);
		*port = (unsigned)v;
	}
	slash = strchr(addr, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (parse_digits(slash + 1, 0, 128, &v) != 0)
			return errf(err, errlen, "'%s': prefix length must be "
			    "a number", QUOTED);
		*prefix = (int)v;
	}
	if (strchr(addr, '%') != NULL)
		return errf(err, errlen, "'%s': IPv6 zone indexes are not "
		    "supported", QUOTED);
	if (inet_pton(AF_INET, addr, bin) == 1) {
		if (bracketed)
			return errf(err, errlen, "'%s': brackets are only for "
			    "IPv6 addresses", QUOTED);
		if (*prefix > 32)
			return errf(err, errlen, "'%s': an IPv4 prefix length "
			    "must be in 0..32", QUOTED);
		*family = AF_INET;
	} else if (inet_pton(AF_INET6, addr, bin) == 1) {
		*family = AF_INET6;
	} else if (bracketed || strchr(addr, ':') != NULL) {
		return errf(err, errlen, "'%s' is not a valid IPv6 address%s",
		    QUOTED, bracketed || portstr != NULL ? "" :
		    " (write a port as [v6]:port)");
	} else if (!addr_hostname_ok(addr)) {
		if (strspn(addr, "0123456789.") == strlen(addr))
			return errf(err, errlen, "'%s' is not a valid IPv4 "
			    "address", QUOTED);
		return errf(err, errlen, "'%s' is not a valid IP address or "
		    "host name", QUOTED);
	} else if (*prefix >= 0) {
		return errf(err, errlen, "'%s': a prefix length needs an IP "
		    "address, not a host name", QUOTED);
	}
	if (*family == AF_UNSPEC) {
		if (strlen(addr) >= hostlen)
			return errf(err, errlen, "'%s': host buffer too small",
			    QUOTED);
		for (i = 0; addr[i] != '\0'; i++)
			host[i] = (char)tolower((unsigned char)addr[i]);
		host[i] = '\0';
	} else if (*family == AF_INET ? ipv4_text(bin, host, hostlen) != 0 :
	    inet_ntop(*family, bin, host, (socklen_t)hostlen) == NULL)
		return errf(err, errlen, "'%s': host buffer too small", QUOTED);
	return 0;
}

#undef QUOTED

int
addr_range_init(struct addr_range *r, int family, const unsigned char *bin,
    int prefix, char *err, size_t errlen)
{
	char text[INET6_ADDRSTRLEN];

	memset(r, 0, sizeof(*r));
	r->family = family;
	if (family == AF_INET) {
		uint32_t a = (uint32_t)bin[0] << 24 | (uint32_t)bin[1] << 16 |
		    (uint32_t)bin[2] << 8 | bin[3];
		uint32_t mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);

		if ((a & ~mask) != 0) {
			struct in_addr net;

			net.s_addr = htonl(a & mask);
			inet_ntop(AF_INET, &net, text, sizeof(text));
			return errf(err, errlen, "has host bits set (the "
			    "network is %s/%d)", text, prefix);
		}
		r->hostbits = 32 - prefix;
		r->count = (uint64_t)1 << (32 - prefix);
		r->first4 = a;
		if (prefix < 31) {
			/* Skip the network and broadcast addresses. */
			r->first4++;
			r->count -= 2;
		}
	} else {
		int hostbits = 128 - prefix, b;

		for (b = 0; b < hostbits; b++) {
			if (bin[15 - b / 8] & (1u << (b % 8))) {
				struct in6_addr net;
				int k;

				memcpy(&net, bin, sizeof(net));
				for (k = 0; k < hostbits; k++)
					net.s6_addr[15 - k / 8] &=
					    (unsigned char)~(1u << (k % 8));
				inet_ntop(AF_INET6, &net, text, sizeof(text));
				return errf(err, errlen, "has host bits set "
				    "(the network is %s/%d)", text, prefix);
			}
		}
		r->hostbits = hostbits;
		if (hostbits <= 32)
			r->count = (uint64_t)1 << hostbits;
		memcpy(r->net6, bin, sizeof(r->net6));
	}
	return 0;
}

void
addr_range_get(const struct addr_range *r, uint64_t i, char *buf,
    size_t len)
{
	unsigned char bin[16];

	if (r->family == AF_INET) {
		uint32_t a = (uint32_t)(r->first4 + i);

		bin[0] = (unsigned char)(a >> 24);
		bin[1] = (unsigned char)(a >> 16);
		bin[2] = (unsigned char)(a >> 8);
		bin[3] = (unsigned char)a;
	} else {
		/* The host bits of net6 are zero and i < 2^32. */
		memcpy(bin, r->net6, sizeof(bin));
		bin[15] |= (unsigned char)(i & 0xff);
		bin[14] |= (unsigned char)((i >> 8) & 0xff);
		bin[13] |= (unsigned char)((i >> 16) & 0xff);
		bin[12] |= (unsigned char)((i >> 24) & 0xff);
	}
	inet_ntop(r->family, bin, buf, (socklen_t)len);
}

/*
 * Quotes a URL for a message with any user information (which may hold a
 * password) shown as "***".
 */
static void
quote_url(const char *s, char *buf, size_t len)
{
	const char *sep = strstr(s, "://"), *at = strrchr(s, '@');
	char tmp[STR_QUOTE_MAX + 32];
	size_t n;

	if (at == NULL) {
		str_quote(s, buf, len);
		return;
	}
	n = sep != NULL && sep < at ? (size_t)(sep + 3 - s) : 0;
	if (n == 0 || n > 16) {
		str_copy(buf, "***", len);
		return;
	}
	memcpy(tmp, s, n);
	memcpy(tmp + n, "***", 3);
	str_copy(tmp + n + 3, at, sizeof(tmp) - n - 3);
	str_quote(tmp, buf, len);
}

/* libcurl's URL parser, plus our own host and port rules. */
int
addr_check_url(const char *s, char *err, size_t errlen)
{
	CURLU *u = NULL;
	CURLUcode uc;
	char *scheme = NULL, *host = NULL, *port = NULL, *part = NULL;
	char q[STR_QUOTE_MAX + 8];
	unsigned char bin[sizeof(struct in6_addr)];
	long v;
	int rc = -1;

	quote_url(s, q, sizeof(q));
	/* curl reads "http:///x" as http://x/; we want the host first. */
	if (strncasecmp(s, "http://", 7) != 0 &&
	    strncasecmp(s, "https://", 8) != 0) {
		errf(err, errlen, "'%s' must start with http:// or https://",
		    q);
		goto out;
	}
	u = curl_url();
	if (u == NULL) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	uc = curl_url_set(u, CURLUPART_URL, s, 0);
	if (uc == CURLUE_BAD_PORT_NUMBER) {
		errf(err, errlen, "'%s': port must be in 1..65535", q);
		goto out;
	}
	if (uc != CURLUE_OK) {
		errf(err, errlen, "'%s': %s", q, curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		errf(err, errlen, "'%s' must start with http:// or https://",
		    q);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK) {
		errf(err, errlen, "must not contain a user name or password "
		    "(put secrets in the credentials file)");
		goto out;
	}
	if (s[strlen(scheme) + 3] == '/' ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		errf(err, errlen, "'%s' has no host", q);
		goto out;
	}
	if (host[0] == '[') {
		size_t n = strlen(host);

		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, bin) != 1) {
			errf(err, errlen, "'%s': bad IPv6 host", q);
			goto out;
		}
	} else if (inet_pton(AF_INET, host, bin) != 1 &&
	    !addr_hostname_ok(host)) {
		errf(err, errlen, "'%s': host is not a valid IP address or "
		    "host name", q);
		goto out;
	}
	uc = curl_url_get(u, CURLUPART_PORT, &port, 0);
	if (uc == CURLUE_OK && parse_digits(port, 1, 65535, &v) != 0) {
		errf(err, errlen, "'%s': port must be in 1..65535", q);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK) {
		errf(err, errlen, "'%s': a query or fragment is not allowed",
		    q);
		goto out;
	}
	rc = 0;
out:
	curl_free(part);
	curl_free(port);
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	return rc;
}

void
addr_host_of(const char *key, char *buf, size_t len)
{
	const char *colon, *end;
	size_t n;

	if (len == 0)
		return;
	colon = strchr(key, ':');
	end = key[0] == '[' ? strchr(key, ']') : NULL;
	if (end != NULL) {
		key++;
		n = (size_t)(end - key);
	} else if (colon != NULL && strchr(colon + 1, ':') == NULL)
		n = (size_t)(colon - key);
	else
		n = strlen(key);
	if (n >= len)
		n = len - 1;
	memcpy(buf, key, n);
	buf[n] = '\0';
}

int
addr_names_one_host(const char *s)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, s, a) == 1)
		return a[0] != 0 && a[0] != 127 && a[0] < 224 &&
		    !(a[0] == 169 && a[1] == 254);
	if (inet_pton(AF_INET6, s, a) == 1)
		return (a[0] & 0xE0) == 0x20;	/* global unicast 2000::/3 */
	return 0;
}

int
addr_netif_shared(const char *name)
{
	static const char *const prefixes[] = {
		"docker", "br-", "virbr", "veth", "vmnet", "vboxnet", "lo",
		"loopback", "tun", "tap", "cni", "flannel", "cali", "kube",
	};
	size_t i;

	if (name == NULL)
		return 0;
	for (i = 0; i < NELEM(prefixes); i++)
		if (strncasecmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}
