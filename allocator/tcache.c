/*
 * allocator/tcache.c - the per-thread cache: making it, giving its blocks
 * back in batches, refilling it in batches, and finding a block in it.
 * The fast pop and push themselves are inline in api.c.
 */
#include "internal.h"

struct tcache tc_empty;
TIDE_THREAD_LOCAL struct tcache *tc_self __attribute__((tls_model("initial-exec"))) = &tc_empty;
/* Set while a cache is being made and after the thread has exited. */
static TIDE_THREAD_LOCAL bool tc_off __attribute__((tls_model("initial-exec")));

/* Gives the calling thread a cache, carved from its arena like any block
 * (so it shows in the heap walk, as glibc's does). Does nothing if caches
 * are off, the thread has exited, or memory is short. */
void tcache_create(void)
{
    if (tc_off || g.cfg.tcache_count == 0) return;
    tc_off = true;
    struct arena *a = arena_for_thread();
    lock_take(&a->lock);
    bool medium = g.cfg.tcache_bytes != 0; /* the default profile's */
    size_t bytes = sizeof(struct tcache) + (medium ? sizeof(struct mcache) : 0);
    struct chunk *c = arena_malloc(a, request2size(bytes));
    lock_drop(&a->lock);
    if (!c) {
        tc_off = false;
        return;
    }
    struct tcache *tc = chunk2mem(c);
    __builtin_memset(tc, 0, bytes);
    if (medium) tc->mc = (struct mcache *)(tc + 1);
    tc->arena = a;
    tcache_set_limits(tc);
    lock_take(&g.arenas_lock);
    tc->next_tc = g.tcaches;
    if (g.tcaches) g.tcaches->prev_tc = tc;
    g.tcaches = tc;
    lock_drop(&g.arenas_lock);
    tc_self = tc;
    tc_off = false;
    if (g.caps.thread_started) g.caps.thread_started();
}

void tcache_disable(void) { tc_off = true; }

void tcache_forget_thread(void)
{
    tc_self = &tc_empty;
    tc_off = false;
}

/* Starts fetching, one block ahead of release_list, what freeing chunk c
 * into its arena reads besides c's own line: the chunks on both sides,
 * which it may merge with. Also the line of the block after c (its header
 * and link), so that this can go on: c's own line was fetched one block
 * earlier. A cached list is older frees, often cold: without this, each
 * block can cost several misses one after the other. */
__attribute__((always_inline)) static inline void prefetch_release(const struct chunk *c)
{
    const struct tc_entry *e = chunk2mem(c);
    if (e->next) __builtin_prefetch((const char *)e->next - 8, 1);
    __builtin_prefetch(next_chunk(c), 1);
    if (!(c->size & PREV_INUSE)) __builtin_prefetch((const char *)c - c->prev_size, 1);
}

/* Frees a list of cached chunks (no slots) into their arenas: the
 * thread's own arena under its lock (taken once), neighbours in a row as
 * one chunk (gather); others' through the outbox (tcache_send). */
static void release_list(struct tcache *tc, struct tc_entry *e)
{
    struct arena *own = tc->arena;
    struct gather run = { NULL, 0 };
    bool held = false;
    for (struct tc_entry *next; e; e = next) {
        next = e->next;
        if (next) prefetch_release(mem2chunk(next));
        struct chunk *c = mem2chunk(e);
        struct arena *home = chunk_arena(c);
        if (home != own) {
            tcache_send(tc, home, e, csize(c));
            continue;
        }
        if (!held) {
            lock_take(&own->lock);
            held = true;
        }
        e->key = 0;
        gather_chunk(own, &run, c);
    }
    if (held) {
        gather_end(own, &run);
        lock_drop(&own->lock);
    }
}

/* The same for a list of slots (a slab class's): those of the own arena
 * in one pass under its lock, then the others sent home. */
static void release_slots(struct tcache *tc, struct tc_entry *e)
{
    if (!e) return;
    lock_take(&tc->arena->lock);
    e = slab_free_run(tc->arena, e);
    lock_drop(&tc->arena->lock);
    for (struct tc_entry *next; e; e = next) {
        next = e->next;
        tcache_send(tc, segment_of(e)->arena, e, block_size(e));
    }
}

/* Gives cache class i's list e back to the heaps. */
static void release_class(struct tcache *tc, size_t i, struct tc_entry *e)
{
    if (i >= TC_BINS) release_slots(tc, e);
    else release_list(tc, e);
}

/*
 * Bin i is full: give back its older half (the tail of the list), as a
 * run on the arena's quick lists if `quick` and they take it.
 *
 * Not as a run if the half the cache keeps holds a block of another arena
 * (the walk to the middle reads each of those blocks anyway; the header
 * is beside the link): a class fed by other threads' blocks would keep
 * them in runs on this arena, away from their own, which grows meanwhile.
 * Such a half goes through release_list, which sends them home. larson
 * (two threads, half the frees remote) peaked at 6.5 instead of 7.0 MiB
 * (glibc 5.7), at the same speed; a thread that frees only its own blocks
 * keeps its runs (bench/lab uniform: 93.8 against 93.5 ms).
 */
void tcache_release_half(struct tcache *tc, size_t i, bool quick)
{
    size_t count = tc_count(tc, i), keep = count / 2;
    struct tc_entry **link = &tc->head[i];
    bool foreign = false;
    for (size_t n = 0; n < keep; n++) {
        if (quick) foreign |= chunk_arena(mem2chunk(*link)) != tc->arena;
        link = &(*link)->next;
    }
    struct tc_entry *rest = *link;
    *link = NULL;
    tc_set_room(tc, i, (int)(tc_limit(tc, i) - keep));
    if (quick && !foreign) {
        lock_take(&tc->arena->lock);
        quick = quick_put(tc->arena, i, rest, count - keep);
        lock_drop(&tc->arena->lock);
        if (quick) return;
    }
    release_class(tc, i, rest);
}

/* The outbox: a thread that frees many blocks of another thread's arena
 * (a consumer of what a producer allocates) sends them back in batches of
 * about OUTBOX_BYTES, one CAS on that arena's remote list each, instead of
 * one CAS per block. The blocks keep the cache key, so a second free of one
 * goes to the slow path, which finds it here. */
#define OUTBOX_BYTES ((size_t)32 << 10)

__attribute__((noinline)) void tcache_send_flush(struct tcache *tc)
{
    if (!tc->out_first) return;
    remote_push_chain(tc->out_arena, tc->out_first, tc->out_last, tc->out_bytes);
    tc->out_first = tc->out_last = NULL;
    tc->out_bytes = 0;
}

/* The outbox holds another arena's blocks: sends them, then e to a. */
static COLD void tcache_send_other(struct tcache *tc, struct arena *a, struct tc_entry *e, size_t sz)
{
    tcache_send_flush(tc);
    tc->out_arena = a;
    tcache_send(tc, a, e, sz);
}

/* Sends in-use block e home to arena a (not tc's own). Both calls are
 * tail calls off the common path, which then needs no stack frame. */
void tcache_send(struct tcache *tc, struct arena *a, struct tc_entry *e, size_t sz)
{
    if (UNLIKELY(a != tc->out_arena)) {
        tcache_send_other(tc, a, e, sz);
        return;
    }
    e->key = g.tcache_key;
    if (has_ahead(sz)) e->ahead = tc->sent[tc->sent_pos % SEND_AHEAD]; /* sent SEND_AHEAD sends ago */
    tc->sent[tc->sent_pos++ % SEND_AHEAD] = e;
    e->next = tc->out_first;
    if (!tc->out_first) tc->out_last = e;
    tc->out_first = e;
    tc->out_bytes += sz;
    if (UNLIKELY(tc->out_bytes >= OUTBOX_BYTES)) tcache_send_flush(tc);
}

/* True if e waits in tc's outbox (double-free check). */
bool tcache_sending(const struct tcache *tc, const struct tc_entry *e)
{
    for (const struct tc_entry *o = tc->out_first; o; o = o == tc->out_last ? NULL : o->next)
        if (o == e) return true;
    return false;
}

/* Bytes of the blocks tc holds (read racily by other threads: a snapshot). */
size_t tcache_held(const struct tcache *tc)
{
    size_t bytes = 0;
    for (size_t i = 0; i < TC_CLASSES; i++)
        bytes += tc_count_of(__atomic_load_n(&tc->quota[i], __ATOMIC_RELAXED)) * tc_class_size(i);
    if (tc->mc) bytes += *(const volatile size_t *)&tc->mc->bytes;
    return bytes;
}

/* Returns every cached block to its heap. */
void tcache_flush(struct tcache *tc)
{
    for (size_t i = 0; i < TC_CLASSES; i++) {
        struct tc_entry *e = tc->head[i];
        tc->head[i] = NULL;
        tc_set_room(tc, i, (int)tc_limit(tc, i));
        release_class(tc, i, e);
    }
    release_list(tc, mc_take_all(tc));
    tcache_send_flush(tc); /* last: release_list may have filled it */
}

/* Out of memory: gives the cache back to the heaps so its blocks can
 * coalesce and serve the request. Returns false if it held nothing. */
bool tcache_flush_any(struct tcache *tc)
{
    bool any = false;
    for (size_t i = 0; i < TC_CLASSES; i++) any |= tc_room(tc, i) != (int)tc_limit(tc, i);
    any |= tc->mc && tc->mc->bytes != 0;
    if (any) tcache_flush(tc);
    return any;
}

size_t tcache_refill_count(struct tcache *tc, size_t i, size_t bytes)
{
    size_t want = (size_t)1 << tc->refill[i].shift, budget = bytes / tc_class_size(i);
    tc->refill[i].dry = 1;
    if (want >= budget) want = budget;
    else if (tc->refill[i].shift < 15) tc->refill[i].shift++;
    size_t room = (size_t)tc_room(tc, i);
    return want > room ? room : want;
}

/* Cuts n blocks of nb bytes, from `at` up, into class i (seg: the S bit
 * of the run they are carved from). */
static void push_run(struct tcache *tc, size_t i, struct chunk *at, size_t nb, size_t n, size_t seg)
{
    for (size_t k = 0; k < n; k++) {
        struct chunk *c = chunk_at(at, k * nb);
        c->size = nb | PREV_INUSE | seg;
        tc_push(tc, i, chunk2mem(c), g.tcache_key);
    }
}

/* want blocks of nb bytes for class i as one run: from the bins if
 * `binned` and one fits, else up to 1 KiB of them from anywhere. */
static void refill_run(struct tcache *tc, struct arena *a, size_t i, size_t nb, size_t want, bool binned)
{
    struct chunk *run = binned ? arena_malloc_binned(a, want * nb) : NULL;
    if (!run) {
        if (want > 1024 / nb) want = 1024 / nb;
        if (!want) return;
        run = arena_malloc(a, want * nb);
    }
    if (!run) return;
    if (csize(run) != want * nb) { /* 16 bytes more than asked: no use here */
        arena_free(a, run);
        return;
    }
    push_run(tc, i, run, nb, want, run->size & SEGMENT);
}

/*
 * A miss for chunk size nb: returns the caller's chunk (NULL if the heap
 * cannot grow) and fills the class with a few more blocks while the lock
 * is held anyway, so the next misses are hits. A class that keeps missing
 * gets more each time (1, 2, 4, ...); one that overflows starts again
 * from one, so a program asking for sizes at random does not fill its
 * cache with blocks it will not use. Up to about 4 KiB of blocks when a
 * free chunk of the bins holds them, memory the heap has anyway; up to
 * about 1 KiB when they are carved from the top. (4 KiB from the top too
 * made frag's phases 4.5% faster, but larson peaked 0.6 MB higher, at its
 * line in make bench; from the bins only, frag's phase that refills from
 * its holes took 6.5 ms instead of 8.0 and larson peaked 0.2 MB higher,
 * medians of 12 runs. Before the slab pages took the small sizes, longer
 * runs cost python3 6% more peak memory, as runs interleave.)
 *
 * The caller's block and the cache's come from one search where they can:
 * one run of the bins for all (the caller's the last block, which takes
 * the 16 bytes a split may leave), else, when no free chunk holds even
 * the caller's, one carve of the top (the caller's the first block, which
 * zero_end then knows as fresh). Searching for the caller's block and the
 * run apart cost frag 3 bin searches a miss while it filled a fresh heap.
 * pre: a->lock held.
 */
struct chunk *tcache_refill(struct tcache *tc, struct arena *a, size_t nb)
{
    size_t i = tc_index_for_chunk(nb);
    size_t want = tcache_refill_count(tc, i, 4096);
    struct chunk *exact = &a->bins[nb >> 4], *c;
    if (in_smallbin_range(nb) && exact->fd != exact) {
        /* First the free chunks of exactly this size, one by one... */
        c = arena_malloc(a, nb);
        for (; want && exact->fd != exact; want--)
            tc_push(tc, i, chunk2mem(arena_malloc(a, nb)), g.tcache_key);
        /* ...then the rest as one run, cut into blocks. */
        if (want) refill_run(tc, a, i, nb, want, true);
        return c;
    }
    struct chunk *run = arena_malloc_binned(a, (want + 1) * nb);
    if (run) {
        size_t seg = run->size & SEGMENT;
        c = chunk_at(run, want * nb);
        c->size = (csize(run) - want * nb) | PREV_INUSE | seg;
        push_run(tc, i, run, nb, want, seg);
        return c;
    }
    /* The best fitting hole for the caller, another run for the cache. */
    if (want && (c = arena_malloc_binned(a, nb))) {
        refill_run(tc, a, i, nb, want, false);
        return c;
    }
    size_t more = want < 1024 / nb ? want : 1024 / nb;
    if (in_smallbin_range(nb) && (run = arena_malloc_top(a, (more + 1) * nb))) {
        push_run(tc, i, chunk_at(run, nb), nb, more, run->size & SEGMENT);
        set_inuse_size(run, nb);
        return run;
    }
    /* The top is short: arena_malloc grows the heap (or drains). */
    if ((c = arena_malloc(a, nb)) && more && (run = arena_malloc_top(a, more * nb)))
        push_run(tc, i, run, nb, more, run->size & SEGMENT);
    return c;
}

/* Sets each class's limit from the knobs: tcache_count blocks, but no more
 * than tcache_bytes of them; blocks beyond a lowered limit go back. */
/* Most blocks class i may ever hold: tcache_count, and (when a byte budget
 * is set) no more than tcache_bytes of them. */
static size_t class_max(size_t i)
{
    size_t size = tc_class_size(i), n = g.cfg.tcache_count;
    if (g.cfg.tcache_bytes && n > g.cfg.tcache_bytes / size) n = g.cfg.tcache_bytes / size;
    return n > INT16_MAX ? INT16_MAX : n;
}

static void set_limit(struct tcache *tc, size_t i, size_t n)
{
    while (tc_count(tc, i) > n) tcache_release_half(tc, i, false);
    size_t before = beyond_budget(tc->capacity);
    tc->capacity += (n - tc_limit(tc, i)) * tc_class_size(i);
    size_t after = beyond_budget(tc->capacity);
    if (after != before) /* modulo 2^64, a shrink subtracts; shared: only when it moves */
        atomic_fetch_add_explicit(&g.swing_bytes, after - before, memory_order_relaxed);
    tc_set_quota(tc, i, (int)(n - tc_count(tc, i)), n);
}

/* Gives every cached block back and sets every class's limit to 0: frees
 * bypass the cache until alloc_slow opens it again (tcache_set_limits). */
void tcache_close(struct tcache *tc)
{
    tcache_flush(tc);
    for (size_t i = 0; i < TC_CLASSES; i++) set_limit(tc, i, 0);
}

/*
 * With a byte budget (the default profile) each class starts small, about
 * TC_START_BYTES, and doubles each time it overflows, up to class_max, as
 * long as the whole cache stays within TC_TOTAL_BYTES: a program that frees
 * in big batches of one size gets a deep cache for that size, one that
 * frees all sizes at random keeps a small one. A class no request maps to
 * (the chunk classes of 32-256 bytes while the slabs serve those sizes)
 * holds nothing and takes none of the budget (the 15 of them took 30 KiB
 * of it). A chunk of such a size (an aligned block, or a small block once
 * the slab area is full) goes to its arena when freed. Without a budget
 * (classic) every class holds tcache_count blocks.
 */
void tcache_set_limits(struct tcache *tc)
{
    tc->classes_gen = __atomic_load_n(&g.classes_gen, __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < TC_CLASSES; i++) {
        size_t n = class_max(i), start = TC_START_BYTES / tc_class_size(i);
        if (g.cfg.tcache_bytes && n > start) n = start;
        if (g.cfg.tcache_bytes && !((__atomic_load_n(&g.class_used[i / 64], __ATOMIC_RELAXED) >> (i % 64)) & 1)) n = 0;
        set_limit(tc, i, n);
    }
    if (!tc->capacity) release_list(tc, mc_take_all(tc)); /* caches off */
}

/* Class i is full and a block of it is being freed: grow the class if the
 * budget allows, else give back its older half. Returns true if the block
 * can now go into the class. Classic (no byte budget) does as glibc: the
 * cache stays as it is and the block goes to its arena (false). */
bool tcache_overflow(struct tcache *tc, size_t i)
{
    if (!g.cfg.tcache_bytes) return false;
    tc->refill[i].shift = 0;
    if (!tcache_grow(tc, i, tcache_swung(tc, i))) {
        /* Not onto the quick lists with slabs: back in their pages, the
         * blocks keep the lowest-first order. */
        tcache_release_half(tc, i, i < TC_BINS);
        arena_release_if_emptied(tc->arena);
    }
    return tc_room(tc, i) > 0; /* not if that release closed the cache */
}

/* Class i was found full: counts a swing if it ran dry since it was last
 * full, and says whether it has swung TC_SWINGS times (tcache_grow). */
bool tcache_swung(struct tcache *tc, size_t i)
{
    if (tc->refill[i].dry && tc->refill[i].swings < TC_SWINGS) tc->refill[i].swings++;
    tc->refill[i].dry = 0;
    return tc->refill[i].swings >= TC_SWINGS;
}

/*
 * Doubles class i's limit if the byte budget allows (the default profile
 * only; a closed cache stays closed). Returns false if it did not grow.
 *
 * A class that keeps swinging from empty to full (`swinging`: TC_SWINGS
 * times) may grow past TC_TOTAL_BYTES, up to TC_SWING_BYTES more in all.
 * A program that asks for and frees many sizes at random walks each
 * class's count up and down: with a few blocks a class, it hits both ends
 * every few calls, and each end is a trip to the arena (half the class
 * given back, or a refill). With 60 chunk classes of 272-1040 bytes in
 * use, the base budget holds 4-8 blocks of each (bench/lab/uniform: 150
 * ms, 102 with the extra budget). Only swinging classes get it: when any
 * class could grow to 1 MiB in all, python3 ran 4% slower, and a class
 * that only fills up holds blocks of a size the program no longer asks
 * for. All threads' caches together hold no more than TC_SWING_ALL beyond
 * their budgets (about: two threads may pass the test at once), so that
 * many threads do not make many times the memory.
 */
bool tcache_grow(struct tcache *tc, size_t i, bool swinging)
{
    size_t n = tc_limit(tc, i), max = class_max(i), size = tc_class_size(i);
    size_t grown = tc->capacity + n * size;
    if (!g.cfg.tcache_bytes || n == 0 || n >= max) return false;
    if (grown > TC_TOTAL_BYTES &&
        (!swinging || grown > TC_TOTAL_BYTES + TC_SWING_BYTES ||
         atomic_load_explicit(&g.swing_bytes, memory_order_relaxed) + beyond_budget(grown) -
                 beyond_budget(tc->capacity) > TC_SWING_ALL))
        return false;
    set_limit(tc, i, 2 * n < max ? 2 * n : max);
    return true;
}

/* True if block mem (in use for its heap) sits in cache tc; *bin gets
 * its class. */
bool tcache_contains(const struct tcache *tc, const void *mem, int *bin)
{
    if (!tc_real(tc)) return false;
    size_t sz, i = block_info(mem, &sz); /* i >= TC_CLASSES: no small class */
    if (mc_size(sz)) return mc_contains(tc, mem2chunk(mem), bin); /* never a slot */
    if (i >= TC_CLASSES) return false;
    for (struct tc_entry *e = tc->head[i]; e; e = e->next)
        if (e == mem) {
            if (bin) *bin = (int)i;
            return true;
        }
    return false;
}
