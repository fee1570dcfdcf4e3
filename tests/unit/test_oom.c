/*
 * tests/unit/test_oom.c - out of memory, deterministically over the fake:
 * no memory at all, a single failed mmap, exhaustion and recovery, and
 * sweeps that fail every mmap call (and every brk limit) of a workload in
 * turn. Every failure must be NULL + ENOMEM with the heap left consistent.
 */
#include "unit.h"

#include <errno.h>
#include <string.h>

static void no_memory_at_all(void)
{
    struct fake_config cfg;

    fake_config_default(&cfg);
    cfg.no_brk = true;
    cfg.mmap_fail_at = 1;
    cfg.mmap_fail_after = true;
    unit_restart(&cfg);
}

static void oom_no_memory_malloc_null_enomem(void **state)
{
    void *p;

    (void)state;
    no_memory_at_all();
    errno = 0;
    assert_null(tide_malloc(1));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_malloc(MiB));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_calloc(10, 10));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_aligned_alloc(4096, 10));
    assert_int_equal(errno, ENOMEM);
    assert_int_equal(tide_posix_memalign(&p, 64, 10), TIDE_ENOMEM_RC);
    errno = 0;
    assert_null(tide_realloc(NULL, 10));
    assert_int_equal(errno, ENOMEM);
}

/* mmap fails (every route the core may try), then works again. */
static void oom_mmap_failure_then_recovers(void **state)
{
    void *p;

    (void)state;
    tide_free(tide_malloc(10));
    fake_set_brk_limit(fake_counters()->brk_bytes);
    fake_fail_mmap(1, true);
    errno = 0;
    assert_null(tide_malloc(MiB));
    assert_int_equal(errno, ENOMEM);
    fake_fail_mmap(0, false);
    p = tide_malloc(MiB);
    assert_non_null(p);
    memset(p, 1, MiB);
    tide_free(p);
}

static void oom_aligned_alloc_when_top_too_small(void **state)
{
    (void)state;
    tide_free(tide_malloc(10));
    fake_set_brk_limit(fake_counters()->brk_bytes);
    fake_fail_mmap(1, true);
    errno = 0;
    assert_null(tide_aligned_alloc(64 * KiB, 120 * KiB));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(tide_calloc(1, 500 * KiB));
    assert_int_equal(errno, ENOMEM);
}

/* Fill the brk heap until it runs out (no mmap at all), free every other
 * block, allocate as many of the same size again: every hole must serve. */
static void oom_exhaustion_then_free_recovers(void **state)
{
    static void *p[20000];
    struct fake_config cfg;
    size_t n = 0;

    (void)state;
    fake_config_default(&cfg);
    cfg.brk_limit = 4 * MiB;
    cfg.mmap_fail_at = 1;
    cfg.mmap_fail_after = true;
    unit_restart(&cfg);
    while (n < ARRAY_LEN(p) && (p[n] = tide_malloc(1000)) != NULL)
        memset(p[n++], 0x77, 1000);
    assert_true(n < ARRAY_LEN(p));
    assert_true(n > 2000);
    assert_int_equal(errno, ENOMEM);
    assert_int_equal(tide_check(), 0);
    for (size_t i = 0; i < n; i += 2)
        tide_free(p[i]);
    /* the same size again: the freed chunks (cached ones too) fit exactly */
    for (size_t i = 0; i < n; i += 2) {
        p[i] = tide_malloc(1000);
        if (p[i] == NULL)
            fail_msg("malloc(1000) #%zu of %zu failed after freeing as many", i / 2, (n + 1) / 2);
    }
    for (size_t i = 0; i < n; i++) {
        if (i % 2)
            assert_true(all_bytes(p[i], 1000, 0x77));
        tide_free(p[i]);
    }
}

/* A mixed workload where any allocation may fail, but only cleanly. */
static void failing_workload(void)
{
    static const size_t sizes[] = { 24, 300 * KiB, 1000, 64 * KiB, 2 * MiB, 5000, 200, 150 * KiB };
    void *p[32];

    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        size_t n = sizes[i % ARRAY_LEN(sizes)];
        errno = 0;
        p[i] = i % 5 == 4 ? tide_calloc(1, n) : tide_malloc(n);
        if (p[i] == NULL)
            assert_int_equal(errno, ENOMEM);
        else
            memset(p[i], 0x11, n);
        if (i % 3 == 2 && p[i - 1]) {
            void *q = tide_realloc(p[i - 1], n * 2);
            if (q)
                p[i - 1] = q;
            else
                assert_int_equal(errno, ENOMEM);
        }
        assert_int_equal(tide_check(), 0);
    }
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

static void sweep_mmap_failures(bool no_brk, bool and_after)
{
    struct fake_config cfg;

    for (size_t n = 1; n <= 40; n++) {
        fake_config_default(&cfg);
        cfg.no_brk = no_brk;
        cfg.mmap_fail_at = n;
        cfg.mmap_fail_after = and_after;
        unit_restart(&cfg);
        failing_workload();
        if (tide_check() != 0 || fake_counters()->contract_violations != 0)
            fail_msg("mmap call %zu failing%s left the heap broken", n, and_after ? " (and after)" : "");
    }
}

static void oom_each_mmap_call_fails_once(void **state) { (void)state; sweep_mmap_failures(false, false); }
static void oom_each_mmap_call_fails_for_good(void **state) { (void)state; sweep_mmap_failures(false, true); }
static void oom_mmap_only_each_call_fails_once(void **state) { (void)state; sweep_mmap_failures(true, false); }
static void oom_mmap_only_each_call_fails_for_good(void **state) { (void)state; sweep_mmap_failures(true, true); }

static void oom_each_brk_limit(void **state)
{
    struct fake_config cfg;

    (void)state;
    for (size_t limit = 0; limit <= 600 * KiB; limit += 12 * KiB + 8) {
        fake_config_default(&cfg);
        cfg.brk_limit = limit;
        cfg.mmap_fail_at = 1;
        cfg.mmap_fail_after = true;
        unit_restart(&cfg);
        failing_workload();
        if (tide_check() != 0)
            fail_msg("brk limit %zu left the heap broken", limit);
    }
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("oom-no-memory-malloc-null-enomem", oom_no_memory_malloc_null_enomem),
    UNIT_TEST("oom-mmap-failure-then-recovers", oom_mmap_failure_then_recovers),
    UNIT_TEST("oom-aligned-alloc-when-top-too-small", oom_aligned_alloc_when_top_too_small),
    UNIT_TEST("oom-exhaustion-then-free-recovers", oom_exhaustion_then_free_recovers),
    UNIT_TEST("oom-each-mmap-call-fails-once", oom_each_mmap_call_fails_once),
    UNIT_TEST("oom-each-mmap-call-fails-for-good", oom_each_mmap_call_fails_for_good),
    UNIT_TEST("oom-mmap-only-each-call-fails-once", oom_mmap_only_each_call_fails_once),
    UNIT_TEST("oom-mmap-only-each-call-fails-for-good", oom_mmap_only_each_call_fails_for_good),
    UNIT_TEST("oom-each-brk-limit", oom_each_brk_limit),
};

UNIT_GROUP(oom, tests)
