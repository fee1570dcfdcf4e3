/*
 * allocator/grow.c - where heap memory comes from and goes back to: the
 * main arena's brk heap, the mmap segments (other arenas, and the main
 * arena once brk fails), the segment map that tells our segment pointers
 * from others', and trimming.
 * pre (arena_grow, arena_trim): the arena's lock is held.
 */
#include "internal.h"

/* ---- the segment map --------------------------------------------------- */

/* One bit per seg_size-aligned slot of the 47-bit user address space; the
 * map itself is a lazily-touched mapping (a few pages are ever written).
 * Made without a lock, as grow_segment calls this with its arena's lock
 * held: taking arenas_lock there (as it did) could deadlock with fork,
 * whose prepare handler takes arenas_lock and then every arena's lock. Two
 * threads may map one each; the first to install its map wins. */
bool segmap_init(void)
{
    if (__atomic_load_n(&g.segmap_bits, __ATOMIC_ACQUIRE)) return true;
    size_t bits = ((size_t)1 << 47) / g.seg_size;
    size_t bytes = align_up((bits + 7) / 8, g.page);
    void *m = os_mmap_zeroed(bytes);
    atomic_uint_least64_t *none = NULL;
    if (m && __atomic_compare_exchange_n(&g.segmap, &none, m, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        /* The map before its size: free_segment_fast reads them without
         * a lock, the size first. */
        __atomic_store_n(&g.segmap_bits, bits, __ATOMIC_RELEASE);
        return true;
    }
    if (m) os_munmap(m, bytes);
    if (!__atomic_load_n(&g.segmap, __ATOMIC_ACQUIRE)) return false; /* no memory, no map */
    /* Another thread's map is in: it sets the size next (a few
     * instructions on), and the readers test the size. */
    while (!__atomic_load_n(&g.segmap_bits, __ATOMIC_ACQUIRE)) {
    }
    return true;
}

/* Marks seg as ours (segments are never given back). */
void segmap_add(uintptr_t seg)
{
    size_t i = seg >> g.seg_shift;
    atomic_fetch_or_explicit(&g.segmap[i / 64], (uint64_t)1 << (i % 64), memory_order_relaxed);
}

/* ---- growing ----------------------------------------------------------- */

/*
 * Huge pages for a big brk heap (opt-in: hugepage_from, where the platform
 * has them). Past hugepage_from bytes, every whole huge page of the heap
 * below its end is asked for (madvise MADV_HUGEPAGE on Linux): the first
 * touch of such a range then faults in all of it at once, one fault for
 * 512 (x86-64), and the TLB holds it in one entry. frag, whose 64 MiB of
 * small blocks cost 16,000 page faults, ran 10% faster from 40 MiB in runs
 * one after another (31 paired runs). Not on by default: on a virtual
 * machine whose balloon reports free memory to the host (the KVM guests
 * these figures come from), a huge page freed more than about 2 s ago has
 * been handed back to the host, and the next one faults on the host: frag
 * run 3 s apart took 150 ms against 96 one after another, 110 without
 * huge pages either way.
 *
 *   heap_lo      + hugepage_from                                 end (brk)
 *   |  4 KiB pages  |   huge   |   huge   |   huge   |  huge  | 4 KiB |
 *                   ^ aligned up                     huge_to ^  (the rest
 *                                                      until brk passes)
 *
 * What it costs in memory: a huge range is only ever whole below the
 * break, so the most a fault maps beyond what the heap handed out is the
 * top's part of one range, 2 MiB; from 40 MiB on, that is within 5%.
 * (From 0 or 16 MiB, bench/realloc, whose 33 MiB heap grows and shrinks,
 * peaked 1.5 MiB higher in 2-3 runs of 7.) A trimmed heap forgets the
 * ranges it gave back: brk makes them again without the advice.
 */
static void heap_huge(size_t span)
{
    size_t hp = g.caps.huge_page;
    if (!g.caps.hugepage || !hp || !g.cfg.hugepage_from) return;
    uintptr_t end = align_down(g.heap_lo + span, hp), lo = align_up(g.heap_lo + g.cfg.hugepage_from, hp);
    if (g.huge_to > end) g.huge_to = end; /* trimmed: those went back */
    if (lo < g.huge_to) lo = g.huge_to;
    if (lo < end && g.caps.hugepage((void *)lo, end - lo)) g.huge_to = end;
}

/* Moves the end of the brk heap by delta bytes (the lock-free readers in
 * free look at heap_span and fast_span). */
static void heap_span_add(intptr_t delta)
{
    size_t span = atomic_load_explicit(&g.heap_span, memory_order_relaxed) + (size_t)delta;
    size_t margin = HDR + TC_MAX_CHUNK;
    g.fast_lo = g.heap_lo + HDR;
    __atomic_store_n(&g.fast_span16, span > margin ? (span - margin) / 16 : 0, __ATOMIC_RELEASE);
    atomic_store_explicit(&g.heap_span, span, memory_order_release);
    stats_heap(delta);
    heap_huge(span);
}

/* The top can no longer grow in place: turn it into a free chunk followed
 * by a fence (or into a fence alone if it is too small), so the region it
 * ends stays walkable. */
static void retire_top(struct arena *a)
{
    struct chunk *t = a->top;
    if (!t) return;
    size_t sz = csize(t), seg = t->size & SEGMENT;
    a->top = NULL;
    if (sz >= MINSIZE + HDR) {
        struct chunk *fence = chunk_at(t, sz - HDR);
        t->size = free_size_field(sz - HDR, seg);
        fence->prev_size = sz - HDR;
        fence->size = 0 | seg;
        unsorted_push(a, t);
    } else {
        t->size = 0 | PREV_INUSE | seg;
    }
}

/* Extends the brk heap so the top can give nb bytes plus the top pad.
 * Gives up on brk for good if it fails or was moved by someone else. */
static bool grow_brk(struct arena *a, size_t nb)
{
    char *end = g.heap_lo ? (char *)g.heap_lo + atomic_load(&g.heap_span) : NULL;
    char *cur = tide_sys_brk(NULL);
    atomic_fetch_add_explicit(&g.st.brk_calls, 1, memory_order_relaxed);
    if (!cur || (end && cur != end)) return false;
    bool first = !end;
    if (first) end = (char *)align_up((uintptr_t)cur, ALIGNMENT);
    size_t have = a->top ? csize(a->top) : 0;
    size_t want = nb + MINSIZE + g.cfg.top_pad;
    /* Default profile: grow by an eighth of the heap at least, so a heap
     * that keeps growing makes few brk calls (what is not touched yet is
     * not resident, and trimming gives back a free top past the budget). */
    if (g.cfg.auto_purge && want < a->system_bytes / 8) want = a->system_bytes / 8;
    size_t grow = want > have ? want - have : 0;
    /* The new break is page aligned (so every later top end is 16-aligned,
     * whatever the first break was). */
    uintptr_t target_addr = align_up((uintptr_t)end + grow, g.page);
    if (target_addr <= (uintptr_t)end || target_addr - (uintptr_t)end < grow) return false;
    char *target = (char *)target_addr;
    char *got = tide_sys_brk(target);
    atomic_fetch_add_explicit(&g.st.brk_calls, 1, memory_order_relaxed);
    if (got != target) return false;
    if (first) g.heap_lo = (uintptr_t)end;
    size_t added = (size_t)(target - end);
    atomic_fetch_add_explicit(&g.st.brk_grow, (size_t)(target - cur), memory_order_relaxed);
    heap_span_add((intptr_t)added);
    a->system_bytes += added;
    if (a->top) {
        a->top->size += added;
    } else {
        a->top = (struct chunk *)end;
        a->top->size = free_size_field(added, 0);
        a->clean = end;
    }
    a->top_end = target;
    if (!g.caps.brk_zeroed) a->clean = target;
    a->top_in_brk = true;
    return true;
}

/* Adds a fresh segment to the arena and makes its space the new top. */
static bool grow_segment(struct arena *a, size_t nb)
{
    if (nb > g.seg_size - SEG_HDR - MINSIZE) return false;
    if (!segmap_init()) return false;
    struct segment *s = os_mmap_aligned(g.seg_size, g.seg_size);
    if (!s) return false;
    s->magic = SEG_MAGIC;
    s->arena = a;
    s->size = g.seg_size;
    s->next = a->segs;
    a->segs = s;
    segmap_add((uintptr_t)s);
    stats_heap((intptr_t)g.seg_size);
    a->system_bytes += g.seg_size;
    retire_top(a);
    struct chunk *t = chunk_at(s, SEG_HDR);
    t->size = free_size_field(g.seg_size - SEG_HDR, SEGMENT);
    a->top = t;
    a->top_end = (char *)s + g.seg_size;
    a->clean = g.caps.mmap_zeroed ? (char *)t : a->top_end;
    a->top_in_brk = false;
    return true;
}

/* Makes the top big enough for nb more bytes. false: out of memory. */
bool arena_grow(struct arena *a, size_t nb)
{
    if (a == &main_arena && !g.brk_broken) {
        if (grow_brk(a, nb)) return true;
        g.brk_broken = true;
    }
    return grow_segment(a, nb);
}

/* ---- trimming and purging ---------------------------------------------- */


/* Free bytes the arena may hold resident, at most: what it got from the OS,
 * less what it handed out and the untouched part of the top. (Purged pages
 * count too: an over-estimate, so a purge is never skipped for want of it.) */
size_t free_held(const struct arena *a)
{
    size_t untouched = a->top ? (size_t)(a->top_end - a->clean) : 0;
    size_t used = a->in_use + untouched;
    return a->system_bytes > used ? a->system_bytes - used : 0;
}

/* Purges the whole pages inside a's free chunks (their links and epoch
 * stay), those not purged already, the biggest chunks first, until about
 * `want` bytes went back (SIZE_MAX: all of them). Automatic passes spare
 * the chunks freed since the previous pass: memory a program frees and
 * soon takes back is not given away in between; the next pass, a budget's
 * worth of frees later, takes them. Returns true if anything went back. */
bool arena_purge(struct arena *a, size_t want)
{
    bool all = want == SIZE_MAX, any = false;
    size_t spare_from = a->epoch++, done = 0;
    a->dirty = 0;
    if (!g.caps.purge) return false;
    /* Sort the unsorted bin first (as the next malloc would), so a pass
     * costs in proportion to the frees since the last one; then only bins
     * of two pages or more can hold a whole page to purge. */
    bins_sort_unsorted(a);
    for (unsigned i = NBINS; i-- > bin_index(2 * g.page) && done < want;)
        for (struct chunk *c = a->bins[i].fd; c != &a->bins[i] && done < want; c = c->fd) {
            uintptr_t lo = align_up((uintptr_t)(chunk_epoch(c) + 1), g.page);
            uintptr_t hi = align_down((uintptr_t)c + csize(c), g.page);
            if (hi <= lo || *chunk_epoch(c) == EPOCH_PURGED) continue;
            if (!all && *chunk_epoch(c) >= spare_from) continue;
            os_purge((void *)lo, hi - lo);
            *chunk_epoch(c) = EPOCH_PURGED;
            done += hi - lo;
            any = true;
        }
    return any;
}

/*
 * A program that frees (nearly) everything it had expects its memory back,
 * as glibc gives back a free top at once: when the arena's blocks in use
 * fall below 1/64 of their peak (and more than 64 KiB went, or less than
 * 16 KiB is left: the last blocks of a free-everything), the calling
 * thread's cache goes back to the arena and stays closed until the thread
 * allocates again (so what it frees next goes to the arena too, not into
 * cached blocks that would keep their pages), and every whole free page
 * goes back (trim and purge). The peak then starts again from what is
 * left, so a program that keeps freeing gets this again at each 1/64. No
 * timer and no thread: it runs in the free that crosses the line.
 * (At 1/8, a live set that merely swings, as the bench's `large` does
 * between 43 and 5 MB, was given back and refaulted: 20,000 faults more.)
 * pre: a->lock not held.
 */
void arena_release_if_emptied(struct arena *a)
{
    /* The blocks on the quick lists and in this thread's cache, and the
     * cache itself, count as in use for the arena but are not the
     * program's. (Read without the lock: a snapshot.) */
    size_t used = a->in_use - a->quick_bytes, peak = a->peak_held;
    if (!g.cfg.auto_purge) return;
    struct tcache *tc = tc_self;
    bool mine = tc_real(tc) && tc->arena == a;
    /* The cache holds at most its capacity, a block more (a class at room
     * -1 in a free) and its medium blocks. The cheap test first: far above
     * 1/64 of the peak. From a peak of 1 MiB, the most the cache may hold
     * is not counted in: a cache can hold more than 1/8 of such a peak by
     * itself (up to 2 MiB of medium blocks), and then no free-everything
     * was ever seen (frag at scale 0.1, a peak of 6.4 MiB, kept 11.5 MiB
     * resident after freeing all). Below, the test is as it was: a small
     * heap whose blocks all sit in the cache is not released and refilled
     * over and over. Then, when even the most the cache may hold leaves
     * 1/64 of the peak, the count is not needed (frag's free-everything
     * called tcache_held 1,132 times, 7% of its instructions). */
    size_t cached = mine ? csize(mem2chunk(tc)) : 0;
    size_t most = mine ? cached + tc->capacity + TC_MAX_CHUNK + (tc->mc ? tc->mc->bytes : 0) : 0;
    if (used >= peak / 8 && (peak < ((size_t)1 << 20) || used >= peak / 8 + most)) return;
    if (mine) {
        if (used > most && used - most >= peak / 64) return;
        cached += tcache_held(tc);
    }
    used = used > cached ? used - cached : 0;
    if (used >= peak / 64 || (peak - used < ((size_t)64 << 10) && used >= ((size_t)16 << 10))) return;
    if (mine) tcache_close(tc);
    lock_take(&a->lock);
    quick_flush(a);
    arena_trim(a, g.cfg.top_pad);
    arena_purge(a, SIZE_MAX);
    slab_purge(a, true);
    a->slab_lean = true;
    a->peak_held = a->peak_now = a->peak_prev = a->in_use;
    lock_drop(&a->lock);
}

/* Gives back what the top holds beyond pad (and a minimal chunk): by a
 * negative brk in the brk heap, by purging pages in a segment. Returns
 * true if anything went back. */
bool arena_trim(struct arena *a, size_t pad)
{
    struct chunk *t = a->top;
    if (!t) return false;
    char *keep = (char *)align_up((uintptr_t)t + HDR + MINSIZE + pad, g.page);
    if (keep >= a->top_end) return false;
    if (!a->top_in_brk) {
        char *dirty = (char *)align_up((uintptr_t)a->clean, g.page);
        if (!g.caps.purge || dirty <= keep) return false;
        os_purge(keep, (size_t)(dirty - keep));
        a->clean = keep;
        return true;
    }
    size_t extra = (size_t)(a->top_end - keep);
    if (tide_sys_brk(NULL) != a->top_end) return false;
    char *got = tide_sys_brk(keep);
    atomic_fetch_add_explicit(&g.st.brk_calls, 2, memory_order_relaxed);
    if (got != keep) return false;
    atomic_fetch_add_explicit(&g.st.brk_shrink, extra, memory_order_relaxed);
    heap_span_add(-(intptr_t)extra);
    a->system_bytes -= extra;
    t->size -= extra;
    a->top_end = keep;
    if (a->clean > keep) a->clean = keep;
    return true;
}
