/*
 * kernel/gdt.c - the global descriptor table and the task-state segment.
 *
 * The order of the GDT is fixed by SYSCALL/SYSRET (STAR, see syscall.c):
 *   0x00 null | 0x08 kernel code | 0x10 kernel data | 0x18 user data |
 *   0x20 user code (64-bit) | 0x28 TSS (16 bytes)
 * The TSS supplies rsp0, the stack for traps taken in ring 3, and IST 1,
 * the stack for double faults.
 */
#include "kernel.h"
#include "x86.h"

struct tss {
    uint32_t reserved0;
    uint64_t rsp0, rsp1, rsp2;
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

static struct tss tss;
static uint64_t gdt[7];
/* The stack for double faults (IST 1): a fault with a broken kernel stack
 * still gets to print its panic line instead of triple-faulting. */
static char df_stack[4096] __attribute__((aligned(16)));

struct gdtr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void gdt_set_tss(void)
{
    uint64_t base = (uint64_t)&tss;
    uint64_t limit = sizeof tss - 1;
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
             (0x89ull << 40) |                 /* present, 64-bit TSS available */
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
}

/* Loads the GDT, reloads every segment register, loads the task register. */
void gdt_init(void)
{
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull;   /* kernel code, L=1 */
    gdt[2] = 0x00cf92000000ffffull;   /* kernel data */
    gdt[3] = 0x00cff2000000ffffull;   /* user data, DPL 3 */
    gdt[4] = 0x00affa000000ffffull;   /* user code, L=1, DPL 3 */
    tss.iomap_base = sizeof tss;      /* no I/O bitmap: ring 3 has no ports */
    tss.rsp0 = (uint64_t)kstack_top;
    tss.ist[0] = (uint64_t)(df_stack + sizeof df_stack);
    gdt_set_tss();

    struct gdtr r = { sizeof gdt - 1, (uint64_t)gdt };
    __asm__ volatile(
        "lgdt %0\n"
        "pushq $0x08\n"
        "leaq 1f(%%rip), %%rax\n"
        "pushq %%rax\n"
        "lretq\n"
        "1: movw $0x10, %%ax\n"
        "movw %%ax, %%ds\n movw %%ax, %%es\n movw %%ax, %%ss\n"
        "xorw %%ax, %%ax\n movw %%ax, %%fs\n movw %%ax, %%gs\n"
        "movw $0x28, %%ax\n ltr %%ax\n"
        : : "m"(r) : "rax", "memory");
}

/* Sets the ring-0 stack used when a trap arrives from ring 3. */
void tss_set_rsp0(uint64_t rsp0)
{
    tss.rsp0 = rsp0;
}
