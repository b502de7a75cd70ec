/*
 * test_heap: the heap made resident before use (util/heap.h) -- what
 * heap_reserve() says it made resident is resident, a block malloc()
 * hands out afterwards (one that glibc would otherwise have mapped on
 * its own) lies in those pages, and a freed block's pages stay for the
 * next.  Residency is read with mincore(2).  Under the sanitizers'
 * allocators, which take nothing from glibc's heap, it reserves nothing.
 * (The program's own allocator: test_heap_malloc.c.)
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "heap.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GLIBC_MALLOC	0
#else
#define GLIBC_MALLOC	1
#endif

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

#define MIB	((size_t)1 << 20)

/* Pages of [p, p + len) not resident: whole pages inside the range. */
static size_t
absent(const void *p, size_t len)
{
	uintptr_t ps = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)p + ps - 1) & ~(ps - 1);
	uintptr_t hi = ((uintptr_t)p + len) & ~(ps - 1);
	unsigned char *v;
	size_t i, n, out = 0;

	assert_true(hi > lo);
	n = (hi - lo) / ps;
	v = malloc(n);
	assert_non_null(v);
	assert_int_equal(mincore((void *)lo, hi - lo, v), 0);
	for (i = 0; i < n; i++)
		if ((v[i] & 1) == 0)
			out++;
	free(v);
	return out;
}

/* Whether this kernel knows MADV_POPULATE_WRITE (Linux 5.14). */
static int
kernel_populates(void)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	void *m = mmap(NULL, ps, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok;

	assert_true(m != MAP_FAILED);
	ok = madvise(m, ps, MADV_POPULATE_WRITE) == 0;
	if (!ok)
		assert_int_equal(errno, EINVAL);
	munmap(m, ps);
	return ok;
}

static const char *vm_flags(uintptr_t, char *, size_t);

static void
test_reserve(void **state)
{
	char flags[512];
	const char *f;
	size_t got;
	char *p, *q;

	(void)state;
	got = heap_reserve(8 * MIB);
	/* Not glibc's malloc (the sanitizers'): nothing to reserve. */
	assert_int_equal(heap_glibc(), GLIBC_MALLOC);
	if (!GLIBC_MALLOC) {
		assert_int_equal(got, 0);
		return;
	}
	if (!kernel_populates()) {
		assert_int_equal(got, 0);
		return;
	}
	/* All but the partial pages at either end. */
	assert_true(got >= 8 * MIB - 2 * (size_t)sysconf(_SC_PAGESIZE));
	assert_true(got <= 8 * MIB);
	/*
	 * 2 MiB is past glibc's default mmap threshold: without the
	 * reserve this block would be a fresh mapping, not one page of it
	 * resident.
	 */
	p = malloc(2 * MIB);
	assert_non_null(p);
	assert_int_equal(absent(p, 2 * MIB), 0);
	free(p);
	/* Freed, its pages stay the heap's: the next block finds them. */
	q = malloc(6 * MIB);
	assert_non_null(q);
	assert_int_equal(absent(q, 6 * MIB), 0);
	/*
	 * No huge pages asked (heap.h: their first touch after idleness):
	 * the middle of the block lies in a whole 2 MiB of the reserve.
	 */
	f = vm_flags((uintptr_t)q + 3 * MIB, flags, sizeof(flags));
	assert_non_null(f);
	assert_null(strstr(f, " hg"));
	memset(q, 1, 6 * MIB);
	free(q);
}

/*
 * The VmFlags of the mapping /proc/self/smaps lists around address a
 * (NULL when the file cannot be read), in buf.
 */
static const char *
vm_flags(uintptr_t a, char *buf, size_t len)
{
	FILE *fp = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo, hi;
	int in = 0;
	const char *out = NULL;

	if (fp == NULL)
		return NULL;
	while (out == NULL && fgets(line, sizeof(line), fp) != NULL) {
		/* A mapping's first line: "lo-hi perms offset ...". */
		if (line[strspn(line, "0123456789abcdef")] == '-' &&
		    sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			in = a >= lo && a < hi;
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(buf, len, "%s", line + 8);
			out = buf;
		}
	}
	fclose(fp);
	return out;
}

/* Nothing asked, nothing made resident; a huge ask is capped. */
static void
test_bounds(void **state)
{
	size_t got;

	(void)state;
	assert_int_equal(heap_reserve(0), 0);
	got = heap_reserve(SIZE_MAX);
	assert_true(got < 32 * MIB);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
