/*
 * tests/progs/stack-growth.c - the stack area grows down on demand up to
 * RLIMIT_STACK, the same on Linux and on our kernel: with a 4 MiB limit,
 * touching 2 MiB below the stack pointer works and [stack] in
 * /proc/self/maps grows to cover it; touching 6 MiB below kills the
 * program with SIGSEGV (status 139).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include "read-file.h"

static char text[65536];

/* Size of the [stack] line of /proc/self/maps, in bytes (0 if none). */
static unsigned long stack_size(void)
{
    read_file("/proc/self/maps", text, sizeof text);
    char *l = strstr(text, " [stack]");
    if (!l)
        return 0;
    while (l > text && l[-1] != '\n')
        l--;
    char *end;
    unsigned long s = strtoul(l, &end, 16), e = strtoul(end + 1, NULL, 16);
    return e - s;
}

static void touch_below_sp(unsigned long bytes)
{
    char *sp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    *(volatile char *)(sp - bytes) = 1;
}

int main(void)
{
    struct rlimit rl = { 4UL << 20, RLIM_INFINITY };
    setrlimit(RLIMIT_STACK, &rl);
    unsigned long before = stack_size();
    touch_below_sp(2UL << 20);
    unsigned long after = stack_size();
    printf("%s stack-grows-on-demand\n", after > before && after >= (2UL << 20) ? "ok" : "FAIL");
    printf("# %lu -> %lu\n", before, after);
    printf("touching 6 MiB below the stack pointer (limit 4 MiB)\n");
    fflush(stdout);
    touch_below_sp(6UL << 20);
    printf("FAIL stack-limit-enforced: the touch worked\n");
    return 1;
}
