/*
 * libc/src/malloc.c - the standard names of the malloc family, each a thin
 * wrapper over the tide core (allocator/tide.h). The only translation is
 * posix_memalign's error codes.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

#include "tide.h"

void *malloc(size_t size) { return tide_malloc(size); }
void free(void *ptr) { tide_free(ptr); }
void *calloc(size_t count, size_t size) { return tide_calloc(count, size); }
void *realloc(void *ptr, size_t size) { return tide_realloc(ptr, size); }
void *aligned_alloc(size_t alignment, size_t size) { return tide_aligned_alloc(alignment, size); }
void *memalign(size_t alignment, size_t size) { return tide_memalign(alignment, size); }
void *valloc(size_t size) { return tide_valloc(size); }
void *pvalloc(size_t size) { return tide_pvalloc(size); }
size_t malloc_usable_size(void *ptr) { return tide_malloc_usable_size(ptr); }
int mallopt(int param, int value) { return tide_mallopt(param, value); }
int malloc_trim(size_t pad) { return tide_malloc_trim(pad); }
void malloc_stats(void) { tide_malloc_stats(); }
void free_sized(void *ptr, size_t size) { tide_free_sized(ptr, size); }

void *reallocarray(void *ptr, size_t count, size_t size)
{
    return tide_reallocarray(ptr, count, size);
}

void free_aligned_sized(void *ptr, size_t alignment, size_t size)
{
    tide_free_aligned_sized(ptr, alignment, size);
}

/* Returns 0, EINVAL or ENOMEM; errno is left alone, as POSIX says. */
int posix_memalign(void **out, size_t alignment, size_t size)
{
    int saved = errno;
    int r = tide_posix_memalign(out, alignment, size);
    errno = saved;
    if (r == TIDE_EINVAL_RC)
        return EINVAL;
    return r == 0 ? 0 : ENOMEM;
}

struct mallinfo2 mallinfo2(void)
{
    struct tide_mallinfo t = tide_mallinfo2();
    struct mallinfo2 m = {
        t.arena, t.ordblks, t.smblks, t.hblks, t.hblkhd, t.usmblks,
        t.fsmblks, t.uordblks, t.fordblks, t.keepcost,
    };
    return m;
}
