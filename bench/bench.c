/*
 * bench/bench.c - the shared helpers of the workload programs: argument
 * parsing, size distributions, the clock, resident memory and the output
 * protocol of bench/run. Nothing here allocates except stdio's buffer.
 */
#include "bench.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

double bench_arg(int argc, char **argv, int index, double dflt)
{
    if (index >= argc)
        return dflt;
    char *end;
    double v = strtod(argv[index], &end);
    if (*end != '\0' || !(v > 0)) {
        fprintf(stderr, "usage: %s [SCALE] ...: '%s' is not a positive number\n",
                argv[0], argv[index]);
        exit(2);
    }
    return v;
}

size_t bench_log_size(uint64_t *state, size_t lo, size_t hi)
{
    /* Pick an octave [2^k, 2^(k+1)) that meets [lo, hi], then a size in it. */
    int klo = 63 - __builtin_clzll(lo), khi = 63 - __builtin_clzll(hi);
    int k = klo + (int)(bench_rand(state) % (uint64_t)(khi - klo + 1));
    size_t a = (size_t)1 << k, b = (a << 1) - 1;
    if (a < lo)
        a = lo;
    if (b > hi)
        b = hi;
    return bench_range(state, a, b);
}

size_t bench_mixed_size(uint64_t *state)
{
    /* Weights in 1/100: what a typical C or C++ program asks for. */
    unsigned r = (unsigned)(bench_rand(state) % 100);
    if (r < 50)
        return bench_range(state, 8, 64);
    if (r < 80)
        return bench_range(state, 65, 256);
    if (r < 95)
        return bench_range(state, 257, 1024);
    if (r < 99)
        return bench_range(state, 1025, 4096);
    return bench_range(state, 4097, 32768);
}

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

size_t bench_rss_kib(void)
{
    /* statm: "size resident shared text lib data dt", in pages. */
    char buf[128];
    int fd = open("/proc/self/statm", O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = buf;
    strtoul(p, &p, 10);
    unsigned long pages = strtoul(p, NULL, 10);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE) / 1024;
}

void bench_checksum(uint64_t sum)
{
    printf("checksum: %016llx\n", (unsigned long long)sum);
}

void bench_metric(const char *name, double value)
{
    printf("metric: %s %.6g\n", name, value);
}
