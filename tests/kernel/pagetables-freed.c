/*
 * tests/kernel/pagetables-freed.c - munmap and a shrinking brk give back
 * every frame at once, page tables included, seen in /proc/meminfo (the
 * kernel's exact frame counters): one page touched in each 2 MiB of a
 * 1 GiB mapping costs a page table each; after munmap, MemFree and
 * PageTables are exactly what they were before the mmap.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "expect.h"

#define PAGE 4096L
static char text[1024];

/* The value (kB) of one /proc/meminfo field, -1 if absent. */
static long meminfo(const char *field)
{
    int fd = open("/proc/meminfo", O_RDONLY);
    long len = fd < 0 ? 0 : read(fd, text, sizeof text - 1);
    close(fd);
    text[len > 0 ? len : 0] = '\0';
    char *l = strstr(text, field);
    return l ? strtol(l + strlen(field) + 1, NULL, 10) : -1;
}

int main(void)
{
    meminfo("MemFree");   /* warm up */
    long free0 = meminfo("MemFree"), pt0 = meminfo("PageTables");
    char *p = mmap(0, 1L << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (long off = 0; off < (1L << 30); off += 2L << 20)
        p[off] = 1;
    long free1 = meminfo("MemFree"), pt1 = meminfo("PageTables");
    printf("# 512 pages, one per 2 MiB: MemFree -%ld kB, PageTables +%ld kB\n",
           free0 - free1, pt1 - pt0);
    verdict(pt1 - pt0 >= 512 * 4, "a-page-table-per-2mib-touched");
    verdict(free0 - free1 >= (512 + 512) * 4, "memfree-drops-by-pages-and-tables");
    munmap(p, 1L << 30);
    long free2 = meminfo("MemFree"), pt2 = meminfo("PageTables");
    verdict(pt2 == pt0, "munmap-frees-the-page-tables");
    verdict(free2 == free0, "munmap-returns-every-frame");

    char *b = sbrk(0);
    sbrk(8L << 20);
    for (long off = 0; off < (8L << 20); off += PAGE)
        b[off] = 1;
    long free3 = meminfo("MemFree");
    sbrk(-(8L << 20));
    long free4 = meminfo("MemFree");
    verdict(free0 - free3 >= 2048 * 4 && free4 == free0, "brk-shrink-returns-every-frame");
    return failures != 0;
}
