/*
 * host/sys_linux.c - the platform contract (allocator/sys.h) on Linux
 * x86-64, with raw system calls: never glibc's brk/sbrk/mmap wrappers,
 * which may allocate, recurse or set errno while tide initialises.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <time.h>

#include "sys.h"
#include "tide.h"

enum {
    NR_WRITE = 1, NR_MMAP = 9, NR_MUNMAP = 11, NR_BRK = 12, NR_SCHED_YIELD = 24,
    NR_MREMAP = 25, NR_MADVISE = 28,
    PROT_RW = 3, MAP_PRIVATE_ANON = 0x22, MADV_DONTNEED_ = 4, MADV_HUGEPAGE_ = 14,
    MREMAP_MAYMOVE_ = 1,
};

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static bool failed(long ret) { return ret < 0 && ret > -4096; }

void *tide_sys_brk(void *addr)
{
    return (void *)sys6(NR_BRK, (long)addr, 0, 0, 0, 0, 0);
}

void *tide_sys_mmap(size_t len)
{
    long r = sys6(NR_MMAP, 0, (long)len, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
    return failed(r) ? NULL : (void *)r;
}

int tide_sys_munmap(void *addr, size_t len)
{
    return failed(sys6(NR_MUNMAP, (long)addr, (long)len, 0, 0, 0, 0)) ? -1 : 0;
}

void tide_sys_write(const char *msg, size_t len)
{
    while (len) {
        long r = sys6(NR_WRITE, 2, (long)msg, (long)len, 0, 0, 0);
        if (r == -EINTR) continue;
        if (r <= 0) return;
        msg += r;
        len -= (size_t)r;
    }
}

_Noreturn void tide_sys_abort(void)
{
    abort();
}

/* ---- capabilities ------------------------------------------------------ */

static bool linux_purge(void *addr, size_t len)
{
    return !failed(sys6(NR_MADVISE, (long)addr, (long)len, MADV_DONTNEED_, 0, 0, 0));
}

static bool linux_hugepage(void *addr, size_t len)
{
    return !failed(sys6(NR_MADVISE, (long)addr, (long)len, MADV_HUGEPAGE_, 0, 0, 0));
}

static void *linux_remap(void *addr, size_t old_len, size_t new_len)
{
    long r = sys6(NR_MREMAP, (long)addr, (long)old_len, (long)new_len, MREMAP_MAYMOVE_, 0, 0);
    return failed(r) ? NULL : (void *)r;
}

static void linux_yield(void) { sys6(NR_SCHED_YIELD, 0, 0, 0, 0, 0, 0); }

static void linux_set_errno(enum tide_error err) { errno = err == TIDE_EINVAL ? EINVAL : ENOMEM; }

static uint64_t linux_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Scans the environment by hand: getenv is fine too, but this is
 * guaranteed not to allocate. */
static const char *linux_getenv(const char *name)
{
    extern char **environ;
    for (char **e = environ; e && *e; e++) {
        const char *a = *e, *b = name;
        while (*b && *a == *b) a++, b++;
        if (!*b && *a == '=') return a + 1;
    }
    return NULL;
}

/* Thread exit: a pthread key whose destructor hands the thread's cache
 * back. pthread_key_create and setspecific do not allocate for the first
 * keys of a process. */
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

static void on_thread_exit(void *unused)
{
    (void)unused;
    tide_thread_exit();
}

static void make_exit_key(void) { pthread_key_create(&exit_key, on_thread_exit); }

static void linux_thread_started(void)
{
    pthread_once(&exit_once, make_exit_key);
    pthread_setspecific(exit_key, (void *)1);
}

void tide_sys_init(struct tide_sys_caps *caps)
{
    unsigned long page = getauxval(AT_PAGESZ);
    caps->page_size = page ? page : 4096;
    caps->brk_zeroed = true;
    caps->mmap_zeroed = true;
    caps->purge = linux_purge;
    caps->remap = linux_remap;
    caps->hugepage = linux_hugepage;
    caps->huge_page = (size_t)2 << 20; /* x86-64's PMD size */
    caps->yield = linux_yield;
    caps->set_errno = linux_set_errno;
    caps->now_ns = linux_now_ns;
    caps->getenv = linux_getenv;
    caps->thread_started = linux_thread_started;
}
