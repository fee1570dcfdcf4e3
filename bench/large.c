/*
 * bench/large.c - large blocks from 64 KiB to 4 MiB, across the mmap
 * threshold: 16 live blocks, each step replaces a random one with a new
 * block of a log-spread size and writes one byte in each of its pages (the
 * page faults of fresh memory are what an allocator that caches large
 * blocks saves).
 *
 *   large [SCALE]   SCALE x 20,000 steps
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

#define SLOTS 16
#define PAGE 4096

struct slot {
    unsigned char *p;
    size_t size;
};

/* Checks the first and last byte written in s, frees it; returns its size. */
static uint64_t release(struct slot *s)
{
    if (!s->p)
        return 0;
    if (s->p[0] != (unsigned char)s->size || s->p[s->size - 1] != (unsigned char)s->size) {
        fprintf(stderr, "large: block of %zu bytes was corrupted\n", s->size);
        exit(1);
    }
    free(s->p);
    return s->size;
}

/* Allocates a block of size bytes and touches every page of it. */
static void fill(struct slot *s, size_t size)
{
    s->p = malloc(size);
    if (!s->p) {
        fprintf(stderr, "large: malloc(%zu) failed\n", size);
        exit(1);
    }
    s->size = size;
    for (size_t off = 0; off < size; off += PAGE)
        s->p[off] = (unsigned char)size;
    s->p[size - 1] = (unsigned char)size;
}

int main(int argc, char **argv)
{
    long steps = (long)(bench_arg(argc, argv, 1, 1.0) * 20000);
    uint64_t rng = 5, sum = 0;
    struct slot slots[SLOTS] = { { 0 } };
    bench_report_allocator();

    for (long s = 0; s < steps; s++) {
        struct slot *slot = &slots[bench_rand(&rng) % SLOTS];
        sum += release(slot);
        fill(slot, bench_log_size(&rng, 64 * 1024, 4 * 1024 * 1024));
    }
    for (int i = 0; i < SLOTS; i++)
        sum += release(&slots[i]);
    bench_checksum(sum);
    return 0;
}
