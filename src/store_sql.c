/*
 * store_sql: every SQL statement of the store, and the schema, in one place
 * for review.  Statements are prepared once, on first use, and cached in
 * struct store (store_stmt()).
 */
#include "store_int.h"

#define RUN_COLS "id, kind, status, label, scope, sector, site, started, " \
	"finished, tool_version, rules_version, oui_registry, origin, uuid"

const char *const store_sql[ST__COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_SAVEPOINT] = "SAVEPOINT store_op",
	[ST_RELEASE] = "RELEASE store_op",
	[ST_ROLLBACK_TO] = "ROLLBACK TO store_op",
	[ST_RUN_INSERT] = "INSERT INTO runs (kind, status, label, scope, "
	    "sector, site, started, tool_version, rules_version, "
	    "oui_registry, origin, uuid) VALUES (?1, 'running', ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_RUN_END] = "UPDATE runs SET status = ?2, finished = ?3 "
	    "WHERE id = ?1",
	[ST_RUN_OUI] = "UPDATE runs SET oui_registry = ?2 WHERE id = ?1",
	[ST_RUN_EACH] = "SELECT " RUN_COLS " FROM runs ORDER BY started, id",
	[ST_RUN_GET] = "SELECT " RUN_COLS " FROM runs WHERE id = ?1",
	[ST_RUN_LATEST] = "SELECT id FROM runs "
	    "ORDER BY started DESC, id DESC LIMIT 1",
	[ST_RUN_LATEST_COMPLETE] = "SELECT id FROM runs "
	    "WHERE status = 'complete' ORDER BY started DESC, id DESC LIMIT 1",
	[ST_RUN_PREVIOUS] = "SELECT r.id FROM runs r, runs c "
	    "WHERE c.id = ?1 AND r.scope IS c.scope AND r.status = 'complete' "
	    "AND (r.started, r.id) < (c.started, c.id) "
	    "ORDER BY r.started DESC, r.id DESC LIMIT 1",
	[ST_KEY_FIND] = "SELECT host_id FROM host_keys WHERE key = ?1",
	[ST_KEY_CONFLICT] = "SELECT 1 FROM host_keys WHERE host_id = ?1 "
	    "AND substr(key, 1, length(?2)) = ?2 AND key <> ?3 LIMIT 1",
	[ST_KEY_MOVE] = "INSERT INTO host_keys (key, host_id) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET host_id = excluded.host_id "
	    "WHERE host_id <> excluded.host_id",
	[ST_KEY_KEEP] = "INSERT INTO host_keys (key, host_id) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO NOTHING",
	[ST_HOST_CREATE] = "INSERT INTO hosts (identity, discovered, "
	    "first_seen, last_seen) VALUES (?1, ?2, ?3, ?3) "
	    "ON CONFLICT (identity) DO UPDATE SET last_seen = "
	    "max(last_seen, excluded.last_seen) RETURNING id",
	[ST_HOST_SEEN] = "UPDATE hosts SET first_seen = min(first_seen, ?2), "
	    "last_seen = max(last_seen, ?2), discovered = discovered AND ?3 "
	    "WHERE id = ?1",
	[ST_RUN_HOST] = "INSERT INTO run_hosts (run_id, host_id, address, "
	    "name, sector, site, owner, criticality) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	    "ON CONFLICT (run_id, host_id) DO UPDATE SET "
	    "address = coalesce(excluded.address, address), "
	    "name = coalesce(excluded.name, name), "
	    "sector = coalesce(excluded.sector, sector), "
	    "site = coalesce(excluded.site, site), "
	    "owner = coalesce(excluded.owner, owner), "
	    "criticality = coalesce(excluded.criticality, criticality)",
	[ST_OBS_INSERT] = "INSERT INTO observations (run_id, host_id, "
	    "channel, kind, item, attr, source, vtype, value, seen) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_COV_UPSERT] = "INSERT INTO coverage (run_id, host_id, channel, "
	    "probe, status, detail, profile, elapsed_ms) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	    "ON CONFLICT (run_id, host_id, channel, probe) DO UPDATE SET "
	    "status = excluded.status, detail = excluded.detail, "
	    "profile = excluded.profile, elapsed_ms = excluded.elapsed_ms",
	[ST_FINDING_INSERT] = "INSERT INTO findings (run_id, host_id, "
	    "finding_id, rule_id, vendor, product, asset, address, channel, "
	    "evidence, confidence, confidence_score, regulation, citation, "
	    "citation_url, effective_date, severity, likelihood, impact, "
	    "risk_score, risk_rating, recommended_action, due_date) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
	[ST_EVIDENCE_INSERT] = "INSERT INTO finding_evidence (finding_rowid, "
	    "observation_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
#define OBS_SELECT "SELECT o.id, o.run_id, o.host_id, h.identity, " \
	"rh.address, rh.name, rh.sector, rh.site, o.channel, o.kind, o.item, " \
	"o.attr, o.source, o.vtype, o.value, o.seen, rh.criticality " \
	"FROM observations o " \
	"JOIN hosts h ON h.id = o.host_id LEFT JOIN run_hosts rh " \
	"ON rh.run_id = o.run_id AND rh.host_id = o.host_id "
	[ST_OBS_EACH] = OBS_SELECT "WHERE o.run_id = ?1 "
	    "ORDER BY o.host_id, o.kind, o.item, o.attr, o.id",
	[ST_OBS_EACH_HOST] = OBS_SELECT "WHERE o.run_id = ?1 AND "
	    "o.host_id = ?2 ORDER BY o.kind, o.item, o.attr, o.id",
#undef OBS_SELECT
	[ST_COV_EACH] = "SELECT c.run_id, c.host_id, h.identity, rh.address, "
	    "rh.name, rh.sector, rh.site, rh.owner, c.channel, c.probe, "
	    "c.status, c.detail, c.profile, c.elapsed_ms FROM coverage c "
	    "JOIN hosts h ON h.id = c.host_id LEFT JOIN run_hosts rh "
	    "ON rh.run_id = c.run_id AND rh.host_id = c.host_id "
	    "WHERE c.run_id = ?1 ORDER BY c.host_id, c.channel, c.probe",
	/*
	 * The findings of run ?1 with their status against the previous
	 * complete run of the same scope, then that run's findings that ?1
	 * lacks.  first/last seen come from the findings_finding_id index:
	 * one range per finding, no per-finding round trip.
	 */
#define FCOLS "id, run_id, host_id, finding_id, rule_id, vendor, product, " \
	"asset, address, channel, evidence, confidence, confidence_score, " \
	"regulation, citation, citation_url, effective_date, severity, " \
	"likelihood, impact, risk_score, risk_rating, recommended_action, " \
	"due_date"
#define SEEN(fn) "(SELECT " fn "(r.started) FROM findings h " \
	"JOIN runs r ON r.id = h.run_id, cur WHERE h.finding_id = " \
	"x.finding_id AND r.scope IS cur.c_scope AND (r.started, r.id) <= " \
	"(cur.c_started, cur.c_id))"
	[ST_FINDING_EACH] = "WITH cur AS (SELECT id AS c_id, scope AS "
	    "c_scope, started AS c_started FROM runs WHERE id = ?1), "
	    "prev AS (SELECT r.id AS p_id FROM runs r, cur "
	    "WHERE r.scope IS cur.c_scope AND r.status = 'complete' "
	    "AND (r.started, r.id) < (cur.c_started, cur.c_id) "
	    "ORDER BY r.started DESC, r.id DESC LIMIT 1), "
	    "x AS (SELECT " FCOLS ", CASE WHEN EXISTS (SELECT 1 FROM "
	    "findings p, prev WHERE p.run_id = prev.p_id AND "
	    "p.finding_id = f.finding_id) THEN 'persisting' ELSE 'new' END "
	    "AS status FROM findings f WHERE f.run_id = ?1 "
	    "UNION ALL SELECT " FCOLS ", 'resolved' FROM findings p, prev "
	    "WHERE p.run_id = prev.p_id AND NOT EXISTS (SELECT 1 FROM "
	    "findings c WHERE c.run_id = ?1 AND "
	    "c.finding_id = p.finding_id)) "
	    "SELECT x.*, " SEEN("min") ", " SEEN("max") ", hs.identity, "
	    "rh.name, rh.sector, rh.site, rh.owner, rh.criticality, "
	    "(SELECT group_concat(e.observation_id) FROM finding_evidence e "
	    "WHERE e.finding_rowid = x.id) "
	    "FROM x JOIN hosts hs ON hs.id = x.host_id LEFT JOIN run_hosts rh "
	    "ON rh.run_id = x.run_id AND rh.host_id = x.host_id "
	    "ORDER BY CASE lower(x.severity) WHEN 'critical' THEN 0 "
	    "WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 "
	    "ELSE 4 END, x.risk_score DESC, x.finding_id",
#undef SEEN
#undef FCOLS
	[ST_HOST_EACH] = "SELECT h.id, rh.run_id, h.identity, rh.address, "
	    "rh.name, rh.sector, rh.site, rh.owner, rh.criticality, "
	    "h.discovered, h.first_seen, h.last_seen FROM run_hosts rh "
	    "JOIN hosts h ON h.id = rh.host_id WHERE rh.run_id = ?1 "
	    "ORDER BY h.id",
};

/* Version 0 -> 1: everything. */
const char store_schema_v1[] =
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('running', 'complete', 'incomplete', 'failed')),"
	" label TEXT,"
	" scope TEXT,"
	" sector TEXT,"
	" site TEXT,"
	" started INTEGER NOT NULL,"
	" finished INTEGER,"
	" tool_version TEXT,"
	" rules_version TEXT,"
	" oui_registry TEXT,"
	" origin TEXT,"
	" uuid TEXT NOT NULL UNIQUE);"
	"CREATE INDEX runs_scope ON runs (scope, started, id);"
	"CREATE TABLE hosts ("
	" id INTEGER PRIMARY KEY,"
	" identity TEXT NOT NULL UNIQUE,"
	" discovered INTEGER NOT NULL DEFAULT 0,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL);"
	"CREATE TABLE host_keys ("
	" key TEXT PRIMARY KEY,"
	" host_id INTEGER NOT NULL REFERENCES hosts (id)) WITHOUT ROWID;"
	"CREATE INDEX host_keys_host ON host_keys (host_id);"
	"CREATE TABLE run_hosts ("
	" run_id INTEGER NOT NULL REFERENCES runs (id),"
	" host_id INTEGER NOT NULL REFERENCES hosts (id),"
	" address TEXT,"
	" name TEXT,"
	" sector TEXT,"
	" site TEXT,"
	" owner TEXT,"
	" criticality INTEGER,"
	" PRIMARY KEY (run_id, host_id)) WITHOUT ROWID;"
	"CREATE TABLE observations ("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs (id),"
	" host_id INTEGER NOT NULL REFERENCES hosts (id),"
	" channel TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" item TEXT NOT NULL,"
	" attr TEXT NOT NULL,"
	" source TEXT,"
	" vtype TEXT NOT NULL,"
	" value BLOB,"
	" seen INTEGER NOT NULL);"
	"CREATE INDEX observations_run_host ON observations (run_id, host_id);"
	"CREATE TABLE coverage ("
	" run_id INTEGER NOT NULL REFERENCES runs (id),"
	" host_id INTEGER NOT NULL REFERENCES hosts (id),"
	" channel TEXT NOT NULL,"
	" probe TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" detail TEXT,"
	" profile TEXT,"
	" elapsed_ms INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (run_id, host_id, channel, probe)) WITHOUT ROWID;"
	"CREATE TABLE findings ("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs (id),"
	" host_id INTEGER NOT NULL REFERENCES hosts (id),"
	" finding_id TEXT NOT NULL,"
	" rule_id TEXT NOT NULL,"
	" vendor TEXT,"
	" product TEXT,"
	" asset TEXT,"
	" address TEXT,"
	" channel TEXT,"
	" evidence TEXT,"
	" confidence TEXT,"
	" confidence_score INTEGER,"
	" regulation TEXT,"
	" citation TEXT,"
	" citation_url TEXT,"
	" effective_date TEXT,"
	" severity TEXT,"
	" likelihood INTEGER,"
	" impact INTEGER,"
	" risk_score INTEGER,"
	" risk_rating TEXT,"
	" recommended_action TEXT,"
	" due_date TEXT,"
	" UNIQUE (run_id, finding_id));"
	"CREATE INDEX findings_finding_id ON findings (finding_id, run_id);"
	"CREATE TABLE finding_evidence ("
	" finding_rowid INTEGER NOT NULL REFERENCES findings (id),"
	" observation_id INTEGER NOT NULL REFERENCES observations (id),"
	" PRIMARY KEY (finding_rowid, observation_id)) WITHOUT ROWID;";
