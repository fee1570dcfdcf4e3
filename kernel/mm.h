/*
 * kernel/mm.h - physical frames (pmm.c) and page tables (vm.c).
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include "kernel.h"
#include "x86.h"
#include "memlayout.h"

/* Who holds a frame: every frame that is not free is counted in one kind. */
enum frame_kind { FRAME_KERNEL, FRAME_USER, FRAME_PTABLE, FRAME_KINDS };

/* Exact frame counters; volatile because the fault handler changes them
 * behind the back of code that reads them before and after. */
struct pmm_counts {
    uint64_t total;              /* usable RAM frames in the memory map */
    uint64_t free;
    uint64_t used[FRAME_KINDS];  /* free + sum(used) == total, always */
};
extern volatile struct pmm_counts pmm_counts;

/* Largest block of the buddy allocator: 2^10 frames = 4 MiB. */
#define PMM_MAX_ORDER 10

/* Reads the usable frames of the Multiboot memory map, then takes back
 * the first MiB and the kernel image. pre: mbi is mapped (direct map). */
void pmm_init(const void *mbi);
/* Marks [start, end) as used by the kernel (boot modules, boot info);
 * frames already used or outside RAM are skipped. pre: before
 * pmm_build_lists. */
void pmm_reserve(paddr_t start, paddr_t end);
/* Builds the buddy free lists from what is left free. Call once, after
 * the reservations and before any allocation. */
void pmm_build_lists(void);
/* Takes one zeroed frame for kind; returns 0 when no frame is free. */
paddr_t pmm_alloc(enum frame_kind kind);
/* Gives back a frame taken with pmm_alloc(kind). pre: it is in use. */
void pmm_free(paddr_t pa, enum frame_kind kind);
/* The same for 2^order contiguous frames (aligned to their size). */
paddr_t pmm_alloc_pages(unsigned order, enum frame_kind kind);
void pmm_free_pages(paddr_t pa, unsigned order, enum frame_kind kind);
/* Free blocks per order (for /proc/buddyinfo and the leak check). */
void pmm_free_blocks(uint64_t out[PMM_MAX_ORDER + 1]);

/* ---- vm.c: the user half of the one page-table tree ---------------------- */
/* The shared zero page: mapped read-only for reads of untouched memory, as
 * Linux does, so reading costs a fault but no frame. Never freed. */
extern paddr_t zero_frame;
/* Drops the boot identity map (from now on PML4[0..255] belong to the
 * program) and takes the zero frame. */
void vm_init(void);
/* True if the user page va is present and maps the zero frame. */
bool vm_maps_zero(uint64_t va);
/* The level-1 entry for va (user half); with create, missing tables are
 * allocated (FRAME_PTABLE). Returns NULL if absent (or no frame). */
pte_t *vm_walk(uint64_t va, bool create);
/* Maps the user page va to frame pa with flags (PTE_W, PTE_NX, PTE_U...).
 * Returns 0, or -1 when a page table could not be allocated. */
int vm_map(uint64_t va, paddr_t pa, uint64_t flags);
/* Unmaps every present page in [start, end) (page aligned), frees its
 * frame (FRAME_USER; not the zero frame) and every page table left empty.
 * Returns the number of frames freed. */
uint64_t vm_zap(uint64_t start, uint64_t end);
/* Sets the flags of every present page in [start, end) to flags (never
 * PTE_W for the zero frame). */
void vm_protect(uint64_t start, uint64_t end, uint64_t flags);

#endif
