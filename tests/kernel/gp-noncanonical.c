/* tests/kernel/gp-noncanonical.c - a non-canonical address gives #GP, not
 * a page fault: the program dies with SIGSEGV's status 139. */
#include <stdio.h>

int main(void)
{
    printf("reading a non-canonical address\n");
    long v = *(volatile long *)0x8000000000000000UL;
    printf("FAIL gp-noncanonical: read %ld\n", v);
    return 1;
}
