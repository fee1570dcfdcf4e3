/*
 * kernel/memlayout.h - the virtual and physical address map of the kernel.
 *
 * Everything that depends on where things live (the direct map, the kernel
 * image, the user half and the places inside it) is defined here, once.
 */
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

/*
 * Virtual address space (one page-table tree, shared by kernel and program):
 *
 *  0xffffffffffffffff +------------------------------+
 *                     | kernel image (PML4[511],     |  KERNBASE + phys, 1 GiB
 *  0xffffffff80000000 | PDPT[510]: 2 MiB pages, no U)|  -mcmodel=kernel
 *                     +------------------------------+
 *                     |            unused            |
 *  0xffff800100000000 +------------------------------+
 *                     | direct map of physical RAM   |  HHDM_BASE + phys,
 *  0xffff800000000000 | (PML4[256], 2 MiB pages, no U)|  first 4 GiB
 *                     +------------------------------+
 *                     |  non-canonical hole          |  #GP if touched
 *  0x0000800000000000 +------------------------------+  USER_TOP
 *                     | [stack]  132 KiB at start,   |  STACK_TOP
 *                     | grows down on faults to      |
 *                     | RLIMIT_STACK (8 MiB at most) |
 *                     +------------------------------+  STACK_TOP - 8 MiB
 *                     | gap (128 MiB, as Linux)      |
 *                     +------------------------------+  MMAP_BASE
 *                     | anonymous mmaps, top-down    |
 *                     |   ...                        |
 *                     | [heap]  [start_brk, brk)     |  grows up
 *                     | .data .bss  (from the ELF)   |
 *  0x0000000000400000 | .text       (from the ELF)   |  USER_IMAGE_MIN
 *  0x0000000000000000 +------------------------------+  never mapped
 *
 * Physical memory (QEMU, Multiboot1):
 *   [0, 1 MiB)            firmware, VGA, BIOS: never used
 *   [1 MiB, kernel end)   kernel image (.boot, .text, .rodata, .data, .bss)
 *   after the kernel      the Multiboot modules (the programs), then free RAM
 */

#define KERNBASE        0xffffffff80000000ul
#define HHDM_BASE       0xffff800000000000ul
#define HHDM_SIZE       0x100000000ul      /* 4 GiB mapped by boot.S */

#define USER_TOP        0x0000800000000000ul
/* Highest end of a mapping (Linux's TASK_SIZE): the last page below the
 * hole stays unmapped, so a `syscall` can never return to a non-canonical
 * rip (sysret would fault in ring 0). */
#define TASK_SIZE       0x00007ffffffff000ul
#define STACK_TOP       0x00007ffffffff000ul
#define STACK_SIZE      (8ul << 20)         /* the most the stack may grow to */
#define STACK_INITIAL   (132ul << 10)       /* as Linux sets it up at exec */
#define STACK_GUARD_GAP (256ul << 12)       /* Linux's stack_guard_gap */
#define MMAP_BASE       (STACK_TOP - STACK_SIZE - (128ul << 20))
#define USER_IMAGE_MIN  0x10000ul          /* Linux's mmap_min_addr */

#define PAGE_SIZE       4096ul
#define PAGE_SHIFT      12

#define PAGE_DOWN(a)    ((uint64_t)(a) & ~(PAGE_SIZE - 1))
#define PAGE_UP(a)      (((uint64_t)(a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

/* Physical <-> kernel-virtual through the direct map. */
#define P2V(pa)         ((void *)((uint64_t)(pa) + HHDM_BASE))
#define V2P(va)         ((uint64_t)(va) - HHDM_BASE)
/* Physical address of a symbol of the kernel image. */
#define KSYM_PHYS(va)   ((uint64_t)(va) - KERNBASE)

#endif
