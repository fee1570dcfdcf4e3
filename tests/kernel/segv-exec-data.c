/* tests/kernel/segv-exec-data.c - jumps into a writable, non-executable
 * mapping (a `ret` copied there): with NX the fetch faults ("protection"). */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
    unsigned char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 0xc3;   /* ret */
    printf("calling into a non-executable page\n");
    ((void (*)(void))(void *)p)();
    printf("FAIL segv-exec-data: the call returned\n");
    return 1;
}
