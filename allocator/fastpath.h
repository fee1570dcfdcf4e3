/*
 * allocator/fastpath.h - the malloc and free fast paths: a pop from and a
 * push onto the thread cache, no lock, no atomic read-modify-write.
 * Inline here so that the shim's malloc/free are these paths themselves,
 * not a jump to them. Everything else goes to alloc_slow / free_slow.
 */
#ifndef TIDE_FASTPATH_H
#define TIDE_FASTPATH_H

#include "internal.h"

/* Cache class of a request: chunk sizes 32, 48, ... as request2size. */
static inline size_t tc_index_for_request(size_t n)
{
    size_t k = (n + 7) >> 4;
    return k ? k - 1 : 0;
}

static inline void *fast_malloc(size_t n)
{
    struct tcache *tc = tc_self;
    if (LIKELY(n <= TC_MAX_REQUEST)) {
        size_t i = tc_index_for_request(n);
        if (LIKELY(tc->head[i] != NULL)) return tc_pop(tc, i);
    }
    return alloc_slow(n, false);
}

/*
 * The checks of a fast free, each a few instructions, in order:
 *  1. p lies in the slab area (small blocks, default profile) or else in
 *     the brk heap, 16-aligned, short of its end (so its header and first
 *     words are readable): the difference to slab_lo or fast_lo is rotated
 *     right by 4, which turns any low bit into a huge value, then compared
 *     with the span / 16. (free_segment_fast asks the segment map instead.)
 *  2. its size field is a cacheable size with no M, S or F bit:
 *     size - 32 must have no bit outside 0x3f0 (the size) and 0x1 (P); a
 *     chunk freed to its arena has F in its header (see internal.h), so
 *     this also refuses a second free of it;
 *  3. it does not carry the cache key (else: maybe a double free: the slow
 *     path looks it up);
 *  4. its class has room.
 *
 * cache_push_checked: checks 2 to 4 and the push, for a block whose header
 * is readable and whose size field, less `flags` (the S bit in a segment),
 * should be a cacheable size. Returns PUSHED, FULL (checks 2 and 3 passed,
 * but the class has no room), or OTHER (free_missed: a medium block or
 * something for free_slow).
 */
enum { OTHER, PUSHED, FULL };
static inline int cache_push_checked(struct tcache *tc, void *p, size_t flags)
{
    struct tc_entry *e = p;
    size_t t = ((size_t *)p)[-1] - MINSIZE - flags;
    if (LIKELY(!(t & ~(size_t)0x3f1))) {
        size_t i = t >> 4;
        uintptr_t key = g.tcache_key;
        /* Takes a slot first (one read-modify-write); a class that had
         * none gets its 0 back. (tc_empty's rooms, shared by threads
         * without a cache, only ever hold 0 or -1.) */
        if (LIKELY(e->key != key)) {
            if (LIKELY(--tc->room[i] >= 0)) {
                e->next = tc->head[i];
                e->key = key;
                tc->head[i] = e;
                return PUSHED;
            }
            tc->room[i] = 0;
            return FULL;
        }
    }
    return OTHER;
}

static inline void fast_free(void *p)
{
    struct tcache *tc = tc_self;
    uintptr_t s = (uintptr_t)p - g.slab_lo;
    s = (s >> 4) | (s << 60);
    if (LIKELY(s < g.slab_span16)) {
        int got = cache_push_checked(tc, p, SEGMENT);
        if (LIKELY(got == PUSHED)) return;
        free_missed(p, got);
        return;
    }
    uintptr_t d = (uintptr_t)p - g.fast_lo;
    d = (d >> 4) | (d << 60);
    if (LIKELY(d < __atomic_load_n(&g.fast_span16, __ATOMIC_RELAXED))) {
        int got = cache_push_checked(tc, p, 0);
        if (LIKELY(got == PUSHED)) return;
        free_missed(p, got);
    } else {
        free_segment_fast(p);
    }
}

#endif
