/*
 * bench/lab/uniform.c - an experiment, not one of the timed workloads:
 * private churn of blocks of 16..1040 bytes, every size equally likely.
 * Each of THREADS threads keeps 1,000 live blocks (about 0.5 MB, which
 * fits the caches) and replaces a random one at each step, so the time is
 * the allocator's own work, not the program's cache misses. Every size
 * class from 16 bytes to 1 KiB is in use at once: what a thread cache
 * does when each of its classes sees frees and requests at random (see
 * TC_SWINGS in allocator/tcache.c).
 *
 *   uniform [SCALE [THREADS]]   SCALE x 4,000,000 steps in all (default 1, 1 thread)
 *
 *   LD_PRELOAD=build/libtide.so build/bench/uniform
 *
 * Each block carries a tag in its first and last byte, checked when it is
 * freed; a mismatch exits with status 1.
 */
#include "bench.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define LIVE 1000

static long steps_per_thread;

static void *churn(void *arg)
{
    uint64_t rng = 0x9e3779b97f4a7c15ull * (uint64_t)(uintptr_t)arg + 1;
    unsigned char *block[LIVE] = { 0 };
    size_t size[LIVE] = { 0 };
    for (long s = 0; s < steps_per_thread; s++) {
        size_t i = (size_t)(bench_rand(&rng) % LIVE);
        unsigned char tag = (unsigned char)i;
        if (block[i]) {
            if (block[i][0] != tag || block[i][size[i] - 1] != tag) {
                fprintf(stderr, "uniform: block %p of %zu bytes was corrupted\n", (void *)block[i], size[i]);
                exit(1);
            }
            free(block[i]);
        }
        size[i] = bench_range(&rng, 16, 1040);
        block[i] = malloc(size[i]);
        if (!block[i]) {
            fprintf(stderr, "uniform: malloc(%zu) failed\n", size[i]);
            exit(1);
        }
        block[i][0] = block[i][size[i] - 1] = tag;
    }
    for (size_t i = 0; i < LIVE; i++)
        free(block[i]);
    return NULL;
}

int main(int argc, char **argv)
{
    double scale = bench_arg(argc, argv, 1, 1.0);
    int threads = (int)bench_arg(argc, argv, 2, 1.0);
    pthread_t tid[64];
    if (threads > 64) threads = 64;
    steps_per_thread = (long)(scale * 4e6) / threads;
    bench_report_allocator();
    for (int t = 0; t < threads; t++)
        if (pthread_create(&tid[t], NULL, churn, (void *)(uintptr_t)(t + 1)) != 0) {
            fprintf(stderr, "uniform: pthread_create failed\n");
            return 1;
        }
    for (int t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    bench_checksum((uint64_t)steps_per_thread * (uint64_t)threads);
    return 0;
}
