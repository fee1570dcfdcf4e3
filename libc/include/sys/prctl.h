/*
 * sys/prctl.h - arch_prctl: the x86-64 thread-pointer registers. crt0
 * already points FS at the thread's TLS; a program rarely needs this.
 */
#ifndef LIBC_SYS_PRCTL_H
#define LIBC_SYS_PRCTL_H

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* Sets (or reads into *(unsigned long *)addr) FS or GS; 0, or -1 with errno. */
int arch_prctl(int code, unsigned long addr);

#endif
