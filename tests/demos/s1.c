/*
 * tests/demos/s1.c - S1: malloc is a library function; underneath, it gets
 * memory from the kernel with two system calls only: brk (move the heap
 * top) and mmap (a private anonymous mapping). We run a small workload and
 * print every call the allocator made into the platform layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

static void show_calls(const char *when, const struct tide_stats *st)
{
    printf("   %-34s brk calls %3zu (+%7zu B)   mmap calls %3zu   munmap calls %3zu\n", when,
           st->brk_calls, st->brk_grow_bytes, st->mmap_calls, st->munmap_calls);
}

int main(int argc, char **argv)
{
    demo_begin("S1", "malloc is a library function over two system calls, brk and mmap", argc, argv);
    struct tide_stats s0 = stats_now();
    show_calls("before any malloc:", &s0);

    static void *small[1000];
    for (int i = 0; i < 1000; i++)
        small[i] = malloc(16 + (size_t)(i % 50) * 8);
    struct tide_stats s1 = stats_now();
    show_calls("after 1000 small mallocs:", &s1);

    void *big = malloc(1 * MiB);
    memset(big, 1, 4096);
    struct tide_stats s2 = stats_now();
    show_calls("after malloc(1 MiB):", &s2);
    void *big2 = malloc(1 * MiB);
    struct tide_stats s2b = stats_now();
    show_calls("after another malloc(1 MiB):", &s2b);

    free(big2);
    free(big);
    for (int i = 0; i < 1000; i++)
        free(small[i]);
    struct tide_stats s3 = stats_now();
    show_calls("after freeing everything:", &s3);
    printf("   1000 + 2 mallocs and as many frees cost %zu system calls in all: the rest\n"
           "   was served from memory the allocator already had.\n",
           s3.brk_calls + s3.mmap_calls + s3.munmap_calls - s0.brk_calls - s0.mmap_calls -
               s0.munmap_calls);

    demo_check(s1.brk_calls > s0.brk_calls && s1.mmap_calls == s0.mmap_calls,
               "small-requests-use-brk", "brk %zu->%zu, mmap %zu->%zu", s0.brk_calls,
               s1.brk_calls, s0.mmap_calls, s1.mmap_calls);
    demo_check(s1.brk_calls - s0.brk_calls <= 10, "1000-mallocs-need-few-brk-calls",
               "%zu brk calls", s1.brk_calls - s0.brk_calls);
    demo_check(s2b.mmap_calls == s2.mmap_calls + 1 && s2b.brk_calls == s1.brk_calls &&
                   s2.mmap_calls > s1.mmap_calls,
               "large-request-is-one-mmap", "mmap %zu->%zu brk %zu->%zu", s2.mmap_calls,
               s2b.mmap_calls, s1.brk_calls, s2b.brk_calls);
    demo_check(s3.munmap_calls == s2b.munmap_calls + 2, "free-of-large-block-is-one-munmap",
               "munmap %zu->%zu for two blocks", s2b.munmap_calls, s3.munmap_calls);
    return demo_end();
}
