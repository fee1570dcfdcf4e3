/*
 * kernel/options.c - kernel options from the kernel command line (QEMU
 * -append): words "kernel.NAME=VALUE". Every other NAME=VALUE word is
 * for the programs' environment (proc.c).
 *   kernel.tracefaults=N   print the first N page faults of each program
 *   kernel.tracemem=1      print every brk/mmap/munmap/mprotect/madvise call
 */
#include "kernel.h"

struct kernel_options kopts;

static uint64_t parse_uint(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    return v;
}

/* Reads the kernel.* words of cmdline into kopts; unknown ones are
 * reported and ignored. */
void options_parse(const char *cmdline)
{
    const char *s = cmdline, *w;
    size_t n;
    while ((w = word_next(&s, &n)), n) {
        if (n > 18 && strncmp(w, "kernel.tracefaults=", 19) == 0)
            kopts.trace_faults = parse_uint(w + 19, n - 19);
        else if (n > 15 && strncmp(w, "kernel.tracemem=", 16) == 0)
            kopts.trace_mem = parse_uint(w + 16, n - 16) != 0;
        else if (n > 7 && strncmp(w, "kernel.", 7) == 0)
            kprintf("[kernel] unknown option %.*s ignored\n", (int)n, w);
    }
}
