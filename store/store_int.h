/*
 * store_int: what the files of the store share -- store.c (open, schema,
 * transactions), store_sql.c (the SQL), store_run.c (runs), store_host.c
 * (host identity), store_data.c (observations, coverage) and
 * store_find.c (findings).
 * Nothing outside the store includes this file.
 */
#ifndef BANAUDIT_STORE_INT_H
#define BANAUDIT_STORE_INT_H

#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "store_cols.h"

struct store_ckpt;		/* store_ckpt.h */

/*
 * n bytes at a and b the same, compared in place: the writer compares a
 * few to a few dozen bytes a row (a middle's head and tail, a source's
 * prefix and item), where calling memcmp() costs more than comparing.
 * Eight bytes at a time, the last eight (or four) overlapping.
 */
static inline int
store_same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;

	if (n >= 8) {
		for (; n > 8; a += 8, b += 8, n -= 8) {
			memcpy(&x, a, 8);
			memcpy(&y, b, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return 0;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	for (; n > 0; a++, b++, n--)
		if (*a != *b)
			return 0;
	return 1;
}

/*
 * The cached statements; their SQL is in store_sql.c (store_sql[]), the
 * result columns of those that select several in store_cols.h.
 */
enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_SAVEPOINT,
	ST_SAVEPOINT_KEEP,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_RUN_INSERT,
	ST_RUN_END,
	ST_RUN_OUI,
	ST_RUN_EACH,
	ST_RUN_GET,
	ST_RUN_LATEST,
	ST_RUN_LATEST_COMPLETE,
	ST_RUN_PREVIOUS,
	ST_KEY_FIND,
	ST_KEY_RANGE,		/* a group's keys, first to last */
	ST_KEY_IN,		/* a whole group's keys */
	ST_KEY_CONFLICT,
	ST_KEY_MOVE,
	ST_KEY_KEEP,
	ST_HOST_CREATE,
	ST_HOST_NEW,
	ST_HOST_SEEN,
	ST_RUN_HOST,
	ST_HOST_NEW_MANY,	/* STORE_HOST_GROUP rows at once */
	ST_HOST_MAX_ID,
	ST_KEY_MOVE_MANY,
	ST_RUN_HOST_MANY,
	ST_RUN_HOST_NAME,
	ST_RUN_HOST_NAME_MANY,	/* STORE_HOST_GROUP rows at once */
	ST_RUN_HOST_NAME_SPAN,	/* the same, hosts close together */
	ST_MOVE_OBS,
	ST_MOVE_COV,
	ST_MOVE_RUN_HOST,
	ST_BLOCK_INSERT,
	ST_BLOCK_INSERT_MANY,	/* STORE_BLOCK_GROUP blocks at once */
	ST_COV_UPSERT,
	ST_COV_MANY,		/* STORE_HOST_GROUP rows at once */
	ST_FINDING_INSERT,
	ST_EVIDENCE_INSERT,
	ST_LEAD_EACH,
	ST_BLOCK_EACH,
	ST_OBS_EACH_HOST,
	ST_COV_EACH,
	ST_FINDING_EACH,
	ST_FINDING_FIRST_SEEN,
	ST_FINDING_KNOWN,
	ST_RUN_FINDINGS,
	ST_CARRY_CANDIDATES,
	ST_CARRY_FINDING,
	ST_CARRY_EVIDENCE,
	ST_EVIDENCE_SOURCES,
	ST_COV_GET,
	ST_UNASSESSED_EACH,
	ST_WAIVER_GET,
	ST_WAIVER_PUT,
	ST_WAIVER_DEL,
	ST_WAIVER_EACH,
	ST_HOST_BY_IDENTITY,
	ST_HOST_MERGE_SEEN,
	ST_HOST_EACH,
	ST_ESTATE_RUNS,
	ST_OBS_SEQ_GET,
	ST_OBS_SEQ_SAVE,
	ST_PREFIX_FIND,
	ST_PREFIX_ADD,
	ST_RUN_STARTED,
	ST_HOST_EXISTS,
	ST_OBS_EXISTS,
	ST_OBS_HOST,
	ST_PREFIX_GET,
	ST_VALUE_NEXT,
	ST_VALUE_INSERT,
	ST_VALUE_INSERT_MANY,	/* STORE_BLOCK_GROUP values at once */
	ST_VALUE_GET,
	ST__COUNT
};

/*
 * New hosts store_host_many() writes with one statement per table
 * (ST_*_MANY take exactly this many rows).
 */
#define STORE_HOST_GROUP	64

/*
 * The statements of store_merge(), which read the attached site database
 * ("site"): prepared for each merge, not cached (store_sql.c).
 */
enum merge_stmt_id {
	MS_CHECK_TABLES,
	MS_RUNS_SKIPPED,
	MS_RUNS_NEW,
	MS_RUN_INSERT,
	MS_MAP_RUN,
	MS_HOSTS_USED,
	MS_HOST_GET,
	MS_HOST_KEYS,
	MS_MAP_HOST,
	MS_RUN_HOSTS,
	MS_RUN_HOSTS_V4,
	MS_OBSERVATIONS,
	MS_OBSERVATIONS_EVIDENCE,
	MS_OBSERVATIONS_V5,
	MS_OBSERVATIONS_EVIDENCE_V5,
	MS_OBSERVATIONS_V6,
	MS_OBSERVATIONS_EVIDENCE_V6,
	MS_HOSTS_USED_V6,
	MS_OBS_IDS_SAVE,
	MS_COVERAGE,
	MS_FINDINGS_V1,
	MS_FINDINGS_V2,
	MS_FINDINGS_V3,
	MS_FINDINGS_V4,
	MS_EVIDENCE,
	MS_EVIDENCE_V5,
	MS_EVIDENCE_V6,
	MS_MAX_IDS,
	MS_SITE_PREFIX,
	MS_SITE_VALUE,
	MS__COUNT
};

/*
 * Schema 5 codes of observations.channel and .vtype: the position of the
 * obs.h name in these lists, which never change order (new names are
 * appended; a name not listed is stored as text).  The SQL forms turn a
 * name column into its code and a code back into the name.
 */
extern const char *const store_chan_codes[];
extern const char *const store_vtype_codes[];
extern const char *const store_kind_codes[];
#define KIND_SQL_NAME(x) "CASE " x " WHEN 0 THEN 'system' WHEN 1 THEN " \
	"'software' WHEN 2 THEN 'process' WHEN 3 THEN 'entity' WHEN 4 THEN " \
	"'vendor' WHEN 5 THEN 'neighbor' WHEN 6 THEN 'interface' WHEN 7 " \
	"THEN 'connection' WHEN 8 THEN 'route' WHEN 9 THEN 'antivirus' " \
	"WHEN 10 THEN 'netif' ELSE " x " END"
#define CHAN_SQL_CODE(x) "CASE " x " WHEN 'snmp' THEN 0 WHEN 'agent' " \
	"THEN 1 WHEN 'import' THEN 2 WHEN 'derived' THEN 3 ELSE " x " END"
#define CHAN_SQL_NAME(x) "CASE " x " WHEN 0 THEN 'snmp' WHEN 1 " \
	"THEN 'agent' WHEN 2 THEN 'import' WHEN 3 THEN 'derived' ELSE " \
	x " END"
#define CHAN_SQL_DERIVED "3"
#define VTYPE_SQL_CODE(x) "CASE " x " WHEN 'text' THEN 0 WHEN 'int' " \
	"THEN 1 WHEN 'oid' THEN 2 WHEN 'ipaddr' THEN 3 WHEN 'hex' THEN 4 " \
	"ELSE " x " END"
#define VTYPE_SQL_NAME(x) "CASE " x " WHEN 0 THEN 'text' WHEN 1 " \
	"THEN 'int' WHEN 2 THEN 'oid' WHEN 3 THEN 'ipaddr' WHEN 4 " \
	"THEN 'hex' ELSE " x " END"
/*
 * A schema 5 source, as text: an integer source is its oid_prefixes
 * prefix, a dot and the item (alias a: the observation, p: the prefixes
 * table of the same database).
 */
#define SOURCE_SQL_TEXT(a, p) "CASE WHEN typeof(" a ".source) = " \
	"'integer' THEN (SELECT q.prefix FROM " p " q WHERE q.id = " a \
	".source) || '.' || " a ".item ELSE " a ".source END"

/*
 * The rows of obs_blocks rows, in SQL (store_pack.c says the form).  An
 * element of 10 values is whole; one of 3, 4 or 5 is short and names its
 * whole element last (schema 7: [d, "item", off, len, k]; schema 8: the
 * offset left out, [d, "item", len, k], and the id too when it is the
 * next one, ["item", len, k]).  Its length is always next to last.  A
 * value's offset is the sum of the lengths before it (values follow one
 * another in a block, in every schema), and a row without an id has the
 * id after the one before it: both are window functions over the block's
 * elements in order (d - key never falls in a block, so the largest so
 * far is the latest), which sort only the elements: the block's rows and
 * values are joined after, and each row's whole element read once.
 * OBS_WHOLE_OF(x) is the whole element of block b's element x: x itself,
 * or the one it names; OBS_ITEM_OF(x) its item.
 * OBS_ROWS_OVER(blocks, values) spells out the rows of blocks (a table or
 * a CTE with obs_blocks' columns) with the columns of schema 5's
 * observations table, a row whose length is negative (since schema 9)
 * taking its value from values (a table or view with obs_values'
 * columns) by the id it negates, and counting 0 towards the offsets of
 * the values after it; OBS_ROWS(db) over db's obs_blocks and obs_values
 * ("" or "site."), and the view
 * `observations` is the same select, for the sqlite3 CLI.  (The store's
 * own connection does not trust the schema, so the view's JSON functions
 * are refused there: the store's SQL uses OBS_ROWS.)  The windows are
 * partitioned by run, host and block, so that a condition on the run and
 * host reaches the blocks' index.  OBS_ROWS_SELECT_V6 is schema 6's
 * view, whole elements only, which migrate_6() creates and migration 7
 * (store_schema_view) replaces.
 */
#define OBS_N(x) "json_array_length(" x ")"
#define OBS_SHORT_OF(x) OBS_N(x) " < 10"
#define OBS_WHOLE_OF(x) "(CASE WHEN " OBS_SHORT_OF(x) " THEN b.rows -> " \
	"(" x " ->> '$[#-1]') ELSE " x " END)"
#define OBS_ITEM_OF(x) "(CASE " OBS_N(x) " WHEN 10 THEN " x " ->> 3 " \
	"WHEN 3 THEN " x " ->> 0 ELSE " x " ->> 1 END)"
/* The seen of a block b's last row, whole or short. */
#define OBS_LAST_SEEN "(" OBS_WHOLE_OF("(b.rows -> '$[#-1]')") " ->> 9)"
#define OBS_ROWS_SELECT_V6(db) "SELECT b.run_id AS run_id, b.host_id AS " \
	"host_id, b.first_id + (j.value ->> 0) AS id, j.value ->> 1 AS " \
	"channel, " KIND_SQL_NAME("(j.value ->> 2)") " AS kind, " \
	"j.value ->> 3 AS item, " \
	"j.value ->> 4 AS attr, j.value ->> 5 AS source, j.value ->> 6 AS " \
	"vtype, substr(b.vals, (j.value ->> 7) + 1, j.value ->> 8) AS " \
	"value, j.value ->> 9 AS seen FROM " db "obs_blocks b, " \
	"json_each(b.rows) j"
#define OBS_ROWS_OVER(blocks, values) "SELECT r.run_id AS run_id, " \
	"r.host_id AS host_id, r.id AS id, w.value ->> 1 AS channel, " \
	KIND_SQL_NAME("(w.value ->> 2)") " AS kind, r.item AS item, " \
	"w.value ->> 4 AS attr, w.value ->> 5 AS source, w.value ->> 6 AS " \
	"vtype, CASE WHEN r.len < 0 THEN (SELECT x.value FROM " values " x " \
	"WHERE x.id = -r.len) ELSE substr(b.vals, r.off + 1, r.len) END " \
	"AS value, w.value ->> 9 " \
	"AS seen FROM (SELECT b.run_id AS run_id, b.host_id AS host_id, " \
	"b.first_id AS block, j.value AS e, b.first_id + j.key + " \
	"max(CASE WHEN " OBS_N("j.value") " <> 3 THEN (j.value ->> 0) - " \
	"j.key END) OVER win AS id, " OBS_ITEM_OF("j.value") " AS item, " \
	"j.value ->> '$[#-2]' AS len, sum(max(j.value ->> '$[#-2]', 0)) " \
	"OVER win - max(j.value ->> '$[#-2]', 0) AS off FROM " blocks " b, " \
	"json_each(b.rows) j WINDOW win AS (PARTITION BY b.run_id, " \
	"b.host_id, b.first_id ORDER BY j.key ROWS UNBOUNDED PRECEDING)) r " \
	"JOIN " blocks " b ON b.first_id = r.block, json_each(json_array(" \
	OBS_WHOLE_OF("r.e") ")) w"
#define OBS_ROWS_SELECT(db) OBS_ROWS_OVER(db "obs_blocks", db "obs_values")
#define OBS_ROWS(db) "(" OBS_ROWS_SELECT(db) ")"

/*
 * Rows in one block at most (a host's rows of a batch may be more), and
 * bytes of values: a block ends before a row that would take its values
 * past STORE_PACK_BYTES, so the writer's buffers stay small whatever the
 * values (a block of one row holds a larger value whole).
 */
#define STORE_PACK_ROWS		1024
#define STORE_PACK_BYTES	(1024 * 1024)

/* Source prefixes the writer has looked up (oid_prefixes rows). */
#define STORE_PREFIXES	64
/* A prefix's cached middle: its attribute's, head's and tail's bytes. */
#define STORE_MID_ATTR	32
#define STORE_MID_HEAD	24
#define STORE_MID_TAIL	72

/*
 * The middle (store_pack_mid()) of the last row stored with a source
 * prefix, for the next rows of the prefix: a walk's column gives every
 * row one prefix, channel, kind, attribute and value type, and only the
 * item differs.  The middle is its head and tail around the item
 * (store_pack_mid_head(), store_pack_mid_tail()), taken only for a row of
 * the same channel, kind, value type and attribute (compared byte by
 * byte: its attribute was checked when the middle was made); hlen 0:
 * none kept.
 */
struct store_mid {
	uint64_t	 gen;		/* these bytes' number (obs_mid_gen) */
	unsigned char	 chan, kind, vtype;
	unsigned char	 hlen, tlen;
	char		 attr[STORE_MID_ATTR];
	char		 head[STORE_MID_HEAD];
	char		 tail[STORE_MID_TAIL];
};

/*
 * A caller's column (struct observation's col) and the middle its last
 * row found or kept, while the cached prefixes (epoch: a lost batch frees
 * them) and that middle (gen) last: the next row of the column needs no
 * look-up of its source prefix (store_data.c, col_mid()).
 */
#define STORE_COLMIDS	8

struct store_colmid {
	const void		*col;		/* NULL: empty */
	const char		*attr;		/* the row's attr pointer */
	const struct store_mid	*mid;
	uint64_t		 gen;		/* mid's gen then */
	uint64_t		 epoch;		/* obs_prefix_epoch then */
};

/*
 * A source prefix: its text, and its middle in the same allocation
 * (free(prefix) frees both), so that moving an entry moves a pointer.
 */
struct store_prefix {
	char		*prefix;
	size_t		 len;
	int64_t		 id;
	struct store_mid *mid;
};

/*
 * Bytes the writer keeps until a batch's rows are written: the held
 * coverage rows' and names' strings (store_dstr_room(), store_pack.c).
 */
struct store_dstr {
	char		*p;
	size_t		 used, cap;
};

/*
 * The writer's buffer (store_obuf.c): a scan's observations are not
 * inserted one by one but packed as they come (store_observation(),
 * store_data.c) straight into a block of their host's (struct
 * store_pack; one per host in flight, found by (run, host) in a map of
 * struct store_hslot), and the blocks are inserted when the batch
 * commits or before any statement that reads or changes observations:
 * in the order of their first ids, so that each insert appends to the
 * table's b-tree, STORE_BLOCK_GROUP a statement.  A block that cannot
 * take a row (full, store_pack_fits_at()) is ended at once and waits;
 * at the flush every host's block ends (a host's rows of a batch are one
 * block, or more when they are many).  Empty blocks go back to a pool,
 * their buffers with them, for the next hosts.
 */

/*
 * Buffered rows of ids first .. first + n - 1, all of one (run, host):
 * what says whose a buffered id is (a finding's evidence), a GETBULK's
 * answer a run at most.
 */
struct store_idrun {
	int64_t		 first, run, host;
	size_t		 n;
};

/*
 * Values stored once (schema 9): a row whose value its caller names by a
 * key (store_observation_keyed(), store.h) names the value's row in
 * obs_values instead of holding its bytes, when the value is at least
 * STORE_VALUE_MIN bytes (a shorter one costs less than its id).  The
 * writer maps the keys to ids in STORE_VKEYS slots (open addressing,
 * 16 bytes a slot), emptied when STORE_VKEYS_MAX are used (values then
 * named again go in again, under new ids), and its caller may keep a
 * reference with a key that saves the look-up (the id's place among the
 * ids the map's epoch gave, one after another); a reader keeps the
 * values it read in STORE_VCACHE slots and STORE_VCACHE_BYTES, emptied
 * when full.
 */
#define STORE_VALUE_MIN		8
#define STORE_VKEYS		16384
#define STORE_VKEYS_MAX		(STORE_VKEYS / 4 * 3)
/* A reference: the epoch's number, then the id's place in the epoch. */
#define STORE_VPLACE_BITS	16
#define STORE_VEPOCH_MASK	0xffffu
_Static_assert(STORE_VKEYS_MAX < (1 << STORE_VPLACE_BITS),
    "an epoch's ids have a place of 16 bits");
#define STORE_VCACHE		1024
#define STORE_VCACHE_BYTES	(256 * 1024)

struct store_vkey {
	uint64_t	 key;		/* 0: empty */
	int64_t		 id;
};

/* A host's block being built: a slot of the writer's map. */
struct store_hslot {
	int64_t		 run, host;	/* host 0: empty */
	struct store_pack *pk;
};

/*
 * One observation as packed (store_pack.c): chan and vtype are schema 5
 * codes unless their name is set (a name with no code); source 0 NULL, 1
 * source_text, 2 source_id (oid_prefixes).  Strings and value borrowed.
 */
struct store_packrow {
	int64_t		 run, host, id, seen;
	int64_t		 chan, vtype;
	const char	*chan_name, *vtype_name;
	const char	*kind, *item, *attr;
	int64_t		 kind_code;	/* kind's code, when kind_known */
	int		 kind_known;
	unsigned char	 source;
	int64_t		 source_id;
	const char	*source_text;
	const void	*value;
	size_t		 len;
	/*
	 * Since schema 9: the id of the value in obs_values, whose bytes
	 * the block does not hold (value then has len 0), or 0.
	 */
	int64_t		 vref;
	/* item, attr and source_text's bytes at most, or 0: counted. */
	size_t		 text;
};

/*
 * Blocks one statement inserts (ST_BLOCK_INSERT_MANY), and the largest
 * block (rows and values) kept for it: a larger one goes alone, uncopied.
 */
#define STORE_BLOCK_GROUP	16
#define STORE_BLOCK_KEEP_MAX	(16 * 1024)

/* A finished block kept for a multi-row insert; offsets into kbuf.p. */
struct store_pack_kept {
	int64_t		 run, host, first, last;
	size_t		 json, jlen, vals, vlen;
};

/*
 * A whole row of the block being built (schema 7, store_pack.c): where
 * its head and tail lie in the block's JSON, its seen and its index, so
 * that a later row whose middle is the same but for the item names it
 * instead of repeating it.  The block remembers its last STORE_PACK_FULL.
 */
#define STORE_PACK_FULL		8
struct store_pack_full {
	size_t		 head, hlen;
	size_t		 tail, tlen;
	int64_t		 seen;
	size_t		 index;
};

/*
 * A block being built: one (run, host), ids ascending (the writer's
 * hosts' blocks, store_obuf.c; a merge's or a migration's one block).
 */
/*
 * A block's shortcut to a whole row (store_pack_fast_find()): the rows
 * of a cached middle (its gen) and seen name whole row index, in the
 * ring's slot, while the ring still holds it there.
 */
#define STORE_PACK_FAST		4
struct store_pack_fast {
	uint64_t	 gen;
	int64_t		 seen;
	size_t		 index, slot;
};

struct store_pack {
	int64_t		 run, host, first, last;
	size_t		 n;
	struct store_pack_full full[STORE_PACK_FULL];
	size_t		 nfull;		/* whole rows so far (a ring) */
	struct store_pack_fast fast[STORE_PACK_FAST];
	size_t		 nfast;		/* shortcuts so far (a ring) */
	size_t		 dat;		/* the row being packed: its d */
	int		 next;		/* its id follows the last row's */
	int		 brief;		/* it is short */
	size_t		 kindex, kslot;	/* the whole row it is or names */
	char		*json;
	size_t		 jlen, jcap;
	char		*vals;
	size_t		 vlen, vcap;
	struct store_pack *pool;	/* the next empty one (store_obuf.c) */
};

/*
 * Blocks ended before the block being built, copied to wait and go in
 * together (store_pack_keep(); a merge's and a migration's blocks).
 */
struct store_keep {
	struct store_pack_kept kept[STORE_BLOCK_GROUP];
	size_t		 nkept;
	struct store_dstr kbuf;		/* their copies, side by side */
};

/*
 * Reading one block's rows (store_unpack_init(), then store_unpack_next()
 * until 0; store_unpack_free() frees buf, which may be reused across
 * blocks).  rows and vals are borrowed for the iteration.
 */
struct store_unpack {
	const char	*text;		/* the rows */
	const char	*p, *end;
	const char	*vals;
	size_t		 vlen;
	int64_t		 first;
	size_t		 row;
	int		 state;
	char		*buf;		/* the current row's strings */
	size_t		 used, cap;
	int		 oom;		/* buf could not grow */
	size_t		*at;		/* each row's offset; SIZE_MAX short */
	size_t		 atcap;
	int64_t		 next_d, next_off;	/* after the last row */
};

/*
 * Rows store_defer() holds back (store_defer.c): a coverage record, a
 * host's name.  Their strings are in a struct store_dstr of their kind,
 * at these offsets (STORE_DNULL: NULL).
 */
#define STORE_DNULL	SIZE_MAX

struct store_dcov {
	int64_t		 run, host, elapsed_ms;
	size_t		 probe, detail, profile;
	unsigned char	 chan, status;
};

struct store_dname {
	int64_t		 run, host;
	size_t		 name;
};

/* Slots of struct store's hosts found (a power of two). */
#define STORE_HOSTS_FOUND	4096

struct store {
	sqlite3		*db;
	char		*path;
	enum store_mode	 mode;
	int		 lockfd;	/* writer lock on the file, or -1 */
	int		 walfd;		/* the -wal, for writeback, or -1 */
	struct store_ckpt *ckpt;	/* the checkpointer, or NULL */
	int		 ckpt_tried;	/* store_ckpt_start() was called */
	int		 in_tx;		/* a batch transaction is open */
	unsigned	 pending;	/* row writes in the open batch */
	int64_t		 tx_started;	/* mono_ms() when the batch began */
	int64_t		 batch_ms;	/* store_batch_ms() */
	sqlite3_stmt	*stmt[ST__COUNT];
	/*
	 * Hooks of the statement layer (store_stmt.c), set by store.c:
	 * held() writes the rows held back that statement id could miss
	 * (0, or -1 with a message); lost() forgets what a batch SQLite
	 * rolled back held.  NULL: nothing held.
	 */
	int		(*held)(struct store *, enum stmt_id, char *, size_t);
	void		(*lost)(struct store *);
	char		*run_strings;	/* store_run_get()'s strings */
	char		 uuid[37];	/* of the last store_run_begin() */
	/* The writer's state of schema 5 (ids: store.c; rows: store_data.c). */
	int64_t		 obs_next;	/* the next observation id */
	int64_t		 obs_saved;	/* obs_ids.next as last written */
	int64_t		 obs_run;	/* run checked last, and its start */
	int64_t		 obs_started;
	uint64_t	 obs_mid_gen;	/* the last middle cached (its gen) */
	uint64_t	 obs_prefix_epoch; /* +1: cached prefixes freed */
	struct store_colmid colmid[STORE_COLMIDS];
	unsigned	 colmid_next;
	int64_t		 obs_host;	/* host checked last */
	/*
	 * Hosts found since the store opened or a batch was lost (no host
	 * row is ever deleted: one goes only with the batch that made it),
	 * direct-mapped by id (a later id of the same slot replaces an
	 * earlier one, which is then looked up again; 0: empty).  A scan's
	 * observations come host after host, a response each: without it,
	 * every response looked its host up again.
	 */
	int64_t		 hosts_found[STORE_HOSTS_FOUND];
	struct store_prefix prefixes[STORE_PREFIXES];
	size_t		 nprefixes;
	char		*srcbuf;	/* a source spelled out, when read */
	size_t		 srcsize;
	/* Stored observations not inserted yet (store_obuf.c). */
	size_t		 obuf_n;	/* rows */
	int		 obuf_busy;	/* inserting them now */
	int		 obuf_keep;	/* in a savepoint that kept them */
	unsigned char	 obuf_gate[ST__COUNT]; /* statements that flush */
	struct store_hslot *hmap;	/* by (run, host), hcap slots */
	size_t		 hcap, hn, hlast;
	size_t		*hused;		/* the hn slots in use */
	struct store_pack **hkept;	/* ended, to go in */
	size_t		 nhkept, hkept_cap;
	struct store_pack *hpool;	/* empty, for the next hosts */
	size_t		 nhpool, hpool_bytes;
	size_t		 obuf_bytes;	/* the blocks' bytes */
	struct store_idrun *idruns;	/* the buffered rows' ids, in order */
	size_t		 nidruns, idruns_cap;
	/*
	 * Values stored once (schema 9, store_values.c): the caller's value
	 * keys to obs_values ids, the values not inserted yet, and a
	 * reader's values looked up.
	 */
	struct store_vkey *vkeys;	/* STORE_VKEYS slots, or NULL */
	size_t		 nvkeys;
	/*
	 * The keys' epoch: its number (process-wide, STORE_VEPOCH_BITS),
	 * its first id (0 until one is given) and how many it gave, one
	 * after another: a reference is the epoch and the id's place.
	 */
	uint32_t	 vepoch;
	int64_t		 vbase;
	int64_t		 vnext;		/* the next obs_values id, or 0 */
	int64_t		 vfirst;	/* the first pending value's id */
	struct store_dstr vbuf;		/* the pending values' bytes */
	uint32_t	*vlens;		/* and lengths */
	size_t		 nvlens, vlens_cap;
	struct store_vcache *vcache;	/* store_value_get()'s, or NULL */
	/* Schema 5 codes of the enums, -1 for a name with no code. */
	int64_t		 chan_code[CHAN__COUNT];
	int64_t		 kind_code[OBS__COUNT];
	int64_t		 vtype_code[VAL__COUNT];
	struct store_pack pack;		/* a merge's block being built */
	struct store_keep keep;		/* and those waiting to go in */
	/* Coverage and names held back (store_defer(), store_defer.c). */
	int		 defer;
	struct store_dcov dcov[STORE_HOST_GROUP];
	size_t		 ndcov;
	struct store_dstr dcov_str;
	struct store_dname dname[STORE_HOST_GROUP];
	size_t		 ndname;
	struct store_dstr dname_str;
	int		 dbusy;		/* writing them now */
	unsigned char	 dgate[ST__COUNT]; /* statements that write them */
};

/* The SQL of each statement, and the schema by version (store_sql.c). */
extern const char *const store_sql[ST__COUNT];
extern const char store_schema_v1[];
extern const char store_schema_v2[];
extern const char store_schema_v3[];
extern const char store_schema_v4[];
extern const char store_schema_v5[];
extern const char store_schema_v6[];
extern const char store_schema_v6_done[];
extern const char store_schema_view[];
extern const char store_schema_v6_rows[];
extern const char store_schema_v9[];
extern const char store_merge_values_v9[];
extern const char store_merge_values_none[];
extern const char store_schema_new[];

/* PRAGMA application_id of a banaudit database: "BANA". */
#define STORE_APPLICATION_ID	0x42414e41

/*
 * A new database's file as SQLite writes it once store_schema_new has run
 * and the user_version and application_id are set: made at build time by
 * scripts/store_image.c with the same SQLite (build/gen/store_image.c),
 * kept as the runs of bytes that are not zero.  store.c copies it into a
 * new file with SQLite's backup API instead of running the schema's
 * statements (each parsed, compiled and its new schema read back: a
 * tenth of a one-host scan's instructions).
 */
struct store_image_run {
	unsigned	 off, len;	/* into the image; from the bytes */
};
extern const unsigned char store_image_bytes[];
extern const struct store_image_run store_image_runs[];
extern const unsigned store_image_nruns;
extern const unsigned store_image_size;
extern const char *const store_merge_sql[MS__COUNT];
/* The temporary tables of a merge (created on the store's connection). */
extern const char store_merge_setup[];

/*
 * The cached statement id, reset and ready to bind, or NULL with a message
 * (also when it is still running: a callback re-entered its iterator).
 */
sqlite3_stmt	*store_stmt(struct store *, enum stmt_id, char *err,
		    size_t errlen);
/* Resets a statement and drops its bindings; returns rc for chaining. */
int		 store_done(sqlite3_stmt *, int rc);

/*
 * What SQLite's (extended) result code rc means to a user ("the disk is
 * full"), else msg (SQLite's message).  Borrowed.
 */
const char	*store_reason(int rc, const char *msg);
/* Writes "PATH: what: reason" for the last SQLite error; returns -1. */
int		 store_dberr(struct store *, const char *what, char *err,
		    size_t errlen);
/*
 * Steps st (bound) for at most one row, then resets it: *a, and *b unless
 * NULL, get the row's columns 0 and 1, or 0 when there is no row.  -1
 * with "PATH: what: reason" on a database error.
 */
int		 store_step_one(struct store *, sqlite3_stmt *, int64_t *a,
		    int64_t *b, const char *what, char *err, size_t errlen);
/*
 * Ends an iteration over st whose last sqlite3_step() returned rc, and
 * resets st: 0 at SQLITE_DONE, else -1 with "PATH: what: reason".
 */
int		 store_step_end(struct store *, sqlite3_stmt *, int rc,
		    const char *what, char *err, size_t errlen);

/*
 * Schema 5 writer state (store_obuf.c; store_obs_forget() in store.c,
 * with the batches it belongs to):
 * store_obs_load() reads obs_ids at open;
 * store_obs_save() writes it into the open batch before a commit;
 * store_obs_forget() drops what a lost batch may have held (cached
 * prefixes and checked ids).
 */
int		 store_obs_load(struct store *, char *err, size_t errlen);
/*
 * store_dstr_room() (store_pack.c, below the files that keep bytes:
 * store_obuf.c, store_defer.c, store_values.c, store_merge.c) makes room
 * for n more bytes in b, doubling it (at first, first bytes): 0, or -1
 * out of memory (b unchanged).
 */
int		 store_dstr_room(struct store_dstr *b, size_t n, size_t first);
/*
 * The writer's buffer of observations (store_obuf.c; store_observation()
 * in store_data.c fills it):
 * store_obs_flush() inserts its blocks in key order (0, or -1 with a
 * message); store_obs_drop() discards them (a lost batch),
 * store_obs_free() frees them.
 */
int		 store_obs_flush(struct store *, char *err, size_t errlen);
struct store_pack *store_obs_block(struct store *, int64_t run,
		    int64_t host, int64_t id, size_t len);
/*
 * store_obs_block() is the block row id of (run, host) goes into (made,
 * or a new one when it does not fit: the full one waits to go in), NULL
 * out of memory; store_obs_idroom() makes room for one more run of ids
 * (store_observation() goes on with the last run, or starts one), -1 out
 * of memory; store_obs_has() says whether buffered row id is one of
 * (run, host).
 */
int		 store_obs_idroom(struct store *);
int		 store_obs_has(const struct store *, int64_t run,
		    int64_t host, int64_t id);
void		 store_obs_drop(struct store *);
void		 store_obs_free(struct store *);
int		 store_obs_save(struct store *, char *err, size_t errlen);
void		 store_obs_forget(struct store *);
/*
 * Values stored once (store_values.c).  store_value_ref() gives the
 * obs_values id of a value its caller's key names (a new one noted to go
 * in), or 0: the value goes in the block (no key room, out of memory, or
 * the id could not be read: then with a message, -1); *hint (hint may be
 * NULL), the caller's reference from an earlier call with the key, saves
 * the look-up while it holds (its epoch is the store's), and is set to
 * the reference to the id given (the epoch's number in its high 16 bits,
 * the id's place among the epoch's ids in the low 16), or 0.  The
 * pending values go in before the blocks that name them
 * (store_values_flush(), from store_obs_flush()); a lost batch forgets
 * them, the keys and what the store read back (store_values_forget(): its
 * ids may go to other values next).  store_value_get() reads value id
 * back through statement st (ST_VALUE_GET, or a merge's of the site's
 * values, MS_SITE_VALUE), kept in the cache *cache (made at first use;
 * the store's own, s->vcache, or a merge's), into memory that stays
 * until the next call; 0, or -1 with a message (naming path, the
 * database read, when the value is not there).
 */
int		 store_value_ref(struct store *, uint64_t key, const void *,
		    size_t, uint32_t *hint, int64_t *ref, char *err,
		    size_t errlen);
int		 store_values_flush(struct store *, char *err, size_t errlen);
void		 store_values_forget(struct store *);
void		 store_values_free(struct store *);
int		 store_value_get(struct store *, sqlite3_stmt *,
		    struct store_vcache **, const char *path, int64_t id,
		    const void **, size_t *, char *err, size_t errlen);
void		 store_vcache_free(struct store_vcache *);
/*
 * Host is in the store, in the batch being written (store_data.c): an
 * observation of it needs no look-up until a batch is lost.
 */
void		 store_host_found(struct store *, int64_t host);
/*
 * The foreign keys the store checks itself (store_data.c): run, and
 * host, exist (a found host is not looked up again until a batch is
 * lost); else -1 with "cannot record WHAT: it refers to a run, host,
 * finding or observation that does not exist", as SQLite's keys said.
 */
int		 store_check_run(struct store *, int64_t run, const char *what,
		    char *err, size_t errlen);
int		 store_check_host(struct store *, int64_t host,
		    const char *what, char *err, size_t errlen);

/*
 * The rows store_defer() holds back (store_defer.c): store_defer_cov()
 * and store_defer_name() keep one (0, or -1 out of memory; a full
 * buffer is written first); store_defer_flush() writes what is held, in
 * order, STORE_HOST_GROUP rows a statement (0, or -1 with a message;
 * the rows are gone either way); store_defer_drop() discards them (a
 * lost batch); store_defer_free() frees the buffer.
 */
int		 store_defer_cov(struct store *, int64_t run, int64_t host,
		    const struct coverage *, char *err, size_t errlen);
int		 store_defer_name(struct store *, int64_t run, int64_t host,
		    const char *name, char *err, size_t errlen);
int		 store_defer_flush(struct store *, char *err, size_t errlen);
void		 store_defer_drop(struct store *);
void		 store_defer_free(struct store *);

/*
 * Packed observations.  The encoder and decoder (store_pack.c) know the
 * form and nothing of the database: store_pack_fits() says whether a row
 * can join the block being built (same run and host, above its last id,
 * the block not full); store_pack_put() adds it (0, or -1 with a message:
 * out of memory, or a row that does not fit); store_pack_close() ends
 * the block's JSON; store_pack_keep() closes it and keeps a copy among
 * the blocks that wait in kp (0, or -1 out of memory: everything
 * dropped); store_pack_drop() forgets the block, store_keep_drop() those
 * waiting, store_pack_free() and store_keep_free() free their buffers.
 * store_packrow_from() reads a row of schema 5's columns (run_id ..
 * seen) from st at column at.
 * store_unpack_next() decodes the next row of a block: 1, 0 after the
 * last, -1 with a message for a block that is not this form; the row's
 * strings are valid until the next call.
 * The writer (store_obuf.c): store_pack_add() adds a row to s's block,
 * ending the block first when the row cannot join it (an ended block
 * waits, kept, to go in with the next ones, STORE_BLOCK_GROUP a
 * statement); store_pack_end() ends the block and writes every block
 * waiting (ST_BLOCK_INSERT_MANY, ST_BLOCK_INSERT); both 0, or -1 with a
 * message (the blocks are dropped).  A caller that adds rows calls
 * store_pack_end() before anything reads the blocks;
 * store_pack_abandon() drops the block and those waiting (a copy that
 * failed).
 */
int		 store_pack_add(struct store *, const struct store_packrow *,
		    char *err, size_t errlen);
int		 store_pack_end(struct store *, char *err, size_t errlen);
void		 store_pack_abandon(struct store *);
int		 store_pack_fits(const struct store_pack *,
		    const struct store_packrow *);
int		 store_pack_fits_at(const struct store_pack *, int64_t run,
		    int64_t host, int64_t id, size_t len);
int		 store_pack_put(struct store_pack *,
		    const struct store_packrow *, char *err, size_t errlen);
/*
 * A row's middle, the fields its block does not decide (channel, kind,
 * item, attribute, source, value type: store_pack.c's form), encoded
 * ahead: store_pack_mid() writes r's at o and returns where it ends,
 * after at most store_pack_mid_max(r) bytes (it reads chan, chan_name,
 * kind, kind_code, kind_known, item, attr, source, source_id,
 * source_text, vtype, vtype_name and text, nothing else).
 * A middle is its head (channel, kind and their commas:
 * store_pack_mid_head()), its item (store_pack_mid_item(): at most 2 + 6
 * bytes a byte) and its tail (a comma, attribute, source, value type:
 * store_pack_mid_tail()), each written at o, returning where it ends;
 * rows of one source prefix share head and tail (store_data.c).
 */
size_t		 store_pack_mid_max(const struct store_packrow *);
char		*store_pack_mid(char *o, const struct store_packrow *);
char		*store_pack_mid_head(char *o, const struct store_packrow *);
char		*store_pack_mid_item(char *o, const char *item);
char		*store_pack_mid_tail(char *o, const struct store_packrow *);
/*
 * The writer's direct path (store_data.c): store_pack_row_begin() makes
 * room for a row of id (its frame, mid bytes of middle at most and len
 * of value; the row must fit, store_pack_fits_at()) and starts it,
 * returning where its middle goes (NULL out of memory);
 * store_pack_row_end() ends it, its middle written there: hlen bytes of
 * head, ilen of item, tlen of tail, and its value: len bytes at value, or
 * when vref is not 0 the obs_values id of a value stored once (schema 9).
 * The same bytes as store_pack_put() writes for the row whole.
 */
char		*store_pack_row_begin(struct store_pack *, int64_t run,
		    int64_t host, int64_t id, size_t mid, size_t len);
void		 store_pack_row_end(struct store_pack *, char *m, size_t hlen,
		    size_t ilen, size_t tlen, const void *value, size_t len,
		    int64_t vref, int64_t seen);
/*
 * The shortcut for rows of a cached middle: store_pack_fast_note() says
 * that the row just ended (store_pack_row_end()) had the middle numbered
 * gen, so that the block's next rows of it and of seen, found by
 * store_pack_fast_find() (the whole row's index, or -1), go in short at
 * once with store_pack_row_short() (0, or -1 out of memory; the row must
 * fit): the same bytes as through store_pack_row_end().
 */
void		 store_pack_fast_note(struct store_pack *, uint64_t gen,
		    int64_t seen);
int64_t		 store_pack_fast_find(const struct store_pack *, uint64_t gen,
		    int64_t seen);
int		 store_pack_row_short(struct store_pack *, int64_t id,
		    const char *item, size_t ilen, const void *value,
		    size_t len, int64_t vref, int64_t k);
void		 store_pack_close(struct store_pack *);
int		 store_pack_keep(struct store_pack *, struct store_keep *);
void		 store_pack_drop(struct store_pack *);
void		 store_pack_free(struct store_pack *);
void		 store_keep_drop(struct store_keep *);
void		 store_keep_free(struct store_keep *);
/* The code of name in codes (store_chan_codes ...), or -1. */
int64_t		 store_code_of(const char *const *codes, const char *name);
void		 store_packrow_from(sqlite3_stmt *, int at,
		    struct store_packrow *);
void		 store_unpack_init(struct store_unpack *, int64_t first,
		    const char *rows, size_t len, const void *vals,
		    size_t vlen);
int		 store_unpack_next(struct store_unpack *,
		    struct store_packrow *, char *err, size_t errlen);
void		 store_unpack_free(struct store_unpack *);

/* Fails unless the store was opened with STORE_WRITE. */
int		 store_writable(struct store *, char *err, size_t errlen);
/* Opens the batch transaction if none is open. */
int		 store_tx(struct store *, char *err, size_t errlen);
/* Commits the open batch, if any. */
int		 store_commit(struct store *, char *err, size_t errlen);
/* Counts n row writes; commits when the batch is full. */
int		 store_wrote(struct store *, unsigned n, char *err,
		    size_t errlen);
/* Runs a statement without results (BEGIN, SAVEPOINT...). */
int		 store_exec(struct store *, enum stmt_id, const char *what,
		    char *err, size_t errlen);

/* Does run id exist?  0 yes, -1 with "no run N" or a database error. */
int		 store_run_exists(struct store *, int64_t run, char *err,
		    size_t errlen);

/*
 * The statement of an iteration over a run: checks that run (and base,
 * when not 0) exist, prepares id and binds run to ?1 (and base to ?2).
 * NULL with a message on failure.
 */
sqlite3_stmt	*store_run_query(struct store *, enum stmt_id, int64_t run,
		    int64_t base, char *err, size_t errlen);

/* Binds a string, or NULL for a NULL pointer. */
int		 store_bind_text(sqlite3_stmt *, int, const char *);
/* A text column as a C string (NULL for SQL NULL). */
const char	*store_col_text(sqlite3_stmt *, int);

#endif
