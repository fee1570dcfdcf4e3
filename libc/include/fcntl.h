/*
 * fcntl.h - open(2) and its flags (Linux x86-64 values).
 */
#ifndef LIBC_FCNTL_H
#define LIBC_FCNTL_H

#include <sys/types.h>

#define O_RDONLY   0
#define O_WRONLY   1
#define O_RDWR     2
#define O_CREAT    0100
#define O_TRUNC    01000
#define O_APPEND   02000
#define O_CLOEXEC  02000000

/* Returns a file descriptor, or -1 with errno. */
int open(const char *path, int flags, ...);

#endif
