/*
 * alloca.h - alloca: memory in the caller's stack frame, gone when the
 * caller returns. The compiler does the work.
 */
#ifndef LIBC_ALLOCA_H
#define LIBC_ALLOCA_H

#include <stddef.h>

#define alloca(size) __builtin_alloca(size)

#endif
