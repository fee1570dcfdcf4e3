/*
 * libc/src/syscalls.c - the POSIX wrappers over the raw system calls:
 * every call this libc makes to the kernel is listed here (docs/PORTING.md
 * describes what each must do). Failures give -1 and set errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "syscall.h"

long __syscall_ret(long raw)
{
    if (raw < 0 && raw > -4096) {
        errno = (int)-raw;
        return -1;
    }
    return raw;
}

ssize_t read(int fd, void *buf, size_t count)
{
    return __syscall_ret(__syscall3(SYS_read, fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
    return __syscall_ret(__syscall3(SYS_write, fd, buf, count));
}

int open(const char *path, int flags, ...)
{
    int mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, int);
        va_end(ap);
    }
    return (int)__syscall_ret(__syscall3(SYS_open, path, flags, mode));
}

int close(int fd)
{
    return (int)__syscall_ret(__syscall1(SYS_close, fd));
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    long r = __syscall6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
    return (void *)__syscall_ret(r);
}

void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
    void *new_addr = NULL;
    if (flags & MREMAP_FIXED) {
        va_list ap;
        va_start(ap, flags);
        new_addr = va_arg(ap, void *);
        va_end(ap);
    }
    long r = __syscall6(SYS_mremap, (long)old, (long)old_len, (long)new_len, flags,
                        (long)new_addr, 0);
    return (void *)__syscall_ret(r);
}

int munmap(void *addr, size_t len)
{
    return (int)__syscall_ret(__syscall2(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
    return (int)__syscall_ret(__syscall3(SYS_mprotect, addr, len, prot));
}

int madvise(void *addr, size_t len, int advice)
{
    return (int)__syscall_ret(__syscall3(SYS_madvise, addr, len, advice));
}

/* The kernel's brk never fails with an errno: it returns the break, which
 * is the old one when the move was refused. Nothing is cached here: the
 * allocator moves the break with its own raw calls. */
int brk(void *addr)
{
    if ((void *)__syscall1(SYS_brk, addr) != addr) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void *sbrk(intptr_t increment)
{
    char *old = (char *)__syscall1(SYS_brk, 0);
    if (increment == 0)
        return old;
    if (brk(old + increment) < 0)
        return (void *)-1;
    return old;
}

pid_t getpid(void)
{
    return (pid_t)__syscall0(SYS_getpid);
}

int getrusage(int who, struct rusage *usage)
{
    return (int)__syscall_ret(__syscall2(SYS_getrusage, who, usage));
}

int getrlimit(int resource, struct rlimit *rl)
{
    return (int)__syscall_ret(__syscall2(SYS_getrlimit, resource, rl));
}

int setrlimit(int resource, const struct rlimit *rl)
{
    return (int)__syscall_ret(__syscall2(SYS_setrlimit, resource, rl));
}

int prlimit(pid_t pid, int resource, const struct rlimit *new_limit,
            struct rlimit *old_limit)
{
    long r = __syscall4(SYS_prlimit64, pid, resource, new_limit, old_limit);
    return (int)__syscall_ret(r);
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
    return (int)__syscall_ret(__syscall2(SYS_clock_gettime, clock, ts));
}

int arch_prctl(int code, unsigned long addr)
{
    return (int)__syscall_ret(__syscall2(SYS_arch_prctl, code, addr));
}

int sched_yield(void)
{
    return (int)__syscall_ret(__syscall0(SYS_sched_yield));
}

long syscall(long nr, ...)
{
    va_list ap;
    long a[6];
    va_start(ap, nr);
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    return __syscall_ret(__syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

int getpagesize(void)
{
    return 4096;
}

long sysconf(int name)
{
    if (name == _SC_PAGESIZE)
        return 4096;
    errno = EINVAL;
    return -1;
}

_Noreturn void _exit(int status)
{
    for (;;) {
        __syscall1(SYS_exit_group, status);
        __syscall1(SYS_exit, status);
    }
}
