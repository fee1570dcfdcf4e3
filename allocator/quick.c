/*
 * allocator/quick.c - the arena's quick lists (default profile): where the
 * older half of an overflowing thread-cache class goes, whole, instead of
 * into the bins.
 *
 * A program that frees thousands of small blocks in a row overflows its
 * cache classes again and again. Freed into the bins, each block is merged
 * with its neighbours, later sorted out of the unsorted bin and split off
 * again when the program asks for that size: a few hundred cycles and
 * several cache misses a block. Here the half an overflow gives back is
 * kept as the run it already is (a NULL-terminated cache list and its
 * length), and the next miss of that class, by any thread of the arena,
 * takes a whole run back into its cache: no block is touched either way.
 *
 *   a->quick[i][r] --> block --> block --> ... --> NULL   a->quick_n[i][r]
 *                      (next, key as in a thread cache)   blocks in run r
 *                                                          of class i
 *
 * What keeps this from costing memory: a block here cannot serve another
 * size. So the lists hold at most QUICK_RUNS runs a class and QUICK_BASE
 * plus 1/16 of the arena's bytes in use (past that an overflow goes to the
 * bins as before), and they are emptied into the bins before the arena
 * carves its top or grows, when the program frees (nearly) everything, and
 * by malloc_trim. The blocks stay in use for their heaps and keep the
 * cache key, so a second free of one is caught as for a cached block.
 * A run may hold blocks of other arenas (caches hold any), though a class
 * whose kept half shows one gives its overflow to release_list instead
 * (tcache_release_half): those go home through their remote lists when
 * the run is emptied into the bins.
 */
#include "internal.h"

#define QUICK_BASE ((size_t)256 << 10)

/* Keeps run (n blocks of class i, NULL-terminated) on a's quick list if
 * it has room; false if not (the caller frees the blocks). */
bool quick_put(struct arena *a, size_t i, struct tc_entry *run, size_t n)
{
    size_t bytes = n * (MINSIZE + 16 * i);
    if (!g.cfg.tcache_bytes || !n || n > UINT16_MAX || a->quick_bytes + bytes > QUICK_BASE + a->in_use / 16)
        return false;
    for (size_t r = 0; r < QUICK_RUNS; r++)
        if (!a->quick_n[i][r]) {
            a->quick[i][r] = run;
            a->quick_n[i][r] = (uint16_t)n;
            a->quick_bytes += bytes;
            return true;
        }
    return false;
}

/* A miss in class i of cache tc (tc->head[i] empty): makes a run of class
 * i that fits the class's room its list. Returns false if there is none. */
bool quick_take(struct arena *a, struct tcache *tc, size_t i)
{
    if (!a->quick_bytes) return false;
    for (size_t r = QUICK_RUNS; r-- > 0;) {
        size_t n = a->quick_n[i][r];
        if (n && (int)n <= tc_room(tc, i)) {
            tc->head[i] = a->quick[i][r];
            tc->quota[i] -= (uint32_t)n * TC_ROOM_ONE;
            a->quick[i][r] = NULL;
            a->quick_n[i][r] = 0;
            a->quick_bytes -= n * (MINSIZE + 16 * i);
            return true;
        }
    }
    return false;
}

/* Frees every block of a's quick lists: into a's bins, or home. */
void quick_flush(struct arena *a)
{
    for (size_t i = 0; i < TC_BINS; i++)
        for (size_t r = 0; r < QUICK_RUNS; r++) {
            struct tc_entry *e = a->quick[i][r];
            struct gather run = { NULL, 0 };
            a->quick[i][r] = NULL;
            a->quick_n[i][r] = 0;
            for (struct tc_entry *next; e; e = next) {
                next = e->next;
                if (next) __builtin_prefetch((const char *)next - 8, 1);
                struct arena *home = chunk_arena(mem2chunk(e));
                if (home != a) {
                    remote_push(home, e);
                    continue;
                }
                e->key = 0;
                gather_chunk(a, &run, mem2chunk(e)); /* quick lists hold chunks only */
            }
            gather_end(a, &run);
        }
    a->quick_bytes = 0;
}

/* True if e waits on one of a's quick lists (double-free check). */
bool quick_contains(const struct arena *a, const struct tc_entry *e)
{
    if (in_slab_area(e)) return false;
    size_t sz = csize(mem2chunk(e));
    if (sz < MINSIZE || sz > TC_MAX_CHUNK) return false;
    size_t i = tc_index_for_chunk(sz);
    for (size_t r = 0; r < QUICK_RUNS; r++)
        for (const struct tc_entry *q = a->quick[i][r]; q; q = q->next)
            if (q == e) return true;
    return false;
}
