/*
 * tests/unit/test_usable_size.c - tide_malloc_usable_size: the chunk-size
 * table of the seeds (S10) in the classic profile, the slab slots of the
 * default one, NULL, every usable byte writable without harm to
 * neighbours, mmapped blocks.
 */
#include "unit.h"

#include <string.h>

/* chunk = max(32, request + 8 rounded up to 16); usable = chunk - 8 */
static size_t expected_usable(size_t request)
{
    size_t chunk = (request + 8 + 15) & ~(size_t)15;

    return (chunk < 32 ? 32 : chunk) - 8;
}

/* Default profile: up to 256 bytes, a slot of the request rounded up to
 * 16 (16 for 0), all usable; from 513 to 1024, a slot of the request
 * rounded up to 64; otherwise the chunk table. */
static size_t expected_default(size_t request)
{
    if (request >= 513 && request <= 1024)
        return (request + 63) & ~(size_t)63;
    if (request > 256)
        return expected_usable(request);
    return request <= 16 ? 16 : (request + 15) & ~(size_t)15;
}

/* malloc(r) for every r up to 2000 has the usable size expected(r). */
static void usable_sizes_follow(size_t (*expected)(size_t))
{
    for (size_t r = 0; r <= 2000; r++) {
        void *p = tide_malloc(r);
        assert_non_null(p);
        if (tide_malloc_usable_size(p) != expected(r))
            fail_msg("malloc(%zu): usable %zu, expected %zu", r, tide_malloc_usable_size(p), expected(r));
        tide_free(p);
    }
}

static void usable_size_follows_chunk_table(void **state)
{
    (void)state;
    unit_restart_classic();
    usable_sizes_follow(expected_usable);
}

static void usable_size_default_slots(void **state)
{
    (void)state;
    usable_sizes_follow(expected_default);
}

static void usable_size_seed_examples(void **state)
{
    static const size_t table[][2] = { { 0, 24 }, { 1, 24 }, { 24, 24 }, { 25, 40 },
                                       { 40, 40 }, { 41, 56 }, { 56, 56 }, { 57, 72 } };

    (void)state;
    unit_restart_classic();
    for (size_t i = 0; i < ARRAY_LEN(table); i++) {
        void *p = tide_malloc(table[i][0]);
        assert_int_equal(tide_malloc_usable_size(p), table[i][1]);
        tide_free(p);
    }
}

static void usable_size_null_is_zero(void **state)
{
    (void)state;
    assert_int_equal(tide_malloc_usable_size(NULL), 0);
}

static void usable_bytes_writable_without_harm(void **state)
{
    static unsigned char *p[64];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(i * 5);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        fill_pattern(p[i], tide_malloc_usable_size(p[i]), (unsigned)i);
    assert_int_equal(tide_check(), 0);
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        assert_true(check_pattern(p[i], tide_malloc_usable_size(p[i]), (unsigned)i));
        tide_free(p[i]);
    }
}

static void usable_size_mmapped_block(void **state)
{
    size_t n = 200 * KiB + 3, u;
    void *p = tide_malloc(n);

    (void)state;
    u = tide_malloc_usable_size(p);
    assert_true(u >= n);
    assert_true(u < n + 4096 + 64);
    memset(p, 1, u);
    tide_free(p);
}

static void usable_size_after_shrink(void **state)
{
    void *p = tide_malloc(1000);

    (void)state;
    p = tide_realloc(p, 100);
    assert_true(tide_malloc_usable_size(p) >= 100);
    assert_true(tide_malloc_usable_size(p) <= 1000);
    tide_free(p);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("usable-size-follows-chunk-table", usable_size_follows_chunk_table),
    UNIT_TEST("usable-size-seed-examples", usable_size_seed_examples),
    UNIT_TEST("usable-size-default-slots", usable_size_default_slots),
    UNIT_TEST("usable-size-null-is-zero", usable_size_null_is_zero),
    UNIT_TEST("usable-bytes-writable-without-harm", usable_bytes_writable_without_harm),
    UNIT_TEST("usable-size-mmapped-block", usable_size_mmapped_block),
    UNIT_TEST("usable-size-after-shrink", usable_size_after_shrink),
};

UNIT_GROUP(usable_size, tests)
