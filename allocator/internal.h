/*
 * allocator/internal.h - what the core's files share: the chunk layout, the
 * arena, the thread cache, the knobs and the global state.
 * Nothing outside allocator/ includes this; the public API is tide.h and
 * the platform contract is sys.h.
 */
#ifndef TIDE_INTERNAL_H
#define TIDE_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys.h"
#include "tide.h"

#define TIDE_API __attribute__((visibility("default")))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define COLD __attribute__((cold, noinline))

/* TIDE_DEBUG (set by the build, DEBUG=0/1/2): 0 keeps only the cheap checks
 * of the free path; 1 adds assertions; 2 also runs tide_check() after every
 * public call (slow: for hunting a corruption). */
#ifndef TIDE_DEBUG
#define TIDE_DEBUG 0
#endif
#define DASSERT(cond) \
    do { if (TIDE_DEBUG >= 1 && !(cond)) tide_panic("assertion failed: " #cond, 0); } while (0)
/* DEBUG=2: the whole heap checked after a public call's slow path. */
#define DEBUG_CHECK() \
    do { if (TIDE_DEBUG >= 2 && tide_check()) tide_panic("heap check failed", 0); } while (0)

/* Thread-local storage. A port without TLS builds with -DTIDE_THREAD_LOCAL=
 * (empty): the "per-thread" cache is then one global, right for a
 * single-threaded OS. */
#ifndef TIDE_THREAD_LOCAL
#define TIDE_THREAD_LOCAL _Thread_local
#endif

/* ------------------------------------------------------------------------
 * Chunks
 *
 * Every block handed out is a chunk, but the slots of slab pages (see
 * Slabs below), which have no header. Sizes are multiples of 16 and at
 * least 32; the low 4 bits of the size field are flags.
 *
 *   chunk --> +-----------------------------------------+
 *             | prev_size: size of the previous chunk,  |  valid only when
 *             |   when that chunk is free (its footer)  |  P == 0
 *             +-----------------------------------------+
 *             | size of this chunk            | F|S|M|P |
 *   mem ----> +-----------------------------------------+  <- malloc's pointer
 *             | in use: user data, size - 8 bytes: it   |     (16-aligned)
 *             |   runs into the next chunk's prev_size  |
 *             | free:   fd, bk (bin links), and for the |
 *             |   large bins nothing more (kept sorted) |
 *   next ---> +-----------------------------------------+
 *             | prev_size = size (free) / user data     |
 *             | next's size                   | F|S|M|P |  P: is "chunk" in use
 *             +-----------------------------------------+
 *
 *   P (PREV_INUSE) the chunk before this one is in use (or does not exist).
 *   M (MMAPPED)    the chunk is a mapping of its own; prev_size holds the
 *                  distance from the mapping's start (memalign padding).
 *   S (SEGMENT)    the chunk lives in an mmap segment, whose header (at the
 *                  address rounded down to the segment size) names its arena;
 *                  without S it lives in the main arena's brk heap.
 *   F (IS_FREE)    the chunk is free: in a bin, or the top. A chunk merged
 *                  into a free neighbour keeps F in its old header, so a
 *                  second free of it is caught by its own header (the fast
 *                  path's size test refuses F) without reading another
 *                  chunk. Cleared on every chunk handed out.
 *
 * Invariants (tide_check verifies them): no two free chunks are neighbours;
 * no free chunk touches the top; a free chunk's footer equals its size; the
 * next chunk's P bit says whether a chunk is in use; chunks in a thread
 * cache count as in use. Each region ends in the top chunk or in a fence:
 * a 16-byte header of size 0 that is always "in use".
 * ------------------------------------------------------------------------ */
struct chunk {
    size_t prev_size;
    size_t size;
    struct chunk *fd; /* free chunks only */
    struct chunk *bk;
    /* free chunks of large-bin sizes only: in a large bin, the first chunk
     * of each size is a "leader", linked with the other leaders of its bin
     * in a ring by size, so an insertion skips whole runs of equal sizes.
     * NULL in every other chunk (and in the unsorted bin). */
    struct chunk *fd_size;
    struct chunk *bk_size;
};

#define PREV_INUSE ((size_t)1)
#define MMAPPED ((size_t)2)
#define SEGMENT ((size_t)4)
#define IS_FREE ((size_t)8)
#define FLAGS ((size_t)15)
#define HDR 16              /* from chunk to mem */
#define MINSIZE ((size_t)32)
#define ALIGNMENT 16
/* Requests above this are refused before any arithmetic can overflow. */
#define MAX_REQUEST ((size_t)PTRDIFF_MAX - (size_t)(64u << 20))

static inline struct chunk *mem2chunk(const void *mem) { return (struct chunk *)((char *)mem - HDR); }
static inline void *chunk2mem(const struct chunk *c) { return (char *)c + HDR; }
static inline size_t csize(const struct chunk *c) { return c->size & ~FLAGS; }
static inline struct chunk *chunk_at(const void *base, size_t off) { return (struct chunk *)((char *)base + off); }
static inline struct chunk *next_chunk(const struct chunk *c) { return chunk_at(c, csize(c)); }
static inline bool is_fence(const struct chunk *c) { return csize(c) == 0; }
/* A free chunk of at least two pages records, in the word after its links,
 * the purge pass during which it was freed, or EPOCH_PURGED once its whole
 * pages went back to the OS. */
static inline size_t *chunk_epoch(struct chunk *c) { return (size_t *)(c + 1); }
#define EPOCH_PURGED SIZE_MAX

/* The size field of a free chunk (in a bin, or the top): the chunk before
 * it is in use (no two free chunks touch), hence P; and F. */
static inline size_t free_size_field(size_t sz, size_t seg) { return sz | PREV_INUSE | seg | IS_FREE; }

/* Chunk size for a request: request + 8 rounded up to 16, at least 32.
 * pre: n <= MAX_REQUEST. */
/* The chunk size of a request too big to need MINSIZE (medium_malloc). */
static inline size_t request2size_big(size_t n) { return (n + 8 + 15) & ~(size_t)15; }
static inline size_t request2size(size_t n)
{
    size_t s = request2size_big(n);
    return s < MINSIZE ? MINSIZE : s;
}

static inline size_t align_up(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }
static inline size_t align_down(size_t v, size_t a) { return v & ~(a - 1); }

/* ------------------------------------------------------------------------
 * Bins: 0 is the unsorted bin (the recently-freed cache); 2..63 hold one
 * exact chunk size each (16 * index); 64..127 hold ranges, spaced more widely
 * as sizes grow, each kept sorted by size (smallest first: first fit = best
 * fit). A bitmap says which bins are non-empty.
 * ------------------------------------------------------------------------ */
#define NBINS 128
/* Thread cache classes (and quick lists): chunk sizes 32..1040, step 16. */
#define TC_BINS 64
/* The slab pages' classes (slab.c), slots with no header; slab class j
 * is thread cache class TC_BINS + j (slab_size):
 *   j = 0..15   small: 16, 32, ... 256 bytes, for requests up to 256;
 *   j = 16..23  big: 576, 640, ... 1024 bytes, for requests of 513-1024.
 * Requests of 257-512 bytes stay chunks of the heap, which merge: frag's
 * holes of such blocks are what its 1-8 KiB blocks reuse (as slots they
 * held 121.8 MiB against 102.3, glibc 106.2). */
#define SLAB_SMALL 16
#define SLAB_MAX_SLOT ((size_t)16 * SLAB_SMALL)
#define SLAB_BIG 8
#define SLAB_BIG_LO ((size_t)513)
#define SLAB_BIG_HI ((size_t)1024)
#define SLAB_CLASSES (SLAB_SMALL + SLAB_BIG)
#define TC_CLASSES (TC_BINS + SLAB_CLASSES)
/* How far ahead the owner's drain prefetches a remote list (see remote.c). */
#define SEND_AHEAD 8
/* Runs an arena keeps per class on its quick lists (see quick.c). */
#define QUICK_RUNS 4
#define NSMALLBINS 64
#define MIN_LARGE_SIZE ((size_t)NSMALLBINS * 16)

static inline bool in_smallbin_range(size_t sz) { return sz < MIN_LARGE_SIZE; }

static inline unsigned bin_index(size_t sz)
{
    if (in_smallbin_range(sz)) return (unsigned)(sz >> 4);
    if ((sz >> 6) <= 48) return 48 + (unsigned)(sz >> 6);
    if ((sz >> 9) <= 20) return 91 + (unsigned)(sz >> 9);
    if ((sz >> 12) <= 10) return 110 + (unsigned)(sz >> 12);
    if ((sz >> 15) <= 4) return 119 + (unsigned)(sz >> 15);
    if ((sz >> 18) <= 2) return 124 + (unsigned)(sz >> 18);
    return 127;
}

/* ------------------------------------------------------------------------
 * Locks: a test-and-set spinlock that yields to the OS when contended. The
 * thread caches keep the common path off every lock; each arena has its own.
 * ------------------------------------------------------------------------ */
struct lock { atomic_int held; };

void lock_wait(struct lock *l);
static inline void lock_take(struct lock *l)
{
    if (UNLIKELY(atomic_exchange_explicit(&l->held, 1, memory_order_acquire)))
        lock_wait(l);
}
static inline bool lock_try(struct lock *l)
{
    return !atomic_load_explicit(&l->held, memory_order_relaxed) &&
           !atomic_exchange_explicit(&l->held, 1, memory_order_acquire);
}
static inline void lock_drop(struct lock *l) { atomic_store_explicit(&l->held, 0, memory_order_release); }

/* ------------------------------------------------------------------------
 * Segments: mmap-backed heap regions of g.seg_size bytes, aligned to their
 * size, so a chunk's segment header is found by rounding its address down.
 *
 *   seg --> +----------------+---------+---------+-- ... --+-----+-------+
 *           | struct segment | chunk   | chunk   |         | top | or a  |
 *           | (arena, size)  | (P = 1) |         |         |     | fence |
 *           +----------------+---------+---------+-- ... --+-----+-------+
 * ------------------------------------------------------------------------ */
#define SEG_MAGIC 0x7469646573656731ull /* "tidesegl" */
struct segment {
    uint64_t magic;
    struct arena *arena;
    struct segment *next;  /* the arena's segments, newest first */
    size_t size;
};
#define SEG_HDR align_up(sizeof(struct segment), 16)

/* ------------------------------------------------------------------------
 * Arenas. Arena 0 ("main") grows with brk and falls back to segments when
 * brk fails; the others grow with segments. Threads are spread over arenas.
 * ------------------------------------------------------------------------ */
#define ARENA_LIMIT 64

struct arena {
    struct lock lock;
    int index;
    int threads;             /* threads attached to this arena */
    struct chunk *top;       /* the top chunk: the last resort */
    char *top_end;           /* end of the region holding the top */
    char *clean;             /* [clean, top_end) reads as zero, but for the
                                top's header; clean >= top always */
    struct chunk *last_carved; /* what the last arena_malloc took from the
                                  top (NULL: it came from a bin) ... */
    char *carved_clean;      /* ... and `clean` before it did */
    bool top_in_brk;         /* the top lives in the brk heap */
    struct segment *segs;
    struct chunk *last_remainder;
    uint64_t binmap[NBINS / 64];
    struct chunk bins[NBINS]; /* list heads (fd/bk used) */
    size_t system_bytes;     /* obtained from the OS for this arena */
    size_t in_use;           /* bytes of chunks handed out (cached included) */
    size_t dirty;            /* about how many free bytes in bins are resident */
    size_t epoch;            /* purge passes so far (see arena_purge) */
    size_t peak_now, peak_prev; /* most in use since the last budget check,
                                   and between the two before */
    size_t peak_held;        /* most in use since the last full release */
    /* Blocks other threads freed: pushed without the lock (one CAS), taken
     * back into the bins by whoever next holds the lock. They count as in
     * use until then. */
    _Atomic(struct tc_entry *) remote;
    atomic_size_t remote_bytes; /* about what the remote list holds */
    /* Runs of blocks thread caches gave back when a class overflowed:
     * still in use for the heap, unmerged (see quick.c). */
    struct tc_entry *quick[TC_BINS][QUICK_RUNS];
    uint16_t quick_n[TC_BINS][QUICK_RUNS]; /* blocks in each run (0: none) */
    size_t quick_bytes;
    /* Slab pages (slab.c): per cache class, the lowest page with a free
     * slot; the arena's slab segments, lowest first; and the bytes of its
     * pages that are in use or free but still resident. */
    struct slab_page *partial[SLAB_CLASSES];
    struct slab_seg *slabs;
    size_t slab_bytes, slab_dirty;
    bool slab_lean;          /* emptied (free-everything) and not grown
                                since: keeps fewer empty pages (slab.c) */
};

/* ------------------------------------------------------------------------
 * Thread cache: per size class (chunk sizes 32..1040, step 16, then the
 * slab slots of 16..256 bytes), a singly linked list of blocks that stay
 * "in use" for their heap. The malloc/free fast path is a pop/push here,
 * with no lock and no atomic.
 * An entry's second word holds g.tcache_key while cached: free checks it to
 * catch a double free cheaply (and then confirms by walking the list).
 * ------------------------------------------------------------------------ */
#define TC_MAX_CHUNK ((size_t)(TC_BINS + 1) * 16)   /* 1040 */
#define TC_MAX_REQUEST (TC_MAX_CHUNK - 8)             /* 1032 */
/* The medium part of the cache (default profile, medium.c): chunk sizes
 * above TC_MAX_CHUNK and below MC_MAX_CHUNK, in classes of an eighth of a
 * doubling from 1 KiB: class k starts at (8 + k % 8) << (k / 8 + 7) bytes,
 * that is 1024, 1152, 1280, ... 1920, 2048, 2304, ... */
#define MC_CLASSES 48
#define MC_BLOCKS 12 /* blocks a class may hold */
#define MC_MAX_CHUNK ((size_t)64 << 10)
static inline size_t mc_class(size_t sz)
{
    unsigned lg = 63u - (unsigned)__builtin_clzll(sz);
    return 8 * (lg - 10) + ((sz >> (lg - 3)) & 7);
}
static inline bool mc_size(size_t sz) { return sz > TC_MAX_CHUNK && sz < MC_MAX_CHUNK; }

struct tc_entry {
    struct tc_entry *next;
    uintptr_t key;
    /* On a remote list only: a block SEND_AHEAD places further down the
     * list (or itself), for the drain to prefetch; never dereferenced, and
     * possibly stale. Every block but a slot of 16 bytes has this third
     * word (has_ahead): the smallest chunk (32 bytes) gives 24, the
     * last 8 being the next chunk's prev_size, which means nothing while
     * this chunk is in use. */
    struct tc_entry *ahead;
};

struct tcache {
    struct tc_entry *head[TC_CLASSES];
    /* Each class's room and limit, in one word (tc_room, tc_limit):
     *
     *   bits 31..16: room, the free slots left (0: full; signed, as the
     *                fast free takes one first and gives a -1 back)
     *   bits 15..0:  limit, the blocks the class may hold (up to INT16_MAX)
     *
     * The fast paths move room by adding or taking TC_ROOM_ONE: one 32-bit
     * read-modify-write whose sign is room's, and which never carries into
     * the limit or out of it into anything. (With room an int16_t array of
     * its own, the 16-bit add and subtract made bench/pairs 5% slower on an
     * AMD EPYC machine, for the same instructions.) */
    uint32_t quota[TC_CLASSES];
    size_t capacity;            /* sum of limit x size over the classes */
    struct {
        uint8_t shift : 4;  /* the next refill fetches 1 << shift blocks */
        uint8_t dry : 1;    /* ran empty since it last overflowed */
        uint8_t swings : 3; /* times it went from empty to full, up to 7:
                               see tcache_grow */
    } refill[TC_CLASSES];
    struct arena *arena;
    struct tcache *next_tc, *prev_tc;   /* all live caches (g.tcaches) */
    /* Blocks of another arena freed here while their class was full,
     * gathered to go back with one remote push (see tcache_send). */
    struct tc_entry *out_first, *out_last;
    struct arena *out_arena;
    size_t out_bytes;
    struct tc_entry *sent[SEND_AHEAD]; /* the last blocks sent, a ring */
    unsigned sent_pos;
    unsigned classes_gen; /* g.classes_gen when the limits were set */
    /* Two segments free_segment_fast tells by a range test, as fast_free
     * tells the brk heap: mem - seg_lo[k] rotated right by 4 is below
     * seg_span16[k] for a 16-aligned mem with its header and first two
     * words inside segment k. [0]: the one this thread's arena last
     * allocated from (refreshed by alloc_slow); [1]: the last other one
     * the segment map confirmed. A stale entry still names one of our
     * segments, still mapped (segments are never unmapped). Span 0: none. */
    uintptr_t seg_lo[2];
    size_t seg_span16[2];
    struct mcache *mc;       /* the medium blocks; NULL: none (classic) */
};

/* Medium blocks (see medium.c), default profile: this arena's chunks above
 * TC_MAX_CHUNK and below MC_MAX_CHUNK bytes, freed by the thread or sent
 * back to it, kept in use for the heap, eight classes a doubling. Class k
 * holds count[k] blocks, block[k][j] of chunk size size16[k][j] x 16.
 * It follows the thread cache in the same chunk. */
struct mcache {
    struct tc_entry *block[MC_CLASSES][MC_BLOCKS];
    uint16_t size16[MC_CLASSES][MC_BLOCKS];
    uint8_t count[MC_CLASSES];
    size_t bytes;
    size_t extra; /* budget taken beyond MC_BYTES (g.mc_extra) */
};

/* A thread with no cache (not made yet, caches off, thread exited) points
 * at this empty one: every head is NULL and every class is full, so the
 * fast paths need no NULL test and simply fall through to the slow ones. */
extern struct tcache tc_empty;
static inline bool tc_real(const struct tcache *tc) { return tc != &tc_empty; }
#define TC_ROOM_ONE ((uint32_t)1 << 16)
static inline int tc_room(const struct tcache *tc, size_t i) { return (int16_t)(uint16_t)(tc->quota[i] >> 16); }
static inline size_t tc_limit(const struct tcache *tc, size_t i) { return tc->quota[i] & 0xffff; }
static inline void tc_set_quota(struct tcache *tc, size_t i, int room, size_t limit)
{
    tc->quota[i] = (uint32_t)(uint16_t)room << 16 | (uint32_t)limit;
}
static inline void tc_set_room(struct tcache *tc, size_t i, int room) { tc_set_quota(tc, i, room, tc_limit(tc, i)); }
/* Blocks held by a class whose quota word is q (a snapshot of another
 * thread's cache, or tc_count's). */
static inline size_t tc_count_of(uint32_t q) { return (size_t)((int)(q & 0xffff) - (int16_t)(uint16_t)(q >> 16)); }
static inline size_t tc_count(const struct tcache *tc, size_t i) { return tc_count_of(tc->quota[i]); }
static inline size_t tc_index_for_chunk(size_t sz) { return (sz >> 4) - 2; }
/* Bytes of a block of class i: its chunk size, or its slot size. */
static inline size_t slab_size(size_t j) { return j < SLAB_SMALL ? 16 * (j + 1) : 512 + 64 * (j - SLAB_SMALL + 1); }
static inline size_t tc_class_size(size_t i) { return i < TC_BINS ? MINSIZE + 16 * i : slab_size(i - TC_BINS); }
/* What the program may use of a block of class i. */
static inline size_t tc_usable(size_t i) { return i < TC_BINS ? MINSIZE - 8 + 16 * i : slab_size(i - TC_BINS); }

/* Pushes block e onto class i (pre: tc_room(tc, i) > 0), marked with the key. */
static inline void tc_push(struct tcache *tc, size_t i, struct tc_entry *e, uintptr_t key)
{
    tc->quota[i] -= TC_ROOM_ONE;
    e->next = tc->head[i];
    e->key = key;
    tc->head[i] = e;
}

/* Pops class i's first block (pre: head[i] != NULL). */
static inline struct tc_entry *tc_pop(struct tcache *tc, size_t i)
{
    struct tc_entry *e = tc->head[i];
    tc->head[i] = e->next;
    tc->quota[i] += TC_ROOM_ONE;
    e->key = 0;
    return e;
}

/* ------------------------------------------------------------------------
 * Knobs: one table, one place. (name, classic value, default value.)
 * ------------------------------------------------------------------------ */
struct config {
    size_t mmap_threshold;   /* requests this big (chunk size) get a mapping */
    size_t trim_threshold;   /* free top tail that triggers a trim */
    size_t top_pad;          /* extra asked of the OS on each heap growth */
    size_t mmap_max;         /* at most this many mmapped blocks at once */
    size_t arena_max;        /* arenas (threads beyond share) */
    size_t tcache_count;     /* most blocks per class in each thread cache */
    size_t tcache_bytes;     /* and at most this many bytes per class (0: no bound) */
    size_t page_align_from;  /* heap blocks this big (chunk size) start a page (0: none) */
    bool dynamic_threshold;  /* raise mmap_threshold as big blocks are freed */
    bool tcache_refill;      /* a cache miss fetches a few blocks at once */
    bool auto_purge;         /* keep resident free memory within a budget */
    size_t slab;             /* requests up to this size come from slab
                                pages (slab.c); 0: none */
    size_t slab_big;         /* 1: so do requests of SLAB_BIG_LO..HI
                                bytes, while slab is not 0 */
    size_t hugepage_from;    /* brk heap bytes past which its memory is
                                asked for in huge pages (grow.c); 0: never */
    int profile;             /* 0 default, 1 classic */
};

/* Slab pages (slab.c): SLAB_PAGE bytes each, in an area of at most
 * SLAB_AREA_MAX bytes. */
#define SLAB_SHIFT 13
#define SLAB_PAGE ((size_t)1 << SLAB_SHIFT)
#define SLAB_AREA_MAX ((size_t)1 << 30)

/* ------------------------------------------------------------------------
 * Global state. One instance, `g`, zero until tide_init.
 * ------------------------------------------------------------------------ */
struct stats_counters {
    atomic_size_t brk_calls, brk_grow, brk_shrink;
    atomic_size_t mmap_calls, mmap_bytes, munmap_calls, munmap_bytes;
    atomic_size_t purge_calls, purge_bytes;
    atomic_size_t heap_bytes, mapped_bytes, mapped_blocks, peak;
};

struct global {
    atomic_bool ready;
    struct lock init_lock;
    struct tide_sys_caps caps;
    size_t page;
    size_t seg_size;
    unsigned seg_shift;       /* seg_size == 1 << seg_shift */
    struct config cfg;
    uintptr_t tcache_key;
    /* main brk heap [heap_lo, heap_lo + heap_span): read without a lock by
     * free to tell our pointers from others'. */
    uintptr_t heap_lo;
    atomic_size_t heap_span;
    uintptr_t huge_to;        /* the brk heap is asked for huge pages up to here */
    /* The free fast path's test: mem - fast_lo < fast_span means mem is in
     * the brk heap with room for the largest cached chunk after it, so its
     * header and its neighbour's can be read without further checks. */
    uintptr_t fast_lo;
    size_t fast_span16;  /* fast_span / 16 (see fastpath.h); written under
                            the main arena's lock with __atomic_store_n */
    bool brk_broken;          /* brk failed or moved under us: use segments */
    /* The slab area (slab.c): [slab_lo, + slab_span), reserved at the
     * first small request that misses the cache, cut into segments handed
     * to arenas as they need them. fast_free's first test: mem - slab_lo
     * is below slab_span. Both 0 without an area. */
    bool slab_tried;             /* slab_init ran */
    atomic_size_t slab_claimed;  /* segments of the area handed out */
    uintptr_t slab_lo;
    size_t slab_span;
    /* The cache class of a request of n <= TC_MAX_REQUEST bytes is
     * req_class[n]: a slab class for those the slabs serve, else the class
     * of request2size(n) (see classes_build). A byte for every n, not for
     * every 8: malloc then looks it up without rounding n first. */
    uint8_t req_class[TC_MAX_REQUEST + 1];
    /* The classes req_class names, a bit each, and how many times the
     * table was built: a cache made under an older table sets its limits
     * again (alloc_slow). */
    uint64_t class_used[(TC_CLASSES + 63) / 64];
    unsigned classes_gen;
    /* slot_magic[i], for the cache class i of a slab class: 2^64 / its
     * slot size, rounded up; an offset `off` in a page (below 2^32) is a
     * multiple of the slot size exactly when off * magic, modulo 2^64, is
     * below magic (Lemire, Kaser and Kurz, "Faster remainder by direct
     * computation", 2019). 0 for the other classes: no offset passes. */
    uint64_t slot_magic[TC_CLASSES];
    /* one bit per possible segment of the 47-bit user address space */
    atomic_uint_least64_t *segmap;
    size_t segmap_bits;
    /* arenas */
    struct lock arenas_lock;
    struct arena *arenas[ARENA_LIMIT];
    atomic_size_t narenas;
    struct tcache *tcaches;   /* under arenas_lock */
    atomic_size_t swing_bytes; /* the caches' capacity beyond TC_TOTAL_BYTES,
                                  all threads together (tcache_grow) */
    atomic_size_t mc_extra;   /* the medium caches' budget beyond MC_BYTES,
                                  all threads together (medium.c) */
    struct stats_counters st;
    /* Per page of the slab area, the cache class of its slots while the
     * page is in use (TC_BINS + its slab class), else 0: what the free
     * fast path reads for a block there (last: only the bytes of pages in
     * use are ever touched). */
    uint8_t page_class[SLAB_AREA_MAX >> SLAB_SHIFT];
};

extern struct global g;
extern struct arena main_arena;
extern TIDE_THREAD_LOCAL struct tcache *tc_self;

/* init.c */
void tide_init_slow(void);
static inline void ensure_init(void)
{
    if (UNLIKELY(!atomic_load_explicit(&g.ready, memory_order_acquire))) tide_init_slow();
}
void config_profile(struct config *cfg, int profile);
void classes_build(void);
void fail_errno(enum tide_error err);

/* report.c: one line on the error channel, then abort. */
_Noreturn void tide_panic(const char *what, const void *addr);
void report_line(const char *what, const void *addr);
size_t fmt_hex(char *buf, uintptr_t v);
size_t fmt_dec(char *buf, size_t v);

/* os.c: counted calls into the platform */
void *os_mmap(size_t len);
void *os_mmap_zeroed(size_t len);
void os_munmap(void *p, size_t len);
void os_purge(void *p, size_t len);
void *os_mmap_aligned(size_t len, size_t align);
void stats_mapped(intptr_t bytes, int blocks);
void stats_heap(intptr_t bytes);

/* bins.c */
void bin_insert(struct arena *a, struct chunk *c);
void bin_unlink(struct arena *a, struct chunk *c);
void unsorted_push(struct arena *a, struct chunk *c);
bool bin_is_head(const struct arena *a, const struct chunk *c);
struct chunk *bin_take_fit(struct arena *a, size_t nb);
void bins_sort_unsorted(struct arena *a);

/* medium.c: the thread cache's medium blocks */
void mc_init(void);
bool mc_put(struct tcache *tc, struct tc_entry *e, size_t sz);
struct tc_entry *mc_take(struct tcache *tc, size_t nb);
struct tc_entry *mc_take_aligned(struct tcache *tc, size_t nb, size_t align);
struct tc_entry *mc_take_all(struct tcache *tc);
bool mc_contains(const struct tcache *tc, const struct chunk *c, int *bin);

/* remote.c: frees from threads that do not own the block's arena */
void remote_push(struct arena *a, struct tc_entry *e);
void remote_push_chain(struct arena *a, struct tc_entry *first, struct tc_entry *last, size_t bytes);
void remote_drain(struct arena *a);
void remote_drain_to_cache(struct arena *a, struct tcache *tc, size_t want);
bool remote_contains(struct arena *a, const struct tc_entry *e);

/* heap.c: the arena's malloc and free; pre: a->lock held */
struct chunk *arena_malloc(struct arena *a, size_t nb);
struct chunk *arena_malloc_binned(struct arena *a, size_t nb);
struct chunk *arena_malloc_top(struct arena *a, size_t nb);
void arena_free(struct arena *a, struct chunk *c);
/* Frees a list of in-use chunks of one arena, one chunk at a time, with
 * the neighbours met in a row gathered into one (see heap.c). */
struct gather {
    struct chunk *lo; /* the stretch so far, [lo, lo + len); NULL: none */
    size_t len;
};
void gather_free(struct arena *a, struct gather *s, struct chunk *c);
void gather_end(struct arena *a, struct gather *s);
/* gather_free for a chunk of the heap (not a slot). Inline: a list that
 * gives back thousands of chunks makes one call a stretch, not a block. */
static inline void gather_chunk(struct arena *a, struct gather *s, struct chunk *c)
{
    size_t sz = csize(c);
    if (s->lo && c == chunk_at(s->lo, s->len)) { /* just above */
        c->size |= IS_FREE;
        s->len += sz;
        return;
    }
    if (s->lo && chunk_at(c, sz) == s->lo) { /* just below */
        s->lo->size |= IS_FREE;
        s->lo = c;
        s->len += sz;
        return;
    }
    gather_end(a, s);
    s->lo = c;
    s->len = sz;
}
void set_inuse_size(struct chunk *c, size_t sz);
void split_tail(struct arena *a, struct chunk *c, size_t nb);
bool next_is_free(const struct arena *a, const struct chunk *next);

/* grow.c */
bool segmap_init(void);
void segmap_add(uintptr_t seg);
bool arena_grow(struct arena *a, size_t nb);
bool arena_trim(struct arena *a, size_t pad);
bool arena_purge(struct arena *a, size_t want);
size_t free_held(const struct arena *a);

/* Counts n more bytes handed out by a (pre: a->lock held). */
static inline void note_in_use(struct arena *a, size_t n)
{
    a->in_use += n;
    if (a->in_use > a->peak_now) a->peak_now = a->in_use;
    if (a->in_use > a->peak_held) a->peak_held = a->in_use;
}

/* The most a has had in use lately: since the budget check before last
 * (arena_free moves peak_now to peak_prev at each), and now. */
static inline size_t recent_peak(const struct arena *a)
{
    size_t peak = a->in_use;
    if (peak < a->peak_now) peak = a->peak_now;
    if (peak < a->peak_prev) peak = a->peak_prev;
    return peak;
}
/* How much free memory an arena may keep resident (auto_purge): 8 MiB plus
 * twice the most it had handed out lately (since the budget check before
 * last: a budget's worth of frees or more). Reuse of free memory is what
 * makes an allocator fast (no page faults); this bounds what that costs in
 * memory, rides out a live set that swings up and down, and gives nearly
 * all of it back once the program has freed its blocks for good. */
static inline size_t free_budget(const struct arena *a) { return ((size_t)8 << 20) + 2 * recent_peak(a); }
void arena_release_if_emptied(struct arena *a);

/* The segment p lies in (segments are aligned to their size). */
static inline struct segment *segment_of(const void *p)
{
    return (struct segment *)((uintptr_t)p & ~(g.seg_size - 1));
}

/* The arena a heap chunk belongs to. */
static inline struct arena *chunk_arena(const struct chunk *c)
{
    return (c->size & SEGMENT) ? segment_of(c)->arena : &main_arena;
}

/* True if addr lies in one of our segments. Safe on any address. */
static inline bool segmap_has(uintptr_t addr)
{
    size_t i = addr >> g.seg_shift;
    if (!g.segmap || i >= g.segmap_bits) return false;
    return (atomic_load_explicit(&g.segmap[i / 64], memory_order_relaxed) >> (i % 64)) & 1;
}

/* mmap.c: blocks with a mapping of their own */
struct chunk *mmap_chunk(size_t nb, size_t align);
void mmap_free(struct chunk *c);
struct chunk *mmap_realloc(struct chunk *c, size_t nb);
bool mmap_owns(const void *mem);
bool mmap_recently_freed(const void *mem);
size_t mmap_walk(size_t from, bool (*fn)(const struct tide_chunk_info *, void *), void *arg);
void mmap_fork_prepare(void);
void mmap_fork_release(void);
void mmap_reset(void);

/* arena.c */
struct arena *arena_for_thread(void);
struct arena *arena_new(void);
void arena_forget_thread(void);

/* walk.c: the chunks of an arena's regions, in address order per region */
struct region { char *start, *end; };
typedef void (*region_fn)(struct arena *a, struct region r, void *arg);
void for_each_region(struct arena *a, region_fn fn, void *arg);
int free_chunk_bin(const struct arena *a, const struct chunk *c);

/* tcache.c */
void tcache_create(void);
void tcache_disable(void);
void tcache_forget_thread(void);
void tcache_release_half(struct tcache *tc, size_t i, bool quick);
struct chunk *tcache_refill(struct tcache *tc, struct arena *a, size_t nb);
/* How many blocks the next refill of class i fetches: 1, 2, 4, ... while
 * the class keeps missing, up to `bytes` of them, and no more than its
 * room. */
size_t tcache_refill_count(struct tcache *tc, size_t i, size_t bytes);
void tcache_flush(struct tcache *tc);
bool tcache_flush_any(struct tcache *tc);
void tcache_set_limits(struct tcache *tc);
void tcache_close(struct tcache *tc);
size_t tcache_held(const struct tcache *tc);
bool tcache_overflow(struct tcache *tc, size_t i);
bool tcache_grow(struct tcache *tc, size_t i, bool swinging);
bool tcache_swung(struct tcache *tc, size_t i);
void tcache_send(struct tcache *tc, struct arena *a, struct tc_entry *e, size_t sz);
void tcache_send_flush(struct tcache *tc);
bool tcache_sending(const struct tcache *tc, const struct tc_entry *e);
#define TC_START_BYTES ((size_t)2 << 10)
#define TC_TOTAL_BYTES ((size_t)256 << 10)
#define TC_SWING_BYTES ((size_t)512 << 10)
#define TC_SWING_ALL ((size_t)4 << 20)
#define TC_SWINGS 7
/* What a cache's capacity has beyond the base budget (g.swing_bytes). */
static inline size_t beyond_budget(size_t capacity) { return capacity > TC_TOTAL_BYTES ? capacity - TC_TOTAL_BYTES : 0; }
bool tcache_contains(const struct tcache *tc, const void *mem, int *bin);
static inline void tcache_know_segment(struct tcache *tc, int k, uintptr_t seg)
{
    tc->seg_lo[k] = seg + SEG_HDR + HDR;
    tc->seg_span16[k] = (g.seg_size - SEG_HDR - HDR - 16) / 16;
}

/* quick.c: the arena's quick lists; pre: a->lock held */
bool quick_put(struct arena *a, size_t i, struct tc_entry *run, size_t n);
bool quick_take(struct arena *a, struct tcache *tc, size_t i);
void quick_flush(struct arena *a);
bool quick_contains(const struct arena *a, const struct tc_entry *e);

/* ------------------------------------------------------------------------
 * Slabs (slab.c, default profile): the blocks of requests up to g.cfg.slab
 * bytes (256 by default, SLAB_MAX_SLOT at most) and, with g.cfg.slab_big,
 * of 513-1024 bytes, cut from pages of SLAB_PAGE bytes, one slot size a
 * page, in segments of the slab area. A slot has no header: the page it
 * lies in says its class (page_class; slab_size(j) bytes for class j), and
 * the slots of a page start at the page's start, so a pointer is a slot's
 * start exactly when its offset in the page is a multiple of the slot size
 * (slot_magic). A request of n <= 256 bytes takes a slot of n rounded up
 * to 16 (16 for 0): 8 bytes a block less than a chunk of the heap, 16 less
 * for sizes of 16 k + 9 to 16 k + 16; one of 513-1024 bytes a slot of n
 * rounded up to 64, 8 classes where the heap has 32 (each class keeps
 * pages of its own, so fewer classes hold fewer half-empty pages).
 * A slot never merges with its neighbours: a bitmap per page says which
 * slots are free, and the next slots handed out are always the lowest
 * free ones of the lowest page. Blocks allocated one after another then
 * lie in address order however they were freed (see docs/BENCH.md:
 * python3 walks its objects in allocation order).
 *
 *   slab segment (aligned to seg_size, in the slab area)
 *   +---------------+--------------+--------------+-- ... --+
 *   | page 0:       | page 1:      | page 2:      |         |
 *   | struct        | slots of 48  | slots of 32  |         |
 *   | slab_seg      | [slot][slot] | [slot][slot] |         |
 *   +---------------+--------------+--------------+-- ... --+
 *   mapped apart: a struct slab_page per page (slot size, free-slot
 *   bitmap), and per class a bitmap of the pages with a free slot.
 *
 *   a slot:  +------------------+------------------+-------- ... --+
 *            | next (cached or  | key: g.tcache_key| rest of the   |
 *            |  free: a link)   | while cached or  | program's     |
 *            |                  | free in its page | block         |
 *            +------------------+------------------+-------- ... --+
 *
 * A slot free in its page holds the cache key in its second word, as a
 * cached one does: a second free of it goes to the slow path, which finds
 * its bit in the page's bitmap. So does the end of a page past its last
 * whole slot (when the slot size does not divide the page): the key at
 * its offset 8 sends a free of that address to the slow path, which
 * refuses it.
 * ------------------------------------------------------------------------ */
#define SLAB_WORDS (SLAB_PAGE / 16 / 64) /* bitmap words a page */
#define SLAB_PAGES_MAX 8192              /* pages a slab segment */

/* 128 bytes, so that the descriptors of 64 pages (one word of a busy map)
 * fill two 4 KiB pages of the table: the table pages whose pages are all
 * out of use can be purged (slab_purge), as their zeroes describe them
 * right. */
struct slab_page {
    _Alignas(128) char *base;
    uint32_t recip;     /* 2^32 / slot size, rounded up: offset -> slot */
    uint16_t size16;    /* slot size / 16; 0: the page is not in use */
    uint16_t nslots, nfree;
    uint16_t first;     /* no free slot in freemap words below this one */
    uint8_t cls;        /* its slab class, while in use */
    uint64_t freemap[SLAB_WORDS]; /* bit set: slot free */
};

struct slab_seg {
    struct segment seg;       /* as any segment's: names the arena */
    struct slab_page *table;  /* one per page, page 0 (this header) too */
    uint64_t (*avail)[SLAB_PAGES_MAX / 64]; /* per class: pages with a free
                                               slot (mapped with the table) */
    uint64_t avail_words[SLAB_CLASSES][SLAB_PAGES_MAX / 4096]; /* per class:
                                               which words of its map have a bit */
    struct slab_seg *next;    /* the arena's, by address */
    size_t npages;
    uint64_t busy[SLAB_PAGES_MAX / 64];  /* page in use by a class */
    uint64_t dirty[SLAB_PAGES_MAX / 64]; /* page free but still resident */
    uint64_t table_clean[SLAB_PAGES_MAX / 64 / 64]; /* per busy word: its
                                       table pages purged since its last use */
};

static inline size_t slab_slot_size(const struct slab_page *pg) { return (size_t)pg->size16 << 4; }
static inline bool in_slab_area(const void *p)
{
    return (uintptr_t)p - g.slab_lo < g.slab_span;
}
/* Cache class of the slots of the page holding p, 0 if it is not in use.
 * pre: in_slab_area(p). */
static inline size_t slab_page_class(const void *p)
{
    return __atomic_load_n(&g.page_class[((uintptr_t)p - g.slab_lo) >> SLAB_SHIFT], __ATOMIC_RELAXED);
}
/* True if offset s (from slab_lo) starts a slot of cache class i: the
 * page's class i says the slot size, and slot_magic tests the offset in
 * the page (class 0, no page in use, has magic 0: nothing passes). */
static inline bool slot_start(uintptr_t s, size_t i)
{
    return (s & (SLAB_PAGE - 1)) * g.slot_magic[i] < g.slot_magic[i];
}
/* Slab class of a request of n bytes: n rounded up to 16 up to 256 bytes,
 * to 64 from 513 to 1024. pre: n <= SLAB_MAX_SLOT or SLAB_BIG_LO <= n <=
 * SLAB_BIG_HI. */
static inline size_t slab_class_for_request(size_t n)
{
    return n <= SLAB_MAX_SLOT ? (n ? (n - 1) >> 4 : 0) : SLAB_SMALL + ((n - SLAB_BIG_LO) >> 6);
}

/* An in-use block of the program (a slab slot, or a heap chunk that is no
 * mapping): its size (slot size, or chunk size) goes to *sz, and its cache
 * class is returned (TC_CLASSES for a chunk too big for the cache). */
static inline size_t block_info(const void *mem, size_t *sz)
{
    if (in_slab_area(mem)) {
        size_t i = slab_page_class(mem);
        *sz = slab_size(i - TC_BINS);
        return i;
    }
    *sz = csize(mem2chunk(mem));
    return *sz <= TC_MAX_CHUNK ? tc_index_for_chunk(*sz) : TC_CLASSES;
}
static inline size_t block_size(const void *mem)
{
    size_t sz;
    block_info(mem, &sz);
    return sz;
}
static inline struct arena *block_arena(const void *mem)
{
    return in_slab_area(mem) ? segment_of(mem)->arena : chunk_arena(mem2chunk(mem));
}
/* True if an in-use block of sz bytes has room for tc_entry's `ahead`:
 * all but the slots of 16 bytes. */
static inline bool has_ahead(size_t sz) { return sz > 16; }

void slab_init(void);
bool slab_refill(struct arena *a, struct tcache *tc, size_t j);
void *slab_take_one(struct arena *a, size_t j);
void slab_free(struct arena *a, void *mem);
struct tc_entry *slab_free_run(struct arena *a, struct tc_entry *e);
void slab_purge(struct arena *a, bool all);
/* 0: mem is a slot in use; 1: not a slot's start; 2: a free slot */
int slab_check_block(const void *mem);
bool slab_listed(const struct slab_page *pg);
void for_each_slab_page(struct arena *a, void (*fn)(struct arena *, struct slab_page *, void *), void *arg);

/* api.c: the owner of a pointer handed to free/realloc/usable_size */
enum owner { OWN_HEAP, OWN_MMAP, OWN_BAD };
enum owner classify(const void *mem, const char *op);
void free_chunk(void *mem);
bool freed_already(void *mem);
void *alloc_slow(size_t n, bool zero);
void *medium_malloc(size_t n);
void free_slow(void *p);
void free_segment_fast(void *p);
void free_medium(void *p, size_t flags);
void free_to_arena(struct arena *a, struct chunk *c);
void free_missed(void *p, int got);
#endif
