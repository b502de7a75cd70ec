/*
 * heap: the process's malloc heap made resident before it is used.
 *
 * On a virtual machine the first touch of a page of memory traps to the
 * hypervisor: about 11 us a page on the bench machine, where one
 * madvise(MADV_POPULATE_WRITE) call makes the same pages resident for
 * about 1 us each; under the bench machine's shadow page tables (PVM) a
 * page so made resident still costs about 5 us at its first write from
 * user space, so this saves half, and a page never touched is the only
 * free one (docs/PERFORMANCE.md, "What a page costs here").  A scan
 * that will use megabytes of heap -- net-snmp's PDUs, SQLite's page
 * cache, the store's buffers, the hosts in flight -- asks for them up
 * front.
 *
 * Only glibc's malloc carves its blocks from that heap.  The program and
 * the raw walker are linked with mimalloc (the Makefile's MALLOC_LIBS;
 * docs/PERFORMANCE.md, "mimalloc"), whose pages come from mappings of its
 * own: there the reserve would be 16 MiB more resident and nothing
 * faster, so it does nothing.  It works in a build linked without it
 * (make MALLOC_LIBS=) and in the unit tests.
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
 * is short, or when malloc is not glibc's (heap_glibc(): mimalloc, the
 * sanitizers'), where it changes nothing at all.  Never fails: it only
 * moves when the pages are faulted in.
 *
 * The pages are small ones: no transparent huge pages are asked for.
 * On a virtual machine whose host takes back the guest's free memory
 * (virtio-balloon free page reporting, which reports free blocks of
 * exactly a huge page's size) a huge page's first touch faults the
 * host's memory in again: 16 MiB took 15-55 ms as huge pages after 3 s
 * of idleness -- a scan's usual start -- against 3-5 ms as small pages,
 * and a 256 x 1,000 walk after idleness took 0.88x and 0.93x its wall
 * time with small pages (11 and 15 pairs), more than the fewer TLB
 * entries of a huge page had saved it back to back (docs/PERFORMANCE.md,
 * "Huge pages after idleness" and "Small pages for the walk too").
 */
size_t	heap_reserve(size_t bytes);

/* 1 when the process's malloc() is glibc's own, else 0. */
int	heap_glibc(void);

/*
 * What a command reserves before it reads its inputs: a rule pack and a
 * targets file of a few thousand rows.  A one-host scan took 0.89x its
 * wall time with it (docs/PERFORMANCE.md).
 */
#define HEAP_INPUT_BYTES	((size_t)2 << 20)

#endif
