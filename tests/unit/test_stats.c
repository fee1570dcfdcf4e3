/*
 * tests/unit/test_stats.c - tide_get_stats, tide_mallinfo2 and
 * tide_malloc_stats: the counters agree with what the platform saw, the
 * byte counts follow malloc and free, the glibc-shaped mallinfo fields.
 */
#include "unit.h"

#include <string.h>

static void workload(void)
{
    void *p[40];

    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(i % 4 == 0 ? 200 * KiB + i * KiB : 100 + i * 50);
    for (size_t i = 0; i < ARRAY_LEN(p); i += 2)
        tide_free(p[i]);
    for (size_t i = 1; i < ARRAY_LEN(p); i += 2)
        tide_free(p[i]);
}

static void stats_count_every_platform_call(void **state)
{
    const struct fake_counters *fc = fake_counters();
    struct tide_stats st;

    (void)state;
    unit_restart_classic();
    workload();
    st = stats_now();
    assert_int_equal(st.mmap_calls, fc->mmap_calls);
    assert_int_equal(st.munmap_calls, fc->munmap_calls);
    assert_int_equal(st.purge_calls, fc->purge_calls);
    assert_int_equal(st.brk_grow_bytes - st.brk_shrink_bytes, fc->brk_bytes);
    assert_true(st.brk_calls >= fc->brk_calls);
    assert_true(st.mmap_calls >= 10);
}

static void stats_heap_matches_brk_span(void **state)
{
    struct tide_stats st;
    void *p;

    (void)state;
    unit_restart_classic();
    p = tide_malloc(1);
    st = stats_now();
    assert_ptr_equal(st.heap_start, fake_brk_start());
    assert_int_equal(st.heap_bytes, 132 * KiB);
    assert_int_equal((size_t)((char *)st.heap_end - (char *)st.heap_start), 132 * KiB);
    assert_int_equal(st.arenas, 1);
    tide_free(p);
}

static void stats_in_use_follows_malloc_and_free(void **state)
{
    size_t base;
    void *p;

    (void)state;
    tide_free(tide_malloc(5));
    base = stats_now().bytes_in_use;
    p = tide_malloc(400); /* a chunk of 416 bytes */
    assert_int_equal(stats_now().bytes_in_use, base + 416);
    tide_free(p);
    assert_int_equal(stats_now().bytes_in_use, base);
    p = tide_malloc(1000); /* a slot of 1024 (default profile) */
    assert_int_equal(stats_now().bytes_in_use, base + 1024);
    tide_free(p);
    assert_int_equal(stats_now().bytes_in_use, base);
}

static void stats_mapped_block_counted(void **state)
{
    struct tide_stats before = stats_now(), after;
    void *p = tide_malloc(MiB);

    (void)state;
    after = stats_now();
    assert_int_equal(after.mapped_blocks, before.mapped_blocks + 1);
    assert_true(after.mapped_bytes >= before.mapped_bytes + MiB);
    assert_int_equal(after.mapped_bytes % 4096, 0);
    assert_true(after.peak_bytes >= after.heap_bytes + after.mapped_bytes);
    tide_free(p);
    assert_true(stats_now().peak_bytes >= after.heap_bytes + after.mapped_bytes);
}

static void mallinfo2_matches_stats(void **state)
{
    struct tide_mallinfo mi;
    struct tide_stats st;
    void *big, *small;

    (void)state;
    unit_restart_classic();
    big = tide_malloc(MiB);
    small = tide_malloc(1000);
    mi = tide_mallinfo2();
    st = stats_now();
    assert_int_equal(mi.arena, st.heap_bytes);
    assert_int_equal(mi.hblks, 1);
    assert_int_equal(mi.hblkhd, st.mapped_bytes);
    assert_true(mi.hblkhd >= MiB);
    assert_true(mi.uordblks >= 1008);
    assert_true(mi.usmblks >= mi.arena + mi.hblkhd);
    assert_true(mi.keepcost > 0);
    assert_int_equal(mi.uordblks + mi.fordblks, mi.arena);
    tide_free(big);
    tide_free(small);
    mi = tide_mallinfo2();
    assert_int_equal(mi.hblks, 0);
    assert_int_equal(mi.hblkhd, 0);
}

static void mallinfo2_counts_cached_blocks(void **state)
{
    struct tide_mallinfo mi;
    void *p = tide_malloc(64), *guard = tide_malloc(64);

    (void)state;
    tide_free(p);
    mi = tide_mallinfo2();
    assert_true(mi.smblks >= 1);
    assert_true(mi.fsmblks >= 80);
    tide_free(guard);
}

static void malloc_stats_writes_to_error_channel(void **state)
{
    void *p = tide_malloc(100);

    (void)state;
    fake_clear_messages();
    tide_malloc_stats();
    assert_true(strlen(fake_messages()) > 20);
    assert_non_null(strstr(fake_messages(), "bytes"));
    tide_free(p);
}

/* Introspection must not need memory: with the platform out of memory
 * (no brk, no mmap) the numbers and the walk are still complete. */
static void stats_and_walk_work_without_memory(void **state)
{
    static void *p[5000]; /* more chunks than any small static buffer */
    struct walk_summary s;
    struct tide_stats st;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(1000);
    fake_set_brk_limit(fake_counters()->brk_bytes);
    fake_fail_mmap(1, true);
    fake_clear_messages();
    st = stats_now();
    assert_true(st.bytes_in_use >= ARRAY_LEN(p) * 1008);
    assert_true(tide_mallinfo2().uordblks >= ARRAY_LEN(p) * 1008);
    walk_heap(&s, p[ARRAY_LEN(p) - 1]);
    assert_true(s.saw_target);
    assert_true(s.in_use >= ARRAY_LEN(p));
    assert_string_equal(fake_messages(), "");
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

static void stats_zero_after_reset(void **state)
{
    struct tide_stats st;

    (void)state;
    workload();
    unit_restart(NULL);
    st = stats_now();
    assert_int_equal(st.bytes_in_use, 0);
    assert_int_equal(st.mapped_blocks, 0);
    assert_int_equal(st.mmap_calls, 0);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("stats-count-every-platform-call", stats_count_every_platform_call),
    UNIT_TEST("stats-heap-matches-brk-span", stats_heap_matches_brk_span),
    UNIT_TEST("stats-in-use-follows-malloc-and-free", stats_in_use_follows_malloc_and_free),
    UNIT_TEST("stats-mapped-block-counted", stats_mapped_block_counted),
    UNIT_TEST("mallinfo2-matches-stats", mallinfo2_matches_stats),
    UNIT_TEST("mallinfo2-counts-cached-blocks", mallinfo2_counts_cached_blocks),
    UNIT_TEST("malloc-stats-writes-to-error-channel", malloc_stats_writes_to_error_channel),
    UNIT_TEST("stats-zero-after-reset", stats_zero_after_reset),
    UNIT_TEST("stats-and-walk-work-without-memory", stats_and_walk_work_without_memory),
};

UNIT_GROUP(stats, tests)
