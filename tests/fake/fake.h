/*
 * tests/fake/fake.h - control panel of the fake platform (fake_sys.c).
 *
 * The fake implements allocator/sys.h over two static buffers (a brk region
 * and an mmap region) and can be told to fail, to hand out dirty memory, to
 * have no brk at all, or to use small segments. It counts what the core
 * asked. Single-threaded: only the unit and stress tests use it.
 */
#ifndef TIDE_FAKE_H
#define TIDE_FAKE_H

#include <stdbool.h>
#include <stddef.h>

#define FAKE_BRK_REGION  ((size_t)64 << 20)   /* bytes the break can move over */
#define FAKE_MMAP_REGION ((size_t)256 << 20)  /* bytes tide_sys_mmap hands out */
#define FAKE_DIRTY_BYTE  0xa5                 /* what dirty memory is filled with */

/* What the platform looks like. fake_config_default() gives a Linux-like one. */
struct fake_config {
    size_t page_size;     /* caps.page_size: power of two, 4 KiB .. 64 KiB */
    size_t segment_size;  /* caps.segment_size (0: the core's default, 64 MiB) */
    size_t brk_limit;     /* the break may grow this far above the region start */
    size_t brk_offset;    /* the first break is region start + this (misaligned) */
    bool no_brk;          /* tide_sys_brk never moves: an mmap-only OS */
    size_t mmap_fail_at;  /* the Nth tide_sys_mmap call from now fails (0: none) */
    bool mmap_fail_after; /* ... and so does every later one */
    size_t mmap_limit;    /* at most this many bytes mapped at once */
    bool dirty;           /* fresh memory is FAKE_DIRTY_BYTE, caps say not zeroed */
    bool purge;           /* offer caps.purge */
    bool remap;           /* offer caps.remap */
    size_t huge_page;     /* offer caps.hugepage with this huge page size (0: not) */
    bool quiet;           /* do not echo core messages to the real stderr */
    const char *const *env; /* NULL-terminated "NAME=value" list for caps.getenv */
};

/* What the core asked for since the last fake_reset. */
struct fake_counters {
    size_t init_calls;
    size_t brk_calls, brk_failed;         /* brk calls that tried to move it */
    size_t mmap_calls, mmap_failed, munmap_calls;
    size_t purge_calls, remap_calls;
    size_t hugepage_calls, huge_bytes;    /* ranges asked for huge pages */
    size_t huge_lo, huge_hi;              /* the lowest and highest address asked */
    size_t write_calls, abort_calls;
    size_t brk_bytes;                     /* break - region start, now */
    size_t mapped_bytes, peak_mapped_bytes;
    /* contract violations by the core: mmap of 0 or unaligned length,
     * munmap of something never mapped or outside the region, ... */
    size_t contract_violations;
};

/* Fills *cfg with the defaults: 4 KiB pages, 1 MiB segments, the whole
 * regions usable, zeroed memory, purge and remap offered, quiet. */
void fake_config_default(struct fake_config *cfg);

/* A program that never calls fake_reset gets the defaults changed by the
 * environment variable TIDE_FAKE (see fake_sys.c), e.g. "no_brk,dirty",
 * and caps.getenv reads the real environment (TIDE_PROFILE, ...).
 *
 * Forgets every mapping, moves the break back to its start, clears the
 * counters and messages, and applies *cfg (NULL: the defaults). Call it
 * before tide_reset(), which calls tide_sys_init again. */
void fake_reset(const struct fake_config *cfg);

/* Changes the failure plan without a reset. */
void fake_set_brk_limit(size_t bytes);
void fake_fail_mmap(size_t nth_call_from_now, bool and_after);
/* Echo (or not) the core's messages to the real stderr (fd 2). */
void fake_set_quiet(bool quiet);

/* Moves the break by bytes behind the core's back (another library called
 * sbrk). Returns false if the region has no room. */
bool fake_foreign_sbrk(size_t bytes);

const struct fake_counters *fake_counters(void);
/* Everything the core wrote to its error channel since the last reset or
 * fake_clear_messages, NUL-terminated (truncated at 64 KiB). */
const char *fake_messages(void);
void fake_clear_messages(void);

/* Where a pointer lies. */
bool fake_in_brk_region(const void *p);
bool fake_in_mmap_region(const void *p);
/* How many host pages of [p, p+len) are resident (were touched since they
 * were last released): proves that memory was, or was not, written. */
size_t fake_resident_pages(const void *p, size_t len);
/* The first break (region start + brk_offset). */
void *fake_brk_start(void);

#endif
