/*
 * heap: the malloc heap made resident before use (heap.h).
 */
#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "heap.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#endif

/*
 * glibc's own entry points: the reserve is glibc's heap by definition,
 * given back at once, and not an allocation of the program's -- the
 * allocation-failure harness (tests/unit/oom.h), which wraps malloc,
 * does not count it.  Called only when malloc is glibc's (heap_glibc()):
 * an allocator that replaces glibc's may define these names too.
 */
extern void	*__libc_malloc(size_t);
extern void	 __libc_free(void *);

/* glibc's largest mmap threshold on 64-bit systems. */
#define HEAP_MMAP_MAX	(32u << 20)
/* Freed memory at the heap's top is kept up to this much. */
#define HEAP_TRIM	(64u << 20)

/*
 * Whether malloc() is glibc's: the one the process's lookups find first
 * (the program's mimalloc, a sanitizer's interceptor) is the one its
 * libraries call; glibc's is the one libc.so.6 itself defines.  (Not
 * __libc_malloc: mimalloc defines that name too, for glibc's own calls.)
 */
int
heap_glibc(void)
{
	void *libc, *m;
	int is;

	libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
	if (libc == NULL)
		return 0;
	m = dlsym(RTLD_DEFAULT, "malloc");
	is = m != NULL && m == dlsym(libc, "malloc");
	dlclose(libc);
	return is;
}

size_t
heap_reserve(size_t bytes)
{
	uintptr_t page, lo, hi;
	long ps;
	char *p;

	if (!heap_glibc())
		return 0;
	(void)mallopt(M_TRIM_THRESHOLD, (int)HEAP_TRIM);
	(void)mallopt(M_MMAP_THRESHOLD, (int)HEAP_MMAP_MAX);
	ps = sysconf(_SC_PAGESIZE);
	if (bytes == 0 || ps <= 0)
		return 0;
	if (bytes > HEAP_MMAP_MAX - (size_t)ps)
		bytes = HEAP_MMAP_MAX - (size_t)ps;
	/*
	 * A block this size now comes from the heap's top; freed, it goes
	 * back to the top, which is no longer trimmed: the next blocks are
	 * carved from these pages.
	 */
	p = __libc_malloc(bytes);
	if (p == NULL)
		return 0;
	page = (uintptr_t)ps;
	lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	hi = ((uintptr_t)p + bytes) & ~(page - 1);
	if (hi <= lo || madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) != 0)
		hi = lo;
	__libc_free(p);
	return hi - lo;
}
