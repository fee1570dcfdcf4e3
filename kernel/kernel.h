/*
 * kernel/kernel.h - what every kernel file may use: the console and
 * kprintf, panic and the QEMU exit port, the tiny string library, the CPU
 * set-up entry points (GDT/TSS, IDT/PIC) and the clock.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* ---- console.c: COM1, polled ------------------------------------------ */
/* Sets up COM1 at 115200 8N1. Call before any output. */
void cons_init(void);
/* Writes n bytes to the serial port; '\n' goes out as "\r\n" so a raw
 * terminal shows lines (the test harness strips the '\r'). */
void cons_write(const char *s, size_t n);
/* True if the last byte written was '\n' (or nothing was written). */
bool cons_at_line_start(void);

/* ---- printf.c ------------------------------------------------------------ */
/* printf subset: %d %i %u %x %lx %lu %ld %p %s %c %%, widths, '0', '-'.
 * Writes to the console; a kernel line never continues a program's
 * unfinished line: a '\n' is sent first if needed. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same into buf (always NUL-terminated when size > 0); returns the length
 * the whole output would have had. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ---- panic.c ------------------------------------------------------------- */
/* isa-debug-exit codes: QEMU exits with (code << 1) | 1. */
enum qemu_exit_code {
    QEXIT_DONE = 0x10,   /* every program ran: qemu rc 33 */
    QEXIT_PANIC = 0x04,  /* kernel panic: qemu rc 9 */
};
/* Stops QEMU with the given code (falls back to halting forever). */
_Noreturn void qemu_exit(enum qemu_exit_code code);
/* Prints "[kernel] panic: ..." and stops QEMU with QEXIT_PANIC. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- lib.c --------------------------------------------------------------- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
const char *word_next(const char **s, size_t *n);

/* ---- gdt.c / trap.c ------------------------------------------------------ */
/* Loads the final GDT (kernel/user segments, TSS) and the task register. */
void gdt_init(void);
/* Sets the stack the CPU switches to on a trap from ring 3. */
void tss_set_rsp0(uint64_t rsp0);
/* Builds and loads the IDT; remaps the legacy PICs to 0x20/0x28, all
 * masked but the timer (IRQ 0). */
void trap_init(void);

/* ---- syscall.c ----------------------------------------------------------- */
/* Programs STAR/LSTAR/SFMASK so `syscall` from ring 3 enters the kernel. */
void syscall_init(void);

/* ---- clock.c ------------------------------------------------------------- */
/* Measures the TSC frequency against the PIT (about 10 ms). */
void clock_init(void);
/* Nanoseconds since clock_init. */
uint64_t clock_ns(void);
/* TSC ticks per second (1 GHz if the PIT could not be used). */
uint64_t clock_tsc_hz(void);

/* ---- options.c: kernel.* words of the kernel command line -------------- */
struct kernel_options {
    uint64_t trace_faults;   /* print this many page faults per program */
    bool trace_mem;          /* print each memory system call */
};
extern struct kernel_options kopts;
void options_parse(const char *cmdline);

/* ---- the kernel stack used for traps and system calls from ring 3 ------- */
extern char kstack_top[];

#endif
