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

size_t
heap_reserve(size_t bytes)
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
	if (hi <= lo || madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) != 0)
		hi = lo;
	__libc_free(p);
	return hi - lo;
}
