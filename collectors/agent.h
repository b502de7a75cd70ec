/*
 * agent: the HTTP(S) inventory-agent collector (agent_collector, declared
 * in collector.h).  It pulls FusionInventory 2.x / GLPI Agent inventories
 * with the agents' own protocol -- GET <base>/session with X-Request-ID,
 * answer X-Auth-Nonce; GET <base>/get with X-Auth-Payload =
 * base64(SHA-256(nonce "++" token)) without '=' padding -- through the
 * libcurl multi interface, and feeds the XML to inventory_xml_parse().
 *
 * agent.c is the engine (scheduling, rate, timeouts, verdicts); this
 * header is the protocol half in agent_proto.c -- the payload, the URLs
 * and the bounded receiving of one answer -- which needs no network and is
 * unit-tested on its own.
 */
#ifndef BANAUDIT_AGENT_H
#define BANAUDIT_AGENT_H

#include <stddef.h>

#include <zlib.h>

/* Bytes of an X-Auth-Payload, NUL included (43 base64 characters). */
#define AGENT_PAYLOAD_LEN	44

#define AGENT_HEADER_CAP	(64u << 10)	/* headers of one answer */
#define AGENT_NONCE_MAX		128
#define AGENT_CTYPE_MAX		128

/*
 * Computes the X-Auth-Payload for nonce and token into out (at least
 * AGENT_PAYLOAD_LEN bytes).  Returns 0, or -1 when OpenSSL fails.  The
 * token is read, never copied; out is derived from a secret: wipe it.
 */
int	 agent_auth_payload(const char *nonce, const char *token, char *out,
	    size_t outlen);

/*
 * "http://h:62354" -> "http://h:62354/inventory/session" and ".../get".
 * A URL with a path names the agent plugin's url_path itself.  Refuses
 * other schemes and URLs with credentials, a query or a fragment (the
 * message never repeats the URL).  Returns 0 and two strings the caller
 * frees, or -1 with a message.
 */
int	 agent_urls(const char *url, char **session, char **get, char *err,
	    size_t errlen);

enum agent_fault {
	AGENT_FAULT_NONE,
	AGENT_FAULT_TOO_LARGE,		/* more than cap bytes sent */
	AGENT_FAULT_INFLATED_TOO_LARGE,	/* more than cap once inflated */
	AGENT_FAULT_HEADERS_TOO_LARGE,	/* more than AGENT_HEADER_CAP */
	AGENT_FAULT_CORRUPT,		/* bad zlib or gzip data */
	AGENT_FAULT_NOMEM
};

/*
 * One answer being received: libcurl's header and write callbacks fill it
 * (pass the struct as HEADERDATA and WRITEDATA; both stay set for the
 * handle's life).  At most cap bytes cross the wire and at most cap bytes
 * are kept after inflating, with or without a Content-Length.  A callback
 * that refuses data sets fault and makes libcurl fail with
 * CURLE_WRITE_ERROR.
 */
struct agent_resp {
	size_t		 cap;
	int		 may_inflate;	/* honour x-compress-* */

	/* X-Auth-Nonce and Content-Type of the answer. */
	char		 nonce[AGENT_NONCE_MAX + 1];
	int		 nonce_bad;	/* present but not base64 */
	char		 ctype[AGENT_CTYPE_MAX + 1];
	size_t		 hdr_bytes;
	size_t		 raw_bytes;	/* body bytes received */

	char		*body;		/* owned; no NUL */
	size_t		 len;
	size_t		 size;
	int		 compressed;	/* -1: not known yet */
	int		 zinit;
	int		 zend;		/* the stream ended */
	z_stream	 z;
	enum agent_fault fault;
};

/* Empties r for a new answer, keeping its buffer. */
void	 agent_resp_reset(struct agent_resp *r, size_t cap,
	    int may_inflate);
/* Frees what r holds (and wipes the nonce). */
void	 agent_resp_free(struct agent_resp *r);
/* CURLOPT_HEADERFUNCTION and CURLOPT_WRITEFUNCTION for a struct agent_resp. */
size_t	 agent_resp_header(char *line, size_t size, size_t n, void *r);
size_t	 agent_resp_write(char *data, size_t size, size_t n, void *r);

#endif
