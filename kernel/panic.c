/*
 * kernel/panic.c - the two ways the kernel stops: a clean exit through
 * QEMU's isa-debug-exit port, and panic (message, then exit code 9).
 */
#include "kernel.h"
#include "x86.h"

#define DEBUG_EXIT_PORT 0xf4

/* Stops QEMU; QEMU's exit status becomes (code << 1) | 1. Without the
 * isa-debug-exit device the write does nothing and we halt forever. */
_Noreturn void qemu_exit(enum qemu_exit_code code)
{
    outl(DEBUG_EXIT_PORT, (uint32_t)code);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* Prints "[kernel] panic: <message>" and stops QEMU with QEXIT_PANIC. */
_Noreturn void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    kprintf("[kernel] panic: %s\n", buf);
    qemu_exit(QEXIT_PANIC);
}
