/*
 * store: the SQLite database that holds every run -- its hosts, raw
 * observations, coverage and findings -- and the only thing reports read.
 *
 * One writer: a scan opens the store with STORE_WRITE and adds rows in
 * batched transactions (committed every STORE_BATCH rows and at
 * store_flush()).  WAL journal.  A run starts as "running"; store_run_end()
 * marks it complete or incomplete.  A run left "running" by a killed process
 * is marked "incomplete" the next time the store is opened for writing, so
 * every earlier run stays intact and the interrupted one is visible as such.
 *
 * Schema (user_version = STORE_SCHEMA_VERSION; older versions are migrated
 * on open, newer ones refused):
 *   runs(id, kind, status, label, scope, sector, site, started, finished,
 *        tool_version, rules_version, oui_registry, origin, uuid)
 *   hosts(id, identity UNIQUE, discovered, first_seen, last_seen)
 *   host_keys(key PRIMARY KEY, host_id)       uuid:/serial:/mac:/addr: keys
 *   run_hosts(run_id, host_id, address, name, sector, site, owner,
 *        criticality)
 *   observations(id, run_id, host_id, channel, kind, item, attr, source,
 *        vtype, value BLOB, seen)
 *   coverage(run_id, host_id, channel, probe, status, detail, profile,
 *        elapsed_ms)
 *   findings(id, run_id, host_id, finding_id, rule_id, vendor, product,
 *        asset, address, channel, evidence, confidence, confidence_score,
 *        regulation, citation, citation_url, effective_date, severity,
 *        likelihood, impact, risk_score, risk_rating, recommended_action,
 *        due_date)
 *   finding_evidence(finding_rowid, observation_id)
 *
 * Error convention: functions return 0 / -1 and write a message into the
 * caller's buffer; SQLite codes never leave this module.  Strings handed to
 * callbacks are borrowed for the duration of the call.
 */
#ifndef BANAUDIT_STORE_H
#define BANAUDIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "obs.h"

#define STORE_SCHEMA_VERSION	1
#define STORE_BATCH		5000

struct store;

enum store_mode { STORE_READ, STORE_WRITE };

enum run_status { RUN_RUNNING, RUN_COMPLETE, RUN_INCOMPLETE, RUN_FAILED };

/*
 * Opens (STORE_WRITE: creates and migrates if needed) the database at path;
 * ":memory:" works.  Returns 0 and sets *out, or -1 with *out NULL.
 */
int	 store_open(const char *path, enum store_mode, struct store **out,
	    char *err, size_t errlen);
/* Commits what is pending and closes.  NULL is fine. */
void	 store_close(struct store *);
/* Commits the current batch. */
int	 store_flush(struct store *, char *err, size_t errlen);

/* --- runs ------------------------------------------------------------- */

struct run_info {
	int64_t		 id;
	const char	*kind;		/* "scan", "import", "merge" */
	enum run_status	 status;
	const char	*label;
	const char	*scope;		/* runs with equal scope compare */
	const char	*sector;
	const char	*site;
	int64_t		 started;
	int64_t		 finished;	/* 0 while running */
	const char	*tool_version;
	const char	*rules_version;
	const char	*oui_registry;
	const char	*origin;	/* merge provenance, or NULL */
	const char	*uuid;		/* globally unique run id */
};

/* Creates a run from ri (id, status, started and uuid are set here). */
int	 store_run_begin(struct store *, struct run_info *ri, char *err,
	    size_t errlen);
int	 store_run_end(struct store *, int64_t run, enum run_status, char *err,
	    size_t errlen);
/* Sets the OUI registry description of a run. */
int	 store_run_set_oui(struct store *, int64_t run, const char *registry,
	    char *err, size_t errlen);
const char *run_status_name(enum run_status);

/* Calls cb for each run, oldest first.  cb returns non-zero to stop. */
int	 store_each_run(struct store *, int (*cb)(void *,
	    const struct run_info *), void *arg, char *err, size_t errlen);
/* Fills *ri (strings valid until the next store call) for run id. */
int	 store_run_get(struct store *, int64_t id, struct run_info *ri,
	    char *err, size_t errlen);
/* The newest run, or the newest complete one; *id = 0 when none. */
int	 store_latest_run(struct store *, int complete_only, int64_t *id,
	    char *err, size_t errlen);
/* The newest complete run before run with the same scope; 0 when none. */
int	 store_previous_run(struct store *, int64_t run, int64_t *prev,
	    char *err, size_t errlen);

/* --- hosts ------------------------------------------------------------ */

struct host_info {
	const char	*address;	/* IP or name as targeted, or NULL */
	const char	*name;		/* sysName / hostname, or NULL */
	const char	*sector;
	const char	*site;
	const char	*owner;
	int		 criticality;	/* 1..5 */
	/* Identity hints, strongest first; NULL when unknown. */
	const char	*uuid;
	const char	*serial;
	const char	*mac;		/* aa:bb:cc:dd:ee:ff */
	int		 discovered;	/* seen only in neighbour tables */
};

/*
 * Finds the host matching the hints (uuid, then serial, then mac, then
 * address) or creates one, records the new keys, and links it to the run
 * with the given attributes.  Sets *id.
 */
int	 store_host(struct store *, int64_t run, const struct host_info *,
	    int64_t *id, char *err, size_t errlen);

/* --- observations and coverage ---------------------------------------- */

/* Adds an observation; *id (may be NULL) gets its row id. */
int	 store_observation(struct store *, int64_t run, int64_t host,
	    enum channel, const struct observation *, int64_t *id, char *err,
	    size_t errlen);
/* Adds or replaces the coverage of (run, host, channel, probe). */
int	 store_coverage(struct store *, int64_t run, int64_t host,
	    const struct coverage *, char *err, size_t errlen);

/* One observation as read back, with its host's run attributes. */
struct obs_row {
	int64_t		 id;
	int64_t		 run;
	int64_t		 host;
	const char	*host_identity;
	const char	*address;
	const char	*host_name;
	const char	*sector;
	const char	*site;
	int		 criticality;
	enum channel	 channel;
	struct observation obs;
	int64_t		 seen;
};

/*
 * Calls cb for each observation of run (of host only, if host > 0), ordered
 * by host, kind, item, attr.  cb returns non-zero to stop.
 */
int	 store_each_observation(struct store *, int64_t run, int64_t host,
	    int (*cb)(void *, const struct obs_row *), void *arg, char *err,
	    size_t errlen);

struct coverage_row {
	int64_t		 run;
	int64_t		 host;
	const char	*host_identity;
	const char	*address;
	const char	*host_name;
	const char	*sector;
	const char	*site;
	const char	*owner;
	struct coverage	 cov;
};

int	 store_each_coverage(struct store *, int64_t run,
	    int (*cb)(void *, const struct coverage_row *), void *arg,
	    char *err, size_t errlen);

/* --- findings --------------------------------------------------------- */

struct finding {
	int64_t		 rowid;		/* set by store_finding() */
	int64_t		 run;
	int64_t		 host;
	const char	*finding_id;	/* stable; see finding_id_make() */
	const char	*rule_id;
	const char	*vendor;
	const char	*product;
	const char	*asset;		/* what the banned thing is called */
	const char	*address;	/* where it is (IP, MAC) */
	const char	*channel;	/* "snmp", "snmp;agent", ... */
	const char	*evidence;	/* human summary of the evidence */
	const char	*confidence;	/* "high", "medium", "low" */
	int		 confidence_score;
	const char	*regulation;
	const char	*citation;
	const char	*citation_url;
	const char	*effective_date;
	const char	*severity;
	int		 likelihood;	/* 1..5 */
	int		 impact;	/* 1..5 */
	int		 risk_score;	/* likelihood * impact */
	const char	*risk_rating;
	const char	*recommended_action;
	const char	*due_date;
	const int64_t	*evidence_ids;	/* observation row ids */
	size_t		 nevidence;
};

/*
 * Stable finding id: "BA-" and the first 16 hex digits of
 * SHA-256(host identity "|" rule id).  buf must hold FINDING_ID_LEN bytes.
 */
#define FINDING_ID_LEN	20
void	 finding_id_make(const char *host_identity, const char *rule_id,
	    char *buf);

int	 store_finding(struct store *, struct finding *, char *err,
	    size_t errlen);

/* A finding as reports see it: stored columns plus history. */
struct finding_row {
	struct finding	 f;
	const char	*status;	/* "new", "persisting", "resolved" */
	int64_t		 first_seen;	/* earliest run of the same scope */
	int64_t		 last_seen;
	const char	*host_identity;
	const char	*host_name;
	const char	*sector;
	const char	*site;
	const char	*owner;
	int		 criticality;
};

/*
 * Calls cb for each finding of run, then (as status "resolved") for each
 * finding of the previous complete run of the same scope that run lacks.
 */
int	 store_each_finding(struct store *, int64_t run,
	    int (*cb)(void *, const struct finding_row *), void *arg,
	    char *err, size_t errlen);

#endif
