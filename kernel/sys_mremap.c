/*
 * kernel/sys_mremap.c - mremap(2) for private anonymous memory: shrink in
 * place, grow in place when the pages after the mapping are free, or move
 * (MREMAP_MAYMOVE, MREMAP_FIXED) by moving the page-table entries: the
 * frames stay where they are, nothing is copied, nothing faults again.
 * This is what the allocator's `remap` capability (realloc of huge blocks)
 * needs.
 */
#include "proc.h"
#include "mm.h"
#include "errno.h"
#include "syscall.h"

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

/* Moves the present pages of [from, from + len) to [to, to + len); the
 * source's empty page tables are freed. Returns 0, or -1 when a page
 * table for the destination could not be allocated (the pages moved so
 * far stay moved; the caller kills the program). */
static int vm_move(uint64_t from, uint64_t to, uint64_t len)
{
    for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
        pte_t *src = vm_walk(from + off, false);
        if (!src || !(*src & PTE_P))
            continue;
        pte_t *dst = vm_walk(to + off, true);
        if (!dst)
            return -1;
        *dst = *src;
        *src = 0;
        invlpg(from + off);
    }
    vm_zap(from, from + len);   /* nothing present: frees the tables only */
    return 0;
}

/* Moves the area part [old, old + old_len) to new and makes it new_len
 * long, all with the area's protection. */
static long mremap_move(struct proc *p, uint64_t old, uint64_t old_len, uint64_t new,
                        uint64_t new_len, uint32_t prot)
{
    /* Room for every split below (destination, new area, source), so the
     * move cannot stop half-way. */
    if (p->nvmas + 3 > MAX_VMAS)
        return -ENOMEM;
    if (vma_remove(p, new, new + new_len) < 0 ||
        vma_insert(p, new, new + new_len, prot, VMA_ANON) < 0)
        return -ENOMEM;
    if (vm_move(old, new, MIN(old_len, new_len)) < 0)
        proc_oom_kill();
    /* The source pages are gone (moved): removing the area frees nothing. */
    vma_remove(p, old, old + old_len);
    return (long)new;
}

/* Grows the area ending at old + old_len in place, if the pages after it
 * are free. */
static bool mremap_grow_in_place(struct proc *p, struct vma *v, uint64_t old,
                                 uint64_t old_len, uint64_t new_len)
{
    uint64_t end = old + new_len;
    if (v->end != old + old_len || end > TASK_SIZE || vma_overlaps(p, v->end, end))
        return false;
    return vma_insert(p, v->end, end, v->prot, v->kind) == 0;
}

/* mremap(2): the new address, or -EINVAL (flags, alignment, lengths,
 * overlapping MREMAP_FIXED), -EFAULT (old range not inside one area),
 * -ENOMEM (no room to grow and not allowed to move, RLIMIT_DATA). */
long ksys_mremap(u64 old, u64 old_len, u64 new_len, u64 flags, u64 new_addr)
{
    struct proc *p = curproc;
    if ((flags & ~(u64)(MREMAP_MAYMOVE | MREMAP_FIXED)) || (old & (PAGE_SIZE - 1)) ||
        ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)))
        return -EINVAL;
    if (new_len == 0 || old_len == 0 || new_len > TASK_SIZE || old_len > TASK_SIZE)
        return -EINVAL;
    old_len = PAGE_UP(old_len);
    new_len = PAGE_UP(new_len);
    struct vma *v = vma_find(p, old);
    if (!v || old_len > v->end - old)
        return -EFAULT;
    uint32_t prot = v->prot;
    if (new_len > old_len && (prot & VMA_WRITE) &&
        p->rlim[RLIMIT_DATA_NR].cur != RLIM_INFINITY &&
        vma_data_bytes(p) + (new_len - old_len) > p->rlim[RLIMIT_DATA_NR].cur)
        return -ENOMEM;
    if (flags & MREMAP_FIXED) {
        if ((new_addr & (PAGE_SIZE - 1)) || new_addr < USER_IMAGE_MIN ||
            new_addr >= TASK_SIZE || new_len > TASK_SIZE - new_addr)
            return -EINVAL;
        if (new_addr < old + old_len && old < new_addr + new_len)
            return -EINVAL;
        return mremap_move(p, old, old_len, new_addr, new_len, prot);
    }
    if (new_len <= old_len) {
        if (new_len < old_len && vma_remove(p, old + new_len, old + old_len) < 0)
            return -ENOMEM;
        return (long)old;
    }
    if (mremap_grow_in_place(p, v, old, old_len, new_len))
        return (long)old;
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    uint64_t new = vma_gap_topdown(p, new_len);
    if (!new)
        return -ENOMEM;
    return mremap_move(p, old, old_len, new, new_len, prot);
}
