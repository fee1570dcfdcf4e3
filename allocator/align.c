/*
 * allocator/align.c - aligned allocation: memalign and the functions built
 * on it (aligned_alloc, posix_memalign, valloc, pvalloc).
 */
#include "internal.h"

static bool power_of_two(size_t v) { return v && !(v & (v - 1)); }

/* Carves an aligned block out of a bigger heap chunk: the part before the
 * aligned point and the part after the block go back as free chunks.
 * binned: only from a free chunk of the bins (a request at or above the
 * mmap threshold: see arena_malloc_binned). */
static struct chunk *heap_aligned(struct arena *a, size_t align, size_t nb, bool binned)
{
    size_t room = nb + align + MINSIZE;
    struct chunk *c = binned ? arena_malloc_binned(a, room) : arena_malloc(a, room);
    if (!c) return NULL;
    uintptr_t mem = (uintptr_t)chunk2mem(c);
    uintptr_t want = align_up(mem, align);
    if (want != mem) {
        if (want - mem < MINSIZE) want += align;
        size_t lead = want - mem, sz = csize(c);
        struct chunk *ac = mem2chunk((void *)want);
        ac->size = (sz - lead) | PREV_INUSE | (c->size & SEGMENT);
        set_inuse_size(c, lead);
        arena_free(a, c);
        c = ac;
    }
    if (csize(c) - nb >= MINSIZE) {
        struct chunk *rest = chunk_at(c, nb);
        rest->size = (csize(c) - nb) | PREV_INUSE | (c->size & SEGMENT);
        set_inuse_size(c, nb);
        arena_free(a, rest);
    }
    return c;
}

/*
 * A slab slot is aligned to any power of two that divides its size: slots
 * of size s start at k x s in a page, and pages start on 8 KiB. So a small
 * request whose size, rounded up to the alignment, is one the slab serves
 * takes a slot of that size through the cache, with no lock (posix_memalign
 * of 8-208 bytes aligned to 32-128: 288 ms through the heap, 37 this way;
 * tcmalloc, 33, serves aligned requests from its size classes so). Bigger
 * ones still carve the heap under the arena's lock. NULL when the slot is
 * not aligned after all (no slab area: the block came from the heap; it
 * is freed).
 */
static void *aligned_slot(size_t align, size_t n)
{
    size_t s = align_up(n ? n : 1, align);
    if (!g.cfg.slab || s > g.cfg.slab) return NULL;
    void *p = tide_malloc(s);
    if (!p || !((uintptr_t)p & (align - 1))) return p;
    tide_free(p);
    return NULL;
}

/*
 * A block the thread has cached that happens to have the alignment: a
 * program that frees aligned blocks and asks for more of about the same
 * size gets them back as a malloc would, without the lock and the carve.
 * The medium cache keeps its pointers beside it, so a look costs no block
 * read; a small class is a list through its blocks, so only its first
 * AHEAD are looked at, in the class of nb and the next: an aligned block
 * carved from the heap keeps a tail too small to split off, 16 bytes
 * (MINSIZE - 16 at most). NULL if none fits.
 */
#define AHEAD 4
static void *aligned_cached(size_t align, size_t nb)
{
    struct tcache *tc = tc_self;
    if (!tc_real(tc)) return NULL;
    if (mc_size(nb)) return mc_take_aligned(tc, nb, align);
    for (size_t sz = nb; sz <= nb + MINSIZE - 16 && sz <= TC_MAX_CHUNK; sz += 16) {
        size_t i = tc_index_for_chunk(sz), n = 0;
        for (struct tc_entry **link = &tc->head[i]; *link && n < AHEAD; link = &(*link)->next, n++) {
            struct tc_entry *e = *link;
            if ((uintptr_t)e & (align - 1)) continue;
            *link = e->next;
            tc->quota[i] += TC_ROOM_ONE;
            e->key = 0;
            return e;
        }
    }
    return NULL;
}

/* The one aligned allocator. pre: align is a power of two. */
static void *aligned(size_t align, size_t n)
{
    if (align <= ALIGNMENT) return tide_malloc(n);
    if (n > MAX_REQUEST || align > MAX_REQUEST / 2 || n + align > MAX_REQUEST) {
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    ensure_init();
    if (align <= SLAB_MAX_SLOT) {
        void *p = aligned_slot(align, n);
        if (p) return p;
    }
    size_t nb = request2size(n);
    void *p = aligned_cached(align, nb);
    if (p) return p;
    /* As malloc: a big block from a free chunk of the heap that fits, else
     * a mapping of its own, else the heap; a smaller one from the heap,
     * else a mapping. */
    struct arena *a = tc_real(tc_self) ? tc_self->arena : arena_for_thread();
    bool big = nb + align >= g.cfg.mmap_threshold;
    lock_take(&a->lock);
    struct chunk *c = heap_aligned(a, align, nb, big);
    lock_drop(&a->lock);
    if (!c) c = mmap_chunk(nb, align);
    if (!c && big) {
        lock_take(&a->lock);
        c = heap_aligned(a, align, nb, false);
        lock_drop(&a->lock);
    }
    if (!c) {
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    return chunk2mem(c);
}

/* glibc's memalign: an alignment that is not a power of two is rounded up
 * to the next one. */
TIDE_API void *tide_memalign(size_t align, size_t n)
{
    if (!power_of_two(align)) {
        if (align > ((size_t)1 << (sizeof(size_t) * 8 - 2))) {
            fail_errno(TIDE_EINVAL);
            return NULL;
        }
        size_t p = ALIGNMENT;
        while (p < align) p <<= 1;
        align = p;
    }
    return aligned(align, n);
}

/* C11: the alignment must be a power of two (as glibc checks). */
TIDE_API void *tide_aligned_alloc(size_t align, size_t n)
{
    if (!power_of_two(align)) {
        fail_errno(TIDE_EINVAL);
        return NULL;
    }
    return aligned(align, n);
}

/* POSIX: EINVAL unless align is a power of two multiple of sizeof(void *);
 * on failure *out is left alone. */
TIDE_API int tide_posix_memalign(void **out, size_t align, size_t n)
{
    if (!power_of_two(align) || align % sizeof(void *)) return TIDE_EINVAL_RC;
    void *p = aligned(align, n);
    if (!p) return TIDE_ENOMEM_RC;
    *out = p;
    return 0;
}

TIDE_API void *tide_valloc(size_t n)
{
    ensure_init();
    return aligned(g.page, n);
}

/* Rounds the size up to whole pages (a zero size gets one page). */
TIDE_API void *tide_pvalloc(size_t n)
{
    ensure_init();
    if (n > MAX_REQUEST) {
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    return aligned(g.page, n ? align_up(n, g.page) : g.page);
}
