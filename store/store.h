/*
 * store: the SQLite database that holds every run -- its hosts, raw
 * observations, coverage and findings -- and the only thing reports read.
 *
 * One writer: a scan opens the store with STORE_WRITE and adds rows in
 * batched transactions (committed every STORE_BATCH rows or STORE_BATCH_MS
 * milliseconds, whichever comes first, and at store_flush(),
 * store_run_end() and store_close()).  WAL journal.  The
 * writer holds an flock() on the database file itself (keyed on the file,
 * not the path: a symlink or hard link to a database in use is refused),
 * so a second writer is refused instead of corrupting the first one's run.
 * Within one process, a second store_open() of a file another handle of
 * the process has open drops that handle's SQLite locks when it fails
 * (POSIX lock semantics): one handle per file per process.  A run starts
 * as "running" and is committed at once; store_run_end() marks it
 * complete, incomplete or failed.  A run left "running" by a killed
 * process is marked "incomplete" the next time the store is opened for
 * writing, so every earlier run and every committed batch stays intact (a
 * SIGKILL loses at most the open batch) and the interrupted run is
 * visible as such.
 *
 * Files: a database the writer creates is mode 0600 (0640 with
 * STORE_GROUP_READABLE), whatever the umask; SQLite gives its -wal and
 * -shm the database's mode.  A writer warns (log_warn()) when an existing
 * database is readable by every user.  Before SQLite sees a file, its
 * header is read: a file that is not SQLite, another application's
 * database or a newer schema is refused unchanged (no journal switch, no
 * side file).  A reader opens read-only; on a read-only file system, or
 * in a folder it may not write with no -wal present, it opens the file
 * immutable (no locks, no -shm), so archived databases on read-only media
 * still report.
 * Local file systems only: WAL needs shared memory.
 *
 * Schema (user_version = STORE_SCHEMA_VERSION; older versions are migrated
 * on open, newer ones refused):
 *   runs(id, kind, status, label, scope, sector, site, started, finished,
 *        tool_version, rules_version, oui_registry, origin, uuid)
 *   hosts(id, identity UNIQUE, discovered, first_seen, last_seen)
 *   host_keys(key PRIMARY KEY, host_id)       uuid:/serial:/mac:/addr: keys
 *   run_hosts(run_id, host_id, address, name, sector, site, owner,
 *        criticality, jurisdiction)
 *   obs_blocks(first_id INTEGER PRIMARY KEY, run_id, host_id, last_id,
 *        rows TEXT, vals BLOB), index (run_id, host_id): observations,
 *        packed (store_pack.c)
 *   obs_values(id INTEGER PRIMARY KEY, value BLOB): values stored once
 *   observations(run_id, host_id, id, channel, kind, item, attr, source,
 *        vtype, value BLOB, seen): a VIEW over obs_blocks and obs_values
 *   oid_prefixes(id, prefix UNIQUE), obs_ids(next)
 *   coverage(run_id, host_id, channel, probe, status, detail, profile,
 *        elapsed_ms)
 *   findings(id, run_id, host_id, finding_id, rule_id, vendor, product,
 *        asset, address, channel, evidence, confidence, confidence_score,
 *        regulation, citation, citation_url, effective_date, severity,
 *        likelihood, impact, risk_score, risk_rating, recommended_action,
 *        due_date, seen_run, note, lead, binding_scope)
 *   finding_evidence(finding_rowid, observation_id)
 *   waivers(finding_id PRIMARY KEY, reason, until, created, created_by)
 * Version 2 added waivers and findings.seen_run (see "History" below);
 * version 3 findings.note (why a carried finding is unverified) and
 * findings.lead; version 4 run_hosts.jurisdiction and
 * findings.binding_scope; version 5 compact observations (issue 13: 57
 * instead of 102 bytes per SNMP row, no second index to keep): clustered
 * by run and host, ids handed out by the store (obs_ids), channel and
 * vtype as small integer codes, an SNMP source as the id of its column's
 * OID in oid_prefixes (the source is that prefix, a dot and the item),
 * seen as seconds after the run's start, and the foreign keys of
 * observations and of finding_evidence's observation checked in code
 * (an observation's run and host exist; evidence is an observation of
 * the finding's run and host).  store_sql.c spells the codes out.
 * Version 6 packs observations (issue 13): a host's rows of one batch are
 * one obs_blocks row, its rows a compact JSON array (ids, the codes and
 * strings of schema 5, each value's place in vals) and its values side by
 * side in one blob; observations is a view with schema 5's columns, for
 * the sqlite3 CLI (the store's own SQL spells the same expansion out).
 * Version 7 lets a row of a block say only its id, item and value and
 * name an earlier whole row for the rest; version 8 leaves out such a
 * row's value offset (the next one) and its id when it is the next one
 * (issue 13: 39 to 30 bytes a walk's varbind); version 9 stores a value
 * that repeats (a software name a thousand hosts report) once, in
 * obs_values, and its rows name it by its id, negated where the length
 * goes (issue 13: 30 to 20 bytes a walk's varbind).
 * Indexes: runs(scope, started, id), host_keys(host_id), findings
 * UNIQUE(run_id, finding_id) and findings(finding_id, run_id).  PRAGMA
 * application_id = 0x42414e41 ("BANA") marks the file as banaudit's.
 * Text columns are readable with the sqlite3 CLI: kind, attr, status are
 * obs.h names and times are Unix seconds (UTC).
 *
 * Error convention: functions return 0 / -1 and write a message into the
 * caller's buffer; SQLite codes never leave this module.  Strings handed to
 * callbacks are borrowed for the duration of the call.  A callback may call
 * other store functions (writes included; a full batch may commit
 * mid-iteration), but not the iterator it is called from: that returns -1.
 *
 * Files: store.c (open, schema, transactions), store_sql.c (all SQL),
 * store_pack.c (packed observations), store_run.c, store_host.c,
 * store_data.c, store_find.c, store_defer.c (coverage and names held back),
 * store_history.c (carried findings, hosts not assessed, waivers),
 * store_merge.c; store_int.h is private.
 */
#ifndef BANAUDIT_STORE_H
#define BANAUDIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "obs.h"
#include "host.h"

#define STORE_SCHEMA_VERSION	9
#define STORE_BATCH		50000	/* rows in a batch at most */
#define STORE_BATCH_MS		1000	/* and milliseconds */
#define STORE_BATCH_CHECK	256	/* rows between looks at the clock */

struct store;

enum store_mode { STORE_READ, STORE_WRITE };

/* store_open_flags() flags. */
#define STORE_GROUP_READABLE	0x1	/* create the database 0640 */

enum run_status { RUN_RUNNING, RUN_COMPLETE, RUN_INCOMPLETE, RUN_FAILED };

/*
 * Opens (STORE_WRITE: creates and migrates if needed) the database at path;
 * ":memory:" works.  Returns 0 and sets *out, or -1 with *out NULL.
 * STORE_READ opens the file read-only and fails on a missing file ("no
 * database at X; run a scan first").  A file that is not SQLite, an SQLite
 * file of another application, or a schema newer than
 * STORE_SCHEMA_VERSION is refused with a message saying so.  Every write
 * function fails on a STORE_READ handle.
 */
int	 store_open(const char *path, enum store_mode, struct store **out,
	    char *err, size_t errlen);
/* The same with flags (STORE_GROUP_READABLE); store_open() passes 0. */
int	 store_open_flags(const char *path, enum store_mode, unsigned flags,
	    struct store **out, char *err, size_t errlen);
/*
 * Commits what is pending and closes.  NULL is fine.  A failed final
 * commit cannot be reported here: callers that must know call
 * store_flush() first.
 */
void	 store_close(struct store *);
/*
 * Sets how long a batch may stay open (STORE_BATCH_MS by default; 0: by
 * rows only, for a test that counts what a kill leaves).
 */
void	 store_batch_ms(struct store *, int64_t ms);
/* Commits the current batch (a no-op on a STORE_READ handle). */
int	 store_flush(struct store *, char *err, size_t errlen);
/*
 * With on set, store_coverage() and store_host_name() hold their rows
 * back and write them STORE_HOST_GROUP (64) at a time, one statement a
 * group, in the order given (store_defer.c): when a group is full,
 * before anything reads or changes coverage or a run's hosts, before a
 * savepoint, and at the batch's commit.  Each call still checks what it
 * is given at once; a write the database refuses (a missing host, a
 * full disk) is then reported by the call that wrote the group, or by
 * store_flush().  Off (the default): each row is written by its call.
 */
void	 store_defer(struct store *, int on);
/*
 * With on set (a scan, run/scan.c), SQLite's checks of the schema's
 * foreign keys are off for the store's connection, and the keys are
 * those the store checks itself: the run and host that
 * store_observation(), store_coverage(), store_host_many(),
 * store_host_move(), store_finding() and store_carry_finding() are
 * given must exist, or the call fails as the keys made it fail ("... it
 * refers to a run, host, finding or observation that does not exist");
 * the other keys a scan writes name rows the store itself just wrote or
 * found (a host's keys and run link, a finding's evidence, a carried
 * finding's host).  SQLite opened a cursor on the parent table for each
 * key of each row: about 5 % of an identity scan's time
 * (docs/PERFORMANCE.md, "Foreign keys checked by the store").  Off
 * sets SQLite's checks on again.  The batch is committed first (the
 * setting changes only outside a transaction: else -1).  A build with
 * assertions keeps SQLite's checks on behind the store's, so that its
 * tests find a key the store failed to check.
 */
int	 store_bulk(struct store *, int on, char *err, size_t errlen);
/*
 * Sets the page cache of the store's connection to kib KiB, for the rest
 * of the handle's life (a writer opens with 4 MiB, a reader with 16 MiB).
 */
int	 store_cache_kib(struct store *, unsigned kib, char *err,
	    size_t errlen);

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

/*
 * Creates a run from ri and commits it at once (with the batch before it).
 * Sets ri->id, ri->status (RUN_RUNNING) and ri->finished (0).  ri->started
 * and ri->uuid are kept when set (merge keeps a site's provenance), else
 * set to now and a random UUID; that generated ri->uuid points into the
 * store, valid until the next store_run_begin() or store_close().
 * ri->kind is required.
 */
int	 store_run_begin(struct store *, struct run_info *ri, char *err,
	    size_t errlen);
/*
 * Sets the final status (not RUN_RUNNING) and finished time of run and
 * commits it in the same transaction as the pending batch.
 */
int	 store_run_end(struct store *, int64_t run, enum run_status, char *err,
	    size_t errlen);
/* Sets the OUI registry description of a run. */
int	 store_run_set_oui(struct store *, int64_t run, const char *registry,
	    char *err, size_t errlen);
const char *run_status_name(enum run_status);

/*
 * Runs are ordered by (started, id) everywhere: "oldest", "newest" and
 * "previous" below mean that order.
 *
 * Calls cb for each run, oldest first.  cb returns non-zero to stop.
 */
int	 store_each_run(struct store *, int (*cb)(void *,
	    const struct run_info *), void *arg, char *err, size_t errlen);
/*
 * Fills *ri for run id.  Its strings belong to the store and are valid
 * until the next store call on this handle; copy what you keep.  -1 with
 * "no run N" when there is none.
 */
int	 store_run_get(struct store *, int64_t id, struct run_info *ri,
	    char *err, size_t errlen);
/*
 * The estate: for each scope, its latest complete run, by site (else
 * scope), then scope.  cb gets each run id; non-zero stops.
 */
int	 store_each_estate_run(struct store *, int (*cb)(void *, int64_t),
	    void *arg, char *err, size_t errlen);
/*
 * The same, telling an unknown id from a failure: 0 found, 1 no such run
 * ("no run N" in err), -1 the database failed.  Commands exit 2 for an
 * unknown run id and 3 for a failure.
 */
int	 store_run_lookup(struct store *, int64_t id, struct run_info *ri,
	    char *err, size_t errlen);
/* The newest run, or the newest complete one; *id = 0 when none. */
int	 store_latest_run(struct store *, int complete_only, int64_t *id,
	    char *err, size_t errlen);
/*
 * The newest complete run before run with the same scope (NULL scopes
 * compare equal); 0 when none.  -1 when run itself does not exist.
 */
int	 store_previous_run(struct store *, int64_t run, int64_t *prev,
	    char *err, size_t errlen);

/* --- hosts ------------------------------------------------------------ */

struct host_info {
	struct host_attrs h;		/* the host's, in the run */
	/* Identity hints, strongest first; NULL when unknown. */
	const char	*uuid;
	const char	*serial;
	const char	*mac;		/* aa:bb:cc:dd:ee:ff */
	int		 discovered;	/* seen only in neighbour tables */
};

/*
 * Finds the host matching the hints (uuid, then serial, then mac, then
 * address) or creates one, records the new keys, and links it to the run
 * with the given attributes (a repeated call for the same run and host
 * fills in the attributes given, keeping earlier ones for NULLs).  Sets
 * *id (0 on failure).
 *
 * Keys: "uuid:" lower-case 8-4-4-4-12, "serial:" trimmed, "mac:"
 * aa:bb:cc:dd:ee:ff (any of : - . separators accepted), "addr:" lower
 * case.  Malformed or placeholder hints (all-zero or well-known bogus
 * SMBIOS UUIDs, "To be filled by O.E.M.", "0000", multicast or zero MACs)
 * are ignored, since they would merge distinct machines; with no usable
 * hint at all the call fails.  A new host's identity is its strongest key
 * and never changes (finding ids hash it).  A host found through a weaker
 * key is not taken when it already has a different key of a stronger type
 * we also have (an address reused by another machine): a new host is made.
 * Address and MAC keys then move to the host seen last; UUID and serial
 * keys stay with their first host.  first_seen / last_seen are the times
 * of the calls; discovered is cleared once a host is seen directly.
 */
int	 store_host(struct store *, int64_t run, const struct host_info *,
	    int64_t *id, char *err, size_t errlen);
/*
 * store_host() for the n hosts of hi in turn, in one savepoint: ids[i]
 * gets the id of hi[i].  When one fails, none of the n is kept (every id
 * is 0) and err names the failure.  A scan records its targets this way,
 * a batch at a time.
 */
int	 store_host_many(struct store *, int64_t run,
	    const struct host_info *hi, size_t n, int64_t *ids, char *err,
	    size_t errlen);

/*
 * Moves what run stored for host "from" (observations, coverage, its link
 * to the run) to host "to": a collector learned that the target is a
 * machine the store already knew under another identity.  Call it before
 * the run's findings are written.
 */
int	 store_host_move(struct store *, int64_t run, int64_t from,
	    int64_t to, char *err, size_t errlen);

/*
 * Names host in run (the name a collector learned: sysName, the agent's
 * host name) unless the run already has a name for it.
 */
int	 store_host_name(struct store *, int64_t run, int64_t host,
	    const char *name, char *err, size_t errlen);

/* A host of a run: its identity and the attributes the run gave it. */
struct host_row {
	int64_t		 id;
	int64_t		 run;
	const char	*identity;
	struct host_attrs h;		/* the host's, in the run */
	int		 discovered;	/* never seen directly, in any run */
	int64_t		 first_seen;
	int64_t		 last_seen;
};

/*
 * Calls cb for each host linked to run by store_host(), by host id.  cb
 * returns non-zero to stop.  -1 with "no run N" when the run does not
 * exist.
 */
int	 store_each_host(struct store *, int64_t run,
	    int (*cb)(void *, const struct host_row *), void *arg, char *err,
	    size_t errlen);

/* --- observations and coverage ---------------------------------------- */

/*
 * Adds an observation (value stored as a BLOB, byte for byte; kind, vtype
 * and channel as their obs.h names; attr must be valid for the kind).
 * *id (may be NULL) gets its row id.
 */
int	 store_observation(struct store *, int64_t run, int64_t host,
	    enum channel, const struct observation *, int64_t *id, char *err,
	    size_t errlen);
/*
 * The same, the value named by key: 0, or a number the caller gives the
 * value's bytes and no other bytes, for as long as the store is open.  A
 * value so named is stored once (schema 9, obs_values: a software name
 * that a thousand hosts report), and its rows name it.  A wrong key
 * stores a wrong value: the scan's keys are the matcher's memo's
 * (match_memo_key()), which compared the bytes.  *ref (ref may be NULL):
 * 0, or what this store set it to for the same key before; the store
 * sets it to its reference to the stored value (or 0), so that a caller
 * that keeps it with the key (the memo: match_memo_set_ref()) has the
 * value's next row stored without a look-up.  A reference the store no
 * longer holds (a lost batch, a full map, another store) is looked up
 * again.
 */
int	 store_observation_keyed(struct store *, int64_t run, int64_t host,
	    enum channel, const struct observation *, uint64_t key,
	    uint32_t *ref, int64_t *id, char *err, size_t errlen);
/*
 * The observations stored so far are whole hosts' -- the caller knows that
 * none of the hosts they belong to has rows still to come in this batch:
 * once they fill STORE_OBUF_SETTLE bytes of the buffer they are written
 * out now, in the open batch, instead of at its commit.  A scan of many
 * hosts of a few rows each then reuses a small buffer, where the batch's
 * rows would pile up in memory until it commits (50,000 rows, a second).
 * Rows are kept in one block a host and batch only when each host's rows
 * are written together: a host whose rows may still come would be split
 * into two blocks (never lost: the database is only bigger).  1 when
 * they were written, 0 when not yet, -1 with a message (the batch then
 * fails as a failed commit does).
 */
#define STORE_OBUF_SETTLE	((size_t)256 << 10)
int	 store_obs_settle(struct store *, char *err, size_t errlen);
/* The bytes the observations waiting in that buffer take. */
size_t	 store_obs_buffered(const struct store *);
/* Adds or replaces the coverage of (run, host, channel, probe). */
int	 store_coverage(struct store *, int64_t run, int64_t host,
	    const struct coverage *, char *err, size_t errlen);

/* One observation as read back, with its host's run attributes. */
struct obs_row {
	int64_t		 id;
	int64_t		 run;
	int64_t		 host;
	const char	*host_identity;
	struct host_attrs h;		/* the host's, in the run */
	enum channel	 channel;
	struct observation obs;
	int64_t		 seen;
};

/*
 * Calls cb for each observation of run, ordered by host and then in the
 * order the observations were stored (a walk's order, for SNMP), which the
 * (run_id, host_id) index yields without sorting.  With host > 0, only
 * that host's, ordered by kind, item, attr, id.  cb returns non-zero to
 * stop.  -1 with "no run N" when the run does not exist.
 */
int	 store_each_observation(struct store *, int64_t run, int64_t host,
	    int (*cb)(void *, const struct obs_row *), void *arg, char *err,
	    size_t errlen);

/*
 * The same, for the rows of run stored after the observation id after
 * (store_obs_last() before storing them): ordered by host, then as
 * stored.  A scan reads what locate and onu added this way, not the run.
 */
int	 store_each_observation_after(struct store *, int64_t run,
	    int64_t after, int (*cb)(void *, const struct obs_row *),
	    void *arg, char *err, size_t errlen);
/*
 * The id of the last observation stored through this handle or found at
 * open (0: none): a row stored later has a larger one.
 */
int64_t	 store_obs_last(const struct store *);

/*
 * Calls cb once with host's attributes in run as store_each_observation()
 * gives them (host_identity and h filled; obs, id and seen empty), for a
 * caller that holds the host's rows itself.  Returns -1 with a message
 * when there is no such host, or when cb returns non-zero (cb's message).
 */
int	 store_obs_host(struct store *, int64_t run, int64_t host,
	    int (*cb)(void *, const struct obs_row *), void *arg, char *err,
	    size_t errlen);

struct coverage_row {
	int64_t		 run;
	int64_t		 host;
	const char	*host_identity;
	struct host_attrs h;		/* the host's, in the run */
	struct coverage	 cov;
};

/* Calls cb for each coverage row of run, by host, channel, probe. */
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
	/*
	 * What each cited regulation means for the host's owner,
	 * "NAME: obligation (...); NAME: background (...)" (juris.h).
	 */
	const char	*binding_scope;
	const int64_t	*evidence_ids;	/* observation row ids */
	size_t		 nevidence;
	/*
	 * 1: a lead (rules.h, ACTION_LEAD), not a finding: no regulation,
	 * risk or due date; note says why it is a lead.  Leads are left out
	 * of every finding query, count and status (store_each_lead()).
	 * FINDING_ELSEWHERE: neither a finding nor a lead but a note of the
	 * host -- a product no regulation that applies here bans, which
	 * another state's list does; note names them (store_each_elsewhere()).
	 * Left out of every finding and lead query, count and status.
	 */
	int		 lead;
	const char	*note;
};

/*
 * Stable finding id: "BA-" and the first 16 lower-case hex digits of
 * SHA-256(host identity "|" rule id) (OpenSSL EVP).  buf must hold
 * FINDING_ID_LEN bytes.  Returns 0, or -1 (buf "") when libcrypto fails.
 */
#define FINDING_ID_LEN	20
int	 finding_id_make(const char *host_identity, const char *rule_id,
	    char *buf);

/*
 * Records a finding and its evidence rows (atomically), sets f->rowid.
 * finding_id and rule_id are required; a finding id is unique per run.
 */
int	 store_finding(struct store *, struct finding *, char *err,
	    size_t errlen);

/* struct finding.lead of a note of a ban elsewhere (not a finding). */
#define FINDING_ELSEWHERE	2

/* A lead as reports see it (struct finding with lead set). */
struct lead_row {
	const char	*finding_id;	/* BA-..., as for a finding */
	const char	*rule_id;
	const char	*vendor;
	const char	*product;
	const char	*asset;
	const char	*address;
	const char	*channel;
	const char	*evidence;
	const char	*confidence;
	const char	*reason;	/* why it is a lead: what to check */
	const char	*host_identity;
	struct host_attrs h;		/* the host's, in the run */
	int64_t		 seen;		/* start of the run */
	int64_t		 host;		/* the host's id */
};

/*
 * Calls cb for each lead of run, by vendor, address, rule (strings
 * borrowed for the call).  -1 with "no run N" when run does not exist.
 */
int	 store_each_lead(struct store *, int64_t run,
	    int (*cb)(void *, const struct lead_row *), void *arg,
	    char *err, size_t errlen);
/*
 * The same for the notes of a ban elsewhere of run (FINDING_ELSEWHERE;
 * reason: the regulations of other jurisdictions that ban the product).
 */
int	 store_each_elsewhere(struct store *, int64_t run,
	    int (*cb)(void *, const struct lead_row *), void *arg,
	    char *err, size_t errlen);

/* A finding as reports see it: stored columns plus history. */
struct finding_row {
	struct finding	 f;
	const char	*status;	/* "new", "persisting", "resolved" */
	int64_t		 first_seen;	/* earliest run of the same scope */
	int64_t		 last_seen;
	const char	*host_identity;
	struct host_attrs h;		/* the host's, in the run */
	/*
	 * 1: the finding was not observed in this run because its host was
	 * not assessed (see "History"); the status is "persisting" and
	 * last_seen is when it was last observed.
	 */
	int		 unverified;
	/*
	 * With unverified: what the run could not read completely, e.g.
	 * "software table of pacs-01 (10.0.0.5): partial (row budget)"
	 * (resolution.h); NULL when the host was not assessed at all.
	 */
	const char	*note;
	/* The waiver active on the run's day (UTC), or all NULL. */
	const char	*waived_until;	/* YYYY-MM-DD, its last day */
	const char	*waiver_reason;
	const char	*waiver_by;
};

/*
 * History.  Whether a finding that a run no longer has is resolved is
 * decided once, when the run is analysed, by resolution_decide()
 * (resolution.h): resolved only when the run read completely the sources
 * its evidence came from; otherwise the run carries it, unverified, with a
 * note (store_carry_finding()).  Reports read that verdict.
 *
 * A host is *not assessed* in a run when it is linked to the run and has
 * coverage rows there of which none is ok or partial (every channel timed
 * out, was unreachable, refused, failed authentication...), or when it is
 * not part of the run at all and is not a host seen only in other devices'
 * neighbour tables.  A finding is never "resolved" by a run that did not
 * assess its host (the rule before resolution.h, still applied to runs
 * analysed before it).
 *
 * Calls cb for each finding of run (leads left out) -- "new" when its
 * finding_id is not in the previous complete run of the same scope
 * (store_previous_run()), else "persisting" (unverified, with its note,
 * when run carried it) -- and for each finding of that previous run which
 * run lacks: "resolved", or "persisting" with unverified set when run did
 * not assess its host (f.run is the previous run for both, and the host
 * attributes are those of that run).  Rows come in report order: severity
 * critical, high, medium, low, anything else; then risk_score descending;
 * then finding_id.  first_seen / last_seen are the start times of the
 * earliest / latest run of the same scope, up to run, that observed the
 * finding_id (whatever their status; carried rows do not count).
 * f.evidence_ids are sorted.  All strings are borrowed for the call.  -1
 * with "no run N" when run does not exist.
 */
int	 store_each_finding(struct store *, int64_t run,
	    int (*cb)(void *, const struct finding_row *), void *arg,
	    char *err, size_t errlen);
/*
 * The same with the statuses relative to run base instead of the previous
 * run (base 0: no base, every finding is "new"); what "banaudit diff"
 * shows.  -1 with "no run N" when run or base does not exist.
 */
int	 store_each_finding_since(struct store *, int64_t run, int64_t base,
	    int (*cb)(void *, const struct finding_row *), void *arg,
	    char *err, size_t errlen);

/*
 * Carrying findings forward (resolution.h decides which).  The findings of
 * the previous complete run of run's scope that run lacks (leads left
 * out): *ids gets their row ids, *n how many; the caller frees *ids with
 * free() (NULL when none).
 */
int	 store_carry_candidates(struct store *, int64_t run, int64_t **ids,
	    size_t *n, char *err, size_t errlen);

/*
 * Where one part of a finding's evidence was read: the host whose table or
 * inventory it came from (identity NULL: not recorded), its name and
 * address in the run that observed it, the channel ("snmp", "agent",
 * "import"), the observation kind and, for neighbour-table rows, the table
 * ("arp", "fdb", "lldp", "cdp").  A device seen only in other devices'
 * tables names each router or switch and table it was seen in.
 */
struct evidence_source {
	const char	*identity;
	const char	*host_name;
	const char	*address;
	const char	*channel;
	const char	*kind;
	const char	*table;
};

/* Calls cb for each source of finding row rowid's evidence (borrowed). */
int	 store_each_evidence_source(struct store *, int64_t rowid,
	    int (*cb)(void *, const struct evidence_source *), void *arg,
	    char *err, size_t errlen);

/*
 * The coverage in run of probe (else of the channel as a whole, probe "")
 * on the host with this identity: *found 0 when there is none, else
 * *status and detail (NUL-terminated, cut to detaillen).
 */
int	 store_coverage_get(struct store *, int64_t run, const char *identity,
	    const char *channel, const char *probe, int *found,
	    enum cov_status *status, char *detail, size_t detaillen,
	    char *err, size_t errlen);

/*
 * Carries finding row rowid (of the previous run) into run, marked
 * unverified (findings.seen_run = the run that last observed it), with
 * its evidence rows and note (what could not be verified; may be NULL).
 * So the next run compares against it.
 */
int	 store_carry_finding(struct store *, int64_t run, int64_t rowid,
	    const char *note, char *err, size_t errlen);

/*
 * The start time of the earliest run of run's scope, up to run, that
 * observed finding_id (the due date counts from it); 0 when none.
 */
int	 store_finding_first_seen(struct store *, int64_t run,
	    const char *finding_id, int64_t *first, char *err,
	    size_t errlen);

/*
 * Findings of run (carried ones too), and how many have waivers active on
 * the run's day (UTC).
 */
int	 store_run_findings(struct store *, int64_t run, size_t *total,
	    size_t *waived, char *err, size_t errlen);

/* A host not assessed in a run (see "History"). */
struct unassessed_row {
	int64_t		 host;
	const char	*host_identity;
	struct host_attrs h;		/* the host's, in the run */
	/* "snmp timeout; agent auth_failed", or "not part of the run". */
	const char	*reason;
};

/*
 * Calls cb for each host not assessed in run that base assessed or did not
 * have (base 0: every host not assessed in run, of those linked to it;
 * base != 0 adds the hosts of base that run lacks), by host identity.
 */
int	 store_each_unassessed(struct store *, int64_t run, int64_t base,
	    int (*cb)(void *, const struct unassessed_row *), void *arg,
	    char *err, size_t errlen);

/* --- waivers ---------------------------------------------------------- */

/*
 * A waiver accepts the risk of one finding_id (in every run and scope)
 * until the end of its last day, UTC.  It is shown with the finding while
 * active; an expired waiver stops applying but stays listed until removed.
 */
struct waiver {
	const char	*finding_id;
	const char	*reason;
	const char	*until;		/* YYYY-MM-DD, the last day */
	int64_t		 created;	/* Unix seconds; 0 = now (set) */
	const char	*created_by;	/* login name, or NULL */
	int		 active;	/* read back: until >= today */
};

/* Is finding_id in any run of the store?  *known = 1 or 0. */
int	 store_finding_known(struct store *, const char *finding_id,
	    int *known, char *err, size_t errlen);
/*
 * Adds or replaces (then *replaced = 1; may be NULL) the waiver of
 * w->finding_id, committed at once.  The caller checks that the finding
 * exists (store_finding_known()) and that until is a date.
 */
int	 store_waiver_set(struct store *, const struct waiver *w,
	    int *replaced, char *err, size_t errlen);
/* Removes the waiver of finding_id; *removed = 0 when there was none. */
int	 store_waiver_remove(struct store *, const char *finding_id,
	    int *removed, char *err, size_t errlen);
/* Calls cb for each waiver, by until, then finding_id. */
int	 store_each_waiver(struct store *, int (*cb)(void *,
	    const struct waiver *), void *arg, char *err, size_t errlen);

/* --- merge ------------------------------------------------------------ */

struct merge_stats {
	size_t		 runs;		/* copied */
	size_t		 runs_present;	/* already there (same uuid) */
	size_t		 runs_running;	/* still running at the site: skipped */
	size_t		 hosts_new;
	size_t		 hosts_matched;	/* mapped onto an existing host */
	size_t		 observations;
	size_t		 findings;
};

/*
 * Checks that path is a banaudit database this store can merge (a regular
 * file, not this store's own file, application_id, schema version 1..
 * STORE_SCHEMA_VERSION, the tables, PRAGMA quick_check) without changing
 * anything.  Returns 0 or -1 with "PATH: reason".
 */
int	 store_merge_check(struct store *, const char *path, char *err,
	    size_t errlen);

/*
 * What a merge copies of the observations.  A state office reports from
 * hosts, identity, coverage, findings, leads and their evidence, not from
 * every raw value: MERGE_EVIDENCE copies only the observations that are
 * the evidence of a copied finding or lead (the raw ones stay at the
 * sites; the central findings, evidence and statuses are the same as with
 * MERGE_FULL), MERGE_FULL every observation.
 */
enum merge_mode {
	MERGE_EVIDENCE,
	MERGE_FULL
};

/*
 * Copies the finished runs of the site database at path that this store
 * lacks (by run uuid), in one transaction: either all of them or, on
 * error, none.  Each run keeps its uuid, kind, status, label, sector,
 * times, tool, rule-pack and OUI versions; its site is kept (or, when
 * unset, becomes the file's name without ".db"); its scope is prefixed
 * with "SITE|" so that only runs of the same site compare; origin becomes
 * "file=NAME;run=ID;uuid=UUID" (then " <- " and the old origin, if any).
 * Hosts are mapped by identity, then by uuid, serial, MAC and address keys
 * (strongest first), else created with the site's identity; observations
 * (as mode says), coverage, findings and evidence are copied with their
 * ids remapped.  Evidence of a carried finding that points into a run
 * merged earlier is dropped (its evidence text stays).  Waivers are not
 * merged.  Runs still running at the site are skipped.  stats may be
 * NULL.  On error the message starts with "PATH: " (the site file), also
 * when it was this store that failed ("PATH: central.db: cannot record a
 * merged run: the disk is full").
 */
int	 store_merge_as(struct store *, const char *path, enum merge_mode,
	    struct merge_stats *, char *err, size_t errlen);

#endif
