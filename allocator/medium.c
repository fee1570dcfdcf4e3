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
 *   tc->mc->block[k]:  block block ... (count[k])   sizes from
 *   tc->mc->size16[k]: size  size  ...              (4 + k % 4) << (k / 4 + 8)
 *                                                   to the next class's start
 *
 * The sizes sit in the cache itself, beside the pointers: a search reads
 * no block but the one it takes. (A list through the blocks, as the small
 * classes have, made a search read the header of each block it passed: a
 * cache miss each, 3% of churn's time in mc_take.) A class is appended
 * to, and a block taken out leaves its place to the last one, so a search
 * from the end meets the newest blocks first, roughly.
 *
 * A request of size nb takes the newest block of its own class that has at
 * least nb bytes, else one of the next class that is no more than a
 * quarter bigger than nb. A block served so may be up to a quarter
 * bigger than asked: malloc_usable_size says so, as it does for a block
 * that was split too short to cut.
 *
 * What keeps this from costing memory: at most MC_BLOCKS blocks a class
 * and MC_BYTES in all, or up to MC_EXTRA more while all threads' caches
 * hold less than MC_EXTRA_ALL beyond MC_BYTES between them (below); only
 * blocks of the thread's own arena (another arena's go home as before);
 * not the old block of a realloc that moved (api.c); and the whole cache,
 * with its extra budget, goes back with the rest of the thread's cache
 * (flush, close, thread exit). The blocks stay in use for the heap and
 * keep the cache key, so a second free of one is caught as for any cached
 * block.
 *
 * The extra budget: churn (5% of its blocks of 1-32 KiB) ran 2.5-6% faster
 * and peaked 1.6 MiB lower with 2 MiB than with 512 KiB (11.7 against
 * 13.3 MiB; glibc 14.0): a free that finds the cache full goes to the
 * bins, merges, and the next request of that size splits a bigger chunk
 * or carves the top. 4 MiB gained nothing more; prodcons peaked 0.3 MiB
 * lower, the other workloads were unchanged (5-9 interleaved runs). The
 * cost: bench/lab patterns calloc-big, whose few 1-64 KiB blocks keep the
 * cache full of sizes it rarely asks for again, peaked 2.6 MiB higher
 * (51.4 against 48.8; glibc 46.6). The extra is taken a step at a time, by
 * a cache that is full, so that a program with many threads holds at most
 * MC_EXTRA_ALL more than with 512 KiB each.
 */
#include "internal.h"

#define MC_BYTES ((size_t)512 << 10)
#define MC_STEP ((size_t)512 << 10)
#define MC_EXTRA ((size_t)3 * MC_STEP)
#define MC_EXTRA_ALL ((size_t)4 << 20)
_Static_assert(MC_MAX_CHUNK <= MC_STEP, "a step fits any medium block");

/* m is full by bytes: takes MC_STEP more budget if this cache and all of
 * them together have room for it (one step always fits a block: blocks
 * are below MC_MAX_CHUNK). The plain load first keeps caches that find
 * the shared budget spent from writing its line at every free. */
static bool mc_grow(struct mcache *m)
{
    if (m->extra + MC_STEP > MC_EXTRA) return false;
    if (atomic_load_explicit(&g.mc_extra, memory_order_relaxed) + MC_STEP > MC_EXTRA_ALL) return false;
    if (atomic_fetch_add_explicit(&g.mc_extra, MC_STEP, memory_order_relaxed) + MC_STEP > MC_EXTRA_ALL) {
        atomic_fetch_sub_explicit(&g.mc_extra, MC_STEP, memory_order_relaxed); /* lost a race */
        return false;
    }
    m->extra += MC_STEP;
    return true;
}

/* Keeps e (a chunk of sz bytes of tc's own arena, being freed) if its
 * class and the byte budget have room. False: the caller frees it. */
bool mc_put(struct tcache *tc, struct tc_entry *e, size_t sz)
{
    struct mcache *m = tc->mc;
    if (!m || !g.cfg.tcache_bytes || !tc->capacity || !mc_size(sz)) return false;
    size_t k = mc_class(sz), n = m->count[k];
    if (n >= MC_BLOCKS || (m->bytes + sz > MC_BYTES + m->extra && !mc_grow(m))) return false;
    e->key = g.tcache_key;
    m->block[k][n] = e;
    m->size16[k][n] = (uint16_t)(sz >> 4);
    m->count[k] = (uint8_t)(n + 1);
    m->bytes += sz;
    return true;
}

/* Takes block j of class k out (the last one moves into its place). */
static struct tc_entry *take_at(struct mcache *m, size_t k, size_t j)
{
    struct tc_entry *e = m->block[k][j];
    size_t last = --m->count[k];
    m->bytes -= (size_t)m->size16[k][j] << 4;
    m->block[k][j] = m->block[k][last];
    m->size16[k][j] = m->size16[k][last];
    e->key = 0;
    return e;
}

/* A cached block of at least nb bytes (chunk size, mc_size(nb)) whose
 * address has no bit of mask set, or NULL: the newest of its class that
 * fits (the likeliest still in the CPU's cache), else, for a plain
 * request (mask 0), one of the next class no more than a quarter bigger.
 * An aligned request keeps to its class: looking at the next too served
 * twice as many from the cache (bench/lab patterns memalign 104 against
 * 188 ms) but raised the peak by 16% (18.8 against 16.2 MiB; glibc 14.7),
 * and by as much with 6,000 and 8,192 blocks live. */
static inline struct tc_entry *take_fit(struct tcache *tc, size_t nb, uintptr_t mask)
{
    struct mcache *m = tc->mc;
    if (!m) return NULL;
    size_t k = mc_class(nb), want = nb >> 4;
    for (size_t j = m->count[k]; j-- > 0;)
        if (m->size16[k][j] >= want && !((uintptr_t)m->block[k][j] & mask)) return take_at(m, k, j);
    if (!mask && ++k < MC_CLASSES)
        for (size_t j = m->count[k]; j-- > 0;)
            if (m->size16[k][j] <= want + want / 4) return take_at(m, k, j);
    return NULL;
}

struct tc_entry *mc_take(struct tcache *tc, size_t nb) { return take_fit(tc, nb, 0); }

/* The same for an aligned request (memalign): the pointers sit in the
 * cache, so a block that happens to be aligned is found without reading
 * any. pre: align is a power of two. */
struct tc_entry *mc_take_aligned(struct tcache *tc, size_t nb, size_t align)
{
    return take_fit(tc, nb, align - 1);
}

/* Empties the medium cache: every block, in one NULL-terminated list; its
 * extra budget goes back to all threads' share. */
struct tc_entry *mc_take_all(struct tcache *tc)
{
    struct mcache *m = tc->mc;
    struct tc_entry *all = NULL;
    if (!m) return NULL;
    if (m->extra) atomic_fetch_sub_explicit(&g.mc_extra, m->extra, memory_order_relaxed);
    m->extra = 0;
    for (size_t k = 0; k < MC_CLASSES; k++) {
        for (size_t j = 0; j < m->count[k]; j++) {
            m->block[k][j]->next = all;
            all = m->block[k][j];
        }
        m->count[k] = 0;
    }
    m->bytes = 0;
    return all;
}

/* True if chunk c waits in tc's medium cache; *bin gets TC_CLASSES + class. */
bool mc_contains(const struct tcache *tc, const struct chunk *c, int *bin)
{
    const struct mcache *m = tc->mc;
    if (!m || !mc_size(csize(c))) return false;
    size_t k = mc_class(csize(c));
    for (size_t j = 0; j < m->count[k]; j++)
        if (m->block[k][j] == chunk2mem(c)) {
            if (bin) *bin = (int)(TC_CLASSES + k);
            return true;
        }
    return false;
}
