/*
 * allocator/check.c - tide_check: verifies every invariant of every heap
 * and reports each violation as one line. The stress tests run it after
 * every step; DEBUG=2 runs it after every call.
 */
#include "internal.h"

struct check_ctx {
    size_t problems;
    size_t free_seen;   /* free chunks met walking the regions */
    size_t used_seen;   /* bytes of the in-use chunks met */
};

static void problem(struct check_ctx *k, const char *what, const void *at)
{
    k->problems++;
    report_line(what, at);
}

/* Walks one region chunk by chunk: sizes, flags, footers, coalescing. */
static void check_region(struct arena *a, struct region r, void *arg)
{
    struct check_ctx *k = arg;
    size_t seg = (r.start == (char *)g.heap_lo && a == &main_arena) ? 0 : SEGMENT;
    struct chunk *c = (struct chunk *)r.start;
    bool prev_free = false;
    if (!(c->size & PREV_INUSE)) problem(k, "check: first chunk without P bit at", c);
    for (;; c = next_chunk(c)) {
        if ((char *)c + HDR > r.end) {
            problem(k, "check: region overrun at", c);
            return;
        }
        if ((c->size & SEGMENT) != seg) problem(k, "check: wrong S bit at", c);
        if (c->size & MMAPPED) problem(k, "check: M bit inside a heap at", c);
        if (!!(c->size & PREV_INUSE) == prev_free) problem(k, "check: P bit disagrees with previous chunk at", c);
        if (c == a->top) {
            if ((char *)c + csize(c) != a->top_end || a->top_end != r.end)
                problem(k, "check: top does not reach the region end at", c);
            if (csize(c) < MINSIZE) problem(k, "check: top too small at", c);
            if (prev_free) problem(k, "check: free chunk before the top at", c);
            if (!(c->size & IS_FREE)) problem(k, "check: top without F bit at", c);
            if (a->clean < (char *)c || a->clean > a->top_end) problem(k, "check: clean mark outside the top at", c);
            return;
        }
        if (is_fence(c)) return;
        size_t sz = csize(c);
        if (sz < MINSIZE || (sz & 15) || (char *)c + sz + HDR > r.end) {
            problem(k, "check: bad chunk size at", c);
            return;
        }
        bool is_free = !(next_chunk(c)->size & PREV_INUSE);
        if (is_free != !!(c->size & IS_FREE)) problem(k, "check: F bit disagrees with next chunk's P bit at", c);
        if (is_free) {
            k->free_seen++;
            if (prev_free) problem(k, "check: two free chunks side by side at", c);
            if (next_chunk(c)->prev_size != sz) problem(k, "check: footer differs from size at", c);
        } else {
            k->used_seen += sz;
        }
        prev_free = is_free;
    }
}

/* Every bin: links both ways, members free and of the bin's sizes, large
 * bins sorted, the bitmap right. Returns the number of chunks in bins. */
static size_t check_bins(struct arena *a, struct check_ctx *k)
{
    size_t n = 0;
    for (unsigned i = 0; i < NBINS; i++) {
        struct chunk *head = &a->bins[i];
        size_t prev = 0, len = 0;
        for (struct chunk *c = head->fd; c != head; c = c->fd, len++) {
            if (c->fd->bk != c || c->bk->fd != c) {
                problem(k, "check: broken bin links at", c);
                break;
            }
            if (next_chunk(c)->size & PREV_INUSE) problem(k, "check: chunk in a bin is in use at", c);
            if (i != 0 && bin_index(csize(c)) != i) problem(k, "check: chunk in the wrong bin at", c);
            if (i >= NSMALLBINS && csize(c) < prev) problem(k, "check: large bin out of order at", c);
            prev = csize(c);
        }
        bool marked = (a->binmap[i / 64] >> (i % 64)) & 1;
        if (i != 0 && marked != (len != 0)) problem(k, "check: bin map wrong for bin", (void *)(uintptr_t)i);
        n += len;
    }
    return n;
}

/* The first entry that list `head` meets twice, or NULL if it ends (or
 * would run on past the 65,536 entries check_tcache walked: the fast
 * pointer takes two a step). A block freed twice with its key
 * overwritten in between (a use after free) is pushed twice, and the
 * second push makes the list loop back to it: that entry is the block
 * freed twice. (Floyd's walk: no memory.) */
static const struct tc_entry *list_loop(const struct tc_entry *head)
{
    const struct tc_entry *slow = head, *fast = head;
    for (size_t steps = 0; fast && fast->next && steps < 32768; steps++) {
        slow = slow->next;
        fast = fast->next->next;
        if (slow == fast) {
            for (slow = head; slow != fast; slow = slow->next, fast = fast->next) {}
            return slow;
        }
    }
    return NULL;
}

/* The calling thread's cache: entries aligned, in use, in their class,
 * keyed, and as many as counted. */
static void check_tcache(struct check_ctx *k)
{
    struct tcache *tc = tc_self;
    if (!tc_real(tc)) return;
    for (size_t i = 0; i < TC_CLASSES; i++) {
        size_t n = 0;
        for (struct tc_entry *e = tc->head[i]; e && n <= 65535; e = e->next, n++) {
            bool ok;
            if (in_slab_area(e)) {
                ok = i >= TC_BINS && slab_check_block(e) == 0 && block_size(e) == tc_class_size(i);
            } else {
                struct chunk *c = mem2chunk(e);
                ok = i < TC_BINS && csize(c) == tc_class_size(i) && (next_chunk(c)->size & PREV_INUSE);
            }
            if (((uintptr_t)e & 15) || e->key != g.tcache_key || !ok) problem(k, "check: bad thread cache entry at", e);
        }
        const struct tc_entry *twice = n > tc_count(tc, i) ? list_loop(tc->head[i]) : NULL;
        if (twice)
            problem(k, "double free of", twice);
        else if (n != tc_count(tc, i) || tc_room(tc, i) < 0 || tc_room(tc, i) > (int)tc_limit(tc, i))
            problem(k, "check: thread cache count wrong for class", (void *)(uintptr_t)i);
    }
    const struct mcache *mc = tc->mc;
    if (!mc) return;
    size_t bytes = 0;
    for (size_t m = 0; m < MC_CLASSES; m++) {
        if (mc->count[m] > MC_BLOCKS) {
            problem(k, "check: medium cache count wrong for class", (void *)(uintptr_t)m);
            return;
        }
        for (size_t j = 0; j < mc->count[m]; j++) {
            struct tc_entry *e = mc->block[m][j];
            struct chunk *c = mem2chunk(e);
            if (((uintptr_t)e & 15) || csize(c) != (size_t)mc->size16[m][j] << 4 || !mc_size(csize(c)) ||
                mc_class(csize(c)) != m || e->key != g.tcache_key ||
                (c->size & IS_FREE) || !(next_chunk(c)->size & PREV_INUSE) || chunk_arena(c) != tc->arena) {
                problem(k, "check: bad medium cache entry at", e);
                return;
            }
            bytes += csize(c);
        }
    }
    if (bytes != mc->bytes) problem(k, "check: medium cache bytes miscounted", (void *)(uintptr_t)bytes);
}

/* a's quick lists: entries aligned, in use, in their class, keyed; runs
 * as long as counted, and as many bytes in all. pre: a->lock held. */
static void check_quick(struct arena *a, struct check_ctx *k)
{
    size_t bytes = 0;
    for (size_t i = 0; i < TC_BINS; i++)
        for (size_t r = 0; r < QUICK_RUNS; r++) {
            size_t n = 0;
            for (struct tc_entry *e = a->quick[i][r]; e && n <= a->quick_n[i][r]; e = e->next, n++) {
                struct chunk *c = mem2chunk(e);
                if (((uintptr_t)e & 15) || csize(c) != MINSIZE + 16 * i || e->key != g.tcache_key ||
                    (c->size & IS_FREE) || !(next_chunk(c)->size & PREV_INUSE)) {
                    problem(k, "check: bad quick list entry at", e);
                    break;
                }
                bytes += csize(c);
            }
            if (n != a->quick_n[i][r]) problem(k, "check: quick run miscounted at", a->quick[i][r]);
        }
    if (bytes != a->quick_bytes) problem(k, "check: quick list bytes miscounted, arena", (void *)(uintptr_t)a->index);
}

/* A slab page: its class where the free path reads it; every free slot
 * holds the key, and so does the end past the last whole slot; the free
 * count agrees; in-use slots count toward the arena's bytes in use.
 * pre: a->lock held. */
static void check_slab_page(struct arena *a, struct slab_page *pg, void *arg)
{
    struct check_ctx *k = arg;
    size_t nb = slab_slot_size(pg), nfree = 0;
    if (pg->cls >= SLAB_CLASSES || nb != slab_size(pg->cls) || pg->nslots != SLAB_PAGE / nb || slab_page_class(pg->base) != (size_t)TC_BINS + pg->cls) {
        problem(k, "check: bad slab page at", pg->base);
        return;
    }
    for (size_t s = 0; s < pg->nslots; s++) {
        const struct tc_entry *e = (const struct tc_entry *)(pg->base + s * nb);
        bool is_free = (pg->freemap[s / 64] >> (s % 64)) & 1;
        if (is_free && s / 64 < pg->first) problem(k, "check: slab page's first free word wrong at", pg->base);
        if (is_free && e->key != g.tcache_key) problem(k, "check: free slab slot without the key at", e);
        nfree += is_free;
    }
    const struct tc_entry *end = (const struct tc_entry *)(pg->base + pg->nslots * nb);
    if ((const char *)end < pg->base + SLAB_PAGE && end->key != g.tcache_key)
        problem(k, "check: slab page's end without the key at", end);
    if (nfree != pg->nfree) problem(k, "check: slab page's free slots miscounted at", pg->base);
    k->used_seen += (pg->nslots - nfree) * nb;
    if (slab_listed(pg) != (nfree != 0)) problem(k, "check: slab page listed wrongly at", pg->base);
    struct slab_page *low = a->partial[pg->cls];
    if (nfree && (!low || low->base > pg->base)) problem(k, "check: slab page below the lowest listed at", pg->base);
}

static bool check_mmapped(const struct tide_chunk_info *info, void *arg)
{
    const struct chunk *c = info->chunk;
    size_t len = c->prev_size + csize(c);
    if (!(c->size & MMAPPED) || (len & (g.page - 1)) || (((uintptr_t)c - c->prev_size) & (g.page - 1)))
        problem(arg, "check: bad mmapped block at", info->mem);
    return true;
}

TIDE_API size_t tide_check(void)
{
    if (!atomic_load(&g.ready)) return 0;
    struct check_ctx k = {0, 0, 0};
    for (size_t i = 0; i < atomic_load(&g.narenas); i++) {
        struct arena *a = g.arenas[i];
        lock_take(&a->lock);
        k.free_seen = k.used_seen = 0;
        for_each_region(a, check_region, &k);
        for_each_slab_page(a, check_slab_page, &k);
        size_t binned = check_bins(a, &k);
        if (binned != k.free_seen) problem(&k, "check: free chunks not all in bins, arena", (void *)i);
        /* The purge budget rests on this count (cached and remote blocks
         * are in use for the heap). */
        if (k.used_seen != a->in_use) problem(&k, "check: bytes in use miscounted, arena", (void *)i);
        check_quick(a, &k);
        lock_drop(&a->lock);
    }
    check_tcache(&k);
    mmap_walk(0, check_mmapped, &k);
    return k.problems;
}
