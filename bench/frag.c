/*
 * bench/frag.c - fragmentation: how much memory the allocator holds
 * against what the program holds, and how much stays resident after the
 * program frees everything.
 *
 *   frag [SCALE [IDLE]]   live peak SCALE x 64 MiB; IDLE seconds (default 1)
 *
 * Phases, each ending with the live bytes back at the peak L:
 *   1. small blocks (16..512 bytes) up to L
 *   2. free 3 of every 4 blocks at random (holes all over the heap),
 *      then medium blocks (1..8 KiB) up to L: they fit few of the holes
 *   3. free half of all blocks at random, then small blocks up to L
 *   4. free everything (and give back the pages of the program's own block
 *      table). Resident memory is read (/proc/self/statm) at once,
 *      again after IDLE seconds and one malloc/free pair (the allocator's
 *      chance to act on a timer without a thread of its own), and again
 *      after the allocator's own release call (malloc_trim(0) for glibc and
 *      tide; see bench_release_memory for the others).
 * Metrics (MiB): live_peak, rss_peak (getrusage), their ratio rss_per_live,
 * and rss_start, rss_freed, rss_idle, rss_released. The idle time is reported as "excluded_s" and
 * bench/run subtracts it from the wall time.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

struct block {
    void *p;
    size_t size;
};

/* Bookkeeping lives in its own mapping, outside the allocator under test. */
static struct block *blocks;
static size_t nblocks, cap, live, live_peak;

static void add(size_t size)
{
    if (nblocks == cap) {
        fprintf(stderr, "frag: bookkeeping full\n");
        exit(1);
    }
    unsigned char *p = malloc(size);
    if (!p) {
        fprintf(stderr, "frag: malloc(%zu) failed\n", size);
        exit(1);
    }
    for (size_t off = 0; off < size; off += 512) /* touch it, as a program would */
        p[off] = 1;
    blocks[nblocks++] = (struct block){ p, size };
    live += size;
    if (live > live_peak)
        live_peak = live;
}

/* Frees about `keep_one_in`-1 of every keep_one_in blocks, at random,
 * compacting the survivors to the front of the array. */
static void thin(uint64_t *rng, unsigned keep_one_in)
{
    size_t kept = 0;
    for (size_t i = 0; i < nblocks; i++) {
        if (bench_rand(rng) % keep_one_in == 0) {
            blocks[kept++] = blocks[i];
        } else {
            free(blocks[i].p);
            live -= blocks[i].size;
        }
    }
    nblocks = kept;
}

static void free_all(void)
{
    for (size_t i = 0; i < nblocks; i++)
        free(blocks[i].p);
    nblocks = 0;
    live = 0;
}

static void fill_to(size_t target, uint64_t *rng, size_t lo, size_t hi)
{
    while (live < target)
        add(bench_range(rng, lo, hi));
}

static double mib(size_t kib)
{
    return (double)kib / 1024.0;
}

int main(int argc, char **argv)
{
    size_t target = (size_t)(bench_arg(argc, argv, 1, 1.0) * 64 * 1024 * 1024);
    double idle = bench_arg(argc, argv, 2, 1.0);
    uint64_t rng = 11;
    bench_report_allocator();
    cap = target / 16 + 1024;
    blocks = mmap(NULL, cap * sizeof *blocks, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (blocks == MAP_FAILED) {
        fprintf(stderr, "frag: mmap failed\n");
        return 1;
    }
    size_t rss_start = bench_rss_kib();

    fill_to(target, &rng, 16, 512);
    thin(&rng, 4);
    fill_to(target, &rng, 1024, 8192);
    thin(&rng, 2);
    fill_to(target, &rng, 16, 512);
    free_all();
    /* The block table is the program's own bookkeeping (up to 1/4 of the
     * live bytes in small blocks): give its pages back too, so what stays
     * resident from here on is the allocator's. */
    madvise(blocks, cap * sizeof *blocks, MADV_DONTNEED);
    size_t rss_freed = bench_rss_kib();

    struct timespec ts = { (time_t)idle, (long)((idle - (double)(time_t)idle) * 1e9) };
    nanosleep(&ts, NULL);
    free(malloc(32));
    size_t rss_idle = bench_rss_kib();
    const char *how = bench_release_memory();
    size_t rss_released = bench_rss_kib();

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("release: %s\n", how);
    printf("excluded_s: %.3f\n", idle);
    bench_checksum(live_peak);
    bench_metric("live_peak_mib", (double)live_peak / (1024.0 * 1024.0));
    bench_metric("rss_peak_mib", mib((size_t)ru.ru_maxrss));
    bench_metric("rss_per_live", mib((size_t)ru.ru_maxrss) / ((double)live_peak / (1024.0 * 1024.0)));
    bench_metric("rss_start_mib", mib(rss_start));
    bench_metric("rss_freed_mib", mib(rss_freed));
    bench_metric("rss_idle_mib", mib(rss_idle));
    bench_metric("rss_released_mib", mib(rss_released));
    return 0;
}
