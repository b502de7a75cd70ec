/*
 * cmd_import: "banaudit import FILE..." -- options, the rule pack, sector
 * profiles and every file loaded and checked before the database is
 * opened, then one run of kind import (import.h) and its summary.
 */
#include <getopt.h>
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

static const char import_usage[] =
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
"\n"
"  -d, --db FILE            database (default ./" DEFAULT_DB ")\n"
"  -s, --sector NAME        sector of hosts the files do not place\n"
"                           (telecom, power, healthcare, localgov)\n"
"      --site NAME          site of hosts the files do not place\n"
"      --owner NAME         owner of hosts the files do not place\n"
"      --jurisdiction CODE  where hosts the files do not place are: US-TX\n"
"                           (a state), US (federal law only); default:\n"
"                           the sector profile's, else none\n"
"      --criticality N      1..5 for hosts the files do not place\n"
"                           (default 3)\n"
"  -f, --format F           xml, json or csv: do not guess\n"
"  -r, --rules DIR          rule pack (default: the installed one)\n"
"      --sectors DIR        sector profiles (default: the installed ones)\n"
"      --credentials FILE   profiles of the inventory servers to pull from\n"
"      --pull PROFILE       pull from that inventory server (server_type\n"
"                           glpi or wazuh in the credentials file);\n"
"                           repeatable; FILE then optional\n"
"      --stale-days N       a pulled asset whose last inventory is older is\n"
"                           stale, said in its coverage (default 30; 0 off)\n"
"      --pull-rate N        requests per second to a server (default 5)\n"
"      --timeout MS         per request to a server (default 30000)\n"
"      --max-items N        rows read per listing: assets per GLPI item\n"
"                           type, Wazuh agents, and each agent's packages\n"
"                           and processes (default 100000)\n"
"      --oui FILE           a newer IEEE CSV or Wireshark manuf file, on top\n"
"                           of the installed IEEE registry (ieee-data)\n"
"  -l, --label TEXT         a label for this run\n"
"      --scope TEXT         runs with the same scope are compared\n"
"                           (default: import:<first file name>)\n"
"      --group-readable     create the database mode 0640 (default 0600)\n"
"  -q, --quiet              no summary\n"
"  -h, --help\n";

int
cmd_import(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "sector", required_argument, NULL, 's' },
		{ "site", required_argument, NULL, 'S' },
		{ "owner", required_argument, NULL, 'O' },
		{ "jurisdiction", required_argument, NULL, 'J' },
		{ "criticality", required_argument, NULL, 'C' },
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "label", required_argument, NULL, 'l' },
		{ "scope", required_argument, NULL, 'P' },
		{ "sectors", required_argument, NULL, 'E' },
		{ "group-readable", no_argument, NULL, 'G' },
		{ "oui", required_argument, NULL, 'U' },
		{ "credentials", required_argument, NULL, 'c' },
		{ "pull", required_argument, NULL, 'p' },
		{ "stale-days", required_argument, NULL, 'D' },
		{ "pull-rate", required_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "max-items", required_argument, NULL, 'M' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = DEFAULT_DB, *rulesdir = NULL, *sectorsdir = NULL;
	const char *ouifile = NULL, *credfile = NULL, *pulls[16];
	struct cred_set creds;
	struct pull_opts go;
	size_t npull = 0, k;
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
	char err[ERRLEN], juris[JURIS_LEN];
	int ch, quiet = 0, rc = EXIT_USAGE, i;
	unsigned dbflags = 0;
	long v;

	memset(&defs, 0, sizeof(defs));
	memset(&creds, 0, sizeof(creds));
	memset(&go, 0, sizeof(go));
	go.stale_days = 30;
	memset(&io, 0, sizeof(io));
	memset(&sectors, 0, sizeof(sectors));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:s:f:r:l:qh", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 's':
			defs.h.sector = optarg;
			break;
		case 'S':
			defs.h.site = optarg;
			break;
		case 'O':
			defs.h.owner = optarg;
			break;
		case 'J':
			if (juris_parse(optarg, juris, sizeof(juris)) != 0)
				return cli_usage_error("import ",
				    "--jurisdiction: '%s' is not US or US- "
				    "and a state's two-letter code (US-TX)",
				    optarg);
			defs.h.jurisdiction = juris;
			break;
		case 'C':
			if (cli_opt_number("import ", "criticality", optarg,
			    1, 5, &v) != 0)
				return EXIT_USAGE;
			defs.h.criticality = (int)v;
			break;
		case 'f':
			if (import_format_from_name(optarg, &fmt) != 0)
				return cli_usage_error("import ", "--format: "
				    "unknown format '%s' (xml, json, csv)",
				    optarg);
			break;
		case 'r':
			rulesdir = optarg;
			break;
		case 'l':
			io.label = optarg;
			break;
		case 'P':
			io.scope = optarg;
			break;
		case 'E':
			sectorsdir = optarg;
			break;
		case 'G':
			dbflags |= STORE_GROUP_READABLE;
			break;
		case 'U':
			ouifile = optarg;
			break;
		case 'c':
			credfile = optarg;
			break;
		case 'p':
			if (npull == NELEM(pulls))
				return cli_usage_error("import ", "--pull: at "
				    "most %zu servers", NELEM(pulls));
			pulls[npull++] = optarg;
			break;
		case 'D':
			if (cli_opt_number("import ", "stale-days", optarg,
			    0, 36500, &v) != 0)
				return EXIT_USAGE;
			go.stale_days = (unsigned)v;
			break;
		case 'R':
			if (cli_opt_number("import ", "pull-rate", optarg,
			    1, 1000, &v) != 0)
				return EXIT_USAGE;
			go.rate = (unsigned)v;
			break;
		case 'T':
			if (cli_opt_number("import ", "timeout", optarg,
			    100, 3600000, &v) != 0)
				return EXIT_USAGE;
			go.timeout_ms = (unsigned)v;
			break;
		case 'M':
			if (cli_opt_number("import ", "max-items", optarg,
			    1, 10000000, &v) != 0)
				return EXIT_USAGE;
			go.max_items = (size_t)v;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(import_usage, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("import ", "bad option");
		}
	}
	if (optind >= argc && npull == 0)
		return cli_usage_error("import ", "name at least one FILE "
		    "or --pull PROFILE");
	if (npull > 0 && credfile == NULL)
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
	for (k = 0; k < npull; k++) {
		const struct cred_profile *p = cred_find(&creds, pulls[k]);

		if (p == NULL || p->type != CRED_SERVER) {
			rc = cli_usage_error("import ", "--pull: %s has no "
			    "inventory server profile '%s'", credfile,
			    pulls[k]);
			goto out;
		}
	}
	if (npull > 0) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			rc = cli_runtime_error("cannot initialise libcurl");
			goto out;
		}
		curl_up = 1;
		go.now = (int64_t)time(NULL);
		go.stop = cli_catch_signals();
	}
	for (k = 0; k < npull; k++)
		if (import_pull(&set, cred_find(&creds, pulls[k]), &go, err,
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

	if (store_open_flags(db, STORE_WRITE, dbflags, &st, err,
	    sizeof(err)) != 0) {
		rc = cli_runtime_error(err);
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
