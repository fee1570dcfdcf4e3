/*
 * kernel/sys_proc.c - the process system calls: getpid, exit/exit_group,
 * getrusage (ru_minflt, ru_maxrss), getrlimit/setrlimit/prlimit64,
 * arch_prctl (FS/GS base for thread-local storage), clock_gettime and
 * sched_yield. Linux numbers, structures and errors.
 */
#include "proc.h"
#include "mm.h"
#include "errno.h"
#include "syscall.h"

/* getpid(2): programs are numbered from 1 in the order they run. */
long ksys_getpid(void)
{
    return curproc->pid;
}

/* exit(2) and exit_group(2): does not return. */
long ksys_exit(u64 status)
{
    proc_exit((int)(status & 0xff));
}

/* sched_yield(2): always 0. */
long ksys_sched_yield(void)
{
    return 0;   /* one program: nobody to yield to */
}

struct timeval64 {
    int64_t sec, usec;
};

struct rusage64 {
    struct timeval64 utime, stime;
    int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock,
        oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

/* RUSAGE_SELF / RUSAGE_THREAD: the program's counters (all its time is
 * counted as user time); RUSAGE_CHILDREN: no children, all zero. */
long ksys_getrusage(u64 who, u64 usage)
{
    struct rusage64 ru;
    memset(&ru, 0, sizeof ru);
    if (who == 0 || who == 1) {
        uint64_t ns = clock_ns() - curproc->start_ns;
        ru.utime = (struct timeval64){ (int64_t)(ns / 1000000000),
                                       (int64_t)(ns % 1000000000 / 1000) };
        ru.maxrss = (int64_t)(curproc->maxrss * (PAGE_SIZE / 1024));
        ru.minflt = (int64_t)curproc->minflt;
    } else if (who != (u64)-1) {
        return -EINVAL;
    }
    return copy_to_user(usage, &ru, sizeof ru);
}

/* getrlimit(2): 0, -EINVAL (resource), -EFAULT. */
long ksys_getrlimit(u64 resource, u64 rlim)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    return copy_to_user(rlim, &curproc->rlim[resource], sizeof(struct rlimit64));
}

/* prlimit64(2) on this program (pid 0 or ours, else -ESRCH): sets the
 * new limit (soft above hard: -EINVAL), then stores the old one. */
long ksys_prlimit64(u64 pid, u64 resource, u64 new_rlim, u64 old_rlim)
{
    struct proc *p = curproc;
    struct rlimit64 nl, old;
    if (pid != 0 && pid != (u64)p->pid)
        return -ESRCH;
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    if (new_rlim) {
        if (copy_from_user(&nl, new_rlim, sizeof nl) < 0)
            return -EFAULT;
        if (nl.cur > nl.max)
            return -EINVAL;
    }
    old = p->rlim[resource];
    if (new_rlim)
        p->rlim[resource] = nl;
    if (old_rlim && copy_to_user(old_rlim, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

/* setrlimit(2): prlimit64 without the old value. */
long ksys_setrlimit(u64 resource, u64 rlim)
{
    if (!rlim)
        return -EFAULT;
    return ksys_prlimit64(0, resource, rlim, 0);
}

/* ARCH_SET_FS / ARCH_SET_GS write the base MSR (there is no swapgs: the
 * kernel never uses GS); GET_* copy it out. */
long ksys_arch_prctl(u64 code, u64 addr)
{
    uint64_t v;
    switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
        if (addr >= USER_TOP)
            return -EPERM;
        wrmsr(code == ARCH_SET_FS ? MSR_FS_BASE : MSR_GS_BASE, addr);
        return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS:
        v = rdmsr(code == ARCH_GET_FS ? MSR_FS_BASE : MSR_GS_BASE);
        return copy_to_user(addr, &v, sizeof v);
    default:
        return -EINVAL;
    }
}

/* Every Linux clock id reads the TSC clock: REALTIME counts from boot
 * (there is no RTC driver), the CPU-time clocks from the program's start. */
long ksys_clock_gettime(u64 clock, u64 ts)
{
    if (clock > 11 || clock == 10)
        return -EINVAL;
    uint64_t ns = clock_ns();
    if (clock == 2 || clock == 3)
        ns -= curproc->start_ns;
    int64_t t[2] = { (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000) };
    return copy_to_user(ts, t, sizeof t);
}
