/*
 * tests/unit/test_trim.c - giving memory back: automatic trimming of the top
 * past the trim threshold (S9), tide_malloc_trim with and without a pad,
 * purging free pages inside the heap, and the hole below the top that brk
 * cannot return but the next request reuses (S8).
 */
#include "unit.h"

static void trim_free_top_past_threshold_shrinks_heap(void **state)
{
    void *a, *b, *c;
    size_t span;

    (void)state;
    unit_restart_classic();
    a = tide_malloc(100 * KiB);
    b = tide_malloc(100 * KiB);
    c = tide_malloc(100 * KiB);
    span = heap_span();
    tide_free(c);
    tide_free(b);
    assert_true(heap_span() < span);
    assert_true(stats_now().brk_shrink_bytes > 0);
    assert_true(stats_now().bytes_top <= 128 * KiB + 4 * KiB);
    tide_free(a);
}

static void trim_small_free_top_keeps_heap(void **state)
{
    void *a, *b;
    size_t span, brks;

    (void)state;
    unit_restart_classic();
    a = tide_malloc(1000);
    b = tide_malloc(1000);
    span = heap_span();
    brks = fake_counters()->brk_calls;
    tide_free(b);
    assert_int_equal(heap_span(), span);
    assert_int_equal(fake_counters()->brk_calls, brks);
    tide_free(a);
}

static void malloc_trim_releases_free_top(void **state)
{
    void *p[3];
    size_t span;

    (void)state;
    unit_restart_classic();
    assert_int_equal(tide_mallopt(TIDE_M_TRIM_THRESHOLD, 64 * (int)MiB), 1);
    for (int i = 0; i < 3; i++)
        p[i] = tide_malloc(100 * KiB);
    for (int i = 2; i >= 0; i--)
        tide_free(p[i]);
    span = heap_span();
    assert_true(span >= 300 * KiB);
    assert_int_equal(tide_malloc_trim(0), 1);
    assert_true(heap_span() < span);
    assert_true(heap_span() <= 64 * KiB);
    assert_int_equal(tide_malloc_trim(0), 0);
}

static void malloc_trim_keeps_pad(void **state)
{
    void *p;

    (void)state;
    unit_restart_classic();
    assert_int_equal(tide_mallopt(TIDE_M_TRIM_THRESHOLD, 64 * (int)MiB), 1);
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_MAX, 0), 1);
    p = tide_malloc(100 * KiB);
    tide_free(tide_malloc(600 * KiB));
    assert_true(stats_now().bytes_top >= 600 * KiB);
    assert_int_equal(tide_malloc_trim(256 * KiB), 1);
    assert_true(stats_now().bytes_top >= 256 * KiB);
    assert_true(stats_now().bytes_top < 256 * KiB + 8 * KiB);
    tide_free(p);
}

static void hole_trim(bool purge, size_t *purge_calls, int *released)
{
    struct fake_config cfg;
    void *hole, *guard;

    fake_config_default(&cfg);
    cfg.purge = purge;
    unit_restart(&cfg);
    assert_int_equal(tide_mallopt(TIDE_M_PROFILE, 1), 1);
    hole = tide_malloc(100 * KiB);
    guard = tide_malloc(100);
    fill_pattern(guard, 100, 1);
    tide_free(hole);
    *released = tide_malloc_trim(0);
    *purge_calls = fake_counters()->purge_calls;
    assert_true(check_pattern(guard, 100, 1));
    tide_free(guard);
}

static void malloc_trim_purges_hole_inside_heap(void **state)
{
    size_t calls;
    int released;

    (void)state;
    hole_trim(true, &calls, &released);
    assert_true(calls > 0);
    assert_int_equal(released, 1);
    assert_true(stats_now().purge_bytes >= 64 * KiB);
}

static void malloc_trim_without_purge_leaves_hole(void **state)
{
    size_t calls;
    int released;

    (void)state;
    hole_trim(false, &calls, &released);
    assert_int_equal(calls, 0);
}

/* S8: 10/20/30 KiB; free the first two; < 30 KiB reuses the hole, more grows. */
static void hole_below_top_reused_when_it_fits(void **state)
{
    char *a, *b, *c, *fits, *big;

    (void)state;
    unit_restart_classic();
    a = tide_malloc(10 * KiB);
    b = tide_malloc(20 * KiB);
    c = tide_malloc(30 * KiB);
    tide_free(a);
    tide_free(b);
    fits = tide_malloc(25 * KiB);
    assert_true(fits >= a && fits < c);
    big = tide_malloc(40 * KiB);
    assert_true(big > c);
    tide_free(fits);
    tide_free(big);
    tide_free(c);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("trim-free-top-past-threshold-shrinks-heap", trim_free_top_past_threshold_shrinks_heap),
    UNIT_TEST("trim-small-free-top-keeps-heap", trim_small_free_top_keeps_heap),
    UNIT_TEST("malloc-trim-releases-free-top", malloc_trim_releases_free_top),
    UNIT_TEST("malloc-trim-keeps-pad", malloc_trim_keeps_pad),
    UNIT_TEST("malloc-trim-purges-hole-inside-heap", malloc_trim_purges_hole_inside_heap),
    UNIT_TEST("malloc-trim-without-purge-leaves-hole", malloc_trim_without_purge_leaves_hole),
    UNIT_TEST("hole-below-top-reused-when-it-fits", hole_below_top_reused_when_it_fits),
};

UNIT_GROUP(trim, tests)
