/*
 * allocator/os.c - every call into the platform's memory functions goes
 * through here, so each one is counted (tide_get_stats, the S1/S7 demos),
 * plus the spin-then-yield wait of the locks.
 */
#include "internal.h"

static void count(atomic_size_t *calls, atomic_size_t *bytes, size_t n)
{
    atomic_fetch_add_explicit(calls, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(bytes, n, memory_order_relaxed);
}

/* Maps len bytes (page multiple); NULL on failure. */
void *os_mmap(size_t len)
{
    void *p = tide_sys_mmap(len);
    if (p) count(&g.st.mmap_calls, &g.st.mmap_bytes, len);
    return p;
}

/* The same for the core's own tables, which must start zeroed: cleared by
 * hand on a platform whose fresh memory may be dirty. */
void *os_mmap_zeroed(size_t len)
{
    void *p = os_mmap(len);
    if (p && !g.caps.mmap_zeroed) __builtin_memset(p, 0, len);
    return p;
}

/* Unmaps; a failure here means our bookkeeping is wrong: stop. */
void os_munmap(void *p, size_t len)
{
    if (tide_sys_munmap(p, len) != 0) tide_panic("munmap failed at", p);
    count(&g.st.munmap_calls, &g.st.munmap_bytes, len);
}

/* Gives the pages of [p, p+len) back, keeping the range mapped. */
void os_purge(void *p, size_t len)
{
    if (g.caps.purge && g.caps.purge(p, len)) count(&g.st.purge_calls, &g.st.purge_bytes, len);
}

/* Maps len bytes aligned to align (a power of two > page) by mapping more
 * and unmapping the slack on both sides. NULL on failure. */
void *os_mmap_aligned(size_t len, size_t align)
{
    if (len + align < len) return NULL;
    char *p = os_mmap(len + align);
    if (!p) return NULL;
    char *q = (char *)align_up((uintptr_t)p, align);
    if (q > p) os_munmap(p, (size_t)(q - p));
    if (q + len < p + len + align) os_munmap(q + len, (size_t)(p + align - q));
    return q;
}

static void update_peak(void)
{
    size_t total = atomic_load_explicit(&g.st.mapped_bytes, memory_order_relaxed) +
                   atomic_load_explicit(&g.st.heap_bytes, memory_order_relaxed);
    size_t peak = atomic_load_explicit(&g.st.peak, memory_order_relaxed);
    while (total > peak &&
           !atomic_compare_exchange_weak_explicit(&g.st.peak, &peak, total, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
}

/* Tracks the bytes held in mmapped blocks, and the peak footprint. */
void stats_mapped(intptr_t bytes, int blocks)
{
    atomic_fetch_add_explicit(&g.st.mapped_blocks, (size_t)(intptr_t)blocks, memory_order_relaxed);
    atomic_fetch_add_explicit(&g.st.mapped_bytes, (size_t)bytes, memory_order_relaxed);
    if (bytes > 0) update_peak();
}

/* Tracks the bytes of the heaps (brk heap and segments), and the peak. */
void stats_heap(intptr_t bytes)
{
    atomic_fetch_add_explicit(&g.st.heap_bytes, (size_t)bytes, memory_order_relaxed);
    if (bytes > 0) update_peak();
}

/* Contended lock: spin a little (the holder is usually quick), then give
 * the CPU away so a preempted holder can finish. */
void lock_wait(struct lock *l)
{
    for (unsigned spins = 0;; spins++) {
        if (!atomic_load_explicit(&l->held, memory_order_relaxed) &&
            !atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
            return;
        if (spins >= 64 && g.caps.yield) g.caps.yield();
#if defined(__x86_64__) || defined(__i386__)
        else __builtin_ia32_pause();
#endif
    }
}
