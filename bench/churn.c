/*
 * bench/churn.c - small-object churn with mixed sizes: a working set of
 * 20,000 live blocks where each step frees a random block and allocates a
 * new one (sizes from bench_mixed_size), and every 256 steps a short-lived
 * 64-node list is built and torn down (LIFO), as parsers and tree code do.
 *
 *   churn [SCALE]    SCALE x 2,000,000 steps
 *
 * Every block carries its slot's tag in its first and last byte; the tags
 * are verified on free, so a broken allocator fails instead of winning.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 20000
#define LIST 64

struct slot {
    unsigned char *p;
    size_t size;
};

static struct slot slots[SLOTS];

/* Allocates size bytes tagged with tag at both ends; exits if malloc fails. */
static unsigned char *tagged(size_t size, unsigned char tag)
{
    unsigned char *p = malloc(size);
    if (!p) {
        fprintf(stderr, "churn: malloc(%zu) failed\n", size);
        exit(1);
    }
    p[0] = tag;
    p[size - 1] = tag;
    return p;
}

/* Checks the tags of s and frees it; returns its contribution to the sum. */
static uint64_t release(struct slot *s, unsigned char tag)
{
    if (s->p[0] != tag || s->p[s->size - 1] != tag) {
        fprintf(stderr, "churn: block %p of %zu bytes was corrupted\n", (void *)s->p, s->size);
        exit(1);
    }
    free(s->p);
    return s->size;
}

/* Builds a singly linked list of LIST nodes and frees it newest first. */
static uint64_t short_lived_list(uint64_t *rng)
{
    void *head = NULL;
    uint64_t sum = 0;
    for (int i = 0; i < LIST; i++) {
        size_t size = bench_range(rng, 16, 48);
        void **node = (void **)tagged(size, 0);
        *node = head;
        head = node;
        sum += size;
    }
    while (head) {
        void *next = *(void **)head;
        free(head);
        head = next;
    }
    return sum;
}

int main(int argc, char **argv)
{
    long steps = (long)(bench_arg(argc, argv, 1, 1.0) * 2e6);
    uint64_t rng = 42, sum = 0;
    bench_report_allocator();

    for (size_t i = 0; i < SLOTS; i++) {
        slots[i].size = bench_mixed_size(&rng);
        slots[i].p = tagged(slots[i].size, (unsigned char)i);
    }
    for (long s = 0; s < steps; s++) {
        size_t i = (size_t)(bench_rand(&rng) % SLOTS);
        sum += release(&slots[i], (unsigned char)i);
        slots[i].size = bench_mixed_size(&rng);
        slots[i].p = tagged(slots[i].size, (unsigned char)i);
        if ((s & 255) == 0)
            sum += short_lived_list(&rng);
    }
    for (size_t i = 0; i < SLOTS; i++)
        sum += release(&slots[i], (unsigned char)i);
    bench_checksum(sum);
    return 0;
}
