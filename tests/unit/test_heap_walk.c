/*
 * tests/unit/test_heap_walk.c - tide_heap_walk (S11): every block visited
 * once with the right state (a slab slot as a chunk without header), the chunks of the brk heap tile it from start
 * to top, mmapped blocks come last, freed chunks show their bin.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#define NBLOCKS 100

struct visit_log {
    void *blocks[NBLOCKS];
    unsigned seen[NBLOCKS];
    bool bad_mem, bad_state;
    /* tiling of arena 0 */
    const char *next_expected;
    bool gap, after_mmapped_heap_chunk;
    bool seen_mmapped;
    size_t tops;
    const char *top_end;
};

static void log_visit(const struct tide_chunk_info *ci, void *arg)
{
    struct visit_log *v = arg;

    /* a slot of a slab page (default profile) has no header: chunk == mem */
    bool slot = ci->mem == ci->chunk;

    if ((const char *)ci->mem != (const char *)ci->chunk + 16 && !(slot && ci->size <= 1024))
        v->bad_mem = true;
    for (size_t i = 0; i < NBLOCKS; i++) {
        if (ci->mem == v->blocks[i]) {
            size_t usable = tide_malloc_usable_size(v->blocks[i]);
            enum tide_chunk_state want = usable >= 128 * KiB ? TIDE_CHUNK_MMAPPED : TIDE_CHUNK_IN_USE;

            v->seen[i]++;
            if (ci->state != want || (slot ? ci->size != usable : ci->size < usable + 8))
                v->bad_state = true;
        }
    }
    if (ci->state == TIDE_CHUNK_MMAPPED) {
        v->seen_mmapped = true;
        return;
    }
    if (v->seen_mmapped)
        v->after_mmapped_heap_chunk = true;
    if (ci->arena != 0)
        return;
    if (v->next_expected && (const char *)ci->chunk != v->next_expected)
        v->gap = true;
    v->next_expected = (const char *)ci->chunk + ci->size;
    if (ci->state == TIDE_CHUNK_TOP) {
        v->tops++;
        v->top_end = v->next_expected;
    }
}

static void heap_walk_visits_every_block_once(void **state)
{
    static struct visit_log v;

    (void)state;
    memset(&v, 0, sizeof v);
    for (size_t i = 0; i < NBLOCKS; i++)
        v.blocks[i] = tide_malloc(i * 40 + (i % 10 == 0 ? 300 * KiB : 0));
    tide_heap_walk(log_visit, &v);
    for (size_t i = 0; i < NBLOCKS; i++)
        assert_int_equal(v.seen[i], 1);
    assert_false(v.bad_mem);
    assert_false(v.bad_state);
    for (size_t i = 0; i < NBLOCKS; i++)
        tide_free(v.blocks[i]);
}

static void heap_walk_chunks_tile_heap_to_top(void **state)
{
    static struct visit_log v;
    struct tide_stats st;

    (void)state;
    unit_no_slab();
    memset(&v, 0, sizeof v);
    for (size_t i = 0; i < NBLOCKS; i++)
        v.blocks[i] = tide_malloc(24 + i * 8);
    for (size_t i = 0; i < NBLOCKS; i += 3)
        tide_free(v.blocks[i]), v.blocks[i] = NULL;
    tide_heap_walk(log_visit, &v);
    st = stats_now();
    assert_false(v.gap);
    assert_int_equal(v.tops, 1);
    assert_true(v.top_end <= (const char *)st.heap_end);
    assert_true((const char *)st.heap_end - v.top_end < 64);
    for (size_t i = 0; i < NBLOCKS; i++)
        tide_free(v.blocks[i]);
}

static void heap_walk_mmapped_blocks_last(void **state)
{
    static struct visit_log v;
    void *big, *small;

    (void)state;
    memset(&v, 0, sizeof v);
    big = tide_malloc(MiB);
    small = tide_malloc(100);
    tide_heap_walk(log_visit, &v);
    assert_true(v.seen_mmapped);
    assert_false(v.after_mmapped_heap_chunk);
    struct walk_summary s;
    walk_heap(&s, big);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_MMAPPED);
    assert_int_equal(s.target_info.bin, TIDE_BIN_NONE);
    assert_true(s.target_info.size >= MiB + 16);
    tide_free(big);
    tide_free(small);
}

static void heap_walk_freed_chunk_shows_bin(void **state)
{
    struct walk_summary s;
    void *a, *guard;

    (void)state;
    a = tide_malloc(40);
    guard = tide_malloc(40);
    tide_free(a);
    walk_heap(&s, a);
    assert_true(s.saw_target);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_CACHED);
    assert_true(s.target_info.bin >= 0);
    tide_free(guard);
}

/* After a later request sorts them, a 1008-byte chunk sits in a small bin
 * and a 10 KiB chunk in a large bin. */
static void sorted_chunks_land_in_small_and_large_bins(void **state)
{
    struct walk_summary s;
    void *small, *large, *g1, *g2, *after;

    (void)state;
    unit_no_slab();
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    small = tide_malloc(1000);
    g1 = tide_malloc(16);
    large = tide_malloc(10000);
    g2 = tide_malloc(16);
    tide_free(small);
    tide_free(large);
    after = tide_malloc(20000);
    walk_heap(&s, small);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_FREE);
    assert_in_range(s.target_info.bin, 1, 63);
    walk_heap(&s, large);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_FREE);
    assert_in_range(s.target_info.bin, 64, 126);
    tide_free(after);
    tide_free(g1);
    tide_free(g2);
}

/* The callback may print and allocate (tide.h): here it takes the
 * statistics (a walk of its own) and allocates, on every chunk. */
static void nested_visit(const struct tide_chunk_info *ci, void *arg)
{
    struct visit_log *v = arg;

    (void)stats_now();
    tide_free(tide_malloc(64));
    log_visit(ci, v);
}

static void heap_walk_callback_may_walk_and_allocate(void **state)
{
    static struct visit_log v;

    (void)state;
    memset(&v, 0, sizeof v);
    for (size_t i = 0; i < NBLOCKS; i++)
        v.blocks[i] = tide_malloc(100 + i);
    tide_heap_walk(nested_visit, &v);
    for (size_t i = 0; i < NBLOCKS; i++)
        assert_int_equal(v.seen[i], 1);
    assert_false(v.bad_state);
    for (size_t i = 0; i < NBLOCKS; i++)
        tide_free(v.blocks[i]);
}

/* More mapped blocks than one batch of the walk holds, and a callback that
 * maps and unmaps blocks of its own (the registry changes under the walk):
 * every block made before the walk is still visited exactly once. */
#define NMAPPED 1300

struct mapped_log {
    void *blocks[NMAPPED];
    unsigned seen[NMAPPED];
};

static int by_pointer(const void *a, const void *b)
{
    void *const *x = a, *const *y = b;

    return *x < *y ? -1 : *x > *y;
}

static void count_mapped_visit(const struct tide_chunk_info *ci, void *arg)
{
    struct mapped_log *m = arg;
    void *key = (void *)ci->mem;
    void **hit;

    if (ci->state != TIDE_CHUNK_MMAPPED)
        return;
    tide_free(tide_malloc(200 * KiB + (uintptr_t)key % 7 * 4096)); /* a mapping of its own */
    hit = bsearch(&key, m->blocks, NMAPPED, sizeof m->blocks[0], by_pointer);
    if (hit)
        m->seen[hit - m->blocks]++;
}

static void heap_walk_mapped_blocks_once_while_callback_maps(void **state)
{
    static struct mapped_log m;

    (void)state;
    memset(&m, 0, sizeof m);
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 128 * KiB), 1);
    for (size_t i = 0; i < NMAPPED; i++) {
        m.blocks[i] = tide_malloc(130 * KiB);
        assert_non_null(m.blocks[i]);
    }
    qsort(m.blocks, NMAPPED, sizeof m.blocks[0], by_pointer);
    tide_heap_walk(count_mapped_visit, &m);
    for (size_t i = 0; i < NMAPPED; i++)
        if (m.seen[i] != 1)
            fail_msg("mapped block %zu of %d seen %u times", i, NMAPPED, m.seen[i]);
    for (size_t i = 0; i < NMAPPED; i++)
        tide_free(m.blocks[i]);
}

/* The same for heap chunks: many batches, and a callback that splits and
 * merges chunks near the top between them. */
static void count_heap_visit(const struct tide_chunk_info *ci, void *arg)
{
    struct mapped_log *m = arg;
    void *key = (void *)ci->mem;
    void **hit;

    if (ci->state != TIDE_CHUNK_IN_USE)
        return;
    tide_free(tide_malloc(3000 + (uintptr_t)key % 5 * 64));
    hit = bsearch(&key, m->blocks, NMAPPED, sizeof m->blocks[0], by_pointer);
    if (hit)
        m->seen[hit - m->blocks]++;
}

static void heap_walk_heap_chunks_once_while_callback_allocates(void **state)
{
    static struct mapped_log m;

    (void)state;
    memset(&m, 0, sizeof m);
    for (size_t i = 0; i < NMAPPED; i++)
        m.blocks[i] = tide_malloc(100 + i % 200);
    for (size_t i = 0; i < NMAPPED; i += 3) /* holes to split and merge */
        tide_free(m.blocks[i]), m.blocks[i] = NULL;
    qsort(m.blocks, NMAPPED, sizeof m.blocks[0], by_pointer);
    tide_heap_walk(count_heap_visit, &m);
    for (size_t i = 0; i < NMAPPED; i++)
        if (m.blocks[i] && m.seen[i] != 1)
            fail_msg("heap block %zu seen %u times", i, m.seen[i]);
    for (size_t i = 0; i < NMAPPED; i++)
        tide_free(m.blocks[i]);
}

static void chunk_state_names_distinct(void **state)
{
    const char *names[5];

    (void)state;
    for (int i = 0; i < 5; i++) {
        names[i] = tide_chunk_state_name((enum tide_chunk_state)i);
        assert_non_null(names[i]);
        assert_true(strlen(names[i]) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(names[i], names[j]);
    }
}

static void heap_walk_before_first_malloc(void **state)
{
    struct walk_summary s;

    (void)state;
    walk_heap(&s, NULL);
    assert_int_equal(s.in_use + s.free + s.mmapped + s.cached, 0);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("heap-walk-visits-every-block-once", heap_walk_visits_every_block_once),
    UNIT_TEST("heap-walk-chunks-tile-heap-to-top", heap_walk_chunks_tile_heap_to_top),
    UNIT_TEST("heap-walk-mmapped-blocks-last", heap_walk_mmapped_blocks_last),
    UNIT_TEST("heap-walk-freed-chunk-shows-bin", heap_walk_freed_chunk_shows_bin),
    UNIT_TEST("sorted-chunks-land-in-small-and-large-bins", sorted_chunks_land_in_small_and_large_bins),
    UNIT_TEST("heap-walk-callback-may-walk-and-allocate", heap_walk_callback_may_walk_and_allocate),
    UNIT_TEST("heap-walk-mapped-blocks-once-while-callback-maps", heap_walk_mapped_blocks_once_while_callback_maps),
    UNIT_TEST("heap-walk-heap-chunks-once-while-callback-allocates", heap_walk_heap_chunks_once_while_callback_allocates),
    UNIT_TEST("chunk-state-names-distinct", chunk_state_names_distinct),
    UNIT_TEST("heap-walk-before-first-malloc-is-empty", heap_walk_before_first_malloc),
};

UNIT_GROUP(heap_walk, tests)
