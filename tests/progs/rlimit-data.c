/*
 * tests/progs/rlimit-data.c - RLIMIT_DATA bounds the heap (seeds S13):
 * with a 16 MiB limit, malloc(32 MiB) returns NULL with errno ENOMEM,
 * brk and writable mmaps past the limit fail, read-only mappings and small
 * allocations still work, and raising the limit again lets malloc succeed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "expect.h"

int main(void)
{
    struct rlimit rl = { 16L << 20, RLIM_INFINITY };
    verdict(setrlimit(RLIMIT_DATA, &rl) == 0, "setrlimit-data-16mib");
    struct rlimit got;
    verdict(getrlimit(RLIMIT_DATA, &got) == 0 && got.rlim_cur == rl.rlim_cur,
            "getrlimit-reads-it-back");

    errno = 0;
    void *big = malloc(32L << 20);
    verdict(big == NULL && errno == ENOMEM, "malloc-past-rlimit-data-null-enomem");
    void *m = mmap(0, 32L << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    verdict(m == MAP_FAILED && errno == ENOMEM, "mmap-writable-past-limit-enomem");
    m = mmap(0, 32L << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    verdict(m != MAP_FAILED, "mmap-read-only-is-not-data");
    if (m != MAP_FAILED)
        munmap(m, 32L << 20);
    void *before = sbrk(0);
    errno = 0;
    verdict(sbrk(32L << 20) == (void *)-1 && errno == ENOMEM, "sbrk-past-limit-enomem");
    verdict(sbrk(0) == before, "failed-sbrk-keeps-the-break");

    void *small = malloc(100);
    void *mid = malloc(1L << 20);
    verdict(small && mid, "allocations-under-the-limit-work");
    free(small);
    free(mid);

    rl.rlim_cur = RLIM_INFINITY;
    verdict(setrlimit(RLIMIT_DATA, &rl) == 0, "raise-limit-again");
    big = malloc(32L << 20);
    verdict(big != NULL, "malloc-works-after-raising-the-limit");
    free(big);
    printf("rlimit-data: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
