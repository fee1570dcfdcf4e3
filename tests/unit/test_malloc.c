/*
 * tests/unit/test_malloc.c - tide_malloc: alignment, sizes, where blocks come
 * from (brk heap below the mmap threshold, own mapping at and above it), the
 * first heap growth, reuse, and odd platforms (big pages, misaligned brk).
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

struct block { unsigned char *p; size_t n; };

static int by_address(const void *a, const void *b)
{
    const struct block *x = a, *y = b;

    return x->p < y->p ? -1 : x->p > y->p;
}

/* Allocates count blocks of sizes from size_of(i), checks alignment, fills
 * every usable byte, checks no two overlap, then frees them all. */
static void alloc_check_free(size_t count, size_t (*size_of)(size_t))
{
    struct block *b = calloc(count, sizeof *b);

    assert_non_null(b);
    for (size_t i = 0; i < count; i++) {
        b[i].p = tide_malloc(size_of(i));
        assert_non_null(b[i].p);
        assert_int_equal((uintptr_t)b[i].p % 16, 0);
        b[i].n = tide_malloc_usable_size(b[i].p);
        assert_true(b[i].n >= size_of(i));
        memset(b[i].p, (int)(i & 0xff), b[i].n);
    }
    qsort(b, count, sizeof *b, by_address);
    for (size_t i = 1; i < count; i++)
        assert_true(b[i - 1].p + b[i - 1].n <= b[i].p);
    assert_int_equal(tide_check(), 0);
    for (size_t i = 0; i < count; i++)
        tide_free(b[i].p);
    free(b);
}

static size_t size_is_index(size_t i) { return i; }
static size_t size_spread(size_t i) { return (i * 7919) % (300 * KiB); }

static void malloc_zero_returns_distinct_pointers(void **state)
{
    void *p = tide_malloc(0), *q = tide_malloc(0);

    (void)state;
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    assert_true(tide_malloc_usable_size(p) >= 16);
    tide_free(p);
    tide_free(q);
}

static void malloc_every_small_size_aligned_disjoint(void **state)
{
    (void)state;
    alloc_check_free(2048, size_is_index);
}

static void malloc_sizes_across_threshold_aligned_disjoint(void **state)
{
    (void)state;
    alloc_check_free(300, size_spread);
}

/* S4: malloc(1) grows the heap by request + 128 KiB top pad, page rounded. */
static void malloc_first_small_grows_heap_by_top_pad(void **state)
{
    void *p;

    (void)state;
    unit_restart_classic();
    p = tide_malloc(1);
    assert_non_null(p);
    assert_true(fake_in_brk_region(p));
    assert_int_equal(heap_span(), 132 * KiB);
    assert_int_equal(fake_counters()->brk_bytes, 132 * KiB);
    tide_free(p);
}

/* S2: just under the threshold comes from the heap, at it from its own mapping. */
static void malloc_threshold_splits_heap_and_mmap(void **state)
{
    size_t maps;
    void *below, *at;

    (void)state;
    unit_restart_classic();
    below = tide_malloc(128 * KiB - 64);
    assert_non_null(below);
    assert_true(fake_in_brk_region(below));
    assert_int_equal(stats_now().mapped_blocks, 0);
    at = tide_malloc(128 * KiB);
    assert_non_null(at);
    assert_true(fake_in_mmap_region(at));
    assert_int_equal((uintptr_t)at % 16, 0);
    assert_int_equal(stats_now().mapped_blocks, 1);
    assert_true(stats_now().mapped_bytes >= 128 * KiB);
    tide_free(at);
    /* once the core's own bookkeeping exists: exactly one mmap per block */
    maps = fake_counters()->mmap_calls;
    at = tide_malloc(128 * KiB);
    assert_true(fake_in_mmap_region(at));
    assert_int_equal(fake_counters()->mmap_calls, maps + 1);
    tide_free(at);
    tide_free(below);
}

/* As glibc: a request at or above the threshold takes a free chunk of the
 * heap that fits before a mapping of its own (the hole would otherwise
 * stay resident and unused); with none, a mapping, not the top. Both
 * profiles. */
static void big_request_takes_a_free_heap_chunk(void)
{
    char *a = tide_malloc(100 * KiB), *b = tide_malloc(100 * KiB), *guard = tide_malloc(100 * KiB), *big, *other;

    assert_true(fake_in_brk_region(a) && fake_in_brk_region(b) && guard > b);
    memset(a, 0x11, 100 * KiB);
    tide_free(a);
    tide_free(b); /* merged: a free chunk of about 200 KiB below guard,
                     which keeps it from the top */
    big = tide_malloc(150 * KiB);
    assert_ptr_equal(big, a);
    assert_int_equal(stats_now().mapped_blocks, 0);
    other = tide_malloc(150 * KiB); /* no free chunk fits any more */
    assert_true(fake_in_mmap_region(other));
    assert_int_equal(stats_now().mapped_blocks, 1);
    memset(big, 0x22, 150 * KiB);
    assert_int_equal(tide_check(), 0);
    tide_free(big); /* the hole again: an aligned big block takes it too */
    big = tide_memalign(4096, 150 * KiB);
    assert_true(big >= a && big + 150 * KiB <= guard);
    assert_int_equal((uintptr_t)big % 4096, 0);
    assert_int_equal(stats_now().mapped_blocks, 1);
    assert_int_equal(tide_check(), 0);
    tide_free(other);
    tide_free(big);
    tide_free(guard);
}

static void malloc_big_request_takes_free_heap_chunk(void **state)
{
    (void)state;
    big_request_takes_a_free_heap_chunk();
    unit_restart_classic();
    big_request_takes_a_free_heap_chunk();
}

static void malloc_reuses_just_freed_chunk(void **state)
{
    void *p, *q;

    (void)state;
    p = tide_malloc(100);
    tide_free(p);
    q = tide_malloc(100);
    assert_ptr_equal(p, q);
    tide_free(q);
}

/* The top pad amortises brk: 10000 small blocks take few brk calls. */
static void malloc_many_small_few_brk_calls(void **state)
{
    static void *p[10000];

    (void)state;
    unit_restart_classic();
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        p[i] = tide_malloc(24);
        assert_non_null(p[i]);
        assert_true(fake_in_brk_region(p[i]));
    }
    /* 10000 * 32 bytes = 320000: with a 128 KiB pad, three or four growths */
    assert_true(fake_counters()->brk_calls <= 6);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

static void malloc_contents_survive_neighbour_churn(void **state)
{
    static unsigned char *p[512];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        p[i] = tide_malloc(16 + i * 3);
        fill_pattern(p[i], 16 + i * 3, (unsigned)i);
    }
    for (size_t i = 0; i < ARRAY_LEN(p); i += 2) {
        tide_free(p[i]);
        p[i] = tide_malloc(8 + i);
        fill_pattern(p[i], 8 + i, (unsigned)i + 1000);
    }
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        if (i % 2)
            assert_true(check_pattern(p[i], 16 + i * 3, (unsigned)i));
        else
            assert_true(check_pattern(p[i], 8 + i, (unsigned)i + 1000));
        tide_free(p[i]);
    }
}

static void run_on_platform(size_t page, size_t brk_offset)
{
    struct fake_config cfg;

    fake_config_default(&cfg);
    cfg.page_size = page;
    cfg.brk_offset = brk_offset;
    if (cfg.segment_size < page)
        cfg.segment_size = page;
    unit_restart(&cfg);
    alloc_check_free(300, size_spread);
    alloc_check_free(1000, size_is_index);
}

static void malloc_16k_pages_platform(void **state) { (void)state; run_on_platform(16 * KiB, 0); }
static void malloc_64k_pages_platform(void **state) { (void)state; run_on_platform(64 * KiB, 0); }
static void malloc_misaligned_brk_start(void **state) { (void)state; run_on_platform(4 * KiB, 8); }

/* Default profile: a block of 64 KiB or more from the heap starts on a
 * page, whether it is carved from the top or from a free chunk with room
 * for the gap before it; the gap stays free memory. */
static void malloc_big_heap_blocks_start_on_a_page(void **state)
{
    unsigned char *small, *x, *guard, *y, *z;
    struct walk_summary s;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 16 * MiB), 1);
    small = tide_malloc(3000);
    x = tide_malloc(200000); /* from the top */
    guard = tide_malloc(100);
    if ((uintptr_t)x % 4096)
        fail_msg("block of 200000 bytes at %p: not on a page", (void *)x);
    tide_free(x); /* merged with the gap before it */
    y = tide_malloc(5000); /* the front of that free chunk */
    z = tide_malloc(100000); /* the rest of it: its start is not on a page */
    if (y < x - 4096 || y >= x)
        fail_msg("block of 5000 bytes at %p, not at the front of x's free chunk (x %p)", (void *)y, (void *)x);
    if ((uintptr_t)z % 4096 || z <= y || z >= x + 200000 - 100000)
        fail_msg("block of 100000 bytes at %p (x %p): not on a page inside x", (void *)z, (void *)x);
    walk_heap(&s, y + 5008); /* just after y (chunk 5008): the gap before z */
    assert_true(s.saw_target);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_FREE);
    assert_ptr_equal((unsigned char *)s.target_info.mem + s.target_info.size, z);
    fill_pattern(z, 100000, 3);
    assert_true(check_pattern(z, 100000, 3));
    tide_free(z);
    tide_free(y);
    tide_free(guard);
    tide_free(small);
}

/* Classic: the seeds' layout, big blocks carved right after the last one. */
static void malloc_classic_big_blocks_not_moved(void **state)
{
    unsigned char *small, *x;

    (void)state;
    unit_restart_classic();
    small = tide_malloc(3000);
    x = tide_malloc(100000);
    assert_ptr_equal(x, small + 3008); /* chunk of 3000 bytes: 3008 */
    tide_free(x);
    tide_free(small);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("malloc-zero-returns-distinct-pointers", malloc_zero_returns_distinct_pointers),
    UNIT_TEST("malloc-every-small-size-aligned-disjoint", malloc_every_small_size_aligned_disjoint),
    UNIT_TEST("malloc-sizes-across-threshold-aligned-disjoint", malloc_sizes_across_threshold_aligned_disjoint),
    UNIT_TEST("malloc-first-small-grows-heap-by-top-pad", malloc_first_small_grows_heap_by_top_pad),
    UNIT_TEST("malloc-threshold-splits-heap-and-mmap", malloc_threshold_splits_heap_and_mmap),
    UNIT_TEST("malloc-reuses-just-freed-chunk", malloc_reuses_just_freed_chunk),
    UNIT_TEST("malloc-big-request-takes-free-heap-chunk", malloc_big_request_takes_free_heap_chunk),
    UNIT_TEST("malloc-many-small-few-brk-calls", malloc_many_small_few_brk_calls),
    UNIT_TEST("malloc-contents-survive-neighbour-churn", malloc_contents_survive_neighbour_churn),
    UNIT_TEST("malloc-16k-pages-platform", malloc_16k_pages_platform),
    UNIT_TEST("malloc-64k-pages-platform", malloc_64k_pages_platform),
    UNIT_TEST("malloc-misaligned-brk-start", malloc_misaligned_brk_start),
    UNIT_TEST("malloc-big-heap-blocks-start-on-a-page", malloc_big_heap_blocks_start_on_a_page),
    UNIT_TEST("malloc-classic-big-blocks-not-moved", malloc_classic_big_blocks_not_moved),
};

UNIT_GROUP(malloc, tests)
