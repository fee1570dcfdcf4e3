/*
 * tests/demos/s2.c - S2: requests below the mmap threshold (128 KiB by
 * default) come from the brk heap; larger ones get a mapping of their own.
 * The threshold compares chunk sizes (request + 8, rounded to 16), so
 * malloc(128 KiB - 24) is the largest heap request and malloc(128 KiB - 8)
 * the smallest mapped one. mallopt(M_MMAP_THRESHOLD) moves the line.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

static int in_heap(const void *p)
{
    struct map m;
    return maps_find(p, &m) && strcmp(m.name, "[heap]") == 0;
}

static int in_anon(const void *p, struct map *m)
{
    return maps_find(p, m) && m->name[0] == '\0';
}

int main(int argc, char **argv)
{
    demo_begin("S2", "small requests come from the brk heap, large ones from mmap", argc, argv);
    size_t below = 128 * KiB - 24, at = 128 * KiB - 8;
    char *a = malloc(below);
    char *b = malloc(at);
    printf("   malloc(%zu) = %p   malloc(%zu) = %p\n", below, (void *)a, at, (void *)b);
    const void *addrs[] = { a, b, NULL };
    maps_show(addrs);
    struct map mb;
    demo_check(in_heap(a), "128k-minus-24-in-heap", "%p is not in [heap]", (void *)a);
    int own = in_anon(b, &mb);
    demo_check(own && mb.end - mb.start >= 128 * KiB && !in_heap(b),
               "128k-minus-8-in-own-mapping", "%p: not an anonymous mapping", (void *)b);
    size_t bsize = ((size_t *)b)[-1] & ~(size_t)15;
    size_t want = (((at + 8 + 15) & ~(size_t)15) + 8 + PAGE - 1) & ~(PAGE - 1);
    printf("   b's block is a mapping of %zu bytes (%zu KiB): its chunk, page rounded\n"
           "   (Linux shows neighbouring anonymous mappings merged into one line)\n",
           bsize, bsize / KiB);
    demo_check(bsize == want && (uintptr_t)b - 16 >= mb.start &&
                   (uintptr_t)b - 16 + bsize <= mb.end,
               "mapped-block-is-chunk-page-rounded", "size %zu, want %zu", bsize, want);

    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    char *c = malloc(512 * KiB);
    printf("   after mallopt(M_MMAP_THRESHOLD, 1 MiB): malloc(512 KiB) = %p\n", (void *)c);
    const void *addrs2[] = { c, NULL };
    maps_show(addrs2);
    demo_check(in_heap(c), "mallopt-moves-threshold", "512 KiB not in [heap] at threshold 1 MiB");
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    char *d = malloc(100 * KiB);
    printf("   after mallopt(M_MMAP_THRESHOLD, 64 KiB):  malloc(100 KiB) = %p\n", (void *)d);
    struct map md;
    demo_check(in_anon(d, &md) && !in_heap(d), "lower-threshold-maps-100k",
               "100 KiB should be mapped at threshold 64 KiB");
    free(a);
    free(b);
    free(c);
    free(d);
    return demo_end();
}
