/*
 * tests/progs/demand-paging.c - the demand-paging demo (`make run`), also
 * a test: malloc(1 GiB) costs (almost) no physical memory; each page
 * touched costs exactly one page fault and one resident page; free()
 * returns the mapping at once (munmap); a heap grown with small blocks
 * shrinks again (brk moves down) when they are freed.
 * Lines starting with '#' carry addresses and differ between Linux and
 * our kernel; the test harness skips them when comparing the two.
 */
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rawsys.h"
#include "expect.h"

#define PAGE 4096L
#define MADV_NOHUGEPAGE 15

/* Pages resident and faults taken so far, as the kernel counts them. */
struct snap {
    long resident, faults;
};

static struct snap snap(void)
{
    struct snap s = { statm_resident(), minor_faults() };
    return s;
}

static char maps[65536];

/* Prints (with '#': addresses differ between kernels) the line of
 * /proc/self/maps that contains p; returns 1 if there is one. */
static int show_mapping(const void *p)
{
    long fd = RAW2(2, "/proc/self/maps", 0), len = 0, n;
    while (fd >= 0 && (n = RAW3(0, fd, maps + len, sizeof maps - 1 - len)) > 0)
        len += n;
    RAW1(3, fd);
    maps[len] = '\0';
    for (char *l = maps; *l;) {
        char *end, *nl = strchr(l, '\n');
        unsigned long s = strtoul(l, &end, 16), e = strtoul(end + 1, NULL, 16);
        if (nl)
            *nl = '\0';
        if (s <= (unsigned long)p && (unsigned long)p < e) {
            printf("#   %s\n", l);
            return 1;
        }
        if (!nl)
            break;
        l = nl + 1;
    }
    return 0;
}

static void touch(volatile char *p, long pages)
{
    for (long i = 0; i < pages; i++)
        p[i * PAGE] = 1;
}

static void demo_big_malloc(void)
{
    /* Warm up: the allocator's start-up and the code of this path would
     * otherwise fault in during the first measurement. */
    free(malloc(1L << 30));
    struct snap s0 = snap();
    char *p = malloc(1L << 30);
    struct snap s1 = snap();
    printf("# malloc(1 GiB) = %p, its own mapping in /proc/self/maps:\n", (void *)p);
    show_mapping(p);
    printf("malloc(1 GiB): %ld page(s) became resident, %ld fault(s)\n",
           s1.resident - s0.resident, s1.faults - s0.faults);
    verdict(p && s1.resident - s0.resident <= 1, "malloc-1gib-costs-at-most-one-page");
    RAW3(28, (long)p & ~(PAGE - 1), 1L << 30, MADV_NOHUGEPAGE);
    touch(p + PAGE, 0);
    long at = 1, ok = 1;
    for (long n = 1; n <= 1000; n *= 10) {
        struct snap a = snap();
        touch(p + at * PAGE, n);
        struct snap b = snap();
        printf("touched %4ld page(s): %4ld fault(s), %4ld more resident page(s)\n",
               n, b.faults - a.faults, b.resident - a.resident);
        ok &= b.faults - a.faults == n && b.resident - a.resident == n;
        at += n;
    }
    verdict(ok, "touching-n-pages-costs-n-faults-and-n-resident");
    struct snap f0 = snap();
    free(p);
    struct snap f1 = snap();
    printf("free(): %ld resident page(s) returned (munmap)\n", f0.resident - f1.resident);
    verdict(f0.resident - f1.resident >= at, "free-of-big-block-returns-its-pages");
    verdict(!show_mapping(p), "free-of-big-block-removes-its-mapping");
}

static void demo_heap_shrinks(void)
{
    enum { N = 64 };
    static char *blocks[N];
    char *brk0 = sbrk(0);
    struct snap s0 = snap();
    for (int i = 0; i < N; i++) {
        blocks[i] = malloc(16 * 1024);
        if (blocks[i])
            touch(blocks[i], 4);
    }
    char *brk1 = sbrk(0);
    struct snap s1 = snap();
    printf("# heap end %p -> %p\n", (void *)brk0, (void *)brk1);
    printf("64 blocks of 16 KiB: heap grew by %ld KiB, %ld more resident page(s)\n",
           (long)(brk1 - brk0) / 1024, s1.resident - s0.resident);
    for (int i = N - 1; i >= 0; i--)
        free(blocks[i]);
    /* The allocator trims the top of its heap by itself when it thinks the
     * memory will not be needed soon; malloc_trim(0) asks for it now. */
    malloc_trim(0);
    char *brk2 = sbrk(0);
    struct snap s2 = snap();
    printf("freed them, malloc_trim(0): heap shrank by %ld KiB, %ld resident page(s) "
           "returned\n",
           (long)(brk1 - brk2) / 1024, s1.resident - s2.resident);
    verdict(brk1 > brk0, "small-blocks-grow-the-brk-heap");
    verdict(brk2 < brk1 && s2.resident < s1.resident, "freeing-them-shrinks-the-brk-heap");
}

int main(void)
{
    printf("== demand paging: what malloc really costs ==\n");
    demo_big_malloc();
    demo_heap_shrinks();
    printf("demand-paging: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
