/*
 * bench/prodcons.c - producer/consumer, every free remote: one thread
 * allocates blocks (mixed small sizes) and passes them through a bounded
 * single-producer single-consumer ring to a second thread, which checks
 * and frees them. The allocator must move freed memory back to the thread
 * that allocates, without a lock per block.
 *
 *   prodcons [SCALE]   SCALE x 2,000,000 blocks
 *
 * Waiting sides spin briefly, then yield: the machine may have other work.
 */
#include "bench.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define RING 1024 /* a power of two */

/* head: next slot the producer fills; tail: next slot the consumer empties.
 * Each index is written by one thread only; the ring holds head - tail
 * blocks, 0 <= head - tail <= RING. */
static void *ring[RING];
static _Atomic unsigned long head, tail;
static long blocks;

/* Spins a little, then gives the core away. */
static void wait_a_bit(unsigned *spins)
{
    if (++*spins < 64)
        __builtin_ia32_pause();
    else
        sched_yield();
}

static void *produce(void *arg)
{
    (void)arg;
    uint64_t rng = 7;
    unsigned long h = 0;
    for (long n = 0; n < blocks; n++, h++) {
        size_t size = bench_mixed_size(&rng);
        uint64_t *p = malloc(size < 8 ? 8 : size);
        if (!p) {
            fprintf(stderr, "prodcons: malloc(%zu) failed\n", size);
            exit(1);
        }
        p[0] = (uint64_t)n;
        unsigned spins = 0;
        while (h - atomic_load_explicit(&tail, memory_order_acquire) == RING)
            wait_a_bit(&spins);
        ring[h % RING] = p;
        atomic_store_explicit(&head, h + 1, memory_order_release);
    }
    return NULL;
}

/* Frees every block, checking they arrive in order; returns their sum. */
static uint64_t consume(void)
{
    uint64_t sum = 0;
    for (unsigned long t = 0; t < (unsigned long)blocks; t++) {
        unsigned spins = 0;
        while (atomic_load_explicit(&head, memory_order_acquire) == t)
            wait_a_bit(&spins);
        uint64_t *p = ring[t % RING];
        if (p[0] != t) {
            fprintf(stderr, "prodcons: block %lu was corrupted\n", t);
            exit(1);
        }
        sum += p[0];
        free(p);
        atomic_store_explicit(&tail, t + 1, memory_order_release);
    }
    return sum;
}

int main(int argc, char **argv)
{
    blocks = (long)(bench_arg(argc, argv, 1, 1.0) * 2e6);
    bench_report_allocator();

    pthread_t producer;
    if (pthread_create(&producer, NULL, produce, NULL) != 0) {
        fprintf(stderr, "prodcons: pthread_create failed\n");
        return 1;
    }
    uint64_t sum = consume();
    pthread_join(producer, NULL);
    bench_checksum(sum);
    return 0;
}
