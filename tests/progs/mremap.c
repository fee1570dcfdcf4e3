/*
 * tests/progs/mremap.c - mremap on private anonymous memory, the same on
 * Linux and on our kernel: growing a mapping that cannot grow in place
 * moves it without copying (no fault, no new resident page, contents
 * kept), growing into a free neighbour keeps the address, shrinking gives
 * pages back, and bad arguments give Linux's errors.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "rawsys.h"
#include "expect.h"

#define PAGE 4096L
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

static char *map(long pages)
{
    return mmap(0, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void test_move(void)
{
    char *p = map(16);
    for (long i = 0; i < 16; i++)
        p[i * PAGE] = (char)(i + 1);
    char *blocker = (char *)RAW6(9, p + 16 * PAGE, PAGE, PROT_READ,
                                 MAP_PRIVATE | MAP_ANONYMOUS | 0x100000, -1, 0);
    long f0 = minor_faults(), r0 = statm_resident();
    char *q = (char *)RAW4(25, p, 16 * PAGE, 1024 * PAGE, MREMAP_MAYMOVE);
    long f1 = minor_faults(), r1 = statm_resident();
    verdict(q != p && (long)q > 0, "mremap-blocked-grow-moves");
    verdict(f1 - f0 == 0 && r1 - r0 == 0, "mremap-move-copies-nothing");
    int same = 1;
    for (long i = 0; i < 16; i++)
        same &= q[i * PAGE] == (char)(i + 1);
    verdict(same, "mremap-move-keeps-contents");
    q[1000 * PAGE] = 1;   /* the grown part is usable */
    verdict(q[1001 * PAGE] == 0, "mremap-grown-part-reads-zero");
    r0 = statm_resident();
    long s = RAW4(25, q, 1024 * PAGE, 8 * PAGE, 0);
    r1 = statm_resident();
    verdict(s == (long)q && r0 - r1 == 9, "mremap-shrink-frees-the-tail");
    munmap(q, 8 * PAGE);
    if ((long)blocker > 0)
        munmap(blocker, PAGE);
}

static void test_in_place(void)
{
    char *p = map(8);
    munmap(p + 4 * PAGE, 4 * PAGE);
    p[0] = 5;
    long q = RAW4(25, p, 4 * PAGE, 8 * PAGE, 0);
    verdict(q == (long)p && p[0] == 5, "mremap-grows-in-place-into-free-pages");
    p[7 * PAGE] = 1;
    munmap(p, 8 * PAGE);
}

static void test_errors(void)
{
    char *p = map(2);
    verdict(RAW4(25, p + 1, PAGE, 2 * PAGE, 1) == -EINVAL, "mremap-unaligned-einval");
    verdict(RAW4(25, p, PAGE, 0, 1) == -EINVAL, "mremap-zero-new-length-einval");
    verdict(RAW4(25, p, PAGE, 2 * PAGE, 0x80) == -EINVAL, "mremap-bad-flags-einval");
    verdict(RAW4(25, p, PAGE, 2 * PAGE, MREMAP_FIXED) == -EINVAL,
            "mremap-fixed-without-maymove-einval");
    verdict(RAW4(25, 0x200000000000L, PAGE, 2 * PAGE, 1) == -EFAULT,
            "mremap-unmapped-efault");
    verdict(RAW4(25, p, 4 * PAGE, 8 * PAGE, 1) == -EFAULT,
            "mremap-range-past-mapping-efault");
    char *blocker = (char *)RAW6(9, p + 2 * PAGE, PAGE, PROT_READ,
                                 MAP_PRIVATE | MAP_ANONYMOUS | 0x100000, -1, 0);
    if ((long)blocker > 0)
        verdict(RAW4(25, p, 2 * PAGE, 4 * PAGE, 0) == -ENOMEM,
                "mremap-blocked-grow-without-maymove-enomem");
    else
        verdict(1, "mremap-blocked-grow-without-maymove-enomem");
    munmap(p, 3 * PAGE);
}

int main(void)
{
    minor_faults();       /* warm up the measuring code and its stack */
    statm_resident();
    test_move();
    test_in_place();
    test_errors();
    printf("mremap: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
