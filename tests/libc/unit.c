/*
 * tests/libc/unit.c - what the glibc comparison cannot check: start-up
 * (argv, environment, TLS), exit paths, system call wrappers and errno,
 * the malloc family's error cases, stdio on /proc files. Prints "ok NAME"
 * or "FAIL NAME: why" per test. Run with no argument for the table; with
 * "abort", "assert", "exit N" or "atexit" to exercise one way of ending
 * (tests/libc/run.py checks the exit status and output of those).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "tide.h"

static int failures, passes;

static void check(int ok, const char *name, const char *why)
{
    if (ok) {
        printf("ok %s\n", name);
        passes++;
    } else {
        printf("FAIL %s: %s\n", name, why);
        failures++;
    }
}

static __thread int tls_init = 42;
static __thread char tls_zero[200];
static __thread long tls_aligned __attribute__((aligned(64))) = -7;

static void test_startup(int argc, char **argv)
{
    check(argc == 3 && strcmp(argv[1], "one") == 0 && strcmp(argv[2], "two words") == 0 &&
              argv[3] == NULL,
          "argv-from-initial-stack", "argc/argv differ from what the runner passed");
    const char *v = getenv("LIBC_UNIT_VAR");
    check(v && strcmp(v, "a=b") == 0 && getenv("LIBC_UNIT_VA") == NULL &&
              getenv("NO_SUCH_VARIABLE_X") == NULL,
          "getenv-exact-name", "LIBC_UNIT_VAR should read a=b, prefixes must not match");
    int zero = 1;
    for (size_t i = 0; i < sizeof tls_zero; i++)
        zero &= tls_zero[i] == 0;
    check(tls_init == 42 && zero && tls_aligned == -7 && ((uintptr_t)&tls_aligned & 63) == 0,
          "tls-tdata-copied-tbss-zeroed", "static TLS not set up from PT_TLS");
    uintptr_t self;
    __asm__("mov %%fs:0, %0" : "=r"(self));
    check(self != 0 && (uintptr_t)&tls_init < self && self - (uintptr_t)&tls_init < 4096,
          "tls-tcb-self-pointer", "%fs:0 must hold the thread pointer, above the TLS block");
    tls_init++;
    check(tls_init == 43, "tls-writable", "TLS variable not writable");
}

static void test_errno(void)
{
    errno = 0;
    check(close(-1) == -1 && errno == EBADF, "close-bad-fd-sets-ebadf", "expected -1/EBADF");
    errno = 0;
    check(open("/no/such/file", O_RDONLY) == -1 && errno == ENOENT, "open-missing-sets-enoent",
          "expected -1/ENOENT");
    errno = 0;
    check(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1) == MAP_FAILED &&
              errno == EINVAL,
          "mmap-unaligned-offset-einval", "expected MAP_FAILED/EINVAL");
    errno = 0;
    check(munmap((void *)0x1001, 4096) == -1 && errno == EINVAL, "munmap-unaligned-einval",
          "expected -1/EINVAL");
    check(strcmp(strerror(ENOMEM), "Cannot allocate memory") == 0 &&
              strcmp(strerror(9999), "Unknown error 9999") == 0,
          "strerror-known-and-unknown", "wrong message");
}

static void test_memory_calls(void)
{
    char *b0 = sbrk(0);
    char *b1 = sbrk(8192);
    char *b2 = sbrk(0);
    int zero = b1 != (void *)-1;
    for (int i = 0; zero && i < 8192; i++)
        zero &= b1[i] == 0;
    if (b1 != (void *)-1)
        memset(b1, 0xab, 8192);
    check(b1 == b0 && b2 == b0 + 8192 && zero, "sbrk-grows-zeroed", "break did not move or not zero");
    check(brk(b0) == 0 && sbrk(0) == b0, "brk-shrinks-back", "could not move the break down");
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int ok = m != MAP_FAILED && m[0] == 0 && m[3 * 4096 - 1] == 0;
    if (ok) {
        m[4096] = 1;
        ok = munmap(m + 4096, 4096) == 0 && munmap(m, 4096) == 0 && munmap(m + 8192, 4096) == 0;
    }
    check(ok, "mmap-then-partial-munmaps", "anonymous mapping not zero or partial munmap failed");
    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ok = m != MAP_FAILED;
    if (ok) {
        m[10] = 5;
        ok = madvise(m, 4096, MADV_DONTNEED) == 0 && m[10] == 0 && munmap(m, 4096) == 0;
    }
    check(ok, "madvise-dontneed-reads-zero", "page not zero after MADV_DONTNEED");
}

static void test_process_calls(void)
{
    struct timespec a, b;
    int ok = clock_gettime(CLOCK_MONOTONIC, &a) == 0 && clock_gettime(CLOCK_MONOTONIC, &b) == 0;
    check(ok && (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)) &&
              a.tv_nsec < 1000000000L,
          "clock-monotonic-never-goes-back", "clock_gettime failed or went back");
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    char *m = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 64; i++)
        m[i * 4096] = 1;
    getrusage(RUSAGE_SELF, &r1);
    munmap(m, 64 * 4096);
    check(r1.ru_minflt - r0.ru_minflt >= 64, "getrusage-counts-first-touch-faults",
          "fewer than 64 minor faults for 64 fresh pages");
    struct rlimit rl;
    check(getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur <= rl.rlim_max, "getrlimit-data",
          "getrlimit(RLIMIT_DATA) failed");
    check(getpid() > 0, "getpid-positive", "pid <= 0");
    check(sysconf(_SC_PAGESIZE) == 4096, "sysconf-pagesize", "not 4096");
}

static void test_malloc(void)
{
    errno = 0;
    void *p = calloc(SIZE_MAX / 2, 3);
    check(p == NULL && errno == ENOMEM, "calloc-overflow-enomem", "expected NULL/ENOMEM");
    errno = 0;
    p = reallocarray(NULL, SIZE_MAX / 4, 8);
    check(p == NULL && errno == ENOMEM, "reallocarray-overflow-enomem", "expected NULL/ENOMEM");
    errno = 1234;
    void *q = NULL;
    int r = posix_memalign(&q, 24, 100);
    check(r == EINVAL && errno == 1234, "posix-memalign-bad-alignment-einval-errno-kept",
          "expected EINVAL returned, errno untouched");
    r = posix_memalign(&q, 4096, 100);
    check(r == 0 && ((uintptr_t)q & 4095) == 0, "posix-memalign-4096", "not aligned");
    free(q);
    char *a = aligned_alloc(256, 512);
    check(a && ((uintptr_t)a & 255) == 0, "aligned-alloc-256", "not aligned");
    free(a);
    char *s = malloc(100);
    check(s && malloc_usable_size(s) >= 100, "malloc-usable-size-covers-request", "usable < 100");
    memset(s, 'x', 100);
    s = realloc(s, 5000);
    int kept = s != NULL;
    for (int i = 0; kept && i < 100; i++)
        kept &= s[i] == 'x';
    check(kept, "realloc-grow-keeps-contents", "contents lost");
    free(s);
    char *big = malloc(1 * 1024 * 1024);
    for (int i = 0; big && i < 1024 * 1024; i += 4096)
        big[i] = (char)(i >> 12);
    char *bigger = big ? realloc(big, 8 * 1024 * 1024) : NULL;
    int same = bigger != NULL;
    for (int i = 0; same && i < 1024 * 1024; i += 4096)
        same &= bigger[i] == (char)(i >> 12);
    check(same, "realloc-mapped-block-keeps-contents", "1 MiB -> 8 MiB lost data");
    free(bigger);
    char *d = strdup("hello"), *n = strndup("hello", 3);
    check(d && n && strcmp(d, "hello") == 0 && strcmp(n, "hel") == 0, "strdup-strndup", "wrong copy");
    free(d);
    free(n);
    errno = 0;
    check(malloc(SIZE_MAX - 4096) == NULL && errno == ENOMEM, "malloc-huge-enomem",
          "expected NULL/ENOMEM");
}

static void test_stdio(void)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%#g|%#.3g", 999999.5, 99.95);
    check(strcmp(buf, "1.00000e+06|100.") == 0, "printf-hash-g-rounds-up-exponent",
          "C says 1.00000e+06 (glibc prints 1.e+06)");
    void *keep = malloc(200000);   /* makes sure there is an anonymous mapping */
    FILE *f = fopen("/proc/self/maps", "r");
    int lines = 0, stack = 0;
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        lines++;
        stack |= strstr(line, "[stack]") != NULL;
        if (!strchr(line, '\n'))
            break;
    }
    check(f && lines >= 3 && stack && fclose(f) == 0, "fopen-proc-self-maps-lines",
          "could not read /proc/self/maps line by line");
    free(keep);
    errno = 0;
    check(fopen("/no/such", "r") == NULL && errno == ENOENT, "fopen-missing-enoent",
          "expected NULL/ENOENT");
    check(fopen("/tmp/x", "w") == NULL && errno == EINVAL, "fopen-write-mode-refused",
          "this libc opens files for reading only");
    f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    int got = f && fgets(line, sizeof line, f);
    if (got) {
        char *end;
        size = strtol(line, &end, 10);
        resident = strtol(end, NULL, 10);
        fclose(f);
    }
    check(got && size > 0 && resident > 0 && resident <= size, "statm-size-and-resident",
          "/proc/self/statm unreadable");
}

/* stdio, printf and strerror never allocate: the demos rely on it to
 * watch the heap without disturbing it. */
static void test_no_hidden_malloc(void)
{
    struct tide_stats s0, s1;
    char line[256];
    tide_get_stats(&s0);
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f))
        ;
    if (f)
        fclose(f);
    snprintf(line, sizeof line, "%s %.30Lf %e %p", strerror(ENOENT), 0.1L, 1e300, (void *)&s0);
    printf("   (stdio check: %zu bytes formatted)\n", strlen(line));
    fflush(stdout);
    tide_get_stats(&s1);
    check(s0.bytes_in_use == s1.bytes_in_use && s0.brk_calls == s1.brk_calls &&
              s0.mmap_calls == s1.mmap_calls,
          "stdio-never-allocates", "the heap changed while only stdio was used");
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static void test_qsort_big(void)
{
    static long v[5000];
    unsigned long seed = 99;
    for (int i = 0; i < 5000; i++)
        v[i] = (long)((seed = seed * 6364136223846793005UL + 1) >> 33) % 1000;
    qsort(v, 5000, sizeof v[0], cmp_long);
    int sorted = 1;
    for (int i = 1; i < 5000; i++)
        sorted &= v[i - 1] <= v[i];
    check(sorted, "qsort-5000-with-duplicates", "not sorted");
}

static void on_exit_first(void) { puts("atexit: registered first, runs last"); }
static void on_exit_second(void) { puts("atexit: registered second, runs first"); }

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "abort") == 0) {
        printf("buffered, never flushed");
        abort();
    }
    if (argc >= 2 && strcmp(argv[1], "assert") == 0) {
        assert(argc == 99);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "exit") == 0) {
        printf("exiting with %s (no newline: exit must flush)", argv[2]);
        exit(atoi(argv[2]));
    }
    if (argc >= 2 && strcmp(argv[1], "atexit") == 0) {
        atexit(on_exit_first);
        atexit(on_exit_second);
        return 0;
    }
    test_startup(argc, argv);
    test_errno();
    test_memory_calls();
    test_process_calls();
    test_malloc();
    test_stdio();
    test_no_hidden_malloc();
    test_qsort_big();
    printf("unit: %d passed, %d failed\n", passes, failures);
    return failures != 0;
}
