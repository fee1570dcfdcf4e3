/*
 * tests/unit/test_huge.c - huge pages for a big brk heap (opt-in, on a
 * platform that offers caps.hugepage): past hugepage_from bytes, each
 * whole huge page below the break is asked for once; a trimmed heap asks
 * again for what it grows back; by default, after a profile change and
 * with hugepage_from 0, nothing is asked.
 * The fake has 64 KiB huge pages here, and the tests lower hugepage_from
 * to 1 MiB, so a few MiB of 4 KiB blocks show it all.
 */
#include "unit.h"

#include <string.h>

#define HUGE (64 * KiB)
#define FROM (1 * MiB)
#define NBLOCKS 1000

static void *blocks[NBLOCKS];

static void restart_with_huge_pages(void)
{
    struct fake_config cfg;

    fake_config_default(&cfg);
    cfg.huge_page = HUGE;
    unit_restart(&cfg);
}

/* 4 KiB blocks (chunks of the brk heap) until the heap is about 4 MiB. */
static void fill(void)
{
    for (size_t i = 0; i < NBLOCKS; i++) {
        blocks[i] = tide_malloc(4 * KiB);
        assert_non_null(blocks[i]);
        memset(blocks[i], 1, 4 * KiB);
    }
}

static void empty(void)
{
    for (size_t i = 0; i < NBLOCKS; i++)
        tide_free(blocks[i]);
}

/* The break now (the fake's default: the heap starts at its region's start). */
static uintptr_t brk_now(void) { return (uintptr_t)fake_brk_start() + fake_counters()->brk_bytes; }

/* Every whole huge page from the heap's start + FROM up to the break was
 * asked for, each once, and nothing else. */
static void check_asked_up_to_break(void)
{
    const struct fake_counters *c = fake_counters();
    uintptr_t start = (uintptr_t)fake_brk_start(), brk = brk_now();
    uintptr_t lo = (start + FROM + HUGE - 1) & ~(uintptr_t)(HUGE - 1), hi = brk & ~(uintptr_t)(HUGE - 1);

    assert_int_equal(c->contract_violations, 0);
    assert_true(c->hugepage_calls > 0);
    assert_int_equal(c->huge_lo, lo);
    assert_int_equal(c->huge_hi, hi);
}

static void huge_pages_asked_past_hugepage_from(void **state)
{
    (void)state;
    restart_with_huge_pages();
    assert_int_equal(tide_mallopt(TIDE_M_HUGEPAGE_FROM, FROM), 1);
    fill();
    check_asked_up_to_break();
    /* each range once: the bytes asked are the span they cover */
    assert_int_equal(fake_counters()->huge_bytes, fake_counters()->huge_hi - fake_counters()->huge_lo);
    empty();
}

static void huge_pages_asked_again_after_trim(void **state)
{
    size_t asked;

    (void)state;
    restart_with_huge_pages();
    assert_int_equal(tide_mallopt(TIDE_M_HUGEPAGE_FROM, FROM), 1);
    fill();
    empty();
    tide_malloc_trim(0);
    assert_true(brk_now() < (uintptr_t)fake_brk_start() + FROM);
    asked = fake_counters()->huge_bytes;
    fill();
    /* the heap grew back over ranges it had asked for and given back */
    check_asked_up_to_break();
    assert_int_equal(fake_counters()->huge_bytes - asked, fake_counters()->huge_hi - fake_counters()->huge_lo);
    empty();
}

/* Grows the heap past twice FROM after `param` was set to `value` (with
 * the knob at FROM first): no huge page may be asked for. */
static void expect_none_after(int param, int value)
{
    restart_with_huge_pages();
    assert_int_equal(tide_mallopt(TIDE_M_HUGEPAGE_FROM, FROM), 1);
    assert_int_equal(tide_mallopt(param, value), 1);
    fill();
    assert_true(fake_counters()->brk_bytes > 2 * FROM);
    assert_int_equal(fake_counters()->hugepage_calls, 0);
    empty();
}

/* A profile change sets every knob to the profile's value: off. */
static void huge_pages_knob_reset_by_profile(void **state)
{
    (void)state;
    expect_none_after(TIDE_M_PROFILE, 1);
}

static void huge_pages_never_asked_with_knob_zero(void **state)
{
    (void)state;
    expect_none_after(TIDE_M_HUGEPAGE_FROM, 0);
}

/* Off by default (both profiles). */
static void huge_pages_off_by_default(void **state)
{
    (void)state;
    restart_with_huge_pages();
    fill();
    assert_true(fake_counters()->brk_bytes > 2 * FROM);
    assert_int_equal(fake_counters()->hugepage_calls, 0);
    empty();
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("huge-pages-asked-past-hugepage-from", huge_pages_asked_past_hugepage_from),
    UNIT_TEST("huge-pages-asked-again-after-trim", huge_pages_asked_again_after_trim),
    UNIT_TEST("huge-pages-knob-reset-by-profile", huge_pages_knob_reset_by_profile),
    UNIT_TEST("huge-pages-never-asked-with-knob-zero", huge_pages_never_asked_with_knob_zero),
    UNIT_TEST("huge-pages-off-by-default", huge_pages_off_by_default),
};

UNIT_GROUP(huge, tests)
