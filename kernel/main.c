/*
 * kernel/main.c - kmain: bring the machine up (console, GDT/TSS, IDT/PIC,
 * frames, page tables, syscall MSRs, clock), then run every boot module as
 * a program, one after another, and report for each one its status, its
 * page faults and peak resident size, and whether every frame came back.
 */
#include "kernel.h"
#include "mm.h"
#include "proc.h"
#include "multiboot.h"
#include "syscall.h"
#include "slab.h"

#define MAX_MODULES 64

struct module {
    paddr_t start, end;
    char cmdline[256];
};

static struct module modules[MAX_MODULES];
static int nmodules;

/* Copies the module list out of the boot information and reserves the
 * frames of the modules and of the boot information itself. */
static void boot_modules(const struct mb_info *mbi, paddr_t mbi_pa)
{
    pmm_reserve(mbi_pa, mbi_pa + sizeof *mbi);
    if (mbi->flags & MBI_FLAG_MMAP)
        pmm_reserve(mbi->mmap_addr, mbi->mmap_addr + mbi->mmap_length);
    if ((mbi->flags & MBI_FLAG_CMDLINE) && mbi->cmdline) {
        const char *c = P2V(mbi->cmdline);
        size_t n = MIN(strlen(c), sizeof kernel_cmdline - 1);
        memcpy(kernel_cmdline, c, n);
        kernel_cmdline[n] = '\0';
    }
    if (!(mbi->flags & MBI_FLAG_MODS))
        return;
    const struct mb_module *m = P2V(mbi->mods_addr);
    pmm_reserve(mbi->mods_addr, mbi->mods_addr + mbi->mods_count * sizeof *m);
    for (uint32_t i = 0; i < mbi->mods_count && nmodules < MAX_MODULES; i++) {
        struct module *mod = &modules[nmodules++];
        mod->start = m[i].start;
        mod->end = m[i].end;
        const char *s = m[i].string ? P2V(m[i].string) : "program";
        size_t n = MIN(strlen(s), sizeof mod->cmdline - 1);
        memcpy(mod->cmdline, s, n);
        mod->cmdline[n] = '\0';
        pmm_reserve(m[i].start, m[i].end);
    }
}

static void report_frames(const char *when)
{
    kprintf("[kernel] frames %s: %lu total, %lu free, %lu kernel, %lu user, "
            "%lu page tables\n", when, pmm_counts.total, pmm_counts.free,
            pmm_counts.used[FRAME_KERNEL], pmm_counts.used[FRAME_USER],
            pmm_counts.used[FRAME_PTABLE]);
}

/* Runs module i and prints its one-line report. */
static void run_module(int i)
{
    struct module *m = &modules[i];
    uint64_t free_before = pmm_counts.free;
    uint64_t blocks_before[PMM_MAX_ORDER + 1], blocks_after[PMM_MAX_ORDER + 1];
    pmm_free_blocks(blocks_before);
    kprintf("[kernel] ---- program %d of %d: %s\n", i + 1, nmodules, m->cmdline);
    uint64_t f0 = fault_count, fc0 = fault_cycles;
    uint64_t s0 = syscall_count, sc0 = syscall_cycles;
    int status = proc_run(P2V(m->start), m->end - m->start, m->cmdline);
    uint64_t free_after = pmm_counts.free;
    pmm_free_blocks(blocks_after);
    /* No leak: the same frames are free, so the buddy lists (canonical for
     * a set of free frames) must be the same too. */
    bool same_lists = memcmp(blocks_before, blocks_after, sizeof blocks_after) == 0;
    struct proc *p = proc_last();
    uint64_t nf = fault_count - f0, ns = syscall_count - s0;
    /* TSC ticks spent inside fault_handle / syscall_dispatch (entry and
     * exit stubs not included); under `-icount shift=0` ticks are
     * instructions. */
    kprintf("[kernel] cost: %lu page faults, %lu tsc ticks each; %lu syscalls, "
            "%lu ticks each\n", nf, nf ? (fault_cycles - fc0) / nf : 0,
            ns, ns ? (syscall_cycles - sc0) / ns : 0);
    kprintf("[kernel] exit %s status %d: minflt %lu maxrss %lu kB, frames free "
            "before %lu after %lu (%s)\n", p->name, status, p->minflt,
            p->maxrss * (PAGE_SIZE / 1024), free_before, free_after,
            free_before != free_after ? "LEAK" :
            same_lists ? "none leaked" : "LEAK: buddy lists differ");
}

/* Entry from boot.S: magic and the physical address of the Multiboot
 * information. */
void kmain(uint32_t magic, uint32_t info_pa)
{
    cons_init();
    if (magic != MB_BOOT_MAGIC)
        panic("not started by a Multiboot loader (magic 0x%x)", magic);
    gdt_init();
    trap_init();
    const struct mb_info *mbi = P2V(info_pa);
    pmm_init(mbi);
    boot_modules(mbi, info_pa);
    pmm_build_lists();
    kmem_cache_init(&vma_cache, "vm_area_struct", sizeof(struct vma));
    options_parse(kernel_cmdline);
    vm_init();
    syscall_init();
    clock_init();
    kprintf("[kernel] tide kernel up: %lu MiB of RAM, %d program(s), tsc %lu MHz\n",
            pmm_counts.total * PAGE_SIZE >> 20, nmodules, clock_tsc_hz() / 1000000);
    report_frames("at boot");
    for (int i = 0; i < nmodules; i++)
        run_module(i);
    report_frames("at the end");
    qemu_exit(QEXIT_DONE);
}
