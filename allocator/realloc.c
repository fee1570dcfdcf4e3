/*
 * allocator/realloc.c - realloc: shrink in place, grow in place into a free
 * neighbour or the top, resize a mapping with remap, and only then move.
 */
#include "fastpath.h"

#define REALLOC_ROOM_CAP ((size_t)32 << 10)

/* Shortens in-use chunk c to nb bytes, freeing the tail if it can be a
 * chunk of its own. pre: a->lock held, csize(c) >= nb. */
static void shrink_chunk(struct arena *a, struct chunk *c, size_t nb)
{
    size_t sz = csize(c);
    if (sz - nb < MINSIZE) return;
    struct chunk *rest = chunk_at(c, nb);
    rest->size = (sz - nb) | PREV_INUSE | (c->size & SEGMENT);
    set_inuse_size(c, nb);
    arena_free(a, rest);
}

/* Tries to make heap chunk c hold nb bytes without moving it. */
static bool resize_in_place(struct arena *a, struct chunk *c, size_t nb)
{
    size_t sz = csize(c);
    struct chunk *next = chunk_at(c, sz);
    if (nb <= sz) {
        shrink_chunk(a, c, nb);
        return true;
    }
    if (next == a->top && sz + csize(next) >= nb + MINSIZE) {
        size_t rest = sz + csize(next) - nb;
        a->top = chunk_at(c, nb);
        a->top->size = free_size_field(rest, c->size & SEGMENT);
        if (a->clean < (char *)a->top) a->clean = (char *)a->top;
        set_inuse_size(c, nb);
        note_in_use(a, nb - sz);
        return true;
    }
    if (next_is_free(a, next) && sz + csize(next) >= nb) {
        bin_unlink(a, next);
        note_in_use(a, csize(next));
        set_inuse_size(c, sz + csize(next));
        next_chunk(c)->size |= PREV_INUSE;
        shrink_chunk(a, c, nb);
        return true;
    }
    return false;
}

/* Moves the block: new block, copy, free the old one. NULL (old block
 * intact) when out of memory. */
static void *move_block(void *p, size_t n, size_t old_usable)
{
    void *q = tide_malloc(n);
    if (!q) return NULL;
    __builtin_memcpy(q, p, old_usable < n ? old_usable : n);
    free_chunk(p);
    return q;
}

/* A block freed already (in a cache, waiting to go home, or on a quick
 * list: it carries the key) must not be handed back as it is, nor grown
 * in place: the next malloc would give it out a second time. (A block
 * that moves is freed by free_block, which finds it there.) */
static void *kept(void *p)
{
    if (UNLIKELY(((struct tc_entry *)p)->key == g.tcache_key) && freed_already(p))
        tide_panic("double free of", p);
    return p;
}

/*
 * realloc of p in the slab area, n > 0. A slot neither grows nor splits:
 * it is kept while the block still fills more than half of it, else it
 * moves. A slot that fast_free's checks find in use (its page in use, p a
 * slot's start there, no cache key) moves through the fast paths; any
 * other is classified first, which stops the process on a bad pointer.
 * (perl, python3 and sqlite3 each call realloc some 60,000 times a run at
 * their bench scales, mostly on slots.)
 */
static void *realloc_slot(void *p, size_t n)
{
    uintptr_t s = (uintptr_t)p - g.slab_lo;
    size_t i = slab_page_class(p), slot = tc_class_size(i);
    bool in_use = slot_start(s, i) && ((const struct tc_entry *)p)->key != g.tcache_key;
    if (!in_use) {
        classify(p, "realloc()");
        slot = block_size(kept(p));
    }
    if (UNLIKELY(n > MAX_REQUEST)) {
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    if (n <= slot && (n > slot / 2 || slot == 16)) return p;
    void *q = fast_malloc(n);
    if (!q) return NULL;
    __builtin_memcpy(q, p, slot < n ? slot : n);
    fast_free(p);
    return q;
}

TIDE_API void *tide_realloc(void *p, size_t n)
{
    if (!p) return tide_malloc(n);
    if (n == 0) {
        tide_free(p);
        return NULL;
    }
    if (in_slab_area(p)) return realloc_slot(p, n);
    if (UNLIKELY(n > MAX_REQUEST)) {
        classify(p, "realloc()");
        fail_errno(TIDE_ENOMEM);
        return NULL;
    }
    struct chunk *c = mem2chunk(p);
    size_t nb = request2size(n);
    if (classify(p, "realloc()") == OWN_MMAP) {
        size_t usable = csize(c) - HDR, want = nb;
        if (g.cfg.profile == 0) {
            /* As for heap blocks: a shrink by up to half keeps the
             * mapping; a growth takes an eighth more, so that a block
             * grown a little at a time is not remapped each time. */
            if (n <= usable && n >= usable / 2) return p;
            if (n > usable && nb + nb / 8 > nb) want = nb + nb / 8;
        }
        struct chunk *moved = mmap_realloc(c, want);
        if (moved) return chunk2mem(moved);
        if (n <= usable && n >= usable / 2) return p;
        return move_block(p, n, usable);
    }
    /* Fits already: what is left is too small to split off, or (default
     * profile) is no more than the room a moved block is given, so the
     * growths that use up that room do not give it back first. */
    if (nb <= csize(c) && (csize(c) - nb < MINSIZE || (g.cfg.profile == 0 && csize(c) - nb <= csize(c) / 4)))
        return kept(p);
    kept(p);
    struct arena *a = chunk_arena(c);
    lock_take(&a->lock);
    bool done = resize_in_place(a, c, nb);
    lock_drop(&a->lock);
    if (done) return p;
    /* A block that grows and must move is likely to grow again: in the
     * default profile it moves with room to spare, so the next growths
     * happen in place instead of copying it each time. A third more (a
     * quarter of the new chunk), but no more than 32 KiB until an eighth
     * is more: past about 100 KiB the room is mostly memory the program
     * does not use yet, while an eighth still keeps the copies of a block
     * that keeps growing to a few times its size. (bench/realloc: a
     * sixteenth copied 1.5 GB where mimalloc's size classes copy 0.66; a
     * third 0.40 GB and a peak of 34.8 MB; capped, 0.45 GB, 33.8 MB and
     * the same time; glibc's peak is 32.6.) */
    size_t room = 0;
    if (g.cfg.profile == 0 && n > csize(c) && n >= 256) {
        room = n / 3 < REALLOC_ROOM_CAP ? n / 3 : REALLOC_ROOM_CAP;
        if (room < n / 8) room = n / 8;
    }
    return move_block(p, n + room < MAX_REQUEST ? n + room : n, csize(c) - 8);
}
