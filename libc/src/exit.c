/*
 * libc/src/exit.c - how a program ends: exit (atexit handlers in reverse
 * order of registration, then stdio flushed), _Exit, abort (status 134,
 * like a SIGABRT death seen from a shell, nothing printed or flushed),
 * and the assert failure path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libc.h"

#define ATEXIT_MAX 32

static void (*handlers[ATEXIT_MAX])(void);
static int handler_count;

int atexit(void (*fn)(void))
{
    if (handler_count == ATEXIT_MAX)
        return -1;
    handlers[handler_count++] = fn;
    return 0;
}

_Noreturn void exit(int status)
{
    /* A handler may call atexit or exit again: take each one off first. */
    while (handler_count > 0)
        handlers[--handler_count]();
    __stdio_flush_all();
    _exit(status);
}

_Noreturn void _Exit(int status)
{
    _exit(status);
}

_Noreturn void abort(void)
{
    _exit(134);
}

_Noreturn void __assert_fail(const char *expr, const char *file, int line,
                             const char *func)
{
    fflush(stdout);
    fprintf(stderr, "%s:%d: %s: Assertion `%s' failed.\n", file, line, func, expr);
    abort();
}
