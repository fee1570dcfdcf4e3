/*
 * tide.h - the public interface of the tide allocator.
 *
 * Every function here is callable beside the system malloc: names carry
 * the tide_ prefix. The standard names (malloc, free, ...) are defined only
 * by the shim (host/shim.c, libtide.so/.a) and by our libc.
 * Failures return NULL (or an error code) and report ENOMEM/EINVAL through
 * the platform's set_errno capability, as the C and POSIX functions do.
 */
#ifndef TIDE_H
#define TIDE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the C / POSIX / glibc allocation API -------------------------------- */
void *tide_malloc(size_t size);
void tide_free(void *ptr);
void *tide_calloc(size_t count, size_t size);
void *tide_realloc(void *ptr, size_t size);
void *tide_reallocarray(void *ptr, size_t count, size_t size);
void *tide_aligned_alloc(size_t alignment, size_t size);
/* Returns 0, EINVAL-equivalent TIDE_EINVAL_RC or TIDE_ENOMEM_RC. */
int tide_posix_memalign(void **out, size_t alignment, size_t size);
void *tide_memalign(size_t alignment, size_t size);
void *tide_valloc(size_t size);
void *tide_pvalloc(size_t size);
size_t tide_malloc_usable_size(const void *ptr);
/* Frees ptr; reports and aborts when size exceeds what ptr can hold. */
void tide_free_sized(void *ptr, size_t size);
void tide_free_aligned_sized(void *ptr, size_t alignment, size_t size);

/* posix_memalign return values (the shim maps them to EINVAL / ENOMEM). */
#define TIDE_EINVAL_RC 22
#define TIDE_ENOMEM_RC 12

/* ---- tuning (glibc's mallopt numbers) ------------------------------------ */
#define TIDE_M_TRIM_THRESHOLD  (-1)
#define TIDE_M_TOP_PAD         (-2)
#define TIDE_M_MMAP_THRESHOLD  (-3)
#define TIDE_M_MMAP_MAX        (-4)
#define TIDE_M_ARENA_TEST      (-7)
#define TIDE_M_ARENA_MAX       (-8)
/* tide's own: 0 = default profile, 1 = classic (the seeds' glibc numbers) */
#define TIDE_M_PROFILE         (-100)
/* tide's own: blocks per size class kept by each thread cache (0 = off) */
#define TIDE_M_TCACHE_COUNT    (-101)
/* tide's own: requests up to this many bytes (at most 256) from pages of
 * one size each (256, the default profile), or none (0, classic) */
#define TIDE_M_SLAB            (-102)
/* tide's own: requests of 513-1024 bytes from such pages too (1, the
 * default profile) or from the chunk heap (0) */
#define TIDE_M_SLAB_BIG        (-103)
/* tide's own: bytes of the brk heap past which its memory is asked for in
 * huge pages where the platform has them; 0 (both profiles): never */
#define TIDE_M_HUGEPAGE_FROM   (-104)

/* Sets a knob; returns 1 on success, 0 for an unknown knob or bad value. */
int tide_mallopt(int param, int value);
/* Gives free memory back to the OS, keeping pad bytes at the heap top.
 * Returns 1 if any memory was released, else 0. */
int tide_malloc_trim(size_t pad);

/* Same fields and meanings as glibc's struct mallinfo2. */
struct tide_mallinfo {
    size_t arena;    /* bytes obtained from the OS for heaps (brk + segments) */
    size_t ordblks;  /* free chunks in bins */
    size_t smblks;   /* free chunks in thread caches and quick lists */
    size_t hblks;    /* mmapped blocks */
    size_t hblkhd;   /* bytes in mmapped blocks */
    size_t usmblks;  /* peak of arena + hblkhd */
    size_t fsmblks;  /* bytes in thread caches and quick lists */
    size_t uordblks; /* bytes in use in heaps */
    size_t fordblks; /* free bytes in heaps (bins + caches + tops) */
    size_t keepcost; /* releasable bytes at the top of the main heap */
};
struct tide_mallinfo tide_mallinfo2(void);
/* Prints glibc-style statistics to the error channel. */
void tide_malloc_stats(void);

/* ---- introspection ------------------------------------------------------- */
struct tide_stats {
    /* platform calls made so far */
    size_t brk_calls, brk_grow_bytes, brk_shrink_bytes;
    size_t mmap_calls, mmap_bytes, munmap_calls, munmap_bytes;
    size_t purge_calls, purge_bytes;
    /* where the memory is now */
    size_t bytes_in_use;  /* handed out to the program (chunk sizes) */
    size_t bytes_cached;  /* free in bins, thread caches and quick lists */
    size_t bytes_top;     /* free at the tops of the heaps */
    size_t heap_bytes;    /* brk heap + segments obtained from the OS */
    size_t mapped_bytes;  /* in blocks mmapped on their own */
    size_t mapped_blocks;
    size_t peak_bytes;    /* peak of heap_bytes + mapped_bytes */
    /* the brk heap of the main arena: [heap_start, heap_end) */
    void *heap_start, *heap_end;
    size_t arenas;
    size_t mmap_threshold, trim_threshold, top_pad;
};
void tide_get_stats(struct tide_stats *out);

enum tide_chunk_state {
    TIDE_CHUNK_IN_USE,   /* handed out */
    TIDE_CHUNK_CACHED,   /* in the calling thread's cache (in use for the heap) */
    TIDE_CHUNK_FREE,     /* in a bin */
    TIDE_CHUNK_TOP,      /* the top chunk of a heap */
    TIDE_CHUNK_MMAPPED,  /* a block mmapped on its own */
    TIDE_CHUNK_QUICK,    /* on an arena's quick list: free for the program,
                            in use for the heap (default profile) */
};
/* Bin numbers in tide_chunk_info.bin */
#define TIDE_BIN_NONE     (-1)
#define TIDE_BIN_UNSORTED 0   /* 1..63 small bins, 64..126 large bins */

struct tide_chunk_info {
    const void *chunk;   /* chunk start (the header); for a slot of a slab
                            page, which has none, the slot: == mem */
    const void *mem;     /* the pointer malloc returned: chunk + 16 */
    size_t size;         /* chunk size in bytes, header included */
    enum tide_chunk_state state;
    int bin;             /* TIDE_BIN_* or a bin number; for CACHED the cache
                            class (64-79: the slab classes, 80 and up: the
                            medium ones) */
    int arena;           /* 0 = main (brk) arena */
};
typedef void (*tide_walk_fn)(const struct tide_chunk_info *chunk, void *arg);
/* Visits every chunk of every arena, region by region in address order,
 * then the mmapped blocks. fn is called with no lock held, on batches of
 * chunks copied while the heap was locked: it may allocate and print (a
 * chunk it changes may then be reported as it was). Needs no memory. */
void tide_heap_walk(tide_walk_fn fn, void *arg);
const char *tide_chunk_state_name(enum tide_chunk_state state);

/* Verifies every invariant of every heap (headers, footers, bins, links,
 * coalescing, top, counters). Reports each problem as one line on the
 * error channel; returns how many were found (0: consistent). */
size_t tide_check(void);

/* ---- hooks for the platform layer ---------------------------------------- */
/* fork(): call prepare in the parent before, parent/child after. */
void tide_fork_prepare(void);
void tide_fork_parent(void);
void tide_fork_child(void);
/* Returns the calling thread's cached blocks to their heaps. */
void tide_thread_exit(void);
/* Forgets every block and starts over, as if nothing had been allocated.
 * Only for test harnesses over a fake platform; single-threaded. */
void tide_reset(void);

#ifdef __cplusplus
}
#endif
#endif
