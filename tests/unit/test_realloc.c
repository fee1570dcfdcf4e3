/*
 * tests/unit/test_realloc.c - tide_realloc and tide_reallocarray: NULL and
 * zero sizes, shrinking in place, growing in place into the top or a free
 * neighbour (S14), moving with contents kept, crossing the mmap threshold,
 * and failures that leave the old block intact.
 */
#include "unit.h"

#include <errno.h>
#include <string.h>

static void realloc_null_acts_as_malloc(void **state)
{
    void *p = tide_realloc(NULL, 100);

    (void)state;
    assert_non_null(p);
    assert_true(tide_malloc_usable_size(p) >= 100);
    tide_free(p);
}

/* glibc frees and returns NULL; returning a minimal block is also allowed.
 * Either way nothing may leak. */
static void realloc_zero_size_frees_or_shrinks(void **state)
{
    size_t base;
    void *p, *q;

    (void)state;
    tide_free(tide_malloc(1000));
    base = stats_now().bytes_in_use;
    p = tide_malloc(1000);
    q = tide_realloc(p, 0);
    if (q == NULL) {
        assert_int_equal(stats_now().bytes_in_use, base);
    } else {
        assert_true(stats_now().bytes_in_use <= base + 32);
        tide_free(q);
    }
}

static void realloc_shrink_keeps_pointer_and_contents(void **state)
{
    void *p, *q;

    (void)state;
    unit_no_slab();
    p = tide_malloc(1000);
    fill_pattern(p, 1000, 1);
    q = tide_realloc(p, 100);
    assert_ptr_equal(q, p);
    assert_true(check_pattern(q, 100, 1));
    tide_free(q);
}

/* Shrinking gives the tail back (as glibc): a big block cut down to a
 * small one must not keep its old size. */
static void realloc_shrink_gives_tail_back(void **state)
{
    void *heap = tide_malloc(100000), *guard = tide_malloc(10), *mapped = tide_malloc(4 * MiB);

    (void)state;
    heap = tide_realloc(heap, 100);
    assert_true(tide_malloc_usable_size(heap) <= 112);
    mapped = tide_realloc(mapped, 500);
    assert_true(tide_malloc_usable_size(mapped) <= 4096);
    assert_true(stats_now().mapped_bytes <= 4096);
    tide_free(heap);
    tide_free(mapped);
    tide_free(guard);
}

static void realloc_grows_in_place_into_top(void **state)
{
    void *p, *q;

    (void)state;
    unit_restart_classic();
    p = tide_malloc(1000);
    fill_pattern(p, 1000, 2);
    q = tide_realloc(p, 50 * KiB);
    assert_ptr_equal(q, p);
    assert_true(check_pattern(q, 1000, 2));
    tide_free(q);
}

static void realloc_grows_in_place_into_free_neighbour(void **state)
{
    void *a, *b, *guard, *q;

    (void)state;
    unit_no_slab();
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    a = tide_malloc(1000);
    b = tide_malloc(1000);
    guard = tide_malloc(1000);
    fill_pattern(a, 1000, 3);
    tide_free(b);
    q = tide_realloc(a, 1900);
    assert_ptr_equal(q, a);
    assert_true(check_pattern(q, 1000, 3));
    tide_free(q);
    tide_free(guard);
}

static void realloc_move_keeps_contents(void **state)
{
    void *a = tide_malloc(100), *blocker = tide_malloc(100), *q;

    (void)state;
    fill_pattern(a, 100, 4);
    q = tide_realloc(a, 20 * KiB);
    assert_non_null(q);
    assert_true(check_pattern(q, 100, 4));
    tide_free(q);
    tide_free(blocker);
}

static void realloc_heap_to_mmapped_and_back(void **state)
{
    unsigned char *p = tide_malloc(1000);

    (void)state;
    fill_pattern(p, 1000, 5);
    p = tide_realloc(p, 4 * MiB);
    assert_non_null(p);
    assert_true(fake_in_mmap_region(p));
    assert_true(check_pattern(p, 1000, 5));
    fill_pattern(p, 4 * MiB, 6);
    p = tide_realloc(p, 500);
    assert_non_null(p);
    assert_true(check_pattern(p, 500, 6));
    tide_free(p);
}

static void grow_mmapped(bool remap)
{
    struct fake_config cfg;
    unsigned char *p, *guard;

    fake_config_default(&cfg);
    cfg.remap = remap;
    unit_restart(&cfg);
    p = tide_malloc(200 * KiB);
    guard = tide_malloc(200 * KiB);
    fill_pattern(p, 200 * KiB, 7);
    for (size_t n = 400 * KiB; n <= 8 * MiB; n *= 2) {
        p = tide_realloc(p, n);
        assert_non_null(p);
        assert_true(check_pattern(p, 200 * KiB, 7));
    }
    p = tide_realloc(p, 300 * KiB);
    assert_true(check_pattern(p, 200 * KiB, 7));
    tide_free(p);
    tide_free(guard);
}

static void realloc_mmapped_grows_with_remap(void **state) { (void)state; grow_mmapped(true); }
static void realloc_mmapped_grows_without_remap(void **state) { (void)state; grow_mmapped(false); }

/* Default profile: a block that must move to grow gets room to spare (a
 * third more), so the next small growths keep it in place; a shrink
 * by more than a quarter of its chunk gives the tail back. */
static void realloc_moved_block_grows_in_place_after(void **state)
{
    unsigned char *p, *guard, *q;

    (void)state;
    unit_no_slab();
    p = tide_malloc(20000);
    guard = tide_malloc(32);
    fill_pattern(p, 20000, 3);
    q = tide_realloc(p, 30000);
    assert_ptr_not_equal(q, p);
    assert_true(tide_malloc_usable_size(q) >= 30000 + 30000 / 3);
    for (size_t n = 30000; n <= 30000 + 30000 / 3; n += 100)
        assert_ptr_equal(tide_realloc(q, n), q);
    assert_true(check_pattern(q, 20000, 3));
    assert_ptr_equal(tide_realloc(q, 20000), q);
    assert_true(tide_malloc_usable_size(q) < 30000);
    tide_free(q);
    tide_free(guard);
}

/* Default profile: a big block's room is capped at 32 KiB (most of it
 * would be memory the program does not use yet), until an eighth of the
 * block is more: growth stays geometric. */
static void realloc_big_block_room_capped_then_an_eighth(void **state)
{
    unsigned char *p, *guard, *guard2, *q;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 8 * MiB), 1); /* all in the heap */
    p = tide_malloc(100000);
    guard = tide_malloc(2000); /* from the heap, not a slab page */
    q = tide_realloc(p, 200000); /* a third would be 66,666 */
    assert_ptr_not_equal(q, p);
    assert_true(tide_malloc_usable_size(q) >= 200000 + 32 * KiB);
    assert_true(tide_malloc_usable_size(q) < 200000 + 32 * KiB + 64);
    guard2 = tide_malloc(2000); /* so that q cannot grow in place either */
    p = tide_realloc(q, 2 * MiB); /* an eighth: 256 KiB */
    assert_ptr_not_equal(p, q);
    assert_true(tide_malloc_usable_size(p) >= 2 * MiB + 256 * KiB);
    assert_true(tide_malloc_usable_size(p) < 2 * MiB + 256 * KiB + 64);
    tide_free(p);
    tide_free(guard);
    tide_free(guard2);
}

/* Default profile: a mapping grown 4 KiB at a time is remapped with an
 * eighth more room, not at every growth; shrinking it by a little keeps
 * it. */
static void realloc_mmapped_small_growth_remaps_rarely(void **state)
{
    unsigned char *p = tide_malloc(300 * KiB);
    size_t remaps = fake_counters()->remap_calls;

    (void)state;
    fill_pattern(p, 300 * KiB, 5);
    for (size_t n = 304 * KiB; n <= 2 * MiB; n += 4 * KiB) {
        p = tide_realloc(p, n);
        assert_non_null(p);
    }
    assert_true(check_pattern(p, 300 * KiB, 5));
    remaps = fake_counters()->remap_calls - remaps;
    if (remaps > 25) fail_msg("%zu remaps", remaps);
    assert_ptr_equal(tide_realloc(p, 2 * MiB - 64 * KiB), p);
    tide_free(p);
}

static void realloc_failure_keeps_old_block(void **state)
{
    void *p = tide_malloc(1000);

    (void)state;
    fill_pattern(p, 1000, 8);
    fake_set_brk_limit(fake_counters()->brk_bytes);
    fake_fail_mmap(1, true);
    errno = 0;
    assert_null(tide_realloc(p, 10 * MiB));
    assert_int_equal(errno, ENOMEM);
    assert_true(check_pattern(p, 1000, 8));
    assert_int_equal(tide_check(), 0);
    tide_free(p);
}

static void realloc_size_max_enomem_keeps_block(void **state)
{
    static const size_t sizes[] = { SIZE_MAX, SIZE_MAX - 8, SIZE_MAX - 32, (size_t)PTRDIFF_MAX + 1 };
    void *p = tide_malloc(100);

    (void)state;
    fill_pattern(p, 100, 9);
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        errno = 0;
        assert_null(tide_realloc(p, sizes[i]));
        assert_int_equal(errno, ENOMEM);
        assert_true(check_pattern(p, 100, 9));
    }
    tide_free(p);
}

static void reallocarray_overflow_enomem_keeps_block(void **state)
{
    void *p = tide_malloc(100);

    (void)state;
    fill_pattern(p, 100, 10);
    errno = 0;
    assert_null(tide_reallocarray(p, SIZE_MAX / 2 + 1, 2));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_reallocarray(NULL, (size_t)1 << 33, (size_t)1 << 33));
    assert_int_equal(errno, ENOMEM);
    assert_true(check_pattern(p, 100, 10));
    tide_free(p);
}

static void reallocarray_multiplies_count_and_size(void **state)
{
    void *p = tide_reallocarray(NULL, 10, 20);

    (void)state;
    assert_non_null(p);
    assert_true(tide_malloc_usable_size(p) >= 200);
    fill_pattern(p, 200, 11);
    p = tide_reallocarray(p, 100, 20);
    assert_non_null(p);
    assert_true(tide_malloc_usable_size(p) >= 2000);
    assert_true(check_pattern(p, 200, 11));
    tide_free(p);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("realloc-null-acts-as-malloc", realloc_null_acts_as_malloc),
    UNIT_TEST("realloc-zero-size-frees-or-shrinks", realloc_zero_size_frees_or_shrinks),
    UNIT_TEST("realloc-shrink-keeps-pointer-and-contents", realloc_shrink_keeps_pointer_and_contents),
    UNIT_TEST("realloc-shrink-gives-tail-back", realloc_shrink_gives_tail_back),
    UNIT_TEST("realloc-grows-in-place-into-top", realloc_grows_in_place_into_top),
    UNIT_TEST("realloc-grows-in-place-into-free-neighbour", realloc_grows_in_place_into_free_neighbour),
    UNIT_TEST("realloc-move-keeps-contents", realloc_move_keeps_contents),
    UNIT_TEST("realloc-heap-to-mmapped-and-back", realloc_heap_to_mmapped_and_back),
    UNIT_TEST("realloc-mmapped-grows-with-remap", realloc_mmapped_grows_with_remap),
    UNIT_TEST("realloc-mmapped-grows-without-remap", realloc_mmapped_grows_without_remap),
    UNIT_TEST("realloc-moved-block-grows-in-place-after", realloc_moved_block_grows_in_place_after),
    UNIT_TEST("realloc-big-block-room-capped-then-an-eighth", realloc_big_block_room_capped_then_an_eighth),
    UNIT_TEST("realloc-mmapped-small-growth-remaps-rarely", realloc_mmapped_small_growth_remaps_rarely),
    UNIT_TEST("realloc-failure-keeps-old-block", realloc_failure_keeps_old_block),
    UNIT_TEST("realloc-size-max-enomem-keeps-block", realloc_size_max_enomem_keeps_block),
    UNIT_TEST("reallocarray-overflow-enomem-keeps-block", reallocarray_overflow_enomem_keeps_block),
    UNIT_TEST("reallocarray-multiplies-count-and-size", reallocarray_multiplies_count_and_size),
};

UNIT_GROUP(realloc, tests)
