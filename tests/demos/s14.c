/*
 * tests/demos/s14.c - S14: calloc returns zeroed memory but skips the
 * clearing when the memory is fresh from the kernel (already zero);
 * realloc resizes in place when the next chunk is free or is the top;
 * memalign/posix_memalign/aligned_alloc give aligned blocks; alloca takes
 * memory from the stack, not the heap.
 */
#include <alloca.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

static int all_zero(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void test_calloc(void)
{
    long r0 = resident_kib();
    char *fresh = calloc(16, MiB);
    long r1 = resident_kib();
    printf("   calloc(16, 1 MiB) = %p: resident +%ld KiB (fresh mapping: no clearing needed)\n",
           (void *)fresh, r1 - r0);
    demo_check(fresh && r1 - r0 < 1024, "calloc-fresh-memory-not-touched", "resident +%ld KiB",
               r1 - r0);
    demo_check(fresh && all_zero(fresh, 16 * MiB), "calloc-fresh-memory-zero", "not zero");
    free(fresh);
    char *dirty = malloc(4000);
    memset(dirty, 0xff, 4000);
    free(dirty);
    char *reused = calloc(1, 4000);
    printf("   malloc(4000), fill with 0xff, free, calloc(1, 4000) = %p (%s): cleared\n",
           (void *)reused, reused == dirty ? "the same chunk" : "another chunk");
    demo_check(reused && all_zero(reused, 4000), "calloc-reused-memory-cleared", "not zero");
    free(reused);
}

static void test_realloc(void)
{
    mallopt(TIDE_M_TCACHE_COUNT, 0);
    char *a = malloc(2000), *b = malloc(2000), *g = malloc(16);
    memset(a, 'a', 2000);
    free(b);
    char *a2 = realloc(a, 3500);
    printf("   a = malloc(2000), its neighbour freed; realloc(a, 3500) = %p (%s)\n", (void *)a2,
           a2 == a ? "in place: grew into the free neighbour" : "moved");
    demo_check(a2 == a && a2[1999] == 'a', "realloc-grows-into-free-neighbour", "moved or lost data");
    char *t = malloc(1000);
    char *t2 = realloc(t, 60000);
    printf("   t = malloc(1000) next to the top; realloc(t, 60000) = %p (%s)\n", (void *)t2,
           t2 == t ? "in place: grew into the top" : "moved");
    demo_check(t2 == t, "realloc-grows-into-top", "moved from %p to %p", (void *)t, (void *)t2);
    char *t3 = realloc(t2, 100);
    demo_check(t3 == t2 && malloc_usable_size(t3) >= 100, "realloc-shrinks-in-place", "moved");
    free(t3);
    free(a2);
    free(g);
}

static void test_aligned(void)
{
    void *m = memalign(4096, 100), *p = NULL;
    int r = posix_memalign(&p, 256, 1000);
    void *q = aligned_alloc(64, 640);
    printf("   memalign(4096) = %p, posix_memalign(256) = %p, aligned_alloc(64) = %p\n", m, p, q);
    demo_check(((uintptr_t)m & 4095) == 0 && r == 0 && ((uintptr_t)p & 255) == 0 &&
                   ((uintptr_t)q & 63) == 0,
               "aligned-variants-aligned", "misaligned");
    free(m);
    free(p);
    free(q);
    char *s = alloca(1000);
    struct map mp;
    int on_stack = maps_find(s, &mp) && strcmp(mp.name, "[stack]") == 0;
    printf("   alloca(1000) = %p, in %s\n", (void *)s, on_stack ? "[stack]" : mp.name);
    demo_check(on_stack, "alloca-on-stack", "%p is not in [stack]", (void *)s);
}

int main(int argc, char **argv)
{
    demo_begin("S14", "calloc zeroes (for free when fresh), realloc grows in place, aligned variants",
               argc, argv);
    test_calloc();
    test_realloc();
    test_aligned();
    return demo_end();
}
