/* tests/kernel/ud2.c - an invalid instruction: SIGILL's status 132. */
#include <stdio.h>

int main(void)
{
    printf("executing ud2\n");
    __asm__ volatile("ud2");
    printf("FAIL ud2: ud2 did not trap\n");
    return 1;
}
