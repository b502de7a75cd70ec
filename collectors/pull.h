/*
 * pull: what the pulls from inventory servers (glpi.c, wazuh.c) share:
 * the options, the asset, sink and result types they hand to their
 * caller (run/import.c), how a server's coverage is kept, and their
 * blocking HTTP client.
 *
 * struct pull_http sends one request at a time through a multi handle
 * (the stop flag is seen within 100 ms), at most opts->rate requests a
 * second (pace.h, burst 1), each bounded by opts->timeout_ms and received
 * into a struct agent_resp (agent.h) capped at opts->max_body bytes, on
 * an easy handle set up by httpc.h (TLS always verified, the profile's
 * ca_file and pinned key, no proxy, no redirects).  It counts the
 * requests it sends.
 */
#ifndef BANAUDIT_PULL_H
#define BANAUDIT_PULL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "agent.h"
#include "cred.h"
#include "obs.h"
#include "pace.h"
#include "util.h"

/*
 * Answers without a network, for tests and the fuzz harness: called for
 * each request instead of libcurl (no rate, no TLS); sets *code and the
 * body (borrowed until the next call).  Returns 0, or -1 for "no answer"
 * (the request fails as a connection would).
 */
struct pull_fake {
	void	*arg;
	int	(*answer)(void *arg, const char *url, int post, long *code,
		    const char **body, size_t *len);
};

/* How a pull may load a server; 0 fields take the defaults. */
struct pull_opts {
	unsigned	 rate;		/* requests per second; 0 = 5 */
	unsigned	 timeout_ms;	/* per request; 0 = 30000 */
	unsigned	 connect_ms;	/* 0 = 10000 */
	size_t		 max_body;	/* per answer; 0 = 32 MiB */
	size_t		 max_items;	/* items per listing; 0 = 100000 */
	unsigned	 page;		/* items per page; 0 = 100 */
	unsigned	 stale_days;	/* older inventories are stale; 0 =
					   never */
	int64_t		 now;		/* unix time, for staleness */
	volatile sig_atomic_t *stop;	/* may be NULL */
	const struct pull_fake *fake;	/* NULL but in tests */
};

/* Fills in the defaults of the fields left 0. */
void	 pull_opts_defaults(struct pull_opts *);

/* One asset a server knows, before its observations.  Borrowed. */
struct pull_asset {
	const char	*itemtype;	/* "Computer", "agent" ... */
	long		 id;
	const char	*name;		/* or NULL */
	const char	*uuid;		/* usable, or NULL */
	const char	*serial;	/* usable, or NULL */
	const char	*address;	/* a usable IP address, or NULL */
	const char	*mac;		/* aa:bb:cc:dd:ee:ff, or NULL */
	/* ok, partial (stale), or why the asset was not assessed */
	enum cov_status	 status;
	/* "GLPI Computer 12 (https://h/front/computer.form.php?id=12); last
	   inventory 2025-01-02 10:00:00" (": stale (older than N days)") */
	const char	*coverage;
};

struct pull_sink {
	void	*arg;
	int	(*asset)(void *arg, const struct pull_asset *);
	int	(*observe)(void *arg, const struct observation *);
};

/*
 * Hands the sink one text observation; an empty or NULL value is none.
 * Returns 0, or -1 when the sink failed.
 */
int	 pull_observe(const struct pull_sink *, enum obs_kind, const char *item,
	    const char *attr, const char *value, const char *source);

/* How the server went: the coverage of the server itself. */
struct pull_result {
	enum cov_status	 status;	/* ok, partial, auth_failed, ... */
	char		 detail[1024];
	size_t		 assets;
	size_t		 requests;
};

/*
 * Records what went wrong with a server: the first failure wins, and one
 * that stops the pull (anything but partial) wins over a partial.
 */
void	 pull_status(struct pull_result *, enum cov_status, const char *fmt,
	    ...) PRINTF_LIKE(3, 4);
/*
 * The server's detail once the pull is over: "read COUNTS in N requests",
 * after what went wrong if anything did; a pull that stopped on trouble
 * after reading assets is partial.
 */
void	 pull_finish(struct pull_result *, const char *counts);

enum pull_reply {
	PULL_OK,	/* a 2xx answer in c->resp */
	PULL_HTTP,	/* another status, in c->code */
	PULL_FAIL	/* no answer: c->fail and c->why say why */
};

struct pull_http {
	CURL			*easy;
	CURLM			*multi;
	struct agent_resp	 resp;
	struct pace		 pace;
	char			 curlerr[CURL_ERROR_SIZE];
	struct pull_opts	 o;
	long			 code;
	size_t			 requests;
	enum cov_status		 fail;
	char			 why[512];
};

/*
 * Opens a client for the server of profile p with the (defaulted) opts.
 * Returns 0, or -1 when libcurl cannot be set up; close it either way.
 */
int	 pull_http_open(struct pull_http *, const struct cred_profile *p,
	    const struct pull_opts *);
/*
 * One request to url: a GET, or a POST without a body when post is set;
 * with the headers h (may be NULL) and, when user is not NULL, HTTP Basic
 * authentication (neither is kept after the request).  what names the
 * request in c->why (never the URL's secrets: the URL holds none).
 * Waits for its turn of the rate first.
 */
enum pull_reply pull_http_request(struct pull_http *, const char *url,
	    const char *what, struct curl_slist *h, int post,
	    const char *user, const char *pass);
/* Frees what the client holds; accepts one pull_http_open() failed on. */
void	 pull_http_close(struct pull_http *);

/*
 * Appends "name: value" to h (value NULL: h unchanged), the line wiped
 * from the stack after libcurl copied it; sets *failed on error.
 */
struct curl_slist *pull_header(struct curl_slist *h, const char *name,
	    const char *value, int *failed);

#endif /* BANAUDIT_PULL_H */
