/* tests/kernel/segv-prot-none.c - reads a PROT_NONE mapping (never
 * touched, so not present): "protection", status 139. */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
    volatile char *p = mmap(0, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("reading a PROT_NONE page\n");
    char c = p[4096];
    printf("FAIL segv-prot-none: read %d\n", c);
    return 1;
}
