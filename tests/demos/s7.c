/*
 * tests/demos/s7.c - S7: why not mmap everything? Each mapping costs a
 * system call to make, another to remove, and a page fault per page on
 * first touch, every time. The same workload runs with the mmap threshold
 * at 0 (every request mapped) and at 128 KiB (small requests from the brk
 * heap, reused after free): system calls, page faults and time side by side.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo.h"

#define ROUNDS 20
#define LIVE 200

struct result {
    size_t calls;
    long faults;
    uint64_t ns;
};

/* ROUNDS times: LIVE blocks of 64..2 KiB, each written, then all freed. */
static struct result workload(void)
{
    static char *blocks[LIVE];
    struct tide_stats s0 = stats_now();
    long f0 = minor_faults();
    uint64_t t0 = now_ns();
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < LIVE; i++) {
            blocks[i] = malloc(64 + (size_t)(i * 37 % 2000));
            blocks[i][0] = (char)i;
        }
        for (int i = 0; i < LIVE; i++)
            free(blocks[i]);
    }
    struct result res;
    res.ns = now_ns() - t0;
    res.faults = minor_faults() - f0;
    struct tide_stats s1 = stats_now();
    res.calls = (s1.brk_calls - s0.brk_calls) + (s1.mmap_calls - s0.mmap_calls) +
                (s1.munmap_calls - s0.munmap_calls);
    return res;
}

int main(int argc, char **argv)
{
    demo_begin("S7", "why not mmap everything", argc, argv);
    mallopt(M_MMAP_THRESHOLD, 0);
    mallopt(TIDE_M_TCACHE_COUNT, 0);   /* every free really goes back */
    struct result all_mmap = workload();
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    struct result pool = workload();
    printf("   %d rounds of %d mallocs (64 B .. 2 KiB, each written) and %d frees:\n", ROUNDS, LIVE,
           LIVE);
    printf("   %-28s %12s %12s %12s\n", "", "system calls", "page faults", "time (us)");
    printf("   %-28s %12zu %12ld %12lu\n", "threshold 0 (all mmap)", all_mmap.calls, all_mmap.faults,
           (unsigned long)(all_mmap.ns / 1000));
    printf("   %-28s %12zu %12ld %12lu\n", "threshold 128 KiB (brk pool)", pool.calls, pool.faults,
           (unsigned long)(pool.ns / 1000));
    demo_check(all_mmap.calls >= 2 * ROUNDS * LIVE, "all-mmap-two-calls-per-block",
               "%zu calls for %d blocks", all_mmap.calls, ROUNDS * LIVE);
    demo_check(all_mmap.faults >= ROUNDS * LIVE, "all-mmap-fault-per-block",
               "%ld faults for %d blocks", all_mmap.faults, ROUNDS * LIVE);
    printf("   (the pool's calls are the heap growing each round and shrinking again when\n"
           "   everything is freed: the free top passes the 128 KiB trim threshold)\n");
    demo_check(pool.calls * 20 < all_mmap.calls, "pool-needs-20x-fewer-calls",
               "%zu vs %zu", pool.calls, all_mmap.calls);
    demo_check(pool.faults * 10 < all_mmap.faults, "pool-needs-10x-fewer-faults", "%ld vs %ld",
               pool.faults, all_mmap.faults);
    return demo_end();
}
