/*
 * allocator/remote.c - frees of blocks that belong to another thread's
 * arena. Instead of taking that arena's lock (and fighting its owner for
 * it), the block is pushed onto the arena's remote list with one
 * compare-and-swap; whoever next holds the arena's lock (usually the owner,
 * when its cache runs dry) moves the whole list into the bins at once.
 *
 * The list is a stack that many threads push to and only a lock holder
 * empties (by swapping in NULL), so there is no ABA problem.
 */
#include "internal.h"

/* How many remote pushes a thread makes between attempts to drain the
 * arena itself (if its lock happens to be free): an arena whose owner has
 * gone quiet still gets its memory back. */
#define DRAIN_EVERY 64
static TIDE_THREAD_LOCAL unsigned pushes __attribute__((tls_model("initial-exec")));

/* Hands an in-use block of arena a back to it without its lock. */
void remote_push(struct arena *a, struct tc_entry *e)
{
    struct tc_entry *old = atomic_load_explicit(&a->remote, memory_order_relaxed);
    e->key = g.tcache_key;
    do {
        e->next = old;
    } while (!atomic_compare_exchange_weak_explicit(&a->remote, &old, e, memory_order_release,
                                                    memory_order_relaxed));
    if (++pushes % DRAIN_EVERY == 0 && lock_try(&a->lock)) {
        remote_drain(a);
        lock_drop(&a->lock);
    }
}

/* Frees every block on a's remote list into its bins. pre: a->lock held. */
void remote_drain(struct arena *a)
{
    if (!atomic_load_explicit(&a->remote, memory_order_relaxed)) return;
    struct tc_entry *e = atomic_exchange_explicit(&a->remote, NULL, memory_order_acquire);
    while (e) {
        struct tc_entry *next = e->next;
        e->key = 0;
        arena_free(a, mem2chunk(e));
        e = next;
    }
}

/* The owner's drain: blocks of cacheable sizes go straight into its thread
 * cache while their class has room (they stay "in use" for the heap, so no
 * coalescing now and no splitting later); the rest into the bins.
 * pre: a->lock held, tc is a real cache of a thread owning a. */
void remote_drain_to_cache(struct arena *a, struct tcache *tc)
{
    if (!atomic_load_explicit(&a->remote, memory_order_relaxed)) return;
    struct tc_entry *e = atomic_exchange_explicit(&a->remote, NULL, memory_order_acquire);
    while (e) {
        struct tc_entry *next = e->next;
        size_t sz = csize(mem2chunk(e)), i = tc_index_for_chunk(sz);
        if (sz <= TC_MAX_CHUNK && tc->room[i]) {
            tc_push(tc, i, e, g.tcache_key);
        } else {
            e->key = 0;
            arena_free(a, mem2chunk(e));
        }
        e = next;
    }
}

/* True if e waits on a's remote list (double-free check). pre: a->lock
 * held, so no node leaves the list while it is walked. */
bool remote_contains(struct arena *a, const struct tc_entry *e)
{
    for (struct tc_entry *r = atomic_load_explicit(&a->remote, memory_order_acquire); r; r = r->next)
        if (r == e) return true;
    return false;
}
