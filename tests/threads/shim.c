/*
 * tests/threads/shim.c - the Linux port through the standard names (libtide.a
 * linked in): errno is the real errno, posix_memalign returns EINVAL/ENOMEM,
 * free keeps errno across real munmap and brk calls, glibc's mallopt numbers
 * work, and bad frees end in SIGABRT with the documented line on stderr.
 * Prints "ok NAME" / "FAIL NAME: why", then "shim: N passed, M failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tide.h"

typedef const char *(*shim_case_fn)(void);

/* C23 names glibc 2.36 does not declare yet; the shim defines them. */
void free_sized(void *ptr, size_t size);
void free_aligned_sized(void *ptr, size_t alignment, size_t size);

/* Sizes the compiler cannot see through (it warns about the overflows we
 * are testing on purpose). */
static volatile size_t half_max = SIZE_MAX / 2;

static const char *malloc_huge_sets_errno(void)
{
    static const size_t sizes[] = { SIZE_MAX, SIZE_MAX - 16, (size_t)PTRDIFF_MAX + 1 };

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        errno = 0;
        if (malloc(sizes[i]) != NULL || errno != ENOMEM)
            return "malloc of a huge size: not NULL with errno ENOMEM";
    }
    return NULL;
}

static const char *calloc_reallocarray_overflow_set_errno(void)
{
    void *p = malloc(10);

    errno = 0;
    if (calloc(half_max, 3) != NULL || errno != ENOMEM)
        return "calloc overflow: not NULL with ENOMEM";
    errno = 0;
    if (reallocarray(p, half_max, 3) != NULL || errno != ENOMEM)
        return "reallocarray overflow: not NULL with ENOMEM";
    free(p);
    return NULL;
}

static const char *posix_memalign_error_codes(void)
{
    void *p = &p, *q = NULL;

    if (posix_memalign(&p, 3, 10) != EINVAL || p != &p)
        return "posix_memalign(3): not EINVAL, or *out changed";
    if (posix_memalign(&p, 64, SIZE_MAX - 10) != ENOMEM || p != &p)
        return "posix_memalign(huge): not ENOMEM, or *out changed";
    if (posix_memalign(&q, 4096, 10) != 0 || q == NULL || (uintptr_t)q % 4096)
        return "posix_memalign(4096, 10) failed or misaligned";
    free(q);
    return NULL;
}

static const char *free_keeps_errno_over_real_syscalls(void)
{
    static const size_t sizes[] = { 10, 5000, 200 * 1024, 8 << 20 };

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *p = malloc(sizes[i]);
        memset(p, 1, sizes[i]);
        errno = EILSEQ;
        free(p);
        if (errno != EILSEQ)
            return "free changed errno";
    }
    errno = EILSEQ;
    malloc_trim(0);
    free(NULL);
    return errno == EILSEQ ? NULL : "free(NULL) or malloc_trim changed errno";
}

/* M_MMAP_THRESHOLD moves the line; distinct sizes, so no chunk freed
 * earlier can serve a later request from the heap. */
static const char *glibc_mallopt_numbers_work(void)
{
    struct mallinfo2 before, after;
    void *p;

    if (mallopt(M_MMAP_THRESHOLD, 128 * 1024) != 1)
        return "mallopt(M_MMAP_THRESHOLD) refused";
    before = mallinfo2();
    p = malloc(300 * 1024);
    memset(p, 1, 300 * 1024);
    after = mallinfo2();
    free(p);
    if (after.hblks != before.hblks + 1)
        return "a 300 KiB block was not mmapped under a 128 KiB threshold";
    if (mallopt(M_MMAP_THRESHOLD, 1 << 20) != 1)
        return "mallopt(M_MMAP_THRESHOLD) refused";
    before = mallinfo2();
    p = malloc(700 * 1024);
    memset(p, 1, 700 * 1024);
    after = mallinfo2();
    free(p);
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    return after.hblks == before.hblks ? NULL : "a 700 KiB block was mmapped under a 1 MiB threshold";
}

static const char *usable_size_and_aligned_through_shim(void)
{
    void *p = malloc(100), *q = aligned_alloc(256, 1000), *r = memalign(64, 10);
    void *v = valloc(10), *pv = pvalloc(10);

    if (malloc_usable_size(p) != 112 || malloc_usable_size(NULL) != 0) /* a slab slot, all usable */
        return "malloc_usable_size(malloc(100)) != 112";
    if ((uintptr_t)q % 256 || (uintptr_t)r % 64 || (uintptr_t)v % 4096 || (uintptr_t)pv % 4096 ||
        malloc_usable_size(pv) < 4096)
        return "aligned block misaligned";
    free_sized(p, 100);
    free_aligned_sized(q, 256, 1000);
    free(r);
    free(v);
    free(pv);
    return NULL;
}

/* Resident pages of [p, p+len) (mincore). */
static size_t resident_pages(const void *p, size_t len)
{
    static unsigned char vec[(64 << 20) / 4096 + 2];
    uintptr_t lo = (uintptr_t)p & ~(uintptr_t)4095;
    size_t n = ((uintptr_t)p + len - lo + 4095) / 4096, r = 0;

    if (n > sizeof vec || mincore((void *)lo, n * 4096, vec) != 0)
        return SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        r += vec[i] & 1;
    return r;
}

/* S3/S14: a fresh 64 MiB calloc is not cleared by hand (the kernel's pages
 * are zero), so it costs no resident memory until it is used. */
static const char *calloc_fresh_block_not_touched(void)
{
    unsigned char *p = calloc(1, 64 << 20);
    size_t before, after;

    if (p == NULL)
        return "calloc(64 MiB) failed";
    before = resident_pages(p, 64 << 20);
    memset(p + (1 << 20), 1, 1 << 20);
    after = resident_pages(p, 64 << 20);
    free(p);
    if (before > 2)
        return "calloc touched the pages of a fresh mapping";
    return after >= before + 256 ? NULL : "mincore does not see touched pages";
}

static size_t rss_bytes(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return (size_t)rss * 4096;
}

/* 200 MB in 1 KiB blocks, all freed, malloc_trim(0): the memory goes back
 * to the OS (negative brk, purged pages), resident size falls again. */
static const char *free_all_then_trim_returns_memory(void)
{
#if TIDE_DEBUG >= 2
    enum { N = 20000 }; /* a heap check after every call: 200,000 took hours */
#else
    enum { N = 200000 };
#endif
    static void *p[N];
    size_t base = rss_bytes(), peak, after;

    for (size_t i = 0; i < N; i++) {
        p[i] = malloc(1000);
        if (p[i] == NULL)
            return "malloc returned NULL";
        memset(p[i], 7, 1000);
    }
    peak = rss_bytes();
    for (size_t i = 0; i < N; i++)
        free(p[i]);
    malloc_trim(0);
    after = rss_bytes();
    if (peak < base + (size_t)N * 750) /* 150 MB of 200 MB */
        return "resident size did not grow while N x 1000 bytes were in use";
    return after < base + (size_t)N * 84 ? NULL : "resident size stayed up after free and malloc_trim(0)"; /* 16 MiB */
}

/* ---- stderr: statistics and death tests on the real platform ------------ */

static void *victim;
static _Alignas(16) char not_ours[64];

static void (*volatile free_fn)(void *) = free; /* hides the double free from gcc */

static void double_free(void) { free_fn(victim); free_fn(victim); }
static void free_victim(void) { free(victim); }

/* Runs fn in a child (10 s at most) with stderr on a pipe; returns what
 * it wrote and sets *status to its wait status. */
static const char *stderr_of(void (*fn)(void), int *status)
{
    static char out[4096];
    int fds[2];
    ssize_t n, got = 0;
    pid_t pid;

    out[0] = '\0';
    if (pipe(fds) != 0)
        return out;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        alarm(10);
        fn();
        _exit(0);
    }
    close(fds[1]);
    while (got < (ssize_t)sizeof out - 1 && (n = read(fds[0], out + got, sizeof out - 1 - (size_t)got)) > 0)
        got += n;
    out[got] = '\0';
    close(fds[0]);
    waitpid(pid, status, 0);
    return out;
}

/* Expects fn to end in SIGABRT after writing exactly "tide: <what> <victim>\n". */
static const char *expect_abort_line(void (*fn)(void), const char *what)
{
    static char why[512];
    char want[128];
    int status;
    const char *out = stderr_of(fn, &status);

    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT) {
        snprintf(why, sizeof why, "no SIGABRT (status %#x), stderr \"%s\"", status, out);
        return why;
    }
    snprintf(want, sizeof want, "tide: %s %p\n", what, victim);
    if (strcmp(out, want) != 0) {
        snprintf(why, sizeof why, "stderr \"%s\", expected \"%s\"", out, want);
        return why;
    }
    return NULL;
}

static void print_stats(void)
{
    void *p = malloc(5000);

    malloc_stats();
    free(p);
}

static const char *malloc_stats_prints_glibc_format(void)
{
    int status;
    const char *out = stderr_of(print_stats, &status);

    if (!strstr(out, "Arena 0:") || !strstr(out, "system bytes") || !strstr(out, "in use bytes"))
        return "malloc_stats did not print glibc's format on stderr";
    return NULL;
}

static const char *double_free_small_aborts(void)
{
    victim = malloc(40);
    return expect_abort_line(double_free, "double free of");
}

static const char *double_free_mmapped_aborts(void)
{
    const char *why;

    victim = malloc(4 << 20);
    why = expect_abort_line(double_free, "double free of");
    free(victim);
    return why;
}

/* A block of another thread's arena, freed twice by this thread (the
 * remote path): the owner stays alive, holding its arena. */
static pthread_mutex_t owner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t owner_cond = PTHREAD_COND_INITIALIZER;
static int owner_state; /* 1: block made, 2: may exit */

static void *mine[300];
static int mine_freed_first; /* blocks of the owner the main thread frees before the victim */

/* The other thread's side of the hand-over: ready (state 1), then it
 * stays alive until let go (state 2). */
static void ready_then_wait(void)
{
    pthread_mutex_lock(&owner_lock);
    owner_state = 1;
    pthread_cond_broadcast(&owner_cond);
    while (owner_state != 2)
        pthread_cond_wait(&owner_cond, &owner_lock);
    pthread_mutex_unlock(&owner_lock);
}

/* The main thread's side: starts fn(arg) and waits until it is ready. */
static pthread_t start_and_wait(void *(*fn)(void *), void *arg)
{
    pthread_t tid;

    owner_state = 0;
    pthread_create(&tid, NULL, fn, arg);
    pthread_mutex_lock(&owner_lock);
    while (owner_state != 1)
        pthread_cond_wait(&owner_cond, &owner_lock);
    pthread_mutex_unlock(&owner_lock);
    return tid;
}

static void let_go(pthread_t tid)
{
    pthread_mutex_lock(&owner_lock);
    owner_state = 2;
    pthread_cond_broadcast(&owner_cond);
    pthread_mutex_unlock(&owner_lock);
    pthread_join(tid, NULL);
}

static void *owner_thread(void *arg)
{
    size_t size = *(size_t *)arg;

    for (int i = 0; i < 300; i++) /* past its cache, into its own arena */
        mine[i] = malloc(size);
    victim = mine[10];
    ready_then_wait();
    return NULL;
}

static size_t remote_size;

/* Starts the owner thread and waits until its blocks are made. */
static void start_owner(void)
{
    start_and_wait(owner_thread, &remote_size);
}

static void remote_double_free(void)
{
    start_owner();
    fprintf(stderr, "%p\n", victim);
    for (int i = 300 - mine_freed_first; i < 300; i++)
        free_fn(mine[i]);
    free_fn(victim);
    free_fn(victim);
    free_fn(malloc(remote_size)); /* may make the owner's arena look at its list */
}

/* Runs fn in a child that prints the pointer it is about to free badly
 * (its own victim: the parent's is not that one), then expects exactly
 * "tide: WHAT POINTER" and SIGABRT. */
static const char *expect_printed_victim_abort(void (*fn)(void), const char *what)
{
    static char why[512];
    char want[160];
    int status;
    const char *out;
    void *p = NULL;

    out = stderr_of(fn, &status);
    if (sscanf(out, "%p", &p) != 1)
        return "child printed no pointer";
    snprintf(want, sizeof want, "%p\ntide: %s %p\n", p, what, p);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT || strcmp(out, want) != 0) {
        snprintf(why, sizeof why, "status %#x, stderr \"%s\", expected \"%s\" and SIGABRT", status, out, want);
        return why;
    }
    return NULL;
}

static const char *remote_double_free_aborts(size_t size)
{
    remote_size = size;
    return expect_printed_victim_abort(remote_double_free, "double free of");
}

static const char *remote_double_free_small_aborts(void) { return remote_double_free_aborts(48); }

/* A block freed by a thread that stays alive (its cache, or for a medium
 * block its outbox, keeps it), then by the main thread: the second free
 * finds it in the other thread's cache. */
static void *holder_thread(void *p)
{
    free_fn(malloc(remote_size)); /* its cache exists */
    free_fn(p);
    ready_then_wait();
    return NULL;
}

static void free_in_two_live_threads(void)
{
    void *p = malloc(remote_size);

    fprintf(stderr, "%p\n", p);
    pthread_t tid = start_and_wait(holder_thread, p);
    free_fn(p); /* the process ends here */
    let_go(tid);
}

static const char *double_free_by_two_live_threads_aborts(void)
{
    static const size_t sizes[] = { 48, 600, 5000 };

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const char *why;

        remote_size = sizes[i];
        why = expect_printed_victim_abort(free_in_two_live_threads, "double free of");
        if (why)
            return why;
    }
    return NULL;
}

/* The main thread's cache class is full of the owner's blocks first: the
 * victim waits in its outbox to go home when freed the second time. */
static const char *remote_double_free_in_outbox_aborts(void)
{
    const char *why;

    mine_freed_first = 280;
    why = remote_double_free_aborts(48);
    mine_freed_first = 0;
    return why;
}
static const char *remote_double_free_medium_aborts(void) { return remote_double_free_aborts(3000); }

/* A free inside a segment of another thread's arena that this thread has
 * freed into before (the second segment its cache tells by a range test)
 * is still checked: a pointer into the middle of a block aborts. */
static void interior_free_in_other_segment(void)
{
    start_owner();
    free_fn(mine[20]); /* the segment becomes a known one */
    memset(mine[21], 0, remote_size);
    victim = (char *)mine[21] + 32;
    fprintf(stderr, "%p\n", victim);
    free_fn(victim);
}

static const char *interior_free_in_other_segment_aborts(void)
{
    remote_size = 100;
    return expect_printed_victim_abort(interior_free_in_other_segment, "free(): invalid pointer");
}

static const char *free_foreign_pointer_aborts(void)
{
    victim = not_ours + 16;
    return expect_abort_line(free_victim, "free(): invalid pointer");
}

struct shim_case {
    const char *name;
    shim_case_fn run;
};

static const struct shim_case cases[] = {
    { "malloc-huge-sets-errno", malloc_huge_sets_errno },
    { "calloc-reallocarray-overflow-set-errno", calloc_reallocarray_overflow_set_errno },
    { "posix-memalign-error-codes", posix_memalign_error_codes },
    { "free-keeps-errno-over-real-syscalls", free_keeps_errno_over_real_syscalls },
    { "glibc-mallopt-numbers-work", glibc_mallopt_numbers_work },
    { "usable-size-and-aligned-through-shim", usable_size_and_aligned_through_shim },
    { "calloc-fresh-block-not-touched", calloc_fresh_block_not_touched },
    { "free-all-then-trim-returns-memory", free_all_then_trim_returns_memory },
    { "malloc-stats-prints-glibc-format", malloc_stats_prints_glibc_format },
    { "double-free-small-aborts", double_free_small_aborts },
    { "double-free-mmapped-aborts", double_free_mmapped_aborts },
    { "free-foreign-pointer-aborts", free_foreign_pointer_aborts },
    { "remote-double-free-small-aborts", remote_double_free_small_aborts },
    { "double-free-by-two-live-threads-aborts", double_free_by_two_live_threads_aborts },
    { "remote-double-free-medium-aborts", remote_double_free_medium_aborts },
    { "remote-double-free-in-outbox-aborts", remote_double_free_in_outbox_aborts },
    { "interior-free-in-other-segment-aborts", interior_free_in_other_segment_aborts },
};

int main(void)
{
    size_t passed = 0, failed = 0;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = cases[i].run();
        if (why == NULL && tide_check() != 0)
            why = "tide_check() found problems afterwards";
        printf("%s %s%s%s\n", why ? "FAIL" : "ok", cases[i].name, why ? ": " : "", why ? why : "");
        fflush(stdout);
        why ? failed++ : passed++;
    }
    printf("shim: %zu passed, %zu failed\n", passed, failed);
    return failed != 0;
}
