/* tests/kernel/segv-stray.c - writes far outside every area: the kernel
 * must print "segfault at 0x100000000000 ... (not mapped)", status 139. */
#include <stdio.h>

int main(void)
{
    printf("writing to 0x100000000000\n");
    *(volatile long *)0x100000000000UL = 1;
    printf("FAIL segv-stray: the write did not fault\n");
    return 1;
}
