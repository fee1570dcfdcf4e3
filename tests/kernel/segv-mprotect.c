/* tests/kernel/segv-mprotect.c - a page written, made read-only with
 * mprotect, written again: "protection", status 139. */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
    volatile char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 1;
    if (mprotect((void *)p, 4096, PROT_READ) != 0)
        printf("FAIL segv-mprotect: mprotect failed\n");
    printf("read after mprotect: %d\n", p[0]);
    p[1] = 1;
    printf("FAIL segv-mprotect: the write did not fault\n");
    return 1;
}
