/*
 * tests/unit/test_errno.c - errno semantics: ENOMEM with NULL for sizes near
 * SIZE_MAX or above PTRDIFF_MAX, EINVAL from posix_memalign, and free
 * leaving errno alone whatever it had to do (cache, bin, unmap, trim).
 */
#include "unit.h"

#include <errno.h>

static const size_t huge[] = {
    SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 8, SIZE_MAX - 16, SIZE_MAX - 4096,
    (size_t)PTRDIFF_MAX + 1, (size_t)PTRDIFF_MAX, (size_t)PTRDIFF_MAX - 8,
};

static void malloc_huge_sizes_enomem(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(huge); i++) {
        errno = 0;
        if (tide_malloc(huge[i]) != NULL)
            fail_msg("malloc(%zu) succeeded", huge[i]);
        assert_int_equal(errno, ENOMEM);
    }
}

static void calloc_product_above_ptrdiff_max_enomem(void **state)
{
    (void)state;
    errno = 0;
    assert_null(tide_calloc((size_t)PTRDIFF_MAX / 2 + 1, 2));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_calloc(1, SIZE_MAX));
    assert_int_equal(errno, ENOMEM);
}

static void realloc_huge_from_null_enomem(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(huge); i++) {
        errno = 0;
        assert_null(tide_realloc(NULL, huge[i]));
        assert_int_equal(errno, ENOMEM);
    }
}

static void posix_memalign_einval_is_returned(void **state)
{
    void *p = NULL;

    (void)state;
    assert_int_equal(tide_posix_memalign(&p, 3, 8), TIDE_EINVAL_RC);
    assert_null(p);
}

static void free_null_preserves_errno(void **state)
{
    (void)state;
    errno = 4321;
    tide_free(NULL);
    assert_int_equal(errno, 4321);
}

static void free_preserves_errno(void **state)
{
    static const size_t sizes[] = { 16, 1000, 100 * KiB, 200 * KiB, 4 * MiB };

    (void)state;
    unit_restart_classic();
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        void *p = tide_malloc(sizes[i]);
        errno = 4321;
        tide_free(p);
        assert_int_equal(errno, 4321);
    }
    /* a free that trims the top */
    void *a = tide_malloc(100 * KiB), *b = tide_malloc(100 * KiB);
    tide_free(a);
    errno = 4321;
    tide_free(b);
    assert_int_equal(errno, 4321);
}

static void failed_malloc_then_success_leaves_heap_usable(void **state)
{
    void *p;

    (void)state;
    assert_null(tide_malloc(SIZE_MAX));
    p = tide_malloc(10);
    assert_non_null(p);
    tide_free(p);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("malloc-huge-sizes-enomem", malloc_huge_sizes_enomem),
    UNIT_TEST("calloc-product-above-ptrdiff-max-enomem", calloc_product_above_ptrdiff_max_enomem),
    UNIT_TEST("realloc-huge-from-null-enomem", realloc_huge_from_null_enomem),
    UNIT_TEST("posix-memalign-einval-is-returned", posix_memalign_einval_is_returned),
    UNIT_TEST("free-null-preserves-errno", free_null_preserves_errno),
    UNIT_TEST("free-preserves-errno", free_preserves_errno),
    UNIT_TEST("failed-malloc-then-success-leaves-heap-usable", failed_malloc_then_success_leaves_heap_usable),
};

UNIT_GROUP(errno, tests)
