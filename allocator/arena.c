/*
 * allocator/arena.c - arenas and threads: which arena a thread uses, making
 * new arenas, thread exit, and keeping the locks consistent across fork.
 *
 * The first thread to allocate gets the main (brk) arena; each later thread
 * gets a new arena until arena_max exist, then the one with fewest threads.
 * So threads do not serialise on one lock, and the thread caches in front
 * keep most calls off the arena locks altogether.
 */
#include "internal.h"

struct arena main_arena;
static TIDE_THREAD_LOCAL struct arena *my_arena __attribute__((tls_model("initial-exec")));

static void arena_init(struct arena *a, int index)
{
    a->index = index;
    for (unsigned i = 0; i < NBINS; i++) a->bins[i].fd = a->bins[i].bk = &a->bins[i];
}

/* Makes arena number narenas. pre: arenas_lock held. NULL if out of memory. */
struct arena *arena_new(void)
{
    size_t n = atomic_load(&g.narenas);
    if (n == 0) {
        arena_init(&main_arena, 0);
        g.arenas[0] = &main_arena;
        atomic_store(&g.narenas, 1);
        return &main_arena;
    }
    if (n >= ARENA_LIMIT) return NULL;
    struct arena *a = os_mmap_zeroed(align_up(sizeof *a, g.page));
    if (!a) return NULL;
    arena_init(a, (int)n);
    g.arenas[n] = a;
    atomic_store(&g.narenas, n + 1);
    return a;
}

/* The arena of the calling thread, attaching it to one on first use. */
struct arena *arena_for_thread(void)
{
    if (LIKELY(my_arena != NULL)) return my_arena;
    lock_take(&g.arenas_lock);
    if (atomic_load(&g.narenas) == 0) arena_new();
    struct arena *a = &main_arena;
    if (main_arena.threads > 0) {
        a = atomic_load(&g.narenas) < g.cfg.arena_max ? arena_new() : NULL;
        if (!a) {
            a = &main_arena;
            for (size_t i = 1; i < atomic_load(&g.narenas); i++)
                if (g.arenas[i]->threads < a->threads) a = g.arenas[i];
        }
    }
    a->threads++;
    my_arena = a;
    lock_drop(&g.arenas_lock);
    return a;
}

/* Thread exit: cached blocks go back to their heaps, the cache itself is
 * freed and the thread leaves its arena. Later allocations by this thread
 * (from other exit handlers) go straight to the arena. */
TIDE_API void tide_thread_exit(void)
{
    struct tcache *tc = tc_self;
    if (tc_real(tc)) {
        tcache_close(tc); /* limits to 0: its share of g.swing_bytes too */
        tc_self = &tc_empty;
        lock_take(&g.arenas_lock);
        if (tc->prev_tc) tc->prev_tc->next_tc = tc->next_tc;
        else g.tcaches = tc->next_tc;
        if (tc->next_tc) tc->next_tc->prev_tc = tc->prev_tc;
        lock_drop(&g.arenas_lock);
        struct chunk *c = mem2chunk(tc);
        struct arena *a = chunk_arena(c);
        lock_take(&a->lock);
        arena_free(a, c);
        lock_drop(&a->lock);
    }
    tcache_disable();
    if (my_arena) {
        lock_take(&g.arenas_lock);
        my_arena->threads--;
        lock_drop(&g.arenas_lock);
    }
}

/* Forgets the calling thread's arena and cache (tide_reset). */
void arena_forget_thread(void)
{
    my_arena = NULL;
}

/* ---- fork -------------------------------------------------------------- */
/* The parent takes every lock before fork, so the child starts with no lock
 * held by a thread that does not exist in it. */

TIDE_API void tide_fork_prepare(void)
{
    if (!atomic_load(&g.ready)) return;
    lock_take(&g.arenas_lock);
    for (size_t i = 0; i < atomic_load(&g.narenas); i++) lock_take(&g.arenas[i]->lock);
    mmap_fork_prepare();
}

static void unlock_all(void)
{
    mmap_fork_release();
    for (size_t i = atomic_load(&g.narenas); i-- > 0;) lock_drop(&g.arenas[i]->lock);
    lock_drop(&g.arenas_lock);
}

TIDE_API void tide_fork_parent(void)
{
    if (atomic_load(&g.ready)) unlock_all();
}

/* In the child only this thread exists: the other threads' caches are
 * forgotten (their blocks stay allocated) and arenas have no other users. */
TIDE_API void tide_fork_child(void)
{
    if (!atomic_load(&g.ready)) return;
    for (size_t i = 0; i < atomic_load(&g.narenas); i++) g.arenas[i]->threads = 0;
    if (my_arena) my_arena->threads = 1;
    g.tcaches = tc_real(tc_self) ? tc_self : NULL;
    if (g.tcaches) g.tcaches->next_tc = g.tcaches->prev_tc = NULL;
    atomic_store(&g.swing_bytes, g.tcaches ? beyond_budget(g.tcaches->capacity) : 0); /* the others' caches are gone */
    atomic_store(&g.mc_extra, g.tcaches && g.tcaches->mc ? g.tcaches->mc->extra : 0);
    unlock_all();
}
