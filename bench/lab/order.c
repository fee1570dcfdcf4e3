/*
 * bench/lab/order.c - an experiment, not an allocator: in which order a
 * program gets its small blocks back after freeing them, and what that
 * costs the program.
 *
 * Preloaded in front of another malloc (tide, or glibc alone), it serves
 * every request of up to 1 KiB from 64 KiB pages of one size class each
 * (16-byte steps, no header) and passes the rest to the next malloc.
 * ORDER picks how a freed small block is reused:
 *
 *   ORDER=lifo     a singly linked free list per class: the block freed
 *                  last comes back first (tide's thread cache and quick
 *                  lists, glibc's tcache and fastbins, tcmalloc's lists)
 *   ORDER=lowest   the lowest free address of the class comes back first:
 *                  a bitmap per page, pages kept in address order (as
 *                  jemalloc's slabs)
 *   ORDER=bump     never reused: every block is new, in address order
 *
 * For measuring only: it never gives memory back, it reserves 16 GiB of
 * address space, and one lock serialises it.
 *
 *   PYTHONMALLOC=malloc ORDER=lowest \
 *     LD_PRELOAD="build/bench/order.so build/libtide.so" \
 *     python3 bench/py-alloc.py 0.4
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define REGION (1ull << 34)
#define PAGE ((size_t)64 << 10)
#define NPAGES (REGION / PAGE)
#define MAX_SMALL 1024
#define NCLASSES (MAX_SMALL / 16 + 1) /* class k: blocks of 16 * k bytes */

enum { LIFO, LOWEST, BUMP };
static int order;
static char *base;
static size_t pages_used;
static uint8_t *class_of;     /* per page */
static uint64_t *bits;        /* per page: 64 words, a set bit = free slot */
static uint16_t *free_slots;  /* per page */
static uint32_t *slot_of;     /* per page: its place in its class's list */
static uint32_t *pages[NCLASSES]; /* per class: its pages, in address order */
static size_t npages[NCLASSES], lowest[NCLASSES];
static void *heads[NCLASSES];
static int lock;

static void *(*next_malloc)(size_t);
static void (*next_free)(void *);
static void *(*next_realloc)(void *, size_t);
static size_t (*next_usable)(void *);

static void *reserve(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) abort();
    return p;
}

/* base is set first: dlsym may call malloc, which is then served here. */
static void init(void)
{
    base = reserve(REGION);
    class_of = reserve(NPAGES);
    bits = reserve(NPAGES * 64 * sizeof *bits);
    free_slots = reserve(NPAGES * sizeof *free_slots);
    slot_of = reserve(NPAGES * sizeof *slot_of);
    for (int k = 0; k < NCLASSES; k++) pages[k] = reserve(NPAGES * sizeof *pages[k]);
    const char *o = getenv("ORDER");
    order = o && !strcmp(o, "lowest") ? LOWEST : o && !strcmp(o, "bump") ? BUMP : LIFO;
    next_malloc = dlsym(RTLD_NEXT, "malloc");
    next_free = dlsym(RTLD_NEXT, "free");
    next_realloc = dlsym(RTLD_NEXT, "realloc");
    next_usable = dlsym(RTLD_NEXT, "malloc_usable_size");
}

static bool ours(const void *p) { return base && (uintptr_t)p - (uintptr_t)base < REGION; }
static size_t page_of(const void *p) { return (size_t)((const char *)p - base) / PAGE; }
static size_t block_size(const void *p) { return 16 * (size_t)class_of[page_of(p)]; }

/* A new page for class k, every slot free: set in its bitmap (lowest),
 * or linked in address order on the class's list (lifo, bump). */
static void new_page(unsigned k)
{
    size_t pg = pages_used++, sz = 16 * k, n = PAGE / sz;
    char *start = base + pg * PAGE;
    class_of[pg] = (uint8_t)k;
    if (order != LOWEST) {
        for (size_t s = n; s-- > 0;) {
            *(void **)(start + s * sz) = heads[k];
            heads[k] = start + s * sz;
        }
        return;
    }
    for (size_t s = 0; s < n; s++) bits[pg * 64 + s / 64] |= 1ull << (s % 64);
    free_slots[pg] = (uint16_t)n;
    slot_of[pg] = (uint32_t)npages[k];
    pages[k][npages[k]++] = (uint32_t)pg;
}

/* The lowest free slot of class k. */
static void *take_lowest(unsigned k)
{
    for (size_t i = lowest[k]; i < npages[k]; i++) {
        size_t pg = pages[k][i];
        if (!free_slots[pg]) continue;
        lowest[k] = i;
        for (size_t w = 0;; w++) {
            uint64_t *word = &bits[pg * 64 + w];
            if (!*word) continue;
            size_t s = w * 64 + (size_t)__builtin_ctzll(*word);
            *word &= *word - 1;
            free_slots[pg]--;
            return base + pg * PAGE + s * 16 * k;
        }
    }
    new_page(k);
    return take_lowest(k);
}

static void *take(unsigned k)
{
    if (order == LOWEST) return take_lowest(k);
    if (!heads[k]) new_page(k);
    void **b = heads[k];
    heads[k] = *b;
    return b;
}

static void give_back(void *p)
{
    if (order == BUMP) return;
    size_t pg = page_of(p);
    unsigned k = class_of[pg];
    if (order == LIFO) {
        *(void **)p = heads[k];
        heads[k] = p;
        return;
    }
    size_t s = (size_t)((char *)p - base - pg * PAGE) / (16 * k);
    bits[pg * 64 + s / 64] |= 1ull << (s % 64);
    free_slots[pg]++;
    if (slot_of[pg] < lowest[k]) lowest[k] = slot_of[pg];
}

static void take_lock(void) { while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) __builtin_ia32_pause(); }
static void drop_lock(void) { __atomic_store_n(&lock, 0, __ATOMIC_RELEASE); }

void *malloc(size_t n)
{
    if (!base) init();
    if (n > MAX_SMALL) return next_malloc(n);
    take_lock();
    void *p = take(n ? (unsigned)((n + 15) >> 4) : 1);
    drop_lock();
    return p;
}

void free(void *p)
{
    if (!p) return;
    if (!ours(p)) {
        next_free(p);
        return;
    }
    take_lock();
    give_back(p);
    drop_lock();
}

void *calloc(size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) return NULL;
    void *p = malloc(n);
    return p ? memset(p, 0, n) : NULL;
}

size_t malloc_usable_size(void *p)
{
    if (!p) return 0;
    return ours(p) ? block_size(p) : next_usable(p);
}

void *realloc(void *p, size_t n)
{
    if (!p) return malloc(n);
    if (!ours(p) && n > MAX_SMALL) return next_realloc(p, n);
    size_t old = malloc_usable_size(p);
    if (ours(p) && n <= old && n > old / 2) return p;
    void *q = malloc(n);
    if (q) {
        memcpy(q, p, old < n ? old : n);
        free(p);
    }
    return q;
}
