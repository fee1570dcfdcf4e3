/*
 * libc/src/syscall.h - the raw system call, the one place the libc enters
 * the kernel. Linux x86-64 ABI: number in rax, arguments in rdi, rsi, rdx,
 * r10, r8, r9; the `syscall` instruction clobbers rcx and r11; the result
 * comes back in rax, a value in [-4095, -1] being -errno.
 */
#ifndef LIBC_SYSCALL_H
#define LIBC_SYSCALL_H

#include <sys/syscall.h>

/* Makes system call nr with up to six arguments; returns rax unchanged. */
static inline long __syscall6(long nr, long a1, long a2, long a3, long a4,
                              long a5, long a6)
{
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#define __syscall0(n)             __syscall6(n, 0, 0, 0, 0, 0, 0)
#define __syscall1(n, a)          __syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define __syscall2(n, a, b)       __syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define __syscall3(n, a, b, c)    __syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __syscall4(n, a, b, c, d) \
    __syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* Turns a raw result into the POSIX convention: -1 with errno set. */
long __syscall_ret(long raw);

#endif
