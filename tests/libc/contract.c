/*
 * tests/libc/contract.c - the port checklist as a program. A porter builds
 * it with our libc, runs it on their kernel, and reads what is wrong: each
 * line is "ok NAME" or "FAIL NAME: what the kernel did; what breaks; what
 * to change". REQUIRED items are what the libc and the allocator rely on;
 * DEMOS items only matter to the seeds' demos; OPTIONAL ones make things
 * faster. docs/PORTING.md explains each. Ends with "contract: N passed, M failed" (exit 1 on a failure).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tide.h"

#define PAGE 4096UL

static int passes, failures;

static void item(int ok, const char *kind, const char *name, const char *why)
{
    if (ok) {
        printf("ok %s\n", name);
        passes++;
    } else {
        printf("FAIL %s [%s]: %s\n", name, kind, why);
        failures++;
    }
}

static int is_zero(const volatile char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* The raw brk: returns the break, never -errno (Linux semantics). */
static char *raw_brk(void *addr)
{
    return (char *)syscall(SYS_brk, addr);
}

static __thread int tls_probe = 7;

static void startup(int argc, char **argv)
{
    item(argc >= 1 && argv[0] && argv[argc] == NULL, "REQUIRED", "initial-stack-argv",
         "argc/argv not laid out as the System V ABI says (rsp -> argc, argv..., NULL)");
    uintptr_t self;
    __asm__("mov %%fs:0, %0" : "=r"(self));
    item(tls_probe == 7 && self != 0, "REQUIRED", "arch-prctl-set-fs",
         "thread-local variables do not work: implement arch_prctl(ARCH_SET_FS) (158)");
    item(write(1, "", 0) == 0 && write(-5, "x", 1) == -1 && errno == EBADF, "REQUIRED",
         "write-returns-count-or-ebadf", "write(2) must return the count, -EBADF for a bad fd");
}

static void brk_semantics(void)
{
    char *b0 = raw_brk(0);
    item(b0 != NULL && (intptr_t)b0 > 0, "REQUIRED", "brk-0-returns-break",
         "brk(0) must return the current break (the end of the program's data)");
    char *b1 = raw_brk(b0 + 64 * 1024);
    item(b1 == b0 + 64 * 1024, "REQUIRED", "brk-grows",
         "brk(old + 64 KiB) must return the new break; the allocator then has no heap "
         "(it falls back to mmap segments, slower, no [heap] for the demos)");
    if (b1 != b0 + 64 * 1024)
        return;
    item(is_zero(b0, 64 * 1024), "REQUIRED", "brk-memory-is-zero",
         "new brk memory must read as zero; otherwise set caps.brk_zeroed = false in "
         "tide_sys_init or calloc returns dirty memory");
    memset(b0, 0x5a, 64 * 1024);
    char *b2 = raw_brk(b0 + 4096);
    item(b2 == b0 + 4096, "REQUIRED", "brk-shrinks", "brk(lower) must move the break down");
    char *b3 = raw_brk(b0 + 64 * 1024);
    item(b3 == b0 + 64 * 1024 && is_zero(b0 + 4096, 60 * 1024), "REQUIRED",
         "brk-regrown-memory-is-zero",
         "memory given back by a shrinking brk must read as zero when the break grows again");
    char *huge = raw_brk((char *)0x7ffffffff000 - 4096);
    item(huge == b3, "REQUIRED", "brk-failure-returns-old-break",
         "a brk that cannot be satisfied must return the old break (not -ENOMEM, not 0)");
    raw_brk(b0);
}

static void mmap_semantics(void)
{
    errno = 0;
    char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    item(m != MAP_FAILED && ((uintptr_t)m & (PAGE - 1)) == 0, "REQUIRED", "mmap-anonymous",
         "mmap(NULL, len, RW, PRIVATE|ANONYMOUS, -1, 0) must return a page-aligned address");
    if (m == MAP_FAILED)
        return;
    item(is_zero(m, 3 * PAGE), "REQUIRED", "mmap-memory-is-zero",
         "anonymous memory must read as zero (else set caps.mmap_zeroed = false)");
    m[0] = 1, m[PAGE] = 2, m[2 * PAGE] = 3;
    char *b = raw_brk(0);
    item(m + 3 * PAGE <= b || m >= b + 64 * 1024 * 1024, "REQUIRED", "mmap-away-from-brk",
         "mappings must leave room above the break for the heap to grow");
    item(munmap(m + PAGE, PAGE) == 0, "REQUIRED", "munmap-middle-of-mapping",
         "munmap of a page inside a mapping must split it (the allocator trims this way)");
    item(m[0] == 1 && m[2 * PAGE] == 3, "REQUIRED", "munmap-keeps-the-rest",
         "the pages around an unmapped hole must keep their contents");
    item(munmap(m, PAGE) == 0 && munmap(m + 2 * PAGE, PAGE) == 0, "REQUIRED",
         "munmap-first-and-last-page", "munmap of the remaining pieces must succeed");
    errno = 0;
    item(munmap(m + 1, PAGE) == -1 && errno == EINVAL, "REQUIRED", "munmap-unaligned-einval",
         "munmap of an unaligned address must fail with -EINVAL");
    errno = 0;
    item(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
             errno == EINVAL,
         "REQUIRED", "mmap-zero-length-einval", "mmap of 0 bytes must fail with -EINVAL");
    char *d = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (d != MAP_FAILED) {
        d[100] = 9;
        item(madvise(d, PAGE, MADV_DONTNEED) == 0 && d[100] == 0, "REQUIRED",
             "madvise-dontneed-zeroes",
             "after madvise(MADV_DONTNEED) the pages must read as zero; else leave caps.purge NULL");
        item(mprotect(d, PAGE, PROT_READ) == 0, "DEMOS", "mprotect-read-only",
             "mprotect is used by the S12 demo");
        munmap(d, PAGE);
    }
    char *r = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = 0;
    char *r2 = r == MAP_FAILED ? MAP_FAILED : mremap(r, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    if (r2 == MAP_FAILED && errno == ENOSYS) {
        item(1, "OPTIONAL", "mremap-absent-realloc-copies", "");
    } else {
        if (r2 != MAP_FAILED)
            r2[63 * PAGE] = 1;
        item(r2 != MAP_FAILED && ((uintptr_t)r2 & (PAGE - 1)) == 0, "OPTIONAL", "mremap-maymove",
             "mremap(MREMAP_MAYMOVE) exists but failed; return -ENOSYS if unsupported");
        if (r2 != MAP_FAILED)
            munmap(r2, 64 * PAGE);
    }
    char *g = mmap(NULL, 1UL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    item(g != MAP_FAILED, "DEMOS", "mmap-1gib-lazily",
         "a 1 GiB mapping must succeed without backing it (demand paging, S3)");
    if (g != MAP_FAILED)
        munmap(g, 1UL << 30);
}

static void other_calls(void)
{
    struct timespec a, b;
    int ok = clock_gettime(CLOCK_MONOTONIC, &a) == 0 && clock_gettime(CLOCK_MONOTONIC, &b) == 0;
    item(ok && a.tv_nsec < 1000000000L &&
             (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)),
         "REQUIRED", "clock-monotonic",
         "clock_gettime(CLOCK_MONOTONIC) must work and never go back (else leave caps.now_ns NULL)");
    item(sched_yield() == 0 || errno == ENOSYS, "REQUIRED", "sched-yield",
         "sched_yield must return 0 (or -ENOSYS: the allocator then spins)");
    struct rusage r0, r1;
    char *m = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    getrusage(RUSAGE_SELF, &r0);
    for (int i = 0; m != MAP_FAILED && i < 16; i++)
        m[i * PAGE] = 1;
    getrusage(RUSAGE_SELF, &r1);
    item(r1.ru_minflt - r0.ru_minflt >= 16, "DEMOS", "getrusage-minflt",
         "getrusage must count one minor fault per first touch (S3, S7, S12)");
    munmap(m, 16 * PAGE);
    struct rlimit rl;
    item(getrlimit(RLIMIT_DATA, &rl) == 0, "DEMOS", "getrlimit-data", "getrlimit(RLIMIT_DATA) (S13)");
    FILE *f = fopen("/proc/self/maps", "r");
    char line[256];
    int heap = 0;
    void *keep = malloc(100);
    while (f && fgets(line, sizeof line, f))
        heap |= strstr(line, "[heap]") != NULL;
    if (f)
        fclose(f);
    free(keep);
    item(f && heap, "DEMOS", "proc-self-maps", "open/read of /proc/self/maps with a [heap] line");
    errno = 0;
    item(open("/no/such/file", O_RDONLY) == -1 && errno == ENOENT, "REQUIRED",
         "open-missing-enoent", "open of a missing file must fail with -ENOENT");
}

/* The allocator on top of all this: random work, then the full check. */
static void allocator_smoke(void)
{
    static void *slots[512];
    unsigned long seed = 1;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        size_t k = (seed >> 33) % 512;
        size_t size = (seed >> 20) % 4 == 0 ? (seed >> 40) % 300000 : (seed >> 40) % 2000;
        free(slots[k]);
        slots[k] = (seed & 1) ? malloc(size) : calloc(1, size);
        if (slots[k])
            memset(slots[k], (int)k, size < 64 ? size : 64);
    }
    size_t problems = tide_check();
    for (int k = 0; k < 512; k++)
        free(slots[k]);
    item(problems == 0 && tide_check() == 0, "REQUIRED", "allocator-heap-consistent",
         "the allocator's heap check found problems after 20000 operations");
}

int main(int argc, char **argv)
{
    printf("tide port contract: the system calls our libc and allocator rely on\n");
    startup(argc, argv);
    brk_semantics();
    mmap_semantics();
    other_calls();
    allocator_smoke();
    printf("contract: %d passed, %d failed\n", passes, failures);
    return failures != 0;
}
