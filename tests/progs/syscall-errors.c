/*
 * tests/progs/syscall-errors.c - every memory and process system call
 * with bad pointers, bad lengths and bad flags returns the errno Linux
 * returns (and never crashes the kernel). Raw system calls, so the
 * kernel's own value is checked; the same output is expected on Linux.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "rawsys.h"
#include "expect.h"

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EBADF 9
#define ENOMEM 12
#define EFAULT 14
#define EEXIST 17
#define EINVAL 22
#define ENOSYS 38

#define KADDR 0xffffffff80100000L   /* kernel half: never a valid pointer */
#define NONCANON 0x8000000000000000L

static void test_io(char *ro_page, char *none_page)
{
    char buf[16];
    expect("write-null-buffer-efault", RAW3(1, 1, 0, 10), -EFAULT);
    expect("write-kernel-buffer-efault", RAW3(1, 1, KADDR, 10), -EFAULT);
    expect("write-prot-none-buffer-efault", RAW3(1, 1, none_page, 10), -EFAULT);
    expect("write-bad-fd-ebadf", RAW3(1, 99, buf, 1), -EBADF);
    expect("write-negative-fd-ebadf", RAW3(1, -1, buf, 1), -EBADF);
    expect("read-bad-fd-ebadf", RAW3(0, 99, buf, 1), -EBADF);
    expect("close-bad-fd-ebadf", RAW1(3, 99), -EBADF);
    expect("open-null-path-efault", RAW2(2, 0, 0), -EFAULT);
    expect("open-kernel-path-efault", RAW2(2, KADDR, 0), -EFAULT);
    expect("open-missing-file-enoent", RAW2(2, "/no/such/file", 0), -ENOENT);
    long fd = RAW2(2, "/proc/self/statm", 0);
    expect("open-proc-self-statm", fd >= 3, 1);
    expect("read-into-read-only-page-efault", RAW3(0, fd, ro_page, 8), -EFAULT);
    expect("read-into-kernel-efault", RAW3(0, fd, KADDR, 8), -EFAULT);
    expect("read-statm-works", RAW3(0, fd, buf, 4) > 0, 1);
    expect("close-proc-file", RAW1(3, fd), 0);
    expect("close-twice-ebadf", RAW1(3, fd), -EBADF);
}

static void test_mmap(char *rw_page)
{
    long a = RAW6(9, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("mmap-zero-length-einval", a, -EINVAL);
    a = RAW6(9, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0);
    expect("mmap-no-private-or-shared-einval", a, -EINVAL);
    a = RAW6(9, 0, 4096, PROT_READ, MAP_PRIVATE, -1, 0);
    expect("mmap-file-bad-fd-ebadf", a, -EBADF);
    a = RAW6(9, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100);
    expect("mmap-unaligned-offset-einval", a, -EINVAL);
    a = RAW6(9, 0, 1L << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("mmap-huge-length-enomem", a, -ENOMEM);
    a = RAW6(9, 0, -4096L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("mmap-length-wraps-enomem", a, -ENOMEM);
    a = RAW6(9, 0x10000001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    expect("mmap-fixed-unaligned-einval", a, -EINVAL);
    a = RAW6(9, 0x7ffffffff000L, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    expect("mmap-fixed-past-user-top-enomem", a, -ENOMEM);
    a = RAW6(9, rw_page, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    expect("mmap-fixed-noreplace-overlap-eexist", a, -EEXIST);
    a = RAW6(9, 0, 4096, PROT_READ | 0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("mmap-unknown-prot-bits-ignored", a > 0, 1);
}

static void test_mem(char *rw_page)
{
    expect("mprotect-unaligned-einval", RAW3(10, rw_page + 1, 4096, PROT_READ), -EINVAL);
    expect("mprotect-bad-prot-einval", RAW3(10, rw_page, 4096, 0x100), -EINVAL);
    expect("mprotect-unmapped-enomem", RAW3(10, 0x200000000000L, 4096, PROT_READ), -ENOMEM);
    expect("mprotect-zero-length-ok", RAW3(10, rw_page, 0, PROT_READ), 0);
    expect("munmap-unaligned-einval", RAW2(11, rw_page + 1, 4096), -EINVAL);
    expect("munmap-zero-length-einval", RAW2(11, rw_page, 0), -EINVAL);
    expect("munmap-wraps-einval", RAW2(11, rw_page, -8192L), -EINVAL);
    expect("munmap-kernel-range-einval", RAW2(11, KADDR, 4096), -EINVAL);
    expect("munmap-unmapped-range-ok", RAW2(11, 0x200000000000L, 4096), 0);
    expect("madvise-unaligned-einval", RAW3(28, rw_page + 1, 4096, 4), -EINVAL);
    expect("madvise-bad-advice-einval", RAW3(28, rw_page, 4096, 999), -EINVAL);
    expect("madvise-unmapped-enomem", RAW3(28, 0x200000000000L, 4096, 4), -ENOMEM);
    long cur = RAW1(12, 0);
    expect("brk-kernel-address-keeps-break", RAW1(12, KADDR), cur);
    expect("brk-below-start-keeps-break", RAW1(12, 4096), cur);
}

static void test_proc(char *ro_page)
{
    long buf[32];
    expect("getrusage-bad-who-einval", RAW2(98, 5, buf), -EINVAL);
    expect("getrusage-null-efault", RAW2(98, 0, 0), -EFAULT);
    expect("getrusage-kernel-efault", RAW2(98, 0, KADDR), -EFAULT);
    expect("getrusage-read-only-efault", RAW2(98, 0, ro_page), -EFAULT);
    expect("getrlimit-bad-resource-einval", RAW2(97, 99, buf), -EINVAL);
    expect("getrlimit-null-efault", RAW2(97, 2, 0), -EFAULT);
    long bad[2] = { 100, 10 };
    expect("setrlimit-cur-above-max-einval", RAW2(160, 2, bad), -EINVAL);
    expect("setrlimit-null-efault", RAW2(160, 2, 0), -EFAULT);
    expect("prlimit64-no-such-pid-esrch", RAW4(302, 0x7fffffff, 2, 0, buf), -ESRCH);
    expect("prlimit64-bad-old-pointer-efault", RAW4(302, 0, 2, 0, KADDR), -EFAULT);
    expect("arch-prctl-bad-code-einval", RAW2(158, 0x9999, 0), -EINVAL);
    expect("arch-prctl-get-fs-null-efault", RAW2(158, 0x1003, 0), -EFAULT);
    expect("arch-prctl-set-fs-noncanonical-eperm", RAW2(158, 0x1002, NONCANON), -EPERM);
    expect("clock-gettime-bad-clock-einval", RAW2(228, 99, buf), -EINVAL);
    expect("clock-gettime-null-efault", RAW2(228, 1, 0), -EFAULT);
    expect("clock-gettime-read-only-efault", RAW2(228, 1, ro_page), -EFAULT);
    expect("unknown-syscall-enosys", RAW0(500), -ENOSYS);
    expect("sched-yield-ok", RAW0(24), 0);
    expect("getpid-positive", RAW0(39) > 0, 1);
}

int main(void)
{
    char *rw = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *ro = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *none = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    test_io(ro, none);
    test_mmap(rw);
    test_mem(rw);
    test_proc(ro);
    printf("syscall-errors: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
