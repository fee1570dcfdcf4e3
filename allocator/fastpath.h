/*
 * allocator/fastpath.h - the malloc and free fast paths: a pop from and a
 * push onto the thread cache, no lock, no atomic read-modify-write.
 * Inline here so that the shim's malloc/free are these paths themselves,
 * not a jump to them. Everything else goes to alloc_slow / free_slow.
 */
#ifndef TIDE_FASTPATH_H
#define TIDE_FASTPATH_H

#include "internal.h"

__attribute__((always_inline)) static inline void *fast_malloc(size_t n)
{
    struct tcache *tc = tc_self;
    if (LIKELY(n <= TC_MAX_REQUEST)) {
        size_t i = g.req_class[n];
        if (LIKELY(tc->head[i] != NULL)) return tc_pop(tc, i);
        return alloc_slow(n, false);
    }
    return medium_malloc(n);
}

/*
 * The checks of a fast free, each a few instructions, in order:
 *  1. p lies in the slab area, or else in the brk heap, 16-aligned, short
 *     of its end (so its header and first words are readable): the
 *     difference to fast_lo is rotated right by 4, which turns any low bit
 *     into a huge value, then compared with the span / 16.
 *     (free_segment_fast asks the segment map instead.)
 *  2. in the slab area: its page is in use, and p is a slot's start there
 *     (the page's class says the slot size; slot_magic tests the offset);
 *     elsewhere: its size field is a cacheable size with no M, S or F
 *     bit: size - 32 must have no bit outside 0x3f0 (the size) and 0x1
 *     (P); a chunk freed to its arena has F in its header (see
 *     internal.h), so this also refuses a second free of it;
 *  3. it does not carry the cache key (else: maybe a double free: the slow
 *     path looks it up; a slot free in its page carries it too);
 *  4. its class has room.
 *
 * cache_push: checks 3 and 4 and the push of block p into class i.
 * cache_push_checked: checks 2 (the size field) to 4 and the push, for a
 * chunk whose header is readable and whose size field, less `flags` (the
 * S bit in a segment), should be a cacheable size.
 * Both return PUSHED; FULL | i << 2 (the checks passed, but class i has
 * no room: it is left at -1, for free_missed to set back to 0); or OTHER
 * (free_medium for a chunk, which may be a medium block; free_missed for
 * the rest).
 */
enum { OTHER, PUSHED, FULL };
static inline int cache_push(struct tcache *tc, void *p, size_t i)
{
    struct tc_entry *e = p;
    uintptr_t key = g.tcache_key;
    /* Takes a slot first (one read-modify-write); a class that had none
     * is left at -1, and free_missed gives it its 0 back, first thing (so
     * this path touches quota[i] once). tc_empty's rooms, shared by threads
     * without a cache, are never above 0. */
    if (LIKELY(e->key != key)) {
        if (LIKELY((int32_t)(tc->quota[i] -= TC_ROOM_ONE) >= 0)) {
            e->next = tc->head[i];
            e->key = key;
            tc->head[i] = e;
            return PUSHED;
        }
        return FULL | (int)(i << 2);
    }
    return OTHER;
}

static inline int cache_push_checked(struct tcache *tc, void *p, size_t flags)
{
    size_t t = ((size_t *)p)[-1] - MINSIZE - flags;
    if (LIKELY(!(t & ~(size_t)0x3f1))) return cache_push(tc, p, t >> 4);
    return OTHER;
}

__attribute__((always_inline)) static inline void fast_free(void *p)
{
    struct tcache *tc = tc_self;
    uintptr_t s = (uintptr_t)p - g.slab_lo;
    if (LIKELY(s < g.slab_span)) {
        size_t i = g.page_class[s >> SLAB_SHIFT];
        int got = OTHER;
        if (LIKELY(slot_start(s, i))) {
            got = cache_push(tc, p, i);
            if (LIKELY(got == PUSHED)) return;
        }
        free_missed(p, got);
        return;
    }
    uintptr_t d = (uintptr_t)p - g.fast_lo;
    d = (d >> 4) | (d << 60);
    if (LIKELY(d < __atomic_load_n(&g.fast_span16, __ATOMIC_RELAXED))) {
        int got = cache_push_checked(tc, p, 0);
        if (LIKELY(got == PUSHED)) return;
        if (got == OTHER) free_medium(p, 0);
        else free_missed(p, got);
    } else {
        free_segment_fast(p);
    }
}

#endif
