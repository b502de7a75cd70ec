/*
 * store_vfs: an SQLite VFS for the writer and its checkpoints that
 * gathers a WAL's appends, and a checkpoint's reads of the WAL and writes
 * of the database file, into large calls (store_vfs.c says when they go
 * out, and why nothing a reader or a killed writer sees changes).  Used
 * by store.c and store_ckpt.c only; nothing outside the store includes
 * this file.
 */
#ifndef BANAUDIT_STORE_VFS_H
#define BANAUDIT_STORE_VFS_H

#define STORE_VFS_NAME	"banaudit-wal"
/*
 * A WAL file's buffer: its appends go out in writes of at most this.
 * SQLite's unix VFS writes at most 128 KiB - 1 bytes a call (os_unix.c,
 * seekAndWriteFd(): the length is masked with 0x1ffff) and calls a
 * longer write a full disk.
 */
#define STORE_VFS_BUF	(120 << 10)

/*
 * The VFS's name for sqlite3_open_v2(), registered on first call (not as
 * the default); NULL if it could not be, or when the process's default
 * VFS is not SQLite's "unix" (then use the default).  Safe to call from
 * any thread.
 */
const char *store_vfs(void);

/*
 * The exit status of a process whose checkpoint could not write its last
 * pages (store_vfs.c): README's runtime failure.
 */
#define STORE_VFS_EXIT	3

/* The write calls made to WAL files so far, by every handle (tests). */
unsigned long store_vfs_wal_writes(void);

/* The write calls made to database files so far (tests). */
unsigned long store_vfs_db_writes(void);

/* The WAL reads checkpoints made through the read-ahead (tests). */
unsigned long store_vfs_wal_reads(void);

#endif
