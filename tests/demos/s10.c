/*
 * tests/demos/s10.c - S10: the chunk size of a request is request + 8
 * (the size field; the next chunk's prev_size field is lent to the user)
 * rounded up to 16, at least 32. So 0..24 -> 32, 25..40 -> 48, 41..56 -> 64.
 * The table shows request -> chunk size (read from the header) ->
 * malloc_usable_size.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo.h"

static size_t chunk_size_of(const void *p)
{
    return ((const size_t *)p)[-1] & ~(size_t)15;
}

int main(int argc, char **argv)
{
    demo_begin("S10", "chunk size = request + 8 rounded up to 16, minimum 32", argc, argv);
    printf("   %-14s %10s %12s\n", "request", "chunk size", "usable size");
    int bad = 0;
    size_t first = 0, prev_chunk = 0, prev_usable = 0;
    for (size_t n = 0; n <= 1100; n++) {
        void *p = malloc(n);
        size_t cs = chunk_size_of(p), us = malloc_usable_size(p);
        size_t want = (n + 8 + 15) & ~(size_t)15;
        if (want < 32)
            want = 32;
        bad += cs != want || us != cs - 8;
        if (n > 0 && cs != prev_chunk) {
            if (first <= 120 || n > 1040)
                printf("   %5zu .. %-5zu %10zu %12zu\n", first, n - 1, prev_chunk, prev_usable);
            else if (first == 121)
                printf("   %14s\n", "...");
            first = n;
        }
        prev_chunk = cs;
        prev_usable = us;
        free(p);
    }
    printf("   %5zu .. %-5d %10zu %12zu\n", first, 1100, prev_chunk, prev_usable);
    demo_check(bad == 0, "chunk-size-rule-0-to-1100", "%d requests broke the rule", bad);
    static const size_t big[] = { 4000, 65536, 100000, 131048 };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        void *p = malloc(big[i]);
        printf("   %14zu %10zu %12zu\n", big[i], chunk_size_of(p), malloc_usable_size(p));
        bad += chunk_size_of(p) != ((big[i] + 8 + 15) & ~(size_t)15);
        free(p);
    }
    demo_check(bad == 0, "chunk-size-rule-large-heap-requests", "%d requests broke the rule", bad);
    return demo_end();
}
