/*
 * tests/unit/test_medium.c - the medium part of the thread cache (default
 * profile): a freed block of 1..64 KiB stays cached for a request of about
 * its size, never one much smaller; a second free of it is caught; it goes
 * back to the bins with the rest of the cache; a block realloc moved away
 * from is not kept; classic has none. A request takes the newest block of
 * the class above its size first (all fit, by a quarter more at most),
 * else the newest of its own class that is big enough, else one of the
 * class after that is at most a quarter bigger; a class holds 12 blocks;
 * a full cache takes more budget.
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
    q = tide_malloc(2900); /* chunk 2912; 3008 is in its class, 2816..3071 */
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
    p = freed_before_guard(5100, &guard); /* chunk 5104: class 4608..5119 */
    q = tide_malloc(4000); /* chunk 4008: two classes below; 5104 is 27% more */
    assert_ptr_not_equal(q, p);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_CACHED);
    assert_true(tide_malloc_usable_size(q) < 4000 + 4000 / 4);
    tide_free(q);
    tide_free(guard);
}

/* Two blocks of one class (2560..2815), the class above empty: a request
 * takes the newest block of its own class that is big enough, whichever
 * place in the class it holds. */
static void class_serves_newest_that_fits(void **state)
{
    void *a, *c, *guard;

    (void)state;
    a = tide_malloc(2600); /* chunk 2608 */
    c = tide_malloc(2700); /* chunk 2720 */
    guard = tide_malloc(100);
    tide_free(c);
    tide_free(a); /* the newest */
    assert_ptr_equal(tide_malloc(2700), c); /* chunk 2712: a is too small */
    assert_ptr_equal(tide_malloc(2600), a);
    assert_int_equal(chunk_of(a).state, TIDE_CHUNK_IN_USE);
    tide_free(a);
    tide_free(c);
    tide_free(guard);
}

/* The class above a request's size serves it first: a chunk of 2064
 * takes the block of 2416 (class 2304..2559, 17% more) before one of
 * 2208 of its own class (2048..2303). With that class and its own empty,
 * a request takes a block of the class after next that is at most a
 * quarter bigger: a chunk of 2000 takes 2416 (21% more), one of 1912 does
 * not (26% more). */
static void class_above_serves_first(void **state)
{
    void *own, *p, *guard1, *guard2, *q;

    (void)state;
    own = tide_malloc(2200); /* chunk 2208 */
    guard1 = tide_malloc(100);
    p = freed_before_guard(2400, &guard2); /* chunk 2416 */
    q = tide_malloc(1900);                 /* chunk 1912 */
    assert_ptr_not_equal(q, p);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_CACHED);
    tide_free(own);
    assert_ptr_equal(tide_malloc(2050), p);   /* chunk 2064 */
    assert_ptr_equal(tide_malloc(2050), own); /* then its own class */
    tide_free(p);
    assert_ptr_equal(tide_malloc(1990), p); /* chunk 2000 */
    tide_free(p);
    tide_free(own);
    tide_free(q);
    tide_free(guard1);
    tide_free(guard2);
}

/* A class keeps 12 blocks: the 13th and later go back to the heap. */
static void class_holds_twelve(void **state)
{
    void *p[16];
    size_t cached = 0;

    (void)state;
    unit_no_slab();
    for (size_t i = 0; i < 16; i++)
        p[i] = tide_malloc(1100);
    for (size_t i = 0; i < 16; i += 2) /* every other one: no two merge */
        tide_free(p[i]);
    for (size_t i = 1; i < 16; i += 2)
        tide_free(p[i]);
    for (size_t i = 0; i < 16; i++)
        cached += chunk_of(p[i]).state == TIDE_CHUNK_CACHED;
    assert_int_equal(cached, 12);
}

/* A cache full by bytes (512 KiB) takes more budget, a step at a time: 8
 * blocks of 40 KiB and 8 of 46 KiB (two classes, 688 KiB) all stay
 * cached; 12 did before. */
static void cache_grows_past_its_base_budget(void **state)
{
    void *p[16], *guard;
    size_t cached = 0;

    (void)state;
    unit_no_slab();
    for (size_t i = 0; i < 16; i++)
        p[i] = tide_malloc(i < 8 ? 40 << 10 : 46 << 10);
    guard = tide_malloc(100);
    for (size_t i = 0; i < 16; i++)
        tide_free(p[i]);
    for (size_t i = 0; i < 16; i++)
        cached += chunk_of(p[i]).state == TIDE_CHUNK_CACHED;
    assert_int_equal(cached, 16);
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

/* With its class full (12 blocks), a medium block goes to the bins, the
 * cache still on: a second free of it, which the free path checks by the
 * block's own header (F), not by classify, is caught when its class has
 * room for it again. */
static void double_free_of_binned_block_aborts(void **state)
{
    char line[128];
    void *p[40], *binned = NULL, *q;
    size_t k;

    (void)state;
    unit_no_slab();
    for (size_t i = 0; i < 40; i++)
        p[i] = tide_malloc(1100);
    for (k = 0; k < 40; k += 2) { /* every other one: no two merge */
        tide_free(p[k]);
        if (chunk_of(p[k]).state == TIDE_CHUNK_FREE) {
            binned = p[k];
            break;
        }
    }
    assert_non_null(binned);
    q = tide_malloc(1100); /* the newest cached block: the class has room again */
    assert_ptr_not_equal(q, binned);
    expect_abort(tide_free, binned, abort_line(line, sizeof line, "double free of", binned), binned);
    tide_free(q);
    for (size_t i = 0; i < 40; i++)
        if (i % 2 || i > k) /* the others are freed already */
            tide_free(p[i]);
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
    UNIT_TEST("medium-class-serves-newest-that-fits", class_serves_newest_that_fits),
    UNIT_TEST("medium-class-above-serves-first", class_above_serves_first),
    UNIT_TEST("medium-class-holds-twelve", class_holds_twelve),
    UNIT_TEST("medium-cache-grows-past-its-base-budget", cache_grows_past_its_base_budget),
    UNIT_TEST("medium-double-free-of-cached-block-aborts", double_free_of_cached_block_aborts),
    UNIT_TEST("medium-double-free-of-binned-block-aborts", double_free_of_binned_block_aborts),
    UNIT_TEST("medium-cache-close-gives-them-back", cache_close_gives_them_back),
    UNIT_TEST("medium-realloc-moved-block-not-kept", realloc_moved_block_not_kept),
    UNIT_TEST("medium-classic-has-no-medium-cache", classic_has_no_medium_cache),
};

UNIT_GROUP(medium, tests)
