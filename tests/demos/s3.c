/*
 * tests/demos/s3.c - S3: malloc hands out virtual memory; physical pages
 * appear only when first touched (a page fault each). malloc(1 GiB) barely
 * changes resident memory; touching N pages adds N pages and N faults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "demo.h"

#define TOUCH_PAGES 256

int main(int argc, char **argv)
{
    demo_begin("S3", "physical pages appear only on first touch", argc, argv);
    long r0 = resident_kib(), f0 = minor_faults();
    char *p = malloc(1024 * MiB);
    long r1 = resident_kib(), f1 = minor_faults();
    printf("   malloc(1 GiB) = %p\n", (void *)p);
    printf("   resident: %ld KiB before, %ld KiB after (+%ld KiB); faults +%ld\n", r0, r1, r1 - r0,
           f1 - f0);
    demo_check(p != NULL, "malloc-1gib-succeeds", "malloc(1 GiB) returned NULL");
    if (!p)
        return demo_end();
    demo_check(r1 - r0 < 64, "malloc-1gib-costs-almost-nothing", "resident grew %ld KiB", r1 - r0);
    /* Linux may back a big mapping with 2 MiB pages (one fault for 512
     * pages): ask for small pages so each touch is one fault. Our kernel
     * accepts and ignores this advice. */
    madvise((void *)(((uintptr_t)p + PAGE - 1) & ~(PAGE - 1)), 512 * MiB, 15 /* NOHUGEPAGE */);
    long f2 = minor_faults(), r2 = resident_kib();
    /* every 7th page from the 7th on (page 0 holds the chunk header, which
     * malloc already touched) */
    for (int i = 1; i <= TOUCH_PAGES; i++)
        p[(size_t)i * PAGE * 7] = 1;
    long f3 = minor_faults(), r3 = resident_kib();
    printf("   touched %d pages: faults +%ld, resident +%ld KiB (%ld pages)\n", TOUCH_PAGES, f3 - f2,
           r3 - r2, (r3 - r2) / 4);
    /* our kernel counts exactly; Linux may fault a few pages of its own */
    long slack = on_linux() ? 8 : 0;
    demo_check(f3 - f2 >= TOUCH_PAGES && f3 - f2 <= TOUCH_PAGES + slack, "n-touches-cost-n-faults",
               "%ld faults for %d pages", f3 - f2, TOUCH_PAGES);
    demo_check((r3 - r2) / 4 >= TOUCH_PAGES && (r3 - r2) / 4 <= TOUCH_PAGES + slack,
               "n-touches-add-n-resident-pages", "%ld pages for %d touches", (r3 - r2) / 4,
               TOUCH_PAGES);
    for (int i = 1; i <= TOUCH_PAGES; i++)
        p[(size_t)i * PAGE * 7 + 100] = 2;
    long f4 = minor_faults();
    demo_check(f4 - f3 <= (on_linux() ? 2 : 0), "second-touch-is-free",
               "%ld more faults on touched pages", f4 - f3);
    free(p);
    long r5 = resident_kib();
    printf("   after free: resident %ld KiB (the mapping went back to the kernel)\n", r5);
    demo_check(r3 - r5 >= TOUCH_PAGES * 4 - 32, "free-returns-touched-pages",
               "resident only dropped %ld KiB", r3 - r5);
    return demo_end();
}
