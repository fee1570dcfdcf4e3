/*
 * bench/bench.h - what every benchmark workload program shares: the scale
 * argument, a deterministic random generator, a clock, resident memory,
 * the "which allocator served malloc" check, and the output protocol that
 * bench/run parses (lines "allocator: ...", "checksum: ...", "metric: ...").
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Returns argv[index] as a positive number, dflt if absent; exits with a
 * usage line if it is present but not a positive number. */
double bench_arg(int argc, char **argv, int index, double dflt);

/* splitmix64: deterministic, same sequence on every allocator and run. */
static inline uint64_t bench_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Returns a value in [lo, hi], uniformly. pre: lo <= hi. */
static inline size_t bench_range(uint64_t *state, size_t lo, size_t hi)
{
    return lo + (size_t)(bench_rand(state) % (hi - lo + 1));
}

/* Returns a size in [lo, hi] spread evenly over the powers of two in
 * between (as many 64..128 byte requests as 2048..4096 ones). pre: 1<=lo<=hi. */
size_t bench_log_size(uint64_t *state, size_t lo, size_t hi);

/* Returns a small-object size from a fixed mix: mostly 16..256 bytes, with a
 * tail up to 32 KiB (see bench.c for the weights). */
size_t bench_mixed_size(uint64_t *state);

/* Monotonic time in seconds. */
double bench_now(void);

/* Resident set size of this process in KiB, from /proc/self/statm, read
 * without allocating. Returns 0 if /proc is unavailable. */
size_t bench_rss_kib(void);

/* Finds which shared object defines the malloc this process calls (the
 * first definition in symbol search order: an LD_PRELOAD library, else
 * libc). Returns its allocator name (tide, jemalloc, tcmalloc, mimalloc,
 * glibc or unknown) and sets *path to the object's file name. */
const char *bench_allocator(const char **path);

/* Finds which shared object defines the malloc this process calls (the
 * first definition in symbol search order: an LD_PRELOAD library, else
 * libc) and prints "allocator: NAME PATH". NAME is tide, jemalloc,
 * tcmalloc, mimalloc, glibc or unknown. Returns NAME. */
const char *bench_report_allocator(void);

/* Asks the serving allocator to give free memory back to the OS: its own
 * call where it has one (malloc_trim(0) for glibc and tide, jemalloc's
 * arena purge, mimalloc's mi_collect, tcmalloc's ReleaseFreeMemory).
 * Returns the name of what it called. */
const char *bench_release_memory(void);

/* Output protocol, one line each on stdout. */
void bench_checksum(uint64_t sum);
void bench_metric(const char *name, double value);

#endif
