/*
 * libc/src/tide_sys.c - the allocator's platform contract (allocator/sys.h)
 * implemented with this libc's system calls. This is what a hobby OS gets
 * for free by adopting the libc: brk, anonymous mmap, munmap,
 * madvise(MADV_DONTNEED) as purge, and mremap as remap when the kernel has
 * it. Raw calls, so errno only changes when the core reports a failure
 * through set_errno, as malloc must.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "sys.h"
#include "syscall.h"

static bool sys_purge(void *addr, size_t len)
{
    return __syscall3(SYS_madvise, addr, len, MADV_DONTNEED) == 0;
}

static void *sys_remap(void *addr, size_t old_len, size_t new_len)
{
    long r = __syscall4(SYS_mremap, addr, old_len, new_len, MREMAP_MAYMOVE);
    return r < 0 && r > -4096 ? NULL : (void *)r;
}

/* mremap is optional for a port: a call with a zero length is -EINVAL
 * where it exists and -ENOSYS where it does not. */
static bool have_mremap(void)
{
    return __syscall4(SYS_mremap, 0, 0, 0, 0) != -ENOSYS;
}

static void sys_yield(void)
{
    __syscall0(SYS_sched_yield);
}

static void sys_set_errno(enum tide_error err)
{
    errno = err == TIDE_ENOMEM ? ENOMEM : EINVAL;
}

static uint64_t sys_now_ns(void)
{
    struct timespec ts;
    if (__syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *sys_getenv(const char *name)
{
    return getenv(name);
}

void tide_sys_init(struct tide_sys_caps *caps)
{
    caps->page_size = 4096;
    caps->brk_zeroed = true;    /* Linux and our kernel hand out zeroed pages */
    caps->mmap_zeroed = true;
    caps->purge = sys_purge;
    caps->remap = have_mremap() ? sys_remap : NULL;
    caps->yield = sys_yield;
    caps->set_errno = sys_set_errno;
    caps->now_ns = sys_now_ns;
    caps->getenv = sys_getenv;
}

void *tide_sys_brk(void *addr)
{
    return (void *)__syscall1(SYS_brk, addr);
}

void *tide_sys_mmap(size_t len)
{
    long r = __syscall6(SYS_mmap, 0, (long)len, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return r < 0 && r > -4096 ? NULL : (void *)r;
}

int tide_sys_munmap(void *addr, size_t len)
{
    return __syscall2(SYS_munmap, addr, len) == 0 ? 0 : -1;
}

void tide_sys_write(const char *msg, size_t len)
{
    while (len) {
        long w = __syscall3(SYS_write, 2, msg, len);
        if (w <= 0)
            return;
        msg += w;
        len -= (size_t)w;
    }
}

_Noreturn void tide_sys_abort(void)
{
    for (;;)
        __syscall1(SYS_exit_group, 134);
}
