/*
 * kernel/errno.h - the Linux errno numbers the system calls return
 * (negated), and the Linux ABI constants they interpret.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#define EPERM         1
#define ENOENT        2
#define ESRCH         3
#define EBADF         9
#define ENOMEM       12
#define EACCES       13
#define EFAULT       14
#define EEXIST       17
#define ENODEV       19
#define EINVAL       22
#define EMFILE       24
#define ESPIPE       29
#define ENAMETOOLONG 36
#define ENOSYS       38

/* mmap / mprotect / madvise */
#define PROT_READ   1
#define PROT_WRITE  2
#define PROT_EXEC   4
#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MADV_DONTNEED 4
#define MADV_FREE     8

/* open flags */
#define O_ACCMODE 3

/* arch_prctl */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#endif
