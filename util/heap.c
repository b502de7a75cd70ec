/*
 * heap: the malloc heap made resident before use (heap.h).
 */
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
 * does not count it, and a sanitizer's allocator does not take it.
 */
extern void	*__libc_malloc(size_t);
extern void	 __libc_free(void *);

/* glibc's largest mmap threshold on 64-bit systems. */
#define HEAP_MMAP_MAX	(32u << 20)
/* Freed memory at the heap's top is kept up to this much. */
#define HEAP_TRIM	(64u << 20)
/* A transparent huge page: 2 MiB on x86-64 and arm64 (4 KiB pages). */
#define HEAP_HUGE_PAGE	((uintptr_t)2 << 20)

/* Asks for huge pages over the whole HEAP_HUGE_PAGE blocks of [p, p + len). */
static void
huge_pages(void *p, size_t len)
{
	uintptr_t a = HEAP_HUGE_PAGE - 1;
	uintptr_t lo = ((uintptr_t)p + a) & ~a;
	uintptr_t hi = ((uintptr_t)p + len) & ~a;

	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

size_t
heap_reserve(size_t bytes, int huge)
{
	uintptr_t page, lo, hi;
	long ps;
	char *p;

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
	if (huge && hi > lo)
		huge_pages((void *)lo, hi - lo);
	if (hi <= lo || madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) != 0)
		hi = lo;
	__libc_free(p);
	return hi - lo;
}
