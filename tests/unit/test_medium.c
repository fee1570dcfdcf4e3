/*
 * tests/unit/test_medium.c - the medium part of the thread cache (default
 * profile): a freed block of 1..64 KiB stays cached for a request of about
 * its size, never one much smaller; a second free of it is caught; it goes
 * back to the bins with the rest of the cache; a block realloc moved away
 * from is not kept; classic has none.
 */
#include "unit.h"

static struct tide_chunk_info chunk_of(const void *mem)
{
    struct walk_summary s;

    walk_heap(&s, mem);
    assert_true(s.saw_target);
    return s.target_info;
}

/* Allocates n bytes and a small guard after them (so the block does not
 * merge into the top), frees the block and returns it. */
static void *freed_before_guard(size_t n, void **guard)
{
    void *p = tide_malloc(n);

    *guard = tide_malloc(100);
    tide_free(p);
    return p;
}

static void freed_block_cached_then_reused(void **state)
{
    void *p, *guard, *q;

    (void)state;
    p = freed_before_guard(3000, &guard);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_CACHED);
    q = tide_malloc(2900); /* same class: 2560..3071 */
    assert_ptr_equal(q, p);
    assert_int_equal(chunk_of(q).state, TIDE_CHUNK_IN_USE);
    tide_free(q);
    tide_free(guard);
}

/* A request well below a cached block's size does not take it. */
static void much_smaller_request_not_served(void **state)
{
    void *p, *guard, *q;

    (void)state;
    p = freed_before_guard(5100, &guard); /* chunk 5104: class 4096..5119 */
    q = tide_malloc(4000); /* chunk 4008: the class below; 5104 is 27% more */
    assert_ptr_not_equal(q, p);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_CACHED);
    assert_true(tide_malloc_usable_size(q) < 4000 + 4000 / 4);
    tide_free(q);
    tide_free(guard);
}

static void double_free_of_cached_block_aborts(void **state)
{
    char line[128];
    void *p, *guard;

    (void)state;
    p = freed_before_guard(5000, &guard);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_CACHED);
    expect_abort(tide_free, p, abort_line(line, sizeof line, "double free of", p), p);
    tide_free(guard);
}

/* Closing the cache (as a free-everything or mallopt does) gives the
 * medium blocks back to the bins. */
static void cache_close_gives_them_back(void **state)
{
    void *p, *guard;

    (void)state;
    unit_no_slab();
    p = freed_before_guard(20000, &guard);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_CACHED);
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_FREE);
    tide_free(guard);
}

/* The old block of a realloc that had to move is not kept: the program
 * is growing out of that size. */
static void realloc_moved_block_not_kept(void **state)
{
    unsigned char *p, *guard, *q;

    (void)state;
    unit_no_slab();
    p = tide_malloc(3000);
    guard = tide_malloc(100);
    q = tide_realloc(p, 10000);
    assert_ptr_not_equal(q, p);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_FREE);
    tide_free(q);
    tide_free(guard);
}

static void classic_has_no_medium_cache(void **state)
{
    void *p, *guard;

    (void)state;
    unit_restart_classic();
    p = tide_malloc(3000);
    guard = tide_malloc(100);
    tide_free(p);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_FREE);
    tide_free(guard);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("medium-freed-block-cached-then-reused", freed_block_cached_then_reused),
    UNIT_TEST("medium-much-smaller-request-not-served", much_smaller_request_not_served),
    UNIT_TEST("medium-double-free-of-cached-block-aborts", double_free_of_cached_block_aborts),
    UNIT_TEST("medium-cache-close-gives-them-back", cache_close_gives_them_back),
    UNIT_TEST("medium-realloc-moved-block-not-kept", realloc_moved_block_not_kept),
    UNIT_TEST("medium-classic-has-no-medium-cache", classic_has_no_medium_cache),
};

UNIT_GROUP(medium, tests)
