/*
 * kernel/vma.c - the areas of the program (VMAs): a sorted array of
 * pointers to disjoint, page-aligned [start, end) ranges with their
 * protection and kind, each object from the vm_area_struct slab cache.
 * Insert, remove (splitting), protect (splitting), find, and the top-down
 * search for a free gap that mmap uses, as Linux places mappings.
 */
#include "proc.h"
#include "mm.h"
#include "slab.h"

struct kmem_cache vma_cache;

/* Index of the first area with end > va (nvmas if none). */
static int vma_lower_bound(struct proc *p, uint64_t va)
{
    int lo = 0, hi = p->nvmas;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (p->vmas[mid]->end > va)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The area containing va, or NULL. */
struct vma *vma_find(struct proc *p, uint64_t va)
{
    struct vma *v = vma_next(p, va);
    return v && v->start <= va ? v : NULL;
}

/* The first area ending above va, or NULL. */
struct vma *vma_next(struct proc *p, uint64_t va)
{
    int i = vma_lower_bound(p, va);
    return i < p->nvmas ? p->vmas[i] : NULL;
}

/* The area containing va; or, when va lies below the stack area within
 * RLIMIT_STACK and the guard gap to the next area down is kept, the stack
 * area grown down to va's page (Linux's expand_stack). NULL otherwise. */
struct vma *vma_find_grow(struct proc *p, uint64_t va)
{
    struct vma *v = vma_next(p, va);
    if (!v || v->start <= va)
        return v;
    if (v->kind != VMA_STACK)
        return NULL;
    uint64_t limit = MIN(p->rlim[RLIMIT_STACK_NR].cur, STACK_SIZE);
    uint64_t page = PAGE_DOWN(va);
    if (page < v->end - limit || page < STACK_GUARD_GAP ||
        vma_overlaps(p, page - STACK_GUARD_GAP, page))
        return NULL;
    v->start = page;
    return v;
}

/* True if an area overlaps [start, end). */
bool vma_overlaps(struct proc *p, uint64_t start, uint64_t end)
{
    struct vma *v = vma_next(p, start);
    return v && v->start < end;
}

static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
    return a->end == b->start && a->prot == b->prot && a->kind == b->kind &&
           a->kind == VMA_ANON;
}

/* Merges every pair of adjacent anonymous areas with equal protection. */
static void vma_merge_all(struct proc *p)
{
    int out = 0;
    for (int i = 0; i < p->nvmas; i++) {
        if (out > 0 && vma_mergeable(p->vmas[out - 1], p->vmas[i])) {
            p->vmas[out - 1]->end = p->vmas[i]->end;
            kmem_cache_free(&vma_cache, p->vmas[i]);
        } else {
            p->vmas[out++] = p->vmas[i];
        }
    }
    p->nvmas = out;
}

/* Puts v at index i. pre: nvmas < MAX_VMAS. */
static void vma_open_slot(struct proc *p, int i, struct vma *v)
{
    memmove(&p->vmas[i + 1], &p->vmas[i], (p->nvmas - i) * sizeof p->vmas[0]);
    p->vmas[i] = v;
    p->nvmas++;
}

/* Drops the area at index i and frees its object. */
static void vma_close_slot(struct proc *p, int i)
{
    kmem_cache_free(&vma_cache, p->vmas[i]);
    memmove(&p->vmas[i], &p->vmas[i + 1], (p->nvmas - i - 1) * sizeof p->vmas[0]);
    p->nvmas--;
}

/* Frees every area object (the pages are the caller's business). */
void vma_free_all(struct proc *p)
{
    while (p->nvmas > 0)
        vma_close_slot(p, p->nvmas - 1);
}

/* Adds a free range as an area; see proc.h. */
int vma_insert(struct proc *p, uint64_t start, uint64_t end, uint32_t prot,
               enum vma_kind kind)
{
    struct vma *v;
    if (p->nvmas == MAX_VMAS || !(v = kmem_cache_alloc(&vma_cache)))
        return -1;
    *v = (struct vma){ start, end, prot, kind };
    vma_open_slot(p, vma_lower_bound(p, start), v);
    vma_merge_all(p);
    return 0;
}

/* Splits the area containing va (if va is strictly inside) into two.
 * Returns 0, or -1 without an object for the second half. */
static int vma_split_at(struct proc *p, uint64_t va)
{
    int i = vma_lower_bound(p, va);
    if (i == p->nvmas || p->vmas[i]->start >= va)
        return 0;
    struct vma *hi = kmem_cache_alloc(&vma_cache);
    if (!hi)
        return -1;
    *hi = *p->vmas[i];
    hi->start = va;
    p->vmas[i]->end = va;
    vma_open_slot(p, i + 1, hi);
    return 0;
}

/* Slots needed to split at start and end. */
static int vma_splits_needed(struct proc *p, uint64_t start, uint64_t end)
{
    int n = 0;
    struct vma *a = vma_find(p, start), *b = vma_find(p, end);
    n += a && a->start < start;
    n += b && b->start < end;
    return n;
}

/* Removes [start, end) and frees its pages; see proc.h. */
int vma_remove(struct proc *p, uint64_t start, uint64_t end)
{
    if (p->nvmas + vma_splits_needed(p, start, end) > MAX_VMAS ||
        vma_split_at(p, start) < 0 || vma_split_at(p, end) < 0)
        return -1;
    int i = vma_lower_bound(p, start);
    while (i < p->nvmas && p->vmas[i]->start < end)
        vma_close_slot(p, i);
    p->resident -= vm_zap(start, end);
    return 0;
}

/* The end of the part of [start, end) that areas cover without a hole,
 * from start (start itself if no area contains it). */
static uint64_t vma_covered_end(struct proc *p, uint64_t start, uint64_t end)
{
    uint64_t at = start;
    for (int i = vma_lower_bound(p, start); i < p->nvmas && at < end; i++) {
        if (p->vmas[i]->start > at)
            break;
        at = p->vmas[i]->end;
    }
    return MIN(at, end);
}

/* Changes the protection of [start, end) as Linux does: up to the first
 * hole; see proc.h. */
int vma_protect(struct proc *p, uint64_t start, uint64_t end, uint32_t prot)
{
    uint64_t covered = vma_covered_end(p, start, end);
    if (covered == start)
        return -1;
    if (p->nvmas + vma_splits_needed(p, start, covered) > MAX_VMAS ||
        vma_split_at(p, start) < 0 || vma_split_at(p, covered) < 0)
        return -2;
    for (int i = vma_lower_bound(p, start); i < p->nvmas && p->vmas[i]->start < covered; i++)
        p->vmas[i]->prot = prot;
    vm_protect(start, covered, vma_pte_flags(prot));
    vma_merge_all(p);
    return covered < end ? -1 : 0;
}

/* Highest free [a, a + len) below MMAP_BASE and above the break; 0 if none. */
uint64_t vma_gap_topdown(struct proc *p, uint64_t len)
{
    uint64_t floor = PAGE_UP(p->brk) + PAGE_SIZE;
    uint64_t hi = MMAP_BASE;
    for (int i = p->nvmas - 1; i >= 0; i--) {
        struct vma *v = p->vmas[i];
        if (v->start >= hi)
            continue;
        if (hi < floor + len)
            return 0;
        if (v->end <= hi - len)
            return hi - len;
        hi = v->start;
    }
    return hi >= floor + len ? hi - len : 0;
}

/* PTE flags for prot: PROT_NONE pages stay mapped but lose PTE_U. */
uint64_t vma_pte_flags(uint32_t prot)
{
    static int nx = -1;
    if (nx < 0)
        nx = (rdmsr(MSR_EFER) >> 11) & 1;
    uint64_t f = 0;
    if (prot & (VMA_READ | VMA_WRITE | VMA_EXEC))
        f |= PTE_U;
    if (prot & VMA_WRITE)
        f |= PTE_W;
    if (!(prot & VMA_EXEC) && nx)
        f |= PTE_NX;
    return f;
}

/* Bytes in writable areas other than the stack. */
uint64_t vma_data_bytes(struct proc *p)
{
    uint64_t n = 0;
    for (int i = 0; i < p->nvmas; i++)
        if ((p->vmas[i]->prot & VMA_WRITE) && p->vmas[i]->kind != VMA_STACK)
            n += p->vmas[i]->end - p->vmas[i]->start;
    return n;
}

/* Bytes in all areas. */
uint64_t vma_total_bytes(struct proc *p)
{
    uint64_t n = 0;
    for (int i = 0; i < p->nvmas; i++)
        n += p->vmas[i]->end - p->vmas[i]->start;
    return n;
}
