/*
 * allocator/medium.c - the medium part of a thread cache (default
 * profile): blocks of 1 KiB to 64 KiB that the thread frees, or that other
 * threads send back to its arena, kept for its next requests of about that
 * size instead of going through the bins.
 *
 * Through the bins, such a block costs a merge with its neighbours when it
 * is freed, then a sort out of the unsorted bin, a best-fit search and a
 * split when a block of about its size is asked for: 600-900 instructions
 * and several cache misses for the pair, and the arena's lock. Programs
 * free and ask for these sizes at random (churn, prodcons: 5% of their
 * blocks), so a cache of exact sizes would rarely hit. Here a class holds a
 * quarter of a doubling of sizes:
 *
 *   tc->mhead[k] --> block --> block --> ... NULL    sizes from
 *                   (next, key: as in the small     (4 + k % 4) << (k / 4 + 8)
 *                    classes)                        to the next class's start
 *
 * A request of size nb looks in its own class for a block of at least nb
 * bytes, then takes the first block of the next class if that is no more
 * than a quarter bigger than nb. A block served so may be up to a quarter
 * bigger than asked: malloc_usable_size says so, as it does for a block
 * that was split too short to cut.
 *
 * What keeps this from costing memory: at most MC_BLOCKS blocks a class
 * and MC_BYTES in all (8 and 256 KiB gave churn and prodcons two thirds of
 * the gain, for 0.2-0.3 MiB less peak memory); only blocks of the thread's
 * own arena (another arena's go home as before); not the old block of a
 * realloc that moved (api.c); and the whole cache goes back with the rest
 * of the thread's cache (flush, close, thread exit). The blocks stay in use
 * for the heap and keep the cache key, so a second free of one is caught
 * as for any cached block.
 */
#include "internal.h"

#define MC_BLOCKS 16
#define MC_BYTES ((size_t)512 << 10)

/* Keeps e (a chunk of sz bytes of tc's own arena, being freed) if its
 * class and the byte budget have room. False: the caller frees it. */
bool mc_put(struct tcache *tc, struct tc_entry *e, size_t sz)
{
    if (!tc_real(tc) || !g.cfg.tcache_bytes || !tc->capacity || !mc_size(sz)) return false;
    size_t k = mc_class(sz);
    if (tc->mcount[k] >= MC_BLOCKS || tc->mbytes + sz > MC_BYTES) return false;
    e->next = tc->mhead[k];
    e->key = g.tcache_key;
    tc->mhead[k] = e;
    tc->mcount[k]++;
    tc->mbytes += sz;
    return true;
}

static struct tc_entry *unlink_at(struct tcache *tc, size_t k, struct tc_entry **link)
{
    struct tc_entry *e = *link;
    *link = e->next;
    tc->mcount[k]--;
    tc->mbytes -= csize(mem2chunk(e));
    e->key = 0;
    return e;
}

/* A cached block of at least nb bytes (chunk size, mc_size(nb)), or NULL. */
struct tc_entry *mc_take(struct tcache *tc, size_t nb)
{
    size_t k = mc_class(nb);
    for (struct tc_entry **link = &tc->mhead[k]; *link; link = &(*link)->next)
        if (csize(mem2chunk(*link)) >= nb) return unlink_at(tc, k, link);
    if (k + 1 < MC_CLASSES && tc->mhead[k + 1] && csize(mem2chunk(tc->mhead[k + 1])) - nb <= nb / 4)
        return unlink_at(tc, k + 1, &tc->mhead[k + 1]);
    return NULL;
}

/* Empties the medium cache: every block, in one NULL-terminated list. */
struct tc_entry *mc_take_all(struct tcache *tc)
{
    struct tc_entry *all = NULL;
    for (size_t k = 0; k < MC_CLASSES; k++) {
        while (tc->mhead[k]) {
            struct tc_entry *e = tc->mhead[k];
            tc->mhead[k] = e->next;
            e->next = all;
            all = e;
        }
        tc->mcount[k] = 0;
    }
    tc->mbytes = 0;
    return all;
}

/* True if chunk c waits in tc's medium cache; *bin gets TC_BINS + class. */
bool mc_contains(const struct tcache *tc, const struct chunk *c, int *bin)
{
    if (!tc_real(tc) || !mc_size(csize(c))) return false;
    size_t k = mc_class(csize(c));
    for (struct tc_entry *e = tc->mhead[k]; e; e = e->next)
        if (e == chunk2mem(c)) {
            if (bin) *bin = (int)(TC_BINS + k);
            return true;
        }
    return false;
}
