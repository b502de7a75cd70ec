/*
 * store_vfs: the store's file I/O gathered into large calls.  SQLite
 * appends a frame to the WAL with two writes, its 24-byte header and then
 * the page, and a checkpoint copies the WAL into the database file with a
 * read and a write for each page: a 256 x 1,000 scan's 21 MB database took
 * 7,500 appends and then 5,300 reads and 5,300 writes of 4 KiB, each a
 * trip into the kernel and through the file system (issue 13).  This VFS
 * is SQLite's own "unix" underneath, for every file and every call,
 * except for two things.
 *
 * A WAL file's appends wait in a buffer of STORE_VFS_BUF bytes and go out
 * with one write:
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
 * if the writer had died before writing them.
 *
 * A checkpoint's copy -- what SQLite does between the file controls
 * SQLITE_FCNTL_CKPT_START and SQLITE_FCNTL_CKPT_DONE on the database
 * file, which SQLite sends after it has synced the WAL and before it
 * records in the WAL index that the pages are copied -- reads the WAL
 * ahead and gathers its writes:
 *   - the WAL is read STORE_VFS_BUF bytes at a time, no further than the
 *     file's size when the copy began; the copy reads only committed
 *     frames, which nothing changes until the copy is recorded (SQLite
 *     restarts a WAL only after that), and the buffer is dropped when
 *     the copy ends;
 *   - its page writes to the database file wait in a buffer while each
 *     follows the one before, and go out when the buffer is full, when a
 *     write is not the next one, before anything else is done with the
 *     file, and at SQLITE_FCNTL_CKPT_DONE: before SQLite records the
 *     copy, so a reader that then reads the database file finds every
 *     page there.  A write that fails fails the checkpoint as without
 *     the buffer, except the last one, at SQLITE_FCNTL_CKPT_DONE, whose
 *     error SQLite does not look at: it is tried again through, and if
 *     that fails too the process ends at once (status STORE_VFS_EXIT,
 *     with a message), before SQLite could record pages as copied that
 *     are not in the file: the WAL still holds them, and the next
 *     connection to open the file after this one recovers them.
 * The database file and its WAL are paired through the name SQLite opens
 * them by (sqlite3_filename_database() of the WAL's name is the very
 * pointer its database was opened with), so a copy's read-ahead is only
 * ever its own connection's.
 *
 * The frame layout read here is SQLite's file format (walformat.html: a
 * 32-byte header whose bytes 8-11 are the page size; frames of 24 + page
 * size bytes whose bytes 4-7 are the database size after a commit, 0
 * otherwise).  A WAL whose header cannot be read is written through, as
 * is everything when a buffer cannot be allocated.  It is used only while
 * SQLite's "unix" VFS is the process's default: one a program (or a test)
 * registered as its default is used as it is, without this layer.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_vfs.h"

#define WAL_HDR		32		/* the WAL file's header */
#define FRAME_HDR	24		/* a frame's header */
#define WAL_MAGIC	0x377f0682u	/* and 0x377f0683: byte order */

struct vfile {
	sqlite3_file	 base;		/* our methods */
	sqlite3_file	*real;		/* the unix VFS's file, after us */
	int		 wal;		/* a WAL; else a main database file */
	/* Writes waiting: a WAL's appends, a checkpoint's pages. */
	unsigned char	*buf;		/* NULL: written through */
	size_t		 len;		/* bytes waiting in buf */
	sqlite3_int64	 off;		/* the file offset of buf[0] */
	/* A WAL's. */
	sqlite3_int64	 commit_end;	/* a commit's end waiting; 0 none */
	sqlite3_int64	 tail;		/* the end of the appends so far */
	uint32_t	 pgsz;		/* from the WAL header; 0 unknown */
	unsigned char	*ra;		/* read ahead in a copy; NULL none */
	size_t		 ra_len;	/* bytes in ra */
	sqlite3_int64	 ra_off;	/* the file offset of ra[0] */
	sqlite3_int64	 ra_end;	/* 0: not in a copy; else its size */
	/* A database file's. */
	const char	*name;		/* SQLite's pointer, its WAL's key */
	int		 copying;	/* between CKPT_START and CKPT_DONE */
	struct vfile	*peer;		/* the database's WAL, the WAL's db */
	struct vfile	*next;		/* the open database files */
};

/* The unix VFS's file goes after ours, aligned. */
#define VFILE_REAL_OFF	((sizeof(struct vfile) + 15) & ~(size_t)15)

static sqlite3_vfs	 vfs;		/* ours */
static sqlite3_vfs	*unix_vfs;	/* SQLite's default, underneath */
static pthread_once_t	 once = PTHREAD_ONCE_INIT;
static int		 registered;	/* sqlite3_vfs_register() worked */
/* The open database files, for their WALs to find (the pairs). */
static pthread_mutex_t	 dbs_mu = PTHREAD_MUTEX_INITIALIZER;
static struct vfile	*dbs;
/* Writes made to WAL files and database files, for the tests. */
static unsigned long	 wal_writes, db_writes;
/* WAL reads made by copies (read-ahead refills), for the tests. */
static unsigned long	 wal_reads;

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
count(unsigned long *n)
{
	__atomic_add_fetch(n, 1, __ATOMIC_RELAXED);
}

/* A write to the file itself, counted (the tests read the counts). */
static int
write_through(struct vfile *f, const void *data, int amt, sqlite3_int64 off)
{
	count(f->wal ? &wal_writes : &db_writes);
	return f->real->pMethods->xWrite(f->real, data, amt, off);
}

/*
 * Writes what waits; the buffer is empty afterwards, whatever happened.
 * A WAL's commit frame whose end was not in it -- its header went out
 * because the buffer was full, its page is still to come -- is still
 * waited for.
 */
static int
flush(struct vfile *f)
{
	sqlite3_int64 end = f->off + (sqlite3_int64)f->len;
	int rc;

	if (f->len == 0)
		return SQLITE_OK;
	rc = write_through(f, f->buf, (int)f->len, f->off);
	f->len = 0;
	if (f->commit_end <= end)
		f->commit_end = 0;
	return rc;
}

/*
 * Adds a write of at most STORE_VFS_BUF bytes to what waits, which goes
 * out first when the write does not follow it or does not fit: an error
 * of that flush, or SQLITE_OK.
 */
static int
gather(struct vfile *f, const void *data, size_t n, sqlite3_int64 off)
{
	int rc;

	if (f->len > 0 && (off != f->off + (sqlite3_int64)f->len ||
	    f->len + n > STORE_VFS_BUF) && (rc = flush(f)) != SQLITE_OK)
		return rc;
	if (f->len == 0)
		f->off = off;
	memcpy(f->buf + f->len, data, n);
	f->len += n;
	return SQLITE_OK;
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
note_commit(struct vfile *w, const unsigned char *p, size_t n,
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

static int
wal_write(struct vfile *w, const void *data, int amt, sqlite3_int64 off)
{
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
		if ((rc = flush(w)) != SQLITE_OK)
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
	 * the commit (recovery checks every header's checksum).  A write
	 * larger than the buffer goes through too.
	 */
	if (w->pgsz == 0 || off < w->tail || n > STORE_VFS_BUF) {
		if ((rc = flush(w)) != SQLITE_OK)
			return rc;
		if (off >= w->tail)
			w->tail = off + (sqlite3_int64)n;
		return write_through(w, data, amt, off);
	}
	w->tail = off + (sqlite3_int64)n;
	if ((rc = gather(w, data, n, off)) != SQLITE_OK)
		return rc;
	note_commit(w, data, n, off);
	if (w->commit_end != 0 &&
	    w->off + (sqlite3_int64)w->len >= w->commit_end)
		return flush(w);
	return SQLITE_OK;
}

/*
 * A copy's read of the WAL, from the read-ahead buffer, refilled with
 * the STORE_VFS_BUF bytes from off (no further than the size at the
 * copy's start) when it does not hold the range.  -1: read it through.
 */
static int
wal_read_ahead(struct vfile *w, void *data, size_t n, sqlite3_int64 off)
{
	size_t len;
	int rc;

	if (w->ra == NULL || w->ra_end == 0 || off < 0 ||
	    off + (sqlite3_int64)n > w->ra_end)
		return -1;
	if (off < w->ra_off ||
	    off + (sqlite3_int64)n > w->ra_off + (sqlite3_int64)w->ra_len) {
		w->ra_len = 0;
		len = w->ra_end - off < STORE_VFS_BUF ?
		    (size_t)(w->ra_end - off) : STORE_VFS_BUF;
		if (len < n)
			return -1;
		count(&wal_reads);
		rc = w->real->pMethods->xRead(w->real, w->ra, (int)len, off);
		if (rc != SQLITE_OK)
			return -1;
		w->ra_off = off;
		w->ra_len = len;
	}
	memcpy(data, w->ra + (off - w->ra_off), n);
	return SQLITE_OK;
}

/*
 * A copy begins: its reads of w may be read ahead (see the top).  Not
 * when appends wait (a copy runs outside a write transaction, so none
 * should): the reads then go through, and flush them with their errors.
 */
static void
wal_copy_begins(struct vfile *w)
{
	sqlite3_int64 size;

	w->ra_len = 0;
	w->ra_end = 0;
	if (w->len > 0 ||
	    w->real->pMethods->xFileSize(w->real, &size) != SQLITE_OK ||
	    size <= 0)
		return;
	if (w->ra == NULL && (w->ra = sqlite3_malloc(STORE_VFS_BUF)) == NULL)
		return;
	w->ra_end = size;
}

static void
wal_copy_ends(struct vfile *w)
{
	w->ra_len = 0;
	w->ra_end = 0;
}

/*
 * The copy's last writes, at SQLITE_FCNTL_CKPT_DONE, whose result SQLite
 * does not look at before it records the copy: tried once more through,
 * then the process ends (see the top).
 */
static void
copy_done(struct vfile *d)
{
	unsigned char *p = d->buf;
	size_t n = d->len;
	sqlite3_int64 off = d->off;
	int rc;

	d->len = 0;
	if (n == 0)
		return;
	if (write_through(d, p, (int)n, off) == SQLITE_OK)
		return;
	if ((rc = write_through(d, p, (int)n, off)) == SQLITE_OK)
		return;
	fprintf(stderr, "banaudit: %s: cannot write the database file "
	    "(%s); stopping before the checkpoint is recorded: the WAL keeps "
	    "every committed page, and the next open recovers them\n",
	    d->name != NULL ? d->name : "?", sqlite3_errstr(rc));
	fflush(stderr);
	_exit(STORE_VFS_EXIT);
}

static int
db_write(struct vfile *d, const void *data, int amt, sqlite3_int64 off)
{
	int rc;

	if (!d->copying || d->buf == NULL || amt > STORE_VFS_BUF) {
		if ((rc = flush(d)) != SQLITE_OK)
			return rc;
		return write_through(d, data, amt, off);
	}
	return gather(d, data, (size_t)amt, off);
}

static int
vf_write(sqlite3_file *file, const void *data, int amt, sqlite3_int64 off)
{
	struct vfile *f = (struct vfile *)file;

	return f->wal ? wal_write(f, data, amt, off) :
	    db_write(f, data, amt, off);
}

static int
vf_read(sqlite3_file *file, void *data, int amt, sqlite3_int64 off)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	if (f->wal && amt > 0 &&
	    wal_read_ahead(f, data, (size_t)amt, off) == SQLITE_OK)
		return SQLITE_OK;
	return f->real->pMethods->xRead(f->real, data, amt, off);
}

/* Unpairs f from its peer and from the list of databases. */
static void
unpair(struct vfile *f)
{
	struct vfile **pp;

	pthread_mutex_lock(&dbs_mu);
	if (f->peer != NULL)
		f->peer->peer = NULL;
	f->peer = NULL;
	if (!f->wal)
		for (pp = &dbs; *pp != NULL; pp = &(*pp)->next)
			if (*pp == f) {
				*pp = f->next;
				break;
			}
	pthread_mutex_unlock(&dbs_mu);
}

static int
vf_close(sqlite3_file *file)
{
	struct vfile *f = (struct vfile *)file;
	int rc, rc2;

	rc = flush(f);
	unpair(f);
	rc2 = f->real->pMethods->xClose(f->real);
	sqlite3_free(f->buf);
	sqlite3_free(f->ra);
	f->buf = NULL;
	f->ra = NULL;
	return rc != SQLITE_OK ? rc : rc2;
}

static int
vf_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xTruncate(f->real, size);
}

static int
vf_sync(sqlite3_file *file, int flags)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xSync(f->real, flags);
}

static int
vf_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xFileSize(f->real, size);
}

static int
vf_lock(sqlite3_file *file, int lock)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xLock(f->real, lock);
}

static int
vf_unlock(sqlite3_file *file, int lock)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xUnlock(f->real, lock);
}

static int
vf_reserved(sqlite3_file *file, int *out)
{
	struct vfile *f = (struct vfile *)file;

	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int
vf_fcntl(sqlite3_file *file, int op, void *arg)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if (!f->wal && op == SQLITE_FCNTL_CKPT_DONE && f->copying) {
		copy_done(f);
		f->copying = 0;
		if (f->peer != NULL)
			wal_copy_ends(f->peer);
	} else if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	if (!f->wal && op == SQLITE_FCNTL_CKPT_START) {
		if (f->buf == NULL)
			f->buf = sqlite3_malloc(STORE_VFS_BUF);
		f->copying = 1;
		if (f->peer != NULL)
			wal_copy_begins(f->peer);
	}
	return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int
vf_sector(sqlite3_file *file)
{
	struct vfile *f = (struct vfile *)file;

	return f->real->pMethods->xSectorSize(f->real);
}

static int
vf_devchar(sqlite3_file *file)
{
	struct vfile *f = (struct vfile *)file;

	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/*
 * A database file's shared memory and mapping are the unix VFS's; a
 * shared-memory lock or unmap and a fetch first write what waits: what
 * the WAL index records must be in the file.
 */
static int
vf_shm_map(sqlite3_file *file, int pg, int pgsz, int extend,
    void volatile **pp)
{
	struct vfile *f = (struct vfile *)file;

	return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int
vf_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void
vf_shm_barrier(sqlite3_file *file)
{
	struct vfile *f = (struct vfile *)file;

	f->real->pMethods->xShmBarrier(f->real);
}

static int
vf_shm_unmap(sqlite3_file *file, int del)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xShmUnmap(f->real, del);
}

static int
vf_fetch(sqlite3_file *file, sqlite3_int64 off, int amt, void **pp)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	*pp = NULL;
	if ((rc = flush(f)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xFetch(f->real, off, amt, pp);
}

static int
vf_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	struct vfile *f = (struct vfile *)file;

	return f->real->pMethods->xUnfetch(f->real, off, p);
}

/*
 * A WAL's methods, version 1: SQLite maps and locks shared memory on the
 * database file.
 */
static const sqlite3_io_methods wal_methods = {
	1, vf_close, vf_read, vf_write, vf_truncate, vf_sync, vf_size,
	vf_lock, vf_unlock, vf_reserved, vf_fcntl, vf_sector, vf_devchar,
	NULL, NULL, NULL, NULL, NULL, NULL
};

/* A database file's: version 3, as the unix VFS's (shared memory, mmap). */
static const sqlite3_io_methods db_methods = {
	3, vf_close, vf_read, vf_write, vf_truncate, vf_sync, vf_size,
	vf_lock, vf_unlock, vf_reserved, vf_fcntl, vf_sector, vf_devchar,
	vf_shm_map, vf_shm_lock, vf_shm_barrier, vf_shm_unmap, vf_fetch,
	vf_unfetch
};

/* Pairs the WAL w with its database file, opened by the same pager. */
static void
pair(struct vfile *w, const char *name)
{
	const char *db = sqlite3_filename_database(name);
	struct vfile *d;

	pthread_mutex_lock(&dbs_mu);
	for (d = dbs; d != NULL; d = d->next)
		if (d->name == db && d->peer == NULL) {
			d->peer = w;
			w->peer = d;
			break;
		}
	pthread_mutex_unlock(&dbs_mu);
}

static int
vfs_open(sqlite3_vfs *v, const char *name, sqlite3_file *file, int flags,
    int *outflags)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	(void)v;
	/* Every other file is the unix VFS's own, in file itself. */
	if (!(flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_DB)) || name == NULL)
		return unix_vfs->xOpen(unix_vfs, name, file, flags, outflags);
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)((char *)file + VFILE_REAL_OFF);
	rc = unix_vfs->xOpen(unix_vfs, name, f->real, flags, outflags);
	if (rc != SQLITE_OK) {
		/* SQLite closes a file whose methods are set: the real one. */
		if (f->real->pMethods != NULL)
			f->real->pMethods->xClose(f->real);
		f->base.pMethods = NULL;
		return rc;
	}
	if (flags & SQLITE_OPEN_WAL) {
		f->wal = 1;
		f->buf = sqlite3_malloc(STORE_VFS_BUF);
		f->base.pMethods = &wal_methods;
		pair(f, name);
		return SQLITE_OK;
	}
	/* A checkpoint's buffer comes with its first copy. */
	if (f->real->pMethods->iVersion < 3) {
		f->real->pMethods->xClose(f->real);
		return SQLITE_CANTOPEN;
	}
	f->name = name;
	f->base.pMethods = &db_methods;
	pthread_mutex_lock(&dbs_mu);
	f->next = dbs;
	dbs = f;
	pthread_mutex_unlock(&dbs_mu);
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
	sz = (int)VFILE_REAL_OFF + unix_vfs->szOsFile;
	vfs.szOsFile = sz > unix_vfs->szOsFile ? sz : unix_vfs->szOsFile;
	vfs.xOpen = vfs_open;
	registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
}

unsigned long
store_vfs_wal_writes(void)
{
	return __atomic_load_n(&wal_writes, __ATOMIC_RELAXED);
}

unsigned long
store_vfs_db_writes(void)
{
	return __atomic_load_n(&db_writes, __ATOMIC_RELAXED);
}

unsigned long
store_vfs_wal_reads(void)
{
	return __atomic_load_n(&wal_reads, __ATOMIC_RELAXED);
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
