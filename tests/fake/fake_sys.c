/*
 * tests/fake/fake_sys.c - a fake platform for the core: allocator/sys.h over
 * two static buffers, failing on demand (see fake.h).
 *
 * Pages that are not handed out are PROT_NONE, so a core that touches memory
 * it unmapped or never got dies with SIGSEGV instead of passing by luck.
 * Single-threaded on purpose: only single-threaded tests link it.
 *
 *   brk region:  [start .. break)  read-write, [break .. end)  PROT_NONE
 *   mmap region: OS_PAGE-sized slots, each free (PROT_NONE) or mapped (RW)
 */
#define _GNU_SOURCE
#include "fake.h"
#include "sys.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define OS_PAGE    ((size_t)4096)       /* protection granularity of the host */
#define MMAP_PAGES (FAKE_MMAP_REGION / OS_PAGE)
#define MSG_MAX    ((size_t)64 << 10)

#define MAX_PAGE   ((size_t)64 << 10)       /* the biggest page_size the fake offers */

/* The regions start MAX_PAGE-aligned whatever the loader did with the
 * section alignment (valgrind's loader ignores it): aligned at first use. */
static unsigned char brk_space[FAKE_BRK_REGION + MAX_PAGE] __attribute__((aligned(4096)));
static unsigned char mmap_space[FAKE_MMAP_REGION + MAX_PAGE] __attribute__((aligned(4096)));
static unsigned char *brk_region, *mmap_region;
static unsigned char page_mapped[MMAP_PAGES]; /* 1: slot handed out */

static struct fake_config cfg;
static struct fake_counters counters;
static bool set_up;
static unsigned char *brk_cur;
static size_t mmap_calls_since_plan; /* numbering for mmap_fail_at */
static size_t mapped_pages;
static size_t rover;                 /* next-fit start, so freed slots age */
static char messages[MSG_MAX];
static const char *(*env_lookup)(const char *name); /* NULL: cfg.env */
static size_t messages_len;

static void move_break(unsigned char *new_brk);

static uintptr_t round_up(uintptr_t x, size_t to) { return (x + to - 1) & ~(uintptr_t)(to - 1); }

/* Makes [lo, hi) (OS-page aligned) inaccessible and zero for next time. */
static void release_range(void *lo, size_t len)
{
    if (len == 0)
        return;
    if (madvise(lo, len, MADV_DONTNEED) != 0 || mprotect(lo, len, PROT_NONE) != 0) {
        perror("fake: madvise/mprotect");
        abort();
    }
}

/* Makes [lo, lo+len) readable and writable; dirty mode fills it. */
static void grant_range(void *lo, size_t len)
{
    if (len == 0)
        return;
    if (mprotect(lo, len, PROT_READ | PROT_WRITE) != 0) {
        perror("fake: mprotect");
        abort();
    }
}

void fake_config_default(struct fake_config *c)
{
    memset(c, 0, sizeof *c);
    c->page_size = OS_PAGE;
    c->segment_size = (size_t)1 << 20;
    c->brk_limit = FAKE_BRK_REGION;
    c->mmap_limit = FAKE_MMAP_REGION;
    c->purge = true;
    c->remap = true;
    c->quiet = true;
}

void fake_reset(const struct fake_config *c)
{
    if (c)
        cfg = *c;
    else
        fake_config_default(&cfg);
    if (cfg.page_size < OS_PAGE || cfg.page_size > MAX_PAGE || (cfg.page_size & (cfg.page_size - 1))) {
        fprintf(stderr, "fake: page size %zu is not a power of two in 4 KiB..64 KiB\n", cfg.page_size);
        abort();
    }
    if (cfg.brk_limit > FAKE_BRK_REGION)
        cfg.brk_limit = FAKE_BRK_REGION;
    if (cfg.mmap_limit == 0 || cfg.mmap_limit > FAKE_MMAP_REGION)
        cfg.mmap_limit = FAKE_MMAP_REGION;
    memset(&counters, 0, sizeof counters);
    brk_region = (unsigned char *)round_up((uintptr_t)brk_space, MAX_PAGE);
    mmap_region = (unsigned char *)round_up((uintptr_t)mmap_space, MAX_PAGE);
    release_range(brk_space, sizeof brk_space);
    release_range(mmap_space, sizeof mmap_space);
    memset(page_mapped, 0, sizeof page_mapped);
    brk_cur = brk_region;
    if (cfg.brk_offset < cfg.brk_limit)
        move_break(brk_region + cfg.brk_offset);
    mmap_calls_since_plan = 0;
    env_lookup = NULL;
    mapped_pages = 0;
    rover = 0;
    fake_clear_messages();
    set_up = true;
}

/* TIDE_FAKE="no_brk,dirty,no_purge,no_remap,page=16384,segment=1048576,
 *            brk_limit=N,mmap_limit=N"
 * sets up a program that links the fake but never calls fake_reset (the
 * stress test, which knows only tide.h). */
static void config_from_env(struct fake_config *c)
{
    const char *e = getenv("TIDE_FAKE");

    fake_config_default(c);
    while (e && *e) {
        size_t len = strcspn(e, ",");
        const char *eq = memchr(e, '=', len);
        size_t value = eq ? strtoul(eq + 1, NULL, 0) : 0;
        if (strncmp(e, "no_brk", len) == 0)
            c->no_brk = true;
        else if (strncmp(e, "dirty", len) == 0)
            c->dirty = true;
        else if (strncmp(e, "no_purge", len) == 0)
            c->purge = false;
        else if (strncmp(e, "no_remap", len) == 0)
            c->remap = false;
        else if (strncmp(e, "page=", 5) == 0)
            c->page_size = value;
        else if (strncmp(e, "segment=", 8) == 0)
            c->segment_size = value;
        else if (strncmp(e, "brk_limit=", 10) == 0)
            c->brk_limit = value;
        else if (strncmp(e, "mmap_limit=", 11) == 0)
            c->mmap_limit = value;
        else
            fprintf(stderr, "fake: ignoring unknown TIDE_FAKE item %.*s\n", (int)len, e);
        e += len + (e[len] == ',');
    }
}

static const char *real_getenv(const char *name) { return getenv(name); }

static void ensure_set_up(void)
{
    struct fake_config c;

    if (!set_up) {
        config_from_env(&c);
        fake_reset(&c);
        env_lookup = real_getenv; /* TIDE_PROFILE etc. from the environment */
    }
}

void fake_set_brk_limit(size_t bytes)
{
    cfg.brk_limit = bytes < FAKE_BRK_REGION ? bytes : FAKE_BRK_REGION;
}

void fake_fail_mmap(size_t nth_call_from_now, bool and_after)
{
    cfg.mmap_fail_at = nth_call_from_now;
    cfg.mmap_fail_after = and_after;
    mmap_calls_since_plan = 0;
}

const struct fake_counters *fake_counters(void) { return &counters; }
const char *fake_messages(void) { return messages; }

void fake_clear_messages(void)
{
    messages_len = 0;
    messages[0] = '\0';
}

bool fake_in_brk_region(const void *p)
{
    return (const unsigned char *)p >= brk_region &&
           (const unsigned char *)p < brk_region + FAKE_BRK_REGION;
}

bool fake_in_mmap_region(const void *p)
{
    return (const unsigned char *)p >= mmap_region &&
           (const unsigned char *)p < mmap_region + FAKE_MMAP_REGION;
}

void *fake_brk_start(void) { return brk_region + cfg.brk_offset; }

size_t fake_resident_pages(const void *p, size_t len)
{
    uintptr_t lo = (uintptr_t)p & ~(OS_PAGE - 1);
    size_t n = (round_up((uintptr_t)p + len, OS_PAGE) - lo) / OS_PAGE, resident = 0;
    unsigned char vec[4096];

    for (size_t done = 0; done < n; done += sizeof vec) {
        size_t k = n - done < sizeof vec ? n - done : sizeof vec;
        if (mincore((void *)(lo + done * OS_PAGE), k * OS_PAGE, vec) != 0)
            return SIZE_MAX;
        for (size_t i = 0; i < k; i++)
            resident += vec[i] & 1;
    }
    return resident;
}

void fake_set_quiet(bool quiet) { cfg.quiet = quiet; }

/* ---- brk ----------------------------------------------------------------- */

/* Moves the break to new_brk, which the caller checked is inside the region. */
static void move_break(unsigned char *new_brk)
{
    uintptr_t old_end = round_up((uintptr_t)brk_cur, OS_PAGE);
    uintptr_t new_end = round_up((uintptr_t)new_brk, OS_PAGE);

    if (new_brk > brk_cur) {
        grant_range((void *)old_end, new_end - old_end);
        if (cfg.dirty) {
            memset(brk_cur, FAKE_DIRTY_BYTE, (size_t)(new_brk - brk_cur));
        } else {
            /* Whole pages above the old break are zero (released with
             * MADV_DONTNEED) and stay untouched, as on Linux; only the
             * old partial page may hold data from before a shrink. */
            uintptr_t stop = (uintptr_t)new_brk < old_end ? (uintptr_t)new_brk : old_end;
            memset(brk_cur, 0, stop - (uintptr_t)brk_cur);
        }
    } else {
        release_range((void *)new_end, old_end - new_end);
    }
    brk_cur = new_brk;
    counters.brk_bytes = (size_t)(brk_cur - brk_region);
}

bool fake_foreign_sbrk(size_t bytes)
{
    ensure_set_up();
    if (bytes > (size_t)(brk_region + FAKE_BRK_REGION - brk_cur))
        return false;
    move_break(brk_cur + bytes);
    return true;
}

void *tide_sys_brk(void *addr)
{
    unsigned char *want = addr;

    ensure_set_up();
    if (addr == NULL)
        return cfg.no_brk ? fake_brk_start() : brk_cur;
    counters.brk_calls++;
    if (cfg.no_brk) {
        counters.brk_failed++;
        return fake_brk_start();
    }
    if (want < brk_region || want > brk_region + cfg.brk_limit) {
        counters.brk_failed++;
        return brk_cur;
    }
    move_break(want);
    return brk_cur;
}

/* ---- mmap ------------------------------------------------------------------ */

/* First slot of a run of n free slots starting at a multiple of align
 * slots, searching from the rover and wrapping once; MMAP_PAGES if none. */
static size_t find_free_run(size_t n, size_t align)
{
    for (size_t pass = 0; pass < 2; pass++) {
        size_t i = pass == 0 ? round_up(rover, align) : 0;
        size_t stop = pass == 0 ? MMAP_PAGES : rover + n;
        while (i + n <= MMAP_PAGES && i < stop) {
            size_t run = 0;
            while (run < n && !page_mapped[i + run])
                run++;
            if (run == n)
                return i;
            i = round_up(i + run + 1, align);
        }
    }
    return MMAP_PAGES;
}

static bool mmap_should_fail(void)
{
    size_t n = ++mmap_calls_since_plan;

    if (cfg.mmap_fail_at == 0)
        return false;
    return n == cfg.mmap_fail_at || (cfg.mmap_fail_after && n > cfg.mmap_fail_at);
}

/* Hands out n slots at index i (known free). */
static void *map_slots(size_t i, size_t n)
{
    unsigned char *p = mmap_region + i * OS_PAGE;

    memset(page_mapped + i, 1, n);
    mapped_pages += n;
    counters.mapped_bytes = mapped_pages * OS_PAGE;
    if (counters.mapped_bytes > counters.peak_mapped_bytes)
        counters.peak_mapped_bytes = counters.mapped_bytes;
    grant_range(p, n * OS_PAGE);
    if (cfg.dirty)
        memset(p, FAKE_DIRTY_BYTE, n * OS_PAGE);
    rover = i + n;
    return p;
}

static void unmap_slots(size_t i, size_t n)
{
    for (size_t k = i; k < i + n; k++) {
        if (page_mapped[k]) {
            page_mapped[k] = 0;
            mapped_pages--;
            release_range(mmap_region + k * OS_PAGE, OS_PAGE);
        }
    }
    counters.mapped_bytes = mapped_pages * OS_PAGE;
}

void *tide_sys_mmap(size_t len)
{
    size_t n, i;

    ensure_set_up();
    counters.mmap_calls++;
    if (len == 0 || len % cfg.page_size != 0) {
        counters.contract_violations++;
        fprintf(stderr, "fake: mmap of bad length %zu\n", len);
        return NULL;
    }
    n = len / OS_PAGE;
    i = MMAP_PAGES;
    if (!mmap_should_fail() && len <= cfg.mmap_limit - mapped_pages * OS_PAGE)
        i = find_free_run(n, cfg.page_size / OS_PAGE);
    if (i == MMAP_PAGES) {
        counters.mmap_failed++;
        return NULL;
    }
    return map_slots(i, n);
}

/* True if [addr, addr+len) is a page-aligned range inside the mmap region. */
static bool valid_mmap_range(const void *addr, size_t len)
{
    uintptr_t a = (uintptr_t)addr;

    return len != 0 && a % cfg.page_size == 0 && len % cfg.page_size == 0 &&
           fake_in_mmap_region(addr) &&
           len <= (size_t)(mmap_region + FAKE_MMAP_REGION - (unsigned char *)addr);
}

static bool all_mapped(size_t i, size_t n)
{
    for (size_t k = i; k < i + n; k++)
        if (!page_mapped[k])
            return false;
    return true;
}

int tide_sys_munmap(void *addr, size_t len)
{
    size_t i;

    ensure_set_up();
    counters.munmap_calls++;
    if (!valid_mmap_range(addr, len)) {
        counters.contract_violations++;
        fprintf(stderr, "fake: munmap(%p, %zu) outside the mmap region or unaligned\n", addr, len);
        return -1;
    }
    i = (size_t)((unsigned char *)addr - mmap_region) / OS_PAGE;
    if (!all_mapped(i, len / OS_PAGE)) {
        counters.contract_violations++;
        fprintf(stderr, "fake: munmap(%p, %zu) of pages never mapped\n", addr, len);
    }
    unmap_slots(i, len / OS_PAGE);
    return 0;
}

/* ---- optional capabilities ------------------------------------------------ */

static bool fake_purge(void *addr, size_t len)
{
    unsigned char *p = addr;
    bool in_brk = p >= brk_region && len <= (size_t)(brk_cur - p);

    counters.purge_calls++;
    if ((uintptr_t)p % cfg.page_size || len % cfg.page_size || len == 0 ||
        !(in_brk || (valid_mmap_range(p, len) &&
                     all_mapped((size_t)(p - mmap_region) / OS_PAGE, len / OS_PAGE)))) {
        counters.contract_violations++;
        fprintf(stderr, "fake: purge(%p, %zu) of memory not handed out\n", addr, len);
        return false;
    }
    /* The contract: purged pages read as zero. As on Linux, they also stop
     * being resident (the regions are private anonymous memory). */
    if (madvise(p, len, MADV_DONTNEED) != 0)
        memset(p, 0, len);
    return true;
}

/* The contract: whole huge pages of the brk heap, below the break. The
 * fake has none to give: it records what was asked. */
static bool fake_hugepage(void *addr, size_t len)
{
    unsigned char *p = addr;

    counters.hugepage_calls++;
    if ((uintptr_t)p % cfg.huge_page || len % cfg.huge_page || len == 0 || p < brk_region ||
        len > (size_t)(brk_cur - p)) {
        counters.contract_violations++;
        fprintf(stderr, "fake: hugepage(%p, %zu) not whole huge pages below the break\n", addr, len);
        return false;
    }
    counters.huge_bytes += len;
    if (!counters.huge_lo || (uintptr_t)p < counters.huge_lo) counters.huge_lo = (uintptr_t)p;
    if ((uintptr_t)p + len > counters.huge_hi) counters.huge_hi = (uintptr_t)p + len;
    return true;
}

static void *fake_remap(void *addr, size_t old_len, size_t new_len)
{
    size_t i, old_n, new_n;

    counters.remap_calls++;
    if (!valid_mmap_range(addr, old_len) || new_len == 0 || new_len % cfg.page_size) {
        counters.contract_violations++;
        fprintf(stderr, "fake: remap(%p, %zu, %zu) invalid\n", addr, old_len, new_len);
        return NULL;
    }
    i = (size_t)((unsigned char *)addr - mmap_region) / OS_PAGE;
    old_n = old_len / OS_PAGE;
    new_n = new_len / OS_PAGE;
    if (new_n <= old_n) {
        unmap_slots(i + new_n, old_n - new_n);
        return addr;
    }
    if (cfg.mmap_fail_at && cfg.mmap_fail_after && mmap_calls_since_plan >= cfg.mmap_fail_at)
        return NULL;
    if ((new_n - old_n) * OS_PAGE > cfg.mmap_limit - mapped_pages * OS_PAGE)
        return NULL;
    if (i + new_n <= MMAP_PAGES && !memchr(page_mapped + i + old_n, 1, new_n - old_n)) {
        map_slots(i + old_n, new_n - old_n);
        return addr;
    }
    size_t j = find_free_run(new_n, cfg.page_size / OS_PAGE);
    if (j == MMAP_PAGES)
        return NULL;
    void *to = map_slots(j, new_n);
    memcpy(to, addr, old_len);
    unmap_slots(i, old_n);
    return to;
}

static void fake_set_errno(enum tide_error err)
{
    errno = err == TIDE_ENOMEM ? ENOMEM : err == TIDE_EINVAL ? EINVAL : EIO;
}

static const char *fake_getenv(const char *name)
{
    size_t n = strlen(name);

    if (env_lookup)
        return env_lookup(name);
    for (const char *const *e = cfg.env; e && *e; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

/* ---- the rest of the contract ---------------------------------------------- */

void tide_sys_init(struct tide_sys_caps *caps)
{
    ensure_set_up();
    counters.init_calls++;
    caps->page_size = cfg.page_size;
    caps->brk_zeroed = !cfg.dirty;
    caps->mmap_zeroed = !cfg.dirty;
    caps->segment_size = cfg.segment_size;
    caps->purge = cfg.purge ? fake_purge : NULL;
    caps->remap = cfg.remap ? fake_remap : NULL;
    caps->hugepage = cfg.huge_page ? fake_hugepage : NULL;
    caps->huge_page = cfg.huge_page;
    caps->set_errno = fake_set_errno;
    caps->getenv = fake_getenv;
}

void tide_sys_write(const char *msg, size_t len)
{
    size_t room = MSG_MAX - 1 - messages_len;
    size_t n = len < room ? len : room;

    counters.write_calls++;
    memcpy(messages + messages_len, msg, n);
    messages_len += n;
    messages[messages_len] = '\0';
    if (!cfg.quiet) {
        ssize_t r = write(2, msg, len);
        (void)r;
    }
}

_Noreturn void tide_sys_abort(void)
{
    counters.abort_calls++;
    signal(SIGABRT, SIG_DFL);
    abort();
}
