/*
 * kernel/syscall.c - the `syscall` instruction: MSR set-up and the
 * dispatcher from Linux x86-64 numbers to the ksys_* functions. Unknown
 * numbers return -ENOSYS and log one line.
 */
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "proc.h"
#include "errno.h"
#include "syscall.h"

extern char syscall_entry[];
volatile uint64_t syscall_cycles, syscall_count;

/* STAR: kernel CS 0x08 (SS 0x10) on entry; sysret takes CS = 0x20|3 and
 * SS = 0x18|3 from base 0x10 (see the GDT order in gdt.c). SFMASK clears
 * TF, DF, IF, IOPL, AC and NT on entry. */
void syscall_init(void)
{
    wrmsr(MSR_STAR, (0x10ull << 48) | ((uint64_t)SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_SFMASK, 0x47700);
}

static long syscall_call(struct syscall_frame *f)
{
    u64 a = f->rdi, b = f->rsi, c = f->rdx, d = f->r10, e = f->r8, g = f->r9;
    switch (f->nr) {
    case 0: return ksys_read(a, b, c);
    case 1: return ksys_write(a, b, c);
    case 2: return ksys_open(a, b, c);
    case 3: return ksys_close(a);
    case 9: return ksys_mmap(a, b, c, d, e, g);
    case 10: return ksys_mprotect(a, b, c);
    case 11: return ksys_munmap(a, b);
    case 12: return ksys_brk(a);
    case 24: return ksys_sched_yield();
    case 25: return ksys_mremap(a, b, c, d, e);
    case 28: return ksys_madvise(a, b, c);
    case 39: return ksys_getpid();
    case 60: return ksys_exit(a);
    case 97: return ksys_getrlimit(a, b);
    case 98: return ksys_getrusage(a, b);
    case 158: return ksys_arch_prctl(a, b);
    case 160: return ksys_setrlimit(a, b);
    case 228: return ksys_clock_gettime(a, b);
    case 231: return ksys_exit(a);
    case 257: return ksys_openat(a, b, c, d);
    case 302: return ksys_prlimit64(a, b, c, d);
    default:
        if (proc_may_log())
            kprintf("[kernel] unknown system call %lu from ip 0x%lx: -ENOSYS\n",
                    f->nr, f->rip);
        return -ENOSYS;
    }
}

/* kernel.tracemem=1: the memory calls, strace-style. */
static void syscall_trace(const struct syscall_frame *f, long r)
{
    static const char *const names[] = {
        [9] = "mmap", [10] = "mprotect", [11] = "munmap", [12] = "brk", [25] = "mremap", [28] = "madvise",
    };
    if (!kopts.trace_mem || f->nr >= ARRAY_LEN(names) || !names[f->nr])
        return;
    if (f->nr == 12)
        kprintf("[kernel] brk(0x%lx) = 0x%lx\n", f->rdi, (uint64_t)r);
    else if (f->nr == 9)
        kprintf("[kernel] mmap(0x%lx, %lu, 0x%lx, 0x%lx, %ld, %lu) = %s0x%lx\n", f->rdi,
                f->rsi, f->rdx, f->r10, (long)f->r8, f->r9, r < 0 ? "-" : "",
                r < 0 ? (uint64_t)-r : (uint64_t)r);
    else if (f->nr == 25)
        kprintf("[kernel] mremap(0x%lx, %lu, %lu, 0x%lx) = 0x%lx\n", f->rdi, f->rsi,
                f->rdx, f->r10, (uint64_t)r);
    else if (f->nr == 11)
        kprintf("[kernel] munmap(0x%lx, %lu) = %ld\n", f->rdi, f->rsi, r);
    else
        kprintf("[kernel] %s(0x%lx, %lu, 0x%lx) = %ld\n", names[f->nr], f->rdi, f->rsi,
                f->rdx, r);
}

/* Called by syscall_entry with interrupts off; returns the value for rax. */
uint64_t syscall_dispatch(struct syscall_frame *f)
{
    uint64_t t0 = rdtsc();
    long r = syscall_call(f);
    syscall_trace(f, r);
    syscall_cycles += rdtsc() - t0;
    syscall_count++;
    return (uint64_t)r;
}
