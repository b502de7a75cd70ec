/*
 * store_vfs: the writer's WAL appends gathered into large writes.  SQLite
 * appends a frame to the WAL with two writes, its 24-byte header and then
 * the page: a 256 x 1,000 scan's 29 MB of WAL took 14,000 pwrite() calls,
 * each a trip into the kernel and through the file system's write path
 * (issue 13).  This VFS is SQLite's own "unix" underneath, for every file
 * and every call, except that a WAL file's appends wait in a buffer of
 * STORE_VFS_BUF bytes and go out with one write:
 *   - when the buffer is full or the next write is not an append to it;
 *   - as soon as it has held the whole of a commit's last frame (a
 *     frame whose header carries the database size; its header may have
 *     gone out already, with a full buffer), inside the same xWrite(),
 *     so a commit is in the file before SQLite publishes it in the WAL
 *     index, exactly as without the buffer, and a failed write fails the
 *     commit that made it;
 *   - before anything else is done with the file (read, sync, truncate,
 *     size, file control, close).
 * A write into what was already appended -- SQLite writing part of a
 * frame again in place: a page its transaction changed again, and at the
 * commit the frames' headers with new checksums -- goes through at once,
 * after what waits.
 * So what a reader, a checkpoint, another process or a killed writer
 * finds in the file is what SQLite would have left there: frames of a
 * transaction that has not committed may simply not be written yet, as
 * if the writer had died before writing them.  The frame layout read here
 * is SQLite's file format (walformat.html: a 32-byte header whose bytes
 * 8-11 are the page size; frames of 24 + page size bytes whose bytes 4-7
 * are the database size after a commit, 0 otherwise).  A WAL whose header
 * cannot be read is written through, as is everything when the buffer
 * cannot be allocated.  It is used only while SQLite's "unix" VFS is the
 * process's default: one a program (or a test) registered as its default
 * is used as it is, without this layer.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "store_vfs.h"

#define WAL_HDR		32		/* the WAL file's header */
#define FRAME_HDR	24		/* a frame's header */
#define WAL_MAGIC	0x377f0682u	/* and 0x377f0683: byte order */

struct wal_file {
	sqlite3_file	 base;		/* our methods */
	sqlite3_file	*real;		/* the unix VFS's file, after us */
	unsigned char	*buf;		/* NULL: written through */
	size_t		 len;		/* bytes waiting in buf */
	sqlite3_int64	 off;		/* the file offset of buf[0] */
	sqlite3_int64	 commit_end;	/* a commit's end waiting; 0 none */
	sqlite3_int64	 tail;		/* the end of the appends so far */
	uint32_t	 pgsz;		/* from the WAL header; 0 unknown */
};

/* The unix VFS's file goes after ours, aligned. */
#define WAL_REAL_OFF	((sizeof(struct wal_file) + 15) & ~(size_t)15)

static sqlite3_vfs	 vfs;		/* ours */
static sqlite3_vfs	*unix_vfs;	/* SQLite's default, underneath */
static pthread_once_t	 once = PTHREAD_ONCE_INIT;
static int		 registered;	/* sqlite3_vfs_register() worked */
/* Writes made to WAL files, for the tests (store_vfs_wal_writes()). */
static unsigned long	 wal_writes;

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * Writes what waits; the buffer is empty afterwards, whatever happened.
 * A commit frame whose end was not in it -- its header went out because
 * the buffer was full, its page is still to come -- is still waited for.
 */
static int
wal_flush(struct wal_file *w)
{
	sqlite3_int64 end = w->off + (sqlite3_int64)w->len;
	int rc;

	if (w->len == 0)
		return SQLITE_OK;
	__atomic_add_fetch(&wal_writes, 1, __ATOMIC_RELAXED);
	rc = w->real->pMethods->xWrite(w->real, w->buf, (int)w->len, w->off);
	w->len = 0;
	if (w->commit_end <= end)
		w->commit_end = 0;
	return rc;
}

/* The page size of the WAL's header, or 0 when it is not a WAL header. */
static uint32_t
hdr_pgsz(const unsigned char *h)
{
	uint32_t magic = be32(h), sz = be32(h + 8);

	if ((magic & ~1u) != WAL_MAGIC || sz < 512 || sz > 65536 ||
	    (sz & (sz - 1)) != 0)
		return 0;
	return sz;
}

/*
 * Notes a commit frame's header among the n bytes written at off: the
 * frame's end is where the buffer must go out.
 */
static void
note_commit(struct wal_file *w, const unsigned char *p, size_t n,
    sqlite3_int64 off)
{
	sqlite3_int64 frame = FRAME_HDR + (sqlite3_int64)w->pgsz, h;

	if (off + (sqlite3_int64)n <= WAL_HDR)
		return;
	h = off <= WAL_HDR ? WAL_HDR :
	    WAL_HDR + (off - WAL_HDR + frame - 1) / frame * frame;
	for (; h + 8 <= off + (sqlite3_int64)n; h += frame)
		if (be32(p + (h - off) + 4) != 0)
			w->commit_end = h + frame;
}

/* A write of the caller's, through: counted as wal_flush() counts. */
static int
write_through(struct wal_file *w, const void *data, int amt,
    sqlite3_int64 off)
{
	__atomic_add_fetch(&wal_writes, 1, __ATOMIC_RELAXED);
	return w->real->pMethods->xWrite(w->real, data, amt, off);
}

static int
wal_write(sqlite3_file *f, const void *data, int amt, sqlite3_int64 off)
{
	struct wal_file *w = (struct wal_file *)f;
	unsigned char hdr[WAL_HDR];
	size_t n = (size_t)amt;
	int rc;

	if (w->buf == NULL)
		return write_through(w, data, amt, off);
	if (off == 0 && n >= WAL_HDR) {
		w->pgsz = hdr_pgsz(data);
		w->tail = 0;
	} else if (w->pgsz == 0) {
		/* Appending to a WAL this handle did not start. */
		if ((rc = wal_flush(w)) != SQLITE_OK)
			return rc;
		if (w->real->pMethods->xRead(w->real, hdr, WAL_HDR, 0) ==
		    SQLITE_OK)
			w->pgsz = hdr_pgsz(hdr);
	}
	/*
	 * A write before the end of the appends is SQLite writing part of a
	 * frame again in place: a page its transaction changed again, or,
	 * at the commit, the frames' headers with new checksums, the commit
	 * frame's last.  It goes through, after what waits, so that it lands
	 * on what it replaces and is in the file before SQLite publishes
	 * the commit (recovery checks every header's checksum).
	 */
	if (w->pgsz == 0 || n > STORE_VFS_BUF || off < w->tail) {
		if ((rc = wal_flush(w)) != SQLITE_OK)
			return rc;
		if (off >= w->tail)
			w->tail = off + (sqlite3_int64)n;
		return write_through(w, data, amt, off);
	}
	if (w->len > 0 && (off != w->off + (sqlite3_int64)w->len ||
	    w->len + n > STORE_VFS_BUF) && (rc = wal_flush(w)) != SQLITE_OK)
		return rc;
	if (w->len == 0)
		w->off = off;
	memcpy(w->buf + w->len, data, n);
	w->len += n;
	w->tail = off + (sqlite3_int64)n;
	note_commit(w, data, n, off);
	if (w->commit_end != 0 &&
	    w->off + (sqlite3_int64)w->len >= w->commit_end)
		return wal_flush(w);
	return SQLITE_OK;
}

static int
wal_read(sqlite3_file *f, void *data, int amt, sqlite3_int64 off)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc;

	if ((rc = wal_flush(w)) != SQLITE_OK)
		return rc;
	return w->real->pMethods->xRead(w->real, data, amt, off);
}

static int
wal_close(sqlite3_file *f)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc, rc2;

	rc = wal_flush(w);
	rc2 = w->real->pMethods->xClose(w->real);
	sqlite3_free(w->buf);
	w->buf = NULL;
	return rc != SQLITE_OK ? rc : rc2;
}

static int
wal_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc;

	if ((rc = wal_flush(w)) != SQLITE_OK)
		return rc;
	return w->real->pMethods->xTruncate(w->real, size);
}

static int
wal_sync(sqlite3_file *f, int flags)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc;

	if ((rc = wal_flush(w)) != SQLITE_OK)
		return rc;
	return w->real->pMethods->xSync(w->real, flags);
}

static int
wal_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc;

	if ((rc = wal_flush(w)) != SQLITE_OK)
		return rc;
	return w->real->pMethods->xFileSize(w->real, size);
}

static int
wal_lock(sqlite3_file *f, int lock)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xLock(w->real, lock);
}

static int
wal_unlock(sqlite3_file *f, int lock)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xUnlock(w->real, lock);
}

static int
wal_reserved(sqlite3_file *f, int *out)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xCheckReservedLock(w->real, out);
}

static int
wal_fcntl(sqlite3_file *f, int op, void *arg)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc;

	if ((rc = wal_flush(w)) != SQLITE_OK)
		return rc;
	return w->real->pMethods->xFileControl(w->real, op, arg);
}

static int
wal_sector(sqlite3_file *f)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xSectorSize(w->real);
}

static int
wal_devchar(sqlite3_file *f)
{
	struct wal_file *w = (struct wal_file *)f;

	return w->real->pMethods->xDeviceCharacteristics(w->real);
}

/* Version 1 methods: SQLite maps and locks shared memory on the database. */
static const sqlite3_io_methods wal_methods = {
	1, wal_close, wal_read, wal_write, wal_truncate, wal_sync, wal_size,
	wal_lock, wal_unlock, wal_reserved, wal_fcntl, wal_sector, wal_devchar,
	NULL, NULL, NULL, NULL, NULL, NULL
};

static int
vfs_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags,
    int *outflags)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc;

	(void)v;
	/* Every other file is the unix VFS's own, in f itself. */
	if (!(flags & SQLITE_OPEN_WAL))
		return unix_vfs->xOpen(unix_vfs, name, f, flags, outflags);
	memset(w, 0, sizeof(*w));
	w->real = (sqlite3_file *)((char *)f + WAL_REAL_OFF);
	rc = unix_vfs->xOpen(unix_vfs, name, w->real, flags, outflags);
	if (rc != SQLITE_OK) {
		/* SQLite closes a file whose methods are set: the real one. */
		if (w->real->pMethods != NULL)
			w->real->pMethods->xClose(w->real);
		w->base.pMethods = NULL;
		return rc;
	}
	w->buf = sqlite3_malloc(STORE_VFS_BUF);
	w->base.pMethods = &wal_methods;
	return SQLITE_OK;
}

static void
vfs_init(void)
{
	int sz;

	unix_vfs = sqlite3_vfs_find("unix");
	if (unix_vfs == NULL)
		return;
	vfs = *unix_vfs;
	vfs.pNext = NULL;
	vfs.zName = STORE_VFS_NAME;
	sz = (int)WAL_REAL_OFF + unix_vfs->szOsFile;
	vfs.szOsFile = sz > unix_vfs->szOsFile ? sz : unix_vfs->szOsFile;
	vfs.xOpen = vfs_open;
	registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
}

unsigned long
store_vfs_wal_writes(void)
{
	return __atomic_load_n(&wal_writes, __ATOMIC_RELAXED);
}

const char *
store_vfs(void)
{
	pthread_once(&once, vfs_init);
	/*
	 * Only over SQLite's own default: a process whose default VFS is
	 * another (a test's, an application's) keeps it, untouched.
	 */
	if (!registered || sqlite3_vfs_find(NULL) != unix_vfs)
		return NULL;
	return STORE_VFS_NAME;
}
