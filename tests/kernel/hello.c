/* tests/kernel/hello.c - the program run after a killed one: proves the
 * kernel went on. Prints its argv and exits 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello after the others:");
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return 0;
}
