/*
 * tests/unit/test_hooks.c - the platform-layer hooks on one thread:
 * tide_thread_exit empties the cache into the heap, the fork hooks leave
 * the allocator usable on both sides, tide_reset starts over.
 */
#include "unit.h"

static void thread_exit_empties_cache(void **state)
{
    struct walk_summary s;
    void *p[8], *q;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(32 + i * 16);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
    walk_heap(&s, NULL);
    assert_true(s.cached > 0);
    tide_thread_exit();
    walk_heap(&s, NULL);
    assert_int_equal(s.cached, 0);
    q = tide_malloc(40);
    assert_non_null(q);
    tide_free(q);
}

static void fork_hooks_parent_side(void **state)
{
    void *p = tide_malloc(100), *q;

    (void)state;
    tide_fork_prepare();
    tide_fork_parent();
    q = tide_malloc(100);
    assert_non_null(q);
    tide_free(p);
    tide_free(q);
}

static void fork_hooks_child_side(void **state)
{
    void *p = tide_malloc(100), *q;

    (void)state;
    tide_fork_prepare();
    tide_fork_child();
    q = tide_malloc(100);
    assert_non_null(q);
    tide_free(p);
    tide_free(q);
}

static void reset_calls_init_again(void **state)
{
    size_t inits;

    (void)state;
    tide_free(tide_malloc(10));
    inits = fake_counters()->init_calls;
    tide_reset();
    tide_free(tide_malloc(10));
    assert_int_equal(fake_counters()->init_calls, inits + 1);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("thread-exit-empties-cache", thread_exit_empties_cache),
    UNIT_TEST("fork-hooks-parent-side", fork_hooks_parent_side),
    UNIT_TEST("fork-hooks-child-side", fork_hooks_child_side),
    UNIT_TEST("reset-calls-init-again", reset_calls_init_again),
};

UNIT_GROUP(hooks, tests)
