/*
 * tests/unit/test_free_sized.c - tide_free_sized and tide_free_aligned_sized
 * (C23): any size up to what the block holds frees it; a larger size is
 * reported and aborts.
 */
#include "unit.h"

static void free_sized_exact_and_smaller_sizes(void **state)
{
    size_t base;

    (void)state;
    tide_free(tide_malloc(8));
    base = stats_now().bytes_in_use;
    for (size_t n = 0; n < 600; n += 37) {
        void *p = tide_malloc(n), *q = tide_malloc(n);
        tide_free_sized(p, n);
        tide_free_sized(q, n / 2);
    }
    assert_int_equal(tide_check(), 0);
    assert_int_equal(stats_now().bytes_in_use, base);
}

static void free_sized_mmapped_block(void **state)
{
    void *p = tide_malloc(MiB);

    (void)state;
    tide_free_sized(p, MiB);
    assert_int_equal(stats_now().mapped_blocks, 0);
}

static void free_sized_null_is_noop(void **state)
{
    (void)state;
    tide_free_sized(NULL, 0);
    tide_free_sized(NULL, 100);
    tide_free_aligned_sized(NULL, 64, 100);
}

static void free_aligned_sized_frees(void **state)
{
    size_t base;

    (void)state;
    tide_free(tide_malloc(8));
    base = stats_now().bytes_in_use;
    for (size_t align = 16; align <= 64 * KiB; align *= 4) {
        void *p = tide_aligned_alloc(align, 1000);
        tide_free_aligned_sized(p, align, 1000);
    }
    assert_int_equal(stats_now().bytes_in_use, base);
}

static void free_too_big(void *arg)
{
    tide_free_sized(arg, 100000);
}

static void free_sized_larger_than_block_aborts(void **state)
{
    void *p = tide_malloc(100);

    (void)state;
    expect_abort(free_too_big, p, NULL, p);
    tide_free(p);
}

static void free_sized_usable_size_is_accepted(void **state)
{
    (void)state;
    for (size_t n = 1; n < 3000; n += 97) {
        void *p = tide_malloc(n);
        tide_free_sized(p, tide_malloc_usable_size(p));
    }
    void *big = tide_malloc(MiB + 1);
    tide_free_sized(big, tide_malloc_usable_size(big));
}

static size_t one_past_usable;

static void free_one_past(void *arg)
{
    tide_free_sized(arg, one_past_usable);
}

/* The boundary: one byte more than the block can hold is reported. */
static void free_sized_one_past_usable_aborts(void **state)
{
    void *p = tide_malloc(100), *big = tide_malloc(MiB);

    (void)state;
    one_past_usable = tide_malloc_usable_size(p) + 1;
    expect_abort(free_one_past, p, NULL, p);
    one_past_usable = tide_malloc_usable_size(big) + 1;
    expect_abort(free_one_past, big, NULL, big);
    tide_free(p);
    tide_free(big);
}

static void free_aligned_too_big(void *arg)
{
    tide_free_aligned_sized(arg, 256, 100000);
}

static void free_aligned_sized_larger_than_block_aborts(void **state)
{
    void *p = tide_aligned_alloc(256, 100);

    (void)state;
    expect_abort(free_aligned_too_big, p, NULL, p);
    tide_free(p);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("free-sized-exact-and-smaller-sizes", free_sized_exact_and_smaller_sizes),
    UNIT_TEST("free-sized-mmapped-block", free_sized_mmapped_block),
    UNIT_TEST("free-sized-null-is-noop", free_sized_null_is_noop),
    UNIT_TEST("free-aligned-sized-frees", free_aligned_sized_frees),
    UNIT_TEST("free-sized-larger-than-block-aborts", free_sized_larger_than_block_aborts),
    UNIT_TEST("free-sized-usable-size-is-accepted", free_sized_usable_size_is_accepted),
    UNIT_TEST("free-sized-one-past-usable-aborts", free_sized_one_past_usable_aborts),
    UNIT_TEST("free-aligned-sized-larger-than-block-aborts", free_aligned_sized_larger_than_block_aborts),
};

UNIT_GROUP(free_sized, tests)
