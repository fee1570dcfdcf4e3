/*
 * tests/stress/stress.c - randomized stress of the tide API against a shadow
 * model: every live block is filled with a pattern derived from its own
 * seed and verified before it is freed or resized; realloc must keep the
 * common prefix; tide_check() runs after every step (or every Nth).
 * Uses only tide.h and standard C, so it also runs inside our kernel.
 *
 *   stress [STEPS [SEED [CHECK_EVERY [OOM_OK]]]]   defaults: 20000 1 1 0
 * OOM_OK=1: memory may run out (a small platform); a failed allocation must
 * then be NULL with errno ENOMEM, and a failed realloc must keep the block.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tide.h"

#define SLOTS 1024

struct slot {
    unsigned char *p;  /* NULL: empty */
    size_t size;       /* bytes requested (and filled) */
    size_t align;      /* alignment asked for, 16 for plain blocks */
    unsigned seed;     /* pattern seed */
};

static struct slot slots[SLOTS];
static unsigned long long rng_state;
static unsigned long step_no;
static int oom_ok;              /* running out of memory is allowed */
static unsigned long oom_count; /* failed allocations seen */
static size_t live_blocks, live_bytes, peak_blocks, peak_bytes;

/* xorshift64*: small, deterministic, the same everywhere. */
static unsigned long long rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t below(size_t n) { return (size_t)(rnd() % n); }

static void fail(const char *what, const struct slot *s)
{
    printf("stress: FAIL at step %lu: %s (block %p, size %lu)\n", step_no, what,
           s ? (void *)s->p : NULL, s ? (unsigned long)s->size : 0UL);
    exit(1);
}

static unsigned char pattern(size_t i, unsigned seed)
{
    return (unsigned char)(seed + i * 31 + (i >> 8));
}

static void fill(struct slot *s, size_t from)
{
    for (size_t i = from; i < s->size; i++)
        s->p[i] = pattern(i, s->seed);
}

static void verify(const struct slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s->p[i] != pattern(i, s->seed))
            fail("pattern overwritten", s);
}

/* Sizes: mostly small, some medium, a few past the mmap threshold. */
static size_t random_size(void)
{
    size_t r = below(1000);

    if (r < 700)
        return below(512);
    if (r < 950)
        return 512 + below(16 * 1024);
    if (r < 990)
        return 16 * 1024 + below(200 * 1024);
    return 128 * 1024 + below(2 * 1024 * 1024);
}

/* Checks alignment, usable size and that the block overlaps no live one. */
static void check_new_block(const struct slot *s)
{
    if ((size_t)s->p % s->align != 0 || (size_t)s->p % 16 != 0)
        fail("misaligned block", s);
    if (tide_malloc_usable_size(s->p) < s->size)
        fail("usable size below request", s);
    for (size_t i = 0; i < SLOTS; i++) {
        const struct slot *o = &slots[i];
        if (o != s && o->p && s->p < o->p + (o->size ? o->size : 1) &&
            o->p < s->p + (s->size ? s->size : 1))
            fail("block overlaps another live block", s);
    }
}

static void account(long blocks, long bytes)
{
    live_blocks += (size_t)blocks;
    live_bytes += (size_t)bytes;
    if (live_blocks > peak_blocks)
        peak_blocks = live_blocks;
    if (live_bytes > peak_bytes)
        peak_bytes = live_bytes;
}

/* Gives slot s a block of about n bytes, made one of six ways. */
static void allocate_n(struct slot *s, size_t n)
{
    size_t kind = below(20);
    void *p = NULL;

    s->align = 16;
    errno = 0;
    if (kind < 12) {
        p = tide_malloc(n);
    } else if (kind < 15) {
        size_t count = 1 + below(4), each = n / 4 + 1;
        n = count * each;
        p = tide_calloc(count, each);
    } else if (kind < 17) {
        s->align = (size_t)16 << below(9);
        p = tide_aligned_alloc(s->align, n);
    } else if (kind < 18) {
        s->align = (size_t)32 << below(8);
        if (tide_posix_memalign(&p, s->align, n) != 0)
            p = NULL;
    } else if (kind < 19) {
        s->align = (size_t)16 << below(12);
        p = tide_memalign(s->align, n);
    } else {
        p = tide_realloc(NULL, n);
    }
    if (p == NULL && oom_ok && (errno == ENOMEM || kind == 17)) {
        oom_count++; /* posix_memalign reports by its return value */
        return;
    }
    if (p == NULL) {
        printf("stress: allocation of %lu bytes (kind %lu, alignment %lu) returned NULL\n",
               (unsigned long)n, (unsigned long)kind, (unsigned long)s->align);
        fail("allocation returned NULL", s);
    }
    s->p = p;
    s->size = n;
    s->seed = (unsigned)rnd();
    if (kind >= 12 && kind < 15) {
        for (size_t i = 0; i < n; i++)
            if (s->p[i] != 0)
                fail("calloc memory not zero", s);
    }
    check_new_block(s);
    fill(s, 0);
    account(1, (long)n);
}

static void allocate(struct slot *s) { allocate_n(s, random_size()); }

static void release(struct slot *s)
{
    verify(s, s->size);
    account(-1, -(long)s->size);
    if (below(4) == 0 && s->align == 16)
        tide_free_sized(s->p, s->size);
    else
        tide_free(s->p);
    s->p = NULL;
}

static void resize(struct slot *s)
{
    size_t n = random_size(), keep = n < s->size ? n : s->size;
    unsigned char *p;

    verify(s, s->size);
    errno = 0;
    p = tide_realloc(s->p, n);
    if (p == NULL && n == 0) { /* glibc: realloc(p, 0) frees p */
        account(-1, -(long)s->size);
        s->p = NULL;
        return;
    }
    if (p == NULL && oom_ok && errno == ENOMEM) {
        oom_count++;
        verify(s, s->size); /* the old block is intact */
        return;
    }
    if (p == NULL) {
        printf("stress: realloc to %lu bytes returned NULL\n", (unsigned long)n);
        fail("realloc returned NULL", s);
    }
    s->p = p;
    verify(s, keep);
    account(0, (long)n - (long)s->size);
    s->size = n;
    s->align = 16;
    check_new_block(s);
    fill(s, keep);
}

/* A run of BURST slots gets blocks of one small size, which are then all
 * freed in order: a thread-cache class overflows again and again (the
 * default profile's quick lists fill, and later empty). */
#define BURST 600
static void burst(void)
{
    size_t n = 1 + below(1000), first = below(SLOTS);

    for (size_t k = 0; k < BURST; k++) {
        struct slot *s = &slots[(first + k) % SLOTS];
        if (s->p)
            release(s);
        allocate_n(s, n);
    }
    for (size_t k = 0; k < BURST; k++) {
        struct slot *s = &slots[(first + k) % SLOTS];
        if (s->p)
            release(s);
    }
}

static void one_step(void)
{
    struct slot *s = &slots[below(SLOTS)];
    size_t op = below(100);

    if (op < 45) {
        if (s->p)
            release(s);
        allocate(s);
    } else if (op < 75) {
        if (s->p)
            release(s);
    } else if (op < 97) {
        if (s->p)
            resize(s);
    } else if (op < 98) {
        for (size_t i = 0; i < SLOTS; i++)
            if (slots[i].p)
                verify(&slots[i], slots[i].size);
    } else if (op < 99) {
        burst();
    } else {
        tide_malloc_trim(below(3) * 64 * 1024);
    }
}

int main(int argc, char **argv)
{
    unsigned long steps = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
    unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
    unsigned long check_every = argc > 3 ? strtoul(argv[3], NULL, 0) : 1;
    size_t problems;

    oom_ok = argc > 4 && strtoul(argv[4], NULL, 0) != 0;
    rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (step_no = 1; step_no <= steps; step_no++) {
        one_step();
        if (check_every && step_no % check_every == 0 && (problems = tide_check()) != 0) {
            printf("stress: tide_check found %lu problem(s)\n", (unsigned long)problems);
            fail("heap inconsistent", NULL);
        }
    }
    for (size_t i = 0; i < SLOTS; i++)
        if (slots[i].p)
            release(&slots[i]);
    if ((problems = tide_check()) != 0)
        fail("heap inconsistent after freeing everything", NULL);
    printf("stress: seed %lu, %lu steps ok (peak %lu blocks, %lu bytes live, %lu allocations failed cleanly)\n",
           seed, steps, (unsigned long)peak_blocks, (unsigned long)peak_bytes, oom_count);
    return 0;
}
