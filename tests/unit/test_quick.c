/*
 * tests/unit/test_quick.c - the arenas' quick lists (default profile):
 * a burst of frees leaves runs of blocks there, unmerged; a later miss of
 * their class takes them back; they are merged before the heap grows and
 * when everything is freed; a second free of one is caught.
 */
#include "unit.h"

#include <string.h>

#define BURST 3000

static void *blocks[BURST];

/* Allocates BURST blocks of 40 bytes (chunk 48) and a guard after them
 * (so nothing they free merges into the top), then frees the BURST blocks
 * in order: the cache class overflows again and again. Returns the guard. */
static void *burst_of_frees(void)
{
    void *guard;

    for (size_t i = 0; i < BURST; i++) {
        blocks[i] = tide_malloc(40);
        memset(blocks[i], 0x5a, 40);
    }
    guard = tide_malloc(40);
    for (size_t i = 0; i < BURST; i++)
        tide_free(blocks[i]);
    return guard;
}

static size_t quick_chunks(void)
{
    struct walk_summary s;

    walk_heap(&s, NULL);
    return s.quick;
}

static void overflow_runs_kept_then_taken_back(void **state)
{
    struct tide_mallinfo mi;
    size_t heap, held;
    void *guard;

    (void)state;
    unit_no_slab();
    guard = burst_of_frees();
    held = quick_chunks();
    if (held == 0)
        fail_msg("no block on a quick list after %d frees", BURST);
    mi = tide_mallinfo2();
    if (mi.fsmblks < held * 48)
        fail_msg("fsmblks %zu does not count %zu quick blocks", mi.fsmblks, held);
    if (mi.uordblks > 2 * 48 + 8192) /* the guards, and the thread cache */
        fail_msg("uordblks %zu: freed blocks still counted in use", mi.uordblks);
    heap = stats_now().heap_bytes;
    for (size_t i = 0; i < BURST; i++)
        blocks[i] = tide_malloc(40);
    if (quick_chunks() >= held)
        fail_msg("the misses took no run back (%zu quick blocks, were %zu)", quick_chunks(), held);
    assert_int_equal(stats_now().heap_bytes, heap);
    for (size_t i = 0; i < BURST; i++)
        tide_free(blocks[i]);
    tide_free(guard);
}

/* The runs sit between merged free chunks: a request only their merged
 * memory can serve must get it, not more heap. */
static void runs_merged_before_heap_grows(void **state)
{
    size_t heap;
    void *guard, *big;

    (void)state;
    unit_no_slab();
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 1 << 20), 1);
    guard = burst_of_frees();
    if (quick_chunks() == 0)
        fail_msg("no block on a quick list after %d frees", BURST);
    heap = stats_now().heap_bytes;
    big = tide_malloc((BURST - 512) * 48); /* the cache keeps up to 256 */
    assert_non_null(big);
    if (stats_now().heap_bytes != heap)
        fail_msg("the heap grew from %zu to %zu bytes", heap, stats_now().heap_bytes);
    assert_int_equal(quick_chunks(), 0);
    tide_free(big);
    tide_free(guard);
}

/* A second free of a block that waits on a quick list. */
static void double_free_on_quick_list_aborts(void **state)
{
    struct tide_chunk_info found = {0};
    char line[128];

    (void)state;
    unit_no_slab();
    burst_of_frees();
    for (size_t i = 0; i < BURST && !found.mem; i++) {
        struct walk_summary s;
        walk_heap(&s, blocks[i]);
        if (s.saw_target && s.target_info.state == TIDE_CHUNK_QUICK)
            found = s.target_info;
    }
    if (!found.mem)
        fail_msg("no freed block on a quick list");
    expect_abort(tide_free, (void *)found.mem,
                 abort_line(line, sizeof line, "double free of", found.mem), found.mem);
}

/* Classic profile: no quick lists; an overflow goes to the bins. */
static void classic_has_no_quick_lists(void **state)
{
    (void)state;
    unit_restart_classic();
    burst_of_frees();
    assert_int_equal(quick_chunks(), 0);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("quick-overflow-runs-kept-then-taken-back", overflow_runs_kept_then_taken_back),
    UNIT_TEST("quick-runs-merged-before-heap-grows", runs_merged_before_heap_grows),
    UNIT_TEST("quick-double-free-on-quick-list-aborts", double_free_on_quick_list_aborts),
    UNIT_TEST("quick-classic-has-no-quick-lists", classic_has_no_quick_lists),
};

UNIT_GROUP(quick, tests)
