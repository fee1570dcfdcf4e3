/*
 * allocator/walk.c - visiting every chunk: the regions of an arena (its part
 * of the brk heap, its segments), the chunks in each, and tide_heap_walk.
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

struct walk_ctx {
    tide_walk_fn fn;
    void *arg;
};

static void walk_region(struct arena *a, struct region r, void *arg)
{
    struct walk_ctx *w = arg;
    for (struct chunk *c = (struct chunk *)r.start; (char *)c + HDR <= r.end && !is_fence(c);
         c = next_chunk(c)) {
        struct tide_chunk_info info = {c, chunk2mem(c), csize(c), TIDE_CHUNK_IN_USE, TIDE_BIN_NONE, a->index};
        if (c == a->top) {
            info.state = TIDE_CHUNK_TOP;
            w->fn(&info, w->arg);
            return;
        }
        if ((char *)c + csize(c) + HDR > r.end) return; /* broken: tide_check says so */
        if (!(next_chunk(c)->size & PREV_INUSE)) {
            info.state = TIDE_CHUNK_FREE;
            info.bin = free_chunk_bin(a, c);
        } else if (tcache_contains(tc_self, c, &info.bin)) {
            info.state = TIDE_CHUNK_CACHED;
        }
        w->fn(&info, w->arg);
    }
}

/* The walk first copies every chunk's description into a scratch buffer
 * while holding the locks, then calls fn with no lock held: fn may print,
 * and printing may allocate. The buffer is a static one (so a walk costs no
 * system call), or a mapping when the static one is busy or too small. */
#define STATIC_INFOS 2048
static struct tide_chunk_info static_infos[STATIC_INFOS];
static atomic_flag static_busy;

struct snapshot {
    struct tide_chunk_info *v;
    size_t n, cap, bytes; /* bytes: of the mapping, 0 for the static buffer */
    bool lost;
};

static void snap_push(const struct tide_chunk_info *info, void *arg)
{
    struct snapshot *s = arg;
    if (s->n == s->cap) {
        size_t bytes = s->bytes ? s->bytes * 2 : align_up(2 * STATIC_INFOS * sizeof *s->v, g.page);
        struct tide_chunk_info *v = tide_sys_mmap(bytes);
        if (!v) {
            s->lost = true;
            return;
        }
        if (s->n) __builtin_memcpy(v, s->v, s->n * sizeof *v);
        if (s->bytes) tide_sys_munmap(s->v, s->bytes);
        else if (s->v) atomic_flag_clear(&static_busy);
        s->v = v;
        s->bytes = bytes;
        s->cap = bytes / sizeof *v;
    }
    s->v[s->n++] = *info;
}

TIDE_API void tide_heap_walk(tide_walk_fn fn, void *arg)
{
    if (!atomic_load(&g.ready)) return;
    struct snapshot s = {0};
    if (!atomic_flag_test_and_set(&static_busy)) {
        s.v = static_infos;
        s.cap = STATIC_INFOS;
    }
    struct walk_ctx w = {snap_push, &s};
    for (size_t i = 0; i < atomic_load(&g.narenas); i++) {
        struct arena *a = g.arenas[i];
        lock_take(&a->lock);
        for_each_region(a, walk_region, &w);
        lock_drop(&a->lock);
    }
    mmap_walk(snap_push, &s);
    if (s.lost) report_line("heap walk: out of memory, walk incomplete", 0);
    /* fn runs on a private copy when the static buffer is in use, so a
     * nested walk from inside fn cannot overwrite it. */
    for (size_t i = 0; i < s.n; i++) {
        struct tide_chunk_info info = s.v[i];
        fn(&info, arg);
    }
    if (s.bytes) tide_sys_munmap(s.v, s.bytes);
    else if (s.v) atomic_flag_clear(&static_busy);
}

TIDE_API const char *tide_chunk_state_name(enum tide_chunk_state state)
{
    switch (state) {
    case TIDE_CHUNK_IN_USE: return "in-use";
    case TIDE_CHUNK_CACHED: return "cached";
    case TIDE_CHUNK_FREE: return "free";
    case TIDE_CHUNK_TOP: return "top";
    case TIDE_CHUNK_MMAPPED: return "mmapped";
    }
    return "?";
}
