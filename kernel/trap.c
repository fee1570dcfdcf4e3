/*
 * kernel/trap.c - the interrupt descriptor table, the legacy PICs, and
 * trap(): where every exception and interrupt lands (see entry.S).
 * Page faults go to fault_handle; the timer enforces RLIMIT_CPU; other
 * exceptions from ring 3 kill the
 * program with the signal Linux would send; any exception in ring 0 other
 * than a page fault the fault handler accepts is a kernel bug: panic.
 */
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "proc.h"
#include "memlayout.h"

struct idt_entry {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_entry idt[256];
extern const uint64_t trap_vectors[48];

#define PIC1 0x20
#define PIC2 0xa0
#define IRQ_BASE 0x20

/* Remaps IRQ 0-15 to vectors 0x20-0x2f (the BIOS leaves IRQ 0 on vector
 * 8, where a timer tick would look like a double fault) and masks all but
 * the timer. */
static void pic_init(void)
{
    outb(PIC1, 0x11);
    outb(PIC2, 0x11);
    outb(PIC1 + 1, IRQ_BASE);
    outb(PIC2 + 1, IRQ_BASE + 8);
    outb(PIC1 + 1, 4);
    outb(PIC2 + 1, 2);
    outb(PIC1 + 1, 1);
    outb(PIC2 + 1, 1);
    outb(PIC1 + 1, 0xff & ~1);   /* all masked but IRQ 0, the PIT tick */
    outb(PIC2 + 1, 0xff);
}

/* Puts the local APIC in virtual-wire mode (LINT0 = ExtINT), so the PIC's
 * interrupts reach the CPU. A BIOS does this; microvm's boot path does
 * not. The spurious vector is 0x2f, which trap() acknowledges harmlessly. */
static void lapic_virtual_wire(void)
{
    uint64_t base = rdmsr(0x1b);                 /* IA32_APIC_BASE */
    if (!(base & (1u << 11)))
        return;                                   /* APIC disabled */
    volatile uint32_t *lapic = P2V(base & 0xfffff000u);
    lapic[0xf0 / 4] = 0x100 | (IRQ_BASE + 15);    /* SVR: enable */
    lapic[0x350 / 4] = 0x700;                     /* LVT LINT0: ExtINT */
}

/* IRQ 0 (100 Hz). The kernel runs with interrupts off, so a tick always
 * lands in ring 3: enforce RLIMIT_CPU there as Linux does (SIGXCPU at the
 * soft limit; the whole run of the program counts as CPU time). */
static void timer_tick(struct trapframe *tf)
{
    struct proc *p = curproc;
    if ((tf->cs & 3) != 3 || !p)
        return;
    uint64_t limit = p->rlim[RLIMIT_CPU_NR].cur;
    if (limit == RLIM_INFINITY || clock_ns() - p->start_ns < limit * 1000000000ull)
        return;
    kprintf("[kernel] cpu time limit (%lu s) exceeded: killed process %d (%s)\n",
            limit, p->pid, p->name);
    proc_exit(128 + 24);
}

/* Builds the IDT (interrupt gates, DPL 0: `int n` from ring 3 gives #GP)
 * and loads it; sets up the PICs. */
void trap_init(void)
{
    for (int v = 0; v < 48; v++) {
        uint64_t a = trap_vectors[v];
        idt[v] = (struct idt_entry){
            .off_lo = a & 0xffff, .sel = SEL_KCODE, .ist = v == 8 ? 1 : 0, .type = 0x8e,
            .off_mid = (a >> 16) & 0xffff, .off_hi = a >> 32, .zero = 0,
        };
    }
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) r = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(r));
    pic_init();
    lapic_virtual_wire();
}

static const char *const exc_names[32] = {
    "divide error", "debug", "nmi", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", "coprocessor",
    "invalid tss", "segment not present", "stack fault",
    "general protection fault", "page fault", "reserved", "x87 fault",
    "alignment check", "machine check", "simd fault",
};

/* The status a Linux shell reports for a program killed by the signal the
 * exception raises (128 + signal number). */
static int exc_status(uint64_t vector)
{
    switch (vector) {
    case 0: case 16: case 19: return 128 + 8;   /* SIGFPE */
    case 1: case 3: return 128 + 5;             /* SIGTRAP */
    case 6: return 128 + 4;                     /* SIGILL */
    case 17: return 128 + 7;                    /* SIGBUS */
    default: return 128 + 11;                   /* SIGSEGV */
    }
}

static const char *exc_name(uint64_t v)
{
    return v < 32 && exc_names[v] ? exc_names[v] : "exception";
}

/* Called by trap_common with interrupts off. */
void trap(struct trapframe *tf)
{
    bool from_user = (tf->cs & 3) == 3;
    if (tf->vector >= IRQ_BASE) {
        /* Masked PICs only deliver spurious IRQs (7, 15): no EOI for those
         * on the master; acknowledge anything else. */
        if (tf->vector >= IRQ_BASE + 8)
            outb(PIC2, 0x20);
        outb(PIC1, 0x20);
        if (tf->vector == IRQ_BASE)
            timer_tick(tf);
        return;
    }
    if (tf->vector == 14) {
        fault_handle(tf);
        return;
    }
    if (from_user) {
        kprintf("[kernel] %s at ip 0x%lx sp 0x%lx error 0x%lx\n",
                exc_name(tf->vector), tf->rip, tf->rsp, tf->error);
        proc_exit(exc_status(tf->vector));
    }
    panic("%s (vector %lu) in the kernel at rip 0x%lx, error 0x%lx, rsp 0x%lx",
          exc_name(tf->vector), tf->vector, tf->rip, tf->error, tf->rsp);
}
