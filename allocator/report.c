/*
 * allocator/report.c - error lines and aborts.
 *
 * Bad input (an invalid or double free, a trampled header) is reported as
 * one line on the platform's error channel and the process stops at once,
 * before the heap is touched. Formatting is done here by hand: no printf.
 */
#include "internal.h"

/* Writes v as 0x-prefixed lower-case hex into buf (>= 19 bytes); returns
 * the length. */
size_t fmt_hex(char *buf, uintptr_t v)
{
    char tmp[16];
    size_t n = 0, len = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    buf[len++] = '0';
    buf[len++] = 'x';
    while (n) buf[len++] = tmp[--n];
    return len;
}

/* Writes v in decimal into buf (>= 20 bytes); returns the length. */
size_t fmt_dec(char *buf, size_t v)
{
    char tmp[20];
    size_t n = 0, len = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) buf[len++] = tmp[--n];
    return len;
}

/* Writes "tide: <what> <addr>\n" (the address only when addr != NULL). */
void report_line(const char *what, const void *addr)
{
    char buf[256];
    size_t len = 0;
    for (const char *s = "tide: "; *s; s++) buf[len++] = *s;
    for (const char *s = what; *s && len < sizeof buf - 24; s++) buf[len++] = *s;
    if (addr) {
        buf[len++] = ' ';
        len += fmt_hex(buf + len, (uintptr_t)addr);
    }
    buf[len++] = '\n';
    tide_sys_write(buf, len);
}

_Noreturn COLD void tide_panic(const char *what, const void *addr)
{
    report_line(what, addr);
    tide_sys_abort();
}
