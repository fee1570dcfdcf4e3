/* tests/kernel/hello.c - the program run after a killed one: proves the
 * kernel went on. Prints its argv (and HELLO from the environment, which
 * the kernel takes from its command line) and exits 0. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    printf("hello after the others:");
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    const char *h = getenv("HELLO");
    if (h)
        printf("HELLO=%s\n", h);
    return 0;
}
