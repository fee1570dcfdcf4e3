/*
 * kernel/multiboot.h - the parts of the Multiboot1 information structure
 * the kernel reads: the memory map and the modules (the programs).
 */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include <stdint.h>

#define MB_BOOT_MAGIC  0x2badb002
#define MBI_FLAG_CMDLINE (1u << 2)
#define MBI_FLAG_MODS  (1u << 3)
#define MBI_FLAG_MMAP  (1u << 6)

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
    uint32_t start, end;   /* physical [start, end) */
    uint32_t string;       /* physical address of the command line */
    uint32_t reserved;
} __attribute__((packed));

/* One entry of the memory map; size does not count itself. */
struct mb_mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;         /* 1: usable RAM */
} __attribute__((packed));

#endif
