/*
 * tests/unit/test_bad_input.c - frees and reallocs of pointers tide did not
 * hand out, double frees (small, large, cached, binned, mmapped) and
 * overwritten headers: each one line on stderr, then SIGABRT. Every case
 * runs in a forked child (expect_abort).
 */
#include "unit.h"

#include <string.h>

static _Alignas(16) unsigned char not_ours[256];

static void do_free(void *p) { tide_free(p); }
static void do_realloc(void *p) { tide_realloc(p, 100); }

static void expect_free_abort(void *p, const char *what)
{
    char line[128];

    expect_abort(do_free, p, abort_line(line, sizeof line, what, p), p);
}

static void free_misaligned_pointer_aborts(void **state)
{
    char *p = tide_malloc(100);

    (void)state;
    expect_free_abort(p + 8, "free(): invalid pointer");
    expect_free_abort(p + 1, "free(): invalid pointer");
    tide_free(p);
}

static void free_static_buffer_aborts(void **state)
{
    (void)state;
    tide_free(tide_malloc(1));
    expect_free_abort(not_ours + 16, "free(): invalid pointer");
}

static void free_inside_block_aborts(void **state)
{
    char *p = tide_malloc(256);

    (void)state;
    memset(p, 0, 256);
    expect_free_abort(p + 64, "free(): invalid pointer");
    tide_free(p);
}

/* The same inside a medium block (1-64 KiB), whose frees take the medium
 * cache's own path: a zero header is no medium size, and one that claims
 * a medium size but carries the F bit (a free chunk's) is refused too. */
static void free_inside_medium_block_aborts(void **state)
{
    char *p = tide_malloc(8000);

    (void)state;
    memset(p, 0, 8000);
    expect_free_abort(p + 1024, "free(): invalid pointer");
    *(uint64_t *)(p + 2048 - 8) = 2048 | 8 | 1; /* size 2048, F and P */
    expect_abort(do_free, p + 2048, NULL, p + 2048);
    tide_free(p);
}

static void realloc_foreign_pointer_aborts(void **state)
{
    char *p = tide_malloc(100);

    (void)state;
    expect_abort(do_realloc, not_ours + 16, NULL, not_ours + 16);
    expect_abort(do_realloc, p + 8, NULL, p + 8);
    tide_free(p);
}

static void expect_double_free(size_t size, bool tcache)
{
    char line[128];
    void *p, *guard;

    if (!tcache)
        assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    p = tide_malloc(size);
    guard = tide_malloc(2 * KiB); /* from the chunk heap: p cannot merge into the top */
    expect_abort(free_twice, p, abort_line(line, sizeof line, "double free of", p), p);
    tide_free(p);
    tide_free(guard);
}

static void double_free_small_cached_aborts(void **state) { (void)state; expect_double_free(40, true); }
static void double_free_small_binned_aborts(void **state) { (void)state; expect_double_free(40, false); }
static void double_free_medium_aborts(void **state) { (void)state; expect_double_free(2000, false); }
static void double_free_large_heap_block_aborts(void **state) { (void)state; expect_double_free(100 * KiB, false); }

/* The first free unmaps the block: the second must be recognised without
 * reading its (now unmapped) header, and reported as a double free. */
static void double_free_mmapped_block_aborts(void **state) { (void)state; expect_double_free(MiB, true); }

/* The block went to the cache first, then the cache was full and ... */
static void double_free_after_cache_filled_aborts(void **state)
{
    char line[128];
    void *p, *q[16];

    (void)state;
    p = tide_malloc(48);
    for (size_t i = 0; i < ARRAY_LEN(q); i++)
        q[i] = tide_malloc(48);
    for (size_t i = 0; i < ARRAY_LEN(q); i++)
        tide_free(q[i]);
    expect_abort(free_twice, p, abort_line(line, sizeof line, "double free of", p), p);
    tide_free(p);
}

/* A cacheable block went back to its arena and merged into the free
 * block before it (and then into the top, without a guard after it): its
 * old header now lies inside free memory. A second free, through the fast
 * path with the cache on again, must still be caught. */
static void expect_double_free_after_merge(bool into_top)
{
    char line[128];
    void *a = tide_malloc(64), *b = tide_malloc(64), *guard = into_top ? NULL : tide_malloc(64);

    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    tide_free(a);
    tide_free(b);
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 64), 1);
    expect_abort(do_free, b, abort_line(line, sizeof line, "double free of", b), b);
    tide_free(guard);
}

static void double_free_merged_into_free_neighbour_aborts(void **state)
{
    (void)state;
    expect_double_free_after_merge(false);
}

static void double_free_merged_into_top_aborts(void **state)
{
    (void)state;
    expect_double_free_after_merge(true);
}

/* Two blocks of 64 bytes (80-byte chunks) that sit next to each other. */
static void adjacent_pair(char **first, char **second, char **all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        all[i] = tide_malloc(64);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (all[j] == all[i] + 80) {
                *first = all[i];
                *second = all[j];
                return;
            }
    fail_msg("no two adjacent 64-byte blocks among %zu", n);
}

static void overwritten_header_aborts(void **state)
{
    char *all[16], *a = NULL, *b = NULL;
    uint64_t saved;

    (void)state;
    unit_no_slab(); /* heap chunks: slots have no header */
    adjacent_pair(&a, &b, all, ARRAY_LEN(all));
    saved = *(uint64_t *)(b - 8);
    memset(a, 0x41, tide_malloc_usable_size(a) + 8); /* overflow into b's size */
    expect_abort(do_free, b, NULL, b);
    *(uint64_t *)(b - 8) = saved;
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        tide_free(all[i]);
}

static void overwritten_mmapped_header_aborts(void **state)
{
    char *p = tide_malloc(MiB);
    uint64_t saved;

    (void)state;
    saved = *(uint64_t *)(p - 8);
    *(uint64_t *)(p - 8) = saved + 4096 * 16;
    expect_abort(do_free, p, NULL, p);
    *(uint64_t *)(p - 8) = saved;
    tide_free(p);
}

/* realloc moved the block: the old pointer is stale, freeing it is a bug
 * the free path must catch (heap block, and mapped block moved by remap). */
static void free_stale_pointer_after_realloc_moved(size_t from, size_t to)
{
    void *p = tide_malloc(from), *guard = tide_malloc(from), *q;

    q = tide_realloc(p, to);
    assert_non_null(q);
    assert_ptr_not_equal(q, p);
    expect_abort(do_free, p, NULL, p);
    tide_free(q);
    tide_free(guard);
}

static void free_stale_heap_pointer_after_realloc_aborts(void **state)
{
    (void)state;
    free_stale_pointer_after_realloc_moved(100, 20000);
}

static void free_stale_mapped_pointer_after_realloc_aborts(void **state)
{
    (void)state;
    free_stale_pointer_after_realloc_moved(300 * KiB, 8 * MiB);
}

/* The same checks hold for blocks in mmap-backed heap segments. */
static void bad_frees_in_segments_abort(void **state)
{
    struct fake_config cfg;
    char line[128], *p, *q;

    (void)state;
    fake_config_default(&cfg);
    cfg.no_brk = true;
    unit_restart(&cfg);
    p = tide_malloc(256);
    q = tide_malloc(40);
    assert_true(fake_in_mmap_region(p));
    memset(p, 0, 256);
    expect_abort(do_free, p + 64, NULL, p + 64);
    expect_abort(do_free, p + 8, abort_line(line, sizeof line, "free(): invalid pointer", p + 8), p + 8);
    expect_abort(free_twice, q, abort_line(line, sizeof line, "double free of", q), q);
    tide_free(p);
    tide_free(q);
}

/* realloc of a block already freed, to a size it still holds: the block
 * waits in the cache (a slot, a small chunk, a medium chunk), and handing
 * it back as it is would let the next malloc give it out a second time. */
static void free_then_realloc(void *p)
{
    size_t n = tide_malloc_usable_size(p);

    tide_free(p);
    tide_realloc(p, n);
}

static void realloc_of_a_freed_block_aborts(void **state)
{
    static const size_t sizes[] = { 40, 600, 5000 };
    char line[128];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        void *p = tide_malloc(sizes[i]), *guard = tide_malloc(2 * KiB);
        expect_abort(free_then_realloc, p, abort_line(line, sizeof line, "double free of", p), p);
        tide_free(p);
        tide_free(guard);
    }
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("free-misaligned-pointer-aborts", free_misaligned_pointer_aborts),
    UNIT_TEST("free-static-buffer-aborts", free_static_buffer_aborts),
    UNIT_TEST("free-inside-block-aborts", free_inside_block_aborts),
    UNIT_TEST("free-inside-medium-block-aborts", free_inside_medium_block_aborts),
    UNIT_TEST("realloc-foreign-pointer-aborts", realloc_foreign_pointer_aborts),
    UNIT_TEST("realloc-of-a-freed-block-aborts", realloc_of_a_freed_block_aborts),
    UNIT_TEST("double-free-small-cached-aborts", double_free_small_cached_aborts),
    UNIT_TEST("double-free-small-binned-aborts", double_free_small_binned_aborts),
    UNIT_TEST("double-free-medium-aborts", double_free_medium_aborts),
    UNIT_TEST("double-free-large-heap-block-aborts", double_free_large_heap_block_aborts),
    UNIT_TEST("double-free-mmapped-block-aborts", double_free_mmapped_block_aborts),
    UNIT_TEST("double-free-after-cache-filled-aborts", double_free_after_cache_filled_aborts),
    UNIT_TEST("double-free-merged-into-free-neighbour-aborts", double_free_merged_into_free_neighbour_aborts),
    UNIT_TEST("double-free-merged-into-top-aborts", double_free_merged_into_top_aborts),
    UNIT_TEST("free-stale-heap-pointer-after-realloc-aborts", free_stale_heap_pointer_after_realloc_aborts),
    UNIT_TEST("free-stale-mapped-pointer-after-realloc-aborts", free_stale_mapped_pointer_after_realloc_aborts),
    UNIT_TEST("bad-frees-in-segments-abort", bad_frees_in_segments_abort),
    UNIT_TEST("overwritten-header-aborts", overwritten_header_aborts),
    UNIT_TEST("overwritten-mmapped-header-aborts", overwritten_mmapped_header_aborts),
};

UNIT_GROUP(bad_input, tests)
