/*
 * wazuh: pulls what a Wazuh manager already knows of its agents through
 * the Wazuh server API (4.x, port 55000): a JWT from POST
 * /security/user/authenticate with HTTP Basic (the profile's username and
 * password; once more when the server answers 401, since the tokens are
 * short-lived), then, paged with offset and limit, GET /agents and, for
 * each active agent, its system inventory (syscollector): /os, /hardware,
 * /netiface, /netaddr, /packages and /processes.  Each agent becomes one
 * host for the caller (run/import.c), identified by its MAC address and
 * IP address (so that it joins the same machine seen over SNMP or its
 * inventory agent), with the observations an agent inventory makes:
 *
 *   kind       item     attr            from
 *   system     ""       name            agents: name
 *                       os, os_version  os: os.name, os.version
 *                       agent_version   agents: version
 *   entity     "board"  serial          hardware: board_serial
 *   netif      N        descr, mac, ip  netiface: name, mac; netaddr:
 *                                       the interface's first address
 *   software   N        name, version, publisher (vendor), arch
 *                       (architecture), type (format), date
 *                       (install_time)                        packages
 *   process    N        name, path (cmd), user (euser)        processes
 *
 * A process's arguments (argvs) are never read.  Sources name the agent
 * and row ("wazuh agent/001 packages[3].name"); the agent's id and API URL
 * and its last inventory (scan time) are in its coverage text.
 *
 * Coverage: an agent that is disconnected, never connected or pending is
 * a host "not assessed" (unreachable, with its last keep-alive); an
 * active agent whose syscollector holds no OS and no hardware row is not
 * assessed either (no_such_table: never inventoried); an inventory older
 * than opts->stale_days is partial, "stale".  The server's own coverage
 * says how the pull went (ok, partial with the counts read, auth_failed,
 * tls_failed, timeout, rate_limited, error).
 *
 * Load and safety as the GLPI pull (pull.h): one request at a time, at
 * most opts->rate a second, per-request timeout, every answer capped at
 * opts->max_body bytes, at most opts->max_items rows per listing (agents,
 * and each agent's packages, processes, interfaces), a page holding more
 * than asked read only up to the page size; TLS always verified; no
 * proxy, no redirects.  The password goes to libcurl for the Basic header
 * only; the token is sent in a header only; neither is put in a URL,
 * message, coverage text or log.  An agent id is used in a URL only when
 * it is 1 to 8 digits.
 */
#ifndef BANAUDIT_WAZUH_H
#define BANAUDIT_WAZUH_H

#include <jansson.h>

#include "cred.h"
#include "pull.h"

/*
 * Pulls from the server of profile p (type CRED_SERVER, SERVER_WAZUH).
 * What the server did is in res (status and detail), not an error:
 * returns 0.  Returns -1 with a message only when a sink callback failed
 * or memory ran out.
 */
int	 wazuh_pull(const struct cred_profile *p, const struct pull_opts *,
	    const struct pull_sink *, struct pull_result *res, char *err,
	    size_t errlen);

/*
 * The rows of one Wazuh API answer: its data.affected_items array
 * (borrowed from root), or NULL when root is no Wazuh answer.  *total is
 * data.total_affected_items, or (size_t)-1 when absent.  For the parser
 * fuzz harness and the pull alike.
 */
json_t	*wazuh_items(json_t *root, size_t *total);

#endif /* BANAUDIT_WAZUH_H */
