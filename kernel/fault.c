/*
 * kernel/fault.c - the page-fault handler: what the seeds (S12) describe.
 * Find the area of the address; check the access against it; take a frame;
 * zero it; map it; return so the instruction runs again (reads map the
 * shared zero page until the first write). Anything else is a segmentation
 * fault: one line, and the program ends with status 139.
 */
#include "proc.h"
#include "mm.h"

volatile uint64_t fault_cycles, fault_count;

static _Noreturn void segfault(uint64_t addr, uint64_t ip, const char *why)
{
    kprintf("[kernel] segfault at 0x%lx ip 0x%lx (%s)\n", addr, ip, why);
    proc_exit(128 + 11);
}

/* kernel.tracefaults=N: the steps of the first N faults of a program. */
static void fault_trace(const struct vma *v, uint64_t va, bool write, paddr_t pa)
{
    if (curproc->minflt >= kopts.trace_faults)
        return;
    kprintf("[kernel] fault %lu: %s at 0x%lx -> area %lx-%lx %c%c%c -> %s 0x%lx "
            "mapped at %lx -> retry\n", curproc->minflt + 1, write ? "write" : "read",
            va, v->start, v->end, v->prot & VMA_READ ? 'r' : '-',
            v->prot & VMA_WRITE ? 'w' : '-', v->prot & VMA_EXEC ? 'x' : '-',
            pa == zero_frame ? "shared zero page" : "zeroed frame", pa, PAGE_DOWN(va));
}

/* Maps a zero page for an allowed access; see proc.h. Returns 0, -1 (no
 * area: "not mapped") or -2 (the area forbids it: "protection").
 * A read maps the shared zero frame read-only; a write (also a write to
 * the zero frame) maps a fresh zeroed frame of the program's own. */
int fault_populate(uint64_t va, bool write)
{
    struct proc *p = curproc;
    struct vma *v = vma_find_grow(p, va);
    if (!v)
        return -1;
    if (write ? !(v->prot & VMA_WRITE) : !v->prot)
        return -2;
    if (!write) {
        if (vm_map(PAGE_DOWN(va), zero_frame, vma_pte_flags(v->prot) & ~PTE_W) < 0)
            proc_oom_kill();
        fault_trace(v, va, write, zero_frame);
        p->minflt++;
        return 0;
    }
    paddr_t pa = pmm_alloc(FRAME_USER);    /* already zeroed */
    if (!pa)
        proc_oom_kill();
    if (vm_map(PAGE_DOWN(va), pa, vma_pte_flags(v->prot)) < 0) {
        pmm_free(pa, FRAME_USER);
        proc_oom_kill();
    }
    fault_trace(v, va, write, pa);
    p->minflt++;
    p->resident++;
    if (p->resident > p->maxrss)
        p->maxrss = p->resident;
    return 0;
}

/* Vector 14. Ring-0 faults are kernel bugs: user memory is only touched
 * through uaccess.c, which maps missing pages first. */
void fault_handle(struct trapframe *tf)
{
    uint64_t t0 = rdtsc();
    uint64_t addr = read_cr2(), err = tf->error;
    if (!(err & PF_USER) || (err & PF_RSVD) || !curproc)
        panic("page fault at 0x%lx ip 0x%lx error 0x%lx", addr, tf->rip, err);
    if (addr >= USER_TOP)
        segfault(addr, tf->rip, "kernel address");
    /* Present: only a write to the zero page is not a violation. */
    if ((err & PF_PRESENT) && !((err & PF_WRITE) && vm_maps_zero(addr)))
        segfault(addr, tf->rip, "protection");
    struct vma *v = vma_find_grow(curproc, addr);
    if (v && (err & PF_INSTR) && !(v->prot & VMA_EXEC))
        segfault(addr, tf->rip, "protection");
    int r = fault_populate(addr, err & PF_WRITE);
    if (r == -1)
        segfault(addr, tf->rip, "not mapped");
    if (r == -2)
        segfault(addr, tf->rip, "protection");
    fault_cycles += rdtsc() - t0;
    fault_count++;
}
