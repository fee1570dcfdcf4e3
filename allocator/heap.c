/*
 * allocator/heap.c - malloc and free inside one arena: the search order
 * (exact small bin, the unsorted bin, best fit in the bins, the top, then
 * growing the heap), splitting, and coalescing on free.
 * pre (every function): the arena's lock is held.
 */
#include "internal.h"

/* Marks c (unlinked, free) as in use: the next chunk's P bit says so. */
static void set_inuse(struct chunk *c)
{
    c->size &= ~IS_FREE;
    next_chunk(c)->size |= PREV_INUSE;
}

/* Sets c's size, keeping its P and S bits (so: in use, no F). */
void set_inuse_size(struct chunk *c, size_t sz)
{
    c->size = sz | (c->size & (PREV_INUSE | SEGMENT));
}

/* Makes [c, c+sz) a free chunk: header, footer, and the next chunk's P. */
static void set_free(struct chunk *c, size_t sz, size_t seg)
{
    c->size = free_size_field(sz, seg);
    struct chunk *next = chunk_at(c, sz);
    next->prev_size = sz;
    next->size &= ~PREV_INUSE;
}

/* True if `next` (a chunk after one in use) is a free chunk in a bin: its
 * own F bit says so (the invariant F == !P of the chunk after it, which
 * tide_check verifies), so the chunk after it is not read: for a chunk of
 * a few hundred bytes or more, a cache line less. The top carries F too,
 * and a fence never does. */
bool next_is_free(const struct arena *a, const struct chunk *next)
{
    return next != a->top && (next->size & IS_FREE);
}

/* c is unlinked and at least nb big: hand out its first nb bytes and put
 * the rest (if it can be a chunk) in the unsorted bin. */
void split_tail(struct arena *a, struct chunk *c, size_t nb)
{
    size_t sz = csize(c);
    DASSERT(sz >= nb && (nb & 15) == 0);
    if (sz - nb < MINSIZE) {
        set_inuse(c);
        return;
    }
    struct chunk *rest = chunk_at(c, nb);
    set_free(rest, sz - nb, c->size & SEGMENT);
    set_inuse_size(c, nb);
    unsorted_push(a, rest);
    if (in_smallbin_range(nb)) a->last_remainder = rest;
}

/* Empties the unsorted bin into the sized bins, returning at once a chunk
 * that fits exactly, or (for small requests) a split of the last remainder
 * when it is the only chunk there: consecutive small requests then sit
 * next to each other. */
static struct chunk *sort_unsorted(struct arena *a, size_t nb)
{
    struct chunk *head = &a->bins[0];
    for (int n = 0; head->bk != head && n < 10000; n++) {
        struct chunk *c = head->bk;
        size_t sz = csize(c);
        if (in_smallbin_range(nb) && c == a->last_remainder && c->bk == head && sz >= nb + MINSIZE) {
            bin_unlink(a, c);
            split_tail(a, c, nb);
            return c;
        }
        bin_unlink(a, c);
        if (sz == nb) {
            set_inuse(c);
            return c;
        }
        bin_insert(a, c);
    }
    return NULL;
}

/*
 * Big blocks start on a page. A block of page_align_from bytes or more
 * (default profile) is placed with its mem on a page boundary when the
 * chunk it comes from (the top, or a free chunk from the bins) has room
 * for the gap: the other allocators place their big blocks so, and a
 * program that walks such blocks page by page then meets the same few
 * lines of each page from one block to the next, not 64 different ones
 * (bench/large: half the time). The gap becomes a free chunk of its own;
 * nothing more is asked of the heap for it.
 *
 *   c --> +------+------------------------------+--------------
 *         | gap  | block: mem on a page ...     | rest (free,
 *         | free |                              |  or the top)
 *         +------+------------------------------+--------------
 *
 * Returns the chunk at the aligned point (size csize(c) - gap, P clear),
 * or c itself when it is aligned already or too small for the gap.
 * pre: c is the top or an unlinked free chunk, csize(c) >= nb + room.
 */
static struct chunk *page_gap(struct arena *a, struct chunk *c, size_t nb, size_t room)
{
    if (!g.cfg.page_align_from || nb < g.cfg.page_align_from) return c;
    uintptr_t mem = (uintptr_t)chunk2mem(c);
    size_t gap = align_up(mem, g.page) - mem;
    if (gap && gap < MINSIZE) gap += g.page;
    if (!gap || csize(c) < gap + nb + room) return c;
    size_t seg = c->size & SEGMENT;
    struct chunk *block = chunk_at(c, gap);
    block->size = free_size_field(csize(c) - gap, seg);
    set_free(c, gap, seg);
    unsorted_push(a, c);
    return block;
}

/* Carves nb bytes off the front of the top chunk, or NULL if too small. */
static struct chunk *take_top(struct arena *a, size_t nb)
{
    struct chunk *t = a->top;
    if (!t || csize(t) < nb + MINSIZE) return NULL;
    t = a->top = page_gap(a, t, nb, MINSIZE);
    size_t rest = csize(t) - nb;
    size_t seg = t->size & SEGMENT;
    a->top = chunk_at(t, nb);
    a->top->size = free_size_field(rest, seg);
    set_inuse_size(t, nb);
    a->last_carved = t;
    a->carved_clean = a->clean;
    if (a->clean < (char *)a->top) a->clean = (char *)a->top;
    return t;
}

/* The search, in order; a chunk from a bin is no longer free memory. */
static struct chunk *find_chunk(struct arena *a, size_t nb)
{
    for (;;) {
        struct chunk *c;
        if (in_smallbin_range(nb)) {
            struct chunk *head = &a->bins[nb >> 4];
            if (head->fd != head) {
                c = head->bk;
                bin_unlink(a, c);
                set_inuse(c);
                return c;
            }
        }
        if ((c = sort_unsorted(a, nb))) return c;
        if ((c = bin_take_fit(a, nb))) {
            c = page_gap(a, c, nb, 0);
            split_tail(a, c, nb);
            return c;
        }
        /* The quick lists' blocks, merged, before the top for a large
         * request and before more memory for any (as glibc consolidates
         * its fastbins). So too the blocks other threads gave back: a
         * thread whose big blocks another frees would otherwise carve the
         * top while they wait, up to DRAIN_BYTES (a producer of 32-232
         * KiB blocks peaked at 8.8 MiB, glibc at 2.4). */
        if (a->quick_bytes && !in_smallbin_range(nb)) {
            quick_flush(a);
            continue;
        }
        if (!in_smallbin_range(nb) && atomic_load_explicit(&a->remote, memory_order_relaxed)) {
            remote_drain(a);
            continue;
        }
        if ((c = take_top(a, nb))) return c;
        if (a->quick_bytes) {
            quick_flush(a);
            continue;
        }
        /* Blocks other threads gave back come before more memory. */
        if (atomic_load_explicit(&a->remote, memory_order_relaxed)) {
            remote_drain(a);
            continue;
        }
        if (!arena_grow(a, nb)) return NULL;
    }
}

/* Returns an in-use chunk of at least nb bytes (chunk size), or NULL when
 * the heap cannot grow. */
struct chunk *arena_malloc(struct arena *a, size_t nb)
{
    a->last_carved = NULL;
    struct chunk *c = find_chunk(a, nb);
    DASSERT(!c || (csize(c) >= nb && csize(c) - nb < MINSIZE && ((uintptr_t)c & 15) == 0));
    DASSERT(!c || (next_chunk(c)->size & PREV_INUSE));
    if (c) {
        note_in_use(a, csize(c));
        if (c != a->last_carved) a->dirty -= a->dirty < csize(c) ? a->dirty : csize(c);
    }
    return c;
}

/*
 * A free chunk of the heap for a request at or above the mmap threshold,
 * or NULL: the bins only, neither the top nor more memory. glibc's order:
 * its malloc maps a block of its own only when no free chunk fits (in
 * sysmalloc, after the bins and the top). A block mapped while a hole of
 * the heap could hold it leaves that hole resident and unused: bench/realloc,
 * whose buffers cross the threshold as they grow, then held 6.6 MiB free in
 * the heap at its peak RSS. Not the top: growing the top for a big block
 * is what the threshold is there to avoid.
 */
struct chunk *arena_malloc_binned(struct arena *a, size_t nb)
{
    a->last_carved = NULL;
    struct chunk *c = sort_unsorted(a, nb);
    if (!c && (c = bin_take_fit(a, nb))) {
        c = page_gap(a, c, nb, 0);
        split_tail(a, c, nb);
    }
    if (c) {
        note_in_use(a, csize(c));
        a->dirty -= a->dirty < csize(c) ? a->dirty : csize(c);
    }
    return c;
}

/* nb bytes carved off the top, or NULL if it is too small: no search of
 * the bins and no growth, for a caller that knows no free chunk fits
 * (tcache_refill). */
struct chunk *arena_malloc_top(struct arena *a, size_t nb)
{
    struct chunk *c = take_top(a, nb);
    if (c) note_in_use(a, nb);
    return c;
}

/* True if c lies at or above the top in the top's own region: such a
 * chunk was already given back (merged into the top). */
static bool beyond_top(const struct arena *a, const struct chunk *c)
{
    const struct chunk *t = a->top;
    if (!t || c < t) return false;
    if (a->top_in_brk) return !(c->size & SEGMENT);
    return segment_of(c) == segment_of(t);
}

/*
 * Gives an in-use chunk back to its arena: merges it with free neighbours
 * (or into the top, trimming the heap when the top passes the trim
 * threshold) and puts the result in the unsorted bin.
 * Stops the process on a double free or a trampled header.
 */
void arena_free(struct arena *a, struct chunk *c)
{
    if (in_slab_area(c)) {
        slab_free(a, chunk2mem(c));
        return;
    }
    size_t sz = csize(c), freed = sz, seg = c->size & SEGMENT;
    struct chunk *next = chunk_at(c, sz);
    if (UNLIKELY(beyond_top(a, c) || (c->size & IS_FREE) || !(next->size & PREV_INUSE)))
        tide_panic("double free of", chunk2mem(c));
    a->in_use -= a->in_use < sz ? a->in_use : sz;
    DASSERT(chunk_arena(c) == a && !(c->size & MMAPPED));
    if (!(c->size & PREV_INUSE)) {
        struct chunk *prev = (struct chunk *)((char *)c - c->prev_size);
        if (UNLIKELY(csize(prev) != c->prev_size)) tide_panic("corrupted size vs. prev_size at", chunk2mem(c));
        bin_unlink(a, prev);
        sz += c->prev_size;
        c->size |= IS_FREE; /* its old header, inside the merged chunk */
        c = prev;
    }
    if (next == a->top) {
        /* The old top's header (16 bytes) is inside the merged top: memory
         * from there up is no longer known to be zero. */
        if (a->clean < (char *)next + HDR) a->clean = (char *)next + HDR;
        c->size = free_size_field(sz + csize(next), seg);
        a->top = c;
        size_t trim_at = g.cfg.trim_threshold, pad = g.cfg.top_pad;
        if (g.cfg.auto_purge) {
            /* Keep the top up to what the budget leaves after the rest of
             * the free memory: trim only the excess. */
            size_t budget = free_budget(a), held = free_held(a);
            size_t others = held > csize(c) ? held - csize(c) : 0;
            if (trim_at < budget) trim_at = budget;
            if (budget > others && pad < budget - others) pad = budget - others;
        }
        if (csize(c) >= trim_at) arena_trim(a, pad);
        return;
    }
    a->dirty += freed; /* not the neighbours it merges with: counted already */
    if (next_is_free(a, next)) {
        bin_unlink(a, next);
        sz += csize(next);
    }
    set_free(c, sz, seg);
    /* Big enough to purge: stamped with the pass it was freed in. */
    if (sz >= 2 * g.page) *chunk_epoch(c) = a->epoch;
    unsorted_push(a, c);
    if (g.cfg.auto_purge && a->dirty > free_budget(a)) {
        /* Give back what the free memory held exceeds the budget by. */
        size_t held = free_held(a), budget = free_budget(a);
        if (held > budget) arena_purge(a, held - budget);
        else a->dirty = 0;
        a->peak_prev = a->peak_now;
        a->peak_now = a->in_use;
    }
}

/*
 * Chunks freed one after another are often neighbours: a refill run is
 * carved in one piece, handed out in address order and freed in about the
 * same order, and a cache list holds its blocks in reverse, so a list walks
 * down (or up) through memory. gather_free keeps such a stretch and
 * gather_end gives it to arena_free as one chunk: one merge and one bin
 * insertion for the stretch instead of one a block (python3: 1.7M blocks
 * that its cache overflows give back, 143 instructions each).
 *
 *   lo --> +---------+---------+---------+
 *          | block   | block   | block   |   lo's header, when the stretch
 *          | (lo's P)| F       | F       |   is freed: size = len, its own P
 *          +---------+---------+---------+
 *
 * Each header that ends up inside the stretch gets IS_FREE, as arena_free
 * marks the header of a chunk it merges into a neighbour, so a second free
 * of that block is still caught by its own header. The blocks were checked
 * when they were freed into the list; the stretch as a whole is checked by
 * arena_free. pre: a->lock held, every chunk in use and a's.
 */
void gather_free(struct arena *a, struct gather *s, struct chunk *c)
{
    if (in_slab_area(c)) { /* slots never merge */
        slab_free(a, chunk2mem(c));
        return;
    }
    gather_chunk(a, s, c);
}

void gather_end(struct arena *a, struct gather *s)
{
    if (!s->lo) return;
    s->lo->size = s->len | (s->lo->size & (PREV_INUSE | SEGMENT));
    arena_free(a, s->lo);
    s->lo = NULL;
}
