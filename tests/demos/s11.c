/*
 * tests/demos/s11.c - S11: free chunks wait in bins. A freed chunk first
 * goes to the unsorted bin (a cache of recent frees); the next malloc that
 * misses sorts it into a small bin (one exact size each, 16 bytes apart)
 * or a large bin (a range of sizes, kept sorted). Free neighbours coalesce
 * into one chunk, and the top chunk is the last resort. A scripted
 * sequence of malloc/free, then the heap chunk by chunk.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo.h"

#define MAXC 64
static struct tide_chunk_info seen[MAXC];
static int nseen;

static void collect(const struct tide_chunk_info *c, void *arg)
{
    (void)arg;
    if (nseen < MAXC && c->arena == 0 && c->state != TIDE_CHUNK_MMAPPED)
        seen[nseen++] = *c;
}

static const struct tide_chunk_info *find(const void *mem)
{
    nseen = 0;
    tide_heap_walk(collect, NULL);
    for (int i = 0; i < nseen; i++)
        if (seen[i].mem == mem)
            return &seen[i];
    return NULL;
}

static int is_free_in(const void *mem, size_t size, int bin_lo, int bin_hi)
{
    const struct tide_chunk_info *c = find(mem);
    return c && c->state == TIDE_CHUNK_FREE && c->size == size && c->bin >= bin_lo &&
           c->bin <= bin_hi;
}

int main(int argc, char **argv)
{
    demo_begin("S11", "free chunks wait in bins; neighbours coalesce; the top is the last resort",
               argc, argv);
    char *x = malloc(40), *g1 = malloc(16);
    char *s = malloc(200), *g2 = malloc(16);
    char *l = malloc(3000), *g3 = malloc(16);
    char *n1 = malloc(500), *n2 = malloc(500), *g4 = malloc(16);
    printf("   x = malloc(40)  s = malloc(200)  l = malloc(3000)  n1 = n2 = malloc(500),\n"
           "   each followed by a small guard so that they do not touch:\n");
    heap_table();
    free(x);
    printf("   free(x): a small chunk goes to this thread's cache first:\n");
    const struct tide_chunk_info *cx = find(x);
    demo_check(cx && cx->state == TIDE_CHUNK_CACHED, "small-free-goes-to-thread-cache",
               "x is %s", cx ? tide_chunk_state_name(cx->state) : "not found");
    demo_differs("no fast bins: a per-thread cache (glibc's tcache) holds small freed chunks "
                 "without coalescing");
    mallopt(TIDE_M_TCACHE_COUNT, 0);
    free(s);
    free(l);
    free(n1);
    free(n2);
    printf("   thread cache off; free(s), free(l), free(n1), free(n2):\n");
    heap_table();
    heap_dump("s11: free(s), free(l), free(n1), free(n2): all in the unsorted bin, n1+n2 coalesced");
    demo_check(is_free_in(s, 208, 0, 0) && is_free_in(l, 3008, 0, 0), "frees-land-in-unsorted-bin",
               "s or l is not free in bin 0");
    demo_check(is_free_in(n1, 1024, 0, 0) && find(n2) == NULL, "free-neighbours-coalesce",
               "n1 and n2 did not become one 1024-byte chunk");
    char *big = malloc(4000);
    printf("   malloc(4000): nothing fits, so the unsorted chunks are sorted into their bins\n"
           "   and the request is cut from the top:\n");
    heap_table();
    heap_dump("s11: malloc(4000) sorted them into small and large bins, cut from the top");
    demo_check(is_free_in(s, 208, 208 / 16, 208 / 16), "208-byte-chunk-in-small-bin-13",
               "s is not free in bin 13");
    demo_check(is_free_in(l, 3008, 64, 126), "3008-byte-chunk-in-a-large-bin",
               "l is not in a large bin");
    nseen = 0;
    tide_heap_walk(collect, NULL);
    demo_check(nseen > 0 && seen[nseen - 1].state == TIDE_CHUNK_TOP && find(big) &&
                   (const char *)find(big)->chunk > l,
               "top-is-last-and-serves-misses", "the last chunk is not the top or big not after l");
    char *again = malloc(200);
    printf("   malloc(200) = %s\n", again == s ? "s again: an exact fit from small bin 13" : "elsewhere");
    demo_check(again == s, "exact-fit-from-small-bin", "got %p, s was %p", (void *)again, (void *)s);
    free(again);
    free(big);
    free(g1);
    free(g2);
    free(g3);
    free(g4);
    return demo_end();
}
