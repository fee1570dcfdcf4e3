/*
 * tests/unit/test_slab.c - small blocks from slab pages (default profile):
 * blocks of one size made in a row lie side by side; the lowest free slot
 * is always the next one handed out, whatever order the slots were freed
 * in; bad frees of slots are caught; a page left empty goes back; realloc,
 * the heap walk and tide_check know slots; the knob and classic turn the
 * pages off; without a slab area small blocks come from the chunk heap.
 * (The default profile serves requests of up to 256 bytes, and of 513 to
 * 1024, from pages.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define NB 400

static struct tide_chunk_info chunk_of(const void *mem)
{
    struct walk_summary s;

    walk_heap(&s, mem);
    assert_true(s.saw_target);
    return s.target_info;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return x < y ? -1 : x > y;
}

/* Frees p[0..n) in a scrambled order. */
static void free_scrambled(void **p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = (k * 7919) % n; /* n is no multiple of 7919: a permutation */
        tide_free(p[i]);
    }
}

/* Frees p[0..n) in that order, then malloc_trim: the pages must go
 * back (a purge, almost nothing left in use) and the heap check pass. */
static void free_in_order_and_trim(void **p, size_t n)
{
    size_t purges;

    for (size_t i = 0; i < n; i++)
        tide_free(p[i]);
    purges = fake_counters()->purge_calls;
    tide_malloc_trim(0);
    assert_true(fake_counters()->purge_calls > purges);
    assert_true(stats_now().bytes_in_use < 16 * KiB);
    assert_int_equal(tide_check(), 0);
}

static void blocks_made_in_a_row_lie_side_by_side(void **state)
{
    char *p[16];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(40);
    for (size_t i = 1; i < ARRAY_LEN(p); i++)
        assert_ptr_equal(p[i], p[i - 1] + 48);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
    assert_int_equal(tide_check(), 0);
}

/* Freed in a scrambled order, the slots come back lowest address first:
 * with the cache off (every free goes to its page) and with it on (the
 * cache's overflow goes to the pages, its refills come from them). */
static void lowest_slot_first(bool cache)
{
    static void *p[NB], *q[NB];

    if (!cache)
        assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    for (size_t i = 0; i < NB; i++)
        p[i] = tide_malloc(100);
    free_scrambled(p, NB);
    if (cache)
        tide_malloc_trim(0); /* the cache's blocks go back to their pages */
    for (size_t i = 0; i < NB; i++)
        q[i] = tide_malloc(100);
    for (size_t i = 1; i < NB; i++)
        assert_true((uintptr_t)q[i] > (uintptr_t)q[i - 1]);
    qsort(p, NB, sizeof p[0], by_address);
    for (size_t i = 0; i < NB; i++)
        assert_ptr_equal(q[i], p[i]);
    free_scrambled(q, NB);
    assert_int_equal(tide_check(), 0);
}

static void lowest_slot_first_without_cache(void **state) { (void)state; lowest_slot_first(false); }
static void lowest_slot_first_with_cache(void **state) { (void)state; lowest_slot_first(true); }

/* Freed in address order, the slots reach their pages a page at a time
 * (slab_free_run settles a page's counts once for the slots of it that
 * come together): every page is whole again, each empty one goes back,
 * and the slots serve again lowest first from the same addresses. */
static void slots_freed_in_order_give_their_pages_back(void **state)
{
    static void *p[3 * 8192 / 64], *q[ARRAY_LEN(p)];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(64);
    free_in_order_and_trim(p, ARRAY_LEN(p));
    for (size_t i = 0; i < ARRAY_LEN(q); i++)
        q[i] = tide_malloc(64);
    qsort(p, ARRAY_LEN(p), sizeof p[0], by_address);
    for (size_t i = 0; i < ARRAY_LEN(q); i++)
        assert_ptr_equal(q[i], p[i]);
    for (size_t i = 0; i < ARRAY_LEN(q); i++)
        tide_free(q[i]);
    assert_int_equal(tide_check(), 0);
}

/* The one free slot among used ones is the next handed out. */
static void a_hole_is_filled_first(void **state)
{
    static void *p[NB];
    void *again;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    for (size_t i = 0; i < NB; i++)
        p[i] = tide_malloc(24);
    tide_free(p[NB / 3]);
    again = tide_malloc(20);
    assert_ptr_equal(again, p[NB / 3]);
    for (size_t i = 0; i < NB; i++)
        tide_free(p[i]);
}

static void double_free_of_a_slot_aborts(void **state)
{
    char line[128];
    void *p, *q;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    p = tide_malloc(64);
    q = tide_malloc(64); /* keeps the page in use */
    expect_abort(free_twice, p, abort_line(line, sizeof line, "double free of", p), p);
    tide_free(p);
    tide_free(q);
}

static void double_free_of_a_cached_slot_aborts(void **state)
{
    char line[128];
    void *p = tide_malloc(64);

    (void)state;
    expect_abort(free_twice, p, abort_line(line, sizeof line, "double free of", p), p);
    tide_free(p);
}

static void do_free(void *p) { tide_free(p); }

/* A use after free overwrites the key of a cached slot, and the program
 * frees it again: the free cannot tell (no key), so the slot sits in its
 * class twice. The second copy is caught when the class overflows and its
 * older half goes back to the pages (slab_free_run), before either copy
 * is handed out twice. With DEBUG=2 the heap check after that second free
 * finds the class's list looping back to the slot first, and says so. */
static void free_after_trampled_key_then_overflow(void *arg)
{
    void **p = arg;
    memset((char *)p[0] + 8, 0x5a, 8); /* the key's word */
    tide_free(p[0]);
    for (size_t i = 1; i < 4096; i++)
        tide_free(p[i]);
}

static void double_free_with_trampled_key_caught_at_release(void **state)
{
    char line[128];
    enum { N = 4096 };
    void **p = tide_malloc(N * sizeof *p);

    (void)state;
    assert_non_null(p);
    for (size_t i = 0; i < N; i++)
        assert_non_null(p[i] = tide_malloc(48));
    tide_free(p[0]);
#if TIDE_DEBUG >= 2
    snprintf(line, sizeof line, "tide: double free of %p\ntide: heap check failed\n", p[0]);
#else
    abort_line(line, sizeof line, "double free of", p[0]);
#endif
    expect_abort(free_after_trampled_key_then_overflow, p, line, p[0]);
    for (size_t i = 1; i < N; i++)
        tide_free(p[i]);
    tide_free(p);
}

/* The same double free, then tide_check() (as a program calls it to
 * look for trouble): the check names the slot freed twice. */
static void free_after_trampled_key_then_check(void *arg)
{
    void *p = arg;
    memset((char *)p + 8, 0x5a, 8); /* the key's word */
    tide_free(p);
    if (tide_check() != 0) abort();
}

static void check_names_a_slot_freed_twice(void **state)
{
    char line[128];
    void *p = tide_malloc(48), *q = tide_malloc(48);

    (void)state;
    tide_free(p);
    expect_abort(free_after_trampled_key_then_check, p, abort_line(line, sizeof line, "double free of", p), p);
    tide_free(q);
}

static void interior_pointer_aborts(void **state)
{
    char line[128];
    char *p = tide_malloc(200);

    (void)state;
    memset(p, 0, 200);
    expect_abort(do_free, p + 64, abort_line(line, sizeof line, "free(): invalid pointer", p + 64), p + 64);
    tide_free(p);
}

/* The slots of a page start at its start (pages are 8 KiB and aligned):
 * 170 slots of 48 bytes, then 32 bytes that are no slot, though their
 * offset is a multiple of 48. A free of that address is refused (the key
 * kept there sends it to the slow path), as is a free of a slot of the
 * page that was never handed out (free in its page, so reported as a
 * double free). */
static void free_of_no_slot_in_a_page_aborts(void **state)
{
    char line[128];
    char *p, *base, *end, *unused;

    (void)state;
    p = tide_malloc(40);
    base = (char *)((uintptr_t)p & ~(uintptr_t)8191);
    end = base + 170 * 48;
    unused = base + 169 * 48;
    assert_true(p < unused);
    expect_abort(do_free, end, abort_line(line, sizeof line, "free(): invalid pointer", end), end);
    expect_abort(do_free, unused, abort_line(line, sizeof line, "double free of", unused), unused);
    tide_free(p);
}

/* A pointer into the slab area where no page is in use, in a segment no
 * arena has claimed yet (the fake's segments are 1 MiB, the area 16 of
 * them): refused without a page table to read. */
static void free_into_an_unclaimed_segment_aborts(void **state)
{
    char line[128];
    char *p, *far;

    (void)state;
    p = tide_malloc(40);
    far = (char *)((uintptr_t)p & ~(uintptr_t)(MiB - 1)) + 5 * MiB + 3 * 8192;
    expect_abort(do_free, far, abort_line(line, sizeof line, "free(): invalid pointer", far), far);
    tide_free(p);
}

/* A page whose slots were all freed goes out of use (its arena holds less
 * than 1 MiB) but keeps its class for the free path until it is purged:
 * a second free of one of its slots is still caught. */
static void double_free_into_a_page_out_of_use_aborts(void **state)
{
    char line[128];
    static void *p[200];

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(40); /* 170 a page: the first page fills */
    for (size_t i = 0; i < 170; i++)
        tide_free(p[i]);
    expect_abort(do_free, p[7], abort_line(line, sizeof line, "double free of", p[7]), p[7]);
    for (size_t i = 170; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

/* A slot's block reaches into the next slot's first word only: writing
 * all of malloc_usable_size bytes of every block spoils no neighbour. */
static void usable_size_is_all_usable(void **state)
{
    unsigned char *p[64];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        p[i] = tide_malloc(1 + i * 16);
        assert_true(tide_malloc_usable_size(p[i]) >= 1 + i * 16);
        memset(p[i], (int)i, tide_malloc_usable_size(p[i]));
    }
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        for (size_t k = 0; k < tide_malloc_usable_size(p[i]); k++)
            assert_int_equal(p[i][k], (unsigned char)i);
    }
    assert_int_equal(tide_check(), 0);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

/* Pages that empty go back to the OS (purged) on a trim; the heap then
 * holds none of their bytes as in use. */
static void empty_pages_are_purged(void **state)
{
    static void *p[4000];

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(200); /* 103 pages of 8 KiB */
    free_in_order_and_trim(p, ARRAY_LEN(p));
    /* and the pages serve again, cleared as calloc promises */
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        unsigned char *c = tide_calloc(1, 200);
        for (size_t k = 0; k < 200; k++)
            assert_int_equal(c[k], 0);
        p[i] = c;
    }
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

/* A live set of small blocks that swings down to a quarter and back up,
 * round after round, keeps its emptied pages for the next round: no purge
 * after the first dip, and no more memory from the OS. (With a budget of
 * a quarter of the bytes in use, each dip purged its pages and the next
 * rise faulted them back.) */
static void swinging_slots_keep_their_pages(void **state)
{
    static void *p[20000]; /* 4 MB of 200-byte slots, about 500 pages */
    size_t purges = 0, mapped = 0;

    (void)state;
    for (int round = 0; round < 6; round++) {
        for (size_t i = round ? ARRAY_LEN(p) / 4 : 0; i < ARRAY_LEN(p); i++) {
            p[i] = tide_malloc(200);
            memset(p[i], 1, 200);
        }
        if (round == 1) {
            purges = fake_counters()->purge_calls;
            mapped = fake_counters()->mapped_bytes;
        }
        for (size_t i = ARRAY_LEN(p) / 4; i < ARRAY_LEN(p); i++)
            tide_free(p[i]);
    }
    if (fake_counters()->purge_calls != purges || fake_counters()->mapped_bytes != mapped)
        fail_msg("after the first round: %zu purges, %zd bytes more mapped", fake_counters()->purge_calls - purges,
                 (ptrdiff_t)(fake_counters()->mapped_bytes - mapped));
    for (size_t i = 0; i < ARRAY_LEN(p) / 4; i++)
        tide_free(p[i]);
    assert_int_equal(tide_check(), 0);
}

static void calloc_clears_a_reused_slot(void **state)
{
    unsigned char *p, *q;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    p = tide_malloc(240);
    memset(p, 0xff, 240);
    tide_free(p);
    q = tide_calloc(3, 80);
    assert_ptr_equal(q, p);
    for (size_t k = 0; k < 240; k++)
        assert_int_equal(q[k], 0);
    tide_free(q);
}

/* realloc keeps a slot while the block fills more than half of it, and
 * moves it (contents kept) otherwise. */
static void realloc_in_a_slot(void **state)
{
    unsigned char *p = tide_malloc(200), *q;

    (void)state;
    for (size_t k = 0; k < 200; k++)
        p[k] = (unsigned char)k;
    q = tide_realloc(p, 150);
    assert_ptr_equal(q, p);
    q = tide_realloc(q, tide_malloc_usable_size(q));
    assert_ptr_equal(q, p);
    q = tide_realloc(q, 60);
    assert_ptr_not_equal(q, p);
    for (size_t k = 0; k < 60; k++)
        assert_int_equal(q[k], (unsigned char)k);
    p = tide_realloc(q, 300);
    assert_ptr_not_equal(p, q);
    for (size_t k = 0; k < 60; k++)
        assert_int_equal(p[k], (unsigned char)k);
    tide_free(p);
    assert_int_equal(tide_check(), 0);
}

/* The walk shows slots as chunks of their slot size: in use, cached, or
 * free in their page. */
static void walk_shows_slots(void **state)
{
    void *p = tide_malloc(72), *q = tide_malloc(72), *r = tide_malloc(72);

    (void)state;
    assert_int_equal(chunk_of(p).size, 80);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_IN_USE);
    tide_free(q);
    assert_int_equal(chunk_of(q).state, TIDE_CHUNK_CACHED);
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    tide_free(r);
    assert_int_equal(chunk_of(r).state, TIDE_CHUNK_FREE);
    tide_free(p);
}

/* A walk longer than its buffer (1024 chunks a batch) goes on where the
 * last batch ended, also when that was a page's last slot: every block is
 * seen once. (100-byte blocks: 73 slots of 112 bytes a page; after the brk
 * heap's two chunks, the cache and the top, 14 pages fill the first batch
 * exactly.) */
struct seen { void **p; size_t n, *count; };

static void count_block(const struct tide_chunk_info *c, void *arg)
{
    struct seen *s = arg;
    for (size_t i = 0; i < s->n; i++)
        if (c->mem == s->p[i]) s->count[i]++;
}

static void walk_longer_than_a_batch_sees_every_block_once(void **state)
{
    static void *p[2000];
    static size_t count[2000];
    struct seen s = { p, ARRAY_LEN(p), count };

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(100);
    tide_heap_walk(count_block, &s);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        assert_int_equal(count[i], 1);
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        tide_free(p[i]);
}

/* A slot free in its page holds the cache key (what sends a second free
 * of it to the slow path): a use after free that overwrites it is seen
 * by tide_check. */
static void check_detects_a_trampled_free_slot(void **state)
{
    size_t *p, *q, saved;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_TCACHE_COUNT, 0), 1);
    p = tide_malloc(56);
    q = tide_malloc(56); /* keeps the page in use */
    tide_free(p);
    fake_set_quiet(true);
    saved = p[1];
    p[1] = 0x1234;
    assert_true(tide_check() > 0);
    p[1] = saved;
    assert_int_equal(tide_check(), 0);
    tide_free(q);
}

/* A slot has no header: its neighbour's overflow into its first bytes
 * spoils nothing the heap reads (the program's own data, as in any
 * allocator without headers). */
static void slots_have_no_header(void **state)
{
    char *p = tide_malloc(48), *q = tide_malloc(48);

    (void)state;
    assert_ptr_equal(q, p + 48);
    memset(p, 0x41, 56);
    assert_int_equal(tide_check(), 0);
    tide_free(q);
    tide_free(p);
}

/* Off (knob or classic): a small block sits in the chunk heap, right
 * after the one before it. */
static void small_blocks_in_the_chunk_heap(void)
{
    char *big = tide_malloc(2000), *small = tide_malloc(40);

    assert_ptr_equal(small, big + 2000 + 8 + 8);
    tide_free(small);
    tide_free(big);
}

static void knob_turns_pages_off(void **state)
{
    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_SLAB, 257), 0);
    assert_int_equal(tide_mallopt(TIDE_M_SLAB, 256), 1);
    assert_int_equal(tide_mallopt(TIDE_M_SLAB, 0), 1);
    small_blocks_in_the_chunk_heap();
}

/* A cache made while the pages were on has no room for the chunk classes
 * of small sizes (they were not in use); turned off by mallopt, its
 * limits are set again, and a small chunk freed stays in the cache. */
static void knob_off_gives_small_chunks_a_cache(void **state)
{
    char *big, *p;

    (void)state;
    tide_free(tide_malloc(40)); /* the cache is made, pages on */
    assert_int_equal(tide_mallopt(TIDE_M_SLAB, 0), 1);
    big = tide_malloc(2000);
    p = tide_malloc(40);
    assert_ptr_equal(p, big + 2000 + 8 + 8); /* a chunk of the heap */
    tide_free(p);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_CACHED);
    tide_free(big);
}

/* Requests of 513-1024 bytes take slots of their size rounded up to 64,
 * with no header, side by side; 257-512 and 1025 stay heap chunks. An
 * address inside such a slot at a multiple of 64 is refused. */
static void big_slots_serve_513_to_1024(void **state)
{
    static const size_t sizes[][2] = { { 513, 576 }, { 576, 576 }, { 577, 640 }, { 700, 704 }, { 1024, 1024 } };
    char line[128];

    (void)state;
    for (size_t k = 0; k < ARRAY_LEN(sizes); k++) {
        char *p = tide_malloc(sizes[k][0]), *q = tide_malloc(sizes[k][0]);

        assert_ptr_equal(chunk_of(p).chunk, p);
        assert_int_equal(chunk_of(p).size, sizes[k][1]);
        assert_int_equal(tide_malloc_usable_size(p), sizes[k][1]);
        assert_ptr_equal(q, p + sizes[k][1]);
        memset(p, 0x61, sizes[k][1]);
        memset(q, 0x62, sizes[k][1]);
        assert_int_equal(tide_check(), 0);
        tide_free(q);
        tide_free(p);
    }
    for (size_t n = 257; n <= 1025; n += 768 / 3) { /* 257, 513 (a slot), 769 (a slot), 1025 */
        char *p = tide_malloc(n);
        bool slot = n >= 513 && n <= 1024;

        assert_true((chunk_of(p).chunk == p) == slot);
        tide_free(p);
    }
    char *p = tide_malloc(600);
    memset(p, 0, 640);
    expect_abort(do_free, p + 64, abort_line(line, sizeof line, "free(): invalid pointer", p + 64), p + 64);
    tide_free(p);
}

/* TIDE_M_SLAB_BIG 0 sends 513-1024 back to the heap and leaves the small
 * slots as they are; only 0 and 1 are taken. */
static void big_knob_turns_big_slots_off(void **state)
{
    char *big, *p, *small;

    (void)state;
    assert_int_equal(tide_mallopt(TIDE_M_SLAB_BIG, 2), 0);
    assert_int_equal(tide_mallopt(TIDE_M_SLAB_BIG, 0), 1);
    big = tide_malloc(2000);
    p = tide_malloc(600);
    small = tide_malloc(40);
    assert_ptr_equal(p, big + 2000 + 8 + 8); /* a chunk of the heap */
    assert_ptr_equal(chunk_of(small).chunk, small); /* still a slot */
    tide_free(p);
    assert_int_equal(chunk_of(p).state, TIDE_CHUNK_CACHED);
    assert_int_equal(tide_mallopt(TIDE_M_SLAB_BIG, 1), 1);
    char *q = tide_malloc(600);
    assert_ptr_equal(chunk_of(q).chunk, q);
    tide_free(q);
    tide_free(small);
    tide_free(big);
}

static void classic_has_no_pages(void **state)
{
    (void)state;
    unit_restart_classic();
    small_blocks_in_the_chunk_heap();
    assert_int_equal(tide_check(), 0);
}

/* With pages on, the same two blocks are far apart. */
static void default_puts_small_blocks_in_pages(void **state)
{
    char *big = tide_malloc(2000), *small = tide_malloc(40);

    (void)state;
    assert_ptr_not_equal(small, big + 2000 + 8 + 8);
    tide_free(small);
    tide_free(big);
}

/* An OS that maps nothing (brk only): no slab area, small blocks come
 * from the chunk heap and everything works. */
static void no_slab_area_falls_back(void **state)
{
    struct fake_config cfg;
    static void *p[2000];

    (void)state;
    fake_config_default(&cfg);
    cfg.mmap_fail_at = 1;
    cfg.mmap_fail_after = true;
    unit_restart(&cfg);
    small_blocks_in_the_chunk_heap();
    for (size_t i = 0; i < ARRAY_LEN(p); i++)
        p[i] = tide_malloc(16 + i % 300);
    assert_int_equal(tide_check(), 0);
    free_scrambled(p, ARRAY_LEN(p));
    assert_int_equal(tide_check(), 0);
}

/* The area full (16 segments of 1 MiB on the fake, 127 pages of 32 slots
 * of 256 bytes each: 65,024 slots): more small blocks come from the chunk
 * heap (the brk heap here). */
static void full_area_falls_back(void **state)
{
    static void *p[70000];
    size_t in_area = 0;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(p); i++) {
        p[i] = tide_malloc(256);
        assert_non_null(p[i]);
        memset(p[i], 1, 256);
        in_area += fake_in_mmap_region(p[i]);
    }
    if (in_area < 64800 || in_area > 65024)
        fail_msg("%zu blocks of the slab area", in_area);
    assert_int_equal(tide_check(), 0);
    free_scrambled(p, ARRAY_LEN(p));
    assert_int_equal(tide_check(), 0);
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST("slab-blocks-made-in-a-row-lie-side-by-side", blocks_made_in_a_row_lie_side_by_side),
    UNIT_TEST("slab-lowest-slot-first-without-cache", lowest_slot_first_without_cache),
    UNIT_TEST("slab-lowest-slot-first-with-cache", lowest_slot_first_with_cache),
    UNIT_TEST("slab-slots-freed-in-order-give-their-pages-back", slots_freed_in_order_give_their_pages_back),
    UNIT_TEST("slab-a-hole-is-filled-first", a_hole_is_filled_first),
    UNIT_TEST("slab-double-free-of-a-slot-aborts", double_free_of_a_slot_aborts),
    UNIT_TEST("slab-double-free-of-a-cached-slot-aborts", double_free_of_a_cached_slot_aborts),
    UNIT_TEST("slab-double-free-with-trampled-key-caught-at-release", double_free_with_trampled_key_caught_at_release),
    UNIT_TEST("slab-interior-pointer-aborts", interior_pointer_aborts),
    UNIT_TEST("slab-free-of-no-slot-in-a-page-aborts", free_of_no_slot_in_a_page_aborts),
    UNIT_TEST("slab-double-free-into-a-page-out-of-use-aborts", double_free_into_a_page_out_of_use_aborts),
    UNIT_TEST("slab-free-into-an-unclaimed-segment-aborts", free_into_an_unclaimed_segment_aborts),
    UNIT_TEST("slab-usable-size-is-all-usable", usable_size_is_all_usable),
    UNIT_TEST("slab-empty-pages-are-purged", empty_pages_are_purged),
    UNIT_TEST("slab-swinging-slots-keep-their-pages", swinging_slots_keep_their_pages),
    UNIT_TEST("slab-calloc-clears-a-reused-slot", calloc_clears_a_reused_slot),
    UNIT_TEST("slab-realloc-in-a-slot", realloc_in_a_slot),
    UNIT_TEST("slab-walk-shows-slots", walk_shows_slots),
    UNIT_TEST("slab-walk-longer-than-a-batch-sees-every-block-once", walk_longer_than_a_batch_sees_every_block_once),
    UNIT_TEST("slab-check-detects-a-trampled-free-slot", check_detects_a_trampled_free_slot),
    UNIT_TEST("slab-check-names-a-slot-freed-twice", check_names_a_slot_freed_twice),
    UNIT_TEST("slab-slots-have-no-header", slots_have_no_header),
    UNIT_TEST("slab-knob-turns-pages-off", knob_turns_pages_off),
    UNIT_TEST("slab-knob-off-gives-small-chunks-a-cache", knob_off_gives_small_chunks_a_cache),
    UNIT_TEST("slab-big-slots-serve-513-to-1024", big_slots_serve_513_to_1024),
    UNIT_TEST("slab-big-knob-turns-big-slots-off", big_knob_turns_big_slots_off),
    UNIT_TEST("slab-classic-has-no-pages", classic_has_no_pages),
    UNIT_TEST("slab-default-puts-small-blocks-in-pages", default_puts_small_blocks_in_pages),
    UNIT_TEST("slab-no-area-falls-back", no_slab_area_falls_back),
    UNIT_TEST("slab-full-area-falls-back", full_area_falls_back),
};

UNIT_GROUP(slab, tests)
