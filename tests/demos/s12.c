/*
 * tests/demos/s12.c - S12: what a page fault does. On a first touch the
 * kernel finds the area (VMA) holding the address, checks the access is
 * allowed, takes a physical page, fills it with zeros, maps it, and runs
 * the instruction again. An address outside every area is a segmentation
 * fault: the kernel reports it and stops the program. This demo's last
 * step does exactly that, so its summary line comes before it.
 */
#include <stdio.h>
#include <sys/mman.h>

#include "demo.h"

int main(int argc, char **argv)
{
    demo_begin("S12", "a page fault maps a zeroed page; a stray access stops the program", argc, argv);
    volatile char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const void *addrs[] = { (const void *)m, NULL };
    printf("   mmap(4 pages) = %p, nothing touched yet:\n", (void *)m);
    maps_show(addrs);
    long f0 = minor_faults();
    char v = m[0];
    long f1 = minor_faults();
    printf("   read page 0: value %d, faults +%ld (a zero-filled page was mapped)\n", v, f1 - f0);
    demo_check(v == 0 && f1 - f0 == 1, "first-read-maps-zero-page", "value %d, %ld faults", v, f1 - f0);
    m[PAGE + 5] = 42;
    long f2 = minor_faults();
    printf("   write 42 to page 1: faults +%ld, reads back %d (the write ran again after the fault)\n",
           f2 - f1, m[PAGE + 5]);
    demo_check(m[PAGE + 5] == 42 && f2 - f1 == 1, "write-fault-then-instruction-reruns",
               "value %d, %ld faults", m[PAGE + 5], f2 - f1);
    m[PAGE + 6] = 1;
    long f3 = minor_faults();
    demo_check(f3 == f2, "mapped-page-no-more-faults", "%ld faults", f3 - f2);
    mprotect((void *)(m + 2 * PAGE), PAGE, PROT_READ);
    char r = m[2 * PAGE];
    printf("   page 2 made read-only: reading it is allowed (%d)\n", r);
    demo_check(r == 0, "read-only-page-readable", "read %d", r);
    munmap((void *)(m + 3 * PAGE), PAGE);
    volatile char *stray = m + 3 * PAGE + 16;
    printf("   page 3 unmapped; the memory map now:\n");
    maps_show(addrs);
    int status = demo_end();
    printf("   writing to %p, which is in no mapping: the kernel must stop this program\n"
           "   (Linux: SIGSEGV, status 139 in a shell; our kernel: a 'segfault at' line, 139)\n",
           (void *)stray);
    *stray = 1;
    printf("FAIL stray-write-not-stopped: the write to %p went through\n", (void *)stray);
    return status ? status : 1;
}
