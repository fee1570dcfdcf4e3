/*
 * kernel/slab.c - caches of equal-size kernel objects (S16: "the kernel
 * uses a slab allocator for its objects"). A slab is one frame from the
 * buddy allocator: a header, then objects; free objects are chained
 * through their first word. Slabs with a free object sit on the cache's
 * partial list; a slab that becomes empty goes straight back to the buddy
 * allocator, so a program's objects leave no frame behind.
 *
 *   frame: | struct slab | obj 0 | obj 1 | ... | obj n-1 |
 *   an object's slab: its address rounded down to the frame
 */
#include "slab.h"
#include "mm.h"

struct slab {
    struct slab *next, *prev;   /* on the partial list */
    struct kmem_cache *cache;
    void *free;                 /* first free object */
    unsigned inuse;
};

#define SLAB_HEADER ((sizeof(struct slab) + 15) & ~15ul)

/* Sets up an empty cache of objects of size bytes. */
void kmem_cache_init(struct kmem_cache *c, const char *name, size_t size)
{
    c->name = name;
    c->size = MAX((size + 15) & ~15ul, sizeof(void *));
    c->per_slab = (unsigned)((PAGE_SIZE - SLAB_HEADER) / c->size);
    c->partial = NULL;
    c->active = c->total = c->slabs = 0;
}

static void partial_push(struct kmem_cache *c, struct slab *s)
{
    s->prev = NULL;
    s->next = c->partial;
    if (c->partial)
        c->partial->prev = s;
    c->partial = s;
}

static void partial_remove(struct kmem_cache *c, struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        c->partial = s->next;
    if (s->next)
        s->next->prev = s->prev;
}

/* A new slab with every object free; NULL without a frame. */
static struct slab *slab_new(struct kmem_cache *c)
{
    paddr_t pa = pmm_alloc(FRAME_KERNEL);
    if (!pa)
        return NULL;
    struct slab *s = P2V(pa);
    s->cache = c;
    s->inuse = 0;
    s->free = NULL;
    for (unsigned i = c->per_slab; i-- > 0;) {
        void **obj = (void **)((char *)s + SLAB_HEADER + i * c->size);
        *obj = s->free;
        s->free = obj;
    }
    c->slabs++;
    c->total += c->per_slab;
    partial_push(c, s);
    return s;
}

/* One object (contents undefined); NULL when no frame is free. */
void *kmem_cache_alloc(struct kmem_cache *c)
{
    struct slab *s = c->partial ? c->partial : slab_new(c);
    if (!s)
        return NULL;
    void **obj = s->free;
    s->free = *obj;
    s->inuse++;
    c->active++;
    if (!s->free)
        partial_remove(c, s);   /* full: off the list until a free */
    return obj;
}

/* Gives back an object of c; an empty slab returns its frame. */
void kmem_cache_free(struct kmem_cache *c, void *obj)
{
    struct slab *s = (struct slab *)PAGE_DOWN(obj);
    if (s->cache != c || s->inuse == 0)
        panic("kmem_cache_free: %p is not an object of %s", obj, c->name);
    if (!s->free)
        partial_push(c, s);     /* was full */
    *(void **)obj = s->free;
    s->free = obj;
    s->inuse--;
    c->active--;
    if (s->inuse == 0) {
        partial_remove(c, s);
        c->slabs--;
        c->total -= c->per_slab;
        pmm_free(V2P(s), FRAME_KERNEL);
    }
}
