/*
 * tests/unit/test_checker.c - tide_check: silent on a sound heap, and it
 * notices (and reports on the error channel) an overwritten size, a broken
 * free-list link and a wrong footer. Each test repairs what it broke.
 */
#include "unit.h"

#include <string.h>

static void check_fresh_heap_consistent(void **state)
{
    void *p[50];

    (void)state;
    assert_int_equal(tide_check(), 0);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(i * 100);
    assert_int_equal(tide_check(), 0);
    for (size_t i = 0; i < ARRAY_LEN(p); i += 2)
        tide_free(p[i]);
    assert_int_equal(tide_check(), 0);
    for (size_t i = 1; i < ARRAY_LEN(p); i += 2)
        tide_free(p[i]);
    assert_int_equal(fake_messages()[0], '\0');
}

/* Overwrites the word at w, checks tide_check notices, restores it. */
static void expect_check_notices(uint64_t *w, uint64_t bad)
{
    uint64_t saved = *w;

    fake_clear_messages();
    *w = bad;
    assert_true(tide_check() > 0);
    assert_true(fake_messages()[0] != '\0');
    *w = saved;
    fake_clear_messages();
    assert_int_equal(tide_check(), 0);
}

static void check_detects_overwritten_size(void **state)
{
    char *a, *b, *c;

    (void)state;
    unit_no_slab(); /* heap chunks: slots have no header */
    a = tide_malloc(100), b = tide_malloc(100), c = tide_malloc(100);
    expect_check_notices((uint64_t *)(b - 8), 0x12345);
    expect_check_notices((uint64_t *)(b - 8), *(uint64_t *)(b - 8) + 64);
    tide_free(a);
    tide_free(b);
    tide_free(c);
}

static void check_detects_broken_free_link(void **state)
{
    char *a, *guard;

    (void)state;
    unit_no_slab();
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    a = tide_malloc(1000);
    guard = tide_malloc(100);
    tide_free(a);
    /* links that point at a real chunk, just the wrong one */
    expect_check_notices((uint64_t *)a, (uint64_t)(uintptr_t)(guard - 16));
    expect_check_notices((uint64_t *)(a + 8), (uint64_t)(uintptr_t)(guard - 16));
    tide_free(guard);
}

static void check_detects_wrong_footer(void **state)
{
    char *a, *b;

    (void)state;
    unit_no_slab();
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    a = tide_malloc(1000);
    b = tide_malloc(100);
    tide_free(a);
    /* b's prev_size is the footer of the free chunk a: 1008 */
    assert_int_equal(*(uint64_t *)(b - 16), 1008);
    expect_check_notices((uint64_t *)(b - 16), 2016);
    tide_free(b);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("check-fresh-heap-consistent", check_fresh_heap_consistent),
    UNIT_TEST("check-detects-overwritten-size", check_detects_overwritten_size),
    UNIT_TEST("check-detects-broken-free-link", check_detects_broken_free_link),
    UNIT_TEST("check-detects-wrong-footer", check_detects_wrong_footer),
};

UNIT_GROUP(checker, tests)
