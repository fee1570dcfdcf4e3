/*
 * tests/kernel/kernel-allocators.c - the kernel's own allocators (S16),
 * seen through /proc: each mapping costs one object of the vm_area_struct
 * slab cache and its empty slabs go back when the mappings go; the buddy
 * allocator's free lists (/proc/buddyinfo) come back exactly as they were
 * once touched pages are unmapped, because freed blocks merge at once.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "expect.h"

#define PAGE 4096L
#define BASE 0x300000000000L
#define N 300

static char text[4096];

static void slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    long len = 0, n;
    while (fd >= 0 && (n = read(fd, text + len, sizeof text - 1 - len)) > 0)
        len += n;
    close(fd);
    text[len] = '\0';
}

/* Active objects and slabs of the vm_area_struct cache. */
static void vma_cache(long *active, long *slabs)
{
    slurp("/proc/slabinfo");
    char *l = strstr(text, "\nvm_area_struct ");
    *active = *slabs = -1;
    if (!l)
        return;
    char *p = l + 16;
    *active = strtol(p, &p, 10);
    p = strstr(p, "slabdata");
    if (p)
        *slabs = strtol(p + 8, NULL, 10);
}

/* The 11 free-block counts of /proc/buddyinfo; returns how many parsed. */
static int buddy(long out[11])
{
    slurp("/proc/buddyinfo");
    if (strncmp(text, "Node 0, zone   Normal ", 22) != 0)
        return 0;
    char *p = text + 22;
    int n = 0;
    for (char *end; n < 11; n++, p = end) {
        out[n] = strtol(p, &end, 10);
        if (end == p)
            break;
    }
    return n;
}

int main(void)
{
    long a0, s0, a1, s1, a2, s2;
    vma_cache(&a0, &s0);
    for (long i = 0; i < N; i++)   /* gaps between them: no merging */
        mmap((void *)(BASE + 2 * i * PAGE), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    vma_cache(&a1, &s1);
    verdict(a0 > 0 && a1 - a0 == N, "slab-one-vma-object-per-mapping");
    verdict(s1 > s0, "slab-cache-grows-by-slabs");
    munmap((void *)BASE, 2 * N * PAGE);
    vma_cache(&a2, &s2);
    verdict(a2 == a0 && s2 == s0, "slab-empty-slabs-return-frames");

    long b0[11], b1[11], b2[11];
    verdict(buddy(b0) == 11, "buddyinfo-linux-format");
    char *p = mmap(0, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 64; i++)
        p[i * PAGE] = 1;
    buddy(b1);
    munmap(p, 64 * PAGE);
    buddy(b2);
    verdict(memcmp(b0, b1, sizeof b0) != 0, "buddy-lists-change-when-pages-are-taken");
    verdict(memcmp(b0, b2, sizeof b0) == 0, "buddy-lists-restored-after-munmap");
    return failures != 0;
}
