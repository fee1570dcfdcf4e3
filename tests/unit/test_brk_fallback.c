/*
 * tests/unit/test_brk_fallback.c - the heap without a working brk: an
 * mmap-only platform, brk that stops growing halfway, a break moved by
 * someone else, and the core's default 64 MiB segments.
 */
#include "unit.h"
#include "sys.h"

#include <string.h>

#define NSMALL 3000

static unsigned char *blocks[NSMALL];

static size_t small_size(size_t i) { return 16 + (i * 37) % 2000; }

/* Allocates NSMALL small blocks with patterns; counts those outside brk. */
static size_t fill_small_blocks(void)
{
    size_t outside = 0;

    for (size_t i = 0; i < NSMALL; i++) {
        blocks[i] = tide_malloc(small_size(i));
        assert_non_null(blocks[i]);
        assert_int_equal((uintptr_t)blocks[i] % 16, 0);
        fill_pattern(blocks[i], small_size(i), (unsigned)i);
        outside += !fake_in_brk_region(blocks[i]);
    }
    return outside;
}

static void verify_and_free_small_blocks(void)
{
    for (size_t i = 0; i < NSMALL; i++) {
        assert_true(check_pattern(blocks[i], small_size(i), (unsigned)i));
        tide_free(blocks[i]);
    }
}

static void restart_with(bool no_brk, size_t brk_limit, size_t segment)
{
    struct fake_config cfg;

    fake_config_default(&cfg);
    cfg.no_brk = no_brk;
    cfg.brk_limit = brk_limit;
    cfg.segment_size = segment;
    unit_restart(&cfg);
}

static void no_brk_platform_heap_on_segments(void **state)
{
    struct tide_stats st;

    (void)state;
    restart_with(true, FAKE_BRK_REGION, MiB);
    assert_int_equal(fill_small_blocks(), NSMALL);
    for (size_t i = 0; i < NSMALL; i++)
        assert_true(fake_in_mmap_region(blocks[i]));
    st = stats_now();
    assert_true(st.heap_bytes >= MiB);
    assert_int_equal(st.heap_bytes % MiB, 0);
    assert_int_equal(fake_counters()->brk_bytes, 0);
    verify_and_free_small_blocks();
}

static void no_brk_platform_default_segment_size(void **state)
{
    (void)state;
    restart_with(true, FAKE_BRK_REGION, 0);
    unit_no_slab(); /* the slab area is a mapping of its own */
    assert_int_equal(fill_small_blocks(), NSMALL);
    verify_and_free_small_blocks();
    /* one 64 MiB segment, mapped twice as large to align it, then trimmed */
    if (fake_counters()->peak_mapped_bytes > 129 * MiB)
        fail_msg("peak mapped %zu bytes for 3000 small blocks", fake_counters()->peak_mapped_bytes);
}

static void brk_fails_midway_continues_on_segments(void **state)
{
    size_t outside;

    (void)state;
    restart_with(false, 200 * KiB, MiB);
    outside = fill_small_blocks();
    assert_true(outside > 0);
    assert_true(outside < NSMALL);
    verify_and_free_small_blocks();
}

static void brk_moved_by_foreign_code(void **state)
{
    unsigned char *gap_lo, *gap_hi;

    (void)state;
    tide_free(tide_malloc(100));
    gap_lo = tide_sys_brk(NULL);
    assert_true(fake_foreign_sbrk(8192));
    gap_hi = gap_lo + 8192;
    memset(gap_lo, 0xee, 8192);
    fill_small_blocks();
    for (size_t i = 0; i < NSMALL; i++)
        assert_false(blocks[i] + small_size(i) > gap_lo && blocks[i] < gap_hi);
    assert_true(all_bytes(gap_lo, 8192, 0xee));
    verify_and_free_small_blocks();
    assert_true(all_bytes(gap_lo, 8192, 0xee));
}

static void no_brk_segments_reused_after_free(void **state)
{
    size_t maps;

    (void)state;
    restart_with(true, FAKE_BRK_REGION, MiB);
    fill_small_blocks();
    verify_and_free_small_blocks();
    maps = fake_counters()->mmap_calls;
    fill_small_blocks();
    verify_and_free_small_blocks();
    assert_true(fake_counters()->mmap_calls <= maps + 2);
}

static void no_brk_large_blocks_still_mmapped(void **state)
{
    void *p, *q;

    (void)state;
    restart_with(true, FAKE_BRK_REGION, MiB);
    p = tide_malloc(3 * MiB);
    q = tide_malloc(100);
    assert_non_null(p);
    assert_non_null(q);
    memset(p, 1, 3 * MiB);
    assert_int_equal(stats_now().mapped_blocks, 1);
    tide_free(p);
    tide_free(q);
}

static void no_brk_trim_gives_segment_memory_back(void **state)
{
    size_t mapped;

    (void)state;
    restart_with(true, FAKE_BRK_REGION, MiB);
    fill_small_blocks();
    mapped = fake_counters()->mapped_bytes;
    verify_and_free_small_blocks();
    tide_malloc_trim(0);
    assert_true(fake_counters()->mapped_bytes < mapped || fake_counters()->purge_calls > 0);
    fill_small_blocks();
    verify_and_free_small_blocks();
}

static void no_brk_big_alignments(void **state)
{
    static const size_t aligns[] = { 4 * KiB, 64 * KiB, 512 * KiB, MiB, 4 * MiB };
    void *p[ARRAY_LEN(aligns)];

    (void)state;
    restart_with(true, FAKE_BRK_REGION, MiB);
    for (size_t i = 0; i < ARRAY_LEN(aligns); i++) {
        assert_int_equal(tide_posix_memalign(&p[i], aligns[i], 1000 + i), 0);
        assert_int_equal((uintptr_t)p[i] % aligns[i], 0);
        memset(p[i], 0x5a, 1000 + i);
    }
    for (size_t i = 0; i < ARRAY_LEN(aligns); i++)
        tide_free(p[i]);
}

/* On segments, a free inside the segment the thread allocates from passes
 * one range test (free_segment_fast), as in the brk heap; a bad one is
 * still caught: an interior pointer, a misaligned one, a second free. */
static void no_brk_bad_frees_in_own_segment_abort(void **state)
{
    char line[128];
    char *p, *q;

    (void)state;
    restart_with(true, 0, 0);
    p = tide_malloc(100);
    q = tide_malloc(100);
    assert_false(fake_in_brk_region(p));
    memset(p, 0, 100);
    expect_abort(tide_free, p + 32, abort_line(line, sizeof line, "free(): invalid pointer", p + 32), p + 32);
    expect_abort(tide_free, p + 8, abort_line(line, sizeof line, "free(): invalid pointer", p + 8), p + 8);
    expect_abort(free_twice, q, abort_line(line, sizeof line, "double free of", q), q);
    tide_free(p);
    tide_free(q);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("no-brk-platform-heap-on-segments", no_brk_platform_heap_on_segments),
    UNIT_TEST("no-brk-platform-default-segment-size", no_brk_platform_default_segment_size),
    UNIT_TEST("brk-fails-midway-continues-on-segments", brk_fails_midway_continues_on_segments),
    UNIT_TEST("brk-moved-by-foreign-code", brk_moved_by_foreign_code),
    UNIT_TEST("no-brk-segments-reused-after-free", no_brk_segments_reused_after_free),
    UNIT_TEST("no-brk-large-blocks-still-mmapped", no_brk_large_blocks_still_mmapped),
    UNIT_TEST("no-brk-trim-gives-segment-memory-back", no_brk_trim_gives_segment_memory_back),
    UNIT_TEST("no-brk-big-alignments", no_brk_big_alignments),
    UNIT_TEST("no-brk-bad-frees-in-own-segment-abort", no_brk_bad_frees_in_own_segment_abort),
};

UNIT_GROUP(brk_fallback, tests)
