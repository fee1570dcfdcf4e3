/*
 * kernel/elf.c - loads a static ELF64 x86-64 executable (ET_EXEC) from
 * the boot module into the program: one area per PT_LOAD segment with the
 * segment's permissions, its file bytes copied into frames now, the rest
 * (.bss beyond the last file page) left to demand-zero faults, and the
 * break placed after the highest segment, as Linux does without ASLR.
 */
#include "proc.h"
#include "mm.h"

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define PT_INTERP 3
#define PF_X 1
#define PF_W 2
#define PF_R 4

static uint64_t elf_fail(const char *why)
{
    kprintf("[kernel] cannot run the program: %s\n", why);
    return 0;
}

static const char *elf_check_header(const struct elf64_ehdr *h, uint64_t size)
{
    if (size < sizeof *h || memcmp(h->ident, "\177ELF", 4) != 0)
        return "not an ELF file";
    if (h->ident[4] != 2 || h->ident[5] != 1 || h->machine != 62)
        return "not a little-endian x86-64 ELF64 file";
    if (h->type != 2)
        return "not a static executable (ET_EXEC); PIE is not supported";
    if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 ||
        h->phoff > size || (uint64_t)h->phnum * h->phentsize > size - h->phoff)
        return "bad program headers";
    return NULL;
}

static const char *elf_check_segment(const struct elf64_phdr *ph, uint64_t size)
{
    if (ph->type == PT_INTERP)
        return "dynamically linked (PT_INTERP)";
    if (ph->type != PT_LOAD || ph->memsz == 0)
        return NULL;
    if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset)
        return "segment outside the file";
    if (ph->vaddr < USER_IMAGE_MIN || ph->vaddr >= MMAP_BASE ||
        ph->memsz > MMAP_BASE - ph->vaddr)
        return "segment outside the user image area";
    return NULL;
}

/* The frame behind the user page va, mapped now if absent; NULL if out of
 * memory. */
static uint8_t *elf_page(struct proc *p, uint64_t va, uint32_t prot)
{
    pte_t *pte = vm_walk(va, true);
    if (!pte)
        return NULL;
    if (!(*pte & PTE_P)) {
        paddr_t pa = pmm_alloc(FRAME_USER);
        if (!pa)
            return NULL;
        *pte = pa | PTE_P | vma_pte_flags(prot);
        p->resident++;
        p->maxrss = MAX(p->maxrss, p->resident);
    }
    return P2V(*pte & PTE_ADDR);
}

/* Adds the area of a segment. When it shares its first page with the
 * previous segment, that page gets both permissions. Returns 0 or -1. */
static int elf_add_area(struct proc *p, uint64_t start, uint64_t end, uint32_t prot)
{
    struct vma *prev = vma_find(p, start);
    if (prev) {
        if (prev->end != start + PAGE_SIZE)
            return -1;
        if (vma_protect(p, start, start + PAGE_SIZE, prev->prot | prot) < 0)
            return -1;
        start += PAGE_SIZE;
    }
    if (start < end && vma_overlaps(p, start, end))
        return -1;
    return start < end ? vma_insert(p, start, end, prot, VMA_IMAGE) : 0;
}

/* Copies the file part of a segment into its pages. Returns 0 or -1. */
static int elf_copy(struct proc *p, const struct elf64_phdr *ph, const uint8_t *image)
{
    uint64_t va = ph->vaddr, end = ph->vaddr + ph->filesz;
    while (va < end) {
        uint64_t n = MIN(PAGE_UP(va + 1), end) - va;
        struct vma *v = vma_find(p, va);
        uint8_t *page = elf_page(p, PAGE_DOWN(va), v->prot);
        if (!page)
            return -1;
        memcpy(page + (va & (PAGE_SIZE - 1)), image + ph->offset + (va - ph->vaddr), n);
        va += n;
    }
    return 0;
}

static int elf_load_segment(struct proc *p, const struct elf64_phdr *ph,
                            const uint8_t *image)
{
    uint64_t start = PAGE_DOWN(ph->vaddr), end = PAGE_UP(ph->vaddr + ph->memsz);
    uint32_t prot = (ph->flags & PF_R ? VMA_READ : 0) |
                    (ph->flags & PF_W ? VMA_WRITE : 0) |
                    (ph->flags & PF_X ? VMA_EXEC : 0);
    if (elf_add_area(p, start, end, prot) < 0)
        return elf_fail("overlapping segments"), -1;
    if (elf_copy(p, ph, image) < 0)
        return elf_fail("out of memory while loading"), -1;
    if (prot & VMA_WRITE) {
        p->data_size += end - start;
        p->end_data = MAX(p->end_data, end);
    }
    p->start_brk = MAX(p->start_brk, end);
    return 0;
}

/* Loads the image; see proc.h. */
uint64_t elf_load(struct proc *p, const uint8_t *image, uint64_t size)
{
    const struct elf64_ehdr *h = (const void *)image;
    const char *why = elf_check_header(h, size);
    if (why)
        return elf_fail(why);
    const struct elf64_phdr *phs = (const void *)(image + h->phoff);
    for (int i = 0; i < h->phnum; i++)
        if ((why = elf_check_segment(&phs[i], size)))
            return elf_fail(why);
    for (int i = 0; i < h->phnum; i++) {
        if (phs[i].type != PT_LOAD || phs[i].memsz == 0)
            continue;
        if (elf_load_segment(p, &phs[i], image) < 0)
            return 0;
        /* AT_PHDR: where the program headers are in memory. */
        if (phs[i].offset <= h->phoff && h->phoff < phs[i].offset + phs[i].filesz)
            p->phdr = phs[i].vaddr + (h->phoff - phs[i].offset);
    }
    p->phnum = h->phnum;
    p->brk = p->start_brk;
    if (h->entry < USER_IMAGE_MIN || !vma_find(p, h->entry))
        return elf_fail("entry point outside the image");
    return h->entry;
}
