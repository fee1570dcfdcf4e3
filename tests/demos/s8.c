/*
 * tests/demos/s8.c - S8: why not brk everything? Fragmentation. Allocate
 * 10, 20 and 30 KiB; free the first two: a 30 KiB hole sits below the
 * third block, and the heap cannot give it back (brk only moves the top).
 * A request under 30 KiB reuses the hole; a larger one comes from the top,
 * and when the top is too small the heap grows although 30 KiB are free.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

int main(int argc, char **argv)
{
    demo_begin("S8", "why not brk everything: a hole below the top cannot be returned", argc, argv);
    mallopt(TIDE_M_TCACHE_COUNT, 0);
    char *a = malloc(10 * KiB), *b = malloc(20 * KiB), *c = malloc(30 * KiB);
    memset(c, 1, 30 * KiB);
    printf("   a = malloc(10 KiB) = %p\n   b = malloc(20 KiB) = %p\n   c = malloc(30 KiB) = %p\n",
           (void *)a, (void *)b, (void *)c);
    heap_dump("s8: a = 10 KiB, b = 20 KiB, c = 30 KiB in use");
    char *brk0 = brk_now();
    free(a);
    free(b);
    malloc_trim(0);
    char *brk1 = brk_now();
    printf("   free(a), free(b), malloc_trim(0): break %p -> %p\n", (void *)brk0, (void *)brk1);
    heap_table();
    heap_dump("s8: free(a), free(b): a 30 KiB hole below c; trim cannot return it");
    demo_check(brk1 >= c + 30 * KiB, "hole-below-top-not-returned",
               "break %p fell below c's end", (void *)brk1);

    char *d = malloc(25 * KiB);
    printf("   d = malloc(25 KiB) = %p %s\n", (void *)d, d == a ? "(= a: reuses the hole)" : "");
    demo_check(d == a, "under-30k-reuses-hole", "d %p, hole at %p", (void *)d, (void *)a);
    heap_dump("s8: d = malloc(25 KiB) reuses the hole");

    struct tide_stats st = stats_now();
    size_t want = 2 * st.bytes_top;   /* surely more than the top holds */
    if (want > 120 * KiB)
        want = 120 * KiB;
    char *brk2 = brk_now();
    char *e = malloc(want);
    char *brk3 = brk_now();
    printf("   the top holds %zu bytes; e = malloc(%zu) = %p, break %p -> %p\n", st.bytes_top, want,
           (void *)e, (void *)brk2, (void *)brk3);
    heap_table();
    heap_dump("s8: e does not fit what is left of the hole: the heap grows");
    demo_check(e > c, "larger-request-from-top", "e %p below c %p", (void *)e, (void *)c);
    demo_check(want + 16 <= st.bytes_top || brk3 > brk2, "heap-grows-despite-free-hole",
               "break did not move for %zu bytes with %zu in the top", want, st.bytes_top);
    free(c);
    free(d);
    free(e);
    return demo_end();
}
