/* tests/kernel/oom.c - touches a 1 GiB mapping until physical memory runs
 * out (QEMU gives the kernel less): the kernel must kill it with an
 * out-of-memory line and status 137, and take every frame back. */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
    long len = 1L << 30;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("FAIL oom: mmap failed\n");
        return 1;
    }
    printf("touching 1 GiB\n");
    for (long i = 0; i < len; i += 4096)
        p[i] = 1;
    printf("FAIL oom: touched 1 GiB without running out\n");
    return 1;
}
