/*
 * kernel/syscall.h - the system calls, Linux x86-64 numbers and meanings.
 * Each ksys_* takes the raw 64-bit arguments and returns the result or a
 * negated errno, as the Linux kernel does.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>

typedef uint64_t u64;

/* sys_file.c */
long ksys_read(u64 fd, u64 buf, u64 count);
long ksys_write(u64 fd, u64 buf, u64 count);
long ksys_open(u64 path, u64 flags, u64 mode);
long ksys_openat(u64 dirfd, u64 path, u64 flags, u64 mode);
long ksys_close(u64 fd);
/* sys_mem.c */
long ksys_mmap(u64 addr, u64 len, u64 prot, u64 flags, u64 fd, u64 off);
long ksys_mprotect(u64 addr, u64 len, u64 prot);
long ksys_munmap(u64 addr, u64 len);
long ksys_brk(u64 addr);
long ksys_madvise(u64 addr, u64 len, u64 advice);
/* sys_mremap.c */
long ksys_mremap(u64 old, u64 old_len, u64 new_len, u64 flags, u64 new_addr);
/* sys_proc.c */
long ksys_getpid(void);
long ksys_exit(u64 status);
long ksys_getrusage(u64 who, u64 usage);
long ksys_getrlimit(u64 resource, u64 rlim);
long ksys_setrlimit(u64 resource, u64 rlim);
long ksys_prlimit64(u64 pid, u64 resource, u64 new_rlim, u64 old_rlim);
long ksys_arch_prctl(u64 code, u64 addr);
long ksys_clock_gettime(u64 clock, u64 ts);
long ksys_sched_yield(void);

/* Cycles spent in syscall_dispatch and calls made since boot. */
extern volatile uint64_t syscall_cycles, syscall_count;

#endif
