/*
 * store_cols: the result columns of the store's SELECT statements, named.
 * Each list below is the select list of one statement (store_sql.c) as
 * COL(NAME, "SQL expression") entries joined by SEP: store_sql.c expands
 * a list into the statement's select list (STORE_COLS_SQL), and the same
 * list is an enum (STORE_COLS_ENUM) that a reader passes to
 * sqlite3_column_*() instead of a number, so a column cannot move in the
 * SQL without its name moving with it.  A statement of one column, and
 * store_step_one()'s columns 0 and 1, are read by number.  Expressions may
 * use the macros that store_sql.c defines (SEEN() and the like): a list is
 * expanded into SQL only there.  Nothing outside the store includes this.
 */
#ifndef BANAUDIT_STORE_COLS_H
#define BANAUDIT_STORE_COLS_H

/* A list as a select list ("a, b, c"), or as enumerators (A, B, C,). */
#define STORE_COL_SQL(name, sql)	sql
#define STORE_COL_NAME(name, sql)	name,
#define STORE_COL_NOSEP
#define STORE_COLS_SQL(list)		list(STORE_COL_SQL, ", ")
#define STORE_COLS_ENUM(list)		list(STORE_COL_NAME, STORE_COL_NOSEP)

/* A run: ST_RUN_EACH, ST_RUN_GET, and a site's runs (MS_RUNS_NEW). */
#define RUN_COLS(COL, SEP) \
	COL(RC_ID, "id") SEP \
	COL(RC_KIND, "kind") SEP \
	COL(RC_STATUS, "status") SEP \
	COL(RC_LABEL, "label") SEP \
	COL(RC_SCOPE, "scope") SEP \
	COL(RC_SECTOR, "sector") SEP \
	COL(RC_SITE, "site") SEP \
	COL(RC_STARTED, "started") SEP \
	COL(RC_FINISHED, "finished") SEP \
	COL(RC_TOOL_VERSION, "tool_version") SEP \
	COL(RC_RULES_VERSION, "rules_version") SEP \
	COL(RC_OUI_REGISTRY, "oui_registry") SEP \
	COL(RC_ORIGIN, "origin") SEP \
	COL(RC_UUID, "uuid")
enum run_col { STORE_COLS_ENUM(RUN_COLS) };

/* A host of a run: ST_HOST_EACH. */
#define HOST_EACH_COLS(COL, SEP) \
	COL(HE_ID, "h.id") SEP \
	COL(HE_RUN, "rh.run_id") SEP \
	COL(HE_IDENTITY, "h.identity") SEP \
	COL(HE_ADDRESS, "rh.address") SEP \
	COL(HE_NAME, "rh.name") SEP \
	COL(HE_SECTOR, "rh.sector") SEP \
	COL(HE_SITE, "rh.site") SEP \
	COL(HE_OWNER, "rh.owner") SEP \
	COL(HE_CRITICALITY, "rh.criticality") SEP \
	COL(HE_DISCOVERED, "h.discovered") SEP \
	COL(HE_FIRST_SEEN, "h.first_seen") SEP \
	COL(HE_LAST_SEEN, "h.last_seen") SEP \
	COL(HE_JURISDICTION, "rh.jurisdiction")
enum host_each_col { STORE_COLS_ENUM(HOST_EACH_COLS) };

/*
 * A run's blocks of packed observations: ST_BLOCK_EACH (store_pack.c
 * decodes rows and vals).
 */
#define BLOCK_EACH_COLS(COL, SEP) \
	COL(BE_HOST, "b.host_id") SEP \
	COL(BE_FIRST, "b.first_id") SEP \
	COL(BE_ROWS, "b.rows") SEP \
	COL(BE_VALS, "b.vals")
enum block_each_col { STORE_COLS_ENUM(BLOCK_EACH_COLS) };

/* The attributes of a host in a run, for its observations: ST_OBS_HOST. */
#define OBS_HOST_COLS(COL, SEP) \
	COL(OH_IDENTITY, "h.identity") SEP \
	COL(OH_ADDRESS, "rh.address") SEP \
	COL(OH_NAME, "rh.name") SEP \
	COL(OH_SECTOR, "rh.sector") SEP \
	COL(OH_SITE, "rh.site") SEP \
	COL(OH_CRITICALITY, "rh.criticality") SEP \
	COL(OH_JURISDICTION, "rh.jurisdiction")
enum obs_host_col { STORE_COLS_ENUM(OBS_HOST_COLS) };

/*
 * A host's observations with its attributes: ST_OBS_EACH_HOST (the source
 * spelled out, seen absolute; ?1 is the run).
 */
#define OBS_EACH_HOST_COLS(COL, SEP) \
	COL(OX_ID, "o.id") SEP \
	COL(OX_RUN, "o.run_id") SEP \
	COL(OX_HOST, "o.host_id") SEP \
	COL(OX_IDENTITY, "h.identity") SEP \
	COL(OX_ADDRESS, "rh.address") SEP \
	COL(OX_NAME, "rh.name") SEP \
	COL(OX_SECTOR, "rh.sector") SEP \
	COL(OX_SITE, "rh.site") SEP \
	COL(OX_CHANNEL, "o.channel") SEP \
	COL(OX_KIND, "o.kind") SEP \
	COL(OX_ITEM, "o.item") SEP \
	COL(OX_ATTR, "o.attr") SEP \
	COL(OX_SOURCE, SOURCE_SQL_TEXT("o", "oid_prefixes")) SEP \
	COL(OX_VTYPE, "o.vtype") SEP \
	COL(OX_VALUE, "o.value") SEP \
	COL(OX_SEEN, "o.seen + (SELECT r.started FROM runs r " \
	    "WHERE r.id = ?1)") SEP \
	COL(OX_CRITICALITY, "rh.criticality") SEP \
	COL(OX_JURISDICTION, "rh.jurisdiction")
enum obs_each_host_col { STORE_COLS_ENUM(OBS_EACH_HOST_COLS) };

/* A coverage row of a run: ST_COV_EACH. */
#define COV_EACH_COLS(COL, SEP) \
	COL(CE_RUN, "c.run_id") SEP \
	COL(CE_HOST, "c.host_id") SEP \
	COL(CE_IDENTITY, "h.identity") SEP \
	COL(CE_ADDRESS, "rh.address") SEP \
	COL(CE_NAME, "rh.name") SEP \
	COL(CE_SECTOR, "rh.sector") SEP \
	COL(CE_SITE, "rh.site") SEP \
	COL(CE_OWNER, "rh.owner") SEP \
	COL(CE_CHANNEL, "c.channel") SEP \
	COL(CE_PROBE, "c.probe") SEP \
	COL(CE_STATUS, "c.status") SEP \
	COL(CE_DETAIL, "c.detail") SEP \
	COL(CE_PROFILE, "c.profile") SEP \
	COL(CE_ELAPSED_MS, "c.elapsed_ms") SEP \
	COL(CE_JURISDICTION, "rh.jurisdiction")
enum cov_each_col { STORE_COLS_ENUM(COV_EACH_COLS) };

/* The coverage of one probe or channel: ST_COV_GET. */
#define COV_GET_COLS(COL, SEP) \
	COL(CG_STATUS, "c.status") SEP \
	COL(CG_DETAIL, "c.detail")
enum cov_get_col { STORE_COLS_ENUM(COV_GET_COLS) };

/*
 * A finding of a run with its status and history: ST_FINDING_EACH (x: the
 * finding, hs its host, rh/ro its run's or last observing run's host
 * attributes, w its waiver; SEEN() is defined beside the statement).
 */
#define FINDING_EACH_COLS(COL, SEP) \
	COL(FE_ROWID, "x.id") SEP \
	COL(FE_RUN, "x.run_id") SEP \
	COL(FE_HOST, "x.host_id") SEP \
	COL(FE_FINDING_ID, "x.finding_id") SEP \
	COL(FE_RULE_ID, "x.rule_id") SEP \
	COL(FE_VENDOR, "x.vendor") SEP \
	COL(FE_PRODUCT, "x.product") SEP \
	COL(FE_ASSET, "x.asset") SEP \
	COL(FE_ADDRESS, "x.address") SEP \
	COL(FE_CHANNEL, "x.channel") SEP \
	COL(FE_EVIDENCE, "x.evidence") SEP \
	COL(FE_CONFIDENCE, "x.confidence") SEP \
	COL(FE_CONFIDENCE_SCORE, "x.confidence_score") SEP \
	COL(FE_REGULATION, "x.regulation") SEP \
	COL(FE_CITATION, "x.citation") SEP \
	COL(FE_CITATION_URL, "x.citation_url") SEP \
	COL(FE_EFFECTIVE_DATE, "x.effective_date") SEP \
	COL(FE_SEVERITY, "x.severity") SEP \
	COL(FE_LIKELIHOOD, "x.likelihood") SEP \
	COL(FE_IMPACT, "x.impact") SEP \
	COL(FE_RISK_SCORE, "x.risk_score") SEP \
	COL(FE_RISK_RATING, "x.risk_rating") SEP \
	COL(FE_RECOMMENDED_ACTION, "x.recommended_action") SEP \
	COL(FE_DUE_DATE, "x.due_date") SEP \
	COL(FE_STATUS, "x.status") SEP \
	COL(FE_FIRST_SEEN, SEEN("min")) SEP \
	COL(FE_LAST_SEEN, SEEN("max")) SEP \
	COL(FE_IDENTITY, "hs.identity") SEP \
	COL(FE_NAME, "coalesce(rh.name, ro.name)") SEP \
	COL(FE_SECTOR, "coalesce(rh.sector, ro.sector)") SEP \
	COL(FE_SITE, "coalesce(rh.site, ro.site)") SEP \
	COL(FE_OWNER, "coalesce(rh.owner, ro.owner)") SEP \
	COL(FE_CRITICALITY, "coalesce(rh.criticality, ro.criticality)") SEP \
	COL(FE_EVIDENCE_IDS, "(SELECT group_concat(e.observation_id) " \
	    "FROM finding_evidence e WHERE e.finding_rowid = x.id)") SEP \
	COL(FE_UNVERIFIED, "x.na") SEP \
	COL(FE_WAIVED_UNTIL, "w.until") SEP \
	COL(FE_WAIVER_REASON, "w.reason") SEP \
	COL(FE_WAIVER_BY, "w.created_by") SEP \
	COL(FE_NOTE, "x.note") SEP \
	COL(FE_BINDING_SCOPE, "x.binding_scope") SEP \
	COL(FE_JURISDICTION, "coalesce(rh.jurisdiction, ro.jurisdiction)")
enum finding_each_col { STORE_COLS_ENUM(FINDING_EACH_COLS) };

/* A lead of a run: ST_LEAD_EACH. */
#define LEAD_EACH_COLS(COL, SEP) \
	COL(LE_FINDING_ID, "f.finding_id") SEP \
	COL(LE_RULE_ID, "f.rule_id") SEP \
	COL(LE_VENDOR, "f.vendor") SEP \
	COL(LE_PRODUCT, "f.product") SEP \
	COL(LE_ASSET, "f.asset") SEP \
	COL(LE_ADDRESS, "f.address") SEP \
	COL(LE_CHANNEL, "f.channel") SEP \
	COL(LE_EVIDENCE, "f.evidence") SEP \
	COL(LE_CONFIDENCE, "f.confidence") SEP \
	COL(LE_REASON, "f.note") SEP \
	COL(LE_IDENTITY, "h.identity") SEP \
	COL(LE_NAME, "rh.name") SEP \
	COL(LE_SECTOR, "rh.sector") SEP \
	COL(LE_SITE, "rh.site") SEP \
	COL(LE_OWNER, "rh.owner") SEP \
	COL(LE_SEEN, "r.started") SEP \
	COL(LE_HOST, "f.host_id")
enum lead_each_col { STORE_COLS_ENUM(LEAD_EACH_COLS) };

/*
 * Where a finding's evidence was read: ST_EVIDENCE_SOURCES (the first of
 * its UNIONed selects; the others list the same columns in this order).
 */
#define EVIDENCE_SOURCE_COLS(COL, SEP) \
	COL(ES_IDENTITY, "h.identity") SEP \
	COL(ES_NAME, "rh.name") SEP \
	COL(ES_ADDRESS, "rh.address") SEP \
	COL(ES_CHANNEL, "ev.channel") SEP \
	COL(ES_KIND, "ev.kind") SEP \
	COL(ES_TABLE, "CASE WHEN ev.kind = 'neighbor' THEN " \
	    "substr(ev.item, 1, instr(ev.item || '.', '.') - 1) ELSE '' END")
enum evidence_source_col { STORE_COLS_ENUM(EVIDENCE_SOURCE_COLS) };

/* A host not assessed in a run: ST_UNASSESSED_EACH (a, b: the runs). */
#define UNASSESSED_EACH_COLS(COL, SEP) \
	COL(UE_HOST, "h.id") SEP \
	COL(UE_IDENTITY, "h.identity") SEP \
	COL(UE_ADDRESS, "coalesce(a.address, b.address)") SEP \
	COL(UE_NAME, "coalesce(a.name, b.name)") SEP \
	COL(UE_SECTOR, "coalesce(a.sector, b.sector)") SEP \
	COL(UE_SITE, "coalesce(a.site, b.site)") SEP \
	COL(UE_REASON, "CASE WHEN a.host_id IS NULL THEN " \
	    "'not part of the run' ELSE (SELECT group_concat(t, '; ') FROM " \
	    "(SELECT DISTINCT v.channel || ' ' || v.status AS t FROM " \
	    "coverage v WHERE v.run_id = ?1 AND v.host_id = h.id " \
	    "ORDER BY 1)) END")
enum unassessed_each_col { STORE_COLS_ENUM(UNASSESSED_EACH_COLS) };

/* A waiver: ST_WAIVER_EACH. */
#define WAIVER_EACH_COLS(COL, SEP) \
	COL(WE_FINDING_ID, "finding_id") SEP \
	COL(WE_REASON, "reason") SEP \
	COL(WE_UNTIL, "until") SEP \
	COL(WE_CREATED, "created") SEP \
	COL(WE_CREATED_BY, "created_by") SEP \
	COL(WE_ACTIVE, "until >= banaudit_today()")
enum waiver_each_col { STORE_COLS_ENUM(WAIVER_EACH_COLS) };

/* The store's largest ids before a merge: MS_MAX_IDS. */
#define MERGE_MAX_IDS_COLS(COL, SEP) \
	COL(MX_OBSERVATION, "coalesce((SELECT next - 1 FROM " \
	    "main.obs_ids), 0)") SEP \
	COL(MX_FINDING, "coalesce((SELECT max(id) FROM main.findings), 0)")
enum merge_max_ids_col { STORE_COLS_ENUM(MERGE_MAX_IDS_COLS) };

/* The site's runs a merge skips: MS_RUNS_SKIPPED. */
#define MERGE_RUNS_SKIPPED_COLS(COL, SEP) \
	COL(MR_RUNNING, "count(*) FILTER (WHERE s.status = 'running')") \
	SEP \
	COL(MR_PRESENT, "count(*) FILTER (WHERE s.status <> 'running' " \
	    "AND EXISTS (SELECT 1 FROM main.runs m WHERE m.uuid = s.uuid))")
enum merge_runs_skipped_col { STORE_COLS_ENUM(MERGE_RUNS_SKIPPED_COLS) };

/* A site host: MS_HOST_GET. */
#define MERGE_HOST_COLS(COL, SEP) \
	COL(MH_IDENTITY, "identity") SEP \
	COL(MH_DISCOVERED, "discovered") SEP \
	COL(MH_FIRST_SEEN, "first_seen") SEP \
	COL(MH_LAST_SEEN, "last_seen")
enum merge_host_col { STORE_COLS_ENUM(MERGE_HOST_COLS) };

#endif
