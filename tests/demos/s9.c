/*
 * tests/demos/s9.c - S9: when the free space at the top of the heap
 * exceeds the trim threshold (128 KiB), free() shrinks the heap: brk moves
 * down, keeping the top pad (128 KiB) for the next requests. malloc_trim(0) gives back what it can: the
 * whole free top, and the free pages inside holes (madvise).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

int main(int argc, char **argv)
{
    demo_begin("S9", "a large free top shrinks the heap; malloc_trim returns what it can", argc, argv);
    mallopt(TIDE_M_TCACHE_COUNT, 0);
    char *a = malloc(20 * KiB);
    char *b = malloc(100 * KiB);
    char *c = malloc(100 * KiB);
    memset(b, 1, 100 * KiB);
    memset(c, 1, 100 * KiB);
    char *brk0 = brk_now();
    struct tide_stats st = stats_now();
    printf("   a = malloc(20 KiB), b = c = malloc(100 KiB), c at the top: break %p (heap %zu KiB)\n",
           (void *)brk0, (size_t)(brk0 - (char *)st.heap_start) / KiB);
    heap_dump("s9: a = 20 KiB, b = c = 100 KiB in use");
    free(c);
    free(b);
    char *brk1 = brk_now();
    st = stats_now();
    printf("   free(c), free(b): the free top passes the trim threshold (%zu KiB): break -> %p\n"
           "   (-%ld KiB), keeping the top pad (%zu KiB)\n", st.trim_threshold / KiB, (void *)brk1,
           (long)(brk0 - brk1) / 1024, st.top_pad / KiB);
    heap_table();
    heap_dump("s9: free(c), free(b): the free top passed 128 KiB, the heap shrank");
    demo_check(brk1 < brk0, "free-at-top-shrinks-heap", "break stayed at %p", (void *)brk0);
    demo_check(st.bytes_top <= st.top_pad + PAGE + 16 * KiB, "trim-keeps-about-top-pad",
               "top is %zu bytes after trim", st.bytes_top);

    /* a hole: e and d, free e; the top after d is small */
    char *e = malloc(64 * KiB);
    char *d = malloc(1 * KiB);
    memset(e, 1, 64 * KiB);
    free(e);
    long r0 = resident_kib();
    struct tide_stats s0 = stats_now();
    char *brk2 = brk_now();
    int released = malloc_trim(0);
    char *brk3 = brk_now();
    struct tide_stats s1 = stats_now();
    long r1 = resident_kib();
    printf("   a 64 KiB hole below d; malloc_trim(0) = %d: break %p -> %p, %zu bytes purged in\n"
           "   the hole, resident %ld -> %ld KiB\n", released, (void *)brk2, (void *)brk3,
           s1.purge_bytes - s0.purge_bytes, r0, r1);
    heap_table();
    heap_dump("s9: malloc_trim(0): the top released, the hole purged");
    demo_check(released == 1, "malloc-trim-reports-release", "returned %d", released);
    demo_check(brk3 < brk2, "malloc-trim-0-releases-top", "break stayed at %p", (void *)brk2);
    demo_check(s1.purge_bytes - s0.purge_bytes >= 60 * KiB, "malloc-trim-purges-hole-pages",
               "%zu bytes purged", s1.purge_bytes - s0.purge_bytes);
    demo_check(r0 - r1 >= 60, "resident-drops-after-trim", "resident %ld -> %ld KiB", r0, r1);
    free(a);
    free(d);
    return demo_end();
}
