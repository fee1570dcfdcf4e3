/*
 * bench/larson.c - larson-like shared pool, 2 threads: one array of 8,192
 * slots shared by both threads; each step allocates a block (16..1024
 * bytes, log-spread), swaps it into a random slot with an atomic exchange
 * and frees the block that was there, whichever thread allocated it. About
 * half of all frees are therefore remote (cross-thread).
 *
 *   larson [SCALE]   SCALE x 1,000,000 steps per thread
 *
 * Each block holds a value; the sum of values freed plus those left in the
 * pool must equal the sum written, whatever the interleaving: that is the
 * checksum, and a mismatch (a block reused while live) fails the run.
 */
#include "bench.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 2
#define SLOTS 8192

static _Atomic(uint64_t *) pool[SLOTS];
static long steps;

struct worker {
    pthread_t thread;
    uint64_t seed;
    uint64_t written, freed;
};

/* Frees a pool block after adding its value to *freed. */
static void drop(uint64_t *block, uint64_t *freed)
{
    if (block) {
        *freed += block[0];
        free(block);
    }
}

/* The sums are kept in locals and stored once at the end: the two
 * workers' structs share a cache line, and updating them at every step
 * made both cores fight over that line, which is not what this measures. */
static void *work(void *arg)
{
    struct worker *w = arg;
    uint64_t rng = w->seed, written = 0, freed = 0;
    for (long s = 0; s < steps; s++) {
        size_t size = bench_log_size(&rng, 16, 1024);
        uint64_t *block = malloc(size);
        if (!block) {
            fprintf(stderr, "larson: malloc(%zu) failed\n", size);
            exit(1);
        }
        block[0] = bench_rand(&rng) >> 16; /* small enough never to overflow the sums */
        written += block[0];
        size_t i = (size_t)(bench_rand(&rng) % SLOTS);
        drop(atomic_exchange_explicit(&pool[i], block, memory_order_acq_rel), &freed);
    }
    w->written = written;
    w->freed = freed;
    return NULL;
}

int main(int argc, char **argv)
{
    steps = (long)(bench_arg(argc, argv, 1, 1.0) * 1e6);
    bench_report_allocator();

    struct worker w[THREADS] = { { .seed = 1 }, { .seed = 2 } };
    for (int t = 0; t < THREADS; t++)
        if (pthread_create(&w[t].thread, NULL, work, &w[t]) != 0) {
            fprintf(stderr, "larson: pthread_create failed\n");
            return 1;
        }
    uint64_t written = 0, freed = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(w[t].thread, NULL);
        written += w[t].written;
        freed += w[t].freed;
    }
    for (size_t i = 0; i < SLOTS; i++)
        drop(atomic_load(&pool[i]), &freed);
    if (freed != written) {
        fprintf(stderr, "larson: blocks were corrupted (wrote %llu, freed %llu)\n",
                (unsigned long long)written, (unsigned long long)freed);
        return 1;
    }
    bench_checksum(written);
    return 0;
}
