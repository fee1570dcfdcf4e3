/*
 * allocator/slab.c - small blocks from pages of one size each (default
 * profile; the layout is drawn in internal.h). Why: a heap of boundary-tag
 * chunks, like a thread cache, gives back first what was freed last, so
 * after a program frees its objects in random order the next ones it
 * makes are scattered, and every walk over them misses the cache. Here the
 * next blocks are always the lowest free slots of the lowest page of their
 * size, so objects made one after another lie side by side.
 * pre (all but slab_init, slab_page_of, slab_check_block): a->lock held.
 */
#include "internal.h"

/* Empty pages an arena keeps resident for reuse before purging them all:
 * a quarter of its bytes in use, or what it has in use below its recent
 * peak (recent_peak, as free_budget) if that is more, at least
 * 128 KiB and at most 64 MiB. free_page reuses them first, so they do not
 * add to the peak; a program that has freed nearly all it had keeps
 * nearly none (arena_release_if_emptied); purging them all at once, not
 * one at a time past the line, keeps the calls few (see
 * default-budget-counts-freed-bytes in tests/unit/test_mallopt.c). The
 * dip below the peak is what a live set that swings down and up again
 * needs back: with a quarter of the bytes in use (and 16 MiB at most),
 * python3 purged 82 MiB in 5,843 calls and faulted them back, 23,900
 * page faults a run against mimalloc's 10,200 (scale 0.4); now 202 calls
 * and 12,900 faults, the same peak. The
 * least is a page for each of the 24 classes: a thread that used each
 * class a little and exits empties that many, and with 64 KiB every such
 * exit purged them and the next thread on the arena faulted them back
 * (20,000 threads of 100 blocks each: 1.35 s against 0.54, glibc 0.47).
 * After a free-everything (arena_release_if_emptied) and until the arena
 * takes a page that is not resident, the least is 64 KiB again: the last
 * blocks of frag's free-everything emptied 128 KiB of pages after the
 * purge, 10% of what the program held at its start. */
#define SLAB_DIRTY_MAX ((size_t)64 << 20)
#define SLAB_DIRTY_MIN ((size_t)SLAB_CLASSES * SLAB_PAGE)
#define SLAB_DIRTY_LEAN ((size_t)64 << 10)
/* Below this many bytes in use, an arena keeps no empty page for a class
 * (see slab_free). */
#define SLAB_KEEP_FROM ((size_t)1 << 20)

static void slab_reserve(void);

_Static_assert(sizeof(struct slab_seg) <= SLAB_PAGE, "a slab segment's header fits its page 0");
_Static_assert(sizeof(struct slab_page) == 128, "the descriptors of a busy word fill 8 KiB (purge_tables)");
_Static_assert(SLAB_WORDS * 64 >= SLAB_PAGE / 16, "a bit for each slot of the smallest class");

/* Reserves the slab area: as many segments as the OS gives at once, up
 * to 16. Without one, small blocks come from the chunk heap. Runs once,
 * at the first small block that misses the cache (not at start-up: a
 * program that allocates nothing maps nothing). pre: no lock held. */
void slab_init(void)
{
    lock_take(&g.init_lock);
    if (!g.slab_tried) slab_reserve();
    __atomic_store_n(&g.slab_tried, true, __ATOMIC_RELEASE);
    if (!g.slab_span) classes_build(); /* no area: the heap's classes */
    lock_drop(&g.init_lock);
}

static void slab_reserve(void)
{
    if (!segmap_init()) return;
    for (size_t n = 16; n; n /= 4) {
        if (n * g.seg_size > SLAB_AREA_MAX) continue; /* page_class's reach */
        char *area = os_mmap_aligned(n * g.seg_size, g.seg_size);
        if (!area) continue;
        g.slab_lo = (uintptr_t)area;
        __atomic_store_n(&g.slab_span, n * g.seg_size, __ATOMIC_RELEASE);
        return;
    }
}

/* The descriptor of the page p lies in (p in a claimed slab segment). */
static struct slab_page *page_of(const void *p)
{
    struct slab_seg *s = (struct slab_seg *)segment_of(p);
    return &s->table[((uintptr_t)p - (uintptr_t)s) >> SLAB_SHIFT];
}

/* The same for any address: NULL unless p lies in a page in use. */
static struct slab_page *slab_page_of(const void *p)
{
    if (!in_slab_area(p)) return NULL;
    struct slab_seg *s = (struct slab_seg *)segment_of(p);
    if (s->seg.magic != SEG_MAGIC || !s->table || (uintptr_t)p - (uintptr_t)s >= s->npages * SLAB_PAGE) return NULL;
    struct slab_page *pg = page_of(p);
    return pg->size16 ? pg : NULL;
}

/* Slot number of mem in pg, or SIZE_MAX if mem is not a slot's start. */
static size_t slot_of(const struct slab_page *pg, const void *mem)
{
    size_t off = (size_t)((const char *)mem - pg->base);
    size_t k = (size_t)(((uint64_t)off * pg->recip) >> 32);
    return k * slab_slot_size(pg) == off && k < pg->nslots ? k : SIZE_MAX;
}

int slab_check_block(const void *mem)
{
    if (!in_slab_area(mem)) return 1;
    struct slab_page *pg = slab_page_of(mem);
    /* a page no longer in use: its slots that were freed still hold the
     * key, unless the page went back to the OS (then it reads as zero) */
    if (!pg) return ((const struct tc_entry *)mem)->key == g.tcache_key ? 2 : 1;
    size_t k = slot_of(pg, mem);
    if (k == SIZE_MAX) return 1;
    return (__atomic_load_n(&pg->freemap[k / 64], __ATOMIC_RELAXED) >> (k % 64)) & 1 ? 2 : 0;
}

/* ---- the class lists ---------------------------------------------------- */

/* Which pages of a class have a free slot: a bit per page in its
 * segment's map for the class, and the arena's lowest such page (the
 * next slots come from it). Insertion and removal touch one bit; only
 * the removal of the lowest page looks for the next one, upward. */
static size_t page_index(const struct slab_seg *s, const struct slab_page *pg)
{
    return (size_t)(pg - s->table);
}

static void partial_insert(struct arena *a, size_t i, struct slab_page *pg)
{
    struct slab_seg *s = (struct slab_seg *)segment_of(pg->base);
    size_t k = page_index(s, pg);
    s->avail[i][k / 64] |= (uint64_t)1 << (k % 64);
    s->avail_words[i][k / 4096] |= (uint64_t)1 << (k / 64 % 64);
    if (!a->partial[i] || pg->base < a->partial[i]->base) a->partial[i] = pg;
}

/* The lowest page of class i with a free slot at or above page k of s:
 * in k's own word of the map, then in the next word the summary
 * (avail_words: which words have a bit) names. */
static struct slab_page *partial_from(struct slab_seg *s, size_t i, size_t k)
{
    for (; s; s = s->next, k = 0) {
        size_t w = k / 64;
        if (w >= s->npages / 64) continue;
        uint64_t m = s->avail[i][w] & (~(uint64_t)0 << (k % 64));
        if (m) return &s->table[w * 64 + (size_t)__builtin_ctzll(m)];
        for (size_t v = (w + 1) / 64; v < SLAB_PAGES_MAX / 4096; v++) {
            uint64_t words = s->avail_words[i][v];
            if (v == (w + 1) / 64) words &= (w + 1) % 64 ? ~(uint64_t)0 << ((w + 1) % 64) : ~(uint64_t)0;
            if (!words) continue;
            size_t x = v * 64 + (size_t)__builtin_ctzll(words);
            return &s->table[x * 64 + (size_t)__builtin_ctzll(s->avail[i][x])];
        }
    }
    return NULL;
}

static void partial_unlink(struct arena *a, size_t i, struct slab_page *pg)
{
    struct slab_seg *s = (struct slab_seg *)segment_of(pg->base);
    size_t k = page_index(s, pg);
    s->avail[i][k / 64] &= ~((uint64_t)1 << (k % 64));
    if (!s->avail[i][k / 64]) s->avail_words[i][k / 4096] &= ~((uint64_t)1 << (k / 64 % 64));
    if (a->partial[i] == pg) a->partial[i] = partial_from(s, i, k + 1);
}

bool slab_listed(const struct slab_page *pg)
{
    const struct slab_seg *s = (const struct slab_seg *)segment_of(pg->base);
    size_t k = page_index(s, pg), i = pg->cls;
    bool bit = (s->avail[i][k / 64] >> (k % 64)) & 1;
    bool word = (s->avail_words[i][k / 4096] >> (k / 64 % 64)) & 1;
    return bit && word; /* a bit the summary does not name is lost */
}

/* ---- pages -------------------------------------------------------------- */

/* Hands the next unclaimed segment of the area to a. NULL: none left. */
static struct slab_seg *claim_segment(struct arena *a)
{
    size_t n = atomic_fetch_add_explicit(&g.slab_claimed, 1, memory_order_relaxed);
    if (n >= g.slab_span / g.seg_size) return NULL;
    size_t npages = g.seg_size >> SLAB_SHIFT;
    if (npages > SLAB_PAGES_MAX) npages = SLAB_PAGES_MAX;
    size_t table_bytes = align_up(npages * sizeof(struct slab_page), 64);
    char *table = os_mmap_zeroed(align_up(table_bytes + sizeof(uint64_t) * SLAB_CLASSES * SLAB_PAGES_MAX / 64, g.page));
    if (!table) return NULL;
    struct slab_seg *s = (struct slab_seg *)(g.slab_lo + n * g.seg_size);
    __builtin_memset(s, 0, sizeof *s); /* fresh memory may be dirty */
    s->seg.arena = a;
    s->seg.size = g.seg_size;
    s->table = (struct slab_page *)table;
    s->avail = (uint64_t (*)[SLAB_PAGES_MAX / 64])(table + table_bytes);
    s->npages = npages;
    s->busy[0] = 1; /* page 0 holds this header */
    s->seg.magic = SEG_MAGIC;
    segmap_add((uintptr_t)s);
    stats_heap((intptr_t)g.seg_size); /* as grow_segment counts its own */
    struct slab_seg **link = &a->slabs;
    while (*link && *link < s) link = &(*link)->next;
    s->next = *link;
    *link = s;
    return s;
}

/* Takes page k of s for a class. */
static struct slab_page *use_page(struct arena *a, struct slab_seg *s, size_t k)
{
    uint64_t bit = (uint64_t)1 << (k % 64);
    s->busy[k / 64] |= bit;
    s->table_clean[k / 4096] &= ~((uint64_t)1 << (k / 64 % 64));
    if (s->dirty[k / 64] & bit) {
        s->dirty[k / 64] &= ~bit;
        a->slab_dirty -= SLAB_PAGE;
    } else {
        a->slab_bytes += SLAB_PAGE;
        a->slab_lean = false; /* growing again */
    }
    struct slab_page *pg = &s->table[k];
    pg->base = (char *)s + k * SLAB_PAGE;
    return pg;
}

/* A page of a's slab segments not in use: the lowest still resident if
 * any, else the lowest; NULL if none is left. */
static struct slab_page *free_page(struct arena *a)
{
    for (struct slab_seg *s = a->slabs; a->slab_dirty && s; s = s->next)
        for (size_t w = 0; w < s->npages / 64; w++)
            if (s->dirty[w]) return use_page(a, s, w * 64 + (size_t)__builtin_ctzll(s->dirty[w]));
    for (struct slab_seg *s = a->slabs;; s = s->next) {
        if (!s && !(s = claim_segment(a))) return NULL;
        for (size_t w = 0; w < s->npages / 64; w++)
            if (s->busy[w] != ~(uint64_t)0) return use_page(a, s, w * 64 + (size_t)__builtin_ctzll(~s->busy[w]));
    }
}

/* Sets the page_class byte of the page at base to v. Written only when
 * it changes: other threads read these bytes on every free of a slot,
 * and a write takes the line from their caches (prodcons: the consumer
 * frees while the producer's pages empty and fill again). So a page out
 * of use keeps its class until it is given another or purged: each of
 * its slots holds the key (slab_free), which sends a stale free of one to
 * the slow path. A purged page reads as zero, key included: its byte is
 * cleared first. */
static void set_class_byte(const char *base, size_t v)
{
    uint8_t *b = &g.page_class[((uintptr_t)base - g.slab_lo) >> SLAB_SHIFT];
    if (*b != v) __atomic_store_n(b, (uint8_t)v, __ATOMIC_RELAXED);
}

/* A new page for slab class j, every slot free (and keyed, as is the end
 * past the last whole slot: see internal.h), in the list. */
static struct slab_page *page_new(struct arena *a, size_t j)
{
    struct slab_page *pg = free_page(a);
    if (!pg) return NULL;
    size_t nb = slab_size(j);
    pg->size16 = (uint16_t)(nb >> 4);
    pg->cls = (uint8_t)j;
    pg->recip = (uint32_t)((((uint64_t)1 << 32) + nb - 1) / nb);
    pg->nslots = pg->nfree = (uint16_t)(SLAB_PAGE / nb);
    pg->first = 0;
    for (size_t w = 0; w < SLAB_WORDS; w++) {
        size_t from = w * 64;
        pg->freemap[w] = from >= pg->nslots ? 0
                         : pg->nslots - from >= 64 ? ~(uint64_t)0
                                                   : ((uint64_t)1 << (pg->nslots - from)) - 1;
    }
    for (size_t off = 0; off + 16 <= SLAB_PAGE; off += nb)
        ((struct tc_entry *)(pg->base + off))->key = g.tcache_key;
    set_class_byte(pg->base, TC_BINS + j);
    partial_insert(a, j, pg);
    return pg;
}

/* pg has no slot in use: back to its segment's free pages, resident
 * until the arena keeps too many such (then purged). */
static void page_release(struct arena *a, size_t j, struct slab_page *pg)
{
    partial_unlink(a, j, pg);
    pg->size16 = 0;
    struct slab_seg *s = (struct slab_seg *)segment_of(pg->base);
    size_t k = page_index(s, pg);
    s->busy[k / 64] &= ~((uint64_t)1 << (k % 64));
    s->dirty[k / 64] |= (uint64_t)1 << (k % 64);
    a->slab_dirty += SLAB_PAGE;
    size_t budget = a->in_use / 4, dip = recent_peak(a) - a->in_use;
    dip += dip / 8; /* pages hold a little more than their slots' bytes */
    if (budget < dip) budget = dip;
    if (budget > SLAB_DIRTY_MAX) budget = SLAB_DIRTY_MAX;
    size_t least = a->slab_lean ? SLAB_DIRTY_LEAN : SLAB_DIRTY_MIN;
    if (budget < least) budget = least;
    if (a->slab_dirty > budget) slab_purge(a, false);
}

/* The table pages that describe only pages out of use go back too (they
 * read as zero again: "not in use"). Only where OS pages hold the
 * descriptors of whole busy-map words: `words` words at a time. */
static void purge_tables(struct arena *a)
{
    size_t per_word = 64 * sizeof(struct slab_page);
    size_t words = per_word >= g.page ? 1 : g.page / per_word;
    if ((words * per_word) % g.page) return;
    for (struct slab_seg *s = a->slabs; s; s = s->next)
        for (size_t w = 0; w + words <= s->npages / 64; w += words) {
            bool busy = false, touched = false;
            for (size_t j = w; j < w + words; j++) {
                busy |= s->busy[j] != 0;
                touched |= !((s->table_clean[j / 64] >> (j % 64)) & 1);
            }
            if (busy || !touched) continue;
            os_purge(&s->table[w * 64], words * per_word);
            for (size_t j = w; j < w + words; j++) s->table_clean[j / 64] |= (uint64_t)1 << (j % 64);
        }
}

static void release_if_empty(struct arena *a, struct slab_page *pg, void *arg)
{
    (void)arg;
    if (pg->nfree == pg->nslots) page_release(a, pg->cls, pg);
}

/* Gives back the pages of a's free slab pages; all: also the empty page
 * each class keeps (see slab_free). */
void slab_purge(struct arena *a, bool all)
{
    if (all)
        for_each_slab_page(a, release_if_empty, NULL);
    if (!g.caps.purge) return;
    if (all) purge_tables(a);
    /* Runs of dirty pages, one call each; with OS pages bigger than slab
     * pages, only the OS pages a run covers whole (the rest stay dirty). */
    size_t per = g.page > SLAB_PAGE ? g.page / SLAB_PAGE : 1;
    for (struct slab_seg *s = a->slabs; s; s = s->next)
        for (size_t k = 0; k < s->npages;) {
            if (!(s->dirty[k / 64] >> (k % 64))) { /* nothing more in this word */
                k = (k / 64 + 1) * 64;
                continue;
            }
            size_t end = k;
            while (end < s->npages && ((s->dirty[end / 64] >> (end % 64)) & 1)) end++;
            size_t lo = align_up(k, per), hi = align_down(end, per);
            for (size_t j = lo; j < hi; j++) s->dirty[j / 64] &= ~((uint64_t)1 << (j % 64));
            if (hi > lo) {
                for (size_t j = lo; j < hi; j++) set_class_byte((char *)s + j * SLAB_PAGE, 0);
                os_purge((char *)s + lo * SLAB_PAGE, (hi - lo) * SLAB_PAGE);
                a->slab_dirty -= (hi - lo) * SLAB_PAGE;
                a->slab_bytes -= (hi - lo) * SLAB_PAGE;
            }
            k = end > k ? end : k + 1;
        }
}

/* ---- slots -------------------------------------------------------------- */

/* A list of blocks in address order, built by appending. */
struct run { struct tc_entry *first, *last; size_t n; };

/* Takes up to `want` free slots of slab class j, lowest first, into r (a
 * new run), each marked with key. Returns how many it took. The list is
 * built behind a stand-in head in locals: with r's fields updated at each
 * slot (they might alias the key's store), the loop took 19 instructions
 * a slot, now 15. */
static size_t take_slots(struct arena *a, size_t j, size_t want, struct run *r, uintptr_t key)
{
    size_t nb = slab_size(j), n = 0;
    struct tc_entry head, *last = &head;
    while (n < want) {
        struct slab_page *pg = a->partial[j];
        if (!pg && !(pg = page_new(a, j))) break;
        size_t w = pg->first, got = n;
        for (; w < SLAB_WORDS && n < want; w++) {
            uint64_t m = pg->freemap[w];
            char *base = pg->base + w * 64 * nb;
            for (; m && n < want; m &= m - 1, n++) {
                struct tc_entry *e = (struct tc_entry *)(base + (size_t)__builtin_ctzll(m) * nb);
                e->key = key;
                last->next = e;
                last = e;
            }
            pg->freemap[w] = m;
            if (m) break;
        }
        got = n - got;
        if (UNLIKELY(!got)) tide_panic("slab page bitmap corrupted at", pg->base);
        pg->first = (uint16_t)w;
        pg->nfree = (uint16_t)(pg->nfree - got);
        if (!pg->nfree) partial_unlink(a, j, pg);
    }
    last->next = NULL;
    r->first = n ? head.next : NULL;
    r->last = n ? last : NULL;
    r->n = n;
    note_in_use(a, n * nb);
    return n;
}

/* One block of slab class j for a thread without room in its cache. */
void *slab_take_one(struct arena *a, size_t j)
{
    struct run r = { NULL, NULL, 0 };
    return take_slots(a, j, 1, &r, 0) ? r.first : NULL;
}

/* Fills tc's class for slab class j from the slabs after a miss; as
 * tcache_refill, a class that keeps missing gets more each time, here up
 * to 16 KiB of blocks (no more than its room): slots cost less to take
 * than a split, and a long run of them in address order is what the pages
 * are for. (Against runs of up to 4 KiB: python3's peak 50.5 against
 * 50.7-50.8 MB in two comparisons of 7 and 9 interleaved runs, the same
 * time; within the noise of other runs.) The run goes on the front of the
 * class in address order, so the lowest slot is handed out first. False
 * if nothing was taken (no room in the class, or no page left). */
bool slab_refill(struct arena *a, struct tcache *tc, size_t j)
{
    size_t i = TC_BINS + j;
    struct run r = { NULL, NULL, 0 };
    if (!take_slots(a, j, tcache_refill_count(tc, i, (size_t)16 << 10), &r, g.tcache_key)) return tc->head[i] != NULL;
    r.last->next = tc->head[i];
    tc->head[i] = r.first;
    tc->quota[i] -= (uint32_t)r.n * TC_ROOM_ONE;
    return true;
}

/* Gives slot mem back to its page pg, marked with the key (see
 * internal.h). Stops the process on a pointer that is not a slot in use
 * (a double free caught late, or a forged pointer).
 * A page left with no slot in use goes back, unless it is the lowest
 * page of its class with free slots (the next one to serve) in an arena
 * that still holds a fair amount: a program that takes and gives back
 * blocks of one size over and over must not get a fresh page each time,
 * but one that has freed (nearly) everything keeps no page.
 * *in_use is a's count of bytes in use, which the caller may keep in a
 * local over a loop (stored back before any call that reads it). */
__attribute__((always_inline)) static inline void slot_free(struct arena *a, struct slab_page *pg, void *mem,
                                                            uintptr_t key, size_t *in_use)
{
    size_t k = pg->size16 ? slot_of(pg, mem) : SIZE_MAX;
    if (UNLIKELY(k == SIZE_MAX)) tide_panic("free(): invalid pointer", mem);
    uint64_t bit = (uint64_t)1 << (k % 64);
    if (UNLIKELY(pg->freemap[k / 64] & bit)) tide_panic("double free of", mem);
    size_t nb = slab_slot_size(pg), j = pg->cls;
    pg->freemap[k / 64] |= bit;
    ((struct tc_entry *)mem)->key = key;
    if (k / 64 < pg->first) pg->first = (uint16_t)(k / 64);
    *in_use -= *in_use < nb ? *in_use : nb;
    if (++pg->nfree == 1) {
        partial_insert(a, j, pg);
    } else if (UNLIKELY(pg->nfree == pg->nslots)) {
        if (a->partial[j] != pg || *in_use < SLAB_KEEP_FROM) {
            a->in_use = *in_use;
            page_release(a, j, pg);
        }
    }
}

void slab_free(struct arena *a, void *mem)
{
    /* mem is in the slab area (the caller checked); a segment not yet
     * claimed has no table. */
    struct slab_seg *s = (struct slab_seg *)segment_of(mem);
    if (UNLIKELY(!s->table)) tide_panic("free(): invalid pointer", mem);
    slot_free(a, page_of(mem), mem, g.tcache_key, &a->in_use);
}

/* Frees the slots at the front of list e that lie in page pg (the first
 * one does), as slot_free would one by one, and returns the rest of the
 * list. Within the page only what each slot needs is done per slot (its
 * number, the double-free test, its bit, its key); the page's counts, its
 * class list and its release are settled once, after the last one:
 * lists given back from a cache run through a page at a time (perl: 3.3
 * of every 4.3 slots follow one of their own page). A page can leave the
 * run only at its last slot: the page is then all free, and any later
 * slot of it would be a double free, caught by its bit. */
__attribute__((always_inline)) static inline struct tc_entry *page_free_run(struct arena *a, struct slab_page *pg,
                                                                        struct tc_entry *e, uintptr_t key,
                                                                        size_t *in_use)
{
    uintptr_t page = (uintptr_t)e & ~(uintptr_t)(SLAB_PAGE - 1);
    const char *base = pg->base;
    size_t nb = slab_slot_size(pg), nslots = pg->nslots, first = pg->first, n = 0;
    uint64_t recip = pg->recip;
    do {
        struct tc_entry *next = e->next;
        __builtin_prefetch(next, 1); /* harmless on NULL */
        /* offset * recip: the slot number in the high half, and a low
         * half below recip exactly when the offset is a multiple of the
         * slot size. recip is 2^32 / size rounded up, so size * recip is
         * 2^32 plus less than size: slot k leaves under k * 256 < 2^17 in
         * the low half, any other offset adds at least recip >= 2^24.
         * (slot_of checks the same with a second product.) */
        uint64_t x = (uint64_t)((const char *)e - base) * recip;
        size_t k = (size_t)(x >> 32);
        if (UNLIKELY((uint32_t)x >= recip || k >= nslots)) tide_panic("free(): invalid pointer", e);
        uint64_t bit = (uint64_t)1 << (k % 64), word = pg->freemap[k / 64];
        if (UNLIKELY(word & bit)) tide_panic("double free of", e);
        pg->freemap[k / 64] = word | bit;
        e->key = key;
        if (k / 64 < first) first = k / 64;
        n++;
        e = next;
    } while ((uintptr_t)e - page < SLAB_PAGE); /* NULL too leaves */
    size_t j = pg->cls, was = pg->nfree, bytes = n * nb;
    pg->first = (uint16_t)first;
    pg->nfree = (uint16_t)(was + n);
    *in_use -= *in_use < bytes ? *in_use : bytes;
    if (!was) partial_insert(a, j, pg);
    if (UNLIKELY(was + n == nslots) && (a->partial[j] != pg || *in_use < SLAB_KEEP_FROM)) {
        a->in_use = *in_use;
        page_release(a, j, pg);
    }
    return e;
}

/* slab_free for each slot of list e (cached blocks, in the slab area)
 * whose page is a's, a page at a time: a class that overflows its cache
 * sends half of it here, and a program that frees a long run of one size
 * (perl freeing a big hash) sends nearly every block: 1.29 M of its 1.71 M
 * frees. Through release_list and a call each, a slot cost 105
 * instructions; slot by slot in one loop, 58; a page at a time, 42.
 * Returns the slots of other arenas, as a list. */
struct tc_entry *slab_free_run(struct arena *a, struct tc_entry *e)
{
    struct tc_entry *others = NULL;
    uintptr_t seg_mask = ~(g.seg_size - 1), key = g.tcache_key;
    size_t in_use = a->in_use;
    while (e) {
        struct slab_seg *s = (struct slab_seg *)((uintptr_t)e & seg_mask);
        if (UNLIKELY(s->seg.arena != a)) {
            struct tc_entry *next = e->next;
            e->next = others;
            others = e;
            e = next;
            continue;
        }
        struct slab_page *pg = &s->table[((uintptr_t)e - (uintptr_t)s) >> SLAB_SHIFT];
        if (UNLIKELY(!pg->size16)) tide_panic("free(): invalid pointer", e);
        e = page_free_run(a, pg, e, key, &in_use);
    }
    a->in_use = in_use;
    return others;
}

/* Calls fn for each page in use of a's slab segments, by address (fn may
 * release the page it is given). */
void for_each_slab_page(struct arena *a, void (*fn)(struct arena *, struct slab_page *, void *), void *arg)
{
    for (struct slab_seg *s = a->slabs; s; s = s->next)
        for (size_t w = 0; w < s->npages / 64; w++)
            for (uint64_t m = s->busy[w] & (w ? ~(uint64_t)0 : ~(uint64_t)1); m; m &= m - 1)
                fn(a, &s->table[w * 64 + (size_t)__builtin_ctzll(m)], arg);
}
