/*
 * sys/mman.h - memory mappings: mmap, munmap, mprotect, madvise.
 * Flag values are Linux x86-64's. Our kernel implements private anonymous
 * mappings only (see docs/PORTING.md). mremap is optional for a port.
 */
#ifndef LIBC_SYS_MMAN_H
#define LIBC_SYS_MMAN_H

#include <sys/types.h>

#define PROT_NONE  0
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE  0x8000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_FAILED    ((void *)-1)

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

#define MADV_NORMAL    0
#define MADV_RANDOM    1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED  3
#define MADV_DONTNEED  4
#define MADV_FREE      8

/* Returns the mapping, or MAP_FAILED with errno. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
/* Each returns 0, or -1 with errno. */
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int madvise(void *addr, size_t len, int advice);
/* Resizes or (MREMAP_MAYMOVE) moves a mapping; MAP_FAILED with errno. */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...);

#endif
