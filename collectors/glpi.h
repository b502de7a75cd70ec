/*
 * glpi: pulls what a GLPI server already knows through its REST API
 * (apirest.php, GLPI 9.5 and 10): a session from the profile's user token
 * (and app token), then, paged with "range", every Computer,
 * NetworkEquipment, Printer and Phone, each read with its network ports
 * (TYPE/ID?with_networkports=true; a computer with_softwares=true too),
 * and each computer's antivirus entries (Computer/ID/ComputerAntivirus,
 * or ItemAntivirus since GLPI 10.1: the first the server knows is kept);
 * killSession at the end.  Each asset becomes one host for the caller
 * (run/import.c), identified by its UUID, serial, the MAC of the port
 * holding its first usable address (else of its first port), that
 * address and its name, with the observations an agent inventory or SNMP
 * scan makes of the same thing:
 *
 *   kind       item   attr          from (expand_dropdowns=true)
 *   system     ""     name, serial, uuid, os (operatingsystems_id),
 *                     os_version (operatingsystemversions_id),
 *                     manufacturer, model (computers)
 *   entity     "info" mfg (manufacturers_id), model (*models_id), serial
 *                     (network equipment, printers, phones)
 *   software   N      name (softwares_id), version (softwareversions_id)
 *   netif      N      descr (name), mac, ip (NetworkName.IPAddress)
 *                     a computer's ports, as an agent's NETWORKS
 *   interface  N      ifname (name), mac (6 octets): other assets' ports
 *              "self" mac: a printer's or phone's own MAC, for locate
 *   antivirus  N      name, company (manufacturers_id), version
 *                     (antivirus_version), base_version
 *                     (signature_version), base_date, enabled
 *                     (is_active), uptodate (is_uptodate), expiration
 *                     (date_expiration)
 *
 * Sources name the item ("glpi Computer/12 _softwares[3].softwares_id");
 * the asset's GLPI id and its form URL are in its coverage text.
 *
 * The options, the asset and the result are pull.h's (what the pulls
 * share).  Load and safety, as the agent collector (pull.h): requests
 * one at a time, at most opts->rate a second; connect and per-request
 * timeouts; every answer capped at opts->max_body bytes (agent_resp);
 * at most opts->max_items assets per item type, a page longer than asked
 * read only up to the page size; the pull stops once the server fails
 * (anything but a partial answer); TLS always verified (the profile's
 * ca_file or pinned key); no proxy, no redirects.  The tokens are sent in
 * headers only, never put in a URL, message, coverage text or log.
 */
#ifndef BANAUDIT_GLPI_H
#define BANAUDIT_GLPI_H

#include "cred.h"
#include "pull.h"

/*
 * Pulls from the server of profile p (type CRED_SERVER, SERVER_GLPI).
 * What the server did -- refused the token, answered slowly, too much --
 * is in res (status and detail), not an error: returns 0.  Returns -1
 * with a message only when a sink callback failed or memory ran out.
 */
int	 glpi_pull(const struct cred_profile *p, const struct pull_opts *,
	    const struct pull_sink *, struct pull_result *res, char *err,
	    size_t errlen);

#endif /* BANAUDIT_GLPI_H */
