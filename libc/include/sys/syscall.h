/*
 * sys/syscall.h - the Linux x86-64 numbers of the system calls this libc
 * uses (the list a kernel must implement: see docs/PORTING.md).
 */
#ifndef LIBC_SYS_SYSCALL_H
#define LIBC_SYS_SYSCALL_H

#define SYS_read          0
#define SYS_write         1
#define SYS_open          2
#define SYS_close         3
#define SYS_mmap          9
#define SYS_mprotect     10
#define SYS_munmap       11
#define SYS_brk          12
#define SYS_sched_yield  24
#define SYS_mremap       25
#define SYS_madvise      28
#define SYS_getpid       39
#define SYS_exit         60
#define SYS_getrlimit    97
#define SYS_getrusage    98
#define SYS_arch_prctl  158
#define SYS_setrlimit   160
#define SYS_clock_gettime 228
#define SYS_exit_group  231
#define SYS_prlimit64   302

#endif
