/* tests/kernel/segv-readonly.c - writes into the program's own code (a
 * read-only, present page): "protection", status 139. */
#include <stdio.h>

int main(void)
{
    volatile char *code = (volatile char *)(void *)main;
    printf("writing to the code of main\n");
    *code = 0;
    printf("FAIL segv-readonly: the write did not fault\n");
    return 1;
}
