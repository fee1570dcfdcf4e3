/*
 * kernel/slab.h - caches of equal-size kernel objects (slab.c).
 */
#ifndef KERNEL_SLAB_H
#define KERNEL_SLAB_H

#include <stddef.h>
#include <stdint.h>

struct slab;

struct kmem_cache {
    const char *name;        /* as /proc/slabinfo shows it */
    size_t size;             /* object size, rounded to 16 */
    unsigned per_slab;       /* objects in one frame */
    struct slab *partial;    /* slabs with at least one free object */
    uint64_t active, total, slabs;   /* objects in use, objects, slabs */
};

void kmem_cache_init(struct kmem_cache *c, const char *name, size_t size);
void *kmem_cache_alloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);

/* The caches of the kernel, listed in /proc/slabinfo. */
extern struct kmem_cache vma_cache;

#endif
