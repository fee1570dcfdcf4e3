/*
 * bench/lab/patterns.c - experiments, not timed workloads: patterns of use
 * that the suite does not cover, each small and deterministic, for
 * comparing allocators by hand (docs/BENCH.md quotes what they showed).
 *
 *   patterns NAME      run one pattern; exits 1 if a block was corrupted
 *
 *   short-threads    20,000 threads, 4 at a time, each allocating 100
 *                    blocks of 16..1006 bytes, then freeing them, then
 *                    exiting
 *   memalign-small   posix_memalign of 8..207 bytes aligned to 32, 64 or
 *                    128, 1,024 live, 2 M replacements
 *   memalign         posix_memalign of 16..5015 bytes aligned to 64..4096,
 *                    4,096 live, 400,000 replacements
 *   calloc-small     calloc of 8..607 bytes, 4,096 live, 3 M replacements
 *   calloc-big       calloc of 1 KiB..1 MiB, 64 live, 20,000 replacements;
 *                    only the last byte of each is read
 *   pc-large         a producer thread allocates 20,000 blocks of 32..232
 *                    KiB (first 4 KiB written), a consumer frees them
 *   realloc-random   2,048 buffers, each step reallocs a random one to a
 *                    random size of 1..4000 bytes (grows and shrinks)
 *
 *   LD_PRELOAD=build/libtide.so build/bench/patterns short-threads
 */
#include "bench.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void corrupted(const char *what)
{
    fprintf(stderr, "patterns: %s\n", what);
    exit(1);
}

static void *need(void *p)
{
    if (!p) corrupted("out of memory");
    return p;
}

/* ---- short-threads ---- */

static void *hundred_blocks(void *arg)
{
    unsigned char *p[100];
    for (int i = 0; i < 100; i++) {
        p[i] = need(malloc(16 + (size_t)i * 10));
        memset(p[i], i, 16);
    }
    for (int i = 0; i < 100; i++) {
        if (p[i][15] != i) corrupted("a thread's block changed");
        free(p[i]);
    }
    return arg;
}

static void short_threads(void)
{
    for (int r = 0; r < 5000; r++) {
        pthread_t t[4];
        for (int i = 0; i < 4; i++)
            if (pthread_create(&t[i], NULL, hundred_blocks, NULL) != 0) corrupted("pthread_create failed");
        for (int i = 0; i < 4; i++)
            pthread_join(t[i], NULL);
    }
}

/* ---- memalign-small, memalign ---- */

static void aligned_churn(size_t live, long steps, int shifts, size_t min_align, size_t max_extra)
{
    void **p = need(calloc(live, sizeof *p));
    size_t *align = need(calloc(live, sizeof *align));
    uint64_t rng = 1;
    for (long s = 0; s < steps; s++) {
        size_t i = (size_t)(bench_rand(&rng) % live);
        if (p[i] && ((uintptr_t)p[i] % align[i] || *(unsigned char *)p[i] != (unsigned char)i))
            corrupted("an aligned block moved or changed");
        free(p[i]);
        align[i] = min_align << (bench_rand(&rng) % (uint64_t)shifts);
        size_t n = 8 + (size_t)(bench_rand(&rng) % max_extra);
        if (posix_memalign(&p[i], align[i], n) != 0) corrupted("posix_memalign failed");
        memset(p[i], (int)(i & 255), 8);
    }
    for (size_t i = 0; i < live; i++)
        free(p[i]);
    free(p);
    free(align);
}

/* ---- calloc-small, calloc-big ---- */

static void calloc_churn(size_t live, long steps, size_t min, size_t span)
{
    unsigned char **p = need(calloc(live, sizeof *p));
    uint64_t rng = 1;
    for (long s = 0; s < steps; s++) {
        size_t i = (size_t)(bench_rand(&rng) % live), n = min + (size_t)(bench_rand(&rng) % span);
        free(p[i]);
        p[i] = need(calloc(1, n));
        if (p[i][n - 1] != 0) corrupted("calloc gave a byte that was not zero");
        p[i][0] = 1; /* dirty it for the next owner of the memory */
    }
    for (size_t i = 0; i < live; i++)
        free(p[i]);
    free(p);
}

/* ---- pc-large ---- */

#define RING 64
#define BIG_BLOCKS 20000
static _Atomic(unsigned char *) ring[RING];

static void *consume(void *arg)
{
    for (long got = 0; got < BIG_BLOCKS;)
        for (int i = 0; i < RING; i++) {
            unsigned char *p = atomic_exchange(&ring[i], NULL);
            if (p) {
                if (p[4095] != 7) corrupted("a big block changed on its way");
                free(p);
                got++;
            }
        }
    return arg;
}

static void pc_large(void)
{
    pthread_t t;
    uint64_t rng = 1;
    if (pthread_create(&t, NULL, consume, NULL) != 0) corrupted("pthread_create failed");
    for (long k = 0; k < BIG_BLOCKS; k++) {
        size_t n = 32768 + (size_t)(bench_rand(&rng) % 200000);
        unsigned char *p = need(malloc(n));
        memset(p, 7, 4096);
        for (int i = (int)(k % RING);; i = (i + 1) % RING) {
            unsigned char *empty = NULL;
            if (atomic_compare_exchange_strong(&ring[i], &empty, p)) break;
        }
    }
    pthread_join(t, NULL);
}

/* ---- realloc-random ---- */

static void realloc_random(void)
{
    enum { BUFS = 2048 };
    static unsigned char *p[BUFS];
    uint64_t rng = 1;
    for (long s = 0; s < 2000000; s++) {
        size_t i = (size_t)(bench_rand(&rng) % BUFS), n = 1 + (size_t)(bench_rand(&rng) % 4000);
        if (p[i] && p[i][0] != (unsigned char)i) corrupted("realloc lost a buffer's first byte");
        p[i] = need(realloc(p[i], n));
        p[i][0] = (unsigned char)i;
    }
    for (size_t i = 0; i < BUFS; i++)
        free(p[i]);
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "";
    bench_report_allocator();
    if (!strcmp(name, "short-threads")) short_threads();
    else if (!strcmp(name, "memalign-small")) aligned_churn(1024, 2000000, 3, 32, 200);
    else if (!strcmp(name, "memalign")) aligned_churn(4096, 400000, 7, 64, 5008);
    else if (!strcmp(name, "calloc-small")) calloc_churn(4096, 3000000, 8, 600);
    else if (!strcmp(name, "calloc-big")) calloc_churn(64, 20000, 1024, 1 << 20);
    else if (!strcmp(name, "pc-large")) pc_large();
    else if (!strcmp(name, "realloc-random")) realloc_random();
    else {
        fprintf(stderr, "usage: %s short-threads|memalign-small|memalign|calloc-small|calloc-big|pc-large|realloc-random\n",
                argv[0]);
        return 2;
    }
    return 0;
}
