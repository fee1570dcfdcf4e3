/*
 * allocator/sys.h - the platform contract.
 *
 * This is the only thing a port of tide implements: six functions and one
 * table of optional capabilities. The core (allocator/) calls nothing else
 * from its environment. Two ports ship: host/ (Linux, raw system calls) and
 * libc/ (our kernel's system calls); tests/fake/ is a third that fails on
 * demand.
 *
 * Threading: the core calls tide_sys_init once, before anything else, from
 * whichever thread allocates first. The other functions may be called from
 * any thread at any time and must be safe to call concurrently.
 * None of these functions may call malloc (directly or through a library).
 */
#ifndef TIDE_SYS_H
#define TIDE_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes the core hands to caps.set_errno; the port maps them to its
 * own errno values (Linux: ENOMEM 12, EINVAL 22). */
enum tide_error { TIDE_ENOMEM = 1, TIDE_EINVAL = 2 };

/*
 * What the platform can do beyond the six functions. tide_sys_init fills it
 * in; every field the port leaves alone stays zero/NULL and means "cannot".
 */
struct tide_sys_caps {
    /* Page size in bytes: a power of two, >= 4096. Required. */
    size_t page_size;
    /* Memory that tide_sys_brk / tide_sys_mmap hand out for the first time
     * reads as zero. When false, calloc always clears. */
    bool brk_zeroed;
    bool mmap_zeroed;
    /* Size and alignment of the mmap-backed heap segments used by extra
     * arenas and when brk fails (power of two, multiple of page_size).
     * 0: the core picks 64 MiB. A port with little memory picks less. */
    size_t segment_size;
    /* Releases the pages of [addr, addr+len) (page aligned) but keeps the
     * range mapped; they read as zero afterwards (madvise MADV_DONTNEED).
     * Returns true on success. NULL: free pages inside the heap stay. */
    bool (*purge)(void *addr, size_t len);
    /* Moves or resizes a mapping made by tide_sys_mmap (mremap MAYMOVE).
     * Returns the new page-aligned address or NULL (old mapping intact). */
    void *(*remap)(void *addr, size_t old_len, size_t new_len);
    /* Asks for [addr, addr+len) to be backed by huge pages of huge_page
     * bytes when first touched (madvise MADV_HUGEPAGE): one page fault
     * then maps huge_page bytes at once. addr and len are multiples of
     * huge_page; the range is inside the brk heap. Returns true on
     * success. NULL (or huge_page 0): never asked. */
    bool (*hugepage)(void *addr, size_t len);
    size_t huge_page;
    /* Gives up the CPU while a lock is contended. NULL: spin. */
    void (*yield)(void);
    /* Reports a failed allocation to the caller (errno). NULL: nothing. */
    void (*set_errno)(enum tide_error err);
    /* A monotonic clock in nanoseconds, for releasing idle cached memory.
     * NULL: the core uses counts of operations instead. */
    uint64_t (*now_ns)(void);
    /* Looks up a start-up setting by name (an environment variable);
     * returns NULL when unset. Must not allocate. NULL: no settings. */
    const char *(*getenv)(const char *name);
    /* Called once per thread, after that thread's cache is made, so the
     * platform can arrange for tide_thread_exit() at thread exit.
     * NULL on single-threaded platforms. */
    void (*thread_started)(void);
};

/* Fills in *caps. pre: caps is zeroed. Called exactly once. */
void tide_sys_init(struct tide_sys_caps *caps);

/*
 * Linux brk semantics. addr == NULL: returns the current break.
 * Otherwise asks to move the break to addr (up or down) and returns the new
 * break, which is addr on success and the old break on failure. The memory
 * between the old and the new break is readable and writable.
 * A platform without brk returns its constant "break" (or NULL) every time;
 * the core then falls back to mmap segments.
 */
void *tide_sys_brk(void *addr);

/*
 * Maps len bytes of private anonymous read-write memory.
 * pre: len is a non-zero multiple of page_size.
 * Returns a page-aligned address, or NULL on failure (no memory, limit).
 */
void *tide_sys_mmap(size_t len);

/*
 * Unmaps [addr, addr+len), which may be any page-aligned part of one or
 * more earlier mappings (the core trims over-sized mappings this way).
 * Returns 0, or -1 on failure.
 */
int tide_sys_munmap(void *addr, size_t len);

/* Writes a message (not NUL-terminated) to the error channel (stderr). */
void tide_sys_write(const char *msg, size_t len);

/* Ends the process abnormally (SIGABRT on Linux). Never returns. */
_Noreturn void tide_sys_abort(void);

#endif
