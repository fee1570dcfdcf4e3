/*
 * tests/unit/test_memalign.c - the aligned family: aligned_alloc,
 * posix_memalign, memalign, valloc, pvalloc. Every power of two, bad
 * alignments (EINVAL), sizes that overflow when rounded (ENOMEM), and the
 * heap staying consistent around the leading and trailing gaps.
 */
#include "unit.h"

#include <errno.h>
#include <string.h>

static void check_aligned_block(void *p, size_t align, size_t size)
{
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % align, 0);
    assert_true(tide_malloc_usable_size(p) >= size);
    memset(p, 0x3c, size);
}

static void aligned_alloc_every_power_of_two(void **state)
{
    static const size_t sizes[] = { 1, 100, 5000, 200 * KiB };
    void *guard[ARRAY_LEN(sizes)];

    (void)state;
    for (size_t align = 1; align <= MiB; align *= 2) {
        for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
            void *p = tide_aligned_alloc(align, sizes[i]);
            check_aligned_block(p, align, sizes[i]);
            guard[i] = tide_malloc(24);
            tide_free(p);
        }
        for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
            tide_free(guard[i]);
        assert_int_equal(tide_check(), 0);
    }
}

/* C17 lets aligned_alloc reject a bad alignment (EINVAL); glibc up to 2.37
 * rounds it up to a power of two. Both are accepted, nothing else. */
static void aligned_alloc_non_power_of_two(void **state)
{
    void *p;

    (void)state;
    errno = 0;
    p = tide_aligned_alloc(48, 100);
    if (p == NULL) {
        assert_int_equal(errno, EINVAL);
    } else {
        check_aligned_block(p, 64, 100);
        tide_free(p);
    }
}

static void posix_memalign_sets_out(void **state)
{
    void *p = NULL;

    (void)state;
    assert_int_equal(tide_posix_memalign(&p, 4096, 3000), 0);
    check_aligned_block(p, 4096, 3000);
    tide_free(p);
}

static void posix_memalign_bad_alignment_einval(void **state)
{
    static const size_t bad[] = { 0, 1, 2, 4, 12, 24, 48, 100, 4097, SIZE_MAX };
    void *sentinel = &sentinel, *p;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        p = sentinel;
        assert_int_equal(tide_posix_memalign(&p, bad[i], 100), TIDE_EINVAL_RC);
        assert_ptr_equal(p, sentinel);
    }
}

static void posix_memalign_huge_size_enomem(void **state)
{
    void *sentinel = &sentinel, *p = sentinel;

    (void)state;
    assert_int_equal(tide_posix_memalign(&p, 64, SIZE_MAX - 100), TIDE_ENOMEM_RC);
    assert_ptr_equal(p, sentinel);
    assert_int_equal(tide_posix_memalign(&p, 64, (size_t)PTRDIFF_MAX + 1), TIDE_ENOMEM_RC);
    assert_ptr_equal(p, sentinel);
}

/* glibc: memalign rounds a non-power-of-two alignment up. */
static void memalign_non_power_of_two_rounds_up(void **state)
{
    void *p = tide_memalign(24, 100), *q = tide_memalign(3000, 100);

    (void)state;
    check_aligned_block(p, 32, 100);
    check_aligned_block(q, 4096, 100);
    tide_free(p);
    tide_free(q);
}

static void memalign_small_alignment_is_malloc(void **state)
{
    void *p = tide_memalign(1, 10), *q = tide_memalign(8, 10);

    (void)state;
    check_aligned_block(p, 16, 10);
    check_aligned_block(q, 16, 10);
    tide_free(p);
    tide_free(q);
}

static void memalign_huge_alignment_fails(void **state)
{
    (void)state;
    errno = 0;
    assert_null(tide_memalign(SIZE_MAX / 2 + 2, 10));
    assert_true(errno == EINVAL || errno == ENOMEM);
    errno = 0;
    assert_null(tide_memalign((size_t)1 << 62, 10));
    assert_true(errno == EINVAL || errno == ENOMEM);
}

static void valloc_is_page_aligned(void **state)
{
    void *p = tide_valloc(1), *q = tide_valloc(5000);

    (void)state;
    check_aligned_block(p, 4096, 1);
    check_aligned_block(q, 4096, 5000);
    tide_free(p);
    tide_free(q);
}

static void valloc_follows_platform_page_size(void **state)
{
    struct fake_config cfg;
    void *p;

    (void)state;
    fake_config_default(&cfg);
    cfg.page_size = 16 * KiB;
    unit_restart(&cfg);
    p = tide_valloc(100);
    check_aligned_block(p, 16 * KiB, 100);
    tide_free(p);
}

static void pvalloc_rounds_size_to_page(void **state)
{
    void *p = tide_pvalloc(1), *z = tide_pvalloc(0), *q = tide_pvalloc(4097);

    (void)state;
    check_aligned_block(p, 4096, 4096);
    check_aligned_block(z, 4096, 4096);
    check_aligned_block(q, 4096, 8192);
    tide_free(p);
    tide_free(z);
    tide_free(q);
}

static void aligned_size_max_enomem(void **state)
{
    (void)state;
    errno = 0;
    assert_null(tide_aligned_alloc(64, SIZE_MAX - 10));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_memalign(4096, (size_t)PTRDIFF_MAX + 1));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_valloc(SIZE_MAX - 100));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_pvalloc(SIZE_MAX - 100));
    assert_int_equal(errno, ENOMEM);
}

/* Aligned blocks among ordinary ones, freed in a scrambled order. */
static void memalign_interleaved_frees_stay_consistent(void **state)
{
    static void *p[300];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        size_t align = (size_t)32 << (i % 8);
        p[i] = i % 3 ? tide_memalign(align, 50 + i) : tide_malloc(50 + i);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % (i % 3 ? align : 16), 0);
        fill_pattern(p[i], 50 + i, (unsigned)i);
    }
    for (size_t k = 0; k < ARRAY_LEN(p); k++) {
        size_t i = (k * 7) % ARRAY_LEN(p);
        assert_true(check_pattern(p[i], 50 + i, (unsigned)i));
        tide_free(p[i]);
    }
}

/* Default profile: a small aligned request takes a slab slot of its size
 * rounded up to the alignment (slots of size s start at multiples of s),
 * not a carve of the heap; a bigger one still comes from the heap. */
static void memalign_small_takes_an_aligned_slot(void **state)
{
    static const size_t sizes[] = { 0, 1, 31, 32, 33, 100, 200, 256 };

    (void)state;
    for (size_t align = 32; align <= 256; align *= 2)
        for (size_t k = 0; k < ARRAY_LEN(sizes); k++) {
            size_t n = sizes[k], want = ((n ? n : 1) + align - 1) / align * align;
            void *p = tide_memalign(align, n);
            struct walk_summary s;

            assert_non_null(p);
            assert_int_equal((uintptr_t)p % align, 0);
            walk_heap(&s, p);
            assert_true(s.saw_target);
            if (want <= 256) {
                assert_ptr_equal(s.target_info.chunk, p); /* a slot */
                assert_int_equal(tide_malloc_usable_size(p), want);
            } else {
                assert_ptr_not_equal(s.target_info.chunk, p);
                assert_true(tide_malloc_usable_size(p) >= n);
            }
            memset(p, 0x33, n);
            tide_free(p);
        }
}

/* An aligned block freed into the thread's cache (a small class for 500
 * bytes, the medium cache for 3000) comes back for the next request of
 * its size and alignment, as a malloc's would, instead of a carve of the
 * heap (which cannot give it: a cached block is in use for the heap).
 * Alignments 64 (one 16-aligned block in four has it) to 4096. */
static void memalign_reuses_a_cached_aligned_block(void **state)
{
    static const size_t sizes[] = { 500, 3000 };

    (void)state;
    tide_free(tide_malloc(100)); /* the thread's first miss makes its cache */
    for (size_t k = 0; k < ARRAY_LEN(sizes); k++)
        for (size_t align = 64; align <= 4096; align *= 4) {
            void *p = tide_memalign(align, sizes[k]), *q;

            assert_non_null(p);
            assert_int_equal((uintptr_t)p % align, 0);
            memset(p, 0x44, sizes[k]);
            tide_free(p);
            q = tide_memalign(align, sizes[k]);
            assert_ptr_equal(q, p);
            memset(q, 0x55, sizes[k]);
            tide_free(q);
        }
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("aligned-alloc-every-power-of-two", aligned_alloc_every_power_of_two),
    UNIT_TEST("aligned-alloc-non-power-of-two", aligned_alloc_non_power_of_two),
    UNIT_TEST("posix-memalign-sets-out", posix_memalign_sets_out),
    UNIT_TEST("posix-memalign-bad-alignment-einval", posix_memalign_bad_alignment_einval),
    UNIT_TEST("posix-memalign-huge-size-enomem", posix_memalign_huge_size_enomem),
    UNIT_TEST("memalign-non-power-of-two-rounds-up", memalign_non_power_of_two_rounds_up),
    UNIT_TEST("memalign-small-alignment-is-malloc", memalign_small_alignment_is_malloc),
    UNIT_TEST("memalign-huge-alignment-fails", memalign_huge_alignment_fails),
    UNIT_TEST("valloc-is-page-aligned", valloc_is_page_aligned),
    UNIT_TEST("valloc-follows-platform-page-size", valloc_follows_platform_page_size),
    UNIT_TEST("pvalloc-rounds-size-to-page", pvalloc_rounds_size_to_page),
    UNIT_TEST("aligned-size-max-enomem", aligned_size_max_enomem),
    UNIT_TEST("memalign-interleaved-frees-stay-consistent", memalign_interleaved_frees_stay_consistent),
    UNIT_TEST("memalign-small-takes-an-aligned-slot", memalign_small_takes_an_aligned_slot),
    UNIT_TEST("memalign-reuses-a-cached-aligned-block", memalign_reuses_a_cached_aligned_block),
};

UNIT_GROUP(memalign, tests)
