/*
 * kernel/sys_mem.c - the memory system calls: mmap (private anonymous),
 * mprotect, munmap, brk and madvise, with Linux's argument checks and
 * errors, and RLIMIT_DATA enforced as Linux does (brk: heap + data segment;
 * mmap: all private writable memory except the stack).
 */
#include "proc.h"
#include "mm.h"
#include "errno.h"
#include "syscall.h"

#define PAGE_MASK (PAGE_SIZE - 1)

static uint64_t data_limit(struct proc *p)
{
    return p->rlim[RLIMIT_DATA_NR].cur;
}

/* Where a non-fixed mapping goes: the hint if that range is free, else the
 * highest free gap below MMAP_BASE. 0 if there is no room. */
static uint64_t mmap_place(struct proc *p, uint64_t hint, uint64_t len)
{
    hint = PAGE_DOWN(hint);
    if (hint >= USER_IMAGE_MIN && hint < TASK_SIZE && len <= TASK_SIZE - hint &&
        !vma_overlaps(p, hint, hint + len))
        return hint;
    return vma_gap_topdown(p, len);
}

/* mmap(2), private anonymous only: the address, or -EINVAL (length 0,
 * offset, type, shared), -EBADF/-ENODEV (files), -EPERM (fixed below
 * 64 KiB), -EEXIST (MAP_FIXED_NOREPLACE), -ENOMEM (no room, RLIMIT_DATA,
 * area table full). */
long ksys_mmap(u64 addr, u64 len, u64 prot, u64 flags, u64 fd, u64 off)
{
    struct proc *p = curproc;
    if (len == 0 || (off & PAGE_MASK))
        return -EINVAL;
    prot &= PROT_READ | PROT_WRITE | PROT_EXEC;   /* Linux ignores the rest */
    u64 type = flags & MAP_TYPE;
    if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS)) {
        /* No file can be mapped: the console and /proc files say ENODEV. */
        return fd < MAX_FILES && p->files[fd].kind != FILE_NONE ? -ENODEV : -EBADF;
    }
    if (type != MAP_PRIVATE) {
        if (proc_may_log())
            kprintf("[kernel] mmap: shared mappings are not supported: -EINVAL\n");
        return -EINVAL;
    }
    if (len > TASK_SIZE)
        return -ENOMEM;
    len = PAGE_UP(len);
    uint64_t a;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & PAGE_MASK)
            return -EINVAL;
        if (addr < USER_IMAGE_MIN)
            return -EPERM;
        if (addr >= TASK_SIZE || len > TASK_SIZE - addr)
            return -ENOMEM;
        if ((flags & MAP_FIXED_NOREPLACE) && vma_overlaps(p, addr, addr + len))
            return -EEXIST;
        a = addr;
    } else if (!(a = mmap_place(p, addr, len))) {
        return -ENOMEM;
    }
    if ((prot & PROT_WRITE) && data_limit(p) != RLIM_INFINITY &&
        vma_data_bytes(p) + len > data_limit(p))
        return -ENOMEM;
    if (vma_remove(p, a, a + len) < 0 ||
        vma_insert(p, a, a + len, (uint32_t)prot, VMA_ANON) < 0)
        return -ENOMEM;
    return (long)a;
}

/* Checks addr/len as mprotect, munmap and madvise share them; sets *end.
 * Returns 0 or the errno (negated). */
static long range_check(u64 addr, u64 len, u64 *end, long too_big)
{
    if (addr & PAGE_MASK)
        return -EINVAL;
    if (len > TASK_SIZE || addr >= TASK_SIZE || PAGE_UP(len) > TASK_SIZE - addr)
        return too_big;
    *end = addr + PAGE_UP(len);
    return 0;
}

/* mprotect(2): 0, -EINVAL (alignment, prot), -ENOMEM (hole in range). */
long ksys_mprotect(u64 addr, u64 len, u64 prot)
{
    u64 end;
    long r = range_check(addr, len, &end, -ENOMEM);
    if (r)
        return r;
    if (prot & ~7ull)
        return -EINVAL;
    if (end == addr)
        return 0;
    return vma_protect(curproc, addr, end, (uint32_t)prot) < 0 ? -ENOMEM : 0;
}

/* munmap(2): 0 (holes are fine), -EINVAL (alignment, length, range),
 * -ENOMEM (a split would overflow the area table). */
long ksys_munmap(u64 addr, u64 len)
{
    u64 end;
    if (len == 0)
        return -EINVAL;
    long r = range_check(addr, len, &end, -EINVAL);
    if (r)
        return r;
    return vma_remove(curproc, addr, end) < 0 ? -ENOMEM : 0;
}

/* Grows the heap area from old_end to new_end (page aligned). */
static bool brk_grow(struct proc *p, uint64_t old_end, uint64_t new_end)
{
    /* Keep one guard page free above the heap, as Linux does. */
    if (new_end >= MMAP_BASE || vma_overlaps(p, old_end, new_end + PAGE_SIZE))
        return false;
    struct vma *h = old_end > p->start_brk ? vma_find(p, old_end - 1) : NULL;
    if (h && h->kind == VMA_HEAP && h->end == old_end) {
        h->end = new_end;
        return true;
    }
    return vma_insert(p, old_end, new_end, VMA_READ | VMA_WRITE, VMA_HEAP) == 0;
}

/* Linux brk: returns the new break, or the old one when it cannot move. */
long ksys_brk(u64 addr)
{
    struct proc *p = curproc;
    if (addr < p->start_brk || addr >= MMAP_BASE)
        return (long)p->brk;
    /* Linux checks the limit even when shrinking; we always allow that. */
    if (addr > p->brk && data_limit(p) != RLIM_INFINITY &&
        addr - p->start_brk + p->data_size > data_limit(p))
        return (long)p->brk;
    uint64_t new_end = PAGE_UP(addr), old_end = PAGE_UP(p->brk);
    if (new_end < old_end && vma_remove(p, new_end, old_end) < 0)
        return (long)p->brk;
    if (new_end > old_end && !brk_grow(p, old_end, new_end))
        return (long)p->brk;
    p->brk = addr;
    return (long)addr;
}

static bool madvise_known(u64 advice)
{
    return advice <= 4 || (advice >= 8 && advice <= 25) || advice == 100 ||
           advice == 101;
}

/* MADV_DONTNEED / MADV_FREE drop the pages (they read as zero after);
 * every other known advice is accepted and ignored. */
long ksys_madvise(u64 addr, u64 len, u64 advice)
{
    u64 end;
    long r = range_check(addr, len, &end, -EINVAL);
    if (r)
        return r;
    if (!madvise_known(advice))
        return -EINVAL;
    if (end == addr)
        return 0;
    if (advice == MADV_DONTNEED || advice == MADV_FREE)
        curproc->resident -= vm_zap(addr, end);
    /* Linux applies the advice to the mapped parts, then reports holes. */
    uint64_t at = addr;
    for (struct vma *v = vma_next(curproc, at); v && v->start < end;
         v = vma_next(curproc, at)) {
        if (v->start > at)
            return -ENOMEM;
        at = v->end;
    }
    return at >= end ? 0 : -ENOMEM;
}
