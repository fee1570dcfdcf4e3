/*
 * libc/src/libc.h - what the libc's own files share and a user never sees:
 * the environment pointer, the stdio flush hook that exit calls.
 */
#ifndef LIBC_INTERNAL_H
#define LIBC_INTERNAL_H

#include <stddef.h>

extern char **environ;

/* Flushes stdout and stderr (called by exit). */
void __stdio_flush_all(void);

#endif
