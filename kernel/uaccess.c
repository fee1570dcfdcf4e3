/*
 * kernel/uaccess.c - the only way system calls touch user memory. Every
 * range is checked against the areas first (-EFAULT, never a kernel
 * fault); pages not yet present are mapped before the copy, as a fault
 * from the program would, so the copy itself cannot fault.
 */
#include "proc.h"
#include "mm.h"
#include "errno.h"

/* True if [va, va+len) lies inside areas allowing the access. */
bool uaccess_ok(uint64_t va, uint64_t len, bool write)
{
    if (len == 0)
        return true;
    if (va >= USER_TOP || len > USER_TOP - va)
        return false;
    uint64_t at = va, end = va + len;
    while (at < end) {
        struct vma *v = vma_find_grow(curproc, at);
        if (!v || !(v->prot & (write ? VMA_WRITE : VMA_READ | VMA_WRITE)))
            return false;
        at = v->end;
    }
    return true;
}

/* Maps the missing pages of a checked range. */
static void uaccess_populate(uint64_t va, uint64_t len, bool write)
{
    for (uint64_t pg = PAGE_DOWN(va); pg < va + len; pg += PAGE_SIZE) {
        pte_t *pte = vm_walk(pg, false);
        if (!pte || !(*pte & PTE_P) || (write && (*pte & PTE_ADDR) == zero_frame))
            fault_populate(pg, write);
    }
}

/* Copies len bytes to user dst; 0 or -EFAULT. */
int copy_to_user(uint64_t dst, const void *src, uint64_t len)
{
    if (!uaccess_ok(dst, len, true))
        return -EFAULT;
    uaccess_populate(dst, len, true);
    memcpy((void *)dst, src, len);
    return 0;
}

/* Copies len bytes from user src; 0 or -EFAULT. */
int copy_from_user(void *dst, uint64_t src, uint64_t len)
{
    if (!uaccess_ok(src, len, false))
        return -EFAULT;
    uaccess_populate(src, len, false);
    memcpy(dst, (const void *)src, len);
    return 0;
}

/* Copies a string one page at a time; see proc.h. */
long copy_str_from_user(char *dst, uint64_t src, uint64_t max)
{
    uint64_t n = 0;
    while (n < max) {
        uint64_t at = src + n;
        uint64_t chunk = MIN(PAGE_UP(at + 1) - at, max - n);
        if (!uaccess_ok(at, chunk, false))
            return -EFAULT;
        uaccess_populate(at, chunk, false);
        for (uint64_t i = 0; i < chunk; i++, n++) {
            dst[n] = ((const char *)src)[n];
            if (!dst[n])
                return (long)n;
        }
    }
    return -ENAMETOOLONG;
}
