/*
 * store_sql: every SQL statement of the store, and the schema, in one place
 * for review.  Statements are prepared once, on first use, and cached in
 * struct store (store_stmt()).  A select list of several columns is a list
 * in store_cols.h, which names each column for the readers.
 */
#include "store_int.h"

/*
 * Is host h not assessed in run r (store.h, "History")?  Linked to the run
 * with coverage rows, none of them ok or partial; or not linked to it and
 * not a host seen only in other devices' tables.
 */
#define NOT_ASSESSED(h, r) "(CASE WHEN EXISTS (SELECT 1 FROM run_hosts q " \
	"WHERE q.run_id = " r " AND q.host_id = " h ") THEN EXISTS (SELECT 1 " \
	"FROM coverage v WHERE v.run_id = " r " AND v.host_id = " h ") AND " \
	"NOT EXISTS (SELECT 1 FROM coverage v WHERE v.run_id = " r " AND " \
	"v.host_id = " h " AND v.status IN ('ok', 'partial')) ELSE NOT " \
	"coalesce((SELECT d.discovered FROM hosts d WHERE d.id = " h "), 0) " \
	"END)"

/* x repeated STORE_HOST_GROUP (64) times, comma-separated. */
#define REP4(x)		x "," x "," x "," x
#define REP64(x)	REP4(REP4(REP4(x)))
/* The same, space-separated. */
#define REP4S(x)	x " " x " " x " " x
#define REP64S(x)	REP4S(REP4S(REP4S(x)))
_Static_assert(STORE_HOST_GROUP == 64, "REP64 writes 64 rows");
#define REP16(x)	REP4(REP4(x))
_Static_assert(STORE_BLOCK_GROUP == 16, "REP16 writes 16 blocks");

/*
 * A run host's name from 64 (host, name) pairs sorted by host, as a
 * binary search: each split is "host_id < ?" (the first host of its right
 * half), each leaf four "WHEN ? THEN ?"; parameters in the text's order
 * (store_defer.c binds them walking the same tree).  A host of none of the
 * pairs keeps its name.
 */
#define NAME_LEAF4	"CASE host_id WHEN ? THEN ? WHEN ? THEN ? " \
	"WHEN ? THEN ? WHEN ? THEN ? ELSE name END"
#define NAME_SPLIT(x)	"CASE WHEN host_id < ? THEN " x " ELSE " x " END"
#define NAME_TREE64	NAME_SPLIT(NAME_SPLIT(NAME_SPLIT(NAME_SPLIT(	\
	NAME_LEAF4))))

/* A run's host row given again keeps what it had where it gives NULL. */
#define RUN_HOST_UPSERT							\
	"ON CONFLICT (run_id, host_id) DO UPDATE SET "			\
	"address = coalesce(excluded.address, address), "		\
	"name = coalesce(excluded.name, name), "			\
	"sector = coalesce(excluded.sector, sector), "			\
	"site = coalesce(excluded.site, site), "			\
	"owner = coalesce(excluded.owner, owner), "			\
	"criticality = coalesce(excluded.criticality, criticality), "	\
	"jurisdiction = coalesce(excluded.jurisdiction, jurisdiction)"

/* A coverage record given again replaces what the probe had. */
#define COV_UPSERT							\
	"ON CONFLICT (run_id, host_id, channel, probe) DO UPDATE SET "	\
	"status = excluded.status, detail = excluded.detail, "		\
	"profile = excluded.profile, elapsed_ms = excluded.elapsed_ms"

/*
 * The blocks of db ("" or "site.") that hold the evidence e of finding f:
 * the blocks of the run that observed the finding, for its host, whose
 * ids span the evidence's observation (a finding carried from a run that
 * did not assess it names that run in seen_run).
 */
#define EVIDENCE_BLOCKS_JOIN(db) "JOIN " db "obs_blocks b ON b.run_id = " \
	"coalesce(f.seen_run, f.run_id) AND b.host_id = f.host_id AND " \
	"b.first_id <= e.observation_id AND b.last_id >= e.observation_id"

const char *const store_sql[ST__COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_SAVEPOINT] = "SAVEPOINT store_op",
	/* The same, leaving buffered observations buffered (store.c). */
	[ST_SAVEPOINT_KEEP] = "SAVEPOINT store_op",
	[ST_RELEASE] = "RELEASE store_op",
	[ST_ROLLBACK_TO] = "ROLLBACK TO store_op",
	[ST_RUN_INSERT] = "INSERT INTO runs (kind, status, label, scope, "
	    "sector, site, started, tool_version, rules_version, "
	    "oui_registry, origin, uuid) VALUES (?1, 'running', ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_RUN_END] = "UPDATE runs SET status = ?2, finished = ?3 "
	    "WHERE id = ?1",
	[ST_RUN_OUI] = "UPDATE runs SET oui_registry = ?2 WHERE id = ?1",
	[ST_RUN_EACH] = "SELECT " STORE_COLS_SQL(RUN_COLS) " FROM runs "
	    "ORDER BY started, id",
	[ST_RUN_GET] = "SELECT " STORE_COLS_SQL(RUN_COLS) " FROM runs "
	    "WHERE id = ?1",
	[ST_RUN_LATEST] = "SELECT id FROM runs "
	    "ORDER BY started DESC, id DESC LIMIT 1",
	[ST_RUN_LATEST_COMPLETE] = "SELECT id FROM runs "
	    "WHERE status = 'complete' ORDER BY started DESC, id DESC LIMIT 1",
	[ST_RUN_PREVIOUS] = "SELECT r.id FROM runs r, runs c "
	    "WHERE c.id = ?1 AND r.scope IS c.scope AND r.status = 'complete' "
	    "AND (r.started, r.id) < (c.started, c.id) "
	    "ORDER BY r.started DESC, r.id DESC LIMIT 1",
	[ST_KEY_FIND] = "SELECT host_id FROM host_keys WHERE key = ?1",
	/*
	 * The keys from ?1 to ?2 (a group's first and last, store_host.c)
	 * and their hosts, at most ?3 of them: one walk along the key for a
	 * group of hosts instead of a look-up a host.
	 */
	[ST_KEY_RANGE] = "SELECT key, host_id FROM host_keys WHERE key "
	    "BETWEEN ?1 AND ?2 ORDER BY key LIMIT ?3",
	/* The same for STORE_HOST_GROUP keys named one by one. */
	[ST_KEY_IN] = "SELECT key, host_id FROM host_keys WHERE key IN ("
	    REP64("?") ") ORDER BY key",
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
	/*
	 * A host no key found: its identity is new but for a key that moved
	 * away from it (then ST_HOST_CREATE finds it); no row read back.
	 */
	[ST_HOST_NEW] = "INSERT INTO hosts (identity, discovered, "
	    "first_seen, last_seen) VALUES (?1, ?2, ?3, ?3) "
	    "ON CONFLICT (identity) DO NOTHING",
	[ST_HOST_SEEN] = "UPDATE hosts SET first_seen = min(first_seen, ?2), "
	    "last_seen = max(last_seen, ?2), discovered = discovered AND ?3 "
	    "WHERE id = ?1",
	[ST_RUN_HOST] = "INSERT INTO run_hosts (run_id, host_id, address, "
	    "name, sector, site, owner, criticality, jurisdiction) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) " RUN_HOST_UPSERT,
	/*
	 * ST_HOST_NEW, ST_KEY_MOVE and ST_RUN_HOST for STORE_HOST_GROUP
	 * hosts at once (store_host_many()).  No row is read back: when
	 * every row went in, each took the largest id before it plus one
	 * (ST_HOST_MAX_ID tells which), in the rows' order.
	 */
	[ST_HOST_NEW_MANY] = "INSERT INTO hosts (identity, discovered, "
	    "first_seen, last_seen) VALUES " REP64("(?, ?, ?, ?)") " "
	    "ON CONFLICT (identity) DO NOTHING",
	[ST_HOST_MAX_ID] = "SELECT max(id) FROM hosts",
	[ST_KEY_MOVE_MANY] = "INSERT INTO host_keys (key, host_id) VALUES "
	    REP64("(?, ?)") " ON CONFLICT (key) DO UPDATE SET "
	    "host_id = excluded.host_id WHERE host_id <> excluded.host_id",
	[ST_RUN_HOST_MANY] = "INSERT INTO run_hosts (run_id, host_id, "
	    "address, name, sector, site, owner, criticality, jurisdiction) "
	    "VALUES " REP64("(?, ?, ?, ?, ?, ?, ?, ?, ?)") " "
	    RUN_HOST_UPSERT,
	/* A block is one host's: it moves whole. */
	[ST_MOVE_OBS] = "UPDATE obs_blocks SET host_id = ?3 "
	    "WHERE run_id = ?1 AND host_id = ?2",
	[ST_MOVE_COV] = "UPDATE OR REPLACE coverage SET host_id = ?3 "
	    "WHERE run_id = ?1 AND host_id = ?2",
	[ST_MOVE_RUN_HOST] = "DELETE FROM run_hosts "
	    "WHERE run_id = ?1 AND host_id = ?2",
	[ST_RUN_HOST_NAME] = "UPDATE run_hosts SET name = ?3 "
	    "WHERE run_id = ?1 AND host_id = ?2 AND name IS NULL",
	[ST_BLOCK_INSERT] = "INSERT INTO obs_blocks (run_id, host_id, "
	    "first_id, last_id, rows, vals) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/*
	 * STORE_BLOCK_GROUP blocks at once, each's parameters as
	 * ST_BLOCK_INSERT's: a statement a block cost an identity scan, one
	 * small block a host, a third of each insert in the statement's own
	 * set-up (its cursors opened and closed, its bindings, its end).
	 */
	[ST_BLOCK_INSERT_MANY] = "INSERT INTO obs_blocks (run_id, host_id, "
	    "first_id, last_id, rows, vals) VALUES "
	    REP16("(?, ?, ?, ?, ?, ?)"),
	[ST_COV_UPSERT] = "INSERT INTO coverage (run_id, host_id, channel, "
	    "probe, status, detail, profile, elapsed_ms) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) " COV_UPSERT,
	/*
	 * ST_COV_UPSERT and ST_RUN_HOST_NAME for STORE_HOST_GROUP rows at
	 * once (store_defer.c): the rows go in in their order, so a later
	 * record of the same probe replaces an earlier one; the names are
	 * of distinct hosts of one run: (host, name) pairs, the run, the
	 * hosts again.  A CASE over the hosts found by their key costs an
	 * identity scan a third less a name than an UPDATE ... FROM
	 * (VALUES ...), which copies the rows twice before the update.
	 */
	[ST_COV_MANY] = "INSERT INTO coverage (run_id, host_id, channel, "
	    "probe, status, detail, profile, elapsed_ms) VALUES "
	    REP64("(?, ?, ?, ?, ?, ?, ?, ?)") " " COV_UPSERT,
	[ST_RUN_HOST_NAME_MANY] = "UPDATE run_hosts SET name = CASE host_id "
	    REP64S("WHEN ? THEN ?") " END WHERE run_id = ? AND host_id IN ("
	    REP64("?") ") AND name IS NULL",
	/*
	 * The same when the group's hosts lie within 2 * STORE_HOST_GROUP
	 * ids (an identity scan's hosts finish about in order): the run's
	 * rows from the first host to the last, one seek and a walk along
	 * the key, instead of a seek a host from a list SQLite first copies
	 * into an ephemeral table; the hosts between them that are not of
	 * the group and have no name yet are written back as they are.
	 * NAME_TREE64's 143 parameters, then the run, the first host and
	 * the last.
	 */
	[ST_RUN_HOST_NAME_SPAN] = "UPDATE run_hosts SET name = "
	    NAME_TREE64 " WHERE run_id = ? AND host_id BETWEEN ? AND ? "
	    "AND name IS NULL",
	[ST_FINDING_INSERT] = "INSERT INTO findings (run_id, host_id, "
	    "finding_id, rule_id, vendor, product, asset, address, channel, "
	    "evidence, confidence, confidence_score, regulation, citation, "
	    "citation_url, effective_date, severity, likelihood, impact, "
	    "risk_score, risk_rating, recommended_action, due_date, lead, "
	    "note, binding_scope) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
	[ST_LEAD_EACH] = "SELECT " STORE_COLS_SQL(LEAD_EACH_COLS) " "
	    "FROM findings f JOIN runs r ON "
	    "r.id = f.run_id JOIN hosts h ON h.id = f.host_id "
	    "LEFT JOIN run_hosts rh ON rh.run_id = f.run_id AND "
	    "rh.host_id = f.host_id WHERE f.run_id = ?1 AND f.lead = ?2 "
	    "ORDER BY f.vendor, f.address, f.rule_id, f.finding_id",
	[ST_EVIDENCE_INSERT] = "INSERT INTO finding_evidence (finding_rowid, "
	    "observation_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
#define OBS_SELECT "SELECT " STORE_COLS_SQL(OBS_EACH_HOST_COLS) " " \
	"FROM " OBS_ROWS("") " o " \
	"JOIN hosts h ON h.id = o.host_id LEFT JOIN run_hosts rh " \
	"ON rh.run_id = o.run_id AND rh.host_id = o.host_id "
	/*
	 * A run's blocks, in key order; store_each_observation() decodes
	 * them, reads each host's attributes once (ST_OBS_HOST) and spells
	 * the source out itself.  ?2: only the blocks of ids after it
	 * (store_each_observation_after(); 0 for all); the index's own
	 * rowid says, so the other blocks are not read.
	 */
	[ST_BLOCK_EACH] = "SELECT " STORE_COLS_SQL(BLOCK_EACH_COLS) " "
	    "FROM obs_blocks b WHERE b.run_id = ?1 AND b.first_id > ?2 "
	    "ORDER BY b.host_id, b.first_id",
	[ST_OBS_HOST] = "SELECT " STORE_COLS_SQL(OBS_HOST_COLS) " FROM hosts h "
	    "LEFT JOIN run_hosts rh ON rh.run_id = ?1 AND rh.host_id = h.id "
	    "WHERE h.id = ?2",
	[ST_PREFIX_GET] = "SELECT prefix FROM oid_prefixes WHERE id = ?1",
	/* Values stored once (store_values.c). */
	[ST_VALUE_NEXT] = "SELECT coalesce(max(id), 0) + 1 FROM obs_values",
	[ST_VALUE_INSERT] = "INSERT INTO obs_values (id, value) "
	    "VALUES (?1, ?2)",
	[ST_VALUE_INSERT_MANY] = "INSERT INTO obs_values (id, value) VALUES "
	    REP16("(?, ?)"),
	[ST_VALUE_GET] = "SELECT value FROM obs_values WHERE id = ?1",
	[ST_OBS_EACH_HOST] = OBS_SELECT "WHERE o.run_id = ?1 AND "
	    "o.host_id = ?2 ORDER BY o.kind, o.item, o.attr, o.id",
#undef OBS_SELECT
	[ST_COV_EACH] = "SELECT " STORE_COLS_SQL(COV_EACH_COLS) " "
	    "FROM coverage c "
	    "JOIN hosts h ON h.id = c.host_id LEFT JOIN run_hosts rh "
	    "ON rh.run_id = c.run_id AND rh.host_id = c.host_id "
	    "WHERE c.run_id = ?1 ORDER BY c.host_id, c.channel, c.probe",
	/*
	 * The findings of run ?1 with their status against base run ?2 (the
	 * previous complete run of the same scope, or NULL), then the base
	 * run's findings that ?1 lacks (and so did not carry: its analysis
	 * found the sources of their evidence read completely, resolution.h):
	 * resolved, unless ?1 did not assess their host at all (a database
	 * analysed before that rule), then persisting, unverified (store.h,
	 * "History").  Leads are not findings: left out.  first/last seen
	 * come from the findings_finding_id index: one range per finding, no
	 * per-finding round trip; rows carried by a run that did not assess
	 * the host do not count as sightings.  Host attributes come from the
	 * row's run, else (a carried row of a host the run lacks) from the
	 * run that last observed it.
	 */
#define FCOLS "id, run_id, host_id, finding_id, rule_id, vendor, product, " \
	"asset, address, channel, evidence, confidence, confidence_score, " \
	"regulation, citation, citation_url, effective_date, severity, " \
	"likelihood, impact, risk_score, risk_rating, recommended_action, " \
	"due_date, binding_scope"
/*
 * The day of run ?1 (UTC): a waiver is judged on the day of the run, so
 * that a report of the run is the same on any later day (README, report).
 */
#define RUN_DAY "(SELECT date(started, 'unixepoch') FROM runs " \
	"WHERE id = ?1)"
#define SEEN(fn) "(SELECT " fn "(r.started) FROM findings h " \
	"JOIN runs r ON r.id = h.run_id, cur WHERE h.finding_id = " \
	"x.finding_id AND h.seen_run IS NULL AND r.scope IS cur.c_scope " \
	"AND (r.started, r.id) <= (cur.c_started, cur.c_id))"
	[ST_FINDING_EACH] = "WITH cur AS (SELECT id AS c_id, scope AS "
	    "c_scope, started AS c_started FROM runs WHERE id = ?1), "
	    "y AS (SELECT " FCOLS ", seen_run, note, seen_run IS NOT NULL "
	    "AS na, EXISTS (SELECT 1 FROM findings p WHERE p.run_id = ?2 AND "
	    "p.finding_id = f.finding_id) AS inbase, 0 AS gone "
	    "FROM findings f WHERE f.run_id = ?1 AND f.lead = 0 "
	    "UNION ALL SELECT " FCOLS ", seen_run, NULL, "
	    NOT_ASSESSED("p.host_id", "?1") " AS na, 1, 1 FROM findings p "
	    "WHERE p.run_id = ?2 AND p.lead = 0 AND NOT EXISTS (SELECT 1 "
	    "FROM findings c WHERE c.run_id = ?1 AND "
	    "c.finding_id = p.finding_id)), "
	    "x AS (SELECT y.*, CASE WHEN gone AND NOT na THEN 'resolved' "
	    "WHEN gone OR inbase THEN 'persisting' ELSE 'new' END AS status "
	    "FROM y) "
	    "SELECT " STORE_COLS_SQL(FINDING_EACH_COLS) " "
	    "FROM x JOIN hosts hs ON hs.id = x.host_id LEFT JOIN run_hosts rh "
	    "ON rh.run_id = x.run_id AND rh.host_id = x.host_id "
	    "LEFT JOIN run_hosts ro ON ro.run_id = x.seen_run AND "
	    "ro.host_id = x.host_id "
	    "LEFT JOIN waivers w ON w.finding_id = x.finding_id AND "
	    "w.until >= " RUN_DAY " "
	    "ORDER BY CASE lower(x.severity) WHEN 'critical' THEN 0 "
	    "WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 "
	    "ELSE 4 END, x.risk_score DESC, x.finding_id",
	[ST_FINDING_FIRST_SEEN] = "SELECT min(r.started) FROM findings h "
	    "JOIN runs r ON r.id = h.run_id, runs c WHERE c.id = ?1 AND "
	    "h.finding_id = ?2 AND h.seen_run IS NULL AND r.scope IS c.scope "
	    "AND (r.started, r.id) <= (c.started, c.id)",
	[ST_FINDING_KNOWN] = "SELECT 1 FROM findings WHERE finding_id = ?1 "
	    "LIMIT 1",
	[ST_RUN_FINDINGS] = "SELECT count(*), count(w.finding_id) "
	    "FROM findings f LEFT JOIN waivers w ON w.finding_id = "
	    "f.finding_id AND w.until >= " RUN_DAY " "
	    "WHERE f.run_id = ?1 "
	    "AND f.lead = 0",
	/* The findings of run ?2 (its previous run) that run ?1 lacks. */
	[ST_CARRY_CANDIDATES] = "SELECT p.id FROM findings p WHERE "
	    "p.run_id = ?2 AND p.lead = 0 AND NOT EXISTS (SELECT 1 FROM "
	    "findings c WHERE c.run_id = ?1 AND c.finding_id = p.finding_id) "
	    "ORDER BY p.id",
	/* Finding row ?2 carried into run ?1, unverified, with note ?3. */
	[ST_CARRY_FINDING] = "INSERT INTO findings (run_id, host_id, "
	    "finding_id, rule_id, vendor, product, asset, address, channel, "
	    "evidence, confidence, confidence_score, regulation, citation, "
	    "citation_url, effective_date, severity, likelihood, impact, "
	    "risk_score, risk_rating, recommended_action, due_date, seen_run, "
	    "note, binding_scope) "
	    "SELECT ?1, host_id, finding_id, rule_id, vendor, product, asset, "
	    "address, channel, evidence, confidence, confidence_score, "
	    "regulation, citation, citation_url, effective_date, severity, "
	    "likelihood, impact, risk_score, risk_rating, recommended_action, "
	    "due_date, coalesce(seen_run, run_id), ?3, binding_scope "
	    "FROM findings p WHERE p.id = ?2",
	[ST_CARRY_EVIDENCE] = "INSERT INTO finding_evidence (finding_rowid, "
	    "observation_id) SELECT ?1, observation_id FROM finding_evidence "
	    "WHERE finding_rowid = ?2 ON CONFLICT DO NOTHING",
	/*
	 * Where the evidence of finding row ?1 was read: the host, channel
	 * and kind (and for neighbour rows the table, the item's prefix) of
	 * each observation; for a device seen in other devices' tables
	 * (channel derived), each table it was seen in, by the identity of
	 * the router or switch (attribute via of its sightings); a derived
	 * observation without sightings gives a row with no identity.
	 */
	/*
	 * An observation of a finding's evidence was stored by the run that
	 * observed the finding, for its host: the observations' key.
	 */
	/*
	 * Only the blocks whose ids span the evidence are decoded (eb),
	 * and for derived evidence the blocks of its hosts (db).
	 */
	[ST_EVIDENCE_SOURCES] = "WITH eb AS (SELECT DISTINCT b.* "
	    "FROM finding_evidence e JOIN findings f ON f.id = "
	    "e.finding_rowid " EVIDENCE_BLOCKS_JOIN("")
	    " WHERE e.finding_rowid = ?1), "
	    "ev AS (SELECT o.run_id, o.host_id, "
	    CHAN_SQL_NAME("o.channel") " AS channel, o.kind, o.item "
	    "FROM (" OBS_ROWS_OVER("eb", "obs_values") ") o "
	    "JOIN finding_evidence e ON e.observation_id = o.id AND "
	    "e.finding_rowid = ?1), "
	    "dv AS (SELECT DISTINCT run_id, host_id FROM ev "
	    "WHERE channel = 'derived'), "
	    "db AS (SELECT b.* FROM dv JOIN obs_blocks b ON "
	    "b.run_id = dv.run_id AND b.host_id = dv.host_id), "
	    "dr AS (" OBS_ROWS_OVER("db", "obs_values") ") "
	    "SELECT DISTINCT " STORE_COLS_SQL(EVIDENCE_SOURCE_COLS) " "
	    "FROM ev JOIN hosts h ON h.id = ev.host_id LEFT JOIN run_hosts rh "
	    "ON rh.run_id = ev.run_id AND rh.host_id = ev.host_id "
	    "WHERE ev.channel <> 'derived' "
	    "UNION SELECT CAST(v.value AS TEXT), rh.name, rh.address, 'snmp', "
	    "'neighbor', CAST(t.value AS TEXT) FROM dv "
	    "JOIN dr v ON v.run_id = dv.run_id AND "
	    "v.host_id = dv.host_id AND v.channel = " CHAN_SQL_DERIVED " AND "
	    "v.attr = 'via' "
	    "JOIN dr t ON t.run_id = v.run_id AND "
	    "t.host_id = v.host_id AND t.item = v.item AND t.attr = 'table' "
	    "LEFT JOIN hosts vh ON vh.identity = CAST(v.value AS TEXT) "
	    "LEFT JOIN run_hosts rh ON rh.run_id = dv.run_id AND "
	    "rh.host_id = vh.id "
	    "UNION SELECT NULL, rh.name, rh.address, 'derived', 'neighbor', "
	    "'' FROM dv LEFT JOIN run_hosts rh ON rh.run_id = dv.run_id AND "
	    "rh.host_id = dv.host_id WHERE NOT EXISTS (SELECT 1 FROM "
	    "dr v WHERE v.run_id = dv.run_id AND "
	    "v.host_id = dv.host_id AND v.channel = " CHAN_SQL_DERIVED " AND "
	    "v.attr = 'via') "
	    "ORDER BY 1, 4, 5, 6",
	/* Coverage of probe ?4 (else the whole channel) of a host in run ?1. */
	[ST_COV_GET] = "SELECT " STORE_COLS_SQL(COV_GET_COLS) " "
	    "FROM coverage c "
	    "JOIN hosts h ON h.id = c.host_id WHERE c.run_id = ?1 AND "
	    "h.identity = ?2 AND c.channel = ?3 AND c.probe IN (?4, '') "
	    "ORDER BY c.probe = ?4 DESC LIMIT 1",
	/*
	 * Hosts not assessed in run ?1 that base ?2 assessed or lacked
	 * (hosts of ?2 that ?1 lacks included), by identity.
	 */
	[ST_UNASSESSED_EACH] = "WITH cand AS (SELECT host_id FROM run_hosts "
	    "WHERE run_id = ?1 UNION SELECT host_id FROM run_hosts "
	    "WHERE run_id = ?2) "
	    "SELECT " STORE_COLS_SQL(UNASSESSED_EACH_COLS) " "
	    "FROM cand JOIN hosts h ON h.id = cand.host_id "
	    "LEFT JOIN run_hosts a ON a.run_id = ?1 AND a.host_id = h.id "
	    "LEFT JOIN run_hosts b ON b.run_id = ?2 AND b.host_id = h.id "
	    "WHERE " NOT_ASSESSED("h.id", "?1") " AND (b.host_id IS NULL OR "
	    "NOT " NOT_ASSESSED("h.id", "?2") ") ORDER BY h.identity",
	[ST_WAIVER_GET] = "SELECT 1 FROM waivers WHERE finding_id = ?1",
	[ST_WAIVER_PUT] = "INSERT INTO waivers (finding_id, reason, until, "
	    "created, created_by) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (finding_id) DO UPDATE SET reason = excluded.reason, "
	    "until = excluded.until, created = excluded.created, "
	    "created_by = excluded.created_by",
	[ST_WAIVER_DEL] = "DELETE FROM waivers WHERE finding_id = ?1",
	[ST_WAIVER_EACH] = "SELECT " STORE_COLS_SQL(WAIVER_EACH_COLS) " "
	    "FROM waivers ORDER BY until, finding_id",
	[ST_HOST_BY_IDENTITY] = "SELECT id FROM hosts WHERE identity = ?1",
	[ST_HOST_MERGE_SEEN] = "UPDATE hosts SET first_seen = "
	    "min(first_seen, ?2), last_seen = max(last_seen, ?3), "
	    "discovered = discovered AND ?4 WHERE id = ?1",
#undef SEEN
#undef FCOLS
	/* Per scope, its latest complete run: the estate. */
	[ST_ESTATE_RUNS] = "SELECT r.id FROM runs r WHERE r.status = "
	    "'complete' AND NOT EXISTS (SELECT 1 FROM runs q WHERE "
	    "q.status = 'complete' AND q.scope IS r.scope AND "
	    "(q.started, q.id) > (r.started, r.id)) "
	    "ORDER BY coalesce(r.site, r.scope), r.scope, r.id",
	[ST_HOST_EACH] = "SELECT " STORE_COLS_SQL(HOST_EACH_COLS) " "
	    "FROM run_hosts rh "
	    "JOIN hosts h ON h.id = rh.host_id WHERE rh.run_id = ?1 "
	    "ORDER BY h.id",
	[ST_OBS_SEQ_GET] = "SELECT next FROM obs_ids",
	[ST_OBS_SEQ_SAVE] = "UPDATE obs_ids SET next = ?1",
	[ST_PREFIX_FIND] = "SELECT id FROM oid_prefixes WHERE prefix = ?1",
	[ST_PREFIX_ADD] = "INSERT INTO oid_prefixes (prefix) VALUES (?1)",
	[ST_RUN_STARTED] = "SELECT 1, started FROM runs WHERE id = ?1",
	[ST_HOST_EXISTS] = "SELECT 1 FROM hosts WHERE id = ?1",
	/* The blocks whose ids span ?3: store_find.c decodes them. */
	[ST_OBS_EXISTS] = "SELECT b.first_id, b.rows, b.vals FROM obs_blocks b "
	    "WHERE b.run_id = ?1 AND b.host_id = ?2 AND b.first_id <= ?3 AND "
	    "b.last_id >= ?3",
};

#undef NAME_TREE64
#undef NAME_SPLIT
#undef NAME_LEAF4

const char *const store_chan_codes[] = {
	"snmp", "agent", "import", "derived", NULL
};
/* Schema 6 codes of a packed row's kind (obs.h names; append only). */
const char *const store_kind_codes[] = {
	"system", "software", "process", "entity", "vendor", "neighbor",
	"interface", "connection", "route", "antivirus", "netif", NULL
};
const char *const store_vtype_codes[] = {
	"text", "int", "oid", "ipaddr", "hex", NULL
};

/*
 * Version 1, as it was: the tests build old files from it.  A new file
 * takes store_schema_new (below) at once.
 */
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

/*
 * Version 1 -> 2: waivers (one per finding_id, any run), and seen_run: a
 * finding row that a run carried because it did not assess the host names
 * the run that last observed it (NULL for a finding the run observed).
 */
const char store_schema_v2[] =
	"ALTER TABLE findings ADD COLUMN seen_run INTEGER REFERENCES runs (id);"
	"CREATE TABLE waivers ("
	" finding_id TEXT PRIMARY KEY,"
	" reason TEXT NOT NULL,"
	" until TEXT NOT NULL,"
	" created INTEGER NOT NULL,"
	" created_by TEXT);";

/*
 * Version 2 -> 3: note, on a carried finding, says which sources of its
 * evidence the run could not read completely (resolution.h); lead marks a
 * rule hit that is a lead to check, not a finding (rules.h, ACTION_LEAD).
 */
const char store_schema_v3[] =
	"ALTER TABLE findings ADD COLUMN note TEXT;"
	"ALTER TABLE findings ADD COLUMN lead INTEGER NOT NULL DEFAULT 0;";

/*
 * Version 3 -> 4: the jurisdiction of a host in a run (ISO 3166-2, juris.h),
 * and what each regulation a finding cites means for the host's owner.
 */
const char store_schema_v4[] =
	"ALTER TABLE run_hosts ADD COLUMN jurisdiction TEXT;"
	"ALTER TABLE findings ADD COLUMN binding_scope TEXT;";

/*
 * Version 4 -> 5: compact observations (issue 13).  The table is clustered
 * on (run_id, host_id, id) WITHOUT ROWID: a run's rows, by host, are one
 * range of one b-tree, with no second index to keep.  Observation ids are
 * still unique in the database; the store hands them out from obs_ids
 * (the next one), saved with each batch.  Compactly coded columns:
 *   channel, vtype  the integer codes of CHAN_SQL_CODE / VTYPE_SQL_CODE
 *                   (a name the codes lack stays text);
 *   source          NULL, the text, or an integer: the oid_prefixes row
 *                   whose prefix, a dot and the item make the source (a
 *                   walked column's OID and the row's index);
 *   seen            seconds after the run's start.
 * Foreign keys of observations (and finding_evidence's to it) are checked
 * by the store's code, not by SQLite.
 */
#define V5_OBS_TABLE(name) "CREATE TABLE " name " (" \
	" run_id INTEGER NOT NULL," \
	" host_id INTEGER NOT NULL," \
	" id INTEGER NOT NULL," \
	" channel NOT NULL," \
	" kind TEXT NOT NULL," \
	" item TEXT NOT NULL," \
	" attr TEXT NOT NULL," \
	" source," \
	" vtype NOT NULL," \
	" value BLOB," \
	" seen INTEGER NOT NULL," \
	" PRIMARY KEY (run_id, host_id, id)) WITHOUT ROWID;"
const char store_schema_v5[] =
	"CREATE TABLE oid_prefixes ("
	" id INTEGER PRIMARY KEY,"
	" prefix TEXT NOT NULL UNIQUE);"
	"CREATE TABLE obs_ids (next INTEGER NOT NULL);"
	"INSERT INTO obs_ids (next) SELECT coalesce(max(id), 0) + 1 "
	"FROM observations;"
	V5_OBS_TABLE("observations_v5")
	"INSERT INTO observations_v5 (run_id, host_id, id, channel, kind, "
	"item, attr, source, vtype, value, seen) SELECT o.run_id, o.host_id, "
	"o.id, " CHAN_SQL_CODE("o.channel") ", o.kind, o.item, o.attr, "
	"o.source, " VTYPE_SQL_CODE("o.vtype") ", o.value, o.seen - "
	"coalesce((SELECT r.started FROM runs r WHERE r.id = o.run_id), 0) "
	"FROM observations o ORDER BY o.run_id, o.host_id, o.id;"
	"CREATE TABLE finding_evidence_v5 ("
	" finding_rowid INTEGER NOT NULL REFERENCES findings (id),"
	" observation_id INTEGER NOT NULL,"
	" PRIMARY KEY (finding_rowid, observation_id)) WITHOUT ROWID;"
	"INSERT INTO finding_evidence_v5 SELECT finding_rowid, observation_id "
	"FROM finding_evidence;"
	"DROP TABLE finding_evidence;"
	"DROP TABLE observations;"
	"ALTER TABLE observations_v5 RENAME TO observations;"
	"ALTER TABLE finding_evidence_v5 RENAME TO finding_evidence;";

/*
 * Version 5 -> 6: packed observations (issue 13; store_pack.c says the
 * form).  One row of obs_blocks holds one host's rows of one batch, ids
 * first_id .. last_id (each row's id is in the block; ids stay unique in
 * the database, so finding_evidence still names observations by id).
 * The blocks are a rowid table keyed by first_id, with an index on (run,
 * host): a block is kilobytes, and a WITHOUT ROWID b-tree compares whole
 * records on the way down (each one read from its overflow pages), where
 * a rowid table appends (ids ascend) and the index holds small keys.
 * The table `observations` becomes a view with its columns, for the
 * sqlite3 CLI.  store.c's migrate_6() packs the schema 5 rows between
 * store_schema_v6 and store_schema_v6_done, reading store_schema_v6_rows.
 */
const char store_schema_v6[] =
	"CREATE TABLE obs_blocks ("
	" first_id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL,"
	" host_id INTEGER NOT NULL,"
	" last_id INTEGER NOT NULL,"
	" rows TEXT NOT NULL,"
	" vals BLOB NOT NULL);"
	"CREATE INDEX obs_blocks_key ON obs_blocks (run_id, host_id);"
	"ALTER TABLE observations RENAME TO observations_v5;";
const char store_schema_v6_rows[] =
	"SELECT run_id, host_id, id, channel, kind, item, attr, source, "
	"vtype, value, seen FROM observations_v5 "
	"ORDER BY run_id, host_id, id";
const char store_schema_v6_done[] =
	"DROP TABLE observations_v5;"
	"CREATE VIEW observations AS " OBS_ROWS_SELECT_V6("") ";";

/*
 * Versions 7 and 8: the view replaced by today's, which reads every form
 * of a block's rows (store_pack.c: short rows naming an earlier whole
 * row, since 7; short rows without their value's offset and, when it is
 * the next one, their id, since 8).  The blocks stay as they are.
 */
const char store_schema_view[] =
	"DROP VIEW observations;"
	"CREATE VIEW observations AS " OBS_ROWS_SELECT("") ";";

/*
 * Version 9: values stored once (store_values.c): a row whose length is
 * negative names the value of that id here instead of holding its bytes
 * in its block, and the view reads it there.  Older blocks stay as they
 * are.
 */
const char store_schema_v9[] =
	"CREATE TABLE obs_values ("
	" id INTEGER PRIMARY KEY,"
	" value BLOB NOT NULL);"
	"DROP VIEW observations;"
	"CREATE VIEW observations AS " OBS_ROWS_SELECT("") ";";

/*
 * A new, empty database: the schema that migrations 1 to 9 leave, written
 * at once (issue 13: migrating an empty file table by table -- columns
 * added, tables copied, dropped and renamed, each change re-reading the
 * schema -- was a tenth of a one-host scan's CPU).  Any change to the
 * schema goes here as well as into a migration; test_store compares the
 * two, table by table, column by column, index by index.
 */
const char store_schema_new[] =
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
	" jurisdiction TEXT,"
	" PRIMARY KEY (run_id, host_id)) WITHOUT ROWID;"
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
	" seen_run INTEGER REFERENCES runs (id),"
	" note TEXT,"
	" lead INTEGER NOT NULL DEFAULT 0,"
	" binding_scope TEXT,"
	" UNIQUE (run_id, finding_id));"
	"CREATE INDEX findings_finding_id ON findings (finding_id, run_id);"
	"CREATE TABLE waivers ("
	" finding_id TEXT PRIMARY KEY,"
	" reason TEXT NOT NULL,"
	" until TEXT NOT NULL,"
	" created INTEGER NOT NULL,"
	" created_by TEXT);"
	"CREATE TABLE oid_prefixes ("
	" id INTEGER PRIMARY KEY,"
	" prefix TEXT NOT NULL UNIQUE);"
	"CREATE TABLE obs_ids (next INTEGER NOT NULL);"
	"INSERT INTO obs_ids (next) VALUES (1);"
	"CREATE TABLE finding_evidence ("
	" finding_rowid INTEGER NOT NULL REFERENCES findings (id),"
	" observation_id INTEGER NOT NULL,"
	" PRIMARY KEY (finding_rowid, observation_id)) WITHOUT ROWID;"
	"CREATE TABLE obs_blocks ("
	" first_id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL,"
	" host_id INTEGER NOT NULL,"
	" last_id INTEGER NOT NULL,"
	" rows TEXT NOT NULL,"
	" vals BLOB NOT NULL);"
	"CREATE INDEX obs_blocks_key ON obs_blocks (run_id, host_id);"
	"CREATE TABLE obs_values ("
	" id INTEGER PRIMARY KEY,"
	" value BLOB NOT NULL);"
	"CREATE VIEW observations AS " OBS_ROWS_SELECT("") ";";

/*
 * A merge reads the site's values stored once (schema 9) through a view of
 * its own, temp.merge_values, so that its statements read every site the
 * same: a site of an older schema has none.
 */
const char store_merge_values_v9[] =
	"DROP VIEW IF EXISTS temp.merge_values;"
	"CREATE TEMP VIEW merge_values AS SELECT id, value "
	"FROM site.obs_values;";
const char store_merge_values_none[] =
	"DROP VIEW IF EXISTS temp.merge_values;"
	"CREATE TEMP VIEW merge_values AS SELECT 0 AS id, x'' AS value "
	"WHERE 0;";

/*
 * A merge maps the site's run and host ids onto this store's in two
 * temporary tables; observation and finding ids move by a fixed offset
 * (the store's largest id), so evidence rows follow without a map.
 */
const char store_merge_setup[] =
	"CREATE TEMP TABLE IF NOT EXISTS merge_runs ("
	" old INTEGER PRIMARY KEY, new INTEGER NOT NULL);"
	"CREATE TEMP TABLE IF NOT EXISTS merge_hosts ("
	" old INTEGER PRIMARY KEY, new INTEGER NOT NULL);"
	"DELETE FROM temp.merge_runs;"
	"DELETE FROM temp.merge_hosts;";

/* Finished site runs this store lacks. */
#define SITE_RUNS_NEW "FROM site.runs s WHERE s.status <> 'running' AND " \
	"NOT EXISTS (SELECT 1 FROM main.runs m WHERE m.uuid = s.uuid)"
/* Observation ?1 and finding ?2 id offsets. */
#define MAPPED(t) "JOIN temp.merge_runs r ON r.old = " t ".run_id " \
	"JOIN temp.merge_hosts mh ON mh.old = " t ".host_id"
/*
 * The site's blocks that hold the evidence of a finding of a run being
 * merged: a schema 6 to 8 site's evidence spelled out from these alone
 * (OBS_ROWS_OVER() sorts what it spells out).
 */
#define SITE_EVIDENCE_BLOCKS "(SELECT DISTINCT b.* FROM " \
	"site.finding_evidence e JOIN site.findings f ON " \
	"f.id = e.finding_rowid JOIN temp.merge_runs fr ON " \
	"fr.old = f.run_id " EVIDENCE_BLOCKS_JOIN("site.") ")"

const char *const store_merge_sql[MS__COUNT] = {
	[MS_CHECK_TABLES] = "SELECT count(*) FROM site.sqlite_schema WHERE "
	    "type IN ('table', 'view') AND name IN ('runs', 'hosts', "
	    "'host_keys', "
	    "'run_hosts', 'observations', 'coverage', 'findings', "
	    "'finding_evidence')",
	[MS_RUNS_SKIPPED] = "SELECT " STORE_COLS_SQL(MERGE_RUNS_SKIPPED_COLS)
	    " FROM site.runs s",
	/* The run columns unqualified: s is the one table of the select. */
	[MS_RUNS_NEW] = "SELECT " STORE_COLS_SQL(RUN_COLS) " " SITE_RUNS_NEW
	    " ORDER BY s.started, s.id",
	[MS_RUN_INSERT] = "INSERT INTO main.runs (kind, status, label, scope, "
	    "sector, site, started, finished, tool_version, rules_version, "
	    "oui_registry, origin, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?13)",
	[MS_MAP_RUN] = "INSERT INTO temp.merge_runs (old, new) VALUES (?1, ?2)",
	/* Every host a copied row refers to. */
	[MS_HOSTS_USED] = "SELECT host_id FROM site.run_hosts WHERE run_id IN "
	    "(SELECT old FROM temp.merge_runs) UNION SELECT host_id FROM "
	    "site.observations WHERE run_id IN (SELECT old FROM "
	    "temp.merge_runs) UNION SELECT host_id FROM site.coverage WHERE "
	    "run_id IN (SELECT old FROM temp.merge_runs) UNION SELECT host_id "
	    "FROM site.findings WHERE run_id IN (SELECT old FROM "
	    "temp.merge_runs) ORDER BY 1",
	[MS_HOSTS_USED_V6] = "SELECT host_id FROM site.run_hosts WHERE "
	    "run_id IN (SELECT old FROM temp.merge_runs) UNION SELECT host_id "
	    "FROM site.obs_blocks WHERE run_id IN (SELECT old FROM "
	    "temp.merge_runs) UNION SELECT host_id FROM site.coverage WHERE "
	    "run_id IN (SELECT old FROM temp.merge_runs) UNION SELECT host_id "
	    "FROM site.findings WHERE run_id IN (SELECT old FROM "
	    "temp.merge_runs) ORDER BY 1",
	[MS_HOST_GET] = "SELECT " STORE_COLS_SQL(MERGE_HOST_COLS) " "
	    "FROM site.hosts WHERE id = ?1",
	[MS_HOST_KEYS] = "SELECT key FROM site.host_keys WHERE host_id = ?1 "
	    "ORDER BY key",
	[MS_MAP_HOST] = "INSERT INTO temp.merge_hosts (old, new) "
	    "VALUES (?1, ?2)",
	/* Two site hosts may map onto one: the first row wins. */
#define RUN_HOSTS_COPY "INSERT INTO main.run_hosts (run_id, host_id, " \
	"address, name, sector, site, owner, criticality, jurisdiction) " \
	"SELECT r.new, mh.new, s.address, s.name, s.sector, s.site, " \
	"s.owner, s.criticality, "
	[MS_RUN_HOSTS] = RUN_HOSTS_COPY "NULL FROM site.run_hosts s "
	    MAPPED("s") " WHERE true ORDER BY s.run_id, s.host_id "
	    "ON CONFLICT DO NOTHING",
	[MS_RUN_HOSTS_V4] = RUN_HOSTS_COPY "s.jurisdiction FROM "
	    "site.run_hosts s " MAPPED("s") " WHERE true ORDER BY s.run_id, "
	    "s.host_id ON CONFLICT DO NOTHING",
#undef RUN_HOSTS_COPY
#define SITE_SEEN_V4 "o.seen - coalesce((SELECT sr.started FROM " \
	"site.runs sr WHERE sr.id = o.run_id), 0)"
	/*
	 * The site's observations as rows to pack (store_packrow_from()'s
	 * columns), in key order.  From a site before schema 5: coded as
	 * migrate_5() codes.
	 */
	[MS_OBSERVATIONS] = "SELECT r.new, mh.new, o.id + ?1, "
	    CHAN_SQL_CODE("o.channel") ", o.kind, o.item, o.attr, o.source, "
	    VTYPE_SQL_CODE("o.vtype") ", o.value, " SITE_SEEN_V4 " "
	    "FROM site.observations o " MAPPED("o") " ORDER BY 1, 2, 3",
	/*
	 * The default: only the observations that are the evidence of a
	 * finding or lead of a copied run (the raw values stay at the site).
	 */
	[MS_OBSERVATIONS_EVIDENCE] = "SELECT r.new, mh.new, o.id + ?1, "
	    CHAN_SQL_CODE("o.channel") ", o.kind, o.item, o.attr, o.source, "
	    VTYPE_SQL_CODE("o.vtype") ", o.value, " SITE_SEEN_V4 " "
	    "FROM (SELECT DISTINCT e.observation_id AS oid FROM "
	    "site.finding_evidence e JOIN site.findings f ON "
	    "f.id = e.finding_rowid JOIN temp.merge_runs fr ON "
	    "fr.old = f.run_id) ev JOIN site.observations o ON o.id = ev.oid "
	    MAPPED("o") " ORDER BY 1, 2, 3",
	/* From a schema 5 site: ids and codes as they are, sources as text. */
#define OBS_COPY "SELECT r.new, mh.new, o.id + ?1, o.channel, o.kind, " \
	"o.item, o.attr, " SOURCE_SQL_TEXT("o", "site.oid_prefixes") ", " \
	"o.vtype, o.value, o.seen FROM "
#define OBS_EVIDENCE "(SELECT DISTINCT e.observation_id AS oid, " \
	"coalesce(f.seen_run, f.run_id) AS orun, f.host_id AS ohost FROM " \
	"site.finding_evidence e JOIN site.findings f ON " \
	"f.id = e.finding_rowid JOIN temp.merge_runs fr ON " \
	"fr.old = f.run_id) ev JOIN "
#define OBS_EVIDENCE_ON " o ON o.run_id = ev.orun AND " \
	"o.host_id = ev.ohost AND o.id = ev.oid "
	[MS_OBSERVATIONS_V5] = OBS_COPY "site.observations o " MAPPED("o")
	    " ORDER BY 1, 2, 3",
	[MS_OBSERVATIONS_EVIDENCE_V5] = OBS_COPY OBS_EVIDENCE
	    "site.observations" OBS_EVIDENCE_ON MAPPED("o")
	    " ORDER BY 1, 2, 3",
	/*
	 * From a schema 6 to 8 site: its blocks, decoded by the merge
	 * (store_unpack_next()), in key order; the sources' prefixes by id.
	 */
	[MS_OBSERVATIONS_V6] = "SELECT r.new, mh.new, b.first_id, b.rows, "
	    "b.vals FROM site.obs_blocks b " MAPPED("b") " ORDER BY 1, 2, 3",
	[MS_OBSERVATIONS_EVIDENCE_V6] = OBS_COPY OBS_EVIDENCE
	    "(" OBS_ROWS_OVER(SITE_EVIDENCE_BLOCKS,
	    "temp.merge_values") ")" OBS_EVIDENCE_ON
	    MAPPED("o") " ORDER BY 1, 2, 3",
#undef OBS_EVIDENCE_ON
#undef OBS_EVIDENCE
#undef OBS_COPY
	/* The next observation id after what a merge copied. */
	[MS_OBS_IDS_SAVE] = "UPDATE main.obs_ids SET next = max(next, "
	    "coalesce((SELECT max(o.last_id) FROM main.obs_blocks o JOIN "
	    "temp.merge_runs r ON o.run_id = r.new), 0) + 1)",
	[MS_COVERAGE] = "INSERT INTO main.coverage (run_id, host_id, channel, "
	    "probe, status, detail, profile, elapsed_ms) "
	    "SELECT r.new, mh.new, c.channel, c.probe, c.status, c.detail, "
	    "c.profile, c.elapsed_ms FROM site.coverage c " MAPPED("c")
	    " WHERE true ON CONFLICT DO NOTHING",
#define FINDING_COPY "INSERT INTO main.findings (id, run_id, host_id, " \
	"finding_id, rule_id, vendor, product, asset, address, channel, " \
	"evidence, confidence, confidence_score, regulation, citation, " \
	"citation_url, effective_date, severity, likelihood, impact, " \
	"risk_score, risk_rating, recommended_action, due_date, " \
	"binding_scope, seen_run) " \
	"SELECT f.id + ?2, r.new, mh.new, f.finding_id, f.rule_id, " \
	"f.vendor, f.product, f.asset, f.address, f.channel, f.evidence, " \
	"f.confidence, f.confidence_score, f.regulation, f.citation, " \
	"f.citation_url, f.effective_date, f.severity, f.likelihood, " \
	"f.impact, f.risk_score, f.risk_rating, f.recommended_action, " \
	"f.due_date, "
	[MS_FINDINGS_V1] = FINDING_COPY "NULL, NULL FROM site.findings f "
	    MAPPED("f"),
	/* seen_run names a run that may have come in an earlier merge. */
#define SEEN_RUN "(SELECT m.id FROM main.runs m JOIN site.runs sr ON " \
	"sr.uuid = m.uuid WHERE sr.id = f.seen_run) "
	[MS_FINDINGS_V2] = FINDING_COPY "NULL, " SEEN_RUN
	    "FROM site.findings f " MAPPED("f"),
	/* Version 3: the note of a carried finding, and leads. */
	[MS_FINDINGS_V3] = "INSERT INTO main.findings (id, run_id, host_id, "
	    "finding_id, rule_id, vendor, product, asset, address, channel, "
	    "evidence, confidence, confidence_score, regulation, citation, "
	    "citation_url, effective_date, severity, likelihood, impact, "
	    "risk_score, risk_rating, recommended_action, due_date, seen_run, "
	    "note, lead) "
	    "SELECT f.id + ?2, r.new, mh.new, f.finding_id, f.rule_id, "
	    "f.vendor, f.product, f.asset, f.address, f.channel, f.evidence, "
	    "f.confidence, f.confidence_score, f.regulation, f.citation, "
	    "f.citation_url, f.effective_date, f.severity, f.likelihood, "
	    "f.impact, f.risk_score, f.risk_rating, f.recommended_action, "
	    "f.due_date, (SELECT m.id FROM main.runs m JOIN site.runs sr ON "
	    "sr.uuid = m.uuid WHERE sr.id = f.seen_run), f.note, f.lead "
	    "FROM site.findings f " MAPPED("f"),
	/* Version 4: jurisdictions and binding scopes too. */
	[MS_FINDINGS_V4] = "INSERT INTO main.findings (id, run_id, host_id, "
	    "finding_id, rule_id, vendor, product, asset, address, channel, "
	    "evidence, confidence, confidence_score, regulation, citation, "
	    "citation_url, effective_date, severity, likelihood, impact, "
	    "risk_score, risk_rating, recommended_action, due_date, seen_run, "
	    "note, lead, binding_scope) "
	    "SELECT f.id + ?2, r.new, mh.new, f.finding_id, f.rule_id, "
	    "f.vendor, f.product, f.asset, f.address, f.channel, f.evidence, "
	    "f.confidence, f.confidence_score, f.regulation, f.citation, "
	    "f.citation_url, f.effective_date, f.severity, f.likelihood, "
	    "f.impact, f.risk_score, f.risk_rating, f.recommended_action, "
	    "f.due_date, (SELECT m.id FROM main.runs m JOIN site.runs sr ON "
	    "sr.uuid = m.uuid WHERE sr.id = f.seen_run), f.note, f.lead, "
	    "f.binding_scope "
	    "FROM site.findings f " MAPPED("f"),
#undef SEEN_RUN
#undef FINDING_COPY
	/* Only evidence whose observation came in this merge. */
	[MS_EVIDENCE] = "INSERT INTO main.finding_evidence (finding_rowid, "
	    "observation_id) SELECT e.finding_rowid + ?2, "
	    "e.observation_id + ?1 FROM site.finding_evidence e "
	    "JOIN site.findings f ON f.id = e.finding_rowid "
	    "JOIN temp.merge_runs r ON r.old = f.run_id "
	    "JOIN site.observations o ON o.id = e.observation_id "
	    "JOIN temp.merge_runs ro ON ro.old = o.run_id",
	/* From a schema 5 site: its observations' key. */
	[MS_EVIDENCE_V5] = "INSERT INTO main.finding_evidence (finding_rowid, "
	    "observation_id) SELECT e.finding_rowid + ?2, "
	    "e.observation_id + ?1 FROM site.finding_evidence e "
	    "JOIN site.findings f ON f.id = e.finding_rowid "
	    "JOIN temp.merge_runs r ON r.old = f.run_id "
	    "JOIN site.observations o ON o.run_id = "
	    "coalesce(f.seen_run, f.run_id) AND o.host_id = f.host_id AND "
	    "o.id = e.observation_id "
	    "JOIN temp.merge_runs ro ON ro.old = o.run_id",
	/* From a schema 6 to 8 site: the same key, over its blocks. */
	[MS_EVIDENCE_V6] = "INSERT INTO main.finding_evidence (finding_rowid, "
	    "observation_id) SELECT e.finding_rowid + ?2, "
	    "e.observation_id + ?1 FROM site.finding_evidence e "
	    "JOIN site.findings f ON f.id = e.finding_rowid "
	    "JOIN temp.merge_runs r ON r.old = f.run_id "
	    "JOIN (" OBS_ROWS_OVER(SITE_EVIDENCE_BLOCKS,
	    "temp.merge_values") ") o ON o.run_id = "
	    "coalesce(f.seen_run, f.run_id) AND o.host_id = f.host_id AND "
	    "o.id = e.observation_id "
	    "JOIN temp.merge_runs ro ON ro.old = o.run_id",
	[MS_MAX_IDS] = "SELECT " STORE_COLS_SQL(MERGE_MAX_IDS_COLS),
	[MS_SITE_PREFIX] = "SELECT prefix FROM site.oid_prefixes WHERE id = ?1",
	[MS_SITE_VALUE] = "SELECT value FROM temp.merge_values WHERE id = ?1",
};

#undef SITE_SEEN_V4
#undef SITE_EVIDENCE_BLOCKS
#undef EVIDENCE_BLOCKS_JOIN
#undef MAPPED
#undef SITE_RUNS_NEW
