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
 *
 * huge: the reserve's whole 2 MiB blocks also ask for transparent huge
 * pages (MADV_HUGEPAGE; a kernel whose transparent_hugepage/enabled is
 * "madvise", Debian's, gives them only to regions that ask), for a heap
 * read all over for long -- a walk's SQLite page cache and rows -- which
 * then takes few TLB entries, where on a virtual machine a TLB miss walks
 * two page tables.  Only then: a huge page costs its first touch, and on
 * a virtual machine whose host takes back the guest's free memory
 * (virtio-balloon free page reporting, which reports free blocks of
 * exactly a huge page's size) that touch faults the host's memory in
 * again.  On the bench machine 16 MiB were made resident in 1 ms as huge
 * pages just after another process freed them, in 15-55 ms after 3 s of
 * idleness -- a scan's usual start -- and in 3-5 ms as small pages either
 * way (docs/PERFORMANCE.md).  A walk repays that; an identity scan, each
 * host's few rows written once, does not.
 */
size_t	heap_reserve(size_t bytes, int huge);

/*
 * What a command reserves before it reads its inputs: a rule pack and a
 * targets file of a few thousand rows.  A one-host scan took 0.89x its
 * wall time with it (docs/PERFORMANCE.md).
 */
#define HEAP_INPUT_BYTES	((size_t)2 << 20)

#endif
