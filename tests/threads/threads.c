/*
 * tests/threads/threads.c - multi-thread cases: private churn on many
 * threads, producer/consumer with every block freed by another thread,
 * realloc on a third thread, short-lived threads that exit with full
 * caches, and more than one arena under contention. Contents are verified.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "tide.h"
#include "threads.h"

/* ---- shared helpers ------------------------------------------------------- */

uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

void pattern_fill(unsigned char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 13 + (i >> 9));
}

bool pattern_ok(const unsigned char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 13 + (i >> 9)))
            return false;
    return true;
}

size_t churn_size(uint64_t *rng)
{
    uint64_t r = rng_next(rng) % 1000;

    if (r < 800)
        return (size_t)(rng_next(rng) % 256);
    if (r < 995)
        return (size_t)(rng_next(rng) % 8192);
    return 128 * 1024 + (size_t)(rng_next(rng) % (512 * 1024));
}

/* Block header the cases write at the front of each block. */
struct tagged {
    size_t size;
    uint32_t seed;
};

static void *tagged_alloc(uint64_t *rng)
{
    size_t n = churn_size(rng) + sizeof(struct tagged);
    struct tagged *t = malloc(n);

    if (t == NULL)
        return NULL;
    t->size = n;
    t->seed = (uint32_t)rng_next(rng);
    pattern_fill((unsigned char *)(t + 1), n - sizeof *t, t->seed);
    return t;
}

static bool tagged_ok(const struct tagged *t)
{
    return pattern_ok((const unsigned char *)(t + 1), t->size - sizeof *t, t->seed) &&
           malloc_usable_size((void *)t) >= t->size;
}

static void *run_threads(int n, void *(*fn)(void *), void **args)
{
    pthread_t tid[64];
    void *bad = NULL, *r;

    for (int i = 0; i < n; i++)
        if (pthread_create(&tid[i], NULL, fn, args ? args[i] : (void *)(intptr_t)i) != 0)
            return "pthread_create failed";
    for (int i = 0; i < n; i++) {
        pthread_join(tid[i], &r);
        if (r)
            bad = r;
    }
    return bad;
}

/* ---- malloc is tide --------------------------------------------------------- */

static const char *malloc_is_tide(void)
{
    struct tide_stats a, b;
    void *p;

    tide_get_stats(&a);
    p = malloc(1000);
    tide_get_stats(&b);
    if (p == NULL || tide_malloc_usable_size(p) != 1024 /* a slot (glibc: 1000) */ || b.bytes_in_use <= a.bytes_in_use)
        return "malloc did not come from tide (is libtide.a linked first?)";
    free(p);
    return NULL;
}

/* ---- private churn ----------------------------------------------------------- */

#define CHURN_SLOTS 256
#define CHURN_OPS 150000

static void *churn_thread(void *arg)
{
    struct tagged *slot[CHURN_SLOTS] = { 0 };
    uint64_t rng = 0x1234567 + (uint64_t)(intptr_t)arg * 7777;

    for (int op = 0; op < CHURN_OPS; op++) {
        size_t i = (size_t)(rng_next(&rng) % CHURN_SLOTS);
        if (slot[i]) {
            if (!tagged_ok(slot[i]))
                return "block contents changed under a private churn";
            free(slot[i]);
        }
        slot[i] = tagged_alloc(&rng);
        if (slot[i] == NULL)
            return "malloc returned NULL";
    }
    for (size_t i = 0; i < CHURN_SLOTS; i++) {
        if (slot[i] && !tagged_ok(slot[i]))
            return "block contents changed under a private churn";
        free(slot[i]);
    }
    return NULL;
}

static const char *eight_threads_private_churn(void)
{
    return run_threads(8, churn_thread, NULL);
}

/* ---- producer / consumer: every block freed by another thread -------------- */

#define RING 1024
#define ITEMS_PER_PRODUCER 60000

struct ring {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    struct tagged *items[RING];
    size_t head, tail, count;
    int producers_left;
};

static struct ring ring = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                            PTHREAD_COND_INITIALIZER, { 0 }, 0, 0, 0, 0 };

static void ring_put(struct tagged *t)
{
    pthread_mutex_lock(&ring.lock);
    while (ring.count == RING)
        pthread_cond_wait(&ring.not_full, &ring.lock);
    ring.items[ring.head] = t;
    ring.head = (ring.head + 1) % RING;
    ring.count++;
    pthread_cond_signal(&ring.not_empty);
    pthread_mutex_unlock(&ring.lock);
}

/* NULL when every producer is done and the ring is empty. */
static struct tagged *ring_take(void)
{
    struct tagged *t = NULL;

    pthread_mutex_lock(&ring.lock);
    while (ring.count == 0 && ring.producers_left > 0)
        pthread_cond_wait(&ring.not_empty, &ring.lock);
    if (ring.count) {
        t = ring.items[ring.tail];
        ring.tail = (ring.tail + 1) % RING;
        ring.count--;
        pthread_cond_signal(&ring.not_full);
    }
    pthread_mutex_unlock(&ring.lock);
    return t;
}

static void *producer(void *arg)
{
    uint64_t rng = 0xabcdef + (uint64_t)(intptr_t)arg;

    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
        struct tagged *t = tagged_alloc(&rng);
        if (t == NULL)
            return "malloc returned NULL";
        ring_put(t);
    }
    pthread_mutex_lock(&ring.lock);
    ring.producers_left--;
    pthread_cond_broadcast(&ring.not_empty);
    pthread_mutex_unlock(&ring.lock);
    return NULL;
}

static void *consumer(void *arg)
{
    struct tagged *t;
    uint64_t rng = 0x55 + (uint64_t)(intptr_t)arg;

    while ((t = ring_take()) != NULL) {
        if (!tagged_ok(t))
            return "block contents changed between threads";
        if (rng_next(&rng) % 8 == 0) { /* some are resized by the consumer first */
            t = realloc(t, t->size + 100);
            if (t == NULL || !tagged_ok(t))
                return "cross-thread realloc lost contents";
        }
        free(t);
    }
    return NULL;
}

static void *producer_or_consumer(void *arg)
{
    intptr_t i = (intptr_t)arg;

    return i < 3 ? producer(arg) : consumer(arg);
}

static const char *cross_thread_free_producer_consumer(void)
{
    ring.producers_left = 3;
    return run_threads(6, producer_or_consumer, NULL);
}

/* ---- short-lived threads leaving blocks behind ------------------------------- */

#define SHORT_THREADS 200
static struct tagged *left_behind[SHORT_THREADS][16];

static void *short_lived(void *arg)
{
    intptr_t id = (intptr_t)arg;
    uint64_t rng = 0x777 + (uint64_t)id;
    void *tmp[64];

    for (int i = 0; i < 64; i++)
        tmp[i] = malloc(churn_size(&rng) % 1024);
    for (int i = 0; i < 64; i++)
        free(tmp[i]); /* the thread's cache is full when it exits */
    for (int i = 0; i < 16; i++)
        if ((left_behind[id][i] = tagged_alloc(&rng)) == NULL)
            return "malloc returned NULL";
    return NULL;
}

static const char *exited_threads_blocks_freed_by_main(void)
{
    size_t cached_before = mallinfo2().fsmblks;
    const char *why = NULL;
    pthread_t tid;
    void *r;

    for (intptr_t id = 0; id < SHORT_THREADS && !why; id++) {
        if (pthread_create(&tid, NULL, short_lived, (void *)id) != 0)
            return "pthread_create failed";
        pthread_join(tid, &r);
        why = r;
    }
    /* each exited thread left a full cache: it must have gone back */
    if (!why && mallinfo2().fsmblks > cached_before + 64 * 1024)
        why = "caches of exited threads still hold their blocks";
    struct tide_stats st;
    tide_get_stats(&st);
    if (!why && st.arenas > 8)
        why = "200 threads, one at a time, made more than 8 arenas (ARENA_MAX)";
    for (int id = 0; id < SHORT_THREADS; id++) {
        for (int i = 0; i < 16; i++) {
            if (left_behind[id][i] && !tagged_ok(left_behind[id][i]))
                why = "a block of an exited thread changed";
            free(left_behind[id][i]);
        }
    }
    return why;
}

/* ---- contention spreads over arenas ----------------------------------------- */

static atomic_int started;

static void *contend(void *arg)
{
    uint64_t rng = (uint64_t)(intptr_t)arg + 99;
    void *keep[512];

    atomic_fetch_add(&started, 1);
    while (atomic_load(&started) < 4)
        ;
    for (int round = 0; round < 40; round++) {
        for (int i = 0; i < 512; i++)
            keep[i] = malloc(2000 + rng_next(&rng) % 4000); /* past the thread cache */
        for (int i = 0; i < 512; i++)
            free(keep[i]);
    }
    return NULL;
}

static void count_arena_chunks(const struct tide_chunk_info *ci, void *arg)
{
    size_t *other_arenas = arg;

    if (ci->arena != 0 && ci->state != TIDE_CHUNK_MMAPPED)
        (*other_arenas)++;
}

static const char *contending_threads_use_several_arenas(void)
{
    struct tide_stats st;
    size_t other_arenas = 0;
    const char *why = run_threads(4, contend, NULL);

    tide_get_stats(&st);
    if (!why && st.arenas < 2)
        why = "four threads contending share one arena (one lock)";
    tide_heap_walk(count_arena_chunks, &other_arenas);
    if (!why && other_arenas == 0)
        why = "the heap walk shows no chunk of the other arenas";
    /* the threads freed everything: their arenas have memory to give back */
    if (!why && malloc_trim(0) != 1)
        why = "malloc_trim(0) released nothing after the threads freed everything";
    return why;
}

/* ---- shared slots: any thread frees or resizes any thread's block --------- */

#define SHARED_SLOTS 4096
#define SHARED_OPS 300000

static _Atomic(struct tagged *) shared[SHARED_SLOTS];

/* Takes the block out of a random slot (or NULL), checks it, and then
 * frees it, resizes it, or replaces it; puts the result back. */
static void *shared_worker(void *arg)
{
    uint64_t rng = 0xfeed + (uint64_t)(intptr_t)arg * 31;

    for (int op = 0; op < SHARED_OPS; op++) {
        size_t i = (size_t)(rng_next(&rng) % SHARED_SLOTS);
        struct tagged *t = atomic_exchange(&shared[i], NULL);
        uint64_t what = rng_next(&rng) % 8;

        if (t && !tagged_ok(t))
            return "a block changed while another thread held it";
        if (t && what < 3) {
            free(t);
            t = NULL;
        } else if (t && what < 5) {
            size_t n = churn_size(&rng) + sizeof *t, keep = n < t->size ? n : t->size;
            struct tagged *u = realloc(t, n);
            if (u == NULL)
                return "realloc returned NULL";
            if (!pattern_ok((unsigned char *)(u + 1), keep - sizeof *u, u->seed))
                return "realloc of another thread's block lost contents";
            u->size = n;
            pattern_fill((unsigned char *)(u + 1), n - sizeof *u, u->seed);
            t = u;
        } else if (!t) {
            t = what == 7 ? NULL : tagged_alloc(&rng);
        }
        t = atomic_exchange(&shared[i], t);
        free(t); /* another thread filled the slot meanwhile */
    }
    return NULL;
}

static const char *shared_slots_any_thread_frees_any_block(void)
{
    const char *why = run_threads(4, shared_worker, NULL);

    for (size_t i = 0; i < SHARED_SLOTS; i++) {
        struct tagged *t = atomic_exchange(&shared[i], NULL);
        if (t && !tagged_ok(t) && !why)
            why = "a block changed in its slot";
        free(t);
    }
    return why;
}

/* ---- two threads taking turns ------------------------------------------------ */

static pthread_mutex_t step_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t step_cond = PTHREAD_COND_INITIALIZER;
static int step_now; /* the last step announced; each case resets it to 0 */

static void step_wait_for(int step)
{
    pthread_mutex_lock(&step_lock);
    while (step_now < step)
        pthread_cond_wait(&step_cond, &step_lock);
    pthread_mutex_unlock(&step_lock);
}

static void step_announce(int step)
{
    pthread_mutex_lock(&step_lock);
    step_now = step;
    pthread_cond_broadcast(&step_cond);
    pthread_mutex_unlock(&step_lock);
}

/* ---- quick runs holding another thread's blocks ------------------------------ */

/* The main thread frees another thread's blocks along with its own. A class
 * that overflows keeps its newer half and gives back the older one; that
 * older half goes on the arena's quick lists as a run only if the kept
 * half holds no other arena's block (tcache_release_half). */
#define QUICK_MIXED 3000
#define QUICK_FIRST 16 /* theirs freed first: fewer than half the class */
static void *quick_theirs[QUICK_MIXED];
static void *quick_mine[QUICK_MIXED];

static void *quick_owner(void *arg)
{
    (void)arg;
    for (size_t i = 0; i < QUICK_MIXED; i++)
        quick_theirs[i] = malloc(40);
    step_announce(1);
    step_wait_for(2);
    for (size_t i = 0; i < QUICK_MIXED; i++) /* takes its blocks back */
        quick_theirs[i] = malloc(40);
    for (size_t i = 0; i < QUICK_MIXED; i++)
        free(quick_theirs[i]);
    return NULL;
}

static size_t quick_held(void)
{
    return mallinfo2().fsmblks;
}

static void count_quick(const struct tide_chunk_info *ci, void *arg)
{
    if (ci->state == TIDE_CHUNK_QUICK) (*(size_t *)arg)++;
}

static size_t quick_chunks(void)
{
    size_t n = 0;
    tide_heap_walk(count_quick, &n);
    return n;
}

/* Starts a quick-list case: slabs off (quick lists hold chunk-heap blocks
 * only), quick lists and the main thread's cache emptied (malloc_trim),
 * and an owner thread that has allocated its blocks. Freeing the blocks
 * must not look like a free-everything (which closes the cache and
 * empties the quick lists at once), whatever the tests before left: one
 * free-everything first, which sets the arena's peak to what is left,
 * then a block held throughout (returned). NULL if the thread failed. */
static void *quick_case_start(pthread_t *owner)
{
    step_now = 0;
    mallopt(TIDE_M_SLAB, 0);
    for (size_t i = 0; i < QUICK_MIXED; i++)
        quick_mine[i] = malloc(1000);
    for (size_t i = 0; i < QUICK_MIXED; i++)
        free(quick_mine[i]);
    void *ballast = malloc(100 << 10);
    malloc_trim(0);
    if (pthread_create(owner, NULL, quick_owner, NULL) != 0) {
        free(ballast);
        return NULL;
    }
    step_wait_for(1);
    for (size_t i = 0; i < QUICK_MIXED; i++)
        quick_mine[i] = malloc(40);
    return ballast;
}

/* Lets the owner take its blocks back and finishes the case. */
static const char *quick_case_end(pthread_t owner, void *ballast, const char *why)
{
    step_announce(2);
    pthread_join(owner, NULL);
    if (!why && tide_check() != 0)
        why = "tide_check() found problems after the owner took its blocks back";
    free(ballast);
    mallopt(TIDE_M_SLAB, 1);
    return why;
}

/* A few of the other thread's blocks freed first, then many of the main
 * thread's own: the class overflows with only its own blocks in the kept
 * half, so the older half, with the other's blocks in it, becomes a run.
 * malloc_trim merges the runs: the other arena's blocks must go home
 * (through its remote list), and the owner must get them back when it
 * allocates again. */
static const char *quick_runs_with_foreign_blocks_go_home(void)
{
    const char *why = NULL;
    pthread_t owner;
    void *ballast = quick_case_start(&owner);
    if (!ballast)
        return "pthread_create failed";
    for (size_t i = 0; i < QUICK_FIRST; i++)
        free(quick_theirs[i]);
    for (size_t i = 0; i < QUICK_MIXED; i++)
        free(quick_mine[i]);
    size_t held = quick_held(), runs = quick_chunks();
    if (runs == 0)
        why = "no run on the quick lists after the main thread's own frees";
    else if (tide_check() != 0)
        why = "tide_check() found problems with mixed quick runs";
    else if (malloc_trim(0), tide_check() != 0)
        why = "tide_check() found problems after the runs were merged";
    else if (quick_held() >= held)
        why = "malloc_trim left the quick runs as they were";
    for (size_t i = QUICK_FIRST; i < QUICK_MIXED; i++)
        free(quick_theirs[i]);
    return quick_case_end(owner, ballast, why);
}

/* The other thread's blocks and the main thread's freed in turn: every
 * overflow sees a foreign block in the half it keeps, so no run goes on
 * the quick lists; the other's blocks go home at once (larson peaked
 * 0.5 MiB higher while runs held them). */
static const char *mixed_frees_leave_no_quick_runs(void)
{
    const char *why = NULL;
    pthread_t owner;
    void *ballast = quick_case_start(&owner);
    if (!ballast)
        return "pthread_create failed";
    for (size_t i = 0; i < QUICK_MIXED; i++) {
        free(quick_theirs[i]);
        free(quick_mine[i]);
    }
    size_t runs = quick_chunks();
    if (runs != 0)
        why = "mixed frees left runs on the quick lists";
    else if (tide_check() != 0)
        why = "tide_check() found problems after the mixed frees";
    return quick_case_end(owner, ballast, why);
}

/* ---- the medium caches' shared extra budget ---------------------------------- */

/* Each thread frees 12 blocks of 40 KiB and 12 of 60 KiB (1.2 MiB) into
 * its medium cache, which holds 512 KiB and may take up to 1.5 MiB more
 * while all threads together have taken less than 4 MiB more. With 8
 * threads holding at once, the caches must stay within 8 x 512 KiB + 4
 * MiB (plus a little for the small classes); when the threads have
 * exited, their extra is back and a new thread can grow again. */
#define MC_THREADS 8
#define MC_EACH 12 /* what a class holds */

static void count_cached_40k(const struct tide_chunk_info *ci, void *arg)
{
    if (ci->state == TIDE_CHUNK_CACHED && ci->size >= (40 << 10) && ci->size < (41 << 10))
        (*(size_t *)arg)++;
}

/* Frees 12 blocks of 40 KiB and 12 of 60 KiB into the calling thread's
 * medium cache; returns the block after them, which keeps them off the top. */
static void *fill_medium_cache(void)
{
    void *p[2 * MC_EACH], *guard;
    for (size_t i = 0; i < 2 * MC_EACH; i++)
        p[i] = malloc(i < MC_EACH ? 40 << 10 : 60 << 10);
    guard = malloc(100);
    for (size_t i = 0; i < 2 * MC_EACH; i++)
        free(p[i]);
    return guard;
}

/* One of the MC_THREADS: fills its cache, announces step arg, and holds
 * the cache until the main thread has measured them all. */
static void *hold_medium_cache(void *arg)
{
    void *guard = fill_medium_cache();
    step_announce((int)(intptr_t)arg);
    step_wait_for(MC_THREADS + 1);
    free(guard);
    return NULL;
}

/* The new thread: counts into *arg the 40 KiB blocks its cache kept. */
static void *count_medium_cache(void *arg)
{
    void *guard = fill_medium_cache();
    tide_heap_walk(count_cached_40k, arg);
    free(guard);
    return NULL;
}

static const char *medium_caches_share_their_extra_budget(void)
{
    pthread_t tid[MC_THREADS], late;
    const char *why = NULL;
    size_t before = mallinfo2().fsmblks, cached = 0;

    step_now = 0;
    for (int t = 0; t < MC_THREADS; t++) {
        if (pthread_create(&tid[t], NULL, hold_medium_cache, (void *)(intptr_t)(t + 1)) != 0)
            return "pthread_create failed";
        step_wait_for(t + 1);
    }
    size_t held = mallinfo2().fsmblks - before;
    if (held > MC_THREADS * ((size_t)(512 + 64) << 10) + ((size_t)4 << 20))
        why = "the threads' medium caches took more than the extra budget all share";
    else if (held < MC_THREADS * ((size_t)480 << 10))
        why = "the threads' medium caches did not fill";
    step_announce(MC_THREADS + 1);
    for (int t = 0; t < MC_THREADS; t++)
        pthread_join(tid[t], NULL);
    if (pthread_create(&late, NULL, count_medium_cache, &cached) != 0)
        return "pthread_create failed";
    pthread_join(late, NULL);
    if (!why && cached != MC_EACH)
        why = "the exited threads' extra budget did not come back";
    return why;
}

/* ---- blocks freed by another thread come back before new memory ------------ */

/* An owner thread allocates a round of blocks; the main thread frees them
 * all (so they wait on the owner's arena's remote list), then the owner
 * allocates a second round. The blocks sent back must be taken before new
 * slots or the top: else each round freed elsewhere grows the heap by that
 * round, up to the 4 MiB (DRAIN_BYTES) at which a pusher drains the list.
 * In use must stay where one round puts it. */
#define ROUND_MAX 2000
static struct {
    size_t count, size[2]; /* count blocks, of size[0] and size[1] in turn */
    void *block[ROUND_MAX];
} round_of;

static void alloc_round(void)
{
    for (size_t i = 0; i < round_of.count; i++)
        round_of.block[i] = malloc(round_of.size[i % 2]);
}

static void *round_owner(void *arg)
{
    (void)arg;
    alloc_round();
    step_announce(1);
    step_wait_for(2);
    alloc_round(); /* the first round is on the remote list by now */
    step_announce(3);
    step_wait_for(4);
    for (size_t i = 0; i < round_of.count; i++)
        free(round_of.block[i]);
    return NULL;
}

static const char *owner_takes_back_remote_frees(size_t count, size_t size0, size_t size1)
{
    const char *why = NULL;
    pthread_t owner;

    step_now = 0;
    round_of.count = count;
    round_of.size[0] = size0;
    round_of.size[1] = size1;
    size_t before = mallinfo2().uordblks;
    if (pthread_create(&owner, NULL, round_owner, NULL) != 0)
        return "pthread_create failed";
    step_wait_for(1);
    size_t round = mallinfo2().uordblks - before;
    for (size_t i = 0; i < count; i++)
        free(round_of.block[i]);
    step_announce(2);
    step_wait_for(3);
    size_t after = mallinfo2().uordblks - before;
    if (round < count * (size0 + size1) / 2)
        why = "the owner's first round was not counted in use";
    else if (after > round + round / 2)
        why = "the owner's second round did not reuse the blocks freed for it";
    else if (tide_check() != 0)
        why = "tide_check() found problems after the rounds";
    step_announce(4);
    pthread_join(owner, NULL);
    return why;
}

/* With the thread caches off, every allocation of the owner takes the slow
 * path, small ones included (prodcons and larson peaked at twice their
 * memory before alloc_slow drained the list first). */
static const char *caches_off_owner_takes_back_remote_frees(void)
{
    mallopt(TIDE_M_TCACHE_COUNT, 0); /* the owner starts without a cache */
    const char *why = owner_takes_back_remote_frees(2000, 48, 600); /* a slot, a chunk */
    mallopt(TIDE_M_TCACHE_COUNT, 256); /* the default profile's */
    return why;
}

/* Blocks too big for any cache (64 KiB to the mmap threshold) go to the
 * arena: the owner takes them back before carving the top (a producer of
 * 32-232 KiB blocks peaked at 8.8 MiB before, glibc at 2.4). 36 blocks of
 * about 100 KiB: below the 4 MiB at which the pusher drains the list. */
static const char *owner_takes_back_big_remote_frees(void)
{
    return owner_takes_back_remote_frees(36, 100 << 10, 110 << 10);
}

/* Slots of the big classes (576-1024 bytes), more than the owner's cache
 * holds: those without room go back to their pages in one pass of the
 * drain (slab_free_run), and the second round takes them from there. */
static const char *owner_takes_back_remote_slots(void)
{
    return owner_takes_back_remote_frees(ROUND_MAX, 600, 1000);
}

/* ---- short-lived threads --------------------------------------------------- */

/* Threads that each use every slab class a little and exit, one after
 * another on the same arena: the pages they empty at exit stay resident
 * for the next thread (an arena keeps a page per class), instead of being
 * purged at each exit and faulted back by the next one (20,000 threads of
 * 100 blocks each ran 2.7 times glibc's time so). In a fresh process, so
 * that what earlier cases left in use does not set the arena's budget. */
static void *small_sizes_then_exit(void *arg)
{
    void *p[16];
    (void)arg;
    for (size_t i = 0; i < 16; i++) {
        p[i] = malloc(16 * (i + 1));
        memset(p[i], 0x5a, 16 * (i + 1));
    }
    for (size_t i = 0; i < 16; i++)
        free(p[i]);
    return NULL;
}

static const char *short_threads_do_not_purge_each_exit(void)
{
    struct tide_stats before, after;
    tide_get_stats(&before);
    for (int t = 0; t < 64; t++) {
        pthread_t tid;
        if (pthread_create(&tid, NULL, small_sizes_then_exit, NULL) != 0)
            return "pthread_create failed";
        pthread_join(tid, NULL);
    }
    tide_get_stats(&after);
    if (after.purge_calls - before.purge_calls >= 16)
        return "the 64 threads' exits purged pages again and again";
    return NULL;
}

/* ---- introspection while other threads allocate ----------------------------- */

static atomic_bool churn_stop;

static void *light_churn(void *arg)
{
    uint64_t rng = 0x4242 + (uint64_t)(intptr_t)arg;
    void *slot[128] = { 0 };

    while (!atomic_load(&churn_stop)) {
        size_t i = (size_t)(rng_next(&rng) % 128);
        free(slot[i]);
        slot[i] = malloc(churn_size(&rng));
        if (rng_next(&rng) % 16 == 0)
            slot[i] = realloc(slot[i], churn_size(&rng) + 1);
    }
    for (size_t i = 0; i < 128; i++)
        free(slot[i]);
    return NULL;
}

static void count_chunks(const struct tide_chunk_info *ci, void *arg)
{
    (void)ci;
    (*(size_t *)arg)++;
}

static const char *check_and_stats_while_threads_allocate(void)
{
    pthread_t tid[3];
    const char *why = NULL;

    atomic_store(&churn_stop, false);
    for (intptr_t i = 0; i < 3; i++)
        if (pthread_create(&tid[i], NULL, light_churn, (void *)i) != 0)
            return "pthread_create failed";
    for (int round = 0; round < 300 && !why; round++) {
        struct tide_stats st;
        size_t chunks = 0;
        if (tide_check() != 0)
            why = "tide_check() found problems while other threads allocated";
        tide_get_stats(&st);
        (void)mallinfo2();
        tide_heap_walk(count_chunks, &chunks);
        if (chunks == 0)
            why = "the heap walk saw no chunk";
    }
    atomic_store(&churn_stop, true);
    for (int i = 0; i < 3; i++)
        pthread_join(tid[i], NULL);
    return why;
}

const struct thread_case thread_cases[] = {
    { "malloc-is-tide", malloc_is_tide, false },
    { "eight-threads-private-churn", eight_threads_private_churn, false },
    { "cross-thread-free-producer-consumer", cross_thread_free_producer_consumer, false },
    { "exited-threads-blocks-freed-by-main", exited_threads_blocks_freed_by_main, false },
    { "contending-threads-use-several-arenas", contending_threads_use_several_arenas, false },
    { "check-and-stats-while-threads-allocate", check_and_stats_while_threads_allocate, false },
    { "shared-slots-any-thread-frees-any-block", shared_slots_any_thread_frees_any_block, false },
    { "quick-runs-with-foreign-blocks-go-home", quick_runs_with_foreign_blocks_go_home, false },
    { "mixed-frees-leave-no-quick-runs", mixed_frees_leave_no_quick_runs, false },
    { "caches-off-owner-takes-back-remote-frees", caches_off_owner_takes_back_remote_frees, false },
    { "owner-takes-back-big-remote-frees", owner_takes_back_big_remote_frees, false },
    { "owner-takes-back-remote-slots", owner_takes_back_remote_slots, false },
    { "medium-caches-share-their-extra-budget", medium_caches_share_their_extra_budget, true },
    { "short-threads-do-not-purge-each-exit", short_threads_do_not_purge_each_exit, true },
};
const size_t thread_case_count = sizeof thread_cases / sizeof thread_cases[0];
