/*
 * tests/unit/test_free.c - tide_free: NULL, mmapped blocks going back to the
 * OS, heap blocks staying cached (S6), coalescing of neighbours and with the
 * top chunk (S11).
 */
#include "unit.h"

#include <string.h>

static void free_null_is_noop(void **state)
{
    struct tide_stats before, after;
    struct fake_counters fc;

    (void)state;
    tide_free(tide_malloc(10)); /* initialise first */
    before = stats_now();
    fc = *fake_counters();
    tide_free(NULL);
    assert_memory_equal(&fc, fake_counters(), sizeof fc);
    after = stats_now();
    assert_int_equal(after.bytes_in_use, before.bytes_in_use);
    assert_int_equal(after.bytes_cached, before.bytes_cached);
}

/* S6: free of an mmapped block unmaps it at once (classic profile). */
static void free_mmapped_block_unmaps_in_classic(void **state)
{
    size_t unmaps, mapped;
    void *p;

    (void)state;
    unit_restart_classic();
    tide_free(tide_malloc(256 * KiB)); /* the core's bookkeeping of mappings */
    mapped = fake_counters()->mapped_bytes;
    p = tide_malloc(256 * KiB);
    assert_true(fake_in_mmap_region(p));
    assert_true(fake_counters()->mapped_bytes >= mapped + 256 * KiB);
    unmaps = fake_counters()->munmap_calls;
    tide_free(p);
    assert_int_equal(fake_counters()->munmap_calls, unmaps + 1);
    assert_int_equal(fake_counters()->mapped_bytes, mapped);
    assert_int_equal(stats_now().mapped_blocks, 0);
}

/* S6: free of a heap block keeps the memory: the heap does not move. */
static void free_heap_block_keeps_heap(void **state)
{
    void *a, *guard;
    size_t span, brks;

    (void)state;
    unit_restart_classic();
    a = tide_malloc(10 * KiB);
    guard = tide_malloc(100);
    span = heap_span();
    brks = fake_counters()->brk_calls;
    tide_free(a);
    assert_int_equal(heap_span(), span);
    assert_int_equal(fake_counters()->brk_calls, brks);
    tide_free(guard);
}

static void free_neighbours_coalesce(void **state)
{
    unsigned char *a, *b, *c, *guard;
    struct walk_summary s;

    (void)state;
    unit_no_slab();
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    a = tide_malloc(1000);
    b = tide_malloc(1000);
    c = tide_malloc(1000);
    guard = tide_malloc(1000);
    assert_ptr_equal(b, a + 1008);
    assert_ptr_equal(c, b + 1008);
    tide_free(a);
    tide_free(c);
    tide_free(b);
    walk_heap(&s, a);
    assert_true(s.saw_target);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_FREE);
    assert_int_equal(s.target_info.size, 3 * 1008);
    assert_int_equal(s.free, 1);
    tide_free(guard);
}

static void free_next_to_top_merges_into_top(void **state)
{
    struct walk_summary before, after;
    void *a;

    (void)state;
    unit_no_slab();
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    tide_free(tide_malloc(2000));
    walk_heap(&before, NULL);
    a = tide_malloc(1000);
    tide_free(a);
    walk_heap(&after, a);
    assert_int_equal(after.free, before.free);
    assert_int_equal(after.in_use, before.in_use);
    assert_int_equal(after.top, 1);
    /* a's chunk is now where the top starts */
    assert_true(after.saw_target);
    assert_int_equal(after.target_info.state, TIDE_CHUNK_TOP);
}

static void free_without_cache_goes_to_bin(void **state)
{
    struct walk_summary s;
    void *a, *guard;

    (void)state;
    unit_no_slab();
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    a = tide_malloc(200);
    guard = tide_malloc(200);
    tide_free(a);
    walk_heap(&s, a);
    assert_true(s.saw_target);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_FREE);
    assert_in_range(s.target_info.bin, 0, 126);
    tide_free(guard);
}

/* Cached blocks given back in a row that are neighbours are freed as one
 * chunk (gather_free): the stretch is one free chunk up to the block still
 * in use, and a second free of any block inside it is still caught by that
 * block's own header. */
static void cache_release_frees_neighbours_as_one(void **state)
{
    enum { N = 24, CHUNK = 48 };
    char *p[N], *lo, *guard, line[128];
    struct walk_summary s;

    (void)state;
    unit_no_slab();
    for (size_t i = 0; i < N; i++)
        p[i] = tide_malloc(40);
    lo = guard = p[0];
    for (size_t i = 0; i < N; i++) {
        if (p[i] < lo) lo = p[i];
        if (p[i] > guard) guard = p[i];
    }
    /* refill runs, carved one after another: what lies between the blocks
     * is more blocks of the class, still in the cache */
    if ((guard - lo) % CHUNK || guard - lo > 4 * N * CHUNK)
        fail_msg("%d blocks of 40 bytes are not one stretch: %p..%p", N, (void *)lo, (void *)guard);
    for (size_t i = 0; i < N; i++)
        if (p[i] != guard) tide_free(p[i]);
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1); /* the cache goes back */
    walk_heap(&s, lo);
    assert_true(s.saw_target);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_FREE);
    assert_int_equal(s.target_info.size, (size_t)(guard - lo));
    for (size_t i = 0; i < N; i += 5)
        if (p[i] != guard)
            expect_abort(tide_free, p[i], abort_line(line, sizeof line, "double free of", p[i]), p[i]);
    tide_free(guard);
}

static void free_many_then_reallocate_same_memory(void **state)
{
    static void *p[2000];
    size_t span;

    (void)state;
    unit_restart_classic();
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(16 + (i % 50) * 16);
    span = heap_span();
    for (size_t round = 0; round < 5; round++) {
        for (size_t i = 0; i < ARRAY_LEN(p); i++)
            tide_free(p[i]);
        for (size_t i = 0; i < ARRAY_LEN(p); i++)
            p[i] = tide_malloc(16 + (i % 50) * 16);
        /* the same memory again: at most the top pad's worth of new heap
         * (the top was trimmed and regrown in other steps) */
        assert_true(heap_span() <= span + 128 * KiB);
    }
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("free-null-is-noop", free_null_is_noop),
    UNIT_TEST("free-mmapped-block-unmaps-in-classic", free_mmapped_block_unmaps_in_classic),
    UNIT_TEST("free-heap-block-keeps-heap", free_heap_block_keeps_heap),
    UNIT_TEST("free-neighbours-coalesce", free_neighbours_coalesce),
    UNIT_TEST("free-next-to-top-merges-into-top", free_next_to_top_merges_into_top),
    UNIT_TEST("free-without-cache-goes-to-bin", free_without_cache_goes_to_bin),
    UNIT_TEST("free-cache-release-frees-neighbours-as-one", cache_release_frees_neighbours_as_one),
    UNIT_TEST("free-many-then-reallocate-same-memory", free_many_then_reallocate_same_memory),
};

UNIT_GROUP(free, tests)
