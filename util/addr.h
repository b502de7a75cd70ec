/*
 * addr: network addresses as people write them in targets.csv -- IPv4 and
 * IPv6 literals, host names, ports, CIDR ranges -- and the inventory
 * agents' http(s) URLs: checked, canonicalised and, for a range, counted
 * and enumerated.  Nothing is resolved: a host name is checked for RFC 1123
 * syntax only.  target.c owns what a row means and its limits; target.h
 * lists the forms users may write.
 *
 * Messages never hold more than STR_QUOTE_MAX characters of the input,
 * control characters shown as '?', and never a URL's user information.
 */
#ifndef BANAUDIT_ADDR_H
#define BANAUDIT_ADDR_H

#include <stddef.h>
#include <stdint.h>

/* Size of the host buffer addr_parse() needs. */
#define ADDR_HOST_MAX		256

/*
 * Splits and checks one address in any of the forms of target.h.  host
 * (at least ADDR_HOST_MAX bytes) receives the canonical IP literal or the
 * lower-cased hostname, without brackets, prefix or port; *port is 0 when
 * absent; *prefix is -1 when there is no "/len"; *family is AF_INET,
 * AF_INET6 or AF_UNSPEC (hostname).  Host bits are not checked here.
 * Returns 0, or -1 with a message (quoting s) in err.
 */
int	 addr_parse(const char *s, char *host, size_t hostlen,
	    unsigned *port, int *prefix, int *family, char *err,
	    size_t errlen);

/*
 * The host part of a target key as target_hostport() writes it: "h:port"
 * -> "h", "[v6]:port" and "[v6]" -> "v6"; anything else (a bare IPv6
 * address, a name without port) is copied unchanged.  Truncated to len.
 */
void	 addr_host_of(const char *key, char *buf, size_t len);

/* RFC 1123 host name syntax (labels of letters, digits and '-'). */
int	 addr_hostname_ok(const char *);

/*
 * An IP literal that can name this one machine: IPv4 unicast other than
 * 0/8, loopback and link-local; IPv6 global unicast (2000::/3).  Used to
 * pick an inventory's address for a host.
 */
int	 addr_names_one_host(const char *ip);
/*
 * An interface name that many machines share and that names none of them
 * (docker*, br-*, virbr*, veth*, lo, tun*, ...; case ignored); 0 for NULL.
 */
int	 addr_netif_shared(const char *name);

/*
 * The addresses of a CIDR range.  IPv4 ranges wider than /31 leave out
 * their network and broadcast addresses; /31, /32 and IPv6 ranges keep
 * them all.
 */
struct addr_range {
	int		 family;	/* AF_INET or AF_INET6 */
	int		 hostbits;	/* address bits after the prefix */
	uint64_t	 count;		/* addresses; 0 when hostbits > 32 */
	uint32_t	 first4;	/* private: the first IPv4 address */
	unsigned char	 net6[16];	/* private: the IPv6 network */
};

/*
 * Sets up r for the network address bin (4 or 16 bytes in network order,
 * as inet_pton() writes them) of family with prefix.  Returns 0, or -1
 * with "has host bits set (the network is NET/PREFIX)" in err.
 */
int	 addr_range_init(struct addr_range *r, int family,
	    const unsigned char *bin, int prefix, char *err, size_t errlen);

/* The i-th address of r (i < r->count) as text, into buf. */
void	 addr_range_get(const struct addr_range *r, uint64_t i, char *buf,
	    size_t len);

/*
 * Checks an inventory agent's URL: http:// or https://, a host (an IP
 * literal or a valid host name), an optional port in 1..65535 and path; no
 * user name or password, query or fragment.  Returns 0, or -1 with a
 * message in err (the URL quoted with any user information as "***").
 */
int	 addr_check_url(const char *url, char *err, size_t errlen);

#endif /* BANAUDIT_ADDR_H */
