/*
 * bench/pairs.c - malloc/free pair latency: batches of 128 blocks of one
 * small size, all allocated, then all freed in the same order. Batches of
 * 128 overflow a short per-size cache, so this is the fast path and its
 * refill/flush, not one block bouncing in and out of a one-slot cache.
 *
 *   pairs [SCALE [SIZE]]   SCALE x 1,000,000 pairs (default 1), SIZE bytes (32)
 *
 * Also the subject of the callgrind mode of bench/run, which runs N and 2N
 * pairs and divides the difference in instructions by N.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

#define BATCH 128

/* Kept out of line so that callgrind shows it as one function. */
__attribute__((noinline)) static uintptr_t run_batches(long batches, size_t size)
{
    void *p[BATCH];
    uintptr_t sum = 0;
    for (long b = 0; b < batches; b++) {
        for (int i = 0; i < BATCH; i++)
            p[i] = malloc(size);
        for (int i = 0; i < BATCH; i++) {
            sum += (uintptr_t)p[i] & 15; /* 16-byte aligned: adds 0 */
            free(p[i]);
        }
    }
    return sum;
}

int main(int argc, char **argv)
{
    double scale = bench_arg(argc, argv, 1, 1.0);
    size_t size = (size_t)bench_arg(argc, argv, 2, 32);
    long batches = (long)(scale * 1e6 / BATCH + 0.5);
    bench_report_allocator();

    double t0 = bench_now();
    uintptr_t misaligned = run_batches(batches, size);
    double t = bench_now() - t0;
    if (misaligned) {
        fprintf(stderr, "pairs: malloc returned blocks not 16-byte aligned\n");
        return 1;
    }
    bench_checksum((uint64_t)batches * BATCH * size);
    bench_metric("ns_per_pair", t * 1e9 / ((double)batches * BATCH));
    return 0;
}
