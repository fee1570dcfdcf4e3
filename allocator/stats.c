/*
 * allocator/stats.c - the numbers: tide_get_stats, mallinfo2, malloc_stats,
 * and malloc_trim, which gives back what the numbers show as free.
 */
#include "internal.h"

struct tally {
    size_t in_use, free_bytes, free_chunks, top;
    int arena; /* tally_arena_chunk: only this arena's chunks */
};

static void tally_chunk(const struct tide_chunk_info *c, void *arg)
{
    struct tally *t = arg;
    switch (c->state) {
    case TIDE_CHUNK_IN_USE: t->in_use += c->size; break;
    case TIDE_CHUNK_CACHED: t->in_use += c->size; break;
    case TIDE_CHUNK_QUICK: t->in_use += c->size; break;
    case TIDE_CHUNK_FREE: t->free_bytes += c->size; t->free_chunks++; break;
    case TIDE_CHUNK_TOP: t->top += c->size; break;
    case TIDE_CHUNK_MMAPPED: break;
    }
}

/* Bytes held by every thread's cache (other threads' counts are read
 * without their cooperation: a snapshot, exact when they are idle) and
 * by the arenas' quick lists. */
static size_t cached_bytes(size_t *blocks)
{
    size_t bytes = 0, n = 0;
    lock_take(&g.arenas_lock);
    for (struct tcache *tc = g.tcaches; tc; tc = tc->next_tc) {
        for (size_t i = 0; i < TC_CLASSES; i++)
            n += tc_count_of(__atomic_load_n(&tc->quota[i], __ATOMIC_RELAXED));
        bytes += tcache_held(tc);
    }
    lock_drop(&g.arenas_lock);
    for (size_t k = 0; k < atomic_load(&g.narenas); k++) {
        struct arena *a = g.arenas[k];
        lock_take(&a->lock);
        for (size_t i = 0; i < TC_BINS; i++)
            for (size_t r = 0; r < QUICK_RUNS; r++) n += a->quick_n[i][r];
        bytes += a->quick_bytes;
        lock_drop(&a->lock);
    }
    if (blocks) *blocks = n;
    return bytes;
}

TIDE_API void tide_get_stats(struct tide_stats *out)
{
    ensure_init();
    struct tally t = {0};
    tide_heap_walk(tally_chunk, &t);
    size_t cached = cached_bytes(NULL);
    struct stats_counters *s = &g.st;
    *out = (struct tide_stats){
        .brk_calls = s->brk_calls, .brk_grow_bytes = s->brk_grow, .brk_shrink_bytes = s->brk_shrink,
        .mmap_calls = s->mmap_calls, .mmap_bytes = s->mmap_bytes,
        .munmap_calls = s->munmap_calls, .munmap_bytes = s->munmap_bytes,
        .purge_calls = s->purge_calls, .purge_bytes = s->purge_bytes,
        .bytes_in_use = t.in_use - cached + s->mapped_bytes,
        .bytes_cached = t.free_bytes + cached,
        .bytes_top = t.top,
        .heap_bytes = s->heap_bytes,
        .mapped_bytes = s->mapped_bytes, .mapped_blocks = s->mapped_blocks,
        .peak_bytes = s->peak,
        .heap_start = (void *)g.heap_lo,
        .heap_end = (void *)(g.heap_lo + atomic_load(&g.heap_span)),
        .arenas = atomic_load(&g.narenas),
        .mmap_threshold = g.cfg.mmap_threshold, .trim_threshold = g.cfg.trim_threshold,
        .top_pad = g.cfg.top_pad,
    };
}

TIDE_API struct tide_mallinfo tide_mallinfo2(void)
{
    ensure_init();
    struct tally t = {0};
    tide_heap_walk(tally_chunk, &t);
    size_t blocks, cached = cached_bytes(&blocks);
    return (struct tide_mallinfo){
        .arena = g.st.heap_bytes,
        .ordblks = t.free_chunks + (t.top ? 1 : 0),
        .smblks = blocks,
        .hblks = g.st.mapped_blocks,
        .hblkhd = g.st.mapped_bytes,
        .usmblks = g.st.peak,
        .fsmblks = cached,
        .uordblks = t.in_use - cached,
        .fordblks = t.free_bytes + t.top + cached,
        .keepcost = main_arena.top ? csize(main_arena.top) : 0,
    };
}

/* Appends "label = value" padded like glibc's malloc_stats. */
static void stat_line(const char *label, size_t v)
{
    char buf[64], num[24];
    size_t len = 0, n = fmt_dec(num, v);
    for (const char *s = label; *s; s++) buf[len++] = *s;
    while (len < 17) buf[len++] = ' ';
    buf[len++] = '=';
    buf[len++] = ' ';
    for (size_t pad = n; pad < 10; pad++) buf[len++] = ' ';
    for (size_t i = 0; i < n; i++) buf[len++] = num[i];
    buf[len++] = '\n';
    tide_sys_write(buf, len);
}

static void arena_line(size_t i)
{
    char buf[32];
    size_t len = 0;
    for (const char *s = "Arena "; *s; s++) buf[len++] = *s;
    len += fmt_dec(buf + len, i);
    buf[len++] = ':';
    buf[len++] = '\n';
    tide_sys_write(buf, len);
}

static void tally_arena_chunk(const struct tide_chunk_info *c, void *arg)
{
    struct tally *t = arg;
    if (c->arena == t->arena) tally_chunk(c, arg);
}

TIDE_API void tide_malloc_stats(void)
{
    ensure_init();
    size_t total_sys = 0, total_use = 0;
    for (size_t i = 0; i < atomic_load(&g.narenas); i++) {
        struct tally t = {.arena = (int)i};
        tide_heap_walk(tally_arena_chunk, &t);
        arena_line(i);
        stat_line("system bytes", g.arenas[i]->system_bytes + g.arenas[i]->slab_bytes);
        stat_line("in use bytes", t.in_use);
        total_sys += g.arenas[i]->system_bytes + g.arenas[i]->slab_bytes;
        total_use += t.in_use;
    }
    tide_sys_write("Total (incl. mmap):\n", 20);
    stat_line("system bytes", total_sys + g.st.mapped_bytes);
    stat_line("in use bytes", total_use + g.st.mapped_bytes);
    stat_line("max mmap regions", g.st.mapped_blocks);
    stat_line("max mmap bytes", g.st.mapped_bytes);
}

/* Gives back free memory: the calling thread's cache is emptied, each
 * top is trimmed to pad bytes, and whole free pages inside the heaps are
 * purged where the platform can. Returns 1 if anything went back. */
TIDE_API int tide_malloc_trim(size_t pad)
{
    ensure_init();
    if (tc_real(tc_self)) tcache_flush(tc_self);
    bool any = false;
    for (size_t i = 0; i < atomic_load(&g.narenas); i++) {
        struct arena *a = g.arenas[i];
        lock_take(&a->lock);
        remote_drain(a);
        quick_flush(a);
        any |= arena_trim(a, pad);
        any |= arena_purge(a, SIZE_MAX);
        size_t slab_before = a->slab_bytes;
        slab_purge(a, true);
        any |= a->slab_bytes < slab_before;
        lock_drop(&a->lock);
    }
    return any;
}
