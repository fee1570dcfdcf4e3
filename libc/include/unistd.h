/*
 * unistd.h - the POSIX calls this libc provides: I/O on file descriptors,
 * the program break, process identity and exit. Each returns -1 and sets
 * errno on failure, as POSIX says (the raw system calls return -errno).
 */
#ifndef LIBC_UNISTD_H
#define LIBC_UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define _SC_PAGESIZE  30
#define _SC_PAGE_SIZE _SC_PAGESIZE

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
pid_t getpid(void);
/* Moves the break to addr: 0, or -1 with errno ENOMEM. */
int brk(void *addr);
/* Moves the break by increment; returns the old break, or (void *)-1. */
void *sbrk(intptr_t increment);
_Noreturn void _exit(int status);
int getpagesize(void);
/* Makes system call nr (sys/syscall.h) with up to six long arguments;
 * a result in [-4095, -1] becomes -1 with errno set, as glibc does. */
long syscall(long nr, ...);
long sysconf(int name);

#endif
