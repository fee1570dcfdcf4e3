/*
 * tests/unit/test_calloc.c - tide_calloc: zeroed results whether the memory
 * is recycled, fresh from a zeroing OS, or fresh from a dirty one; overflow
 * of count * size; zero counts.
 */
#include "unit.h"

#include <errno.h>
#include <string.h>

static void use_dirty_platform(bool no_brk)
{
    struct fake_config cfg;

    fake_config_default(&cfg);
    cfg.dirty = true;
    cfg.no_brk = no_brk;
    unit_restart(&cfg);
}

static void check_zeroed(void *p, size_t n)
{
    assert_non_null(p);
    assert_true(tide_malloc_usable_size(p) >= n);
    assert_true(all_bytes(p, tide_malloc_usable_size(p), 0));
}

static void calloc_returns_zeroed_memory(void **state)
{
    void *p = tide_calloc(10, 100);

    (void)state;
    check_zeroed(p, 1000);
    tide_free(p);
}

static void calloc_zeroes_recycled_memory(void **state)
{
    static const size_t sizes[] = { 24, 200, 5000, 100 * KiB, 300 * KiB, 2 * MiB };

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        void *p = tide_malloc(sizes[i]), *guard = tide_malloc(16), *q;
        memset(p, 0xff, tide_malloc_usable_size(p));
        tide_free(p);
        q = tide_calloc(1, sizes[i]);
        check_zeroed(q, sizes[i]);
        tide_free(q);
        tide_free(guard);
    }
}

/* The fake really hands out dirty memory, so the next test means something. */
static void dirty_platform_malloc_sees_dirt(void **state)
{
    unsigned char *p;

    (void)state;
    use_dirty_platform(false);
    p = tide_malloc(4000);
    assert_non_null(p);
    assert_true(memchr(p, FAKE_DIRTY_BYTE, 4000) != NULL);
    tide_free(p);
}

static void dirty_platform_calloc_zeroes_fresh_memory(void **state)
{
    static const size_t sizes[] = { 1, 100, 5000, 64 * KiB, 200 * KiB, 3 * MiB };
    void *p[ARRAY_LEN(sizes)];

    (void)state;
    use_dirty_platform(false);
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        p[i] = tide_calloc(sizes[i], 1);
        check_zeroed(p[i], sizes[i]);
    }
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
        tide_free(p[i]);
}

static void dirty_mmap_only_platform_calloc_zeroes(void **state)
{
    void *p[200];

    (void)state;
    use_dirty_platform(true);
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        p[i] = tide_calloc(1, 100 + i * 97);
        check_zeroed(p[i], 100 + i * 97);
    }
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

/* Blocks of the cached chunk sizes (257-512 bytes in the default
 * profile), on a platform whose fresh memory is dirty. A miss takes the
 * caller's block and the cache's from one run: carved from the top (the
 * caller's the first block, the one calloc may know as fresh), or cut
 * from a free chunk (the caller's the last, with the 16 bytes a split may
 * leave). The second round refills from the holes the first left. */
static void dirty_platform_calloc_zeroes_cached_chunk_sizes(void **state)
{
    enum { N = 2000 };
    static void *p[N];

    (void)state;
    use_dirty_platform(false);
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < N; i++) {
            size_t n = 257 + (i * 37) % 256;
            if (p[i]) continue; /* kept from the first round */
            p[i] = tide_calloc(1, n);
            check_zeroed(p[i], n);
            memset(p[i], 0xee, tide_malloc_usable_size(p[i]));
        }
        for (size_t k = 0; k < N; k++) { /* scattered, 4 of every 5 */
            size_t i = (k * 7) % N;
            if (round == 1 || i % 5) {
                tide_free(p[i]);
                p[i] = NULL;
            }
        }
    }
    assert_int_equal(tide_check(), 0);
}

/* A block given back to the top and carved up again by calloc: the
 * "memory fresh from the OS needs no clearing" shortcut must not apply. */
static void calloc_zeroes_memory_returned_to_top(bool dirty)
{
    static void *q[400];

    if (dirty)
        use_dirty_platform(false);
    for (size_t round = 0; round < 3; round++) {
        void *big = tide_malloc(100 * KiB);
        memset(big, 0xff, 100 * KiB);
        tide_free(big); /* next to the top: merges into it */
        for (size_t i = 0; i < ARRAY_LEN(q); i++) {
            q[i] = tide_calloc(1, 16 + (i * 53 + round * 7) % 700);
            check_zeroed(q[i], 16 + (i * 53 + round * 7) % 700);
            memset(q[i], 0xee, tide_malloc_usable_size(q[i]));
        }
        for (size_t i = 0; i < ARRAY_LEN(q); i++)
            tide_free(q[i]);
    }
}

static void calloc_zeroes_memory_returned_to_top_zeroing_os(void **state)
{
    (void)state;
    calloc_zeroes_memory_returned_to_top(false);
}

static void calloc_zeroes_memory_returned_to_top_dirty_os(void **state)
{
    (void)state;
    calloc_zeroes_memory_returned_to_top(true);
}

/* Grown in place into the top by realloc, then freed, then calloc'ed. */
static void calloc_after_realloc_growth_into_top(void **state)
{
    unsigned char *p = tide_malloc(100), *q;

    (void)state;
    p = tide_realloc(p, 60 * KiB);
    memset(p, 0xab, 60 * KiB);
    tide_free(p);
    q = tide_calloc(60, KiB);
    check_zeroed(q, 60 * KiB);
    tide_free(q);
}

/* S14: memory fresh from a zeroing OS is not cleared again, so its pages
 * are never touched (a 4 MiB calloc costs no page faults until used). */
static void calloc_fresh_mmapped_memory_untouched(void **state)
{
    unsigned char *p;

    (void)state;
    p = tide_calloc(1, 4 * MiB);
    assert_non_null(p);
    assert_true(fake_resident_pages(p, 4 * MiB) <= 2);
    assert_true(all_bytes(p, 4 * MiB, 0));
    memset(p, 1, 4 * MiB); /* the probe itself sees touched pages */
    assert_true(fake_resident_pages(p, 4 * MiB) >= 1024);
    tide_free(p);
}

static void calloc_fresh_top_memory_untouched(void **state)
{
    unsigned char *p;

    (void)state;
    unit_restart_classic();
    tide_free(tide_malloc(1));
    p = tide_calloc(1, 100 * KiB);
    assert_non_null(p);
    assert_true(fake_in_brk_region(p));
    assert_true(fake_resident_pages(p, 100 * KiB) <= 2);
    assert_true(all_bytes(p, 100 * KiB, 0));
    tide_free(p);
}

static void calloc_overflow_enomem(void **state)
{
    static const size_t pairs[][2] = {
        { SIZE_MAX / 2 + 1, 2 }, { (size_t)1 << 32, (size_t)1 << 32 },
        { SIZE_MAX, SIZE_MAX }, { 3, SIZE_MAX / 3 + 1 },
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(pairs); i++) {
        errno = 0;
        assert_null(tide_calloc(pairs[i][0], pairs[i][1]));
        assert_int_equal(errno, ENOMEM);
    }
}

static void calloc_zero_count_or_size(void **state)
{
    void *a = tide_calloc(0, 100), *b = tide_calloc(100, 0), *c = tide_calloc(0, 0);

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    tide_free(a);
    tide_free(b);
    tide_free(c);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("calloc-returns-zeroed-memory", calloc_returns_zeroed_memory),
    UNIT_TEST("calloc-zeroes-recycled-memory", calloc_zeroes_recycled_memory),
    UNIT_TEST("dirty-platform-malloc-sees-dirt", dirty_platform_malloc_sees_dirt),
    UNIT_TEST("dirty-platform-calloc-zeroes-fresh-memory", dirty_platform_calloc_zeroes_fresh_memory),
    UNIT_TEST("dirty-mmap-only-platform-calloc-zeroes", dirty_mmap_only_platform_calloc_zeroes),
    UNIT_TEST("dirty-platform-calloc-zeroes-cached-chunk-sizes", dirty_platform_calloc_zeroes_cached_chunk_sizes),
    UNIT_TEST("calloc-zeroes-memory-returned-to-top-zeroing-os", calloc_zeroes_memory_returned_to_top_zeroing_os),
    UNIT_TEST("calloc-zeroes-memory-returned-to-top-dirty-os", calloc_zeroes_memory_returned_to_top_dirty_os),
    UNIT_TEST("calloc-after-realloc-growth-into-top", calloc_after_realloc_growth_into_top),
    UNIT_TEST("calloc-fresh-mmapped-memory-untouched", calloc_fresh_mmapped_memory_untouched),
    UNIT_TEST("calloc-fresh-top-memory-untouched", calloc_fresh_top_memory_untouched),
    UNIT_TEST("calloc-overflow-enomem", calloc_overflow_enomem),
    UNIT_TEST("calloc-zero-count-or-size", calloc_zero_count_or_size),
};

UNIT_GROUP(calloc, tests)
