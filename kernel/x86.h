/*
 * kernel/x86.h - the x86-64 bits the kernel uses: page-table entry flags,
 * page-fault error-code bits, MSR numbers, segment selectors, and small
 * inline wrappers around the privileged instructions.
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include <stdint.h>

typedef uint64_t pte_t;
typedef uint64_t paddr_t;

/* Page-table entry bits (same at every level; PS only in PDPT/PD). */
#define PTE_P      (1ull << 0)   /* present */
#define PTE_W      (1ull << 1)   /* writable */
#define PTE_U      (1ull << 2)   /* reachable from ring 3 */
#define PTE_PS     (1ull << 7)   /* 2 MiB / 1 GiB page */
#define PTE_NX     (1ull << 63)  /* no instruction fetch (EFER.NXE) */
#define PTE_ADDR   0x000ffffffffff000ull

/* Page-fault error code (pushed by the CPU for vector 14). */
#define PF_PRESENT (1u << 0)     /* 0: page not present; 1: protection */
#define PF_WRITE   (1u << 1)     /* the access was a write */
#define PF_USER    (1u << 2)     /* the access came from ring 3 */
#define PF_RSVD    (1u << 3)     /* reserved bit set in an entry */
#define PF_INSTR   (1u << 4)     /* instruction fetch (with NXE) */

/* Segment selectors: the GDT order SYSCALL/SYSRET need (see gdt.c). */
#define SEL_KCODE  0x08
#define SEL_KDATA  0x10
#define SEL_UDATA  (0x18 | 3)
#define SEL_UCODE  (0x20 | 3)
#define SEL_TSS    0x28

/* Model-specific registers. */
#define MSR_EFER    0xc0000080
#define MSR_STAR    0xc0000081
#define MSR_LSTAR   0xc0000082
#define MSR_SFMASK  0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101

#define RFLAGS_IF  (1ull << 9)

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Compiler barrier: counters changed by the fault handler must be re-read. */
static inline void barrier(void)
{
    __asm__ volatile("" : : : "memory");
}

#endif
