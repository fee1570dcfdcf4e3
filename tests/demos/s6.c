/*
 * tests/demos/s6.c - S6: free() of heap memory keeps it in the allocator
 * for reuse (the heap mapping does not change); free() of a mapped block
 * gives it back to the kernel at once (its mapping disappears and resident
 * memory drops).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

int main(int argc, char **argv)
{
    demo_begin("S6", "free keeps heap memory cached, returns a mapped block at once", argc, argv);
    char *small = malloc(8 * KiB);
    char *big = malloc(4 * MiB);
    memset(small, 1, 8 * KiB);
    memset(big, 1, 4 * MiB);
    printf("   small = malloc(8 KiB) = %p, big = malloc(4 MiB) = %p, both written\n", (void *)small,
           (void *)big);
    const void *addrs[] = { small, big, NULL };
    maps_show(addrs);
    struct map heap0, heap1, m;
    maps_heap(&heap0);
    long r0 = resident_kib();
    heap_dump("s6: small (8 KiB, heap) and big (4 MiB, own mapping) in use");
    free(small);
    free(big);
    long r1 = resident_kib();
    maps_heap(&heap1);
    printf("   after free(small), free(big):\n");
    maps_show(addrs);
    printf("   resident: %ld KiB -> %ld KiB (%ld KiB returned)\n", r0, r1, r0 - r1);
    heap_dump("s6: both freed: small stays in the heap, big is unmapped");
    demo_check(heap0.start == heap1.start && heap0.end == heap1.end, "heap-unchanged-after-free",
               "[heap] moved from %lx-%lx to %lx-%lx", (unsigned long)heap0.start,
               (unsigned long)heap0.end, (unsigned long)heap1.start, (unsigned long)heap1.end);
    demo_check(!maps_find(big, &m), "mapped-block-gone-after-free", "%p is still mapped", (void *)big);
    demo_check(r0 - r1 >= 4 * 1024 - 16, "resident-drops-by-block-size", "dropped %ld KiB", r0 - r1);
    char *again = malloc(8 * KiB);
    printf("   malloc(8 KiB) again = %p: %s\n", (void *)again,
           again == small ? "the same chunk, reused from the allocator's cache" : "another chunk");
    demo_check(again == small, "freed-heap-chunk-reused", "got %p, freed %p", (void *)again,
               (void *)small);
    free(again);
    return demo_end();
}
