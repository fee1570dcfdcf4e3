/*
 * tests/unit/test_mallopt.c - tide_mallopt and the profiles: each knob moves
 * the behaviour it names (mmap threshold, mmap max, top pad, thread cache),
 * bad knobs are refused, the classic profile has the seeds' numbers, and
 * start-up settings come from caps.getenv.
 */
#include "unit.h"

#include <string.h>

static void mallopt_unknown_param_refused(void **state)
{
    (void)state;
    assert_int_equal(tide_mallopt(12345, 1), 0);
    assert_int_equal(tide_mallopt(TIDE_M_PROFILE, 99), 0);
    assert_int_equal(tide_mallopt(TIDE_M_PROFILE, -1), 0);
}

/* glibc caps the threshold at 32 MiB (HEAP_MAX / 2) and refuses more. */
static void mallopt_mmap_threshold_above_32mib_refused(void **state)
{
    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 32 * (int)MiB), 1);
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 32 * (int)MiB + 1), 0);
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, -1), 0);
    assert_int_equal(stats_now().mmap_threshold, 32 * MiB);
}

static void mallopt_profile_classic_has_glibc_numbers(void **state)
{
    struct tide_stats st;

    (void)state;
    unit_restart_classic();
    tide_free(tide_malloc(1));
    st = stats_now();
    assert_int_equal(st.mmap_threshold, 128 * KiB);
    assert_int_equal(st.trim_threshold, 128 * KiB);
    assert_int_equal(st.top_pad, 128 * KiB);
}

/* glibc moves its threshold up after frees; classic keeps it where it is. */
static void classic_threshold_stays_fixed(void **state)
{
    void *p;

    (void)state;
    unit_restart_classic();
    for (int i = 0; i < 3; i++) {
        p = tide_malloc(200 * KiB);
        assert_true(fake_in_mmap_region(p));
        tide_free(p);
    }
    assert_int_equal(stats_now().mmap_threshold, 128 * KiB);
}

static void mallopt_mmap_threshold_moves_line(void **state)
{
    void *p;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 64 * KiB), 1);
    assert_int_equal(stats_now().mmap_threshold, 64 * KiB);
    p = tide_malloc(100 * KiB);
    assert_true(fake_in_mmap_region(p));
    assert_int_equal(stats_now().mapped_blocks, 1);
    tide_free(p);
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 1024 * KiB), 1);
    p = tide_malloc(500 * KiB);
    assert_true(fake_in_brk_region(p));
    assert_int_equal(stats_now().mapped_blocks, 0);
    tide_free(p);
}

static void mallopt_mmap_max_zero_disables_mmap(void **state)
{
    void *p;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_MAX, 0), 1);
    p = tide_malloc(2 * MiB);
    assert_non_null(p);
    assert_true(fake_in_brk_region(p));
    assert_int_equal(stats_now().mapped_blocks, 0);
    tide_free(p);
}

static void mallopt_top_pad_sets_first_growth(void **state)
{
    void *p;

    (void)state;
    unit_restart_classic();
    assert_int_equal(tide_mallopt(TIDE_M_TOP_PAD, 0), 1);
    p = tide_malloc(1);
    /* one page, or two if the thread cache's own block sits there too */
    assert_in_range(heap_span(), 4 * KiB, 8 * KiB);
    tide_free(p);

    unit_restart_classic();
    assert_int_equal(tide_mallopt(TIDE_M_TOP_PAD, (int)MiB), 1);
    p = tide_malloc(1);
    assert_in_range(heap_span(), MiB + 4 * KiB, MiB + 8 * KiB);
    assert_int_equal(stats_now().top_pad, MiB);
    tide_free(p);
}

static void mallopt_tcache_count_zero_bypasses_cache(void **state)
{
    struct walk_summary s;
    void *a, *guard;

    (void)state;
    a = tide_malloc(64);
    guard = tide_malloc(64);
    tide_free(a);
    walk_heap(&s, a);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_CACHED);

    unit_restart(NULL);
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    a = tide_malloc(64);
    guard = tide_malloc(64);
    tide_free(a);
    walk_heap(&s, a);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_FREE);
    assert_int_equal(s.cached, 0);
    tide_free(guard);
}

static void mallopt_arena_knobs_accepted(void **state)
{
    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_ARENA_MAX, 2), 1);
    assert_int_equal(tide_mallopt(TIDE_M_ARENA_TEST, 2), 1);
    tide_free(tide_malloc(100));
}

static void env_mmap_threshold_read_at_init(void **state)
{
    static const char *const env[] = { "TIDE_MMAP_THRESHOLD=65536", NULL };
    struct fake_config cfg;
    void *p;

    (void)state;
    fake_config_default(&cfg);
    cfg.env = env;
    unit_restart(&cfg);
    p = tide_malloc(100 * KiB);
    assert_int_equal(stats_now().mmap_threshold, 64 * KiB);
    assert_true(fake_in_mmap_region(p));
    tide_free(p);
}

static void restart_with_env(const char *const *env)
{
    struct fake_config cfg;

    fake_config_default(&cfg);
    cfg.env = env;
    unit_restart(&cfg);
    tide_free(tide_malloc(1)); /* the settings are read at the first call */
}

static void env_sizes_accept_suffixes(void **state)
{
    static const char *const env[] = { "TIDE_MMAP_THRESHOLD=64k", "TIDE_TOP_PAD=1m",
                                       "TIDE_TRIM_THRESHOLD=1G", NULL };
    struct tide_stats st;

    (void)state;
    restart_with_env(env);
    st = stats_now();
    assert_int_equal(st.mmap_threshold, 64 * KiB);
    assert_int_equal(st.top_pad, MiB);
    assert_int_equal(st.trim_threshold, 1024 * MiB);
}

static void env_bad_values_ignored(void **state)
{
    static const char *const env[] = { "TIDE_MMAP_THRESHOLD=12x", "TIDE_TOP_PAD=",
                                       "TIDE_TRIM_THRESHOLD=99999999999999999999999", NULL };
    struct tide_stats st;

    (void)state;
    restart_with_env(env);
    st = stats_now();
    assert_int_equal(st.mmap_threshold, 128 * KiB);
    assert_int_equal(st.top_pad, 128 * KiB);
    assert_int_equal(st.trim_threshold, 128 * KiB);
}

static void env_profile_classic_and_cache_off(void **state)
{
    static const char *const env[] = { "TIDE_PROFILE=classic", "TIDE_TCACHE_COUNT=0", NULL };
    struct walk_summary s;
    void *a, *guard;

    (void)state;
    restart_with_env(env);
    a = tide_malloc(64);
    guard = tide_malloc(64);
    tide_free(a);
    walk_heap(&s, a);
    assert_int_equal(s.target_info.state, TIDE_CHUNK_FREE);
    assert_int_equal(stats_now().mmap_threshold, 128 * KiB);
    tide_free(guard);
}

/* Classic: 7 blocks per cache class, as glibc's tcache. */
static void classic_cache_holds_seven_per_class(void **state)
{
    struct walk_summary s;
    void *p[12];

    (void)state;
    unit_restart_classic();
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(100);
    for (size_t i = 0; i < ARRAY_LEN(p); i += 1)
        tide_free(p[i]);
    walk_heap(&s, NULL);
    assert_int_equal(s.cached, 7);
}

/* The largest count the knob takes, through two fills and an emptying:
 * each class's room and limit share a word (internal.h, struct tcache),
 * and the class holds its limit exactly every time. */
static void classic_cache_holds_its_largest_count(void **state)
{
    static void *p[1030];
    struct walk_summary s;

    (void)state;
    unit_restart_classic();
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 1024), 1);
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 1025), 0);
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < ARRAY_LEN(p); i++)
            p[i] = tide_malloc(100);
        for (size_t i = 0; i < ARRAY_LEN(p); i++)
            tide_free(p[i]);
        walk_heap(&s, NULL);
        assert_int_equal(s.cached, 1024);
        assert_int_equal(tide_check(), 0);
    }
    for (size_t i = 0; i < 1024; i++)
        p[i] = tide_malloc(100);
    walk_heap(&s, NULL);
    assert_int_equal(s.cached, 0);
    for (size_t i = 0; i < 1024; i++)
        tide_free(p[i]);
    walk_heap(&s, NULL);
    assert_int_equal(s.cached, 1024);
}

static void mmap_max_limits_mapped_blocks(void **state)
{
    void *p[3];

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_MAX, 2), 1);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(300 * KiB + i * 4096);
    assert_true(fake_in_mmap_region(p[0]));
    assert_true(fake_in_mmap_region(p[1]));
    assert_true(fake_in_brk_region(p[2]));
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

/* Default profile, as glibc: freeing a mapped block raises the threshold
 * to its size, so the next one like it comes from the heap... */
static void default_threshold_rises_after_free(void **state)
{
    void *p;

    (void)state;
    p = tide_malloc(MiB);
    assert_true(fake_in_mmap_region(p));
    tide_free(p);
    assert_true(stats_now().mmap_threshold >= MiB);
    p = tide_malloc(MiB);
    assert_true(fake_in_brk_region(p));
    tide_free(p);
}

/* ... unless the threshold was set explicitly. */
static void explicit_threshold_stops_rising(void **state)
{
    void *p;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 128 * KiB), 1);
    p = tide_malloc(MiB);
    tide_free(p);
    assert_int_equal(stats_now().mmap_threshold, 128 * KiB);
    p = tide_malloc(MiB);
    assert_true(fake_in_mmap_region(p));
    tide_free(p);
}

/* Default profile: the thread cache keeps at most 64 KiB a class and
 * 256 KiB in all (README), however much is freed, while no class swings
 * between empty and full (see the next test); mallinfo's fsmblks adds
 * the quick lists: at most 256 KiB and 1/16 of the bytes that were in use
 * (`peak`) when they took their runs. */
static void expect_cache_within_budget(size_t peak)
{
    struct tide_mallinfo mi = tide_mallinfo2();
    struct walk_summary s;

    walk_heap(&s, NULL);
    assert_true(s.bytes_cached > 0);
    assert_true(s.bytes_cached <= 256 * KiB);
    assert_true(mi.fsmblks >= s.bytes_cached);
    if (mi.fsmblks - s.bytes_cached > 256 * KiB + peak / 16)
        fail_msg("%zu bytes on quick lists, peak in use %zu", mi.fsmblks - s.bytes_cached, peak);
}

static void default_cache_stays_within_budget(void **state)
{
    static void *p[20000];
    size_t peak;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(8 + (i * 37) % 1000);
    peak = tide_mallinfo2().uordblks;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        if (i % 4) /* a quarter stays: not a free-everything (see below) */
            tide_free(p[i]);
    expect_cache_within_budget(peak);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        if (i % 4)
            p[i] = tide_malloc(24);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        if (i % 4)
            tide_free(p[i]);
    expect_cache_within_budget(peak);
    for (size_t i = 0; i < ARRAY_LEN(p); i += 4)
        tide_free(p[i]);
}

/* Default profile: the chunk classes of the sizes the slabs serve (32-256
 * bytes) take none of the 256 KiB: two classes of about 1 KiB blocks then
 * grow to 63 blocks each (64 KiB) and keep every block freed in a row.
 * When those 15 classes held 2 KiB each of the budget, the second class
 * stopped at 32 and gave back half of what it held. */
static void default_unused_classes_take_no_budget(void **state)
{
    static void *a[63], *b[63];
    void *ballast = tide_malloc(100 * KiB); /* not a free-everything */
    struct walk_summary s;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(a); i++) {
        a[i] = tide_malloc(1032);
        b[i] = tide_malloc(1016);
    }
    for (size_t i = 0; i < ARRAY_LEN(a); i++)
        tide_free(a[i]);
    for (size_t i = 0; i < ARRAY_LEN(b); i++)
        tide_free(b[i]);
    walk_heap(&s, NULL);
    if (s.cached < ARRAY_LEN(a) + ARRAY_LEN(b))
        fail_msg("%zu blocks cached of %zu freed", s.cached, ARRAY_LEN(a) + ARRAY_LEN(b));
    tide_free(ballast);
}

/* Default profile: classes that keep running empty and filling up again
 * (here chunk classes, 272-1040 bytes) get up to 512 KiB beyond the 256
 * KiB budget; blocks freed in a row, which only fill their class, do not. */
static void swinging_classes_get_more_cache(void **state)
{
    static void *live[2000];
    uint64_t rng = 7;
    void *ballast = tide_malloc(100 * KiB); /* keeps it from looking like a free-everything */
    struct walk_summary s;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(live); i++) /* one size, freed in a row */
        live[i] = tide_malloc(600);
    for (size_t i = 0; i < ARRAY_LEN(live); i++)
        tide_free(live[i]);
    walk_heap(&s, NULL);
    assert_true(s.bytes_cached <= 256 * KiB);
    for (size_t i = 0; i < ARRAY_LEN(live); i++)
        live[i] = tide_malloc(264 + i % 769);
    for (size_t step = 0; step < 400000; step++) { /* random sizes, as churn */
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t i = (size_t)(rng >> 33) % ARRAY_LEN(live);
        tide_free(live[i]);
        live[i] = tide_malloc(264 + (size_t)(rng >> 13) % 769);
    }
    for (size_t i = 0; i < ARRAY_LEN(live); i++)
        tide_free(live[i]);
    walk_heap(&s, NULL);
    if (s.bytes_cached <= 256 * KiB || s.bytes_cached > 768 * KiB)
        fail_msg("%zu bytes cached after a random churn of chunk sizes", s.bytes_cached);
    tide_free(ballast);
}

/* Allocates n blocks of size(i) bytes (first 16 written), frees them in
 * the scattered order i * step mod n (step prime to n), and checks that
 * the heap kept no more than 64 KiB resident and the cache is closed. */
static void free_everything_and_check(void **p, size_t n, size_t (*size)(size_t), size_t step)
{
    size_t resident;

    for (size_t i = 0; i < n; i++) {
        p[i] = tide_malloc(size(i));
        memset(p[i], 1, 16);
    }
    for (size_t i = 0; i < n; i++)
        tide_free(p[(i * step) % n]);
    resident = fake_resident_pages(fake_brk_start(), fake_counters()->brk_bytes) * 4096;
    if (resident > 64 * KiB)
        fail_msg("%zu bytes of free heap still resident", resident);
    assert_int_equal(tide_mallinfo2().fsmblks, 0);
}

static size_t small_size(size_t i) { return 16 + (i * 37) % 500; }

/* Two of three blocks of 1-4 KiB, the rest small. */
static size_t mostly_medium_size(size_t i) { return i % 3 ? 1024 + (i * 37) % 3072 : small_size(i); }

/* Default profile: when a program frees (nearly) everything, the memory
 * goes back at once, not on a timer: the cached blocks too (the cache
 * stays closed until the thread allocates again). */
static void default_free_everything_gives_memory_back(void **state)
{
    static void *p[40000];

    (void)state;
    free_everything_and_check(p, ARRAY_LEN(p), small_size, 7919);
    tide_free(tide_malloc(40));
    assert_true(tide_mallinfo2().fsmblks > 0); /* open again */
}

/* The same with a peak of about 4 MiB, most of it in blocks of 1-4 KiB:
 * the medium cache may hold 2 MiB, more than 1/8 of that peak, and the
 * quick test of a free-everything must count it out (it did not: frag at
 * a tenth of its scale kept 11.5 MiB resident after freeing all). */
static void default_free_everything_with_medium_blocks(void **state)
{
    static void *p[3000];

    (void)state;
    free_everything_and_check(p, ARRAY_LEN(p), mostly_medium_size, 1777);
}

/* Default profile: after a free-everything, the slab pages that the last
 * frees empty go back past 64 KiB (8 pages), though an arena otherwise
 * keeps up to 128 KiB of empty pages for reuse. 12 blocks, each alone in
 * its page, are freed after everything but a ballast (which keeps the
 * free-everything from coming again), and after malloc_trim gave back
 * every page already empty: the 9th page empty is one too many. */
static void default_free_everything_leaves_few_slab_pages(void **state)
{
    static void *p[60000], *slot[12 * 32], *ballast[4];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(ballast); i++)
        ballast[i] = tide_malloc(60 * KiB); /* in the heap, 240 KiB in all */
    for (size_t i = 0; i < ARRAY_LEN(slot); i++)
        slot[i] = tide_malloc(256); /* 32 a page */
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(16 + (i * 37) % 500); /* 15 MB: 240 KiB is 1/64 */
    for (size_t i = 0; i < ARRAY_LEN(slot); i++)
        if (i % 32)
            tide_free(slot[i]);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[(i * 7919) % ARRAY_LEN(p)]);
    tide_malloc_trim(0);
    size_t purges = fake_counters()->purge_calls;
    for (size_t i = 0; i < ARRAY_LEN(slot); i += 32) {
        assert_false(fake_in_brk_region(slot[i]));
        tide_free(slot[i]);
    }
    assert_true(fake_counters()->purge_calls > purges);
    for (size_t i = 0; i < ARRAY_LEN(ballast); i++)
        tide_free(ballast[i]);
}

/* Default profile: an arena keeps at most 8 MiB (+ its bytes in use) of
 * free memory; the rest goes back (trim, purge). */
static void default_free_memory_bounded(void **state)
{
    static void *p[5000];
    size_t resident;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(8000 + i % 100); /* 40 MB in the heap */
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        memset(p[i], 1, 8000);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
    resident = fake_resident_pages(fake_brk_start(), fake_counters()->brk_bytes) * 4096;
    if (resident > 8 * MiB + 1 * MiB)
        fail_msg("%zu bytes of free heap still resident", resident);
}

/* Default profile: a live set that swings up and down (as the bench's
 * `large` workload) is not purged and refaulted at every dip: once
 * the heap has its size, the free memory is reused, not given back. */
static void swing(unsigned keep_one_in)
{
    static void *p[320];
    uint64_t x = 7;
    size_t purges = 0, brks = 0;

    for (int round = 0; round < 40; round++) {
        if (round == 10) {
            purges = fake_counters()->purge_calls;
            brks = fake_counters()->brk_calls;
        }
        /* Up to 320 blocks of 96..160 KiB, then down to 110 of them. */
        for (size_t i = 0; i < ARRAY_LEN(p); i++)
            if (!p[i]) {
                x = x * 6364136223846793005u + 1442695040888963407u;
                p[i] = tide_malloc(96 * KiB + (x >> 33) % (64 * KiB));
                assert_non_null(p[i]);
                memset(p[i], 1, 4096);
            }
        for (size_t i = 0; i < ARRAY_LEN(p); i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            if ((x >> 33) % keep_one_in) {
                tide_free(p[i]);
                p[i] = NULL;
            }
        }
    }
    if (fake_counters()->purge_calls - purges > 2 || fake_counters()->brk_calls - brks > 4)
        fail_msg("steady state: %zu purges, %zu brk calls", fake_counters()->purge_calls - purges,
                 fake_counters()->brk_calls - brks);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

static void default_swinging_live_set_not_purged(void **state)
{
    (void)state;
    swing(3);
}

/* Default profile: a heap that keeps growing grows by an eighth of itself
 * at least (not by the 128 KiB top pad each time), so 20 MB of small
 * blocks cost tens of brk calls, not hundreds. */
static void default_heap_grows_geometrically(void **state)
{
    static void *p[20000];
    size_t before = fake_counters()->brk_calls;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(1000);
    if (fake_counters()->brk_calls - before > 100)
        fail_msg("%zu brk calls for 20 MB", fake_counters()->brk_calls - before);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

/* Default profile: a free counts its own bytes towards the next budget
 * check, not those of the free chunks it merges with. Counted again at
 * each merge, they brought a check every few frees; each check restarts
 * the window of recent peaks, so the budget followed the bytes in use
 * down while a program freed its blocks, and a few thousand small purges
 * went out before the free-everything release that gives it all back
 * anyway (bench/frag: 5,998 madvise calls, now 298). The phases of frag
 * at a quarter of its size: small blocks, 3 of 4 freed at random, medium
 * blocks, half freed, small blocks, everything freed. */
static void default_budget_counts_freed_bytes(void **state)
{
    static struct { void *p; size_t size; } b[60000];
    static const size_t phase[][3] = { { 16, 512, 0 }, { 1024, 8192, 4 }, { 16, 512, 2 } };
    size_t n = 0, live = 0, purges;
    uint64_t x = 11;

    (void)state;
    for (size_t k = 0; k < ARRAY_LEN(phase); k++) {
        size_t kept = 0;
        for (size_t i = 0; phase[k][2] && i < n; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            if ((x >> 33) % phase[k][2] == 0) {
                b[kept++] = b[i];
            } else {
                live -= b[i].size;
                tide_free(b[i].p);
            }
        }
        n = phase[k][2] ? kept : n;
        while (live < 16 * MiB && n < ARRAY_LEN(b)) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            b[n].size = phase[k][0] + (x >> 33) % (phase[k][1] - phase[k][0]);
            b[n].p = tide_malloc(b[n].size);
            memset(b[n].p, 1, b[n].size);
            live += b[n++].size;
        }
    }
    purges = fake_counters()->purge_calls;
    for (size_t i = 0; i < n; i++)
        tide_free(b[i].p);
    purges = fake_counters()->purge_calls - purges;
    if (purges > 200) /* 85 now: the release's own, one a free chunk */
        fail_msg("%zu purges while freeing everything (624 before the fix)", purges);
}

static void mallopt_survives_reset_as_defaults(void **state)
{
    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_MMAP_THRESHOLD, 64 * KiB), 1);
    unit_restart_classic();
    tide_free(tide_malloc(1));
    assert_int_equal(stats_now().mmap_threshold, 128 * KiB);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("mallopt-unknown-param-refused", mallopt_unknown_param_refused),
    UNIT_TEST("mallopt-mmap-threshold-above-32mib-refused", mallopt_mmap_threshold_above_32mib_refused),
    UNIT_TEST("mallopt-profile-classic-has-glibc-numbers", mallopt_profile_classic_has_glibc_numbers),
    UNIT_TEST("classic-threshold-stays-fixed", classic_threshold_stays_fixed),
    UNIT_TEST("mallopt-mmap-threshold-moves-line", mallopt_mmap_threshold_moves_line),
    UNIT_TEST("mallopt-mmap-max-zero-disables-mmap", mallopt_mmap_max_zero_disables_mmap),
    UNIT_TEST("mallopt-top-pad-sets-first-growth", mallopt_top_pad_sets_first_growth),
    UNIT_TEST("mallopt-tcache-count-zero-bypasses-cache", mallopt_tcache_count_zero_bypasses_cache),
    UNIT_TEST("mallopt-arena-knobs-accepted", mallopt_arena_knobs_accepted),
    UNIT_TEST("env-mmap-threshold-read-at-init", env_mmap_threshold_read_at_init),
    UNIT_TEST("default-swinging-live-set-not-purged", default_swinging_live_set_not_purged),
    UNIT_TEST("default-free-everything-gives-memory-back", default_free_everything_gives_memory_back),
    UNIT_TEST("default-free-everything-with-medium-blocks", default_free_everything_with_medium_blocks),
    UNIT_TEST("default-free-everything-leaves-few-slab-pages", default_free_everything_leaves_few_slab_pages),
    UNIT_TEST("default-heap-grows-geometrically", default_heap_grows_geometrically),
    UNIT_TEST("default-budget-counts-freed-bytes", default_budget_counts_freed_bytes),
    UNIT_TEST("reset-restores-default-knobs", mallopt_survives_reset_as_defaults),
    UNIT_TEST("env-sizes-accept-suffixes", env_sizes_accept_suffixes),
    UNIT_TEST("env-bad-values-ignored", env_bad_values_ignored),
    UNIT_TEST("env-profile-classic-and-cache-off", env_profile_classic_and_cache_off),
    UNIT_TEST("classic-cache-holds-seven-per-class", classic_cache_holds_seven_per_class),
    UNIT_TEST("classic-cache-holds-its-largest-count", classic_cache_holds_its_largest_count),
    UNIT_TEST("mmap-max-limits-mapped-blocks", mmap_max_limits_mapped_blocks),
    UNIT_TEST("default-threshold-rises-after-free", default_threshold_rises_after_free),
    UNIT_TEST("explicit-threshold-stops-rising", explicit_threshold_stops_rising),
    UNIT_TEST("default-cache-stays-within-budget", default_cache_stays_within_budget),
    UNIT_TEST("default-cache-grows-for-swinging-classes", swinging_classes_get_more_cache),
    UNIT_TEST("default-unused-classes-take-no-budget", default_unused_classes_take_no_budget),
    UNIT_TEST("default-free-memory-bounded", default_free_memory_bounded),
};

UNIT_GROUP(mallopt, tests)
