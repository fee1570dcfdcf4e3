/*
 * tests/demos/s4.c - S4: malloc(1) makes the heap grow by far more than one
 * byte: the request's chunk plus the top pad (128 KiB), rounded up to a
 * page. glibc grew it by 132 KiB on the seeds' machine. The memory map
 * shows the [heap] line appear.
 */
#include <stdio.h>
#include <stdlib.h>

#include "demo.h"

int main(int argc, char **argv)
{
    demo_begin("S4", "malloc(1) grows the heap by the request + 128 KiB top pad, page rounded",
               argc, argv);
    char *b0 = brk_now();
    struct map h;
    int had_heap = maps_heap(&h);
    printf("   before: break %p, [heap] in the memory map: %s\n", (void *)b0, had_heap ? "yes" : "no");
    char *p = malloc(1);
    char *b1 = brk_now();
    printf("   malloc(1) = %p\n", (void *)p);
    printf("   after:  break %p, grew by %lu bytes = %lu KiB\n", (void *)b1, (unsigned long)(b1 - b0),
           (unsigned long)(b1 - b0) / KiB);
    maps_show(NULL);
    struct tide_stats st = stats_now();
    size_t before_chunk = (size_t)(p - 16 - (char *)st.heap_start);
    size_t want = (before_chunk + 32 + st.top_pad + PAGE - 1) & ~(PAGE - 1);
    printf("   the chunk sits %zu bytes past the heap start; %zu + 32 (chunk) + %zu (top pad)\n"
           "   rounded up to a page = %zu bytes\n", before_chunk, before_chunk, st.top_pad, want);
    printf("   the pointer sits %#lx past the heap start: before its chunk comes the thread\n"
           "   cache's bookkeeping, itself a chunk of %zu bytes\n",
           (unsigned long)(p - (char *)st.heap_start), before_chunk);
    if ((size_t)(p - (char *)st.heap_start) != 0x2a0)
        demo_differs("glibc's first pointer sat 0x2a0 past the heap start: its tcache "
                     "bookkeeping has another size than tide's thread cache");
    demo_check(!had_heap || h.end == h.start, "no-heap-before-first-malloc",
               "a [heap] mapping already existed");
    demo_check(maps_heap(&h) && (uintptr_t)p >= h.start && (uintptr_t)p < h.end,
               "first-malloc-is-in-heap", "%p not inside [heap]", (void *)p);
    demo_check((size_t)(b1 - b0) == want || (size_t)(b1 - (char *)st.heap_start) == want,
               "heap-grew-by-request-plus-top-pad-page-rounded", "grew %lu, expected %zu",
               (unsigned long)(b1 - b0), want);
    char *q = malloc(1000);
    demo_check(brk_now() == b1, "next-small-malloc-no-growth", "break moved again");
    free(q);
    free(p);
    return demo_end();
}
