/*
 * kernel/bench/faultbench.c - the cost of a first touch of a page (a page
 * fault) and of a null system call (getpid), seen from the program. The
 * same static binary runs natively on Linux and inside our kernel, so the
 * two can be compared on one machine. Prints "name value unit" lines.
 *
 *   faultbench [PAGES [CALLS]]     defaults: 16384 100000
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>
#include "rawsys.h"

#define PAGE 4096L
#define MADV_NOHUGEPAGE 15

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static unsigned long ticks(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long)hi << 32 | lo;
}

int main(int argc, char **argv)
{
    long pages = argc > 1 ? atol(argv[1]) : 16384;
    long calls = argc > 2 ? atol(argv[2]) : 100000;
    volatile char *p = mmap(0, pages * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    RAW3(28, p, pages * PAGE, MADV_NOHUGEPAGE);
    long f0 = minor_faults(), t0 = now_ns();
    unsigned long c0 = ticks();
    for (long i = 0; i < pages; i++)
        p[i * PAGE] = 1;
    unsigned long c1 = ticks();
    long t1 = now_ns(), f1 = minor_faults();
    printf("first-touch %ld ns/page (%lu tsc/page, %ld faults for %ld pages)\n",
           (t1 - t0) / pages, (c1 - c0) / pages, f1 - f0, pages);

    t0 = now_ns();
    c0 = ticks();
    for (long i = 0; i < calls; i++)
        RAW0(39);
    c1 = ticks();
    t1 = now_ns();
    printf("getpid %ld ns/call (%lu tsc/call, %ld calls)\n", (t1 - t0) / calls,
           (c1 - c0) / calls, calls);
    return 0;
}
