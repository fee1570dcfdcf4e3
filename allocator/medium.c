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
 * blocks), so a cache of exact sizes would rarely hit. Here a class holds an
 * eighth of a doubling of sizes:
 *
 *   tc->mc->block[k]:  block block ... (count[k])   sizes from
 *   tc->mc->size16[k]: size  size  ...              (8 + k % 8) << (k / 8 + 7)
 *                                                   to the next class's start
 *
 * The sizes sit in the cache itself, beside the pointers: a search reads
 * no block but the one it takes. (A list through the blocks, as the small
 * classes have, made a search read the header of each block it passed: a
 * cache miss each, 3% of churn's time in mc_take.) A class is appended
 * to, and a block taken out leaves its place to the last one, so a search
 * from the end meets the newest blocks first, roughly.
 *
 * A request of size nb takes the newest block of the class above nb's own:
 * every block there fits, and none is a quarter bigger than nb (nb is at
 * least the start of its own class, and the class above ends where the
 * next but one starts, at most 10/8 of that). That is the common case,
 * and it reads one count and one slot. Else it takes the newest block of
 * its own class that has at least nb bytes, else one of the class after
 * the one above that is no more than a quarter bigger than nb. A block
 * served so may be up to a quarter bigger than asked: malloc_usable_size
 * says so, as it does for a block that was split too short to cut.
 * (With four classes a doubling, searched for a block that fits in nb's
 * own class first, then in the next, a request in churn's 1-4 KiB blocks
 * cost 71 instructions in mc_take, the search most of them; now 35 in all
 * of medium_malloc. The last look, at the class after the one above,
 * serves a quarter of the requests that would miss: in churn with every
 * block of 1-4 KiB, 67.8 k misses of 1.02 M requests became 50.3 k.)
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

/* The class of each medium size by its 128-byte step (class starts are
 * multiples of 128): mc_class without its bit scan and shifts, for the
 * two paths below. Filled at start-up (mc_init), read-only after. */
static uint8_t class_of[MC_MAX_CHUNK >> 7];

void mc_init(void)
{
    for (size_t i = 1024 >> 7; i < MC_MAX_CHUNK >> 7; i++) class_of[i] = (uint8_t)mc_class(i << 7);
}

/* True if tc keeps medium blocks now: the default profile's cache (m),
 * not closed (a closed cache has no capacity). */
static inline bool mc_open(const struct tcache *tc, const struct mcache *m)
{
    return m && g.cfg.tcache_bytes && tc->capacity;
}

/* Keeps e (a chunk of sz bytes of tc's own arena, being freed) if its
 * class and the byte budget have room. False: the caller frees it. */
static inline bool put(struct mcache *m, struct tc_entry *e, size_t sz)
{
    size_t k = class_of[sz >> 7], n = m->count[k];
    if (n >= MC_BLOCKS || (m->bytes + sz > MC_BYTES + m->extra && !mc_grow(m))) return false;
    e->key = g.tcache_key;
    m->block[k][n] = e;
    m->size16[k][n] = (uint16_t)(sz >> 4);
    m->count[k] = (uint8_t)(n + 1);
    m->bytes += sz;
    return true;
}

bool mc_put(struct tcache *tc, struct tc_entry *e, size_t sz)
{
    struct mcache *m = tc->mc;
    return mc_open(tc, m) && mc_size(sz) && put(m, e, sz);
}

/*
 * free for a chunk of the brk heap (flags 0) or of one of our segments
 * (SEGMENT) whose header is no small cacheable size, after fast_free's or
 * free_segment_fast's range test: a medium block gets the checks
 * free_missed would make, on the header word at once (no M or F bit, S as
 * the region says, a medium size that ends inside the region, no cache
 * key), then goes into the cache if it is of this thread's arena (else to
 * its bins, when its class or the budget is full, without classify), or
 * home in the outbox if not. Anything else goes to free_missed. (Through
 * free_missed, a medium free cost 125 instructions before mc_put: churn,
 * 1 in 20 of whose blocks are medium, ran 216.4 ms against tcmalloc's
 * 193.4; 211.0 with this and medium_malloc.)
 */
void free_medium(void *p, size_t flags)
{
    struct tcache *tc = tc_self;
    struct chunk *c = mem2chunk(p);
    size_t h = c->size, sz = h & ~FLAGS;
    uintptr_t room = flags ? g.seg_size - ((uintptr_t)c & (g.seg_size - 1))
                           : g.heap_lo + atomic_load_explicit(&g.heap_span, memory_order_acquire) - (uintptr_t)c;
    if ((h & (MMAPPED | SEGMENT | IS_FREE)) == flags && mc_size(sz) && sz + HDR <= room &&
        ((struct tc_entry *)p)->key != g.tcache_key && tc_real(tc)) {
        struct arena *home = flags ? segment_of(c)->arena : &main_arena;
        struct mcache *m = tc->mc;
        if (home != tc->arena) tcache_send(tc, home, p, sz);
        else if (!mc_open(tc, m) || !put(m, p, sz)) {
            free_to_arena(home, c);
            DEBUG_CHECK(); /* as free_slow's */
        }
        return;
    }
    free_missed(p, 0);
}

/* Takes the last (newest) block of class k, which holds n > 0. */
static inline struct tc_entry *take_last(struct mcache *m, size_t k, size_t n)
{
    struct tc_entry *e = m->block[k][--n];
    m->count[k] = (uint8_t)n;
    m->bytes -= (size_t)m->size16[k][n] << 4;
    e->key = 0;
    return e;
}

/* Takes block j of class k out: the last one moves into its place. */
static inline struct tc_entry *take_at(struct mcache *m, size_t k, size_t j)
{
    size_t last = m->count[k] - 1;
    struct tc_entry *e = m->block[k][j];
    uint16_t s16 = m->size16[k][j];
    m->block[k][j] = m->block[k][last];
    m->size16[k][j] = m->size16[k][last];
    m->block[k][last] = e;
    m->size16[k][last] = s16;
    return take_last(m, k, last + 1);
}

/* A cached block of at least nb bytes (chunk size, mc_size(nb)), or
 * NULL: the newest of the class above nb's, whose blocks all fit, by a
 * quarter more at most; else the newest of nb's own class that fits;
 * else the newest of the next class up that is at most a quarter bigger.
 * (The newest are the likeliest still in the CPU's cache.) */
static inline struct tc_entry *take(struct mcache *m, size_t nb)
{
    size_t up = class_of[(nb - 1) >> 7] + 1, n;
    if (LIKELY(up < MC_CLASSES && (n = m->count[up]))) return take_last(m, up, n);
    size_t k = up - 1, want = nb >> 4;
    for (size_t j = m->count[k]; j-- > 0;)
        if (m->size16[k][j] >= want) return take_at(m, k, j);
    k = up + 1;
    if (k < MC_CLASSES)
        for (size_t j = m->count[k]; j-- > 0;)
            if (m->size16[k][j] <= want + want / 4) return take_at(m, k, j);
    return NULL;
}

struct tc_entry *mc_take(struct tcache *tc, size_t nb) { return tc->mc ? take(tc->mc, nb) : NULL; }

/* malloc above the small classes: a block of the medium cache when one
 * fits, before alloc_slow and all it checks and saves first (churn: 1 in
 * 20 of its requests, 73 instructions in alloc_slow's own code each). The
 * cache of a thread without one (tc_empty) has no medium part, and one
 * that was closed has been emptied. */
void *medium_malloc(size_t n)
{
    struct mcache *m = tc_self->mc;
    if (n < MC_MAX_CHUNK - 32 && m) {
        void *p = take(m, request2size_big(n)); /* n is no small request */
        if (p) return p;
    }
    return alloc_slow(n, false);
}

/* The same for an aligned request (memalign): a block whose address has
 * no bit of align - 1 set, found without reading any (the pointers sit
 * in the cache), of nb's quarter of a doubling only: the two classes of
 * it. Looking further served twice as many from the cache (bench/lab
 * patterns memalign 104 against 188 ms) but raised the peak by 16% (18.8
 * against 16.2 MiB; glibc 14.7), and by as much with 6,000 and 8,192
 * blocks live. pre: align is a power of two. */
struct tc_entry *mc_take_aligned(struct tcache *tc, size_t nb, size_t align)
{
    struct mcache *m = tc->mc;
    if (!m) return NULL;
    size_t k = mc_class(nb), want = nb >> 4;
    for (size_t c = k; c <= (k | 1); c++)
        for (size_t j = m->count[c]; j-- > 0;)
            if (m->size16[c][j] >= want && !((uintptr_t)m->block[c][j] & (align - 1))) return take_at(m, c, j);
    return NULL;
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
