/* tests/kernel/segv-null.c - reads through a null pointer: "not mapped". */
#include <stdio.h>

int main(void)
{
    volatile long *p = (volatile long *)0;
    printf("reading address 0\n");
    long v = *p;
    printf("FAIL segv-null: read %ld\n", v);
    return 1;
}
