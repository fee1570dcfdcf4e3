/*
 * tests/preload/knobs.c - an ordinary program (linked with glibc, nothing of
 * tide) run under LD_PRELOAD=libtide.so to show that the TIDE_* environment
 * knobs take effect. Prints one line:
 *     threshold=N trim=N top_pad=N hblks_200k=N
 * using tide_get_stats (found with dlsym) and glibc's mallinfo2, which the
 * preloaded shim replaces.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tide.h"

int main(void)
{
    void (*get_stats)(struct tide_stats *) =
        (void (*)(struct tide_stats *))dlsym(RTLD_DEFAULT, "tide_get_stats");
    struct tide_stats st;
    struct mallinfo2 mi;
    void *big;

    if (get_stats == NULL) {
        printf("tide_get_stats not found: libtide.so is not loaded\n");
        return 1;
    }
    big = malloc(200000);
    if (big == NULL)
        return 1;
    memset(big, 1, 200000); /* used, so the compiler keeps the malloc */
    mi = mallinfo2();
    get_stats(&st);
    printf("threshold=%zu trim=%zu top_pad=%zu hblks_200k=%zu\n", st.mmap_threshold,
           st.trim_threshold, st.top_pad, mi.hblks);
    free(big);
    return 0;
}
