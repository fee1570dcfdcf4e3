/*
 * host/shim.c - the standard names. Each C, POSIX and glibc allocation
 * entry point a program may call is defined here over the tide_ core, so
 * that no block of glibc's ever reaches our free (or the reverse). Also
 * registers the fork handlers.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "fastpath.h"

#define EXPORT __attribute__((visibility("default")))

/* malloc and free are the core's fast paths themselves (fastpath.h), so a
 * cache hit costs no extra call or jump. */
EXPORT void *malloc(size_t n) { return fast_malloc(n); }
EXPORT void free(void *p) { fast_free(p); }
EXPORT void *calloc(size_t n, size_t m) { return tide_calloc(n, m); }
EXPORT void *realloc(void *p, size_t n) { return tide_realloc(p, n); }
EXPORT void *reallocarray(void *p, size_t n, size_t m) { return tide_reallocarray(p, n, m); }
EXPORT void *aligned_alloc(size_t a, size_t n) { return tide_aligned_alloc(a, n); }
EXPORT void *memalign(size_t a, size_t n) { return tide_memalign(a, n); }
EXPORT void *valloc(size_t n) { return tide_valloc(n); }
EXPORT void *pvalloc(size_t n) { return tide_pvalloc(n); }
EXPORT size_t malloc_usable_size(void *p) { return tide_malloc_usable_size(p); }
EXPORT void free_sized(void *p, size_t n) { tide_free_sized(p, n); }
EXPORT void free_aligned_sized(void *p, size_t a, size_t n) { tide_free_aligned_sized(p, a, n); }
EXPORT int mallopt(int param, int value) { return tide_mallopt(param, value); }
EXPORT int malloc_trim(size_t pad) { return tide_malloc_trim(pad); }
EXPORT void malloc_stats(void) { tide_malloc_stats(); }

EXPORT int posix_memalign(void **out, size_t a, size_t n)
{
    int rc = tide_posix_memalign(out, a, n);
    return rc == 0 ? 0 : rc == TIDE_EINVAL_RC ? EINVAL : ENOMEM;
}

EXPORT struct mallinfo2 mallinfo2(void)
{
    struct tide_mallinfo t = tide_mallinfo2();
    return (struct mallinfo2){t.arena, t.ordblks, t.smblks, t.hblks, t.hblkhd, t.usmblks,
                              t.fsmblks, t.uordblks, t.fordblks, t.keepcost};
}

/* The old int-sized mallinfo: values saturate instead of wrapping. */
static int clamp(size_t v) { return v > 0x7fffffff ? 0x7fffffff : (int)v; }
EXPORT struct mallinfo mallinfo(void)
{
    struct mallinfo2 m = mallinfo2();
    return (struct mallinfo){clamp(m.arena), clamp(m.ordblks), clamp(m.smblks), clamp(m.hblks),
                             clamp(m.hblkhd), clamp(m.usmblks), clamp(m.fsmblks),
                             clamp(m.uordblks), clamp(m.fordblks), clamp(m.keepcost)};
}

EXPORT int malloc_info(int options, FILE *fp)
{
    if (options != 0) {
        errno = EINVAL;
        return -1;
    }
    struct tide_stats s;
    tide_get_stats(&s);
    fprintf(fp, "<malloc version=\"tide-1\">\n<system type=\"current\" size=\"%zu\"/>\n"
                "<total type=\"mmap\" count=\"%zu\" size=\"%zu\"/>\n"
                "<total type=\"rest\" size=\"%zu\"/>\n<arenas count=\"%zu\"/>\n</malloc>\n",
            s.heap_bytes + s.mapped_bytes, s.mapped_blocks, s.mapped_bytes, s.bytes_cached, s.arenas);
    return 0;
}

/* glibc's internal names, which a few programs and libraries call. */
EXPORT void *__libc_malloc(size_t n) { return fast_malloc(n); }
EXPORT void __libc_free(void *p) { fast_free(p); }
EXPORT void *__libc_calloc(size_t n, size_t m) { return tide_calloc(n, m); }
EXPORT void *__libc_realloc(void *p, size_t n) { return tide_realloc(p, n); }
EXPORT void *__libc_memalign(size_t a, size_t n) { return tide_memalign(a, n); }
EXPORT void *__libc_valloc(size_t n) { return tide_valloc(n); }
EXPORT void *__libc_pvalloc(size_t n) { return tide_pvalloc(n); }
EXPORT int __posix_memalign(void **out, size_t a, size_t n) { return posix_memalign(out, a, n); }

/* Fork safety: every allocator lock is taken around fork. Registered as
 * early as the library's constructors run, so our prepare handler runs
 * last (handlers run in reverse order), after others that may allocate. */
__attribute__((constructor)) static void shim_init(void)
{
    pthread_atfork(tide_fork_prepare, tide_fork_parent, tide_fork_child);
}
