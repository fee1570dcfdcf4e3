/*
 * kernel/pmm.c - the physical frame allocator: a binary buddy system over
 * the first 4 GiB (the part the direct map covers), as the seeds say a
 * kernel does (S16). Blocks of 2^order frames, order 0..PMM_MAX_ORDER; a
 * freed block merges with its buddy at once, so the free lists are always
 * the unique split of the free frames into maximal aligned blocks (after a
 * program that leaked nothing they are exactly as before it).
 *
 *   bitmap:  one bit per frame, 1 = allocated or reserved
 *   free block head (in the free frame itself, through the direct map):
 *     +------+------+-------+-------+
 *     | next | prev | magic | order |   only the first frame of a block
 *     +------+------+-------+-------+
 * Exact counters by kind (free / kernel / user / page tables) for tests.
 */
#include "mm.h"
#include "multiboot.h"

#define MAX_FRAMES (HHDM_SIZE / PAGE_SIZE)
#define FREE_MAGIC 0x6672656562756464ull   /* "freebudd" */

struct free_block {
    struct free_block *next, *prev;
    uint64_t magic, order;
};

static uint64_t bitmap[MAX_FRAMES / 64];
static struct free_block lists[PMM_MAX_ORDER + 1];   /* circular, sentinels */
static uint64_t nblocks[PMM_MAX_ORDER + 1];
static bool lists_built;
volatile struct pmm_counts pmm_counts;

extern char kernel_phys_start[], kernel_end[];

static bool frame_used(uint64_t f)
{
    return bitmap[f / 64] >> (f % 64) & 1;
}

static void frames_set(paddr_t pa, uint64_t n, bool used)
{
    for (uint64_t f = pa / PAGE_SIZE; f < pa / PAGE_SIZE + n; f++) {
        if (used)
            bitmap[f / 64] |= 1ull << (f % 64);
        else
            bitmap[f / 64] &= ~(1ull << (f % 64));
    }
}

static void list_push(paddr_t pa, unsigned order)
{
    struct free_block *b = P2V(pa), *head = &lists[order];
    b->magic = FREE_MAGIC;
    b->order = order;
    b->next = head->next;
    b->prev = head;
    head->next->prev = b;
    head->next = b;
    nblocks[order]++;
}

static void list_remove(struct free_block *b)
{
    b->prev->next = b->next;
    b->next->prev = b->prev;
    b->magic = 0;
    nblocks[b->order]--;
}

/* True if a free block of exactly this order starts at pa. */
static bool is_free_head(paddr_t pa, unsigned order)
{
    if (pa >= HHDM_SIZE || frame_used(pa / PAGE_SIZE))
        return false;
    const struct free_block *b = P2V(pa);
    return b->magic == FREE_MAGIC && b->order == order;
}

/* Puts the (already unmarked) block [pa, 2^order frames) on the free
 * lists, merging it with its buddy as long as the buddy is free. */
static void buddy_insert(paddr_t pa, unsigned order)
{
    ((struct free_block *)P2V(pa))->magic = 0;
    while (order < PMM_MAX_ORDER) {
        paddr_t buddy = pa ^ (PAGE_SIZE << order);
        if (!is_free_head(buddy, order))
            break;
        list_remove(P2V(buddy));
        pa = MIN(pa, buddy);
        order++;
    }
    list_push(pa, order);
}

/* ---- set-up ------------------------------------------------------------ */
/* Marks the whole frames of [start, end) as free RAM (lists come later). */
static void pmm_add_region(uint64_t start, uint64_t end)
{
    start = PAGE_UP(start);
    end = MIN(PAGE_DOWN(end), HHDM_SIZE);
    for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
        if (frame_used(pa / PAGE_SIZE)) {
            frames_set(pa, 1, false);
            pmm_counts.total++;
            pmm_counts.free++;
        }
    }
}

/* Reads the memory map into the bitmap and reserves the first MiB and the
 * kernel image. Panics without a memory map. */
void pmm_init(const void *mbi_v)
{
    const struct mb_info *mbi = mbi_v;
    if (!(mbi->flags & MBI_FLAG_MMAP))
        panic("no memory map from the boot loader");
    memset(bitmap, 0xff, sizeof bitmap);
    for (int o = 0; o <= PMM_MAX_ORDER; o++)
        lists[o].next = lists[o].prev = &lists[o];
    uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
    while (p < end) {
        const struct mb_mmap_entry *e = P2V(p);
        if (e->type == 1)
            pmm_add_region(e->addr, e->addr + e->len);
        p += e->size + 4;
    }
    pmm_reserve(0, 0x100000);
    pmm_reserve((paddr_t)kernel_phys_start, KSYM_PHYS(kernel_end));
}

/* Marks the free frames of [start, end) as kernel frames. pre: before
 * pmm_build_lists. */
void pmm_reserve(paddr_t start, paddr_t end)
{
    if (lists_built)
        panic("pmm_reserve after the free lists were built");
    start = PAGE_DOWN(start);
    end = MIN(PAGE_UP(end), HHDM_SIZE);
    for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
        if (!frame_used(pa / PAGE_SIZE)) {
            frames_set(pa, 1, true);
            pmm_counts.free--;
            pmm_counts.used[FRAME_KERNEL]++;
        }
    }
}

/* Frees every frame the bitmap says is free, one by one: merging builds
 * the maximal blocks. */
void pmm_build_lists(void)
{
    for (uint64_t f = 0; f < MAX_FRAMES; f++)
        if (!frame_used(f))
            buddy_insert(f * PAGE_SIZE, 0);
    lists_built = true;
}

/* ---- allocation -------------------------------------------------------- */
/* Takes a block of 2^order zeroed frames; 0 if none is free. */
paddr_t pmm_alloc_pages(unsigned order, enum frame_kind kind)
{
    unsigned k = order;
    while (k <= PMM_MAX_ORDER && nblocks[k] == 0)
        k++;
    if (k > PMM_MAX_ORDER)
        return 0;
    struct free_block *b = lists[k].next;
    list_remove(b);
    paddr_t pa = V2P(b);
    while (k > order) {       /* split: the upper halves stay free */
        k--;
        list_push(pa + (PAGE_SIZE << k), k);
    }
    uint64_t n = 1ull << order;
    frames_set(pa, n, true);
    pmm_counts.free -= n;
    pmm_counts.used[kind] += n;
    memset(P2V(pa), 0, PAGE_SIZE * n);
    return pa;
}

/* Gives back a block taken with pmm_alloc_pages(order, kind); panics on a
 * frame that is not in use (a kernel bug). */
void pmm_free_pages(paddr_t pa, unsigned order, enum frame_kind kind)
{
    uint64_t n = 1ull << order;
    if (pa % (PAGE_SIZE << order) || pa >= HHDM_SIZE)
        panic("pmm_free: bad block 0x%lx order %u", pa, order);
    for (uint64_t f = pa / PAGE_SIZE; f < pa / PAGE_SIZE + n; f++)
        if (!frame_used(f))
            panic("pmm_free: frame 0x%lx is not in use", f * PAGE_SIZE);
    frames_set(pa, n, false);
    pmm_counts.free += n;
    pmm_counts.used[kind] -= n;
    buddy_insert(pa, order);
}

/* One zeroed frame; 0 when none is free. */
paddr_t pmm_alloc(enum frame_kind kind)
{
    return pmm_alloc_pages(0, kind);
}

/* Gives back one frame. */
void pmm_free(paddr_t pa, enum frame_kind kind)
{
    pmm_free_pages(pa, 0, kind);
}

/* Copies the number of free blocks of each order into out. */
void pmm_free_blocks(uint64_t out[PMM_MAX_ORDER + 1])
{
    for (int o = 0; o <= PMM_MAX_ORDER; o++)
        out[o] = nblocks[o];
}
