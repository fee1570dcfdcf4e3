/*
 * tests/progs/brk-semantics.c - the raw brk system call as Linux defines
 * it, the contract the allocator's heap relies on (sys.h): brk(0) gives the
 * break; any address at or above the start moves it there exactly (not
 * page-rounded) and returns it; the memory up to the break's page end is
 * usable and reads zero; a failed move (below the start, into the kernel
 * half, past RLIMIT_DATA) returns the unchanged break. Addresses are
 * printed relative to the first break, so Linux and our kernel agree.
 */
#include <stdio.h>
#include <sys/resource.h>
#include "rawsys.h"

static long b0;

static void show(const char *what, long arg, long got)
{
    printf("brk(%s%+ld) = start%+ld\n", what, arg, got - b0);
}

int main(void)
{
    b0 = RAW1(12, 0);
    show("start", 1, RAW1(12, b0 + 1));
    show("start", 5000, RAW1(12, b0 + 5000));
    volatile char *p = (volatile char *)b0;
    printf("bytes below the break read %d %d\n", p[0], p[8191]);
    p[8191] = 7;   /* the break's page is usable up to its end */
    show("start", 100, RAW1(12, b0 + 100));
    show("start", -4096, RAW1(12, b0 - 4096));
    printf("brk(a kernel address) = start%+ld\n", RAW1(12, 0xffffffff80000000L) - b0);
    show("start", 0, RAW1(12, b0));
    show("start", 8192, RAW1(12, b0 + 8192));
    printf("a page given back and taken again reads %d\n", p[8191]);
    struct rlimit rl = { 1L << 20, RLIM_INFINITY };
    setrlimit(RLIMIT_DATA, &rl);
    show("start", 4L << 20, RAW1(12, b0 + (4L << 20)));
    show("start", 0, RAW1(12, b0));
    return 0;
}
