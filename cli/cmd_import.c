/*
 * cmd_import: "banaudit import FILE..." -- options, the rule pack, sector
 * profiles and every file loaded and checked before the database is
 * opened, then one run of kind import (import.h) and its summary.
 */
#include <string.h>

#include <time.h>

#include <curl/curl.h>

#include "cli.h"
#include "cred.h"
#include "pull.h"
#include "import.h"
#include "inventory.h"
#include "juris.h"
#include "log.h"
#include "rules.h"
#include "sector.h"
#include "store.h"
#include "util.h"

static const char import_synopsis[] =
"usage: banaudit import [options] FILE...\n"
"\n"
"Records inventories other tools collected as a run of their own and\n"
"matches the rule pack.  Every file is checked before the database is\n"
"opened; one bad file and nothing is stored.\n"
"\n"
"Formats (found from the content): FusionInventory / GLPI Agent XML\n"
"(.xml, .ocs), GLPI inventory JSON, CSV software exports (generic: host,\n"
"name, version, publisher; GLPI; Intune discovered apps), and network\n"
"inventories: NETDISCOVERY and SNMPQUERY XML, GLPI netdiscovery and\n"
"netinventory JSON (each device a host; the devices learned on switch\n"
"ports and LLDP/CDP neighbours are found and located as a scan does).\n"
"\n";

static const struct cli_cmd import_cmd = { "import", import_synopsis, NULL,
    -1 };

/* --format xml|json|csv into an enum import_format. */
static int
parse_format(const char *v, void *dst, char *err, size_t errlen)
{
	if (import_format_from_name(v, dst) != 0)
		return errf(err, errlen, "unknown format '%s' (xml, json, "
		    "csv)", v);
	return 0;
}

/* The --pull profiles, in order; the names are borrowed from argv. */
struct pull_list {
	const char	*v[16];
	size_t		 n;
};

static int
parse_pull(const char *v, void *dst, char *err, size_t errlen)
{
	struct pull_list *pl = dst;

	if (pl->n == NELEM(pl->v))
		return errf(err, errlen, "at most %zu servers", NELEM(pl->v));
	pl->v[pl->n++] = v;
	return 0;
}

int
cmd_import(int argc, char *argv[])
{
	const char *db = DEFAULT_DB, *rulesdir = NULL, *sectorsdir = NULL;
	const char *ouifile = NULL, *credfile = NULL;
	struct pull_list pulls;
	struct cred_set creds;
	struct pull_opts go;
	size_t k;
	int curl_up = 0;
	struct oui_registry *oui = NULL;
	struct sector_set sectors;
	struct import_set set = IMPORT_SET_INIT;
	struct import_defaults defs;
	struct import_opts io;
	struct import_result res;
	struct rule_pack *pack = NULL;
	struct store *st = NULL;
	enum import_format fmt = IMPORT_AUTO;
	char err[ERRLEN], juris[JURIS_LEN] = "";
	int quiet = 0, rc = EXIT_USAGE, i, group = 0, criticality = 0;
	/* The options, in --help's order: what each takes and stores. */
	const struct cli_opt opts[] = {
		{ 'd', "db", "FILE", CLI_STR, &db, 0, 0, NULL, "database",
		    NULL },
		{ 's', "sector", "NAME", CLI_STR, &defs.h.sector, 0, 0, NULL,
		    "sector of hosts the files do not place", NULL },
		{ 0, "site", "NAME", CLI_STR, &defs.h.site, 0, 0, NULL,
		    "site of hosts the files do not place", NULL },
		{ 0, "owner", "NAME", CLI_STR, &defs.h.owner, 0, 0, NULL,
		    "owner of hosts the files do not place", NULL },
		{ 0, "jurisdiction", "CODE", CLI_FN, juris, 0, 0,
		    cli_parse_juris, "where hosts the files do not place "
		    "are: US-TX\n(a state), US (federal law only)",
		    "the sector profile's, else none" },
		{ 0, "criticality", "N", CLI_INT, &criticality, 1, 5, NULL,
		    "1..5 for hosts the files do not place", "3" },
		{ 'f', "format", "F", CLI_FN, &fmt, 0, 0, parse_format,
		    "xml, json or csv: do not guess",
		    "found from the content" },
		{ 'r', "rules", "DIR", CLI_STR, &rulesdir, 0, 0, NULL,
		    "rule pack", "the installed one" },
		{ 0, "sectors", "DIR", CLI_STR, &sectorsdir, 0, 0, NULL,
		    "sector profiles", "the installed ones" },
		{ 0, "credentials", "FILE", CLI_STR, &credfile, 0, 0, NULL,
		    "profiles of the inventory servers to pull from", NULL },
		{ 0, "pull", "PROFILE", CLI_FN, &pulls, 0, 0, parse_pull,
		    "pull from that inventory server (server_type\n"
		    "glpi or wazuh in the credentials file);\n"
		    "repeatable; FILE then optional",
		    NULL },
		{ 0, "stale-days", "N", CLI_UINT, &go.stale_days, 0, 36500,
		    NULL, "a pulled asset whose last inventory is older is\n"
		    "stale, said in its coverage (0 off)", NULL },
		{ 0, "pull-rate", "N", CLI_UINT, &go.rate, 1, 1000, NULL,
		    "requests per second to a server", NULL },
		{ 0, "timeout", "MS", CLI_UINT, &go.timeout_ms, 100, 3600000,
		    NULL, "per request to a server", NULL },
		{ 0, "max-items", "N", CLI_SIZE, &go.max_items, 1, 10000000,
		    NULL, "rows read per listing: assets per GLPI item\n"
		    "type, Wazuh agents, and each agent's packages\n"
		    "and processes", NULL },
		{ 0, "oui", "FILE", CLI_STR, &ouifile, 0, 0, NULL,
		    "a newer IEEE CSV or Wireshark manuf file, on top\n"
		    "of the installed IEEE registry (ieee-data)", NULL },
		{ 'l', "label", "TEXT", CLI_STR, &io.label, 0, 0, NULL,
		    "a label for this run", NULL },
		{ 0, "scope", "TEXT", CLI_STR, &io.scope, 0, 0, NULL,
		    "runs with the same scope are compared",
		    "import:<first file name>" },
		{ 0, "group-readable", NULL, CLI_FLAG, &group, 0, 0, NULL,
		    "create the database mode 0640, not 0600", NULL },
		{ 'q', "quiet", NULL, CLI_FLAG, &quiet, 0, 0, NULL,
		    "no summary", NULL },
	};

	memset(&defs, 0, sizeof(defs));
	memset(&creds, 0, sizeof(creds));
	memset(&go, 0, sizeof(go));
	memset(&pulls, 0, sizeof(pulls));
	/* pull.h's defaults, written out so that --help says them. */
	go.stale_days = 30;
	go.rate = 5;
	go.timeout_ms = 30000;
	go.max_items = 100000;
	memset(&io, 0, sizeof(io));
	memset(&sectors, 0, sizeof(sectors));
	if (cli_parse(&import_cmd, opts, NELEM(opts), argc, argv, &rc) != 0)
		return rc;
	rc = EXIT_USAGE;
	if (juris[0] != '\0')
		defs.h.jurisdiction = juris;
	defs.h.criticality = criticality;
	if (optind >= argc && pulls.n == 0)
		return cli_usage_error("import ", "name at least one FILE "
		    "or --pull PROFILE");
	if (pulls.n > 0 && credfile == NULL)
		return cli_usage_error("import ", "--pull needs --credentials "
		    "FILE");
	log_init(quiet ? LOG_QUIET : LOG_NORMAL);

	/* Every file is read and checked before the database is touched. */
	if (cli_load_rules(rulesdir, &pack) != 0 ||
	    cli_load_sectors(sectorsdir, pack, &sectors) != 0)
		goto out;
	if (defs.h.sector != NULL &&
	    cli_check_sector("import ", &sectors, defs.h.sector) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	defs.sectors = sectors.names;
	defs.nsectors = sectors.n;
	for (i = optind; i < argc; i++) {
		if (import_load(&set, argv[i], fmt, err, sizeof(err)) != 0) {
			rc = cli_input_error(err);
			goto out;
		}
	}
	/* Servers: every profile checked before the first request. */
	if (credfile != NULL &&
	    cred_set_load(credfile, &creds, err, sizeof(err)) != 0) {
		rc = cli_input_error(err);
		goto out;
	}
	for (k = 0; k < pulls.n; k++) {
		const struct cred_profile *p = cred_find(&creds, pulls.v[k]);

		if (p == NULL || p->type != CRED_SERVER) {
			rc = cli_usage_error("import ", "--pull: %s has no "
			    "inventory server profile '%s'", credfile,
			    pulls.v[k]);
			goto out;
		}
	}
	if (pulls.n > 0) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			rc = cli_runtime_error("cannot initialise libcurl");
			goto out;
		}
		curl_up = 1;
		go.now = (int64_t)time(NULL);
		go.stop = cli_catch_signals();
	}
	for (k = 0; k < pulls.n; k++)
		if (import_pull(&set, cred_find(&creds, pulls.v[k]), &go, err,
		    sizeof(err)) != 0) {
			rc = cli_runtime_error(err);
			goto out;
		}
	if (import_apply_defaults(&set, &defs, err, sizeof(err)) != 0) {
		rc = cli_input_error(err);
		goto out;
	}
	/* MAC vendors, for the devices on imported switches' ports. */
	if ((set.nneighbor > 0 || ouifile != NULL) &&
	    cli_load_oui(ouifile, &oui) != 0)
		goto out;

	if (cli_open_db(db, STORE_WRITE, group ? STORE_GROUP_READABLE : 0,
	    &st) != 0) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	io.rules = pack;
	io.sectors = &sectors;
	io.sector = defs.h.sector;
	io.oui = oui != NULL && oui_count(oui) > 0 ? oui : NULL;
	if (import_store(st, &set, &io, &res, err, sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
		goto out;
	}
	log_info("run %lld: %zu files, %zu hosts, %zu observations, %zu "
	    "findings -> %s", (long long)res.run, set.nfiles, res.hosts,
	    res.observations, res.findings, db);
	if (res.leads > 0)
		log_info("%zu lead%s to check on site (not findings: "
		    "report --format leads-csv)", res.leads,
		    res.leads == 1 ? "" : "s");
	cli_log_located(&res.located, io.oui);
	rc = EXIT_OK;
out:
	store_close(st);
	cred_set_free(&creds);
	if (curl_up)
		curl_global_cleanup();
	oui_close(oui);
	import_set_free(&set);
	sector_set_free(&sectors);
	rules_free(pack);
	inventory_cleanup();
	return rc;
}
