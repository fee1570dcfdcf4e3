/*
 * allocator/walk.c - visiting every chunk: the regions of an arena (its part
 * of the brk heap, its segments), the chunks in each, its slab pages' slots,
 * and tide_heap_walk.
 */
#include "internal.h"

/* Calls fn for each region of a: the brk heap (main arena), then each
 * segment. A region ends at the top's end or at a fence. pre: a->lock. */
void for_each_region(struct arena *a, region_fn fn, void *arg)
{
    if (a == &main_arena && g.heap_lo && atomic_load(&g.heap_span)) {
        struct region r = {(char *)g.heap_lo, (char *)g.heap_lo + atomic_load(&g.heap_span)};
        fn(a, r, arg);
    }
    for (struct segment *s = a->segs; s; s = s->next) {
        struct region r = {(char *)s + SEG_HDR, (char *)s + s->size};
        fn(a, r, arg);
    }
}

/* The bin a free chunk sits in: 0 if in the unsorted bin, else its size's. */
int free_chunk_bin(const struct arena *a, const struct chunk *c)
{
    const struct chunk *head = &a->bins[0];
    for (const struct chunk *u = head->fd; u != head; u = u->fd)
        if (u == c) return TIDE_BIN_UNSORTED;
    return (int)bin_index(csize(c));
}

/*
 * The walk copies chunk descriptions into a buffer while holding the locks,
 * then calls fn with no lock held (fn may print, and printing may
 * allocate). When the buffer is full the walk stops, hands the batch to fn,
 * and starts the next batch where it stopped: re-walking the same region
 * from its start (so chunk boundaries are right even if fn changed the
 * heap) and skipping what was already reported. No memory is needed, so
 * the walk and the statistics work when the OS has none left.
 */
#define STATIC_INFOS 1024
#define STACK_INFOS 32
static struct tide_chunk_info static_infos[STATIC_INFOS];
static atomic_flag static_busy;

struct batch {
    struct tide_chunk_info *v;
    size_t n, cap;
    bool full;
    /* resume point: the region (by its start) and the last chunk reported */
    const char *region;
    const void *last;
    bool skipping;
};

/* Adds one chunk; false (and marks the batch full) when there is no room. */
static bool batch_add(struct batch *b, const struct tide_chunk_info *info, const char *region)
{
    if (b->n == b->cap) {
        b->full = true;
        return false;
    }
    b->v[b->n++] = *info;
    b->region = region;
    b->last = info->chunk;
    return true;
}

static void walk_region(struct arena *a, struct region r, void *arg)
{
    struct batch *b = arg;
    if (b->full || (b->skipping && r.start != b->region)) return;
    for (struct chunk *c = (struct chunk *)r.start; (char *)c + HDR <= r.end && !is_fence(c);
         c = next_chunk(c)) {
        if (b->skipping && (const void *)c <= b->last) continue;
        b->skipping = false;
        struct tide_chunk_info info = {c, chunk2mem(c), csize(c), TIDE_CHUNK_IN_USE, TIDE_BIN_NONE, a->index};
        bool top = c == a->top;
        if (top) {
            info.state = TIDE_CHUNK_TOP;
        } else if ((char *)c + csize(c) + HDR > r.end) {
            return; /* broken: tide_check says so */
        } else if (!(next_chunk(c)->size & PREV_INUSE)) {
            info.state = TIDE_CHUNK_FREE;
            info.bin = free_chunk_bin(a, c);
        } else if (tcache_contains(tc_self, chunk2mem(c), &info.bin)) {
            info.state = TIDE_CHUNK_CACHED;
        } else if (((struct tc_entry *)chunk2mem(c))->key == g.tcache_key && quick_contains(a, chunk2mem(c))) {
            info.state = TIDE_CHUNK_QUICK;
        }
        if (!batch_add(b, &info, r.start) || top) return;
    }
    b->skipping = false; /* the last batch ended with this region */
}

/* A slab page's slots, as walk_region does a region's chunks: a slot is
 * free when its page's bitmap says so. A slot has no header: its chunk is
 * its block. */
static void walk_slab_page(struct arena *a, struct slab_page *pg, void *arg)
{
    struct batch *b = arg;
    if (b->full || (b->skipping && pg->base != b->region)) return;
    size_t nb = slab_slot_size(pg);
    for (size_t k = 0; k < pg->nslots; k++) {
        const char *slot = pg->base + k * nb;
        if (b->skipping && (const void *)slot <= b->last) continue;
        b->skipping = false;
        struct tide_chunk_info info = {slot, slot, nb, TIDE_CHUNK_IN_USE, TIDE_BIN_NONE, a->index};
        if ((pg->freemap[k / 64] >> (k % 64)) & 1) info.state = TIDE_CHUNK_FREE;
        else if (tcache_contains(tc_self, slot, &info.bin)) info.state = TIDE_CHUNK_CACHED;
        if (!batch_add(b, &info, pg->base)) return;
    }
    b->skipping = false; /* the last batch ended with this page */
}

static bool add_mapped(const struct tide_chunk_info *info, void *arg)
{
    return batch_add(arg, info, NULL);
}

static void deliver(struct batch *b, tide_walk_fn fn, void *arg)
{
    for (size_t i = 0; i < b->n; i++) {
        struct tide_chunk_info info = b->v[i];
        fn(&info, arg);
    }
    b->n = 0;
    b->full = false;
}

TIDE_API void tide_heap_walk(tide_walk_fn fn, void *arg)
{
    if (!atomic_load(&g.ready)) return;
    struct tide_chunk_info stack_infos[STACK_INFOS];
    bool mine = !atomic_flag_test_and_set(&static_busy);
    struct batch b = {mine ? static_infos : stack_infos, 0, mine ? STATIC_INFOS : STACK_INFOS,
                      false, NULL, NULL, false};
    for (size_t i = 0; i < atomic_load(&g.narenas); i++) {
        struct arena *a = g.arenas[i];
        do {
            b.skipping = b.full;
            b.full = false;
            lock_take(&a->lock);
            for_each_region(a, walk_region, &b);
            for_each_slab_page(a, walk_slab_page, &b);
            lock_drop(&a->lock);
            bool more = b.full;
            deliver(&b, fn, arg);
            b.full = more;
        } while (b.full);
    }
    size_t from = 0;
    do {
        from = mmap_walk(from, add_mapped, &b);
        deliver(&b, fn, arg);
    } while (from);
    if (mine) atomic_flag_clear(&static_busy);
}

TIDE_API const char *tide_chunk_state_name(enum tide_chunk_state state)
{
    switch (state) {
    case TIDE_CHUNK_IN_USE: return "in-use";
    case TIDE_CHUNK_CACHED: return "cached";
    case TIDE_CHUNK_FREE: return "free";
    case TIDE_CHUNK_TOP: return "top";
    case TIDE_CHUNK_MMAPPED: return "mmapped";
    case TIDE_CHUNK_QUICK: return "quick";
    }
    return "?";
}
