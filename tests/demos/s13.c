/*
 * tests/demos/s13.c - S13: a resource limit bounds how far the heap may
 * grow. With RLIMIT_DATA set, brk (and private mappings) fail past it, and
 * malloc returns NULL with errno ENOMEM; nothing else breaks: what was
 * allocated is intact, freed memory is reused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "demo.h"

#define LIMIT (16 * MiB)
#define BLOCK (64 * KiB)
#define MAXB 1024

static char *blocks[MAXB];

int main(int argc, char **argv)
{
    demo_begin("S13", "RLIMIT_DATA bounds the heap: malloc returns NULL with ENOMEM", argc, argv);
    struct rlimit old, rl;
    getrlimit(RLIMIT_DATA, &old);
    rl = old;
    rl.rlim_cur = LIMIT;
    int set = setrlimit(RLIMIT_DATA, &rl);
    printf("   setrlimit(RLIMIT_DATA, %lu MiB) = %d\n", (unsigned long)(LIMIT / MiB), set);
    demo_check(set == 0, "setrlimit-data", "setrlimit failed: %s", strerror(errno));
    int n = 0;
    errno = 0;
    while (n < MAXB && (blocks[n] = malloc(BLOCK)) != NULL) {
        blocks[n][0] = (char)n;
        n++;
    }
    int err = errno;
    printf("   malloc(64 KiB) succeeded %d times (%lu KiB), then returned NULL, errno %d (%s)\n", n,
           (unsigned long)(n * BLOCK / KiB), err, strerror(err));
    printf("   break at %p\n", (void *)brk_now());
    demo_check(n < MAXB && err == ENOMEM, "malloc-null-enomem-at-limit", "n %d errno %d", n, err);
    demo_check((unsigned long)n * BLOCK <= LIMIT && (unsigned long)n * BLOCK >= LIMIT / 2,
               "most-of-the-limit-usable", "%d blocks of 64 KiB under a 16 MiB limit", n);
    errno = 0;
    char *big = malloc(4 * MiB);
    printf("   malloc(4 MiB) (an mmap) = %p, errno %d\n", (void *)big, errno);
    demo_check(big == NULL && errno == ENOMEM, "mmap-path-also-refused", "got %p", (void *)big);
    int intact = 1;
    for (int i = 0; i < n; i++)
        intact &= blocks[i][0] == (char)i;
    demo_check(intact, "existing-blocks-intact", "a block lost its contents");
    for (int i = 0; i < n; i += 2)
        free(blocks[i]);
    char *again = malloc(BLOCK);
    printf("   after freeing every other block, malloc(64 KiB) = %p\n", (void *)again);
    demo_check(again != NULL, "freed-memory-reusable-under-limit", "malloc still fails");
    free(again);
    for (int i = 1; i < n; i += 2)
        free(blocks[i]);
    setrlimit(RLIMIT_DATA, &old);
    return demo_end();
}
