/*
 * allocator/remote.c - frees of blocks that belong to another thread's
 * arena. Instead of taking that arena's lock (and fighting its owner for
 * it), the block is pushed onto the arena's remote list with one
 * compare-and-swap; whoever next holds the arena's lock (usually the owner,
 * when its cache runs dry) moves the whole list into the bins at once.
 *
 * The list is a stack that many threads push to and only a lock holder
 * empties (by swapping in NULL), so there is no ABA problem.
 *
 * Walking it is a chain of cache misses: each block was last written by
 * the thread that freed it, on another core, and the next address is only
 * known once the block is read (250 cycles a block in prodcons). So each
 * sender stores in every block the one it sent SEND_AHEAD blocks before
 * (tcache_send), which the walk meets SEND_AHEAD steps later, and the walk
 * prefetches it: the misses overlap (85 cycles a block).
 */
#include "internal.h"

/* When a's remote list holds this many bytes, or a has no thread left, a
 * pusher that finds the lock free drains it itself: an arena whose owner
 * has gone quiet or away still gets its memory back. An owner that
 * allocates drains its list on its cache misses; a pusher that drained it
 * for it would turn its blocks into bin chunks it must then split again
 * (at 256 KiB, the consumer of prodcons did so for 70% of the blocks). */
#define DRAIN_BYTES ((size_t)4 << 20)

/* Hands the in-use blocks first..last (linked by next) of arena a back to
 * it without its lock: one CAS for the whole chain. */
void remote_push_chain(struct arena *a, struct tc_entry *first, struct tc_entry *last, size_t bytes)
{
    struct tc_entry *old = atomic_load_explicit(&a->remote, memory_order_relaxed);
    do {
        last->next = old;
    } while (!atomic_compare_exchange_weak_explicit(&a->remote, &old, first, memory_order_release,
                                                    memory_order_relaxed));
    size_t held = atomic_fetch_add_explicit(&a->remote_bytes, bytes, memory_order_relaxed) + bytes;
    if ((held >= DRAIN_BYTES || a->threads == 0) && lock_try(&a->lock)) {
        remote_drain(a);
        lock_drop(&a->lock);
    }
}

void remote_push(struct arena *a, struct tc_entry *e)
{
    size_t sz = block_size(e);
    e->key = g.tcache_key;
    if (has_ahead(sz)) e->ahead = e;
    remote_push_chain(a, e, e, sz);
}

/* Starts fetching, for writing, the first words of a block further down
 * a remote list (named by e, a block of sz bytes): its link, and for most
 * chunks their header, in the same line. (Not the line before a block
 * that starts one, where a chunk's header then is: for a slot, which
 * starts a line whenever it is of 64, 128 or 256 bytes, that line is
 * another block's, and telling the two apart cost 5 instructions a block
 * in the drain.) A prefetch never faults: a stale pointer costs nothing
 * but the fetch. */
__attribute__((always_inline)) static inline void prefetch_ahead(const struct tc_entry *e, size_t sz)
{
    if (has_ahead(sz)) __builtin_prefetch(e->ahead, 1);
}

/* Takes a's whole remote list. pre: a->lock held. */
static struct tc_entry *take_all(struct arena *a)
{
    if (!atomic_load_explicit(&a->remote, memory_order_relaxed)) return NULL;
    return atomic_exchange_explicit(&a->remote, NULL, memory_order_acquire);
}

/* Counts off the bytes of a taken list once it is walked. */
static void taken(struct arena *a, size_t bytes)
{
    atomic_fetch_sub_explicit(&a->remote_bytes, bytes, memory_order_relaxed);
}

/* Frees every block on a's remote list into its bins (neighbours in a row
 * as one chunk). pre: a->lock held. */
void remote_drain(struct arena *a)
{
    size_t bytes = 0;
    struct gather run = { NULL, 0 };
    for (struct tc_entry *e = take_all(a), *next; e; e = next) {
        next = e->next;
        size_t sz = block_size(e);
        prefetch_ahead(e, sz);
        e->key = 0;
        bytes += sz;
        gather_free(a, &run, mem2chunk(e));
    }
    gather_end(a, &run);
    taken(a, bytes);
}

/* The owner's drain, on a miss in class `want` (TC_CLASSES: a medium miss):
 * blocks of cacheable sizes, medium ones included (medium.c), go straight
 * into its thread cache while their class has room, so they
 * stay "in use" for the heap: no coalescing now and no splitting later.
 * A class grows for them if it is `want` or has been missing (its refill
 * run is growing: a thread that only allocates them); a class that
 * overflows lately does not (its thread frees enough of them itself, and
 * blocks pinned there would grow the heap); one that could not grow is
 * not asked again in the same drain. A class found full here after it ran
 * dry swings as one that overflows in a free does (tcache_overflow), and
 * may grow as far: a producer, whose classes only ever fill from the
 * drain, sent 23% of what came back to the pages and took it out again
 * (slab_free_run 65 instructions a slot), prodcons at scale 0.5 261.8 M
 * instructions; with the swings, 232.6 M and the same peak. The rest go
 * into the bins, where any size can use them, and slots to their pages,
 * together at the end (slab_free_run, a page at a time).
 * pre: a->lock held, tc is a real cache of a thread owning a. */
void remote_drain_to_cache(struct arena *a, struct tcache *tc, size_t want)
{
    struct tc_entry *e = take_all(a);
    if (!e) return; /* most misses: skip the count, an atomic add on the senders' line */
    size_t bytes = 0;
    struct gather run = { NULL, 0 };
    struct tc_entry *slots = NULL; /* no room for them: to their pages, in one pass */
    uint64_t full[(TC_CLASSES + 63) / 64] = { 0 }; /* classes that could not grow */
    for (struct tc_entry *next; e; e = next) {
        next = e->next;
        size_t sz, i = block_info(e, &sz);
        prefetch_ahead(e, sz);
        bytes += sz;
        bool room = i < TC_CLASSES && tc_room(tc, i);
        if (!room && i < TC_CLASSES && (i == want || tc->refill[i].shift) && !((full[i / 64] >> (i % 64)) & 1)) {
            room = tcache_grow(tc, i, tcache_swung(tc, i));
            if (!room) full[i / 64] |= (uint64_t)1 << (i % 64);
        }
        if (room) {
            tc_push(tc, i, e, g.tcache_key);
        } else if (in_slab_area(e)) {
            e->next = slots;
            slots = e;
        } else if (!mc_put(tc, e, sz)) {
            e->key = 0;
            gather_chunk(a, &run, mem2chunk(e)); /* the slots went to their own list */
        }
    }
    gather_end(a, &run);
    /* All of a's (its own remote list); anything else goes home. */
    for (struct tc_entry *rest = slots ? slab_free_run(a, slots) : NULL, *n; rest; rest = n) {
        n = rest->next;
        remote_push(segment_of(rest)->arena, rest);
    }
    taken(a, bytes);
}

/* True if e waits on a's remote list (double-free check). pre: a->lock
 * held, so no node leaves the list while it is walked. */
bool remote_contains(struct arena *a, const struct tc_entry *e)
{
    for (struct tc_entry *r = atomic_load_explicit(&a->remote, memory_order_acquire); r; r = r->next)
        if (r == e) return true;
    return false;
}
