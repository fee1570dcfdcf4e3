/*
 * tests/kernel/syscall-kernel.c - what only our kernel promises (Linux
 * differs or cannot be checked the same way): shared mappings refused,
 * whole-buffer checks on write, read-only /proc files, path strings that
 * run into unmapped memory, unknown numbers, the exact maps layout (image, [stack] at the
 * top, name column), the hint and MAP_FIXED placement, the area table
 * limit, and the monotonic clock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "rawsys.h"
#include "expect.h"

#define PAGE 4096L
static char text[65536];

static void test_refusals(void)
{
    long a = RAW6(9, 0, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    expect("kernel-mmap-shared-einval", a, -EINVAL);
    a = RAW6(9, 0, PAGE, PROT_READ, MAP_PRIVATE, 1, 0);
    expect("kernel-mmap-console-fd-enodev", a, -ENODEV);
    char *p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + PAGE, PAGE);
    expect("kernel-write-past-mapping-efault", RAW3(1, 1, p, 2 * PAGE), -EFAULT);
    expect("kernel-open-proc-for-write-eacces", RAW2(2, "/proc/self/maps", O_WRONLY), -EACCES);
    memcpy(p + PAGE - 5, "/proc", 5);   /* no NUL before the unmapped page */
    expect("kernel-open-path-into-unmapped-efault", RAW2(2, p + PAGE - 5, 0), -EFAULT);
    expect("kernel-unknown-syscall-enosys", RAW0(333), -ENOSYS);
    munmap(p, PAGE);
}

/* The column where name starts in the maps line ending with it; -1. */
static long name_column(const char *name)
{
    size_t n = strlen(name);
    for (char *l = text; *l;) {
        char *nl = strchr(l, '\n');
        if (!nl)
            break;
        if (nl - l > (long)n && memcmp(nl - n, name, n) == 0 && nl[-n - 1] == ' ')
            return nl - n - l;
        l = nl + 1;
    }
    return -1;
}

static void test_maps_layout(const char *argv0)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/maps", RAW0(39));
    long fd = RAW2(2, path, 0), len = 0, n;
    expect("kernel-open-proc-pid-maps", fd >= 0, 1);
    while ((n = RAW3(0, fd, text + len, 100)) > 0)   /* small reads: offsets */
        len += n;
    text[len] = '\0';
    RAW1(3, fd);
    expect("kernel-maps-starts-with-image", strncmp(text, "00400000-", 9), 0);
    expect("kernel-maps-image-name-at-column-73", name_column(argv0), 73);
    const char *stack = "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0";   /* 132 KiB */
    char *st = strstr(text, stack);
    expect("kernel-maps-stack-line", st && strncmp(st + 73, "[stack]\n", 8) == 0, 1);
}

static void test_placement(void)
{
    long hint = 0x200000000000L;
    long a = RAW6(9, hint, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("kernel-mmap-free-hint-is-used", a, hint);
    ((char *)a)[0] = 42;
    long b = RAW6(9, hint, PAGE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    expect("kernel-mmap-fixed-replaces", b, hint);
    expect("kernel-mmap-fixed-new-page-reads-zero", ((char *)b)[0], 0);
    long c = RAW6(9, 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long d = RAW6(9, 0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("kernel-mmap-top-down", d < c && c < 0x7ffff7fff000L, 1);
    RAW2(11, hint, PAGE);
    RAW2(11, c, PAGE);
    RAW2(11, d, PAGE);
}

/* Alternating protections keep the areas apart: the table fills up. */
static void test_area_limit(void)
{
    static long maps[4096];
    int n = 0;
    for (; n < 4096; n++) {
        long a = RAW6(9, 0, PAGE, n % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (a < 0) {
            expect("kernel-area-table-full-enomem", a, -ENOMEM);
            break;
        }
        maps[n] = a;
        if (n % 2 == 0)
            ((char *)a)[0] = 1;
    }
    expect("kernel-area-table-holds-2000", n > 2000, 1);
    /* Newest (lowest) first: the oldest may have merged with an older
     * neighbour, and splitting it needs a free slot in the table. */
    long r = 0;
    for (int i = n - 1; i >= 0; i--)
        r |= RAW2(11, maps[i], PAGE);
    expect("kernel-unmap-all-areas", r, 0);
}

/* The kernel writing into a page that maps the shared zero page (after a
 * read) must take a page of its own first, as a write fault would. */
static void test_zero_page(void)
{
    volatile char *p = mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char c = p[0] + p[PAGE];   /* both map the zero page now */
    mprotect((void *)p, 2 * PAGE, PROT_READ | PROT_WRITE);
    p[PAGE] = 7;               /* write fault on the zero page */
    long fd = RAW2(2, "/proc/self/statm", 0);
    long n = RAW3(0, fd, p, 8);   /* kernel copy into the zero page */
    RAW1(3, fd);
    expect("kernel-copy-into-zero-page-works", n == 8 && p[0] != 0 && c == 0, 1);
    expect("kernel-write-after-mprotect-on-zero-page", p[PAGE], 7);
    long probe = RAW6(9, 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("kernel-zero-page-stays-zero", *(volatile char *)probe, 0);
    munmap((void *)p, 2 * PAGE);
}

static void test_clock(void)
{
    long t0[2], t1[2];
    RAW2(228, 1, t0);
    for (volatile int i = 0; i < 100000; i++)
        ;
    RAW2(228, 1, t1);
    long d = (t1[0] - t0[0]) * 1000000000L + (t1[1] - t0[1]);
    expect("kernel-monotonic-clock-advances", d > 0 && d < 10000000000L, 1);
}

int main(int argc, char **argv)
{
    (void)argc;
    test_refusals();
    test_maps_layout(argv[0]);
    test_placement();
    test_area_limit();
    test_zero_page();
    test_clock();
    printf("syscall-kernel: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
