/*
 * kernel/pmm.c - the physical frame allocator: one bit per 4 KiB frame of
 * the first 4 GiB (the part the direct map covers), 1 = in use, with a
 * next-fit hint. Only single frames are ever needed (page tables and
 * demand-zero pages), so a bitmap is enough. Keeps exact counters by kind.
 */
#include "mm.h"
#include "multiboot.h"

#define MAX_FRAMES (HHDM_SIZE / PAGE_SIZE)

static uint64_t bitmap[MAX_FRAMES / 64];
static uint64_t hint;    /* word index where the next search starts */
volatile struct pmm_counts pmm_counts;

extern char kernel_phys_start[], kernel_end[];

static bool frame_used(uint64_t f)
{
    return bitmap[f / 64] >> (f % 64) & 1;
}

static void frame_set(uint64_t f, bool used)
{
    if (used)
        bitmap[f / 64] |= 1ull << (f % 64);
    else
        bitmap[f / 64] &= ~(1ull << (f % 64));
}

/* Frees the whole frames inside [start, end) of usable RAM. */
static void pmm_add_region(uint64_t start, uint64_t end)
{
    start = PAGE_UP(start);
    end = MIN(PAGE_DOWN(end), HHDM_SIZE);
    for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
        uint64_t f = pa / PAGE_SIZE;
        if (frame_used(f)) {
            frame_set(f, false);
            pmm_counts.total++;
            pmm_counts.free++;
        }
    }
}

/* Builds the bitmap from the memory map and reserves the first MiB and the
 * kernel image. Panics without a memory map. */
void pmm_init(const void *mbi_v)
{
    const struct mb_info *mbi = mbi_v;
    if (!(mbi->flags & MBI_FLAG_MMAP))
        panic("no memory map from the boot loader");
    memset(bitmap, 0xff, sizeof bitmap);
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

/* Marks the free frames of [start, end) as kernel frames. */
void pmm_reserve(paddr_t start, paddr_t end)
{
    start = PAGE_DOWN(start);
    end = MIN(PAGE_UP(end), HHDM_SIZE);
    for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
        uint64_t f = pa / PAGE_SIZE;
        if (!frame_used(f)) {
            frame_set(f, true);
            pmm_counts.free--;
            pmm_counts.used[FRAME_KERNEL]++;
        }
    }
}

/* Next-fit search for a clear bit; returns a zeroed frame or 0. */
paddr_t pmm_alloc(enum frame_kind kind)
{
    uint64_t words = ARRAY_LEN(bitmap);
    if (pmm_counts.free == 0)
        return 0;
    for (uint64_t n = 0; n < words; n++) {
        uint64_t w = (hint + n) % words;
        if (bitmap[w] == ~0ull)
            continue;
        uint64_t f = w * 64 + __builtin_ctzll(~bitmap[w]);
        frame_set(f, true);
        hint = w;
        pmm_counts.free--;
        pmm_counts.used[kind]++;
        paddr_t pa = f * PAGE_SIZE;
        memset(P2V(pa), 0, PAGE_SIZE);
        return pa;
    }
    return 0;
}

/* Clears the frame's bit; panics on a double free (a kernel bug). */
void pmm_free(paddr_t pa, enum frame_kind kind)
{
    uint64_t f = pa / PAGE_SIZE;
    if (pa % PAGE_SIZE || f >= MAX_FRAMES || !frame_used(f))
        panic("pmm_free: bad frame 0x%lx", pa);
    frame_set(f, false);
    pmm_counts.free++;
    pmm_counts.used[kind]--;
}
