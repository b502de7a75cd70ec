/*
 * heap: the process's malloc heap made resident before it is used.
 *
 * On a virtual machine the first touch of a page of memory traps to the
 * hypervisor: about 10 us a page on the bench machine, where one
 * madvise(MADV_POPULATE_WRITE) call makes the same pages resident for
 * about 0.7 us each (docs/PERFORMANCE.md).  A scan that will use
 * megabytes of heap -- net-snmp's PDUs, SQLite's page cache, the store's
 * buffers, the hosts in flight -- asks for them up front.
 */
#ifndef BANAUDIT_HEAP_H
#define BANAUDIT_HEAP_H

#include <stddef.h>

/*
 * Sets glibc's malloc to keep what is freed (no trimming of the heap's
 * top below 64 MiB) and to take blocks up to 32 MiB from the heap
 * instead of a mapping of their own, which each free() would unmap and
 * the next use fault in again; then grows the heap by bytes (at most 32
 * MiB) and makes them resident.  Returns the bytes made resident: 0 when
 * the kernel has no MADV_POPULATE_WRITE (before Linux 5.14), when memory
 * is short, or under an allocator that is not glibc's heap (the
 * sanitizers'), where the call changes nothing that matters.  Never
 * fails: it only moves when the pages are faulted in.
 */
size_t	heap_reserve(size_t bytes);

/* A transparent huge page: 2 MiB on x86-64 and arm64 (4 KiB pages). */
#define HEAP_HUGE_PAGE	((size_t)2 << 20)

/*
 * Asks for transparent huge pages over the whole HEAP_HUGE_PAGE blocks
 * of [p, p + len): a kernel whose /sys/kernel/mm/transparent_hugepage/
 * enabled is "madvise" (the build machine's) gives them only to regions
 * that ask.  Memory read all over (a scan's heap, the match memo's
 * table) then takes few TLB entries, where with 4 KiB pages each page is
 * one, and on a virtual machine a TLB miss walks two page tables.
 * Refused (no THP, an older kernel): nothing changes.
 */
void	heap_huge(void *p, size_t len);

/*
 * What a command reserves before it reads its inputs: a rule pack and a
 * targets file of a few thousand rows.  A one-host scan took 0.89x its
 * wall time with it (docs/PERFORMANCE.md).
 */
#define HEAP_INPUT_BYTES	((size_t)2 << 20)

#endif
