/*
 * malloc.h - the glibc extensions of the malloc family, all thin wrappers
 * over the tide allocator (allocator/tide.h).
 */
#ifndef LIBC_MALLOC_H
#define LIBC_MALLOC_H

#include <stdlib.h>

#define M_TRIM_THRESHOLD (-1)
#define M_TOP_PAD        (-2)
#define M_MMAP_THRESHOLD (-3)
#define M_MMAP_MAX       (-4)
#define M_ARENA_TEST     (-7)
#define M_ARENA_MAX      (-8)

void *memalign(size_t alignment, size_t size);
void *pvalloc(size_t size);
size_t malloc_usable_size(void *ptr);
int mallopt(int param, int value);
int malloc_trim(size_t pad);
void malloc_stats(void);

struct mallinfo2 {
    size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks,
           uordblks, fordblks, keepcost;
};
struct mallinfo2 mallinfo2(void);

#endif
