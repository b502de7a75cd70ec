/*
 * test_heap_malloc: the program's allocator (the Makefile's MALLOC_LIBS),
 * in a binary linked as the program is.  With mimalloc linked, every
 * malloc() of the process is mimalloc's -- a block the test allocates
 * and one a library allocates (SQLite's) lie in mimalloc's memory -- and
 * heap_reserve() (util/heap.h), which serves glibc's heap only, does
 * nothing.  Under the sanitizers, whose runtimes bring their own malloc,
 * it does nothing either; with glibc's malloc (make MALLOC_LIBS=) it is
 * glibc's.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "heap.h"

#ifndef HEAP_EXPECT_MIMALLOC
#define HEAP_EXPECT_MIMALLOC	0
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED	1
#else
#define SANITIZED	0
#endif

#define MIB	((size_t)1 << 20)

typedef bool (*in_region_fn)(const void *);

static void
test_allocator(void **state)
{
	in_region_fn in_region;
	char *p, *q;

	(void)state;
	in_region = (in_region_fn)dlsym(RTLD_DEFAULT,
	    "mi_is_in_heap_region");
	p = malloc(2 * MIB);
	assert_non_null(p);
	memset(p, 1, 2 * MIB);
	/* A library's allocation goes to the same malloc. */
	q = sqlite3_malloc(4096);
	assert_non_null(q);
	if (HEAP_EXPECT_MIMALLOC && !SANITIZED) {
		assert_non_null(in_region);
		assert_true(in_region(p));
		assert_true(in_region(q));
		assert_int_equal(heap_glibc(), 0);
		assert_int_equal(heap_reserve(8 * MIB), 0);
	} else if (SANITIZED) {
		assert_int_equal(heap_glibc(), 0);
		assert_int_equal(heap_reserve(8 * MIB), 0);
	} else {
		assert_null(in_region);
		assert_int_equal(heap_glibc(), 1);
	}
	sqlite3_free(q);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
