/*
 * tests/progs/touch-pages.c - demand paging, measured from inside the
 * program: a 1 GiB anonymous mapping costs nothing until touched; touching
 * N pages costs exactly N page faults and N resident pages; munmap, a
 * shrinking brk and madvise(MADV_DONTNEED) give the pages back. Runs the
 * same on Linux and on our kernel; prints only what both must agree on.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "rawsys.h"

#define PAGE 4096L
#define MADV_NOHUGEPAGE 15

static int failures;

static void check(int ok, const char *name, long got, long want)
{
    if (ok)
        printf("ok %s\n", name);
    else
        printf("FAIL %s: got %ld, want %ld\n", name, got, want);
    failures += !ok;
}

/* Touches n pages from p (one write each); returns the fault and resident
 * deltas through the pointers. Nothing else may fault in between. */
static void touch(volatile char *p, long n, long *faults, long *resident)
{
    long f0 = minor_faults(), r0 = statm_resident();
    for (long i = 0; i < n; i++)
        p[i * PAGE] = 1;
    long f1 = minor_faults(), r1 = statm_resident();
    *faults = f1 - f0;
    *resident = r1 - r0;
}

static void test_mmap_touch(void)
{
    long len = 1L << 30, f, r, base, after_mmap;
    char *p;
    /* Up to 3 tries: on Linux a page of something else (fault-around of
     * code, rss counters folded late) now and then lands in between. */
    for (int try = 0;; try++) {
        base = statm_resident();
        p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        after_mmap = statm_resident();
        if (p == MAP_FAILED || after_mmap == base || try == 2)
            break;
        munmap(p, len);
    }
    if (p == MAP_FAILED) {
        check(0, "mmap-1gib", -1, 0);
        return;
    }
    check(after_mmap == base, "mmap-1gib-costs-no-page", after_mmap - base, 0);
    madvise(p, len, MADV_NOHUGEPAGE);   /* Linux: no 2 MiB pages here */
    touch(p, 0, &f, &r);                 /* warm up the measuring code */
    base = statm_resident();
    long ns[] = { 1, 10, 100, 1000 };
    long at = 0;
    for (int i = 0; i < 4; i++) {
        char name[64];
        touch(p + at * PAGE, ns[i], &f, &r);
        snprintf(name, sizeof name, "touch-%ld-pages-costs-%ld-faults", ns[i], ns[i]);
        check(f == ns[i], name, f, ns[i]);
        snprintf(name, sizeof name, "touch-%ld-pages-adds-%ld-resident", ns[i], ns[i]);
        check(r == ns[i], name, r, ns[i]);
        at += ns[i];
    }
    touch(p, at, &f, &r);
    check(f == 0 && r == 0, "touch-again-costs-nothing", f, 0);

    /* Reading untouched memory maps the shared zero page: a fault each,
     * no memory; the first write then takes a page of its own. */
    long f0 = minor_faults(), r0 = statm_resident(), sum = 0;
    for (long i = 0; i < 10; i++)
        sum += ((volatile char *)p)[(at + i) * PAGE];
    long f1 = minor_faults(), r1 = statm_resident();
    check(f1 - f0 == 10, "read-10-untouched-pages-costs-10-faults", f1 - f0, 10);
    check(r1 - r0 == 0 && sum == 0, "read-untouched-pages-costs-no-memory", r1 - r0, 0);
    touch(p + at * PAGE, 10, &f, &r);
    check(f == 10 && r == 10, "write-after-read-costs-a-fault-and-a-page", r, 10);
    at += 10;

    r0 = statm_resident();
    madvise(p, 100 * PAGE, MADV_DONTNEED);
    r1 = statm_resident();
    check(r0 - r1 == 100, "madvise-dontneed-frees-100-pages", r0 - r1, 100);
    check(p[0] == 0 && p[99 * PAGE] == 0, "madvise-dontneed-pages-read-zero", p[0], 0);

    r0 = statm_resident();
    munmap(p + 500 * PAGE, 200 * PAGE);   /* a hole in the middle */
    r1 = statm_resident();
    check(r0 - r1 == 200, "munmap-middle-frees-200-pages", r0 - r1, 200);
    munmap(p, len);
    r1 = statm_resident();
    check(r1 == base, "munmap-all-returns-every-page", r1 - base, 0);
}

static void test_brk(void)
{
    long f, r;
    char *base = sbrk(0);
    if (sbrk(64 * PAGE) == (void *)-1) {
        check(0, "sbrk-grow", -1, 0);
        return;
    }
    char *p = (char *)(((unsigned long)base + PAGE - 1) & ~(PAGE - 1));
    touch(p, 0, &f, &r);
    touch(p, 32, &f, &r);
    check(f == 32 && r == 32, "brk-touch-32-pages-costs-32-faults", f, 32);
    long r0 = statm_resident();
    sbrk(-64 * PAGE);
    long r1 = statm_resident();
    check(r0 - r1 == 32, "brk-shrink-frees-32-pages", r0 - r1, 32);
    check(sbrk(0) == base, "brk-back-to-start", (long)((char *)sbrk(0) - base), 0);
}

/* Runs every call the measurements use once: on Linux the first run of a
 * code page maps file pages (fault-around), which would count as resident
 * pages or faults inside a measurement. */
static void warm_up(void)
{
    long f, r;
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(p, 4 * PAGE, MADV_NOHUGEPAGE);
    touch(p, 1, &f, &r);
    madvise(p, PAGE, MADV_DONTNEED);
    munmap(p, 4 * PAGE);
    sbrk(0);
}

int main(void)
{
    warm_up();
    test_mmap_touch();
    test_brk();
    printf("touch-pages: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
