/* tests/kernel/segv-kernel.c - a ring-3 read of the kernel image at
 * 0xffffffff80100000 (mapped, but not user-accessible): "kernel address". */
#include <stdio.h>

int main(void)
{
    printf("reading kernel memory\n");
    long v = *(volatile long *)0xffffffff80100000UL;
    printf("FAIL segv-kernel: read 0x%lx\n", v);
    return 1;
}
