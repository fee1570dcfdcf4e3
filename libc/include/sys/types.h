/*
 * sys/types.h - the POSIX scalar types this libc uses (Linux x86-64 sizes).
 */
#ifndef LIBC_SYS_TYPES_H
#define LIBC_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int mode_t;
typedef long time_t;
typedef long suseconds_t;
typedef int clockid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;

#endif
