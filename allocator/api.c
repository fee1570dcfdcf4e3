/*
 * allocator/api.c - malloc, free and their simple relatives: the lock-free
 * fast paths over the thread cache, the slow paths into the arenas, and the
 * checks that tell our pointers from anything else handed to free.
 */
#include "fastpath.h"

/* ---- malloc ------------------------------------------------------------ */

/* How much of chunk c (all its usable size, as glibc clears), just taken
 * from arena a, must be cleared for calloc:
 * only the part below `clean` when it was carved from fresh top memory.
 * pre: a->lock held. */
static char *zero_end(const struct arena *a, const struct chunk *c)
{
    char *end = (char *)c + csize(c) + 8;
    if (c != a->last_carved || a->carved_clean >= end) return end;
    return a->carved_clean < (char *)chunk2mem(c) ? (char *)chunk2mem(c) : a->carved_clean;
}

/* Clears n bytes at p with the platform's memset. The empty asm hides n's
 * range from the compiler: for a size it can bound (a cache class's, at
 * most 1 KiB) GCC otherwise expands the memset inline as `rep stosq`,
 * whose start-up cost was two thirds of calloc's time for 8-608 bytes. */
static inline void *clear(void *p, size_t n)
{
    __asm__("" : "+r"(n));
    return __builtin_memset(p, 0, n);
}

/* p, cleared over n bytes if zero (calloc). */
static void *cleared(void *p, size_t n, bool zero) { return zero ? clear(p, n) : p; }

/* Everything that is not a cache hit: start-up, the thread's first call,
 * big blocks, and the arena. zero: clear the block (calloc), skipping
 * memory that is fresh from the OS. */
COLD void *alloc_slow(size_t n, bool zero)
{
    if (UNLIKELY(n > MAX_REQUEST)) {
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    ensure_init();
    if (UNLIKELY(g.cfg.slab && !__atomic_load_n(&g.slab_tried, __ATOMIC_ACQUIRE)) && n <= TC_MAX_REQUEST) slab_init();
    if (!tc_real(tc_self)) tcache_create();
    struct tcache *tc = tc_real(tc_self) ? tc_self : NULL;
    /* closed after a release, or made before mallopt changed the classes */
    if (tc && (!tc->capacity || tc->classes_gen != __atomic_load_n(&g.classes_gen, __ATOMIC_ACQUIRE)))
        tcache_set_limits(tc);
    size_t nb = request2size(n);
    /* A slot of slab class j when the fast path's table says so, and the
     * slabs have an area (else, or when it is full, a chunk of the heap). */
    size_t cls = n <= TC_MAX_REQUEST ? __atomic_load_n(&g.req_class[n], __ATOMIC_RELAXED) : 0;
    bool slab = cls >= TC_BINS && g.slab_span;
    size_t j = cls - TC_BINS; /* read once: mallopt may rewrite the table meanwhile */
    struct chunk *c = NULL;
    struct arena *a = tc ? tc->arena : arena_for_thread();
    if (nb >= g.cfg.mmap_threshold) {
        lock_take(&a->lock);
        c = arena_malloc_binned(a, nb);
        lock_drop(&a->lock);
        if (c) return cleared(chunk2mem(c), csize(c) - 8, zero);
        if ((c = mmap_chunk(nb, 0))) {
            if (zero && !g.caps.mmap_zeroed) __builtin_memset(chunk2mem(c), 0, csize(c) - HDR);
            return chunk2mem(c);
        }
    }
    if (tc && mc_size(nb)) {
        void *p = mc_take(tc, nb);
        if (p) return cleared(p, csize(mem2chunk(p)) - 8, zero);
    }
    char *end = NULL;
    for (int tries = 0; !c && tries < 2; tries++, a = &main_arena) {
        lock_take(&a->lock);
        /* Without a cache of its own here (caches off, or none could be
         * made), nothing below drains the blocks other threads sent back
         * before it takes new slots or carves the top: do it first. */
        if ((!tc || tc->arena != a) && atomic_load_explicit(&a->remote, memory_order_relaxed)) remote_drain(a);
        if (tc && tc->arena == a && slab) {
            size_t i = TC_BINS + j;
            remote_drain_to_cache(a, tc, i);
            if (tc->head[i] || slab_refill(a, tc, j)) {
                lock_drop(&a->lock);
                return cleared(tc_pop(tc, i), tc_usable(i), zero);
            }
        } else if (tc && tc->arena == a && nb <= TC_MAX_CHUNK) {
            size_t i = tc_index_for_chunk(nb);
            remote_drain_to_cache(a, tc, i);
            if (tc->head[i] || quick_take(a, tc, i)) {
                lock_drop(&a->lock);
                return cleared(tc_pop(tc, i), nb - 8, zero);
            }
        } else if (tc && tc->arena == a && mc_size(nb) && atomic_load_explicit(&a->remote, memory_order_relaxed)) {
            remote_drain_to_cache(a, tc, TC_CLASSES); /* blocks sent back may fit */
            void *p = mc_take(tc, nb);
            if (p) {
                lock_drop(&a->lock);
                return cleared(p, csize(mem2chunk(p)) - 8, zero);
            }
        }
        void *slot = slab ? slab_take_one(a, j) : NULL;
        if (slot) {
            lock_drop(&a->lock);
            return cleared(slot, slab_size(j), zero);
        }
        if (tc && !slab && nb <= TC_MAX_CHUNK && g.cfg.tcache_refill) c = tcache_refill(tc, a, nb);
        else c = arena_malloc(a, nb);
        if (c) end = zero_end(a, c);
        /* the segment this arena now carves from: free's first range test */
        if (tc && tc->arena == a && !a->top_in_brk && a->top)
            tcache_know_segment(tc, 0, (uintptr_t)segment_of(a->top));
        lock_drop(&a->lock);
        if (a == &main_arena) break;
    }
    if (!c && tc && tcache_flush_any(tc)) return alloc_slow(n, zero); /* cached blocks first */
    if (!c && nb < g.cfg.mmap_threshold && (c = mmap_chunk(nb, 0)))
        end = (char *)chunk2mem(c) + (g.caps.mmap_zeroed ? 0 : csize(c) - HDR);
    if (!c) {
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    if (zero) __builtin_memset(chunk2mem(c), 0, (size_t)(end - (char *)chunk2mem(c)));
    DEBUG_CHECK();
    return chunk2mem(c);
}

TIDE_API void *tide_malloc(size_t n) { return fast_malloc(n); }

/* ---- telling our pointers from others' ---------------------------------- */

static COLD _Noreturn void bad_pointer(const char *op, const void *mem)
{
    char what[64];
    size_t len = 0;
    for (const char *s = op; *s; s++) what[len++] = *s;
    for (const char *s = ": invalid pointer"; *s; s++) what[len++] = *s;
    what[len] = 0;
    tide_panic(what, mem);
}

/* Region end for a heap chunk: the brk heap's end or its segment's end. */
static uintptr_t region_end(const struct chunk *c)
{
    if (c->size & SEGMENT) return (uintptr_t)segment_of(c) + g.seg_size;
    return g.heap_lo + atomic_load_explicit(&g.heap_span, memory_order_acquire);
}

/* True if mem lies in the brk heap, past its first header. */
static bool in_brk_heap(uintptr_t p)
{
    return p - g.heap_lo - HDR < atomic_load_explicit(&g.heap_span, memory_order_acquire);
}

/* A heap chunk's header that fits where it lies: no M bit, S exactly when
 * outside the brk heap, a size of at least MINSIZE that ends inside its
 * region. */
static bool header_sane(const struct chunk *c, bool in_brk)
{
    size_t sz = csize(c);
    return !(c->size & MMAPPED) && !!(c->size & SEGMENT) == !in_brk && sz >= MINSIZE &&
           sz <= region_end(c) - (uintptr_t)c - HDR;
}

/*
 * Decides who owns mem before anything is read through it: the brk heap,
 * one of our segments, or the registry of mmapped blocks. Then checks the
 * header of a heap chunk: a sane size inside its region and an in-use mark.
 * Stops the process (one line naming op and the address) on anything else.
 */
enum owner classify(const void *mem, const char *op)
{
    uintptr_t p = (uintptr_t)mem;
    if (!atomic_load_explicit(&g.ready, memory_order_acquire) || (p & (ALIGNMENT - 1)))
        bad_pointer(op, mem);
    if (in_slab_area(mem)) {
        int bad = slab_check_block(mem);
        if (bad == 2) tide_panic("double free of", mem);
        if (bad) bad_pointer(op, mem);
        return OWN_HEAP;
    }
    bool in_brk = in_brk_heap(p);
    if (!in_brk && !(segmap_has(p) && segment_of(mem)->magic == SEG_MAGIC &&
                     p >= (uintptr_t)segment_of(mem) + SEG_HDR + HDR)) {
        if (mmap_owns(mem)) return OWN_MMAP;
        if (mmap_recently_freed(mem)) tide_panic("double free of", mem);
        bad_pointer(op, mem);
    }
    struct chunk *c = mem2chunk(mem);
    if (!header_sane(c, in_brk)) bad_pointer(op, mem);
    if ((c->size & IS_FREE) || !(next_chunk(c)->size & PREV_INUSE)) tide_panic("double free of", mem);
    return OWN_HEAP;
}

/* ---- free -------------------------------------------------------------- */

static bool in_mapped_segment(uintptr_t a);

/* True if p may be read as a cached block: 16-aligned, with its first 16
 * bytes in the slab area, the brk heap or one of our segments (each ends
 * on a 16-byte boundary; the area and the segments stay mapped, the brk
 * heap while the main arena's lock is held). */
static bool ours(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    return !(a & (ALIGNMENT - 1)) &&
           (in_slab_area(p) || a - g.heap_lo < atomic_load_explicit(&g.heap_span, memory_order_acquire) ||
            in_mapped_segment(a));
}

/* True if the list from x, another thread's and changing, holds e: each
 * link checked to be ours before it is followed, 65,536 at most. */
static bool list_holds(const struct tc_entry *x, const struct tc_entry *e)
{
    for (size_t n = 0; x && n < 65536 && ours(x); n++, x = __atomic_load_n(&x->next, __ATOMIC_RELAXED))
        if (x == e) return true;
    return false;
}

/* True if e waits in another live thread's cache (class i, or its
 * medium cache) or outbox. Those threads push and pop meanwhile, so the
 * walk is a snapshot: every pointer it follows is first checked to be
 * ours, and it gives up after as many entries as tide_check walks. The
 * caches listed in g.tcaches stay allocated while arenas_lock is held
 * (tide_thread_exit unlinks a cache under it before freeing it); the main
 * arena's lock keeps the brk heap from shrinking meanwhile. The two are
 * taken in tide_fork_prepare's order. pre: no lock held. */
static bool in_other_cache(const struct tc_entry *e, size_t i, size_t sz)
{
    bool found = false;
    lock_take(&g.arenas_lock);
    lock_take(&main_arena.lock);
    for (struct tcache *tc = g.tcaches; tc && !found; tc = tc->next_tc) {
        if (tc == tc_self) continue;
        found = (i < TC_CLASSES && list_holds(__atomic_load_n(&tc->head[i], __ATOMIC_RELAXED), e)) ||
                list_holds(__atomic_load_n(&tc->out_first, __ATOMIC_RELAXED), e);
        struct mcache *m = tc->mc;
        if (m && mc_size(sz)) {
            size_t k = mc_class(sz), count = __atomic_load_n(&m->count[k], __ATOMIC_RELAXED);
            for (size_t j = 0; j < count && j < MC_BLOCKS && !found; j++)
                found = __atomic_load_n(&m->block[k][j], __ATOMIC_RELAXED) == e;
        }
    }
    lock_drop(&main_arena.lock);
    lock_drop(&g.arenas_lock);
    return found;
}

/* True if mem, a block its heap counts in use and which carries the
 * cache key, was freed already: it waits in a thread's cache or outbox
 * (this thread's first), in its arena's list of blocks sent back, or in
 * a run on an arena's quick lists (which may hold blocks of any arena).
 * A program's own data can carry the key by chance: then this finds
 * nothing. */
bool freed_already(void *mem)
{
    struct tcache *tc = tc_self;
    struct tc_entry *e = mem;
    struct arena *a = block_arena(mem);
    bool twice = tcache_contains(tc, mem, NULL) || (tc_real(tc) && tcache_sending(tc, e));
    lock_take(&a->lock);
    twice |= remote_contains(a, e);
    lock_drop(&a->lock);
    for (size_t k = 0; !twice && k < atomic_load(&g.narenas); k++) {
        struct arena *b = g.arenas[k];
        lock_take(&b->lock);
        twice = quick_contains(b, e);
        lock_drop(&b->lock);
    }
    if (!twice) {
        size_t sz, i = block_info(mem, &sz);
        twice = in_other_cache(e, i, sz);
    }
    return twice;
}

/* Frees a block that passed classify (a slab slot or a heap chunk): into
 * the thread cache when it fits (after the cheap double-free test), else
 * into its arena. medium: a medium block may stay in the cache (not the
 * old block of a realloc that moved it to grow: the program is growing out
 * of that size, and bench/realloc held 1.5 MiB more at its peak when it
 * was kept). */
static void free_block(void *mem, bool medium)
{
    struct tcache *tc = tc_self;
    size_t sz, i = block_info(mem, &sz);
    struct tc_entry *e = mem;
    struct arena *a = block_arena(mem);
    bool own = tc_real(tc) ? tc->arena == a : a == arena_for_thread();
    if (UNLIKELY(e->key == g.tcache_key) && freed_already(mem)) tide_panic("double free of", e);
    /* Into this thread's cache while its class has room, whichever arena
     * the block is from (the freeing thread is the likeliest to allocate
     * again soon); then another arena's block goes home in a batch, and
     * one of ours grows the class or makes room. */
    bool cacheable = i < TC_CLASSES && tc_limit(tc, i);
    if (cacheable && tc_room(tc, i)) {
        tc_push(tc, i, e, g.tcache_key);
        return;
    }
    if (!own) {
        if (tc_real(tc)) tcache_send(tc, a, e, sz);
        else remote_push(a, e);
        return;
    }
    if (cacheable && tcache_overflow(tc, i)) {
        tc_push(tc, i, e, g.tcache_key);
        return;
    }
    if (medium && mc_put(tc, e, sz)) return;
    free_to_arena(a, mem2chunk(mem));
}

/* Frees block c (a checked chunk, or a slot) into arena a, the calling
 * thread's own or one it does not cache for, then looks for a
 * free-everything. free_medium comes here without classify: classify's one
 * check beyond free_medium's (the next chunk's P bit, at the block's far
 * end: a cache miss) arena_free makes too. (frag's medium blocks that the
 * cache has no room for came through classify, 6% of its frees' samples.) */
void free_to_arena(struct arena *a, struct chunk *c)
{
    lock_take(&a->lock);
    arena_free(a, c); /* a slot goes to its page */
    lock_drop(&a->lock);
    arena_release_if_emptied(a);
}

/* Frees a block the core itself holds (realloc, memalign): no checks. */
void free_chunk(void *mem)
{
    if (!in_slab_area(mem) && (mem2chunk(mem)->size & MMAPPED)) mmap_free(mem2chunk(mem));
    else free_block(mem, false);
}

/*
 * The second fastest free, called by fast_free for anything outside the
 * brk heap: a small block in one of our segments (threads other than the
 * first allocate there) gets the same checks and push as in fast_free.
 * A block of one of the two segments the cache knows (its arena's, and
 * the last other one) is told by a range test, as fast_free tells the
 * brk heap; any other by the segment map, which then becomes the other
 * known one. Small and without callee-saved registers, so that it costs
 * little more than fast_free itself. When the class is full, a block of
 * another arena goes home in a batch at once (a consumer thread frees
 * little else).
 */
static bool in_known_segment(const struct tcache *tc, uintptr_t a)
{
    for (int k = 0; k < 2; k++) {
        uintptr_t d = a - tc->seg_lo[k];
        if (((d >> 4) | (d << 60)) < tc->seg_span16[k]) return true;
    }
    return false;
}

static bool in_mapped_segment(uintptr_t a)
{
    size_t k = a >> g.seg_shift;
    return k < __atomic_load_n(&g.segmap_bits, __ATOMIC_ACQUIRE) &&
           ((atomic_load_explicit(&g.segmap[k / 64], memory_order_relaxed) >> (k % 64)) & 1) &&
           !(a & (ALIGNMENT - 1)) && a >= (uintptr_t)segment_of((void *)a) + SEG_HDR + HDR;
}

void free_segment_fast(void *p)
{
    struct tcache *tc = tc_self;
    uintptr_t a = (uintptr_t)p;
    if (!a) return; /* free(NULL), first: python3 does it a million times a run */
    if (UNLIKELY(!in_known_segment(tc, a))) {
        if (!in_mapped_segment(a)) {
            free_slow(p);
            return;
        }
        if (tc_real(tc)) tcache_know_segment(tc, 1, (uintptr_t)segment_of(p));
    }
    int got = cache_push_checked(tc, p, SEGMENT);
    if (LIKELY(got == PUSHED)) return;
    if (got == OTHER) free_medium(p, SEGMENT);
    else free_missed(p, got);
}

/*
 * Our own block p, whose class i is full: grow the class or give back half
 * of it, as free_block would, without classify's second look: p passed the
 * checks that a push into a class with room relies on. (A storm of frees
 * lands here every few blocks: the detour through classify and free_block
 * cost frag's phase 2a 1.1 M of its 20.2 M instructions at scale 0.5.) A
 * call of its own, so that free_missed keeps no registers across a call
 * and needs no frame on its other paths (a consumer's sends: prodcons
 * paid 15 instructions a free when this was inline).
 */
static __attribute__((noinline)) void free_overflow(struct tcache *tc, void *p, size_t i)
{
    if (!tcache_overflow(tc, i)) { /* the release closed the cache */
        free_slow(p);
        return;
    }
    tc_push(tc, i, p, g.tcache_key);
    DEBUG_CHECK(); /* as free_slow's */
}

/* A block the cache's small classes did not take (got: FULL | class << 2
 * or OTHER, from cache_push or cache_push_checked). When its class is
 * full, a block of another arena goes home in a batch at once (a consumer
 * thread frees little else); the rest goes to free_slow. (A medium block
 * that passes free_medium's checks never comes here, and one that fails
 * them would fail the same checks here.) */
void free_missed(void *p, int got)
{
    struct tcache *tc = tc_self;
    if (got & FULL) {
        size_t i = (size_t)got >> 2;
        tc_set_room(tc, i, 0); /* see cache_push */
        /* the class says what p is: a slot, or a chunk with a header */
        struct arena *home = i >= TC_BINS ? segment_of(p)->arena : chunk_arena(mem2chunk(p));
        if (tc_real(tc) && home != tc->arena) {
            tcache_send(tc, home, p, tc_class_size(i));
            return;
        }
        if (tc_real(tc) && tc_limit(tc, i)) {
            free_overflow(tc, p, i);
            return;
        }
    }
    free_slow(p);
}

COLD void free_slow(void *p)
{
    if (!p) return;
    if (classify(p, "free()") == OWN_MMAP) mmap_free(mem2chunk(p));
    else free_block(p, true);
    DEBUG_CHECK();
}

TIDE_API void tide_free(void *p) { fast_free(p); }

/* ---- relatives --------------------------------------------------------- */

TIDE_API void *tide_calloc(size_t count, size_t size)
{
    size_t n;
    if (UNLIKELY(__builtin_mul_overflow(count, size, &n))) {
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    struct tcache *tc = tc_self;
    if (LIKELY(n <= TC_MAX_REQUEST)) {
        size_t i = g.req_class[n];
        if (LIKELY(tc->head[i] != NULL))
            return clear(tc_pop(tc, i), tc_usable(i)); /* all its usable size */
    }
    return alloc_slow(n, true);
}

TIDE_API void *tide_reallocarray(void *p, size_t count, size_t size)
{
    size_t n;
    if (UNLIKELY(__builtin_mul_overflow(count, size, &n))) {
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    return tide_realloc(p, n);
}

TIDE_API size_t tide_malloc_usable_size(const void *p)
{
    if (!p) return 0;
    struct chunk *c = mem2chunk(p);
    if (classify(p, "malloc_usable_size()") == OWN_MMAP) return csize(c) - HDR;
    return in_slab_area(p) ? block_size(p) : csize(c) - 8;
}

TIDE_API void tide_free_sized(void *p, size_t size)
{
    if (p && size > tide_malloc_usable_size(p)) tide_panic("free_sized(): size larger than the block at", p);
    tide_free(p);
}

TIDE_API void tide_free_aligned_sized(void *p, size_t alignment, size_t size)
{
    if (p && ((uintptr_t)p & (alignment - 1)))
        tide_panic("free_aligned_sized(): block not aligned as claimed at", p);
    tide_free_sized(p, size);
}
